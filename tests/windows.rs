//! The Windows build, run under Wine: `folio.exe` builds `example-portfolio` exactly as
//! the Linux build does, with Windows paths (backslashes, a drive letter), and serves
//! and reloads with `--poll`. `.ci/run` cross-compiles `folio.exe`
//! (x86_64-pc-windows-gnu) before the tests.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Portfolio;

fn exe() -> Option<PathBuf> {
    let dir = common::repo().join("target/x86_64-pc-windows-gnu/debug");
    let exe = dir.join("folio.exe");
    let ready = exe.is_file() && dir.join("bcryptprimitives.dll").is_file();
    if !ready || Command::new("wine").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "folio.exe or wine is missing: .ci/run builds and installs them"
        );
        eprintln!("SKIPPED: no folio.exe under Wine (see .ci/run)");
        return None;
    }
    // A fresh clone has no Wine prefix: the first run creates it, and tests starting
    // Wine at the same time could find it half made (a server that exits at once).
    static PREFIX: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| {
        let _ = wine(&exe).arg("--version").output();
    });
    Some(exe)
}

fn wine(exe: &Path) -> Command {
    let mut c = Command::new("wine");
    c.arg(exe)
        .env("WINEDEBUG", "-all")
        .env("WINEPREFIX", common::repo().join("target/wine-prefix"));
    c
}

/// `/tmp/x/y` as Windows sees it under Wine: `Z:\tmp\x\y`.
fn windows_path(p: &Path) -> String {
    format!("Z:{}", p.to_string_lossy().replace('/', "\\"))
}

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = common::walkdir(root)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_windows_build_equals_the_linux_build() {
    let Some(exe) = exe() else { return };
    let linux = Portfolio::example();
    let site = linux.build();
    let win = Portfolio::example();
    let out = win.path().join("sortie windows");
    let run = wine(&exe)
        .args([
            "build",
            &windows_path(win.path()),
            "-o",
            &windows_path(&out),
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (a, b) = (files(&site.root), files(&out));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "not the same files");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between Linux and Windows");
    }
}

#[test]
fn serve_with_polling_serves_and_reloads_under_wine() {
    let Some(exe) = exe() else { return };
    let p = Portfolio::example();
    let mut child = wine(&exe)
        .args(["serve", &windows_path(p.path()), "--poll", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.split("http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap().to_owned());
            }
        }
    });
    let host = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("server started");
    let addr: std::net::SocketAddr = host.parse().unwrap();
    let home = common::http::get(addr, "/portfolio/");
    assert_eq!(home.status, 200);
    let file = p.path().join("content/parcours.md");
    std::thread::sleep(Duration::from_millis(700));
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("## Formation", "## Formation sous Wine");
    std::fs::write(&file, text).unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let page = common::http::get(addr, "/portfolio/parcours/");
        if page.text().contains("Formation sous Wine") {
            break;
        }
        assert!(Instant::now() < end, "the edit was never served");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn double_click_without_arguments_never_hangs() {
    let Some(exe) = exe() else { return };
    // No arguments and no input: either the help, or the double-click message that ends
    // on Enter (here, the end of input).
    let out = wine(&exe)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("folio"), "{text}");
}

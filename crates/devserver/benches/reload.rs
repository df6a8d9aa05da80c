//! Save-to-served latency of the dev server, on `example-portfolio` and on a generated
//! 1,000-réalisation portfolio, with Hugo's `hugo server` on the same 1,000 pages as a
//! peer when `hugo` is installed.
//!
//! Run: `cargo bench -p folio-devserver --bench reload` (set FOLIO_BENCH_ROUNDS to change
//! the number of saves; default 30). Prints medians; nothing here is a pass/fail test.
//!
//! Two figures per run:
//! - "événement": from the save to the reload event received by a browser-like SSE
//!   client, the page being already rebuilt and served (folio publishes first);
//! - "page servie": from the save to an HTTP GET returning the new content, polled
//!   every millisecond: the same measure for folio and Hugo.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "../../../benches/corpus.rs"]
mod corpus;
use corpus::{copy_dir, generate, generate_hugo};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn main() {
    let rounds: usize = std::env::var("FOLIO_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();

    let example = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("example-portfolio"), example.path());
    let _ = std::fs::remove_dir_all(example.path().join("public"));
    let (ev, served) = rt.block_on(bench_folio(
        example.path(),
        "content/realisations/vpn-pfsense.md",
        "realisations/vpn-pfsense/",
        rounds,
    ));
    report("folio, example-portfolio", &ev, &served);

    let big = tempfile::tempdir().unwrap();
    generate(big.path(), 1000);
    let (ev, served_folio) = rt.block_on(bench_folio(
        big.path(),
        "content/realisations/r00500.md",
        "realisations/r00500/",
        rounds,
    ));
    report("folio, 1 000 réalisations", &ev, &served_folio);

    if Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let hugo = tempfile::tempdir().unwrap();
        generate_hugo(hugo.path(), 1000);
        let served_hugo = bench_hugo(hugo.path(), rounds);
        report("hugo server, 1 000 pages", &[], &served_hugo);
        println!(
            "rapport des médianes (page servie) Hugo / folio sur 1 000 pages : {:.1}×",
            median(&served_hugo) / median(&served_folio)
        );
    } else {
        println!("hugo absent : pas de comparaison (apt-get install hugo)");
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    if s.is_empty() {
        f64::NAN
    } else {
        s[s.len() / 2]
    }
}

fn report(what: &str, event: &[f64], served: &[f64]) {
    let p90 = |v: &[f64]| {
        let mut s = v.to_vec();
        s.sort_by(|a, b| a.total_cmp(b));
        s.get(s.len() * 9 / 10).copied().unwrap_or(f64::NAN)
    };
    if !event.is_empty() {
        println!(
            "{what:<28} événement   : médiane {:6.1} ms  p90 {:6.1} ms  ({} sauvegardes)",
            median(event),
            p90(event),
            event.len()
        );
    }
    println!(
        "{what:<28} page servie : médiane {:6.1} ms  p90 {:6.1} ms  ({} sauvegardes)",
        median(served),
        p90(served),
        served.len()
    );
}

async fn bench_folio(root: &Path, file: &str, page: &str, rounds: usize) -> (Vec<f64>, Vec<f64>) {
    let mut opts = folio_devserver::Options::new(root);
    opts.port = 0;
    opts.report = std::sync::Arc::new(|r| {
        if let folio_devserver::Report::Failed { errors, .. } = r {
            for e in errors {
                eprintln!("{e}");
            }
        }
    });
    let server = folio_devserver::Server::start(opts)
        .await
        .expect("server starts");
    let addr = server.addr;
    let base = format!("/{}", server.url.splitn(4, '/').nth(3).unwrap_or(""));
    let path = root.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    let url = format!("{base}{page}");
    let (event, served) = tokio::task::spawn_blocking(move || {
        let events = sse(addr);
        let mut event_ms = Vec::new();
        let mut served_ms = Vec::new();
        for i in 0..rounds + 3 {
            let marker = format!("marqueur-{i}-{}", std::process::id());
            let text = format!("{original}\n\n{marker}\n");
            let t0 = Instant::now();
            std::fs::write(&path, text).unwrap();
            loop {
                let e = events
                    .recv_timeout(Duration::from_secs(10))
                    .expect("reload event");
                if e == "reload" {
                    break;
                }
            }
            let t_event = t0.elapsed();
            poll_until(addr, &url, &marker);
            let t_served = t0.elapsed();
            if i >= 3 {
                event_ms.push(t_event.as_secs_f64() * 1000.0);
                served_ms.push(t_served.as_secs_f64() * 1000.0);
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        (event_ms, served_ms)
    })
    .await
    .unwrap();
    server.stop().await;
    (event, served)
}

fn bench_hugo(root: &Path, rounds: usize) -> Vec<f64> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new("hugo")
        .args([
            "server",
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--source",
        ])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hugo server");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains("Web Server is available") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("hugo server starts");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let path = root.join("content/realisations/r00500.md");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut served = Vec::new();
    for i in 0..rounds + 3 {
        let marker = format!("marqueur-{i}-{}", std::process::id());
        let t0 = Instant::now();
        std::fs::write(&path, format!("{original}\n\n{marker}\n")).unwrap();
        poll_until(addr, "/portfolio/realisations/r00500/", &marker);
        if i >= 3 {
            served.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    let _ = child.kill();
    let _ = child.wait();
    served
}

/// GET `path` every millisecond until the body contains `needle`.
fn poll_until(addr: SocketAddr, path: &str, needle: &str) {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        if get(addr, path).contains(needle) {
            return;
        }
        assert!(Instant::now() < end, "{path} never showed the change");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Event names from the live-reload stream.
fn sse(addr: SocketAddr) -> std::sync::mpsc::Receiver<String> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__folio/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event:")
                && tx.send(name.trim().to_owned()).is_err()
            {
                break;
            }
        }
    });
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "hello");
    rx
}

//! A real headless Chromium, driven through ChromeDriver, sees an open page reload by
//! itself after a save, and shows then clears the error overlay.

mod common;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Portfolio;
use common::http::{Serve, request_json};
use serde_json::{Value, json};

/// The absolute path of the first of `names` found on PATH (ChromeDriver wants one).
fn find(names: &[&str]) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
            .map(|p| p.to_string_lossy().into_owned())
    })
}

struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start(chromedriver: &str, chromium: &str) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let end = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < end, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let resp = request_json(addr, "POST", "/session", Some(&caps));
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_owned();
        Driver {
            child,
            addr,
            session,
            _profile: profile,
        }
    }

    fn go(&self, url: &str) {
        request_json(
            self.addr,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&json!({"url": url})),
        );
    }

    fn js(&self, script: &str) -> Value {
        let r = request_json(
            self.addr,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({"script": script, "args": []})),
        );
        r["value"].clone()
    }

    /// Poll a script until it returns true.
    fn until(&self, script: &str, what: &str) {
        let end = Instant::now() + Duration::from_secs(15);
        while self.js(script) != Value::Bool(true) {
            assert!(Instant::now() < end, "timed out waiting for: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request_json(
            self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn open_page_reloads_by_itself_after_a_save_and_shows_build_errors() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    ) else {
        eprintln!("SKIPPED: chromium or chromedriver absent");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver"
        );
        return;
    };
    let p = Portfolio::example();
    let server = Serve::start(p.path(), &[]);
    let driver = Driver::start(&chromedriver, &chromium);
    driver.go(&format!(
        "http://{}/portfolio/realisations/vpn-pfsense/",
        server.addr
    ));
    assert_eq!(
        driver.js("return document.querySelector('h1').textContent"),
        json!("VPN site à site entre deux agences")
    );
    // Mark this page instance: a reload clears the mark.
    driver.js("window.__folioMark = 1; return true");
    // Wait until the page's live-reload stream is open before saving.
    std::thread::sleep(Duration::from_millis(800));

    let file = p.path().join("content/realisations/vpn-pfsense.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace(
            "VPN site à site entre deux agences",
            "VPN rechargé tout seul",
        ),
    )
    .unwrap();
    driver.until(
        "return window.__folioMark === undefined && document.querySelector('h1').textContent === 'VPN rechargé tout seul'",
        "the page to reload with the new title",
    );

    // A broken save: the overlay names the file and line; the page stays readable behind it.
    std::fs::write(&file, good.replace("context: stage-2", "context: stage-7")).unwrap();
    driver.until(
        "const o = document.getElementById('folio-erreurs'); return !!o && o.textContent.includes('content/realisations/vpn-pfsense.md:3')",
        "the error overlay",
    );
    std::fs::write(&file, good.clone()).unwrap();
    driver.until(
        "return !document.getElementById('folio-erreurs') && document.querySelector('h1').textContent === 'VPN site à site entre deux agences'",
        "the overlay to clear and the fixed page to show",
    );

    // The server stops; the source changes meanwhile; a new server starts on the same
    // port. The page reconnects, sees a new server and reloads by itself.
    let port = server.addr.port().to_string();
    drop(server);
    driver.js("window.__folioMark = 2; return true");
    std::fs::write(
        &file,
        good.replace(
            "VPN site à site entre deux agences",
            "VPN après redémarrage",
        ),
    )
    .unwrap();
    let _restarted = Serve::start_args(p.path(), &["serve", ".", "--port", &port]);
    driver.until(
        "return window.__folioMark === undefined && document.querySelector('h1').textContent === 'VPN après redémarrage'",
        "the page to reload after the server restarted",
    );
}

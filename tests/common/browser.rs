//! A headless Chromium driven through ChromeDriver (WebDriver's JSON over HTTP).

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::request_json;

/// The absolute path of the first of `names` found on PATH (ChromeDriver wants one).
pub fn find(names: &[&str]) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
            .map(|p| p.to_string_lossy().into_owned())
    })
}

pub struct Driver {
    child: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub fn start(chromedriver: &str, chromium: &str) -> Driver {
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

    pub fn go(&self, url: &str) {
        request_json(
            self.addr,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&json!({"url": url})),
        );
    }

    pub fn js(&self, script: &str) -> Value {
        let r = request_json(
            self.addr,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({"script": script, "args": []})),
        );
        r["value"].clone()
    }

    /// A Chrome DevTools command through ChromeDriver (`Emulation.setEmulatedMedia`…).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        let r = request_json(
            self.addr,
            "POST",
            &format!("/session/{}/goog/cdp/execute", self.session),
            Some(&json!({"cmd": cmd, "params": params})),
        );
        r["value"].clone()
    }

    /// Poll a script until it returns true.
    pub fn until(&self, script: &str, what: &str) {
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

impl Driver {
    /// A browser, or `None` (with a message) when Chromium or ChromeDriver is absent
    /// outside CI; in CI their absence fails the test.
    pub fn start_or_skip() -> Option<Driver> {
        let (Some(chromium), Some(chromedriver)) = (
            find(&["chromium", "chromium-browser", "google-chrome"]),
            find(&["chromedriver"]),
        ) else {
            eprintln!("SKIPPED: chromium or chromedriver absent");
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install chromium and chromium-driver"
            );
            return None;
        };
        Some(Driver::start(&chromedriver, &chromium))
    }
}

/// axe-core, from the npm registry, installed by .ci/run under target/.
pub fn axe_source() -> Option<String> {
    let path = super::repo().join("target/axe-core/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            eprintln!("SKIPPED: axe-core absent (.ci/run installs it with npm)");
            assert!(std::env::var_os("CI").is_none(), "CI must install axe-core");
            None
        }
    }
}

/// The WCAG 2.1 A and AA violations axe-core finds on the page open in the browser.
pub fn axe_violations(driver: &Driver, axe: &str) -> Vec<String> {
    driver.js(axe);
    driver.js(
        "window.__axe = null; axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
         .then(r => { window.__axe = r; }, e => { window.__axe = {violations: [{id: 'axe-error: ' + e}]}; });",
    );
    driver.until("return window.__axe !== null;", "axe-core's result");
    let v = driver.js(
        "return window.__axe.violations.map(v => v.id + ': ' + (v.nodes || []).map(n => n.html).slice(0, 3).join(' | '));",
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

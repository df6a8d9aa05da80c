//! A real headless Chromium, driven through ChromeDriver, sees an open page reload by
//! itself after a save, and shows then clears the error overlay.

mod common;

use std::time::Duration;

use common::Portfolio;
use common::browser::Driver;
use common::http::Serve;
use serde_json::json;

#[test]
fn open_page_reloads_by_itself_after_a_save_and_shows_build_errors() {
    let p = Portfolio::example();
    let server = Serve::start(p.path(), &[]);
    let Some(driver) = Driver::start_or_skip() else {
        return;
    };
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

//! The dev server over real HTTP: the real `folio serve` binary, a raw TCP client.

mod common;

use std::time::Duration;

use common::Portfolio;
use common::http::{Events, Serve};

const T: Duration = Duration::from_secs(10);

#[test]
fn pages_and_assets_are_served_under_the_sub_path_with_content_types() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let home = s.get("/portfolio/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("<h1>Bienvenue sur mon portfolio</h1>"));
    // The reload script is injected in served pages only.
    assert!(
        home.text()
            .contains("<script src=\"/__folio/live.js\" defer></script>\n</body>")
    );
    for (path, ctype) in [
        ("/portfolio/style.css", "text/css; charset=utf-8"),
        (
            "/portfolio/documents/attestation-stage-1.pdf",
            "application/pdf",
        ),
        (
            "/portfolio/realisations/deploiement-glpi/schema-reseau.png",
            "image/png",
        ),
        (
            "/portfolio/tableau-de-synthese.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/portfolio/sitemap.xml", "text/xml; charset=utf-8"),
        ("/__folio/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ctype), "{path}");
    }
    let pdf = s.get("/portfolio/documents/attestation-stage-1.pdf");
    assert_eq!(
        pdf.body,
        std::fs::read(p.path().join("static/documents/attestation-stage-1.pdf")).unwrap()
    );
    let missing = s.get("/portfolio/nulle-part/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page introuvable"));
    assert_eq!(s.get("/portfolio").status, 308);
    assert_eq!(s.get("/portfolio").header("location"), Some("/portfolio/"));
    assert_eq!(
        s.get("/portfolio/parcours").header("location"),
        Some("/portfolio/parcours/")
    );
    assert_eq!(s.get("/").status, 308);
    assert_eq!(s.get("/autre/").status, 404);
    // Nothing written to disk by the server.
    assert!(!p.path().join("public").exists());
}

#[test]
fn traversal_attempts_are_refused() {
    let p = Portfolio::example();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), p.path().join("static/lien-secret.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", p.path().join("static/etc")).unwrap();
    let s = Serve::start(p.path(), &[]);
    for raw in [
        "/portfolio/../../../../etc/passwd",
        "/../../etc/passwd",
        "/portfolio/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/portfolio/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/portfolio/..%5c..%5c..%5cetc%5cpasswd",
        "/portfolio/..\\..\\etc\\passwd",
        "/portfolio/%252e%252e/%252e%252e/etc/passwd",
        "/portfolio/lien-secret.txt",
        "/portfolio/etc/passwd",
        "/portfolio/./././../portfolio.toml",
        "/portfolio/%00/etc/passwd",
        "/portfolio/portfolio.toml",
        "/portfolio/content/index.md",
    ] {
        let r = s.get(raw);
        assert!(r.status == 403 || r.status == 404, "{raw}: {}", r.status);
        assert!(
            !r.text().contains("root:")
                && !r.text().contains("SECRET")
                && !r.text().contains("base_url"),
            "{raw} leaked"
        );
    }
}

#[test]
fn editing_a_realisation_serves_the_new_page_then_sends_reload() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    let file = p.path().join("content/realisations/vpn-pfsense.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "VPN site à site entre deux agences",
        "VPN WireGuard entre deux agences",
    );
    std::fs::write(&file, text).unwrap();
    let reload = ev.wait_for("reload", T);
    assert!(
        reload.data.contains("realisations/vpn-pfsense/index.html"),
        "{}",
        reload.data
    );
    // Ready before the event: the very next request gets the new page.
    let page = s.get("/portfolio/realisations/vpn-pfsense/");
    assert!(
        page.text()
            .contains("<h1>VPN WireGuard entre deux agences</h1>")
    );
    // Lists, matrix and table follow.
    assert!(
        s.get("/portfolio/realisations/")
            .text()
            .contains("VPN WireGuard entre deux agences")
    );
    assert!(
        s.get("/portfolio/tableau-de-synthese/")
            .text()
            .contains("VPN WireGuard entre deux agences")
    );
    assert!(
        s.get("/portfolio/competences/b1-5/")
            .text()
            .contains("VPN WireGuard entre deux agences")
    );
    let xlsx = common::Table::from_bytes(s.get("/portfolio/tableau-de-synthese.xlsx").body);
    assert_eq!(
        xlsx.at("A29").lines().next(),
        Some("VPN WireGuard entre deux agences")
    );
    // One terminal line per rebuild, with what changed and how long it took.
    let log = s.wait_log("ms");
    assert!(
        log.lines()
            .any(|l| l.contains("content/realisations/vpn-pfsense.md") && l.contains("ms")),
        "{log}"
    );
}

#[test]
fn adding_deleting_and_renaming_files() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    p.write("content/realisations/nouvelle.md", "---\ntitle: Nouvelle réalisation\ncontext: stage-1\ncompetences: [B1.2]\n---\nTexte neuf.\n");
    ev.wait_for("reload", T);
    assert!(
        s.get("/portfolio/realisations/nouvelle/")
            .text()
            .contains("Texte neuf.")
    );
    assert!(
        s.get("/portfolio/realisations/")
            .text()
            .contains("Nouvelle réalisation")
    );

    std::fs::rename(
        p.path().join("content/realisations/nouvelle.md"),
        p.path().join("content/realisations/renommee.md"),
    )
    .unwrap();
    ev.wait_for("reload", T);
    let r = s.wait_content("/portfolio/realisations/renommee/", "Texte neuf.");
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/portfolio/realisations/nouvelle/").status, 404);

    p.remove("content/realisations/renommee.md");
    ev.wait_for("reload", T);
    assert_eq!(s.get("/portfolio/realisations/renommee/").status, 404);
    assert!(
        !s.get("/portfolio/realisations/")
            .text()
            .contains("Nouvelle réalisation")
    );

    // A whole folder renamed.
    std::fs::rename(
        p.path().join("content/realisations/deploiement-glpi"),
        p.path().join("content/realisations/glpi"),
    )
    .unwrap();
    ev.wait_for("reload", T);
    assert_eq!(
        s.wait_content("/portfolio/realisations/glpi/", "GLPI")
            .status,
        200
    );
    assert_eq!(
        s.get("/portfolio/realisations/glpi/compte-rendu-tests.pdf")
            .status,
        200
    );
    assert_eq!(
        s.get("/portfolio/realisations/deploiement-glpi/").status,
        404
    );

    // Renaming a folder another page links to is an error, shown, not a crash.
    std::fs::rename(
        p.path().join("content/realisations/supervision-zabbix"),
        p.path().join("content/realisations/zabbix"),
    )
    .unwrap();
    let err = ev.wait_for("build-error", T);
    assert!(
        err.data.contains("content/stages.md") && err.data.contains("link-missing-page"),
        "{}",
        err.data
    );
    assert_eq!(
        s.get("/portfolio/realisations/supervision-zabbix/").status,
        200,
        "last good site still served"
    );
}

#[test]
fn editor_save_by_rename_is_seen() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    // What vim and JetBrains do: write a temporary file, then rename it over the original.
    let file = p.path().join("content/veille.md");
    let tmp = p.path().join("content/.veille.md.swp");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("la sécurité des accès à distance", "le Zero Trust");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    ev.wait_for("reload", T);
    assert!(
        s.get("/portfolio/veille/")
            .text()
            .contains("Sujet : le Zero Trust")
    );
}

#[test]
fn stylesheet_change_swaps_css_without_reload() {
    let p = Portfolio::example();
    p.write("static/style.css", "body { color: black }");
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    p.write("static/style.css", "body { color: navy }");
    let css = ev.wait_for("css", T);
    assert!(css.data.contains("style.css"), "{}", css.data);
    assert_eq!(s.get("/portfolio/style.css").text(), "body { color: navy }");
}

#[test]
fn broken_file_shows_the_overlay_and_fixing_it_clears_it() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    let file = p.path().join("content/realisations/vpn-pfsense.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace(
            "competences: [B1.1.2, B1.5.1, B1.5.2, B1.5.3]",
            "competences: [B1.1.2, B1.9]",
        ),
    )
    .unwrap();
    let err = ev.wait_for("build-error", T);
    let data: serde_json::Value = serde_json::from_str(&err.data).unwrap();
    let first = &data["errors"][0];
    assert_eq!(first["file"], "content/realisations/vpn-pfsense.md");
    assert_eq!(first["line"], 6);
    assert_eq!(first["code"], "competence-unknown");
    // The server keeps running and serves the last good version.
    let page = s.get("/portfolio/realisations/vpn-pfsense/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("VPN site à site"));
    // A browser opening a page now gets the errors at once, and the terminal shows them.
    let late = Events::connect(s.addr);
    assert!(
        late.hello.data.contains("competence-unknown"),
        "{}",
        late.hello.data
    );
    let log = s.wait_log("vpn-pfsense.md:6: erreur[competence-unknown]");
    assert!(
        log.contains("vpn-pfsense.md:6: erreur[competence-unknown]"),
        "{log}"
    );

    std::fs::write(&file, good).unwrap();
    ev.wait_for("build-ok", T);
    let fresh = Events::connect(s.addr);
    assert!(
        fresh.hello.data.contains("\"errors\":[]"),
        "{}",
        fresh.hello.data
    );
}

#[test]
fn first_build_failure_keeps_serving_an_error_page_until_fixed() {
    let p = Portfolio::example();
    let file = p.path().join("content/realisations/vpn-pfsense.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("context: stage-2", "context: stage-9")).unwrap();
    let s = Serve::start(p.path(), &[]);
    let r = s.get("/portfolio/");
    assert_eq!(r.status, 500);
    assert!(r.text().contains("/__folio/live.js"));
    let ev = Events::connect(s.addr);
    std::fs::write(&file, good).unwrap();
    ev.wait_for("reload", T);
    assert_eq!(s.get("/portfolio/").status, 200);
}

#[test]
fn busy_port_moves_to_the_next_and_says_so() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let p = Portfolio::example();
    let s = Serve::start_args(p.path(), &["serve", ".", "--port", &port]);
    assert_ne!(s.addr.port().to_string(), port);
    assert!(s.addr.ip().is_loopback(), "localhost by default");
    assert!(
        s.log().contains(&format!("le port {port} est occupé")),
        "{}",
        s.log()
    );
    assert_eq!(s.get("/portfolio/").status, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_shuts_down_cleanly_even_with_a_browser_connected() {
    let p = Portfolio::example();
    let mut s = Serve::start(p.path(), &[]);
    let _ev = Events::connect(s.addr);
    let pid = s.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let end = std::time::Instant::now() + T;
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(std::time::Instant::now() < end, "did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.log().contains("Serveur arrêté"));
}

#[test]
fn polling_mode_sees_changes_too() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &["--poll"]);
    assert!(s.log().contains("scrutation"));
    let ev = Events::connect(s.addr);
    // Let the poller take its first snapshot (it runs every 300 ms).
    std::thread::sleep(Duration::from_millis(700));
    let file = p.path().join("content/parcours.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("## Formation", "## Ma formation");
    std::fs::write(&file, text).unwrap();
    ev.wait_for("reload", T);
    assert!(
        s.get("/portfolio/parcours/")
            .text()
            .contains("Ma formation")
    );
    // A second save right after (within the same second) is seen too.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("## Ma formation", "## Ma formation, encore");
    std::fs::write(&file, text).unwrap();
    ev.wait_for("reload", T);
    assert!(
        s.get("/portfolio/parcours/")
            .text()
            .contains("Ma formation, encore")
    );
}

#[test]
fn each_rebuild_reports_the_warnings_of_what_it_rebuilt_only() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    let veille = p.path().join("content/veille.md");
    let text = std::fs::read_to_string(&veille)
        .unwrap()
        .replacen("title:", "titel: Veille\ntitle:", 1)
        .replace("## Sujet", "## Mon sujet");
    std::fs::write(&veille, text).unwrap();
    ev.wait_for("reload", T);
    let parcours = p.path().join("content/parcours.md");
    let text = std::fs::read_to_string(&parcours)
        .unwrap()
        .replace("## Formation", "## Formations");
    std::fs::write(&parcours, text).unwrap();
    ev.wait_for("reload", T);
    std::thread::sleep(Duration::from_millis(200));
    let log = s.log();
    assert_eq!(log.matches("front-matter-unknown-key").count(), 1, "{log}");
    assert!(
        log.contains("content/veille.md:2: avertissement[front-matter-unknown-key]"),
        "{log}"
    );
}

#[cfg(unix)]
#[test]
fn a_served_file_replaced_by_a_link_out_of_the_portfolio_is_not_followed() {
    let p = Portfolio::example();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "SECRET").unwrap();
    let s = Serve::start(p.path(), &[]);
    let ev = Events::connect(s.addr);
    let served = p.path().join("static/documents/plan-de-sauvegarde.pdf");
    assert_eq!(
        s.get("/portfolio/documents/plan-de-sauvegarde.pdf").status,
        200
    );
    std::fs::remove_file(&served).unwrap();
    std::os::unix::fs::symlink(outside.path(), &served).unwrap();
    // At once, before the watcher's rebuild: reading the file must not follow the link…
    let r = s.get("/portfolio/documents/plan-de-sauvegarde.pdf");
    assert!(
        !r.text().contains("SECRET"),
        "served through a link out of the portfolio"
    );
    // …and after the rebuild the link is left out of the site.
    let _ = ev.next(Duration::from_secs(2));
    std::thread::sleep(Duration::from_millis(300));
    let r = s.get("/portfolio/documents/plan-de-sauvegarde.pdf");
    assert_eq!(r.status, 404);
    assert!(!r.text().contains("SECRET"));
}

#[test]
fn dossier_checks_show_in_the_terminal_without_blocking_the_preview() {
    let p = Portfolio::example();
    let asso = p.path().join("content/realisations/site-association.md");
    let text = std::fs::read_to_string(&asso).unwrap().replace(
        "competences: [B1.3.1, B1.3.2, B1.3.3, B1.4.1, B1.4.3]",
        "competences: [B1.4.1]",
    );
    std::fs::write(&asso, text).unwrap();
    let s = Serve::start(p.path(), &[]);
    assert_eq!(s.get("/portfolio/").status, 200, "the preview is served");
    let log = s.log();
    assert!(
        log.contains("coverage-missing") && log.contains("folio build les refusera"),
        "{log}"
    );
    // A new réalisation covering B1.3 is a full rebuild: the checks run again, quietly now.
    let ev = Events::connect(s.addr);
    p.write(
        "content/realisations/presence.md",
        "---\ntitle: Référencement du site\ncontext: formation\nstart: 2025-05-01\nend: 2025-05-20\ncompetences: [B1.3.1, B1.3.2, B1.3.3]\ndocuments: [{title: Rapport, url: \"https://example.org/rapport\"}]\n---\nTexte.\n",
    );
    ev.wait_for("reload", T);
    std::thread::sleep(Duration::from_millis(200));
    let log = s.log();
    assert_eq!(log.matches("coverage-missing").count(), 1, "{log}");
}

#[test]
fn only_published_names_are_served_as_on_github_pages() {
    let p = Portfolio::example();
    p.write("static/documents/Cahier des charges été.pdf", "%PDF-1.4");
    let s = Serve::start(p.path(), &[]);
    assert_eq!(
        s.get("/portfolio/documents/cahier-des-charges-ete.pdf")
            .status,
        200
    );
    for unpublished in [
        "/portfolio/documents/Cahier%20des%20charges%20%C3%A9t%C3%A9.pdf",
        "/portfolio/documents/Cahier%20des%20charges%20été.pdf",
        "/portfolio/Parcours/",
        "/portfolio/documents/CAHIER-DES-CHARGES-ETE.PDF",
    ] {
        assert_eq!(s.get(unpublished).status, 404, "{unpublished}");
    }
}

#[test]
fn the_terminal_clock_is_the_local_time() {
    // Kiribati is 14 hours ahead of UTC: a UTC clock could not print its hour.
    let tz = "Pacific/Kiritimati";
    let p = Portfolio::example();
    let s = Serve::start_env(p.path(), &["serve", ".", "--port", "0"], &[("TZ", tz)]);
    let file = p.path().join("content/veille.md");
    let text = std::fs::read_to_string(&file).unwrap() + "\nUne ligne de plus.\n";
    std::fs::write(&file, text).unwrap();
    s.wait_content("/portfolio/veille/", "Une ligne de plus.");
    let end = std::time::Instant::now() + T;
    let line = loop {
        if let Some(l) = s.log().lines().find(|l| l.contains("content/veille.md")) {
            break l.to_owned();
        }
        assert!(std::time::Instant::now() < end, "{}", s.log());
        std::thread::sleep(Duration::from_millis(20));
    };
    let printed: i8 = line[1..3].parse().unwrap();
    let local = jiff::Timestamp::now().in_tz(tz).unwrap().hour();
    let utc = jiff::Timestamp::now().in_tz("UTC").unwrap().hour();
    assert!(
        printed == local || printed == (local + 23) % 24,
        "{line}: local {local}"
    );
    assert_ne!(printed, utc, "{line}");
}

#[test]
fn base_url_option_moves_the_served_site() {
    let p = Portfolio::example();
    let s = Serve::start(p.path(), &["--base-url", "https://autre.github.io/depot/"]);
    let home = s.get("/depot/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/depot/realisations/\""));
    assert_eq!(s.get("/portfolio/").status, 404);
}

//! `folio verify` against a local HTTP server (never the internet): a faithful copy of
//! the build finds nothing; a damaged one has each planted fault reported with its code
//! and address.

mod common;

use std::path::Path;

use common::Portfolio;
use common::http::StaticServer;
use serde_json::Value;

/// The site as a host serves it: `ROOT/portfolio/`, built for that address.
struct Hosted {
    server: StaticServer,
    root: tempfile::TempDir,
}

impl Hosted {
    fn start() -> Hosted {
        let root = tempfile::tempdir().unwrap();
        let server = StaticServer::start(root.path());
        Hosted { server, root }
    }

    fn base(&self) -> String {
        self.server.url("portfolio/")
    }

    fn site(&self) -> std::path::PathBuf {
        self.root.path().join("portfolio")
    }

    /// Build `p` for `base` into `out`.
    fn build(&self, p: &Portfolio, base: &str, out: &Path) {
        let out = out.to_string_lossy();
        let run = p.folio(&["build", "--ignore-checks", "--base-url", base, "-o", &out]);
        assert!(run.ok(), "{}", run.stderr());
    }
}

/// `folio verify URL --format json`: exit code and (code, url) of each finding.
fn verify(p: &Portfolio, url: &str) -> (Option<i32>, Vec<(String, String)>, Value) {
    let run = p.folio(&["verify", url, "--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout(), run.stderr()));
    let found = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["url"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (run.code(), found, doc)
}

#[test]
fn a_faithful_copy_has_no_finding() {
    let p = Portfolio::example();
    let host = Hosted::start();
    host.build(&p, &host.base(), &host.site());
    let (code, found, doc) = verify(&p, &host.base());
    assert_eq!(found, vec![], "{doc:#}");
    assert_eq!(code, Some(0));
    assert_eq!(doc["ok"], true);
}

#[test]
fn each_planted_fault_is_found_with_its_code_and_address() {
    let p = Portfolio::example();
    let host = Hosted::start();
    let base = host.base();
    let site = host.site();
    host.build(&p, &base, &site);
    // 1. A document never pushed.
    let pdf = "realisations/deploiement-glpi/procedure-installation-glpi.pdf";
    std::fs::remove_file(site.join(pdf)).unwrap();
    // 2. A page generated for another sub-path (a base_url that does not match the repository).
    let other = tempfile::tempdir().unwrap();
    host.build(&p, &host.server.url("ancien-depot/"), other.path());
    std::fs::copy(
        other.path().join("stages/index.html"),
        site.join("stages/index.html"),
    )
    .unwrap();
    // 3. A stale table: the one from before a réalisation was renamed.
    let before = Portfolio::example();
    let vpn = "content/realisations/vpn-pfsense.md";
    let text = std::fs::read_to_string(before.path().join(vpn)).unwrap();
    before.write(
        vpn,
        text.replace("title: VPN site à site", "title: VPN (ancien titre)"),
    );
    let old = tempfile::tempdir().unwrap();
    host.build(&before, &base, old.path());
    std::fs::copy(
        old.path().join("tableau-de-synthese.xlsx"),
        site.join("tableau-de-synthese.xlsx"),
    )
    .unwrap();
    // 4. An old page left behind after a rename, listed by the host's previous manifest.
    let leftover = site.join("realisations/ancienne-realisation/index.html");
    std::fs::create_dir_all(leftover.parent().unwrap()).unwrap();
    std::fs::copy(site.join("parcours/index.html"), &leftover).unwrap();
    let manifest = site.join(".folio-manifest");
    let listed = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        listed + "realisations/ancienne-realisation/index.html\n",
    )
    .unwrap();
    // 5. A draft published by hand.
    let run = p.folio(&["new", "realisation", "Brouillon secret"]);
    assert!(run.ok(), "{}", run.stderr());
    std::fs::create_dir_all(site.join("realisations/brouillon-secret")).unwrap();
    std::fs::copy(
        site.join("veille/index.html"),
        site.join("realisations/brouillon-secret/index.html"),
    )
    .unwrap();
    // 6. A page whose text online is not the sources' …
    let parcours = site.join("parcours/index.html");
    let html = std::fs::read_to_string(&parcours).unwrap();
    assert!(html.contains("Parcours"));
    std::fs::write(
        &parcours,
        html.replacen("</main>", "<p>Paragraphe ajouté en ligne.</p></main>", 1),
    )
    .unwrap();
    // … while a CDN's rewriting of another (scripts, no line breaks) is not a difference.
    let veille = site.join("veille/index.html");
    let html = std::fs::read_to_string(&veille).unwrap();
    let minified = html
        .replace(">\n<", "><")
        .replace('\n', " ")
        .replace("</body>", "<script>cdn()</script></body>");
    std::fs::write(&veille, minified).unwrap();

    let (code, mut found, doc) = verify(&p, &base);
    found.sort();
    let mut expected = vec![
        ("verify-draft-online", "realisations/brouillon-secret/"),
        ("verify-missing", pdf),
        ("verify-page-different", "parcours/"),
        ("verify-stale-page", "realisations/ancienne-realisation/"),
        ("verify-table-stale", "tableau-de-synthese.xlsx"),
        ("verify-wrong-base", "stages/"),
    ]
    .into_iter()
    .map(|(c, u)| (c.to_owned(), format!("{base}{u}")))
    .collect::<Vec<_>>();
    expected.sort();
    assert_eq!(found, expected, "{doc:#}");
    assert_eq!(code, Some(1));
    // Each finding is on its source file, so that GitHub shows it there.
    let on_file = |code: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .and_then(|f| f["location"]["file"].as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        on_file("verify-missing").as_deref(),
        Some("content/realisations/deploiement-glpi/procedure-installation-glpi.pdf")
    );
    assert_eq!(
        on_file("verify-wrong-base").as_deref(),
        Some("content/stages.md")
    );
    assert_eq!(
        on_file("verify-draft-online").as_deref(),
        Some("content/realisations/brouillon-secret.md")
    );
    assert_eq!(
        on_file("verify-table-stale").as_deref(),
        Some("portfolio.toml")
    );

    // The same report for people and for GitHub Actions.
    let human = p.folio(&["verify", &base]);
    assert_eq!(human.code(), Some(1));
    let text = human.stdout();
    assert!(text.contains("erreur[verify-wrong-base]"), "{text}");
    assert!(text.contains("/ancien-depot/"), "{text}");
    assert!(text.contains(&format!("adresse : {base}{pdf}")), "{text}");
    assert!(text.contains("5 erreurs, 1 avertissement"), "{text}");
    let github = p.folio(&["verify", &base, "--format", "github"]).stdout();
    assert!(
        github.lines().any(
            |l| l.starts_with("::error file=content/stages.md,title=folio verify-wrong-base::")
        ),
        "{github}"
    );
    assert!(
        github.contains("::warning title=folio verify-stale-page::"),
        "{github}"
    );
    assert!(
        github
            .trim_end()
            .ends_with("folio verify : 5 erreur(s), 1 avertissement(s), 0 information(s)"),
        "{github}"
    );
}

#[test]
fn a_whole_site_built_for_another_address_is_one_finding() {
    let p = Portfolio::example();
    let host = Hosted::start();
    host.build(&p, &host.server.url("ancien-depot/"), &host.site());
    let (code, found, _) = verify(&p, &host.base());
    assert_eq!(code, Some(1));
    let wrong: Vec<_> = found
        .iter()
        .filter(|(c, _)| c == "verify-wrong-base")
        .collect();
    assert_eq!(wrong.len(), 1, "{found:?}");
}

#[test]
fn a_broken_link_on_a_published_page_is_named_with_its_target() {
    let p = Portfolio::example();
    let host = Hosted::start();
    let base = host.base();
    host.build(&p, &base, &host.site());
    // The stylesheet lost (a case-sensitive host, a file never pushed): every page's link breaks.
    std::fs::rename(
        host.site().join("syntax.css"),
        host.site().join("Syntax.css"),
    )
    .unwrap();
    let (code, found, _) = verify(&p, &base);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        vec![("verify-missing".to_owned(), format!("{base}syntax.css"))]
    );
}

#[test]
fn nothing_published_or_no_network_is_one_clear_message() {
    let p = Portfolio::example();
    let host = Hosted::start();
    // Nothing at this address (Pages not enabled, wrong repository name).
    let (code, found, _) = verify(&p, &host.base());
    assert_eq!(code, Some(1));
    assert_eq!(found, vec![("verify-site-missing".to_owned(), host.base())]);
    // Nobody listening: what a student sees without network.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/portfolio/");
    let run = p.folio(&["verify", &url]);
    assert_eq!(run.code(), Some(1));
    let out = run.stdout();
    assert_eq!(out.matches("erreur[").count(), 1, "{out}");
    assert!(out.contains("impossible de joindre"), "{out}");
    assert!(out.contains("connexion refusée"), "{out}");
}

#[test]
fn a_folder_in_place_of_the_address_is_the_portfolio_and_a_bad_address_is_named() {
    let p = Portfolio::example();
    let host = Hosted::start();
    host.build(&p, &host.base(), &host.site());
    // Every other command takes the portfolio folder there: so does verify.
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        toml.replace("https://lea-martin.github.io/portfolio/", &host.base()),
    );
    let run = p.folio(&["verify", "."]);
    assert!(run.ok(), "{}{}", run.stdout(), run.stderr());
    for bad in [
        "pas une adresse",
        "ftp://exemple.fr/",
        "127.0.0.1:8765/portfolio/",
    ] {
        let run = p.folio(&["verify", bad]);
        assert_eq!(run.code(), Some(2), "{bad}");
        assert!(
            run.stderr()
                .contains(&format!("adresse invalide pour folio verify : « {bad} »")),
            "{}",
            run.stderr()
        );
        assert!(!run.stderr().contains("--base-url"), "{}", run.stderr());
    }
    // A portfolio that does not build locally, in JSON, is still JSON (for CI).
    p.write("content/realisations/casse.md", "---\ntitle: [\n---\n");
    let run = p.folio(&["verify", &host.base(), "--format", "json"]);
    assert_eq!(run.code(), Some(1));
    let doc: Value = serde_json::from_str(&run.stdout()).expect("JSON on stdout");
    assert_eq!(doc["ok"], false);
    assert!(doc["summary"]["errors"].as_u64().unwrap() >= 1, "{doc}");
}

#[test]
fn the_address_defaults_to_base_url() {
    let p = Portfolio::example();
    let host = Hosted::start();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        toml.replace("https://lea-martin.github.io/portfolio/", &host.base()),
    );
    host.build(&p, &host.base(), &host.site());
    let run = p.folio(&["verify"]);
    assert!(run.ok(), "{}{}", run.stdout(), run.stderr());
    assert!(
        run.stdout().contains("0 erreur, 0 avertissement"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_page_renamed_in_git_is_looked_for_online() {
    let p = Portfolio::example();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(p.path())
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok || std::env::var_os("CI").is_none(), "git {args:?}");
        ok
    };
    if !git(&["init", "-q"]) {
        eprintln!("SKIPPED: git absent");
        return;
    }
    git(&["add", "-A"]);
    git(&["commit", "-qm", "un"]);
    let host = Hosted::start();
    host.build(&p, &host.base(), &host.site());
    git(&[
        "mv",
        "content/realisations/site-association.md",
        "content/realisations/site-du-club.md",
    ]);
    git(&["commit", "-qm", "renommée"]);
    // The host kept the old page and received the new one (a copy over the old files).
    let fresh = tempfile::tempdir().unwrap();
    host.build(&p, &host.base(), fresh.path());
    common::copy_dir(fresh.path(), &host.site());
    let (code, found, _) = verify(&p, &host.base());
    assert_eq!(
        found,
        vec![(
            "verify-stale-page".to_owned(),
            format!("{}realisations/site-association/", host.base())
        )]
    );
    assert_eq!(code, Some(0), "an old page is a warning");
}

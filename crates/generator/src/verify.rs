//! `folio verify`: the published site compared with a local build of the same sources.
//!
//! Every file the build writes must answer 200 with the right content type; pages must
//! carry the same main text (not the same bytes: a host or CDN may rewrite markup);
//! the table and documents must be the very same bytes; every link of every published
//! page must lead somewhere; drafts and old pages must not answer. The HTTP client is
//! the caller's ([`Fetch`]), so that this module is tested without a network.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::build::Loaded;
use crate::diagnostic::Diagnostic;
use crate::output::{MANIFEST, Output};

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// Body (empty unless the status is 200).
    pub body: Vec<u8>,
}

/// Why there was no answer.
#[derive(Debug, Clone)]
pub enum FetchError {
    /// No connection: offline, unknown host, refused, TLS failure.
    Unreachable(String),
    /// The server did not answer in time.
    Timeout,
}

/// An HTTP client: `GET url`, redirects followed.
pub trait Fetch: Sync {
    /// Fetch one address.
    fn get(&self, url: &str) -> Result<Response, FetchError>;
}

/// Where verification stands, for a progress bar.
pub trait Progress: Sync {
    /// More addresses to fetch.
    fn add(&self, n: usize);
    /// One address fetched.
    fn done(&self);
}

impl Progress for () {
    fn add(&self, _: usize) {}
    fn done(&self) {}
}

/// Settings of a verification.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Requests at once.
    pub jobs: usize,
    /// Output paths the site had before (a previous build's manifest, files renamed in
    /// Git): none may still answer.
    pub old_paths: Vec<String>,
}

/// How a file is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An HTML page: same main text.
    Page,
    /// The synthesis table: same bytes.
    Table,
    /// A document to download: same bytes.
    Document,
    /// A stylesheet, image, sitemap: present, of the right type (a CDN may optimise it).
    Asset,
}

/// One file the local build says must be online.
#[derive(Debug, Clone)]
struct Expected {
    path: String,
    url: String,
    kind: Kind,
    source: Option<PathBuf>,
}

/// Compare the site published at `base` (ending with `/`) with `output`, the local build.
pub fn verify(
    loaded: &Loaded,
    output: &Output,
    base: &str,
    fetch: &dyn Fetch,
    progress: &dyn Progress,
    opts: &Options,
) -> Vec<Diagnostic> {
    let run = Run {
        fetch,
        progress,
        jobs: opts.jobs.max(1),
        cache: Mutex::new(HashMap::new()),
    };
    progress.add(1);
    match run.get(base) {
        Err(e) => return vec![unreachable(base, &e, true)],
        Ok(r) if r.status != 200 => return vec![site_missing(base, r.status)],
        Ok(_) => {}
    }
    let expected = plan(loaded, output, base);
    run.get_all(expected.iter().map(|e| e.url.clone()).collect());
    let mut findings = Vec::new();
    for e in &expected {
        findings.extend(compare(e, &run.cached(&e.url), output));
    }
    findings.extend(links(&run, &expected, base));
    findings.extend(leftovers(&run, loaded, output, base, opts));
    findings
}

/// Every file of the local build, with its address and how to compare it.
fn plan(loaded: &Loaded, output: &Output, base: &str) -> Vec<Expected> {
    let site = &loaded.site;
    let mut sources: HashMap<String, PathBuf> = HashMap::new();
    for d in &site.documents {
        sources.insert(format!("{}index.html", d.rel_url), d.source.clone());
    }
    for a in &site.assets {
        let rel = a.source.strip_prefix(&site.root).unwrap_or(&a.source);
        sources.insert(a.rel_path.clone(), rel.to_owned());
    }
    let table = &site.config.table.file;
    output
        .files
        .keys()
        // GitHub Pages serves the 404 page with a 404; .nojekyll is an instruction to it.
        .filter(|p| !matches!(p.as_str(), "404.html" | ".nojekyll"))
        .map(|path| {
            let kind = if path == table {
                Kind::Table
            } else {
                kind_of(path)
            };
            let source = sources.get(path).cloned().or_else(|| {
                (kind == Kind::Table).then(|| PathBuf::from(crate::config::CONFIG_FILE))
            });
            Expected {
                url: url_of(base, path),
                path: path.clone(),
                kind,
                source,
            }
        })
        .collect()
}

fn kind_of(path: &str) -> Kind {
    let ext = extension(path);
    match ext.as_str() {
        "html" => Kind::Page,
        "css" | "js" | "xml" | "txt" | "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg"
        | "ico" => Kind::Asset,
        _ => Kind::Document,
    }
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase())
}

/// The address of an output file: a folder's `index.html` is the folder itself.
fn url_of(base: &str, path: &str) -> String {
    let path = if path == "index.html" {
        ""
    } else {
        path.strip_suffix("/index.html")
            .map_or(path, |dir| &path[..dir.len() + 1])
    };
    format!("{base}{}", encode_path(path))
}

/// Percent-encode what may not appear as such in a URL path.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Content types a file may be served with (`None`: any).
fn accepted_types(path: &str) -> Option<&'static [&'static str]> {
    Some(match extension(path).as_str() {
        "html" => &["text/html"],
        "css" => &["text/css"],
        "js" => &["text/javascript", "application/javascript"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "gif" => &["image/gif"],
        "webp" => &["image/webp"],
        "svg" => &["image/svg+xml"],
        "pdf" => &["application/pdf", "application/octet-stream"],
        "xlsx" => &[
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/octet-stream",
        ],
        "xml" => &["application/xml", "text/xml"],
        "txt" => &["text/plain"],
        _ => return None,
    })
}

/// Fetches, bounded to `jobs` at once, each address once.
struct Run<'a> {
    fetch: &'a dyn Fetch,
    progress: &'a dyn Progress,
    jobs: usize,
    cache: Mutex<HashMap<String, Result<Response, FetchError>>>,
}

impl Run<'_> {
    fn get(&self, url: &str) -> Result<Response, FetchError> {
        if let Some(r) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(url)
        {
            return r.clone();
        }
        let r = self.fetch.get(url);
        self.progress.done();
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(url.to_owned(), r.clone());
        r
    }

    fn cached(&self, url: &str) -> Result<Response, FetchError> {
        self.get(url)
    }

    /// Fetch every address not fetched yet, `jobs` at a time.
    fn get_all(&self, urls: Vec<String>) {
        let todo: Vec<String> = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            let unique: BTreeSet<String> = urls
                .into_iter()
                .filter(|u| !cache.contains_key(u))
                .collect();
            unique.into_iter().collect()
        };
        self.progress.add(todo.len());
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..self.jobs.min(todo.len()) {
                s.spawn(|| {
                    while let Some(url) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let _ = self.get(url);
                    }
                });
            }
        });
    }
}

/// One file online against the local build.
fn compare(e: &Expected, got: &Result<Response, FetchError>, output: &Output) -> Vec<Diagnostic> {
    let r = match got {
        Err(err) => return vec![unreachable(&e.url, err, false).at_source(e)],
        Ok(r) => r,
    };
    if r.status != 200 {
        return vec![missing(e, r.status)];
    }
    if let Some(types) = accepted_types(&e.path) {
        let got_type = r
            .content_type
            .as_deref()
            .and_then(|t| t.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let ok = types.contains(&got_type.as_str())
            || (e.kind == Kind::Asset
                && types[0].starts_with("image/")
                && got_type.starts_with("image/"));
        if !ok {
            return vec![
                Diagnostic::error(
                    "verify-content-type",
                    format!(
                        "servi comme « {} » au lieu de « {} » : le navigateur ne l'affichera pas comme prévu",
                        if got_type.is_empty() { "(aucun type)" } else { &got_type },
                        types[0]
                    ),
                )
                .url(&e.url)
                .at_source(e)
                .hint("vérifiez l'hébergement : GitHub Pages donne le bon type d'après l'extension du fichier"),
            ];
        }
    }
    let Some(local) = output.files.get(&e.path).and_then(|f| f.read().ok()) else {
        return Vec::new();
    };
    match e.kind {
        Kind::Page => page_difference(e, &local, &r.body).into_iter().collect(),
        Kind::Table if local[..] != r.body[..] => vec![
            Diagnostic::error(
                "verify-table-stale",
                "le tableau de synthèse en ligne n'est pas celui que donnent vos fiches (ancienne version ?)",
            )
            .url(&e.url)
            .at_source(e)
            .hint("republiez le site (onglet Actions : le dernier workflow a-t-il réussi ?) ; le jury télécharge ce fichier"),
        ],
        Kind::Document if local[..] != r.body[..] => vec![
            Diagnostic::error(
                "verify-file-different",
                format!(
                    "le document en ligne diffère de celui du portfolio ({} octets en ligne, {} en local)",
                    r.body.len(),
                    local.len()
                ),
            )
            .url(&e.url)
            .at_source(e)
            .hint("poussez la dernière version (git add, commit, push) et attendez la fin de la publication"),
        ],
        _ => Vec::new(),
    }
}

/// The main text of a page online against the local one, compared by hash.
fn page_difference(e: &Expected, local: &[u8], online: &[u8]) -> Option<Diagnostic> {
    let mine = crate::html::main_text(&String::from_utf8_lossy(local));
    let theirs = crate::html::main_text(&String::from_utf8_lossy(online));
    if fnv1a(&mine) == fnv1a(&theirs) {
        return None;
    }
    let (a, b) = first_difference(&mine, &theirs);
    Some(
        Diagnostic::error(
            "verify-page-different",
            format!("la page en ligne n'a pas le même contenu : en ligne « {b} », attendu « {a} »"),
        )
        .url(&e.url)
        .at_source(e)
        .hint("republiez le site (onglet Actions : le dernier workflow a-t-il réussi ?) ; sur un autre hébergeur, copiez tout le dossier public/"),
    )
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A few words around the first word that differs, in each text.
fn first_difference(a: &str, b: &str) -> (String, String) {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let i = wa.iter().zip(&wb).take_while(|(x, y)| x == y).count();
    let around = |w: &[&str]| {
        let from = i.saturating_sub(3);
        let words = w.get(from..(i + 5).min(w.len())).unwrap_or(&[]).join(" ");
        if words.is_empty() {
            "(rien)".to_owned()
        } else {
            format!("…{words}…")
        }
    };
    (around(&wa), around(&wb))
}

/// Every link of every published page leads somewhere on the same server.
fn links(run: &Run<'_>, expected: &[Expected], base: &str) -> Vec<Diagnostic> {
    let known: HashMap<String, &Expected> = expected.iter().map(|e| (e.url.clone(), e)).collect();
    let origin = origin_of(base);
    // target → pages that link to it
    let mut targets: BTreeMap<String, Vec<&Expected>> = BTreeMap::new();
    for e in expected.iter().filter(|e| e.kind == Kind::Page) {
        let Ok(r) = run.cached(&e.url) else { continue };
        if r.status != 200 {
            continue;
        }
        let scan = crate::html::scan(&String::from_utf8_lossy(&r.body));
        for link in scan.links {
            let Some(target) = resolve(&e.url, &link) else {
                continue;
            };
            if !target.starts_with(&format!("{origin}/")) {
                continue;
            }
            let target = canonical(&target, &known);
            // Already compared (and reported if missing).
            if known.contains_key(&target) {
                continue;
            }
            targets.entry(target).or_default().push(e);
        }
    }
    run.get_all(targets.keys().cloned().collect());
    let base_path = &base[origin.len()..];
    let mut wrong_base: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut findings = Vec::new();
    for (target, pages) in &targets {
        if matches!(run.cached(target), Ok(ref r) if r.status == 200) {
            continue;
        }
        let path = &target[origin.len()..];
        if let Some(prefix) = other_base(path, base_path, &known, &origin) {
            for page in pages {
                let entry = wrong_base
                    .entry(page.url.clone())
                    .or_insert((prefix.clone(), 0));
                entry.1 += 1;
            }
            continue;
        }
        findings.push(broken_link(target, pages, run));
    }
    // A whole site built for another address is one mistake, said once.
    if wrong_base.len() > 3 {
        let (first, (prefix, _)) = wrong_base.iter().next().expect("more than three");
        findings.push(
            Diagnostic::error(
                "verify-wrong-base",
                format!(
                    "{} pages en ligne ont été générées pour une autre adresse : leurs liens vont vers {prefix}… au lieu de {base_path}…",
                    wrong_base.len()
                ),
            )
            .url(first)
            .in_file(Path::new(crate::config::CONFIG_FILE))
            .hint("base_url ne correspond pas à l'adresse du dépôt : laissez le workflow de folio init générer le site (il donne l'adresse de GitHub Pages), ou corrigez base_url et republiez"),
        );
        return findings;
    }
    for (page_url, (prefix, n)) in wrong_base {
        let page = known[&page_url];
        findings.push(
            Diagnostic::error(
                "verify-wrong-base",
                format!(
                    "la page en ligne a été générée pour une autre adresse : {n} lien(s) vers {prefix}… au lieu de {base_path}…"
                ),
            )
            .url(&page_url)
            .at_source(page)
            .hint("base_url ne correspond pas à l'adresse du dépôt : laissez le workflow de folio init générer le site (il donne l'adresse de GitHub Pages), ou corrigez base_url et republiez"),
        );
    }
    findings
}

fn broken_link(target: &str, pages: &[&Expected], run: &Run<'_>) -> Diagnostic {
    let status = match run.cached(target) {
        Ok(r) => format!("répond {}", r.status),
        Err(_) => "ne répond pas".to_owned(),
    };
    let first = pages[0];
    let others = if pages.len() > 1 {
        format!(" et {} autre(s) page(s)", pages.len() - 1)
    } else {
        String::new()
    };
    Diagnostic::error(
        "verify-link-broken",
        format!("lien cassé en ligne vers {target} ({status}) sur {}{others}", first.url),
    )
    .url(target)
    .at_source(first)
    .hint("republiez le site ; si le lien est écrit à la main dans un gabarit ou en HTML, corrigez-le")
}

/// `/autre/x/` when `/portfolio/x/` is a page of the site: the prefix the page was
/// generated for.
fn other_base(
    path: &str,
    base_path: &str,
    known: &HashMap<String, &Expected>,
    origin: &str,
) -> Option<String> {
    if path.starts_with(base_path) && base_path != "/" {
        return None;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    (1..=segments.len().min(3)).find_map(|k| {
        let rest = segments[k..].join("/");
        let candidate = format!("{origin}{base_path}{rest}");
        let hit = known.contains_key(&candidate) || known.contains_key(&format!("{candidate}/"));
        hit.then(|| format!("/{}/", segments[..k].join("/")))
    })
}

/// Drafts and old pages: none may answer.
fn leftovers(
    run: &Run<'_>,
    loaded: &Loaded,
    output: &Output,
    base: &str,
    opts: &Options,
) -> Vec<Diagnostic> {
    // Every file of the build, compared or not (404.html, .nojekyll), is expected online.
    let known: BTreeSet<String> = output.files.keys().map(|p| url_of(base, p)).collect();
    // A host that answers 200 for any address (a catch-all page) would make every
    // probe look online: then they mean nothing.
    let nowhere = format!("{base}folio-verify-adresse-inexistante/");
    run.get_all(vec![nowhere.clone(), format!("{base}{MANIFEST}")]);
    if matches!(run.cached(&nowhere), Ok(ref r) if r.status == 200) {
        return Vec::new();
    }
    let drafts: BTreeMap<String, PathBuf> = loaded
        .site
        .drafts
        .iter()
        .map(|(source, rel)| (format!("{base}{}", encode_path(rel)), source.clone()))
        .collect();
    let mut old: BTreeSet<String> = opts.old_paths.iter().map(|p| url_of(base, p)).collect();
    old.extend(online_manifest(run, base).iter().map(|p| url_of(base, p)));
    old.extend(online_sitemap(run, base));
    old.retain(|u| !known.contains(u) && !drafts.contains_key(u) && u.starts_with(base));
    run.get_all(drafts.keys().chain(&old).cloned().collect());
    let answers = |u: &str| matches!(run.cached(u), Ok(ref r) if r.status == 200);
    let mut findings: Vec<Diagnostic> = drafts
        .iter()
        .filter(|(u, _)| answers(u))
        .map(|(u, source)| {
            Diagnostic::error(
                "verify-draft-online",
                "un brouillon (draft: true) est en ligne",
            )
            .url(u)
            .in_file(source)
            .hint("republiez le site : la génération actuelle ne publie pas les brouillons")
        })
        .collect();
    findings.extend(old.iter().filter(|u| answers(u)).map(|u| {
        Diagnostic::warning(
            "verify-stale-page",
            "une ancienne adresse répond encore (page renommée ou supprimée, laissée en ligne)",
        )
        .url(u)
        .hint("publiez avec le workflow de folio init (il remplace tout le site), ou supprimez ce fichier de l'hébergement")
    }));
    findings
}

/// The files of the published build, from its `.folio-manifest`.
fn online_manifest(run: &Run<'_>, base: &str) -> Vec<String> {
    match run.cached(&format!("{base}{MANIFEST}")) {
        Ok(r) if r.status == 200 => String::from_utf8_lossy(&r.body)
            .lines()
            .filter(|l| !l.starts_with('#') && crate::output::is_safe_relative(l))
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The pages the published sitemap lists.
fn online_sitemap(run: &Run<'_>, base: &str) -> Vec<String> {
    match run.cached(&format!("{base}sitemap.xml")) {
        Ok(r) if r.status == 200 => String::from_utf8_lossy(&r.body)
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .map(|u| crate::html::decode_entities(u.trim()))
            .collect(),
        _ => Vec::new(),
    }
}

/// `https://host` of an address.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url[..end].to_owned()
}

/// A link as the browser resolves it against its page, without the fragment; `None`
/// for what is not fetched (`mailto:`, `#top`, `javascript:`).
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.trim();
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(link.to_owned());
    }
    if let Some(rest) = link.strip_prefix("//") {
        let scheme = page.split("://").next().unwrap_or("https");
        return Some(format!("{scheme}://{rest}"));
    }
    if lower.split_once(':').is_some_and(|(s, _)| !s.contains('/')) {
        return None;
    }
    let origin = origin_of(page);
    let joined = if link.starts_with('/') {
        link.to_owned()
    } else {
        let page_path = page[origin.len()..].split('?').next().unwrap_or("/");
        let dir = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{link}")
    };
    Some(format!("{origin}{}", normalize(&joined)))
}

/// `/a/./b/../c` → `/a/c`, the query kept.
fn normalize(path: &str) -> String {
    let (path, query) = path
        .split_once('?')
        .map_or((path, None), |(p, q)| (p, Some(q)));
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, s) in segments.iter().enumerate() {
        match *s {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s if s.is_empty() && i > 0 && i < segments.len() - 1 => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if matches!(segments.last(), Some(&".") | Some(&"..")) {
        out.push('/');
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    match query {
        Some(q) => format!("{out}?{q}"),
        None => out,
    }
}

/// The address under which a link's target was compared: `x/index.html` and `x` are `x/`.
fn canonical(target: &str, known: &HashMap<String, &Expected>) -> String {
    if let Some(dir) = target.strip_suffix("index.html")
        && known.contains_key(dir)
    {
        return dir.to_owned();
    }
    let with_slash = format!("{target}/");
    if known.contains_key(&with_slash) {
        return with_slash;
    }
    target.to_owned()
}

fn missing(e: &Expected, status: u16) -> Diagnostic {
    let (what, hint) = match e.kind {
        Kind::Page => (
            "page absente en ligne",
            "republiez le site (onglet Actions : le dernier workflow a-t-il réussi ?)",
        ),
        Kind::Table => (
            "tableau de synthèse absent en ligne",
            "republiez le site : le jury doit pouvoir télécharger le tableau",
        ),
        Kind::Document | Kind::Asset => (
            "fichier absent en ligne",
            "le fichier a-t-il été ajouté au dépôt (git add, commit, push) ? En ligne, la casse compte : Photo.PNG n'est pas photo.png",
        ),
    };
    Diagnostic::error("verify-missing", format!("{what} (réponse {status})"))
        .url(&e.url)
        .at_source(e)
        .hint(hint)
}

fn site_missing(base: &str, status: u16) -> Diagnostic {
    Diagnostic::error(
        "verify-site-missing",
        format!("rien n'est publié à cette adresse (réponse {status})"),
    )
    .url(base)
    .hint("vérifiez l'adresse (base_url, ou folio verify URL), que GitHub Pages est activé (Settings → Pages → Source : GitHub Actions) et que le dernier workflow de l'onglet Actions a réussi")
}

fn unreachable(url: &str, e: &FetchError, whole_site: bool) -> Diagnostic {
    let host = origin_of(url);
    let message = match (e, whole_site) {
        (FetchError::Unreachable(why), true) => format!(
            "impossible de joindre {host} : pas de connexion à Internet, ou adresse introuvable ({why})"
        ),
        (FetchError::Timeout, true) => format!("{host} ne répond pas (délai dépassé)"),
        (FetchError::Unreachable(why), false) => format!("pas de réponse ({why})"),
        (FetchError::Timeout, false) => "pas de réponse (délai dépassé)".to_owned(),
    };
    Diagnostic::error("verify-unreachable", message)
        .url(url)
        .hint("vérifiez la connexion (Wi-Fi, proxy de l'établissement : variable HTTPS_PROXY) et l'adresse, puis relancez folio verify")
}

trait AtSource {
    fn at_source(self, e: &Expected) -> Self;
}

impl AtSource for Diagnostic {
    /// The source file behind a published file, so that GitHub shows the finding on it.
    fn at_source(self, e: &Expected) -> Self {
        match &e.source {
            Some(s) => self.in_file(s),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_as_in_a_browser() {
        let page = "https://lea.github.io/portfolio/realisations/vpn/";
        let r = |l: &str| resolve(page, l);
        assert_eq!(
            r("../glpi/").unwrap(),
            "https://lea.github.io/portfolio/realisations/glpi/"
        );
        assert_eq!(
            r("cr.pdf#p2").unwrap(),
            "https://lea.github.io/portfolio/realisations/vpn/cr.pdf"
        );
        assert_eq!(
            r("/portfolio/").unwrap(),
            "https://lea.github.io/portfolio/"
        );
        assert_eq!(r("//cdn.x/a.css").unwrap(), "https://cdn.x/a.css");
        assert_eq!(r("../../../../x").unwrap(), "https://lea.github.io/x");
        for none in ["#contenu", "mailto:lea@x.fr", "tel:0102", "javascript:x()"] {
            assert!(r(none).is_none(), "{none}");
        }
    }

    #[test]
    fn addresses_of_output_files() {
        let base = "http://h/p/";
        assert_eq!(url_of(base, "index.html"), "http://h/p/");
        assert_eq!(url_of(base, "a/b/index.html"), "http://h/p/a/b/");
        assert_eq!(
            url_of(base, "documents/été 1.pdf"),
            "http://h/p/documents/%C3%A9t%C3%A9%201.pdf"
        );
        assert_eq!(origin_of(base), "http://h");
    }

    #[test]
    fn the_first_difference_is_shown() {
        let (a, b) = first_difference("un deux trois quatre", "un deux TROIS quatre");
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("…un deux trois quatre…", "…un deux TROIS quatre…")
        );
    }
}

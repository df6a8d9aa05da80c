//! Rendering the model into the site: pages through Tera, plus sitemap, robots.txt,
//! 404 page, highlighting stylesheet and the synthesis table.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::content::{DocTarget, Document, Kind};
use crate::date;
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::{self, LinkTargets, Rendered};
use crate::output::{OutFile, Output, PagePrint};
use crate::site::{Site, competence_rel_url};
use crate::theme::{Theme, ThemeFile};

/// Output path of the "Tableau de synthèse" page.
pub const TABLE_PAGE: &str = "tableau-de-synthese/";

/// Every variable a page template receives: its name, the templates that get it (none
/// listed: all of them) and what it holds. `folio theme doc` prints this list, and a
/// test checks each page's context against it.
pub const VARIABLES: [(&str, &[&str], &str); 10] = [
    (
        "site",
        &[],
        "le portfolio : title, description, language, base_url, candidate (name, option, session, centre, email…), nav, footer_links, competences, contexts, table_url, table_page_url, realisation_count, extra",
    ),
    (
        "theme",
        &[],
        "le thème : name, version, description, builtin (thème intégré de base), options (valeurs choisies dans [theme] ou par défaut)",
    ),
    (
        "current_url",
        &[],
        "adresse de la page, pour marquer le menu (aria-current)",
    ),
    (
        "page_title",
        &[],
        "titre de la page, pour la balise title de l'en-tête",
    ),
    (
        "page",
        &[],
        "la page : title, url, et pour une page écrite en Markdown content (HTML), toc, summary, extra, kind, source",
    ),
    (
        "realisations",
        &[
            "home.html",
            "page.html",
            "realisation.html",
            "realisations.html",
            "competences.html",
            "competence.html",
        ],
        "les réalisations (toutes, ou celles de la compétence), dans l'ordre du tableau : title, url, summary, context, period, competences, codes, technologies, documents, image…",
    ),
    (
        "sections",
        &[
            "home.html",
            "page.html",
            "realisation.html",
            "realisations.html",
        ],
        "les contextes (formation, stages) : id, title, short, realisations",
    ),
    (
        "realisation",
        &["realisation.html"],
        "la réalisation de la page (mêmes champs qu'un élément de realisations)",
    ),
    (
        "competence",
        &["competence.html"],
        "la compétence de la page : code, title, subs, url, count",
    ),
    (
        "synthesis",
        &["tableau.html"],
        "les lignes du tableau de synthèse",
    ),
];

/// Everything links can point to in this site.
pub fn link_targets(site: &Site, theme: &Theme) -> LinkTargets {
    let mut t = LinkTargets {
        base_path: site.config.base_path.clone(),
        ..Default::default()
    };
    for d in &site.documents {
        let key = nfc(crate::content::rel_string(&d.source));
        t.pages.insert(key, d.rel_url.clone());
        t.page_urls.insert(d.rel_url.clone());
    }
    // A page whose front matter is broken is still a page: links to it are not errors.
    for (source, url) in &site.unloaded {
        t.pages
            .insert(nfc(crate::content::rel_string(source)), url.clone());
        t.page_urls.insert(url.clone());
    }
    for extra in ["realisations/", "competences/", TABLE_PAGE] {
        t.page_urls.insert(extra.to_owned());
    }
    for c in &site.referential.competences {
        t.page_urls.insert(competence_rel_url(&c.code));
    }
    t.assets
        .extend(site.assets.iter().map(|a| a.rel_path.clone()));
    t.assets.extend(theme.statics.keys().cloned());
    t.assets.insert(site.config.table.file.clone());
    t
}

/// A path in NFC, the form links are looked up in; most are already (all ASCII ones).
fn nfc(path: String) -> String {
    if unicode_normalization::is_nfc(&path) {
        path
    } else {
        unicode_normalization::UnicodeNormalization::nfc(path.as_str()).collect()
    }
}

/// Where to put a document, with the two forms of `file:` that find it.
fn document_hint(written: &str, targets: &markdown::LinkTargets) -> String {
    if let Some(path) = markdown::document_elsewhere(written, targets) {
        return format!(
            "un fichier de ce nom est publié sous {path} : écrivez file: {path} (ou déplacez le fichier à côté de la réalisation)"
        );
    }
    let name = written.replace('\\', "/");
    let name = name.rsplit('/').next().unwrap_or(&name).to_owned();
    format!(
        "placez « {name} » à côté de la réalisation (dossier content/realisations/…/, et écrivez file: {name}) ou dans static/documents/ (et écrivez file: /documents/{name}) ; vérifiez l'orthographe du nom"
    )
}

/// Who produces an output path, for messages about two sources of one path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Producer {
    /// A Markdown file or a copied file of the portfolio (path relative to its root).
    Source(String),
    /// A page or file folio generates; a portfolio's `static/` may not replace it.
    Generated,
    /// A theme file, or a generated file a portfolio may replace from `static/`.
    Replaceable,
}

/// Every output path with what produces it, before rendering: two sources for one path
/// are an error naming both (a `static/index.html` would silently replace the home page).
pub fn collisions(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let config = &site.config;
    let mut planned: Vec<(String, Producer)> = Vec::new();
    let generated = [
        "realisations/index.html",
        "competences/index.html",
        "404.html",
        "sitemap.xml",
        ".nojekyll",
    ];
    planned.extend(
        generated
            .iter()
            .map(|p| ((*p).to_owned(), Producer::Generated)),
    );
    planned.push((format!("{TABLE_PAGE}index.html"), Producer::Generated));
    planned.push((config.table.file.clone(), Producer::Generated));
    for c in &site.referential.competences {
        planned.push((
            format!("{}index.html", competence_rel_url(&c.code)),
            Producer::Generated,
        ));
    }
    for replaceable in ["syntax.css", "robots.txt"] {
        planned.push((replaceable.to_owned(), Producer::Replaceable));
    }
    planned.extend(
        theme
            .statics
            .keys()
            .map(|k| (k.clone(), Producer::Replaceable)),
    );
    for d in &site.documents {
        if d.kind != Kind::RealisationsIndex {
            let source = crate::content::rel_string(&d.source);
            planned.push((format!("{}index.html", d.rel_url), Producer::Source(source)));
        }
    }
    for a in &site.assets {
        let source = a.source.strip_prefix(&site.root).unwrap_or(&a.source);
        planned.push((
            a.rel_path.clone(),
            Producer::Source(crate::content::rel_string(source)),
        ));
    }
    let mut seen: HashMap<&str, &Producer> = HashMap::new();
    let mut out = Vec::new();
    for (path, producer) in &planned {
        let Some(first) = seen.insert(path, producer) else {
            continue;
        };
        let (a, b) = (first, producer);
        let clash = match (a, b) {
            // static/style.css replaces the theme's: the documented way to restyle.
            (Producer::Replaceable, Producer::Source(s)) if s.starts_with("static/") => None,
            (Producer::Replaceable, Producer::Replaceable) => None,
            (Producer::Source(x), Producer::Source(y)) => {
                Some((y.clone(), format!("même fichier de sortie /{path} que {x}")))
            }
            (Producer::Generated | Producer::Replaceable, Producer::Source(y)) => Some((
                y.clone(),
                format!("prend l'adresse /{path}, que folio génère lui-même"),
            )),
            _ => None,
        };
        if let Some((file, message)) = clash {
            out.push(
                Diagnostic::error("duplicate-url", message)
                    .in_file(Path::new(&file))
                    .hint("renommez ce fichier (ou donnez à la page un champ « slug » différent) : deux sources ne peuvent pas publier la même adresse"),
            );
        }
    }
    out
}

/// Render every document's Markdown, in parallel. Link errors are returned per document.
pub fn render_markdown(
    site: &Site,
    targets: &LinkTargets,
    previous: PreviousSite<'_>,
) -> Vec<Rendered> {
    site.documents
        .par_iter()
        .map(|d| render_document(d, targets, previous))
        .collect()
}

/// Render one document's Markdown, reusing the code blocks its previous page highlighted.
pub fn render_document(
    d: &Document,
    targets: &LinkTargets,
    previous: PreviousSite<'_>,
) -> Rendered {
    let old = previous.page_of(d);
    let reuse = old
        .as_ref()
        .map(|(bytes, _)| crate::highlight::Previous::from_page(bytes))
        .unwrap_or_default();
    let mut rendered = markdown::render(&d.body, &d.source, d.body_line, targets, &reuse);
    rendered.previous_page =
        old.and_then(|(bytes, modified)| Some(crate::output::PagePrint::new(&bytes, modified?)));
    rendered
}

/// The site a previous build wrote, whose pages hold highlighted code to reuse.
#[derive(Debug, Clone, Copy)]
pub enum PreviousSite<'a> {
    /// No previous site.
    None,
    /// On disk (`folio build` reads the page it is about to replace).
    Dir(&'a Path),
    /// In memory (the dev server).
    Output(&'a Output),
}

impl<'a> PreviousSite<'a> {
    /// The previous page of a document with a fenced code block, with its modification
    /// time if it is a file.
    pub fn page_of(self, d: &Document) -> Option<(std::borrow::Cow<'a, [u8]>, Option<SystemTime>)> {
        let has = |fence: &str| memchr::memmem::find(d.body.as_bytes(), fence.as_bytes()).is_some();
        if !(has("```") || has("~~~")) {
            return None;
        }
        let rel = format!("{}index.html", d.rel_url);
        match self {
            PreviousSite::None => None,
            // Never through a link, nor from a FIFO.
            PreviousSite::Dir(dir) => crate::output::read_regular(&dir.join(rel))
                .map(|(bytes, meta)| (std::borrow::Cow::Owned(bytes), meta.modified().ok())),
            PreviousSite::Output(output) => match output.files.get(&rel)? {
                OutFile::Bytes(b) => Some((std::borrow::Cow::Borrowed(&b[..]), None)),
                _ => None,
            },
        }
    }
}

/// A réalisation as templates see it.
#[derive(Debug, Clone, Serialize)]
struct RealisationView {
    title: String,
    url: String,
    summary: Option<String>,
    context: Value,
    period: String,
    start: Option<String>,
    end: Option<String>,
    start_long: Option<String>,
    end_long: Option<String>,
    competences: Vec<Value>,
    codes: Vec<String>,
    technologies: Vec<String>,
    documents: Vec<Value>,
    contribution: Option<String>,
    /// The first picture of its text (a card's thumbnail), if any.
    image: Option<String>,
    extra: serde_json::Map<String, Value>,
}

fn realisation_view(
    site: &Site,
    d: &Document,
    html: &str,
    targets: &LinkTargets,
    errors: &mut Vec<Diagnostic>,
) -> RealisationView {
    let r = site.referential;
    let meta = d
        .realisation
        .as_ref()
        .expect("only called for réalisations");
    let ctx = &r.contexts[meta.context];
    // Each competence once, with the sub-competences tagged under it.
    let mut competences: Vec<Value> = Vec::new();
    let mut by_comp: Vec<(usize, Vec<String>)> = Vec::new();
    for cr in &meta.competences {
        match by_comp.iter_mut().find(|(c, _)| *c == cr.competence) {
            Some((_, subs)) => {
                if let Some(s) = cr.sub {
                    subs.push(r.competences[cr.competence].subs[s].clone());
                }
            }
            None => by_comp.push((
                cr.competence,
                cr.sub
                    .map(|s| r.competences[cr.competence].subs[s].clone())
                    .into_iter()
                    .collect(),
            )),
        }
    }
    for (c, subs) in by_comp {
        let comp = &r.competences[c];
        competences.push(json!({
            "code": comp.code,
            "title": comp.title,
            "subs": subs,
            "url": site.config.url_path(&competence_rel_url(&comp.code)),
        }));
    }
    let source = crate::content::rel_string(&d.source);
    let documents = meta
        .documents
        .iter()
        .map(|doc| match &doc.target {
            // Reported by the checks (link-local-path, link-dangerous); never published as a link.
            DocTarget::File(f) | DocTarget::Url(f) if markdown::is_local_path(f) || markdown::dangerous_scheme(f).is_some() => {
                json!({"title": doc.title, "url": Value::Null, "external": false, "file": Value::Null})
            }
            DocTarget::File(f) => {
                let url = match markdown::resolve_document(f, &source, targets) {
                    Ok(url) => url,
                    Err(_) => {
                        errors.push(
                            Diagnostic::error("document-missing", format!("document introuvable : « {f} »"))
                                .at(Location::line(&source, doc.line))
                                .field("documents")
                                .hint(document_hint(f, targets)),
                        );
                        String::new()
                    }
                };
                // The name the site publishes, as the table shows it.
                let name = url.rsplit('/').next().unwrap_or_default().to_owned();
                json!({"title": doc.title, "url": url, "external": false, "file": name})
            }
            DocTarget::Url(u) => json!({"title": doc.title, "url": u, "external": true, "file": Value::Null}),
        })
        .collect();
    RealisationView {
        title: d.title.clone(),
        url: site.config.url_path(&d.rel_url),
        summary: d.summary.clone(),
        context: json!({"id": ctx.id, "title": ctx.title, "short": ctx.short}),
        period: date::period(meta.start, meta.end),
        start: meta.start.map(|s| s.to_string()),
        end: meta.end.map(|s| s.to_string()),
        start_long: meta.start.map(date::long_fr),
        end_long: meta.end.map(date::long_fr),
        codes: meta.competences.iter().map(|c| r.sub_code(*c)).collect(),
        competences,
        technologies: meta.technologies.clone(),
        documents,
        contribution: meta.contribution.clone(),
        image: first_image(html),
        extra: d.extra.clone(),
    }
}

/// One page to render: its output path, template and context.
struct Job<'a> {
    path: String,
    template: String,
    context: Ctx<'a>,
}

/// A page's template context. A document's is made just before its page is rendered
/// and dropped right after: holding every page's content at once would double the
/// memory of a large portfolio.
enum Ctx<'a> {
    Ready(tera::Context),
    Document(&'a Document, &'a Rendered),
    /// The table page: its rows are made while other pages render (tens of
    /// milliseconds for ten thousand réalisations).
    Table(tera::Context),
}

/// Render the whole site into memory.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
) -> Result<Output, Vec<Diagnostic>> {
    let targets = link_targets(site, theme);
    let rendered = render_markdown(site, &targets, PreviousSite::None);
    render_with(
        site,
        theme,
        tera,
        &targets,
        &rendered,
        None,
        &mut ViewCache::default(),
    )
}

/// Template values of réalisations, kept between rebuilds by the dev server: an edit
/// then serializes one réalisation, not all of them.
#[derive(Default)]
pub struct ViewCache {
    values: HashMap<String, tera::Value>,
}

impl ViewCache {
    /// Forget a réalisation's value (its source changed).
    pub fn invalidate(&mut self, rel_url: &str) {
        self.values.remove(rel_url);
    }
}

/// Which pages to render again after a body edit (the dev server's fast path).
#[derive(Debug, Clone, Default)]
pub struct Only {
    /// URLs (`rel_url`) of the documents whose page to render; `realisations/` renders
    /// the list, whose introduction is `content/realisations/index.md`.
    pub documents: Vec<String>,
}

/// Render from already-rendered Markdown. With `only`, render just those documents
/// plus every page that lists réalisations. Any error fails it.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
    targets: &LinkTargets,
    rendered: &[Rendered],
    only: Option<&Only>,
    cache: &mut ViewCache,
) -> Result<Output, Vec<Diagnostic>> {
    let (output, errors) = render_pages(site, theme, tera, targets, rendered, only, cache, None);
    if errors.is_empty() {
        Ok(output)
    } else {
        Err(errors)
    }
}

/// Where a build writes each page as soon as it is rendered (a staging folder): a
/// large site is then never whole in memory.
pub trait Pages: Sync {
    /// Write a file. With its path and bytes comes what was read of the file it
    /// replaces, if any.
    fn put(&self, rel: &str, bytes: &[u8], previous: Option<&PagePrint>) -> Result<(), Diagnostic>;
    /// The bytes of the file the previous build made at `rel` from inputs with this
    /// fingerprint, if it is still as that build wrote it.
    fn previous_made(&self, rel: &str, fingerprint: u128) -> Option<Vec<u8>>;
    /// Note the fingerprint of the inputs of a file just put (these bytes).
    fn made_from(&self, rel: &str, fingerprint: u128, bytes: &[u8]);
}

/// See [`Pages`].
pub type Sink<'a> = &'a dyn Pages;

/// [`render_with`], giving back what rendered along with the errors. With a `sink`,
/// pages go to it and the output keeps their links and ids ([`Output::scans`]).
#[allow(clippy::too_many_arguments)]
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
    targets: &LinkTargets,
    rendered: &[Rendered],
    only: Option<&Only>,
    cache: &mut ViewCache,
    sink: Option<Sink<'_>>,
) -> (Output, Vec<Diagnostic>) {
    let mut errors: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.errors.iter().cloned())
        .collect();
    let mut shared = Shared::new(site, rendered, targets, cache, &mut errors);
    shared.theme_value = tera::Value::from_serializable(&theme.info);
    let wanted = |rel: &str| only.is_none_or(|o| o.documents.iter().any(|p| p == rel));
    // Pages that list every réalisation come first: each is a long job, and one left
    // for last would keep a single thread busy while the others wait.
    let mut jobs = Vec::new();
    if wanted("realisations/") {
        jobs.push(shared.list_job(rendered));
    }
    if only.is_none() {
        jobs.push(shared.table_job());
        jobs.extend(shared.competence_jobs());
        jobs.push(shared.not_found_job());
    }
    jobs.extend(shared.document_jobs(rendered, &wanted));
    // The highlighting stylesheet (a millisecond) is made while the pages render.
    let (mut output, syntax_css) = rayon::join(
        || render_jobs(&shared, &jobs, tera, theme, sink, &mut errors),
        || only.is_none().then(markdown::syntax_css),
    );
    if let Some(css) = syntax_css {
        add_site_files(site, theme, css, &mut output);
    }
    (output, errors)
}

/// Template values every page shares, computed once per render. Tera 2 values share
/// arrays and maps behind an Arc: each réalisation is serialized once (and kept between
/// rebuilds in the [`ViewCache`]), then cloned cheaply into every page.
struct Shared<'a> {
    site: &'a Site,
    views: HashMap<&'a str, tera::Value>,
    list: tera::Value,
    sections: tera::Value,
    competences: Vec<Value>,
    site_value: tera::Value,
    theme_value: tera::Value,
}

impl<'a> Shared<'a> {
    fn new(
        site: &'a Site,
        rendered: &[Rendered],
        targets: &LinkTargets,
        cache: &mut ViewCache,
        errors: &mut Vec<Diagnostic>,
    ) -> Shared<'a> {
        let views = realisation_values(site, rendered, targets, cache, errors);
        let mut shared = Shared {
            site,
            views,
            list: tera::Value::from(Vec::<tera::Value>::new()),
            sections: tera::Value::from(Vec::<tera::Value>::new()),
            competences: competence_values(site),
            site_value: tera::Value::from(Vec::<tera::Value>::new()),
            theme_value: tera::Value::none(),
        };
        shared.list = shared.in_order(&|_| true);
        shared.sections = shared.section_values();
        shared.site_value = site_value(site, &shared.competences, shared.views.len());
        shared
    }

    /// The réalisations a filter keeps, in table order.
    fn in_order(&self, filter: &dyn Fn(&Document) -> bool) -> tera::Value {
        tera::Value::from(
            self.site
                .realisations()
                .filter(|d| filter(d))
                .map(|d| self.views[d.rel_url.as_str()].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn section_values(&self) -> tera::Value {
        let contexts = &self.site.referential.contexts;
        tera::Value::from(
            contexts
                .iter()
                .enumerate()
                .map(|(i, ctx)| {
                    let mut m: std::collections::BTreeMap<String, tera::Value> =
                        std::collections::BTreeMap::new();
                    m.insert("id".into(), ctx.id.clone().into());
                    m.insert("title".into(), ctx.title.clone().into());
                    m.insert("short".into(), ctx.short.clone().into());
                    let mine = self.in_order(&|d: &Document| {
                        d.realisation.as_ref().is_some_and(|m| m.context == i)
                    });
                    m.insert("realisations".into(), mine);
                    tera::Value::from(m)
                })
                .collect::<Vec<_>>(),
        )
    }

    fn base_ctx(&self, current: &str, title: &str) -> tera::Context {
        let mut c = tera::Context::new();
        c.insert_value("site", self.site_value.clone());
        c.insert_value("theme", self.theme_value.clone());
        c.insert("current_url", &self.site.config.url_path(current));
        c.insert("page_title", title);
        c
    }

    /// One page per document (home, pages, réalisations) that `wanted` keeps.
    fn document_jobs(
        &self,
        rendered: &'a [Rendered],
        wanted: &dyn Fn(&str) -> bool,
    ) -> Vec<Job<'a>> {
        let mut jobs = Vec::new();
        for (d, md) in self.site.documents.iter().zip(rendered) {
            if !wanted(&d.rel_url) {
                continue;
            }
            let template = match d.kind {
                Kind::Home => "home.html",
                Kind::Page => "page.html",
                // Rendered by list_job, as the introduction of the réalisations list.
                Kind::RealisationsIndex => continue,
                Kind::Realisation => "realisation.html",
            };
            let template = d
                .extra
                .get("template")
                .and_then(Value::as_str)
                .unwrap_or(template)
                .to_owned();
            jobs.push(Job {
                path: format!("{}index.html", d.rel_url),
                template,
                context: Ctx::Document(d, md),
            });
        }
        jobs
    }

    /// The context of a document's page.
    fn document_context(&self, d: &Document, md: &Rendered) -> tera::Context {
        let mut ctx = self.base_ctx(&d.rel_url, &d.title);
        if d.kind == Kind::Realisation {
            ctx.insert_value("realisation", self.views[d.rel_url.as_str()].clone());
        }
        ctx.insert_value("page", self.page_value(d, md));
        ctx.insert_value("realisations", self.list.clone());
        ctx.insert_value("sections", self.sections.clone());
        ctx
    }

    fn context<'j>(&self, job: &'j Job<'_>) -> std::borrow::Cow<'j, tera::Context> {
        match &job.context {
            Ctx::Ready(c) => std::borrow::Cow::Borrowed(c),
            Ctx::Document(d, md) => std::borrow::Cow::Owned(self.document_context(d, md)),
            Ctx::Table(base) => {
                let mut ctx = base.clone();
                ctx.insert("synthesis", &self.site.synthesis());
                std::borrow::Cow::Owned(ctx)
            }
        }
    }

    /// The `page` value, made directly: its content is most of a page's bytes, copied
    /// once here (through a JSON value, it was copied twice).
    fn page_value(&self, d: &Document, md: &Rendered) -> tera::Value {
        let mut page = tera::Map::with_capacity(8);
        let mut put = |key: &'static str, value: tera::Value| {
            page.insert(key.into(), value);
        };
        put("title", d.title.as_str().into());
        put("url", self.site.config.url_path(&d.rel_url).into());
        put("content", md.html.as_str().into());
        put("toc", tera::Value::from_serializable(&md.toc));
        put("summary", d.summary.as_deref().into());
        put("extra", tera::Value::from_serializable(&d.extra));
        put("kind", tera::Value::from_serializable(&d.kind));
        put("source", crate::content::rel_string(&d.source).into());
        tera::Value::from(page)
    }

    /// The réalisations list, with its optional introduction.
    fn list_job(&self, rendered: &[Rendered]) -> Job<'a> {
        let config = &self.site.config;
        let intro = self
            .site
            .documents
            .iter()
            .zip(rendered)
            .find(|(d, _)| d.kind == Kind::RealisationsIndex);
        let title = intro.map_or("Réalisations professionnelles".to_owned(), |(d, _)| {
            d.title.clone()
        });
        let mut ctx = self.base_ctx("realisations/", &title);
        let empty = Rendered::default();
        let (d, md) = intro.map_or((None, &empty), |(d, md)| (Some(d), md));
        ctx.insert(
            "page",
            &json!({"title": title, "url": config.url_path("realisations/"), "content": md.html, "toc": md.toc,
                    "summary": d.and_then(|d| d.summary.clone()), "extra": d.map(|d| d.extra.clone()).unwrap_or_default(),
                    "kind": "realisations-index", "source": d.map(|d| crate::content::rel_string(&d.source))}),
        );
        ctx.insert_value("realisations", self.list.clone());
        ctx.insert_value("sections", self.sections.clone());
        Job {
            path: "realisations/index.html".into(),
            template: "realisations.html".into(),
            context: Ctx::Ready(ctx),
        }
    }

    /// The competences index and one page per competence.
    fn competence_jobs(&self) -> Vec<Job<'a>> {
        let config = &self.site.config;
        let mut ctx = self.base_ctx("competences/", "Compétences du bloc 1");
        ctx.insert(
            "page",
            &json!({"title": "Compétences du bloc 1", "url": config.url_path("competences/")}),
        );
        ctx.insert_value("realisations", self.list.clone());
        let mut jobs = vec![Job {
            path: "competences/index.html".into(),
            template: "competences.html".into(),
            context: Ctx::Ready(ctx),
        }];
        for (i, c) in self.site.referential.competences.iter().enumerate() {
            let rel = competence_rel_url(&c.code);
            let title = format!("{} – {}", c.code, c.title);
            let mut ctx = self.base_ctx(&rel, &title);
            let mine = self.in_order(&|d: &Document| {
                d.realisation
                    .as_ref()
                    .is_some_and(|m| m.competences.iter().any(|cr| cr.competence == i))
            });
            ctx.insert(
                "page",
                &json!({"title": title, "url": config.url_path(&rel)}),
            );
            ctx.insert("competence", &self.competences[i]);
            ctx.insert_value("realisations", mine);
            jobs.push(Job {
                path: format!("{rel}index.html"),
                template: "competence.html".into(),
                context: Ctx::Ready(ctx),
            });
        }
        jobs
    }

    /// The synthesis table page.
    fn table_job(&self) -> Job<'a> {
        let mut ctx = self.base_ctx(TABLE_PAGE, "Tableau de synthèse");
        ctx.insert(
            "page",
            &json!({"title": "Tableau de synthèse", "url": self.site.config.url_path(TABLE_PAGE)}),
        );
        Job {
            path: format!("{TABLE_PAGE}index.html"),
            template: "tableau.html".into(),
            context: Ctx::Table(ctx),
        }
    }

    fn not_found_job(&self) -> Job<'a> {
        let mut ctx = self.base_ctx("404.html", "Page introuvable");
        ctx.insert(
            "page",
            &json!({"title": "Page introuvable", "url": self.site.config.url_path("404.html")}),
        );
        Job {
            path: "404.html".into(),
            template: "404.html".into(),
            context: Ctx::Ready(ctx),
        }
    }
}

/// The `src` of the first `<img>` of rendered Markdown, unescaped (templates escape it
/// again).
fn first_image(html: &str) -> Option<String> {
    // memmem: a rendered page is kilobytes of text, searched once per réalisation.
    let tag = &html[memchr::memmem::find(html.as_bytes(), b"<img ")?..];
    let tag = &tag[..tag.find('>')?];
    let src = tag.split(" src=\"").nth(1)?.split('"').next()?;
    let src = src
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (!src.is_empty()).then_some(src)
}

/// Each réalisation's template value, from the cache when it is there.
fn realisation_values<'a>(
    site: &'a Site,
    rendered: &[Rendered],
    targets: &LinkTargets,
    cache: &mut ViewCache,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, tera::Value> {
    let pairs: Vec<(&'a Document, &Rendered)> = site
        .documents
        .iter()
        .zip(rendered)
        .filter(|(d, _)| d.kind == Kind::Realisation)
        .collect();
    // Views the cache lacks, made in parallel (every one of them on a first render).
    let made: Vec<Option<(tera::Value, Vec<Diagnostic>)>> = pairs
        .par_iter()
        .map(|(d, md)| {
            if cache.values.contains_key(&d.rel_url) {
                return None;
            }
            let mut view_errors = Vec::new();
            let view = realisation_view(site, d, &md.html, targets, &mut view_errors);
            Some((tera::Value::from_serializable(&view), view_errors))
        })
        .collect();
    let mut values = HashMap::with_capacity(pairs.len());
    for ((d, _), made) in pairs.into_iter().zip(made) {
        let value = match made {
            None => cache.values[&d.rel_url].clone(),
            Some((v, view_errors)) => {
                // A view with errors is computed again next time, so its errors are too.
                if view_errors.is_empty() {
                    cache.values.insert(d.rel_url.clone(), v.clone());
                }
                errors.extend(view_errors);
                v
            }
        };
        values.insert(d.rel_url.as_str(), value);
    }
    values
}

/// The competences with their wording, page and number of réalisations.
fn competence_values(site: &Site) -> Vec<Value> {
    let r = site.referential;
    r.competences
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let count = site
                .realisations()
                .filter(|d| {
                    d.realisation
                        .as_ref()
                        .is_some_and(|m| m.competences.iter().any(|cr| cr.competence == i))
                })
                .count();
            json!({"code": c.code, "title": c.title, "subs": c.subs, "url": site.config.url_path(&competence_rel_url(&c.code)), "count": count})
        })
        .collect()
}

/// The menu and the footer links: top-level pages in the menu, the legal notice and
/// nested pages in the footer, unless a page says `menu: true/false`.
fn navigation(site: &Site) -> (Vec<Value>, Vec<Value>) {
    let config = &site.config;
    let mut nav = vec![json!({"title": "Accueil", "url": config.url_path("")})];
    let mut footer_links = Vec::new();
    for p in site.pages() {
        let item = json!({"title": p.title, "url": config.url_path(&p.rel_url)});
        let default_menu = p.slug != "mentions-legales" && p.rel_url.matches('/').count() == 1;
        if p.extra
            .get("menu")
            .and_then(Value::as_bool)
            .unwrap_or(default_menu)
        {
            nav.push(item);
        } else {
            footer_links.push(item);
        }
    }
    nav.push(json!({"title": "Réalisations", "url": config.url_path("realisations/")}));
    nav.push(json!({"title": "Compétences", "url": config.url_path("competences/")}));
    nav.push(json!({"title": "Tableau de synthèse", "url": config.url_path(TABLE_PAGE)}));
    (nav, footer_links)
}

/// The `site` value of every template.
fn site_value(site: &Site, competences: &[Value], realisation_count: usize) -> tera::Value {
    let (config, r) = (&site.config, site.referential);
    let (nav, footer_links) = navigation(site);
    tera::Value::from_serializable(&json!({
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "candidate": config.candidate,
        "nav": nav,
        "footer_links": footer_links,
        "table_url": config.url_path(&config.table.file),
        "table_file": config.table.file,
        "table_page_url": config.url_path(TABLE_PAGE),
        "competences": competences,
        "contexts": r.contexts,
        "referential": {"diploma": r.diploma, "block": r.block, "exam": r.exam},
        "extra": config.extra,
        "realisation_count": realisation_count,
    }))
}

/// Render the pages in parallel; a template error is reported once.
fn render_jobs(
    shared: &Shared<'_>,
    jobs: &[Job<'_>],
    tera: &tera::Tera,
    theme: &Theme,
    sink: Option<Sink<'_>>,
    errors: &mut Vec<Diagnostic>,
) -> Output {
    let results: Vec<Result<(String, Page), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            // A page is its Markdown plus the theme's few kilobytes.
            let size = match &job.context {
                Ctx::Document(_, md) => md.html.len() + 8 * 1024,
                Ctx::Ready(_) | Ctx::Table(_) => 16 * 1024,
            };
            let mut bytes = Vec::with_capacity(size);
            tera.render_to(&job.template, &shared.context(job), &mut bytes)
                .map_err(|e| theme.template_error(&e))?;
            let page = match sink {
                Some(write) => {
                    // Read while it is at hand, then let it go. (Checked with SIMD: a
                    // French page defeats the standard library's ASCII fast path.)
                    let html = simdutf8::basic::from_utf8(&bytes).map_err(|_| not_utf8(job))?;
                    let scan = crate::html::scan(html);
                    let previous = match &job.context {
                        Ctx::Document(_, md) => md.previous_page.as_ref(),
                        Ctx::Ready(_) | Ctx::Table(_) => None,
                    };
                    write.put(&job.path, &bytes, previous)?;
                    Page::Written(scan)
                }
                None => Page::Html(String::from_utf8(bytes).map_err(|_| not_utf8(job))?),
            };
            Ok((job.path.clone(), page))
        })
        .collect();
    let mut output = Output::default();
    for res in results {
        match res {
            Ok((path, Page::Html(html))) => output.put(path, html),
            Ok((path, Page::Written(scan))) => {
                output.scans.insert(path.clone(), scan);
                output.files.insert(path, OutFile::Written);
            }
            Err(e) => {
                if !errors.contains(&e) {
                    errors.push(e);
                }
            }
        }
    }
    output
}

/// Tera writes only UTF-8 from UTF-8 templates and values: this is not expected.
fn not_utf8(job: &Job<'_>) -> Diagnostic {
    Diagnostic::error(
        "template-error",
        format!(
            "le gabarit {} a produit un texte illisible pour /{}",
            job.template, job.path
        ),
    )
    .hint("signalez le problème à l'auteur du thème ou à folio")
}

/// A rendered page: in memory, or written by the sink with what the checks need.
enum Page {
    Html(String),
    Written(crate::html::PageScan),
}

/// Theme and portfolio files, the highlighting stylesheet, and the files GitHub Pages
/// and search engines read.
fn add_site_files(site: &Site, theme: &Theme, syntax_css: String, output: &mut Output) {
    for (path, file) in &theme.statics {
        output
            .files
            .insert(path.clone(), OutFile::Copy(file.clone()));
    }
    for a in &site.assets {
        output.files.insert(
            a.rel_path.clone(),
            OutFile::Copy(ThemeFile::Disk(a.source.clone())),
        );
    }
    output.put("syntax.css", syntax_css);
    output.put(".nojekyll", "");
    output.put(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.config.base_url
        ),
    );
    output.put("sitemap.xml", sitemap(site));
}

fn sitemap(site: &Site) -> String {
    let c = &site.config;
    let mut urls: Vec<String> = site
        .documents
        .iter()
        .filter(|d| d.kind != Kind::RealisationsIndex)
        .map(|d| c.absolute_url(&d.rel_url))
        .collect();
    urls.push(c.absolute_url("realisations/"));
    urls.push(c.absolute_url("competences/"));
    urls.extend(
        site.referential
            .competences
            .iter()
            .map(|k| c.absolute_url(&competence_rel_url(&k.code))),
    );
    urls.push(c.absolute_url(TABLE_PAGE));
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&u)));
    }
    s.push_str("</urlset>\n");
    s
}

/// Text for an XML document: the five characters XML reserves.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_value_is_what_its_json_form_was() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example-portfolio");
        let loaded = crate::build::load(&root, &Default::default()).unwrap();
        let site = &loaded.site;
        let targets = link_targets(site, &loaded.theme);
        let rendered = render_markdown(site, &targets, PreviousSite::None);
        let (mut cache, mut errors) = (ViewCache::default(), Vec::new());
        let shared = Shared::new(site, &rendered, &targets, &mut cache, &mut errors);
        assert!(site.documents.iter().any(|d| d.summary.is_none()));
        assert!(rendered.iter().any(|r| !r.toc.is_empty()));
        for (d, md) in site.documents.iter().zip(&rendered) {
            let json = json!({
                "title": d.title,
                "url": site.config.url_path(&d.rel_url),
                "content": md.html,
                "toc": md.toc,
                "summary": d.summary,
                "extra": d.extra,
                "kind": d.kind,
                "source": crate::content::rel_string(&d.source),
            });
            assert_eq!(
                shared.page_value(d, md),
                tera::Value::from_serializable(&json),
                "{}",
                d.rel_url
            );
        }
    }

    #[test]
    fn first_image_is_the_first_img_source() {
        let html = "<p>x</p><p><img src=\"/p/a&amp;b.png\" alt=\"A\" /></p><img src=\"/c.png\">";
        assert_eq!(first_image(html).as_deref(), Some("/p/a&b.png"));
        assert_eq!(first_image("<p>rien</p>"), None);
    }
}

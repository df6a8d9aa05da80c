//! Markdown to HTML: CommonMark with GitHub's extensions, heading anchors, alerts,
//! syntax highlighting as CSS classes, and links resolved to the built URLs.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Diagnostic, Location};
use crate::slug::{slugify, slugify_path};

/// The stylesheet for highlighted code (see [`crate::highlight`]).
pub fn syntax_css() -> String {
    crate::highlight::syntax_css()
}

/// Everything a link can point to, to resolve links while rendering.
#[derive(Debug, Default, Clone)]
pub struct LinkTargets {
    /// Source path (`content/parcours.md`, NFC) → site-relative URL (`parcours/`).
    pub pages: HashMap<String, String>,
    /// Site-relative URLs of pages (`parcours/`), to accept links written as URLs.
    pub page_urls: HashSet<String>,
    /// Site-relative paths of every copied file (slugified).
    pub assets: HashSet<String>,
    /// `/portfolio/`.
    pub base_path: String,
}

/// A heading, for a table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain text.
    pub title: String,
}

/// A link found in a page, after resolution, for the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The href written in the output.
    pub href: String,
    /// As written in the Markdown.
    pub written: String,
    /// Line in the source.
    pub line: usize,
    /// An image rather than a link.
    pub image: bool,
    /// Whether the image has alternative text.
    pub has_alt: bool,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML.
    pub html: String,
    /// Headings, in order.
    pub toc: Vec<Heading>,
    /// Every link and image.
    pub links: Vec<FoundLink>,
    /// Links that point nowhere.
    pub errors: Vec<Diagnostic>,
    /// Information for `folio check` (a code block's unknown language).
    pub notes: Vec<Diagnostic>,
    /// The page the previous build wrote for this document, when it was read.
    pub previous_page: Option<crate::output::PagePrint>,
}

/// Render `body` of the file `source` (relative to the portfolio root) whose body starts
/// at `first_line`, reusing the code blocks its `previous` page highlighted.
pub fn render(
    body: &str,
    source: &Path,
    first_line: usize,
    targets: &LinkTargets,
    previous: &crate::highlight::Previous<'_>,
) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    opts.insert(Options::ENABLE_GFM);
    // `[attestation](/documents/Attestation de stage 2.pdf)` is plain text in CommonMark;
    // the intent is plain too: read it as the `<…>` form, which allows spaces.
    let body = &*angle_wrap_spaced_links(body);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| first_line + line_starts.partition_point(|&s| s <= offset) - 1;
    let source_str = crate::content::rel_string(source);

    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids = UsedIds::default();
    // Heading being collected: its start index in `events` and its explicit id.
    let mut heading: Option<(usize, HeadingLevel, Option<String>)> = None;
    // Code block being collected: its language, text and first line.
    let mut code: Option<(String, String, usize)> = None;
    let mut image_start: Option<usize> = None;

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        if let Some((lang, text, line)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let block = crate::highlight::highlight(text, lang, previous);
                    if !block.known {
                        out.notes.push(unknown_language(lang, &source_str, *line));
                    }
                    events.push(Event::Html(block.html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((events.len(), level, id.map(|i| i.to_string())));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _, explicit)) = heading.take() {
                    let inner = &events[start..];
                    let title: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let base = explicit.unwrap_or_else(|| {
                        let s = slugify(&title);
                        if s.is_empty() { "section".into() } else { s }
                    });
                    let id = unique_id(&mut used_ids, &base);
                    let lvl = level as u8;
                    let inner_events: Vec<Event<'_>> = events.drain(start..).collect();
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner_events.into_iter());
                    let attr = escape_attr(&id);
                    events.push(Event::Html(
                        format!(
                            "<h{lvl} id=\"{attr}\">{inner_html} <a class=\"anchor\" href=\"#{attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{lvl}>\n"
                        )
                        .into(),
                    ));
                    out.toc.push(Heading {
                        level: lvl,
                        id,
                        title,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), line_of(range.start)));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                events.push(Event::Html(
                    format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let href = found_link(
                    &mut out,
                    &dest_url,
                    line_of(range.start),
                    false,
                    &source_str,
                    targets,
                );
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: href.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let href = found_link(
                    &mut out,
                    &dest_url,
                    line_of(range.start),
                    true,
                    &source_str,
                    targets,
                );
                image_start = Some(out.links.len() - 1);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: href.into(),
                    title,
                    id,
                }));
            }
            Event::Text(t) => {
                if let Some(i) = image_start
                    && !t.trim().is_empty()
                {
                    out.links[i].has_alt = true;
                }
                events.push(Event::Text(t));
            }
            Event::End(TagEnd::Image) => {
                image_start = None;
                events.push(Event::End(TagEnd::Image));
            }
            // pulldown-cmark's task box has no label: axe-core (WCAG 4.1.2) reports it.
            // The item's text follows; the box says whether it is done.
            Event::TaskListMarker(done) => events.push(Event::InlineHtml(
                if done {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"fait\"> "
                } else {
                    "<input disabled=\"\" type=\"checkbox\" aria-label=\"à faire\"> "
                }
                .into(),
            )),
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Rewrite `[text](address with spaces)` as `[text](<address with spaces>)`, outside
/// code blocks and code spans, keeping a `"title"`. Lines are unchanged, so messages
/// keep pointing at the right line.
fn angle_wrap_spaced_links(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("](") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16);
    for (line, in_code) in lines_with_code(body) {
        if in_code || !line.contains("](") {
            out.push_str(line);
        } else {
            out.push_str(&wrap_line(line));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Each line of `body` (with its `\n`), and whether it belongs to a fenced code block,
/// fences included: the one reading of fences for what scans Markdown source by line.
pub(crate) fn lines_with_code(body: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut fence: Option<&str> = None;
    body.split_inclusive('\n').map(move |line| {
        let trimmed = line.trim_start();
        let n = trimmed
            .bytes()
            .take_while(|&b| b == b'`' || b == b'~')
            .count();
        if n < 3 {
            return (line, fence.is_some());
        }
        let marker = &trimmed[..n];
        match fence {
            Some(open) if marker.starts_with(open) => fence = None,
            None => fence = Some(marker),
            _ => {}
        }
        (line, true)
    })
}

fn wrap_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(i) = rest.find(['`', ']']) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        if from.starts_with('`') {
            // A code span is copied as it is, up to the same number of backticks.
            let ticks = from.chars().take_while(|&c| c == '`').count();
            let close = from[ticks..]
                .find(&"`".repeat(ticks))
                .map(|j| j + 2 * ticks);
            let end = close.unwrap_or(from.len());
            out.push_str(&from[..end]);
            rest = &from[end..];
            continue;
        }
        let Some(inner_and_more) = from.strip_prefix("](") else {
            out.push(']');
            rest = &from[1..];
            continue;
        };
        let mut depth = 0usize;
        let close = inner_and_more.char_indices().find(|&(_, c)| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' if depth == 0 => true,
            ')' => {
                depth -= 1;
                false
            }
            _ => false,
        });
        let Some((end, _)) = close else {
            out.push_str(from);
            rest = "";
            break;
        };
        let inner = &inner_and_more[..end];
        let (dest, title) = split_title(inner.trim());
        if dest.contains(' ') && !dest.starts_with('<') && !dest.contains(['<', '>']) {
            out.push_str(&format!("](<{dest}>{title})"));
        } else {
            out.push_str(&from[..end + 3]);
        }
        rest = &inner_and_more[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `/a b.pdf "Titre"` → (`/a b.pdf`, ` "Titre"`).
fn split_title(inner: &str) -> (&str, &str) {
    for q in ['"', '\''] {
        if inner.ends_with(q)
            && let Some(open) = inner[..inner.len() - 1].rfind(q)
            && inner[..open].ends_with(' ')
        {
            return (inner[..open].trim_end(), &inner[open - 1..]);
        }
    }
    (inner, "")
}

/// Heading ids given so far in a page, and the next suffix to try for each.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

/// `base`, or `base-1`, `base-2`… if taken. Each base remembers its next suffix, so ten
/// thousand identical headings cost ten thousand steps, not fifty million.
fn unique_id(used: &mut UsedIds, base: &str) -> String {
    if used.ids.insert(base.to_owned()) {
        return base.to_owned();
    }
    let n = used.next.entry(base.to_owned()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.ids.insert(id.clone()) {
            return id;
        }
    }
}

/// Resolve a link or image target and record it for the checks. An image's alt text
/// is confirmed later, when its text arrives.
fn found_link(
    out: &mut Rendered,
    dest: &str,
    line: usize,
    image: bool,
    source: &str,
    targets: &LinkTargets,
) -> String {
    let href = resolve_link(dest, source, line, targets, out);
    out.links.push(FoundLink {
        href: href.clone(),
        written: dest.to_owned(),
        line,
        image,
        has_alt: !image,
    });
    href
}

/// The finding for a fenced block whose language folio does not know.
fn unknown_language(lang: &str, source: &str, line: usize) -> Diagnostic {
    let hint = match crate::highlight::nearest_language(lang) {
        Some(n) => format!("le langage connu le plus proche est « {n} » : ```{n}"),
        None => "la liste des langages est dans le README ; ```text pour du texte brut".to_owned(),
    };
    Diagnostic::info(
        "code-language-unknown",
        format!("langage « {lang} » inconnu : le bloc de code n'est pas coloré"),
    )
    .at(Location::line(source, line))
    .hint(hint)
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Remarque"),
        BlockQuoteKind::Tip => ("tip", "Astuce"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Attention"),
        BlockQuoteKind::Caution => ("caution", "Prudence"),
    }
}

/// Text for an HTML element or attribute: `& < > "` escaped, by pulldown-cmark's own
/// escaper so that code and prose are escaped alike.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

fn escape_attr(s: &str) -> String {
    escape_html(s)
}

/// Whether a link leaves the site (`https:`, `mailto:`, `//cdn…`) or stays on the page (`#…`).
pub fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.split_once(':') {
        // "C:\…" is a Windows path, not a scheme: it is not external, it is broken.
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

fn resolve_link(
    dest: &str,
    source: &str,
    line: usize,
    t: &LinkTargets,
    out: &mut Rendered,
) -> String {
    if let Some(scheme) = dangerous_scheme(dest) {
        out.errors.push(
            Diagnostic::error("link-dangerous", format!("lien « {scheme} » refusé : il exécuterait du code ou cacherait un document dans la page"))
                .at(Location::line(source, line))
                .hint("liez une adresse https://… ou un fichier du portfolio (placé dans static/documents/)"),
        );
        return "#".to_owned();
    }
    match resolve_file_as_written(dest, source, t) {
        Ok(href) => href,
        Err(kind) => {
            let (code, msg, hint) = match kind {
                Unresolved::Page(p) => (
                    "link-missing-page",
                    format!("lien vers une page introuvable : « {dest} » ({p} n'existe pas)"),
                    "vérifiez le nom du fichier .md (chemin relatif à ce fichier, par exemple ../parcours.md)",
                ),
                Unresolved::File(p) if dest.contains(' ') => (
                    "link-missing-file",
                    format!("lien vers un fichier introuvable : « {dest} » ({p})"),
                    "une adresse avec des espaces s'écrit entre < > ([attestation](</documents/Attestation de stage.pdf>)) ou avec %20 ; placez le fichier dans static/ (lien /documents/x.pdf) ou à côté de la page",
                ),
                Unresolved::File(p) => (
                    "link-missing-file",
                    format!("lien vers un fichier introuvable : « {dest} » ({p})"),
                    "placez le fichier dans static/ (lien /documents/x.pdf) ou à côté de la page (lien x.pdf)",
                ),
            };
            out.errors.push(
                Diagnostic::error(code, msg)
                    .at(Location::line(source, line))
                    .hint(hint),
            );
            // Reported here, with its line: not again as a link out of the sub-path.
            "#".to_owned()
        }
    }
}

/// The scheme of a link that would run code or smuggle a document in (`javascript:`,
/// `vbscript:`, `data:`), if it is one. Browsers ignore tabs, newlines and case there.
pub fn dangerous_scheme(href: &str) -> Option<&'static str> {
    // The first 16 characters that are not spaces or controls, ASCII lowercased, on
    // the stack: every link of every page passes here. A character outside ASCII
    // matches no scheme, so it stands as a byte that matches none.
    let mut squeezed = [0u8; 16];
    let mut len = 0;
    for c in href
        .trim_start()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
    {
        squeezed[len] = if c.is_ascii() {
            (c as u8).to_ascii_lowercase()
        } else {
            0xFF
        };
        len += 1;
    }
    let squeezed = &squeezed[..len];
    // An inline bitmap image is harmless; SVG and HTML can carry scripts.
    let image = [
        "data:image/png",
        "data:image/jpeg",
        "data:image/gif",
        "data:image/webp",
    ]
    .iter()
    .any(|p| squeezed.starts_with(p.as_bytes()));
    ["javascript:", "vbscript:", "data:"]
        .into_iter()
        .find(|s| squeezed.starts_with(s.as_bytes()) && !image)
}

/// A path on the student's own disk (`C:\\…`, `file:`, `\\\\serveur`).
pub fn is_local_path(href: &str) -> bool {
    let h = href.trim();
    h.starts_with("file:") || h.starts_with("\\\\") || {
        let b = h.as_bytes();
        b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
    }
}

/// An address that only works on the student's machine.
pub fn is_localhost(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    let rest = h
        .strip_prefix("http://")
        .or_else(|| h.strip_prefix("https://"))
        .unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host
        .rsplit_once(':')
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]") || host.ends_with(".localhost")
}

/// Resolve a link written in the file `source` to its href in the built site, or
/// say what is missing.
pub fn resolve_href(dest: &str, source: &str, t: &LinkTargets) -> Result<String, String> {
    resolve(dest, source, t).map_err(|u| match u {
        Unresolved::Page(p) | Unresolved::File(p) => p,
    })
}

/// Resolve a `documents:` file as students write it: next to the réalisation
/// (`procedure.pdf`), from the site root (`/documents/x.zip`), or by its place in the
/// portfolio (`documents/x.zip`, `static/documents/x.zip`, `static\documents\x.zip`).
pub fn resolve_document(file: &str, source: &str, t: &LinkTargets) -> Result<String, String> {
    let written = file.trim().replace('\\', "/");
    let mut tries = vec![written.clone()];
    if let Some(rest) = written
        .strip_prefix("static/")
        .or_else(|| written.strip_prefix("./static/"))
        .or_else(|| written.strip_prefix("/static/"))
    {
        tries.push(format!("/{rest}"));
    }
    if !written.starts_with('/') {
        tries.push(format!("/{written}"));
        // Where the README tells students to put documents.
        tries.push(format!("/documents/{written}"));
    }
    let mut first_error = None;
    for attempt in &tries {
        match resolve_href(attempt, source, t) {
            Ok(href) => return Ok(href),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(written))
}

/// The published file with the same name as a document not found where it was written
/// (`file: x.pdf` for `static/annexes/X.pdf`), as `file:` should name it; `None` when
/// several have that name (another réalisation's `procedure.pdf` is not this one).
pub fn document_elsewhere(file: &str, t: &LinkTargets) -> Option<String> {
    let written = file.trim().replace('\\', "/");
    let name = crate::slug::slugify_path(written.rsplit('/').next().unwrap_or(&written));
    let mut found = t
        .assets
        .iter()
        .filter(|a| a.rsplit('/').next() == Some(name.as_str()));
    match (found.next(), found.next()) {
        (Some(only), None) => Some(format!("/{only}")),
        _ => None,
    }
}

enum Unresolved {
    Page(String),
    File(String),
}

/// A link as [`resolve`] reads it, and a file link that is not found there as a
/// `documents:` file is read: `static\documents\x.pdf` or `documents/x.pdf` written in
/// a réalisation mean the file of the portfolio, in a link as in its front matter.
/// Only a file of the portfolio is taken so: `annexes/` is never another page.
fn resolve_file_as_written(
    dest: &str,
    source: &str,
    t: &LinkTargets,
) -> Result<String, Unresolved> {
    let missing = match resolve(dest, source, t) {
        Err(Unresolved::File(missing)) => missing,
        other => return other,
    };
    let is_asset = |href: &str| {
        href.strip_prefix(t.base_path.as_str())
            .map(|rel| rel.split(['#', '?']).next().unwrap_or(rel))
            .is_some_and(|rel| t.assets.contains(rel))
    };
    match resolve_document(dest, source, t) {
        Ok(href) if is_asset(&href) => Ok(href),
        // Named as the student meant it: static/documents/x.pdf, not
        // realisations/glpi/static/documents/x.pdf.
        _ => {
            let written = dest.replace('\\', "/");
            let meant = written.trim_start_matches("./").trim_start_matches('/');
            if meant.starts_with("static/") || meant.starts_with("documents/") {
                Err(Unresolved::File(meant.to_owned()))
            } else {
                Err(Unresolved::File(missing))
            }
        }
    }
}

fn resolve(dest: &str, source: &str, t: &LinkTargets) -> Result<String, Unresolved> {
    // Local paths are left as written: the checks report them with a specific message.
    if is_local_path(dest) {
        return Ok(dest.to_owned());
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('?') || is_external(dest) {
        return Ok(dest.to_owned());
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded: String = percent_decode(path).nfc().collect();
    let decoded = decoded.replace('\\', "/");
    let root_relative = decoded.starts_with('/');
    let source_dir = source.rsplit_once('/').map_or("", |(d, _)| d);
    // A root-relative link is relative to the portfolio: to content/ for pages, to
    // the site root for files. Students coming from Zola or Astro write these; on a
    // GitHub Pages project site they 404 unless rewritten under the sub-path.
    let joined = if root_relative {
        normalize(decoded.trim_start_matches('/'))
    } else {
        normalize(&format!("{source_dir}/{decoded}"))
    };
    let is_md = decoded.ends_with(".md") || decoded.ends_with(".markdown");
    if is_md {
        let candidates = if root_relative {
            vec![
                format!("content/{}", joined.trim_start_matches("content/")),
                joined.clone(),
            ]
        } else {
            vec![joined.clone()]
        };
        for c in &candidates {
            if let Some(url) = t.pages.get(c) {
                return Ok(format!("{}{url}{fragment}", t.base_path));
            }
        }
        return Err(Unresolved::Page(candidates[0].clone()));
    }
    // static/ is published at the site root: "../static/documents/x.pdf" is "documents/x.pdf".
    let site_rel = if root_relative {
        joined.clone()
    } else {
        joined.trim_start_matches("content/").to_owned()
    };
    let site_rel = site_rel
        .strip_prefix("static/")
        .map_or(site_rel.clone(), str::to_owned);
    let slugged = slugify_path(&site_rel);
    if t.assets.contains(&slugged) {
        return Ok(format!("{}{slugged}{fragment}", t.base_path));
    }
    // A link written as a URL of the site ("/parcours/", "../glpi/").
    let as_page = format!("{}/", slugify_path(site_rel.trim_end_matches('/')));
    if t.page_urls.contains(&as_page) || (site_rel.is_empty() && root_relative) {
        let url = if site_rel.is_empty() {
            String::new()
        } else {
            as_page
        };
        return Ok(format!("{}{url}{fragment}", t.base_path));
    }
    Err(Unresolved::File(if root_relative {
        format!("/{site_rel}")
    } else {
        site_rel
    }))
}

/// Resolve `.`, `..` and empty components of a `/` path; `..` above the root stays at the root.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_open_and_close_by_their_own_marker() {
        let body = "a\n````bash\n~~~\n```\nb\n````\nc\n~~~\nd\n";
        let code: Vec<(&str, bool)> = lines_with_code(body)
            .map(|(l, c)| (l.trim_end(), c))
            .collect();
        assert_eq!(
            code,
            [
                ("a", false),
                ("````bash", true),
                ("~~~", true),
                ("```", true),
                ("b", true),
                ("````", true),
                ("c", false),
                ("~~~", true),
                ("d", true),
            ]
        );
    }

    fn targets() -> LinkTargets {
        let mut t = LinkTargets {
            base_path: "/portfolio/".into(),
            ..Default::default()
        };
        t.pages
            .insert("content/parcours.md".into(), "parcours/".into());
        t.pages.insert(
            "content/realisations/glpi/index.md".into(),
            "realisations/glpi/".into(),
        );
        t.page_urls.insert("parcours/".into());
        t.assets.insert("documents/attestation-ete.pdf".into());
        t.assets.insert("realisations/glpi/procedure.pdf".into());
        t
    }

    /// The scheme test as it was written first, with strings: the reference.
    fn dangerous_scheme_by_strings(href: &str) -> Option<&'static str> {
        let squeezed: String = href
            .trim_start()
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        let image = [
            "data:image/png",
            "data:image/jpeg",
            "data:image/gif",
            "data:image/webp",
        ]
        .iter()
        .any(|p| squeezed.starts_with(p));
        ["javascript:", "vbscript:", "data:"]
            .into_iter()
            .find(|s| squeezed.starts_with(s) && !image)
    }

    #[test]
    fn dangerous_schemes_are_found_through_case_spaces_and_controls() {
        for (href, found) in [
            ("javascript:alert(1)", Some("javascript:")),
            ("  JavaScript:alert(1)", Some("javascript:")),
            ("java\tscript:x", Some("javascript:")),
            ("\u{1}jav\nascript:x", Some("javascript:")),
            ("VBScript:x", Some("vbscript:")),
            ("data:text/html,<script>", Some("data:")),
            ("data:image/svg+xml,<svg>", Some("data:")),
            ("data:image/png;base64,AAAA", None),
            ("DATA:IMAGE/JPEG;base64,AAAA", None),
            ("jävascript:x", None),
            ("/portfolio/realisations/", None),
            ("https://exemple.fr", None),
        ] {
            assert_eq!(dangerous_scheme(href), found, "{href:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn dangerous_scheme_reads_what_the_string_version_read(
            href in r"( |\t|\n|\x00|\x01|\x7f|\xa0|\u{85}|é|j|J|ava|AVA|v|b|script|SCRIPT|data|DATA|:|image/|png|svg|/|\+){0,12}"
        ) {
            proptest::prop_assert_eq!(dangerous_scheme(&href), dangerous_scheme_by_strings(&href));
        }
    }

    fn r(md: &str) -> Rendered {
        render(
            md,
            Path::new("content/realisations/glpi/index.md"),
            10,
            &targets(),
            &crate::highlight::Previous::default(),
        )
    }

    #[test]
    fn links_resolve_under_the_sub_path() {
        let out = r(
            "[p](../../parcours.md#fin) [a](/documents/Attestation%20%C3%89t%C3%A9.pdf) [b](procedure.pdf) [c](/parcours/) [d](https://x.fr)",
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert!(
            out.html.contains("href=\"/portfolio/parcours/#fin\""),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains("href=\"/portfolio/documents/attestation-ete.pdf\"")
        );
        assert!(
            out.html
                .contains("href=\"/portfolio/realisations/glpi/procedure.pdf\"")
        );
        assert!(out.html.contains("href=\"/portfolio/parcours/\""));
        assert!(out.html.contains("href=\"https://x.fr\""));
    }

    #[test]
    fn file_links_written_as_in_the_portfolio_folder_resolve_like_documents() {
        for written in [
            "static/documents/attestation-ete.pdf",
            "static\\documents\\attestation-ete.pdf",
            "documents\\attestation-ete.pdf",
            "/static/documents/attestation-ete.pdf",
        ] {
            let out = r(&format!("[attestation]({written})"));
            assert!(out.errors.is_empty(), "{written}: {:?}", out.errors);
            assert!(
                out.html
                    .contains("href=\"/portfolio/documents/attestation-ete.pdf\""),
                "{written}: {}",
                out.html
            );
        }
        // The file next to the page still comes first, and a missing one is still an error.
        assert!(
            r("[p](procedure.pdf)")
                .html
                .contains("realisations/glpi/procedure.pdf")
        );
        let missing = r("[x](static\\documents\\absente.pdf)");
        assert_eq!(missing.errors[0].code, "link-missing-file");
        assert!(
            missing.errors[0]
                .message
                .contains("(static/documents/absente.pdf)"),
            "{:?}",
            missing.errors
        );
        // A page address is not taken from the site root: the link is still broken.
        assert_eq!(r("[p](parcours/)").errors[0].code, "link-missing-file");
    }

    #[test]
    fn missing_targets_are_errors_with_lines() {
        let out = r("texte\n\n[p](absent.md)\n\n![img](absent.png)");
        assert_eq!(out.errors.len(), 2);
        assert_eq!(out.errors[0].code, "link-missing-page");
        assert_eq!(out.errors[0].location.as_ref().unwrap().line, Some(12));
        assert_eq!(out.errors[1].code, "link-missing-file");
        assert_eq!(out.errors[1].location.as_ref().unwrap().line, Some(14));
    }

    #[test]
    fn headings_get_french_ids_and_anchors() {
        let out =
            r("## Déploiement d'un serveur GLPI\n\n## Bilan\n\n## Bilan\n\n### Autre {#perso}");
        assert!(
            out.html
                .contains("<h2 id=\"deploiement-d-un-serveur-glpi\">"),
            "{}",
            out.html
        );
        assert!(out.html.contains("id=\"bilan-1\""));
        assert!(out.html.contains("id=\"perso\""));
        assert!(out.html.contains("href=\"#bilan\""));
        assert_eq!(out.toc.len(), 4);
    }

    #[test]
    fn extensions_alerts_and_code() {
        let out = r(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~ note[^1]\n\n[^1]: pied\n\n- [x] fait\n\n> [!WARNING]\n> Attention\n\n```bash\necho \"salut\"\n```\n",
        );
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>barré</del>"));
        assert!(out.html.contains("footnote"));
        assert!(out.html.contains("type=\"checkbox\""));
        assert!(
            out.html.contains("aria-label=\""),
            "a task box has a name: {}",
            out.html
        );
        assert!(
            out.html.contains("class=\"alert alert-warning\"")
                && out.html.contains("Attention</p>")
        );
        assert!(out.html.contains("<span class=\"hl-"), "{}", out.html);
        assert!(out.html.contains("data-lang=\"bash\""));
    }

    #[test]
    fn image_alt_is_kept_and_reported() {
        let out = r("![Schéma du réseau](procedure.pdf) ![](procedure.pdf)");
        assert!(out.html.contains("alt=\"Schéma du réseau\""));
        assert!(out.links[0].has_alt && !out.links[1].has_alt);
    }

    #[test]
    fn addresses_with_spaces_are_read_as_links() {
        let out = r(
            "Voir [l'attestation](/documents/Attestation Été.pdf \"signée\") et `[x](a b)`.\n\n```\n[y](c d)\n```\n",
        );
        assert!(
            out.html
                .contains("href=\"/portfolio/documents/attestation-ete.pdf\" title=\"signée\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("<code>[x](a b)</code>"), "{}", out.html);
        assert!(out.html.contains("[y](c d)"), "{}", out.html);
        let out = r("texte\n\n[rapport](/documents/Rapport de stage.pdf)\n");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].location.as_ref().unwrap().line, Some(12));
        assert!(out.errors[0].hint.as_ref().unwrap().contains("%20"));
    }

    #[test]
    fn windows_paths_are_not_external() {
        assert!(!is_external("C:\\Users\\lea\\doc.pdf"));
        assert!(is_external("mailto:lea@x.fr"));
        assert!(is_external("https://x.fr"));
    }
}

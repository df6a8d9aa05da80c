//! The offline copy: the same site, rewritten to open from a folder, a USB key or an
//! unzipped archive by double-clicking `index.html` (`file://`), on any computer.
//!
//! A browser opening `file://` has no server: `/portfolio/x/` means the root of the
//! disk, and a folder shows as a file listing. So every link to the site itself becomes
//! relative (`../../x/index.html`), and what only a web server reads (sitemap, robots.txt,
//! the 404 page) is left out.

use std::collections::BTreeSet;

use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::output::{OutFile, Output};

/// Files only a web server or a search engine reads: not in the offline copy.
pub const SERVER_ONLY: [&str; 4] = ["sitemap.xml", "robots.txt", ".nojekyll", "404.html"];

/// Attributes that hold an address.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "poster", "action"];

/// The offline copy of a built site, and the links it could not make work offline.
pub fn convert(output: &Output, config: &Config) -> (Output, Vec<Diagnostic>) {
    let files: BTreeSet<&str> = output.files.keys().map(String::as_str).collect();
    let links = Links { config, files };
    let mut copy = Output::default();
    let mut findings = Vec::new();
    for (path, file) in &output.files {
        if SERVER_ONLY.contains(&path.as_str()) {
            continue;
        }
        let converted = match file {
            OutFile::Bytes(b) if path.ends_with(".html") => {
                let html = String::from_utf8_lossy(b);
                Some(links.page(path, &html, &mut findings).into_bytes())
            }
            f if path.ends_with(".css") => f.read().ok().map(|bytes| {
                let css = String::from_utf8_lossy(&bytes);
                links.css(path, &css, &mut findings).into_bytes()
            }),
            _ => None,
        };
        match converted {
            Some(bytes) => copy.put(path.clone(), bytes),
            None => {
                copy.files.insert(path.clone(), file.clone());
            }
        }
    }
    (copy, findings)
}

/// What a link to the site becomes offline.
enum Target {
    /// Not a link to the site (another site, `mailto:`, `#anchor`): kept.
    Other,
    /// A file of the copy, as a path relative to the page.
    File(String),
    /// A file the copy leaves out (the sitemap): the link goes.
    Dropped,
    /// Nothing of the site is there.
    Missing,
}

struct Links<'a> {
    config: &'a Config,
    files: BTreeSet<&'a str>,
}

impl Links<'_> {
    /// A page with every link to the site made relative to it.
    fn page(&self, page: &str, html: &str, findings: &mut Vec<Diagnostic>) -> String {
        let missing = std::cell::RefCell::new(Vec::new());
        let handler = element!(
            "[href], [src], [poster], [action], [srcset], [style]",
            |el| {
                for attr in URL_ATTRIBUTES {
                    let Some(value) = el.get_attribute(attr) else {
                        continue;
                    };
                    match self.target(page, &value) {
                        Target::Other => {}
                        Target::File(rel) => el.set_attribute(attr, &rel)?,
                        // A link to the sitemap goes with its text: a dead entry in a
                        // menu is worse than none.
                        Target::Dropped => {
                            el.remove_attribute(attr);
                            if el.tag_name() == "a" {
                                el.remove();
                            }
                        }
                        Target::Missing => missing.borrow_mut().push(value),
                    }
                }
                if let Some(srcset) = el.get_attribute("srcset") {
                    let rewritten = self.srcset(page, &srcset, &mut missing.borrow_mut());
                    el.set_attribute("srcset", &rewritten)?;
                }
                if let Some(style) = el.get_attribute("style") {
                    let rewritten = self.css_urls(page, &style, &mut missing.borrow_mut());
                    el.set_attribute("style", &rewritten)?;
                }
                Ok(())
            }
        );
        let settings = RewriteStrSettings::new().append_element_content_handler(handler);
        // A page folio rendered is valid HTML; if the rewriter fails, the page stays as
        // it was and its links are reported below.
        let out = rewrite_str(html, settings).unwrap_or_else(|_| html.to_owned());
        report(page, missing.into_inner(), findings);
        out
    }

    /// A stylesheet with its `url(…)` to the site made relative to it.
    fn css(&self, path: &str, css: &str, findings: &mut Vec<Diagnostic>) -> String {
        let mut missing = Vec::new();
        let out = self.css_urls(path, css, &mut missing);
        report(path, missing, findings);
        out
    }

    fn css_urls(&self, from: &str, css: &str, missing: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(css.len());
        let mut rest = css;
        while let Some(i) = rest.find("url(") {
            out.push_str(&rest[..i + 4]);
            rest = &rest[i + 4..];
            let end = rest.find(')').unwrap_or(rest.len());
            let raw = rest[..end].trim();
            let quote = raw
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .map_or(String::new(), String::from);
            let value = raw.trim_matches(['"', '\'']);
            match self.target(from, value) {
                Target::File(rel) => out.push_str(&format!("{quote}{rel}{quote}")),
                Target::Missing | Target::Dropped => {
                    missing.push(value.to_owned());
                    out.push_str(&rest[..end]);
                }
                Target::Other => out.push_str(&rest[..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn srcset(&self, from: &str, srcset: &str, missing: &mut Vec<String>) -> String {
        srcset
            .split(',')
            .map(|candidate| {
                let candidate = candidate.trim();
                let (url, size) = candidate.split_once(' ').unwrap_or((candidate, ""));
                let url = match self.target(from, url) {
                    Target::File(rel) => rel,
                    Target::Other => url.to_owned(),
                    Target::Missing | Target::Dropped => {
                        missing.push(url.to_owned());
                        url.to_owned()
                    }
                };
                format!("{url} {size}").trim_end().to_owned()
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Where a link written in `from` (an output path) leads in the offline copy.
    fn target(&self, from: &str, value: &str) -> Target {
        let Some(rest) = self.site_path(value.trim()) else {
            return Target::Other;
        };
        let split = rest.find(['?', '#']).unwrap_or(rest.len());
        let (path, suffix) = rest.split_at(split);
        // Offline, a query means nothing to a file: only the fragment is kept.
        let fragment = suffix.find('#').map_or("", |i| &suffix[i..]);
        let decoded = crate::markdown::percent_decode(path);
        let file = if decoded.is_empty() || decoded.ends_with('/') {
            format!("{path}index.html")
        } else if self.files.contains(decoded.as_str()) {
            path.to_owned()
        } else if self
            .files
            .contains(format!("{decoded}/index.html").as_str())
        {
            format!("{path}/index.html")
        } else {
            return Target::Missing;
        };
        let decoded_file = crate::markdown::percent_decode(&file);
        if SERVER_ONLY.contains(&decoded_file.as_str()) {
            return Target::Dropped;
        }
        if !self.files.contains(decoded_file.as_str()) {
            return Target::Missing;
        }
        let up = "../".repeat(from.matches('/').count());
        Target::File(format!("{up}{file}{fragment}"))
    }

    /// The part of a link after the site's address, when it points into the site:
    /// `/portfolio/x/`, `https://host/portfolio/x/` and `//host/portfolio/x/` all give `x/`.
    fn site_path<'v>(&self, value: &'v str) -> Option<&'v str> {
        let base_path = &self.config.base_path;
        let base_url = &self.config.base_url;
        if base_url.contains("://") {
            let without_scheme = &base_url[base_url.find("//").unwrap_or(0)..];
            for prefix in [base_url.as_str(), without_scheme] {
                if let Some(rest) = value.strip_prefix(prefix) {
                    return Some(rest);
                }
                if value == prefix.trim_end_matches('/') {
                    return Some("");
                }
            }
        }
        if value.starts_with("//") {
            return None;
        }
        if value == base_path.trim_end_matches('/') && !value.is_empty() {
            return Some("");
        }
        value.strip_prefix(base_path.as_str())
    }
}

fn report(file: &str, missing: Vec<String>, findings: &mut Vec<Diagnostic>) {
    for value in missing {
        findings.push(
            Diagnostic::warning(
                "offline-link",
                format!(
                    "copie hors ligne : le lien « {value} » ne mène à aucun fichier de la copie"
                ),
            )
            .in_file(std::path::Path::new(file))
            .hint("ce lien vise une page ou un fichier que le site ne contient pas (souvent une adresse complète du site, https://…/portfolio/…, mal recopiée) : corrigez-le dans la source, puis refaites la copie"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Output {
        let mut o = Output::default();
        for p in [
            "index.html",
            "style.css",
            "parcours/index.html",
            "realisations/vpn/index.html",
            "documents/cr.pdf",
            "sitemap.xml",
        ] {
            o.put(p, "");
        }
        o
    }

    fn config() -> Config {
        Config::parse(
            "title = \"T\"\nbase_url = \"https://lea.github.io/portfolio/\"\n",
            std::path::Path::new("portfolio.toml"),
        )
        .unwrap()
    }

    #[test]
    fn links_to_the_site_become_relative_files() {
        let (output, config) = (site(), config());
        let files = output.files.keys().map(String::as_str).collect();
        let links = Links {
            config: &config,
            files,
        };
        let from = "realisations/vpn/index.html";
        let rel = |v: &str| match links.target(from, v) {
            Target::File(f) => f,
            Target::Other => "autre".into(),
            Target::Dropped => "retiré".into(),
            Target::Missing => "absent".into(),
        };
        assert_eq!(rel("/portfolio/"), "../../index.html");
        assert_eq!(rel("/portfolio"), "../../index.html");
        assert_eq!(
            rel("/portfolio/parcours/#bts"),
            "../../parcours/index.html#bts"
        );
        assert_eq!(rel("/portfolio/parcours?x=1"), "../../parcours/index.html");
        assert_eq!(
            rel("https://lea.github.io/portfolio/style.css"),
            "../../style.css"
        );
        assert_eq!(
            rel("//lea.github.io/portfolio/documents/cr.pdf"),
            "../../documents/cr.pdf"
        );
        assert_eq!(rel("/portfolio/sitemap.xml"), "retiré");
        assert_eq!(rel("/portfolio/absent/"), "absent");
        for other in [
            "https://github.com/lea",
            "mailto:a@b.fr",
            "#contenu",
            "/autre/",
            "//cdn.example/x.css",
        ] {
            assert_eq!(rel(other), "autre", "{other}");
        }
    }

    #[test]
    fn pages_and_stylesheets_are_rewritten_and_server_files_left_out() {
        let mut o = site();
        o.put(
            "parcours/index.html",
            "<link rel=stylesheet href=\"/portfolio/style.css\"><a href=\"/portfolio/\">A</a>\
             <a href=\"/portfolio/sitemap.xml\">Plan</a><img src=\"/portfolio/documents/cr.pdf\" style=\"background:url('/portfolio/style.css')\">",
        );
        o.put(
            "style.css",
            "body{background:url(/portfolio/documents/cr.pdf)}",
        );
        let (copy, findings) = convert(&o, &config());
        assert!(findings.is_empty(), "{findings:?}");
        let page = String::from_utf8(
            copy.files["parcours/index.html"]
                .read()
                .unwrap()
                .into_owned(),
        )
        .unwrap();
        assert_eq!(
            page,
            "<link rel=stylesheet href=\"../style.css\"><a href=\"../index.html\">A</a>\
             <img src=\"../documents/cr.pdf\" style=\"background:url('../style.css')\">"
        );
        let css = copy.files["style.css"].read().unwrap().into_owned();
        assert_eq!(css, b"body{background:url(documents/cr.pdf)}");
        assert!(!copy.files.contains_key("sitemap.xml"));
    }
}

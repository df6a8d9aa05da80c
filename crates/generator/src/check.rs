//! The checks a jury's conformity review and evaluation grid would apply, run on every
//! build and by `folio check`: coverage of the six competences, periods, the dossier
//! (table, candidate, attestations, legal notice, identity), the accessibility of the
//! built site (links, anchors, sub-path, alt text, local paths) and sanity.
//!
//! Every finding has a stable code, documented in the README with its fix.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;

use crate::content::{DocTarget, Document, Kind, rel_string};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::html::PageScan;
use crate::markdown::{Rendered, is_external, is_local_path, is_localhost};
use crate::output::{OutFile, Output};
use crate::site::Site;

/// Codes of the findings this module produces (the others come from loading and
/// rendering). `folio build --ignore-checks` publishes despite errors among these.
pub const CODES: &[&str] = &[
    "coverage-missing",
    "coverage-example-only",
    "subcompetence-unused",
    "realisation-no-competence",
    "period-missing",
    "period-inverted",
    "period-after-session",
    "period-implausible",
    "candidate-name-missing",
    "candidate-option-missing",
    "candidate-session-missing",
    "candidate-centre-missing",
    "candidate-number-missing",
    "base-url-missing",
    "identity-missing",
    "home-missing",
    "legal-notice-missing",
    "table-missing",
    "table-not-linked",
    "attestation-missing",
    "link-local-path",
    "link-localhost",
    "image-alt-missing",
    "anchor-broken",
    "link-outside-base",
    "link-broken",
    "duplicate-title",
    "realisation-empty",
    "file-too-large",
    "code-language-unknown",
    "placeholder-left",
];

/// Files heavier than this are slow for a jury on a school connection.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// A réalisation with fewer words and no document says too little to be graded.
const MIN_WORDS: usize = 40;

/// Run every check. `rendered` is aligned with `site.documents`.
pub fn run(site: &Site, rendered: &[Rendered], output: &Output, today: Date) -> Vec<Diagnostic> {
    let pages = scan_pages(output);
    // The built pages' links (in parallel, page by page) alongside the other checks;
    // the findings keep the order in which the checks are listed here.
    let (mut out, (built, last)) = rayon::join(
        || {
            let mut out = Vec::new();
            coverage(site, &mut out);
            periods(site, today, &mut out);
            dossier(site, rendered, output, &pages, &mut out);
            markdown_links(site, rendered, &mut out);
            out.extend(rendered.iter().flat_map(|r| r.notes.iter().cloned()));
            document_links(site, &mut out);
            out
        },
        || {
            rayon::join(
                || {
                    let mut out = Vec::new();
                    built_links(site, output, &pages, &mut out);
                    out
                },
                || {
                    let mut out = Vec::new();
                    sanity(site, rendered, &mut out);
                    placeholders(site, &mut out);
                    out
                },
            )
        },
    );
    out.extend(built);
    out.extend(last);
    out.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                std::cmp::Reverse(d.severity),
                d.location.as_ref().map(|l| (l.file.clone(), l.line)),
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

fn realisations_dir() -> Location {
    Location::file("content/realisations")
}

fn field_line(d: &Document, field: &str) -> Location {
    match d.field_lines.get(field) {
        Some(&l) => Location::line(&d.source, l),
        None => Location::line(&d.source, 1),
    }
}

/// Whether a réalisation is still `folio init`'s example: its title ends with the
/// starter's « — à remplacer » (« Inventaire des postes à remplacer » is a real one).
fn is_example(d: &Document) -> bool {
    d.title
        .trim_end()
        .ends_with(crate::init::EXAMPLE_TITLE_MARK)
}

fn coverage(site: &Site, out: &mut Vec<Diagnostic>) {
    let r = site.referential;
    let mut used: HashSet<(usize, Option<usize>)> = HashSet::new();
    // The starter's example mobilises all six: what the real ones cover is told apart.
    let mut by_real: HashSet<usize> = HashSet::new();
    let mut example = None;
    for d in site.realisations() {
        match &d.realisation {
            Some(m) if !is_example(d) => by_real.extend(m.competences.iter().map(|c| c.competence)),
            Some(_) => example = example.or(Some(d)),
            None => {}
        }
    }
    for d in site.realisations() {
        let Some(m) = &d.realisation else { continue };
        // Refused codes are errors already.
        if m.competences.is_empty() && !d.refused("competences") {
            out.push(
                Diagnostic::error("realisation-no-competence", "la réalisation ne mobilise aucune compétence")
                    .at(field_line(d, "competences"))
                    .field("competences")
                    .hint("indiquez les compétences mobilisées, par exemple « competences: [B1.2, B1.5.2] »"),
            );
        }
        for c in &m.competences {
            used.insert((c.competence, None));
            used.insert((c.competence, c.sub));
        }
    }
    let mut example_only = Vec::new();
    let mut unused_subs = Vec::new();
    for (i, c) in r.competences.iter().enumerate() {
        if !used.contains(&(i, None)) {
            out.push(
                Diagnostic::error("coverage-missing", format!("aucune réalisation ne mobilise la compétence {} « {} »", c.code, c.title))
                    .at(realisations_dir())
                    .hint(format!(
                        "les réalisations doivent, ensemble, mobiliser les six compétences du bloc 1 : ajoutez {} à une réalisation qui la mobilise, ou décrivez-en une nouvelle",
                        c.code
                    )),
            );
            continue;
        }
        if !by_real.contains(&i) {
            example_only.push(c.code.as_str());
        }
        unused_subs.extend(
            (0..c.subs.len())
                .filter(|s| !used.contains(&(i, Some(*s))))
                .map(|s| format!("{}.{}", c.code, s + 1)),
        );
    }
    // One line, not one per sub-competence: 20 of them would bury the errors.
    if !unused_subs.is_empty() {
        out.push(
            Diagnostic::info("subcompetence-unused", format!("{} sous-compétence(s) jamais citée(s) : {}", unused_subs.len(), unused_subs.join(", ")))
                .hint("rien d'obligatoire : citer les sous-compétences précise ce que chaque réalisation démontre (leurs intitulés sont sur la page de chaque compétence du site)"),
        );
    }
    // Once the student has written one réalisation: before, the example is all there is.
    let has_real = site.realisations().any(|d| !is_example(d));
    if let Some(ex) = example.filter(|_| has_real && !example_only.is_empty()) {
        let codes = example_only.join(", ");
        out.push(
            Diagnostic::warning("coverage-example-only", format!("{codes} : mobilisée(s) seulement par la réalisation d'exemple « {} »", ex.title))
                .at(field_line(ex, "competences"))
                .field("competences")
                .hint(format!("sans l'exemple, {codes} ne serai(en)t pas couverte(s) : ajoutez-les à de vraies réalisations, puis remplacez ou supprimez l'exemple")),
        );
    }
}

fn periods(site: &Site, today: Date, out: &mut Vec<Diagnostic>) {
    let session = site.config.candidate.session;
    for d in site.realisations() {
        let Some(m) = &d.realisation else { continue };
        // A refused date is an error already.
        let missing = |field: &str, date: Option<Date>| date.is_none() && !d.refused(field);
        if missing("start", m.start) || missing("end", m.end) {
            let which = if missing("start", m.start) {
                "start"
            } else {
                "end"
            };
            out.push(
                Diagnostic::error("period-missing", format!("la période est incomplète : « {which} » manque"))
                    .at(field_line(d, if which == "start" { "title" } else { "start" }))
                    .field(which)
                    .hint("le tableau officiel demande la période « du JJ/MM/AA au JJ/MM/AA » : ajoutez start et end"),
            );
        }
        if let (Some(s), Some(e)) = (m.start, m.end)
            && s > e
        {
            out.push(
                Diagnostic::error(
                    "period-inverted",
                    format!(
                        "la réalisation finit ({}) avant de commencer ({})",
                        crate::date::long_fr(e),
                        crate::date::long_fr(s)
                    ),
                )
                .at(field_line(d, "end"))
                .field("end")
                .hint("inversez start et end, ou corrigez l'année"),
            );
        }
        for (field, date) in [("start", m.start), ("end", m.end)] {
            let Some(date) = date else { continue };
            if let Some(year) = session {
                let exam_end = Date::new(year as i16, 7, 31).unwrap_or(date);
                let course_start = Date::new((year - 3) as i16, 1, 1).unwrap_or(date);
                if date > exam_end || (date > today && date.year() as i32 > year) {
                    out.push(
                        Diagnostic::error("period-after-session", format!("date du {} après la session {year}", crate::date::long_fr(date)))
                            .at(field_line(d, field))
                            .field(field)
                            .hint("une réalisation présentée à l'épreuve est antérieure à la session : vérifiez l'année"),
                    );
                } else if date < course_start {
                    out.push(
                        Diagnostic::warning(
                            "period-implausible",
                            format!(
                                "date du {} bien antérieure à la formation (session {year})",
                                crate::date::long_fr(date)
                            ),
                        )
                        .at(field_line(d, field))
                        .field(field)
                        .hint("vérifiez l'année : une date « 12/09/24 » s'écrit aussi 2024-09-12"),
                    );
                }
            }
        }
    }
}

fn is_attestation(text: &str) -> bool {
    let t = crate::slug::slugify(text);
    t.contains("attestation") || t.contains("certificat")
}

/// Every built page, read once with the HTML tokenizer, in parallel; a page already
/// written to disk was read as it was written.
fn scan_pages(output: &Output) -> HashMap<&str, Cow<'_, PageScan>> {
    use rayon::prelude::*;
    output
        .files
        .par_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, f)| {
            let scan = match output.scans.get(k) {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(crate::html::scan(&html(f))),
            };
            (k.as_str(), scan)
        })
        .collect()
}

fn dossier(
    site: &Site,
    rendered: &[Rendered],
    output: &Output,
    pages: &HashMap<&str, Cow<'_, PageScan>>,
    out: &mut Vec<Diagnostic>,
) {
    let c = &site.config;
    // A refused value is an error already: not also « missing ».
    let absent = |key: &str| !c.refused.iter().any(|k| k == key);
    let missing = |code: &'static str, what: &str, key: &str, example: &str| {
        Diagnostic::error(
            code,
            format!("{what} dans portfolio.toml (il figure dans l'en-tête du tableau de synthèse)"),
        )
        .at(c.place(key))
        .field(key.to_owned())
        .hint(format!("ajoutez dans [candidate] : {example}"))
    };
    if c.candidate.name.trim().is_empty() {
        out.push(missing(
            "candidate-name-missing",
            "NOM et prénom manquants",
            "candidate.name",
            "name = \"MARTIN Léa\"",
        ));
    }
    if c.candidate.option.is_none() && absent("candidate.option") {
        out.push(missing(
            "candidate-option-missing",
            "option (SISR ou SLAM) manquante",
            "candidate.option",
            "option = \"SISR\"",
        ));
    }
    if c.candidate.session.is_none() && absent("candidate.session") {
        out.push(missing(
            "candidate-session-missing",
            "session manquante",
            "candidate.session",
            "session = 2026",
        ));
    }
    if c.candidate.centre.trim().is_empty() {
        out.push(
            Diagnostic::warning(
                "candidate-centre-missing",
                "centre de formation manquant dans portfolio.toml",
            )
            .at(c.place("candidate.centre"))
            .field("candidate.centre")
            .hint("ajoutez dans [candidate] : centre = \"Lycée …, Ville\""),
        );
    }
    if c.candidate.number.trim().is_empty() {
        out.push(
            Diagnostic::info(
                "candidate-number-missing",
                "N° candidat vide dans le tableau de synthèse",
            )
            .at(c.place("candidate.number"))
            .field("candidate.number")
            .hint("renseignez-le dès réception de votre convocation : number = \"…\""),
        );
    }
    if c.base_url == "/" && absent("base_url") {
        out.push(
            Diagnostic::error("base-url-missing", "adresse du portfolio (base_url) manquante")
                .at(c.place("base_url"))
                .field("base_url")
                .hint("indiquez l'adresse publiée, par exemple base_url = \"https://lea-martin.github.io/portfolio/\" : elle figure dans le tableau et le jury s'en sert"),
        );
    }
    let identity_refused = ["email", "linkedin", "github", "website"]
        .iter()
        .any(|k| !absent(&format!("candidate.{k}")));
    if !identity_refused
        && c.candidate.email.is_none()
        && c.candidate.linkedin.is_none()
        && c.candidate.github.is_none()
        && c.candidate.website.is_none()
    {
        out.push(
            Diagnostic::warning("identity-missing", "aucun contact ni lien d'identité professionnelle")
                .at(c.place("candidate"))
                .field("candidate")
                .hint("la grille évalue une identité professionnelle visible : ajoutez linkedin = \"…\" (et email, github)"),
        );
    }
    if site.find_kind(Kind::Home).is_none() {
        out.push(
            Diagnostic::error(
                "home-missing",
                "pas de page d'accueil : l'adresse du portfolio afficherait une erreur 404",
            )
            .at(Location::file("content/index.md"))
            .hint("créez content/index.md (un titre et une présentation suffisent)"),
        );
    }
    if !site.pages().any(|p| p.slug.contains("mentions-legales")) {
        out.push(
            Diagnostic::warning("legal-notice-missing", "pas de page « mentions légales »")
                .at(Location::file("content"))
                .hint("créez content/mentions-legales.md (éditeur, hébergeur, données personnelles) : la grille de B1.3 l'attend"),
        );
    }
    // The table is generated and linked from every page.
    let table = &c.table.file;
    let table_href = c.url_path(table);
    if !output.files.contains_key(table) {
        out.push(
            Diagnostic::error("table-missing", "le tableau de synthèse n'a pas été généré")
                .hint("relancez folio build ; signalez le problème s'il persiste"),
        );
    }
    let mut unlinked: Vec<&str> = pages
        .iter()
        .filter(|(k, _)| k.ends_with("index.html"))
        .filter(|(_, p)| !p.links.contains(&table_href))
        .map(|(k, _)| *k)
        .collect();
    unlinked.sort();
    if !unlinked.is_empty() {
        out.push(
            Diagnostic::error("table-not-linked", format!("{} page(s) sans lien vers le tableau de synthèse (par exemple /{})", unlinked.len(), unlinked[0]))
                .hint("gardez dans base.html le lien {{ site.table_url }} du pied de page : l'absence de tableau coûte 2 points"),
        );
    }
    for stage in attestations(site, rendered) {
        if let (Some(first), false) = (stage.first, stage.present) {
            let ctx = &site.referential.contexts[stage.context];
            out.push(
                Diagnostic::warning("attestation-missing", format!("aucune attestation de stage pour « {} »", ctx.title))
                    .at(if first.field_lines.contains_key("documents") {
                        field_line(first, "documents")
                    } else {
                        field_line(first, "context")
                    })
                    .field("documents")
                    .hint("ajoutez l'attestation signée aux documents d'une réalisation de ce stage (- { title: Attestation de stage, file: /documents/attestation.pdf }) ou liez-la depuis la page stages.md"),
            );
        }
    }
}

/// Whether an internship section of the table has its attestation.
#[derive(Debug, Clone, Copy)]
pub struct StageAttestation<'a> {
    /// Index of the section in the referential's contexts.
    pub context: usize,
    /// Its first réalisation; `None` when the section has none (nothing is asked then).
    pub first: Option<&'a Document>,
    /// Whether an attestation was found for it.
    pub present: bool,
}

/// Attestations, one entry per internship section: one among the section's documents,
/// or a link to an attestation file from any page (typically stages.md), counts.
/// Shared by the check and `folio class`, so both say the same thing.
pub fn attestations<'a>(site: &'a Site, rendered: &[Rendered]) -> Vec<StageAttestation<'a>> {
    // Documents are looked for as the pages find them; a theme publishes no attestation.
    // Made only if a document is named like one (most réalisations have none).
    let targets = std::cell::OnceCell::new();
    let targets = || {
        targets.get_or_init(|| crate::render::link_targets(site, &crate::theme::Theme::default()))
    };
    // Links to an attestation that exists, with the internship they name, if any.
    let linked: Vec<Option<u32>> = rendered
        .iter()
        .flat_map(|r| &r.links)
        .filter(|l| !l.image && l.href != "#" && is_attestation(&l.written))
        .map(|l| stage_named(&l.written))
        .collect();
    let stages = site
        .referential
        .contexts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id.starts_with("stage"));
    stages
        .map(|(i, c)| {
            let number =
                c.id.chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok();
            let in_ctx: Vec<&Document> = site
                .realisations()
                .filter(|d| d.realisation.as_ref().is_some_and(|m| m.context == i))
                .collect();
            let among_documents = in_ctx.iter().any(|d| has_attestation(d, &targets));
            // A link from any page (stages.md) counts for the internship it names, or
            // for every one when it names none ("attestation.pdf").
            let linked_here = linked.iter().any(|n| n.is_none() || *n == number);
            StageAttestation {
                context: i,
                first: in_ctx.first().copied(),
                present: among_documents || linked_here,
            }
        })
        .collect()
}

/// Whether a réalisation lists an attestation whose file is there (or a web address).
fn has_attestation<'t>(
    d: &Document,
    targets: &dyn Fn() -> &'t crate::markdown::LinkTargets,
) -> bool {
    let source = rel_string(&d.source);
    d.realisation.as_ref().is_some_and(|m| {
        m.documents.iter().any(|doc| {
            let named = is_attestation(&doc.title)
                || matches!(&doc.target, DocTarget::File(f) | DocTarget::Url(f) if is_attestation(f));
            named
                && match &doc.target {
                    DocTarget::File(f) => {
                        crate::markdown::resolve_document(f, &source, targets()).is_ok()
                    }
                    DocTarget::Url(_) => true,
                }
        })
    })
}

/// The internship a file name or a link names: « stage 1 », « stage-2 », « 1re année »,
/// « deuxième année »…
fn stage_named(text: &str) -> Option<u32> {
    let t = crate::slug::slugify(text);
    let words: Vec<&str> = t.split('-').collect();
    for (k, w) in words.iter().enumerate() {
        let next = words.get(k + 1).copied().unwrap_or("");
        if let Some(n) = w.strip_prefix("stage").and_then(|n| n.parse().ok()) {
            return Some(n);
        }
        if *w == "stage"
            && let Ok(n) = next.parse()
        {
            return Some(n);
        }
        if next == "annee" {
            match *w {
                "1re" | "1ere" | "premiere" => return Some(1),
                "2e" | "2eme" | "deuxieme" | "seconde" => return Some(2),
                _ => {}
            }
        }
    }
    None
}

fn html(f: &OutFile) -> std::borrow::Cow<'_, str> {
    match f {
        OutFile::Bytes(b) => String::from_utf8_lossy(b),
        OutFile::Copy(_) | OutFile::Written => std::borrow::Cow::Borrowed(""),
    }
}

/// `documents:` entries that point at the student's disk or would run code.
fn document_links(site: &Site, out: &mut Vec<Diagnostic>) {
    for d in site.realisations() {
        let Some(m) = &d.realisation else { continue };
        for doc in &m.documents {
            let (DocTarget::File(target) | DocTarget::Url(target)) = &doc.target;
            let loc = Location::line(&d.source, doc.line);
            if let Some(scheme) = crate::markdown::dangerous_scheme(target) {
                out.push(
                    Diagnostic::error("link-dangerous", format!("document « {} » refusé : un lien « {scheme} » exécuterait du code ou cacherait un document", doc.title))
                        .at(loc)
                        .field("documents")
                        .hint("donnez le fichier (file: procedure.pdf) ou une adresse https://…"),
                );
            } else if is_local_path(target) {
                out.push(
                    Diagnostic::error("link-local-path", format!("document « {} » : « {target} » est un fichier de votre ordinateur", doc.title))
                        .at(loc)
                        .field("documents")
                        .hint("le jury n'a pas accès à votre disque : copiez le fichier dans static/documents/ et écrivez file: /documents/nom.pdf (ou à côté de la réalisation, et file: nom.pdf)"),
                );
            }
        }
    }
}

fn markdown_links(site: &Site, rendered: &[Rendered], out: &mut Vec<Diagnostic>) {
    for (d, md) in site.documents.iter().zip(rendered) {
        for l in &md.links {
            let loc = Location::line(&d.source, l.line);
            if is_local_path(&l.written) {
                out.push(
                    Diagnostic::error("link-local-path", format!("lien vers un fichier de votre ordinateur : « {} »", l.written))
                        .at(loc.clone())
                        .hint("le jury n'a pas accès à votre disque : copiez le fichier dans static/documents/ et liez /documents/nom.pdf"),
                );
            } else if is_localhost(&l.written) {
                out.push(
                    Diagnostic::error("link-localhost", format!("lien vers localhost : « {} »", l.written))
                        .at(loc.clone())
                        .hint("cette adresse ne fonctionne que sur votre machine : liez la version en ligne, ou une capture d'écran"),
                );
            }
            if l.image && !l.has_alt {
                out.push(
                    Diagnostic::warning("image-alt-missing", format!("image sans texte alternatif : « {} »", l.written))
                        .at(loc)
                        .hint("décrivez l'image entre les crochets : ![Schéma du réseau de l'agence](schema.png)"),
                );
            }
        }
    }
}

fn built_links(
    site: &Site,
    output: &Output,
    pages: &HashMap<&str, Cow<'_, PageScan>>,
    out: &mut Vec<Diagnostic>,
) {
    let source_of: HashMap<String, &Path> = site
        .documents
        .iter()
        .map(|d| (format!("{}index.html", d.rel_url), d.source.as_path()))
        .collect();
    let mut sorted: Vec<(&&str, &PageScan)> = pages.iter().map(|(k, s)| (k, &**s)).collect();
    sorted.sort_by_key(|(k, _)| **k);
    // Pages are checked in parallel (a large site has tens of thousands of links), their
    // findings kept in page order.
    use rayon::prelude::*;
    let found: Vec<Vec<Diagnostic>> = sorted
        .par_iter()
        .map(|(page, scan)| page_links(site, output, pages, &source_of, page, scan))
        .collect();
    out.extend(found.into_iter().flatten());
}

/// The broken, dangerous or misplaced links of one built page, each reported once.
/// Tens of thousands of links pass here, almost all fine: nothing is allocated for a
/// link that is not reported.
fn page_links(
    site: &Site,
    output: &Output,
    pages: &HashMap<&str, Cow<'_, PageScan>>,
    source_of: &HashMap<String, &Path>,
    page: &str,
    scan: &PageScan,
) -> Vec<Diagnostic> {
    let base = &site.config.base_path;
    let has_id = |key: &str, id: &str| pages.get(key).is_some_and(|p| p.ids.contains(id));
    let mut out = Vec::new();
    let mut reported: HashSet<&str> = HashSet::new();
    // The built page has no lines of its own: the first source line that holds `written`
    // (the anchor, or the address as written in raw HTML), else the file.
    let loc = |written: &str| {
        let Some(source) = source_of.get(page) else {
            return Location::file(format!("(page générée) {page}"));
        };
        site.documents
            .iter()
            .find(|d| d.source == *source)
            .and_then(|d| {
                let i = d.body.lines().position(|l| l.contains(written))?;
                Some(Location::line(*source, d.body_line + i))
            })
            .unwrap_or_else(|| Location::file(*source))
    };
    let own_ids = &scan.ids;
    let mut index_key = String::new();
    for href in &scan.links {
        let href = href.as_str();
        if let Some(scheme) = crate::markdown::dangerous_scheme(href) {
            if reported.insert(href) {
                out.push(
                    Diagnostic::error("link-dangerous", format!("lien « {scheme} » dans la page /{page} (HTML ou gabarit) : il exécuterait du code"))
                        .at(loc(href))
                        .hint("liez une adresse https://… ou un fichier du portfolio"),
                );
            }
            continue;
        }
        if href.is_empty() || is_external(href) || is_local_path(href) {
            continue;
        }
        if let Some(frag) = href.strip_prefix('#') {
            if !frag.is_empty() && !own_ids.contains(frag) && reported.insert(href) {
                out.push(
                    Diagnostic::error("anchor-broken", format!("ancre « #{frag} » introuvable dans la page /{page}"))
                        .at(loc(&format!("#{frag}")))
                        .hint("l'ancre d'un titre est son texte sans accents, en minuscules, avec des tirets : « ## Mise en œuvre » → #mise-en-oeuvre"),
                );
            }
            continue;
        }
        if !href.starts_with('/') {
            // Relative hrefs only come from raw HTML; resolve them from the page's folder.
            continue;
        }
        let Some(rel) = href
            .strip_prefix(base.as_str())
            .or_else(|| (base == "/").then_some(&href[1..]))
        else {
            if reported.insert(href) {
                out.push(
                    Diagnostic::error("link-outside-base", format!("lien « {href} » hors du sous-chemin {base} : il mènera à une 404 sur GitHub Pages"))
                        .at(loc(href))
                        .hint("écrivez les liens en Markdown ([texte](/documents/x.pdf)) : folio les réécrit ; dans un gabarit, utilisez {{ url(path=\"…\") }}"),
                );
            }
            continue;
        };
        let (path, frag) = rel
            .split_once('#')
            .map_or((rel, None), |(p, f)| (p, Some(f)));
        let path = path.split('?').next().unwrap_or(path);
        let key = if path.is_empty() || path.ends_with('/') {
            index_key.clear();
            index_key.push_str(path);
            index_key.push_str("index.html");
            index_key.as_str()
        } else {
            path
        };
        let to_unloaded = site
            .unloaded
            .iter()
            .any(|(_, url)| key.strip_suffix("index.html") == Some(url.as_str()));
        if !output.files.contains_key(key) && !to_unloaded {
            if reported.insert(href) {
                out.push(
                    Diagnostic::error("link-broken", format!("lien cassé « {href} » : rien n'est publié à cette adresse"))
                        .at(loc(href))
                        .hint("vérifiez l'adresse, ou liez le fichier .md de la page ; le jury tomberait sur une erreur 404"),
                );
            }
            continue;
        }
        if to_unloaded {
            continue;
        }
        if let Some(frag) = frag.filter(|f| !f.is_empty())
            && key.ends_with(".html")
            && !has_id(key, frag)
            && reported.insert(href)
        {
            out.push(
                Diagnostic::error("anchor-broken", format!("ancre « #{frag} » introuvable dans /{key}"))
                    .at(loc(&format!("#{frag}")))
                    .hint("vérifiez le titre visé : l'ancre est son texte sans accents, en minuscules, avec des tirets"),
            );
        }
    }
    out
}

fn sanity(site: &Site, rendered: &[Rendered], out: &mut Vec<Diagnostic>) {
    let mut titles: HashMap<String, &Document> = HashMap::new();
    for d in site.realisations() {
        if let Some(other) = titles.insert(d.title.to_lowercase(), d) {
            out.push(
                Diagnostic::warning("duplicate-title", format!("même titre que {} : « {} »", rel_string(&other.source), d.title))
                    .at(field_line(d, "title"))
                    .field("title")
                    .hint("le tableau de synthèse liste les réalisations par titre : donnez-leur des intitulés distincts"),
            );
        }
    }
    for (d, md) in site.documents.iter().zip(rendered) {
        if d.kind != Kind::Realisation {
            continue;
        }
        let words = words_up_to(&md.html, MIN_WORDS);
        let docs = d.realisation.as_ref().map_or(0, |m| m.documents.len());
        if words < MIN_WORDS && docs == 0 && !d.refused("documents") {
            out.push(
                Diagnostic::warning("realisation-empty", format!("réalisation presque vide ({words} {}, aucun document)", if words < 2 { "mot" } else { "mots" }))
                    .at(Location::file(&d.source))
                    .hint("décrivez le contexte, la démarche, les résultats et votre contribution, et joignez les documents produits"),
            );
        }
    }
    for a in &site.assets {
        if a.size > MAX_FILE_BYTES {
            out.push(
                Diagnostic::warning("file-too-large", format!("fichier de {:.1} Mo, long à ouvrir pour le jury", a.size as f64 / 1_048_576.0))
                    .at(Location::file(a.source.strip_prefix(&site.root).unwrap_or(&a.source)))
                    .hint("compressez-le (PDF optimisé, image en JPEG ou WebP) sous 10 Mo, ou publiez-le ailleurs et liez-le"),
            );
        }
    }
}

/// Texts of `folio init`'s starter still there: the jury would read "NOM Prénom".
fn placeholders(site: &Site, out: &mut Vec<Diagnostic>) {
    use crate::init::PLACEHOLDERS;
    let c = &site.config.candidate;
    let fields = [
        ("candidate.name", c.name.as_str()),
        ("candidate.centre", c.centre.as_str()),
        ("candidate.github", c.github.as_deref().unwrap_or("")),
        ("base_url", site.config.base_url.as_str()),
        ("title", site.config.title.as_str()),
        ("description", site.config.description.as_str()),
    ];
    for (field, value) in fields {
        // `folio init --nom MARTIN` alone leaves « MARTIN Prénom », in the name and in
        // the site's title and description (« Portfolio de Prénom MARTIN »).
        let half_name = || {
            value.split_whitespace().find(|w| {
                ["candidate.name", "title", "description"].contains(&field)
                    && (*w == "Prénom" || *w == "NOM")
            })
        };
        // « à remplacer » may be the student's own words in a title or a description.
        let prose = field == "title" || field == "description";
        if let Some(mark) = PLACEHOLDERS
            .iter()
            .filter(|m| !(prose && **m == "à remplacer"))
            .find(|m| value.contains(**m))
            .copied()
            .or_else(half_name)
        {
            out.push(
                Diagnostic::warning(
                    "placeholder-left",
                    format!("« {mark} » est une valeur d'exemple de folio init"),
                )
                .at(site.config.place(field))
                .field(field)
                .hint("remplacez-la par la vôtre dans portfolio.toml"),
            );
        }
    }
    for d in site.documents.iter().filter(|d| !d.draft) {
        if let Some(found) = page_placeholders(d) {
            out.push(found);
        }
    }
    for d in site.realisations().filter(|d| is_example(d)) {
        out.push(
            Diagnostic::warning("placeholder-left", format!("réalisation d'exemple « {} » (« à remplacer »)", d.title))
                .at(field_line(d, "title"))
                .field("title")
                .hint("elle figure dans le tableau de synthèse et compte dans la couverture des compétences : décrivez une vraie réalisation dans ce fichier, ou supprimez-le"),
        );
    }
}

/// The starter's texts and blanks left in a page's Markdown (outside code blocks), as
/// one finding at the first of them: « Sujet : … » on a published page costs more than
/// an empty one.
fn page_placeholders(d: &Document) -> Option<Diagnostic> {
    use crate::init::PAGE_PLACEHOLDERS;
    // Most pages have neither: one pass over the text each, not one per line.
    if !d.body.contains('…') && !PAGE_PLACEHOLDERS.iter().any(|m| d.body.contains(m)) {
        return None;
    }
    let mut left = crate::markdown::lines_with_code(&d.body)
        .enumerate()
        .filter(|(_, (line, in_code))| {
            !in_code
                && (PAGE_PLACEHOLDERS.iter().any(|m| line.contains(m)) || is_blank_to_fill(line))
        })
        .map(|(i, (line, _))| (d.body_line + i, line.trim()));
    let (line_no, first) = left.next()?;
    let more = left.count();
    let shown: String = first.chars().take(60).collect();
    let ellipsis = if shown.len() < first.len() { "…" } else { "" };
    let others = match more {
        0 => String::new(),
        1 => " (et 1 autre ligne)".into(),
        n => format!(" (et {n} autres lignes)"),
    };
    Some(
        Diagnostic::warning(
            "placeholder-left",
            format!("texte d'exemple de folio init à compléter : « {shown}{ellipsis} »{others}"),
        )
        .at(Location::line(&d.source, line_no))
        .hint("écrivez votre texte à la place, ou supprimez la page si vous n'en voulez pas"),
    )
}

/// A blank of the starter left as it is: a lone « … », one after a label
/// (« Sujet : … », « **Période** : du … au … ») or several on a line. An ellipsis that
/// ends a list (« GLPI, OCS, … ») or a sentence (« et puis… ») is the student's own.
fn is_blank_to_fill(line: &str) -> bool {
    let text = line.trim().trim_start_matches(['-', '*', '+', '>', ' ']);
    // An ordered item (« 1. … ») like a bulleted one.
    let text = match text.trim_start_matches(|c: char| c.is_ascii_digit()) {
        rest if rest.len() < text.len() => rest.strip_prefix(". ").unwrap_or(text),
        _ => text,
    }
    .trim();
    // « | … | … | » is a table with rows left out: the student's own.
    if text.starts_with('|') {
        return false;
    }
    if text == "…" {
        return true;
    }
    let lone: Vec<usize> = text
        .match_indices('…')
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + '…'.len_utf8()..].chars().next();
            before.is_none_or(char::is_whitespace)
                && after.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '.' | '(' | ')'))
        })
        .collect();
    lone.len() >= 2 || lone.iter().any(|&i| text[..i].trim_end().ends_with(':'))
}

/// Words of text in `html` (a tag separates words), counted no further than `limit`:
/// only a nearly empty page is reported, so most pages stop after a few lines.
fn words_up_to(html: &str, limit: usize) -> usize {
    let mut words = 0;
    let mut in_tag = false;
    let mut in_word = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
            }
            '>' => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() => in_word = false,
            _ if in_word => {}
            _ => {
                in_word = true;
                words += 1;
                if words == limit {
                    break;
                }
            }
        }
    }
    words
}

/// Counts by severity, for the summary line.
pub fn summary(findings: &[Diagnostic]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|d| d.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_of_the_starter_and_not_the_students_ellipses() {
        for blank in [
            "Sujet : …",
            "- Flux RSS : …",
            "- **Organisation** : … (ville)",
            "- **Période** : du … au …",
            "- Baccalauréat … — lycée …, année …",
            "- …",
            "1. …",
            "…",
            "> …",
        ] {
            assert!(is_blank_to_fill(blank), "{blank}");
        }
        for own in [
            "- Outils : GLPI, OCS, …",
            "Et puis… plus rien.",
            "Le serveur redémarre (…) puis répond.",
            "Résultat : le service répond…",
            "for i in …",
            "| … | … | … |",
            "1. Installer GLPI, …",
            "",
        ] {
            assert!(!is_blank_to_fill(own), "{own}");
        }
    }

    #[test]
    fn local_paths_and_localhost() {
        assert!(is_local_path("C:\\Users\\lea\\rapport.pdf"));
        assert!(is_local_path("file:///home/lea/x.pdf"));
        assert!(is_local_path("\\\\serveur\\partage\\x.pdf"));
        assert!(!is_local_path("/documents/x.pdf"));
        assert!(is_localhost("http://localhost:8080/glpi"));
        assert!(is_localhost("http://127.0.0.1/"));
        assert!(!is_localhost("https://localhost.example.org/"));
        assert!(!is_localhost("https://example.org/localhost"));
    }

    #[test]
    fn the_internship_a_name_refers_to() {
        assert_eq!(stage_named("/documents/attestation-stage-1.pdf"), Some(1));
        assert_eq!(stage_named("Attestation Stage 2.pdf"), Some(2));
        assert_eq!(stage_named("attestation_stage2.pdf"), Some(2));
        assert_eq!(stage_named("Attestation de 1re année"), Some(1));
        assert_eq!(stage_named("attestation-deuxieme-annee.pdf"), Some(2));
        assert_eq!(stage_named("attestation.pdf"), None);
    }

    #[test]
    fn words_are_text_between_tags_counted_up_to_a_limit() {
        let html = "<p>Mise\u{a0}en place d'un <strong>serveur</strong>GLPI</p><pre><code>apt install</code></pre>";
        assert_eq!(words_up_to(html, 100), 8);
        assert_eq!(words_up_to(html, 3), 3);
        assert_eq!(words_up_to("<p></p>", 40), 0);
    }
}

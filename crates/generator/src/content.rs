//! Loading a portfolio's sources: Markdown documents and the files beside them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::date;
use crate::diagnostic::{Diagnostic, Location, nearest};
use crate::frontmatter::{self, Field, Parsed};
use crate::referential::{CompetenceRef, Referential};
use crate::slug::{slugify, slugify_path};
use crate::text::{self, TextNotes};

/// Folder of Markdown pages.
pub const CONTENT_DIR: &str = "content";
/// Folder of réalisations inside `content/`.
pub const REALISATIONS_DIR: &str = "realisations";
/// Folder of files copied as they are.
pub const STATIC_DIR: &str = "static";

/// A Markdown page larger than this is refused (a log or a dump renamed `.md`).
pub const MAX_MARKDOWN_BYTES: u64 = 8 * 1024 * 1024;

/// What a Markdown file is in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `content/index.md`.
    Home,
    /// Any other page.
    Page,
    /// `content/realisations/index.md`: the introduction of the réalisations list.
    RealisationsIndex,
    /// One réalisation.
    Realisation,
}

/// A document or production attached to a réalisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRef {
    /// What the table and the page call it.
    pub title: String,
    /// A file (as written, relative to the réalisation) or a URL.
    pub target: DocTarget,
    /// Line in the source file.
    #[serde(skip)]
    pub line: usize,
}

/// Where a document is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocTarget {
    /// A file of the portfolio.
    File(String),
    /// An address on the web.
    Url(String),
}

/// The fields that make a réalisation.
#[derive(Debug, Clone, Serialize)]
pub struct RealisationMeta {
    /// Index into the referential's contexts.
    pub context: usize,
    /// Start date.
    pub start: Option<Date>,
    /// End date.
    pub end: Option<Date>,
    /// Competences and sub-competences as tagged, deduplicated, in referential order.
    pub competences: Vec<CompetenceRef>,
    /// Documents and productions.
    pub documents: Vec<DocumentRef>,
    /// Technologies used.
    pub technologies: Vec<String>,
    /// The student's own part in a team project.
    pub contribution: Option<String>,
}

/// A loaded Markdown file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the portfolio root, with `/`.
    pub source: PathBuf,
    /// What it is.
    pub kind: Kind,
    /// Output path relative to the site root: `""`, `parcours/`, `realisations/glpi/`.
    pub rel_url: String,
    /// Slug (last URL component).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary, if given.
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
    /// Line where the body starts.
    pub body_line: usize,
    /// Left out of the site and the table.
    pub draft: bool,
    /// Sort key among siblings (lower first).
    pub weight: i64,
    /// Fields folio does not know, for templates.
    pub extra: Map<String, Value>,
    /// Present for réalisations.
    pub realisation: Option<RealisationMeta>,
    /// What decoding noticed (BOM, encoding, mojibake).
    pub text_notes: TextNotes,
    /// Non-fatal findings from loading (misspelt keys, encoding).
    pub warnings: Vec<Diagnostic>,
    /// Line of each known field, by canonical name (`title`, `start`…), for messages.
    pub field_lines: std::collections::HashMap<String, usize>,
    /// Fields whose value was refused, by canonical name: the document is only loaded
    /// this way for `folio check` ([`parse_document_lenient`]), and the checks that
    /// read these fields wait for them to be fixed.
    pub refused: Vec<String>,
}

impl Document {
    /// Whether a value of this field (canonical name) was refused.
    pub fn refused(&self, field: &str) -> bool {
        self.refused.iter().any(|f| f == field)
    }
}

/// A file copied to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Absolute path of the source file.
    pub source: PathBuf,
    /// Output path relative to the site root (slugified).
    pub rel_path: String,
    /// Size in bytes.
    pub size: u64,
}

/// Canonical front-matter keys and the spellings students use for them.
const KEYS: &[(&str, &[&str])] = &[
    ("title", &["title", "titre", "intitule"]),
    ("context", &["context", "contexte", "cadre"]),
    (
        "start",
        &[
            "start",
            "debut",
            "date_debut",
            "start_date",
            "date_de_debut",
            "du",
        ],
    ),
    (
        "end",
        &["end", "fin", "date_fin", "end_date", "date_de_fin", "au"],
    ),
    ("competences", &["competences", "competence", "skills"]),
    (
        "documents",
        &["documents", "docs", "productions", "livrables"],
    ),
    (
        "technologies",
        &[
            "technologies",
            "technos",
            "techno",
            "outils",
            "tools",
            "tags",
        ],
    ),
    ("summary", &["summary", "resume", "description", "chapeau"]),
    ("contribution", &["contribution", "ma_contribution", "role"]),
    ("draft", &["draft", "brouillon"]),
    ("weight", &["weight", "poids", "ordre", "order"]),
    ("slug", &["slug"]),
];

fn canonical_key(key: &str) -> Option<&'static str> {
    let k = deunicode::deunicode(key)
        .to_lowercase()
        .replace(['-', ' '], "_");
    KEYS.iter()
        .find(|(_, spellings)| spellings.contains(&k.as_str()))
        .map(|(c, _)| *c)
}

/// Turn a portfolio-relative path into a string with `/`.
pub fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a Markdown file goes, from its path relative to `content/`.
fn place(rel: &str) -> (Kind, String, String) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".markdown"))
        .unwrap_or(file);
    let is_index = stem == "index" || stem == "_index";
    // `réalisations/` or `Realisations/` is the same folder as `realisations/`, as its URL is.
    let top = slugify_path(dir.split('/').next().unwrap_or(""));
    let in_realisations = top == REALISATIONS_DIR;
    if dir.is_empty() && is_index {
        return (Kind::Home, String::new(), String::new());
    }
    if in_realisations && !dir.contains('/') && is_index {
        return (
            Kind::RealisationsIndex,
            "realisations/".into(),
            "realisations".into(),
        );
    }
    let (parent, slug) = if is_index {
        let (p, d) = dir.rsplit_once('/').unwrap_or(("", dir));
        (p.to_owned(), slugify(d))
    } else {
        (dir.to_owned(), slugify(stem))
    };
    let kind = if in_realisations {
        Kind::Realisation
    } else {
        Kind::Page
    };
    let parent = slugify_path(&parent);
    let rel_url = if kind == Kind::Realisation {
        format!("realisations/{slug}/")
    } else if parent.is_empty() {
        format!("{slug}/")
    } else {
        format!("{parent}/{slug}/")
    };
    (kind, rel_url, slug)
}

/// What a Markdown file at `rel` (relative to the portfolio root) is and its site URL,
/// from its path alone (a `slug` field may change the URL).
pub fn url_of(rel: &Path) -> String {
    let rel_str = rel_string(rel);
    place(rel_str.strip_prefix("content/").unwrap_or(&rel_str)).1
}

/// Load one Markdown file. `rel` is relative to the portfolio root.
pub fn load_document(
    root: &Path,
    rel: &Path,
    referential: &Referential,
) -> Result<Document, Vec<Diagnostic>> {
    let bytes = read_markdown(root, rel)?;
    parse_document(&bytes, rel, referential)
}

/// [`load_document`] with [`parse_document_lenient`].
pub fn load_document_lenient(
    root: &Path,
    rel: &Path,
    referential: &Referential,
) -> Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>> {
    let bytes = read_markdown(root, rel)?;
    parse_document_lenient(&bytes, rel, referential)
}

/// A Markdown file's bytes, or why it cannot be a page.
fn read_markdown(root: &Path, rel: &Path) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let meta = std::fs::metadata(root.join(rel));
    if let Ok(meta) = &meta
        && !meta.is_file()
    {
        return Err(vec![
            Diagnostic::error(
                "file-special",
                "ce n'est pas un fichier ordinaire (tube, périphérique) : ignoré",
            )
            .in_file(rel)
            .hint("supprimez-le ou remplacez-le par un vrai fichier .md"),
        ]);
    }
    if let Ok(meta) = &meta
        && meta.len() > MAX_MARKDOWN_BYTES
    {
        return Err(vec![
            Diagnostic::error(
                "file-too-large",
                format!("fichier Markdown de {} Mo : ce n'est sans doute pas du texte", meta.len() / 1_048_576),
            )
            .in_file(rel)
            .hint("une page fait quelques dizaines de Ko : placez ce fichier dans static/ comme document, ou découpez-le"),
        ]);
    }
    std::fs::read(root.join(rel)).map_err(|e| {
        vec![
            Diagnostic::error("file-unreadable", format!("impossible de lire le fichier : {}", crate::io_reason(&e)))
                .in_file(rel)
                .hint("vérifiez que le fichier n'est pas ouvert ailleurs et que vous avez le droit de le lire"),
        ]
    })
}

/// Parse a Markdown file's bytes. `rel` is its path relative to the portfolio root.
/// Any error leaves the file out.
pub fn parse_document(
    bytes: &[u8],
    rel: &Path,
    referential: &Referential,
) -> Result<Document, Vec<Diagnostic>> {
    let (mut doc, mut errors) = parse_document_lenient(bytes, rel, referential)?;
    if errors.is_empty() {
        Ok(doc)
    } else {
        errors.append(&mut doc.warnings);
        Err(errors)
    }
}

/// [`parse_document`] for `folio check`: a file whose front matter reads but has
/// refused values (an unknown competence, a bad date) is kept with the rest, along
/// with its errors, so that its links and documents are checked in the same run. Only
/// a file no page can be made of is left out: not text, an unreadable front matter, a
/// réalisation without a valid context.
pub fn parse_document_lenient(
    bytes: &[u8],
    rel: &Path,
    referential: &Referential,
) -> Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = text::decode(bytes).map_err(|_| {
        vec![
            Diagnostic::error("file-binary", "ce fichier .md n'est pas du texte (image, PDF ou document Word renommé ?)")
                .in_file(rel)
                .hint("enregistrez le contenu en texte (Markdown) ou changez l'extension du fichier et placez-le comme document"),
        ]
    })?;
    let mut warnings = encoding_warnings(&source.notes, rel);
    // A file left out still has its encoding told: mojibake is often why it fails.
    let parsed = match frontmatter::parse(&source.text, rel) {
        Ok(parsed) => parsed,
        Err(d) => return Err([vec![d], warnings].concat()),
    };
    let rel_str = rel_string(rel);
    let in_content = rel_str.strip_prefix("content/").unwrap_or(&rel_str);
    let (kind, mut rel_url, mut slug) = place(in_content);

    let mut errors = Vec::new();
    let mut fields: BTreeMap<&'static str, &Field> = BTreeMap::new();
    let mut extra = Map::new();
    let mut misspelt = Vec::new();
    for f in &parsed.fields {
        match canonical_key(&f.key) {
            Some(c) => {
                fields.insert(c, f);
            }
            None => {
                let known = KEYS.iter().flat_map(|(_, s)| s.iter().copied());
                if let Some(n) = nearest(&f.key, known) {
                    misspelt.push((f, canonical_key(n).unwrap_or(n)));
                }
                extra.insert(f.key.clone(), f.value.clone());
            }
        }
    }
    let has_heading = first_heading(&parsed.body).is_some();
    for (f, canon) in misspelt {
        // Without it the réalisation lacks something required: the misspelling is the
        // error, said at its line, instead of a warning beside an error at line 1.
        let required = kind == Kind::Realisation
            && !fields.contains_key(canon)
            && (["context", "competences", "start", "end"].contains(&canon)
                || (canon == "title" && !has_heading));
        if required {
            errors.push(
                Diagnostic::error(
                    "front-matter-key-misspelt",
                    format!(
                        "champ « {} » inconnu : la réalisation n'a donc pas de « {canon} »",
                        f.key
                    ),
                )
                .at(Location::line(rel, f.line))
                .field(canon)
                .hint(format!("vouliez-vous écrire « {canon} » ?")),
            );
        } else {
            warnings.push(misspelt_key(rel, f, canon));
        }
    }
    let ctx = FieldCtx {
        rel,
        parsed: &parsed,
    };

    let before = errors.len();
    let title = match fields.get("title") {
        Some(f) => ctx.string(f, &mut errors).unwrap_or_default(),
        None => first_heading(&parsed.body).unwrap_or_default(),
    };
    let title_refused =
        errors.len() > before || errors.iter().any(|e| e.field.as_deref() == Some("title"));
    let title = if title.trim().is_empty() {
        if kind == Kind::Realisation && !title_refused {
            errors.push(
                Diagnostic::error(
                    "realisation-title-missing",
                    "la réalisation n'a pas de titre",
                )
                .at(Location::line(rel, 1))
                .field("title")
                .hint("ajoutez « title: Intitulé court de la réalisation » dans l'en-tête"),
            );
        }
        default_title(kind, &slug)
    } else {
        title.trim().to_owned()
    };
    let before = errors.len();
    let slug_field = fields.get("slug").and_then(|f| ctx.string(f, &mut errors));
    // A refused address would put the page at another one: left out until fixed.
    let slug_refused = errors.len() > before;
    if let Some(s) = slug_field {
        let s = slugify(&s);
        if !s.is_empty() && kind != Kind::Home && kind != Kind::RealisationsIndex {
            rel_url = format!(
                "{}{s}/",
                rel_url
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .map_or(String::new(), |(p, _)| format!("{p}/"))
            );
            slug = s;
        }
    }
    let summary = fields
        .get("summary")
        .and_then(|f| ctx.string(f, &mut errors))
        .filter(|s| !s.trim().is_empty());
    let before = errors.len();
    let draft = fields
        .get("draft")
        .is_some_and(|f| ctx.boolean(f, &mut errors));
    // A refused value is read as a draft: never published by mistake.
    let draft = draft || errors.len() > before;
    let weight = fields
        .get("weight")
        .map_or(0, |f| ctx.integer(f, &mut errors));

    let realisation = if kind == Kind::Realisation {
        realisation_meta(&ctx, &fields, referential, &mut errors)
    } else {
        None
    };
    if (kind == Kind::Realisation && realisation.is_none()) || slug_refused {
        errors.append(&mut warnings);
        return Err(errors);
    }
    let refused = errors
        .iter()
        .filter_map(|e| e.field.as_deref())
        .map(|f| canonical_key(f).unwrap_or(f).to_owned())
        .collect();
    let doc = Document {
        source: rel.to_owned(),
        kind,
        rel_url,
        slug,
        title,
        summary,
        body: parsed.body.clone(),
        body_line: parsed.body_line,
        draft,
        weight,
        extra,
        realisation,
        text_notes: source.notes,
        warnings,
        field_lines: fields
            .iter()
            .map(|(k, f)| ((*k).to_owned(), f.line))
            .collect(),
        refused,
    };
    Ok((doc, errors))
}

/// A key folio does not know but that is near one it does (`competances`).
fn misspelt_key(rel: &Path, f: &Field, canon: &str) -> Diagnostic {
    Diagnostic::warning(
        "front-matter-unknown-key",
        format!("champ « {} » inconnu, ignoré", f.key),
    )
    .at(Location::line(rel, f.line))
    .field(f.key.clone())
    .hint(format!("vouliez-vous écrire « {canon} » ?"))
}

fn encoding_warnings(notes: &TextNotes, rel: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(enc) = notes.legacy_encoding {
        out.push(
            Diagnostic::warning("encoding-not-utf8", format!("le fichier n'est pas en UTF-8 ; il a été lu comme du {enc}"))
                .in_file(rel)
                .hint("enregistrez-le en UTF-8 (Bloc-notes : Enregistrer sous → Encodage UTF-8 ; VS Code : barre d'état → Save with Encoding)"),
        );
    }
    if let Some(m) = &notes.mojibake {
        let lines = m
            .lines
            .iter()
            .take(5)
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Diagnostic::warning(
                "encoding-mojibake",
                format!(
                    "texte mal encodé (UTF-8 relu en {}) : « {} » au lieu de « {} », lignes {lines}",
                    m.codepage, m.example.0, m.example.1
                ),
            )
            .at(Location::line(rel, m.lines.first().copied().unwrap_or(1)))
            .hint("lancez « folio fix-encoding » pour voir la réparation, puis « folio fix-encoding --write » pour l'appliquer"),
        );
    }
    out
}

struct FieldCtx<'a> {
    rel: &'a Path,
    parsed: &'a Parsed,
}

impl FieldCtx<'_> {
    fn err(&self, f: &Field, code: &'static str, msg: String, hint: &str) -> Diagnostic {
        Diagnostic::error(code, msg)
            .at(Location::line(self.rel, f.line))
            .field(f.key.clone())
            .hint(hint.to_owned())
    }

    fn string(&self, f: &Field, errors: &mut Vec<Diagnostic>) -> Option<String> {
        match &f.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                errors.push(self.err(
                    f,
                    "front-matter-type",
                    format!("« {} » doit être un texte", f.key),
                    "écrivez une seule valeur sur la ligne, entre guillemets si besoin",
                ));
                None
            }
        }
    }

    fn boolean(&self, f: &Field, errors: &mut Vec<Diagnostic>) -> bool {
        match &f.value {
            Value::Bool(b) => *b,
            Value::String(s) if matches!(s.to_lowercase().as_str(), "oui" | "true" | "vrai") => {
                true
            }
            Value::String(s) if matches!(s.to_lowercase().as_str(), "non" | "false" | "faux") => {
                false
            }
            Value::Null => false,
            _ => {
                errors.push(self.err(
                    f,
                    "front-matter-type",
                    format!("« {} » doit valoir true ou false", f.key),
                    "écrivez par exemple « draft: true »",
                ));
                false
            }
        }
    }

    fn integer(&self, f: &Field, errors: &mut Vec<Diagnostic>) -> i64 {
        match &f.value {
            Value::Number(n) if n.is_i64() => n.as_i64().unwrap_or(0),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().unwrap_or(0),
            _ => {
                errors.push(self.err(
                    f,
                    "front-matter-type",
                    format!("« {} » doit être un nombre entier", f.key),
                    "écrivez par exemple « weight: 2 »",
                ));
                0
            }
        }
    }

    fn list(&self, f: &Field) -> Vec<Value> {
        match &f.value {
            Value::Array(a) => a.clone(),
            Value::Null => Vec::new(),
            // "competences: B1.1, B1.2" is a common shortcut: accept it.
            Value::String(s) => s
                .split([',', ';'])
                .map(|p| Value::String(p.trim().to_owned()))
                .filter(|v| v != &Value::String(String::new()))
                .collect(),
            other => vec![other.clone()],
        }
    }

    fn date(&self, f: &Field, errors: &mut Vec<Diagnostic>) -> Option<Date> {
        let raw = match &f.value {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            other => other.to_string(),
        };
        match date::parse(&raw) {
            Some(d) => Some(d),
            None => {
                errors.push(self.err(
                    f,
                    "front-matter-date",
                    format!("date « {raw} » illisible ou impossible"),
                    &format!(
                        "écrivez une date réelle sous la forme {} (année entre {} et {}, heure facultative valide)",
                        date::FORMS,
                        date::YEARS.start(),
                        date::YEARS.end()
                    ),
                ));
                None
            }
        }
    }
}

fn realisation_meta(
    ctx: &FieldCtx<'_>,
    fields: &BTreeMap<&'static str, &Field>,
    referential: &Referential,
    errors: &mut Vec<Diagnostic>,
) -> Option<RealisationMeta> {
    let context = match fields.get("context") {
        // A misspelt `context` key is the error already.
        None if errors.iter().any(|e| e.field.as_deref() == Some("context")) => None,
        None => {
            errors.push(
                Diagnostic::error("realisation-context-missing", "la réalisation n'indique pas son contexte")
                    .at(Location::line(ctx.rel, 1))
                    .field("context")
                    .hint(format!("ajoutez « context: formation », « context: stage-1 » ou « context: stage-2 » (valeurs : {})", referential.context_ids())),
            );
            None
        }
        Some(f) => {
            let raw = ctx.string(f, errors).unwrap_or_default();
            match referential.resolve_context(&raw) {
                Ok(i) => Some(i),
                Err(near) => {
                    let hint = match near {
                        Some(n) => format!(
                            "vouliez-vous écrire « {n} » ? valeurs possibles : {}",
                            referential.context_ids()
                        ),
                        None => format!("valeurs possibles : {}", referential.context_ids()),
                    };
                    errors.push(ctx.err(
                        f,
                        "realisation-context-unknown",
                        format!("contexte « {raw} » inconnu"),
                        &hint,
                    ));
                    None
                }
            }
        }
    };
    let start = fields.get("start").and_then(|f| ctx.date(f, errors));
    let end = fields.get("end").and_then(|f| ctx.date(f, errors));
    let mut competences = Vec::new();
    if let Some(f) = fields.get("competences") {
        for v in ctx.list(f) {
            let raw = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            match referential.resolve_code(&raw) {
                Ok(r) => competences.push(r),
                Err(near) => {
                    let line = ctx.parsed.value_line(f, raw.trim());
                    let hint = match near {
                        Some(n) => format!(
                            "code le plus proche : {n} ; codes valides : B1.1 à B1.6 et leurs sous-compétences (B1.1.1…)"
                        ),
                        None => "codes valides : B1.1 à B1.6 et leurs sous-compétences (B1.1.1…)"
                            .to_owned(),
                    };
                    errors.push(
                        Diagnostic::error(
                            "competence-unknown",
                            format!("compétence « {} » inconnue", raw.trim()),
                        )
                        .at(Location::line(ctx.rel, line))
                        .field(f.key.clone())
                        .hint(hint),
                    );
                }
            }
        }
    }
    competences.sort();
    competences.dedup();
    let mut documents = Vec::new();
    if let Some(f) = fields.get("documents") {
        for v in ctx.list(f) {
            if let Some(d) = document_ref(ctx, f, &v, errors) {
                documents.push(d);
            }
        }
    }
    let technologies = fields
        .get("technologies")
        .map(|f| {
            ctx.list(f)
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let contribution = fields
        .get("contribution")
        .and_then(|f| ctx.string(f, errors))
        .filter(|s| !s.trim().is_empty());
    Some(RealisationMeta {
        context: context?,
        start,
        end,
        competences,
        documents,
        technologies,
        contribution,
    })
}

fn document_ref(
    ctx: &FieldCtx<'_>,
    f: &Field,
    v: &Value,
    errors: &mut Vec<Diagnostic>,
) -> Option<DocumentRef> {
    let pick = |m: &Map<String, Value>, keys: &[&str]| -> Option<String> {
        m.iter()
            .find(|(k, _)| keys.contains(&deunicode::deunicode(k).to_lowercase().as_str()))
            .and_then(|(_, v)| v.as_str().map(str::to_owned))
    };
    let (title, file, url) = match v {
        Value::String(s) => {
            if s.contains("://") {
                (s.clone(), None, Some(s.clone()))
            } else {
                let name = s.rsplit('/').next().unwrap_or(s).to_owned();
                (name, Some(s.clone()), None)
            }
        }
        Value::Object(m) => {
            let file = pick(m, &["file", "fichier", "path", "chemin"]);
            let url = pick(m, &["url", "lien", "link", "href"]);
            let title = pick(m, &["title", "titre", "nom", "name"])
                .or_else(|| file.clone().or_else(|| url.clone()))
                .unwrap_or_default();
            (title, file, url)
        }
        _ => (String::new(), None, None),
    };
    let needle = file
        .clone()
        .or_else(|| url.clone())
        .unwrap_or_else(|| title.clone());
    let line = ctx.parsed.value_line(f, &needle);
    let target = match (file, url) {
        (Some(file), _) => DocTarget::File(file),
        (None, Some(url)) => DocTarget::Url(url),
        (None, None) => {
            errors.push(
                Diagnostic::error("document-invalid", "document sans fichier ni lien")
                    .at(Location::line(ctx.rel, line))
                    .field(f.key.clone())
                    .hint("écrivez chaque document sous la forme « - { title: Procédure, file: procedure.pdf } » ou « - { title: Dépôt, url: https://… } »"),
            );
            return None;
        }
    };
    Some(DocumentRef {
        title,
        target,
        line,
    })
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
}

fn default_title(kind: Kind, slug: &str) -> String {
    match kind {
        Kind::Home => "Accueil".into(),
        Kind::RealisationsIndex => "Réalisations".into(),
        _ => {
            let mut s = slug.replace('-', " ");
            if let Some(first) = s.get(..1) {
                s.replace_range(..1, &first.to_uppercase());
            }
            s
        }
    }
}

/// Files and folders that are never content: hidden ones, editor and OS leftovers
/// (Office locks, backups, swap files, JetBrains' safe-write copies). The one list the
/// loader, the dev server's watcher and `fix-encoding` all use.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.contains("___jb_")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || is_backup(name)
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// `x.md.bak`, `x.md.bak2`: the copies `folio fix-encoding --write` keeps.
fn is_backup(name: &str) -> bool {
    name.rsplit_once(".bak")
        .is_some_and(|(stem, n)| !stem.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Folders at the root of a portfolio that hold outputs or tools, never sources.
pub const NOT_SOURCES: [&str; 3] = ["public", "target", "node_modules"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_left_out_still_has_its_encoding_told() {
        // Notepad's Windows-1252: « é » is the single byte E9.
        let bad_code =
            b"---\ntitle: R\xE9seau\ncontext: formation\ncompetences: [B1.7]\n---\nTexte.\n";
        let bad_yaml = b"---\ntitle: R\xE9seau: [\n---\nTexte.\n";
        for bytes in [&bad_code[..], &bad_yaml[..]] {
            let found = parse_document(
                bytes,
                Path::new("content/realisations/r.md"),
                Referential::bts_sio_bloc1(),
            )
            .unwrap_err();
            let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
            assert!(codes.contains(&"encoding-not-utf8"), "{codes:?}");
            assert!(
                found.iter().any(|d| d.severity == crate::Severity::Error),
                "{codes:?}"
            );
        }
    }

    fn load(path: &str, text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_document(
            text.as_bytes(),
            Path::new(path),
            Referential::bts_sio_bloc1(),
        )
    }

    #[test]
    fn editor_and_system_leftovers_are_ignored() {
        for name in [
            ".git",
            "~$rapport.docx",
            "index.md~",
            "index.md___jb_tmp___",
            ".index.md.swp",
            "x.swx",
            "x.tmp",
            "Thumbs.db",
            "desktop.ini",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["index.md", "procedure.pdf", "jb.md", "bakery.md", "x.bakup"] {
            assert!(!is_ignored(name), "{name}");
        }
    }

    #[test]
    fn places() {
        assert_eq!(place("index.md"), (Kind::Home, "".into(), "".into()));
        assert_eq!(
            place("parcours.md"),
            (Kind::Page, "parcours/".into(), "parcours".into())
        );
        assert_eq!(place("realisations/index.md").0, Kind::RealisationsIndex);
        assert_eq!(
            place("realisations/Déploiement GLPI.md").1,
            "realisations/deploiement-glpi/"
        );
        assert_eq!(place("realisations/glpi/index.md").1, "realisations/glpi/");
        assert_eq!(place("stages/Stage été/index.md").1, "stages/stage-ete/");
        assert_eq!(place("réalisations/Stage été.md").0, Kind::Realisation);
        assert_eq!(place("Réalisations/index.md").0, Kind::RealisationsIndex);
    }

    #[test]
    fn french_keys_and_aliases() {
        let d = load(
            "content/realisations/glpi.md",
            "---\ntitre: GLPI\ncontexte: Stage 1\ndébut: 12/09/2024\nfin: 20/10/24\ncompétences: [C1, 1.2.1]\n\
             technos: [GLPI, Debian]\nrésumé: Parc\nbrouillon: non\ncouleur: bleu\n---\nCorps\n",
        )
        .unwrap();
        let r = d.realisation.unwrap();
        assert_eq!(d.title, "GLPI");
        assert_eq!(r.context, 1);
        assert_eq!(r.start, Some(jiff::civil::date(2024, 9, 12)));
        assert_eq!(r.end, Some(jiff::civil::date(2024, 10, 20)));
        assert_eq!(r.competences.len(), 2);
        assert_eq!(r.technologies, vec!["GLPI", "Debian"]);
        assert_eq!(d.summary.as_deref(), Some("Parc"));
        assert!(!d.draft);
        assert_eq!(d.extra.get("couleur"), Some(&Value::String("bleu".into())));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn unknown_competence_names_line_and_nearest() {
        let e = load(
            "content/realisations/x.md",
            "---\ntitle: X\ncontext: formation\ncompetences:\n  - B1.1\n  - B1.7\n---\n",
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "competence-unknown");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(6));
        assert!(e[0].hint.as_ref().unwrap().contains("B1."));
    }

    #[test]
    fn misspelt_key_warns_with_the_nearest() {
        let d = load(
            "content/parcours.md",
            "---\ntitel: X\ntitle: X\ncompetance: [B1.1]\n---\n",
        )
        .unwrap();
        let codes: Vec<_> = d
            .warnings
            .iter()
            .map(|w| (w.code, w.hint.clone().unwrap()))
            .collect();
        assert_eq!(codes.len(), 2);
        assert!(codes[1].1.contains("competences"), "{codes:?}");
    }

    #[test]
    fn a_misspelt_required_key_is_the_error() {
        // `titel` is harmless beside `title`; `competance` leaves a réalisation without
        // competences: that is the error, at its line, and the only one.
        let e = load(
            "content/realisations/x.md",
            "---\ntitel: X\ntitle: X\ncontext: formation\ncompetance: [B1.1]\n---\n",
        )
        .unwrap_err();
        let codes: Vec<_> = e.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["front-matter-key-misspelt", "front-matter-unknown-key"]
        );
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(5));
        // A misspelt context leaves no « contexte manquant » beside it.
        let e = load(
            "content/realisations/x.md",
            "---\ntitle: X\ncontexte_: formation\ncompetences: [B1.1]\n---\n",
        )
        .unwrap_err();
        let codes: Vec<_> = e.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["front-matter-key-misspelt"]);
    }

    #[test]
    fn bad_date_shows_expected_form() {
        let e = load(
            "content/realisations/x.md",
            "---\ntitle: X\ncontext: formation\nstart: septembre\n---\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, "front-matter-date");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(4));
        assert!(e[0].hint.as_ref().unwrap().contains("12/09/2024"));
    }

    #[test]
    fn documents_in_every_form() {
        let d = load(
            "content/realisations/x.md",
            "---\ntitle: X\ncontext: formation\ndocuments:\n  - { title: Procédure, file: procedure.pdf }\n  - titre: Dépôt\n    lien: https://github.com/x\n  - schema.png\n---\n",
        )
        .unwrap();
        let docs = d.realisation.unwrap().documents;
        assert_eq!(docs[0].target, DocTarget::File("procedure.pdf".into()));
        assert_eq!(
            docs[1].target,
            DocTarget::Url("https://github.com/x".into())
        );
        assert_eq!(docs[1].title, "Dépôt");
        assert_eq!(docs[2].title, "schema.png");
        assert_eq!(docs[2].line, 8);
    }
}

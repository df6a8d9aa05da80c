//! The portfolio as one model: config, documents in order, files, and the synthesis
//! matrix that both the HTML page and the .xlsx are drawn from.

use serde::Serialize;

use crate::config::Config;
use crate::content::{Asset, DocTarget, Document, Kind};
use crate::date;
use crate::referential::Referential;

/// A loaded, validated portfolio, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// The portfolio's root folder.
    pub root: std::path::PathBuf,
    /// `portfolio.toml`.
    pub config: Config,
    /// The competence referential.
    pub referential: &'static Referential,
    /// Every non-draft document.
    pub documents: Vec<Document>,
    /// Files copied to the output.
    pub assets: Vec<Asset>,
    /// Markdown files that could not be loaded, with the URL their path gives them: links
    /// to them are not reported missing while their own error is being fixed.
    pub unloaded: Vec<(std::path::PathBuf, String)>,
    /// Markdown files (not drafts) loaded with refused values, see
    /// [`crate::content::parse_document_lenient`]; `folio build` stops on their errors.
    pub partly_loaded: Vec<std::path::PathBuf>,
    /// Drafts, left out of the site, with their URL: `folio verify` checks that none is online.
    pub drafts: Vec<(std::path::PathBuf, String)>,
}

impl Site {
    /// Put documents in their canonical order: home, pages by weight and title,
    /// réalisations by section, start date, weight and title.
    pub fn new(
        root: &std::path::Path,
        config: Config,
        referential: &'static Referential,
        mut documents: Vec<Document>,
        mut assets: Vec<Asset>,
    ) -> Site {
        let drafts = documents
            .iter()
            .filter(|d| d.draft)
            .map(|d| (d.source.clone(), d.rel_url.clone()))
            .collect();
        documents.retain(|d| !d.draft);
        documents.sort_by_cached_key(sort_key);
        assets.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        Site {
            root: root.to_owned(),
            config,
            referential,
            documents,
            assets,
            unloaded: Vec::new(),
            partly_loaded: Vec::new(),
            drafts,
        }
    }

    /// How many Markdown files have front-matter errors, left out or partly loaded:
    /// checks that need every réalisation whole (coverage, attestations) wait for them.
    pub fn files_in_error(&self) -> usize {
        self.unloaded.len() + self.partly_loaded.len()
    }

    /// The réalisations, in table order.
    pub fn realisations(&self) -> impl Iterator<Item = &Document> {
        self.documents
            .iter()
            .filter(|d| d.kind == Kind::Realisation)
    }

    /// Standalone pages (not home, not réalisations), in menu order.
    pub fn pages(&self) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(|d| d.kind == Kind::Page)
    }

    /// The document of a kind, if any (home, réalisations index).
    pub fn find_kind(&self, kind: Kind) -> Option<&Document> {
        self.documents.iter().find(|d| d.kind == kind)
    }

    /// The synthesis matrix: réalisations × competences, grouped in the table's sections.
    pub fn synthesis(&self) -> Synthesis {
        let r = self.referential;
        let c = &self.config;
        let competences = r
            .competences
            .iter()
            .map(|k| SynthCompetence {
                code: k.code.clone(),
                title: k.title.clone(),
                subs: k.subs.clone(),
                url: c.url_path(&competence_rel_url(&k.code)),
            })
            .collect();
        let mut sections: Vec<SynthSection> = r
            .contexts
            .iter()
            .map(|ctx| SynthSection {
                id: ctx.id.clone(),
                title: ctx.title.clone(),
                rows: Vec::new(),
            })
            .collect();
        let mut totals = vec![0; r.competences.len()];
        for d in self.realisations() {
            let Some(meta) = &d.realisation else { continue };
            let mut marks = vec![false; r.competences.len()];
            for cr in &meta.competences {
                marks[cr.competence] = true;
            }
            for (t, m) in totals.iter_mut().zip(&marks) {
                *t += usize::from(*m);
            }
            sections[meta.context].rows.push(SynthRow {
                source: d.source.clone(),
                title: d.title.clone(),
                url: c.url_path(&d.rel_url),
                documents: meta.documents.iter().map(document_label).collect(),
                period: date::period(meta.start, meta.end),
                marks,
                codes: meta.competences.iter().map(|cr| r.sub_code(*cr)).collect(),
            });
        }
        Synthesis {
            diploma: r.diploma.clone(),
            session: c.candidate.session,
            name: c.candidate.name.clone(),
            number: c.candidate.number.clone(),
            centre: c.candidate.centre.clone(),
            option: c.candidate.option.map(|o| o.label().to_owned()),
            portfolio_url: if c.base_url == "/" {
                String::new()
            } else {
                c.base_url.clone()
            },
            competences,
            sections,
            totals,
        }
    }
}

/// Canonical order of documents (see [`Site::new`]).
pub fn sort_key(d: &Document) -> (u8, usize, bool, Option<jiff::civil::Date>, i64, String) {
    let kind = match d.kind {
        Kind::Home => 0,
        Kind::Page => 1,
        Kind::RealisationsIndex => 2,
        Kind::Realisation => 3,
    };
    let (ctx, start) = d
        .realisation
        .as_ref()
        .map_or((0, None), |m| (m.context, m.start));
    // Undated réalisations go last in their section: `false` sorts before `true`.
    (
        kind,
        ctx,
        start.is_none(),
        start,
        d.weight,
        d.title.to_lowercase(),
    )
}

/// How a document is listed in the table: its title, and the file name or address.
fn document_label(d: &crate::content::DocumentRef) -> String {
    match &d.target {
        // The name the site publishes ("Cahier été.pdf" → "cahier-ete.pdf"): the jury
        // finds in the table the file it downloads.
        DocTarget::File(f) => {
            let written = f.replace('\\', "/");
            let written = written.rsplit('/').next().unwrap_or(&written);
            let name = crate::slug::slugify_file_name(written);
            if d.title == written || d.title == *f || d.title == name {
                name
            } else {
                format!("{} ({name})", d.title)
            }
        }
        DocTarget::Url(u) => {
            if d.title == *u {
                u.clone()
            } else {
                format!("{} ({u})", d.title)
            }
        }
    }
}

/// Site-relative URL of a competence page: `competences/b1-1/`.
pub fn competence_rel_url(code: &str) -> String {
    format!("competences/{}/", crate::slug::slugify(code))
}

/// The synthesis table's content, shared by the HTML page and the .xlsx.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Synthesis {
    /// Diploma name.
    pub diploma: String,
    /// Exam session.
    pub session: Option<i32>,
    /// NOM et prénom.
    pub name: String,
    /// N° candidat.
    pub number: String,
    /// Centre de formation.
    pub centre: String,
    /// `SISR` or `SLAM`.
    pub option: Option<String>,
    /// Adresse URL du portfolio (empty if not published yet).
    pub portfolio_url: String,
    /// Column heads.
    pub competences: Vec<SynthCompetence>,
    /// The three sections, in order.
    pub sections: Vec<SynthSection>,
    /// Number of réalisations mobilising each competence.
    pub totals: Vec<usize>,
}

/// A competence column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SynthCompetence {
    /// `B1.1`.
    pub code: String,
    /// Official wording.
    pub title: String,
    /// Sub-competences' wording.
    pub subs: Vec<String>,
    /// URL of its page on the site.
    pub url: String,
}

/// A section of the table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SynthSection {
    /// Context id.
    pub id: String,
    /// Official section title.
    pub title: String,
    /// Its réalisations, in date order.
    pub rows: Vec<SynthRow>,
}

/// A réalisation's row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SynthRow {
    /// The réalisation's file, for messages.
    #[serde(skip)]
    pub source: std::path::PathBuf,
    /// Title.
    pub title: String,
    /// URL of its page.
    pub url: String,
    /// Documents and productions.
    pub documents: Vec<String>,
    /// `du JJ/MM/AA au JJ/MM/AA`.
    pub period: String,
    /// One flag per competence.
    pub marks: Vec<bool>,
    /// Codes tagged (with sub-competences).
    pub codes: Vec<String>,
}

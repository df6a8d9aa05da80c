//! The pages of `folio class`: the dashboard, one page per student with every finding,
//! and each student's pre-filled conformity sheet (annexe VI-2 of the exam circular).
//!
//! Tera templates embedded in the binary (`crates/generator/class-templates/`), fed a view
//! made here: the templates only lay out what this module decided, so the dashboard,
//! the recap and the tests agree on every count.

use include_dir::{Dir, include_dir};
use serde::Serialize;

use crate::class::{Finding, Presence, STUDENTS_DIR, StudentReport, TABLE_COPY, stages};
use crate::diagnostic::{Diagnostic, Severity};
use crate::referential::Referential;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/class-templates");

/// A column head: a competence or a section.
#[derive(Serialize)]
struct Head {
    code: String,
    title: String,
}

/// A competence cell of a row.
#[derive(Serialize)]
struct Coverage {
    code: String,
    count: usize,
    missing: bool,
}

/// A stage's attestation cell.
#[derive(Serialize)]
struct Attestation {
    stage: String,
    state: Presence,
    label: &'static str,
}

/// One student's row, with what the templates show and link.
#[derive(Serialize)]
struct Row<'a> {
    s: &'a StudentReport,
    /// The student's folder in the class folder, from the dashboard.
    dir: String,
    coverage: Vec<Coverage>,
    attestations: Vec<Attestation>,
    errors: Vec<&'a Finding>,
    warnings: Vec<&'a Finding>,
    infos: Vec<&'a Finding>,
    missing: Vec<&'a str>,
    realisations: usize,
    table_file: &'static str,
}

/// A class total: how many students, and who.
#[derive(Serialize)]
struct Total {
    what: String,
    count: usize,
    names: Vec<String>,
}

/// A motive of the conformity sheet and what folio saw of it.
#[derive(Serialize)]
struct Motive {
    text: &'static str,
    /// folio saw it: the box is ticked.
    seen: bool,
    /// What folio saw, or what the team must check.
    note: String,
}

#[derive(Serialize)]
struct ClassView<'a> {
    title: &'a str,
    date: String,
    competences: Vec<Head>,
    contexts: Vec<Head>,
    stages: Vec<Head>,
    rows: Vec<Row<'a>>,
    totals: Vec<Total>,
    with_errors: usize,
}

/// Every page of the overview: path in the class folder → bytes.
pub fn pages(
    title: &str,
    r: &Referential,
    students: &[&StudentReport],
    today: jiff::civil::Date,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let tera = tera()?;
    let view = ClassView {
        title,
        date: today.strftime("%d/%m/%Y").to_string(),
        competences: r
            .competences
            .iter()
            .map(|c| Head {
                code: c.code.clone(),
                title: c.title.clone(),
            })
            .collect(),
        contexts: r
            .contexts
            .iter()
            .map(|c| Head {
                code: c.short.clone(),
                title: c.title.clone(),
            })
            .collect(),
        stages: stages(r)
            .iter()
            .map(|c| Head {
                code: c.short.clone(),
                title: c.title.clone(),
            })
            .collect(),
        rows: students.iter().map(|s| row(r, s)).collect(),
        totals: totals(r, students),
        with_errors: students.iter().filter(|s| s.errors > 0).count(),
    };
    let mut out = Vec::new();
    let mut ctx = tera::Context::new();
    ctx.insert("class", &view);
    out.push(("index.html".to_owned(), render(&tera, "index.html", &ctx)?));
    for row in &view.rows {
        ctx.insert("row", row);
        ctx.insert("motives", &motives(row.s, r));
        let dir = &row.dir;
        out.push((
            format!("{dir}index.html"),
            render(&tera, "eleve.html", &ctx)?,
        ));
        out.push((
            format!("{dir}conformite.html"),
            render(&tera, "conformite.html", &ctx)?,
        ));
    }
    let css = TEMPLATES
        .get_file("style.css")
        .map_or(&[][..], |f| f.contents());
    out.push(("style.css".to_owned(), css.to_vec()));
    Ok(out)
}

fn tera() -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    let templates = TEMPLATES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "html"))
        .map(|f| {
            (
                f.path().to_string_lossy().into_owned(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            )
        })
        .collect::<Vec<_>>();
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| vec![internal(&e)])?;
    Ok(tera)
}

fn render(tera: &tera::Tera, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Vec<Diagnostic>> {
    tera.render(name, ctx)
        .map(String::into_bytes)
        .map_err(|e| vec![internal(&e)])
}

/// The class templates are folio's own: an error there is a bug, said as such.
fn internal(e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        "class-internal",
        format!("gabarit du tableau de bord de classe : {e}"),
    )
    .hint("signalez ce problème aux développeurs de folio")
}

fn row<'a>(r: &'a Referential, s: &'a StudentReport) -> Row<'a> {
    let by = |sev: Severity| s.findings.iter().filter(|f| f.severity == sev).collect();
    Row {
        s,
        dir: format!("{STUDENTS_DIR}/{}/", s.slug),
        coverage: r
            .competences
            .iter()
            .zip(&s.coverage)
            .map(|(c, &count)| Coverage {
                code: c.code.clone(),
                count,
                missing: s.coverage_known() && count == 0,
            })
            .collect(),
        attestations: stages(r)
            .iter()
            .zip(&s.attestations)
            .map(|(c, &state)| Attestation {
                stage: c.short.clone(),
                state,
                label: presence_label(state),
            })
            .collect(),
        errors: by(Severity::Error),
        warnings: by(Severity::Warning),
        infos: by(Severity::Info),
        missing: if s.coverage_known() {
            s.missing(r)
        } else {
            Vec::new()
        },
        realisations: s.per_context.iter().sum(),
        table_file: TABLE_COPY,
    }
}

/// The word shown for an attestation (never a colour alone).
pub fn presence_label(p: Presence) -> &'static str {
    match p {
        Presence::Present => "oui",
        Presence::Missing => "non",
        Presence::NotAsked => "sans réalisation",
        Presence::Unknown => "inconnue",
    }
}

/// The class totals: who misses each competence, the table, an attestation; who could
/// not be read at all.
fn totals(r: &Referential, students: &[&StudentReport]) -> Vec<Total> {
    let total = |what: String, keep: &dyn Fn(&StudentReport) -> bool| {
        let names: Vec<String> = students
            .iter()
            .filter(|s| keep(s))
            .map(|s| s.name.clone())
            .collect();
        Total {
            what,
            count: names.len(),
            names,
        }
    };
    let mut out = vec![total(
        "Portfolio illisible (aucune réalisation lue)".into(),
        &|s| !s.readable,
    )];
    for (i, c) in r.competences.iter().enumerate() {
        out.push(total(
            format!("{} non couverte ({})", c.code, c.title),
            &|s| s.coverage_known() && s.coverage[i] == 0,
        ));
    }
    out.push(total("Tableau de synthèse non généré".into(), &|s| {
        !s.table
    }));
    for (i, c) in stages(r).iter().enumerate() {
        out.push(total(
            format!("Attestation manquante : {}", c.title),
            &|s| s.attestations.get(i) == Some(&Presence::Missing),
        ));
    }
    out.push(total("Site qui ne se génère pas".into(), &|s| !s.site));
    out
}

/// The motives of annexe VI-2, each with what folio could see of it.
fn motives(s: &StudentReport, r: &Referential) -> Vec<Motive> {
    let no_folder = s.findings.iter().any(|f| f.code == "class-folder-missing");
    let dossier = if no_folder {
        Motive {
            text: "absence de dossier ;",
            seen: true,
            note: format!("vu par folio : le dossier {} est introuvable", s.folder),
        }
    } else if !s.readable {
        Motive {
            text: "absence de dossier ;",
            seen: false,
            note: "à vérifier : folio trouve le dossier mais ne peut pas lire le portfolio (voir les constats)".into(),
        }
    } else {
        Motive {
            text: "absence de dossier ;",
            seen: false,
            note: "folio a lu le portfolio".into(),
        }
    };
    vec![
        dossier,
        Motive {
            text: "dépôt du dossier au-delà de la date fixée par les autorités académiques ;",
            seen: false,
            note: "à vérifier par l'équipe : folio ne connaît pas la date de dépôt".into(),
        },
        Motive {
            text: "durée de stage inférieure à celle requise par la réglementation de l'examen ;",
            seen: false,
            note: "à vérifier par l'équipe : folio ne lit pas la durée des stages".into(),
        },
        attestation_motive(s, r),
    ]
}

fn attestation_motive(s: &StudentReport, r: &Referential) -> Motive {
    let text = "attestations de stage ou certificat(s) de travail non présentes ou non signés par les personnes habilitées à cet effet.";
    let names = |p: Presence| -> Vec<String> {
        stages(r)
            .iter()
            .zip(&s.attestations)
            .filter(|(_, a)| **a == p)
            .map(|(c, _)| c.title.clone())
            .collect()
    };
    let missing = names(Presence::Missing);
    if !missing.is_empty() {
        return Motive {
            text,
            seen: true,
            note: format!(
                "vu par folio : aucune attestation trouvée pour {} ; la signature des autres reste à vérifier",
                missing.join(", ")
            ),
        };
    }
    let note = if !s.readable {
        "à vérifier : portfolio illisible, folio n'a pas pu chercher les attestations".to_owned()
    } else if s.attestations.contains(&Presence::Unknown) {
        "à vérifier : une réalisation en erreur a été laissée de côté, folio n'a pas pu chercher toutes les attestations".to_owned()
    } else {
        let unasked = names(Presence::NotAsked);
        let mut note = "folio trouve une attestation pour chaque stage qui a des réalisations ; leur signature reste à vérifier".to_owned();
        if !unasked.is_empty() {
            note.push_str(&format!(
                " (aucune réalisation pour {} : attestation non cherchée)",
                unasked.join(", ")
            ));
        }
        note
    };
    Motive {
        text,
        seen: false,
        note,
    }
}

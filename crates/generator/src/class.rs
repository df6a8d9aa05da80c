//! `folio class`: a teacher's overview of 15 to 35 portfolios, from the students'
//! folders alone, with no server.
//!
//! Every portfolio is checked and built in parallel with the library's own pipeline
//! ([`build::inspect`], the offline copy), one student at a time so that a broken
//! portfolio only fills its own row. Each student's folder is written with the rules of
//! a site ([`Output::write_atomically`]: atomic, never over a folder folio did not
//! write, the teacher's own files kept), the files at the top one by one, atomically,
//! the dashboard last. The class folder carries a mark ([`CLASS_MARK`]) listing them:
//!
//! ```text
//! classe/index.html                     tableau de bord (triable, sans serveur)
//! classe/recapitulatif.xlsx             une ligne par élève, couleurs des compétences manquantes
//! classe/eleves/NOM/index.html          tous les constats de l'élève
//! classe/eleves/NOM/conformite.html     fiche de contrôle de conformité pré-remplie (annexe VI-2)
//! classe/eleves/NOM/site/               copie hors ligne de son site
//! classe/eleves/NOM/tableau-de-synthese.xlsx
//! classe/eleves/NOM/donnees.json        son résumé, réutilisé tant que ses fichiers ne changent pas
//! ```
//!
//! A portfolio whose files have not changed since the last run (same sizes and dates,
//! same folio, same day, same line of classe.toml) is not rebuilt and its folder not
//! rewritten: its summary is read back. Rewriting 35 unchanged sites (1 500 files) was
//! the whole cost of a second run; without it a class takes a few tens of milliseconds.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build;
use crate::config::{Config, Overrides};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::output::{OutFile, Output, Sources};
use crate::referential::{ContextDef, Referential};
use crate::roster::{Entry, Roster};

/// Folder of the students' pages and sites in the class folder.
pub const STUDENTS_DIR: &str = "eleves";
/// The class recap workbook.
pub const RECAP_FILE: &str = "recapitulatif.xlsx";
/// Each student's table, beside their site.
pub const TABLE_COPY: &str = "tableau-de-synthese.xlsx";
/// Each student's summary, read back by the next run.
const DATA_FILE: &str = "donnees.json";
/// Folders of a portfolio that are folio's output or tools' data, not sources.
const NOT_SOURCES: [&str; 5] = ["public", "hors-ligne", ".git", "node_modules", "target"];

/// One finding, as the class pages show it and the next run reads it back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// Error, warning or note.
    pub severity: Severity,
    /// The finding's French word (`erreur`…), for the pages.
    pub label: String,
    /// The finding's code.
    pub code: String,
    /// `file:line:col` in the portfolio, when it applies to a file.
    pub place: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for Finding {
    fn from(d: &Diagnostic) -> Finding {
        let mut message = d.message.clone();
        if let Some(field) = &d.field {
            message.push_str(&format!(" (champ « {field} »)"));
        }
        Finding {
            severity: d.severity,
            label: d.severity.label().to_owned(),
            code: d.code.to_owned(),
            place: d.location.as_ref().map(ToString::to_string),
            message,
            hint: d.hint.clone(),
        }
    }
}

/// What folio can say about a stage's attestation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Found.
    Present,
    /// Not found.
    Missing,
    /// The stage has no réalisation: nothing to attest in the portfolio.
    NotAsked,
    /// The portfolio could not be read.
    Unknown,
}

/// One student's row: everything the dashboard, the recap and the conformity sheet show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentReport {
    /// Folder name of the student's pages in `eleves/`.
    pub slug: String,
    /// The portfolio folder as given.
    pub folder: String,
    /// `NOM Prénom` from portfolio.toml (else classe.toml's `nom`, else the folder name).
    pub name: String,
    /// SISR or SLAM.
    pub option: Option<String>,
    /// N° candidat.
    pub number: String,
    /// The published address (`base_url`), if any.
    pub published_url: Option<String>,
    /// The student's Git repository (classe.toml's `depot`).
    pub repository: Option<String>,
    /// Whether portfolio.toml and the theme could be read: the counts below mean something.
    pub readable: bool,
    /// Some réalisations were left out or read without refused values (front-matter
    /// errors): counts are partial.
    pub partial: bool,
    /// Réalisations per section of the table (formation, stage 1, stage 2).
    pub per_context: Vec<usize>,
    /// Réalisations mobilising each competence, in the referential's order.
    pub coverage: Vec<usize>,
    /// Attestation of each internship section, in the referential's order.
    pub attestations: Vec<Presence>,
    /// The synthesis table could be generated, complete and linked.
    pub table: bool,
    /// The site was built (no error that makes the site itself wrong).
    pub site: bool,
    /// Counts by severity.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub infos: usize,
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
}

impl StudentReport {
    /// Whether a zero means "not covered": every réalisation was read (a file left out
    /// for its broken front matter may be the one that covers it).
    pub fn coverage_known(&self) -> bool {
        self.readable && !self.partial
    }

    /// Competences no réalisation mobilises, by code.
    pub fn missing<'r>(&self, r: &'r Referential) -> Vec<&'r str> {
        r.competences
            .iter()
            .zip(&self.coverage)
            .filter(|(_, n)| **n == 0)
            .map(|(c, _)| c.code.as_str())
            .collect()
    }
}

/// The internship sections of the referential, whose attestations are asked for (the
/// same rule as [`crate::check::attestations`]).
pub fn stages(r: &Referential) -> Vec<&ContextDef> {
    r.contexts
        .iter()
        .filter(|c| c.id.starts_with("stage"))
        .collect()
}

/// Settings of `folio class`.
#[derive(Debug, Clone, Default)]
pub struct ClassOptions {
    /// The class folder to write.
    pub output: PathBuf,
    /// Write into an existing folder folio did not create, keeping its files.
    pub force: bool,
    /// Rebuild every portfolio, even unchanged ones.
    pub rebuild_all: bool,
}

/// Progress, for a bar or a line per student.
#[derive(Debug)]
pub enum Event<'a> {
    /// The number of portfolios about to be read.
    Started(usize),
    /// A portfolio is done; `reused` when it had not changed since the last run.
    Done(&'a StudentReport, bool),
}

/// What `folio class` did.
#[derive(Debug)]
pub struct ClassReport {
    /// The class folder.
    pub output: PathBuf,
    /// One row per student, in the order given.
    pub students: Vec<StudentReport>,
    /// Portfolios checked and built this time.
    pub rebuilt: usize,
    /// Portfolios unchanged since the last run.
    pub reused: usize,
    /// Files the teacher added to a student's folder during the run that could not be
    /// placed in its new version (`output-set-aside`).
    pub set_aside: Vec<Diagnostic>,
    /// Wall time.
    pub duration: Duration,
}

impl ClassReport {
    /// Whether any student's portfolio has an error (the exit code).
    pub fn has_errors(&self) -> bool {
        self.students.iter().any(|s| s.errors > 0)
    }
}

/// One student, done: the row, the files for the class folder, what to save.
struct Student {
    saved: Saved,
    /// The offline copy of the site, relative to its own folder.
    site: Output,
    table: Option<OutFile>,
    reused: bool,
}

/// What the next run reads back to skip an unchanged portfolio.
#[derive(Serialize, Deserialize)]
struct Saved {
    folio: String,
    fingerprint: Option<String>,
    /// Theme folders outside the portfolio: they are part of its fingerprint.
    theme_folders: Vec<PathBuf>,
    report: StudentReport,
}

/// Check and build every portfolio, then write the class folder.
pub fn run(
    roster: &Roster,
    opts: &ClassOptions,
    progress: &(dyn Fn(Event<'_>) + Sync),
) -> Result<ClassReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let sources = sources(roster);
    // Before any student is built: a refused folder is said at once.
    check_output(&opts.output, &sources)?;
    claimable(&opts.output, opts.force)?;
    mark(&opts.output)?;
    let slugs = slugs(&roster.students);
    progress(Event::Started(slugs.len()));
    let students: Vec<Student> = roster
        .students
        .par_iter()
        .zip(&slugs)
        .map(|(entry, slug)| {
            let s = student(entry, slug, opts, &roster.title);
            progress(Event::Done(&s.saved.report, s.reused));
            s
        })
        .collect();
    let folder = assemble(roster, &students)?;
    let set_aside = write_students(&opts.output, folder.per_student, &sources, opts.force)?;
    if let Err(errors) = write_top(&opts.output, folder.top, &sources, opts.force) {
        return Err(errors.into_iter().chain(set_aside).collect());
    }
    let reused = students.iter().filter(|s| s.reused).count();
    Ok(ClassReport {
        output: opts.output.clone(),
        rebuilt: students.len() - reused,
        reused,
        students: students.into_iter().map(|s| s.saved.report).collect(),
        set_aside,
        duration: started.elapsed(),
    })
}

/// The class folder may not be, hold or lie inside a student's portfolio or theme, nor
/// hold the teacher's folder.
fn check_output(dest: &Path, sources: &Sources) -> Result<(), Vec<Diagnostic>> {
    crate::output::check_destination(dest, sources).map_err(|e| {
        let hint = "le suivi de classe va dans un dossier à part, hors des portfolios et des thèmes des élèves (par défaut : classe/ à côté de classe.toml) : -o suivi-sio2";
        let mut d = build::write_error(e);
        if d.code == "output-unsafe" {
            d = d.hint(hint);
        }
        vec![d]
    })
}

/// The students' folders and the theme folders their `portfolio.toml` names: the class
/// folder may not be, hold or lie inside one (inside a class theme, every student's site
/// would publish the class's names and errors), nor hold the teacher's folder.
fn sources(roster: &Roster) -> Sources {
    let here = std::env::current_dir().unwrap_or_default();
    let themes = roster
        .students
        .par_iter()
        .filter_map(|s| {
            let (config, _) = Config::load_with_lenient(&s.folder, &Overrides::default()).ok()?;
            Some(s.folder.join(config.theme?))
        })
        .map(|f| crate::output::resolved(&f))
        .collect::<Vec<_>>();
    let mut folders: Vec<PathBuf> = roster.students.iter().map(|s| s.folder.clone()).collect();
    for theme in themes {
        // Named from here in messages, not as `eleves/tom/../../theme-classe`.
        let shown = match theme.strip_prefix(&here) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_owned(),
            _ => theme,
        };
        if !folders.contains(&shown) {
            folders.push(shown);
        }
    }
    Sources {
        root: roster.base.clone(),
        folders,
    }
}

/// A folder name per student, from their portfolio folder's name, unique in the class.
fn slugs(students: &[Entry]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    students
        .iter()
        .map(|e| {
            let name = crate::output::resolved(&e.folder)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let base = match crate::slug::slugify(&name) {
                s if s.is_empty() => "eleve".to_owned(),
                s => s,
            };
            let mut slug = base.clone();
            let mut n = 1;
            while !taken.insert(slug.clone()) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            slug
        })
        .collect()
}

/// One student: reused if unchanged, else checked and built. Never panics out: a bug
/// met on one portfolio is reported on its row and the class goes on.
fn student(entry: &Entry, slug: &str, opts: &ClassOptions, title: &str) -> Student {
    let previous = opts.output.join(STUDENTS_DIR).join(slug);
    // The student's pages also show these: a change rewrites them.
    let salt = format!("{title}\n{:?}\n{:?}", entry.name, entry.repository);
    if !opts.rebuild_all
        && let Some(s) = reuse(entry, &previous, &salt)
    {
        return s;
    }
    let fresh =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inspect(entry, slug, &salt)));
    fresh.unwrap_or_else(|_| {
        let d = Diagnostic::error(
            "class-internal",
            "folio a rencontré une erreur interne sur ce portfolio",
        )
        .in_file(&entry.folder)
        .hint("les autres élèves sont traités ; signalez ce problème aux développeurs de folio avec ce portfolio");
        unreadable(entry, slug, vec![d])
    })
}

/// The previous run's result, if the portfolio, its line of classe.toml and the class
/// title have not changed since, and its folder is still there: nothing to write then.
fn reuse(entry: &Entry, previous: &Path, salt: &str) -> Option<Student> {
    let text = std::fs::read(previous.join(DATA_FILE)).ok()?;
    let saved: Saved = serde_json::from_slice(&text).ok()?;
    let now = fingerprint(&entry.folder, &saved.theme_folders, salt)?;
    if saved.folio != env!("CARGO_PKG_VERSION")
        || saved.fingerprint.as_deref() != Some(&now)
        || !previous.join(crate::output::MANIFEST).is_file()
    {
        return None;
    }
    Some(Student {
        saved,
        site: Output::default(),
        table: None,
        reused: true,
    })
}

/// A portfolio checked and built from its sources.
fn inspect(entry: &Entry, slug: &str, salt: &str) -> Student {
    if !entry.folder.is_dir() {
        let what = if entry.folder.exists() {
            "n'est pas un dossier"
        } else {
            "est introuvable"
        };
        let d = Diagnostic::error(
            "class-folder-missing",
            format!("le dossier du portfolio {} {what}", entry.folder.display()),
        )
        .at(entry
            .named_at
            .clone()
            .unwrap_or_else(|| Location::file(&entry.folder)))
        .hint("vérifiez le chemin (relatif au fichier classe.toml), ou clonez d'abord le dépôt de l'élève");
        return unreadable(entry, slug, vec![d]);
    }
    let fingerprint_before = fingerprint(&entry.folder, &[], salt);
    let inspection = build::inspect(&entry.folder, &Overrides::default());
    let Some((loaded, output, rendered)) = inspection.loaded else {
        return unreadable(entry, slug, inspection.findings);
    };
    let mut student = readable(
        entry,
        slug,
        &loaded,
        &output,
        &rendered,
        inspection.findings,
    );
    // Compared resolved: `eleves/tom/../../theme-classe` is outside Tom's folder. A
    // folder that does not exist (no `templates/` of his own) holds nothing to watch.
    let own = entry
        .folder
        .canonicalize()
        .unwrap_or_else(|_| entry.folder.clone());
    let outside: Vec<PathBuf> = loaded
        .theme
        .folders
        .iter()
        .filter(|f| f.canonicalize().is_ok_and(|f| !f.starts_with(&own)))
        .cloned()
        .collect();
    // Taken before reading: a file saved during the build makes the next run rebuild.
    student.saved.fingerprint = if outside.is_empty() {
        fingerprint_before
    } else {
        fingerprint(&entry.folder, &outside, salt)
    };
    student.saved.theme_folders = outside;
    student
}

/// The row of a portfolio folio could not read at all.
fn unreadable(entry: &Entry, slug: &str, findings: Vec<Diagnostic>) -> Student {
    let r = Referential::bts_sio_bloc1();
    let report = StudentReport {
        name: entry.name.clone().unwrap_or_else(|| folder_name(entry)),
        option: None,
        number: String::new(),
        published_url: None,
        readable: false,
        partial: false,
        per_context: vec![0; r.contexts.len()],
        coverage: vec![0; r.competences.len()],
        attestations: vec![Presence::Unknown; stages(r).len()],
        table: false,
        site: false,
        ..base_report(entry, slug, &findings)
    };
    Student {
        saved: saved(report),
        site: Output::default(),
        table: None,
        reused: false,
    }
}

fn folder_name(entry: &Entry) -> String {
    crate::output::resolved(&entry.folder)
        .file_name()
        .map_or_else(
            || entry.folder.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
}

/// The fields every report has, from its findings.
fn base_report(entry: &Entry, slug: &str, findings: &[Diagnostic]) -> StudentReport {
    let (errors, warnings, infos) = crate::check::summary(findings);
    let mut sorted: Vec<&Diagnostic> = findings.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    StudentReport {
        slug: slug.to_owned(),
        folder: entry.folder.display().to_string(),
        name: String::new(),
        option: None,
        number: String::new(),
        published_url: None,
        repository: entry.repository.clone(),
        readable: true,
        partial: false,
        per_context: Vec::new(),
        coverage: Vec::new(),
        attestations: Vec::new(),
        table: false,
        site: false,
        errors,
        warnings,
        infos,
        findings: sorted.into_iter().map(Finding::from).collect(),
    }
}

/// The row and files of a portfolio whose configuration could be read.
fn readable(
    entry: &Entry,
    slug: &str,
    loaded: &build::Loaded,
    output: &Output,
    rendered: &[crate::markdown::Rendered],
    findings: Vec<Diagnostic>,
) -> Student {
    let site = &loaded.site;
    let synthesis = site.synthesis();
    let partial = site.files_in_error() > 0;
    // The same rule as `folio build --ignore-checks`: the dossier checks do not stop a
    // site, an error that makes the site itself wrong does.
    // A refused value of portfolio.toml was replaced by a default: never published.
    let config_whole = site.config.refused.is_empty();
    let builds = !partial
        && config_whole
        && !findings
            .iter()
            .any(|d| d.is_error() && !crate::check::CODES.contains(&d.code));
    let table_file = &site.config.table.file;
    let table_ok = !partial
        && config_whole
        && output.files.contains_key(table_file)
        && !findings
            .iter()
            .any(|d| d.is_error() && d.code.starts_with("table-"));
    let attestations = crate::check::attestations(site, rendered)
        .iter()
        .map(|s| match (s.first, s.present) {
            (None, _) => Presence::NotAsked,
            (_, true) => Presence::Present,
            // The file left out may hold it: `folio check` waits too.
            (_, false) if partial => Presence::Unknown,
            (_, false) => Presence::Missing,
        })
        .collect();
    let name = match synthesis.name.trim() {
        "" => entry.name.clone().unwrap_or_else(|| folder_name(entry)),
        n => n.to_owned(),
    };
    let report = StudentReport {
        name,
        option: synthesis.option.clone(),
        number: synthesis.number.clone(),
        published_url: Some(synthesis.portfolio_url.clone()).filter(|u| !u.is_empty()),
        partial,
        per_context: synthesis.sections.iter().map(|s| s.rows.len()).collect(),
        coverage: synthesis.totals.clone(),
        attestations,
        table: table_ok,
        site: builds,
        ..base_report(entry, slug, &findings)
    };
    let site_copy = if builds {
        crate::offline::convert(output, &site.config).0
    } else {
        Output::default()
    };
    let table = table_ok
        .then(|| output.files.get(table_file).cloned())
        .flatten();
    Student {
        saved: saved(report),
        site: site_copy,
        table,
        reused: false,
    }
}

fn saved(report: StudentReport) -> Saved {
    Saved {
        folio: env!("CARGO_PKG_VERSION").to_owned(),
        fingerprint: None,
        theme_folders: Vec::new(),
        report,
    }
}

/// Sizes and modification times of every source file of a portfolio (and of theme
/// folders outside it), with folio's version and today's date (checks of periods depend
/// on it), and `salt` (what else the student's pages show). `None` when a folder cannot
/// be read: the portfolio is then always rebuilt.
fn fingerprint(root: &Path, extra: &[PathBuf], salt: &str) -> Option<String> {
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    salt.hash(&mut h);
    jiff::Zoned::now().date().to_string().hash(&mut h);
    for dir in std::iter::once(root).chain(extra.iter().map(PathBuf::as_path)) {
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() != 1 || !NOT_SOURCES.contains(&e.file_name().to_string_lossy().as_ref())
            });
        for entry in walk {
            let entry = entry.ok()?;
            let meta = entry.metadata().ok()?;
            // Relative: the same class run from another folder is the same class.
            entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .hash(&mut h);
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    Some(format!("{:016x}", h.finish()))
}

/// What a run writes in the class folder.
struct ClassFolder {
    /// Each rebuilt student's folder, by slug.
    per_student: Vec<(String, Output)>,
    /// The files at the top: dashboard, style, recap.
    top: Output,
}

/// The class folder in memory: one folder per rebuilt student (a reused one is on disk
/// as it would be written), and the files at the top (dashboard, style, recap).
fn assemble(roster: &Roster, students: &[Student]) -> Result<ClassFolder, Vec<Diagnostic>> {
    let reports: Vec<&StudentReport> = students.iter().map(|s| &s.saved.report).collect();
    let r = Referential::bts_sio_bloc1();
    let today = jiff::Zoned::now().date();
    let mut pages = crate::dashboard::pages(&roster.title, r, &reports, today)?;
    let mut per_student = Vec::new();
    for s in students.iter().filter(|s| !s.reused) {
        let slug = &s.saved.report.slug;
        let mut out = Output::default();
        for (rel, file) in &s.site.files {
            out.files.insert(format!("site/{rel}"), file.clone());
        }
        if let Some(t) = &s.table {
            out.files.insert(TABLE_COPY.to_owned(), t.clone());
        }
        let json = serde_json::to_vec_pretty(&s.saved).unwrap_or_default();
        out.put(DATA_FILE, json);
        let prefix = format!("{STUDENTS_DIR}/{slug}/");
        for (path, bytes) in pages.extract_if(.., |(p, _)| p.starts_with(&prefix)) {
            out.put(&path[prefix.len()..], bytes);
        }
        per_student.push((slug.clone(), out));
    }
    let mut top = Output::default();
    for (path, bytes) in pages.into_iter().filter(|(p, _)| !p.contains('/')) {
        top.put(path, bytes);
    }
    top.put(RECAP_FILE, crate::recap::write(&roster.title, r, &reports)?);
    Ok(ClassFolder { per_student, top })
}

/// Marks a class folder as folio's, and lists the files folio wrote at its top.
pub const CLASS_MARK: &str = ".folio-classe";

/// Whether the class folder is folio's (or new, or empty), or `force`: never write
/// among a teacher's own files by mistake.
fn claimable(dest: &Path, force: bool) -> Result<(), Vec<Diagnostic>> {
    let entries: Vec<String> = match std::fs::read_dir(dest) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    if !entries.is_empty() && !dest.join(CLASS_MARK).is_file() && !force {
        let mut sample = entries.clone();
        sample.sort();
        sample.truncate(5);
        return Err(vec![build::write_error(
            crate::output::WriteError::NotOurs {
                dest: dest.to_owned(),
                sample,
                count: entries.len(),
            },
        )]);
    }
    Ok(())
}

/// Marks the class folder as folio's.
fn mark(dest: &Path) -> Result<(), Vec<Diagnostic>> {
    // Marked before anything is written: a run stopped half-way leaves a folder the
    // next run still knows as its own.
    let io = |p: &Path, e| {
        vec![build::write_error(crate::output::WriteError::Io(
            p.to_owned(),
            e,
        ))]
    };
    std::fs::create_dir_all(dest).map_err(|e| io(dest, e))?;
    let mark = dest.join(CLASS_MARK);
    let text = format!(
        "# Dossier écrit par folio class. Fichiers du haut que folio remplace :\n{}\n",
        TOP_FILES.join("\n")
    );
    std::fs::write(&mark, text).map_err(|e| io(&mark, e))
}

/// Each rebuilt student's folder, atomically, as a site is written: the previous one
/// stays whole on error, files the teacher added there are kept (the warnings of those
/// that could not be placed are returned).
fn write_students(
    dest: &Path,
    students: Vec<(String, Output)>,
    sources: &Sources,
    force: bool,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let written: Vec<Result<Option<Diagnostic>, Diagnostic>> = students
        .par_iter()
        .map(|(slug, out)| {
            let dir = dest.join(STUDENTS_DIR).join(slug);
            out.write_atomically(&dir, sources, force)
                .map(build::set_aside)
                .map_err(build::write_error)
        })
        .collect();
    let mut set_aside = Vec::new();
    let mut errors = Vec::new();
    for w in written {
        match w {
            Ok(warning) => set_aside.extend(warning),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(set_aside)
    } else {
        // The folders already written are told too.
        Err(errors.into_iter().chain(set_aside).collect())
    }
}

/// The files at the top of the class folder, in the order written: the dashboard last,
/// so that it never links to a page not written yet.
const TOP_FILES: [&str; 3] = ["style.css", RECAP_FILE, "index.html"];

/// The files at the top of the class folder, one by one, each replaced atomically and
/// never over a file folio did not write unless `force`.
fn write_top(
    dest: &Path,
    top: Output,
    sources: &Sources,
    force: bool,
) -> Result<(), Vec<Diagnostic>> {
    for name in TOP_FILES {
        let Some(file) = top.files.get(name) else {
            continue;
        };
        let bytes = file.read().unwrap_or_default();
        let kind = crate::output::SingleFile {
            extension: name.rsplit('.').next().unwrap_or(""),
            what: "ce fichier du suivi de classe",
            example: "classe/",
            guess: "un fichier à vous dans le dossier du suivi ?",
            opened_in: "Excel, LibreOffice ou le navigateur",
            is_ours: listed_in_mark,
        };
        crate::output::save_file(&dest.join(name), &bytes, sources, force, &kind)?;
    }
    Ok(())
}

/// Whether the class folder's mark lists this file: folio wrote it, and may replace it.
fn listed_in_mark(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    let name = name.to_string_lossy();
    std::fs::read_to_string(dir.join(CLASS_MARK))
        .is_ok_and(|t| t.lines().any(|l| !l.starts_with('#') && l == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(folder: &str) -> Entry {
        Entry {
            folder: PathBuf::from(folder),
            named_at: None,
            name: None,
            repository: None,
        }
    }

    #[test]
    fn slugs_are_unique_and_safe() {
        let students = [
            entry("a/Léa Martin"),
            entry("b/léa-martin"),
            entry("c/../d/tom"),
        ];
        assert_eq!(slugs(&students), ["lea-martin", "lea-martin-2", "tom"]);
    }

    #[test]
    fn a_missing_folder_fills_its_row_only() {
        let s = inspect(&entry("/nonexistent/folio-class"), "x", "");
        let r = &s.saved.report;
        assert!(!r.readable && !r.site && !r.table);
        assert_eq!(r.errors, 1);
        assert_eq!(r.findings[0].code, "class-folder-missing");
        assert_eq!(r.attestations, [Presence::Unknown, Presence::Unknown]);
    }
}

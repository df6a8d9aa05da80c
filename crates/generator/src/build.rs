//! The pipeline: load config and content → validate → render pages and table → write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, Overrides};
use crate::content::{self, Asset, CONTENT_DIR, STATIC_DIR, is_ignored, rel_string};
use crate::diagnostic::Diagnostic;
use crate::output::{OutFile, Output, Sources, WriteError, Writer};
use crate::referential::Referential;
use crate::render;
use crate::site::Site;
use crate::theme::Theme;

/// A portfolio loaded and validated, with its theme ready.
pub struct Loaded {
    /// The portfolio's root folder.
    pub root: PathBuf,
    /// The model.
    pub site: Site,
    /// The merged theme.
    pub theme: Theme,
    /// Templates, compiled.
    pub tera: tera::Tera,
    /// Findings that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub output_dir: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Réalisations in the site and table.
    pub realisations: usize,
    /// Findings that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub duration: Duration,
}

/// Every Markdown file and every other file of a portfolio, relative to its root.
#[derive(Debug, Default)]
pub struct Scan {
    /// Markdown files.
    pub markdown: Vec<PathBuf>,
    /// Files to copy.
    pub assets: Vec<Asset>,
    /// Problems reading folders.
    pub errors: Vec<Diagnostic>,
    /// Things skipped on purpose (links out of the portfolio).
    pub warnings: Vec<Diagnostic>,
}

/// Walk `content/` and `static/`.
pub fn scan(root: &Path) -> Scan {
    let mut scan = Scan::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    for (dir, is_content) in [(CONTENT_DIR, true), (STATIC_DIR, false)] {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter();
        for entry in
            walker.filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| p.strip_prefix(root).unwrap_or(p).to_owned())
                        .unwrap_or_else(|| PathBuf::from(dir));
                    scan.errors.push(
                        Diagnostic::error(
                            "file-unreadable",
                            format!("dossier ou fichier illisible : {e}"),
                        )
                        .in_file(&path)
                        .hint("vérifiez les droits d'accès de ce dossier"),
                    );
                    continue;
                }
            };
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_owned();
            let mut is_file = entry.file_type().is_file();
            if entry.file_type().is_symlink() {
                // A link is followed only if it stays inside the portfolio: the site
                // must never publish, and the server never serve, a file from elsewhere.
                match entry.path().canonicalize() {
                    Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {
                        is_file = true
                    }
                    Ok(target) if target.is_dir() => {
                        scan.warnings.push(
                            Diagnostic::warning(
                                "symlink-skipped",
                                "lien symbolique vers un dossier ignoré",
                            )
                            .in_file(&rel)
                            .hint("copiez le dossier dans le portfolio plutôt que de le lier"),
                        );
                        continue;
                    }
                    _ => {
                        scan.warnings.push(
                            Diagnostic::warning("symlink-outside", "lien symbolique vers un fichier hors du portfolio (ou cassé) ignoré")
                                .in_file(&rel)
                                .hint("copiez le fichier dans le portfolio"),
                        );
                        continue;
                    }
                }
            }
            if !is_file {
                if !entry.file_type().is_dir() {
                    // A named pipe or a device: reading it could hang; say so.
                    scan.warnings.push(
                        Diagnostic::warning("file-special", "fichier spécial (tube, périphérique) ignoré")
                            .in_file(&rel)
                            .hint("folio ne lit que des fichiers ordinaires : supprimez-le ou remplacez-le par un vrai fichier"),
                    );
                }
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if is_content && (name.ends_with(".md") || name.ends_with(".markdown")) {
                scan.markdown.push(rel);
            } else {
                let inner = entry.path().strip_prefix(&base).unwrap_or(entry.path());
                let size = std::fs::metadata(entry.path())
                    .map(|m| m.len())
                    .unwrap_or(0);
                scan.assets.push(Asset {
                    source: entry.path().to_owned(),
                    rel_path: crate::slug::slugify_path(&rel_string(inner)),
                    size,
                });
            }
        }
    }
    scan
}

/// Load and validate a portfolio; any error stops it (for `build`).
pub fn load(root: &Path, overrides: &Overrides) -> Result<Loaded, Vec<Diagnostic>> {
    let (loaded, mut errors) = load_lenient(root, overrides)?;
    if !errors.is_empty() {
        errors.extend(loaded.warnings);
        return Err(errors);
    }
    Ok(loaded)
}

/// Load what can be loaded: a file whose front matter is broken is left out (and named
/// in [`Site::unloaded`]), one with refused values is kept with the rest (and named in
/// [`Site::partly_loaded`]), so that `folio check` still reports every other finding.
/// Only an unreadable configuration or theme stops it.
pub fn load_lenient(
    root: &Path,
    overrides: &Overrides,
) -> Result<(Loaded, Vec<Diagnostic>), Vec<Diagnostic>> {
    crate::timings::mark("start");
    let (config, config_errors) = Config::load_with_lenient(root, overrides)?;
    let referential = Referential::bts_sio_bloc1();
    // A theme that cannot be read stops here: with portfolio.toml's refused values.
    let with_config = |e: Vec<Diagnostic>| [config_errors.clone(), e].concat();
    let (theme, option_errors) = Theme::load(root, &config).map_err(with_config)?;
    let tera = theme.tera(&config.base_path).map_err(with_config)?;
    crate::timings::mark("config, theme, templates");
    let scan = scan(root);
    crate::timings::mark("scan");
    let mut errors = config_errors;
    errors.extend(option_errors);
    errors.extend(scan.errors);
    let mut warnings = scan.warnings;
    let results: Vec<_> = scan
        .markdown
        .par_iter()
        .map(|rel| content::load_document_lenient(root, rel, referential))
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    let mut unloaded = Vec::new();
    let mut partly_loaded = Vec::new();
    for (rel, r) in scan.markdown.iter().zip(results) {
        match r {
            Ok((mut d, mut e)) => {
                // A draft changes no coverage nor attestation: nothing waits for it.
                if !e.is_empty() && !d.draft {
                    partly_loaded.push(rel.clone());
                }
                errors.append(&mut e);
                warnings.append(&mut d.warnings);
                documents.push(d);
            }
            Err(mut e) => {
                errors.append(&mut e);
                unloaded.push((rel.clone(), content::url_of(rel)));
            }
        }
    }
    crate::timings::mark("documents loaded");
    let mut site = Site::new(root, config, referential, documents, scan.assets);
    site.unloaded = unloaded;
    site.partly_loaded = partly_loaded;
    errors.extend(render::collisions(&site, &theme));
    crate::timings::mark("site");
    let loaded = Loaded {
        root: root.to_owned(),
        site,
        theme,
        tera,
        warnings,
    };
    Ok((loaded, errors))
}

impl Loaded {
    /// Render the whole site, table included, into memory, with each document's
    /// rendered Markdown (for the checks).
    pub fn render(&self) -> Result<(Output, Vec<crate::markdown::Rendered>), Vec<Diagnostic>> {
        self.render_using(
            &render::link_targets(&self.site, &self.theme),
            &mut render::ViewCache::default(),
        )
    }

    /// [`Loaded::render`] with link targets already computed (the dev server keeps them).
    pub fn render_using(
        &self,
        targets: &crate::markdown::LinkTargets,
        cache: &mut render::ViewCache,
    ) -> Result<(Output, Vec<crate::markdown::Rendered>), Vec<Diagnostic>> {
        let (output, rendered, errors) =
            self.render_lenient(targets, cache, None, render::PreviousSite::None);
        if errors.is_empty() {
            Ok((output, rendered))
        } else {
            Err(errors)
        }
    }

    /// Render everything that renders, and say what did not (for `folio check`, which
    /// reports a broken link in one page along with every other finding).
    /// With a `sink`, pages are written to it as they are rendered. Code blocks the
    /// `previous` site highlighted are reused.
    pub fn render_lenient(
        &self,
        targets: &crate::markdown::LinkTargets,
        cache: &mut render::ViewCache,
        sink: Option<render::Sink<'_>>,
        previous: render::PreviousSite<'_>,
    ) -> (Output, Vec<crate::markdown::Rendered>, Vec<Diagnostic>) {
        let rendered = render::render_markdown(&self.site, targets, previous);
        crate::timings::mark("markdown");
        // The table needs none of the pages: it is made while they render.
        let ((mut output, mut errors), table) = rayon::join(
            || {
                render::render_pages(
                    &self.site,
                    &self.theme,
                    &self.tera,
                    targets,
                    &rendered,
                    None,
                    cache,
                    sink,
                )
            },
            || self.table(sink),
        );
        crate::timings::mark("pages and table");
        match table {
            Ok(Some(table)) => output.put(self.site.config.table.file.clone(), table),
            Ok(None) => {
                let file = self.site.config.table.file.clone();
                output.files.insert(file, OutFile::Written);
            }
            Err(e) => errors.extend(e),
        }
        (output, rendered, errors)
    }

    /// The .xlsx table: its bytes, or `None` once it is in the `sink`. The previous
    /// build's bytes are taken back when they were made from the same table (and
    /// nobody changed them since).
    fn table(&self, sink: Option<render::Sink<'_>>) -> Result<Option<Vec<u8>>, Vec<Diagnostic>> {
        let Some(sink) = sink else {
            return crate::table::write(&self.site).map(Some);
        };
        let file = &self.site.config.table.file;
        let fingerprint = crate::table::fingerprint(&self.site);
        let bytes = match sink.previous_made(file, fingerprint) {
            Some(bytes) => bytes,
            None => crate::table::write(&self.site)?,
        };
        sink.put(file, &bytes, None).map_err(|e| vec![e])?;
        sink.made_from(file, fingerprint, &bytes);
        Ok(None)
    }

    /// Render, then run every check. Findings include the warnings from loading.
    /// With a `sink`, pages are written to it as they are rendered.
    pub fn render_and_check(
        &self,
        sink: Option<render::Sink<'_>>,
        previous: render::PreviousSite<'_>,
    ) -> Result<(Output, Vec<Diagnostic>), Vec<Diagnostic>> {
        let targets = render::link_targets(&self.site, &self.theme);
        let mut views = render::ViewCache::default();
        let (output, rendered, mut errors) =
            self.render_lenient(&targets, &mut views, sink, previous);
        drop_later((views, targets));
        if !errors.is_empty() {
            // A render error comes with the warnings from loading: mojibake often explains it.
            errors.extend(self.warnings.iter().cloned());
            return Err(errors);
        }
        let mut findings = self.warnings.clone();
        findings.extend(crate::check::run(&self.site, &rendered, &output, today()));
        drop_later(rendered);
        crate::timings::mark("checks");
        Ok((output, findings))
    }
}

/// A build writes its pages into the staging folder of its [`Writer`].
impl render::Pages for Writer {
    fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        previous: Option<&crate::output::PagePrint>,
    ) -> Result<(), Diagnostic> {
        Writer::put(self, rel, bytes, previous).map_err(write_error)
    }

    fn previous_made(&self, rel: &str, fingerprint: u128) -> Option<Vec<u8>> {
        Writer::previous_made(self, rel, fingerprint)
    }

    fn made_from(&self, rel: &str, fingerprint: u128, bytes: &[u8]) {
        Writer::made_from(self, rel, fingerprint, bytes)
    }
}

/// Free a large value on another thread: for ten thousand réalisations that takes tens
/// of milliseconds a build need not wait for (and none at all when the process exits first).
fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// Where `folio build` writes by default.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}

/// Where `folio build --offline` and `folio export` write by default: beside `public/`,
/// never over the site to publish.
pub fn default_offline_output(root: &Path) -> PathBuf {
    root.join("hors-ligne")
}

/// Settings of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder (default `public/` in the portfolio).
    pub output_dir: Option<PathBuf>,
    /// Publish even if the dossier checks find errors (a work in progress). Errors that
    /// make the site itself wrong (front matter, links, templates) still stop the build.
    pub ignore_checks: bool,
    /// Write into an existing folder folio did not create, keeping its files (those with
    /// the name of a site file are replaced). Never allows a source folder.
    pub force: bool,
    /// Command-line settings over `portfolio.toml` (`--base-url`).
    pub overrides: Overrides,
    /// Write the offline copy (`file://`, relative links) instead of the site to publish.
    pub offline: bool,
}

/// Every finding about a portfolio, as `folio check` reports it: a broken file's own
/// errors, and every other file's findings all the same. Checks that a broken file
/// could change (coverage, attestations) wait until it is fixed, and say so.
pub fn check(root: &Path, overrides: &Overrides) -> Vec<Diagnostic> {
    inspect(root, overrides).findings
}

/// What `folio check` sees of a portfolio, with the model and the site it rendered:
/// `folio class` reads a student's coverage and attestations from the same pass.
pub struct Inspection {
    /// Every finding, as [`check`] reports them.
    pub findings: Vec<Diagnostic>,
    /// The model, the site as rendered and each document's Markdown; `None` when the
    /// configuration or the theme could not be read.
    pub loaded: Option<(Loaded, Output, Vec<crate::markdown::Rendered>)>,
}

/// [`check`], keeping what it loaded and rendered.
pub fn inspect(root: &Path, overrides: &Overrides) -> Inspection {
    let (loaded, mut findings) = match load_lenient(root, overrides) {
        Ok(x) => x,
        Err(fatal) => {
            return Inspection {
                findings: fatal,
                loaded: None,
            };
        }
    };
    let targets = render::link_targets(&loaded.site, &loaded.theme);
    // The site `folio build` last wrote, if any, lends its highlighted code.
    let published = default_output(root);
    let (output, rendered, render_errors) = loaded.render_lenient(
        &targets,
        &mut render::ViewCache::default(),
        None,
        render::PreviousSite::Dir(&published),
    );
    let template_broken = render_errors.iter().any(|d| d.code == "template-error");
    findings.extend(render_errors);
    findings.extend(loaded.warnings.iter().cloned());
    let partial = loaded.site.files_in_error() > 0;
    let waits = |d: &Diagnostic| {
        (partial && WAIT_FOR_BROKEN_FILES.contains(&d.code))
            // Pages a broken template did not produce are not missing links.
            || (template_broken && ["table-not-linked", "link-broken", "anchor-broken"].contains(&d.code))
    };
    let checks = crate::check::run(&loaded.site, &rendered, &output, today());
    findings.extend(checks.into_iter().filter(|d| !waits(d)));
    if partial {
        findings.push(
            Diagnostic::info(
                "checks-partial",
                format!(
                    "{} fichier(s) avec des erreurs d'en-tête : la couverture des compétences et les attestations seront vérifiées une fois corrigé(s)",
                    loaded.site.files_in_error()
                ),
            )
            .hint("corrigez d'abord les erreurs d'en-tête signalées dans ce(s) fichier(s), puis relancez folio check"),
        );
    }
    Inspection {
        findings,
        loaded: Some((loaded, output, rendered)),
    }
}

/// Dossier checks whose answer depends on every réalisation being loaded.
const WAIT_FOR_BROKEN_FILES: [&str; 5] = [
    "coverage-missing",
    "coverage-example-only",
    "subcompetence-unused",
    "attestation-missing",
    "duplicate-title",
];

/// Load, render, check and write a portfolio. On any error the previous output is left as it was.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    if opts.offline {
        let dir = opts
            .output_dir
            .clone()
            .unwrap_or_else(|| default_offline_output(root));
        not_in_published_site(root, &dir)?;
        let (loaded, output, findings) = prepare(root, opts)?;
        let sources = Sources::of_portfolio(root, &loaded.theme.folders);
        let written = output
            .write_atomically(&dir, &sources, opts.force)
            .map_err(|e| vec![write_error(e)])?;
        let findings = findings.into_iter().chain(set_aside(written)).collect();
        return Ok(report(dir, &loaded, &output, findings, started));
    }
    let loaded = load(root, &opts.overrides)?;
    let dir = opts
        .output_dir
        .clone()
        .unwrap_or_else(|| default_output(root));
    let sources = Sources::of_portfolio(root, &loaded.theme.folders);
    // Pages go to the staging folder as they are rendered; a failed check drops it
    // (and the previous site stays as it was).
    let writer = Writer::start(&dir, &sources, opts.force).map_err(|e| vec![write_error(e)])?;
    let (output, findings) =
        loaded.render_and_check(Some(&writer), render::PreviousSite::Dir(&dir))?;
    if findings.iter().any(|d| blocking(d, opts)) {
        return Err(findings);
    }
    let written = writer.finish(&output).map_err(|e| vec![write_error(e)])?;
    crate::timings::mark("written");
    let findings = findings.into_iter().chain(set_aside(written)).collect();
    let report = report(dir, &loaded, &output, findings, started);
    drop_later((loaded, output));
    Ok(report)
}

fn report(
    output_dir: PathBuf,
    loaded: &Loaded,
    output: &Output,
    warnings: Vec<Diagnostic>,
    started: Instant,
) -> BuildReport {
    BuildReport {
        output_dir,
        pages: output.files.keys().filter(|k| k.ends_with(".html")).count(),
        files: output.files.len(),
        realisations: loaded.site.realisations().count(),
        warnings,
        duration: started.elapsed(),
    }
}

/// Whether a finding stops the build. --ignore-checks lets the dossier checks through,
/// never a finding that makes the site itself wrong or unsafe (a javascript: link
/// found in a built page).
fn blocking(d: &Diagnostic, opts: &BuildOptions) -> bool {
    d.is_error() && !(opts.ignore_checks && crate::check::CODES.contains(&d.code))
}

/// Load, render and check, then make the offline copy if asked: the site as it would
/// be written, and the findings that did not stop it.
fn prepare(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Loaded, Output, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = load(root, &opts.overrides)?;
    let published = default_output(root);
    let (output, mut findings) =
        loaded.render_and_check(None, render::PreviousSite::Dir(&published))?;
    if findings.iter().any(|d| blocking(d, opts)) {
        return Err(findings);
    }
    if !opts.offline {
        return Ok((loaded, output, findings));
    }
    let (copy, warnings) = crate::offline::convert(&output, &loaded.site.config);
    findings.extend(warnings);
    Ok((loaded, copy, findings))
}

/// What `folio export --zip` wrote.
#[derive(Debug)]
pub struct ExportReport {
    /// The archive.
    pub path: PathBuf,
    /// Files in it.
    pub files: usize,
    /// Its size in bytes.
    pub bytes: usize,
    /// Findings that did not stop it.
    pub warnings: Vec<Diagnostic>,
}

/// The offline copy as a zip archive. `dest` is the archive, or the folder to put it
/// in under its usual name (`portfolio-NOM-Prenom-2026.zip`); by default the portfolio.
pub fn export_zip(
    root: &Path,
    dest: Option<&Path>,
    opts: &BuildOptions,
) -> Result<ExportReport, Vec<Diagnostic>> {
    let opts = BuildOptions {
        offline: true,
        ..opts.clone()
    };
    let (loaded, output, findings) = prepare(root, &opts)?;
    let name = crate::export::zip_name(&loaded.site.config);
    let path = match dest {
        Some(d) if d.is_dir() => d.join(&name),
        Some(d) if names_a_folder(d) => {
            return Err(vec![
                Diagnostic::error(
                    "output-unsafe",
                    format!("dossier introuvable : {}", d.display()),
                )
                .in_file(d)
                .hint(
                    "créez-le d'abord, ou donnez le chemin complet de l'archive (…/portfolio.zip)",
                ),
            ]);
        }
        Some(d) => d.to_owned(),
        None => root.join(&name),
    };
    not_in_published_site(root, &path)?;
    let bytes = crate::export::zip_bytes(&output).map_err(|e| vec![e])?;
    let sources = Sources::of_portfolio(root, &loaded.theme.folders);
    crate::export::save(&path, &bytes, &sources, opts.force)?;
    Ok(ExportReport {
        path,
        files: output.files.len(),
        bytes: bytes.len(),
        warnings: findings,
    })
}

/// A path written as a folder (`clé/`, `clé\\`, or a name without extension).
fn names_a_folder(p: &Path) -> bool {
    let text = p.to_string_lossy();
    text.ends_with('/') || text.ends_with('\\') || p.extension().is_none()
}

/// The offline copy and its archive never go into the site to publish (`public/`):
/// relative links and no sitemap there would replace the online site, and an archive
/// there would be published with it.
fn not_in_published_site(root: &Path, dest: &Path) -> Result<(), Vec<Diagnostic>> {
    let published = crate::output::resolved(&default_output(root));
    let dest_resolved = crate::output::resolved(dest);
    if dest_resolved.starts_with(&published) {
        return Err(vec![write_error(WriteError::Unsafe {
            dest: dest.to_owned(),
            reason: "c'est le dossier du site à publier (public/) : la copie hors ligne y remplacerait le site en ligne".into(),
            hint: "gardez le défaut (hors-ligne/ pour la copie, le dossier du portfolio pour l'archive) ou choisissez un autre dossier, hors de public/".into(),
        })]);
    }
    Ok(())
}

/// The warning for files dropped into the output folder during the build that could not
/// take their place in the new site: they are in the previous site's folder, left
/// beside it, which no later build touches.
pub fn set_aside(written: crate::output::WriteOutcome) -> Option<Diagnostic> {
    let folder = written.set_aside?;
    Some(
        Diagnostic::warning(
            "output-set-aside",
            "des fichiers ajoutés au dossier de sortie pendant la génération n'ont pas pu entrer dans le nouveau site (leur place y est prise) : ils sont restés dans l'ancien site, mis de côté",
        )
        .in_file(&folder)
        .hint("récupérez-les dans ce dossier caché, puis supprimez-le ; un fichier à publier va dans static/, pas dans le dossier de sortie"),
    )
}

/// A refused or failed write, in French. The previous output is intact in every case.
pub fn write_error(e: WriteError) -> Diagnostic {
    match e {
        WriteError::Unsafe { dest, reason, hint } => Diagnostic::error(
            "output-unsafe",
            format!("dossier de sortie refusé : {reason}"),
        )
        .in_file(&dest)
        .hint(hint),
        WriteError::NotOurs {
            dest,
            sample,
            count,
        } => Diagnostic::error(
            "output-not-empty",
            format!(
                "le dossier de sortie existe déjà et folio ne l'a pas créé : il contient {count} élément{} ({}{})",
                if count > 1 { "s" } else { "" },
                sample.join(", "),
                if count > sample.len() { ", …" } else { "" }
            ),
        )
        .in_file(&dest)
        .hint("choisissez un dossier neuf (-o mon-site) ; ou relancez avec --force : folio y écrira le site en gardant vos fichiers, et ne remplacera que ceux qui portent le nom d'un fichier du site"),
        WriteError::Conflict { dest, paths } => Diagnostic::error(
            "output-conflict",
            format!(
                "{} fichier(s) que folio n'a pas écrits occupent la place de fichiers du site : {}",
                paths.len(),
                paths.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
            ),
        )
        .in_file(&dest)
        .hint("un fichier à publier se place dans static/ (folio le copie) ; déplacez ceux-ci, ou relancez avec --force pour les remplacer (un dossier n'est jamais remplacé)"),
        WriteError::BadPath(path) => Diagnostic::error(
            "output-path",
            format!("chemin de sortie « {path} » refusé : il sortirait du dossier de sortie"),
        )
        .hint("renommez le fichier source concerné (lettres, chiffres, tirets)"),
        WriteError::Busy(lock) => Diagnostic::error(
            "output-busy",
            "une autre génération de folio écrit déjà dans ce dossier",
        )
        .in_file(&lock)
        .hint("attendez qu'elle se termine, puis relancez"),
        WriteError::Io(path, e) => Diagnostic::error(
            "output-write",
            format!("écriture impossible : {}", crate::io_reason(&e)),
        )
        .in_file(&path)
        .hint("fermez les fichiers du dossier de sortie ouverts ailleurs (navigateur, Excel) et relancez ; l'ancienne version est intacte"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_set_aside_are_told_with_their_folder() {
        let folder = PathBuf::from("site/.public.folio-old-1");
        let d = set_aside(crate::output::WriteOutcome {
            set_aside: Some(folder.clone()),
        })
        .expect("a warning");
        assert_eq!(
            (d.code, d.severity),
            ("output-set-aside", crate::Severity::Warning)
        );
        assert_eq!(d.location.map(|l| l.file), Some(folder));
        assert!(set_aside(crate::output::WriteOutcome::default()).is_none());
    }
}

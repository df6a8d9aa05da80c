//! A portfolio kept in memory between builds, for the dev server: the same pipeline
//! as [`crate::build`], re-run only as far as a change needs.
//!
//! Editing one Markdown page's body re-parses that file, re-renders its Markdown and
//! its page. Editing what it shows elsewhere (title, dates, competences…) re-renders
//! every page, and the .xlsx once the pages are served. A static file is just served
//! anew. Templates, the configuration, or a file added, removed or renamed rebuild
//! everything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{self, Loaded};
use crate::config::{CONFIG_FILE, Overrides};
use crate::content::{self, STATIC_DIR};
use crate::diagnostic::Diagnostic;
use crate::markdown::{LinkTargets, Rendered};
use crate::output::Output;
use crate::render::{self, Only};
use crate::site::Site;
use crate::theme::TEMPLATES_DIR;

/// What kind of rebuild a change needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Nothing the site depends on changed.
    Nothing,
    /// Static files only: served anew, nothing rendered.
    Static,
    /// One or more Markdown files edited in place.
    Pages,
    /// Everything (config, templates, files added, removed or renamed).
    Full,
}

/// The result of applying a change.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// How much was rebuilt.
    pub scope: Scope,
    /// Output paths whose content changed.
    pub changed: Vec<String>,
    /// Output paths that disappeared.
    pub removed: Vec<String>,
    /// Time spent.
    pub duration: Duration,
    /// Findings about what was rebuilt: the edited files' after a page edit, every
    /// file's after a full rebuild, none after a static copy.
    pub warnings: Vec<Diagnostic>,
}

impl Rebuild {
    /// Whether only stylesheets changed, so a browser can swap them without reloading.
    pub fn css_only(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// A portfolio loaded and rendered in memory.
pub struct Project {
    root: PathBuf,
    overrides: Overrides,
    loaded: Loaded,
    targets: LinkTargets,
    rendered: Vec<Rendered>,
    output: Output,
    views: render::ViewCache,
    /// An edit changed what the synthesis table shows; it has not been written yet.
    table_stale: bool,
}

impl Project {
    /// Load and render everything.
    pub fn open(root: &Path, overrides: &Overrides) -> Result<Project, Vec<Diagnostic>> {
        let loaded = build::load(root, overrides)?;
        let targets = render::link_targets(&loaded.site, &loaded.theme);
        let mut views = render::ViewCache::default();
        let (output, rendered) = loaded.render_using(&targets, &mut views)?;
        Ok(Project {
            root: root.to_owned(),
            overrides: overrides.clone(),
            loaded,
            targets,
            rendered,
            output,
            views,
            table_stale: false,
        })
    }

    /// The rendered site.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// The model.
    pub fn site(&self) -> &Site {
        &self.loaded.site
    }

    /// Findings from the last full load.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.loaded.warnings
    }

    /// Findings from loading plus the dossier checks, as `folio check` reports them.
    /// Scans every page: for a full rebuild, not the per-save fast path.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut all = self.loaded.warnings.clone();
        all.extend(crate::check::run(
            &self.loaded.site,
            &self.rendered,
            &self.output,
            jiff::Zoned::now().date(),
        ));
        all
    }

    /// Folders whose changes matter (content, static, templates, theme, config).
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut v = vec![
            self.root.join(content::CONTENT_DIR),
            self.root.join(STATIC_DIR),
            self.root.join(TEMPLATES_DIR),
        ];
        v.extend(self.loaded.theme.folders.iter().cloned());
        v.push(self.root.join(CONFIG_FILE));
        v
    }

    /// Apply changed paths (absolute or relative to the root). On error, the
    /// previous site stays as it was.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Rebuild, Vec<Diagnostic>> {
        let started = Instant::now();
        let scope = self.classify(paths);
        // The changed paths come from what was replaced, not from comparing copies of
        // the whole site: a save in a portfolio of a thousand pages stays in milliseconds.
        let (mut changed, removed) = match scope {
            Scope::Nothing | Scope::Static => (Vec::new(), Vec::new()),
            Scope::Pages => match self.rebuild_pages(paths)? {
                Pages::Replaced(changed) => (changed, Vec::new()),
                Pages::Reopened(before) => diff(&before, &self.output),
            },
            Scope::Full => {
                let before = self.reopen()?;
                diff(&before, &self.output)
            }
        };
        if scope == Scope::Static {
            // Copied files are read from disk when served: their output path is what changed.
            for p in paths {
                if let Some(rel) = self.static_output_path(p) {
                    changed.push(rel);
                }
            }
        }
        let edited: BTreeSet<String> = paths
            .iter()
            .map(|p| content::rel_string(&self.relative(p)))
            .collect();
        let warnings = match scope {
            Scope::Full => self.loaded.warnings.clone(),
            Scope::Pages => self
                .loaded
                .warnings
                .iter()
                .filter(|w| {
                    w.location
                        .as_ref()
                        .is_some_and(|l| edited.contains(&content::rel_string(&l.file)))
                })
                .cloned()
                .collect(),
            Scope::Static | Scope::Nothing => Vec::new(),
        };
        Ok(Rebuild {
            scope,
            changed,
            removed,
            duration: started.elapsed(),
            warnings,
        })
    }

    fn relative(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_owned)
            .unwrap_or_else(|_| p.to_owned())
    }

    fn classify(&self, paths: &[PathBuf]) -> Scope {
        let mut scope = Scope::Nothing;
        for p in paths {
            let rel = self.relative(p);
            let rel_s = content::rel_string(&rel);
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if content::is_ignored(&name) {
                continue;
            }
            let abs = self.root.join(&rel);
            let in_theme = self
                .loaded
                .theme
                .folders
                .iter()
                .any(|f| p.starts_with(f) || abs.starts_with(f));
            let this = if rel_s == CONFIG_FILE || rel_s.starts_with("templates/") || in_theme {
                Scope::Full
            } else if rel_s.starts_with("content/") {
                let is_md = rel_s.ends_with(".md") || rel_s.ends_with(".markdown");
                let known = if is_md {
                    self.loaded.site.documents.iter().any(|d| d.source == rel)
                } else {
                    self.static_output_path(p)
                        .is_some_and(|o| self.output.files.contains_key(&o))
                };
                match (abs.is_file(), known, is_md) {
                    (true, true, true) => Scope::Pages,
                    (true, true, false) => Scope::Static,
                    // Added, removed, renamed, a folder, or a draft that became visible.
                    _ => Scope::Full,
                }
            } else if rel_s.starts_with("static/") {
                let known = self
                    .static_output_path(p)
                    .is_some_and(|o| self.output.files.contains_key(&o));
                if abs.is_file() && known {
                    Scope::Static
                } else {
                    Scope::Full
                }
            } else {
                Scope::Nothing
            };
            scope = scope.max_with(this);
        }
        scope
    }

    fn static_output_path(&self, p: &Path) -> Option<String> {
        let rel = content::rel_string(&self.relative(p));
        let inner = rel
            .strip_prefix("static/")
            .or_else(|| rel.strip_prefix("content/"))?;
        Some(crate::slug::slugify_path(inner))
    }

    fn rebuild_pages(&mut self, paths: &[PathBuf]) -> Result<Pages, Vec<Diagnostic>> {
        let referential = self.loaded.site.referential;
        let mut only = Only::default();
        let mut warnings: Vec<Diagnostic> = Vec::new();
        // Parse every edited file first, so that a bad one leaves the project untouched.
        let mut edits = Vec::new();
        for p in paths {
            let rel = self.relative(p);
            let Some(i) = self
                .loaded
                .site
                .documents
                .iter()
                .position(|d| d.source == rel)
            else {
                continue;
            };
            let doc = content::load_document(&self.root, &rel, referential)?;
            let old = &self.loaded.site.documents[i];
            if doc.rel_url != old.rel_url || doc.kind != old.kind || doc.draft {
                // The set of pages changes: links elsewhere may now point nowhere.
                return Ok(Pages::Reopened(self.reopen()?));
            }
            edits.push((i, doc));
        }
        // A body edit changes one page. Anything else a document shows elsewhere (its
        // title in the menu of every page, its dates, competences or documents in every
        // list) changes every page: every page's context holds the lists and the menu.
        let mut shared_changed = false;
        for (i, mut doc) in edits {
            warnings.append(&mut doc.warnings);
            shared_changed |=
                shown_elsewhere(&doc) != shown_elsewhere(&self.loaded.site.documents[i]);
            let md = render::render_document(
                &doc,
                &self.targets,
                render::PreviousSite::Output(&self.output),
            );
            only.documents.push(doc.rel_url.clone());
            self.views.invalidate(&doc.rel_url);
            self.loaded.site.documents[i] = doc;
            self.rendered[i] = md;
        }
        // Titles, dates and weights decide the order of lists: sort documents and their
        // rendered Markdown together.
        let mut pairs: Vec<_> = std::mem::take(&mut self.loaded.site.documents)
            .into_iter()
            .zip(std::mem::take(&mut self.rendered))
            .collect();
        pairs.sort_by_cached_key(|(d, _)| crate::site::sort_key(d));
        (self.loaded.site.documents, self.rendered) = pairs.into_iter().unzip();
        let l = &self.loaded;
        let pages = render::render_with(
            &l.site,
            &l.theme,
            &l.tera,
            &self.targets,
            &self.rendered,
            (!shared_changed).then_some(&only),
            &mut self.views,
        )?;
        // The table shows no page body: only a front-matter change makes it stale, and
        // it is written after the pages are served (`refresh_table`).
        self.table_stale |= shared_changed;
        let mut changed = Vec::new();
        for (path, file) in pages.files {
            if self.output.files.get(&path) != Some(&file) {
                changed.push(path.clone());
            }
            self.output.files.insert(path, file);
        }
        // Keep page-level findings of the other documents; replace those of the edited ones.
        let edited: BTreeSet<String> = paths
            .iter()
            .map(|p| content::rel_string(&self.relative(p)))
            .collect();
        self.loaded.warnings.retain(|w| {
            w.location
                .as_ref()
                .is_none_or(|loc| !edited.contains(&content::rel_string(&loc.file)))
        });
        self.loaded.warnings.extend(warnings);
        Ok(Pages::Replaced(changed))
    }

    /// Load and render everything again; on success, the previous output (to compare).
    fn reopen(&mut self) -> Result<Output, Vec<Diagnostic>> {
        let fresh = Project::open(&self.root, &self.overrides)?;
        Ok(std::mem::replace(self, fresh).output)
    }

    /// Whether an edit left the synthesis table to write ([`Project::refresh_table`]).
    pub fn table_stale(&self) -> bool {
        self.table_stale
    }

    /// Write the synthesis table again if an edit made it stale: the dev server calls
    /// this once the edited pages are served. Returns its output path if it changed.
    pub fn refresh_table(&mut self) -> Result<Option<String>, Vec<Diagnostic>> {
        if !self.table_stale {
            return Ok(None);
        }
        let table = crate::table::write(&self.loaded.site)?;
        self.table_stale = false;
        let path = self.loaded.site.config.table.file.clone();
        let before = self.output.files.get(&path).cloned();
        self.output.put(path.clone(), table);
        Ok((self.output.files.get(&path) != before.as_ref()).then_some(path))
    }
}

/// What a page rebuild did.
enum Pages {
    /// Pages rendered again: the output paths whose bytes changed.
    Replaced(Vec<String>),
    /// The set of pages changed, so everything was rebuilt: the previous output.
    Reopened(Output),
}

/// What a document shows on pages other than its own: everything but its body.
fn shown_elsewhere(d: &content::Document) -> String {
    serde_json::json!({
        "title": d.title,
        "summary": d.summary,
        "weight": d.weight,
        "extra": d.extra,
        "realisation": d.realisation,
    })
    .to_string()
}

impl Scope {
    fn max_with(self, other: Scope) -> Scope {
        let rank = |s: Scope| match s {
            Scope::Nothing => 0,
            Scope::Static => 1,
            Scope::Pages => 2,
            Scope::Full => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Output paths whose bytes differ, and paths that disappeared.
fn diff(before: &Output, after: &Output) -> (Vec<String>, Vec<String>) {
    let mut changed = Vec::new();
    for (path, file) in &after.files {
        match before.files.get(path) {
            Some(old) if old == file => {}
            _ => changed.push(path.clone()),
        }
    }
    let removed = before
        .files
        .keys()
        .filter(|k| !after.files.contains_key(*k))
        .cloned()
        .collect();
    (changed, removed)
}

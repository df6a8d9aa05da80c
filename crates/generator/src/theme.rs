//! Themes: the built-in one, embedded in the binary, a class theme a teacher shares,
//! and the portfolio's own `templates/` and `static/`, layered file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Diagnostic, Location};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/default");

/// Folder of templates in a theme or a portfolio.
pub const TEMPLATES_DIR: &str = "templates";

/// Where a theme file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeFile {
    /// Inside the folio binary.
    Embedded(&'static [u8]),
    /// On disk.
    Disk(PathBuf),
}

impl ThemeFile {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            ThemeFile::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            ThemeFile::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

/// The merged theme: templates by name and static files by output path.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name → (text, where it came from, for messages).
    pub templates: BTreeMap<String, (String, PathBuf)>,
    /// Output path → file.
    pub statics: BTreeMap<String, ThemeFile>,
    /// Folders to watch for changes (the theme on disk and the portfolio overrides).
    pub folders: Vec<PathBuf>,
}

impl Theme {
    /// Built-in theme, then `theme_dir` if any, then the portfolio's `templates/` (its
    /// `static/` is content and handled by the loader).
    pub fn load(root: &Path, theme_dir: Option<&Path>) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        add_embedded(&mut theme, &BUILTIN);
        if let Some(dir) = theme_dir {
            let abs = root.join(dir);
            if !abs.join(TEMPLATES_DIR).is_dir() && !abs.join("static").is_dir() {
                return Err(vec![
                    Diagnostic::error("theme-missing", format!("thème « {} » introuvable", dir.display()))
                        .at(Location::file(crate::config::CONFIG_FILE))
                        .field("theme")
                        .hint("theme doit être le chemin (relatif au portfolio) d'un dossier qui contient templates/ ou static/"),
                ]);
            }
            theme.add_disk(&abs.join(TEMPLATES_DIR), &abs.join("static"))?;
            theme.folders.push(abs);
        }
        theme.add_disk(&root.join(TEMPLATES_DIR), Path::new(""))?;
        theme.folders.push(root.join(TEMPLATES_DIR));
        Ok(theme)
    }

    fn add_disk(&mut self, templates: &Path, statics: &Path) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        if templates.is_dir() {
            for entry in walkdir::WalkDir::new(templates)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file()
                    || crate::content::is_ignored(&entry.file_name().to_string_lossy())
                {
                    continue;
                }
                let rel = entry.path().strip_prefix(templates).unwrap_or(entry.path());
                let name = crate::content::rel_string(rel);
                match std::fs::read(entry.path())
                    .map_err(|e| crate::io_reason(&e))
                    .and_then(|b| {
                        crate::text::decode(&b)
                            .map(|s| s.text)
                            .map_err(|_| "fichier binaire".to_owned())
                    }) {
                    Ok(text) => {
                        self.templates.insert(name, (text, entry.path().to_owned()));
                    }
                    Err(why) => errors.push(
                        Diagnostic::error("theme-unreadable", format!("gabarit illisible : {why}"))
                            .in_file(entry.path()),
                    ),
                }
            }
        }
        if !statics.as_os_str().is_empty() && statics.is_dir() {
            for entry in walkdir::WalkDir::new(statics)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file()
                    && !crate::content::is_ignored(&entry.file_name().to_string_lossy())
                {
                    let rel = entry.path().strip_prefix(statics).unwrap_or(entry.path());
                    self.statics.insert(
                        crate::content::rel_string(rel),
                        ThemeFile::Disk(entry.path().to_owned()),
                    );
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// A Tera instance with every template, and folio's functions.
    pub fn tera(&self, base_path: &str) -> Result<tera::Tera, Vec<Diagnostic>> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let base = base_path.to_owned();
        tera.register_function(
            "url",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let path: &str = kwargs.must_get("path")?;
                Ok(format!("{base}{}", path.trim_start_matches('/')))
            },
        );
        tera.add_raw_templates(
            self.templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| vec![self.template_error(&e)])?;
        Ok(tera)
    }

    /// A Tera error as a diagnostic naming the template file.
    pub fn template_error(&self, e: &tera::Error) -> Diagnostic {
        let text = error_chain(e);
        // Tera 2 points at the place as " --> name.html:LINE:COL".
        let place = text
            .split("--> ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map(|p| {
                let mut parts = p.rsplitn(3, ':');
                let col = parts.next().and_then(|c| c.parse::<usize>().ok());
                let line = parts.next().and_then(|l| l.parse::<usize>().ok());
                (parts.next().unwrap_or(p).to_owned(), line, col)
            });
        let named = place
            .as_ref()
            .and_then(|(name, _, _)| self.templates.get(name).map(|(_, path)| path.clone()));
        let file = named.or_else(|| {
            self.templates
                .iter()
                .find(|(name, _)| text.contains(name.as_str()))
                .map(|(_, (_, path))| path.clone())
        });
        let mut d = Diagnostic::error("template-error", format!("erreur de gabarit : {text}"))
            .hint("corrigez le gabarit indiqué (syntaxe Tera 2 : {{ variable }}, {% if %}…{% endif %})");
        if let Some(f) = file {
            d = d.at(match place {
                Some((_, Some(l), Some(c))) => Location::at(f, l, c),
                Some((_, Some(l), None)) => Location::line(f, l),
                _ => Location::file(f),
            });
        }
        d
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(" : ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

fn add_embedded(theme: &mut Theme, dir: &'static Dir<'static>) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => add_embedded(theme, d),
            include_dir::DirEntry::File(f) => {
                let path = crate::content::rel_string(f.path());
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(f.contents()).into_owned();
                    theme.templates.insert(
                        name.to_owned(),
                        (text, PathBuf::from(format!("(thème intégré)/{path}"))),
                    );
                } else if let Some(name) = path.strip_prefix("static/") {
                    theme
                        .statics
                        .insert(name.to_owned(), ThemeFile::Embedded(f.contents()));
                }
            }
        }
    }
}

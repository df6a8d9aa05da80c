//! Themes: the built-in ones, embedded in the binary, a class theme a teacher shares,
//! and the portfolio's own `templates/` and `static/`, layered file by file.
//!
//! Every built-in template is also reachable under its theme's name (`defaut/base.html`):
//! a class theme that replaces `base.html` can still `{% extends "defaut/base.html" %}`
//! and change one block, so folio's updates keep reaching the class.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde_json::{Value, json};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::theme_toml::{Manifest, OptionKind, THEME_FILE, ThemeOption};

static DEFAUT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/default");
static MODERNE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/moderne");

/// A theme inside the folio binary.
pub struct Builtin {
    /// Its name in `portfolio.toml` and its template prefix (`defaut/base.html`).
    pub name: &'static str,
    /// Other spellings accepted in `portfolio.toml`.
    aliases: &'static [&'static str],
    /// The built-in theme it is layered on, file by file.
    pub parent: Option<&'static str>,
    dir: &'static Dir<'static>,
}

/// The built-in themes, the default first.
pub static BUILTINS: [Builtin; 2] = [
    Builtin {
        name: "defaut",
        aliases: &["défaut", "default"],
        parent: None,
        dir: &DEFAUT,
    },
    Builtin {
        name: "moderne",
        aliases: &["modern"],
        parent: Some("defaut"),
        dir: &MODERNE,
    },
];

/// The built-in theme a name designates, if any.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    let n = name.trim().to_lowercase();
    BUILTINS
        .iter()
        .find(|b| b.name == n || b.aliases.contains(&n.as_str()))
}

/// The canonical name of a built-in theme (`default` → `defaut`).
pub fn builtin_name(name: &str) -> Option<&'static str> {
    builtin(name).map(|b| b.name)
}

fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}

impl Builtin {
    /// Its `theme.toml`. Tested to parse: a built-in theme is part of folio.
    pub fn manifest(&self) -> Manifest {
        let text = self
            .dir
            .get_file(THEME_FILE)
            .and_then(|f| f.contents_utf8())
            .unwrap_or("");
        Manifest::parse(text, Path::new(THEME_FILE), &builtin_names()).unwrap_or_default()
    }

    /// This theme and the ones it builds on, the deepest first.
    pub fn chain(&'static self) -> Vec<&'static Builtin> {
        let mut chain = vec![self];
        while let Some(parent) = chain.last().and_then(|b| b.parent).and_then(builtin) {
            if chain.iter().any(|b| b.name == parent.name) {
                break;
            }
            chain.push(parent);
        }
        chain.reverse();
        chain
    }

    /// Its template names and texts (without the prefix).
    pub fn templates(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        collect_embedded(self.dir, &mut |path, bytes| {
            if let Some(name) = path.strip_prefix("templates/") {
                out.push((name.to_owned(), std::str::from_utf8(bytes).unwrap_or("")));
            }
        });
        out
    }
}

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
    /// What templates see as `theme`: name, version, description, `options`.
    pub info: Value,
}

/// A class theme's folder and its `theme.toml`, if it has one (older class themes
/// are just `templates/` and `static/`).
struct ClassTheme {
    dir: PathBuf,
    abs: PathBuf,
    manifest: Manifest,
}

impl ClassTheme {
    fn read(root: &Path, dir: &Path, named_at: &Location) -> Result<ClassTheme, Vec<Diagnostic>> {
        let abs = root.join(dir);
        let file = abs.join(THEME_FILE);
        if !abs.join(TEMPLATES_DIR).is_dir() && !abs.join("static").is_dir() && !file.is_file() {
            return Err(vec![not_found(dir, named_at)]);
        }
        let shown = dir.join(THEME_FILE);
        let manifest = match std::fs::read(&file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(
                        "theme-unreadable",
                        format!("theme.toml illisible : {}", crate::io_reason(&e)),
                    )
                    .in_file(&shown),
                ]);
            }
            Ok(bytes) => {
                let text = crate::text::decode(&bytes).map_err(|_| {
                    vec![
                        Diagnostic::error(
                            "theme-unreadable",
                            "theme.toml n'est pas un fichier texte",
                        )
                        .in_file(&shown),
                    ]
                })?;
                Manifest::parse(&text.text, &shown, &builtin_names())?
            }
        };
        Ok(ClassTheme {
            dir: dir.to_owned(),
            abs,
            manifest,
        })
    }
}

impl Theme {
    /// The built-in theme (and those it builds on), then the class theme if any, then
    /// the portfolio's `templates/` (its `static/` is content and handled by the
    /// loader); then the options: the themes' defaults, replaced by `[theme]`. Refused
    /// option values are returned beside the theme, which uses the defaults instead (no
    /// image for a missing one): `folio check` reports them with everything else.
    pub fn load(root: &Path, config: &Config) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let class = match &config.theme {
            Some(dir) => Some(ClassTheme::read(root, dir, &config.theme_at)?),
            None => None,
        };
        let base = config
            .theme_builtin
            .as_deref()
            .or(class.as_ref().and_then(|c| c.manifest.extends.as_deref()))
            .and_then(builtin)
            .unwrap_or(&BUILTINS[0]);
        let mut theme = Theme::default();
        let mut declared: Vec<ThemeOption> = Vec::new();
        for b in base.chain() {
            add_builtin(&mut theme, b);
            merge_options(&mut declared, b.manifest().options);
        }
        let mut manifest = base.manifest();
        let mut theme_toml = Location::file(THEME_FILE);
        if let Some(c) = class {
            theme_toml = Location::file(c.dir.join(THEME_FILE));
            theme.add_disk(&c.abs.join(TEMPLATES_DIR), &c.abs.join("static"))?;
            theme.folders.push(c.abs.clone());
            merge_options(&mut declared, c.manifest.options.clone());
            manifest = Manifest {
                name: if c.manifest.name.is_empty() {
                    c.dir.display().to_string()
                } else {
                    c.manifest.name.clone()
                },
                ..c.manifest
            };
        }
        theme.add_disk(&root.join(TEMPLATES_DIR), Path::new(""))?;
        theme.folders.push(root.join(TEMPLATES_DIR));
        let (mut options, mut errors) =
            crate::theme_toml::resolve(&declared, &config.theme_options);
        // A refused value left the theme's default: not checked as the student's.
        let refused: Vec<String> = errors.iter().filter_map(|e| e.field.clone()).collect();
        let kept: Vec<ThemeOption> = declared
            .iter()
            .filter(|o| !refused.contains(&format!("theme.{}", o.name)))
            .cloned()
            .collect();
        errors.extend(theme.resolve_images(root, &kept, &mut options, config, &theme_toml));
        theme.info = json!({
            "name": manifest.name,
            "version": manifest.version,
            "description": manifest.description,
            "builtin": base.name,
            "options": options,
        });
        Ok((theme, errors))
    }

    /// An image option names a file the site will publish: the theme's `static/`, or
    /// the portfolio's, whose names are published slugified (`Photo Été.jpg` →
    /// `photo-ete.jpg`): the value becomes that published name.
    fn resolve_images(
        &self,
        root: &Path,
        declared: &[ThemeOption],
        values: &mut BTreeMap<String, Value>,
        config: &Config,
        theme_toml: &Location,
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for o in declared.iter().filter(|o| o.kind == OptionKind::Image) {
            let Some(path) = values
                .get(&o.name)
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            if path.is_empty() || self.statics.contains_key(&path) {
                continue;
            }
            if root.join("static").join(&path).is_file() {
                let published = crate::slug::slugify_path(&path);
                values.insert(o.name.clone(), Value::String(published));
                continue;
            }
            // No image rather than one that is not there.
            values.insert(o.name.clone(), Value::String(String::new()));
            let set = config.theme_options.iter().find(|s| s.name == o.name);
            let (place, whose) = match set {
                Some(s) => (s.location.clone(), ""),
                None => (theme_toml.clone(), " (valeur par défaut du thème)"),
            };
            errors.push(
                Diagnostic::error(
                    "theme-option-type",
                    format!("option de thème « {} » : image « {path} » introuvable{whose}", o.name),
                )
                .at(place)
                .field(format!("theme.{}", o.name))
                .hint(format!("placez l'image dans static/{path} (dossier static/ du portfolio ou du thème), ou corrigez son nom")),
            );
        }
        errors
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

/// A theme that is neither built in nor a folder: maybe a misspelt built-in name.
fn not_found(dir: &Path, named_at: &Location) -> Diagnostic {
    let written = dir.to_string_lossy();
    let hint = match crate::diagnostic::nearest(&written, builtin_names()) {
        Some(n) => format!("vouliez-vous écrire « {n} » (thème intégré) ?"),
        None => format!(
            "theme doit être le nom d'un thème intégré ({}) ou le chemin (relatif au portfolio) d'un dossier qui contient theme.toml, templates/ ou static/",
            builtin_names().join(", ")
        ),
    };
    Diagnostic::error("theme-missing", format!("thème « {written} » introuvable"))
        .at(named_at.clone())
        .field("theme")
        .hint(hint)
}

/// A later declaration of an option (a class theme's) replaces an earlier one.
fn merge_options(declared: &mut Vec<ThemeOption>, more: Vec<ThemeOption>) {
    for o in more {
        match declared.iter_mut().find(|d| d.name == o.name) {
            Some(d) => *d = o,
            None => declared.push(o),
        }
    }
}

/// A built-in theme's files, each template also under `NAME/` for `{% extends %}`.
fn add_builtin(theme: &mut Theme, b: &Builtin) {
    collect_embedded(b.dir, &mut |path, bytes| {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let shown = PathBuf::from(format!("(thème intégré {})/{path}", b.name));
            theme
                .templates
                .insert(format!("{}/{name}", b.name), (text.clone(), shown.clone()));
            theme.templates.insert(name.to_owned(), (text, shown));
        } else if let Some(name) = path.strip_prefix("static/") {
            theme
                .statics
                .insert(name.to_owned(), ThemeFile::Embedded(bytes));
        }
    });
}

fn collect_embedded(dir: &'static Dir<'static>, each: &mut dyn FnMut(&str, &'static [u8])) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect_embedded(d, each),
            include_dir::DirEntry::File(f) => {
                each(&crate::content::rel_string(f.path()), f.contents());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_have_a_valid_theme_toml_and_templates() {
        for b in &BUILTINS {
            let text = b
                .dir
                .get_file(THEME_FILE)
                .and_then(|f| f.contents_utf8())
                .unwrap();
            let m = Manifest::parse(text, Path::new(THEME_FILE), &builtin_names()).unwrap();
            assert!(
                !m.name.is_empty() && !m.description.is_empty(),
                "{}",
                b.name
            );
            assert_eq!(
                m.extends.as_deref(),
                b.parent,
                "{}: etend and parent agree",
                b.name
            );
            assert!(
                !b.templates().is_empty() || b.parent.is_some(),
                "{}",
                b.name
            );
        }
        assert_eq!(builtin_name("Défaut"), Some("defaut"));
        assert_eq!(builtin("moderne").unwrap().chain().len(), 2);
    }
}

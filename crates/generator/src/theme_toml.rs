//! `theme.toml`: what a theme is (name, version, the folio it needs) and the options a
//! student may set in `portfolio.toml` without touching the theme.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location, TomlFile, line_col, nearest, toml_finding};

/// The name of a theme's description file.
pub const THEME_FILE: &str = "theme.toml";

/// The kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Any text (autoescaped in the pages).
    Text,
    /// A colour `#rrggbb`: safe to write into a stylesheet.
    Colour,
    /// `true` or `false`.
    Bool,
    /// A picture of the theme's or the portfolio's `static/` (`logo.svg`), or empty.
    Image,
}

impl OptionKind {
    /// The word used in `theme.toml`.
    pub fn word(self) -> &'static str {
        match self {
            OptionKind::Text => "texte",
            OptionKind::Colour => "couleur",
            OptionKind::Bool => "booleen",
            OptionKind::Image => "image",
        }
    }

    fn parse(word: &str) -> Option<OptionKind> {
        match word.trim().to_lowercase().as_str() {
            "texte" | "text" | "string" => Some(OptionKind::Text),
            "couleur" | "color" | "colour" => Some(OptionKind::Colour),
            "booleen" | "booléen" | "bool" | "boolean" => Some(OptionKind::Bool),
            "image" => Some(OptionKind::Image),
            _ => None,
        }
    }

    /// What to write, for hints.
    fn example(self) -> &'static str {
        match self {
            OptionKind::Text => "un texte entre guillemets, par exemple \"Lycée Jean Moulin\"",
            OptionKind::Colour => "une couleur #rrggbb entre guillemets, par exemple \"#1d4ed8\"",
            OptionKind::Bool => "true ou false, sans guillemets",
            OptionKind::Image => {
                "le nom d'une image du dossier static/ entre guillemets, par exemple \"logo.svg\""
            }
        }
    }

    /// The value as templates see it, or why it does not fit.
    pub fn check(self, value: &toml::Value) -> Result<Value, String> {
        match (self, value) {
            (OptionKind::Text, toml::Value::String(s)) => Ok(Value::String(s.clone())),
            (OptionKind::Colour, toml::Value::String(s)) if is_colour(s) => {
                Ok(Value::String(s.to_ascii_lowercase()))
            }
            (OptionKind::Colour, toml::Value::String(s)) => {
                Err(format!("« {s} » n'est pas une couleur #rrggbb"))
            }
            (OptionKind::Bool, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
            (OptionKind::Image, toml::Value::String(s)) => check_image(s).map(Value::String),
            (_, other) => Err(format!(
                "{} au lieu de {}",
                type_word(other),
                match self {
                    OptionKind::Bool => "true ou false",
                    _ => "un texte entre guillemets",
                }
            )),
        }
    }
}

fn type_word(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "un texte",
        toml::Value::Integer(_) => "un nombre entier",
        toml::Value::Float(_) => "un nombre décimal",
        toml::Value::Boolean(_) => "un booléen",
        toml::Value::Datetime(_) => "une date",
        toml::Value::Array(_) => "une liste",
        toml::Value::Table(_) => "une table",
    }
}

/// `#rrggbb` only: the value is written into a `<style>`, so nothing else may get in.
fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A picture's path inside `static/`: relative, no `..`, a picture's extension. Empty
/// means « no picture ». Whether the file exists is checked once the theme is loaded.
fn check_image(s: &str) -> Result<String, String> {
    let p = s.trim().trim_start_matches('/').replace('\\', "/");
    if p.is_empty() {
        return Ok(String::new());
    }
    if p.split('/').any(|part| part == ".." || part.is_empty()) || p.contains(':') {
        return Err(format!(
            "« {s} » : un chemin dans static/ est attendu, sans « .. »"
        ));
    }
    let ext = p.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if !["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"].contains(&ext.as_str()) {
        return Err(format!(
            "« {s} » n'est pas une image (.png, .jpg, .svg, .webp…)"
        ));
    }
    if p.chars()
        .any(|c| c.is_control() || matches!(c, '"' | '<' | '>' | '\'' | '(' | ')'))
    {
        return Err(format!("« {s} » contient des caractères interdits"));
    }
    Ok(p)
}

/// One option a theme declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeOption {
    /// Its key in `[theme]` of `portfolio.toml`.
    pub name: String,
    /// The kind of value.
    pub kind: OptionKind,
    /// The value when the student sets none.
    pub default: Value,
    /// What it changes, for `folio theme doc` and the starting theme.
    pub description: String,
}

/// A loaded `theme.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// Display name.
    pub name: String,
    /// One sentence.
    pub description: String,
    /// The theme's own version.
    pub version: String,
    /// The oldest folio it works with, if it says.
    pub folio: Option<String>,
    /// The built-in theme it builds on (`defaut` when it says nothing).
    pub extends: Option<String>,
    /// Its options, in file order of their names.
    pub options: Vec<ThemeOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(alias = "nom")]
    name: Option<String>,
    description: Option<String>,
    version: Option<String>,
    #[serde(alias = "version_folio")]
    folio: Option<toml::Spanned<String>>,
    #[serde(alias = "etend", alias = "étend")]
    extends: Option<toml::Spanned<String>>,
    options: Option<BTreeMap<String, RawOption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    #[serde(rename = "type")]
    kind: toml::Spanned<String>,
    #[serde(alias = "defaut", alias = "défaut")]
    default: Option<toml::Spanned<toml::Value>>,
    description: Option<String>,
}

/// The keys a misspelt one is compared with: the README's French spellings first
/// (what teachers write), then the English ones.
const MANIFEST_KEYS: [&str; 11] = [
    "nom",
    "description",
    "version",
    "folio",
    "etend",
    "options",
    "type",
    "defaut",
    "name",
    "extends",
    "default",
];

impl Manifest {
    /// Parse a `theme.toml`; `file` names it in messages. `builtins` are the names a
    /// theme may extend.
    pub fn parse(text: &str, file: &Path, builtins: &[&str]) -> Result<Manifest, Vec<Diagnostic>> {
        let kind = TomlFile {
            codes: ("theme-toml-syntax", "theme-toml-unknown-key"),
            name: THEME_FILE,
            keys: &MANIFEST_KEYS,
            hint: "vérifiez les guillemets autour des textes et la forme clé = \"valeur\"",
        };
        let raw: RawManifest =
            toml::from_str(text).map_err(|e| vec![toml_finding(&e, text, file, &kind)])?;
        let at = |span: std::ops::Range<usize>| {
            let (l, c) = line_col(text, span.start);
            Location::at(file, l, c)
        };
        let mut errors = Vec::new();
        if let Some(need) = &raw.folio
            && let Err(why) = folio_is_recent_enough(need.get_ref())
        {
            errors.push(
                Diagnostic::error("theme-folio-version", why)
                    .at(at(need.span()))
                    .field("folio")
                    .hint("mettez folio à jour (téléchargez la dernière version), ou demandez à l'enseignant un thème pour cette version"),
            );
        }
        if let Some(base) = &raw.extends
            && !builtins.contains(&base.get_ref().as_str())
        {
            errors.push(
                Diagnostic::error(
                    "theme-option-declaration",
                    format!("thème intégré « {} » inconnu", base.get_ref()),
                )
                .at(at(base.span()))
                .field("etend")
                .hint(format!("thèmes intégrés : {}", builtins.join(", "))),
            );
        }
        let mut options = Vec::new();
        for (name, raw_opt) in raw.options.unwrap_or_default() {
            match declared_option(&name, raw_opt, &at) {
                Ok(o) => options.push(o),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Manifest {
            name: raw.name.unwrap_or_default(),
            description: raw.description.unwrap_or_default(),
            version: raw.version.unwrap_or_default(),
            folio: raw.folio.map(toml::Spanned::into_inner),
            extends: raw.extends.map(toml::Spanned::into_inner),
            options,
        })
    }
}

fn declared_option(
    name: &str,
    raw: RawOption,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
) -> Result<ThemeOption, Diagnostic> {
    let Some(kind) = OptionKind::parse(raw.kind.get_ref()) else {
        return Err(Diagnostic::error(
            "theme-option-declaration",
            format!(
                "type « {} » inconnu pour l'option « {name} »",
                raw.kind.get_ref()
            ),
        )
        .at(at(raw.kind.span()))
        .field(format!("options.{name}.type"))
        .hint("types possibles : texte, couleur, booleen, image"));
    };
    let default = match &raw.default {
        None => match kind {
            OptionKind::Bool => Value::Bool(false),
            OptionKind::Colour => {
                return Err(Diagnostic::error(
                    "theme-option-declaration",
                    format!("l'option couleur « {name} » n'a pas de valeur par défaut"),
                )
                .at(at(raw.kind.span()))
                .field(format!("options.{name}.defaut"))
                .hint("ajoutez par exemple defaut = \"#1d4ed8\""));
            }
            _ => Value::String(String::new()),
        },
        Some(v) => kind.check(v.get_ref()).map_err(|why| {
            Diagnostic::error(
                "theme-option-declaration",
                format!("valeur par défaut de « {name} » invalide : {why}"),
            )
            .at(at(v.span()))
            .field(format!("options.{name}.defaut"))
            .hint(format!("écrivez {}", kind.example()))
        })?,
    };
    Ok(ThemeOption {
        name: name.to_owned(),
        kind,
        default,
        description: raw.description.unwrap_or_default(),
    })
}

/// Whether this folio is at least the version a theme asks for (`"0.2"`, `">= 0.2.1"`).
fn folio_is_recent_enough(need: &str) -> Result<(), String> {
    let wanted = need.trim().trim_start_matches(">=").trim();
    let parse = |v: &str| -> Option<Vec<u64>> {
        v.split('.')
            .map(|n| n.trim().parse().ok())
            .collect::<Option<Vec<u64>>>()
    };
    let Some(mut want) = parse(wanted) else {
        return Err(format!(
            "folio = « {need} » n'est pas un numéro de version (par exemple \"0.1\")"
        ));
    };
    let mut have = parse(env!("CARGO_PKG_VERSION")).unwrap_or_default();
    let len = want.len().max(have.len());
    want.resize(len, 0);
    have.resize(len, 0);
    if have < want {
        return Err(format!(
            "ce thème demande folio {wanted} ou plus récent ; vous avez folio {}",
            env!("CARGO_PKG_VERSION")
        ));
    }
    Ok(())
}

/// An option value set in `portfolio.toml`, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct SetOption {
    /// The key.
    pub name: String,
    /// The value as written.
    pub value: toml::Value,
    /// `portfolio.toml:line:col` of the key.
    pub location: Location,
}

/// Every option's value: the defaults, replaced by what the student set. Unknown keys
/// and values of the wrong type are findings at their place in `portfolio.toml`, and
/// leave the default.
pub fn resolve(
    declared: &[ThemeOption],
    set: &[SetOption],
) -> (BTreeMap<String, Value>, Vec<Diagnostic>) {
    let mut values: BTreeMap<String, Value> = declared
        .iter()
        .map(|o| (o.name.clone(), o.default.clone()))
        .collect();
    let mut errors = Vec::new();
    for s in set {
        let Some(opt) = declared.iter().find(|o| o.name == s.name) else {
            errors.push(unknown_option(declared, s));
            continue;
        };
        match opt.kind.check(&s.value) {
            Ok(v) => {
                values.insert(s.name.clone(), v);
            }
            Err(why) => errors.push(
                Diagnostic::error(
                    "theme-option-type",
                    format!("option de thème « {} » : {why}", s.name),
                )
                .at(s.location.clone())
                .field(format!("theme.{}", s.name))
                .hint(format!("écrivez {}", opt.kind.example())),
            ),
        }
    }
    (values, errors)
}

fn unknown_option(declared: &[ThemeOption], s: &SetOption) -> Diagnostic {
    let names: Vec<&str> = declared.iter().map(|o| o.name.as_str()).collect();
    let hint = match nearest(&s.name, names.iter().copied()) {
        Some(n) => format!("vouliez-vous écrire « {n} » ?"),
        None if names.is_empty() => "ce thème n'a aucune option".to_owned(),
        None => format!("options de ce thème : {}", names.join(", ")),
    };
    Diagnostic::error(
        "theme-option-unknown",
        format!("option de thème « {} » inconnue", s.name),
    )
    .at(s.location.clone())
    .field(format!("theme.{}", s.name))
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Manifest, Vec<Diagnostic>> {
        Manifest::parse(s, Path::new("theme.toml"), &["defaut", "moderne"])
    }

    #[test]
    fn options_are_read_with_their_defaults() {
        let m = parse(
            "nom = \"SIO\"\nversion = \"1.0\"\nfolio = \"0.1\"\netend = \"moderne\"\n\
             [options.couleur]\ntype = \"couleur\"\ndefaut = \"#AA0000\"\n\
             [options.ecole]\ntype = \"texte\"\n[options.sombre]\ntype = \"booleen\"\n",
        )
        .unwrap();
        assert_eq!(m.name, "SIO");
        assert_eq!(m.extends.as_deref(), Some("moderne"));
        let by = |n: &str| m.options.iter().find(|o| o.name == n).unwrap();
        assert_eq!(by("couleur").default, Value::String("#aa0000".into()));
        assert_eq!(by("ecole").default, Value::String(String::new()));
        assert_eq!(by("sombre").default, Value::Bool(false));
    }

    #[test]
    fn mistakes_in_theme_toml_point_at_their_line() {
        let e = parse("nom = \"x\"\ncouleur = \"#fff\"\n").unwrap_err();
        assert_eq!(e[0].code, "theme-toml-unknown-key");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        let e = parse("[options.c]\ntype = \"couleur\"\ndefaut = \"rouge\"\n").unwrap_err();
        assert_eq!(e[0].code, "theme-option-declaration");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(3));
        let e = parse("[options.c]\ntype = \"nombre\"\n").unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        let e = parse("folio = \"999.0\"\n").unwrap_err();
        assert_eq!(e[0].code, "theme-folio-version");
        let e = parse("etend = \"classique\"\n").unwrap_err();
        assert!(e[0].hint.as_ref().unwrap().contains("moderne"));
    }

    #[test]
    fn student_values_are_checked_against_the_declaration() {
        let m = parse(
            "[options.couleur]\ntype = \"couleur\"\ndefaut = \"#000000\"\n[options.logo]\ntype = \"image\"\n",
        )
        .unwrap();
        let set = |name: &str, value: toml::Value| SetOption {
            name: name.into(),
            value,
            location: Location::at("portfolio.toml", 7, 1),
        };
        let (ok, none) = resolve(&m.options, &[set("logo", "img/logo.png".into())]);
        assert!(none.is_empty());
        assert_eq!(ok["couleur"], Value::String("#000000".into()));
        assert_eq!(ok["logo"], Value::String("img/logo.png".into()));
        let (values, e) = resolve(
            &m.options,
            &[
                set("coleur", "#ffffff".into()),
                set("couleur", toml::Value::Integer(3)),
                set("logo", "../../etc/passwd.png".into()),
            ],
        );
        // A refused value leaves the theme's default.
        assert_eq!(values["couleur"], Value::String("#000000".into()));
        assert_eq!(values["logo"], m.options[1].default);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].code, "theme-option-unknown");
        assert!(e[0].hint.as_ref().unwrap().contains("couleur"));
        assert_eq!(e[1].code, "theme-option-type");
        assert_eq!(
            e[1].location.as_ref().unwrap().to_string(),
            "portfolio.toml:7:1"
        );
        assert_eq!(e[2].code, "theme-option-type");
    }

    #[test]
    fn colours_cannot_carry_css() {
        assert!(is_colour("#1d4ed8"));
        assert!(!is_colour("red;}body{"));
        assert!(!is_colour("#12345"));
    }
}

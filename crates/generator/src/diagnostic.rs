//! Findings about a portfolio: errors that stop a build, warnings and notes.
//!
//! Every problem folio reports, from a YAML syntax error to an uncovered competence,
//! is a [`Diagnostic`]: a stable code, a severity, where it applies and a French
//! sentence saying what to do. One type serves the build and `folio check`, so a
//! student sees the same message whichever command found it.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails anything.
    Info,
    /// Fails only with `--strict`.
    Warning,
    /// Stops the build: the portfolio would be wrong in front of the jury.
    Error,
}

impl Severity {
    /// The French word shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "avertissement",
            Severity::Error => "erreur",
        }
    }
}

/// A place in a source file. Lines and columns count from 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, relative to the portfolio root when possible. Serialized as text even
    /// when the name is not valid UTF-8 (a name from an old USB key).
    #[serde(serialize_with = "lossy_path")]
    pub file: PathBuf,
    /// Line, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

fn lossy_path<S: serde::Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy().replace('\\', "/"))
}

impl Location {
    /// A whole file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A line of a file.
    pub fn line(file: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }

    /// A line and column of a file.
    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform: the path is shown, not opened.
        write!(f, "{}", self.file.to_string_lossy().replace('\\', "/"))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable identifier, documented in the README (`front-matter-syntax`, `coverage-missing`…).
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// Where it applies, when it applies to a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The front-matter field or config key concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong, in French.
    pub message: String,
    /// What to do about it, in French.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The web address concerned (`folio verify`), when it applies to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    /// A note.
    pub fn info(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, message)
    }

    fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            location: None,
            field: None,
            message: message.into(),
            hint: None,
            url: None,
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attach a file without a line.
    pub fn in_file(self, file: &Path) -> Self {
        self.at(Location::file(file))
    }

    /// Attach the field concerned.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attach advice.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the web address concerned.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Whether this finding stops a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.label(),
            self.code,
            self.message
        )?;
        if let Some(field) = &self.field {
            write!(f, " (champ « {field} »)")?;
        }
        if let Some(url) = &self.url {
            write!(f, "\n  adresse : {url}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  aide : {hint}")?;
        }
        Ok(())
    }
}

/// The nearest candidate to `word`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A message of the `toml` parser in French (it speaks English), for `portfolio.toml`
/// and TOML front matter. Unknown messages are kept as they are, after a French word.
pub fn translate_toml(message: &str) -> String {
    let m = message.trim();
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_owned();
    if m.contains("as i128") || m.contains("too large") || m.contains("overflow") {
        format!(
            "nombre trop grand : {} (au plus 9223372036854775807)",
            quoted(m)
        )
    } else if m.starts_with("duplicate key") {
        format!("clé « {} » écrite deux fois", quoted(m))
    } else if m.contains("invalid basic string")
        || m.contains("invalid literal string")
        || m.contains("unclosed")
    {
        "guillemet ou crochet ouvert mais jamais fermé".to_owned()
    } else if m.contains("expected `=`") || m.contains("key with no value") {
        "il manque « = » entre la clé et la valeur".to_owned()
    } else if m.contains("invalid string") || m.contains("string values must be quoted") {
        "texte sans guillemets (un texte s'écrit entre guillemets : \"…\")".to_owned()
    } else if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        format!(
            "mauvais type de valeur : {} au lieu {}",
            serde_kind(got),
            serde_expected(want)
        )
    } else {
        format!("syntaxe TOML invalide ({m})")
    }
}

/// serde's name of what it found (`string "x"`, `integer `3``), in French.
fn serde_kind(got: &str) -> String {
    let (kind, value) = got.split_once(' ').unwrap_or((got, ""));
    let word = match kind {
        "string" => "le texte",
        "integer" => "le nombre",
        "floating" => "le nombre",
        "boolean" => "la valeur",
        "sequence" => return "une liste".into(),
        "map" => return "une table".into(),
        _ => return got.to_owned(),
    };
    let value = value.trim_start_matches("point ").trim_matches('`');
    format!("{word} {value}")
}

/// serde's "expected …", in French, after « au lieu ».
fn serde_expected(want: &str) -> String {
    let w = want.trim();
    let french = if w.contains("sequence") {
        "d'une liste (entre crochets : [\"a\", \"b\"])"
    } else if w.contains("string") {
        "d'un texte entre guillemets"
    } else if w.contains("boolean") {
        "de true ou false"
    } else if ["integer", "i32", "i64", "u8", "u16", "u32", "u64"]
        .iter()
        .any(|t| w.contains(t))
    {
        "d'un nombre"
    } else if w.contains("map") || w.contains("struct") {
        "d'une table"
    } else {
        return format!("de : {w}");
    };
    french.to_owned()
}

/// The keys serde lists after "unknown field `x`, expected one of `a`, `b`".
fn expected_here(message_rest: &str) -> Option<String> {
    let (_, list) = message_rest.split_once("expected")?;
    let keys: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
    (!keys.is_empty()).then(|| keys.join(", "))
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// What a TOML file is, for the words of its parse errors.
pub(crate) struct TomlFile<'a> {
    /// Code of a syntax error, and of an unknown key.
    pub(crate) codes: (&'static str, &'static str),
    /// How messages name it: `portfolio.toml`, `le fichier de classe`.
    pub(crate) name: &'a str,
    /// The keys it accepts, for the nearest one.
    pub(crate) keys: &'a [&'a str],
    /// What to do about a syntax error.
    pub(crate) hint: &'a str,
}

/// A TOML parse error as a finding at its line and column; serde's "unknown field `x`"
/// is said in French with the nearest accepted key.
pub(crate) fn toml_finding(
    e: &toml::de::Error,
    text: &str,
    file: &std::path::Path,
    kind: &TomlFile<'_>,
) -> Diagnostic {
    let loc = match e.span() {
        Some(span) => {
            let (l, c) = line_col(text, span.start);
            Location::at(file, l, c)
        }
        None => Location::file(file),
    };
    let message = e.message().trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        // A key of another table (`dossier` outside `[[eleve]]`) is not misspelt.
        let elsewhere = kind.keys.iter().any(|k| k.eq_ignore_ascii_case(field));
        let others = kind
            .keys
            .iter()
            .copied()
            .filter(|k| !k.eq_ignore_ascii_case(field));
        let hint = match nearest(field, others) {
            _ if elsewhere => match expected_here(rest) {
                Some(here) => format!("« {field} » ne s'écrit pas à cet endroit ; ici : {here}"),
                None => format!("« {field} » ne s'écrit pas à cet endroit"),
            },
            Some(n) => format!("vouliez-vous écrire « {n} » ?"),
            None => format!("clés reconnues : {}", kind.keys.join(", ")),
        };
        return Diagnostic::error(
            kind.codes.1,
            format!("clé « {field} » inconnue dans {}", kind.name),
        )
        .at(loc)
        .field(field)
        .hint(hint);
    }
    // TOML's bare keys are ASCII: « numéro = » is refused, « "numéro" = » is not.
    let line = loc.line.and_then(|l| text.lines().nth(l - 1));
    let accented_key = message.contains("unquoted key")
        && line.is_some_and(|line| line.split('=').next().is_some_and(|key| !key.is_ascii()));
    let hint = if accented_key {
        "une clé avec un accent s'écrit entre guillemets (\"numéro\" = …) ou sans accent (numero = …)"
    } else {
        kind.hint
    };
    // toml names the key of « duplicate key » by its span only: read it there.
    let what = match line.map(str::trim) {
        Some(l) if message == "duplicate key" && l.starts_with('[') => {
            format!("table « {l} » écrite deux fois")
        }
        Some(l) if message == "duplicate key" => {
            let key = l.split('=').next().unwrap_or(l).trim().trim_matches('"');
            format!("clé « {key} » écrite deux fois")
        }
        _ => translate_toml(message),
    };
    Diagnostic::error(
        kind.codes.0,
        format!("{} n'est pas un TOML valide : {what}", kind.name),
    )
    .at(loc)
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_code_and_hint() {
        let d = Diagnostic::error("competence-unknown", "code inconnu « B1.7 »")
            .at(Location::at("content/realisations/glpi.md", 4, 3))
            .field("competences")
            .hint("codes valides : B1.1 à B1.6");
        assert_eq!(
            d.to_string(),
            "content/realisations/glpi.md:4:3: erreur[competence-unknown]: code inconnu « B1.7 » \
             (champ « competences »)\n  aide : codes valides : B1.1 à B1.6"
        );
    }

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["competences", "title", "context"];
        assert_eq!(nearest("competance", keys), Some("competences"));
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("couleur", keys), None);
    }

    #[test]
    fn serde_type_errors_in_french() {
        assert_eq!(
            translate_toml("invalid type: string \"eleves/karim\", expected a sequence"),
            "mauvais type de valeur : le texte \"eleves/karim\" au lieu d'une liste (entre crochets : [\"a\", \"b\"])"
        );
        assert_eq!(
            translate_toml("invalid type: integer `3`, expected a string"),
            "mauvais type de valeur : le nombre 3 au lieu d'un texte entre guillemets"
        );
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncdé\nf", 0), (1, 1));
        assert_eq!(line_col("ab\ncdé\nf", 4), (2, 2));
        assert_eq!(line_col("ab\ncdé\nf", 8), (3, 1));
    }
}

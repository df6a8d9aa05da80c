//! Splitting a Markdown file into front matter and body, in YAML (`---`) or TOML (`+++`).
//!
//! Every field keeps the line it was written on, so that any later message about it
//! (an unknown competence, a date in the wrong form) can point at that line.

use std::path::Path;

use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::diagnostic::{Diagnostic, Location, line_col};

/// The front-matter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` … `---`
    Yaml,
    /// `+++` … `+++`
    Toml,
}

/// A parsed front matter and the body after it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Format used, if the file has a front matter.
    pub format: Option<Format>,
    /// Top-level fields in the order written, with the line of their key.
    pub fields: Vec<Field>,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line where the body starts in the file.
    pub body_line: usize,
    /// The front-matter text, to locate values inside it.
    pub raw: String,
    /// 1-based line of the first front-matter line (after the opening fence).
    pub raw_line: usize,
}

/// A top-level front-matter field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Key as written.
    pub key: String,
    /// Value.
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: usize,
}

impl Parsed {
    /// The line in the file where `needle` first appears in field `key`'s value,
    /// falling back to the key's line.
    pub fn value_line(&self, field: &Field, needle: &str) -> usize {
        let start = field.line.saturating_sub(self.raw_line);
        let next_key = self
            .fields
            .iter()
            .map(|f| f.line)
            .filter(|&l| l > field.line)
            .min();
        for (i, line) in self.raw.lines().enumerate().skip(start) {
            let file_line = self.raw_line + i;
            if next_key.is_some_and(|n| file_line >= n) {
                break;
            }
            if line.contains(needle) {
                return file_line;
            }
        }
        field.line
    }
}

/// Split and parse. `file` names the file in messages.
pub fn parse(text: &str, file: &Path) -> Result<Parsed, Diagnostic> {
    let first = text.lines().next().unwrap_or("").trim_end();
    let format = match first {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Ok(Parsed {
                format: None,
                fields: Vec::new(),
                body: text.to_owned(),
                body_line: 1,
                raw: String::new(),
                raw_line: 1,
            });
        }
    };
    let fence = first;
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let raw_start = offset;
    let mut close = None;
    let mut line_no = 2;
    for line in text[offset..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (format == Format::Yaml && t == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
        line_no += 1;
    }
    let Some((raw_end, body_start)) = close else {
        let (lang, fence_hint) = match format {
            Format::Yaml => ("YAML", "---"),
            Format::Toml => ("TOML", "+++"),
        };
        return Err(Diagnostic::error(
            "front-matter-unclosed",
            format!("l'en-tête {lang} ouvert ligne 1 n'est jamais fermé"),
        )
        .at(Location::line(file, 1))
        .hint(format!(
            "ajoutez une ligne « {fence_hint} » seule après le dernier champ, avant le texte"
        )));
    };
    let raw = &text[raw_start..raw_end];
    let fields = match format {
        Format::Yaml => parse_yaml(raw, file)?,
        Format::Toml => parse_toml(raw, file)?,
    };
    Ok(Parsed {
        format: Some(format),
        fields,
        body: text[body_start..].to_owned(),
        body_line: line_no + 1,
        raw: raw.to_owned(),
        raw_line: 2,
    })
}

/// Top-level keys and their lines, found by reading the text: neither parser keeps them.
fn key_lines(raw: &str, format: Format) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-', '[']) || line.trim().is_empty() {
            continue;
        }
        let sep = match format {
            Format::Yaml => ':',
            Format::Toml => '=',
        };
        if let Some((k, _)) = line.split_once(sep) {
            let k = k.trim().trim_matches(['"', '\'']).to_owned();
            out.push((k, i + 2));
        }
    }
    out
}

fn line_of(keys: &[(String, usize)], key: &str) -> usize {
    keys.iter().find(|(k, _)| k == key).map_or(2, |(_, l)| *l)
}

fn parse_yaml(raw: &str, file: &Path) -> Result<Vec<Field>, Diagnostic> {
    // Tabs are the commonest YAML mistake from Windows editors; name it precisely.
    if let Some((i, _)) = raw.lines().enumerate().find(|(_, l)| l.starts_with('\t')) {
        return Err(Diagnostic::error("front-matter-syntax", "tabulation en début de ligne dans l'en-tête YAML")
            .at(Location::at(file, i + 2, 1))
            .hint("YAML n'accepte que des espaces pour l'indentation : remplacez la tabulation par deux espaces"));
    }
    if let Some(line) = alias_bomb(raw) {
        return Err(Diagnostic::error(
            "front-matter-syntax",
            format!("en-tête YAML trop gros une fois ses alias (*…) développés, ou trop imbriqué : plus de {YAML_MAX_NODES} valeurs ou de 64 niveaux"),
        )
        .at(Location::line(file, line + 1))
        .hint("un en-tête de réalisation n'a besoin ni d'ancres (&) ni d'alias (*) : écrivez les valeurs elles-mêmes"));
    }
    let docs = YamlLoader::load_from_str(raw).map_err(|e| {
        let m = e.marker();
        Diagnostic::error("front-matter-syntax", format!("en-tête YAML invalide : {}", translate_yaml(e.info())))
            .at(Location::at(file, m.line() + 1, m.col() + 1))
            .hint("forme attendue : « clé: valeur », une par ligne ; mettez entre guillemets un texte qui contient « : » ou « # »")
    })?;
    let keys = key_lines(raw, Format::Yaml);
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => Ok(Vec::new()),
        Some(Yaml::Hash(h)) => Ok(h
            .into_iter()
            .map(|(k, v)| {
                let key = yaml_key(&k);
                let line = line_of(&keys, &key);
                Field {
                    key,
                    value: yaml_to_json(v),
                    line,
                }
            })
            .collect()),
        Some(_) => Err(Diagnostic::error(
            "front-matter-syntax",
            "l'en-tête YAML doit être une liste de champs « clé: valeur »",
        )
        .at(Location::line(file, 2))
        .hint("exemple :\n  title: Déploiement de GLPI\n  competences: [B1.1, B1.2]")),
    }
}

/// The most values a front matter may hold once its aliases are expanded: a real one
/// has a few dozen; "billion laughs" aliases would need gigabytes.
pub const YAML_MAX_NODES: u64 = 10_000;

/// Measure what the YAML would expand to, without expanding it. Returns the 0-based
/// line (in `raw`) where the budget runs out, if it does.
fn alias_bomb(raw: &str) -> Option<usize> {
    if cannot_blow_up(raw) {
        return None;
    }
    count_expanded(raw)
}

/// [`alias_bomb`]'s counting parse.
fn count_expanded(raw: &str) -> Option<usize> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;

    #[derive(Default)]
    struct Sizes {
        /// Size of each open collection, with its anchor.
        open: Vec<(usize, u64)>,
        /// Expanded size of each anchored value.
        anchors: std::collections::HashMap<usize, u64>,
        total: u64,
        over: Option<usize>,
    }
    impl Sizes {
        fn add(&mut self, n: u64, mark: Marker) {
            match self.open.last_mut() {
                Some((_, size)) => *size = size.saturating_add(n),
                None => self.total = self.total.saturating_add(n),
            }
            let current = self
                .open
                .iter()
                .map(|(_, s)| *s)
                .fold(self.total, u64::saturating_add);
            if current > YAML_MAX_NODES && self.over.is_none() {
                self.over = Some(mark.line());
            }
        }
    }
    impl MarkedEventReceiver for Sizes {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if self.over.is_some() {
                return;
            }
            match ev {
                Event::Scalar(_, _, anchor, _) => {
                    if anchor > 0 {
                        self.anchors.insert(anchor, 1);
                    }
                    self.add(1, mark);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.open.push((anchor, 1));
                    // Nesting this deep is never a front matter; it would also make
                    // every later count slow.
                    if self.open.len() > 64 {
                        self.over = Some(mark.line());
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, size)) = self.open.pop() {
                        if anchor > 0 {
                            self.anchors.insert(anchor, size);
                        }
                        self.add(size, mark);
                    }
                }
                Event::Alias(anchor) => {
                    let size = self.anchors.get(&anchor).copied().unwrap_or(1);
                    self.add(size, mark);
                }
                _ => {}
            }
        }
    }
    let mut sizes = Sizes::default();
    // A syntax error is reported by the real parse that follows.
    let _ = Parser::new_from_str(raw).load(&mut sizes, true);
    sizes.over
}

/// Whether `raw` is too small to hold more than [`YAML_MAX_NODES`] values or 64 levels
/// without aliases: without them, values number at most about one per byte (an empty
/// value, as in `k:` or `{a,b}`, comes with its key), and each level takes a newline, a
/// dash, a bracket, a brace, a `?` or a `:`. Nearly every front matter is; the counting
/// parse is then skipped.
fn cannot_blow_up(raw: &str) -> bool {
    let nesting = raw
        .bytes()
        .filter(|b| matches!(b, b'\n' | b'-' | b'[' | b'{' | b'?' | b':'))
        .count();
    !raw.contains('*') && raw.len() as u64 <= YAML_MAX_NODES && nesting <= 64
}

fn translate_yaml(info: &str) -> String {
    if info.contains("duplicated key") {
        "clé écrite deux fois : gardez une seule ligne par champ".into()
    } else if info.contains("':' must be followed by a valid YAML whitespace") {
        "après « : », il faut une espace, pas une tabulation : écrivez « title: Mon titre »".into()
    } else if info.contains("illegal placement of ':'") {
        "deux-points « : » mal placé (un texte qui contient « : » ou commence par « [ » ou « { » doit être entre guillemets)".into()
    } else if info.contains("mapping values are not allowed") {
        "deux-points « : » inattendu (un texte qui contient « : » doit être entre guillemets)"
            .into()
    } else if info.contains("did not find expected key") || info.contains("did not find expected") {
        "indentation incohérente ou élément de liste mal placé".into()
    } else if info.contains("unexpected end")
        || info.contains("while scanning a quoted scalar")
        || info.contains("quoted scalar")
    {
        "guillemet ouvert mais jamais fermé".into()
    } else if info.contains("cannot start any token") {
        "caractère qui ne peut pas commencer une valeur (@, `, %, …) : mettez le texte entre guillemets".into()
    } else if info.contains("unknown escape") || info.contains("invalid escape") {
        "barre oblique inverse « \\ » entre guillemets doubles : utilisez des guillemets simples '…' (chemins Windows)".into()
    } else if info.contains("anchor") || info.contains("alias") {
        "« * » ou « & » au début d'une valeur : mettez le texte entre guillemets".into()
    } else if info.contains("indentation") || info.contains("block mapping") {
        "indentation incohérente (alignez les clés sur la même colonne, avec des espaces)".into()
    } else {
        format!("syntaxe YAML incorrecte ({info})")
    }
}

fn yaml_key(k: &Yaml) -> String {
    match k {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

fn yaml_to_json(y: Yaml) -> Value {
    match y {
        Yaml::String(s) => Value::String(s),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(s) => s
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or(Value::String(s)),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(a) => Value::Array(a.into_iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.into_iter()
                .map(|(k, v)| (yaml_key(&k), yaml_to_json(v)))
                .collect::<Map<_, _>>(),
        ),
        _ => Value::Null,
    }
}

fn parse_toml(raw: &str, file: &Path) -> Result<Vec<Field>, Diagnostic> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| {
        let (line, col) = e.span().map_or((0, 1), |s| line_col(raw, s.start));
        Diagnostic::error("front-matter-syntax", format!("en-tête TOML invalide : {}", crate::diagnostic::translate_toml(e.message())))
            .at(Location::at(file, line + 1, col))
            .hint("forme attendue : clé = \"valeur\", une par ligne ; les textes entre guillemets, les listes entre [ ]")
    })?;
    let keys = key_lines(raw, Format::Toml);
    // toml::Table is sorted; give fields back in the order written, like YAML.
    let mut fields: Vec<Field> = table
        .into_iter()
        .map(|(key, v)| {
            let line = line_of(&keys, &key);
            Field {
                key,
                value: toml_to_json(v),
                line,
            }
        })
        .collect();
    fields.sort_by_key(|f| f.line);
    Ok(fields)
}

/// A TOML value as JSON, dates as their text (`2024-09-12`), for templates.
pub fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_parser_messages_in_french() {
        assert_eq!(
            translate_yaml("invalid indentation in quoted scalar"),
            "guillemet ouvert mais jamais fermé"
        );
        assert!(translate_yaml("something new").starts_with("syntaxe YAML incorrecte"));
        assert!(
            translate_yaml("':' must be followed by a valid YAML whitespace")
                .starts_with("après « : », il faut une espace")
        );
    }

    fn p(s: &str) -> Result<Parsed, Diagnostic> {
        parse(s, Path::new("r.md"))
    }

    #[test]
    fn yaml_and_toml_give_the_same_fields() {
        let y = p("---\ntitle: GLPI\ncompetences: [B1.1, B1.2]\nstart: 2024-09-12\n---\n# Corps\n")
            .unwrap();
        let t = p("+++\ntitle = \"GLPI\"\ncompetences = [\"B1.1\", \"B1.2\"]\nstart = 2024-09-12\n+++\n# Corps\n").unwrap();
        let simple = |x: &Parsed| {
            x.fields
                .iter()
                .map(|f| (f.key.clone(), f.value.clone(), f.line))
                .collect::<Vec<_>>()
        };
        assert_eq!(simple(&y), simple(&t));
        assert_eq!(y.body, "# Corps\n");
        assert_eq!(y.body_line, 6);
        assert_eq!(y.fields[2].value, Value::String("2024-09-12".into()));
    }

    #[test]
    fn no_front_matter_is_a_plain_page() {
        let x = p("# Titre\ntexte").unwrap();
        assert!(x.format.is_none() && x.fields.is_empty());
    }

    #[test]
    fn unclosed_front_matter_points_at_line_one() {
        let e = p("---\ntitle: x\n# Corps\n").unwrap_err();
        assert_eq!(e.code, "front-matter-unclosed");
        assert_eq!(e.location.unwrap().line, Some(1));
    }

    #[test]
    fn yaml_errors_have_line_and_column() {
        // A tab after the colon: yaml-rust2's words, in French.
        let e = p("---\ntitle:\tTab\ncontext: formation\n---\n").unwrap_err();
        assert!(
            e.message.contains("il faut une espace, pas une tabulation"),
            "{}",
            e.message
        );
        let e = p("---\ntitle: x\ncontext: formation: oui\n---\n").unwrap_err();
        assert_eq!(e.code, "front-matter-syntax");
        let loc = e.location.unwrap();
        assert_eq!(loc.line, Some(3));
        assert!(loc.column.is_some());
        let e = p("---\ntitle: x\n\tcontext: y\n---\n").unwrap_err();
        assert_eq!(e.location.unwrap().line, Some(3));
    }

    proptest::proptest! {
        #[test]
        fn the_counting_parse_finds_nothing_where_it_is_skipped(
            raw in "([-\\[\\]{},:?&!|>'\"# \n]|a|b|x: |- ){0,160}"
        ) {
            if cannot_blow_up(&raw) {
                proptest::prop_assert_eq!(count_expanded(&raw), None);
            }
        }
    }

    #[test]
    fn only_front_matters_that_cannot_blow_up_skip_the_counting_parse() {
        let ordinary =
            "title: x\ncompetences: [B1.1, B1.2]\ndocuments:\n  - { title: a, file: a.pdf }\n";
        assert!(cannot_blow_up(ordinary));
        // 65 levels written with one kind of mark each: all counted.
        for deep in [
            "- ".repeat(65) + "x",
            "k: ".repeat(65) + "x",
            "[".repeat(65) + &"]".repeat(65),
            "? ".repeat(65) + "x",
        ] {
            assert!(!cannot_blow_up(&deep), "{deep}");
            if deep.starts_with('[') || deep.starts_with('-') {
                let e = p(&format!("---\n{deep}\n---\n")).unwrap_err();
                assert!(e.message.contains("64 niveaux"), "{}", e.message);
            }
        }
        assert!(!cannot_blow_up("a: &a [x]\nb: *a\n"));
        assert!(!cannot_blow_up(&"x".repeat(YAML_MAX_NODES as usize + 1)));
    }

    #[test]
    fn toml_errors_have_line_and_column() {
        let e = p("+++\ntitle = \"x\"\nstart = 12/09/2024\n+++\n").unwrap_err();
        assert_eq!(e.location.unwrap().line, Some(3));
    }

    #[test]
    fn value_lines_are_found() {
        let x = p("---\ntitle: x\ncompetences:\n  - B1.1\n  - B1.9\nend: 2024\n---\n").unwrap();
        let f = &x.fields[1];
        assert_eq!(f.line, 3);
        assert_eq!(x.value_line(f, "B1.9"), 5);
    }
}

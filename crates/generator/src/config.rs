//! `portfolio.toml`: the site and the candidate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::text;

/// The name of the configuration file at the root of a portfolio.
pub const CONFIG_FILE: &str = "portfolio.toml";

/// The candidate's option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SioOption {
    /// Solutions d'infrastructure, systèmes et réseaux.
    #[serde(rename = "SISR")]
    Sisr,
    /// Solutions logicielles et applications métiers.
    #[serde(rename = "SLAM")]
    Slam,
}

impl SioOption {
    /// `SISR` or `SLAM`.
    pub fn label(self) -> &'static str {
        match self {
            SioOption::Sisr => "SISR",
            SioOption::Slam => "SLAM",
        }
    }
}

/// The `[candidate]` table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Candidate {
    /// NOM et prénom.
    pub name: String,
    /// N° candidat (may be empty until the convocation arrives).
    pub number: String,
    /// Centre de formation.
    pub centre: String,
    /// SISR or SLAM.
    pub option: Option<SioOption>,
    /// Exam session (year).
    pub session: Option<i32>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// LinkedIn profile URL.
    pub linkedin: Option<String>,
    /// GitHub profile URL.
    pub github: Option<String>,
    /// Personal website or other link.
    pub website: Option<String>,
}

/// The `[table]` table: the synthesis table output.
#[derive(Debug, Clone, Serialize)]
pub struct TableConfig {
    /// File name in the output.
    pub file: String,
}

/// A loaded `portfolio.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Description for search engines and the home page.
    pub description: String,
    /// Absolute URL of the published site, always ending with `/`.
    pub base_url: String,
    /// Path part of `base_url`, starting and ending with `/` (`/portfolio/`).
    pub base_path: String,
    /// Page language (`fr`).
    pub language: String,
    /// A theme folder, relative to the portfolio, if not a built-in one.
    pub theme: Option<PathBuf>,
    /// A built-in theme named in `theme` (`moderne`), if not a folder.
    pub theme_builtin: Option<String>,
    /// Theme options set under `[theme]`, checked against the theme's `theme.toml`
    /// when it is loaded.
    #[serde(skip)]
    pub theme_options: Vec<crate::theme_toml::SetOption>,
    /// Where the theme is named (`theme = …` or `nom = …`), for a theme not found.
    #[serde(skip)]
    pub theme_at: Location,
    /// Where each key is written (see [`Config::place`]).
    #[serde(skip)]
    places: HashMap<String, Location>,
    /// Keys whose value was refused (`candidate.option`…): [`Config::load_lenient`] put
    /// a default in their place, and the checks do not also say they are missing.
    #[serde(skip)]
    pub refused: Vec<String>,
    /// The candidate.
    pub candidate: Candidate,
    /// The synthesis table.
    pub table: TableConfig,
    /// Anything else under `[extra]`, for templates.
    pub extra: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    #[serde(alias = "langue")]
    language: Option<String>,
    // A name or a path (`theme = "moderne"`), or a `[theme]` table with `nom` and options.
    theme: Option<toml::Value>,
    #[serde(alias = "candidat")]
    candidate: Option<RawCandidate>,
    #[serde(alias = "tableau")]
    table: Option<RawTable>,
    extra: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidate {
    #[serde(alias = "nom")]
    name: Option<String>,
    #[serde(alias = "numero", alias = "numéro")]
    number: Option<toml::Value>,
    #[serde(alias = "centre_de_formation")]
    centre: Option<String>,
    option: Option<String>,
    session: Option<toml::Value>,
    #[serde(alias = "courriel", alias = "mail")]
    email: Option<String>,
    #[serde(alias = "telephone", alias = "téléphone")]
    phone: Option<String>,
    linkedin: Option<String>,
    github: Option<String>,
    #[serde(alias = "site")]
    website: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(alias = "fichier")]
    file: Option<String>,
}

/// The French spellings the parser accepts (its `serde(alias)`), for [`Config::place`];
/// a test checks that the parser takes each of them.
const ALIASES: [(&str, &str); 13] = [
    ("langue", "language"),
    ("candidat", "candidate"),
    ("tableau", "table"),
    ("nom", "name"),
    ("numero", "number"),
    ("numéro", "number"),
    ("centre_de_formation", "centre"),
    ("courriel", "email"),
    ("mail", "email"),
    ("telephone", "phone"),
    ("téléphone", "phone"),
    ("site", "website"),
    ("fichier", "file"),
];

const TOP_KEYS: [&str; 8] = [
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "candidate",
    "table",
    "extra",
];
const CANDIDATE_KEYS: [&str; 10] = [
    "name", "number", "centre", "option", "session", "email", "phone", "linkedin", "github",
    "website",
];

/// Settings given on the command line that take precedence over `portfolio.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`: the address the site is published at (the GitHub workflow passes
    /// the one GitHub Pages reports, so a fork or a renamed repository needs no edit).
    pub base_url: Option<String>,
}

impl Config {
    /// Load `portfolio.toml` from a portfolio root, then apply the command line's overrides.
    pub fn load_with(root: &Path, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
        strict(Self::load_with_lenient(root, overrides)?)
    }

    /// [`Config::load_with`] that goes on past refused values (see
    /// [`Config::parse_lenient`]) and returns them beside the configuration.
    pub fn load_with_lenient(
        root: &Path,
        overrides: &Overrides,
    ) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (mut config, refused) = Self::load_lenient(root)?;
        if let Some(url) = &overrides.base_url {
            let (base_url, base_path) = normalize_base_url(url).map_err(|msg| {
                vec![
                    Diagnostic::error("config-base-url", format!("--base-url : {msg}"))
                        .hint("donnez l'adresse complète du site publié, par exemple --base-url https://lea-martin.github.io/portfolio/"),
                ]
            })?;
            config.base_url = base_url;
            config.base_path = base_path;
        }
        Ok((config, refused))
    }

    /// The error for a folder without `portfolio.toml`, for the commands that would
    /// otherwise go on there (`folio new` wrote `content/` inside `content/realisations/`,
    /// `folio serve` served an error page); `None` in a portfolio.
    pub fn missing_in(root: &Path) -> Option<Diagnostic> {
        // Only an absent file: one folio cannot read is Config::load's to explain.
        match std::fs::symlink_metadata(root.join(CONFIG_FILE)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            _ => return None,
        }
        let given = !(root.as_os_str().is_empty() || root == Path::new("."));
        let shown = crate::fix::display(root);
        if given && !root.is_dir() {
            return Some(
                Diagnostic::error("config-missing", format!("le dossier « {shown} » n'existe pas"))
                    .hint("vérifiez le nom du dossier du portfolio, ou créez-en un : folio init mon-portfolio"),
            );
        }
        let here = if given {
            format!("« {shown} »")
        } else {
            "ce dossier".to_owned()
        };
        // Run from one of the portfolio's folders (content/realisations/): « cd ../.. ».
        let levels_up = (!given)
            .then(std::env::current_dir)
            .and_then(Result::ok)
            .and_then(|cwd| {
                cwd.ancestors()
                    .skip(1)
                    .position(|dir| dir.join(CONFIG_FILE).is_file())
            })
            .map(|i| vec![".."; i + 1].join("/"));
        let hint = match levels_up {
            Some(up) => {
                format!(
                    "le portfolio est dans {up} : faites « cd {up} », puis relancez la commande"
                )
            }
            None => format!(
                "lancez folio dans le dossier du portfolio (celui qui contient {CONFIG_FILE}), \
                 ou créez-en un : folio init mon-portfolio"
            ),
        };
        Some(
            Diagnostic::error(
                "config-missing",
                format!("pas de {CONFIG_FILE} dans {here} : ce n'est pas un portfolio"),
            )
            .hint(hint),
        )
    }

    /// Load `portfolio.toml` from a portfolio root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        strict(Self::load_lenient(root)?)
    }

    /// [`Config::load`] with [`Config::parse_lenient`].
    pub fn load_lenient(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let rel = PathBuf::from(CONFIG_FILE);
        // Only a regular file: reading a named pipe called portfolio.toml would hang.
        if let Ok(meta) = std::fs::metadata(&path)
            && !meta.is_file()
        {
            return Err(vec![
                Diagnostic::error(
                    "config-missing",
                    format!("{CONFIG_FILE} n'est pas un fichier ordinaire (dossier, tube ou périphérique)"),
                )
                .in_file(&rel)
                .hint(format!("{CONFIG_FILE} doit être un fichier texte à la racine du portfolio")),
            ]);
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            // No portfolio here: say where one is (« cd ../.. ») as `new` and `serve` do.
            if let Some(d) =
                Self::missing_in(root).filter(|_| e.kind() == std::io::ErrorKind::NotFound)
            {
                return vec![d.in_file(&rel)];
            }
            vec![
                Diagnostic::error(
                    "config-missing",
                    format!(
                        "impossible de lire {} : {}",
                        path.display(),
                        crate::io_reason(&e)
                    ),
                )
                .in_file(&rel)
                .hint(format!(
                    "lancez folio dans le dossier du portfolio (celui qui contient {CONFIG_FILE}), \
                         ou donnez son chemin : folio build mon-portfolio"
                )),
            ]
        })?;
        let source = text::decode(&bytes).map_err(|_| {
            vec![
                Diagnostic::error("file-binary", "portfolio.toml n'est pas un fichier texte")
                    .in_file(&rel),
            ]
        })?;
        Self::parse_lenient(&source.text, &rel)
    }

    /// Parse the text of a `portfolio.toml`; `file` names it in messages.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        strict(Self::parse_lenient(text, file)?)
    }

    /// [`Config::parse`] that stops only on a TOML syntax error: a refused value (an
    /// unknown key, a wrong type, an unknown option, a bad link) is returned
    /// beside a configuration holding a safe
    /// default in its place (none, for a link), so that `folio check` and `folio class`
    /// still read the portfolio. `folio build` goes through [`Config::parse`].
    pub fn parse_lenient(
        text: &str,
        file: &Path,
    ) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (raw, mut diags) = read_raw(text, file)?;
        let base_url = raw.base_url.unwrap_or_default();
        let (base_url, base_path) = match normalize_base_url(&base_url) {
            Ok(v) => v,
            Err(msg) => {
                diags.push(
                    Diagnostic::error("config-base-url", msg)
                        .at(key_location(text, file, "base_url"))
                        .field("base_url")
                        .hint("écrivez l'adresse complète du site publié, par exemple base_url = \"https://lea-martin.github.io/portfolio/\""),
                );
                ("/".into(), "/".into())
            }
        };
        let rc = raw.candidate.unwrap_or(RawCandidate {
            name: None,
            number: None,
            centre: None,
            option: None,
            session: None,
            email: None,
            phone: None,
            linkedin: None,
            github: None,
            website: None,
        });
        let option = match rc.option.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(o) if o.eq_ignore_ascii_case("sisr") => Some(SioOption::Sisr),
            Some(o) if o.eq_ignore_ascii_case("slam") => Some(SioOption::Slam),
            Some(o) => {
                diags.push(
                    Diagnostic::error("config-option", format!("option « {o} » inconnue"))
                        .at(key_location(text, file, "candidate.option"))
                        .field("candidate.option")
                        .hint("écrivez option = \"SISR\" ou option = \"SLAM\""),
                );
                None
            }
        };
        let session = match rc.session {
            None => None,
            Some(toml::Value::Integer(y)) if (2000..=2100).contains(&y) => Some(y as i32),
            Some(toml::Value::String(s))
                if s.trim()
                    .parse::<i32>()
                    .is_ok_and(|y| (2000..=2100).contains(&y)) =>
            {
                s.trim().parse().ok()
            }
            Some(other) => {
                diags.push(
                    Diagnostic::error("config-session", format!("session « {other} » invalide"))
                        .at(key_location(text, file, "candidate.session"))
                        .field("candidate.session")
                        .hint("écrivez l'année de l'examen, par exemple session = 2026"),
                );
                None
            }
        };
        let links = [
            ("linkedin", &rc.linkedin),
            ("github", &rc.github),
            ("website", &rc.website),
        ];
        let mut bad_links = Vec::new();
        for (key, value) in links {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty())
                && let Err(why) = check_profile_url(v)
            {
                bad_links.push(key);
                diags.push(
                    Diagnostic::error("config-link", format!("{key} = « {v} » refusé : {why}"))
                        .at(key_location(text, file, &format!("candidate.{key}")))
                        .field(format!("candidate.{key}"))
                        .hint("écrivez l'adresse complète de la page, par exemple \"https://www.linkedin.com/in/lea-martin\""),
                );
            }
        }
        let bad_mail = rc
            .email
            .as_deref()
            .filter(|m| !m.is_empty())
            .is_some_and(|mail| {
                mail.contains(':')
                    || mail
                        .chars()
                        .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\''))
                    || !mail.contains('@')
            });
        if let Some(mail) = rc.email.as_deref().filter(|_| bad_mail) {
            diags.push(
                Diagnostic::error(
                    "config-link",
                    format!("email = « {mail} » n'est pas une adresse de courriel"),
                )
                .at(key_location(text, file, "candidate.email"))
                .field("candidate.email")
                .hint("écrivez seulement l'adresse, par exemple email = \"lea.martin@example.fr\""),
            );
        }
        let mut table_file = raw
            .table
            .and_then(|t| t.file)
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_TABLE_FILE.into());
        if let Err(why) = check_table_file(&table_file) {
            diags.push(
                Diagnostic::error("config-table-file", format!("[table] file = « {table_file} » refusé : {why}"))
                    .at(key_location(text, file, "table.file"))
                    .field("table.file")
                    .hint("un simple nom de fichier qui finit par .xlsx, par exemple file = \"tableau-de-synthese.xlsx\""),
            );
            table_file = DEFAULT_TABLE_FILE.into();
        }
        let theme = theme_setting(raw.theme, text, file, &mut diags);
        let number = match rc.number {
            None => String::new(),
            Some(toml::Value::String(s)) => s,
            Some(v) => v.to_string(),
        };
        // Not serde's conversion: it turns a TOML date into {"$__toml_private_datetime": …}.
        let extra = raw
            .extra
            .map(|t| crate::frontmatter::toml_to_json(toml::Value::Table(t)))
            .unwrap_or_default();
        // A refused link is never written into a page.
        let link =
            |key: &str, v: Option<String>| v.filter(|s| !s.is_empty() && !bad_links.contains(&key));
        let config = Config {
            title: raw.title.unwrap_or_else(|| "Portfolio BTS SIO".into()),
            description: raw.description.unwrap_or_default(),
            base_url,
            base_path,
            language: raw.language.unwrap_or_else(|| "fr".into()),
            theme: theme.folder,
            theme_builtin: theme.builtin,
            theme_options: theme.options,
            theme_at: theme.at,
            candidate: Candidate {
                name: rc.name.unwrap_or_default(),
                number,
                centre: rc.centre.unwrap_or_default(),
                option,
                session,
                email: rc.email.filter(|s| !s.is_empty() && !bad_mail),
                phone: rc.phone.filter(|s| !s.is_empty()),
                linkedin: link("linkedin", rc.linkedin),
                github: link("github", rc.github),
                website: link("website", rc.website),
            },
            table: TableConfig { file: table_file },
            extra,
            places: key_places(text, file),
            refused: diags.iter().filter_map(|d| d.field.clone()).collect(),
        };
        Ok((config, diags))
    }

    /// Where a finding about `key` (`candidate.name`, `base_url`) points: the key's line,
    /// else its table's (`[candidate]`, where a missing key goes), else the file. French
    /// spellings count (`[candidat]`, `nom`).
    pub fn place(&self, key: &str) -> Location {
        place_in(&self.places, key, Path::new(CONFIG_FILE))
    }

    /// The URL path of a site-relative path: `url_path("realisations/")` → `/portfolio/realisations/`.
    pub fn url_path(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }

    /// The absolute URL of a site-relative path, for the sitemap and the table.
    pub fn absolute_url(&self, rel: &str) -> String {
        format!("{}{}", self.base_url, rel.trim_start_matches('/'))
    }
}

/// A profile link is written into every page: a web address, nothing that runs code.
fn check_profile_url(url: &str) -> Result<(), &'static str> {
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("l'adresse doit commencer par https://");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err("espace, guillemet ou < > interdits dans une adresse");
    }
    Ok(())
}

/// The table's file name must be a plain `.xlsx` name: it is joined to the output
/// folder (and to the portfolio by `folio table`), so a path could write anywhere.
fn check_table_file(name: &str) -> Result<(), &'static str> {
    if name.contains(['/', '\\']) || name.contains("..") {
        return Err("un nom de fichier seul est attendu, sans dossier ni « .. »");
    }
    if name.starts_with('.') || name.trim() != name {
        return Err("le nom ne peut pas commencer par un point ni par une espace");
    }
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
    {
        return Err("caractères interdits dans un nom de fichier (: * ? \" < > |)");
    }
    if !name.to_ascii_lowercase().ends_with(".xlsx") || name.len() <= ".xlsx".len() {
        return Err("le tableau est un classeur Excel : son nom doit finir par .xlsx");
    }
    Ok(())
}

/// Split `https://host/sub/` into the URL with a trailing slash and its path.
fn normalize_base_url(raw: &str) -> Result<(String, String), String> {
    let raw = raw.trim();
    if raw.is_empty() {
        // Not published yet: links work from the root; `folio check` reminds the student.
        return Ok(("/".into(), "/".into()));
    }
    let Some((scheme, rest)) = raw.split_once("://") else {
        return Err(format!(
            "base_url « {raw} » n'est pas une adresse complète (il manque https://)"
        ));
    };
    if scheme != "https" && scheme != "http" {
        return Err(format!("base_url « {raw} » doit commencer par https://"));
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err(format!("base_url « {raw} » n'a pas de nom de domaine"));
    }
    // The URL is written into every page, the sitemap (XML) and robots.txt: only the
    // characters of a real address, so that no quote or bracket can break them.
    let host_ok = host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    let path_ok = path.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '/' | '-'
                    | '_'
                    | '.'
                    | '~'
                    | '%'
                    | '?'
                    | '#'
                    | '='
                    | '&'
                    | '+'
                    | ','
                    | ';'
                    | '@'
                    | '!'
                    | '$'
                    | '('
                    | ')'
                    | '*'
            )
    });
    if !host_ok || !path_ok {
        return Err(format!(
            "base_url « {raw} » contient des caractères interdits dans une adresse (espace, guillemet, < >, \\…)"
        ));
    }
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut path = path.trim_end_matches('/').to_owned();
    path.push('/');
    Ok((format!("{scheme}://{host}{path}"), path))
}

/// What `theme` says: a built-in theme or a folder, and option values.
#[derive(Default)]
struct ThemeSetting {
    folder: Option<PathBuf>,
    builtin: Option<String>,
    options: Vec<crate::theme_toml::SetOption>,
    at: Location,
}

/// `theme = "…"` or `[theme]` with `nom = "…"` and option values. A name of a built-in
/// theme is that theme; anything else is a folder relative to the portfolio (write
/// `./moderne` for a folder that happens to bear a built-in name).
fn theme_setting(
    raw: Option<toml::Value>,
    text: &str,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> ThemeSetting {
    let mut at = key_location(text, file, "theme");
    let (name, table) = match raw {
        None => (None, toml::Table::new()),
        Some(toml::Value::String(s)) => (Some(s), toml::Table::new()),
        Some(toml::Value::Table(mut t)) => {
            let name = ["nom", "name"].iter().find_map(|k| t.remove(*k));
            match name {
                None => (None, t),
                Some(toml::Value::String(s)) => (Some(s), t),
                Some(_) => {
                    diags.push(theme_error(text, file, "theme.name"));
                    return ThemeSetting::default();
                }
            }
        }
        Some(_) => {
            diags.push(theme_error(text, file, "theme"));
            return ThemeSetting::default();
        }
    };
    let places = key_places(text, file);
    let options = table
        .into_iter()
        .map(|(name, value)| crate::theme_toml::SetOption {
            location: places
                .get(&format!("theme.{name}"))
                .cloned()
                .unwrap_or_else(|| Location::file(file)),
            name,
            value,
        })
        .collect();
    if let Some(place) = places.get("theme.nom").or(places.get("theme.name")) {
        at = place.clone();
    }
    let mut setting = ThemeSetting {
        at,
        options,
        ..ThemeSetting::default()
    };
    match name.as_deref().map(str::trim) {
        None | Some("") => {}
        Some(n) => match crate::theme::builtin_name(n) {
            Some(b) => setting.builtin = Some(b.to_owned()),
            None => setting.folder = Some(PathBuf::from(n)),
        },
    }
    setting
}

/// The synthesis table's file name when `[table] file` is not given (or refused).
const DEFAULT_TABLE_FILE: &str = "tableau-de-synthese.xlsx";

/// A lenient result that must have no refused value.
fn strict<T>((value, refused): (T, Vec<Diagnostic>)) -> Result<T, Vec<Diagnostic>> {
    if refused.is_empty() {
        Ok(value)
    } else {
        Err(refused)
    }
}

fn theme_error(text: &str, file: &Path, key: &str) -> Diagnostic {
    Diagnostic::error("config-theme", "le thème doit être un nom ou un chemin entre guillemets")
        .at(key_location(text, file, key))
        .field("theme")
        .hint("écrivez theme = \"moderne\" (thème intégré) ou theme = \"../theme-classe\" (dossier), ou une table [theme] avec nom = \"…\"")
}

/// Where each key is written, by its dotted name as the file spells it (`title`,
/// `candidate`, `candidat.nom`, `theme.couleur`): findings about a value name its line.
fn key_places(text: &str, file: &Path) -> HashMap<String, Location> {
    let mut places = HashMap::new();
    let Ok(doc) = toml::de::DeTable::parse(text) else {
        return places;
    };
    let at = |span: std::ops::Range<usize>| {
        let (l, c) = crate::diagnostic::line_col(text, span.start);
        Location::at(file, l, c)
    };
    for (k, v) in doc.get_ref() {
        places.insert(k.get_ref().to_string(), at(k.span()));
        for (inner, _) in v.get_ref().as_table().into_iter().flatten() {
            places.insert(
                format!("{}.{}", k.get_ref(), inner.get_ref()),
                at(inner.span()),
            );
        }
    }
    places
}

/// Where the value of a dotted `key` is written, for a finding during parsing.
fn key_location(text: &str, file: &Path, key: &str) -> Location {
    place_in(&key_places(text, file), key, file)
}

/// The place of a dotted canonical `key` (`candidate.name`) among `places`, as the file
/// may spell it (`[candidat]`, `nom`): the key's, else its table's (where a missing key
/// goes), else the file.
fn place_in(places: &HashMap<String, Location>, key: &str, file: &Path) -> Location {
    let spellings = |word: &str| -> Vec<String> {
        std::iter::once(word)
            .chain(ALIASES.iter().filter(|(_, c)| *c == word).map(|(a, _)| *a))
            .map(str::to_owned)
            .collect()
    };
    let (table, name) = key.split_once('.').unwrap_or(("", key));
    let tables = if table.is_empty() {
        vec![String::new()]
    } else {
        spellings(table)
    };
    for t in &tables {
        for n in spellings(name) {
            let dotted = if t.is_empty() { n } else { format!("{t}.{n}") };
            if let Some(place) = places.get(&dotted) {
                return place.clone();
            }
        }
    }
    tables
        .iter()
        .find_map(|t| places.get(t))
        .cloned()
        .unwrap_or_else(|| Location::file(file))
}

/// serde's view of `portfolio.toml`. A key it refuses (unknown, or of the wrong type)
/// is reported at its line and left out, one at a time, so that the rest is read: only
/// a TOML syntax error stops here, or a refused value written over several lines.
fn read_raw(text: &str, file: &Path) -> Result<(RawConfig, Vec<Diagnostic>), Vec<Diagnostic>> {
    let places = key_places(text, file);
    let mut current = text.to_owned();
    let mut refused: Vec<Diagnostic> = Vec::new();
    // Bounded: each round comments out one more line.
    for _ in 0..=text.lines().count() {
        let e = match toml::from_str::<RawConfig>(&current) {
            Ok(raw) => {
                refused.sort_by_key(|d| d.location.as_ref().and_then(|l| l.line));
                return Ok((raw, refused));
            }
            Err(e) => e,
        };
        let m = e.message();
        // serde's refusals; the parser's own messages (« invalid basic string ») are syntax.
        let recoverable = ["unknown field", "invalid type", "invalid value"]
            .iter()
            .any(|p| m.starts_with(p));
        let line = e
            .span()
            .map(|s| crate::diagnostic::line_col(&current, s.start).0);
        let (Some(line), true) = (line, recoverable) else {
            // After a line was left out, a syntax error is that line's doing: the
            // refusals said are the whole story.
            return Err(if refused.is_empty() {
                vec![toml_error(&e, text, file)]
            } else {
                refused
            });
        };
        let mut finding = toml_error(&e, text, file);
        if finding.field.is_none() {
            // The key written on that line, for the checks not to call it missing.
            let key = places
                .iter()
                .find(|(_, at)| at.line == Some(line))
                .map(|(k, _)| canonical_path(k));
            finding.field = key;
        }
        refused.push(finding);
        match comment_out(&current, line) {
            Some(next) => current = next,
            None => return Err(refused),
        }
    }
    Err(refused)
}

/// `text` with line `line` (1-based) made a comment, keeping every byte offset: its
/// first character (ASCII in a key line) becomes `#`. `None` for a table header or a
/// line that is not `key = value`.
fn comment_out(text: &str, line: usize) -> Option<String> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    let body = rest.split('\n').next()?;
    let at = start + (body.len() - body.trim_start().len());
    let first = text[at..].chars().next()?;
    if first == '[' || first == '#' || !first.is_ascii() || !body.contains('=') {
        return None;
    }
    Some(format!("{}#{}", &text[..at], &text[at + 1..]))
}

/// A dotted key as written (`candidat.nom`) in canonical words (`candidate.name`).
fn canonical_path(written: &str) -> String {
    written
        .split('.')
        .map(|w| {
            ALIASES
                .iter()
                .find(|(alias, _)| *alias == w)
                .map_or(w, |(_, canon)| *canon)
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn toml_error(e: &toml::de::Error, text: &str, file: &Path) -> Diagnostic {
    let keys: Vec<&str> = TOP_KEYS
        .iter()
        .chain(CANDIDATE_KEYS.iter())
        .copied()
        .collect();
    let kind = crate::diagnostic::TomlFile {
        codes: ("config-syntax", "config-unknown-key"),
        name: CONFIG_FILE,
        keys: &keys,
        hint: "vérifiez les guillemets autour des textes et la forme clé = \"valeur\"",
    };
    crate::diagnostic::toml_finding(e, text, file, &kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(s, Path::new("portfolio.toml"))
    }

    #[test]
    fn an_unknown_key_or_a_wrong_type_is_left_out_and_the_rest_is_read() {
        let text = "title = \"P\"\nbase_url = \"https://a.github.io/p/\"\nlinkdin = \"x\"\n\n[candidat]\nnom = \"MARTIN Léa\"\noption = 1\nsession = 2026\n";
        let (c, refused) = Config::parse_lenient(text, Path::new("portfolio.toml")).unwrap();
        let seen: Vec<(&str, Option<usize>, Option<&str>)> = refused
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.location.as_ref().and_then(|l| l.line),
                    d.field.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("config-unknown-key", Some(3), Some("linkdin")),
                ("config-syntax", Some(7), Some("candidate.option")),
            ]
        );
        assert_eq!(c.candidate.name, "MARTIN Léa");
        assert_eq!(c.candidate.session, Some(2026));
        assert_eq!(c.candidate.option, None);
        assert!(c.refused.iter().any(|k| k == "candidate.option"));
        // Strict parsing still refuses it; a syntax error, or a refused value over
        // several lines, still stops the read.
        assert!(parse(text).is_err());
        assert!(Config::parse_lenient("title = \"P\n", Path::new("portfolio.toml")).is_err());
        let spread = "title = \"P\"\n[candidate]\noption = [\n  \"SISR\",\n]\n";
        let e = Config::parse_lenient(spread, Path::new("portfolio.toml")).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(3));
    }

    #[test]
    fn findings_point_at_the_key_or_its_table() {
        let c = parse(
            "title = \"P\"\nbase_url = \"https://a.github.io/p/\"\n\n[candidate]\nname = \"MARTIN Léa\"\noption = \"SISR\"\n",
        )
        .unwrap();
        assert_eq!(c.place("candidate.name").line, Some(5));
        assert_eq!(c.place("base_url").line, Some(2));
        // Missing: where it goes.
        assert_eq!(c.place("candidate.centre").line, Some(4));
        assert_eq!(c.place("extra.x").line, None);
        assert_eq!(c.place("extra.x").file, Path::new(CONFIG_FILE));
    }

    #[test]
    fn every_french_spelling_is_read_and_found() {
        let first = "langue = \"fr\"\n[candidat]\nnom = \"MARTIN Léa\"\n\"numéro\" = \"01\"\ncentre_de_formation = \"Lycée X\"\ncourriel = \"lea@example.org\"\n\"téléphone\" = \"0600000000\"\nsite = \"https://lea.example.org\"\n[tableau]\nfichier = \"t.xlsx\"\n";
        let second =
            "[candidat]\nnumero = \"01\"\nmail = \"lea@example.org\"\ntelephone = \"0600000000\"\n";
        let mut seen = Vec::new();
        for text in [first, second] {
            let c = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            for (alias, canon) in ALIASES {
                let Some(line) = text.lines().position(|l| {
                    l.starts_with(&format!("{alias} ="))
                        || l.starts_with(&format!("\"{alias}\" ="))
                        || l == format!("[{alias}]")
                }) else {
                    continue;
                };
                let table = if CANDIDATE_KEYS.contains(&canon) {
                    "candidate."
                } else if canon == "file" {
                    "table."
                } else {
                    ""
                };
                assert_eq!(
                    c.place(&format!("{table}{canon}")).line,
                    Some(line + 1),
                    "{alias}"
                );
                seen.push(alias);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), ALIASES.len(), "{seen:?}");
    }

    #[test]
    fn parse_errors_point_at_the_key_of_their_table_in_either_spelling() {
        // `nom` of [candidat] first: the theme's error is about the theme's `nom`.
        let e = parse(
            "[candidat]\nnom = \"MARTIN Léa\"\ncourriel = \"pas une adresse\"\n[theme]\nnom = 3\n",
        )
        .unwrap_err();
        let line_of = |code: &str| {
            e.iter()
                .find(|d| d.code == code)
                .and_then(|d| d.location.as_ref()?.line)
        };
        assert_eq!(line_of("config-theme"), Some(5), "{e:?}");
        assert_eq!(line_of("config-link"), Some(3), "{e:?}");
    }

    #[test]
    fn a_key_or_table_written_twice_is_named() {
        let e = parse("title = \"x\"\ntitle = \"y\"\n").unwrap_err();
        assert!(
            e[0].message.ends_with("clé « title » écrite deux fois"),
            "{:?}",
            e[0]
        );
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        let e = parse("[candidate]\nname = \"A\"\n[candidate]\noption = \"SISR\"\n").unwrap_err();
        assert!(
            e[0].message
                .ends_with("table « [candidate] » écrite deux fois"),
            "{:?}",
            e[0]
        );
    }

    #[test]
    fn an_accented_bare_key_is_told_to_be_quoted() {
        let e = parse("[candidate]\nnuméro = \"01\"\n").unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        assert!(
            e[0].hint.as_deref().unwrap().contains("\"numéro\" = …"),
            "{:?}",
            e[0]
        );
    }

    #[test]
    fn sub_path_is_kept() {
        let c = parse("title = \"P\"\nbase_url = \"https://lea.github.io/portfolio\"\n").unwrap();
        assert_eq!(c.base_url, "https://lea.github.io/portfolio/");
        assert_eq!(c.base_path, "/portfolio/");
        assert_eq!(
            c.url_path("realisations/glpi/"),
            "/portfolio/realisations/glpi/"
        );
        assert_eq!(c.language, "fr");
        assert_eq!(c.table.file, "tableau-de-synthese.xlsx");
    }

    #[test]
    fn candidate_is_read_with_french_keys() {
        let c = parse(
            "base_url = \"https://x.fr/\"\n[candidat]\nnom = \"MARTIN Léa\"\nnumero = 123\noption = \"sisr\"\nsession = 2026\n",
        )
        .unwrap();
        assert_eq!(c.candidate.name, "MARTIN Léa");
        assert_eq!(c.candidate.number, "123");
        assert_eq!(c.candidate.option, Some(SioOption::Sisr));
        assert_eq!(c.candidate.session, Some(2026));
        assert_eq!(c.base_path, "/");
    }

    #[test]
    fn errors_point_at_the_line() {
        let e =
            parse("base_url = \"https://x.fr/\"\n[candidate]\noption = \"SIRS\"\n").unwrap_err();
        assert_eq!(e[0].code, "config-option");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(3));
        let e = parse("base_url = \"https://x.fr/\"\ntitel = \"x\"\n").unwrap_err();
        assert_eq!(e[0].code, "config-unknown-key");
        assert!(e[0].hint.as_ref().unwrap().contains("title"));
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        let e = parse("title = \"x\n").unwrap_err();
        assert_eq!(e[0].code, "config-syntax");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(1));
        let e = parse("title = \"x\"\ntheme = 3\n").unwrap_err();
        assert_eq!(e[0].code, "config-theme");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        let e = parse("title = \"x\n").unwrap_err();
        assert_eq!(e[0].code, "config-syntax");
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(1));
    }

    #[test]
    fn theme_is_a_name_a_folder_or_a_table_with_options() {
        let c = parse("theme = \"../theme-sio\"\n").unwrap();
        assert_eq!(c.theme, Some(PathBuf::from("../theme-sio")));
        assert_eq!(c.theme_builtin, None);
        let c = parse("theme = \"moderne\"\n").unwrap();
        assert_eq!(
            (c.theme, c.theme_builtin.as_deref()),
            (None, Some("moderne"))
        );
        let c = parse("title = \"T\"\n\n[theme]\nnom = \"./moderne\"\n  couleur = \"#123456\"\n")
            .unwrap();
        assert_eq!(c.theme, Some(PathBuf::from("./moderne")));
        assert_eq!(c.theme_options.len(), 1);
        assert_eq!(c.theme_options[0].name, "couleur");
        assert_eq!(
            c.theme_options[0].location.to_string(),
            "portfolio.toml:5:3"
        );
        let c = parse("[theme]\necole = \"Lycée\"\n").unwrap();
        assert_eq!((c.theme, c.theme_builtin), (None, None));
        assert_eq!(c.theme_options[0].location.line, Some(2));
    }

    #[test]
    fn base_url_must_be_absolute() {
        let e = parse("base_url = \"lea.github.io\"\n").unwrap_err();
        assert_eq!(e[0].code, "config-base-url");
    }
}

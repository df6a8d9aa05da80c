//! `folio init` and `folio new`: a complete starting portfolio, and a new réalisation or
//! page with its whole front matter. Neither ever overwrites a file.
//!
//! The starter is one folder of the repository (`starter/`), embedded in the binary: it
//! is also what the template repository holds, so there is one source for both.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../starter");

/// Texts of the starter a student must replace: `folio check` warns while one is left.
pub const PLACEHOLDERS: [&str; 4] = ["NOM Prénom", "Lycée …", "votre-compte", "à remplacer"];

/// How the starter's example réalisation's title ends (« Exemple de réalisation — à
/// remplacer »): what tells it from a real réalisation.
pub const EXAMPLE_TITLE_MARK: &str = "— à remplacer";

/// Texts of the starter's pages a student must replace (with its blanks « … », which
/// `folio check` finds by their place: « Sujet : … », « du … au … »). « à remplacer »
/// is not one: in a page it may be the student's own words (« le disque à remplacer »).
pub const PAGE_PLACEHOLDERS: [&str; 3] = ["Prénom NOM", "Lycée …", "Remplacez ce texte"];

/// What `folio init` asks (or takes from flags, or leaves as a visible placeholder).
#[derive(Debug, Clone)]
pub struct Answers {
    /// Family name (written in capitals in the table).
    pub nom: String,
    /// First name.
    pub prenom: String,
    /// `SISR` or `SLAM`.
    pub option: String,
    /// Exam session (year).
    pub session: i32,
    /// Centre de formation.
    pub centre: String,
    /// GitHub user name.
    pub github_user: String,
    /// GitHub repository name (`USER.github.io` for a user site).
    pub repo: String,
}

impl Answers {
    /// Placeholders a student sees and replaces; the session is the coming one.
    pub fn placeholders(today: jiff::civil::Date) -> Answers {
        let session = if today.month() >= 8 {
            today.year() as i32 + 1
        } else {
            today.year() as i32
        };
        Answers {
            nom: "NOM".into(),
            prenom: "Prénom".into(),
            option: "SISR".into(),
            session,
            centre: "Lycée …".into(),
            github_user: "votre-compte".into(),
            repo: "portfolio".into(),
        }
    }
}

/// A full name typed where only the family name was asked (« DUPONT Élodie »): the
/// block of words in capitals at one end, with the particles just before it
/// (« Antoine de SAINT-EXUPÉRY »), and the other words as the first name to offer.
/// `None` when the answer is not such a split (« Dupont », « DUPONT ÉLODIE »,
/// « Jean DUPONT Marie »).
pub fn split_full_name(nom: &str) -> Option<(String, String)> {
    const PARTICLES: [&str; 10] = [
        "de", "du", "des", "d'", "le", "la", "van", "von", "di", "da",
    ];
    let words: Vec<&str> = nom
        .split_whitespace()
        .map(|w| w.trim_matches([',', ';']))
        .filter(|w| !w.is_empty())
        .collect();
    // « M. » is an initial, not a family name in capitals.
    let is_caps = |w: &str| {
        !(w.chars().count() == 2 && w.ends_with('.'))
            && w.chars().any(char::is_alphabetic)
            && w.to_uppercase() == w
    };
    let caps = words.iter().filter(|w| is_caps(w)).count();
    if caps == 0 || caps == words.len() {
        return None;
    }
    let split = if words[..caps].iter().all(|w| is_caps(w)) {
        (words[..caps].to_vec(), words[caps..].to_vec())
    } else if words[words.len() - caps..].iter().all(|w| is_caps(w)) {
        let mut start = words.len() - caps;
        while start > 1 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
            start -= 1;
        }
        (words[start..].to_vec(), words[..start].to_vec())
    } else {
        return None;
    };
    Some((split.0.join(" "), split.1.join(" ")))
}

/// The address GitHub Pages gives a repository: a user site (`USER.github.io`) is at
/// the root, any other repository under its name.
pub fn base_url(user: &str, repo: &str) -> String {
    let user = user.trim().to_lowercase();
    if repo
        .trim()
        .eq_ignore_ascii_case(&format!("{user}.github.io"))
    {
        format!("https://{user}.github.io/")
    } else {
        format!("https://{user}.github.io/{}/", repo.trim())
    }
}

/// What `init` did: files written, files already there and kept as they were.
#[derive(Debug, Default)]
pub struct Report {
    /// Written, relative to the folder.
    pub written: Vec<PathBuf>,
    /// Already there, left untouched.
    pub kept: Vec<PathBuf>,
}

/// Whether French elides "de" before this first name.
fn starts_with_vowel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| {
        crate::slug::slugify(&c.to_string()).starts_with(['a', 'e', 'i', 'o', 'u', 'y'])
    })
}

/// Write the starter portfolio into `dir`, never replacing an existing file.
pub fn init(dir: &Path, a: &Answers, today: jiff::civil::Date) -> Result<Report, Diagnostic> {
    let nom = a.nom.trim().to_uppercase();
    let prenom = a.prenom.trim();
    let example = jiff::civil::Date::new((a.session - 1) as i16, 9, 15).unwrap_or(today);
    let values: [(&str, String); 10] = [
        ("__PRENOM_NOM__", format!("{prenom} {nom}")),
        ("__NOM_PRENOM__", format!("{nom} {prenom}")),
        ("__OPTION__", a.option.trim().to_uppercase()),
        ("__SESSION__", a.session.to_string()),
        ("__CENTRE__", a.centre.trim().to_owned()),
        ("__GITHUB_USER__", a.github_user.trim().to_owned()),
        ("__BASE_URL__", base_url(&a.github_user, &a.repo)),
        ("__DATE__", example.to_string()),
        ("__FOLIO_VERSION__", env!("CARGO_PKG_VERSION").to_owned()),
        ("__FOLIO_REPO__", repository_path()),
    ];
    let mut report = Report::default();
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            report.kept.push(rel);
            continue;
        }
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        if starts_with_vowel(prenom) {
            // « Portfolio d'Éloïse », not « de Éloïse ».
            text = text.replace("de __PRENOM_NOM__", "d'__PRENOM_NOM__");
        }
        for (key, value) in &values {
            text = text.replace(key, value);
        }
        write_new(&path, text.as_bytes())?;
        report.written.push(rel);
    }
    Ok(report)
}

/// `folio-sio/folio`: where releases are downloaded from.
pub fn repository_path() -> String {
    env!("CARGO_PKG_REPOSITORY")
        .trim_start_matches("https://github.com/")
        .trim_end_matches('/')
        .to_owned()
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect(d, out),
            include_dir::DirEntry::File(f) => out.push((f.path().to_owned(), f.contents())),
        }
    }
}

/// Create a file that must not exist yet (`create_new`: never replaces one).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(
            "output-write",
            format!("écriture impossible : {}", crate::io_reason(&e)),
        )
        .in_file(path)
        .hint("vérifiez que vous pouvez écrire dans ce dossier")
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    std::io::Write::write_all(&mut f, bytes).map_err(fail)
}

/// What `folio new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A réalisation, in `content/realisations/`.
    Realisation,
    /// A page, in `content/`.
    Page,
}

/// Write a new réalisation (a draft, with every field and the usual sections) or page.
/// Its file name follows the same rules as the site's URLs. Returns its path.
pub fn new_file(
    root: &Path,
    kind: NewKind,
    title: &str,
    context: &str,
    today: jiff::civil::Date,
) -> Result<PathBuf, Diagnostic> {
    if let Some(missing) = crate::config::Config::missing_in(root) {
        return Err(missing);
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error("new-title", "titre vide ou sans lettre ni chiffre")
                .hint("donnez un titre : folio new realisation \"Déploiement de GLPI\""),
        );
    }
    let (rel, text) = match kind {
        NewKind::Realisation => (
            PathBuf::from(format!("content/realisations/{slug}.md")),
            realisation_text(title, context, today),
        ),
        NewKind::Page => (
            PathBuf::from(format!("content/{slug}.md")),
            format!(
                "---\ntitle: {}\n# weight: 5            # ordre dans le menu\n# menu: false          # true : dans le menu ; false : en pied de page\n---\n\nTexte de la page.\n",
                yaml_string(title)
            ),
        ),
    };
    let path = root.join(&rel);
    let taken = if std::fs::symlink_metadata(&path).is_ok() {
        Some(rel.clone())
    } else {
        same_address(root, &rel, &slug)
    };
    if let Some(existing) = taken {
        let message = if existing == rel {
            format!(
                "{} existe déjà : rien n'a été écrit",
                crate::content::rel_string(&rel)
            )
        } else {
            format!(
                "{} a déjà l'adresse de ce titre ({slug}) : rien n'a été écrit",
                crate::content::rel_string(&existing)
            )
        };
        return Err(Diagnostic::error("new-exists", message)
            .in_file(&existing)
            .hint("choisissez un autre titre, ou modifiez le fichier existant"));
    }
    write_new(&path, text.as_bytes())?;
    Ok(rel)
}

/// The file beside `rel` whose name gives the same address `slug`, written another way
/// (« Mise en place GLPI é.md » for `mise-en-place-glpi-e`): both would be one page.
fn same_address(root: &Path, rel: &Path, slug: &str) -> Option<PathBuf> {
    let dir = rel.parent()?;
    std::fs::read_dir(root.join(dir))
        .ok()?
        .flatten()
        .find_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let folder_page = ["index.md", "_index.md", "index.markdown", "_index.markdown"]
                .iter()
                .any(|index| entry.path().join(index).is_file());
            let stem = if folder_page {
                name.as_str()
            } else {
                name.strip_suffix(".md")
                    .or_else(|| name.strip_suffix(".markdown"))?
            };
            (slugify(stem) == slug).then(|| dir.join(&name))
        })
}

fn realisation_text(title: &str, context: &str, today: jiff::civil::Date) -> String {
    format!(
        "---\n\
title: {title}\n\
context: {context}            # formation, stage-1 ou stage-2\n\
start: {today}         # date de début\n\
end: {today}           # date de fin\n\
competences: []                # B1.1 à B1.6, ou sous-compétences (B1.1.2)\n\
technologies: []\n\
summary: \n\
contribution: \n\
documents: []\n\
  # - {{ title: Procédure, file: procedure.pdf }}\n\
  # - {{ title: Dépôt, url: \"https://github.com/…\" }}\n\
draft: true                    # brouillon : passez à false quand la fiche est prête\n\
---\n\
\n\
## Contexte\n\n\
## Objectifs\n\n\
## Environnement technique\n\n\
## Mise en œuvre\n\n\
## Résultats\n\n\
## Bilan et compétences mobilisées\n",
        title = yaml_string(title),
    )
}

/// A title as a YAML string, quoted (a title may hold `:` or `#`).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s.trim()).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_and_user_sites() {
        assert_eq!(
            base_url("Lea-Martin", "portfolio"),
            "https://lea-martin.github.io/portfolio/"
        );
        assert_eq!(
            base_url("lea-martin", "Lea-Martin.github.io"),
            "https://lea-martin.github.io/"
        );
    }

    #[test]
    fn the_title_elides_de_before_a_vowel() {
        let today = jiff::civil::date(2026, 11, 23);
        for (prenom, title) in [
            ("Éloïse", "Portfolio d'Éloïse DUPONT"),
            ("Yanis", "Portfolio d'Yanis DUPONT"),
            ("Léa", "Portfolio de Léa DUPONT"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let a = Answers {
                nom: "Dupont".into(),
                prenom: prenom.into(),
                ..Answers::placeholders(today)
            };
            init(dir.path(), &a, today).unwrap();
            let toml = std::fs::read_to_string(dir.path().join("portfolio.toml")).unwrap();
            assert!(toml.contains(title), "{toml}");
        }
    }

    #[test]
    fn a_full_name_typed_as_the_family_name_is_split() {
        let split = |s: &str| split_full_name(s).map(|(n, p)| format!("{n}|{p}"));
        assert_eq!(split("DUPONT Élodie").as_deref(), Some("DUPONT|Élodie"));
        assert_eq!(
            split("Marie-Ève LE GALL").as_deref(),
            Some("LE GALL|Marie-Ève")
        );
        assert_eq!(split("Dupont"), None);
        assert_eq!(split("DUPONT"), None);
        assert_eq!(split("de la Fontaine"), None);
        assert_eq!(
            split("Antoine de SAINT-EXUPÉRY").as_deref(),
            Some("de SAINT-EXUPÉRY|Antoine")
        );
        assert_eq!(split("DUPONT, Élodie").as_deref(), Some("DUPONT|Élodie"));
        assert_eq!(
            split("DUPONT Élodie M.").as_deref(),
            Some("DUPONT|Élodie M.")
        );
        // Not enough to tell which words are which: asked as before.
        assert_eq!(split("DUPONT ÉLODIE"), None);
        assert_eq!(split("Jean DUPONT Marie"), None);
    }

    #[test]
    fn the_starter_has_every_file_the_student_needs() {
        let mut files = Vec::new();
        collect(&STARTER, &mut files);
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| crate::content::rel_string(p))
            .collect();
        for needed in [
            "portfolio.toml",
            "content/index.md",
            "content/parcours.md",
            "content/stages.md",
            "content/veille.md",
            "content/mentions-legales.md",
            "content/realisations/exemple-de-realisation.md",
            "static/documents/.gitkeep",
            ".gitignore",
            "LISEZMOI.md",
            ".github/workflows/publier.yml",
        ] {
            assert!(names.iter().any(|n| n == needed), "{needed}: {names:?}");
        }
    }
}

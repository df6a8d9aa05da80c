//! The list of a class's portfolios for `folio class`: folders given on the command
//! line, or a `classe.toml` a teacher keeps beside the students' clones.
//!
//! ```toml
//! titre = "BTS SIO 2 — 2025-2026"   # facultatif : titre du tableau de bord
//! sortie = "suivi"                 # facultatif : dossier écrit (défaut : classe/)
//! dossiers = ["lea-martin", "tom-durand"]
//!
//! [[eleve]]                        # ou un élève par table, avec plus de détails
//! dossier = "clones/sam-petit"
//! nom = "PETIT Sam"                # si son portfolio.toml est illisible
//! depot = "https://github.com/sam-petit/portfolio"
//! ```
//!
//! Paths are relative to the file. folio never clones: `depot` is only shown as a link.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location, line_col};

/// The usual name of a class file.
pub const CLASS_FILE: &str = "classe.toml";
/// The folder written when none is named.
pub const DEFAULT_OUTPUT: &str = "classe";

/// A class: who to build, and where the overview goes.
#[derive(Debug, Clone)]
pub struct Roster {
    /// Title of the dashboard.
    pub title: String,
    /// The folder the teacher works from (the class file's, or the current one): the
    /// overview may lie in it, never be it.
    pub base: PathBuf,
    /// Where the overview is written unless the command line says otherwise.
    pub output: PathBuf,
    /// The students, in the order given.
    pub students: Vec<Entry>,
}

/// One student's portfolio.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The portfolio folder.
    pub folder: PathBuf,
    /// Where it was named (a line of classe.toml), for messages.
    pub named_at: Option<Location>,
    /// The name to show when the portfolio's own cannot be read.
    pub name: Option<String>,
    /// The student's Git repository, shown as a link.
    pub repository: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    titre: Option<String>,
    sortie: Option<String>,
    #[serde(default)]
    dossiers: Vec<toml::Spanned<String>>,
    #[serde(default)]
    eleve: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    dossier: toml::Spanned<String>,
    nom: Option<String>,
    depot: Option<String>,
}

const KEYS: [&str; 7] = [
    "titre", "sortie", "dossiers", "eleve", "dossier", "nom", "depot",
];

impl Roster {
    /// Folders from the command line; one `.toml` file is read as a class file.
    pub fn from_args(paths: &[PathBuf]) -> Result<Roster, Vec<Diagnostic>> {
        if let [one] = paths
            && one
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        {
            return Roster::load(one);
        }
        if paths.len() > 1
            && let Some(toml) = paths.iter().find(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
            })
        {
            return Err(vec![
                Diagnostic::error("class-file", "un fichier de classe se donne seul, sans dossiers à côté")
                    .in_file(toml)
                    .hint("folio class classe.toml (les dossiers sont dans le fichier), ou des dossiers seulement : folio class eleves/*"),
            ]);
        }
        // `cd eleves; folio class *` run twice also names the class folder it wrote.
        let paths: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| !p.join(crate::class::CLASS_MARK).is_file())
            .collect();
        if paths.is_empty() {
            return Err(vec![
                Diagnostic::error("class-empty", "aucun portfolio à suivre")
                    .hint("donnez les dossiers des élèves (folio class eleves/*) ou un fichier classe.toml"),
            ]);
        }
        let base = std::env::current_dir().unwrap_or_default();
        Ok(Roster {
            title: "Suivi de la classe".into(),
            output: base.join(DEFAULT_OUTPUT),
            base,
            students: without_repeats(
                paths
                    .into_iter()
                    .map(|p| Entry {
                        folder: p.clone(),
                        named_at: None,
                        name: None,
                        repository: None,
                    })
                    .collect(),
            ),
        })
    }

    /// Read a class file.
    pub fn load(file: &Path) -> Result<Roster, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            vec![
                Diagnostic::error(
                    "class-file",
                    format!(
                        "impossible de lire le fichier de classe : {}",
                        crate::io_reason(&e)
                    ),
                )
                .in_file(file)
                .hint("vérifiez le chemin du fichier classe.toml"),
            ]
        })?;
        Roster::parse(&text, file)
    }

    /// Parse the text of a class file; `file` names it and its folder anchors the paths.
    pub fn parse(text: &str, file: &Path) -> Result<Roster, Vec<Diagnostic>> {
        let raw: RawRoster = toml::from_str(text).map_err(|e| vec![toml_error(&e, text, file)])?;
        // `classe.toml` alone has the empty parent: paths stay as written ("eleves/lea").
        let dir = file.parent().unwrap_or(Path::new(""));
        let at = |span: std::ops::Range<usize>| {
            let (l, c) = line_col(text, span.start);
            Some(Location::at(file, l, c))
        };
        let mut students: Vec<Entry> = raw
            .dossiers
            .into_iter()
            .map(|d| Entry {
                named_at: at(d.span()),
                folder: dir.join(d.into_inner()),
                name: None,
                repository: None,
            })
            .collect();
        students.extend(raw.eleve.into_iter().map(|e| Entry {
            named_at: at(e.dossier.span()),
            folder: dir.join(e.dossier.into_inner()),
            name: e.nom.filter(|n| !n.trim().is_empty()),
            repository: e.depot.filter(|d| !d.trim().is_empty()),
        }));
        if students.is_empty() {
            return Err(vec![
                Diagnostic::error("class-empty", "le fichier de classe ne nomme aucun portfolio")
                    .at(Location::file(file))
                    .hint("ajoutez dossiers = [\"lea-martin\", \"tom-durand\"] (chemins relatifs à ce fichier)"),
            ]);
        }
        Ok(Roster {
            title: raw.titre.unwrap_or_else(|| "Suivi de la classe".into()),
            output: dir.join(raw.sortie.as_deref().unwrap_or(DEFAULT_OUTPUT)),
            base: dir.to_owned(),
            students: without_repeats(students),
        })
    }
}

/// A folder named twice (`eleves/lea`, `eleves/lea/`, `./eleves/lea`) is one student:
/// the first mention stays.
fn without_repeats(students: Vec<Entry>) -> Vec<Entry> {
    let mut seen = std::collections::HashSet::new();
    students
        .into_iter()
        .filter(|e| seen.insert(crate::output::resolved(&e.folder)))
        .collect()
}

fn toml_error(e: &toml::de::Error, text: &str, file: &Path) -> Diagnostic {
    let kind = crate::diagnostic::TomlFile {
        codes: ("class-file", "class-file"),
        name: "le fichier de classe",
        keys: &KEYS,
        hint: "forme attendue : dossiers = [\"lea-martin\", \"tom-durand\"], ou des tables [[eleve]] avec dossier = \"…\"",
    };
    crate::diagnostic::toml_finding(e, text, file, &kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_named_twice_is_one_student_and_a_class_file_comes_alone() {
        let r = Roster::parse(
            "dossiers = [\"eleves/lea\", \"eleves/lea/\", \"./eleves/lea\", \"eleves/tom\"]\n",
            Path::new("classe.toml"),
        )
        .unwrap();
        assert_eq!(r.students.len(), 2);
        let e = Roster::from_args(&[PathBuf::from("classe.toml"), PathBuf::from("eleves/lea")])
            .unwrap_err();
        assert_eq!(e[0].code, "class-file");
    }

    #[test]
    fn both_forms_resolve_relative_to_the_file() {
        let r = Roster::parse(
            "titre = \"SIO2\"\ndossiers = [\"a\", \"b\"]\n[[eleve]]\ndossier = \"c\"\nnom = \"C\"\n",
            Path::new("prof/classe.toml"),
        )
        .unwrap();
        assert_eq!(r.title, "SIO2");
        assert_eq!(r.output, Path::new("prof/classe"));
        let folders: Vec<_> = r.students.iter().map(|s| s.folder.clone()).collect();
        assert_eq!(
            folders,
            [
                Path::new("prof/a"),
                Path::new("prof/b"),
                Path::new("prof/c")
            ]
        );
        assert_eq!(r.students[2].named_at.as_ref().unwrap().line, Some(4));
        assert_eq!(r.students[2].name.as_deref(), Some("C"));
    }

    #[test]
    fn unknown_keys_and_syntax_errors_have_a_line() {
        let e = Roster::parse(
            "titre = \"x\"\ndosiers = [\"a\"]\n",
            Path::new("classe.toml"),
        )
        .unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, Some(2));
        assert!(
            e[0].hint.as_ref().unwrap().contains("dossiers"),
            "{:?}",
            e[0]
        );
        let e = Roster::parse("dossiers = [\"a\"\n", Path::new("classe.toml")).unwrap_err();
        assert_eq!(e[0].code, "class-file");
        assert!(e[0].location.as_ref().unwrap().line.is_some());
        let e = Roster::parse("titre = \"x\"\n", Path::new("classe.toml")).unwrap_err();
        assert_eq!(e[0].code, "class-empty");
    }
}

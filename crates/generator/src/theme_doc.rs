//! For theme authors: `folio theme new` (a starting class theme), `folio theme list`
//! and `folio theme doc`, the reference of what a template can use. The reference is
//! generated from the built-in templates and [`crate::render::VARIABLES`], and the
//! README holds a copy a test compares with it, so neither can drift.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::theme::{BUILTINS, Builtin};
use crate::theme_toml::THEME_FILE;

/// The page templates and partials of the default theme, with what each renders.
pub const TEMPLATES: [(&str, &str); 10] = [
    (
        "base.html",
        "squelette commun : en-tête, menu, pied de page ; les autres l'étendent",
    ),
    ("home.html", "accueil (content/index.md)"),
    ("page.html", "page libre (content/*.md)"),
    (
        "realisations.html",
        "liste des réalisations par contexte (content/realisations/index.md pour l'introduction)",
    ),
    ("realisation.html", "une réalisation"),
    (
        "_card.html",
        "carte d'une réalisation, incluse dans les listes avec la variable r",
    ),
    ("competences.html", "liste des compétences du bloc 1"),
    ("competence.html", "une compétence et ses réalisations"),
    ("tableau.html", "page « Tableau de synthèse »"),
    ("404.html", "page introuvable"),
];

/// Functions folio adds to Tera.
pub const FUNCTIONS: [(&str, &str); 1] = [(
    "url(path=\"…\")",
    "adresse d'un fichier ou d'une page du site, avec le sous-chemin de base_url (url(path=\"style.css\"))",
)];

/// `{% block NAME %}` names of a template, in order.
pub fn blocks(text: &str) -> Vec<String> {
    text.split("{%")
        .skip(1)
        .filter_map(|tag| {
            let mut words = tag.trim_start_matches('-').split_whitespace();
            (words.next() == Some("block")).then(|| words.next().map(str::to_owned))?
        })
        .collect()
}

/// The whole reference, in Markdown: templates and their blocks, variables, functions,
/// and each built-in theme's options.
pub fn reference() -> String {
    let mut s =
        String::from("#### Gabarits et blocs\n\n| Gabarit | Rôle | Blocs |\n|---|---|---|\n");
    let defaut = &BUILTINS[0];
    let texts = defaut.templates();
    for (name, role) in TEMPLATES {
        let text = texts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| *t);
        let blocks: Vec<String> = blocks(text).iter().map(|b| format!("`{b}`")).collect();
        s.push_str(&format!("| `{name}` | {role} | {} |\n", blocks.join(", ")));
    }
    s.push_str("\n#### Variables\n\n| Variable | Gabarits | Contenu |\n|---|---|---|\n");
    for (name, templates, what) in crate::render::VARIABLES {
        let wher = if templates.is_empty() {
            "tous".to_owned()
        } else {
            templates.join(", ")
        };
        s.push_str(&format!("| `{name}` | {wher} | {what} |\n"));
    }
    s.push_str("\n#### Fonctions et filtres\n\n");
    for (name, what) in FUNCTIONS {
        s.push_str(&format!("- `{name}` : {what}\n"));
    }
    s.push_str("- les filtres et tests standard de Tera 2 (`safe`, `default`, `length`, `join`, `truncate`, `date`…)\n");
    s.push_str("\n#### Thèmes intégrés\n\n");
    for b in &BUILTINS {
        let mut own: Vec<String> = b
            .templates()
            .into_iter()
            .map(|(n, _)| format!("`{}/{n}`", b.name))
            .collect();
        own.sort();
        s.push_str(&format!(
            "- `{}`{} : {} Gabarits : {}.\n",
            b.name,
            b.parent
                .map(|p| format!(" (étend `{p}`)"))
                .unwrap_or_default(),
            b.manifest().description,
            own.join(", ")
        ));
    }
    s.push_str("\n#### Options des thèmes intégrés\n\n| Thème | Option | Type | Défaut | Rôle |\n|---|---|---|---|---|\n");
    for b in &BUILTINS {
        for o in b.manifest().options {
            s.push_str(&format!(
                "| {} | `{}` | {} | `{}` | {} |\n",
                b.name,
                o.name,
                o.kind.word(),
                o.default,
                o.description
            ));
        }
    }
    s
}

/// `folio theme list`: each built-in theme with its description.
pub fn list() -> Vec<(&'static str, String)> {
    BUILTINS
        .iter()
        .map(|b: &Builtin| (b.name, b.manifest().description))
        .collect()
}

/// Write a starting class theme in `parent/NAME`: a `theme.toml` with its options
/// documented, a `base.html` that extends the built-in one and changes one block, a
/// stylesheet and a README for the teacher. An existing folder is refused: nothing is
/// ever overwritten. Returns the files written.
pub fn new_theme(parent: &Path, name: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let slug = crate::slug::slugify(name);
    if slug.is_empty() || name.contains(['/', '\\']) || name.trim() == ".." {
        return Err(Diagnostic::error(
            "theme-new",
            format!("« {name} » n'est pas un nom de thème"),
        )
        .hint("un nom simple, par exemple : folio theme new theme-sio-2026"));
    }
    let dir = parent.join(&slug);
    if dir.exists() {
        return Err(Diagnostic::error(
            "theme-new",
            format!(
                "le dossier « {} » existe déjà : folio ne le remplace pas",
                dir.display()
            ),
        )
        .hint("choisissez un autre nom, ou supprimez ce dossier s'il ne sert plus"));
    }
    let files = [
        (THEME_FILE, starter_toml(&slug)),
        ("templates/base.html", STARTER_BASE.to_owned()),
        ("static/classe.css", STARTER_CSS.to_owned()),
        ("README.md", starter_readme(&slug)),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        crate::init::write_new(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn starter_toml(name: &str) -> String {
    let mut s = format!(
        "# Thème de classe « {name} ». Les élèves ne modifient pas ce dossier : ils choisissent\n\
         # les valeurs des options dans la table [theme] de leur portfolio.toml.\n\
         nom = \"{name}\"\n\
         description = \"Thème de la section BTS SIO\"\n\
         version = \"0.1.0\"\n\
         # Version de folio minimale pour ce thème.\n\
         folio = \"{}\"\n\
         # Thème intégré sur lequel il s'appuie : defaut ou moderne. Les gabarits que ce\n\
         # dossier ne contient pas viennent de lui, et suivent les mises à jour de folio.\n\
         etend = \"defaut\"\n\
         \n\
         # Options : type (texte, couleur, booleen, image), defaut, description.\n\
         # Une option déclarée ici remplace celle du thème intégré du même nom.\n",
        env!("CARGO_PKG_VERSION")
    );
    for o in BUILTINS[0].manifest().options {
        s.push_str(&format!(
            "\n[options.{}]\ntype = \"{}\"\ndefaut = {}\ndescription = {}\n",
            o.name,
            o.kind.word(),
            o.default,
            serde_json::Value::String(o.description)
        ));
    }
    s
}

const STARTER_BASE: &str = r#"{#- Gabarit de base du thème de classe. Il étend celui du thème intégré et ne change
    qu'un bloc : le reste suit les mises à jour de folio. Blocs disponibles : title,
    description, head, header, content, footer (folio theme doc les décrit tous).
    Avec etend = "moderne" dans theme.toml, étendez "moderne/base.html". -#}
{% extends "defaut/base.html" %}
{% block head %}<link rel="stylesheet" href="{{ url(path='classe.css') }}">{% endblock head %}
"#;

const STARTER_CSS: &str = "/* Styles de la classe, chargés après ceux du thème intégré. */\n\
.site-footer .school { font-weight: 600; }\n";

fn starter_readme(name: &str) -> String {
    format!(
        "# Thème de classe {name}\n\n\
         Pour l'utiliser, un élève copie ce dossier à côté de son portfolio (ou l'ajoute comme\n\
         sous-module git) puis écrit dans son `portfolio.toml` :\n\n\
         ```toml\n[theme]\nnom = \"../{name}\"\necole = \"Lycée …\"\n```\n\n\
         `folio theme doc` liste les gabarits, blocs et variables utilisables.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_is_described() {
        let mut names: Vec<String> = BUILTINS[0]
            .templates()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        names.sort();
        let mut described: Vec<String> = TEMPLATES.iter().map(|(n, _)| (*n).to_owned()).collect();
        described.sort();
        assert_eq!(names, described);
    }

    #[test]
    fn blocks_are_found_in_order() {
        assert_eq!(
            blocks("{% block a %}x{% endblock a %}{%- block b -%}{% if c %}{% endif %}"),
            vec!["a", "b"]
        );
    }

    #[test]
    fn a_new_theme_never_replaces_a_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let files = new_theme(tmp.path(), "Thème SIO").unwrap();
        assert!(
            files
                .iter()
                .all(|f| f.starts_with(tmp.path().join("theme-sio")))
        );
        let text = std::fs::read_to_string(tmp.path().join("theme-sio/theme.toml")).unwrap();
        crate::theme_toml::Manifest::parse(&text, Path::new("theme.toml"), &["defaut", "moderne"])
            .unwrap();
        assert_eq!(
            new_theme(tmp.path(), "theme-sio").unwrap_err().code,
            "theme-new"
        );
        assert_eq!(new_theme(tmp.path(), "../x").unwrap_err().code, "theme-new");
    }
}

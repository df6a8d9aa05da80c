//! End-to-end tests of `folio build`: real binary, parsed HTML.

mod common;

use common::{Portfolio, attrs, texts};
use scraper::Selector;

const BASE: &str = "/portfolio/";

#[test]
fn example_builds_every_page() {
    let site = Portfolio::example().build();
    for page in [
        "index.html",
        "parcours/index.html",
        "stages/index.html",
        "veille/index.html",
        "mentions-legales/index.html",
        "realisations/index.html",
        "realisations/deploiement-glpi/index.html",
        "realisations/sauvegarde-bareos/index.html",
        "competences/index.html",
        "competences/b1-1/index.html",
        "competences/b1-6/index.html",
        "tableau-de-synthese/index.html",
        "404.html",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    for extra in [
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "style.css",
        "syntax.css",
        "tableau-de-synthese.xlsx",
    ] {
        assert!(site.exists(extra), "missing {extra}");
    }
    assert_eq!(
        site.html_files()
            .iter()
            .filter(|f| f.starts_with("realisations/") && f.matches('/').count() == 2)
            .count(),
        8
    );
}

#[test]
fn every_internal_link_and_anchor_resolves_under_the_sub_path() {
    let site = Portfolio::example().build();
    let mut checked = 0;
    for page in site.html_files() {
        let doc = site.html(&page);
        for (css, attr) in [
            ("a[href]", "href"),
            ("img[src]", "src"),
            ("link[href]", "href"),
        ] {
            for url in attrs(&doc, css, attr) {
                if url.starts_with("http") || url.starts_with("mailto:") {
                    continue;
                }
                if let Some(frag) = url.strip_prefix('#') {
                    assert!(
                        !attrs(&doc, &format!("[id=\"{frag}\"]"), "id").is_empty(),
                        "{page}: anchor #{frag} missing"
                    );
                    continue;
                }
                assert!(
                    url.starts_with(BASE),
                    "{page}: link {url} ignores the sub-path"
                );
                let target = site
                    .file_for_url(&url, BASE)
                    .unwrap_or_else(|| panic!("{page}: {url} points nowhere"));
                if let Some((_, frag)) = url.split_once('#') {
                    let text = std::fs::read_to_string(&target).unwrap();
                    assert!(
                        text.contains(&format!("id=\"{frag}\"")),
                        "{page}: {url}: anchor missing"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}

#[test]
fn markdown_links_become_built_urls() {
    let site = Portfolio::example().build();
    let stages = site.html("stages/index.html");
    let hrefs = attrs(&stages, "main a", "href");
    // Root-relative link written "/documents/attestation-stage-1.pdf" is rewritten under the sub-path.
    assert!(
        hrefs.contains(&"/portfolio/documents/attestation-stage-1.pdf".to_owned()),
        "{hrefs:?}"
    );
    // Relative .md links resolve to the built pages.
    assert!(
        hrefs.contains(&"/portfolio/realisations/active-directory-gpo/".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/portfolio/realisations/support-utilisateurs/".to_owned()),
        "{hrefs:?}"
    );
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, "main img", "src"),
        vec!["/portfolio/img/portrait.png"]
    );
    assert_eq!(
        attrs(&home, "main img", "alt"),
        vec!["Portrait de Léa Martin"]
    );
}

#[test]
fn competence_pages_list_the_right_realisations() {
    let site = Portfolio::example().build();
    let titles = |code: &str| {
        let mut t = texts(
            &site.html(&format!("competences/{code}/index.html")),
            ".card-title",
        );
        t.sort();
        t
    };
    assert_eq!(
        titles("b1-3"),
        vec!["Refonte du site web d'une association"]
    );
    assert_eq!(
        titles("b1-6"),
        vec!["Veille technologique et identité professionnelle"]
    );
    assert_eq!(
        titles("b1-2"),
        vec![
            "Déploiement d'un outil de gestion de parc GLPI",
            "Stratégies de groupe pour les services de la mairie",
            "Support aux agents et suivi des incidents",
        ]
    );
    assert_eq!(titles("b1-4").len(), 3);
    assert_eq!(titles("b1-5").len(), 4);
    // Every competence page shows the official wording.
    let b11 = site.html("competences/b1-1/index.html");
    assert!(texts(&b11, "h1")[0].contains("Gérer le patrimoine informatique"));
    assert!(
        texts(&b11, "main li")
            .iter()
            .any(|t| t == "Gérer des sauvegardes")
    );
}

#[test]
fn realisation_page_shows_period_context_competences_documents_and_contribution() {
    let site = Portfolio::example().build();
    let doc = site.html("realisations/deploiement-glpi/index.html");
    assert_eq!(
        texts(&doc, "h1"),
        vec!["Déploiement d'un outil de gestion de parc GLPI"]
    );
    let facts = texts(&doc, ".facts dd").join(" | ");
    assert!(
        facts.contains("Réalisation en cours de formation"),
        "{facts}"
    );
    assert!(
        facts.contains("du 4 novembre 2024 au 13 décembre 2024"),
        "{facts}"
    );
    assert!(facts.contains("GLPI 10"), "{facts}");
    let comps = texts(&doc, ".competences > ul > li > a");
    assert_eq!(comps.len(), 3);
    assert!(comps[0].starts_with("B1.1 Gérer le patrimoine informatique"));
    assert!(
        texts(&doc, ".competences li li")
            .contains(&"Recenser et identifier les ressources numériques".to_owned())
    );
    let docs = attrs(&doc, ".documents a", "href");
    assert_eq!(
        docs,
        vec![
            "/portfolio/realisations/deploiement-glpi/procedure-installation-glpi.pdf",
            "/portfolio/realisations/deploiement-glpi/compte-rendu-tests.pdf",
            "https://github.com/lea-martin/glpi-deploiement",
        ]
    );
    assert!(site.exists("realisations/deploiement-glpi/procedure-installation-glpi.pdf"));
    assert!(texts(&doc, ".contribution p")[0].contains("En binôme avec Hugo"));
    // Highlighted code as CSS classes, alerts, heading anchors.
    assert!(!texts(&doc, "pre.code span[class^=\"hl-\"]").is_empty());
    assert_eq!(texts(&doc, ".alert-note .alert-title"), vec!["Remarque"]);
    assert!(!attrs(&doc, "h2#demarche a.anchor[href=\"#demarche\"]", "href").is_empty());
}

#[test]
fn realisations_index_groups_by_context_and_links_competence_filters() {
    let site = Portfolio::example().build();
    let doc = site.html("realisations/index.html");
    let sections = texts(&doc, ".context-section h2");
    assert_eq!(
        sections,
        vec![
            "Réalisation en cours de formation",
            "Réalisations en milieu professionnel en cours de première année",
            "Réalisations en milieu professionnel en cours de seconde année",
        ]
    );
    assert_eq!(texts(&doc, "#formation .card").len(), 4);
    assert_eq!(texts(&doc, "#stage-1 .card").len(), 2);
    assert_eq!(texts(&doc, "#stage-2 .card").len(), 2);
    // Within a section, by start date.
    let first = texts(&doc, "#formation .card-title");
    assert_eq!(first[0], "Veille technologique et identité professionnelle");
    assert_eq!(first[1], "Déploiement d'un outil de gestion de parc GLPI");
    let filters = attrs(&doc, ".filter a", "href");
    assert_eq!(filters.len(), 6);
    assert_eq!(filters[0], "/portfolio/competences/b1-1/");
}

#[test]
fn pages_are_accessible_without_javascript() {
    let site = Portfolio::example().build();
    for page in site.html_files() {
        let doc = site.html(&page);
        assert_eq!(attrs(&doc, "html", "lang"), vec!["fr"], "{page}");
        assert_eq!(texts(&doc, "main").len(), 1, "{page}: one main landmark");
        assert_eq!(texts(&doc, "h1").len(), 1, "{page}: one h1");
        assert!(
            !attrs(&doc, "nav[aria-label]", "aria-label").is_empty(),
            "{page}"
        );
        assert!(
            texts(&doc, "script").is_empty(),
            "{page}: no script in built pages"
        );
        let sel = Selector::parse("img").unwrap();
        for img in doc.select(&sel) {
            assert!(
                img.value().attr("alt").is_some_and(|a| !a.is_empty()),
                "{page}: image without alt"
            );
        }
        // The footer links the table on every page.
        assert!(
            attrs(&doc, "footer a", "href")
                .contains(&"/portfolio/tableau-de-synthese.xlsx".to_owned()),
            "{page}"
        );
    }
    let css = std::fs::read_to_string(site.root.join("style.css")).unwrap();
    assert!(
        css.contains("@media print")
            && css.contains(":focus-visible")
            && css.contains("prefers-color-scheme: dark")
    );
    let syntax = std::fs::read_to_string(site.root.join("syntax.css")).unwrap();
    assert!(syntax.contains(".hl-") && syntax.contains("prefers-color-scheme: dark"));
}

#[test]
fn sitemap_robots_and_404_use_absolute_urls() {
    let site = Portfolio::example().build();
    let sitemap = std::fs::read_to_string(site.root.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://lea-martin.github.io/portfolio/realisations/vpn-pfsense/</loc>"
        )
    );
    assert!(sitemap.contains("<loc>https://lea-martin.github.io/portfolio/</loc>"));
    let robots = std::fs::read_to_string(site.root.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://lea-martin.github.io/portfolio/sitemap.xml"));
    let notfound = site.html("404.html");
    assert!(
        attrs(&notfound, "a", "href")
            .iter()
            .filter(|h| !h.starts_with("http") && !h.starts_with("mailto"))
            .all(|h| h.starts_with(BASE) || h.starts_with('#'))
    );
}

#[test]
fn yaml_and_toml_front_matter_give_the_same_page() {
    let yaml = Portfolio::minimal();
    yaml.write(
        "content/realisations/glpi.md",
        "---\ntitle: Déploiement de GLPI\ncontext: stage-1\nstart: 2025-06-02\nend: 12/07/2025\ncompetences: [B1.1, B1.2.1]\ntechnologies: [GLPI, Debian]\ndocuments:\n  - { title: Dépôt, url: \"https://example.org/depot\" }\nsummary: Inventaire du parc\n---\n## Bilan\n\nTout va bien.\n",
    );
    let toml = Portfolio::minimal();
    toml.write(
        "content/realisations/glpi.md",
        "+++\ntitle = \"Déploiement de GLPI\"\ncontext = \"stage-1\"\nstart = 2025-06-02\nend = \"12/07/2025\"\ncompetences = [\"B1.1\", \"B1.2.1\"]\ntechnologies = [\"GLPI\", \"Debian\"]\ndocuments = [{ title = \"Dépôt\", url = \"https://example.org/depot\" }]\nsummary = \"Inventaire du parc\"\n+++\n## Bilan\n\nTout va bien.\n",
    );
    let a = std::fs::read_to_string(
        yaml.build_unchecked()
            .root
            .join("realisations/glpi/index.html"),
    )
    .unwrap();
    let b = std::fs::read_to_string(
        toml.build_unchecked()
            .root
            .join("realisations/glpi/index.html"),
    )
    .unwrap();
    assert_eq!(a, b);
    assert!(a.contains("du 2 juin 2025 au 12 juillet 2025"));
}

#[test]
fn unknown_competence_fails_with_file_line_and_valid_codes_and_keeps_previous_output() {
    let p = Portfolio::minimal();
    p.write(
        "content/realisations/ok.md",
        "---\ntitle: OK\ncontext: formation\ncompetences: [B1.1]\n---\n",
    );
    let before = p.build_unchecked();
    let index_before = std::fs::read(before.root.join("index.html")).unwrap();
    p.write(
        "content/realisations/glpi.md",
        "---\ntitle: GLPI\ncontext: formation\ncompetences:\n  - B1.1\n  - B1.7\n---\nTexte\n",
    );
    p.write("content/index.md", "---\ntitle: Accueil modifié\n---\n");
    let run = p.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    let err = run.stderr();
    assert!(err.contains("content/realisations/glpi.md:6"), "{err}");
    assert!(
        err.contains("B1.7") && err.contains("competence-unknown"),
        "{err}"
    );
    // Out of the referential: the valid codes, no « nearest » the student never meant.
    assert!(err.contains("codes valides : B1.1 à B1.6"), "{err}");
    assert!(!err.contains("code le plus proche"), "{err}");
    assert!(!err.contains("panicked"));
    // The previous site is untouched.
    assert_eq!(
        std::fs::read(before.root.join("index.html")).unwrap(),
        index_before
    );
    assert!(before.exists("realisations/ok/index.html"));
}

#[test]
fn missing_page_link_is_an_error_with_line() {
    let p = Portfolio::minimal();
    p.write(
        "content/parcours.md",
        "# Parcours\n\nVoir [mes stages](stages.md).\n",
    );
    let run = p.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("content/parcours.md:3"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("link-missing-page"));
}

#[test]
fn accents_nfd_names_and_root_relative_links_never_404() {
    let p = Portfolio::minimal();
    // NFD (macOS) file names; the link is written in NFC with a space.
    p.write(
        "static/documents/Attestation e\u{301}te\u{301}.pdf",
        "%PDF-1.4",
    );
    p.write(
        "content/realisations/De\u{301}ploiement serveur.md",
        "---\ntitle: Déploiement d'un serveur GLPI\ncontext: formation\ncompetences: [B1.5]\n---\n",
    );
    p.write(
        "content/stages.md",
        "---\ntitle: Stages\n---\n[Attestation](</documents/Attestation été.pdf>) [Œuvre](realisations/D%C3%A9ploiement%20serveur.md)\n",
    );
    let site = p.build_unchecked();
    assert!(site.exists("documents/attestation-ete.pdf"));
    assert!(site.exists("realisations/deploiement-serveur/index.html"));
    let hrefs = attrs(&site.html("stages/index.html"), "main a", "href");
    assert_eq!(
        hrefs,
        vec![
            "/portfolio/documents/attestation-ete.pdf",
            "/portfolio/realisations/deploiement-serveur/"
        ]
    );
}

#[test]
fn windows_files_with_bom_and_crlf_build() {
    let p = Portfolio::minimal();
    p.write(
        "content/realisations/win.md",
        b"\xEF\xBB\xBF---\r\ntitre: Poste Windows\r\ncontexte: stage-2\r\ncomp\xC3\xA9tences: [C2]\r\n---\r\n## Bilan\r\n\r\nOk.\r\n".as_slice(),
    );
    let site = p.build_unchecked();
    // The URL comes from the file name, so editing the title never breaks a link.
    let doc = site.html("realisations/win/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["Poste Windows"]);
    assert!(!attrs(&doc, "h2#bilan", "id").is_empty());
}

#[test]
fn drafts_are_left_out() {
    let p = Portfolio::minimal();
    p.write(
        "content/realisations/brouillon.md",
        "---\ntitle: Brouillon\ncontext: formation\ncompetences: [B1.1]\ndraft: true\n---\n",
    );
    let site = p.build_unchecked();
    assert!(!site.exists("realisations/brouillon/index.html"));
    assert!(texts(&site.html("realisations/index.html"), ".card").is_empty());
}

#[test]
fn portfolio_templates_override_the_builtin_theme_file_by_file() {
    let p = Portfolio::minimal();
    p.write("content/parcours.md", "# Parcours\n");
    p.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"perso\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    p.write("static/style.css", "body { color: red }");
    let site = p.build_unchecked();
    assert_eq!(
        texts(&site.html("parcours/index.html"), "h1.perso"),
        vec!["Parcours"]
    );
    assert_eq!(
        std::fs::read_to_string(site.root.join("style.css")).unwrap(),
        "body { color: red }"
    );
    // Other templates still come from the built-in theme.
    assert!(!texts(&site.html("realisations/index.html"), "nav.filter").is_empty());
}

#[test]
fn template_error_names_the_template() {
    let p = Portfolio::minimal();
    p.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.title }{% endblock content %}",
    );
    p.write("content/parcours.md", "# Parcours\n");
    let run = p.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("templates/page.html"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("template-error"));
}

#[test]
fn output_option_and_missing_config() {
    let p = Portfolio::minimal();
    let run = p.folio(&["build", ".", "--output", "dist", "--ignore-checks"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(p.path().join("dist/index.html").is_file());
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("portfolio.toml") && err.contains("config-missing"),
        "{err}"
    );
}

#[test]
fn class_theme_sits_between_the_builtin_theme_and_the_portfolio() {
    let p = Portfolio::minimal();
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        cfg.replacen("[candidate]", "theme = \"theme-classe\"\n[candidate]", 1),
    );
    // The teacher's class theme: its own page template and stylesheet.
    p.write(
        "theme-classe/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"classe\">{{ page.title }}</h1><p class=\"couleur\">{{ page.extra.couleur }}</p>{% endblock content %}",
    );
    p.write("theme-classe/static/style.css", "/* classe */");
    p.write(
        "theme-classe/static/logo-lycee.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    // A student page with a key folio does not know: kept for templates.
    p.write(
        "content/parcours.md",
        "---\ntitle: Parcours\ncouleur: bleu\n---\nTexte\n",
    );
    // The student overrides the stylesheet again.
    p.write("static/style.css", "/* élève */");
    let site = p.build_unchecked();
    let doc = site.html("parcours/index.html");
    assert_eq!(texts(&doc, "h1.classe"), vec!["Parcours"]);
    assert_eq!(texts(&doc, "p.couleur"), vec!["bleu"]);
    assert_eq!(
        std::fs::read_to_string(site.root.join("style.css")).unwrap(),
        "/* élève */"
    );
    assert!(site.exists("logo-lycee.svg"));
    // Templates the class theme does not define still come from the built-in theme.
    assert!(!texts(&site.html("realisations/index.html"), "nav.filter").is_empty());
    let missing = Portfolio::minimal();
    let cfg = std::fs::read_to_string(missing.path().join("portfolio.toml")).unwrap();
    missing.write(
        "portfolio.toml",
        cfg.replacen("[candidate]", "theme = \"nulle-part\"\n[candidate]", 1),
    );
    let run = missing.folio(&["build", "--ignore-checks"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("theme-missing") && run.stderr().contains("nulle-part"),
        "{}",
        run.stderr()
    );
}

#[test]
fn command_line_mistakes_are_explained_in_french() {
    let p = Portfolio::minimal();
    let run = p.folio(&["buidl"]);
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr()
            .contains("commande inconnue « buidl » ; vouliez-vous dire « build » ?"),
        "{}",
        run.stderr()
    );
    let run = p.folio(&["check", "--format", "xml"]);
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr().contains("valeur « xml » invalide") && run.stderr().contains("texte, json"),
        "{}",
        run.stderr()
    );
    for (args, said) in [
        (&["new"][..], "argument manquant : <KIND>, <TITLE>"),
        (
            &["build", "-o"][..],
            "l'option --output <OUTPUT> attend une valeur",
        ),
        (&["help", "verify"][..], "folio verify --help"),
        (&["build", "--offline", "--zip"][..], "folio export --zip"),
    ] {
        let run = p.folio(args);
        assert_eq!(run.code(), Some(2), "{args:?}");
        assert!(run.stderr().contains(said), "{args:?}: {}", run.stderr());
        assert!(!run.stderr().contains("the following"), "{}", run.stderr());
    }
    // Accepted whatever its case (exit 1 here: the minimal portfolio has findings).
    assert_ne!(p.folio(&["check", "--format", "JSON"]).code(), Some(2));
    let help = p.folio(&["serve", "--help"]);
    assert_eq!(help.code(), Some(0));
    assert!(
        help.stdout().contains("Affiche l'aide") && help.stdout().contains("1111 par défaut"),
        "{}",
        help.stdout()
    );
    assert!(
        !help.stdout().contains("Print help") && !help.stdout().contains("[default"),
        "{}",
        help.stdout()
    );
    // No English left in the help: commands and formats are named in French.
    let top = p.folio(&["--help"]).stdout();
    assert!(
        top.contains("<COMMANDE>") && !top.contains("<COMMAND>"),
        "{top}"
    );
    let check = p.folio(&["check", "--help"]).stdout();
    assert!(
        !check.contains("possible values") && !check.contains("Possible values"),
        "{check}"
    );
}

#[test]
fn extra_dates_reach_templates_as_text() {
    let p = Portfolio::example();
    let toml = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("{toml}\n[extra]\nmise_a_jour = 2025-06-01\nrubriques = [\"veille\"]\n"),
    );
    p.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"maj\">{{ site.extra.mise_a_jour }} {{ site.extra.rubriques | join(sep=\",\") }}</p>{% endblock content %}",
    );
    let site = p.build();
    let page = site.html("parcours/index.html");
    assert_eq!(texts(&page, "#maj"), vec!["2025-06-01 veille"]);
}

#[test]
fn documents_are_found_in_every_form_students_write() {
    let p = Portfolio::example();
    p.write("static/documents/Archive été.zip", "PK");
    for (i, form) in [
        "documents/Archive été.zip",
        "static/documents/Archive été.zip",
        "static\\\\documents\\\\Archive été.zip",
        "/documents/archive-ete.zip",
    ]
    .iter()
    .enumerate()
    {
        p.write(
            &format!("content/realisations/doc{i}.md"),
            format!("---\ntitle: Doc {i}\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\ndocuments:\n  - {{ title: Archive, file: \"{form}\" }}\n---\nTexte.\n"),
        );
    }
    let site = p.build();
    for i in 0..4 {
        let doc = site.html(&format!("realisations/doc{i}/index.html"));
        assert_eq!(
            attrs(&doc, ".documents a", "href"),
            vec!["/portfolio/documents/archive-ete.zip"],
            "doc{i}"
        );
        assert_eq!(texts(&doc, ".documents .note"), vec!["(archive-ete.zip)"]);
    }
    // Missing: the hint names both forms that work.
    p.write(
        "content/realisations/doc0.md",
        "---\ntitle: Doc\ncontext: formation\nstart: 2025-01-06\nend: 2025-01-10\ncompetences: [B1.1]\ndocuments:\n  - { title: Absent, file: \"static/documents/absent.pdf\" }\n---\nTexte.\n",
    );
    let err = p.folio(&["build"]).stderr();
    assert!(
        err.contains("content/realisations/doc0.md:8: erreur[document-missing]")
            && err.contains("file: /documents/absent.pdf")
            && err.contains("file: absent.pdf"),
        "{err}"
    );
}

#[test]
fn base_url_option_moves_every_link_the_sitemap_and_the_table() {
    let p = Portfolio::example();
    let run = p.folio(&[
        "build",
        "--base-url",
        "https://autre.github.io/depot-renomme",
    ]);
    assert!(run.ok(), "{}", run.stderr());
    let site = common::Site::at(p.path().join("public"));
    let mut checked = 0;
    for page in site.html_files() {
        let doc = site.html(&page);
        for url in attrs(&doc, "a[href], link[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "img[src]", "src"))
        {
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with('#') {
                continue;
            }
            assert!(url.starts_with("/depot-renomme/"), "{page}: {url}");
            checked += 1;
        }
    }
    assert!(checked > 300);
    let sitemap = std::fs::read_to_string(site.root.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://autre.github.io/depot-renomme/realisations/</loc>"));
    assert!(!sitemap.contains("lea-martin.github.io"));
    let robots = std::fs::read_to_string(site.root.join("robots.txt")).unwrap();
    assert!(robots.contains("https://autre.github.io/depot-renomme/sitemap.xml"));
    let t = site.xlsx();
    assert_eq!(
        t.at("A5"),
        "Adresse URL du portfolio : https://autre.github.io/depot-renomme/"
    );
    // The table command and the checks take it too; a wrong one is explained.
    assert!(
        p.folio(&["table", "--base-url", "https://x.github.io/y/", "--force"])
            .ok()
    );
    let t = common::Table::from_bytes(
        std::fs::read(p.path().join("tableau-de-synthese.xlsx")).unwrap(),
    );
    assert_eq!(
        t.at("A5"),
        "Adresse URL du portfolio : https://x.github.io/y/"
    );
    let run = p.folio(&["check", "--base-url", "x.github.io"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.all().contains("config-base-url") && run.all().contains("--base-url"),
        "{}",
        run.all()
    );
}

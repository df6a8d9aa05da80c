//! Class themes: `theme.toml` options set in `portfolio.toml`, the lookup order
//! portfolio > class theme > built-in theme, built-in themes by name, `folio theme new`
//! and the generated reference, and both built-in themes under axe-core in Chromium.

mod common;

use common::browser::{Driver, axe_source, axe_violations, file_url};
use common::{Portfolio, attrs, repo, texts};
use serde_json::json;

/// A portfolio that uses the class theme `theme-sio` (inside it, for the test) with
/// these lines in its `[theme]` table.
fn with_class_theme(options: &str) -> Portfolio {
    let p = Portfolio::minimal();
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("{cfg}\n[theme]\nnom = \"theme-sio\"\n{options}"),
    );
    p.write(
        "theme-sio/theme.toml",
        "nom = \"Thème SIO\"\nversion = \"2.0.0\"\nfolio = \"0.1\"\n\n\
         [options.ecole]\ntype = \"texte\"\ndefaut = \"Lycée par défaut\"\n\
         [options.sombre]\ntype = \"booleen\"\n",
    );
    p.write(
        "theme-sio/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         <p class=\"sombre\">{{ theme.options.sombre }}</p><p class=\"nom\">{{ theme.name }} {{ theme.version }}</p>{% endblock content %}",
    );
    p.write("content/parcours.md", "# Parcours\n");
    p
}

/// The line of `portfolio.toml` that starts with `start`.
fn line_of(p: &Portfolio, start: &str) -> usize {
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    cfg.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn theme_options_reach_templates_with_their_defaults() {
    let p = with_class_theme(
        "sombre = true\ncouleur = \"#AA0000\"\npied_de_page = \"Section BTS SIO\"\n",
    );
    let site = p.build_unchecked();
    let doc = site.html("parcours/index.html");
    assert_eq!(texts(&doc, "p.sombre"), vec!["true"]);
    assert_eq!(texts(&doc, "p.nom"), vec!["Thème SIO 2.0.0"]);
    // The class theme's default, and the built-in theme's options (colour, footer line).
    assert_eq!(
        texts(&doc, ".site-footer .school"),
        vec!["Lycée par défaut"]
    );
    assert_eq!(texts(&doc, ".footer-line"), vec!["Section BTS SIO"]);
    assert!(texts(&doc, "head style")[0].contains("--accent: #aa0000"));
}

#[test]
fn unknown_theme_options_and_wrong_types_are_findings_with_file_and_line() {
    let p = with_class_theme("ecolle = \"Lycée\"\nsombre = \"oui\"\n");
    // A bad option does not hide the rest of the portfolio's findings.
    p.write(
        "content/parcours.md",
        "# Parcours\n\n[bulletin](bulletin.pdf)\n",
    );
    let run = p.folio(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.all());
    let out = run.all();
    assert!(out.contains("link-missing-file"), "{out}");
    let unknown = format!("portfolio.toml:{}:1", line_of(&p, "ecolle"));
    let wrong = format!("portfolio.toml:{}:1", line_of(&p, "sombre"));
    assert!(
        out.contains("theme-option-unknown") && out.contains(&unknown),
        "{out}"
    );
    assert!(out.contains("vouliez-vous écrire « ecole » ?"), "{out}");
    assert!(
        out.contains("theme-option-type") && out.contains(&wrong),
        "{out}"
    );
    // A mistake in the teacher's theme.toml names that file and line.
    p.write(
        "portfolio.toml",
        std::fs::read_to_string(p.path().join("portfolio.toml"))
            .unwrap()
            .replace("ecolle = \"Lycée\"\nsombre = \"oui\"\n", ""),
    );
    p.write(
        "theme-sio/theme.toml",
        "nom = \"x\"\ncoleur = \"#fff\"\n[options.logo]\ntype = \"image\"\n",
    );
    let run = p.folio(&["build", "--ignore-checks"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("theme-sio/theme.toml:2:1")
            && run.stderr().contains("theme-toml-unknown-key"),
        "{}",
        run.stderr()
    );
    // An image option names a file that must exist in static/.
    p.write("theme-sio/theme.toml", "[options.logo]\ntype = \"image\"\n");
    p.write(
        "portfolio.toml",
        std::fs::read_to_string(p.path().join("portfolio.toml"))
            .unwrap()
            .replace(
                "nom = \"theme-sio\"\n",
                "nom = \"theme-sio\"\nlogo = \"absent.png\"\ncouleur = \"rouge\"\n",
            ),
    );
    let run = p.folio(&["build", "--ignore-checks"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr()
            .contains(&format!("portfolio.toml:{}:1", line_of(&p, "logo")))
            && run.stderr().contains("absent.png"),
        "{}",
        run.stderr()
    );
    // Every refused option in one round: the colour's type with the missing image.
    assert!(
        run.stderr()
            .contains(&format!("portfolio.toml:{}:1", line_of(&p, "couleur"))),
        "{}",
        run.stderr()
    );
    assert!(!p.path().join("public").exists());
}

/// The fixture of the lookup order: `page.html` in the portfolio, the class theme and
/// the built-in theme; `_card.html` in the class theme and the built-in theme; the
/// class theme's `base.html` extends the built-in one and changes only the footer.
#[test]
fn lookup_is_portfolio_then_class_theme_then_builtin_and_a_block_can_be_changed() {
    let p = with_class_theme("");
    p.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"portfolio\">{{ page.title }}</h1>{% endblock content %}",
    );
    p.write(
        "theme-sio/templates/_card.html",
        "<article class=\"card classe\"><a href=\"{{ r.url }}\">{{ r.title }}</a></article>",
    );
    p.write(
        "theme-sio/templates/base.html",
        "{% extends \"defaut/base.html\" %}{% block footer %}<footer class=\"pied-classe\">Lycée</footer>{% endblock footer %}",
    );
    p.write(
        "content/realisations/glpi.md",
        "---\ntitle: GLPI\ncontext: formation\ncompetences: [B1.1]\n---\nTexte\n",
    );
    let site = p.build_unchecked();
    // Portfolio over class theme over built-in.
    let page = site.html("parcours/index.html");
    assert_eq!(texts(&page, "h1.portfolio"), vec!["Parcours"]);
    assert!(texts(&page, "p.sombre").is_empty());
    // Class theme over built-in.
    let list = site.html("realisations/index.html");
    assert_eq!(texts(&list, "article.card.classe"), vec!["GLPI"]);
    // Built-in where nobody replaces it.
    assert!(!texts(&list, "nav.filter").is_empty());
    // One block changed: the built-in header stays, the footer is the class's, on
    // every page (built-in templates extend "base.html", which is the class's now).
    for doc in [&page, &list, &site.html("competences/index.html")] {
        assert_eq!(texts(doc, "footer.pied-classe"), vec!["Lycée"]);
        assert!(texts(doc, ".site-footer").is_empty());
        assert!(!texts(doc, "header.site-header .brand-name").is_empty());
    }
}

#[test]
fn builtin_themes_are_chosen_by_name_and_listed() {
    let p = Portfolio::example();
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("{cfg}\n[theme]\nnom = \"moderne\"\nphoto = \"img/portrait.png\"\n"),
    );
    let site = p.build_unchecked();
    assert!(site.exists("moderne.css"));
    let home = site.html("index.html");
    assert_eq!(attrs(&home, "body", "class"), vec!["theme-moderne"]);
    assert_eq!(
        attrs(&home, ".hero-moderne img.hero-photo", "src"),
        vec!["/portfolio/img/portrait.png"]
    );
    // Cards with the réalisation's first image as a thumbnail.
    let list = site.html("realisations/index.html");
    let thumbs = attrs(&list, ".card-moderne img.card-thumb", "src");
    assert!(
        thumbs.iter().any(|s| s.ends_with("schema-reseau.png")),
        "{thumbs:?}"
    );
    assert!(
        thumbs
            .iter()
            .all(|s| site.file_for_url(s, "/portfolio/").is_some()),
        "{thumbs:?}"
    );
    // `theme = "defaut"` is the default theme, as before.
    p.write("portfolio.toml", format!("theme = \"defaut\"\n{cfg}"));
    let site = p.build_unchecked();
    assert!(attrs(&site.html("index.html"), "body", "class").is_empty());
    // A misspelt built-in name: its line, and the name it is closest to.
    p.write("portfolio.toml", format!("theme = \"modrene\"\n{cfg}"));
    let run = p.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr().contains("portfolio.toml:1:1")
            && run.stderr().contains("theme-missing")
            && run.stderr().contains("vouliez-vous écrire « moderne »"),
        "{}",
        run.stderr()
    );
    let run = p.folio(&["theme", "list"]);
    assert!(run.ok());
    assert!(run.stdout().contains("defaut") && run.stdout().contains("moderne"));
}

#[test]
fn a_class_theme_can_build_on_the_modern_theme() {
    // The file's real name: the site publishes it slugified, and so does the option.
    let p = with_class_theme("photo = \"img/Photo Été.png\"\n");
    p.write("static/img/Photo Été.png", b"\x89PNG\r\n\x1a\n");
    let toml = std::fs::read_to_string(p.path().join("theme-sio/theme.toml")).unwrap();
    p.write(
        "theme-sio/theme.toml",
        format!("etend = \"moderne\"\n{toml}"),
    );
    let site = p.build_unchecked();
    let home = site.html("index.html");
    assert_eq!(attrs(&home, "body", "class"), vec!["theme-moderne"]);
    assert_eq!(
        attrs(&home, "img.hero-photo", "src"),
        vec!["/portfolio/img/photo-ete.png"]
    );
    assert!(site.exists("img/photo-ete.png"));
    // The class theme's own template still wins over the modern theme's.
    assert_eq!(
        texts(&site.html("parcours/index.html"), "p.sombre"),
        vec!["false"]
    );
}

#[test]
fn theme_new_writes_a_class_theme_that_builds_and_never_overwrites() {
    let p = Portfolio::minimal();
    let run = p.folio(&["theme", "new", "theme-sio-2026"]);
    assert!(run.ok(), "{}", run.all());
    for f in [
        "theme.toml",
        "templates/base.html",
        "static/classe.css",
        "README.md",
    ] {
        assert!(p.path().join("theme-sio-2026").join(f).is_file(), "{f}");
    }
    let base =
        std::fs::read_to_string(p.path().join("theme-sio-2026/templates/base.html")).unwrap();
    assert!(base.contains("{% extends \"defaut/base.html\" %}"));
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("{cfg}\n[theme]\nnom = \"theme-sio-2026\"\necole = \"Lycée Vauban\"\n"),
    );
    let site = p.build_unchecked();
    let home = site.html("index.html");
    assert!(attrs(&home, "link", "href").contains(&"/portfolio/classe.css".to_owned()));
    assert_eq!(texts(&home, ".school"), vec!["Lycée Vauban"]);
    assert!(site.exists("classe.css"));
    // A second time: refused, the teacher's work is kept.
    std::fs::write(
        p.path().join("theme-sio-2026/static/classe.css"),
        "/* modifié */",
    )
    .unwrap();
    let run = p.folio(&["theme", "new", "theme-sio-2026"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr().contains("existe déjà"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(p.path().join("theme-sio-2026/static/classe.css")).unwrap(),
        "/* modifié */"
    );
}

#[test]
fn the_readme_reference_is_the_generated_one() {
    let p = Portfolio::minimal();
    let run = p.folio(&["theme", "doc"]);
    assert!(run.ok());
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = "<!-- folio theme doc : début -->\n";
    let end = "<!-- folio theme doc : fin -->";
    let from = readme.find(start).expect("README: début de la référence") + start.len();
    let to = readme.find(end).expect("README: fin de la référence");
    assert_eq!(
        readme[from..to],
        run.stdout(),
        "README.md : recopiez la sortie de `folio theme doc` entre les deux marqueurs"
    );
}

/// Each page template gets exactly the variables `folio theme doc` lists for it.
#[test]
fn documented_variables_are_what_each_template_receives() {
    let p = Portfolio::example();
    let dump = "<pre id=\"ctx\">{% for k in __tera_context | keys %}{{ k }} {% endfor %}</pre>";
    let pages = [
        ("home.html", "index.html"),
        ("page.html", "mentions-legales/index.html"),
        ("realisation.html", "realisations/vpn-pfsense/index.html"),
        ("realisations.html", "realisations/index.html"),
        ("competences.html", "competences/index.html"),
        ("competence.html", "competences/b1-1/index.html"),
        ("tableau.html", "tableau-de-synthese/index.html"),
        ("404.html", "404.html"),
    ];
    for (template, _) in pages {
        p.write(&format!("templates/{template}"), dump);
    }
    let site = p.build_unchecked();
    for (template, out) in pages {
        let mut got: Vec<String> = texts(&site.html(out), "#ctx")[0]
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        got.sort();
        let mut documented: Vec<String> = folio_generator::render::VARIABLES
            .iter()
            .filter(|(_, only, _)| only.is_empty() || only.contains(&template))
            .map(|(name, _, _)| (*name).to_owned())
            .collect();
        documented.sort();
        assert_eq!(got, documented, "{template}");
    }
}

/// Both built-in themes, every page of the example portfolio (offline copy: relative
/// links, so the stylesheets load from file://), with the options a class would set,
/// in light and dark mode; then their print styles.
#[test]
fn both_builtin_themes_pass_axe_core_in_chromium() {
    let Some(axe) = axe_source() else { return };
    let Some(driver) = Driver::start_or_skip() else {
        return;
    };
    for theme in ["defaut", "moderne"] {
        let p = Portfolio::example();
        let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
        p.write(
            "portfolio.toml",
            format!(
                "{cfg}\n[theme]\nnom = \"{theme}\"\necole = \"Lycée Vauban\"\npied_de_page = \"Section BTS SIO\"\nlogo = \"img/portrait.png\"\n{}",
                if theme == "moderne" { "photo = \"img/portrait.png\"\n" } else { "" }
            ),
        );
        let run = p.folio(&["build", "--offline", "--ignore-checks"]);
        assert!(run.ok(), "{}", run.all());
        let site = common::Site::at(p.path().join("hors-ligne"));
        let pages = site.html_files();
        assert!(pages.len() > 10, "{pages:?}");
        for scheme in ["light", "dark"] {
            driver.cdp(
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            );
            for page in &pages {
                driver.go(&file_url(&site.root.join(page)));
                let violations = axe_violations(&driver, &axe);
                assert!(
                    violations.is_empty(),
                    "{theme} {scheme} {page}: {violations:#?}"
                );
                let passes = driver
                    .js("return window.__axe.passes.map(p => p.id);")
                    .to_string();
                assert!(
                    passes.contains("color-contrast"),
                    "{theme} {page}: {passes}"
                );
            }
        }
        assert_print_styles(&driver, &site, theme);
    }
}

/// Printed for the jury: no menu or buttons, black text on white, no sticky header.
fn assert_print_styles(driver: &Driver, site: &common::Site, theme: &str) {
    driver.cdp(
        "Emulation.setEmulatedMedia",
        json!({"media": "print", "features": []}),
    );
    driver.go(&file_url(&site.root.join("index.html")));
    let style = |css: &str, prop: &str| {
        driver
            .js(&format!(
                "const e = document.querySelector('{css}'); return e ? getComputedStyle(e).getPropertyValue('{prop}') : 'absent';"
            ))
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(style(".site-nav", "display"), "none", "{theme}");
    assert_eq!(style(".actions", "display"), "none", "{theme}");
    assert_eq!(style("body", "color"), "rgb(0, 0, 0)", "{theme}");
    assert_ne!(style(".site-header", "position"), "sticky", "{theme}");
    assert_eq!(
        style(".hero", "background-color"),
        "rgba(0, 0, 0, 0)",
        "{theme}"
    );
    driver.cdp(
        "Emulation.setEmulatedMedia",
        json!({"media": "", "features": []}),
    );
}

//! End-to-end tests of the synthesis table: build, then read the .xlsx back.

mod common;

use common::{Portfolio, Table, texts};

/// The example portfolio's réalisations as its front matter describes them:
/// title, period, competences B1.1..B1.6 marked.
const FORMATION: [(&str, &str, [bool; 6]); 4] = [
    (
        "Veille technologique et identité professionnelle",
        "du 16/09/24 au 27/03/26",
        [false, false, false, false, false, true],
    ),
    (
        "Déploiement d'un outil de gestion de parc GLPI",
        "du 04/11/24 au 13/12/24",
        [true, true, false, false, true, false],
    ),
    (
        "Mise en place d'une politique de sauvegarde",
        "du 06/01/25 au 14/02/25",
        [true, false, false, true, false, false],
    ),
    (
        "Refonte du site web d'une association",
        "du 10/03/25 au 25/04/25",
        [false, false, true, true, false, false],
    ),
];
const STAGE_1: [(&str, &str, [bool; 6]); 2] = [
    (
        "Support aux agents et suivi des incidents",
        "du 02/06/25 au 11/07/25",
        [false, true, false, false, false, false],
    ),
    (
        "Stratégies de groupe pour les services de la mairie",
        "du 09/06/25 au 27/06/25",
        [true, true, false, false, true, false],
    ),
];
const STAGE_2: [(&str, &str, [bool; 6]); 2] = [
    (
        "Supervision des serveurs clients avec Zabbix",
        "du 05/01/26 au 30/01/26",
        [true, false, false, true, true, false],
    ),
    (
        "VPN site à site entre deux agences",
        "du 05/02/26 au 20/02/26",
        [true, false, false, false, true, false],
    ),
];
const COLS: [&str; 6] = ["C", "D", "E", "F", "G", "H"];

fn check_rows(t: &Table, first_row: u32, last_row: u32, expected: &[(&str, &str, [bool; 6])]) {
    for (i, row) in (first_row..=last_row).enumerate() {
        match expected.get(i) {
            Some((title, period, marks)) => {
                let a = t.at(&format!("A{row}"));
                assert_eq!(a.lines().next().unwrap(), *title, "A{row}");
                assert_eq!(t.at(&format!("B{row}")), *period, "B{row}");
                for (c, m) in COLS.iter().zip(marks) {
                    assert_eq!(
                        t.at(&format!("{c}{row}")),
                        if *m { "X" } else { "" },
                        "{c}{row} of {title}"
                    );
                }
            }
            None => {
                for c in ["A", "B"].iter().chain(COLS.iter()) {
                    assert_eq!(t.at(&format!("{c}{row}")), "", "{c}{row} should be blank");
                }
            }
        }
    }
}

#[test]
fn example_table_has_header_sections_periods_and_marks() {
    let t = Portfolio::example().build().xlsx();
    assert_eq!(t.sheet_name, "Tableau de synthèse Épreuve E5");
    assert_eq!(t.at("A1"), "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS");
    assert_eq!(t.at("G1"), "SESSION 2026");
    assert_eq!(
        t.at("A2"),
        "Tableau de synthèse des réalisations professionnelles"
    );
    assert_eq!(t.at("A3"), "NOM et prénom : MARTIN Léa");
    assert_eq!(t.at("F3"), "N° candidat : 02345678901");
    assert_eq!(
        t.at("A4"),
        "Centre de formation : Lycée Jean-Monnet, Rennes"
    );
    assert_eq!(t.at("F4"), "Option :");
    assert_eq!(t.at("G4"), "☒ SISR");
    assert_eq!(t.at("H4"), "▢ SLAM");
    assert_eq!(
        t.at("A5"),
        "Adresse URL du portfolio : https://lea-martin.github.io/portfolio/"
    );
    assert!(
        t.at("A6").starts_with("Compétences mises en œuvre")
            && t.at("A6")
                .ends_with("(intitulé et liste des documents et productions associés)")
    );
    assert_eq!(
        t.at("B6"),
        "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)"
    );
    assert_eq!(t.at("C6"), "Gérer le patrimoine informatique");
    assert_eq!(t.at("H6"), "Organiser son développement professionnel");
    assert!(
        t.at("C7")
            .starts_with("▸Recenser et identifier les ressources numériques\n▸Exploiter")
    );
    assert_eq!(t.at("H7").lines().count(), 4);
    assert_eq!(t.at("A8"), "Réalisation en cours de formation");
    assert_eq!(
        t.at("A19"),
        "Réalisations en milieu professionnel en cours de première année"
    );
    assert_eq!(
        t.at("A27"),
        "Réalisations en milieu professionnel en cours de seconde année"
    );
    check_rows(&t, 9, 18, &FORMATION);
    check_rows(&t, 20, 26, &STAGE_1);
    check_rows(&t, 28, 34, &STAGE_2);
    // Column A lists the documents and productions after the title.
    let glpi = t.at("A10");
    assert!(
        glpi.contains("\n– Procédure d'installation de GLPI (procedure-installation-glpi.pdf)"),
        "{glpi}"
    );
    assert!(
        glpi.contains("\n– Dépôt des scripts (https://github.com/lea-martin/glpi-deploiement)"),
        "{glpi}"
    );
}

#[test]
fn layout_matches_the_official_workbook() {
    let t = Portfolio::example().build().xlsx();
    let mut merged = t.merged.clone();
    merged.sort();
    let mut expected: Vec<String> = [
        "A1:F1", "G1:H1", "A2:H2", "A3:E3", "F3:H3", "A4:E4", "A5:H5", "A6:A7", "B6:B7", "A8:H8",
        "A19:H19", "A27:H27",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.sort();
    assert_eq!(merged, expected);
    assert!(
        (t.column_width(1) - 70.43).abs() < 0.01,
        "A {}",
        t.column_width(1)
    );
    assert!(
        (t.column_width(2) - 10.86).abs() < 0.01,
        "B {}",
        t.column_width(2)
    );
    for col in 3..=8 {
        assert!((t.column_width(col) - 30.71).abs() < 0.01, "col {col}");
    }
    for (row, pt) in [
        (1, 39.95),
        (2, 41.1),
        (5, 39.95),
        (6, 90.0),
        (7, 324.95),
        (8, 18.0),
        (18, 39.95),
    ] {
        assert!(
            (t.row_height(row) - pt).abs() < 0.5,
            "row {row}: {}",
            t.row_height(row)
        );
    }
    // Print setup: A4 portrait, fit to one page, centred, 0.5 cm margins, print area A1:H35.
    let xml = &t.sheet_xml;
    assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    assert!(xml.contains("paperSize=\"9\"") && xml.contains("orientation=\"portrait\""));
    assert!(xml.contains("horizontalCentered=\"1\"") && xml.contains("verticalCentered=\"1\""));
    assert!(xml.contains("left=\"0.19685"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(t.bytes.clone())).unwrap();
    let mut wb = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wb).unwrap();
    assert!(wb.contains("$A$1:$H$35"), "{wb}");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(
        styles.matches("<name val=\"").count() == styles.matches("<name val=\"Arial\"").count(),
        "Arial throughout"
    );
    assert!(
        styles.contains("diagonalDown=\"1\""),
        "diagonal border of the corner head"
    );
    assert!(
        styles.contains("textRotation=\"90\""),
        "rotated period head"
    );
}

#[test]
fn same_source_gives_byte_identical_table() {
    let p = Portfolio::example();
    let a = p.build().xlsx().bytes;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // Made again, not kept from the first build.
    std::fs::remove_dir_all(p.path().join("public")).unwrap();
    let b = p.build().xlsx().bytes;
    assert_eq!(a, b);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    // The creation date is the latest date of a réalisation, not the clock.
    assert!(core.contains("2026-03-27T00:00:00Z"), "{core}");
}

#[test]
fn an_unchanged_table_is_taken_back_and_any_change_makes_it_again() {
    let p = Portfolio::example();
    let table = p.path().join("public/tableau-de-synthese.xlsx");
    let first = p.build().xlsx();
    let manifest = std::fs::read_to_string(p.path().join("public/.folio-manifest")).unwrap();
    assert!(
        manifest
            .lines()
            .any(|l| l.starts_with("# fait ") && l.ends_with(" tableau-de-synthese.xlsx")),
        "{manifest}"
    );
    assert_eq!(p.build().xlsx().bytes, first.bytes);
    // A title changes the table.
    let source = "content/realisations/site-association.md";
    let text = std::fs::read_to_string(p.path().join(source)).unwrap();
    p.write(
        source,
        text.replace(
            "Refonte du site web d'une association",
            "Nouveau site d'une association",
        ),
    );
    let edited = p.build().xlsx();
    let titles = |t: &Table| {
        t.cells
            .used_cells()
            .map(|(_, _, v)| v.to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        titles(&edited)
            .iter()
            .any(|t| t.starts_with("Nouveau site d'une association"))
    );
    assert!(
        !titles(&edited)
            .iter()
            .any(|t| t.starts_with("Refonte du site web"))
    );
    // Opened in Excel and saved by hand: folio's table comes back.
    std::fs::write(&table, b"PK saisi a la main").unwrap();
    assert_eq!(p.build().xlsx().bytes, edited.bytes);
}

fn realisation(title: &str, context: &str, start: &str, competences: &str) -> String {
    format!(
        "---\ntitle: {title}\ncontext: {context}\nstart: {start}\nend: {start}\ncompetences: [{competences}]\n---\nTexte.\n"
    )
}

#[test]
fn empty_sections_keep_their_blank_formatted_rows() {
    let p = Portfolio::minimal();
    p.write(
        "content/realisations/a.md",
        realisation("Seule réalisation", "formation", "2025-01-10", "B1.1, B1.6"),
    );
    let t = p.build_unchecked().xlsx();
    assert_eq!(t.at("A9"), "Seule réalisation");
    assert_eq!(t.at("B9"), "le 10/01/25");
    assert_eq!(t.at("C9"), "X");
    assert_eq!(t.at("H9"), "X");
    assert_eq!(
        t.at("A19"),
        "Réalisations en milieu professionnel en cours de première année"
    );
    check_rows(&t, 20, 26, &[]);
    check_rows(&t, 28, 34, &[]);
    assert_eq!(t.at("G4"), "▢ SISR");
    assert_eq!(t.at("H4"), "☒ SLAM");
    assert!(
        t.sheet_xml.contains("<row r=\"34\""),
        "blank rows are written with their borders"
    );
}

#[test]
fn overflowing_section_adds_rows_and_keeps_one_page() {
    let p = Portfolio::minimal();
    for i in 1..=12 {
        p.write(
            &format!("content/realisations/r{i:02}.md"),
            realisation(
                &format!("Réalisation {i:02}"),
                "formation",
                &format!("2025-01-{i:02}"),
                "B1.2",
            ),
        );
    }
    for i in 1..=9 {
        p.write(
            &format!("content/realisations/s{i}.md"),
            realisation(
                &format!("Stage {i}"),
                "stage-2",
                &format!("2026-02-0{i}"),
                "B1.5.1",
            ),
        );
    }
    let t = p.build_unchecked().xlsx();
    // Formation: 12 rows (9..20), stage 1 title moves to row 21, its 7 blank rows 22..28,
    // stage 2 title on row 29 and 9 rows 30..38.
    for i in 1..=12u32 {
        assert_eq!(t.at(&format!("A{}", 8 + i)), format!("Réalisation {i:02}"));
        assert_eq!(t.at(&format!("D{}", 8 + i)), "X");
    }
    assert_eq!(
        t.at("A21"),
        "Réalisations en milieu professionnel en cours de première année"
    );
    check_rows(&t, 22, 28, &[]);
    assert_eq!(
        t.at("A29"),
        "Réalisations en milieu professionnel en cours de seconde année"
    );
    assert_eq!(t.at("A30"), "Stage 1");
    assert_eq!(t.at("A38"), "Stage 9");
    assert_eq!(t.at("G38"), "X");
    let mut merged = t.merged.clone();
    merged.sort();
    assert!(
        merged.contains(&"A21:H21".to_owned()) && merged.contains(&"A29:H29".to_owned()),
        "{merged:?}"
    );
    assert!(t.sheet_xml.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    libreoffice_pages(&t.bytes, 1);
}

#[test]
fn html_table_page_agrees_with_the_xlsx() {
    let site = Portfolio::example().build();
    let t = site.xlsx();
    let doc = site.html("tableau-de-synthese/index.html");
    let sel = scraper::Selector::parse("table.synthesis tbody tr:not(.section-row)").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    let title = scraper::Selector::parse("th > a").unwrap();
    let mut html_rows = Vec::new();
    for tr in doc.select(&sel) {
        let cells: Vec<String> = tr
            .select(&cell)
            .map(|c| c.text().collect::<String>().trim().to_owned())
            .collect();
        let t = tr.select(&title).next().unwrap().text().collect::<String>();
        html_rows.push((t, cells[1].clone(), cells[2..].to_vec()));
    }
    let mut xlsx_rows = Vec::new();
    for row in (9..=18).chain(20..=26).chain(28..=34) {
        let a = t.at(&format!("A{row}"));
        if a.is_empty() {
            continue;
        }
        let marks: Vec<String> = COLS.iter().map(|c| t.at(&format!("{c}{row}"))).collect();
        xlsx_rows.push((
            a.lines().next().unwrap().to_owned(),
            t.at(&format!("B{row}")),
            marks,
        ));
    }
    assert_eq!(html_rows.len(), 8);
    assert_eq!(html_rows, xlsx_rows);
    assert_eq!(texts(&doc, ".synthesis-header dd")[0], "MARTIN Léa");
    assert_eq!(
        texts(&doc, "tfoot td.total"),
        vec!["5", "3", "1", "3", "4", "1"]
    );
}

#[test]
fn table_command_writes_only_the_table() {
    let p = Portfolio::example();
    let run = p.folio(&["table", ".", "-o", "mon-tableau.xlsx"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!p.path().join("public").exists());
    let t = Table::from_bytes(std::fs::read(p.path().join("mon-tableau.xlsx")).unwrap());
    check_rows(&t, 9, 18, &FORMATION);
    let run = p.folio(&["table"]);
    assert!(run.ok());
    assert!(p.path().join("tableau-de-synthese.xlsx").is_file());
}

#[test]
fn table_file_name_is_configurable_and_linked_everywhere() {
    let p = Portfolio::minimal();
    let cfg = std::fs::read_to_string(p.path().join("portfolio.toml")).unwrap();
    p.write(
        "portfolio.toml",
        format!("{cfg}[table]\nfile = \"synthese-E5.xlsx\"\n"),
    );
    let site = p.build_unchecked();
    assert!(site.exists("synthese-E5.xlsx"));
    let hrefs = common::attrs(&site.html("index.html"), "footer a", "href");
    assert!(
        hrefs.contains(&"/portfolio/synthese-E5.xlsx".to_owned()),
        "{hrefs:?}"
    );
    let page = common::attrs(
        &site.html("tableau-de-synthese/index.html"),
        "main a[download]",
        "href",
    );
    assert_eq!(page, vec!["/portfolio/synthese-E5.xlsx"]);
}

#[test]
fn example_table_opens_in_libreoffice_on_one_page() {
    let t = Portfolio::example().build().xlsx();
    libreoffice_pages(&t.bytes, 1);
}

/// Convert with LibreOffice and count PDF pages. Skips (loudly) only when LibreOffice
/// is absent; `.ci/run` installs it so that CI never skips.
fn libreoffice_pages(bytes: &[u8], expected: usize) {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("SKIPPED: LibreOffice absent, PDF conversion not checked");
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice must be installed in CI"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tableau.xlsx");
    std::fs::write(&xlsx, bytes).unwrap();
    // A private profile: parallel tests must not share LibreOffice's user folder.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let out = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(dir.path().join("tableau.pdf")).expect("LibreOffice wrote a PDF");
    // Count page objects: "/Type /Page" not followed by "s".
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type/Page").filter(|_| true).count()
        + text.matches("/Type /Page").count()
        - text.matches("/Type/Pages").count()
        - text.matches("/Type /Pages").count();
    assert_eq!(
        pages, expected,
        "the table must print on {expected} page(s)"
    );
}

#[test]
fn undated_realisations_come_last_in_their_section_and_documents_show_published_names() {
    let p = Portfolio::minimal();
    p.write(
        "content/realisations/a.md",
        "---\ntitle: Sans date\ncontext: formation\ncompetences: [B1.1]\n---\nTexte.\n",
    );
    p.write(
        "content/realisations/b.md",
        realisation("Datée", "formation", "2025-01-10", "B1.2"),
    );
    p.write(
        "content/realisations/c/index.md",
        "---\ntitle: Avec document\ncontext: formation\nstart: 2025-03-01\nend: 2025-03-02\ncompetences: [B1.3]\ndocuments:\n  - Cahier des charges été.pdf\n  - { title: Procédure, file: \"Procédure GLPI.pdf\" }\n---\nTexte.\n",
    );
    p.write("content/realisations/c/Cahier des charges été.pdf", "%PDF");
    p.write("content/realisations/c/Procédure GLPI.pdf", "%PDF");
    let site = p.build_unchecked();
    let t = site.xlsx();
    assert!(t.at("A9").starts_with("Datée"), "{}", t.at("A9"));
    assert_eq!(
        t.at("A10"),
        "Avec document\n– cahier-des-charges-ete.pdf\n– Procédure (procedure-glpi.pdf)"
    );
    assert!(t.at("A11").starts_with("Sans date"), "{}", t.at("A11"));
    // The site lists them in the same order, and publishes those names.
    let list = texts(&site.html("realisations/index.html"), ".card-title");
    assert_eq!(list, vec!["Datée", "Avec document", "Sans date"]);
    assert!(site.exists("realisations/c/cahier-des-charges-ete.pdf"));
}

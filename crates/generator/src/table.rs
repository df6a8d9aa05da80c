//! The official *tableau de synthèse* (annexe VI-1), written with rust_xlsxwriter
//! from the same [`Synthesis`] model as the site's HTML page.
//!
//! The layout follows the official workbook used since session 2023 (the one with the
//! "Adresse URL du portfolio" row): one sheet, Arial throughout, the same merged
//! ranges, column widths, row heights, borders and print setup. Sections grow when a
//! student has more réalisations than the official blank rows; the page still fits on
//! one A4 sheet because the print setup scales to fit.

use std::path::Path;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatDiagonalBorder,
    Workbook, Worksheet, XlsxError,
};

use crate::diagnostic::Diagnostic;
use crate::site::{Site, Synthesis};

/// Blank data rows per section in the official workbook (formation, stage 1, stage 2).
pub const OFFICIAL_ROWS: [u32; 3] = [10, 7, 7];
/// Sheet name (31 characters at most in Excel).
pub const SHEET_NAME: &str = "Tableau de synthèse Épreuve E5";
/// Column widths as the official file stores them (Excel character units): A, B, C to H.
pub const WIDTHS: [f64; 3] = [70.42578125, 10.85546875, 30.7109375];
/// The same widths in pixels (7-pixel digits of 10-point Arial, plus Excel's 5-pixel
/// padding): writing pixels makes Excel store exactly the official widths.
const WIDTHS_PX: [u32; 3] = [493, 76, 215];
/// Mark of the chosen option and of the other one.
pub const OPTION_CHOSEN: &str = "☒";
/// Mark of the option not chosen (as in the blank file).
pub const OPTION_NOT_CHOSEN: &str = "▢";

/// Where each section landed (0-based rows), for callers and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRows {
    /// Row of the section title.
    pub title: u32,
    /// First data row.
    pub first: u32,
    /// Last data row.
    pub last: u32,
}

/// The rows every section occupies for a given synthesis.
pub fn layout(s: &Synthesis) -> Vec<SectionRows> {
    let mut row = 7; // row 8 in Excel
    s.sections
        .iter()
        .enumerate()
        .map(|(i, sec)| {
            let official = OFFICIAL_ROWS.get(i).copied().unwrap_or(7);
            let n = official.max(sec.rows.len() as u32);
            let out = SectionRows {
                title: row,
                first: row + 1,
                last: row + n,
            };
            row += n + 1;
            out
        })
        .collect()
}

/// The most characters Excel holds in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Name and value of the document property that marks a table folio wrote: `folio
/// table` replaces such a file, never a spreadsheet a student made by hand.
const MARK: (&str, &str) = ("Générateur", "folio");

/// The table of a site as .xlsx bytes.
pub fn write(site: &Site) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let synthesis = site.synthesis();
    let too_long = cells_too_long(&synthesis);
    if !too_long.is_empty() {
        return Err(too_long);
    }
    let created = creation_date(site);
    to_xlsx(&synthesis, created, &site.config.candidate.name).map_err(|e| {
        vec![
            Diagnostic::error(
                "table-write",
                format!("écriture du tableau de synthèse impossible : {e}"),
            )
            .hint(
                "signalez ce problème aux développeurs de folio avec votre fichier portfolio.toml",
            ),
        ]
    })
}

/// A fingerprint of everything the .xlsx is made from: the table's content, its date
/// and author, and the code that writes it (this file and the versions of the crates
/// it uses). The same fingerprint means the same table.
pub fn fingerprint(site: &Site) -> u128 {
    let made_from = (
        site.synthesis(),
        creation_date(site),
        &site.config.candidate.name,
    );
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(env!("FOLIO_TABLE_WRITER").as_bytes());
    h.update(include_str!("table.rs").as_bytes());
    // Serializing to a hasher never fails: it has nowhere to fail to write.
    let _ = serde_json::to_writer(HashWriter(&mut h), &made_from);
    h.digest128()
}

/// [`std::io::Write`] into a hash.
struct HashWriter<'a>(&'a mut xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Cells longer than Excel allows, named by the file and field they come from.
fn cells_too_long(s: &Synthesis) -> Vec<Diagnostic> {
    let long = |text: &str| text.chars().count() > MAX_CELL_CHARS - 100;
    let mut out = Vec::new();
    let config = std::path::Path::new(crate::config::CONFIG_FILE);
    for (field, value) in [
        ("candidate.name", &s.name),
        ("candidate.centre", &s.centre),
        ("candidate.number", &s.number),
        ("base_url", &s.portfolio_url),
    ] {
        if long(value) {
            out.push(
                Diagnostic::error("table-cell-too-long", format!("« {field} » fait {} caractères : une cellule Excel en contient au plus {MAX_CELL_CHARS}", value.chars().count()))
                    .in_file(config)
                    .field(field)
                    .hint("raccourcissez cette valeur"),
            );
        }
    }
    for row in s.sections.iter().flat_map(|sec| &sec.rows) {
        let docs: usize = row.documents.iter().map(|d| d.chars().count() + 3).sum();
        let (field, what) = if long(&row.title) {
            ("title", "le titre est trop long")
        } else if long(&row.period) {
            ("start", "la période est trop longue")
        } else if row.title.chars().count() + docs > MAX_CELL_CHARS - 100 {
            (
                "documents",
                "le titre et la liste des documents ne tiennent pas dans une cellule",
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::error("table-cell-too-long", format!("{what} : une cellule Excel contient au plus {MAX_CELL_CHARS} caractères"))
                .in_file(&row.source)
                .field(field)
                .hint("le tableau liste l'intitulé et les documents : gardez un titre court et regroupez les documents (une archive .zip, un dossier en ligne)"),
        );
    }
    out
}

/// Whether the .xlsx at `path` was written by folio (it carries folio's mark).
pub fn is_folio_table(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return false;
    };
    let Ok(mut custom) = zip.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut custom, &mut xml).is_ok()
        && xml.contains(MARK.0)
        && xml.contains(&format!(">{}<", MARK.1))
}

/// The document's creation date, taken from the source so that the same portfolio
/// always gives the same bytes: the latest date of a réalisation, else 1 January of
/// the session.
fn creation_date(site: &Site) -> (u16, u8, u8) {
    let latest = site
        .realisations()
        .filter_map(|d| d.realisation.as_ref())
        .flat_map(|m| [m.start, m.end])
        .flatten()
        .max();
    match latest {
        Some(d) => (
            d.year().clamp(1900, 9999) as u16,
            d.month() as u8,
            d.day() as u8,
        ),
        None => (
            site.config
                .candidate
                .session
                .map_or(2022, |y| y.clamp(1900, 9999)) as u16,
            1,
            1,
        ),
    }
}

fn arial(size: f64) -> Format {
    Format::new().set_font_name("Arial").set_font_size(size)
}

/// Borders of a box: left, right, top, bottom.
fn boxed(f: Format, l: FormatBorder, r: FormatBorder, t: FormatBorder, b: FormatBorder) -> Format {
    f.set_border_left(l)
        .set_border_right(r)
        .set_border_top(t)
        .set_border_bottom(b)
}

/// Write the synthesis as an .xlsx workbook: the header block, the column heads, the
/// three sections, then widths and print setup.
pub fn to_xlsx(s: &Synthesis, created: (u16, u8, u8), author: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_default_format(&arial(10.0), 17, 64)?;
    let date = ExcelDateTime::from_ymd(created.0, created.1, created.2)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("Tableau de synthèse des réalisations professionnelles")
            .set_subject("BTS SIO – Épreuve E5")
            .set_author(author)
            .set_creation_datetime(&date)
            .set_custom_property(MARK.0, MARK.1),
    );
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    page_setup(ws);
    write_header(ws, s)?;
    write_column_heads(ws, s)?;
    let table_end = write_sections(ws, s)?;
    let last_col = 1 + s.competences.len() as u16;
    ws.set_row_height(table_end + 1, 15.0)?;
    ws.set_print_area(0, 0, table_end + 1, last_col)?;

    ws.set_column_width_pixels(0, WIDTHS_PX[0])?;
    ws.set_column_width_pixels(1, WIDTHS_PX[1])?;
    for col in 2..=last_col {
        ws.set_column_width_pixels(col, WIDTHS_PX[2])?;
    }
    let mut bytes = wb.save_to_buffer()?;
    zip_made_on_unix(&mut bytes);
    Ok(bytes)
}

/// The zip writer marks its entries as made on DOS when it runs on Windows and on Unix
/// elsewhere: mark them Unix everywhere, so the same portfolio gives the same table,
/// byte for byte, on a student's Windows PC and on the GitHub runner.
fn zip_made_on_unix(zip: &mut [u8]) {
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let u32_at =
        |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
    // End of central directory: the last 22 bytes (the writer adds no comment).
    let Some(end) = zip.len().checked_sub(22) else {
        return;
    };
    if zip[end..end + 4] != *b"PK\x05\x06" {
        return;
    }
    let (count, mut at) = (u16_at(zip, end + 10), u32_at(zip, end + 16));
    for _ in 0..count {
        if at + 46 > zip.len() || zip[at..at + 4] != *b"PK\x01\x02" {
            return;
        }
        zip[at + 5] = 3; // "version made by": host system 3 = Unix
        at += 46 + u16_at(zip, at + 28) + u16_at(zip, at + 30) + u16_at(zip, at + 32);
    }
}

/// Rows 1 to 5: diploma, session, title, candidate, centre, option, portfolio URL.
fn write_header(ws: &mut Worksheet, s: &Synthesis) -> Result<(), XlsxError> {
    use FormatBorder::{Medium as M, None as N, Thin as T};
    let title = arial(20.0)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let label = |l, r, t, b| {
        boxed(
            arial(18.0)
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            l,
            r,
            t,
            b,
        )
    };
    let label_center = |l, r, t, b| {
        boxed(
            arial(18.0)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            l,
            r,
            t,
            b,
        )
    };

    // Header block, rows 1 to 5.
    ws.set_row_height(0, 39.95)?;
    ws.set_row_height(1, 41.1)?;
    for r in 2..5 {
        ws.set_row_height(r, 39.95)?;
    }
    ws.merge_range(0, 0, 0, 5, &s.diploma, &title)?;
    let session = s
        .session
        .map_or_else(|| "SESSION …".to_owned(), |y| format!("SESSION {y}"));
    ws.merge_range(0, 6, 0, 7, &session, &title)?;
    ws.merge_range(
        1,
        0,
        1,
        7,
        "Tableau de synthèse des réalisations professionnelles",
        &title,
    )?;
    ws.merge_range(
        2,
        0,
        2,
        4,
        &format!("NOM et prénom : {}", s.name),
        &label(M, T, M, T),
    )?;
    ws.merge_range(
        2,
        5,
        2,
        7,
        &format!("N° candidat : {}", s.number),
        &label(T, M, M, T),
    )?;
    ws.merge_range(
        3,
        0,
        3,
        4,
        &format!("Centre de formation : {}", s.centre),
        &label(M, T, T, T),
    )?;
    ws.write_with_format(
        3,
        5,
        "Option :",
        &boxed(
            arial(18.0)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            T,
            N,
            T,
            T,
        ),
    )?;
    for (col, name, right) in [(6u16, "SISR", N), (7u16, "SLAM", M)] {
        let mark = if s.option.as_deref() == Some(name) {
            OPTION_CHOSEN
        } else {
            OPTION_NOT_CHOSEN
        };
        ws.write_with_format(
            3,
            col,
            format!("{mark} {name}"),
            &label_center(N, right, T, T),
        )?;
    }
    ws.merge_range(
        4,
        0,
        4,
        7,
        &format!("Adresse URL du portfolio : {}", s.portfolio_url),
        &label(M, M, T, M),
    )?;

    Ok(())
}

/// Rows 6 and 7: the réalisation head (diagonal), the period (rotated), the competences
/// and their sub-competences.
fn write_column_heads(ws: &mut Worksheet, s: &Synthesis) -> Result<(), XlsxError> {
    use FormatBorder::{Medium as M, None as N, Thin as T};
    ws.set_row_height(5, 90.0)?;
    ws.set_row_height(6, 324.95)?;
    let corner = boxed(
        arial(12.0)
            .set_bold()
            .set_italic()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap(),
        M,
        T,
        M,
        M,
    )
    .set_border_diagonal(T)
    .set_border_diagonal_type(FormatDiagonalBorder::BorderDown);
    let corner_text = format!(
        "Compétences mises en œuvre{}Réalisations professionnelles\n(intitulé et liste des documents et productions associés)",
        "\n".repeat(22)
    );
    ws.merge_range(5, 0, 6, 0, &corner_text, &corner)?;
    let period_head = boxed(
        arial(12.0)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_rotation(90),
        T,
        T,
        M,
        M,
    );
    ws.merge_range(
        5,
        1,
        6,
        1,
        "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)",
        &period_head,
    )?;
    let last_col = 1 + s.competences.len() as u16;
    for (i, c) in s.competences.iter().enumerate() {
        let col = 2 + i as u16;
        let right = if col == last_col { M } else { T };
        let head = boxed(
            arial(12.0)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            T,
            right,
            M,
            T,
        );
        ws.write_with_format(5, col, &c.title, &head)?;
        let subs = c
            .subs
            .iter()
            .map(|s| format!("▸{s}"))
            .collect::<Vec<_>>()
            .join("\n");
        let list = boxed(
            arial(10.0)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            T,
            right,
            T,
            N,
        );
        ws.write_with_format(6, col, subs, &list)?;
    }

    Ok(())
}

/// The three sections with their rows (official blank rows, or more). Returns the last
/// row of the table.
fn write_sections(ws: &mut Worksheet, s: &Synthesis) -> Result<u32, XlsxError> {
    use FormatBorder::{Medium as M, Thin as T};
    let last_col = 1 + s.competences.len() as u16;
    let rows = layout(s);
    let table_end = rows.last().map_or(7, |r| r.last);
    let doc_format = arial(10.0);
    let title_format = arial(11.0).set_bold();
    // Data cell formats, built once: [inner row, last row of the table] (the last row
    // closes the table with a medium border), and for marks [inner column, column H].
    let bottoms = [T, M];
    let cell_a = bottoms.map(|bottom| {
        boxed(
            arial(11.0)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            M,
            T,
            T,
            bottom,
        )
    });
    // The official period cell does not wrap; "du JJ/MM/AA au JJ/MM/AA" is wider than
    // column B, so it wraps here to stay readable without changing the width.
    let cell_b = bottoms.map(|bottom| {
        let f = arial(11.0)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        boxed(f.set_text_wrap(), T, T, T, bottom)
    });
    // The X uses the 16-point format of the official first cell (C9) in every row, so
    // that it stays legible once the page is scaled to fit.
    let marks = bottoms.map(|bottom| {
        [T, M].map(|right| {
            let f = arial(16.0)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter);
            boxed(f, T, right, T, bottom)
        })
    });
    for (sec, place) in s.sections.iter().zip(&rows) {
        let first_section = place.title == 7;
        let head = boxed(
            arial(14.0)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            M,
            T,
            if first_section { M } else { T },
            T,
        );
        ws.set_row_height(place.title, 18.0)?;
        ws.merge_range(place.title, 0, place.title, last_col, &sec.title, &head)?;
        for r in place.first..=place.last {
            let last = usize::from(r == table_end);
            let (a, b) = (&cell_a[last], &cell_b[last]);
            let row = sec.rows.get((r - place.first) as usize);
            let height = row.map_or(39.95, row_height);
            ws.set_row_height(r, height)?;
            match row {
                Some(row) => {
                    if row.documents.is_empty() {
                        ws.write_with_format(r, 0, &row.title, a)?;
                    } else {
                        let docs: String =
                            row.documents.iter().map(|d| format!("\n– {d}")).collect();
                        ws.write_rich_string_with_format(
                            r,
                            0,
                            &[
                                (&title_format, row.title.as_str()),
                                (&doc_format, docs.as_str()),
                            ],
                            a,
                        )?;
                    }
                    ws.write_with_format(r, 1, &row.period, b)?;
                }
                None => {
                    ws.write_blank(r, 0, a)?;
                    ws.write_blank(r, 1, b)?;
                }
            }
            for i in 0..s.competences.len() {
                let col = 2 + i as u16;
                let mark = &marks[last][usize::from(col == last_col)];
                if row.is_some_and(|row| row.marks[i]) {
                    ws.write_with_format(r, col, "X", mark)?;
                } else {
                    ws.write_blank(r, col, mark)?;
                }
            }
        }
    }
    Ok(table_end)
}

fn page_setup(ws: &mut Worksheet) {
    const HALF_CM: f64 = 0.196_850_393_700_787_4; // inches
    ws.set_paper_size(9); // A4
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_center_horizontally(true);
    ws.set_print_center_vertically(true);
    ws.set_margins(
        HALF_CM,
        HALF_CM,
        HALF_CM,
        HALF_CM,
        0.511_811_023_622_047_2,
        0.511_811_023_622_047_2,
    );
}

/// Rows are as tall as the official ones, or taller when a title and its documents need it.
fn row_height(row: &crate::site::SynthRow) -> f64 {
    // Column A holds about 60 characters of 11-point bold Arial per line, 70 of 10-point.
    let lines = |text: &str, per_line: usize| text.chars().count().div_ceil(per_line).max(1);
    let n = lines(&row.title, 60) + row.documents.iter().map(|d| lines(d, 68)).sum::<usize>();
    // "du JJ/MM/AA au JJ/MM/AA" wraps to four lines of 11-point text in column B.
    let period = if row.period.is_empty() { 39.95 } else { 58.0 };
    (n as f64 * 14.0 + 8.0).max(period)
}

/// Write the table to `path` for `folio table`: atomically (a temporary file renamed
/// into place), with the user's usual permissions, and only over a table folio wrote
/// unless `force`. `sources` are the portfolio's folders, which it never writes into.
pub fn save(
    path: &Path,
    bytes: &[u8],
    sources: &crate::output::Sources,
    force: bool,
) -> Result<(), Vec<Diagnostic>> {
    let kind = crate::output::SingleFile {
        extension: "xlsx",
        what: "le tableau",
        example: "tableau.xlsx",
        guess: "un tableau fait à la main ?",
        opened_in: "Excel ou LibreOffice",
        is_ours: is_folio_table,
    };
    crate::output::save_file(path, bytes, sources, force, &kind)
}

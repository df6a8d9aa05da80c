//! The class recap workbook of `folio class`: one row per student with the dashboard's
//! columns, written with rust_xlsxwriter in the synthesis table's font (Arial). Missing
//! competences, tables and attestations are coloured by Excel's own conditional
//! formatting, so the colours follow if a teacher edits a cell.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use crate::class::{Presence, StudentReport, stages};
use crate::dashboard::presence_label;
use crate::diagnostic::Diagnostic;
use crate::referential::Referential;

/// Sheet name (31 characters at most in Excel).
pub const SHEET_NAME: &str = "Suivi de la classe";
/// Row of the column heads (0-based); students follow.
pub const HEAD_ROW: u32 = 1;

/// The column heads, in order: the recap and its tests share them.
pub fn heads(r: &Referential) -> Vec<String> {
    let mut h = vec!["Élève".to_owned(), "Dossier".into(), "Option".into()];
    h.extend(
        r.contexts
            .iter()
            .map(|c| format!("Réalisations {}", c.short)),
    );
    h.extend(r.competences.iter().map(|c| c.code.clone()));
    h.extend(["Erreurs".into(), "Avertissements".into(), "Tableau".into()]);
    h.extend(stages(r).iter().map(|c| format!("Attestation {}", c.short)));
    h.extend(["Site généré".into(), "Site publié".into()]);
    h
}

/// The workbook's bytes.
pub fn write(
    title: &str,
    r: &Referential,
    students: &[&StudentReport],
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    workbook(title, r, students).map_err(|e| {
        vec![
            Diagnostic::error(
                "class-internal",
                format!("écriture du récapitulatif de classe impossible : {e}"),
            )
            .hint("signalez ce problème aux développeurs de folio"),
        ]
    })
}

fn arial() -> Format {
    Format::new().set_font_name("Arial").set_font_size(10)
}

fn workbook(
    title: &str,
    r: &Referential,
    students: &[&StudentReport],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    ws.write_string_with_format(0, 0, title, &arial().set_bold().set_font_size(14))?;
    let heads = heads(r);
    let head = arial()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("D9E2EC")
        .set_border(FormatBorder::Thin);
    for (col, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW, col as u16, h, &head)?;
    }
    for (i, s) in students.iter().enumerate() {
        student_row(ws, HEAD_ROW + 1 + i as u32, r, s)?;
    }
    let last = HEAD_ROW + students.len().max(1) as u32;
    totals_row(ws, last + 2, r, students)?;
    colour_missing(ws, r, last)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(heads.len() as u16 - 1, 40)?;
    ws.set_row_height(HEAD_ROW, 30)?;
    ws.set_freeze_panes(HEAD_ROW + 1, 1)?;
    ws.autofilter(HEAD_ROW, 0, last, heads.len() as u16 - 1)?;
    wb.save_to_buffer()
}

fn student_row(
    ws: &mut Worksheet,
    row: u32,
    r: &Referential,
    s: &StudentReport,
) -> Result<(), XlsxError> {
    let cell = arial().set_border(FormatBorder::Thin);
    let center = cell.clone().set_align(FormatAlign::Center);
    let mut col = 0u16;
    let mut text = |ws: &mut Worksheet, v: &str, f: &Format| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, col, v, f)?;
        col += 1;
        Ok(())
    };
    text(ws, &s.name, &cell)?;
    text(ws, &s.folder, &cell)?;
    text(ws, s.option.as_deref().unwrap_or(""), &center)?;
    let mut numbers = s.per_context.clone();
    numbers.extend(&s.coverage);
    for n in numbers {
        // An unreadable portfolio has no counts, a partly read one no sure zero: "?"
        // rather than a misleading 0.
        if s.readable && (n > 0 || s.coverage_known()) {
            ws.write_number_with_format(row, col, n as f64, &center)?;
        } else {
            ws.write_string_with_format(row, col, "?", &center)?;
        }
        col += 1;
    }
    for n in [s.errors, s.warnings] {
        ws.write_number_with_format(row, col, n as f64, &center)?;
        col += 1;
    }
    let yes_no = |b: bool| if b { "oui" } else { "non" };
    let mut text = |ws: &mut Worksheet, v: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, col, v, &center)?;
        col += 1;
        Ok(())
    };
    text(ws, yes_no(s.table))?;
    for a in &s.attestations {
        text(ws, presence_label(*a))?;
    }
    text(ws, yes_no(s.site))?;
    if let Some(url) = &s.published_url {
        // A link when Excel accepts it, the address as text otherwise.
        if ws
            .write_url_with_text(row, col, url.as_str(), url.as_str())
            .is_err()
        {
            ws.write_string_with_format(row, col, url, &cell)?;
        }
    }
    debug_assert_eq!(col as usize + 1, heads(r).len());
    Ok(())
}

/// Under the students: how many miss each competence, the table, each attestation.
fn totals_row(
    ws: &mut Worksheet,
    row: u32,
    r: &Referential,
    students: &[&StudentReport],
) -> Result<(), XlsxError> {
    let bold = arial().set_bold();
    ws.write_string_with_format(row, 0, "Élèves concernés (manque)", &bold)?;
    let first_competence = 3 + r.contexts.len() as u16;
    for (i, _) in r.competences.iter().enumerate() {
        let n = students
            .iter()
            .filter(|s| s.coverage_known() && s.coverage[i] == 0)
            .count();
        ws.write_number_with_format(row, first_competence + i as u16, n as f64, &bold)?;
    }
    let table_col = first_competence + r.competences.len() as u16 + 2;
    let no_table = students.iter().filter(|s| !s.table).count();
    ws.write_number_with_format(row, table_col, no_table as f64, &bold)?;
    for (i, _) in stages(r).iter().enumerate() {
        let n = students
            .iter()
            .filter(|s| s.attestations.get(i) == Some(&Presence::Missing))
            .count();
        ws.write_number_with_format(row, table_col + 1 + i as u16, n as f64, &bold)?;
    }
    Ok(())
}

/// Red cells: a competence no réalisation mobilises, "non" for the table, an
/// attestation or the site.
fn colour_missing(ws: &mut Worksheet, r: &Referential, last: u32) -> Result<(), XlsxError> {
    let bad = Format::new()
        .set_background_color("FDE3E1")
        .set_font_color("8A1111")
        .set_bold();
    let first = HEAD_ROW + 1;
    let c0 = 3 + r.contexts.len() as u16;
    let c1 = c0 + r.competences.len() as u16 - 1;
    let zero = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo(0))
        .set_format(&bad);
    ws.add_conditional_format(first, c0, last, c1, &zero)?;
    let no = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo("non"))
        .set_format(&bad);
    let t0 = c1 + 3;
    let t1 = t0 + stages(r).len() as u16 + 1;
    ws.add_conditional_format(first, t0, last, t1, &no)?;
    Ok(())
}

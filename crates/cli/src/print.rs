//! Printing findings for people: coloured on a terminal, plain otherwise.

use std::collections::BTreeMap;

use folio_generator::{Diagnostic, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const GREEN: &str = "\x1b[1;32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn color(s: Severity) -> &'static str {
    match s {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => BLUE,
    }
}

/// One finding as `file:line:col: gravité[code]: message`, then its field and hint.
fn render(d: &Diagnostic) -> String {
    let mut s = String::new();
    if let Some(loc) = &d.location {
        s.push_str(&format!("{loc}: "));
    }
    s.push_str(&format!(
        "{}{}[{}]{RESET}: {}",
        color(d.severity),
        d.severity.label(),
        d.code,
        d.message
    ));
    if let Some(field) = &d.field {
        s.push_str(&format!("\n  {DIM}champ :{RESET} {field}"));
    }
    if let Some(url) = &d.url {
        s.push_str(&format!("\n  {DIM}adresse :{RESET} {url}"));
    }
    if let Some(hint) = &d.hint {
        s.push_str(&format!("\n  {GREEN}aide :{RESET} {hint}"));
    }
    s
}

fn one(d: &Diagnostic) {
    anstream::eprintln!("{}", render(d));
}

/// Errors and warnings in full, errors first; informations as a count.
pub(crate) fn diagnostics(diags: &[Diagnostic]) {
    let mut sorted: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    for d in sorted {
        one(d);
    }
}

/// As [`diagnostics`], plus a count of informations with a pointer to `folio check`.
pub(crate) fn findings_brief(diags: &[Diagnostic]) {
    diagnostics(diags);
    let infos = diags
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .count();
    if infos > 0 {
        anstream::eprintln!("{BLUE}i{RESET} {infos} information(s) : folio check pour le détail");
    }
}

/// `folio check`: the report on standard output (so that `folio check > rapport.txt`
/// keeps it), grouped by file, each finding as `file:line:col:` like `build` shows it,
/// then a summary line.
pub(crate) fn findings_grouped(diags: &[Diagnostic], strict: bool) {
    let mut groups: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        let key = d.location.as_ref().map_or_else(
            || "(portfolio)".to_owned(),
            |l| l.file.to_string_lossy().replace('\\', "/"),
        );
        groups.entry(key).or_default().push(d);
    }
    for (_, mut items) in groups {
        items.sort_by_key(|d| {
            (
                std::cmp::Reverse(d.severity),
                d.location.as_ref().and_then(|l| l.line),
            )
        });
        for d in items {
            anstream::println!("{}", render(d));
        }
        anstream::println!();
    }
    let (e, w, i) = folio_generator::check::summary(diags);
    let verdict = if e > 0 || (strict && w > 0) {
        format!("{RED}✘{RESET}")
    } else {
        format!("{GREEN}✔{RESET}")
    };
    anstream::println!(
        "{verdict} {e} erreur{}, {w} avertissement{}, {i} information{}{}",
        if e > 1 { "s" } else { "" },
        if w > 1 { "s" } else { "" },
        if i > 1 { "s" } else { "" },
        if strict {
            " (mode strict : les avertissements comptent comme des erreurs)"
        } else {
            ""
        }
    );
}

/// `folio check --format github`: one GitHub Actions workflow command per finding, so
/// that each appears on the student's file and line in GitHub's interface, then the
/// summary line.
pub(crate) fn github(diags: &[Diagnostic], strict: bool, command: &str) {
    for d in diags {
        println!("{}", github_line(d));
    }
    let (e, w, i) = folio_generator::check::summary(diags);
    println!(
        "{command} : {e} erreur(s), {w} avertissement(s), {i} information(s){}",
        if strict { " (mode strict)" } else { "" }
    );
}

/// `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub documents.
pub(crate) fn github_line(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = Vec::new();
    if let Some(loc) = &d.location {
        let file = loc.file.to_string_lossy().replace('\\', "/");
        props.push(format!("file={}", escape_property(&file)));
        if let Some(line) = loc.line {
            props.push(format!("line={line}"));
            if let Some(col) = loc.column {
                props.push(format!("col={col}"));
            }
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("folio {}", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(field) = &d.field {
        message.push_str(&format!(" (champ « {field} »)"));
    }
    if let Some(url) = &d.url {
        message.push_str(&format!(" ({url})"));
    }
    if let Some(hint) = &d.hint {
        message.push_str(&format!("\naide : {hint}"));
    }
    format!("::{command} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A closing line for a success.
pub(crate) fn success(msg: &str) {
    anstream::eprintln!("{GREEN}✔{RESET} {msg}");
}

/// A closing line for a failure.
pub(crate) fn failure(msg: &str) {
    anstream::eprintln!("{RED}✘{RESET} {msg}");
}

/// A warning line.
pub(crate) fn warn(msg: &str) {
    anstream::eprintln!("{YELLOW}!{RESET} {msg}");
}

//! Printing findings for people: coloured on a terminal, plain otherwise.

use folio_generator::{Diagnostic, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const GREEN: &str = "\x1b[1;32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Print findings to stderr, errors first.
pub(crate) fn diagnostics(diags: &[Diagnostic]) {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    for d in sorted {
        let color = match d.severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info => BLUE,
        };
        let mut head = String::new();
        if let Some(loc) = &d.location {
            head.push_str(&format!("{loc}: "));
        }
        anstream::eprintln!(
            "{head}{color}{}[{}]{RESET}: {}",
            d.severity.label(),
            d.code,
            d.message
        );
        if let Some(field) = &d.field {
            anstream::eprintln!("  {DIM}champ :{RESET} {field}");
        }
        if let Some(hint) = &d.hint {
            anstream::eprintln!("  {GREEN}aide :{RESET} {hint}");
        }
    }
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

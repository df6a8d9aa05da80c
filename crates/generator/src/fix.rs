//! `folio fix-encoding`: find files that are not clean UTF-8 (legacy code page, or
//! mojibake), show the repair, and apply it keeping a backup.

use std::path::{Path, PathBuf};

use crate::content::{is_ignored, rel_string};
use crate::text::{self, repair_mojibake};

/// Why a file needs repairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Saved in a legacy code page (read as this encoding).
    Legacy(&'static str),
    /// UTF-8 that was decoded with this code page and saved again.
    Mojibake(&'static str),
    /// Both: a legacy file whose text is also garbled.
    Both(&'static str, &'static str),
}

/// A file and its repair.
#[derive(Debug, Clone)]
pub struct Repair {
    /// The file, as given or relative to the folder scanned.
    pub file: PathBuf,
    /// What is wrong.
    pub problem: Problem,
    /// Changed lines: number, before, after.
    pub lines: Vec<(usize, String, String)>,
    /// The repaired file content, as bytes to write (UTF-8, original line endings and BOM).
    pub fixed: Vec<u8>,
}

/// Text files folio reads.
fn is_text_source(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "toml" | "html" | "css" | "txt" | "yml" | "yaml" | "csv")
    )
}

/// Scan a portfolio folder (its config, content, templates and static text files) or one file.
pub fn scan(path: &Path) -> Vec<Repair> {
    let mut files = Vec::new();
    if path.is_file() {
        files.push((path.to_owned(), path.to_owned()));
    } else {
        for entry in walkdir::WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !(is_ignored(&name)
                        || (e.depth() == 1 && crate::content::NOT_SOURCES.contains(&name.as_ref())))
            })
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() && is_text_source(entry.path()) {
                let rel = entry
                    .path()
                    .strip_prefix(path)
                    .unwrap_or(entry.path())
                    .to_owned();
                files.push((entry.path().to_owned(), rel));
            }
        }
    }
    files
        .into_iter()
        .filter_map(|(abs, rel)| std::fs::read(&abs).ok().and_then(|b| repair_bytes(&b, rel)))
        .collect()
}

/// The repair of one file's bytes, if it needs one.
pub fn repair_bytes(bytes: &[u8], file: PathBuf) -> Option<Repair> {
    let source = text::decode(bytes).ok()?;
    let repaired = repair_mojibake(&source.text);
    let problem = match (source.notes.legacy_encoding, &repaired) {
        (None, None) => return None,
        (Some(l), None) => Problem::Legacy(l),
        (None, Some((_, cp))) => Problem::Mojibake(cp),
        (Some(l), Some((_, cp))) => Problem::Both(l, cp),
    };
    let fixed_text = repaired
        .map(|(t, _)| t)
        .unwrap_or_else(|| source.text.clone());
    let lines = source
        .text
        .lines()
        .zip(fixed_text.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, a.to_owned(), b.to_owned()))
        .collect();
    let mut out = String::new();
    if source.notes.bom {
        out.push('\u{feff}');
    }
    out.push_str(&if source.notes.crlf {
        fixed_text.replace('\n', "\r\n")
    } else {
        fixed_text
    });
    Some(Repair {
        file,
        problem,
        lines,
        fixed: out.into_bytes(),
    })
}

/// Write a repair over the original, keeping the original as `NAME.bak` (or `.bak2`…).
/// Returns the backup's path.
pub fn apply(abs: &Path, repair: &Repair) -> std::io::Result<PathBuf> {
    let mut n = 1;
    let backup = loop {
        let suffix = if n == 1 {
            ".bak".to_owned()
        } else {
            format!(".bak{n}")
        };
        let candidate = PathBuf::from(format!("{}{suffix}", abs.display()));
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    std::fs::copy(abs, &backup)?;
    let dir = abs
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(abs)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &repair.fixed)?;
    tmp.persist(abs).map_err(|e| e.error)?;
    // A temporary file is private: the repaired file keeps the original's permissions.
    std::fs::set_permissions(abs, permissions)?;
    Ok(backup)
}

/// A short French description of the problem.
pub fn describe(p: &Problem) -> String {
    match p {
        Problem::Legacy(enc) => format!("fichier en {enc} (pas en UTF-8)"),
        Problem::Mojibake(cp) => {
            format!("texte mal encodé : de l'UTF-8 relu en {cp} puis réenregistré")
        }
        Problem::Both(enc, cp) => {
            format!("fichier en {enc}, et texte mal encodé (UTF-8 relu en {cp})")
        }
    }
}

/// Display path with `/`.
pub fn display(p: &Path) -> String {
    rel_string(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_endings_and_bom() {
        let r = repair_bytes(
            b"\xEF\xBB\xBFtitle: \xC3\x83\xC2\xA9t\xC3\x83\xC2\xA9\r\nok\r\n",
            "x.md".into(),
        )
        .unwrap();
        assert_eq!(r.fixed, "\u{feff}title: été\r\nok\r\n".as_bytes());
        assert_eq!(
            r.lines,
            vec![(1, "title: Ã©tÃ©".into(), "title: été".into())]
        );
    }

    #[test]
    fn legacy_files_become_utf8() {
        let r = repair_bytes(b"D\xe9ploiement", "x.md".into()).unwrap();
        assert_eq!(r.problem, Problem::Legacy("Windows-1252"));
        assert_eq!(r.fixed, "Déploiement".as_bytes());
    }

    #[test]
    fn clean_files_need_nothing() {
        assert!(repair_bytes("Épreuve E5 : « réalisations »".as_bytes(), "x.md".into()).is_none());
    }
}

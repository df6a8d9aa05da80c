//! `folio export --zip`: the offline copy in one archive to hand in or carry on a USB
//! key, named after the candidate (`portfolio-MARTIN-Lea-2026.zip`), the table at its root.

use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::output::Output;

/// The archive comment by which folio knows an archive it wrote (and may replace).
const COMMENT: &str = "Portfolio hors ligne écrit par folio : décompressez puis ouvrez index.html";

/// `portfolio-NOM-Prenom-2026.zip`: the candidate's name in ASCII (a name with accents
/// must survive every file system, mail attachment and exam platform), then the session.
pub fn zip_name(config: &Config) -> String {
    let mut parts = vec!["portfolio".to_owned()];
    let ascii = deunicode::deunicode(&config.candidate.name);
    parts.extend(
        ascii
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned),
    );
    if let Some(session) = config.candidate.session {
        parts.push(session.to_string());
    }
    format!("{}.zip", parts.join("-"))
}

/// The site as a zip archive, every file at its root (`index.html`, the table…).
pub fn zip_bytes(output: &Output) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error("output-write", format!("archive impossible à écrire : {e}"))
            .hint("signalez le problème avec le message ci-dessus")
    };
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.set_comment(COMMENT).map_err(|e| fail(&e))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(now())
        // Unix permissions whatever the platform: unzipped on Linux or macOS, files are
        // readable, as those of the table.
        .unix_permissions(0o644);
    for (path, file) in &output.files {
        let bytes = file.read().map_err(|e| fail(&crate::io_reason(&e)))?;
        zip.start_file(path.as_str(), options)
            .map_err(|e| fail(&e))?;
        zip.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    let cursor = zip.finish().map_err(|e| fail(&e))?;
    Ok(cursor.into_inner())
}

fn now() -> zip::DateTime {
    let t = jiff::Zoned::now().datetime();
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

/// Whether `path` is an archive folio wrote: its comment says so.
pub fn is_folio_zip(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    comment_of(file).is_some_and(|c| c == COMMENT.as_bytes())
}

fn comment_of(reader: impl Read + Seek) -> Option<Vec<u8>> {
    zip::ZipArchive::new(reader)
        .ok()
        .map(|z| z.comment().to_vec())
}

/// Write the archive at `path`, under the rules of every file folio writes.
pub fn save(
    path: &Path,
    bytes: &[u8],
    sources: &crate::output::Sources,
    force: bool,
) -> Result<(), Vec<Diagnostic>> {
    let kind = crate::output::SingleFile {
        extension: "zip",
        what: "l'archive",
        example: "portfolio.zip",
        guess: "une archive à vous ?",
        opened_in: "un autre programme",
        is_ours: is_folio_zip,
    };
    crate::output::save_file(path, bytes, sources, force, &kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str, session: &str) -> Config {
        let text = format!(
            "title = \"T\"\nbase_url = \"https://x.github.io/p/\"\n[candidate]\nname = \"{name}\"\n{session}"
        );
        Config::parse(&text, Path::new("portfolio.toml")).unwrap()
    }

    #[test]
    fn the_name_is_the_candidate_s_in_ascii() {
        assert_eq!(
            zip_name(&config("DUPONT Éloïse", "session = 2026\n")),
            "portfolio-DUPONT-Eloise-2026.zip"
        );
        assert_eq!(
            zip_name(&config("LE GOFF  Anne-Sophie", "")),
            "portfolio-LE-GOFF-Anne-Sophie.zip"
        );
        assert_eq!(zip_name(&config("", "")), "portfolio.zip");
    }

    #[test]
    fn an_archive_folio_wrote_is_known_by_its_comment() {
        let mut output = Output::default();
        output.put("index.html", "<p>x</p>");
        let bytes = zip_bytes(&output).unwrap();
        assert_eq!(comment_of(Cursor::new(bytes)).unwrap(), COMMENT.as_bytes());
        let mut other = zip::ZipWriter::new(Cursor::new(Vec::new()));
        other
            .start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let other = other.finish().unwrap().into_inner();
        assert!(comment_of(Cursor::new(other)).unwrap().is_empty());
    }
}

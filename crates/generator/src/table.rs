//! The official synthesis table (.xlsx). Filled in by the table issue.

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// The table as .xlsx bytes.
pub fn write(_site: &Site) -> Result<Vec<u8>, Vec<Diagnostic>> {
    Ok(Vec::new())
}

/// Write the table to `path` atomically (a temporary file renamed into place).
pub fn save(path: &std::path::Path, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let result = tempfile::NamedTempFile::new_in(dir).and_then(|mut tmp| {
        std::io::Write::write_all(&mut tmp, bytes)?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    });
    result.map_err(|e| {
        vec![
            Diagnostic::error(
                "output-write",
                format!("écriture impossible : {}", crate::io_reason(&e)),
            )
            .in_file(path)
            .hint("fermez le fichier s'il est ouvert dans Excel ou LibreOffice, puis relancez"),
        ]
    })
}

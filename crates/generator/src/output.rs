//! The built site in memory, and writing it to disk atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::theme::ThemeFile;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutFile {
    /// Generated content, shared: the dev server hands the same bytes to every
    /// snapshot and request without copying them.
    Bytes(std::sync::Arc<[u8]>),
    /// A file copied from the portfolio or a theme.
    Copy(ThemeFile),
}

impl OutFile {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            OutFile::Bytes(b) => Ok(std::borrow::Cow::Borrowed(&b[..])),
            OutFile::Copy(f) => f.read(),
        }
    }
}

/// The whole site: output path (relative, `/`-separated) → file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Files by path.
    pub files: BTreeMap<String, OutFile>,
}

impl Output {
    /// Add generated content.
    pub fn put(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let bytes: Vec<u8> = bytes.into();
        self.files.insert(path.into(), OutFile::Bytes(bytes.into()));
    }

    /// Write the site into `dest` so that a failure leaves the previous `dest` untouched:
    /// everything goes to a sibling folder first, which then replaces `dest`.
    pub fn write_atomically(&self, dest: &Path) -> Result<(), (PathBuf, std::io::Error)> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| (parent.to_owned(), e))?;
        let name = dest
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.folio-"))
            .tempdir_in(parent)
            .map_err(|e| (parent.to_owned(), e))?;
        for (rel, file) in &self.files {
            let path = staging.path().join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| (dir.to_owned(), e))?;
            }
            match file {
                OutFile::Bytes(b) => {
                    std::fs::write(&path, &b[..]).map_err(|e| (path.clone(), e))?
                }
                OutFile::Copy(ThemeFile::Disk(src)) => {
                    std::fs::copy(src, &path).map_err(|e| (src.clone(), e))?;
                }
                OutFile::Copy(ThemeFile::Embedded(b)) => {
                    std::fs::write(&path, b).map_err(|e| (path.clone(), e))?
                }
            }
        }
        let staged = staging.keep();
        // Swap: move the old output aside, move the new one in, then delete the old one.
        let old = parent.join(format!(".{name}.folio-old"));
        let _ = std::fs::remove_dir_all(&old);
        let had_old = dest.exists();
        if had_old {
            std::fs::rename(dest, &old).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged);
                (dest.to_owned(), e)
            })?;
        }
        if let Err(e) = std::fs::rename(&staged, dest) {
            if had_old {
                let _ = std::fs::rename(&old, dest);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err((dest.to_owned(), e));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

//! The built site in memory, and writing it to disk without ever losing a file.
//!
//! folio deletes or overwrites only what it wrote itself:
//! - the output folder must not be, contain or lie inside a source folder, nor be a file
//!   ([`check_destination`]);
//! - every output folder folio writes carries a manifest ([`MANIFEST`]) listing its
//!   files; an existing non-empty folder without one is refused unless `force`;
//! - files in the output folder that folio did not write (a `CNAME` added by hand, the
//!   rest of a `--force`d folder) are kept, hard-linked (or copied) into the new site;
//! - the new site is written to a sibling staging folder which then replaces the old
//!   one in two renames, so an error or a `kill -9` leaves the previous site whole; the
//!   next run restores it if needed and removes the staging folders of dead runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::theme::ThemeFile;

/// The list of files folio wrote in an output folder, one relative path per line.
pub const MANIFEST: &str = ".folio-manifest";
const MANIFEST_HEAD: &str =
    "# Fichiers écrits par folio dans ce dossier : folio ne supprime ou ne remplace que ceux-ci.";
/// Marks a staging folder while it is being filled.
const STAGING_MARK: &str = ".folio-staging";

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutFile {
    /// Generated content, shared: the dev server hands the same bytes to every
    /// snapshot and request without copying them.
    Bytes(std::sync::Arc<[u8]>),
    /// A file copied from the portfolio or a theme.
    Copy(ThemeFile),
    /// Already written to the staging folder of a [`Writer`] (a page of a build);
    /// its links and ids are in [`Output::scans`].
    Written,
}

impl OutFile {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            OutFile::Bytes(b) => Ok(std::borrow::Cow::Borrowed(&b[..])),
            OutFile::Copy(f) => f.read(),
            OutFile::Written => Err(std::io::Error::other("déjà écrit sur le disque")),
        }
    }
}

/// The whole site: output path (relative, `/`-separated) → file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Files by path.
    pub files: BTreeMap<String, OutFile>,
    /// What the checks need of pages already written ([`OutFile::Written`]).
    pub scans: std::collections::HashMap<String, crate::html::PageScan>,
}

/// Why the site could not be written. Nothing of the previous output was changed.
#[derive(Debug)]
pub enum WriteError {
    /// The destination is a source folder, contains one, lies inside one, or is a file.
    Unsafe {
        /// The destination as given.
        dest: PathBuf,
        /// Why, in French.
        reason: String,
        /// What to do, in French.
        hint: String,
    },
    /// An existing non-empty folder folio did not write, and no `force`.
    NotOurs {
        /// The destination.
        dest: PathBuf,
        /// A few of its entries, for the message.
        sample: Vec<String>,
        /// How many entries it has.
        count: usize,
    },
    /// Files folio did not write are where the new site puts files of its own.
    Conflict {
        /// The destination.
        dest: PathBuf,
        /// The paths in conflict.
        paths: Vec<String>,
    },
    /// An output path that would leave the output folder (a bug or a hostile name).
    BadPath(String),
    /// Another folio run is writing the same folder.
    Busy(PathBuf),
    /// The system refused a read or a write.
    Io(PathBuf, std::io::Error),
}

impl Output {
    /// Add generated content.
    pub fn put(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let bytes: Vec<u8> = bytes.into();
        self.files.insert(path.into(), OutFile::Bytes(bytes.into()));
    }

    /// Write the site into `dest`. On any error the previous `dest` is left as it was.
    /// `sources` are the folders folio reads (portfolio root, content, static,
    /// templates, themes): the destination may not be one of them, hold one, or lie in one.
    pub fn write_atomically(
        &self,
        dest: &Path,
        sources: &Sources,
        force: bool,
    ) -> Result<WriteOutcome, WriteError> {
        Writer::start(dest, sources, force)?.finish(self)
    }

    fn fill(&self, staging: &Path) -> Result<(), WriteError> {
        // In parallel: a site of a thousand pages is a thousand open/write/close.
        self.files.par_iter().try_for_each(|(rel, file)| {
            if matches!(file, OutFile::Written) {
                return Ok(());
            }
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
            }
            match file {
                OutFile::Written => {}
                OutFile::Bytes(b) => {
                    std::fs::write(&path, &b[..]).map_err(|e| WriteError::Io(path.clone(), e))?
                }
                OutFile::Copy(ThemeFile::Disk(src)) => {
                    copy_regular(src, &path)?;
                }
                OutFile::Copy(ThemeFile::Embedded(b)) => {
                    std::fs::write(&path, b).map_err(|e| WriteError::Io(path.clone(), e))?
                }
            }
            Ok(())
        })
    }
}

/// A site being written: the destination checked and locked, a staging folder that
/// receives pages as they are rendered (so a large site is never whole in memory),
/// then [`Writer::finish`] swaps it in. Dropped before that, it removes the staging
/// folder and the previous site stays as it was.
pub struct Writer {
    dest: PathBuf,
    parent: PathBuf,
    name: String,
    force: bool,
    previous: Previous,
    staging: Staging,
    /// Files of this build made from inputs with a fingerprint, for the manifest.
    made: std::sync::Mutex<Vec<(String, MadeFile)>>,
    // Released last (fields drop in order): no other run touches the folder meanwhile.
    _lock: Lock,
}

impl Writer {
    /// Check the destination (as [`Output::write_atomically`] does), lock it, and
    /// open a staging folder beside it.
    pub fn start(dest: &Path, sources: &Sources, force: bool) -> Result<Writer, WriteError> {
        check_destination(dest, sources)?;
        // From here on, a clean absolute path: "x/../public" must not create x/.
        let dest = resolved(dest);
        let parent = parent_of(&dest);
        std::fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        let name = dest
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let lock = Lock::take(&parent, &name)?;
        recover(&parent, &name, &dest);
        let previous = Previous::read(&dest)?;
        let staging = Staging::create(&parent, &name)?;
        Ok(Writer {
            dest,
            parent,
            name,
            force,
            previous,
            staging,
            made: std::sync::Mutex::default(),
            _lock: lock,
        })
    }

    /// The bytes of the file the previous build made at `rel` from inputs with this
    /// fingerprint, if it is still as that build wrote it (its hash in the manifest):
    /// the .xlsx of an unchanged table is not made again. The caller puts them in the
    /// new site as a new file, so nothing done to the old one afterwards reaches it.
    pub fn previous_made(&self, rel: &str, fingerprint: u128) -> Option<Vec<u8>> {
        let Previous::Ours(_, made) = &self.previous else {
            return None;
        };
        let file = made.0.get(rel).filter(|f| f.fingerprint == fingerprint)?;
        if !is_safe_relative(rel) || rel == MANIFEST {
            return None;
        }
        let (bytes, _) = read_regular(&self.dest.join(rel))?;
        (xxhash_rust::xxh3::xxh3_128(&bytes) == file.hash).then_some(bytes)
    }

    /// Note that the file just put at `rel` (these `bytes`) was made from inputs with
    /// this fingerprint: the manifest says so, for the next build's
    /// [`Writer::previous_made`].
    pub fn made_from(&self, rel: &str, fingerprint: u128, bytes: &[u8]) {
        let file = MadeFile {
            fingerprint,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        };
        if let Ok(mut made) = self.made.lock() {
            made.push((rel.to_owned(), file));
        }
    }

    /// Write one file of the new site now; the output then lists it as
    /// [`OutFile::Written`]. Safe to call from several threads.
    ///
    /// When the file it replaces is still the one `previous` describes and holds the
    /// same bytes, that very file joins the new site (a hard link): nothing is written,
    /// and deleting the old site then frees nothing.
    pub fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        previous: Option<&PagePrint>,
    ) -> Result<(), WriteError> {
        if !is_safe_relative(rel) || rel == MANIFEST {
            return Err(WriteError::BadPath(rel.to_owned()));
        }
        let path = self.staging.path.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
        }
        let old = self.dest.join(rel);
        if previous.is_some_and(|p| p.is_of(bytes) && p.still_at(&old))
            && std::fs::hard_link(&old, &path).is_ok()
        {
            // The path was checked, then linked: what was linked must still be a file
            // (Linux links a link itself, had one taken its place in between).
            if std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            {
                return Ok(());
            }
            // Never written through: the link is the old site's file.
            std::fs::remove_file(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| WriteError::Io(path, e))
    }

    /// Write the rest of `output`, keep the student's own files, and swap the new
    /// site in.
    pub fn finish(self, output: &Output) -> Result<WriteOutcome, WriteError> {
        for key in output.files.keys() {
            if !is_safe_relative(key) || key == MANIFEST {
                return Err(WriteError::BadPath(key.clone()));
            }
        }
        let (kept, listing) = self
            .previous
            .foreign_files(&self.dest, &output.files, self.force)?;
        crate::timings::mark("  foreign files walked");
        output.fill(&self.staging.path)?;
        crate::timings::mark("  filled");
        for (rel, is_dir) in &kept {
            keep_foreign(&self.dest.join(rel), &self.staging.path.join(rel), *is_dir)?;
        }
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()));
        let manifest: String = std::iter::once(MANIFEST_HEAD.to_owned())
            .chain(Made::lines(&made, output))
            .chain(output.files.keys().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        let m = self.staging.path.join(MANIFEST);
        std::fs::write(&m, manifest + "\n").map_err(|e| WriteError::Io(m, e))?;
        let Writer {
            dest,
            parent,
            name,
            staging,
            _lock,
            ..
        } = self;
        staging.swap_into(&dest, &parent, &name, &listing)
    }
}

/// What writing a site has to tell the user.
#[derive(Debug, Default)]
#[must_use]
pub struct WriteOutcome {
    /// The previous site's folder, left beside the new one: files added to it during
    /// the build could not take their place in the new site (a file of the new site at
    /// their path, or a link on the way), and are still in it.
    pub set_aside: Option<PathBuf>,
}

/// Copy a source file, refusing anything but a regular file (a FIFO would hang).
fn copy_regular(src: &Path, to: &Path) -> Result<(), WriteError> {
    let meta = std::fs::metadata(src).map_err(|e| WriteError::Io(src.to_owned(), e))?;
    if !meta.is_file() {
        return Err(WriteError::Io(
            src.to_owned(),
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "pas un fichier ordinaire"),
        ));
    }
    std::fs::copy(src, to).map_err(|e| WriteError::Io(src.to_owned(), e))?;
    Ok(())
}

/// A relative, `/`-separated path that stays inside the folder it is joined to.
pub fn is_safe_relative(key: &str) -> bool {
    !key.is_empty()
        && !key.contains(['\\', '\0', ':'])
        && !key.starts_with('/')
        && key
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// The folders a portfolio is made of: the output may not touch them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The portfolio root: the output may lie inside it (`public/`), never be or hold it.
    pub root: PathBuf,
    /// Folders the output may not be, hold, or lie inside (content, static, templates, themes, .git).
    pub folders: Vec<PathBuf>,
}

impl Sources {
    /// The usual folders of a portfolio at `root`, plus theme folders.
    pub fn of_portfolio(root: &Path, themes: &[PathBuf]) -> Sources {
        let mut folders: Vec<PathBuf> = [
            crate::content::CONTENT_DIR,
            crate::content::STATIC_DIR,
            crate::theme::TEMPLATES_DIR,
            ".git",
        ]
        .iter()
        .map(|d| root.join(d))
        .collect();
        folders.extend(themes.iter().cloned());
        Sources {
            root: root.to_owned(),
            folders,
        }
    }
}

/// The folder that holds `dest` (`.` for a bare name).
fn parent_of(dest: &Path) -> PathBuf {
    dest.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned()
}

/// An absolute, normalised form of `p`: symbolic links resolved in the part that exists,
/// `.` and `..` resolved by name in the rest.
pub fn resolved(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    let mut existing = true;
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if existing {
                    match out.canonicalize() {
                        Ok(real) => out = real,
                        Err(_) => existing = false,
                    }
                }
            }
        }
    }
    out
}

/// Refuse a destination that is a regular file, a link, a source folder, holds one or
/// lies inside one. Shared by `build` and `table`.
pub fn check_destination(dest: &Path, sources: &Sources) -> Result<(), WriteError> {
    let unsafe_dest = |reason: String, hint: &str| WriteError::Unsafe {
        dest: dest.to_owned(),
        reason,
        hint: hint.to_owned(),
    };
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if meta.file_type().is_symlink() {
            return Err(unsafe_dest(
                "c'est un lien symbolique".into(),
                "donnez le chemin réel du dossier de sortie",
            ));
        }
        if !meta.is_dir() {
            return Err(unsafe_dest(
                "c'est un fichier, pas un dossier".into(),
                "choisissez un dossier de sortie (par défaut : public/ dans le portfolio)",
            ));
        }
    }
    let out = resolved(dest);
    let root = resolved(&sources.root);
    if out == root || root.starts_with(&out) {
        return Err(unsafe_dest(
            format!(
                "il contient le portfolio lui-même ({})",
                sources.root.display()
            ),
            "le site doit aller dans un dossier à part, par exemple public/ (le défaut)",
        ));
    }
    for folder in &sources.folders {
        let f = resolved(folder);
        if out == f || out.starts_with(&f) || f.starts_with(&out) {
            return Err(unsafe_dest(
                format!(
                    "il contient ou touche un dossier de sources ({})",
                    folder.display()
                ),
                "le site doit aller dans un dossier à part, par exemple public/ (le défaut) : folio ne remplace jamais vos sources",
            ));
        }
    }
    Ok(())
}

/// A single file folio writes beside the portfolio (the table, the offline archive),
/// with the words of its messages.
pub struct SingleFile<'a> {
    /// Its extension, without the dot (`xlsx`).
    pub extension: &'a str,
    /// What it is, for messages (`le tableau`).
    pub what: &'a str,
    /// A file name to suggest (`tableau.xlsx`).
    pub example: &'a str,
    /// What an existing file folio did not write may be (`un tableau fait à la main ?`).
    pub guess: &'a str,
    /// The programs that may hold it open (`Excel ou LibreOffice`).
    pub opened_in: &'a str,
    /// Whether an existing file is one folio wrote (and may replace).
    pub is_ours: fn(&Path) -> bool,
}

/// Write one file atomically (a temporary file renamed into place), with the user's
/// usual permissions, never into a source folder, and only over a file folio wrote
/// unless `force`.
pub fn save_file(
    path: &Path,
    bytes: &[u8],
    sources: &Sources,
    force: bool,
    kind: &SingleFile<'_>,
) -> Result<(), Vec<crate::Diagnostic>> {
    use crate::Diagnostic;
    let refuse = |code: &'static str, msg: String, hint: String| {
        vec![Diagnostic::error(code, msg).in_file(path).hint(hint)]
    };
    let extension_ok = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(kind.extension));
    if !extension_ok {
        return Err(refuse(
            "output-unsafe",
            format!("{} doit être un fichier .{}", kind.what, kind.extension),
            format!(
                "donnez un nom qui finit par .{} : -o {}",
                kind.extension, kind.example
            ),
        ));
    }
    let dir = parent_of(path);
    let in_sources = sources
        .folders
        .iter()
        .any(|f| resolved(&dir).starts_with(resolved(f)));
    if in_sources {
        return Err(refuse(
            "output-unsafe",
            "fichier refusé : il est dans un dossier de sources (content/, static/, templates/, thème)".into(),
            format!("écrivez {} ailleurs, par exemple à la racine du portfolio (le défaut)", kind.what),
        ));
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(refuse(
                "output-unsafe",
                "ce chemin existe et n'est pas un fichier ordinaire".into(),
                "choisissez un autre nom de fichier".into(),
            ));
        }
        Ok(_) if !force && !(kind.is_ours)(path) => {
            return Err(refuse(
                "output-not-empty",
                format!(
                    "ce fichier existe et folio ne l'a pas écrit ({})",
                    kind.guess
                ),
                format!(
                    "choisissez un autre nom (-o nouveau.{}), ou relancez avec --force pour le remplacer",
                    kind.extension
                ),
            ));
        }
        _ => {}
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".folio-save-");
    // A temporary file is private (0600); the file gets the usual permissions of a new
    // file under the user's umask. Windows has no such mode bits.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let result = builder.tempfile_in(&dir).and_then(|mut tmp| {
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
            .hint(format!(
                "fermez le fichier s'il est ouvert dans {}, puis relancez",
                kind.opened_in
            )),
        ]
    })
}

/// What a build read of a page of the previous site: enough to tell, when it writes the
/// page again, whether the bytes are the same and the file unchanged since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePrint {
    len: u64,
    hash: u128,
    modified: std::time::SystemTime,
}

impl PagePrint {
    pub fn new(bytes: &[u8], modified: std::time::SystemTime) -> PagePrint {
        PagePrint {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
            modified,
        }
    }

    /// Whether `bytes` are the page's.
    fn is_of(&self, bytes: &[u8]) -> bool {
        self.len == bytes.len() as u64 && self.hash == xxhash_rust::xxh3::xxh3_128(bytes)
    }

    /// Whether `path` is still that page: a file (not a link) of the same length and
    /// modification time.
    fn still_at(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| {
            m.is_file() && m.len() == self.len && m.modified().ok() == Some(self.modified)
        })
    }
}

/// Files a build made from inputs it fingerprinted, as its manifest records them:
/// `# fait <fingerprint> <hash of the file> <path>`. Older folios read these lines as
/// comments. (No date: two builds of the same portfolio give the same manifest.)
#[derive(Debug, Default)]
struct Made(HashMap<String, MadeFile>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MadeFile {
    fingerprint: u128,
    hash: u128,
}

const MADE_TAG: &str = "# fait ";

impl Made {
    fn read(manifest: &str) -> Made {
        let parse = |line: &str| {
            let mut fields = line.strip_prefix(MADE_TAG)?.splitn(3, ' ');
            let fingerprint = u128::from_str_radix(fields.next()?, 16).ok()?;
            let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
            let rel = fields.next().filter(|r| is_safe_relative(r))?;
            Some((rel.to_owned(), MadeFile { fingerprint, hash }))
        };
        Made(manifest.lines().filter_map(parse).collect())
    }

    /// The manifest lines of the files this build made from fingerprinted inputs and
    /// still publishes.
    fn lines(made: &[(String, MadeFile)], output: &Output) -> Vec<String> {
        made.iter()
            .filter(|(rel, _)| output.files.contains_key(rel))
            .map(|(rel, f)| format!("{MADE_TAG}{:032x} {:032x} {rel}", f.fingerprint, f.hash))
            .collect()
    }
}

/// A file of the previous site, with what its handle says of it, if it is a regular
/// file of at most 64 MB: never read through a link, nor from a FIFO (which would hang
/// the build), whatever takes its place between looking and reading.
pub fn read_regular(path: &Path) -> Option<(Vec<u8>, std::fs::Metadata)> {
    use std::io::Read;
    const MAX: u64 = 64 * 1024 * 1024;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    #[cfg(not(unix))]
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX).read_to_end(&mut bytes).ok()?;
    Some((bytes, meta))
}

/// Paths relative to a folder, each with whether it is a folder.
type Listing = Vec<(String, bool)>;

/// [`Listing`] as paths, as the file system gives them.
type Tree = Vec<(PathBuf, bool)>;

/// What is in the destination before writing.
enum Previous {
    /// Nothing (absent or empty).
    Nothing,
    /// folio's output: the files it wrote (from its manifest), and the inputs some of
    /// them were made from.
    Ours(BTreeSet<String>, Made),
    /// An earlier folio's output, without a manifest: its generator tag gives it away.
    Legacy,
    /// A folder folio did not write.
    Foreign(Vec<String>, usize),
}

impl Previous {
    fn read(dest: &Path) -> Result<Previous, WriteError> {
        let entries = match std::fs::read_dir(dest) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect::<Vec<_>>(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Previous::Nothing),
            Err(e) => return Err(WriteError::Io(dest.to_owned(), e)),
        };
        if entries.is_empty() {
            return Ok(Previous::Nothing);
        }
        if let Ok(text) = read_small(&dest.join(MANIFEST)) {
            let files = text
                .lines()
                .filter(|l| !l.starts_with('#') && is_safe_relative(l))
                .map(str::to_owned)
                .collect();
            return Ok(Previous::Ours(files, Made::read(&text)));
        }
        let is_folio_page = read_small(&dest.join("index.html"))
            .is_ok_and(|t| t.contains("<meta name=\"generator\" content=\"folio\">"));
        if is_folio_page && dest.join(".nojekyll").is_file() {
            return Ok(Previous::Legacy);
        }
        let mut sample = entries.clone();
        sample.sort();
        sample.truncate(5);
        Ok(Previous::Foreign(sample, entries.len()))
    }

    /// Files and folders of `dest` folio did not write, to keep in the new site (or why
    /// writing is refused), and everything `dest` holds, folders first (what to delete
    /// once the new site has replaced it): one listing of the old site for both.
    fn foreign_files(
        &self,
        dest: &Path,
        new: &BTreeMap<String, OutFile>,
        force: bool,
    ) -> Result<(Listing, Listing), WriteError> {
        let ours: BTreeSet<String> = match self {
            Previous::Nothing => return Ok((Vec::new(), Vec::new())),
            Previous::Foreign(sample, count) if !force => {
                return Err(WriteError::NotOurs {
                    dest: dest.to_owned(),
                    sample: sample.clone(),
                    count: *count,
                });
            }
            Previous::Foreign(..) => BTreeSet::new(),
            Previous::Ours(files, _) => files.clone(),
            // Files the new site rewrites are the earlier folio's; anything else is kept.
            Previous::Legacy => new.keys().cloned().collect(),
        };
        let new_dirs: BTreeSet<String> = new
            .keys()
            .flat_map(|k| {
                k.match_indices('/')
                    .map(|(i, _)| k[..i].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut kept = Vec::new();
        let mut listing = Vec::new();
        let mut conflicts = Vec::new();
        for (path, is_dir) in list_tree(dest, Path::new(""), 0)? {
            let rel = crate::content::rel_string(&path);
            listing.push((rel.clone(), is_dir));
            if rel == MANIFEST || ours.contains(&rel) {
                continue;
            }
            if is_dir {
                if new.contains_key(&rel) {
                    conflicts.push(rel);
                } else if !new_dirs.contains(&rel) {
                    kept.push((rel, true));
                }
                continue;
            }
            if new_dirs.contains(&rel) {
                // A file of yours where the site needs a folder: never removed, even with force.
                conflicts.push(rel);
            } else if new.contains_key(&rel) {
                if !force {
                    conflicts.push(rel);
                }
            } else {
                kept.push((rel, false));
            }
        }
        if !conflicts.is_empty() {
            return Err(WriteError::Conflict {
                dest: dest.to_owned(),
                paths: conflicts,
            });
        }
        Ok((kept, listing))
    }
}

/// Levels of folders whose sub-folders are listed in parallel (an old site has a folder
/// per page under `realisations/`); deeper ones are walked in a loop, however deep.
const PARALLEL_LEVELS: usize = 2;

/// Everything under `root.join(rel)`, as paths relative to `root`, each folder before
/// its contents and by name (walkdir's sorted walk), links never followed. A folder that
/// vanishes meanwhile holds nothing.
fn list_tree(root: &Path, rel: &Path, level: usize) -> Result<Tree, WriteError> {
    if level >= PARALLEL_LEVELS {
        return walk_tree(root, rel);
    }
    let entries = read_sorted(&root.join(rel))?;
    let below = entries
        .par_iter()
        .map(|(name, is_dir)| match is_dir {
            true => list_tree(root, &rel.join(name), level + 1),
            false => Ok(Vec::new()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut listing = Vec::new();
    for ((name, is_dir), below) in entries.into_iter().zip(below) {
        listing.push((rel.join(name), is_dir));
        listing.extend(below);
    }
    Ok(listing)
}

/// [`list_tree`] in one thread, with a stack of its own (a user's folder may be deep).
fn walk_tree(root: &Path, rel: &Path) -> Result<Tree, WriteError> {
    let mut listing = Vec::new();
    let children = |dir: &Path| -> Result<Tree, WriteError> {
        let entries = read_sorted(&root.join(dir))?;
        Ok(entries
            .into_iter()
            .rev()
            .map(|(name, is_dir)| (dir.join(name), is_dir))
            .collect())
    };
    let mut stack = children(rel)?;
    while let Some((path, is_dir)) = stack.pop() {
        if is_dir {
            stack.extend(children(&path)?);
        }
        listing.push((path, is_dir));
    }
    Ok(listing)
}

/// A folder's entries by name, each with whether it is a folder (a link is not).
fn read_sorted(dir: &Path) -> Result<Vec<(std::ffi::OsString, bool)>, WriteError> {
    let io = |e| WriteError::Io(dir.to_owned(), e);
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut entries = read
        .map(|e| {
            let e = e?;
            Ok((e.file_name(), e.file_type()?.is_dir()))
        })
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(io)?;
    entries.sort();
    Ok(entries)
}

fn read_small(p: &Path) -> std::io::Result<String> {
    let meta = std::fs::metadata(p)?;
    if !meta.is_file() || meta.len() > 16 * 1024 * 1024 {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    std::fs::read_to_string(p)
}

/// Put a file or folder of the user's from the old output into the new one. A hard link
/// costs nothing and keeps the very same file; a copy where links are not possible.
fn keep_foreign(from: &Path, to: &Path, is_dir: bool) -> Result<(), WriteError> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |e| WriteError::Io(p, e)
    };
    if is_dir {
        return std::fs::create_dir_all(to).map_err(io(to));
    }
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let meta = std::fs::symlink_metadata(from).map_err(io(from))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(io(from))?;
        return make_symlink(&target, to).map_err(io(to));
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    if !meta.is_file() {
        return Err(WriteError::Io(
            from.to_owned(),
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "fichier spécial dans le dossier de sortie",
            ),
        ));
    }
    std::fs::copy(from, to).map(|_| ()).map_err(io(from))
}

#[cfg(unix)]
fn make_symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn make_symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(target, link)
}

/// `.NAME.folio-`: the prefix of every folder and file folio keeps beside an output.
fn sibling_prefix(name: &str) -> String {
    format!(".{name}.folio-")
}

/// A lock beside the output folder: two runs never write the same folder at once.
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    fn take(parent: &Path, name: &str) -> Result<Lock, WriteError> {
        let path = parent.join(format!("{}lock", sibling_prefix(name)));
        let file = File::create(&path).map_err(|e| WriteError::Io(path.clone(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(WriteError::Busy(path)),
            Err(std::fs::TryLockError::Error(e)) => Err(WriteError::Io(path, e)),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Undo what a run killed half-way left: put the previous site back if it was moved
/// aside and never replaced, and remove staging folders. Runs under the lock.
fn recover(parent: &Path, name: &str, dest: &Path) {
    let prefix = sibling_prefix(name);
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<(PathBuf, String)> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let rest = n.strip_prefix(&prefix)?.to_owned();
            Some((e.path(), rest))
        })
        .collect();
    stale.sort();
    for (path, rest) in stale {
        let is_old = rest.starts_with("old");
        let is_ours = path.join(MANIFEST).is_file()
            || path.join(STAGING_MARK).is_file()
            // Staging folders of folio 0.1: `.NAME.folio-XXXXXX`.
            || (rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
            || is_empty_dir(&path);
        if !is_ours {
            continue;
        }
        if is_old && !dest.exists() && path.join(MANIFEST).is_file() {
            // Killed between the two renames: the previous site comes back.
            let _ = std::fs::rename(&path, dest);
            continue;
        }
        remove_tree(&path);
    }
}

/// Delete a folder folio wrote, its files in parallel (an old site of ten thousand pages
/// is as many unlinks). Links are removed, never followed.
fn remove_tree(path: &Path) {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_file(path);
        return;
    }
    let listing = list_tree(path, Path::new(""), 0).unwrap_or_default();
    remove_listed(
        listing
            .into_iter()
            .map(|(rel, d)| (path.join(rel), d))
            .collect(),
    );
    // Whatever the listing missed.
    let _ = std::fs::remove_dir_all(path);
}

/// Delete what was listed of a folder (each folder before its contents): the files in
/// parallel, then the folders, children first.
fn remove_listed(listing: Tree) {
    let (dirs, files): (Vec<_>, Vec<_>) = listing.into_iter().partition(|(_, is_dir)| *is_dir);
    // A folder that became a link since it was listed: nothing is deleted through it
    // (the caller's last step, `remove_dir_all`, removes the link itself, never what it
    // points to).
    let not_folders: std::collections::HashSet<&Path> = dirs
        .par_iter()
        .filter(|(d, _)| !std::fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()))
        .map(|(d, _)| d.as_path())
        .collect();
    files.par_iter().for_each(|(f, _)| {
        if not_folders.is_empty() || !f.ancestors().any(|a| not_folders.contains(a)) {
            remove_file(f);
        }
    });
    // Deepest folders first; those of one depth in parallel.
    let mut by_depth: BTreeMap<usize, Vec<&Path>> = BTreeMap::new();
    for (d, _) in &dirs {
        by_depth.entry(d.components().count()).or_default().push(d);
    }
    for level in by_depth.values().rev() {
        level.par_iter().for_each(|d| {
            let _ = std::fs::remove_dir(d);
        });
    }
}

/// Delete a file; a read-only one too (Windows refuses to, and a copy of a read-only
/// document from `static/` is read-only).
fn remove_file(f: &Path) {
    let Err(_refused) = std::fs::remove_file(f) else {
        return;
    };
    #[cfg(windows)]
    if let Ok(meta) = std::fs::symlink_metadata(f)
        && meta.permissions().readonly()
    {
        let mut writable = meta.permissions();
        // Windows only: there it clears the read-only attribute, nothing more.
        #[allow(clippy::permissions_set_readonly_false)]
        writable.set_readonly(false);
        if std::fs::set_permissions(f, writable).is_ok() {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// After the listed files of the old site are deleted: move what appeared in it during
/// the build (its listing could not know it) into the new site, then delete the old
/// folder with whatever of folio's could not be deleted one by one (a locked file).
/// Something of the user's that cannot be placed (the new site has a file at its path,
/// or a link on the way) stays where it is, and so does the old folder: it is returned,
/// for the user to be told.
fn keep_leftovers(
    old: &Path,
    dest: &Path,
    listed: &std::collections::HashSet<&str>,
) -> Option<PathBuf> {
    if std::fs::remove_dir(old).is_ok() {
        return None;
    }
    let Ok(left) = list_tree(old, Path::new(""), PARALLEL_LEVELS) else {
        // Not listable: whatever is in it is not known to be folio's.
        return old.exists().then(|| old.to_owned());
    };
    let mut stays = false;
    for (rel, is_dir) in &left {
        if listed.contains(crate::content::rel_string(rel).as_str()) {
            continue;
        }
        let to = dest.join(rel);
        let placed = under_real_folders(dest, rel)
            && if *is_dir {
                std::fs::create_dir_all(&to).is_ok()
            } else {
                std::fs::symlink_metadata(&to).is_err()
                    && std::fs::rename(old.join(rel), &to).is_ok()
            };
        stays |= !placed;
    }
    if stays {
        return Some(old.to_owned());
    }
    let _ = std::fs::remove_dir_all(old);
    None
}

/// Whether every folder between `dest` and `rel` is a real folder or not there yet: a
/// link on the way would take a file outside the site.
fn under_real_folders(dest: &Path, rel: &Path) -> bool {
    rel.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .all(|a| match std::fs::symlink_metadata(dest.join(a)) {
            Ok(meta) => meta.is_dir(),
            Err(_) => true,
        })
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).is_ok_and(|mut rd| rd.next().is_none())
}

/// The folder the new site is written to before it replaces the old one.
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn create(parent: &Path, name: &str) -> Result<Staging, WriteError> {
        let prefix = sibling_prefix(name);
        // create_dir, not a temporary directory: the site gets the user's usual
        // permissions (umask), as any folder they make.
        for attempt in 0u32..100 {
            let path = parent.join(format!("{prefix}stage-{}", unique(attempt)));
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    let mark = path.join(STAGING_MARK);
                    std::fs::write(&mark, b"").map_err(|e| WriteError::Io(mark, e))?;
                    return Ok(Staging { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(WriteError::Io(path, e)),
            }
        }
        Err(WriteError::Io(
            parent.to_owned(),
            std::io::ErrorKind::AlreadyExists.into(),
        ))
    }

    /// Move the old site aside, the new one in, then delete the old one.
    /// `listing` is what the old site held when it was walked (relative paths, folders
    /// first): it is deleted without walking it again.
    fn swap_into(
        self,
        dest: &Path,
        parent: &Path,
        name: &str,
        listing: &Listing,
    ) -> Result<WriteOutcome, WriteError> {
        let _ = std::fs::remove_file(self.path.join(STAGING_MARK));
        let old = parent.join(format!("{}old-{}", sibling_prefix(name), unique(0)));
        let had_old = dest.exists();
        if had_old && let Err(e) = std::fs::rename(dest, &old) {
            return Err(WriteError::Io(dest.to_owned(), e));
        }
        if let Err(e) = std::fs::rename(&self.path, dest) {
            if had_old {
                let _ = std::fs::rename(&old, dest);
            }
            return Err(WriteError::Io(dest.to_owned(), e));
        }
        crate::timings::mark("  swapped");
        let mut written = WriteOutcome::default();
        if had_old {
            // Only folio's old files and links to the user's files (now also in the new
            // site). The manifest goes last: a run killed meanwhile leaves a folder the
            // next run still knows as folio's, and deletes.
            remove_listed(
                listing
                    .iter()
                    .filter(|(rel, _)| rel != MANIFEST)
                    .map(|(rel, d)| (old.join(rel), *d))
                    .collect(),
            );
            let _ = std::fs::remove_file(old.join(MANIFEST));
            let listed = listing.iter().map(|(rel, _)| rel.as_str()).collect();
            written.set_aside = keep_leftovers(&old, dest, &listed);
        }
        std::mem::forget(self);
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // An error before the swap: the half-written site goes, the old one stays.
        remove_tree(&self.path);
    }
}

/// A name part that no other run of this process or another uses at the same time.
fn unique(attempt: u32) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{:x}{:x}{:x}{attempt}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build that publishes `tableau.xlsx` made from `fingerprint`: the previous
    /// build's bytes when it can take them back, else `made`. The bytes published.
    fn build_table(dest: &Path, made: &[u8], fingerprint: u128) -> Vec<u8> {
        let w = Writer::start(dest, &Sources::default(), false).unwrap();
        let bytes = w
            .previous_made("tableau.xlsx", fingerprint)
            .unwrap_or_else(|| made.to_vec());
        w.put("tableau.xlsx", &bytes, None).unwrap();
        w.made_from("tableau.xlsx", fingerprint, &bytes);
        let mut output = Output::default();
        output.files.insert("tableau.xlsx".into(), OutFile::Written);
        assert_eq!(w.finish(&output).unwrap().set_aside, None);
        std::fs::read(dest.join("tableau.xlsx")).unwrap()
    }

    #[test]
    fn a_file_made_from_the_same_inputs_is_taken_back_while_it_is_as_folio_wrote_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("public");
        let table = dest.join("tableau.xlsx");
        assert_eq!(build_table(&dest, b"v1", 1), b"v1");
        assert_eq!(
            build_table(&dest, b"autre", 1),
            b"v1",
            "same inputs: taken back"
        );
        assert_eq!(
            build_table(&dest, b"v2", 2),
            b"v2",
            "other inputs: made again"
        );
        // Opened in Excel and saved: made again, never published as the student left it.
        std::fs::write(&table, b"saisi a la main").unwrap();
        assert_eq!(build_table(&dest, b"v2", 2), b"v2");
        // Same length, same time, other bytes: made again too.
        let modified = std::fs::metadata(&table).unwrap().modified().unwrap();
        std::fs::write(&table, b"v3").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&table)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(build_table(&dest, b"v2", 2), b"v2");
        assert_eq!(build_table(&dest, b"autre", 2), b"v2");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_fifo_in_place_of_a_made_file_is_never_read() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("public");
        let table = dest.join("tableau.xlsx");
        build_table(&dest, b"v1", 1);
        // A link to a file with the very bytes folio wrote: not followed, made again.
        let outside = tmp.path().join("ailleurs.xlsx");
        std::fs::rename(&table, &outside).unwrap();
        std::os::unix::fs::symlink(&outside, &table).unwrap();
        assert_eq!(build_table(&dest, b"v2", 1), b"v2");
        assert!(std::fs::symlink_metadata(&table).unwrap().is_file());
        assert_eq!(std::fs::read(&outside).unwrap(), b"v1");
        // A FIFO: the build neither waits for a writer nor fails.
        std::fs::remove_file(&table).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(&table)
            .status()
            .unwrap();
        assert!(fifo.success());
        let (done, wait) = std::sync::mpsc::channel();
        let at = dest.clone();
        std::thread::spawn(move || done.send(build_table(&at, b"v3", 1)).unwrap());
        let published = wait.recv_timeout(std::time::Duration::from_secs(20));
        assert_eq!(published.expect("the build hung on a FIFO"), b"v3");
    }

    #[test]
    fn manifest_lines_of_made_files_are_read_strictly() {
        let made = Made::read(&format!(
            "{MANIFEST_HEAD}\n# fait {:032x} {:032x} tableau de synthèse.xlsx\n# fait zz 1 a.xlsx\n# fait 1 1 ../dehors.xlsx\n# fait 1\ntableau de synthèse.xlsx\n",
            7u128, 9u128
        ));
        assert_eq!(made.0.len(), 1);
        assert_eq!(
            made.0["tableau de synthèse.xlsx"],
            MadeFile {
                fingerprint: 7,
                hash: 9
            }
        );
    }

    /// The old site is deleted from the listing of its walk; a folder of it replaced by
    /// a link in the meantime is not followed: what the link points to stays.
    #[cfg(unix)]
    #[test]
    fn deleting_a_listed_site_never_follows_a_folder_turned_link() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join("old");
        let outside = tmp.path().join("ailleurs");
        std::fs::create_dir_all(old.join("sous")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(old.join("sous/page.html"), "x").unwrap();
        std::fs::write(old.join("index.html"), "x").unwrap();
        std::fs::write(outside.join("page.html"), "à garder").unwrap();
        let listing = vec![
            (old.join("index.html"), false),
            (old.join("sous"), true),
            (old.join("sous/page.html"), false),
        ];
        std::fs::remove_dir_all(old.join("sous")).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("sous")).unwrap();
        remove_listed(listing);
        let new = tmp.path().join("new");
        std::fs::create_dir(&new).unwrap();
        let set_aside =
            keep_leftovers(&old, &new, &["index.html", "sous", "sous/page.html"].into());
        assert_eq!(set_aside, None);
        assert!(!old.exists());
        // The link took the place of a folder of folio's: removed, not followed, not kept.
        assert!(std::fs::symlink_metadata(new.join("sous")).is_err());
        assert_eq!(
            std::fs::read_to_string(outside.join("page.html")).unwrap(),
            "à garder"
        );
    }

    #[test]
    fn what_folio_could_not_delete_is_never_moved_into_the_new_site() {
        let tmp = tempfile::tempdir().unwrap();
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        std::fs::create_dir_all(old.join("documents")).unwrap();
        std::fs::create_dir_all(&new).unwrap();
        // Listed (folio's) but still there: a file another program held open.
        std::fs::write(old.join("documents/cr.pdf"), "pdf").unwrap();
        let set_aside = keep_leftovers(&old, &new, &["documents", "documents/cr.pdf"].into());
        assert_eq!(set_aside, None, "nothing of the user's was left");
        assert!(!new.join("documents").exists());
        assert!(!old.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_leftover_is_never_moved_through_a_link_of_the_new_site() {
        let tmp = tempfile::tempdir().unwrap();
        let (old, new, outside) = (
            tmp.path().join("old"),
            tmp.path().join("new"),
            tmp.path().join("ailleurs"),
        );
        std::fs::create_dir_all(old.join("docs")).unwrap();
        std::fs::create_dir_all(&new).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(old.join("docs/note.txt"), "à moi").unwrap();
        std::os::unix::fs::symlink(&outside, new.join("docs")).unwrap();
        assert_eq!(
            keep_leftovers(&old, &new, &Default::default()),
            Some(old.clone()),
            "the user is told where the note stayed"
        );
        assert!(!outside.join("note.txt").exists());
        assert_eq!(
            std::fs::read_to_string(old.join("docs/note.txt")).unwrap(),
            "à moi"
        );
    }

    #[test]
    fn a_deep_folder_is_listed_in_order_without_recursion() {
        let tmp = tempfile::tempdir().unwrap();
        let mut deep = tmp.path().to_owned();
        for _ in 0..200 {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(tmp.path().join("b.html"), "").unwrap();
        std::fs::create_dir_all(tmp.path().join("a/c")).unwrap();
        let listing = list_tree(tmp.path(), Path::new(""), 0).unwrap();
        let names: Vec<String> = listing
            .iter()
            .take(4)
            .map(|(p, _)| crate::content::rel_string(p))
            .collect();
        assert_eq!(names, ["a", "a/c", "b.html", "d"]);
        assert_eq!(listing.len(), 203);
        assert_eq!(walk_tree(tmp.path(), Path::new("")).unwrap(), listing);
    }

    #[test]
    fn a_page_print_holds_only_while_the_file_is_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let page = tmp.path().join("index.html");
        std::fs::write(&page, "<p>page</p>").unwrap();
        let read = std::fs::read(&page).unwrap();
        let print = PagePrint::new(&read, std::fs::metadata(&page).unwrap().modified().unwrap());
        assert!(print.is_of(b"<p>page</p>") && !print.is_of(b"<p>Page</p>"));
        assert!(print.still_at(&page));
        // Rewritten since it was read, with the same length: a new time.
        let later = std::fs::metadata(&page).unwrap().modified().unwrap()
            + std::time::Duration::from_secs(2);
        std::fs::write(&page, "<p>PAGE</p>").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&page)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(!print.still_at(&page));
        #[cfg(unix)]
        {
            let link = tmp.path().join("lien.html");
            let kept = tmp.path().join("garde.html");
            std::fs::write(&kept, "<p>page</p>").unwrap();
            let f = std::fs::File::options().write(true).open(&kept).unwrap();
            f.set_modified(print.modified).unwrap();
            std::os::unix::fs::symlink(&kept, &link).unwrap();
            assert!(print.still_at(&kept) && !print.still_at(&link));
        }
    }

    #[test]
    fn files_that_appear_in_the_old_site_during_a_build_move_to_the_new_one() {
        let tmp = tempfile::tempdir().unwrap();
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        for (dir, file, text) in [
            (&old, "index.html", "ancien"),
            (&old, "notes.txt", "à garder"),
            (&old, "docs/cr.pdf", "à garder aussi"),
            (&old, "vide/", ""),
            (&old, "page.html", "à moi"),
            (&new, "index.html", "nouveau"),
            (&new, "page.html", "nouveau"),
        ] {
            match file.strip_suffix('/') {
                Some(d) => std::fs::create_dir_all(dir.join(d)).unwrap(),
                None => {
                    std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
                    std::fs::write(dir.join(file), text).unwrap();
                }
            }
        }
        // The listing was made before notes.txt, docs/, vide/ and the user's page.html.
        remove_listed(vec![(old.join("index.html"), false)]);
        let set_aside = keep_leftovers(&old, &new, &["index.html"].into());
        assert_eq!(
            set_aside,
            Some(old.clone()),
            "the user is told where page.html is"
        );
        let read = |p: &str| std::fs::read_to_string(new.join(p)).unwrap();
        assert_eq!(read("index.html"), "nouveau");
        assert_eq!(read("notes.txt"), "à garder");
        assert_eq!(read("docs/cr.pdf"), "à garder aussi");
        assert!(new.join("vide").is_dir());
        // Where the new site has a file of the same name, the user's stays in the old folder.
        assert_eq!(read("page.html"), "nouveau");
        assert_eq!(
            std::fs::read_to_string(old.join("page.html")).unwrap(),
            "à moi"
        );
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_run_comes_back() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join(".public.folio-old-123");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(MANIFEST), "index.html\n").unwrap();
        std::fs::write(old.join("index.html"), "ancien site").unwrap();
        let stage = tmp.path().join(".public.folio-stage-456");
        std::fs::create_dir_all(&stage).unwrap();
        std::fs::write(stage.join(STAGING_MARK), "").unwrap();
        let dest = tmp.path().join("public");
        recover(tmp.path(), "public", &dest);
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "ancien site"
        );
        assert!(!old.exists() && !stage.exists());
    }

    #[test]
    fn safe_relative_paths() {
        for ok in ["index.html", "a/b.css", "realisations/x/index.html"] {
            assert!(is_safe_relative(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/x",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "C:x",
            "a\\b",
            "a/.",
            "..",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}

//! Watching the sources: native events where they work, polling where they do not
//! (WSL on a Windows drive, network folders), bursts folded into one rebuild.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use folio_generator::diagnostic::Diagnostic;
use folio_generator::project::{Project, Scope};
use notify::{EventKind, RecursiveMode};

use crate::state::{Event, Shared};
use crate::{Options, Report};

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct Watcher {
    _inner: Box<dyn notify::Watcher + Send>,
}

/// Start watching; returns the watcher and whether it polls.
pub(crate) fn start(
    opts: Options,
    shared: Arc<Shared>,
    project: Option<Project>,
) -> Result<(Watcher, bool), String> {
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    let poll = opts.poll.unwrap_or_else(|| needs_polling(&opts.root));
    let mut watcher: Box<dyn notify::Watcher + Send> = if poll {
        Box::new(poll_watcher(tx).map_err(|e| e.to_string())?)
    } else {
        match notify::recommended_watcher(tx.clone()) {
            Ok(w) => Box::new(w),
            // No native events here (inotify limit reached…): poll instead.
            Err(_) => Box::new(poll_watcher(tx).map_err(|e| e.to_string())?),
        }
    };
    watcher
        .watch(&opts.root, RecursiveMode::Recursive)
        .map_err(|e| format!("{}: {e}", opts.root.display()))?;
    // A class theme outside the portfolio is watched too.
    if let Some(p) = &project {
        for dir in p.watched() {
            if !dir.starts_with(&opts.root) && dir.exists() {
                let _ = watcher.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }
    std::thread::Builder::new()
        .name("folio-watch".into())
        .spawn(move || rebuild_loop(rx, opts, shared, project))
        .map_err(|e| e.to_string())?;
    Ok((Watcher { _inner: watcher }, poll))
}

fn poll_watcher(
    tx: std::sync::mpsc::Sender<notify::Result<notify::Event>>,
) -> notify::Result<crate::poll::Poller> {
    <crate::poll::Poller as notify::Watcher>::new(tx, notify::Config::default())
}

/// Native events do not cross from Windows into WSL (`/mnt/c/…`), nor arrive from
/// most network file systems.
fn needs_polling(root: &Path) -> bool {
    let abs = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let in_wsl = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .is_ok_and(|s| s.to_lowercase().contains("microsoft"));
    if in_wsl && abs.starts_with("/mnt/") {
        return true;
    }
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return false;
    };
    // The longest mount point containing the portfolio decides.
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, point, fs) = (f.next()?, f.next()?, f.next()?);
            abs.starts_with(point).then(|| (point.len(), fs.to_owned()))
        })
        .max_by_key(|(len, _)| *len)
        .is_some_and(|(_, fs)| {
            matches!(
                fs.as_str(),
                "nfs"
                    | "nfs4"
                    | "cifs"
                    | "smb3"
                    | "smbfs"
                    | "9p"
                    | "drvfs"
                    | "fuse.sshfs"
                    | "vboxsf"
            )
        })
}

/// Whether an event path can matter: not the output folder, not hidden or editor files.
fn relevant(root: &Path, p: &Path) -> bool {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    use folio_generator::content::{NOT_SOURCES, is_ignored};
    if NOT_SOURCES.contains(&first.as_str()) || is_ignored(&first) {
        return false;
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !is_ignored(&name)
}

fn collect(ev: notify::Result<notify::Event>, root: &Path, into: &mut Vec<PathBuf>) {
    let Ok(ev) = ev else { return };
    if matches!(ev.kind, EventKind::Access(_)) {
        return;
    }
    for p in ev.paths {
        if relevant(root, &p) && !into.contains(&p) {
            into.push(p);
        }
    }
}

fn rebuild_loop(
    rx: Receiver<notify::Result<notify::Event>>,
    opts: Options,
    shared: Arc<Shared>,
    mut project: Option<Project>,
) {
    let root = opts.root.canonicalize().unwrap_or(opts.root.clone());
    while let Ok(first) = rx.recv() {
        let mut paths = Vec::new();
        collect(first, &root, &mut paths);
        collect_more(&rx, &root, &mut paths, opts.debounce);
        if paths.is_empty() {
            continue;
        }
        let paths: Vec<PathBuf> = paths
            .into_iter()
            .map(|p| p.strip_prefix(&root).map(Path::to_owned).unwrap_or(p))
            .collect();
        let sources: Vec<String> = paths
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let started = Instant::now();
        let result = match project.as_mut() {
            Some(p) => p.apply(&paths).map(Some),
            // No good build yet: try a full one.
            None => Project::open(&opts.root, &opts.overrides).map(|p| {
                project = Some(p);
                None
            }),
        };
        match result {
            Ok(rebuild) => {
                let Some(p) = project.as_ref() else { continue };
                let scope = rebuild.as_ref().map_or(Scope::Full, |r| r.scope);
                if scope == Scope::Nothing {
                    continue;
                }
                let had_errors = shared.clear_errors();
                shared.publish(p, Vec::new());
                let (changed, css_only) = match &rebuild {
                    Some(r) => {
                        let mut c = r.changed.clone();
                        c.extend(r.removed.iter().cloned());
                        (c, r.css_only())
                    }
                    None => (p.output().files.keys().cloned().collect(), false),
                };
                // The new content is published before anyone is told to reload.
                if had_errors {
                    shared.send(Event::BuildOk);
                }
                if css_only {
                    shared.send(Event::Css {
                        paths: changed.clone(),
                    });
                } else if !changed.is_empty() || had_errors {
                    shared.send(Event::Reload {
                        paths: changed.clone(),
                    });
                }
                (opts.report)(Report::Rebuilt {
                    sources: sources.clone(),
                    scope,
                    changed: changed.len(),
                    millis: started.elapsed().as_secs_f64() * 1000.0,
                    // After a full rebuild (files added or removed, config), the dossier
                    // checks again: coverage may have changed. Not on the per-save path.
                    warnings: match (&rebuild, scope) {
                        (_, Scope::Full) => p.findings(),
                        (Some(r), _) => r.warnings.clone(),
                        (None, _) => Vec::new(),
                    },
                });
                // After the pages are served: the table, if the edit changed what it shows.
                if let Some(p) = project.as_mut()
                    && let Err(errors) = refresh_table(p, &shared)
                {
                    (opts.report)(Report::Failed { sources, errors });
                }
            }
            Err(errors) => {
                shared.fail(errors.clone());
                shared.send(Event::BuildError {
                    errors: errors.clone(),
                });
                (opts.report)(Report::Failed { sources, errors });
            }
        }
    }
}

/// Write the synthesis table an edit made stale, and serve it.
fn refresh_table(p: &mut Project, shared: &Shared) -> Result<(), Vec<Diagnostic>> {
    match p.refresh_table() {
        Ok(Some(_)) => shared.publish(p, Vec::new()),
        // Not stale, or written again the same.
        Ok(None) => shared.table_settled(),
        Err(errors) => {
            shared.table_settled();
            shared.fail(errors.clone());
            shared.send(Event::BuildError {
                errors: errors.clone(),
            });
            return Err(errors);
        }
    }
    Ok(())
}

/// Keep collecting until the folder has been quiet for `quiet` (editors save in
/// bursts: temporary file, rename, attributes), but never wait more than 250 ms.
fn collect_more(
    rx: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    paths: &mut Vec<PathBuf>,
    quiet: Duration,
) {
    let deadline = Instant::now() + Duration::from_millis(250);
    loop {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        match rx.recv_timeout(quiet.min(deadline - now)) {
            Ok(ev) => collect(ev, root, paths),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

//! Watching by polling, where the system sends no events (WSL on a Windows drive,
//! network folders). notify's own poller compares modification times in whole
//! seconds, so a second save within the same second went unseen; this one compares
//! full-precision times and sizes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use notify::{Event, EventHandler, EventKind, RecursiveMode, WatcherKind};

/// How often the folders are scanned.
pub(crate) const INTERVAL: Duration = Duration::from_millis(300);

type Stamp = (u64, Option<SystemTime>);

/// A poller; dropping it stops the scanning thread.
pub(crate) struct Poller {
    roots: Arc<Mutex<Vec<PathBuf>>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn scan(roots: &[PathBuf]) -> HashMap<PathBuf, Stamp> {
    let mut out = HashMap::new();
    for root in roots {
        let walker = walkdir::WalkDir::new(root).follow_links(false).into_iter();
        for e in walker.filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(folio_generator::content::is_ignored(&name)
                    || (e.depth() == 1
                        && folio_generator::content::NOT_SOURCES.contains(&name.as_ref())))
        }) {
            let Ok(e) = e else { continue };
            if let Ok(m) = e.metadata() {
                out.insert(e.path().to_owned(), (m.len(), m.modified().ok()));
            }
        }
    }
    out
}

impl notify::Watcher for Poller {
    fn new<F: EventHandler>(mut handler: F, _config: notify::Config) -> notify::Result<Self> {
        let roots: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (roots.clone(), stop.clone());
        std::thread::Builder::new()
            .name("folio-poll".into())
            .spawn(move || {
                let current =
                    |r: &Mutex<Vec<PathBuf>>| r.lock().map(|v| v.clone()).unwrap_or_default();
                let mut watched = current(&r);
                let mut seen = scan(&watched);
                while !s.load(Ordering::SeqCst) {
                    std::thread::sleep(INTERVAL);
                    let roots_now = current(&r);
                    let now = scan(&roots_now);
                    if roots_now != watched {
                        // A folder just added to the watch: its files are not changes.
                        (watched, seen) = (roots_now, now);
                        continue;
                    }
                    let mut changed: Vec<PathBuf> = now
                        .iter()
                        .filter(|(p, stamp)| seen.get(*p) != Some(stamp))
                        .map(|(p, _)| p.clone())
                        .collect();
                    changed.extend(seen.keys().filter(|p| !now.contains_key(*p)).cloned());
                    if !changed.is_empty() {
                        let mut ev = Event::new(EventKind::Any);
                        ev.paths = changed;
                        handler.handle_event(Ok(ev));
                    }
                    seen = now;
                }
            })
            .map_err(notify::Error::io)?;
        Ok(Poller { roots, stop })
    }

    fn watch(&mut self, path: &Path, _mode: RecursiveMode) -> notify::Result<()> {
        if let Ok(mut roots) = self.roots.lock() {
            roots.push(path.to_owned());
        }
        Ok(())
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        if let Ok(mut roots) = self.roots.lock() {
            roots.retain(|r| r != path);
        }
        Ok(())
    }

    fn kind() -> WatcherKind {
        WatcherKind::PollWatcher
    }
}

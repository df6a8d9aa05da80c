//! What the server serves, and the events it sends to browsers.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use folio_generator::Diagnostic;
use folio_generator::output::OutFile;
use folio_generator::project::Project;
use tokio::sync::{broadcast, watch};

/// An event for open browsers.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Reload the page: new content is ready.
    Reload { paths: Vec<String> },
    /// Only stylesheets changed: swap them.
    Css { paths: Vec<String> },
    /// The last build failed: show these errors.
    BuildError { errors: Vec<Diagnostic> },
    /// The source is fixed: hide the error overlay.
    BuildOk,
}

/// The site as served now.
pub(crate) struct Snapshot {
    pub(crate) files: Arc<BTreeMap<String, OutFile>>,
    /// Folders copied files may come from (canonical): the portfolio and its theme.
    pub(crate) allowed: Arc<Vec<std::path::PathBuf>>,
    pub(crate) base_path: String,
    pub(crate) errors: Vec<Diagnostic>,
}

/// State shared by the HTTP handlers and the watcher.
pub(crate) struct Shared {
    snapshot: RwLock<Snapshot>,
    events: broadcast::Sender<Event>,
    stop: watch::Sender<bool>,
    /// Changes on every start: a browser that sees a new one after reconnecting reloads.
    pub(crate) instance: String,
    /// Live-reload streams open now.
    pub(crate) streams: Arc<std::sync::atomic::AtomicUsize>,
    /// The synthesis table's output path while an edit left it to write (it is written
    /// once the pages are served); a request for it waits.
    stale_table: watch::Sender<Option<String>>,
}

impl Shared {
    pub(crate) fn new(root: &Path, overrides: &folio_generator::config::Overrides) -> Shared {
        // Read the base path even if the build fails, so URLs stay the same.
        let base_path = folio_generator::config::Config::load_with_lenient(root, overrides)
            .map(|(c, _)| c.base_path)
            .unwrap_or_else(|_| "/".into());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Shared {
            snapshot: RwLock::new(Snapshot {
                files: Arc::new(BTreeMap::new()),
                allowed: Arc::new(vec![
                    root.canonicalize().unwrap_or_else(|_| root.to_owned()),
                ]),
                base_path,
                errors: Vec::new(),
            }),
            events: broadcast::channel(64).0,
            stop: watch::channel(false).0,
            instance: format!("{nanos:x}-{}", std::process::id()),
            streams: Arc::default(),
            stale_table: watch::channel(None).0,
        }
    }

    pub(crate) fn base_path(&self) -> String {
        self.read().base_path.clone()
    }

    pub(crate) fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Serve a newly built site.
    pub(crate) fn publish(&self, project: &Project, errors: Vec<Diagnostic>) {
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        s.files = Arc::new(project.output().files.clone());
        s.allowed = Arc::new(
            project
                .watched()
                .iter()
                .filter_map(|p| p.canonicalize().ok())
                .chain(s.allowed.iter().take(1).cloned())
                .collect(),
        );
        s.base_path = project.site().config.base_path.clone();
        s.errors = errors;
        drop(s);
        self.stale_table.send_replace(
            project
                .table_stale()
                .then(|| project.site().config.table.file.clone()),
        );
    }

    /// The table is written (or could not be): requests for it stop waiting.
    pub(crate) fn table_settled(&self) {
        self.stale_table.send_replace(None);
    }

    /// Wait (at most 10 s) while `key` is the table an edit left to write.
    pub(crate) async fn wait_for_table(&self, key: &str) {
        let mut rx = self.stale_table.subscribe();
        let settled = async {
            loop {
                let pending = rx.borrow_and_update().as_deref() == Some(key);
                if !pending || rx.changed().await.is_err() {
                    return;
                }
            }
        };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), settled).await;
    }

    /// Record a failed build; the previous site stays served.
    pub(crate) fn fail(&self, errors: Vec<Diagnostic>) {
        self.snapshot
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .errors = errors;
    }

    pub(crate) fn clear_errors(&self) -> bool {
        let mut s = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
        let had = !s.errors.is_empty();
        s.errors.clear();
        had
    }

    pub(crate) fn send(&self, e: Event) {
        let _ = self.events.send(e);
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    pub(crate) fn shutdown(&self) {
        let _ = self.stop.send(true);
    }

    pub(crate) fn stop_receiver(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    pub(crate) fn shutdown_signal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.stop.subscribe();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    }
}

/// Diagnostics as JSON for the browser overlay.
pub(crate) fn errors_json(errors: &[Diagnostic]) -> serde_json::Value {
    serde_json::Value::Array(
        errors
            .iter()
            .map(|d| {
                serde_json::json!({
                    "code": d.code,
                    "severity": d.severity.label(),
                    "file": d.location.as_ref().map(|l| l.file.to_string_lossy().replace('\\', "/")),
                    "line": d.location.as_ref().and_then(|l| l.line),
                    "column": d.location.as_ref().and_then(|l| l.column),
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect(),
    )
}

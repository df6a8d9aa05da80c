//! `folio serve`: builds a portfolio in memory, serves it under the sub-path of its
//! `base_url` exactly as GitHub Pages will, watches the sources, rebuilds only what a
//! change needs, and tells open browsers to reload once the new content is ready.
//!
//! Requests are answered from the in-memory site only: a URL is looked up among the
//! site's output paths and never turned into a filesystem path, so no request can
//! read a file outside the site, whatever it contains (`..`, `%2e%2e`, `\`).

mod http;
mod listen;
mod poll;
mod state;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use folio_generator::Diagnostic;
use folio_generator::project::{Project, Scope};

pub use http::MAX_STREAMS;
pub use listen::{HEADER_TIMEOUT, MAX_CONNECTIONS};
pub use state::Event;
use state::Shared;

/// What the server reports, for the command line to print.
#[derive(Debug, Clone)]
pub enum Report {
    /// Listening; `requested` differs from `addr` when the requested port was busy.
    Listening {
        url: String,
        requested: u16,
        addr: SocketAddr,
        polling: bool,
    },
    /// A rebuild succeeded.
    Rebuilt {
        sources: Vec<String>,
        scope: Scope,
        changed: usize,
        millis: f64,
        warnings: Vec<Diagnostic>,
    },
    /// A rebuild failed; the previous site is still served.
    Failed {
        sources: Vec<String>,
        errors: Vec<Diagnostic>,
    },
    /// The watcher could not start; changes will not be seen.
    WatchError(String),
}

/// Settings of the dev server.
#[derive(Clone)]
pub struct Options {
    /// The portfolio's root.
    pub root: PathBuf,
    /// Preferred port; the next free one is used if it is busy.
    pub port: u16,
    /// Address to listen on (localhost by default).
    pub bind: IpAddr,
    /// Open the browser once listening.
    pub open: bool,
    /// Force polling (`Some(true)`), force native events (`Some(false)`), or decide (`None`).
    pub poll: Option<bool>,
    /// Quiet time that ends a burst of file events.
    pub debounce: Duration,
    /// Time a client has to send a request head before its connection is closed.
    pub header_timeout: Duration,
    /// Command-line settings over `portfolio.toml` (`--base-url`).
    pub overrides: folio_generator::config::Overrides,
    /// Where reports go.
    pub report: Arc<dyn Fn(Report) + Send + Sync>,
}

impl Options {
    /// Defaults: port 1111 on 127.0.0.1, 10 ms debounce, reports ignored.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            port: 1111,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
            poll: None,
            debounce: Duration::from_millis(10),
            header_timeout: listen::HEADER_TIMEOUT,
            overrides: Default::default(),
            report: Arc::new(|_| {}),
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// No free port near the requested one.
    Bind(std::io::Error),
    /// The folder holds no `portfolio.toml`: nothing to serve.
    NotAPortfolio(Box<Diagnostic>),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Bind(e) => write!(
                f,
                "impossible d'écouter sur le port demandé ni sur les suivants : {e}"
            ),
            StartError::NotAPortfolio(d) => f.write_str(&d.message),
        }
    }
}

impl std::error::Error for StartError {}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The site's URL on this server (with the sub-path).
    pub url: String,
    shared: Arc<Shared>,
    _watcher: Option<watch::Watcher>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Build, bind and start serving and watching. A build error does not stop the
    /// server: it serves an error page and shows the overlay until the source is fixed.
    pub async fn start(mut opts: Options) -> Result<Server, StartError> {
        // Events name absolute paths: compare them with an absolute root.
        if let Some(missing) = folio_generator::config::Config::missing_in(&opts.root) {
            return Err(StartError::NotAPortfolio(Box::new(missing)));
        }
        if let Ok(abs) = opts.root.canonicalize() {
            opts.root = abs;
        }
        // The first build runs off the async threads; spawn_blocking works on any runtime
        // (block_in_place would panic on a current-thread one).
        let (root, overrides) = (opts.root.clone(), opts.overrides.clone());
        let project = tokio::task::spawn_blocking(move || Project::open(&root, &overrides))
            .await
            .unwrap_or_else(|_| Err(Vec::new()));
        let shared = Arc::new(Shared::new(&opts.root, &opts.overrides));
        let project = match project {
            Ok(p) => {
                shared.publish(&p, Vec::new());
                (opts.report)(Report::Rebuilt {
                    sources: vec![],
                    scope: Scope::Full,
                    changed: p.output().files.len(),
                    millis: 0.0,
                    // The dossier checks too: shown, never blocking the preview.
                    warnings: p.findings(),
                });
                Some(p)
            }
            Err(errors) => {
                shared.fail(errors.clone());
                (opts.report)(Report::Failed {
                    sources: vec![],
                    errors,
                });
                None
            }
        };
        let (listener, addr) = bind(opts.bind, opts.port).await.map_err(StartError::Bind)?;
        let url = format!("http://{}{}", display_host(addr), shared.base_path());
        let (watcher, polling) = match watch::start(opts.clone(), shared.clone(), project) {
            Ok((w, polling)) => (Some(w), polling),
            Err(e) => {
                (opts.report)(Report::WatchError(e));
                (None, false)
            }
        };
        (opts.report)(Report::Listening {
            url: url.clone(),
            requested: opts.port,
            addr,
            polling,
        });
        let app = http::router(shared.clone(), http::Hosts::for_bind(opts.bind, addr));
        let shutdown = shared.shutdown_signal();
        let task = tokio::spawn(listen::serve(listener, app, shutdown, opts.header_timeout));
        if opts.open {
            let _ = open::that_detached(&url);
        }
        Ok(Server {
            addr,
            url,
            shared,
            _watcher: watcher,
            task,
        })
    }

    /// Subscribe to the events sent to browsers (for tests and benchmarks).
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.shared.subscribe()
    }

    /// Stop: close every live-reload stream and wait for the HTTP server to finish.
    pub async fn stop(self) {
        self.shared.shutdown();
        let _ = self.task.await;
    }
}

/// Run until Ctrl-C.
pub async fn serve(opts: Options) -> Result<(), StartError> {
    let server = Server::start(opts).await?;
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    Ok(())
}

async fn bind(ip: IpAddr, port: u16) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let mut last = None;
    for p in port..=port.saturating_add(20) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => {
                let addr = l.local_addr()?;
                return Ok((l, addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
        if port == 0 {
            break;
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("aucun port libre")))
}

fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        _ => addr.to_string(),
    }
}

//! `folio verify`: the HTTP client and progress bar around `folio_generator::verify`.
//!
//! ureq with rustls: a blocking client (no async runtime for a few dozen requests),
//! TLS in Rust with the ring provider, which builds with the C compiler every Windows
//! Rust user already has (MSVC build tools) and no CMake or NASM as aws-lc-rs would
//! need; Mozilla's root certificates are built in (nothing to find on the system).

use std::path::Path;
use std::time::Duration;

use folio_generator::verify::{Fetch, FetchError, Progress, Response};

/// Requests at once: quick on a school connection, gentle with GitHub Pages.
pub(crate) const JOBS: usize = 8;
/// The largest file read (a portfolio's document is at most a few megabytes).
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// ureq, with timeouts, the system's proxy settings and one retry.
pub(crate) struct Client {
    agent: ureq::Agent,
}

impl Client {
    pub(crate) fn new() -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .proxy(ureq::Proxy::try_from_env())
            .user_agent(format!("folio/{} (verify)", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
        }
    }

    fn once(&self, url: &str) -> Result<Response, FetchError> {
        let mut resp = self
            .agent
            .get(url)
            // Ask caches for the current version: the workflow verifies just after publishing.
            .header("Cache-Control", "no-cache")
            .call()
            .map_err(fetch_error)?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = if status == 200 {
            resp.body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(fetch_error)?
        } else {
            Vec::new()
        };
        Ok(Response {
            status,
            content_type,
            body,
        })
    }
}

impl Fetch for Client {
    fn get(&self, url: &str) -> Result<Response, FetchError> {
        match self.once(url) {
            // A dropped connection or a server error on a busy host: one more try.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(500));
                self.once(url)
            }
            Ok(r) if r.status >= 500 => {
                std::thread::sleep(Duration::from_millis(500));
                self.once(url)
            }
            ok => ok,
        }
    }
}

fn fetch_error(e: ureq::Error) -> FetchError {
    use ureq::Error;
    match e {
        Error::Timeout(_) => FetchError::Timeout,
        Error::HostNotFound => FetchError::Unreachable("nom de domaine introuvable".into()),
        Error::ConnectionFailed => FetchError::Unreachable("connexion refusée".into()),
        Error::Io(e) => io_error(&e),
        other => FetchError::Unreachable(other.to_string()),
    }
}

fn io_error(e: &std::io::Error) -> FetchError {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::TimedOut => return FetchError::Timeout,
        ErrorKind::ConnectionRefused => "connexion refusée".to_owned(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
            "connexion interrompue".to_owned()
        }
        ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => {
            "réseau inaccessible".to_owned()
        }
        // The resolver's failure comes as an "other" error with its own words.
        _ if e.to_string().contains("lookup") => "nom de domaine introuvable".to_owned(),
        _ => folio_generator::io_reason(e),
    };
    FetchError::Unreachable(why)
}

/// A progress bar on a terminal, nothing otherwise.
pub(crate) struct Bar(indicatif::ProgressBar);

impl Bar {
    pub(crate) fn new() -> Bar {
        let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} vérification {pos}/{len} adresses {wide_bar}",
        ) {
            bar.set_style(style);
        }
        Bar(bar)
    }

    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn add(&self, n: usize) {
        self.0.inc_length(n as u64);
    }
    fn done(&self) {
        self.0.inc(1);
    }
}

/// Output paths the site had before, as far as this computer knows: the last build's
/// manifest, and Markdown files and documents Git saw deleted or renamed.
pub(crate) fn old_paths(root: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    let manifest =
        folio_generator::build::default_output(root).join(folio_generator::output::MANIFEST);
    if let Ok(text) = std::fs::read_to_string(manifest) {
        paths.extend(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    paths.extend(git_removed(root).iter().filter_map(|p| output_path(p)));
    paths
}

/// Files under content/ and static/ that Git history shows deleted or renamed away.
fn git_removed(root: &Path) -> Vec<String> {
    let out = std::process::Command::new("git")
        .args(["-c", "core.quotepath=off", "log", "--relative", "--format="])
        .args([
            "--name-status",
            "-M",
            "--diff-filter=DR",
            "--",
            "content",
            "static",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split('\t').nth(1).map(str::to_owned))
        .collect()
}

/// Where a source file was published: `content/a/b.md` → `a/b/index.html`.
fn output_path(source: &str) -> Option<String> {
    if source.ends_with(".md") || source.ends_with(".markdown") {
        let url = folio_generator::content::url_of(Path::new(source));
        return Some(format!("{url}index.html"));
    }
    let inner = source
        .strip_prefix("content/")
        .or_else(|| source.strip_prefix("static/"))?;
    Some(folio_generator::slug::slugify_path(inner))
}

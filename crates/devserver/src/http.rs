//! HTTP: the site from memory under its sub-path, the live-reload stream and script.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use folio_generator::output::OutFile;
use folio_generator::theme::ThemeFile;
use futures_util::{Stream, StreamExt, stream};
use tokio_stream::wrappers::BroadcastStream;

use crate::state::{Event, Shared, errors_json};

/// Path of the live-reload script; outside any site path so it cannot clash.
pub(crate) const LIVE_JS: &str = "/__folio/live.js";
const EVENTS: &str = "/__folio/events";

pub(crate) fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    let hosts = Arc::new(hosts);
    Router::new()
        .route(LIVE_JS, get(live_js))
        .route(EVENTS, get(events))
        .fallback(get(site_file))
        .with_state(shared)
        .layer(axum::middleware::from_fn(move |req: Request, next: Next| {
            let hosts = hosts.clone();
            async move {
                let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
                if host.is_some_and(|h| !hosts.allows(h)) {
                    return (StatusCode::FORBIDDEN, "403 : nom d'hôte non autorisé (le serveur de folio ne répond qu'à localhost)\n").into_response();
                }
                next.run(req).await
            }
        }))
}

/// The `Host` names the server answers to. Bound to this computer (the default), only
/// its own names: a web page the student visits cannot reach the preview through a
/// name that resolves to 127.0.0.1 (DNS rebinding). Bound to the network with
/// `--bind`, any name.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    any: bool,
    bound: String,
}

impl Hosts {
    pub(crate) fn for_bind(bind: std::net::IpAddr, addr: std::net::SocketAddr) -> Hosts {
        Hosts {
            any: !bind.is_loopback(),
            bound: addr.ip().to_string(),
        }
    }

    pub(crate) fn allows(&self, host: &str) -> bool {
        if self.any {
            return true;
        }
        let host = host.trim().to_ascii_lowercase();
        // Drop the port: "[::1]:1111" → "::1", "localhost:1111" → "localhost".
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h),
        };
        let name = name.trim_end_matches('.');
        name == "localhost"
            || name.ends_with(".localhost")
            || name == self.bound
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        include_str!("live.js"),
    )
        .into_response()
}

fn sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload { paths } => SseEvent::default()
            .event("reload")
            .data(serde_json::json!({ "paths": paths }).to_string()),
        Event::Css { paths } => SseEvent::default()
            .event("css")
            .data(serde_json::json!({ "paths": paths }).to_string()),
        Event::BuildError { errors } => SseEvent::default()
            .event("build-error")
            .data(serde_json::json!({ "errors": errors_json(errors) }).to_string()),
        Event::BuildOk => SseEvent::default().event("build-ok").data("{}"),
    }
}

/// Live-reload streams open at once (one per browser tab); more are refused, so that a
/// misbehaving page cannot pile up streams.
pub const MAX_STREAMS: usize = 100;

/// Counts an open live-reload stream until it is dropped.
struct StreamSlot(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let open = shared.streams.clone();
    if open.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_STREAMS {
        open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "503 : trop d'onglets connectés au rechargement automatique\n",
        )
            .into_response();
    }
    let slot = StreamSlot(open);
    event_stream(shared, slot).into_response()
}

fn event_stream(
    shared: Arc<Shared>,
    slot: StreamSlot,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    // Subscribe before reading the state, so no event falls between the two.
    let rx = shared.subscribe();
    let hello = {
        let s = shared.read();
        serde_json::json!({ "server": shared.instance, "errors": errors_json(&s.errors) })
            .to_string()
    };
    let first = stream::once(async move {
        Ok(SseEvent::default()
            .event("hello")
            .retry(Duration::from_millis(500))
            .data(hello))
    });
    let updates = BroadcastStream::new(rx).filter_map(move |e| {
        // The slot lives as long as the stream.
        let _slot = &slot;
        let out = e.ok().map(|e| Ok(sse(&e)));
        async move { out }
    });
    let mut stop = shared.stop_receiver();
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    Sse::new(first.chain(updates).take_until(Box::pin(stopped))).keep_alive(KeepAlive::default())
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// An output path of the site.
    File(String),
    /// Redirect there (missing trailing slash, or the bare host).
    Redirect(String),
    /// An attempt to leave the site.
    Forbidden,
    /// Nothing there.
    NotFound,
}

/// Map a raw request path to an output path. Pure: it never touches the disk.
pub(crate) fn resolve(raw: &str, base: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    let Ok(path) = String::from_utf8(decoded) else {
        return Resolved::NotFound;
    };
    if path.contains('\\')
        || path.contains('\0')
        || path.split('/').any(|seg| seg == ".." || seg == ".")
    {
        return Resolved::Forbidden;
    }
    if path == base.trim_end_matches('/') && base != "/" {
        return Resolved::Redirect(base.to_owned());
    }
    let Some(rest) = path.strip_prefix(base) else {
        return if path == "/" {
            Resolved::Redirect(base.to_owned())
        } else {
            Resolved::NotFound
        };
    };
    let key = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_owned()
    };
    if exists(&key) {
        return Resolved::File(key);
    }
    if !rest.is_empty() && !rest.ends_with('/') && exists(&format!("{rest}/index.html")) {
        return Resolved::Redirect(format!("{base}{rest}/"));
    }
    // Nothing more: GitHub Pages answers 404 for a name the site does not publish
    // ("Cahier%20été.pdf" when the file is "cahier-ete.pdf"), so the preview does too.
    Resolved::NotFound
}

async fn site_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let (files, base, allowed) = {
        let s = shared.read();
        (s.files.clone(), s.base_path.clone(), s.allowed.clone())
    };
    if files.is_empty() {
        // The first build failed: a page that shows the overlay and reloads when fixed.
        let body = inject(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur de génération</title></head><body><h1>Erreur de génération</h1><p>Corrigez l'erreur indiquée ; la page se rechargera seule.</p></body></html>",
        );
        return (StatusCode::INTERNAL_SERVER_ERROR, html_headers(), body).into_response();
    }
    match resolve(uri.path(), &base, |k| files.contains_key(k)) {
        Resolved::File(key) => {
            // Asked for while an edit's table is being written: serve the new one.
            shared.wait_for_table(&key).await;
            let files = shared.read().files.clone();
            match files.get(&key) {
                Some(f) => file_response(StatusCode::OK, &key, f, &allowed).await,
                None => (StatusCode::NOT_FOUND, "404 : page introuvable\n").into_response(),
            }
        }
        Resolved::Redirect(to) => (
            StatusCode::PERMANENT_REDIRECT,
            [(
                header::LOCATION,
                HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/")),
            )],
        )
            .into_response(),
        Resolved::Forbidden => (StatusCode::FORBIDDEN, "403 : accès interdit\n").into_response(),
        Resolved::NotFound => match files.get("404.html") {
            Some(f) => file_response(StatusCode::NOT_FOUND, "404.html", f, &allowed).await,
            None => (StatusCode::NOT_FOUND, "404 : page introuvable\n").into_response(),
        },
    }
}

fn html_headers() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
    ]
}

async fn file_response(
    status: StatusCode,
    key: &str,
    file: &OutFile,
    allowed: &[std::path::PathBuf],
) -> Response {
    let bytes = match file {
        OutFile::Bytes(b) => b.to_vec(),
        OutFile::Copy(ThemeFile::Embedded(b)) => b.to_vec(),
        // Only a build writes pages as it renders; the dev server keeps them in memory.
        OutFile::Written => {
            return (StatusCode::NOT_FOUND, "404 : page non conservée\n").into_response();
        }
        OutFile::Copy(ThemeFile::Disk(p)) => {
            let p = p.clone();
            let allowed = allowed.to_vec();
            // The file may have been replaced by a link since the build: read it only if
            // it still resolves inside the portfolio or its theme.
            let read = move || {
                let real = p.canonicalize()?;
                if !allowed.iter().any(|root| real.starts_with(root)) {
                    return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
                }
                std::fs::read(real)
            };
            match tokio::task::spawn_blocking(read).await {
                Ok(Ok(b)) => b,
                _ => return (StatusCode::NOT_FOUND, "404 : fichier disparu\n").into_response(),
            }
        }
    };
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    if mime.essence_str() == "text/html" {
        let body = inject(&String::from_utf8_lossy(&bytes));
        return (status, html_headers(), body).into_response();
    }
    let ctype = if mime.type_() == "text" || key.ends_with(".xml") || key.ends_with(".js") {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    (
        status,
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "no-store".into()),
        ],
        bytes,
    )
        .into_response()
}

/// Add the live-reload script to a served page. Only served pages get it: `folio
/// build` output never contains it.
fn inject(html: &str) -> String {
    let tag = format!("<script src=\"{LIVE_JS}\" defer></script>");
    match html.rfind("</body>") {
        Some(i) => format!("{}{tag}\n{}", &html[..i], &html[i..]),
        None => format!("{html}{tag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(raw: &str) -> Resolved {
        let files = [
            "index.html",
            "parcours/index.html",
            "documents/attestation-ete.pdf",
            "style.css",
        ];
        resolve(raw, "/portfolio/", |k| files.contains(&k))
    }

    #[test]
    fn site_paths_under_the_sub_path() {
        assert_eq!(r("/portfolio/"), Resolved::File("index.html".into()));
        assert_eq!(
            r("/portfolio/parcours/"),
            Resolved::File("parcours/index.html".into())
        );
        assert_eq!(
            r("/portfolio/style.css"),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            r("/portfolio/documents/attestation-ete.pdf"),
            Resolved::File("documents/attestation-ete.pdf".into())
        );
        // Only the published names, as on GitHub Pages.
        assert_eq!(
            r("/portfolio/documents/Attestation%20%C3%A9t%C3%A9.pdf"),
            Resolved::NotFound
        );
    }

    #[test]
    fn redirects() {
        assert_eq!(r("/portfolio"), Resolved::Redirect("/portfolio/".into()));
        assert_eq!(r("/"), Resolved::Redirect("/portfolio/".into()));
        assert_eq!(
            r("/portfolio/parcours"),
            Resolved::Redirect("/portfolio/parcours/".into())
        );
    }

    #[test]
    fn traversal_is_forbidden_in_every_spelling() {
        for raw in [
            "/portfolio/../etc/passwd",
            "/portfolio/%2e%2e/%2e%2e/etc/passwd",
            "/portfolio/%2E%2E%2Fetc%2Fpasswd",
            "/portfolio/..%5c..%5cetc%5cpasswd",
            "/portfolio/docs\\..\\x",
            "/portfolio/./style.css",
            "/portfolio/a%00b",
        ] {
            assert_eq!(r(raw), Resolved::Forbidden, "{raw}");
        }
        assert_eq!(r("/etc/passwd"), Resolved::NotFound);
        assert_eq!(r("/portfolio/%252e%252e/x"), Resolved::NotFound);
    }
}

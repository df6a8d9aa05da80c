//! What no client can do to the dev server: reach it through another host name (DNS
//! rebinding), hold a connection without sending a request, pile up live-reload streams.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

use folio_devserver::{MAX_STREAMS, Options, Server};

fn example() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example-portfolio"),
        tmp.path(),
    );
    tmp
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == "public" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Status code of `GET path` sent with this Host header.
fn status_with_host(addr: SocketAddr, path: &str, host: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    s.read_exact(&mut head).unwrap();
    String::from_utf8_lossy(&head[9..12]).parse().unwrap()
}

fn start(tmp: &Path, rt: &tokio::runtime::Runtime) -> Server {
    let mut opts = Options::new(tmp);
    opts.port = 0;
    opts.header_timeout = Duration::from_millis(300);
    rt.block_on(Server::start(opts)).unwrap()
}

#[test]
fn only_local_host_names_are_answered() {
    let tmp = example();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = start(tmp.path(), &rt);
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("[::1]:{port}"),
        format!("portfolio.localhost:{port}"),
    ] {
        assert_eq!(
            status_with_host(server.addr, "/portfolio/", &host),
            200,
            "{host}"
        );
    }
    for host in [
        format!("attaquant.example:{port}"),
        "rebind.127.0.0.1.nip.io".to_owned(),
        "192.168.1.20".to_owned(),
        "localhost.attaquant.example".to_owned(),
    ] {
        assert_eq!(
            status_with_host(server.addr, "/portfolio/", &host),
            403,
            "{host}"
        );
        assert_eq!(
            status_with_host(server.addr, "/__folio/events", &host),
            403,
            "{host}"
        );
    }
    rt.block_on(server.stop());
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let tmp = example();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = start(tmp.path(), &rt);
    let mut idle: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    // Half a request head, never finished.
    idle[0]
        .write_all(b"GET /portfolio/ HTTP/1.1\r\nHost: loc")
        .unwrap();
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = Vec::new();
        // The server closes it: end of stream (after a 408 at most), never a read timeout.
        match s.read_to_end(&mut buf) {
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
        }
    }
    // The server still answers.
    assert_eq!(
        status_with_host(server.addr, "/portfolio/", "localhost"),
        200
    );
    rt.block_on(server.stop());
}

#[test]
fn live_reload_streams_are_capped() {
    let tmp = example();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = start(tmp.path(), &rt);
    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET /__folio/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut head = [0u8; 12];
        s.read_exact(&mut head).unwrap();
        assert_eq!(&head[9..12], b"200");
        open.push(s);
    }
    assert_eq!(
        status_with_host(server.addr, "/__folio/events", "localhost"),
        503
    );
    // Closing streams frees their places.
    drop(open);
    let mut tries = 0;
    while status_with_host(server.addr, "/__folio/events", "localhost") != 200 {
        tries += 1;
        assert!(tries < 100, "streams never freed");
        std::thread::sleep(Duration::from_millis(50));
    }
    rt.block_on(server.stop());
}

#[test]
fn starts_on_a_current_thread_runtime() {
    let tmp = example();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = start(tmp.path(), &rt);
    assert!(server.url.ends_with("/portfolio/"));
    rt.block_on(server.stop());
}

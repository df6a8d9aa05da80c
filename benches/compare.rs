//! folio against Hugo on the same pages, in the same run: wall time and peak memory of
//! whole processes (start to exit, output written to disk), medians, and ratios.
//!
//! Each size is measured twice: as a first build (no site in the output folder, nor
//! Hugo's `resources/`) and as a rebuild of an unchanged portfolio (the previous
//! site in place: folio reuses its highlighted code blocks).
//!
//! Run: `cargo bench --bench compare` (Hugo: `apt-get install hugo`). Environment:
//! `FOLIO_BENCH_SIZES` (default `1000,10000`), `FOLIO_BENCH_RUNS` (default 5),
//! `FOLIO_BENCH_DIR` (where the corpora and sites go; default the
//! system's temporary folder: `/dev/shm` measures without the disk). Runs of folio and Hugo alternate, after one warm-up each, so a
//! burst of load on the machine hits both. Numbers, not assertions: this is not a test.
//! `FOLIO_BENCH_WRITE=DIR` only writes the corpora (`DIR/folio-N`, `DIR/hugo-N`) for
//! profiling, e.g. `perf record -g target/release/folio build DIR/folio-1000`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "corpus.rs"]
mod corpus;

const FOLIO: &str = env!("CARGO_BIN_EXE_folio");

/// One measured process: wall milliseconds and peak resident memory in MB.
#[derive(Clone, Copy)]
struct Sample {
    wall_ms: f64,
    peak_mb: f64,
}

/// Run a command to completion, measuring its wall time and peak memory (`wait4`).
// The child is reaped by wait4, which std's Child does not know about.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Sample {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the command starts");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet reaped; status and usage outlive the call.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(pid > 0, "wait4 failed");
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let mut err = String::new();
        use std::io::Read;
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        panic!("{cmd:?} failed:\n{err}");
    }
    Sample {
        wall_ms,
        // Linux reports ru_maxrss in kilobytes.
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

struct Row {
    what: String,
    folio: Vec<Sample>,
    hugo: Vec<Sample>,
}

fn folio_build(dir: &Path) -> Command {
    let mut c = Command::new(FOLIO);
    c.arg("build").arg(dir);
    c
}

fn hugo_build(dir: &Path) -> Command {
    let mut c = Command::new("hugo");
    c.args(["--quiet", "--source"]).arg(dir);
    c
}

/// Alternate folio and Hugo `runs` times after one warm-up of each.
fn tempdir() -> tempfile::TempDir {
    match std::env::var_os("FOLIO_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir).unwrap(),
        None => tempfile::tempdir().unwrap(),
    }
}

/// Whether each run finds the previous run's site in place (a rebuild: folio then
/// reuses its highlighted code blocks) or starts without one (a first build).
#[derive(Clone, Copy, PartialEq)]
enum Start {
    Rebuild,
    First,
}

impl Start {
    fn label(self) -> &'static str {
        match self {
            Start::Rebuild => "reconstruction",
            Start::First => "première construction",
        }
    }

    /// Before a measured run: a first build finds no site (nor Hugo's caches).
    fn prepare(self, dir: &Path) {
        if self == Start::First {
            for out in ["public", "resources"] {
                let _ = std::fs::remove_dir_all(dir.join(out));
            }
        }
    }
}

fn compare(n: usize, runs: usize, hugo: bool, start: Start) -> Row {
    let f = tempdir();
    corpus::generate(f.path(), n);
    let h = tempdir();
    corpus::generate_hugo(h.path(), n);
    measure(&mut folio_build(f.path()));
    if hugo {
        measure(&mut hugo_build(h.path()));
    }
    let mut row = Row {
        what: format!("{n} réalisations, {}", start.label()),
        folio: Vec::new(),
        hugo: Vec::new(),
    };
    for _ in 0..runs {
        start.prepare(f.path());
        row.folio.push(measure(&mut folio_build(f.path())));
        if hugo {
            start.prepare(h.path());
            row.hugo.push(measure(&mut hugo_build(h.path())));
        }
    }
    row
}

fn example(runs: usize, start: Start) -> Row {
    let dir = tempdir();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-portfolio");
    corpus::copy_dir(&src, dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join("public"));
    measure(&mut folio_build(dir.path()));
    Row {
        what: format!("example-portfolio, {}", start.label()),
        folio: (0..runs)
            .map(|_| {
                start.prepare(dir.path());
                measure(&mut folio_build(dir.path()))
            })
            .collect(),
        hugo: Vec::new(),
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn hugo_version() -> Option<String> {
    let out = Command::new("hugo").arg("version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn cell(v: &[Sample], f: fn(&Sample) -> f64, unit: &str) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        format!("{:.0} {unit}", median(v.iter().map(f).collect()))
    }
}

fn ratio(a: &[Sample], b: &[Sample], f: fn(&Sample) -> f64) -> String {
    if a.is_empty() || b.is_empty() {
        "—".into()
    } else {
        let ra = median(a.iter().map(f).collect());
        let rb = median(b.iter().map(f).collect());
        format!("{:.2} ×", ra / rb)
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("FOLIO_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if let Ok(dir) = std::env::var("FOLIO_BENCH_WRITE") {
        for n in sizes {
            corpus::generate(&Path::new(&dir).join(format!("folio-{n}")), n);
            corpus::generate_hugo(&Path::new(&dir).join(format!("hugo-{n}")), n);
        }
        return;
    }
    let hugo = hugo_version();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine : {cores} cœurs ; {}",
        hugo.as_deref()
            .unwrap_or("hugo absent (apt-get install hugo) : pas de comparaison")
    );
    println!(
        "corpus : réalisations d'environ {} mots (titres, liste, tableau, lien, bloc de code bash)",
        corpus::words(1)
    );
    let mut rows = Vec::new();
    for start in [Start::First, Start::Rebuild] {
        rows.push(example(env_or("FOLIO_BENCH_RUNS", 21), start));
    }
    for n in sizes {
        let runs = env_or("FOLIO_BENCH_RUNS", 5);
        for start in [Start::First, Start::Rebuild] {
            eprintln!(
                "… {n} réalisations, {}, {runs} exécutions de chaque",
                start.label()
            );
            rows.push(compare(n, runs, hugo.is_some(), start));
        }
    }
    println!();
    println!(
        "| médianes | folio, durée | Hugo, durée | folio / Hugo | folio, mémoire max | Hugo, mémoire max | folio / Hugo |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let wall = |s: &Sample| s.wall_ms;
    let peak = |s: &Sample| s.peak_mb;
    for r in &rows {
        println!(
            "| {} ({} exécutions) | {} | {} | {} | {} | {} | {} |",
            r.what,
            r.folio.len(),
            cell(&r.folio, wall, "ms"),
            cell(&r.hugo, wall, "ms"),
            ratio(&r.folio, &r.hugo, wall),
            cell(&r.folio, peak, "Mo"),
            cell(&r.hugo, peak, "Mo"),
            ratio(&r.folio, &r.hugo, peak),
        );
    }
}

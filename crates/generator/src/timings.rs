//! Phase durations on stderr when `FOLIO_TIMINGS` is set: what a profile of the
//! build's wall time needs (perf shows CPU, not the waits between phases).

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("FOLIO_TIMINGS").map(|_| Instant::now()))
}

/// Print the time since the first mark, with what just ended.
pub fn mark(phase: &str) {
    if let Some(t) = start() {
        eprintln!("[{:>7.1} ms] {phase}", t.elapsed().as_secs_f64() * 1000.0);
    }
}

//! The versions of the crates that turn code into highlighted HTML, for the fingerprint
//! of a highlighted block (`src/highlight.rs`): a folio built with other grammars or
//! another syntect colours every block again instead of copying the old HTML forward.

use std::path::Path;

/// Crates whose version changes the HTML of a highlighted block.
const HIGHLIGHTERS: [&str; 3] = ["syntect", "two-face", "fancy-regex"];

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // The workspace's lock file; a packaged copy of this crate has none.
    let lock = Path::new(&dir).join("../../Cargo.lock");
    let stamp = match std::fs::read_to_string(&lock) {
        Ok(text) => {
            println!("cargo:rerun-if-changed=../../Cargo.lock");
            versions(&text)
        }
        // Unknown versions: this build's blocks are never taken for another build's.
        Err(_) => format!(
            "built {:?}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
        ),
    };
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=FOLIO_HIGHLIGHTERS={stamp}");
}

/// `syntect 5.3.0, two-face 0.5.1, …` from a Cargo.lock.
fn versions(lock: &str) -> String {
    let mut found = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|n| n.strip_suffix('"'))
        else {
            continue;
        };
        if HIGHLIGHTERS.contains(&name)
            && let Some(version) = lines.next().and_then(|v| v.strip_prefix("version = "))
        {
            found.push(format!("{name} {}", version.trim_matches('"')));
        }
    }
    found.join(", ")
}

//! The versions of the crates whose code shapes what folio writes, as stamps:
//! - `FOLIO_HIGHLIGHTERS`, the crates that turn code into highlighted HTML, for the
//!   fingerprint of a highlighted block (`src/highlight.rs`): a folio built with other
//!   grammars or another syntect colours every block again instead of copying the old
//!   HTML forward;
//! - `FOLIO_TABLE_WRITER`, the crates that write the .xlsx, for the fingerprint of a
//!   table (`src/table.rs`): another writer makes the table again.

use std::path::Path;

/// Crates whose version changes the HTML of a highlighted block.
const HIGHLIGHTERS: [&str; 3] = ["syntect", "two-face", "fancy-regex"];

/// Crates whose version changes the bytes of the .xlsx.
const TABLE_WRITER: [&str; 6] = [
    "rust_xlsxwriter",
    "zip",
    "zlib-rs",
    "flate2",
    "miniz_oxide",
    "crc32fast",
];

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // The workspace's lock file; a packaged copy of this crate has none.
    let lock = Path::new(&dir).join("../../Cargo.lock");
    let stamps = match std::fs::read_to_string(&lock) {
        Ok(text) => {
            println!("cargo:rerun-if-changed=../../Cargo.lock");
            [
                versions(&text, &HIGHLIGHTERS),
                versions(&text, &TABLE_WRITER),
            ]
        }
        // Unknown versions: this build's output is never taken for another build's.
        Err(_) => {
            let built = format!(
                "built {:?}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
            );
            [built.clone(), built]
        }
    };
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=FOLIO_HIGHLIGHTERS={}", stamps[0]);
    println!("cargo:rustc-env=FOLIO_TABLE_WRITER={}", stamps[1]);
}

/// `syntect 5.3.0, two-face 0.5.1, …` from a Cargo.lock.
fn versions(lock: &str, crates: &[&str]) -> String {
    let mut found = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|n| n.strip_suffix('"'))
        else {
            continue;
        };
        if crates.contains(&name)
            && let Some(version) = lines.next().and_then(|v| v.strip_prefix("version = "))
        {
            found.push(format!("{name} {}", version.trim_matches('"')));
        }
    }
    found.join(", ")
}

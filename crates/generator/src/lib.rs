//! folio's generator: a BTS SIO student's Markdown réalisations become a static
//! portfolio site and the official synthesis table, from one source of truth.
//!
//! Data flows one way: [`build::load`] reads `portfolio.toml` and `content/`,
//! validates them against the [`referential`], and gives a [`site::Site`];
//! [`render`] and [`table`] turn it into an in-memory [`output::Output`], which
//! [`output::Output::write_atomically`] puts on disk. The dev server runs the same
//! pipeline and serves the output from memory.

pub mod build;
pub mod check;
pub mod class;
pub mod config;
pub mod content;
pub mod dashboard;
pub mod date;
pub mod diagnostic;
pub mod export;
pub mod fix;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod init;
pub mod markdown;
pub mod offline;
pub mod output;
pub mod project;
pub mod recap;
pub mod referential;
pub mod render;
pub mod roster;
pub mod site;
pub mod slug;
pub mod table;
pub mod text;
pub mod theme;
pub mod theme_doc;
pub mod theme_toml;
pub mod timings;
pub mod verify;

pub use diagnostic::{Diagnostic, Location, Severity};

/// An I/O error in French, for messages.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier ou dossier introuvable".into(),
        std::io::ErrorKind::PermissionDenied => "accès refusé".into(),
        std::io::ErrorKind::AlreadyExists => "existe déjà".into(),
        std::io::ErrorKind::InvalidData => "contenu invalide".into(),
        _ => e.to_string(),
    }
}

//! `folio serve`: start the dev server and print one line per rebuild.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use folio_devserver::{Options, Report};
use folio_generator::project::Scope;

use crate::print;

pub(crate) fn run(
    dir: PathBuf,
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
    poll: bool,
    overrides: folio_generator::config::Overrides,
) -> ExitCode {
    let mut opts = Options::new(dir);
    opts.overrides = overrides;
    opts.port = port;
    opts.bind = bind;
    opts.open = open;
    opts.poll = poll.then_some(true);
    opts.report = Arc::new(report);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            print::failure(&format!("démarrage impossible : {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(folio_devserver::serve(opts)) {
        Ok(()) => {
            print::success("Serveur arrêté.");
            ExitCode::SUCCESS
        }
        Err(folio_devserver::StartError::NotAPortfolio(d)) => {
            print::diagnostics(&[*d]);
            ExitCode::FAILURE
        }
        Err(e) => {
            print::failure(&e.to_string());
            ExitCode::FAILURE
        }
    }
}

/// The time of day in the computer's time zone (France, for most students).
fn now() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

fn report(r: Report) {
    match r {
        Report::Listening {
            url,
            requested,
            addr,
            polling,
        } => {
            if requested != 0 && addr.port() != requested {
                print::warn(&format!(
                    "le port {requested} est occupé : utilisation du port {}",
                    addr.port()
                ));
            }
            if polling {
                print::warn("surveillance par scrutation (événements système indisponibles ici)");
            }
            print::success(&format!("Portfolio servi sur {url}  (Ctrl-C pour arrêter)"));
        }
        Report::Rebuilt {
            sources,
            scope,
            changed,
            millis,
            warnings,
        } => {
            print::findings_brief(&warnings);
            if warnings.iter().any(|d| d.is_error()) {
                print::warn(
                    "le dossier a des erreurs : l'aperçu est servi, mais folio build les refusera",
                );
            }
            if sources.is_empty() {
                print::success(&format!("Site généré en mémoire : {changed} fichiers"));
                return;
            }
            let what = match scope {
                Scope::Static => "fichier copié",
                Scope::Pages => "pages régénérées",
                Scope::Full => "site régénéré",
                Scope::Nothing => "rien à faire",
            };
            anstream::eprintln!(
                "[{}] {} → {what} ({changed} fichier{} modifié{}) en {millis:.0} ms",
                now(),
                sources.join(", "),
                if changed > 1 { "s" } else { "" },
                if changed > 1 { "s" } else { "" },
            );
        }
        Report::Failed { sources, errors } => {
            if !sources.is_empty() {
                anstream::eprintln!(
                    "[{}] {} → erreur, la dernière version réussie reste servie",
                    now(),
                    sources.join(", ")
                );
            }
            print::diagnostics(&errors);
        }
        Report::WatchError(e) => {
            print::warn(&format!("surveillance des fichiers impossible : {e}"))
        }
    }
}

//! `folio class`: the class overview's progress and summary around
//! `folio_generator::class`.

use std::path::PathBuf;
use std::process::ExitCode;

use folio_generator::class::{ClassOptions, Event, StudentReport};
use folio_generator::roster::Roster;

use crate::print;

/// Check and build every portfolio, write the class folder; the exit code says whether
/// any student has an error.
pub(crate) fn run(
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    force: bool,
    all: bool,
) -> ExitCode {
    let roster = match Roster::from_args(&paths) {
        Ok(r) => r,
        Err(diags) => {
            print::findings_brief(&diags);
            print::failure("Liste des portfolios illisible : rien n'a été écrit.");
            return ExitCode::from(2);
        }
    };
    let opts = ClassOptions {
        output: output.unwrap_or_else(|| roster.output.clone()),
        force,
        rebuild_all: all,
    };
    let progress = Progress::new();
    let result = folio_generator::class::run(&roster, &opts, &|e| progress.event(e));
    progress.finish();
    match result {
        Ok(report) => {
            print::findings_brief(&report.set_aside);
            let with_errors = report.students.iter().filter(|s| s.errors > 0).count();
            print::success(&format!(
                "Suivi de classe écrit dans {} : {} élève(s), {} avec des erreurs ({} régénéré(s), {} inchangé(s), {} ms)",
                report.output.display(),
                report.students.len(),
                with_errors,
                report.rebuilt,
                report.reused,
                report.duration.as_millis()
            ));
            anstream::eprintln!(
                "  ouvrez {} (aucun serveur nécessaire) ; récapitulatif : {}",
                report.output.join("index.html").display(),
                report
                    .output
                    .join(folio_generator::class::RECAP_FILE)
                    .display()
            );
            if report.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(diags) => {
            print::findings_brief(&diags);
            print::failure(
                "Le suivi de classe n'a pas été écrit en entier : chaque dossier ou fichier non écrit est resté tel qu'il était.",
            );
            ExitCode::FAILURE
        }
    }
}

/// A bar on a terminal; one plain line per student otherwise (logs, CI).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} portfolios {pos}/{len} {wide_bar}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar }
    }

    fn event(&self, e: Event<'_>) {
        match (e, &self.bar) {
            (Event::Started(n), Some(bar)) => bar.set_length(n as u64),
            (Event::Started(_), None) => {}
            (Event::Done(s, reused), Some(bar)) => {
                bar.println(line(s, reused));
                bar.inc(1);
            }
            (Event::Done(s, reused), None) => anstream::eprintln!("{}", line(s, reused)),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn line(s: &StudentReport, reused: bool) -> String {
    let mark = if s.errors > 0 { "✗" } else { "✓" };
    format!(
        "{mark} {} ({}) : {} erreur(s), {} avertissement(s){}",
        s.name,
        s.folder,
        s.errors,
        s.warnings,
        if reused { " — inchangé" } else { "" }
    )
}

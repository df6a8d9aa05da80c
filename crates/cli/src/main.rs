//! `folio`: the command line. It parses arguments, calls the libraries and prints;
//! no logic lives here.

mod print;
#[cfg(feature = "serve")]
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Portfolio BTS SIO : le site et le tableau de synthèse E5 depuis vos fiches Markdown",
    disable_help_subcommand = true,
    help_template = "{about}\n\nUsage : {usage}\n\nCommandes :\n{subcommands}\n\nOptions :\n{options}\n"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Génère le site et le tableau de synthèse dans DIR/public/
    Build {
        /// Dossier du portfolio (par défaut : le dossier courant)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Dossier de sortie (par défaut : DIR/public)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Sert le site en local et le recharge à chaque enregistrement
    #[cfg(feature = "serve")]
    Serve {
        /// Dossier du portfolio
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port (le suivant libre si celui-ci est occupé)
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Adresse d'écoute (127.0.0.1 : cet ordinateur seulement ; 0.0.0.0 : tout le réseau)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Ouvre le navigateur
        #[arg(long)]
        open: bool,
        /// Surveille les fichiers par scrutation (WSL sur un disque Windows, dossier réseau)
        #[arg(long)]
        poll: bool,
    },
    /// Écrit seulement le tableau de synthèse (.xlsx)
    Table {
        /// Dossier du portfolio
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Fichier à écrire (par défaut : DIR/tableau-de-synthese.xlsx)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { dir, output } => {
            match folio_generator::build::build(&dir, output.as_deref()) {
                Ok(report) => {
                    print::diagnostics(&report.warnings);
                    print::success(&format!(
                        "Site généré dans {} : {} pages, {} réalisations, {} fichiers ({} ms)",
                        report.output_dir.display(),
                        report.pages,
                        report.realisations,
                        report.files,
                        report.duration.as_millis()
                    ));
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print::diagnostics(&diags);
                    print::failure(
                        "Échec de la génération : le site précédent n'a pas été modifié.",
                    );
                    ExitCode::FAILURE
                }
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            dir,
            port,
            bind,
            open,
            poll,
        } => serve::run(dir, port, bind, open, poll),
        Command::Table { dir, output } => {
            let result = folio_generator::build::load(&dir).and_then(|loaded| {
                let bytes = folio_generator::table::write(&loaded.site)?;
                let path = output.unwrap_or_else(|| dir.join(&loaded.site.config.table.file));
                folio_generator::table::save(&path, &bytes)?;
                Ok((path, loaded))
            });
            match result {
                Ok((path, loaded)) => {
                    print::diagnostics(&loaded.warnings);
                    print::success(&format!(
                        "Tableau de synthèse écrit : {} ({} réalisations)",
                        path.display(),
                        loaded.site.realisations().count()
                    ));
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print::diagnostics(&diags);
                    print::failure("Le tableau n'a pas été écrit.");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

//! `folio theme`: for teachers who make a class theme. The logic lives in
//! `folio_generator::theme_doc`; this only prints.

use std::path::PathBuf;
use std::process::ExitCode;

use folio_generator::theme_doc;

use crate::print;

/// What `folio theme` does.
#[derive(clap::Subcommand)]
#[command(help_template = crate::COMMAND_HELP)]
pub(crate) enum ThemeCommand {
    /// Crée un thème de classe de départ (theme.toml, gabarit qui étend le thème intégré, feuille de style)
    #[command(help_template = crate::COMMAND_HELP)]
    New {
        /// Nom du thème (et de son dossier)
        #[arg(value_name = "NOM")]
        name: String,
        /// Dossier où le créer (par défaut : le dossier courant)
        #[arg(long, default_value = ".", hide_default_value = true)]
        dir: PathBuf,
    },
    /// Liste les thèmes intégrés
    #[command(help_template = crate::COMMAND_HELP)]
    List,
    /// Référence des gabarits, blocs, variables, fonctions et options (Markdown)
    #[command(help_template = crate::COMMAND_HELP)]
    Doc,
}

pub(crate) fn run(command: ThemeCommand) -> ExitCode {
    match command {
        ThemeCommand::New { name, dir } => match theme_doc::new_theme(&dir, &name) {
            Ok(files) => {
                for f in &files {
                    println!("  {}", folio_generator::fix::display(f));
                }
                let folder = files
                    .first()
                    .and_then(|f| f.parent())
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                print::success(&format!(
                    "thème « {folder} » créé ; chaque élève écrit dans son portfolio.toml : [theme] puis nom = \"../{folder}\" (chemin relatif à son portfolio)"
                ));
                ExitCode::SUCCESS
            }
            Err(d) => {
                print::diagnostics(&[d]);
                ExitCode::FAILURE
            }
        },
        ThemeCommand::List => {
            for (name, description) in theme_doc::list() {
                println!("{name:<10} {description}");
            }
            ExitCode::SUCCESS
        }
        ThemeCommand::Doc => {
            print!("{}", theme_doc::reference());
            ExitCode::SUCCESS
        }
    }
}

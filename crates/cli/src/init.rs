//! `folio init` and `folio new`: ask on a terminal, take flags otherwise, never wait
//! for input that cannot come (CI, pipes).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use folio_generator::init::{self, Answers, NewKind};

use crate::print;

/// Answers given as flags.
#[derive(clap::Args)]
pub(crate) struct Given {
    /// NOM de famille
    #[arg(long)]
    pub(crate) nom: Option<String>,
    /// Prénom
    #[arg(long)]
    pub(crate) prenom: Option<String>,
    /// Option du BTS : SISR ou SLAM
    #[arg(long)]
    pub(crate) option: Option<String>,
    /// Session de l'examen (année)
    #[arg(long)]
    pub(crate) session: Option<i32>,
    /// Centre de formation
    #[arg(long)]
    pub(crate) centre: Option<String>,
    /// Nom d'utilisateur GitHub
    #[arg(long)]
    pub(crate) github: Option<String>,
    /// Nom du dépôt GitHub (UTILISATEUR.github.io pour un site à la racine)
    #[arg(long)]
    pub(crate) depot: Option<String>,
}

fn interactive(refuse: bool) -> bool {
    !refuse && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

fn ask(prompt: &str, given: Option<String>, default: &str, asking: bool) -> String {
    if let Some(v) = given {
        return v;
    }
    if !asking {
        return default.to_owned();
    }
    dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .default(default.to_owned())
        .interact_text()
        .unwrap_or_else(|_| default.to_owned())
}

pub(crate) fn run(dir: PathBuf, given: Given, non_interactive: bool) -> ExitCode {
    let asking = interactive(non_interactive);
    let p = Answers::placeholders(today());
    // A wrong --option fails before any question; the questions follow the README's order.
    if let Some(o) = &given.option
        && !o.eq_ignore_ascii_case("sisr")
        && !o.eq_ignore_ascii_case("slam")
    {
        print::failure(&format!(
            "option « {o} » inconnue : SISR ou SLAM\n  aide : folio init --option SLAM"
        ));
        return ExitCode::from(2);
    }
    let nom = ask("NOM de famille", given.nom, &p.nom, asking);
    // « DUPONT Élodie » typed at the first question: Élodie is offered as the first name
    // (Enter used to keep « Prénom » and write « DUPONT ÉLODIE Prénom »).
    let (nom, offered) = match (init::split_full_name(&nom), &given.prenom) {
        (Some((family, first)), None) => (family, first),
        // `--nom "DUPONT Élodie" --prenom Élodie`: the first name is not written twice.
        (Some((family, first)), Some(p)) if first.to_lowercase() == p.trim().to_lowercase() => {
            (family, first)
        }
        _ => (nom, p.prenom.clone()),
    };
    let prenom = ask("Prénom", given.prenom, &offered, asking);
    let option = match (given.option, asking) {
        (Some(o), _) => o,
        (None, true) => {
            let choice = dialoguer::Select::new()
                .with_prompt("Option du BTS SIO")
                .items(["SISR", "SLAM"])
                .default(0)
                .interact()
                .unwrap_or(0);
            ["SISR", "SLAM"][choice].to_owned()
        }
        (None, false) => p.option.clone(),
    };
    let session = match given.session {
        Some(s) => s,
        None => ask("Session de l'examen", None, &p.session.to_string(), asking)
            .trim()
            .parse()
            .unwrap_or(p.session),
    };
    let centre = ask("Centre de formation", given.centre, &p.centre, asking);
    let github_user = ask(
        "Nom d'utilisateur GitHub",
        given.github,
        &p.github_user,
        asking,
    );
    let repo = ask(
        "Nom du dépôt GitHub (UTILISATEUR.github.io pour un site à la racine)",
        given.depot,
        &p.repo,
        asking,
    );
    let answers = Answers {
        nom,
        prenom,
        option,
        session,
        centre,
        github_user,
        repo,
    };
    match init::init(&dir, &answers, today()) {
        Ok(report) => {
            for kept in &report.kept {
                print::warn(&format!(
                    "{} existe déjà : gardé tel quel",
                    folio_generator::fix::display(kept)
                ));
            }
            if report.written.is_empty() {
                print::success(&format!(
                    "Rien à créer : le portfolio de {} est déjà complet (aucun fichier modifié).",
                    dir.display()
                ));
                return ExitCode::SUCCESS;
            }
            print::success(&format!(
                "Portfolio créé dans {} : {} fichier(s) écrit(s), {} gardé(s). Adresse prévue : {}",
                dir.display(),
                report.written.len(),
                report.kept.len(),
                init::base_url(&answers.github_user, &answers.repo)
            ));
            let placeholders: Vec<&str> = [
                (&answers.nom, &p.nom),
                (&answers.prenom, &p.prenom),
                (&answers.centre, &p.centre),
                (&answers.github_user, &p.github_user),
            ]
            .into_iter()
            .filter(|(given, placeholder)| given == placeholder)
            .map(|(_, placeholder)| placeholder.as_str())
            .collect();
            if !placeholders.is_empty() {
                print::warn(&format!(
                    "à remplacer dans portfolio.toml et les pages : {}",
                    placeholders.join(", ")
                ));
            }
            let shown = dir.display().to_string();
            let arg = if shown.contains(' ') {
                format!("\"{shown}\"")
            } else {
                shown
            };
            anstream::eprintln!(
                "  Ensuite : folio serve {arg} (aperçu), folio check {arg} (vérifications)"
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            print::diagnostics(&[d]);
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn new(
    dir: PathBuf,
    realisation: bool,
    title: String,
    contexte: Option<String>,
) -> ExitCode {
    let kind = if realisation {
        NewKind::Realisation
    } else {
        NewKind::Page
    };
    // Outside a portfolio, say so before asking anything.
    if let Some(missing) = folio_generator::config::Config::missing_in(&dir) {
        print::diagnostics(&[missing]);
        return ExitCode::FAILURE;
    }
    let contexts = ["formation", "stage-1", "stage-2"];
    let context = match contexte {
        Some(c) => c,
        None if realisation && interactive(false) => {
            let choice = dialoguer::Select::new()
                .with_prompt("Contexte de la réalisation")
                .items(contexts)
                .default(0)
                .interact()
                .unwrap_or(0);
            contexts[choice].to_owned()
        }
        None => "formation".to_owned(),
    };
    match init::new_file(&dir, kind, &title, &context, today()) {
        Ok(rel) => {
            print::success(&format!(
                "{} créé{}",
                folio_generator::fix::display(&dir.join(&rel)),
                if realisation {
                    " (brouillon : passez draft à false quand la fiche est prête)"
                } else {
                    ""
                }
            ));
            ExitCode::SUCCESS
        }
        Err(d) => {
            print::diagnostics(&[d]);
            ExitCode::FAILURE
        }
    }
}

//! `folio`: the command line. It parses arguments, calls the libraries and prints;
//! no logic lives here.

mod class;
mod init;
mod print;
#[cfg(feature = "serve")]
mod serve;
mod theme;
#[cfg(feature = "verify")]
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use folio_generator::config::Overrides;
use folio_generator::{Diagnostic, Severity, build, check, fix};

/// A build allocates for every page at once on every core: see Cargo.toml.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Portfolio BTS SIO : le site et le tableau de synthèse E5 depuis vos fiches Markdown",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    subcommand_value_name = "COMMANDE",
    help_template = "{about}\n\nUsage : {usage}\n\nCommandes :\n{subcommands}\n\nOptions :\n{options}\n"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Affiche l'aide
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Affiche la version
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    /// Une réalisation, dans content/realisations/
    Realisation,
    /// Une page, dans content/
    Page,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Pour les personnes : groupé par fichier, en couleur dans un terminal
    #[value(alias = "text")]
    Texte,
    /// Pour l'intégration continue
    Json,
    /// Annotations GitHub Actions : chaque constat s'affiche sur le fichier dans GitHub
    Github,
}

/// Help of each command, with French headings.
const COMMAND_HELP: &str =
    "{about}\n\nUsage : {usage}\n\nArguments :\n{positionals}\n\nOptions :\n{options}\n";

/// Help of a command that has its own commands (`folio theme`).
const GROUP_HELP: &str =
    "{about}\n\nUsage : {usage}\n\nCommandes :\n{subcommands}\n\nOptions :\n{options}\n";

#[derive(Subcommand)]
#[command(help_template = COMMAND_HELP)]
enum Command {
    /// Génère le site et le tableau de synthèse dans DIR/public/ (après les vérifications)
    #[command(help_template = COMMAND_HELP)]
    Build {
        /// Dossier du portfolio (par défaut : le dossier courant)
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Dossier de sortie (par défaut : DIR/public)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Publie même si les vérifications du dossier trouvent des erreurs (portfolio en cours)
        #[arg(long)]
        ignore_checks: bool,
        /// Écrit dans un dossier existant que folio n'a pas créé, en gardant ses fichiers
        #[arg(long)]
        force: bool,
        /// Adresse du site publié, à la place de base_url de portfolio.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Copie hors ligne (liens relatifs, s'ouvre par un double-clic sur index.html) dans DIR/hors-ligne
        #[arg(long)]
        offline: bool,
    },
    /// Copie hors ligne du portfolio (clé USB, archive .zip) : s'ouvre par un double-clic sur index.html
    #[command(help_template = COMMAND_HELP)]
    Export {
        /// Dossier du portfolio
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Dossier de la copie (par défaut : DIR/hors-ligne) ; avec --zip, l'archive ou son dossier
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Écrit une archive portfolio-NOM-Prenom-SESSION.zip (par défaut dans DIR)
        #[arg(long)]
        zip: bool,
        /// Exporte même si les vérifications du dossier trouvent des erreurs
        #[arg(long)]
        ignore_checks: bool,
        /// Remplace une archive ou écrit dans un dossier que folio n'a pas créés
        #[arg(long)]
        force: bool,
        /// Adresse du site publié, à la place de base_url de portfolio.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Compare le site publié avec vos fiches : pages, documents, tableau, liens, brouillons
    #[cfg(feature = "verify")]
    #[command(help_template = COMMAND_HELP)]
    Verify {
        /// Adresse du site publié (par défaut : base_url de portfolio.toml)
        url: Option<String>,
        /// Dossier du portfolio
        #[arg(long, default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Format de sortie : texte (par défaut), json ou github
        #[arg(
            long,
            value_enum,
            ignore_case = true,
            hide_possible_values = true,
            default_value = "texte",
            hide_default_value = true
        )]
        format: Format,
        /// Les avertissements comptent comme des erreurs
        #[arg(long)]
        strict: bool,
    },
    /// Sert le site en local et le recharge à chaque enregistrement
    #[cfg(feature = "serve")]
    #[command(help_template = COMMAND_HELP)]
    Serve {
        /// Dossier du portfolio
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Port (1111 par défaut ; le suivant libre s'il est occupé)
        #[arg(short, long, default_value_t = 1111, hide_default_value = true)]
        port: u16,
        /// Adresse d'écoute (par défaut 127.0.0.1 : cet ordinateur seulement ; 0.0.0.0 : tout le réseau)
        #[arg(long, default_value = "127.0.0.1", hide_default_value = true)]
        bind: std::net::IpAddr,
        /// Ouvre le navigateur
        #[arg(long)]
        open: bool,
        /// Surveille les fichiers par scrutation (WSL sur un disque Windows, dossier réseau)
        #[arg(long)]
        poll: bool,
        /// Adresse du site publié, à la place de base_url de portfolio.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Vérifie le portfolio comme le ferait le jury (couverture, périodes, dossier, liens…)
    #[command(help_template = COMMAND_HELP)]
    Check {
        /// Dossier du portfolio
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Format de sortie : texte (par défaut), json ou github
        #[arg(
            long,
            value_enum,
            ignore_case = true,
            hide_possible_values = true,
            default_value = "texte",
            hide_default_value = true
        )]
        format: Format,
        /// Les avertissements comptent comme des erreurs
        #[arg(long)]
        strict: bool,
        /// Adresse du site publié, à la place de base_url de portfolio.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Écrit seulement le tableau de synthèse (.xlsx)
    #[command(help_template = COMMAND_HELP)]
    Table {
        /// Dossier du portfolio
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        /// Fichier à écrire (par défaut : DIR/tableau-de-synthese.xlsx)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Remplace un fichier .xlsx existant que folio n'a pas écrit
        #[arg(long)]
        force: bool,
        /// Adresse du site publié, à la place de base_url de portfolio.toml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Suivi de classe (enseignants) : vérifie et génère tous les portfolios, écrit un tableau de bord
    #[command(help_template = COMMAND_HELP)]
    Class {
        /// Dossiers des portfolios des élèves, ou un fichier classe.toml
        #[arg(required = true, value_name = "DOSSIERS_OU_CLASSE_TOML")]
        paths: Vec<PathBuf>,
        /// Dossier du suivi (par défaut : classe/, ou « sortie » de classe.toml)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Écrit dans un dossier existant que folio n'a pas créé, en gardant ses fichiers
        #[arg(long)]
        force: bool,
        /// Régénère tous les portfolios, même ceux qui n'ont pas changé depuis la dernière fois
        #[arg(long)]
        tout: bool,
    },
    /// Crée un portfolio complet (pages, exemple de réalisation, publication GitHub Pages)
    #[command(help_template = COMMAND_HELP)]
    Init {
        /// Dossier à créer ou à compléter (par défaut : le dossier courant)
        #[arg(default_value = ".", hide_default_value = true)]
        dir: PathBuf,
        #[command(flatten)]
        given: init::Given,
        /// Ne pose aucune question (valeurs des options, ou à remplacer ensuite)
        #[arg(long)]
        non_interactif: bool,
    },
    /// Crée une réalisation (brouillon complet) ou une page
    #[command(help_template = COMMAND_HELP)]
    New {
        /// realisation ou page
        #[arg(value_enum, hide_possible_values = true)]
        kind: NewKind,
        /// Titre
        title: String,
        /// Contexte d'une réalisation : formation, stage-1 ou stage-2
        #[arg(long)]
        contexte: Option<String>,
        /// Dossier du portfolio
        #[arg(long, default_value = ".", hide_default_value = true)]
        dir: PathBuf,
    },
    /// Thèmes (enseignants) : créer un thème de classe, lister les thèmes intégrés, leur référence
    #[command(subcommand, help_template = GROUP_HELP, subcommand_value_name = "COMMANDE")]
    Theme(theme::ThemeCommand),
    /// Montre (ou applique avec --write) la réparation des fichiers mal encodés
    #[command(help_template = COMMAND_HELP)]
    FixEncoding {
        /// Dossier du portfolio ou fichier
        #[arg(default_value = ".", hide_default_value = true)]
        path: PathBuf,
        /// Applique la réparation (une copie .bak de chaque fichier est gardée)
        #[arg(long)]
        write: bool,
    },
}

fn main() -> ExitCode {
    quiet_on_closed_output();
    if std::env::args_os().len() == 1 && started_by_double_click() {
        return double_click_help();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match cli.command {
        Command::Build {
            dir,
            output,
            ignore_checks,
            force,
            base_url,
            offline,
        } => {
            let opts = build::BuildOptions {
                output_dir: output,
                ignore_checks,
                force,
                overrides: overrides(base_url),
                offline,
            };
            cmd_build(dir, opts)
        }
        Command::Export {
            dir,
            output,
            zip,
            ignore_checks,
            force,
            base_url,
        } => {
            let opts = build::BuildOptions {
                output_dir: None,
                ignore_checks,
                force,
                overrides: overrides(base_url),
                offline: true,
            };
            if zip {
                cmd_export_zip(dir, output, opts)
            } else {
                cmd_build(
                    dir,
                    build::BuildOptions {
                        output_dir: output,
                        ..opts
                    },
                )
            }
        }
        #[cfg(feature = "verify")]
        Command::Verify {
            url,
            dir,
            format,
            strict,
        } => cmd_verify(dir, url, format, strict),
        #[cfg(feature = "serve")]
        Command::Serve {
            dir,
            port,
            bind,
            open,
            poll,
            base_url,
        } => serve::run(dir, port, bind, open, poll, overrides(base_url)),
        Command::Check {
            dir,
            format,
            strict,
            base_url,
        } => cmd_check(dir, format, strict, &overrides(base_url)),
        Command::Table {
            dir,
            output,
            force,
            base_url,
        } => cmd_table(dir, output, force, &overrides(base_url)),
        Command::FixEncoding { path, write } => cmd_fix(path, write),
        Command::Theme(command) => theme::run(command),
        Command::Class {
            paths,
            output,
            force,
            tout,
        } => class::run(paths, output, force, tout),
        Command::Init {
            dir,
            given,
            non_interactif,
        } => init::run(dir, given, non_interactif),
        Command::New {
            kind,
            title,
            contexte,
            dir,
        } => init::new(dir, kind == NewKind::Realisation, title, contexte),
    }
}

/// `folio check --format json | head -1`: the reader went away. Stop quietly, as other
/// command-line tools do, instead of a panic message (Rust's print macros panic there).
fn quiet_on_closed_output() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.starts_with("failed printing to std") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// Whether folio.exe was double-clicked in the Explorer: its console window is its own
/// and would close at once on the usual help.
#[cfg(windows)]
fn started_by_double_click() -> bool {
    let mut pids = [0u32; 2];
    // SAFETY: the buffer holds 2 ids and its length is passed.
    let n =
        unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(pids.as_mut_ptr(), 2) };
    n == 1
}

#[cfg(not(windows))]
fn started_by_double_click() -> bool {
    false
}

/// A message for a student who double-clicked folio.exe, kept on screen until Enter.
fn double_click_help() -> ExitCode {
    println!(
        "folio s'utilise dans un terminal, pas par un double-clic.\n\n\
         1. Ouvrez le dossier de votre portfolio dans l'Explorateur.\n\
         2. Clic droit dans le dossier → « Ouvrir dans le Terminal » (ou tapez powershell dans la barre d'adresse).\n\
         3. Tapez par exemple :\n\
         \x20    folio init          (créer un portfolio)\n\
         \x20    folio serve         (aperçu dans le navigateur)\n\
         \x20    folio check         (vérifications du jury)\n\n\
         Appuyez sur Entrée pour fermer cette fenêtre."
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    ExitCode::SUCCESS
}

fn overrides(base_url: Option<String>) -> Overrides {
    Overrides { base_url }
}

/// clap speaks English: say argument errors in French, keep its help and version output.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let suggestion = |k: ContextKind| {
        let s = ctx(k);
        if s.is_empty() {
            String::new()
        } else {
            format!(" ; vouliez-vous dire « {s} » ?")
        }
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        ErrorKind::InvalidSubcommand if ctx(ContextKind::InvalidSubcommand) == "help" => {
            "l'aide s'affiche avec --help : folio --help, ou pour une commande : folio verify --help"
                .to_owned()
        }
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »{} ; commandes : init, new, build, serve, check, verify, export, table, fix-encoding, class",
            ctx(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument if ctx(ContextKind::InvalidArg) == "--zip" => {
            "option inconnue « --zip » ; l'archive se fait avec : folio export --zip".to_owned()
        }
        ErrorKind::UnknownArgument => {
            format!(
                "option inconnue « {} »{}",
                ctx(ContextKind::InvalidArg),
                suggestion(ContextKind::SuggestedArg)
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!("argument manquant : {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue if ctx(ContextKind::InvalidValue).is_empty() => format!(
            "l'option {} attend une valeur",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "valeur « {} » invalide pour {}{}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            match ctx(ContextKind::ValidValue) {
                v if v.is_empty() => String::new(),
                v => format!(" (valeurs possibles : {v})"),
            }
        ),
        ErrorKind::MissingSubcommand => {
            "il manque la commande : init, new, build, serve, check, verify, export, table, fix-encoding ou class"
                .to_owned()
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!(
                "arguments incompatibles ou en trop : {}",
                e.to_string().lines().next().unwrap_or("")
            )
        }
        _ => e
            .to_string()
            .lines()
            .next()
            .unwrap_or("arguments invalides")
            .trim_start_matches("error: ")
            .to_owned(),
    };
    print::failure(&format!(
        "{message}\n  aide : folio --help pour la liste des commandes et options"
    ));
    ExitCode::from(2)
}

fn cmd_build(dir: PathBuf, opts: build::BuildOptions) -> ExitCode {
    match build::build(&dir, &opts) {
        Ok(report) => {
            print::findings_brief(&report.warnings);
            print::success(&format!(
                "{} dans {} : {} pages, {} réalisation{}, {} fichiers ({} ms)",
                if opts.offline {
                    "Copie hors ligne écrite"
                } else {
                    "Site généré"
                },
                report.output_dir.display(),
                report.pages,
                report.realisations,
                if report.realisations > 1 { "s" } else { "" },
                report.files,
                report.duration.as_millis()
            ));
            if opts.offline {
                anstream::eprintln!(
                    "  ouvrez {} par un double-clic (aucun serveur ni connexion nécessaire)",
                    report.output_dir.join("index.html").display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) => build_failed(
            &diags,
            if opts.offline {
                Made::Offline
            } else {
                Made::Site
            },
        ),
    }
}

fn cmd_export_zip(dir: PathBuf, output: Option<PathBuf>, opts: build::BuildOptions) -> ExitCode {
    match build::export_zip(&dir, output.as_deref(), &opts) {
        Ok(report) => {
            print::findings_brief(&report.warnings);
            print::success(&format!(
                "Archive écrite : {} ({} fichiers, {} Ko)",
                report.path.display(),
                report.files,
                report.bytes.div_ceil(1024)
            ));
            anstream::eprintln!(
                "  sur l'ordinateur du jury : clic droit → Extraire tout, puis double-clic sur index.html"
            );
            ExitCode::SUCCESS
        }
        Err(diags) => build_failed(&diags, Made::Zip),
    }
}

/// What a failed command was making, for its closing line.
#[derive(Clone, Copy)]
enum Made {
    Site,
    Offline,
    Zip,
}

/// A build or export that stopped: why, and that nothing was replaced.
fn build_failed(diags: &[Diagnostic], made: Made) -> ExitCode {
    print::findings_brief(diags);
    let (kept, retry) = match made {
        Made::Site => (
            "le dossier du site n'a pas été touché",
            "folio build --ignore-checks",
        ),
        Made::Offline => (
            "le dossier de la copie hors ligne n'a pas été touché",
            "folio build --offline --ignore-checks",
        ),
        Made::Zip => (
            "aucune archive n'a été écrite",
            "folio export --zip --ignore-checks",
        ),
    };
    let checks_only = diags.iter().filter(|d| d.is_error()).all(is_dossier_check);
    if checks_only {
        print::failure(&format!(
            "Échec : le dossier n'est pas conforme ({kept}). \
             Pour un portfolio en cours de construction : {retry}"
        ));
    } else {
        print::failure(&format!("Échec : {kept}."));
    }
    ExitCode::FAILURE
}

/// Findings `--ignore-checks` lets through: the dossier checks, not the site's correctness.
fn is_dossier_check(d: &Diagnostic) -> bool {
    check::CODES.contains(&d.code)
}

fn cmd_check(dir: PathBuf, format: Format, strict: bool, overrides: &Overrides) -> ExitCode {
    let findings = build::check(&dir, overrides);
    let subject = serde_json::json!({"portfolio": dir.display().to_string()});
    report(&findings, format, strict, "folio check", subject)
}

/// The report of `check` and `verify`, in the format asked; the exit code says whether
/// an error (or, with `strict`, a warning) was found.
fn report(
    findings: &[Diagnostic],
    format: Format,
    strict: bool,
    command: &str,
    subject: serde_json::Value,
) -> ExitCode {
    let fails = findings
        .iter()
        .any(|d| d.severity == Severity::Error || (strict && d.severity == Severity::Warning));
    match format {
        Format::Json => {
            let (e, w, i) = check::summary(findings);
            let mut doc = subject;
            doc["ok"] = (!fails).into();
            doc["strict"] = strict.into();
            doc["summary"] = serde_json::json!({"errors": e, "warnings": w, "infos": i});
            doc["findings"] = serde_json::to_value(findings).unwrap_or_default();
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Texte => print::findings_grouped(findings, strict),
        Format::Github => print::github(findings, strict, command),
    }
    if fails {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `folio verify`: a local build of the sources against the site online.
#[cfg(feature = "verify")]
fn cmd_verify(dir: PathBuf, url: Option<String>, format: Format, strict: bool) -> ExitCode {
    // Every other command takes the portfolio folder there: accept it.
    let (dir, url) = match url {
        Some(u) if dir == Path::new(".") && !u.contains("://") && Path::new(&u).is_dir() => {
            (PathBuf::from(u), None)
        }
        other => (dir, other),
    };
    if let Some(u) = &url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        print::failure(&format!(
            "adresse invalide pour folio verify : « {u} »\n  aide : donnez l'adresse complète du site publié, par exemple folio verify https://VOTRE-COMPTE.github.io/portfolio/ (ou rien : base_url de portfolio.toml)"
        ));
        return ExitCode::from(2);
    }
    let overrides = Overrides {
        base_url: url.clone(),
    };
    let local = build::load(&dir, &overrides).and_then(|loaded| {
        let (output, _) = loaded.render()?;
        Ok((loaded, output))
    });
    let (loaded, output) = match local {
        Ok(x) => x,
        Err(diags) => {
            let subject = serde_json::json!({"portfolio": dir.display().to_string(), "url": url});
            if format != Format::Texte {
                return report(&diags, format, strict, "folio verify", subject);
            }
            print::findings_brief(&diags);
            print::failure(
                "Le portfolio ne se génère pas en local : rien à comparer avec le site en ligne.",
            );
            return ExitCode::FAILURE;
        }
    };
    let base = loaded.site.config.base_url.clone();
    if !base.contains("://") {
        print::failure(
            "Adresse du site inconnue : base_url est vide dans portfolio.toml\n  aide : folio verify https://VOTRE-COMPTE.github.io/portfolio/",
        );
        return ExitCode::from(2);
    }
    let bar = verify::Bar::new();
    let opts = folio_generator::verify::Options {
        jobs: verify::JOBS,
        old_paths: verify::old_paths(&dir),
    };
    let client = verify::Client::new();
    let findings = folio_generator::verify::verify(&loaded, &output, &base, &client, &bar, &opts);
    bar.finish();
    let subject = serde_json::json!({"portfolio": dir.display().to_string(), "url": base});
    report(&findings, format, strict, "folio verify", subject)
}

fn cmd_table(
    dir: PathBuf,
    output: Option<PathBuf>,
    force: bool,
    overrides: &Overrides,
) -> ExitCode {
    let result = build::load(&dir, overrides).and_then(|loaded| {
        let bytes = folio_generator::table::write(&loaded.site)?;
        let path = output.unwrap_or_else(|| dir.join(&loaded.site.config.table.file));
        let sources = folio_generator::output::Sources::of_portfolio(&dir, &loaded.theme.folders);
        folio_generator::table::save(&path, &bytes, &sources, force)?;
        Ok((path, loaded))
    });
    match result {
        Ok((path, loaded)) => {
            print::findings_brief(&loaded.warnings);
            print::success(&format!(
                "Tableau de synthèse écrit : {} ({} réalisations)",
                path.display(),
                loaded.site.realisations().count()
            ));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print::findings_brief(&diags);
            print::failure("Le tableau n'a pas été écrit.");
            ExitCode::FAILURE
        }
    }
}

fn cmd_fix(path: PathBuf, write: bool) -> ExitCode {
    if !path.exists() {
        print::failure(&format!(
            "{} : fichier ou dossier introuvable\n  aide : vérifiez le chemin (entre guillemets s'il contient des espaces)",
            path.display()
        ));
        return ExitCode::FAILURE;
    }
    let repairs = fix::scan(&path);
    if repairs.is_empty() {
        print::success("Aucun fichier mal encodé.");
        return ExitCode::SUCCESS;
    }
    let mut failed = false;
    for r in &repairs {
        let shown = if path.is_file() {
            path.clone()
        } else {
            path.join(&r.file)
        };
        anstream::println!("{} : {}", fix::display(&shown), fix::describe(&r.problem));
        for (line, before, after) in r.lines.iter().take(8) {
            anstream::println!("  {line:>4} - {before}");
            anstream::println!("  {line:>4} + {after}");
        }
        if r.lines.len() > 8 {
            anstream::println!("       … et {} autres lignes", r.lines.len() - 8);
        }
        if write {
            match fix::apply(&shown, r) {
                Ok(backup) => print::success(&format!(
                    "réparé (original gardé dans {})",
                    backup.display()
                )),
                Err(e) => {
                    failed = true;
                    print::failure(&format!(
                        "réparation impossible : {}",
                        folio_generator::io_reason(&e)
                    ));
                }
            }
        }
    }
    if !write {
        anstream::println!(
            "\n{} fichier(s) à réparer. Relancez avec --write pour appliquer (une copie .bak de chaque fichier est gardée).",
            repairs.len()
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

//! The `reset-eval` command line: serve, migrate, check and show questionnaires, load demo
//! data. Each command says what it did in the configured language (`APP_LANG`).

use crate::app::demo;
use crate::config::Settings;
use crate::db;
use crate::domain::account;
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{NotApplicable, QuestionKind, Questionnaire};
use crate::startup::{self, Application};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::net::TcpListener;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "reset-eval",
    version,
    about = "Autodiagnostic et évaluation d'impact du programme #RESET — self-diagnostic and impact evaluation for #RESET"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web interface (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "APP_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Load the demo data before serving (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Check or show the questionnaire files.
    Questionnaires {
        #[command(subcommand)]
        command: QuestionnairesCommand,
    },
    /// Load the demo data into the configured database (idempotent).
    Demo {
        /// Generate synthetic organisations and responses instead (for benchmarks).
        #[arg(long)]
        synthetic: bool,
        /// Synthetic organisations to create.
        #[arg(long, default_value_t = 100, requires = "synthetic")]
        organisations: usize,
        /// Synthetic submitted responses, in all.
        #[arg(long, default_value_t = 1000, requires = "synthetic")]
        respondents: usize,
        /// Seed of the synthetic data: the same seed gives the same data.
        #[arg(long, default_value_t = 1, requires = "synthetic")]
        seed: u64,
    },
    /// Write the open data of a year: the collective scores of diagnostics of 3 respondents or
    /// more, and aggregates, as CSV and Parquet, with a README, under CC BY 4.0.
    Export {
        #[arg(long)]
        year: i32,
        /// Output folder. Default: reports/<year>/open-data.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Write the yearly evaluation report: index.html with its charts, data files (CSV and
    /// Parquet) and their README, in the language of `--lang`. `--publish` freezes its
    /// figures and locks the year's measurements.
    Report {
        #[arg(long)]
        year: i32,
        /// Output folder. Default: reports/<year>.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Publish the report: store its figures and lock the year's measurements.
        #[arg(long)]
        publish: bool,
    },
    /// Benchmark helper: the per-quality and per-cell aggregates of an exported
    /// `diagnostics.parquet`, written as CSV.
    #[command(hide = true)]
    BenchAggregate {
        #[arg(long)]
        parquet: std::path::PathBuf,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Manage programme staff accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a programme staff account; prints a generated password unless one is given.
    Create {
        #[arg(long)]
        email: String,
        /// Name shown in the interface.
        #[arg(long, default_value = "Équipe du programme")]
        name: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionnairesCommand {
    /// Check every file; list every problem; exit 1 when there is an error.
    Check,
    /// Print a questionnaire's structure, one line a question (newest version by default).
    Show {
        slug: String,
        version: Option<String>,
    },
}

/// Runs the command line; the process exits with the returned code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.settings.log);
    let lang = cli.settings.lang;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("erreur", "error"));
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = &cli.settings;
    let lang = settings.lang;
    match cli.command {
        Command::Serve { bind, demo } => {
            let state = startup::prepare(settings).await?;
            if demo {
                let report = demo::load(&state.pool, &state.registry).await?;
                tracing::info!(
                    coalitions = report.coalitions,
                    organisations = report.organisations,
                    responses = report.responses,
                    "demo data loaded (what was already there is kept)"
                );
                let lived_in = demo::lived_in(&state.pool, &state.registry, &state.writes).await?;
                tracing::info!(?lived_in, "demo population and published report ready");
            }
            let listener =
                TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
            let address = listener.local_addr()?;
            let app = Application::build(listener, state)?;
            let url = format!("http://{address}").replace("0.0.0.0", "127.0.0.1");
            tracing::info!(%url, database = %crate::config::redact(&settings.database_url()), "serving");
            println!(
                "{} {url}",
                lang.pick("reset-eval est prêt :", "reset-eval is ready:")
            );
            app.run_until_stopped().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            startup::open_database(settings).await?;
            println!(
                "{} {}",
                lang.pick("Base de données à jour :", "Database up to date:"),
                crate::config::redact(&settings.database_url())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            synthetic: true,
            organisations,
            respondents,
            seed,
        } => synthetic(settings, organisations, respondents, seed).await,
        Command::Export { year, out } => export(settings, year, out).await,
        Command::Report { year, out, publish } => report(settings, year, out, publish).await,
        Command::BenchAggregate { parquet, out } => bench_aggregate(&parquet, &out),
        Command::Demo {
            synthetic: false, ..
        } => {
            let state = startup::prepare(settings).await?;
            let report = demo::load(&state.pool, &state.registry).await?;
            let lived_in = demo::lived_in(&state.pool, &state.registry, &state.writes).await?;
            tracing::info!(?lived_in, "demo population and published report ready");
            println!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Données de démonstration : {} coalition(s), {} organisation(s), {} réponse(s) ajoutées (le reste était déjà là).",
                        report.coalitions, report.organisations, report.responses
                    ),
                    Lang::En => format!(
                        "Demo data: {} coalition(s), {} organisation(s), {} response(s) added (the rest was already there).",
                        report.coalitions, report.organisations, report.responses
                    ),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    password_stdin,
                },
        } => create_admin(settings, &email, &name, password_stdin).await,
        Command::Questionnaires {
            command: QuestionnairesCommand::Check,
        } => check(settings),
        Command::Questionnaires {
            command: QuestionnairesCommand::Show { slug, version },
        } => show(settings, &slug, version.as_deref()),
    }
}

/// A progress bar on a terminal; hidden otherwise (indicatif draws only on a terminal).
fn progress_bar(total: u64, lang: Lang, what: (&str, &str)) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    let template = format!(
        "{{elapsed_precise}} [{{bar:40}}] {{human_pos}}/{{human_len}} {} ({{eta}})",
        lang.pick(what.0, what.1)
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

async fn synthetic(
    settings: &Settings,
    organisations: usize,
    respondents: usize,
    seed: u64,
) -> anyhow::Result<ExitCode> {
    let lang = settings.lang;
    let state = startup::prepare(settings).await?;
    let bar = progress_bar(respondents as u64, lang, ("réponses", "responses"));
    let started = std::time::Instant::now();
    let report = demo::synthetic::load(
        &state.pool,
        &state.registry,
        demo::synthetic::Synthetic {
            organisations,
            respondents,
            seed,
        },
        &|done, _| bar.set_position(done as u64),
    )
    .await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Données synthétiques : {} organisation(s), {} diagnostic(s), {} réponse(s) envoyée(s) et {} commencée(s) ajoutées en {seconds:.1} s.",
                report.organisations, report.diagnostics, report.submitted, report.started
            ),
            Lang::En => format!(
                "Synthetic data: {} organisation(s), {} diagnostic(s), {} submitted and {} started response(s) added in {seconds:.1} s.",
                report.organisations, report.diagnostics, report.submitted, report.started
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Reports the export's steps on a spinner, on a terminal only.
struct Steps(indicatif::ProgressBar, Lang);

impl crate::app::export::ProgressReport for Steps {
    fn step(&self, message: &str) {
        let fr = match message {
            "responses" => "lecture des réponses",
            "comparable questions" => "questions comparables",
            "collective scores" => "scores collectifs des diagnostics",
            "aggregates" => "agrégats et fichiers",
            "coalitions" => "coalitions",
            "aggregations" => "agrégations",
            "writing" => "écriture des fichiers",
            "publishing" => "publication",
            other => other,
        };
        self.0.set_message(self.1.pick(fr, message).to_owned());
        self.0.tick();
    }
}

async fn export(
    settings: &Settings,
    year: i32,
    out: Option<std::path::PathBuf>,
) -> anyhow::Result<ExitCode> {
    let lang = settings.lang;
    let out = out.unwrap_or_else(|| format!("reports/{year}/open-data").into());
    let state = startup::prepare(settings).await?;
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let steps = Steps(spinner, lang);
    let exported =
        crate::app::export::export(&state.pool, &state.registry, year, &out, &steps).await?;
    steps.0.finish_and_clear();
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Données ouvertes {year} : {} diagnostic(s) d'au moins 3 personnes, {} fichier(s) dans {}.",
                exported.diagnostics,
                exported.files.len(),
                out.display()
            ),
            Lang::En => format!(
                "Open data {year}: {} diagnostic(s) of 3 people or more, {} file(s) in {}.",
                exported.diagnostics,
                exported.files.len(),
                out.display()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

async fn report(
    settings: &Settings,
    year: i32,
    out: Option<std::path::PathBuf>,
    publish: bool,
) -> anyhow::Result<ExitCode> {
    // The document is written in the language of the command (`--lang` or `APP_LANG`).
    let messages = settings.lang;
    let lang = settings.lang;
    let out = out.unwrap_or_else(|| format!("reports/{year}").into());
    let state = startup::prepare(settings).await?;
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let steps = Steps(spinner, messages);
    if publish {
        crate::app::export::ProgressReport::step(&steps, "publishing");
        // The same use case as the staff page's: the published files are stored in the
        // database too, and served at /publications/<year>.
        let published = crate::app::publications::publish(
            &state.pool,
            &state.registry,
            &state.writes,
            year,
            None,
            &steps,
            None,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        if published == crate::app::publications::Published::Already {
            steps.0.suspend(|| {
                eprintln!(
                    "{}",
                    messages.pick(
                        &format!("Le rapport {year} était déjà publié : ses chiffres restent ceux publiés."),
                        &format!("The {year} report was already published: its figures stay the published ones.")
                    )
                )
            });
        }
    }
    let generated =
        crate::report::generate(&state.pool, &state.registry, year, &out, lang, &steps).await?;
    steps.0.finish_and_clear();
    println!(
        "{}",
        messages.pick(
            &format!(
                "Rapport {year}{} : {} fichier(s) dans {} ({}).",
                if generated.frozen {
                    " (publié, chiffres figés)"
                } else {
                    ""
                },
                generated.files.len(),
                out.display(),
                out.join("index.html").display()
            ),
            &format!(
                "Report {year}{}: {} file(s) in {} ({}).",
                if generated.frozen {
                    " (published, figures frozen)"
                } else {
                    ""
                },
                generated.files.len(),
                out.display(),
                out.join("index.html").display()
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// The per-quality and per-cell aggregates of an exported `diagnostics.parquet`, timed.
fn bench_aggregate(parquet: &std::path::Path, out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let figures = crate::analytics::publish::aggregates_of_parquet(parquet, out)?;
    eprintln!(
        "aggregated {figures} diagnostics in {:.3} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

async fn create_admin(
    settings: &Settings,
    email: &str,
    name: &str,
    password_stdin: bool,
) -> anyhow::Result<ExitCode> {
    let lang = settings.lang;
    let email =
        account::parse_email(email).map_err(|(fr, en)| anyhow::anyhow!("{}", lang.pick(fr, en)))?;
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        // 24 hexadecimal characters: 96 random bits.
        let token = account::new_token().map_err(|e| anyhow::anyhow!("random: {e}"))?;
        (token[..24].to_owned(), true)
    };
    if password.chars().count() < account::MIN_PASSWORD_CHARS {
        anyhow::bail!(
            "{}",
            lang.pick(
                &format!(
                    "le mot de passe doit compter au moins {} caractères",
                    account::MIN_PASSWORD_CHARS
                ),
                &format!(
                    "the password needs at least {} characters",
                    account::MIN_PASSWORD_CHARS
                )
            )
        );
    }
    let pool = startup::open_database(settings).await?;
    let to_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || account::hash_password(&to_hash)).await??;
    let account = db::Account {
        id: db::new_id(),
        email: email.clone(),
        display_name: name.trim().to_owned(),
        password_hash: hash,
        role: account::AccountRole::Staff,
    };
    if !db::insert_account(&pool, &account, &db::now()).await? {
        anyhow::bail!(
            "{} {email}",
            lang.pick(
                "un compte existe déjà pour",
                "an account already exists for"
            )
        );
    }
    println!(
        "{} {email}",
        lang.pick(
            "Compte de l'équipe du programme créé :",
            "Programme staff account created:"
        )
    );
    if generated {
        println!(
            "{} {}",
            lang.pick(
                "Mot de passe (à noter, il ne sera plus affiché) :",
                "Password (write it down, it will not be shown again):"
            ),
            password
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn check(settings: &Settings) -> anyhow::Result<ExitCode> {
    let lang = settings.lang;
    let catalogue = crate::domain::coalition::catalogue::Catalogue::shipped()?;
    let coalitions = catalogue.coalitions.into_iter().map(|c| c.slug).collect();
    let report =
        crate::domain::questionnaire::Registry::load(&settings.questionnaires_dir, &coalitions);
    let errors = report.problems.iter().filter(|p| p.is_error()).count();
    let warnings = report.problems.len() - errors;
    let mut sorted: Vec<_> = report.problems.iter().collect();
    sorted.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.path.cmp(&b.path)));
    for p in sorted {
        println!("{}", p.render(lang));
    }
    let files = report.registry.all().count();
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "{files} version(s) valide(s), {errors} erreur(s), {warnings} avertissement(s)."
            ),
            Lang::En =>
                format!("{files} valid version(s), {errors} error(s), {warnings} warning(s)."),
        }
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn show(settings: &Settings, slug: &str, version: Option<&str>) -> anyhow::Result<ExitCode> {
    let lang = settings.lang;
    let (registry, _) = startup::load_questionnaires(settings)?;
    let q = match version {
        Some(v) => registry.get(slug, v),
        None => registry.latest(slug),
    };
    let Some(q) = q else {
        let known: Vec<String> = registry.all().map(|q| q.key()).collect();
        anyhow::bail!(
            "{} {slug}{} — {} {}",
            lang.pick("questionnaire introuvable :", "no such questionnaire:"),
            version.map(|v| format!("/{v}")).unwrap_or_default(),
            lang.pick("disponibles :", "available:"),
            known.join(", ")
        );
    };
    print!("{}", describe(q, lang));
    Ok(ExitCode::SUCCESS)
}

/// The structure of a questionnaire as text, one line a question.
pub fn describe(q: &Questionnaire, lang: Lang) -> String {
    let mut out = format!(
        "{} {} — {} ({}, {}, {} {}{})\n",
        q.slug,
        q.version,
        q.title.get(lang),
        q.audience.code(),
        q.licence,
        q.scored_questions().count(),
        lang.pick("questions notées", "scored questions"),
        q.previous
            .as_ref()
            .map(|p| format!(", previous = {p}"))
            .unwrap_or_default(),
    );
    let roles: Vec<&str> = q.roles.iter().map(|r| r.id.as_str()).collect();
    out.push_str(&format!(
        "{}: {}\n",
        lang.pick("rôles", "roles"),
        roles.join(", ")
    ));
    for question in &q.questions {
        let kind = match &question.kind {
            QuestionKind::Scale { scale, labels } => format!("scale({scale}:{})", labels.len()),
            QuestionKind::Single { options } => format!("single({})", options.len()),
            QuestionKind::Multiple { options } => format!("multiple({})", options.len()),
            QuestionKind::YesNo { .. } => "yes_no".to_owned(),
            QuestionKind::Number { thresholds, .. } => {
                format!("number({} seuils)", thresholds.len())
            }
            QuestionKind::Text => "text".to_owned(),
        };
        let mut flags = Vec::new();
        if question.is_scored() && question.weight != 1.0 {
            flags.push(format!("w={}", question.weight));
        }
        match question.not_applicable {
            NotApplicable::No => {}
            na => flags.push(format!("na={}", na.code())),
        }
        if let Some(same_as) = &question.same_as {
            flags.push(format!("same_as={same_as}"));
        }
        out.push_str(&format!(
            "{:<24} {:<12} {:<9} {:<18} {:<22} {}\n",
            question.id,
            question.quality.code(),
            question.dimension.code(),
            kind,
            flags.join(" "),
            question.text.get(lang)
        ));
    }
    out.push_str(&format!(
        "{}: {}\n",
        lang.pick("recommandations", "recommendations"),
        q.recommendations.len()
    ));
    out
}

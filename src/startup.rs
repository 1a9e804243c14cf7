//! Building the application: checking questionnaires, opening and migrating the database,
//! and binding the HTTP server to a listener it is given (tests bind port 0).

use crate::app::versions;
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::domain::coalition::catalogue::Catalogue;
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{Problem, Registry};
use crate::web::{self, AppState};
use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::SameSite;
use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer};
use anyhow::{Context, bail};
use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::Arc;
use tracing_actix_web::TracingLogger;

/// Loads and checks every questionnaire; all problems are reported at once.
pub fn load_questionnaires(settings: &Settings) -> anyhow::Result<(Registry, Vec<Problem>)> {
    let catalogue =
        Catalogue::shipped().context("the shipped coalition catalogue does not parse")?;
    let coalitions: HashSet<String> = catalogue.coalitions.into_iter().map(|c| c.slug).collect();
    let report = Registry::load(&settings.questionnaires_dir, &coalitions);
    if report.has_errors() {
        bail!(render_problems(settings.lang, &report.problems));
    }
    Ok((report.registry, report.problems))
}

pub fn render_problems(lang: Lang, problems: &[Problem]) -> String {
    let mut sorted: Vec<&Problem> = problems.iter().collect();
    sorted.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.path.cmp(&b.path)));
    let lines: Vec<String> = sorted.iter().map(|p| p.render(lang)).collect();
    let errors = problems.iter().filter(|p| p.is_error()).count();
    format!(
        "{}\n{}",
        lines.join("\n"),
        lang.pick(
            &format!("{errors} erreur(s) dans les questionnaires : corrigez-les puis relancez (détails des champs : questionnaires/README.md)."),
            &format!("{errors} error(s) in the questionnaires: fix them and start again (fields are described in questionnaires/README.md)."),
        )
    )
}

/// Opens the database, applies the migrations it lacks, and checks that it takes a write:
/// a service that cannot write refuses to start, saying why (see [`crate::preflight`]).
pub async fn open_database(settings: &Settings) -> anyhow::Result<Pool> {
    let url = settings.database_url();
    crate::preflight::check_sqlite_folder(settings, &url)?;
    let explain = |e: &sqlx::Error| anyhow::anyhow!(crate::preflight::explain(settings, &url, e));
    let pool = db::connect_with(&url, settings.sqlite_synchronous)
        .await
        .map_err(|e| explain(&e))?;
    db::migrate(&pool).await.map_err(|e| match &e {
        sqlx::migrate::MigrateError::Execute(inner) if db::fault(inner).is_some() => explain(inner),
        _ => anyhow::Error::new(e).context(
            settings
                .lang
                .pick(
                    "les migrations de la base de données n'ont pas pu s'appliquer",
                    "cannot apply the database migrations",
                )
                .to_owned(),
        ),
    })?;
    // Nothing else of this instance writes yet: no turn to wait for.
    db::probe_write(&pool, &db::WriteGate::default())
        .await
        .map_err(|e| explain(&e))?;
    Ok(pool)
}

/// Everything `serve` needs before it listens: checked questionnaires, a migrated database
/// whose record of versions agrees with the files.
pub async fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
    let (registry, warnings) = load_questionnaires(settings)?;
    if !warnings.is_empty() {
        tracing::warn!(
            count = warnings.len(),
            "questionnaire warnings (see `reset-eval questionnaires check`)"
        );
    }
    let pool = open_database(settings).await?;
    let problems =
        versions::register_versions(&pool, &registry, &settings.questionnaires_dir).await?;
    if !problems.is_empty() {
        bail!(render_problems(settings.lang, &problems));
    }
    // Scores are stored at submission; responses submitted before that existed get theirs
    // now, once (versions are immutable, so stored scores never go stale).
    let writes = Arc::new(db::WriteGate::for_url(&settings.database_url()));
    let backfilled = db::backfill_scores(&pool, &writes, &registry).await?;
    if backfilled > 0 {
        tracing::info!(
            responses = backfilled,
            "stored the scores of earlier submitted responses"
        );
    }
    Ok(AppState {
        pool,
        registry: Arc::new(registry),
        writes,
        catalogue: Arc::new(
            Catalogue::shipped().context("the shipped coalition catalogue does not parse")?,
        ),
        session_key: settings.session_key()?,
        secure_cookies: settings.secure_cookies,
        reports_dir: settings.reports_dir.clone(),
        trusted_proxies: web::client::TrustedProxies::parse(&settings.trusted_proxies).map_err(
            |entry| {
                anyhow::anyhow!(
                    "{}",
                    settings.lang.pick(
                        &format!("APP_TRUSTED_PROXIES : « {entry} » n'est ni une adresse IP ni un réseau (10.0.0.0/8)"),
                        &format!("APP_TRUSTED_PROXIES: “{entry}” is neither an IP address nor a network (10.0.0.0/8)"),
                    )
                )
            },
        )?,
        limits: web::limits::Limits::from_settings(settings),
        operator: Arc::new(settings.operator()),
        retention: settings.retention(),
        mailer: crate::app::mailer::Mailer::new(settings.mail_config()),
        min_answered_share: settings.min_answered_share,
    })
}

/// A running HTTP server and the port it listens on.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds the server and starts this instance's mail worker (every instance runs one).
    pub fn build(listener: TcpListener, mut state: AppState) -> std::io::Result<Application> {
        let port = listener.local_addr()?.port();
        state.mailer = state.mailer.listening_on(port);
        crate::app::worker::start(crate::app::tasks::WorkerContext {
            pool: state.pool.clone(),
            writes: state.writes.clone(),
            mailer: state.mailer.clone(),
            retention: state.retention,
            registry: state.registry.clone(),
        })
        .map_err(std::io::Error::other)?;
        let session_key = state.session_key.clone();
        let secure_cookies = state.secure_cookies;
        let state = actix_web::web::Data::new(state);
        let server = HttpServer::new(move || {
            let sessions =
                SessionMiddleware::builder(CookieSessionStore::default(), session_key.clone())
                    .cookie_name("reset_session".to_owned())
                    .cookie_secure(secure_cookies)
                    .cookie_http_only(true)
                    .cookie_same_site(SameSite::Lax)
                    .cookie_content_security(CookieContentSecurity::Private)
                    .build();
            App::new()
                .wrap(from_fn(web::head::as_get))
                .wrap(from_fn(web::error_pages::own_error_pages))
                .wrap(from_fn(web::lang::remember_choice))
                // Inside the session middleware: ends revoked sessions before any handler.
                .wrap(from_fn(web::session::verify))
                .wrap(sessions)
                .wrap(security_headers())
                .wrap(Compress::default())
                .wrap(TracingLogger::<web::logging::RedactedRootSpan>::new())
                .app_data(state.clone())
                .app_data(actix_web::web::PayloadConfig::new(
                    web::limits::MAX_BODY_BYTES,
                ))
                .app_data(actix_web::web::FormConfig::default().limit(web::limits::MAX_BODY_BYTES))
                .app_data(actix_web::web::JsonConfig::default().limit(web::limits::MAX_BODY_BYTES))
                .configure(web::routes::configure)
        })
        // Without it a compressed page waits for the client's delayed acknowledgement (~40 ms).
        .tcp_nodelay(true)
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Pages load nothing from elsewhere and run no script: the policy says so to the browser.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        // Private by default: pages behind a session or an invitation token, and downloads,
        // must not stay in a shared computer's cache or a proxy. Only a response that sets
        // its own policy keeps it: the public stylesheet, the same for everyone.
        .add(("Cache-Control", "no-store"))
}

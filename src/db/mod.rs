//! All SQL of the service, one function a query, each taking an executor so that it runs
//! on the pool or inside a transaction alike.
//!
//! The same SQL runs on SQLite and PostgreSQL through sqlx's `Any` driver: `$1…$N`
//! placeholders, text ids and ISO-8601 text timestamps, no backend-specific types (see
//! `../shared/notes/stack.md` for the limits met). Only [`connect`] knows the backends apart.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, ConnectOptions, Executor, FromRow};
use std::path::Path;
use std::time::Duration;

/// Anything a query can run on: the pool, a connection or a transaction.
pub trait AnyExecutor<'c>: Executor<'c, Database = sqlx::Any> {}
impl<'c, T: Executor<'c, Database = sqlx::Any>> AnyExecutor<'c> for T {}

pub type Pool = AnyPool;

mod actions;
mod coalitions;
mod faults;
mod indicators;
mod journal;
mod mail;
mod publications;
mod scores;
mod sessions;
pub use actions::*;
pub use coalitions::*;
pub use faults::{Fault, fault, probe_write, retry_conflicts};
pub use indicators::*;
pub use journal::*;
pub use mail::*;
pub use publications::*;
pub use scores::*;
pub use sessions::*;

/// The default database: a SQLite file in the data directory.
pub fn default_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("reset-eval.sqlite").display())
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// How SQLite makes a commit durable (`PRAGMA synchronous`), with WAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Each commit reaches the disk before it is acknowledged: a power cut loses nothing
    /// acknowledged. One fsync a commit.
    #[default]
    Full,
    /// Commits reach the disk at checkpoints: a power cut may lose the last acknowledged
    /// commits (never corrupting the file). Faster on slow disks.
    Normal,
}

/// How long a first connection may take before the cause is reported.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the pool with `synchronous = FULL` (see [`connect_with`]).
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    connect_with(url, Synchronous::Full).await
}

/// Opens the pool. A SQLite file (and its folder) is created when missing and put in WAL
/// mode, so readers never wait for the writer.
pub async fn connect_with(url: &str, synchronous: Synchronous) -> Result<Pool, sqlx::Error> {
    install_default_drivers();
    let sqlite = is_sqlite(url);
    let url = if sqlite {
        prepare_sqlite_url(url)?
    } else {
        url.to_owned()
    };
    // sqlx warns of any statement over a second, with its whole text: the yearly report's
    // reads and the synthetic loader's batches legitimately take longer. Half a minute is
    // still worth a warning in a web service.
    let options = <AnyConnectOptions as std::str::FromStr>::from_str(&url)?
        .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(30));
    // One connection first, alone and briefly: its error names the cause (refused, unknown
    // host, wrong password, unreadable file), where the pool would retry until its
    // time-out and say only « pool timed out ».
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options),
    )
    .await
    {
        Ok(Ok(conn)) => {
            let _ = sqlx::Connection::close(conn).await;
        }
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            return Err(sqlx::Error::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            )));
        }
    }
    // Acknowledged writes are durable by default: FULL costs an fsync a commit (measured in
    // bench/results, see the README); NORMAL is a setting away.
    let pragmas = match synchronous {
        Synchronous::Full => "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;",
        Synchronous::Normal => "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
    };
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 8 } else { 16 })
        // A request waits at most a few seconds for a connection, then answers 503 (« not
        // saved, send it again ») rather than keep the person waiting on a fault.
        .acquire_timeout(Duration::from_secs(3))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute(pragmas).await?;
                }
                Ok(())
            })
        })
        // A connection still inside a transaction when it comes back is closed: see
        // `faults` (a full disk leaves SQLite's and sqlx's idea of the transaction apart).
        .after_release(|conn, _| Box::pin(faults::fit_for_reuse(conn)))
        .connect_with(options)
        .await?;
    if sqlite {
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await?;
    }
    Ok(pool)
}

/// The file of a SQLite URL (`None` for an in-memory database).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Adds `mode=rwc` (create when missing) and creates the file's folder.
fn prepare_sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if !path.is_empty()
        && path != ":memory:"
        && let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Lets one write transaction at a time reach SQLite.
///
/// SQLite has one writer; a connection that finds the lock taken sleeps in its busy handler
/// (1, 2, 5 … 100 ms) instead of being woken when it frees, which stretches latencies under
/// load. Queueing writers here wakes each in turn. PostgreSQL needs no gate.
#[derive(Debug, Default)]
pub struct WriteGate(Option<tokio::sync::Mutex<()>>);

impl WriteGate {
    pub fn for_url(url: &str) -> Self {
        WriteGate(is_sqlite(url).then(|| tokio::sync::Mutex::new(())))
    }

    /// Waits for the turn to write; hold the guard until the transaction is committed.
    pub async fn enter(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.0 {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }
}

/// A write transaction that holds the SQLite write turn (see [`WriteGate`]) until it ends.
/// Every multi-statement write goes through [`begin_write`], so none can forget the turn.
/// It reads as the connection (`&mut *tx`), like a plain transaction.
pub struct WriteTransaction<'g> {
    // Declared first: dropped (rolled back) before the turn is given up.
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::MutexGuard<'g, ()>>,
}

impl WriteTransaction<'_> {
    /// Makes the writes durable; only then may the caller answer success.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTransaction<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTransaction<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Waits for the write turn, then begins a transaction: the one way to write several rows.
pub async fn begin_write<'g>(
    pool: &Pool,
    gate: &'g WriteGate,
) -> Result<WriteTransaction<'g>, sqlx::Error> {
    let turn = gate.enter().await;
    let tx = pool.begin().await?;
    Ok(WriteTransaction { tx, _turn: turn })
}

/// Applies the migrations of `migrations/` that the database lacks.
pub async fn migrate(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// `SELECT 1`: the database answers.
pub async fn ping(ex: impl AnyExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(ex).await.map(|_| ())
}

/// The current time as stored: ISO-8601 UTC, to the second.
pub fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

pub fn timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

// --- Questionnaire versions -------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct RegisteredVersion {
    pub slug: String,
    pub version: String,
    pub content_hash: String,
}

pub async fn registered_versions(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<RegisteredVersion>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, version, content_hash FROM questionnaire_versions ORDER BY slug, version",
    )
    .fetch_all(ex)
    .await
}

pub struct NewVersion<'a> {
    pub slug: &'a str,
    pub version: &'a str,
    pub audience: &'a str,
    pub title_fr: &'a str,
    pub title_en: &'a str,
    pub content_hash: &'a str,
}

/// Records a version, or updates its hash and titles (allowed only while it is unanswered).
pub async fn upsert_version(
    ex: impl AnyExecutor<'_>,
    v: &NewVersion<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO questionnaire_versions
             (slug, version, audience, title_fr, title_en, content_hash, first_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (slug, version) DO UPDATE SET
             audience = excluded.audience, title_fr = excluded.title_fr,
             title_en = excluded.title_en, content_hash = excluded.content_hash,
             updated_at = excluded.updated_at",
    )
    .bind(v.slug)
    .bind(v.version)
    .bind(v.audience)
    .bind(v.title_fr)
    .bind(v.title_en)
    .bind(v.content_hash)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// How many responses, started or submitted, are pinned to a version.
pub async fn count_responses_of_version(
    ex: impl AnyExecutor<'_>,
    slug: &str,
    version: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.questionnaire_slug = $1 AND d.questionnaire_version = $2",
    )
    .bind(slug)
    .bind(version)
    .fetch_one(ex)
    .await
}

/// Submitted responses per questionnaire version: `(slug, version, count)`.
pub async fn submitted_counts(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.questionnaire_slug, d.questionnaire_version, COUNT(*)
         FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE r.submitted_at IS NOT NULL
         GROUP BY d.questionnaire_slug, d.questionnaire_version",
    )
    .fetch_all(ex)
    .await
}

// --- Organisations, coalitions, diagnostics, responses ------------------------------------

pub struct NewOrganisation<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub siren: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub commune_insee: Option<&'a str>,
    pub size_band: Option<&'a str>,
    pub created_at: &'a str,
}

/// Inserts an organisation; returns whether it was new (an existing id is left as it is).
pub async fn insert_organisation(
    ex: impl AnyExecutor<'_>,
    o: &NewOrganisation<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (id, name, kind, siren, departement, commune_insee, size_band, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(o.id)
    .bind(o.name)
    .bind(o.kind)
    .bind(o.siren)
    .bind(o.departement)
    .bind(o.commune_insee)
    .bind(o.size_band)
    .bind(o.created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub struct NewDiagnostic<'a> {
    pub id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub coalition_id: Option<&'a str>,
    pub questionnaire_slug: &'a str,
    pub questionnaire_version: &'a str,
    pub title: &'a str,
    pub opened_at: &'a str,
    pub closed_at: Option<&'a str>,
}

pub async fn insert_diagnostic(
    ex: impl AnyExecutor<'_>,
    d: &NewDiagnostic<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO diagnostics (id, organisation_id, coalition_id, questionnaire_slug,
             questionnaire_version, title, opened_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(d.id)
    .bind(d.organisation_id)
    .bind(d.coalition_id)
    .bind(d.questionnaire_slug)
    .bind(d.questionnaire_version)
    .bind(d.title)
    .bind(d.opened_at)
    .bind(d.closed_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn insert_response(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
    respondent_role: &str,
    started_at: &str,
    submitted_at: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO responses (id, diagnostic_id, respondent_role, started_at, submitted_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(diagnostic_id)
    .bind(respondent_role)
    .bind(started_at)
    .bind(submitted_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub struct StoredAnswer<'a> {
    pub question_id: &'a str,
    pub state: &'a str,
    pub value: Option<&'a str>,
    pub justification: Option<&'a str>,
}

#[derive(Debug, Clone, FromRow)]
pub struct AnswerRow {
    pub response_id: String,
    pub question_id: String,
    pub state: String,
    pub value: Option<String>,
    pub justification: Option<String>,
}

/// Counts for the landing page: organisations, coalitions, submitted responses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overview {
    pub organisations: i64,
    pub coalitions: i64,
    pub submitted_responses: i64,
}

pub async fn overview(ex: impl AnyExecutor<'_>) -> Result<Overview, sqlx::Error> {
    let (organisations, coalitions, submitted_responses): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM coalitions),
                (SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL)",
    )
    .fetch_one(ex)
    .await?;
    Ok(Overview {
        organisations,
        coalitions,
        submitted_responses,
    })
}

// --- Accounts and sign-in ---------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
}

pub async fn insert_account(
    ex: impl AnyExecutor<'_>,
    account: &Account,
    created_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (id, email, display_name, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
    )
    .bind(&account.id)
    .bind(&account.email)
    .bind(&account.display_name)
    .bind(&account.password_hash)
    .bind(&account.role)
    .bind(created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn account_by_email(
    ex: impl AnyExecutor<'_>,
    email: &str,
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, display_name, password_hash, role FROM accounts WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(ex)
    .await
}

pub async fn record_sign_in_attempt(
    ex: impl AnyExecutor<'_>,
    email: &str,
    client: &str,
    succeeded: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_attempts (id, email, client, succeeded, attempted_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(email)
    .bind(client)
    .bind(i32::from(succeeded))
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// Failed attempts since `since`, for this email and for this client.
pub async fn failed_sign_ins_since(
    ex: impl AnyExecutor<'_>,
    email: &str,
    client: &str,
    since: &str,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND succeeded = 0 AND attempted_at > $3),
            (SELECT COUNT(*) FROM sign_in_attempts WHERE client = $2 AND succeeded = 0 AND attempted_at > $3)",
    )
    .bind(email)
    .bind(client)
    .bind(since)
    .fetch_one(ex)
    .await
}

// --- Organisations and their leads ------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub siren: Option<String>,
    pub departement: Option<String>,
    pub commune_insee: Option<String>,
    pub size_band: Option<String>,
    /// 1 once programme staff have checked the organisation: only then is it a peer of others.
    pub verified: i32,
}

/// Every query that reads an [`Organisation`] selects these, so a new column is added once.
pub(crate) const ORGANISATION_COLUMNS: &str =
    "o.id, o.name, o.kind, o.siren, o.departement, o.commune_insee, o.size_band, o.verified";

pub async fn organisation(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The organisations an account leads, by name.
pub async fn organisations_led_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o
         JOIN organisation_leads l ON l.organisation_id = o.id
         WHERE l.account_id = $1 ORDER BY o.name"
    )))
    .bind(account_id)
    .fetch_all(ex)
    .await
}

pub async fn all_organisations(ex: impl AnyExecutor<'_>) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o ORDER BY o.name"
    )))
    .fetch_all(ex)
    .await
}

pub async fn is_lead(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisation_leads WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation_id)
    .bind(account_id)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

pub async fn add_lead(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_leads (organisation_id, account_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (organisation_id, account_id) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(account_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

pub async fn update_organisation(
    ex: impl AnyExecutor<'_>,
    o: &NewOrganisation<'_>,
) -> Result<(), sqlx::Error> {
    // Staff verified the organisation as being of its kind: changing the kind takes it out
    // of its peers until staff check it again.
    sqlx::query(
        "UPDATE organisations SET name = $2, kind = $3, siren = $4, departement = $5,
             commune_insee = $6, size_band = $7,
             verified = CASE WHEN kind = $3 THEN verified ELSE 0 END
         WHERE id = $1",
    )
    .bind(o.id)
    .bind(o.name)
    .bind(o.kind)
    .bind(o.siren)
    .bind(o.departement)
    .bind(o.commune_insee)
    .bind(o.size_band)
    .execute(ex)
    .await
    .map(|_| ())
}

/// Sets or clears the « vérifiée » flag (programme staff only: the handler checks).
pub async fn set_organisation_verified(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    verified: bool,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE organisations SET verified = $2 WHERE id = $1")
        .bind(organisation_id)
        .bind(i32::from(verified))
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

// --- Diagnostics ---------------------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct Diagnostic {
    pub id: String,
    pub organisation_id: Option<String>,
    pub coalition_id: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    pub title: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// 1 when the lead answers alone (« je réponds seul·e »): one link, results at once.
    pub solo: i32,
}

impl Diagnostic {
    pub fn is_solo(&self) -> bool {
        self.solo == 1
    }
}

pub(crate) const DIAGNOSTIC_COLUMNS: &str = "d.id, d.organisation_id, d.coalition_id, d.questionnaire_slug, \
     d.questionnaire_version, d.title, d.opened_at, d.closed_at, d.solo";

pub async fn diagnostic(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// An organisation's diagnostics, newest first.
pub async fn diagnostics_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d WHERE d.organisation_id = $1
         ORDER BY d.opened_at DESC, d.id DESC"
    )))
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Per diagnostic of an organisation: `(diagnostic id, started, submitted)` responses.
pub async fn response_counts_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, COUNT(r.id), CAST(COALESCE(SUM(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT)
         FROM diagnostics d LEFT JOIN responses r ON r.diagnostic_id = d.id
         WHERE d.organisation_id = $1 GROUP BY d.id",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Marks a diagnostic as answered alone; done in the transaction that opens it.
pub async fn set_diagnostic_solo(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET solo = 1 WHERE id = $1")
        .bind(diagnostic_id)
        .execute(ex)
        .await
        .map(|_| ())
}

/// The peers of an organisation: for each other organisation of its kind, its latest
/// collective diagnostic on a questionnaire with at least `min_respondents` submitted
/// responses, provided that staff verified that organisation and that no lead of `viewed`
/// leads it.
///
/// Each condition stops one way of reading a real peer's scores through the medians: made-up
/// organisations are not verified, one's own organisations are led by oneself, and a solo
/// diagnostic or one with too few respondents is one or two people's answers.
pub async fn peer_diagnostics(
    ex: impl AnyExecutor<'_>,
    kind: &str,
    questionnaire_slug: &str,
    viewed: &str,
    min_respondents: i64,
) -> Result<Vec<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d JOIN organisations o ON o.id = d.organisation_id
         WHERE o.kind = $1 AND d.questionnaire_slug = $2 AND o.id <> $3 AND o.verified = 1
           AND NOT EXISTS (SELECT 1 FROM organisation_leads mine
                           JOIN organisation_leads theirs ON theirs.account_id = mine.account_id
                           WHERE mine.organisation_id = $3 AND theirs.organisation_id = o.id)
           AND d.solo = 0
           AND (SELECT COUNT(*) FROM responses r WHERE r.diagnostic_id = d.id AND r.submitted_at IS NOT NULL) >= $4
           AND d.opened_at = (SELECT MAX(d2.opened_at) FROM diagnostics d2
                              WHERE d2.organisation_id = o.id AND d2.questionnaire_slug = $2 AND d2.solo = 0
                                AND (SELECT COUNT(*) FROM responses r2
                                     WHERE r2.diagnostic_id = d2.id AND r2.submitted_at IS NOT NULL) >= $4)
         ORDER BY o.id, d.id"
    )))
    .bind(kind)
    .bind(questionnaire_slug)
    .bind(viewed)
    .bind(min_respondents)
    .fetch_all(ex)
    .await
}

// --- Invitations and responses ------------------------------------------------------------

#[derive(Debug, Clone, FromRow)]
pub struct Invitation {
    pub id: String,
    pub diagnostic_id: String,
    pub token: String,
    pub respondent_role: String,
    pub label: String,
    pub shared: i32,
    pub parent_id: Option<String>,
    pub response_id: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

const INVITATION_COLUMNS: &str = "id, diagnostic_id, token, respondent_role, label, shared, parent_id, \
     response_id, created_at, revoked_at";

pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub diagnostic_id: &'a str,
    pub token: &'a str,
    pub respondent_role: &'a str,
    pub label: &'a str,
    pub shared: bool,
    pub parent_id: Option<&'a str>,
    pub response_id: Option<&'a str>,
}

pub async fn insert_invitation(
    ex: impl AnyExecutor<'_>,
    i: &NewInvitation<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitations (id, diagnostic_id, token, respondent_role, label, shared, parent_id,
             response_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(i.id)
    .bind(i.diagnostic_id)
    .bind(i.token)
    .bind(i.respondent_role)
    .bind(i.label)
    .bind(i32::from(i.shared))
    .bind(i.parent_id)
    .bind(i.response_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// The links a lead handed out for a diagnostic (not the personal links made from a shared one).
pub async fn invitations_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations WHERE diagnostic_id = $1 AND parent_id IS NULL
         ORDER BY created_at, id"
    )))
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

pub async fn revoke_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = $3
         WHERE (id = $1 OR parent_id = $1) AND diagnostic_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(diagnostic_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|r| r.rows_affected() > 0)
}

/// Marks a personal link started; `false` when it already was (another request was first,
/// or it holds a response of its own from before links were made at start).
pub async fn mark_personal_link_started(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    started_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET started_at = $2
         WHERE id = $1 AND shared = 0 AND started_at IS NULL AND response_id IS NULL",
    )
    .bind(invitation_id)
    .bind(started_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Whether `token` is the link made when the personal link `invitation_id` was started.
pub async fn is_started_link_of(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    token: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM invitations WHERE parent_id = $1 AND token = $2",
    )
    .bind(invitation_id)
    .bind(token)
    .fetch_one(ex)
    .await
    .map(|n| n > 0)
}

/// Per invitation of a diagnostic: `(invitation id, started, submitted)`, counting the
/// personal links made from a shared one under it.
pub async fn invitation_progress(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(i.parent_id, i.id), COUNT(r.id),
                CAST(COALESCE(SUM(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT)
         FROM invitations i JOIN responses r ON r.id = i.response_id
         WHERE i.diagnostic_id = $1 GROUP BY COALESCE(i.parent_id, i.id)",
    )
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

/// Marks a response submitted, freezes its answers and stores their scores (with the
/// response's pinned questionnaire version); `false` when it already was submitted (a second
/// submit changes nothing).
pub async fn submit_response(
    pool: &Pool,
    id: &str,
    questionnaire: &crate::domain::questionnaire::Questionnaire,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let submitted = sqlx::query(
        "UPDATE responses SET submitted_at = $2 WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if submitted {
        freeze_answers(&mut tx, id).await?;
        score_frozen_response(&mut tx, questionnaire, id).await?;
    }
    tx.commit().await?;
    Ok(submitted)
}

pub async fn answers_of_response(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
) -> Result<Vec<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT response_id, question_id, state, value, justification FROM answers WHERE response_id = $1",
    )
    .bind(response_id)
    .fetch_all(ex)
    .await
}

// --- The respondent's side ------------------------------------------------------------------

/// Everything a respondent's page needs about its link, in one query.
#[derive(Debug, Clone, FromRow)]
pub struct RespondentLink {
    pub invitation_id: String,
    pub token: String,
    /// Set on a link made at start (from a shared or a personal link): the response's own.
    pub parent_id: Option<String>,
    /// Set on a personal link once started: its response is on a link of its own.
    pub started_at: Option<String>,
    pub respondent_role: String,
    pub shared: i32,
    pub revoked_at: Option<String>,
    pub response_id: Option<String>,
    pub diagnostic_id: String,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    pub closed_at: Option<String>,
    pub submitted_at: Option<String>,
    pub organisation_name: Option<String>,
}

pub async fn respondent_link(
    ex: impl AnyExecutor<'_>,
    token: &str,
) -> Result<Option<RespondentLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS invitation_id, i.token, i.parent_id, i.started_at, i.respondent_role, i.shared,
                i.revoked_at, i.response_id, i.diagnostic_id, d.questionnaire_slug, d.questionnaire_version, d.closed_at,
                r.submitted_at, o.name AS organisation_name
         FROM invitations i
         JOIN diagnostics d ON d.id = i.diagnostic_id
         LEFT JOIN responses r ON r.id = i.response_id
         LEFT JOIN organisations o ON o.id = d.organisation_id
         WHERE i.token = $1",
    )
    .bind(token)
    .fetch_optional(ex)
    .await
}

/// Records that a response is being written, if it is still open; `false` once submitted.
///
/// An UPDATE rather than a read, on purpose: on PostgreSQL it locks the response's row until
/// the transaction ends, as the submit's own UPDATE does, so a save and a submit of one
/// response take turns (on SQLite the write gate already makes them).
pub async fn mark_response_saved(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE responses SET last_saved_at = $2 WHERE id = $1 AND submitted_at IS NULL")
        .bind(response_id)
        .bind(at)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Saves a page: its answers, and removes the ones cleared, in one transaction that first
/// checks the response is not submitted. `false` (nothing written) when it is: after a
/// submit, nothing changes a response, and a save racing the submit either lands before it
/// (and is in the frozen answers and scores) or is refused.
pub async fn save_answers(
    pool: &Pool,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    cleared: &[&str],
) -> Result<bool, sqlx::Error> {
    let now = now();
    let mut tx = pool.begin().await?;
    if !mark_response_saved(&mut *tx, response_id, &now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    upsert_answers(&mut *tx, response_id, answers, &now).await?;
    delete_answers(&mut *tx, response_id, cleared).await?;
    tx.commit().await?;
    Ok(true)
}

/// Saves a page of answers in one statement, replacing earlier answers to the same questions.
pub async fn upsert_answers(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    if answers.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..answers.len())
        .map(|i| {
            let b = 3 + i * 4;
            format!("($1, ${}, ${}, ${}, ${}, $2)", b, b + 1, b + 2, b + 3)
        })
        .collect();
    let sql = format!(
        "INSERT INTO answers (response_id, question_id, state, value, justification, updated_at)
         VALUES {}
         ON CONFLICT (response_id, question_id) DO UPDATE SET
             state = excluded.state, value = excluded.value,
             justification = excluded.justification, updated_at = excluded.updated_at",
        rows.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(response_id)
        .bind(updated_at);
    for a in answers {
        query = query
            .bind(a.question_id)
            .bind(a.state)
            .bind(a.value)
            .bind(a.justification);
    }
    query.execute(ex).await.map(|_| ())
}

/// Removes answers a person cleared.
pub async fn delete_answers(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    question_ids: &[&str],
) -> Result<(), sqlx::Error> {
    if question_ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..question_ids.len())
        .map(|i| format!("${}", i + 2))
        .collect();
    let sql = format!(
        "DELETE FROM answers WHERE response_id = $1 AND question_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(response_id);
    for id in question_ids {
        query = query.bind(*id);
    }
    query.execute(ex).await.map(|_| ())
}

/// Freezes a submitted response's answers into `responses.answers_json`.
pub async fn freeze_answers(
    conn: &mut sqlx::AnyConnection,
    response_id: &str,
) -> Result<(), sqlx::Error> {
    let rows = answers_of_response(&mut *conn, response_id).await?;
    let frozen: Vec<(&str, &str, Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|a| {
            (
                a.question_id.as_str(),
                a.state.as_str(),
                a.value.as_deref(),
                a.justification.as_deref(),
            )
        })
        .collect();
    let json = serde_json::to_string(&frozen).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE responses SET answers_json = $2 WHERE id = $1")
        .bind(response_id)
        .bind(json)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// A submitted response with its frozen answers (`None` for one frozen before that existed).
#[derive(Debug, Clone, FromRow)]
pub struct FrozenResponse {
    pub id: String,
    pub respondent_role: String,
    pub answers_json: Option<String>,
}

/// In the order they were submitted: results count them in whole groups of three, the
/// earliest first, so that a newcomer never changes which earlier ones count.
pub async fn frozen_responses_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<FrozenResponse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, respondent_role, answers_json FROM responses
         WHERE diagnostic_id = $1 AND submitted_at IS NOT NULL ORDER BY submitted_at, id",
    )
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

/// Reads frozen answers back into rows.
pub fn thaw_answers(response_id: &str, json: &str) -> Result<Vec<AnswerRow>, serde_json::Error> {
    let frozen: Vec<(String, String, Option<String>, Option<String>)> = serde_json::from_str(json)?;
    Ok(frozen
        .into_iter()
        .map(|(question_id, state, value, justification)| AnswerRow {
            response_id: response_id.to_owned(),
            question_id,
            state,
            value,
            justification,
        })
        .collect())
}

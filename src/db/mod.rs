//! All SQL of the service, one function a query, each taking an executor so that it runs
//! on the pool or inside a transaction alike.
//!
//! The same SQL runs on SQLite and PostgreSQL through sqlx's `Any` driver: `$1…$N`
//! placeholders, text ids and ISO-8601 text timestamps, no backend-specific types (see
//! `../shared/notes/stack.md` for the limits met). Only [`connect`] knows the backends apart.
//!
//! One file an area (versions, accounts, organisations, diagnostics, invitations, responses,
//! scores, …), all re-exported here so that callers write `db::function`. This file keeps
//! what every area shares: connecting, migrating, the write transaction ([`begin_write`]),
//! ids and timestamps.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::path::Path;
use std::time::Duration;

/// Anything a query can run on: the pool, a connection or a transaction.
pub trait AnyExecutor<'c>: Executor<'c, Database = sqlx::Any> {}
impl<'c, T: Executor<'c, Database = sqlx::Any>> AnyExecutor<'c> for T {}

pub type Pool = AnyPool;

mod account_links;
mod account_settings;
mod accounts;
mod actions;
mod bulk;
mod co_leads;
mod coalitions;
mod diagnostics;
mod faults;
mod indicators;
mod invitation_mails;
mod invitations;
mod join_requests;
mod journal;
mod mail;
mod notifications;
mod organisation_deletion;
mod organisations;
mod overview;
mod publications;
mod responses;
mod retention;
mod scores;
mod sessions;
mod versions;
mod years;
pub use account_links::*;
pub use account_settings::*;
pub use accounts::*;
pub use actions::*;
pub use bulk::*;
pub use co_leads::*;
pub use coalitions::*;
pub use diagnostics::*;
pub use faults::{Fault, fault, probe_write, retry_conflicts};
pub use indicators::*;
pub use invitation_mails::*;
pub use invitations::*;
pub use join_requests::*;
pub use journal::*;
pub use mail::*;
pub use notifications::*;
pub use organisation_deletion::*;
pub use organisations::*;
pub use overview::*;
pub use publications::*;
pub use responses::*;
pub use retention::*;
pub use scores::*;
pub use sessions::*;
pub use versions::*;
pub use years::*;

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

//! Storage faults: which errors mean « the write did not happen, send it again », which are
//! worth retrying at once, the pool hooks that keep a connection in an unknown state out of
//! the pool, and the write probe behind `/health`.
//!
//! Why the pool hooks: SQLite ends a transaction by itself when a write fails for lack of
//! space or on an I/O error (`SQLITE_FULL`, `SQLITE_IOERR`). sqlx's own rollback then fails,
//! sqlx still counts the connection as inside a transaction, and its next « begin » becomes
//! a SAVEPOINT: from the first rollback of that savepoint on, the connection holds an open
//! transaction for good. Every later write on it would be acknowledged and never committed,
//! and every other writer would wait for its lock. A connection that comes back to the pool
//! still counted as inside a transaction is therefore closed, never reused.

use sqlx::AnyConnection;
use sqlx::Connection;
use sqlx::error::DatabaseError;
use std::future::Future;
use std::time::Duration;

/// SQLite's primary result codes met on a storage fault.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_IOERR: i32 = 10;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;

/// The storage part of an error: `Full`, `ReadOnly`… when the database is the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No space left (SQLite `SQLITE_FULL`, PostgreSQL `53100`).
    Full,
    /// The file, its folder or the server is read-only.
    ReadOnly,
    /// Reading or writing the disk failed.
    Io,
    /// Another writer holds the lock, or the pool had no free connection in time.
    Busy,
    /// The server cannot be reached, is starting or shutting down.
    Unreachable,
    /// A deadlock or a serialization failure: the same write may succeed at once.
    Conflict,
}

/// What kind of storage fault an error is, if it is one: a request that meets one answers
/// 503 (« not saved, send it again ») rather than 500.
pub fn fault(error: &sqlx::Error) -> Option<Fault> {
    match error {
        sqlx::Error::PoolTimedOut => Some(Fault::Busy),
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => Some(Fault::Unreachable),
        sqlx::Error::Io(e) => Some(match e.kind() {
            std::io::ErrorKind::StorageFull => Fault::Full,
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                Fault::ReadOnly
            }
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::NotConnected
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::TimedOut
            | std::io::ErrorKind::UnexpectedEof => Fault::Unreachable,
            _ => Fault::Io,
        }),
        sqlx::Error::Database(e) => database_fault(e.as_ref()),
        _ => None,
    }
}

fn database_fault(e: &dyn DatabaseError) -> Option<Fault> {
    if let Some(e) = e.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        let code: i32 = e.code()?.parse().ok()?;
        return match code & 0xff {
            SQLITE_FULL => Some(Fault::Full),
            SQLITE_READONLY => Some(Fault::ReadOnly),
            SQLITE_IOERR | SQLITE_CANTOPEN => Some(Fault::Io),
            SQLITE_BUSY | SQLITE_LOCKED => Some(Fault::Busy),
            _ => None,
        };
    }
    if let Some(e) = e.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        let code = e.code();
        return match code {
            "40001" | "40P01" => Some(Fault::Conflict),
            "53100" => Some(Fault::Full),
            "25006" => Some(Fault::ReadOnly),
            "55P03" => Some(Fault::Busy),
            "57P01" | "57P02" | "57P03" => Some(Fault::Unreachable),
            _ if code.starts_with("08") || code.starts_with("53") => Some(Fault::Unreachable),
            _ if code.starts_with("58") => Some(Fault::Io),
            _ => None,
        };
    }
    None
}

/// How many times a write that met a deadlock or a serialization failure is tried in all.
const ATTEMPTS: u32 = 4;

/// Runs a write again when PostgreSQL chose it as a deadlock's victim or failed to
/// serialize it (`40P01`, `40001`): nothing of it was kept, and the next try usually passes.
/// Other errors, and the last try's, are returned as they are.
pub async fn retry_conflicts<T, F, Fut>(mut write: F) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let mut attempt = 1;
    loop {
        match write().await {
            Err(e) if attempt < ATTEMPTS && fault(&e) == Some(Fault::Conflict) => {
                tracing::info!(error = %e, attempt, "write conflict: trying again");
                // A short, growing pause lets the other transaction finish first.
                tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt))).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// The pool's `after_release` hook: `false` closes the connection instead of keeping it.
pub(super) async fn fit_for_reuse(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // A dropped transaction's rollback may still be queued: a ping runs after it, so the
    // count read next is the settled one.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!(
            "closing a database connection left inside a transaction (a failed rollback, e.g. after a full disk)"
        );
        return Ok(false);
    }
    Ok(true)
}

/// How much the write probe writes: enough to need new pages, so that a full disk shows.
const PROBE_BYTES: usize = 64 * 1024;

/// Writes (and commits) a row of [`PROBE_BYTES`] then removes the previous one: `/health`'s
/// proof that a write reaches the disk now. The new row is written before the old one is
/// removed, so the space it needs is new space.
pub async fn probe_write(pool: &super::Pool, writes: &super::WriteGate) -> Result<(), sqlx::Error> {
    let id = super::new_id();
    let mut tx = super::begin_write(pool, writes).await?;
    sqlx::query("INSERT INTO health_probes (id, payload, written_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(probe_payload())
        .bind(super::now())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM health_probes WHERE id <> $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Bytes that compression cannot shrink (PostgreSQL compresses long text).
fn probe_payload() -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id());
    let mut s = String::with_capacity(PROBE_BYTES);
    while s.len() < PROBE_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&format!("{x:016x}"));
    }
    s
}

//! The yearly report's and the open data's large reads (every response of two years, every
//! stored score, every frozen answer of a year) through the backend's own driver.
//!
//! Why not the pool: sqlx's `Any` driver converts every value of every row into an `AnyValue`
//! (a `String` for each text) on top of the backend's own row. At a million responses on
//! SQLite that conversion was most of the report (13.5 s of 21 s, for the stored scores
//! alone). A [`BulkReader`] opens one connection of the backend named by the pool's URL
//! (`SqliteConnection`, read-only, or `PgConnection`) and hands rows over borrowed, without
//! an `AnyRow` or a `String` a value; the SQL is the same on both (`$n` placeholders).
//!
//! An in-memory SQLite database cannot be opened twice (a second connection would see an
//! empty database of its own), so it is read through the pool ([`BulkReader::Portable`]);
//! [`portable_reader`] also lets a test compare both ways of reading.

use super::{Pool, ResponseListing};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Row};
use std::time::Duration;

/// Rows SQLite's worker thread may read ahead of the consumer (sqlx's default is 50): enough
/// that the two threads rarely wait on each other, small enough to stay a few megabytes.
const ROWS_READ_AHEAD: usize = 4096;

/// One connection for large reads; see the module's documentation.
pub enum BulkReader<'p> {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
    /// Through the pool's `Any` driver: in-memory SQLite, or for comparison.
    Portable(&'p Pool),
}

/// Opens a reader on the pool's database, through its own driver when it can.
pub async fn bulk_reader(pool: &Pool) -> Result<BulkReader<'_>, sqlx::Error> {
    let url = pool.connect_options().database_url.clone();
    // The same patience for slow statements as the pool (see `connect_with`).
    let slow = (log::LevelFilter::Warn, Duration::from_secs(30));
    if super::is_sqlite(url.as_str()) {
        if super::sqlite_path(url.as_str()).is_none() || url.as_str().contains("mode=memory") {
            return Ok(BulkReader::Portable(pool));
        }
        // Read-only: this connection never writes, so it never needs the write gate; WAL
        // lets it read while instances write.
        let conn = SqliteConnectOptions::from_url(&url)?
            .read_only(true)
            .create_if_missing(false)
            .row_buffer_size(ROWS_READ_AHEAD)
            .log_slow_statements(slow.0, slow.1)
            .connect()
            .await?;
        return Ok(BulkReader::Sqlite(conn));
    }
    if matches!(url.scheme(), "postgres" | "postgresql") {
        let conn = PgConnectOptions::from_url(&url)?
            .log_slow_statements(slow.0, slow.1)
            .connect()
            .await?;
        return Ok(BulkReader::Postgres(conn));
    }
    Ok(BulkReader::Portable(pool))
}

/// A reader that goes through the pool's `Any` driver, whatever the backend.
pub fn portable_reader(pool: &Pool) -> BulkReader<'_> {
    BulkReader::Portable(pool)
}

impl BulkReader<'_> {
    /// Closes the reader's own connection (the pool's stay open).
    pub async fn close(self) -> Result<(), sqlx::Error> {
        match self {
            BulkReader::Sqlite(c) => sqlx::Connection::close(c).await,
            BulkReader::Postgres(c) => sqlx::Connection::close(c).await,
            BulkReader::Portable(_) => Ok(()),
        }
    }
}

/// Runs `$sql` with `$binds` on the reader's backend and runs `$body` for each `$row`, which
/// is the backend's own row type (the body is compiled once per backend). `$body` may use `?`.
macro_rules! each_row {
    ($reader:expr, $sql:expr, [$($bind:expr),*], |$row:ident| $body:block) => {{
        let sql: String = $sql;
        match $reader {
            BulkReader::Sqlite(conn) => {
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))$(.bind($bind))*.fetch(&mut *conn);
                while let Some($row) = rows.try_next().await? $body
            }
            BulkReader::Postgres(conn) => {
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))$(.bind($bind))*.fetch(&mut *conn);
                while let Some($row) = rows.try_next().await? $body
            }
            BulkReader::Portable(pool) => {
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))$(.bind($bind))*.fetch(*pool);
                while let Some($row) = rows.try_next().await? $body
            }
        }
    }};
}

/// Year of a response: the year it was submitted, or started when it is not submitted.
const RESPONSE_YEAR: &str = "SUBSTR(COALESCE(r.submitted_at, r.started_at), 1, 4)";

/// Streams the responses counted in `from_year..=to_year` (submitted or not), ordered by id,
/// into `push`; returns how many. Served by the `responses_for_reports` index alone: the rows,
/// with their frozen answers, are never read.
pub async fn for_each_response_listing(
    reader: &mut BulkReader<'_>,
    from_year: i32,
    to_year: i32,
    mut push: impl FnMut(ResponseListing<'_>),
) -> Result<usize, sqlx::Error> {
    let mut n = 0;
    each_row!(
        reader,
        format!(
            "SELECT r.id, r.diagnostic_id, r.respondent_role, r.started_at, r.submitted_at
             FROM responses r
             WHERE {RESPONSE_YEAR} >= $1 AND {RESPONSE_YEAR} <= $2
             ORDER BY r.id"
        ),
        [format!("{from_year:04}"), format!("{to_year:04}")],
        |row| {
            push(ResponseListing {
                response_id: row.try_get(0)?,
                diagnostic_id: row.try_get(1)?,
                respondent_role: row.try_get(2)?,
                started_at: row.try_get(3)?,
                submitted_at: row.try_get(4)?,
            });
            n += 1;
        }
    );
    Ok(n)
}

/// Streams the stored scores of `columns` (a choice among [`super::score_columns`]) of every
/// scored response into `push(response_id, scores, coverage)`, the scores in the order of
/// `columns`; returns how many. One pass over the table, in no set order: the caller
/// matches them to responses. Reading only the columns a caller uses matters: each value
/// read costs, and the response frame needs 7 of the 32.
pub async fn for_each_stored_score(
    reader: &mut BulkReader<'_>,
    columns: &[&str],
    mut push: impl FnMut(&str, &[Option<f64>], f64),
) -> Result<usize, sqlx::Error> {
    let known = super::score_columns();
    if let Some(unknown) = columns.iter().find(|c| !known.iter().any(|k| k == *c)) {
        return Err(sqlx::Error::ColumnNotFound((*unknown).to_owned()));
    }
    let selected = if columns.is_empty() {
        String::new()
    } else {
        format!("{}, ", columns.join(", "))
    };
    let mut values = vec![None; columns.len()];
    let mut n = 0;
    each_row!(
        reader,
        format!("SELECT response_id, {selected}coverage FROM response_scores"),
        [],
        |row| {
            for (i, v) in values.iter_mut().enumerate() {
                *v = row.try_get::<Option<f64>, _>(1 + i)?;
            }
            let coverage: f64 = row.try_get(1 + columns.len())?;
            push(row.try_get(0)?, &values, coverage);
            n += 1;
        }
    );
    Ok(n)
}

/// Streams the submitted responses of organisations' diagnostics submitted in `year`, with
/// their frozen answers (`None` when they were submitted before answers were frozen), into
/// `push(diagnostic_id, response_id, submitted_at, answers_json)`, one diagnostic after
/// another (in no set order within a diagnostic); returns how many. The open data's collective scores of a diagnostic are
/// computed from these.
pub async fn for_each_submitted_answers(
    reader: &mut BulkReader<'_>,
    year: i32,
    mut push: impl FnMut(&str, &str, &str, Option<&str>),
) -> Result<usize, sqlx::Error> {
    let mut n = 0;
    each_row!(
        reader,
        // A range on the ISO-8601 text rather than SUBSTR, so that the index
        // `responses_by_diagnostic_submitted` picks the year's rows before they are read; and
        // in diagnostic order only, which is all the caller needs (it orders each
        // diagnostic's respondents itself), so that no sort is needed.
        "SELECT r.diagnostic_id, r.id, r.answers_json, r.submitted_at
         FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.organisation_id IS NOT NULL
           AND r.submitted_at >= $1 AND r.submitted_at < $2
         ORDER BY r.diagnostic_id"
            .to_owned(),
        [format!("{year:04}"), format!("{:04}", year + 1)],
        |row| {
            push(
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(3)?,
                row.try_get(2)?,
            );
            n += 1;
        }
    );
    Ok(n)
}

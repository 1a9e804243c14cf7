//! The files of produced reports ([`report_files`](store_report_files)) and the background
//! jobs that produce them.
//!
//! A job is taken with [`claim_job`], a compare-and-set on its lease, so that with several
//! instances on one database each job runs on one of them; the holder renews the lease
//! ([`renew_job_lease`]) and ends the job ([`finish_job`]) only while it still holds it. A
//! job whose instance died keeps a lease that expires, and the next claim takes it over.

use super::AnyExecutor;
use crate::domain::jobs::{JobKind, JobStatus};
use sqlx::FromRow;

/// Kind of report files: seen by staff only.
pub const REPORT_DRAFT: &str = "draft";
/// Kind of report files: public.
pub const REPORT_PUBLISHED: &str = "published";

/// One file of a produced report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// Relative to the report's folder (`index.html`, `data/coverage.csv`).
    pub path: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A file as listed (without its body).
#[derive(Debug, Clone, FromRow)]
pub struct ReportFileListing {
    pub path: String,
    pub content_type: String,
    pub bytes: i64,
    pub produced_at: String,
}

/// Replaces the files of `(year, kind)` with `files`. Run it inside a write transaction:
/// readers then see the old report or the new one, never a mix.
pub async fn store_report_files(
    ex: &mut sqlx::AnyConnection,
    year: i32,
    kind: &str,
    files: &[ReportFile],
    now: &str,
) -> Result<(), sqlx::Error> {
    use base64::Engine;
    sqlx::query("DELETE FROM report_files WHERE year = $1 AND kind = $2")
        .bind(year)
        .bind(kind)
        .execute(&mut *ex)
        .await?;
    for file in files {
        let (base64, body) = match std::str::from_utf8(&file.bytes) {
            Ok(text) => (0, text.to_owned()),
            Err(_) => (
                1,
                base64::engine::general_purpose::STANDARD.encode(&file.bytes),
            ),
        };
        sqlx::query(
            "INSERT INTO report_files (year, kind, path, content_type, base64, body, bytes, produced_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(year)
        .bind(kind)
        .bind(&file.path)
        .bind(&file.content_type)
        .bind(base64)
        .bind(body)
        .bind(file.bytes.len() as i64)
        .bind(now)
        .execute(&mut *ex)
        .await?;
    }
    Ok(())
}

/// One stored file of a report; `None` when there is no such file.
pub async fn report_file(
    ex: impl AnyExecutor<'_>,
    year: i32,
    kind: &str,
    path: &str,
) -> Result<Option<ReportFile>, sqlx::Error> {
    use base64::Engine;
    let row: Option<(String, String, i32, String)> = sqlx::query_as(
        "SELECT path, content_type, base64, body FROM report_files
         WHERE year = $1 AND kind = $2 AND path = $3",
    )
    .bind(year)
    .bind(kind)
    .bind(path)
    .fetch_optional(ex)
    .await?;
    let Some((path, content_type, base64, body)) = row else {
        return Ok(None);
    };
    let bytes = if base64 == 1 {
        base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?
    } else {
        body.into_bytes()
    };
    Ok(Some(ReportFile {
        path,
        content_type,
        bytes,
    }))
}

/// The files of a report, by path.
pub async fn report_file_listings(
    ex: impl AnyExecutor<'_>,
    year: i32,
    kind: &str,
) -> Result<Vec<ReportFileListing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT path, content_type, bytes, produced_at FROM report_files
         WHERE year = $1 AND kind = $2 ORDER BY path",
    )
    .bind(year)
    .bind(kind)
    .fetch_all(ex)
    .await
}

/// Years that have stored files of `kind`, with when they were produced, latest year first.
pub async fn report_years(
    ex: impl AnyExecutor<'_>,
    kind: &str,
) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT year, MAX(produced_at) FROM report_files WHERE kind = $1
         GROUP BY year ORDER BY year DESC",
    )
    .bind(kind)
    .fetch_all(ex)
    .await
}

// --- Jobs --------------------------------------------------------------------------------------

/// A background job as its row holds it.
#[derive(Debug, Clone, FromRow)]
pub struct Job {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub kind: JobKind,
    pub year: i32,
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    pub requested_by: Option<String>,
    pub requested_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub lease_holder: Option<String>,
    pub lease_until: Option<String>,
    pub attempts: i32,
    pub progress: String,
    pub error: Option<String>,
}

const JOB_COLUMNS: &str = "id, kind, year, status, requested_by, requested_at, started_at,
    finished_at, lease_holder, lease_until, attempts, progress, error";

/// Queues a job; `false` when the same kind of job for that year already waits or runs
/// (nothing is added then).
pub async fn queue_job(
    ex: impl AnyExecutor<'_>,
    id: &str,
    kind: &str,
    year: i32,
    requested_by: Option<&str>,
    now: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO jobs (id, kind, year, status, requested_by, requested_at)
         VALUES ($1, $2, $3, 'queued', $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(kind)
    .bind(year)
    .bind(requested_by)
    .bind(now)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Jobs that may be taken at `now`: queued, or running under an expired lease; oldest first.
pub async fn claimable_job_ids(
    ex: impl AnyExecutor<'_>,
    now: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM jobs
         WHERE status = 'queued' OR (status = 'running' AND lease_until <= $1)
         ORDER BY requested_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Takes job `id` for `holder` until `lease_until`, if it is still queued or its lease
/// expired; `None` when another worker took it first.
pub async fn claim_job(
    ex: &mut sqlx::AnyConnection,
    id: &str,
    holder: &str,
    now: &str,
    lease_until: &str,
) -> Result<Option<Job>, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE jobs SET status = 'running', lease_holder = $2, lease_until = $4,
                         started_at = $3, attempts = attempts + 1, error = NULL
         WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND lease_until <= $3))",
    )
    .bind(id)
    .bind(holder)
    .bind(now)
    .bind(lease_until)
    .execute(&mut *ex)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }
    job(ex, id).await
}

/// Moves the lease of a job its holder still holds, with the step it is at; `false` when the
/// job was taken over (its lease had expired) or ended.
pub async fn renew_job_lease(
    ex: impl AnyExecutor<'_>,
    id: &str,
    holder: &str,
    lease_until: &str,
    progress: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET lease_until = $3, progress = COALESCE($4, progress)
         WHERE id = $1 AND lease_holder = $2 AND status = 'running'",
    )
    .bind(id)
    .bind(holder)
    .bind(lease_until)
    .bind(progress)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Ends a job its holder still holds, as `done` or `failed` (with `error`); `false` when it
/// no longer holds it. Run it in the transaction that writes the job's result, so that the
/// result of a job taken over is never committed twice.
pub async fn finish_job(
    ex: impl AnyExecutor<'_>,
    id: &str,
    holder: &str,
    now: &str,
    error: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET status = $4, finished_at = $3, lease_until = NULL, error = $5
         WHERE id = $1 AND lease_holder = $2 AND status = 'running'",
    )
    .bind(id)
    .bind(holder)
    .bind(now)
    .bind(if error.is_some() {
        JobStatus::Failed.code()
    } else {
        JobStatus::Done.code()
    })
    .bind(error)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn job(ex: impl AnyExecutor<'_>, id: &str) -> Result<Option<Job>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The latest jobs, newest first.
pub async fn recent_jobs(ex: impl AnyExecutor<'_>, limit: i64) -> Result<Vec<Job>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {JOB_COLUMNS} FROM jobs ORDER BY requested_at DESC, id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Measurements dated in `year`: what publishing the year locks.
pub async fn measurements_dated_in(
    ex: impl AnyExecutor<'_>,
    year: i32,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM measurements WHERE measured_on >= $1 AND measured_on <= $2",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{year:04}-12-31"))
    .fetch_one(ex)
    .await
}

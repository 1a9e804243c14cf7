//! Producing and publishing the yearly report, stored in the database.
//!
//! Every file of a report (documents in French and English, charts, data files,
//! `datapackage.json`, the whole folder as a zip) is stored as a row of `report_files`, keyed
//! by year, kind (draft or published) and path, so that every instance serves the same
//! report and nothing lives on one server's disk. A draft replaces the year's previous draft;
//! publishing stores the year's tables, locks its measurements and stores the published
//! files, all in one transaction: a published report exists entirely or not at all.
//!
//! Both run as background jobs (`crate::app::jobs`); the `lease` argument ties the write to
//! the job's lease, so that a job taken over by another worker never commits twice.

use crate::analytics::publish::Table;
use crate::app::error::AppError;
use crate::app::export::ProgressReport;
use crate::db::{self, Pool, ReportFile, WriteGate};
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::Registry;
use crate::report::folder;

/// The languages a stored report is written in: French at the root, English under `en/`.
pub const LANGS: &[Lang] = &[Lang::Fr, Lang::En];

/// The lease a job holds; its result is committed only while it still holds it.
#[derive(Debug, Clone)]
pub struct JobLease {
    pub job_id: String,
    pub holder: String,
}

/// The job lost its lease (another worker took it over): nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("the job was taken over by another worker")]
pub struct TakenOver;

async fn render(
    year: i32,
    tables: Vec<Table>,
    frozen: bool,
) -> Result<(Vec<Table>, Vec<ReportFile>), AppError> {
    let (tables, files) = crate::analytics::off_runtime(move || {
        let files = folder::files_with_archive(year, LANGS, &tables, frozen)?;
        Ok::<_, anyhow::Error>((tables, files))
    })
    .await??;
    Ok((tables, files))
}

/// Ends the job inside the transaction that writes its result; `Err(TakenOver)` when the job
/// is no longer this worker's.
async fn finish_in(tx: &mut sqlx::AnyConnection, lease: Option<&JobLease>) -> Result<(), AppError> {
    if let Some(lease) = lease
        && !db::finish_job(&mut *tx, &lease.job_id, &lease.holder, &db::now(), None).await?
    {
        return Err(AppError::Internal(TakenOver.into()));
    }
    Ok(())
}

/// Produces the draft report of `year` and stores its files (staff only); a published year's
/// draft is made of its published figures. Returns the number of files stored.
pub async fn produce_draft(
    pool: &Pool,
    registry: &Registry,
    writes: &WriteGate,
    year: i32,
    progress: &(dyn ProgressReport + Sync),
    lease: Option<&JobLease>,
) -> Result<usize, AppError> {
    let (tables, frozen) = crate::report::tables(pool, registry, year, progress).await?;
    progress.step("writing");
    let (_, files) = render(year, tables, frozen).await?;
    let mut tx = db::begin_write(pool, writes).await?;
    db::store_report_files(&mut tx, year, db::REPORT_DRAFT, &files, &db::now()).await?;
    finish_in(&mut tx, lease).await?;
    tx.commit().await?;
    Ok(files.len())
}

/// What publishing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// The year is now published: its figures are stored and its measurements locked.
    Now,
    /// It was already published: its figures stay those published (its files are stored
    /// again from them if they were missing, as for a year published before files were).
    Already,
}

/// Publishes the report of `year`: stores its tables (its figures no longer change), locks
/// the year's measurements and stores its public files, in one transaction.
pub async fn publish(
    pool: &Pool,
    registry: &Registry,
    writes: &WriteGate,
    year: i32,
    by: Option<&str>,
    progress: &(dyn ProgressReport + Sync),
    lease: Option<&JobLease>,
) -> Result<Published, AppError> {
    if db::locked_years(pool).await?.contains(&year) {
        let stored = db::report_file_listings(pool, year, db::REPORT_PUBLISHED).await?;
        if stored.is_empty() {
            let (tables, _) = crate::report::tables(pool, registry, year, progress).await?;
            progress.step("writing");
            let (_, files) = render(year, tables, true).await?;
            let mut tx = db::begin_write(pool, writes).await?;
            db::store_report_files(&mut tx, year, db::REPORT_PUBLISHED, &files, &db::now()).await?;
            finish_in(&mut tx, lease).await?;
            tx.commit().await?;
        } else if let Some(lease) = lease {
            db::finish_job(pool, &lease.job_id, &lease.holder, &db::now(), None).await?;
        }
        return Ok(Published::Already);
    }
    let tables = crate::report::compute(pool, registry, year, progress).await?;
    progress.step("writing");
    let (tables, files) = render(year, tables, true).await?;
    let csv: Vec<(&'static str, String)> = crate::analytics::off_runtime(move || {
        tables
            .iter()
            .map(|t| Ok((t.name, crate::report::to_csv(&t.frame)?)))
            .collect::<polars::prelude::PolarsResult<Vec<_>>>()
    })
    .await?
    .map_err(|e| AppError::Internal(e.into()))?;
    progress.step("publishing");
    let now = db::now();
    let mut tx = db::begin_write(pool, writes).await?;
    if !db::lock_year(&mut *tx, year, &now, by).await? {
        // Published meanwhile by someone else: theirs stands.
        tx.rollback().await?;
        if let Some(lease) = lease {
            db::finish_job(pool, &lease.job_id, &lease.holder, &db::now(), None).await?;
        }
        return Ok(Published::Already);
    }
    for (name, csv) in &csv {
        db::insert_report_table(&mut *tx, year, name, csv).await?;
    }
    db::store_report_files(&mut tx, year, db::REPORT_PUBLISHED, &files, &now).await?;
    finish_in(&mut tx, lease).await?;
    tx.commit().await?;
    Ok(Published::Now)
}

/// A published report as the public list shows it.
#[derive(Debug, Clone)]
pub struct Publication {
    pub year: i32,
    pub published_at: String,
}

/// The published reports whose files are stored, latest year first.
pub async fn published(pool: &Pool) -> Result<Vec<Publication>, AppError> {
    let with_files = db::report_years(pool, db::REPORT_PUBLISHED).await?;
    Ok(db::published_reports(pool)
        .await?
        .into_iter()
        .filter(|(year, _)| with_files.iter().any(|(y, _)| y == year))
        .map(|(year, published_at)| Publication { year, published_at })
        .collect())
}

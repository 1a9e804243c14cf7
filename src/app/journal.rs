//! A coalition's journal and productions: reading what the reader may see, and adding an
//! entry or a production.

use crate::app::error::AppError;
use crate::db::{self, JournalEntryRow, Pool, ProductionRow, WriteGate};
use crate::domain::coalition::journal::{JournalEntry, Production};

/// Enough for years of monthly entries; older ones are kept, not shown.
pub const JOURNAL_PAGE_LIMIT: i64 = 500;

/// What the journal page shows: entries newest first (the private ones only to those who
/// read them), and every production.
pub struct Journal {
    pub entries: Vec<JournalEntryRow>,
    pub productions: Vec<ProductionRow>,
}

pub async fn journal(
    pool: &Pool,
    coalition_id: &str,
    reads_private: bool,
) -> Result<Journal, AppError> {
    Ok(Journal {
        entries: db::journal_entries(pool, coalition_id, reads_private, JOURNAL_PAGE_LIMIT).await?,
        productions: db::productions(pool, coalition_id).await?,
    })
}

/// The latest entries, for the coalition's page.
pub async fn latest_entries(
    pool: &Pool,
    coalition_id: &str,
    reads_private: bool,
    count: i64,
) -> Result<Vec<JournalEntryRow>, AppError> {
    Ok(db::journal_entries(pool, coalition_id, reads_private, count).await?)
}

pub async fn add_entry(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    account_id: &str,
    entry: &JournalEntry,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_journal_entry(
        &mut *tx,
        &db::NewJournalEntry {
            id: &db::new_id(),
            coalition_id,
            kind: entry.kind.code(),
            occurred_on: &entry.occurred_on.to_string(),
            title: &entry.title,
            attendance: entry.attendance,
            notes: &entry.notes,
            is_public: entry.is_public,
            recorded_by: Some(account_id),
            recorded_at: &db::now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_production(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    account_id: &str,
    production: &Production,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_production(
        &mut *tx,
        &db::NewProduction {
            id: &db::new_id(),
            coalition_id,
            title: &production.title,
            url: &production.url,
            licence: production.licence.code(),
            published_on: &production.published_on.to_string(),
            description: &production.description,
            recorded_by: Some(account_id),
            recorded_at: &db::now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

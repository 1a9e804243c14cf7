//! A coalition's journal and productions: reading what the reader may see, adding an entry
//! or a production, editing an entry (refused when the person's page is older than the
//! entry) and deleting one.

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

/// One entry of the coalition, if the reader may read it: an entry kept among members is
/// not found for the others, as if it did not exist.
pub async fn entry(
    pool: &Pool,
    coalition_id: &str,
    reads_private: bool,
    id: &str,
) -> Result<JournalEntryRow, AppError> {
    db::journal_entry(pool, coalition_id, id)
        .await?
        .filter(|e| reads_private || e.is_public())
        .ok_or(AppError::NotFound)
}

/// What became of an edit.
pub enum Edited {
    Done,
    /// The entry changed since the person's page (which showed `shown`): nothing written.
    /// `before` is the entry as their page showed it, when it is kept, and `now` as it is.
    Stale {
        before: Option<Box<JournalEntryRow>>,
        now: Box<JournalEntryRow>,
    },
}

/// Writes `entry` over the entry `id`, if it is still at the revision `shown` that the
/// person's page showed; the entry as it was is kept among its versions.
pub async fn edit_entry(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    id: &str,
    shown: Option<i32>,
    account_id: &str,
    entry: &JournalEntry,
) -> Result<Edited, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    // Checked inside the transaction, behind the write gate: an overlapping edit has written
    // or will see this one's revision.
    let written = match shown {
        Some(shown) => {
            db::keep_journal_entry_version(&mut *tx, coalition_id, id, shown).await?
                && db::update_journal_entry(
                    &mut *tx,
                    &db::NewJournalEntry {
                        id,
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
                    shown,
                )
                .await?
        }
        None => false,
    };
    if written {
        tx.commit().await?;
        return Ok(Edited::Done);
    }
    drop(tx);
    let now = db::journal_entry(pool, coalition_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = match shown {
        Some(shown) => db::journal_entry_version(pool, id, shown).await?,
        None => None,
    };
    Ok(Edited::Stale {
        before: before.map(Box::new),
        now: Box::new(now),
    })
}

/// Deletes an entry of the coalition and its earlier versions; not found when there is none.
pub async fn delete_entry(
    pool: &Pool,
    writes: &WriteGate,
    coalition_id: &str,
    id: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::delete_journal_entry_versions(&mut *tx, coalition_id, id).await?;
    if !db::delete_journal_entry(&mut *tx, coalition_id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

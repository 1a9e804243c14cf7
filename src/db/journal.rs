//! A coalition's journal entries and productions: adding them, reading them newest first,
//! editing and deleting an entry. An entry not made public is read only by the coalition's
//! members and the programme staff; the caller says which the reader may see. An edit keeps
//! the entry as it was in `journal_entry_versions` and moves its revision on, so that an edit
//! made from an older page is refused with what changed.

use super::AnyExecutor;
use crate::domain::coalition::journal::{EntryKind, Licence};
use sqlx::FromRow;

pub struct NewJournalEntry<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    /// reset_day, atelier, decision, reunion, autre
    pub kind: &'a str,
    pub occurred_on: &'a str,
    pub title: &'a str,
    pub attendance: Option<i32>,
    pub notes: &'a str,
    pub is_public: bool,
    pub recorded_by: Option<&'a str>,
    pub recorded_at: &'a str,
}

/// Adds a journal entry; `false` when one with this id exists (it is left as it is).
pub async fn insert_journal_entry(
    ex: impl AnyExecutor<'_>,
    e: &NewJournalEntry<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO journal_entries (id, coalition_id, kind, occurred_on, title, attendance,
             notes, is_public, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(e.id)
    .bind(e.coalition_id)
    .bind(e.kind)
    .bind(e.occurred_on)
    .bind(e.title)
    .bind(e.attendance)
    .bind(e.notes)
    .bind(i32::from(e.is_public))
    .bind(e.recorded_by)
    .bind(e.recorded_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct JournalEntryRow {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub kind: EntryKind,
    pub occurred_on: String,
    pub title: String,
    pub attendance: Option<i32>,
    pub notes: String,
    /// 0 or 1.
    pub is_public: i32,
    pub recorded_by_name: Option<String>,
    /// 1 when recorded, one more at each edit.
    pub revision: i32,
}

impl JournalEntryRow {
    pub fn is_public(&self) -> bool {
        self.is_public != 0
    }
}

/// A coalition's journal, newest first: every entry when `include_private`, else the public
/// ones; at most `limit` entries.
pub async fn journal_entries(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    include_private: bool,
    limit: i64,
) -> Result<Vec<JournalEntryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.id, j.kind, j.occurred_on, j.title, j.attendance, j.notes, j.is_public,
             a.display_name AS recorded_by_name, j.revision
         FROM journal_entries j LEFT JOIN accounts a ON a.id = j.recorded_by
         WHERE j.coalition_id = $1 AND (j.is_public = 1 OR $2 = 1)
         ORDER BY j.occurred_on DESC, j.recorded_at DESC, j.id DESC
         LIMIT $3",
    )
    .bind(coalition_id)
    .bind(i32::from(include_private))
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// One entry of a coalition, whoever may read it (the caller checks); `None` when the
/// coalition has no such entry.
pub async fn journal_entry(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<Option<JournalEntryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT j.id, j.kind, j.occurred_on, j.title, j.attendance, j.notes, j.is_public,
             a.display_name AS recorded_by_name, j.revision
         FROM journal_entries j LEFT JOIN accounts a ON a.id = j.recorded_by
         WHERE j.coalition_id = $1 AND j.id = $2",
    )
    .bind(coalition_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// One earlier version of an entry, as it was at `revision` (kept when it was edited).
pub async fn journal_entry_version(
    ex: impl AnyExecutor<'_>,
    entry_id: &str,
    revision: i32,
) -> Result<Option<JournalEntryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.entry_id AS id, v.kind, v.occurred_on, v.title, v.attendance, v.notes,
             v.is_public, a.display_name AS recorded_by_name, v.revision
         FROM journal_entry_versions v LEFT JOIN accounts a ON a.id = v.recorded_by
         WHERE v.entry_id = $1 AND v.revision = $2",
    )
    .bind(entry_id)
    .bind(revision)
    .fetch_optional(ex)
    .await
}

/// Keeps the entry as it is now among its versions, if it is still at revision `shown`;
/// `false` when it moved on or is gone (then nothing may be written over it).
pub async fn keep_journal_entry_version(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
    shown: i32,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO journal_entry_versions (entry_id, revision, kind, occurred_on, title,
             attendance, notes, is_public, recorded_by, recorded_at)
         SELECT id, revision, kind, occurred_on, title, attendance, notes, is_public,
             recorded_by, recorded_at
         FROM journal_entries WHERE id = $1 AND coalition_id = $2 AND revision = $3
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(coalition_id)
    .bind(shown)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Writes `e` over the entry with the next revision, only if it is still at `shown`;
/// `false` (nothing written) when it moved on or is gone.
pub async fn update_journal_entry(
    ex: impl AnyExecutor<'_>,
    e: &NewJournalEntry<'_>,
    shown: i32,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE journal_entries SET kind = $3, occurred_on = $4, title = $5, attendance = $6,
             notes = $7, is_public = $8, recorded_by = $9, recorded_at = $10,
             revision = revision + 1
         WHERE id = $1 AND coalition_id = $2 AND revision = $11",
    )
    .bind(e.id)
    .bind(e.coalition_id)
    .bind(e.kind)
    .bind(e.occurred_on)
    .bind(e.title)
    .bind(e.attendance)
    .bind(e.notes)
    .bind(i32::from(e.is_public))
    .bind(e.recorded_by)
    .bind(e.recorded_at)
    .bind(shown)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Deletes the earlier versions of an entry of the coalition (before the entry itself).
pub async fn delete_journal_entry_versions(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM journal_entry_versions WHERE entry_id IN
             (SELECT id FROM journal_entries WHERE id = $1 AND coalition_id = $2)",
    )
    .bind(id)
    .bind(coalition_id)
    .execute(ex)
    .await
    .map(|_| ())
}

/// Deletes an entry of the coalition; `false` when there is none.
pub async fn delete_journal_entry(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM journal_entries WHERE id = $1 AND coalition_id = $2")
        .bind(id)
        .bind(coalition_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

pub struct NewProduction<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub licence: &'a str,
    pub published_on: &'a str,
    pub description: &'a str,
    pub recorded_by: Option<&'a str>,
    pub recorded_at: &'a str,
}

/// Adds a production; `false` when one with this id exists (it is left as it is).
pub async fn insert_production(
    ex: impl AnyExecutor<'_>,
    p: &NewProduction<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO productions (id, coalition_id, title, url, licence, published_on,
             description, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(p.id)
    .bind(p.coalition_id)
    .bind(p.title)
    .bind(p.url)
    .bind(p.licence)
    .bind(p.published_on)
    .bind(p.description)
    .bind(p.recorded_by)
    .bind(p.recorded_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ProductionRow {
    pub id: String,
    pub title: String,
    pub url: String,
    #[sqlx(try_from = "String")]
    pub licence: Licence,
    pub published_on: String,
    pub description: String,
}

/// A coalition's productions, newest first (all are public).
pub async fn productions(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<ProductionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, url, licence, published_on, description FROM productions
         WHERE coalition_id = $1 ORDER BY published_on DESC, recorded_at DESC, id DESC",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// How many productions each coalition published, by coalition id; coalitions without any
/// are absent.
pub async fn production_counts(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT coalition_id, CAST(COUNT(*) AS BIGINT) FROM productions
         GROUP BY coalition_id ORDER BY coalition_id",
    )
    .fetch_all(ex)
    .await
}

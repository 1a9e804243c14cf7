//! A coalition's journal entries and productions: adding them, and reading them newest first.
//! An entry not made public is read only by the coalition's members and the programme staff;
//! the caller says which the reader may see.

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
             a.display_name AS recorded_by_name
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

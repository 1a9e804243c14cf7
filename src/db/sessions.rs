//! Sessions, and the records that limit sign-ins, sign-ups and starts from shared links.
//!
//! A session is valid while its row exists and has not expired: ending one deletes its row.
//! Limits are counted here, in the database, so that they hold across instances; the records
//! behind them are purged after a day by the worker's retention task (`app::retention`,
//! `purge_expired_records`).

use super::AnyExecutor;
use crate::domain::account::AccountRole;
use sqlx::FromRow;

pub async fn insert_session(
    ex: impl AnyExecutor<'_>,
    id: &str,
    account_id: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(account_id)
    .bind(created_at)
    .bind(expires_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// The account behind a session, as it is now.
#[derive(Debug, Clone, FromRow)]
pub struct LiveSession {
    pub account_id: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: AccountRole,
}

/// The account of a session still open at `now`; `None` once it was ended or has expired.
pub async fn live_session(
    ex: impl AnyExecutor<'_>,
    id: &str,
    now: &str,
) -> Result<Option<LiveSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.display_name, a.role
         FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.id = $1 AND s.expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(ex)
    .await
}

/// Ends one session.
pub async fn delete_session(ex: impl AnyExecutor<'_>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await
        .map(|_| ())
}

/// Ends every session of an account (« se déconnecter partout », a password change);
/// returns how many were open.
pub async fn delete_sessions_of_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected())
}

/// Sessions of an account still open at `now`.
pub async fn count_sessions_of_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1 AND expires_at > $2")
        .bind(account_id)
        .bind(now)
        .fetch_one(ex)
        .await
}

/// An account's email, for its own account page.
pub async fn account_email(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(ex)
        .await
}

pub async fn record_sign_up(
    ex: impl AnyExecutor<'_>,
    client: &str,
    created_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sign_ups (id, client, created_at) VALUES ($1, $2, $3)")
        .bind(super::new_id())
        .bind(client)
        .bind(created_at)
        .execute(ex)
        .await
        .map(|_| ())
}

/// Accounts created by a client since `since`, and when the oldest of them was.
pub async fn sign_ups_since(
    ex: impl AnyExecutor<'_>,
    client: &str,
    since: &str,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM sign_ups WHERE client = $1 AND created_at > $2",
    )
    .bind(client)
    .bind(since)
    .fetch_one(ex)
    .await
}

/// Personal links made from a shared link since `since`, and when the oldest of them was.
pub async fn personal_links_since(
    ex: impl AnyExecutor<'_>,
    shared_id: &str,
    since: &str,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM invitations WHERE parent_id = $1 AND created_at > $2",
    )
    .bind(shared_id)
    .bind(since)
    .fetch_one(ex)
    .await
}

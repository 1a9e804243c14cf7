//! One-time links of accounts: sign-ups waiting for their address to be confirmed, and
//! password resets. Only the SHA-256 of a link's secret is stored; a link is used by a
//! compare-and-set on `used_at`, so that two uses at once succeed once.

use super::AnyExecutor;
use crate::domain::account::AccountRole;
use sqlx::FromRow;

/// A sign-up waiting for its confirmation.
#[derive(Debug, Clone, FromRow)]
pub struct PendingSignUp {
    pub token_hash: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub language: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_pending_sign_up(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    email: &str,
    display_name: &str,
    password_hash: &str,
    language: &str,
    now: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pending_sign_ups (token_hash, email, display_name, password_hash, language,
                                       created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .bind(language)
    .bind(now)
    .bind(expires_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// The pending sign-up of a link, used or not, expired or not.
pub async fn pending_sign_up(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<PendingSignUp>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_hash, email, display_name, password_hash, language, expires_at, used_at
         FROM pending_sign_ups WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// Uses a sign-up link; `false` when it was used already or has expired.
pub async fn use_pending_sign_up(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE pending_sign_ups SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// An account's mail language (`fr`, `en`).
pub async fn set_account_language(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
    language: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET language = $2 WHERE id = $1")
        .bind(account_id)
        .bind(language)
        .execute(ex)
        .await
        .map(|_| ())
}

/// The language an account's mail is written in; `None` for an unknown account.
pub async fn account_language(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT language FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(ex)
        .await
}

pub async fn insert_password_reset(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    account_id: &str,
    now: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, account_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// The account a reset link may still be used for (unused, unexpired at `now`).
pub async fn password_reset_account(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    now: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT account_id FROM password_resets
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(ex)
    .await
}

/// Uses a reset link; `false` when it was used already or has expired.
pub async fn use_password_reset(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE password_resets SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Ends every other reset link of an account (a new password makes them pointless).
pub async fn use_password_resets_of_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .bind(now)
        .execute(ex)
        .await
        .map(|_| ())
}

pub async fn set_password_hash(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
        .bind(account_id)
        .bind(password_hash)
        .execute(ex)
        .await
        .map(|_| ())
}

pub async fn record_password_reset_request(
    ex: impl AnyExecutor<'_>,
    email_key: &str,
    client: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_reset_requests (id, email_key, client, requested_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(super::new_id())
    .bind(email_key)
    .bind(client)
    .bind(now)
    .execute(ex)
    .await
    .map(|_| ())
}

/// Reset requests since `since`, for this email and for this client.
pub async fn password_reset_requests_since(
    ex: impl AnyExecutor<'_>,
    email_key: &str,
    client: &str,
    since: &str,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM password_reset_requests WHERE email_key = $1 AND requested_at > $3),
            (SELECT COUNT(*) FROM password_reset_requests WHERE client = $2 AND requested_at > $3)",
    )
    .bind(email_key)
    .bind(client)
    .bind(since)
    .fetch_one(ex)
    .await
}

/// Forgets links and requests that can serve nothing any more: expired before `before`.
pub async fn purge_account_links_before(
    ex: &mut sqlx::AnyConnection,
    before: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pending_sign_ups WHERE expires_at < $1")
        .bind(before)
        .execute(&mut *ex)
        .await?;
    sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
        .bind(before)
        .execute(&mut *ex)
        .await?;
    sqlx::query("DELETE FROM password_reset_requests WHERE requested_at < $1")
        .bind(before)
        .execute(&mut *ex)
        .await?;
    Ok(())
}

/// An account's display name and role.
pub async fn account_name_and_role(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Option<(String, AccountRole)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT display_name, role FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(ex)
            .await?;
    row.map(|(name, role)| {
        AccountRole::try_from(role)
            .map(|role| (name, role))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
    .transpose()
}

/// Queues a reset request for the worker (`app::accounts::handle_reset_requests`).
pub async fn queue_password_reset(
    ex: impl AnyExecutor<'_>,
    email: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO password_reset_queue (id, email, requested_at) VALUES ($1, $2, $3)")
        .bind(super::new_id())
        .bind(email)
        .bind(now)
        .execute(ex)
        .await
        .map(|_| ())
}

/// The oldest reset requests waiting for the worker (their ids), at most `limit`.
pub async fn queued_password_resets(
    ex: impl AnyExecutor<'_>,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM password_reset_queue ORDER BY requested_at, id LIMIT $1")
        .bind(limit)
        .fetch_all(ex)
        .await
}

/// Takes a queued reset request (its address), once: `None` when another worker took it.
/// Run in the transaction that handles it, so that a failed handling leaves it queued.
pub async fn take_password_reset(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM password_reset_queue WHERE id = $1 RETURNING email")
        .bind(id)
        .fetch_optional(ex)
        .await
}

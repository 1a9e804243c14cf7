//! Accounts and the record of sign-in attempts (also the wrong current passwords of the
//! account forms, counted with them: one budget of guesses per account).

use super::{AnyExecutor, new_id, now};
use crate::domain::account::AccountRole;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: AccountRole,
}

pub async fn insert_account(
    ex: impl AnyExecutor<'_>,
    account: &Account,
    created_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (id, email, display_name, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
    )
    .bind(&account.id)
    .bind(&account.email)
    .bind(&account.display_name)
    .bind(&account.password_hash)
    .bind(account.role.code())
    .bind(created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn account_by_email(
    ex: impl AnyExecutor<'_>,
    email: &str,
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, display_name, password_hash, role FROM accounts WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(ex)
    .await
}

pub async fn record_sign_in_attempt(
    ex: impl AnyExecutor<'_>,
    email: &str,
    client: &str,
    succeeded: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_attempts (id, email, client, succeeded, attempted_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(email)
    .bind(client)
    .bind(i32::from(succeeded))
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// Failed attempts since `since`, for this email and for this client.
pub async fn failed_sign_ins_since(
    ex: impl AnyExecutor<'_>,
    email: &str,
    client: &str,
    since: &str,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND succeeded = 0 AND attempted_at > $3),
            (SELECT COUNT(*) FROM sign_in_attempts WHERE client = $2 AND succeeded = 0 AND attempted_at > $3)",
    )
    .bind(email)
    .bind(client)
    .bind(since)
    .fetch_one(ex)
    .await
}

/// Failed attempts since `since` for this email and for this client, each with the oldest
/// of them: when a limit is reached, the person may try again once that one leaves the window.
#[derive(Debug, Clone, Default, FromRow)]
pub struct FailedAttempts {
    pub by_email: i64,
    pub oldest_by_email: Option<String>,
    pub by_client: i64,
    pub oldest_by_client: Option<String>,
}

pub async fn failed_attempts_since(
    ex: impl AnyExecutor<'_>,
    email: &str,
    client: &str,
    since: &str,
) -> Result<FailedAttempts, sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND succeeded = 0 AND attempted_at > $3) AS by_email,
            (SELECT MIN(attempted_at) FROM sign_in_attempts WHERE email = $1 AND succeeded = 0 AND attempted_at > $3) AS oldest_by_email,
            (SELECT COUNT(*) FROM sign_in_attempts WHERE client = $2 AND succeeded = 0 AND attempted_at > $3) AS by_client,
            (SELECT MIN(attempted_at) FROM sign_in_attempts WHERE client = $2 AND succeeded = 0 AND attempted_at > $3) AS oldest_by_client",
    )
    .bind(email)
    .bind(client)
    .bind(since)
    .fetch_one(ex)
    .await
}

//! Invitation links of a diagnostic: personal or shared, the personal links made from a
//! shared one at start, and their progress.

use super::{AnyExecutor, now};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Invitation {
    pub id: String,
    pub diagnostic_id: String,
    pub token: String,
    pub respondent_role: String,
    pub label: String,
    pub shared: i32,
    pub parent_id: Option<String>,
    pub response_id: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

const INVITATION_COLUMNS: &str = "id, diagnostic_id, token, respondent_role, label, shared, parent_id, \
     response_id, created_at, revoked_at";

pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub diagnostic_id: &'a str,
    pub token: &'a str,
    pub respondent_role: &'a str,
    pub label: &'a str,
    pub shared: bool,
    pub parent_id: Option<&'a str>,
    pub response_id: Option<&'a str>,
}

pub async fn insert_invitation(
    ex: impl AnyExecutor<'_>,
    i: &NewInvitation<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitations (id, diagnostic_id, token, respondent_role, label, shared, parent_id,
             response_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(i.id)
    .bind(i.diagnostic_id)
    .bind(i.token)
    .bind(i.respondent_role)
    .bind(i.label)
    .bind(i32::from(i.shared))
    .bind(i.parent_id)
    .bind(i.response_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// The links a lead handed out for a diagnostic (not the personal links made from a shared one).
pub async fn invitations_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations WHERE diagnostic_id = $1 AND parent_id IS NULL
         ORDER BY created_at, id"
    )))
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

pub async fn revoke_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = $3
         WHERE (id = $1 OR parent_id = $1) AND diagnostic_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(diagnostic_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|r| r.rows_affected() > 0)
}

/// Reinstates a revoked link with the personal links made from it that were revoked with it
/// (in the same second, by the same revocation); `false` when it is not one of the
/// diagnostic's links, or is not revoked.
pub async fn reinstate_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = NULL
         WHERE (id = $1 OR parent_id = $1) AND diagnostic_id = $2
           AND revoked_at = (SELECT p.revoked_at FROM invitations p
                             WHERE p.id = $1 AND p.diagnostic_id = $2 AND p.parent_id IS NULL)",
    )
    .bind(id)
    .bind(diagnostic_id)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() > 0)
}

/// One of the links a lead handed out for a diagnostic.
pub async fn invitation_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations
         WHERE id = $1 AND diagnostic_id = $2 AND parent_id IS NULL"
    )))
    .bind(id)
    .bind(diagnostic_id)
    .fetch_optional(ex)
    .await
}

/// Marks a personal link started; `false` when it already was (another request was first,
/// or it holds a response of its own from before links were made at start).
pub async fn mark_personal_link_started(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    started_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET started_at = $2
         WHERE id = $1 AND shared = 0 AND started_at IS NULL AND response_id IS NULL",
    )
    .bind(invitation_id)
    .bind(started_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Whether `token` is the link made when the personal link `invitation_id` was started.
pub async fn is_started_link_of(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    token: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM invitations WHERE parent_id = $1 AND token = $2",
    )
    .bind(invitation_id)
    .bind(token)
    .fetch_one(ex)
    .await
    .map(|n| n > 0)
}

/// Per invitation of a diagnostic: `(invitation id, started, submitted)`, counting the
/// personal links made from a shared one under it.
pub async fn invitation_progress(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(i.parent_id, i.id), COUNT(r.id),
                CAST(COALESCE(SUM(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT)
         FROM invitations i JOIN responses r ON r.id = i.response_id
         WHERE i.diagnostic_id = $1 GROUP BY COALESCE(i.parent_id, i.id)",
    )
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

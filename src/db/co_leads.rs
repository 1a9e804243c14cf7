//! Co-leads: invitations to co-manage an organisation (only a hash of the link's secret is
//! stored), accepting one (compared and set: a link works once), the leads of an
//! organisation, and stepping down (never the last lead).

use super::AnyExecutor;
use sqlx::FromRow;

pub struct NewLeadInvitation<'a> {
    pub id: &'a str,
    pub organisation_id: &'a str,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub invited_by: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
}

pub async fn insert_lead_invitation(
    ex: impl AnyExecutor<'_>,
    i: &NewLeadInvitation<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lead_invitations (id, organisation_id, email, token_hash, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i.id)
    .bind(i.organisation_id)
    .bind(i.email)
    .bind(i.token_hash)
    .bind(i.invited_by)
    .bind(i.created_at)
    .bind(i.expires_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// How many invitations to co-manage an organisation were made since `since`.
pub async fn lead_invitations_since(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    since: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM lead_invitations WHERE organisation_id = $1 AND created_at > $2",
    )
    .bind(organisation_id)
    .bind(since)
    .fetch_one(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct LeadInvitation {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub email: String,
    pub created_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
}

pub async fn lead_invitation_by_hash(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<LeadInvitation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.organisation_id, o.name AS organisation_name, l.email, l.created_at,
                l.expires_at, l.accepted_at
         FROM lead_invitations l JOIN organisations o ON o.id = l.organisation_id
         WHERE l.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// The invitations of an organisation not accepted and not expired, newest first.
pub async fn pending_lead_invitations(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    now: &str,
) -> Result<Vec<LeadInvitation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.organisation_id, o.name AS organisation_name, l.email, l.created_at,
                l.expires_at, l.accepted_at
         FROM lead_invitations l JOIN organisations o ON o.id = l.organisation_id
         WHERE l.organisation_id = $1 AND l.accepted_at IS NULL AND l.expires_at > $2
         ORDER BY l.created_at DESC, l.id",
    )
    .bind(organisation_id)
    .bind(now)
    .fetch_all(ex)
    .await
}

/// Marks an invitation accepted by an account, if it still may be; `false` when it was used
/// or has expired (a second click, two tabs, someone else with the link).
pub async fn accept_lead_invitation(
    ex: impl AnyExecutor<'_>,
    id: &str,
    account_id: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE lead_invitations SET accepted_by = $2, accepted_at = $3
         WHERE id = $1 AND accepted_at IS NULL AND expires_at > $3",
    )
    .bind(id)
    .bind(account_id)
    .bind(now)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// A lead of an organisation, as its other leads see them.
#[derive(Debug, Clone, FromRow)]
pub struct Lead {
    pub account_id: String,
    pub display_name: String,
    pub email: String,
    pub created_at: String,
}

pub async fn leads_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<Lead>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.display_name, a.email, l.created_at
         FROM organisation_leads l JOIN accounts a ON a.id = l.account_id
         WHERE l.organisation_id = $1 ORDER BY l.created_at, a.display_name",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Takes the organisation's row lock until the transaction ends, so that two leads stepping
/// down at once on PostgreSQL take turns and cannot leave it with none (on SQLite the write
/// gate already makes them).
pub async fn lock_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE organisations SET name = name WHERE id = $1")
        .bind(organisation_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

pub async fn count_leads(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organisation_leads WHERE organisation_id = $1")
        .bind(organisation_id)
        .fetch_one(ex)
        .await
}

pub async fn remove_lead(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM organisation_leads WHERE organisation_id = $1 AND account_id = $2")
        .bind(organisation_id)
        .bind(account_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

//! An account's own settings (name, password, a change of address waiting for confirmation),
//! everything the service holds about it (for « télécharger mes données »), and its deletion.
//!
//! What an account wrote inside coalitions references its row: deleting the account keeps
//! the row, emptied of everything personal (see [`erase_account`]), so those records stay,
//! attributed to « compte supprimé », without a foreign key pointing nowhere.

use super::AnyExecutor;
use serde::Serialize;
use sqlx::FromRow;

/// An account as its owner sees it on the account page and in the download.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OwnAccount {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub created_at: String,
    /// The language of the account's mails.
    pub language: String,
    #[serde(skip)]
    pub password_hash: String,
}

pub async fn own_account(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Option<OwnAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, display_name, role, created_at, language, password_hash FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_optional(ex)
    .await
}

pub async fn update_display_name(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
    display_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET display_name = $2 WHERE id = $1")
        .bind(account_id)
        .bind(display_name)
        .execute(ex)
        .await
        .map(|_| ())
}

pub async fn update_password_hash(
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

/// An organisation an account leads, and how many other accounts lead it too.
#[derive(Debug, Clone, FromRow)]
pub struct LedOrganisation {
    pub id: String,
    pub name: String,
    pub other_leads: i64,
}

pub async fn led_organisations_with_other_leads(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<LedOrganisation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, o.name,
             (SELECT COUNT(*) FROM organisation_leads other
              WHERE other.organisation_id = o.id AND other.account_id <> $1) AS other_leads
         FROM organisations o JOIN organisation_leads l ON l.organisation_id = o.id
         WHERE l.account_id = $1
         ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

/// Deletes an account: it leads nothing any more, has no session, and its row keeps no
/// personal data (a unique placeholder address no one can type, a password that matches
/// nothing, the deleted role), so that what it authored stays attributed to `deleted_name`.
pub async fn erase_account(
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
    deleted_name: &str,
    deleted_role: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM organisation_leads WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for sql in [
        "DELETE FROM sessions WHERE account_id = $1",
        "DELETE FROM email_changes WHERE account_id = $1",
        "DELETE FROM password_resets WHERE account_id = $1",
    ] {
        sqlx::query(sql)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    // `.invalid` is reserved (RFC 2606): no one receives mail there, and no sign-up can take
    // it, since `parse_email` wants an address that could be real.
    sqlx::query(
        "UPDATE accounts SET email = $2, display_name = $3, password_hash = '!', role = $4
         WHERE id = $1",
    )
    .bind(account_id)
    .bind(format!("{account_id}@compte-supprime.invalid"))
    .bind(deleted_name)
    .bind(deleted_role)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

// --- Everything held about an account -----------------------------------------------------

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OrganisationLedData {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub siren: Option<String>,
    pub departement: Option<String>,
    pub commune_insee: Option<String>,
    pub size_band: Option<String>,
    pub created_at: String,
    pub lead_since: String,
}

pub async fn organisations_led_data(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<OrganisationLedData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, o.name, o.kind, o.siren, o.departement, o.commune_insee, o.size_band,
             o.created_at, l.created_at AS lead_since
         FROM organisations o JOIN organisation_leads l ON l.organisation_id = o.id
         WHERE l.account_id = $1 ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct CoalitionMembershipData {
    pub coalition: String,
    pub coalition_name: String,
    pub organisation: String,
    pub role: String,
    pub joined_on: String,
    pub left_on: Option<String>,
}

/// The coalitions the organisations an account leads belong or belonged to.
pub async fn coalitions_of_account_data(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<CoalitionMembershipData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, c.name_fr AS coalition_name, o.name AS organisation,
             m.role, m.joined_on, m.left_on
         FROM coalition_members m
         JOIN coalitions c ON c.id = m.coalition_id
         JOIN organisations o ON o.id = m.organisation_id
         JOIN organisation_leads l ON l.organisation_id = m.organisation_id
         WHERE l.account_id = $1
         ORDER BY c.slug, o.name, m.joined_on",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct MeasurementRevisionData {
    pub coalition: String,
    pub indicator: String,
    pub measurement_id: String,
    pub measured_on: String,
    pub revision: i32,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub narrative: Option<String>,
    pub evidence_url: String,
    pub comment: String,
    pub status: String,
    pub recorded_at: String,
}

/// The measurement revisions an account recorded.
pub async fn measurement_revisions_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<MeasurementRevisionData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, i.code AS indicator, m.id AS measurement_id, m.measured_on,
             CAST(r.revision AS INTEGER) AS revision, r.value, r.numerator, r.denominator,
             r.narrative, r.evidence_url, r.comment, r.status, r.recorded_at
         FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         JOIN coalitions c ON c.id = i.coalition_id
         WHERE r.recorded_by = $1
         ORDER BY r.recorded_at, m.id, r.revision",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct JournalEntryData {
    pub coalition: String,
    pub kind: String,
    pub occurred_on: String,
    pub title: String,
    pub attendance: Option<i32>,
    pub notes: String,
    pub public: i32,
    pub recorded_at: String,
}

pub async fn journal_entries_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<JournalEntryData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, j.kind, j.occurred_on, j.title,
             CAST(j.attendance AS INTEGER) AS attendance, j.notes,
             CAST(j.is_public AS INTEGER) AS public, j.recorded_at
         FROM journal_entries j JOIN coalitions c ON c.id = j.coalition_id
         WHERE j.recorded_by = $1
         ORDER BY j.recorded_at, j.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ActionData {
    pub coalition: String,
    pub title: String,
    pub description: String,
    pub dimension: String,
    pub due_on: Option<String>,
    pub status: String,
    pub created_at: String,
}

pub async fn actions_created_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<ActionData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, a.title, a.description, a.dimension, a.due_on, a.status,
             a.created_at
         FROM coalition_actions a JOIN coalitions c ON c.id = a.coalition_id
         WHERE a.created_by = $1
         ORDER BY a.created_at, a.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ProductionData {
    pub coalition: String,
    pub title: String,
    pub url: String,
    pub licence: String,
    pub published_on: String,
    pub description: String,
    pub recorded_at: String,
}

pub async fn productions_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<ProductionData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, p.title, p.url, p.licence, p.published_on, p.description,
             p.recorded_at
         FROM productions p JOIN coalitions c ON c.id = p.coalition_id
         WHERE p.recorded_by = $1
         ORDER BY p.recorded_at, p.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct BaselineData {
    pub coalition: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub measured_on: String,
    pub source: String,
    pub reason: String,
    pub recorded_at: String,
}

pub async fn baselines_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<BaselineData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, i.code AS indicator, b.value, b.measured_on, b.source,
             b.reason, b.recorded_at
         FROM indicator_baselines b
         JOIN indicators i ON i.id = b.indicator_id
         JOIN coalitions c ON c.id = i.coalition_id
         WHERE b.recorded_by = $1
         ORDER BY b.recorded_at, b.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct StageChangeData {
    pub coalition: String,
    pub stage: String,
    pub changed_on: String,
    pub note: String,
    pub recorded_at: String,
}

pub async fn stage_changes_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<StageChangeData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition, s.stage, s.changed_on, s.note, s.recorded_at
         FROM coalition_stage_changes s JOIN coalitions c ON c.id = s.coalition_id
         WHERE s.recorded_by = $1
         ORDER BY s.recorded_at, s.id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct SessionData {
    pub created_at: String,
    pub expires_at: String,
}

/// An account's sessions, without their ids (the secret each cookie carries).
pub async fn sessions_data(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<SessionData>, sqlx::Error> {
    sqlx::query_as(
        "SELECT created_at, expires_at FROM sessions WHERE account_id = $1 ORDER BY created_at",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await
}

// --- Email address changes ---------------------------------------------------------------

/// Whether an account other than `account_id` has this address.
pub async fn email_taken_by_another(
    ex: impl AnyExecutor<'_>,
    email: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = $1 AND id <> $2")
        .bind(email)
        .bind(account_id)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}

/// Records a requested change of address, replacing any earlier one of the account (only the
/// latest link works).
pub async fn insert_email_change(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    account_id: &str,
    new_email: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM email_changes WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO email_changes (token_hash, account_id, new_email, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(new_email)
    .bind(created_at)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// A change of address still waiting, by the hash of its link's secret.
#[derive(Debug, Clone, FromRow)]
pub struct PendingEmailChange {
    pub account_id: String,
    pub new_email: String,
    pub old_email: String,
    pub display_name: String,
    pub language: String,
}

pub async fn pending_email_change(
    ex: impl AnyExecutor<'_>,
    token_hash: &str,
    now: &str,
) -> Result<Option<PendingEmailChange>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.account_id, c.new_email, a.email AS old_email, a.display_name, a.language
         FROM email_changes c JOIN accounts a ON a.id = c.account_id
         WHERE c.token_hash = $1 AND c.used_at IS NULL AND c.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(ex)
    .await
}

/// Uses a change of address: marks its link used (once: `false` when it was already) and
/// gives the account the new address.
pub async fn apply_email_change(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    account_id: &str,
    new_email: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let used = sqlx::query(
        "UPDATE email_changes SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if used != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE accounts SET email = $2 WHERE id = $1")
        .bind(account_id)
        .bind(new_email)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

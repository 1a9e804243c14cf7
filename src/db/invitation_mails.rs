//! Invitations by e-mail: the address each personal link was mailed to, reminders (compared
//! and set, so that a person is reminded at most once a day whoever asks), a diagnostic's
//! closing date and its automatic reminder.

use super::AnyExecutor;
use sqlx::FromRow;

pub async fn insert_invitation_mail(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    diagnostic_id: &str,
    email: &str,
    language: &str,
    sent_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitation_mails (invitation_id, diagnostic_id, email, language, sent_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(invitation_id)
    .bind(diagnostic_id)
    .bind(email)
    .bind(language)
    .bind(sent_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// How many people a diagnostic's links were mailed to since `since`.
pub async fn mailed_since(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    since: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitation_mails WHERE diagnostic_id = $1 AND sent_at > $2",
    )
    .bind(diagnostic_id)
    .bind(since)
    .fetch_one(ex)
    .await
}

/// A person a diagnostic's link was mailed to, and how far they are (participation only).
#[derive(Debug, Clone, FromRow)]
pub struct MailedInvitation {
    pub invitation_id: String,
    pub email: String,
    pub language: String,
    pub respondent_role: String,
    pub sent_at: String,
    pub last_reminded_at: Option<String>,
    pub revoked_at: Option<String>,
    pub started: i64,
    pub submitted: i64,
}

/// Counts the responses on the link and on the links made from it when it was started.
const MAILED_COLUMNS: &str = "m.invitation_id, m.email, m.language, i.respondent_role, m.sent_at,
    m.last_reminded_at, i.revoked_at,
    (SELECT COUNT(*) FROM invitations c JOIN responses r ON r.id = c.response_id
     WHERE c.id = i.id OR c.parent_id = i.id) AS started,
    (SELECT COUNT(*) FROM invitations c JOIN responses r ON r.id = c.response_id
     WHERE (c.id = i.id OR c.parent_id = i.id) AND r.submitted_at IS NOT NULL) AS submitted";

/// The people a diagnostic's links were mailed to, in the order they were invited.
pub async fn mailed_invitations(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<MailedInvitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MAILED_COLUMNS} FROM invitation_mails m JOIN invitations i ON i.id = m.invitation_id
         WHERE m.diagnostic_id = $1 ORDER BY m.sent_at, m.email"
    )))
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

pub async fn mailed_invitation(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    invitation_id: &str,
) -> Result<Option<MailedInvitation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MAILED_COLUMNS} FROM invitation_mails m JOIN invitations i ON i.id = m.invitation_id
         WHERE m.diagnostic_id = $1 AND m.invitation_id = $2"
    )))
    .bind(diagnostic_id)
    .bind(invitation_id)
    .fetch_optional(ex)
    .await
}

/// The link a reminder carries: the one mailed, or, once the person started, their response's
/// own link (made at start, which the lead never sees: it goes to the mailbox only).
pub async fn reminder_link(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE(
             (SELECT c.token FROM invitations c WHERE c.parent_id = i.id AND c.revoked_at IS NULL
              ORDER BY c.created_at, c.id LIMIT 1),
             i.token)
         FROM invitations i WHERE i.id = $1 AND i.revoked_at IS NULL",
    )
    .bind(invitation_id)
    .fetch_optional(ex)
    .await
}

/// Records a reminder if the person's last one is older than `last_before` (or there is
/// none); `false` otherwise. One statement, so two reminders at once cannot both pass.
pub async fn claim_reminder(
    ex: impl AnyExecutor<'_>,
    invitation_id: &str,
    now: &str,
    last_before: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitation_mails SET last_reminded_at = $2
         WHERE invitation_id = $1 AND (last_reminded_at IS NULL OR last_reminded_at <= $3)",
    )
    .bind(invitation_id)
    .bind(now)
    .bind(last_before)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// A diagnostic's closing date and automatic reminder.
#[derive(Debug, Clone, FromRow)]
pub struct DiagnosticClosing {
    pub diagnostic_id: String,
    pub closes_on: Option<String>,
    pub reminder_days_before: Option<i64>,
    pub auto_reminder_sent_at: Option<String>,
}

pub async fn diagnostic_closing(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Option<DiagnosticClosing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id AS diagnostic_id, closes_on, CAST(reminder_days_before AS BIGINT) AS reminder_days_before,
                auto_reminder_sent_at
         FROM diagnostics WHERE id = $1",
    )
    .bind(diagnostic_id)
    .fetch_optional(ex)
    .await
}

/// Sets the closing date and automatic reminder. A changed date or delay plans a new
/// automatic reminder; the same ones keep the record of the one sent.
pub async fn set_diagnostic_closing(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    closes_on: Option<&str>,
    reminder_days_before: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE diagnostics SET
             auto_reminder_sent_at = CASE
                 WHEN COALESCE(closes_on, '') = COALESCE($2, '')
                  AND COALESCE(reminder_days_before, -1) = COALESCE($3, -1)
                 THEN auto_reminder_sent_at ELSE NULL END,
             closes_on = $2, reminder_days_before = $3
         WHERE id = $1",
    )
    .bind(diagnostic_id)
    .bind(closes_on)
    .bind(reminder_days_before)
    .execute(ex)
    .await
    .map(|_| ())
}

/// The open diagnostics whose automatic reminder is planned and not sent yet.
pub async fn planned_automatic_reminders(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<DiagnosticClosing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id AS diagnostic_id, closes_on, CAST(reminder_days_before AS BIGINT) AS reminder_days_before,
                auto_reminder_sent_at
         FROM diagnostics
         WHERE closes_on IS NOT NULL AND reminder_days_before IS NOT NULL
           AND auto_reminder_sent_at IS NULL AND closed_at IS NULL
         ORDER BY closes_on, id",
    )
    .fetch_all(ex)
    .await
}

/// Marks a diagnostic's automatic reminder sent; `false` when another run was first.
pub async fn claim_automatic_reminder(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE diagnostics SET auto_reminder_sent_at = $2
         WHERE id = $1 AND auto_reminder_sent_at IS NULL",
    )
    .bind(diagnostic_id)
    .bind(now)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

//! Notifications derived from the data: each task reads the events recorded since its mark
//! (measurements submitted, validated or sent back, organisations invited to a coalition) and
//! moves the mark in the transaction that queues the mails (compared and set), so that each
//! mail goes out once, whichever instance runs the task.

use super::AnyExecutor;
use sqlx::FromRow;

pub async fn notification_mark(
    ex: impl AnyExecutor<'_>,
    task: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT done_until FROM notification_marks WHERE task = $1")
        .bind(task)
        .fetch_optional(ex)
        .await
}

/// Sets a task's first mark; `false` when another run set one first.
pub async fn insert_notification_mark(
    ex: impl AnyExecutor<'_>,
    task: &str,
    done_until: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_marks (task, done_until) VALUES ($1, $2)
         ON CONFLICT (task) DO NOTHING",
    )
    .bind(task)
    .bind(done_until)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Moves a task's mark from `from` to `to`; `false` when another run moved it first.
pub async fn advance_notification_mark(
    ex: impl AnyExecutor<'_>,
    task: &str,
    from: &str,
    to: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE notification_marks SET done_until = $3 WHERE task = $1 AND done_until = $2")
        .bind(task)
        .bind(from)
        .bind(to)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// A measurement submitted for validation (a revision with the status « submitted »).
#[derive(Debug, Clone, FromRow)]
pub struct SubmittedMeasurement {
    pub coalition_id: String,
    pub coalition_slug: String,
    pub coalition_name_fr: String,
    pub coalition_name_en: String,
    pub indicator_code: String,
    pub indicator_name: String,
    pub measurement_id: String,
    pub measured_on: String,
}

/// The revisions submitted in `(after, until]`, by coalition.
pub async fn measurements_submitted_between(
    ex: impl AnyExecutor<'_>,
    after: &str,
    until: &str,
) -> Result<Vec<SubmittedMeasurement>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id AS coalition_id, c.slug AS coalition_slug, c.name_fr AS coalition_name_fr,
                c.name_en AS coalition_name_en, i.code AS indicator_code, i.name AS indicator_name,
                m.id AS measurement_id, m.measured_on
         FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         JOIN coalitions c ON c.id = i.coalition_id
         WHERE r.status = 'submitted' AND r.recorded_at > $1 AND r.recorded_at <= $2
         ORDER BY c.slug, r.recorded_at, m.id",
    )
    .bind(after)
    .bind(until)
    .fetch_all(ex)
    .await
}

/// Someone a notification goes to.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct Recipient {
    pub account_id: String,
    pub email: String,
    pub display_name: String,
    pub language: String,
}

/// Who validates a coalition's measurements or manages it: programme staff, and the leads of
/// its current porteurs and co-porteurs.
pub async fn coalition_managers_and_staff(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.email, a.display_name, a.language FROM accounts a
         WHERE a.role = 'staff'
            OR a.id IN (SELECT l.account_id FROM organisation_leads l
                        JOIN coalition_members cm ON cm.organisation_id = l.organisation_id
                        WHERE cm.coalition_id = $1 AND cm.left_on IS NULL
                          AND cm.role IN ('porteur', 'co-porteur'))
         ORDER BY a.id",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// A measurement validated or sent back, with its author.
#[derive(Debug, Clone, FromRow)]
pub struct MeasurementDecision {
    pub measurement_id: String,
    /// Validated, or draft for one sent back.
    #[sqlx(try_from = "String")]
    pub status: crate::domain::indicator::measurement::MeasurementStatus,
    pub comment: String,
    pub coalition_slug: String,
    pub coalition_name_fr: String,
    pub coalition_name_en: String,
    pub indicator_code: String,
    pub indicator_name: String,
    pub measured_on: String,
    pub author_id: String,
    pub author_email: String,
    pub author_name: String,
    pub author_language: String,
}

/// The validations and the sendings back (staff moving a submitted or validated measurement
/// to draft) recorded in `(after, until]`, for measurements whose author still has an account.
pub async fn measurement_decisions_between(
    ex: impl AnyExecutor<'_>,
    after: &str,
    until: &str,
) -> Result<Vec<MeasurementDecision>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id AS measurement_id, r.status, r.comment, c.slug AS coalition_slug,
                c.name_fr AS coalition_name_fr, c.name_en AS coalition_name_en,
                i.code AS indicator_code, i.name AS indicator_name, m.measured_on,
                a.id AS author_id, a.email AS author_email, a.display_name AS author_name,
                a.language AS author_language
         FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         JOIN coalitions c ON c.id = i.coalition_id
         JOIN accounts a ON a.id = m.created_by
         WHERE r.recorded_at > $1 AND r.recorded_at <= $2
           AND (r.status = 'validated'
                OR (r.status = 'draft'
                    AND EXISTS (SELECT 1 FROM measurement_revisions p
                                WHERE p.measurement_id = r.measurement_id
                                  AND p.revision = r.revision - 1 AND p.status <> 'draft')
                    AND EXISTS (SELECT 1 FROM accounts s
                                WHERE s.id = r.recorded_by AND s.role = 'staff')))
         ORDER BY r.recorded_at, m.id, r.revision",
    )
    .bind(after)
    .bind(until)
    .fetch_all(ex)
    .await
}

/// An organisation invited to join a coalition.
#[derive(Debug, Clone, FromRow)]
pub struct CoalitionInvitationEvent {
    pub coalition_slug: String,
    pub coalition_name_fr: String,
    pub coalition_name_en: String,
    pub organisation_id: String,
    pub organisation_name: String,
}

/// The invitations to join a coalition made in `(after, until]` and still pending.
pub async fn coalition_invitations_between(
    ex: impl AnyExecutor<'_>,
    after: &str,
    until: &str,
) -> Result<Vec<CoalitionInvitationEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug AS coalition_slug, c.name_fr AS coalition_name_fr, c.name_en AS coalition_name_en,
                o.id AS organisation_id, o.name AS organisation_name
         FROM coalition_invitations ci
         JOIN coalitions c ON c.id = ci.coalition_id
         JOIN organisations o ON o.id = ci.organisation_id
         WHERE ci.invited_at > $1 AND ci.invited_at <= $2 AND ci.status = 'pending'
         ORDER BY ci.invited_at, ci.id",
    )
    .bind(after)
    .bind(until)
    .fetch_all(ex)
    .await
}

/// The leads of an organisation, as recipients.
pub async fn organisation_lead_recipients(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.email, a.display_name, a.language
         FROM organisation_leads l JOIN accounts a ON a.id = l.account_id
         WHERE l.organisation_id = $1 ORDER BY a.id",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

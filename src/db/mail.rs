//! The mail queue and the leases of the worker's periodic tasks.
//!
//! [`queue_mail`] is called inside the transaction of the action that causes the mail: the
//! mail exists exactly when its cause was committed. The worker then takes a due mail with
//! [`claim_mail`], a compare-and-set on its lease, so that with several instances on one
//! database each attempt is made by one of them; [`mark_mail_sent`] or
//! [`mark_mail_attempt_failed`] end the attempt. A lease that expires (an instance killed
//! while sending) makes the mail due again. [`claim_task_run`] does the same for periodic
//! tasks: whoever moves a task's `next_run_at` forward runs it.

use super::AnyExecutor;
use crate::domain::mail::Mail;
use sqlx::FromRow;

/// Status of a queued mail.
pub const MAIL_WAITING: &str = "waiting";
pub const MAIL_SENT: &str = "sent";
pub const MAIL_FAILED: &str = "failed";

/// Queues a mail, due at once. Call it inside the transaction of the action that causes it.
pub async fn queue_mail(
    ex: impl AnyExecutor<'_>,
    mail: &Mail,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_queue (id, recipient, language, subject, text_body, html_body, status,
                                 attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'waiting', 0, $7, $7)",
    )
    .bind(super::new_id())
    .bind(&mail.to)
    .bind(mail.language.code())
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(now)
    .execute(ex)
    .await
    .map(|_| ())
}

/// Mails due at `now` and not leased by a live attempt, oldest first.
pub async fn due_mail_ids(
    ex: impl AnyExecutor<'_>,
    now: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM mail_queue
         WHERE status = 'waiting' AND next_attempt_at <= $1
           AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_attempt_at, id
         LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// A queued mail as the worker sends it.
#[derive(Debug, Clone, FromRow)]
pub struct QueuedMail {
    pub id: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
}

/// Takes the lease of one due mail until `lease_until` and counts the attempt; `None` when
/// another instance took it first (or it is no longer due).
pub async fn claim_mail(
    ex: &mut sqlx::AnyConnection,
    id: &str,
    now: &str,
    lease_until: &str,
) -> Result<Option<QueuedMail>, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE mail_queue SET lease_until = $3, attempts = attempts + 1
         WHERE id = $1 AND status = 'waiting' AND next_attempt_at <= $2
           AND (lease_until IS NULL OR lease_until <= $2)",
    )
    .bind(id)
    .bind(now)
    .bind(lease_until)
    .execute(&mut *ex)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT id, recipient, language, subject, text_body, html_body, attempts
         FROM mail_queue WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The mail went out: it is kept as a record (recipient, subject, when), its bodies dropped.
pub async fn mark_mail_sent(
    ex: impl AnyExecutor<'_>,
    id: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_queue SET status = 'sent', sent_at = $2, lease_until = NULL,
                               last_error = NULL, text_body = '', html_body = ''
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(ex)
    .await
    .map(|_| ())
}

/// The attempt failed: the mail waits until `next_attempt_at`, or is given up (`None`).
pub async fn mark_mail_attempt_failed(
    ex: impl AnyExecutor<'_>,
    id: &str,
    error: &str,
    next_attempt_at: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_queue
         SET status = $4, next_attempt_at = COALESCE($3, next_attempt_at),
             lease_until = NULL, last_error = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(next_attempt_at)
    .bind(if next_attempt_at.is_some() {
        MAIL_WAITING
    } else {
        MAIL_FAILED
    })
    .execute(ex)
    .await
    .map(|_| ())
}

/// A queued mail as staff see it: no body (it may hold a one-time link).
#[derive(Debug, Clone, FromRow)]
pub struct MailRecord {
    pub id: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Mails waiting or given up, oldest first: what staff watch.
pub async fn unsent_mails(ex: impl AnyExecutor<'_>) -> Result<Vec<MailRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, recipient, language, subject, status, attempts, next_attempt_at, last_error,
                created_at, sent_at
         FROM mail_queue WHERE status <> 'sent' ORDER BY created_at, id",
    )
    .fetch_all(ex)
    .await
}

/// Counts of mails by status (`waiting`, `sent`, `failed`).
pub async fn mail_counts(ex: impl AnyExecutor<'_>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, COUNT(*) FROM mail_queue GROUP BY status ORDER BY status")
        .fetch_all(ex)
        .await
}

/// Makes a waiting or failed mail due at once; `false` when there is no such mail (sent, or
/// unknown).
pub async fn retry_mail(
    ex: impl AnyExecutor<'_>,
    id: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE mail_queue SET status = 'waiting', next_attempt_at = $2
         WHERE id = $1 AND status <> 'sent'",
    )
    .bind(id)
    .bind(now)
    .execute(ex)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Forgets sent mails queued before `before`.
pub async fn purge_sent_mails(ex: impl AnyExecutor<'_>, before: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM mail_queue WHERE status = 'sent' AND created_at < $1")
        .bind(before)
        .execute(ex)
        .await
        .map(|r| r.rows_affected())
}

// --- Periodic tasks ----------------------------------------------------------------------------

/// Takes the run of task `name` due at `now`, moving its next run to `next_run_at`; `false`
/// when the task is not due or another instance took this run.
pub async fn claim_task_run(
    ex: &mut sqlx::AnyConnection,
    name: &str,
    now: &str,
    next_run_at: &str,
) -> Result<bool, sqlx::Error> {
    // Most looks find the task not due: a read, no write.
    let next: Option<String> =
        sqlx::query_scalar("SELECT next_run_at FROM worker_tasks WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *ex)
            .await?;
    if next.as_deref().is_some_and(|next| next > now) {
        return Ok(false);
    }
    // A new task is due at once; a known task keeps its row.
    sqlx::query(
        "INSERT INTO worker_tasks (name, next_run_at) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(now)
    .execute(&mut *ex)
    .await?;
    let claimed = sqlx::query(
        "UPDATE worker_tasks SET next_run_at = $3, last_started_at = $2
         WHERE name = $1 AND next_run_at <= $2",
    )
    .bind(name)
    .bind(now)
    .bind(next_run_at)
    .execute(ex)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Records how a task's run ended; a failed run may bring its next run closer.
pub async fn finish_task_run(
    ex: impl AnyExecutor<'_>,
    name: &str,
    now: &str,
    error: Option<&str>,
    retry_at: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE worker_tasks SET last_finished_at = $2, last_error = $3,
                                 next_run_at = COALESCE($4, next_run_at)
         WHERE name = $1",
    )
    .bind(name)
    .bind(now)
    .bind(error)
    .bind(retry_at)
    .execute(ex)
    .await
    .map(|_| ())
}

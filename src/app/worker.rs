//! The background worker, started by `crate::startup` on every instance: it sends the queued
//! mails, runs the periodic tasks of [`TASKS`] and starts the queued jobs
//! (`crate::app::jobs`, one at a time per instance, beside the loop).
//!
//! Nothing here lives only in memory. A mail is a row of the queue written in the
//! transaction of its cause (`crate::db::queue_mail`); the worker claims a due mail with a
//! lease (compare-and-set in the database, so that with several instances each attempt is
//! made once), sends it, and marks it sent; a failed attempt is retried later
//! ([`crate::domain::mail::retry_delay`]: 1 min, 5 min, 30 min, 2 h, 6 h, 24 h), then given up
//! and shown to staff. An instance killed while sending leaves a lease that expires: another
//! attempt follows, so a mail goes out at least once, and twice only when an instance dies
//! between the server's acceptance and the record of it (both copies carry the same
//! `Message-ID`).
//!
//! Use cases queue a mail, commit, then call [`Mailer::nudge`] so that this instance's worker
//! sends it at once; otherwise the worker looks every poll interval (`APP_WORKER_POLL_SECONDS`).
//!
//! A periodic task is one line of [`TASKS`]: a stable name (its lease row), a period, and a
//! [`Task`]. Whichever instance first moves the task's next run forward runs it, so it runs at
//! most once per period across instances; a failed run is retried after
//! [`TASK_RETRY_AFTER`] (or its period, if shorter).

use crate::app::error::AppError;
use crate::app::mail_delivery::{Delivery, SMTP_TIMEOUT};
use crate::app::mailer::Mailer;
use crate::app::tasks::{Task, WorkerContext};
use crate::db::{self, Pool};
use crate::domain::mail::retry_delay;
use futures_util::future::BoxFuture;
use std::time::Duration;

/// The periodic tasks, one line each: `(name, period, task)`. The name keys the task's
/// lease row: keep it stable.
pub const TASKS: &[(&str, Duration, Task)] = &[
    (
        "mail_queue_purge",
        Duration::from_secs(3600),
        purge_mail_queue,
    ),
    // Unsubmitted responses past APP_RETENTION_UNSUBMITTED_MONTHS, expired sessions, attempts, links.
    (
        "retention",
        Duration::from_secs(3600),
        crate::app::retention::task,
    ),
    (
        "account_links_purge",
        Duration::from_secs(3600),
        purge_account_links,
    ),
    // Issue 13: reminders before a closing date and notifications, each mail sent once
    // whoever runs the task (see `app::invitations`, `app::notifications`).
    (
        "automatic_reminders",
        Duration::from_secs(3600),
        crate::app::invitations::automatic_reminders_task,
    ),
    (
        "measurement_digest",
        Duration::from_secs(86_400),
        crate::app::notifications::measurement_digest_task,
    ),
    (
        "measurement_decisions",
        Duration::from_secs(300),
        crate::app::notifications::measurement_decisions_task,
    ),
    (
        "coalition_invitation_notices",
        Duration::from_secs(300),
        crate::app::notifications::coalition_invitations_task,
    ),
];

/// A failed periodic task is tried again after this (or its period, if shorter).
pub const TASK_RETRY_AFTER: Duration = Duration::from_secs(300);

/// How long an attempt holds a mail: longer than an SMTP exchange may take, so that a
/// slow send is never taken over by another instance.
const MAIL_LEASE: Duration = Duration::from_secs(SMTP_TIMEOUT.as_secs() * 5);

/// Mails taken per query of the queue.
const BATCH: i64 = 20;

/// Starts the worker of this instance (unless `APP_MAIL_WORKER` is false); it runs until the
/// runtime stops.
pub fn start(context: WorkerContext) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let config = context.mailer.config();
    if !config.run_worker {
        tracing::info!(
            "APP_MAIL_WORKER is false: this instance sends no mail and runs no periodic task"
        );
        return Ok(None);
    }
    let delivery = Delivery::from_settings(config.smtp_url.as_deref(), config.outbox_dir.clone())?;
    match &delivery {
        Delivery::Smtp { shown_as, .. } => {
            tracing::info!(smtp = %shown_as, "mail goes out over SMTP")
        }
        Delivery::Outbox(dir) => tracing::info!(
            outbox = %dir.display(),
            "APP_SMTP_URL is not set: mails are written as .eml files in the outbox folder"
        ),
    }
    Ok(Some(tokio::spawn(run(context, delivery))))
}

async fn run(context: WorkerContext, delivery: Delivery) {
    let poll = context.mailer.config().poll;
    let mut job = None;
    loop {
        crate::app::jobs::start_next_if_idle(&context, &mut job);
        for (name, period, task) in TASKS {
            if let Err(e) = run_task_if_due(&context, name, *period, *task).await {
                tracing::warn!(task = name, error = %e, "periodic task could not be started");
            }
        }
        // Reset requests first: the mails they queue go out in this same turn.
        if let Err(e) = crate::app::accounts::handle_reset_requests(&context).await {
            tracing::warn!(error = %e, "password reset requests could not be handled; the worker tries again");
        }
        if let Err(e) = send_due_mails(&context, &delivery).await {
            tracing::warn!(error = %e, "the mail queue could not be read; the worker tries again");
        }
        tokio::select! {
            _ = context.mailer.woken() => {}
            _ = tokio::time::sleep(poll) => {}
        }
    }
}

fn later(by: Duration) -> String {
    db::timestamp(time::OffsetDateTime::now_utc() + by)
}

/// Sends every mail due now; returns how many went out.
pub async fn send_due_mails(
    context: &WorkerContext,
    delivery: &Delivery,
) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let now = db::now();
        let due = db::due_mail_ids(&context.pool, &now, BATCH).await?;
        if due.is_empty() {
            return Ok(sent);
        }
        let mut claimed_any = false;
        for id in due {
            let claimed = {
                let mut conn = context.pool.acquire().await?;
                db::claim_mail(&mut conn, &id, &db::now(), &later(MAIL_LEASE)).await?
            };
            let Some(mail) = claimed else { continue };
            claimed_any = true;
            let outcome = delivery
                .send(
                    &mail,
                    &context.mailer.config().from,
                    &context.mailer.message_host(),
                )
                .await;
            match outcome {
                Ok(()) => {
                    db::mark_mail_sent(&context.pool, &mail.id, &db::now()).await?;
                    sent += 1;
                }
                Err(e) => {
                    let attempts = u32::try_from(mail.attempts).unwrap_or(u32::MAX);
                    let next = if e.permanent {
                        None
                    } else {
                        retry_delay(attempts).map(later)
                    };
                    tracing::warn!(
                        mail = %mail.id,
                        attempts,
                        given_up = next.is_none(),
                        error = %e.message,
                        "a mail could not be sent"
                    );
                    db::mark_mail_attempt_failed(
                        &context.pool,
                        &mail.id,
                        &e.message,
                        next.as_deref(),
                    )
                    .await?;
                }
            }
        }
        // Every due mail was taken by another instance: nothing left for this one now.
        if !claimed_any {
            return Ok(sent);
        }
    }
}

/// Runs `task` if its run is due and this instance took it.
async fn run_task_if_due(
    context: &WorkerContext,
    name: &str,
    period: Duration,
    task: Task,
) -> Result<(), sqlx::Error> {
    let claimed = {
        let mut conn = context.pool.acquire().await?;
        db::claim_task_run(&mut conn, name, &db::now(), &later(period)).await?
    };
    if !claimed {
        return Ok(());
    }
    let outcome = task(context.clone()).await;
    let (error, retry_at) = match &outcome {
        Ok(()) => (None, None),
        Err(e) => {
            tracing::warn!(task = name, error = %e, "periodic task failed; it will run again");
            (
                Some(e.to_string()),
                Some(later(period.min(TASK_RETRY_AFTER))),
            )
        }
    };
    db::finish_task_run(
        &context.pool,
        name,
        &db::now(),
        error.as_deref(),
        retry_at.as_deref(),
    )
    .await
}

/// Sent mails are kept 30 days as a record (recipient, subject, date), then forgotten.
fn purge_mail_queue(context: WorkerContext) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        let before =
            db::timestamp(time::OffsetDateTime::now_utc() - Duration::from_secs(30 * 86_400));
        db::purge_sent_mails(&context.pool, &before).await?;
        Ok(())
    })
}

/// Sign-up and reset links, and reset requests, serve nothing a day after they expire.
fn purge_account_links(context: WorkerContext) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        let before = db::timestamp(time::OffsetDateTime::now_utc() - Duration::from_secs(86_400));
        let mut tx = db::begin_write(&context.pool, &context.writes).await?;
        db::purge_account_links_before(&mut tx, &before).await?;
        tx.commit().await?;
        Ok(())
    })
}

// --- What staff see and do --------------------------------------------------------------------

/// The queue as staff see it: counts by status, and every mail not sent yet.
pub struct QueueOverview {
    pub waiting: i64,
    pub sent: i64,
    pub failed: i64,
    pub unsent: Vec<db::MailRecord>,
}

pub async fn queue_overview(pool: &Pool) -> Result<QueueOverview, AppError> {
    let counts = db::mail_counts(pool).await?;
    let count = |status: &str| {
        counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    Ok(QueueOverview {
        waiting: count(db::MAIL_WAITING),
        sent: count(db::MAIL_SENT),
        failed: count(db::MAIL_FAILED),
        unsent: db::unsent_mails(pool).await?,
    })
}

/// Makes a waiting or given-up mail due now and wakes the worker; `NotFound` for a mail
/// already sent or unknown.
pub async fn retry_mail_now(pool: &Pool, mailer: &Mailer, id: &str) -> Result<(), AppError> {
    if !db::retry_mail(pool, id, &db::now()).await? {
        return Err(AppError::NotFound);
    }
    mailer.nudge();
    Ok(())
}

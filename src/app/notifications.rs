//! Notifications, derived from the data by periodic tasks of the worker rather than sent from
//! the handlers that record the events: each task reads what was recorded since its mark
//! (`notification_marks`), and moves the mark in the transaction that queues the mails
//! (compared and set), so each mail goes out once whichever instance runs the task, and a
//! task that did not run for a while catches up.
//!
//! - measurements submitted → the coalition's porteurs, co-porteurs and programme staff, one
//!   digest a day ([`send_measurement_digest`]);
//! - a measurement validated or sent back → its author, with the comment
//!   ([`send_measurement_decisions`]);
//! - an organisation invited to a coalition → that organisation's leads
//!   ([`send_coalition_invitations`]).
//!
//! A task's first run sets its mark and sends nothing: events from before the feature existed
//! are not notified.

use crate::app::error::AppError;
use crate::app::tasks::WorkerContext;
use crate::db::{self, Recipient};
use crate::domain::i18n::Lang;
use crate::domain::mail::Mail;
use crate::domain::notifications::{
    self, Decision, DigestLine, coalition_invitation_mail, measurement_decision_mail,
};
use futures_util::future::BoxFuture;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub const MEASUREMENT_DIGEST: &str = "measurement_digest";
pub const MEASUREMENT_DECISIONS: &str = "measurement_decisions";
pub const COALITION_INVITATIONS: &str = "coalition_invitation_notices";

/// Events are read up to this long before now: a transaction that took its timestamp earlier
/// has committed by then, so no event falls between two windows.
const SETTLING: time::Duration = time::Duration::minutes(1);

pub fn measurement_digest_task(context: WorkerContext) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        send_measurement_digest(&context, OffsetDateTime::now_utc())
            .await
            .map(|_| ())
    })
}

pub fn measurement_decisions_task(
    context: WorkerContext,
) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        send_measurement_decisions(&context, OffsetDateTime::now_utc())
            .await
            .map(|_| ())
    })
}

pub fn coalition_invitations_task(
    context: WorkerContext,
) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        send_coalition_invitations(&context, OffsetDateTime::now_utc())
            .await
            .map(|_| ())
    })
}

/// The window `(after, until]` a task's run covers, or `None` when there is nothing to read
/// (a first run, which only sets the mark).
async fn window(
    context: &WorkerContext,
    task: &str,
    now: OffsetDateTime,
) -> Result<Option<(String, String)>, AppError> {
    let until = db::timestamp(now - SETTLING);
    match db::notification_mark(&context.pool, task).await? {
        None => {
            db::insert_notification_mark(&context.pool, task, &until).await?;
            Ok(None)
        }
        Some(after) if after < until => Ok(Some((after, until))),
        Some(_) => Ok(None),
    }
}

/// Moves the mark and queues the mails in one transaction; nothing when another run moved
/// the mark first. Returns the mails queued.
async fn commit_window(
    context: &WorkerContext,
    task: &str,
    (after, until): (&str, &str),
    mails: &[Mail],
) -> Result<usize, AppError> {
    let mut tx = db::begin_write(&context.pool, &context.writes).await?;
    if !db::advance_notification_mark(&mut *tx, task, after, until).await? {
        tx.rollback().await?;
        return Ok(0);
    }
    let now = db::now();
    for mail in mails {
        db::queue_mail(&mut *tx, mail, &now).await?;
    }
    tx.commit().await?;
    if !mails.is_empty() {
        context.mailer.nudge();
    }
    Ok(mails.len())
}

fn language(recipient_language: &str) -> Lang {
    Lang::from_code(recipient_language).unwrap_or_default()
}

fn pick_name(lang: Lang, fr: &str, en: &str) -> String {
    let name = lang.pick(fr, en);
    if name.trim().is_empty() { fr } else { name }.to_owned()
}

/// One digest per person, listing every measurement submitted since the last run in the
/// coalitions they manage or validate.
pub async fn send_measurement_digest(
    context: &WorkerContext,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let Some((after, until)) = window(context, MEASUREMENT_DIGEST, now).await? else {
        return Ok(0);
    };
    let submitted = db::measurements_submitted_between(&context.pool, &after, &until).await?;
    let mut recipients_of: BTreeMap<String, Vec<Recipient>> = BTreeMap::new();
    for m in &submitted {
        if !recipients_of.contains_key(&m.coalition_id) {
            let recipients =
                db::coalition_managers_and_staff(&context.pool, &m.coalition_id).await?;
            recipients_of.insert(m.coalition_id.clone(), recipients);
        }
    }
    let mut digests: BTreeMap<String, (Recipient, Vec<DigestLine>)> = BTreeMap::new();
    for m in &submitted {
        for r in recipients_of.get(&m.coalition_id).into_iter().flatten() {
            let lang = language(&r.language);
            let line = DigestLine {
                coalition: pick_name(lang, &m.coalition_name_fr, &m.coalition_name_en),
                indicator_code: m.indicator_code.clone(),
                indicator_name: m.indicator_name.clone(),
                measured_on: m.measured_on.clone(),
                link: context.mailer.link(&format!(
                    "/coalitions/{}/measurements/{}",
                    m.coalition_slug, m.measurement_id
                )),
            };
            digests
                .entry(r.account_id.clone())
                .or_insert_with(|| (r.clone(), Vec::new()))
                .1
                .push(line);
        }
    }
    let mails: Vec<Mail> = digests
        .values()
        .map(|(r, lines)| {
            notifications::measurement_digest_mail(
                &r.email,
                language(&r.language),
                &r.display_name,
                lines,
            )
        })
        .collect();
    commit_window(context, MEASUREMENT_DIGEST, (&after, &until), &mails).await
}

/// A mail to each measurement's author when it is validated or sent back.
pub async fn send_measurement_decisions(
    context: &WorkerContext,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let Some((after, until)) = window(context, MEASUREMENT_DECISIONS, now).await? else {
        return Ok(0);
    };
    let decisions = db::measurement_decisions_between(&context.pool, &after, &until).await?;
    let mails: Vec<Mail> = decisions
        .iter()
        .map(|d| {
            let lang = language(&d.author_language);
            let coalition = pick_name(lang, &d.coalition_name_fr, &d.coalition_name_en);
            let link = context.mailer.link(&format!(
                "/coalitions/{}/measurements/{}",
                d.coalition_slug, d.measurement_id
            ));
            measurement_decision_mail(
                &d.author_email,
                lang,
                &d.author_name,
                &Decision {
                    validated: d.status
                        == crate::domain::indicator::measurement::MeasurementStatus::Validated,
                    coalition: &coalition,
                    indicator_code: &d.indicator_code,
                    indicator_name: &d.indicator_name,
                    measured_on: &d.measured_on,
                    comment: &d.comment,
                    link: &link,
                },
            )
        })
        .collect();
    commit_window(context, MEASUREMENT_DECISIONS, (&after, &until), &mails).await
}

/// A mail to each lead of an organisation invited to join a coalition.
pub async fn send_coalition_invitations(
    context: &WorkerContext,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let Some((after, until)) = window(context, COALITION_INVITATIONS, now).await? else {
        return Ok(0);
    };
    let invited = db::coalition_invitations_between(&context.pool, &after, &until).await?;
    let mut mails = Vec::new();
    for event in &invited {
        for r in db::organisation_lead_recipients(&context.pool, &event.organisation_id).await? {
            let lang = language(&r.language);
            mails.push(coalition_invitation_mail(
                &r.email,
                lang,
                &r.display_name,
                &event.organisation_name,
                &pick_name(lang, &event.coalition_name_fr, &event.coalition_name_en),
                &context
                    .mailer
                    .link(&format!("/organisations/{}", event.organisation_id)),
            ));
        }
    }
    commit_window(context, COALITION_INVITATIONS, (&after, &until), &mails).await
}

//! Invitations by e-mail: a lead sends a batch of personal links, each mailed in the
//! transaction that creates it; reminds a person (at most once a day); sets the diagnostic's
//! closing date and automatic reminder, which a periodic task of the worker sends once.
//! Access (the diagnostic's lead or staff) is checked by the caller.

use crate::app::error::AppError;
use crate::app::{mailer::Mailer, tasks::WorkerContext};
use crate::db::{self, Diagnostic, NewInvitation, Organisation, Pool, WriteGate};
use crate::domain::account;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::invitations::{
    self, AddressBatchForm, ClosingForm, DiagnosticMailContext, Participation,
};
use crate::domain::questionnaire::Questionnaire;
use futures_util::future::BoxFuture;
use time::OffsetDateTime;

/// What the lead's page shows: each mailed person's participation, and the closing date.
pub struct MailedInvitations {
    pub mailed: Vec<db::MailedInvitation>,
    pub closing: db::DiagnosticClosing,
}

pub async fn mailed_invitations(
    pool: &Pool,
    diagnostic: &Diagnostic,
) -> Result<MailedInvitations, AppError> {
    let mailed = db::mailed_invitations(pool, &diagnostic.id).await?;
    let closing = db::diagnostic_closing(pool, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MailedInvitations { mailed, closing })
}

/// Creates a personal link per address and queues its mail, all in one transaction: either
/// every person of the batch is invited, or none is and the lead is told why.
#[allow(clippy::too_many_arguments)]
pub async fn invite_by_mail(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    diagnostic: &Diagnostic,
    organisation: &Organisation,
    questionnaire: &Questionnaire,
    lead_name: &str,
    form: &AddressBatchForm,
) -> Result<Result<usize, FieldErrors>, AppError> {
    let already: Vec<String> = db::mailed_invitations(pool, &diagnostic.id)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect();
    let checked = invitations::check_batch(form, &already);
    let mut errors = checked.clone().err().unwrap_or_default();
    if !form.role.trim().is_empty() && questionnaire.role(form.role.trim()).is_none() {
        errors.add(
            "role",
            "Ce rôle n'existe pas dans ce questionnaire : choisissez-en un dans la liste.",
            "This role does not exist in this questionnaire: choose one from the list.",
        );
    }
    if diagnostic.is_solo() {
        errors.add(
            "addresses",
            "Vous répondez seul·e à cet autodiagnostic : il n'a qu'un lien, le vôtre. Pour inviter d'autres personnes, ouvrez un autodiagnostic collectif depuis la page de l'organisation.",
            "You answer this self-diagnostic alone: it has a single link, yours. To invite other people, open a collective self-diagnostic from the organisation's page.",
        );
    }
    let closing = db::diagnostic_closing(pool, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if diagnostic.closed_at.is_some()
        || invitations::past_closing(closing.closes_on.as_deref(), today())
    {
        errors.add(
            "addresses",
            "Cet autodiagnostic est clos : il n'accepte plus de réponses.",
            "This self-diagnostic is closed: it takes no more responses.",
        );
    }
    let since = db::timestamp(OffsetDateTime::now_utc() - time::Duration::hours(24));
    let today_count = usize::try_from(db::mailed_since(pool, &diagnostic.id, &since).await?)
        .unwrap_or(usize::MAX);
    if let Ok(batch) = &checked
        && today_count.saturating_add(batch.addresses.len())
            > invitations::MAX_MAILED_PER_DIAGNOSTIC_PER_DAY
    {
        invitations::daily_limit_error(today_count, &mut errors);
    }
    let batch = match checked {
        Ok(batch) if errors.is_empty() => batch,
        _ => return Ok(Err(errors)),
    };
    let about = DiagnosticMailContext {
        organisation: &organisation.name,
        diagnostic_title: &diagnostic.title,
        closes_on: closing.closes_on.as_deref(),
    };
    let now = db::now();
    let mut tx = db::begin_write(pool, writes).await?;
    for address in &batch.addresses {
        let token =
            account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
        let id = db::new_id();
        db::insert_invitation(
            &mut *tx,
            &NewInvitation {
                id: &id,
                diagnostic_id: &diagnostic.id,
                token: &token,
                respondent_role: &batch.role,
                // The lead's own note, shown in the list of links: the address.
                label: address,
                shared: false,
                parent_id: None,
                response_id: None,
            },
        )
        .await?;
        db::insert_invitation_mail(
            &mut *tx,
            &id,
            &diagnostic.id,
            address,
            batch.language.code(),
            &now,
        )
        .await?;
        let mail = invitations::invitation_mail(
            address,
            batch.language,
            lead_name,
            &about,
            &mailer.link(&format!("/r/{token}")),
        );
        db::queue_mail(&mut *tx, &mail, &now).await?;
    }
    tx.commit().await?;
    mailer.nudge();
    Ok(Ok(batch.addresses.len()))
}

/// What became of a reminder the lead asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ReminderOutcome {
    Sent {
        email: String,
    },
    /// The person was reminded less than a day ago (at `last`).
    TooSoon {
        email: String,
        last: String,
    },
    /// Nothing to remind: the person submitted, or the link was revoked, or answers closed.
    NothingToRemind {
        email: String,
    },
}

/// Reminds one mailed person, unless they were reminded less than a day ago.
pub async fn remind(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    diagnostic: &Diagnostic,
    organisation: &Organisation,
    invitation_id: &str,
) -> Result<ReminderOutcome, AppError> {
    let person = db::mailed_invitation(pool, &diagnostic.id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let closing = db::diagnostic_closing(pool, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let closed = diagnostic.closed_at.is_some()
        || invitations::past_closing(closing.closes_on.as_deref(), today());
    if person.revoked_at.is_some() || person.submitted > 0 || closed {
        return Ok(ReminderOutcome::NothingToRemind {
            email: person.email,
        });
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(pool, writes).await?;
    let sent = remind_in(
        &mut tx,
        mailer,
        &person,
        &DiagnosticMailContext {
            organisation: &organisation.name,
            diagnostic_title: &diagnostic.title,
            closes_on: closing.closes_on.as_deref(),
        },
        now,
    )
    .await?;
    if !sent {
        tx.rollback().await?;
        let last = db::mailed_invitation(pool, &diagnostic.id, invitation_id)
            .await?
            .and_then(|p| p.last_reminded_at)
            .unwrap_or_default();
        return Ok(ReminderOutcome::TooSoon {
            email: person.email,
            last,
        });
    }
    tx.commit().await?;
    mailer.nudge();
    Ok(ReminderOutcome::Sent {
        email: person.email,
    })
}

/// Claims the person's reminder for today and queues it; `false` when they were reminded
/// less than a day ago (nothing queued).
async fn remind_in(
    conn: &mut sqlx::AnyConnection,
    mailer: &Mailer,
    person: &db::MailedInvitation,
    about: &DiagnosticMailContext<'_>,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    let stamp = db::timestamp(now);
    let last_before = db::timestamp(invitations::reminder_allowed_if_last_before(now));
    if !db::claim_reminder(&mut *conn, &person.invitation_id, &stamp, &last_before).await? {
        return Ok(false);
    }
    let Some(token) = db::reminder_link(&mut *conn, &person.invitation_id).await? else {
        return Ok(false);
    };
    let lang = Lang::from_code(&person.language).unwrap_or_default();
    let started = Participation::of(person.started, person.submitted) == Participation::Started;
    let mail = invitations::reminder_mail(
        &person.email,
        lang,
        about,
        started,
        &mailer.link(&format!("/r/{token}")),
    );
    // Due at once, whatever time the reminder is counted at.
    db::queue_mail(&mut *conn, &mail, &db::now()).await?;
    Ok(true)
}

/// Sets the closing date and the automatic reminder.
pub async fn set_closing(
    pool: &Pool,
    diagnostic: &Diagnostic,
    form: &ClosingForm,
) -> Result<Result<(), FieldErrors>, AppError> {
    let closing = match invitations::check_closing(form, today()) {
        Ok(closing) => closing,
        Err(errors) => return Ok(Err(errors)),
    };
    let closes_on = closing.closes_on.map(invitations::format_date);
    db::set_diagnostic_closing(
        pool,
        &diagnostic.id,
        closes_on.as_deref(),
        closing.reminder_days_before,
    )
    .await?;
    Ok(Ok(()))
}

/// The worker's task: the automatic reminders due today.
pub fn automatic_reminders_task(
    context: WorkerContext,
) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        send_automatic_reminders(&context, OffsetDateTime::now_utc())
            .await
            .map(|_| ())
    })
}

/// Sends each planned automatic reminder that is due at `now`, once: the diagnostic is marked
/// in the transaction that queues its mails. Everyone mailed who has not submitted is
/// reminded, except a person reminded less than a day ago. Returns the mails queued.
pub async fn send_automatic_reminders(
    context: &WorkerContext,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let pool = &context.pool;
    let mut queued = 0;
    for planned in db::planned_automatic_reminders(pool).await? {
        let (Some(closes_on), Some(days)) = (
            planned
                .closes_on
                .as_deref()
                .and_then(invitations::parse_date),
            planned.reminder_days_before,
        ) else {
            continue;
        };
        if !invitations::automatic_reminder_due(closes_on, days, now.date()) {
            continue;
        }
        let Some(diagnostic) = db::diagnostic(pool, &planned.diagnostic_id).await? else {
            continue;
        };
        let organisation_name = match &diagnostic.organisation_id {
            Some(id) => db::organisation(pool, id).await?.map(|o| o.name),
            None => None,
        }
        .unwrap_or_default();
        let people = db::mailed_invitations(pool, &diagnostic.id).await?;
        let about = DiagnosticMailContext {
            organisation: &organisation_name,
            diagnostic_title: &diagnostic.title,
            closes_on: planned.closes_on.as_deref(),
        };
        let mut tx = db::begin_write(pool, &context.writes).await?;
        if !db::claim_automatic_reminder(&mut *tx, &diagnostic.id, &db::timestamp(now)).await? {
            tx.rollback().await?;
            continue;
        }
        for person in people
            .iter()
            .filter(|p| p.revoked_at.is_none() && p.submitted == 0)
        {
            if remind_in(&mut tx, &context.mailer, person, &about, now).await? {
                queued += 1;
            }
        }
        tx.commit().await?;
    }
    if queued > 0 {
        context.mailer.nudge();
    }
    Ok(queued)
}

/// Today's date (UTC), as the closing date is compared.
fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

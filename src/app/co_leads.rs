//! Co-leads: a lead invites another person by e-mail to co-manage an organisation; the link
//! (one-time, hashed, expiring) makes the signed-in person who accepts it a lead; a lead may
//! step down, never the last one. Access to the organisation (its lead or staff) is checked by
//! the caller; accepting needs only a signed-in account and the link.

use crate::app::error::AppError;
use crate::app::mailer::Mailer;
use crate::db::{self, NewLeadInvitation, Organisation, Pool, WriteGate};
use crate::domain::account;
use crate::domain::co_leads::{self, LinkRefusal};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use time::OffsetDateTime;

/// The leads of an organisation and its invitations still open.
pub struct Leads {
    pub leads: Vec<db::Lead>,
    pub pending: Vec<db::LeadInvitation>,
}

pub async fn leads(pool: &Pool, organisation: &Organisation) -> Result<Leads, AppError> {
    Ok(Leads {
        leads: db::leads_of_organisation(pool, &organisation.id).await?,
        pending: db::pending_lead_invitations(pool, &organisation.id, &db::now()).await?,
    })
}

/// Invites `typed` (an address) to co-manage: the invitation and its mail in one transaction.
/// The mail is in the language of the page the lead used.
pub async fn invite(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    organisation: &Organisation,
    inviter: (&str, &str),
    typed: &str,
    lang: Lang,
) -> Result<Result<String, FieldErrors>, AppError> {
    let (inviter_id, inviter_name) = inviter;
    let email = match co_leads::check_invitee(typed) {
        Ok(email) => email,
        Err(errors) => return Ok(Err(errors)),
    };
    if db::leads_of_organisation(pool, &organisation.id)
        .await?
        .iter()
        .any(|l| l.email == email)
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            "Cette personne gère déjà l'organisation.",
            "This person already manages the organisation.",
        );
        return Ok(Err(errors));
    }
    let since = db::timestamp(OffsetDateTime::now_utc() - time::Duration::hours(24));
    if db::lead_invitations_since(pool, &organisation.id, &since).await?
        >= co_leads::MAX_LEAD_INVITATIONS_PER_DAY
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            format!(
                "Au plus {} invitations en 24 heures pour une organisation : réessayez demain.",
                co_leads::MAX_LEAD_INVITATIONS_PER_DAY
            ),
            format!(
                "At most {} invitations in 24 hours for an organisation: try again tomorrow.",
                co_leads::MAX_LEAD_INVITATIONS_PER_DAY
            ),
        );
        return Ok(Err(errors));
    }
    let token =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_lead_invitation(
        &mut *tx,
        &NewLeadInvitation {
            id: &db::new_id(),
            organisation_id: &organisation.id,
            email: &email,
            token_hash: &co_leads::token_hash(&token),
            invited_by: inviter_id,
            created_at: &db::timestamp(now),
            expires_at: &db::timestamp(now + co_leads::LEAD_INVITATION_LIFETIME),
        },
    )
    .await?;
    let mail = co_leads::co_lead_mail(
        &email,
        lang,
        inviter_name,
        &organisation.name,
        &mailer.link(&format!("/co-leads/{token}")),
    );
    db::queue_mail(&mut *tx, &mail, &db::timestamp(now)).await?;
    tx.commit().await?;
    mailer.nudge();
    Ok(Ok(email))
}

/// The invitation behind a link, if it may still be accepted.
pub async fn invitation(
    pool: &Pool,
    token: &str,
) -> Result<Result<db::LeadInvitation, LinkRefusal>, AppError> {
    if !co_leads::plausible_token(token) {
        return Ok(Err(LinkRefusal::Unknown));
    }
    let Some(invitation) = db::lead_invitation_by_hash(pool, &co_leads::token_hash(token)).await?
    else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    Ok(co_leads::link_state(
        invitation.accepted_at.as_deref(),
        &invitation.expires_at,
        &db::now(),
    )
    .map(|()| invitation))
}

/// Makes `account_id` a lead of the invitation's organisation, once: the link is marked used
/// and the lead added in one transaction.
pub async fn accept(
    pool: &Pool,
    writes: &WriteGate,
    token: &str,
    account_id: &str,
) -> Result<Result<String, LinkRefusal>, AppError> {
    let invitation = match invitation(pool, token).await? {
        Ok(invitation) => invitation,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut tx = db::begin_write(pool, writes).await?;
    if !db::accept_lead_invitation(&mut *tx, &invitation.id, account_id, &db::now()).await? {
        // Another request used it (or it expired) since it was read.
        tx.rollback().await?;
        return Ok(Err(LinkRefusal::Used));
    }
    db::add_lead(&mut *tx, &invitation.organisation_id, account_id).await?;
    tx.commit().await?;
    Ok(Ok(invitation.organisation_id))
}

/// Why stepping down was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepDownRefusal {
    /// The account is the organisation's only lead.
    LastLead,
    /// The account does not lead the organisation (staff, or a stale page).
    NotALead,
}

/// Removes the account from the organisation's leads, unless it is the last one. The
/// organisation's row is locked first, so two leads stepping down at once take turns.
pub async fn step_down(
    pool: &Pool,
    writes: &WriteGate,
    organisation: &Organisation,
    account_id: &str,
) -> Result<Result<(), StepDownRefusal>, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    db::lock_organisation(&mut *tx, &organisation.id).await?;
    if !db::is_lead(&mut *tx, &organisation.id, account_id).await? {
        tx.rollback().await?;
        return Ok(Err(StepDownRefusal::NotALead));
    }
    let leads = db::count_leads(&mut *tx, &organisation.id).await?;
    if !co_leads::may_step_down(leads) {
        tx.rollback().await?;
        return Ok(Err(StepDownRefusal::LastLead));
    }
    db::remove_lead(&mut *tx, &organisation.id, account_id).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

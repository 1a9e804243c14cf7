//! Deleting an organisation, by one of its leads: its diagnostics, responses, links and
//! memberships go, in one write transaction that also queues a mail to each other lead; the
//! lead's account stays. Figures already published (the yearly report, the open data) stay:
//! they are aggregates stored when the year was published, which name no organisation under
//! the thresholds and cannot be traced back to a response.
//!
//! Only a lead may delete (not programme staff, who verify organisations but do not own
//! them), checked again inside the transaction, after the organisation's row is locked, so
//! that a lead stepping down at the same moment cannot slip through.

use crate::app::error::AppError;
use crate::app::mailer::Mailer;
use crate::db::{self, Organisation, OrganisationHoldings, Pool, WriteGate};
use crate::domain::i18n::Lang;
use crate::domain::mail::Mail;

/// What the confirmation page says deleting the organisation would do.
pub struct DeletionPlan {
    pub holdings: OrganisationHoldings,
    /// Coalitions it is a member of today (names in French and English): deleting waits
    /// until their managers end the membership.
    pub coalitions: Vec<(String, String)>,
}

pub async fn plan(pool: &Pool, organisation: &Organisation) -> Result<DeletionPlan, AppError> {
    Ok(DeletionPlan {
        holdings: db::organisation_holdings(pool, &organisation.id).await?,
        coalitions: db::current_coalitions_of_organisation(pool, &organisation.id).await?,
    })
}

/// Why a deletion was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeletionRefused {
    /// The account does not lead the organisation (staff, a lead who stepped down).
    NotALead,
    /// The organisation is a member of these coalitions today (names in French and English).
    InCoalitions(Vec<(String, String)>),
}

/// Deletes the organisation for `lead` (its id and name) and tells the other leads.
pub async fn delete(
    pool: &Pool,
    writes: &WriteGate,
    mailer: &Mailer,
    organisation: &Organisation,
    lead: (&str, &str),
) -> Result<Result<(), DeletionRefused>, AppError> {
    let (lead_id, lead_name) = lead;
    let mut tx = db::begin_write(pool, writes).await?;
    db::lock_organisation(&mut *tx, &organisation.id).await?;
    if !db::is_lead(&mut *tx, &organisation.id, lead_id).await? {
        tx.rollback().await?;
        return Ok(Err(DeletionRefused::NotALead));
    }
    let coalitions = db::current_coalitions_of_organisation(&mut *tx, &organisation.id).await?;
    if !coalitions.is_empty() {
        tx.rollback().await?;
        return Ok(Err(DeletionRefused::InCoalitions(coalitions)));
    }
    let others: Vec<db::Lead> = db::leads_of_organisation(&mut *tx, &organisation.id)
        .await?
        .into_iter()
        .filter(|l| l.account_id != lead_id)
        .collect();
    let now = db::now();
    for other in &others {
        let lang = db::account_language(&mut *tx, &other.account_id)
            .await?
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        let mail = deletion_mail(
            &other.email,
            lang,
            &other.display_name,
            lead_name,
            &organisation.name,
        );
        db::queue_mail(&mut *tx, &mail, &now).await?;
    }
    db::delete_organisation(&mut tx, &organisation.id).await?;
    tx.commit().await?;
    if !others.is_empty() {
        mailer.nudge();
    }
    Ok(Ok(()))
}

/// The mail each other lead receives.
fn deletion_mail(to: &str, lang: Lang, name: &str, by: &str, organisation: &str) -> Mail {
    Mail::builder(
        to,
        lang,
        lang.pick(
            &format!("L'organisation « {organisation} » a été supprimée"),
            &format!("The organisation \"{organisation}\" was deleted"),
        ),
    )
    .greeting(name)
    .paragraph(lang.pick(
        &format!("{by}, qui gérait avec vous l'organisation « {organisation} », l'a supprimée. Ses autodiagnostics, leurs réponses et leurs liens sont effacés ; vous n'en êtes plus responsable. Votre compte, lui, reste."),
        &format!("{by}, who managed the organisation \"{organisation}\" with you, deleted it. Its self-diagnostics, their responses and their links are erased; you no longer manage it. Your account stays."),
    ))
    .paragraph(lang.pick(
        "Les chiffres déjà publiés (rapport annuel, données ouvertes) restent : ce sont des agrégats qui ne désignent aucune organisation.",
        "Figures already published (the yearly report, the open data) stay: they are aggregates that single out no organisation.",
    ))
    .reason(lang.pick(
        "Vous recevez ce message parce que vous étiez responsable de cette organisation.",
        "You receive this message because you managed this organisation.",
    ))
    .build()
}

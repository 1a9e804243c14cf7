//! Diagnostics as an organisation's lead runs them: opening one on the questionnaire that fits
//! the organisation's kind (collective, or answered alone), handing out links to respondents
//! and revoking them.
//!
//! Who may do what is checked before these are called (the web layer's `access`).

use crate::app::error::AppError;
use crate::db::WriteGate;
use crate::db::{self, Diagnostic, Invitation, NewDiagnostic, NewInvitation, Organisation, Pool};
use crate::domain::account;
use crate::domain::field_errors::FieldErrors;
use crate::domain::questionnaire::{Questionnaire, Registry};
use crate::domain::results::Answering;

/// Opens a diagnostic on the newest version of `questionnaire_slug`, which must be meant for
/// the organisation's kind; returns its id.
pub async fn open(
    pool: &Pool,
    writes: &WriteGate,
    registry: &Registry,
    organisation: &Organisation,
    questionnaire_slug: &str,
    answering: Answering,
) -> Result<String, AppError> {
    let audience = organisation.kind.audience();
    let questionnaire = registry
        .latest(questionnaire_slug)
        .filter(|q| q.audience == audience)
        .ok_or(AppError::NotFound)?;
    let id = db::new_id();
    let now = db::now();
    let year = now.get(..4).unwrap_or("");
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_diagnostic(
        &mut *tx,
        &NewDiagnostic {
            id: &id,
            organisation_id: Some(&organisation.id),
            coalition_id: None,
            questionnaire_slug: &questionnaire.slug,
            questionnaire_version: &questionnaire.version,
            title: &format!("Autodiagnostic {year}"),
            opened_at: &now,
            closed_at: None,
        },
    )
    .await?;
    if answering == Answering::Solo {
        db::set_diagnostic_solo(&mut *tx, &id).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The links a lead handed out for a diagnostic, with their progress.
pub struct Links {
    pub invitations: Vec<Invitation>,
    /// Per link: `(invitation id, started, submitted)`.
    pub progress: Vec<(String, i64, i64)>,
}

impl Links {
    /// A solo diagnostic takes a link only while it has none in use and no submitted
    /// response (a revoked, unused link may be replaced).
    pub fn solo_may_invite(&self) -> bool {
        let submitted: i64 = self.progress.iter().map(|(_, _, s)| s).sum();
        submitted == 0 && self.invitations.iter().all(|i| i.revoked_at.is_some())
    }
}

pub async fn links(pool: &Pool, diagnostic_id: &str) -> Result<Links, AppError> {
    Ok(Links {
        invitations: db::invitations_of_diagnostic(pool, diagnostic_id).await?,
        progress: db::invitation_progress(pool, diagnostic_id).await?,
    })
}

/// A link as the lead asks for it.
#[derive(Debug, Clone, Default)]
pub struct LinkRequest {
    /// A respondent role of the diagnostic's questionnaire.
    pub role: String,
    /// The lead's own note, to tell links apart.
    pub label: String,
    /// One link for several people of the role, each getting theirs at start.
    pub shared: bool,
}

/// Hands out a link; returns its id, or what is wrong with the request, added to `errors`
/// (which may already hold the form's own), and writes nothing then.
pub async fn create_link(
    pool: &Pool,
    diagnostic: &Diagnostic,
    questionnaire: &Questionnaire,
    links: &Links,
    request: &LinkRequest,
    mut errors: FieldErrors,
) -> Result<Result<String, FieldErrors>, AppError> {
    if request.role.is_empty() {
        errors.add(
            "role",
            "Choisissez le rôle de la personne invitée.",
            "Choose the invited person's role.",
        );
    } else if questionnaire.role(&request.role).is_none() {
        errors.add(
            "role",
            "Ce rôle n'existe pas dans ce questionnaire : choisissez-en un dans la liste.",
            "This role does not exist in this questionnaire: choose one from the list.",
        );
    }
    if request.label.trim().chars().count() > 100 {
        errors.add(
            "label",
            "Le repère dépasse 100 caractères.",
            "The note is longer than 100 characters.",
        );
    }
    if diagnostic.is_solo() && !links.solo_may_invite() {
        // Its results are shown from one respondent on: a second person's answers would be
        // shown as they are, or mixed with the lead's for the lead to subtract.
        errors.add(
            "role",
            "Vous répondez seul·e à cet autodiagnostic : il n'a qu'un lien, le vôtre. Pour inviter d'autres personnes, ouvrez un autodiagnostic collectif depuis la page de l'organisation.",
            "You answer this self-diagnostic alone: it has a single link, yours. To invite other people, open a collective self-diagnostic from the organisation's page.",
        );
    }
    if diagnostic.closed_at.is_some() {
        errors.add(
            "role",
            "Cet autodiagnostic est clos : il n'accepte plus de réponses.",
            "This self-diagnostic is closed: it takes no more responses.",
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let token =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let id = db::new_id();
    db::insert_invitation(
        pool,
        &NewInvitation {
            id: &id,
            diagnostic_id: &diagnostic.id,
            token: &token,
            respondent_role: &request.role,
            label: request.label.trim(),
            // A shared link hands out links to several people: never for a solo diagnostic.
            shared: request.shared && !diagnostic.is_solo(),
            parent_id: None,
            response_id: None,
        },
    )
    .await?;
    Ok(Ok(id))
}

/// Revokes a link and the personal links made from it; `NotFound` when it is not one of the
/// diagnostic's, or already revoked.
pub async fn revoke_link(
    pool: &Pool,
    diagnostic_id: &str,
    invitation_id: &str,
) -> Result<(), AppError> {
    if db::revoke_invitation(pool, invitation_id, diagnostic_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

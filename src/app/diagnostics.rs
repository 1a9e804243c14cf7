//! Diagnostics as an organisation's lead runs them: opening one on the questionnaire that fits
//! the organisation's kind (collective, or answered alone), handing out links to respondents,
//! revoking and reinstating them; closing and reopening the diagnostic, setting a submitted
//! response aside and restoring it, each kept in its history; deleting one nobody answered.
//!
//! Who may do what is checked before these are called (the web layer's `access`). Each change
//! is written with its line of history in one transaction, committed before it is reported
//! done; a change another lead made first (the page was stale) writes nothing and says so.

use crate::app::error::AppError;
use crate::db::WriteGate;
use crate::db::{
    self, Diagnostic, DiagnosticEvent, Invitation, NewDiagnostic, NewDiagnosticEvent,
    NewInvitation, Organisation, Pool, SubmittedResponse,
};
use crate::domain::account;
use crate::domain::diagnostics::{DiagnosticAction, generated_title};
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
            title: &generated_title(year),
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

/// Whether a change was written, or found done already by someone else (the page that asked
/// for it was stale): nothing is written then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Written,
    Stale,
    /// Refused because it would undo what is final: a set-aside in effect
    /// ([`crate::domain::diagnostics::SET_ASIDE_GROUP`]).
    Final,
}

impl From<bool> for Change {
    fn from(written: bool) -> Self {
        if written {
            Change::Written
        } else {
            Change::Stale
        }
    }
}

/// Writes one change of a diagnostic with its line of history, both or neither.
async fn change_with_history<'a, F>(
    pool: &Pool,
    writes: &WriteGate,
    event: NewDiagnosticEvent<'a>,
    change: F,
) -> Result<Change, AppError>
where
    F: for<'c> FnOnce(
        &'c mut sqlx::AnyConnection,
    ) -> futures_util::future::BoxFuture<'c, Result<bool, sqlx::Error>>,
{
    let mut tx = db::begin_write(pool, writes).await?;
    if !change(&mut tx).await? {
        tx.rollback().await?;
        return Ok(Change::Stale);
    }
    db::insert_diagnostic_event(&mut *tx, &event).await?;
    tx.commit().await?;
    Ok(Change::Written)
}

fn event<'a>(
    diagnostic_id: &'a str,
    account_id: &'a str,
    action: DiagnosticAction,
    at: &'a str,
) -> NewDiagnosticEvent<'a> {
    NewDiagnosticEvent {
        diagnostic_id,
        account_id,
        action,
        response_id: None,
        invitation_id: None,
        reason: None,
        at,
    }
}

/// Revokes a link and the personal links made from it; `Stale` when it is already revoked,
/// `NotFound` when it is not one of the diagnostic's links.
pub async fn revoke_link(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic_id: &str,
    invitation_id: &str,
    account_id: &str,
) -> Result<Change, AppError> {
    db::invitation_of_diagnostic(pool, invitation_id, diagnostic_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = db::now();
    let id = invitation_id.to_owned();
    let diagnostic = diagnostic_id.to_owned();
    change_with_history(
        pool,
        writes,
        NewDiagnosticEvent {
            invitation_id: Some(invitation_id),
            ..event(
                diagnostic_id,
                account_id,
                DiagnosticAction::LinkRevoked,
                &now,
            )
        },
        move |tx| Box::pin(async move { db::revoke_invitation(tx, &id, &diagnostic).await }),
    )
    .await
}

/// Reinstates a revoked link (with the personal links made from it that were revoked with
/// it): they work again as before. `Stale` when it is not revoked.
pub async fn reinstate_link(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
    invitation_id: &str,
    account_id: &str,
) -> Result<Change, AppError> {
    db::invitation_of_diagnostic(pool, invitation_id, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = db::now();
    let id = invitation_id.to_owned();
    let diagnostic_id = diagnostic.id.clone();
    change_with_history(
        pool,
        writes,
        NewDiagnosticEvent {
            invitation_id: Some(invitation_id),
            ..event(
                &diagnostic.id,
                account_id,
                DiagnosticAction::LinkReinstated,
                &now,
            )
        },
        move |tx| Box::pin(async move { db::reinstate_invitation(tx, &id, &diagnostic_id).await }),
    )
    .await
}

/// Closes the diagnostic to new answers at once (respondents are told it is closed); `Stale`
/// when another lead closed it first.
pub async fn close(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
    account_id: &str,
) -> Result<Change, AppError> {
    let now = db::now();
    let id = diagnostic.id.clone();
    let at = now.clone();
    change_with_history(
        pool,
        writes,
        event(&diagnostic.id, account_id, DiagnosticAction::Closed, &now),
        move |tx| Box::pin(async move { db::close_diagnostic(tx, &id, &at).await }),
    )
    .await
}

/// Reopens a closed diagnostic: its links take answers again (until its closing date, if it
/// has one); `Stale` when another lead reopened it first.
pub async fn reopen(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
    account_id: &str,
) -> Result<Change, AppError> {
    let now = db::now();
    let id = diagnostic.id.clone();
    change_with_history(
        pool,
        writes,
        event(&diagnostic.id, account_id, DiagnosticAction::Reopened, &now),
        move |tx| Box::pin(async move { db::reopen_diagnostic(tx, &id).await }),
    )
    .await
}

/// Sets a submitted response aside, for `reason`: the results leave it out and say how many
/// are. `Stale` when it is set aside already (another lead was first); `NotFound` when it is
/// not one of the diagnostic's submitted responses. The response itself is never changed.
///
/// Nobody is singled out: a set-aside takes effect only once two others complete its group
/// of three, and is final then ([`crate::domain::diagnostics::SET_ASIDE_GROUP`] says why);
/// the results still need 3 counted respondents after it.
pub async fn set_aside(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
    response_id: &str,
    reason: &str,
    account_id: &str,
) -> Result<Change, AppError> {
    let response = submitted_response(pool, diagnostic, response_id).await?;
    if response.is_set_aside() {
        return Ok(Change::Stale);
    }
    let now = db::now();
    let (d, r, why, by, at) = (
        diagnostic.id.clone(),
        response_id.to_owned(),
        reason.to_owned(),
        account_id.to_owned(),
        now.clone(),
    );
    change_with_history(
        pool,
        writes,
        NewDiagnosticEvent {
            response_id: Some(response_id),
            reason: Some(reason),
            ..event(&diagnostic.id, account_id, DiagnosticAction::SetAside, &now)
        },
        move |tx| Box::pin(async move { db::set_response_aside(tx, &d, &r, &why, &by, &at).await }),
    )
    .await
}

/// Counts a set-aside response again while its set-aside is pending; `Final` once it is in
/// effect (its group of three complete); `Stale` when it is not set aside (another lead
/// restored it first, or completed its group meanwhile).
pub async fn restore(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
    response_id: &str,
    account_id: &str,
) -> Result<Change, AppError> {
    let response = submitted_response(pool, diagnostic, response_id).await?;
    if response.is_set_aside_in_effect() {
        return Ok(Change::Final);
    }
    let now = db::now();
    let (d, r) = (diagnostic.id.clone(), response_id.to_owned());
    change_with_history(
        pool,
        writes,
        NewDiagnosticEvent {
            response_id: Some(response_id),
            ..event(&diagnostic.id, account_id, DiagnosticAction::Restored, &now)
        },
        move |tx| Box::pin(async move { db::restore_response(tx, &d, &r).await }),
    )
    .await
}

/// One of the diagnostic's submitted responses, as its leads see it; `NotFound` otherwise.
pub async fn submitted_response(
    pool: &Pool,
    diagnostic: &Diagnostic,
    response_id: &str,
) -> Result<SubmittedResponse, AppError> {
    db::submitted_responses(pool, &diagnostic.id)
        .await?
        .into_iter()
        .find(|r| r.id == response_id)
        .ok_or(AppError::NotFound)
}

/// What the diagnostic's page shows of its life: its submitted responses (set aside or not)
/// and its history.
pub struct Lifecycle {
    pub responses: Vec<SubmittedResponse>,
    pub history: Vec<DiagnosticEvent>,
}

impl Lifecycle {
    /// Set-asides in effect: left out of the results.
    pub fn set_aside(&self) -> usize {
        self.responses
            .iter()
            .filter(|r| r.is_set_aside_in_effect())
            .count()
    }

    /// Set-asides waiting for their group of three: the results still count them.
    pub fn set_aside_pending(&self) -> usize {
        self.responses
            .iter()
            .filter(|r| r.is_set_aside() && !r.is_set_aside_in_effect())
            .count()
    }
}

pub async fn lifecycle(pool: &Pool, diagnostic: &Diagnostic) -> Result<Lifecycle, AppError> {
    Ok(Lifecycle {
        responses: db::submitted_responses(pool, &diagnostic.id).await?,
        history: db::diagnostic_events(pool, &diagnostic.id).await?,
    })
}

/// Deletes a diagnostic nobody submitted a response to, with its links and the answers in
/// progress; `Stale` (nothing deleted) when it has a submitted response, including one
/// submitted while the lead confirmed.
pub async fn delete(
    pool: &Pool,
    writes: &WriteGate,
    diagnostic: &Diagnostic,
) -> Result<Change, AppError> {
    let mut tx = db::begin_write(pool, writes).await?;
    if !db::delete_unanswered_diagnostic(&mut tx, &diagnostic.id).await? {
        tx.rollback().await?;
        return Ok(Change::Stale);
    }
    tx.commit().await?;
    Ok(Change::Written)
}

/// The diagnostic's closing date and automatic reminder, as its lead set them.
pub async fn closing(
    pool: &Pool,
    diagnostic: &Diagnostic,
) -> Result<db::DiagnosticClosing, AppError> {
    db::diagnostic_closing(pool, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many of the diagnostic's submitted responses its leads set aside: its results are
/// computed without them, and say how many.
pub async fn set_aside_count(pool: &Pool, diagnostic: &Diagnostic) -> Result<i64, AppError> {
    let made = db::set_aside_count(pool, &diagnostic.id).await?;
    Ok(crate::domain::diagnostics::set_asides_in_effect(made))
}

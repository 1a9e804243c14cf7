//! An organisation's side of joining a coalition: its lead chooses whether the organisation
//! appears in the public directory (the only place coalition managers find organisations
//! they do not lead), and accepts or declines the invitations coalition managers send. No
//! mail exists yet, so invitations wait on the lead's pages (their organisations, and each
//! invited organisation's page), drawn by `crate::web::pages::coalition::shared`.

use crate::app;
use crate::app::coalitions::Answer;
use crate::app::error::AppError;
use crate::domain::coalition::InvitationStatus;
use crate::web::AppState;
use crate::web::access;
use crate::web::lang::PageContext;
use crate::web::session::{CheckedForm, User};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

pub async fn set_directory(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let listed = form.value("listed") == "1";
    app::coalitions::set_in_directory(&state.pool, &state.writes, &organisation.id, listed).await?;
    Ok(redirect(&format!(
        "/organisations/{}#annuaire",
        organisation.id
    )))
}

pub async fn accept(
    ctx: PageContext,
    user: User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    answer(ctx, user, state, path, true).await
}

pub async fn decline(
    ctx: PageContext,
    user: User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    answer(ctx, user, state, path, false).await
}

/// Only a lead of the invited organisation (or staff) answers; accepting makes the
/// membership the invitation proposed, in the same transaction.
async fn answer(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    accepted: bool,
) -> Result<HttpResponse, AppError> {
    let (organisation_id, invitation_id) = path.into_inner();
    let organisation = access::organisation(&state.pool, &user, &organisation_id).await?;
    let answer = app::coalitions::answer_invitation(
        &state.pool,
        &state.writes,
        &organisation.id,
        &invitation_id,
        &user.id,
        accepted,
    )
    .await?;
    let current = match answer {
        Answer::Recorded { coalition_slug } => {
            return Ok(redirect(&if accepted {
                format!("/coalitions/{coalition_slug}/members")
            } else {
                format!("/organisations/{}", organisation.id)
            }));
        }
        Answer::AlreadyAnswered(current) => current,
    };
    // Answered meanwhile (another lead, another tab): say so rather than pretend.
    let lang = ctx.lang;
    let title = lang.pick(
        "Cette invitation a déjà reçu une réponse",
        "This invitation was already answered",
    );
    let body = html! {
        h1 { (title) }
        p {
            (lang.pick("Réponse enregistrée : ", "Answer recorded: "))
            strong { (match current {
                Some(status @ (InvitationStatus::Accepted | InvitationStatus::Declined)) => status.label(lang),
                _ => "—",
            }) }
            (lang.pick(". Votre réponse n'a rien changé.", ". Your answer changed nothing."))
        }
        p { a href={ "/organisations/" (organisation.id) } { "← " (organisation.name) } }
    };
    Ok(html_response(StatusCode::CONFLICT, page(&ctx, title, body)))
}

//! Requests to join a coalition: asked by a lead from their organisation's results page,
//! answered by the coalition's porteurs from its members page (which lists them). What each
//! may do is [`crate::app::join_requests`]'.

use crate::app;
use crate::app::error::AppError;
use crate::web::session::{CheckedForm, User};
use crate::web::ui::layout::redirect;
use crate::web::{AppState, access};
use actix_web::{HttpResponse, web};

/// POST /diagnostics/{id}/join-requests: a lead asks for the organisation of this diagnostic
/// to join the coalition named by `coalition`; back to the results, where the request shows.
pub async fn ask(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let slug = form.value("coalition");
    app::join_requests::ask(
        &state.pool,
        &state.writes,
        &organisation.id,
        slug.trim(),
        &user.id,
    )
    .await?;
    Ok(redirect(&format!(
        "/diagnostics/{}/results#coalitions-to-join",
        diagnostic.id
    )))
}

async fn answer(
    user: &crate::domain::account::SessionUser,
    state: &AppState,
    slug: &str,
    request_id: &str,
    accepted: bool,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(user), slug).await?;
    access.require(access.manages())?;
    app::join_requests::answer(
        &state.pool,
        &state.writes,
        &coalition,
        request_id,
        &user.id,
        accepted,
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{}/members#join-requests",
        coalition.slug
    )))
}

/// POST /coalitions/{slug}/join-requests/{request}/accept: the organisation becomes a member.
pub async fn accept(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, request_id) = path.into_inner();
    answer(&user, &state, &slug, &request_id, true).await
}

/// POST /coalitions/{slug}/join-requests/{request}/decline.
pub async fn decline(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, request_id) = path.into_inner();
    answer(&user, &state, &slug, &request_id, false).await
}

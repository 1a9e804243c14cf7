//! An indicator's targets: setting one (a yearly milestone or the final one) from the form
//! of the indicator's page, and removing one. A form whose page showed other targets than
//! there are now is refused (409) with what changed. Removing a target asks for confirmation.

use crate::app::error::AppError;
use crate::app::indicators::{self, Written};
use crate::domain::indicator::forms::{TargetData, TargetForm};
use crate::domain::indicator::records::targets_shown;
use crate::web::AppState;
use crate::web::access;
use crate::web::lang::PageContext;
use crate::web::pages::coalition::indicators::{
    IndicatorPage, Rejected, indicator_markup, rejected_page,
};
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::figures::figure;
use crate::web::ui::forms::{CONFIRM_FIELD, CONFIRMED, Confirmation, confirmation};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

pub async fn record(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.manages())?;
    let typed = TargetForm {
        due_on: form.value("due_on"),
        value: form.value("target_value"),
        is_final: form.get("is_final").is_some(),
    };
    // A page that showed other targets than there are now (or carries none) would replace
    // a target set meanwhile without its author knowing: refused with what changed.
    let shown = form.value("targets_shown");
    if form.get("targets_shown").is_none() || shown != targets_shown(&p.view.targets) {
        return stale(&ctx, &session, &p, typed, shown);
    }
    let parsed = TargetData::parse(
        &typed,
        p.view.indicator.direction,
        p.view.current_baseline(),
    );
    let data = match form.checked(parsed, &[]) {
        Ok(data) => data,
        Err(errors) => return rejected_page(&ctx, &session, &p, Rejected::Target(typed, errors)),
    };
    match indicators::set_target(
        &state.pool,
        &state.writes,
        &p.view.indicator.id,
        &shown,
        &data,
        &user.id,
    )
    .await?
    {
        Written::Done => Ok(redirect(&format!(
            "/coalitions/{slug}/indicators/{id}#cibles"
        ))),
        Written::Stale => {
            let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
            stale(&ctx, &session, &p, typed, shown)
        }
    }
}

/// The 409 page of the targets form: the indicator as it is now, what changed since the
/// person's page, and what they typed, in the form again.
fn stale(
    ctx: &PageContext,
    session: &Session,
    p: &IndicatorPage,
    typed: TargetForm,
    shown: String,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::CONFLICT,
        indicator_markup(ctx, Some(&token), p, &Rejected::StaleTarget(typed, shown)),
    ))
}

/// Removes a target, once confirmed: the first click (or a direct POST) only asks for
/// confirmation, saying what the target was.
pub async fn delete(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id, target) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let indicator = indicators::indicator(&state.pool, &coalition.id, &id).await?;
    if form.value(CONFIRM_FIELD) != CONFIRMED {
        let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
        let t = p
            .view
            .targets
            .iter()
            .find(|t| t.id == target)
            .ok_or(AppError::NotFound)?;
        let lang = ctx.lang;
        let token = session::csrf_token(&session)?;
        let title = format!(
            "{} {} — {}",
            lang.pick("Retirer la cible du", "Remove the target of"),
            t.due,
            indicator.code
        );
        let kind = if t.is_final {
            lang.pick("la cible finale", "the final target")
        } else {
            lang.pick("le jalon", "the milestone")
        };
        let action = format!("/coalitions/{slug}/indicators/{id}/targets/{target}/delete");
        let cancel = format!("/coalitions/{slug}/indicators/{id}#cibles");
        let body = html! {
            h1 { (title) }
            (confirmation(lang, &token, &Confirmation {
                what_happens: html! { p {
                    (lang.pick("Vous retirez ", "You remove ")) (kind) " " (figure(lang, t.value)) " " (indicator.unit)
                    (lang.pick(" prévu(e) pour le ", " due on ")) (t.due)
                    (lang.pick(". La trajectoire attendue et le statut de l'indicateur sont recalculés sans elle.", ". The expected path and the indicator's status are computed again without it."))
                } },
                action: &action,
                fields: form.pairs(),
                confirm_label: lang.pick("Retirer la cible", "Remove the target"),
                cancel_href: &cancel,
            }))
        };
        return Ok(html_response(StatusCode::OK, page(&ctx, &title, body)));
    }
    indicators::remove_target(&state.pool, &state.writes, &indicator.id, &target).await?;
    Ok(redirect(&format!(
        "/coalitions/{slug}/indicators/{id}#cibles"
    )))
}

//! An indicator's baseline form, on a page of its own: its fields share names with the
//! measurement form of the indicator's page, and one page must not hold two fields with the
//! same id. Every baseline is kept; a new one applies from then on, with the reason it
//! changed.

use crate::app::error::AppError;
use crate::app::indicators::{self, Written};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::indicator::Measure;
use crate::domain::indicator::forms::{BaselineData, BaselineForm};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::pages::coalition::indicators::{IndicatorPage, figure_form};
use crate::web::session::{self, CheckedForm, User};
use crate::web::today;
use crate::web::ui::figures::{changes_list, figure_fields, figure_text};
use crate::web::ui::forms::{Input, csrf, error_summary, input, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::typed_text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// The baseline form; `stale` is how many baselines the person's page showed when the
/// baselines changed since (the 409 page lists those recorded after).
fn baseline_markup(
    ctx: &PageContext,
    token: &str,
    p: &IndicatorPage,
    form: &BaselineForm,
    errors: &FieldErrors,
    stale: Option<usize>,
) -> Markup {
    let lang = ctx.lang;
    let v = &p.view;
    let i = &v.indicator;
    let first = v.baselines.is_empty();
    // The baselines recorded after those the person's page showed (they are in the order
    // they were recorded), for the 409 page.
    let changes: Vec<Markup> = stale
        .map(|shown| {
            v.baselines
                .iter()
                .skip(shown)
                .map(|b| {
                    html! {
                        strong { (figure_text(lang, &i.unit, b.value.as_ref())) }
                        " (" (lang.date(b.measured_on)) ", " (typed_text(lang, Lang::Fr, &b.source)) ")"
                        @if !b.reason.is_empty() { " — « " (typed_text(lang, Lang::Fr, &b.reason)) " »" }
                        " — " (lang.pick("par ", "by ")) (b.recorded_by_name.as_deref().unwrap_or("—"))
                        (lang.pick(", le ", ", on ")) (lang.date_time(&b.recorded_at))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let title = format!(
        "{} — {}",
        if first {
            lang.pick("Valeur de référence", "Baseline")
        } else {
            lang.pick("Changer la valeur de référence", "Change the baseline")
        },
        i.code
    );
    let base = format!("/coalitions/{}/indicators/{}", p.coalition.slug, i.id);
    page(
        ctx,
        &title,
        html! {
            p { a href={ (base) "#reference" } { "← " (i.code) " — " (typed_text(lang, Lang::Fr, &i.name)) } }
            h1 { (title) }
            @if stale.is_some() {
                div.error-summary role="alert" tabindex="-1" autofocus {
                    p { (lang.pick("La valeur de référence a changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé ; ce que vous aviez saisi est resté dans le formulaire, enregistrez-le de nouveau si besoin.", "The baseline changed since you opened the page: nothing was saved. See what changed; what you typed is still in the form, save it again if needed.")) }
                    (changes_list(lang, changes))
                }
            }
            @if !first { p { (lang.pick("L'ancienne référence reste dans l'historique de l'indicateur, avec la raison du changement.", "The former baseline stays in the indicator's history, with the reason for the change.")) } }
            (error_summary(lang, errors, &[("value", lang.pick("Valeur", "Value")), ("numerator", lang.pick("Numérateur", "Numerator")), ("denominator", lang.pick("Dénominateur", "Denominator")), ("measured_on", lang.pick("Date de la valeur", "Date of the value")), ("source", "Source"), ("reason", lang.pick("Raison du changement", "Reason for the change"))]))
            form method="post" action={ (base) "/baseline" } novalidate {
                (csrf(token))
                input type="hidden" name="baselines" value=(v.baselines.len());
                (figure_fields(lang, i.measure, &form.figure, errors))
                (input(lang, Input::text("measured_on", lang.pick("Date de la valeur", "Date of the value"), &form.measured_on).kind("date").required(), errors))
                (input(lang, Input::text("source", "Source", &form.source).required(), errors))
                @if !first {
                    (textarea(lang, "reason", lang.pick("Raison du changement", "Reason for the change"), &form.reason, None, true, errors))
                }
                button type="submit" { (lang.pick("Enregistrer la référence", "Save the baseline")) }
            }
        },
    )
}

/// The indicator, for those who manage its coalition; a qualitative indicator has no
/// baseline.
async fn managed(
    state: &AppState,
    user: &crate::web::session::SessionUser,
    slug: &str,
    id: &str,
) -> Result<IndicatorPage, AppError> {
    let p = IndicatorPage::load(state, Some(user), slug, id).await?;
    p.access.require(p.access.manages())?;
    Ok(p)
}

pub async fn form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = managed(&state, &user, &slug, &id).await?;
    if p.view.indicator.measure == Measure::Narrative {
        return Err(AppError::NotFound);
    }
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        baseline_markup(
            &ctx,
            &token,
            &p,
            &BaselineForm::default(),
            &FieldErrors::new(),
            None,
        ),
    ))
}

pub async fn record(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = managed(&state, &user, &slug, &id).await?;
    let typed = BaselineForm {
        figure: figure_form(&form),
        measured_on: form.value("measured_on"),
        source: form.value("source"),
        reason: form.value("reason"),
    };
    // The form carries how many baselines its page showed: a page that showed fewer (or
    // carries none) would put a new current baseline over one recorded meanwhile, unseen.
    let shown: Option<usize> = form.value("baselines").trim().parse().ok();
    let Some(shown) = shown.filter(|n| *n == p.view.baselines.len()) else {
        return stale(&ctx, &session, &p, &typed, shown);
    };
    let parsed = BaselineData::parse(
        &typed,
        p.view.indicator.measure,
        p.view.baselines.is_empty(),
        today(),
    );
    let data = match form.checked(parsed, &["narrative", "reason"]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                baseline_markup(&ctx, &token, &p, &typed, &errors, None),
            ));
        }
    };
    match indicators::record_baseline(
        &state.pool,
        &state.writes,
        &p.view.indicator.id,
        shown,
        &data,
        &user.id,
    )
    .await?
    {
        Written::Done => Ok(redirect(&format!(
            "/coalitions/{slug}/indicators/{id}#reference"
        ))),
        Written::Stale => {
            let p = managed(&state, &user, &slug, &id).await?;
            stale(&ctx, &session, &p, &typed, Some(shown))
        }
    }
}

/// The 409 page of the baseline form: the baselines recorded since the person's page, and
/// what they typed, in the form again. `p` is loaded after the change.
fn stale(
    ctx: &PageContext,
    session: &Session,
    p: &IndicatorPage,
    typed: &BaselineForm,
    shown: Option<usize>,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::CONFLICT,
        baseline_markup(
            ctx,
            &token,
            p,
            typed,
            &FieldErrors::new(),
            Some(shown.unwrap_or(0)),
        ),
    ))
}

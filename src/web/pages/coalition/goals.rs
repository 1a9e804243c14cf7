//! A coalition's impact goals: the forms that add and change a goal. The goals section of
//! the coalition's page is a shared view piece ([`crate::web::ui::goals`]).

use crate::app::error::AppError;
use crate::app::indicators;
use crate::db::Coalition;
use crate::domain::field_errors::FieldErrors;
use crate::domain::indicator::forms::{GoalData, GoalForm};
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::access;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

fn goal_form(form: &CheckedForm) -> GoalForm {
    GoalForm {
        statement: form.value("statement"),
        horizon: form.value("horizon"),
        qualities: form.values("qualities"),
        dimensions: form.values("dimensions"),
    }
}

fn goal_page(
    ctx: &PageContext,
    token: &str,
    coalition: &Coalition,
    goal_id: Option<&str>,
    form: &GoalForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = match goal_id {
        Some(_) => lang.pick("Modifier l'objectif d'impact", "Edit the impact goal"),
        None => lang.pick("Nouvel objectif d'impact", "New impact goal"),
    };
    let action = match goal_id {
        Some(id) => format!("/coalitions/{}/goals/{id}/edit", coalition.slug),
        None => format!("/coalitions/{}/goals", coalition.slug),
    };
    let labels = [
        ("statement", lang.pick("Objectif d'impact", "Impact goal")),
        ("horizon", "Horizon"),
        (
            "qualities",
            lang.pick("Qualités servies", "Qualities served"),
        ),
        ("dimensions", lang.pick("Leviers", "Levers")),
    ];
    let qualities: Vec<(&str, &str)> = Quality::ALL
        .iter()
        .map(|q| (q.code(), q.label(lang)))
        .collect();
    let dimensions: Vec<(&str, &str)> = Dimension::ALL
        .iter()
        .map(|d| (d.code(), d.label(lang)))
        .collect();
    let selected_q: Vec<&str> = form.qualities.iter().map(String::as_str).collect();
    let selected_d: Vec<&str> = form.dimensions.iter().map(String::as_str).collect();
    page(
        ctx,
        title,
        html! {
            p { a href={ "/coalitions/" (coalition.slug) "#objectifs" } { "← " (coalition.name(lang)) } }
            h1 { (title) }
            (error_summary(lang, errors, &labels))
            form method="post" action=(action) novalidate {
                (csrf(token))
                (textarea(lang, "statement", labels[0].1, &form.statement, Some(lang.pick("Ce que la coalition veut changer, en une ou deux phrases.", "What the coalition wants to change, in one or two sentences.")), true, errors))
                (input(lang, Input::text("horizon", labels[1].1, &form.horizon).kind("date").hint(lang.pick("La date à laquelle l'objectif doit être atteint (AAAA-MM-JJ).", "The date by which the goal should be reached (YYYY-MM-DD).")).required(), errors))
                (choices(lang, true, "qualities", labels[2].1, &qualities, &selected_q, errors))
                (choices(lang, true, "dimensions", labels[3].1, &dimensions, &selected_d, errors))
                button type="submit" { (lang.pick("Enregistrer", "Save")) }
            }
        },
    )
}

/// The coalition, for those who manage it (403 for the others).
async fn managed(
    state: &AppState,
    user: &crate::web::session::SessionUser,
    slug: &str,
) -> Result<Coalition, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(user), slug).await?;
    access.require(access.manages())?;
    Ok(coalition)
}

fn rejected(
    ctx: &PageContext,
    session: &Session,
    coalition: &Coalition,
    goal_id: Option<&str>,
    typed: &GoalForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        goal_page(ctx, &token, coalition, goal_id, typed, errors),
    ))
}

pub async fn new_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let coalition = managed(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        goal_page(
            &ctx,
            &token,
            &coalition,
            None,
            &GoalForm::default(),
            &FieldErrors::new(),
        ),
    ))
}

pub async fn create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let coalition = managed(&state, &user, &path).await?;
    let typed = goal_form(&form);
    let data = match form.checked(GoalData::try_from(typed.clone()), &["statement"]) {
        Ok(data) => data,
        Err(errors) => return rejected(&ctx, &session, &coalition, None, &typed, &errors),
    };
    indicators::create_goal(&state.pool, &state.writes, &coalition.id, &data).await?;
    Ok(redirect(&format!(
        "/coalitions/{}#objectifs",
        coalition.slug
    )))
}

pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    let goal = indicators::goal(&state.pool, &coalition.id, &goal_id).await?;
    let form = GoalForm {
        statement: goal.statement,
        horizon: goal.horizon,
        qualities: goal.qualities.iter().map(|q| q.code().to_owned()).collect(),
        dimensions: goal
            .dimensions
            .iter()
            .map(|d| d.code().to_owned())
            .collect(),
    };
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        goal_page(
            &ctx,
            &token,
            &coalition,
            Some(&goal_id),
            &form,
            &FieldErrors::new(),
        ),
    ))
}

pub async fn update(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    indicators::goal(&state.pool, &coalition.id, &goal_id).await?;
    let typed = goal_form(&form);
    let data = match form.checked(GoalData::try_from(typed.clone()), &["statement"]) {
        Ok(data) => data,
        Err(errors) => {
            return rejected(&ctx, &session, &coalition, Some(&goal_id), &typed, &errors);
        }
    };
    indicators::update_goal(&state.pool, &state.writes, &coalition.id, &goal_id, &data).await?;
    Ok(redirect(&format!(
        "/coalitions/{}#objectifs",
        coalition.slug
    )))
}

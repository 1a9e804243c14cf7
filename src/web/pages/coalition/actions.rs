//! A coalition's actions: the board by status (à faire, en cours, fait) and the list, both
//! filtered by lever and owner through a plain GET form, for everyone; and, for the
//! coalition's managers, the forms that add an action, edit it and move it to another status.

use crate::app;
use crate::app::actions::Board;
use crate::app::error::AppError;
use crate::db::{Action, Coalition, Goal, Indicator};
use crate::domain::Dimension;
use crate::domain::coalition::actions::{
    ActionData, ActionFilter, ActionForm, ActionStatus, actions_count, is_overdue,
};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared::back_to;
use crate::web::session::{self, CheckedForm, MaybeUser, User};
use crate::web::today;
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::{scroll_table, typed_text};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

fn board_path(slug: &str) -> String {
    format!("/coalitions/{slug}/actions")
}

/// A long statement cut for a card.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The list's filter, from `?dimension=…&owner=…`.
#[derive(Debug, Deserialize)]
pub struct FilterQuery {
    dimension: Option<String>,
    owner: Option<String>,
}

// --- Handlers --------------------------------------------------------------------------------

pub async fn board(
    ctx: PageContext,
    MaybeUser(user): MaybeUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, user.as_ref(), &path).await?;
    let board = app::actions::board(&state.pool, &coalition.id).await?;
    let filter = ActionFilter::from_query(query.dimension.as_deref(), query.owner.as_deref());
    let token = match access.manages() {
        true => Some(session::csrf_token(&session)?),
        false => None,
    };
    Ok(html_response(
        StatusCode::OK,
        board_page(
            &ctx,
            &coalition,
            access,
            &board,
            &filter,
            token.as_deref(),
            &ActionForm::default(),
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
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    let board = app::actions::board(&state.pool, &coalition.id).await?;
    let typed = ActionForm::from_pairs(form.pairs());
    let data = match form.checked(
        ActionData::try_from((&typed, &board.choices(None))),
        &["description"],
    ) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                board_page(
                    &ctx,
                    &coalition,
                    access,
                    &board,
                    &ActionFilter::default(),
                    Some(&token),
                    &typed,
                    &errors,
                ),
            ));
        }
    };
    let id =
        app::actions::create(&state.pool, &state.writes, &coalition.id, &user.id, &data).await?;
    Ok(redirect(&format!(
        "{}#action-{id}",
        board_path(&coalition.slug)
    )))
}

pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let action = app::actions::action(&state.pool, &coalition.id, &id).await?;
    let board = app::actions::board(&state.pool, &coalition.id).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        edit_page(
            &ctx,
            &coalition,
            &board,
            &action,
            &token,
            &board.form_of(&action),
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
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let action = app::actions::action(&state.pool, &coalition.id, &id).await?;
    let board = app::actions::board(&state.pool, &coalition.id).await?;
    let typed = ActionForm::from_pairs(form.pairs());
    let choices = board.choices(action.owner_organisation_id.as_deref());
    let data = match form.checked(ActionData::try_from((&typed, &choices)), &["description"]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&ctx, &coalition, &board, &action, &token, &typed, &errors),
            ));
        }
    };
    app::actions::edit(&state.pool, &state.writes, &coalition.id, &action.id, &data).await?;
    Ok(redirect(&format!(
        "{}#action-{}",
        board_path(&coalition.slug),
        action.id
    )))
}

pub async fn move_status(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let action = app::actions::action(&state.pool, &coalition.id, &id).await?;
    let Some(status) = form
        .get("status")
        .and_then(|s| ActionStatus::from_code(s.trim()))
    else {
        let mut errors = FieldErrors::new();
        errors.add(
            &move_field(&action.id),
            "Choisissez un statut : à faire, en cours ou fait.",
            "Choose a status: to do, in progress or done.",
        );
        let board = app::actions::board(&state.pool, &coalition.id).await?;
        let token = session::csrf_token(&session)?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            board_page(
                &ctx,
                &coalition,
                access,
                &board,
                &ActionFilter::default(),
                Some(&token),
                &ActionForm::default(),
                &errors,
            ),
        ));
    };
    app::actions::move_to(
        &state.pool,
        &state.writes,
        &coalition.id,
        &action.id,
        status,
    )
    .await?;
    Ok(redirect(&format!(
        "{}#action-{}",
        board_path(&coalition.slug),
        action.id
    )))
}

// --- Pages -----------------------------------------------------------------------------------

/// The name of the field that moves one action, so that its error sits on its card.
fn move_field(action_id: &str) -> String {
    format!("move-{action_id}")
}

fn field_labels(lang: Lang) -> [(&'static str, &'static str); 8] {
    [
        ("title", lang.pick("Titre", "Title")),
        ("description", "Description"),
        ("dimension", lang.pick("Levier", "Lever")),
        (
            "owner",
            lang.pick("Organisation responsable", "Owner organisation"),
        ),
        ("due_on", lang.pick("Échéance", "Due date")),
        ("status", lang.pick("Statut", "Status")),
        ("goals", lang.pick("Objectifs servis", "Goals served")),
        (
            "indicators",
            lang.pick("Indicateurs servis", "Indicators served"),
        ),
    ]
}

#[allow(clippy::too_many_arguments)]
fn board_page(
    ctx: &PageContext,
    coalition: &Coalition,
    access: CoalitionAccess,
    board: &Board,
    filter: &ActionFilter,
    token: Option<&str>,
    form: &ActionForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let name = coalition.name(lang);
    let title = format!("Actions — {name}");
    let shown: Vec<&Action> = board
        .actions
        .iter()
        .filter(|a| filter.matches(a.dimension, a.owner_organisation_id.as_deref()))
        .collect();
    let manager_token = token.filter(|_| access.manages());
    let today = today();
    let dimension_code = filter.dimension.map(|d| d.code()).unwrap_or("");
    let owner_code = filter.owner.as_deref().unwrap_or("");
    let labels = field_labels(lang);
    let body = html! {
        (back_to(lang, coalition))
        h1 { (title) }
        // The errors of a status move: the add form below has its own summary.
        @if errors.fields().any(|(f, _)| f.starts_with("move-")) {
            (error_summary(lang, errors, &[]))
        }
        p { (lang.pick(
            "Ce que la coalition fait, levier par levier : la commande, l'offre et les usages.",
            "What the coalition does, lever by lever: commissioning, supply and uses."
        )) }
        form.filters method="get" action=(board_path(&coalition.slug)) {
            fieldset {
                legend { (lang.pick("Filtrer les actions", "Filter the actions")) }
                div.field {
                    label for="filter-dimension" { (lang.pick("Levier", "Lever")) }
                    select #filter-dimension name="dimension" {
                        option value="" selected[dimension_code.is_empty()] { (lang.pick("Tous les leviers", "All levers")) }
                        @for d in Dimension::ALL {
                            option value=(d.code()) selected[d.code() == dimension_code] { (d.label(lang)) }
                        }
                    }
                }
                div.field {
                    label for="filter-owner" { (lang.pick("Organisation responsable", "Owner organisation")) }
                    select #filter-owner name="owner" {
                        option value="" selected[owner_code.is_empty()] { (lang.pick("Toutes les organisations", "All organisations")) }
                        @for (id, org) in board.owner_options() {
                            option value=(id) selected[id == owner_code] { (org) }
                        }
                    }
                }
                button type="submit" { (lang.pick("Filtrer", "Filter")) }
                @if !filter.is_empty() {
                    " " a href=(board_path(&coalition.slug)) { (lang.pick("Tout afficher", "Show all")) }
                }
            }
        }
        p.match-count {
            @if filter.is_empty() {
                (actions_count(lang, shown.len())) "."
            } @else {
                (match lang {
                    Lang::Fr => format!("{} sur {} correspondent au filtre.", actions_count(lang, shown.len()), board.actions.len()),
                    Lang::En => format!("{} of {} match the filter.", actions_count(lang, shown.len()), board.actions.len()),
                })
            }
        }

        h2 { (lang.pick("Tableau par statut", "Board by status")) }
        div.board {
            @for status in ActionStatus::ALL {
                @let column: Vec<&&Action> = shown.iter().filter(|a| a.status == *status).collect();
                section.board-column aria-labelledby={ "colonne-" (status.code()) } {
                    h3 #{ "colonne-" (status.code()) } { (status.label(lang)) " (" (column.len()) ")" }
                    @if column.is_empty() {
                        p.muted { (lang.pick("Aucune action.", "No action.")) }
                    } @else {
                        ul.cards {
                            @for a in column {
                                (card(lang, coalition, board, a, manager_token, errors, today))
                            }
                        }
                    }
                }
            }
        }

        h2 { (lang.pick("Liste des actions", "List of actions")) }
        @if shown.is_empty() {
            p { (lang.pick("Aucune action ne correspond.", "No action matches.")) }
        } @else {
            (scroll_table("actions-table", html! { table {
                caption.visually-hidden #actions-table { (lang.pick("Liste des actions", "List of actions")) }
                thead { tr {
                    th scope="col" { "Action" }
                    th scope="col" { (lang.pick("Levier", "Lever")) }
                    th scope="col" { (lang.pick("Responsable", "Owner")) }
                    th scope="col" { (lang.pick("Échéance", "Due date")) }
                    th scope="col" { (lang.pick("Statut", "Status")) }
                    th scope="col" { (lang.pick("Objectifs et indicateurs", "Goals and indicators")) }
                } }
                tbody {
                    @for a in &shown {
                        tr {
                            td { (typed_text(lang, Lang::Fr, &a.title)) }
                            td { (a.dimension.label(lang)) }
                            td { (a.owner_name.as_deref().unwrap_or("—")) }
                            td { (a.due_on.as_deref().map(|d| lang.date(d)).unwrap_or_else(|| "—".into())) }
                            td {
                                (a.status.label(lang))
                                @if is_overdue(a.status, a.due_on.as_deref(), today) {
                                    " · " strong.overdue { (lang.pick("en retard", "overdue")) }
                                }
                            }
                            td { (links(lang, coalition, board, &a.id)) }
                        }
                    }
                }
            } }))
        }

        @if let Some(token) = manager_token {
            h2 #ajouter { (lang.pick("Ajouter une action", "Add an action")) }
            @if !errors.fields().any(|(f, _)| f.starts_with("move-")) {
                (error_summary(lang, errors, &labels))
            }
            form method="post" action=(board_path(&coalition.slug)) novalidate {
                (csrf(token))
                (action_fields(lang, board, form, errors, None))
                div.actions { button type="submit" { (lang.pick("Ajouter l'action", "Add the action")) } }
            }
        }
    };
    page(ctx, &title, body)
}

/// The goals and indicators an action serves, in a few words.
fn links(lang: Lang, coalition: &Coalition, board: &Board, action_id: &str) -> Markup {
    let goals: Vec<&Goal> = board.goals_of(action_id).collect();
    let indicators: Vec<&Indicator> = board.indicators_of(action_id).collect();
    html! {
        @if goals.is_empty() && indicators.is_empty() {
            span.muted { (lang.pick("Aucun lien", "Not linked")) }
        } @else {
            ul.plain {
                @for g in goals {
                    li { (lang.pick("Objectif : ", "Goal: ")) (short(&g.statement, 90)) }
                }
                @for i in indicators {
                    li { (lang.pick("Indicateur ", "Indicator ")) a href={ "/coalitions/" (coalition.slug) "/indicators/" (i.id) } { (i.code) } " — " (typed_text(lang, Lang::Fr, &i.name)) }
                }
            }
        }
    }
}

fn card(
    lang: Lang,
    coalition: &Coalition,
    board: &Board,
    a: &Action,
    manager_token: Option<&str>,
    errors: &FieldErrors,
    today: time::Date,
) -> Markup {
    let field = move_field(&a.id);
    let error = errors.message(&field, lang);
    html! {
        li.card.overdue-card[is_overdue(a.status, a.due_on.as_deref(), today)] id={ "action-" (a.id) } {
            h4 { (typed_text(lang, Lang::Fr, &a.title)) }
            @if is_overdue(a.status, a.due_on.as_deref(), today) {
                p { strong.overdue { (lang.pick("En retard", "Overdue")) } (lang.pick(" : l'échéance est passée.", ": the due date has passed.")) }
            }
            dl.meta {
                dt { (lang.pick("Levier", "Lever")) } dd { (a.dimension.label(lang)) }
                dt { (lang.pick("Responsable", "Owner")) } dd { (a.owner_name.as_deref().unwrap_or(lang.pick("Non attribuée", "Not assigned"))) }
                dt { (lang.pick("Échéance", "Due date")) } dd { (a.due_on.as_deref().map(|d| lang.date(d)).unwrap_or_else(|| lang.pick("Sans échéance", "No due date").into())) }
            }
            (links(lang, coalition, board, &a.id))
            @if let Some(token) = manager_token {
                form.inline.move-form method="post" action={ (board_path(&coalition.slug)) "/" (a.id) "/status" } {
                    (csrf(token))
                    div.field.field-error[error.is_some()] {
                        label for=(field) { (lang.pick("Déplacer vers", "Move to")) }
                        @if let Some(error) = error { p.error-message id={ (field) "-error" } { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
                        select id=(field) name="status" aria-invalid=[error.map(|_| "true")] {
                            @for s in ActionStatus::ALL.iter().filter(|s| **s != a.status) {
                                option value=(s.code()) { (s.label(lang)) }
                            }
                        }
                    }
                    button type="submit" { (lang.pick("Déplacer", "Move")) }
                }
                p { a href={ (board_path(&coalition.slug)) "/" (a.id) "/edit" } { (lang.pick("Modifier", "Edit")) span.visually-hidden { (lang.pick(" : ", ": ")) (typed_text(lang, Lang::Fr, &a.title)) } } }
            }
        }
    }
}

/// The fields of the add and edit forms. `former_owner` is an edited action's owner that
/// has left the coalition: it stays offered so that saving does not drop it silently.
fn action_fields(
    lang: Lang,
    board: &Board,
    form: &ActionForm,
    errors: &FieldErrors,
    former_owner: Option<(&str, &str)>,
) -> Markup {
    let labels = field_labels(lang);
    let dimensions: Vec<(&str, &str)> = Dimension::ALL
        .iter()
        .map(|d| (d.code(), d.label(lang)))
        .collect();
    let statuses: Vec<(&str, &str)> = ActionStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label(lang)))
        .collect();
    let former_label = former_owner.map(|(id, name)| {
        (
            id,
            format!(
                "{name} {}",
                lang.pick("(a quitté la coalition)", "(has left the coalition)")
            ),
        )
    });
    let mut owners: Vec<(&str, &str)> = board
        .members
        .iter()
        .map(|m| (m.organisation_id.as_str(), m.organisation_name.as_str()))
        .collect();
    if let Some((id, label)) = &former_label {
        owners.push((id, label.as_str()));
    }
    let goals: Vec<(&str, String)> = board
        .goals
        .iter()
        .map(|g| (g.id.as_str(), short(&g.statement, 120)))
        .collect();
    let goal_options: Vec<(&str, &str)> = goals.iter().map(|(id, s)| (*id, s.as_str())).collect();
    let indicators: Vec<(&str, String)> = board
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), format!("{} — {}", i.code, i.name)))
        .collect();
    let indicator_options: Vec<(&str, &str)> =
        indicators.iter().map(|(id, s)| (*id, s.as_str())).collect();
    let ticked_goals: Vec<&str> = form.goals.iter().map(String::as_str).collect();
    let ticked_indicators: Vec<&str> = form.indicators.iter().map(String::as_str).collect();
    html! {
        (input(lang, Input::text("title", labels[0].1, &form.title)
            .hint(lang.pick("200 caractères au plus.", "200 characters at most.")).required(), errors))
        (textarea(lang, "description", labels[1].1, &form.description,
            Some(lang.pick("2 000 caractères au plus.", "2,000 characters at most.")), false, errors))
        (choices(lang, false, "dimension", labels[2].1, &dimensions, &[form.dimension.as_str()], errors))
        (select(lang, "owner", labels[3].1, &owners, &form.owner, false, errors))
        (input(lang, Input::text("due_on", labels[4].1, &form.due_on).kind("date")
            .hint(lang.pick("Au format AAAA-MM-JJ, par exemple 2026-06-30.", "As YYYY-MM-DD, for example 2026-06-30.")), errors))
        (choices(lang, false, "status", labels[5].1, &statuses, &[form.status.as_str()], errors))
        @if goal_options.is_empty() {
            p.muted { (lang.pick("La coalition n'a pas encore d'objectif d'impact à relier.", "The coalition has no impact goal to link yet.")) }
        } @else {
            (choices(lang, true, "goals", labels[6].1, &goal_options, &ticked_goals, errors))
        }
        @if indicator_options.is_empty() {
            p.muted { (lang.pick("La coalition n'a pas encore d'indicateur à relier.", "The coalition has no indicator to link yet.")) }
        } @else {
            (choices(lang, true, "indicators", labels[7].1, &indicator_options, &ticked_indicators, errors))
        }
    }
}

fn edit_page(
    ctx: &PageContext,
    coalition: &Coalition,
    board: &Board,
    action: &Action,
    token: &str,
    form: &ActionForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = format!(
        "{} — {}",
        lang.pick("Modifier l'action", "Edit the action"),
        action.title
    );
    let former_owner = match (&action.owner_organisation_id, &action.owner_name) {
        (Some(id), Some(name)) if !board.members.iter().any(|m| &m.organisation_id == id) => {
            Some((id.as_str(), name.as_str()))
        }
        _ => None,
    };
    let back = format!("{}#action-{}", board_path(&coalition.slug), action.id);
    let body = html! {
        p { a href=(back) { "← " (lang.pick("Les actions de la coalition", "The coalition's actions")) } }
        h1 { (title) }
        (error_summary(lang, errors, &field_labels(lang)))
        form method="post" action={ (board_path(&coalition.slug)) "/" (action.id) "/edit" } novalidate {
            (csrf(token))
            (action_fields(lang, board, form, errors, former_owner))
            div.actions {
                button type="submit" { (lang.pick("Enregistrer", "Save")) }
                a href=(back) { (lang.pick("Annuler", "Cancel")) }
            }
        }
    };
    page(ctx, &title, body)
}

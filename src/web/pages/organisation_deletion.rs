//! Deleting an organisation, `/organisations/{id}/delete`: a page that says what goes (its
//! diagnostics, responses, links, memberships) and what stays (the lead's account, figures
//! already published), a box to tick, then the deletion (`app::organisation_deletion`).
//! Only the organisation's leads may; the other leads are told by mail.

use crate::app::error::AppError;
use crate::app::organisation_deletion::{self as use_case, DeletionPlan, DeletionRefused};
use crate::db::Organisation;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, SessionUser, User};
use crate::web::ui::forms::{choices, csrf, error_summary};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// The organisation, if this account leads it: programme staff may see an organisation but
/// not delete it.
async fn led(state: &AppState, user: &SessionUser, id: &str) -> Result<Organisation, AppError> {
    let organisation = access::organisation(&state.pool, user, id).await?;
    if crate::db::is_lead(&state.pool, &organisation.id, &user.id).await? {
        Ok(organisation)
    } else {
        Err(AppError::Forbidden)
    }
}

/// GET /organisations/{id}/delete
pub async fn confirm_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let organisation = led(&state, &user, &path).await?;
    let plan = use_case::plan(&state.pool, &organisation).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        render(&ctx, &token, &organisation, &plan, &FieldErrors::new()),
    ))
}

/// POST /organisations/{id}/delete
pub async fn delete(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let organisation = led(&state, &user, &path).await?;
    let mut errors = FieldErrors::new();
    let status = if form.value("confirm") != "yes" {
        errors.add(
            "confirm",
            "Cochez la case pour confirmer la suppression : rien n'a été supprimé.",
            "Tick the box to confirm the deletion: nothing was deleted.",
        );
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match use_case::delete(
            &state.pool,
            &state.writes,
            &state.mailer,
            &organisation,
            (&user.id, &user.name),
        )
        .await?
        {
            Ok(()) => return Ok(redirect("/account?saved=organisation-deleted")),
            Err(DeletionRefused::NotALead) => return Err(AppError::Forbidden),
            Err(DeletionRefused::InCoalitions(names)) => {
                let names = coalition_names(ctx.lang, &names);
                errors.add(
                    "confirm",
                    format!("L'organisation est encore membre de : {names}. Demandez à leurs responsables de mettre fin à sa participation, puis revenez : rien n'a été supprimé."),
                    format!("The organisation is still a member of: {names}. Ask their managers to end its membership, then come back: nothing was deleted."),
                );
                StatusCode::CONFLICT
            }
        }
    };
    let plan = use_case::plan(&state.pool, &organisation).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        status,
        render(&ctx, &token, &organisation, &plan, &errors),
    ))
}

fn coalition_names(lang: Lang, names: &[(String, String)]) -> String {
    names
        .iter()
        .map(|(fr, en)| lang.pick(fr, en))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(
    ctx: &PageContext,
    token: &str,
    organisation: &Organisation,
    plan: &DeletionPlan,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Supprimer l'organisation", "Delete the organisation");
    // The same word in both languages.
    let legend = "Confirmation";
    let h = &plan.holdings;
    let others = (h.leads - 1).max(0);
    page(
        ctx,
        title,
        html! {
            h1 { (title) " « " (organisation.name) " »" }
            (error_summary(lang, errors, &[("confirm", legend)]))
            h2 { (lang.pick("Ce qui est supprimé", "What is deleted")) }
            ul {
                li { (lang.pick(
                    &format!("ses autodiagnostics ({}), avec leurs réponses ({}) et leurs scores ;", h.diagnostics, h.responses),
                    &format!("its self-diagnostics ({}), with their responses ({}) and their scores;", h.diagnostics, h.responses),
                )) }
                li { (lang.pick(
                    &format!("leurs liens de réponse ({}) et les adresses auxquelles des liens ont été envoyés : ces liens ne fonctionnent plus ;", h.invitations),
                    &format!("their answer links ({}) and the addresses links were mailed to: these links stop working;", h.invitations),
                )) }
                li { (lang.pick(
                    &format!("les responsables de l'organisation ({}) n'en sont plus, et les invitations à la gérer ou à rejoindre une coalition sont effacées ;", h.leads),
                    &format!("the organisation's managers ({}) no longer manage it, and the invitations to manage it or to join a coalition are erased;", h.leads),
                )) }
                li { (lang.pick(
                    "l'organisation elle-même, avec ses participations passées à des coalitions.",
                    "the organisation itself, with its past memberships of coalitions.",
                )) }
            }
            h2 { (lang.pick("Ce qui reste", "What stays")) }
            ul {
                li { (lang.pick(
                    "votre compte, et ceux des autres responsables ;",
                    "your account, and those of the other managers;",
                )) }
                li { (lang.pick(
                    "les chiffres déjà publiés dans les rapports annuels et les données ouvertes : ce sont des agrégats, qui ne désignent aucune organisation ;",
                    "the figures already published in yearly reports and open data: they are aggregates, which single out no organisation;",
                )) }
                li { (lang.pick(
                    "dans les coalitions, les indicateurs et les actions dont elle était responsable, désormais sans organisation responsable.",
                    "in coalitions, the indicators and actions it was responsible for, now with no organisation responsible.",
                )) }
            }
            @if others > 0 {
                p { (lang.pick(
                    &format!("Les {others} autre(s) responsable(s) en seront averti·e·s par e-mail."),
                    &format!("The {others} other manager(s) will be told by email."),
                )) }
            }
            @if !plan.coalitions.is_empty() {
                p.notice { (lang.pick(
                    &format!("L'organisation est encore membre de : {}. Elle ne peut être supprimée qu'une fois que leurs responsables ont mis fin à sa participation.", coalition_names(lang, &plan.coalitions)),
                    &format!("The organisation is still a member of: {}. It can be deleted only once their managers have ended its membership.", coalition_names(lang, &plan.coalitions)),
                )) }
            }
            p { strong { (lang.pick("La suppression est définitive.", "Deletion is final.")) } }
            form method="post" action={ "/organisations/" (organisation.id) "/delete" } novalidate {
                (csrf(token))
                (choices(lang, true, "confirm", legend, &[("yes", lang.pick(
                    "Je comprends que l'organisation, ses autodiagnostics et leurs réponses seront supprimés définitivement.",
                    "I understand that the organisation, its self-diagnostics and their responses will be deleted for good.",
                ))], &[], errors))
                button type="submit" { (lang.pick("Supprimer définitivement l'organisation", "Delete the organisation for good")) }
            }
            p { a href={ "/organisations/" (organisation.id) } { (lang.pick("Revenir à l'organisation sans rien supprimer", "Back to the organisation, deleting nothing")) } }
        },
    )
}

//! The mail queue, for staff only (`/programme/mail`): how many mails went out, and every
//! mail still waiting or given up, with the last error and a button to try it again now.
//! Bodies are never shown: they may hold a one-time link.

use crate::app::error::AppError;
use crate::app::worker;
use crate::db;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::scroll_table;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

/// GET /programme/mail
pub async fn show(
    ctx: PageContext,
    session: Session,
    User(user): User,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let overview = worker::queue_overview(&state.pool).await?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Envoi des e-mails", "Outgoing mail");
    let status_label = |status: &str| match status {
        db::MAIL_WAITING => lang.pick("en attente", "waiting"),
        db::MAIL_FAILED => lang.pick("abandonné", "given up"),
        _ => lang.pick("envoyé", "sent"),
    };
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Chaque e-mail est enregistré avec l'action qui le cause, puis envoyé par le service ; un envoi qui échoue est retenté (après 1 min, 5 min, 30 min, 2 h, 6 h puis 24 h), puis abandonné. « Réessayer » le renvoie aussitôt.",
                "Each mail is recorded with the action that causes it, then sent by the service; a failed sending is tried again (after 1 min, 5 min, 30 min, 2 h, 6 h then 24 h), then given up. “Try again” sends it at once.",
            )) }
            dl {
                dt { (lang.pick("Envoyés", "Sent")) } dd { (overview.sent) }
                dt { (lang.pick("En attente", "Waiting")) } dd { (overview.waiting) }
                dt { (lang.pick("Abandonnés", "Given up")) } dd { (overview.failed) }
            }
            h2 #unsent { (lang.pick("Non envoyés", "Not sent")) }
            @if overview.unsent.is_empty() {
                p { (lang.pick("Aucun : tout est parti.", "None: everything went out.")) }
            } @else {
                (scroll_table("unsent", html! {
                    table {
                        thead { tr {
                            th scope="col" { (lang.pick("Créé", "Created")) }
                            th scope="col" { (lang.pick("Destinataire", "Recipient")) }
                            th scope="col" { (lang.pick("Objet", "Subject")) }
                            th scope="col" { (lang.pick("État", "Status")) }
                            th scope="col" { (lang.pick("Tentatives", "Attempts")) }
                            th scope="col" { (lang.pick("Prochaine tentative", "Next attempt")) }
                            th scope="col" { (lang.pick("Dernière erreur", "Last error")) }
                            th scope="col" { span class="visually-hidden" { ("Action") } }
                        } }
                        tbody {
                            @for mail in &overview.unsent {
                                tr {
                                    td { (lang.date_time(&mail.created_at)) }
                                    td { (mail.recipient) }
                                    td lang=(mail.language) { (mail.subject) }
                                    td { (status_label(&mail.status)) }
                                    td { (mail.attempts) }
                                    td { @if mail.status == db::MAIL_WAITING { (lang.date_time(&mail.next_attempt_at)) } @else { "—" } }
                                    td { (mail.last_error.as_deref().unwrap_or("—")) }
                                    td {
                                        form method="post" action=(format!("/programme/mail/{}/retry", mail.id)) {
                                            (csrf(&token))
                                            button type="submit" { (lang.pick("Réessayer", "Try again")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }))
            }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// POST /programme/mail/{id}/retry
pub async fn retry(
    User(user): User,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    worker::retry_mail_now(&state.pool, &state.mailer, &id).await?;
    Ok(redirect("/programme/mail"))
}

//! Invitations by e-mail, for a diagnostic's lead: the addresses to invite (one a line), who
//! was mailed and how far each person is (participation only, never answers), a reminder per
//! person (at most one a day), and the closing date with its automatic reminder. Linked from
//! the diagnostic's page; the use cases are `app::invitations`.

use crate::app::error::AppError;
use crate::app::invitations::{self, MailedInvitations, ReminderOutcome};
use crate::db::{Diagnostic, Organisation};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::invitations::{
    AddressBatchForm, ClosingForm, MAX_ADDRESSES_PER_BATCH, MAX_REMINDER_DAYS_BEFORE, Participation,
};
use crate::domain::questionnaire::Questionnaire;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::scroll_table;
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

/// What the page says after a form succeeded, from the address it was sent back to.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    sent: Option<usize>,
    reminded: Option<String>,
    closing: Option<String>,
}

/// A notice at the top of the page: a success, or a refusal (shown as an alert).
struct Notice {
    refused: bool,
    text: String,
}

struct Page<'a> {
    ctx: &'a PageContext,
    token: &'a str,
    diagnostic: &'a Diagnostic,
    organisation: &'a Organisation,
    questionnaire: &'a Questionnaire,
    data: &'a MailedInvitations,
    notice: Option<Notice>,
    batch: &'a AddressBatchForm,
    batch_errors: &'a FieldErrors,
    closing: &'a ClosingForm,
    closing_errors: &'a FieldErrors,
}

struct Loaded {
    diagnostic: Diagnostic,
    organisation: Organisation,
    questionnaire: std::sync::Arc<Questionnaire>,
    data: MailedInvitations,
}

async fn load(state: &AppState, user: &session::SessionUser, id: &str) -> Result<Loaded, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, user, id).await?;
    let questionnaire = state
        .registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)?;
    let data = invitations::mailed_invitations(&state.pool, &diagnostic).await?;
    Ok(Loaded {
        diagnostic,
        organisation,
        questionnaire,
        data,
    })
}

fn closing_form(data: &MailedInvitations) -> ClosingForm {
    ClosingForm {
        closes_on: data.closing.closes_on.clone().unwrap_or_default(),
        reminder_days_before: data
            .closing
            .reminder_days_before
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

fn respond(status: StatusCode, p: &Page) -> HttpResponse {
    html_response(status, render(p))
}

/// GET /diagnostics/{id}/mail-invitations
pub async fn show(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let l = load(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let notice = if let Some(n) = done.sent {
        Some(Notice {
            refused: false,
            text: format!(
                "{n} {}",
                lang.pick(
                    "invitation(s) envoyée(s) : chaque personne reçoit son lien personnel par e-mail.",
                    "invitation(s) sent: each person receives their personal link by email."
                )
            ),
        })
    } else if let Some(id) = &done.reminded {
        l.data
            .mailed
            .iter()
            .find(|m| &m.invitation_id == id)
            .map(|m| Notice {
                refused: false,
                text: format!(
                    "{} {}.",
                    lang.pick("Rappel envoyé à", "Reminder sent to"),
                    m.email
                ),
            })
    } else {
        done.closing.as_ref().map(|_| Notice {
            refused: false,
            text: lang
                .pick("Date de clôture enregistrée.", "Closing date saved.")
                .to_owned(),
        })
    };
    let closing = closing_form(&l.data);
    Ok(respond(
        StatusCode::OK,
        &Page {
            ctx: &ctx,
            token: &token,
            diagnostic: &l.diagnostic,
            organisation: &l.organisation,
            questionnaire: &l.questionnaire,
            data: &l.data,
            notice,
            batch: &AddressBatchForm::default(),
            batch_errors: &FieldErrors::new(),
            closing: &closing,
            closing_errors: &FieldErrors::new(),
        },
    ))
}

/// POST /diagnostics/{id}/mail-invitations: a personal link mailed to each address.
pub async fn invite(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let l = load(&state, &user, &path).await?;
    let typed = AddressBatchForm {
        addresses: form.value("addresses"),
        role: form.value("role"),
        language: form.value("language"),
    };
    let outcome = invitations::invite_by_mail(
        &state.pool,
        &state.writes,
        &state.mailer,
        &l.diagnostic,
        &l.organisation,
        &l.questionnaire,
        &user.name,
        &typed,
    )
    .await?;
    let errors = match form.checked(outcome, &["addresses"]) {
        Ok(sent) => {
            return Ok(redirect(&format!(
                "/diagnostics/{}/mail-invitations?sent={sent}",
                l.diagnostic.id
            )));
        }
        Err(errors) => errors,
    };
    let token = session::csrf_token(&session)?;
    let closing = closing_form(&l.data);
    Ok(respond(
        StatusCode::UNPROCESSABLE_ENTITY,
        &Page {
            ctx: &ctx,
            token: &token,
            diagnostic: &l.diagnostic,
            organisation: &l.organisation,
            questionnaire: &l.questionnaire,
            data: &l.data,
            notice: None,
            batch: &typed,
            batch_errors: &errors,
            closing: &closing,
            closing_errors: &FieldErrors::new(),
        },
    ))
}

/// POST /diagnostics/{id}/mail-invitations/{invitation}/remind
pub async fn remind(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, invitation_id) = path.into_inner();
    let l = load(&state, &user, &diagnostic_id).await?;
    let outcome = invitations::remind(
        &state.pool,
        &state.writes,
        &state.mailer,
        &l.diagnostic,
        &l.organisation,
        &invitation_id,
    )
    .await?;
    let lang = ctx.lang;
    let (status, text) = match outcome {
        ReminderOutcome::Sent { .. } => {
            return Ok(redirect(&format!(
                "/diagnostics/{}/mail-invitations?reminded={invitation_id}",
                l.diagnostic.id
            )));
        }
        ReminderOutcome::TooSoon { email, last } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} {email} {} {} {}",
                lang.pick("Rappel refusé :", "Reminder refused:"),
                lang.pick("a déjà reçu un rappel le", "already received a reminder on"),
                last.replace('T', " ").trim_end_matches('Z'),
                lang.pick(
                    "(UTC). Une personne reçoit au plus un rappel par jour : réessayez 24 heures après.",
                    "(UTC). A person receives at most one reminder a day: try again 24 hours later."
                )
            ),
        ),
        ReminderOutcome::NothingToRemind { email } => (
            StatusCode::CONFLICT,
            format!(
                "{} {email} {}",
                lang.pick("Pas de rappel pour", "No reminder for"),
                lang.pick(
                    ": sa réponse est envoyée, son lien est révoqué ou l'autodiagnostic est clos.",
                    ": their response is submitted, their link revoked, or the self-diagnostic closed."
                )
            ),
        ),
    };
    let token = session::csrf_token(&session)?;
    let closing = closing_form(&l.data);
    Ok(respond(
        status,
        &Page {
            ctx: &ctx,
            token: &token,
            diagnostic: &l.diagnostic,
            organisation: &l.organisation,
            questionnaire: &l.questionnaire,
            data: &l.data,
            notice: Some(Notice {
                refused: true,
                text,
            }),
            batch: &AddressBatchForm::default(),
            batch_errors: &FieldErrors::new(),
            closing: &closing,
            closing_errors: &FieldErrors::new(),
        },
    ))
}

/// POST /diagnostics/{id}/closing: the closing date and the automatic reminder.
pub async fn set_closing(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let l = load(&state, &user, &path).await?;
    let typed = ClosingForm {
        closes_on: form.value("closes_on"),
        reminder_days_before: form.value("reminder_days_before"),
    };
    let outcome = invitations::set_closing(&state.pool, &l.diagnostic, &typed).await?;
    let errors = match form.checked(outcome, &[]) {
        Ok(()) => {
            return Ok(redirect(&format!(
                "/diagnostics/{}/mail-invitations?closing=saved#closing",
                l.diagnostic.id
            )));
        }
        Err(errors) => errors,
    };
    let token = session::csrf_token(&session)?;
    Ok(respond(
        StatusCode::UNPROCESSABLE_ENTITY,
        &Page {
            ctx: &ctx,
            token: &token,
            diagnostic: &l.diagnostic,
            organisation: &l.organisation,
            questionnaire: &l.questionnaire,
            data: &l.data,
            notice: None,
            batch: &AddressBatchForm::default(),
            batch_errors: &FieldErrors::new(),
            closing: &typed,
            closing_errors: &errors,
        },
    ))
}

fn render(p: &Page) -> Markup {
    let lang = p.ctx.lang;
    let q = p.questionnaire;
    let d = p.diagnostic;
    let title = format!(
        "{} — {}",
        lang.pick("Inviter par e-mail", "Invite by email"),
        crate::domain::diagnostics::title(&d.title, lang)
    );
    let roles: Vec<(&str, &str)> = q
        .roles
        .iter()
        .map(|r| (r.id.as_str(), r.label.get(lang)))
        .collect();
    let batch_labels = [
        ("addresses", lang.pick("Adresses e-mail", "Email addresses")),
        ("role", lang.pick("Rôle", "Role")),
        (
            "language",
            lang.pick("Langue du message", "Language of the message"),
        ),
    ];
    let closing_labels = [
        ("closes_on", lang.pick("Date de clôture", "Closing date")),
        (
            "reminder_days_before",
            lang.pick(
                "Rappel automatique, en jours avant la clôture",
                "Automatic reminder, in days before closing",
            ),
        ),
    ];
    let languages = [("fr", "Français"), ("en", "English")];
    let chosen_language = if p.batch.language.is_empty() {
        "fr"
    } else {
        p.batch.language.as_str()
    };
    let body = html! {
        p { a href={ "/diagnostics/" (d.id) } { "← " (crate::domain::diagnostics::title(&d.title, lang)) " — " (p.organisation.name) } }
        h1 { (title) }
        @if let Some(notice) = &p.notice {
            @if notice.refused {
                p.error-summary role="alert" { (notice.text) }
            } @else {
                p.notice role="status" { (notice.text) }
            }
        }
        p { (lang.pick(
            "Chaque personne reçoit par e-mail son propre lien personnel. Vous voyez ici seulement si elle a commencé ou envoyé sa réponse, jamais ses réponses.",
            "Each person receives their own personal link by email. Here you see only whether they have started or submitted their response, never their answers."
        )) }

        h2 #mailed { (lang.pick("Personnes invitées par e-mail", "People invited by email")) }
        @if p.data.mailed.is_empty() {
            p { (lang.pick("Personne pour l'instant.", "Nobody yet.")) }
        } @else {
            (scroll_table("mailed", html! { table {
                thead { tr {
                    th scope="col" { (lang.pick("Adresse", "Address")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Invitée le", "Invited on")) }
                    th scope="col" { "Participation" }
                    th scope="col" { (lang.pick("Dernier rappel", "Last reminder")) }
                    th scope="col" { span.visually-hidden { "Action" } }
                } }
                tbody {
                    @for m in &p.data.mailed {
                        @let participation = Participation::of(m.started, m.submitted);
                        tr id={ "mailed-" (m.invitation_id) } {
                            td { (m.email) }
                            td { (q.role(&m.respondent_role).map(|r| r.label.get(lang)).unwrap_or(&m.respondent_role)) }
                            td { (lang.date(&m.sent_at)) }
                            td { @if m.revoked_at.is_some() { (lang.pick("Lien révoqué", "Link revoked")) } @else { (participation.label(lang)) } }
                            td { (m.last_reminded_at.as_deref().map_or_else(|| "—".to_owned(), |t| lang.date(t))) }
                            td {
                                @if m.revoked_at.is_none() && participation != Participation::Submitted {
                                    form.inline method="post" action={ "/diagnostics/" (d.id) "/mail-invitations/" (m.invitation_id) "/remind" } {
                                        (csrf(p.token))
                                        button.secondary type="submit" { (lang.pick("Envoyer un rappel", "Send a reminder")) span.visually-hidden { " " (m.email) } }
                                    }
                                }
                            }
                        }
                    }
                }
            } }))
        }

        h2 #invite { (lang.pick("Inviter des personnes", "Invite people")) }
        (error_summary(lang, p.batch_errors, &batch_labels))
        form method="post" action={ "/diagnostics/" (d.id) "/mail-invitations" } novalidate {
            (csrf(p.token))
            (textarea(lang, "addresses", batch_labels[0].1, &p.batch.addresses, Some(&format!("{} {MAX_ADDRESSES_PER_BATCH} {}",
                lang.pick("Une adresse par ligne, au plus", "One address a line, at most"),
                lang.pick("à la fois.", "at once."))), true, p.batch_errors))
            (select(lang, "role", batch_labels[1].1, &roles, &p.batch.role, true, p.batch_errors))
            (choices(lang, false, "language", batch_labels[2].1, &languages, &[chosen_language], p.batch_errors))
            button type="submit" { (lang.pick("Envoyer les invitations", "Send the invitations")) }
        }

        h2 #closing { (lang.pick("Clôture et rappel automatique", "Closing and automatic reminder")) }
        p { (lang.pick(
            "Après la date de clôture, les réponses ne sont plus acceptées. Le rappel automatique part une fois, le nombre de jours choisi avant la clôture, vers les personnes invitées par e-mail qui n'ont pas envoyé leur réponse.",
            "After the closing date, responses are no longer accepted. The automatic reminder goes once, the chosen number of days before closing, to the people invited by email who have not submitted their response."
        )) }
        @if let Some(sent) = &p.data.closing.auto_reminder_sent_at {
            p { (lang.pick("Rappel automatique envoyé le", "Automatic reminder sent on")) " " (lang.date(sent)) "." }
        }
        (error_summary(lang, p.closing_errors, &closing_labels))
        form method="post" action={ "/diagnostics/" (d.id) "/closing" } novalidate {
            (csrf(p.token))
            (input(lang, Input::text("closes_on", closing_labels[0].1, &p.closing.closes_on).kind("date")
                .hint(lang.pick("AAAA-MM-JJ ; le jour même compte encore. Laissez vide pour aucune date.", "YYYY-MM-DD; the day itself still counts. Leave empty for no date.")), p.closing_errors))
            (input(lang, Input::text("reminder_days_before", closing_labels[1].1, &p.closing.reminder_days_before).kind("number")
                .hint(&hint_days(lang)), p.closing_errors))
            button type="submit" { (lang.pick("Enregistrer", "Save")) }
        }
    };
    page(p.ctx, &title, body)
}

fn hint_days(lang: Lang) -> String {
    format!(
        "{} {MAX_REMINDER_DAYS_BEFORE}{}",
        lang.pick("De 1 à", "From 1 to"),
        lang.pick(
            " ; laissez vide pour aucun rappel automatique.",
            "; leave empty for no automatic reminder."
        )
    )
}

//! A diagnostic, as its organisation's lead opens and manages it: the links handed out to
//! respondents (personal, or shared by several people of one role) in fields one can focus
//! and copy from, their progress, revocation (confirmed on a page of its own) and
//! reinstatement; its closing date, closing and reopening; its submitted responses, one of
//! which may be set aside with a reason and restored; its history; and deleting it while
//! nobody submitted. A diagnostic answered alone (« je réponds seul·e ») has one personal
//! link, the lead's own. The rules and the writes are [`crate::app::diagnostics`]'.
//!
//! Staff read every diagnostic's page; the changes of its life (closing, setting aside,
//! deleting) are its organisation's leads' ([`access::diagnostic_of_lead`]).

use crate::app::diagnostics::{self, Change, Lifecycle, LinkRequest, Links};
use crate::app::error::AppError;
use crate::app::invitations as closing_dates;
use crate::db::{Diagnostic, DiagnosticClosing, Organisation, SubmittedResponse};
use crate::domain::diagnostics::title as diagnostic_title;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::invitations::ClosingForm;
use crate::domain::questionnaire::Questionnaire;
use crate::domain::results::Answering;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

type Form = CheckedForm;

/// The site's address as the browser reached it, to write whole links.
pub fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// What the page says after a change succeeded, from the address it was sent back to.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// Everything the diagnostic's page shows.
struct Loaded {
    diagnostic: Diagnostic,
    organisation: Organisation,
    questionnaire: std::sync::Arc<Questionnaire>,
    links: Links,
    lifecycle: Lifecycle,
    closing: DiagnosticClosing,
}

async fn load(state: &AppState, user: &session::SessionUser, id: &str) -> Result<Loaded, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, user, id).await?;
    loaded(state, diagnostic, organisation).await
}

async fn loaded(
    state: &AppState,
    diagnostic: Diagnostic,
    organisation: Organisation,
) -> Result<Loaded, AppError> {
    let questionnaire = state
        .registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)?;
    let links = diagnostics::links(&state.pool, &diagnostic.id).await?;
    let lifecycle = diagnostics::lifecycle(&state.pool, &diagnostic).await?;
    let closing = diagnostics::closing(&state.pool, &diagnostic).await?;
    Ok(Loaded {
        diagnostic,
        organisation,
        questionnaire,
        links,
        lifecycle,
        closing,
    })
}

/// What a form sent back shows: the link request or the closing date as typed, with errors.
struct Typed<'a> {
    link: &'a LinkRequest,
    link_errors: &'a FieldErrors,
    closing: Option<&'a ClosingForm>,
    closing_errors: &'a FieldErrors,
}

struct Page<'a> {
    ctx: &'a PageContext,
    token: &'a str,
    base: &'a str,
    l: &'a Loaded,
    typed: Typed<'a>,
    notice: Option<String>,
}

fn done_notice(lang: Lang, done: Option<&str>) -> Option<String> {
    let text = match done? {
        "closed" => lang.pick(
            "Autodiagnostic clos : il n'accepte plus de réponses.",
            "Self-diagnostic closed: it takes no more responses.",
        ),
        "reopened" => lang.pick(
            "Autodiagnostic rouvert : ses liens acceptent de nouveau des réponses.",
            "Self-diagnostic reopened: its links take responses again.",
        ),
        "closing" => lang.pick("Date de clôture enregistrée.", "Closing date saved."),
        "revoked" => lang.pick(
            "Lien révoqué. Vous pouvez le rétablir depuis la liste des liens.",
            "Link revoked. You can reinstate it from the list of links.",
        ),
        "reinstated" => lang.pick(
            "Lien rétabli : il fonctionne de nouveau.",
            "Link reinstated: it works again.",
        ),
        "set_aside" => lang.pick(
            "Réponse écartée : les résultats sont recalculés sans elle.",
            "Response set aside: the results are computed again without it.",
        ),
        "restored" => lang.pick(
            "Réponse réintégrée : les résultats la comptent de nouveau.",
            "Response restored: the results count it again.",
        ),
        _ => return None,
    };
    Some(text.to_owned())
}

fn closing_form(closing: &DiagnosticClosing) -> ClosingForm {
    ClosingForm {
        closes_on: closing.closes_on.clone().unwrap_or_default(),
        reminder_days_before: closing
            .reminder_days_before
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

pub async fn show(
    ctx: PageContext,
    req: HttpRequest,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let l = load(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    let base = base_url(&req);
    let notice = done_notice(ctx.lang, done.done.as_deref());
    Ok(html_response(
        StatusCode::OK,
        render(&Page {
            ctx: &ctx,
            token: &token,
            base: &base,
            l: &l,
            typed: Typed {
                link: &LinkRequest::default(),
                link_errors: &FieldErrors::new(),
                closing: None,
                closing_errors: &FieldErrors::new(),
            },
            notice,
        }),
    ))
}

pub async fn invite(
    ctx: PageContext,
    req: HttpRequest,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let l = load(&state, &user, &path).await?;
    let request = LinkRequest {
        role: form.get("role").cloned().unwrap_or_default(),
        label: form.get("label").cloned().unwrap_or_default(),
        shared: form.get("shared").is_some_and(|v| v == "1"),
    };
    let mut errors = FieldErrors::new();
    form.refuse_bad_text(&mut errors, &[]);
    let created = diagnostics::create_link(
        &state.pool,
        &l.diagnostic,
        &l.questionnaire,
        &l.links,
        &request,
        errors,
    )
    .await?;
    match created {
        Ok(id) => Ok(redirect(&format!(
            "/diagnostics/{}#invitation-{id}",
            l.diagnostic.id
        ))),
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            let base = base_url(&req);
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&Page {
                    ctx: &ctx,
                    token: &token,
                    base: &base,
                    l: &l,
                    typed: Typed {
                        link: &request,
                        link_errors: &errors,
                        closing: None,
                        closing_errors: &FieldErrors::new(),
                    },
                    notice: None,
                }),
            ))
        }
    }
}

/// POST /organisations/{id}/diagnostics: opens a diagnostic for the organisation.
pub async fn open(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let answering = Answering::chosen(&form.value("answering"));
    let id = diagnostics::open(
        &state.pool,
        &state.writes,
        &state.registry,
        &organisation,
        &form.value("questionnaire"),
        answering,
    )
    .await?;
    Ok(redirect(&format!("/diagnostics/{id}")))
}

/// POST /diagnostics/{id}/closing-date: the closing date, set from the diagnostic's page (the
/// automatic reminder, set with the invitations by mail, is kept as it was).
pub async fn set_closing_date(
    ctx: PageContext,
    req: HttpRequest,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic_of_lead(&state.pool, &user, &path).await?;
    let l = loaded(&state, diagnostic, organisation).await?;
    let typed = ClosingForm {
        closes_on: form.value("closes_on"),
        reminder_days_before: closing_form(&l.closing).reminder_days_before,
    };
    let outcome = closing_dates::set_closing(&state.pool, &l.diagnostic, &typed).await?;
    let errors = match form.checked(outcome, &[]) {
        Ok(()) => {
            return Ok(redirect(&format!(
                "/diagnostics/{}?done=closing#closing",
                l.diagnostic.id
            )));
        }
        Err(errors) => errors,
    };
    let token = session::csrf_token(&session)?;
    let base = base_url(&req);
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&Page {
            ctx: &ctx,
            token: &token,
            base: &base,
            l: &l,
            typed: Typed {
                link: &LinkRequest::default(),
                link_errors: &FieldErrors::new(),
                closing: Some(&typed),
                closing_errors: &errors,
            },
            notice: None,
        }),
    ))
}

/// Where the diagnostic's page is, after a change: with what it says, at the section changed.
fn back(diagnostic: &Diagnostic, done: &str, section: &str) -> HttpResponse {
    redirect(&format!(
        "/diagnostics/{}?done={done}#{section}",
        diagnostic.id
    ))
}

/// The refusal (409) to restore a response whose set-aside is in effect, and why.
fn set_aside_is_final(ctx: &PageContext, diagnostic: &Diagnostic) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick(
        "Cette réponse reste écartée",
        "This response stays set aside",
    );
    let body = html! {
        h1 { (title) }
        p role="alert" { (lang.pick(
            "Elle a été écartée avec deux autres : les réponses sont écartées par groupes de 3, et définitivement une fois le groupe complet. Sinon, en écartant puis en réintégrant des réponses une à une, on pourrait déduire des résultats les réponses d'une personne.",
            "It was set aside with two others: responses are set aside in groups of 3, for good once the group is complete. Otherwise, by setting responses aside and restoring them one by one, anyone could work out one person's answers from the results."
        )) }
        p { a href={ "/diagnostics/" (diagnostic.id) "#responses" } { (lang.pick("Revenir aux réponses", "Back to the responses")) } }
    };
    html_response(StatusCode::CONFLICT, page(ctx, title, body))
}

/// 409: the page the person acted from was stale; says what changed meanwhile (the latest
/// line of the history, with who and when) and keeps what they typed.
async fn stale(
    ctx: &PageContext,
    state: &AppState,
    diagnostic: &Diagnostic,
    organisation: &Organisation,
    kept: Option<(&str, &str)>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let reloaded = crate::db::diagnostic(&state.pool, &diagnostic.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let l = loaded(state, reloaded, organisation.clone()).await?;
    let title = lang.pick("Ce changement n'a pas été fait", "This change was not made");
    let body = html! {
        h1 { (title) }
        p role="alert" { (lang.pick(
            "La page d'où vous l'avez demandé n'était plus à jour : quelqu'un d'autre a changé l'autodiagnostic entre-temps.",
            "The page you asked from was out of date: someone else changed the self-diagnostic meanwhile."
        )) }
        @if let Some(latest) = l.lifecycle.history.first() {
            p { (lang.pick("Dernier changement :", "Latest change:")) " " (event_text(lang, &l, latest)) }
        }
        @if let Some((label, text)) = kept {
            p { (label) } blockquote { p { (text) } }
        }
        p { a href={ "/diagnostics/" (diagnostic.id) } { (lang.pick("Revenir à l'autodiagnostic, à jour", "Back to the self-diagnostic, up to date")) } }
    };
    Ok(html_response(StatusCode::CONFLICT, page(ctx, title, body)))
}

/// GET /diagnostics/{id}/invitations/{invitation}/revoke: what revoking does, to confirm.
pub async fn confirm_revoke(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, invitation_id) = path.into_inner();
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &diagnostic_id).await?;
    let links = diagnostics::links(&state.pool, &diagnostic.id).await?;
    let invitation = links
        .invitations
        .iter()
        .find(|i| i.id == invitation_id)
        .ok_or(AppError::NotFound)?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Révoquer ce lien ?", "Revoke this link?");
    let name = if invitation.label.is_empty() {
        lang.pick("sans repère", "without a note").to_owned()
    } else {
        invitation.label.clone()
    };
    let body = html! {
        p { a href={ "/diagnostics/" (diagnostic.id) "#invitations" } { "← " (diagnostic_title(&diagnostic.title, lang)) " — " (organisation.name) } }
        h1 { (title) }
        p { (lang.pick("Lien", "Link")) " : " strong { (name) } }
        @if invitation.revoked_at.is_some() {
            p { (lang.pick("Ce lien est déjà révoqué.", "This link is revoked already.")) }
        } @else {
            ul {
                li { (lang.pick(
                    "La personne qui a ce lien ne pourra plus commencer ni reprendre sa réponse ; une réponse déjà envoyée reste comptée.",
                    "The person who has this link can no longer start or resume their response; a response already submitted still counts."
                )) }
                @if invitation.shared == 1 {
                    li { (lang.pick(
                        "C'est un lien partagé : les liens personnels que chacun·e a reçus en l'ouvrant sont révoqués avec lui.",
                        "This is a shared link: the personal links each person got on opening it are revoked with it."
                    )) }
                }
                li { (lang.pick(
                    "Vous pourrez le rétablir ensuite depuis la liste des liens : il fonctionnera de nouveau.",
                    "You can reinstate it afterwards from the list of links: it will work again."
                )) }
            }
            form method="post" action={ "/diagnostics/" (diagnostic.id) "/invitations/" (invitation.id) "/revoke" } {
                (csrf(&token))
                div.actions {
                    button type="submit" { (lang.pick("Révoquer le lien", "Revoke the link")) }
                    a href={ "/diagnostics/" (diagnostic.id) "#invitation-" (invitation.id) } { (lang.pick("Annuler", "Cancel")) }
                }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

/// POST /diagnostics/{id}/invitations/{invitation}/revoke (from the confirmation page).
pub async fn revoke(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, invitation_id) = path.into_inner();
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &diagnostic_id).await?;
    match diagnostics::revoke_link(
        &state.pool,
        &state.writes,
        &diagnostic.id,
        &invitation_id,
        &user.id,
    )
    .await?
    {
        Change::Written => Ok(back(&diagnostic, "revoked", "invitations")),
        Change::Stale | Change::Final => {
            stale(&ctx, &state, &diagnostic, &organisation, None).await
        }
    }
}

/// POST /diagnostics/{id}/invitations/{invitation}/reinstate
pub async fn reinstate(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, invitation_id) = path.into_inner();
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &diagnostic_id).await?;
    match diagnostics::reinstate_link(
        &state.pool,
        &state.writes,
        &diagnostic,
        &invitation_id,
        &user.id,
    )
    .await?
    {
        Change::Written => Ok(back(&diagnostic, "reinstated", "invitations")),
        Change::Stale | Change::Final => {
            stale(&ctx, &state, &diagnostic, &organisation, None).await
        }
    }
}

/// POST /diagnostics/{id}/close
pub async fn close(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic_of_lead(&state.pool, &user, &path).await?;
    match diagnostics::close(&state.pool, &state.writes, &diagnostic, &user.id).await? {
        Change::Written => Ok(back(&diagnostic, "closed", "closing")),
        Change::Stale | Change::Final => {
            stale(&ctx, &state, &diagnostic, &organisation, None).await
        }
    }
}

/// POST /diagnostics/{id}/reopen
pub async fn reopen(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic_of_lead(&state.pool, &user, &path).await?;
    match diagnostics::reopen(&state.pool, &state.writes, &diagnostic, &user.id).await? {
        Change::Written => Ok(back(&diagnostic, "reopened", "closing")),
        Change::Stale | Change::Final => {
            stale(&ctx, &state, &diagnostic, &organisation, None).await
        }
    }
}

/// The page that sets a response aside: what it does, and the reason (required).
#[allow(clippy::too_many_arguments)]
fn set_aside_page(
    ctx: &PageContext,
    token: &str,
    diagnostic: &Diagnostic,
    organisation: &Organisation,
    questionnaire: &Questionnaire,
    response: &SubmittedResponse,
    reason: &str,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Écarter une réponse", "Set a response aside");
    let labels = [("reason", lang.pick("Raison", "Reason"))];
    let body = html! {
        p { a href={ "/diagnostics/" (diagnostic.id) "#responses" } { "← " (diagnostic_title(&diagnostic.title, lang)) " — " (organisation.name) } }
        h1 { (title) }
        (error_summary(lang, errors, &labels))
        dl.meta {
            dt { (lang.pick("Rôle", "Role")) } dd { (role_label(questionnaire, lang, &response.respondent_role)) }
            dt { (lang.pick("Lien", "Link")) } dd { (link_note(lang, response)) }
            dt { (lang.pick("Envoyée le", "Submitted on")) } dd { (lang.date(&response.submitted_at)) }
        }
        @if response.is_set_aside() {
            p { (lang.pick("Cette réponse est déjà écartée.", "This response is set aside already.")) }
        } @else {
            p { (lang.pick(
                "Les réponses sont écartées par groupes de 3 : une réponse écartée compte encore dans les résultats jusqu'à ce que deux autres le soient aussi, et peut être réintégrée d'ici là. Une fois le groupe complet, les trois ne comptent plus dans les résultats de l'organisation, qui sont recalculés sans elles et disent combien sont écartées, et c'est définitif : sinon, en écartant et en réintégrant des réponses une à une, on pourrait déduire des résultats les réponses d'une personne. La réponse elle-même n'est ni modifiée ni supprimée ; l'historique garde qui l'a écartée, quand et pourquoi.",
                "Responses are set aside in groups of 3: a response set aside still counts in the results until two others are set aside too, and may be restored until then. Once the group is complete, the three no longer count in the organisation's results, which are computed again without them and say how many are set aside, and this is final: otherwise, by setting responses aside and restoring them one by one, anyone could work out one person's answers from the results. The response itself is neither changed nor deleted; the history keeps who set it aside, when and why."
            )) }
            form method="post" action={ "/diagnostics/" (diagnostic.id) "/responses/" (response.id) "/set-aside" } novalidate {
                (csrf(token))
                (textarea(lang, "reason", labels[0].1, reason, Some(lang.pick(
                    "Par exemple : réponse d'essai, doublon, personne hors du périmètre. Visible des responsables de l'organisation et de l'équipe du programme.",
                    "For example: a test response, a duplicate, a person outside the scope. Seen by the organisation's leads and the programme staff."
                )), true, errors))
                div.actions {
                    button type="submit" { (lang.pick("Écarter la réponse", "Set the response aside")) }
                    a href={ "/diagnostics/" (diagnostic.id) "#responses" } { (lang.pick("Annuler", "Cancel")) }
                }
            }
        }
    };
    page(ctx, title, body)
}

/// GET /diagnostics/{id}/responses/{response}/set-aside
pub async fn confirm_set_aside(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, response_id) = path.into_inner();
    let (diagnostic, organisation) =
        access::diagnostic_of_lead(&state.pool, &user, &diagnostic_id).await?;
    let questionnaire = questionnaire_of(&state, &diagnostic)?;
    let response = diagnostics::submitted_response(&state.pool, &diagnostic, &response_id).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        set_aside_page(
            &ctx,
            &token,
            &diagnostic,
            &organisation,
            &questionnaire,
            &response,
            "",
            &FieldErrors::new(),
        ),
    ))
}

/// POST /diagnostics/{id}/responses/{response}/set-aside
pub async fn set_aside(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, response_id) = path.into_inner();
    let (diagnostic, organisation) =
        access::diagnostic_of_lead(&state.pool, &user, &diagnostic_id).await?;
    let typed = form.value("reason");
    let reason = match form.checked(
        crate::domain::diagnostics::check_reason(&typed),
        &["reason"],
    ) {
        Ok(reason) => reason,
        Err(errors) => {
            let questionnaire = questionnaire_of(&state, &diagnostic)?;
            let response =
                diagnostics::submitted_response(&state.pool, &diagnostic, &response_id).await?;
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                set_aside_page(
                    &ctx,
                    &token,
                    &diagnostic,
                    &organisation,
                    &questionnaire,
                    &response,
                    &typed,
                    &errors,
                ),
            ));
        }
    };
    match diagnostics::set_aside(
        &state.pool,
        &state.writes,
        &diagnostic,
        &response_id,
        &reason,
        &user.id,
    )
    .await?
    {
        Change::Written => Ok(back(&diagnostic, "set_aside", "responses")),
        Change::Stale | Change::Final => {
            let kept = ctx.lang.pick(
                "La raison que vous aviez saisie (non enregistrée) :",
                "The reason you typed (not saved):",
            );
            stale(
                &ctx,
                &state,
                &diagnostic,
                &organisation,
                Some((kept, &typed)),
            )
            .await
        }
    }
}

/// POST /diagnostics/{id}/responses/{response}/restore
pub async fn restore(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, response_id) = path.into_inner();
    let (diagnostic, organisation) =
        access::diagnostic_of_lead(&state.pool, &user, &diagnostic_id).await?;
    match diagnostics::restore(
        &state.pool,
        &state.writes,
        &diagnostic,
        &response_id,
        &user.id,
    )
    .await?
    {
        Change::Written => Ok(back(&diagnostic, "restored", "responses")),
        Change::Stale => stale(&ctx, &state, &diagnostic, &organisation, None).await,
        Change::Final => Ok(set_aside_is_final(&ctx, &diagnostic)),
    }
}

/// GET /diagnostics/{id}/delete: what deleting does, to confirm; refused (409) once a
/// response is submitted.
pub async fn confirm_delete(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic_of_lead(&state.pool, &user, &path).await?;
    let lifecycle = diagnostics::lifecycle(&state.pool, &diagnostic).await?;
    let lang = ctx.lang;
    if !lifecycle.responses.is_empty() {
        return Ok(cannot_delete(&ctx, &diagnostic));
    }
    let token = session::csrf_token(&session)?;
    let title = lang.pick(
        "Supprimer cet autodiagnostic ?",
        "Delete this self-diagnostic?",
    );
    let body = html! {
        p { a href={ "/diagnostics/" (diagnostic.id) } { "← " (diagnostic_title(&diagnostic.title, lang)) " — " (organisation.name) } }
        h1 { (title) }
        p { (lang.pick(
            "Personne n'a encore envoyé de réponse. La suppression est définitive : les liens d'invitation cessent de fonctionner et les réponses en cours sont effacées.",
            "Nobody has submitted a response yet. Deleting is final: the invitation links stop working and the responses in progress are erased."
        )) }
        form method="post" action={ "/diagnostics/" (diagnostic.id) "/delete" } {
            (csrf(&token))
            div.actions {
                button type="submit" { (lang.pick("Supprimer définitivement", "Delete for good")) }
                a href={ "/diagnostics/" (diagnostic.id) } { (lang.pick("Annuler", "Cancel")) }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

fn cannot_delete(ctx: &PageContext, diagnostic: &Diagnostic) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick(
        "Cet autodiagnostic ne peut pas être supprimé",
        "This self-diagnostic cannot be deleted",
    );
    html_response(
        StatusCode::CONFLICT,
        page(
            ctx,
            title,
            html! {
                h1 { (title) }
                p role="alert" { (lang.pick(
                    "Au moins une réponse y a été envoyée : une réponse envoyée n'est jamais effacée. Vous pouvez clore l'autodiagnostic, ou écarter une réponse des résultats.",
                    "At least one response was submitted to it: a submitted response is never erased. You can close the self-diagnostic, or set a response aside from the results."
                )) }
                p { a href={ "/diagnostics/" (diagnostic.id) } { (lang.pick("Revenir à l'autodiagnostic", "Back to the self-diagnostic")) } }
            },
        ),
    )
}

/// POST /diagnostics/{id}/delete
pub async fn delete(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic_of_lead(&state.pool, &user, &path).await?;
    match diagnostics::delete(&state.pool, &state.writes, &diagnostic).await? {
        Change::Written => Ok(redirect(&format!(
            "/organisations/{}?deleted=1",
            organisation.id
        ))),
        Change::Stale | Change::Final => Ok(cannot_delete(&ctx, &diagnostic)),
    }
}

fn questionnaire_of(
    state: &AppState,
    diagnostic: &Diagnostic,
) -> Result<std::sync::Arc<Questionnaire>, AppError> {
    state
        .registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)
}

fn role_label<'a>(q: &'a Questionnaire, lang: Lang, role: &'a str) -> &'a str {
    q.role(role).map(|r| r.label.get(lang)).unwrap_or(role)
}

fn link_note(lang: Lang, response: &SubmittedResponse) -> String {
    let label = response.label.as_deref().unwrap_or("").trim();
    let label = if label.is_empty() {
        lang.pick("sans repère", "without a note")
    } else {
        label
    };
    if response.shared == 1 {
        format!("{label} ({})", lang.pick("lien partagé", "shared link"))
    } else {
        label.to_owned()
    }
}

/// One line of the history: what, when, who, and for a response or a link, which one.
fn event_text(lang: Lang, l: &Loaded, e: &crate::db::DiagnosticEvent) -> Markup {
    let who = e
        .account_name
        .as_deref()
        .unwrap_or(lang.pick("un compte supprimé", "a deleted account"));
    let which = e
        .response_id
        .as_ref()
        .and_then(|id| l.lifecycle.responses.iter().position(|r| &r.id == id))
        .map(|n| format!("{} {}", lang.pick("n°", "no."), n + 1));
    html! {
        (e.action.label(lang))
        @if let Some(which) = which { " (" (which) ")" }
        @if let Some(label) = e.invitation_label.as_deref().filter(|l| !l.is_empty()) { " (" (label) ")" }
        " — " (lang.date(&e.happened_at)) " " (e.happened_at.get(11..16).unwrap_or("")) " UTC, "
        (lang.pick("par", "by")) " " (who)
        @if let Some(reason) = &e.reason { (lang.pick(" : « ", ": “")) (reason) (lang.pick(" »", "”")) }
    }
}

fn render(p: &Page) -> Markup {
    let lang = p.ctx.lang;
    let l = p.l;
    let d = &l.diagnostic;
    let q = &*l.questionnaire;
    let roles: Vec<(&str, &str)> = q
        .roles
        .iter()
        .map(|r| (r.id.as_str(), r.label.get(lang)))
        .collect();
    let submitted = l.lifecycle.responses.len();
    let set_aside = l.lifecycle.set_aside();
    let set_aside_pending = l.lifecycle.set_aside_pending();
    let title = format!(
        "{} — {}",
        diagnostic_title(&d.title, lang),
        l.organisation.name
    );
    let labels = [
        ("role", lang.pick("Rôle", "Role")),
        ("label", lang.pick("Repère", "Note")),
    ];
    let closing_labels = [("closes_on", lang.pick("Date de clôture", "Closing date"))];
    let closing = p
        .typed
        .closing
        .cloned()
        .unwrap_or_else(|| closing_form(&l.closing));
    let closed = d.closed_at.is_some();
    let past_closing = crate::domain::invitations::past_closing(
        l.closing.closes_on.as_deref(),
        crate::web::today(),
    );
    let body = html! {
        p { a href={ "/organisations/" (l.organisation.id) } { "← " (l.organisation.name) } }
        h1 { (title) }
        @if let Some(notice) = &p.notice { p.notice role="status" { (notice) } }
        dl.meta {
            dt { ("Questionnaire") }
            dd { a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } " (" (q.version) ")" }
            dt { (lang.pick("Ouvert le", "Opened on")) } dd { (lang.date(&d.opened_at)) }
            dt { (lang.pick("État", "Status")) }
            dd {
                @if let Some(at) = &d.closed_at { (lang.pick("Clos le", "Closed on")) " " (lang.date(at)) }
                @else if past_closing { (lang.pick("Clos : la date de clôture est passée", "Closed: the closing date has passed")) }
                @else { (lang.pick("Ouvert aux réponses", "Open to responses")) }
            }
            dt { (lang.pick("Réponses envoyées", "Responses submitted")) }
            dd {
                (submitted)
                @if set_aside > 0 { ", " (set_aside) " " (lang.pick("écartée(s)", "set aside")) }
            }
        }
        @if d.is_solo() {
            p.notice { (lang.pick(
                "Vous répondez seul·e : créez votre lien ci-dessous, puis répondez. Les résultats sont vos réponses, visibles dès l'envoi.",
                "You answer alone: create your link below, then answer. The results are your answers, visible as soon as you submit."
            )) }
        } @else {
            p { (lang.pick(
                "Les résultats de l'organisation s'affichent à partir de 3 réponses envoyées, pour que personne ne soit reconnaissable ; chaque répondant·e voit les siens dès l'envoi.",
                "The organisation's results are shown from 3 submitted responses on, so that no one can be recognised; each respondent sees their own as soon as they submit."
            )) }
        }
        @if submitted > 0 {
            p.actions { a.button href={ "/diagnostics/" (d.id) "/results" } { (lang.pick("Voir les résultats de l'organisation", "See the organisation's results")) } }
        }

        h2 #new-invitation { (lang.pick("Créer un lien d'invitation", "Create an invitation link")) }
        p { (lang.pick(
            "Chaque lien est secret : transmettez-le à la personne concernée (par e-mail, par exemple). Elle n'a pas besoin de compte ; ses réponses sont enregistrées à chaque page. En commençant, elle reçoit son propre lien personnel, que vous ne voyez pas, pour reprendre plus tard depuis n'importe quel appareil : le lien que vous lui avez transmis ne mène plus à ses réponses, sauf dans le navigateur où elle a commencé. Un lien partagé sert à plusieurs personnes d'un même rôle : chacune reçoit alors son propre lien en l'ouvrant.",
            "Each link is secret: send it to the person concerned (by email, for example). They need no account; their answers are saved at every page. On starting, they get a personal link of their own, which you do not see, to resume later from any device: the link you sent no longer leads to their answers, except in the browser where they started. A shared link serves several people of one role: each of them gets a link of their own on opening it."
        )) }
        (error_summary(lang, p.typed.link_errors, &labels))
        @if d.is_solo() && !l.links.solo_may_invite() && p.typed.link_errors.is_empty() {
            p { (lang.pick("Cet autodiagnostic « je réponds seul·e » a déjà son lien.", "This « I answer alone » self-diagnostic has its link already.")) }
        } @else {
        form method="post" action={ "/diagnostics/" (d.id) "/invitations" } novalidate {
            (csrf(p.token))
            (select(lang, "role", labels[0].1, &roles, &p.typed.link.role, true, p.typed.link_errors))
            (input(lang, Input::text("label", labels[1].1, &p.typed.link.label)
                .hint(lang.pick("Pour vous y retrouver : un prénom, un service… Visible de vous seul·e.", "To keep track: a first name, a department… Only you see it.")), p.typed.link_errors))
            @if !d.is_solo() {
                fieldset {
                    legend { (lang.pick("Type de lien", "Kind of link")) }
                    div.choice { input type="radio" name="shared" id="shared-0" value="0" checked[!p.typed.link.shared]; label for="shared-0" { (lang.pick("Personnel : pour une seule personne", "Personal: for one person")) } }
                    div.choice { input type="radio" name="shared" id="shared-1" value="1" checked[p.typed.link.shared]; label for="shared-1" { (lang.pick("Partagé : pour plusieurs personnes de ce rôle", "Shared: for several people of this role")) } }
                }
            }
            button type="submit" { (lang.pick("Créer le lien", "Create the link")) }
        }
        }
        @if !d.is_solo() { p.actions { a.button href={ "/diagnostics/" (d.id) "/mail-invitations" } { (lang.pick("Inviter par e-mail, relancer", "Invite by email, send reminders")) } } }

        h2 #invitations { (lang.pick("Liens d'invitation", "Invitation links")) }
        @if l.links.invitations.is_empty() {
            p { (lang.pick("Aucun lien pour l'instant : créez-en un ci-dessus.", "No link yet: create one above.")) }
        } @else {
            p.hint #link-hint { (lang.pick(
                "Sélectionnez le lien puis copiez-le (Ctrl+C) : avec la touche Tab, placez-vous dans son champ, puis Ctrl+A le sélectionne en entier (Cmd+A et Cmd+C sur Mac).",
                "Select the link, then copy it (Ctrl+C): with the Tab key, move into its field, then Ctrl+A selects all of it (Cmd+A and Cmd+C on a Mac)."
            )) }
            div.table-scroll role="region" tabindex="0" aria-labelledby="invitations" { table.invitations {
                thead { tr {
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Repère", "Note")) }
                    th scope="col" { (lang.pick("Lien", "Link")) }
                    th scope="col" { (lang.pick("État", "Status")) }
                    th scope="col" { span.visually-hidden { ("Action") } }
                } }
                tbody {
                    @for (n, i) in l.links.invitations.iter().enumerate() {
                        @let (started, done) = l.links.progress.iter().find(|(id, _, _)| *id == i.id).map(|(_, s, d)| (*s, *d)).unwrap_or((0, 0));
                        @let note = if i.label.is_empty() { format!("{} {}", lang.pick("n°", "no."), n + 1) } else { i.label.clone() };
                        tr id={ "invitation-" (i.id) } {
                            td { (role_label(q, lang, &i.respondent_role)) }
                            td { (i.label) @if i.shared == 1 { " " span.tag { (lang.pick("partagé", "shared")) } } }
                            td {
                                @if i.revoked_at.is_none() {
                                    label.visually-hidden for={ "link-" (i.id) } { (lang.pick("Lien", "Link")) " " (note) }
                                    input.link id={ "link-" (i.id) } type="text" readonly value={ (p.base) "/r/" (i.token) } aria-describedby="link-hint" spellcheck="false" autocomplete="off";
                                } @else { "—" }
                            }
                            td {
                                @if i.revoked_at.is_some() { (lang.pick("Révoqué", "Revoked")) }
                                @else if i.shared == 1 { (started) " " (lang.pick("commencée(s)", "started")) ", " (done) " " (lang.pick("envoyée(s)", "submitted")) }
                                @else if done > 0 { (lang.pick("Réponse envoyée", "Response submitted")) }
                                @else if started > 0 { (lang.pick("En cours", "In progress")) }
                                @else { (lang.pick("Pas encore ouvert", "Not opened yet")) }
                            }
                            td {
                                @if i.revoked_at.is_none() {
                                    a href={ "/diagnostics/" (d.id) "/invitations/" (i.id) "/revoke" } { (lang.pick("Révoquer…", "Revoke…")) span.visually-hidden { " " (note) } }
                                } @else {
                                    form.inline method="post" action={ "/diagnostics/" (d.id) "/invitations/" (i.id) "/reinstate" } {
                                        (csrf(p.token))
                                        button.secondary type="submit" { (lang.pick("Rétablir", "Reinstate")) span.visually-hidden { " " (note) } }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }

        h2 #closing { (lang.pick("Clôture", "Closing")) }
        p { (lang.pick(
            "Après la date de clôture, ou dès que vous le closez, l'autodiagnostic n'accepte plus de réponses : les personnes invitées voient une page qui le dit, avec la date. Vous pouvez le rouvrir à tout moment.",
            "After the closing date, or as soon as you close it, the self-diagnostic takes no more responses: invited people see a page that says so, with the date. You can reopen it at any time."
        )) }
        (error_summary(lang, p.typed.closing_errors, &closing_labels))
        form method="post" action={ "/diagnostics/" (d.id) "/closing-date" } novalidate {
            (csrf(p.token))
            (input(lang, Input::text("closes_on", closing_labels[0].1, &closing.closes_on).kind("date")
                .hint(lang.pick("AAAA-MM-JJ ; le jour même compte encore. Laissez vide pour aucune date.", "YYYY-MM-DD; the day itself still counts. Leave empty for no date.")), p.typed.closing_errors))
            button type="submit" { (lang.pick("Enregistrer la date", "Save the date")) }
        }
        @if closed {
            form method="post" action={ "/diagnostics/" (d.id) "/reopen" } {
                (csrf(p.token))
                button type="submit" { (lang.pick("Rouvrir l'autodiagnostic", "Reopen the self-diagnostic")) }
            }
        } @else {
            form method="post" action={ "/diagnostics/" (d.id) "/close" } {
                (csrf(p.token))
                button.secondary type="submit" { (lang.pick("Clore l'autodiagnostic maintenant", "Close the self-diagnostic now")) }
            }
        }

        h2 #responses { (lang.pick("Réponses envoyées", "Submitted responses")) }
        @if l.lifecycle.responses.is_empty() {
            p { (lang.pick("Aucune réponse envoyée pour l'instant.", "No response submitted yet.")) }
        } @else {
            p { (lang.pick(
                "Vous ne voyez jamais les réponses de quelqu'un. Des réponses d'essai, en double ou hors du périmètre peuvent être écartées des résultats, avec une raison, par groupes de 3 (définitivement une fois le groupe complet) ; elles ne sont ni modifiées ni supprimées.",
                "You never see anyone's answers. Test responses, duplicates or ones outside the scope may be set aside from the results, with a reason, in groups of 3 (for good once the group is complete); they are neither changed nor deleted."
            )) }
            @if set_aside > 0 {
                p { strong { (set_aside) " " (lang.pick("réponse(s) écartée(s)", "response(s) set aside")) } (lang.pick(" : les résultats sont calculés sans elles.", ": the results are computed without them.")) }
            }
            @if set_aside_pending > 0 {
                p { strong { (lang.plural(set_aside_pending as i64, ["réponse écartée en attente", "réponses écartées en attente"], ["response set aside, pending", "responses set aside, pending"])) }
                    (lang.pick(
                        " : les réponses sont écartées par groupes de 3, pour que les résultats ne permettent pas de déduire les réponses d'une personne. D'ici là, elles comptent encore et peuvent être réintégrées ; une fois le groupe complet, c'est définitif.",
                        ": responses are set aside in groups of 3, so that the results never tell one person's answers. Until then they still count and may be restored; once the group is complete, it is final."
                    )) }
            }
            div.table-scroll role="region" tabindex="0" aria-labelledby="responses" { table {
                thead { tr {
                    th scope="col" { (lang.pick("N°", "No.")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Lien", "Link")) }
                    th scope="col" { (lang.pick("Envoyée le", "Submitted on")) }
                    th scope="col" { (lang.pick("Dans les résultats", "In the results")) }
                    th scope="col" { span.visually-hidden { ("Action") } }
                } }
                tbody {
                    @for (n, r) in l.lifecycle.responses.iter().enumerate() {
                        tr id={ "response-" (r.id) } {
                            td { (n + 1) }
                            td { (role_label(q, lang, &r.respondent_role)) }
                            td { (link_note(lang, r)) }
                            td { (lang.date(&r.submitted_at)) }
                            td {
                                @if let Some(at) = &r.set_aside_at {
                                    (lang.pick("Écartée le", "Set aside on")) " " (lang.date(at))
                                    @if let Some(by) = &r.set_aside_by { " " (lang.pick("par", "by")) " " (by) }
                                    @if let Some(reason) = &r.set_aside_reason { (lang.pick(" : « ", ": “")) (reason) (lang.pick(" »", "”")) }
                                    @if !r.is_set_aside_in_effect() { " " span.tag { (lang.pick("en attente du groupe de 3, comptée encore", "waiting for its group of 3, still counted")) } }
                                } @else { (lang.pick("Comptée", "Counted")) }
                            }
                            td {
                                @if r.is_set_aside_in_effect() {
                                    (lang.pick("Définitif", "Final"))
                                } @else if r.is_set_aside() {
                                    form.inline method="post" action={ "/diagnostics/" (d.id) "/responses/" (r.id) "/restore" } {
                                        (csrf(p.token))
                                        button.secondary type="submit" { (lang.pick("Réintégrer", "Restore")) span.visually-hidden { " " (lang.pick("la réponse n°", "response no.")) " " (n + 1) } }
                                    }
                                } @else {
                                    a href={ "/diagnostics/" (d.id) "/responses/" (r.id) "/set-aside" } { (lang.pick("Écarter…", "Set aside…")) span.visually-hidden { " " (lang.pick("la réponse n°", "response no.")) " " (n + 1) } }
                                }
                            }
                        }
                    }
                }
            } }
        }

        h2 #history { (lang.pick("Historique", "History")) }
        @if l.lifecycle.history.is_empty() {
            p { (lang.pick("Aucun changement pour l'instant.", "No change yet.")) }
        } @else {
            ul.history {
                @for e in &l.lifecycle.history { li { (event_text(lang, l, e)) } }
            }
        }

        @if l.lifecycle.responses.is_empty() {
            h2 #delete { (lang.pick("Supprimer", "Delete")) }
            p { (lang.pick(
                "Tant que personne n'a envoyé de réponse, vous pouvez supprimer cet autodiagnostic.",
                "As long as nobody has submitted a response, you can delete this self-diagnostic."
            )) }
            p { a href={ "/diagnostics/" (d.id) "/delete" } { (lang.pick("Supprimer cet autodiagnostic…", "Delete this self-diagnostic…")) } }
        }
    };
    page(p.ctx, &title, body)
}

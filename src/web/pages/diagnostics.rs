//! A diagnostic, as its organisation's lead opens and manages it: the links handed out to
//! respondents (personal, or shared by several people of one role), their progress, and
//! revocation. A diagnostic answered alone (« je réponds seul·e ») has one personal link, the
//! lead's own. The rules and the writes are [`crate::app::diagnostics`]'.

use crate::app::diagnostics::{self, LinkRequest, Links};
use crate::app::error::AppError;
use crate::db::{Diagnostic, Organisation};
use crate::domain::field_errors::FieldErrors;
use crate::domain::questionnaire::Questionnaire;
use crate::domain::results::Answering;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input, select};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::scroll_table;
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

type Form = CheckedForm;

/// The site's address as the browser reached it, to write whole links.
pub fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

struct Page<'a> {
    ctx: &'a PageContext,
    token: &'a str,
    base: &'a str,
    diagnostic: &'a Diagnostic,
    organisation: &'a Organisation,
    questionnaire: &'a Questionnaire,
    links: &'a Links,
    form: &'a LinkRequest,
    errors: &'a FieldErrors,
}

async fn load(
    state: &AppState,
    user: &session::SessionUser,
    id: &str,
) -> Result<
    (
        Diagnostic,
        Organisation,
        std::sync::Arc<Questionnaire>,
        Links,
    ),
    AppError,
> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, user, id).await?;
    let questionnaire = state
        .registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)?;
    let links = diagnostics::links(&state.pool, &diagnostic.id).await?;
    Ok((diagnostic, organisation, questionnaire, links))
}

pub async fn show(
    ctx: PageContext,
    req: HttpRequest,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation, questionnaire, links) = load(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    let base = base_url(&req);
    let form = LinkRequest::default();
    let errors = FieldErrors::new();
    Ok(html_response(
        StatusCode::OK,
        render(&Page {
            ctx: &ctx,
            token: &token,
            base: &base,
            diagnostic: &diagnostic,
            organisation: &organisation,
            questionnaire: &questionnaire,
            links: &links,
            form: &form,
            errors: &errors,
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
    let (diagnostic, organisation, questionnaire, links) = load(&state, &user, &path).await?;
    let request = LinkRequest {
        role: form.get("role").cloned().unwrap_or_default(),
        label: form.get("label").cloned().unwrap_or_default(),
        shared: form.get("shared").is_some_and(|v| v == "1"),
    };
    let mut errors = FieldErrors::new();
    form.refuse_bad_text(&mut errors, &[]);
    let created = diagnostics::create_link(
        &state.pool,
        &diagnostic,
        &questionnaire,
        &links,
        &request,
        errors,
    )
    .await?;
    match created {
        Ok(id) => Ok(redirect(&format!(
            "/diagnostics/{}#invitation-{id}",
            diagnostic.id
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
                    diagnostic: &diagnostic,
                    organisation: &organisation,
                    questionnaire: &questionnaire,
                    links: &links,
                    form: &request,
                    errors: &errors,
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

pub async fn revoke(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: Form,
) -> Result<HttpResponse, AppError> {
    let (diagnostic_id, invitation_id) = path.into_inner();
    let (diagnostic, _) = access::diagnostic(&state.pool, &user, &diagnostic_id).await?;
    diagnostics::revoke_link(&state.pool, &diagnostic.id, &invitation_id).await?;
    Ok(redirect(&format!("/diagnostics/{}", diagnostic.id)))
}

fn render(p: &Page) -> Markup {
    let lang = p.ctx.lang;
    let q = p.questionnaire;
    let roles: Vec<(&str, &str)> = q
        .roles
        .iter()
        .map(|r| (r.id.as_str(), r.label.get(lang)))
        .collect();
    let submitted: i64 = p.links.progress.iter().map(|(_, _, s)| s).sum();
    let title = format!("{} — {}", p.diagnostic.title, p.organisation.name);
    let labels = [
        ("role", lang.pick("Rôle", "Role")),
        ("label", lang.pick("Repère", "Note")),
    ];
    let body = html! {
        p { a href={ "/organisations/" (p.organisation.id) } { "← " (p.organisation.name) } }
        h1 { (title) }
        dl.meta {
            dt { ("Questionnaire") }
            dd { a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } " (" (q.version) ")" }
            dt { (lang.pick("Ouvert le", "Opened on")) } dd { (lang.date(&p.diagnostic.opened_at)) }
            dt { (lang.pick("Réponses envoyées", "Responses submitted")) } dd { (submitted) }
        }
        @if p.diagnostic.is_solo() {
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
            p.actions { a.button href={ "/diagnostics/" (p.diagnostic.id) "/results" } { (lang.pick("Voir les résultats de l'organisation", "See the organisation's results")) } }
        }

        h2 #invitations { (lang.pick("Liens d'invitation", "Invitation links")) }
        @if !p.diagnostic.is_solo() { p.actions { a.button href={ "/diagnostics/" (p.diagnostic.id) "/mail-invitations" } { (lang.pick("Inviter par e-mail, relancer, fixer la clôture", "Invite by email, send reminders, set the closing date")) } } }
        p { (lang.pick(
            "Chaque lien est secret : transmettez-le à la personne concernée (par e-mail, par exemple). Elle n'a pas besoin de compte ; ses réponses sont enregistrées à chaque page. En commençant, elle reçoit son propre lien personnel, que vous ne voyez pas, pour reprendre plus tard depuis n'importe quel appareil : le lien que vous lui avez transmis ne mène plus à ses réponses, sauf dans le navigateur où elle a commencé. Un lien partagé sert à plusieurs personnes d'un même rôle : chacune reçoit alors son propre lien en l'ouvrant.",
            "Each link is secret: send it to the person concerned (by email, for example). They need no account; their answers are saved at every page. On starting, they get a personal link of their own, which you do not see, to resume later from any device: the link you sent no longer leads to their answers, except in the browser where they started. A shared link serves several people of one role: each of them gets a link of their own on opening it."
        )) }
        @if p.links.invitations.is_empty() {
            p { (lang.pick("Aucun lien pour l'instant : créez-en un ci-dessous.", "No link yet: create one below.")) }
        } @else {
            (scroll_table("invitations", html! { table.invitations {
                thead { tr {
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Repère", "Note")) }
                    th scope="col" { (lang.pick("Lien", "Link")) }
                    th scope="col" { (lang.pick("État", "Status")) }
                    th scope="col" { span.visually-hidden { ("Action") } }
                } }
                tbody {
                    @for i in &p.links.invitations {
                        @let (started, done) = p.links.progress.iter().find(|(id, _, _)| *id == i.id).map(|(_, s, d)| (*s, *d)).unwrap_or((0, 0));
                        tr id={ "invitation-" (i.id) } {
                            td { (q.role(&i.respondent_role).map(|r| r.label.get(lang)).unwrap_or(&i.respondent_role)) }
                            td { (i.label) @if i.shared == 1 { " " span.tag { (lang.pick("partagé", "shared")) } } }
                            td { @if i.revoked_at.is_none() { code.link { (p.base) "/r/" (i.token) } } @else { "—" } }
                            td {
                                @if i.revoked_at.is_some() { (lang.pick("Révoqué", "Revoked")) }
                                @else if i.shared == 1 { (started) " " (lang.pick("commencée(s)", "started")) ", " (done) " " (lang.pick("envoyée(s)", "submitted")) }
                                @else if done > 0 { (lang.pick("Réponse envoyée", "Response submitted")) }
                                @else if started > 0 { (lang.pick("En cours", "In progress")) }
                                @else { (lang.pick("Pas encore ouvert", "Not opened yet")) }
                            }
                            td {
                                @if i.revoked_at.is_none() {
                                    form.inline method="post" action={ "/diagnostics/" (p.diagnostic.id) "/invitations/" (i.id) "/revoke" } {
                                        (csrf(p.token))
                                        button.secondary type="submit" { (lang.pick("Révoquer", "Revoke")) span.visually-hidden { " " (i.label) } }
                                    }
                                }
                            }
                        }
                    }
                }
            } }))
        }

        h3 #new-invitation { (lang.pick("Créer un lien", "Create a link")) }
        (error_summary(lang, p.errors, &labels))
        @if p.diagnostic.is_solo() && !p.links.solo_may_invite() && p.errors.is_empty() {
            p { (lang.pick("Cet autodiagnostic « je réponds seul·e » a déjà son lien.", "This « I answer alone » self-diagnostic has its link already.")) }
        } @else {
        form method="post" action={ "/diagnostics/" (p.diagnostic.id) "/invitations" } novalidate {
            (csrf(p.token))
            (select(lang, "role", labels[0].1, &roles, &p.form.role, true, p.errors))
            (input(lang, Input::text("label", labels[1].1, &p.form.label)
                .hint(lang.pick("Pour vous y retrouver : un prénom, un service… Visible de vous seul·e.", "To keep track: a first name, a department… Only you see it.")), p.errors))
            @if !p.diagnostic.is_solo() {
                fieldset {
                    legend { (lang.pick("Type de lien", "Kind of link")) }
                    div.choice { input type="radio" name="shared" id="shared-0" value="0" checked[!p.form.shared]; label for="shared-0" { (lang.pick("Personnel : pour une seule personne", "Personal: for one person")) } }
                    div.choice { input type="radio" name="shared" id="shared-1" value="1" checked[p.form.shared]; label for="shared-1" { (lang.pick("Partagé : pour plusieurs personnes de ce rôle", "Shared: for several people of this role")) } }
                }
            }
            button type="submit" { (lang.pick("Créer le lien", "Create the link")) }
        }
        }
    };
    page(p.ctx, &title, body)
}

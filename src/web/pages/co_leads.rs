//! Co-leads: an organisation's leads, inviting another person by e-mail to co-manage it,
//! stepping down (never the last lead), and the page the invitation's link opens, where the
//! signed-in person accepts it. The use cases are `app::co_leads`.

use crate::app::co_leads::{self, Leads, StepDownRefusal};
use crate::app::error::AppError;
use crate::db::{Lead, Organisation};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, MaybeUser, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input};
use crate::web::ui::layout::{html_response, page, redirect, url_encode};
use crate::web::ui::tables::scroll_table;
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    invited: Option<String>,
}

/// The leads, as the organisation's page lists them; the way to delete the organisation only
/// for `viewer_leads` (staff may read the page, not delete it).
pub fn leads_section(
    lang: Lang,
    organisation_id: &str,
    leads: &[Lead],
    viewer_leads: bool,
) -> Markup {
    html! {
        h2 #leads { (lang.pick("Responsables de l'organisation", "The organisation's managers")) }
        ul {
            @for l in leads { li { (l.display_name) " (" (l.email) ")" } }
        }
        p { a href={ "/organisations/" (organisation_id) "/leads" } { (lang.pick("Inviter une personne à gérer l'organisation, ou quitter sa gestion", "Invite a person to manage the organisation, or step down")) } }
        @if viewer_leads {
            p { a href={ "/organisations/" (organisation_id) "/delete" } { (lang.pick("Supprimer l'organisation", "Delete the organisation")) } }
        }
    }
}

struct Page<'a> {
    ctx: &'a PageContext,
    token: &'a str,
    organisation: &'a Organisation,
    leads: &'a Leads,
    is_lead: bool,
    notice: Option<(bool, String)>,
    email: &'a str,
    errors: &'a FieldErrors,
}

async fn load(
    state: &AppState,
    user: &session::SessionUser,
    id: &str,
) -> Result<(Organisation, Leads), AppError> {
    let organisation = access::organisation(&state.pool, user, id).await?;
    let leads = co_leads::leads(&state.pool, &organisation).await?;
    Ok((organisation, leads))
}

/// GET /organisations/{id}/leads
pub async fn show(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let (organisation, leads) = load(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let notice = done.invited.as_ref().map(|email| {
        (
            false,
            format!(
                "{} {email} {}",
                lang.pick("Invitation envoyée à", "Invitation sent to"),
                lang.pick(
                    ": le lien qu'elle reçoit vaut 7 jours et ne sert qu'une fois.",
                    ": the link they receive lasts 7 days and works once."
                )
            ),
        )
    });
    let is_lead = leads.leads.iter().any(|l| l.account_id == user.id);
    Ok(html_response(
        StatusCode::OK,
        render(&Page {
            ctx: &ctx,
            token: &token,
            organisation: &organisation,
            leads: &leads,
            is_lead,
            notice,
            email: "",
            errors: &FieldErrors::new(),
        }),
    ))
}

/// POST /organisations/{id}/leads/invitations
pub async fn invite(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (organisation, leads) = load(&state, &user, &path).await?;
    let typed = form.value("email");
    let outcome = co_leads::invite(
        &state.pool,
        &state.writes,
        &state.mailer,
        &organisation,
        (&user.id, &user.name),
        &typed,
        ctx.lang,
    )
    .await?;
    let errors = match form.checked(outcome, &[]) {
        Ok(email) => {
            return Ok(redirect(&format!(
                "/organisations/{}/leads?invited={}",
                organisation.id,
                url_encode(&email)
            )));
        }
        Err(errors) => errors,
    };
    let token = session::csrf_token(&session)?;
    let is_lead = leads.leads.iter().any(|l| l.account_id == user.id);
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&Page {
            ctx: &ctx,
            token: &token,
            organisation: &organisation,
            leads: &leads,
            is_lead,
            notice: None,
            email: &typed,
            errors: &errors,
        }),
    ))
}

/// POST /organisations/{id}/leads/step-down: the signed-in lead stops managing it.
pub async fn step_down(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (organisation, leads) = load(&state, &user, &path).await?;
    let lang = ctx.lang;
    let (status, text) =
        match co_leads::step_down(&state.pool, &state.writes, &organisation, &user.id).await? {
            Ok(()) => return Ok(redirect("/organisations")),
            Err(StepDownRefusal::LastLead) => (
                StatusCode::CONFLICT,
                lang.pick(
                    "Vous êtes la seule personne à gérer cette organisation : vous ne pouvez pas la quitter. Invitez d'abord une autre personne ci-dessous ; une fois qu'elle a accepté, vous pourrez partir.",
                    "You are the only person managing this organisation: you cannot leave it. First invite another person below; once they have accepted, you may leave.",
                ),
            ),
            Err(StepDownRefusal::NotALead) => (
                StatusCode::CONFLICT,
                lang.pick(
                    "Vous ne gérez pas cette organisation : il n'y a rien à quitter.",
                    "You do not manage this organisation: there is nothing to leave.",
                ),
            ),
        };
    let token = session::csrf_token(&session)?;
    let is_lead = leads.leads.iter().any(|l| l.account_id == user.id);
    Ok(html_response(
        status,
        render(&Page {
            ctx: &ctx,
            token: &token,
            organisation: &organisation,
            leads: &leads,
            is_lead,
            notice: Some((true, text.to_owned())),
            email: "",
            errors: &FieldErrors::new(),
        }),
    ))
}

fn render(p: &Page) -> Markup {
    let lang = p.ctx.lang;
    let o = p.organisation;
    let title = format!("{} — {}", lang.pick("Responsables", "Managers"), o.name);
    let labels = [("email", lang.pick("Adresse e-mail", "Email address"))];
    let body = html! {
        p { a href={ "/organisations/" (o.id) } { "← " (o.name) } }
        h1 #leads-title { (title) }
        @if let Some((refused, text)) = &p.notice {
            @if *refused { p.error-summary role="alert" { (text) } } @else { p.notice role="status" { (text) } }
        }
        (scroll_table("leads-title", html! { table {
            thead { tr {
                th scope="col" { (lang.pick("Nom", "Name")) }
                th scope="col" { (lang.pick("Adresse", "Address")) }
                th scope="col" { (lang.pick("Depuis le", "Since")) }
            } }
            tbody {
                @for l in &p.leads.leads {
                    tr { td { (l.display_name) } td { (l.email) } td { (lang.date(&l.created_at)) } }
                }
            }
        } }))
        @if !p.leads.pending.is_empty() {
            h2 { (lang.pick("Invitations en attente", "Pending invitations")) }
            ul {
                @for i in &p.leads.pending {
                    li { (i.email) " — " (lang.pick("valable jusqu'au", "valid until")) " " (lang.date(&i.expires_at)) }
                }
            }
        }
        h2 #invite { (lang.pick("Inviter une personne à gérer l'organisation", "Invite a person to manage the organisation")) }
        p { (lang.pick(
            "Elle reçoit un lien par e-mail, valable 7 jours et utilisable une fois ; en l'acceptant, connectée à son compte, elle gère l'organisation avec vous : ses autodiagnostics, leurs invitations et ses coalitions.",
            "They receive a link by email, valid for 7 days and usable once; on accepting it, signed in to their account, they manage the organisation with you: its self-diagnostics, their invitations and its coalitions."
        )) }
        (error_summary(lang, p.errors, &labels))
        form method="post" action={ "/organisations/" (o.id) "/leads/invitations" } novalidate {
            (csrf(p.token))
            (input(lang, Input::text("email", labels[0].1, p.email).kind("email").autocomplete("off").required(), p.errors))
            button type="submit" { (lang.pick("Envoyer l'invitation", "Send the invitation")) }
        }
        @if p.is_lead {
            h2 #step-down { (lang.pick("Quitter la gestion de l'organisation", "Step down from managing the organisation")) }
            p { (lang.pick(
                "Vous ne verrez plus l'organisation ni ses autodiagnostics. Une organisation garde toujours au moins une personne qui la gère.",
                "You will no longer see the organisation or its self-diagnostics. An organisation always keeps at least one person managing it."
            )) }
            form method="post" action={ "/organisations/" (o.id) "/leads/step-down" } {
                (csrf(p.token))
                button.secondary type="submit" { (lang.pick("Quitter la gestion", "Step down")) }
            }
        }
    };
    page(p.ctx, &title, body)
}

/// A link that no longer works: 404 when unknown, 410 when used or expired.
fn refused(ctx: &PageContext, refusal: crate::domain::co_leads::LinkRefusal) -> HttpResponse {
    use crate::domain::co_leads::LinkRefusal;
    let lang = ctx.lang;
    let (fr, en) = refusal.explanation();
    let status = match refusal {
        LinkRefusal::Unknown => StatusCode::NOT_FOUND,
        LinkRefusal::Used | LinkRefusal::Expired => StatusCode::GONE,
    };
    let title = "Invitation";
    html_response(
        status,
        page(
            ctx,
            title,
            html! { h1 { (title) } p { (lang.pick(fr, en)) } },
        ),
    )
}

/// GET /co-leads/{token}: the invitation, with the button that accepts it, or the way to
/// sign in (or up) first.
pub async fn open(
    ctx: PageContext,
    MaybeUser(user): MaybeUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let invitation = match co_leads::invitation(&state.pool, &path).await? {
        Ok(invitation) => invitation,
        Err(refusal) => return Ok(refused(&ctx, refusal)),
    };
    let lang = ctx.lang;
    let here = format!("/co-leads/{}", path.as_str());
    let title = format!(
        "{} {}",
        lang.pick("Gérer l'organisation", "Manage the organisation"),
        invitation.organisation_name
    );
    let token = session::csrf_token(&session)?;
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Vous êtes invité·e à gérer cette organisation sur le service : ses autodiagnostics, leurs invitations et ses coalitions.",
            "You are invited to manage this organisation on the service: its self-diagnostics, their invitations and its coalitions."
        )) }
        @if let Some(user) = &user {
            p { (lang.pick("Vous êtes connecté·e en tant que", "You are signed in as")) " " strong { (user.name) } "." }
            form method="post" action={ (here) "/accept" } {
                (csrf(&token))
                button type="submit" { (lang.pick("Accepter et gérer l'organisation", "Accept and manage the organisation")) }
            }
        } @else {
            p { (lang.pick(
                "Connectez-vous pour accepter l'invitation. Sans compte, créez-en un, puis revenez par le lien reçu par e-mail.",
                "Sign in to accept the invitation. Without an account, create one, then come back through the link you received by email."
            )) }
            p.actions {
                a.button href={ "/signin?next=" (url_encode(&here)) } { (lang.pick("Se connecter", "Sign in")) }
                " "
                a href="/signup" { (lang.pick("Créer un compte", "Create an account")) }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// POST /co-leads/{token}/accept: the signed-in person becomes a lead, once.
pub async fn accept(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    match co_leads::accept(&state.pool, &state.writes, &path, &user.id).await? {
        Ok(organisation_id) => Ok(redirect(&format!("/organisations/{organisation_id}"))),
        Err(refusal) => Ok(refused(&ctx, refusal)),
    }
}

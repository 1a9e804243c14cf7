//! An organisation's side of joining a coalition: its lead chooses whether the organisation
//! appears in the public directory (the only place coalition managers find organisations
//! they do not lead), and accepts or declines the invitations coalition managers send. No
//! mail exists yet, so invitations wait on the lead's pages (their organisations, and each
//! invited organisation's page).

use crate::app::error::AppError;
use crate::db::{self, CoalitionInvitation};
use crate::domain::i18n::Lang;
use crate::web::AppState;
use crate::web::access;
use crate::web::lang::PageContext;
use crate::web::pages::coalition_manage::{actor_type_label, role_label};
use crate::web::pages::coalitions::localized;
use crate::web::session::{CheckedForm, User};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page, redirect};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// The invitations waiting for an answer, each with its two buttons.
pub fn invitations_section(lang: Lang, token: &str, invitations: &[CoalitionInvitation]) -> Markup {
    html! {
        @if !invitations.is_empty() {
            section aria-labelledby="invitations-coalitions" {
                h2 #invitations-coalitions { (lang.pick("Invitations à rejoindre une coalition", "Invitations to join a coalition")) " (" (invitations.len()) ")" }
                p { (lang.pick("Votre organisation devient membre seulement si vous acceptez. Membre, elle apparaît sur la page publique de la coalition.", "Your organisation becomes a member only if you accept. As a member, it appears on the coalition's public page.")) }
                ul {
                    @for i in invitations {
                        li {
                            a href={ "/coalitions/" (i.coalition_slug) } { (localized(lang, &i.coalition_name_fr, &i.coalition_name_en)) }
                            " — " (i.organisation_name) " : " (role_label(&i.role, lang))
                            " (" (actor_type_label(&i.actor_type, lang)) ", " (lang.pick("depuis le ", "from ")) (i.joined_on) ")"
                            @let base = format!("/organisations/{}/coalition-invitations/{}", i.organisation_id, i.id);
                            form.row-form method="post" action={ (base) "/accept" } {
                                (csrf(token))
                                button type="submit" { (lang.pick("Accepter", "Accept")) span.visually-hidden { " — " (localized(lang, &i.coalition_name_fr, &i.coalition_name_en)) } }
                            }
                            form.row-form method="post" action={ (base) "/decline" } {
                                (csrf(token))
                                button.secondary type="submit" { (lang.pick("Refuser", "Decline")) span.visually-hidden { " — " (localized(lang, &i.coalition_name_fr, &i.coalition_name_en)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The lead's choice to appear in the public directory.
pub fn directory_form(lang: Lang, token: &str, organisation_id: &str, listed: bool) -> Markup {
    html! {
        section aria-labelledby="annuaire" {
            h2 #annuaire { (lang.pick("Annuaire public", "Public directory")) }
            p {
                @if listed {
                    (lang.pick("L'organisation figure dans l'annuaire public : les porteurs des coalitions peuvent la trouver (nom, type, département) et l'inviter. Elle ne rejoint une coalition que si vous acceptez.", "The organisation is listed in the public directory: coalition leads can find it (name, type, département) and invite it. It joins a coalition only if you accept."))
                } @else {
                    (lang.pick("L'organisation ne figure pas dans l'annuaire public : seule l'équipe du programme la voit, et aucun porteur de coalition ne peut la trouver ni l'inviter.", "The organisation is not listed in the public directory: only the programme staff see it, and no coalition lead can find or invite it."))
                }
            }
            form method="post" action={ "/organisations/" (organisation_id) "/directory" } {
                (csrf(token))
                input type="hidden" name="listed" value=(if listed { "0" } else { "1" });
                button.secondary type="submit" {
                    (if listed { lang.pick("Retirer de l'annuaire public", "Remove from the public directory") } else { lang.pick("Figurer dans l'annuaire public", "Appear in the public directory") })
                }
            }
        }
    }
}

pub async fn set_directory(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let listed = form.value("listed") == "1";
    db::set_in_directory(&state.pool, &organisation.id, listed).await?;
    Ok(redirect(&format!(
        "/organisations/{}#annuaire",
        organisation.id
    )))
}

pub async fn accept(
    ctx: PageContext,
    user: User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    answer(ctx, user, state, path, true).await
}

pub async fn decline(
    ctx: PageContext,
    user: User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    answer(ctx, user, state, path, false).await
}

/// Only a lead of the invited organisation (or staff) answers; accepting makes the
/// membership the invitation proposed, in the same transaction.
async fn answer(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    accepted: bool,
) -> Result<HttpResponse, AppError> {
    let (organisation_id, invitation_id) = path.into_inner();
    let organisation = access::organisation(&state.pool, &user, &organisation_id).await?;
    let invitation = db::coalition_invitation(&state.pool, &invitation_id)
        .await?
        .filter(|i| i.organisation_id == organisation.id)
        .ok_or(AppError::NotFound)?;
    let now = db::now();
    let answered = {
        let _turn = state.writes.enter().await;
        let mut tx = state.pool.begin().await?;
        let answered = db::answer_coalition_invitation(
            &mut *tx,
            &invitation.id,
            if accepted { "accepted" } else { "declined" },
            &user.id,
            &now,
        )
        .await?;
        if answered && accepted {
            // `false` when the staff added it meanwhile: it is a member either way.
            db::insert_member(
                &mut *tx,
                &db::NewMember {
                    id: &db::new_id(),
                    coalition_id: &invitation.coalition_id,
                    organisation_id: &organisation.id,
                    actor_type: &invitation.actor_type,
                    role: &invitation.role,
                    joined_on: &invitation.joined_on,
                    created_at: &now,
                },
            )
            .await?;
        }
        tx.commit().await?;
        answered
    };
    if answered {
        return Ok(redirect(&if accepted {
            format!("/coalitions/{}/members", invitation.coalition_slug)
        } else {
            format!("/organisations/{}", organisation.id)
        }));
    }
    // Answered meanwhile (another lead, another tab): say so rather than pretend.
    let lang = ctx.lang;
    let title = lang.pick(
        "Cette invitation a déjà reçu une réponse",
        "This invitation was already answered",
    );
    let current = db::coalition_invitation(&state.pool, &invitation.id).await?;
    let body = html! {
        h1 { (title) }
        p {
            (lang.pick("Réponse enregistrée : ", "Answer recorded: "))
            strong { (match current.as_ref().map(|i| i.status.as_str()) {
                Some("accepted") => lang.pick("acceptée", "accepted"),
                Some("declined") => lang.pick("refusée", "declined"),
                _ => "—",
            }) }
            (lang.pick(". Votre réponse n'a rien changé.", ". Your answer changed nothing."))
        }
        p { a href={ "/organisations/" (organisation.id) } { "← " (organisation.name) } }
    };
    Ok(html_response(StatusCode::CONFLICT, page(&ctx, title, body)))
}

//! A coalition's members, for everyone: current and past members and how heterogeneous the
//! coalition is. Its porteurs, co-porteurs and the staff add members, change their role and
//! end their membership.
//!
//! An organisation joins a coalition only with its consent or the programme's: a manager
//! finds only the organisations listed in the public directory (and those they lead) and
//! invites them, and one of the organisation's leads accepts or declines; staff add members
//! directly.

use crate::app;
use crate::app::coalitions::{Actor, Added, Ending, left_on_field, role_field};
use crate::app::error::AppError;
use crate::db::{Coalition, Member};
use crate::domain::coalition::{ActorType, MemberForm, MemberRole, MemberToAdd};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::organisation::OrganisationKind;
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared::{back_to, heterogeneity};
use crate::web::session::{self, CheckedForm, User};
use crate::web::today;
use crate::web::ui::forms::{
    CONFIRM_FIELD, CONFIRMED, Confirmation, Input, choices, confirmation, csrf, error_summary,
    input, select,
};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::scroll_table;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use std::collections::HashMap;

pub async fn members(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, ctx.user.as_ref(), &path).await?;
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::OK,
        &MemberForm::default(),
        &FieldErrors::new(),
        &HashMap::new(),
    )
    .await
}

pub async fn add_member(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    let typed = MemberForm {
        organisation_id: form.value("organisation_id"),
        organisation_name: form.value("organisation_name"),
        organisation_kind: form.value("organisation_kind"),
        actor_type: form.value("actor_type"),
        role: form.value("role"),
        joined_on: form.value("joined_on"),
    };
    let actor = Actor {
        account_id: &user.id,
        is_staff: user.is_staff(),
    };
    let decided = match form.checked(MemberToAdd::try_from((&typed, today())), &[]) {
        Ok(member) => {
            app::coalitions::add_member(&state.pool, &state.writes, &coalition, actor, &member)
                .await?
        }
        Err(errors) => Err(errors),
    };
    match decided {
        Ok(Added::Member) => Ok(redirect(&format!("/coalitions/{}/members", coalition.slug))),
        Ok(Added::Invited) => Ok(redirect(&format!(
            "/coalitions/{}/members#invitations",
            coalition.slug
        ))),
        Err(errors) => {
            members_page(
                &ctx,
                &session,
                &state,
                &coalition,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &typed,
                &errors,
                &HashMap::new(),
            )
            .await
        }
    }
}

pub async fn change_role(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, member_id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let typed = form.value("role");
    let errors = match app::coalitions::change_role(
        &state.pool,
        &state.writes,
        &coalition,
        &member_id,
        &typed,
    )
    .await?
    {
        Ok(()) => return Ok(redirect(&format!("/coalitions/{}/members", coalition.slug))),
        Err(errors) => errors,
    };
    let typed_rows = HashMap::from([(role_field(&member_id), typed)]);
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::UNPROCESSABLE_ENTITY,
        &MemberForm::default(),
        &errors,
        &typed_rows,
    )
    .await
}

pub async fn end_membership(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, member_id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let typed = form.value("left_on");
    let key = left_on_field(&member_id);
    let errors = if let Some((fr, en)) = form.text_error("left_on", false) {
        app::coalitions::require_current_member(&state.pool, &coalition, &member_id).await?;
        let mut errors = FieldErrors::new();
        errors.add(&key, fr, en);
        errors
    } else {
        match app::coalitions::end_membership(
            &state.pool,
            &state.writes,
            &coalition,
            &member_id,
            &typed,
            today(),
            // Ending a membership cannot be undone from these pages: the first click (or a
            // direct POST) checks the rules, then only asks for confirmation.
            form.value(CONFIRM_FIELD) == CONFIRMED,
        )
        .await?
        {
            Ok(Ending::Ended) => {
                return Ok(redirect(&format!("/coalitions/{}/members", coalition.slug)));
            }
            Ok(Ending::ToConfirm(member)) => {
                return confirm_end(&ctx, &session, &coalition, &member, &form);
            }
            Err(errors) => errors,
        }
    };
    let typed_rows = HashMap::from([(key, typed)]);
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::UNPROCESSABLE_ENTITY,
        &MemberForm::default(),
        &errors,
        &typed_rows,
    )
    .await
}

/// The confirmation asked before a membership ends.
fn confirm_end(
    ctx: &PageContext,
    session: &Session,
    coalition: &Coalition,
    member: &Member,
    form: &CheckedForm,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let token = session::csrf_token(session)?;
    let title = format!(
        "{} — {}",
        lang.pick("Mettre fin à l'adhésion", "End the membership"),
        member.organisation_name
    );
    let left_on = form.value("left_on");
    let action = format!("/coalitions/{}/members/{}/end", coalition.slug, member.id);
    let cancel = format!("/coalitions/{}/members", coalition.slug);
    let body = html! {
        h1 { (title) }
        (confirmation(lang, &token, &Confirmation {
            what_happens: html! {
                p { (member.organisation_name) (lang.pick(" quitte la coalition ", " leaves the coalition ")) (coalition.name(lang))
                    @if left_on.trim().is_empty() { "." } @else { (lang.pick(" à la date du ", " on ")) (left_on.trim()) "." } }
                ul {
                    li { (lang.pick("Ses responsables perdent l'accès aux pages réservées aux membres (journal interne, mesures en cours).", "Its leads lose access to the pages kept among members (internal journal, measurements in progress).")) }
                    li { (lang.pick("Elle passe dans les anciens membres ; pour qu'elle revienne, il faudra l'inviter à nouveau.", "It moves to the past members; to bring it back, it must be invited again.")) }
                }
            },
            action: &action,
            fields: form.pairs(),
            confirm_label: lang.pick("Mettre fin à l'adhésion", "End the membership"),
            cancel_href: &cancel,
        }))
    };
    Ok(html_response(StatusCode::OK, page(ctx, &title, body)))
}

/// The members page. `errors` holds the add form's errors by field name, and a row form's
/// by its element id (`role-{member}`, `left_on-{member}`), whose typed value is in `rows`.
#[allow(clippy::too_many_arguments)]
async fn members_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    coalition: &Coalition,
    access: CoalitionAccess,
    status: StatusCode,
    add: &MemberForm,
    errors: &FieldErrors,
    rows: &HashMap<String, String>,
) -> Result<HttpResponse, AppError> {
    let manages = access.manages();
    let manager = ctx.user.as_ref().filter(|_| manages).map(|u| Actor {
        account_id: &u.id,
        is_staff: u.is_staff(),
    });
    let app::coalitions::Members {
        all,
        findable: organisations,
        invitations,
    } = app::coalitions::members(&state.pool, &coalition.id, manager).await?;
    let join_requests = app::join_requests::pending(&state.pool, &coalition.id, manages).await?;
    let token = match manages {
        true => Some(session::csrf_token(session)?),
        false => None,
    };
    let invites = !ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let lang = ctx.lang;
    let current: Vec<&Member> = all.iter().filter(|m| m.is_current()).collect();
    let past: Vec<&Member> = all.iter().filter(|m| !m.is_current()).collect();
    let name = coalition.name(lang);
    let title = format!("{} — {}", lang.pick("Les membres", "The members"), name);
    let roles: Vec<(&str, &str)> = MemberRole::ALL
        .iter()
        .map(|r| (r.code(), r.label(lang)))
        .collect();
    let actor_types: Vec<(&str, &str)> = ActorType::ALL
        .iter()
        .map(|t| (t.code(), t.label(lang)))
        .collect();
    let kinds: Vec<(&str, &str)> = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect();
    let member_ids: Vec<&str> = current.iter().map(|m| m.organisation_id.as_str()).collect();
    let candidates: Vec<(&str, &str)> = organisations
        .iter()
        .filter(|o| !member_ids.contains(&o.id.as_str()))
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    let add_labels = [
        (
            "organisation_id",
            lang.pick("Organisation inscrite", "Registered organisation"),
        ),
        (
            "organisation_name",
            lang.pick(
                "Nom de la nouvelle organisation",
                "Name of the new organisation",
            ),
        ),
        (
            "organisation_kind",
            lang.pick(
                "Type de la nouvelle organisation",
                "Kind of the new organisation",
            ),
        ),
        ("actor_type", lang.pick("Type d'acteur", "Actor type")),
        ("role", lang.pick("Rôle", "Role")),
        ("joined_on", lang.pick("Date d'arrivée", "Date joined")),
    ];
    let row_labels: Vec<(String, String)> = current
        .iter()
        .flat_map(|m| {
            [
                (
                    role_field(&m.id),
                    format!("{} — {}", m.organisation_name, lang.pick("rôle", "role")),
                ),
                (
                    left_on_field(&m.id),
                    format!(
                        "{} — {}",
                        m.organisation_name,
                        lang.pick("date de départ", "date left")
                    ),
                ),
            ]
        })
        .collect();
    let mut labels: Vec<(&str, &str)> = add_labels.to_vec();
    labels.extend(row_labels.iter().map(|(f, l)| (f.as_str(), l.as_str())));
    let body = html! {
        (back_to(lang, coalition))
        h1 { (title) }
        (heterogeneity(lang, &current))
        (error_summary(lang, errors, &labels))
        @if let Some(token) = &token { (join_requests_section(lang, coalition, &join_requests, token, &current)) }
        h2 #current-members { (lang.pick("Membres actuels", "Current members")) " (" (current.len()) ")" }
        @if current.is_empty() {
            p { (lang.pick("Aucun membre n'est encore enregistré.", "No member is recorded yet.")) }
        } @else {
            (scroll_table("current-members", html! { table {
                thead { tr {
                    th scope="col" { (lang.pick("Membre", "Member")) }
                    th scope="col" { (lang.pick("Type d'acteur", "Actor type")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Depuis le", "Since")) }
                    @if manages { th scope="col" { (lang.pick("Gérer", "Manage")) } }
                } }
                tbody {
                    @for m in &current {
                        tr {
                            th scope="row" { (m.organisation_name) }
                            td { (m.actor_type.label(lang)) }
                            td { (m.role.label(lang)) }
                            td { (lang.date(&m.joined_on)) }
                            @if let Some(token) = &token {
                                td { (row_forms(lang, coalition, m, token, &roles, errors, rows)) }
                            }
                        }
                    }
                }
            } }))
        }
        @if !past.is_empty() {
            h2 #past-members { (lang.pick("Anciens membres", "Past members")) " (" (past.len()) ")" }
            (scroll_table("past-members", html! { table {
                thead { tr {
                    th scope="col" { (lang.pick("Membre", "Member")) }
                    th scope="col" { (lang.pick("Type d'acteur", "Actor type")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Du", "From")) }
                    th scope="col" { (lang.pick("Au", "To")) }
                } }
                tbody {
                    @for m in &past {
                        tr {
                            th scope="row" { (m.organisation_name) }
                            td { (m.actor_type.label(lang)) }
                            td { (m.role.label(lang)) }
                            td { (lang.date(&m.joined_on)) }
                            td { (m.left_on.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            } }))
        }
        @if manages && !invitations.is_empty() {
            h2 #invitations { (lang.pick("Invitations en attente de réponse", "Invitations awaiting an answer")) " (" (invitations.len()) ")" }
            p { (lang.pick("Une organisation invitée devient membre quand l'un de ses responsables accepte, depuis ses pages.", "An invited organisation becomes a member when one of its leads accepts, from their pages.")) }
            (scroll_table("invitations", html! { table {
                thead { tr {
                    th scope="col" { "Organisation" }
                    th scope="col" { (lang.pick("Rôle proposé", "Role offered")) }
                    th scope="col" { (lang.pick("Invitée le", "Invited on")) }
                } }
                tbody { @for i in &invitations { tr {
                    th scope="row" { (i.organisation_name) }
                    td { (i.role.label(lang)) }
                    td { (lang.date(&i.invited_at)) }
                } } }
            } }))
        }
        @if let Some(token) = &token {
            section aria-labelledby="ajouter-membre" {
                h2 #ajouter-membre { (if invites { lang.pick("Inviter une organisation", "Invite an organisation") } else { lang.pick("Ajouter un membre", "Add a member") }) }
                @if invites {
                    p { (lang.pick("La liste ne montre que les organisations qui figurent dans l'annuaire public, et celles dont vous êtes responsable. Une organisation de l'annuaire reçoit une invitation : elle devient membre quand l'un de ses responsables l'accepte. Une organisation que vous inscrivez par son nom devient membre tout de suite.", "The list shows only the organisations listed in the public directory, and those you lead. An organisation from the directory receives an invitation: it becomes a member when one of its leads accepts it. An organisation you register by its name becomes a member at once.")) }
                }
                form method="post" action={ "/coalitions/" (coalition.slug) "/members" } novalidate {
                    (csrf(token))
                    fieldset {
                        legend { (lang.pick("L'organisation", "The organisation")) }
                        p.hint { (lang.pick("Choisissez une organisation inscrite, ou, si elle ne l'est pas, saisissez son nom et son type.", "Choose a registered organisation or, if it is not registered, type its name and kind.")) }
                        (select(lang, "organisation_id", add_labels[0].1, &candidates, &add.organisation_id, false, errors))
                        (input(lang, Input::text("organisation_name", add_labels[1].1, &add.organisation_name), errors))
                        (select(lang, "organisation_kind", add_labels[2].1, &kinds, &add.organisation_kind, false, errors))
                    }
                    (select(lang, "actor_type", add_labels[3].1, &actor_types, &add.actor_type, false, errors))
                    p.hint { (lang.pick("Laissé vide, le type d'acteur suit celui de l'organisation (une commune, une intercommunalité, un département ou une région est une collectivité).", "Left empty, the actor type follows the organisation's kind (a municipality, inter-municipal body, département or region is a local authority).")) }
                    (choices(lang, false, "role", add_labels[4].1, &roles, &[add.role.as_str()], errors))
                    (input(lang, Input::text("joined_on", add_labels[5].1, &add.joined_on).kind("date").required(), errors))
                    div.actions { button type="submit" { (if invites { lang.pick("Inviter ou ajouter", "Invite or add") } else { lang.pick("Ajouter le membre", "Add the member") }) } }
                }
            }
        }
    };
    Ok(html_response(status, page(ctx, &title, body)))
}

/// A current member's two small forms: change its role, end its membership.
fn row_forms(
    lang: Lang,
    coalition: &Coalition,
    m: &Member,
    token: &str,
    roles: &[(&str, &str)],
    errors: &FieldErrors,
    rows: &HashMap<String, String>,
) -> Markup {
    let role_id = role_field(&m.id);
    let left_id = left_on_field(&m.id);
    let role_value = rows
        .get(&role_id)
        .map(String::as_str)
        .unwrap_or(m.role.code());
    let left_value = rows.get(&left_id).map(String::as_str).unwrap_or("");
    let role_error = errors.message(&role_id, lang);
    let left_error = errors.message(&left_id, lang);
    html! {
        form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/members/" (m.id) "/role" } {
            (csrf(token))
            div.field.field-error[role_error.is_some()] {
                label for=(role_id) { (lang.pick("Nouveau rôle", "New role")) span.visually-hidden { " — " (m.organisation_name) } }
                @if let Some(e) = role_error { p.error-message id={ (role_id) "-error" } { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (e) } }
                select id=(role_id) name="role" aria-invalid=[role_error.map(|_| "true")] aria-describedby=[role_error.map(|_| format!("{role_id}-error"))] {
                    @for (value, text) in roles { option value=(value) selected[*value == role_value] { (text) } }
                }
            }
            button.secondary type="submit" { (lang.pick("Changer le rôle", "Change the role")) }
        }
        form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/members/" (m.id) "/end" } {
            (csrf(token))
            div.field.field-error[left_error.is_some()] {
                label for=(left_id) { (lang.pick("Date de départ", "Date left")) span.visually-hidden { " — " (m.organisation_name) } }
                @if let Some(e) = left_error { p.error-message id={ (left_id) "-error" } { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (e) } }
                input type="date" id=(left_id) name="left_on" value=(left_value) aria-invalid=[left_error.map(|_| "true")] aria-describedby=[left_error.map(|_| format!("{left_id}-error"))];
            }
            button.secondary type="submit" { (lang.pick("Mettre fin à l'adhésion…", "End the membership…")) }
        }
    }
}

/// The requests to join that wait for the porteurs' answer (only managers get any): accept
/// makes the organisation a member kept informed, decline leaves it out.
fn join_requests_section(
    lang: Lang,
    coalition: &Coalition,
    requests: &[crate::db::JoinRequest],
    token: &str,
    current: &[&Member],
) -> Markup {
    // Before a porteur, nobody else may join (see `may_join`): only declining is offered.
    let has_porteur = current.iter().any(|m| m.role == MemberRole::Porteur);
    html! {
        @if !requests.is_empty() {
            section #join-requests aria-labelledby="join-requests-title" {
                h2 #join-requests-title { (lang.pick("Demandes pour rejoindre la coalition", "Requests to join the coalition")) " (" (requests.len()) ")" }
                p.hint { (lang.pick(
                    "Ces organisations demandent à rejoindre la coalition depuis leurs résultats. Seuls les porteurs et co-porteurs voient ces demandes. Acceptée, une organisation devient membre « informé » : changez ensuite son rôle dans la liste.",
                    "These organisations ask to join the coalition from their results. Only the leads and co-leads see these requests. Once accepted, an organisation becomes a member « kept informed »: then change its role in the list."
                )) }
                ul {
                    @for r in requests {
                        li {
                            strong { (r.organisation_name) } " — " (lang.pick("demandé le ", "asked on ")) (r.requested_at.get(..10).unwrap_or(&r.requested_at))
                            @if has_porteur {
                                form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/join-requests/" (r.id) "/accept" } {
                                    (csrf(token))
                                    button type="submit" { (lang.pick("Accepter", "Accept")) span.visually-hidden { " — " (r.organisation_name) } }
                                }
                            }
                            form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/join-requests/" (r.id) "/decline" } {
                                (csrf(token))
                                button.secondary type="submit" { (lang.pick("Refuser", "Decline")) span.visually-hidden { " — " (r.organisation_name) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

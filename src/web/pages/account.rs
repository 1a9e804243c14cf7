//! The account page, `/account` (signing up is in [`super::sign_up`], signing in and out in
//! [`super::sign_in`]): the settings a person changes themselves (name, email
//! address, password, language of mails), their sessions, and their rights over their data
//! (download it all, delete the account).
//!
//! Each form posts to its own address; a refused one comes back on the same page with its
//! errors beside its fields and what was typed (passwords excepted: browsers and screen
//! readers should not be handed a password back), the other forms as they were.

use crate::app::account_settings::{
    self as use_case, Attempt, DeletionRefused, EmailChange, EmailChangeRefused, PasswordChange,
};
use crate::app::error::AppError;
use crate::db;
use crate::domain::field_errors::FieldErrors;
use crate::web::AppState;
use crate::web::client;
use crate::web::lang::PageContext;
use crate::web::limits::insert_retry_after;
use crate::web::session::{self, CheckedForm, SessionUser, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input, select};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

/// What the page shows in its forms: the values typed into the one refused, and its errors.
#[derive(Default)]
struct Typed {
    display_name: Option<String>,
    new_email: Option<String>,
    language: Option<String>,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// GET /account
pub async fn show(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let markup = account_page(
        &ctx,
        &session,
        &state,
        &user,
        &query.saved,
        Typed::default(),
    )
    .await?;
    Ok(html_response(StatusCode::OK, markup))
}

async fn account_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    user: &SessionUser,
    saved: &str,
    typed: Typed,
) -> Result<Markup, AppError> {
    let token = session::csrf_token(session)?;
    let email = db::account_email(&state.pool, &user.id)
        .await?
        .unwrap_or_default();
    let open = db::count_sessions_of_account(&state.pool, &user.id, &db::now()).await?;
    let lang = ctx.lang;
    let title = lang.pick("Mon compte", "My account");
    let days = session::SESSION_LIFETIME.whole_days();
    let errors = &typed.errors;
    let name_label = lang.pick("Votre nom", "Your name");
    let current_label = lang.pick("Mot de passe actuel", "Current password");
    let password_label = lang.pick("Nouveau mot de passe", "New password");
    let confirm_label = lang.pick(
        "Nouveau mot de passe, une seconde fois",
        "New password, once more",
    );
    let language = match &typed.language {
        Some(typed) => typed.clone(),
        None => db::account_language(&state.pool, &user.id)
            .await?
            .unwrap_or_default(),
    };
    let new_email_label = lang.pick("Nouvelle adresse e-mail", "New email address");
    let email_password_label = lang.pick("Votre mot de passe", "Your password");
    let language_label = lang.pick("Langue des e-mails", "Language of emails");
    let saved_notice = match saved {
        "email" => Some(lang.pick(
            "Un lien de confirmation est parti vers la nouvelle adresse : elle devient celle de votre compte quand vous le suivez. D'ici là, rien ne change.",
            "A confirmation link was sent to the new address: it becomes your account's when you follow it. Until then, nothing changes.",
        )),
        "language" => Some(lang.pick("La langue de vos e-mails est enregistrée.", "The language of your emails is saved.")),
        "name" => Some(lang.pick("Votre nom est enregistré.", "Your name is saved.")),
        "organisation-deleted" => Some(lang.pick(
            "L'organisation est supprimée, avec ses autodiagnostics et leurs réponses. Votre compte reste.",
            "The organisation is deleted, with its self-diagnostics and their responses. Your account stays.",
        )),
        "password" => Some(lang.pick(
            "Votre mot de passe est changé. Vos autres sessions sont fermées : ailleurs, il faudra vous reconnecter avec le nouveau.",
            "Your password is changed. Your other sessions are ended: elsewhere, sign in again with the new one.",
        )),
        _ => None,
    };
    Ok(page(
        ctx,
        title,
        html! {
            h1 { (title) }
            @if let Some(notice) = saved_notice { p.notice.success role="status" { (notice) } }
            (error_summary(lang, errors, &[("display_name", name_label), ("new_email", new_email_label), ("email_password", email_password_label), ("current_password", current_label), ("password", password_label), ("password_confirm", confirm_label), ("language", language_label)]))
            dl {
                dt { (lang.pick("Nom", "Name")) } dd { (user.name) }
                dt { (lang.pick("Adresse e-mail", "Email address")) } dd { (email) }
                dt { (lang.pick("Rôle", "Role")) }
                dd { (if user.is_staff() { lang.pick("équipe du programme", "programme staff") } else { lang.pick("responsable d'organisation", "organisation lead") }) }
                dt { (lang.pick("Sessions ouvertes", "Open sessions")) } dd { (open) }
            }
            h2 { (lang.pick("Nom", "Name")) }
            form method="post" action="/account/name" novalidate {
                (csrf(&token))
                (input(lang, Input::text("display_name", name_label, typed.display_name.as_deref().unwrap_or(&user.name)).autocomplete("name").required()
                    .hint(lang.pick("Montré aux membres des coalitions où vous agissez.", "Shown to the members of the coalitions you act in.")), errors))
                button type="submit" { (lang.pick("Enregistrer mon nom", "Save my name")) }
            }
            h2 { (lang.pick("Adresse e-mail", "Email address")) }
            form method="post" action="/account/email" novalidate {
                (csrf(&token))
                (input(lang, Input::text("new_email", new_email_label, typed.new_email.as_deref().unwrap_or("")).kind("email").autocomplete("email").required()
                    .hint(lang.pick("Nous y envoyons un lien : l'adresse change quand vous le suivez, et l'ancienne en est avertie.", "We send a link there: the address changes when you follow it, and the old one is told.")), errors))
                (input(lang, Input::text("email_password", email_password_label, "").kind("password").autocomplete("current-password").required(), errors))
                button type="submit" { (lang.pick("Changer mon adresse", "Change my address")) }
            }
            h2 { (lang.pick("Mot de passe", "Password")) }
            form method="post" action="/account/password" novalidate {
                (csrf(&token))
                (input(lang, Input::text("current_password", current_label, "").kind("password").autocomplete("current-password").required(), errors))
                (input(lang, Input::text("password", password_label, "").kind("password").autocomplete("new-password").required()
                    .hint(lang.pick("Au moins 12 caractères. Vos autres sessions seront fermées.", "At least 12 characters. Your other sessions will be ended.")), errors))
                (input(lang, Input::text("password_confirm", confirm_label, "").kind("password").autocomplete("new-password").required(), errors))
                button type="submit" { (lang.pick("Changer mon mot de passe", "Change my password")) }
            }
            h2 { (language_label) }
            form method="post" action="/account/language" novalidate {
                (csrf(&token))
                (select(lang, "language", language_label, &[("fr", "Français"), ("en", "English")], &language, true, errors))
                button type="submit" { (lang.pick("Enregistrer la langue", "Save the language")) }
            }
            h2 { ("Sessions") }
            p { (lang.pick(
                &format!("Une session dure au plus {days} jours. « Se déconnecter » ferme celle de cet appareil ; « Se déconnecter partout » ferme aussi celles de tous vos autres appareils et navigateurs, par exemple après avoir utilisé un ordinateur partagé."),
                &format!("A session lasts {days} days at most. “Sign out” ends this device's session; “Sign out everywhere” also ends those of all your other devices and browsers, for instance after using a shared computer."),
            )) }
            form method="post" action="/signout" {
                (csrf(&token))
                button type="submit" { (lang.pick("Se déconnecter", "Sign out")) }
            }
            form method="post" action="/signout/everywhere" {
                (csrf(&token))
                button type="submit" { (lang.pick("Se déconnecter partout", "Sign out everywhere")) }
            }
            h2 { (lang.pick("Vos données", "Your data")) }
            p { (lang.pick(
                "Tout ce que le service garde sur votre compte, dans un fichier JSON : votre compte, les organisations que vous dirigez, leurs coalitions, ce que vous y avez écrit, vos sessions.",
                "Everything the service keeps about your account, in a JSON file: your account, the organisations you lead, their coalitions, what you wrote there, your sessions."
            )) " " a href="/donnees-personnelles" { (lang.pick("Ce que nous gardons, et pourquoi", "What we keep, and why")) } }
            p { a.button.secondary href="/account/data.json" download="mes-donnees-reset-eval.json" { (lang.pick("Télécharger mes données", "Download my data")) } }
            p { a href="/account/delete" { (lang.pick("Supprimer mon compte", "Delete my account")) } }
        },
    ))
}

/// POST /account/name
pub async fn rename(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let typed = form.value("display_name");
    let outcome = match form.checked(Ok(()), &[]) {
        Ok(()) => use_case::rename(&state.pool, &state.writes, &user.id, &typed).await?,
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(_) => Ok(redirect("/account?saved=name")),
        Err(errors) => {
            let typed = Typed {
                display_name: Some(typed),
                errors,
                ..Typed::default()
            };
            let markup = account_page(&ctx, &session, &state, &user, "", typed).await?;
            Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, markup))
        }
    }
}

/// The answer to a form refused for its current password: 422, or 429 with `Retry-After`
/// once too many were wrong.
fn refused_response(markup: Markup, retry_in_minutes: Option<i64>) -> HttpResponse {
    match retry_in_minutes {
        Some(minutes) => {
            let mut response = html_response(StatusCode::TOO_MANY_REQUESTS, markup);
            insert_retry_after(&mut response, minutes);
            response
        }
        None => html_response(StatusCode::UNPROCESSABLE_ENTITY, markup),
    }
}

/// POST /account/password
pub async fn change_password(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let change = PasswordChange {
        current_password: form.value("current_password"),
        password: form.value("password"),
        password_confirm: form.value("password_confirm"),
    };
    let client = client::of_request(&req);
    let attempt = Attempt {
        secret: state.session_key.master(),
        client: &client,
    };
    match use_case::change_password(&state.pool, &state.writes, &user.id, &change, attempt).await? {
        Ok(()) => {
            // Every session of the account ended with the change: this one goes on, anew.
            session::sign_in(&state, &session, &user).await?;
            Ok(redirect("/account?saved=password"))
        }
        Err(refused) => {
            let typed = Typed {
                errors: refused.errors,
                ..Typed::default()
            };
            let markup = account_page(&ctx, &session, &state, &user, "", typed).await?;
            Ok(refused_response(markup, refused.retry_in_minutes))
        }
    }
}

/// POST /account/email: mails a confirmation link to the new address.
pub async fn request_email_change(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let change = EmailChange {
        new_email: form.value("new_email"),
        current_password: form.value("email_password"),
    };
    let client = client::of_request(&req);
    let attempt = Attempt {
        secret: state.session_key.master(),
        client: &client,
    };
    let outcome = match form.checked(Ok(()), &[]) {
        Ok(()) => {
            use_case::request_email_change(
                &state.pool,
                &state.writes,
                &state.mailer,
                &user.id,
                &change,
                attempt,
            )
            .await?
        }
        Err(errors) => Err(errors.into()),
    };
    match outcome {
        Ok(_) => Ok(redirect("/account?saved=email")),
        Err(refused) => {
            // The password field of this form has its own name: the page has another
            // `current_password`, the password form's.
            let mut errors = FieldErrors::new();
            for (field, message) in refused.errors.fields() {
                let field = if field == "current_password" {
                    "email_password"
                } else {
                    field
                };
                errors.add(field, message.fr.clone(), message.en.clone());
            }
            let typed = Typed {
                new_email: Some(change.new_email),
                errors,
                ..Typed::default()
            };
            let markup = account_page(&ctx, &session, &state, &user, "", typed).await?;
            Ok(refused_response(markup, refused.retry_in_minutes))
        }
    }
}

/// POST /account/language
pub async fn set_language(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let typed = form.value("language");
    match use_case::set_language(&state.pool, &state.writes, &user.id, &typed).await? {
        Ok(_) => Ok(redirect("/account?saved=language")),
        Err(errors) => {
            let typed = Typed {
                language: Some(typed),
                errors,
                ..Typed::default()
            };
            let markup = account_page(&ctx, &session, &state, &user, "", typed).await?;
            Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, markup))
        }
    }
}

/// The page of a confirmation link that is unknown, expired or used.
fn invalid_link_page(ctx: &PageContext) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick("Ce lien ne fonctionne plus", "This link no longer works");
    html_response(
        StatusCode::NOT_FOUND,
        page(
            ctx,
            title,
            html! {
                h1 { (title) }
                p { (lang.pick(
                    "Ce lien de confirmation est inconnu, a expiré ou a déjà servi : l'adresse de votre compte n'a pas changé. Vous pouvez demander un nouveau lien depuis votre compte.",
                    "This confirmation link is unknown, has expired or was already used: your account's address did not change. You may ask for a new link from your account."
                )) }
                p { a href="/account" { (lang.pick("Mon compte", "My account")) } }
            },
        ),
    )
}

/// GET /account/email/confirm/{secret}: a button, so that a mail scanner following the link
/// changes nothing.
pub async fn confirm_email_form(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    secret: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(change) = use_case::email_change_to_confirm(&state.pool, &secret).await? else {
        return Ok(invalid_link_page(&ctx));
    };
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick(
        "Confirmer votre nouvelle adresse",
        "Confirm your new address",
    );
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick("L'adresse de votre compte deviendra ", "Your account's address will become ")) strong { (change.new_email) } "." }
            form method="post" action={ "/account/email/confirm/" (secret.as_str()) } {
                (csrf(&token))
                button type="submit" { (lang.pick("Confirmer", "Confirm")) }
            }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// POST /account/email/confirm/{secret}
pub async fn confirm_email(
    ctx: PageContext,
    state: web::Data<AppState>,
    secret: web::Path<String>,
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let contact = match state.operator.email.trim() {
        "" => state.mailer.link("/mentions-legales"),
        email => email.to_owned(),
    };
    let lang = ctx.lang;
    match use_case::confirm_email_change(
        &state.pool,
        &state.writes,
        &state.mailer,
        &secret,
        &contact,
    )
    .await?
    {
        Ok(email) => {
            let title = lang.pick("Adresse changée", "Address changed");
            let markup = page(
                &ctx,
                title,
                html! {
                    h1 { (title) }
                    p.notice.success role="status" { (lang.pick("Votre compte a désormais l'adresse ", "Your account's address is now ")) strong { (email) } (lang.pick(". L'ancienne adresse en est avertie.", ". The old address is told.")) }
                    p { a href="/account" { (lang.pick("Mon compte", "My account")) } }
                },
            );
            Ok(html_response(StatusCode::OK, markup))
        }
        Err(EmailChangeRefused::InvalidLink) => Ok(invalid_link_page(&ctx)),
        Err(EmailChangeRefused::Taken) => {
            let title = lang.pick("Adresse déjà prise", "Address already taken");
            let markup = page(
                &ctx,
                title,
                html! {
                    h1 { (title) }
                    p { (lang.pick(
                        "Un autre compte a pris cette adresse depuis votre demande : l'adresse de votre compte n'a pas changé.",
                        "Another account took this address since your request: your account's address did not change."
                    )) }
                    p { a href="/account" { (lang.pick("Mon compte", "My account")) } }
                },
            );
            Ok(html_response(StatusCode::CONFLICT, markup))
        }
    }
}

/// GET /account/data.json: « télécharger mes données ».
pub async fn download_data(
    state: web::Data<AppState>,
    User(user): User,
) -> Result<HttpResponse, AppError> {
    let data = use_case::data(&state.pool, &user.id).await?;
    let body = serde_json::to_string_pretty(&data)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("account data: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"mes-donnees-reset-eval.json\"",
        ))
        .body(body))
}

/// GET /account/delete: says what becomes of each organisation first, then asks the password.
pub async fn delete_form(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
) -> Result<HttpResponse, AppError> {
    let markup = delete_page(&ctx, &session, &state, &user, &FieldErrors::new()).await?;
    Ok(html_response(StatusCode::OK, markup))
}

async fn delete_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    user: &SessionUser,
    errors: &FieldErrors,
) -> Result<Markup, AppError> {
    let token = session::csrf_token(session)?;
    let lang = ctx.lang;
    let plan = use_case::deletion_plan(&state.pool, &user.id).await?;
    let sole: Vec<&db::LedOrganisation> = plan.iter().filter(|o| o.other_leads == 0).collect();
    let title = lang.pick("Supprimer mon compte", "Delete my account");
    let password_label = lang.pick("Votre mot de passe", "Your password");
    Ok(page(
        ctx,
        title,
        html! {
            h1 { (title) }
            (error_summary(lang, errors, &[("password", password_label), ("organisations", "Organisations")]))
            h2 { (lang.pick("Ce que deviennent vos organisations", "What becomes of your organisations")) }
            @if plan.is_empty() {
                p { (lang.pick("Vous ne dirigez aucune organisation.", "You lead no organisation.")) }
            } @else {
                ul #organisations {
                    @for o in &plan {
                        li {
                            a href={ "/organisations/" (o.id) } { (o.name) } " — "
                            @if o.other_leads == 0 {
                                strong { (lang.pick(
                                    "vous en êtes le ou la seule responsable : confiez-la d'abord à une autre personne, ou supprimez-la.",
                                    "you are its only lead: first hand it over to someone else, or delete it."
                                )) }
                                " "
                                a href={ "/organisations/" (o.id) "/leads" } { (lang.pick("La confier", "Hand it over")) }
                                " · "
                                a href={ "/organisations/" (o.id) "/delete" } { (lang.pick("La supprimer", "Delete it")) }
                            } @else {
                                (lang.pick(
                                    &format!("elle reste, avec ses autodiagnostics, dirigée par {} autre(s) responsable(s).", o.other_leads),
                                    &format!("it stays, with its self-diagnostics, led by {} other lead(s).", o.other_leads),
                                ))
                            }
                        }
                    }
                }
            }
            h2 { (lang.pick("Ce qui reste, et ce qui part", "What stays, and what goes")) }
            ul {
                li { (lang.pick(
                    "Votre nom, votre adresse e-mail, votre mot de passe et vos sessions sont effacés ; vous êtes déconnecté·e partout.",
                    "Your name, email address, password and sessions are erased; you are signed out everywhere."
                )) }
                li { (lang.pick(
                    "Ce que vous avez écrit dans les coalitions (mesures, entrées du journal, actions, productions) reste, attribué à « compte supprimé ».",
                    "What you wrote in coalitions (measurements, journal entries, actions, productions) stays, attributed to « deleted account »."
                )) }
                li { (lang.pick(
                    "Pensez à télécharger vos données avant : la suppression est définitive.",
                    "Consider downloading your data first: deletion is final."
                )) " " a href="/account/data.json" { (lang.pick("Télécharger mes données", "Download my data")) } }
            }
            @if sole.is_empty() {
                form method="post" action="/account/delete" novalidate {
                    (csrf(&token))
                    (input(lang, Input::text("password", password_label, "").kind("password").autocomplete("current-password").required()
                        .hint(lang.pick("Pour confirmer que c'est bien vous.", "To confirm that it is you.")), errors))
                    button type="submit" { (lang.pick("Supprimer définitivement mon compte", "Delete my account for good")) }
                }
            } @else {
                p.notice { (lang.pick(
                    "Votre compte ne peut pas encore être supprimé : une organisation ne doit pas rester sans responsable.",
                    "Your account cannot be deleted yet: an organisation must not be left without a lead."
                )) }
            }
            p { a href="/account" { (lang.pick("Retour à mon compte", "Back to my account")) } }
        },
    ))
}

/// POST /account/delete
pub async fn delete(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let password = form.value("password");
    let client = client::of_request(&req);
    let attempt = Attempt {
        secret: state.session_key.master(),
        client: &client,
    };
    match use_case::delete(&state.pool, &state.writes, &user.id, &password, attempt).await? {
        Ok(()) => {
            session.purge();
            Ok(redirect("/account/deleted"))
        }
        Err(refused) => {
            let mut errors = FieldErrors::new();
            let mut retry_in_minutes = None;
            let status = match refused {
                DeletionRefused::WrongPassword => {
                    errors.add(
                        "password",
                        "Ce n'est pas votre mot de passe : votre compte n'est pas supprimé.",
                        "This is not your password: your account is not deleted.",
                    );
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                DeletionRefused::TooManyGuesses(minutes) => {
                    errors.add(
                        "password",
                        format!("Trop de mots de passe erronés ces dernières minutes. Par sécurité, réessayez dans {minutes} minute(s) : votre compte n'est pas supprimé."),
                        format!("Too many wrong passwords in the last minutes. For safety, try again in {minutes} minute(s): your account is not deleted."),
                    );
                    retry_in_minutes = Some(minutes);
                    StatusCode::TOO_MANY_REQUESTS
                }
                DeletionRefused::SoleLead(names) => {
                    let names = names.join(", ");
                    errors.add(
                        "organisations",
                        format!("Vous êtes le ou la seule responsable de : {names}. Confiez-la d'abord à une autre personne, ou supprimez-la : votre compte n'est pas supprimé."),
                        format!("You are the only lead of: {names}. First hand it over to someone else, or delete it: your account is not deleted."),
                    );
                    StatusCode::CONFLICT
                }
            };
            let markup = delete_page(&ctx, &session, &state, &user, &errors).await?;
            let mut response = html_response(status, markup);
            if let Some(minutes) = retry_in_minutes {
                insert_retry_after(&mut response, minutes);
            }
            Ok(response)
        }
    }
}

/// GET /account/deleted: said once the account is gone.
pub async fn deleted(ctx: PageContext) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let title = lang.pick("Compte supprimé", "Account deleted");
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Votre compte est supprimé, et vous êtes déconnecté·e partout. Ce que vous aviez écrit dans les coalitions reste, attribué à « compte supprimé ».",
                "Your account is deleted, and you are signed out everywhere. What you wrote in coalitions stays, attributed to « deleted account »."
            )) }
            p { a href="/" { (lang.pick("Retour à l'accueil", "Back to home")) } }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

//! A forgotten password: the form that mails a one-time link (`/password/forgot`), and the
//! link's page that sets a new one (`/password/reset/{token}`), signs the person in and ends
//! their other sessions. The answer to a request never says whether the address has an
//! account; requests are limited per address and per client like sign-ins. The use cases
//! are in `crate::app::accounts`.

use crate::app::accounts::{self, LinkState, ResetRequest, Services};
use crate::app::error::AppError;
use crate::domain::account::{self, NewPasswordForm};
use crate::domain::field_errors::FieldErrors;
use crate::web::AppState;
use crate::web::client;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, SessionUser};
use crate::web::ui::forms::{Input, csrf, error_summary, input};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

fn email_label(ctx: &PageContext) -> &'static str {
    ctx.lang.pick("Adresse e-mail", "Email address")
}

/// GET /password/forgot
pub async fn forgot_form(ctx: PageContext, session: Session) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        forgot_page(&ctx, &token, "", &FieldErrors::new()),
    ))
}

/// POST /password/forgot: the same answer for every well-formed address.
pub async fn forgot(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let typed = checked.value("email");
    let token = session::csrf_token(&session)?;
    let email = match account::parse_email(&typed) {
        Ok(email) => email,
        Err((fr, en)) => {
            let mut errors = FieldErrors::new();
            errors.add("email", fr, en);
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                forgot_page(&ctx, &token, &typed, &errors),
            ));
        }
    };
    let email_key =
        account::keyed_hash(state.session_key.master(), "password reset: email", &email);
    let services = Services {
        pool: &state.pool,
        writes: &state.writes,
        mailer: &state.mailer,
    };
    let client = client::of_request(&req);
    match accounts::request_password_reset(&services, &email, &email_key, &client).await? {
        ResetRequest::Recorded => Ok(redirect("/password/forgot/sent")),
        ResetRequest::TooMany { minutes } => {
            let mut errors = FieldErrors::new();
            errors.add(
                "email",
                format!("Plusieurs liens ont déjà été demandés pour cette adresse ou depuis votre connexion. Par sécurité, attendez {minutes} minutes avant d'en demander un autre ; le dernier lien reçu reste valable."),
                format!("Several links were already asked for this address or from your connection. For safety, wait {minutes} minutes before asking for another; the last link received still works."),
            );
            let mut response = html_response(
                StatusCode::TOO_MANY_REQUESTS,
                forgot_page(&ctx, &token, &typed, &errors),
            );
            crate::web::limits::insert_retry_after(&mut response, minutes);
            Ok(response)
        }
    }
}

fn forgot_page(ctx: &PageContext, token: &str, typed: &str, errors: &FieldErrors) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Mot de passe oublié", "Forgotten password");
    let label = email_label(ctx);
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Indiquez l'adresse e-mail de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.",
                "Enter your account's email address: we will send it a link to choose a new password.",
            )) }
            (error_summary(lang, errors, &[("email", label)]))
            form method="post" action="/password/forgot" novalidate {
                (csrf(token))
                (input(lang, Input::text("email", label, typed).kind("email").autocomplete("email").required(), errors))
                button type="submit" { (lang.pick("Recevoir un lien", "Send me a link")) }
            }
            p { a href="/signin" { (lang.pick("Retour à la connexion", "Back to sign-in")) } }
        },
    )
}

/// GET /password/forgot/sent: the same page whether the address has an account or not.
pub async fn forgot_sent(ctx: PageContext) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let title = lang.pick("Vérifiez votre messagerie", "Check your mailbox");
    let minutes = account::PASSWORD_RESET_VALID_MINUTES;
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                &format!("Si un compte existe pour cette adresse, nous venons d'y envoyer un lien pour choisir un nouveau mot de passe. Il sert une seule fois et reste valable {minutes} minutes."),
                &format!("If an account exists for this address, we have just sent it a link to choose a new password. It works once and for {minutes} minutes."),
            )) }
            p { (lang.pick(
                "Rien reçu après quelques minutes ? Regardez dans les courriers indésirables, ou vérifiez l'adresse et ",
                "Nothing after a few minutes? Look in your spam folder, or check the address and ",
            )) a href="/password/forgot" { (lang.pick("demandez un nouveau lien", "ask for a new link")) } "." }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// GET /password/reset/{token}: the new password's form, or why the link no longer works.
pub async fn reset_form(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if accounts::reset_link_state(&state.pool, &token).await? == LinkState::Spent {
        return Ok(spent_link_page(&ctx));
    }
    let csrf_token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        reset_page(&ctx, &csrf_token, &token, &FieldErrors::new()),
    ))
}

/// POST /password/reset/{token}: sets the password, ends every other session, signs in.
pub async fn reset(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
    checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let form = NewPasswordForm {
        password: checked.value("password"),
        password_confirm: checked.value("password_confirm"),
    };
    let password = match form.checked() {
        Ok(password) => password,
        Err(errors) => {
            let csrf_token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                reset_page(&ctx, &csrf_token, &token, &errors),
            ));
        }
    };
    let services = Services {
        pool: &state.pool,
        writes: &state.writes,
        mailer: &state.mailer,
    };
    match accounts::reset_password(&services, &token, password).await? {
        Some(account) => {
            // The session of this browser too was ended with the others: a new one starts.
            session::sign_in(
                &state,
                &session,
                &SessionUser {
                    id: account.id,
                    name: account.display_name,
                    role: account.role,
                },
            )
            .await?;
            Ok(redirect("/organisations"))
        }
        None => Ok(spent_link_page(&ctx)),
    }
}

fn reset_page(ctx: &PageContext, csrf_token: &str, token: &str, errors: &FieldErrors) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Choisir un nouveau mot de passe", "Choose a new password");
    let password_label = lang.pick("Nouveau mot de passe", "New password");
    let confirm_label = lang.pick(
        "Nouveau mot de passe, une seconde fois",
        "New password, once more",
    );
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Une fois ce mot de passe enregistré, vous serez connecté ici et vos autres sessions seront fermées.",
                "Once this password is saved, you will be signed in here and your other sessions will be ended.",
            )) }
            (error_summary(lang, errors, &[("password", password_label), ("password_confirm", confirm_label)]))
            form method="post" action=(format!("/password/reset/{token}")) novalidate {
                (csrf(csrf_token))
                (input(lang, Input::text("password", password_label, "").kind("password").autocomplete("new-password").required()
                    .hint(lang.pick("Au moins 12 caractères. Une phrase de quelques mots convient très bien.", "At least 12 characters. A phrase of a few words works well.")), errors))
                (input(lang, Input::text("password_confirm", confirm_label, "").kind("password").autocomplete("new-password").required(), errors))
                button type="submit" { (lang.pick("Enregistrer le mot de passe", "Save the password")) }
            }
        },
    )
}

/// A used or expired reset link: ask for a new one.
fn spent_link_page(ctx: &PageContext) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick(
        "Ce lien a déjà servi ou a expiré",
        "This link was already used or has expired",
    );
    let minutes = account::PASSWORD_RESET_VALID_MINUTES;
    let markup = page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                &format!("Un lien pour choisir un mot de passe sert une seule fois et reste valable {minutes} minutes. Demandez-en un nouveau : il arrivera dans quelques instants."),
                &format!("A link to choose a password works once and for {minutes} minutes. Ask for a new one: it will arrive in a few moments."),
            )) }
            p { a href="/password/forgot" { (lang.pick("Recevoir un nouveau lien", "Send me a new link")) } }
        },
    );
    html_response(StatusCode::GONE, markup)
}

//! Signing in and out. Failed sign-ins are counted in the database per client address and
//! per (keyed hash of the) email, so the limits hold on every instance; what is counted keeps
//! no typed text and is purged after a day.

use crate::app::error::AppError;
use crate::db;
use crate::domain::account::{self, SignInForm};
use crate::domain::field_errors::FieldErrors;
use crate::web::AppState;
use crate::web::client;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self, MaybeUser, SessionUser, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn sign_in_form(
    ctx: PageContext,
    session: Session,
    query: web::Query<NextQuery>,
    user: MaybeUser,
) -> Result<HttpResponse, AppError> {
    if user.0.is_some() {
        return Ok(redirect(account::safe_next(&query.next)));
    }
    let token = session::csrf_token(&session)?;
    let form = SignInForm {
        next: query.next.clone(),
        ..Default::default()
    };
    Ok(html_response(
        StatusCode::OK,
        sign_in_page(&ctx, &token, &form, &FieldErrors::new()),
    ))
}

pub async fn sign_in(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let form = SignInForm {
        email: form.get("email").cloned().unwrap_or_default(),
        password: form.get("password").cloned().unwrap_or_default(),
        next: form.get("next").cloned().unwrap_or_default(),
    };
    let token = session::csrf_token(&session)?;
    let email = form.email.trim().to_lowercase();
    // Attempts are counted by a keyed hash of the email: the table never holds what was
    // typed (sometimes a password, in the wrong field).
    let email_key = account::attempt_email_key(state.session_key.master(), &form.email);
    let client = client::of_request(&req);

    let now = time::OffsetDateTime::now_utc();
    db::purge_sign_in_attempts_before(
        &state.pool,
        &db::timestamp(now - time::Duration::hours(account::ATTEMPTS_KEPT_HOURS)),
    )
    .await?;
    let since = db::timestamp(now - time::Duration::minutes(account::FAILED_WINDOW_MINUTES));
    let (by_email, by_client) =
        db::failed_sign_ins_since(&state.pool, &email_key, &client, &since).await?;
    if by_email >= account::MAX_FAILED_PER_EMAIL || by_client >= account::MAX_FAILED_PER_CLIENT {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            format!("Trop de tentatives de connexion ont échoué. Par sécurité, attendez {} minutes avant de réessayer.", account::FAILED_WINDOW_MINUTES),
            format!("Too many sign-in attempts failed. For safety, wait {} minutes before trying again.", account::FAILED_WINDOW_MINUTES),
        );
        return Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            sign_in_page(&ctx, &token, &form, &errors),
        ));
    }

    let account = db::account_by_email(&state.pool, &email).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| account::dummy_hash().to_owned());
    let password = form.password.clone();
    let valid = web::block(move || account::verify_password(&hash, &password)).await?;
    db::record_sign_in_attempt(&state.pool, &email_key, &client, valid && account.is_some())
        .await?;
    match account {
        Some(account) if valid => {
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
            Ok(redirect(account::safe_next(&form.next)))
        }
        _ => {
            let mut errors = FieldErrors::new();
            errors.add(
                "email",
                "Adresse e-mail ou mot de passe incorrect.",
                "Wrong email address or password.",
            );
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                sign_in_page(&ctx, &token, &form, &errors),
            ))
        }
    }
}

fn sign_in_page(ctx: &PageContext, token: &str, form: &SignInForm, errors: &FieldErrors) -> Markup {
    let lang = ctx.lang;
    let email_label = lang.pick("Adresse e-mail", "Email address");
    let password_label = lang.pick("Mot de passe", "Password");
    let title = lang.pick("Se connecter", "Sign in");
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            (error_summary(lang, errors, &[("email", email_label), ("password", password_label)]))
            form method="post" action="/signin" novalidate {
                (csrf(token))
                input type="hidden" name="next" value=(form.next);
                (input(lang, Input::text("email", email_label, &form.email).kind("email").autocomplete("email").required(), errors))
                (input(lang, Input::text("password", password_label, "").kind("password").autocomplete("current-password").required(), errors))
                button type="submit" { (title) }
            }
            p { a href="/password/forgot" { (lang.pick("Mot de passe oublié ?", "Forgot your password?")) } }
            p { (lang.pick("Pas encore de compte ?", "No account yet?")) " " a href="/signup" { (lang.pick("Créer un compte", "Create an account")) } }
        },
    )
}

pub async fn sign_out(
    session: Session,
    state: web::Data<AppState>,
    // Checked for its CSRF token; the handler needs no field of it.
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    session::sign_out(&state, &session).await?;
    Ok(redirect("/"))
}

/// POST /signout/everywhere: ends every session of the account, this one included.
pub async fn sign_out_everywhere(
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    session::sign_out_everywhere(&state, &session, &user.id).await?;
    Ok(redirect("/"))
}

//! Signing up, in and out. Sign-up makes an organisation lead; staff accounts are made with
//! `reset-eval admin create`. Failed sign-ins are counted in the database and slow down
//! guessing on every instance.

use crate::auth::{self, NewAccount, SignInForm, SignUpForm};
use crate::database;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::web::AppState;
use crate::web::forms::{Input, csrf, error_summary, input};
use crate::web::lang::PageContext;
use crate::web::layout::{html_response, page, redirect};
use crate::web::session::CheckedForm;
use crate::web::session::{self, MaybeUser, SessionUser};
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

pub async fn sign_up_form(ctx: PageContext, session: Session) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        sign_up_page(&ctx, &token, &SignUpForm::default(), &FieldErrors::new()),
    ))
}

pub async fn sign_up(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let form = SignUpForm {
        display_name: checked.value("display_name"),
        email: checked.value("email"),
        password: checked.value("password"),
        password_confirm: checked.value("password_confirm"),
    };
    let token = session::csrf_token(&session)?;
    let new = match checked.checked(NewAccount::try_from(&form), &[]) {
        Ok(new) => new,
        Err(errors) => {
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                sign_up_page(&ctx, &token, &form, &errors),
            ));
        }
    };
    if database::account_by_email(&state.pool, &new.email)
        .await?
        .is_some()
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            "Un compte existe déjà avec cette adresse : connectez-vous.",
            "An account already exists with this address: sign in.",
        );
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            sign_up_page(&ctx, &token, &form, &errors),
        ));
    }
    let password = new.password.clone();
    let password_hash = web::block(move || auth::hash_password(&password)).await??;
    let account = database::Account {
        id: database::new_id(),
        email: new.email,
        display_name: new.display_name,
        password_hash,
        role: auth::ROLE_LEAD.to_owned(),
    };
    database::insert_account(&state.pool, &account, &database::now()).await?;
    session::sign_in(
        &session,
        &SessionUser {
            id: account.id,
            name: account.display_name,
            role: account.role,
        },
    )?;
    Ok(redirect("/organisations/new"))
}

fn sign_up_page(ctx: &PageContext, token: &str, form: &SignUpForm, errors: &FieldErrors) -> Markup {
    let lang = ctx.lang;
    let name_label = lang.pick("Votre nom", "Your name");
    let email_label = lang.pick("Adresse e-mail", "Email address");
    let password_label = lang.pick("Mot de passe", "Password");
    let confirm_label = lang.pick("Mot de passe, une seconde fois", "Password, once more");
    let title = lang.pick("Créer un compte", "Create an account");
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Un compte vous permet d'inscrire votre organisation ou votre territoire, d'ouvrir un autodiagnostic, d'inviter vos collègues et de lire vos résultats.",
                "An account lets you register your organisation or territory, open a self-diagnostic, invite your colleagues and read your results."
            )) }
            (error_summary(lang, errors, &[("display_name", name_label), ("email", email_label), ("password", password_label), ("password_confirm", confirm_label)]))
            form method="post" action="/signup" novalidate {
                (csrf(token))
                (input(lang, Input::text("display_name", name_label, &form.display_name).autocomplete("name").required(), errors))
                (input(lang, Input::text("email", email_label, &form.email).kind("email").autocomplete("email").required(), errors))
                (input(lang, Input::text("password", password_label, "").kind("password").autocomplete("new-password").required()
                    .hint(lang.pick("Au moins 12 caractères. Une phrase de quelques mots convient très bien.", "At least 12 characters. A phrase of a few words works well.")), errors))
                (input(lang, Input::text("password_confirm", confirm_label, "").kind("password").autocomplete("new-password").required(), errors))
                button type="submit" { (lang.pick("Créer mon compte", "Create my account")) }
            }
            p { (lang.pick("Déjà un compte ?", "Already have an account?")) " " a href="/signin" { (lang.pick("Se connecter", "Sign in")) } }
        },
    )
}

pub async fn sign_in_form(
    ctx: PageContext,
    session: Session,
    query: web::Query<NextQuery>,
    user: MaybeUser,
) -> Result<HttpResponse, AppError> {
    if user.0.is_some() {
        return Ok(redirect(auth::safe_next(&query.next)));
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
    let client = req
        .connection_info()
        .realip_remote_addr()
        .unwrap_or("unknown")
        .to_owned();

    let since = crate::database::timestamp(
        time::OffsetDateTime::now_utc() - time::Duration::minutes(auth::FAILED_WINDOW_MINUTES),
    );
    let (by_email, by_client) =
        database::failed_sign_ins_since(&state.pool, &email, &client, &since).await?;
    if by_email >= auth::MAX_FAILED_PER_EMAIL || by_client >= auth::MAX_FAILED_PER_CLIENT {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            format!("Trop de tentatives de connexion ont échoué. Par sécurité, attendez {} minutes avant de réessayer.", auth::FAILED_WINDOW_MINUTES),
            format!("Too many sign-in attempts failed. For safety, wait {} minutes before trying again.", auth::FAILED_WINDOW_MINUTES),
        );
        return Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            sign_in_page(&ctx, &token, &form, &errors),
        ));
    }

    let account = database::account_by_email(&state.pool, &email).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_owned());
    let password = form.password.clone();
    let valid = web::block(move || auth::verify_password(&hash, &password)).await?;
    database::record_sign_in_attempt(&state.pool, &email, &client, valid && account.is_some())
        .await?;
    match account {
        Some(account) if valid => {
            session::sign_in(
                &session,
                &SessionUser {
                    id: account.id,
                    name: account.display_name,
                    role: account.role,
                },
            )?;
            Ok(redirect(auth::safe_next(&form.next)))
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
            p { (lang.pick("Pas encore de compte ?", "No account yet?")) " " a href="/signup" { (lang.pick("Créer un compte", "Create an account")) } }
        },
    )
}

pub async fn sign_out(
    session: Session,
    // Checked for its CSRF token; the handler needs no field of it.
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    session::sign_out(&session);
    Ok(redirect("/"))
}

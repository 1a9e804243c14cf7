//! Signing up: the form, and the account it makes, an organisation lead (staff accounts are
//! made with `reset-eval admin create`). Sign-ups are counted in the database per client
//! address (see `web::client`), so the limit holds on every instance; what is counted keeps
//! no typed text and is purged after a day.

use crate::app::error::AppError;
use crate::db;
use crate::domain::account::{self, NewAccount, SignUpForm};
use crate::domain::field_errors::FieldErrors;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self, SessionUser};
use crate::web::ui::forms::{Input, csrf, error_summary, input};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::{client, limits};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

pub async fn sign_up_form(ctx: PageContext, session: Session) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        sign_up_page(&ctx, &token, &SignUpForm::default(), &FieldErrors::new()),
    ))
}

pub async fn sign_up(
    ctx: PageContext,
    req: HttpRequest,
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
    let client = client::of_request(&req);
    let cutoff =
        time::OffsetDateTime::now_utc() - time::Duration::hours(account::ATTEMPTS_KEPT_HOURS);
    db::purge_sign_ups_before(&state.pool, &db::timestamp(cutoff)).await?;
    // One client making accounts by the hundred is a script: past the hour's share, the
    // form comes back (with what was typed) saying when to try again.
    if let Some(minutes) = limits::sign_up_wait(&state, &client).await? {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            format!("Beaucoup de comptes ont déjà été créés depuis votre connexion dans l'heure. Par sécurité, réessayez dans {minutes} minute(s)."),
            format!("Many accounts were already created from your connection within the hour. For safety, try again in {minutes} minute(s)."),
        );
        let mut response = html_response(
            StatusCode::TOO_MANY_REQUESTS,
            sign_up_page(&ctx, &token, &form, &errors),
        );
        limits::insert_retry_after(&mut response, minutes);
        return Ok(response);
    }
    let new = match checked.checked(NewAccount::try_from(&form), &[]) {
        Ok(new) => new,
        Err(errors) => {
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                sign_up_page(&ctx, &token, &form, &errors),
            ));
        }
    };
    let taken = || {
        let mut errors = FieldErrors::new();
        errors.add(
            "email",
            "Un compte existe déjà avec cette adresse : connectez-vous.",
            "An account already exists with this address: sign in.",
        );
        html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            sign_up_page(&ctx, &token, &form, &errors),
        )
    };
    if db::account_by_email(&state.pool, &new.email)
        .await?
        .is_some()
    {
        return Ok(taken());
    }
    let password = new.password.clone();
    let password_hash = web::block(move || account::hash_password(&password)).await??;
    let account = db::Account {
        id: db::new_id(),
        email: new.email,
        display_name: new.display_name,
        password_hash,
        role: account::ROLE_LEAD.to_owned(),
    };
    let now = db::now();
    let turn = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    if !db::insert_account(&mut *tx, &account, &now).await? {
        // Another request took the address since the check above.
        tx.rollback().await?;
        return Ok(taken());
    }
    db::record_sign_up(&mut *tx, &client, &now).await?;
    tx.commit().await?;
    drop(turn);
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

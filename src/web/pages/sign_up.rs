//! Signing up: the form, the « check your mailbox » page, and the confirmation link that
//! creates the account, an organisation lead (staff accounts are made with `reset-eval admin
//! create`). The use cases are in `crate::app::accounts`: the page reads the same whether the
//! address had an account or not. Sign-ups are counted in the database per client
//! address (see `web::client`), so the limit holds on every instance; what is counted keeps
//! no typed text and is purged after a day by the worker's retention task (`app::retention`).

use crate::app::accounts::{self, Confirmation, LinkState, Services};
use crate::app::error::AppError;
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
    accounts::request_sign_up(
        &Services {
            pool: &state.pool,
            writes: &state.writes,
            mailer: &state.mailer,
        },
        new,
        ctx.lang,
        &client,
    )
    .await?;
    // Shown on the next page, so that a mistyped address is noticed; in the encrypted
    // session cookie, never in the address bar.
    session
        .insert(SENT_TO_KEY, form.email.trim().to_lowercase())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
    Ok(redirect("/signup/sent"))
}

/// The address the last sign-up of this browser was mailed to.
const SENT_TO_KEY: &str = "sign_up_sent_to";

/// GET /signup/sent: the same page whether the address had an account or not.
pub async fn sent(ctx: PageContext, session: Session) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let to = session.get::<String>(SENT_TO_KEY).ok().flatten();
    let title = lang.pick("Vérifiez votre messagerie", "Check your mailbox");
    let hours = account::SIGN_UP_CONFIRMATION_VALID_HOURS;
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            @if let Some(to) = &to {
                p { (lang.pick("Nous venons d'envoyer un message à", "We have just sent a message to")) " " strong { (to) } "." }
            } @else {
                p { (lang.pick("Nous venons de vous envoyer un message.", "We have just sent you a message.")) }
            }
            p { (lang.pick(
                &format!("Suivez le lien qu'il contient pour confirmer votre adresse et créer votre compte : il reste valable {hours} heures."),
                &format!("Follow the link it contains to confirm your address and create your account: it works for {hours} hours."),
            )) }
            p { (lang.pick(
                "Rien reçu après quelques minutes ? Regardez dans les courriers indésirables, vérifiez l'adresse ci-dessus, ou ",
                "Nothing after a few minutes? Look in your spam folder, check the address above, or ",
            )) a href="/signup" { (lang.pick("recommencez l'inscription", "sign up again")) } "." }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// GET /signup/confirm/{token}: a button that confirms (a mail client that opens links
/// ahead of the person, to check them, must not use the link up).
pub async fn confirm_form(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if accounts::sign_up_link_state(&state.pool, &token).await? == LinkState::Spent {
        return Ok(spent_link_page(&ctx));
    }
    let csrf_token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Confirmer votre adresse", "Confirm your address");
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Un dernier pas : confirmez votre adresse pour créer votre compte. Vous serez connecté aussitôt.",
                "One last step: confirm your address to create your account. You will be signed in at once.",
            )) }
            form method="post" action=(format!("/signup/confirm/{}", token.as_str())) {
                (csrf(&csrf_token))
                button type="submit" { (lang.pick("Confirmer et créer mon compte", "Confirm and create my account")) }
            }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// POST /signup/confirm/{token}: creates the account, once, and signs it in.
pub async fn confirm(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let services = Services {
        pool: &state.pool,
        writes: &state.writes,
        mailer: &state.mailer,
    };
    match accounts::confirm_sign_up(&services, &token).await? {
        Confirmation::Created(created) => {
            session::sign_in(
                &state,
                &session,
                &SessionUser {
                    id: created.id,
                    name: created.display_name,
                    role: created.role,
                },
            )
            .await?;
            Ok(redirect("/organisations/new"))
        }
        Confirmation::Spent => Ok(spent_link_page(&ctx)),
        Confirmation::AddressTaken => {
            let lang = ctx.lang;
            let title = lang.pick("Un compte existe déjà", "An account already exists");
            let markup = page(
                &ctx,
                title,
                html! {
                    h1 { (title) }
                    p { (lang.pick(
                        "Un compte a déjà été créé pour cette adresse, par une autre inscription confirmée avant celle-ci.",
                        "An account was already created for this address, by another sign-up confirmed before this one.",
                    )) }
                    p { a href="/signin" { (lang.pick("Se connecter", "Sign in")) } " · " a href="/password/forgot" { (lang.pick("Mot de passe oublié ?", "Forgot your password?")) } }
                },
            );
            Ok(html_response(StatusCode::CONFLICT, markup))
        }
    }
}

/// A used or expired confirmation link: what to do next.
fn spent_link_page(ctx: &PageContext) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick(
        "Ce lien a déjà servi ou a expiré",
        "This link was already used or has expired",
    );
    let markup = page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Si vous avez déjà confirmé votre adresse, votre compte existe : connectez-vous. Sinon, inscrivez-vous de nouveau pour recevoir un nouveau lien.",
                "If you already confirmed your address, your account exists: sign in. Otherwise, sign up again to receive a new link.",
            )) }
            p { a href="/signin" { (lang.pick("Se connecter", "Sign in")) } " · " a href="/signup" { (lang.pick("S'inscrire de nouveau", "Sign up again")) } }
        },
    );
    html_response(StatusCode::GONE, markup)
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
            p { (lang.pick(
                "Nous vous enverrons un e-mail pour confirmer votre adresse : le compte est créé quand vous suivez son lien.",
                "We will send you an email to confirm your address: the account is created when you follow its link."
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
            p { (lang.pick("Ce que nous gardons de votre compte, pourquoi et combien de temps : ", "What we keep of your account, why and for how long: "))
                a href="/donnees-personnelles" { (lang.pick("données personnelles", "personal data")) } "." }
            p { (lang.pick("Déjà un compte ?", "Already have an account?")) " " a href="/signin" { (lang.pick("Se connecter", "Sign in")) } }
        },
    )
}

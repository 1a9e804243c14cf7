//! The account page: who is signed in, and the ways to end sessions. Signing up is in
//! [`super::sign_up`], signing in and out in [`super::sign_in`].

use crate::app::error::AppError;
use crate::db;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::{self, User};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

/// GET /account: who is signed in, and the ways to end sessions.
pub async fn show(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    User(user): User,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(&session)?;
    let email = db::account_email(&state.pool, &user.id)
        .await?
        .unwrap_or_default();
    let open = db::count_sessions_of_account(&state.pool, &user.id, &db::now()).await?;
    let lang = ctx.lang;
    let title = lang.pick("Mon compte", "My account");
    let days = session::SESSION_LIFETIME.whole_days();
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            dl {
                dt { (lang.pick("Nom", "Name")) } dd { (user.name) }
                dt { (lang.pick("Adresse e-mail", "Email address")) } dd { (email) }
                dt { (lang.pick("Rôle", "Role")) }
                dd { (if user.is_staff() { lang.pick("équipe du programme", "programme staff") } else { lang.pick("responsable d'organisation", "organisation lead") }) }
                dt { (lang.pick("Sessions ouvertes", "Open sessions")) } dd { (open) }
            }
            h2 { (lang.pick("Sessions", "Sessions")) }
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
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

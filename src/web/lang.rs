//! Which language a request is served in: `?lang=` first (and remembered in a cookie), then
//! the cookie, then the browser's `Accept-Language`, then French.

use crate::domain::account::SessionUser;
use crate::domain::i18n::Lang;
use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

pub const COOKIE: &str = "lang";

fn from_query(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::from_code)
}

/// The language of a request.
pub fn of_request(req: &HttpRequest) -> Lang {
    from_query(req.query_string())
        .or_else(|| req.cookie(COOKIE).and_then(|c| Lang::from_code(c.value())))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .map(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Handlers take the layout's context from the request; it is defined with the layout.
pub use crate::web::ui::layout::PageContext;

impl FromRequest for PageContext {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        ready(Ok(PageContext {
            lang: of_request(req),
            path: req.path().to_owned(),
            user: session.get::<SessionUser>("user").ok().flatten(),
            csrf: session.get::<String>("csrf").ok().flatten(),
        }))
    }
}

/// Remembers a language chosen with `?lang=` for the next pages, in a cookie.
pub async fn remember_choice(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let chosen = from_query(req.query_string());
    let mut res = next.call(req).await?;
    if let Some(lang) = chosen {
        let cookie = Cookie::build(COOKIE, lang.code())
            .path("/")
            .max_age(Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .finish();
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res)
}

//! Who is signed in, and protection against cross-site requests.
//!
//! Sessions live in a signed and encrypted cookie (actix-session's cookie store), so any
//! instance can serve any request; each session carries a random CSRF token that every form
//! sends back, and a state-changing request without it is refused.
//!
//! A cookie alone cannot be taken back: a copy made before signing out would stay valid for
//! ever. So each signed-in cookie also names a row of the `sessions` table, and [`verify`]
//! checks on every request that the row still exists and has not expired (one indexed
//! query, which also reloads the account's name and role). We chose a row per session over
//! an epoch per account because signing out on one device should end that session only;
//! « se déconnecter partout » and a password change delete every row of the account. The
//! server itself still keeps nothing: the table is in the shared database.

use super::AppState;
use crate::app::error::AppError;
use crate::db;
use crate::domain::account;
use actix_session::{Session, SessionExt};
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";
/// The id of the session's row in the `sessions` table.
const SESSION_ID_KEY: &str = "sid";
/// How long a session lasts at most, however active: a forgotten or copied cookie dies with it.
pub const SESSION_LIFETIME: time::Duration = time::Duration::days(7);
// Defined below the web layer so that the view pieces of `web::ui` (the page's header, the
// forms' hidden field) need nothing from the session; handlers keep naming them from here.
pub use crate::domain::account::SessionUser;
pub use crate::web::ui::forms::CSRF_FIELD;

fn session_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {e}"))
}

/// Opens a session for an account: its row first (so that nothing is acknowledged before it
/// is stored), then a new cookie with a new CSRF token, so that neither a session nor a
/// token planted before signing in survives it.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    user: &SessionUser,
) -> Result<(), AppError> {
    let id =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let now = time::OffsetDateTime::now_utc();
    // Rows of expired sessions are deleted by the worker's retention task (`app::retention`).
    db::insert_session(
        &state.pool,
        &id,
        &user.id,
        &db::timestamp(now),
        &db::timestamp(now + SESSION_LIFETIME),
    )
    .await?;
    session.renew();
    session.insert(USER_KEY, user).map_err(session_error)?;
    session.insert(SESSION_ID_KEY, &id).map_err(session_error)?;
    new_csrf_token(session)?;
    Ok(())
}

/// Ends this session, for its cookie and every copy of it.
pub async fn sign_out(state: &AppState, session: &Session) -> Result<(), AppError> {
    if let Ok(Some(id)) = session.get::<String>(SESSION_ID_KEY) {
        db::delete_session(&state.pool, &id).await?;
    }
    session.purge();
    Ok(())
}

/// Ends every session of the signed-in account, on every device.
pub async fn sign_out_everywhere(
    state: &AppState,
    session: &Session,
    account_id: &str,
) -> Result<(), AppError> {
    db::delete_sessions_of_account(&state.pool, account_id).await?;
    session.purge();
    Ok(())
}

/// Middleware: forgets the account of a cookie whose session was ended or has expired, and
/// refreshes its name and role, before any handler reads it. A database that does not answer
/// refuses the request rather than trusting the cookie.
pub async fn verify(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The stylesheet (asked with every page) and `/health` read no session: checking it
    // there would double the queries of a page view, and make a health check with a cookie
    // fail on the session's query rather than report the database itself.
    if req.path() == super::ui::layout::STYLESHEET || req.path() == "/health" {
        return next.call(req).await;
    }
    let session = req.get_session();
    if let Ok(Some(user)) = session.get::<SessionUser>(USER_KEY) {
        let id = session.get::<String>(SESSION_ID_KEY).ok().flatten();
        let state = req.app_data::<actix_web::web::Data<AppState>>();
        let live = match (id, state) {
            (Some(id), Some(state)) => db::live_session(&state.pool, &id, &db::now())
                .await
                .map_err(AppError::from)?,
            _ => None,
        };
        match live {
            Some(live) if live.account_id == user.id => {
                let current = SessionUser {
                    id: live.account_id,
                    name: live.display_name,
                    role: live.role,
                };
                if current != user {
                    session.insert(USER_KEY, &current).map_err(session_error)?;
                }
            }
            _ => {
                session.remove(USER_KEY);
                session.remove(SESSION_ID_KEY);
            }
        }
    }
    next.call(req).await
}

/// The signed-in account, if any: for pages that show more to those signed in.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<SessionUser>);

impl FromRequest for MaybeUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req
            .get_session()
            .get::<SessionUser>(USER_KEY)
            .ok()
            .flatten();
        ready(Ok(MaybeUser(user)))
    }
}

/// The signed-in account; a visitor is sent to the sign-in page, then back.
#[derive(Debug, Clone)]
pub struct User(pub SessionUser);

impl FromRequest for User {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req
            .get_session()
            .get::<SessionUser>(USER_KEY)
            .ok()
            .flatten();
        ready(match user {
            Some(user) => Ok(User(user)),
            None => {
                let next = if req.method() == actix_web::http::Method::GET {
                    req.uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                Err(AppError::SignInRequired { next })
            }
        })
    }
}

/// The session's CSRF token, made on first use.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY) {
        return Ok(token);
    }
    new_csrf_token(session)
}

/// Replaces the session's CSRF token: the previous one is refused from now on.
fn new_csrf_token(session: &Session) -> Result<String, AppError> {
    let token =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    session.insert(CSRF_KEY, &token).map_err(session_error)?;
    Ok(token)
}

/// Refuses a state-changing request whose form does not carry the session's token.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF_KEY).ok().flatten();
    match (expected, submitted) {
        (Some(expected), Some(submitted)) if account::same_secret(&expected, submitted) => Ok(()),
        _ => Err(AppError::CsrfRejected),
    }
}

/// A submitted form whose CSRF token matched the session's. Every state-changing handler
/// takes its form through this extractor, so none can forget the check. The body size limit
/// of the application applies (an oversized body answers 413).
#[derive(Debug, Clone)]
pub struct CheckedForm {
    pairs: Vec<(String, String)>,
    first: std::collections::HashMap<String, String>,
    /// What was refused in the text as the body was read (see [`super::form_text`]).
    text: super::form_text::DecodedForm,
}

impl CheckedForm {
    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.first.get(name)
    }

    /// Every `(name, value)` in order, repeated names included (several boxes ticked).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of a field, or an empty string when it was not sent.
    pub fn value(&self, name: &str) -> String {
        self.first.get(name).cloned().unwrap_or_default()
    }

    /// Every value of a repeated field (the boxes ticked), in order.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl FromRequest for CheckedForm {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = actix_web::web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await?;
            // Strict decoding: values come without invalid UTF-8 or control characters, and
            // what was removed is kept to be said beside its field (`refuse_bad_text`).
            let mut text = super::form_text::decode(&body);
            let pairs = std::mem::take(&mut text.pairs);
            let mut first = std::collections::HashMap::new();
            for (name, value) in &pairs {
                first.entry(name.clone()).or_insert_with(|| value.clone());
            }
            check_csrf(
                &req.get_session(),
                first.get(CSRF_FIELD).map(String::as_str),
            )?;
            Ok(CheckedForm { pairs, first, text })
        })
    }
}

/// Text refused as the form was read: every handler that stores text says it beside its
/// field (422, nothing stored), and every value it reads already lacks the refused characters.
impl CheckedForm {
    /// Adds beside each field the text refused in it; `multi_line` names the text areas,
    /// where TAB, LF and CR are allowed.
    pub fn refuse_bad_text(
        &self,
        errors: &mut crate::domain::field_errors::FieldErrors,
        multi_line: &[&str],
    ) {
        self.text.refuse_bad_text(errors, multi_line);
    }

    /// The parsed value, unless some text of the form was refused: then every message, the
    /// refused text's first (it explains an « empty » field whose only characters were
    /// refused).
    pub fn checked<T>(
        &self,
        parsed: Result<T, crate::domain::field_errors::FieldErrors>,
        multi_line: &[&str],
    ) -> Result<T, crate::domain::field_errors::FieldErrors> {
        let mut errors = crate::domain::field_errors::FieldErrors::new();
        self.refuse_bad_text(&mut errors, multi_line);
        match parsed {
            Ok(value) => errors.into_result(value),
            Err(others) => {
                for (field, message) in others.fields() {
                    errors.add(field, message.fr.clone(), message.en.clone());
                }
                Err(errors)
            }
        }
    }

    /// The message for one field whose text was refused, for pages whose errors are not
    /// keyed by the field's name.
    pub fn text_error(&self, name: &str, multi_line: bool) -> Option<(String, String)> {
        self.text.error(name, multi_line)
    }
}

//! Who is signed in, and protection against cross-site requests.
//!
//! Sessions live in a signed and encrypted cookie (actix-session's cookie store): the server
//! keeps nothing, so any instance can serve any request. Each session carries a random CSRF
//! token that every form sends back; a state-changing request without it is refused.

use crate::auth;
use crate::error::AppError;
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::{Deserialize, Serialize};
use std::future::{Ready, ready};

const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";
/// Name of the hidden field that carries the CSRF token in every form.
pub const CSRF_FIELD: &str = "_csrf";

/// The signed-in account, as kept in the session cookie.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SessionUser {
    pub id: String,
    pub name: String,
    pub role: String,
}

impl SessionUser {
    pub fn is_staff(&self) -> bool {
        self.role == auth::ROLE_STAFF
    }
}

pub fn sign_in(session: &Session, user: &SessionUser) -> Result<(), AppError> {
    // A new session on sign-in: a session fixed before cannot be taken over.
    session.renew();
    session
        .insert(USER_KEY, user)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
    Ok(())
}

pub fn sign_out(session: &Session) {
    session.purge();
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
    let token =
        auth::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    session
        .insert(CSRF_KEY, &token)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")))?;
    Ok(token)
}

/// Refuses a state-changing request whose form does not carry the session's token.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF_KEY).ok().flatten();
    match (expected, submitted) {
        (Some(expected), Some(submitted)) if auth::same_secret(&expected, submitted) => Ok(()),
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
    pub fn refuse_bad_text(&self, errors: &mut crate::forms::FieldErrors, multi_line: &[&str]) {
        self.text.refuse_bad_text(errors, multi_line);
    }

    /// The parsed value, unless some text of the form was refused: then every message, the
    /// refused text's first (it explains an « empty » field whose only characters were
    /// refused).
    pub fn checked<T>(
        &self,
        parsed: Result<T, crate::forms::FieldErrors>,
        multi_line: &[&str],
    ) -> Result<T, crate::forms::FieldErrors> {
        let mut errors = crate::forms::FieldErrors::new();
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

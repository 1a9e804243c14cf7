//! The one error type of request handlers. Every handler returns `Result<_, AppError>`; the
//! response says what happened in the person's terms, in both languages, and the details go
//! to the log, never to the page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    SignInRequired { next: String },
    #[error("the form's CSRF token is missing or stale")]
    CsrfRejected,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("blocking task failed: {0}")]
    Blocking(#[from] actix_web::error::BlockingError),
    #[error("{0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// What the person is told, in French and in English: what happened in their terms,
    /// never the details (those go to the log).
    pub fn explanation(&self) -> (&'static str, &'static str) {
        match self {
            AppError::NotFound => (
                "Cette page n'existe pas (ou plus).",
                "This page does not exist (or no longer does).",
            ),
            AppError::Forbidden => (
                "Vous n'avez pas accès à cette page. Connectez-vous avec le compte qui gère cette organisation.",
                "You do not have access to this page. Sign in with the account that manages this organisation.",
            ),
            AppError::CsrfRejected => (
                "Ce formulaire a expiré ou ne vient pas de ce site. Revenez à la page précédente, rechargez-la, puis envoyez-le de nouveau : ce que vous aviez saisi y est peut-être encore.",
                "This form has expired or did not come from this site. Go back, reload the page and send it again: what you typed may still be there.",
            ),
            AppError::Database(e) if crate::database::fault(e).is_some() => (
                "Le service ne peut pas enregistrer pour le moment : ce que vous venez d'envoyer n'a pas été enregistré. Revenez à la page précédente et renvoyez-la dans quelques instants.",
                "The service cannot save right now: what you just sent was not saved. Go back to the previous page and send it again in a few moments.",
            ),
            _ => (
                "Une erreur est survenue de notre côté. Réessayez dans un instant ; si elle persiste, signalez-la à l'équipe du programme.",
                "Something went wrong on our side. Try again in a moment; if it persists, tell the programme team.",
            ),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            // A storage fault (full disk, lost server, lock held too long): nothing was
            // written, and sending it again later may work.
            AppError::Database(e) if crate::database::fault(e).is_some() => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let AppError::SignInRequired { next } = self {
            let location = if next.is_empty() {
                "/signin".to_owned()
            } else {
                format!("/signin?next={}", crate::web::layout::url_encode(next))
            };
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, location))
                .finish();
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        // The language of the request is not known here: the page says it in both. The
        // middleware `web::error_pages` puts the page in the person's language in its place.
        let (fr, en) = self.explanation();
        let body = crate::web::layout::error_page(status, fr, en);
        let mut response = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        response
            .content_type("text/html; charset=utf-8")
            .body(body.into_string())
    }
}

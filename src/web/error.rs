//! How an [`AppError`] becomes a response: its status, and our own error page (drawn in the
//! person's language afterwards by [`super::error_pages`]).

use crate::app::error::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// A task run off the async runtime (password hashing, analytics) that panicked or was
/// cancelled: an internal error like any other.
impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
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
            AppError::Database(e) if crate::db::fault(e).is_some() => {
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
                format!("/signin?next={}", crate::web::ui::layout::url_encode(next))
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
        let body = crate::web::ui::layout::error_page(status, fr, en);
        let mut response = HttpResponse::build(status);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        response
            .content_type("text/html; charset=utf-8")
            .body(body.into_string())
    }
}

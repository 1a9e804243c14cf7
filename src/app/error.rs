//! The one error type of the use cases and of request handlers. Every handler returns
//! `Result<_, AppError>`; what the person is told is here, in both languages, and the details
//! go to the log, never to the page. How it becomes an HTTP response is the web layer's
//! (`crate::web::error`), so this layer knows nothing of HTTP.

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
            AppError::Database(e) if crate::db::fault(e).is_some() => (
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

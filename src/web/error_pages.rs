//! The service's own page for the errors the framework answers by itself.
//!
//! actix-web answers some requests before any handler of ours runs, in English
//! `text/plain` (« A payload reached size limit. », « Query deserialize error: … ») or with an
//! empty body (`405`): a body over the size limit, a form, query or path it cannot decode, a
//! method a route does not take. [`own_error_pages`] sits just around the routes and puts our
//! page in place of every such answer, in the person's language, keeping its status and
//! headers (`Allow` of a 405). An [`AppError`] page, which says its message in both
//! languages because the error cannot know the request, is redrawn the same way with that
//! message in the person's language. Pages a handler renders itself (they always say their
//! content type) pass untouched.

use super::lang::{self, PageContext};
use super::session::SessionUser;
use super::ui::layout::{html_response, page};
use crate::app::error::AppError;
use crate::domain::i18n::Lang;
use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

/// Middleware: our page in place of any error answer the framework made.
pub async fn own_error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Handlers and extractors answer their errors as responses (with the error inside), so
    // they all come back here as `Ok`; the request cannot be kept aside for an `Err`
    // (routing needs it unshared), and nothing inside the routes returns one.
    let res = next.call(req).await?.map_into_boxed_body();
    // An `AppError` page says its message in both languages, as it cannot know the
    // request's: here it can, so the same message comes in the person's language.
    let explained = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .filter(|_| is_error(res.status()))
        .map(AppError::explanation);
    if explained.is_none() && !made_by_framework(res.response()) {
        return Ok(res);
    }
    let (req, original) = res.into_parts();
    let mut ours = match explained {
        Some((fr, en)) => {
            page_explained(&req, original.status(), |lang| lang.pick(fr, en).to_owned())
        }
        None => page_for(&req, original.status()),
    };
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            ours.headers_mut().insert(name.clone(), value.clone());
        }
    }
    // An `AppError` has logged itself already.
    if let Some(error) = original.error().filter(|_| explained.is_none()) {
        if original.status().is_server_error() {
            tracing::error!(%error, "request failed");
        } else {
            tracing::info!(%error, "request refused");
        }
    }
    Ok(ServiceResponse::new(req, ours))
}

/// An error status whose body is not one of ours: produced by an actix error other than
/// [`AppError`], or an empty answer without a content type (a 405 of a route).
fn made_by_framework(res: &HttpResponse) -> bool {
    if !is_error(res.status()) {
        return false;
    }
    match res.error() {
        Some(error) => error.as_error::<AppError>().is_none(),
        None => !res.headers().contains_key(header::CONTENT_TYPE),
    }
}

fn is_error(status: StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

/// The page of an error status, in the language of the request, with the site's header (so
/// a signed-in person still sees their account and the language switch).
pub fn page_for(req: &HttpRequest, status: StatusCode) -> HttpResponse {
    page_explained(req, status, |lang| texts(lang, status).1)
}

/// The same page, saying `explanation` in the request's language.
fn page_explained(
    req: &HttpRequest,
    status: StatusCode,
    explanation: impl FnOnce(Lang) -> String,
) -> HttpResponse {
    let ctx = PageContext {
        lang: lang::of_request(req),
        path: req.path().to_owned(),
        user: req.get_session().get::<SessionUser>("user").ok().flatten(),
        csrf: req.get_session().get::<String>("csrf").ok().flatten(),
    };
    let lang = ctx.lang;
    let title = texts(lang, status).0;
    let explanation = explanation(lang);
    let heading = format!(
        "{} {} — {title}",
        lang.pick("Erreur", "Error"),
        status.as_u16()
    );
    html_response(
        status,
        page(
            &ctx,
            &heading,
            html! {
                h1 { (heading) }
                p { (explanation) }
                p { a href="/" { (lang.pick("Retour à l'accueil", "Back to home")) } }
            },
        ),
    )
}

fn texts(lang: Lang, status: StatusCode) -> (&'static str, String) {
    let max_kib = super::limits::MAX_BODY_BYTES / 1024;
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            lang.pick("Envoi trop volumineux", "Too much sent at once"),
            match lang {
                Lang::Fr => format!(
                    "Ce formulaire dépasse la taille acceptée ({max_kib} Kio). Revenez à la page précédente : ce que vous aviez saisi y est peut-être encore. Raccourcissez les textes les plus longs, puis envoyez de nouveau."
                ),
                Lang::En => format!(
                    "This form is larger than we accept ({max_kib} KiB). Go back to the previous page: what you typed may still be there. Shorten the longest texts, then send it again."
                ),
            },
        ),
        StatusCode::NOT_FOUND => (
            lang.pick("Page introuvable", "Page not found"),
            own(
                lang,
                "Cette page n'existe pas (ou plus). Vérifiez l'adresse, ou repartez de l'accueil.",
                "This page does not exist (or no longer does). Check the address, or start again from the home page.",
            ),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            lang.pick(
                "Action impossible à cette adresse",
                "Not possible at this address",
            ),
            own(
                lang,
                "Cette adresse ne s'utilise pas de cette façon (par exemple un formulaire envoyé à une page qui n'en reçoit pas). Repartez de la page précédente ou de l'accueil.",
                "This address cannot be used this way (for example a form sent to a page that takes none). Start again from the previous page or the home page.",
            ),
        ),
        StatusCode::FORBIDDEN => (
            lang.pick("Accès refusé", "No access"),
            own(
                lang,
                "Vous n'avez pas accès à cette page.",
                "You do not have access to this page.",
            ),
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            lang.pick(
                "Service momentanément indisponible",
                "Service unavailable for a moment",
            ),
            own(
                lang,
                "Le service ne peut pas répondre pour le moment : réessayez dans quelques instants.",
                "The service cannot answer right now: try again in a few moments.",
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            lang.pick("Envoi illisible", "Unreadable request"),
            own(
                lang,
                "Ce qui a été envoyé n'est pas un formulaire de ce site. Envoyez le formulaire depuis sa page.",
                "What was sent is not a form of this site. Send the form from its page.",
            ),
        ),
        s if s.is_server_error() => (
            lang.pick("Erreur de notre côté", "Error on our side"),
            own(
                lang,
                "Une erreur est survenue de notre côté. Réessayez dans un instant ; si elle persiste, signalez-la à l'équipe du programme.",
                "Something went wrong on our side. Try again in a moment; if it persists, tell the programme team.",
            ),
        ),
        // 400 and the rest: an address, query or form we cannot decode.
        _ => (
            lang.pick("Demande illisible", "Unreadable request"),
            own(
                lang,
                "Nous n'avons pas pu lire cette demande : l'adresse ou le formulaire envoyé est mal formé. Revenez à la page précédente, rechargez-la, puis réessayez.",
                "We could not read this request: the address or the form sent is malformed. Go back to the previous page, reload it, then try again.",
            ),
        ),
    }
}

fn own(lang: Lang, fr: &str, en: &str) -> String {
    lang.pick(fr, en).to_owned()
}

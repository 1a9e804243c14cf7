//! Every route of the service, in one place.

use super::{health, pages};
use actix_web::http::header;
use actix_web::{HttpResponse, web};

const STYLE_CSS: &str = include_str!("static/style.css");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home::show))
        .route("/health", web::get().to(health::health))
        .route(
            "/questionnaires/{slug}/{version}",
            web::get().to(pages::questionnaire::show),
        )
        .route(super::layout::STYLESHEET, web::get().to(stylesheet));
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE_CSS)
}

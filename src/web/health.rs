//! `/health`: whether this instance can serve, for load balancers and monitoring.

use super::AppState;
use crate::database;
use actix_web::{HttpResponse, web};
use serde_json::json;

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match database::ping(&state.pool).await {
        Ok(()) => HttpResponse::Ok().json(json!({
            "status": "ok",
            "database": "ok",
            "questionnaires": state.registry.all().count(),
        })),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            HttpResponse::ServiceUnavailable().json(json!({
                "status": "unavailable",
                "database": "unavailable",
            }))
        }
    }
}

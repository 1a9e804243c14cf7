//! `/health`: whether this instance can serve, for load balancers and monitoring.
//!
//! « Can serve » includes writing: a database that answers reads but cannot take a write
//! (full disk, read-only file or server) makes a service that loses what people send, so the
//! check writes too (a small probe, see `db::probe_write`). Each part has a short
//! time limit: a monitor learns of a fault in seconds, not after the pool's own time-outs.

use super::AppState;
use crate::db;
use actix_web::{HttpResponse, web};
use serde_json::json;
use std::time::Duration;

/// The longest each part of the check may take.
const LIMIT: Duration = Duration::from_secs(2);

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let read = match tokio::time::timeout(LIMIT, db::ping(&state.pool)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", LIMIT.as_secs())),
    };
    let write = match &read {
        Err(_) => Err("not tried".to_owned()),
        // The probe waits for its turn like any write: on SQLite the gate, not the lock.
        Ok(()) => match tokio::time::timeout(LIMIT, async {
            db::probe_write(&state.pool, &state.writes).await
        })
        .await
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no write within {} s", LIMIT.as_secs())),
        },
    };
    match (&read, &write) {
        (Ok(()), Ok(())) => HttpResponse::Ok().json(json!({
            "status": "ok",
            "database": "ok",
            "writes": "ok",
            "questionnaires": state.registry.all().count(),
        })),
        _ => {
            tracing::warn!(read = ?read.as_ref().err(), write = ?write.as_ref().err(), "health check: database unavailable or not writable");
            HttpResponse::ServiceUnavailable()
                .insert_header((actix_web::http::header::RETRY_AFTER, "5"))
                .json(json!({
                    "status": "unavailable",
                    "database": if read.is_ok() { "ok" } else { "unavailable" },
                    "writes": if write.is_ok() { "ok" } else { "failing" },
                }))
        }
    }
}

//! Limits on creating things anonymously: accounts per client address, and responses started
//! through one shared invitation link, each over the last hour.
//!
//! Both are counted in the database (`sign_ups`, and the personal links a shared link made),
//! so they hold across instances. Checking then inserting is not atomic: requests racing on
//! PostgreSQL may pass a limit by a few, which is enough against a script making hundreds.

use super::AppState;
use super::lang::PageContext;
use super::ui::layout::{html_response, page};
use crate::app::error::AppError;
use crate::config::Settings;
use crate::db;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::html;
use time::OffsetDateTime;

/// Largest request body accepted, in bytes: a page of answers is a few kilobytes, and even
/// a page of long free-text answers (4,000 characters each, percent-encoded) stays below.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The window every limit here counts over.
pub const WINDOW: time::Duration = time::Duration::hours(1);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub sign_ups_per_client_per_hour: i64,
    pub starts_per_shared_link_per_hour: i64,
}

impl Limits {
    pub fn from_settings(settings: &Settings) -> Self {
        Limits {
            sign_ups_per_client_per_hour: i64::from(settings.sign_ups_per_client_per_hour),
            starts_per_shared_link_per_hour: i64::from(settings.starts_per_shared_link_per_hour),
        }
    }
}

/// Minutes to wait, when `count` events in the window reached `limit`: until the oldest of
/// them leaves the window (at least one minute). `None` while under the limit.
pub fn minutes_to_wait(
    count: i64,
    limit: i64,
    oldest: Option<&str>,
    now: OffsetDateTime,
) -> Option<i64> {
    if count < limit {
        return None;
    }
    let oldest = oldest
        .and_then(|t| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok())
        .unwrap_or(now);
    let seconds = (oldest + WINDOW - now).whole_seconds();
    Some(((seconds + 59) / 60).clamp(1, WINDOW.whole_minutes()))
}

/// Minutes before this client may create another account, when it made its hour's share.
pub async fn sign_up_wait(state: &AppState, client: &str) -> Result<Option<i64>, AppError> {
    let now = OffsetDateTime::now_utc();
    let (count, oldest) =
        db::sign_ups_since(&state.pool, client, &db::timestamp(now - WINDOW)).await?;
    Ok(minutes_to_wait(
        count,
        state.limits.sign_ups_per_client_per_hour,
        oldest.as_deref(),
        now,
    ))
}

/// The answer to a start through a shared link that made its hour's share of responses;
/// `None` when the person may start.
pub async fn shared_link_exhausted(
    ctx: &PageContext,
    state: &AppState,
    shared_id: &str,
) -> Result<Option<HttpResponse>, AppError> {
    let now = OffsetDateTime::now_utc();
    let (count, oldest) =
        db::personal_links_since(&state.pool, shared_id, &db::timestamp(now - WINDOW)).await?;
    let Some(minutes) = minutes_to_wait(
        count,
        state.limits.starts_per_shared_link_per_hour,
        oldest.as_deref(),
        now,
    ) else {
        return Ok(None);
    };
    let lang = ctx.lang;
    let title = lang.pick("Réessayez un peu plus tard", "Try again a little later");
    let mut response = html_response(
        StatusCode::TOO_MANY_REQUESTS,
        page(
            ctx,
            title,
            html! {
                h1 { (title) }
                p { (lang.pick(
                    &format!("Ce lien partagé a déjà servi à commencer beaucoup de réponses en une heure ; par sécurité, il en accepte de nouvelles dans {minutes} minute(s). Revenez à ce même lien dans {minutes} minute(s) : rien n'a été enregistré pour vous entre-temps."),
                    &format!("This shared link has already been used to start many responses within an hour; for safety, it takes new ones again in {minutes} minute(s). Come back to the same link in {minutes} minute(s): nothing was recorded for you meanwhile."),
                )) }
                p { (lang.pick(
                    "Si vous avez reçu un lien personnel, utilisez-le : il n'est pas concerné.",
                    "If you were given a personal link, use it: it is not affected.",
                )) }
            },
        ),
    );
    insert_retry_after(&mut response, minutes);
    Ok(Some(response))
}

/// `Retry-After`, in seconds, for a 429.
pub fn insert_retry_after(response: &mut HttpResponse, minutes: i64) {
    response.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(minutes * 60),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_runs_until_the_oldest_event_leaves_the_hour() {
        let now = OffsetDateTime::parse(
            "2026-12-06T12:00:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .expect("time");
        assert_eq!(
            minutes_to_wait(2, 3, Some("2026-12-06T11:30:00Z"), now),
            None
        );
        assert_eq!(
            minutes_to_wait(3, 3, Some("2026-12-06T11:30:00Z"), now),
            Some(30)
        );
        assert_eq!(
            minutes_to_wait(3, 3, Some("2026-12-06T11:00:30Z"), now),
            Some(1)
        );
        assert_eq!(minutes_to_wait(0, 0, None, now), Some(60));
    }
}

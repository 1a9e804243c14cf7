//! The span every request is logged under, without the secrets some addresses carry.
//!
//! An invitation link (`/r/<token>/…`) is the respondent's only credential: anyone who reads
//! it in a log could answer, or read the answers, in their place. The default span of
//! tracing-actix-web records the full target, and every line logged during the request (an
//! error, a slow statement) repeats it; this one records `/r/…/…` instead, and blanks any
//! long hexadecimal run elsewhere in the target (a token pasted in a query string).

use super::client;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

/// Shortest run of hexadecimal digits taken for a secret: tokens are 64, ids are UUIDs
/// (runs of at most 12 between hyphens).
const SECRET_HEX_RUN: usize = 32;

/// A request's path and query as logged: secrets replaced with `…`.
pub fn redact_target(target: &str) -> String {
    let target = match target.strip_prefix("/r/") {
        Some(rest) => {
            let after = rest.find(['/', '?']).map_or("", |at| &rest[at..]);
            format!("/r/…{after}")
        }
        None => target.to_owned(),
    };
    let mut out = String::with_capacity(target.len());
    let mut run = String::new();
    for c in target.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        flush(&mut out, &mut run);
        out.push(c);
    }
    flush(&mut out, &mut run);
    out
}

fn flush(out: &mut String, run: &mut String) {
    if run.len() >= SECRET_HEX_RUN {
        out.push('…');
    } else {
        out.push_str(run);
    }
    run.clear();
}

/// tracing-actix-web's root span, with the target redacted and the client as
/// [`client::of_service_request`] decides (not as `X-Forwarded-For` claims).
pub struct RedactedRootSpan;

impl RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = redact_target(
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or(""),
        );
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "default".to_owned());
        let user_agent = request
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client::of_service_request(request),
            http.user_agent = %user_agent,
            http.target = %target,
            http.status_code = Empty,
            otel.kind = "server",
            otel.status_code = Empty,
            request_id = %request_id,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_tokens_never_reach_the_log() {
        let token = "ab".repeat(32);
        assert_eq!(redact_target(&format!("/r/{token}")), "/r/…");
        assert_eq!(
            redact_target(&format!("/r/{token}/step/3?lang=en")),
            "/r/…/step/3?lang=en"
        );
        assert_eq!(redact_target("/r/not-a-token"), "/r/…");
        assert_eq!(
            redact_target(&format!("/signin?next=%2Fr%2F{token}")),
            // `2F` of the encoded slash joins the run: still nothing of the token.
            "/signin?next=%2Fr%…"
        );
    }

    #[test]
    fn other_addresses_are_logged_as_they_are() {
        let id = "0193a2b4-7c1d-7e2f-8a3b-4c5d6e7f8091";
        assert_eq!(
            redact_target(&format!("/diagnostics/{id}/results?lang=en")),
            format!("/diagnostics/{id}/results?lang=en")
        );
        assert_eq!(redact_target("/"), "/");
    }
}

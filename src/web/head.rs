//! `HEAD` on every `GET` route, by one rule rather than a second route each.
//!
//! actix-web routes a `HEAD` request only to routes that name it, so `web::get()` answered 404
//! (monitoring probes and link checkers ask `HEAD`). Here, before routing, a `HEAD` request is
//! routed as the `GET` it mirrors; the HTTP/1 codec remembers the request was `HEAD` and sends
//! the answer's status and headers without its body, as RFC 9110 § 9.3.2 asks. A `HEAD` on an
//! address that has only `POST` is therefore answered as a `GET` there would be.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

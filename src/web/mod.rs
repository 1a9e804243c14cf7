//! The web interface: server-rendered HTML (maud) that works without JavaScript and loads
//! nothing from another host. [`routes`] lists every route; pages are plain functions
//! returning `Markup` in [`pages`], wrapped by [`layout::page`].

pub mod access;
pub mod client;
pub mod error;
pub mod error_pages;
pub mod form_text;
pub mod head;
pub mod health;
pub mod lang;
pub mod limits;
pub mod logging;
pub mod pages;
pub mod routes;
pub mod session;
pub mod ui;

use crate::db::Pool;
use crate::domain::questionnaire::Registry;
use std::sync::Arc;

/// What every handler can reach. Nothing here changes after start: the server keeps no
/// state of its own, so several instances can serve one database.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub registry: Arc<Registry>,
    /// Queues write transactions on SQLite (see [`crate::db::WriteGate`]).
    pub writes: Arc<crate::db::WriteGate>,
    /// The programme's coalitions, to point to from recommendations.
    pub catalogue: Arc<crate::domain::coalition::catalogue::Catalogue>,
    /// Signs and encrypts the session cookie; the same on every instance.
    pub session_key: actix_web::cookie::Key,
    /// Whether cookies are sent only over HTTPS.
    pub secure_cookies: bool,
    /// `APP_REPORTS_DIR`. Unused since issue 15: reports are stored in the database
    /// (`crate::app::publications`) and the command line writes to `--out`.
    pub reports_dir: std::path::PathBuf,
    /// Proxies whose `X-Forwarded-For` names the client (see [`client`]).
    pub trusted_proxies: client::TrustedProxies,
    /// Sign-ups per client and starts per shared link (see [`limits`]).
    pub limits: limits::Limits,
    /// Who operates this instance, for the legal pages.
    pub operator: Arc<crate::domain::legal::Operator>,
    /// How long what is not kept for ever is kept, as the legal pages say.
    pub retention: crate::domain::legal::Retention,
    /// Links in mails and the nudge of this instance's mail worker.
    pub mailer: crate::app::mailer::Mailer,
    /// `APP_MIN_ANSWERED_SHARE`: the coverage a response needs before it can be sent.
    pub min_answered_share: f64,
}

/// Today's date (UTC): what forms compare dates with (no future measurement, stage…).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

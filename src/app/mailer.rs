//! What the rest of the service knows of mail: where links in a mail point, who sends, and
//! how to wake this instance's worker (`crate::app::worker`) after queueing one. The settings
//! come from `crate::config`; sending is `crate::app::mail_delivery`'s.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// What the rest of the service knows of mail: the base of links, the sender, and how to
/// wake this instance's worker. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    config: Arc<MailConfig>,
    nudge: Arc<Notify>,
}

/// The mail settings (see `crate::config::Settings`).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `APP_SMTP_URL`; `None`: mails are written to `outbox_dir`.
    pub smtp_url: Option<String>,
    /// `APP_MAIL_FROM`.
    pub from: String,
    /// `APP_PUBLIC_URL`, without a trailing slash; `None` until the listening port is known,
    /// when it defaults to `http://127.0.0.1:PORT`.
    pub public_url: Option<String>,
    pub outbox_dir: PathBuf,
    /// How often the worker looks at the queue when nothing woke it.
    pub poll: Duration,
    /// `APP_MAIL_WORKER`: whether this instance runs the worker.
    pub run_worker: bool,
}

impl Mailer {
    pub fn new(config: MailConfig) -> Mailer {
        let mut config = config;
        config.public_url = config
            .public_url
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        Mailer {
            config: Arc::new(config),
            nudge: Arc::new(Notify::new()),
        }
    }

    /// The same mailer, its links based on `http://127.0.0.1:{port}` unless `APP_PUBLIC_URL`
    /// was given.
    pub fn listening_on(&self, port: u16) -> Mailer {
        if self.config.public_url.is_some() {
            return self.clone();
        }
        let mut config = (*self.config).clone();
        config.public_url = Some(format!("http://127.0.0.1:{port}"));
        Mailer {
            config: Arc::new(config),
            nudge: self.nudge.clone(),
        }
    }

    pub fn config(&self) -> &MailConfig {
        &self.config
    }

    /// The base of every link in a mail, without a trailing slash.
    pub fn public_url(&self) -> &str {
        self.config
            .public_url
            .as_deref()
            .unwrap_or("http://127.0.0.1:8080")
    }

    /// The full address of a path of the service (`/password/reset/…`), for a mail.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url())
    }

    /// Wakes this instance's worker: call it after committing a queued mail.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Resolves when [`Mailer::nudge`] is called: what the worker waits on between polls.
    pub async fn woken(&self) {
        self.nudge.notified().await
    }

    /// The host named in message ids.
    pub(crate) fn message_host(&self) -> String {
        let url = self.public_url();
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if host.is_empty() {
            "localhost".to_owned()
        } else {
            host.to_owned()
        }
    }
}

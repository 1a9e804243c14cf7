//! Configuration: command-line flags, each with an environment variable and a default.
//!
//! Precedence: a flag, then its environment variable, then the default shown by `--help`.
//! Nothing else is read: a service instance is fully described by these values.

use crate::db;
use crate::domain::i18n::Lang;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: `sqlite://path/file.sqlite` or `postgres://user:password@host/database`.
    /// Default: the SQLite file `reset-eval.sqlite` in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Data directory, holding the default SQLite database.
    #[arg(long, env = "APP_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Folder of the questionnaire files (`<slug>/<version>.toml`).
    #[arg(
        long,
        env = "APP_QUESTIONNAIRES_DIR",
        default_value = "questionnaires",
        global = true
    )]
    pub questionnaires_dir: PathBuf,

    /// Folder of the yearly evaluation reports (`<year>/index.html`, …).
    #[arg(
        long,
        env = "APP_REPORTS_DIR",
        default_value = "reports",
        global = true
    )]
    pub reports_dir: PathBuf,

    /// Log filter, in tracing's syntax (`info`, `reset_eval=debug,info`, …).
    #[arg(long, env = "APP_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Key that signs and encrypts session cookies: at least 64 random bytes, in hexadecimal
    /// (`openssl rand -hex 64`). Every instance behind one load balancer needs the same key.
    /// Default: a new random key at each start (everyone is signed out on restart).
    #[arg(long, env = "APP_SESSION_KEY", global = true, hide_env_values = true)]
    pub session_key: Option<String>,

    /// Send cookies over HTTPS only: set it to true in production, behind TLS.
    #[arg(
        long,
        env = "APP_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Reverse proxies whose `X-Forwarded-For` is believed, comma-separated addresses or
    /// networks (`10.0.0.1,192.168.0.0/16`). Empty: the client is the connection's peer.
    #[arg(long, env = "APP_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,

    /// Accounts one client address may create in an hour.
    #[arg(
        long,
        env = "APP_SIGN_UPS_PER_CLIENT_PER_HOUR",
        default_value_t = 10,
        global = true
    )]
    pub sign_ups_per_client_per_hour: u32,

    /// People who may start answering through one shared invitation link in an hour.
    #[arg(
        long,
        env = "APP_STARTS_PER_SHARED_LINK_PER_HOUR",
        default_value_t = 100,
        global = true
    )]
    pub starts_per_shared_link_per_hour: u32,

    /// Share of a questionnaire's scored questions that must have an answer (« je ne sais
    /// pas » and « non applicable » are not) before a response can be sent: with one answer
    /// out of 56, the scores would say nothing of an organisation. Between 0 and 1.
    #[arg(long, env = "APP_MIN_ANSWERED_SHARE", default_value_t = 0.5, value_parser = parse_share, global = true)]
    pub min_answered_share: f64,

    /// How SQLite makes an acknowledged write durable: `full` (the default: an fsync at each
    /// commit, so a power cut loses nothing acknowledged) or `normal` (faster on slow disks; a
    /// power cut may lose the last acknowledged writes, never corrupting the file).
    /// PostgreSQL ignores it.
    #[arg(long, env = "APP_SQLITE_SYNCHRONOUS", default_value = "full", value_parser = parse_synchronous, global = true)]
    pub sqlite_synchronous: db::Synchronous,

    /// The operator of this instance, as the legal pages (`/mentions-legales`,
    /// `/donnees-personnelles`, `/accessibilite`) name it. Empty: a placeholder naming the
    /// setting to fill.
    #[arg(long, env = "APP_OPERATOR_NAME", default_value = "", global = true)]
    pub operator_name: String,

    /// The operator's postal address.
    #[arg(long, env = "APP_OPERATOR_ADDRESS", default_value = "", global = true)]
    pub operator_address: String,

    /// Where people write about the service, their personal data or its accessibility.
    #[arg(long, env = "APP_OPERATOR_EMAIL", default_value = "", global = true)]
    pub operator_email: String,

    /// The publication director (directeur ou directrice de la publication).
    #[arg(long, env = "APP_OPERATOR_DIRECTOR", default_value = "", global = true)]
    pub operator_director: String,

    /// The host: name, address and telephone, as French law asks.
    #[arg(long, env = "APP_OPERATOR_HOST", default_value = "", global = true)]
    pub operator_host: String,

    /// Months after which a response never submitted is deleted (counted from its last save).
    #[arg(
        long,
        env = "APP_RETENTION_UNSUBMITTED_MONTHS",
        default_value_t = crate::domain::legal::DEFAULT_UNSUBMITTED_MONTHS,
        value_parser = clap::value_parser!(u32).range(1..=1200),
        global = true
    )]
    pub retention_unsubmitted_months: u32,
    /// Mail server: `smtps://user:password@host:465` (TLS), `smtp://user:password@host:587?tls=required`
    /// (STARTTLS) or `smtp://host:25` (unencrypted, a relay on this machine). Unset: each mail
    /// is written as an `.eml` file in `<APP_DATA_DIR>/outbox/` (demo, development).
    #[arg(long, env = "APP_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender of the service's mails, `Name <address>` or an address.
    #[arg(
        long,
        env = "APP_MAIL_FROM",
        default_value = "#RESET <ne-pas-repondre@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Address of the service as people reach it (`https://reset.example.org`): the base of
    /// every link in a mail. Default: `http://127.0.0.1:PORT`, from the listening port.
    #[arg(long, env = "APP_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Seconds between two looks of the worker at the mail queue and the periodic tasks when
    /// nothing woke it (a mail queued on this instance is sent at once).
    #[arg(
        long,
        env = "APP_WORKER_POLL_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub worker_poll_seconds: u64,

    /// Run the mail worker and the periodic tasks on this instance (`true`, the default). Set
    /// `false` on instances that should only serve pages; at least one instance must run it.
    #[arg(long, env = "APP_MAIL_WORKER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub mail_worker: bool,

    /// Language of the command line's messages: `fr` or `en`.
    #[arg(long, env = "APP_LANG", default_value = "fr", value_parser = parse_lang, global = true)]
    pub lang: Lang,
}

fn parse_synchronous(s: &str) -> Result<db::Synchronous, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "full" => Ok(db::Synchronous::Full),
        "normal" => Ok(db::Synchronous::Normal),
        _ => Err(format!("« {s} » : full ou normal / full or normal")),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.trim().replace(',', ".").parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!(
            "« {s} » : un nombre entre 0 et 1 (0.5 pour la moitié) / a number between 0 and 1 (0.5 for half)"
        )),
    }
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("« {s} » : fr ou en / fr or en"))
}

impl Settings {
    /// The operator as the legal pages name it.
    pub fn operator(&self) -> crate::domain::legal::Operator {
        crate::domain::legal::Operator {
            name: self.operator_name.clone(),
            address: self.operator_address.clone(),
            email: self.operator_email.clone(),
            director: self.operator_director.clone(),
            host: self.operator_host.clone(),
        }
    }

    pub fn retention(&self) -> crate::domain::legal::Retention {
        crate::domain::legal::Retention {
            unsubmitted_months: self.retention_unsubmitted_months,
        }
    }

    /// The mail settings, for the worker and the use cases that queue mails.
    pub fn mail_config(&self) -> crate::app::mailer::MailConfig {
        crate::app::mailer::MailConfig {
            smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
            from: self.mail_from.clone(),
            public_url: self.public_url.clone(),
            outbox_dir: self.data_dir.join("outbox"),
            poll: std::time::Duration::from_secs(self.worker_poll_seconds.max(1)),
            run_worker: self.mail_worker,
        }
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| db::default_url(&self.data_dir))
    }
}

impl Settings {
    /// The session key from `APP_SESSION_KEY`, or a random one (with a warning).
    pub fn session_key(&self) -> anyhow::Result<actix_web::cookie::Key> {
        let Some(hex) = self.session_key.as_deref().filter(|k| !k.trim().is_empty()) else {
            tracing::warn!(
                "APP_SESSION_KEY is not set: sessions use a random key and end when the service restarts"
            );
            return Ok(actix_web::cookie::Key::generate());
        };
        let hex = hex.trim();
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect();
        match bytes {
            Some(bytes) if bytes.len() >= 64 && hex.len() % 2 == 0 => {
                Ok(actix_web::cookie::Key::from(&bytes))
            }
            _ => anyhow::bail!(
                "{}",
                self.lang.pick(
                    "APP_SESSION_KEY doit compter au moins 64 octets en hexadécimal (128 caractères), par exemple la sortie de `openssl rand -hex 64`",
                    "APP_SESSION_KEY must be at least 64 bytes in hexadecimal (128 characters), e.g. the output of `openssl rand -hex 64`"
                )
            ),
        }
    }
}

/// Hides the password of a database URL, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}://{}:***{}",
                    &url[..scheme],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

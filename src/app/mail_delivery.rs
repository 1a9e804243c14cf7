//! How a queued mail leaves: over SMTP (`APP_SMTP_URL`, with lettre), or, without a server
//! (the demo, development), as an `.eml` file in `<APP_DATA_DIR>/outbox/`, one file a
//! queued mail named after its id, which any mail client opens.
//!
//! `APP_SMTP_URL` follows lettre's form: `smtps://user:pass@host:465` (TLS),
//! `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtp://host:25` (unencrypted: a
//! relay on the same machine only). The password is never logged: [`Delivery::describe`]
//! hides it.

use crate::db::QueuedMail;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How long one SMTP exchange may take; the worker's lease on a mail outlasts it.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

/// Where mails go.
#[derive(Clone)]
pub enum Delivery {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The URL without its password, for the log.
        shown_as: String,
    },
    Outbox(PathBuf),
}

/// Why a mail did not leave.
#[derive(Debug)]
pub struct DeliveryError {
    pub message: String,
    /// Retrying cannot help (an address the server refuses for good, a mail that cannot be
    /// built): the mail is given up at once.
    pub permanent: bool,
}

impl Delivery {
    /// SMTP when a URL is given, the outbox folder otherwise.
    pub fn from_settings(smtp_url: Option<&str>, outbox: PathBuf) -> anyhow::Result<Delivery> {
        match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                let shown_as = crate::startup::redact(url);
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("APP_SMTP_URL ({shown_as}): {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Delivery::Smtp {
                    transport,
                    shown_as,
                })
            }
            None => Ok(Delivery::Outbox(outbox)),
        }
    }

    /// Where mails go, for the log (never a password).
    pub fn describe(&self) -> String {
        match self {
            Delivery::Smtp { shown_as, .. } => shown_as.clone(),
            Delivery::Outbox(dir) => dir.display().to_string(),
        }
    }

    /// Sends one mail; the message id is made from the queue id, so that a mail sent twice
    /// (an instance killed between sending and recording it) is recognisably the same.
    pub async fn send(
        &self,
        mail: &QueuedMail,
        from: &str,
        message_host: &str,
    ) -> Result<(), DeliveryError> {
        let message = build_message(mail, from, message_host)?;
        match self {
            Delivery::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| DeliveryError {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
            }
            Delivery::Outbox(dir) => {
                let transient = |e: std::io::Error| DeliveryError {
                    message: format!("{}: {e}", dir.display()),
                    permanent: false,
                };
                tokio::fs::create_dir_all(dir).await.map_err(transient)?;
                let path = dir.join(format!("{}.eml", mail.id));
                // Written aside then renamed: a reader of the folder never sees half a mail.
                let partial = dir.join(format!(".{}.eml.partial", mail.id));
                tokio::fs::write(&partial, message.formatted())
                    .await
                    .map_err(transient)?;
                tokio::fs::rename(&partial, &path)
                    .await
                    .map_err(transient)?;
                tracing::info!(path = %path.display(), "mail written to the outbox folder (no APP_SMTP_URL)");
                Ok(())
            }
        }
    }
}

fn build_message(mail: &QueuedMail, from: &str, host: &str) -> Result<Message, DeliveryError> {
    let permanent = |what: &str, e: &dyn std::fmt::Display| DeliveryError {
        message: format!("{what}: {e}"),
        permanent: true,
    };
    let from: Mailbox = from.parse().map_err(|e| permanent("APP_MAIL_FROM", &e))?;
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| permanent("recipient", &e))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{host}>", mail.id)))
        .header(ContentLanguage(mail.language.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(part(ContentType::TEXT_PLAIN, &mail.text_body)?)
                .singlepart(part(ContentType::TEXT_HTML, &mail.html_body)?),
        )
        .map_err(|e| permanent("message", &e))
}

/// One part, always quoted-printable: readable as it stands, links intact once decoded,
/// whatever the share of accented letters (lettre would otherwise choose base64 for some).
fn part(kind: ContentType, body: &str) -> Result<SinglePart, DeliveryError> {
    let body = Body::new_with_encoding(body.to_owned(), ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| DeliveryError {
        message: "a mail body could not be encoded".to_owned(),
        permanent: true,
    })?;
    Ok(SinglePart::builder().header(kind).body(body))
}

/// `Content-Language`: the mail's language, for readers and filters.
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl header::Header for ContentLanguage {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_owned()))
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

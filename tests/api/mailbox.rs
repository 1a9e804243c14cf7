//! Reading the mails the app sent, for the tests of invitations, reminders, co-leads and
//! notifications: each message's recipient, subject and plain-text part, decoded. The mails
//! come from the real SMTP server of the mail tests (`crate::mail::SmtpServer`) for an app
//! made by [`spawn_app_with_smtp`], or from the outbox folder otherwise (the helpers that sign
//! people up for coalition members read the outbox).

use crate::helpers::{TestApp, Visitor, link_path, shipped_questionnaires, spawn_app_configured};
use crate::mail::SmtpServer;
use reset_eval::app::mailer::{MailConfig, Mailer};
use reset_eval::app::tasks::WorkerContext;
use reset_eval::db::WriteGate;
use std::sync::Arc;
use std::time::Duration;

/// A worker's context on the app's database, to run a periodic task at a chosen time; the
/// mails it queues are sent by the app's own worker.
pub fn worker(app: &TestApp) -> WorkerContext {
    let port: u16 = app
        .address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    WorkerContext {
        pool: app.pool.clone(),
        writes: Arc::new(WriteGate::for_url(&app.database_url)),
        mailer: Mailer::new(MailConfig {
            smtp_url: None,
            from: "#RESET <ne-pas-repondre@localhost>".into(),
            public_url: None,
            outbox_dir: app._dir.path().join("outbox"),
            poll: Duration::from_secs(1),
            // Only queues: the app's own worker sends.
            run_worker: false,
        })
        .listening_on(port),
        retention: reset_eval::domain::legal::Retention::default(),
        registry: app.registry.clone(),
    }
}

/// An app whose mails go to a real SMTP server started for the test.
pub struct SmtpApp {
    pub app: TestApp,
    pub smtp: SmtpServer,
}

impl std::ops::Deref for SmtpApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

pub async fn spawn_app_with_smtp() -> SmtpApp {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let app = spawn_app_configured(shipped_questionnaires(), move |s| s.smtp_url = Some(url)).await;
    SmtpApp { app, smtp }
}

impl SmtpApp {
    /// Signs a visitor up, following the confirmation link the SMTP server received.
    pub async fn sign_up(&self, visitor: &Visitor, name: &str, email: &str) {
        visitor.get("/signup").await;
        let (status, location, body) = visitor
            .post(
                "/signup",
                &[
                    ("display_name", name),
                    ("email", email),
                    ("password", crate::helpers::TEST_PASSWORD),
                    ("password_confirm", crate::helpers::TEST_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, "/signup/sent");
        let mail = self.smtp.wait_for(email, "/signup/confirm/").await;
        let path = link_path(&mail.text, "/signup/confirm/");
        visitor.get(&path).await;
        let (status, _, body) = visitor.post(&path, &[]).await;
        assert_eq!(status, 303, "{body}");
    }

    /// The mails the SMTP server accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.smtp
            .received()
            .into_iter()
            .map(|m| {
                let mut mail = parse_readable(&m.text);
                if let Some(to) = m.to.first() {
                    mail.to = to.clone();
                }
                mail
            })
            .collect()
    }

    /// The mails received so far to any of `addresses`, waiting (up to 15 s) until there are
    /// at least `count`.
    pub async fn mails(&self, addresses: &[&str], count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let found: Vec<Received> = self
                .received()
                .into_iter()
                .filter(|m| addresses.contains(&m.to.as_str()))
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "fewer than {count} mail(s) were received for {addresses:?}: {:#?}",
            self.received()
        );
    }

    /// The mails received so far to any of `addresses`, once the queue has had time to send
    /// more (to see that none was added).
    pub async fn mails_settled(&self, addresses: &[&str]) -> Vec<Received> {
        tokio::time::sleep(Duration::from_millis(2500)).await;
        self.received()
            .into_iter()
            .filter(|m| addresses.contains(&m.to.as_str()))
            .collect()
    }
}

/// A mail as a person reads it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
}

impl Received {
    /// The path of the first link to this service in the mail (`/r/…`, `/co-leads/…`).
    pub fn link(&self, prefix: &str) -> Option<String> {
        let at = self.text.find(prefix)?;
        let rest = &self.text[at..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }
}

/// The mails sent so far whose subject starts with `subject` (others, such as sign-up
/// confirmations, are left out), waiting (up to 10 s) until there are at least `count`.
pub async fn mails_titled(app: &TestApp, subject: &str, count: usize) -> Vec<Received> {
    for _ in 0..200 {
        let found = sent_titled(app, subject);
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "fewer than {count} mail(s) titled « {subject} » were sent: {:#?}",
        sent(app)
    );
}

/// The mails titled `subject…` sent so far, once the queue has had time to send more.
pub async fn mails_titled_settled(app: &TestApp, subject: &str) -> Vec<Received> {
    tokio::time::sleep(Duration::from_millis(2500)).await;
    sent_titled(app, subject)
}

fn sent_titled(app: &TestApp, subject: &str) -> Vec<Received> {
    sent(app)
        .into_iter()
        .filter(|m| m.subject.starts_with(subject))
        .collect()
}

/// The mails sent to `address` among `all`.
pub fn to<'a>(all: &'a [Received], address: &str) -> Vec<&'a Received> {
    all.iter().filter(|m| m.to == address).collect()
}

fn sent(app: &TestApp) -> Vec<Received> {
    let outbox = app._dir.path().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&outbox)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|raw| parse(&raw))
        .collect()
}

/// Headers of a message or part, unfolded, and its body.
fn split(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    (headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// A mail whose parts the SMTP test server already decoded.
fn parse_readable(text: &str) -> Received {
    let (headers, body) = split(text);
    Received {
        to: header(&headers, "to")
            .trim_matches(|c| c == '<' || c == '>')
            .to_owned(),
        subject: decode_words(header(&headers, "subject")),
        text: plain_part(&headers, &body, false),
    }
}

fn parse(raw: &str) -> Received {
    let (headers, body) = split(raw);
    let to = header(&headers, "to")
        .trim_matches(|c| c == '<' || c == '>')
        .to_owned();
    let subject = decode_words(header(&headers, "subject"));
    Received {
        to,
        subject,
        text: plain_part(&headers, &body, true),
    }
}

/// The text/plain part of a (possibly multipart) body, decoded when `decode`.
fn plain_part(headers: &[(String, String)], body: &str, decode: bool) -> String {
    let content_type = header(headers, "content-type");
    if let Some(at) = content_type.find("boundary=") {
        let boundary = content_type[at + 9..]
            .split(';')
            .next()
            .unwrap_or("")
            .trim_matches('"');
        for part in body.split(&format!("--{boundary}")) {
            let (part_headers, part_body) = split(part.trim_start_matches('\n'));
            let kind = header(&part_headers, "content-type");
            if kind.starts_with("text/plain") || kind.starts_with("multipart/") {
                let text = plain_part(&part_headers, &part_body, decode);
                if !text.is_empty() {
                    return text;
                }
            }
        }
        return String::new();
    }
    if !decode {
        return body.to_owned();
    }
    match header(headers, "content-transfer-encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "quoted-printable" => quoted_printable(body),
        "base64" => String::from_utf8_lossy(&base64(&body.replace(['\n', ' '], ""))).into_owned(),
        _ => body.to_owned(),
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(byte) = joined
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        buffer = (buffer << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) of a header.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        // Blanks between two encoded words are dropped; any other text is kept.
        let between = &rest[..start];
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        after_word = true;
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let Some(end) = parts.get(2).and_then(|p| p.find("?=")) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let payload = &parts[2][..end];
        let decoded = if parts[1].eq_ignore_ascii_case("b") {
            String::from_utf8_lossy(&base64(payload)).into_owned()
        } else {
            quoted_printable(&payload.replace('_', " "))
        };
        out.push_str(&decoded);
        rest = &parts[2][end + 2..];
    }
    out.push_str(rest);
    out
}

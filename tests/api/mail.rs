//! Mail: the queue, the worker that sends it, the outbox folder used without a server, and
//! the flows that depend on it (sign-up confirmation, password reset), through a real SMTP
//! server started by the test (mailin-embedded, plain SMTP on a free port).

use crate::helpers::{
    TEST_PASSWORD, TestApp, csrf_of, fresh_database_url, link_path, outbox_names, readable_mail,
    shipped_questionnaires, spawn_app, spawn_app_configured, wait_for_mail,
};
use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use reset_eval::domain::{i18n::Lang, mail::Mail};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A mail the test SMTP server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    /// The message with its parts decoded.
    pub text: String,
}

/// A real SMTP server on a free port, recording what it accepts; it can be told to refuse
/// every mail for now (a temporary failure, 451).
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refusing: Arc<AtomicBool>,
}

#[derive(Clone)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
    refusing: Arc<AtomicBool>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Recorder {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        // Refused here, before the message: mailin answers the DATA command and stays in a
        // state where the client's next command is understood.
        if self.refusing.load(Ordering::SeqCst) {
            return response::INTERNAL_ERROR;
        }
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&self.data).into_owned();
        self.received.lock().expect("lock").push(Received {
            to: std::mem::take(&mut self.to),
            text: readable_mail(&raw),
        });
        response::OK
    }
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refusing = Arc::new(AtomicBool::new(false));
        let mut server = Server::new(Recorder {
            received: received.clone(),
            refusing: refusing.clone(),
            to: Vec::new(),
            data: Vec::new(),
        });
        server
            .with_name("test.invalid")
            .with_ssl(SslConfig::None)
            .expect("no TLS")
            .with_num_threads(4)
            .with_tcp_listener(listener);
        // Serves until the test process ends.
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer {
            port,
            received,
            refusing,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits (up to 15 s) for a mail to `to` containing `marker`.
    pub async fn wait_for(&self, to: &str, marker: &str) -> Received {
        for _ in 0..300 {
            if let Some(mail) = self
                .received()
                .into_iter()
                .find(|m| m.to.iter().any(|t| t == to) && m.text.contains(marker))
            {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no mail to {to} with {marker}: {:?}", self.received());
    }
}

async fn app_with_smtp(smtp: &SmtpServer) -> TestApp {
    let url = smtp.url();
    spawn_app_configured(shipped_questionnaires(), move |s| s.smtp_url = Some(url)).await
}

async fn mail_rows(app: &TestApp) -> Vec<(String, String, i32, Option<String>)> {
    sqlx::query_as(
        "SELECT recipient, status, attempts, last_error FROM mail_queue ORDER BY created_at, id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("rows")
}

#[tokio::test]
async fn a_queued_mail_is_written_to_the_outbox_when_no_smtp_server_is_set() {
    let app = spawn_app().await;
    let mail = Mail::builder("lea@example.org", Lang::En, "Your link")
        .greeting("Léa")
        .link("Open", "http://127.0.0.1/x")
        .build();
    reset_eval::db::queue_mail(&app.pool, &mail, &reset_eval::db::now())
        .await
        .expect("queued");

    let outbox = app._dir.path().join("outbox");
    let mail = wait_for_mail(
        &outbox,
        "lea@example.org",
        "http://127.0.0.1/x",
        &BTreeSet::new(),
    )
    .await;
    assert!(mail.contains("Subject: Your link"), "{mail}");
    assert!(mail.contains("Content-Language: en"), "{mail}");
    assert!(mail.contains("Hello Léa,"), "{mail}");
    // The worker marks the mail sent just after writing its file: wait for that row.
    let mut rows = mail_rows(&app).await;
    for _ in 0..100 {
        if rows.first().is_some_and(|r| r.1 == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        rows = mail_rows(&app).await;
    }
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].1, "sent");
}

#[tokio::test]
async fn a_sign_up_mail_arrives_over_smtp_in_the_persons_language_and_its_link_works_once() {
    let smtp = SmtpServer::start();
    let app = app_with_smtp(&smtp).await;
    let visitor = app.visitor();
    visitor.get("/signup?lang=en").await;
    let (status, location, body) = visitor
        .post(
            "/signup",
            &[
                ("display_name", "Lea"),
                ("email", "Lea@Example.org"),
                ("password", TEST_PASSWORD),
                ("password_confirm", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/signup/sent");
    let (_, sent) = visitor.get("/signup/sent").await;
    assert!(
        sent.contains("lea@example.org"),
        "the page shows where the mail went"
    );
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(accounts, 0, "no account before the address is confirmed");

    let mail = smtp.wait_for("lea@example.org", "/signup/confirm/").await;
    assert!(mail.text.contains("Content-Language: en"), "{}", mail.text);
    assert!(
        mail.text.contains("Subject: Confirm your address"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Hello Lea,"), "{}", mail.text);
    assert!(
        mail.text
            .contains(&format!("{}/signup/confirm/", app.address)),
        "links are based on the service's address: {}",
        mail.text
    );
    let path = link_path(&mail.text, "/signup/confirm/");

    // Opening the link (as a mail client's link checker would) uses nothing up.
    let (status, page) = app.visitor().get(&path).await;
    assert_eq!(status, 200, "{page}");
    let (status, page) = visitor.get(&path).await;
    assert_eq!(status, 200, "{page}");
    let (status, location, body) = visitor.post(&path, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/organisations/new");
    let (status, _) = visitor.get("/organisations/new").await;
    assert_eq!(status, 200, "signed in");
    let language: String =
        sqlx::query_scalar("SELECT language FROM accounts WHERE email = 'lea@example.org'")
            .fetch_one(&app.pool)
            .await
            .expect("the account");
    assert_eq!(language, "en", "the account's mails will be in English");

    // A second use is refused, with a page that says what to do.
    let again = app.visitor();
    let (status, page) = again.get(&path).await;
    assert_eq!(status, 410);
    assert!(
        page.contains("/signup") && page.contains("/signin"),
        "{page}"
    );
    let (status, _, page) = again.post(&path, &[]).await;
    assert_eq!(status, 410, "{page}");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn signing_up_with_an_address_that_has_an_account_reads_the_same_and_mails_its_owner() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;

    let stranger = app.visitor();
    let before = outbox_names(&stranger.outbox);
    stranger.get("/signup").await;
    let (status, location, _) = stranger
        .post(
            "/signup",
            &[
                ("display_name", "Quelqu'un"),
                ("email", "lea@exemple.fr"),
                ("password", "un autre mot de passe long"),
                ("password_confirm", "un autre mot de passe long"),
            ],
        )
        .await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/signup/sent"));
    let mail = wait_for_mail(
        &stranger.outbox,
        "lea@exemple.fr",
        "/password/reset/",
        &before,
    )
    .await;
    assert!(mail.contains("Vous avez déjà un compte"), "{mail}");
    assert!(!mail.contains("/signup/confirm/"), "{mail}");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(accounts, 1);
    // The owner's password is unchanged by someone else's sign-up.
    let owner = app.visitor();
    owner.sign_in("lea@exemple.fr").await;
}

#[tokio::test]
async fn a_password_reset_link_sets_a_new_password_once_signs_in_and_ends_other_sessions() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let other_device = app.visitor();
    other_device.sign_in("lea@exemple.fr").await;

    let forgetful = app.visitor();
    let (_, signin) = forgetful.get("/signin").await;
    assert!(
        signin.contains(r#"href="/password/forgot""#),
        "linked from the sign-in page"
    );
    let before = outbox_names(&forgetful.outbox);
    forgetful.get("/password/forgot").await;
    let (status, location, body) = forgetful
        .post("/password/forgot", &[("email", " Lea@Exemple.fr ")])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/password/forgot/sent");
    let mail = wait_for_mail(
        &forgetful.outbox,
        "lea@exemple.fr",
        "/password/reset/",
        &before,
    )
    .await;
    assert!(
        mail.contains("Bonjour Léa,"),
        "in the account's language: {mail}"
    );
    let path = link_path(&mail, "/password/reset/");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM password_resets")
        .fetch_one(&app.pool)
        .await
        .expect("a reset");
    assert!(
        !path.contains(&stored),
        "the database keeps only a hash of the link"
    );

    let (status, _) = forgetful.get(&path).await;
    assert_eq!(status, 200);
    let (status, _, page) = forgetful
        .post(
            &path,
            &[
                ("password", "nouvelle phrase secrète"),
                ("password_confirm", "autre chose encore"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains(r#"id="password_confirm-error""#), "{page}");
    let (status, location, body) = forgetful
        .post(
            &path,
            &[
                ("password", "nouvelle phrase secrète"),
                ("password_confirm", "nouvelle phrase secrète"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/organisations");
    let (status, _) = forgetful.get("/organisations").await;
    assert_eq!(status, 200, "signed in by the reset");
    for device in [&lead, &other_device] {
        let (status, _) = device.get("/organisations").await;
        assert_eq!(status, 303, "every other session is ended");
    }

    // The old password no longer opens the account; the new one does.
    let (status, _, _) = app
        .visitor()
        .post(
            "/signin",
            &[("email", "lea@exemple.fr"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = app
        .visitor()
        .post(
            "/signin",
            &[
                ("email", "lea@exemple.fr"),
                ("password", "nouvelle phrase secrète"),
            ],
        )
        .await;
    assert_eq!(status, 303);

    // A second use is refused, offering a new link.
    let (status, page) = app.visitor().get(&path).await;
    assert_eq!(status, 410);
    assert!(page.contains(r#"href="/password/forgot""#), "{page}");
    let (status, _, _) = app
        .visitor()
        .post(
            &path,
            &[
                ("password", "encore une autre phrase"),
                ("password_confirm", "encore une autre phrase"),
            ],
        )
        .await;
    assert_eq!(status, 410);
}

#[tokio::test]
async fn the_reset_answer_is_the_same_for_an_unknown_address_and_mails_nobody() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;
    let sent_before = mail_rows(&app).await.len();

    let mut answers = Vec::new();
    for email in ["lea@exemple.fr", "personne@exemple.fr"] {
        let visitor = app.visitor();
        visitor.get("/password/forgot").await;
        let (status, location, _) = visitor.post("/password/forgot", &[("email", email)]).await;
        let (page_status, page) = visitor.get(&location).await;
        answers.push((status, location, page_status, page));
    }
    assert_eq!(answers[0].0, 303);
    assert_eq!(answers[0], answers[1], "the same answer, page included");

    // The worker handles the requests after the answer (the request does the same work
    // for both addresses): wait until it took both.
    for _ in 0..200 {
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_reset_queue")
            .fetch_one(&app.pool)
            .await
            .expect("count");
        if waiting == 0 && mail_rows(&app).await.len() > sent_before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let rows = mail_rows(&app).await;
    assert_eq!(rows.len(), sent_before + 1, "one mail, to the account only");
    assert!(rows.iter().all(|r| r.0 != "personne@exemple.fr"));
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_whether_it_has_an_account_or_not() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.get("/password/forgot").await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, _, page) = visitor
            .post("/password/forgot", &[("email", "personne@exemple.fr")])
            .await;
        statuses.push(status.as_u16());
        if status == 429 {
            assert!(
                page.contains(r#"value="personne@exemple.fr""#),
                "what was typed is kept"
            );
            assert!(page.contains(r#"id="email-error""#), "{page}");
        }
    }
    assert_eq!(statuses, [303, 303, 303, 429]);
    let (status, _, page) = visitor
        .post("/password/forgot", &[("email", "pas une adresse")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains(r#"id="email-error""#));
}

#[tokio::test]
async fn a_failing_smtp_server_leaves_the_mail_queued_and_staff_can_send_it_again() {
    let smtp = SmtpServer::start();
    smtp.refuse(true);
    let app = app_with_smtp(&smtp).await;
    let mail = Mail::builder("lea@exemple.fr", Lang::Fr, "Un essai").build();
    reset_eval::db::queue_mail(&app.pool, &mail, &reset_eval::db::now())
        .await
        .expect("queued");

    let mut rows = Vec::new();
    for _ in 0..300 {
        rows = mail_rows(&app).await;
        if rows.first().is_some_and(|r| r.2 >= 1 && r.3.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, status, attempts, error) = rows.first().cloned().expect("the mail is kept");
    assert_eq!(
        (status.as_str(), attempts),
        ("waiting", 1),
        "kept for a later attempt"
    );
    assert!(
        error.as_deref().is_some_and(|e| e.contains("451")),
        "the error is recorded: {error:?}"
    );
    let next: String = sqlx::query_scalar("SELECT next_attempt_at FROM mail_queue")
        .fetch_one(&app.pool)
        .await
        .expect("next");
    assert!(next > reset_eval::db::now(), "retried later, not at once");
    assert!(smtp.received().is_empty());

    // Staff see it, and send it again once the server accepts mail.
    let staff = app.staff("equipe@reset.example").await;
    let (status, page) = staff.get("/programme/mail").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("lea@exemple.fr") && page.contains("451"),
        "{page}"
    );
    reset_eval::db::insert_account(
        &app.pool,
        &reset_eval::db::Account {
            id: reset_eval::db::new_id(),
            email: "hugo@exemple.fr".to_owned(),
            display_name: "Hugo".to_owned(),
            password_hash: reset_eval::domain::account::hash_password(TEST_PASSWORD).expect("hash"),
            role: reset_eval::domain::account::AccountRole::Lead,
        },
        &reset_eval::db::now(),
    )
    .await
    .expect("a lead");
    let lead = app.visitor();
    lead.sign_in("hugo@exemple.fr").await;
    let (status, _) = lead.get("/programme/mail").await;
    assert_eq!(status, 403, "staff only");

    smtp.refuse(false);
    let id: String =
        sqlx::query_scalar("SELECT id FROM mail_queue WHERE recipient = 'lea@exemple.fr'")
            .fetch_one(&app.pool)
            .await
            .expect("id");
    let (status, location, _) = staff
        .post(&format!("/programme/mail/{id}/retry"), &[])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/programme/mail")
    );
    smtp.wait_for("lea@exemple.fr", "Subject: Un essai").await;
    let mut status = String::new();
    for _ in 0..100 {
        status = sqlx::query_scalar("SELECT status FROM mail_queue WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .expect("status");
        if status == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, "sent");
    let body: String = sqlx::query_scalar("SELECT text_body FROM mail_queue WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .expect("body");
    assert_eq!(body, "", "a sent mail's body is not kept");
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_mail_once() {
    let smtp = SmtpServer::start();
    let first = app_with_smtp(&smtp).await;
    let shared_url = first.database_url.clone();
    let smtp_url = smtp.url();
    let second = spawn_app_configured(shipped_questionnaires(), move |s| {
        s.database_url = Some(shared_url);
        s.smtp_url = Some(smtp_url);
    })
    .await;
    assert_eq!(first.database_url, second.database_url);

    // Enough that sending them outlasts a poll interval: both workers find mails due at once.
    let count = 100;
    for i in 0..count {
        let mail = Mail::builder(&format!("personne{i}@exemple.fr"), Lang::Fr, "Un essai").build();
        reset_eval::db::queue_mail(&first.pool, &mail, &reset_eval::db::now())
            .await
            .expect("queued");
    }
    for _ in 0..300 {
        if smtp.received().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Both workers look at least twice more (they poll every second in tests).
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let received = smtp.received();
    let recipients: BTreeSet<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(recipients.len(), count, "every mail went out");
    assert_eq!(received.len(), count, "and each once");
    let rows = mail_rows(&second).await;
    assert!(rows.iter().all(|r| r.1 == "sent" && r.2 == 1), "{rows:?}");
}

/// `reset-eval serve` as a child process on a free port, with `env`; returns it and its URL.
fn serve(
    dir: &std::path::Path,
    database_url: &str,
    env: &[(&str, &str)],
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_reset-eval"));
    command
        .env("APP_QUESTIONNAIRES_DIR", shipped_questionnaires())
        .env("APP_LOG", "warn")
        .env("APP_DATA_DIR", dir)
        .env("DATABASE_URL", database_url)
        .env("APP_WORKER_POLL_SECONDS", "1")
        .env_remove("APP_LANG")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let line = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a line")
        .expect("utf-8");
    let url = line.rsplit(' ').next().expect("an address").to_owned();
    (child, url)
}

#[tokio::test]
async fn a_mail_queued_by_an_instance_killed_before_sending_it_goes_out_once_after_a_restart() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let database_url = fresh_database_url(dir.path()).await;
    let smtp = SmtpServer::start();
    let smtp_url = smtp.url();

    // The first instance runs no worker: its mail can only leave through the queue.
    let (mut first, url) = serve(
        dir.path(),
        &database_url,
        &[("APP_SMTP_URL", &smtp_url), ("APP_MAIL_WORKER", "false")],
    );
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = browser
        .get(format!("{url}/signup"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    let csrf = csrf_of(&page).expect("a CSRF token");
    let answer = browser
        .post(format!("{url}/signup"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("display_name", "Léa"),
            ("email", "lea@exemple.fr"),
            ("password", TEST_PASSWORD),
            ("password_confirm", TEST_PASSWORD),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), 303, "the sign-up is acknowledged");

    // kill -9: no chance to send or to clean anything up.
    first.kill().expect("killed");
    first.wait().expect("reaped");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        smtp.received().is_empty(),
        "nothing was sent before the kill"
    );

    let (mut second, url) = serve(dir.path(), &database_url, &[("APP_SMTP_URL", &smtp_url)]);
    let mail = smtp.wait_for("lea@exemple.fr", "/signup/confirm/").await;
    // The restarted worker looks at the queue twice more: still one mail.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let received = smtp.received();
    assert_eq!(received.len(), 1, "sent once: {received:?}");

    // Its link works on the new instance: the pending sign-up survived too.
    let path = link_path(&mail.text, "/signup/confirm/");
    let page = browser
        .get(format!("{url}{path}"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    let csrf = csrf_of(&page).expect("a CSRF token");
    let answer = browser
        .post(format!("{url}{path}"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("sent");
    let status = answer.status();
    let _ = second.kill();
    let _ = second.wait();
    assert_eq!(status, 303);
}

//! The account forms that ask for the current password (change the password, change the
//! address, delete the account) share the sign-in's limit on wrong guesses, counted in the
//! database so that it holds across instances; a password reset request runs the same
//! statements whether its address has an account or not.

use crate::helpers::{
    TEST_PASSWORD, TestApp, Visitor, settings_for, shipped_questionnaires, spawn_app_configured,
};
use reset_eval::startup::{self, Application};
use std::net::TcpListener;
use tempfile::TempDir;

/// The same key on every instance, as production sets `APP_SESSION_KEY`: it signs the
/// cookies and keys the hash under which attempts are counted.
const SHARED_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

async fn first_instance() -> TestApp {
    spawn_app_configured(shipped_questionnaires(), |s| {
        s.session_key = Some(SHARED_KEY.into())
    })
    .await
}

/// Another instance of the service on the same database (its own server and write gate, as
/// another process has); returns its address and the folder it holds.
async fn second_instance(app: &TestApp) -> (String, TempDir) {
    let dir = TempDir::new().expect("temp dir");
    let mut settings = settings_for(&dir, shipped_questionnaires()).await;
    settings.database_url = Some(app.database_url.clone());
    settings.session_key = Some(SHARED_KEY.into());
    // Mails go out from the first instance's worker, into the outbox the helpers read.
    settings.mail_worker = false;
    let state = startup::prepare(&settings).await.expect("the app prepares");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let server = Application::build(listener, state).expect("the server builds");
    let address = format!("http://127.0.0.1:{}", server.port());
    tokio::spawn(server.run_until_stopped());
    (address, dir)
}

async fn wrong_password_change(visitor: &Visitor) -> (u16, String) {
    let (status, _, body) = visitor
        .post(
            "/account/password",
            &[
                ("current_password", "pas le bon mot de passe"),
                ("password", "une toute nouvelle phrase"),
                ("password_confirm", "une toute nouvelle phrase"),
            ],
        )
        .await;
    (status.as_u16(), body)
}

async fn wrong_email_change(visitor: &Visitor) -> (u16, String) {
    let (status, _, body) = visitor
        .post(
            "/account/email",
            &[
                ("new_email", "ailleurs@example.org"),
                ("email_password", "pas le bon mot de passe"),
            ],
        )
        .await;
    (status.as_u16(), body)
}

async fn account_exists(app: &TestApp, email: &str) -> bool {
    reset_eval::db::account_by_email(&app.pool, email)
        .await
        .expect("account")
        .is_some()
}

#[tokio::test]
async fn wrong_current_passwords_are_limited_across_two_instances_on_one_database() {
    let app = first_instance().await;
    let (other_address, _other_dir) = second_instance(&app).await;
    let on_first = app.visitor();
    on_first.sign_up("Alex Durand", "alex@example.org").await;
    let mut on_second = app.visitor();
    on_second.base = other_address;
    on_second.sign_in("alex@example.org").await;

    // Three wrong guesses on one instance, two on the other: each refused beside its field.
    for _ in 0..3 {
        let (status, body) = wrong_password_change(&on_first).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("Ce n&#39;est pas votre mot de passe actuel")
                || body.contains("Ce n'est pas votre mot de passe actuel"),
            "{body}"
        );
    }
    for _ in 0..2 {
        let (status, body) = wrong_email_change(&on_second).await;
        assert_eq!(status, 422, "{body}");
    }

    // The sixth guess, even the right password, is not checked, on either instance, on
    // any of the forms: the person is told when to try again, and nothing changed.
    let (status, body) = wrong_password_change(&on_first).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("réessayez dans"), "{body}");
    assert!(body.contains("minute(s)"), "{body}");
    let response = on_second
        .client
        .post(format!("{}/account/delete", on_second.base))
        .form(&[
            ("_csrf", on_second.csrf_token().as_str()),
            ("password", TEST_PASSWORD),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);
    let retry_after: i64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header");
    assert!((60..=15 * 60).contains(&retry_after), "{retry_after}");
    let body = response.text().await.expect("body");
    assert!(
        body.contains("votre compte n&#39;est pas supprimé")
            || body.contains("votre compte n'est pas supprimé"),
        "{body}"
    );
    assert!(account_exists(&app, "alex@example.org").await);

    // One budget of guesses per account: the sign-in form counts the same ones.
    let stranger = app.visitor();
    stranger.get("/signin").await;
    let (status, _, body) = stranger
        .post(
            "/signin",
            &[("email", "alex@example.org"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "{body}");
}

#[tokio::test]
async fn a_right_current_password_under_the_limit_still_changes_the_password() {
    let app = first_instance().await;
    let alex = app.visitor();
    alex.sign_up("Alex Durand", "alex@example.org").await;
    for _ in 0..4 {
        assert_eq!(wrong_password_change(&alex).await.0, 422);
    }
    let (status, location, body) = alex
        .post(
            "/account/password",
            &[
                ("current_password", TEST_PASSWORD),
                ("password", "une toute nouvelle phrase"),
                ("password_confirm", "une toute nouvelle phrase"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/account?saved=password");
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// What a reset request leaves in the database, table by table.
async fn reset_tables(app: &TestApp) -> [i64; 4] {
    [
        count(app, "SELECT COUNT(*) FROM password_reset_requests").await,
        count(app, "SELECT COUNT(*) FROM password_reset_queue").await,
        count(app, "SELECT COUNT(*) FROM password_resets").await,
        count(app, "SELECT COUNT(*) FROM mail_queue").await,
    ]
}

#[tokio::test]
async fn a_reset_request_goes_through_the_same_steps_for_a_known_and_an_unknown_address() {
    // No worker on this instance: what the request itself does stays visible.
    let app = spawn_app_configured(shipped_questionnaires(), |s| s.mail_worker = false).await;
    app.staff("connue@example.org").await;
    let visitor = app.visitor();
    visitor.get("/password/forgot").await;

    let before = reset_tables(&app).await;
    let (status, location, body) = visitor
        .post("/password/forgot", &[("email", "connue@example.org")])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/password/forgot/sent"),
        "{body}"
    );
    let after_known = reset_tables(&app).await;
    let (status, location, body) = visitor
        .post("/password/forgot", &[("email", "inconnue@example.org")])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/password/forgot/sent"),
        "{body}"
    );
    let after_unknown = reset_tables(&app).await;

    // Each request wrote exactly the same rows: one request counted, one queued for the
    // worker; neither made a link nor a mail, so neither looked the address up.
    let step = |a: [i64; 4], b: [i64; 4]| -> [i64; 4] { std::array::from_fn(|i| b[i] - a[i]) };
    assert_eq!(step(before, after_known), [1, 1, 0, 0]);
    assert_eq!(step(after_known, after_unknown), [1, 1, 0, 0]);

    // The worker's half: a link and its mail for the known address only; the queue emptied.
    let worker = crate::mailbox::worker(&app);
    let mailed = reset_eval::app::accounts::handle_reset_requests(&worker)
        .await
        .expect("handled");
    assert_eq!(mailed, 1);
    assert_eq!(reset_tables(&app).await, [2, 0, 1, 1]);
    let to: String = sqlx::query_scalar("SELECT recipient FROM mail_queue")
        .fetch_one(&app.pool)
        .await
        .expect("the mail");
    assert_eq!(to, "connue@example.org");
    // Handled once: another turn (another instance) finds nothing left.
    assert_eq!(
        reset_eval::app::accounts::handle_reset_requests(&worker)
            .await
            .expect("handled"),
        0
    );
}

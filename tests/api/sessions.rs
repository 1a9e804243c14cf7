//! Sessions and the limits around accounts: each test plays the attack (a copied cookie, a
//! forged `X-Forwarded-For`, a hostile `next`, a script making accounts or responses, a CSRF
//! token planted before sign-in) and shows it refused; and what logs and tables keep.

use crate::helpers::{
    TEST_PASSWORD, TestApp, Visitor, shipped_questionnaires, spawn_app, spawn_app_configured,
};
use reqwest::StatusCode;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// Sends exactly `cookie` (a copy of someone's) with a form, as a thief's client would.
async fn replay_post(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .expect("sent");
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (response.status(), location)
}

async fn replay_get(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", cookie)
        .send()
        .await
        .expect("sent");
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (response.status(), location)
}

fn commune(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", name),
        ("kind", "commune"),
        ("departement", "69"),
        ("commune_insee", "69123"),
        ("size_band", "10k_50k"),
        ("siren", ""),
    ]
}

// --- Item 6: sign-out ends the session, copies of the cookie included --------------------

#[tokio::test]
async fn a_cookie_copied_before_sign_out_changes_nothing_and_reads_nothing_after_it() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    lead.get("/organisations").await;
    let stolen_cookie = lead.cookies();
    let stolen_csrf = lead.csrf().expect("a token");

    // While the session is open, the copy works like the original: the test can fail.
    let (status, _) = replay_get(&app, &stolen_cookie, "/organisations").await;
    assert_eq!(status, 200);

    let (status, location, _) = lead.post("/signout", &[]).await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/"));

    let mut fields = commune("Ville volée");
    fields.push(("_csrf", stolen_csrf.as_str()));
    let (status, location) = replay_post(&app, &stolen_cookie, "/organisations", &fields).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/signin"), "{location}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisations").await, 0);

    let (status, location) = replay_get(&app, &stolen_cookie, "/organisations").await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/signin?next="), "{location}");
    let (status, location) = replay_get(&app, &stolen_cookie, "/account").await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/signin?next=/account")
    );
    // The public pages no longer show the copy as signed in either.
    let response = app
        .client
        .get(format!("{}/", app.address))
        .header("cookie", &stolen_cookie)
        .send()
        .await
        .expect("sent");
    let home = response.text().await.expect("body");
    assert!(!home.contains("Se déconnecter"), "{home}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn signing_out_on_one_device_leaves_the_others_signed_in() {
    let app = spawn_app().await;
    let laptop = app.visitor();
    laptop.sign_up("Léa", "lea@exemple.fr").await;
    let phone = app.visitor();
    phone.sign_in("lea@exemple.fr").await;
    laptop.post("/signout", &[]).await;
    let (status, _) = phone.get("/organisations").await;
    assert_eq!(status, 200);
    let (status, _) = laptop.get("/organisations").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    let laptop = app.visitor();
    laptop.sign_up("Léa", "lea@exemple.fr").await;
    let phone = app.visitor();
    phone.sign_in("lea@exemple.fr").await;
    let other = app.visitor();
    other.sign_up("Hugo", "hugo@exemple.fr").await;
    let (_, copy_source) = phone.get("/organisations").await;
    assert!(copy_source.contains(r#"href="/account""#));
    let stolen_cookie = phone.cookies();

    let (status, account) = laptop.get("/account").await;
    assert_eq!(status, 200);
    assert!(account.contains("lea@exemple.fr"));
    assert!(account.contains("Se déconnecter partout"));
    assert!(
        account.contains("<dd>2</dd>"),
        "two sessions open: {account}"
    );

    let (status, location, _) = laptop.post("/signout/everywhere", &[]).await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/"));
    for visitor in [&laptop, &phone] {
        let (status, _) = visitor.get("/organisations").await;
        assert_eq!(status, 303);
    }
    let (status, _) = replay_get(&app, &stolen_cookie, "/organisations").await;
    assert_eq!(status, 303);
    // Another account's session is not touched.
    let (status, _) = other.get("/organisations").await;
    assert_eq!(status, 200);
    // And signing in again works.
    phone.sign_in("lea@exemple.fr").await;
    let (status, _) = phone.get("/organisations").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn an_expired_session_is_signed_out() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind("2026-01-01T00:00:00Z")
        .execute(&app.pool)
        .await
        .expect("expire");
    let (status, _) = lead.get("/organisations").await;
    assert_eq!(status, 303);
}

// --- Item 7: the client is the peer, unless a trusted proxy says otherwise -------------------

/// Fills the sign-in block of a client: as many failed attempts as it may make.
async fn block_client(app: &TestApp, client: &str) {
    for i in 0..reset_eval::domain::account::MAX_FAILED_PER_CLIENT {
        sqlx::query(
            "INSERT INTO sign_in_attempts (id, email, client, succeeded, attempted_at) VALUES ($1, $2, $3, 0, $4)",
        )
        .bind(reset_eval::db::new_id())
        .bind(format!("seeded-{i}"))
        .bind(client)
        .bind(reset_eval::db::now())
        .execute(&app.pool)
        .await
        .expect("seed");
    }
}

async fn sign_in_from(visitor: &Visitor, forwarded_for: &str, email: &str) -> StatusCode {
    visitor.get("/signin").await;
    let token = visitor.csrf().expect("a token");
    visitor
        .client
        .post(format!("{}/signin", visitor.base))
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", "pas le bon mot de passe"),
        ])
        .send()
        .await
        .expect("sent")
        .status()
}

#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_lift_a_sign_in_block() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    // Without trusted proxies the client is the peer, whatever the header claims.
    let status = sign_in_from(&visitor, "203.0.113.9", "lea@exemple.fr").await;
    assert_eq!(status, 422);
    let clients: Vec<String> = sqlx::query_scalar("SELECT client FROM sign_in_attempts")
        .fetch_all(&app.pool)
        .await
        .expect("clients");
    assert_eq!(clients, vec!["127.0.0.1".to_owned()]);

    block_client(&app, "127.0.0.1").await;
    for forged in ["203.0.113.9", "198.51.100.1, 203.0.113.10", "127.0.0.2"] {
        let status = sign_in_from(&visitor, forged, "hugo@exemple.fr").await;
        assert_eq!(status, 429, "{forged}");
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_is_a_client_of_its_own() {
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.trusted_proxies = "127.0.0.1, 10.0.0.0/8".to_owned();
    })
    .await;
    let visitor = app.visitor();
    block_client(&app, "203.0.113.1").await;
    assert_eq!(
        sign_in_from(&visitor, "203.0.113.1", "lea@exemple.fr").await,
        429
    );
    // The proxy appended the address it saw; what the client wrote to its left is ignored.
    assert_eq!(
        sign_in_from(
            &visitor,
            "203.0.113.1, 203.0.113.2, 10.0.0.7",
            "lea@exemple.fr"
        )
        .await,
        422
    );
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_attempts WHERE client = '203.0.113.2'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(stored, 1);
}

// --- Item 8: after signing in, a path of this site and nothing else -----------------------

/// A `Location` a browser follows on this site only.
fn same_site(location: &str) -> bool {
    let bytes = location.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\')
}

const HOSTILE_NEXT: &[&str] = &[
    "/%09/evil.example/",
    "//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/\\evil.example",
    "https://evil.example",
    "https%3A%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%0D%0ASet-Cookie:%20x=1",
    "/%0Aevil",
    "/%0D",
    "%20//evil.example",
    "/%20/evil.example",
    "/%E2%80%8B/evil.example",
    "javascript:alert(1)",
    "///evil.example",
    "/%2F%2Fevil.example",
];

#[tokio::test]
async fn whatever_next_holds_signing_in_leads_to_a_path_of_this_site() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;

    // Not signed in: the page shows, never a 500.
    let anonymous = app.visitor();
    for next in HOSTILE_NEXT {
        let (status, _) = anonymous.get(&format!("/signin?next={next}")).await;
        assert_eq!(status, 200, "{next}");
    }

    // Signing in with a decoded hostile `next` in the form.
    for next in [
        "/\t/evil.example/",
        "/\r\nSet-Cookie: x=1",
        "/\\evil.example",
    ] {
        let visitor = app.visitor();
        visitor.get("/signin").await;
        let (status, location, _) = visitor
            .post(
                "/signin",
                &[
                    ("email", "lea@exemple.fr"),
                    ("password", TEST_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(status, 303, "{next:?}");
        assert!(same_site(&location), "{next:?} -> {location:?}");
    }

    // Signed in already: `/signin?next=` redirects at once, with every encoding.
    let signed_in = app.visitor();
    signed_in.sign_in("lea@exemple.fr").await;
    for next in HOSTILE_NEXT {
        let response = signed_in
            .client
            .get(format!("{}/signin?next={next}", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 303, "{next}");
        let location = response.headers()["location"].to_str().expect("ascii");
        assert!(same_site(location), "{next} -> {location:?}");
        assert!(!location.contains("evil"), "{next} -> {location:?}");
    }
    // A path of this site is still followed.
    let response = signed_in
        .client
        .get(format!("{}/signin?next=/organisations/new", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["location"], "/organisations/new");
}

// --- Item 13: what the tables and the logs keep -----------------------------------------------

#[tokio::test]
async fn sign_in_attempts_keep_no_typed_text_and_the_retention_task_removes_them_after_a_day() {
    let app = spawn_app().await;
    let old =
        reset_eval::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::hours(25));
    sqlx::query(
        "INSERT INTO sign_in_attempts (id, email, client, succeeded, attempted_at) VALUES ('old', 'x', '192.0.2.1', 0, $1)",
    )
    .bind(old)
    .execute(&app.pool)
    .await
    .expect("seed");

    let visitor = app.visitor();
    visitor.get("/signin").await;
    // A password typed in the email field, as happens.
    let typed = "MonMotDePasse-Secret-2026";
    let (status, _, _) = visitor
        .post("/signin", &[("email", typed), ("password", "x")])
        .await;
    assert_eq!(status, 422);
    let long = format!("{}@exemple.fr", "a".repeat(100_000));
    let (status, _, _) = visitor
        .post("/signin", &[("email", long.as_str()), ("password", "x")])
        .await;
    assert_eq!(status, 422);
    // The worker's retention task purges attempts older than a day (it used to run at sign-in).
    reset_eval::app::retention::purge(
        &app.pool,
        &reset_eval::db::WriteGate::for_url(&app.database_url),
        reset_eval::domain::legal::Retention::default(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("purge");

    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, email FROM sign_in_attempts ORDER BY attempted_at")
            .fetch_all(&app.pool)
            .await
            .expect("rows");
    assert!(rows.iter().all(|(id, _)| id != "old"), "purged: {rows:?}");
    assert_eq!(rows.len(), 2);
    for (_, email) in &rows {
        assert_eq!(email.len(), 64, "{email}");
        assert!(email.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!email.to_lowercase().contains("secret"));
    }
    // The same address counts together however it is typed: the per-email limit still holds.
    for typed in ["Lea@Exemple.fr", " lea@exemple.FR"] {
        visitor
            .post("/signin", &[("email", typed), ("password", "x")])
            .await;
    }
    let distinct: i64 = count(&app, "SELECT COUNT(DISTINCT email) FROM sign_in_attempts").await;
    assert_eq!(distinct, 3);
}

/// Every "HTTP request" span the service opens, as `field=value` text: what a log line
/// written during the request would repeat.
mod capture {
    use std::sync::{Mutex, OnceLock};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id};
    use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

    static SPANS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

    struct Fields(String);
    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!("{}={:?} ", field.name(), value));
        }
    }

    struct Capture;
    impl<S: tracing::Subscriber> Layer<S> for Capture {
        fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
            if attrs.metadata().name() == "HTTP request" {
                let mut fields = Fields(String::new());
                attrs.record(&mut fields);
                if let Some(spans) = SPANS.get() {
                    spans.lock().expect("lock").push(fields.0);
                }
            }
        }
    }

    /// Starts capturing (once for the whole test binary).
    pub fn install() {
        if SPANS.set(Mutex::new(Vec::new())).is_ok() {
            let subscriber = tracing_subscriber::registry().with(Capture);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the test binary");
        }
    }

    pub fn spans() -> Vec<String> {
        SPANS
            .get()
            .map(|s| s.lock().expect("lock").clone())
            .unwrap_or_default()
    }
}

#[tokio::test]
async fn a_respondent_link_is_logged_without_its_token() {
    capture::install();
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville A").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&diagnostic, "elu", "", false).await;

    // A probe that the redaction leaves alone, to find this request's span among all.
    let probe = uuid::Uuid::now_v7().to_string();
    let respondent = app.visitor();
    let (status, _) = respondent.get(&format!("/r/{token}?probe={probe}")).await;
    assert_eq!(status, 200);
    let (status, _) = respondent
        .get(&format!("/r/{token}/step/9?probe={probe}"))
        .await;
    assert!(
        status.is_client_error(),
        "an error, logged with its request: {status}"
    );

    let spans: Vec<String> = capture::spans()
        .into_iter()
        .filter(|s| s.contains(&probe))
        .collect();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(
        spans
            .iter()
            .any(|s| s.contains(&format!("http.target=/r/…?probe={probe} ")))
    );
    assert!(
        spans
            .iter()
            .any(|s| s.contains(&format!("http.target=/r/…/step/9?probe={probe} ")))
    );
    assert!(
        capture::spans().iter().all(|s| !s.contains(&token)),
        "the token is in a span"
    );
}

// --- Item 14: creating accounts and responses in bulk ----------------------------------------

#[tokio::test]
async fn one_client_cannot_create_accounts_past_the_hourly_limit() {
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.sign_ups_per_client_per_hour = 2;
    })
    .await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;
    app.visitor().sign_up("Hugo", "hugo@exemple.fr").await;

    let third = app.visitor();
    third.get("/signup").await;
    let (status, _, html) = third
        .post(
            "/signup",
            &[
                ("display_name", "Script"),
                ("email", "script-3@exemple.fr"),
                ("password", TEST_PASSWORD),
                ("password_confirm", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 429);
    assert!(html.contains("réessayez dans"), "{html}");
    assert!(html.contains(r#"value="script-3@exemple.fr""#), "kept");
    assert!(html.contains(r#"id="email-error""#));

    // In English for an English reader, with when to retry; a forged header changes nothing.
    let english = app.visitor();
    english.get("/signup?lang=en").await;
    let token = english.csrf().expect("a token");
    let response = english
        .client
        .post(format!("{}/signup", app.address))
        .header("x-forwarded-for", "203.0.113.50")
        .form(&[
            ("_csrf", token.as_str()),
            ("display_name", "Script"),
            ("email", "script-4@exemple.fr"),
            ("password", TEST_PASSWORD),
            ("password_confirm", TEST_PASSWORD),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 429);
    let retry: i64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((60..=3600).contains(&retry), "{retry}");
    let html = response.text().await.expect("body");
    assert!(html.contains("try again in"), "{html}");

    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts").await, 2);
}

#[tokio::test]
async fn a_shared_link_starts_no_more_responses_than_the_hourly_limit() {
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.starts_per_shared_link_per_hour = 2;
    })
    .await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville A").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let shared = lead.invite(&diagnostic, "agent", "Tous", true).await;

    let mut personal = Vec::new();
    for _ in 0..2 {
        let agent = app.visitor();
        agent.get(&format!("/r/{shared}")).await;
        let (status, location, _) = agent.post(&format!("/r/{shared}/start"), &[]).await;
        assert_eq!(status, 303);
        personal.push(location);
    }
    let script = app.visitor();
    script.get(&format!("/r/{shared}")).await;
    let (status, _, html) = script.post(&format!("/r/{shared}/start"), &[]).await;
    assert_eq!(status, 429);
    assert!(html.contains("Revenez à ce même lien dans"), "{html}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM responses").await, 2);

    // Those who started carry on.
    let (status, _) = app.visitor().get(&personal[0]).await;
    assert_eq!(status, 200);
}

// --- Item 15: a new CSRF token at sign-in, sign-up and sign-out --------------------------------

#[tokio::test]
async fn a_csrf_token_from_before_sign_in_is_refused_after_it() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;
    let visitor = app.visitor();
    visitor.get("/signin").await;
    let planted = visitor.csrf().expect("a token");
    visitor.sign_in("lea@exemple.fr").await;

    let mut fields = commune("Ville B");
    fields.push(("_csrf", planted.as_str()));
    let (status, _, _) = visitor.post_raw("/organisations", &fields).await;
    assert_eq!(status, 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisations").await, 0);

    // The page gives the new token, which works.
    visitor.get("/").await;
    let fresh = visitor.csrf().expect("a token");
    assert_ne!(fresh, planted);
    let (status, _, _) = visitor.post("/organisations", &commune("Ville B")).await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn a_csrf_token_from_before_sign_up_or_sign_out_is_refused_after_it() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.get("/signup").await;
    let before_sign_up = visitor.csrf().expect("a token");
    visitor.sign_up("Léa", "lea@exemple.fr").await;
    let mut fields = commune("Ville C");
    fields.push(("_csrf", before_sign_up.as_str()));
    let (status, _, _) = visitor.post_raw("/organisations", &fields).await;
    assert_eq!(status, 403);

    visitor.get("/").await;
    let before_sign_out = visitor.csrf().expect("a token");
    assert_ne!(before_sign_out, before_sign_up);
    visitor.post("/signout", &[]).await;
    visitor.sign_in("lea@exemple.fr").await;
    let mut fields = commune("Ville C");
    fields.push(("_csrf", before_sign_out.as_str()));
    let (status, _, _) = visitor.post_raw("/organisations", &fields).await;
    assert_eq!(status, 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisations").await, 0);
}

//! Data under faults: a disk that fills during load, a save racing the final submit, a
//! read-only database, the pages and health answers during a fault.

use crate::diagnostic::page_answers;
use crate::full_disk;
use crate::helpers::{TestApp, Visitor, settings_for, shipped_questionnaires, spawn_app};
use reset_eval::db;
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::{QuestionKind, Questionnaire};
use reset_eval::startup;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A lead's diagnostic on « territoires » and one shared link to it.
async fn shared_link(app: &TestApp) -> (Arc<Questionnaire>, String) {
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&diagnostic, "agent", "", true).await;
    (q, token)
}

/// A respondent who started from the shared link: their visitor and personal token.
async fn started(app: &TestApp, shared: &str) -> (Visitor, String) {
    let respondent = app.visitor();
    let (status, _) = respondent.get(&format!("/r/{shared}")).await;
    assert_eq!(status, 200);
    let (status, location, _) = respondent.post(&format!("/r/{shared}/start"), &[]).await;
    assert_eq!(status, 303);
    let personal = location
        .trim_start_matches("/r/")
        .trim_end_matches("/step/1")
        .to_owned();
    (respondent, personal)
}

/// A respondent started while the disk has room, then the disk is full again.
async fn started_while_writable(
    app: &TestApp,
    shared: &str,
    full: &AtomicBool,
) -> (Visitor, String) {
    full.store(false, Ordering::Release);
    let respondent = started(app, shared).await;
    full.store(true, Ordering::Release);
    respondent
}

/// A page's answers with every free-text answer set to `text`.
fn page_with_text(q: &Questionnaire, quality: Quality, text: &str) -> Vec<(String, String)> {
    let texts: BTreeSet<String> = q
        .questions_of(quality)
        .filter(|(_, question)| matches!(question.kind, QuestionKind::Text))
        .map(|(_, question)| format!("a.{}", question.id))
        .collect();
    page_answers(q, quality, true)
        .into_iter()
        .map(|(k, v)| {
            let v = if texts.contains(&k) {
                text.to_owned()
            } else {
                v
            };
            (k, v)
        })
        .collect()
}

fn text_question(q: &Questionnaire, quality: Quality) -> Option<String> {
    q.questions_of(quality)
        .find(|(_, question)| matches!(question.kind, QuestionKind::Text))
        .map(|(_, question)| question.id.clone())
}

async fn post_page(
    respondent: &Visitor,
    token: &str,
    step: usize,
    answers: &[(String, String)],
    action: &str,
) -> (reqwest::StatusCode, String) {
    let mut fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("action", action));
    let (status, _, body) = respondent
        .post(&format!("/r/{token}/step/{step}"), &fields)
        .await;
    (status, body)
}

/// The response id behind a personal token.
async fn response_of(app: &TestApp, token: &str) -> String {
    sqlx::query_scalar("SELECT response_id FROM invitations WHERE token = $1")
        .bind(token)
        .fetch_one(&app.pool)
        .await
        .expect("response id")
}

async fn health(app: &TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/health").await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// The app over a SQLite file that [`full_disk`] can fill; `None` on PostgreSQL.
async fn spawn_app_on_a_disk_that_fills() -> Option<(TestApp, &'static AtomicBool)> {
    let dir = TempDir::new().expect("temp dir");
    let mut settings = settings_for(&dir, shipped_questionnaires()).await;
    if !db::is_sqlite(&settings.database_url()) {
        return None;
    }
    let full = full_disk::switch_for(dir.path());
    let plain = settings.database_url();
    settings.database_url = Some(format!("{plain}?vfs={}", full_disk::VFS));
    let state = startup::prepare(&settings).await.expect("the app prepares");
    let (pool, registry) = (state.pool.clone(), state.registry.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let app = startup::Application::build(listener, state).expect("the server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Some((
        TestApp {
            address,
            database_url: plain,
            pool,
            registry,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            _dir: dir,
        },
        full,
    ))
}

/// One save as sent and answered: token, step, the text sent, status, body, time taken.
type Outcome = (String, usize, String, u16, String, Duration);

/// Each respondent saves each text page once, with a mark of its own; 6 respondents at a time.
async fn save_text_pages(
    q: &Arc<Questionnaire>,
    respondents: &[Arc<(Visitor, String)>],
    pages: &[(usize, Quality)],
    round: &str,
) -> Vec<Outcome> {
    let mut tasks = Vec::new();
    for chunk in respondents.chunks(respondents.len().div_ceil(6)) {
        let chunk: Vec<Arc<(Visitor, String)>> = chunk.to_vec();
        let (q, pages, round) = (q.clone(), pages.to_vec(), round.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for pair in &chunk {
                let (respondent, token) = pair.as_ref();
                for (step, quality) in &pages {
                    // ~3 KB a text, so that the database grows with each save.
                    let text = format!(
                        "{token}-{step}-{round} {}",
                        "données ".repeat(350).trim_end()
                    );
                    let answers = page_with_text(&q, *quality, &text);
                    let started = Instant::now();
                    let (status, body) =
                        post_page(respondent, token, *step, &answers, "save").await;
                    outcomes.push((
                        token.clone(),
                        *step,
                        text,
                        status.as_u16(),
                        body,
                        started.elapsed(),
                    ));
                }
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("load task"));
    }
    outcomes
}

#[tokio::test]
async fn a_disk_that_fills_under_load_loses_no_acknowledged_save_and_writing_resumes_once_freed() {
    // On PostgreSQL the fault does not exist as such (its server keeps its own log).
    let Some((app, full)) = spawn_app_on_a_disk_that_fills().await else {
        return;
    };
    let (q, shared) = shared_link(&app).await;
    let pages: Vec<(usize, Quality)> = Quality::ALL
        .iter()
        .enumerate()
        .filter(|(_, quality)| text_question(&q, **quality).is_some())
        .map(|(i, &quality)| (i + 1, quality))
        .collect();
    assert!(pages.len() >= 2, "territoires has free-text questions");
    let mut respondents = Vec::new();
    for _ in 0..24 {
        respondents.push(Arc::new(started(&app, &shared).await));
    }
    let (first, second) = respondents.split_at(12);

    // The disk is full: saves fail, quickly, saying so and keeping what was typed.
    full.store(true, Ordering::Release);
    let during = save_text_pages(&q, first, &pages, "full").await;
    let refused: Vec<&Outcome> = during.iter().filter(|o| o.3 != 303).collect();
    assert!(!refused.is_empty(), "the full disk refused saves");
    for (_, step, text, status, body, elapsed) in &refused {
        assert_eq!(
            *status,
            503,
            "step {step}: {}",
            &body[..body.len().min(300)]
        );
        assert!(body.contains("Votre page n'a pas été enregistrée"));
        assert!(body.contains(&text[..60]), "what was typed comes back");
        // A guard against a save that hangs until some timeout, not a speed figure (speed
        // lives in bench/): generous, so that a loaded machine does not fail it.
        assert!(
            *elapsed < Duration::from_secs(15),
            "answered in {elapsed:?}"
        );
    }
    let (status, body) = health(&app).await;
    assert_eq!(
        (status, body["writes"].as_str()),
        (503, Some("failing")),
        "{body}"
    );
    // A submit meanwhile is refused the same way: not sent, to send again later.
    let (late, late_token) = started_while_writable(&app, &shared, full).await;
    let response = late
        .client
        .post(format!("{}/r/{late_token}/submit", app.address))
        .form(&[("_csrf", late.csrf_token().as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);
    assert_eq!(
        response.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"5"[..])
    );
    let page = response.text().await.expect("body");
    assert!(page.contains("n'a pas été enregistré"), "{page}");

    // Space comes back: the service writes again at once, without a restart.
    full.store(false, Ordering::Release);
    let (status, body) = health(&app).await;
    assert_eq!(status, 200, "{body}");
    let mut acknowledged: Vec<Outcome> = during.iter().filter(|o| o.3 == 303).cloned().collect();
    for (token, step, text, ..) in &refused {
        let (respondent, _) = respondents
            .iter()
            .map(|pair| pair.as_ref())
            .find(|(_, t)| t == token)
            .expect("respondent");
        let answers = page_with_text(&q, Quality::ALL[step - 1], text);
        let started = Instant::now();
        let (status, body) = post_page(respondent, token, *step, &answers, "save").await;
        assert_eq!(status, 303, "sent again: {}", &body[..body.len().min(300)]);
        acknowledged.push((
            token.clone(),
            *step,
            text.clone(),
            303,
            body,
            started.elapsed(),
        ));
    }
    // Ordinary traffic goes on: the first respondents submit, and a page left open in
    // another tab is refused (its transaction rolled back)…
    let mut tasks = Vec::new();
    for pair in first {
        let pair = pair.clone();
        let (q, step) = (q.clone(), pages[0].0);
        tasks.push(tokio::spawn(async move {
            let (respondent, token) = pair.as_ref();
            let (status, _, _) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
            assert_eq!(status, 303);
            let answers = page_answers(&q, Quality::ALL[step - 1], false);
            let (status, _) = post_page(respondent, token, step, &answers, "save").await;
            assert_eq!(status, 409);
        }));
    }
    for task in tasks {
        task.await.expect("submit task");
    }
    // … and the others save their pages: every one acknowledged, quickly.
    let after = save_text_pages(&q, second, &pages, "after").await;
    for (_, step, _, status, body, elapsed) in &after {
        assert_eq!(
            *status,
            303,
            "step {step}: {}",
            &body[..body.len().min(300)]
        );
        // Writing resumed at once rather than after a back-off; generous for the same reason.
        assert!(
            *elapsed < Duration::from_secs(15),
            "answered in {elapsed:?}"
        );
    }
    acknowledged.extend(after);
    let (status, body) = health(&app).await;
    assert_eq!(status, 200, "{body}");

    // Every acknowledged save is in the database as another process reads it (what a
    // restart would find): none was left in a transaction that never ends.
    use sqlx::Connection;
    let mut reader = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("a second connection");
    for (token, step, text, ..) in &acknowledged {
        let response_id = response_of(&app, token).await;
        let question = text_question(&q, Quality::ALL[step - 1]).expect("text question");
        let stored: Option<String> = sqlx::query_scalar(
            "SELECT value FROM answers WHERE response_id = $1 AND question_id = $2",
        )
        .bind(&response_id)
        .bind(&question)
        .fetch_optional(&mut reader)
        .await
        .expect("read");
        assert!(
            stored.as_deref() == Some(text.as_str()),
            "acknowledged save of step {step} is committed: found {:?}",
            stored.map(|s| s.chars().take(70).collect::<String>())
        );
    }
}

#[tokio::test]
async fn a_save_racing_the_final_submit_is_in_the_frozen_answers_or_refused_with_409() {
    let app = spawn_app().await;
    let (q, shared) = shared_link(&app).await;
    let last = Quality::ALL.len();
    let quality = Quality::ALL[last - 1];
    let mut saves_landed = 0;
    let mut saves_refused = 0;
    for round in 0..30 {
        let (respondent, token) = started(&app, &shared).await;
        respondent.get(&format!("/r/{token}/step/1")).await;
        // The last page, sent three times alongside the submit.
        let answers = page_answers(&q, quality, round % 2 == 0);
        let save = || post_page(&respondent, &token, last, &answers, "save");
        let submit_path = format!("/r/{token}/submit");
        let submit = respondent.post(&submit_path, &[]);
        let (a, b, c, (submitted, _, _)) = tokio::join!(save(), save(), save(), submit);
        assert_eq!(submitted, 303);
        let landed = [&a, &b, &c].iter().any(|(status, _)| *status == 303);
        for (status, body) in [&a, &b, &c] {
            match status.as_u16() {
                303 => saves_landed += 1,
                409 => {
                    saves_refused += 1;
                    assert!(body.contains("déjà été envoyées"), "{body}");
                }
                other => panic!("a racing save answered {other}: {body}"),
            }
        }

        // The answers, the frozen answers and the stored scores agree.
        let response_id = response_of(&app, &token).await;
        let rows = db::answers_of_response(&app.pool, &response_id)
            .await
            .expect("answers");
        let frozen: Option<String> =
            sqlx::query_scalar("SELECT answers_json FROM responses WHERE id = $1")
                .bind(&response_id)
                .fetch_one(&app.pool)
                .await
                .expect("frozen");
        let frozen =
            db::thaw_answers(&response_id, &frozen.expect("frozen at submit")).expect("thaws");
        let as_set = |rows: &[db::AnswerRow]| -> BTreeSet<(String, String, Option<String>)> {
            rows.iter()
                .map(|a| (a.question_id.clone(), a.state.clone(), a.value.clone()))
                .collect()
        };
        assert_eq!(
            as_set(&rows),
            as_set(&frozen),
            "round {round}: answers and frozen answers"
        );
        // Every acknowledged save is in what was frozen, and scored.
        assert_eq!(
            !frozen.is_empty(),
            landed,
            "round {round}: a 303 save is frozen"
        );
        let column = format!("q_{}", quality.code());
        let score: Option<f64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {column} FROM response_scores WHERE response_id = $1"
        )))
        .bind(&response_id)
        .fetch_one(&app.pool)
        .await
        .expect("stored scores");
        assert_eq!(score.is_some(), landed, "round {round}: stored scores");

        // After the submit, a save is refused and changes nothing.
        let (status, _) = post_page(
            &respondent,
            &token,
            last,
            &page_answers(&q, quality, round % 2 == 1),
            "save",
        )
        .await;
        assert_eq!(status, 409);
        let after = db::answers_of_response(&app.pool, &response_id)
            .await
            .expect("answers");
        assert_eq!(as_set(&after), as_set(&rows));
    }
    // Both outcomes happened: the test raced for real.
    assert!(
        saves_landed > 0 && saves_refused > 0,
        "{saves_landed} landed, {saves_refused} refused"
    );
}

#[tokio::test]
async fn health_writes_a_probe_and_says_writes_are_ok() {
    let app = spawn_app().await;
    let (status, body) = health(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["writes"], "ok");
    let probes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM health_probes")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(probes, 1, "the probe replaces its previous row");
}

#[tokio::test]
async fn a_read_only_database_stops_the_start_and_says_why() {
    let dir = TempDir::new().expect("temp dir");
    let mut settings = settings_for(&dir, shipped_questionnaires()).await;
    let url = settings.database_url();
    if !db::is_sqlite(&url) {
        return;
    }
    let pool = startup::open_database(&settings)
        .await
        .expect("first start");
    pool.close().await;
    // File permissions would be the real case, but tests may run as root, whom they do
    // not stop: SQLite's read-only mode is the same refusal to write, told the same way.
    settings.database_url = Some(format!("{url}?mode=ro"));
    let started = Instant::now();
    let error = match startup::prepare(&settings).await {
        Ok(_) => panic!("a read-only database must not start"),
        Err(e) => format!("{e:#}"),
    };
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.contains("lecture seule"), "{error}");
    assert!(error.contains("test.sqlite"), "{error}");
}

/// The built command line, on the shipped questionnaires, without the caller's settings.
fn reset_eval() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_reset-eval"));
    command
        .env("APP_QUESTIONNAIRES_DIR", shipped_questionnaires())
        .env("APP_LOG", "warn")
        .env_remove("DATABASE_URL")
        .env_remove("APP_DATA_DIR")
        .env_remove("APP_LANG");
    command
}

/// Runs `reset-eval migrate`: whether it failed, its error output, how long it took.
fn migrate(command: &mut std::process::Command) -> (bool, String, Duration) {
    let started = Instant::now();
    let output = command.arg("migrate").output().expect("runs");
    (
        !output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn start_up_names_a_data_folder_that_cannot_be_made_and_the_setting_to_change() {
    let dir = TempDir::new().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").expect("write");
    let (failed, stderr, elapsed) = migrate(reset_eval().env("APP_DATA_DIR", file.join("data")));
    assert!(failed, "{stderr}");
    assert!(stderr.contains("ne peut pas être créé"), "{stderr}");
    assert!(stderr.contains("APP_DATA_DIR"), "{stderr}");
    assert!(!stderr.contains("pool timed out"), "{stderr}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn start_up_names_a_postgresql_server_that_refuses_the_connection() {
    // Port 1: nothing listens there.
    let url = "postgres://reset_eval:secret@127.0.0.1:1/reset_eval";
    let (failed, stderr, elapsed) = migrate(reset_eval().env("DATABASE_URL", url));
    assert!(failed, "{stderr}");
    assert!(
        stderr.contains("PostgreSQL refuse la connexion sur 127.0.0.1:1"),
        "{stderr}"
    );
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(
        !stderr.contains("secret"),
        "the password stays hidden: {stderr}"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let (_, stderr, _) = migrate(reset_eval().env("DATABASE_URL", url).env("APP_LANG", "en"));
    assert!(
        stderr.contains("PostgreSQL refuses the connection on 127.0.0.1:1"),
        "{stderr}"
    );
}

#[test]
fn start_up_names_a_wrong_postgresql_password() {
    let Some(admin) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        // Needs a PostgreSQL server: run with TEST_DATABASE_URL.
        return;
    };
    let options: sqlx::postgres::PgConnectOptions = admin.parse().expect("a PostgreSQL URL");
    let url = format!(
        "postgres://{}:not-the-password@{}:{}/postgres",
        options.get_username(),
        options.get_host(),
        options.get_port()
    );
    let (failed, stderr, elapsed) = migrate(reset_eval().env("DATABASE_URL", url));
    assert!(failed, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "PostgreSQL refuse l'utilisateur « {} »",
            options.get_username()
        )),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn concurrent_saves_of_the_same_page_all_succeed() {
    // Two saves of one page used to deadlock on PostgreSQL and answer 500: they now take
    // turns on the response's row, and a deadlock would be tried again.
    let app = spawn_app().await;
    let (q, shared) = shared_link(&app).await;
    let (respondent, token) = started(&app, &shared).await;
    let quality = Quality::ALL[0];
    let full = page_answers(&q, quality, true);
    // Half the saves clear the page's last answer: an upsert and a delete, in turn.
    let partial: Vec<(String, String)> = full[..full.len() - 1].to_vec();
    let mut saves = Vec::new();
    // Fewer than the pool's connections: waiting for one is another fault (503), not this.
    for i in 0..8 {
        let answers = if i % 2 == 0 { &full } else { &partial };
        saves.push(post_page(&respondent, &token, 1, answers, "save"));
    }
    for (status, body) in futures_util::future::join_all(saves).await {
        assert_eq!(status, 303, "{}", &body[..body.len().min(300)]);
    }
}

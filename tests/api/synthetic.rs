//! `reset-eval demo --synthetic`: organisations, diagnostics over two years, submitted
//! responses with their scores, and some left unsubmitted; loading twice adds nothing.

use crate::helpers::{TestApp, shipped_questionnaires, spawn_app_configured};
use std::process::Command;

fn synthetic(app: &TestApp) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_reset-eval"))
        .env("APP_QUESTIONNAIRES_DIR", shipped_questionnaires())
        .env("APP_LOG", "warn")
        .env("DATABASE_URL", &app.database_url)
        .env("APP_LANG", "en")
        .args([
            "demo",
            "--synthetic",
            "--organisations",
            "12",
            "--respondents",
            "300",
            "--seed",
            "7",
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn synthetic_data_has_scored_responses_over_two_years_and_loads_once() {
    // Synthetic responses are dated over two years: those left unsubmitted look abandoned
    // long ago, and the worker's retention task would delete them (APP_RETENTION_UNSUBMITTED_
    // MONTHS) whenever it happens to run during the test. Here they are to be counted.
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.retention_unsubmitted_months = 1200;
    })
    .await;
    let stdout = synthetic(&app);
    assert!(
        stdout.contains("12 organisation(s)") && stdout.contains("300 submitted"),
        "{stdout}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisations").await, 12);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL"
        )
        .await,
        300
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM response_scores").await,
        300
    );
    let started = count(
        &app,
        "SELECT COUNT(*) FROM responses WHERE submitted_at IS NULL",
    )
    .await;
    assert_eq!(started, 15, "one in twenty left unsubmitted");
    // Unsubmitted responses keep their answers in progress, and no scores.
    assert!(count(&app, "SELECT COUNT(*) FROM answers").await > 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM response_scores s JOIN responses r ON r.id = s.response_id
             WHERE r.submitted_at IS NULL"
        )
        .await,
        0
    );
    // Both years, several kinds, and organisations answering both years (paired progress).
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM responses WHERE submitted_at LIKE '2025-%'"
        )
        .await
            > 0
    );
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM responses WHERE submitted_at LIKE '2026-%'"
        )
        .await
            > 0
    );
    assert!(count(&app, "SELECT COUNT(DISTINCT kind) FROM organisations").await >= 2);
    let paired = count(
        &app,
        "SELECT COUNT(*) FROM organisations o WHERE
           (SELECT COUNT(*) FROM diagnostics d WHERE d.organisation_id = o.id) = 2",
    )
    .await;
    assert!(paired >= 5, "{paired} organisations answered both years");
    // Scores are plausible: between 0 and 100, coverage full for submitted responses.
    let (low, high): (Option<f64>, Option<f64>) =
        sqlx::query_as("SELECT MIN(overall), MAX(overall) FROM response_scores")
            .fetch_one(&app.pool)
            .await
            .expect("range");
    assert!(low.is_some_and(|l| l >= 0.0) && high.is_some_and(|h| h <= 100.0 && h > 0.0));

    // They stand for organisations staff have checked: the open data and the report count
    // verified organisations only, and the report (as the benchmark runs it) shows them all.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organisations WHERE verified = 1"
        )
        .await,
        12
    );
    let dir = tempfile::tempdir().expect("tempdir");
    reset_eval::report::generate(
        &app.pool,
        &app.registry,
        2026,
        dir.path(),
        reset_eval::domain::i18n::Lang::En,
        &(),
    )
    .await
    .expect("report");
    let participation =
        std::fs::read_to_string(dir.path().join("data/participation.csv")).expect("csv");
    let mut lines = participation.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    let at = header
        .iter()
        .position(|h| *h == "organisations")
        .expect("organisations column");
    let answered_2026 = count(
        &app,
        "SELECT COUNT(DISTINCT d.organisation_id) FROM diagnostics d
         JOIN responses r ON r.diagnostic_id = d.id WHERE r.submitted_at LIKE '2026-%'",
    )
    .await;
    assert!(answered_2026 >= 5);
    assert_eq!(row[at], answered_2026.to_string(), "{participation}");

    let again = synthetic(&app);
    assert!(again.contains("0 organisation(s)"), "{again}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM responses").await, 315);
}

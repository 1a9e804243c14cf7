//! Scores stored at submission, and the open data as a person exports it with the command
//! line: no personal data in any file, the same bytes twice, figures that agree with the
//! answers in the database.

use crate::diagnostic::answer_everything;
use crate::helpers::{TestApp, shipped_questionnaires, spawn_app};
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, SerReader};
use reset_eval::database;
use reset_eval::demo;
use reset_eval::domain::Quality;
use reset_eval::questionnaire::QuestionKind;
use reset_eval::scoring;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

fn reset_eval(app: &TestApp) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reset-eval"));
    command
        .env("APP_QUESTIONNAIRES_DIR", shipped_questionnaires())
        .env("APP_LOG", "warn")
        .env("DATABASE_URL", &app.database_url)
        .env_remove("APP_LANG");
    command
}

fn export(app: &TestApp, out: &Path) {
    let output = reset_eval(app)
        .args(["export", "--year", "2026", "--out"])
        .arg(out)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Données ouvertes 2026"), "{stdout}");
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// Every value of a Parquet file as text: compressed pages would hide a name from a byte
/// search.
fn parquet_text(path: &Path) -> String {
    let df = ParquetReader::new(std::fs::File::open(path).expect("open"))
        .finish()
        .expect("parquet reads");
    let mut text = String::new();
    for column in df.columns() {
        let strings = column.cast(&DataType::String).expect("cast");
        for value in strings.str().expect("strings").iter().flatten() {
            text.push_str(value);
            text.push('\n');
        }
    }
    text
}

/// A lead, a territory, a labelled invitation and a colleague who answers with free text;
/// and the demo, with its accounts, organisations and answers.
async fn populated_app() -> TestApp {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry)
        .await
        .expect("demo loads");
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let lead = app.visitor();
    lead.sign_up("Léa Martin-Export", "lea.export@exemple.fr")
        .await;
    let organisation = lead.register_commune("Ville de Saint-Export").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead
        .invite(&diagnostic, "elu", "Mme Dupont-Secret, adjointe", false)
        .await;
    answer_everything(&app.visitor(), &q, &token, true).await;
    app
}

/// Everything personal the database holds, and its internal ids.
async fn secrets(app: &TestApp) -> Vec<String> {
    let mut needles: Vec<String> = Vec::new();
    for sql in [
        "SELECT name FROM organisations",
        "SELECT id FROM organisations",
        "SELECT email FROM accounts",
        "SELECT display_name FROM accounts",
        "SELECT token FROM invitations",
        "SELECT label FROM invitations WHERE label <> ''",
        "SELECT id FROM diagnostics",
        "SELECT id FROM responses",
    ] {
        let values: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.pool)
            .await
            .expect("query");
        needles.extend(values);
    }
    // Free text: answers to text questions and every justification, frozen or in progress.
    let text_questions: Vec<String> = app
        .registry
        .all()
        .flat_map(|q| q.questions.iter())
        .filter(|question| matches!(question.kind, QuestionKind::Text))
        .map(|question| question.id.clone())
        .collect();
    let frozen: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, answers_json FROM responses")
            .fetch_all(&app.pool)
            .await
            .expect("responses");
    let mut rows = Vec::new();
    for (id, json) in frozen {
        match json {
            Some(json) => rows.extend(database::thaw_answers(&id, &json).expect("thaws")),
            None => rows.extend(
                database::answers_of_response(&app.pool, &id)
                    .await
                    .expect("answers"),
            ),
        }
    }
    for row in rows {
        if text_questions.contains(&row.question_id) {
            needles.extend(row.value);
        }
        needles.extend(row.justification);
    }
    needles.sort();
    needles.dedup();
    needles.retain(|n| n.len() >= 6);
    needles
}

#[tokio::test]
async fn the_exported_open_data_holds_no_name_email_token_label_or_free_text() {
    let app = populated_app().await;
    let needles = secrets(&app).await;
    assert!(needles.iter().any(|n| n == "Ville de Saint-Export"));
    assert!(needles.iter().any(|n| n == "lea.export@exemple.fr"));
    assert!(needles.iter().any(|n| n == "Mme Dupont-Secret, adjointe"));
    assert!(
        needles
            .iter()
            .any(|n| n == "Un atelier avec les habitants.")
    );
    assert!(needles.iter().any(|n| n.len() == 64), "an invitation token");

    let dir = TempDir::new().expect("temp dir");
    export(&app, dir.path());
    let files = files(dir.path());
    assert!(files.iter().any(|f| f.ends_with("responses.csv")));
    assert!(files.iter().any(|f| f.ends_with("responses.parquet")));
    assert!(files.iter().any(|f| f.ends_with("README.md")));
    assert_eq!(files.len(), 14 * 2 + 1, "{files:?}");
    for file in &files {
        let text = if file.extension().is_some_and(|e| e == "parquet") {
            parquet_text(file)
        } else {
            std::fs::read_to_string(file).expect("text")
        };
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "{} contains {needle:?}",
                file.display()
            );
        }
    }
    let readme = std::fs::read_to_string(dir.path().join("README.md")).expect("readme");
    assert!(readme.contains("CC BY 4.0"));
    for field in [
        "`organisation`",
        "`q_frugal`",
        "`c_equitable_usages`",
        "`completion_rate`",
    ] {
        assert!(readme.contains(field), "README lacks {field}");
    }
}

#[tokio::test]
async fn two_exports_of_the_same_database_are_byte_identical() {
    let app = populated_app().await;
    let (first, second) = (
        TempDir::new().expect("temp dir"),
        TempDir::new().expect("temp dir"),
    );
    export(&app, first.path());
    export(&app, second.path());
    let (a, b) = (files(first.path()), files(second.path()));
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.file_name(), b.file_name());
        assert!(
            std::fs::read(a).expect("read") == std::fs::read(b).expect("read"),
            "{} differs",
            a.display()
        );
    }
}

#[tokio::test]
async fn exported_figures_agree_with_the_answers_in_the_database() {
    let app = populated_app().await;
    let dir = TempDir::new().expect("temp dir");
    export(&app, dir.path());
    // Recompute from the frozen answers: the 2026 responses to organisations' diagnostics.
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.id, d.questionnaire_slug, d.questionnaire_version, r.answers_json
         FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.organisation_id IS NOT NULL AND r.submitted_at LIKE '2026-%'",
    )
    .fetch_all(&app.pool)
    .await
    .expect("responses");
    let mut frugal = Vec::new();
    for (id, slug, version, json) in &rows {
        let q = app.registry.get(slug, version).expect("version");
        let answers = database::thaw_answers(id, json.as_deref().expect("frozen")).expect("thaws");
        let scores = scoring::score_response(q, &database::align_answers(q, &answers));
        frugal.extend(scores.quality(Quality::Frugal));
    }
    let expected = frugal.iter().sum::<f64>() / frugal.len() as f64;

    let responses = ParquetReader::new(
        std::fs::File::open(dir.path().join("responses.parquet")).expect("open"),
    )
    .finish()
    .expect("reads");
    assert_eq!(responses.height(), rows.len());
    let distribution = ParquetReader::new(
        std::fs::File::open(dir.path().join("quality_distribution.parquet")).expect("open"),
    )
    .finish()
    .expect("reads");
    let qualities = distribution.column("quality").expect("quality");
    let at = qualities
        .str()
        .expect("strings")
        .iter()
        .position(|q| q == Some("frugal"))
        .expect("frugal row");
    let n = distribution.column("n").expect("n").get(at).expect("value");
    assert_eq!(n.extract::<i64>(), Some(frugal.len() as i64));
    let mean = distribution
        .column("mean")
        .expect("mean")
        .f64()
        .expect("f64")
        .get(at)
        .expect("not suppressed: eight organisations answered in 2026");
    assert!((mean - expected).abs() < 1e-9, "{mean} vs {expected}");
    // Paired progress: the demo's Belval and Rivemont answered in 2025 too — fewer than
    // five organisations, so the published progress is suppressed.
    let progress =
        ParquetReader::new(std::fs::File::open(dir.path().join("progress.parquet")).expect("open"))
            .finish()
            .expect("reads");
    let organisations = progress.column("organisations").expect("n");
    assert_eq!(
        organisations.get(0).expect("value").extract::<i64>(),
        Some(2)
    );
    let suppressed = progress.column("suppressed").expect("flag");
    assert_eq!(suppressed.bool().expect("bool").get(0), Some(true));
}

#[tokio::test]
async fn a_submitted_response_stores_its_scores_and_missing_ones_are_backfilled_at_start() {
    let app = populated_app().await;
    // The response submitted over HTTP has its scores, equal to scoring its answers.
    let (id, json): (String, String) = sqlx::query_as(
        "SELECT r.id, r.answers_json FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         JOIN organisations o ON o.id = d.organisation_id WHERE o.name = $1",
    )
    .bind("Ville de Saint-Export")
    .fetch_one(&app.pool)
    .await
    .expect("the submitted response");
    let q = app.registry.latest("territoires").expect("territoires");
    let expected = scoring::score_response(
        q,
        &database::align_answers(q, &database::thaw_answers(&id, &json).expect("thaws")),
    );
    let stored: (Option<f64>, Option<f64>, Option<f64>, f64) = sqlx::query_as(
        "SELECT overall, q_frugal, c_inclusif_usages, coverage FROM response_scores WHERE response_id = $1",
    )
    .bind(&id)
    .fetch_one(&app.pool)
    .await
    .expect("stored scores");
    assert_eq!(stored.0, expected.overall);
    assert_eq!(stored.1, expected.quality(Quality::Frugal));
    assert_eq!(
        stored.2,
        expected.cell(Quality::Inclusif, reset_eval::domain::Dimension::Usages)
    );
    assert_eq!(stored.3, expected.coverage());

    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    let submitted = count("SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL").await;
    assert_eq!(
        count("SELECT COUNT(*) FROM response_scores").await,
        submitted
    );
    sqlx::query("DELETE FROM response_scores")
        .execute(&app.pool)
        .await
        .expect("delete");
    // Starting again (here: a migration and the export's preparation) scores them all again.
    let output = reset_eval(&app)
        .args(["export", "--year", "2026", "--out"])
        .arg(TempDir::new().expect("dir").path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(
        count("SELECT COUNT(*) FROM response_scores").await,
        submitted
    );
    let again: Option<f64> =
        sqlx::query_scalar("SELECT q_frugal FROM response_scores WHERE response_id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .expect("backfilled");
    assert_eq!(again, expected.quality(Quality::Frugal));
}

#[test]
fn export_requires_a_year() {
    let output = Command::new(env!("CARGO_BIN_EXE_reset-eval"))
        .args(["export"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--year"));
}

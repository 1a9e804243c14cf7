//! Scores stored at submission, and the open data as a person exports it with the command
//! line: no personal data in any file, the same bytes twice, figures that agree with the
//! answers in the database.

use crate::diagnostic::answer_everything;
use crate::helpers::{TestApp, Visitor, shipped_questionnaires, spawn_app};
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, SerReader};
use reset_eval::app::demo;
use reset_eval::db;
use reset_eval::domain::Quality;
use reset_eval::domain::i18n::Lang;
use reset_eval::domain::questionnaire::QuestionKind;
use reset_eval::domain::scoring;
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
            Some(json) => rows.extend(db::thaw_answers(&id, &json).expect("thaws")),
            None => rows.extend(
                db::answers_of_response(&app.pool, &id)
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
    assert!(files.iter().any(|f| f.ends_with("diagnostics.csv")));
    assert!(files.iter().any(|f| f.ends_with("diagnostics.parquet")));
    assert!(files.iter().any(|f| f.ends_with("README.md")));
    // Each table as CSV and Parquet, the README and the datapackage.json (issue 15).
    assert_eq!(files.len(), 14 * 2 + 2, "{files:?}");
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
    // Recompute from the frozen answers: the 2026 responses to organisations' diagnostics,
    // pooled by diagnostic as its results page does; since issue 11 the distributions are of
    // diagnostics of 3 respondents or more, no longer of responses.
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.diagnostic_id, r.id, d.questionnaire_slug, d.questionnaire_version, r.answers_json
         FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.organisation_id IS NOT NULL AND r.submitted_at LIKE '2026-%'
         ORDER BY r.diagnostic_id, r.submitted_at, r.id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("responses");
    /// A diagnostic's questionnaire (slug, version) and its respondents' question scores.
    type Pooled<'a> = (&'a str, &'a str, Vec<Vec<Option<f64>>>);
    let mut by_diagnostic: std::collections::BTreeMap<&str, Pooled<'_>> =
        std::collections::BTreeMap::new();
    for (diagnostic, id, slug, version, json) in &rows {
        let q = app.registry.get(slug, version).expect("version");
        let answers = db::thaw_answers(id, json.as_deref().expect("frozen")).expect("thaws");
        let s = scoring::question_scores(q, &db::align_answers(q, &answers));
        by_diagnostic
            .entry(diagnostic)
            .or_insert((slug, version, Vec::new()))
            .2
            .push(s);
    }
    let mut frugal = Vec::new();
    for (slug, version, respondents) in by_diagnostic.values() {
        if respondents.len() >= 3 {
            // The earliest submitted, in whole groups of three, as the results page counts.
            let counted = &respondents[..respondents.len() - respondents.len() % 3];
            let q = app.registry.get(slug, version).expect("version");
            frugal.extend(
                scoring::score_group(q, counted)
                    .scores
                    .quality(Quality::Frugal),
            );
        }
    }
    let expected = frugal.iter().sum::<f64>() / frugal.len() as f64;

    // The published unit: diagnostics of 3 respondents or more (issue 11: no longer one row
    // per response), counted by SQL.
    let diagnostics = read_parquet(&dir.path().join("diagnostics.parquet"));
    let published: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT r.diagnostic_id FROM responses r
           JOIN diagnostics d ON d.id = r.diagnostic_id
           WHERE d.organisation_id IS NOT NULL AND r.submitted_at LIKE '2026-%'
           GROUP BY r.diagnostic_id HAVING COUNT(*) >= 3) AS big",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert!(published > 0);
    assert_eq!(diagnostics.height() as i64, published);
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
        .expect("not suppressed: five organisations or more");
    assert!((mean - expected).abs() < 1e-9, "{mean} vs {expected}");
    // Paired progress: the demo's Belval and Rivemont answered in 2025 too — fewer than
    // five organisations, so the published progress is suppressed, and since issue 11 its
    // count of organisations (2) with it.
    let progress =
        ParquetReader::new(std::fs::File::open(dir.path().join("progress.parquet")).expect("open"))
            .finish()
            .expect("reads");
    let organisations = progress.column("organisations").expect("n");
    assert_eq!(organisations.get(0).expect("value").extract::<i64>(), None);
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
        &db::align_answers(q, &db::thaw_answers(&id, &json).expect("thaws")),
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

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).expect("open"))
        .finish()
        .expect("parquet reads")
}

/// The seven quality scores of a frame's row, when it has them.
fn qualities_of_row(df: &DataFrame, row: usize) -> Option<Vec<Option<f64>>> {
    Quality::ALL
        .iter()
        .map(|q| {
            let column = df.column(&format!("q_{}", q.code())).ok()?;
            let column = column.cast(&DataType::Float64).ok()?;
            Some(column.f64().ok()?.get(row))
        })
        .collect()
}

fn same_scores(a: &[Option<f64>], b: &[Option<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        })
}

/// Each submitted respondent's own quality scores, as stored at submission.
async fn each_respondents_qualities(app: &TestApp) -> Vec<Vec<Option<f64>>> {
    let columns: Vec<String> = Quality::ALL
        .iter()
        .map(|q| format!("q_{}", q.code()))
        .collect();
    let sql = format!("SELECT {} FROM response_scores", columns.join(", "));
    let rows: Vec<sqlx::any::AnyRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&app.pool)
        .await
        .expect("scores");
    use sqlx::Row;
    rows.iter()
        .map(|r| {
            (0..columns.len())
                .map(|i| r.try_get::<Option<f64>, _>(i).expect("score"))
                .collect()
        })
        .collect()
}

/// A lead's organisation in a département, with one diagnostic answered by `people`
/// respondents of one role (alternately favourable or not).
pub(crate) async fn organisation_with_respondents(
    app: &TestApp,
    lead: &Visitor,
    name: &str,
    departement: &str,
    people: usize,
) -> String {
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (status, location, body) = lead
        .post(
            "/organisations",
            &[
                ("name", name),
                ("kind", "commune"),
                ("departement", departement),
                ("commune_insee", &format!("{departement}001")),
                ("size_band", "10k_50k"),
                ("siren", ""),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let organisation = location.trim_start_matches("/organisations/").to_owned();
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    for i in 0..people {
        let token = lead.invite(&diagnostic, "agent", "", false).await;
        answer_everything(&app.visitor(), &q, &token, i % 2 == 0).await;
    }
    diagnostic
}

/// What programme staff do from the organisation page (the database call behind their form):
/// only verified organisations count in the open data and the report.
pub(crate) async fn verify_organisation(app: &TestApp, organisation_id: &str) {
    assert!(
        db::set_organisation_verified(&app.pool, organisation_id, true)
            .await
            .expect("verify"),
        "no organisation {organisation_id}"
    );
}

/// The organisation whose diagnostic this is.
pub(crate) async fn organisation_of(app: &TestApp, diagnostic: &str) -> String {
    sqlx::query_scalar("SELECT organisation_id FROM diagnostics WHERE id = $1")
        .bind(diagnostic)
        .fetch_one(&app.pool)
        .await
        .expect("diagnostic")
}

#[tokio::test]
async fn a_lead_who_knows_their_own_results_finds_no_exported_row_of_one_person() {
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let lead = app.visitor();
    lead.sign_up("Léa Recoupe", "lea.recoupe@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Recoupe").await;
    verify_organisation(&app, &organisation).await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    // Three agents who do not all agree (so that their mean is nobody's own answers), and a
    // lone director who answers otherwise.
    for favourable in [true, false, true] {
        let agent = lead.invite(&diagnostic, "agent", "", false).await;
        answer_everything(&app.visitor(), &q, &agent, favourable).await;
    }
    let director = lead
        .invite(&diagnostic, "direction", "La directrice", false)
        .await;
    answer_everything(&app.visitor(), &q, &director, false).await;
    // Another organisation of the lead, answered by two people only.
    let two = organisation_with_respondents(&app, &lead, "Ville de Deux-Voix", "69", 2).await;
    verify_organisation(&app, &organisation_of(&app, &two).await).await;

    // What the lead knows: their own results, where the lone director is not shown apart.
    let json: serde_json::Value = lead
        .client
        .get(format!(
            "{}/diagnostics/{diagnostic}/results.json",
            app.address
        ))
        .send()
        .await
        .expect("json")
        .json()
        .await
        .expect("json body");
    // Four submitted, counted in whole groups of three: the page and the export both read
    // the first three, so neither can be subtracted from the other to isolate the fourth.
    assert_eq!(json["respondents"], 3);
    let own: Vec<Option<f64>> = Quality::ALL
        .iter()
        .map(|q| json["qualities"][q.code()]["score"].as_f64())
        .collect();
    assert!(own.iter().all(Option::is_some), "{json}");

    let dir = TempDir::new().expect("temp dir");
    export(&app, dir.path());

    // The attack: match every exported row to any one respondent's scores, the lone
    // director's first among them.
    let people = each_respondents_qualities(&app).await;
    assert_eq!(people.len(), 6);
    let (director_scores, others): (Vec<_>, Vec<_>) = people
        .iter()
        .partition(|p| p.iter().flatten().all(|s| *s < 50.0));
    assert_eq!(
        director_scores.len(),
        3,
        "the director, the second agent and one of the two"
    );
    assert!(!others.is_empty());
    for file in files(dir.path()) {
        if file.extension().is_none_or(|e| e != "parquet") {
            continue;
        }
        let df = read_parquet(&file);
        assert!(
            df.column("respondent_role").is_err(),
            "{} names roles",
            file.display()
        );
        for row in 0..df.height() {
            if let Some(scores) = qualities_of_row(&df, row) {
                for person in &people {
                    assert!(
                        !same_scores(&scores, person),
                        "{} row {row} is one respondent's scores",
                        file.display()
                    );
                }
            }
        }
    }
    // The organisation's own row is there, with the collective scores of its results page;
    // the two-person diagnostic is not.
    let diagnostics = read_parquet(&dir.path().join("diagnostics.parquet"));
    assert_eq!(diagnostics.height(), 1);
    assert!(same_scores(
        &qualities_of_row(&diagnostics, 0).expect("scores"),
        &own
    ));
    assert_eq!(
        diagnostics
            .column("respondents")
            .expect("respondents")
            .get(0)
            .expect("value")
            .extract::<i64>(),
        Some(3)
    );
    let csv = std::fs::read_to_string(dir.path().join("diagnostics.csv")).expect("csv");
    assert!(
        !csv.contains("direction") && !csv.contains("agent"),
        "{csv}"
    );
}

#[tokio::test]
async fn small_kinds_and_places_are_blank_and_suppressed_groups_publish_no_count() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa Seuils", "lea.seuils@exemple.fr").await;
    // Five communes of the Rhône and one of the Finistère, each of 3 respondents.
    let mut diagnostics = Vec::new();
    for i in 0..5 {
        diagnostics.push(
            organisation_with_respondents(&app, &lead, &format!("Commune {i}"), "69", 3).await,
        );
    }
    diagnostics.push(organisation_with_respondents(&app, &lead, "Commune seule", "29", 3).await);
    for diagnostic in &diagnostics {
        verify_organisation(&app, &organisation_of(&app, diagnostic).await).await;
    }
    let dir = TempDir::new().expect("temp dir");
    export(&app, dir.path());

    let diagnostics = read_parquet(&dir.path().join("diagnostics.parquet"));
    assert_eq!(diagnostics.height(), 6);
    let text = |df: &DataFrame, column: &str| -> Vec<Option<String>> {
        df.column(column)
            .expect(column)
            .cast(&DataType::String)
            .expect("text")
            .str()
            .expect("text")
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect()
    };
    let mut places: Vec<(Option<String>, Option<String>)> = text(&diagnostics, "organisation_kind")
        .into_iter()
        .zip(text(&diagnostics, "departement"))
        .collect();
    places.sort();
    let rhone = (Some("commune".to_owned()), Some("69".to_owned()));
    assert_eq!(
        places,
        vec![
            (Some("commune".into()), None),
            rhone.clone(),
            rhone.clone(),
            rhone.clone(),
            rhone.clone(),
            rhone,
        ],
        "the lone commune of the Finistère keeps its kind, not its département"
    );
    // By département: the Finistère's one commune is withheld, and so is the Rhône, since
    // the total minus the Rhône would give the Finistère away. No count of either.
    let by_place = read_parquet(&dir.path().join("participation_by_departement.parquet"));
    assert_eq!(by_place.height(), 2);
    let overall = read_parquet(&dir.path().join("participation.parquet"));
    assert_eq!(
        overall
            .column("organisations")
            .expect("n")
            .get(0)
            .expect("value")
            .extract::<i64>(),
        Some(6)
    );
    // Every table, export and report alike: a suppressed row publishes no count.
    let report = TempDir::new().expect("temp dir");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, report.path(), Lang::Fr, &())
        .await
        .expect("report");
    let mut checked = 0;
    let tables = files(dir.path())
        .into_iter()
        .chain(files(&report.path().join("data")));
    for file in tables {
        if file.extension().is_none_or(|e| e != "parquet") {
            continue;
        }
        let df = read_parquet(&file);
        let Ok(flags) = df.column("suppressed") else {
            continue;
        };
        for (row, flag) in flags.bool().expect("flags").iter().enumerate() {
            if flag != Some(true) {
                continue;
            }
            checked += 1;
            for column in [
                "organisations",
                "organisations_submitted",
                "started",
                "submitted",
                "n",
                "responses",
                "low_coverage",
                "diagnostics",
                "low_coverage_diagnostics",
                "improved",
                "mean",
            ] {
                if let Ok(c) = df.column(column) {
                    assert!(
                        c.get(row).expect("value").is_null(),
                        "{} row {row}: {column} of a suppressed group",
                        file.display()
                    );
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        by_place
            .column("suppressed")
            .expect("flags")
            .bool()
            .expect("flags")
            .iter()
            .all(|f| f == Some(true))
    );
    // Low coverage: counts by questionnaire, never a diagnostic.
    let low = read_parquet(&report.path().join("data/low_coverage_diagnostics.parquet"));
    for column in ["diagnostic_id", "organisation_id", "mean_coverage"] {
        assert!(low.column(column).is_err(), "{column}");
    }
    assert_eq!(
        text(&low, "questionnaire_slug"),
        vec![Some("territoires".to_owned())]
    );
    assert_eq!(
        low.column("diagnostics")
            .expect("n")
            .get(0)
            .expect("value")
            .extract::<i64>(),
        Some(6)
    );
    let readme = std::fs::read_to_string(dir.path().join("README.md")).expect("readme");
    assert!(readme.contains("personne n'est isolé") && readme.contains("nobody is singled out"));
    let report_readme =
        std::fs::read_to_string(report.path().join("data/README.md")).expect("readme");
    assert!(report_readme.contains("nobody is singled out"));
}

/// No field of a CSV starts with what a spreadsheet runs as a formula.
fn assert_no_formula(csv: &str, what: &str) {
    for line in csv.lines() {
        for start in ["=", "\"=", "+", "\"+", "@", "\"@"] {
            assert!(
                !line.starts_with(start)
                    && !line.contains(&format!(",{start}"))
                    && !line.contains(&format!(";{start}")),
                "{what}: {line}"
            );
        }
    }
}

#[tokio::test]
async fn formulas_typed_into_names_are_neutralised_in_every_csv() {
    const FORMULA: &str = "=HYPERLINK(\"http://x\")";
    let app = spawn_app().await;
    // An organisation and its diagnostic named with a formula: results.csv.
    let lead = app.visitor();
    lead.sign_up("Léa Formule", "lea.formule@exemple.fr").await;
    let diagnostic = organisation_with_respondents(&app, &lead, "Ville de Formule", "69", 3).await;
    verify_organisation(&app, &organisation_of(&app, &diagnostic).await).await;
    sqlx::query("UPDATE organisations SET name = $1")
        .bind(FORMULA)
        .execute(&app.pool)
        .await
        .expect("update");
    sqlx::query("UPDATE diagnostics SET title = $1")
        .bind(format!("@{FORMULA}"))
        .execute(&app.pool)
        .await
        .expect("update");
    let csv = lead
        .client
        .get(format!(
            "{}/diagnostics/{diagnostic}/results.csv",
            app.address
        ))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("body");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains("\"'@=HYPERLINK("), "{csv}");
    assert!(
        csv.contains(";\"Répondant·es\";;;;;3"),
        "numbers stay numbers: {csv}"
    );
    assert_no_formula(&csv, "results.csv");

    // A coalition and an indicator named with a formula: the report's data files.
    let coalition = app.coalition("formule").await;
    sqlx::query("UPDATE coalitions SET name_fr = $1 WHERE id = $2")
        .bind(FORMULA)
        .bind(&coalition)
        .execute(&app.pool)
        .await
        .expect("update");
    let now = db::now();
    let goal = db::new_id();
    db::insert_goal(
        &app.pool,
        &db::NewGoal {
            id: &goal,
            coalition_id: &coalition,
            statement: "Objectif",
            horizon: "2028",
            qualities: "frugal",
            dimensions: "usages",
            at: &now,
        },
    )
    .await
    .expect("goal");
    db::insert_indicator(
        &app.pool,
        &db::NewIndicator {
            id: &db::new_id(),
            coalition_id: &coalition,
            goal_id: &goal,
            code: "-F1",
            name: &format!("+{FORMULA}"),
            definition: "Définition",
            level: "outcome",
            measure: "count",
            scale_levels: None,
            unit: "=unité",
            direction: "increase",
            tolerance: None,
            combination: "last_value",
            periodicity: "annuelle",
            verification: "Vérification",
            owner_organisation_id: None,
            at: &now,
        },
    )
    .await
    .expect("indicator");
    let report = TempDir::new().expect("temp dir");
    reset_eval::report::generate(&app.pool, &app.registry, 2026, report.path(), Lang::Fr, &())
        .await
        .expect("report");
    let coalitions =
        std::fs::read_to_string(report.path().join("data/coalitions.csv")).expect("csv");
    assert!(coalitions.contains("'=HYPERLINK("), "{coalitions}");
    assert_no_formula(&coalitions, "coalitions.csv");
    let indicators =
        std::fs::read_to_string(report.path().join("data/coalition_indicators.csv")).expect("csv");
    assert!(
        indicators.contains("'+=HYPERLINK(") && indicators.contains("'-F1"),
        "{indicators}"
    );
    assert!(indicators.contains("'=unité"), "{indicators}");
    assert_no_formula(&indicators, "coalition_indicators.csv");
    // The Parquet twin carries the same neutralised text.
    let parquet = parquet_text(&report.path().join("data/coalitions.parquet"));
    assert!(parquet.contains("'=HYPERLINK(") && !parquet.contains("\n=HYPERLINK("));

    // The open data and every other CSV of the report.
    let dir = TempDir::new().expect("temp dir");
    export(&app, dir.path());
    for file in files(dir.path())
        .into_iter()
        .chain(files(&report.path().join("data")))
    {
        if file.extension().is_some_and(|e| e == "csv") {
            let csv = std::fs::read_to_string(&file).expect("csv");
            assert_no_formula(&csv, &file.display().to_string());
        }
    }
}

#[tokio::test]
async fn a_report_published_before_the_fix_no_longer_shows_diagnostics_one_by_one() {
    let app = spawn_app().await;
    // As stored by a report published before issue 11: low-coverage diagnostics with ids.
    assert!(
        db::lock_year(&app.pool, 2026, &db::now(), None)
            .await
            .expect("locked")
    );
    db::insert_report_table(
        &app.pool,
        2026,
        "participation",
        "organisations,started,submitted,suppressed\n7,8,7,false\n",
    )
    .await
    .expect("stored");
    db::insert_report_table(
        &app.pool,
        2026,
        "low_coverage_diagnostics",
        "diagnostic_id,organisation_id,organisation_kind,questionnaire_slug,responses,mean_coverage,low_coverage\nd-identifiant-seul,o-identifiant-seul,commune,territoires,1,0.2,1\n",
    )
    .await
    .expect("stored");
    let dir = TempDir::new().expect("temp dir");
    let generated =
        reset_eval::report::generate(&app.pool, &app.registry, 2026, dir.path(), Lang::Fr, &())
            .await
            .expect("report");
    assert!(generated.frozen);
    assert!(dir.path().join("data/participation.csv").exists());
    assert!(
        !dir.path()
            .join("data/low_coverage_diagnostics.csv")
            .exists()
    );
    let html = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(!html.contains("identifiant-seul"));
}

/// Every file of a directory (not recursive) with its bytes, by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .filter(|f| f.is_file())
        .map(|f| {
            let name = f.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&f).expect("read"))
        })
        .collect()
}

/// The kind and département of each published diagnostic, sorted.
fn kinds_and_places(dir: &Path) -> Vec<(Option<String>, Option<String>)> {
    let diagnostics = read_parquet(&dir.join("diagnostics.parquet"));
    let text = |column: &str| -> Vec<Option<String>> {
        diagnostics
            .column(column)
            .expect(column)
            .cast(&DataType::String)
            .expect("text")
            .str()
            .expect("text")
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect()
    };
    let mut places: Vec<_> = text("organisation_kind")
        .into_iter()
        .zip(text("departement"))
        .collect();
    places.sort();
    places
}

fn organisations_counted(dir: &Path) -> Option<i64> {
    read_parquet(&dir.join("participation.parquet"))
        .column("organisations")
        .expect("organisations")
        .get(0)
        .expect("value")
        .extract::<i64>()
}

#[tokio::test]
async fn made_up_organisations_cannot_reveal_a_real_ones_departement_until_staff_verify_them() {
    let app = spawn_app().await;
    let staff = app.staff("equipe.verification@exemple.fr").await;
    // The real organisations, verified by staff: five communes of the Rhône and the one
    // commune of the Finistère, each of 3 respondents.
    let lead = app.visitor();
    lead.sign_up("Léa Réelle", "lea.reelle@exemple.fr").await;
    let mut real = Vec::new();
    for i in 0..5 {
        real.push(
            organisation_with_respondents(&app, &lead, &format!("Commune {i}"), "69", 3).await,
        );
    }
    let finistere = organisation_with_respondents(&app, &lead, "Commune du bout", "29", 3).await;
    for diagnostic in &real {
        verify_organisation(&app, &organisation_of(&app, diagnostic).await).await;
    }
    // Staff verify through their form on the organisation page.
    let verify_by_staff = |organisation: String| {
        let staff = &staff;
        async move {
            staff.get(&format!("/organisations/{organisation}")).await;
            let (status, _, body) = staff
                .post(
                    &format!("/organisations/{organisation}/verification"),
                    &[("verified", "1")],
                )
                .await;
            assert_eq!(status, 303, "{body}");
        }
    };
    verify_by_staff(organisation_of(&app, &finistere).await).await;

    let before = TempDir::new().expect("temp dir");
    export(&app, before.path());
    let report_before = TempDir::new().expect("temp dir");
    reset_eval::report::generate(
        &app.pool,
        &app.registry,
        2026,
        report_before.path(),
        Lang::Fr,
        &(),
    )
    .await
    .expect("report");
    let finistere_blank = (Some("commune".to_owned()), None);
    assert!(kinds_and_places(before.path()).contains(&finistere_blank));
    assert_eq!(organisations_counted(before.path()), Some(6));

    // The attack: someone signs up and makes up four communes of the Finistère, each with
    // three « respondents » they answer themselves, to lift the Finistère to five.
    let attacker = app.visitor();
    attacker
        .sign_up("Max Inventé", "max.invente@exemple.fr")
        .await;
    let mut made_up = Vec::new();
    for i in 0..4 {
        let diagnostic =
            organisation_with_respondents(&app, &attacker, &format!("Fausse {i}"), "29", 3).await;
        made_up.push(organisation_of(&app, &diagnostic).await);
    }
    let after = TempDir::new().expect("temp dir");
    export(&app, after.path());
    let report_after = TempDir::new().expect("temp dir");
    reset_eval::report::generate(
        &app.pool,
        &app.registry,
        2026,
        report_after.path(),
        Lang::Fr,
        &(),
    )
    .await
    .expect("report");
    // Nothing moved: not the Finistère's blank, not a count, not a byte of any file.
    assert!(kinds_and_places(after.path()).contains(&finistere_blank));
    assert!(
        !kinds_and_places(after.path())
            .iter()
            .any(|(_, place)| place.as_deref() == Some("29")),
        "the real commune's département is published"
    );
    assert_eq!(organisations_counted(after.path()), Some(6));
    assert!(
        contents(before.path()) == contents(after.path()),
        "the made-up organisations changed the open data"
    );
    assert!(
        contents(&report_before.path().join("data")) == contents(&report_after.path().join("data")),
        "the made-up organisations changed the report's figures"
    );
    assert_eq!(
        std::fs::read(report_before.path().join("index.html")).expect("index"),
        std::fs::read(report_after.path().join("index.html")).expect("index")
    );
    // The rule is written beside the open-data rule, in both languages.
    for readme in [
        after.path().join("README.md"),
        report_after.path().join("data/README.md"),
    ] {
        let text = std::fs::read_to_string(&readme).expect("readme");
        assert!(
            text.contains(
                "Seules comptent les organisations que l'équipe du programme a vérifiées"
            ) && text.contains("Only organisations verified by the programme team are counted"),
            "{}",
            readme.display()
        );
    }

    // Once staff have checked them and verified them, they count like any other.
    for organisation in made_up {
        verify_by_staff(organisation).await;
    }
    let verified = TempDir::new().expect("temp dir");
    export(&app, verified.path());
    assert_eq!(organisations_counted(verified.path()), Some(10));
    let finistere_published = (Some("commune".to_owned()), Some("29".to_owned()));
    assert_eq!(
        kinds_and_places(verified.path())
            .iter()
            .filter(|p| **p == finistere_published)
            .count(),
        5
    );
}

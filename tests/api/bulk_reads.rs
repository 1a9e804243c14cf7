//! The yearly report's large reads through the backend's own driver (`db::bulk_reader`) give
//! exactly what the portable `Any` reads give, row for row, on a small synthetic database;
//! and frozen answers placed by `db::align_frozen` are those of `db::align_answers`.

use crate::helpers::{TestApp, shipped_questionnaires, spawn_app_configured};
use reset_eval::app::demo::synthetic::{self, Synthetic};
use reset_eval::db::{self, BulkReader};

async fn synthetic_app() -> TestApp {
    // Synthetic responses are dated over two years; keep the unsubmitted ones from retention.
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.retention_unsubmitted_months = 1200;
    })
    .await;
    synthetic::load(
        &app.pool,
        &app.registry,
        Synthetic {
            organisations: 12,
            respondents: 300,
            seed: 11,
        },
        &|_, _| {},
    )
    .await
    .expect("synthetic data");
    app
}

type Listing = (String, String, String, String, Option<String>);
type Stored = (String, Vec<Option<f64>>, f64);
type Submitted = (String, String, String, Option<String>);

async fn read_all(
    reader: &mut BulkReader<'_>,
    columns: &[&str],
) -> (Vec<Listing>, Vec<Stored>, Vec<Submitted>) {
    let mut listings = Vec::new();
    db::for_each_response_listing(reader, 2025, 2026, |r| {
        listings.push((
            r.response_id.to_owned(),
            r.diagnostic_id.to_owned(),
            r.respondent_role.to_owned(),
            r.started_at.to_owned(),
            r.submitted_at.map(str::to_owned),
        ))
    })
    .await
    .expect("listings");
    let mut scores = Vec::new();
    db::for_each_stored_score(reader, columns, |id, values, coverage| {
        scores.push((id.to_owned(), values.to_vec(), coverage))
    })
    .await
    .expect("scores");
    // In no set order: sorted to compare.
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    let mut submitted = Vec::new();
    db::for_each_submitted_answers(reader, 2026, |diagnostic, response, at, json| {
        submitted.push((
            diagnostic.to_owned(),
            response.to_owned(),
            at.to_owned(),
            json.map(str::to_owned),
        ))
    })
    .await
    .expect("answers");
    // Diagnostic after diagnostic (each one's rows together), in no set order within one.
    let mut met: Vec<&str> = Vec::new();
    for (diagnostic, ..) in &submitted {
        if met.last() != Some(&diagnostic.as_str()) {
            assert!(
                !met.contains(&diagnostic.as_str()),
                "{diagnostic} comes back later"
            );
            met.push(diagnostic);
        }
    }
    submitted.sort();
    (listings, scores, submitted)
}

#[tokio::test]
async fn the_native_reads_give_the_same_rows_as_the_portable_reads() {
    let app = synthetic_app().await;
    let mut native = db::bulk_reader(&app.pool).await.expect("a native reader");
    assert!(
        matches!(native, BulkReader::Sqlite(_) | BulkReader::Postgres(_)),
        "a database file or server is read through its own driver"
    );
    let all = db::score_columns();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    for columns in [&all[..], &["q_frugal", "q_equitable"][..], &[][..]] {
        let fast = read_all(&mut native, columns).await;
        let slow = read_all(&mut db::portable_reader(&app.pool), columns).await;
        assert!(fast.0.len() > 300, "both years' responses are listed");
        assert_eq!(fast.1.len(), 300, "every submitted response has scores");
        assert!(!fast.2.is_empty(), "this year's answers are read");
        assert!(fast.1.iter().all(|(_, v, _)| v.len() == columns.len()));
        assert_eq!(fast, slow, "columns {columns:?}");
        // The year's submitted responses of organisations' diagnostics, as the earlier
        // query (SUBSTR of the submission time) selected them.
        let of_year: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
             WHERE d.organisation_id IS NOT NULL AND r.submitted_at IS NOT NULL
               AND SUBSTR(r.submitted_at, 1, 4) = '2026'",
        )
        .fetch_one(&app.pool)
        .await
        .expect("count");
        assert_eq!(fast.2.len() as i64, of_year);
    }
    native.close().await.expect("closed");
}

#[tokio::test]
async fn the_stored_scores_refuse_a_column_that_is_not_a_score() {
    let app = synthetic_app().await;
    let mut reader = db::bulk_reader(&app.pool).await.expect("a reader");
    let refused =
        db::for_each_stored_score(&mut reader, &["q_frugal", "response_id"], |_, _, _| {}).await;
    assert!(
        matches!(refused, Err(sqlx::Error::ColumnNotFound(c)) if c == "response_id"),
        "only score columns are read"
    );
}

#[tokio::test]
async fn frozen_answers_are_placed_as_the_answer_rows_place_them() {
    let app = synthetic_app().await;
    let q = app.registry.latest("territoires").expect("questionnaire");
    let positions = db::QuestionPositions::new(q);
    let mut frozen: Vec<(String, String)> = Vec::new();
    db::for_each_submitted_answers(
        &mut db::portable_reader(&app.pool),
        2026,
        |_, r, _, json| {
            if let Some(json) = json {
                frozen.push((r.to_owned(), json.to_owned()));
            }
        },
    )
    .await
    .expect("answers");
    assert!(!frozen.is_empty());
    // Answers out of the questionnaire's order, one of a question the version lacks, one
    // whose state no longer reads, text with escapes, and a question answered twice.
    let first = &q.questions[0].id;
    let last = &q.questions[q.questions.len() - 1].id;
    let mut hand_made = vec![
        (last.as_str(), "not_applicable", None, None),
        ("no_such_question", "answered", Some("3"), None),
        (first.as_str(), "lost_state", Some("3"), None),
        (
            first.as_str(),
            "dont_know",
            None,
            Some("« quoted » \"text\"\nwith a \\ backslash"),
        ),
    ];
    let json = db::frozen_json(&hand_made).expect("json");
    frozen.push(("hand-made".into(), json));
    hand_made.reverse();
    frozen.push((
        "hand-made reversed".into(),
        db::frozen_json(&hand_made).expect("json"),
    ));
    for (response, json) in &frozen {
        let rows = db::thaw_answers(response, json).expect("thawed");
        assert_eq!(
            db::align_frozen(&positions, json).expect("aligned"),
            db::align_answers(q, &rows),
            "response {response}"
        );
    }
    assert!(db::align_frozen(&positions, "[[\"x\"").is_err());
}

use crate::helpers::spawn_app;
use reset_eval::app::demo;
use reset_eval::db;
use reset_eval::domain::questionnaire::AnswerState;
use reset_eval::domain::scoring;

#[tokio::test]
async fn demo_data_loads_once_and_a_second_load_adds_nothing() {
    let app = spawn_app().await;
    let first = demo::load(&app.pool, &app.registry)
        .await
        .expect("demo loads");
    assert_eq!(first.coalitions, 18);
    assert_eq!(first.organisations, 7);
    assert!(first.responses >= 30, "{first:?}");
    let second = demo::load(&app.pool, &app.registry)
        .await
        .expect("demo loads again");
    assert_eq!(second, demo::DemoReport::default());
    let overview = db::overview(&app.pool).await.expect("overview");
    assert_eq!(overview.coalitions, 18);
    // The 7 demo organisations, and one for each member the catalogue names.
    let catalogue =
        reset_eval::domain::coalition::catalogue::Catalogue::shipped().expect("catalogue");
    let mut members: Vec<&str> = catalogue
        .coalitions
        .iter()
        .flat_map(|c| c.members.iter().map(|m| m.name.as_str()))
        .collect();
    members.sort_unstable();
    members.dedup();
    assert_eq!(overview.organisations as usize, 7 + members.len());
    // One respondent of the demo is still answering.
    assert_eq!(overview.submitted_responses as usize, first.responses - 1);
}

#[tokio::test]
async fn demo_answers_are_valid_answers_of_their_questionnaire_and_score() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry)
        .await
        .expect("demo loads");
    // The Métropole de Rivemont's 2026 diagnostic: six respondents.
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT d.id, d.questionnaire_slug, d.questionnaire_version FROM diagnostics d
         JOIN organisations o ON o.id = d.organisation_id
         WHERE o.name = $1 ORDER BY d.opened_at DESC",
    )
    .bind("Métropole de Rivemont")
    .fetch_all(&app.pool)
    .await
    .expect("query");
    assert_eq!(rows.len(), 2, "a diagnostic in 2025 and one in 2026");
    let (diagnostic, slug, version) = &rows[0];
    let q = app
        .registry
        .get(slug, version)
        .expect("pinned version exists");
    let frozen = db::frozen_responses_of_diagnostic(&app.pool, diagnostic)
        .await
        .expect("responses");
    let mut by_response: std::collections::BTreeMap<
        String,
        Vec<Option<reset_eval::domain::questionnaire::Answer>>,
    > = Default::default();
    for response in &frozen {
        let json = response
            .answers_json
            .as_deref()
            .expect("submitted answers are frozen");
        for row in db::thaw_answers(&response.id, json).expect("frozen answers read back") {
            let i = q.question_index(&row.question_id).expect("known question");
            let state = AnswerState::from_code(&row.state).expect("known state");
            let answer = q.questions[i]
                .parse_answer(state, row.value.as_deref(), row.justification.as_deref())
                .unwrap_or_else(|e| panic!("{}: {e}", row.question_id));
            by_response
                .entry(row.response_id.clone())
                .or_insert_with(|| vec![None; q.questions.len()])[i] = Some(answer);
        }
    }
    assert_eq!(by_response.len(), 6);
    let s: Vec<_> = by_response
        .values()
        .map(|a| scoring::question_scores(q, a))
        .collect();
    let group = scoring::score_group(q, &s);
    assert!(
        group
            .scores
            .overall
            .is_some_and(|o| (20.0..=95.0).contains(&o)),
        "{:?}",
        group.scores.overall
    );
    assert!(group.scores.coverage() > 0.9);
}

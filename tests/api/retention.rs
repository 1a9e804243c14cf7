//! Retention: the worker's periodic task deletes unsubmitted responses past the setting, and
//! expired sessions and sign-in records; nothing submitted.

use crate::helpers::spawn_app_configured;
use std::time::Duration;

async fn count(pool: &reset_eval::db::Pool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn the_retention_task_purges_an_old_unsubmitted_response_and_keeps_a_submitted_one() {
    let app = spawn_app_configured(crate::helpers::shipped_questionnaires(), |s| {
        s.retention_unsubmitted_months = 6;
    })
    .await;
    let lead = app.visitor();
    lead.sign_up("Camille", "camille@exemple.fr").await;
    let organisation = lead.register_commune("Lyon").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    // Three responses: one submitted long ago, one abandoned long ago, one abandoned lately.
    let now = time::OffsetDateTime::now_utc();
    let long_ago = reset_eval::db::timestamp(now - time::Duration::days(400));
    let lately = reset_eval::db::timestamp(now - time::Duration::days(30));
    let mut ids = Vec::new();
    for (started, submitted) in [
        (&long_ago, Some(&long_ago)),
        (&long_ago, None),
        (&lately, None),
    ] {
        let id = reset_eval::db::new_id();
        sqlx::query(
            "INSERT INTO responses (id, diagnostic_id, respondent_role, started_at, submitted_at, last_saved_at)
             VALUES ($1, $2, 'elu', $3, $4, $3)",
        )
        .bind(&id)
        .bind(&diagnostic)
        .bind(started)
        .bind(submitted)
        .execute(&app.pool)
        .await
        .expect("response");
        sqlx::query(
            "INSERT INTO answers (response_id, question_id, state, value, updated_at)
             VALUES ($1, 'q1', 'answered', '3', $2)",
        )
        .bind(&id)
        .bind(started)
        .execute(&app.pool)
        .await
        .expect("answer");
        ids.push(id);
    }
    // An expired session and an old sign-in attempt.
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(&long_ago)
        .execute(&app.pool)
        .await
        .expect("expire");
    sqlx::query(
        "INSERT INTO sign_in_attempts (id, email, client, succeeded, attempted_at) VALUES ('a1', 'k', 'c', 0, $1)",
    )
    .bind(&long_ago)
    .execute(&app.pool)
    .await
    .expect("attempt");

    // The task is due now (as it is at each period): the worker runs it.
    sqlx::query(
        "UPDATE worker_tasks SET next_run_at = '2000-01-01T00:00:00Z' WHERE name = 'retention'",
    )
    .execute(&app.pool)
    .await
    .expect("due");
    let mut left = Vec::new();
    for _ in 0..100 {
        left = sqlx::query_scalar::<_, String>("SELECT id FROM responses ORDER BY started_at")
            .fetch_all(&app.pool)
            .await
            .expect("responses");
        if left.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(left.contains(&ids[0]), "the submitted response stays");
    assert!(!left.contains(&ids[1]), "the old unsubmitted response goes");
    assert!(
        left.contains(&ids[2]),
        "a recent unsubmitted response stays"
    );
    let answers = count(&app.pool, "SELECT COUNT(*) FROM answers").await;
    assert_eq!(answers, 2, "its answers went with it");
    assert_eq!(count(&app.pool, "SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(
        count(
            &app.pool,
            "SELECT COUNT(*) FROM sign_in_attempts WHERE id = 'a1'"
        )
        .await,
        0
    );
}

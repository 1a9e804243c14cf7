//! Responses and their answers: saved a page at a time while open, frozen with their
//! scores at submission, and the respondent's link that reaches them.

use super::{AnyExecutor, now, score_frozen_response};
use sqlx::FromRow;

pub async fn insert_response(
    ex: impl AnyExecutor<'_>,
    id: &str,
    diagnostic_id: &str,
    respondent_role: &str,
    started_at: &str,
    submitted_at: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO responses (id, diagnostic_id, respondent_role, started_at, submitted_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(diagnostic_id)
    .bind(respondent_role)
    .bind(started_at)
    .bind(submitted_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub struct StoredAnswer<'a> {
    pub question_id: &'a str,
    pub state: &'a str,
    pub value: Option<&'a str>,
    pub justification: Option<&'a str>,
}

#[derive(Debug, Clone, FromRow)]
pub struct AnswerRow {
    pub response_id: String,
    pub question_id: String,
    pub state: String,
    pub value: Option<String>,
    pub justification: Option<String>,
}

/// Marks a response submitted, freezes its answers and stores their scores (with the
/// response's pinned questionnaire version); `false` when it already was submitted (a second
/// submit changes nothing). Run it inside a write transaction: the three go together.
pub async fn submit_response(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    questionnaire: &crate::domain::questionnaire::Questionnaire,
) -> Result<bool, sqlx::Error> {
    let submitted = sqlx::query(
        "UPDATE responses SET submitted_at = $2 WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(id)
    .bind(now())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if submitted {
        freeze_answers(&mut *conn, id).await?;
        score_frozen_response(&mut *conn, questionnaire, id).await?;
    }
    Ok(submitted)
}

pub async fn answers_of_response(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
) -> Result<Vec<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT response_id, question_id, state, value, justification FROM answers WHERE response_id = $1",
    )
    .bind(response_id)
    .fetch_all(ex)
    .await
}

// --- The respondent's side ------------------------------------------------------------------

/// Everything a respondent's page needs about its link, in one query.
#[derive(Debug, Clone, FromRow)]
pub struct RespondentLink {
    pub invitation_id: String,
    pub token: String,
    /// Set on a link made at start (from a shared or a personal link): the response's own.
    pub parent_id: Option<String>,
    /// Set on a personal link once started: its response is on a link of its own.
    pub started_at: Option<String>,
    pub respondent_role: String,
    pub shared: i32,
    pub revoked_at: Option<String>,
    pub response_id: Option<String>,
    pub diagnostic_id: String,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    pub closed_at: Option<String>,
    /// The diagnostic's closing date (`YYYY-MM-DD`), if its lead set one.
    pub closes_on: Option<String>,
    pub submitted_at: Option<String>,
    pub organisation_name: Option<String>,
    /// The step the person stopped at (see `domain::results::resume_step`).
    pub resume_step: Option<i32>,
}

pub async fn respondent_link(
    ex: impl AnyExecutor<'_>,
    token: &str,
) -> Result<Option<RespondentLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS invitation_id, i.token, i.parent_id, i.started_at, i.respondent_role, i.shared,
                i.revoked_at, i.response_id, i.diagnostic_id, d.questionnaire_slug, d.questionnaire_version, d.closed_at,
                d.closes_on, r.submitted_at, o.name AS organisation_name, r.resume_step
         FROM invitations i
         JOIN diagnostics d ON d.id = i.diagnostic_id
         LEFT JOIN responses r ON r.id = i.response_id
         LEFT JOIN organisations o ON o.id = d.organisation_id
         WHERE i.token = $1",
    )
    .bind(token)
    .fetch_optional(ex)
    .await
}

/// Records that a response is being written, and the step its person will resume at, if it
/// is still open; `false` once submitted.
///
/// An UPDATE rather than a read, on purpose: on PostgreSQL it locks the response's row until
/// the transaction ends, as the submit's own UPDATE does, so a save and a submit of one
/// response take turns (on SQLite the write gate already makes them).
pub async fn mark_response_saved(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    at: &str,
    resume_step: i32,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE responses SET last_saved_at = $2, resume_step = $3
         WHERE id = $1 AND submitted_at IS NULL",
    )
    .bind(response_id)
    .bind(at)
    .bind(resume_step)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Saves a page: its answers, and removes the ones cleared, after checking the response is
/// not submitted. `false` (nothing written) when it is: after a submit, nothing changes a
/// response. Run it inside a write transaction, so that a save racing the submit either lands
/// before it (and is in the frozen answers and scores) or is refused.
pub async fn save_answers(
    conn: &mut sqlx::AnyConnection,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    cleared: &[&str],
    resume_step: i32,
) -> Result<bool, sqlx::Error> {
    let now = now();
    if !mark_response_saved(&mut *conn, response_id, &now, resume_step).await? {
        return Ok(false);
    }
    upsert_answers(&mut *conn, response_id, answers, &now).await?;
    delete_answers(&mut *conn, response_id, cleared).await?;
    Ok(true)
}

/// Saves a page of answers in one statement, replacing earlier answers to the same questions.
pub async fn upsert_answers(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    if answers.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..answers.len())
        .map(|i| {
            let b = 3 + i * 4;
            format!("($1, ${}, ${}, ${}, ${}, $2)", b, b + 1, b + 2, b + 3)
        })
        .collect();
    let sql = format!(
        "INSERT INTO answers (response_id, question_id, state, value, justification, updated_at)
         VALUES {}
         ON CONFLICT (response_id, question_id) DO UPDATE SET
             state = excluded.state, value = excluded.value,
             justification = excluded.justification, updated_at = excluded.updated_at",
        rows.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(response_id)
        .bind(updated_at);
    for a in answers {
        query = query
            .bind(a.question_id)
            .bind(a.state)
            .bind(a.value)
            .bind(a.justification);
    }
    query.execute(ex).await.map(|_| ())
}

/// Removes answers a person cleared.
pub async fn delete_answers(
    ex: impl AnyExecutor<'_>,
    response_id: &str,
    question_ids: &[&str],
) -> Result<(), sqlx::Error> {
    if question_ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..question_ids.len())
        .map(|i| format!("${}", i + 2))
        .collect();
    let sql = format!(
        "DELETE FROM answers WHERE response_id = $1 AND question_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(response_id);
    for id in question_ids {
        query = query.bind(*id);
    }
    query.execute(ex).await.map(|_| ())
}

/// Freezes a submitted response's answers into `responses.answers_json`.
pub async fn freeze_answers(
    conn: &mut sqlx::AnyConnection,
    response_id: &str,
) -> Result<(), sqlx::Error> {
    let rows = answers_of_response(&mut *conn, response_id).await?;
    let frozen: Vec<(&str, &str, Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|a| {
            (
                a.question_id.as_str(),
                a.state.as_str(),
                a.value.as_deref(),
                a.justification.as_deref(),
            )
        })
        .collect();
    let json = serde_json::to_string(&frozen).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE responses SET answers_json = $2 WHERE id = $1")
        .bind(response_id)
        .bind(json)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// A submitted response with its frozen answers (`None` for one frozen before that existed).
#[derive(Debug, Clone, FromRow)]
pub struct FrozenResponse {
    pub id: String,
    pub respondent_role: String,
    pub answers_json: Option<String>,
}

/// In the order they were submitted: results count them in whole groups of three, the
/// earliest first, so that a newcomer never changes which earlier ones count. Responses its
/// leads set aside are left out once their set-aside is in effect (in whole groups of three:
/// `db::set_aside_in_effect`).
pub async fn frozen_responses_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<FrozenResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, respondent_role, answers_json FROM responses r
         WHERE diagnostic_id = $1 AND submitted_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM set_aside_responses s WHERE s.response_id = r.id
                             AND {in_effect})
         ORDER BY submitted_at, id",
        in_effect = super::diagnostics::set_aside_in_effect("s")
    )))
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

/// Reads frozen answers back into rows.
pub fn thaw_answers(response_id: &str, json: &str) -> Result<Vec<AnswerRow>, serde_json::Error> {
    let frozen: Vec<(String, String, Option<String>, Option<String>)> = serde_json::from_str(json)?;
    Ok(frozen
        .into_iter()
        .map(|(question_id, state, value, justification)| AnswerRow {
            response_id: response_id.to_owned(),
            question_id,
            state,
            value,
            justification,
        })
        .collect())
}

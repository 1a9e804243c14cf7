//! The scores of submitted responses, stored once at submission (`response_scores`), the
//! rows the yearly report and the open data read, and the batch writes of synthetic data.
//!
//! A questionnaire version is immutable once answered, so a response's scores never change:
//! they are computed when it is submitted, by the demo and synthetic loaders, and at start for
//! any submitted response that lacks them (see [`backfill_scores`]).

use super::{AnswerRow, AnyExecutor, Pool, thaw_answers};
use crate::domain::questionnaire::{Answer, AnswerState, Questionnaire, Registry};
use crate::domain::scoring::{self, Scores};
use crate::domain::{DIMENSION_COUNT, Dimension, QUALITY_COUNT, Quality};
use sqlx::any::{Any, AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{FromRow, Row};

/// Score columns of `response_scores`, in the order of [`Scores::values`]: `overall`, the 7
/// `q_<quality>`, the 3 `d_<dimension>`, then the 21 `c_<quality>_<dimension>` quality by
/// quality (the response frame's names, but `overall` for its `index`, a reserved word in SQL).
pub fn score_columns() -> Vec<String> {
    let mut columns = vec!["overall".to_owned()];
    columns.extend(Quality::ALL.iter().map(|q| format!("q_{}", q.code())));
    columns.extend(Dimension::ALL.iter().map(|d| format!("d_{}", d.code())));
    for q in Quality::ALL {
        columns.extend(
            Dimension::ALL
                .iter()
                .map(|d| format!("c_{}_{}", q.code(), d.code())),
        );
    }
    columns
}

/// A response as the database lists it for the response frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseListing<'a> {
    pub response_id: &'a str,
    pub diagnostic_id: &'a str,
    pub respondent_role: &'a str,
    /// ISO-8601 text, as stored.
    pub started_at: &'a str,
    pub submitted_at: Option<&'a str>,
}

/// A diagnostic of a verified organisation, with its organisation's kind and département.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticListing {
    pub diagnostic_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub departement: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
}

/// How many score columns there are: 1 + 7 + 3 + 21.
pub const SCORE_COLUMN_COUNT: usize =
    1 + QUALITY_COUNT + DIMENSION_COUNT + QUALITY_COUNT * DIMENSION_COUNT;

/// Binds a score that may be missing: a missing `f64` goes out as `None::<f32>`, which sqlx
/// 0.9's `Any` driver sends to PostgreSQL as a `float8` NULL (see `bind_figure` in
/// `tracking.rs` and the end of `../shared/notes/stack.md`).
fn bind_score<'q>(
    query: Query<'q, Any, AnyArguments>,
    score: Option<f64>,
) -> Query<'q, Any, AnyArguments> {
    match score {
        Some(x) => query.bind(x),
        None => query.bind(None::<f32>),
    }
}

/// Stored answers placed by question; a stored answer that no longer reads is left out.
pub fn align_answers(questionnaire: &Questionnaire, rows: &[AnswerRow]) -> Vec<Option<Answer>> {
    let mut answers = vec![None; questionnaire.questions.len()];
    for row in rows {
        let Some(i) = questionnaire.question_index(&row.question_id) else {
            continue;
        };
        let Some(state) = AnswerState::from_code(&row.state) else {
            continue;
        };
        answers[i] = questionnaire.questions[i]
            .parse_answer(state, row.value.as_deref(), row.justification.as_deref())
            .ok();
    }
    answers
}

/// One frozen answer as `freeze_answers` writes it: question id, state, value, justification,
/// borrowed from the JSON text where it holds no escape.
#[derive(serde::Deserialize)]
struct FrozenAnswer<'a>(
    #[serde(borrow)] std::borrow::Cow<'a, str>,
    #[serde(borrow)] std::borrow::Cow<'a, str>,
    #[serde(borrow)] Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)] Option<std::borrow::Cow<'a, str>>,
);

/// Where each question of a questionnaire is, by id: made once, used for many responses.
pub struct QuestionPositions<'q> {
    questionnaire: &'q Questionnaire,
    by_id: std::collections::HashMap<&'q str, usize>,
}

impl<'q> QuestionPositions<'q> {
    pub fn new(questionnaire: &'q Questionnaire) -> Self {
        let mut by_id = std::collections::HashMap::with_capacity(questionnaire.questions.len());
        for (i, q) in questionnaire.questions.iter().enumerate() {
            // The first question of an id, as `Questionnaire::question_index` finds it.
            by_id.entry(q.id.as_str()).or_insert(i);
        }
        QuestionPositions {
            questionnaire,
            by_id,
        }
    }

    pub fn questionnaire(&self) -> &'q Questionnaire {
        self.questionnaire
    }
}

/// Frozen answers (`answers_json`) placed by question: the same as [`align_answers`] of
/// [`super::thaw_answers`], without a row of `String`s an answer nor a linear search for
/// each question id. The yearly figures read every answer of a year this way (tens of
/// millions of answers at a million responses), where those were most of the time.
pub fn align_frozen(
    positions: &QuestionPositions<'_>,
    json: &str,
) -> Result<Vec<Option<Answer>>, serde_json::Error> {
    let frozen: Vec<FrozenAnswer<'_>> = serde_json::from_str(json)?;
    let questions = &positions.questionnaire.questions;
    let mut answers = vec![None; questions.len()];
    for FrozenAnswer(question_id, state, value, justification) in &frozen {
        let Some(&i) = positions.by_id.get(question_id.as_ref()) else {
            continue;
        };
        let Some(state) = AnswerState::from_code(state) else {
            continue;
        };
        answers[i] = questions[i]
            .parse_answer(state, value.as_deref(), justification.as_deref())
            .ok();
    }
    Ok(answers)
}

/// The scores of stored answers, with the version they were given on.
pub fn score_rows(questionnaire: &Questionnaire, rows: &[AnswerRow]) -> Scores {
    scoring::score_response(questionnaire, &align_answers(questionnaire, rows))
}

/// Bound parameters per multi-row statement. sqlx's SQLite driver finds each `$n` by name,
/// which SQLite answers by walking the statement's parameter list: binding costs grow with the
/// square of a statement's parameters. At 14,400 parameters a statement, the synthetic loader
/// spent 90 % of its time there, and still 14 % at 500; at about a hundred it is negligible,
/// and a statement still carries several rows.
const PARAMETERS_PER_STATEMENT: usize = 120;

/// Rows per multi-row statement for rows of `per_row` parameters.
fn rows_per_statement(per_row: usize) -> usize {
    (PARAMETERS_PER_STATEMENT / per_row.max(1)).max(1)
}

/// Stores (or replaces) the scores of responses, in as few statements as the backends allow.
pub async fn insert_response_scores(
    conn: &mut sqlx::AnyConnection,
    scores: &[(&str, &Scores)],
) -> Result<(), sqlx::Error> {
    let columns = score_columns().join(", ");
    let per_row = 1 + SCORE_COLUMN_COUNT + 3;
    for chunk in scores.chunks(rows_per_statement(per_row)) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let placeholders: Vec<String> = (1..=per_row)
                    .map(|c| format!("${}", r * per_row + c))
                    .collect();
                format!("({})", placeholders.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO response_scores (response_id, {columns}, answered, scored, coverage)
             VALUES {}
             ON CONFLICT (response_id) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, s) in chunk {
            query = query.bind(*id);
            for value in s.values() {
                query = bind_score(query, value);
            }
            query = query
                .bind(s.answered as i64)
                .bind(s.scored as i64)
                .bind(s.coverage());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Scores a response from its answers and stores them; called where its answers are frozen.
pub async fn score_frozen_response(
    conn: &mut sqlx::AnyConnection,
    questionnaire: &Questionnaire,
    response_id: &str,
) -> Result<Scores, sqlx::Error> {
    let rows = super::answers_of_response(&mut *conn, response_id).await?;
    let scores = score_rows(questionnaire, &rows);
    insert_response_scores(conn, &[(response_id, &scores)]).await?;
    Ok(scores)
}

#[derive(Debug, Clone, FromRow)]
struct Unscored {
    id: String,
    questionnaire_slug: String,
    questionnaire_version: String,
    answers_json: Option<String>,
}

/// Scores every submitted response that has no stored scores yet, a page at a time; returns
/// how many were scored. Responses of a version the registry lacks are left for later.
pub async fn backfill_scores(
    pool: &Pool,
    writes: &super::WriteGate,
    registry: &Registry,
) -> Result<usize, sqlx::Error> {
    const PAGE: i64 = 2000;
    // Scores are only ever stored for submitted responses (and go with them), so equal counts
    // mean nothing is missing: two index scans instead of an anti-join at every start.
    let submitted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL")
            .fetch_one(pool)
            .await?;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM response_scores")
        .fetch_one(pool)
        .await?;
    if submitted == stored {
        return Ok(0);
    }
    let mut scored = 0;
    let mut after = String::new();
    loop {
        let page: Vec<Unscored> = sqlx::query_as(
            "SELECT r.id, d.questionnaire_slug, d.questionnaire_version, r.answers_json
             FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
             LEFT JOIN response_scores s ON s.response_id = r.id
             WHERE r.submitted_at IS NOT NULL AND s.response_id IS NULL AND r.id > $1
             ORDER BY r.id LIMIT $2",
        )
        .bind(&after)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        let Some(last) = page.last() else {
            return Ok(scored);
        };
        after = last.id.clone();
        let mut computed = Vec::with_capacity(page.len());
        for r in &page {
            let Some(q) = registry.get(&r.questionnaire_slug, &r.questionnaire_version) else {
                continue;
            };
            let rows = match &r.answers_json {
                Some(json) => {
                    thaw_answers(&r.id, json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?
                }
                None => super::answers_of_response(pool, &r.id).await?,
            };
            computed.push((r.id.as_str(), score_rows(q, &rows)));
        }
        let refs: Vec<(&str, &Scores)> = computed.iter().map(|(id, s)| (*id, s)).collect();
        let mut tx = super::begin_write(pool, writes).await?;
        insert_response_scores(&mut tx, &refs).await?;
        tx.commit().await?;
        scored += refs.len();
    }
}

/// The diagnostics of the organisations that programme staff have verified, with their
/// organisation's kind and département: the population of the open data and of the yearly
/// report, which count and publish nothing else.
///
/// Why verified only: anyone can sign up, create organisations and answer their « respondents »
/// themselves. Made-up organisations of the same kind and département as a real one would
/// lift a group to the threshold of five and publish the real one's département, and their
/// answers would pollute the programme's evaluation. Every figure (participation,
/// distributions, heatmaps, progress, coverage, the diagnostics table) is built from the
/// diagnostics listed here: the response frame keeps only their responses and the collective
/// scores only theirs, so this is the one place the rule is applied.
pub async fn verified_diagnostic_listings(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<DiagnosticListing>, sqlx::Error> {
    let rows: Vec<AnyRow> = sqlx::query(
        "SELECT d.id, o.id, o.kind, o.departement, d.questionnaire_slug, d.questionnaire_version
         FROM diagnostics d JOIN organisations o ON o.id = d.organisation_id
         WHERE o.verified = 1
         ORDER BY d.id",
    )
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DiagnosticListing {
                diagnostic_id: row.try_get(0)?,
                organisation_id: row.try_get(1)?,
                organisation_kind: row.try_get(2)?,
                departement: row.try_get(3)?,
                questionnaire_slug: row.try_get(4)?,
                questionnaire_version: row.try_get(5)?,
            })
        })
        .collect()
}

/// A submitted response's frozen answers, for re-scoring on comparable questions.
#[derive(Debug, Clone, FromRow)]
pub struct FrozenAnswers {
    pub id: String,
    pub answers_json: Option<String>,
}

/// The frozen answers of the submitted responses of an organisation's diagnostics on one
/// questionnaire version, in a year (of submission).
pub async fn frozen_answers_of(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    slug: &str,
    version: &str,
    year: i32,
) -> Result<Vec<FrozenAnswers>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.answers_json FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.organisation_id = $1 AND d.questionnaire_slug = $2 AND d.questionnaire_version = $3
           AND r.submitted_at IS NOT NULL AND SUBSTR(r.submitted_at, 1, 4) = $4
         ORDER BY r.id",
    )
    .bind(organisation_id)
    .bind(slug)
    .bind(version)
    .bind(format!("{year:04}"))
    .fetch_all(ex)
    .await
}

/// The frozen answers of a diagnostic's responses submitted in `year`, in submission order.
pub async fn submitted_answers_of_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    year: i32,
) -> Result<Vec<FrozenAnswers>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.answers_json FROM responses r
         WHERE r.diagnostic_id = $1 AND r.submitted_at IS NOT NULL
           AND SUBSTR(r.submitted_at, 1, 4) = $2
         ORDER BY r.submitted_at, r.id",
    )
    .bind(diagnostic_id)
    .bind(format!("{year:04}"))
    .fetch_all(ex)
    .await
}

/// A response as the synthetic loader writes it: submitted ones carry their frozen answers.
pub struct NewResponse<'a> {
    pub id: &'a str,
    pub diagnostic_id: &'a str,
    pub respondent_role: &'a str,
    pub started_at: &'a str,
    pub submitted_at: Option<&'a str>,
    pub answers_json: Option<&'a str>,
}

/// Inserts responses in multi-row statements; existing ids are left as they are. Returns how
/// many were added.
pub async fn insert_responses(
    conn: &mut sqlx::AnyConnection,
    responses: &[NewResponse<'_>],
) -> Result<u64, sqlx::Error> {
    const PER_ROW: usize = 6;
    let mut added = 0;
    for chunk in responses.chunks(rows_per_statement(PER_ROW)) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let b = r * PER_ROW;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO responses (id, diagnostic_id, respondent_role, started_at, submitted_at, answers_json)
             VALUES {} ON CONFLICT (id) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            query = query
                .bind(r.id)
                .bind(r.diagnostic_id)
                .bind(r.respondent_role)
                .bind(r.started_at)
                .bind(r.submitted_at)
                .bind(r.answers_json);
        }
        added += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(added)
}

/// The frozen form of answers, as `freeze_answers` writes it.
pub fn frozen_json(
    answers: &[(&str, &str, Option<&str>, Option<&str>)],
) -> Result<String, serde_json::Error> {
    serde_json::to_string(answers)
}

/// A secret of the instance, made (from `make`) and stored the first time it is asked for.
pub async fn instance_secret(
    pool: &Pool,
    name: &str,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_secrets (name, value, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(make())
    .bind(super::now())
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT value FROM instance_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
}

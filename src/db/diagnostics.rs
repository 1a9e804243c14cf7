//! Diagnostics: an organisation's (or a coalition's) questionnaire opened for its respondents,
//! and the peers whose medians a diagnostic is compared with.

use super::AnyExecutor;
use crate::domain::organisation::OrganisationKind;
use sqlx::FromRow;

pub struct NewDiagnostic<'a> {
    pub id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub coalition_id: Option<&'a str>,
    pub questionnaire_slug: &'a str,
    pub questionnaire_version: &'a str,
    pub title: &'a str,
    pub opened_at: &'a str,
    pub closed_at: Option<&'a str>,
}

pub async fn insert_diagnostic(
    ex: impl AnyExecutor<'_>,
    d: &NewDiagnostic<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO diagnostics (id, organisation_id, coalition_id, questionnaire_slug,
             questionnaire_version, title, opened_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(d.id)
    .bind(d.organisation_id)
    .bind(d.coalition_id)
    .bind(d.questionnaire_slug)
    .bind(d.questionnaire_version)
    .bind(d.title)
    .bind(d.opened_at)
    .bind(d.closed_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct Diagnostic {
    pub id: String,
    pub organisation_id: Option<String>,
    pub coalition_id: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    pub title: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// 1 when the lead answers alone (« je réponds seul·e »): one link, results at once.
    pub solo: i32,
}

impl Diagnostic {
    pub fn is_solo(&self) -> bool {
        self.solo == 1
    }
}

pub(crate) const DIAGNOSTIC_COLUMNS: &str = "d.id, d.organisation_id, d.coalition_id, d.questionnaire_slug, \
     d.questionnaire_version, d.title, d.opened_at, d.closed_at, d.solo";

pub async fn diagnostic(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// An organisation's diagnostics, newest first.
pub async fn diagnostics_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d WHERE d.organisation_id = $1
         ORDER BY d.opened_at DESC, d.id DESC"
    )))
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Per diagnostic of an organisation: `(diagnostic id, started, submitted)` responses.
pub async fn response_counts_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, COUNT(r.id), CAST(COALESCE(SUM(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT)
         FROM diagnostics d LEFT JOIN responses r ON r.diagnostic_id = d.id
         WHERE d.organisation_id = $1 GROUP BY d.id",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Marks a diagnostic as answered alone; done in the transaction that opens it.
pub async fn set_diagnostic_solo(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET solo = 1 WHERE id = $1")
        .bind(diagnostic_id)
        .execute(ex)
        .await
        .map(|_| ())
}

/// The peers of an organisation: for each other organisation of its kind, its latest
/// collective diagnostic on a questionnaire with at least `min_respondents` submitted
/// responses, provided that staff verified that organisation and that no lead of `viewed`
/// leads it.
///
/// Each condition stops one way of reading a real peer's scores through the medians: made-up
/// organisations are not verified, one's own organisations are led by oneself, and a solo
/// diagnostic or one with too few respondents is one or two people's answers.
pub async fn peer_diagnostics(
    ex: impl AnyExecutor<'_>,
    kind: OrganisationKind,
    questionnaire_slug: &str,
    viewed: &str,
    min_respondents: i64,
) -> Result<Vec<Diagnostic>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DIAGNOSTIC_COLUMNS} FROM diagnostics d JOIN organisations o ON o.id = d.organisation_id
         WHERE o.kind = $1 AND d.questionnaire_slug = $2 AND o.id <> $3 AND o.verified = 1
           AND NOT EXISTS (SELECT 1 FROM organisation_leads mine
                           JOIN organisation_leads theirs ON theirs.account_id = mine.account_id
                           WHERE mine.organisation_id = $3 AND theirs.organisation_id = o.id)
           AND d.solo = 0
           AND (SELECT COUNT(*) FROM responses r WHERE r.diagnostic_id = d.id AND r.submitted_at IS NOT NULL) >= $4
           AND d.opened_at = (SELECT MAX(d2.opened_at) FROM diagnostics d2
                              WHERE d2.organisation_id = o.id AND d2.questionnaire_slug = $2 AND d2.solo = 0
                                AND (SELECT COUNT(*) FROM responses r2
                                     WHERE r2.diagnostic_id = d2.id AND r2.submitted_at IS NOT NULL) >= $4)
         ORDER BY o.id, d.id"
    )))
    .bind(kind.code())
    .bind(questionnaire_slug)
    .bind(viewed)
    .bind(min_respondents)
    .fetch_all(ex)
    .await
}

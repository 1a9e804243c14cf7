//! Diagnostics: an organisation's (or a coalition's) questionnaire opened for its respondents,
//! and the peers whose medians a diagnostic is compared with.

use super::AnyExecutor;
#[cfg(doc)]
use crate::domain::diagnostics::set_asides_in_effect;
use crate::domain::diagnostics::{DiagnosticAction, SET_ASIDE_GROUP};
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
/// responses not set aside, provided that staff verified that organisation and that no lead of `viewed`
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
           AND (SELECT COUNT(*) FROM responses r WHERE r.diagnostic_id = d.id AND r.submitted_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM set_aside_responses s WHERE s.response_id = r.id
                                  AND {in_effect_s})) >= $4
           AND d.opened_at = (SELECT MAX(d2.opened_at) FROM diagnostics d2
                              WHERE d2.organisation_id = o.id AND d2.questionnaire_slug = $2 AND d2.solo = 0
                                AND (SELECT COUNT(*) FROM responses r2
                                     WHERE r2.diagnostic_id = d2.id AND r2.submitted_at IS NOT NULL
                                       AND NOT EXISTS (SELECT 1 FROM set_aside_responses s2
                                                       WHERE s2.response_id = r2.id
                                                         AND {in_effect_s2})) >= $4)
         ORDER BY o.id, d.id",
        in_effect_s = set_aside_in_effect("s"),
        in_effect_s2 = set_aside_in_effect("s2"),
    )))
    .bind(kind.code())
    .bind(questionnaire_slug)
    .bind(viewed)
    .bind(min_respondents)
    .fetch_all(ex)
    .await
}

// --- A diagnostic's life: closing, responses set aside, history, deletion ---------------------

/// SQL that holds when the set-aside row `alias` is in effect: among the earliest
/// [`set_asides_in_effect`] of its diagnostic's set-asides (by time, then response id), the
/// rule written in [`crate::domain::diagnostics::SET_ASIDE_GROUP`]. Every query that leaves
/// set-aside responses out of a figure must use it, never the bare row.
pub(crate) fn set_aside_in_effect(alias: &str) -> String {
    format!(
        "((SELECT COUNT(*) FROM set_aside_responses e WHERE e.diagnostic_id = {alias}.diagnostic_id
            AND (e.set_aside_at < {alias}.set_aside_at
                 OR (e.set_aside_at = {alias}.set_aside_at AND e.response_id <= {alias}.response_id)))
          <= (SELECT COUNT(*) FROM set_aside_responses t WHERE t.diagnostic_id = {alias}.diagnostic_id)
             / {group} * {group})",
        group = SET_ASIDE_GROUP
    )
}

/// Closes a diagnostic to new answers; `false` when it already was (another lead was first).
pub async fn close_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(diagnostic_id)
        .bind(at)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Reopens a closed diagnostic; `false` when it was open already.
pub async fn reopen_diagnostic(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET closed_at = NULL WHERE id = $1 AND closed_at IS NOT NULL")
        .bind(diagnostic_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

pub struct NewDiagnosticEvent<'a> {
    pub diagnostic_id: &'a str,
    pub account_id: &'a str,
    pub action: DiagnosticAction,
    pub response_id: Option<&'a str>,
    pub invitation_id: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub at: &'a str,
}

pub async fn insert_diagnostic_event(
    ex: impl AnyExecutor<'_>,
    e: &NewDiagnosticEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO diagnostic_events (id, diagnostic_id, happened_at, account_id, action,
             response_id, invitation_id, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(super::new_id())
    .bind(e.diagnostic_id)
    .bind(e.at)
    .bind(e.account_id)
    .bind(e.action.code())
    .bind(e.response_id)
    .bind(e.invitation_id)
    .bind(e.reason)
    .execute(ex)
    .await
    .map(|_| ())
}

/// One line of a diagnostic's history.
#[derive(Debug, Clone, FromRow)]
pub struct DiagnosticEvent {
    pub happened_at: String,
    /// `None` once the account was deleted.
    pub account_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: DiagnosticAction,
    pub response_id: Option<String>,
    /// The lead's note of the link concerned (revoked or reinstated).
    pub invitation_label: Option<String>,
    pub reason: Option<String>,
}

/// A diagnostic's history, newest first.
pub async fn diagnostic_events(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<DiagnosticEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.happened_at, a.display_name AS account_name, e.action, e.response_id,
                i.label AS invitation_label, e.reason
         FROM diagnostic_events e
         LEFT JOIN accounts a ON a.id = e.account_id
         LEFT JOIN invitations i ON i.id = e.invitation_id
         WHERE e.diagnostic_id = $1 ORDER BY e.happened_at DESC, e.id DESC",
    )
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

/// A submitted response as its diagnostic's leads see it: never its answers, only the link
/// it came through and whether it is set aside.
#[derive(Debug, Clone, FromRow)]
pub struct SubmittedResponse {
    pub id: String,
    pub respondent_role: String,
    pub submitted_at: String,
    /// The lead's note of the link it came through (the shared link's, for a link made from
    /// one).
    pub label: Option<String>,
    pub shared: i32,
    pub set_aside_at: Option<String>,
    pub set_aside_reason: Option<String>,
    pub set_aside_by: Option<String>,
    /// 1 when its set-aside is in effect (see [`set_aside_in_effect`]): final, and left out
    /// of the results; 0 when it is not set aside or its set-aside is pending.
    pub set_aside_in_effect: i32,
}

impl SubmittedResponse {
    pub fn is_set_aside(&self) -> bool {
        self.set_aside_at.is_some()
    }

    /// Set aside, and its group complete: left out of the results, and final.
    pub fn is_set_aside_in_effect(&self) -> bool {
        self.set_aside_in_effect == 1
    }
}

/// A diagnostic's submitted responses, in the order they were submitted.
pub async fn submitted_responses(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<Vec<SubmittedResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.id, r.respondent_role, r.submitted_at,
                COALESCE(p.label, i.label) AS label, COALESCE(p.shared, i.shared, 0) AS shared,
                s.set_aside_at, s.reason AS set_aside_reason, a.display_name AS set_aside_by,
                CASE WHEN s.response_id IS NOT NULL AND {in_effect} THEN 1 ELSE 0 END
                  AS set_aside_in_effect
         FROM responses r
         LEFT JOIN invitations i ON i.response_id = r.id
         LEFT JOIN invitations p ON p.id = i.parent_id
         LEFT JOIN set_aside_responses s ON s.response_id = r.id
         LEFT JOIN accounts a ON a.id = s.account_id
         WHERE r.diagnostic_id = $1 AND r.submitted_at IS NOT NULL
         ORDER BY r.submitted_at, r.id",
        in_effect = set_aside_in_effect("s")
    )))
    .bind(diagnostic_id)
    .fetch_all(ex)
    .await
}

/// Sets a submitted response of the diagnostic aside; `false` when it is not one of its
/// submitted responses, or is set aside already. The response's own row is not touched.
pub async fn set_response_aside(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    response_id: &str,
    reason: &str,
    account_id: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO set_aside_responses (response_id, diagnostic_id, reason, account_id, set_aside_at)
         SELECT r.id, r.diagnostic_id, $3, $4, $5 FROM responses r
         WHERE r.id = $2 AND r.diagnostic_id = $1 AND r.submitted_at IS NOT NULL
         ON CONFLICT (response_id) DO NOTHING",
    )
    .bind(diagnostic_id)
    .bind(response_id)
    .bind(reason)
    .bind(account_id)
    .bind(at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Counts a set-aside response again; `false` when it was not set aside, or its set-aside is
/// in effect (final: see [`set_aside_in_effect`]). The check and the delete are one
/// statement, so a group completed meanwhile by another lead is not undone.
pub async fn restore_response(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
    response_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM set_aside_responses WHERE response_id = $2 AND diagnostic_id = $1
           AND response_id IN (SELECT s.response_id FROM set_aside_responses s
                               WHERE s.response_id = $2 AND NOT {in_effect})",
        in_effect = set_aside_in_effect("s")
    )))
    .bind(diagnostic_id)
    .bind(response_id)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// How many of a diagnostic's submitted responses are set aside, pending or in effect (its
/// results leave out only those in effect: [`set_asides_in_effect`] of this count).
pub async fn set_aside_count(
    ex: impl AnyExecutor<'_>,
    diagnostic_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM set_aside_responses WHERE diagnostic_id = $1")
        .bind(diagnostic_id)
        .fetch_one(ex)
        .await
}

/// Deletes a diagnostic with its links, their mails and its unsubmitted responses, in the
/// caller's transaction; `false` (and the caller rolls back) when a submitted response exists,
/// including one submitted while this ran: a submitted response is never deleted.
pub async fn delete_unanswered_diagnostic(
    conn: &mut sqlx::AnyConnection,
    diagnostic_id: &str,
) -> Result<bool, sqlx::Error> {
    let submitted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses WHERE diagnostic_id = $1 AND submitted_at IS NOT NULL",
    )
    .bind(diagnostic_id)
    .fetch_one(&mut *conn)
    .await?;
    if submitted > 0 {
        return Ok(false);
    }
    for statement in [
        "DELETE FROM invitation_mails WHERE diagnostic_id = $1",
        "DELETE FROM diagnostic_events WHERE diagnostic_id = $1",
        // Links made from another first: they point to it.
        "DELETE FROM invitations WHERE diagnostic_id = $1 AND parent_id IS NOT NULL",
        "DELETE FROM invitations WHERE diagnostic_id = $1",
        "DELETE FROM answers WHERE response_id IN
             (SELECT id FROM responses WHERE diagnostic_id = $1 AND submitted_at IS NULL)",
        "DELETE FROM response_scores WHERE response_id IN
             (SELECT id FROM responses WHERE diagnostic_id = $1 AND submitted_at IS NULL)",
        "DELETE FROM responses WHERE diagnostic_id = $1 AND submitted_at IS NULL",
    ] {
        sqlx::query(statement)
            .bind(diagnostic_id)
            .execute(&mut *conn)
            .await?;
    }
    // A response submitted meanwhile was not deleted above: the diagnostic stays.
    sqlx::query(
        "DELETE FROM diagnostics WHERE id = $1
           AND NOT EXISTS (SELECT 1 FROM responses WHERE diagnostic_id = $1)",
    )
    .bind(diagnostic_id)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected() == 1)
}

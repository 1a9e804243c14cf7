//! Requests of organisations to join coalitions: made by a lead, listed for the coalition's
//! porteurs, answered once.

use super::AnyExecutor;
use crate::domain::join_requests::JoinRequestStatus;
use sqlx::FromRow;

/// A request as the porteurs see it, with the organisation's name.
#[derive(Debug, Clone, FromRow)]
pub struct JoinRequest {
    pub id: String,
    pub coalition_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub requested_at: String,
    #[sqlx(try_from = "String")]
    pub status: JoinRequestStatus,
}

const JOIN_REQUEST_SELECT: &str = "SELECT r.id, r.coalition_id, r.organisation_id,
         o.name AS organisation_name, o.kind AS organisation_kind, r.requested_at, r.status
     FROM coalition_join_requests r JOIN organisations o ON o.id = r.organisation_id";

pub struct NewJoinRequest<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub organisation_id: &'a str,
    pub requested_by: &'a str,
    pub requested_at: &'a str,
}

/// Records a request; `false` when one from this organisation already waits (the partial
/// unique index keeps one open request per organisation and coalition).
pub async fn insert_join_request(
    ex: impl AnyExecutor<'_>,
    r: &NewJoinRequest<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalition_join_requests (id, coalition_id, organisation_id, requested_by,
             requested_at, status)
         VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT DO NOTHING",
    )
    .bind(r.id)
    .bind(r.coalition_id)
    .bind(r.organisation_id)
    .bind(r.requested_by)
    .bind(r.requested_at)
    .execute(ex)
    .await
    .map(|done| done.rows_affected() == 1)
}

pub async fn join_request(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<JoinRequest>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{JOIN_REQUEST_SELECT} WHERE r.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The requests waiting for a coalition's answer, oldest first.
pub async fn pending_join_requests_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<JoinRequest>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{JOIN_REQUEST_SELECT} WHERE r.coalition_id = $1 AND r.status = 'pending'
         ORDER BY r.requested_at, r.id"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// The ids of the coalitions an organisation's requests wait on.
pub async fn pending_join_request_coalition_ids(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalition_id FROM coalition_join_requests
         WHERE organisation_id = $1 AND status = 'pending'",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// The ids of the coalitions an organisation is a current member of.
pub async fn member_coalition_ids(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalition_id FROM coalition_members
         WHERE organisation_id = $1 AND left_on IS NULL",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Records the answer to a request still waiting for one; `false` when it was answered
/// meanwhile.
pub async fn answer_join_request(
    ex: impl AnyExecutor<'_>,
    id: &str,
    status: JoinRequestStatus,
    answered_by: &str,
    answered_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_join_requests SET status = $2, answered_by = $3, answered_at = $4
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status.code())
    .bind(answered_by)
    .bind(answered_at)
    .execute(ex)
    .await
    .map(|done| done.rows_affected() == 1)
}

//! A coalition's actions: what it does on one lever (commande, offre, usages), who owns it,
//! by when, where it stands (à faire, en cours, fait), and the goals and indicators it serves.

use super::AnyExecutor;
use crate::domain::Dimension;
use crate::domain::coalition::actions::ActionStatus;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct Action {
    pub id: String,
    pub coalition_id: String,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub dimension: Dimension,
    pub owner_organisation_id: Option<String>,
    pub owner_name: Option<String>,
    /// `YYYY-MM-DD`
    pub due_on: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: ActionStatus,
    pub created_at: String,
    pub updated_at: String,
}

/// An action as created or rewritten; `at` is its creation (or change) time.
pub struct NewAction<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub dimension: &'a str,
    pub owner_organisation_id: Option<&'a str>,
    pub due_on: Option<&'a str>,
    pub status: &'a str,
    pub created_by: Option<&'a str>,
    pub at: &'a str,
}

/// Adds an action; `false` when one with this id exists (it is left as it is).
pub async fn insert_action(
    ex: impl AnyExecutor<'_>,
    a: &NewAction<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO coalition_actions (id, coalition_id, title, description, dimension,
             owner_organisation_id, due_on, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(a.id)
    .bind(a.coalition_id)
    .bind(a.title)
    .bind(a.description)
    .bind(a.dimension)
    .bind(a.owner_organisation_id)
    .bind(a.due_on)
    .bind(a.status)
    .bind(a.created_by)
    .bind(a.at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Rewrites an action of a coalition (not its author nor creation time); `false` when the
/// coalition has no such action.
pub async fn update_action(
    ex: impl AnyExecutor<'_>,
    a: &NewAction<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_actions SET title = $3, description = $4, dimension = $5,
             owner_organisation_id = $6, due_on = $7, status = $8, updated_at = $9
         WHERE id = $1 AND coalition_id = $2",
    )
    .bind(a.id)
    .bind(a.coalition_id)
    .bind(a.title)
    .bind(a.description)
    .bind(a.dimension)
    .bind(a.owner_organisation_id)
    .bind(a.due_on)
    .bind(a.status)
    .bind(a.at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Moves an action to a status; `false` when the coalition has no such action.
pub async fn set_action_status(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
    status: ActionStatus,
    at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE coalition_actions SET status = $3, updated_at = $4
         WHERE id = $2 AND coalition_id = $1",
    )
    .bind(coalition_id)
    .bind(id)
    .bind(status.code())
    .bind(at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

const ACTION_COLUMNS: &str = "a.id, a.coalition_id, a.title, a.description, a.dimension, \
     a.owner_organisation_id, o.name AS owner_name, a.due_on, a.status, a.created_at, a.updated_at";

// Dated actions first, soonest first, then the undated ones in the order they were added.
const ACTION_ORDER: &str =
    "CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.created_at, a.id";

/// A coalition's actions, with their owner's name.
pub async fn actions(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Action>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ACTION_COLUMNS} FROM coalition_actions a
         LEFT JOIN organisations o ON o.id = a.owner_organisation_id
         WHERE a.coalition_id = $1 ORDER BY {ACTION_ORDER}"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Every action of every coalition, for the programme overview.
pub async fn all_actions(ex: impl AnyExecutor<'_>) -> Result<Vec<Action>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ACTION_COLUMNS} FROM coalition_actions a
         LEFT JOIN organisations o ON o.id = a.owner_organisation_id
         ORDER BY a.coalition_id, {ACTION_ORDER}"
    )))
    .fetch_all(ex)
    .await
}

pub async fn action(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<Option<Action>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ACTION_COLUMNS} FROM coalition_actions a
         LEFT JOIN organisations o ON o.id = a.owner_organisation_id
         WHERE a.coalition_id = $1 AND a.id = $2"
    )))
    .bind(coalition_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

// --- Links to goals and indicators -----------------------------------------------------------

/// An action and one goal or indicator it serves.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ActionLink {
    pub action_id: String,
    /// The goal's or the indicator's id.
    pub target_id: String,
}

pub async fn link_action_goal(
    ex: impl AnyExecutor<'_>,
    action_id: &str,
    goal_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO action_goals (action_id, goal_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(action_id)
    .bind(goal_id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn link_action_indicator(
    ex: impl AnyExecutor<'_>,
    action_id: &str,
    indicator_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO action_indicators (action_id, indicator_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(action_id)
    .bind(indicator_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Removes every link of an action, before the edited ones are added back (in the same
/// transaction).
pub async fn unlink_action_goals(
    ex: impl AnyExecutor<'_>,
    action_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM action_goals WHERE action_id = $1")
        .bind(action_id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn unlink_action_indicators(
    ex: impl AnyExecutor<'_>,
    action_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM action_indicators WHERE action_id = $1")
        .bind(action_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The goals served by the actions of a coalition.
pub async fn action_goals_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<ActionLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.action_id, l.goal_id AS target_id FROM action_goals l
         JOIN coalition_actions a ON a.id = l.action_id
         WHERE a.coalition_id = $1 ORDER BY l.action_id, l.goal_id",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// The indicators served by the actions of a coalition.
pub async fn action_indicators_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<ActionLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.action_id, l.indicator_id AS target_id FROM action_indicators l
         JOIN coalition_actions a ON a.id = l.action_id
         WHERE a.coalition_id = $1 ORDER BY l.action_id, l.indicator_id",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Every action–goal link, for the programme overview.
pub async fn all_action_goals(ex: impl AnyExecutor<'_>) -> Result<Vec<ActionLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT action_id, goal_id AS target_id FROM action_goals ORDER BY action_id, goal_id",
    )
    .fetch_all(ex)
    .await
}

/// Every action–indicator link, for the programme overview.
pub async fn all_action_indicators(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<ActionLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT action_id, indicator_id AS target_id FROM action_indicators
         ORDER BY action_id, indicator_id",
    )
    .fetch_all(ex)
    .await
}

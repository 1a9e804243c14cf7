//! A coalition's goals, their indicators, each indicator's baselines (every one kept),
//! targets, and measurements with their appended revisions; and the years locked by a
//! published evaluation report.
//!
//! Rows are decoded into the core's records ([`crate::domain::indicator::records`]): codes
//! into enums, text dates into dates, figure columns into a value. A code the core does not
//! know fails the query here, as a decoding error, rather than further on.

use super::AnyExecutor;
use crate::domain::indicator::measurement::MeasurementStatus;
use crate::domain::indicator::records::codes;
pub use crate::domain::indicator::records::{
    Baseline, Goal, Indicator, MeasurementRevision, Target,
};
use crate::domain::indicator::standing::parse_date;
use crate::domain::indicator::{
    Combination, Direction, Measure, Periodicity, ResultsChainLevel, Value,
};
use crate::domain::{Dimension, Quality};
use sqlx::any::{Any, AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{FromRow, Row};
use time::Date;

/// A stored value the core cannot read, as a decoding error of the column.
fn undecodable(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("unknown value {value:?}").into(),
    }
}

fn code<T>(row: &AnyRow, column: &str, from: impl Fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    from(&text).ok_or_else(|| undecodable(column, &text))
}

fn date(row: &AnyRow, column: &str) -> Result<Date, sqlx::Error> {
    code(row, column, parse_date)
}

fn figure(row: &AnyRow) -> Result<Option<Value>, sqlx::Error> {
    Ok(Value::from_columns(
        row.try_get("value")?,
        row.try_get("numerator")?,
        row.try_get("denominator")?,
        None,
    ))
}

/// Binds a figure that may be missing. sqlx 0.9's `Any` driver sends a missing `f64` to
/// PostgreSQL as a `float4` NULL (its Real and Double nulls are swapped in
/// `AnyArguments::convert_into`), and the statement it caches then refuses the `float8` of
/// the next present figure ("incorrect binary data format"). A missing `f32` is sent as a
/// `float8` NULL, so binding that keeps every bind of the column a `float8`.
fn bind_figure<'q>(
    query: Query<'q, Any, AnyArguments>,
    figure: Option<f64>,
) -> Query<'q, Any, AnyArguments> {
    match figure {
        Some(x) => query.bind(x),
        None => query.bind(None::<f32>),
    }
}

// --- Goals -----------------------------------------------------------------------------------

impl<'r> FromRow<'r, AnyRow> for Goal {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let qualities: String = row.try_get("qualities")?;
        let dimensions: String = row.try_get("dimensions")?;
        Ok(Goal {
            id: row.try_get("id")?,
            coalition_id: row.try_get("coalition_id")?,
            statement: row.try_get("statement")?,
            horizon: row.try_get("horizon")?,
            qualities: codes(&qualities, Quality::from_code),
            dimensions: codes(&dimensions, Dimension::from_code),
        })
    }
}

pub struct NewGoal<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub statement: &'a str,
    pub horizon: &'a str,
    pub qualities: &'a str,
    pub dimensions: &'a str,
    pub at: &'a str,
}

pub async fn insert_goal(ex: impl AnyExecutor<'_>, g: &NewGoal<'_>) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO impact_goals (id, coalition_id, statement, horizon, qualities, dimensions,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(g.id)
    .bind(g.coalition_id)
    .bind(g.statement)
    .bind(g.horizon)
    .bind(g.qualities)
    .bind(g.dimensions)
    .bind(g.at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn update_goal(ex: impl AnyExecutor<'_>, g: &NewGoal<'_>) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE impact_goals SET statement = $3, horizon = $4, qualities = $5, dimensions = $6,
             updated_at = $7
         WHERE id = $1 AND coalition_id = $2",
    )
    .bind(g.id)
    .bind(g.coalition_id)
    .bind(g.statement)
    .bind(g.horizon)
    .bind(g.qualities)
    .bind(g.dimensions)
    .bind(g.at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

const GOAL_COLUMNS: &str = "id, coalition_id, statement, horizon, qualities, dimensions";

pub async fn goals(ex: impl AnyExecutor<'_>, coalition_id: &str) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GOAL_COLUMNS} FROM impact_goals WHERE coalition_id = $1
         ORDER BY created_at, id"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Every goal of every coalition, for the programme overview.
pub async fn all_goals(ex: impl AnyExecutor<'_>) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GOAL_COLUMNS} FROM impact_goals ORDER BY coalition_id, created_at, id"
    )))
    .fetch_all(ex)
    .await
}

pub async fn goal(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<Option<Goal>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GOAL_COLUMNS} FROM impact_goals WHERE coalition_id = $1 AND id = $2"
    )))
    .bind(coalition_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

// --- Indicators ------------------------------------------------------------------------------

impl<'r> FromRow<'r, AnyRow> for Indicator {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let levels: Option<i32> = row.try_get("scale_levels")?;
        let levels = levels.and_then(|n| u8::try_from(n).ok());
        Ok(Indicator {
            id: row.try_get("id")?,
            coalition_id: row.try_get("coalition_id")?,
            goal_id: row.try_get("goal_id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            definition: row.try_get("definition")?,
            level: code(row, "level", ResultsChainLevel::from_code)?,
            measure: code(row, "measure", |m| Measure::from_code(m, levels))?,
            unit: row.try_get("unit")?,
            direction: code(row, "direction", Direction::from_code)?,
            tolerance: row.try_get("tolerance")?,
            combination: code(row, "combination", Combination::from_code)?,
            periodicity: code(row, "periodicity", Periodicity::from_code)?,
            verification: row.try_get("verification")?,
            owner_organisation_id: row.try_get("owner_organisation_id")?,
            owner_name: row.try_get("owner_name")?,
        })
    }
}

pub struct NewIndicator<'a> {
    pub id: &'a str,
    pub coalition_id: &'a str,
    pub goal_id: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub definition: &'a str,
    pub level: &'a str,
    pub measure: &'a str,
    pub scale_levels: Option<i32>,
    pub unit: &'a str,
    pub direction: &'a str,
    pub tolerance: Option<f64>,
    pub combination: &'a str,
    pub periodicity: &'a str,
    pub verification: &'a str,
    pub owner_organisation_id: Option<&'a str>,
    pub at: &'a str,
}

/// Adds an indicator; `false` when its id or its code in the coalition is taken.
pub async fn insert_indicator(
    ex: impl AnyExecutor<'_>,
    i: &NewIndicator<'_>,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO indicators (id, coalition_id, goal_id, code, name, definition, level,
             measure, scale_levels, unit, direction, tolerance, combination, periodicity,
             verification, owner_organisation_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         ON CONFLICT DO NOTHING",
    )
    .bind(i.id)
    .bind(i.coalition_id)
    .bind(i.goal_id)
    .bind(i.code)
    .bind(i.name)
    .bind(i.definition)
    .bind(i.level)
    .bind(i.measure)
    .bind(i.scale_levels)
    .bind(i.unit)
    .bind(i.direction);
    let query = bind_figure(query, i.tolerance);
    query
        .bind(i.combination)
        .bind(i.periodicity)
        .bind(i.verification)
        .bind(i.owner_organisation_id)
        .bind(i.at)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

const INDICATOR_COLUMNS: &str = "i.id, i.coalition_id, i.goal_id, i.code, i.name, i.definition, \
     i.level, i.measure, i.scale_levels, i.unit, i.direction, i.tolerance, i.combination, i.periodicity, \
     i.verification, i.owner_organisation_id, o.name AS owner_name";

pub async fn indicators(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Indicator>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM indicators i
         LEFT JOIN organisations o ON o.id = i.owner_organisation_id
         WHERE i.coalition_id = $1 ORDER BY i.code"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Every indicator of every coalition, for the programme overview.
pub async fn all_indicators(ex: impl AnyExecutor<'_>) -> Result<Vec<Indicator>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM indicators i
         LEFT JOIN organisations o ON o.id = i.owner_organisation_id
         ORDER BY i.coalition_id, i.code"
    )))
    .fetch_all(ex)
    .await
}

pub async fn indicator(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
) -> Result<Option<Indicator>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM indicators i
         LEFT JOIN organisations o ON o.id = i.owner_organisation_id
         WHERE i.coalition_id = $1 AND i.id = $2"
    )))
    .bind(coalition_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

// --- Baselines -------------------------------------------------------------------------------

impl<'r> FromRow<'r, AnyRow> for Baseline {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Baseline {
            id: row.try_get("id")?,
            indicator_id: row.try_get("indicator_id")?,
            value: figure(row)?,
            measured_on: date(row, "measured_on")?,
            source: row.try_get("source")?,
            reason: row.try_get("reason")?,
            recorded_by_name: row.try_get("recorded_by_name")?,
            recorded_at: row.try_get("recorded_at")?,
        })
    }
}

pub struct NewBaseline<'a> {
    pub id: &'a str,
    pub indicator_id: &'a str,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub measured_on: &'a str,
    pub source: &'a str,
    pub reason: &'a str,
    pub recorded_by: Option<&'a str>,
    pub recorded_at: &'a str,
}

pub async fn insert_baseline(
    ex: impl AnyExecutor<'_>,
    b: &NewBaseline<'_>,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO indicator_baselines (id, indicator_id, value, numerator, denominator,
             measured_on, source, reason, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(b.id)
    .bind(b.indicator_id);
    let query = bind_figure(query, b.value);
    let query = bind_figure(query, b.numerator);
    let query = bind_figure(query, b.denominator);
    query
        .bind(b.measured_on)
        .bind(b.source)
        .bind(b.reason)
        .bind(b.recorded_by)
        .bind(b.recorded_at)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

const BASELINE_COLUMNS: &str = "b.id, b.indicator_id, b.value, b.numerator, b.denominator, \
     b.measured_on, b.source, b.reason, a.display_name AS recorded_by_name, b.recorded_at";

/// Every baseline of the indicators of a coalition, oldest first (the last of each indicator
/// is its current one).
pub async fn baselines_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Baseline>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BASELINE_COLUMNS} FROM indicator_baselines b
         JOIN indicators i ON i.id = b.indicator_id
         LEFT JOIN accounts a ON a.id = b.recorded_by
         WHERE i.coalition_id = $1 ORDER BY b.indicator_id, b.recorded_at, b.id"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// Every baseline of one indicator, oldest first (the last is its current one).
pub async fn baselines_of_indicator(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
) -> Result<Vec<Baseline>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BASELINE_COLUMNS} FROM indicator_baselines b
         LEFT JOIN accounts a ON a.id = b.recorded_by
         WHERE b.indicator_id = $1 ORDER BY b.recorded_at, b.id"
    )))
    .bind(indicator_id)
    .fetch_all(ex)
    .await
}

/// Every baseline of every indicator, oldest first.
pub async fn all_baselines(ex: impl AnyExecutor<'_>) -> Result<Vec<Baseline>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {BASELINE_COLUMNS} FROM indicator_baselines b
         LEFT JOIN accounts a ON a.id = b.recorded_by
         ORDER BY b.indicator_id, b.recorded_at, b.id"
    )))
    .fetch_all(ex)
    .await
}

// --- Targets ---------------------------------------------------------------------------------

impl<'r> FromRow<'r, AnyRow> for Target {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let is_final: i32 = row.try_get("is_final")?;
        Ok(Target {
            id: row.try_get("id")?,
            indicator_id: row.try_get("indicator_id")?,
            due: date(row, "due_on")?,
            value: row.try_get("value")?,
            is_final: is_final != 0,
        })
    }
}

/// Sets the target due on a date (replacing the one due that day, if any).
// One argument a column, as the other queries of this module.
#[allow(clippy::too_many_arguments)]
pub async fn upsert_target(
    ex: impl AnyExecutor<'_>,
    id: &str,
    indicator_id: &str,
    due_on: &str,
    value: f64,
    is_final: bool,
    recorded_by: Option<&str>,
    recorded_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO indicator_targets (id, indicator_id, due_on, value, is_final, recorded_by,
             recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (indicator_id, due_on) DO UPDATE SET value = excluded.value,
             is_final = excluded.is_final, recorded_by = excluded.recorded_by,
             recorded_at = excluded.recorded_at",
    )
    .bind(id)
    .bind(indicator_id)
    .bind(due_on)
    .bind(value)
    .bind(i32::from(is_final))
    .bind(recorded_by)
    .bind(recorded_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Only one final target: marking one final makes the others milestones.
pub async fn clear_final_targets(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE indicator_targets SET is_final = 0 WHERE indicator_id = $1")
        .bind(indicator_id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn delete_target(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM indicator_targets WHERE indicator_id = $1 AND id = $2")
        .bind(indicator_id)
        .bind(id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

pub async fn targets_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<Target>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.indicator_id, t.due_on, t.value, t.is_final FROM indicator_targets t
         JOIN indicators i ON i.id = t.indicator_id
         WHERE i.coalition_id = $1 ORDER BY t.indicator_id, t.due_on",
    )
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

pub async fn targets_of_indicator(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
) -> Result<Vec<Target>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, indicator_id, due_on, value, is_final FROM indicator_targets
         WHERE indicator_id = $1 ORDER BY due_on",
    )
    .bind(indicator_id)
    .fetch_all(ex)
    .await
}

pub async fn all_targets(ex: impl AnyExecutor<'_>) -> Result<Vec<Target>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, indicator_id, due_on, value, is_final FROM indicator_targets
         ORDER BY indicator_id, due_on",
    )
    .fetch_all(ex)
    .await
}

// --- Measurements ----------------------------------------------------------------------------

impl<'r> FromRow<'r, AnyRow> for MeasurementRevision {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(MeasurementRevision {
            measurement_id: row.try_get("measurement_id")?,
            indicator_id: row.try_get("indicator_id")?,
            measured_on: date(row, "measured_on")?,
            revision: row.try_get("revision")?,
            value: Value::from_columns(
                row.try_get("value")?,
                row.try_get("numerator")?,
                row.try_get("denominator")?,
                row.try_get("narrative")?,
            ),
            evidence_url: row.try_get("evidence_url")?,
            comment: row.try_get("comment")?,
            status: code(row, "status", MeasurementStatus::from_code)?,
            recorded_by: row.try_get("recorded_by")?,
            recorded_by_name: row.try_get("recorded_by_name")?,
            recorded_at: row.try_get("recorded_at")?,
        })
    }
}

pub async fn insert_measurement(
    ex: impl AnyExecutor<'_>,
    id: &str,
    indicator_id: &str,
    measured_on: &str,
    created_by: Option<&str>,
    created_at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO measurements (id, indicator_id, measured_on, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(indicator_id)
    .bind(measured_on)
    .bind(created_by)
    .bind(created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub struct NewRevision<'a> {
    pub measurement_id: &'a str,
    pub revision: i32,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub narrative: Option<&'a str>,
    pub evidence_url: &'a str,
    pub comment: &'a str,
    pub status: MeasurementStatus,
    pub recorded_by: Option<&'a str>,
    pub recorded_at: &'a str,
}

/// Appends a revision; `false` when that revision number exists (someone else appended
/// first: the caller reloads rather than overwrite).
pub async fn append_revision(
    ex: impl AnyExecutor<'_>,
    r: &NewRevision<'_>,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO measurement_revisions (measurement_id, revision, value, numerator,
             denominator, narrative, evidence_url, comment, status, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(r.measurement_id)
    .bind(r.revision);
    let query = bind_figure(query, r.value);
    let query = bind_figure(query, r.numerator);
    let query = bind_figure(query, r.denominator);
    query
        .bind(r.narrative)
        .bind(r.evidence_url)
        .bind(r.comment)
        .bind(r.status.code())
        .bind(r.recorded_by)
        .bind(r.recorded_at)
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

const REVISION_COLUMNS: &str = "r.measurement_id, m.indicator_id, m.measured_on, r.revision, \
     r.value, r.numerator, r.denominator, r.narrative, r.evidence_url, r.comment, r.status, \
     r.recorded_by, a.display_name AS recorded_by_name, r.recorded_at";

/// Every revision of every measurement of a coalition's indicators, by indicator, date and
/// revision.
pub async fn revisions_of_coalition(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
) -> Result<Vec<MeasurementRevision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVISION_COLUMNS} FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         LEFT JOIN accounts a ON a.id = r.recorded_by
         WHERE i.coalition_id = $1
         ORDER BY m.indicator_id, m.measured_on, m.id, r.revision"
    )))
    .bind(coalition_id)
    .fetch_all(ex)
    .await
}

/// The current state (highest revision) of every measurement, for the programme overview.
pub async fn current_measurements(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<MeasurementRevision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVISION_COLUMNS} FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         LEFT JOIN accounts a ON a.id = r.recorded_by
         WHERE r.revision = (SELECT MAX(r2.revision) FROM measurement_revisions r2
                             WHERE r2.measurement_id = r.measurement_id)
         ORDER BY m.indicator_id, m.measured_on, m.id"
    )))
    .fetch_all(ex)
    .await
}

/// The revisions of one measurement of a coalition, oldest first; empty when it is not one
/// of the coalition's.
pub async fn revisions_of_measurement(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    measurement_id: &str,
) -> Result<Vec<MeasurementRevision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVISION_COLUMNS} FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         JOIN indicators i ON i.id = m.indicator_id
         LEFT JOIN accounts a ON a.id = r.recorded_by
         WHERE i.coalition_id = $1 AND m.id = $2 ORDER BY r.revision"
    )))
    .bind(coalition_id)
    .bind(measurement_id)
    .fetch_all(ex)
    .await
}

// --- Locked years ----------------------------------------------------------------------------

/// Years whose evaluation report is published: their measurements no longer change.
pub async fn locked_years(ex: impl AnyExecutor<'_>) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar("SELECT year FROM evaluation_reports ORDER BY year")
        .fetch_all(ex)
        .await
}

/// Locks a year's measurements (done when its evaluation report is published).
pub async fn lock_year(
    ex: impl AnyExecutor<'_>,
    year: i32,
    published_at: &str,
    published_by: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO evaluation_reports (year, published_at, published_by) VALUES ($1, $2, $3)
         ON CONFLICT (year) DO NOTHING",
    )
    .bind(year)
    .bind(published_at)
    .bind(published_by)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Every revision of every measurement, by measurement and revision (for the report).
pub async fn all_revisions(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<MeasurementRevision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVISION_COLUMNS} FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         LEFT JOIN accounts a ON a.id = r.recorded_by
         ORDER BY m.indicator_id, m.measured_on, m.id, r.revision"
    )))
    .fetch_all(ex)
    .await
}

/// The stored tables of a published report, `(name, csv)`.
pub async fn report_tables(
    ex: impl AnyExecutor<'_>,
    year: i32,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, csv FROM report_tables WHERE year = $1 ORDER BY name")
        .bind(year)
        .fetch_all(ex)
        .await
}

pub async fn insert_report_table(
    ex: impl AnyExecutor<'_>,
    year: i32,
    name: &str,
    csv: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO report_tables (year, name, csv) VALUES ($1, $2, $3)")
        .bind(year)
        .bind(name)
        .bind(csv)
        .execute(ex)
        .await?;
    Ok(())
}

/// The published reports: `(year, published_at)`, latest first.
pub async fn published_reports(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query_as("SELECT year, published_at FROM evaluation_reports ORDER BY year DESC")
        .fetch_all(ex)
        .await
}

// --- Corrections and deletion of an indicator -------------------------------------------------

/// An indicator's wording before one of its corrections, and why it changed.
#[derive(Debug, Clone, FromRow)]
pub struct IndicatorCorrection {
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub verification: String,
    pub reason: String,
    pub corrected_by_name: Option<String>,
    pub corrected_at: String,
}

pub struct NewIndicatorCorrection<'a> {
    pub id: &'a str,
    pub indicator_id: &'a str,
    pub name: &'a str,
    pub definition: &'a str,
    pub unit: &'a str,
    pub verification: &'a str,
    pub reason: &'a str,
    pub corrected_by: Option<&'a str>,
    pub corrected_at: &'a str,
}

/// Keeps the wording an indicator had before a correction.
pub async fn insert_indicator_correction(
    ex: impl AnyExecutor<'_>,
    c: &NewIndicatorCorrection<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO indicator_corrections (id, indicator_id, name, definition, unit,
             verification, reason, corrected_by, corrected_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id)
    .bind(c.indicator_id)
    .bind(c.name)
    .bind(c.definition)
    .bind(c.unit)
    .bind(c.verification)
    .bind(c.reason)
    .bind(c.corrected_by)
    .bind(c.corrected_at)
    .execute(ex)
    .await
    .map(|_| ())
}

/// An indicator's corrections, oldest first.
pub async fn indicator_corrections(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
) -> Result<Vec<IndicatorCorrection>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.name, c.definition, c.unit, c.verification, c.reason,
             a.display_name AS corrected_by_name, c.corrected_at
         FROM indicator_corrections c LEFT JOIN accounts a ON a.id = c.corrected_by
         WHERE c.indicator_id = $1 ORDER BY c.corrected_at, c.id",
    )
    .bind(indicator_id)
    .fetch_all(ex)
    .await
}

/// Writes an indicator's corrected wording; `false` when the coalition has no such indicator.
#[allow(clippy::too_many_arguments)]
pub async fn update_indicator_wording(
    ex: impl AnyExecutor<'_>,
    coalition_id: &str,
    id: &str,
    name: &str,
    definition: &str,
    unit: &str,
    verification: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE indicators SET name = $3, definition = $4, unit = $5, verification = $6,
             updated_at = $7
         WHERE coalition_id = $1 AND id = $2",
    )
    .bind(coalition_id)
    .bind(id)
    .bind(name)
    .bind(definition)
    .bind(unit)
    .bind(verification)
    .bind(at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Every status the measurements of an indicator ever had (each once).
pub async fn measurement_statuses_of_indicator(
    ex: impl AnyExecutor<'_>,
    indicator_id: &str,
) -> Result<Vec<MeasurementStatus>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT r.status FROM measurement_revisions r
         JOIN measurements m ON m.id = r.measurement_id
         WHERE m.indicator_id = $1",
    )
    .bind(indicator_id)
    .fetch_all(ex)
    .await?;
    codes
        .iter()
        .map(|c| MeasurementStatus::from_code(c).ok_or_else(|| undecodable("status", c)))
        .collect()
}

/// The statements that delete an indicator and what hangs on it, children first; each
/// takes the indicator's id as `$1`. Run in this order, in one transaction.
const DELETE_INDICATOR: [&str; 7] = [
    "DELETE FROM measurement_revisions WHERE measurement_id IN
         (SELECT id FROM measurements WHERE indicator_id = $1)",
    "DELETE FROM measurements WHERE indicator_id = $1",
    "DELETE FROM indicator_baselines WHERE indicator_id = $1",
    "DELETE FROM indicator_targets WHERE indicator_id = $1",
    "DELETE FROM action_indicators WHERE indicator_id = $1",
    "DELETE FROM indicator_corrections WHERE indicator_id = $1",
    "DELETE FROM indicators WHERE id = $1",
];

/// How many steps [`delete_indicator_step`] has.
pub const DELETE_INDICATOR_STEPS: usize = DELETE_INDICATOR.len();

/// One step of deleting an indicator (see [`DELETE_INDICATOR_STEPS`]); the rows it deleted.
pub async fn delete_indicator_step(
    ex: impl AnyExecutor<'_>,
    step: usize,
    indicator_id: &str,
) -> Result<u64, sqlx::Error> {
    let sql = DELETE_INDICATOR
        .get(step)
        .copied()
        .unwrap_or("SELECT 1 WHERE 1 = 0");
    sqlx::query(sql)
        .bind(indicator_id)
        .execute(ex)
        .await
        .map(|r| r.rows_affected())
}

/// The coalition a measurement belongs to; `None` when there is no such measurement.
pub async fn coalition_of_measurement(
    ex: impl AnyExecutor<'_>,
    measurement_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.coalition_id FROM measurements m JOIN indicators i ON i.id = m.indicator_id
         WHERE m.id = $1",
    )
    .bind(measurement_id)
    .fetch_optional(ex)
    .await
}

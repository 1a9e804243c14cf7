//! The years side by side of the yearly report: what every year the database holds says of
//! each verified organisation's diagnostics, summed up by the database in one pass.
//!
//! Why aggregated here rather than in the response frame: the frame holds two years (the
//! report's and the one before), and reading every year's responses row by row would
//! multiply the report's reading time at a million responses; one row per diagnostic and
//! year is all the years' table needs.

use super::AnyExecutor;
use crate::domain::Quality;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A verified organisation's diagnostic in a year: its responses counted in that year (of
/// submission, or of start when not submitted) and the mean of its submitted responses'
/// stored scores.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticYear {
    pub year: i32,
    pub diagnostic_id: String,
    pub organisation_id: String,
    pub started: i64,
    pub submitted: i64,
    /// Mean of the submitted responses' overall index, then of each quality in display
    /// order; `None` where no response defines it.
    pub means: Vec<Option<f64>>,
}

/// Every verified organisation's diagnostic in every year up to `to_year`, by year then
/// diagnostic. Diagnostics of coalitions and of unverified organisations are left out: the
/// report counts verified organisations only (see `verified_diagnostic_listings`).
pub async fn diagnostic_years(
    ex: impl AnyExecutor<'_>,
    to_year: i32,
) -> Result<Vec<DiagnosticYear>, sqlx::Error> {
    let qualities: Vec<String> = Quality::ALL
        .iter()
        .map(|q| format!(", AVG(s.q_{})", q.code()))
        .collect();
    let sql = format!(
        "SELECT SUBSTR(COALESCE(r.submitted_at, r.started_at), 1, 4), d.id, o.id,
                COUNT(*),
                CAST(SUM(CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END) AS BIGINT),
                AVG(s.overall){}
         FROM responses r
         JOIN diagnostics d ON d.id = r.diagnostic_id
         JOIN organisations o ON o.id = d.organisation_id
         LEFT JOIN response_scores s ON s.response_id = r.id AND r.submitted_at IS NOT NULL
         WHERE o.verified = 1 AND SUBSTR(COALESCE(r.submitted_at, r.started_at), 1, 4) <= $1
         GROUP BY SUBSTR(COALESCE(r.submitted_at, r.started_at), 1, 4), d.id, o.id
         ORDER BY 1, 2",
        qualities.concat()
    );
    let rows: Vec<AnyRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(format!("{to_year:04}"))
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|row| {
            let year: String = row.try_get(0)?;
            let mut means = Vec::with_capacity(1 + Quality::ALL.len());
            for i in 0..=Quality::ALL.len() {
                means.push(row.try_get::<Option<f64>, _>(5 + i)?);
            }
            Ok(DiagnosticYear {
                year: year.parse().unwrap_or_default(),
                diagnostic_id: row.try_get(1)?,
                organisation_id: row.try_get(2)?,
                started: row.try_get(3)?,
                submitted: row.try_get(4)?,
                means,
            })
        })
        .collect()
}

//! The counts of the landing page.

use super::AnyExecutor;

/// Counts for the landing page: organisations, coalitions, submitted responses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overview {
    pub organisations: i64,
    pub coalitions: i64,
    pub submitted_responses: i64,
}

pub async fn overview(ex: impl AnyExecutor<'_>) -> Result<Overview, sqlx::Error> {
    let (organisations, coalitions, submitted_responses): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM coalitions),
                (SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL)",
    )
    .fetch_one(ex)
    .await?;
    Ok(Overview {
        organisations,
        coalitions,
        submitted_responses,
    })
}

//! Deleting an organisation: what it holds (counted for the confirmation page), and the
//! removal of it all, to be run in one write transaction (`app::organisation_deletion`).
//!
//! Published figures are not touched: a published year's tables (`report_tables`,
//! `report_files`) are aggregates stored when it was published, with no link back to a
//! response.

use super::AnyExecutor;
use sqlx::FromRow;

/// What deleting an organisation removes, as its confirmation page counts it.
#[derive(Debug, Clone, Default, FromRow)]
pub struct OrganisationHoldings {
    pub diagnostics: i64,
    pub responses: i64,
    pub invitations: i64,
    pub leads: i64,
}

pub async fn organisation_holdings(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<OrganisationHoldings, sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM diagnostics WHERE organisation_id = $1) AS diagnostics,
            (SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
             WHERE d.organisation_id = $1) AS responses,
            (SELECT COUNT(*) FROM invitations i JOIN diagnostics d ON d.id = i.diagnostic_id
             WHERE d.organisation_id = $1 AND i.parent_id IS NULL) AS invitations,
            (SELECT COUNT(*) FROM organisation_leads WHERE organisation_id = $1) AS leads",
    )
    .bind(organisation_id)
    .fetch_one(ex)
    .await
}

/// The coalitions the organisation is a member of today (their names in French and in
/// English): deleting it would take a member from their shared work, so their managers end
/// the membership first.
pub async fn current_coalitions_of_organisation(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.name_fr, c.name_en FROM coalition_members m JOIN coalitions c ON c.id = m.coalition_id
         WHERE m.organisation_id = $1 AND m.left_on IS NULL ORDER BY c.name_fr",
    )
    .bind(organisation_id)
    .fetch_all(ex)
    .await
}

/// Removes the organisation and everything it holds: its diagnostics with their responses,
/// answers, stored scores, links and the addresses links were mailed to; its invitations to
/// co-manage it and to join coalitions; its ended coalition memberships; its leads (their
/// accounts stay). Indicators and actions it owned in a coalition stay, without an owner.
/// Run inside a write transaction; `false` when there was no such organisation.
pub async fn delete_organisation(
    conn: &mut sqlx::AnyConnection,
    organisation_id: &str,
) -> Result<bool, sqlx::Error> {
    const OF_DIAGNOSTICS: &str = "SELECT id FROM diagnostics WHERE organisation_id = $1";
    // Children first: no foreign key is left pointing at a removed row, on either database.
    let statements = [
        format!("DELETE FROM invitation_mails WHERE diagnostic_id IN ({OF_DIAGNOSTICS})"),
        format!("DELETE FROM invitations WHERE diagnostic_id IN ({OF_DIAGNOSTICS})"),
        format!(
            "DELETE FROM answers WHERE response_id IN
             (SELECT id FROM responses WHERE diagnostic_id IN ({OF_DIAGNOSTICS}))"
        ),
        format!(
            "DELETE FROM response_scores WHERE response_id IN
             (SELECT id FROM responses WHERE diagnostic_id IN ({OF_DIAGNOSTICS}))"
        ),
        format!("DELETE FROM responses WHERE diagnostic_id IN ({OF_DIAGNOSTICS})"),
        "DELETE FROM diagnostics WHERE organisation_id = $1".to_owned(),
        "DELETE FROM lead_invitations WHERE organisation_id = $1".to_owned(),
        "DELETE FROM coalition_invitations WHERE organisation_id = $1".to_owned(),
        "DELETE FROM coalition_members WHERE organisation_id = $1 AND left_on IS NOT NULL"
            .to_owned(),
        "UPDATE indicators SET owner_organisation_id = NULL WHERE owner_organisation_id = $1"
            .to_owned(),
        "UPDATE coalition_actions SET owner_organisation_id = NULL WHERE owner_organisation_id = $1"
            .to_owned(),
        "DELETE FROM organisation_leads WHERE organisation_id = $1".to_owned(),
    ];
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organisation_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected() == 1)
}

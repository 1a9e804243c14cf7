//! Organisations and their leads.

use super::{AnyExecutor, now};
use crate::domain::organisation::OrganisationKind;
use sqlx::FromRow;

pub struct NewOrganisation<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub siren: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub commune_insee: Option<&'a str>,
    pub size_band: Option<&'a str>,
    pub created_at: &'a str,
}

/// Inserts an organisation; returns whether it was new (an existing id is left as it is).
pub async fn insert_organisation(
    ex: impl AnyExecutor<'_>,
    o: &NewOrganisation<'_>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (id, name, kind, siren, departement, commune_insee, size_band, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(o.id)
    .bind(o.name)
    .bind(o.kind)
    .bind(o.siren)
    .bind(o.departement)
    .bind(o.commune_insee)
    .bind(o.size_band)
    .bind(o.created_at)
    .execute(ex)
    .await
    .map(|r| r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrganisationKind,
    pub siren: Option<String>,
    pub departement: Option<String>,
    pub commune_insee: Option<String>,
    pub size_band: Option<String>,
    /// 1 once programme staff have checked the organisation: only then is it a peer of others.
    pub verified: i32,
}

/// Every query that reads an [`Organisation`] selects these, so a new column is added once.
pub(crate) const ORGANISATION_COLUMNS: &str =
    "o.id, o.name, o.kind, o.siren, o.departement, o.commune_insee, o.size_band, o.verified";

pub async fn organisation(
    ex: impl AnyExecutor<'_>,
    id: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The organisations an account leads, by name.
pub async fn organisations_led_by(
    ex: impl AnyExecutor<'_>,
    account_id: &str,
) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o
         JOIN organisation_leads l ON l.organisation_id = o.id
         WHERE l.account_id = $1 ORDER BY o.name"
    )))
    .bind(account_id)
    .fetch_all(ex)
    .await
}

pub async fn all_organisations(ex: impl AnyExecutor<'_>) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o ORDER BY o.name"
    )))
    .fetch_all(ex)
    .await
}

pub async fn is_lead(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisation_leads WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation_id)
    .bind(account_id)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

pub async fn add_lead(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_leads (organisation_id, account_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (organisation_id, account_id) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(account_id)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

pub async fn update_organisation(
    ex: impl AnyExecutor<'_>,
    o: &NewOrganisation<'_>,
) -> Result<(), sqlx::Error> {
    // Staff verified the organisation as being of its kind: changing the kind takes it out
    // of its peers until staff check it again.
    sqlx::query(
        "UPDATE organisations SET name = $2, kind = $3, siren = $4, departement = $5,
             commune_insee = $6, size_band = $7,
             verified = CASE WHEN kind = $3 THEN verified ELSE 0 END
         WHERE id = $1",
    )
    .bind(o.id)
    .bind(o.name)
    .bind(o.kind)
    .bind(o.siren)
    .bind(o.departement)
    .bind(o.commune_insee)
    .bind(o.size_band)
    .execute(ex)
    .await
    .map(|_| ())
}

/// Sets or clears the « vérifiée » flag (programme staff only: the handler checks).
pub async fn set_organisation_verified(
    ex: impl AnyExecutor<'_>,
    organisation_id: &str,
    verified: bool,
) -> Result<bool, sqlx::Error> {
    sqlx::query("UPDATE organisations SET verified = $2 WHERE id = $1")
        .bind(organisation_id)
        .bind(i32::from(verified))
        .execute(ex)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// Which organisations a list shows: those an account leads (every one for staff), narrowed
/// by a part of the name, a kind and a département; an empty filter narrows nothing.
pub struct OrganisationFilter<'a> {
    pub account_id: &'a str,
    pub staff: bool,
    pub name: &'a str,
    pub kind: Option<&'a str>,
    pub departement: Option<&'a str>,
}

/// The condition of [`OrganisationFilter`], parameters `$1`–`$5`. The name is compared
/// lowercased on both sides (PostgreSQL's LIKE is case-sensitive, SQLite's is not), with
/// `%` and `_` typed by the person matched as themselves.
const FILTERED: &str = "FROM organisations o
     WHERE ($1 = 1 OR EXISTS (SELECT 1 FROM organisation_leads l
                              WHERE l.organisation_id = o.id AND l.account_id = $2))
       AND ($3 = '' OR LOWER(o.name) LIKE $3 ESCAPE '\\')
       AND ($4 = '' OR o.kind = $4)
       AND ($5 = '' OR o.departement = $5)";

fn like_pattern(name: &str) -> String {
    let mut pattern = String::from("%");
    for c in name.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    if pattern == "%%" {
        String::new()
    } else {
        pattern
    }
}

/// One page of the filtered organisations, by name.
pub async fn filtered_organisations(
    ex: impl AnyExecutor<'_>,
    filter: &OrganisationFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Organisation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANISATION_COLUMNS} {FILTERED} ORDER BY o.name, o.id LIMIT $6 OFFSET $7"
    )))
    .bind(i32::from(filter.staff))
    .bind(filter.account_id)
    .bind(like_pattern(filter.name))
    .bind(filter.kind.unwrap_or(""))
    .bind(filter.departement.unwrap_or(""))
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await
}

/// How many organisations the filter keeps, to number its pages.
pub async fn count_filtered_organisations(
    ex: impl AnyExecutor<'_>,
    filter: &OrganisationFilter<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {FILTERED}")))
        .bind(i32::from(filter.staff))
        .bind(filter.account_id)
        .bind(like_pattern(filter.name))
        .bind(filter.kind.unwrap_or(""))
        .bind(filter.departement.unwrap_or(""))
        .fetch_one(ex)
        .await
}

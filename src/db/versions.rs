//! Questionnaire versions as registered, and what is pinned to each: a version is immutable
//! once answered.

use super::{AnyExecutor, now};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct RegisteredVersion {
    pub slug: String,
    pub version: String,
    pub content_hash: String,
}

pub async fn registered_versions(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<RegisteredVersion>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, version, content_hash FROM questionnaire_versions ORDER BY slug, version",
    )
    .fetch_all(ex)
    .await
}

pub struct NewVersion<'a> {
    pub slug: &'a str,
    pub version: &'a str,
    pub audience: &'a str,
    pub title_fr: &'a str,
    pub title_en: &'a str,
    pub content_hash: &'a str,
}

/// Records a version, or updates its hash and titles (allowed only while it is unanswered).
pub async fn upsert_version(
    ex: impl AnyExecutor<'_>,
    v: &NewVersion<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO questionnaire_versions
             (slug, version, audience, title_fr, title_en, content_hash, first_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (slug, version) DO UPDATE SET
             audience = excluded.audience, title_fr = excluded.title_fr,
             title_en = excluded.title_en, content_hash = excluded.content_hash,
             updated_at = excluded.updated_at",
    )
    .bind(v.slug)
    .bind(v.version)
    .bind(v.audience)
    .bind(v.title_fr)
    .bind(v.title_en)
    .bind(v.content_hash)
    .bind(now())
    .execute(ex)
    .await
    .map(|_| ())
}

/// How many responses, started or submitted, are pinned to a version.
pub async fn count_responses_of_version(
    ex: impl AnyExecutor<'_>,
    slug: &str,
    version: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE d.questionnaire_slug = $1 AND d.questionnaire_version = $2",
    )
    .bind(slug)
    .bind(version)
    .fetch_one(ex)
    .await
}

/// Submitted responses per questionnaire version: `(slug, version, count)`.
pub async fn submitted_counts(
    ex: impl AnyExecutor<'_>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.questionnaire_slug, d.questionnaire_version, COUNT(*)
         FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
         WHERE r.submitted_at IS NOT NULL
         GROUP BY d.questionnaire_slug, d.questionnaire_version",
    )
    .fetch_all(ex)
    .await
}

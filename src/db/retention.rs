//! Retention: the deletes the worker's retention task runs (`crate::app::retention`).
//! Each is idempotent, so a run cut short is simply done again at the next period.

/// Deletes the responses never submitted and last saved (or started, if never saved) before
/// `cutoff`, with their answers; the links that pointed to them forget them. Returns how many.
pub async fn purge_unsubmitted_responses(
    conn: &mut sqlx::AnyConnection,
    cutoff: &str,
) -> Result<u64, sqlx::Error> {
    const OLD: &str = "SELECT id FROM responses
         WHERE submitted_at IS NULL AND COALESCE(last_saved_at, started_at) < $1";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE invitations SET response_id = NULL WHERE response_id IN ({OLD})"
    )))
    .bind(cutoff)
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM answers WHERE response_id IN ({OLD})"
    )))
    .bind(cutoff)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM responses
         WHERE submitted_at IS NULL AND COALESCE(last_saved_at, started_at) < $1",
    )
    .bind(cutoff)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected())
}

/// Purges what is kept only until it expires: sessions, sign-in attempts and sign-ups past
/// `attempts_cutoff`, and address-change links past their expiry (the sign-up and password
/// links are purged by the mail worker's own task). Idempotent: any instance may run it.
pub async fn purge_expired_records(
    conn: &mut sqlx::AnyConnection,
    now: &str,
    attempts_cutoff: &str,
) -> Result<u64, sqlx::Error> {
    let mut purged = 0;
    for (sql, at) in [
        ("DELETE FROM sessions WHERE expires_at <= $1", now),
        (
            "DELETE FROM sign_in_attempts WHERE attempted_at < $1",
            attempts_cutoff,
        ),
        (
            "DELETE FROM sign_ups WHERE created_at < $1",
            attempts_cutoff,
        ),
        ("DELETE FROM email_changes WHERE expires_at <= $1", now),
    ] {
        purged += sqlx::query(sql)
            .bind(at)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(purged)
}

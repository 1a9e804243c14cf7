//! Retention: what is kept only for a while is deleted by a periodic task of the worker
//! (`crate::app::worker::TASKS`), run once an hour across all instances, rather than by
//! whichever request happens to come by (sign-ins purged attempts and sessions before).
//!
//! Purged: responses never submitted, last saved more than `APP_RETENTION_UNSUBMITTED_MONTHS`
//! ago (with their answers); expired sessions; sign-in attempts and sign-ups older than a day;
//! expired one-time links. A submitted response is never purged here. What is kept, and for
//! how long, is said on `/donnees-personnelles` from the same settings.

use crate::app::error::AppError;
use crate::app::tasks::WorkerContext;
use crate::db::{self, Pool, WriteGate};
use crate::domain::account;
use crate::domain::legal::Retention;
use futures_util::future::BoxFuture;

/// What one run deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub unsubmitted_responses: u64,
    pub expired_records: u64,
}

/// Deletes what is past its retention at `now`, in one transaction.
pub async fn purge(
    pool: &Pool,
    writes: &WriteGate,
    retention: Retention,
    now: time::OffsetDateTime,
) -> Result<Purged, AppError> {
    let cutoff = db::timestamp(retention.unsubmitted_cutoff(now));
    let attempts_cutoff = db::timestamp(now - time::Duration::hours(account::ATTEMPTS_KEPT_HOURS));
    let mut tx = db::begin_write(pool, writes).await?;
    let unsubmitted_responses = db::purge_unsubmitted_responses(&mut tx, &cutoff).await?;
    let expired_records =
        db::purge_expired_records(&mut tx, &db::timestamp(now), &attempts_cutoff).await?;
    tx.commit().await?;
    Ok(Purged {
        unsubmitted_responses,
        expired_records,
    })
}

/// The worker's task (see `crate::app::worker::TASKS`).
pub fn task(context: WorkerContext) -> BoxFuture<'static, Result<(), AppError>> {
    Box::pin(async move {
        let purged = purge(
            &context.pool,
            &context.writes,
            context.retention,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
        if purged != Purged::default() {
            tracing::info!(
                unsubmitted_responses = purged.unsubmitted_responses,
                expired_records = purged.expired_records,
                "retention: purged"
            );
        }
        Ok(())
    })
}

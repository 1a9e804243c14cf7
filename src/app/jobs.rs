//! Background jobs: producing and publishing a year's report, which takes too long for a web
//! request. Staff queue a job ([`queue`]); the worker of any instance (`crate::app::worker`)
//! takes it with a lease ([`run_next`]), so that with several instances on one database it
//! runs once; while it runs, its lease is renewed and its step written on its row, which the
//! staff page shows. An instance that dies leaves a lease that expires: the next worker to
//! look takes the job over and runs it again from the start (a job writes its result in one
//! transaction, so a half-done run left nothing behind). A job taken over
//! [`MAX_ATTEMPTS`] times is given up, as failed.

use crate::app::error::AppError;
use crate::app::publications::{self, JobLease};
use crate::app::tasks::WorkerContext;
use crate::db;
use crate::domain::jobs::JobKind;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long a claim holds a job without news from its worker. The worker renews it every
/// [`RENEW_EVERY`], so only a dead instance lets it expire.
pub const JOB_LEASE: Duration = Duration::from_secs(120);

/// How often a running job renews its lease (and writes its step).
const RENEW_EVERY: Duration = Duration::from_secs(20);

/// A job whose lease expired this many times (its instance died each time) is given up.
pub const MAX_ATTEMPTS: i32 = 3;

fn later(by: Duration) -> String {
    db::timestamp(time::OffsetDateTime::now_utc() + by)
}

/// Queues a job; `false` when the same job already waits or runs (nothing is added).
pub async fn queue(
    pool: &db::Pool,
    kind: JobKind,
    year: i32,
    requested_by: Option<&str>,
) -> Result<bool, AppError> {
    Ok(db::queue_job(
        pool,
        &db::new_id(),
        kind.code(),
        year,
        requested_by,
        &db::now(),
    )
    .await?)
}

/// Takes one job that is due (queued, or running under an expired lease) and runs it to its
/// end; the id of the job run, or `None` when there was none to take.
pub async fn run_next(context: &WorkerContext) -> Result<Option<String>, AppError> {
    let now = db::now();
    for id in db::claimable_job_ids(&context.pool, &now, 10).await? {
        let holder = db::new_id();
        let claimed = {
            let mut conn = context.pool.acquire().await?;
            db::claim_job(&mut conn, &id, &holder, &db::now(), &later(JOB_LEASE)).await?
        };
        let Some(job) = claimed else { continue };
        let lease = JobLease {
            job_id: job.id.clone(),
            holder,
        };
        if job.attempts > MAX_ATTEMPTS {
            db::finish_job(
                &context.pool,
                &lease.job_id,
                &lease.holder,
                &db::now(),
                Some("abandoned: the instances running it stopped before it ended"),
            )
            .await?;
            return Ok(Some(job.id));
        }
        run(context, &job, &lease).await;
        return Ok(Some(job.id));
    }
    Ok(None)
}

/// The step a running job is at, handed from the job to the task that renews its lease.
struct Steps {
    current: Mutex<Option<String>>,
    changed: Notify,
}

impl crate::app::export::ProgressReport for Steps {
    fn step(&self, message: &str) {
        if let Ok(mut current) = self.current.lock() {
            *current = Some(message.to_owned());
        }
        self.changed.notify_one();
    }
}

async fn run(context: &WorkerContext, job: &db::Job, lease: &JobLease) {
    // Which instance ran which job, in its log: with several instances, each job runs on one.
    tracing::info!(job = %job.id, kind = job.kind.code(), year = job.year, attempt = job.attempts, "running a job");
    let steps = Arc::new(Steps {
        current: Mutex::new(None),
        changed: Notify::new(),
    });
    // Renews the lease and writes the step while the job runs.
    let heartbeat = {
        let (pool, lease, steps) = (context.pool.clone(), lease.clone(), steps.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = steps.changed.notified() => {}
                    _ = tokio::time::sleep(RENEW_EVERY) => {}
                }
                let step = steps.current.lock().ok().and_then(|mut s| s.take());
                match db::renew_job_lease(
                    &pool,
                    &lease.job_id,
                    &lease.holder,
                    &later(JOB_LEASE),
                    step.as_deref(),
                )
                .await
                {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => {
                        tracing::warn!(job = %lease.job_id, error = %e, "a job's lease could not be renewed")
                    }
                }
            }
        })
    };
    let by = job.requested_by.as_deref();
    let outcome = match job.kind {
        JobKind::ReportDraft => publications::produce_draft(
            &context.pool,
            &context.registry,
            &context.writes,
            job.year,
            steps.as_ref(),
            Some(lease),
        )
        .await
        .map(|_| ()),
        JobKind::ReportPublish => publications::publish(
            &context.pool,
            &context.registry,
            &context.writes,
            job.year,
            by,
            steps.as_ref(),
            Some(lease),
        )
        .await
        .map(|_| ()),
    };
    heartbeat.abort();
    if let Err(e) = outcome {
        if let AppError::Internal(inner) = &e
            && inner.is::<publications::TakenOver>()
        {
            tracing::warn!(job = %job.id, "a job was taken over by another worker; its run here is dropped");
            return;
        }
        tracing::warn!(job = %job.id, error = %e, "a job failed");
        if let Err(e) = db::finish_job(
            &context.pool,
            &lease.job_id,
            &lease.holder,
            &db::now(),
            Some(&format!("{e:#}")),
        )
        .await
        {
            tracing::warn!(job = %job.id, error = %e, "a failed job could not be marked failed");
        }
    }
}

/// Starts the next due job in the background unless this instance already runs one, so
/// that a long job never holds up the mail queue.
pub fn start_next_if_idle(
    context: &WorkerContext,
    running: &mut Option<tokio::task::JoinHandle<()>>,
) {
    if running.as_ref().is_some_and(|h| !h.is_finished()) {
        return;
    }
    let context = context.clone();
    *running = Some(tokio::spawn(async move {
        match run_next(&context).await {
            // Another job may be waiting: look again at once.
            Ok(Some(_)) => context.mailer.nudge(),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the jobs could not be read; the worker tries again")
            }
        }
    }));
}

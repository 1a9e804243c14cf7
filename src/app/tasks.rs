//! What a periodic task of the worker is and what it may use. Apart from the worker
//! (`crate::app::worker`, which lists the tasks) so that a use case that is also a task
//! (reminders, notifications, retention, jobs) needs nothing of the worker itself.

use crate::app::error::AppError;
use crate::app::mailer::Mailer;
use crate::db::{Pool, WriteGate};
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// A periodic task: runs with the worker's context; an error is logged and recorded on the
/// task's row, and the run is retried sooner.
pub type Task = fn(WorkerContext) -> BoxFuture<'static, Result<(), AppError>>;

/// What a task may use.
#[derive(Clone)]
pub struct WorkerContext {
    pub pool: Pool,
    pub writes: Arc<WriteGate>,
    pub mailer: Mailer,
    /// How long what is purged is kept (`crate::app::retention`).
    pub retention: crate::domain::legal::Retention,
    /// The questionnaires, for the jobs that compute reports (`crate::app::jobs`).
    pub registry: Arc<crate::domain::questionnaire::Registry>,
}

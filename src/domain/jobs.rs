//! Background jobs as staff see them: what a job does ([`JobKind`]) and where it stands
//! ([`JobStatus`]). The codes are those of the `jobs` table; running them is
//! `crate::app::jobs`'s.

use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// What a job does.
    JobKind {
        ReportDraft => "report_draft", "Produire le brouillon", "Produce the draft";
        ReportPublish => "report_publish", "Publier", "Publish";
    }
}

vocabulary! {
    /// Where a job stands: queued, then running (under a lease), then done or failed.
    JobStatus {
        Queued => "queued", "En attente", "Queued";
        Running => "running", "En cours", "Running";
        Done => "done", "Terminé", "Done";
        Failed => "failed", "Échec", "Failed";
    }
}

impl JobStatus {
    /// Whether the job is still to finish (the staff page reloads itself meanwhile).
    pub fn is_pending(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

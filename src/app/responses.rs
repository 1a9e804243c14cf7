//! A respondent's response, reached through an invitation link and no account: starting it
//! (with a link of its own), saving a page of answers, submitting it.
//!
//! Each is one write transaction through [`db::begin_write`], run again when PostgreSQL
//! picks it as a conflict's victim ([`db::retry_conflicts`]): nothing is acknowledged before
//! it is durable, and after a submit nothing changes a response.

use crate::app::error::AppError;
use crate::db::{self, NewInvitation, Pool, RespondentLink, StoredAnswer, WriteGate};
use crate::domain::Quality;
use crate::domain::account;
use crate::domain::questionnaire::{Answer, Questionnaire};
use crate::domain::results::{Coverage, StepStatus};

/// What starting a link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// A response was made, with this link of its own (the person's to keep).
    Own(String),
    /// Another request started this personal link first: its browser has the response's link.
    AlreadyStarted,
}

/// Makes a response for the link and a link of its own: from a shared link, so that each
/// person gets theirs; from a personal link, so that the lead who handed it out cannot follow
/// it to one person's answers. The caller has checked the link may start (not revoked, not
/// closed, not started, within its limits).
pub async fn start(
    pool: &Pool,
    writes: &WriteGate,
    link: &RespondentLink,
) -> Result<Started, AppError> {
    let response_id = db::new_id();
    let now = db::now();
    let own =
        account::new_token().map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_response(
        &mut *tx,
        &response_id,
        &link.diagnostic_id,
        &link.respondent_role,
        &now,
        None,
    )
    .await?;
    if link.shared == 0
        && !db::mark_personal_link_started(&mut *tx, &link.invitation_id, &now).await?
    {
        tx.rollback().await?;
        return Ok(Started::AlreadyStarted);
    }
    db::insert_invitation(
        &mut *tx,
        &NewInvitation {
            id: &db::new_id(),
            diagnostic_id: &link.diagnostic_id,
            token: &own,
            respondent_role: &link.respondent_role,
            label: "",
            shared: false,
            parent_id: Some(&link.invitation_id),
            response_id: Some(&response_id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Started::Own(own))
}

/// Where a response stands, as its person's pages show it: its answers by question, the
/// coverage of the whole and of each step (the page of one quality).
pub struct Progress {
    pub answers: Vec<Option<Answer>>,
    pub coverage: Coverage,
    /// By step, in [`Quality::ALL`]'s order.
    pub steps: Vec<Coverage>,
}

impl Progress {
    pub fn statuses(&self) -> Vec<StepStatus> {
        self.steps.iter().map(Coverage::step_status).collect()
    }
}

/// Reads a response's answers and where it stands.
pub async fn progress(
    pool: &Pool,
    response_id: &str,
    questionnaire: &Questionnaire,
) -> Result<Progress, AppError> {
    let rows = db::answers_of_response(pool, response_id).await?;
    Ok(progress_of(questionnaire, &rows))
}

fn progress_of(questionnaire: &Questionnaire, rows: &[db::AnswerRow]) -> Progress {
    let answers = db::align_answers(questionnaire, rows);
    let steps = Quality::ALL
        .iter()
        .map(|&quality| Coverage::of_step(questionnaire, &answers, quality))
        .collect();
    Progress {
        coverage: Coverage::of(questionnaire, &answers),
        answers,
        steps,
    }
}

/// Saves a page of answers and removes the ones cleared, with the step its person will
/// resume at; `false` (nothing written) when the response was submitted meanwhile. The storage's own error is returned as it is, so that
/// the caller can tell a failing disk (give the page back to send again) from a bug.
pub async fn save_page(
    pool: &Pool,
    writes: &WriteGate,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    cleared: &[&str],
    resume_step: usize,
) -> Result<bool, sqlx::Error> {
    let resume_step = i32::try_from(resume_step).unwrap_or(1);
    db::retry_conflicts(|| async {
        let mut tx = db::begin_write(pool, writes).await?;
        if !db::save_answers(&mut tx, response_id, answers, cleared, resume_step).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// What a submit came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    Submitted,
    /// It already was: a second submit changes nothing.
    AlreadySubmitted,
    /// Too few answers for its scores to say anything (below `APP_MIN_ANSWERED_SHARE`):
    /// nothing written, with where the response stands.
    TooFewAnswers(Coverage),
}

/// Submits a response: marks it submitted, freezes its answers and stores their scores, at
/// once, when at least `min_share` of its scored questions have an answer (counted as the
/// results count them, [`Coverage`]): one answer out of 56 would read « indice 50 — Avancé ».
/// The coverage is read inside the write, so that a page cleared in another tab meanwhile
/// cannot slip a response under the minimum.
pub async fn submit(
    pool: &Pool,
    writes: &WriteGate,
    response_id: &str,
    questionnaire: &Questionnaire,
    min_share: f64,
) -> Result<Submission, AppError> {
    let submission = db::retry_conflicts(|| async {
        let mut tx = db::begin_write(pool, writes).await?;
        let rows = db::answers_of_response(&mut *tx, response_id).await?;
        let coverage = progress_of(questionnaire, &rows).coverage;
        if !coverage.reaches(min_share) {
            tx.rollback().await?;
            return Ok(Submission::TooFewAnswers(coverage));
        }
        let submitted = db::submit_response(&mut tx, response_id, questionnaire).await?;
        tx.commit().await?;
        Ok(if submitted {
            Submission::Submitted
        } else {
            Submission::AlreadySubmitted
        })
    })
    .await?;
    Ok(submission)
}

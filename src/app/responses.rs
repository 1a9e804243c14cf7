//! A respondent's response, reached through an invitation link and no account: starting it
//! (with a link of its own), saving a page of answers, submitting it.
//!
//! Each is one write transaction through [`db::begin_write`], run again when PostgreSQL
//! picks it as a conflict's victim ([`db::retry_conflicts`]): nothing is acknowledged before
//! it is durable, and after a submit nothing changes a response.

use crate::app::error::AppError;
use crate::db::{self, NewInvitation, Pool, RespondentLink, StoredAnswer, WriteGate};
use crate::domain::account;
use crate::domain::questionnaire::Questionnaire;

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

/// Saves a page of answers and removes the ones cleared; `false` (nothing written) when the
/// response was submitted meanwhile. The storage's own error is returned as it is, so that
/// the caller can tell a failing disk (give the page back to send again) from a bug.
pub async fn save_page(
    pool: &Pool,
    writes: &WriteGate,
    response_id: &str,
    answers: &[StoredAnswer<'_>],
    cleared: &[&str],
) -> Result<bool, sqlx::Error> {
    db::retry_conflicts(|| async {
        let mut tx = db::begin_write(pool, writes).await?;
        if !db::save_answers(&mut tx, response_id, answers, cleared).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// Submits a response: marks it submitted, freezes its answers and stores their scores, at
/// once; `false` when it already was (a second submit changes nothing).
pub async fn submit(
    pool: &Pool,
    writes: &WriteGate,
    response_id: &str,
    questionnaire: &Questionnaire,
) -> Result<bool, AppError> {
    let submitted = db::retry_conflicts(|| async {
        let mut tx = db::begin_write(pool, writes).await?;
        let submitted = db::submit_response(&mut tx, response_id, questionnaire).await?;
        tx.commit().await?;
        Ok(submitted)
    })
    .await?;
    Ok(submitted)
}

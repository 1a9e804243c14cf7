//! Requests to join a coalition: a lead asks for their organisation from its results page
//! (among the coalitions its results recommend), the coalition's porteurs accept — the
//! organisation becomes a member, kept informed, in the same transaction — or decline.
//!
//! Who may do what is checked here, not only by the pages: only a lead of the organisation
//! asks (staff do not ask on an organisation's behalf: they add members directly), and only
//! the coalition's managers answer; the page listing requests is theirs alone.

use crate::app::error::AppError;
use crate::db::{self, Coalition, JoinRequest, Pool, WriteGate};
use crate::domain::coalition::{ActorType, MemberRole, may_join};
use crate::domain::join_requests::{JoinRequestStatus, Standing};
use crate::domain::organisation::OrganisationKind;
use std::collections::HashMap;

/// The coalitions recorded in the service, by slug, with where an organisation stands with
/// each: what the results page links and offers to join.
pub async fn standings(
    pool: &Pool,
    organisation_id: &str,
) -> Result<HashMap<String, (Coalition, Standing)>, AppError> {
    let members = db::member_coalition_ids(pool, organisation_id).await?;
    let asked = db::pending_join_request_coalition_ids(pool, organisation_id).await?;
    Ok(db::coalitions(pool)
        .await?
        .into_iter()
        .map(|c| {
            let standing = Standing::of(members.contains(&c.id), asked.contains(&c.id));
            (c.slug.clone(), (c, standing))
        })
        .collect())
}

/// Whether this account may ask for the organisation: its leads only.
pub async fn may_ask(
    pool: &Pool,
    organisation_id: &str,
    account_id: &str,
) -> Result<bool, AppError> {
    Ok(db::is_lead(pool, organisation_id, account_id).await?)
}

/// Records a lead's request for their organisation. 403 for anyone but its leads, 404 for
/// an unknown coalition; asking again while a request waits, or as a member, changes nothing.
pub async fn ask(
    pool: &Pool,
    writes: &WriteGate,
    organisation_id: &str,
    coalition_slug: &str,
    account_id: &str,
) -> Result<Standing, AppError> {
    if !db::is_lead(pool, organisation_id, account_id).await? {
        return Err(AppError::Forbidden);
    }
    let coalition = db::coalition_by_slug(pool, coalition_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::member_coalition_ids(pool, organisation_id)
        .await?
        .contains(&coalition.id)
    {
        return Ok(Standing::Member);
    }
    let mut tx = db::begin_write(pool, writes).await?;
    // `false` when a request already waits: the person's wish is recorded either way.
    db::insert_join_request(
        &mut *tx,
        &db::NewJoinRequest {
            id: &db::new_id(),
            coalition_id: &coalition.id,
            organisation_id,
            requested_by: account_id,
            requested_at: &db::now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Standing::Asked)
}

/// The requests waiting for a coalition's answer; none for whoever does not manage it.
pub async fn pending(
    pool: &Pool,
    coalition_id: &str,
    manages: bool,
) -> Result<Vec<JoinRequest>, AppError> {
    if !manages {
        return Ok(Vec::new());
    }
    Ok(db::pending_join_requests_of_coalition(pool, coalition_id).await?)
}

/// Records a manager's answer to a request made to this coalition (404 for another's);
/// accepting makes the organisation a member kept informed — its porteurs give it another
/// role from the members list — in the same transaction. A request answered meanwhile
/// keeps its first answer.
pub async fn answer(
    pool: &Pool,
    writes: &WriteGate,
    coalition: &Coalition,
    request_id: &str,
    account_id: &str,
    accepted: bool,
) -> Result<(), AppError> {
    let request = db::join_request(pool, request_id)
        .await?
        .filter(|r| r.coalition_id == coalition.id)
        .ok_or(AppError::NotFound)?;
    let role = MemberRole::Informe;
    let mut tx = db::begin_write(pool, writes).await?;
    let roles: Vec<MemberRole> = db::members(&mut *tx, &coalition.id)
        .await?
        .iter()
        .filter(|m| m.is_current())
        .map(|m| m.role)
        .collect();
    if accepted && !may_join(&roles, role) {
        // The page offers no « accept » before the coalition has a porteur.
        return Err(AppError::Forbidden);
    }
    let status = if accepted {
        JoinRequestStatus::Accepted
    } else {
        JoinRequestStatus::Declined
    };
    let now = db::now();
    let answered = db::answer_join_request(&mut *tx, &request.id, status, account_id, &now).await?;
    if answered && accepted {
        let actor_type = OrganisationKind::from_code(&request.organisation_kind)
            .map(ActorType::of_organisation_kind)
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!(
                    "organisation {} has an unknown kind",
                    request.organisation_id
                ))
            })?;
        // `false` when it became a member meanwhile: a member either way.
        db::insert_member(
            &mut *tx,
            &db::NewMember {
                id: &db::new_id(),
                coalition_id: &coalition.id,
                organisation_id: &request.organisation_id,
                actor_type: actor_type.code(),
                role: role.code(),
                joined_on: now.get(..10).unwrap_or(&now),
                created_at: &now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

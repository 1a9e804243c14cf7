//! Authorisation, checked on the server for every object: staff see everything; a lead sees
//! and changes only the organisations they lead and what belongs to them; in a coalition,
//! what an account may do follows the role of the member organisations it leads.

use super::session::SessionUser;
use crate::app::error::AppError;
use crate::db::{self, Diagnostic, Organisation, Pool};
use crate::domain::coalition::MemberRole;

/// The organisation, if this account may see and change it.
pub async fn organisation(
    pool: &Pool,
    user: &SessionUser,
    id: &str,
) -> Result<Organisation, AppError> {
    let organisation = db::organisation(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.is_staff() || db::is_lead(pool, id, &user.id).await? {
        Ok(organisation)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The diagnostic and its organisation, if this account may see and manage them.
pub async fn diagnostic(
    pool: &Pool,
    user: &SessionUser,
    id: &str,
) -> Result<(Diagnostic, Organisation), AppError> {
    let diagnostic = db::diagnostic(pool, id).await?.ok_or(AppError::NotFound)?;
    // Coalition diagnostics are managed from the coalition pages (staff only for now).
    let Some(organisation_id) = diagnostic.organisation_id.clone() else {
        return if user.is_staff() {
            Err(AppError::NotFound)
        } else {
            Err(AppError::Forbidden)
        };
    };
    let organisation = organisation(pool, user, &organisation_id).await?;
    Ok((diagnostic, organisation))
}

/// The diagnostic and its organisation, if this account is one of the organisation's leads:
/// for the changes that belong to them (closing, setting a response aside, deleting), which
/// staff may read but not make.
pub async fn diagnostic_of_lead(
    pool: &Pool,
    user: &SessionUser,
    id: &str,
) -> Result<(Diagnostic, Organisation), AppError> {
    let (diagnostic, organisation) = diagnostic(pool, user, id).await?;
    if db::is_lead(pool, &organisation.id, &user.id).await? {
        Ok((diagnostic, organisation))
    } else {
        Err(AppError::Forbidden)
    }
}

/// What an account may do in a coalition. Ordered: each level may do all the levels below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CoalitionAccess {
    /// Anyone: reads what the coalition made public (validated measurements, public journal
    /// entries, and everything else on its page).
    Public,
    /// The leads of a member kept informed: read the coalition's private journal and the
    /// measurements not yet validated.
    Member,
    /// The leads of a contributing member: also submit measurements and journal entries.
    Contributor,
    /// The leads of the porteurs and co-porteurs: manage the coalition.
    Manager,
    /// Programme staff: manage every coalition and validate measurements.
    Staff,
}

impl CoalitionAccess {
    pub fn reads_private(self) -> bool {
        self >= CoalitionAccess::Member
    }

    pub fn contributes(self) -> bool {
        self >= CoalitionAccess::Contributor
    }

    pub fn manages(self) -> bool {
        self >= CoalitionAccess::Manager
    }

    pub fn validates(self) -> bool {
        self == CoalitionAccess::Staff
    }

    /// `Ok` when this access allows what `allowed` says, else 403.
    pub fn require(self, allowed: bool) -> Result<(), AppError> {
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The coalition by its slug (404 when there is none) and what this visitor may do in it.
pub async fn coalition(
    pool: &Pool,
    user: Option<&SessionUser>,
    slug: &str,
) -> Result<(db::Coalition, CoalitionAccess), AppError> {
    let coalition = db::coalition_by_slug(pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = match user {
        None => CoalitionAccess::Public,
        Some(user) if user.is_staff() => CoalitionAccess::Staff,
        Some(user) => {
            let roles = db::coalition_roles_of_account(pool, &coalition.id, &user.id).await?;
            roles
                .iter()
                .map(|role| match role {
                    MemberRole::Porteur | MemberRole::CoPorteur => CoalitionAccess::Manager,
                    MemberRole::Contributeur => CoalitionAccess::Contributor,
                    MemberRole::Informe => CoalitionAccess::Member,
                })
                .max()
                .unwrap_or(CoalitionAccess::Public)
        }
    };
    Ok((coalition, access))
}

//! Authorisation, checked on the server for every object: staff see everything; a lead sees
//! and changes only the organisations they lead and what belongs to them.

use super::session::SessionUser;
use crate::database::{self, Diagnostic, Organisation, Pool};
use crate::error::AppError;

/// The organisation, if this account may see and change it.
pub async fn organisation(
    pool: &Pool,
    user: &SessionUser,
    id: &str,
) -> Result<Organisation, AppError> {
    let organisation = database::organisation(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.is_staff() || database::is_lead(pool, id, &user.id).await? {
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
    let diagnostic = database::diagnostic(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
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

//! Organisations: registering one (its registrant becomes its lead), editing it, and the
//! programme staff's « vérifiée » mark that makes it a peer of others.
//!
//! Who may do what is checked before these are called (the web layer's `access`); these
//! take what the form parsed into the core's types and write it.

use crate::app::error::AppError;
use crate::db::{self, NewOrganisation, Organisation, Pool, WriteGate};
use crate::domain::organisation::{OrganisationData, OrganisationForm, SizeBand};

/// The organisations an account sees: every one for staff, those it leads otherwise.
pub async fn visible_to(
    pool: &Pool,
    account_id: &str,
    staff: bool,
) -> Result<Vec<Organisation>, AppError> {
    Ok(if staff {
        db::all_organisations(pool).await?
    } else {
        db::organisations_led_by(pool, account_id).await?
    })
}

/// Registers an organisation with `lead_id` as its lead, both or neither; returns its id.
pub async fn register(
    pool: &Pool,
    writes: &WriteGate,
    lead_id: &str,
    data: &OrganisationData,
) -> Result<String, AppError> {
    let id = db::new_id();
    let mut tx = db::begin_write(pool, writes).await?;
    db::insert_organisation(&mut *tx, &stored(&id, data, &db::now())).await?;
    db::add_lead(&mut *tx, &id, lead_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces an organisation's details; a changed kind takes it out of its peers until staff
/// verify it again (see `db::update_organisation`).
pub async fn edit(pool: &Pool, id: &str, data: &OrganisationData) -> Result<(), AppError> {
    db::update_organisation(pool, &stored(id, data, "")).await?;
    Ok(())
}

/// Sets or clears « vérifiée »; only staff may, which the caller checks.
pub async fn set_verified(pool: &Pool, id: &str, verified: bool) -> Result<(), AppError> {
    if db::set_organisation_verified(pool, id, verified).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The form as an organisation's stored details fill it, to edit them.
pub fn form_of(organisation: &Organisation) -> OrganisationForm {
    OrganisationForm {
        name: organisation.name.clone(),
        kind: organisation.kind.code().to_owned(),
        siren: organisation.siren.clone(),
        departement: organisation.departement.clone().unwrap_or_default(),
        commune_insee: organisation.commune_insee.clone(),
        size_band: organisation.size_band.clone(),
    }
}

fn stored<'a>(id: &'a str, data: &'a OrganisationData, created_at: &'a str) -> NewOrganisation<'a> {
    NewOrganisation {
        id,
        name: data.name(),
        kind: data.kind().code(),
        siren: data.siren().map(|s| s.as_str()),
        departement: Some(data.departement().as_str()),
        commune_insee: data.commune_insee().map(|c| c.as_str()),
        size_band: data.size_band().map(SizeBand::code),
        created_at,
    }
}

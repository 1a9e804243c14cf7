//! Organisations: registering one (its registrant becomes its lead), editing it, and the
//! programme staff's « vérifiée » mark that makes it a peer of others.
//!
//! Who may do what is checked before these are called (the web layer's `access`); these
//! take what the form parsed into the core's types and write it.

use crate::app::error::AppError;
use crate::db::{self, NewOrganisation, Organisation, OrganisationFilter, Pool, WriteGate};
use crate::domain::field_errors::FieldErrors;
use crate::domain::organisation::{
    Departement, OrganisationData, OrganisationForm, OrganisationKind, SizeBand,
};

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

/// How many organisations a page of the list shows.
pub const PER_PAGE: i64 = 20;

/// The list's search as the GET form sends it (kept in the address, so a search can be
/// bookmarked and works without JavaScript).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrganisationSearch {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub departement: String,
    #[serde(default)]
    pub page: String,
}

/// A page of the organisations an account sees, as the search narrows them.
pub struct OrganisationPage {
    pub organisations: Vec<Organisation>,
    /// How many the search keeps, over every page.
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

/// The search's page of organisations, or what is wrong with the search, beside its field.
pub async fn search(
    pool: &Pool,
    account_id: &str,
    staff: bool,
    search: &OrganisationSearch,
) -> Result<Result<OrganisationPage, FieldErrors>, AppError> {
    let mut errors = FieldErrors::new();
    let kind = match search.kind.trim() {
        "" => None,
        code => match OrganisationKind::from_code(code) {
            Some(kind) => Some(kind.code()),
            None => {
                errors.add(
                    "kind",
                    "Ce type n'existe pas : choisissez-en un dans la liste.",
                    "This kind does not exist: choose one from the list.",
                );
                None
            }
        },
    };
    let departement = match search.departement.trim() {
        "" => None,
        typed => match Departement::parse(typed) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = e.message();
                errors.add("departement", message.fr.clone(), message.en.clone());
                None
            }
        },
    };
    if search.name.chars().count() > 200 {
        errors.add(
            "name",
            "La recherche dépasse 200 caractères.",
            "The search is longer than 200 characters.",
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let filter = OrganisationFilter {
        account_id,
        staff,
        name: &search.name,
        kind,
        departement: departement.map(Departement::as_str),
    };
    let total = db::count_filtered_organisations(pool, &filter).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    // A page past the last (the list shrank since the link was made) shows the last one.
    let page = search
        .page
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, pages);
    let organisations =
        db::filtered_organisations(pool, &filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(Ok(OrganisationPage {
        organisations,
        total,
        page,
        pages,
    }))
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

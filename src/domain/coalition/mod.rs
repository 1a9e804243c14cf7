//! A coalition as its managers edit it: its identity (slug, family, texts in French with an
//! optional English version, scale, targeted qualities, levers), the stages it goes through,
//! and its members with their actor type and role.
//!
//! As for organisations, each page sends a form made only of strings, so that a rejected form
//! is shown again exactly as typed; `TryFrom` parses it into a type holding only valid values,
//! or returns every problem at once as [`FieldErrors`]. Rules that need the clock take the
//! day as a parameter, so that they are tested with fixed dates.

pub mod actions;
pub mod catalogue;
pub mod coverage;
pub mod diversity;
pub mod journal;

use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::organisation::OrganisationKind;
use crate::domain::{CoalitionFamily, Quality};
use serde::{Deserialize, Serialize};
use time::Date;

vocabulary! {
    /// Where a coalition stands, from the first intention to its end.
    Stage {
        Intention => "intention", "Intention", "Intention";
        Constitution => "constitution", "En constitution", "Forming";
        Pilote => "pilote", "Pilote", "Pilot";
        Active => "active", "Active", "Active";
        Achevee => "achevee", "Achevée", "Completed";
    }
}

vocabulary! {
    /// The territory a coalition acts on.
    Scale {
        Locale => "locale", "Locale", "Local";
        Nationale => "nationale", "Nationale", "National";
        Europeenne => "europeenne", "Européenne", "European";
    }
}

vocabulary! {
    /// The five kinds of actors a coalition gathers; their mix is its heterogeneity.
    ActorType {
        Entreprise => "entreprise", "Entreprise", "Company";
        Collectivite => "collectivite", "Collectivité", "Local authority";
        Etat => "etat", "État et opérateurs", "State and its agencies";
        Association => "association", "Association", "Association";
        Recherche => "recherche", "Recherche", "Research";
    }
}

vocabulary! {
    /// What a member organisation does in a coalition. Porteurs and co-porteurs manage it,
    /// contributors document it, members kept informed read it.
    MemberRole {
        Porteur => "porteur", "Porteur", "Lead";
        CoPorteur => "co-porteur", "Co-porteur", "Co-lead";
        Contributeur => "contributeur", "Contributeur", "Contributor";
        Informe => "informe", "Informé", "Kept informed";
    }
}

vocabulary! {
    /// Where an invitation to join a coalition stands.
    InvitationStatus {
        Pending => "pending", "en attente", "pending";
        Accepted => "accepted", "acceptée", "accepted";
        Declined => "declined", "refusée", "declined";
    }
}

/// A coalition's text in the reader's language; the French stands in for an English version
/// not written yet.
pub fn localized<'a>(lang: Lang, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => fr,
    }
}

impl ActorType {
    /// The actor type an organisation of this kind usually is: territories are local
    /// authorities, the other kinds have an actor type of the same name.
    pub fn of_organisation_kind(kind: OrganisationKind) -> ActorType {
        match kind {
            OrganisationKind::Commune
            | OrganisationKind::Intercommunalite
            | OrganisationKind::Departement
            | OrganisationKind::Region => ActorType::Collectivite,
            OrganisationKind::Etat => ActorType::Etat,
            OrganisationKind::Entreprise => ActorType::Entreprise,
            OrganisationKind::Association => ActorType::Association,
            OrganisationKind::Recherche => ActorType::Recherche,
        }
    }
}

// --- Shared checks -----------------------------------------------------------------------------

/// A text that must be given, at most `max` characters once trimmed; `None` after an error.
pub(crate) fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    typed: &str,
    max: usize,
    (what_fr, what_en): (&str, &str),
) -> Option<String> {
    let text = typed.trim();
    if text.is_empty() {
        errors.add(
            field,
            format!("Indiquez {what_fr}."),
            format!("Enter {what_en}."),
        );
        None
    } else {
        optional_text(errors, field, text, max)
    }
}

/// A text that may be empty, at most `max` characters once trimmed.
pub(crate) fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    typed: &str,
    max: usize,
) -> Option<String> {
    let text = typed.trim();
    let length = text.chars().count();
    if length > max {
        errors.add(
            field,
            format!("{max} caractères au plus ; vous en avez saisi {length}."),
            format!("At most {max} characters; you typed {length}."),
        );
        None
    } else {
        Some(text.to_owned())
    }
}

/// A date typed as `YYYY-MM-DD` (what a date field sends), not after `today`.
pub(crate) fn past_date(
    errors: &mut FieldErrors,
    field: &str,
    typed: &str,
    today: Date,
) -> Option<Date> {
    let typed = typed.trim();
    if typed.is_empty() {
        errors.add(
            field,
            "Indiquez la date (au format AAAA-MM-JJ).",
            "Enter the date (as YYYY-MM-DD).",
        );
        return None;
    }
    match crate::domain::read_date(typed) {
        Err(crate::domain::DateError::OutOfRange { year }) if year <= today.year() => {
            let (fr, en) = crate::domain::out_of_range_message();
            errors.add(field, fr, en);
            None
        }
        // A year past the range is in the future too: that is what a past date is told.
        Err(crate::domain::DateError::OutOfRange { .. }) => {
            errors.add(
                field,
                format!("La date ne peut pas être dans le futur (nous sommes le {today})."),
                format!("The date cannot be in the future (today is {today})."),
            );
            None
        }
        Err(crate::domain::DateError::Malformed) => {
            errors.add(
                field,
                format!("« {typed} » n'est pas une date : saisissez-la au format AAAA-MM-JJ, par exemple 2025-03-14."),
                format!("\"{typed}\" is not a date: enter it as YYYY-MM-DD, for example 2025-03-14."),
            );
            None
        }
        Ok(date) if date > today => {
            errors.add(
                field,
                format!("La date ne peut pas être dans le futur (nous sommes le {today})."),
                format!("The date cannot be in the future (today is {today})."),
            );
            None
        }
        Ok(date) => Some(date),
    }
}

pub use crate::domain::parse_date;

/// One code of a vocabulary, required.
fn code_of<T>(
    errors: &mut FieldErrors,
    field: &str,
    typed: &str,
    from_code: fn(&str) -> Option<T>,
    (fr, en): (&str, &str),
) -> Option<T> {
    let found = from_code(typed.trim());
    if found.is_none() {
        errors.add(field, format!("Choisissez {fr}."), format!("Choose {en}."));
    }
    found
}

// --- Identity ----------------------------------------------------------------------------------

/// A coalition's identity as typed. Texts in pairs: French (required for the main texts)
/// and English (optional: the French is shown in its place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoalitionForm {
    pub slug: String,
    pub family: String,
    pub name_fr: String,
    pub name_en: String,
    pub problem_fr: String,
    pub problem_en: String,
    pub impact_fr: String,
    pub impact_en: String,
    pub narrative_fr: String,
    pub narrative_en: String,
    pub scale: String,
    pub primary_quality: String,
    pub secondary_qualities: Vec<String>,
    pub lever_commande_fr: String,
    pub lever_commande_en: String,
    pub lever_offre_fr: String,
    pub lever_offre_en: String,
    pub lever_usages_fr: String,
    pub lever_usages_en: String,
}

/// A text in French and, optionally, in English (empty when not translated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    pub fr: String,
    pub en: String,
}

impl Bilingual {
    pub fn pair(&self) -> (&str, &str) {
        (&self.fr, &self.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoalitionData {
    pub slug: String,
    pub family: CoalitionFamily,
    pub name: Bilingual,
    pub problem: Bilingual,
    pub impact: Bilingual,
    pub narrative: Bilingual,
    pub scale: Scale,
    pub primary_quality: Quality,
    /// In display order, never the primary one.
    pub secondary_qualities: Vec<Quality>,
    pub lever_commande: Bilingual,
    pub lever_offre: Bilingual,
    pub lever_usages: Bilingual,
}

impl CoalitionData {
    /// The secondary qualities as stored: codes separated by spaces.
    pub fn secondary_codes(&self) -> String {
        self.secondary_qualities
            .iter()
            .map(|q| q.code())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub const SLUG_MAX: usize = 60;
/// Addresses under `/coalitions/` that are pages, not coalitions.
pub const RESERVED_SLUGS: &[&str] = &["new"];
pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 5000;

/// Whether a slug is made of lowercase letters, digits and single hyphens between them.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

impl TryFrom<&CoalitionForm> for CoalitionData {
    type Error = FieldErrors;

    fn try_from(form: &CoalitionForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let slug = form.slug.trim();
        if slug.is_empty() {
            errors.add(
                "slug",
                "Indiquez l'identifiant de la coalition, utilisé dans son adresse.",
                "Enter the coalition's identifier, used in its address.",
            );
        } else if RESERVED_SLUGS.contains(&slug) {
            errors.add(
                "slug",
                format!("« {slug} » est réservé par le site : choisissez un autre identifiant."),
                format!("\"{slug}\" is reserved by the site: choose another identifier."),
            );
        } else if !is_valid_slug(slug) {
            errors.add(
                "slug",
                format!("L'identifiant ne contient que des lettres minuscules sans accent, des chiffres et des tirets entre eux ({SLUG_MAX} caractères au plus), par exemple achat-public-responsable."),
                format!("The identifier has only lowercase letters without accents, digits and hyphens between them (at most {SLUG_MAX} characters), for example achat-public-responsable."),
            );
        }
        let family = code_of(
            &mut errors,
            "family",
            &form.family,
            CoalitionFamily::from_code,
            ("la famille de la coalition", "the coalition's family"),
        );
        fn bilingual(
            errors: &mut FieldErrors,
            field: &str,
            fr: &str,
            en: &str,
            max: usize,
            required: Option<(&str, &str)>,
        ) -> Option<Bilingual> {
            let fr = match required {
                Some(what) => required_text(errors, &format!("{field}_fr"), fr, max, what),
                None => optional_text(errors, &format!("{field}_fr"), fr, max),
            };
            let en = optional_text(errors, &format!("{field}_en"), en, max);
            Some(Bilingual { fr: fr?, en: en? })
        }
        let name = bilingual(
            &mut errors,
            "name",
            &form.name_fr,
            &form.name_en,
            NAME_MAX,
            Some(("le nom de la coalition", "the coalition's name")),
        );
        let problem = bilingual(
            &mut errors,
            "problem",
            &form.problem_fr,
            &form.problem_en,
            TEXT_MAX,
            Some((
                "le problème auquel la coalition s'attaque",
                "the problem the coalition tackles",
            )),
        );
        let impact = bilingual(
            &mut errors,
            "impact",
            &form.impact_fr,
            &form.impact_en,
            TEXT_MAX,
            Some(("l'impact recherché", "the impact sought")),
        );
        let narrative = bilingual(
            &mut errors,
            "narrative",
            &form.narrative_fr,
            &form.narrative_en,
            TEXT_MAX,
            Some(("le récit de transformation", "the transformation narrative")),
        );
        let lever_commande = bilingual(
            &mut errors,
            "lever_commande",
            &form.lever_commande_fr,
            &form.lever_commande_en,
            TEXT_MAX,
            None,
        );
        let lever_offre = bilingual(
            &mut errors,
            "lever_offre",
            &form.lever_offre_fr,
            &form.lever_offre_en,
            TEXT_MAX,
            None,
        );
        let lever_usages = bilingual(
            &mut errors,
            "lever_usages",
            &form.lever_usages_fr,
            &form.lever_usages_en,
            TEXT_MAX,
            None,
        );
        let scale = code_of(
            &mut errors,
            "scale",
            &form.scale,
            Scale::from_code,
            ("l'échelle de la coalition", "the coalition's scale"),
        );
        let primary_quality = code_of(
            &mut errors,
            "primary_quality",
            &form.primary_quality,
            Quality::from_code,
            (
                "la qualité principalement visée",
                "the main quality targeted",
            ),
        );
        let mut secondary = Vec::new();
        for code in &form.secondary_qualities {
            match Quality::from_code(code) {
                Some(q) if Some(q) == primary_quality => errors.add(
                    "secondary_qualities",
                    "La qualité principale ne peut pas être aussi secondaire : décochez-la.",
                    "The main quality cannot also be a secondary one: untick it.",
                ),
                Some(q) => secondary.push(q),
                None => errors.add(
                    "secondary_qualities",
                    format!("« {code} » n'est pas une des 7 qualités."),
                    format!("\"{code}\" is not one of the 7 qualities."),
                ),
            }
        }
        secondary.sort();
        secondary.dedup();
        match (
            family,
            name,
            problem,
            impact,
            narrative,
            scale,
            primary_quality,
            lever_commande,
            lever_offre,
            lever_usages,
        ) {
            (
                Some(family),
                Some(name),
                Some(problem),
                Some(impact),
                Some(narrative),
                Some(scale),
                Some(primary_quality),
                Some(lever_commande),
                Some(lever_offre),
                Some(lever_usages),
            ) => errors.into_result(CoalitionData {
                slug: slug.to_owned(),
                family,
                name,
                problem,
                impact,
                narrative,
                scale,
                primary_quality,
                secondary_qualities: secondary,
                lever_commande,
                lever_offre,
                lever_usages,
            }),
            _ => Err(errors),
        }
    }
}

// --- Stages ------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageForm {
    pub stage: String,
    pub changed_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    pub stage: Stage,
    pub changed_on: Date,
    pub note: String,
}

pub const NOTE_MAX: usize = 2000;

impl TryFrom<(&StageForm, Date)> for StageChange {
    type Error = FieldErrors;

    fn try_from((form, today): (&StageForm, Date)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stage = code_of(
            &mut errors,
            "stage",
            &form.stage,
            Stage::from_code,
            ("la nouvelle étape", "the new stage"),
        );
        let changed_on = past_date(&mut errors, "changed_on", &form.changed_on, today);
        let note = required_text(
            &mut errors,
            "note",
            &form.note,
            NOTE_MAX,
            (
                "ce qui marque ce passage (une phrase suffit)",
                "what marks this change (a sentence is enough)",
            ),
        );
        match (stage, changed_on, note) {
            (Some(stage), Some(changed_on), Some(note)) => errors.into_result(StageChange {
                stage,
                changed_on,
                note,
            }),
            _ => Err(errors),
        }
    }
}

// --- Members -----------------------------------------------------------------------------------

/// A member to add, as typed: an organisation already registered, or a new one by name and
/// kind. An empty actor type means « the usual one for the organisation's kind ».
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberForm {
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub actor_type: String,
    pub role: String,
    pub joined_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberOrganisation {
    Existing(String),
    New {
        name: String,
        kind: OrganisationKind,
    },
}

/// A member to add, parsed: who, in which role, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberToAdd {
    pub organisation: MemberOrganisation,
    pub actor_type: Option<ActorType>,
    pub role: MemberRole,
    pub joined_on: Date,
}

impl TryFrom<(&MemberForm, Date)> for MemberToAdd {
    type Error = FieldErrors;

    fn try_from((form, today): (&MemberForm, Date)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let existing = form.organisation_id.trim();
        let new_name = form.organisation_name.trim();
        let organisation = match (existing.is_empty(), new_name.is_empty()) {
            (false, false) => {
                errors.add(
                    "organisation_id",
                    "Choisissez une organisation inscrite ou saisissez le nom d'une nouvelle, pas les deux.",
                    "Choose a registered organisation or type the name of a new one, not both.",
                );
                None
            }
            (false, true) => Some(MemberOrganisation::Existing(existing.to_owned())),
            (true, true) => {
                errors.add(
                    "organisation_id",
                    "Choisissez une organisation inscrite, ou saisissez le nom et le type d'une nouvelle.",
                    "Choose a registered organisation, or type the name and kind of a new one.",
                );
                None
            }
            (true, false) => {
                let name = optional_text(&mut errors, "organisation_name", new_name, NAME_MAX);
                let kind = code_of(
                    &mut errors,
                    "organisation_kind",
                    &form.organisation_kind,
                    OrganisationKind::from_code,
                    (
                        "le type de la nouvelle organisation",
                        "the new organisation's kind",
                    ),
                );
                match (name, kind) {
                    (Some(name), Some(kind)) => Some(MemberOrganisation::New { name, kind }),
                    _ => None,
                }
            }
        };
        let actor_type = if form.actor_type.trim().is_empty() {
            Some(None)
        } else {
            code_of(
                &mut errors,
                "actor_type",
                &form.actor_type,
                ActorType::from_code,
                ("le type d'acteur", "the actor type"),
            )
            .map(Some)
        };
        let role = code_of(
            &mut errors,
            "role",
            &form.role,
            MemberRole::from_code,
            ("le rôle du membre", "the member's role"),
        );
        let joined_on = past_date(&mut errors, "joined_on", &form.joined_on, today);
        match (organisation, actor_type, role, joined_on) {
            (Some(organisation), Some(actor_type), Some(role), Some(joined_on)) => errors
                .into_result(MemberToAdd {
                    organisation,
                    actor_type,
                    role,
                    joined_on,
                }),
            _ => Err(errors),
        }
    }
}

/// A change to a current membership, for the rule that a coalition with members keeps a
/// porteur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    Role(MemberRole),
    End,
}

/// Whether `change` to member `id` keeps a porteur among the current members (`(id, role)`):
/// the last porteur can be neither demoted nor ended while other members remain. A coalition
/// left without any member needs no porteur, and one that had none loses nothing.
pub fn keeps_a_porteur(current: &[(&str, MemberRole)], id: &str, change: MembershipChange) -> bool {
    if !current.iter().any(|&(_, role)| role == MemberRole::Porteur) {
        return true;
    }
    let after: Vec<MemberRole> = current
        .iter()
        .filter_map(|&(member, role)| match change {
            _ if member != id => Some(role),
            MembershipChange::Role(new) => Some(new),
            MembershipChange::End => None,
        })
        .collect();
    after.is_empty() || after.contains(&MemberRole::Porteur)
}

/// Whether a member may join in `role` given the current members' roles: a coalition that
/// has no porteur yet takes its porteur first, so that someone manages it from the start.
pub fn may_join(current: &[MemberRole], role: MemberRole) -> bool {
    role == MemberRole::Porteur || current.contains(&MemberRole::Porteur)
}

/// Why [`keeps_a_porteur`] refused a change.
pub const LAST_PORTEUR: (&str, &str) = (
    "C'est le dernier porteur de la coalition : désignez d'abord un autre membre comme porteur.",
    "This is the coalition's last lead: make another member the lead first.",
);

/// Why [`may_join`] refused a member.
pub const NO_PORTEUR_YET: (&str, &str) = (
    "La coalition n'a pas encore de porteur : ajoutez d'abord l'organisation qui la porte, avec le rôle de porteur.",
    "The coalition has no lead yet: first add the organisation that leads it, with the lead role.",
);

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 15);

    fn identity() -> CoalitionForm {
        CoalitionForm {
            slug: "achat-public-2".into(),
            family: "environnement".into(),
            name_fr: " Achat public responsable ".into(),
            problem_fr: "Le problème".into(),
            impact_fr: "L'impact".into(),
            narrative_fr: "Le récit".into(),
            narrative_en: "The narrative".into(),
            scale: "nationale".into(),
            primary_quality: "frugal".into(),
            secondary_qualities: vec!["equitable".into(), "inclusif".into()],
            ..CoalitionForm::default()
        }
    }

    #[test]
    fn a_complete_identity_parses_with_english_left_empty() {
        let data = CoalitionData::try_from(&identity()).expect("valid");
        assert_eq!(data.name.fr, "Achat public responsable");
        assert_eq!(data.name.en, "");
        assert_eq!(data.narrative.en, "The narrative");
        assert_eq!(data.family, CoalitionFamily::Environnement);
        assert_eq!(data.scale, Scale::Nationale);
        // Display order, whatever the order ticked.
        assert_eq!(data.secondary_codes(), "inclusif equitable");
        assert_eq!(data.lever_offre.fr, "");
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["a", "achat-public", "coalition-2025"] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in [
            "",
            "Achat",
            "achat--public",
            "-achat",
            "achat-",
            "éthique",
            "a b",
            "a_b",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
        assert!(!is_valid_slug(&"a".repeat(SLUG_MAX + 1)));
    }

    #[test]
    fn an_identity_reports_every_problem_beside_its_field() {
        let form = CoalitionForm {
            slug: "Achat Public".into(),
            family: "autre".into(),
            name_fr: "  ".into(),
            primary_quality: "frugal".into(),
            secondary_qualities: vec!["frugal".into()],
            lever_usages_en: "x".repeat(TEXT_MAX + 1),
            ..CoalitionForm::default()
        };
        let errors = CoalitionData::try_from(&form).unwrap_err();
        for field in [
            "slug",
            "family",
            "name_fr",
            "problem_fr",
            "impact_fr",
            "narrative_fr",
            "scale",
            "secondary_qualities",
            "lever_usages_en",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("name_en").is_none());
        assert!(errors.get("primary_quality").is_none());
    }

    #[test]
    fn a_stage_change_needs_a_known_stage_a_past_date_and_a_note() {
        let ok = StageForm {
            stage: "pilote".into(),
            changed_on: "2025-06-15".into(),
            note: "Premier pilote lancé".into(),
        };
        let change = StageChange::try_from((&ok, TODAY)).expect("valid");
        assert_eq!(change.stage, Stage::Pilote);
        assert_eq!(change.changed_on, TODAY);

        let bad = StageForm {
            stage: "lancee".into(),
            changed_on: "2025-06-16".into(),
            note: String::new(),
        };
        let errors = StageChange::try_from((&bad, TODAY)).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(
            errors
                .message("changed_on", crate::domain::i18n::Lang::Fr)
                .unwrap()
                .contains("futur")
        );
        let garbled = StageForm {
            changed_on: "15/06/2025".into(),
            ..ok
        };
        let errors = StageChange::try_from((&garbled, TODAY)).unwrap_err();
        assert!(
            errors
                .message("changed_on", crate::domain::i18n::Lang::En)
                .unwrap()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn a_member_is_an_existing_organisation_or_a_new_one_not_both() {
        let existing = MemberForm {
            organisation_id: "org-1".into(),
            role: "contributeur".into(),
            joined_on: "2025-01-10".into(),
            ..MemberForm::default()
        };
        let member = MemberToAdd::try_from((&existing, TODAY)).expect("valid");
        assert_eq!(
            member.organisation,
            MemberOrganisation::Existing("org-1".into())
        );
        assert_eq!(member.actor_type, None);

        let new = MemberForm {
            organisation_id: String::new(),
            organisation_name: "Tiers-lieu du quartier".into(),
            organisation_kind: "association".into(),
            actor_type: "association".into(),
            ..existing.clone()
        };
        let member = MemberToAdd::try_from((&new, TODAY)).expect("valid");
        assert_eq!(
            member.organisation,
            MemberOrganisation::New {
                name: "Tiers-lieu du quartier".into(),
                kind: OrganisationKind::Association
            }
        );
        assert_eq!(member.actor_type, Some(ActorType::Association));

        let both = MemberForm {
            organisation_id: "org-1".into(),
            ..new.clone()
        };
        assert!(
            MemberToAdd::try_from((&both, TODAY))
                .unwrap_err()
                .get("organisation_id")
                .is_some()
        );
        let neither = MemberForm {
            organisation_name: String::new(),
            ..new.clone()
        };
        assert!(
            MemberToAdd::try_from((&neither, TODAY))
                .unwrap_err()
                .get("organisation_id")
                .is_some()
        );
        let no_kind = MemberForm {
            organisation_kind: String::new(),
            role: "chef".into(),
            ..new
        };
        let errors = MemberToAdd::try_from((&no_kind, TODAY)).unwrap_err();
        assert!(errors.get("organisation_kind").is_some() && errors.get("role").is_some());
    }

    #[test]
    fn a_coalition_without_a_porteur_takes_its_porteur_first() {
        use MemberRole::*;
        assert!(may_join(&[], Porteur));
        assert!(!may_join(&[], Contributeur));
        assert!(!may_join(&[Informe], CoPorteur));
        assert!(may_join(&[Informe, Porteur], Informe));
    }

    #[test]
    fn stored_codes_decode_into_their_values_and_unknown_ones_are_refused() {
        assert_eq!(Stage::try_from("pilote".to_owned()), Ok(Stage::Pilote));
        assert_eq!(
            MemberRole::try_from("co-porteur".to_owned()),
            Ok(MemberRole::CoPorteur)
        );
        let unknown = Scale::try_from("mondiale".to_owned()).unwrap_err();
        assert_eq!(unknown.to_string(), "unknown Scale code \"mondiale\"");
    }

    #[test]
    fn an_english_text_left_empty_reads_as_the_french_one() {
        assert_eq!(localized(Lang::En, "Bonjour", " "), "Bonjour");
        assert_eq!(localized(Lang::En, "Bonjour", "Hello"), "Hello");
        assert_eq!(localized(Lang::Fr, "Bonjour", "Hello"), "Bonjour");
    }

    #[test]
    fn territories_are_local_authorities_and_other_kinds_keep_their_name() {
        assert_eq!(
            ActorType::of_organisation_kind(OrganisationKind::Intercommunalite),
            ActorType::Collectivite
        );
        assert_eq!(
            ActorType::of_organisation_kind(OrganisationKind::Region),
            ActorType::Collectivite
        );
        for kind in [
            OrganisationKind::Etat,
            OrganisationKind::Entreprise,
            OrganisationKind::Association,
            OrganisationKind::Recherche,
        ] {
            assert_eq!(ActorType::of_organisation_kind(kind).code(), kind.code());
        }
    }

    #[test]
    fn the_last_porteur_can_be_neither_demoted_nor_ended_while_others_remain() {
        use MemberRole::*;
        let one_porteur = [("a", Porteur), ("b", Contributeur)];
        assert!(!keeps_a_porteur(
            &one_porteur,
            "a",
            MembershipChange::Role(CoPorteur)
        ));
        assert!(!keeps_a_porteur(&one_porteur, "a", MembershipChange::End));
        assert!(keeps_a_porteur(
            &one_porteur,
            "a",
            MembershipChange::Role(Porteur)
        ));
        assert!(keeps_a_porteur(&one_porteur, "b", MembershipChange::End));
        // Promoting another member first frees the first porteur.
        let two = [("a", Porteur), ("b", Porteur)];
        assert!(keeps_a_porteur(&two, "a", MembershipChange::End));
        // The last member may leave: a coalition without members needs no porteur.
        assert!(keeps_a_porteur(
            &[("a", Porteur)],
            "a",
            MembershipChange::End
        ));
        // A coalition that had no porteur loses nothing.
        assert!(keeps_a_porteur(
            &[("a", Contributeur), ("b", Informe)],
            "b",
            MembershipChange::End
        ));
    }
}

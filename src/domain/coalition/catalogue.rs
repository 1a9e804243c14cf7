//! The catalogue of the 18 #RESET coalitions of the 2020 Assembly (seed 001), shipped in the
//! binary from `coalitions.toml`. It seeds the demo data and is the list of coalitions that
//! questionnaire recommendations may point to.

use crate::domain::coalition::{ActorType, MemberRole, Scale, Stage};
use crate::domain::i18n::LocalizedText;
use crate::domain::{CoalitionFamily, Quality};
use serde::Deserialize;

const CATALOGUE_TOML: &str = include_str!("coalitions.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub coalitions: Vec<CatalogueCoalition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueCoalition {
    pub slug: String,
    pub family: CoalitionFamily,
    pub name: LocalizedText,
    pub problem: LocalizedText,
    pub impact: LocalizedText,
    pub narrative: LocalizedText,
    pub scale: Scale,
    pub stage: Stage,
    pub primary_quality: Quality,
    #[serde(default)]
    pub secondary_qualities: Vec<Quality>,
    pub levers: Levers,
    #[serde(default)]
    pub members: Vec<CatalogueMember>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levers {
    pub commande: LocalizedText,
    pub offre: LocalizedText,
    pub usages: LocalizedText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueMember {
    pub name: String,
    pub actor_type: ActorType,
    pub role: MemberRole,
}

impl Catalogue {
    /// Parses the shipped catalogue. It is part of the binary, so a failure here is a defect
    /// that the unit tests catch; callers still get an error rather than a panic.
    pub fn shipped() -> Result<Catalogue, toml::de::Error> {
        toml::from_str(CATALOGUE_TOML)
    }

    pub fn find(&self, slug: &str) -> Option<&CatalogueCoalition> {
        self.coalitions.iter().find(|c| c.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stage_in_the_catalogue_is_refused_when_read() {
        let toml = CATALOGUE_TOML.replacen("stage = \"", "stage = \"lancee-", 1);
        assert!(toml::from_str::<Catalogue>(&toml).is_err());
    }

    #[test]
    fn the_shipped_catalogue_holds_the_18_coalitions_of_seed_001_in_three_families() {
        let catalogue = Catalogue::shipped().expect("coalitions.toml parses");
        assert_eq!(catalogue.coalitions.len(), 18);
        let count = |f| {
            catalogue
                .coalitions
                .iter()
                .filter(|c| c.family == f)
                .count()
        };
        assert_eq!(count(CoalitionFamily::Environnement), 5);
        assert_eq!(count(CoalitionFamily::Democratie), 6);
        assert_eq!(count(CoalitionFamily::Inclusion), 7);
        let mut slugs: Vec<_> = catalogue.coalitions.iter().map(|c| &c.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 18, "slugs are unique");
        for c in &catalogue.coalitions {
            for text in [&c.name, &c.problem, &c.impact, &c.narrative] {
                assert!(
                    !text.fr.trim().is_empty() && !text.en.trim().is_empty(),
                    "{}",
                    c.slug
                );
            }
        }
    }
}

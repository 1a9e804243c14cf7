//! The demo's coalition tracking: for each of the 18 coalitions of seed 001, the stages it
//! went through, its impact goals with their indicators (baseline, targets, measurements),
//! its actions, and its journal and productions, read from `tracking.toml`.
//!
//! The content is fictional but plausible, written from the seeds; it is checked here against
//! the same rules the forms apply, so the demo never shows what a person could not enter.

use serde::Deserialize;

const TRACKING_TOML: &str = include_str!("tracking.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoTracking {
    #[serde(rename = "coalition")]
    pub coalitions: Vec<DemoCoalition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCoalition {
    /// A slug of `src/domain/coalitions.toml`.
    pub slug: String,
    /// The stages it went through, oldest first; the last is its stage in the catalogue.
    #[serde(default)]
    pub stages: Vec<DemoStage>,
    #[serde(default)]
    pub goals: Vec<DemoGoal>,
    #[serde(default)]
    pub actions: Vec<DemoAction>,
    #[serde(default)]
    pub journal: Vec<DemoJournalEntry>,
    #[serde(default)]
    pub productions: Vec<DemoProduction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoStage {
    pub stage: String,
    pub on: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoGoal {
    /// Names the goal within the file, for actions to link to.
    pub key: String,
    pub statement: String,
    pub horizon: String,
    pub qualities: Vec<String>,
    pub dimensions: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<DemoIndicator>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoIndicator {
    pub code: String,
    pub name: String,
    pub definition: String,
    pub level: String,
    pub measure: String,
    pub scale_levels: Option<i32>,
    pub unit: String,
    pub direction: String,
    pub combination: String,
    pub periodicity: String,
    pub verification: String,
    /// For `maintain`: how far from the baseline still counts as maintained, in the unit.
    pub tolerance: Option<f64>,
    /// The name of a member of the coalition in the catalogue.
    pub owner: Option<String>,
    pub baseline: Option<DemoFigure>,
    #[serde(default)]
    pub targets: Vec<DemoTarget>,
    #[serde(default)]
    pub measurements: Vec<DemoMeasurement>,
}

/// A value: `value`, or `numerator` and `denominator` for a percentage, or `narrative`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoFigure {
    pub on: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub narrative: Option<String>,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoTarget {
    pub on: String,
    pub value: f64,
    #[serde(default)]
    pub r#final: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoMeasurement {
    pub on: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub narrative: Option<String>,
    /// draft, submitted or validated.
    pub status: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAction {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub dimension: String,
    /// The name of a member of the coalition in the catalogue.
    pub owner: Option<String>,
    pub due: Option<String>,
    /// a_faire, en_cours or fait.
    pub status: String,
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoJournalEntry {
    /// reset_day, atelier, decision, reunion or autre.
    pub kind: String,
    pub on: String,
    pub title: String,
    pub attendance: Option<i32>,
    pub notes: String,
    #[serde(default = "public_by_default")]
    pub public: bool,
}

fn public_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoProduction {
    pub title: String,
    pub url: String,
    #[serde(default = "cc_by")]
    pub licence: String,
    pub on: String,
    #[serde(default)]
    pub description: String,
}

fn cc_by() -> String {
    "CC-BY-4.0".to_owned()
}

impl DemoTracking {
    /// The shipped content; a failure is a defect the unit tests catch.
    pub fn shipped() -> Result<DemoTracking, toml::de::Error> {
        toml::from_str(TRACKING_TOML)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::Catalogue;
    use crate::domain::{Dimension, Quality};
    use crate::impact::{self, Combination, Direction, Level, Measure, Value};

    fn date(s: &str) -> time::Date {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(s, format).unwrap_or_else(|e| panic!("date {s}: {e}"))
    }

    fn value(measure: Measure, f: (&Option<f64>, &Option<f64>, &Option<f64>, &Option<String>)) -> Value {
        match (measure, f) {
            (Measure::Percentage, (_, Some(n), Some(d), _)) => Value::Ratio {
                numerator: *n,
                denominator: *d,
            },
            (Measure::Narrative, (_, _, _, Some(text))) => Value::Narrative(text.clone()),
            (_, (Some(v), _, _, _)) => Value::Number(*v),
            _ => Value::Narrative(String::new()),
        }
    }

    /// Every rule a form applies holds for the shipped demo content.
    #[test]
    fn the_demo_tracking_content_follows_the_rules_of_the_forms() {
        let tracking = DemoTracking::shipped().expect("tracking.toml parses");
        let catalogue = Catalogue::shipped().expect("catalogue parses");
        assert_eq!(tracking.coalitions.len(), 18, "one entry per coalition");
        let today = date("2026-11-23");
        let mut codes = std::collections::HashSet::new();
        for c in &tracking.coalitions {
            let entry = catalogue
                .find(&c.slug)
                .unwrap_or_else(|| panic!("{}: not in the catalogue", c.slug));
            let members: Vec<&str> = entry.members.iter().map(|m| m.name.as_str()).collect();
            let slug = &c.slug;
            if let Some(last) = c.stages.last() {
                assert_eq!(last.stage, entry.stage, "{slug}: last stage is the catalogue's");
            }
            for s in &c.stages {
                assert!(date(&s.on) <= today, "{slug}: stage in the future");
            }
            assert!(!c.goals.is_empty(), "{slug}: at least one goal");
            for g in &c.goals {
                date(&g.horizon);
                assert!(!g.qualities.is_empty() && !g.dimensions.is_empty(), "{slug}/{}", g.key);
                for q in &g.qualities {
                    assert!(Quality::from_code(q).is_some(), "{slug}/{}: quality {q}", g.key);
                }
                for d in &g.dimensions {
                    assert!(Dimension::from_code(d).is_some(), "{slug}/{}: dimension {d}", g.key);
                }
                for i in &g.indicators {
                    let code = &i.code;
                    assert!(codes.insert(code.clone()), "{code}: codes are unique");
                    assert!(Level::from_code(&i.level).is_some(), "{code}: level");
                    let measure = Measure::from_code(&i.measure, i.scale_levels.map(|n| n as u8))
                        .unwrap_or_else(|| panic!("{code}: measure {}", i.measure));
                    let direction =
                        Direction::from_code(&i.direction).unwrap_or_else(|| panic!("{code}: direction"));
                    assert!(Combination::from_code(&i.combination).is_some(), "{code}: combination");
                    assert!(
                        ["annuelle", "semestrielle", "trimestrielle", "mensuelle"]
                            .contains(&i.periodicity.as_str()),
                        "{code}: periodicity"
                    );
                    if let Some(owner) = &i.owner {
                        assert!(members.contains(&owner.as_str()), "{code}: owner {owner} is a member");
                    }
                    let baseline = i.baseline.as_ref();
                    if let Some(b) = baseline {
                        let v = value(measure, (&b.value, &b.numerator, &b.denominator, &b.narrative));
                        impact::validate_value(measure, &v).unwrap_or_else(|e| panic!("{code}: baseline {e:?}"));
                        assert!(date(&b.on) <= today, "{code}: baseline in the future");
                    }
                    if measure != Measure::Narrative {
                        let b = baseline.unwrap_or_else(|| panic!("{code}: a baseline"));
                        assert!(i.targets.iter().filter(|t| t.r#final).count() == 1, "{code}: one final target");
                        let base = value(measure, (&b.value, &b.numerator, &b.denominator, &b.narrative));
                        let base = match base {
                            Value::Number(x) => x,
                            Value::Ratio { numerator, denominator } => 100.0 * numerator / denominator,
                            Value::Narrative(_) => panic!("{code}: numeric baseline"),
                        };
                        for t in &i.targets {
                            let target = impact::Target {
                                direction,
                                baseline: base,
                                baseline_date: date(&b.on),
                                target: t.value,
                                target_date: date(&t.on),
                                maintain_tolerance: i.tolerance.unwrap_or(0.0),
                            };
                            target.validate().unwrap_or_else(|e| panic!("{code}: target {} {e:?}", t.on));
                        }
                    }
                    for m in &i.measurements {
                        let v = value(measure, (&m.value, &m.numerator, &m.denominator, &m.narrative));
                        impact::validate_value(measure, &v).unwrap_or_else(|e| panic!("{code}: measurement {} {e:?}", m.on));
                        impact::validate_measurement_date(date(&m.on), today, &[])
                            .unwrap_or_else(|e| panic!("{code}: measurement {} {e:?}", m.on));
                        assert!(["draft", "submitted", "validated"].contains(&m.status.as_str()), "{code}: status");
                    }
                }
            }
            let goal_keys: Vec<&str> = c.goals.iter().map(|g| g.key.as_str()).collect();
            let indicator_codes: Vec<&str> =
                c.goals.iter().flat_map(|g| g.indicators.iter().map(|i| i.code.as_str())).collect();
            for a in &c.actions {
                assert!(Dimension::from_code(&a.dimension).is_some(), "{slug}: action dimension");
                assert!(["a_faire", "en_cours", "fait"].contains(&a.status.as_str()), "{slug}: action status");
                if let Some(owner) = &a.owner {
                    assert!(members.contains(&owner.as_str()), "{slug}: action owner {owner}");
                }
                if let Some(due) = &a.due {
                    date(due);
                }
                for g in &a.goals {
                    assert!(goal_keys.contains(&g.as_str()), "{slug}: action goal {g}");
                }
                for i in &a.indicators {
                    assert!(indicator_codes.contains(&i.as_str()), "{slug}: action indicator {i}");
                }
            }
            for j in &c.journal {
                assert!(
                    ["reset_day", "atelier", "decision", "reunion", "autre"].contains(&j.kind.as_str()),
                    "{slug}: journal kind"
                );
                assert!(date(&j.on) <= today, "{slug}: journal in the future");
            }
            for p in &c.productions {
                assert!(p.url.starts_with("https://"), "{slug}: production link");
                date(&p.on);
            }
        }
    }
}

//! The demo's coalition tracking: for each of the 18 coalitions of seed 001, the stages it
//! went through, its impact goals with their indicators (baseline, targets, measurements),
//! its actions, and its journal and productions, read from `tracking.toml`.
//!
//! The content is fictional but plausible, written from the seeds; it is checked here against
//! the same rules the forms apply, so the demo never shows what a person could not enter.

use crate::domain::Dimension;
use crate::domain::coalition::Stage;
use crate::domain::coalition::actions::ActionStatus;
use crate::domain::coalition::journal::{EntryKind, Licence};
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
    pub stage: Stage,
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
    pub status: MeasurementStatus,
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
    pub dimension: Dimension,
    /// The name of a member of the coalition in the catalogue.
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: ActionStatus,
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoJournalEntry {
    pub kind: EntryKind,
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
    pub licence: Licence,
    pub on: String,
    #[serde(default)]
    pub description: String,
}

fn cc_by() -> Licence {
    Licence::CcBy
}

impl DemoTracking {
    /// The shipped content; a failure is a defect the unit tests catch.
    pub fn shipped() -> Result<DemoTracking, toml::de::Error> {
        toml::from_str(TRACKING_TOML)
    }
}

// --- Loading -----------------------------------------------------------------------------------

use crate::db::{self, AnyExecutor};
use crate::domain::coalition::ActorType;
use crate::domain::coalition::catalogue::CatalogueCoalition;
use crate::domain::indicator::measurement::MeasurementStatus;

/// The kind of organisation a catalogue member is recorded as, from its actor type.
fn organisation_kind(actor_type: ActorType, name: &str) -> &'static str {
    match actor_type {
        ActorType::Collectivite if name.starts_with("Ville") => "commune",
        ActorType::Collectivite if name.starts_with("Région") => "region",
        ActorType::Collectivite if name.starts_with("Département") => "departement",
        ActorType::Collectivite => "intercommunalite",
        ActorType::Etat => "etat",
        ActorType::Entreprise => "entreprise",
        ActorType::Recherche => "recherche",
        ActorType::Association => "association",
    }
}

/// `date` plus some days, as a timestamp: when a demo figure was entered or validated.
fn stamp(date: &str, days: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(date, format)
        .map(|d| format!("{}T10:00:00Z", d + time::Duration::days(days)))
        .unwrap_or_else(|_| format!("{date}T10:00:00Z"))
}

/// Who entered the demo's figures: the demo lead submits, the demo staff validates.
pub struct DemoPeople<'a> {
    pub lead: &'a str,
    pub staff: &'a str,
}

/// Loads one coalition's members (from the catalogue), stages, goals and indicators with
/// their figures. Every id is derived from a fixed name, so loading twice adds nothing.
pub async fn load_coalition<'c, E>(
    ex: &mut E,
    id: impl Fn(&str) -> String,
    entry: &CatalogueCoalition,
    content: Option<&DemoCoalition>,
    people: &DemoPeople<'_>,
) -> Result<(), sqlx::Error>
where
    for<'e> &'e mut E: AnyExecutor<'e>,
{
    let slug = &entry.slug;
    let coalition_id = id(&format!("coalition:{slug}"));
    let joined_on = content
        .and_then(|c| c.stages.first())
        .map(|s| s.on.as_str())
        .unwrap_or("2020-06-16");
    let mut member_ids = std::collections::HashMap::new();
    for m in &entry.members {
        let organisation_id = id(&format!("member-organisation:{}", m.name));
        db::insert_organisation(
            &mut *ex,
            &db::NewOrganisation {
                id: &organisation_id,
                name: &m.name,
                kind: organisation_kind(m.actor_type, &m.name),
                siren: None,
                departement: None,
                commune_insee: None,
                size_band: None,
                created_at: "2020-06-16T10:00:00Z",
            },
        )
        .await?;
        db::set_in_directory(&mut *ex, &organisation_id, true).await?;
        db::insert_member(
            &mut *ex,
            &db::NewMember {
                id: &id(&format!("member:{slug}:{}", m.name)),
                coalition_id: &coalition_id,
                organisation_id: &organisation_id,
                actor_type: m.actor_type.code(),
                role: m.role.code(),
                joined_on,
                created_at: "2020-06-16T10:00:00Z",
            },
        )
        .await?;
        member_ids.insert(m.name.as_str(), organisation_id);
    }
    let Some(content) = content else {
        return Ok(());
    };
    for (n, s) in content.stages.iter().enumerate() {
        db::insert_stage_change(
            &mut *ex,
            &id(&format!("stage:{slug}:{n}")),
            &coalition_id,
            s.stage.code(),
            &s.on,
            &s.note,
            Some(people.staff),
            &stamp(&s.on, 0),
        )
        .await?;
    }
    for g in &content.goals {
        let goal_id = id(&format!("goal:{slug}:{}", g.key));
        let created = content
            .stages
            .first()
            .map(|s| s.on.as_str())
            .unwrap_or("2021-01-15");
        db::insert_goal(
            &mut *ex,
            &db::NewGoal {
                id: &goal_id,
                coalition_id: &coalition_id,
                statement: &g.statement,
                horizon: &g.horizon,
                qualities: &g.qualities.join(" "),
                dimensions: &g.dimensions.join(" "),
                at: &stamp(created, 30),
            },
        )
        .await?;
        for i in &g.indicators {
            let indicator_id = id(&format!("indicator:{slug}:{}", i.code));
            db::insert_indicator(
                &mut *ex,
                &db::NewIndicator {
                    id: &indicator_id,
                    coalition_id: &coalition_id,
                    goal_id: &goal_id,
                    code: &i.code,
                    name: &i.name,
                    definition: &i.definition,
                    level: &i.level,
                    measure: &i.measure,
                    scale_levels: i.scale_levels,
                    unit: &i.unit,
                    direction: &i.direction,
                    tolerance: i.tolerance,
                    combination: &i.combination,
                    periodicity: &i.periodicity,
                    verification: &i.verification,
                    owner_organisation_id: i
                        .owner
                        .as_deref()
                        .and_then(|o| member_ids.get(o))
                        .map(String::as_str),
                    at: &stamp(created, 30),
                },
            )
            .await?;
            if let Some(b) = &i.baseline {
                db::insert_baseline(
                    &mut *ex,
                    &db::NewBaseline {
                        id: &id(&format!("baseline:{slug}:{}", i.code)),
                        indicator_id: &indicator_id,
                        value: b.value,
                        numerator: b.numerator,
                        denominator: b.denominator,
                        measured_on: &b.on,
                        source: &b.source,
                        reason: "",
                        recorded_by: Some(people.lead),
                        recorded_at: &stamp(&b.on, 45),
                    },
                )
                .await?;
            }
            for t in &i.targets {
                db::upsert_target(
                    &mut *ex,
                    &id(&format!("target:{slug}:{}:{}", i.code, t.on)),
                    &indicator_id,
                    &t.on,
                    t.value,
                    t.r#final,
                    Some(people.lead),
                    &stamp(created, 45),
                )
                .await?;
            }
            for m in &i.measurements {
                let measurement_id = id(&format!("measurement:{slug}:{}:{}", i.code, m.on));
                db::insert_measurement(
                    &mut *ex,
                    &measurement_id,
                    &indicator_id,
                    &m.on,
                    Some(people.lead),
                    &stamp(&m.on, 10),
                )
                .await?;
                // A validated measurement was submitted first, then validated by staff.
                let first_status = match m.status {
                    MeasurementStatus::Draft => MeasurementStatus::Draft,
                    _ => MeasurementStatus::Submitted,
                };
                let mut revisions = vec![(first_status, people.lead, m.comment.as_str(), 10)];
                if m.status == MeasurementStatus::Validated {
                    revisions.push((MeasurementStatus::Validated, people.staff, "", 40));
                }
                for (n, (status, by, comment, days)) in revisions.into_iter().enumerate() {
                    db::append_revision(
                        &mut *ex,
                        &db::NewRevision {
                            measurement_id: &measurement_id,
                            revision: n as i32 + 1,
                            value: m.value,
                            numerator: m.numerator,
                            denominator: m.denominator,
                            narrative: m.narrative.as_deref(),
                            evidence_url: &m.evidence,
                            comment,
                            status,
                            recorded_by: Some(by),
                            recorded_at: &stamp(&m.on, days),
                        },
                    )
                    .await?;
                }
            }
        }
    }
    for (n, a) in content.actions.iter().enumerate() {
        let action_id = id(&format!("action:{slug}:{n}"));
        let at = a
            .due
            .as_deref()
            .map(|d| stamp(d, -90))
            .unwrap_or_else(|| stamp(joined_on, 60));
        db::insert_action(
            &mut *ex,
            &db::NewAction {
                id: &action_id,
                coalition_id: &coalition_id,
                title: &a.title,
                description: &a.description,
                dimension: a.dimension.code(),
                owner_organisation_id: a
                    .owner
                    .as_deref()
                    .and_then(|o| member_ids.get(o))
                    .map(String::as_str),
                due_on: a.due.as_deref(),
                status: a.status.code(),
                created_by: Some(people.lead),
                at: &at,
            },
        )
        .await?;
        for key in &a.goals {
            db::link_action_goal(&mut *ex, &action_id, &id(&format!("goal:{slug}:{key}"))).await?;
        }
        for code in &a.indicators {
            db::link_action_indicator(
                &mut *ex,
                &action_id,
                &id(&format!("indicator:{slug}:{code}")),
            )
            .await?;
        }
    }
    for (n, j) in content.journal.iter().enumerate() {
        db::insert_journal_entry(
            &mut *ex,
            &db::NewJournalEntry {
                id: &id(&format!("journal:{slug}:{n}")),
                coalition_id: &coalition_id,
                kind: j.kind.code(),
                occurred_on: &j.on,
                title: &j.title,
                attendance: j.attendance,
                notes: &j.notes,
                is_public: j.public,
                recorded_by: Some(people.lead),
                recorded_at: &stamp(&j.on, 2),
            },
        )
        .await?;
    }
    for (n, p) in content.productions.iter().enumerate() {
        db::insert_production(
            &mut *ex,
            &db::NewProduction {
                id: &id(&format!("production:{slug}:{n}")),
                coalition_id: &coalition_id,
                title: &p.title,
                url: &p.url,
                licence: p.licence.code(),
                published_on: &p.on,
                description: &p.description,
                recorded_by: Some(people.lead),
                recorded_at: &stamp(&p.on, 1),
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::coalition::catalogue::Catalogue;
    use crate::domain::indicator::{
        self, Combination, Direction, Measure, Periodicity, ResultsChainLevel, Value,
    };
    use crate::domain::{Dimension, Quality};

    fn date(s: &str) -> time::Date {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(s, format).unwrap_or_else(|e| panic!("date {s}: {e}"))
    }

    fn value(
        measure: Measure,
        f: (&Option<f64>, &Option<f64>, &Option<f64>, &Option<String>),
    ) -> Value {
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
                assert_eq!(
                    last.stage, entry.stage,
                    "{slug}: last stage is the catalogue's"
                );
            }
            for s in &c.stages {
                assert!(date(&s.on) <= today, "{slug}: stage in the future");
            }
            assert!(!c.goals.is_empty(), "{slug}: at least one goal");
            for g in &c.goals {
                date(&g.horizon);
                assert!(
                    !g.qualities.is_empty() && !g.dimensions.is_empty(),
                    "{slug}/{}",
                    g.key
                );
                for q in &g.qualities {
                    assert!(
                        Quality::from_code(q).is_some(),
                        "{slug}/{}: quality {q}",
                        g.key
                    );
                }
                for d in &g.dimensions {
                    assert!(
                        Dimension::from_code(d).is_some(),
                        "{slug}/{}: dimension {d}",
                        g.key
                    );
                }
                for i in &g.indicators {
                    let code = &i.code;
                    assert!(codes.insert(code.clone()), "{code}: codes are unique");
                    assert!(
                        ResultsChainLevel::from_code(&i.level).is_some(),
                        "{code}: level"
                    );
                    assert!(
                        Periodicity::from_code(&i.periodicity).is_some(),
                        "{code}: periodicity"
                    );
                    let measure = Measure::from_code(&i.measure, i.scale_levels.map(|n| n as u8))
                        .unwrap_or_else(|| panic!("{code}: measure {}", i.measure));
                    let direction = Direction::from_code(&i.direction)
                        .unwrap_or_else(|| panic!("{code}: direction"));
                    assert!(
                        Combination::from_code(&i.combination).is_some(),
                        "{code}: combination"
                    );
                    assert!(
                        ["annuelle", "semestrielle", "trimestrielle", "mensuelle"]
                            .contains(&i.periodicity.as_str()),
                        "{code}: periodicity"
                    );
                    if let Some(owner) = &i.owner {
                        assert!(
                            members.contains(&owner.as_str()),
                            "{code}: owner {owner} is a member"
                        );
                    }
                    let baseline = i.baseline.as_ref();
                    if let Some(b) = baseline {
                        let v = value(
                            measure,
                            (&b.value, &b.numerator, &b.denominator, &b.narrative),
                        );
                        indicator::validate_value(measure, &v)
                            .unwrap_or_else(|e| panic!("{code}: baseline {e:?}"));
                        assert!(date(&b.on) <= today, "{code}: baseline in the future");
                    }
                    if measure != Measure::Narrative {
                        let b = baseline.unwrap_or_else(|| panic!("{code}: a baseline"));
                        assert!(
                            i.targets.iter().filter(|t| t.r#final).count() == 1,
                            "{code}: one final target"
                        );
                        let base = value(
                            measure,
                            (&b.value, &b.numerator, &b.denominator, &b.narrative),
                        );
                        let base = match base {
                            Value::Number(x) => x,
                            Value::Ratio {
                                numerator,
                                denominator,
                            } => 100.0 * numerator / denominator,
                            Value::Narrative(_) => panic!("{code}: numeric baseline"),
                        };
                        for t in &i.targets {
                            let target = indicator::Trajectory {
                                direction,
                                baseline: base,
                                baseline_date: date(&b.on),
                                target: t.value,
                                target_date: date(&t.on),
                                maintain_tolerance: i.tolerance.unwrap_or(0.0),
                            };
                            target
                                .validate()
                                .unwrap_or_else(|e| panic!("{code}: target {} {e:?}", t.on));
                        }
                    }
                    for m in &i.measurements {
                        let v = value(
                            measure,
                            (&m.value, &m.numerator, &m.denominator, &m.narrative),
                        );
                        indicator::validate_value(measure, &v)
                            .unwrap_or_else(|e| panic!("{code}: measurement {} {e:?}", m.on));
                        indicator::validate_measurement_date(date(&m.on), today, &[])
                            .unwrap_or_else(|e| panic!("{code}: measurement {} {e:?}", m.on));
                    }
                }
            }
            let goal_keys: Vec<&str> = c.goals.iter().map(|g| g.key.as_str()).collect();
            let indicator_codes: Vec<&str> = c
                .goals
                .iter()
                .flat_map(|g| g.indicators.iter().map(|i| i.code.as_str()))
                .collect();
            // Stages, levers, statuses, kinds and licences are the core's values: an
            // unknown one fails when the file is read.
            for a in &c.actions {
                if let Some(owner) = &a.owner {
                    assert!(
                        members.contains(&owner.as_str()),
                        "{slug}: action owner {owner}"
                    );
                }
                if let Some(due) = &a.due {
                    date(due);
                }
                for g in &a.goals {
                    assert!(goal_keys.contains(&g.as_str()), "{slug}: action goal {g}");
                }
                for i in &a.indicators {
                    assert!(
                        indicator_codes.contains(&i.as_str()),
                        "{slug}: action indicator {i}"
                    );
                }
            }
            for j in &c.journal {
                assert!(date(&j.on) <= today, "{slug}: journal in the future");
            }
            for p in &c.productions {
                assert!(p.url.starts_with("https://"), "{slug}: production link");
                date(&p.on);
            }
        }
    }
}

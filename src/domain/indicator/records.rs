//! What is recorded of a coalition's goals and indicators, as the core reads it: the storage
//! decodes its rows into these (codes into enums, text dates into dates, figure columns into
//! a [`Value`]), so that a stored code the core does not know fails at the storage boundary
//! instead of travelling as a string.

use crate::domain::indicator::measurement::MeasurementStatus;
use crate::domain::indicator::{
    Combination, Direction, Measure, Periodicity, ResultsChainLevel, Value,
};
use crate::domain::{Dimension, Quality};
use time::Date;

/// An impact goal of a coalition: what it wants to change, by when, and which qualities
/// and dimensions (levers) it serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: String,
    pub coalition_id: String,
    pub statement: String,
    /// By when, as stored: the form writes a date (`YYYY-MM-DD`); it is only shown, so an
    /// older free text is kept as it is rather than refused.
    pub horizon: String,
    pub qualities: Vec<Quality>,
    pub dimensions: Vec<Dimension>,
}

/// An indicator, as defined by its coalition.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub coalition_id: String,
    pub goal_id: String,
    pub code: String,
    pub name: String,
    pub definition: String,
    pub level: ResultsChainLevel,
    pub measure: Measure,
    pub unit: String,
    pub direction: Direction,
    /// Maintain only: the distance from the baseline still counted as maintained.
    pub tolerance: Option<f64>,
    pub combination: Combination,
    pub periodicity: Periodicity,
    pub verification: String,
    pub owner_organisation_id: Option<String>,
    pub owner_name: Option<String>,
}

/// One baseline of an indicator; every one is kept, the latest recorded applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub id: String,
    pub indicator_id: String,
    pub value: Option<Value>,
    pub measured_on: Date,
    pub source: String,
    /// Why it replaced the former one; empty for the first.
    pub reason: String,
    /// Who recorded it: read inside the coalition only.
    pub recorded_by_name: Option<String>,
    /// ISO-8601 timestamp.
    pub recorded_at: String,
}

/// A target of an indicator on a date: a milestone, or the final one (one at most).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    pub indicator_id: String,
    pub due: Date,
    pub value: f64,
    pub is_final: bool,
}

/// A target as the figures read it: its date, its value, whether it is the final one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Milestone {
    pub due: Date,
    pub value: f64,
    pub is_final: bool,
}

impl Target {
    pub fn milestone(&self) -> Milestone {
        Milestone {
            due: self.due,
            value: self.value,
            is_final: self.is_final,
        }
    }
}

/// What an indicator's targets form showed: every target, as `due=value:final` (final `1`
/// or `0`) joined by `;`. A target set meanwhile replaces that date's, and a final one
/// unmarks the others, so the whole set is compared; it is carried in full so that a
/// refusal can say what changed without anything kept on the server.
pub fn targets_shown(targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| format!("{}={}:{}", t.due, t.value, i32::from(t.is_final)))
        .collect::<Vec<_>>()
        .join(";")
}

/// One revision of a measurement, with the measurement's own fields. Nothing is overwritten:
/// each change of value or status appends one; the highest is the measurement's current
/// state.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRevision {
    pub measurement_id: String,
    pub indicator_id: String,
    pub measured_on: Date,
    pub revision: i32,
    pub value: Option<Value>,
    pub evidence_url: String,
    /// Read inside the coalition only.
    pub comment: String,
    pub status: MeasurementStatus,
    /// Who recorded it (an account id): read inside the coalition only.
    pub recorded_by: Option<String>,
    pub recorded_by_name: Option<String>,
    /// ISO-8601 timestamp.
    pub recorded_at: String,
}

impl MeasurementRevision {
    /// What the public may read of a revision: without who recorded it and its comment.
    pub fn without_names(self) -> MeasurementRevision {
        MeasurementRevision {
            recorded_by: None,
            recorded_by_name: None,
            comment: String::new(),
            ..self
        }
    }
}

impl Value {
    /// The value of a figure's stored columns (the inverse of
    /// [`super::forms::figure_columns`]): a ratio when numerator and denominator are both
    /// there, else a number, else a narrative; `None` when none is.
    pub fn from_columns(
        value: Option<f64>,
        numerator: Option<f64>,
        denominator: Option<f64>,
        narrative: Option<String>,
    ) -> Option<Value> {
        match (value, numerator, denominator, narrative) {
            (_, Some(numerator), Some(denominator), _) => Some(Value::Ratio {
                numerator,
                denominator,
            }),
            (Some(x), ..) => Some(Value::Number(x)),
            (_, _, _, Some(text)) => Some(Value::Narrative(text)),
            _ => None,
        }
    }
}

/// The codes of a space-separated list the core knows, each once, in their order.
pub fn codes<T: Copy + PartialEq>(text: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    let mut found: Vec<T> = Vec::new();
    for value in text.split_whitespace().filter_map(parse) {
        if !found.contains(&value) {
            found.push(value);
        }
    }
    found
}

/// Codes joined by spaces, as stored.
pub fn joined<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| code(*v))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::forms::figure_columns;

    #[test]
    fn a_figure_survives_its_columns() {
        for value in [
            Value::Number(12.5),
            Value::Ratio {
                numerator: 9.0,
                denominator: 20.0,
            },
            Value::Narrative("Atelier tenu".into()),
        ] {
            let (v, n, d, t) = figure_columns(&value);
            assert_eq!(
                Value::from_columns(v, n, d, t.map(str::to_owned)),
                Some(value.clone())
            );
        }
        assert_eq!(Value::from_columns(None, Some(1.0), None, None), None);
    }

    #[test]
    fn a_repeated_code_counts_once_and_an_unknown_one_not_at_all() {
        assert_eq!(
            codes("inclusif inclusif rapide frugal", Quality::from_code),
            vec![Quality::Inclusif, Quality::Frugal]
        );
        assert_eq!(
            joined(&[Dimension::Commande, Dimension::Offre], Dimension::code),
            "commande offre"
        );
    }

    #[test]
    fn the_targets_a_form_showed_are_written_with_final_as_1_or_0() {
        let target = |due: Date, value: f64, is_final: bool| Target {
            id: "t".into(),
            indicator_id: "i".into(),
            due,
            value,
            is_final,
        };
        let shown = targets_shown(&[
            target(time::macros::date!(2025 - 12 - 31), 30.0, false),
            target(time::macros::date!(2026 - 12 - 31), 42.5, true),
        ]);
        assert_eq!(shown, "2025-12-31=30:0;2026-12-31=42.5:1");
    }
}

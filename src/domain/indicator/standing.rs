//! Where an indicator stands: its baseline, targets and counted measurements turned into an
//! actual value, a progress and a status (with the rules of [`crate::domain::indicator`]), and the
//! points of its trajectory chart. Pure: it reads the records it is given
//! ([`crate::domain::indicator::records`]), nothing else.
//!
//! Only validated measurements count in the official figures (progress, status, overview,
//! report); a coalition's own page lists the others with their status, never adds them in.

use crate::domain::indicator::records::{
    Baseline, Indicator, MeasurementRevision, Milestone, Target,
};
use crate::domain::indicator::{
    self, Assessment, Combination, DEFAULT_STATUS_TOLERANCE, Direction, IndicatorError, Measure,
    Value,
};
use time::Date;

/// What is known of an indicator, already parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorHistory {
    pub measure: Measure,
    pub direction: Direction,
    pub combination: Combination,
    /// Maintain only, in the indicator's units.
    pub tolerance: f64,
    pub baseline: Option<(Date, Value)>,
    pub targets: Vec<Milestone>,
    /// The counted (validated) measurements.
    pub measurements: Vec<(Date, Value)>,
}

/// Why an indicator has no progress to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Gap {
    /// A qualitative indicator is read, not measured against a target.
    Narrative,
    NoBaseline,
    NoTarget,
    NoMeasurement,
    /// The stored figures break a rule (a target equal to the baseline…).
    Invalid(IndicatorError),
}

/// Where an indicator stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub baseline: Option<f64>,
    /// The actual value and the date of the latest measurement counted in it.
    pub actual: Option<(Date, f64)>,
    pub final_target: Option<Milestone>,
    /// Progress towards the final target and status on the date of the latest measurement.
    pub assessment: Result<Assessment, Gap>,
}

/// A figure as a number in the indicator's units: a ratio is a percentage.
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(x) => Some(*x),
        Value::Ratio {
            numerator,
            denominator,
        } if *denominator > 0.0 => Some(100.0 * numerator / denominator),
        _ => None,
    }
}

impl IndicatorHistory {
    /// The final target: the one marked final, else the latest.
    pub fn final_target(&self) -> Option<Milestone> {
        self.targets
            .iter()
            .copied()
            .filter(|t| t.is_final)
            .max_by_key(|t| t.due)
            .or_else(|| self.targets.iter().copied().max_by_key(|t| t.due))
    }

    /// The actual value on the latest measured date, with that date.
    pub fn actual(&self) -> Option<(Date, f64)> {
        let last = self.measurements.iter().map(|(d, _)| *d).max()?;
        indicator::combine(self.measure, self.combination, &self.measurements).map(|v| (last, v))
    }

    pub fn standing(&self) -> Standing {
        let baseline = self.baseline.as_ref().and_then(|(_, v)| number(v));
        let actual = self.actual();
        let final_target = self.final_target();
        let assessment = self.assess(baseline, actual, final_target);
        Standing {
            baseline,
            actual,
            final_target,
            assessment,
        }
    }

    fn assess(
        &self,
        baseline: Option<f64>,
        actual: Option<(Date, f64)>,
        target: Option<Milestone>,
    ) -> Result<Assessment, Gap> {
        if self.measure == Measure::Narrative {
            return Err(Gap::Narrative);
        }
        let (Some((baseline_date, _)), Some(baseline)) = (&self.baseline, baseline) else {
            return Err(Gap::NoBaseline);
        };
        let target = target.ok_or(Gap::NoTarget)?;
        let (on, actual) = actual.ok_or(Gap::NoMeasurement)?;
        indicator::Trajectory {
            direction: self.direction,
            baseline,
            baseline_date: *baseline_date,
            target: target.value,
            target_date: target.due,
            maintain_tolerance: self.tolerance,
        }
        .assess(actual, on, DEFAULT_STATUS_TOLERANCE)
        .map_err(Gap::Invalid)
    }

    /// The points of the trajectory chart, by date: the baseline, the targets, and the
    /// actual value as it stood on each measured date.
    pub fn trajectory(&self) -> Vec<TrajectoryPoint> {
        let mut points = Vec::new();
        if let Some((on, value)) = &self.baseline
            && let Some(value) = number(value)
        {
            points.push(TrajectoryPoint {
                on: *on,
                kind: PointKind::Baseline,
                value,
            });
        }
        for t in &self.targets {
            points.push(TrajectoryPoint {
                on: t.due,
                kind: if t.is_final {
                    PointKind::FinalTarget
                } else {
                    PointKind::Milestone
                },
                value: t.value,
            });
        }
        let mut dates: Vec<Date> = self.measurements.iter().map(|(d, _)| *d).collect();
        dates.sort_unstable();
        dates.dedup();
        for on in dates {
            if let Some(value) =
                indicator::actual_at(self.measure, self.combination, &self.measurements, on)
            {
                points.push(TrajectoryPoint {
                    on,
                    kind: PointKind::Actual,
                    value,
                });
            }
        }
        points.sort_by_key(|p| (p.on, p.kind));
        points
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PointKind {
    Baseline,
    Actual,
    Milestone,
    FinalTarget,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectoryPoint {
    pub on: Date,
    pub kind: PointKind,
    pub value: f64,
}

// --- From the records ---------------------------------------------------------------------------

/// Parses a stored `YYYY-MM-DD` date (the first ten characters of a timestamp too).
pub fn parse_date(text: &str) -> Option<Date> {
    crate::domain::parse_date(text.get(..10)?)
}

/// The current revision of each measurement, from revisions ordered by measurement then
/// revision (as the queries return them).
pub fn current_revisions(revisions: &[MeasurementRevision]) -> Vec<&MeasurementRevision> {
    let mut current: Vec<&MeasurementRevision> = Vec::new();
    for r in revisions {
        match current.last_mut() {
            Some(last) if last.measurement_id == r.measurement_id => {
                if r.revision > last.revision {
                    *last = r;
                }
            }
            _ => current.push(r),
        }
    }
    current
}

/// What is known of one indicator, from its records: its current baseline (the latest
/// recorded), its targets and its validated measurements (of the current revisions given).
pub fn history(
    indicator: &Indicator,
    baselines: &[Baseline],
    targets: &[Target],
    revisions: &[&MeasurementRevision],
) -> IndicatorHistory {
    let baseline = baselines
        .iter()
        .rfind(|b| b.indicator_id == indicator.id)
        .and_then(|b| Some((b.measured_on, b.value.clone()?)));
    let targets = targets
        .iter()
        .filter(|t| t.indicator_id == indicator.id)
        .map(Target::milestone)
        .collect();
    let measurements = revisions
        .iter()
        .filter(|r| r.indicator_id == indicator.id && r.status.counts())
        .filter_map(|r| Some((r.measured_on, r.value.clone()?)))
        .collect();
    IndicatorHistory {
        measure: indicator.measure,
        direction: indicator.direction,
        combination: indicator.combination,
        tolerance: indicator.tolerance.unwrap_or(0.0),
        baseline,
        targets,
        measurements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::Status;
    use time::macros::date;

    fn history(direction: Direction, combination: Combination) -> IndicatorHistory {
        IndicatorHistory {
            measure: Measure::Count,
            direction,
            combination,
            tolerance: 0.0,
            baseline: Some((date!(2020 - 12 - 31), Value::Number(10.0))),
            targets: vec![
                Milestone {
                    due: date!(2022 - 12 - 31),
                    value: 30.0,
                    is_final: false,
                },
                Milestone {
                    due: date!(2024 - 12 - 31),
                    value: 50.0,
                    is_final: true,
                },
            ],
            measurements: vec![],
        }
    }

    #[test]
    fn a_last_value_indicator_is_assessed_on_its_latest_measurement() {
        let mut h = history(Direction::Increase, Combination::LastValue);
        h.measurements = vec![
            (date!(2021 - 12 - 31), Value::Number(15.0)),
            (date!(2022 - 12 - 31), Value::Number(30.0)),
        ];
        let s = h.standing();
        assert_eq!(s.actual, Some((date!(2022 - 12 - 31), 30.0)));
        let a = s.assessment.expect("assessed");
        // (30 − 10) / (50 − 10) = 0.5; on 2022-12-31, 730 of 1461 days have passed: 0.4997,
        // so 0.5 is on track.
        assert!((a.progress.fraction - 0.5).abs() < 1e-12);
        assert!((a.expected - 730.0 / 1461.0).abs() < 1e-12);
        assert_eq!(a.status, Status::OnTrack);
    }

    #[test]
    fn a_cumulative_indicator_adds_its_measurements_and_its_trajectory_climbs() {
        let mut h = history(Direction::Increase, Combination::CumulativeSum);
        h.measurements = vec![
            (date!(2021 - 12 - 31), Value::Number(8.0)),
            (date!(2022 - 12 - 31), Value::Number(7.0)),
        ];
        // 8 + 7 = 15: (15 − 10) / 40 = 0.125 against 0.4997 expected: more than 10 points
        // behind, off track.
        let a = h.standing().assessment.expect("assessed");
        assert!((a.progress.fraction - 0.125).abs() < 1e-12);
        assert_eq!(a.status, Status::OffTrack);
        let actual: Vec<f64> = h
            .trajectory()
            .iter()
            .filter(|p| p.kind == PointKind::Actual)
            .map(|p| p.value)
            .collect();
        assert_eq!(actual, vec![8.0, 15.0]);
    }

    #[test]
    fn a_percentage_is_pooled_from_its_counts() {
        let mut h = history(Direction::Increase, Combination::Mean);
        h.measure = Measure::Percentage;
        h.baseline = Some((
            date!(2020 - 12 - 31),
            Value::Ratio {
                numerator: 1.0,
                denominator: 10.0,
            },
        ));
        h.measurements = vec![
            (
                date!(2021 - 12 - 31),
                Value::Ratio {
                    numerator: 10.0,
                    denominator: 40.0,
                },
            ),
            (
                date!(2022 - 12 - 31),
                Value::Ratio {
                    numerator: 30.0,
                    denominator: 60.0,
                },
            ),
        ];
        let s = h.standing();
        assert_eq!(s.baseline, Some(10.0));
        // 40 of 100, not the 37.5 mean of 25 and 50: (40 − 10) / (50 − 10) = 0.75.
        assert_eq!(s.actual, Some((date!(2022 - 12 - 31), 40.0)));
        assert!((s.assessment.expect("assessed").progress.fraction - 0.75).abs() < 1e-12);
    }

    #[test]
    fn a_decreasing_indicator_past_its_target_has_reached_it() {
        let mut h = history(Direction::Decrease, Combination::LastValue);
        h.baseline = Some((date!(2020 - 12 - 31), Value::Number(100.0)));
        h.targets = vec![Milestone {
            due: date!(2024 - 12 - 31),
            value: 60.0,
            is_final: true,
        }];
        h.measurements = vec![(date!(2023 - 12 - 31), Value::Number(55.0))];
        // (55 − 100) / (60 − 100) = 1.125.
        let a = h.standing().assessment.expect("assessed");
        assert!((a.progress.fraction - 1.125).abs() < 1e-12);
        assert_eq!(a.status, Status::Reached);
    }

    #[test]
    fn what_is_missing_is_named() {
        let mut h = history(Direction::Increase, Combination::LastValue);
        assert_eq!(h.standing().assessment, Err(Gap::NoMeasurement));
        h.measurements = vec![(date!(2021 - 12 - 31), Value::Number(15.0))];
        h.targets.clear();
        assert_eq!(h.standing().assessment, Err(Gap::NoTarget));
        h.baseline = None;
        assert_eq!(h.standing().assessment, Err(Gap::NoBaseline));
        h.measure = Measure::Narrative;
        assert_eq!(h.standing().assessment, Err(Gap::Narrative));
        let mut h = history(Direction::Increase, Combination::LastValue);
        h.targets = vec![Milestone {
            due: date!(2024 - 12 - 31),
            value: 10.0,
            is_final: true,
        }];
        h.measurements = vec![(date!(2021 - 12 - 31), Value::Number(15.0))];
        assert_eq!(
            h.standing().assessment,
            Err(Gap::Invalid(IndicatorError::TargetEqualsBaseline))
        );
    }

    #[test]
    fn without_a_target_marked_final_the_latest_one_is_final() {
        let mut h = history(Direction::Increase, Combination::LastValue);
        for t in &mut h.targets {
            t.is_final = false;
        }
        assert_eq!(h.final_target().map(|t| t.due), Some(date!(2024 - 12 - 31)));
    }
}

//! The pure rules of a coalition's indicators: what an indicator measures, how its values
//! over time combine into one actual value, how far it has come from its baseline towards its
//! target, whether that is on track against a straight-line trajectory, and the checks on
//! entered values. A measurement's workflow (draft → submitted → validated) is in
//! [`measurement`]; the stored records, already typed, in [`records`].
//!
//! Everything here is synchronous and free of the web and the database, so that a figure shown
//! to a coalition can be recomputed by hand:
//!
//! - actual value ([`combine`], [`actual_at`]): percentages are kept as numerator and
//!   denominator and pooled as `Σnum / Σden × 100`, never averaged as percentages;
//! - progress ([`progress`]): `(actual − baseline) / (target − baseline)`, not clamped, so a
//!   regression shows as negative and an overshoot as more than 1;
//! - status ([`Trajectory::assess`]): progress against the elapsed share of the period.

pub mod forms;
pub mod measurement;
pub mod records;
pub mod standing;

use crate::domain::i18n::{Lang, LocalizedText};
use serde::{Deserialize, Serialize};
use time::Date;

/// How many points of progress (as a fraction) below the expected trajectory still count as
/// « à risque » rather than « hors trajectoire ».
pub const DEFAULT_STATUS_TOLERANCE: f64 = 0.10;

/// Slack on comparisons of progress, so that figures entered by hand (0.1 + 0.2…) do not
/// flip a status on a rounding error.
const EPSILON: f64 = 1e-9;

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// A number ≥ 0 ([`Value::Number`]): things counted (people trained, services audited)
    /// or a quantity in its unit (kWh, hours).
    Count,
    /// A share, kept as numerator and denominator ([`Value::Ratio`]) so that it can be pooled.
    Percentage,
    /// A level on a scale `1..=levels` ([`Value::Number`], a whole number).
    Ordinal { levels: u8 },
    /// A qualitative account ([`Value::Narrative`]): it has no actual value and no progress.
    Narrative,
}

impl Measure {
    /// The stable code; an ordinal's number of levels is stored beside it.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Count => "count",
            Measure::Percentage => "percentage",
            Measure::Ordinal { .. } => "ordinal",
            Measure::Narrative => "narrative",
        }
    }

    /// The measure of a code; `levels` is required for (and only read by) `ordinal`, which
    /// needs at least 2 levels to be a scale.
    pub fn from_code(code: &str, levels: Option<u8>) -> Option<Measure> {
        match code {
            "count" => Some(Measure::Count),
            "percentage" => Some(Measure::Percentage),
            "ordinal" => levels
                .filter(|&l| l >= 2)
                .map(|levels| Measure::Ordinal { levels }),
            "narrative" => Some(Measure::Narrative),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Measure::Count => lang.pick("Nombre", "Number"),
            Measure::Percentage => lang.pick("Pourcentage", "Percentage"),
            Measure::Ordinal { .. } => lang.pick("Échelle ordinale", "Ordinal scale"),
            Measure::Narrative => lang.pick("Récit qualitatif", "Qualitative narrative"),
        }
    }
}

/// Which way the indicator should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
    Maintain,
}

impl Direction {
    pub const ALL: &'static [Direction] = &[
        Direction::Increase,
        Direction::Decrease,
        Direction::Maintain,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Maintain => "maintain",
        }
    }

    pub fn from_code(code: &str) -> Option<Direction> {
        Direction::ALL.iter().copied().find(|d| d.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Direction::Increase => lang.pick("Augmenter", "Increase"),
            Direction::Decrease => lang.pick("Diminuer", "Decrease"),
            Direction::Maintain => lang.pick("Maintenir", "Maintain"),
        }
    }
}

/// How the values measured over time combine into the indicator's actual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combination {
    /// Flows that add up (people trained each quarter).
    CumulativeSum,
    /// Stocks or states where only the latest reading counts.
    LastValue,
    /// The best reading so far.
    Maximum,
    /// The average reading; for percentages, the pooled ratio.
    Mean,
}

impl Combination {
    pub const ALL: &'static [Combination] = &[
        Combination::CumulativeSum,
        Combination::LastValue,
        Combination::Maximum,
        Combination::Mean,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Combination::CumulativeSum => "cumulative_sum",
            Combination::LastValue => "last_value",
            Combination::Maximum => "maximum",
            Combination::Mean => "mean",
        }
    }

    pub fn from_code(code: &str) -> Option<Combination> {
        Combination::ALL.iter().copied().find(|c| c.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Combination::CumulativeSum => lang.pick("Somme cumulée", "Cumulative sum"),
            Combination::LastValue => lang.pick("Dernière valeur", "Last value"),
            Combination::Maximum => "Maximum",
            Combination::Mean => lang.pick("Moyenne", "Mean"),
        }
    }
}

/// How often an indicator is measured. The codes are French words, as stored since the
/// first release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    Yearly,
    HalfYearly,
    Quarterly,
    Monthly,
}

impl Periodicity {
    pub const ALL: &'static [Periodicity] = &[
        Periodicity::Yearly,
        Periodicity::HalfYearly,
        Periodicity::Quarterly,
        Periodicity::Monthly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Periodicity::Yearly => "annuelle",
            Periodicity::HalfYearly => "semestrielle",
            Periodicity::Quarterly => "trimestrielle",
            Periodicity::Monthly => "mensuelle",
        }
    }

    pub fn from_code(code: &str) -> Option<Periodicity> {
        Periodicity::ALL.iter().copied().find(|p| p.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Periodicity::Yearly => lang.pick("Annuelle", "Yearly"),
            Periodicity::HalfYearly => lang.pick("Semestrielle", "Half-yearly"),
            Periodicity::Quarterly => lang.pick("Trimestrielle", "Quarterly"),
            Periodicity::Monthly => lang.pick("Mensuelle", "Monthly"),
        }
    }
}

/// The level of the results chain an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsChainLevel {
    /// What the coalition produces (workshops held, guides published).
    Output,
    /// What changes for those it reaches (practices adopted).
    Outcome,
    /// The lasting change in society it contributes to.
    Impact,
}

impl ResultsChainLevel {
    pub const ALL: &'static [ResultsChainLevel] = &[
        ResultsChainLevel::Output,
        ResultsChainLevel::Outcome,
        ResultsChainLevel::Impact,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ResultsChainLevel::Output => "output",
            ResultsChainLevel::Outcome => "outcome",
            ResultsChainLevel::Impact => "impact",
        }
    }

    pub fn from_code(code: &str) -> Option<ResultsChainLevel> {
        ResultsChainLevel::ALL
            .iter()
            .copied()
            .find(|l| l.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ResultsChainLevel::Output => lang.pick("Réalisation", "Output"),
            ResultsChainLevel::Outcome => lang.pick("Résultat", "Outcome"),
            ResultsChainLevel::Impact => "Impact",
        }
    }
}

/// One measured value of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Number(f64),
    /// A share as counted: `numerator` out of `denominator` (which must be > 0).
    Ratio {
        numerator: f64,
        denominator: f64,
    },
    Narrative(String),
}

/// The actual value of an indicator from all its measured values, in its own units (a
/// percentage out of 100).
///
/// `None` when there is nothing to combine: no usable value, a narrative measure, or a
/// cumulative sum of ordinal levels (adding levels of a scale means nothing). Values of the
/// wrong kind for the measure, and ratios with a denominator ≤ 0, are skipped: they are
/// refused on entry by [`validate_value`], and skipping them here keeps one bad row from
/// hiding the rest. "Last" is by date; for equal dates, by position in `values`.
pub fn combine(
    measure: Measure,
    combination: Combination,
    values: &[(Date, Value)],
) -> Option<f64> {
    match measure {
        Measure::Narrative => None,
        Measure::Percentage => {
            let ratios: Vec<(Date, f64, f64)> = values
                .iter()
                .filter_map(|(date, value)| match value {
                    Value::Ratio {
                        numerator,
                        denominator,
                    } if *denominator > 0.0 && numerator.is_finite() && denominator.is_finite() => {
                        Some((*date, *numerator, *denominator))
                    }
                    _ => None,
                })
                .collect();
            let percent = |num: f64, den: f64| 100.0 * num / den;
            match combination {
                // Pooling is the only honest mean of shares: 10/40 and 30/60 are 40 out of
                // 100, i.e. 40 %, not the 37.5 % mean of 25 % and 50 %.
                Combination::CumulativeSum | Combination::Mean => {
                    if ratios.is_empty() {
                        return None;
                    }
                    let num: f64 = ratios.iter().map(|r| r.1).sum();
                    let den: f64 = ratios.iter().map(|r| r.2).sum();
                    Some(percent(num, den))
                }
                Combination::LastValue => last_by_date(&ratios).map(|r| percent(r.1, r.2)),
                Combination::Maximum => ratios
                    .iter()
                    .map(|r| percent(r.1, r.2))
                    .max_by(f64::total_cmp),
            }
        }
        Measure::Count | Measure::Ordinal { .. } => {
            let numbers: Vec<(Date, f64, f64)> = values
                .iter()
                .filter_map(|(date, value)| match value {
                    Value::Number(x) if x.is_finite() => Some((*date, *x, 1.0)),
                    _ => None,
                })
                .collect();
            if numbers.is_empty() {
                return None;
            }
            match combination {
                Combination::CumulativeSum => match measure {
                    Measure::Ordinal { .. } => None,
                    _ => Some(numbers.iter().map(|n| n.1).sum()),
                },
                Combination::LastValue => last_by_date(&numbers).map(|n| n.1),
                Combination::Maximum => numbers.iter().map(|n| n.1).max_by(f64::total_cmp),
                Combination::Mean => {
                    Some(numbers.iter().map(|n| n.1).sum::<f64>() / numbers.len() as f64)
                }
            }
        }
    }
}

/// The latest entry by date; among equal dates, the one given last.
fn last_by_date(entries: &[(Date, f64, f64)]) -> Option<&(Date, f64, f64)> {
    entries.iter().fold(None, |best, entry| match best {
        Some(b) if b.0 > entry.0 => Some(b),
        _ => Some(entry),
    })
}

/// The actual value of an indicator on `date`: [`combine`] over the values measured on or
/// before it.
pub fn actual_at(
    measure: Measure,
    combination: Combination,
    values: &[(Date, Value)],
    date: Date,
) -> Option<f64> {
    let until: Vec<(Date, Value)> = values.iter().filter(|(d, _)| *d <= date).cloned().collect();
    combine(measure, combination, &until)
}

/// Why a value, a date or a target is refused; [`IndicatorError::message`] says it in French
/// and English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("the target equals the baseline")]
    TargetEqualsBaseline,
    #[error("the target goes against the direction {}", direction.code())]
    TargetAgainstDirection { direction: Direction },
    #[error("the target date {target_date} is not after the baseline date {baseline_date}")]
    TargetDateNotAfterBaseline {
        baseline_date: Date,
        target_date: Date,
    },
    #[error("the tolerance is negative or not a number")]
    InvalidTolerance,
    #[error("a figure is not a finite number")]
    NotFinite,
    #[error("the denominator is zero or negative")]
    DenominatorNotPositive,
    #[error("the measurement date {date} is in the future")]
    FutureDate { date: Date },
    #[error("the year {year} is locked")]
    LockedYear { year: i32 },
    #[error("the value is not of the kind the measure {} expects", measure.code())]
    WrongKind { measure: Measure },
    #[error("a count cannot be negative")]
    NegativeCount,
    #[error("the ordinal value is not a whole number in 1..={levels}")]
    OrdinalOutOfRange { levels: u8 },
}

impl IndicatorError {
    /// What went wrong, in the person's terms, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            IndicatorError::TargetEqualsBaseline => LocalizedText::new(
                "La cible est égale à la valeur de référence : fixez une cible différente, ou choisissez le sens « maintenir ».",
                "The target equals the baseline: set a different target, or choose the direction “maintain”.",
            ),
            IndicatorError::TargetAgainstDirection { direction } => match direction {
                Direction::Decrease => LocalizedText::new(
                    "La cible est au-dessus de la valeur de référence alors que l'indicateur doit diminuer.",
                    "The target is above the baseline although the indicator should decrease.",
                ),
                _ => LocalizedText::new(
                    "La cible est en dessous de la valeur de référence alors que l'indicateur doit augmenter.",
                    "The target is below the baseline although the indicator should increase.",
                ),
            },
            IndicatorError::TargetDateNotAfterBaseline {
                baseline_date,
                target_date,
            } => LocalizedText::new(
                format!(
                    "La date cible ({target_date}) doit être postérieure à la date de référence ({baseline_date})."
                ),
                format!(
                    "The target date ({target_date}) must be after the baseline date ({baseline_date})."
                ),
            ),
            IndicatorError::InvalidTolerance => LocalizedText::new(
                "La tolérance doit être un nombre positif ou nul.",
                "The tolerance must be a number, zero or more.",
            ),
            IndicatorError::NotFinite => LocalizedText::new(
                "Une valeur n'est pas un nombre valide.",
                "A value is not a valid number.",
            ),
            IndicatorError::DenominatorNotPositive => LocalizedText::new(
                "Le dénominateur doit être strictement positif : un pourcentage de zéro n'existe pas.",
                "The denominator must be greater than zero: there is no percentage of nothing.",
            ),
            IndicatorError::FutureDate { date } => LocalizedText::new(
                format!("La date de mesure ({date}) est dans le futur."),
                format!("The measurement date ({date}) is in the future."),
            ),
            IndicatorError::LockedYear { year } => LocalizedText::new(
                format!(
                    "L'année {year} est clôturée : ses mesures ne peuvent plus être saisies ni modifiées."
                ),
                format!(
                    "The year {year} is locked: its measurements can no longer be entered or changed."
                ),
            ),
            IndicatorError::WrongKind { measure } => match measure {
                Measure::Count => LocalizedText::new(
                    "Cet indicateur se mesure par un nombre : saisissez un nombre.",
                    "This indicator is measured by a number: enter a number.",
                ),
                Measure::Percentage => LocalizedText::new(
                    "Cet indicateur est un pourcentage : saisissez un numérateur et un dénominateur.",
                    "This indicator is a percentage: enter a numerator and a denominator.",
                ),
                Measure::Ordinal { levels } => LocalizedText::new(
                    format!(
                        "Cet indicateur est une échelle : saisissez un niveau de 1 à {levels}."
                    ),
                    format!("This indicator is a scale: enter a level from 1 to {levels}."),
                ),
                Measure::Narrative => LocalizedText::new(
                    "Cet indicateur est qualitatif : saisissez un texte.",
                    "This indicator is qualitative: enter a text.",
                ),
            },
            IndicatorError::NegativeCount => LocalizedText::new(
                "Cette valeur ne peut pas être négative.",
                "This value cannot be negative.",
            ),
            IndicatorError::OrdinalOutOfRange { levels } => LocalizedText::new(
                format!("Le niveau doit être un nombre entier de 1 à {levels}."),
                format!("The level must be a whole number from 1 to {levels}."),
            ),
        }
    }
}

/// Checks a measured value against its indicator's measure.
pub fn validate_value(measure: Measure, value: &Value) -> Result<(), IndicatorError> {
    match (measure, value) {
        (Measure::Count, Value::Number(x)) => {
            if !x.is_finite() {
                Err(IndicatorError::NotFinite)
            } else if *x < 0.0 {
                Err(IndicatorError::NegativeCount)
            } else {
                Ok(())
            }
        }
        (
            Measure::Percentage,
            Value::Ratio {
                numerator,
                denominator,
            },
        ) => {
            if !numerator.is_finite() || !denominator.is_finite() {
                Err(IndicatorError::NotFinite)
            } else if *denominator <= 0.0 {
                Err(IndicatorError::DenominatorNotPositive)
            } else if *numerator < 0.0 {
                Err(IndicatorError::NegativeCount)
            } else {
                Ok(())
            }
        }
        (Measure::Ordinal { levels }, Value::Number(x)) => {
            let whole = x.is_finite() && x.fract() == 0.0;
            if whole && *x >= 1.0 && *x <= f64::from(levels) {
                Ok(())
            } else {
                Err(IndicatorError::OrdinalOutOfRange { levels })
            }
        }
        (Measure::Narrative, Value::Narrative(_)) => Ok(()),
        (measure, _) => Err(IndicatorError::WrongKind { measure }),
    }
}

/// Checks a measurement date: not after `today`, and not in a year whose figures are locked
/// (published or audited).
pub fn validate_measurement_date(
    date: Date,
    today: Date,
    locked_years: &[i32],
) -> Result<(), IndicatorError> {
    if date > today {
        return Err(IndicatorError::FutureDate { date });
    }
    if locked_years.contains(&date.year()) {
        return Err(IndicatorError::LockedYear { year: date.year() });
    }
    Ok(())
}

/// Checks that a target is reachable in its direction: different from the baseline and on
/// the right side of it. A `Maintain` target is not read (see [`progress`]).
pub fn validate_target(
    direction: Direction,
    baseline: f64,
    target: f64,
) -> Result<(), IndicatorError> {
    if !baseline.is_finite() || !target.is_finite() {
        return Err(IndicatorError::NotFinite);
    }
    match direction {
        Direction::Maintain => Ok(()),
        _ if target == baseline => Err(IndicatorError::TargetEqualsBaseline),
        Direction::Increase if target < baseline => {
            Err(IndicatorError::TargetAgainstDirection { direction })
        }
        Direction::Decrease if target > baseline => {
            Err(IndicatorError::TargetAgainstDirection { direction })
        }
        _ => Ok(()),
    }
}

/// A tolerance is a finite number, zero or more.
fn is_tolerance(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

/// How far an indicator has come from its baseline towards its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// `(actual − baseline) / (target − baseline)`; 0 at the baseline, 1 at the target.
    pub fraction: f64,
    /// The same, out of 100.
    pub percent: f64,
}

impl Progress {
    fn of(fraction: f64) -> Progress {
        Progress {
            fraction,
            percent: 100.0 * fraction,
        }
    }
}

/// Progress of `actual` from `baseline` towards `target`.
///
/// Increase and Decrease share the formula `(actual − baseline) / (target − baseline)`: with
/// a target below the baseline both differences are negative, so falling from 100 to 80
/// towards 60 is 0.5. It is not clamped: a move the wrong way is negative, an overshoot is
/// more than 1.
///
/// Maintain has no distance to cover, so its progress is binary: 1 while `|actual −
/// baseline| ≤ maintain_tolerance` (in the indicator's units, percentage points for a
/// percentage), 0 otherwise. The level kept is the baseline; `target` is not read.
/// `maintain_tolerance` is not read for Increase and Decrease.
pub fn progress(
    direction: Direction,
    baseline: f64,
    target: f64,
    actual: f64,
    maintain_tolerance: f64,
) -> Result<Progress, IndicatorError> {
    validate_target(direction, baseline, target)?;
    if !actual.is_finite() {
        return Err(IndicatorError::NotFinite);
    }
    match direction {
        Direction::Maintain => {
            if !is_tolerance(maintain_tolerance) {
                return Err(IndicatorError::InvalidTolerance);
            }
            let kept = (actual - baseline).abs() <= maintain_tolerance + EPSILON;
            Ok(Progress::of(if kept { 1.0 } else { 0.0 }))
        }
        Direction::Increase | Direction::Decrease => {
            Ok(Progress::of((actual - baseline) / (target - baseline)))
        }
    }
}

/// The progress expected on `date` on the straight line from the baseline to the target:
/// the elapsed share of the period in days, clamped to [0, 1].
pub fn expected_progress(
    baseline_date: Date,
    target_date: Date,
    date: Date,
) -> Result<f64, IndicatorError> {
    if target_date <= baseline_date {
        return Err(IndicatorError::TargetDateNotAfterBaseline {
            baseline_date,
            target_date,
        });
    }
    let elapsed = (date - baseline_date).whole_days() as f64;
    let period = (target_date - baseline_date).whole_days() as f64;
    Ok((elapsed / period).clamp(0.0, 1.0))
}

/// Where an indicator stands against its trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
    Reached,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Reached,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Reached => "reached",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::OnTrack => lang.pick("En bonne voie", "On track"),
            Status::AtRisk => lang.pick("À risque", "At risk"),
            Status::OffTrack => lang.pick("Hors trajectoire", "Off track"),
            Status::Reached => lang.pick("Atteint", "Reached"),
        }
    }
}

/// The status of a progress against the expected one (both as fractions): reached at 1,
/// on track at or above expected, at risk within `tolerance` below it, off track beyond.
pub fn status(progress: f64, expected: f64, tolerance: f64) -> Status {
    if progress + EPSILON >= 1.0 {
        Status::Reached
    } else if progress + EPSILON >= expected {
        Status::OnTrack
    } else if progress + EPSILON >= expected - tolerance {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// The straight line an indicator should follow: from its baseline (value and date) to its
/// target (value and date).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trajectory {
    pub direction: Direction,
    pub baseline: f64,
    pub baseline_date: Date,
    pub target: f64,
    pub target_date: Date,
    /// Maintain only: the distance from the baseline still counted as maintained, in the
    /// indicator's units.
    pub maintain_tolerance: f64,
}

/// Progress and status of an indicator on a date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    pub progress: Progress,
    /// The progress the straight line expects on that date, as a fraction.
    pub expected: f64,
    pub status: Status,
}

impl Trajectory {
    /// Checks the values and the period of the trajectory.
    pub fn validate(&self) -> Result<(), IndicatorError> {
        validate_target(self.direction, self.baseline, self.target)?;
        expected_progress(self.baseline_date, self.target_date, self.baseline_date)?;
        if self.direction == Direction::Maintain && !is_tolerance(self.maintain_tolerance) {
            return Err(IndicatorError::InvalidTolerance);
        }
        Ok(())
    }

    /// Progress and status of `actual` on `date`; `tolerance` is the gap of progress below
    /// the expected one still « à risque » (usually [`DEFAULT_STATUS_TOLERANCE`]).
    ///
    /// Maintain does not follow a line: within its tolerance it is on track, and reached
    /// from the target date on (kept until the end); outside it, off track. Being within
    /// tolerance early is not "reached", since the level can still slip.
    pub fn assess(
        &self,
        actual: f64,
        date: Date,
        tolerance: f64,
    ) -> Result<Assessment, IndicatorError> {
        self.validate()?;
        if !is_tolerance(tolerance) {
            return Err(IndicatorError::InvalidTolerance);
        }
        let progress = progress(
            self.direction,
            self.baseline,
            self.target,
            actual,
            self.maintain_tolerance,
        )?;
        let expected = expected_progress(self.baseline_date, self.target_date, date)?;
        let status = match self.direction {
            Direction::Maintain => match (progress.fraction >= 1.0, date >= self.target_date) {
                (true, true) => Status::Reached,
                (true, false) => Status::OnTrack,
                (false, _) => Status::OffTrack,
            },
            Direction::Increase | Direction::Decrease => {
                status(progress.fraction, expected, tolerance)
            }
        };
        Ok(Assessment {
            progress,
            expected,
            status,
        })
    }
}

/// An indicator's unit as it agrees with a figure: units are typed in the plural
/// (« services », « personnes »), and « 1 services » reads wrong. A plain word ending in a
/// plural « s » loses it where the language takes the singular: below 2 in French, exactly 1
/// in English. Units that are not plain words (kWh, « % », « t CO2 ») and words whose « s »
/// is not a plural ending (« mois », « bus ») stay as typed.
pub fn unit_for(value: f64, unit: &str, lang: Lang) -> &str {
    let singular = match lang {
        Lang::Fr => value.abs() < 2.0,
        Lang::En => value.abs() == 1.0,
    };
    let plain_plural = unit.chars().count() >= 4
        && unit.chars().all(char::is_alphabetic)
        && unit.ends_with('s')
        && !["ss", "is", "us"].iter().any(|end| unit.ends_with(end));
    if singular && plain_plural {
        &unit[..unit.len() - 1]
    } else {
        unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn ratio(numerator: f64, denominator: f64) -> Value {
        Value::Ratio {
            numerator,
            denominator,
        }
    }

    /// Baseline 100 mid-2024, target 60 mid-2026: 730 days, so 2025-06-30 is exactly halfway.
    fn decreasing() -> Trajectory {
        Trajectory {
            direction: Direction::Decrease,
            baseline: 100.0,
            baseline_date: date!(2024 - 06 - 30),
            target: 60.0,
            target_date: date!(2026 - 06 - 30),
            maintain_tolerance: 0.0,
        }
    }

    #[test]
    fn a_decreasing_target_halfway_down_at_mid_period_is_on_track() {
        let a = decreasing()
            .assess(80.0, date!(2025 - 06 - 30), DEFAULT_STATUS_TOLERANCE)
            .unwrap();
        assert!(close(a.progress.fraction, 0.5));
        assert!(close(a.progress.percent, 50.0));
        assert!(close(a.expected, 0.5));
        assert_eq!(a.status, Status::OnTrack);
    }

    #[test]
    fn a_move_against_the_direction_gives_negative_progress() {
        let p = progress(Direction::Decrease, 100.0, 60.0, 110.0, 0.0).unwrap();
        assert!(close(p.fraction, -0.25));
    }

    #[test]
    fn a_target_below_the_baseline_with_increase_is_an_error() {
        let direction = Direction::Increase;
        assert_eq!(
            progress(direction, 100.0, 60.0, 80.0, 0.0),
            Err(IndicatorError::TargetAgainstDirection { direction })
        );
        assert_eq!(
            validate_target(Direction::Decrease, 60.0, 100.0),
            Err(IndicatorError::TargetAgainstDirection {
                direction: Direction::Decrease
            })
        );
    }

    #[test]
    fn a_target_equal_to_the_baseline_is_an_error_except_to_maintain() {
        for direction in [Direction::Increase, Direction::Decrease] {
            assert_eq!(
                validate_target(direction, 50.0, 50.0),
                Err(IndicatorError::TargetEqualsBaseline)
            );
        }
        assert_eq!(validate_target(Direction::Maintain, 50.0, 50.0), Ok(()));
        let message = IndicatorError::TargetEqualsBaseline.message();
        assert!(message.fr.contains("cible") && message.en.contains("target"));
    }

    #[test]
    fn maintain_is_on_track_within_tolerance_reached_at_the_end_and_off_track_outside() {
        let target = Trajectory {
            direction: Direction::Maintain,
            maintain_tolerance: 5.0,
            ..decreasing()
        };
        let mid = date!(2025 - 06 - 30);
        let tol = DEFAULT_STATUS_TOLERANCE;
        let within = target.assess(104.0, mid, tol).unwrap();
        assert!(close(within.progress.fraction, 1.0));
        assert_eq!(within.status, Status::OnTrack);
        assert_eq!(
            target
                .assess(96.0, date!(2026 - 07 - 01), tol)
                .unwrap()
                .status,
            Status::Reached
        );
        let outside = target.assess(94.0, mid, tol).unwrap();
        assert!(close(outside.progress.fraction, 0.0));
        assert_eq!(outside.status, Status::OffTrack);
    }

    #[test]
    fn cumulative_and_last_value_indicators_read_the_same_values_differently() {
        let values = [
            (date!(2025 - 03 - 31), Value::Number(10.0)),
            (date!(2025 - 09 - 30), Value::Number(5.0)),
            (date!(2025 - 06 - 30), Value::Number(20.0)),
        ];
        let count = Measure::Count;
        assert_eq!(
            combine(count, Combination::CumulativeSum, &values),
            Some(35.0)
        );
        // Last by date, not by position: September's 5.
        assert_eq!(combine(count, Combination::LastValue, &values), Some(5.0));
        assert_eq!(combine(count, Combination::Maximum, &values), Some(20.0));
        assert!(close(
            combine(count, Combination::Mean, &values).unwrap(),
            35.0 / 3.0
        ));
        // Up to the end of June, September is not yet measured.
        let june = date!(2025 - 06 - 30);
        assert_eq!(
            actual_at(count, Combination::CumulativeSum, &values, june),
            Some(30.0)
        );
        assert_eq!(
            actual_at(count, Combination::LastValue, &values, june),
            Some(20.0)
        );
        assert_eq!(
            actual_at(
                count,
                Combination::LastValue,
                &values,
                date!(2024 - 12 - 31)
            ),
            None
        );
    }

    #[test]
    fn percentages_are_combined_by_numerator_and_denominator_not_averaged() {
        let values = [
            (date!(2025 - 01 - 31), ratio(10.0, 40.0)),
            (date!(2025 - 02 - 28), ratio(30.0, 60.0)),
        ];
        let pct = Measure::Percentage;
        // 40 / 100, not the mean of percentages (25 % + 50 %) / 2 = 37.5 %.
        let cumulative = combine(pct, Combination::CumulativeSum, &values).unwrap();
        assert!(close(cumulative, 40.0));
        assert!(close(
            combine(pct, Combination::Mean, &values).unwrap(),
            40.0
        ));
        assert!(close(
            combine(pct, Combination::LastValue, &values).unwrap(),
            50.0
        ));
        assert!(close(
            combine(pct, Combination::Maximum, &values).unwrap(),
            50.0
        ));
    }

    #[test]
    fn narratives_and_summed_ordinal_levels_have_no_actual_value() {
        let text = [(
            date!(2025 - 01 - 01),
            Value::Narrative("Atelier tenu".into()),
        )];
        assert_eq!(
            combine(Measure::Narrative, Combination::LastValue, &text),
            None
        );
        let levels = [
            (date!(2025 - 01 - 01), Value::Number(2.0)),
            (date!(2025 - 06 - 01), Value::Number(4.0)),
        ];
        let ordinal = Measure::Ordinal { levels: 5 };
        assert_eq!(combine(ordinal, Combination::CumulativeSum, &levels), None);
        assert_eq!(combine(ordinal, Combination::LastValue, &levels), Some(4.0));
    }

    #[test]
    fn status_is_at_risk_within_10_points_below_expected_and_off_track_beyond() {
        let tol = DEFAULT_STATUS_TOLERANCE;
        assert_eq!(status(0.5, 0.5, tol), Status::OnTrack);
        assert_eq!(status(0.45, 0.5, tol), Status::AtRisk);
        assert_eq!(status(0.40, 0.5, tol), Status::AtRisk);
        assert_eq!(status(0.39, 0.5, tol), Status::OffTrack);
        // Baseline 100, target 60: 85 at mid-period is progress 0.375, 12.5 points behind.
        let mid = date!(2025 - 06 - 30);
        let target = decreasing();
        assert_eq!(
            target.assess(85.0, mid, tol).unwrap().status,
            Status::OffTrack
        );
        assert_eq!(
            target.assess(82.0, mid, tol).unwrap().status,
            Status::AtRisk
        );
    }

    #[test]
    fn a_target_met_early_or_overshot_is_reached() {
        let tol = DEFAULT_STATUS_TOLERANCE;
        let early = decreasing()
            .assess(60.0, date!(2024 - 12 - 31), tol)
            .unwrap();
        assert_eq!(early.status, Status::Reached);
        let overshot = decreasing()
            .assess(50.0, date!(2026 - 06 - 30), tol)
            .unwrap();
        assert!(close(overshot.progress.fraction, 1.25));
        assert_eq!(overshot.status, Status::Reached);
    }

    #[test]
    fn expected_progress_is_clamped_to_the_period_and_needs_a_later_target_date() {
        let (start, end) = (date!(2024 - 06 - 30), date!(2026 - 06 - 30));
        assert_eq!(
            expected_progress(start, end, date!(2023 - 01 - 01)),
            Ok(0.0)
        );
        assert_eq!(
            expected_progress(start, end, date!(2027 - 01 - 01)),
            Ok(1.0)
        );
        assert!(matches!(
            expected_progress(end, start, end),
            Err(IndicatorError::TargetDateNotAfterBaseline { .. })
        ));
    }

    #[test]
    fn measurement_dates_in_the_future_or_in_a_locked_year_are_refused() {
        let today = date!(2025 - 06 - 15);
        let locked = [2023];
        assert_eq!(
            validate_measurement_date(date!(2025 - 06 - 15), today, &locked),
            Ok(())
        );
        let future = date!(2025 - 06 - 16);
        assert_eq!(
            validate_measurement_date(future, today, &locked),
            Err(IndicatorError::FutureDate { date: future })
        );
        let err = validate_measurement_date(date!(2023 - 12 - 31), today, &locked).unwrap_err();
        assert_eq!(err, IndicatorError::LockedYear { year: 2023 });
        assert!(err.message().fr.contains("2023") && err.message().en.contains("locked"));
    }

    #[test]
    fn values_of_the_wrong_kind_or_a_zero_denominator_are_refused() {
        assert_eq!(
            validate_value(Measure::Count, &ratio(1.0, 2.0)),
            Err(IndicatorError::WrongKind {
                measure: Measure::Count
            })
        );
        assert_eq!(
            validate_value(Measure::Percentage, &ratio(1.0, 0.0)),
            Err(IndicatorError::DenominatorNotPositive)
        );
        assert_eq!(
            validate_value(Measure::Percentage, &Value::Number(40.0)),
            Err(IndicatorError::WrongKind {
                measure: Measure::Percentage
            })
        );
        let ordinal = Measure::Ordinal { levels: 4 };
        for bad in [0.0, 5.0, 2.5] {
            assert_eq!(
                validate_value(ordinal, &Value::Number(bad)),
                Err(IndicatorError::OrdinalOutOfRange { levels: 4 })
            );
        }
        assert_eq!(validate_value(ordinal, &Value::Number(4.0)), Ok(()));
        assert_eq!(
            validate_value(Measure::Count, &Value::Number(-1.0)),
            Err(IndicatorError::NegativeCount)
        );
        assert_eq!(
            validate_value(Measure::Percentage, &ratio(3.0, 4.0)),
            Ok(())
        );
    }

    #[test]
    fn codes_round_trip_and_labels_exist_in_both_languages() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(*s));
        }
        assert_eq!(Status::OnTrack.label(Lang::Fr), "En bonne voie");
        assert_eq!(Status::OffTrack.label(Lang::Fr), "Hors trajectoire");
        assert_eq!(Status::Reached.label(Lang::En), "Reached");
        for c in Combination::ALL {
            assert_eq!(Combination::from_code(c.code()), Some(*c));
        }
        for d in Direction::ALL {
            assert_eq!(Direction::from_code(d.code()), Some(*d));
        }
        for l in ResultsChainLevel::ALL {
            assert_eq!(ResultsChainLevel::from_code(l.code()), Some(*l));
        }
        for p in Periodicity::ALL {
            assert_eq!(Periodicity::from_code(p.code()), Some(*p));
        }
        assert_eq!(Periodicity::HalfYearly.label(Lang::En), "Half-yearly");
        let ordinal = Measure::Ordinal { levels: 5 };
        assert_eq!(Measure::from_code(ordinal.code(), Some(5)), Some(ordinal));
        assert_eq!(Measure::from_code("ordinal", None), None);
        assert_eq!(Measure::from_code("count", None), Some(Measure::Count));
    }

    #[test]
    fn a_unit_agrees_with_its_figure() {
        assert_eq!(unit_for(1.0, "services", Lang::Fr), "service");
        assert_eq!(unit_for(1.5, "personnes", Lang::Fr), "personne");
        assert_eq!(unit_for(0.0, "exports", Lang::Fr), "export");
        assert_eq!(unit_for(2.0, "services", Lang::Fr), "services");
        assert_eq!(unit_for(11_900.0, "exports", Lang::Fr), "exports");
        assert_eq!(unit_for(1.0, "services", Lang::En), "service");
        assert_eq!(unit_for(0.0, "services", Lang::En), "services");
        assert_eq!(unit_for(1.5, "services", Lang::En), "services");
        for kept in ["kWh", "%", "mois", "bus", "t CO2", "gaz", "ans"] {
            assert_eq!(unit_for(1.0, kept, Lang::Fr), kept);
        }
    }
}

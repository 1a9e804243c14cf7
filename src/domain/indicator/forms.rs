//! What people type to record a coalition's impact goals, indicators, baselines, targets
//! and measurements, parsed into checked values with `TryFrom`-style constructors that
//! return every error at once, each beside its field (see [`FieldErrors`]).

use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::LocalizedText;
use crate::domain::indicator::{
    self, Combination, Direction, IndicatorError, Measure, Periodicity, ResultsChainLevel, Value,
};
use crate::domain::{Dimension, Quality};
use time::Date;

fn add(errors: &mut FieldErrors, field: &str, text: LocalizedText) {
    errors.add(field, text.fr, text.en);
}

pub use crate::domain::parse_date;

/// A number as French or English people type it: `12,5`, `12.5`, `1 200`.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    what: (&str, &str),
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(
            field,
            format!("Indiquez {}.", what.0),
            format!("Enter {}.", what.1),
        );
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!("{max} caractères au plus."),
            format!("{max} characters at most."),
        );
    }
    value.to_owned()
}

fn optional_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(
            field,
            format!("{max} caractères au plus."),
            format!("{max} characters at most."),
        );
    }
    value.to_owned()
}

fn date_field(errors: &mut FieldErrors, field: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.add(field, "Indiquez une date.", "Enter a date.");
        return None;
    }
    match crate::domain::read_date(value) {
        Ok(date) => Some(date),
        Err(crate::domain::DateError::OutOfRange { .. }) => {
            let (fr, en) = crate::domain::out_of_range_message();
            errors.add(field, fr, en);
            None
        }
        Err(crate::domain::DateError::Malformed) => {
            errors.add(
                field,
                "Cette date n'existe pas : utilisez le format AAAA-MM-JJ, par exemple 2026-12-31.",
                "This date does not exist: use the format YYYY-MM-DD, for example 2026-12-31.",
            );
            None
        }
    }
}

/// An http(s) link, or nothing.
pub fn optional_link(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let value = value.trim();
    if !value.is_empty()
        && (!(value.starts_with("https://") || value.starts_with("http://"))
            || value.len() > 500
            || value.contains(char::is_whitespace))
    {
        errors.add(
            field,
            "Le lien doit commencer par https:// (ou http://), sans espace, 500 caractères au plus.",
            "The link must start with https:// (or http://), without spaces, 500 characters at most.",
        );
    }
    value.to_owned()
}

// --- Goals -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalForm {
    pub statement: String,
    pub horizon: String,
    pub qualities: Vec<String>,
    pub dimensions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalData {
    pub statement: String,
    pub horizon: Date,
    pub qualities: Vec<Quality>,
    pub dimensions: Vec<Dimension>,
}

impl GoalData {
    pub fn quality_codes(&self) -> String {
        self.qualities
            .iter()
            .map(|q| q.code())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn dimension_codes(&self) -> String {
        self.dimensions
            .iter()
            .map(|d| d.code())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl TryFrom<GoalForm> for GoalData {
    type Error = FieldErrors;

    fn try_from(form: GoalForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let statement = required_text(
            &mut errors,
            "statement",
            &form.statement,
            1000,
            ("l'objectif d'impact", "the impact goal"),
        );
        let horizon = date_field(&mut errors, "horizon", &form.horizon);
        let mut qualities: Vec<Quality> = form
            .qualities
            .iter()
            .filter_map(|q| Quality::from_code(q))
            .collect();
        qualities.sort();
        qualities.dedup();
        if qualities.is_empty() || qualities.len() != form.qualities.len() {
            errors.add(
                "qualities",
                "Cochez au moins une des 7 qualités que sert cet objectif.",
                "Tick at least one of the 7 qualities this goal serves.",
            );
        }
        let mut dimensions: Vec<Dimension> = form
            .dimensions
            .iter()
            .filter_map(|d| Dimension::from_code(d))
            .collect();
        dimensions.sort();
        dimensions.dedup();
        if dimensions.is_empty() || dimensions.len() != form.dimensions.len() {
            errors.add(
                "dimensions",
                "Cochez au moins un levier : la commande, l'offre ou les usages.",
                "Tick at least one lever: commissioning, supply or uses.",
            );
        }
        match horizon {
            Some(horizon) => errors.into_result(GoalData {
                statement,
                horizon,
                qualities,
                dimensions,
            }),
            None => Err(errors),
        }
    }
}

// --- Indicators ------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorForm {
    pub goal_id: String,
    pub code: String,
    pub name: String,
    pub definition: String,
    pub level: String,
    pub measure: String,
    pub scale_levels: String,
    pub unit: String,
    pub direction: String,
    pub tolerance: String,
    pub combination: String,
    pub periodicity: String,
    pub verification: String,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorData {
    pub goal_id: String,
    pub code: String,
    pub name: String,
    pub definition: String,
    pub level: ResultsChainLevel,
    pub measure: Measure,
    pub unit: String,
    pub direction: Direction,
    pub tolerance: Option<f64>,
    pub combination: Combination,
    pub periodicity: Periodicity,
    pub verification: String,
    pub owner: Option<String>,
}

impl IndicatorData {
    pub fn scale_levels(&self) -> Option<i32> {
        match self.measure {
            Measure::Ordinal { levels } => Some(i32::from(levels)),
            _ => None,
        }
    }
}

impl TryFrom<IndicatorForm> for IndicatorData {
    type Error = FieldErrors;

    fn try_from(form: IndicatorForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = form.code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 20
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            errors.add(
                "code",
                "Donnez un code court : lettres, chiffres, tirets ou points, 20 caractères au plus (par exemple APR-1).",
                "Give a short code: letters, digits, hyphens or dots, 20 characters at most (for example APR-1).",
            );
        }
        let name = required_text(&mut errors, "name", &form.name, 200, ("le nom", "the name"));
        let definition = required_text(
            &mut errors,
            "definition",
            &form.definition,
            2000,
            ("la définition", "the definition"),
        );
        let level = ResultsChainLevel::from_code(&form.level);
        if level.is_none() {
            errors.add(
                "level",
                "Choisissez le niveau : réalisation, résultat ou impact.",
                "Choose the level: output, outcome or impact.",
            );
        }
        let levels = form.scale_levels.trim().parse::<u8>().ok();
        let measure = Measure::from_code(&form.measure, levels.filter(|l| (2..=10).contains(l)));
        if measure.is_none() {
            if form.measure == "ordinal" {
                errors.add(
                    "scale_levels",
                    "Une échelle a de 2 à 10 niveaux : indiquez leur nombre.",
                    "A scale has 2 to 10 levels: enter how many.",
                );
            } else {
                errors.add(
                    "measure",
                    "Choisissez ce que mesure l'indicateur.",
                    "Choose what the indicator measures.",
                );
            }
        }
        let unit = optional_text(&mut errors, "unit", &form.unit, 40);
        let direction = Direction::from_code(&form.direction);
        if direction.is_none() {
            errors.add(
                "direction",
                "Choisissez le sens attendu : augmenter, diminuer ou maintenir.",
                "Choose the expected direction: increase, decrease or maintain.",
            );
        }
        let tolerance = if direction == Some(Direction::Maintain) {
            let t = parse_number(&form.tolerance).filter(|t| *t >= 0.0);
            if t.is_none() {
                errors.add(
                    "tolerance",
                    "Pour un indicateur à maintenir, indiquez l'écart toléré autour de la référence (un nombre positif ou nul).",
                    "For an indicator to maintain, enter the gap allowed around the baseline (a number, zero or more).",
                );
            }
            t
        } else {
            None
        };
        let combination = Combination::from_code(&form.combination);
        if combination.is_none() {
            errors.add(
                "combination",
                "Choisissez comment les mesures se combinent dans le temps.",
                "Choose how measurements combine over time.",
            );
        }
        if let (Some(Measure::Ordinal { .. }), Some(Combination::CumulativeSum)) =
            (measure, combination)
        {
            errors.add(
                "combination",
                "Additionner les niveaux d'une échelle n'a pas de sens : choisissez la dernière valeur, le maximum ou la moyenne.",
                "Adding up the levels of a scale means nothing: choose the last value, the maximum or the mean.",
            );
        }
        let periodicity = Periodicity::from_code(form.periodicity.trim());
        if periodicity.is_none() {
            errors.add(
                "periodicity",
                "Choisissez la périodicité de la mesure.",
                "Choose how often it is measured.",
            );
        }
        let verification = required_text(
            &mut errors,
            "verification",
            &form.verification,
            1000,
            ("le moyen de vérification", "the means of verification"),
        );
        let owner = Some(form.owner.trim().to_owned()).filter(|o| !o.is_empty());
        match (level, measure, direction, combination, periodicity) {
            (Some(level), Some(measure), Some(direction), Some(combination), Some(periodicity)) => {
                errors.into_result(IndicatorData {
                    goal_id: form.goal_id,
                    code,
                    name,
                    definition,
                    level,
                    measure,
                    unit: if measure == Measure::Percentage && unit.is_empty() {
                        "%".to_owned()
                    } else {
                        unit
                    },
                    direction,
                    tolerance,
                    combination,
                    periodicity,
                    verification,
                    owner,
                })
            }
            _ => Err(errors),
        }
    }
}

// --- Figures (baseline and measurement values) -----------------------------------------------

/// The value fields of a form: a number, or a numerator and a denominator, or a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureForm {
    pub value: String,
    pub numerator: String,
    pub denominator: String,
    pub narrative: String,
}

/// Reads the value of the measure's kind and checks it with the rules of [`impact`].
pub fn parse_figure(
    errors: &mut FieldErrors,
    measure: Measure,
    form: &FigureForm,
) -> Option<Value> {
    let value = match measure {
        Measure::Percentage => {
            let numerator = parse_number(&form.numerator);
            let denominator = parse_number(&form.denominator);
            if numerator.is_none() {
                errors.add(
                    "numerator",
                    "Indiquez le numérateur (un nombre).",
                    "Enter the numerator (a number).",
                );
            }
            if denominator.is_none() {
                errors.add(
                    "denominator",
                    "Indiquez le dénominateur (un nombre).",
                    "Enter the denominator (a number).",
                );
            }
            Value::Ratio {
                numerator: numerator?,
                denominator: denominator?,
            }
        }
        Measure::Narrative => {
            let text = required_text(
                errors,
                "narrative",
                &form.narrative,
                5000,
                ("le constat", "the account"),
            );
            if text.is_empty() {
                return None;
            }
            Value::Narrative(text)
        }
        Measure::Count | Measure::Ordinal { .. } => match parse_number(&form.value) {
            Some(x) => Value::Number(x),
            None => {
                add(
                    errors,
                    "value",
                    IndicatorError::WrongKind { measure }.message(),
                );
                return None;
            }
        },
    };
    match indicator::validate_value(measure, &value) {
        Ok(()) => Some(value),
        Err(e) => {
            let field = match (&e, measure) {
                (IndicatorError::DenominatorNotPositive, _) => "denominator",
                (_, Measure::Percentage) => "numerator",
                (_, Measure::Narrative) => "narrative",
                _ => "value",
            };
            add(errors, field, e.message());
            None
        }
    }
}

/// The figure's columns: `(value, numerator, denominator, narrative)`.
pub fn figure_columns(value: &Value) -> (Option<f64>, Option<f64>, Option<f64>, Option<&str>) {
    match value {
        Value::Number(x) => (Some(*x), None, None, None),
        Value::Ratio {
            numerator,
            denominator,
        } => (None, Some(*numerator), Some(*denominator), None),
        Value::Narrative(text) => (None, None, None, Some(text.as_str())),
    }
}

// --- Baselines -------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselineForm {
    pub figure: FigureForm,
    pub measured_on: String,
    pub source: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BaselineData {
    pub value: Value,
    pub measured_on: Date,
    pub source: String,
    pub reason: String,
}

impl BaselineData {
    /// `first`: the indicator has no baseline yet, so no reason is asked.
    pub fn parse(
        form: &BaselineForm,
        measure: Measure,
        first: bool,
        today: Date,
    ) -> Result<BaselineData, FieldErrors> {
        let mut errors = FieldErrors::new();
        if measure == Measure::Narrative {
            errors.add(
                "value",
                "Un indicateur qualitatif n'a pas de valeur de référence.",
                "A qualitative indicator has no baseline.",
            );
            return Err(errors);
        }
        let value = parse_figure(&mut errors, measure, &form.figure);
        let measured_on = date_field(&mut errors, "measured_on", &form.measured_on);
        if let Some(d) = measured_on
            && d > today
        {
            errors.add(
                "measured_on",
                "La référence est une valeur constatée : sa date ne peut pas être dans le futur.",
                "The baseline is an observed value: its date cannot be in the future.",
            );
        }
        let source = required_text(
            &mut errors,
            "source",
            &form.source,
            500,
            ("la source", "the source"),
        );
        let reason = if first {
            optional_text(&mut errors, "reason", &form.reason, 1000)
        } else {
            required_text(
                &mut errors,
                "reason",
                &form.reason,
                1000,
                (
                    "la raison du changement de référence",
                    "why the baseline changes",
                ),
            )
        };
        match (value, measured_on) {
            (Some(value), Some(measured_on)) => errors.into_result(BaselineData {
                value,
                measured_on,
                source,
                reason,
            }),
            _ => Err(errors),
        }
    }
}

// --- Targets ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetForm {
    pub due_on: String,
    pub value: String,
    pub is_final: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetData {
    pub due_on: Date,
    pub value: f64,
    pub is_final: bool,
}

impl TargetData {
    /// `baseline`: the current baseline's date and value (in the indicator's units).
    pub fn parse(
        form: &TargetForm,
        direction: Direction,
        baseline: Option<(Date, f64)>,
    ) -> Result<TargetData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let Some((baseline_date, baseline_value)) = baseline else {
            errors.add(
                "target_value",
                "Enregistrez d'abord la valeur de référence : une cible se mesure à partir d'elle.",
                "Record the baseline first: a target is measured from it.",
            );
            return Err(errors);
        };
        let due_on = date_field(&mut errors, "due_on", &form.due_on);
        if let Some(due) = due_on
            && due <= baseline_date
        {
            add(
                &mut errors,
                "due_on",
                IndicatorError::TargetDateNotAfterBaseline {
                    baseline_date,
                    target_date: due,
                }
                .message(),
            );
        }
        let value = parse_number(&form.value);
        match value {
            None => errors.add(
                "target_value",
                "Indiquez la valeur cible (un nombre).",
                "Enter the target value (a number).",
            ),
            Some(v) => {
                if let Err(e) = indicator::validate_target(direction, baseline_value, v) {
                    add(&mut errors, "target_value", e.message());
                }
            }
        }
        match (due_on, value) {
            (Some(due_on), Some(value)) => errors.into_result(TargetData {
                due_on,
                value,
                is_final: form.is_final,
            }),
            _ => Err(errors),
        }
    }
}

// --- Measurements ----------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasurementForm {
    pub figure: FigureForm,
    pub measured_on: String,
    pub evidence_url: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementData {
    pub value: Value,
    pub measured_on: Date,
    pub evidence_url: String,
    pub comment: String,
}

impl MeasurementData {
    pub fn parse(
        form: &MeasurementForm,
        measure: Measure,
        today: Date,
        locked_years: &[i32],
    ) -> Result<MeasurementData, FieldErrors> {
        let mut errors = FieldErrors::new();
        let value = parse_figure(&mut errors, measure, &form.figure);
        let measured_on = date_field(&mut errors, "measured_on", &form.measured_on);
        if let Some(d) = measured_on
            && let Err(e) = indicator::validate_measurement_date(d, today, locked_years)
        {
            add(&mut errors, "measured_on", e.message());
        }
        let evidence_url = optional_link(&mut errors, "evidence_url", &form.evidence_url);
        let comment = optional_text(&mut errors, "comment", &form.comment, 2000);
        match (value, measured_on) {
            (Some(value), Some(measured_on)) => errors.into_result(MeasurementData {
                value,
                measured_on,
                evidence_url,
                comment,
            }),
            _ => Err(errors),
        }
    }
}

/// A correction of an indicator's wording, as typed: what it is called, what it counts, its
/// unit and how it is verified, with the reason for the change. How it is measured and
/// combined is not corrected here: its measurements were made with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectionForm {
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub verification: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub verification: String,
    /// Why it changed: kept in the indicator's history with the wording it replaced.
    pub reason: String,
}

impl TryFrom<&CorrectionForm> for Correction {
    type Error = FieldErrors;

    fn try_from(form: &CorrectionForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &form.name, 200, ("le nom", "the name"));
        let definition = required_text(
            &mut errors,
            "definition",
            &form.definition,
            2000,
            ("la définition", "the definition"),
        );
        let unit = optional_text(&mut errors, "unit", &form.unit, 40);
        let verification = required_text(
            &mut errors,
            "verification",
            &form.verification,
            2000,
            ("le moyen de vérification", "the means of verification"),
        );
        let reason = required_text(
            &mut errors,
            "reason",
            &form.reason,
            1000,
            (
                "la raison de la correction, gardée dans l'historique",
                "the reason for the correction, kept in the history",
            ),
        );
        errors.into_result(Correction {
            name,
            definition,
            unit,
            verification,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    #[test]
    fn numbers_are_read_with_a_french_comma_and_spaces() {
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("douze"), None);
        assert_eq!(parse_number("NaN"), None);
    }

    #[test]
    fn a_goal_needs_a_statement_a_date_a_quality_and_a_lever() {
        let errors = GoalData::try_from(GoalForm {
            horizon: "2027-02-30".into(),
            qualities: vec!["frugal".into(), "magique".into()],
            ..GoalForm::default()
        })
        .expect_err("refused");
        for field in ["statement", "horizon", "qualities", "dimensions"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let goal = GoalData::try_from(GoalForm {
            statement: " Réduire l'empreinte ".into(),
            horizon: "2027-12-31".into(),
            qualities: vec!["inclusif".into(), "frugal".into()],
            dimensions: vec!["usages".into(), "offre".into()],
        })
        .expect("accepted");
        assert_eq!(goal.statement, "Réduire l'empreinte");
        assert_eq!(goal.quality_codes(), "inclusif frugal");
        assert_eq!(goal.dimension_codes(), "offre usages");
    }

    fn indicator_form() -> IndicatorForm {
        IndicatorForm {
            goal_id: "g".into(),
            code: "apr-1".into(),
            name: "Part des marchés".into(),
            definition: "Marchés avec critères / marchés".into(),
            level: "outcome".into(),
            measure: "percentage".into(),
            scale_levels: String::new(),
            unit: String::new(),
            direction: "increase".into(),
            tolerance: String::new(),
            combination: "last_value".into(),
            periodicity: "annuelle".into(),
            verification: "Registre des marchés".into(),
            owner: String::new(),
        }
    }

    #[test]
    fn an_indicator_is_parsed_with_its_code_in_capitals_and_a_percent_unit() {
        let data = IndicatorData::try_from(indicator_form()).expect("accepted");
        assert_eq!(data.code, "APR-1");
        assert_eq!(data.unit, "%");
        assert_eq!(data.measure, Measure::Percentage);
    }

    #[test]
    fn an_ordinal_scale_cannot_be_added_up_and_needs_its_levels() {
        let mut form = indicator_form();
        form.measure = "ordinal".into();
        form.combination = "cumulative_sum".into();
        form.scale_levels = "5".into();
        let errors = IndicatorData::try_from(form.clone()).expect_err("refused");
        assert!(errors.get("combination").is_some());
        form.scale_levels = "1".into();
        form.combination = "last_value".into();
        let errors = IndicatorData::try_from(form).expect_err("refused");
        assert!(errors.get("scale_levels").is_some());
    }

    #[test]
    fn an_indicator_to_maintain_needs_its_tolerance() {
        let mut form = indicator_form();
        form.direction = "maintain".into();
        assert!(
            IndicatorData::try_from(form.clone())
                .expect_err("refused")
                .get("tolerance")
                .is_some()
        );
        form.tolerance = "2,5".into();
        assert_eq!(
            IndicatorData::try_from(form).expect("accepted").tolerance,
            Some(2.5)
        );
    }

    #[test]
    fn a_percentage_with_a_zero_denominator_is_refused_beside_the_denominator() {
        let form = MeasurementForm {
            figure: FigureForm {
                numerator: "3".into(),
                denominator: "0".into(),
                ..FigureForm::default()
            },
            measured_on: "2025-12-31".into(),
            ..MeasurementForm::default()
        };
        let errors =
            MeasurementData::parse(&form, Measure::Percentage, TODAY, &[]).expect_err("refused");
        assert!(
            errors
                .message("denominator", crate::domain::i18n::Lang::Fr)
                .is_some_and(|m| m.contains("strictement positif"))
        );
    }

    #[test]
    fn a_measurement_in_a_locked_or_future_year_is_refused() {
        let mut form = MeasurementForm {
            figure: FigureForm {
                value: "4".into(),
                ..FigureForm::default()
            },
            measured_on: "2025-06-30".into(),
            evidence_url: "ftp://x".into(),
            ..MeasurementForm::default()
        };
        let errors =
            MeasurementData::parse(&form, Measure::Count, TODAY, &[2025]).expect_err("refused");
        assert!(
            errors
                .message("measured_on", crate::domain::i18n::Lang::Fr)
                .is_some_and(|m| m.contains("clôturée"))
        );
        assert!(errors.get("evidence_url").is_some());
        form.measured_on = "2027-01-01".into();
        form.evidence_url = "https://example.org/preuve".into();
        let errors =
            MeasurementData::parse(&form, Measure::Count, TODAY, &[]).expect_err("refused");
        assert!(
            errors
                .message("measured_on", crate::domain::i18n::Lang::Fr)
                .is_some_and(|m| m.contains("futur"))
        );
        form.measured_on = "2026-06-30".into();
        assert!(MeasurementData::parse(&form, Measure::Count, TODAY, &[2025]).is_ok());
    }

    #[test]
    fn a_target_equal_to_the_baseline_or_against_the_direction_is_refused() {
        let baseline = Some((date!(2020 - 12 - 31), 40.0));
        let form = |value: &str| TargetForm {
            due_on: "2027-12-31".into(),
            value: value.into(),
            is_final: true,
        };
        let equal =
            TargetData::parse(&form("40"), Direction::Decrease, baseline).expect_err("refused");
        assert!(
            equal
                .message("target_value", crate::domain::i18n::Lang::Fr)
                .is_some_and(|m| m.contains("égale"))
        );
        let against =
            TargetData::parse(&form("50"), Direction::Decrease, baseline).expect_err("refused");
        assert!(against.get("target_value").is_some());
        assert!(TargetData::parse(&form("20"), Direction::Decrease, baseline).is_ok());
        assert!(TargetData::parse(&form("20"), Direction::Decrease, None).is_err());
        let early = TargetForm {
            due_on: "2019-12-31".into(),
            ..form("20")
        };
        assert!(
            TargetData::parse(&early, Direction::Decrease, baseline)
                .expect_err("refused")
                .get("due_on")
                .is_some()
        );
    }

    #[test]
    fn a_changed_baseline_needs_a_reason() {
        let form = BaselineForm {
            figure: FigureForm {
                value: "12".into(),
                ..FigureForm::default()
            },
            measured_on: "2021-12-31".into(),
            source: "Enquête".into(),
            reason: String::new(),
        };
        assert!(BaselineData::parse(&form, Measure::Count, true, TODAY).is_ok());
        assert!(
            BaselineData::parse(&form, Measure::Count, false, TODAY)
                .expect_err("refused")
                .get("reason")
                .is_some()
        );
    }

    #[test]
    fn a_correction_needs_its_reason_and_keeps_the_wording_typed() {
        let form = CorrectionForm {
            name: " Marchés responsables ".into(),
            definition: "Les marchés publics avec une clause numérique responsable.".into(),
            unit: "marchés".into(),
            verification: "Registre des marchés".into(),
            reason: String::new(),
        };
        let errors = Correction::try_from(&form).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors.get("reason").is_some());
        let correction = Correction::try_from(&CorrectionForm {
            reason: "Le nom disait « achats ».".into(),
            ..form
        })
        .expect("valid");
        assert_eq!(correction.name, "Marchés responsables");
        assert_eq!(correction.reason, "Le nom disait « achats ».");
    }
}

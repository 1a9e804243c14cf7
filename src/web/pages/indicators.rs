//! A coalition's impact goals and indicators: the goals section of its page, each
//! indicator's page (trajectory chart and table, baseline history, targets, measurements and
//! their revisions), and the forms that record them.

use crate::database::{Baseline, Indicator, MeasurementRevision, TargetRow};
use crate::impact::{Combination, Direction, Measure, Value};
use crate::tracking::{IndicatorHistory, Milestone};
use time::Date;

/// Parses a stored `YYYY-MM-DD` date (the first ten characters of a timestamp too).
pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.get(..10)?, format).ok()
}

/// A stored figure as a value of its measure's kind.
pub fn stored_value(
    measure: Measure,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    narrative: Option<&str>,
) -> Option<Value> {
    match measure {
        Measure::Percentage => Some(Value::Ratio {
            numerator: numerator?,
            denominator: denominator?,
        }),
        Measure::Narrative => narrative.map(|n| Value::Narrative(n.to_owned())),
        Measure::Count | Measure::Ordinal { .. } => value.map(Value::Number),
    }
}

pub fn measure_of(indicator: &Indicator) -> Option<Measure> {
    Measure::from_code(
        &indicator.measure,
        indicator.scale_levels.and_then(|n| u8::try_from(n).ok()),
    )
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

/// What is known of one indicator, from its rows: its current baseline (the latest
/// recorded), its targets and its validated measurements. `None` when its stored codes are
/// unknown (which the forms never let through).
pub fn history(
    indicator: &Indicator,
    baselines: &[Baseline],
    targets: &[TargetRow],
    revisions: &[&MeasurementRevision],
) -> Option<IndicatorHistory> {
    let measure = measure_of(indicator)?;
    let direction = Direction::from_code(&indicator.direction)?;
    let combination = Combination::from_code(&indicator.combination)?;
    let baseline = baselines
        .iter()
        .filter(|b| b.indicator_id == indicator.id)
        .next_back()
        .and_then(|b| {
            let value = stored_value(measure, b.value, b.numerator, b.denominator, None)?;
            Some((parse_date(&b.measured_on)?, value))
        });
    let targets = targets
        .iter()
        .filter(|t| t.indicator_id == indicator.id)
        .filter_map(|t| {
            Some(Milestone {
                due: parse_date(&t.due_on)?,
                value: t.value,
                is_final: t.is_final != 0,
            })
        })
        .collect();
    let measurements = revisions
        .iter()
        .filter(|r| r.indicator_id == indicator.id && r.status == "validated")
        .filter_map(|r| {
            let value = stored_value(
                measure,
                r.value,
                r.numerator,
                r.denominator,
                r.narrative.as_deref(),
            )?;
            Some((parse_date(&r.measured_on)?, value))
        })
        .collect();
    Some(IndicatorHistory {
        measure,
        direction,
        combination,
        tolerance: indicator.tolerance.unwrap_or(0.0),
        baseline,
        targets,
        measurements,
    })
}

use crate::i18n::Lang;
use crate::impact::Status;
use crate::tracking::{Gap, Standing};
use maud::{Markup, html};

/// A figure as people read it: up to one decimal, French or English separators.
pub fn figure(lang: Lang, x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Why an indicator shows no progress, in words.
pub fn gap_label(gap: &Gap, lang: Lang) -> String {
    match gap {
        Gap::Narrative => lang
            .pick("Indicateur qualitatif : se lit dans ses mesures", "Qualitative indicator: read its measurements")
            .to_owned(),
        Gap::NoBaseline => lang.pick("Pas encore de valeur de référence", "No baseline yet").to_owned(),
        Gap::NoTarget => lang.pick("Pas encore de cible", "No target yet").to_owned(),
        Gap::NoMeasurement => lang.pick("Pas encore de mesure validée", "No validated measurement yet").to_owned(),
        Gap::Invalid(e) => e.message().get(lang).to_owned(),
    }
}

/// The status as a word in a coloured badge: the word carries the meaning, the colour only
/// repeats it.
pub fn status_badge(lang: Lang, status: Status) -> Markup {
    html! { span class={ "status status-" (status.code()) } { (status.label(lang)) } }
}

/// Progress towards the final target as a bar with its percentage and status word, or why
/// there is none.
pub fn progress_cell(lang: Lang, standing: &Standing) -> Markup {
    match &standing.assessment {
        Ok(a) => {
            let shown = a.progress.percent.clamp(0.0, 100.0);
            html! {
                div.progress {
                    // An SVG bar: the page's CSP refuses inline styles, not SVG attributes.
                    svg.progress-bar viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                        rect.progress-track width="100" height="8" {}
                        rect class={ "progress-fill fill-" (a.status.code()) } width=(format!("{shown:.0}")) height="8" {}
                    }
                    span.progress-text { (figure(lang, a.progress.percent)) " % · " (status_badge(lang, a.status)) }
                }
            }
        }
        Err(gap) => html! { span.muted { (gap_label(gap, lang)) } },
    }
}

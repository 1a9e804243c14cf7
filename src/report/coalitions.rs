//! The report's coalition sections: the scorecard (each coalition × its indicators with the
//! baseline, the value at the end of the previous year and of the year, the final target,
//! the share achieved and the status), each coalition's actions, members and productions,
//! the qualities × dimensions coverage, and the measurements missing or not validated.
//!
//! Indicator figures follow the rules of [`crate::domain::indicator::standing`] (validated measurements only);
//! counting and joining them per coalition is done with polars. Pure: rows in, frames out.

use crate::db::{Action, Coalition};
use crate::domain::coalition::coverage::Coverage;
use crate::domain::indicator::Status;
use crate::domain::indicator::records::{Baseline, Indicator, MeasurementRevision, Target};
use crate::domain::indicator::standing::IndicatorHistory;
use crate::domain::indicator::standing::{current_revisions, history, parse_date};
use crate::domain::{Dimension, Quality};
use polars::prelude::*;
use time::{Date, Month};

/// Everything the coalition sections read, as stored.
pub struct CoalitionRows {
    pub coalitions: Vec<Coalition>,
    pub indicators: Vec<Indicator>,
    pub baselines: Vec<Baseline>,
    pub targets: Vec<Target>,
    /// Every revision, by measurement and revision.
    pub revisions: Vec<MeasurementRevision>,
    pub actions: Vec<Action>,
    /// `(coalition_id, actor_type)` of current members.
    pub members: Vec<(String, String)>,
    /// `(coalition_id, published_on)` of productions.
    pub productions: Vec<(String, String)>,
}

fn end_of(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// The history as it stood at the end of `year`: measurements dated after it left out.
fn history_until(h: &IndicatorHistory, year: i32) -> IndicatorHistory {
    let end = end_of(year);
    IndicatorHistory {
        measurements: h
            .measurements
            .iter()
            .filter(|(d, _)| *d <= end)
            .cloned()
            .collect(),
        ..h.clone()
    }
}

fn coalition_of<'a>(rows: &'a CoalitionRows, id: &str) -> Option<&'a Coalition> {
    rows.coalitions.iter().find(|c| c.id == id)
}

/// One row per indicator. Columns: `coalition` (slug), `code`, `indicator`, `unit`,
/// `baseline`, `value_previous_year`, `value_year`, `final_target`, `final_target_due`,
/// `achieved_percent`, `status` (on_track, at_risk, off_track, reached, or null).
pub fn scorecard(rows: &CoalitionRows, year: i32) -> PolarsResult<DataFrame> {
    let current = current_revisions(&rows.revisions);
    let mut coalition = Vec::new();
    let mut code = Vec::new();
    let mut name = Vec::new();
    let mut unit = Vec::new();
    let mut baseline = Vec::new();
    let mut previous = Vec::new();
    let mut value = Vec::new();
    let mut target = Vec::new();
    let mut due = Vec::new();
    let mut achieved = Vec::new();
    let mut status: Vec<Option<&str>> = Vec::new();
    let mut ordered: Vec<&Indicator> = rows.indicators.iter().collect();
    let slug = |i: &Indicator| {
        coalition_of(rows, &i.coalition_id)
            .map(|c| c.slug.clone())
            .unwrap_or_default()
    };
    ordered.sort_by_key(|i| (slug(i), i.code.clone()));
    for i in ordered {
        let h = history(i, &rows.baselines, &rows.targets, &current);
        let standing = history_until(&h, year).standing();
        let at_previous = history_until(&h, year - 1);
        coalition.push(slug(i));
        code.push(i.code.clone());
        name.push(i.name.clone());
        unit.push(i.unit.clone());
        baseline.push(standing.baseline);
        previous.push(at_previous.actual().map(|(_, v)| v));
        value.push(standing.actual.map(|(_, v)| v));
        target.push(standing.final_target.map(|t| t.value));
        due.push(standing.final_target.map(|t| t.due.to_string()));
        let assessment = standing.assessment.as_ref().ok();
        achieved.push(assessment.map(|a| (a.progress.percent * 10.0).round() / 10.0));
        status.push(assessment.map(|a| a.status.code()));
    }
    DataFrame::new_infer_height(vec![
        Column::new("coalition".into(), coalition),
        Column::new("code".into(), code),
        Column::new("indicator".into(), name),
        Column::new("unit".into(), unit),
        Column::new("baseline".into(), baseline),
        Column::new("value_previous_year".into(), previous),
        Column::new("value_year".into(), value),
        Column::new("final_target".into(), target),
        Column::new("final_target_due".into(), due),
        Column::new("achieved_percent".into(), achieved),
        Column::new("status".into(), status),
    ])
}

/// Counts of a code column per coalition, one column per code (0 when none).
fn counts_per_coalition(
    frame: DataFrame,
    column: &str,
    codes: &[&str],
    prefix: &str,
) -> PolarsResult<LazyFrame> {
    let aggregations: Vec<Expr> = codes
        .iter()
        .map(|c| {
            col(column)
                .eq(lit(*c))
                .cast(DataType::UInt32)
                .sum()
                .alias(format!("{prefix}{c}"))
        })
        .collect();
    Ok(frame.lazy().group_by([col("coalition")]).agg(aggregations))
}

/// One row per coalition. Columns: `coalition` (slug), `name` (French), `stage`, `members`,
/// `actor_types`, `diversity` (Shannon, normalised to 0–1), `indicators`,
/// `status_on_track`, `status_at_risk`, `status_off_track`, `status_reached`,
/// `actions_a_faire`, `actions_en_cours`, `actions_fait`, `productions_year`, `name_en`.
pub fn coalitions(
    rows: &CoalitionRows,
    scorecard: &DataFrame,
    year: i32,
) -> PolarsResult<DataFrame> {
    let mut slug = Vec::new();
    let mut name = Vec::new();
    let mut name_en = Vec::new();
    let mut stage = Vec::new();
    let mut members = Vec::new();
    let mut types = Vec::new();
    let mut diversity = Vec::new();
    for c in &rows.coalitions {
        let actor_types: Vec<&str> = rows
            .members
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, t)| t.as_str())
            .collect();
        let d = crate::domain::coalition::diversity::diversity(&actor_types);
        slug.push(c.slug.clone());
        name.push(c.name_fr.clone());
        name_en.push(c.name_en.clone());
        stage.push(c.stage.code().to_owned());
        members.push(actor_types.len() as u32);
        types.push(d.types as u32);
        diversity.push((d.normalised * 1000.0).round() / 1000.0);
    }
    let base = DataFrame::new_infer_height(vec![
        Column::new("coalition".into(), slug),
        Column::new("name".into(), name),
        Column::new("stage".into(), stage),
        Column::new("members".into(), members),
        Column::new("actor_types".into(), types),
        Column::new("diversity".into(), diversity),
    ])?;
    // The site shows a coalition's English name in English: the report does too. Last
    // column, so that the columns published before keep their place.
    let english = DataFrame::new_infer_height(vec![
        Column::new(
            "coalition".into(),
            rows.coalitions
                .iter()
                .map(|c| c.slug.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new("name_en".into(), name_en),
    ])?;
    let slug_of = |id: &str| {
        coalition_of(rows, id)
            .map(|c| c.slug.clone())
            .unwrap_or_default()
    };
    let actions = DataFrame::new_infer_height(vec![
        Column::new(
            "coalition".into(),
            rows.actions
                .iter()
                .map(|a| slug_of(&a.coalition_id))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "status".into(),
            rows.actions
                .iter()
                .map(|a| a.status.code().to_owned())
                .collect::<Vec<_>>(),
        ),
    ])?;
    let in_year = |d: &str| parse_date(d).is_some_and(|d| d.year() == year);
    let productions = DataFrame::new_infer_height(vec![Column::new(
        "coalition".into(),
        rows.productions
            .iter()
            .filter(|(_, d)| in_year(d))
            .map(|(id, _)| slug_of(id))
            .collect::<Vec<_>>(),
    )])?;
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
    let indicator_counts = scorecard
        .clone()
        .lazy()
        .group_by([col("coalition")])
        .agg([len().alias("indicators")]);
    let status_counts = counts_per_coalition(scorecard.clone(), "status", &statuses, "status_")?;
    let action_counts = counts_per_coalition(
        actions,
        "status",
        &["a_faire", "en_cours", "fait"],
        "actions_",
    )?;
    let production_counts = productions
        .lazy()
        .group_by([col("coalition")])
        .agg([len().alias("productions_year")]);
    let joined = [
        indicator_counts,
        status_counts,
        action_counts,
        production_counts,
        english.lazy(),
    ]
    .into_iter()
    .fold(base.lazy(), |acc, other| {
        acc.join(
            other,
            [col("coalition")],
            [col("coalition")],
            JoinArgs::new(JoinType::Left),
        )
    });
    let count_columns = [
        "indicators",
        "status_on_track",
        "status_at_risk",
        "status_off_track",
        "status_reached",
        "actions_a_faire",
        "actions_en_cours",
        "actions_fait",
        "productions_year",
    ];
    joined
        .with_columns(
            count_columns
                .iter()
                .map(|c| {
                    col(*c)
                        .cast(DataType::UInt32)
                        .fill_null(lit(0u32))
                        .alias(*c)
                })
                .collect::<Vec<_>>(),
        )
        .sort(["coalition"], SortMultipleOptions::default())
        .collect()
}

/// The qualities × dimensions coverage in long form. Columns: `quality`, `dimension`,
/// `goals`, `indicators`, `actions`.
pub fn coverage_frame(coverage: &Coverage) -> PolarsResult<DataFrame> {
    let mut quality = Vec::new();
    let mut dimension = Vec::new();
    let (mut goals, mut indicators, mut actions) = (Vec::new(), Vec::new(), Vec::new());
    for &q in Quality::ALL {
        for &d in Dimension::ALL {
            quality.push(q.code());
            dimension.push(d.code());
            goals.push(coverage.goals.get(q, d) as u32);
            indicators.push(coverage.indicators.get(q, d) as u32);
            actions.push(coverage.actions.get(q, d) as u32);
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("quality".into(), quality),
        Column::new("dimension".into(), dimension),
        Column::new("goals".into(), goals),
        Column::new("indicators".into(), indicators),
        Column::new("actions".into(), actions),
    ])
}

/// Measurements missing or not validated for the year. Columns: `coalition`, `code`,
/// `issue` (missing: no measurement dated in the year; not_validated: a measurement of the
/// year still draft or submitted), `measurements_not_validated`.
pub fn measurement_gaps(rows: &CoalitionRows, year: i32) -> PolarsResult<DataFrame> {
    let current = current_revisions(&rows.revisions);
    let in_year = |d: &Date| d.year() == year;
    let slug_of = |id: &str| {
        coalition_of(rows, id)
            .map(|c| c.slug.clone())
            .unwrap_or_default()
    };
    let mut coalition = Vec::new();
    let mut code = Vec::new();
    let mut issue = Vec::new();
    let mut pending = Vec::new();
    for i in &rows.indicators {
        let of_year: Vec<&&MeasurementRevision> = current
            .iter()
            .filter(|r| r.indicator_id == i.id && in_year(&r.measured_on))
            .collect();
        let not_validated = of_year.iter().filter(|r| !r.status.counts()).count();
        let problem = if of_year.is_empty() {
            Some("missing")
        } else if not_validated > 0 {
            Some("not_validated")
        } else {
            None
        };
        if let Some(problem) = problem {
            coalition.push(slug_of(&i.coalition_id));
            code.push(i.code.clone());
            issue.push(problem);
            pending.push(not_validated as u32);
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("coalition".into(), coalition),
        Column::new("code".into(), code),
        Column::new("issue".into(), issue),
        Column::new("measurements_not_validated".into(), pending),
    ])?
    .lazy()
    .sort(["coalition", "code"], SortMultipleOptions::default())
    .collect()
}

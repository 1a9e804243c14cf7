//! The years side by side: participation and mean scores of every year the database holds,
//! up to the report's, one row a year (the report's table `participation_and_scores_by_year`
//! and its line charts).
//!
//! Nobody is singled out, with the rules of the rest of the report: a year of fewer than
//! [`MIN_ORGANISATIONS`] organisations publishes no participation figure (`suppressed`), and
//! its scores are those of the organisations with a diagnostic of at least
//! [`MIN_RESPONDENTS`] submitted respondents in the year, withheld when fewer than
//! [`MIN_ORGANISATIONS`] organisations have one (`scores_suppressed`). Those are the
//! organisations the report's distributions and heatmap count for its own year, so that no
//! difference between two published figures is about one organisation. Each organisation
//! counts once: the mean of its diagnostics' means.
//!
//! A year's rows are not a breakdown of a total published elsewhere (each year is its own
//! total), so no complementary suppression is needed between years.

use super::publish::MIN_RESPONDENTS;
use super::{MIN_ORGANISATIONS, quality_column};
use crate::domain::Quality;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A verified organisation's diagnostic in a year, as the database sums it up.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticYear {
    pub year: i32,
    pub diagnostic_id: String,
    pub organisation_id: String,
    /// Responses counted in the year (of submission, or of start when not submitted).
    pub started: i64,
    pub submitted: i64,
    /// Mean of its submitted responses' index, then of each quality in display order.
    pub means: Vec<Option<f64>>,
}

/// The score columns of the table: `index`, then `q_<quality>` in display order.
pub fn score_columns() -> Vec<String> {
    let mut columns = vec![super::INDEX.to_owned()];
    columns.extend(Quality::ALL.iter().map(|&q| quality_column(q)));
    columns
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// One row a year, from the first year of `rows` to `to_year` (a year without any response
/// in between gets a row with no participation, so that the line shows the gap).
///
/// Columns: `year`, `organisations` (distinct organisations with a response, started or
/// submitted), `organisations_submitted`, `started`, `submitted`, `completion_rate`,
/// `suppressed` (participation withheld), `organisations_scored` (organisations with a
/// diagnostic of at least [`MIN_RESPONDENTS`] submitted respondents), `index`, the 7
/// `q_<quality>` (means of those organisations, out of 100), `scores_suppressed`.
pub fn participation_and_scores_by_year(
    rows: &[DiagnosticYear],
    to_year: i32,
) -> PolarsResult<DataFrame> {
    let width = score_columns().len();
    let Some(first) = rows.iter().map(|r| r.year).filter(|&y| y <= to_year).min() else {
        return empty(width);
    };
    let years: Vec<i32> = (first..=to_year).collect();
    let mut organisations: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
    let mut submitters: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
    let mut started: BTreeMap<i32, i64> = BTreeMap::new();
    let mut submitted: BTreeMap<i32, i64> = BTreeMap::new();
    // (year, organisation) → the means of its diagnostics of enough respondents.
    let mut scored: BTreeMap<(i32, &str), Vec<&[Option<f64>]>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.year <= to_year) {
        organisations
            .entry(r.year)
            .or_default()
            .insert(&r.organisation_id);
        if r.submitted > 0 {
            submitters
                .entry(r.year)
                .or_default()
                .insert(&r.organisation_id);
        }
        *started.entry(r.year).or_default() += r.started;
        *submitted.entry(r.year).or_default() += r.submitted;
        if r.submitted >= MIN_RESPONDENTS as i64 {
            scored
                .entry((r.year, r.organisation_id.as_str()))
                .or_default()
                .push(&r.means);
        }
    }
    let large = |n: usize| n as i64 >= MIN_ORGANISATIONS;
    let mut columns: Vec<Column> = Vec::new();
    let count = |map: &BTreeMap<i32, BTreeSet<&str>>, y: i32| map.get(&y).map_or(0, |s| s.len());
    let shown: Vec<bool> = years
        .iter()
        .map(|&y| large(count(&organisations, y)))
        .collect();
    let whole = |f: &dyn Fn(i32) -> i64| -> Vec<Option<i64>> {
        years
            .iter()
            .zip(&shown)
            .map(|(&y, &s)| s.then(|| f(y)))
            .collect()
    };
    columns.push(Column::new("year".into(), years.clone()));
    columns.push(Column::new(
        "organisations".into(),
        whole(&|y| count(&organisations, y) as i64),
    ));
    columns.push(Column::new(
        "organisations_submitted".into(),
        whole(&|y| count(&submitters, y) as i64),
    ));
    columns.push(Column::new(
        "started".into(),
        whole(&|y| started.get(&y).copied().unwrap_or(0)),
    ));
    columns.push(Column::new(
        "submitted".into(),
        whole(&|y| submitted.get(&y).copied().unwrap_or(0)),
    ));
    columns.push(Column::new(
        "completion_rate".into(),
        years
            .iter()
            .zip(&shown)
            .map(|(y, &s)| {
                let begun = started.get(y).copied().unwrap_or(0);
                (s && begun > 0)
                    .then(|| submitted.get(y).copied().unwrap_or(0) as f64 / begun as f64)
            })
            .collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "suppressed".into(),
        shown.iter().map(|s| !s).collect::<Vec<_>>(),
    ));
    // Each organisation once: the mean of its diagnostics, then the mean of organisations.
    let per_year: Vec<Vec<Vec<Option<f64>>>> = years
        .iter()
        .map(|&y| {
            scored
                .range((y, "")..)
                .take_while(|((year, _), _)| *year == y)
                .map(|(_, diagnostics)| {
                    (0..width)
                        .map(|i| {
                            mean(
                                diagnostics
                                    .iter()
                                    .filter_map(|m| m.get(i).copied().flatten()),
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let scores_shown: Vec<bool> = per_year.iter().map(|o| large(o.len())).collect();
    columns.push(Column::new(
        "organisations_scored".into(),
        per_year
            .iter()
            .zip(&scores_shown)
            .map(|(o, &s)| s.then_some(o.len() as i64))
            .collect::<Vec<_>>(),
    ));
    for (i, name) in score_columns().into_iter().enumerate() {
        columns.push(Column::new(
            name.into(),
            per_year
                .iter()
                .zip(&scores_shown)
                .map(|(o, &s)| {
                    if s {
                        mean(o.iter().filter_map(|values| values[i]))
                    } else {
                        None
                    }
                })
                .collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "scores_suppressed".into(),
        scores_shown.iter().map(|s| !s).collect::<Vec<_>>(),
    ));
    DataFrame::new_infer_height(columns)
}

fn empty(width: usize) -> PolarsResult<DataFrame> {
    let none_i64: Vec<Option<i64>> = Vec::new();
    let mut columns = vec![Column::new("year".into(), Vec::<i32>::new())];
    for name in [
        "organisations",
        "organisations_submitted",
        "started",
        "submitted",
    ] {
        columns.push(Column::new(name.into(), none_i64.clone()));
    }
    columns.push(Column::new(
        "completion_rate".into(),
        Vec::<Option<f64>>::new(),
    ));
    columns.push(Column::new("suppressed".into(), Vec::<bool>::new()));
    columns.push(Column::new("organisations_scored".into(), none_i64));
    for name in score_columns().into_iter().take(width) {
        columns.push(Column::new(name.into(), Vec::<Option<f64>>::new()));
    }
    columns.push(Column::new("scores_suppressed".into(), Vec::<bool>::new()));
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{bool_column, f64_column, i64_column};

    fn diagnostic(year: i32, organisation: usize, submitted: i64, index: f64) -> DiagnosticYear {
        let mut means = vec![Some(index)];
        means.extend(Quality::ALL.iter().map(|_| Some(index)));
        DiagnosticYear {
            year,
            diagnostic_id: format!("d{organisation}-{year}"),
            organisation_id: format!("o{organisation}"),
            started: submitted + 1,
            submitted,
            means,
        }
    }

    #[test]
    fn every_year_gets_a_row_and_small_years_say_nothing() {
        let mut rows = Vec::new();
        // 2024: five organisations of three respondents; 2025: four; 2026: six, one of
        // which has two respondents only.
        for o in 0..5 {
            rows.push(diagnostic(2024, o, 3, 40.0));
        }
        for o in 0..4 {
            rows.push(diagnostic(2025, o, 3, 50.0));
        }
        for o in 0..6 {
            rows.push(diagnostic(
                2026,
                o,
                if o == 5 { 2 } else { 3 },
                60.0 + o as f64,
            ));
        }
        // A year after the report's is not in it.
        rows.push(diagnostic(2027, 0, 3, 99.0));
        let df = participation_and_scores_by_year(&rows, 2026).expect("table");
        assert_eq!(
            i64_column(&df, "year").expect("years"),
            vec![Some(2024), Some(2025), Some(2026)]
        );
        assert_eq!(
            i64_column(&df, "organisations").expect("n"),
            vec![Some(5), None, Some(6)]
        );
        assert_eq!(
            bool_column(&df, "suppressed").expect("flags"),
            vec![Some(false), Some(true), Some(false)]
        );
        // 2026: six organisations took part, but only five have three respondents: their
        // scores are shown, the sixth's two people are not in the mean.
        assert_eq!(
            i64_column(&df, "organisations_scored").expect("n"),
            vec![Some(5), None, Some(5)]
        );
        assert_eq!(
            f64_column(&df, "index").expect("index"),
            vec![Some(40.0), None, Some(62.0)]
        );
        assert_eq!(
            bool_column(&df, "scores_suppressed").expect("flags"),
            vec![Some(false), Some(true), Some(false)]
        );
    }

    #[test]
    fn an_organisation_with_two_diagnostics_counts_once() {
        let mut rows: Vec<DiagnosticYear> = (0..4).map(|o| diagnostic(2026, o, 3, 50.0)).collect();
        let mut second = diagnostic(2026, 0, 3, 70.0);
        second.diagnostic_id = "d0-bis".into();
        rows.push(second);
        let df = participation_and_scores_by_year(&rows, 2026).expect("table");
        // Four organisations, not five: withheld, however many diagnostics they ran.
        assert_eq!(i64_column(&df, "organisations").expect("n"), vec![None]);
        assert_eq!(f64_column(&df, "index").expect("index"), vec![None]);
        rows.push(diagnostic(2026, 9, 3, 50.0));
        let df = participation_and_scores_by_year(&rows, 2026).expect("table");
        // o0 weighs once, with the mean of its two diagnostics (60).
        assert_eq!(
            f64_column(&df, "index").expect("index"),
            vec![Some((60.0 + 4.0 * 50.0) / 5.0)]
        );
    }

    #[test]
    fn no_response_gives_an_empty_table_with_its_columns() {
        let df = participation_and_scores_by_year(&[], 2026).expect("table");
        assert_eq!(df.height(), 0);
        assert!(df.column("scores_suppressed").is_ok());
    }
}

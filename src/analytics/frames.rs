//! The response frame: one row per response to an organisation's diagnostic, with its
//! stored scores, built column by column from plain rows so that a million responses never
//! sit in memory twice.
//!
//! Columns (in order): `response_id`, `diagnostic_id`, `organisation_id`, `organisation_kind`,
//! `departement` (nullable), `questionnaire_slug`, `questionnaire_version`,
//! `respondent_role` (strings); `year` (the year the response counts in: of submission, or of
//! start when not submitted), `started_year`, `started_month` (i32); `submitted` (bool);
//! `submitted_year`, `submitted_month` (i32, null when not submitted); `index`, the 7
//! `q_<quality>`, the 3 `d_<dimension>`, the 21 `c_<quality>_<dimension>` (f64 out of 100,
//! null when not submitted or undefined) and `coverage` (f64 in [0, 1], null when not
//! submitted).

use super::score_columns;
use crate::scoring::Scores;
use polars::prelude::*;

/// A response as the database hands it over.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    pub response_id: String,
    pub diagnostic_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub departement: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
    pub respondent_role: String,
    /// ISO-8601 text, as stored.
    pub started_at: String,
    pub submitted_at: Option<String>,
    /// The stored scores; `None` when not submitted.
    pub scores: Option<Scores>,
}

/// `(year, month)` of an ISO-8601 date or timestamp.
fn year_month(iso: &str) -> (i32, i32) {
    let year = iso.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let month = iso.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    (year, month)
}

/// Accumulates rows into columns.
#[derive(Debug, Default)]
pub struct FrameBuilder {
    strings: [Vec<String>; 8],
    departement: Vec<Option<String>>,
    year: Vec<i32>,
    started_year: Vec<i32>,
    started_month: Vec<i32>,
    submitted: Vec<bool>,
    submitted_year: Vec<Option<i32>>,
    submitted_month: Vec<Option<i32>>,
    scores: Vec<Vec<Option<f64>>>,
    coverage: Vec<Option<f64>>,
}

const STRING_COLUMNS: [&str; 8] = [
    "response_id",
    "diagnostic_id",
    "organisation_id",
    "organisation_kind",
    "questionnaire_slug",
    "questionnaire_version",
    "respondent_role",
    // Placeholder slot, unused: `departement` is nullable and kept apart.
    "",
];

impl FrameBuilder {
    pub fn new() -> Self {
        FrameBuilder {
            scores: vec![Vec::new(); score_columns().len()],
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.year.len()
    }

    pub fn is_empty(&self) -> bool {
        self.year.is_empty()
    }

    pub fn push(&mut self, row: ResponseRow) {
        let (started_year, started_month) = year_month(&row.started_at);
        let submitted = row.submitted_at.as_deref().map(year_month);
        let values = [
            row.response_id,
            row.diagnostic_id,
            row.organisation_id,
            row.organisation_kind,
            row.questionnaire_slug,
            row.questionnaire_version,
            row.respondent_role,
        ];
        for (column, value) in self.strings.iter_mut().zip(values) {
            column.push(value);
        }
        self.departement.push(row.departement);
        self.year.push(submitted.map_or(started_year, |s| s.0));
        self.started_year.push(started_year);
        self.started_month.push(started_month);
        self.submitted.push(submitted.is_some());
        self.submitted_year.push(submitted.map(|s| s.0));
        self.submitted_month.push(submitted.map(|s| s.1));
        let scores = row.scores.filter(|_| submitted.is_some());
        let values = scores.as_ref().map(score_values);
        for (i, column) in self.scores.iter_mut().enumerate() {
            column.push(values.as_ref().and_then(|v| v[i]));
        }
        self.coverage.push(scores.as_ref().map(Scores::coverage));
    }

    pub fn finish(self) -> PolarsResult<DataFrame> {
        let mut columns: Vec<Column> = Vec::with_capacity(50);
        let mut strings = self.strings.into_iter();
        for name in &STRING_COLUMNS[..4] {
            columns.push(Column::new(
                (*name).into(),
                strings.next().unwrap_or_default(),
            ));
        }
        columns.push(Column::new("departement".into(), self.departement));
        for name in &STRING_COLUMNS[4..7] {
            columns.push(Column::new(
                (*name).into(),
                strings.next().unwrap_or_default(),
            ));
        }
        columns.push(Column::new("year".into(), self.year));
        columns.push(Column::new("started_year".into(), self.started_year));
        columns.push(Column::new("started_month".into(), self.started_month));
        columns.push(Column::new("submitted".into(), self.submitted));
        columns.push(Column::new("submitted_year".into(), self.submitted_year));
        columns.push(Column::new("submitted_month".into(), self.submitted_month));
        for (name, values) in score_columns().into_iter().zip(self.scores) {
            columns.push(Column::new(name.into(), values));
        }
        columns.push(Column::new("coverage".into(), self.coverage));
        DataFrame::new_infer_height(columns)
    }
}

/// The scores in the order of [`score_columns`].
pub fn score_values(s: &Scores) -> Vec<Option<f64>> {
    let mut values = Vec::with_capacity(32);
    values.push(s.overall);
    values.extend(s.qualities);
    values.extend(s.dimensions);
    for row in &s.cells {
        values.extend(row);
    }
    values
}

/// The frame of these rows (see the module's documentation for its columns).
pub fn responses_frame(rows: impl IntoIterator<Item = ResponseRow>) -> PolarsResult<DataFrame> {
    let mut builder = FrameBuilder::new();
    for row in rows {
        builder.push(row);
    }
    builder.finish()
}

/// The responses that count in `year`.
pub fn of_year(frame: LazyFrame, year: i32) -> LazyFrame {
    frame.filter(col("year").eq(lit(year)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{DIMENSION_COUNT, QUALITY_COUNT};

    /// Scores where every quality, dimension and cell is `value` (None for all undefined).
    pub fn flat_scores(value: Option<f64>, answered: usize, scored: usize) -> Scores {
        Scores {
            qualities: [value; QUALITY_COUNT],
            dimensions: [value; DIMENSION_COUNT],
            cells: [[value; DIMENSION_COUNT]; QUALITY_COUNT],
            overall: value,
            answered,
            scored,
        }
    }

    /// A row of an organisation; submitted with these scores when `scores` is given.
    pub fn row(
        id: &str,
        organisation: &str,
        kind: &str,
        departement: &str,
        year: i32,
        month: u32,
        scores: Option<Scores>,
    ) -> ResponseRow {
        ResponseRow {
            response_id: id.to_owned(),
            diagnostic_id: format!("{organisation}:{year}"),
            organisation_id: organisation.to_owned(),
            organisation_kind: kind.to_owned(),
            departement: Some(departement.to_owned()),
            questionnaire_slug: "territoires".to_owned(),
            questionnaire_version: "v1".to_owned(),
            respondent_role: "agent".to_owned(),
            started_at: format!("{year}-{month:02}-01T09:00:00Z"),
            submitted_at: scores
                .as_ref()
                .map(|_| format!("{year}-{month:02}-02T09:00:00Z")),
            scores,
        }
    }

    #[test]
    fn a_frame_has_one_row_per_response_and_every_documented_column() {
        let mut scores = flat_scores(Some(40.0), 3, 4);
        scores.qualities[1] = None;
        let df = responses_frame(vec![
            row("r1", "o1", "commune", "45", 2026, 3, Some(scores)),
            row("r2", "o1", "commune", "45", 2025, 11, None),
        ])
        .expect("frame");
        assert_eq!(df.height(), 2);
        assert_eq!(df.width(), 14 + 32 + 1);
        assert_eq!(
            crate::analytics::f64_column(&df, "q_frugal").expect("column"),
            vec![None, None]
        );
        assert_eq!(
            crate::analytics::f64_column(&df, "q_inclusif").expect("column"),
            vec![Some(40.0), None]
        );
        assert_eq!(
            crate::analytics::f64_column(&df, "coverage").expect("column"),
            vec![Some(0.75), None]
        );
        assert_eq!(
            crate::analytics::i64_column(&df, "submitted_month").expect("column"),
            vec![Some(3), None]
        );
        assert_eq!(
            crate::analytics::i64_column(&df, "year").expect("column"),
            vec![Some(2026), Some(2025)]
        );
    }
}

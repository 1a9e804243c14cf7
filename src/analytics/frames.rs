//! The response frame: one row per response to an organisation's diagnostic, with its
//! stored scores.
//!
//! The database hands three things over, each read in one pass: the responses of the years
//! (who answered which diagnostic, when), the stored scores (by response), and the
//! organisations' diagnostics. Each goes straight into polars columns ([`ResponsesBuilder`],
//! [`ScoresBuilder`], [`diagnostics_frame`]) and [`assemble`] joins them, so that a million
//! responses never sit in memory as rows, and the database never joins a million rows itself.
//!
//! Columns (in order): `response_id`, `diagnostic_id`, `organisation_id`, `organisation_kind`,
//! `departement` (nullable), `questionnaire_slug`, `questionnaire_version`,
//! `respondent_role` (strings); `year` (the year the response counts in: of submission, or of
//! start when not submitted), `started_year`, `started_month` (i32); `submitted` (bool);
//! `submitted_year`, `submitted_month` (i32, null when not submitted); the score columns of
//! its [`ScoresBuilder`]: for [`responses_frame`] all of them (`index`, the 7
//! `q_<quality>`, the 3 `d_<dimension>`, the 21 `c_<quality>_<dimension>`), for the yearly
//! figures read from the database only the 7 `q_<quality>` ([`progress_score_columns`])
//! (f64 out of 100, null when not submitted or undefined); and `coverage` (f64 in [0, 1],
//! null when not submitted). Rows keep the order the responses were read in (by response id).

use super::{quality_column, score_columns};
use crate::domain::Quality;
use crate::domain::scoring::Scores;
use polars::prelude::*;
use polars_ops::frame::MaintainOrderJoin;

/// A response as the database lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseListing<'a> {
    pub response_id: &'a str,
    pub diagnostic_id: &'a str,
    pub respondent_role: &'a str,
    /// ISO-8601 text, as stored.
    pub started_at: &'a str,
    pub submitted_at: Option<&'a str>,
}

/// An organisation's diagnostic, with what the frame says of its organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticListing {
    pub diagnostic_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub departement: Option<String>,
    pub questionnaire_slug: String,
    pub questionnaire_version: String,
}

/// A response with everything the frame holds of it, in one piece (tests and small callers).
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

type F64Builder = PrimitiveChunkedBuilder<Float64Type>;
type I32Builder = PrimitiveChunkedBuilder<Int32Type>;

/// Accumulates the listed responses into columns.
pub struct ResponsesBuilder {
    response_id: StringChunkedBuilder,
    diagnostic_id: StringChunkedBuilder,
    respondent_role: StringChunkedBuilder,
    year: I32Builder,
    started_year: I32Builder,
    started_month: I32Builder,
    submitted: BooleanChunkedBuilder,
    submitted_year: I32Builder,
    submitted_month: I32Builder,
}

impl Default for ResponsesBuilder {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl ResponsesBuilder {
    pub fn with_capacity(n: usize) -> Self {
        ResponsesBuilder {
            response_id: StringChunkedBuilder::new("response_id".into(), n),
            diagnostic_id: StringChunkedBuilder::new("diagnostic_id".into(), n),
            respondent_role: StringChunkedBuilder::new("respondent_role".into(), n),
            year: I32Builder::new("year".into(), n),
            started_year: I32Builder::new("started_year".into(), n),
            started_month: I32Builder::new("started_month".into(), n),
            submitted: BooleanChunkedBuilder::new("submitted".into(), n),
            submitted_year: I32Builder::new("submitted_year".into(), n),
            submitted_month: I32Builder::new("submitted_month".into(), n),
        }
    }

    pub fn push(&mut self, r: ResponseListing<'_>) {
        let (started_year, started_month) = year_month(r.started_at);
        let submitted = r.submitted_at.map(year_month);
        self.response_id.append_value(r.response_id);
        self.diagnostic_id.append_value(r.diagnostic_id);
        self.respondent_role.append_value(r.respondent_role);
        self.year
            .append_value(submitted.map_or(started_year, |s| s.0));
        self.started_year.append_value(started_year);
        self.started_month.append_value(started_month);
        self.submitted.append_value(submitted.is_some());
        self.submitted_year.append_option(submitted.map(|s| s.0));
        self.submitted_month.append_option(submitted.map(|s| s.1));
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            self.response_id.finish().into_column(),
            self.diagnostic_id.finish().into_column(),
            self.respondent_role.finish().into_column(),
            self.year.finish().into_column(),
            self.started_year.finish().into_column(),
            self.started_month.finish().into_column(),
            self.submitted.finish().into_column(),
            self.submitted_year.finish().into_column(),
            self.submitted_month.finish().into_column(),
        ])
    }
}

/// The score columns the yearly figures take from the response frame: the quality scores,
/// which the paired progress averages per organisation and year. Every other figure of
/// scores (distributions, heatmaps, the diagnostics table) comes from the diagnostics'
/// collective scores, and coverage is read apart; so the database is asked for these only.
pub fn progress_score_columns() -> Vec<String> {
    Quality::ALL.iter().map(|&q| quality_column(q)).collect()
}

/// Accumulates stored scores into columns, keyed by response.
pub struct ScoresBuilder {
    response_id: StringChunkedBuilder,
    names: Vec<String>,
    scores: Vec<F64Builder>,
    coverage: F64Builder,
}

impl Default for ScoresBuilder {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl ScoresBuilder {
    /// Every score column of [`score_columns`].
    pub fn with_capacity(n: usize) -> Self {
        Self::of_columns(score_columns(), n)
    }

    /// These score columns only (names of [`score_columns`]), in this order.
    pub fn of_columns(names: Vec<String>, n: usize) -> Self {
        ScoresBuilder {
            // Named apart from the responses' column until the join.
            response_id: StringChunkedBuilder::new("scored_response_id".into(), n),
            scores: names
                .iter()
                .map(|name| F64Builder::new(name.as_str().into(), n))
                .collect(),
            names,
            coverage: F64Builder::new("coverage".into(), n),
        }
    }

    /// The score columns this builder holds, in order.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// The scores of a response, in the order of [`Self::columns`], and its coverage.
    pub fn push(&mut self, response_id: &str, values: &[Option<f64>], coverage: f64) {
        self.response_id.append_value(response_id);
        for (column, value) in self.scores.iter_mut().zip(values) {
            column.append_option(*value);
        }
        self.coverage.append_value(coverage);
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        let mut columns = Vec::with_capacity(self.scores.len() + 2);
        columns.push(self.response_id.finish().into_column());
        columns.extend(self.scores.into_iter().map(|b| b.finish().into_column()));
        columns.push(self.coverage.finish().into_column());
        DataFrame::new_infer_height(columns)
    }
}

/// The organisations' diagnostics as a frame keyed by `diagnostic_id`.
pub fn diagnostics_frame(rows: &[DiagnosticListing]) -> PolarsResult<DataFrame> {
    let strings = |f: fn(&DiagnosticListing) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
    DataFrame::new_infer_height(vec![
        Column::new("listed_diagnostic_id".into(), strings(|d| &d.diagnostic_id)),
        Column::new("organisation_id".into(), strings(|d| &d.organisation_id)),
        Column::new(
            "organisation_kind".into(),
            strings(|d| &d.organisation_kind),
        ),
        Column::new(
            "departement".into(),
            rows.iter()
                .map(|d| d.departement.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "questionnaire_slug".into(),
            strings(|d| &d.questionnaire_slug),
        ),
        Column::new(
            "questionnaire_version".into(),
            strings(|d| &d.questionnaire_version),
        ),
    ])
}

/// The response frame (see the module's documentation): the listed responses of
/// organisations' diagnostics (others are left out), with their stored scores where they are
/// submitted.
pub fn assemble(
    responses: ResponsesBuilder,
    scores: ScoresBuilder,
    diagnostics: &[DiagnosticListing],
) -> PolarsResult<DataFrame> {
    let names = scores.columns().to_vec();
    let responses = responses.finish()?.lazy();
    let scores = scores.finish()?.lazy();
    let diagnostics = diagnostics_frame(diagnostics)?.lazy();
    let keep_order = |how| JoinArgs {
        maintain_order: MaintainOrderJoin::Left,
        ..JoinArgs::new(how)
    };
    let mut select = vec![
        col("response_id"),
        col("diagnostic_id"),
        col("organisation_id"),
        col("organisation_kind"),
        col("departement"),
        col("questionnaire_slug"),
        col("questionnaire_version"),
        col("respondent_role"),
        col("year"),
        col("started_year"),
        col("started_month"),
        col("submitted"),
        col("submitted_year"),
        col("submitted_month"),
    ];
    // A score only counts for a submitted response (none is stored otherwise).
    for name in names.iter().map(String::as_str).chain(["coverage"]) {
        select.push(
            when(col("submitted"))
                .then(col(name))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(name),
        );
    }
    responses
        .join(
            diagnostics,
            [col("diagnostic_id")],
            [col("listed_diagnostic_id")],
            keep_order(JoinType::Inner),
        )
        .join(
            scores,
            [col("response_id")],
            [col("scored_response_id")],
            keep_order(JoinType::Left),
        )
        .select(select)
        .collect()
}

/// The scores in the order of [`score_columns`].
pub fn score_values(s: &Scores) -> Vec<Option<f64>> {
    s.values()
}

/// The frame of these rows (see the module's documentation for its columns).
pub fn responses_frame(rows: impl IntoIterator<Item = ResponseRow>) -> PolarsResult<DataFrame> {
    let rows: Vec<ResponseRow> = rows.into_iter().collect();
    let mut responses = ResponsesBuilder::with_capacity(rows.len());
    let mut scores = ScoresBuilder::with_capacity(rows.len());
    let mut diagnostics: Vec<DiagnosticListing> = Vec::new();
    for row in &rows {
        responses.push(ResponseListing {
            response_id: &row.response_id,
            diagnostic_id: &row.diagnostic_id,
            respondent_role: &row.respondent_role,
            started_at: &row.started_at,
            submitted_at: row.submitted_at.as_deref(),
        });
        if let Some(s) = &row.scores {
            scores.push(&row.response_id, &score_values(s), s.coverage());
        }
        if !diagnostics
            .iter()
            .any(|d| d.diagnostic_id == row.diagnostic_id)
        {
            diagnostics.push(DiagnosticListing {
                diagnostic_id: row.diagnostic_id.clone(),
                organisation_id: row.organisation_id.clone(),
                organisation_kind: row.organisation_kind.clone(),
                departement: row.departement.clone(),
                questionnaire_slug: row.questionnaire_slug.clone(),
                questionnaire_version: row.questionnaire_version.clone(),
            });
        }
    }
    assemble(responses, scores, &diagnostics)
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
    fn assembling_keeps_organisations_responses_in_read_order_with_their_own_scores() {
        let mut responses = ResponsesBuilder::default();
        let listing = |id, diagnostic, submitted| ResponseListing {
            response_id: id,
            diagnostic_id: diagnostic,
            respondent_role: "agent",
            started_at: "2026-03-01T09:00:00Z",
            submitted_at: submitted,
        };
        responses.push(listing("r1", "d1", Some("2026-03-02T09:00:00Z")));
        // A coalition's diagnostic: not an organisation's, left out.
        responses.push(listing("r2", "coalition", Some("2026-03-02T09:00:00Z")));
        responses.push(listing("r3", "d1", None));
        responses.push(listing("r0", "d1", Some("2026-04-02T09:00:00Z")));
        let mut scores = ScoresBuilder::default();
        let values = |x| vec![Some(x); score_columns().len()];
        // Read in another order than the responses, with one of another year.
        scores.push("r0", &values(20.0), 1.0);
        scores.push("elsewhere", &values(99.0), 1.0);
        scores.push("r1", &values(10.0), 0.5);
        scores.push("r2", &values(30.0), 1.0);
        let diagnostics = [DiagnosticListing {
            diagnostic_id: "d1".into(),
            organisation_id: "o1".into(),
            organisation_kind: "commune".into(),
            departement: None,
            questionnaire_slug: "territoires".into(),
            questionnaire_version: "v1".into(),
        }];
        let df = assemble(responses, scores, &diagnostics).expect("frame");
        assert_eq!(
            crate::analytics::str_column(&df, "response_id").expect("ids"),
            vec![Some("r1".into()), Some("r3".into()), Some("r0".into())]
        );
        assert_eq!(
            crate::analytics::f64_column(&df, "q_equitable").expect("scores"),
            vec![Some(10.0), None, Some(20.0)]
        );
        assert_eq!(
            crate::analytics::f64_column(&df, "coverage").expect("coverage"),
            vec![Some(0.5), None, Some(1.0)]
        );
        assert_eq!(
            crate::analytics::str_column(&df, "organisation_kind").expect("kinds"),
            vec![Some("commune".into()); 3]
        );
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

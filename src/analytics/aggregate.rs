//! What the report and the open data publish about a year's responses, each a `DataFrame`
//! sorted by its keys (qualities and dimensions in display order), every group of fewer than
//! [`MIN_ORGANISATIONS`](super::MIN_ORGANISATIONS) organisations suppressed.
//!
//! Each function takes the frame of [`super::frames`] already restricted to a year
//! ([`super::frames::of_year`]).

use super::{cell_column, quality_column, suppress};
use crate::domain::{Dimension, Quality};
use polars::prelude::*;

/// Coverage below this share of scored questions makes a response (or a diagnostic) of low
/// coverage in the data-quality section.
pub const LOW_COVERAGE: f64 = 0.5;

/// How participation is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One row for the whole year.
    Overall,
    /// `organisation_kind`.
    Kind,
    /// `departement`.
    Departement,
    /// `month`: of submission, or of start for a response not submitted.
    Month,
}

impl Grouping {
    pub fn key(self) -> Option<&'static str> {
        match self {
            Grouping::Overall => None,
            Grouping::Kind => Some("organisation_kind"),
            Grouping::Departement => Some("departement"),
            Grouping::Month => Some("month"),
        }
    }
}

fn sort_by(frame: LazyFrame, keys: &[&str]) -> LazyFrame {
    if keys.is_empty() {
        return frame;
    }
    frame.sort(
        keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>(),
        SortMultipleOptions::default()
            .with_nulls_last(true)
            .with_maintain_order(true),
    )
}

fn group(frame: LazyFrame, keys: &[&str], aggs: Vec<Expr>) -> LazyFrame {
    if keys.is_empty() {
        frame.select(aggs)
    } else {
        frame
            .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg(aggs)
    }
}

/// Participation in a year.
///
/// Columns: the key of `by` (none for [`Grouping::Overall`]), `organisations` (distinct
/// organisations with a response, started or submitted), `organisations_submitted` (with a
/// submitted response), `started` (responses begun), `submitted` (responses submitted),
/// `completion_rate` (= submitted / started), `suppressed`.
pub fn participation(year: LazyFrame, by: Grouping) -> PolarsResult<DataFrame> {
    // Months carry their year (`2026-03`): keyed here as 202603, written out below.
    let frame = year.with_column(
        (col("year").cast(DataType::Int64) * lit(100i64)
            + when(col("submitted"))
                .then(col("submitted_month"))
                .otherwise(col("started_month"))
                .cast(DataType::Int64))
        .alias("month"),
    );
    let keys: Vec<&str> = by.key().into_iter().collect();
    let aggs = vec![
        col("organisation_id")
            .n_unique()
            .cast(DataType::Int64)
            .alias("organisations"),
        col("organisation_id")
            .filter(col("submitted"))
            .n_unique()
            .cast(DataType::Int64)
            .alias("organisations_submitted"),
        len().cast(DataType::Int64).alias("started"),
        col("submitted")
            .cast(DataType::Int64)
            .sum()
            .alias("submitted"),
    ];
    let grouped = group(frame, &keys, aggs).with_column(
        (col("submitted").cast(DataType::Float64) / col("started").cast(DataType::Float64))
            .alias("completion_rate"),
    );
    let grouped = suppress(
        grouped,
        &[],
        "organisations",
        &[
            "organisations",
            "organisations_submitted",
            "started",
            "submitted",
            "completion_rate",
        ],
    )?;
    let mut out = sort_by(grouped, &keys).collect()?;
    if matches!(by, Grouping::Month) {
        let months: Vec<Option<String>> = super::i64_column(&out, "month")?
            .into_iter()
            .map(|m| m.map(|m| format!("{:04}-{:02}", m / 100, m % 100)))
            .collect();
        out.with_column(Column::new("month".into(), months))?;
    }
    Ok(out)
}

/// A score column to aggregate, with the label columns (literals) its result rows carry.
struct Item {
    labels: Vec<Expr>,
    column: String,
}

/// An aggregate of one score column, by name: `organisations` counts the distinct
/// organisations with a score there; every other is an expression of the column.
type Aggregate = (&'static str, fn(Expr) -> Expr);

/// Aggregates every item's column of the wide frame in one pass (grouped by `keys`), then
/// lays the results out one row per key and item: `keys…`, the item's labels,
/// `organisations`, `n` (responses with a score) and the named aggregates. A key without any
/// score for an item has no row for it.
///
/// Working on the wide frame, rather than stacking every column into one long frame first,
/// reads each column once and lets polars run the columns' aggregations in parallel.
fn per_item(
    year: LazyFrame,
    keys: &[&str],
    items: &[Item],
    aggregates: &[Aggregate],
) -> PolarsResult<LazyFrame> {
    let mut exprs = Vec::with_capacity(items.len() * (aggregates.len() + 2));
    for (i, item) in items.iter().enumerate() {
        let score = || col(item.column.as_str());
        exprs.push(
            col("organisation_id")
                .filter(score().is_not_null())
                .n_unique()
                .cast(DataType::Int64)
                .alias(format!("{i}:organisations")),
        );
        exprs.push(
            score()
                .count()
                .cast(DataType::Int64)
                .alias(format!("{i}:n")),
        );
        for (name, aggregate) in aggregates {
            exprs.push(aggregate(score()).alias(format!("{i}:{name}")));
        }
    }
    let wide = group(year, keys, exprs).collect()?;
    let parts: Vec<LazyFrame> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut select: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
            select.extend(item.labels.iter().cloned());
            for name in ["organisations", "n"]
                .into_iter()
                .chain(aggregates.iter().map(|a| a.0))
            {
                select.push(col(format!("{i}:{name}")).alias(name));
            }
            wide.clone().lazy().select(select)
        })
        .collect();
    Ok(concat(parts, UnionArgs::default())?.filter(col("n").gt(lit(0))))
}

fn quality_items() -> Vec<Item> {
    Quality::ALL
        .iter()
        .map(|&q| Item {
            labels: vec![
                lit(q.index() as i32).alias("quality_order"),
                lit(q.code()).alias("quality"),
            ],
            column: quality_column(q),
        })
        .collect()
}

fn kind_keys(by_kind: bool) -> Vec<&'static str> {
    if by_kind {
        vec!["organisation_kind"]
    } else {
        Vec::new()
    }
}

/// The distribution of each quality's scores over submitted responses.
///
/// Columns: `organisation_kind` (only when `by_kind`), `quality` (code, display order),
/// `organisations` (distinct organisations with a score), `n` (responses with a score),
/// `mean`, `median`, `q1`, `q3` (linear interpolation, as numpy and pandas by default),
/// `min`, `max`, `suppressed`.
pub fn quality_distribution(year: LazyFrame, by_kind: bool) -> PolarsResult<DataFrame> {
    let keys = kind_keys(by_kind);
    let grouped = per_item(
        year,
        &keys,
        &quality_items(),
        &[
            ("mean", |s| s.mean()),
            ("median", |s| s.median()),
            ("q1", |s| s.quantile(lit(0.25), QuantileMethod::Linear)),
            ("q3", |s| s.quantile(lit(0.75), QuantileMethod::Linear)),
            ("min", |s| s.min()),
            ("max", |s| s.max()),
        ],
    )?;
    let grouped = suppress(
        grouped,
        &["quality_order"],
        "organisations",
        &["n", "mean", "median", "q1", "q3", "min", "max"],
    )?;
    let mut order = keys.clone();
    order.push("quality_order");
    sort_by(grouped, &order)
        .drop(Selector::ByName {
            names: Arc::new(["quality_order".into()]),
            strict: true,
        })
        .collect()
}

/// The 7 × 3 heatmap: the mean score of each quality × dimension cell over submitted
/// responses.
///
/// Columns: `organisation_kind` (only when `by_kind`), `quality`, `dimension` (codes, display
/// order), `organisations`, `n` (responses with a score in the cell), `mean`, `suppressed`.
pub fn heatmap(year: LazyFrame, by_kind: bool) -> PolarsResult<DataFrame> {
    let keys = kind_keys(by_kind);
    let items: Vec<Item> = Quality::ALL
        .iter()
        .flat_map(|&q| {
            Dimension::ALL.iter().map(move |&d| Item {
                labels: vec![
                    lit((q.index() * 3 + d.index()) as i32).alias("cell_order"),
                    lit(q.code()).alias("quality"),
                    lit(d.code()).alias("dimension"),
                ],
                column: cell_column(q, d),
            })
        })
        .collect();
    let grouped = per_item(year, &keys, &items, &[("mean", |s| s.mean())])?;
    let grouped = suppress(grouped, &["cell_order"], "organisations", &["n", "mean"])?;
    let mut order = keys.clone();
    order.push("cell_order");
    sort_by(grouped, &order)
        .drop(Selector::ByName {
            names: Arc::new(["cell_order".into()]),
            strict: true,
        })
        .collect()
}

/// Coverage of submitted responses, for publication.
///
/// Columns: `organisation_kind` (only when `by_kind`), `organisations`, `responses`,
/// `mean_coverage` (share of scored questions answered, in [0, 1]), `low_coverage` (responses
/// under [`LOW_COVERAGE`]), `suppressed`.
pub fn coverage(year: LazyFrame, by_kind: bool) -> PolarsResult<DataFrame> {
    let keys = kind_keys(by_kind);
    let submitted = year.filter(col("submitted"));
    let grouped = group(
        submitted,
        &keys,
        vec![
            col("organisation_id")
                .n_unique()
                .cast(DataType::Int64)
                .alias("organisations"),
            len().cast(DataType::Int64).alias("responses"),
            col("coverage").mean().alias("mean_coverage"),
            col("coverage")
                .lt(lit(LOW_COVERAGE))
                .cast(DataType::Int64)
                .sum()
                .alias("low_coverage"),
        ],
    );
    let grouped = suppress(
        grouped,
        &[],
        "organisations",
        &["responses", "mean_coverage", "low_coverage"],
    )?;
    sort_by(grouped, &keys).collect()
}

/// How many diagnostics are of low coverage (their submitted responses cover, on average,
/// less than [`LOW_COVERAGE`] of their scored questions), by questionnaire.
///
/// Counts only, never a diagnostic or its id: the table is published with the report, and a
/// row naming one diagnostic would be about one organisation and maybe one person. A
/// questionnaire answered by fewer than [`MIN_ORGANISATIONS`](super::MIN_ORGANISATIONS)
/// organisations publishes no count at all.
///
/// Columns: `questionnaire_slug`, `organisations` (with a submitted response), `diagnostics`
/// (with a submitted response), `low_coverage_diagnostics`, `suppressed`.
pub fn low_coverage_diagnostics(year: LazyFrame) -> PolarsResult<DataFrame> {
    let per_diagnostic = year
        .filter(col("submitted"))
        .group_by([
            col("diagnostic_id"),
            col("organisation_id"),
            col("questionnaire_slug"),
        ])
        .agg([col("coverage").mean().alias("mean_coverage")]);
    let grouped = group(
        per_diagnostic,
        &["questionnaire_slug"],
        vec![
            col("organisation_id")
                .n_unique()
                .cast(DataType::Int64)
                .alias("organisations"),
            len().cast(DataType::Int64).alias("diagnostics"),
            col("mean_coverage")
                .lt(lit(LOW_COVERAGE))
                .cast(DataType::Int64)
                .sum()
                .alias("low_coverage_diagnostics"),
        ],
    );
    let grouped = suppress(
        grouped,
        &[],
        "organisations",
        &["diagnostics", "low_coverage_diagnostics"],
    )?;
    sort_by(grouped, &["questionnaire_slug"]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::frames::tests::{flat_scores, row};
    use crate::analytics::frames::{ResponseRow, of_year, responses_frame};
    use crate::analytics::{bool_column, f64_column, i64_column, str_column};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// Five communes in the Loiret (one answering twice, one only started) and two
    /// intercommunalités, in 2026; one commune also in 2025.
    fn rows() -> Vec<ResponseRow> {
        let s = |v: f64| Some(flat_scores(Some(v), 10, 10));
        vec![
            row("a1", "c1", "commune", "45", 2026, 3, s(10.0)),
            row("a2", "c1", "commune", "45", 2026, 3, s(30.0)),
            row("b1", "c2", "commune", "45", 2026, 4, s(50.0)),
            row("c1", "c3", "commune", "45", 2026, 4, s(70.0)),
            row("d1", "c4", "commune", "45", 2026, 5, s(90.0)),
            row("e1", "c5", "commune", "45", 2026, 5, None),
            row("f1", "i1", "intercommunalite", "29", 2026, 5, s(20.0)),
            row("g1", "i2", "intercommunalite", "29", 2026, 6, s(40.0)),
            row("z1", "c1", "commune", "45", 2025, 6, s(0.0)),
        ]
    }

    fn year_2026() -> LazyFrame {
        of_year(responses_frame(rows()).expect("frame").lazy(), 2026)
    }

    #[test]
    fn participation_counts_organisations_responses_and_completion_by_kind() {
        // Three syndicats besides the two intercommunalités: the withheld kinds hold five
        // organisations together, so the communes' row may be published.
        let mut rows = rows();
        for i in 0..3 {
            rows.push(row(
                &format!("s{i}"),
                &format!("s{i}"),
                "syndicat",
                "29",
                2026,
                5,
                None,
            ));
        }
        let year = of_year(responses_frame(rows).expect("frame").lazy(), 2026);
        let df = participation(year, Grouping::Kind).expect("participation");
        assert_eq!(
            str_column(&df, "organisation_kind").expect("kinds"),
            vec![
                Some("commune".into()),
                Some("intercommunalite".into()),
                Some("syndicat".into())
            ]
        );
        // Communes: 5 organisations (c5 only started), 6 responses begun, 5 submitted.
        assert_eq!(
            i64_column(&df, "organisations").expect("n"),
            vec![Some(5), None, None]
        );
        assert_eq!(
            i64_column(&df, "organisations_submitted").expect("n"),
            vec![Some(4), None, None]
        );
        assert_eq!(
            i64_column(&df, "started").expect("n"),
            vec![Some(6), None, None]
        );
        assert_eq!(
            i64_column(&df, "submitted").expect("n"),
            vec![Some(5), None, None]
        );
        assert!(close(
            f64_column(&df, "completion_rate").expect("rate")[0],
            5.0 / 6.0
        ));
        // Two intercommunalités, three syndicats: too few to publish, not even their count.
        assert_eq!(
            bool_column(&df, "suppressed").expect("flags"),
            vec![Some(false), Some(true), Some(true)]
        );
    }

    #[test]
    fn a_lone_small_group_cannot_be_recovered_by_subtracting_the_others_from_the_total() {
        // Five communes and two intercommunalités: published, the communes' row and the
        // overall row would give the intercommunalités' counts by difference. So the
        // communes' row is withheld too.
        let df = participation(year_2026(), Grouping::Kind).expect("participation");
        assert_eq!(
            bool_column(&df, "suppressed").expect("flags"),
            vec![Some(true), Some(true)]
        );
        for column in ["organisations", "started", "submitted"] {
            assert_eq!(
                i64_column(&df, column).expect("n"),
                vec![None, None],
                "{column}"
            );
        }
        // The same on scores: with a fifth commune scored, the heatmap's communes would give
        // the two intercommunalités' mean from the overall mean.
        let mut rows = rows();
        rows.push(row(
            "h1",
            "c9",
            "commune",
            "45",
            2026,
            7,
            Some(flat_scores(Some(60.0), 10, 10)),
        ));
        let year = || of_year(responses_frame(rows.clone()).expect("frame").lazy(), 2026);
        let by_kind = heatmap(year(), true).expect("heatmap");
        assert!(
            f64_column(&by_kind, "mean")
                .expect("mean")
                .iter()
                .all(Option::is_none)
        );
        let overall = heatmap(year(), false).expect("heatmap");
        assert!(
            f64_column(&overall, "mean")
                .expect("mean")
                .iter()
                .all(Option::is_some)
        );
    }

    #[test]
    fn participation_overall_and_by_month() {
        let overall = participation(year_2026(), Grouping::Overall).expect("overall");
        assert_eq!(overall.height(), 1);
        assert_eq!(
            i64_column(&overall, "organisations").expect("n"),
            vec![Some(7)]
        );
        assert_eq!(i64_column(&overall, "started").expect("n"), vec![Some(8)]);
        assert_eq!(i64_column(&overall, "submitted").expect("n"), vec![Some(7)]);
        let by_month = participation(year_2026(), Grouping::Month).expect("by month");
        assert_eq!(
            str_column(&by_month, "month").expect("months"),
            vec![
                Some("2026-03".to_owned()),
                Some("2026-04".to_owned()),
                Some("2026-05".to_owned()),
                Some("2026-06".to_owned())
            ]
        );
        // May: c4, c5, i1 — three organisations, suppressed.
        assert_eq!(
            bool_column(&by_month, "suppressed").expect("flags"),
            vec![Some(true), Some(true), Some(true), Some(true)]
        );
    }

    #[test]
    fn quality_distribution_gives_quartiles_by_hand() {
        let df = quality_distribution(year_2026(), false).expect("distribution");
        assert_eq!(df.height(), 7);
        assert_eq!(
            str_column(&df, "quality").expect("qualities")[0].as_deref(),
            Some("inclusif")
        );
        // Scores 10, 20, 30, 40, 50, 70, 90 (7 responses, 6 organisations).
        assert_eq!(i64_column(&df, "n").expect("n")[0], Some(7));
        assert_eq!(i64_column(&df, "organisations").expect("n")[0], Some(6));
        assert!(close(
            f64_column(&df, "mean").expect("mean")[0],
            310.0 / 7.0
        ));
        assert!(close(f64_column(&df, "median").expect("median")[0], 40.0));
        // Linear: q1 at rank 0.25 × 6 = 1.5 → (20 + 30) / 2; q3 at 4.5 → (50 + 70) / 2.
        assert!(close(f64_column(&df, "q1").expect("q1")[0], 25.0));
        assert!(close(f64_column(&df, "q3").expect("q3")[0], 60.0));
        assert!(close(f64_column(&df, "min").expect("min")[0], 10.0));
        assert!(close(f64_column(&df, "max").expect("max")[0], 90.0));
    }

    #[test]
    fn quality_distribution_by_kind_suppresses_groups_under_five_organisations() {
        let df = quality_distribution(year_2026(), true).expect("distribution");
        assert_eq!(df.height(), 14);
        let kinds = str_column(&df, "organisation_kind").expect("kinds");
        assert_eq!(kinds[0].as_deref(), Some("commune"));
        assert_eq!(kinds[7].as_deref(), Some("intercommunalite"));
        // Communes with a score: c1..c4 only, 4 organisations: suppressed as well, and their
        // count withheld with the rest (it was published before issue 11).
        assert_eq!(i64_column(&df, "organisations").expect("n")[0], None);
        assert_eq!(f64_column(&df, "mean").expect("mean")[0], None);
        assert_eq!(
            bool_column(&df, "suppressed").expect("flags")[0],
            Some(true)
        );
    }

    #[test]
    fn heatmap_averages_each_cell_in_display_order() {
        let mut rows = rows();
        // One response with only the frugal × usages cell defined.
        let mut lone = flat_scores(None, 1, 10);
        lone.cells[Quality::Frugal.index()][Dimension::Usages.index()] = Some(100.0);
        rows.push(row("h1", "c9", "commune", "45", 2026, 7, Some(lone)));
        let df = heatmap(
            of_year(responses_frame(rows).expect("frame").lazy(), 2026),
            false,
        )
        .expect("heatmap");
        assert_eq!(df.height(), 21);
        let quality = str_column(&df, "quality").expect("q");
        let dimension = str_column(&df, "dimension").expect("d");
        assert_eq!(
            (quality[5].as_deref(), dimension[5].as_deref()),
            (Some("frugal"), Some("usages"))
        );
        let mean = f64_column(&df, "mean").expect("mean");
        assert!(close(mean[0], 310.0 / 7.0));
        assert!(close(mean[5], 410.0 / 8.0));
        assert_eq!(i64_column(&df, "n").expect("n")[5], Some(8));
    }

    #[test]
    fn coverage_flags_responses_and_diagnostics_under_half() {
        let mut rows = rows();
        rows.push(row(
            "k1",
            "c6",
            "commune",
            "45",
            2026,
            8,
            Some(flat_scores(Some(50.0), 2, 10)),
        ));
        let year = of_year(responses_frame(rows).expect("frame").lazy(), 2026);
        let published = coverage(year.clone(), false).expect("coverage");
        assert_eq!(
            i64_column(&published, "responses").expect("n"),
            vec![Some(8)]
        );
        assert_eq!(
            i64_column(&published, "low_coverage").expect("n"),
            vec![Some(1)]
        );
        assert!(close(
            f64_column(&published, "mean_coverage").expect("mean")[0],
            7.2 / 8.0
        ));
        // Six communes answered territoires, one diagnostic of low coverage: a count, no id.
        let low = low_coverage_diagnostics(year).expect("low");
        assert_eq!(
            str_column(&low, "questionnaire_slug").expect("slugs"),
            vec![Some("territoires".into())]
        );
        assert_eq!(
            i64_column(&low, "low_coverage_diagnostics").expect("n"),
            vec![Some(1)]
        );
        assert_eq!(i64_column(&low, "diagnostics").expect("n"), vec![Some(7)]);
        assert!(low.column("diagnostic_id").is_err());
    }
}

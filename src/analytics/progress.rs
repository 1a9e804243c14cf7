//! Paired progress: organisations with submitted responses in both year N − 1 and year N on
//! the same questionnaire, and the change of their mean quality scores.
//!
//! An organisation's score for a quality in a year is the mean of its respondents' scores.
//! When both years used the same questionnaire version every scored question is comparable
//! and the stored scores are used as they are. When the versions differ, only the questions
//! linked through `same_as` are comparable: each response of such a pair is re-scored on those
//! questions alone ([`comparable_scores`], with the later version's quality, dimension and
//! weight of each question, as [`crate::domain::scoring::compare`] does), and the caller hands these
//! re-scored rows to [`organisation_changes`]. [`comparable_questions`] states which questions
//! were compared.

use super::{quality_column, suppress};
use crate::domain::Quality;
use crate::domain::questionnaire::registry::Comparability;
use crate::domain::questionnaire::{Answer, Questionnaire};
use crate::domain::scoring::{self, Scores};
use polars::prelude::*;

/// An organisation whose two years were answered on different versions of a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionPair {
    pub organisation_id: String,
    pub questionnaire_slug: String,
    pub earlier_version: String,
    pub later_version: String,
}

/// Which side of a comparison a response is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Earlier,
    Later,
}

/// A response's scores on the comparable questions only, aggregated with the later version's
/// quality, dimension and weight of each question.
pub fn comparable_scores(
    earlier: &Questionnaire,
    later: &Questionnaire,
    comparability: &Comparability,
    side: Side,
    answers: &[Option<Answer>],
) -> Scores {
    let mut s = vec![None; later.questions.len()];
    let own = match side {
        Side::Earlier => scoring::question_scores(earlier, answers),
        Side::Later => scoring::question_scores(later, answers),
    };
    for &(e, l) in &comparability.pairs {
        let from = match side {
            Side::Earlier => e,
            Side::Later => l,
        };
        s[l] = own.get(from).copied().flatten();
    }
    let mut scores = scoring::scores_from_question_scores(later, &s);
    scores.scored = comparability.pairs.len();
    scores
}

/// Per organisation, questionnaire and year (N − 1 and N), the respondents and the mean of
/// each quality score over submitted responses.
///
/// Columns: `organisation_id`, `organisation_kind`, `departement`, `questionnaire_slug`,
/// `year`, `questionnaire_version` (the highest one seen that year), `respondents`, the 7
/// `q_<quality>` means.
fn organisation_years(frame: LazyFrame, year: i32) -> LazyFrame {
    let mut aggs = vec![
        col("organisation_kind").first(),
        col("departement").first(),
        col("questionnaire_version").max(),
        len().cast(DataType::Int64).alias("respondents"),
    ];
    aggs.extend(
        Quality::ALL
            .iter()
            .map(|&q| col(quality_column(q).as_str()).mean()),
    );
    frame
        .filter(col("submitted").and(col("year").eq(lit(year - 1)).or(col("year").eq(lit(year)))))
        .group_by([
            col("organisation_id"),
            col("questionnaire_slug"),
            col("year"),
        ])
        .agg(aggs)
}

/// The two years of each organisation side by side: `organisation_id`,
/// `questionnaire_slug`, `organisation_kind`, `departement`, `earlier_version`,
/// `later_version`, `respondents_before`, `respondents_after`, `q_<quality>_before`,
/// `q_<quality>_after`.
fn paired_years(frame: LazyFrame, year: i32) -> LazyFrame {
    let years = organisation_years(frame, year);
    let side = |y: i32, suffix: &str, version: &str, keep_labels: bool| {
        let mut select = vec![col("organisation_id"), col("questionnaire_slug")];
        if keep_labels {
            select.push(col("organisation_kind"));
            select.push(col("departement"));
        }
        select.push(col("questionnaire_version").alias(version));
        select.push(col("respondents").alias(format!("respondents_{suffix}")));
        select.extend(Quality::ALL.iter().map(|&q| {
            let c = quality_column(q);
            col(c.as_str()).alias(format!("{c}_{suffix}"))
        }));
        years.clone().filter(col("year").eq(lit(y))).select(select)
    };
    side(year - 1, "before", "earlier_version", false).join(
        side(year, "after", "later_version", true),
        [col("organisation_id"), col("questionnaire_slug")],
        [col("organisation_id"), col("questionnaire_slug")],
        JoinArgs::new(JoinType::Inner),
    )
}

/// The organisations whose two years were answered on different versions: their responses
/// must be re-scored on comparable questions before [`organisation_changes`].
pub fn cross_version_pairs(frame: LazyFrame, year: i32) -> PolarsResult<Vec<VersionPair>> {
    let df = paired_years(frame, year)
        .filter(col("earlier_version").neq(col("later_version")))
        .select([
            col("organisation_id"),
            col("questionnaire_slug"),
            col("earlier_version"),
            col("later_version"),
        ])
        .sort(
            ["organisation_id", "questionnaire_slug"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let column = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|s| s.unwrap_or_default().to_owned())
            .collect())
    };
    let (o, s, e, l) = (
        column("organisation_id")?,
        column("questionnaire_slug")?,
        column("earlier_version")?,
        column("later_version")?,
    );
    Ok((0..df.height())
        .map(|i| VersionPair {
            organisation_id: o[i].clone(),
            questionnaire_slug: s[i].clone(),
            earlier_version: e[i].clone(),
            later_version: l[i].clone(),
        })
        .collect())
}

/// The distinct `(questionnaire slug, earlier version, later version)` of paired
/// organisations, sorted.
pub fn version_pairs(frame: LazyFrame, year: i32) -> PolarsResult<Vec<(String, String, String)>> {
    let df = paired_years(frame, year)
        .select([
            col("questionnaire_slug"),
            col("earlier_version"),
            col("later_version"),
        ])
        .unique(None, UniqueKeepStrategy::First)
        .collect()?;
    let column = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|s| s.unwrap_or_default().to_owned())
            .collect())
    };
    let (s, e, l) = (
        column("questionnaire_slug")?,
        column("earlier_version")?,
        column("later_version")?,
    );
    let mut pairs: Vec<_> = (0..df.height())
        .map(|i| (s[i].clone(), e[i].clone(), l[i].clone()))
        .collect();
    pairs.sort();
    Ok(pairs)
}

/// A frame of re-scored responses for [`organisation_changes`]: `response_id` and the 7
/// `q_<quality>` scores on comparable questions.
pub fn rescored_frame(rows: &[(String, Scores)]) -> PolarsResult<DataFrame> {
    let mut columns = vec![Column::new(
        "response_id".into(),
        rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
    )];
    for &q in Quality::ALL {
        columns.push(Column::new(
            format!("{}_comparable", quality_column(q)).into(),
            rows.iter().map(|(_, s)| s.quality(q)).collect::<Vec<_>>(),
        ));
    }
    DataFrame::new_infer_height(columns)
}

/// The change of each paired organisation's mean score, quality by quality. Not for
/// publication as such: it is one row per organisation.
///
/// `rescored` replaces the quality scores of the responses it lists (those of
/// [`cross_version_pairs`], re-scored with [`comparable_scores`]).
///
/// Columns: `organisation_id`, `organisation_kind`, `departement`, `questionnaire_slug`,
/// `earlier_version`, `later_version`, `respondents_before`, `respondents_after`, `quality`
/// (display order), `before`, `after`, `change` (= after − before); only qualities with a
/// score on both sides.
pub fn organisation_changes(
    frame: LazyFrame,
    year: i32,
    rescored: Option<DataFrame>,
) -> PolarsResult<DataFrame> {
    let frame = match rescored {
        Some(rescored) if rescored.height() > 0 => {
            let marked = rescored.lazy().with_column(lit(true).alias("rescored"));
            let joined = frame.join(
                marked,
                [col("response_id")],
                [col("response_id")],
                JoinArgs::new(JoinType::Left),
            );
            // A re-scored response has its comparable score, or none at all.
            let replaced: Vec<Expr> = Quality::ALL
                .iter()
                .map(|&q| {
                    let c = quality_column(q);
                    let comparable = format!("{c}_comparable");
                    when(col("rescored").is_not_null())
                        .then(col(comparable.as_str()))
                        .otherwise(col(c.as_str()))
                        .alias(c.as_str())
                })
                .collect();
            joined.with_columns(replaced)
        }
        _ => frame,
    };
    let pairs = paired_years(frame, year);
    let parts: Vec<LazyFrame> = Quality::ALL
        .iter()
        .map(|&q| {
            let c = quality_column(q);
            pairs.clone().select([
                col("organisation_id"),
                col("organisation_kind"),
                col("departement"),
                col("questionnaire_slug"),
                col("earlier_version"),
                col("later_version"),
                col("respondents_before"),
                col("respondents_after"),
                lit(q.index() as i32).alias("quality_order"),
                lit(q.code()).alias("quality"),
                col(format!("{c}_before").as_str()).alias("before"),
                col(format!("{c}_after").as_str()).alias("after"),
            ])
        })
        .collect();
    concat(parts, UnionArgs::default())?
        .filter(col("before").is_not_null().and(col("after").is_not_null()))
        .with_column((col("after") - col("before")).alias("change"))
        .sort(
            ["organisation_id", "questionnaire_slug", "quality_order"],
            SortMultipleOptions::default(),
        )
        .drop(Selector::ByName {
            names: Arc::new(["quality_order".into()]),
            strict: true,
        })
        .collect()
}

/// Paired progress per quality, for publication.
///
/// Columns: `organisation_kind` (only when `by_kind`), `quality`, `organisations` (paired
/// organisations with the quality scored on both sides), `mean_before`, `mean_after`,
/// `mean_change`, `median_change`, `improved` (organisations whose score rose),
/// `suppressed`.
pub fn progress_summary(changes: &DataFrame, by_kind: bool) -> PolarsResult<DataFrame> {
    let order = Quality::ALL
        .iter()
        .fold(lit(-1i32), |acc, &q| {
            when(col("quality").eq(lit(q.code())))
                .then(lit(q.index() as i32))
                .otherwise(acc)
        })
        .alias("quality_order");
    let mut keys: Vec<&str> = if by_kind {
        vec!["organisation_kind"]
    } else {
        Vec::new()
    };
    keys.extend(["quality_order", "quality"]);
    let grouped = changes
        .clone()
        .lazy()
        .with_column(order)
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([
            len().cast(DataType::Int64).alias("organisations"),
            col("before").mean().alias("mean_before"),
            col("after").mean().alias("mean_after"),
            col("change").mean().alias("mean_change"),
            col("change").median().alias("median_change"),
            col("change")
                .gt(lit(0.0))
                .cast(DataType::Int64)
                .sum()
                .alias("improved"),
        ]);
    let grouped = suppress(
        grouped,
        &["quality_order"],
        "organisations",
        &[
            "mean_before",
            "mean_after",
            "mean_change",
            "median_change",
            "improved",
        ],
    )?;
    let sort_keys: Vec<&str> = keys.iter().copied().filter(|k| *k != "quality").collect();
    grouped
        .sort(
            sort_keys
                .iter()
                .map(|k| (*k).to_owned())
                .collect::<Vec<_>>(),
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .drop(Selector::ByName {
            names: Arc::new(["quality_order".into()]),
            strict: true,
        })
        .collect()
}

/// Which questions were compared, for each pair of versions met: `questionnaire_slug`,
/// `earlier_version`, `later_version`, `earlier_question`, `later_question` (ids), in the
/// later version's order.
pub fn comparable_questions(
    pairs: &[(&Questionnaire, &Questionnaire, &Comparability)],
) -> PolarsResult<DataFrame> {
    let mut columns: [Vec<String>; 5] = Default::default();
    for (earlier, later, comparability) in pairs {
        for &(e, l) in &comparability.pairs {
            // A question that kept its id needs no stating: only renamed ones are listed.
            if earlier.questions[e].id == later.questions[l].id {
                continue;
            }
            let values = [
                later.slug.clone(),
                earlier.version.clone(),
                later.version.clone(),
                earlier.questions[e].id.clone(),
                later.questions[l].id.clone(),
            ];
            for (column, value) in columns.iter_mut().zip(values) {
                column.push(value);
            }
        }
    }
    let names = [
        "questionnaire_slug",
        "earlier_version",
        "later_version",
        "earlier_question",
        "later_question",
    ];
    DataFrame::new_infer_height(
        names
            .iter()
            .zip(columns)
            .map(|(name, values)| Column::new((*name).into(), values))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::frames::responses_frame;
    use crate::analytics::frames::tests::{flat_scores, row};
    use crate::analytics::{bool_column, f64_column, i64_column, str_column};
    use crate::domain::Dimension;
    use crate::domain::questionnaire::testing::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn paired_organisations_change_by_the_difference_of_their_means() {
        let s = |v: f64| Some(flat_scores(Some(v), 10, 10));
        let mut rows = vec![
            // o1: 2025 mean 20 (10, 30), 2026 mean 50 → +30.
            row("r1", "o1", "commune", "45", 2025, 3, s(10.0)),
            row("r2", "o1", "commune", "45", 2025, 3, s(30.0)),
            row("r3", "o1", "commune", "45", 2026, 3, s(50.0)),
            // o2: only 2026: not paired.
            row("r4", "o2", "commune", "45", 2026, 3, s(80.0)),
            // o3: 60 → 40, −20; a started response does not count.
            row("r5", "o3", "commune", "45", 2025, 3, s(60.0)),
            row("r6", "o3", "commune", "45", 2026, 3, s(40.0)),
            row("r7", "o3", "commune", "45", 2026, 4, None),
        ];
        // o4..o6: +10 each, so that the commune group reaches five organisations.
        for i in 4..=6 {
            rows.push(row(
                &format!("x{i}"),
                &format!("o{i}"),
                "commune",
                "45",
                2025,
                1,
                s(0.0),
            ));
            rows.push(row(
                &format!("y{i}"),
                &format!("o{i}"),
                "commune",
                "45",
                2026,
                1,
                s(10.0),
            ));
        }
        let frame = responses_frame(rows).expect("frame").lazy();
        assert!(
            cross_version_pairs(frame.clone(), 2026)
                .expect("pairs")
                .is_empty()
        );
        let changes = organisation_changes(frame, 2026, None).expect("changes");
        assert_eq!(changes.height(), 5 * 7);
        let ids = str_column(&changes, "organisation_id").expect("ids");
        assert_eq!(ids[0].as_deref(), Some("o1"));
        assert!(close(
            f64_column(&changes, "before").expect("before")[0],
            20.0
        ));
        assert!(close(
            f64_column(&changes, "change").expect("change")[0],
            30.0
        ));
        assert_eq!(
            i64_column(&changes, "respondents_before").expect("n")[0],
            Some(2)
        );
        assert!(close(
            f64_column(&changes, "change").expect("change")[7],
            -20.0
        ));

        let summary = progress_summary(&changes, false).expect("summary");
        assert_eq!(summary.height(), 7);
        assert_eq!(
            i64_column(&summary, "organisations").expect("n")[0],
            Some(5)
        );
        // Changes +30, −20, +10, +10, +10: mean 8, median 10, 4 improved.
        assert!(close(
            f64_column(&summary, "mean_change").expect("mean")[0],
            8.0
        ));
        assert!(close(
            f64_column(&summary, "median_change").expect("median")[0],
            10.0
        ));
        assert_eq!(i64_column(&summary, "improved").expect("n")[0], Some(4));
        assert_eq!(
            bool_column(&summary, "suppressed").expect("flags")[0],
            Some(false)
        );
        let by_kind = progress_summary(&changes, true).expect("by kind");
        assert_eq!(
            str_column(&by_kind, "quality").expect("q")[1].as_deref(),
            Some("frugal")
        );
    }

    #[test]
    fn comparable_questions_lists_only_the_questions_whose_id_changed() {
        let v1 = questionnaire(vec![
            question("a", Quality::Frugal, Dimension::Offre, scale(5)),
            question("b", Quality::Frugal, Dimension::Offre, scale(5)),
        ]);
        let mut v2 = questionnaire(vec![
            question("a2", Quality::Frugal, Dimension::Offre, scale(5)),
            question("b", Quality::Frugal, Dimension::Offre, scale(5)),
        ]);
        v2.version = "v2".into();
        let comparability = Comparability {
            pairs: vec![(0, 0), (1, 1)],
            same_version: false,
        };
        let stated = comparable_questions(&[(&v1, &v2, &comparability)]).expect("stated");
        assert_eq!(
            str_column(&stated, "earlier_question").expect("ids"),
            vec![Some("a".into())]
        );
        // Within one version nothing changed id: nothing is listed.
        let same = Comparability {
            pairs: vec![(0, 0), (1, 1)],
            same_version: true,
        };
        let none = comparable_questions(&[(&v1, &v1, &same)]).expect("stated");
        assert_eq!(none.height(), 0);
    }

    #[test]
    fn across_versions_only_linked_questions_are_compared() {
        let v1 = questionnaire(vec![
            question("a", Quality::Frugal, Dimension::Offre, scale(5)),
            question("b", Quality::Frugal, Dimension::Offre, scale(5)),
        ]);
        let mut v2 = questionnaire(vec![
            question("a2", Quality::Frugal, Dimension::Offre, scale(5)),
            question("c", Quality::Frugal, Dimension::Offre, scale(5)),
        ]);
        v2.version = "v2".into();
        let comparability = Comparability {
            pairs: vec![(0, 0)],
            same_version: false,
        };
        // Earlier: a = 1 (0), b = 5 (1) → comparable frugal 0; later: a2 = 5, c = 1 → 100.
        let before = comparable_scores(
            &v1,
            &v2,
            &comparability,
            Side::Earlier,
            &[Some(Answer::Scale(1)), Some(Answer::Scale(5))],
        );
        let after = comparable_scores(
            &v1,
            &v2,
            &comparability,
            Side::Later,
            &[Some(Answer::Scale(5)), Some(Answer::Scale(1))],
        );
        assert!(close(before.quality(Quality::Frugal), 0.0));
        assert!(close(after.quality(Quality::Frugal), 100.0));

        // In a frame, the versions differ: the pair is listed, and re-scored rows replace
        // the stored scores (50 on each side) in the change.
        let s = |v: f64| Some(flat_scores(Some(v), 2, 2));
        let mut earlier = row("r1", "o1", "commune", "45", 2025, 3, s(50.0));
        earlier.questionnaire_version = "v1".into();
        let mut later = row("r2", "o1", "commune", "45", 2026, 3, s(50.0));
        later.questionnaire_version = "v2".into();
        let frame = responses_frame(vec![earlier, later]).expect("frame").lazy();
        let pairs = cross_version_pairs(frame.clone(), 2026).expect("pairs");
        assert_eq!(
            pairs,
            vec![VersionPair {
                organisation_id: "o1".into(),
                questionnaire_slug: "territoires".into(),
                earlier_version: "v1".into(),
                later_version: "v2".into(),
            }]
        );
        let rescored =
            rescored_frame(&[("r1".into(), before), ("r2".into(), after)]).expect("rescored");
        let changes = organisation_changes(frame, 2026, Some(rescored)).expect("changes");
        // Only frugal has comparable questions.
        assert_eq!(changes.height(), 1);
        assert!(close(
            f64_column(&changes, "change").expect("change")[0],
            100.0
        ));

        let stated = comparable_questions(&[(&v1, &v2, &comparability)]).expect("stated");
        assert_eq!(
            str_column(&stated, "later_question").expect("ids"),
            vec![Some("a2".into())]
        );
        assert_eq!(
            str_column(&stated, "earlier_question").expect("ids"),
            vec![Some("a".into())]
        );
    }
}

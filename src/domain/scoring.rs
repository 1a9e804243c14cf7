//! The scoring engine: pure, synchronous and exact, so that anyone can recompute a figure by
//! hand from `questionnaires/README.md`.
//!
//! - An answered scored question gets `s` in [0, 1] ([`answer_score`]). « Non applicable »
//!   and « je ne sais pas » get none: they are left out, never counted as 0.
//! - A quality score is `100 × Σ wᵢ·sᵢ / Σ wᵢ` over the answered scored questions of the
//!   quality, undefined when none is answered; dimensions and the 21 quality × dimension
//!   cells likewise; the overall index is the plain mean of the defined quality scores.
//! - Several respondents: per question, the mean of their `s`, then the same formulas; the
//!   dispersion of a quality is the population standard deviation of their quality scores.
//! - Every figure is [`settle`]d to 1e-9 as it is produced, and levels and consensus are
//!   decided on that value: a score of exactly 50 on paper is 50, « avancé », not the
//!   49.99999999999999 that floating-point sums give.

use crate::domain::questionnaire::registry::Comparability;
use crate::domain::questionnaire::{Answer, Question, QuestionKind, Questionnaire, Threshold};
pub use crate::domain::settle;
use crate::domain::{DIMENSION_COUNT, Dimension, Level, QUALITY_COUNT, Quality};
use serde::Serialize;

/// Respondents agree on a quality when its dispersion is at most this many points.
pub const CONSENSUS_MAX_DISPERSION: f64 = 15.0;

/// Whether a dispersion means agreement: at most [`CONSENSUS_MAX_DISPERSION`], compared on
/// the [`settle`]d value so that a dispersion of exactly 15 on paper is agreement.
pub fn agrees(dispersion: f64) -> bool {
    settle(dispersion) <= CONSENSUS_MAX_DISPERSION
}

/// The score `s` in [0, 1] of one answer, or `None` when it does not count.
pub fn answer_score(question: &Question, answer: &Answer) -> Option<f64> {
    match (&question.kind, answer) {
        (_, Answer::NotApplicable(_) | Answer::DontKnow) => None,
        (QuestionKind::Scale { labels, .. }, Answer::Scale(k)) => {
            let n = labels.len();
            let k = usize::from(*k).clamp(1, n);
            Some((k - 1) as f64 / (n - 1) as f64)
        }
        (QuestionKind::Single { options }, Answer::Single(i)) => options.get(*i).map(|o| o.score),
        (QuestionKind::Multiple { options }, Answer::Multiple(chosen)) => {
            let sum: f64 = chosen
                .iter()
                .filter_map(|&i| options.get(i))
                .map(|o| o.score)
                .sum();
            Some(sum.min(1.0))
        }
        (
            QuestionKind::YesNo {
                yes_score,
                no_score,
            },
            Answer::YesNo(yes),
        ) => Some(if *yes { *yes_score } else { *no_score }),
        (QuestionKind::Number { thresholds, .. }, Answer::Number(x)) => {
            Some(interpolate(thresholds, *x))
        }
        // Text is unscored, and an answer of another kind is not an answer to this question.
        _ => None,
    }
}

/// Linear between thresholds, flat outside them.
fn interpolate(thresholds: &[Threshold], x: f64) -> f64 {
    let (Some(first), Some(last)) = (thresholds.first(), thresholds.last()) else {
        return 0.0;
    };
    if x <= first.value {
        return first.score;
    }
    if x >= last.value {
        return last.score;
    }
    for pair in thresholds.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if x <= b.value {
            return a.score + (b.score - a.score) * (x - a.value) / (b.value - a.value);
        }
    }
    last.score
}

/// The `s` of each question of a response, aligned with `questionnaire.questions`.
pub fn question_scores(
    questionnaire: &Questionnaire,
    answers: &[Option<Answer>],
) -> Vec<Option<f64>> {
    questionnaire
        .questions
        .iter()
        .zip(answers.iter().chain(std::iter::repeat(&None)))
        .map(|(q, a)| a.as_ref().and_then(|a| answer_score(q, a)))
        .collect()
}

/// The scores of one response, or of a group once its question scores are averaged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// By [`Quality::index`], out of 100; `None` when no question of it is answered.
    pub qualities: [Option<f64>; QUALITY_COUNT],
    /// By [`Dimension::index`], out of 100.
    pub dimensions: [Option<f64>; DIMENSION_COUNT],
    /// `cells[quality][dimension]`, out of 100.
    pub cells: [[Option<f64>; DIMENSION_COUNT]; QUALITY_COUNT],
    /// Plain mean of the defined quality scores.
    pub overall: Option<f64>,
    /// Scored questions with a score.
    pub answered: usize,
    /// Scored questions in the questionnaire.
    pub scored: usize,
}

impl Scores {
    /// Every score in one fixed order: overall, the 7 qualities, the 3 dimensions, then the 21
    /// cells quality by quality. Stored scores and the response frame's columns follow it.
    pub fn values(&self) -> Vec<Option<f64>> {
        let mut values = Vec::with_capacity(
            1 + QUALITY_COUNT + DIMENSION_COUNT + QUALITY_COUNT * DIMENSION_COUNT,
        );
        values.push(self.overall);
        values.extend(self.qualities);
        values.extend(self.dimensions);
        for row in &self.cells {
            values.extend(row);
        }
        values
    }

    pub fn quality(&self, quality: Quality) -> Option<f64> {
        self.qualities[quality.index()]
    }

    pub fn dimension(&self, dimension: Dimension) -> Option<f64> {
        self.dimensions[dimension.index()]
    }

    pub fn cell(&self, quality: Quality, dimension: Dimension) -> Option<f64> {
        self.cells[quality.index()][dimension.index()]
    }

    /// Share of scored questions answered, in [0, 1].
    pub fn coverage(&self) -> f64 {
        answered_share(self.answered, self.scored)
    }

    pub fn overall_level(&self) -> Option<Level> {
        self.overall.map(Level::of_score)
    }

    /// Defined qualities from the weakest up; ties in display order.
    pub fn weakest_qualities(&self) -> Vec<(Quality, f64)> {
        let mut defined: Vec<_> = Quality::ALL
            .iter()
            .filter_map(|&q| self.quality(q).map(|s| (q, s)))
            .collect();
        defined.sort_by(|a, b| a.1.total_cmp(&b.1));
        defined
    }
}

/// The share of scored questions answered, in [0, 1]: the one formula of the results page's
/// « % des questions notées ont une réponse » and of the respondent's review
/// ([`crate::domain::results::Coverage`]).
pub fn answered_share(answered: usize, scored: usize) -> f64 {
    if scored == 0 {
        0.0
    } else {
        answered as f64 / scored as f64
    }
}

/// Weighted sums per cell, from which every score follows.
#[derive(Default)]
struct Sums {
    weighted: [[f64; DIMENSION_COUNT]; QUALITY_COUNT],
    weights: [[f64; DIMENSION_COUNT]; QUALITY_COUNT],
}

impl Sums {
    fn add(&mut self, quality: Quality, dimension: Dimension, weight: f64, s: f64) {
        let (q, d) = (quality.index(), dimension.index());
        self.weighted[q][d] += weight * s;
        self.weights[q][d] += weight;
    }

    fn scores(&self, answered: usize, scored: usize) -> Scores {
        let ratio = |num: f64, den: f64| (den > 0.0).then(|| settle(100.0 * num / den));
        let mut cells = [[None; DIMENSION_COUNT]; QUALITY_COUNT];
        let mut qualities = [None; QUALITY_COUNT];
        let mut dimensions = [None; DIMENSION_COUNT];
        for (q, row) in cells.iter_mut().enumerate() {
            for (d, cell) in row.iter_mut().enumerate() {
                *cell = ratio(self.weighted[q][d], self.weights[q][d]);
            }
            qualities[q] = ratio(self.weighted[q].iter().sum(), self.weights[q].iter().sum());
        }
        for (d, dimension) in dimensions.iter_mut().enumerate() {
            let num: f64 = (0..QUALITY_COUNT).map(|q| self.weighted[q][d]).sum();
            let den: f64 = (0..QUALITY_COUNT).map(|q| self.weights[q][d]).sum();
            *dimension = ratio(num, den);
        }
        let defined: Vec<f64> = qualities.iter().flatten().copied().collect();
        let overall = (!defined.is_empty())
            .then(|| settle(defined.iter().sum::<f64>() / defined.len() as f64));
        Scores {
            qualities,
            dimensions,
            cells,
            overall,
            answered,
            scored,
        }
    }
}

/// The scores that follow from the `s` of each question (aligned with its questions).
pub fn scores_from_question_scores(questionnaire: &Questionnaire, s: &[Option<f64>]) -> Scores {
    let mut sums = Sums::default();
    let (mut answered, mut scored) = (0, 0);
    for (question, s) in questionnaire.questions.iter().zip(s) {
        if !question.is_scored() {
            continue;
        }
        scored += 1;
        if let Some(s) = s {
            answered += 1;
            sums.add(question.quality, question.dimension, question.weight, *s);
        }
    }
    Scores {
        ..sums.scores(answered, scored)
    }
}

/// The scores of one response.
pub fn score_response(questionnaire: &Questionnaire, answers: &[Option<Answer>]) -> Scores {
    scores_from_question_scores(questionnaire, &question_scores(questionnaire, answers))
}

/// The result of several respondents of one organisation, territory or coalition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScores {
    /// Scores of the per-question means.
    pub scores: Scores,
    /// Each respondent's own scores, in the order given.
    pub respondents: Vec<Scores>,
    /// Population standard deviation of the respondents' quality scores, in points; `None`
    /// when fewer than two respondents have a score for the quality.
    pub dispersion: [Option<f64>; QUALITY_COUNT],
}

impl GroupScores {
    /// `Some(true)` when respondents agree on the quality (dispersion ≤ 15 points).
    pub fn consensus(&self, quality: Quality) -> Option<bool> {
        self.dispersion[quality.index()].map(agrees)
    }
}

/// Scores a group from each respondent's question scores (each aligned with the questions).
pub fn score_group(questionnaire: &Questionnaire, respondents: &[Vec<Option<f64>>]) -> GroupScores {
    let n = questionnaire.questions.len();
    let mut sum = vec![0.0; n];
    let mut count = vec![0u32; n];
    for s in respondents {
        for (i, s) in s.iter().enumerate().take(n) {
            if let Some(s) = s {
                sum[i] += s;
                count[i] += 1;
            }
        }
    }
    let means: Vec<Option<f64>> = sum
        .iter()
        .zip(&count)
        .map(|(&sum, &count)| (count > 0).then(|| sum / f64::from(count)))
        .collect();
    let scores = scores_from_question_scores(questionnaire, &means);
    let respondent_scores: Vec<Scores> = respondents
        .iter()
        .map(|s| scores_from_question_scores(questionnaire, s))
        .collect();
    let mut dispersion = [None; QUALITY_COUNT];
    for (q, d) in dispersion.iter_mut().enumerate() {
        let values: Vec<f64> = respondent_scores
            .iter()
            .filter_map(|r| r.qualities[q])
            .collect();
        *d = population_std_dev(&values);
    }
    GroupScores {
        scores,
        respondents: respondent_scores,
        dispersion,
    }
}

/// Population standard deviation, `None` for fewer than two values.
pub fn population_std_dev(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    Some(settle(
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt(),
    ))
}

/// Quality scores before and after, over the comparable questions answered on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub before: [Option<f64>; QUALITY_COUNT],
    pub after: [Option<f64>; QUALITY_COUNT],
    /// `(earlier id, later id)` of the questions that entered the comparison.
    pub compared: Vec<(String, String)>,
    /// Comparable scored questions of the later version, answered or not.
    pub comparable: usize,
    /// Scored questions of the later version.
    pub scored: usize,
    pub same_version: bool,
}

impl Comparison {
    pub fn change(&self, quality: Quality) -> Option<f64> {
        Some(self.after[quality.index()]? - self.before[quality.index()]?)
    }
}

/// Compares an earlier and a later result on the questions they share.
///
/// Both sides are aggregated with the later version's quality, dimension and weight of each
/// question, and only over questions answered on both sides, so that the change reflects
/// the answers and not a change of questionnaire.
pub fn compare(
    earlier: &Questionnaire,
    earlier_s: &[Option<f64>],
    later: &Questionnaire,
    later_s: &[Option<f64>],
    comparability: &Comparability,
) -> Comparison {
    let (mut before, mut after) = (Sums::default(), Sums::default());
    let mut compared = Vec::new();
    for &(e, l) in &comparability.pairs {
        let (Some(Some(se)), Some(Some(sl))) = (earlier_s.get(e), later_s.get(l)) else {
            continue;
        };
        let q = &later.questions[l];
        before.add(q.quality, q.dimension, q.weight, *se);
        after.add(q.quality, q.dimension, q.weight, *sl);
        compared.push((earlier.questions[e].id.clone(), q.id.clone()));
    }
    let n = compared.len();
    Comparison {
        before: before.scores(n, n).qualities,
        after: after.scores(n, n).qualities,
        compared,
        comparable: comparability.pairs.len(),
        scored: later.scored_questions().count(),
        same_version: comparability.same_version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::testing::*;
    use crate::domain::questionnaire::{NotApplicable, QuestionKind, Threshold};
    use Dimension::*;
    use Quality::*;
    use proptest::prelude::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// Three frugal questions, one inclusive, one text: small enough to compute by hand.
    fn small() -> Questionnaire {
        let mut heavy = question("fru-com-1", Frugal, Commande, scale(5));
        heavy.weight = 2.0;
        questionnaire(vec![
            heavy,
            question(
                "fru-off-1",
                Frugal,
                Offre,
                QuestionKind::Single {
                    options: choices(&[0.0, 0.5, 1.0]),
                },
            ),
            question(
                "fru-usa-1",
                Frugal,
                Usages,
                QuestionKind::YesNo {
                    yes_score: 1.0,
                    no_score: 0.0,
                },
            ),
            question(
                "inc-off-1",
                Inclusif,
                Offre,
                QuestionKind::Number {
                    unit: None,
                    min: None,
                    max: None,
                    thresholds: vec![
                        Threshold {
                            value: 0.0,
                            score: 0.0,
                        },
                        Threshold {
                            value: 50.0,
                            score: 0.5,
                        },
                        Threshold {
                            value: 100.0,
                            score: 1.0,
                        },
                    ],
                },
            ),
            question("inc-usa-1", Inclusif, Usages, QuestionKind::Text),
        ])
    }

    #[test]
    fn each_kind_of_answer_scores_as_documented() {
        let q = small();
        // Scale of 5 points: answer 4 → (4 − 1)/(5 − 1) = 0.75.
        assert_eq!(answer_score(&q.questions[0], &Answer::Scale(4)), Some(0.75));
        assert_eq!(answer_score(&q.questions[0], &Answer::Scale(1)), Some(0.0));
        assert_eq!(answer_score(&q.questions[1], &Answer::Single(1)), Some(0.5));
        assert_eq!(
            answer_score(&q.questions[2], &Answer::YesNo(true)),
            Some(1.0)
        );
        // Thresholds 0→0, 50→0.5, 100→1: 20 → 0.2; flat outside.
        assert!(close(
            answer_score(&q.questions[3], &Answer::Number(20.0)),
            0.2
        ));
        assert_eq!(
            answer_score(&q.questions[3], &Answer::Number(-5.0)),
            Some(0.0)
        );
        assert_eq!(
            answer_score(&q.questions[3], &Answer::Number(250.0)),
            Some(1.0)
        );
        assert_eq!(
            answer_score(&q.questions[4], &Answer::Text("x".into())),
            None
        );
        assert_eq!(
            answer_score(&q.questions[0], &Answer::NotApplicable(None)),
            None
        );
        assert_eq!(answer_score(&q.questions[0], &Answer::DontKnow), None);
    }

    #[test]
    fn multiple_choice_sums_the_chosen_scores_and_caps_at_one() {
        let q = question(
            "m",
            Frugal,
            Offre,
            QuestionKind::Multiple {
                options: choices(&[0.25, 0.5, 0.75]),
            },
        );
        assert_eq!(answer_score(&q, &Answer::Multiple(vec![0, 1])), Some(0.75));
        assert_eq!(answer_score(&q, &Answer::Multiple(vec![1, 2])), Some(1.0));
    }

    #[test]
    fn a_response_scores_by_hand() {
        let q = small();
        let answers = vec![
            Some(Answer::Scale(4)),     // s = 0.75, w = 2
            Some(Answer::Single(1)),    // s = 0.5,  w = 1
            Some(Answer::YesNo(false)), // s = 0, w = 1
            Some(Answer::Number(20.0)), // s = 0.2
            Some(Answer::Text("notes".into())),
        ];
        let scores = score_response(&q, &answers);
        // Frugal: 100 × (2×0.75 + 0.5 + 0) / (2 + 1 + 1) = 100 × 2 / 4 = 50.
        assert!(close(scores.quality(Frugal), 50.0));
        assert!(close(scores.quality(Inclusif), 20.0));
        assert_eq!(scores.quality(Democratique), None);
        // Overall: mean of the defined qualities, (50 + 20) / 2 = 35.
        assert!(close(scores.overall, 35.0));
        // Offre: (0.5 + 0.2) / 2 = 35; commande 75; usages 0 (the text does not count).
        assert!(close(scores.dimension(Offre), 35.0));
        assert!(close(scores.dimension(Commande), 75.0));
        assert!(close(scores.dimension(Usages), 0.0));
        assert!(close(scores.cell(Frugal, Commande), 75.0));
        assert_eq!(scores.cell(Inclusif, Commande), None);
        assert_eq!((scores.answered, scores.scored), (4, 4));
        assert_eq!(scores.overall_level(), Some(Level::EnProgression));
    }

    #[test]
    fn not_applicable_and_dont_know_are_left_out_not_counted_as_zero() {
        let q = small();
        let answers = vec![
            Some(Answer::Scale(5)),
            Some(Answer::NotApplicable(Some("pas concerné".into()))),
            Some(Answer::DontKnow),
            None,
        ];
        let scores = score_response(&q, &answers);
        assert!(close(scores.quality(Frugal), 100.0));
        assert_eq!(scores.quality(Inclusif), None);
        assert_eq!(scores.answered, 1);
        assert!((scores.coverage() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn a_group_averages_each_question_then_scores_and_measures_dispersion() {
        let q = small();
        let alice = question_scores(
            &q,
            &[
                Some(Answer::Scale(5)),
                Some(Answer::Single(2)),
                Some(Answer::YesNo(true)),
                None,
            ],
        );
        let bob = question_scores(
            &q,
            &[
                Some(Answer::Scale(1)),
                Some(Answer::NotApplicable(None)),
                Some(Answer::YesNo(false)),
                None,
            ],
        );
        let group = score_group(&q, &[alice, bob]);
        // Per-question means: 0.5 (w 2), 1.0 (Alice alone), 0.5 → 100 × (1 + 1 + 0.5) / 4 = 62.5.
        assert!(close(group.scores.quality(Frugal), 62.5));
        // Alice frugal 100, Bob 0 → population standard deviation 50: no consensus.
        assert!(close(group.dispersion[Frugal.index()], 50.0));
        assert_eq!(group.consensus(Frugal), Some(false));
        assert_eq!(group.dispersion[Inclusif.index()], None);
        assert_eq!(group.respondents.len(), 2);
    }

    #[test]
    fn comparison_across_versions_uses_only_linked_questions_answered_on_both_sides() {
        let earlier = small();
        let mut later = small();
        later.version = "v2".into();
        later.questions[2].id = "fru-usa-new".into(); // not linked: left out
        let comparability = Comparability {
            pairs: vec![(0, 0), (1, 1), (3, 3)],
            same_version: false,
        };
        let before = question_scores(
            &earlier,
            &[
                Some(Answer::Scale(3)),
                Some(Answer::Single(0)),
                Some(Answer::YesNo(true)),
                Some(Answer::Number(50.0)),
            ],
        );
        let after = question_scores(
            &later,
            &[
                Some(Answer::Scale(5)),
                None,
                Some(Answer::YesNo(true)),
                Some(Answer::Number(100.0)),
            ],
        );
        let c = compare(&earlier, &before, &later, &after, &comparability);
        // Only fru-com-1 (0.5 → 1) and inc-off-1 (0.5 → 1) were answered on both sides.
        assert_eq!(c.compared.len(), 2);
        assert!(close(c.before[Frugal.index()], 50.0));
        assert!(close(c.after[Frugal.index()], 100.0));
        assert!(close(c.change(Inclusif), 50.0));
        assert_eq!((c.comparable, c.scored), (3, 4));
    }

    fn arbitrary_answer(question: &Question) -> BoxedStrategy<Option<Answer>> {
        let value: BoxedStrategy<Answer> = match &question.kind {
            QuestionKind::Scale { labels, .. } => {
                (1..=labels.len() as u8).prop_map(Answer::Scale).boxed()
            }
            QuestionKind::Single { options } => (0..options.len()).prop_map(Answer::Single).boxed(),
            QuestionKind::Multiple { options } => proptest::sample::subsequence(
                (0..options.len()).collect::<Vec<_>>(),
                1..=options.len(),
            )
            .prop_map(Answer::Multiple)
            .boxed(),
            QuestionKind::YesNo { .. } => any::<bool>().prop_map(Answer::YesNo).boxed(),
            QuestionKind::Number { .. } => (-50.0..200.0f64).prop_map(Answer::Number).boxed(),
            QuestionKind::Text => Just(Answer::Text("t".into())).boxed(),
        };
        prop_oneof![
            6 => value.prop_map(Some),
            1 => Just(Some(Answer::NotApplicable(None))),
            1 => Just(Some(Answer::DontKnow)),
            1 => Just(None),
        ]
        .boxed()
    }

    fn arbitrary_questionnaire() -> impl Strategy<Value = Questionnaire> {
        let kinds = prop_oneof![
            (2..=11usize).prop_map(scale),
            proptest::collection::vec(0.0..=1.0f64, 2..5).prop_map(|s| QuestionKind::Single {
                options: choices(&s)
            }),
            proptest::collection::vec(0.0..=1.0f64, 2..5).prop_map(|s| QuestionKind::Multiple {
                options: choices(&s)
            }),
            (0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(yes_score, no_score)| QuestionKind::YesNo {
                yes_score,
                no_score
            }),
            Just(QuestionKind::Number {
                unit: None,
                min: None,
                max: None,
                thresholds: vec![
                    Threshold {
                        value: 0.0,
                        score: 0.0
                    },
                    Threshold {
                        value: 100.0,
                        score: 1.0
                    }
                ],
            }),
            Just(QuestionKind::Text),
        ];
        proptest::collection::vec((0..7usize, 0..3usize, 0.1..5.0f64, kinds), 1..30).prop_map(
            |spec| {
                questionnaire(
                    spec.into_iter()
                        .enumerate()
                        .map(|(i, (q, d, w, kind))| {
                            let mut question = question(
                                &format!("q{i}"),
                                Quality::ALL[q],
                                Dimension::ALL[d],
                                kind,
                            );
                            question.weight = w;
                            question.not_applicable = NotApplicable::Allowed;
                            question
                        })
                        .collect(),
                )
            },
        )
    }

    fn with_answers() -> impl Strategy<Value = (Questionnaire, Vec<Option<Answer>>)> {
        arbitrary_questionnaire().prop_flat_map(|q| {
            let answers: Vec<_> = q.questions.iter().map(arbitrary_answer).collect();
            (Just(q), answers)
        })
    }

    fn all_scores(s: &Scores) -> Vec<Option<f64>> {
        let mut v: Vec<_> = s.qualities.to_vec();
        v.extend(s.dimensions);
        v.extend(s.cells.iter().flatten().copied());
        v.push(s.overall);
        v
    }

    proptest! {
        #[test]
        fn scores_stay_between_0_and_100((q, answers) in with_answers()) {
            let scores = score_response(&q, &answers);
            for s in all_scores(&scores).into_iter().flatten() {
                prop_assert!((0.0..=100.0 + 1e-9).contains(&s), "{s}");
            }
            prop_assert!((0.0..=1.0).contains(&scores.coverage()));
        }

        #[test]
        fn not_applicable_never_scores_lower_than_the_lowest_answer((q, answers) in with_answers(), pick in any::<proptest::sample::Index>()) {
            let i = pick.index(q.questions.len());
            let lowest = match &q.questions[i].kind {
                QuestionKind::Scale { .. } => Answer::Scale(1),
                _ => return Ok(()),
            };
            let mut na = answers.clone();
            na[i] = Some(Answer::NotApplicable(None));
            let mut low = answers;
            low[i] = Some(lowest);
            let (na, low) = (score_response(&q, &na), score_response(&q, &low));
            let quality = q.questions[i].quality;
            if let (Some(a), Some(b)) = (na.quality(quality), low.quality(quality)) {
                prop_assert!(a + 1e-9 >= b, "N/A {a} < lowest answer {b}");
            }
        }

        #[test]
        fn scores_do_not_change_when_every_weight_is_scaled((q, answers) in with_answers(), factor in 0.01..100.0f64) {
            let mut scaled = q.clone();
            for question in &mut scaled.questions {
                question.weight *= factor;
            }
            let (a, b) = (score_response(&q, &answers), score_response(&scaled, &answers));
            for (x, y) in all_scores(&a).into_iter().zip(all_scores(&b)) {
                match (x, y) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-6, "{x} vs {y}"),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
                }
            }
        }

        #[test]
        fn a_group_of_one_scores_like_the_response((q, answers) in with_answers()) {
            let alone = score_response(&q, &answers);
            let group = score_group(&q, &[question_scores(&q, &answers)]);
            prop_assert_eq!(group.scores, alone);
            prop_assert!(group.dispersion.iter().all(Option::is_none));
        }
    }
}

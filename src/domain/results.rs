//! The result of a diagnostic: everything the results page shows, computed from plain data the
//! web layer has loaded (the answers of each respondent, an earlier diagnostic, the results of
//! peer organisations).
//!
//! Pure and synchronous, like [`crate::domain::scoring`], on which it builds: scores, levels,
//! strengths and weaknesses, per-role scores (only for roles with enough respondents, so that
//! no one's answers can be singled out), disagreement between respondents, the
//! recommendations that apply, the change since an earlier diagnostic and where the
//! organisation stands among its peers.

use crate::domain::questionnaire::registry::Comparability;
use crate::domain::questionnaire::{
    Answer, AnswerState, Question, QuestionKind, Questionnaire, RecommendationTarget,
};
use crate::domain::scoring::{self, Comparison, GroupScores, Scores};
use crate::domain::{Level, QUALITY_COUNT, Quality};
use serde::Serialize;

/// A role's scores are shown apart only from this many respondents: with fewer, the scores
/// of a role would be those of one or two identifiable people. A role counts its respondents
/// in whole groups of this size, for the reason given at [`MIN_RESPONDENTS`].
pub const MIN_RESPONDENTS_PER_ROLE: usize = 3;

/// A collective diagnostic shows organisation-level figures only from this many submitted
/// respondents on: with one or two, the « organisation's » scores are one person's answers,
/// or the other person's once the lead subtracts their own.
///
/// Respondents then count in whole groups of this size, in the order they submitted: with 4
/// counted, the lead could subtract the figures seen at 3 and read the fourth person's
/// answers. Counting 3, then 6, means that comparing two views only ever reveals a group of 3.
pub const MIN_RESPONDENTS: usize = 3;

/// Who answers a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answering {
    /// Several people, through invitation links: figures from [`MIN_RESPONDENTS`] on.
    Collective,
    /// The lead alone (« je réponds seul·e »): the results are that person's own answers,
    /// shown at once. Such a diagnostic has a single link.
    Solo,
}

impl Answering {
    /// The value of the « Qui répond ? » choice when a diagnostic is opened.
    pub fn code(self) -> &'static str {
        match self {
            Answering::Collective => "collective",
            Answering::Solo => "solo",
        }
    }

    /// The choice as sent: anything but an explicit « solo » is the collective diagnostic,
    /// the safer of the two (its figures wait for three respondents).
    pub fn chosen(code: &str) -> Answering {
        if code == Answering::Solo.code() {
            Answering::Solo
        } else {
            Answering::Collective
        }
    }

    pub fn of(solo: bool) -> Answering {
        if solo {
            Answering::Solo
        } else {
            Answering::Collective
        }
    }
}

/// What may be shown of a diagnostic's submitted responses, taken in submission order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// The figures of the first `counted` respondents.
    Shown { counted: usize },
    /// No figure yet: `needed` more submitted respondents first.
    Withheld { needed: usize },
}

/// The rule of [`MIN_RESPONDENTS`], and its one exception: a solo diagnostic's single
/// respondent is the lead, who reads their own answers. A solo diagnostic that somehow got a
/// second response falls back to the collective rule rather than show two people's mix.
pub fn disclosure(answering: Answering, submitted: usize) -> Disclosure {
    match (answering, submitted) {
        (Answering::Solo, 1) => Disclosure::Shown { counted: 1 },
        (Answering::Solo, 0) => Disclosure::Withheld { needed: 1 },
        (_, n) if n >= MIN_RESPONDENTS => Disclosure::Shown {
            counted: n - n % MIN_RESPONDENTS,
        },
        (_, n) => Disclosure::Withheld {
            needed: MIN_RESPONDENTS - n,
        },
    }
}

/// The respondents whose answers may be shown together, or `None` when none may be yet.
pub fn counted_respondents(
    answering: Answering,
    respondents: &[Respondent],
) -> Option<&[Respondent]> {
    match disclosure(answering, respondents.len()) {
        Disclosure::Shown { counted } => respondents.get(..counted),
        Disclosure::Withheld { .. } => None,
    }
}

/// Peer statistics need this many peers (overall, and per quality among those with a score),
/// so that quartiles never reveal another organisation's own score.
pub const MIN_PEERS: usize = 5;

/// How many strengths and weaknesses are named when enough qualities have a score.
const STRENGTHS: usize = 2;
const WEAKNESSES: usize = 3;

/// One person's response to the diagnostic.
#[derive(Debug, Clone)]
pub struct Respondent {
    /// The role id, as in [`Questionnaire::roles`].
    pub role: String,
    /// Aligned with `questionnaire.questions`; a shorter vector means the rest is unanswered.
    pub answers: Vec<Option<Answer>>,
}

/// Results of other organisations of the same type on the same questionnaire slug.
#[derive(Debug, Clone, Default)]
pub struct PeerGroup {
    pub scores: Vec<Scores>,
}

/// An earlier diagnostic of the same organisation, to measure the change.
#[derive(Debug, Clone)]
pub struct Earlier<'a> {
    pub questionnaire: &'a Questionnaire,
    pub respondents: &'a [Respondent],
    /// Which questions of the earlier version match which of the current one.
    pub comparability: &'a Comparability,
    /// How the page names it, e.g. « Diagnostic de mars 2025 ».
    pub label: String,
}

/// Everything the results page shows about one diagnostic.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticResult {
    pub group: GroupScores,
    pub respondents: usize,
    /// Level of the overall index.
    pub level: Option<Level>,
    /// Highest scores first.
    pub strengths: Vec<Quality>,
    /// Lowest scores first.
    pub weaknesses: Vec<Quality>,
    /// Roles with at least [`MIN_RESPONDENTS_PER_ROLE`] respondents, in questionnaire order.
    pub roles: Vec<RoleResult>,
    /// Roles with 1 or 2 respondents: counted in the group, never shown apart.
    pub hidden_roles: usize,
    /// Population standard deviation of the shown roles' scores, by [`Quality::index`];
    /// `None` when fewer than two shown roles have a score.
    pub role_dispersion: [Option<f64>; QUALITY_COUNT],
    /// Qualities on which respondents disagree, most divergent first.
    pub divergent: Vec<Quality>,
    /// Weakest quality first, without duplicates.
    pub recommendations: Vec<RecommendationRef>,
    pub comparison: Option<ComparisonResult>,
    pub peers: Option<PeerStats>,
    /// How many peers were offered when peers were asked for, even too few to show: lets the
    /// page say why there is no comparison.
    pub peers_offered: Option<usize>,
    /// Set by [`disclosed_result`] when no figure may be shown yet: how many more submitted
    /// respondents are needed. Every figure of the result is then empty.
    pub withheld: Option<usize>,
    /// Submitted respondents not counted yet, waiting for their group of
    /// [`MIN_RESPONDENTS`] to be complete.
    pub pending: usize,
    /// The answers to each scored question, as far as [`question_results`] lets them be shown.
    pub questions: Vec<QuestionResult>,
}

/// The scores of the respondents of one role.
#[derive(Debug, Clone, Serialize)]
pub struct RoleResult {
    /// The role id; its label is in [`Questionnaire::role`].
    pub role: String,
    pub respondents: usize,
    /// Scores of the role's per-question means, like the group's.
    pub scores: Scores,
}

/// A recommendation of the questionnaire that applies, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationRef {
    /// Index into `questionnaire.recommendations`.
    pub index: usize,
    pub quality: Quality,
    pub reason: RecommendationReason,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecommendationReason {
    /// The quality's score falls in this level.
    Level { level: Level },
    /// At least half of those who answered this question gave one of the listed answers.
    Answers { question: String },
}

/// The change since an earlier diagnostic.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonResult {
    /// The earlier diagnostic's label.
    pub label: String,
    pub comparison: Comparison,
}

impl ComparisonResult {
    /// Questions that entered the comparison (answered on both sides): the N of « compared
    /// on N of M questions ».
    pub fn compared(&self) -> usize {
        self.comparison.compared.len()
    }

    /// Scored questions of the current version: the M.
    pub fn scored(&self) -> usize {
        self.comparison.scored
    }

    /// The versions differ, so only questions linked by `same_as` were compared.
    pub fn across_versions(&self) -> bool {
        !self.comparison.same_version
    }
}

/// Where peers stand, per quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerStats {
    /// Peers in the group, with or without a score for a given quality.
    pub peers: usize,
    /// By [`Quality::index`]; `None` when fewer than [`MIN_PEERS`] peers have a score.
    pub qualities: [Option<Quartiles>; QUALITY_COUNT],
}

impl PeerStats {
    pub fn quality(&self, quality: Quality) -> Option<&Quartiles> {
        self.qualities[quality.index()].as_ref()
    }
}

/// Quartiles of the peers' scores for one quality (R type 7, numpy's default).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quartiles {
    /// Peers with a score for the quality.
    pub n: usize,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

/// Computes the result of a diagnostic from its respondents' answers.
pub fn diagnostic_result(
    q: &Questionnaire,
    respondents: &[Respondent],
    earlier: Option<Earlier>,
    peers: Option<&PeerGroup>,
) -> DiagnosticResult {
    let question_scores: Vec<Vec<Option<f64>>> = respondents
        .iter()
        .map(|r| scoring::question_scores(q, &r.answers))
        .collect();
    let group = scoring::score_group(q, &question_scores);
    let (strengths, weaknesses) = strengths_and_weaknesses(&group.scores);
    let (roles, hidden_roles) = role_results(q, respondents, &question_scores);
    let role_dispersion = std::array::from_fn(|i| {
        let values: Vec<f64> = roles.iter().filter_map(|r| r.scores.qualities[i]).collect();
        scoring::population_std_dev(&values)
    });
    let recommendations = recommendations(q, respondents, &group.scores);
    let comparison = earlier.map(|e| ComparisonResult {
        comparison: scoring::compare(
            e.questionnaire,
            &mean_question_scores(e.questionnaire, e.respondents),
            q,
            &means(q, &question_scores),
            e.comparability,
        ),
        label: e.label,
    });
    DiagnosticResult {
        level: group.scores.overall_level(),
        divergent: divergent(&group),
        respondents: respondents.len(),
        peers: peers.and_then(peer_stats),
        peers_offered: peers.map(|p| p.scores.len()),
        group,
        strengths,
        weaknesses,
        roles,
        hidden_roles,
        role_dispersion,
        recommendations,
        comparison,
        withheld: None,
        pending: 0,
        questions: question_results(q, respondents),
    }
}

/// The result an organisation's leads (or a coalition's page) may see: [`diagnostic_result`]
/// over the respondents [`disclosure`] allows, in submission order; or, before there are
/// enough, a result without a single figure that says how many are still needed.
pub fn disclosed_result(
    q: &Questionnaire,
    respondents: &[Respondent],
    answering: Answering,
    earlier: Option<Earlier>,
    peers: Option<&PeerGroup>,
) -> DiagnosticResult {
    match disclosure(answering, respondents.len()) {
        Disclosure::Shown { counted } => {
            let mut result = diagnostic_result(q, &respondents[..counted], earlier, peers);
            result.pending = respondents.len() - counted;
            result
        }
        Disclosure::Withheld { needed } => {
            // Computed from nobody, so that no figure can leak through a forgotten path.
            let mut result = diagnostic_result(q, &[], None, None);
            result.respondents = respondents.len();
            result.withheld = Some(needed);
            result
        }
    }
}

/// The mean `s` of each question over the respondents who have one (aligned with the
/// questions): what the group's scores are computed from, and what comparisons compare.
pub fn mean_question_scores(q: &Questionnaire, respondents: &[Respondent]) -> Vec<Option<f64>> {
    let question_scores: Vec<_> = respondents
        .iter()
        .map(|r| scoring::question_scores(q, &r.answers))
        .collect();
    means(q, &question_scores)
}

fn means(q: &Questionnaire, question_scores: &[Vec<Option<f64>>]) -> Vec<Option<f64>> {
    (0..q.questions.len())
        .map(|i| {
            let values: Vec<f64> = question_scores
                .iter()
                .filter_map(|s| s.get(i).copied().flatten())
                .collect();
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        })
        .collect()
}

/// The highest and lowest qualities, never one in both lists.
///
/// With fewer than five defined qualities, at most half are strengths, the rest weaknesses
/// (one quality alone is a weakness: it is where to act). A quality is a strength only if it
/// scores above every weakness, so that ties are not called both.
fn strengths_and_weaknesses(scores: &Scores) -> (Vec<Quality>, Vec<Quality>) {
    let ranked = scores.weakest_qualities();
    let n = ranked.len();
    let strong_n = STRENGTHS.min(n / 2);
    let weak_n = WEAKNESSES.min(n - strong_n);
    let weak = &ranked[..weak_n];
    let ceiling = weak.last().map(|&(_, s)| s);
    let mut strong: Vec<(Quality, f64)> = ranked[n - strong_n..]
        .iter()
        .filter(|&&(_, s)| ceiling.is_none_or(|c| s > c))
        .copied()
        .collect();
    // Stable, so equal scores stay in display order.
    strong.sort_by(|a, b| b.1.total_cmp(&a.1));
    (
        strong.into_iter().map(|(q, _)| q).collect(),
        weak.iter().map(|&(q, _)| q).collect(),
    )
}

/// The shown roles and the number of hidden ones. Respondents whose role the questionnaire
/// does not declare count in the group only.
fn role_results(
    q: &Questionnaire,
    respondents: &[Respondent],
    question_scores: &[Vec<Option<f64>>],
) -> (Vec<RoleResult>, usize) {
    let mut shown = Vec::new();
    let mut hidden = 0;
    for role in &q.roles {
        let of_role: Vec<Vec<Option<f64>>> = respondents
            .iter()
            .zip(question_scores)
            .filter(|(r, _)| r.role == role.id)
            .map(|(_, s)| s.clone())
            .collect();
        match of_role.len() {
            0 => {}
            n if n < MIN_RESPONDENTS_PER_ROLE => hidden += 1,
            n => {
                // Whole groups of three, the earliest first (see MIN_RESPONDENTS).
                let counted = n - n % MIN_RESPONDENTS_PER_ROLE;
                shown.push(RoleResult {
                    role: role.id.clone(),
                    respondents: counted,
                    scores: scoring::score_group(q, &of_role[..counted]).scores,
                })
            }
        }
    }
    (shown, hidden)
}

/// What the spread between respondents says about one quality, as the page words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Nobody has a score for the quality (unanswered, « non applicable », « je ne sais
    /// pas »).
    NoScore,
    /// A single respondent has a score for it: there is no spread to measure, which the page
    /// says rather than showing a bare « — ».
    SingleScore,
    /// Dispersion of at most [`scoring::CONSENSUS_MAX_DISPERSION`] points.
    Agree,
    Diverge,
}

/// The reading of one quality's dispersion.
pub fn agreement(group: &GroupScores, quality: Quality) -> Agreement {
    match group.dispersion[quality.index()] {
        Some(d) if scoring::agrees(d) => Agreement::Agree,
        Some(_) => Agreement::Diverge,
        None => {
            let scored = group
                .respondents
                .iter()
                .filter(|r| r.quality(quality).is_some())
                .count();
            if scored == 0 {
                Agreement::NoScore
            } else {
                Agreement::SingleScore
            }
        }
    }
}

fn divergent(group: &GroupScores) -> Vec<Quality> {
    let mut over: Vec<(Quality, f64)> = Quality::ALL
        .iter()
        .filter_map(|&q| group.dispersion[q.index()].map(|d| (q, d)))
        .filter(|&(_, d)| !scoring::agrees(d))
        .collect();
    // Stable: equal dispersions stay in display order.
    over.sort_by(|a, b| b.1.total_cmp(&a.1));
    over.into_iter().map(|(q, _)| q).collect()
}

/// The recommendations for the weakest qualities: every quality « à initier » or « en
/// progression », and always the single weakest one, so that even a strong result gets a next
/// step. For each, weakest first: the recommendations for its level, then those triggered by
/// the answers to its questions.
fn recommendations(
    q: &Questionnaire,
    respondents: &[Respondent],
    scores: &Scores,
) -> Vec<RecommendationRef> {
    let focus = scores
        .weakest_qualities()
        .into_iter()
        .enumerate()
        .filter(|&(rank, (_, s))| {
            rank == 0 || matches!(Level::of_score(s), Level::AInitier | Level::EnProgression)
        })
        .map(|(_, qs)| qs);
    let mut taken = vec![false; q.recommendations.len()];
    let mut refs = Vec::new();
    for (quality, score) in focus {
        let level = Level::of_score(score);
        let mut take = |index: usize, reason: RecommendationReason| {
            if !std::mem::replace(&mut taken[index], true) {
                refs.push(RecommendationRef {
                    index,
                    quality,
                    reason,
                });
            }
        };
        for (index, rec) in q.recommendations.iter().enumerate() {
            if let RecommendationTarget::Quality {
                quality: target,
                levels,
            } = &rec.target
                && *target == quality
                && levels.contains(&level)
            {
                take(index, RecommendationReason::Level { level });
            }
        }
        for (index, rec) in q.recommendations.iter().enumerate() {
            if let RecommendationTarget::Answers { question, answers } = &rec.target
                && let Some(i) = q.question_index(question)
                && q.questions[i].quality == quality
                && answers_trigger(&q.questions[i], i, respondents, answers)
            {
                take(
                    index,
                    RecommendationReason::Answers {
                        question: question.clone(),
                    },
                );
            }
        }
    }
    refs
}

/// Whether at least half of the respondents who answered question `i` gave one of `listed`
/// (canonical values, as in the file). « Non applicable » and « je ne sais pas » are not
/// answers here, as in scoring. For a multiple choice, one listed option among the chosen
/// ones is enough.
fn answers_trigger(
    question: &Question,
    i: usize,
    respondents: &[Respondent],
    listed: &[String],
) -> bool {
    let (mut answered, mut matching) = (0usize, 0usize);
    for answer in respondents
        .iter()
        .filter_map(|r| r.answers.get(i)?.as_ref())
    {
        let (state, value, _) = question.store_answer(answer);
        let (AnswerState::Answered, Some(value)) = (state, value) else {
            continue;
        };
        answered += 1;
        let hit = match question.kind {
            QuestionKind::Multiple { .. } => {
                value.split(',').any(|id| listed.iter().any(|l| l == id))
            }
            _ => listed.contains(&value),
        };
        if hit {
            matching += 1;
        }
    }
    answered > 0 && 2 * matching >= answered
}

fn peer_stats(peers: &PeerGroup) -> Option<PeerStats> {
    if peers.scores.len() < MIN_PEERS {
        return None;
    }
    let qualities = std::array::from_fn(|i| {
        let mut values: Vec<f64> = peers
            .scores
            .iter()
            .filter_map(|s| s.qualities[i])
            .filter(|v| v.is_finite())
            .collect();
        if values.len() < MIN_PEERS {
            return None;
        }
        values.sort_by(f64::total_cmp);
        Some(Quartiles {
            n: values.len(),
            q1: quantile(&values, 0.25)?,
            median: quantile(&values, 0.5)?,
            q3: quantile(&values, 0.75)?,
        })
    });
    Some(PeerStats {
        peers: peers.scores.len(),
        qualities,
    })
}

/// The answers to one question are counted only from this many people who answered it (the
/// same threshold as the scores): with fewer, a count is one or two people's answer.
pub const MIN_ANSWERS_PER_QUESTION: usize = MIN_RESPONDENTS;

/// The justifications of « non applicable » are shown only where this many people answered
/// the question: a sentence someone wrote names its author more easily than a score.
pub const MIN_ANSWERS_FOR_JUSTIFICATIONS: usize = 5;

/// What may be shown of the answers to one scored question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// The question's id, as in the questionnaire.
    pub question: String,
    /// `None` while fewer than [`MIN_ANSWERS_PER_QUESTION`] people answered it.
    pub answers: Option<AnswerCounts>,
    /// The justifications given with « non applicable », in alphabetical order (so that
    /// their order says nothing of who wrote them); `None` while fewer than
    /// [`MIN_ANSWERS_FOR_JUSTIFICATIONS`] answers are counted.
    pub justifications: Option<Vec<String>>,
}

/// How many counted people gave each answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerCounts {
    /// People counted: those who answered, in whole groups of [`MIN_ANSWERS_PER_QUESTION`].
    pub counted: usize,
    /// Aligned with [`answer_choices`]: the points of a scale, the options of a choice (a
    /// multiple choice counts each option chosen), yes then no, a number's bands.
    pub choices: Vec<usize>,
    pub dont_know: usize,
    pub not_applicable: usize,
}

/// How far a response goes, counted the one way the review page, the minimum before sending
/// and the results page share: a scored question *has an answer* when its answer gives a
/// score ([`scoring::answer_score`], what [`Scores::answered`] and [`Scores::coverage`]
/// count). « Je ne sais pas » and « non applicable » are given answers, kept and shown, but
/// they are counted apart and never as answers: the results leave them out of every score.
/// Text questions are not scored and not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Scored questions counted.
    pub scored: usize,
    /// Scored questions whose answer gives a score.
    pub answered: usize,
    pub dont_know: usize,
    pub not_applicable: usize,
}

/// One of the answers a question's counts are given for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnswerChoice<'a> {
    /// A point of a scale, or an option of a choice: its label.
    Labelled(&'a crate::domain::i18n::LocalizedText),
    Yes,
    No,
    /// A number below this threshold.
    Below(f64),
    /// A number from the first value up to, not including, the second.
    Between(f64, f64),
    /// A number from this threshold on.
    From(f64),
}

impl AnswerChoice<'_> {
    /// How the results page and its downloads name it.
    pub fn label(&self, lang: crate::domain::i18n::Lang) -> String {
        use crate::domain::i18n::Lang;
        match self {
            AnswerChoice::Labelled(text) => text.get(lang).to_owned(),
            AnswerChoice::Yes => lang.pick("Oui", "Yes").to_owned(),
            AnswerChoice::No => lang.pick("Non", "No").to_owned(),
            AnswerChoice::Below(x) => format!("{} {x}", lang.pick("moins de", "under")),
            AnswerChoice::Between(a, b) => match lang {
                Lang::Fr => format!("de {a} à moins de {b}"),
                Lang::En => format!("{a} to under {b}"),
            },
            AnswerChoice::From(x) => match lang {
                Lang::Fr => format!("{x} ou plus"),
                Lang::En => format!("{x} or more"),
            },
        }
    }
}

/// The answers a question's counts are given for, in the order of [`AnswerCounts::choices`].
pub fn answer_choices(question: &Question) -> Vec<AnswerChoice<'_>> {
    match &question.kind {
        QuestionKind::Scale { labels, .. } => labels.iter().map(AnswerChoice::Labelled).collect(),
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => options
            .iter()
            .map(|o| AnswerChoice::Labelled(&o.label))
            .collect(),
        QuestionKind::YesNo { .. } => vec![AnswerChoice::Yes, AnswerChoice::No],
        QuestionKind::Number { thresholds, .. } => {
            let mut bands = Vec::with_capacity(thresholds.len() + 1);
            if let Some(first) = thresholds.first() {
                bands.push(AnswerChoice::Below(first.value));
            }
            for pair in thresholds.windows(2) {
                bands.push(AnswerChoice::Between(pair[0].value, pair[1].value));
            }
            if let Some(last) = thresholds.last() {
                bands.push(AnswerChoice::From(last.value));
            }
            bands
        }
        QuestionKind::Text => Vec::new(),
    }
}

/// The indices into [`answer_choices`] an answer counts for.
fn chosen(question: &Question, answer: &Answer) -> Vec<usize> {
    match (&question.kind, answer) {
        (QuestionKind::Scale { .. }, Answer::Scale(k)) => {
            usize::from(*k).checked_sub(1).into_iter().collect()
        }
        (QuestionKind::Single { .. }, Answer::Single(i)) => vec![*i],
        (QuestionKind::Multiple { .. }, Answer::Multiple(chosen)) => chosen.clone(),
        (QuestionKind::YesNo { .. }, Answer::YesNo(yes)) => vec![if *yes { 0 } else { 1 }],
        (QuestionKind::Number { thresholds, .. }, Answer::Number(x)) => {
            vec![thresholds.iter().filter(|t| t.value <= *x).count()]
        }
        _ => Vec::new(),
    }
}

/// The answers to each scored question of the questionnaire (free-text questions are never
/// shown: their answers are their authors' words).
///
/// Of the respondents given (already counted by [`disclosure`]), those who answered a
/// question — « je ne sais pas » and « non applicable » included — count in whole groups of
/// [`MIN_ANSWERS_PER_QUESTION`], the earliest first, for the reason given at
/// [`MIN_RESPONDENTS`]: comparing the page from one day to the next only ever reveals a group
/// of 3. The justifications come from the very same people as the counts beside them, once
/// they are at least [`MIN_ANSWERS_FOR_JUSTIFICATIONS`] (so from 6 answers on): drawn from
/// 5 people beside counts of 6, they would tell whether the sixth said « non applicable ».
pub fn question_results(q: &Questionnaire, respondents: &[Respondent]) -> Vec<QuestionResult> {
    q.questions
        .iter()
        .enumerate()
        .filter(|(_, question)| question.is_scored())
        .map(|(i, question)| {
            let answers: Vec<&Answer> = respondents
                .iter()
                .filter_map(|r| r.answers.get(i)?.as_ref())
                .collect();
            let n = answers.len();
            let counted = if n >= MIN_ANSWERS_PER_QUESTION {
                n - n % MIN_ANSWERS_PER_QUESTION
            } else {
                0
            };
            let answers = &answers[..counted];
            let mut counts = AnswerCounts {
                counted,
                choices: vec![0; answer_choices(question).len()],
                dont_know: 0,
                not_applicable: 0,
            };
            let mut justifications = Vec::new();
            for answer in answers {
                match answer {
                    Answer::DontKnow => counts.dont_know += 1,
                    Answer::NotApplicable(why) => {
                        counts.not_applicable += 1;
                        if let Some(why) = why.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                            justifications.push(why.to_owned());
                        }
                    }
                    answer => {
                        for c in chosen(question, answer) {
                            if let Some(slot) = counts.choices.get_mut(c) {
                                *slot += 1;
                            }
                        }
                    }
                }
            }
            justifications.sort();
            QuestionResult {
                question: question.id.clone(),
                justifications: (counted >= MIN_ANSWERS_FOR_JUSTIFICATIONS)
                    .then_some(justifications),
                answers: (counted > 0).then_some(counts),
            }
        })
        .collect()
}

impl DiagnosticResult {
    /// The recommendations gathered by quality, in the order of their first appearance
    /// (weakest quality first): one card a quality on the results page, whatever led to them
    /// (the quality's level or the answers to one of its questions).
    pub fn recommendations_by_quality(&self) -> Vec<(Quality, Vec<&RecommendationRef>)> {
        let mut cards: Vec<(Quality, Vec<&RecommendationRef>)> = Vec::new();
        for r in &self.recommendations {
            match cards.iter_mut().find(|(quality, _)| *quality == r.quality) {
                Some((_, refs)) => refs.push(r),
                None => cards.push((r.quality, vec![r])),
            }
        }
        cards
    }
}

impl Coverage {
    /// The coverage of a whole response (`answers` aligned with the questions).
    pub fn of(questionnaire: &Questionnaire, answers: &[Option<Answer>]) -> Coverage {
        Coverage::counting(questionnaire, answers, |_| true)
    }

    /// The coverage of one step, the page of one quality.
    pub fn of_step(
        questionnaire: &Questionnaire,
        answers: &[Option<Answer>],
        quality: Quality,
    ) -> Coverage {
        Coverage::counting(questionnaire, answers, |q| q.quality == quality)
    }

    fn counting(
        questionnaire: &Questionnaire,
        answers: &[Option<Answer>],
        keep: impl Fn(&Question) -> bool,
    ) -> Coverage {
        let mut coverage = Coverage::default();
        for (i, question) in questionnaire.questions.iter().enumerate() {
            if !question.is_scored() || !keep(question) {
                continue;
            }
            coverage.scored += 1;
            match answers.get(i).and_then(Option::as_ref) {
                Some(Answer::DontKnow) => coverage.dont_know += 1,
                Some(Answer::NotApplicable(_)) => coverage.not_applicable += 1,
                Some(answer) if scoring::answer_score(question, answer).is_some() => {
                    coverage.answered += 1
                }
                _ => {}
            }
        }
        coverage
    }

    /// Scored questions left blank: no answer at all, not even « je ne sais pas ».
    pub fn blank(&self) -> usize {
        self.scored - self.answered - self.dont_know - self.not_applicable
    }

    /// The share of scored questions with an answer, as the results page shows it.
    pub fn share(&self) -> f64 {
        scoring::answered_share(self.answered, self.scored)
    }

    /// Answers needed to reach `min_share` of the scored questions (rounded up: half of 55
    /// questions is 28 answers).
    pub fn needed(&self, min_share: f64) -> usize {
        let exact = crate::domain::settle(min_share.clamp(0.0, 1.0) * self.scored as f64);
        (exact.ceil() as usize).min(self.scored)
    }

    /// Whether the response may be sent: enough answers for its scores to say something.
    pub fn reaches(&self, min_share: f64) -> bool {
        self.answered >= self.needed(min_share)
    }

    /// Where a step stands in the respondent's list of steps.
    pub fn step_status(&self) -> StepStatus {
        match self.blank() {
            0 => StepStatus::Done,
            blank if blank == self.scored => StepStatus::ToDo,
            _ => StepStatus::Partly,
        }
    }
}

/// Where a step stands: every scored question given an answer (« je ne sais pas » and « non
/// applicable » included: the person went through it), some, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepStatus {
    Done,
    Partly,
    ToDo,
}

/// The step « Reprendre » leads to, `1..=steps`, or `steps + 1` for the review: the step the
/// person stopped at when the response recorded it, else the first step not done (the review
/// when all are).
pub fn resume_step(recorded: Option<i32>, statuses: &[StepStatus]) -> usize {
    let last = statuses.len() + 1;
    if let Some(step) = recorded.and_then(|s| usize::try_from(s).ok())
        && (1..=last).contains(&step)
    {
        return step;
    }
    statuses
        .iter()
        .position(|s| *s != StepStatus::Done)
        .map_or(last, |i| i + 1)
}

/// The `p`-quantile of ascending values, interpolating linearly between the closest ranks
/// (R type 7, numpy's default): `None` when empty or when `p` is outside [0, 1].
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(a + (h - lo as f64) * (b - a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_explicit_solo_choice_opens_a_diagnostic_answered_alone() {
        assert_eq!(Answering::chosen(Answering::Solo.code()), Answering::Solo);
        assert_eq!(
            Answering::chosen(Answering::Collective.code()),
            Answering::Collective
        );
        for other in ["", "SOLO", "seul", "1"] {
            assert_eq!(Answering::chosen(other), Answering::Collective);
        }
    }
    use crate::domain::Dimension::*;
    use crate::domain::questionnaire::testing::*;
    use crate::domain::questionnaire::{Recommendation, Role, Threshold};
    use Quality::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    fn respondent(role: &str, answers: Vec<Option<Answer>>) -> Respondent {
        Respondent {
            role: role.into(),
            answers,
        }
    }

    fn with_roles(mut q: Questionnaire, roles: &[&str]) -> Questionnaire {
        q.roles = roles
            .iter()
            .map(|id| Role {
                id: (*id).into(),
                label: text(id),
            })
            .collect();
        q
    }

    fn recommendation(target: RecommendationTarget) -> Recommendation {
        Recommendation {
            target,
            text: text("conseil"),
            links: vec![],
            coalitions: vec![],
        }
    }

    fn for_level(quality: Quality, levels: &[Level]) -> Recommendation {
        recommendation(RecommendationTarget::Quality {
            quality,
            levels: levels.to_vec(),
        })
    }

    fn for_answers(question: &str, answers: &[&str]) -> Recommendation {
        recommendation(RecommendationTarget::Answers {
            question: question.into(),
            answers: answers.iter().map(|a| (*a).into()).collect(),
        })
    }

    fn scale_answers(points: &[u8]) -> Vec<Option<Answer>> {
        points.iter().map(|&k| Some(Answer::Scale(k))).collect()
    }

    /// One scale(11) question per quality, in display order: answer k scores 10 × (k − 1).
    fn seven_qualities() -> Questionnaire {
        questionnaire(
            Quality::ALL
                .iter()
                .map(|&q| question(q.code(), q, Offre, scale(11)))
                .collect(),
        )
    }

    #[test]
    fn quantile_interpolates_between_closest_ranks() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        // h = 3 × 0.25 = 0.75 → 1 + 0.75 × (2 − 1) = 1.75.
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.75), Some(3.25));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&[7.0], 0.25), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&v, 1.5), None);
        assert_eq!(quantile(&v, f64::NAN), None);
    }

    #[test]
    fn strengths_and_weaknesses_never_share_a_quality() {
        let q = seven_qualities();
        // Inclusif 70, Frugal 10, Démocratique 90, Protecteur 30, Innovant 50,
        // Capacitant 40, Équitable 100.
        let r = diagnostic_result(
            &q,
            &[respondent(
                "direction",
                scale_answers(&[8, 2, 10, 4, 6, 5, 11]),
            )],
            None,
            None,
        );
        assert_eq!(r.weaknesses, vec![Frugal, Protecteur, Capacitant]);
        assert_eq!(r.strengths, vec![Equitable, Democratique]);
        // Overall (70 + 10 + 90 + 30 + 50 + 40 + 100) / 7 = 55.71: « avancé ».
        assert!(close(r.group.scores.overall, 390.0 / 7.0));
        assert_eq!(r.level, Some(Level::Avance));
        assert_eq!(r.respondents, 1);

        // Three defined (Frugal 10, Innovant 50, Équitable 100): one strength, two weaknesses.
        let mut answers = vec![None; 7];
        answers[Frugal.index()] = Some(Answer::Scale(2));
        answers[Innovant.index()] = Some(Answer::Scale(6));
        answers[Equitable.index()] = Some(Answer::Scale(11));
        let r = diagnostic_result(&q, &[respondent("direction", answers)], None, None);
        assert_eq!(r.strengths, vec![Equitable]);
        assert_eq!(r.weaknesses, vec![Frugal, Innovant]);

        // One defined: a weakness, no strength.
        let mut answers = vec![None; 7];
        answers[Protecteur.index()] = Some(Answer::Scale(9));
        let r = diagnostic_result(&q, &[respondent("direction", answers)], None, None);
        assert_eq!((r.strengths, r.weaknesses), (vec![], vec![Protecteur]));

        // All equal: three weaknesses by display order, and nothing stands out as a strength.
        let r = diagnostic_result(
            &q,
            &[respondent("direction", scale_answers(&[6; 7]))],
            None,
            None,
        );
        assert_eq!(r.weaknesses, vec![Inclusif, Frugal, Democratique]);
        assert!(r.strengths.is_empty());

        // Nobody answered: nothing to say.
        let r = diagnostic_result(&q, &[], None, None);
        assert_eq!(r.level, None);
        assert!(r.strengths.is_empty() && r.weaknesses.is_empty());
        assert!(r.recommendations.is_empty());
    }

    #[test]
    fn a_role_with_two_respondents_is_hidden_and_roles_disperse() {
        let q = with_roles(
            questionnaire(vec![
                question("inc-1", Inclusif, Offre, scale(5)),
                question("fru-1", Frugal, Offre, scale(5)),
            ]),
            &["direction", "elu", "agent", "partenaire"],
        );
        let respondents = vec![
            respondent("direction", scale_answers(&[5, 5])),
            respondent("direction", scale_answers(&[5, 4])),
            respondent("direction", scale_answers(&[5, 3])),
            respondent("elu", vec![Some(Answer::Scale(3)), Some(Answer::DontKnow)]),
            respondent("elu", vec![Some(Answer::Scale(3)), Some(Answer::DontKnow)]),
            respondent("elu", vec![Some(Answer::Scale(3)), None]),
            respondent("agent", scale_answers(&[1, 3])),
            respondent("agent", scale_answers(&[1, 3])),
            // A role the questionnaire does not declare counts in the group only.
            respondent("inconnu", vec![]),
        ];
        let r = diagnostic_result(&q, &respondents, None, None);
        assert_eq!(r.respondents, 9);
        let shown: Vec<_> = r
            .roles
            .iter()
            .map(|r| (r.role.as_str(), r.respondents))
            .collect();
        assert_eq!(shown, vec![("direction", 3), ("elu", 3)]);
        assert_eq!(r.hidden_roles, 1);
        // Direction: inclusif 100, frugal (1 + 0.75 + 0.5) / 3 = 75; élus: inclusif 50.
        assert!(close(r.roles[0].scores.quality(Inclusif), 100.0));
        assert!(close(r.roles[0].scores.quality(Frugal), 75.0));
        assert!(close(r.roles[1].scores.quality(Inclusif), 50.0));
        assert_eq!(r.roles[1].scores.quality(Frugal), None);
        // Between roles: inclusif 100 and 50 → 25; frugal has a single shown role → none.
        assert!(close(r.role_dispersion[Inclusif.index()], 25.0));
        assert_eq!(r.role_dispersion[Frugal.index()], None);
        // The group includes the hidden agents: inclusif (3 × 1 + 3 × 0.5 + 2 × 0) / 8.
        assert!(close(r.group.scores.quality(Inclusif), 56.25));
        // Frugal of respondents 100, 75, 50, 50, 50 → mean 65, σ = √(2000 / 5) = 20;
        // inclusif σ = √(12187.5 / 8) = 39.03: both divergent, inclusif first.
        assert!(close(r.group.dispersion[Frugal.index()], 20.0));
        assert_eq!(r.divergent, vec![Inclusif, Frugal]);
    }

    #[test]
    fn divergent_qualities_come_most_divergent_first() {
        let q = questionnaire(vec![
            question("inc-1", Inclusif, Offre, scale(11)),
            question("fru-1", Frugal, Offre, scale(11)),
            question("dem-1", Democratique, Offre, scale(11)),
        ]);
        // Inclusif 100 / 60 → σ 20; frugal 100 / 0 → 50; démocratique 50 / 70 → 10 (consensus).
        let r = diagnostic_result(
            &q,
            &[
                respondent("direction", scale_answers(&[11, 11, 6])),
                respondent("direction", scale_answers(&[7, 1, 8])),
            ],
            None,
            None,
        );
        assert_eq!(r.divergent, vec![Frugal, Inclusif]);
        // Two respondents of one role: hidden.
        assert!(r.roles.is_empty());
        assert_eq!(r.hidden_roles, 1);
        assert_eq!(r.role_dispersion, [None; QUALITY_COUNT]);
    }

    fn recommendations_questionnaire() -> Questionnaire {
        let mut q = questionnaire(vec![
            question("inc-1", Inclusif, Offre, scale(5)),
            question(
                "fru-1",
                Frugal,
                Offre,
                QuestionKind::Single {
                    options: choices(&[0.0, 0.5, 1.0]),
                },
            ),
            question(
                "dem-1",
                Democratique,
                Usages,
                QuestionKind::Multiple {
                    options: choices(&[0.1, 0.1, 0.0]),
                },
            ),
            question("pro-1", Protecteur, Commande, scale(5)),
        ]);
        use Level::*;
        q.recommendations = vec![
            for_level(Inclusif, &[AInitier, EnProgression]), // 0
            for_level(Inclusif, &[Avance]),                  // 1
            for_answers("fru-1", &["o0"]),                   // 2
            for_level(Frugal, &[EnProgression]),             // 3
            for_answers("dem-1", &["o2"]),                   // 4
            for_level(Protecteur, &[Avance]),                // 5
            for_answers("pro-1", &["1"]),                    // 6
            for_answers("inc-1", &["1"]),                    // 7
            for_answers("fru-1", &["o2"]),                   // 8
            for_level(Democratique, &[AInitier]),            // 9
        ];
        q
    }

    #[test]
    fn recommendations_follow_the_weakest_qualities_levels_then_answers() {
        let q = recommendations_questionnaire();
        let na = || Some(Answer::NotApplicable(None));
        let row = |inc: Option<Answer>, fru: usize, dem: Option<Answer>, pro: u8| {
            respondent(
                "direction",
                vec![
                    inc,
                    Some(Answer::Single(fru)),
                    dem,
                    Some(Answer::Scale(pro)),
                ],
            )
        };
        let respondents = vec![
            row(
                Some(Answer::Scale(1)),
                0,
                Some(Answer::Multiple(vec![0, 2])),
                5,
            ),
            row(
                Some(Answer::Scale(3)),
                0,
                Some(Answer::Multiple(vec![1, 2])),
                5,
            ),
            row(na(), 1, Some(Answer::Multiple(vec![0, 1])), 1),
            row(Some(Answer::DontKnow), 2, na(), 1),
        ];
        let r = diagnostic_result(&q, &respondents, None, None);
        // Démocratique (0.1 + 0.1 + 0.2) / 3 = 13.33 « à initier », the weakest;
        // inclusif (0 + 0.5) / 2 = 25 « en progression »; frugal (0 + 0 + 0.5 + 1) / 4 = 37.5
        // « en progression »; protecteur (1 + 1 + 0 + 0) / 4 = 50 « avancé »: left out.
        assert!(close(r.group.scores.quality(Democratique), 40.0 / 3.0));
        assert!(close(r.group.scores.quality(Inclusif), 25.0));
        assert!(close(r.group.scores.quality(Frugal), 37.5));
        assert!(close(r.group.scores.quality(Protecteur), 50.0));
        let got: Vec<(usize, Quality)> = r
            .recommendations
            .iter()
            .map(|r| (r.index, r.quality))
            .collect();
        // 4: « o2 » chosen by 2 of the 3 who answered (the « non applicable » is left out);
        // 7: « 1 » given by 1 of the 2 who answered: half is enough;
        // 2: « o0 » by 2 of 4; 8: « o2 » by 1 of 4, not enough;
        // 1, 5 and 6 concern levels or qualities that are not weak.
        assert_eq!(
            got,
            vec![
                (9, Democratique),
                (4, Democratique),
                (0, Inclusif),
                (7, Inclusif),
                (3, Frugal),
                (2, Frugal),
            ]
        );
        assert_eq!(
            r.recommendations[0].reason,
            RecommendationReason::Level {
                level: Level::AInitier
            }
        );
        assert_eq!(
            r.recommendations[1].reason,
            RecommendationReason::Answers {
                question: "dem-1".into()
            }
        );

        // Nothing « à initier » or « en progression »: still the single weakest quality's
        // advice. Inclusif 100, frugal 100, démocratique unanswered, protecteur 50 « avancé ».
        let strong = vec![
            respondent(
                "direction",
                vec![
                    Some(Answer::Scale(5)),
                    Some(Answer::Single(2)),
                    None,
                    Some(Answer::Scale(3)),
                ],
            );
            3
        ];
        let r = diagnostic_result(&q, &strong, None, None);
        let got: Vec<_> = r
            .recommendations
            .iter()
            .map(|r| (r.index, r.quality))
            .collect();
        assert_eq!(got, vec![(5, Protecteur)]);
    }

    #[test]
    fn no_recommendation_is_listed_twice() {
        let mut q = recommendations_questionnaire();
        // A target naming a question that does not exist is skipped, not an error.
        q.recommendations.push(for_answers("absent", &["1"]));
        let respondents = vec![respondent(
            "direction",
            vec![Some(Answer::Scale(1)), Some(Answer::Single(0)), None, None],
        )];
        let r = diagnostic_result(&q, &respondents, None, None);
        let mut indices: Vec<_> = r.recommendations.iter().map(|r| r.index).collect();
        // Inclusif 0 and frugal 0: both « à initier », inclusif first (display order).
        // Inclusif is both the single weakest and « à initier »: its advice comes once.
        assert_eq!(indices, vec![0, 7, 2]);
        indices.sort_unstable();
        indices.dedup();
        assert_eq!(indices.len(), r.recommendations.len());
    }

    #[test]
    fn comparison_uses_linked_questions_and_per_question_means() {
        let earlier = questionnaire(vec![
            question("fru-1", Frugal, Offre, scale(5)),
            question("inc-1", Inclusif, Offre, scale(5)),
            question("fru-2", Frugal, Usages, scale(5)),
        ]);
        let mut later = questionnaire(vec![
            question("fru-1", Frugal, Offre, scale(5)),
            question("inc-new", Inclusif, Offre, scale(5)),
            question("fru-3", Frugal, Usages, scale(5)),
        ]);
        later.version = "v2".into();
        later.previous = Some("v1".into());
        later.questions[0].same_as = Some("fru-1".into());
        later.questions[1].same_as = Some("inc-1".into());
        let comparability = Comparability {
            pairs: vec![(0, 0), (1, 1)],
            same_version: false,
        };
        let before = vec![
            respondent("direction", scale_answers(&[1, 5, 5])),
            respondent("direction", scale_answers(&[3, 5])),
        ];
        let after = vec![
            respondent("direction", scale_answers(&[5, 3, 1])),
            respondent(
                "direction",
                vec![
                    Some(Answer::Scale(5)),
                    Some(Answer::DontKnow),
                    Some(Answer::Scale(1)),
                ],
            ),
            respondent(
                "direction",
                vec![Some(Answer::Scale(3)), None, Some(Answer::Scale(1))],
            ),
        ];
        let means = mean_question_scores(&later, &after);
        // fru-1 (1 + 1 + 0.5) / 3, inc-new 0.5 (one answer), fru-3 0.
        assert!(close(means[0], 2.5 / 3.0));
        assert_eq!((means[1], means[2]), (Some(0.5), Some(0.0)));
        assert_eq!(
            mean_question_scores(&earlier, &before),
            vec![Some(0.25), Some(1.0), Some(1.0)]
        );

        let r = diagnostic_result(
            &later,
            &after,
            Some(Earlier {
                questionnaire: &earlier,
                respondents: &before,
                comparability: &comparability,
                label: "Diagnostic 2024".into(),
            }),
            None,
        );
        let c = &r
            .comparison
            .as_ref()
            .expect("a comparison was asked for")
            .comparison;
        // Frugal on fru-1 only: 25 → 83.33 (fru-2 and fru-3 are not linked); inclusif 100 → 50.
        assert!(close(c.before[Frugal.index()], 25.0));
        assert!(close(c.after[Frugal.index()], 250.0 / 3.0));
        assert!(close(c.change(Inclusif), -50.0));
        // The current frugal score, with fru-3, is lower: (0.8333 + 0) / 2 = 41.67.
        assert!(close(r.group.scores.quality(Frugal), 125.0 / 3.0));
        let result = r.comparison.as_ref();
        assert_eq!(result.map(|c| c.label.as_str()), Some("Diagnostic 2024"));
        assert_eq!(result.map(|c| (c.compared(), c.scored())), Some((2, 3)));
        assert_eq!(result.map(ComparisonResult::across_versions), Some(true));
    }

    fn peer(qualities: [Option<f64>; QUALITY_COUNT]) -> Scores {
        Scores {
            qualities,
            dimensions: [None; 3],
            cells: [[None; 3]; QUALITY_COUNT],
            overall: None,
            answered: 0,
            scored: 0,
        }
    }

    #[test]
    fn peers_need_five_and_give_quartiles_per_quality() {
        let q = seven_qualities();
        let me = [respondent("direction", scale_answers(&[6; 7]))];
        let group = |inclusif: &[f64], frugal: &[Option<f64>]| PeerGroup {
            scores: inclusif
                .iter()
                .zip(frugal)
                .map(|(&i, &f)| {
                    let mut s = [None; QUALITY_COUNT];
                    s[Inclusif.index()] = Some(i);
                    s[Frugal.index()] = f;
                    peer(s)
                })
                .collect(),
        };
        let four = group(&[10.0, 20.0, 30.0, 40.0], &[Some(1.0); 4]);
        assert_eq!(diagnostic_result(&q, &me, None, Some(&four)).peers, None);
        assert_eq!(diagnostic_result(&q, &me, None, None).peers, None);

        let six = group(
            &[40.0, 0.0, 100.0, 20.0, 10.0, 30.0],
            &[
                Some(50.0),
                None,
                Some(60.0),
                None,
                Some(70.0),
                Some(f64::NAN),
            ],
        );
        let stats = diagnostic_result(&q, &me, None, Some(&six)).peers;
        let Some(stats) = stats else {
            panic!("six peers are enough");
        };
        assert_eq!(stats.peers, 6);
        // Sorted 0, 10, 20, 30, 40, 100: h = 5p → q1 at 1.25 = 12.5, median at 2.5 = 25,
        // q3 at 3.75 = 37.5.
        assert_eq!(
            stats.quality(Inclusif),
            Some(&Quartiles {
                n: 6,
                q1: 12.5,
                median: 25.0,
                q3: 37.5
            })
        );
        // Frugal: three peers with a score (NaN is none): too few to show.
        assert_eq!(stats.quality(Frugal), None);
        assert_eq!(stats.quality(Equitable), None);
    }

    #[test]
    fn levels_and_consensus_are_decided_on_the_exact_value_at_their_bounds() {
        let q = questionnaire(vec![
            question(
                "dem-1",
                Democratique,
                Offre,
                // aucune, ponctuel, régulier, systématique: as in territoires/v1.
                QuestionKind::Single {
                    options: choices(&[0.0, 0.3, 0.7, 1.0]),
                },
            ),
            question(
                "fru-1",
                Frugal,
                Offre,
                QuestionKind::Multiple {
                    options: choices(&[0.06, 0.59, 0.1]),
                },
            ),
            question(
                "inc-1",
                Inclusif,
                Offre,
                QuestionKind::Multiple {
                    options: choices(&[0.2, 0.1, 0.0]),
                },
            ),
        ]);
        let answer = |dem: usize| {
            respondent(
                "direction",
                vec![
                    Some(Answer::Single(dem)),
                    Some(Answer::Multiple(vec![0, 1, 2])),
                ],
            )
        };
        // Démocratique: ponctuel, ponctuel, régulier, régulier → (0.3 + 0.3 + 0.7 + 0.7) / 4,
        // 49.99999999999999 in floating point: exactly 50 on paper, « avancé ».
        let raw = (0.3 + 0.3 + 0.7 + 0.7) / 4.0 * 100.0;
        assert!(raw < 50.0, "the noise this guards against: {raw}");
        let r = diagnostic_result(
            &q,
            &[answer(1), answer(1), answer(2), answer(2)],
            None,
            None,
        );
        assert_eq!(r.group.scores.quality(Democratique), Some(50.0));
        assert_eq!(
            r.group.scores.quality(Democratique).map(Level::of_score),
            Some(Level::Avance)
        );
        // Frugal: a multiple choice of 0.06 + 0.59 + 0.1, 0.7499999999999999 in floating
        // point: 75, « exemplaire ».
        let raw = (0.06 + 0.59 + 0.1) * 100.0;
        assert!(raw < 75.0, "the noise this guards against: {raw}");
        assert_eq!(r.group.scores.quality(Frugal), Some(75.0));
        assert_eq!(
            r.group.scores.quality(Frugal).map(Level::of_score),
            Some(Level::Exemplaire)
        );
        // Inclusif: {0.2 + 0.1} against {0}, i.e. 30 and 0: a dispersion of 15 on paper
        // (15.000000000000002 in floating point), which is agreement.
        let spread = [
            respondent(
                "direction",
                vec![None, None, Some(Answer::Multiple(vec![0, 1]))],
            ),
            respondent(
                "direction",
                vec![None, None, Some(Answer::Multiple(vec![2]))],
            ),
        ];
        let r = diagnostic_result(&q, &spread, None, None);
        assert_eq!(r.group.dispersion[Inclusif.index()], Some(15.0));
        assert_eq!(agreement(&r.group, Inclusif), Agreement::Agree);
        assert_eq!(r.group.consensus(Inclusif), Some(true));
        assert!(r.divergent.is_empty());
    }

    #[test]
    fn a_quality_scored_by_one_respondent_says_why_it_has_no_dispersion() {
        let q = questionnaire(vec![
            question("inc-1", Inclusif, Offre, scale(5)),
            question("fru-1", Frugal, Offre, scale(5)),
            question("dem-1", Democratique, Offre, scale(5)),
        ]);
        let r = diagnostic_result(
            &q,
            &[
                respondent(
                    "direction",
                    vec![Some(Answer::Scale(5)), Some(Answer::Scale(5)), None],
                ),
                respondent(
                    "direction",
                    vec![Some(Answer::Scale(1)), Some(Answer::DontKnow), None],
                ),
            ],
            None,
            None,
        );
        assert_eq!(agreement(&r.group, Inclusif), Agreement::Diverge);
        // Frugal: the second respondent does not know, so one score only.
        assert_eq!(r.group.dispersion[Frugal.index()], None);
        assert_eq!(agreement(&r.group, Frugal), Agreement::SingleScore);
        assert_eq!(agreement(&r.group, Democratique), Agreement::NoScore);
    }

    #[test]
    fn organisation_figures_need_three_respondents_counted_by_whole_groups() {
        use Answering::*;
        assert_eq!(
            disclosure(Collective, 0),
            Disclosure::Withheld { needed: 3 }
        );
        assert_eq!(
            disclosure(Collective, 1),
            Disclosure::Withheld { needed: 2 }
        );
        assert_eq!(
            disclosure(Collective, 2),
            Disclosure::Withheld { needed: 1 }
        );
        assert_eq!(disclosure(Collective, 3), Disclosure::Shown { counted: 3 });
        assert_eq!(disclosure(Collective, 5), Disclosure::Shown { counted: 3 });
        assert_eq!(disclosure(Collective, 6), Disclosure::Shown { counted: 6 });
        // Alone: the lead's own answers at once; a second response is not shown mixed.
        assert_eq!(disclosure(Solo, 1), Disclosure::Shown { counted: 1 });
        assert_eq!(disclosure(Solo, 0), Disclosure::Withheld { needed: 1 });
        assert_eq!(disclosure(Solo, 2), Disclosure::Withheld { needed: 1 });

        let q = seven_qualities();
        let two = [
            respondent("direction", scale_answers(&[11; 7])),
            respondent("direction", scale_answers(&[1; 7])),
        ];
        let r = disclosed_result(&q, &two, Collective, None, None);
        assert_eq!((r.respondents, r.withheld), (2, Some(1)));
        assert_eq!(r.group.scores.overall, None);
        assert!(r.group.respondents.is_empty() && r.recommendations.is_empty());
        assert_eq!(r.group.dispersion, [None; QUALITY_COUNT]);

        // The fourth waits for its group: the figures are those of the first three.
        let four: Vec<Respondent> = [1, 1, 1, 11]
            .iter()
            .map(|&k| respondent("direction", scale_answers(&[k; 7])))
            .collect();
        let r = disclosed_result(&q, &four, Collective, None, None);
        assert_eq!((r.respondents, r.pending, r.withheld), (3, 1, None));
        assert_eq!(r.group.scores.overall, Some(0.0));
        assert_eq!(r.roles[0].respondents, 3);
    }

    #[test]
    fn a_question_s_answers_are_counted_from_three_who_answered_it_by_whole_groups() {
        let q = questionnaire(vec![
            question("fru-1", Frugal, Offre, scale(4)),
            question(
                "fru-2",
                Frugal,
                Usages,
                QuestionKind::Multiple {
                    options: choices(&[0.2, 0.5, 0.3]),
                },
            ),
            question("libre", Frugal, Offre, QuestionKind::Text),
        ]);
        let answer = |a: Option<Answer>, b: Option<Answer>| respondent("direction", vec![a, b]);
        // fru-1 answered by 2 only (the others left it blank): nothing counted.
        let mut people = vec![
            answer(Some(Answer::Scale(1)), Some(Answer::Multiple(vec![0, 1]))),
            answer(None, Some(Answer::DontKnow)),
            answer(Some(Answer::Scale(4)), Some(Answer::NotApplicable(None))),
        ];
        let r = question_results(&q, &people);
        // The free-text question is never shown.
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].answers, None);
        assert_eq!(r[0].justifications, None);
        assert_eq!(
            r[1].answers,
            Some(AnswerCounts {
                counted: 3,
                choices: vec![1, 1, 0],
                dont_know: 1,
                not_applicable: 1,
            })
        );
        // A fourth answer to fru-2 waits for its group of 3; fru-1 now has 3.
        people.push(answer(
            Some(Answer::DontKnow),
            Some(Answer::Multiple(vec![2])),
        ));
        let r = question_results(&q, &people);
        assert_eq!(
            r[0].answers
                .as_ref()
                .map(|a| (a.counted, a.choices.clone(), a.dont_know)),
            Some((3, vec![1, 0, 0, 1], 1))
        );
        assert_eq!(r[1].answers.as_ref().map(|a| a.counted), Some(3));
        assert_eq!(
            r[1].answers.as_ref().map(|a| a.choices.clone()),
            Some(vec![1, 1, 0])
        );
    }

    #[test]
    fn justifications_come_from_the_people_counted_once_they_are_five_in_alphabetical_order() {
        let q = questionnaire(vec![question("fru-1", Frugal, Offre, scale(5))]);
        let na = |why: &str| {
            respondent(
                "direction",
                vec![Some(Answer::NotApplicable(Some(why.into())))],
            )
        };
        let mut people = vec![na("Pas de parc"), na("  "), na("Aucun serveur")];
        people.push(respondent("direction", vec![Some(Answer::Scale(2))]));
        people.push(na("Zéro achat"));
        // Five answered, three counted: no justification, though five people answered.
        let r = question_results(&q, &people);
        assert_eq!(r[0].answers.as_ref().map(|a| a.counted), Some(3));
        assert_eq!(r[0].justifications, None);
        // Six counted: the justifications of those six, blank ones left out, sorted.
        people.push(na("Mutualisé"));
        let r = question_results(&q, &people);
        assert_eq!(
            r[0].answers.as_ref().map(|a| (a.counted, a.not_applicable)),
            Some((6, 5))
        );
        assert_eq!(
            r[0].justifications,
            Some(vec![
                "Aucun serveur".to_owned(),
                "Mutualisé".to_owned(),
                "Pas de parc".to_owned(),
                "Zéro achat".to_owned(),
            ])
        );
    }

    #[test]
    fn a_withheld_result_counts_no_question() {
        let q = questionnaire(vec![question("fru-1", Frugal, Offre, scale(5))]);
        let two = vec![respondent("direction", scale_answers(&[5])); 2];
        let r = disclosed_result(&q, &two, Answering::Collective, None, None);
        assert_eq!(r.questions.len(), 1);
        assert_eq!(r.questions[0].answers, None);
    }

    #[test]
    fn numbers_are_counted_in_the_bands_of_their_thresholds() {
        let q = questionnaire(vec![question(
            "fru-1",
            Frugal,
            Offre,
            QuestionKind::Number {
                unit: None,
                min: None,
                max: None,
                thresholds: vec![
                    Threshold {
                        value: 10.0,
                        score: 0.0,
                    },
                    Threshold {
                        value: 50.0,
                        score: 1.0,
                    },
                ],
            },
        )]);
        assert_eq!(
            answer_choices(&q.questions[0]),
            vec![
                AnswerChoice::Below(10.0),
                AnswerChoice::Between(10.0, 50.0),
                AnswerChoice::From(50.0)
            ]
        );
        let people: Vec<Respondent> = [5.0, 10.0, 49.0, 50.0, 80.0, 3.0]
            .iter()
            .map(|&x| respondent("direction", vec![Some(Answer::Number(x))]))
            .collect();
        let r = question_results(&q, &people);
        assert_eq!(
            r[0].answers.as_ref().map(|a| a.choices.clone()),
            Some(vec![2, 2, 2])
        );
    }

    #[test]
    fn recommendations_are_gathered_into_one_card_a_quality() {
        let mut q = recommendations_questionnaire();
        q.recommendations.push(for_answers("absent", &["1"]));
        let respondents = vec![respondent(
            "direction",
            vec![Some(Answer::Scale(1)), Some(Answer::Single(0)), None, None],
        )];
        let r = diagnostic_result(&q, &respondents, None, None);
        let cards: Vec<(Quality, Vec<usize>)> = r
            .recommendations_by_quality()
            .into_iter()
            .map(|(quality, refs)| (quality, refs.iter().map(|r| r.index).collect()))
            .collect();
        // Inclusif's level advice and its answers' advice share one card.
        assert_eq!(cards, vec![(Inclusif, vec![0, 7]), (Frugal, vec![2])]);
    }

    #[test]
    fn coverage_counts_dont_know_and_not_applicable_apart_as_the_results_do() {
        let q = seven_qualities();
        let answers = vec![
            Some(Answer::Scale(4)),
            Some(Answer::DontKnow),
            Some(Answer::NotApplicable(None)),
            Some(Answer::Scale(11)),
            None,
        ];
        let coverage = Coverage::of(&q, &answers);
        assert_eq!(
            (coverage.scored, coverage.answered, coverage.dont_know),
            (7, 2, 1)
        );
        assert_eq!((coverage.not_applicable, coverage.blank()), (1, 3));
        // The review's count is the results page's: the same answers, the same share.
        let scores = scoring::score_response(&q, &answers);
        assert_eq!(coverage.answered, scores.answered);
        assert_eq!(coverage.share(), scores.coverage());
    }

    #[test]
    fn the_minimum_coverage_is_reached_at_its_threshold_rounded_up() {
        let q = seven_qualities();
        let answered = |n: usize| {
            let answers: Vec<Option<Answer>> = (0..7)
                .map(|i| (i < n).then_some(Answer::Scale(5)))
                .collect();
            Coverage::of(&q, &answers)
        };
        // Half of 7 is 3.5: 4 answers.
        assert_eq!(answered(0).needed(0.5), 4);
        assert!(!answered(3).reaches(0.5));
        assert!(answered(4).reaches(0.5));
        assert!(answered(0).reaches(0.0));
        assert!(!answered(6).reaches(1.0));
        assert!(answered(7).reaches(1.0));
        // « Je ne sais pas » everywhere is no coverage.
        let dont_know: Vec<Option<Answer>> = (0..7).map(|_| Some(Answer::DontKnow)).collect();
        assert!(!Coverage::of(&q, &dont_know).reaches(0.5));
    }

    #[test]
    fn a_step_is_done_partly_done_or_to_do_and_resume_finds_where_one_stopped() {
        let mut q = seven_qualities();
        q.questions
            .push(question("fru-2", Quality::Frugal, Offre, scale(5)));
        let frugal = Quality::ALL
            .iter()
            .position(|&x| x == Quality::Frugal)
            .expect("frugal");
        let mut answers: Vec<Option<Answer>> = vec![None; q.questions.len()];
        assert_eq!(
            Coverage::of_step(&q, &answers, Quality::Frugal).step_status(),
            StepStatus::ToDo
        );
        answers[frugal] = Some(Answer::DontKnow);
        assert_eq!(
            Coverage::of_step(&q, &answers, Quality::Frugal).step_status(),
            StepStatus::Partly
        );
        answers[7] = Some(Answer::Scale(2));
        assert_eq!(
            Coverage::of_step(&q, &answers, Quality::Frugal).step_status(),
            StepStatus::Done
        );
        use StepStatus::*;
        let statuses = [Done, Partly, ToDo, ToDo, ToDo, ToDo, ToDo];
        assert_eq!(resume_step(None, &statuses), 2);
        assert_eq!(resume_step(Some(4), &statuses), 4);
        assert_eq!(resume_step(Some(8), &statuses), 8);
        assert_eq!(resume_step(Some(0), &statuses), 2);
        assert_eq!(resume_step(Some(9), &statuses), 2);
        assert_eq!(resume_step(None, &[Done; 7]), 8);
    }
}

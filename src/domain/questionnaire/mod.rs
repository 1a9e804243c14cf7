//! Versioned questionnaires: the validated model that scoring and pages use, the answers a
//! question accepts, and the registry of every version found on disk.
//!
//! A file is parsed into [`file::RawQuestionnaire`], then checked and turned into a
//! [`Questionnaire`] by [`validate`]; [`registry::Registry`] loads a whole folder and runs the
//! checks that span files (`previous`, `same_as`).

pub mod file;
pub mod registry;
pub mod validate;

use crate::domain::i18n::LocalizedText;
use crate::domain::{Audience, Dimension, Level, Quality};
use std::path::PathBuf;

pub use registry::Registry;
pub use validate::{Problem, Severity};

/// One version of one questionnaire, checked.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub slug: String,
    pub version: String,
    /// The number in `v<N>`, to order versions.
    pub version_number: u32,
    pub previous: Option<String>,
    pub audience: Audience,
    pub licence: String,
    pub estimated_minutes: Option<u32>,
    pub title: LocalizedText,
    pub introduction: LocalizedText,
    pub roles: Vec<Role>,
    pub questions: Vec<Question>,
    pub recommendations: Vec<Recommendation>,
    /// Where the file was read from, for messages.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes: a version is immutable once answered.
    pub content_hash: String,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub label: LocalizedText,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub quality: Quality,
    pub dimension: Dimension,
    pub text: LocalizedText,
    pub why: LocalizedText,
    pub help: Option<LocalizedText>,
    pub weight: f64,
    pub not_applicable: NotApplicable,
    pub dont_know: bool,
    pub same_as: Option<String>,
    pub kind: QuestionKind,
}

/// Whether « non applicable » is offered, and whether it must be justified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    No,
    Allowed,
    Justified,
}

impl NotApplicable {
    pub fn code(self) -> &'static str {
        match self {
            NotApplicable::No => "no",
            NotApplicable::Allowed => "allowed",
            NotApplicable::Justified => "justified",
        }
    }
}

#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// `labels.len()` points; answer `k` in `1..=n`.
    Scale {
        scale: String,
        labels: Vec<LocalizedText>,
    },
    Single {
        options: Vec<Choice>,
    },
    Multiple {
        options: Vec<Choice>,
    },
    YesNo {
        yes_score: f64,
        no_score: f64,
    },
    Number {
        unit: Option<LocalizedText>,
        min: Option<f64>,
        max: Option<f64>,
        /// At least two, values strictly increasing.
        thresholds: Vec<Threshold>,
    },
    Text,
}

impl QuestionKind {
    pub fn code(&self) -> &'static str {
        match self {
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::YesNo { .. } => "yes_no",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Text => "text",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub label: LocalizedText,
    pub score: f64,
    pub exclusive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub value: f64,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct Recommendation {
    pub target: RecommendationTarget,
    pub text: LocalizedText,
    pub links: Vec<Link>,
    pub coalitions: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum RecommendationTarget {
    /// For a quality whose score falls in one of these levels.
    Quality {
        quality: Quality,
        levels: Vec<Level>,
    },
    /// For these answers (canonical values) to one question.
    Answers {
        question: String,
        answers: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Link {
    pub label: LocalizedText,
    pub url: String,
}

/// What a respondent gave to one question, checked against it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Point `k` of the scale, `1..=n`.
    Scale(u8),
    /// Index of the chosen option.
    Single(usize),
    /// Indices of the chosen options, ascending, without repeats.
    Multiple(Vec<usize>),
    YesNo(bool),
    Number(f64),
    Text(String),
    /// « Non applicable », with the justification when one was given.
    NotApplicable(Option<String>),
    /// « Je ne sais pas ».
    DontKnow,
}

/// Why a given value is not an answer to a question.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("no answer")]
    Missing,
    #[error("not a point of the scale")]
    NotAPoint { points: usize },
    #[error("unknown option")]
    UnknownOption,
    #[error("exclusive option chosen with another")]
    ExclusiveWithOthers,
    #[error("not a number")]
    NotANumber,
    #[error("number out of range")]
    OutOfRange { min: Option<f64>, max: Option<f64> },
    #[error("text too long")]
    TooLong { max: usize },
    #[error("not applicable is not offered")]
    NotApplicableRefused,
    #[error("not applicable needs a justification")]
    JustificationMissing,
    #[error("don't know is not offered")]
    DontKnowRefused,
}

/// Longest free text kept for one answer or justification, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// How an answer is stored: its state and, when answered, its canonical value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerState {
    Answered,
    NotApplicable,
    DontKnow,
}

impl AnswerState {
    pub fn code(self) -> &'static str {
        match self {
            AnswerState::Answered => "answered",
            AnswerState::NotApplicable => "not_applicable",
            AnswerState::DontKnow => "dont_know",
        }
    }

    pub fn from_code(code: &str) -> Option<AnswerState> {
        match code {
            "answered" => Some(AnswerState::Answered),
            "not_applicable" => Some(AnswerState::NotApplicable),
            "dont_know" => Some(AnswerState::DontKnow),
            _ => None,
        }
    }
}

impl Question {
    pub fn is_scored(&self) -> bool {
        !matches!(self.kind, QuestionKind::Text)
    }

    fn options(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => options,
            _ => &[],
        }
    }

    /// The canonical values this question accepts, as recommendations name them.
    pub fn canonical_values(&self) -> Vec<String> {
        match &self.kind {
            QuestionKind::Scale { labels, .. } => {
                (1..=labels.len()).map(|k| k.to_string()).collect()
            }
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                options.iter().map(|o| o.id.clone()).collect()
            }
            QuestionKind::YesNo { .. } => vec!["yes".into(), "no".into()],
            QuestionKind::Number { .. } | QuestionKind::Text => vec![],
        }
    }

    /// Reads an answer from its stored form: a state, the canonical value and a justification.
    ///
    /// The canonical value is the scale point (`"3"`), the option id, the option ids joined
    /// by `,`, `"yes"`/`"no"`, the number, or the text.
    pub fn parse_answer(
        &self,
        state: AnswerState,
        value: Option<&str>,
        justification: Option<&str>,
    ) -> Result<Answer, AnswerError> {
        match state {
            AnswerState::NotApplicable => {
                let justification = justification.map(str::trim).filter(|j| !j.is_empty());
                match self.not_applicable {
                    NotApplicable::No => Err(AnswerError::NotApplicableRefused),
                    NotApplicable::Justified if justification.is_none() => {
                        Err(AnswerError::JustificationMissing)
                    }
                    _ => {
                        if let Some(j) = justification
                            && j.chars().count() > MAX_TEXT_CHARS
                        {
                            return Err(AnswerError::TooLong {
                                max: MAX_TEXT_CHARS,
                            });
                        }
                        Ok(Answer::NotApplicable(justification.map(str::to_owned)))
                    }
                }
            }
            AnswerState::DontKnow if self.dont_know => Ok(Answer::DontKnow),
            AnswerState::DontKnow => Err(AnswerError::DontKnowRefused),
            AnswerState::Answered => {
                let value = value.map(str::trim).filter(|v| !v.is_empty());
                let value = value.ok_or(AnswerError::Missing)?;
                self.parse_value(value)
            }
        }
    }

    fn parse_value(&self, value: &str) -> Result<Answer, AnswerError> {
        let option_index = |id: &str| {
            self.options()
                .iter()
                .position(|o| o.id == id)
                .ok_or(AnswerError::UnknownOption)
        };
        match &self.kind {
            QuestionKind::Scale { labels, .. } => {
                let points = labels.len();
                match value.parse::<u8>() {
                    Ok(k) if k >= 1 && usize::from(k) <= points => Ok(Answer::Scale(k)),
                    _ => Err(AnswerError::NotAPoint { points }),
                }
            }
            QuestionKind::Single { .. } => Ok(Answer::Single(option_index(value)?)),
            QuestionKind::Multiple { options } => {
                let mut chosen = value
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(option_index)
                    .collect::<Result<Vec<_>, _>>()?;
                chosen.sort_unstable();
                chosen.dedup();
                if chosen.is_empty() {
                    return Err(AnswerError::Missing);
                }
                if chosen.len() > 1 && chosen.iter().any(|&i| options[i].exclusive) {
                    return Err(AnswerError::ExclusiveWithOthers);
                }
                Ok(Answer::Multiple(chosen))
            }
            QuestionKind::YesNo { .. } => match value {
                "yes" => Ok(Answer::YesNo(true)),
                "no" => Ok(Answer::YesNo(false)),
                _ => Err(AnswerError::UnknownOption),
            },
            QuestionKind::Number { min, max, .. } => {
                // People type French decimals with a comma.
                let number: f64 = value
                    .replace(',', ".")
                    .replace([' ', '\u{a0}', '\u{202f}'], "")
                    .parse()
                    .map_err(|_| AnswerError::NotANumber)?;
                if !number.is_finite() {
                    return Err(AnswerError::NotANumber);
                }
                let below = min.is_some_and(|m| number < m);
                let above = max.is_some_and(|m| number > m);
                if below || above {
                    return Err(AnswerError::OutOfRange {
                        min: *min,
                        max: *max,
                    });
                }
                Ok(Answer::Number(number))
            }
            QuestionKind::Text => {
                if value.chars().count() > MAX_TEXT_CHARS {
                    return Err(AnswerError::TooLong {
                        max: MAX_TEXT_CHARS,
                    });
                }
                Ok(Answer::Text(value.to_owned()))
            }
        }
    }

    /// The stored form of an answer: its state, canonical value and justification.
    pub fn store_answer(&self, answer: &Answer) -> (AnswerState, Option<String>, Option<String>) {
        let option_id = |i: usize| {
            self.options()
                .get(i)
                .map(|o| o.id.clone())
                .unwrap_or_default()
        };
        match answer {
            Answer::NotApplicable(j) => (AnswerState::NotApplicable, None, j.clone()),
            Answer::DontKnow => (AnswerState::DontKnow, None, None),
            Answer::Scale(k) => (AnswerState::Answered, Some(k.to_string()), None),
            Answer::Single(i) => (AnswerState::Answered, Some(option_id(*i)), None),
            Answer::Multiple(is) => {
                let ids: Vec<String> = is.iter().map(|&i| option_id(i)).collect();
                (AnswerState::Answered, Some(ids.join(",")), None)
            }
            Answer::YesNo(b) => (
                AnswerState::Answered,
                Some(if *b { "yes" } else { "no" }.to_owned()),
                None,
            ),
            Answer::Number(n) => (AnswerState::Answered, Some(n.to_string()), None),
            Answer::Text(t) => (AnswerState::Answered, Some(t.clone()), None),
        }
    }
}

impl Questionnaire {
    /// `slug/version`, the way people name a version.
    pub fn key(&self) -> String {
        format!("{}/{}", self.slug, self.version)
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    pub fn scored_questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.is_scored())
    }

    /// The questions of one quality, in file order: one page of the autodiagnostic.
    pub fn questions_of(&self, quality: Quality) -> impl Iterator<Item = (usize, &Question)> {
        self.questions
            .iter()
            .enumerate()
            .filter(move |(_, q)| q.quality == quality)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small questionnaires built in code, for unit tests of scoring and answers.
    use super::*;

    pub fn text(s: &str) -> LocalizedText {
        LocalizedText::new(s, s)
    }

    pub fn question(
        id: &str,
        quality: Quality,
        dimension: Dimension,
        kind: QuestionKind,
    ) -> Question {
        Question {
            id: id.into(),
            quality,
            dimension,
            text: text(id),
            why: text("why"),
            help: None,
            weight: 1.0,
            not_applicable: NotApplicable::Allowed,
            dont_know: true,
            same_as: None,
            kind,
        }
    }

    pub fn scale(points: usize) -> QuestionKind {
        QuestionKind::Scale {
            scale: "s".into(),
            labels: (1..=points).map(|k| text(&k.to_string())).collect(),
        }
    }

    pub fn choices(scores: &[f64]) -> Vec<Choice> {
        scores
            .iter()
            .enumerate()
            .map(|(i, &score)| Choice {
                id: format!("o{i}"),
                label: text("o"),
                score,
                exclusive: false,
            })
            .collect()
    }

    pub fn questionnaire(questions: Vec<Question>) -> Questionnaire {
        Questionnaire {
            slug: "test".into(),
            version: "v1".into(),
            version_number: 1,
            previous: None,
            audience: Audience::Organisation,
            licence: "CC-BY-4.0".into(),
            estimated_minutes: None,
            title: text("Test"),
            introduction: text("Intro"),
            roles: vec![Role {
                id: "direction".into(),
                label: text("Direction"),
            }],
            questions,
            recommendations: vec![],
            path: PathBuf::from("questionnaires/test/v1.toml"),
            content_hash: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use Dimension::*;
    use Quality::*;

    #[test]
    fn answers_round_trip_through_their_stored_form() {
        let mut multiple = choices(&[0.2, 0.5, 0.0]);
        multiple[2].exclusive = true;
        let questions = [
            (question("a", Frugal, Offre, scale(5)), Answer::Scale(4)),
            (
                question(
                    "b",
                    Frugal,
                    Offre,
                    QuestionKind::Single {
                        options: choices(&[0.0, 1.0]),
                    },
                ),
                Answer::Single(1),
            ),
            (
                question(
                    "c",
                    Frugal,
                    Offre,
                    QuestionKind::Multiple { options: multiple },
                ),
                Answer::Multiple(vec![0, 1]),
            ),
            (
                question(
                    "d",
                    Frugal,
                    Offre,
                    QuestionKind::YesNo {
                        yes_score: 1.0,
                        no_score: 0.0,
                    },
                ),
                Answer::YesNo(false),
            ),
            (
                question("e", Frugal, Offre, QuestionKind::Text),
                Answer::Text("libre".into()),
            ),
            (
                question("f", Frugal, Offre, scale(3)),
                Answer::NotApplicable(Some("pas de DSI".into())),
            ),
            (question("g", Frugal, Offre, scale(3)), Answer::DontKnow),
        ];
        for (q, answer) in questions {
            let (state, value, justification) = q.store_answer(&answer);
            let back = q.parse_answer(state, value.as_deref(), justification.as_deref());
            assert_eq!(back, Ok(answer), "question {}", q.id);
        }
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let q = question("a", Frugal, Offre, scale(5));
        assert_eq!(
            q.parse_answer(AnswerState::Answered, Some("6"), None),
            Err(AnswerError::NotAPoint { points: 5 })
        );
        assert_eq!(
            q.parse_answer(AnswerState::Answered, Some("  "), None),
            Err(AnswerError::Missing)
        );

        let mut options = choices(&[0.2, 0.0]);
        options[1].exclusive = true;
        let m = question("m", Frugal, Offre, QuestionKind::Multiple { options });
        assert_eq!(
            m.parse_answer(AnswerState::Answered, Some("o0,o1"), None),
            Err(AnswerError::ExclusiveWithOthers)
        );
        assert_eq!(
            m.parse_answer(AnswerState::Answered, Some("o0,tampered"), None),
            Err(AnswerError::UnknownOption)
        );

        let n = question(
            "n",
            Frugal,
            Offre,
            QuestionKind::Number {
                unit: None,
                min: Some(0.0),
                max: Some(100.0),
                thresholds: vec![],
            },
        );
        assert_eq!(
            n.parse_answer(AnswerState::Answered, Some("12,5"), None),
            Ok(Answer::Number(12.5))
        );
        assert_eq!(
            n.parse_answer(AnswerState::Answered, Some("101"), None),
            Err(AnswerError::OutOfRange {
                min: Some(0.0),
                max: Some(100.0)
            })
        );
        assert_eq!(
            n.parse_answer(AnswerState::Answered, Some("beaucoup"), None),
            Err(AnswerError::NotANumber)
        );

        let mut justified = question("j", Frugal, Offre, scale(3));
        justified.not_applicable = NotApplicable::Justified;
        assert_eq!(
            justified.parse_answer(AnswerState::NotApplicable, None, Some("   ")),
            Err(AnswerError::JustificationMissing)
        );
        justified.not_applicable = NotApplicable::No;
        assert_eq!(
            justified.parse_answer(AnswerState::NotApplicable, None, Some("x")),
            Err(AnswerError::NotApplicableRefused)
        );
    }
}

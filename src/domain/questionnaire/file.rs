//! The questionnaire file as written on disk (`questionnaires/<slug>/<version>.toml`).
//!
//! Codes are kept as strings and translations as optional strings here, so that
//! [`super::validate`] can report every problem of a file at once, with its question id and
//! a fix, instead of serde stopping at the first. Unknown fields are still refused by serde:
//! a misspelt field name must never be silently ignored.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub fr: Option<String>,
    pub en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    pub slug: String,
    pub version: String,
    pub previous: Option<String>,
    pub audience: String,
    pub licence: Option<String>,
    pub estimated_minutes: Option<u32>,
    pub title: RawText,
    pub introduction: RawText,
    #[serde(default)]
    pub roles: Vec<RawRole>,
    #[serde(default)]
    pub scales: BTreeMap<String, RawScale>,
    #[serde(default)]
    pub questions: Vec<RawQuestion>,
    #[serde(default)]
    pub recommendations: Vec<RawRecommendation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub id: String,
    pub label: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub labels: Vec<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: String,
    pub quality: String,
    pub dimension: String,
    pub kind: String,
    pub text: RawText,
    pub why: Option<RawText>,
    pub help: Option<RawText>,
    pub weight: Option<f64>,
    pub not_applicable: Option<String>,
    pub dont_know: Option<bool>,
    pub same_as: Option<String>,
    // kind = "scale"
    pub scale: Option<String>,
    // kind = "single" | "multiple"
    pub options: Option<Vec<RawOption>>,
    // kind = "yes_no"
    pub yes_score: Option<f64>,
    pub no_score: Option<f64>,
    // kind = "number"
    pub unit: Option<RawText>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub thresholds: Option<Vec<RawThreshold>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: String,
    pub label: RawText,
    pub score: f64,
    #[serde(default)]
    pub exclusive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreshold {
    pub value: f64,
    pub score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecommendation {
    pub quality: Option<String>,
    pub levels: Option<Vec<String>>,
    pub question: Option<String>,
    pub answers: Option<Vec<String>>,
    pub text: RawText,
    #[serde(default)]
    pub links: Vec<RawLink>,
    #[serde(default)]
    pub coalitions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub label: RawText,
    pub url: String,
}

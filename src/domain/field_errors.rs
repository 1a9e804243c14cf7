//! What a rejected form says back: a message per field, in both languages, shown beside the
//! field. Domain types are parsed from form data with `TryFrom`, returning [`FieldErrors`],
//! and the page is rendered again with everything the person typed.

use crate::domain::i18n::{Lang, LocalizedText};
use std::collections::BTreeMap;

/// Messages by field name (the `name` attribute of the input).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(BTreeMap<String, LocalizedText>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a message for a field; the first message of a field is kept.
    pub fn add(&mut self, field: &str, fr: impl Into<String>, en: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| LocalizedText::new(fr, en));
    }

    pub fn get(&self, field: &str) -> Option<&LocalizedText> {
        self.0.get(field)
    }

    pub fn message(&self, field: &str, lang: Lang) -> Option<&str> {
        self.get(field).map(|t| t.get(lang))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &LocalizedText)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

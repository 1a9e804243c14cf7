//! Languages of the interface: French first, English second.
//!
//! Every user-facing string exists in both languages, and there is one way to write an
//! interface string: `lang.pick("français", "English")` where it is used, both texts side by
//! side, so that a string is read, reviewed and changed with its translation. A word that is
//! truly the same in both languages (« Version », « Coalitions ») is written once, without
//! `pick`; `tests/architecture.rs` fails on a `pick` whose two texts are equal or empty,
//! naming file and line.
//!
//! [`LocalizedText`] is only the type of bilingual *data* read from files (questionnaires,
//! the coalition catalogue), never a way to write an interface string.

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The preferred language of an `Accept-Language` header, French when it names neither.
    ///
    /// Follows the q-values; `fr-CA` counts as French, `en-GB` as English.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let primary = tag.split('-').next().unwrap_or("");
            let Some(lang) = Lang::from_code(primary) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The language's own name, as shown on the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// Picks the text of this language among a French and an English one.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// A number with exactly `places` decimals, with this language's separator: `0,65`.
    pub fn decimal(self, x: f64, places: usize) -> String {
        let text = format!("{x:.places$}");
        match self {
            Lang::Fr => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A figure as people read it: at most `places` decimals, trailing zeros dropped (`12`,
    /// `81,7`).
    pub fn figure(self, x: f64, places: usize) -> String {
        let text = format!("{x:.places$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        match self {
            Lang::Fr => text.replace('.', ","),
            Lang::En => text.to_owned(),
        }
    }
}

/// A text given in both languages, as in questionnaire files: `{ fr = "…", en = "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub fr: String,
    pub en: String,
}

impl LocalizedText {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        LocalizedText {
            fr: fr.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_follows_q_values_and_defaults_to_french() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, fr;q=0.5, en;q=0.4"),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.3, fr-CA;q=0.7"),
            Lang::Fr
        );
        assert_eq!(Lang::from_accept_language("de, es"), Lang::Fr);
        assert_eq!(Lang::from_accept_language(""), Lang::Fr);
    }
}

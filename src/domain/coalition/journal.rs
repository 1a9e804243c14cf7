//! A coalition's continuous documentation, as the charter asks: dated journal entries (a
//! Reset Day, a workshop, a decision) with attendance and notes, and the productions it
//! publishes, under CC BY 4.0 unless stated otherwise.
//!
//! Forms made of strings parse with `TryFrom` into types holding only valid values, or into
//! [`FieldErrors`] beside each field; the day is a parameter, so the rules are tested with
//! fixed dates.

use crate::domain::coalition::{NAME_MAX, TEXT_MAX, optional_text, past_date, required_text};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

vocabulary! {
    /// What a journal entry records.
    EntryKind {
        ResetDay => "reset_day", "Reset Day", "Reset Day";
        Atelier => "atelier", "Atelier", "Workshop";
        Decision => "decision", "Décision", "Decision";
        Reunion => "reunion", "Réunion", "Meeting";
        Autre => "autre", "Autre", "Other";
    }
}

vocabulary! {
    /// The licence of a production; CC BY 4.0 is the programme's default.
    Licence {
        CcBy => "CC-BY-4.0", "CC BY 4.0", "CC BY 4.0";
        CcBySa => "CC-BY-SA-4.0", "CC BY-SA 4.0", "CC BY-SA 4.0";
        Cc0 => "CC0-1.0", "CC0 1.0 (domaine public)", "CC0 1.0 (public domain)";
        Etalab => "Etalab-2.0", "Licence Ouverte 2.0 (Etalab)", "Open Licence 2.0 (Etalab)";
        Autre => "autre", "Autre licence (précisée dans la description)", "Other licence (stated in the description)";
    }
}

pub const NOTES_MAX: usize = 5000;
pub const URL_MAX: usize = 2000;

/// A journal entry as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryForm {
    pub kind: String,
    pub occurred_on: String,
    pub title: String,
    pub attendance: String,
    pub notes: String,
    pub is_public: bool,
}

impl Default for EntryForm {
    /// A blank entry is kept among the coalition's members: notes name people and record what
    /// was said, so making an entry public is a choice its author makes, never a default.
    fn default() -> Self {
        EntryForm {
            kind: String::new(),
            occurred_on: String::new(),
            title: String::new(),
            attendance: String::new(),
            notes: String::new(),
            is_public: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub kind: EntryKind,
    pub occurred_on: Date,
    pub title: String,
    /// How many people took part, when counted.
    pub attendance: Option<i32>,
    pub notes: String,
    pub is_public: bool,
}

impl TryFrom<(&EntryForm, Date)> for JournalEntry {
    type Error = FieldErrors;

    fn try_from((form, today): (&EntryForm, Date)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = EntryKind::from_code(form.kind.trim());
        if kind.is_none() {
            errors.add(
                "kind",
                "Choisissez ce que l'entrée relate (Reset Day, atelier, décision, réunion ou autre).",
                "Choose what the entry records (Reset Day, workshop, decision, meeting or other).",
            );
        }
        let occurred_on = past_date(&mut errors, "occurred_on", &form.occurred_on, today);
        let title = required_text(
            &mut errors,
            "title",
            &form.title,
            NAME_MAX,
            ("un titre", "a title"),
        );
        let attendance = match form.attendance.trim() {
            "" => Some(None),
            typed => match typed.parse::<i32>() {
                Ok(n) if n >= 0 => Some(Some(n)),
                _ => {
                    errors.add(
                        "attendance",
                        format!("Le nombre de participants est un nombre entier, 0 ou plus ; « {typed} » n'en est pas un. Laissez vide s'il n'a pas été compté."),
                        format!("The attendance is a whole number, 0 or more; \"{typed}\" is not. Leave it empty if it was not counted."),
                    );
                    None
                }
            },
        };
        let notes = required_text(
            &mut errors,
            "notes",
            &form.notes,
            NOTES_MAX,
            (
                "les notes : ce qui s'est passé, ce qui a été décidé",
                "the notes: what happened, what was decided",
            ),
        );
        match (kind, occurred_on, title, attendance, notes) {
            (Some(kind), Some(occurred_on), Some(title), Some(attendance), Some(notes)) => errors
                .into_result(JournalEntry {
                    kind,
                    occurred_on,
                    title,
                    attendance,
                    notes,
                    is_public: form.is_public,
                }),
            _ => Err(errors),
        }
    }
}

/// A production as typed. Its fields are prefixed where the journal entry form on the same
/// page has a field of the same name, so that each label points to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductionForm {
    pub title: String,
    pub url: String,
    pub licence: String,
    pub published_on: String,
    pub description: String,
}

impl Default for ProductionForm {
    fn default() -> Self {
        ProductionForm {
            title: String::new(),
            url: String::new(),
            licence: Licence::CcBy.code().to_owned(),
            published_on: String::new(),
            description: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Production {
    pub title: String,
    pub url: String,
    pub licence: Licence,
    pub published_on: Date,
    pub description: String,
}

/// Whether a link is a web address one can follow: `http://` or `https://`, a host, no space.
pub fn is_web_link(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && !host.starts_with('.')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

impl TryFrom<(&ProductionForm, Date)> for Production {
    type Error = FieldErrors;

    fn try_from((form, today): (&ProductionForm, Date)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = required_text(
            &mut errors,
            "production_title",
            &form.title,
            NAME_MAX,
            ("le titre de la production", "the production's title"),
        );
        let url = form.url.trim();
        let url = if url.is_empty() {
            errors.add(
                "url",
                "Indiquez le lien où la production se consulte.",
                "Enter the link where the production can be read.",
            );
            None
        } else if url.chars().count() > URL_MAX || !is_web_link(url) {
            errors.add(
                "url",
                format!("« {url} » n'est pas un lien web : il commence par https:// (ou http://) suivi du nom du site, par exemple https://exemple.fr/rapport.pdf."),
                format!("\"{url}\" is not a web link: it starts with https:// (or http://) followed by the site's name, for example https://example.org/report.pdf."),
            );
            None
        } else {
            Some(url.to_owned())
        };
        let licence = Licence::from_code(form.licence.trim());
        if licence.is_none() {
            errors.add(
                "licence",
                "Choisissez la licence de la production (CC BY 4.0 par défaut).",
                "Choose the production's licence (CC BY 4.0 by default).",
            );
        }
        let published_on = past_date(&mut errors, "published_on", &form.published_on, today);
        let description = optional_text(&mut errors, "description", &form.description, TEXT_MAX);
        match (title, url, licence, published_on, description) {
            (Some(title), Some(url), Some(licence), Some(published_on), Some(description)) => {
                errors.into_result(Production {
                    title,
                    url,
                    licence,
                    published_on,
                    description,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 15);

    fn entry() -> EntryForm {
        EntryForm {
            kind: "reset_day".into(),
            occurred_on: "2025-06-15".into(),
            title: " Reset Day de printemps ".into(),
            attendance: "42".into(),
            notes: "Trois ateliers, une décision.".into(),
            is_public: false,
        }
    }

    #[test]
    fn a_complete_entry_parses_and_keeps_its_visibility() {
        let e = JournalEntry::try_from((&entry(), TODAY)).expect("valid");
        assert_eq!(e.kind, EntryKind::ResetDay);
        assert_eq!(e.occurred_on, TODAY);
        assert_eq!(e.title, "Reset Day de printemps");
        assert_eq!(e.attendance, Some(42));
        assert!(!e.is_public);
        // A blank form is kept among members by default; attendance may stay empty, and 0 is
        // a count.
        assert!(!EntryForm::default().is_public);
        let uncounted = EntryForm {
            attendance: " ".into(),
            ..entry()
        };
        assert_eq!(
            JournalEntry::try_from((&uncounted, TODAY))
                .unwrap()
                .attendance,
            None
        );
        let nobody = EntryForm {
            attendance: "0".into(),
            ..entry()
        };
        assert_eq!(
            JournalEntry::try_from((&nobody, TODAY)).unwrap().attendance,
            Some(0)
        );
    }

    #[test]
    fn an_entry_reports_every_problem_beside_its_field() {
        let form = EntryForm {
            kind: "fete".into(),
            occurred_on: "2025-06-16".into(),
            title: "t".repeat(NAME_MAX + 1),
            attendance: "12.5".into(),
            notes: String::new(),
            is_public: true,
        };
        let errors = JournalEntry::try_from((&form, TODAY)).unwrap_err();
        assert_eq!(errors.len(), 5);
        assert!(
            errors
                .message("occurred_on", Lang::Fr)
                .unwrap()
                .contains("futur")
        );
        assert!(
            errors
                .message("title", Lang::En)
                .unwrap()
                .contains("At most 200")
        );
        for negative in ["-1", "douze"] {
            let form = EntryForm {
                attendance: negative.into(),
                ..entry()
            };
            let errors = JournalEntry::try_from((&form, TODAY)).unwrap_err();
            assert!(errors.get("attendance").is_some(), "{negative}");
        }
        // Exactly the limits pass.
        let longest = EntryForm {
            title: "t".repeat(NAME_MAX),
            notes: "n".repeat(NOTES_MAX),
            ..entry()
        };
        assert!(JournalEntry::try_from((&longest, TODAY)).is_ok());
        let too_long = EntryForm {
            notes: "n".repeat(NOTES_MAX + 1),
            ..entry()
        };
        assert!(
            JournalEntry::try_from((&too_long, TODAY))
                .unwrap_err()
                .get("notes")
                .is_some()
        );
    }

    #[test]
    fn links_are_web_addresses_with_a_host() {
        for good in [
            "https://exemple.fr",
            "http://exemple.fr/rapport.pdf",
            "https://exemple.fr?x=1",
        ] {
            assert!(is_web_link(good), "{good}");
        }
        for bad in [
            "exemple.fr",
            "ftp://exemple.fr",
            "https://",
            "https:///chemin",
            "https://exemple.fr/un rapport",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
    }

    #[test]
    fn a_production_is_cc_by_by_default_and_needs_a_web_link() {
        let form = ProductionForm {
            title: "Guide de l'achat responsable".into(),
            url: "https://exemple.fr/guide.pdf".into(),
            published_on: "2025-03-01".into(),
            ..ProductionForm::default()
        };
        let p = Production::try_from((&form, TODAY)).expect("valid");
        assert_eq!(p.licence, Licence::CcBy);
        assert_eq!(p.description, "");

        let bad = ProductionForm {
            title: String::new(),
            url: "exemple.fr/guide.pdf".into(),
            licence: "GPL".into(),
            published_on: "2025-07-01".into(),
            description: String::new(),
        };
        let errors = Production::try_from((&bad, TODAY)).unwrap_err();
        for field in ["production_title", "url", "licence", "published_on"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(
            errors
                .message("url", Lang::Fr)
                .unwrap()
                .contains("https://")
        );
    }
}

//! A coalition's actions, as the pages read and write them: the statuses of the board (à
//! faire, en cours, fait), the form parsed into valid data, the filter of the list, and when
//! an action is overdue.
//!
//! The page sends an [`ActionForm`] made only of strings, so that a rejected form comes back
//! exactly as typed (ticked boxes included). What may be chosen depends on the coalition (its
//! current members, its goals and indicators), so the form is parsed together with the
//! [`ActionChoices`] it was offered: `TryFrom<(&ActionForm, &ActionChoices)>` gives
//! [`ActionData`] or every problem at once as [`FieldErrors`].

use crate::domain::Dimension;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};
use time::Date;

vocabulary! {
    /// Where an action stands, the columns of the board.
    ActionStatus {
        AFaire => "a_faire", "À faire", "To do";
        EnCours => "en_cours", "En cours", "In progress";
        Fait => "fait", "Fait", "Done";
    }
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;

/// Parses a `YYYY-MM-DD` date (the service's one date parser, [`crate::domain::read_date`]).
pub fn parse_day(text: &str) -> Option<Date> {
    crate::domain::parse_date(text)
}

/// A date as stored and typed: `YYYY-MM-DD`.
pub fn day_text(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// An action not done whose due date has passed.
pub fn is_overdue(status: ActionStatus, due_on: Option<&str>, today: Date) -> bool {
    status != ActionStatus::Fait && due_on.and_then(parse_day).is_some_and(|d| d < today)
}

/// How many actions stand in each status, in the order of [`ActionStatus::ALL`].
pub fn count_by_status(statuses: impl IntoIterator<Item = ActionStatus>) -> [usize; 3] {
    let mut counts = [0; 3];
    for status in statuses {
        counts[status.index()] += 1;
    }
    counts
}

/// The form as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionForm {
    pub title: String,
    pub description: String,
    pub dimension: String,
    /// The owner organisation's id, empty for none.
    pub owner: String,
    pub due_on: String,
    pub status: String,
    /// Ids of the ticked goals and indicators.
    pub goals: Vec<String>,
    pub indicators: Vec<String>,
}

impl Default for ActionForm {
    /// A new action starts « à faire ».
    fn default() -> Self {
        ActionForm {
            title: String::new(),
            description: String::new(),
            dimension: String::new(),
            owner: String::new(),
            due_on: String::new(),
            status: ActionStatus::AFaire.code().to_owned(),
            goals: Vec::new(),
            indicators: Vec::new(),
        }
    }
}

impl ActionForm {
    /// The form from submitted `(name, value)` pairs, repeated check boxes included.
    pub fn from_pairs(pairs: &[(String, String)]) -> ActionForm {
        let first = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let all = |name: &str| {
            pairs
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        ActionForm {
            title: first("title"),
            description: first("description"),
            dimension: first("dimension"),
            owner: first("owner"),
            due_on: first("due_on"),
            status: first("status"),
            goals: all("goals"),
            indicators: all("indicators"),
        }
    }
}

/// What the form offered: the organisations that may own the action (the coalition's
/// current members), and the coalition's goals and indicators, by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionChoices {
    pub owners: Vec<String>,
    pub goals: Vec<String>,
    pub indicators: Vec<String>,
}

/// A valid action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionData {
    title: String,
    description: String,
    dimension: Dimension,
    owner: Option<String>,
    due_on: Option<Date>,
    status: ActionStatus,
    goals: Vec<String>,
    indicators: Vec<String>,
}

impl ActionData {
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn dimension(&self) -> Dimension {
        self.dimension
    }
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }
    pub fn due_on(&self) -> Option<Date> {
        self.due_on
    }
    pub fn status(&self) -> ActionStatus {
        self.status
    }
    pub fn goals(&self) -> &[String] {
        &self.goals
    }
    pub fn indicators(&self) -> &[String] {
        &self.indicators
    }
}

/// The ticked ids, each once, if all were offered; else the error of the group.
fn ticked(
    ids: &[String],
    offered: &[String],
    field: &str,
    errors: &mut FieldErrors,
    (fr, en): (&str, &str),
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for id in ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
        if !offered.iter().any(|o| o == id) {
            errors.add(field, fr, en);
            return Vec::new();
        }
        if !kept.iter().any(|k| k == id) {
            kept.push(id.to_owned());
        }
    }
    kept
}

impl TryFrom<(&ActionForm, &ActionChoices)> for ActionData {
    type Error = FieldErrors;

    fn try_from((form, choices): (&ActionForm, &ActionChoices)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = form.title.trim();
        if title.is_empty() {
            errors.add(
                "title",
                "Donnez un titre à l'action.",
                "Give the action a title.",
            );
        } else if title.chars().count() > TITLE_MAX {
            errors.add(
                "title",
                format!("Le titre dépasse {TITLE_MAX} caractères."),
                format!("The title is longer than {TITLE_MAX} characters."),
            );
        }
        let description = form.description.trim();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.add(
                "description",
                format!("La description dépasse {DESCRIPTION_MAX} caractères."),
                format!("The description is longer than {DESCRIPTION_MAX} characters."),
            );
        }
        let dimension = Dimension::from_code(form.dimension.trim());
        if dimension.is_none() {
            errors.add(
                "dimension",
                "Choisissez le levier : la commande, l'offre ou les usages.",
                "Choose the lever: commissioning, supply or uses.",
            );
        }
        let owner = Some(form.owner.trim()).filter(|o| !o.is_empty());
        if let Some(owner) = owner
            && !choices.owners.iter().any(|o| o == owner)
        {
            errors.add(
                "owner",
                "Choisissez une organisation membre de la coalition.",
                "Choose an organisation that is a member of the coalition.",
            );
        }
        let due_text = form.due_on.trim();
        let due_on = if due_text.is_empty() {
            None
        } else {
            match crate::domain::read_date(due_text) {
                Ok(date) => Some(date),
                Err(crate::domain::DateError::OutOfRange { .. }) => {
                    let (fr, en) = crate::domain::out_of_range_message();
                    errors.add("due_on", fr, en);
                    None
                }
                Err(crate::domain::DateError::Malformed) => {
                    errors.add(
                        "due_on",
                        "Saisissez une date réelle au format AAAA-MM-JJ, par exemple 2026-06-30.",
                        "Enter a real date as YYYY-MM-DD, for example 2026-06-30.",
                    );
                    None
                }
            }
        };
        let status = ActionStatus::from_code(form.status.trim());
        if status.is_none() {
            errors.add(
                "status",
                "Choisissez un statut : à faire, en cours ou fait.",
                "Choose a status: to do, in progress or done.",
            );
        }
        let goals = ticked(
            &form.goals,
            &choices.goals,
            "goals",
            &mut errors,
            (
                "Choisissez parmi les objectifs de la coalition.",
                "Choose among the coalition's goals.",
            ),
        );
        let indicators = ticked(
            &form.indicators,
            &choices.indicators,
            "indicators",
            &mut errors,
            (
                "Choisissez parmi les indicateurs de la coalition.",
                "Choose among the coalition's indicators.",
            ),
        );
        match (dimension, status) {
            (Some(dimension), Some(status)) if errors.is_empty() => Ok(ActionData {
                title: title.to_owned(),
                description: description.to_owned(),
                dimension,
                owner: owner.map(str::to_owned),
                due_on,
                status,
                goals,
                indicators,
            }),
            _ => Err(errors),
        }
    }
}

/// The list's filter, from the query string: a dimension and an owner organisation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionFilter {
    pub dimension: Option<Dimension>,
    pub owner: Option<String>,
}

impl ActionFilter {
    /// Empty or unknown values filter nothing: a stale link still shows the actions.
    pub fn from_query(dimension: Option<&str>, owner: Option<&str>) -> ActionFilter {
        ActionFilter {
            dimension: dimension.and_then(Dimension::from_code),
            owner: owner
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.dimension.is_none() && self.owner.is_none()
    }

    pub fn matches(&self, dimension: Dimension, owner: Option<&str>) -> bool {
        self.dimension.is_none_or(|d| d == dimension)
            && self.owner.as_deref().is_none_or(|o| owner == Some(o))
    }
}

/// « 1 action » / « 3 actions », in both languages.
pub fn actions_count(lang: Lang, n: usize) -> String {
    if n == 1 || (lang == Lang::Fr && n == 0) {
        format!("{n} action")
    } else {
        format!("{n} actions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn choices() -> ActionChoices {
        ActionChoices {
            owners: vec!["org-1".into(), "org-2".into()],
            goals: vec!["goal-1".into()],
            indicators: vec!["ind-1".into(), "ind-2".into()],
        }
    }

    fn form() -> ActionForm {
        ActionForm {
            title: "  Former les acheteurs  ".into(),
            description: "Deux sessions".into(),
            dimension: "commande".into(),
            owner: "org-2".into(),
            due_on: "2026-06-30".into(),
            status: "en_cours".into(),
            goals: vec!["goal-1".into()],
            indicators: vec!["ind-2".into(), "ind-2".into()],
        }
    }

    #[test]
    fn a_complete_form_gives_a_valid_action() {
        let data = ActionData::try_from((&form(), &choices())).expect("valid");
        assert_eq!(data.title(), "Former les acheteurs");
        assert_eq!(data.dimension(), Dimension::Commande);
        assert_eq!(data.owner(), Some("org-2"));
        assert_eq!(data.due_on(), Some(date!(2026 - 06 - 30)));
        assert_eq!(data.status(), ActionStatus::EnCours);
        assert_eq!(data.goals(), ["goal-1"]);
        // A box sent twice is linked once.
        assert_eq!(data.indicators(), ["ind-2"]);
    }

    #[test]
    fn owner_due_date_and_links_are_optional() {
        let mut f = form();
        f.owner = String::new();
        f.due_on = " ".into();
        f.goals.clear();
        f.indicators.clear();
        let data = ActionData::try_from((&f, &choices())).expect("valid");
        assert_eq!(data.owner(), None);
        assert_eq!(data.due_on(), None);
        assert!(data.goals().is_empty() && data.indicators().is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let f = ActionForm {
            title: "   ".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            dimension: "partout".into(),
            owner: "org-9".into(),
            due_on: "2026-02-30".into(),
            status: "abandonne".into(),
            goals: vec!["goal-of-another-coalition".into()],
            indicators: vec!["ind-1".into(), "ind-9".into()],
        };
        let errors = ActionData::try_from((&f, &choices())).expect_err("rejected");
        for field in [
            "title",
            "description",
            "dimension",
            "owner",
            "due_on",
            "status",
            "goals",
            "indicators",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(errors.len(), 8);
    }

    #[test]
    fn a_title_may_be_200_characters_but_not_201() {
        let mut f = form();
        f.title = "é".repeat(TITLE_MAX);
        assert!(ActionData::try_from((&f, &choices())).is_ok());
        f.title.push('é');
        let errors = ActionData::try_from((&f, &choices())).expect_err("too long");
        assert_eq!(
            errors.message("title", Lang::En),
            Some("The title is longer than 200 characters.")
        );
    }

    #[test]
    fn an_action_is_overdue_only_when_not_done_and_past_its_date() {
        let today = date!(2026 - 03 - 10);
        use ActionStatus::*;
        assert!(is_overdue(AFaire, Some("2026-03-09"), today));
        assert!(is_overdue(EnCours, Some("2025-12-31"), today));
        assert!(!is_overdue(EnCours, Some("2026-03-10"), today));
        assert!(!is_overdue(Fait, Some("2025-01-01"), today));
        assert!(!is_overdue(AFaire, None, today));
    }

    #[test]
    fn counts_follow_the_board_order() {
        use ActionStatus::*;
        let counts = count_by_status([Fait, AFaire, Fait, EnCours]);
        assert_eq!(counts, [1, 1, 2]);
    }

    #[test]
    fn the_filter_keeps_matching_dimension_and_owner() {
        let all = ActionFilter::from_query(Some(""), Some(""));
        assert!(all.is_empty());
        use Dimension::*;
        assert!(all.matches(Offre, None));
        let offre = ActionFilter::from_query(Some("offre"), None);
        assert!(offre.matches(Offre, Some("org-1")));
        assert!(!offre.matches(Usages, Some("org-1")));
        let both = ActionFilter::from_query(Some("offre"), Some("org-1"));
        assert!(both.matches(Offre, Some("org-1")));
        assert!(!both.matches(Offre, Some("org-2")));
        assert!(!both.matches(Offre, None));
        // An unknown dimension filters nothing.
        assert_eq!(
            ActionFilter::from_query(Some("partout"), None).dimension,
            None
        );
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(day_text(date!(2026 - 01 - 05)), "2026-01-05");
        assert_eq!(parse_day("2026-1-5"), None);
    }
}

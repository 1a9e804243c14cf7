//! Who answers for the service, and how long it keeps what: what the legal pages every French
//! public-facing service owes (mentions légales, données personnelles, accessibilité) say.
//!
//! The operator's identity comes from the settings; one left empty reads as a placeholder that
//! names the setting to fill, so a demo instance cannot pass for a configured one.

use crate::domain::i18n::Lang;

/// The operator of an instance, as its settings give it (empty when not configured).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub address: String,
    pub email: String,
    pub director: String,
    pub host: String,
}

/// One line of the operator's identity: either what was configured, or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail<'a> {
    Given(&'a str),
    /// Not configured: the words to show, naming the setting to fill.
    Missing(String),
}

impl Detail<'_> {
    pub fn text(&self) -> &str {
        match self {
            Detail::Given(s) => s,
            Detail::Missing(s) => s,
        }
    }
}

impl Operator {
    fn detail<'a>(value: &'a str, setting: &str, what: (&str, &str), lang: Lang) -> Detail<'a> {
        let value = value.trim();
        if value.is_empty() {
            Detail::Missing(
                lang.pick(
                    &format!("[{} — à configurer : {setting}]", what.0),
                    &format!("[{} — to be configured: {setting}]", what.1),
                )
                .to_owned(),
            )
        } else {
            Detail::Given(value)
        }
    }

    pub fn name(&self, lang: Lang) -> Detail<'_> {
        Self::detail(
            &self.name,
            "APP_OPERATOR_NAME",
            ("Nom de l'opérateur", "Operator's name"),
            lang,
        )
    }

    pub fn address(&self, lang: Lang) -> Detail<'_> {
        Self::detail(
            &self.address,
            "APP_OPERATOR_ADDRESS",
            ("Adresse de l'opérateur", "Operator's address"),
            lang,
        )
    }

    pub fn email(&self, lang: Lang) -> Detail<'_> {
        Self::detail(
            &self.email,
            "APP_OPERATOR_EMAIL",
            ("Adresse e-mail de contact", "Contact email address"),
            lang,
        )
    }

    pub fn director(&self, lang: Lang) -> Detail<'_> {
        Self::detail(
            &self.director,
            "APP_OPERATOR_DIRECTOR",
            (
                "Directeur ou directrice de la publication",
                "Publication director",
            ),
            lang,
        )
    }

    pub fn host(&self, lang: Lang) -> Detail<'_> {
        Self::detail(
            &self.host,
            "APP_OPERATOR_HOST",
            (
                "Hébergeur : nom, adresse, téléphone",
                "Host: name, address, telephone",
            ),
            lang,
        )
    }
}

/// How long the service keeps what it does not need for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// A response never submitted is deleted this many months after it was last saved.
    pub unsubmitted_months: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            unsubmitted_months: DEFAULT_UNSUBMITTED_MONTHS,
        }
    }
}

/// The default of `APP_RETENTION_UNSUBMITTED_MONTHS`: long enough for a diagnostic run over a
/// school or budget year and resumed the next, short enough not to keep abandoned answers.
pub const DEFAULT_UNSUBMITTED_MONTHS: u32 = 18;

impl Retention {
    /// The moment before which an unsubmitted response, last saved then, is deleted.
    pub fn unsubmitted_cutoff(&self, now: time::OffsetDateTime) -> time::OffsetDateTime {
        let months = self.unsubmitted_months.min(12 * 100) as i32;
        let date = now.date();
        let total = date.year() * 12 + (date.month() as i32 - 1) - months;
        let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
        let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
        // The same day of an earlier month, or that month's last day (31 March − 1 month).
        let day = date.day().min(month.length(year));
        match time::Date::from_calendar_date(year, month, day) {
            Ok(d) => d.with_time(now.time()).assume_offset(now.offset()),
            Err(_) => now - time::Duration::days(31 * i64::from(months)),
        }
    }
}

/// The name an account's authored records keep once it is deleted: what the account wrote in
/// its coalitions stays, without saying whose it was.
pub const DELETED_ACCOUNT_NAME: &str = "compte supprimé · deleted account";

/// The role of a deleted account's remaining row: no session, no sign-in, no page.
pub const ROLE_DELETED: &str = "deleted";

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn an_unconfigured_detail_names_the_setting_to_fill() {
        let operator = Operator::default();
        assert_eq!(
            operator.name(Lang::Fr).text(),
            "[Nom de l'opérateur — à configurer : APP_OPERATOR_NAME]"
        );
        assert!(operator.host(Lang::En).text().contains("APP_OPERATOR_HOST"));
        let operator = Operator {
            name: "  Agence  ".into(),
            ..Default::default()
        };
        assert_eq!(operator.name(Lang::Fr), Detail::Given("Agence"));
    }

    #[test]
    fn the_cutoff_is_the_same_day_months_earlier() {
        let retention = Retention {
            unsubmitted_months: 18,
        };
        assert_eq!(
            retention.unsubmitted_cutoff(datetime!(2026-12-06 10:00 UTC)),
            datetime!(2025-06-06 10:00 UTC)
        );
    }

    #[test]
    fn the_cutoff_falls_back_to_the_last_day_of_a_shorter_month() {
        let retention = Retention {
            unsubmitted_months: 1,
        };
        assert_eq!(
            retention.unsubmitted_cutoff(datetime!(2026-03-31 00:00 UTC)),
            datetime!(2026-02-28 00:00 UTC)
        );
        let retention = Retention {
            unsubmitted_months: 12,
        };
        assert_eq!(
            retention.unsubmitted_cutoff(datetime!(2026-01-15 08:30 UTC)),
            datetime!(2025-01-15 08:30 UTC)
        );
    }
}

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

    /// A number with exactly `places` decimals, with this language's marks: `0,65`
    /// (a diversity index, where « 0,60 » and « 0,6 » should line up).
    pub fn decimal(self, x: f64, places: usize) -> String {
        number(x, places, false, self)
    }

    /// A figure as people read it: at most `places` decimals, trailing zeros dropped, rounded
    /// half away from zero, thousands grouped: « 11 900 », « 60,3 », « -4,3 » in French,
    /// « 11,900 », « 60.3 » in English; « — » for a value that is not a number.
    pub fn figure(self, x: f64, places: usize) -> String {
        number(x, places, true, self)
    }

    /// A whole number with the language's thousands separator: « 11 900 » / « 11,900 ».
    pub fn count(self, n: i64) -> String {
        self.figure(n as f64, 0)
    }

    /// A share in [0, 1] as a percentage with at most one decimal: 0.834 → « 83,4 % » /
    /// « 83.4% ».
    pub fn percent(self, share: f64) -> String {
        if !share.is_finite() {
            return "—".to_owned();
        }
        let figure = self.figure(share * 100.0, 1);
        match self {
            Lang::Fr => format!("{figure}\u{a0}%"),
            Lang::En => format!("{figure}%"),
        }
    }

    /// A count with its noun agreed: « 1 service », « 2 services », « 11 900 exports ».
    /// French puts 0 and 1 in the singular (« 0 service »), English only 1 (« 0 services »).
    /// `fr` and `en` are each `[singular, plural]`.
    pub fn plural(self, n: i64, fr: [&str; 2], en: [&str; 2]) -> String {
        let singular = match self {
            Lang::Fr => n.abs() < 2,
            Lang::En => n.abs() == 1,
        };
        let [one, many] = self.pick_pair(fr, en);
        format!("{} {}", self.count(n), if singular { one } else { many })
    }

    fn pick_pair<'a>(self, fr: [&'a str; 2], en: [&'a str; 2]) -> [&'a str; 2] {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// A month of a year by name: (3, 2026) → « mars 2026 » / « March 2026 »; `None` for a
    /// month outside 1–12.
    pub fn month(self, month: u32, year: i32) -> Option<String> {
        let index = usize::try_from(month).ok()?.checked_sub(1)?;
        let name = self.pick(FRENCH_MONTHS.get(index)?, ENGLISH_MONTHS.get(index)?);
        Some(format!("{name} {year}"))
    }

    /// A month as stored in a table: `2026-03` (its year with it), or a bare `3` of `year`.
    pub fn month_text(self, text: &str, year: i32) -> Option<String> {
        match text.split_once('-') {
            Some((y, m)) => self.month(m.parse().ok()?, y.parse().ok()?),
            None => self.month(text.parse().ok()?, year),
        }
    }

    /// A stored date or timestamp (`2026-12-06`, `2026-12-06T14:05:00Z`) as a day people
    /// read: « 6 décembre 2026 » (« 1er décembre 2026 » on the first), « 6 December 2026 ».
    /// Text that is not such a date is shown as it is, rather than hidden. Takes a stored
    /// text or a `time::Date` alike.
    pub fn date(self, stored: impl std::fmt::Display) -> String {
        let stored = stored.to_string();
        match day_of(&stored) {
            Some(date) => self.day(date),
            None => stored,
        }
    }

    /// A day as [`Lang::date`] writes it: « 6 décembre 2026 », « 6 December 2026 ».
    fn day(self, date: time::Date) -> String {
        let index = usize::from(u8::from(date.month()) - 1);
        let (year, day) = (date.year(), date.day());
        match self {
            Lang::Fr if day == 1 => format!("1er {} {year}", FRENCH_MONTHS[index]),
            Lang::Fr => format!("{day} {} {year}", FRENCH_MONTHS[index]),
            Lang::En => format!("{day} {} {year}", ENGLISH_MONTHS[index]),
        }
    }

    /// A stored timestamp to the minute, in UTC as stored: « 6 décembre 2026 à 14:05 »,
    /// « 6 December 2026 at 14:05 »; a bare date is shown as [`Lang::date`] shows it.
    pub fn date_time(self, stored: impl std::fmt::Display) -> String {
        let stored = stored.to_string();
        let stored = stored.as_str();
        let day = self.date(stored);
        match stored.get(10..16) {
            Some(time)
                if day_of(stored).is_some()
                    && time.starts_with(['T', ' '])
                    && time[1..].bytes().enumerate().all(|(i, b)| {
                        if i == 2 {
                            b == b':'
                        } else {
                            b.is_ascii_digit()
                        }
                    }) =>
            {
                format!("{day} {} {}", self.pick("à", "at"), &time[1..])
            }
            _ => day,
        }
    }
}

const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// French groups thousands with a narrow no-break space (U+202F), as the Imprimerie
/// nationale and CLDR write it: it never breaks a figure across two lines, and is narrower
/// than a word space, so « 11 900 » reads as one number. Every font the pages fall back to
/// has it.
const FRENCH_THOUSANDS: char = '\u{202f}';

/// The day a stored date or timestamp begins with (`YYYY-MM-DD`), if it is a real day.
fn day_of(stored: &str) -> Option<time::Date> {
    let text = stored.get(..10)?;
    let shape = text.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    let year: i32 = text[..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..10].parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// `x` rounded half away from zero to `places` decimals (as people round: 80,25 → 80,3, not
/// the formatter's half to even), trailing zeros dropped when `trim`, with the language's
/// decimal mark and thousands separator.
fn number(x: f64, places: usize, trim: bool, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let factor = 10f64.powi(i32::try_from(places).unwrap_or(i32::MAX));
    let rounded = (x * factor).round() / factor;
    let x = if rounded.is_finite() { rounded } else { x };
    let text = format!("{x:.places$}");
    let text = if trim && text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    // « -0 » or « -0,0 » after rounding is zero, unsigned.
    let negative = negative && rest.bytes().any(|b| matches!(b, b'1'..=b'9'));
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let (separator, mark) = match lang {
        Lang::Fr => (FRENCH_THOUSANDS, ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::with_capacity(rest.len() + rest.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push(mark);
        out.push_str(fraction);
    }
    out
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
    #[test]
    fn a_figure_has_one_decimal_mark_per_language() {
        assert_eq!(Lang::Fr.figure(60.31, 1), "60,3");
        assert_eq!(Lang::En.figure(60.31, 1), "60.3");
        assert_eq!(Lang::Fr.figure(60.0, 1), "60");
        assert_eq!(Lang::En.figure(0.0, 1), "0");
        assert_eq!(Lang::En.figure(-4.25, 1), "-4.3");
        assert_eq!(Lang::Fr.figure(-4.25, 1), "-4,3");
        assert_eq!(Lang::Fr.figure(-0.01, 1), "0");
        assert_eq!(Lang::Fr.figure(80.25, 1), "80,3");
        assert_eq!(Lang::En.figure(2.5, 0), "3");
        assert_eq!(Lang::En.figure(0.999, 2), "1");
    }

    #[test]
    fn thousands_are_grouped_in_each_languages_way() {
        assert_eq!(Lang::Fr.count(11_900), "11\u{202f}900");
        assert_eq!(Lang::En.count(11_900), "11,900");
        assert_eq!(Lang::En.count(1_234_567), "1,234,567");
        assert_eq!(Lang::Fr.count(999), "999");
        assert_eq!(Lang::Fr.count(0), "0");
        assert_eq!(Lang::En.count(-1_000), "-1,000");
        assert_eq!(Lang::Fr.figure(-12_345.5, 1), "-12\u{202f}345,5");
        assert_eq!(Lang::En.figure(999_999.96, 1), "1,000,000");
        assert_eq!(
            Lang::Fr.count(i64::MAX),
            "9\u{202f}223\u{202f}372\u{202f}036\u{202f}854\u{202f}775\u{202f}808"
        );
    }

    #[test]
    fn a_decimal_keeps_its_places() {
        assert_eq!(Lang::Fr.decimal(0.6, 2), "0,60");
        assert_eq!(Lang::En.decimal(0.655, 2), "0.66");
        assert_eq!(Lang::Fr.decimal(-0.001, 2), "0,00");
        assert_eq!(Lang::En.decimal(1234.5, 2), "1,234.50");
    }

    #[test]
    fn a_value_that_is_not_a_number_is_a_dash() {
        assert_eq!(Lang::Fr.figure(f64::NAN, 1), "—");
        assert_eq!(Lang::En.figure(f64::INFINITY, 1), "—");
        assert_eq!(Lang::En.percent(f64::NAN), "—");
    }

    #[test]
    fn a_share_is_shown_as_a_percentage() {
        assert_eq!(Lang::Fr.percent(0.834), "83,4\u{a0}%");
        assert_eq!(Lang::En.percent(0.834), "83.4%");
        assert_eq!(Lang::Fr.percent(1.0), "100\u{a0}%");
        assert_eq!(Lang::En.percent(0.0), "0%");
    }

    #[test]
    fn a_count_agrees_with_its_noun_by_each_languages_rule() {
        let services =
            |lang: Lang, n| lang.plural(n, ["service", "services"], ["service", "services"]);
        assert_eq!(services(Lang::Fr, 0), "0 service");
        assert_eq!(services(Lang::Fr, 1), "1 service");
        assert_eq!(services(Lang::Fr, 2), "2 services");
        assert_eq!(services(Lang::En, 0), "0 services");
        assert_eq!(services(Lang::En, 1), "1 service");
        assert_eq!(services(Lang::En, -1), "-1 service");
        assert_eq!(
            Lang::Fr.plural(11_900, ["export", "exports"], ["export", "exports"]),
            "11\u{202f}900 exports"
        );
        assert_eq!(
            Lang::En.plural(11_900, ["export", "exports"], ["download", "downloads"]),
            "11,900 downloads"
        );
    }

    #[test]
    fn a_month_is_named_with_its_year() {
        assert_eq!(Lang::Fr.month(3, 2026).as_deref(), Some("mars 2026"));
        assert_eq!(Lang::En.month(12, 2026).as_deref(), Some("December 2026"));
        assert_eq!(Lang::Fr.month(0, 2026), None);
        assert_eq!(Lang::Fr.month(13, 2026), None);
    }

    #[test]
    fn a_stored_month_is_named_with_its_own_year_or_the_report_s() {
        assert_eq!(
            Lang::Fr.month_text("2025-12", 2026).as_deref(),
            Some("décembre 2025")
        );
        assert_eq!(
            Lang::En.month_text("3", 2026).as_deref(),
            Some("March 2026")
        );
        assert_eq!(Lang::Fr.month_text("2026-13", 2026), None);
    }

    #[test]
    fn a_stored_date_is_written_as_each_language_writes_a_day() {
        assert_eq!(Lang::Fr.date("2026-12-06"), "6 décembre 2026");
        assert_eq!(Lang::En.date("2026-12-06"), "6 December 2026");
        assert_eq!(Lang::Fr.date("2027-03-15T09:30:00Z"), "15 mars 2027");
        assert_eq!(Lang::Fr.date("2026-08-01"), "1er août 2026");
        assert_eq!(Lang::En.date("2026-08-01"), "1 August 2026");
        assert_eq!(Lang::Fr.date("2028-02-29"), "29 février 2028");
        let day = time::macros::date!(2026 - 03 - 01);
        assert_eq!(Lang::Fr.date(day), "1er mars 2026");
        assert_eq!(Lang::En.date(day), "1 March 2026");
    }

    #[test]
    fn text_that_is_not_a_date_is_shown_as_it_is() {
        assert_eq!(Lang::Fr.date("2027-02-29"), "2027-02-29");
        assert_eq!(Lang::Fr.date("2026-13-01"), "2026-13-01");
        assert_eq!(Lang::En.date("15/03/2027"), "15/03/2027");
        assert_eq!(Lang::En.date(""), "");
        assert_eq!(Lang::En.date("é"), "é");
    }

    #[test]
    fn a_stored_timestamp_is_written_to_the_minute() {
        assert_eq!(
            Lang::Fr.date_time("2026-12-06T14:05:09Z"),
            "6 décembre 2026 à 14:05"
        );
        assert_eq!(
            Lang::En.date_time("2026-12-06T14:05:09Z"),
            "6 December 2026 at 14:05"
        );
        assert_eq!(Lang::En.date_time("2026-12-06"), "6 December 2026");
        assert_eq!(Lang::En.date_time("soon"), "soon");
    }
}

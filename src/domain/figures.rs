//! Figures as people read them, one format per language: « 60,3 » and « 11 900 » in French,
//! « 60.3 » and « 11,900 » in English; months by name (« mars 2026 », « March 2026 »).
//!
//! The report and its charts print every figure through these functions, so a table and the
//! chart drawn from it never disagree on how a number looks.

use crate::domain::i18n::Lang;

/// French groups thousands with a narrow no-break space, which never breaks a figure across
/// two lines.
const FRENCH_THOUSANDS: char = '\u{202f}';

/// `x` rounded to `places` decimals (trailing zeros dropped: 60.0 → « 60 »), with the
/// language's decimal mark and thousands separator. `None` for a value that is not finite.
pub fn figure(x: f64, places: usize, lang: Lang) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    // Half away from zero, as people round (80,25 → 80,3), not the formatter's half to even.
    let factor = 10f64.powi(i32::try_from(places).unwrap_or(i32::MAX));
    let rounded = (x * factor).round() / factor;
    let x = if rounded.is_finite() { rounded } else { x };
    let text = format!("{x:.places$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    // « -0 » after rounding is 0.
    let text = if text == "-0" { "0".to_owned() } else { text };
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let (separator, mark) = match lang {
        Lang::Fr => (FRENCH_THOUSANDS, ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    let mut out = format!("{sign}{grouped}");
    if let Some(fraction) = fraction {
        out.push(mark);
        out.push_str(fraction);
    }
    Some(out)
}

/// A whole number with the language's thousands separator.
pub fn count(n: i64, lang: Lang) -> String {
    figure(n as f64, 0, lang).unwrap_or_else(|| n.to_string())
}

/// A share in [0, 1] as a percentage with one decimal: 0.834 → « 83,4 % » / « 83.4% ».
pub fn percent(share: f64, lang: Lang) -> Option<String> {
    figure(share * 100.0, 1, lang).map(|f| match lang {
        Lang::Fr => format!("{f}\u{a0}%"),
        Lang::En => format!("{f}%"),
    })
}

/// A month of a year by name: (3, 2026) → « mars 2026 » / « March 2026 »; `None` for a
/// month outside 1–12.
/// A month as stored in a table: `2026-03` (its year with it), or a bare `3` of `year`.
pub fn month_text(text: &str, year: i32, lang: Lang) -> Option<String> {
    match text.split_once('-') {
        Some((y, m)) => month_of_year(m.parse().ok()?, y.parse().ok()?, lang),
        None => month_of_year(text.parse().ok()?, year, lang),
    }
}

pub fn month_of_year(month: u32, year: i32, lang: Lang) -> Option<String> {
    const FR: [&str; 12] = [
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
    const EN: [&str; 12] = [
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
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    let name = lang.pick(FR.get(index)?, EN.get(index)?);
    Some(format!("{name} {year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_month_is_named_with_its_own_year_or_the_report_s() {
        assert_eq!(
            month_text("2025-12", 2026, Lang::Fr).as_deref(),
            Some("décembre 2025")
        );
        assert_eq!(
            month_text("3", 2026, Lang::En).as_deref(),
            Some("March 2026")
        );
        assert_eq!(month_text("2026-13", 2026, Lang::Fr), None);
    }

    #[test]
    fn a_figure_has_one_decimal_mark_per_language() {
        assert_eq!(figure(60.31, 1, Lang::Fr).as_deref(), Some("60,3"));
        assert_eq!(figure(60.31, 1, Lang::En).as_deref(), Some("60.3"));
        assert_eq!(figure(60.0, 1, Lang::Fr).as_deref(), Some("60"));
        assert_eq!(figure(-4.25, 1, Lang::En).as_deref(), Some("-4.3"));
        assert_eq!(figure(-0.01, 1, Lang::Fr).as_deref(), Some("0"));
        assert_eq!(figure(80.25, 1, Lang::Fr).as_deref(), Some("80,3"));
    }

    #[test]
    fn thousands_are_grouped_in_each_languages_way() {
        assert_eq!(
            figure(11900.0, 1, Lang::Fr).as_deref(),
            Some("11\u{202f}900")
        );
        assert_eq!(figure(11900.0, 1, Lang::En).as_deref(), Some("11,900"));
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(999, Lang::Fr), "999");
        assert_eq!(
            figure(-12345.5, 1, Lang::Fr).as_deref(),
            Some("-12\u{202f}345,5")
        );
    }

    #[test]
    fn a_value_that_is_not_a_number_has_no_figure() {
        assert_eq!(figure(f64::NAN, 1, Lang::Fr), None);
        assert_eq!(figure(f64::INFINITY, 1, Lang::En), None);
    }

    #[test]
    fn a_share_is_shown_as_a_percentage() {
        assert_eq!(percent(0.834, Lang::Fr).as_deref(), Some("83,4\u{a0}%"));
        assert_eq!(percent(0.834, Lang::En).as_deref(), Some("83.4%"));
    }

    #[test]
    fn a_month_is_named_with_its_year() {
        assert_eq!(
            month_of_year(3, 2026, Lang::Fr).as_deref(),
            Some("mars 2026")
        );
        assert_eq!(
            month_of_year(12, 2026, Lang::En).as_deref(),
            Some("December 2026")
        );
        assert_eq!(month_of_year(0, 2026, Lang::Fr), None);
        assert_eq!(month_of_year(13, 2026, Lang::Fr), None);
    }
}

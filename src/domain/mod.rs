//! The vocabulary of #RESET: the 7 qualities of the digital we want, the 3 dimensions on
//! which one can act, the score levels, the audiences of questionnaires and the families of
//! coalitions. Codes are the stable identifiers used in files, the database and open data.

use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Declares a closed set of codes with their French and English names, in display order.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $fr:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in files, the database and open data.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($fr, $en),)+ }
            }

            /// Position in display order, for indexing fixed-size tables.
            pub fn index(self) -> usize {
                self as usize
            }

            /// The accepted codes, for error messages: `a, b, c`.
            pub fn codes_list() -> String {
                [$($code,)+].join(", ")
            }
        }

        /// Decodes a stored code, so that storage rows hold the value rather than its code.
        impl TryFrom<String> for $name {
            type Error = crate::domain::UnknownCode;

            fn try_from(code: String) -> Result<$name, crate::domain::UnknownCode> {
                $name::from_code(&code).ok_or(crate::domain::UnknownCode {
                    vocabulary: stringify!($name),
                    code,
                })
            }
        }
    };
}

/// A stored code that no value of its vocabulary has: the database holds what this version
/// of the service does not know (a hand edit, a newer version's value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} code {code:?}")]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

// After the macro: the modules below declare their own vocabularies with it.
pub mod account;
pub mod co_leads;
pub mod coalition;
pub mod diagnostics;
pub mod field_errors;
pub mod i18n;
pub mod indicator;
pub mod invitations;
pub mod jobs;
pub mod join_requests;
pub mod legal;
pub mod mail;
pub mod notifications;
pub mod organisation;
pub mod questionnaire;
pub mod results;
pub mod scoring;
pub mod territory;

vocabulary! {
    /// The 7 qualities of the digital we want (the #RESET charter).
    Quality {
        Inclusif => "inclusif", "Inclusif", "Inclusive";
        Frugal => "frugal", "Frugal", "Frugal";
        Democratique => "democratique", "Démocratique", "Democratic";
        Protecteur => "protecteur", "Protecteur", "Protective";
        Innovant => "innovant", "Innovant", "Innovative";
        Capacitant => "capacitant", "Capacitant", "Empowering";
        Equitable => "equitable", "Équitable", "Fair";
    }
}

vocabulary! {
    /// The 3 dimensions, or levers, on which a coalition or an organisation acts.
    Dimension {
        Commande => "commande", "La commande", "Commissioning";
        Offre => "offre", "L'offre", "Supply";
        Usages => "usages", "Les usages", "Uses";
    }
}

vocabulary! {
    /// Who answers a questionnaire.
    Audience {
        Territory => "territory", "Territoires", "Territories";
        Organisation => "organisation", "Organisations", "Organisations";
        Coalition => "coalition", "Coalitions", "Coalitions";
    }
}

vocabulary! {
    /// A score band, from a quality or overall score out of 100.
    Level {
        AInitier => "a_initier", "À initier", "To initiate";
        EnProgression => "en_progression", "En progression", "In progress";
        Avance => "avance", "Avancé", "Advanced";
        Exemplaire => "exemplaire", "Exemplaire", "Exemplary";
    }
}

vocabulary! {
    /// The three families of coalitions (seed 001).
    CoalitionFamily {
        Environnement => "environnement", "Environnement et soutenabilité", "Environment and sustainability";
        Democratie => "democratie", "Démocratie, éthique et libertés", "Democracy, ethics and freedoms";
        Inclusion => "inclusion", "Inclusion, capacitation, éducation, émancipation", "Inclusion, empowerment, education, emancipation";
    }
}

// Declared after `vocabulary!` so that they may use it (a `macro_rules!` macro is visible
// only to code that comes after its definition).

pub const QUALITY_COUNT: usize = 7;
pub const DIMENSION_COUNT: usize = 3;

impl Quality {
    /// What the quality means, in one line, shown beside scores.
    pub fn description(self, lang: Lang) -> &'static str {
        use Quality::*;
        match self {
            Inclusif => lang.pick(
                "Accessible et utilisable par toutes et tous, sans laisser personne de côté.",
                "Accessible and usable by everyone, leaving no one behind.",
            ),
            Frugal => lang.pick(
                "Sobre en ressources, en énergie et en matériel, durable et réparable.",
                "Sparing of resources, energy and equipment; durable and repairable.",
            ),
            Democratique => lang.pick(
                "Ouvert au débat et à la décision partagée, transparent dans ses choix.",
                "Open to debate and shared decisions, transparent in its choices.",
            ),
            Protecteur => lang.pick(
                "Respectueux des libertés, de la vie privée, de la confiance et de l'attention.",
                "Respectful of freedoms, privacy, trust and attention.",
            ),
            Innovant => lang.pick(
                "Ouvert à l'expérimentation et à la transformation, propice aux communs.",
                "Open to experimentation and transformation, favourable to commons.",
            ),
            Capacitant => lang.pick(
                "Donnant à chacun le pouvoir de comprendre, de créer et d'agir.",
                "Giving everyone the power to understand, create and act.",
            ),
            Equitable => lang.pick(
                "Partageant équitablement la valeur, les pouvoirs et les bénéfices.",
                "Sharing value, power and benefits fairly.",
            ),
        }
    }

    /// The coalition family whose coalitions work mainly on this quality, if one does.
    ///
    /// `innovant` runs across all three families, so it names none.
    pub fn family(self) -> Option<CoalitionFamily> {
        use Quality::*;
        match self {
            Frugal => Some(CoalitionFamily::Environnement),
            Democratique | Protecteur => Some(CoalitionFamily::Democratie),
            Inclusif | Capacitant | Equitable => Some(CoalitionFamily::Inclusion),
            Innovant => None,
        }
    }
}

impl Dimension {
    pub fn description(self, lang: Lang) -> &'static str {
        match self {
            Dimension::Commande => lang.pick(
                "Intention politique ou stratégique, modèle économique, principes d'investissement, critères d'achat.",
                "Political or strategic intent, business model, investment principles, purchasing criteria.",
            ),
            Dimension::Offre => lang.pick(
                "Le numérique lui-même : choix d'architecture, de conception, de standards.",
                "The digital itself: choices of architecture, design and standards.",
            ),
            Dimension::Usages => lang.pick(
                "Appropriation, maîtrise d'usage, inclusion, libertés, partage de la décision, travail.",
                "Appropriation, mastery of use, inclusion, freedoms, shared decisions, work.",
            ),
        }
    }
}

/// A computed figure rounded to 1e-9, the precision every score is meant to have.
///
/// Floating-point sums leave a trace in the last bits: (0.3 + 0.3 + 0.7 + 0.7) / 4 × 100 is
/// 49.99999999999999, not 50. Thresholds (levels at 25, 50, 75; consensus at 15 points) are
/// compared on the settled value, so that a score that is exactly 50 on paper is « avancé »,
/// as anyone recomputing it by hand finds. No questionnaire figure needs more than nine
/// decimals, so nothing real is lost.
pub fn settle(value: f64) -> f64 {
    const SCALE: f64 = 1e9;
    if !value.is_finite() {
        return value;
    }
    let scaled = (value * SCALE).round() / SCALE;
    // -0.0 would print as « -0 ».
    if scaled == 0.0 { 0.0 } else { scaled }
}

impl Level {
    /// The level of a score out of 100: 0–25, 25–50, 50–75, 75–100, lower bounds inclusive,
    /// compared on the [`settle`]d score.
    pub fn of_score(score: f64) -> Level {
        let score = settle(score);
        if score < 25.0 {
            Level::AInitier
        } else if score < 50.0 {
            Level::EnProgression
        } else if score < 75.0 {
            Level::Avance
        } else {
            Level::Exemplaire
        }
    }
}

/// The first year a date field takes. Baselines may go back to a reference year of the
/// last century (1990 is the usual one for emissions); nothing earlier belongs here.
pub const FIRST_YEAR: i32 = 1900;
/// The last year a date field takes: targets reach 2050 and beyond, not past the century.
pub const LAST_YEAR: i32 = 2100;

/// Why a typed date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD` with four digits of year, or a day that does not exist.
    Malformed,
    /// A real date, but its year is outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    OutOfRange { year: i32 },
}

/// The one date parser of the service, for every date field and every stored date:
/// exactly `YYYY-MM-DD` (surrounding spaces ignored), a year of four digits without a sign
/// (`time`'s own parser takes `+2026-…` and `-0001-…`), within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn read_date(text: &str) -> Result<time::Date, DateError> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(DateError::Malformed);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, format).map_err(|_| DateError::Malformed)?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(DateError::OutOfRange { year: date.year() });
    }
    Ok(date)
}

/// A date as stored and as a date field sends it (see [`read_date`]).
pub fn parse_date(text: &str) -> Option<time::Date> {
    read_date(text).ok()
}

/// What a date field says of a year outside the range.
pub fn out_of_range_message() -> (String, String) {
    (
        format!("L'année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}."),
        format!("The year must be between {FIRST_YEAR} and {LAST_YEAR}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_display_order() {
        for q in Quality::ALL {
            assert_eq!(Quality::from_code(q.code()), Some(*q));
        }
        assert_eq!(Quality::ALL.len(), QUALITY_COUNT);
        assert_eq!(Dimension::ALL.len(), DIMENSION_COUNT);
        assert_eq!(Quality::Equitable.index(), 6);
        assert_eq!(Quality::from_code("Frugal"), None);
    }

    #[test]
    fn dates_take_four_digit_years_without_a_sign_within_the_range() {
        assert!(parse_date("2026-03-14").is_some());
        assert!(parse_date(" 1990-01-01 ").is_some());
        assert!(parse_date("2100-12-31").is_some());
        for text in [
            "+2026-03-14",
            "-0001-01-01",
            "+02026-03-14",
            "2026-3-14",
            "2026-02-30",
            "20260314",
            "２０２６-03-14",
        ] {
            assert_eq!(read_date(text), Err(DateError::Malformed), "{text}");
        }
        assert_eq!(
            read_date("1899-12-31"),
            Err(DateError::OutOfRange { year: 1899 })
        );
        assert_eq!(
            read_date("2101-01-01"),
            Err(DateError::OutOfRange { year: 2101 })
        );
        assert_eq!(
            read_date("0001-01-01"),
            Err(DateError::OutOfRange { year: 1 })
        );
    }

    #[test]
    fn levels_have_inclusive_lower_bounds() {
        assert_eq!(Level::of_score(0.0), Level::AInitier);
        assert_eq!(Level::of_score(24.99), Level::AInitier);
        assert_eq!(Level::of_score(25.0), Level::EnProgression);
        assert_eq!(Level::of_score(50.0), Level::Avance);
        assert_eq!(Level::of_score(74.9), Level::Avance);
        assert_eq!(Level::of_score(75.0), Level::Exemplaire);
        assert_eq!(Level::of_score(100.0), Level::Exemplaire);
    }

    #[test]
    fn a_bound_reached_through_floating_point_noise_counts_as_reached() {
        let fifty = (0.3 + 0.3 + 0.7 + 0.7) / 4.0 * 100.0;
        assert!(fifty < 50.0, "the noise this guards against: {fifty}");
        assert_eq!(Level::of_score(fifty), Level::Avance);
        assert_eq!(settle(fifty), 50.0);
        // Far enough from a bound, a score keeps its level.
        assert_eq!(Level::of_score(49.999), Level::EnProgression);
        assert_eq!(settle(-1e-12), 0.0);
        assert!(settle(f64::NAN).is_nan());
    }
}

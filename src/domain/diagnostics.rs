//! A diagnostic's life as its leads manage it: closing and reopening it, setting a submitted
//! response aside (with a reason) and restoring it, revoking and reinstating a link, each
//! kept in its history ([`DiagnosticAction`]); the reason a response is set aside; and the
//! diagnostic's title in the reader's language.

use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// What a lead did to a diagnostic, as its history lists it.
    DiagnosticAction {
        Closed => "closed", "Autodiagnostic clos", "Self-diagnostic closed";
        Reopened => "reopened", "Autodiagnostic rouvert", "Self-diagnostic reopened";
        SetAside => "set_aside", "Réponse écartée", "Response set aside";
        Restored => "restored", "Réponse réintégrée", "Response restored";
        LinkRevoked => "link_revoked", "Lien révoqué", "Link revoked";
        LinkReinstated => "link_reinstated", "Lien rétabli", "Link reinstated";
    }
}

/// Set-asides take effect in whole groups of this many, in the order they were made, and are
/// final once in effect. Nobody is singled out: if one response could be set aside and
/// restored at will, a lead comparing the results before and after (and doing so for each
/// response in turn) would solve for each person's answers. In whole groups of three, two
/// views of the results differ by at least three people's answers, as with the results'
/// own groups of three; and what is in effect cannot be undone to try another combination.
/// Until a group is complete, a set-aside is pending: the results do not change, and it may
/// be withdrawn.
pub const SET_ASIDE_GROUP: i64 = 3;

/// How many of `made` set-asides are in effect: the earliest ones, in whole groups.
pub fn set_asides_in_effect(made: i64) -> i64 {
    made.max(0) / SET_ASIDE_GROUP * SET_ASIDE_GROUP
}

/// The longest reason a lead may give for setting a response aside.
pub const MAX_REASON_CHARS: usize = 500;

/// Why a response is set aside, as the lead typed it; the reason is required, so that the
/// history says why a response no longer counts.
pub fn check_reason(typed: &str) -> Result<String, FieldErrors> {
    let reason = typed.trim();
    let mut errors = FieldErrors::new();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Indiquez pourquoi vous écartez cette réponse (par exemple : réponse d'essai, doublon).",
            "Say why you set this response aside (for example: a test response, a duplicate).",
        );
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.add(
            "reason",
            format!("La raison dépasse {MAX_REASON_CHARS} caractères : raccourcissez-la."),
            format!("The reason is longer than {MAX_REASON_CHARS} characters: shorten it."),
        );
    }
    errors.into_result(reason.to_owned())
}

/// The title a diagnostic is given when it is opened: its parts in no language, the year.
pub fn generated_title(year: &str) -> String {
    format!("{GENERATED_PREFIX} {year}")
}

/// Generated titles are stored with this word before the year; it is French, so it is
/// translated when read in English.
const GENERATED_PREFIX: &str = "Autodiagnostic";

/// A diagnostic's title in `lang`: a generated one (« Autodiagnostic 2026 ») reads
/// « Self-diagnostic 2026 » in English; a title someone wrote is theirs, shown as written.
pub fn title(stored: &str, lang: Lang) -> String {
    match stored.strip_prefix(GENERATED_PREFIX).map(str::trim) {
        Some(year) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{} {year}", lang.pick(GENERATED_PREFIX, "Self-diagnostic"))
        }
        _ => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_asides_take_effect_in_whole_groups_of_three() {
        assert_eq!(
            (0..=7).map(set_asides_in_effect).collect::<Vec<_>>(),
            [0, 0, 0, 3, 3, 3, 6, 6]
        );
    }

    #[test]
    fn a_generated_title_reads_in_the_readers_language() {
        let stored = generated_title("2026");
        assert_eq!(title(&stored, Lang::Fr), "Autodiagnostic 2026");
        assert_eq!(title(&stored, Lang::En), "Self-diagnostic 2026");
    }

    #[test]
    fn a_title_someone_wrote_is_shown_as_written() {
        assert_eq!(
            title("Autodiagnostic de printemps", Lang::En),
            "Autodiagnostic de printemps"
        );
        assert_eq!(title("Phase 1", Lang::En), "Phase 1");
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(check_reason("   ").is_err());
        assert_eq!(check_reason(" doublon ").ok().as_deref(), Some("doublon"));
        assert!(check_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(check_reason(&"x".repeat(MAX_REASON_CHARS)).is_ok());
    }

    #[test]
    fn every_action_reads_back_from_its_code() {
        for action in DiagnosticAction::ALL {
            assert_eq!(DiagnosticAction::from_code(action.code()), Some(*action));
        }
    }
}

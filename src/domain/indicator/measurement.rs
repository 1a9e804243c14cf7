//! A measurement's workflow: a contributor records it as a draft or submits it, programme
//! staff validate it or send it back to draft with a comment. Only validated measurements
//! count in the official figures (see [`super::standing`]).
//!
//! Each change appends a revision (nothing is overwritten); this module says which changes
//! exist and who may ask for them, so that every layer asks the same rule.

use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Where a measurement is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasurementStatus {
    /// Recorded, not yet submitted (or sent back by staff).
    Draft,
    /// Waiting for validation by programme staff.
    Submitted,
    /// Checked by programme staff: counts in progress, status, overview and report.
    Validated,
}

/// What a person may do with a coalition's measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MeasurementRights {
    /// Records, corrects and submits measurements (contributing members, managers, staff).
    pub contributes: bool,
    /// Validates and sends back measurements (programme staff).
    pub validates: bool,
}

/// Why a status change is not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChangeRefused {
    /// The person may not ask for that status at all.
    NotAllowed,
    /// The measurement is already in the status asked for (a second click, two tabs).
    AlreadyThere,
    /// No move leads from the current status to the one asked for.
    NoSuchMove,
}

impl MeasurementStatus {
    pub const ALL: &'static [MeasurementStatus] = &[
        MeasurementStatus::Draft,
        MeasurementStatus::Submitted,
        MeasurementStatus::Validated,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            MeasurementStatus::Draft => "draft",
            MeasurementStatus::Submitted => "submitted",
            MeasurementStatus::Validated => "validated",
        }
    }

    pub fn from_code(code: &str) -> Option<MeasurementStatus> {
        MeasurementStatus::ALL
            .iter()
            .copied()
            .find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MeasurementStatus::Draft => lang.pick("Brouillon", "Draft"),
            MeasurementStatus::Submitted => lang.pick("Soumise", "Submitted"),
            MeasurementStatus::Validated => lang.pick("Validée", "Validated"),
        }
    }

    /// Whether the measurement counts in the official figures.
    pub fn counts(self) -> bool {
        self == MeasurementStatus::Validated
    }

    /// The status a new value (a first entry or a correction) is given: a draft when the
    /// person saves it as one (`intent` is `draft`), else submitted for validation. A value
    /// is never validated as it is entered, even by staff.
    pub fn of_entry(intent: Option<&str>) -> MeasurementStatus {
        match intent {
            Some(code) if code == MeasurementStatus::Draft.code() => MeasurementStatus::Draft,
            _ => MeasurementStatus::Submitted,
        }
    }

    /// Who may ask for this status at all: contributors submit, staff validate and send
    /// back to draft.
    pub fn may_be_asked_by(self, rights: MeasurementRights) -> bool {
        match self {
            MeasurementStatus::Submitted => rights.contributes,
            MeasurementStatus::Validated | MeasurementStatus::Draft => rights.validates,
        }
    }

    /// The moves that exist: a draft is submitted; a submitted measurement is validated or
    /// sent back to draft; a validated one is sent back to draft (to be corrected).
    pub fn moves_to(self, to: MeasurementStatus) -> bool {
        use MeasurementStatus::*;
        matches!(
            (self, to),
            (Draft, Submitted) | (Submitted, Validated) | (Submitted, Draft) | (Validated, Draft)
        )
    }

    /// Whether `rights` may move a measurement from this status to `to`.
    pub fn change(
        self,
        to: MeasurementStatus,
        rights: MeasurementRights,
    ) -> Result<(), StatusChangeRefused> {
        if !to.may_be_asked_by(rights) {
            Err(StatusChangeRefused::NotAllowed)
        } else if self.moves_to(to) {
            Ok(())
        } else if self == to {
            Err(StatusChangeRefused::AlreadyThere)
        } else {
            Err(StatusChangeRefused::NoSuchMove)
        }
    }

    /// Whether `rights` may correct a measurement in this status (append a new value): a
    /// validated measurement is corrected by staff only.
    pub fn may_be_corrected_by(self, rights: MeasurementRights) -> bool {
        rights.contributes && (self != MeasurementStatus::Validated || rights.validates)
    }

    /// Whether a sending back needs a comment saying what is missing.
    pub fn needs_comment(self) -> bool {
        self == MeasurementStatus::Draft
    }
}

impl TryFrom<String> for MeasurementStatus {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        MeasurementStatus::from_code(&code)
            .ok_or_else(|| format!("unknown measurement status {code:?}"))
    }
}

/// Whether an indicator may be deleted, given the statuses its measurements ever had: not
/// once one was validated, since published figures may rest on it (it is corrected instead).
pub fn indicator_may_be_deleted(statuses: impl IntoIterator<Item = MeasurementStatus>) -> bool {
    !statuses
        .into_iter()
        .any(|status| status == MeasurementStatus::Validated)
}

#[cfg(test)]
mod tests {
    use super::MeasurementStatus::*;
    use super::*;

    const CONTRIBUTOR: MeasurementRights = MeasurementRights {
        contributes: true,
        validates: false,
    };
    const STAFF: MeasurementRights = MeasurementRights {
        contributes: true,
        validates: true,
    };
    const READER: MeasurementRights = MeasurementRights {
        contributes: false,
        validates: false,
    };

    #[test]
    fn codes_round_trip_and_labels_exist_in_both_languages() {
        for s in MeasurementStatus::ALL {
            assert_eq!(MeasurementStatus::from_code(s.code()), Some(*s));
            assert_eq!(MeasurementStatus::try_from(s.code().to_owned()), Ok(*s));
            assert_ne!(s.label(Lang::Fr), s.label(Lang::En));
        }
        assert_eq!(Submitted.label(Lang::Fr), "Soumise");
        assert!(MeasurementStatus::try_from("approved".to_owned()).is_err());
    }

    #[test]
    fn a_contributor_submits_a_draft_and_nothing_else() {
        assert_eq!(Draft.change(Submitted, CONTRIBUTOR), Ok(()));
        for from in MeasurementStatus::ALL {
            for to in [Validated, Draft] {
                assert_eq!(
                    from.change(to, CONTRIBUTOR),
                    Err(StatusChangeRefused::NotAllowed),
                    "{from:?} → {to:?}"
                );
            }
        }
        assert_eq!(
            Validated.change(Submitted, CONTRIBUTOR),
            Err(StatusChangeRefused::NoSuchMove)
        );
        assert_eq!(
            Submitted.change(Submitted, CONTRIBUTOR),
            Err(StatusChangeRefused::AlreadyThere)
        );
    }

    #[test]
    fn staff_validate_or_send_back_a_submitted_measurement_and_send_back_a_validated_one() {
        assert_eq!(Submitted.change(Validated, STAFF), Ok(()));
        assert_eq!(Submitted.change(Draft, STAFF), Ok(()));
        assert_eq!(Validated.change(Draft, STAFF), Ok(()));
        assert_eq!(Draft.change(Submitted, STAFF), Ok(()));
        // A draft is not validated without being submitted first.
        assert_eq!(
            Draft.change(Validated, STAFF),
            Err(StatusChangeRefused::NoSuchMove)
        );
        assert_eq!(
            Validated.change(Submitted, STAFF),
            Err(StatusChangeRefused::NoSuchMove)
        );
        for s in MeasurementStatus::ALL {
            assert_eq!(s.change(*s, STAFF), Err(StatusChangeRefused::AlreadyThere));
        }
    }

    #[test]
    fn the_allowed_moves_are_exactly_four() {
        let moves: Vec<(MeasurementStatus, MeasurementStatus)> = MeasurementStatus::ALL
            .iter()
            .flat_map(|&from| MeasurementStatus::ALL.iter().map(move |&to| (from, to)))
            .filter(|(from, to)| from.moves_to(*to))
            .collect();
        assert_eq!(
            moves,
            vec![
                (Draft, Submitted),
                (Submitted, Draft),
                (Submitted, Validated),
                (Validated, Draft)
            ]
        );
    }

    #[test]
    fn someone_who_does_not_contribute_changes_nothing() {
        for from in MeasurementStatus::ALL {
            for to in MeasurementStatus::ALL {
                assert_eq!(
                    from.change(*to, READER),
                    Err(StatusChangeRefused::NotAllowed)
                );
            }
            assert!(!from.may_be_corrected_by(READER));
        }
    }

    #[test]
    fn a_validated_measurement_is_corrected_by_staff_only() {
        assert!(Draft.may_be_corrected_by(CONTRIBUTOR));
        assert!(Submitted.may_be_corrected_by(CONTRIBUTOR));
        assert!(!Validated.may_be_corrected_by(CONTRIBUTOR));
        assert!(Validated.may_be_corrected_by(STAFF));
    }

    #[test]
    fn an_entry_is_a_draft_only_when_saved_as_one_and_never_validated() {
        assert_eq!(MeasurementStatus::of_entry(Some("draft")), Draft);
        assert_eq!(MeasurementStatus::of_entry(Some("submitted")), Submitted);
        assert_eq!(MeasurementStatus::of_entry(Some("validated")), Submitted);
        assert_eq!(MeasurementStatus::of_entry(None), Submitted);
        assert!(Validated.counts() && !Submitted.counts() && !Draft.counts());
        assert!(Draft.needs_comment() && !Validated.needs_comment());
    }

    #[test]
    fn an_indicator_once_validated_is_never_deleted() {
        use MeasurementStatus::*;
        assert!(indicator_may_be_deleted([]));
        assert!(indicator_may_be_deleted([Draft, Submitted, Draft]));
        // Validated then corrected back to submitted: still once validated.
        assert!(!indicator_may_be_deleted([Submitted, Validated, Submitted]));
    }
}

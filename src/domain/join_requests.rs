//! An organisation's request to join a coalition: asked by one of its leads (from the
//! coalitions its results recommend), answered by the coalition's porteurs. The request
//! stays between the two: nobody else sees it.

use crate::domain::i18n::Lang;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where a request to join a coalition stands.
    JoinRequestStatus {
        Pending => "pending", "en attente", "pending";
        Accepted => "accepted", "acceptée", "accepted";
        Declined => "declined", "refusée", "declined";
    }
}

/// Where an organisation stands with one coalition, as its results page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A current member: nothing to ask.
    Member,
    /// A request waits for the porteurs' answer.
    Asked,
    /// Free to ask (again, after a declined request).
    MayAsk,
}

impl Standing {
    pub fn of(is_member: bool, pending: bool) -> Standing {
        match (is_member, pending) {
            (true, _) => Standing::Member,
            (false, true) => Standing::Asked,
            (false, false) => Standing::MayAsk,
        }
    }

    /// What the results page says beside the coalition's name.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Standing::Member => lang.pick(
                "votre organisation en est membre",
                "your organisation is a member",
            ),
            Standing::Asked => lang.pick(
                "demande envoyée : elle attend la réponse de ses porteurs",
                "request sent: it awaits its leads' answer",
            ),
            Standing::MayAsk => lang.pick("Demander à rejoindre", "Ask to join"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_never_asks_and_a_pending_request_is_not_asked_twice() {
        assert_eq!(Standing::of(true, true), Standing::Member);
        assert_eq!(Standing::of(true, false), Standing::Member);
        assert_eq!(Standing::of(false, true), Standing::Asked);
        assert_eq!(Standing::of(false, false), Standing::MayAsk);
        assert_eq!(
            JoinRequestStatus::from_code("accepted"),
            Some(JoinRequestStatus::Accepted)
        );
    }
}

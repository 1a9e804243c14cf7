//! Co-leads: a lead invites another person to co-manage an organisation. The invitation's link
//! carries a secret of which only a hash is stored, works once, and expires; an organisation
//! always keeps at least one lead. Pure: `app::co_leads` loads, asks these, and writes.

use crate::domain::account::parse_email;
use crate::domain::field_errors::FieldErrors;
use sha2::{Digest, Sha256};
use time::Duration;

/// How long an invitation to co-manage stays valid: long enough for a mail read after a
/// week-end or a short leave, short enough that a forgotten link stops being a way in.
pub const LEAD_INVITATION_LIFETIME: Duration = Duration::days(7);

/// At most this many invitations to co-manage an organisation in 24 hours: a team is
/// invited in a few, and the service is no way to mail strangers in bulk.
pub const MAX_LEAD_INVITATIONS_PER_DAY: i64 = 10;

/// The hash stored for a link's secret: whoever reads the database cannot use the link. The
/// secret is 256 random bits, so a plain SHA-256 (no key, no slow hash) is enough.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a link's secret has the shape of one (64 hexadecimal characters): anything else is
/// not worth a query.
pub fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The invited address, checked, for the field `email`.
pub fn check_invitee(typed: &str) -> Result<String, FieldErrors> {
    parse_email(typed).map_err(|(fr, en)| {
        let mut errors = FieldErrors::new();
        errors.add("email", fr, en);
        errors
    })
}

/// Why a link to co-manage does not make the visitor a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No invitation has this secret.
    Unknown,
    /// Accepted already (by this person or another): a link works once.
    Used,
    Expired,
}

impl LinkRefusal {
    pub fn explanation(self) -> (&'static str, &'static str) {
        match self {
            LinkRefusal::Unknown => (
                "Ce lien d'invitation n'existe pas. Vérifiez qu'il est complet, ou demandez une nouvelle invitation à une personne qui gère l'organisation.",
                "This invitation link does not exist. Check that it is complete, or ask a person who manages the organisation for a new invitation.",
            ),
            LinkRefusal::Used => (
                "Ce lien d'invitation a déjà servi : il ne fonctionne qu'une fois. Si vous n'êtes pas encore responsable de l'organisation, demandez une nouvelle invitation.",
                "This invitation link has been used already: it works only once. If you do not manage the organisation yet, ask for a new invitation.",
            ),
            LinkRefusal::Expired => (
                "Ce lien d'invitation a expiré (il vaut 7 jours). Demandez une nouvelle invitation à une personne qui gère l'organisation.",
                "This invitation link has expired (it lasts 7 days). Ask a person who manages the organisation for a new invitation.",
            ),
        }
    }
}

/// Whether a link may still be accepted, from its stored state and the time now (ISO-8601
/// text timestamps compare in time order).
pub fn link_state(
    accepted_at: Option<&str>,
    expires_at: &str,
    now: &str,
) -> Result<(), LinkRefusal> {
    if accepted_at.is_some() {
        Err(LinkRefusal::Used)
    } else if now >= expires_at {
        Err(LinkRefusal::Expired)
    } else {
        Ok(())
    }
}

/// Whether a lead may step down, given how many leads the organisation has: never the last,
/// or nobody would manage it (its diagnostics, its links, its coalitions).
pub fn may_step_down(leads: i64) -> bool {
    leads > 1
}

/// The invitation to co-manage an organisation.
pub fn co_lead_mail(
    to: &str,
    lang: crate::domain::i18n::Lang,
    inviter: &str,
    organisation: &str,
    link: &str,
) -> crate::domain::mail::Mail {
    let subject = format!(
        "{} {organisation}",
        lang.pick(
            "Invitation à gérer l'organisation",
            "Invitation to manage the organisation"
        )
    );
    crate::domain::mail::Mail::builder(to, lang, &subject)
        .greeting("")
        .paragraph(&format!(
            "{inviter} {} {organisation} {}",
            lang.pick(
                "vous invite à gérer avec elle ou lui l'organisation",
                "invites you to manage with them the organisation"
            ),
            lang.pick(
                "sur le service d'autodiagnostic #RESET : ses autodiagnostics, leurs invitations et ses coalitions.",
                "on the #RESET self-diagnostic service: its self-diagnostics, their invitations and its coalitions.",
            )
        ))
        .paragraph(lang.pick(
            "Le lien ci-dessous vaut 7 jours et ne sert qu'une fois. Connectez-vous (ou créez un compte) puis acceptez l'invitation : vous deviendrez responsable de l'organisation.",
            "The link below lasts 7 days and works once. Sign in (or create an account), then accept the invitation: you will become a manager of the organisation.",
        ))
        .link(lang.pick("Voir l'invitation", "See the invitation"), link)
        .reason(&format!(
            "{inviter} {}",
            lang.pick(
                "a saisi votre adresse pour vous inviter. Sans suite de votre part, l'invitation expire d'elle-même.",
                "entered your address to invite you. If you do nothing, the invitation expires by itself.",
            )
        ))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_hash_is_not_the_secret_and_is_stable() {
        let secret = "ab".repeat(32);
        assert_eq!(token_hash(&secret), token_hash(&secret));
        assert_ne!(token_hash(&secret), secret);
        assert_eq!(token_hash(&secret).len(), 64);
    }

    #[test]
    fn a_link_works_once_and_until_it_expires() {
        let expires = "2026-12-13T15:00:00Z";
        assert_eq!(link_state(None, expires, "2026-12-13T14:59:59Z"), Ok(()));
        assert_eq!(
            link_state(None, expires, "2026-12-13T15:00:00Z"),
            Err(LinkRefusal::Expired)
        );
        assert_eq!(
            link_state(
                Some("2026-12-07T10:00:00Z"),
                expires,
                "2026-12-08T00:00:00Z"
            ),
            Err(LinkRefusal::Used)
        );
    }

    #[test]
    fn the_last_lead_may_not_step_down() {
        assert!(!may_step_down(1));
        assert!(may_step_down(2));
    }

    #[test]
    fn only_a_secret_of_the_right_shape_is_looked_up() {
        assert!(plausible_token(&"0f".repeat(32)));
        assert!(!plausible_token("0f"));
        assert!(!plausible_token(&"zz".repeat(32)));
    }
}

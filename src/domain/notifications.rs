//! What the notification mails say: the daily digest of measurements awaiting validation, a
//! measurement validated or sent back (with the validator's comment), an organisation invited
//! to join a coalition. Pure; `app::notifications` derives them from the data.

use crate::domain::i18n::Lang;
use crate::domain::mail::Mail;

/// At most this many measurements are listed one by one in a digest; the rest are counted.
pub const DIGEST_MAX_LINES: usize = 30;

/// A measurement awaiting validation, as a digest lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestLine {
    pub coalition: String,
    pub indicator_code: String,
    pub indicator_name: String,
    pub measured_on: String,
    pub link: String,
}

/// One mail listing every measurement submitted since the last digest, in the coalitions
/// the person manages or validates.
pub fn measurement_digest_mail(to: &str, lang: Lang, name: &str, lines: &[DigestLine]) -> Mail {
    let subject = format!(
        "{} : {}",
        lang.pick("Mesures à valider", "Measurements awaiting validation"),
        lines.len()
    );
    let mut mail =
        Mail::builder(to, lang, &subject)
            .greeting(name)
            .paragraph(&if lines.len() == 1 {
                lang.pick(
                    "Une mesure a été soumise pour validation depuis le dernier récapitulatif :",
                    "One measurement was submitted for validation since the last digest:",
                )
                .to_owned()
            } else {
                format!(
                "{} {}",
                lines.len(),
                lang.pick(
                    "mesures ont été soumises pour validation depuis le dernier récapitulatif :",
                    "measurements were submitted for validation since the last digest:"
                )
            )
            });
    for line in lines.iter().take(DIGEST_MAX_LINES) {
        mail = mail.link(
            &format!(
                "{} — {} {} ({} {})",
                line.coalition,
                line.indicator_code,
                line.indicator_name,
                lang.pick("mesurée le", "measured on"),
                line.measured_on
            ),
            &line.link,
        );
    }
    if lines.len() > DIGEST_MAX_LINES {
        mail = mail.paragraph(&format!(
            "{} {}",
            lines.len() - DIGEST_MAX_LINES,
            lang.pick(
                "autres mesures sont sur les pages des coalitions.",
                "more measurements are on the coalitions' pages."
            )
        ));
    }
    mail.reason(lang.pick(
        "Vous gérez une coalition qui suit ces indicateurs, ou vous validez les mesures pour l'équipe du programme. Vous recevez au plus un récapitulatif par jour, et seulement quand des mesures ont été soumises.",
        "You manage a coalition that tracks these indicators, or you validate measurements for the programme team. You receive at most one digest a day, and only when measurements were submitted.",
    ))
    .build()
}

/// A measurement the person recorded was validated, or sent back with what is missing.
pub struct Decision<'a> {
    pub validated: bool,
    pub coalition: &'a str,
    pub indicator_code: &'a str,
    pub indicator_name: &'a str,
    pub measured_on: &'a str,
    pub comment: &'a str,
    pub link: &'a str,
}

pub fn measurement_decision_mail(to: &str, lang: Lang, name: &str, d: &Decision<'_>) -> Mail {
    let subject = format!(
        "{} — {} {}",
        if d.validated {
            lang.pick("Mesure validée", "Measurement validated")
        } else {
            lang.pick("Mesure renvoyée", "Measurement sent back")
        },
        d.indicator_code,
        d.indicator_name
    );
    let mut mail = Mail::builder(to, lang, &subject)
        .greeting(name)
        .paragraph(&format!(
            "{} {} {} ({}, {} {}) {}",
            lang.pick("Votre mesure de l'indicateur", "Your measurement of the indicator"),
            d.indicator_code,
            d.indicator_name,
            d.coalition,
            lang.pick("mesurée le", "measured on"),
            d.measured_on,
            if d.validated {
                lang.pick(
                    "a été validée par l'équipe du programme : elle compte désormais dans l'avancement de la coalition.",
                    "was validated by the programme team: it now counts in the coalition's progress.",
                )
            } else {
                lang.pick(
                    "a été renvoyée en brouillon par l'équipe du programme : corrigez-la puis soumettez-la de nouveau.",
                    "was sent back to draft by the programme team: correct it, then submit it again.",
                )
            }
        ));
    if !d.comment.trim().is_empty() {
        mail = mail.paragraph(&format!(
            "{} {}",
            lang.pick("Commentaire :", "Comment:"),
            d.comment.trim()
        ));
    }
    mail.link(lang.pick("Voir la mesure", "See the measurement"), d.link)
        .reason(lang.pick(
            "Vous avez saisi cette mesure : vous êtes prévenu·e quand elle est validée ou renvoyée.",
            "You recorded this measurement: you are told when it is validated or sent back.",
        ))
        .build()
}

/// An organisation the person leads was invited to join a coalition.
pub fn coalition_invitation_mail(
    to: &str,
    lang: Lang,
    name: &str,
    organisation: &str,
    coalition: &str,
    link: &str,
) -> Mail {
    let subject = format!(
        "{} {coalition}",
        lang.pick(
            "Invitation à rejoindre la coalition",
            "Invitation to join the coalition"
        )
    );
    Mail::builder(to, lang, &subject)
        .greeting(name)
        .paragraph(&format!(
            "{organisation} {} {coalition}. {}",
            lang.pick(
                "est invitée à rejoindre la coalition",
                "is invited to join the coalition"
            ),
            lang.pick(
                "Acceptez ou déclinez l'invitation depuis la page de l'organisation.",
                "Accept or decline the invitation from the organisation's page."
            )
        ))
        .link(lang.pick("Voir l'invitation", "See the invitation"), link)
        .reason(lang.pick(
            "Vous gérez cette organisation sur le service #RESET.",
            "You manage this organisation on the #RESET service.",
        ))
        .build()
}

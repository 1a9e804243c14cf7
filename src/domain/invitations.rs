//! Invitations by e-mail: the rules a lead's batch of addresses follows, when a person may be
//! reminded, a diagnostic's closing date and when its automatic reminder is due. Pure: the use
//! case (`app::invitations`) loads, asks these, and writes the links and their mails together.

use crate::domain::account::parse_email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use time::{Date, Duration, OffsetDateTime};

/// At most this many addresses in one batch: beyond it, a slip (a pasted directory) would
/// mail hundreds of people at once, and the page listing them stops being readable.
pub const MAX_ADDRESSES_PER_BATCH: usize = 50;

/// At most this many people are mailed a diagnostic's links in 24 hours: enough for a large
/// organisation, few enough that the service cannot be used to mail strangers in bulk.
pub const MAX_MAILED_PER_DIAGNOSTIC_PER_DAY: usize = 200;

/// The message beside the addresses when a batch would pass the daily limit.
pub fn daily_limit_error(already_today: usize, errors: &mut FieldErrors) {
    errors.add(
        "addresses",
        format!(
            "Au plus {MAX_MAILED_PER_DIAGNOSTIC_PER_DAY} invitations par e-mail en 24 heures pour un autodiagnostic ; {already_today} sont déjà parties. Envoyez les autres demain."
        ),
        format!(
            "At most {MAX_MAILED_PER_DIAGNOSTIC_PER_DAY} invitations by email in 24 hours for a self-diagnostic; {already_today} have gone already. Send the others tomorrow."
        ),
    );
}

/// A person is reminded at most once in this time, whoever (the lead or the automatic
/// reminder) asks.
pub const REMINDER_INTERVAL: Duration = Duration::hours(24);

/// The automatic reminder goes out between 1 and this many days before the closing date.
pub const MAX_REMINDER_DAYS_BEFORE: i64 = 60;

/// A batch of addresses as the lead typed it, one a line, with the batch's mail language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressBatchForm {
    pub addresses: String,
    pub role: String,
    pub language: String,
}

/// A checked batch: distinct lowercased addresses, in the order typed.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressBatch {
    pub addresses: Vec<String>,
    pub role: String,
    pub language: Lang,
}

/// Checks a batch: every line an address (blank lines skipped, a repeated address counted
/// once), at least one and at most [`MAX_ADDRESSES_PER_BATCH`]. The messages name the lines
/// at fault with what was typed on them, since the whole text comes back to be corrected.
/// `already_invited` holds the addresses this diagnostic has sent a link to: a second link
/// would split a person's answers, so they are named (a reminder is the way to nudge them).
pub fn check_batch(
    form: &AddressBatchForm,
    already_invited: &[String],
) -> Result<AddressBatch, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut addresses: Vec<String> = Vec::new();
    let mut bad: Vec<(usize, String)> = Vec::new();
    for (n, line) in form.addresses.lines().enumerate() {
        let line = line.trim().trim_end_matches([',', ';']).trim();
        if line.is_empty() {
            continue;
        }
        match parse_email(line) {
            Ok(email) if !addresses.contains(&email) => addresses.push(email),
            Ok(_) => {}
            Err(_) => bad.push((n + 1, line.to_owned())),
        }
    }
    if !bad.is_empty() {
        let list = |line_word: &str| {
            bad.iter()
                .take(5)
                .map(|(n, typed)| format!("{line_word} {n} (« {typed} »)"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        errors.add(
            "addresses",
            format!(
                "Ces lignes ne sont pas des adresses e-mail : {}. Une adresse par ligne, par exemple prenom.nom@exemple.fr.",
                list("ligne")
            ),
            format!(
                "These lines are not email addresses: {}. One address a line, e.g. first.last@example.org.",
                list("line")
            ),
        );
    } else if addresses.is_empty() {
        errors.add(
            "addresses",
            "Indiquez au moins une adresse e-mail, une par ligne.",
            "Enter at least one email address, one a line.",
        );
    } else if addresses.len() > MAX_ADDRESSES_PER_BATCH {
        errors.add(
            "addresses",
            format!(
                "Au plus {MAX_ADDRESSES_PER_BATCH} adresses à la fois : vous en avez saisi {}. Envoyez-les en plusieurs fois.",
                addresses.len()
            ),
            format!(
                "At most {MAX_ADDRESSES_PER_BATCH} addresses at once: you entered {}. Send them in several batches.",
                addresses.len()
            ),
        );
    } else {
        let repeated: Vec<&str> = addresses
            .iter()
            .filter(|a| already_invited.contains(a))
            .map(String::as_str)
            .collect();
        if !repeated.is_empty() {
            errors.add(
                "addresses",
                format!(
                    "Déjà invitée(s) à cet autodiagnostic : {}. Retirez-les de la liste ; pour les relancer, envoyez-leur un rappel ci-dessus.",
                    repeated.join(", ")
                ),
                format!(
                    "Already invited to this self-diagnostic: {}. Remove them from the list; to nudge them, send them a reminder above.",
                    repeated.join(", ")
                ),
            );
        }
    }
    if form.role.trim().is_empty() {
        errors.add(
            "role",
            "Choisissez le rôle des personnes invitées.",
            "Choose the invited people's role.",
        );
    }
    let language = match form.language.as_str() {
        "" => Lang::Fr,
        code => Lang::from_code(code).unwrap_or_else(|| {
            errors.add(
                "language",
                "Choisissez le français ou l'anglais.",
                "Choose French or English.",
            );
            Lang::Fr
        }),
    };
    errors.into_result(AddressBatch {
        addresses,
        role: form.role.trim().to_owned(),
        language,
    })
}

/// Where a mailed person stands: participation only, never their answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Participation {
    NotStarted,
    Started,
    Submitted,
}

impl Participation {
    pub fn of(started: i64, submitted: i64) -> Participation {
        if submitted > 0 {
            Participation::Submitted
        } else if started > 0 {
            Participation::Started
        } else {
            Participation::NotStarted
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Participation::NotStarted => lang.pick("Pas commencé", "Not started"),
            Participation::Started => lang.pick("Commencé", "Started"),
            Participation::Submitted => lang.pick("Envoyé", "Submitted"),
        }
    }
}

/// The time before which a person's last reminder must be for a new one to go out now.
pub fn reminder_allowed_if_last_before(now: OffsetDateTime) -> OffsetDateTime {
    now - REMINDER_INTERVAL
}

/// A diagnostic's closing date and automatic reminder, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClosingForm {
    pub closes_on: String,
    pub reminder_days_before: String,
}

/// A checked closing date (none: open until closed) and reminder (none: no automatic one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closing {
    pub closes_on: Option<Date>,
    pub reminder_days_before: Option<i64>,
}

const DATE_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), DATE_FORMAT).ok()
}

pub fn format_date(date: Date) -> String {
    date.format(DATE_FORMAT).unwrap_or_default()
}

/// Checks the closing form: a date from today on (or none), and a reminder of 1 to
/// [`MAX_REMINDER_DAYS_BEFORE`] days that needs a date.
pub fn check_closing(form: &ClosingForm, today: Date) -> Result<Closing, FieldErrors> {
    let mut errors = FieldErrors::new();
    let closes_on = match form.closes_on.trim() {
        "" => None,
        typed => match parse_date(typed) {
            Some(date) if date < today => {
                errors.add(
                    "closes_on",
                    "La date de clôture est passée : choisissez aujourd'hui ou une date à venir.",
                    "The closing date has passed: choose today or a later date.",
                );
                None
            }
            Some(date) => Some(date),
            None => {
                errors.add(
                    "closes_on",
                    "Cette date n'est pas valide : écrivez-la AAAA-MM-JJ, par exemple 2027-03-31.",
                    "This date is not valid: write it YYYY-MM-DD, e.g. 2027-03-31.",
                );
                None
            }
        },
    };
    let reminder_days_before = match form.reminder_days_before.trim() {
        "" => None,
        typed => match typed.parse::<i64>() {
            Ok(days) if (1..=MAX_REMINDER_DAYS_BEFORE).contains(&days) => Some(days),
            _ => {
                errors.add(
                    "reminder_days_before",
                    format!(
                        "Indiquez un nombre de jours entre 1 et {MAX_REMINDER_DAYS_BEFORE}, ou laissez vide pour aucun rappel automatique."
                    ),
                    format!(
                        "Enter a number of days between 1 and {MAX_REMINDER_DAYS_BEFORE}, or leave it empty for no automatic reminder."
                    ),
                );
                None
            }
        },
    };
    if reminder_days_before.is_some() && form.closes_on.trim().is_empty() {
        errors.add(
            "reminder_days_before",
            "Un rappel automatique se compte avant la date de clôture : indiquez-en une.",
            "An automatic reminder counts back from the closing date: enter one.",
        );
    }
    errors.into_result(Closing {
        closes_on,
        reminder_days_before,
    })
}

/// Whether answers are refused: the closing date (the day included) is past.
pub fn past_closing(closes_on: Option<&str>, today: Date) -> bool {
    closes_on
        .and_then(parse_date)
        .is_some_and(|closes_on| today > closes_on)
}

/// Whether the automatic reminder is due today: from `days_before` days before the closing
/// date to the closing date itself (a worker that was down on the day still sends it late,
/// never after the diagnostic closed).
pub fn automatic_reminder_due(closes_on: Date, days_before: i64, today: Date) -> bool {
    today >= closes_on - Duration::days(days_before) && today <= closes_on
}

/// What a mail about a diagnostic needs to say where it comes from.
#[derive(Debug, Clone)]
pub struct DiagnosticMailContext<'a> {
    pub organisation: &'a str,
    pub diagnostic_title: &'a str,
    /// The closing date, `YYYY-MM-DD`, if there is one.
    pub closes_on: Option<&'a str>,
}

fn closing_sentence(lang: Lang, closes_on: Option<&str>) -> Option<String> {
    closes_on.map(|date| {
        format!(
            "{} {date}.",
            lang.pick(
                "Les réponses sont reçues jusqu'au",
                "Responses are accepted until"
            )
        )
    })
}

/// The invitation: a personal link, for one person.
pub fn invitation_mail(
    to: &str,
    lang: Lang,
    lead_name: &str,
    about: &DiagnosticMailContext<'_>,
    link: &str,
) -> crate::domain::mail::Mail {
    // A generated title (« Autodiagnostic 2026 ») in the mail's language.
    let title = crate::domain::diagnostics::title(about.diagnostic_title, lang);
    let subject = format!(
        "{} « {} » — {}",
        lang.pick(
            "Invitation à l'autodiagnostic",
            "Invitation to the self-diagnostic"
        ),
        title,
        about.organisation
    );
    let mut mail = crate::domain::mail::Mail::builder(to, lang, &subject)
        .greeting("")
        .paragraph(&format!(
            "{lead_name} {} « {} » {} {}{}",
            lang.pick(
                "vous invite à répondre à l'autodiagnostic",
                "invites you to answer the self-diagnostic"
            ),
            title,
            lang.pick("de", "of"),
            about.organisation,
            lang.pick(
                ", dans le cadre du programme #RESET. Il s'agit de dire où en est l'organisation sur les 7 qualités du numérique que nous voulons.",
                ", part of the #RESET programme. It asks where the organisation stands on the 7 qualities of the digital we want."
            )
        ))
        .paragraph(lang.pick(
            "Ce lien est personnel : ne le transférez pas. Vous n'avez pas besoin de compte ; vos réponses sont enregistrées à chaque page, et vous pouvez reprendre plus tard. Les résultats de l'organisation ne s'affichent qu'à partir de 3 réponses, pour que personne ne soit reconnaissable.",
            "This link is personal: do not forward it. You need no account; your answers are saved at every page, and you can resume later. The organisation's results are shown from 3 responses on, so that no one can be recognised.",
        ));
    if let Some(sentence) = closing_sentence(lang, about.closes_on) {
        mail = mail.paragraph(&sentence);
    }
    mail.link(lang.pick("Répondre à l'autodiagnostic", "Answer the self-diagnostic"), link)
        .reason(&format!(
            "{lead_name} {}",
            lang.pick(
                "a saisi votre adresse pour vous inviter à cet autodiagnostic. Vous ne recevrez rien d'autre à son sujet que, peut-être, un rappel avant sa clôture.",
                "entered your address to invite you to this self-diagnostic. You will receive nothing else about it but, perhaps, a reminder before it closes."
            )
        ))
        .build()
}

/// A reminder: the link again (or, once started, the response's own link), from the lead or
/// the automatic reminder before the closing date.
pub fn reminder_mail(
    to: &str,
    lang: Lang,
    about: &DiagnosticMailContext<'_>,
    started: bool,
    link: &str,
) -> crate::domain::mail::Mail {
    let title = crate::domain::diagnostics::title(about.diagnostic_title, lang);
    let subject = format!(
        "{} « {} » — {}",
        lang.pick("Rappel : autodiagnostic", "Reminder: self-diagnostic"),
        title,
        about.organisation
    );
    let mut mail = crate::domain::mail::Mail::builder(to, lang, &subject)
        .greeting("")
        .paragraph(if started {
            lang.pick(
                "Vous avez commencé à répondre à cet autodiagnostic sans l'envoyer encore. Vos réponses sont enregistrées : reprenez où vous en étiez, puis envoyez-les.",
                "You started answering this self-diagnostic without submitting it yet. Your answers are saved: resume where you left off, then submit them.",
            )
        } else {
            lang.pick(
                "Vous avez été invité·e à répondre à cet autodiagnostic et n'avez pas encore commencé. Votre avis compte : il faut au moins 3 réponses pour que l'organisation voie ses résultats.",
                "You were invited to answer this self-diagnostic and have not started yet. Your view matters: the organisation needs at least 3 responses to see its results.",
            )
        });
    if let Some(sentence) = closing_sentence(lang, about.closes_on) {
        mail = mail.paragraph(&sentence);
    }
    mail.link(
        if started {
            lang.pick("Reprendre mes réponses", "Resume my answers")
        } else {
            lang.pick("Répondre à l'autodiagnostic", "Answer the self-diagnostic")
        },
        link,
    )
    .reason(lang.pick(
        "Votre adresse a été saisie pour vous inviter à cet autodiagnostic, auquel vous n'avez pas encore répondu. Vous recevez au plus un rappel par jour.",
        "Your address was entered to invite you to this self-diagnostic, which you have not answered yet. You receive at most one reminder a day.",
    ))
    .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn batch(addresses: &str) -> AddressBatchForm {
        AddressBatchForm {
            addresses: addresses.into(),
            role: "agent".into(),
            language: String::new(),
        }
    }

    #[test]
    fn a_batch_keeps_each_address_once_lowercased_in_the_order_typed() {
        let b = check_batch(
            &batch("B@example.org\n\n a@example.org ;\nb@example.org"),
            &[],
        )
        .expect("valid");
        assert_eq!(b.addresses, ["b@example.org", "a@example.org"]);
        assert_eq!(b.language, Lang::Fr);
    }

    #[test]
    fn a_batch_names_each_faulty_line_with_what_was_typed() {
        let errors =
            check_batch(&batch("a@example.org\nnot an address\nc@x"), &[]).expect_err("refused");
        let message = errors.message("addresses", Lang::En).expect("message");
        assert!(message.contains("line 2 (« not an address »)"), "{message}");
        assert!(message.contains("line 3 (« c@x »)"), "{message}");
    }

    #[test]
    fn a_batch_is_refused_empty_or_over_the_limit() {
        assert!(check_batch(&batch(" \n"), &[]).is_err());
        let many: String = (0..=MAX_ADDRESSES_PER_BATCH)
            .map(|i| format!("p{i}@example.org\n"))
            .collect();
        let errors = check_batch(&batch(&many), &[]).expect_err("refused");
        assert!(
            errors
                .message("addresses", Lang::Fr)
                .expect("message")
                .contains("51")
        );
        let exactly: String = (0..MAX_ADDRESSES_PER_BATCH)
            .map(|i| format!("p{i}@example.org\n"))
            .collect();
        assert!(check_batch(&batch(&exactly), &[]).is_ok());
    }

    #[test]
    fn an_address_already_invited_is_named() {
        let errors = check_batch(
            &batch("new@example.org\nold@example.org"),
            &["old@example.org".to_owned()],
        )
        .expect_err("refused");
        let message = errors.message("addresses", Lang::Fr).expect("message");
        assert!(message.contains("old@example.org") && !message.contains("new@"));
    }

    #[test]
    fn the_batch_language_is_french_unless_english_is_chosen() {
        let mut form = batch("a@example.org");
        form.language = "en".into();
        assert_eq!(check_batch(&form, &[]).expect("valid").language, Lang::En);
        form.language = "de".into();
        assert!(check_batch(&form, &[]).is_err());
    }

    #[test]
    fn a_closing_date_is_today_or_later_and_a_reminder_needs_one() {
        let today = date!(2026 - 12 - 06);
        let form = |closes_on: &str, days: &str| ClosingForm {
            closes_on: closes_on.into(),
            reminder_days_before: days.into(),
        };
        assert_eq!(
            check_closing(&form("2026-12-06", "3"), today),
            Ok(Closing {
                closes_on: Some(today),
                reminder_days_before: Some(3)
            })
        );
        assert!(check_closing(&form("2026-12-05", ""), today).is_err());
        assert!(check_closing(&form("06/12/2026", ""), today).is_err());
        assert!(check_closing(&form("", "3"), today).is_err());
        assert!(check_closing(&form("2026-12-31", "0"), today).is_err());
        assert!(check_closing(&form("2026-12-31", "61"), today).is_err());
        assert_eq!(
            check_closing(&form("", ""), today),
            Ok(Closing {
                closes_on: None,
                reminder_days_before: None
            })
        );
    }

    #[test]
    fn answers_are_refused_only_after_the_closing_day() {
        assert!(!past_closing(Some("2026-12-06"), date!(2026 - 12 - 06)));
        assert!(past_closing(Some("2026-12-06"), date!(2026 - 12 - 07)));
        assert!(!past_closing(None, date!(2030 - 01 - 01)));
    }

    #[test]
    fn the_automatic_reminder_is_due_from_n_days_before_until_the_closing_day() {
        let closes = date!(2026 - 12 - 10);
        assert!(!automatic_reminder_due(closes, 3, date!(2026 - 12 - 06)));
        assert!(automatic_reminder_due(closes, 3, date!(2026 - 12 - 07)));
        assert!(automatic_reminder_due(closes, 3, date!(2026 - 12 - 10)));
        assert!(!automatic_reminder_due(closes, 3, date!(2026 - 12 - 11)));
    }

    #[test]
    fn a_reminder_waits_a_day_after_the_last_one() {
        let now = datetime!(2026-12-06 15:00 UTC);
        assert_eq!(
            reminder_allowed_if_last_before(now),
            datetime!(2026-12-05 15:00 UTC)
        );
    }
}

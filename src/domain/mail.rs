//! What a mail says: its recipient, language, subject, and its body as plain text and as
//! simple HTML. Pure: building a mail sends nothing (the queue is `crate::db::queue_mail`, the
//! sending is `crate::app::worker`).
//!
//! Every mail is made with [`Mail::builder`], so that every mail reads alike: the service's
//! name, a greeting, paragraphs, links shown in full in the text part (a reader can check
//! where a link leads before following it), and why the person receives it. No tracking, no
//! image, nothing loaded from another host.
//!
//! ```
//! use reset_eval::domain::{i18n::Lang, mail::Mail};
//! let mail = Mail::builder("lea@example.org", Lang::Fr, "Votre lien")
//!     .greeting("Léa")
//!     .paragraph("Voici le lien demandé.")
//!     .link("Ouvrir le lien", "https://reset.example.org/x")
//!     .reason("Vous recevez ce message parce que vous l'avez demandé.")
//!     .build();
//! assert!(mail.text.contains("https://reset.example.org/x"));
//! ```

use crate::domain::i18n::Lang;

/// A mail ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// One address.
    pub to: String,
    pub language: Lang,
    pub subject: String,
    /// The plain-text part: what every mail client can show.
    pub text: String,
    /// The HTML part: the same content, simply laid out.
    pub html: String,
}

/// The service's name as it signs every mail.
pub fn service_name(lang: Lang) -> &'static str {
    lang.pick(
        "#RESET — autodiagnostic et évaluation d'impact",
        "#RESET — self-diagnostic and impact evaluation",
    )
}

#[derive(Debug, Clone)]
enum Block {
    Paragraph(String),
    Link { label: String, url: String },
}

/// Assembles a [`Mail`]; see the module's example.
#[derive(Debug, Clone)]
pub struct MailBuilder {
    to: String,
    language: Lang,
    subject: String,
    greeting: Option<String>,
    blocks: Vec<Block>,
    reason: Option<String>,
}

impl Mail {
    pub fn builder(to: &str, language: Lang, subject: &str) -> MailBuilder {
        MailBuilder {
            to: to.trim().to_owned(),
            language,
            subject: subject.to_owned(),
            greeting: None,
            blocks: Vec::new(),
            reason: None,
        }
    }
}

impl MailBuilder {
    /// « Bonjour {name}, » — without a name, « Bonjour, ».
    pub fn greeting(mut self, name: &str) -> Self {
        self.greeting = Some(name.trim().to_owned());
        self
    }

    /// A paragraph of plain text (escaped in the HTML part).
    pub fn paragraph(mut self, text: &str) -> Self {
        self.blocks.push(Block::Paragraph(text.to_owned()));
        self
    }

    /// A link, in its place among the paragraphs: a button-like link in HTML, the label then
    /// the whole address on a line of its own in the text part.
    pub fn link(mut self, label: &str, url: &str) -> Self {
        self.blocks.push(Block::Link {
            label: label.to_owned(),
            url: url.to_owned(),
        });
        self
    }

    /// Why the person receives this mail, shown at its end.
    pub fn reason(mut self, why: &str) -> Self {
        self.reason = Some(why.to_owned());
        self
    }

    pub fn build(self) -> Mail {
        let lang = self.language;
        let hello = lang.pick("Bonjour", "Hello");
        let greeting = match self.greeting.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => format!("{hello} {name},"),
            None => format!("{hello},"),
        };
        let why_title = lang.pick(
            "Pourquoi recevez-vous ce message ?",
            "Why do you receive this message?",
        );
        let signature = service_name(lang);

        let mut text = format!("{greeting}\n\n");
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head><meta charset=\"utf-8\"><title>{subject}</title></head>\n\
             <body style=\"font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em;\">\n\
             <p>{greeting}</p>\n",
            code = lang.code(),
            subject = escape(&self.subject),
            greeting = escape(&greeting),
        );
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => {
                    text.push_str(p);
                    text.push_str("\n\n");
                    html.push_str(&format!("<p>{}</p>\n", escape(p)));
                }
                Block::Link { label, url } => {
                    let colon = lang.pick(" :", ":");
                    text.push_str(&format!("{label}{colon}\n{url}\n\n"));
                    html.push_str(&format!(
                        "<p><a href=\"{u}\" style=\"display: inline-block; padding: 0.5em 1em; background: #1d4e89; color: #ffffff; text-decoration: none; border-radius: 4px;\">{l}</a></p>\n\
                         <p style=\"font-size: 0.9em;\">{a}<br>{u}</p>\n",
                        u = escape(url),
                        l = escape(label),
                        a = escape(lang.pick(
                            "Ou copiez cette adresse dans votre navigateur :",
                            "Or copy this address into your browser:"
                        )),
                    ));
                }
            }
        }
        text.push_str(&format!("-- \n{signature}\n"));
        html.push_str(&format!(
            "<hr>\n<p style=\"font-size: 0.9em;\">{}</p>\n",
            escape(signature)
        ));
        if let Some(reason) = &self.reason {
            text.push_str(&format!("\n{why_title}\n{reason}\n"));
            html.push_str(&format!(
                "<p style=\"font-size: 0.9em; color: #4a4a4a;\"><strong>{}</strong><br>{}</p>\n",
                escape(why_title),
                escape(reason)
            ));
        }
        html.push_str("</body>\n</html>\n");
        Mail {
            to: self.to,
            language: lang,
            subject: self.subject,
            text,
            html,
        }
    }
}

// --- The mails of accounts ---------------------------------------------------------------------

/// The link that confirms a sign-up's address and creates the account.
pub fn sign_up_confirmation(
    to: &str,
    lang: Lang,
    name: &str,
    link: &str,
    valid_hours: i64,
) -> Mail {
    Mail::builder(to, lang, lang.pick("Confirmez votre adresse pour créer votre compte", "Confirm your address to create your account"))
        .greeting(name)
        .paragraph(lang.pick(
            "Pour créer votre compte #RESET, confirmez que cette adresse est bien la vôtre en suivant ce lien :",
            "To create your #RESET account, confirm that this address is yours by following this link:",
        ))
        .link(lang.pick("Confirmer mon adresse", "Confirm my address"), link)
        .paragraph(lang.pick(
            &format!("Ce lien sert une seule fois et reste valable {valid_hours} heures. Passé ce délai, inscrivez-vous de nouveau."),
            &format!("This link works once and for {valid_hours} hours. After that, sign up again."),
        ))
        .reason(lang.pick(
            "Quelqu'un (vous, sans doute) a demandé la création d'un compte avec cette adresse. Si ce n'est pas vous, ignorez ce message : aucun compte ne sera créé.",
            "Someone (you, most likely) asked for an account with this address. If it was not you, ignore this message: no account will be created.",
        ))
        .build()
}

/// Sent instead of a confirmation when the address already has an account: the sign-up
/// page reads the same either way, and only the owner of the address learns that it has one.
pub fn sign_up_address_taken(
    to: &str,
    lang: Lang,
    sign_in_link: &str,
    reset_link: &str,
    reset_valid_minutes: i64,
) -> Mail {
    Mail::builder(to, lang, lang.pick("Vous avez déjà un compte #RESET", "You already have a #RESET account"))
        .paragraph(lang.pick(
            "Quelqu'un a demandé la création d'un compte avec cette adresse, mais un compte existe déjà pour elle : aucun nouveau compte n'a été créé.",
            "Someone asked for an account with this address, but it already has one: no new account was created.",
        ))
        .link(lang.pick("Me connecter", "Sign in"), sign_in_link)
        .paragraph(lang.pick(
            &format!("Mot de passe oublié ? Ce lien permet d'en choisir un nouveau ; il sert une seule fois et reste valable {reset_valid_minutes} minutes :"),
            &format!("Forgot your password? This link lets you choose a new one; it works once and for {reset_valid_minutes} minutes:"),
        ))
        .link(lang.pick("Choisir un nouveau mot de passe", "Choose a new password"), reset_link)
        .reason(lang.pick(
            "Quelqu'un a tenté de créer un compte avec votre adresse. Si ce n'est pas vous, ignorez ce message : votre compte et votre mot de passe restent inchangés.",
            "Someone tried to create an account with your address. If it was not you, ignore this message: your account and password are unchanged.",
        ))
        .build()
}

/// The one-time link to choose a new password.
pub fn password_reset(to: &str, lang: Lang, name: &str, link: &str, valid_minutes: i64) -> Mail {
    Mail::builder(to, lang, lang.pick("Choisir un nouveau mot de passe", "Choose a new password"))
        .greeting(name)
        .paragraph(lang.pick(
            "Vous avez demandé à choisir un nouveau mot de passe pour votre compte #RESET. Suivez ce lien :",
            "You asked to choose a new password for your #RESET account. Follow this link:",
        ))
        .link(lang.pick("Choisir un nouveau mot de passe", "Choose a new password"), link)
        .paragraph(lang.pick(
            &format!("Ce lien sert une seule fois et reste valable {valid_minutes} minutes. Une fois le nouveau mot de passe choisi, vos autres sessions sont fermées."),
            &format!("This link works once and for {valid_minutes} minutes. Once the new password is chosen, your other sessions are ended."),
        ))
        .reason(lang.pick(
            "Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour le compte de cette adresse. Si ce n'est pas vous, ignorez ce message : votre mot de passe reste inchangé.",
            "Someone (you, most likely) asked for a new password for the account of this address. If it was not you, ignore this message: your password is unchanged.",
        ))
        .build()
}

/// How long to wait before the next attempt at sending a mail that failed `attempts` times;
/// `None`: give it up (after about a day and a half of attempts).
pub fn retry_delay(attempts: u32) -> Option<std::time::Duration> {
    const MINUTES: [u64; 6] = [1, 5, 30, 120, 360, 1440];
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    MINUTES
        .get(index)
        .map(|m| std::time::Duration::from_secs(m * 60))
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lang: Lang) -> Mail {
        Mail::builder(" lea@example.org ", lang, "Sujet <important>")
            .greeting("Léa & Cie")
            .paragraph("Premier paragraphe.")
            .link("Ouvrir", "https://reset.example.org/a?b=1&c=2")
            .paragraph("Après le lien.")
            .reason("Parce que.")
            .build()
    }

    #[test]
    fn the_text_part_shows_every_link_in_full_on_a_line_of_its_own() {
        let mail = sample(Lang::Fr);
        assert!(
            mail.text
                .lines()
                .any(|l| l == "https://reset.example.org/a?b=1&c=2"),
            "{}",
            mail.text
        );
    }

    #[test]
    fn the_html_part_escapes_what_it_is_given() {
        let mail = sample(Lang::Fr);
        assert!(mail.html.contains("Léa &amp; Cie"));
        assert!(mail.html.contains("Sujet &lt;important&gt;"));
        assert!(
            mail.html
                .contains("href=\"https://reset.example.org/a?b=1&amp;c=2\"")
        );
        assert!(!mail.html.contains("<important>"));
    }

    #[test]
    fn every_mail_greets_signs_and_says_why_in_its_language() {
        let fr = sample(Lang::Fr);
        assert!(fr.text.starts_with("Bonjour Léa & Cie,"));
        assert!(fr.text.contains(service_name(Lang::Fr)));
        assert!(
            fr.text
                .contains("Pourquoi recevez-vous ce message ?\nParce que.")
        );
        let en = Mail::builder("a@example.org", Lang::En, "Subject")
            .reason("Because.")
            .build();
        assert!(en.text.starts_with("Hello,"));
        assert!(en.text.contains(service_name(Lang::En)));
        assert!(en.html.contains("lang=\"en\""));
        assert_eq!(en.to, "a@example.org");
    }

    #[test]
    fn paragraphs_and_links_keep_their_order() {
        let mail = sample(Lang::Fr);
        let first = mail.text.find("Premier").unwrap_or(usize::MAX);
        let link = mail.text.find("https://").unwrap_or(usize::MAX);
        let after = mail.text.find("Après").unwrap_or(usize::MAX);
        assert!(first < link && link < after, "{}", mail.text);
    }

    #[test]
    fn a_failing_mail_is_retried_ever_later_then_given_up() {
        let delays: Vec<u64> = (1..=7)
            .map_while(retry_delay)
            .map(|d| d.as_secs() / 60)
            .collect();
        assert_eq!(delays, [1, 5, 30, 120, 360, 1440]);
        assert_eq!(retry_delay(7), None);
        assert_eq!(retry_delay(0), None);
    }

    #[test]
    fn a_mail_loads_nothing_from_another_host() {
        let mail = sample(Lang::En);
        assert!(!mail.html.contains("<img"));
        assert!(!mail.html.contains("src="));
        assert!(!mail.html.contains("<link"));
    }
}

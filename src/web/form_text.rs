//! Reading the text of a submitted form, and refusing what no field may hold.
//!
//! Every form reaches its handler through [`super::session::CheckedForm`], which decodes the
//! body here, once: so the rule holds for every text field of every form (organisation,
//! invitation labels, respondents' free-text answers, coalition texts, indicators,
//! measurements, journal, actions, account…).
//!
//! What is refused, and why:
//! - bytes that are not UTF-8: decoding them « lossily » would store U+FFFD in place of what
//!   the person meant, without telling them;
//! - NUL and the other C0 and C1 control characters: invisible on the page, they break CSV
//!   and JSON consumers, terminal output and some databases (PostgreSQL refuses NUL in text);
//! - the bidirectional override, embedding and isolate controls: invisible too, they make a
//!   name read as another where it is shown;
//! - TAB, LF and CR outside multi-line fields: a browser never sends a line break from a
//!   one-line input (it strips them), so one there is forged or pasted by mistake, and a name
//!   or a label spread over lines breaks the tables, exports and headers that show it.
//!
//! A refused field is shown again **minus the refused characters** rather than as typed
//! escaped: the refused characters cannot be shown (bytes that are no text) or are invisible
//! (controls), so an escaped copy would only show codes the person never typed; and what
//! comes back is exactly what the next submit will store, after the person has read the
//! message beside the field. The message names the character removed (`U+0000`).

use crate::domain::field_errors::FieldErrors;

/// The first problem of a field's text, as decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadText {
    /// Bytes that are not UTF-8 (removed).
    InvalidUtf8,
    /// A control character no field may hold (removed).
    Control(char),
}

/// A form body decoded: every `(name, value)` in order, values with the refused characters
/// removed, and what was removed from which field.
#[derive(Debug, Clone, Default)]
pub struct DecodedForm {
    pub pairs: Vec<(String, String)>,
    /// The first problem of each field that had one.
    pub problems: Vec<(String, BadText)>,
    /// Fields whose text holds a TAB, LF or CR: refused unless the field is multi-line.
    pub multi_line_text: Vec<String>,
}

/// Decodes an `application/x-www-form-urlencoded` body strictly (see the module header).
pub fn decode(body: &[u8]) -> DecodedForm {
    let mut form = DecodedForm::default();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        // A name is ours (the page's `name` attributes): a forged one matches no field.
        let name = String::from_utf8_lossy(&percent_decode(name)).into_owned();
        let (value, problem) = clean(&percent_decode(value));
        if let Some(problem) = problem
            && !form.problems.iter().any(|(n, _)| *n == name)
        {
            form.problems.push((name.clone(), problem));
        }
        if value.contains(['\t', '\n', '\r']) && !form.multi_line_text.contains(&name) {
            form.multi_line_text.push(name.clone());
        }
        form.pairs.push((name, value));
    }
    form
}

/// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as it is (as
/// the WHATWG URL standard and browsers decode forms).
fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => match (hex(input[i + 1]), hex(input[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// The text of a value without what no field may hold, and the first thing removed.
fn clean(bytes: &[u8]) -> (String, Option<BadText>) {
    let mut problem = None;
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c) {
                problem.get_or_insert(BadText::Control(c));
            } else {
                text.push(c);
            }
        }
        if !chunk.invalid().is_empty() {
            problem.get_or_insert(BadText::InvalidUtf8);
        }
    }
    (text, problem)
}

/// The bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): invisible, they reorder what follows them, so a name that holds one can
/// read as another to the people it is shown to (a coalition's members, staff, the report).
/// The marks U+200E and U+200F, which right-to-left text legitimately uses, stay allowed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl DecodedForm {
    /// The message for a field whose text was refused, if it was; `multi_line` says whether
    /// the field takes several lines (a text area).
    pub fn error(&self, name: &str, multi_line: bool) -> Option<(String, String)> {
        if let Some((_, problem)) = self.problems.iter().find(|(n, _)| n == name) {
            return Some(match problem {
                BadText::InvalidUtf8 => (
                    "Ce texte contenait des octets qui ne sont pas des caractères lisibles (UTF-8) : ils ont été retirés. Vérifiez le texte, puis envoyez de nouveau.".to_owned(),
                    "This text contained bytes that are not readable characters (UTF-8): they were removed. Check the text, then send it again.".to_owned(),
                ),
                BadText::Control(c) => {
                    let code = format!("U+{:04X}", u32::from(*c));
                    (
                        format!("Ce texte contenait un caractère de contrôle invisible ({code}) : il a été retiré. Vérifiez le texte, puis envoyez de nouveau."),
                        format!("This text contained an invisible control character ({code}): it was removed. Check the text, then send it again."),
                    )
                }
            });
        }
        if !multi_line && self.multi_line_text.iter().any(|n| n == name) {
            return Some((
                "Ce champ tient sur une seule ligne : retirez les retours à la ligne et les tabulations.".to_owned(),
                "This field takes a single line: remove the line breaks and tabs.".to_owned(),
            ));
        }
        None
    }

    /// Adds the message of every refused field to `errors`, beside the field of that name;
    /// `multi_line` names the fields that take several lines (text areas).
    pub fn refuse_bad_text(&self, errors: &mut FieldErrors, multi_line: &[&str]) {
        let names = self
            .problems
            .iter()
            .map(|(n, _)| n)
            .chain(self.multi_line_text.iter());
        for name in names {
            if let Some((fr, en)) = self.error(name, multi_line.contains(&name.as_str())) {
                errors.add(name, fr, en);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(form: &DecodedForm, name: &str) -> String {
        form.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_well_formed_form_decodes_like_a_browser_sends_it() {
        let form = decode(b"name=Mairie+de+L%C3%A9on&note=a%0D%0Ab%09c&empty=&flag&pct=100%25+%zz");
        assert_eq!(value(&form, "name"), "Mairie de Léon");
        assert_eq!(value(&form, "note"), "a\r\nb\tc");
        assert_eq!(value(&form, "empty"), "");
        assert_eq!(value(&form, "flag"), "");
        assert_eq!(value(&form, "pct"), "100% %zz");
        assert!(form.problems.is_empty());
        assert_eq!(form.multi_line_text, vec!["note".to_owned()]);
    }

    #[test]
    fn invalid_utf8_and_controls_are_removed_and_named() {
        let form = decode(b"a=ab%FFcd&b=x%00y&c=%C2%85z&d=%7F&e=%EF%BF%BD");
        assert_eq!(value(&form, "a"), "abcd");
        assert_eq!(value(&form, "b"), "xy");
        assert_eq!(value(&form, "c"), "z", "U+0085, a C1 control");
        assert_eq!(value(&form, "d"), "");
        assert_eq!(value(&form, "e"), "\u{FFFD}", "a real U+FFFD is text");
        assert_eq!(
            form.problems,
            vec![
                ("a".to_owned(), BadText::InvalidUtf8),
                ("b".to_owned(), BadText::Control('\0')),
                ("c".to_owned(), BadText::Control('\u{85}')),
                ("d".to_owned(), BadText::Control('\u{7F}')),
            ]
        );
        let (fr, en) = form.error("b", true).expect("refused");
        assert!(fr.contains("U+0000") && en.contains("U+0000"));
    }

    #[test]
    fn bidi_overrides_are_refused_and_the_marks_of_right_to_left_text_kept() {
        // « Mairie » followed by a right-to-left override, then an isolate, then a mark.
        let form = decode(b"a=Mairie%E2%80%AEeirtne&b=x%E2%81%A6y&c=%E2%80%8F%D7%A9");
        assert_eq!(value(&form, "a"), "Mairieeirtne");
        assert_eq!(value(&form, "b"), "xy");
        assert_eq!(
            value(&form, "c"),
            "\u{200F}\u{5E9}",
            "an RLM and a Hebrew letter"
        );
        assert_eq!(
            form.problems,
            vec![
                ("a".to_owned(), BadText::Control('\u{202E}')),
                ("b".to_owned(), BadText::Control('\u{2066}')),
            ]
        );
    }

    #[test]
    fn line_breaks_are_refused_only_outside_multi_line_fields() {
        let form = decode(b"title=a%0Ab&notes=a%0Ab&label=a%09b");
        let mut errors = FieldErrors::new();
        form.refuse_bad_text(&mut errors, &["notes"]);
        assert!(errors.get("title").is_some());
        assert!(errors.get("label").is_some(), "a tab too");
        assert!(errors.get("notes").is_none());
        assert_eq!(errors.len(), 2);
    }
}

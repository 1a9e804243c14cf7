//! Form components: a label for every field, its hint, and its error beside it, linked by
//! `aria-describedby`; an error summary at the top of a rejected form, linking each error to
//! its field. A rejected form is always rendered again with the values the person typed.

use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use maud::{Markup, html};

/// Name of the hidden field that carries the CSRF token in every form.
pub const CSRF_FIELD: &str = "_csrf";

pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// The list of errors at the top of a rejected form; `labels` names each field.
pub fn error_summary(lang: Lang, errors: &FieldErrors, labels: &[(&str, &str)]) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
            h2 #error-summary-title {
                (lang.pick("Le formulaire contient des erreurs", "The form has errors"))
            }
            ul {
                @for (field, message) in errors.fields() {
                    li {
                        a href={ "#" (field) } {
                            @if let Some((_, label)) = labels.iter().find(|(f, _)| *f == field) {
                                (label) " : "
                            }
                            (message.get(lang))
                        }
                    }
                }
            }
        }
    }
}

/// What a text-like input needs.
pub struct Input<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'a str,
    pub autocomplete: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub required: bool,
}

impl<'a> Input<'a> {
    pub fn text(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Input {
            name,
            label,
            value,
            kind: "text",
            autocomplete: None,
            hint: None,
            required: false,
        }
    }

    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

pub fn input(lang: Lang, field: Input<'_>, errors: &FieldErrors) -> Markup {
    let error = errors.message(field.name, lang);
    // The range every date field takes (`domain::read_date`), for the browser's date picker.
    let bounds = (
        format!("{}-01-01", crate::domain::FIRST_YEAR),
        format!("{}-12-31", crate::domain::LAST_YEAR),
    );
    let date_bounds = (field.kind == "date").then_some((bounds.0.as_str(), bounds.1.as_str()));
    let hint_id = format!("{}-hint", field.name);
    let error_id = format!("{}-error", field.name);
    let described_by = [
        field.hint.map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        div.field.field-error[error.is_some()] {
            label for=(field.name) { (field.label) @if !field.required { " " span.optional { (lang.pick("(facultatif)", "(optional)")) } } }
            @if let Some(hint) = field.hint { p.hint id=(hint_id) { (hint) } }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            input id=(field.name) name=(field.name) type=(field.kind) value=(field.value)
                min=[date_bounds.map(|b| b.0)] max=[date_bounds.map(|b| b.1)]
                autocomplete=[field.autocomplete] required[field.required]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[(!described_by.is_empty()).then_some(described_by.as_str())];
        }
    }
}

/// A drop-down list; `options` are `(value, label)`; an empty first choice when not required.
pub fn select(
    lang: Lang,
    name: &str,
    label: &str,
    options: &[(&str, &str)],
    selected: &str,
    required: bool,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.message(name, lang);
    let error_id = format!("{name}-error");
    html! {
        div.field.field-error[error.is_some()] {
            label for=(name) { (label) @if !required { " " span.optional { (lang.pick("(facultatif)", "(optional)")) } } }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            select id=(name) name=(name) required[required] aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())] {
                option value="" selected[selected.is_empty()] { (lang.pick("— choisir —", "— choose —")) }
                @for (value, text) in options {
                    option value=(value) selected[*value == selected] { (text) }
                }
            }
        }
    }
}

/// A multi-line text field.
pub fn textarea(
    lang: Lang,
    name: &str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    required: bool,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.message(name, lang);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = [
        hint.map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        div.field.field-error[error.is_some()] {
            label for=(name) { (label) @if !required { " " span.optional { (lang.pick("(facultatif)", "(optional)")) } } }
            @if let Some(hint) = hint { p.hint id=(hint_id) { (hint) } }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            textarea id=(name) name=(name) rows="4" required[required]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[(!described_by.is_empty()).then_some(described_by.as_str())] { (value) }
        }
    }
}

/// A group of check boxes (several choices) or radio buttons (one choice) in a fieldset
/// whose legend is the question; `options` are `(value, label)`. The group's error is linked
/// from the summary through the id of the first box.
pub fn choices(
    lang: Lang,
    multiple: bool,
    name: &str,
    legend: &str,
    options: &[(&str, &str)],
    selected: &[&str],
    errors: &FieldErrors,
) -> Markup {
    let error = errors.message(name, lang);
    let error_id = format!("{name}-error");
    let kind = if multiple { "checkbox" } else { "radio" };
    html! {
        fieldset.field.choices.field-error[error.is_some()] aria-describedby=[error.map(|_| error_id.as_str())] {
            legend { (legend) }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            @for (i, (value, text)) in options.iter().enumerate() {
                @let id = if i == 0 { name.to_owned() } else { format!("{name}-{value}") };
                div.choice {
                    input type=(kind) id=(id) name=(name) value=(value) checked[selected.contains(value)];
                    label for=(id) { (text) }
                }
            }
        }
    }
}

/// The field a confirmation step adds to the form it repeats: an irreversible action is
/// carried out only when it holds [`CONFIRMED`]; without it (a first click, a direct POST)
/// the handler answers with [`confirmation`] and changes nothing.
pub const CONFIRM_FIELD: &str = "confirmed";
pub const CONFIRMED: &str = "yes";

/// What a confirmation step says and repeats.
pub struct Confirmation<'a> {
    /// What happens, in a sentence or a list, said before the button.
    pub what_happens: Markup,
    /// Where the confirmed form goes (the same address as the first click).
    pub action: &'a str,
    /// The fields of the first click, repeated hidden (the CSRF token apart).
    pub fields: &'a [(String, String)],
    pub confirm_label: &'a str,
    /// Where « cancel » leads back, changing nothing.
    pub cancel_href: &'a str,
}

/// A confirmation step that works without JavaScript: what will happen, the button that does
/// it (secondary: it destroys) and a link back that does nothing.
pub fn confirmation(lang: Lang, token: &str, c: &Confirmation<'_>) -> Markup {
    html! {
        div.confirmation {
            (c.what_happens)
            p { strong { (lang.pick("On ne peut pas revenir en arrière.", "This cannot be undone.")) } }
            form method="post" action=(c.action) {
                (csrf(token))
                @for (name, value) in c.fields {
                    @if name != CSRF_FIELD && name != CONFIRM_FIELD {
                        input type="hidden" name=(name) value=(value);
                    }
                }
                input type="hidden" name=(CONFIRM_FIELD) value=(CONFIRMED);
                div.actions {
                    button.secondary type="submit" { (c.confirm_label) }
                    " "
                    a href=(c.cancel_href) { (lang.pick("Annuler, ne rien changer", "Cancel, change nothing")) }
                }
            }
        }
    }
}

/// [`choices`] with a hint under the legend that says what the choice means, tied to the
/// group with `aria-describedby` so that it is read with the question.
#[allow(clippy::too_many_arguments)]
pub fn hinted_choices(
    lang: Lang,
    multiple: bool,
    name: &str,
    legend: &str,
    hint: &str,
    options: &[(&str, &str)],
    selected: &[&str],
    errors: &FieldErrors,
) -> Markup {
    let error = errors.message(name, lang);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = match error {
        Some(_) => format!("{hint_id} {error_id}"),
        None => hint_id.clone(),
    };
    let kind = if multiple { "checkbox" } else { "radio" };
    html! {
        fieldset.field.choices.field-error[error.is_some()] aria-describedby=(described_by) {
            legend { (legend) }
            p.hint id=(hint_id) { (hint) }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            @for (i, (value, text)) in options.iter().enumerate() {
                @let id = if i == 0 { name.to_owned() } else { format!("{name}-{value}") };
                div.choice {
                    input type=(kind) id=(id) name=(name) value=(value) checked[selected.contains(value)];
                    label for=(id) { (text) }
                }
            }
        }
    }
}

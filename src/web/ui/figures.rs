//! An indicator's figures as people read and type them: a figure with French or English
//! separators, a stored value as text, the value fields of the baseline and measurement
//! forms, and the list of what changed on a refused (409) form. Depends on nothing above
//! `ui`.

use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::indicator::forms::{FigureForm, MeasurementForm};
use crate::domain::indicator::measurement::MeasurementStatus;
use crate::domain::indicator::{Measure, Value};
use crate::web::ui::forms::{Input, csrf, error_summary, input, textarea};
use maud::{Markup, html};

/// A figure as people read it: up to one decimal, French or English separators.
pub fn figure(lang: Lang, x: f64) -> String {
    lang.figure(x, 1)
}

/// A value as text: `12 kWh`, `45 % (9 / 20)`, the narrative, or « — ».
pub fn figure_text(lang: Lang, unit: &str, value: Option<&Value>) -> String {
    match value {
        Some(Value::Ratio {
            numerator,
            denominator,
        }) if *denominator > 0.0 => format!(
            "{} % ({} / {})",
            figure(lang, 100.0 * numerator / denominator),
            figure(lang, *numerator),
            figure(lang, *denominator)
        ),
        Some(Value::Number(v)) => format!("{} {unit}", figure(lang, *v)).trim_end().to_owned(),
        Some(Value::Narrative(text)) => text.clone(),
        _ => "—".to_owned(),
    }
}

/// What a person typed in the value fields, read as a value for showing it back (« — » when
/// it reads as none).
pub fn typed_figure(form: &FigureForm) -> Option<Value> {
    Value::from_columns(
        form.value.trim().parse().ok(),
        form.numerator.trim().parse().ok(),
        form.denominator.trim().parse().ok(),
        Some(form.narrative.clone()).filter(|n| !n.trim().is_empty()),
    )
}

/// The value fields of a form, as the indicator's measure asks.
pub fn figure_fields(
    lang: Lang,
    measure: Measure,
    form: &FigureForm,
    errors: &FieldErrors,
) -> Markup {
    html! {
        @match measure {
            Measure::Percentage => {
                (input(lang, Input::text("numerator", lang.pick("Numérateur", "Numerator"), &form.numerator).kind("text").hint(lang.pick("Ce qui est compté (par exemple 9 marchés avec critères)…", "What is counted (for example 9 contracts with criteria)…")).required(), errors))
                (input(lang, Input::text("denominator", lang.pick("Dénominateur", "Denominator"), &form.denominator).hint(lang.pick("… sur combien (par exemple 20 marchés).", "… out of how many (for example 20 contracts).")).required(), errors))
            }
            Measure::Narrative => {
                (textarea(lang, "narrative", lang.pick("Constat", "Account"), &form.narrative, None, true, errors))
            }
            Measure::Ordinal { levels } => {
                (input(lang, Input::text("value", lang.pick("Niveau", "Level"), &form.value).hint(&format!("{} 1 – {levels}", lang.pick("De", "From"))).required(), errors))
            }
            Measure::Count => {
                (input(lang, Input::text("value", lang.pick("Valeur", "Value"), &form.value).required(), errors))
            }
        }
    }
}

/// The measurement form (a new one on the indicator's page, a correction on the
/// measurement's); `revision` is the one the correcting page shows.
// One argument a part of the form, as the other form builders.
#[allow(clippy::too_many_arguments)]
pub fn measurement_fields(
    lang: Lang,
    token: &str,
    action: &str,
    measure: Measure,
    form: &MeasurementForm,
    errors: &FieldErrors,
    locked: &[i32],
    revision: Option<i32>,
) -> Markup {
    html! {
        (error_summary(lang, errors, &[("value", lang.pick("Valeur", "Value")), ("numerator", lang.pick("Numérateur", "Numerator")), ("denominator", lang.pick("Dénominateur", "Denominator")), ("narrative", lang.pick("Constat", "Account")), ("measured_on", lang.pick("Date de la mesure", "Date of the measurement")), ("evidence_url", lang.pick("Lien vers la preuve", "Link to the evidence")), ("comment", lang.pick("Commentaire", "Comment"))]))
        form method="post" action=(action) novalidate {
            (csrf(token))
            @if let Some(revision) = revision { input type="hidden" name="revision" value=(revision); }
            (input(lang, Input::text("measured_on", lang.pick("Date de la mesure", "Date of the measurement"), &form.measured_on).kind("date").hint(&if locked.is_empty() { lang.pick("La fin de la période mesurée, par exemple 2026-12-31.", "The end of the period measured, for example 2026-12-31.").to_owned() } else { format!("{} {}", lang.pick("Années clôturées :", "Locked years:"), locked.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) }).required(), errors))
            (figure_fields(lang, measure, &form.figure, errors))
            (input(lang, Input::text("evidence_url", lang.pick("Lien vers la preuve", "Link to the evidence"), &form.evidence_url).kind("url"), errors))
            (textarea(lang, "comment", lang.pick("Commentaire", "Comment"), &form.comment, None, false, errors))
            div.actions {
                button type="submit" name="intent" value=(MeasurementStatus::Submitted.code()) { (lang.pick("Soumettre pour validation", "Submit for validation")) }
                " "
                button.secondary type="submit" name="intent" value=(MeasurementStatus::Draft.code()) { (lang.pick("Enregistrer en brouillon", "Save as draft")) }
            }
        }
    }
}

/// The list of what changed since the person opened the page, on every 409 page of an
/// indicator (a measurement's revisions, an indicator's baselines or targets).
pub fn changes_list(lang: Lang, items: Vec<Markup>) -> Markup {
    html! {
        h3 { (lang.pick("Ce qui a changé depuis que vous avez ouvert la page", "What changed since you opened the page")) }
        ul { @for item in items { li { (item) } } }
    }
}

//! How an indicator stands, drawn the same on every page (a coalition's goals, an
//! indicator's page, the programme overview): its status as a word in a coloured badge, its
//! progress as a bar, or why it has none. Depends on nothing above `ui`.

use crate::domain::i18n::Lang;
use crate::domain::indicator::Status;
use crate::domain::indicator::standing::{Gap, Standing};
use crate::web::ui::figures::figure;
use maud::{Markup, html};

/// Why an indicator shows no progress, in words.
pub fn gap_label(gap: &Gap, lang: Lang) -> String {
    match gap {
        Gap::Narrative => lang
            .pick(
                "Indicateur qualitatif : se lit dans ses mesures",
                "Qualitative indicator: read its measurements",
            )
            .to_owned(),
        Gap::NoBaseline => lang
            .pick("Pas encore de valeur de référence", "No baseline yet")
            .to_owned(),
        Gap::NoTarget => lang.pick("Pas encore de cible", "No target yet").to_owned(),
        Gap::NoMeasurement => lang
            .pick(
                "Pas encore de mesure validée",
                "No validated measurement yet",
            )
            .to_owned(),
        Gap::Invalid(e) => e.message().get(lang).to_owned(),
    }
}

/// The status as a word in a coloured badge: the word carries the meaning, the colour only
/// repeats it.
pub fn status_badge(lang: Lang, status: Status) -> Markup {
    html! { span class={ "status status-" (status.code()) } { (status.label(lang)) } }
}

/// Progress towards the final target as a bar with its percentage and status word, or why
/// there is none.
pub fn progress_cell(lang: Lang, standing: &Standing) -> Markup {
    match &standing.assessment {
        Ok(a) => {
            let shown = a.progress.percent.clamp(0.0, 100.0);
            html! {
                div.progress {
                    // An SVG bar: the page's CSP refuses inline styles, not SVG attributes.
                    svg.progress-bar viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                        rect.progress-track width="100" height="8" {}
                        rect class={ "progress-fill fill-" (a.status.code()) } width=(format!("{shown:.0}")) height="8" {}
                    }
                    span.progress-text { (figure(lang, a.progress.percent)) " % · " (status_badge(lang, a.status)) }
                }
            }
        }
        Err(gap) => html! { span.muted { (gap_label(gap, lang)) } },
    }
}

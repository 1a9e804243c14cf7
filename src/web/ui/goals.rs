//! The goals section of a coalition's page: each impact goal with its qualities, its
//! levers and its indicators' progress, and, for those who manage the coalition, the links
//! that add and change them. Depends on nothing above `ui`.

use crate::domain::i18n::Lang;
use crate::domain::indicator::records::{Goal, Indicator};
use crate::domain::indicator::standing::IndicatorHistory;
use crate::web::ui::badges::progress_cell;
use crate::web::ui::figures::figure;
use crate::web::ui::tables::{scroll_table, typed_text};
use maud::{Markup, html};

/// The goals with their indicators' progress, for the coalition page. `pending` is the
/// number of measurements awaiting validation, for those who may read them, with the
/// address where they are seen (the staff's validation queue, for staff); `manages` shows
/// the links that add and change goals and indicators.
pub fn goals_section(
    lang: Lang,
    slug: &str,
    goals: &[Goal],
    indicators: &[(Indicator, IndicatorHistory)],
    pending: Option<(usize, &str)>,
    manages: bool,
) -> Markup {
    html! {
        h2 #objectifs { (lang.pick("Objectifs d'impact et indicateurs", "Impact goals and indicators")) }
        @if goals.is_empty() {
            p { (lang.pick("La coalition n'a pas encore formulé d'objectif d'impact.", "The coalition has not set an impact goal yet.")) }
        }
        @if let Some((pending, href)) = pending.filter(|(n, _)| *n > 0) {
            p.notice { a href=(href) { (lang.plural(i64::try_from(pending).unwrap_or(i64::MAX), ["mesure en attente de validation par l'équipe du programme", "mesures en attente de validation par l'équipe du programme"], ["measurement awaiting validation by the programme staff", "measurements awaiting validation by the programme staff"])) } }
        }
        @for goal in goals {
            section.goal aria-labelledby={ "objectif-" (goal.id) } {
                h3 #{ "objectif-" (goal.id) } { (typed_text(lang, Lang::Fr, &goal.statement)) }
                dl.meta {
                    dt { "Horizon" } dd { (lang.date(&goal.horizon)) }
                    dt { (lang.pick("Qualités", "Qualities")) }
                    dd { (goal.qualities.iter().map(|q| q.label(lang)).collect::<Vec<_>>().join(", ")) }
                    dt { (lang.pick("Leviers", "Levers")) }
                    dd { (goal.dimensions.iter().map(|d| d.label(lang)).collect::<Vec<_>>().join(", ")) }
                }
                @let indicators: Vec<_> = indicators.iter().filter(|(i, _)| i.goal_id == goal.id).collect();
                @if indicators.is_empty() {
                    p { (lang.pick("Aucun indicateur pour cet objectif.", "No indicator for this goal.")) }
                } @else {
                    (scroll_table(&format!("objectif-{id} indicators-{id}", id = goal.id), html! { table.indicators {
                        caption.visually-hidden #(format!("indicators-{}", goal.id)) { (lang.pick("Indicateurs de l'objectif", "Indicators of the goal")) }
                        thead { tr {
                            th scope="col" { (lang.pick("Indicateur", "Indicator")) }
                            th scope="col" { (lang.pick("Référence", "Baseline")) }
                            th scope="col" { (lang.pick("Dernière valeur validée", "Latest validated value")) }
                            th scope="col" { (lang.pick("Cible finale", "Final target")) }
                            th scope="col" { (lang.pick("Avancement", "Progress")) }
                        } }
                        tbody {
                            @for (i, h) in indicators {
                                @let standing = h.standing();
                                tr {
                                    th scope="row" { a href={ "/coalitions/" (slug) "/indicators/" (i.id) } { (i.code) " — " (typed_text(lang, Lang::Fr, &i.name)) } }
                                    td { (standing.baseline.map(|v| figure(lang, v)).unwrap_or_else(|| "—".into())) }
                                    td { @match standing.actual {
                                        Some((on, v)) => { (figure(lang, v)) " " small { "(" (lang.date(on)) ")" } }
                                        None => { "—" }
                                    } }
                                    td { @match standing.final_target {
                                        Some(t) => { (figure(lang, t.value)) " " small { "(" (lang.date(t.due)) ")" } }
                                        None => { "—" }
                                    } }
                                    td { (progress_cell(lang, &standing)) }
                                }
                            }
                        }
                    } }))
                }
                @if manages {
                    p.actions {
                        a href={ "/coalitions/" (slug) "/goals/" (goal.id) "/indicators/new" } { (lang.pick("Ajouter un indicateur", "Add an indicator")) }
                        " · "
                        a href={ "/coalitions/" (slug) "/goals/" (goal.id) "/edit" } { (lang.pick("Modifier l'objectif", "Edit the goal")) }
                    }
                }
            }
        }
        @if manages {
            p.actions { a.button href={ "/coalitions/" (slug) "/goals/new" } { (lang.pick("Ajouter un objectif d'impact", "Add an impact goal")) } }
        }
    }
}

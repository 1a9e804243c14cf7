//! The programme overview, for staff only: every coalition with its members' heterogeneity,
//! its actions by status and the measurements waiting for validation; every indicator with
//! its baseline, latest validated value, final target, progress and status; and the
//! coverage of the 7 qualities × 3 dimensions by goals, indicators and actions, to show the
//! gaps (computed in [`crate::domain::coalition::coverage`]).

use crate::app::error::AppError;
use crate::db::{self, Coalition, Indicator, MeasurementRevision};
use crate::domain::coalition::actions::count_by_status;
use crate::domain::coalition::coverage::{Coverage, Grid};
use crate::domain::i18n::Lang;
use crate::domain::indicator::measurement::MeasurementStatus;
use crate::domain::indicator::records::{Baseline, Target};
use crate::domain::indicator::standing::history;
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::User;
use crate::web::ui::badges::progress_cell;
use crate::web::ui::figures::figure;
use crate::web::ui::layout::{html_response, page};
use crate::web::ui::tables::{localized_text, scroll_table, typed_text};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// A figure with its unit, « — » when there is none.
fn with_unit(lang: Lang, value: Option<f64>, unit: &str) -> String {
    match value {
        Some(x) if unit.trim().is_empty() => figure(lang, x),
        Some(x) => format!("{} {unit}", figure(lang, x)),
        None => "—".to_owned(),
    }
}

/// What the overview says of one coalition, beside its indicators.
struct CoalitionLine<'a> {
    coalition: &'a Coalition,
    actor_types: usize,
    members: usize,
    diversity: f64,
    /// In the order of [`crate::domain::coalition::actions::ActionStatus::ALL`].
    actions: [usize; 3],
    awaiting_validation: usize,
}

pub async fn overview(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let pool = &state.pool;
    let coalitions = db::coalitions(pool).await?;
    let goals = db::all_goals(pool).await?;
    let indicators = db::all_indicators(pool).await?;
    let baselines = db::all_baselines(pool).await?;
    let targets = db::all_targets(pool).await?;
    let measurements = db::current_measurements(pool).await?;
    let actions = db::all_actions(pool).await?;
    let goal_links = db::all_action_goals(pool).await?;
    let indicator_links = db::all_action_indicators(pool).await?;

    let mut lines = Vec::with_capacity(coalitions.len());
    for c in &coalitions {
        let members: Vec<_> = db::members(pool, &c.id)
            .await?
            .into_iter()
            .filter(|m| m.left_on.is_none())
            .collect();
        let types: Vec<&str> = members.iter().map(|m| m.actor_type.code()).collect();
        let diversity = crate::domain::coalition::diversity::diversity(&types);
        let awaiting_validation = measurements
            .iter()
            .filter(|m| m.status == MeasurementStatus::Submitted)
            .filter(|m| {
                indicators
                    .iter()
                    .any(|i| i.id == m.indicator_id && i.coalition_id == c.id)
            })
            .count();
        lines.push(CoalitionLine {
            coalition: c,
            actor_types: diversity.types,
            members: members.len(),
            diversity: diversity.normalised,
            actions: count_by_status(
                actions
                    .iter()
                    .filter(|a| a.coalition_id == c.id)
                    .map(|a| a.status),
            ),
            awaiting_validation,
        });
    }

    let coverage = crate::app::indicators::programme_coverage(
        &coalitions,
        &goals,
        &indicators,
        &actions,
        &goal_links,
        &indicator_links,
    );
    let current: Vec<&MeasurementRevision> = measurements.iter().collect();
    let lang = ctx.lang;
    let title = lang.pick("Vue d'ensemble du programme", "Programme overview");
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Réservée à l'équipe du programme : l'avancement de chaque coalition, à partir des seules mesures validées, et la couverture des 7 qualités sur les 3 dimensions.",
            "For programme staff only: each coalition's progress, from validated measurements only, and the coverage of the 7 qualities over the 3 dimensions."
        )) }
        p { a href="/programme/mail" { (lang.pick("Envoi des e-mails : en attente et abandonnés", "Outgoing mail: waiting and given up")) } }
        (coalitions_table(lang, &lines))
        h2 #indicateurs { (lang.pick("Les indicateurs", "The indicators")) }
        (indicators_table(lang, &coalitions, &indicators, &baselines, &targets, &current))
        h2 #couverture { (lang.pick("Couverture des qualités et des dimensions", "Coverage of qualities and dimensions")) }
        p { (lang.pick(
            "Combien d'objectifs, d'indicateurs et d'actions servent chaque qualité sur chaque dimension. Une case vide est un manque.",
            "How many goals, indicators and actions serve each quality on each dimension. An empty cell is a gap."
        )) }
        (coverage_tables(lang, &coverage))
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

fn coalitions_table(lang: Lang, lines: &[CoalitionLine<'_>]) -> Markup {
    html! {
        h2 #coalitions { (lang.pick("Les coalitions", "The coalitions")) }
        @if lines.is_empty() {
            p { (lang.pick("Aucune coalition n'est enregistrée.", "No coalition is recorded.")) }
        } @else {
            (scroll_table("coalitions-table", html! { table {
                caption.visually-hidden #coalitions-table { (lang.pick("Les coalitions", "The coalitions")) }
                thead { tr {
                    th scope="col" { ("Coalition") }
                    th scope="col" { (lang.pick("Étape", "Stage")) }
                    th scope="col" { (lang.pick("Membres", "Members")) }
                    th scope="col" { (lang.pick("Hétérogénéité", "Heterogeneity")) }
                    th scope="col" class="number" { (lang.pick("Actions à faire", "Actions to do")) }
                    th scope="col" class="number" { (lang.pick("Actions en cours", "Actions in progress")) }
                    th scope="col" class="number" { (lang.pick("Actions faites", "Actions done")) }
                    th scope="col" class="number" { (lang.pick("Mesures à valider", "Measurements to validate")) }
                } }
                tbody {
                    @for line in lines {
                        tr {
                            th scope="row" { a href={ "/coalitions/" (line.coalition.slug) } { (localized_text(lang, &line.coalition.name_fr, &line.coalition.name_en)) } }
                            td { (line.coalition.stage.label(lang)) }
                            td.number { (line.members) }
                            td {
                                (line.actor_types) (lang.pick(" types d'acteurs sur 5", " actor types out of 5"))
                                @if line.members > 0 { " · " (lang.pick("indice ", "index ")) (lang.decimal(line.diversity, 2)) }
                            }
                            @for n in line.actions { td.number { (n) } }
                            td.number {
                                @if line.awaiting_validation > 0 { strong { (line.awaiting_validation) } } @else { "0" }
                            }
                        }
                    }
                }
            } }))
        }
    }
}

fn indicators_table(
    lang: Lang,
    coalitions: &[Coalition],
    indicators: &[Indicator],
    baselines: &[Baseline],
    targets: &[Target],
    current: &[&MeasurementRevision],
) -> Markup {
    html! {
        (scroll_table("indicators-table", html! { table {
            caption.visually-hidden #indicators-table { (lang.pick("Les indicateurs de chaque coalition", "Each coalition's indicators")) }
            thead { tr {
                th scope="col" { "Coalition" }
                th scope="col" { (lang.pick("Indicateur", "Indicator")) }
                th scope="col" class="number" { (lang.pick("Référence", "Baseline")) }
                th scope="col" class="number" { (lang.pick("Dernière valeur validée", "Latest validated value")) }
                th scope="col" class="number" { (lang.pick("Cible finale", "Final target")) }
                th scope="col" { (lang.pick("Avancement et statut", "Progress and status")) }
            } }
            tbody {
                @for c in coalitions {
                    @let own: Vec<&Indicator> = indicators.iter().filter(|i| i.coalition_id == c.id).collect();
                    @if own.is_empty() {
                        tr {
                            th scope="row" { a href={ "/coalitions/" (c.slug) } { (localized_text(lang, &c.name_fr, &c.name_en)) } }
                            td colspan="5" { span.muted { (lang.pick("Aucun indicateur pour l'instant.", "No indicator yet.")) } }
                        }
                    }
                    @for i in own {
                        tr {
                            th scope="row" { a href={ "/coalitions/" (c.slug) } { (localized_text(lang, &c.name_fr, &c.name_en)) } }
                            td { a href={ "/coalitions/" (c.slug) "/indicators/" (i.id) } { (i.code) " — " (typed_text(lang, Lang::Fr, &i.name)) } }
                            @let standing = history(i, baselines, targets, current).standing();
                            td.number { (with_unit(lang, standing.baseline, &i.unit)) }
                            td.number {
                                @if let Some((on, value)) = standing.actual {
                                    (with_unit(lang, Some(value), &i.unit)) br; span.muted { (lang.pick("au ", "on ")) (lang.date(on)) }
                                } @else { "—" }
                            }
                            td.number {
                                @if let Some(t) = standing.final_target {
                                    (with_unit(lang, Some(t.value), &i.unit)) br; span.muted { (lang.pick("au ", "by ")) (lang.date(t.due)) }
                                } @else { "—" }
                            }
                            td { (progress_cell(lang, &standing)) }
                        }
                    }
                }
            }
        } }))
    }
}

fn coverage_tables(lang: Lang, coverage: &Coverage) -> Markup {
    let grids: [(&str, &str, &Grid); 3] = [
        (
            "couverture-objectifs",
            lang.pick("Objectifs d'impact", "Impact goals"),
            &coverage.goals,
        ),
        (
            "couverture-indicateurs",
            lang.pick("Indicateurs", "Indicators"),
            &coverage.indicators,
        ),
        ("couverture-actions", "Actions", &coverage.actions),
    ];
    html! {
        @for (id, name, grid) in grids {
            section aria-labelledby=(id) {
                h3 #(id) { (name) }
                (scroll_table(&format!("{id}-table"), html! { table.coverage {
                    caption.visually-hidden #(format!("{id}-table")) { (name) (lang.pick(" : nombre par qualité et dimension", ": count by quality and dimension")) }
                    thead { tr {
                        th scope="col" { (lang.pick("Qualité", "Quality")) }
                        @for d in Dimension::ALL { th scope="col" class="number" { (d.label(lang)) } }
                    } }
                    tbody {
                        @for q in Quality::ALL {
                            tr {
                                th scope="row" { (q.label(lang)) }
                                @for d in Dimension::ALL {
                                    @let n = grid.get(*q, *d);
                                    @if n == 0 {
                                        td.number.coverage-gap { (lang.pick("aucun", "none")) }
                                    } @else {
                                        td.number { (n) }
                                    }
                                }
                            }
                        }
                    }
                } }))
                p.gaps { (gaps_sentence(lang, name, grid)) }
            }
        }
    }
}

/// The gaps of a grid in one sentence.
fn gaps_sentence(lang: Lang, name: &str, grid: &Grid) -> String {
    let gaps = grid.gaps();
    if gaps.is_empty() {
        return format!(
            "{name}{}",
            lang.pick(
                " : toutes les cases sont couvertes.",
                ": every cell is covered."
            )
        );
    }
    let cells: Vec<String> = gaps
        .iter()
        .map(|(q, d)| format!("{} × {}", q.label(lang), d.label(lang)))
        .collect();
    match lang {
        Lang::Fr => format!(
            "{name} : {} case{} sur 21 sans rien — {}.",
            gaps.len(),
            if gaps.len() > 1 { "s" } else { "" },
            cells.join(", ")
        ),
        Lang::En => format!(
            "{name}: {} cell{} out of 21 with nothing — {}.",
            gaps.len(),
            if gaps.len() > 1 { "s" } else { "" },
            cells.join(", ")
        ),
    }
}

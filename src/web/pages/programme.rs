//! The programme overview, for staff only: every coalition with its members' heterogeneity,
//! its actions by status and the measurements waiting for validation (linked to the
//! validation queue); the coverage of the 7 qualities × 3 dimensions by goals, indicators and
//! actions, to show the gaps (computed in [`crate::domain::coalition::coverage`]); and, one
//! page a coalition family so that each page stays light, every indicator with its baseline,
//! latest validated value, final target, progress and status.

use crate::app::error::AppError;
use crate::db::{self, Coalition, Indicator, MeasurementRevision};
use crate::domain::CoalitionFamily;
use crate::domain::coalition::actions::count_by_status;
use crate::domain::coalition::coverage::{Coverage, Grid};
use crate::domain::i18n::Lang;
use crate::domain::indicator::measurement::MeasurementStatus;
use crate::domain::indicator::records::{Baseline, Target};
use crate::domain::indicator::standing::history;
use crate::domain::indicator::unit_for;
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::User;
use crate::web::ui::badges::progress_cell;
use crate::web::ui::layout::{html_response, page};
use crate::web::ui::tables::{localized_text, scroll_table, typed_text};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// A figure with its unit agreeing with it and the language's separators (« 11 900 exports »,
/// « 1 service »), « — » when there is none.
fn with_unit(lang: Lang, value: Option<f64>, unit: &str) -> String {
    let Some(x) = value else {
        return "—".to_owned();
    };
    let number = lang.figure(x, 1);
    match unit_for(x, unit.trim(), lang) {
        "" => number,
        unit => format!("{number} {unit}"),
    }
}

/// A count with its noun agreeing (the language's one plural rule, [`Lang::plural`]).
fn counted(lang: Lang, n: usize, one: (&str, &str), many: (&str, &str)) -> String {
    lang.plural(
        i64::try_from(n).unwrap_or(i64::MAX),
        [one.0, many.0],
        [one.1, many.1],
    )
}

fn family_path(family: CoalitionFamily) -> String {
    format!("/programme/indicators/{}", family.code())
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
    let lang = ctx.lang;
    let title = lang.pick("Vue d'ensemble du programme", "Programme overview");
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Réservée à l'équipe du programme : l'avancement de chaque coalition, à partir des seules mesures validées, et la couverture des 7 qualités sur les 3 dimensions.",
            "For programme staff only: each coalition's progress, from validated measurements only, and the coverage of the 7 qualities over the 3 dimensions."
        )) }
        @let waiting: usize = lines.iter().map(|l| l.awaiting_validation).sum();
        ul {
            li { a href="/programme/validation" { (lang.pick("Mesures à valider", "Measurements to validate")) } " (" (lang.count(i64::try_from(waiting).unwrap_or(i64::MAX))) ")" }
            li { a href="/programme/mail" { (lang.pick("Envoi des e-mails : en attente et abandonnés", "Outgoing mail: waiting and given up")) } }
        }
        (coalitions_table(lang, &lines))
        h2 #indicateurs { (lang.pick("Les indicateurs", "The indicators")) }
        p { (lang.pick("La référence, la dernière valeur validée, la cible finale, l'avancement et le statut de chaque indicateur, une page par famille de coalitions :", "Each indicator's baseline, latest validated value, final target, progress and status, one page a family of coalitions:")) }
        ul {
            @for family in CoalitionFamily::ALL {
                @let n = indicators.iter().filter(|i| coalitions.iter().any(|c| c.id == i.coalition_id && c.family == *family)).count();
                li { a href=(family_path(*family)) { (family.label(lang)) } " (" (counted(lang, n, ("indicateur", "indicator"), ("indicateurs", "indicators"))) ")" }
            }
        }
        h2 #couverture { (lang.pick("Couverture des qualités et des dimensions", "Coverage of qualities and dimensions")) }
        p { (lang.pick(
            "Combien d'objectifs, d'indicateurs et d'actions servent chaque qualité sur chaque dimension. Une case vide est un manque.",
            "How many goals, indicators and actions serve each quality on each dimension. An empty cell is a gap."
        )) }
        (coverage_tables(lang, &coverage))
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

/// `GET /programme/indicators/{family}`: the indicators of one family's coalitions.
pub async fn family_indicators(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let family = CoalitionFamily::from_code(&path).ok_or(AppError::NotFound)?;
    let pool = &state.pool;
    let coalitions: Vec<Coalition> = db::coalitions(pool)
        .await?
        .into_iter()
        .filter(|c| c.family == family)
        .collect();
    let indicators = db::all_indicators(pool).await?;
    let baselines = db::all_baselines(pool).await?;
    let targets = db::all_targets(pool).await?;
    let measurements = db::current_measurements(pool).await?;
    let current: Vec<&MeasurementRevision> = measurements.iter().collect();
    let lang = ctx.lang;
    let title = format!(
        "{} — {}",
        lang.pick("Les indicateurs", "The indicators"),
        family.label(lang)
    );
    let body = html! {
        p { a href="/programme#indicateurs" { "← " (lang.pick("Vue d'ensemble du programme", "Programme overview")) } }
        h1 { (title) }
        p { (lang.pick("À partir des seules mesures validées.", "From validated measurements only.")) }
        nav aria-label=(lang.pick("Les autres familles", "The other families")) {
            ul { @for other in CoalitionFamily::ALL.iter().filter(|f| **f != family) {
                li { a href=(family_path(*other)) { (other.label(lang)) } }
            } }
        }
        @if coalitions.is_empty() {
            p { (lang.pick("Aucune coalition de cette famille n'est enregistrée.", "No coalition of this family is recorded.")) }
        } @else {
            (indicators_table(lang, &coalitions, &indicators, &baselines, &targets, &current))
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
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
                                (counted(lang, line.actor_types, ("type d'acteurs sur 5", "actor type out of 5"), ("types d'acteurs sur 5", "actor types out of 5")))
                                @if line.members > 0 { " · " (lang.pick("indice ", "index ")) (lang.decimal(line.diversity, 2)) }
                            }
                            @for n in line.actions { td.number { (lang.count(i64::try_from(n).unwrap_or(i64::MAX))) } }
                            td.number {
                                @if line.awaiting_validation > 0 { a href="/programme/validation" { strong { (line.awaiting_validation) } } } @else { "0" }
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

//! The report document: one self-contained HTML page (inline style, inline SVG charts, no
//! script, nothing loaded from elsewhere), printable, each chart followed by its data table;
//! and the `data/README.md` that describes every file and field.

use super::findings::{Figures, key_findings};
use crate::analytics::publish::Table;
use crate::charts::map::DepartementFigure;
use crate::charts::report as charts;
use crate::domain::i18n::Lang;
use crate::domain::indicator::Status;
use crate::domain::organisation::OrganisationKind;
use crate::domain::territory::departement_label;
use crate::domain::{Dimension, Quality};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use polars::prelude::*;
use std::collections::HashMap;

/// What a cell needs besides its value: the year (months are named with it), the language
/// and each coalition's names, since tables key coalitions by slug and people read names.
struct Context {
    year: i32,
    lang: Lang,
    /// slug → (French name, English name)
    coalitions: HashMap<String, (String, String)>,
}

impl Context {
    fn new(year: i32, lang: Lang, tables: &[Table]) -> Context {
        let mut coalitions = HashMap::new();
        if let Some(t) = find(tables, "coalitions") {
            let slugs = strings(&t.frame, "coalition");
            let fr = strings(&t.frame, "name");
            // Reports published before the English names were kept have French only.
            let en = strings(&t.frame, "name_en");
            for (i, slug) in slugs.into_iter().enumerate() {
                let fr = fr.get(i).cloned().unwrap_or_default();
                let en = en
                    .get(i)
                    .filter(|e| !e.is_empty())
                    .cloned()
                    .unwrap_or_else(|| fr.clone());
                coalitions.insert(slug, (fr, en));
            }
        }
        Context {
            year,
            lang,
            coalitions,
        }
    }

    fn coalition_name(&self, slug: &str) -> Option<&str> {
        self.coalitions
            .get(slug)
            .map(|(fr, en)| self.lang.pick(fr.as_str(), en.as_str()))
            .filter(|name| !name.is_empty())
    }
}

/// Columns the CSV keeps for machines and the document does not print: a coalition's names
/// are shown in its `coalition` column instead of its slug.
fn hidden_in_document(table: &str, column: &str) -> bool {
    table == "coalitions" && matches!(column, "name" | "name_en")
}

/// A table's title.
pub fn table_label(name: &str, lang: Lang) -> &'static str {
    match name {
        "participation" => lang.pick("Participation de l'année", "Participation in the year"),
        "participation_by_kind" => lang.pick(
            "Participation par type d'organisation",
            "Participation by kind of organisation",
        ),
        "participation_by_departement" => lang.pick(
            "Participation par département",
            "Participation by département",
        ),
        "participation_by_month" => lang.pick("Participation par mois", "Participation by month"),
        "participation_by_year" => lang.pick(
            "Participation de l'année et de l'année précédente",
            "Participation in the year and the year before",
        ),
        "participation_and_scores_by_year" => lang.pick(
            "Les années côte à côte : participation et scores moyens",
            "Years side by side: participation and mean scores",
        ),
        "quality_distribution" => lang.pick(
            "Distribution des scores par qualité",
            "Distribution of scores by quality",
        ),
        "quality_distribution_by_kind" => lang.pick(
            "Distribution par qualité et type d'organisation",
            "Distribution by quality and kind of organisation",
        ),
        "heatmap" => lang.pick(
            "Score moyen par qualité et dimension",
            "Mean score by quality and dimension",
        ),
        "heatmap_by_kind" => lang.pick(
            "Score moyen par qualité, dimension et type d'organisation",
            "Mean score by quality, dimension and kind of organisation",
        ),
        "progress" => lang.pick(
            "Évolution appariée par qualité (organisations présentes les deux années)",
            "Paired change by quality (organisations present both years)",
        ),
        "progress_by_kind" => lang.pick(
            "Évolution appariée par type d'organisation",
            "Paired change by kind of organisation",
        ),
        "comparable_questions" => lang.pick(
            "Questions comparables entre versions",
            "Questions comparable across versions",
        ),
        "coverage" => lang.pick(
            "Taux de réponse aux questions notées",
            "Share of scored questions answered",
        ),
        "coverage_by_kind" => lang.pick(
            "Taux de réponse par type d'organisation",
            "Share answered by kind of organisation",
        ),
        "low_coverage_diagnostics" => lang.pick(
            "Diagnostics peu renseignés",
            "Diagnostics with low coverage",
        ),
        "coalitions" => lang.pick("Tableau de bord des coalitions", "Coalitions scorecard"),
        "coalition_indicators" => lang.pick("Indicateurs des coalitions", "Coalition indicators"),
        "qualities_dimensions_coverage" => lang.pick(
            "Couverture qualités × dimensions des objectifs, indicateurs et actions",
            "Qualities × dimensions coverage of goals, indicators and actions",
        ),
        "measurement_gaps" => lang.pick(
            "Mesures manquantes ou non validées",
            "Missing or unvalidated measurements",
        ),
        _ => "—",
    }
}

/// A column's heading.
fn column_label(name: &str, lang: Lang) -> String {
    let label = match name {
        "organisation_kind" => lang.pick("Type d'organisation", "Kind of organisation"),
        "departement" => "Département",
        "month" => lang.pick("Mois", "Month"),
        "organisations" => "Organisations",
        "organisations_submitted" => {
            lang.pick("Organisations ayant envoyé", "Organisations that submitted")
        }
        "started" => lang.pick("Réponses commencées", "Responses started"),
        "submitted" => lang.pick("Réponses envoyées", "Responses submitted"),
        "completion_rate" => lang.pick("Taux d'achèvement", "Completion rate"),
        "suppressed" => lang.pick(
            "Masqué (< 5 organisations)",
            "Suppressed (< 5 organisations)",
        ),
        "quality" => lang.pick("Qualité", "Quality"),
        "dimension" => "Dimension",
        "n" => lang.pick("Organisations notées", "Organisations scored"),
        "year" => lang.pick("Année", "Year"),
        "name_en" => lang.pick("Nom (anglais)", "Name (English)"),
        "mean" => lang.pick("Moyenne", "Mean"),
        "median" => lang.pick("Médiane", "Median"),
        "q1" => lang.pick("1er quartile", "1st quartile"),
        "q3" => lang.pick("3e quartile", "3rd quartile"),
        "min" => "Minimum",
        "max" => "Maximum",
        "mean_before" => lang.pick("Moyenne N−1", "Mean N−1"),
        "mean_after" => lang.pick("Moyenne N", "Mean N"),
        "mean_change" => lang.pick("Évolution moyenne", "Mean change"),
        "median_change" => lang.pick("Évolution médiane", "Median change"),
        "improved" => lang.pick("En progrès", "Improved"),
        "coalition" => "Coalition",
        "name" => lang.pick("Nom", "Name"),
        "stage" => lang.pick("Étape", "Stage"),
        "members" => lang.pick("Membres", "Members"),
        "actor_types" => lang.pick("Types d'acteurs (sur 5)", "Actor types (of 5)"),
        "diversity" => lang.pick("Diversité (0–1)", "Diversity (0–1)"),
        "indicators" => lang.pick("Indicateurs", "Indicators"),
        "status_on_track" => lang.pick("En bonne voie", "On track"),
        "status_at_risk" => lang.pick("À risque", "At risk"),
        "status_off_track" => lang.pick("Hors trajectoire", "Off track"),
        "status_reached" => lang.pick("Atteints", "Reached"),
        "actions_a_faire" => lang.pick("Actions à faire", "Actions to do"),
        "actions_en_cours" => lang.pick("Actions en cours", "Actions in progress"),
        "actions_fait" => lang.pick("Actions faites", "Actions done"),
        "productions_year" => lang.pick("Productions de l'année", "Productions of the year"),
        "code" => "Code",
        "indicator" => lang.pick("Indicateur", "Indicator"),
        "unit" => lang.pick("Unité", "Unit"),
        "baseline" => lang.pick("Référence", "Baseline"),
        "value_previous_year" => lang.pick("Valeur N−1", "Value N−1"),
        "value_year" => lang.pick("Valeur N", "Value N"),
        "final_target" => lang.pick("Cible finale", "Final target"),
        "final_target_due" => lang.pick("Échéance", "Due"),
        "achieved_percent" => lang.pick("% atteint", "% achieved"),
        "status" => lang.pick("Statut", "Status"),
        "goals" => lang.pick("Objectifs", "Goals"),
        "actions" => "Actions",
        "issue" => lang.pick("Problème", "Issue"),
        "measurements_not_validated" => {
            lang.pick("Mesures non validées", "Unvalidated measurements")
        }
        "responses" => lang.pick("Réponses", "Responses"),
        "mean_coverage" => lang.pick("Taux de réponse moyen", "Mean share answered"),
        "low_coverage" => lang.pick("Réponses sous 50 %", "Responses under 50 %"),
        "questionnaire_slug" => "Questionnaire",
        "diagnostics" => "Diagnostics",
        "low_coverage_diagnostics" => lang.pick("Diagnostics sous 50 %", "Diagnostics under 50 %"),
        "organisations_scored" => lang.pick(
            "Organisations notées (3 personnes ou plus)",
            "Organisations scored (3 people or more)",
        ),
        "scores_suppressed" => lang.pick(
            "Scores masqués (< 5 organisations notées)",
            "Scores suppressed (< 5 organisations scored)",
        ),
        "index" => lang.pick("Indice moyen (sur 100)", "Mean index (out of 100)"),
        _ => "",
    };
    if label.is_empty() {
        name.to_owned()
    } else {
        label.to_owned()
    }
}

/// Columns holding a share in [0, 1], printed as a percentage.
const SHARES: &[&str] = &["completion_rate", "mean_coverage"];

/// A cell as people read it: codes named, figures rounded, nothing shown as « — ».
fn cell(column: &str, value: &AnyValue<'_>, ctx: &Context) -> String {
    let lang = ctx.lang;
    if column == "month"
        && let Some(named) = value
            .get_str()
            .and_then(|text| lang.month_text(text, ctx.year))
    {
        return named;
    }
    if let Some(n) = whole(value) {
        return match column {
            "month" => u32::try_from(n)
                .ok()
                .and_then(|m| lang.month(m, ctx.year))
                .unwrap_or_else(|| n.to_string()),
            "year" => n.to_string(),
            _ => lang.count(n),
        };
    }
    if let Some(x) = match value {
        AnyValue::Float64(x) => Some(*x),
        AnyValue::Float32(x) => Some(f64::from(*x)),
        _ => None,
    } {
        return number(column, x, lang);
    }
    let text = match value {
        AnyValue::Null => return "—".to_owned(),
        AnyValue::Boolean(b) => {
            return lang
                .pick(
                    if *b { "oui" } else { "non" },
                    if *b { "yes" } else { "no" },
                )
                .to_owned();
        }
        AnyValue::String(s) => (*s).to_owned(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => return other.to_string(),
    };
    let named = match column {
        "quality" => Quality::from_code(&text).map(|q| q.label(lang)),
        "dimension" => Dimension::from_code(&text).map(|d| d.label(lang)),
        "status" => Status::from_code(&text).map(|s| s.label(lang)),
        "organisation_kind" => OrganisationKind::from_code(&text).map(|k| k.label(lang)),
        "issue" => match text.as_str() {
            "missing" => Some(lang.pick("aucune mesure de l'année", "no measurement in the year")),
            "not_validated" => Some(lang.pick("mesures à valider", "measurements to validate")),
            _ => None,
        },
        "stage" => {
            Some(crate::domain::coalition::Stage::from_code(&text).map_or("—", |s| s.label(lang)))
        }
        "coalition" => ctx.coalition_name(&text),
        "departement" => return departement_label(&text),
        _ => None,
    };
    named.map(str::to_owned).unwrap_or(text)
}

fn whole(value: &AnyValue<'_>) -> Option<i64> {
    match *value {
        AnyValue::Int8(n) => Some(i64::from(n)),
        AnyValue::Int16(n) => Some(i64::from(n)),
        AnyValue::Int32(n) => Some(i64::from(n)),
        AnyValue::Int64(n) => Some(n),
        AnyValue::UInt8(n) => Some(i64::from(n)),
        AnyValue::UInt16(n) => Some(i64::from(n)),
        AnyValue::UInt32(n) => Some(i64::from(n)),
        AnyValue::UInt64(n) => i64::try_from(n).ok(),
        _ => None,
    }
}

/// A figure in the language's one format: one decimal, two for the diversity index (0–1),
/// shares as percentages.
fn number(column: &str, x: f64, lang: Lang) -> String {
    if SHARES.contains(&column) {
        lang.percent(x)
    } else if column == "diversity" {
        lang.figure(x, 2)
    } else {
        lang.figure(x, 1)
    }
}

/// A table in a scroll container the keyboard can reach (focusable, named by the caption),
/// so that a wide table can be scrolled without a mouse; its `id` is where the key findings
/// and the contents link to.
fn table_markup(table: &Table, ctx: &Context) -> Markup {
    let lang = ctx.lang;
    let frame = &table.frame;
    let columns: Vec<&Column> = frame
        .columns()
        .iter()
        .filter(|c| !hidden_in_document(table.name, c.name()))
        .collect();
    html! {
        div.table-scroll id={ "table-" (table.name) } role="region" tabindex="0" aria-labelledby={ "caption-" (table.name) } {
            table {
                caption id={ "caption-" (table.name) } { (table_label(table.name, lang)) " " span.file { "(data/" (table.name) ".csv)" } }
                thead { tr { @for c in &columns { th scope="col" { (column_label(c.name(), lang)) } } } }
                tbody {
                    @for i in 0..frame.height() {
                        tr { @for c in &columns {
                            td { (c.get(i).map(|v| cell(c.name(), &v, ctx)).unwrap_or_else(|_| "—".to_owned())) }
                        } }
                    }
                }
            }
        }
    }
}

fn find<'a>(tables: &'a [Table], name: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.name == name)
}

fn strings(frame: &DataFrame, column: &str) -> Vec<String> {
    frame
        .column(column)
        .ok()
        .map(|c| {
            (0..frame.height())
                .map(|i| {
                    c.get(i)
                        .map(|v| match v {
                            AnyValue::String(s) => s.to_owned(),
                            AnyValue::StringOwned(s) => s.to_string(),
                            AnyValue::Null => String::new(),
                            o => o.to_string(),
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn floats(frame: &DataFrame, column: &str) -> Vec<Option<f64>> {
    frame
        .column(column)
        .ok()
        .and_then(|c| c.cast(&DataType::Float64).ok())
        .and_then(|c| c.f64().ok().map(|ca| ca.iter().collect()))
        .unwrap_or_default()
}

/// A chart of the report: its file name, its title and its SVG; `None` when every group it
/// would draw is suppressed, so that empty axes are never shown as if they were a result.
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub svg: Option<String>,
}

fn chart(name: &'static str, title: &str, drawn: bool, draw: impl FnOnce() -> String) -> Chart {
    Chart {
        name,
        title: title.to_owned(),
        svg: drawn.then(draw),
    }
}

fn quality_name(code: &str, lang: Lang) -> String {
    Quality::from_code(code)
        .map(|q| q.label(lang).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The charts of the report, by table.
fn charts_of(tables: &[Table], ctx: &Context) -> Vec<Chart> {
    let lang = ctx.lang;
    let score_unit = lang.pick("score sur 100", "score out of 100");
    let mut out = Vec::new();
    out.extend(years_charts(tables, lang, score_unit));
    if let Some(map) = departements_map(tables, lang) {
        out.push(map);
    }
    if let Some(t) = find(tables, "participation_by_month") {
        let months = strings(&t.frame, "month");
        let submitted = floats(&t.frame, "submitted");
        let items: Vec<(String, Option<f64>)> = months
            .into_iter()
            .map(|m| lang.month_text(&m, ctx.year).unwrap_or(m))
            .zip(submitted)
            .collect();
        if !items.is_empty() {
            let title = lang.pick("Réponses envoyées par mois", "Responses submitted by month");
            let unit = lang.pick("réponses envoyées", "responses submitted");
            let drawn = items.iter().any(|(_, v)| v.is_some());
            out.push(chart("participation_by_month", title, drawn, || {
                charts::bars(&items, title, unit, lang)
            }));
        }
    }
    if let Some(t) = find(tables, "quality_distribution") {
        let qualities = strings(&t.frame, "quality");
        let cols = ["min", "q1", "median", "q3", "max"].map(|c| floats(&t.frame, c));
        let items: Vec<(String, [Option<f64>; 5])> = qualities
            .iter()
            .enumerate()
            .map(|(i, q)| {
                (
                    quality_name(q, lang),
                    [0, 1, 2, 3, 4].map(|k| cols[k].get(i).copied().flatten()),
                )
            })
            .collect();
        if !items.is_empty() {
            let title = lang.pick(
                "Distribution des scores collectifs par qualité",
                "Distribution of collective scores by quality",
            );
            let drawn = items.iter().any(|(_, v)| v.iter().all(Option::is_some));
            out.push(chart("quality_distribution", title, drawn, || {
                charts::box_plots(&items, title, score_unit)
            }));
        }
    }
    if let Some(t) = find(tables, "heatmap") {
        let q = strings(&t.frame, "quality");
        let d = strings(&t.frame, "dimension");
        let m = floats(&t.frame, "mean");
        let grid = grid(|quality, dimension| {
            (0..q.len())
                .find(|&i| q[i] == quality.code() && d[i] == dimension.code())
                .and_then(|i| m[i])
                .map(|v| (v * 10.0).round() / 10.0)
        });
        let title = lang.pick(
            "Score moyen par qualité et dimension",
            "Mean score by quality and dimension",
        );
        let drawn = grid.iter().flatten().any(Option::is_some);
        out.push(chart("heatmap", title, drawn, || {
            charts::heatmap(
                &quality_labels(lang),
                &dimension_labels(lang),
                &grid,
                100.0,
                title,
                score_unit,
                lang,
            )
        }));
    }
    if let Some(t) = find(tables, "progress") {
        let q = strings(&t.frame, "quality");
        let change = floats(&t.frame, "mean_change");
        let items: Vec<(String, Option<f64>)> = q
            .iter()
            .zip(change)
            .map(|(q, c)| (quality_name(q, lang), c.map(|c| (c * 10.0).round() / 10.0)))
            .collect();
        if !items.is_empty() {
            let title = lang.pick("Évolution moyenne par qualité", "Mean change by quality");
            let unit = lang.pick(
                "évolution en points (score sur 100)",
                "change in points (score out of 100)",
            );
            let drawn = items.iter().any(|(_, v)| v.is_some());
            out.push(chart("progress", title, drawn, || {
                charts::bars(&items, title, unit, lang)
            }));
        }
    }
    if let Some(t) = find(tables, "qualities_dimensions_coverage") {
        let q = strings(&t.frame, "quality");
        let d = strings(&t.frame, "dimension");
        for (column, name, title, unit) in [
            (
                "goals",
                "coverage_goals",
                lang.pick(
                    "Objectifs par qualité et dimension",
                    "Goals by quality and dimension",
                ),
                lang.pick("nombre d'objectifs", "number of goals"),
            ),
            (
                "indicators",
                "coverage_indicators",
                lang.pick(
                    "Indicateurs par qualité et dimension",
                    "Indicators by quality and dimension",
                ),
                lang.pick("nombre d'indicateurs", "number of indicators"),
            ),
            (
                "actions",
                "coverage_actions",
                lang.pick(
                    "Actions par qualité et dimension",
                    "Actions by quality and dimension",
                ),
                lang.pick("nombre d'actions", "number of actions"),
            ),
        ] {
            let v = floats(&t.frame, column);
            let grid = grid(|quality, dimension| {
                (0..q.len())
                    .find(|&i| q[i] == quality.code() && d[i] == dimension.code())
                    .and_then(|i| v[i])
            });
            let max = grid.iter().flatten().flatten().copied().fold(1.0, f64::max);
            out.push(chart(name, title, true, || {
                charts::heatmap(
                    &quality_labels(lang),
                    &dimension_labels(lang),
                    &grid,
                    max,
                    title,
                    unit,
                    lang,
                )
            }));
        }
    }
    out
}

/// The map of participation by département, from its table: a withheld row is hatched, a
/// département without a row had no participation. Drawn even when every département is
/// withheld: the map then says so, and the table tells which.
fn departements_map(tables: &[Table], lang: Lang) -> Option<Chart> {
    let t = find(tables, "participation_by_departement")?;
    let codes = strings(&t.frame, "departement");
    let organisations = floats(&t.frame, "organisations");
    let withheld = strings(&t.frame, "suppressed");
    let mut figures: HashMap<String, DepartementFigure> = HashMap::new();
    for (i, code) in codes.iter().enumerate() {
        if code.is_empty() {
            continue;
        }
        let figure = match (
            withheld.get(i).map(String::as_str),
            organisations.get(i).copied().flatten(),
        ) {
            (Some("false"), Some(n)) => DepartementFigure::Organisations(n.round() as i64),
            _ => DepartementFigure::Withheld,
        };
        figures.insert(code.clone(), figure);
    }
    let title = lang.pick(
        "Carte de la participation par département",
        "Map of participation by département",
    );
    let svg = crate::charts::map::departements(
        &figures,
        title,
        &format!("« {} »", table_label("participation_by_departement", lang)),
        lang,
    );
    Some(Chart {
        name: "participation_by_departement",
        title: title.to_owned(),
        svg: Some(svg),
    })
}

/// The years side by side: organisations that took part, and their mean index, one point a
/// year; a withheld year is said under its axis and not drawn.
fn years_charts(tables: &[Table], lang: Lang, score_unit: &str) -> Vec<Chart> {
    let Some(t) = find(tables, "participation_and_scores_by_year") else {
        return Vec::new();
    };
    let years: Vec<i32> = floats(&t.frame, "year")
        .into_iter()
        .map(|y| y.unwrap_or_default() as i32)
        .collect();
    if years.is_empty() {
        return Vec::new();
    }
    let withheld = lang.pick("masqué", "withheld");
    let organisations: Vec<(i32, Option<f64>)> = years
        .iter()
        .copied()
        .zip(floats(&t.frame, "organisations"))
        .collect();
    let index: Vec<(i32, Option<f64>)> = years
        .iter()
        .copied()
        .zip(floats(&t.frame, "index"))
        .map(|(y, v)| (y, v.map(|v| (v * 10.0).round() / 10.0)))
        .collect();
    let most = organisations
        .iter()
        .filter_map(|(_, v)| *v)
        .fold(0.0, f64::max);
    // A round top for the axis: the next multiple of 10 above the largest year.
    let top = ((most / 10.0).ceil() * 10.0).max(10.0);
    let participation_title = lang.pick(
        "Organisations participantes par année",
        "Participating organisations by year",
    );
    let scores_title = lang.pick(
        "Indice moyen des organisations par année",
        "Organisations' mean index by year",
    );
    vec![
        chart(
            "participation_and_scores_by_year",
            participation_title,
            organisations.iter().any(|(_, v)| v.is_some()),
            || {
                charts::years_line(
                    &organisations,
                    top,
                    participation_title,
                    "organisations",
                    withheld,
                    lang,
                )
            },
        ),
        chart(
            "scores_by_year",
            scores_title,
            index.iter().any(|(_, v)| v.is_some()),
            || charts::years_line(&index, 100.0, scores_title, score_unit, withheld, lang),
        ),
    ]
}

fn grid(value: impl Fn(Quality, Dimension) -> Option<f64>) -> Vec<Vec<Option<f64>>> {
    Quality::ALL
        .iter()
        .map(|&q| Dimension::ALL.iter().map(|&d| value(q, d)).collect())
        .collect()
}

fn quality_labels(lang: Lang) -> Vec<String> {
    Quality::ALL
        .iter()
        .map(|q| q.label(lang).to_owned())
        .collect()
}

fn dimension_labels(lang: Lang) -> Vec<String> {
    Dimension::ALL
        .iter()
        .map(|d| d.label(lang).to_owned())
        .collect()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#1b1b1b;background:#fff;line-height:1.5;margin:0 auto;max-width:72rem;padding:1rem;overflow-wrap:break-word}\
h1{font-size:1.9rem}h2{border-bottom:2px solid #c9ced6;margin-top:2.5rem}a{color:#1f4e8c}\
a:focus-visible{outline:3px solid #1b1b1b;background:#ffbf47}\
table{border-collapse:collapse;margin:0.5rem 0 1.5rem;font-size:0.9rem}th,td{border:1px solid #c9ced6;padding:0.2rem 0.5rem;text-align:left;vertical-align:top}\
th{background:#f3f5f8}caption{text-align:left;font-weight:600;padding:0.25rem 0}.file{font-weight:400;color:#4a4a4a;font-size:0.85rem}\
.table-scroll{overflow-x:auto;max-width:100%;margin-bottom:1rem;position:relative}.table-scroll:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}\
td:last-child,th:last-child{padding-right:0.75rem}\
.findings li{margin:0.35rem 0}nav ol{list-style:none;padding-left:0}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}figure{margin:1rem 0}svg.report-chart{max-width:40rem;height:auto;display:block}\
.notice{background:#f3f5f8;border-left:4px solid #1f4e8c;padding:0.5rem 1rem}\
@media print{h2{break-before:page}.table-scroll{overflow:visible}a{color:#1b1b1b}}";

/// A section of the document: anchor, heading, introduction, its tables, its extra charts.
type Section<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

/// The document and its charts.
pub fn document(
    year: i32,
    lang: Lang,
    tables: &[Table],
    frozen: bool,
) -> (String, Vec<(&'static str, String)>) {
    let ctx = Context::new(year, lang, tables);
    let charts = charts_of(tables, &ctx);
    let findings = key_findings(&Figures::of_tables(tables, year), lang);
    let chart = |name: &str| -> Markup {
        match charts.iter().find(|c| c.name == name) {
            Some(Chart {
                name,
                title,
                svg: Some(svg),
            }) => {
                html! { figure { (PreEscaped(svg)) figcaption { strong { (title) } " — " (lang.pick("données : le tableau qui suit ; image : ", "data: the table below; image: ")) "charts/" (name) ".svg" } } }
            }
            Some(Chart {
                title, svg: None, ..
            }) => {
                html! { p.notice.suppressed-chart { strong { (title) } " — " (lang.pick("graphique masqué : moins de 5 organisations dans chaque groupe.", "chart suppressed: fewer than 5 organisations in every group.")) } }
            }
            None => html! {},
        }
    };
    let tables_of = |names: &[&str]| -> Markup {
        html! { @for name in names { @if let Some(t) = find(tables, name) {
            (chart(name))
            @if *name == "participation_and_scores_by_year" { (chart("scores_by_year")) }
            (table_markup(t, &ctx))
        } } }
    };
    let title = format!(
        "{} {year}",
        lang.pick(
            "Évaluation du programme #RESET",
            "#RESET programme evaluation"
        )
    );
    let sections: [Section<'_>; 6] = [
        ("participation", "1. Participation", lang.pick("Organisations vérifiées par l'équipe du programme et leurs répondant·es, par type, département et mois ; taux d'achèvement (réponses envoyées sur réponses commencées). C'est la seule partie où chaque réponse compte : ailleurs, l'unité est l'organisation.", "Organisations verified by the programme team and their respondents, by kind, département and month; completion rate (responses submitted out of responses started). This is the only part where each response counts: elsewhere, the unit is the organisation."), &["participation", "participation_by_year", "participation_and_scores_by_year", "participation_by_month", "participation_by_kind", "participation_by_departement"], &[]),
        ("qualites", lang.pick("2. Les 7 qualités", "2. The 7 qualities"), lang.pick("L'unité est l'organisation, comptée une fois : son résultat collectif, celui de son diagnostic d'au moins 3 personnes répondantes (la moyenne de ses diagnostics si elle en a plusieurs dans l'année). Distribution de ces scores pour chaque qualité (médiane, quartiles), et leur score moyen dans chaque case qualité × dimension, en tout et par type d'organisation.", "The unit is the organisation, counted once: its collective result, that of its diagnostic of 3 respondents or more (the mean of its diagnostics if it has several in the year). Distribution of these scores for each quality (median, quartiles), and their mean score in each quality × dimension cell, overall and by kind of organisation."), &["quality_distribution", "heatmap", "quality_distribution_by_kind", "heatmap_by_kind"], &[]),
        ("progres", lang.pick("3. Progrès", "3. Progress"), lang.pick("Organisations ayant répondu l'année précédente et cette année, chacune comptée une fois, avec au moins 3 personnes répondantes chaque année : évolution de leur score par qualité. Entre deux versions d'un questionnaire, seules les questions déclarées comparables (same_as) comptent ; elles sont listées.", "Organisations that answered last year and this year, each counted once, with 3 respondents or more each year: change of their score by quality. Across two versions of a questionnaire, only questions declared comparable (same_as) count; they are listed."), &["progress", "progress_by_kind", "comparable_questions"], &[]),
        ("coalitions", lang.pick("4. Tableau de bord des coalitions", "4. Coalitions scorecard"), lang.pick("Pour chaque coalition : ses indicateurs (référence, valeur N−1, valeur N, cible, % atteint, statut), ses actions, la diversité de ses membres et ses productions de l'année. Seules les mesures validées comptent.", "For each coalition: its indicators (baseline, value N−1, value N, target, % achieved, status), its actions, the diversity of its members and its productions of the year. Only validated measurements count."), &["coalitions", "coalition_indicators"], &[]),
        ("couverture", lang.pick("5. Couverture", "5. Coverage"), lang.pick("Combien d'objectifs, d'indicateurs et d'actions servent chaque qualité sur chaque dimension : une case à 0 est un manque.", "How many goals, indicators and actions serve each quality on each dimension: a cell at 0 is a gap."), &[], &["coverage_goals", "coverage_indicators", "coverage_actions"]),
        ("qualite-des-donnees", lang.pick("6. Qualité des données", "6. Data quality"), lang.pick("Mesures manquantes ou en attente de validation, diagnostics peu renseignés (moins de 50 % des questions notées).", "Missing or unvalidated measurements, diagnostics with low coverage (under 50 % of scored questions)."), &["measurement_gaps", "low_coverage_diagnostics", "coverage", "coverage_by_kind"], &[]),
    ];
    let findings_heading = lang.pick("Points clés", "Key findings");
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p { (lang.pick("Rapport d'évaluation annuel, pour l'Assemblée. Toutes les données sont dans le dossier data/ (CSV et Parquet), décrites dans data/README.md, sous licence CC BY 4.0.", "Yearly evaluation report, for the Assembly. All data is in the data/ folder (CSV and Parquet), described in data/README.md, under the CC BY 4.0 licence.")) }
                    @if frozen { p.notice { (lang.pick("Rapport publié : ses chiffres sont figés et les mesures de l'année sont verrouillées.", "Published report: its figures are frozen and the year's measurements are locked.")) } }
                    p.notice { (lang.pick("Tout groupe de moins de 5 organisations est masqué dans les agrégats.", "Any group of fewer than 5 organisations is suppressed in the aggregates.")) }
                    // The population: the figures drawn from diagnostics count verified
                    // organisations only (see `db::verified_diagnostic_listings`).
                    p.notice { (lang.pick("Les chiffres tirés des diagnostics (participation, qualités, progrès, taux de réponse) ne comptent que les organisations vérifiées par l'équipe du programme : une organisation que n'importe qui peut créer n'y entre qu'une fois vérifiée.", "Figures drawn from diagnostics (participation, qualities, progress, share answered) count only organisations verified by the programme team: an organisation anyone can create enters them only once verified.")) }
                    nav aria-label=(lang.pick("Sommaire", "Contents")) {
                        ol {
                            @if !findings.is_empty() { li { a href="#points-cles" { (findings_heading) } } }
                            @for (id, heading, _, _, _) in &sections { li { a href={ "#" (id) } { (heading) } } }
                        }
                    }
                }
                main {
                    @if !findings.is_empty() {
                        section aria-labelledby="points-cles" {
                            h2 id="points-cles" { (findings_heading) }
                            ul.findings {
                                @for f in &findings {
                                    li { (f.text) " " a href={ "#table-" (f.table) } { (lang.pick("Voir le tableau", "See the table")) span.visually-hidden { " « " (table_label(f.table, lang)) " »" } } }
                                }
                            }
                        }
                    }
                    @for (id, heading, intro, names, extra_charts) in &sections {
                        section aria-labelledby=(id) {
                            h2 id=(id) { (heading) }
                            p { (intro) }
                            @for name in extra_charts.iter() { (chart(name)) }
                            @if *id == "couverture" { (tables_of(&["qualities_dimensions_coverage"])) }
                            (tables_of(names))
                        }
                    }
                }
                footer {
                    p { (lang.pick("Produit par reset-eval. Licence CC BY 4.0 — programme #RESET.", "Produced by reset-eval. Licence CC BY 4.0 — #RESET programme.")) }
                    @if find(tables, "participation_by_departement").is_some() {
                        p { (lang.pick("Fond de carte : ", "Base map: ")) (crate::domain::territory::MAP_ATTRIBUTION) (lang.pick(" ; outre-mer dessiné par reset-eval.", "; overseas drawn by reset-eval.")) }
                    }
                }
            }
        }
    };
    let drawn = charts
        .into_iter()
        .filter_map(|c| c.svg.map(|svg| (c.name, svg)))
        .collect();
    (markup.into_string(), drawn)
}

/// `data/README.md`: every file and field, in both languages.
pub fn data_readme(year: i32, tables: &[Table]) -> String {
    let mut out = format!(
        "# Données du rapport d'évaluation #RESET {year} / #RESET evaluation report data {year}\n\n\
         Licence : CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.fr). \
         Attribution : « Programme #RESET, rapport d'évaluation {year} ».\n\n\
         Chaque table est fournie en CSV (UTF-8, séparateur virgule, point décimal) et en Parquet. \
         Tout groupe de moins de 5 organisations est masqué (valeurs vides, `suppressed` = true). \
         Each table is given as CSV (UTF-8, comma separator, decimal point) and Parquet. Any group \
         of fewer than 5 organisations is suppressed (empty values, `suppressed` = true).\n\n{}",
        crate::analytics::publish::rule_fr_en()
    );
    out.push_str(
        "\n## Unité / Unit\n\n\
         L'unité des distributions par qualité, des cases qualité × dimension et des progrès est \
         l'organisation, comptée une fois : son résultat collectif (le diagnostic d'au moins 3 \
         personnes répondantes, la moyenne de ses diagnostics si elle en a plusieurs dans \
         l'année). Seule la participation compte les réponses une à une. \
         The unit of the quality distributions, the quality × dimension cells and the progress \
         is the organisation, counted once: its collective result (its diagnostic of 3 \
         respondents or more, the mean of its diagnostics if it has several in the year). Only \
         participation counts responses one by one.\n",
    );
    let mut codes: Vec<String> = tables
        .iter()
        .flat_map(|t| strings(&t.frame, "departement"))
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    if !codes.is_empty() {
        out.push_str(
            "\n## Départements\n\n\
             Le champ `departement` porte le code officiel (Code officiel géographique, Insee). \
             Noms : liste officielle diffusée par Etalab (paquet `@etalab/decoupage-administratif`, \
             Licence Ouverte 2.0). \
             The `departement` field holds the official code (Insee); names from the official list \
             published by Etalab (Licence Ouverte 2.0).\n\n| code | nom / name |\n|---|---|\n",
        );
        for code in codes {
            let name = crate::domain::territory::departement_name(&code).unwrap_or("—");
            out.push_str(&format!("| {code} | {name} |\n"));
        }
    }
    if find(tables, "participation_by_departement").is_some() {
        out.push_str(&format!(
            "\n## Carte / Map\n\n\
             La carte de `charts/participation_by_departement.svg` dessine le tableau \
             `participation_by_departement`. Fond de carte / base map : {}. Les départements \
             d'outre-mer, absents de ce fond, sont des cases nommées. Overseas départements, \
             absent from that base map, are named boxes.\n",
            crate::domain::territory::MAP_ATTRIBUTION
        ));
    }
    for t in tables {
        out.push_str(&format!(
            "\n## `{0}.csv`, `{0}.parquet`\n\n{1} / {2} — {3} ligne(s) / row(s).\n\n| champ / field | description (fr) | description (en) |\n|---|---|---|\n",
            t.name,
            table_label(t.name, Lang::Fr),
            table_label(t.name, Lang::En),
            t.frame.height()
        ));
        for c in t.frame.columns() {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                c.name(),
                column_label(c.name(), Lang::Fr),
                column_label(c.name(), Lang::En)
            ));
        }
    }
    out
}

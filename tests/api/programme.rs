//! The programme overview: for staff only; every indicator with its progress and status
//! word, each coalition's actions and heterogeneity, and the gaps in the coverage of the 7
//! qualities × 3 dimensions.

use crate::helpers::{TestApp, spawn_app};
use reset_eval::db::{self, NewAction, NewBaseline, NewGoal, NewIndicator, NewRevision};
use reset_eval::domain::indicator::measurement::MeasurementStatus;

async fn indicator(app: &TestApp, coalition_id: &str, goal_id: &str, code: &str) -> String {
    let id = db::new_id();
    db::insert_indicator(
        &app.pool,
        &NewIndicator {
            id: &id,
            coalition_id,
            goal_id,
            code,
            name: &format!("Indicateur {code}"),
            definition: "Définition",
            level: "outcome",
            measure: "count",
            scale_levels: None,
            unit: "personnes",
            direction: "increase",
            tolerance: None,
            combination: "last_value",
            periodicity: "annuelle",
            verification: "Registre",
            owner_organisation_id: None,
            at: &db::now(),
        },
    )
    .await
    .expect("indicator");
    id
}

async fn measurement(app: &TestApp, indicator_id: &str, on: &str, value: f64, status: &str) {
    let id = db::new_id();
    let at = db::now();
    db::insert_measurement(&app.pool, &id, indicator_id, on, None, &at)
        .await
        .expect("measurement");
    db::append_revision(
        &app.pool,
        &NewRevision {
            measurement_id: &id,
            revision: 1,
            value: Some(value),
            numerator: None,
            denominator: None,
            narrative: None,
            evidence_url: "",
            comment: "",
            status: MeasurementStatus::from_code(status).expect("a measurement status"),
            recorded_by: None,
            recorded_at: &at,
        },
    )
    .await
    .expect("revision");
}

async fn action(app: &TestApp, coalition_id: &str, dimension: &str, status: &str) -> String {
    let id = db::new_id();
    db::insert_action(
        &app.pool,
        &NewAction {
            id: &id,
            coalition_id,
            title: "Action",
            description: "",
            dimension,
            owner_organisation_id: None,
            due_on: None,
            status,
            created_by: None,
            at: &db::now(),
        },
    )
    .await
    .expect("action");
    id
}

#[tokio::test]
async fn the_programme_overview_is_for_staff_only() {
    let app = spawn_app().await;
    let response = app.get("/programme").await;
    assert_eq!(response.status(), 303);
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(location.starts_with("/signin"), "{location}");

    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    assert_eq!(lead.get("/programme").await.0, 403);
    let (_, html) = lead.get("/organisations").await;
    assert!(!html.contains(r#"href="/programme""#));

    let staff = app.staff("equipe@exemple.fr").await;
    let (status, html) = staff.get("/programme").await;
    assert_eq!(status, 200);
    assert!(html.contains("Vue d'ensemble du programme"));
    assert!(
        html.contains(r#"href="/programme""#),
        "the navigation leads there"
    );
}

#[tokio::test]
async fn the_overview_shows_progress_status_actions_pending_measurements_and_coverage_gaps() {
    let app = spawn_app().await;
    let slug = "achat-public";
    // Its primary quality is frugal (see the helper).
    let coalition = app.coalition(slug).await;
    app.coalition_member(&coalition, "porteur", "porteur@exemple.fr")
        .await;
    let (_, organisation) = app
        .coalition_member(&app.coalition("ailleurs").await, "porteur", "b@exemple.fr")
        .await;
    // A second member of another actor type: collectivité and association, one each.
    db::insert_member(
        &app.pool,
        &db::NewMember {
            id: &db::new_id(),
            coalition_id: &coalition,
            organisation_id: &organisation,
            actor_type: "association",
            role: "contributeur",
            joined_on: "2025-02-01",
            created_at: &db::now(),
        },
    )
    .await
    .expect("member");

    let goal = db::new_id();
    db::insert_goal(
        &app.pool,
        &NewGoal {
            id: &goal,
            coalition_id: &coalition,
            statement: "Des achats publics sobres",
            horizon: "2024-12-31",
            qualities: "frugal",
            dimensions: "commande offre",
            at: &db::now(),
        },
    )
    .await
    .expect("goal");
    let measured = indicator(&app, &coalition, &goal, "ACH-1").await;
    let pending = indicator(&app, &coalition, &goal, "ACH-2").await;
    db::insert_baseline(
        &app.pool,
        &NewBaseline {
            id: &db::new_id(),
            indicator_id: &measured,
            value: Some(10.0),
            numerator: None,
            denominator: None,
            measured_on: "2020-12-31",
            source: "Enquête",
            reason: "",
            recorded_by: None,
            recorded_at: &db::now(),
        },
    )
    .await
    .expect("baseline");
    db::upsert_target(
        &app.pool,
        &db::new_id(),
        &measured,
        "2024-12-31",
        50.0,
        true,
        None,
        &db::now(),
    )
    .await
    .expect("target");
    measurement(&app, &measured, "2022-12-31", 30.0, "validated").await;
    // Submitted, not validated: awaiting staff, and never counted.
    measurement(&app, &measured, "2023-12-31", 45.0, "submitted").await;
    measurement(&app, &pending, "2023-12-31", 5.0, "submitted").await;

    // Actions: two to do, one in progress, one done.
    let on_goal = action(&app, &coalition, "usages", "fait").await;
    db::link_action_goal(&app.pool, &on_goal, &goal)
        .await
        .expect("link");
    let on_indicator = action(&app, &coalition, "offre", "a_faire").await;
    db::link_action_indicator(&app.pool, &on_indicator, &measured)
        .await
        .expect("link");
    action(&app, &coalition, "commande", "en_cours").await;
    let other = action(&app, &coalition, "usages", "a_faire").await;
    db::link_action_goal(&app.pool, &other, &goal)
        .await
        .expect("link");

    let staff = app.staff("equipe@exemple.fr").await;
    let (status, html) = staff.get("/programme").await;
    assert_eq!(status, 200);

    // The indicators are on one page a coalition family (issue 14: /programme was 51 KB),
    // linked from the overview with their count.
    assert!(html.contains(r#"<a href="/programme/indicators/environnement">"#));
    assert!(html.contains("(2 indicateurs)") && html.contains("(0 indicateur)"));
    let overview = html;
    let (status, html) = staff.get("/programme/indicators/environnement").await;
    assert_eq!(status, 200);
    // (30 − 10) / (50 − 10) = 50 %; on 2022-12-31, 730 of 1461 days have passed (49.97 %):
    // on track. The submitted 45 is not counted.
    assert!(html.contains(&format!(
        r#"href="/coalitions/{slug}/indicators/{measured}""#
    )));
    assert!(html.contains("ACH-1 — Indicateur ACH-1"));
    assert!(html.contains("10 personnes") && html.contains("30 personnes"));
    assert!(html.contains("au 31 décembre 2022") && html.contains("50 personnes"));
    assert!(html.contains(r#"50 % · <span class="status status-on_track">En bonne voie</span>"#));
    assert!(
        html.contains("Pas encore de valeur de référence"),
        "ACH-2 has no baseline"
    );

    // The other coalition has no indicator, and says so.
    assert!(html.contains("Aucun indicateur pour l'instant."));
    let html = overview;

    // The coalition's line: 2 actor types of 5, index ln 2 / ln 5 = 0.4307; actions 2 to
    // do, 1 in progress, 1 done; 2 measurements awaiting validation, linked to the queue.
    assert!(html.contains("2 types d'acteurs sur 5 · indice 0,43"));
    assert!(html.contains(
        r#"<td class="number">2</td><td class="number">1</td><td class="number">1</td><td class="number"><a href="/programme/validation"><strong>2</strong></a></td>"#
    ), "{html}");

    // Coverage. Goals: frugal × commande and frugal × offre, 19 gaps. Indicators: both
    // under that goal, the same 19 gaps. Actions: frugal × usages (two, through the goal),
    // frugal × offre (through the indicator), frugal × commande (linked to nothing: the
    // coalition's primary quality), 18 gaps.
    assert!(html.contains("Objectifs d'impact : 19 cases sur 21 sans rien"));
    assert!(html.contains("Indicateurs : 19 cases sur 21 sans rien"));
    assert!(html.contains("Actions : 18 cases sur 21 sans rien"));
    assert_eq!(
        html.matches(r#"<td class="number coverage-gap">aucun</td>"#)
            .count(),
        19 + 19 + 18
    );
    let actions_gaps = html
        .split("Actions : 18 cases")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .expect("the sentence");
    assert!(actions_gaps.contains("Inclusif × La commande"));
    assert!(!actions_gaps.contains("Frugal × Les usages"));

    let (_, english) = staff.get("/programme?lang=en").await;
    let (_, english_indicators) = staff
        .get("/programme/indicators/environnement?lang=en")
        .await;
    assert!(english_indicators.contains(r#"<span class="status status-on_track">On track</span>"#));
    assert!(english.contains("Actions: 18 cells out of 21 with nothing"));
    assert!(english.contains(r#"<td class="number coverage-gap">none</td>"#));
}

#[tokio::test]
async fn the_overview_agrees_its_units_and_counts_and_groups_thousands() {
    let app = spawn_app().await;
    let coalition = app.coalition("achat-public").await;
    let goal = db::new_id();
    db::insert_goal(
        &app.pool,
        &NewGoal {
            id: &goal,
            coalition_id: &coalition,
            statement: "Des achats publics sobres",
            horizon: "2027-12-31",
            qualities: "frugal",
            dimensions: "commande",
            at: &db::now(),
        },
    )
    .await
    .expect("goal");
    let one = indicator(&app, &coalition, &goal, "ACH-1").await;
    let many = indicator(&app, &coalition, &goal, "ACH-2").await;
    measurement(&app, &one, "2024-12-31", 1.0, "validated").await;
    measurement(&app, &many, "2024-12-31", 11_900.0, "validated").await;
    let staff = app.staff("equipe@exemple.fr").await;
    let (_, html) = staff.get("/programme/indicators/environnement").await;
    // « personnes » is the helper's unit: one person, and thousands grouped by a narrow
    // no-break space.
    assert!(html.contains("1 personne<"), "{html}");
    assert!(!html.contains("1 personnes"));
    assert!(html.contains("11\u{202f}900 personnes"));
    let (_, english) = staff
        .get("/programme/indicators/environnement?lang=en")
        .await;
    assert!(
        english.contains("1 personne<br>"),
        "the unit agrees as typed"
    );
    assert!(english.contains("11,900 personnes"));
    let (_, overview) = staff.get("/programme?lang=fr").await;
    assert!(overview.contains("0 type d'acteurs sur 5"));
    assert!(overview.contains("(2 indicateurs)"));
    // An unknown family is ours to say not found.
    assert_eq!(staff.get("/programme/indicators/ailleurs").await.0, 404);
}

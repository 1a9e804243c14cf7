//! Impact goals, indicators and measurements over HTTP: who records what, the rules a form
//! applies, the appended revisions and the validation by programme staff.

use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::db;
use reset_eval::domain::indicator::standing;

const SLUG: &str = "essai";

struct Tracking {
    app: TestApp,
    coalition_id: String,
    porteur: Visitor,
    staff: Visitor,
}

async fn tracking() -> Tracking {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let (porteur, _) = app
        .coalition_member(&coalition_id, "porteur", "porteur@example.org")
        .await;
    let staff = app.staff("equipe@example.org").await;
    Tracking {
        app,
        coalition_id,
        porteur,
        staff,
    }
}

/// Creates a goal through its form and returns its id.
async fn goal(t: &Tracking) -> String {
    let (status, location, body) = t
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[
                (
                    "statement",
                    "Les acheteurs publics intègrent des critères communs.",
                ),
                ("horizon", "2027-12-31"),
                ("qualities", "frugal"),
                ("qualities", "equitable"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/coalitions/{SLUG}#objectifs"));
    let goals = db::goals(&t.app.pool, &t.coalition_id)
        .await
        .expect("goals");
    goals.last().expect("a goal").id.clone()
}

/// Creates an indicator through its form and returns its id.
async fn indicator(t: &Tracking, goal_id: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![
        ("code", "apr-1"),
        ("name", "Marchés avec critères"),
        (
            "definition",
            "Marchés notifiés comportant les critères communs.",
        ),
        ("level", "outcome"),
        ("measure", "count"),
        ("unit", "marchés"),
        ("direction", "increase"),
        ("combination", "last_value"),
        ("periodicity", "annuelle"),
        ("verification", "Registre des marchés"),
    ];
    for (k, v) in fields {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    let (status, location, body) = t
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal_id}/indicators"),
            &form,
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location
        .rsplit('/')
        .next()
        .expect("indicator id in the location")
        .to_owned()
}

async fn baseline_and_target(t: &Tracking, indicator_id: &str, baseline: &str, target: &str) {
    let base = format!("/coalitions/{SLUG}/indicators/{indicator_id}");
    let (status, _, body) = t
        .porteur
        .post_from(
            &format!("{base}/baseline"),
            &format!("{base}/baseline"),
            &[
                ("value", baseline),
                ("measured_on", "2020-12-31"),
                ("source", "Registre 2020"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = t
        .porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[
                ("due_on", "2024-12-31"),
                ("target_value", target),
                ("is_final", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
}

/// Records a measurement and returns its id.
async fn measurement(
    by: &Visitor,
    indicator_id: &str,
    fields: &[(&str, &str)],
) -> (reqwest::StatusCode, String, String) {
    by.post(
        &format!("/coalitions/{SLUG}/indicators/{indicator_id}/measurements"),
        fields,
    )
    .await
}

fn measurement_id(location: &str) -> String {
    location.rsplit('/').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_validated_measurement_shows_its_progress_and_status_on_the_coalition_page() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(&t, &goal_id, &[]).await;
    baseline_and_target(&t, &indicator_id, "10", "50").await;
    let (contributor, _) = t
        .app
        .coalition_member(&t.coalition_id, "contributeur", "contrib@example.org")
        .await;
    let (status, location, body) = measurement(
        &contributor,
        &indicator_id,
        &[
            ("measured_on", "2022-12-31"),
            ("value", "30"),
            ("evidence_url", "https://example.org/preuve"),
            ("intent", "submitted"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let measurement_id = measurement_id(&location);

    // Submitted, not validated: it does not count yet, and the public does not see it.
    let (_, page) = t.app.get_html(&format!("/coalitions/{SLUG}")).await;
    assert!(page.contains("Pas encore de mesure validée"), "{page}");
    assert_eq!(
        t.app
            .get_html(&format!("/coalitions/{SLUG}/measurements/{measurement_id}"))
            .await
            .0,
        404
    );
    // The contributor cannot validate it; the staff can.
    let path = format!("/coalitions/{SLUG}/measurements/{measurement_id}/status");
    let (status, _, _) = contributor
        .post(&path, &[("to", "validated"), ("revision", "1")])
        .await;
    assert_eq!(status, 403);
    let (status, _, body) = t
        .staff
        .post(&path, &[("to", "validated"), ("revision", "1")])
        .await;
    assert_eq!(status, 303, "{body}");

    // (30 − 10) / (50 − 10) = 50 %; on 2022-12-31, 730 of 1461 days from 2020-12-31 to
    // 2024-12-31 have passed: 49.97 % expected, so on track.
    let (_, page) = t.app.get_html(&format!("/coalitions/{SLUG}")).await;
    assert!(page.contains("50 % · "), "{page}");
    assert!(page.contains("En bonne voie"));
    let (_, english) = t.app.get_html(&format!("/coalitions/{SLUG}?lang=en")).await;
    assert!(english.contains("On track"));
    // The history keeps both states, with who made them.
    let (_, history) = t
        .staff
        .get(&format!("/coalitions/{SLUG}/measurements/{measurement_id}"))
        .await;
    assert!(history.contains("Soumise") && history.contains("Validée"));
    assert!(history.contains("Équipe du programme"));
    // The indicator page draws the trajectory with its table.
    let (status, page) = t
        .app
        .get_html(&format!("/coalitions/{SLUG}/indicators/{indicator_id}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<svg") && page.contains("Cible finale") && page.contains("Valeur réalisée")
    );
}

#[tokio::test]
async fn a_percentage_is_pooled_from_its_counts_not_averaged() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(
        &t,
        &goal_id,
        &[
            ("measure", "percentage"),
            ("combination", "mean"),
            ("unit", ""),
        ],
    )
    .await;
    let base = format!("/coalitions/{SLUG}/indicators/{indicator_id}");
    let (status, _, body) = t
        .porteur
        .post_from(
            &format!("{base}/baseline"),
            &format!("{base}/baseline"),
            &[
                ("numerator", "1"),
                ("denominator", "10"),
                ("measured_on", "2020-12-31"),
                ("source", "Enquête"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    t.porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[
                ("due_on", "2024-12-31"),
                ("target_value", "50"),
                ("is_final", "1"),
            ],
        )
        .await;
    for (on, n, d) in [("2021-12-31", "10", "40"), ("2022-12-31", "30", "60")] {
        let (status, location, body) = measurement(
            &t.porteur,
            &indicator_id,
            &[("measured_on", on), ("numerator", n), ("denominator", d)],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let id = measurement_id(&location);
        t.staff
            .post(
                &format!("/coalitions/{SLUG}/measurements/{id}/status"),
                &[("to", "validated"), ("revision", "1")],
            )
            .await;
    }
    // 40 out of 100 is 40 % (not 37.5 %, the mean of 25 % and 50 %):
    // (40 − 10) / (50 − 10) = 75 %.
    let (_, page) = t.app.get_html(&format!("/coalitions/{SLUG}")).await;
    assert!(page.contains("75 % · "), "{page}");
    assert!(
        page.contains("<td>40 <small>(31 décembre 2022)</small>"),
        "{page}"
    );
}

#[tokio::test]
async fn rejected_figures_come_back_with_what_was_typed_and_why() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(&t, &goal_id, &[("direction", "decrease")]).await;
    let base = format!("/coalitions/{SLUG}/indicators/{indicator_id}");
    // A target before a baseline exists.
    let (status, _, body) = t
        .porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[("due_on", "2024-12-31"), ("target_value", "5")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Enregistrez d'abord la valeur de référence"));
    baseline_and_target(&t, &indicator_id, "40", "20").await;
    // A target equal to the baseline, then one against the direction.
    let (status, _, body) = t
        .porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[("due_on", "2025-12-31"), ("target_value", "40")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("La cible est égale à la valeur de référence"),
        "{body}"
    );
    assert!(body.contains(r#"value="2025-12-31""#));
    let (status, _, body) = t
        .porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[("due_on", "2025-12-31"), ("target_value", "45")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("alors que l'indicateur doit diminuer"));
    // A measurement of the wrong kind, in the future, and in a locked year.
    let (status, _, body) = measurement(
        &t.porteur,
        &indicator_id,
        &[
            ("measured_on", "2099-12-31"),
            ("value", "douze"),
            ("comment", "mon commentaire"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("est dans le futur"));
    assert!(body.contains("saisissez un nombre"));
    assert!(body.contains("mon commentaire"), "the comment comes back");
    db::lock_year(&t.app.pool, 2023, &db::now(), None)
        .await
        .expect("lock");
    let (status, _, body) = measurement(
        &t.porteur,
        &indicator_id,
        &[("measured_on", "2023-06-30"), ("value", "30")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("L'année 2023 est clôturée"));
    // A changed baseline needs a reason; both stay in the history.
    let (status, _, body) = t
        .porteur
        .post_from(
            &format!("{base}/baseline"),
            &format!("{base}/baseline"),
            &[
                ("value", "42"),
                ("measured_on", "2021-01-31"),
                ("source", "Recensement"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Indiquez la raison du changement de référence"));
    let (status, _, body) = t
        .porteur
        .post_from(
            &format!("{base}/baseline"),
            &format!("{base}/baseline"),
            &[
                ("value", "42"),
                ("measured_on", "2021-01-31"),
                ("source", "Recensement"),
                ("reason", "Le registre 2020 était incomplet."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = t.app.get_html(&base).await;
    assert!(page.contains("Registre 2020") && page.contains("Le registre 2020 était incomplet."));
    // Nothing rejected was stored.
    let revisions = db::revisions_of_coalition(&t.app.pool, &t.coalition_id)
        .await
        .expect("rows");
    assert!(revisions.is_empty());
}

#[tokio::test]
async fn a_percentage_with_a_zero_denominator_is_refused_in_english_too() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(&t, &goal_id, &[("measure", "percentage")]).await;
    let (status, _, body) = measurement(
        &t.porteur,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("numerator", "3"),
            ("denominator", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Le dénominateur doit être strictement positif"));
    t.porteur.get("/?lang=en").await;
    let (status, _, body) = measurement(
        &t.porteur,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("numerator", "3"),
            ("denominator", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("The denominator must be greater than zero"),
        "{body}"
    );
}

#[tokio::test]
async fn a_correction_appends_a_revision_and_nothing_is_overwritten() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(&t, &goal_id, &[]).await;
    let (_, location, _) = measurement(
        &t.porteur,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("value", "12"),
            ("intent", "draft"),
        ],
    )
    .await;
    let id = measurement_id(&location);
    let path = format!("/coalitions/{SLUG}/measurements/{id}");
    let (status, _, body) = t
        .porteur
        .post(
            &format!("{path}/revise"),
            &[
                ("value", "14"),
                ("comment", "Deux marchés oubliés"),
                ("intent", "submitted"),
                ("revision", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // Staff send it back, which needs a comment, then validate the next version.
    let (status, _, body) = t
        .staff
        .post(
            &format!("{path}/status"),
            &[("to", "draft"), ("revision", "2")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("dites dans le commentaire ce qui manque"));
    let (status, _, _) = t
        .staff
        .post(
            &format!("{path}/status"),
            &[
                ("to", "draft"),
                ("comment", "Ajoutez la preuve."),
                ("revision", "2"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    t.porteur
        .post(
            &format!("{path}/revise"),
            &[
                ("value", "14"),
                ("evidence_url", "https://example.org/registre"),
                ("revision", "3"),
            ],
        )
        .await;
    t.staff
        .post(
            &format!("{path}/status"),
            &[("to", "validated"), ("revision", "4")],
        )
        .await;
    let revisions = db::revisions_of_measurement(&t.app.pool, &t.coalition_id, &id)
        .await
        .expect("rows");
    let trail: Vec<(i32, Option<f64>, &str)> = revisions
        .iter()
        .map(|r| {
            let value = r.value.as_ref().and_then(standing::number);
            (r.revision, value, r.status.code())
        })
        .collect();
    assert_eq!(
        trail,
        vec![
            (1, Some(12.0), "draft"),
            (2, Some(14.0), "submitted"),
            (3, Some(14.0), "draft"),
            (4, Some(14.0), "submitted"),
            (5, Some(14.0), "validated"),
        ]
    );
    // Once validated, the porteur can no longer change it; a locked year freezes it for all.
    let (status, _, _) = t
        .porteur
        .post(
            &format!("{path}/revise"),
            &[("value", "99"), ("revision", "5")],
        )
        .await;
    assert_eq!(status, 403);
    db::lock_year(&t.app.pool, 2024, &db::now(), None)
        .await
        .expect("lock");
    let (status, _, body) = t
        .staff
        .post(
            &format!("{path}/status"),
            &[("to", "draft"), ("comment", "Erreur"), ("revision", "5")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("clôturée"));
    let after = db::revisions_of_measurement(&t.app.pool, &t.coalition_id, &id)
        .await
        .expect("rows");
    assert_eq!(after.len(), 5);
}

#[tokio::test]
async fn only_managers_record_goals_and_only_members_who_contribute_record_measurements() {
    let t = tracking().await;
    let goal_id = goal(&t).await;
    let indicator_id = indicator(&t, &goal_id, &[]).await;
    let (informed, _) = t
        .app
        .coalition_member(&t.coalition_id, "informe", "informe@example.org")
        .await;
    let (contributor, _) = t
        .app
        .coalition_member(&t.coalition_id, "contributeur", "contrib@example.org")
        .await;
    let outsider = t.app.visitor();
    outsider.sign_up("Autre", "autre@example.org").await;
    let goal_form: &[(&str, &str)] = &[
        ("statement", "Un objectif"),
        ("horizon", "2027-12-31"),
        ("qualities", "frugal"),
        ("dimensions", "offre"),
    ];
    let base = format!("/coalitions/{SLUG}/indicators/{indicator_id}");
    for who in [&informed, &contributor, &outsider] {
        for path in [
            format!("/coalitions/{SLUG}/goals/new"),
            format!("/coalitions/{SLUG}/goals/{goal_id}/edit"),
            format!("/coalitions/{SLUG}/goals/{goal_id}/indicators/new"),
        ] {
            assert_eq!(who.get(&path).await.0, 403, "{path}");
        }
        assert_eq!(
            who.post(&format!("/coalitions/{SLUG}/goals"), goal_form)
                .await
                .0,
            403
        );
        assert_eq!(
            who.post(
                &format!("{base}/baseline"),
                &[
                    ("value", "1"),
                    ("measured_on", "2020-12-31"),
                    ("source", "x")
                ]
            )
            .await
            .0,
            403
        );
        assert_eq!(
            who.post(
                &format!("{base}/targets"),
                &[("due_on", "2024-12-31"), ("target_value", "9")]
            )
            .await
            .0,
            403
        );
    }
    for who in [&informed, &outsider] {
        assert_eq!(
            measurement(
                who,
                &indicator_id,
                &[("measured_on", "2024-12-31"), ("value", "3")]
            )
            .await
            .0,
            403
        );
    }
    // A visitor who is not signed in is sent to sign in, and an unknown coalition is 404.
    let anonymous = t.app.visitor();
    let (status, location, _) = anonymous
        .post(&format!("/coalitions/{SLUG}/goals"), goal_form)
        .await;
    assert!(
        status == 303 && location.starts_with("/signin"),
        "{status} {location}"
    );
    assert_eq!(t.porteur.get("/coalitions/inconnue/goals/new").await.0, 404);
    // Nothing changed: one goal, no baseline, no measurement.
    assert_eq!(
        db::goals(&t.app.pool, &t.coalition_id)
            .await
            .expect("rows")
            .len(),
        1
    );
    assert!(
        db::baselines_of_coalition(&t.app.pool, &t.coalition_id)
            .await
            .expect("rows")
            .is_empty()
    );
    assert!(
        db::revisions_of_coalition(&t.app.pool, &t.coalition_id)
            .await
            .expect("rows")
            .is_empty()
    );
    // The contributor records a draft; the informed member reads it, the public does not.
    let (status, location, _) = measurement(
        &contributor,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("value", "3"),
            ("intent", "draft"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let path = format!(
        "/coalitions/{SLUG}/measurements/{}",
        measurement_id(&location)
    );
    assert_eq!(informed.get(&path).await.0, 200);
    assert_eq!(t.app.get_html(&path).await.0, 404);
    assert_eq!(
        informed
            .post(
                &format!("{path}/status"),
                &[("to", "submitted"), ("revision", "1")]
            )
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn goal_and_indicator_forms_say_what_is_missing_beside_each_field() {
    let t = tracking().await;
    let (status, _, body) = t
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[("statement", "Objectif tapé"), ("horizon", "2027-02-30")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Objectif tapé"), "the statement comes back");
    assert!(body.contains("Cette date n'existe pas"));
    assert!(body.contains("Cochez au moins une des 7 qualités"));
    assert!(
        body.contains(r##"href="#dimensions""##),
        "the summary links to the field"
    );
    let goal_id = goal(&t).await;
    indicator(&t, &goal_id, &[]).await;
    let (status, _, body) = t
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal_id}/indicators"),
            &[
                ("code", "APR-1"),
                ("name", "Doublon"),
                ("definition", "d"),
                ("level", "output"),
                ("measure", "ordinal"),
                ("scale_levels", "5"),
                ("direction", "increase"),
                ("combination", "cumulative_sum"),
                ("periodicity", "annuelle"),
                ("verification", "v"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Additionner les niveaux d'une échelle n'a pas de sens"));
    assert!(body.contains(r#"value="Doublon""#));
    let (status, _, body) = t
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal_id}/indicators"),
            &[
                ("code", "APR-1"),
                ("name", "Doublon"),
                ("definition", "d"),
                ("level", "output"),
                ("measure", "count"),
                ("direction", "increase"),
                ("combination", "last_value"),
                ("periodicity", "annuelle"),
                ("verification", "v"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Ce code est déjà celui d'un autre indicateur"));
}

//! A coalition's actions: the board by status and the filtered list for everyone, the forms
//! of its managers, and what is refused to the others (and changes nothing).

use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::db::{self, NewAction, NewGoal, NewIndicator};

/// A goal and an indicator under it; returns their ids.
async fn goal_and_indicator(app: &TestApp, coalition_id: &str, code: &str) -> (String, String) {
    let goal = db::new_id();
    let at = db::now();
    db::insert_goal(
        &app.pool,
        &NewGoal {
            id: &goal,
            coalition_id,
            statement: "Que les achats publics deviennent responsables",
            horizon: "2027-12-31",
            qualities: "frugal",
            dimensions: "commande",
            at: &at,
        },
    )
    .await
    .expect("goal");
    let indicator = db::new_id();
    db::insert_indicator(
        &app.pool,
        &NewIndicator {
            id: &indicator,
            coalition_id,
            goal_id: &goal,
            code,
            name: "Acheteurs formés",
            definition: "Nombre d'acheteurs publics formés",
            level: "output",
            measure: "count",
            scale_levels: None,
            unit: "personnes",
            direction: "increase",
            tolerance: None,
            combination: "cumulative_sum",
            periodicity: "annuelle",
            verification: "Feuilles d'émargement",
            owner_organisation_id: None,
            at: &at,
        },
    )
    .await
    .expect("indicator");
    (goal, indicator)
}

async fn add_action(
    app: &TestApp,
    coalition_id: &str,
    title: &str,
    dimension: &str,
    owner: Option<&str>,
    status: &str,
) -> String {
    let id = db::new_id();
    let inserted = db::insert_action(
        &app.pool,
        &NewAction {
            id: &id,
            coalition_id,
            title,
            description: "",
            dimension,
            owner_organisation_id: owner,
            due_on: None,
            status,
            created_by: None,
            at: &db::now(),
        },
    )
    .await
    .expect("action");
    assert!(inserted);
    id
}

/// The part of the board page that is one status column.
fn column<'a>(html: &'a str, status: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="colonne-{status}""#))
        .expect("the column");
    let rest = &html[start..];
    let end = rest.find("</section>").expect("the column ends");
    &rest[..end]
}

fn actions_path(slug: &str) -> String {
    format!("/coalitions/{slug}/actions")
}

async fn action_rows(app: &TestApp, coalition_id: &str) -> Vec<db::Action> {
    db::actions(&app.pool, coalition_id).await.expect("actions")
}

#[tokio::test]
async fn a_porteur_adds_edits_and_moves_actions_and_the_board_shows_each_in_its_column() {
    let app = spawn_app().await;
    let slug = "achats-responsables";
    let coalition = app.coalition(slug).await;
    let (porteur, organisation) = app
        .coalition_member(&coalition, "porteur", "porteur@exemple.fr")
        .await;
    let (goal, indicator) = goal_and_indicator(&app, &coalition, "ACH-1").await;

    let (status, html) = porteur.get(&actions_path(slug)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ajouter une action"));
    assert!(html.contains("0 action."));

    let (status, location, body) = porteur
        .post(
            &actions_path(slug),
            &[
                ("title", "Former les acheteurs"),
                ("description", "Deux sessions par an"),
                ("dimension", "commande"),
                ("owner", &organisation),
                ("due_on", "2020-01-31"),
                ("status", "a_faire"),
                ("goals", &goal),
                ("indicators", &indicator),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with(&format!("{}#action-", actions_path(slug))));
    let (status, _, body) = porteur
        .post(
            &actions_path(slug),
            &[
                ("title", "Publier le guide"),
                ("description", ""),
                ("dimension", "offre"),
                ("owner", ""),
                ("due_on", ""),
                ("status", "en_cours"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    let rows = action_rows(&app, &coalition).await;
    assert_eq!(rows.len(), 2);
    let training = rows
        .iter()
        .find(|a| a.title == "Former les acheteurs")
        .expect("saved");
    assert_eq!(
        training.owner_organisation_id.as_deref(),
        Some(organisation.as_str())
    );
    assert_eq!(training.due_on.as_deref(), Some("2020-01-31"));
    let guide = rows
        .iter()
        .find(|a| a.title == "Publier le guide")
        .expect("saved");

    // Each action in its column; the training, past its due date and not done, is overdue.
    let (_, html) = porteur.get(&actions_path(slug)).await;
    let to_do = column(&html, "a_faire");
    assert!(to_do.contains("Former les acheteurs") && !to_do.contains("Publier le guide"));
    assert!(to_do.contains("En retard"));
    assert!(to_do.contains("31 janvier 2020") && to_do.contains("La commande"));
    assert!(to_do.contains("Commune de porteur@exemple.fr"));
    assert!(to_do.contains("ACH-1") && to_do.contains("Que les achats publics"));
    assert!(column(&html, "en_cours").contains("Publier le guide"));
    assert!(!column(&html, "fait").contains("<li"));

    // Moved to « fait »: in the last column, no longer overdue.
    let (status, _, body) = porteur
        .post(
            &format!("{}/{}/status", actions_path(slug), training.id),
            &[("status", "fait")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = porteur.get(&actions_path(slug)).await;
    let done = column(&html, "fait");
    assert!(done.contains("Former les acheteurs") && !done.contains("En retard"));
    assert!(!column(&html, "a_faire").contains("Former les acheteurs"));

    // Edited: its form comes filled in, and the change is saved with its new links.
    let edit = format!("{}/{}/edit", actions_path(slug), guide.id);
    let (status, html) = porteur.get(&edit).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"value="Publier le guide""#));
    assert!(html.contains(r#"value="en_cours" checked"#));
    let (status, _, body) = porteur
        .post(
            &edit,
            &[
                ("title", "Publier le guide d'achat"),
                ("description", "Avec la centrale d'achat"),
                ("dimension", "usages"),
                ("owner", &organisation),
                ("due_on", "2027-06-30"),
                ("status", "en_cours"),
                ("indicators", &indicator),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let edited = db::action(&app.pool, &coalition, &guide.id)
        .await
        .expect("query")
        .expect("still there");
    assert_eq!(edited.title, "Publier le guide d'achat");
    assert_eq!(edited.dimension.code(), "usages");
    assert_eq!(edited.due_on.as_deref(), Some("2027-06-30"));
    let links = db::action_indicators_of_coalition(&app.pool, &coalition)
        .await
        .expect("links");
    assert_eq!(links.iter().filter(|l| l.action_id == guide.id).count(), 1);
    let (_, html) = porteur.get(&actions_path(slug)).await;
    assert!(column(&html, "en_cours").contains("Publier le guide d'achat"));

    // The coalition page sums them up and leads to the board.
    let (_, html) = app.get_html(&format!("/coalitions/{slug}")).await;
    assert!(html.contains("Les actions"));
    assert!(html.contains("En cours : <strong>1</strong>"));
    assert!(html.contains("Fait : <strong>1</strong>"));
    assert!(html.contains(&format!(r#"href="{}""#, actions_path(slug))));
}

#[tokio::test]
async fn the_board_and_the_list_filter_by_lever_and_owner() {
    let app = spawn_app().await;
    let slug = "reemploi";
    let coalition = app.coalition(slug).await;
    let (_, first) = app
        .coalition_member(&coalition, "porteur", "a@exemple.fr")
        .await;
    let (_, second) = app
        .coalition_member(&coalition, "contributeur", "b@exemple.fr")
        .await;
    add_action(
        &app,
        &coalition,
        "Clause de réemploi",
        "commande",
        Some(&first),
        "a_faire",
    )
    .await;
    add_action(
        &app,
        &coalition,
        "Atelier de réparation",
        "offre",
        Some(&first),
        "en_cours",
    )
    .await;
    add_action(
        &app,
        &coalition,
        "Plateforme de dons",
        "offre",
        Some(&second),
        "fait",
    )
    .await;

    let (status, html) = app.get_html(&actions_path(slug)).await;
    assert_eq!(status, 200);
    assert!(html.contains("3 actions."));
    assert!(html.contains(r#"<label for="filter-dimension">Levier</label>"#));
    assert!(html.contains(r#"<button type="submit">Filtrer</button>"#));
    // Anyone reads; only managers get the forms.
    assert!(!html.contains("Ajouter une action") && !html.contains("Déplacer"));

    let (_, html) = app
        .get_html(&format!("{}?dimension=offre", actions_path(slug)))
        .await;
    assert!(html.contains("2 actions sur 3 correspondent au filtre."));
    assert!(html.contains("Atelier de réparation") && html.contains("Plateforme de dons"));
    assert!(!html.contains("Clause de réemploi"));
    assert!(html.contains(r#"<option value="offre" selected>"#));

    let (_, html) = app
        .get_html(&format!(
            "{}?dimension=offre&owner={second}",
            actions_path(slug)
        ))
        .await;
    assert!(html.contains("1 action sur 3 correspondent au filtre."));
    assert!(html.contains("Plateforme de dons"));
    assert!(!html.contains("Atelier de réparation") && !html.contains("Clause de réemploi"));
    assert!(column(&html, "fait").contains("Plateforme de dons"));

    let (_, html) = app
        .get_html(&format!(
            "{}?dimension=&owner={first}&lang=en",
            actions_path(slug)
        ))
        .await;
    assert!(html.contains("2 actions of 3 match the filter."));
    assert!(html.contains("Clause de réemploi") && !html.contains("Plateforme de dons"));
}

/// Every action request a manager may make, as `(GET path or None, POST path, fields)`.
async fn refused_everywhere(
    app: &TestApp,
    visitor: &Visitor,
    slug: &str,
    coalition: &str,
    action: &str,
    expected: u16,
) {
    let edit = format!("{}/{action}/edit", actions_path(slug));
    assert_eq!(visitor.get(&edit).await.0, expected, "GET {edit}");
    let fields = [
        ("title", "Action pirate"),
        ("dimension", "offre"),
        ("status", "fait"),
    ];
    for path in [
        actions_path(slug),
        edit.clone(),
        format!("{}/{action}/status", actions_path(slug)),
    ] {
        let (status, _, _) = visitor.post(&path, &fields).await;
        assert_eq!(status, expected, "POST {path}");
    }
    let rows = action_rows(app, coalition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "Action d'origine");
    assert_eq!(rows[0].status.code(), "a_faire");
}

#[tokio::test]
async fn contributors_informed_members_and_other_leads_cannot_change_actions() {
    let app = spawn_app().await;
    let slug = "sobriete";
    let coalition = app.coalition(slug).await;
    let action = add_action(
        &app,
        &coalition,
        "Action d'origine",
        "commande",
        None,
        "a_faire",
    )
    .await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let (informed, _) = app
        .coalition_member(&coalition, "informe", "informe@exemple.fr")
        .await;
    let outsider = app.visitor();
    outsider.sign_up("Autre", "autre@exemple.fr").await;
    outsider.register_commune("Commune hors coalition").await;

    for visitor in [&contributor, &informed, &outsider] {
        let (status, html) = visitor.get(&actions_path(slug)).await;
        assert_eq!(status, 200);
        assert!(!html.contains("Ajouter une action") && !html.contains("Déplacer vers"));
        refused_everywhere(&app, visitor, slug, &coalition, &action, 403).await;
    }

    // Someone signed out is sent to sign in, and nothing changes either.
    let anonymous = app.visitor();
    let (status, location, _) = anonymous
        .post(
            &actions_path(slug),
            &[
                ("title", "Action pirate"),
                ("dimension", "offre"),
                ("status", "fait"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/signin"), "{location}");
    let (status, _, _) = anonymous
        .post(
            &format!("{}/{action}/status", actions_path(slug)),
            &[("status", "fait")],
        )
        .await;
    assert_eq!(status, 303);
    let rows = action_rows(&app, &coalition).await;
    assert_eq!((rows.len(), rows[0].status.code()), (1, "a_faire"));

    // Staff manage every coalition; an unknown action is not found.
    let staff = app.staff("equipe@exemple.fr").await;
    assert_eq!(
        staff
            .get(&format!("{}/{action}/edit", actions_path(slug)))
            .await
            .0,
        200
    );
    assert_eq!(
        staff
            .get(&format!("{}/inconnue/edit", actions_path(slug)))
            .await
            .0,
        404
    );
    assert_eq!(staff.get("/coalitions/inconnue/actions").await.0, 404);
}

#[tokio::test]
async fn a_rejected_action_comes_back_with_what_was_typed_and_errors_beside_the_fields() {
    let app = spawn_app().await;
    let slug = "numerique-inclusif";
    let coalition = app.coalition(slug).await;
    let other = app.coalition("autre-coalition").await;
    let (porteur, _) = app
        .coalition_member(&coalition, "co-porteur", "co@exemple.fr")
        .await;
    // An organisation that is a member elsewhere only.
    let (_, stranger) = app
        .coalition_member(&other, "porteur", "ailleurs@exemple.fr")
        .await;
    let (goal, _) = goal_and_indicator(&app, &coalition, "INC-1").await;
    let (foreign_goal, foreign_indicator) = goal_and_indicator(&app, &other, "AUT-1").await;

    let (status, _, html) = porteur
        .post(
            &actions_path(slug),
            &[
                ("title", ""),
                ("description", "Mon texte à garder"),
                ("dimension", "partout"),
                ("owner", &stranger),
                ("due_on", "2026-02-30"),
                ("status", "a_faire"),
                ("goals", &goal),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le formulaire contient des erreurs"));
    assert!(html.contains(r#"id="title-error""#) && html.contains("Donnez un titre"));
    assert!(html.contains(r#"id="owner-error""#) && html.contains(r#"id="dimension-error""#));
    assert!(html.contains(r#"id="due_on-error""#) && html.contains(r#"value="2026-02-30""#));
    assert!(html.contains("Mon texte à garder"));
    assert!(html.contains(&format!(r#"name="goals" value="{goal}" checked"#)));
    assert!(html.contains(r#"name="status" value="a_faire" checked"#));

    // Goals and indicators of another coalition are refused, in English too.
    let (status, _, html) = porteur
        .post(
            &format!("{}?lang=en", actions_path(slug)),
            &[
                ("title", "Relier ailleurs"),
                ("dimension", "usages"),
                ("status", "a_faire"),
                ("goals", &foreign_goal),
                ("indicators", &foreign_indicator),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("The form has errors"));
    assert!(html.contains("Choose among the coalition's goals."));
    assert!(html.contains("Choose among the coalition's indicators."));
    assert!(html.contains(r#"value="Relier ailleurs""#));
    assert!(html.contains(r#"name="dimension" value="usages" checked"#));

    // An unknown status on a card is refused beside it.
    let action = add_action(
        &app,
        &coalition,
        "Action d'origine",
        "offre",
        None,
        "a_faire",
    )
    .await;
    let (status, _, html) = porteur
        .post(
            &format!("{}/{action}/status", actions_path(slug)),
            &[("status", "abandonne")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(&format!(r#"id="move-{action}-error""#)));

    let rows = action_rows(&app, &coalition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status.code(), "a_faire");
}

//! Creating, editing and staging a coalition, and managing its members: who may, what is
//! refused, and that a refusal changes nothing.

use crate::helpers::{TestApp, spawn_app};
use reset_eval::db;

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

async fn coalition(app: &TestApp, slug: &str) -> db::Coalition {
    db::coalition_by_slug(&app.pool, slug)
        .await
        .expect("query")
        .expect("coalition")
}

async fn members(app: &TestApp, coalition_id: &str) -> Vec<db::Member> {
    db::members(&app.pool, coalition_id).await.expect("members")
}

/// An organisation registered without a lead; returns its id.
async fn organisation(app: &TestApp, name: &str, kind: &str) -> String {
    let id = db::new_id();
    db::insert_organisation(
        &app.pool,
        &db::NewOrganisation {
            id: &id,
            name,
            kind,
            siren: None,
            departement: None,
            commune_insee: None,
            size_band: None,
            created_at: &db::now(),
        },
    )
    .await
    .expect("organisation");
    id
}

async fn member(app: &TestApp, coalition_id: &str, organisation_id: &str, actor: &str, role: &str) {
    let added = db::insert_member(
        &app.pool,
        &db::NewMember {
            id: &db::new_id(),
            coalition_id,
            organisation_id,
            actor_type: actor,
            role,
            joined_on: "2025-01-15",
            created_at: &db::now(),
        },
    )
    .await
    .expect("member");
    assert!(added);
}

fn identity<'a>(slug: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("family", "democratie"),
        ("name_fr", name),
        ("name_en", ""),
        (
            "problem_fr",
            "Les décisions numériques se prennent sans les habitants.",
        ),
        ("problem_en", ""),
        ("impact_fr", "Des choix numériques débattus."),
        ("impact_en", ""),
        ("narrative_fr", "Du guichet à l'assemblée."),
        ("narrative_en", "From the counter to the assembly."),
        ("scale", "locale"),
        ("primary_quality", "democratique"),
        ("secondary_qualities", "capacitant"),
        ("secondary_qualities", "inclusif"),
        (
            "lever_commande_fr",
            "Des marchés publics qui exigent la participation.",
        ),
        ("lever_commande_en", ""),
        ("lever_offre_fr", ""),
        ("lever_offre_en", ""),
        ("lever_usages_fr", ""),
        ("lever_usages_en", ""),
    ]
}

#[tokio::test]
async fn staff_create_a_coalition_whose_history_starts_with_its_intention() {
    let app = spawn_app().await;
    let staff = app.staff("equipe@exemple.fr").await;
    let (_, list) = staff.get("/coalitions").await;
    assert!(list.contains(r#"href="/coalitions/new""#));
    let (_, anonymous_list) = app.get_html("/coalitions").await;
    assert!(!anonymous_list.contains(r#"href="/coalitions/new""#));

    assert_eq!(staff.get("/coalitions/new").await.0, 200);
    let (status, location, body) = staff
        .post(
            "/coalitions/new",
            &identity("assemblees-numeriques", "Assemblées numériques"),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/coalitions/assemblees-numeriques");

    let c = coalition(&app, "assemblees-numeriques").await;
    assert_eq!((c.stage.code(), c.scale.code()), ("intention", "locale"));
    // Display order, whatever the order ticked.
    assert_eq!(
        c.secondary_qualities
            .iter()
            .map(|q| q.code())
            .collect::<Vec<_>>(),
        ["inclusif", "capacitant"]
    );
    let (status, html) = app.get_html("/coalitions/assemblees-numeriques").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Assemblées numériques</h1>"));
    assert!(html.contains("Création de la coalition."));
    assert!(html.contains("Des marchés publics qui exigent la participation."));
    // In English, the French stands in for what is not translated yet.
    let (_, english) = app
        .get_html("/coalitions/assemblees-numeriques?lang=en")
        .await;
    // …marked as French (WCAG 3.1.2).
    assert!(english.contains(r#"<h1><span lang="fr">Assemblées numériques</span></h1>"#));
    assert!(english.contains("From the counter to the assembly."));
    assert!(english.contains("Des choix numériques débattus."));
}

#[tokio::test]
async fn a_rejected_coalition_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    app.coalition("deja-la").await;
    let staff = app.staff("equipe@exemple.fr").await;
    let (status, _, html) = staff
        .post(
            "/coalitions/new",
            &identity("deja-la", "Une autre coalition"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="slug-error""#) && html.contains("déjà l'identifiant « deja-la »"));
    assert!(html.contains(r#"value="Une autre coalition""#));
    assert!(html.contains("From the counter to the assembly."));
    assert!(html.contains(r#"name="secondary_qualities" value="capacitant" checked"#));

    let mut fields = identity("Pas Valide", "");
    fields.push(("secondary_qualities", "democratique"));
    let (status, _, html) = staff.post("/coalitions/new", &fields).await;
    assert_eq!(status, 422);
    for field in ["slug", "name_fr", "secondary_qualities"] {
        assert!(html.contains(&format!(r#"id="{field}-error""#)), "{field}");
    }
    assert!(html.contains("La qualité principale ne peut pas être aussi secondaire"));
    assert!(html.contains(r#"value="Pas Valide""#));
    assert_eq!(count(&app, "coalitions").await, 1);
    assert_eq!(count(&app, "coalition_stage_changes").await, 0);
}

#[tokio::test]
async fn only_staff_create_coalitions() {
    let app = spawn_app().await;
    let anonymous = app.visitor();
    let (status, location, _) = anonymous
        .post("/coalitions/new", &identity("intruse", "Intruse"))
        .await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/signin"));
    let response = app.get("/coalitions/new").await;
    assert_eq!(response.status(), 303);

    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    assert_eq!(lead.get("/coalitions/new").await.0, 403);
    let (status, _, _) = lead
        .post("/coalitions/new", &identity("intruse", "Intruse"))
        .await;
    assert_eq!(status, 403);
    assert_eq!(count(&app, "coalitions").await, 0);
}

#[tokio::test]
async fn a_porteur_edits_the_coalition_and_moves_it_to_a_new_stage() {
    let app = spawn_app().await;
    let id = app.coalition("numerique-frugal").await;
    let (porteur, _) = app
        .coalition_member(&id, "porteur", "porteur@exemple.fr")
        .await;
    let (_, page) = porteur.get("/coalitions/numerique-frugal").await;
    assert!(page.contains(r#"href="/coalitions/numerique-frugal/edit""#));
    let (status, form) = porteur.get("/coalitions/numerique-frugal/edit").await;
    assert_eq!(status, 200);
    assert!(form.contains("Coalition d'essai"), "prefilled");

    // The slug sent is ignored: the address does not change.
    let (status, location, body) = porteur
        .post(
            "/coalitions/numerique-frugal/edit",
            &identity("autre-adresse", "Numérique frugal en Auvergne"),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/coalitions/numerique-frugal");
    let c = coalition(&app, "numerique-frugal").await;
    assert_eq!(c.name_fr, "Numérique frugal en Auvergne");
    assert_eq!(c.family.code(), "democratie");
    assert_eq!(c.stage.code(), "pilote", "editing leaves the stage");

    // A stage change in the future is refused beside its field.
    let (status, _, html) = porteur
        .post(
            "/coalitions/numerique-frugal/stage",
            &[
                ("stage", "active"),
                ("changed_on", "2999-01-01"),
                ("note", "Trop tôt"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="changed_on-error""#));
    assert!(html.contains("Trop tôt") && html.contains(r#"name="stage" value="active" checked"#));
    assert_eq!(
        coalition(&app, "numerique-frugal").await.stage.code(),
        "pilote"
    );

    let (status, _, body) = porteur
        .post(
            "/coalitions/numerique-frugal/stage",
            &[
                ("stage", "active"),
                ("changed_on", "2025-05-02"),
                ("note", "Trois territoires engagés."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        coalition(&app, "numerique-frugal").await.stage.code(),
        "active"
    );
    let history = db::stage_changes(&app.pool, &id).await.expect("history");
    assert_eq!(history.len(), 1);
    let (_, html) = app.get_html("/coalitions/numerique-frugal").await;
    assert!(html.contains("Les étapes") && html.contains("2025-05-02"));
    assert!(html.contains("Trois territoires engagés."));
}

#[tokio::test]
async fn contributors_cannot_edit_stage_or_manage_members_and_nothing_changes() {
    let app = spawn_app().await;
    let id = app.coalition("numerique-frugal").await;
    let (_porteur, porteur_org) = app
        .coalition_member(&id, "porteur", "porteur@exemple.fr")
        .await;
    let (contributor, _) = app
        .coalition_member(&id, "contributeur", "contrib@exemple.fr")
        .await;
    let (informed, _) = app
        .coalition_member(&id, "informe", "informe@exemple.fr")
        .await;
    let porteur_member = members(&app, &id)
        .await
        .into_iter()
        .find(|m| m.organisation_id == porteur_org)
        .expect("porteur")
        .id;
    let newcomer = organisation(&app, "Nouvelle association", "association").await;
    let anonymous = app.visitor();
    let role_path = format!("/coalitions/numerique-frugal/members/{porteur_member}/role");
    let end_path = format!("/coalitions/numerique-frugal/members/{porteur_member}/end");
    let stage = [
        ("stage", "achevee"),
        ("changed_on", "2025-05-02"),
        ("note", "Fin"),
    ];
    let new_member = [
        ("organisation_id", newcomer.as_str()),
        ("role", "porteur"),
        ("joined_on", "2025-02-01"),
    ];
    let edit = identity("x", "Renommée");

    for visitor in [&contributor, &informed] {
        assert_eq!(
            visitor.get("/coalitions/numerique-frugal/edit").await.0,
            403
        );
        let (_, page) = visitor.get("/coalitions/numerique-frugal/members").await;
        assert!(!page.contains("Ajouter un membre"));
    }
    for (visitor, expected) in [(&contributor, 403), (&informed, 403), (&anonymous, 303)] {
        let attempts: [(&str, &[(&str, &str)]); 5] = [
            ("/coalitions/numerique-frugal/edit", &edit),
            ("/coalitions/numerique-frugal/stage", &stage),
            ("/coalitions/numerique-frugal/members", &new_member),
            (&role_path, &[("role", "informe")]),
            (&end_path, &[("left_on", "2025-05-02")]),
        ];
        for (path, fields) in attempts {
            let (status, _, _) = visitor.post(path, fields).await;
            assert_eq!(status.as_u16(), expected, "{path}");
        }
    }
    let c = coalition(&app, "numerique-frugal").await;
    assert_eq!(
        (c.name_fr.as_str(), c.stage.code()),
        ("Coalition d'essai", "pilote")
    );
    assert_eq!(count(&app, "coalition_stage_changes").await, 0);
    let now = members(&app, &id).await;
    assert_eq!(now.len(), 3);
    assert!(now.iter().all(|m| m.left_on.is_none()));
    assert_eq!(
        now.iter()
            .find(|m| m.id == porteur_member)
            .map(|m| m.role.code()),
        Some("porteur")
    );
}

#[tokio::test]
async fn members_are_added_changed_and_ended_and_the_last_porteur_stays() {
    let app = spawn_app().await;
    let id = app.coalition("numerique-frugal").await;
    let staff = app.staff("equipe@exemple.fr").await;
    let registered = organisation(&app, "Université de Test", "recherche").await;
    let path = "/coalitions/numerique-frugal/members";

    // The first member must be the porteur.
    let (status, _, html) = staff
        .post(
            path,
            &[
                ("organisation_id", registered.as_str()),
                ("role", "contributeur"),
                ("joined_on", "2025-02-01"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="role-error""#) && html.contains("pas encore de porteur"));

    // A new organisation, typed by name and kind: a région is a local authority.
    let (status, _, body) = staff
        .post(
            path,
            &[
                ("organisation_id", ""),
                ("organisation_name", "Région Test"),
                ("organisation_kind", "region"),
                ("actor_type", ""),
                ("role", "porteur"),
                ("joined_on", "2025-02-01"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // A registered one, with its actor type chosen.
    let (status, _, body) = staff
        .post(
            path,
            &[
                ("organisation_id", registered.as_str()),
                ("actor_type", "association"),
                ("role", "contributeur"),
                ("joined_on", "2025-03-01"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let list = members(&app, &id).await;
    let region = list
        .iter()
        .find(|m| m.organisation_name == "Région Test")
        .expect("région");
    assert_eq!(
        (region.actor_type.code(), region.role.code()),
        ("collectivite", "porteur")
    );
    let university = list
        .iter()
        .find(|m| m.organisation_id == registered)
        .expect("université");
    assert_eq!(university.actor_type.code(), "association");
    let (region, university) = (region.id.clone(), university.id.clone());

    // Twice the same organisation: refused beside the field, typed values back.
    let (status, _, html) = staff
        .post(
            path,
            &[
                ("organisation_id", registered.as_str()),
                ("role", "informe"),
                ("joined_on", "2025-04-01"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="organisation_id-error""#));
    assert!(html.contains("Université de Test est déjà membre"));
    assert!(html.contains(r#"value="2025-04-01""#));
    assert!(html.contains(r#"name="role" value="informe" checked"#));
    assert_eq!(members(&app, &id).await.len(), 2);

    // The last porteur can be neither demoted nor ended.
    let (status, _, html) = staff
        .post(&format!("{path}/{region}/role"), &[("role", "co-porteur")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(&format!(r#"id="role-{region}-error""#)));
    assert!(html.contains("dernier porteur"));
    let (status, _, html) = staff
        .post(
            &format!("{path}/{region}/end"),
            &[("left_on", "2025-05-01")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("dernier porteur") && html.contains(r#"value="2025-05-01""#));
    assert!(
        members(&app, &id)
            .await
            .iter()
            .all(|m| m.left_on.is_none() && (m.id != region || m.role.code() == "porteur"))
    );

    // Once another member leads, the first may leave; it stays among past members.
    let (status, _, body) = staff
        .post(&format!("{path}/{university}/role"), &[("role", "porteur")])
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, html) = staff
        .post(
            &format!("{path}/{region}/end"),
            &[("left_on", "2025-01-01")],
        )
        .await;
    assert_eq!(status, 422, "leaving before joining");
    assert!(html.contains("ne peut pas précéder"));
    // Ending a membership asks for confirmation first (issue 14): the first POST changes
    // nothing and says what happens; the confirmed one ends it.
    let (status, _, html) = staff
        .post(
            &format!("{path}/{region}/end"),
            &[("left_on", "2025-05-01")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("quitte la coalition") && html.contains(r#"name="confirmed" value="yes""#)
    );
    assert!(members(&app, &id).await.iter().all(|m| m.left_on.is_none()));
    let (status, _, body) = staff
        .post(
            &format!("{path}/{region}/end"),
            &[("left_on", "2025-05-01"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = app.get_html(path).await;
    assert!(html.contains("Anciens membres (1)") && html.contains("2025-05-01"));
    assert!(html.contains("Membres actuels (1)"));
    // An ended membership cannot be changed any more.
    let (status, _, _) = staff
        .post(&format!("{path}/{region}/role"), &[("role", "porteur")])
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_coalition_page_shows_how_diverse_its_members_are() {
    let app = spawn_app().await;
    let id = app.coalition("numerique-frugal").await;
    for (name, kind, actor, role) in [
        ("Ville A", "commune", "collectivite", "porteur"),
        ("Ville B", "commune", "collectivite", "contributeur"),
        ("Les Liens", "association", "association", "contributeur"),
        ("Coop SAS", "entreprise", "entreprise", "informe"),
    ] {
        let organisation_id = organisation(&app, name, kind).await;
        member(&app, &id, &organisation_id, actor, role).await;
    }
    // Shares 2/4, 1/4, 1/4: H = −(½ ln ½ + 2 × ¼ ln ¼) = ½ ln 2 + ln 2 = 1.5 × 0.693147
    // = 1.039721; normalised by ln 5 = 1.609438: 1.039721 / 1.609438 = 0.646 → 0,65.
    let (_, html) = app.get_html("/coalitions/numerique-frugal").await;
    assert!(html.contains("3 types d'acteurs sur 5"), "{html}");
    assert!(html.contains("Entreprise, Collectivité, Association"));
    assert!(html.contains(">0,65<"));
    assert!(html.contains(r#"href="/coalitions/numerique-frugal/members""#));
    assert!(html.contains("Voir tous les membres"));
    let (_, english) = app.get_html("/coalitions/numerique-frugal?lang=en").await;
    assert!(english.contains("3 actor types out of 5") && english.contains(">0.65<"));
    let (_, members_page) = app.get_html("/coalitions/numerique-frugal/members").await;
    assert!(members_page.contains("Membres actuels (4)") && members_page.contains(">0,65<"));
}

#[tokio::test]
async fn two_managers_demoting_the_last_two_porteurs_at_once_leave_one_porteur() {
    let app = spawn_app().await;
    let id = app.coalition("numerique-frugal").await;
    let staff = app.staff("equipe@exemple.fr").await;
    let other_staff = app.staff("equipe-2@exemple.fr").await;
    let first = organisation(&app, "Région Une", "region").await;
    let second = organisation(&app, "Région Deux", "region").await;
    member(&app, &id, &first, "collectivite", "porteur").await;
    member(&app, &id, &second, "collectivite", "porteur").await;
    let list = members(&app, &id).await;
    let (a, b) = (list[0].id.clone(), list[1].id.clone());
    let path = "/coalitions/numerique-frugal/members";
    // Several rounds: a check made outside the write lets both through now and then.
    for round in 0..8 {
        let (first_path, second_path) = (format!("{path}/{a}/role"), format!("{path}/{b}/role"));
        let ((one, _, _), (two, _, _)) = tokio::join!(
            staff.post(&first_path, &[("role", "contributeur")]),
            other_staff.post(&second_path, &[("role", "contributeur")]),
        );
        let mut statuses = [one, two];
        statuses.sort();
        assert_eq!(statuses, [303, 422], "round {round}: one demotion refused");
        let porteurs = members(&app, &id)
            .await
            .iter()
            .filter(|m| m.role.code() == "porteur")
            .count();
        assert_eq!(porteurs, 1, "round {round}");
        sqlx::query("UPDATE coalition_members SET role = 'porteur' WHERE coalition_id = $1")
            .bind(&id)
            .execute(&app.pool)
            .await
            .expect("both porteurs again");
    }
}

//! Issue 11, for coalitions: what of a measurement leaves the coalition (its validated value,
//! date and source, never names or comments), who may bring an organisation into a coalition
//! (its lead, by accepting an invitation, or the programme staff), and forms made from a page
//! older than the measurement (refused with 409 and what changed, nothing overwritten).

use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::db;
use reset_eval::domain::indicator::standing;

const SLUG: &str = "essai";

/// A signed-in lead, under a name of their own, whose new commune is a current member of
/// the coalition in `role`.
async fn named_member(app: &TestApp, coalition_id: &str, role: &str, name: &str) -> Visitor {
    let visitor = app.visitor();
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    visitor.sign_up(name, &email).await;
    // The commune is named after its role: organisation names are public, people's are not.
    let organisation_id = visitor.register_commune(&format!("Commune {role}")).await;
    let added = db::insert_member(
        &app.pool,
        &db::NewMember {
            id: &db::new_id(),
            coalition_id,
            organisation_id: &organisation_id,
            actor_type: "collectivite",
            role,
            joined_on: "2025-01-15",
            created_at: &db::now(),
        },
    )
    .await
    .expect("member");
    assert!(added);
    visitor
}

/// A goal and a count indicator, recorded by the porteur; returns the indicator's id.
async fn indicator(porteur: &Visitor, coalition_id: &str, app: &TestApp) -> String {
    let (status, _, body) = porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[
                ("statement", "Les acheteurs publics intègrent des critères."),
                ("horizon", "2027-12-31"),
                ("qualities", "frugal"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let goal_id = db::goals(&app.pool, coalition_id)
        .await
        .expect("goals")
        .last()
        .expect("a goal")
        .id
        .clone();
    let (status, location, body) = porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal_id}/indicators"),
            &[
                ("code", "apr-1"),
                ("name", "Marchés avec critères"),
                ("definition", "Marchés notifiés avec les critères communs."),
                ("level", "outcome"),
                ("measure", "count"),
                ("unit", "marchés"),
                ("direction", "increase"),
                ("combination", "last_value"),
                ("periodicity", "annuelle"),
                ("verification", "Registre des marchés"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location.rsplit('/').next().expect("id").to_owned()
}

/// Records a measurement through the indicator page; returns its page's path.
async fn measurement(by: &Visitor, indicator_id: &str, fields: &[(&str, &str)]) -> String {
    let (status, location, body) = by
        .post(
            &format!("/coalitions/{SLUG}/indicators/{indicator_id}/measurements"),
            fields,
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location
}

/// The revision a page's measurement forms carry, as a browser would send it back.
fn shown_revision(html: &str) -> String {
    let marker = r#"name="revision" value=""#;
    let at = html.find(marker).expect("a form carrying its revision");
    html[at + marker.len()..]
        .split('"')
        .next()
        .expect("value")
        .to_owned()
}

async fn revisions(
    app: &TestApp,
    coalition_id: &str,
    path: &str,
) -> Vec<(i32, Option<f64>, String)> {
    let id = path.rsplit('/').next().expect("id");
    db::revisions_of_measurement(&app.pool, coalition_id, id)
        .await
        .expect("revisions")
        .into_iter()
        .map(|r| {
            let value = r.value.as_ref().and_then(standing::number);
            (r.revision, value, r.status.code().to_owned())
        })
        .collect()
}

// --- Item 4: what leaves the coalition ---------------------------------------------------------

#[tokio::test]
async fn outside_the_coalition_a_measurement_is_its_validated_value_date_and_source_only() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let porteur = named_member(&app, &coalition_id, "porteur", "Camille Porteuse").await;
    let contributor = named_member(
        &app,
        &coalition_id,
        "contributeur",
        "Dominique Contributrice",
    )
    .await;
    let informed = named_member(&app, &coalition_id, "informe", "Alex Informé").await;
    let staff = app.staff("equipe@example.org").await;
    let indicator_id = indicator(&porteur, &coalition_id, &app).await;
    let base = format!("/coalitions/{SLUG}/indicators/{indicator_id}");
    // Two baselines: the second says why it changed (a reason the public reads: it explains
    // the figures, and names no one).
    for (value, reason) in [("5", ""), ("6", "Recomptage du registre")] {
        let (status, _, body) = porteur
            .post_from(
                &format!("{base}/baseline"),
                &format!("{base}/baseline"),
                &[
                    ("value", value),
                    ("measured_on", "2020-12-31"),
                    ("source", "Registre 2020"),
                    ("reason", reason),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }
    // 12 submitted, sent back with a comment, corrected to 14, validated.
    let path = measurement(
        &contributor,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("value", "12"),
            ("evidence_url", "https://example.org/registre-2024"),
            ("comment", "Chiffre provisoire du tableur interne"),
        ],
    )
    .await;
    let (_, page) = staff.get(&path).await;
    let (status, _, body) = staff
        .post(
            &format!("{path}/status"),
            &[
                ("to", "draft"),
                ("comment", "Deux marchés manquent, voyez avec la DAJ"),
                ("revision", &shown_revision(&page)),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = contributor.get(&path).await;
    let (status, _, body) = contributor
        .post(
            &format!("{path}/revise"),
            &[
                ("value", "14"),
                ("evidence_url", "https://example.org/registre-2024"),
                ("intent", "submitted"),
                ("revision", &shown_revision(&page)),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = staff.get(&path).await;
    let (status, _, body) = staff
        .post(
            &format!("{path}/status"),
            &[("to", "validated"), ("revision", &shown_revision(&page))],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    let secrets = [
        "12 marchés",
        "Chiffre provisoire",
        "Deux marchés manquent",
        "Camille Porteuse",
        "Dominique Contributrice",
        "Équipe du programme",
        "Brouillon",
        "Soumise",
    ];
    let anonymous = app.visitor();
    let outsider = app.visitor();
    outsider
        .sign_up("Personne Extérieure", "dehors@example.org")
        .await;
    outsider.register_commune("Commune extérieure").await;
    for (who, visitor) in [("anonymous", &anonymous), ("outsider", &outsider)] {
        for page_path in [base.as_str(), path.as_str(), &format!("/coalitions/{SLUG}")] {
            let (status, html) = visitor.get(page_path).await;
            assert_eq!(status, 200, "{who} {page_path}");
            for secret in secrets {
                assert!(
                    !html.contains(secret),
                    "{who} reads « {secret} » on {page_path}"
                );
            }
        }
        // What the public reads: the validated value, its date and its source.
        let (_, html) = visitor.get(&path).await;
        assert!(
            html.contains("14 marchés") && html.contains("Validée"),
            "{html}"
        );
        assert!(html.contains("https://example.org/registre-2024"));
        assert!(html.contains("2024-12-31"));
        let (_, html) = visitor.get(&base).await;
        assert!(html.contains("Registre 2020") && html.contains("31 décembre 2020"));
        assert!(html.contains("Recomptage du registre"));
    }
    // Inside the coalition, every role reads the history with names and comments.
    for (who, visitor) in [
        ("informed", &informed),
        ("contributor", &contributor),
        ("porteur", &porteur),
        ("staff", &staff),
    ] {
        let (status, html) = visitor.get(&path).await;
        assert_eq!(status, 200, "{who}");
        for inside in [
            "12 marchés",
            "Deux marchés manquent",
            "Dominique Contributrice",
            "Équipe du programme",
        ] {
            assert!(html.contains(inside), "{who} misses « {inside} »");
        }
        let (_, html) = visitor.get(&base).await;
        assert!(html.contains("Camille Porteuse"), "{who}");
    }
}

// --- Item 20: stale pages ----------------------------------------------------------------------

#[tokio::test]
async fn a_correction_from_a_stale_page_is_refused_with_what_changed_and_nothing_is_overwritten() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let porteur = named_member(&app, &coalition_id, "porteur", "Camille Porteuse").await;
    let contributor = named_member(
        &app,
        &coalition_id,
        "contributeur",
        "Dominique Contributrice",
    )
    .await;
    let indicator_id = indicator(&porteur, &coalition_id, &app).await;
    let path = measurement(
        &contributor,
        &indicator_id,
        &[
            ("measured_on", "2024-12-31"),
            ("value", "12"),
            ("intent", "draft"),
        ],
    )
    .await;
    // Two pages of the same measurement, opened a few seconds apart.
    let (_, first) = porteur.get(&path).await;
    let (_, second) = contributor.get(&path).await;
    let (status, _, body) = porteur
        .post(
            &format!("{path}/revise"),
            &[
                ("value", "20"),
                ("intent", "submitted"),
                ("revision", &shown_revision(&first)),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let before = revisions(&app, &coalition_id, &path).await;
    let (status, _, html) = contributor
        .post(
            &format!("{path}/revise"),
            &[
                ("value", "30"),
                ("comment", "Mon chiffre à moi"),
                ("intent", "draft"),
                ("revision", &shown_revision(&second)),
            ],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    // What changed since, by whom; what was typed, given back.
    assert!(
        html.contains("a changé depuis que vous avez ouvert la page"),
        "{html}"
    );
    assert!(html.contains("Révision 2") && html.contains("20 marchés"));
    assert!(html.contains("Camille Porteuse"));
    assert!(html.contains(r#"value="30""#) && html.contains("Mon chiffre à moi"));
    // The form now carries the current revision, so a deliberate retry is possible.
    assert_eq!(shown_revision(&html), "2");
    assert_eq!(revisions(&app, &coalition_id, &path).await, before);
    assert_eq!(before.last().map(|r| r.1), Some(Some(20.0)));

    // A form without the revision it showed counts as stale too.
    let (status, _, _) = contributor
        .post(&format!("{path}/revise"), &[("value", "31")])
        .await;
    assert_eq!(status, 409);
    let (status, _, _) = contributor
        .post(&format!("{path}/status"), &[("to", "submitted")])
        .await;
    assert_eq!(status, 409);
    assert_eq!(revisions(&app, &coalition_id, &path).await, before);
}

#[tokio::test]
async fn a_late_second_validation_says_it_was_already_validated_and_a_stale_send_back_changes_nothing()
 {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let porteur = named_member(&app, &coalition_id, "porteur", "Camille Porteuse").await;
    let staff = app.staff("equipe@example.org").await;
    let colleague = app.staff("collegue@example.org").await;
    let indicator_id = indicator(&porteur, &coalition_id, &app).await;
    let path = measurement(
        &porteur,
        &indicator_id,
        &[("measured_on", "2024-12-31"), ("value", "12")],
    )
    .await;
    let (_, first) = staff.get(&path).await;
    let (_, second) = colleague.get(&path).await;
    let (status, _, body) = staff
        .post(
            &format!("{path}/status"),
            &[("to", "validated"), ("revision", &shown_revision(&first))],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let before = revisions(&app, &coalition_id, &path).await;
    assert_eq!(before.len(), 2);

    let (status, _, html) = colleague
        .post(
            &format!("{path}/status"),
            &[("to", "validated"), ("revision", &shown_revision(&second))],
        )
        .await;
    assert_eq!(status, 409, "not « no access »: {html}");
    assert!(html.contains("Cette mesure est déjà « Validée »"), "{html}");
    assert_eq!(revisions(&app, &coalition_id, &path).await, before);

    // The same page sending it back: refused, the comment typed given back.
    let (status, _, html) = colleague
        .post(
            &format!("{path}/status"),
            &[
                ("to", "draft"),
                ("comment", "Il manque la délibération"),
                ("revision", &shown_revision(&second)),
            ],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("a changé depuis que vous avez ouvert la page"));
    assert!(html.contains("Il manque la délibération"));
    assert_eq!(revisions(&app, &coalition_id, &path).await, before);

    // In English too.
    let english = app.visitor();
    english.sign_in("collegue@example.org").await;
    english.get(&format!("{path}?lang=en")).await;
    let (status, _, html) = english
        .post(
            &format!("{path}/status"),
            &[("to", "validated"), ("revision", &shown_revision(&second))],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("This measurement is already"), "{html}");
}

// --- Item 5: who brings an organisation into a coalition ---------------------------------------

async fn memberships(app: &TestApp, coalition_id: &str, organisation_id: &str) -> Vec<String> {
    db::members(&app.pool, coalition_id)
        .await
        .expect("members")
        .into_iter()
        .filter(|m| m.organisation_id == organisation_id && m.left_on.is_none())
        .map(|m| m.role.code().to_owned())
        .collect()
}

async fn invitations(app: &TestApp, organisation_id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT status FROM coalition_invitations WHERE organisation_id = $1 ORDER BY invited_at",
    )
    .bind(organisation_id)
    .fetch_all(&app.pool)
    .await
    .expect("invitations")
}

fn invite(organisation_id: &str) -> Vec<(&str, &str)> {
    vec![
        ("organisation_id", organisation_id),
        ("organisation_name", ""),
        ("organisation_kind", ""),
        ("actor_type", ""),
        ("role", "contributeur"),
        ("joined_on", "2025-03-01"),
    ]
}

#[tokio::test]
async fn a_co_porteur_can_neither_see_nor_enrol_a_private_organisation_but_staff_can() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    named_member(&app, &coalition_id, "porteur", "Camille Porteuse").await;
    let co_porteur = named_member(&app, &coalition_id, "co-porteur", "Sacha Coporteur").await;
    let lead = app.visitor();
    lead.sign_up("Maire Discrète", "maire@example.org").await;
    let private = lead.register_commune("Mairie très privée").await;
    let members_path = format!("/coalitions/{SLUG}/members");

    let (status, html) = co_porteur.get(&members_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Inviter une organisation"), "{html}");
    assert!(!html.contains("Mairie très privée") && !html.contains(&private));
    // A forged form naming it: refused as unknown, and nothing is stored.
    let (status, _, html) = co_porteur.post(&members_path, &invite(&private)).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(r#"id="organisation_id-error""#));
    assert!(!html.contains("Mairie très privée"));
    assert!(memberships(&app, &coalition_id, &private).await.is_empty());
    assert!(invitations(&app, &private).await.is_empty());

    // Once its lead puts it in the public directory, the co-porteur finds it.
    let (status, _, body) = lead
        .post(
            &format!("/organisations/{private}/directory"),
            &[("listed", "1")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = co_porteur.get(&members_path).await;
    assert!(html.contains("Mairie très privée"));
    // Only its lead chooses: a co-porteur cannot list or unlist it.
    let (status, _, _) = co_porteur
        .post(
            &format!("/organisations/{private}/directory"),
            &[("listed", "0")],
        )
        .await;
    assert_eq!(status, 403);

    // Staff see every organisation and add one directly, listed or not.
    let (_, _, _) = lead
        .post(
            &format!("/organisations/{private}/directory"),
            &[("listed", "0")],
        )
        .await;
    let staff = app.staff("equipe@example.org").await;
    let (_, html) = staff.get(&members_path).await;
    assert!(html.contains("Mairie très privée"));
    let (status, _, body) = staff.post(&members_path, &invite(&private)).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        memberships(&app, &coalition_id, &private).await,
        vec!["contributeur"]
    );
    assert!(invitations(&app, &private).await.is_empty());
}

#[tokio::test]
async fn an_invitation_becomes_a_membership_only_when_the_organisations_lead_accepts() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    named_member(&app, &coalition_id, "porteur", "Camille Porteuse").await;
    let co_porteur = named_member(&app, &coalition_id, "co-porteur", "Sacha Coporteur").await;
    let lead = app.visitor();
    lead.sign_up("Maire Ouverte", "maire@example.org").await;
    let listed = lead.register_commune("Mairie annuaire").await;
    let declining = lead.register_commune("Mairie qui refuse").await;
    for id in [&listed, &declining] {
        let (status, _, _) = lead
            .post(
                &format!("/organisations/{id}/directory"),
                &[("listed", "1")],
            )
            .await;
        assert_eq!(status, 303);
    }
    let members_path = format!("/coalitions/{SLUG}/members");

    // The co-porteur invites: no membership yet, an invitation waits.
    for id in [&listed, &declining] {
        let (status, location, body) = co_porteur.post(&members_path, &invite(id)).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, format!("{members_path}#invitations"));
        assert!(memberships(&app, &coalition_id, id).await.is_empty());
        assert_eq!(invitations(&app, id).await, vec!["pending"]);
    }
    let (_, html) = co_porteur.get(&members_path).await;
    assert!(
        html.contains("Invitations en attente de réponse (2)"),
        "{html}"
    );
    // Inviting again while it waits is refused beside the field.
    let (status, _, html) = co_porteur.post(&members_path, &invite(&listed)).await;
    assert_eq!(status, 422);
    assert!(html.contains("déjà invitée"));

    let invitation: String =
        sqlx::query_scalar("SELECT id FROM coalition_invitations WHERE organisation_id = $1")
            .bind(&listed)
            .fetch_one(&app.pool)
            .await
            .expect("invitation");
    let accept = format!("/organisations/{listed}/coalition-invitations/{invitation}/accept");
    // Nobody but the organisation's lead answers: not the co-porteur, not another lead.
    let other = app.visitor();
    other.sign_up("Autre Personne", "autre@example.org").await;
    other.register_commune("Autre commune").await;
    for someone in [&co_porteur, &other] {
        let (status, _, _) = someone.post(&accept, &[]).await;
        assert_eq!(status, 403);
    }
    assert!(memberships(&app, &coalition_id, &listed).await.is_empty());

    // The lead reads the invitation on their pages and accepts it.
    let (_, html) = lead.get("/organisations").await;
    assert!(
        html.contains("Invitations à rejoindre une coalition (2)"),
        "{html}"
    );
    let (_, html) = lead.get(&format!("/organisations/{listed}")).await;
    assert!(html.contains(&accept));
    let (status, _, body) = lead.post(&accept, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        memberships(&app, &coalition_id, &listed).await,
        vec!["contributeur"]
    );
    assert_eq!(invitations(&app, &listed).await, vec!["accepted"]);
    // A second answer from a stale page says so and changes nothing.
    let decline = accept.replace("/accept", "/decline");
    let (status, _, html) = lead.post(&decline, &[]).await;
    assert_eq!(status, 409);
    assert!(html.contains("déjà reçu une réponse"));
    assert_eq!(
        memberships(&app, &coalition_id, &listed).await,
        vec!["contributeur"]
    );

    // Declined: never a member.
    let invitation: String =
        sqlx::query_scalar("SELECT id FROM coalition_invitations WHERE organisation_id = $1")
            .bind(&declining)
            .fetch_one(&app.pool)
            .await
            .expect("invitation");
    let (status, _, _) = lead
        .post(
            &format!("/organisations/{declining}/coalition-invitations/{invitation}/decline"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        memberships(&app, &coalition_id, &declining)
            .await
            .is_empty()
    );
    assert_eq!(invitations(&app, &declining).await, vec!["declined"]);
}

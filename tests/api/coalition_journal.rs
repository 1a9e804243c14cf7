//! A coalition's journal and productions: who reads which entries, who adds them, and what a
//! rejected form says.

use crate::helpers::{TestApp, spawn_app};

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

const ENTRY: [(&str, &str); 6] = [
    ("kind", "reset_day"),
    ("occurred_on", "2025-03-14"),
    ("title", "Reset Day de printemps"),
    ("attendance", "42"),
    ("notes", "Trois ateliers et une décision sur la charte."),
    ("is_public", "1"),
];

#[tokio::test]
async fn a_contributor_adds_an_entry_and_a_production_that_everyone_reads() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let (status, html) = contributor
        .get("/coalitions/numerique-frugal/journal")
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ajouter une entrée au journal") && html.contains("Ajouter une production")
    );
    // The box « rendre public » is not ticked on a blank form: an entry is kept among
    // members unless its author makes it public (issue 14 changed the default).
    assert!(html.contains(r#"name="is_public" value="1">"#));
    assert!(!html.contains(r#"name="is_public" value="1" checked"#));

    let (status, location, body) = contributor
        .post("/coalitions/numerique-frugal/journal", &ENTRY)
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/coalitions/numerique-frugal/journal");
    let (status, _, body) = contributor
        .post(
            "/coalitions/numerique-frugal/productions",
            &[
                ("production_title", "Guide de l'achat frugal"),
                ("url", "https://exemple.fr/guide.pdf"),
                ("licence", "CC-BY-4.0"),
                ("published_on", "2025-04-01"),
                ("description", "Douze fiches pratiques."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    // An anonymous visitor reads both, and no form.
    let (status, html) = app.get_html("/coalitions/numerique-frugal/journal").await;
    assert_eq!(status, 200);
    for expected in [
        "Reset Day de printemps",
        "42 participants",
        "2025-03-14",
        "Trois ateliers et une décision sur la charte.",
        r#"<a href="https://exemple.fr/guide.pdf">Guide de l'achat frugal</a>"#,
        "CC BY 4.0",
        "Douze fiches pratiques.",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("non public"));
    assert!(!html.contains("Ajouter une entrée"));
    // The coalition page shows the latest entries and links to the journal.
    let (_, page) = app.get_html("/coalitions/numerique-frugal").await;
    assert!(page.contains("Reset Day de printemps"));
    assert!(page.contains(r#"href="/coalitions/numerique-frugal/journal""#));
    let (_, english) = app
        .get_html("/coalitions/numerique-frugal/journal?lang=en")
        .await;
    assert!(english.contains("The productions") && english.contains("42 attendees"));
    assert_eq!(
        reset_eval::db::production_counts(&app.pool)
            .await
            .expect("counts"),
        vec![(coalition, 1)]
    );
}

#[tokio::test]
async fn entries_not_made_public_are_read_by_members_and_staff_only() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let private: Vec<(&str, &str)> = ENTRY
        .iter()
        .copied()
        .filter(|(k, _)| *k != "is_public")
        .map(|(k, v)| {
            if k == "title" {
                (k, "Décision interne")
            } else {
                (k, v)
            }
        })
        .collect();
    let (status, _, body) = contributor
        .post("/coalitions/numerique-frugal/journal", &private)
        .await;
    assert_eq!(status, 303, "{body}");

    for path in [
        "/coalitions/numerique-frugal/journal",
        "/coalitions/numerique-frugal",
    ] {
        let (_, html) = app.get_html(path).await;
        assert!(!html.contains("Décision interne"), "anonymous on {path}");
    }
    let outsider = app.visitor();
    outsider.sign_up("Autre", "autre@exemple.fr").await;
    let (_, html) = outsider.get("/coalitions/numerique-frugal/journal").await;
    assert!(!html.contains("Décision interne"), "a lead of no member");

    let (informed, _) = app
        .coalition_member(&coalition, "informe", "informe@exemple.fr")
        .await;
    let staff = app.staff("equipe@exemple.fr").await;
    for reader in [&informed, &staff, &contributor] {
        let (_, html) = reader.get("/coalitions/numerique-frugal/journal").await;
        assert!(html.contains("Décision interne") && html.contains("non public"));
        let (_, page) = reader.get("/coalitions/numerique-frugal").await;
        assert!(page.contains("Décision interne"));
    }
}

#[tokio::test]
async fn an_informed_member_reads_the_journal_but_cannot_add_to_it() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (informed, _) = app
        .coalition_member(&coalition, "informe", "informe@exemple.fr")
        .await;
    let (status, html) = informed.get("/coalitions/numerique-frugal/journal").await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"action="/coalitions/numerique-frugal/journal""#));
    let (status, _, _) = informed
        .post("/coalitions/numerique-frugal/journal", &ENTRY)
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = informed
        .post(
            "/coalitions/numerique-frugal/productions",
            &[
                ("production_title", "Guide"),
                ("url", "https://exemple.fr/guide.pdf"),
                ("licence", "CC-BY-4.0"),
                ("published_on", "2025-04-01"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(count(&app, "journal_entries").await, 0);
    assert_eq!(count(&app, "productions").await, 0);
}

#[tokio::test]
async fn visitors_who_do_not_contribute_cannot_write_to_the_journal() {
    let app = spawn_app().await;
    app.coalition("numerique-frugal").await;
    // Anonymous: sent to sign in.
    let anonymous = app.visitor();
    let (status, location, _) = anonymous
        .post("/coalitions/numerique-frugal/journal", &ENTRY)
        .await;
    assert_eq!((status.as_u16(), location.as_str()), (303, "/signin"));
    // A lead of no member organisation: refused.
    let outsider = app.visitor();
    outsider.sign_up("Autre", "autre@exemple.fr").await;
    let (status, _, _) = outsider
        .post("/coalitions/numerique-frugal/journal", &ENTRY)
        .await;
    assert_eq!(status, 403);
    // An unknown coalition: not found.
    let (status, _, _) = outsider.post("/coalitions/inconnue/journal", &ENTRY).await;
    assert_eq!(status, 404);
    assert_eq!(count(&app, "journal_entries").await, 0);
}

#[tokio::test]
async fn a_rejected_entry_answers_422_with_messages_beside_the_fields_and_what_was_typed() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let (status, _, html) = contributor
        .post(
            "/coalitions/numerique-frugal/journal",
            &[
                ("kind", "atelier"),
                ("occurred_on", "2999-01-01"),
                ("title", ""),
                ("attendance", "-3"),
                ("notes", "Mes notes de l'atelier"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="occurred_on-error""#));
    assert!(html.contains("ne peut pas être dans le futur"));
    assert!(html.contains(r#"id="title-error""#) && html.contains("Indiquez un titre."));
    assert!(html.contains(r#"id="attendance-error""#));
    assert!(
        html.contains(r##"<a href="#attendance">"##),
        "the summary links to the field"
    );
    assert!(html.contains(r#"value="2999-01-01""#) && html.contains(r#"value="-3""#));
    assert!(html.contains("Mes notes de l'atelier"));
    assert!(html.contains(r#"name="kind" value="atelier" checked"#));
    // The box left unticked stays unticked.
    assert!(html.contains(r#"name="is_public" value="1">"#));
    assert_eq!(count(&app, "journal_entries").await, 0);
}

#[tokio::test]
async fn a_rejected_production_answers_in_english_with_the_link_typed() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    contributor
        .get("/coalitions/numerique-frugal/journal?lang=en")
        .await;
    let (status, _, html) = contributor
        .post(
            "/coalitions/numerique-frugal/productions",
            &[
                ("production_title", "Frugal purchasing guide"),
                ("url", "exemple.fr/guide.pdf"),
                ("licence", "Etalab-2.0"),
                ("published_on", "2025-04-01"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"id="url-error""#) && html.contains("is not a web link"));
    assert!(html.contains(r#"value="exemple.fr/guide.pdf""#));
    assert!(html.contains(r#"value="Frugal purchasing guide""#));
    assert!(html.contains(r#"<option value="Etalab-2.0" selected>"#));
    assert_eq!(count(&app, "productions").await, 0);
}

//! Deleting an organisation: only its leads may, after a confirmation page that says what
//! goes and what stays; its diagnostics, responses, links and memberships go in one write,
//! the other leads are told by mail, the lead's account and the published figures stay.

use crate::helpers::{TestApp, Visitor, spawn_app};
use crate::mailbox::{SmtpApp, spawn_app_with_smtp};
use crate::open_data::{organisation_of, organisation_with_respondents, verify_organisation};

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// Everything of the organisation that deletion removes, counted table by table.
async fn holdings(app: &TestApp, organisation: &str) -> Vec<i64> {
    const DIAGNOSTICS: &str = "SELECT id FROM diagnostics WHERE organisation_id = $1";
    let responses = format!("SELECT id FROM responses WHERE diagnostic_id IN ({DIAGNOSTICS})");
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM organisations WHERE id = $1".to_owned(),
        "SELECT COUNT(*) FROM organisation_leads WHERE organisation_id = $1".to_owned(),
        "SELECT COUNT(*) FROM lead_invitations WHERE organisation_id = $1".to_owned(),
        "SELECT COUNT(*) FROM diagnostics WHERE organisation_id = $1".to_owned(),
        format!("SELECT COUNT(*) FROM invitations WHERE diagnostic_id IN ({DIAGNOSTICS})"),
        format!("SELECT COUNT(*) FROM responses WHERE diagnostic_id IN ({DIAGNOSTICS})"),
        format!("SELECT COUNT(*) FROM answers WHERE response_id IN ({responses})"),
        format!("SELECT COUNT(*) FROM response_scores WHERE response_id IN ({responses})"),
    ] {
        counts.push(count(app, &sql, organisation).await);
    }
    counts
}

/// A lead with a commune whose diagnostic three people answered; returns the lead and the
/// commune's id.
async fn lead_with_answered_commune(app: &TestApp, lead: &Visitor) -> String {
    let diagnostic = organisation_with_respondents(app, lead, "Villeurbanne", "69", 3).await;
    organisation_of(app, &diagnostic).await
}

/// Makes `email` (signed up by `visitor`) a co-lead of the organisation, through the mail.
async fn add_co_lead(
    app: &SmtpApp,
    lead: &Visitor,
    organisation: &str,
    co_lead: &Visitor,
    email: &str,
) {
    let (status, _, body) = lead
        .post(
            &format!("/organisations/{organisation}/leads/invitations"),
            &[("email", email)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // Its mails: the sign-up's, then the invitation.
    let mails = app.mails(&[email], 2).await;
    let link = mails
        .last()
        .and_then(|m| m.link("/co-leads/"))
        .expect("a link");
    co_lead.get(&link).await;
    let (status, _, body) = co_lead.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn a_lead_deletes_the_organisation_with_all_it_holds_and_the_other_leads_are_told() {
    let app = spawn_app_with_smtp().await;
    let camille = app.visitor();
    app.sign_up(&camille, "Camille Martin", "camille@example.org")
        .await;
    let organisation = lead_with_answered_commune(&app, &camille).await;
    let dominique = app.visitor();
    app.sign_up(&dominique, "Dominique Petit", "dominique@example.org")
        .await;
    add_co_lead(
        &app,
        &camille,
        &organisation,
        &dominique,
        "dominique@example.org",
    )
    .await;
    let before = holdings(&app, &organisation).await;
    assert_eq!(&before[..6], &[1, 2, 1, 1, 6, 3], "{before:?}");
    assert!(before[6] > 0 && before[7] == 3, "{before:?}");

    // The organisation's page leads to the confirmation page, which says what goes and stays.
    let (_, page) = camille.get(&format!("/organisations/{organisation}")).await;
    assert!(
        page.contains(&format!("/organisations/{organisation}/delete")),
        "{page}"
    );
    let (status, page) = camille
        .get(&format!("/organisations/{organisation}/delete"))
        .await;
    assert_eq!(status, 200, "{page}");
    for said in [
        "autodiagnostics (1), avec leurs réponses (3)",
        "les chiffres déjà publiés",
        "votre compte",
        "Les 1 autre(s) responsable(s) en seront averti·e·s par e-mail.",
    ] {
        assert!(page.contains(said), "{said} in {page}");
    }

    // Without the box ticked, nothing goes, and the error is beside the box.
    let (status, _, page) = camille
        .post(&format!("/organisations/{organisation}/delete"), &[])
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Cochez la case pour confirmer"), "{page}");
    assert_eq!(holdings(&app, &organisation).await, before);

    let (status, location, body) = camille
        .post(
            &format!("/organisations/{organisation}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/account?saved=organisation-deleted");
    assert_eq!(holdings(&app, &organisation).await, vec![0; 8]);

    // The lead's account stays, and says what happened; the organisation is gone for both.
    let (status, page) = camille.get(&location).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("L'organisation est supprimée")
            || page.contains("L&#39;organisation est supprimée"),
        "{page}"
    );
    assert_eq!(
        camille
            .get(&format!("/organisations/{organisation}"))
            .await
            .0,
        404
    );
    assert_eq!(
        dominique
            .get(&format!("/organisations/{organisation}"))
            .await
            .0,
        404
    );

    // The other lead is told, by the real SMTP server; the one who deleted is not.
    // Dominique's mails: the sign-up's, the invitation to co-lead, then this one.
    let told = app.mails(&["dominique@example.org"], 3).await;
    let mail = told
        .iter()
        .find(|m| m.text.contains("l'a supprimée"))
        .unwrap_or_else(|| panic!("no mail saying the organisation was deleted: {told:#?}"));
    assert!(mail.subject.contains("Villeurbanne"), "{mail:?}");
    assert!(
        mail.text
            .contains("Camille Martin, qui gérait avec vous l'organisation « Villeurbanne »"),
        "{mail:?}"
    );
    let camille_mails = app.mails_settled(&["camille@example.org"]).await;
    assert!(
        camille_mails
            .iter()
            .all(|m| !m.subject.contains("supprimée")),
        "{camille_mails:?}"
    );
}

#[tokio::test]
async fn only_an_organisations_leads_may_delete_it_not_staff_nor_another_lead() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille
        .sign_up("Camille Martin", "camille@example.org")
        .await;
    let organisation = lead_with_answered_commune(&app, &camille).await;
    let before = holdings(&app, &organisation).await;

    let stranger = app.visitor();
    stranger.sign_up("Sacha Leroy", "sacha@example.org").await;
    let staff = app.staff("equipe@exemple.fr").await;
    // Staff read the organisation's page, without a way to delete it; its lead has one.
    let delete_link = format!(r#"href="/organisations/{organisation}/delete""#);
    let (status, page) = staff.get(&format!("/organisations/{organisation}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains(&delete_link), "{page}");
    let (_, page) = camille.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains(&delete_link), "{page}");
    for visitor in [&stranger, &staff] {
        let (status, _) = visitor
            .get(&format!("/organisations/{organisation}/delete"))
            .await;
        assert_eq!(status, 403);
        let (status, _, _) = visitor
            .post(
                &format!("/organisations/{organisation}/delete"),
                &[("confirm", "yes")],
            )
            .await;
        assert_eq!(status, 403);
    }
    // Not signed in: sent to sign in, nothing deleted.
    let anonymous = app.visitor();
    let (status, _, _) = anonymous
        .post(
            &format!("/organisations/{organisation}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert!(status == 303 || status == 401 || status == 403, "{status}");
    assert_eq!(holdings(&app, &organisation).await, before);
}

/// Every stored file and table of the published years, as bytes.
async fn published(app: &TestApp) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT path, body FROM report_files WHERE kind = 'published' ORDER BY year, path",
    )
    .fetch_all(&app.pool)
    .await
    .expect("files");
    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, csv FROM report_tables ORDER BY year, name")
            .fetch_all(&app.pool)
            .await
            .expect("tables");
    rows.extend(tables);
    rows
}

#[tokio::test]
async fn deleting_an_organisation_keeps_the_figures_already_published() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let camille = app.visitor();
    camille
        .sign_up("Camille Martin", "camille@example.org")
        .await;
    let organisation = lead_with_answered_commune(&app, &camille).await;
    verify_organisation(&app, &organisation).await;
    let staff = app.staff("equipe.publication@exemple.fr").await;
    let (status, _, body) = staff
        .post("/reports/2026/publish", &[("confirm", "yes")])
        .await;
    assert_eq!(status, 303, "{body}");
    crate::publications::jobs_finish(&app).await;
    let before = published(&app).await;
    assert!(!before.is_empty(), "nothing was published");
    let (status, page_before) = app.get_html("/publications/2026").await;
    assert_eq!(status, 200, "{page_before}");

    let (status, _, body) = camille
        .post(
            &format!("/organisations/{organisation}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(holdings(&app, &organisation).await, vec![0; 8]);
    assert!(
        published(&app).await == before,
        "the published year changed"
    );
    let (status, page_after) = app.get_html("/publications/2026").await;
    assert_eq!(status, 200);
    assert_eq!(page_after, page_before);
}

#[tokio::test]
async fn an_account_that_is_an_organisations_only_lead_is_offered_to_delete_it_or_hand_it_over() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille
        .sign_up("Camille Martin", "camille@example.org")
        .await;
    let organisation = lead_with_answered_commune(&app, &camille).await;

    let (status, page) = camille.get("/account/delete").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(&format!("/organisations/{organisation}/delete")),
        "{page}"
    );
    assert!(
        page.contains(&format!("/organisations/{organisation}/leads")),
        "{page}"
    );
    let (status, _, page) = camille
        .post(
            "/account/delete",
            &[("password", crate::helpers::TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 409, "{page}");

    // Once the organisation is deleted, the account may go.
    let (status, _, body) = camille
        .post(
            &format!("/organisations/{organisation}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, location, body) = camille
        .post(
            "/account/delete",
            &[("password", crate::helpers::TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/account/deleted");
}

#[tokio::test]
async fn an_organisation_still_in_a_coalition_is_not_deleted_and_the_page_says_why() {
    let app = spawn_app().await;
    let coalition = app.coalition("mobilite-douce").await;
    let (lead, organisation) = app
        .coalition_member(&coalition, "contributeur", "membre@example.org")
        .await;
    let before = holdings(&app, &organisation).await;
    let (status, page) = lead
        .get(&format!("/organisations/{organisation}/delete"))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("encore membre de : Coalition d"), "{page}");
    let (status, _, page) = lead
        .post(
            &format!("/organisations/{organisation}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("rien n'a été supprimé") || page.contains("rien n&#39;a été supprimé"),
        "{page}"
    );
    assert_eq!(holdings(&app, &organisation).await, before);
}

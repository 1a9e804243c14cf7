//! Co-leads: a lead invites a person by e-mail to co-manage an organisation; the link makes
//! the signed-in person who accepts it a lead, once, until it expires; a lead steps down,
//! never the last one.

use crate::helpers::Visitor;
use crate::mailbox::{self, SmtpApp, spawn_app_with_smtp};

/// A lead with a commune; returns the lead and the commune's id.
async fn lead_with_commune(app: &SmtpApp) -> (Visitor, String) {
    let lead = app.visitor();
    app.sign_up(&lead, "Camille Martin", "camille@example.org")
        .await;
    let commune = lead.register_commune("Villeurbanne").await;
    (lead, commune)
}

/// Invites `email` to co-manage and returns the link's path from the mail it receives.
async fn invite_co_lead(app: &SmtpApp, lead: &Visitor, organisation: &str, email: &str) -> String {
    let (status, location, body) = lead
        .post(
            &format!("/organisations/{organisation}/leads/invitations"),
            &[("email", email)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with(&format!("/organisations/{organisation}/leads?invited=")));
    let all = app.mails(&[email], 1).await;
    let mail = all.last().expect("a mail");
    assert!(mail.text.contains("Villeurbanne"), "{}", mail.text);
    assert!(mail.text.contains("Camille Martin"), "{}", mail.text);
    mail.link("/co-leads/").expect("a link")
}

async fn signed_up(app: &SmtpApp, name: &str, email: &str) -> Visitor {
    let visitor = app.visitor();
    app.sign_up(&visitor, name, email).await;
    visitor
}

#[tokio::test]
async fn a_co_lead_accepts_the_link_then_steps_down_and_the_last_lead_may_not() {
    let app = spawn_app_with_smtp().await;
    let (camille, commune) = lead_with_commune(&app).await;
    let link = invite_co_lead(&app, &camille, &commune, "dominique@example.org").await;

    // Not signed in: the link says to sign in first, and comes back here.
    let (status, page) = app.get_html(&link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Villeurbanne"), "{page}");
    assert!(page.contains("/signin?next=/co-leads/"), "{page}");

    let dominique = signed_up(&app, "Dominique Petit", "dominique@example.org").await;
    assert_eq!(
        dominique.get(&format!("/organisations/{commune}")).await.0,
        403
    );
    let (status, page) = dominique.get(&link).await;
    assert_eq!(status, 200, "{page}");
    let (status, location, body) = dominique.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/organisations/{commune}"));

    // The organisation's page lists both leads.
    let (status, page) = dominique.get(&format!("/organisations/{commune}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Camille Martin") && page.contains("Dominique Petit"),
        "{page}"
    );

    // Dominique steps down and no longer sees the organisation.
    let (status, location, body) = dominique
        .post(&format!("/organisations/{commune}/leads/step-down"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, "/organisations");
    assert_eq!(
        dominique.get(&format!("/organisations/{commune}")).await.0,
        403
    );

    // Camille, the last lead, may not.
    let (status, _, page) = camille
        .post(&format!("/organisations/{commune}/leads/step-down"), &[])
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("seule personne à gérer cette organisation"),
        "{page}"
    );
    assert_eq!(
        camille.get(&format!("/organisations/{commune}")).await.0,
        200
    );
}

#[tokio::test]
async fn a_co_lead_link_works_once_and_not_for_someone_else_afterwards() {
    let app = spawn_app_with_smtp().await;
    let (camille, commune) = lead_with_commune(&app).await;
    let link = invite_co_lead(&app, &camille, &commune, "dominique@example.org").await;
    let dominique = signed_up(&app, "Dominique Petit", "dominique@example.org").await;
    let (status, _, body) = dominique.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 303, "{body}");

    // Used twice: refused, and nothing changes.
    let (status, _, page) = dominique.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("a déjà servi"), "{page}");

    // Someone else who got the link afterwards: refused, and not a lead.
    let eve = signed_up(&app, "Ève", "eve@example.org").await;
    let (status, page) = eve.get(&link).await;
    assert_eq!(status, 410, "{page}");
    let (status, _, _) = eve.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 410);
    assert_eq!(eve.get(&format!("/organisations/{commune}")).await.0, 403);

    // A made-up link is not found.
    let made_up = format!("/co-leads/{}", "ab".repeat(32));
    assert_eq!(eve.post(&format!("{made_up}/accept"), &[]).await.0, 404);
}

#[tokio::test]
async fn an_expired_co_lead_link_is_refused() {
    let app = spawn_app_with_smtp().await;
    let (camille, commune) = lead_with_commune(&app).await;
    let link = invite_co_lead(&app, &camille, &commune, "dominique@example.org").await;
    sqlx::query("UPDATE lead_invitations SET expires_at = '2020-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .expect("expired");
    let dominique = signed_up(&app, "Dominique Petit", "dominique@example.org").await;
    let (status, _, page) = dominique.post(&format!("{link}/accept"), &[]).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("a expiré"), "{page}");
    assert_eq!(
        dominique.get(&format!("/organisations/{commune}")).await.0,
        403
    );
}

#[tokio::test]
async fn only_a_lead_of_the_organisation_invites_a_co_lead() {
    let app = spawn_app_with_smtp().await;
    let (_, commune) = lead_with_commune(&app).await;
    let eve = signed_up(&app, "Ève", "eve@example.org").await;
    let (status, _, _) = eve
        .post(
            &format!("/organisations/{commune}/leads/invitations"),
            &[("email", "complice@example.org")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        mailbox::to(
            &app.mails_settled(&["complice@example.org"]).await,
            "complice@example.org"
        )
        .is_empty()
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lead_invitations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_faulty_co_lead_address_is_refused_beside_its_field_with_what_was_typed() {
    let app = spawn_app_with_smtp().await;
    let (camille, commune) = lead_with_commune(&app).await;
    let (status, _, page) = camille
        .post(
            &format!("/organisations/{commune}/leads/invitations?lang=en"),
            &[("email", "dominique at example")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("dominique at example"), "{page}");
    assert!(page.contains(r#"id="email-error""#), "{page}");
}

#[tokio::test]
async fn an_organisation_sends_at_most_ten_co_lead_invitations_a_day() {
    let app = spawn_app_with_smtp().await;
    let (camille, commune) = lead_with_commune(&app).await;
    let path = format!("/organisations/{commune}/leads/invitations");
    for n in 0..10 {
        let (status, _, body) = camille
            .post(&path, &[("email", &format!("personne{n}@example.org"))])
            .await;
        assert_eq!(status, 303, "{body}");
    }
    let (status, _, page) = camille
        .post(&path, &[("email", "une-de-trop@example.org")])
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Au plus 10 invitations en 24 heures"),
        "{page}"
    );
    assert!(page.contains("une-de-trop@example.org"), "kept: {page}");
    assert!(
        app.mails_settled(&["une-de-trop@example.org"])
            .await
            .is_empty()
    );
}

//! The account page: name and password, the download of everything held about the account,
//! and its deletion.

use crate::helpers::{
    TEST_PASSWORD, TestApp, Visitor, link_path, outbox_names, spawn_app, wait_for_mail,
};

const NEW_PASSWORD: &str = "une autre phrase de passe";

async fn account_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .expect("account")
}

#[tokio::test]
async fn a_person_renames_their_account_and_an_empty_or_long_name_is_refused_beside_its_field() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille.sign_up("Camille", "camille@exemple.fr").await;
    camille.get("/account").await;

    let (status, _, html) = camille
        .post("/account/name", &[("display_name", "   ")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="display_name-error""#), "{html}");
    assert!(html.contains("Indiquez votre nom."));
    let long = "x".repeat(101);
    let (status, _, html) = camille
        .post("/account/name", &[("display_name", &long)])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Votre nom dépasse 100 caractères."));
    assert!(
        html.contains(&format!(r#"value="{long}""#)),
        "what was typed is kept"
    );

    let (status, location, _) = camille
        .post("/account/name", &[("display_name", "  Camille Dupont ")])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account?saved=name")
    );
    let (_, html) = camille.get("/account?saved=name&lang=en").await;
    assert!(html.contains("Your name is saved."));
    assert!(html.contains("<dd>Camille Dupont</dd>"), "{html}");
}

#[tokio::test]
async fn a_password_change_asks_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let here = app.visitor();
    here.sign_up("Camille", "camille@exemple.fr").await;
    let elsewhere = app.visitor();
    elsewhere.sign_in("camille@exemple.fr").await;
    here.get("/account").await;

    let (status, _, html) = here
        .post(
            "/account/password",
            &[
                ("current_password", "pas le bon mot de passe"),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="current_password-error""#));
    assert!(
        html.contains("Ce n&#39;est pas votre mot de passe actuel.")
            || html.contains("Ce n'est pas votre mot de passe actuel.")
    );
    let (status, _, html) = here
        .post(
            "/account/password",
            &[
                ("current_password", TEST_PASSWORD),
                ("password", "court"),
                ("password_confirm", "autre"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="password-error""#));
    assert!(html.contains(r#"id="password_confirm-error""#));
    // Nothing changed: the other device is still signed in.
    assert_eq!(elsewhere.get("/account").await.0, 200);

    let (status, location, _) = here
        .post(
            "/account/password",
            &[
                ("current_password", TEST_PASSWORD),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account?saved=password")
    );
    // This browser goes on; the other one is signed out.
    let (status, html) = here.get("/account?saved=password").await;
    assert_eq!(status, 200);
    assert!(html.contains("Vos autres sessions sont fermées"));
    assert_eq!(elsewhere.get("/account").await.0, 303);
    // The old password no longer opens the account; the new one does.
    let again = app.visitor();
    again.get("/signin").await;
    let (status, _, _) = again
        .post(
            "/signin",
            &[("email", "camille@exemple.fr"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = again
        .post(
            "/signin",
            &[("email", "camille@exemple.fr"), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 303);
}

const ENTRY: [(&str, &str); 6] = [
    ("kind", "atelier"),
    ("occurred_on", "2025-03-14"),
    ("title", "Atelier de Camille"),
    ("attendance", "12"),
    ("notes", "Notes de Camille."),
    ("is_public", "0"),
];

/// Camille leads a commune in a coalition, co-led by Dominique, who also writes in the
/// coalition's journal.
async fn camille_and_dominique(app: &TestApp) -> (Visitor, Visitor, String) {
    let coalition = app.coalition("numerique-frugal").await;
    let (camille, commune) = app
        .coalition_member(&coalition, "contributeur", "camille@exemple.fr")
        .await;
    let (dominique, _) = app
        .coalition_member(&coalition, "contributeur", "dominique@exemple.fr")
        .await;
    let dominique_id = account_id(app, "dominique@exemple.fr").await;
    reset_eval::db::add_lead(&app.pool, &commune, &dominique_id)
        .await
        .expect("co-lead");
    sqlx::query("UPDATE accounts SET display_name = 'Dominique Secret' WHERE id = $1")
        .bind(&dominique_id)
        .execute(&app.pool)
        .await
        .expect("name");
    let (status, _, body) = camille
        .post("/coalitions/numerique-frugal/journal", &ENTRY)
        .await;
    assert_eq!(status, 303, "{body}");
    let mut theirs = ENTRY;
    theirs[2] = ("title", "Atelier de Dominique");
    theirs[4] = ("notes", "Notes de Dominique.");
    let (status, _, body) = dominique
        .post("/coalitions/numerique-frugal/journal", &theirs)
        .await;
    assert_eq!(status, 303, "{body}");
    (camille, dominique, commune)
}

#[tokio::test]
async fn the_download_holds_the_accounts_data_and_nobody_elses() {
    let app = spawn_app().await;
    let (camille, _, commune) = camille_and_dominique(&app).await;
    let response = camille
        .client
        .get(format!("{}/account/data.json", camille.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    let text = response.text().await.expect("body");
    let data: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(data["account"]["email"], "camille@exemple.fr");
    assert!(data["account"].get("password_hash").is_none());
    assert_eq!(data["organisations_led"][0]["id"], commune.as_str());
    assert_eq!(data["coalitions"][0]["coalition"], "numerique-frugal");
    let entries = data["journal_entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["title"], "Atelier de Camille");
    assert_eq!(data["sessions"].as_array().expect("sessions").len(), 1);
    // Nothing of the co-lead, though they share the commune and the coalition.
    for theirs in [
        "dominique@exemple.fr",
        "Dominique Secret",
        "Atelier de Dominique",
        "Notes de Dominique",
    ] {
        assert!(!text.contains(theirs), "the download holds {theirs}");
    }
    // And only for the signed-in account.
    let anonymous = app.get("/account/data.json").await;
    assert_eq!(anonymous.status(), 303);
}

#[tokio::test]
async fn a_sole_lead_cannot_delete_their_account_until_someone_else_leads_too() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille.sign_up("Camille", "camille@exemple.fr").await;
    camille.register_commune("Villeurbanne").await;
    let (status, html) = camille.get("/account/delete").await;
    assert_eq!(status, 200);
    assert!(html.contains("Villeurbanne"));
    assert!(html.contains("seule responsable"));
    assert!(
        !html.contains(r#"action="/account/delete""#),
        "no form to send"
    );
    // Sent anyway, the server refuses it.
    let (status, _, html) = camille
        .post("/account/delete", &[("password", TEST_PASSWORD)])
        .await;
    assert_eq!(status, 409);
    assert!(
        html.contains("votre compte n&#39;est pas supprimé")
            || html.contains("votre compte n'est pas supprimé")
    );
    assert_eq!(camille.get("/account").await.0, 200, "still signed in");
    // Once a co-lead shares the commune, the same request deletes the account.
    let dominique = app.visitor();
    dominique.sign_up("Dominique", "dominique@exemple.fr").await;
    let organisation: String = sqlx::query_scalar("SELECT id FROM organisations")
        .fetch_one(&app.pool)
        .await
        .expect("commune");
    let dominique_id = account_id(&app, "dominique@exemple.fr").await;
    reset_eval::db::add_lead(&app.pool, &organisation, &dominique_id)
        .await
        .expect("co-lead");
    camille.get("/account/delete").await;
    let (status, _, _) = camille
        .post("/account/delete", &[("password", TEST_PASSWORD)])
        .await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn a_deleted_account_cannot_sign_in_and_what_it_wrote_stays_as_compte_supprime() {
    let app = spawn_app().await;
    let (camille, dominique, commune) = camille_and_dominique(&app).await;
    let camille_id = account_id(&app, "camille@exemple.fr").await;
    let (status, html) = camille.get("/account/delete").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 autre(s) responsable(s)"), "{html}");
    let (status, _, html) = camille
        .post(
            "/account/delete",
            &[("password", "pas le bon mot de passe")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="password-error""#));

    let (status, location, _) = camille
        .post("/account/delete", &[("password", TEST_PASSWORD)])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account/deleted")
    );
    assert_eq!(camille.get("/account").await.0, 303, "signed out");
    let again = app.visitor();
    again.get("/signin").await;
    let (status, _, _) = again
        .post(
            "/signin",
            &[("email", "camille@exemple.fr"), ("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(status, 422, "the account no longer signs in");

    // The commune stays with its other lead; the journal entry stays, attributed to no one.
    assert_eq!(
        dominique.get(&format!("/organisations/{commune}")).await.0,
        200
    );
    let (author, email): (String, String) = sqlx::query_as(
        "SELECT a.display_name, a.email FROM journal_entries j JOIN accounts a ON a.id = j.recorded_by
         WHERE j.title = 'Atelier de Camille'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the entry stays");
    assert!(author.starts_with("compte supprimé"));
    assert!(!email.contains("camille"));
    let leads: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisation_leads WHERE account_id = $1")
            .bind(&camille_id)
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(leads, 0);
    // The address is free again.
    let newcomer = app.visitor();
    newcomer.sign_up("Camille", "camille@exemple.fr").await;
}

#[tokio::test]
async fn an_account_that_leads_nothing_is_deleted_at_once() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille.sign_up("Camille", "camille@exemple.fr").await;
    let (status, html) = camille.get("/account/delete?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("You lead no organisation."));
    let (status, location, _) = camille
        .post("/account/delete", &[("password", TEST_PASSWORD)])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account/deleted")
    );
    let (status, html) = camille.get("/account/deleted").await;
    assert_eq!(status, 200);
    // In the language chosen before: the session went, the choice stays.
    assert!(html.contains("Account deleted"));
}

#[tokio::test]
async fn a_new_email_address_takes_effect_once_confirmed_from_it_and_the_old_one_is_told() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille.sign_up("Camille", "camille@exemple.fr").await;
    let other = app.visitor();
    other.sign_up("Dominique", "dominique@exemple.fr").await;
    camille.get("/account").await;

    // Refused beside their fields, with what was typed kept.
    let (status, _, html) = camille
        .post(
            "/account/email",
            &[
                ("new_email", "pas-une-adresse"),
                ("email_password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="new_email-error""#));
    assert!(html.contains(r#"value="pas-une-adresse""#));
    let (status, _, html) = camille
        .post(
            "/account/email",
            &[
                ("new_email", "dominique@exemple.fr"),
                ("email_password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Un autre compte utilise déjà cette adresse."));
    let (status, _, html) = camille
        .post(
            "/account/email",
            &[
                ("new_email", "camille.d@exemple.fr"),
                ("email_password", "pas le bon"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="email_password-error""#));

    let outbox = app._dir.path().join("outbox");
    let before = outbox_names(&outbox);
    let (status, location, _) = camille
        .post(
            "/account/email",
            &[
                ("new_email", "Camille.D@exemple.fr"),
                ("email_password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account?saved=email")
    );
    // Nothing changes before the link is followed.
    let (_, html) = camille.get("/account").await;
    assert!(html.contains("<dd>camille@exemple.fr</dd>"));
    let mail = wait_for_mail(
        &outbox,
        "camille.d@exemple.fr",
        "/account/email/confirm/",
        &before,
    )
    .await;
    let link = link_path(&mail, "/account/email/confirm/");

    // Another browser, not signed in, follows it: a page with a button, then the change.
    let follower = app.visitor();
    let (status, html) = follower.get(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("camille.d@exemple.fr"));
    let (status, _, html) = follower.post(&link, &[]).await;
    assert_eq!(status, 200, "{html}");
    let (_, html) = camille.get("/account").await;
    assert!(html.contains("<dd>camille.d@exemple.fr</dd>"));
    // The old address is told, with where to write if it was not its owner.
    let told = wait_for_mail(
        &outbox,
        "camille@exemple.fr",
        "camille.d@exemple.fr",
        &before,
    )
    .await;
    assert!(told.contains("/mentions-legales"), "{told}");
    // The link works once; the new address signs in.
    let (status, _, _) = follower.post(&link, &[]).await;
    assert_eq!(status, 404);
    let again = app.visitor();
    again.sign_in("camille.d@exemple.fr").await;
}

#[tokio::test]
async fn the_language_of_mails_is_chosen_on_the_account_page() {
    let app = spawn_app().await;
    let camille = app.visitor();
    camille.sign_up("Camille", "camille@exemple.fr").await;
    camille.get("/account").await;
    let (status, _, html) = camille
        .post("/account/language", &[("language", "de")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="language-error""#));
    let (status, location, _) = camille
        .post("/account/language", &[("language", "en")])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/account?saved=language")
    );
    let (_, html) = camille.get("/account").await;
    assert!(
        html.contains(r#"<option value="en" selected>English</option>"#),
        "{html}"
    );
    // The next mail is in English.
    let outbox = app._dir.path().join("outbox");
    let before = outbox_names(&outbox);
    camille
        .post(
            "/account/email",
            &[
                ("new_email", "camille.d@exemple.fr"),
                ("email_password", TEST_PASSWORD),
            ],
        )
        .await;
    let mail = wait_for_mail(
        &outbox,
        "camille.d@exemple.fr",
        "/account/email/confirm/",
        &before,
    )
    .await;
    assert!(mail.contains("Content-Language: en"), "{mail}");
    assert!(mail.contains("Confirm my new address"), "{mail}");
}

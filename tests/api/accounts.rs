//! Accounts, forms and permissions: what is refused, how, and that it changes nothing.

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_rejected_sign_up_comes_back_with_what_was_typed_and_errors_beside_the_fields() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.get("/signup").await;
    let (status, _, html) = visitor
        .post(
            "/signup",
            &[
                ("display_name", "Léa"),
                ("email", "lea@exemple"),
                ("password", "court"),
                ("password_confirm", "court"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"value="Léa""#) && html.contains(r#"value="lea@exemple""#));
    assert!(
        html.contains(r#"id="email-error""#) && html.contains(r#"aria-describedby="email-error""#)
    );
    assert!(html.contains("au moins 12 caractères"));
    assert!(
        html.contains(r##"<a href="#email">"##),
        "the summary links to the field"
    );
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn an_organisation_with_a_bad_siren_is_refused_beside_the_field_and_keeps_the_rest() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let (status, _, html) = lead
        .post(
            "/organisations",
            &[
                ("name", "Association Les Liens"),
                ("kind", "association"),
                ("departement", "69"),
                ("siren", "732829321"),
                ("size_band", "10_49"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"value="Association Les Liens""#));
    assert!(html.contains(r#"<option value="association" selected>"#));
    assert!(html.contains(r#"id="siren-error""#), "{html}");
    let organisations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(organisations, 0);
}

#[tokio::test]
async fn pages_of_a_lead_ask_visitors_to_sign_in_first() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    for path in [
        "/organisations",
        "/organisations/new",
        "/diagnostics/x/results",
    ] {
        let response = visitor
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 303, "{path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .expect("ascii")
                .starts_with("/signin?next=")
        );
    }
}

#[tokio::test]
async fn a_lead_cannot_see_or_change_another_leads_organisation() {
    let app = spawn_app().await;
    let owner = app.visitor();
    owner.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = owner.register_commune("Ville A").await;
    let diagnostic = owner.open_diagnostic(&organisation, "territoires").await;
    owner.invite(&diagnostic, "elu", "", false).await;

    let other = app.visitor();
    other.sign_up("Hugo", "hugo@exemple.fr").await;
    for path in [
        format!("/organisations/{organisation}"),
        format!("/organisations/{organisation}/edit"),
        format!("/diagnostics/{diagnostic}"),
        format!("/diagnostics/{diagnostic}/results"),
        format!("/diagnostics/{diagnostic}/results.csv"),
        format!("/diagnostics/{diagnostic}/results.json"),
    ] {
        let (status, _) = other.get(&path).await;
        assert!(status == 403 || status == 404, "{path}: {status}");
    }
    let posts = [
        (
            format!("/organisations/{organisation}/edit"),
            vec![
                ("name", "Volée"),
                ("kind", "commune"),
                ("departement", "69"),
            ],
        ),
        (
            format!("/organisations/{organisation}/diagnostics"),
            vec![("questionnaire", "territoires")],
        ),
        (
            format!("/diagnostics/{diagnostic}/invitations"),
            vec![("role", "elu"), ("label", ""), ("shared", "0")],
        ),
    ];
    for (path, fields) in &posts {
        let (status, _, _) = other.post(path, fields).await;
        assert!(status == 403 || status == 404, "{path}: {status}");
    }
    let (_, page) = owner.get(&format!("/diagnostics/{diagnostic}")).await;
    let invitation = page
        .split(r#"id="invitation-"#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an invitation")
        .to_owned();
    let (status, _, _) = other
        .post(
            &format!("/diagnostics/{diagnostic}/invitations/{invitation}/revoke"),
            &[],
        )
        .await;
    assert!(status == 403 || status == 404);

    // Nothing changed.
    let name: String = sqlx::query_scalar("SELECT name FROM organisations")
        .fetch_one(&app.pool)
        .await
        .expect("name");
    assert_eq!(name, "Ville A");
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM diagnostics), (SELECT COUNT(*) FROM invitations), (SELECT COUNT(*) FROM invitations WHERE revoked_at IS NOT NULL)",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!(counts, (1, 1, 0));
    let (_, list) = other.get("/organisations").await;
    assert!(!list.contains("Ville A"));
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let (status, _, html) = lead
        .post_raw(
            "/organisations",
            &[
                ("name", "Ville B"),
                ("kind", "commune"),
                ("departement", "69"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    assert!(html.contains("Ce formulaire a expiré"));
    let (status, _, _) = lead
        .post_raw(
            "/organisations",
            &[
                ("_csrf", "0000"),
                ("name", "Ville B"),
                ("kind", "commune"),
                ("departement", "69"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    let organisations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(organisations, 0);
}

#[tokio::test]
async fn sign_in_works_and_repeated_failures_are_slowed_down() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;
    let visitor = app.visitor();
    visitor.get("/signin").await;
    for _ in 0..5 {
        let (status, _, html) = visitor
            .post(
                "/signin",
                &[
                    ("email", "lea@exemple.fr"),
                    ("password", "pas le bon mot de passe"),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("Adresse e-mail ou mot de passe incorrect"));
    }
    let (status, _, html) = visitor
        .post(
            "/signin",
            &[
                ("email", "lea@exemple.fr"),
                ("password", "une phrase de passe solide"),
            ],
        )
        .await;
    assert_eq!(status, 429, "even the right password waits");
    assert!(html.contains("Trop de tentatives"));

    let fresh = app.visitor();
    fresh.get("/signin").await;
    let (status, location, _) = fresh
        .post(
            "/signin",
            &[
                ("email", "hugo@exemple.fr"),
                ("password", "une phrase de passe solide"),
                ("next", "/organisations"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{location}");
}

#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for_and_never_to_another_site() {
    let app = spawn_app().await;
    app.visitor().sign_up("Léa", "lea@exemple.fr").await;
    let visitor = app.visitor();
    visitor.get("/signin?next=/organisations/new").await;
    let (status, location, _) = visitor
        .post(
            "/signin",
            &[
                ("email", "Lea@Exemple.fr "),
                ("password", "une phrase de passe solide"),
                ("next", "/organisations/new"),
            ],
        )
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/organisations/new")
    );
    let other = app.visitor();
    other.get("/signin").await;
    let (_, location, _) = other
        .post(
            "/signin",
            &[
                ("email", "lea@exemple.fr"),
                ("password", "une phrase de passe solide"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(location, "/organisations");
}

#[tokio::test]
async fn an_oversized_request_body_is_refused() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.get("/signup").await;
    let big = "x".repeat(300 * 1024);
    let (status, _, _) = visitor
        .post("/signup", &[("display_name", big.as_str())])
        .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn the_demo_lead_sees_the_demo_organisations_and_their_results() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let lead = app.visitor();
    lead.get("/signin").await;
    let (status, _, _) = lead
        .post(
            "/signin",
            &[
                ("email", reset_eval::app::demo::DEMO_LEAD_EMAIL),
                ("password", reset_eval::app::demo::DEMO_LEAD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, list) = lead.get("/organisations").await;
    assert!(list.contains("Métropole de Rivemont"));
    let id = list
        .split("/organisations/")
        .find(|s| s.contains("Métropole de Rivemont"))
        .and_then(|s| s.split('"').next())
        .expect("link")
        .to_owned();
    let (_, organisation) = lead.get(&format!("/organisations/{id}")).await;
    let diagnostic = organisation
        .split("/diagnostics/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a diagnostic")
        .to_owned();
    let (status, results) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert_eq!(status, 200);
    // Rivemont answered in 2025 and 2026: the page shows the change, on comparable questions.
    assert!(results.contains("Évolution calculée sur"), "{results}");
    assert!(results.contains("Voir les questions comparées"));
    // Six respondents, two of them DSI: roles with fewer than 3 people are not shown apart.
    assert!(results.contains("<strong>6</strong> répondant·es"));
}

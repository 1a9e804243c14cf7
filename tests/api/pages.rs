use crate::helpers::spawn_app;
use reset_eval::app::demo;

#[tokio::test]
async fn the_landing_page_is_in_french_by_default_and_lists_the_questionnaires() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="fr">"#));
    assert!(html.contains("Les 7 qualités"));
    for q in app.registry.latest_all() {
        assert!(html.contains(&q.title.fr), "missing {}", q.title.fr);
        assert!(html.contains(&format!("/questionnaires/{}/{}", q.slug, q.version)));
    }
}

#[tokio::test]
async fn the_landing_page_follows_accept_language() {
    let app = spawn_app().await;
    let html = app
        .client
        .get(format!("{}/", app.address))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("The 7 qualities"));
    for q in app.registry.latest_all() {
        assert!(html.contains(&q.title.en));
    }
}

#[tokio::test]
async fn a_language_chosen_with_the_switch_is_remembered() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let first = client
        .get(format!("{}/?lang=en", app.address))
        .send()
        .await
        .expect("sent");
    assert!(first.headers().get("set-cookie").is_some());
    assert!(
        first
            .text()
            .await
            .expect("body")
            .contains(r#"<html lang="en">"#)
    );
    // No query, a French browser: the choice made before wins.
    let next = client
        .get(format!("{}/questionnaires/territoires/v1", app.address))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert!(next.contains(r#"<html lang="en">"#));
    // And the switch offers the way back.
    assert!(next.contains(r#"href="/questionnaires/territoires/v1?lang=fr""#));
}

#[tokio::test]
async fn the_landing_page_shows_the_demo_figures() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry)
        .await
        .expect("demo loads");
    let (_, html) = app.get_html("/").await;
    assert!(html.contains("<strong>18</strong> coalitions"), "{html}");
    let overview = reset_eval::db::overview(&app.pool).await.expect("overview");
    assert!(
        overview.organisations > 7,
        "the coalitions' members are organisations too"
    );
    assert!(html.contains(&format!(
        "<strong>{}</strong> organisations et territoires",
        overview.organisations
    )));
}

#[tokio::test]
async fn a_questionnaire_page_lists_every_question_with_why_it_matters() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/questionnaires/territoires/v1").await;
    assert_eq!(status, 200);
    let q = app.registry.get("territoires", "v1").expect("shipped");
    for question in &q.questions {
        let text = maud::html! { (question.text.fr) }.into_string();
        assert!(html.contains(&text), "missing question {}", question.id);
    }
    assert_eq!(
        html.matches("Pourquoi c'est important :").count(),
        q.questions.len()
    );
}

#[tokio::test]
async fn an_unknown_page_answers_404_in_the_persons_language() {
    let app = spawn_app().await;
    for path in ["/questionnaires/territoires/v99", "/nulle-part"] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains(r#"<html lang="fr">"#), "{path}");
        assert!(
            html.contains("Cette page n'existe pas") && !html.contains("This page does not exist"),
            "{path}: {html}"
        );
        let (status, html) = app.get_html(&format!("{path}?lang=en")).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains(r#"<html lang="en">"#), "{path}");
        assert!(
            html.contains("This page does not exist") && !html.contains("Cette page n'existe pas"),
            "{path}: {html}"
        );
    }
}

#[tokio::test]
async fn a_refused_page_says_so_in_the_persons_language() {
    let app = spawn_app().await;
    // A signed-in person opening another account's organisation.
    let owner = app.visitor();
    owner
        .sign_up("Odile Propre", "odile.propre@exemple.fr")
        .await;
    let organisation = owner.register_commune("Ville d'Odile").await;
    let other = app.visitor();
    other.sign_up("Oscar Autre", "oscar.autre@exemple.fr").await;
    let (status, html) = other.get(&format!("/organisations/{organisation}")).await;
    assert_eq!(status, 403);
    assert!(
        html.contains("Vous n'avez pas accès") && !html.contains("You do not have access"),
        "{html}"
    );
    let (status, html) = other
        .get(&format!("/organisations/{organisation}?lang=en"))
        .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("You do not have access") && !html.contains("Vous n'avez pas accès"),
        "{html}"
    );
}

#[tokio::test]
async fn pages_load_nothing_from_elsewhere_and_run_no_script() {
    let app = spawn_app().await;
    for path in ["/", "/questionnaires/organisations/v1"] {
        let response = app.get(path).await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
        let html = response.text().await.expect("body");
        assert!(!html.contains("<script"));
        for attribute in [r#"src="http"#, r#"href="//"#] {
            assert!(!html.contains(attribute), "{path} loads {attribute}");
        }
        assert!(html.contains(r#"<link rel="stylesheet" href="/static/style.css">"#));
        // Light pages: well under 50 KB with the stylesheet.
        let css = app
            .get("/static/style.css")
            .await
            .text()
            .await
            .expect("css");
        assert!(
            html.len() + css.len() < 50_000,
            "{path}: {} bytes",
            html.len() + css.len()
        );
    }
}

#[tokio::test]
async fn every_page_has_a_skip_link_and_one_main_heading() {
    let app = spawn_app().await;
    for path in ["/", "/questionnaires/coalitions/v1"] {
        let (_, html) = app.get_html(path).await;
        assert!(
            html.contains(r##"<a class="skip-link" href="#contenu">"##),
            "{path}"
        );
        assert!(
            html.contains(r#"<main class="wrap" id="contenu""#),
            "{path}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{path}");
    }
}

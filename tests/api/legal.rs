//! The pages every French public-facing service has, the footer that links them, the icon,
//! and `HEAD` on every `GET` route.

use crate::helpers::{shipped_questionnaires, spawn_app, spawn_app_configured};

const LEGAL_PAGES: [&str; 4] = [
    "/mentions-legales",
    "/donnees-personnelles",
    "/accessibilite",
    "/plan-du-site",
];

#[tokio::test]
async fn each_legal_page_answers_in_french_and_in_english() {
    let app = spawn_app().await;
    let expected = [
        (
            "/mentions-legales",
            "Directeur ou directrice de la publication",
            "Publication director",
        ),
        ("/donnees-personnelles", "Base légale", "Legal basis"),
        (
            "/accessibilite",
            "partiellement conforme",
            "partially compliant",
        ),
        ("/plan-du-site", "Une fois connecté·e", "Once signed in"),
    ];
    for (path, fr, en) in expected {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(r#"<html lang="fr">"#), "{path}");
        assert!(html.contains(fr), "{path} lacks « {fr} »");
        let (status, html) = app.get_html(&format!("{path}?lang=en")).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(r#"<html lang="en">"#), "{path}");
        assert!(html.contains(en), "{path} lacks “{en}”");
    }
}

#[tokio::test]
async fn an_unconfigured_operator_shows_placeholders_naming_the_settings() {
    let app = spawn_app().await;
    let (_, html) = app.get_html("/mentions-legales").await;
    for setting in [
        "APP_OPERATOR_NAME",
        "APP_OPERATOR_ADDRESS",
        "APP_OPERATOR_EMAIL",
        "APP_OPERATOR_DIRECTOR",
        "APP_OPERATOR_HOST",
    ] {
        assert!(html.contains(setting), "{setting} is not named");
    }
    assert!(
        html.contains("[Nom de l&#39;opérateur — à configurer : APP_OPERATOR_NAME]")
            || html.contains("[Nom de l'opérateur — à configurer : APP_OPERATOR_NAME]")
    );
}

#[tokio::test]
async fn the_configured_operator_is_named_and_the_retention_said() {
    let app = spawn_app_configured(shipped_questionnaires(), |s| {
        s.operator_name = "Agence du numérique solidaire".into();
        s.operator_address = "12 rue de la Paix, 75002 Paris".into();
        s.operator_email = "dpo@exemple.fr".into();
        s.operator_director = "Alex Martin".into();
        s.operator_host = "Hébergeur SAS, 1 quai de Seine, 75019 Paris, 01 23 45 67 89".into();
        s.retention_unsubmitted_months = 7;
    })
    .await;
    let (_, html) = app.get_html("/mentions-legales").await;
    for text in [
        "Agence du numérique solidaire",
        "12 rue de la Paix, 75002 Paris",
        r#"href="mailto:dpo@exemple.fr""#,
        "Alex Martin",
        "Hébergeur SAS",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(!html.contains("à configurer"));
    let (_, html) = app.get_html("/donnees-personnelles").await;
    assert!(
        html.contains("effacées 7 mois après le dernier enregistrement"),
        "{html}"
    );
    assert!(html.contains("www.cnil.fr/fr/plaintes"));
    assert!(html.contains(r#"href="/account""#));
    let (_, html) = app.get_html("/donnees-personnelles?lang=en").await;
    assert!(html.contains("erased 7 months after they were last saved"));
    let (_, html) = app.get_html("/accessibilite").await;
    assert!(html.contains("Défenseur des droits"));
    assert!(
        html.contains("Agence du numérique solidaire s&#39;engage")
            || html.contains("Agence du numérique solidaire s'engage")
    );
}

fn assert_footer(path: &str, html: &str) {
    let footer = html
        .split(r#"<footer class="site-footer">"#)
        .nth(1)
        .unwrap_or_else(|| panic!("{path} has no footer"));
    for link in LEGAL_PAGES {
        assert!(
            footer.contains(&format!(r#"href="{link}""#)),
            "the footer of {path} lacks {link}"
        );
    }
    assert!(
        footer.contains("Accessibilité : partiellement conforme")
            || footer.contains("Accessibility: partially compliant")
    );
}

#[tokio::test]
async fn every_page_links_the_legal_pages_from_its_footer() {
    let app = spawn_app().await;
    let mut public = vec![
        "/".to_owned(),
        "/coalitions".to_owned(),
        "/signin".to_owned(),
        "/signup".to_owned(),
        "/no-such-page".to_owned(),
    ];
    public.extend(LEGAL_PAGES.iter().map(|p| p.to_string()));
    public.extend(
        app.registry
            .latest_all()
            .map(|q| format!("/questionnaires/{}/{}", q.slug, q.version)),
    );
    for path in &public {
        let (_, html) = app.get_html(path).await;
        assert_footer(path, &html);
    }
    let lead = app.visitor();
    lead.sign_up("Camille", "camille@exemple.fr").await;
    let organisation = lead.register_commune("Lyon").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&diagnostic, "elu", "Élus", false).await;
    for path in [
        "/account".to_owned(),
        "/organisations".to_owned(),
        format!("/organisations/{organisation}"),
        format!("/diagnostics/{diagnostic}"),
    ] {
        let (status, html) = lead.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_footer(&path, &html);
    }
    let (status, html) = app.get_html(&format!("/r/{token}")).await;
    assert_eq!(status, 200);
    assert_footer("/r/…", &html);
    // The respondent's introduction and the sign-up form say where their data is explained.
    assert!(html.contains(r#"href="/donnees-personnelles""#));
    let (_, html) = app.get_html("/signup").await;
    let main = html.split("<main").nth(1).expect("main");
    assert!(
        main.split("</main>")
            .next()
            .expect("main")
            .contains(r#"href="/donnees-personnelles""#)
    );
}

#[tokio::test]
async fn the_favicon_is_a_small_icon_of_our_own() {
    let app = spawn_app().await;
    let response = app.get("/favicon.ico").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().expect("ascii"),
        "image/x-icon"
    );
    let bytes = response.bytes().await.expect("body");
    assert_eq!(
        &bytes[..4],
        &[0, 0, 1, 0],
        "an ICO file starts with 00 00 01 00"
    );
    assert!(bytes.len() < 10_000);
}

#[tokio::test]
async fn head_answers_every_public_get_route_as_get_does_without_a_body() {
    let app = spawn_app().await;
    let mut paths: Vec<String> = [
        "/",
        "/health",
        "/coalitions",
        "/coalitions/new",
        "/signin",
        "/signup",
        "/account",
        "/organisations",
        "/favicon.ico",
        "/static/style.css",
        "/no-such-page",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    paths.extend(LEGAL_PAGES.iter().map(|p| p.to_string()));
    paths.extend(
        app.registry
            .latest_all()
            .map(|q| format!("/questionnaires/{}/{}", q.slug, q.version)),
    );
    for path in &paths {
        let get = app.get(path).await;
        let get_status = get.status();
        let get_type = get.headers().get("content-type").cloned();
        let head = app
            .client
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(head.status(), get_status, "HEAD {path}");
        assert_eq!(
            head.headers().get("content-type").cloned(),
            get_type,
            "HEAD {path}"
        );
        assert!(
            head.bytes().await.expect("body").is_empty(),
            "HEAD {path} sent a body"
        );
    }
    let head = app
        .client
        .head(format!("{}/", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(head.status(), 200);
}

//! The coalitions' public pages.

use crate::helpers::spawn_app;
use reset_eval::app::demo;

#[tokio::test]
async fn the_coalitions_are_listed_by_family() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let (status, html) = app.get_html("/coalitions").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches(r#"<li class="card">"#).count(), 18);
    for family in [
        "Environnement et soutenabilité (5)",
        "Démocratie, éthique et libertés (6)",
        "Inclusion, capacitation, éducation, émancipation (7)",
    ] {
        assert!(html.contains(family), "{family}");
    }
    assert!(html.contains(r#"href="/coalitions/achat-public-responsable""#));
}

#[tokio::test]
async fn a_coalition_page_shows_its_narrative_members_and_phase_1_results() {
    let app = spawn_app().await;
    demo::load(&app.pool, &app.registry).await.expect("demo");
    let (status, html) = app.get_html("/coalitions/civic-tech-democratie").await;
    assert_eq!(status, 200);
    for expected in [
        "Le problème",
        "L'impact recherché",
        "Le récit de transformation",
        "Les leviers",
        "Les membres",
        "types d'acteurs sur 5",
        "Autodiagnostic de phase 1",
        "<svg",
        "Accords et désaccords",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    let (_, english) = app
        .get_html("/coalitions/civic-tech-democratie?lang=en")
        .await;
    assert!(
        english.contains("The transformation narrative")
            && english.contains("Phase 1 self-diagnostic")
    );
    // A coalition that has not taken its self-diagnostic says so.
    let (_, other) = app.get_html("/coalitions/reparabilite").await;
    assert!(other.contains("pas encore fait son autodiagnostic"));
    assert_eq!(app.get_html("/coalitions/inconnue").await.0, 404);
}

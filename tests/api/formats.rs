//! What every page shares: dates written as each language writes them, French text people
//! typed marked as French on English pages, wide tables in a named scroll region.

use crate::helpers::spawn_app;

const SLUG: &str = "formats";
const STATEMENT: &str = "Les acheteurs <publics> intègrent des critères communs.";

#[tokio::test]
async fn a_goal_typed_in_french_is_marked_french_on_the_english_page_with_its_date_in_words() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let (porteur, _) = app
        .coalition_member(&coalition_id, "porteur", "porteur@example.org")
        .await;
    let (status, _, body) = porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[
                ("statement", STATEMENT),
                ("horizon", "2027-12-01"),
                ("qualities", "frugal"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let escaped = "Les acheteurs &lt;publics&gt; intègrent des critères communs.";

    let visitor = app.visitor();
    let (status, en) = visitor.get(&format!("/coalitions/{SLUG}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(
        en.contains(&format!(r#"<span lang="fr">{escaped}</span>"#)),
        "{en}"
    );
    assert!(en.contains("1 December 2027"), "{en}");
    assert!(!en.contains(">2027-12-01<"));

    let (_, fr) = visitor.get(&format!("/coalitions/{SLUG}?lang=fr")).await;
    assert!(
        fr.contains(escaped) && !fr.contains(r#"<span lang="fr">"#),
        "{fr}"
    );
    assert!(fr.contains("1er décembre 2027"), "{fr}");
}

#[tokio::test]
async fn the_members_table_scrolls_in_a_region_named_by_its_heading() {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let (porteur, _) = app
        .coalition_member(&coalition_id, "porteur", "porteur@example.org")
        .await;
    let (status, html) = porteur.get(&format!("/coalitions/{SLUG}/members")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(
        r#"<div class="table-scroll" role="region" aria-labelledby="current-members" tabindex="0"><table>"#
    ), "{html}");
    assert!(html.contains(r#"<h2 id="current-members">"#));
    // Every table of the page is in such a region.
    assert_eq!(
        html.matches("<table").count(),
        html.matches(r#"role="region" aria-labelledby="#).count()
    );
}

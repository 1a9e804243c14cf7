//! The staff's validation queue (issue 14): every submitted measurement across coalitions,
//! the longest waiting first, for staff only; several validated or sent back at once (sending
//! back needs its comment); a measurement decided by someone else since the page was shown
//! is reported, never overwritten.

use crate::helpers::{TestApp, Visitor, hidden_fields, spawn_app};
use reset_eval::db;
use reset_eval::domain::indicator::measurement::MeasurementStatus;

struct Queue {
    app: TestApp,
    staff: Visitor,
    /// The porteur of each coalition, by slug.
    porteurs: Vec<(String, Visitor)>,
}

async fn queue() -> Queue {
    let app = spawn_app().await;
    let mut porteurs = Vec::new();
    for slug in ["alpha", "beta"] {
        let id = app.coalition(slug).await;
        let (porteur, _) = app
            .coalition_member(&id, "porteur", &format!("porteur-{slug}@example.org"))
            .await;
        porteurs.push((slug.to_owned(), porteur));
    }
    let staff = app.staff("equipe@example.org").await;
    Queue {
        app,
        staff,
        porteurs,
    }
}

/// An indicator coded `code` in the coalition `slug`, through its forms; its id.
async fn indicator(q: &Queue, slug: &str, code: &str) -> String {
    let porteur = &q
        .porteurs
        .iter()
        .find(|(s, _)| s == slug)
        .expect("porteur")
        .1;
    let (status, _, body) = porteur
        .post(
            &format!("/coalitions/{slug}/goals"),
            &[
                ("statement", "Un objectif."),
                ("horizon", "2027-12-31"),
                ("qualities", "frugal"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let coalition = db::coalition_by_slug(&q.app.pool, slug)
        .await
        .expect("read")
        .expect("coalition");
    let goal = db::goals(&q.app.pool, &coalition.id).await.expect("goals")[0]
        .id
        .clone();
    let (status, location, body) = porteur
        .post(
            &format!("/coalitions/{slug}/goals/{goal}/indicators"),
            &[
                ("code", code),
                ("name", &format!("Indicateur {code}")),
                ("definition", "Ce qui est compté."),
                ("level", "output"),
                ("measure", "count"),
                ("unit", "ateliers"),
                ("direction", "increase"),
                ("combination", "cumulative_sum"),
                ("periodicity", "annuelle"),
                ("verification", "Feuilles d'émargement"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location.rsplit('/').next().expect("id").to_owned()
}

/// A measurement submitted by the coalition's porteur, stamped as submitted at `at`.
async fn submitted(q: &Queue, slug: &str, indicator: &str, value: &str, at: &str) -> String {
    let porteur = &q
        .porteurs
        .iter()
        .find(|(s, _)| s == slug)
        .expect("porteur")
        .1;
    let (status, location, body) = porteur
        .post(
            &format!("/coalitions/{slug}/indicators/{indicator}/measurements"),
            &[
                ("measured_on", "2024-12-31"),
                ("value", value),
                (
                    "evidence_url",
                    &format!("https://example.org/preuve-{value}"),
                ),
                ("intent", "submitted"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let id = location.rsplit('/').next().expect("id").to_owned();
    sqlx::query("UPDATE measurement_revisions SET recorded_at = $1 WHERE measurement_id = $2")
        .bind(at)
        .bind(&id)
        .execute(&q.app.pool)
        .await
        .expect("stamped");
    id
}

async fn status_of(q: &Queue, id: &str) -> (MeasurementStatus, String) {
    let current = db::current_measurements(&q.app.pool)
        .await
        .expect("read")
        .into_iter()
        .find(|r| r.measurement_id == id)
        .expect("measurement");
    (current.status, current.comment)
}

/// The queue's hidden fields and the `(box value)` of each listed measurement, in order.
fn boxes(html: &str) -> Vec<String> {
    html.split(r#"name="measurement" value=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

fn box_of(boxes: &[String], id: &str) -> String {
    boxes
        .iter()
        .find(|b| b.starts_with(&format!("{id}:")))
        .cloned()
        .expect("listed")
}

#[tokio::test]
async fn the_queue_lists_every_submitted_measurement_oldest_first_for_staff_only() {
    let q = queue().await;
    let a = indicator(&q, "alpha", "A-1").await;
    let b = indicator(&q, "beta", "B-1").await;
    let newest = submitted(&q, "alpha", &a, "7", "2026-12-03T10:00:00Z").await;
    let oldest = submitted(&q, "beta", &b, "3", "2026-12-01T10:00:00Z").await;
    let middle = submitted(&q, "alpha", &a, "5", "2026-12-02T10:00:00Z").await;
    // A draft is not waiting for anyone.
    let porteur = &q.porteurs[0].1;
    let (status, _, _) = porteur
        .post(
            &format!("/coalitions/alpha/indicators/{a}/measurements"),
            &[
                ("measured_on", "2024-06-30"),
                ("value", "99"),
                ("intent", "draft"),
            ],
        )
        .await;
    assert_eq!(status, 303);

    let (status, html) = q.staff.get("/programme/validation").await;
    assert_eq!(status, 200);
    let listed: Vec<String> = boxes(&html)
        .iter()
        .map(|b| b.split(':').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(listed, [oldest.clone(), middle, newest]);
    assert!(html.contains("3 mesures soumises"));
    assert!(
        html.contains("https://example.org/preuve-3"),
        "its evidence"
    );
    assert!(html.contains("Aucune mesure validée avant celle-ci."));
    assert!(!html.contains("99 ateliers"));
    // The box's label names what it decides on.
    assert!(html.contains(r#"<label for="measurement">"#));

    // Only staff: a porteur is refused, an anonymous visitor sent to sign in; the same for
    // the form.
    assert_eq!(porteur.get("/programme/validation").await.0, 403);
    let (status, _, _) = porteur
        .post(
            "/programme/validation",
            &[("measurement", &format!("{oldest}:1")), ("to", "validated")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(status_of(&q, &oldest).await.0, MeasurementStatus::Submitted);
    assert_eq!(q.app.visitor().get("/programme/validation").await.0, 303);

    // The coalition page's count is a link to the queue for staff.
    let (_, page) = q.staff.get("/coalitions/alpha").await;
    assert!(
        page.contains(r#"<a href="/programme/validation">2 mesures en attente de validation"#),
        "{page}"
    );
    let (_, page) = porteur.get("/coalitions/beta").await;
    assert!(!page.contains("en attente de validation"));
    let (_, english) = q.staff.get("/programme/validation?lang=en").await;
    assert!(english.contains("3 measurements submitted"));
}

#[tokio::test]
async fn staff_validate_several_at_once_and_send_one_back_only_with_a_comment() {
    let q = queue().await;
    let a = indicator(&q, "alpha", "A-1").await;
    let first = submitted(&q, "alpha", &a, "2", "2026-12-01T10:00:00Z").await;
    let second = submitted(&q, "alpha", &a, "4", "2026-12-02T10:00:00Z").await;
    let third = submitted(&q, "alpha", &a, "6", "2026-12-03T10:00:00Z").await;
    let (_, html) = q.staff.get("/programme/validation").await;
    let listed = boxes(&html);

    let (status, _, html) = q
        .staff
        .post(
            "/programme/validation",
            &[
                ("measurement", &box_of(&listed, &first)),
                ("measurement", &box_of(&listed, &second)),
                ("to", "validated"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("2 mesures enregistrées."));
    assert_eq!(status_of(&q, &first).await.0, MeasurementStatus::Validated);
    assert_eq!(status_of(&q, &second).await.0, MeasurementStatus::Validated);
    assert_eq!(boxes(&html).len(), 1, "the third still waits");
    assert!(
        html.contains("Mesures validées : 2 ateliers"),
        "its indicator's history"
    );

    // Sending back without a comment: refused beside the comment, nothing written, the box
    // still ticked.
    let third_box = box_of(&boxes(&html), &third);
    let (status, _, html) = q
        .staff
        .post(
            "/programme/validation",
            &[
                ("measurement", &third_box),
                ("to", "draft"),
                ("comment", "  "),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="comment-error""#));
    assert!(html.contains(&format!(r#"value="{third_box}" checked"#)));
    assert_eq!(status_of(&q, &third).await.0, MeasurementStatus::Submitted);
    // Nothing ticked: said, nothing written.
    let (status, _, html) = q
        .staff
        .post("/programme/validation", &[("to", "validated")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="measurement-error""#));

    let (status, _, html) = q
        .staff
        .post(
            "/programme/validation",
            &[
                ("measurement", &third_box),
                ("to", "draft"),
                ("comment", "La preuve ne couvre pas décembre."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 mesure enregistrée."));
    assert_eq!(
        status_of(&q, &third).await,
        (
            MeasurementStatus::Draft,
            "La preuve ne couvre pas décembre.".to_owned()
        )
    );
    assert!(html.contains("Aucune mesure n'attend de validation."));
}

#[tokio::test]
async fn a_measurement_decided_by_someone_else_meanwhile_is_reported_not_overwritten() {
    let q = queue().await;
    let a = indicator(&q, "alpha", "A-1").await;
    let first = submitted(&q, "alpha", &a, "2", "2026-12-01T10:00:00Z").await;
    let second = submitted(&q, "alpha", &a, "4", "2026-12-02T10:00:00Z").await;
    // Two staff open the queue; the other one validates the first measurement.
    let other = q.app.staff("autre@example.org").await;
    let (_, mine) = q.staff.get("/programme/validation").await;
    let listed = boxes(&mine);
    assert!(
        hidden_fields(&mine, "/programme/validation")
            .iter()
            .any(|(n, _)| n == "_csrf")
    );
    let (_, theirs) = other.get("/programme/validation").await;
    let (status, _, _) = other
        .post(
            "/programme/validation",
            &[
                ("measurement", &box_of(&boxes(&theirs), &first)),
                ("to", "validated"),
            ],
        )
        .await;
    assert_eq!(status, 200);

    // Sending both back from the older page: the first is reported as already decided and
    // stays validated; the second is sent back.
    let (status, _, html) = q
        .staff
        .post(
            "/programme/validation",
            &[
                ("measurement", &box_of(&listed, &first)),
                ("measurement", &box_of(&listed, &second)),
                ("to", "draft"),
                ("comment", "Il manque la preuve."),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("1 mesure enregistrée."));
    assert!(html.contains("1 mesure n'a pas été changée"));
    assert!(html.contains("déjà décidée par quelqu'un d'autre"));
    assert!(html.contains("Validée") && html.contains("Rien n'a été écrasé."));
    assert_eq!(status_of(&q, &first).await.0, MeasurementStatus::Validated);
    assert_eq!(status_of(&q, &second).await.0, MeasurementStatus::Draft);
    // A box without the revision it showed is stale as well.
    let third = submitted(&q, "alpha", &a, "6", "2026-12-03T10:00:00Z").await;
    let (status, _, _) = q
        .staff
        .post(
            "/programme/validation",
            &[("measurement", third.as_str()), ("to", "validated")],
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(status_of(&q, &third).await.0, MeasurementStatus::Submitted);
}

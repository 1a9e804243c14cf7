//! Notifications derived from the data by the worker's tasks: a daily digest of submitted
//! measurements to the coalition's porteurs and staff (one mail, however many measurements),
//! a measurement sent back to its author with the comment, an invitation to join a coalition
//! to the organisation's leads. Each mail goes out once.

use crate::helpers::{TestApp, Visitor, spawn_app};
use crate::mailbox::{self, mails_titled, mails_titled_settled, worker};
use reset_eval::app::notifications::{
    send_coalition_invitations, send_measurement_decisions, send_measurement_digest,
};
use time::{Duration, OffsetDateTime};

const SLUG: &str = "essai";
const PORTEUR: &str = "porteur@example.org";
const STAFF: &str = "equipe@example.org";
const CONTRIBUTOR: &str = "contrib@example.org";

struct Coalition {
    app: TestApp,
    porteur: Visitor,
    staff: Visitor,
    contributor: Visitor,
    indicator_id: String,
}

async fn coalition_with_indicator() -> Coalition {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let (porteur, _) = app
        .coalition_member(&coalition_id, "porteur", PORTEUR)
        .await;
    let (contributor, _) = app
        .coalition_member(&coalition_id, "contributeur", CONTRIBUTOR)
        .await;
    let staff = app.staff(STAFF).await;
    let (status, _, body) = porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[
                (
                    "statement",
                    "Les acheteurs publics intègrent des critères communs.",
                ),
                ("horizon", "2027-12-31"),
                ("qualities", "frugal"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let goal_id = reset_eval::db::goals(&app.pool, &coalition_id)
        .await
        .expect("goals")
        .last()
        .expect("a goal")
        .id
        .clone();
    let (status, location, body) = porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal_id}/indicators"),
            &[
                ("code", "apr-1"),
                ("name", "Marchés avec critères"),
                (
                    "definition",
                    "Marchés notifiés comportant les critères communs.",
                ),
                ("level", "outcome"),
                ("measure", "count"),
                ("unit", "marchés"),
                ("direction", "increase"),
                ("combination", "last_value"),
                ("periodicity", "annuelle"),
                ("verification", "Registre des marchés"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let indicator_id = location.rsplit('/').next().expect("an id").to_owned();
    Coalition {
        app,
        porteur,
        staff,
        contributor,
        indicator_id,
    }
}

/// Submits a measurement as the contributor; returns its id.
async fn submit_measurement(c: &Coalition, measured_on: &str, value: &str) -> String {
    let (status, location, body) = c
        .contributor
        .post(
            &format!(
                "/coalitions/{SLUG}/indicators/{}/measurements",
                c.indicator_id
            ),
            &[
                ("measured_on", measured_on),
                ("value", value),
                ("evidence_url", "https://example.org/preuve"),
                ("intent", "submitted"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location.rsplit('/').next().expect("an id").to_owned()
}

fn tomorrow() -> OffsetDateTime {
    OffsetDateTime::now_utc() + Duration::days(1)
}

#[tokio::test]
async fn a_digest_with_two_submitted_measurements_is_one_mail_to_each_porteur_and_staff() {
    let c = coalition_with_indicator().await;
    let context = worker(&c.app);
    // The first run marks where the task starts (the app's own worker may have done it).
    send_measurement_digest(&context, OffsetDateTime::now_utc())
        .await
        .expect("runs");
    let first = submit_measurement(&c, "2022-12-31", "30").await;
    let second = submit_measurement(&c, "2023-12-31", "35").await;

    let queued = send_measurement_digest(&context, tomorrow())
        .await
        .expect("runs");
    assert_eq!(queued, 2, "one digest for the porteur, one for staff");
    let all = mails_titled(&c.app, "Mesures à valider", 2).await;
    for address in [PORTEUR, STAFF] {
        let digests = mailbox::to(&all, address);
        assert_eq!(digests.len(), 1, "{all:#?}");
        let text = &digests[0].text;
        assert_eq!(digests[0].subject, "Mesures à valider : 2");
        assert!(
            text.contains(&format!("/coalitions/{SLUG}/measurements/{first}")),
            "{text}"
        );
        assert!(
            text.contains(&format!("/coalitions/{SLUG}/measurements/{second}")),
            "{text}"
        );
    }
    // The contributor is not a porteur: no digest.
    assert!(mailbox::to(&all, CONTRIBUTOR).is_empty());

    // Run again: the same measurements are not sent twice.
    let again = send_measurement_digest(&context, tomorrow() + Duration::hours(1))
        .await
        .expect("runs");
    assert_eq!(again, 0);
    assert_eq!(
        mails_titled_settled(&c.app, "Mesures à valider")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_measurement_sent_back_tells_its_author_with_the_comment() {
    let c = coalition_with_indicator().await;
    let context = worker(&c.app);
    send_measurement_decisions(&context, OffsetDateTime::now_utc())
        .await
        .expect("runs");
    let measurement = submit_measurement(&c, "2022-12-31", "30").await;
    let (status, _, body) = c
        .staff
        .post(
            &format!("/coalitions/{SLUG}/measurements/{measurement}/status"),
            &[
                ("to", "draft"),
                ("revision", "1"),
                ("comment", "Il manque le registre signé."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    let queued = send_measurement_decisions(&context, tomorrow())
        .await
        .expect("runs");
    assert_eq!(queued, 1);
    let all = mails_titled(&c.app, "Mesure renvoyée", 1).await;
    let to_author = mailbox::to(&all, CONTRIBUTOR);
    assert_eq!(to_author.len(), 1, "{all:#?}");
    assert_eq!(all.len(), 1, "to the author only: {all:#?}");
    assert!(
        to_author[0].text.contains("Il manque le registre signé."),
        "{}",
        to_author[0].text
    );
    assert_eq!(
        send_measurement_decisions(&context, tomorrow() + Duration::hours(1))
            .await
            .expect("runs"),
        0
    );
}

#[tokio::test]
async fn an_organisation_invited_to_a_coalition_tells_its_leads() {
    let c = coalition_with_indicator().await;
    let context = worker(&c.app);
    send_coalition_invitations(&context, OffsetDateTime::now_utc())
        .await
        .expect("runs");
    let lead = c.app.visitor();
    lead.sign_up("Alix", "alix@example.org").await;
    let commune = lead.register_commune("Bron").await;
    let (status, _, body) = lead
        .post(
            &format!("/organisations/{commune}/directory"),
            &[("listed", "1")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = c
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/members"),
            &[
                ("organisation_id", commune.as_str()),
                ("organisation_name", ""),
                ("organisation_kind", ""),
                ("actor_type", ""),
                ("role", "contributeur"),
                ("joined_on", "2025-03-01"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    let queued = send_coalition_invitations(&context, tomorrow())
        .await
        .expect("runs");
    assert_eq!(queued, 1);
    let all = mails_titled(&c.app, "Invitation à rejoindre la coalition", 1).await;
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].to, "alix@example.org");
    assert!(
        all[0].text.contains(&format!("/organisations/{commune}")),
        "{}",
        all[0].text
    );
}

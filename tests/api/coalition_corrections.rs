//! Correcting what a coalition recorded (issue 14): journal entries kept among members by
//! default, edited (a stale page refused with what changed) and deleted; an indicator
//! corrected with its history, and deleted only while none of its measurements was
//! validated; and every irreversible action confirmed first, a direct POST without the
//! confirmation changing nothing.

use crate::helpers::{TestApp, Visitor, hidden_fields, spawn_app};
use reset_eval::db;

const SLUG: &str = "essai";

struct Coalition {
    app: TestApp,
    id: String,
    porteur: Visitor,
    staff: Visitor,
}

async fn coalition() -> Coalition {
    let app = spawn_app().await;
    let id = app.coalition(SLUG).await;
    let (porteur, _) = app
        .coalition_member(&id, "porteur", "porteur@example.org")
        .await;
    let staff = app.staff("equipe@example.org").await;
    Coalition {
        app,
        id,
        porteur,
        staff,
    }
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(bind)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// Adds a journal entry as `by` (kept among members: no `is_public`); its id.
async fn entry(c: &Coalition, by: &Visitor, title: &str) -> String {
    let (status, _, body) = by
        .post(
            &format!("/coalitions/{SLUG}/journal"),
            &[
                ("kind", "decision"),
                ("occurred_on", "2025-03-14"),
                ("title", title),
                ("attendance", "12"),
                ("notes", "Ce que Camille Martin a dit du budget."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    db::journal_entries(&c.app.pool, &c.id, true, 10)
        .await
        .expect("entries")
        .into_iter()
        .find(|e| e.title == title)
        .expect("the entry")
        .id
}

#[tokio::test]
async fn a_new_journal_entry_is_kept_among_members_and_hidden_from_everyone_else() {
    let c = coalition().await;
    let (informed, _) = c
        .app
        .coalition_member(&c.id, "informe", "informe@example.org")
        .await;
    let id = entry(&c, &c.porteur, "Décision sur le budget").await;
    let stored = db::journal_entry(&c.app.pool, &c.id, &id)
        .await
        .expect("read")
        .expect("stored");
    assert!(!stored.is_public(), "private unless made public");

    // A member reads it; an anonymous visitor and a signed-in non-member do not, neither
    // on the journal, nor on the coalition's page, nor through its edit address.
    let (_, html) = informed.get(&format!("/coalitions/{SLUG}/journal")).await;
    assert!(html.contains("Décision sur le budget") && html.contains("non public"));
    let outsider = c.app.visitor();
    outsider.sign_up("Dominique", "dehors@example.org").await;
    for visitor in [&c.app.visitor(), &outsider] {
        for page in [
            format!("/coalitions/{SLUG}/journal"),
            format!("/coalitions/{SLUG}"),
        ] {
            let (status, html) = visitor.get(&page).await;
            assert_eq!(status, 200);
            assert!(!html.contains("Décision sur le budget"), "{page}");
            assert!(!html.contains("Camille Martin"), "{page}");
        }
    }
    let (status, html) = outsider
        .get(&format!("/coalitions/{SLUG}/journal/{id}/edit"))
        .await;
    assert_eq!(status, 403);
    assert!(!html.contains("Camille Martin"));
    // An informed member reads but does not edit or delete.
    let (status, _) = informed
        .get(&format!("/coalitions/{SLUG}/journal/{id}/edit"))
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = informed
        .post(
            &format!("/coalitions/{SLUG}/journal/{id}/delete"),
            &[("confirmed", "yes")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        db::journal_entry(&c.app.pool, &c.id, &id)
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn an_entry_edited_from_a_stale_page_is_refused_with_what_changed_and_what_was_typed() {
    let c = coalition().await;
    let (contributor, _) = c
        .app
        .coalition_member(&c.id, "contributeur", "contrib@example.org")
        .await;
    let id = entry(&c, &c.porteur, "Réunion de mars").await;
    let edit = format!("/coalitions/{SLUG}/journal/{id}/edit");

    // The contributor opens the form; the porteur edits the entry meanwhile.
    let (status, page) = contributor.get(&edit).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"name="revision" value="1""#));
    let stale = hidden_fields(&page, &edit);
    let (status, location, body) = c
        .porteur
        .post_from(
            &edit,
            &edit,
            &[
                ("kind", "decision"),
                ("occurred_on", "2025-03-14"),
                ("title", "Réunion de mars (compte rendu validé)"),
                ("notes", "Compte rendu relu."),
                ("is_public", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/coalitions/{SLUG}/journal#entree-{id}"));

    // The contributor's form, sent from the older page, is refused: nothing written, what
    // changed listed, what they typed kept.
    let mut fields: Vec<(&str, &str)> = stale
        .iter()
        .filter(|(n, _)| n != "_csrf")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("kind", "reunion"),
        ("occurred_on", "2025-03-15"),
        ("title", "Réunion du 15 mars"),
        ("notes", "Ma version des notes."),
    ]);
    let (status, _, html) = contributor.post(&edit, &fields).await;
    assert_eq!(status, 409);
    assert!(html.contains("Ce qui a changé depuis que vous avez ouvert la page"));
    assert!(
        html.contains("Réunion de mars") && html.contains("Réunion de mars (compte rendu validé)")
    );
    assert!(html.contains("réservée aux membres") && html.contains("publique"));
    assert!(html.contains(r#"value="Réunion du 15 mars""#));
    assert!(html.contains("Ma version des notes."));
    // The new form carries the current revision: sent again, it is saved.
    assert!(html.contains(r#"name="revision" value="2""#));
    let now = db::journal_entry(&c.app.pool, &c.id, &id)
        .await
        .expect("read")
        .expect("entry");
    assert_eq!(now.title, "Réunion de mars (compte rendu validé)");
    assert_eq!(now.revision, 2);
    assert_eq!(
        scalar(
            &c.app,
            "SELECT COUNT(*) FROM journal_entry_versions WHERE entry_id = $1",
            &id
        )
        .await,
        1,
        "the version replaced is kept"
    );
    // A form without the revision it showed is stale too.
    let (status, _, _) = contributor
        .post(
            &edit,
            &[
                ("kind", "reunion"),
                ("occurred_on", "2025-03-15"),
                ("title", "Sans révision"),
                ("notes", "x"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    // In English too.
    let (status, _, html) = contributor.post(&format!("{edit}?lang=en"), &fields).await;
    assert_eq!(status, 409);
    assert!(
        html.contains("What changed since you opened the page"),
        "{html}"
    );
}

#[tokio::test]
async fn an_entry_is_deleted_only_once_the_deletion_is_confirmed() {
    let c = coalition().await;
    let id = entry(&c, &c.porteur, "Atelier à effacer").await;
    let delete = format!("/coalitions/{SLUG}/journal/{id}/delete");
    // A direct POST (or the first click) asks and deletes nothing.
    let (status, _, html) = c.porteur.post(&delete, &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Atelier à effacer") && html.contains("effacées du journal"));
    assert!(html.contains(r#"name="confirmed" value="yes""#));
    assert!(html.contains(&format!(r#"href="/coalitions/{SLUG}/journal""#)));
    assert!(
        db::journal_entry(&c.app.pool, &c.id, &id)
            .await
            .expect("read")
            .is_some()
    );
    let (status, _, _) = c.porteur.post(&delete, &[("confirmed", "oui")]).await;
    assert_eq!(status, 200, "only the confirmation's own value confirms");
    let (status, location, _) = c.porteur.post(&delete, &[("confirmed", "yes")]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/coalitions/essai/journal")
    );
    assert!(
        db::journal_entry(&c.app.pool, &c.id, &id)
            .await
            .expect("read")
            .is_none()
    );
    let (status, _, _) = c.porteur.post(&delete, &[("confirmed", "yes")]).await;
    assert_eq!(status, 404);
}

/// A goal and a count indicator through their forms; the indicator's id.
async fn indicator(c: &Coalition) -> String {
    let (status, _, body) = c
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals"),
            &[
                ("statement", "Les acheteurs publics intègrent des critères."),
                ("horizon", "2027-12-31"),
                ("qualities", "frugal"),
                ("dimensions", "commande"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let goal = db::goals(&c.app.pool, &c.id).await.expect("goals")[0]
        .id
        .clone();
    let (status, location, body) = c
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/goals/{goal}/indicators"),
            &[
                ("code", "apr-1"),
                ("name", "Achats avec critères"),
                ("definition", "Marchés notifiés avec les critères."),
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
    location.rsplit('/').next().expect("id").to_owned()
}

async fn submitted_measurement(c: &Coalition, indicator_id: &str) -> String {
    let (status, location, body) = c
        .porteur
        .post(
            &format!("/coalitions/{SLUG}/indicators/{indicator_id}/measurements"),
            &[
                ("measured_on", "2024-12-31"),
                ("value", "30"),
                ("intent", "submitted"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location.rsplit('/').next().expect("id").to_owned()
}

#[tokio::test]
async fn an_indicator_with_a_validated_measurement_is_corrected_with_its_history_not_deleted() {
    let c = coalition().await;
    let id = indicator(&c).await;
    let measurement = submitted_measurement(&c, &id).await;
    let (status, _, body) = c
        .staff
        .post(
            &format!("/coalitions/{SLUG}/measurements/{measurement}/status"),
            &[("to", "validated"), ("revision", "1")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let base = format!("/coalitions/{SLUG}/indicators/{id}");

    // Even confirmed, the deletion is refused and nothing is deleted.
    let (status, _, html) = c
        .porteur
        .post(&format!("{base}/delete"), &[("confirmed", "yes")])
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Rien n'a été supprimé") && html.contains(&format!("{base}/edit")));
    assert_eq!(
        scalar(&c.app, "SELECT COUNT(*) FROM indicators WHERE id = $1", &id).await,
        1
    );
    let (_, page) = c.porteur.get(&format!("{base}/edit")).await;
    assert!(page.contains("il ne peut plus être supprimé"));
    assert!(!page.contains(&format!(r#"action="{base}/delete""#)));

    // It is corrected; the wording replaced and the reason are kept.
    let edit = format!("{base}/edit");
    let (_, stale_page) = c.porteur.get(&edit).await;
    let (status, location, body) = c
        .porteur
        .post_from(
            &edit,
            &edit,
            &[
                ("name", "Marchés avec critères"),
                (
                    "definition",
                    "Marchés notifiés comportant les critères communs.",
                ),
                ("unit", "marchés"),
                ("verification", "Registre des marchés"),
                ("reason", "« Achats » disait plus que ce qui est compté."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, base);
    let (_, page) = c.app.get_html(&base).await;
    assert!(page.contains("Marchés avec critères"));
    let (_, history) = c.porteur.get(&edit).await;
    assert!(history.contains("Historique des corrections"));
    assert!(history.contains("Achats avec critères"));
    assert!(history.contains("« Achats » disait plus que ce qui est compté."));

    // A correction sent from a page older than the last one is refused with what changed.
    let mut fields: Vec<(String, String)> = hidden_fields(&stale_page, &edit);
    fields.retain(|(n, _)| n != "_csrf");
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    form.extend([
        ("name", "Autre nom"),
        ("definition", "Autre définition."),
        ("unit", "marchés"),
        ("verification", "Registre"),
        ("reason", "Ma raison."),
    ]);
    let (status, _, html) = c.porteur.post(&edit, &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("Ce qui a changé depuis que vous avez ouvert la page"));
    assert!(html.contains(r#"value="Autre nom""#) && html.contains("Ma raison."));
    let now = db::indicator(&c.app.pool, &c.id, &id)
        .await
        .expect("read")
        .expect("indicator");
    assert_eq!(now.name, "Marchés avec critères");
    // The reason is required.
    let (status, _, html) = c
        .porteur
        .post_from(
            &edit,
            &edit,
            &[
                ("name", "Marchés"),
                ("definition", "D."),
                ("unit", ""),
                ("verification", "R."),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="reason-error""#));
}

#[tokio::test]
async fn an_indicator_never_validated_is_deleted_with_its_records_once_confirmed() {
    let c = coalition().await;
    let id = indicator(&c).await;
    let measurement = submitted_measurement(&c, &id).await;
    let base = format!("/coalitions/{SLUG}/indicators/{id}");
    let (status, _, html) = c.porteur.post(&format!("{base}/delete"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("aucune n'ayant été validée"));
    assert_eq!(
        scalar(&c.app, "SELECT COUNT(*) FROM indicators WHERE id = $1", &id).await,
        1
    );
    // Only managers delete.
    let (contributor, _) = c
        .app
        .coalition_member(&c.id, "contributeur", "contrib@example.org")
        .await;
    let (status, _, _) = contributor
        .post(&format!("{base}/delete"), &[("confirmed", "yes")])
        .await;
    assert_eq!(status, 403);
    let (status, location, _) = c
        .porteur
        .post(&format!("{base}/delete"), &[("confirmed", "yes")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/coalitions/{SLUG}#objectifs"));
    assert_eq!(
        scalar(&c.app, "SELECT COUNT(*) FROM indicators WHERE id = $1", &id).await,
        0
    );
    assert_eq!(
        scalar(
            &c.app,
            "SELECT COUNT(*) FROM measurement_revisions WHERE measurement_id = $1",
            &measurement
        )
        .await,
        0
    );
    assert_eq!(c.app.get_html(&base).await.0, 404);
}

#[tokio::test]
async fn removing_a_target_is_confirmed_first_and_a_direct_post_removes_nothing() {
    let c = coalition().await;
    let id = indicator(&c).await;
    let base = format!("/coalitions/{SLUG}/indicators/{id}");
    let (status, _, body) = c
        .porteur
        .post_from(
            &format!("{base}/baseline"),
            &format!("{base}/baseline"),
            &[
                ("value", "10"),
                ("measured_on", "2020-12-31"),
                ("source", "Registre 2020"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = c
        .porteur
        .post_from(
            &base,
            &format!("{base}/targets"),
            &[
                ("due_on", "2026-12-31"),
                ("target_value", "50"),
                ("is_final", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let target = db::targets_of_indicator(&c.app.pool, &id)
        .await
        .expect("targets")[0]
        .id
        .clone();
    let (_, page) = c.porteur.get(&base).await;
    // The button that starts it is secondary, and says a step follows.
    assert!(
        page.contains(
            r#"<button class="secondary" type="submit">Retirer la cible du 31 décembre 2026…"#
        ),
        "{page}"
    );
    let delete = format!("{base}/targets/{target}/delete");
    let (status, _, html) = c.porteur.post(&delete, &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("la cible finale") && html.contains("Annuler, ne rien changer"));
    assert_eq!(
        db::targets_of_indicator(&c.app.pool, &id)
            .await
            .expect("targets")
            .len(),
        1
    );
    let (_, _, english) = c.porteur.post(&format!("{delete}?lang=en"), &[]).await;
    assert!(english.contains("the final target") && english.contains("Cancel, change nothing"));
    let (status, _, _) = c.porteur.post(&delete, &[("confirmed", "yes")]).await;
    assert_eq!(status, 303);
    assert!(
        db::targets_of_indicator(&c.app.pool, &id)
            .await
            .expect("targets")
            .is_empty()
    );
}

#[tokio::test]
async fn publishing_a_report_by_a_direct_post_without_confirmation_publishes_nothing() {
    let c = coalition().await;
    let (status, _, html) = c.staff.post("/reports/2025/publish", &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("rien n'a été publié"));
    assert_eq!(
        scalar(
            &c.app,
            "SELECT COUNT(*) FROM jobs WHERE kind <> $1",
            "report_draft"
        )
        .await,
        0
    );
}

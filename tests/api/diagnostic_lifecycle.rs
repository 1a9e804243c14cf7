//! A diagnostic's life as its leads manage it (issue 14): closing (by date or at once) with a
//! page that says when and whom to ask, reopening, a submitted response set aside with a
//! reason, in groups of three and for good once a group is complete (results recomputed, the
//! response itself never changed; one set-aside alone shows nothing), links revoked
//! after a confirmation and reinstated, deleting a diagnostic nobody answered, and staff
//! finding organisations. Each new route is refused to a lead of another organisation, and
//! its changes to staff, who may read.

use crate::diagnostic::page_answers;
use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::Questionnaire;

fn territoires(app: &TestApp) -> std::sync::Arc<Questionnaire> {
    app.registry
        .latest("territoires")
        .expect("territoires")
        .clone()
}

async fn lead_with_diagnostic(app: &TestApp) -> (Visitor, String, String) {
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    (lead, organisation, diagnostic)
}

/// Answers every step through a link and submits.
async fn submit(app: &TestApp, q: &Questionnaire, token: &str, high: bool) {
    let respondent = app.visitor();
    let token = crate::diagnostic::start(&respondent, token).await;
    for (n, &quality) in Quality::ALL.iter().enumerate() {
        let answers = page_answers(q, quality, high);
        let mut fields: Vec<(&str, &str)> = answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        fields.push(("action", "next"));
        let (status, _, body) = respondent
            .post(&format!("/r/{token}/step/{}", n + 1), &fields)
            .await;
        assert_eq!(status, 303, "step {}: {body}", n + 1);
    }
    let (status, _, body) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
    assert_eq!(status, 303, "{body}");
}

/// A diagnostic with `n` submitted responses (the first favourable, the others not).
async fn answered(app: &TestApp, lead: &Visitor, diagnostic: &str, n: usize) {
    let q = territoires(app);
    for i in 0..n {
        let token = lead
            .invite(diagnostic, "agent", &format!("Agent {i}"), false)
            .await;
        submit(app, &q, &token, i == 0).await;
    }
}

/// The ids of the submitted responses the diagnostic's page lists, in order.
async fn response_ids(lead: &Visitor, diagnostic: &str) -> Vec<String> {
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    page.split("id=\"response-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The id of the last link the diagnostic's page lists.
async fn last_invitation_id(lead: &Visitor, diagnostic: &str) -> String {
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    page.rsplit("id=\"invitation-")
        .next()
        .and_then(|s| s.split('"').next())
        .expect("a link")
        .to_owned()
}

/// The overall index a results page shows.
fn overall_index(page: &str) -> u32 {
    page.split("</strong> indice global sur 100")
        .next()
        .and_then(|s| s.rsplit("<strong>").next())
        .and_then(|n| n.parse().ok())
        .expect("an overall index")
}

fn today() -> String {
    reset_eval::domain::invitations::format_date(time::OffsetDateTime::now_utc().date())
}

#[tokio::test]
async fn a_closed_diagnostic_refuses_answers_with_a_page_naming_the_date_and_reopening_accepts_them()
 {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "agent", "Accueil", false).await;

    let (status, location, body) = lead
        .post(&format!("/diagnostics/{diagnostic}/close"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/diagnostics/{diagnostic}?done=closed#closing")
    );
    let closed_on = reset_eval::domain::i18n::Lang::Fr.date(today());
    let (status, page) = app.get_html(&format!("/r/{token}")).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains(&closed_on), "names the date: {page}");
    assert!(
        page.contains("Ville de Saint-Essai") && page.contains("qui vous a transmis ce lien"),
        "says whom to contact: {page}"
    );
    let (status, english) = app.get_html(&format!("/r/{token}?lang=en")).await;
    assert_eq!(status, 410);
    assert!(english.contains("was closed on"), "{english}");
    // Nobody starts either.
    let respondent = app.visitor();
    respondent.get(&format!("/r/{token}")).await;
    let (status, _, _) = respondent.post(&format!("/r/{token}/start"), &[]).await;
    assert_eq!(status, 410);

    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(
        page.contains("Clos le") && page.contains("Rouvrir l'autodiagnostic"),
        "{page}"
    );
    assert!(
        page.contains("Autodiagnostic clos") && page.contains("par Léa Martin"),
        "the history says who closed it: {page}"
    );

    let (status, _, body) = lead
        .post(&format!("/diagnostics/{diagnostic}/reopen"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 200);
    let q = territoires(&app);
    submit(&app, &q, &token, true).await;
}

#[tokio::test]
async fn closing_again_from_a_stale_page_is_refused_with_what_changed() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, _, _) = lead
        .post(&format!("/diagnostics/{diagnostic}/close"), &[])
        .await;
    assert_eq!(status, 303);
    // The same page, still showing « Clore », sent again (or by a co-lead at the same time).
    let (status, _, page) = lead
        .post(&format!("/diagnostics/{diagnostic}/close"), &[])
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("Autodiagnostic clos") && page.contains("Léa Martin"),
        "says what changed, and who: {page}"
    );
    let (status, _, _) = lead
        .post(&format!("/diagnostics/{diagnostic}/reopen"), &[])
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = lead
        .post(&format!("/diagnostics/{diagnostic}/reopen"), &[])
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn the_closing_date_set_on_the_diagnostics_page_is_named_on_the_refusal_page() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "agent", "", false).await;
    // A wrong date is said beside its field, with what was typed.
    let (status, _, page) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/closing-date"),
            &[("closes_on", "2020-01-31")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("La date de clôture est passée"), "{page}");
    assert!(page.contains(r#"value="2020-01-31""#), "kept: {page}");

    let (status, location, body) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/closing-date"),
            &[("closes_on", &today())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/diagnostics/{diagnostic}?done=closing#closing")
    );
    let (_, page) = lead.get(&location).await;
    assert!(page.contains(&format!(r#"value="{}""#, today())), "{page}");
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 200);

    // The date passes.
    sqlx::query("UPDATE diagnostics SET closes_on = '2020-01-31' WHERE id = $1")
        .bind(&diagnostic)
        .execute(&app.pool)
        .await
        .expect("updated");
    let (status, page) = app.get_html(&format!("/r/{token}")).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("31 janvier 2020"), "{page}");
    assert!(page.contains("Ville de Saint-Essai"), "{page}");
    let (_, english) = app.get_html(&format!("/r/{token}?lang=en")).await;
    assert!(english.contains("31 January 2020"), "{english}");
}

/// The results as the lead's JSON download gives them.
async fn results_json(app: &TestApp, lead: &Visitor, diagnostic: &str) -> String {
    lead.client
        .get(format!(
            "{}/diagnostics/{diagnostic}/results.json",
            app.address
        ))
        .send()
        .await
        .expect("json")
        .text()
        .await
        .expect("body")
}

async fn set_aside(lead: &Visitor, diagnostic: &str, response: &str, reason: &str) -> u16 {
    lead.post(
        &format!("/diagnostics/{diagnostic}/responses/{response}/set-aside"),
        &[("reason", reason)],
    )
    .await
    .0
    .as_u16()
}

async fn restore(lead: &Visitor, diagnostic: &str, response: &str) -> (u16, String) {
    let (status, _, body) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/responses/{response}/restore"),
            &[],
        )
        .await;
    (status.as_u16(), body)
}

#[tokio::test]
async fn a_set_aside_takes_effect_with_two_others_recomputes_the_results_and_is_final_then() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 7).await;
    let results = format!("/diagnostics/{diagnostic}/results");
    let (_, before) = lead.get(&results).await;
    // Results count whole groups of three, the earliest first: the favourable first response
    // and five others.
    assert!(
        before.contains("<strong>6</strong> répondant·es"),
        "{before}"
    );
    let index_before = overall_index(&before);
    assert!(!before.contains("écartée"));

    let ids = response_ids(&lead, &diagnostic).await;
    assert_eq!(ids.len(), 7);
    let path = format!("/diagnostics/{diagnostic}/responses/{}/set-aside", ids[0]);
    let (status, form) = lead.get(&path).await;
    assert_eq!(status, 200);
    assert!(form.contains("Écarter la réponse"), "{form}");
    assert!(
        form.contains("par groupes de 3"),
        "the rule is said: {form}"
    );
    // A reason is required, beside its field.
    let (status, _, page) = lead.post(&path, &[("reason", "  ")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Indiquez pourquoi"), "{page}");
    let (status, location, body) = lead
        .post(&path, &[("reason", "Réponse d'essai de la DSI")])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/diagnostics/{diagnostic}?done=set_aside#responses")
    );

    // Alone, it is pending: the results do not move, and the page says why.
    let (_, pending) = lead.get(&results).await;
    assert_eq!(overall_index(&pending), index_before, "{pending}");
    assert!(!pending.contains("écartée"), "{pending}");
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(page.contains("1 réponse écartée en attente"), "{page}");
    assert!(
        page.contains("Réponse écartée") && page.contains("Réponse d'essai de la DSI"),
        "the history keeps the reason: {page}"
    );
    assert!(page.contains("par Léa Martin"), "{page}");
    // Setting it aside again from the stale form: refused, what was typed kept.
    let (status, _, page) = lead.post(&path, &[("reason", "Doublon")]).await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("Doublon") && page.contains("Réponse écartée"),
        "{page}"
    );
    // A pending set-aside may be withdrawn.
    assert_eq!(restore(&lead, &diagnostic, &ids[0]).await.0, 303);
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(page.contains("Réponse réintégrée"), "{page}");
    assert_eq!(restore(&lead, &diagnostic, &ids[0]).await.0, 409);

    // With two others, the group of three takes effect: recomputed without them.
    for id in &ids[..3] {
        assert_eq!(
            set_aside(&lead, &diagnostic, id, "Réponses d'essai").await,
            303
        );
    }
    let (_, after) = lead.get(&results).await;
    assert!(after.contains("<strong>3</strong> répondant·es"), "{after}");
    assert!(overall_index(&after) < index_before, "{after}");
    assert!(after.contains("3 réponse(s) écartée(s)"), "{after}");
    let (_, english) = lead.get(&format!("{results}?lang=en")).await;
    assert!(english.contains("3 response(s) set aside"), "{english}");
    // Back to French (the language chosen is remembered).
    lead.get(&format!("{results}?lang=fr")).await;
    // The downloads are computed the same way.
    let json = results_json(&app, &lead, &diagnostic).await;
    assert!(json.contains("\"respondents\":3"), "{json}");

    // Final: restoring one of them is refused, saying why, and changes nothing.
    let (status, body) = restore(&lead, &diagnostic, &ids[0]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("par groupes de 3"), "{body}");
    assert_eq!(results_json(&app, &lead, &diagnostic).await, json);
}

#[tokio::test]
async fn setting_one_response_aside_and_restoring_it_tells_nothing_about_that_response() {
    // The attack: with 4 respondents (3 counted), set one aside, read the results, restore
    // it, set another aside... If each set-aside took effect, the differences between the
    // views would give each person's answers. Alone, a set-aside changes nothing shown.
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 4).await;
    let ids = response_ids(&lead, &diagnostic).await;
    let reference = results_json(&app, &lead, &diagnostic).await;
    let (_, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    let index = overall_index(&page);
    for id in &ids {
        assert_eq!(
            set_aside(&lead, &diagnostic, id, "Pour comparer").await,
            303
        );
        assert_eq!(
            results_json(&app, &lead, &diagnostic).await,
            reference,
            "setting {id} aside alone showed a difference"
        );
        let (_, page) = lead
            .get(&format!("/diagnostics/{diagnostic}/results"))
            .await;
        assert_eq!(overall_index(&page), index);
        assert_eq!(restore(&lead, &diagnostic, id).await.0, 303);
    }
    // Two at a time, no more.
    assert_eq!(
        set_aside(&lead, &diagnostic, &ids[0], "Pour comparer").await,
        303
    );
    assert_eq!(
        set_aside(&lead, &diagnostic, &ids[3], "Pour comparer").await,
        303
    );
    assert_eq!(results_json(&app, &lead, &diagnostic).await, reference);
}

#[tokio::test]
async fn setting_responses_aside_cannot_show_results_of_fewer_than_three_respondents() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 5).await;
    let ids = response_ids(&lead, &diagnostic).await;
    for id in &ids[1..4] {
        assert_eq!(
            set_aside(&lead, &diagnostic, id, "Pour voir les deux autres").await,
            303
        );
    }
    let (_, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert!(page.contains("withheld-title"), "{page}");
    assert!(!page.contains("indice global sur 100"), "{page}");
    let json = results_json(&app, &lead, &diagnostic).await;
    assert!(json.contains("withheld"), "{json}");
}

#[tokio::test]
async fn a_set_aside_response_is_never_changed() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 1).await;
    let ids = response_ids(&lead, &diagnostic).await;
    let snapshot = || async {
        let row: (String, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT respondent_role, submitted_at, answers_json FROM responses WHERE id = $1",
        )
        .bind(&ids[0])
        .fetch_one(&app.pool)
        .await
        .expect("response");
        let answers: Vec<(String, String)> = sqlx::query_as(
            "SELECT question_id, state FROM answers WHERE response_id = $1 ORDER BY question_id",
        )
        .bind(&ids[0])
        .fetch_all(&app.pool)
        .await
        .expect("answers");
        (row, answers)
    };
    let before = snapshot().await;
    assert!(before.0.2.is_some() && !before.1.is_empty());
    let path = format!("/diagnostics/{diagnostic}/responses/{}", ids[0]);
    assert_eq!(
        lead.post(&format!("{path}/set-aside"), &[("reason", "Essai")])
            .await
            .0,
        303
    );
    assert_eq!(snapshot().await, before);
    assert_eq!(lead.post(&format!("{path}/restore"), &[]).await.0, 303);
    assert_eq!(snapshot().await, before);
}

#[tokio::test]
async fn a_revoked_link_is_confirmed_first_and_can_be_reinstated() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "agent", "Accueil", false).await;
    let invitation = last_invitation_id(&lead, &diagnostic).await;
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    // The link is a read-only field with a label, and the page says how to copy it.
    assert!(
        page.contains(&format!(
            r#"<label class="visually-hidden" for="link-{invitation}">"#
        )),
        "{page}"
    );
    assert!(page.contains(&format!(r#"id="link-{invitation}" type="text" readonly"#)));
    assert!(page.contains("Sélectionnez le lien puis copiez-le (Ctrl+C)"));
    // The creation form comes before the list of links and their « Révoquer ».
    assert!(page.find("Créer le lien") < page.find("Révoquer"));

    let revoke = format!("/diagnostics/{diagnostic}/invitations/{invitation}/revoke");
    let (status, confirm) = lead.get(&revoke).await;
    assert_eq!(status, 200);
    assert!(
        confirm.contains("Révoquer ce lien ?") && confirm.contains("Vous pourrez le rétablir"),
        "{confirm}"
    );
    // Asking is not revoking.
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 200);
    let (status, _, body) = lead.post(&revoke, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 410);
    assert_eq!(lead.post(&revoke, &[]).await.0, 409);

    let reinstate = format!("/diagnostics/{diagnostic}/invitations/{invitation}/reinstate");
    let (status, _, body) = lead.post(&reinstate, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 200);
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(
        page.contains("Lien révoqué") && page.contains("Lien rétabli"),
        "{page}"
    );
    assert_eq!(lead.post(&reinstate, &[]).await.0, 409);
}

#[tokio::test]
async fn a_diagnostic_is_deleted_only_while_nobody_submitted_a_response() {
    let app = spawn_app().await;
    let (lead, organisation, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 1).await;
    let delete = format!("/diagnostics/{diagnostic}/delete");
    assert_eq!(lead.get(&delete).await.0, 409);
    let (status, _, page) = lead.post(&delete, &[]).await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("une réponse envoyée n'est jamais effacée"),
        "{page}"
    );
    assert_eq!(lead.get(&format!("/diagnostics/{diagnostic}")).await.0, 200);

    // Another one, with a link and a response in progress only.
    let other = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&other, "agent", "", false).await;
    crate::diagnostic::start(&app.visitor(), &token).await;
    let delete = format!("/diagnostics/{other}/delete");
    let (status, confirm) = lead.get(&delete).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Supprimer définitivement"), "{confirm}");
    let (status, location, body) = lead.post(&delete, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location, format!("/organisations/{organisation}?deleted=1"));
    assert_eq!(lead.get(&format!("/diagnostics/{other}")).await.0, 404);
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 404);
}

#[tokio::test]
async fn only_the_organisations_leads_change_its_diagnostics_life_and_staff_only_read_it() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    answered(&app, &lead, &diagnostic, 1).await;
    let response = response_ids(&lead, &diagnostic).await.remove(0);
    let invitation = last_invitation_id(&lead, &diagnostic).await;
    let d = format!("/diagnostics/{diagnostic}");
    let gets = [
        format!("{d}/invitations/{invitation}/revoke"),
        format!("{d}/responses/{response}/set-aside"),
        format!("{d}/delete"),
    ];
    let posts = [
        format!("{d}/close"),
        format!("{d}/reopen"),
        format!("{d}/closing-date"),
        format!("{d}/invitations/{invitation}/revoke"),
        format!("{d}/invitations/{invitation}/reinstate"),
        format!("{d}/responses/{response}/set-aside"),
        format!("{d}/responses/{response}/restore"),
        format!("{d}/delete"),
    ];
    let stranger = app.visitor();
    stranger.sign_up("Autre", "autre@exemple.fr").await;
    stranger.register_commune("Autre ville").await;
    assert_eq!(stranger.get(&d).await.0, 403);
    for path in &gets {
        assert_eq!(stranger.get(path).await.0, 403, "GET {path}");
    }
    for path in &posts {
        let (status, _, _) = stranger
            .post(path, &[("reason", "x"), ("closes_on", "")])
            .await;
        assert_eq!(status, 403, "POST {path}");
    }

    let staff = app.staff("equipe@exemple.fr").await;
    assert_eq!(staff.get(&d).await.0, 200);
    for path in [
        format!("{d}/close"),
        format!("{d}/closing-date"),
        format!("{d}/responses/{response}/set-aside"),
        format!("{d}/delete"),
    ] {
        let (status, _, _) = staff
            .post(&path, &[("reason", "x"), ("closes_on", "")])
            .await;
        assert_eq!(status, 403, "staff POST {path}");
    }
    // Nothing changed.
    let (_, page) = lead.get(&d).await;
    assert!(
        page.contains("Ouvert aux réponses") && page.contains("Comptée"),
        "{page}"
    );
}

#[tokio::test]
async fn titles_and_departements_read_in_the_persons_language() {
    let app = spawn_app().await;
    let (lead, organisation, diagnostic) = lead_with_diagnostic(&app).await;
    let year = &today()[..4];
    let (_, english) = lead
        .get(&format!("/diagnostics/{diagnostic}?lang=en"))
        .await;
    assert!(
        english.contains(&format!("Self-diagnostic {year}")),
        "{english}"
    );
    assert!(
        !english.contains(&format!("Autodiagnostic {year}")),
        "{english}"
    );
    let (_, page) = lead.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("69 — Rhône"), "{page}");
    let (_, form) = lead.get("/organisations/new").await;
    assert!(
        form.contains(r#"<option value="69">69 — Rhône</option>"#),
        "{form}"
    );
}

/// Registers `n` organisations directly (the search is what is tested, not the sign-up).
async fn organisations(app: &TestApp, n: usize, name: &str, kind: &str, departement: &str) {
    for i in 0..n {
        let id = reset_eval::db::new_id();
        reset_eval::db::insert_organisation(
            &app.pool,
            &reset_eval::db::NewOrganisation {
                id: &id,
                name: &format!("{name} {i:02}"),
                kind,
                siren: None,
                departement: Some(departement),
                commune_insee: None,
                size_band: None,
                created_at: &reset_eval::db::now(),
            },
        )
        .await
        .expect("organisation");
    }
}

#[tokio::test]
async fn staff_search_filter_and_page_through_organisations_and_a_lead_finds_only_theirs() {
    let app = spawn_app().await;
    organisations(&app, 30, "Commune de Bretagne", "commune", "29").await;
    organisations(&app, 3, "Association Lyonnaise", "association", "69").await;
    let staff = app.staff("equipe@exemple.fr").await;

    let (status, page) = staff.get("/organisations").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Organisations</h1>"), "{page}");
    assert!(
        page.contains("33 organisation(s)") && page.contains("page 1 sur 2"),
        "{page}"
    );
    assert!(page.contains(r#"method="get" action="/organisations""#));
    let (_, second) = staff.get("/organisations?page=2").await;
    assert!(
        second.contains("Commune de Bretagne 29") && !second.contains("Association Lyonnaise 00")
    );
    assert!(second.contains(r#"aria-current="page""#));

    let (_, by_name) = staff.get("/organisations?name=lyonnaise").await;
    assert!(
        by_name.contains("3 organisation(s) trouvée(s)"),
        "{by_name}"
    );
    assert!(!by_name.contains("Commune de Bretagne"));
    // The search stays in the field, and in the links to other pages.
    assert!(by_name.contains(r#"value="lyonnaise""#), "{by_name}");
    let (_, by_kind) = staff.get("/organisations?kind=association").await;
    assert!(by_kind.contains("3 organisation(s)") && !by_kind.contains("Commune de Bretagne"));
    let (_, by_place) = staff.get("/organisations?departement=29&page=2").await;
    assert!(
        by_place.contains("30 organisation(s)") && by_place.contains("29 — Finistère"),
        "{by_place}"
    );
    assert!(by_place.contains("departement=29&amp;page=1"), "{by_place}");
    // A wildcard typed is a character like any other.
    let (_, wildcard) = staff.get("/organisations?name=%25").await;
    assert!(wildcard.contains("0 organisation(s)"), "{wildcard}");
    let (status, wrong) = staff.get("/organisations?kind=ovni").await;
    assert_eq!(status, 422);
    assert!(wrong.contains("Ce type n'existe pas"), "{wrong}");

    // A lead searching for others' organisations finds only their own.
    let (lead, _, _) = lead_with_diagnostic(&app).await;
    let (_, mine) = lead.get("/organisations?name=e").await;
    assert!(mine.contains("<h1>Mes organisations</h1>"), "{mine}");
    assert!(
        mine.contains("Ville de Saint-Essai") && mine.contains("1 organisation(s)"),
        "{mine}"
    );
    assert!(!mine.contains("Bretagne") && !mine.contains("Lyonnaise"));
}

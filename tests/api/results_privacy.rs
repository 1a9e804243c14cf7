//! Nobody is singled out by an organisation's results: figures from 3 respondents on (in
//! whole groups of 3), a diagnostic answered alone that shows its results at once, and peers
//! that a lead cannot make up. Each test plays the attack and checks it now fails.

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

/// Answers every step through a link, favourably or not, and submits; returns the
/// respondent's own results page.
async fn submit(app: &TestApp, q: &Questionnaire, token: &str, high: bool) -> String {
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
    let (status, location, _) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{token}/results"))
    );
    let (status, own) = respondent.get(&location).await;
    assert_eq!(status, 200);
    own
}

async fn download(lead: &Visitor, diagnostic: &str, what: &str) -> String {
    let response = lead
        .client
        .get(format!("{}/diagnostics/{diagnostic}/{what}", lead.base))
        .send()
        .await
        .expect("download");
    assert_eq!(response.status(), 200);
    response.text().await.expect("body")
}

/// What the lead can read of the organisation's figures: page, CSV and JSON.
async fn organisation_figures(
    lead: &Visitor,
    diagnostic: &str,
) -> (String, String, serde_json::Value) {
    let (status, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert_eq!(status, 200);
    let csv = download(lead, diagnostic, "results.csv").await;
    let json = download(lead, diagnostic, "results.json").await;
    (page, csv, serde_json::from_str(&json).expect("valid json"))
}

fn assert_no_figure(page: &str, csv: &str, json: &serde_json::Value, submitted: u64, needed: u64) {
    for figure in [
        "indice global sur 100",
        "<svg",
        "Par dimension et par qualité",
        "Que faire ensuite ?",
        "Accords et désaccords",
    ] {
        assert!(
            !page.contains(figure),
            "{figure} shown with {submitted} respondent(s)"
        );
    }
    assert!(
        page.contains(&format!("Réponses envoyées : {submitted}"))
            && page.contains(&format!("encore <strong>{needed}</strong> à attendre")),
        "the page says how many more are needed: {page}"
    );
    assert!(!page.contains("results.csv"), "no download offered");
    // The CSV holds the count and what is missing, nothing else.
    let measures: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').nth(4))
        .collect();
    assert_eq!(
        measures,
        vec!["\"Répondant·es\"", "\"Répondant·es encore attendu·es\""],
        "{csv}"
    );
    assert!(csv.contains(&format!(";\"Répondant·es encore attendu·es\";;;;;{needed}")));
    assert_eq!(json["respondents"], submitted);
    assert_eq!(json["withheld"]["respondents_needed"], needed);
    for key in [
        "qualities",
        "overall",
        "dimensions",
        "roles",
        "comparison",
        "peers",
    ] {
        assert!(json.get(key).is_none(), "{key} in the JSON: {json}");
    }
}

#[tokio::test]
async fn a_lead_sees_no_organisation_figure_until_three_respondents_have_submitted() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(page.contains("à partir de 3 réponses envoyées"));
    let mut links = Vec::new();
    for role in ["elu", "agent", "dsi"] {
        links.push(lead.invite(&diagnostic, role, "", false).await);
    }
    let (_, intro) = app.visitor().get(&format!("/r/{}", links[0])).await;
    assert!(
        intro.contains("dès que 3 personnes au moins ont envoyé leurs réponses")
            && intro.contains("Vous voyez vos propres résultats"),
        "the introduction says who sees what: {intro}"
    );

    // One respondent: the « organisation's » results would be their answers. Two: the lead,
    // answering one link themself, would subtract their own and read the other's.
    for (n, token) in links[..2].iter().enumerate() {
        let own = submit(&app, &q, token, n == 0).await;
        // Each respondent always sees their own results.
        assert!(
            own.contains("Vos résultats") && own.contains("indice global sur 100"),
            "{own}"
        );
        let (page, csv, json) = organisation_figures(&lead, &diagnostic).await;
        assert_no_figure(&page, &csv, &json, n as u64 + 1, 2 - n as u64);
    }

    submit(&app, &q, &links[2], true).await;
    let (page, csv, json) = organisation_figures(&lead, &diagnostic).await;
    for figure in [
        "indice global sur 100",
        "<svg",
        "Accords et désaccords",
        "Que faire ensuite ?",
    ] {
        assert!(page.contains(figure), "missing {figure} at 3 respondents");
    }
    assert!(page.contains("<strong>3</strong> répondant·es"));
    assert!(!page.contains("withheld-title"));
    assert_eq!(
        csv.lines()
            .skip(1)
            .filter(|l| l.contains(";\"Score de la qualité\";"))
            .count(),
        7
    );
    assert_eq!(json["respondents"], 3);
    assert!(json["qualities"]["inclusif"]["score"].is_number());
    assert!(json.get("withheld").is_none());
}

#[tokio::test]
async fn a_fourth_respondent_counts_only_with_the_fifth_and_sixth_so_no_difference_isolates_one() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let mut links = Vec::new();
    for _ in 0..4 {
        links.push(lead.invite(&diagnostic, "agent", "", false).await);
    }
    for token in &links[..3] {
        submit(&app, &q, token, false).await;
    }
    let (_, _, at_three) = organisation_figures(&lead, &diagnostic).await;
    // The fourth answers everything favourably: a difference with the view at 3 would be
    // their answers exactly.
    submit(&app, &q, &links[3], true).await;
    let (page, _, at_four) = organisation_figures(&lead, &diagnostic).await;
    assert_eq!(at_four["respondents"], 3);
    assert_eq!(at_four["respondents_pending"], 1);
    assert_eq!(at_four["qualities"], at_three["qualities"]);
    assert!(page.contains("compteront quand leur groupe de 3 sera complet"));
    // Three agents, then a fourth: the role, too, is counted by groups of 3.
    assert_eq!(at_four["roles"][0]["respondents"], 3);
}

#[tokio::test]
async fn a_lead_answering_alone_sees_the_results_at_once_and_the_diagnostic_takes_one_link() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let (_, page) = lead.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("Je réponds seul·e"));
    let (status, location, body) = lead
        .post(
            &format!("/organisations/{organisation}/diagnostics"),
            &[("questionnaire", "territoires"), ("answering", "solo")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let diagnostic = location.trim_start_matches("/diagnostics/").to_owned();
    let token = lead.invite(&diagnostic, "direction", "Moi", false).await;

    // A second link, personal or shared, would put someone else's answers on show.
    for shared in ["0", "1"] {
        let (status, _, html) = lead
            .post(
                &format!("/diagnostics/{diagnostic}/invitations"),
                &[("role", "agent"), ("label", "Collègue"), ("shared", shared)],
            )
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("il n'a qu'un lien"), "{html}");
    }
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(links, 1);

    let (_, intro) = app.visitor().get(&format!("/r/{token}")).await;
    assert!(
        intro.contains("rempli par une seule personne")
            && intro.contains("les voient telles quelles"),
        "the introduction says the answers are shown as they are: {intro}"
    );
    let own = submit(&app, &q, &token, true).await;
    assert!(own.contains("ces résultats sont aussi ceux que voient les responsables"));
    let (page, csv, json) = organisation_figures(&lead, &diagnostic).await;
    assert!(page.contains("indice global sur 100") && page.contains("<svg"));
    assert!(page.contains("les réponses d'une seule personne"));
    assert!(page.contains("<strong>1</strong> répondant·es"));
    assert_eq!(
        csv.lines()
            .skip(1)
            .filter(|l| l.contains(";\"Score de la qualité\";"))
            .count(),
        7
    );
    assert_eq!(json["respondents"], 1);
    assert_eq!(json["diagnostic"]["solo"], true);
}

/// A commune of `lead` with a collective diagnostic answered by `respondents` people, all
/// favourably or not; returns the commune's and the diagnostic's ids.
async fn answered_commune(
    app: &TestApp,
    lead: &Visitor,
    name: &str,
    respondents: usize,
    high: bool,
) -> (String, String) {
    let q = territoires(app);
    let organisation = lead.register_commune(name).await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    for _ in 0..respondents {
        let token = lead.invite(&diagnostic, "agent", "", false).await;
        submit(app, &q, &token, high).await;
    }
    (organisation, diagnostic)
}

async fn verify(staff: &Visitor, organisation: &str) {
    staff.get(&format!("/organisations/{organisation}")).await;
    let (status, _, body) = staff
        .post(
            &format!("/organisations/{organisation}/verification"),
            &[("verified", "1")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn organisations_a_lead_makes_up_never_become_the_peers_of_their_own() {
    let app = spawn_app().await;
    let staff = app.staff("equipe@exemple.fr").await;

    // One real peer, verified, led by someone else, with a collective result.
    let other = app.visitor();
    other.sign_up("Autre", "autre@exemple.fr").await;
    let (real_peer, _) = answered_commune(&app, &other, "Ville réelle", 3, true).await;
    verify(&staff, &real_peer).await;

    // The attacker's own commune, then four made-up ones answered at the minimum and the
    // maximum, so that the median of five would be the real peer's scores.
    let attacker = app.visitor();
    attacker.sign_up("Attaquant", "attaquant@exemple.fr").await;
    let (_, viewed) = answered_commune(&app, &attacker, "Ville de l'attaquant", 3, false).await;
    let mut fakes = Vec::new();
    for (n, high) in [false, false, true, true].into_iter().enumerate() {
        fakes.push(
            answered_commune(&app, &attacker, &format!("Fausse commune {n}"), 3, high)
                .await
                .0,
        );
    }
    let (page, _, json) = organisation_figures(&attacker, &viewed).await;
    assert!(json["peers"].is_null(), "{}", json["peers"]);
    assert!(
        page.contains("disponible à partir de 5 organisations comparables")
            && page.contains("il y en a 1 pour l'instant"),
        "the page says why there is no comparison"
    );

    // A lead cannot verify them.
    let (status, _, _) = attacker
        .post(
            &format!("/organisations/{}/verification", fakes[0]),
            &[("verified", "1")],
        )
        .await;
    assert_eq!(status, 403);

    // Even verified (staff fooled), organisations led by a lead of the viewed one are out.
    for fake in &fakes {
        verify(&staff, fake).await;
    }
    let (page, _, json) = organisation_figures(&attacker, &viewed).await;
    assert!(json["peers"].is_null(), "{}", json["peers"]);
    assert!(page.contains("il y en a 1 pour l'instant"));
    // Staff reading the attacker's commune get the same answer: peers follow the viewed
    // organisation's leads, not the reader.
    let (_, _, json) = organisation_figures(&staff, &viewed).await;
    assert!(json["peers"].is_null());
}

#[tokio::test]
async fn peers_are_five_verified_organisations_of_others_each_with_a_collective_result() {
    let app = spawn_app().await;
    let staff = app.staff("equipe@exemple.fr").await;
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let (_, viewed) = answered_commune(&app, &lead, "Ville de Saint-Essai", 3, false).await;

    let other = app.visitor();
    other.sign_up("Autre", "autre@exemple.fr").await;
    for n in 0..4 {
        let (peer, _) = answered_commune(&app, &other, &format!("Pair {n}"), 3, n % 2 == 0).await;
        verify(&staff, &peer).await;
    }
    // Not peers: unverified; two respondents only; answered alone.
    answered_commune(&app, &other, "Non vérifiée", 3, true).await;
    let (two, _) = answered_commune(&app, &other, "Deux répondant·es", 2, true).await;
    verify(&staff, &two).await;
    let solo = other.register_commune("Seule").await;
    let (_, location, _) = other
        .post(
            &format!("/organisations/{solo}/diagnostics"),
            &[("questionnaire", "territoires"), ("answering", "solo")],
        )
        .await;
    let solo_diagnostic = location.trim_start_matches("/diagnostics/").to_owned();
    let token = other.invite(&solo_diagnostic, "direction", "", false).await;
    submit(&app, &territoires(&app), &token, true).await;
    verify(&staff, &solo).await;

    let (page, _, json) = organisation_figures(&lead, &viewed).await;
    assert!(json["peers"].is_null(), "four peers: {}", json["peers"]);
    assert!(page.contains("il y en a 4 pour l'instant"));

    // A fifth verified organisation of someone else, with 3 respondents: now shown.
    let (fifth, _) = answered_commune(&app, &other, "Pair 4", 3, true).await;
    verify(&staff, &fifth).await;
    let (page, _, json) = organisation_figures(&lead, &viewed).await;
    assert_eq!(json["peers"]["organisations"], 5, "{}", json["peers"]);
    assert!(json["peers"]["qualities"]["inclusif"]["median"].is_number());
    assert!(page.contains("Médiane des pairs") && page.contains("Pairs : 5 autres organisations"));
}

#[tokio::test]
async fn only_programme_staff_mark_an_organisation_verified() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let (_, page) = lead.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("Pas encore vérifiée") && !page.contains("Marquer comme vérifiée"));
    let (status, _, _) = lead
        .post(
            &format!("/organisations/{organisation}/verification"),
            &[("verified", "1")],
        )
        .await;
    assert_eq!(status, 403);
    let verified = || async {
        sqlx::query_scalar::<_, i32>("SELECT verified FROM organisations")
            .fetch_one(&app.pool)
            .await
            .expect("flag")
    };
    assert_eq!(verified().await, 0);

    let staff = app.staff("equipe@exemple.fr").await;
    let (_, page) = staff.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("Marquer comme vérifiée"));
    // Without the form's CSRF token, nothing changes.
    let (status, _, _) = staff
        .post_raw(
            &format!("/organisations/{organisation}/verification"),
            &[("verified", "1")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(verified().await, 0);
    verify(&staff, &organisation).await;
    assert_eq!(verified().await, 1);
    let (_, page) = lead.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("<strong>Vérifiée</strong>"));

    // The lead changing the organisation's kind takes it out of its peers until staff
    // check again.
    lead.get(&format!("/organisations/{organisation}/edit"))
        .await;
    let (status, _, body) = lead
        .post(
            &format!("/organisations/{organisation}/edit"),
            &[
                ("name", "Ville de Saint-Essai"),
                ("kind", "intercommunalite"),
                ("departement", "69"),
                ("commune_insee", ""),
                ("size_band", "10k_50k"),
                ("siren", ""),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(verified().await, 0);
}

#[tokio::test]
async fn a_coalition_self_diagnostic_shows_no_figure_on_its_public_page_below_three_respondents() {
    let app = spawn_app().await;
    reset_eval::app::demo::load(&app.pool, &app.registry)
        .await
        .expect("demo");
    let page = "/coalitions/donnees-environnementales";
    let (_, html) = app.get_html(page).await;
    assert!(
        html.contains("indice global sur 100"),
        "three respondents: shown"
    );
    // One of its three responses taken back: two people's answers would be on a public page.
    sqlx::query(
        "UPDATE responses SET submitted_at = NULL WHERE id = (
             SELECT r.id FROM responses r JOIN diagnostics d ON d.id = r.diagnostic_id
             JOIN coalitions c ON c.id = d.coalition_id
             WHERE c.slug = 'donnees-environnementales' ORDER BY r.id LIMIT 1)",
    )
    .execute(&app.pool)
    .await
    .expect("update");
    let (status, html) = app.get_html(page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("indice global sur 100") && !html.contains("Accords et désaccords"));
    assert!(
        html.contains("encore <strong>1</strong> à attendre"),
        "{html}"
    );
}

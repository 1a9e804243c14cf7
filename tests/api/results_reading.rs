//! What a lead reads on an organisation's results page and in its downloads: one
//! recommendation card a quality, how the scores are computed, the answers question by
//! question and the « non applicable » justifications (each behind its threshold, attacked
//! below), the coalitions to join and the requests that go with them, and a CSV that a
//! spreadsheet of the reader's language opens well.

use crate::diagnostic::page_answers;
use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::Questionnaire;

/// A yes/no question of the inclusive quality whose « non applicable » needs a justification.
const JUSTIFIED: &str = "inc-commande-2";

fn territoires(app: &TestApp) -> std::sync::Arc<Questionnaire> {
    app.registry
        .latest("territoires")
        .expect("territoires")
        .clone()
}

/// How one respondent answers [`JUSTIFIED`]; every other question favourably or not.
#[derive(Clone, Copy)]
enum Justified<'a> {
    AsTheOthers,
    Blank,
    NotApplicable(&'a str),
}

async fn submit(app: &TestApp, q: &Questionnaire, invitation: &str, high: bool, j: Justified<'_>) {
    let respondent = app.visitor();
    let token = crate::diagnostic::start(&respondent, invitation).await;
    let field = format!("a.{JUSTIFIED}");
    let why_field = format!("j.{JUSTIFIED}");
    for (n, &quality) in Quality::ALL.iter().enumerate() {
        let answers = page_answers(q, quality, high);
        let mut fields: Vec<(&str, &str)> = answers
            .iter()
            .filter(|(k, _)| *k != field || matches!(j, Justified::AsTheOthers))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let (Justified::NotApplicable(why), Quality::Inclusif) = (j, quality) {
            fields.push((field.as_str(), "__na"));
            fields.push((why_field.as_str(), why));
        }
        // Moving on asks for every answer; saving for later lets a question stay blank.
        let action = match (j, quality) {
            (Justified::Blank, Quality::Inclusif) => "save",
            _ => "next",
        };
        fields.push(("action", action));
        let (status, _, body) = respondent
            .post(&format!("/r/{token}/step/{}", n + 1), &fields)
            .await;
        assert_eq!(status, 303, "step {}: {body}", n + 1);
    }
    let (status, _, body) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
    assert_eq!(status, 303, "{body}");
}

/// A lead, their commune and a collective diagnostic of it.
async fn commune(app: &TestApp, email: &str, name: &str) -> (Visitor, String, String) {
    let lead = app.visitor();
    lead.sign_up("Léa Martin", email).await;
    let organisation = lead.register_commune(name).await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    (lead, organisation, diagnostic)
}

async fn results(lead: &Visitor, diagnostic: &str) -> String {
    let (status, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

/// The answers to the questions of the inclusive quality, where [`JUSTIFIED`] is.
async fn inclusive_answers(lead: &Visitor, diagnostic: &str) -> String {
    let (status, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/results/inclusif"))
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn download(lead: &Visitor, path: &str) -> reqwest::Response {
    let response = lead
        .client
        .get(format!("{}{path}", lead.base))
        .send()
        .await
        .expect("download");
    assert_eq!(response.status(), 200);
    response
}

async fn results_json(lead: &Visitor, diagnostic: &str) -> serde_json::Value {
    download(lead, &format!("/diagnostics/{diagnostic}/results.json"))
        .await
        .json()
        .await
        .expect("json")
}

fn question_json<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["questions"]
        .as_array()
        .and_then(|qs| qs.iter().find(|q| q["question"] == id))
        .expect("the question is listed")
}

/// The texts of the `<h3>` inside the recommendation cards.
fn card_headings(page: &str) -> Vec<String> {
    page.split(r#"<article class="recommendation">"#)
        .skip(1)
        .filter_map(|card| {
            let h3 = card.split("<h3>").nth(1)?;
            Some(h3.split("</h3>").next()?.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_lead_reads_one_card_a_quality_how_scores_are_computed_and_why_peers_are_missing() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, _, diagnostic) = commune(&app, "lea@exemple.fr", "Ville de Saint-Essai").await;
    for high in [false, false, true] {
        let token = lead.invite(&diagnostic, "agent", "", false).await;
        submit(&app, &q, &token, high, Justified::AsTheOthers).await;
    }
    let page = results(&lead, &diagnostic).await;

    let headings = card_headings(&page);
    assert!(headings.len() >= 2, "{headings:?}");
    let qualities: Vec<&str> = headings
        .iter()
        .map(|h| h.split(" — ").next().unwrap_or(""))
        .collect();
    let mut unique = qualities.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        qualities.len(),
        "a quality has two cards: {headings:?}"
    );
    assert!(headings.iter().all(|h| !h.contains("d'après vos réponses")));
    assert!(
        page.contains("D'après vos réponses : "),
        "the answers' advice says so"
    );

    // « Points forts » listed a 49 « en progression »: the heading now says what it is.
    assert!(!page.contains("Points forts"));
    assert!(page.contains("Vos qualités les plus avancées"));

    assert!(page.contains("« je ne sais pas » et « non applicable » laissés de côté"));
    assert!(page.contains(r##"href="#how-to-read""##) && page.contains(r#"id="how-to-read""#));
    assert!(page.contains("exemplaire (75 et plus)"));

    assert!(
        page.contains("disponible à partir de 5 organisations comparables")
            && page.contains("il y en a 0 pour l'instant"),
        "the page says why there is no comparison"
    );
}

#[tokio::test]
async fn the_answers_to_a_question_show_from_three_who_answered_it_and_never_from_two() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, _, diagnostic) = commune(&app, "lea@exemple.fr", "Ville de Saint-Essai").await;
    let mut links = Vec::new();
    for _ in 0..3 {
        links.push(lead.invite(&diagnostic, "agent", "", false).await);
    }
    // Two respondents: no question's answers anywhere.
    submit(&app, &q, &links[0], true, Justified::AsTheOthers).await;
    submit(&app, &q, &links[1], false, Justified::AsTheOthers).await;
    let page = results(&lead, &diagnostic).await;
    assert!(!page.contains("question par question"), "{page}");
    let page = inclusive_answers(&lead, &diagnostic).await;
    assert!(page.contains("Résultats d'ensemble à venir") && !page.contains("<strong>2</strong>"));
    let json = results_json(&lead, &diagnostic).await;
    assert!(json.get("questions").is_none(), "{json}");
    let csv = download(&lead, &format!("/diagnostics/{diagnostic}/results.csv"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(!csv.contains("\"Réponses\""), "{csv}");

    // A third, who leaves the justified question blank: three count for every other
    // question, but that one was answered by two only, and stays hidden.
    submit(&app, &q, &links[2], false, Justified::Blank).await;
    let page = results(&lead, &diagnostic).await;
    assert!(page.contains("Les réponses, question par question"));
    assert!(page.contains(&format!(
        r#"href="/diagnostics/{diagnostic}/results/inclusif""#
    )));
    let page = inclusive_answers(&lead, &diagnostic).await;
    assert!(page.contains("masquées : moins de 3 personnes ont répondu à cette question"));
    // Nobody else reads them, and there is no eighth quality.
    let stranger = app.visitor();
    stranger.sign_up("Inconnu", "inconnu@exemple.fr").await;
    let (status, _) = stranger
        .get(&format!("/diagnostics/{diagnostic}/results/inclusif"))
        .await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, _) = lead
        .get(&format!("/diagnostics/{diagnostic}/results/durable"))
        .await;
    assert_eq!(status, 404);
    let json = results_json(&lead, &diagnostic).await;
    assert!(question_json(&json, JUSTIFIED)["answers"].is_null());
    let counts = &question_json(&json, "inc-offre-1")["answers"];
    assert_eq!(counts["counted"], 3);
    assert_eq!(
        counts["choices"][0],
        serde_json::json!({ "value": "yes", "count": 1 })
    );
    assert_eq!(
        counts["choices"][1],
        serde_json::json!({ "value": "no", "count": 2 })
    );
    assert_eq!(
        (
            counts["dont_know"].clone(),
            counts["not_applicable"].clone()
        ),
        (0.into(), 0.into())
    );
    assert!(page.contains("Oui : <strong>1</strong> ; Non : <strong>2</strong>"));
    let csv = download(&lead, &format!("/diagnostics/{diagnostic}/results.csv"))
        .await
        .text()
        .await
        .expect("csv");
    assert!(csv.contains("\"Réponses masquées : moins de 3 personnes ont répondu\""));
    assert!(
        csv.contains(";\"Oui\";1\n") && csv.contains(";\"Non\";2\n"),
        "{csv}"
    );
}

#[tokio::test]
async fn justifications_show_without_their_authors_only_where_five_answered_the_question() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, _, diagnostic) = commune(&app, "lea@exemple.fr", "Ville de Saint-Essai").await;
    let names = [
        "Alice Perrin",
        "Bruno Roux",
        "Chloé Faure",
        "David Blanc",
        "Emma Petit",
        "Farid Morel",
    ];
    let mut links = Vec::new();
    for name in names {
        links.push(lead.invite(&diagnostic, "agent", name, false).await);
    }
    let why = [
        "Zéro marché de site en cours",
        "Aucun prestataire web",
        "Sites faits en régie",
    ];
    for (n, token) in links[..5].iter().enumerate() {
        let j = match why.get(n) {
            Some(w) => Justified::NotApplicable(w),
            None => Justified::AsTheOthers,
        };
        submit(&app, &q, token, n % 2 == 0, j).await;
    }
    // Five answered the question, but the page counts by groups of 3: three are counted,
    // too few for their words.
    let page = inclusive_answers(&lead, &diagnostic).await;
    for w in why {
        assert!(!page.contains(w), "{w} shown from 3 counted");
    }
    assert!(page.contains("s'affichent, sans leurs auteurs, là où au moins 5 personnes"));
    let json = results_json(&lead, &diagnostic).await;
    assert_eq!(
        question_json(&json, JUSTIFIED)["answers"]["not_applicable"],
        3
    );
    assert!(question_json(&json, JUSTIFIED)["not_applicable_justifications"].is_null());

    submit(&app, &q, &links[5], true, Justified::AsTheOthers).await;
    let page = inclusive_answers(&lead, &diagnostic).await;
    let shown: Vec<usize> = why.iter().filter_map(|w| page.find(w)).collect();
    assert_eq!(shown.len(), 3, "the three justifications are shown");
    // In alphabetical order, not in the order people answered; and nobody's name.
    assert!(shown[1] < shown[2] && shown[2] < shown[0], "{shown:?}");
    assert!(page.contains("Pourquoi « non applicable »"));
    for name in names {
        assert!(!page.contains(name), "{name} beside the answers");
    }
    let json = results_json(&lead, &diagnostic).await;
    assert_eq!(
        question_json(&json, JUSTIFIED)["not_applicable_justifications"],
        serde_json::json!([
            "Aucun prestataire web",
            "Sites faits en régie",
            "Zéro marché de site en cours"
        ])
    );
}

/// The action of the form on `page` whose path starts with `prefix` and ends with `suffix`.
fn form_action(page: &str, prefix: &str, suffix: &str) -> Option<String> {
    page.split("action=\"").skip(1).find_map(|rest| {
        let action = rest.split('"').next()?;
        (action.starts_with(prefix) && action.ends_with(suffix)).then(|| action.to_owned())
    })
}

#[tokio::test]
async fn a_lead_asks_to_join_a_recommended_coalition_and_only_its_porteurs_answer() {
    let app = spawn_app().await;
    let q = territoires(&app);
    // Answered unfavourably: the frugal card recommends « achat-public-responsable ».
    let slug = "achat-public-responsable";
    let coalition = app.coalition(slug).await;
    let (porteur, _) = app
        .coalition_member(&coalition, "porteur", "porteur@exemple.fr")
        .await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let (lead, _, diagnostic) = commune(&app, "lea@exemple.fr", "Ville de Saint-Essai").await;
    let (other, _, other_diagnostic) = commune(&app, "autre@exemple.fr", "Ville d'Ailleurs").await;
    for (l, d) in [(&lead, &diagnostic), (&other, &other_diagnostic)] {
        for _ in 0..3 {
            let token = l.invite(d, "agent", "", false).await;
            submit(&app, &q, &token, false, Justified::AsTheOthers).await;
        }
    }

    let page = results(&lead, &diagnostic).await;
    assert!(
        page.contains(&format!(r#"<a href="/coalitions/{slug}">"#)),
        "linked"
    );
    assert!(page.contains("Demander à rejoindre"));
    // Someone else's lead cannot ask for this organisation.
    let (status, _, _) = other
        .post(
            &format!("/diagnostics/{diagnostic}/join-requests"),
            &[("coalition", slug)],
        )
        .await;
    assert_eq!(status, 403);
    let (status, location, body) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/join-requests"),
            &[("coalition", slug)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with(&format!("/diagnostics/{diagnostic}/results")));
    let page = results(&lead, &diagnostic).await;
    assert!(page.contains("demande envoyée : elle attend la réponse de ses porteurs"));
    // The other organisation asks too.
    let (status, _, _) = other
        .post(
            &format!("/diagnostics/{other_diagnostic}/join-requests"),
            &[("coalition", slug)],
        )
        .await;
    assert_eq!(status, 303);

    // The porteurs see both requests; a contributor, a stranger and the public none.
    let members = format!("/coalitions/{slug}/members");
    let (_, seen) = porteur.get(&members).await;
    assert!(
        seen.contains("Demandes pour rejoindre la coalition (2)"),
        "{seen}"
    );
    assert!(seen.contains("Ville de Saint-Essai") && seen.contains("Ailleurs"));
    for reader in [&contributor, &lead, &app.visitor()] {
        let (_, page) = reader.get(&members).await;
        assert!(
            !page.contains("Demandes pour rejoindre"),
            "a request shown to a non-porteur"
        );
        assert!(!page.contains("join-requests/"));
    }
    let prefix = format!("/coalitions/{slug}/join-requests/");
    let first = seen.find("Ville de Saint-Essai").unwrap_or(0);
    let accept = form_action(&seen[first..], &prefix, "/accept").expect("an accept form");
    let decline_other = {
        let second = seen.find("Ailleurs").unwrap_or(0);
        form_action(&seen[second..], &prefix, "/decline").expect("a decline form")
    };

    // Only the porteurs answer.
    for intruder in [&contributor, &lead] {
        let (status, _, _) = intruder.post(&accept, &[]).await;
        assert_eq!(status, 403);
    }
    let (status, _, body) = porteur.post(&accept, &[]).await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = porteur.post(&decline_other, &[]).await;
    assert_eq!(status, 303, "{body}");

    let (_, seen) = porteur.get(&members).await;
    assert!(!seen.contains("Demandes pour rejoindre"), "both answered");
    let current = seen.split("Anciens membres").next().unwrap_or(&seen);
    assert!(
        current.contains("Ville de Saint-Essai"),
        "accepted: a member"
    );
    assert!(!current.contains("Ailleurs"), "declined: not a member");
    let page = results(&lead, &diagnostic).await;
    assert!(page.contains("votre organisation en est membre"));
    // Declined, the other may ask again.
    let page = results(&other, &other_diagnostic).await;
    assert!(page.contains("Demander à rejoindre"));
}

#[tokio::test]
async fn the_csv_suits_a_french_spreadsheet_in_french_and_an_english_one_in_english() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, _, diagnostic) = commune(&app, "lea@exemple.fr", "Île-de-Ré Commune").await;
    for high in [true, false, false] {
        let token = lead.invite(&diagnostic, "agent", "", false).await;
        submit(&app, &q, &token, high, Justified::AsTheOthers).await;
    }
    let response = download(&lead, &format!("/diagnostics/{diagnostic}/results.csv")).await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii header")
        .to_owned();
    let csv = response.text().await.expect("csv");
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark");
    let header = csv.lines().next().unwrap_or("");
    assert_eq!(
        header.trim_start_matches('\u{feff}').split(';').count(),
        10,
        "{header}"
    );
    assert!(
        csv.contains(";\"Score de la qualité\";\"Frugal\";"),
        "words, not slugs"
    );
    assert!(csv.contains(";\"La commande\";") && !csv.contains(";\"commande\";"));
    assert!(
        csv.contains(";\"Réponses\";"),
        "the answers question by question"
    );
    // A score of one favourable respondent in three has decimals: written with a comma.
    let overall = csv
        .lines()
        .find(|l| l.contains("\"Indice global\""))
        .expect("overall row");
    let value = overall.rsplit(';').next().unwrap_or("");
    assert!(value.contains(',') && !value.contains('.'), "{overall}");
    let day = time::OffsetDateTime::now_utc().date().to_string();
    assert!(
        disposition.contains(&format!(
            "filename=\"resultats-ile-de-re-commune-{day}.csv\""
        )),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''R%C3%A9sultats%20%E2%80%93%20%C3%8Ele%2Dde%2DR%C3%A9%20Commune%20%E2%80%93%20"),
        "the name in words: {disposition}"
    );

    let response = download(
        &lead,
        &format!("/diagnostics/{diagnostic}/results.csv?lang=en"),
    )
    .await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii header")
        .to_owned();
    let csv = response.text().await.expect("csv");
    assert!(!csv.starts_with('\u{feff}'));
    assert!(csv.starts_with("Organisation,Diagnostic,Questionnaire,Version,Measure,Quality,"));
    assert!(csv.contains(",\"Quality score\",\"Frugal\","));
    assert!(csv.contains(",\"Commissioning\","));
    let overall = csv
        .lines()
        .find(|l| l.contains("\"Overall index\""))
        .expect("overall row");
    let value = overall.rsplit(',').next().unwrap_or("");
    assert!(
        value.contains('.') && value.parse::<f64>().is_ok(),
        "{overall}"
    );
    assert!(disposition.contains(&format!("filename=\"results-ile-de-re-commune-{day}.csv\"")));

    // The JSON keeps its codes, with labels beside them.
    let json = results_json(&lead, &diagnostic).await;
    assert!(json["qualities"]["frugal"]["score"].is_number());
    assert_eq!(json["qualities"]["frugal"]["label"]["fr"], "Frugal");
    assert_eq!(json["dimension_labels"]["commande"]["fr"], "La commande");
}

//! The online autodiagnostic over HTTP: a lead signs up, registers a territory, opens a
//! diagnostic and invites colleagues, who answer page by page; then everyone reads results.

use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::{QuestionKind, Questionnaire};

/// Pages stay light: under 50 KB with the stylesheet, which every page loads.
fn assert_light(html: &str, page: &str) {
    const STYLESHEET: &str = include_str!("../../src/web/static/style.css");
    let total = html.len() + STYLESHEET.len();
    assert!(total < 50_000, "{page}: {total} bytes with the stylesheet");
}

/// A complete page of answers for one quality; `high` picks favourable answers.
pub fn page_answers(q: &Questionnaire, quality: Quality, high: bool) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (_, question) in q.questions_of(quality) {
        let name = format!("a.{}", question.id);
        let value = match &question.kind {
            QuestionKind::Scale { labels, .. } => {
                if high {
                    labels.len().to_string()
                } else {
                    "1".to_owned()
                }
            }
            QuestionKind::Single { options } => {
                let best = options.iter().max_by(|a, b| a.score.total_cmp(&b.score));
                let worst = options.iter().min_by(|a, b| a.score.total_cmp(&b.score));
                (if high { best } else { worst })
                    .map(|o| o.id.clone())
                    .unwrap_or_default()
            }
            QuestionKind::Multiple { options } => options
                .iter()
                .find(|o| !o.exclusive)
                .map(|o| o.id.clone())
                .unwrap_or_default(),
            QuestionKind::YesNo { .. } => {
                if high {
                    "yes".into()
                } else {
                    "no".into()
                }
            }
            QuestionKind::Number { thresholds, .. } => {
                let t = if high {
                    thresholds.last()
                } else {
                    thresholds.first()
                };
                t.map(|t| t.value.to_string()).unwrap_or_else(|| "0".into())
            }
            QuestionKind::Text => "Un atelier avec les habitants.".to_owned(),
        };
        fields.push((name, value));
    }
    fields
}

/// Opens an invitation link and starts; returns the token of the response's own link.
pub async fn start(respondent: &Visitor, invitation: &str) -> String {
    let (status, html) = respondent.get(&format!("/r/{invitation}")).await;
    assert_eq!(status, 200, "{html}");
    let (status, location, body) = respondent
        .post(&format!("/r/{invitation}/start"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    let own = location.trim_start_matches("/r/").to_owned();
    assert!(
        own.len() == 64 && own.bytes().all(|b| b.is_ascii_hexdigit()),
        "{location}"
    );
    assert_ne!(own, invitation, "the response has a link of its own");
    own
}

/// Where the invitation link takes this browser: the token of the response's own link.
pub async fn own_link(respondent: &Visitor, invitation: &str) -> String {
    let response = respondent
        .client
        .get(format!("{}/r/{invitation}", respondent.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    location.trim_start_matches("/r/").to_owned()
}

/// Answers every step and submits; returns the results page.
pub async fn answer_everything(
    respondent: &Visitor,
    q: &Questionnaire,
    invitation: &str,
    high: bool,
) -> String {
    // Started from a personal link, the response lives on a link of its own (issue 11).
    let token = start(respondent, invitation).await;
    for (n, &quality) in Quality::ALL.iter().enumerate() {
        let step = n + 1;
        let (status, html) = respondent.get(&format!("/r/{token}/step/{step}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("Étape {step} sur 7")), "{html}");
        assert_light(&html, &format!("step {step}"));
        let answers = page_answers(q, quality, high);
        let mut fields: Vec<(&str, &str)> = answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        fields.push(("action", "next"));
        let (status, location, body) = respondent
            .post(&format!("/r/{token}/step/{step}"), &fields)
            .await;
        assert_eq!(status, 303, "step {step}: {body}");
        let expected = if step < 7 {
            format!("/r/{token}/step/{}", step + 1)
        } else {
            format!("/r/{token}/review")
        };
        assert_eq!(location, expected);
    }
    let (_, review) = respondent.get(&format!("/r/{token}/review")).await;
    assert!(
        review.contains("Vous avez répondu à toutes les questions notées"),
        "{review}"
    );
    let (status, location, _) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/r/{token}/results"));
    let (status, results) = respondent.get(&location).await;
    assert_eq!(status, 200);
    assert_light(&results, "respondent results");
    results
}

async fn lead_with_diagnostic(app: &TestApp) -> (Visitor, String, String) {
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    (lead, organisation, diagnostic)
}

#[tokio::test]
async fn a_lead_invites_three_colleagues_who_answer_and_everyone_reads_the_results() {
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (lead, organisation, diagnostic) = lead_with_diagnostic(&app).await;
    let (_, page) = lead.get(&format!("/organisations/{organisation}")).await;
    assert!(page.contains("Ville de Saint-Essai") && page.contains("Autodiagnostic"));

    let elu = lead
        .invite(&diagnostic, "elu", "Maire adjointe", false)
        .await;
    let agent = lead
        .invite(&diagnostic, "agent", "Service accueil", false)
        .await;
    assert_ne!(elu, agent);

    let first = answer_everything(&app.visitor(), &q, &elu, true).await;
    assert!(
        first.contains("Vos résultats") && first.contains(r#"role="img""#),
        "{first}"
    );
    assert!(first.contains("Que faire ensuite ?"));
    answer_everything(&app.visitor(), &q, &agent, false).await;
    // Organisation figures need 3 respondents (issue 11): a third colleague answers.
    let dsi = lead
        .invite(&diagnostic, "dsi", "Service informatique", false)
        .await;
    answer_everything(&app.visitor(), &q, &dsi, false).await;

    let (status, results) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert_eq!(status, 200);
    assert_light(&results, "organisation results");
    for expected in [
        "indice global sur 100",
        "<svg",
        "Par dimension et par qualité",
        "Accords et désaccords",
        "Vos répondant·es divergent sur",
        "Que faire ensuite ?",
    ] {
        assert!(results.contains(expected), "missing {expected}");
    }
    // One answered everything favourably, the others not: they disagree on every quality.
    assert!(results.contains("<strong>3</strong> répondant·es"));
    // Nobody's answers are shown one by one, and the two roles (fewer than 3 each) are not shown apart.
    assert!(!results.contains("Maire adjointe"));
    assert!(results.contains("à partir de 3 répondant·es"));

    let (_, english) = lead
        .get(&format!("/diagnostics/{diagnostic}/results?lang=en"))
        .await;
    assert!(
        english.contains(r#"<html lang="en">"#) && english.contains("Your respondents differ on")
    );

    let csv = lead
        .client
        .get(format!(
            "{}/diagnostics/{diagnostic}/results.csv",
            app.address
        ))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.expect("body");
    // The lead switched to English just above: the CSV follows, with `,` and `.` and the
    // names in English words (the French one is in results_reading).
    assert!(csv.starts_with(
        "Organisation,Diagnostic,Questionnaire,Version,Measure,Quality,Dimension,Question,Answer,Value\n"
    ));
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",\"Quality × dimension score\","))
            .count(),
        21
    );
    assert!(csv.contains(",\"Respondents\",,,,,3\n"));

    let json: serde_json::Value = lead
        .client
        .get(format!(
            "{}/diagnostics/{diagnostic}/results.json",
            app.address
        ))
        .send()
        .await
        .expect("json")
        .json()
        .await
        .expect("valid json");
    assert_eq!(json["respondents"], 3);
    assert_eq!(json["questionnaire"]["slug"], "territoires");
    // A favourable and two unfavourable respondents: the mean sits in between, with divergence.
    let inclusive = json["qualities"]["inclusif"]["score"]
        .as_f64()
        .expect("a score");
    assert!((20.0..80.0).contains(&inclusive), "{inclusive}");
    assert!(
        json["qualities"]["inclusif"]["dispersion"]
            .as_f64()
            .is_some_and(|d| d > 15.0)
    );
    assert!(
        !json.to_string().contains("Maire adjointe"),
        "no respondent details in the export"
    );
}

#[tokio::test]
async fn a_respondent_resumes_from_another_device_with_the_personal_link_shown_on_starting() {
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "dsi", "", false).await;

    let laptop = app.visitor();
    // The response's own link, shown on starting, is the one to resume with (issue 11).
    let token = start(&laptop, &token).await;
    let answers = page_answers(&q, Quality::Inclusif, true);
    let mut fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("action", "save"));
    let (status, location, _) = laptop.post(&format!("/r/{token}/step/1"), &fields).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/r/{token}?saved=1"));

    let phone = app.visitor();
    let (_, intro) = phone.get(&format!("/r/{token}")).await;
    assert!(intro.contains("Reprendre"), "{intro}");
    let (_, step) = phone.get(&format!("/r/{token}/step/1")).await;
    let (first_name, first_value) = &answers[0];
    let id = first_name.trim_start_matches("a.");
    assert!(
        step.contains(&format!(
            r#"name="{first_name}" id="{id}-{first_value}" value="{first_value}" checked"#
        )),
        "the saved answer is selected"
    );
}

#[tokio::test]
async fn a_rejected_page_keeps_every_answer_and_says_what_is_wrong_beside_the_question() {
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "agent", "", false).await;
    let respondent = app.visitor();
    let token = start(&respondent, &token).await;

    // Step 2 (frugal): one number out of range, one question left out, the rest fine.
    let mut answers = page_answers(&q, Quality::Frugal, true);
    let number = q
        .questions_of(Quality::Frugal)
        .find(|(_, question)| matches!(question.kind, QuestionKind::Number { max: Some(_), .. }))
        .map(|(_, question)| question.id.clone())
        .expect("a bounded number question");
    let left_out = answers.pop().expect("answers").0;
    for (name, value) in answers.iter_mut() {
        if *name == format!("a.{number}") {
            *value = "100000".into();
        }
    }
    let mut fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("action", "next"));
    let (status, _, html) = respondent
        .post(&format!("/r/{token}/step/2"), &fields)
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Certaines réponses sont à revoir"));
    assert!(
        html.contains(&format!(r##"href="#q-{number}""##)),
        "the summary links to the question"
    );
    assert!(html.contains("Saisissez un nombre entre"), "{html}");
    assert!(
        html.contains(r#"value="100000""#),
        "what was typed comes back"
    );
    // A question left out is no error since issue 14: it may be answered later.
    assert!(!html.contains(&format!(
        r##"href="#q-{}""##,
        left_out.trim_start_matches("a.")
    )));
    // Every valid answer of the page is saved already.
    let (_, again) = respondent.get(&format!("/r/{token}/step/2")).await;
    let (name, value) = &answers[0];
    if *name != format!("a.{number}") {
        assert!(
            again.contains(&format!(r#"value="{value}" checked"#)),
            "{name}"
        );
    }

    // A tampered option id is refused too.
    let single = q
        .questions_of(Quality::Frugal)
        .find(|(_, question)| matches!(question.kind, QuestionKind::Single { .. }))
        .map(|(_, question)| question.id.clone())
        .expect("a single-choice question");
    let field = format!("a.{single}");
    let (status, _, html) = respondent
        .post(
            &format!("/r/{token}/step/2"),
            &[(field.as_str(), "pirate"), ("action", "save")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("ne fait pas partie des choix proposés"));
}

#[tokio::test]
async fn a_submitted_response_is_final_and_a_second_submit_adds_nothing() {
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let invitation = lead.invite(&diagnostic, "elu", "", false).await;
    let respondent = app.visitor();
    answer_everything(&respondent, &q, &invitation, true).await;
    // The same browser is taken from the invitation link to the response's own.
    let token = own_link(&respondent, &invitation).await;
    let (status, location, _) = respondent.post(&format!("/r/{token}/submit"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, format!("/r/{token}/results").as_str())
    );
    let (status, _, _) = respondent
        .post(&format!("/r/{token}/step/1"), &[("action", "next")])
        .await;
    assert_eq!(status, 409);
    let submitted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(submitted, 1);
}

#[tokio::test]
async fn a_shared_link_gives_each_person_a_link_of_their_own() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let shared = lead
        .invite(&diagnostic, "agent", "Tous les agents", true)
        .await;
    let mut personal = Vec::new();
    for _ in 0..2 {
        let agent = app.visitor();
        agent.get(&format!("/r/{shared}")).await;
        let (status, location, _) = agent.post(&format!("/r/{shared}/start"), &[]).await;
        assert_eq!(status, 303);
        let token = location.trim_start_matches("/r/").to_owned();
        assert_ne!(token, shared);
        personal.push(token);
    }
    assert_ne!(personal[0], personal[1]);
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(page.contains("2 commencée(s), 0 envoyée(s)"), "{page}");
}

#[tokio::test]
async fn a_revoked_link_no_longer_opens() {
    let app = spawn_app().await;
    let (lead, _, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "elu", "", false).await;
    let (_, page) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    let invitation = page
        .split(r#"id="invitation-"#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an invitation")
        .to_owned();
    let (status, _, _) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/invitations/{invitation}/revoke"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (status, html) = app.visitor().get(&format!("/r/{token}")).await;
    assert_eq!(status, 410);
    assert!(html.contains("révoqué"));
}

#[tokio::test]
async fn an_unknown_or_malformed_link_answers_404() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    assert_eq!(visitor.get(&format!("/r/{}", "a".repeat(64))).await.0, 404);
    assert_eq!(visitor.get("/r/'%20OR%201=1").await.0, 404);
    assert_eq!(
        visitor
            .get(&format!("/r/{}/step/9", "b".repeat(64)))
            .await
            .0,
        404
    );
}

//! Issue 11 « Trust », found with item 3: a lead knows every personal link of their
//! diagnostic (the diagnostic page lists them), so a response reached through that link would
//! be one person's answers, read below the 3-respondent threshold. Starting a personal link
//! now gives the response a link of its own, which the lead never sees; the invitation link
//! takes back only the browser that started it.

use crate::diagnostic::{answer_everything, own_link, page_answers, start};
use crate::helpers::{TestApp, Visitor, spawn_app};
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::Questionnaire;

fn territoires(app: &TestApp) -> Questionnaire {
    app.registry
        .latest("territoires")
        .expect("territoires")
        .as_ref()
        .clone()
}

async fn lead_with_diagnostic(app: &TestApp) -> (Visitor, String) {
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    (lead, diagnostic)
}

/// Everything stored about responses and answers, to show that nothing changed.
async fn stored(app: &TestApp) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_as::<_, (String, Option<String>)>(
        "SELECT id, submitted_at FROM responses ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("responses")
    .into_iter()
    .map(|(id, submitted)| format!("response {id} {submitted:?}"))
    .collect();
    type Answer = (String, String, String, Option<String>, Option<String>);
    let answers: Vec<Answer> = sqlx::query_as(
        "SELECT response_id, question_id, state, value, justification FROM answers
         ORDER BY response_id, question_id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("answers");
    rows.extend(answers.into_iter().map(|a| format!("answer {a:?}")));
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations")
        .fetch_one(&app.pool)
        .await
        .expect("invitations");
    rows.push(format!("{links} invitations"));
    rows
}

fn answers_of(q: &Questionnaire, quality: Quality, high: bool) -> Vec<(String, String)> {
    let mut fields = page_answers(q, quality, high);
    fields.push(("action".into(), "next".into()));
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Everything a lead can try with a colleague's personal link: every page read, every form
/// posted. None of it shows an answer or changes anything.
async fn lead_tries_the_link(lead: &Visitor, q: &Questionnaire, invitation: &str, own: &str) {
    let (status, html) = lead.get(&format!("/r/{invitation}")).await;
    assert_eq!(status, 410, "{html}");
    assert!(html.contains("Lien déjà utilisé"), "{html}");
    assert!(
        !html.contains(own) && !html.contains("déjà répondu"),
        "{html}"
    );
    for step in 1..=7 {
        let (status, html) = lead.get(&format!("/r/{invitation}/step/{step}")).await;
        assert_eq!(status, 303, "step {step}: {html}");
        assert!(!html.contains("checked"), "step {step}: {html}");
    }
    for page in ["review", "results"] {
        let (status, html) = lead.get(&format!("/r/{invitation}/{page}")).await;
        assert_eq!(status, 303, "{page}: {html}");
        assert!(!html.contains(own), "{page}: {html}");
    }
    let (status, _, html) = lead.post(&format!("/r/{invitation}/start"), &[]).await;
    assert_eq!(status, 410, "{html}");
    assert!(!html.contains(own), "{html}");
    let low = answers_of(q, Quality::Inclusif, false);
    let (status, location, _) = lead
        .post(&format!("/r/{invitation}/step/1"), &pairs(&low))
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{invitation}"))
    );
    let (status, location, _) = lead.post(&format!("/r/{invitation}/submit"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{invitation}"))
    );
    // A forged « resume » cookie for the link does not stand for the response's own link.
    let forged = "f".repeat(64);
    let response = lead
        .client
        .get(format!("{}/r/{invitation}", lead.base))
        .header("cookie", format!("resume={forged}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 410);
}

#[tokio::test]
async fn a_lead_who_knows_a_colleagues_personal_link_reads_and_changes_nothing_before_or_after_the_submit()
 {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let invitation = lead.invite(&diagnostic, "agent", "Samir", false).await;

    let colleague = app.visitor();
    let own = start(&colleague, &invitation).await;
    let high = answers_of(&q, Quality::Inclusif, true);
    let (status, _, body) = colleague
        .post(&format!("/r/{own}/step/1"), &pairs(&high))
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, listed) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(listed.contains(&invitation) && !listed.contains(&own));
    assert!(
        listed.contains("En cours"),
        "the lead still sees the link in progress"
    );

    // While the colleague is answering.
    let before = stored(&app).await;
    lead_tries_the_link(&lead, &q, &invitation, &own).await;
    assert_eq!(stored(&app).await, before, "the lead changed the response");

    // After the colleague submitted.
    answer_everything_on(&colleague, &q, &own).await;
    let before = stored(&app).await;
    lead_tries_the_link(&lead, &q, &invitation, &own).await;
    assert_eq!(stored(&app).await, before, "the lead changed the response");
    let (_, listed) = lead.get(&format!("/diagnostics/{diagnostic}")).await;
    assert!(listed.contains("Réponse envoyée"), "{listed}");
    // The colleague still reads their own results.
    let (status, html) = colleague.get(&format!("/r/{own}/results")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Vos résultats"));
}

/// Answers the 7 steps on a response's own link and submits.
async fn answer_everything_on(respondent: &Visitor, q: &Questionnaire, own: &str) {
    for (n, &quality) in Quality::ALL.iter().enumerate() {
        let fields = answers_of(q, quality, true);
        let (status, _, body) = respondent
            .post(&format!("/r/{own}/step/{}", n + 1), &pairs(&fields))
            .await;
        assert_eq!(status, 303, "step {}: {body}", n + 1);
    }
    let (status, location, _) = respondent.post(&format!("/r/{own}/submit"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{own}/results"))
    );
}

#[tokio::test]
async fn a_respondent_resumes_through_the_link_shown_on_starting_and_in_the_same_browser_through_the_invitation()
 {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let invitation = lead.invite(&diagnostic, "dsi", "", false).await;

    let laptop = app.visitor();
    let (_, intro) = laptop.get(&format!("/r/{invitation}")).await;
    assert!(
        intro.contains("vous recevrez votre propre lien personnel"),
        "{intro}"
    );
    let csrf = laptop.csrf().expect("a CSRF token");
    let response = laptop
        .client
        .post(format!("{}/r/{invitation}/start", laptop.base))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    let own = location.trim_start_matches("/r/").to_owned();
    assert_eq!(own.len(), 64);
    assert_ne!(own, invitation);
    // The browser that started keeps the way back, readable by no script and sent only to
    // this invitation's pages.
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("resume="))
        .expect("a resume cookie")
        .to_owned();
    for part in ["HttpOnly", "SameSite=Lax", &format!("Path=/r/{invitation}")] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }

    // The response's own link is shown, to keep.
    let (status, html) = laptop.get(&format!("/r/{own}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("{}/r/{own}", app.address)), "{html}");
    assert!(html.contains("Gardez ce lien pour reprendre"), "{html}");
    let fields = answers_of(&q, Quality::Inclusif, true);
    let (status, _, _) = laptop
        .post(&format!("/r/{own}/step/1"), &pairs(&fields))
        .await;
    assert_eq!(status, 303);

    // The same browser, through the invitation link: back to its response.
    assert_eq!(own_link(&laptop, &invitation).await, own);
    let (status, html) = laptop.get(&format!("/r/{invitation}")).await;
    assert_eq!(status, 303, "{html}");

    // Another device, through the response's own link: the saved answers are there.
    let phone = app.visitor();
    let (status, intro) = phone.get(&format!("/r/{own}")).await;
    assert_eq!(status, 200);
    assert!(intro.contains("Reprendre"), "{intro}");
    let (_, step) = phone.get(&format!("/r/{own}/step/1")).await;
    assert!(step.contains("checked"), "the saved answers are selected");
    // Through the invitation link, the other device is told which link to use, in English too.
    let (status, html) = phone.get(&format!("/r/{invitation}?lang=en")).await;
    assert_eq!(status, 410);
    assert!(
        html.contains("Link already used") && html.contains("personal link shown when starting"),
        "{html}"
    );
    // Starting again from the invitation link makes nothing.
    let before = stored(&app).await;
    let (status, _, _) = phone.post(&format!("/r/{invitation}/start"), &[]).await;
    assert_eq!(status, 410);
    assert_eq!(stored(&app).await, before);
    // The start form is not offered on the response's own link: it carries on instead.
    let (status, location, _) = laptop.post(&format!("/r/{own}/start"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{own}/step/1"))
    );
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn two_browsers_starting_one_personal_link_at_once_make_one_response() {
    let app = spawn_app().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let invitation = lead.invite(&diagnostic, "elu", "", false).await;
    let (a, b) = (app.visitor(), app.visitor());
    a.get(&format!("/r/{invitation}")).await;
    b.get(&format!("/r/{invitation}")).await;
    let path = format!("/r/{invitation}/start");
    let (first, second) = tokio::join!(a.post(&path, &[]), b.post(&path, &[]));
    let responses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(responses, 1, "{first:?} {second:?}");
    let owned: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE parent_id IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(owned, 1);
    // Exactly one of them got the response's link; the other was told the link is used.
    let winners = [&first, &second]
        .iter()
        .filter(|(status, location, _)| {
            *status == 303 && location.starts_with("/r/") && *location != format!("/r/{invitation}")
        })
        .count();
    assert_eq!(winners, 1, "{first:?} {second:?}");
}

#[tokio::test]
async fn a_lead_answering_alone_gets_back_to_their_response_and_sees_their_results_at_once() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let lead = app.visitor();
    lead.sign_up("Léa Martin", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville de Saint-Essai").await;
    let (status, location, body) = lead
        .post(
            &format!("/organisations/{organisation}/diagnostics"),
            &[("questionnaire", "territoires"), ("answering", "solo")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let diagnostic = location.trim_start_matches("/diagnostics/").to_owned();
    let invitation = lead.invite(&diagnostic, "elu", "", false).await;

    // The lead answers in their own browser, and reads their results at once.
    let results = answer_everything(&lead, &q, &invitation, true).await;
    assert!(results.contains("Vos résultats"), "{results}");
    // Their link takes them back to their response, then to its results.
    let own = own_link(&lead, &invitation).await;
    let (status, _) = lead.get(&format!("/r/{own}")).await;
    assert_eq!(status, 303);
    let (status, html) = lead
        .get(&format!("/diagnostics/{diagnostic}/results"))
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("indice global sur 100"), "{html}");
}

#[tokio::test]
async fn a_personal_link_started_before_responses_had_links_of_their_own_keeps_working() {
    let app = spawn_app().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let invitation = lead.invite(&diagnostic, "agent", "", false).await;
    // As a response started before this change was stored: on the personal link itself.
    let response = reset_eval::db::new_id();
    reset_eval::db::insert_response(
        &app.pool,
        &response,
        &diagnostic,
        "agent",
        &reset_eval::db::now(),
        None,
    )
    .await
    .expect("response");
    sqlx::query("UPDATE invitations SET response_id = $1 WHERE token = $2")
        .bind(&response)
        .bind(&invitation)
        .execute(&app.pool)
        .await
        .expect("attached");

    let respondent = app.visitor();
    let (status, html) = respondent.get(&format!("/r/{invitation}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Reprendre") || html.contains("Aller aux questions"));
    let (status, location, _) = respondent
        .post(&format!("/r/{invitation}/start"), &[])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{invitation}/step/1"))
    );
    let (status, _) = respondent.get(&format!("/r/{invitation}/step/1")).await;
    assert_eq!(status, 200);
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(links, 1, "no second link, no second response");
}

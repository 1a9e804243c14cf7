//! Issue 14, the respondent's journey as people expect it: a question may be skipped (and the
//! list of steps says so), « Reprendre » goes back where one stopped, a shared link reopened
//! in the same browser leads back to its response instead of making a second one, « non
//! applicable » announces its justification and says what is missing beside its box, the
//! review lists every answer and counts them as the results do, and a response needs a
//! minimum of answers before it can be sent.

use crate::diagnostic::{page_answers, start};
use crate::helpers::{TestApp, Visitor, spawn_app, spawn_app_configured};
use reset_eval::domain::Quality;
use reset_eval::domain::i18n::Lang;
use reset_eval::domain::questionnaire::{NotApplicable, QuestionKind, Questionnaire};

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

/// A respondent started on a personal link: the visitor and the response's own link.
async fn started(app: &TestApp) -> (Visitor, String) {
    let (lead, diagnostic) = lead_with_diagnostic(app).await;
    let invitation = lead.invite(&diagnostic, "agent", "", false).await;
    let respondent = app.visitor();
    let own = start(&respondent, &invitation).await;
    (respondent, own)
}

async fn post_step(
    respondent: &Visitor,
    own: &str,
    step: usize,
    answers: &[(String, String)],
    action: &str,
) -> (u16, String, String) {
    let mut fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("action", action));
    let (status, location, body) = respondent
        .post(&format!("/r/{own}/step/{step}"), &fields)
        .await;
    (status.as_u16(), location, body)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

fn step_label(step: usize) -> String {
    format!("Étape {step} — {}", Quality::ALL[step - 1].label(Lang::Fr))
}

/// The answers of the scored questions of a step, high, in the page's order.
fn scored_answers(q: &Questionnaire, step: usize) -> Vec<(String, String)> {
    page_answers(q, Quality::ALL[step - 1], true)
        .into_iter()
        .filter(|(name, _)| {
            let id = name.trim_start_matches("a.");
            q.question_index(id)
                .is_some_and(|i| q.questions[i].is_scored())
        })
        .collect()
}

#[tokio::test]
async fn skipping_a_question_saves_the_page_and_marks_its_step_partly_done() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (respondent, own) = started(&app).await;
    let mut answers = scored_answers(&q, 1);
    let skipped = answers.remove(0);
    let (status, location, body) = post_step(&respondent, &own, 1, &answers, "next").await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("/r/{own}/step/2")),
        "{body}"
    );
    let saved = count(&app, "SELECT COUNT(*) FROM answers").await;
    assert_eq!(saved, answers.len() as i64, "the other answers are saved");

    // The list of steps, on the response's page and on every step, says what is left.
    let (_, intro) = respondent.get(&format!("/r/{own}")).await;
    let partly = format!("{}</a> : en partie (1 sans réponse)", step_label(1));
    assert!(intro.contains(&partly), "{intro}");
    assert!(
        intro.contains(&format!("{}</a> : à faire", step_label(2))),
        "{intro}"
    );
    let (_, step2) = respondent.get(&format!("/r/{own}/step/2")).await;
    assert!(step2.contains("en partie (1 sans réponse)"), "{step2}");
    // A number's range is read with its field.
    let bounded = q
        .questions_of(Quality::ALL[1])
        .find(|(_, question)| matches!(question.kind, QuestionKind::Number { max: Some(_), .. }))
        .map(|(_, question)| question.id.clone())
        .expect("a bounded number on step 2");
    let input = step2
        .find(&format!(
            "<input type=\"text\" inputmode=\"decimal\" id=\"{bounded}-value\""
        ))
        .expect("the number's field");
    let tag = &step2[input..input + step2[input..].find('>').expect("tag")];
    assert!(
        tag.contains(&format!("aria-describedby=\"q-{bounded}-range\"")),
        "{tag}"
    );
    assert!(
        step2.contains(&format!("id=\"q-{bounded}-range\"")),
        "{step2}"
    );
    let (_, review) = respondent.get(&format!("/r/{own}/review")).await;
    let question = q
        .question_index(skipped.0.trim_start_matches("a."))
        .map(|i| q.questions[i].text.get(Lang::Fr).to_owned())
        .expect("question");
    let listed = review
        .find(&question)
        .expect("the skipped question is listed");
    assert!(
        review[listed..]
            .trim_start_matches(&question)
            .contains("<strong>Sans réponse</strong>"),
        "{review}"
    );

    // An invalid answer is still refused, beside its question, and the rest kept.
    let mut invalid = answers.clone();
    let scale = q
        .questions_of(Quality::ALL[0])
        .find(|(_, question)| matches!(question.kind, QuestionKind::Scale { .. }))
        .map(|(_, question)| format!("a.{}", question.id))
        .expect("a scale question on step 1");
    invalid.retain(|(name, _)| name != &scale);
    invalid.push((scale.clone(), "99".into()));
    let (status, _, body) = post_step(&respondent, &own, 1, &invalid, "next").await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Choisissez un point de l&#39;échelle")
            || body.contains("Choisissez un point de l'échelle"),
        "{body}"
    );
}

#[tokio::test]
async fn resume_lands_on_the_step_where_the_person_stopped_and_saving_for_later_shows_the_link() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (respondent, own) = started(&app).await;
    for step in 1..=2 {
        let (status, _, body) =
            post_step(&respondent, &own, step, &scored_answers(&q, step), "next").await;
        assert_eq!(status, 303, "{body}");
    }
    let some = scored_answers(&q, 3)
        .into_iter()
        .take(1)
        .collect::<Vec<_>>();
    let (status, location, _) = post_step(&respondent, &own, 3, &some, "save").await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("/r/{own}?saved=1"))
    );
    let (status, saved) = respondent.get(&location).await;
    assert_eq!(status, 200);
    assert!(saved.contains("Vos réponses sont enregistrées."), "{saved}");
    assert!(
        saved.contains(&format!("/r/{own}</code>")),
        "the personal link to keep: {saved}"
    );
    // Reopened later, from any device: « Reprendre » leads to step 3, the first not done.
    let elsewhere = app.visitor();
    let (_, intro) = elsewhere.get(&format!("/r/{own}")).await;
    assert!(
        !intro.contains("Vos réponses sont enregistrées."),
        "{intro}"
    );
    assert!(
        intro.contains(&format!("href=\"/r/{own}/step/3\">Reprendre à l'étape 3")),
        "{intro}"
    );
    assert!(
        intro.contains(&format!("{}</a> : faite", step_label(2))),
        "{intro}"
    );
    assert!(
        intro.contains(&format!("{}</a> : en partie", step_label(3))),
        "{intro}"
    );

    // Jumping to a step from the list saves the page and goes there; resuming goes back to it.
    let (_, elsewhere_step) = elsewhere.get(&format!("/r/{own}/step/3")).await;
    assert!(
        elsewhere_step.contains("name=\"action\" value=\"step-6\""),
        "{elsewhere_step}"
    );
    let (status, location, _) =
        post_step(&elsewhere, &own, 3, &scored_answers(&q, 3), "step-6").await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("/r/{own}/step/6"))
    );
    let (_, intro) = respondent.get(&format!("/r/{own}")).await;
    assert!(
        intro.contains(&format!("{}</a> : faite", step_label(3))),
        "{intro}"
    );
    assert!(
        intro.contains(&format!("href=\"/r/{own}/step/6\">Reprendre à l'étape 6")),
        "{intro}"
    );
}

#[tokio::test]
async fn a_shared_link_reopened_in_the_same_browser_leads_back_to_its_response_and_makes_no_second_one()
 {
    let app = spawn_app().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let shared = lead
        .invite(&diagnostic, "agent", "Tous les agents", true)
        .await;
    let respondent = app.visitor();
    let own = start(&respondent, &shared).await;
    let (_, intro) = respondent.get(&format!("/r/{own}")).await;
    assert!(intro.contains("Votre lien personnel"), "{intro}");
    assert!(intro.contains(&format!("/r/{own}</code>")), "{intro}");

    // Reopened: back to the response, not « Commencer » again.
    let response = respondent
        .client
        .get(format!("{}/r/{shared}", respondent.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok()),
        Some(&*format!("/r/{own}"))
    );
    // A « Commencer » from a page left open does not make a second response either.
    let (status, location, _) = respondent.post(&format!("/r/{shared}/start"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{own}"))
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM responses").await, 1);

    // The cookie is signed: its bare value, or another browser, is not recognised.
    let (status, html) = app.visitor().get(&format!("/r/{shared}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Commencer"), "{html}");
    let forged = app
        .client
        .get(format!("{}/r/{shared}", app.address))
        .header("cookie", format!("resume={own}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(forged.status(), 200, "an unsigned cookie is not trusted");
    // Another person of the shared link still starts a response of their own.
    let other = app.visitor();
    let theirs = start(&other, &shared).await;
    assert_ne!(theirs, own);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM responses").await, 2);
}

/// Answers the first `n` scored questions, step by step, and `dont_know` more with « je ne
/// sais pas » where it is offered.
async fn answer_first(
    q: &Questionnaire,
    respondent: &Visitor,
    own: &str,
    n: usize,
    dont_know: usize,
) {
    let (mut left, mut unsure) = (n, dont_know);
    for step in 1..=Quality::ALL.len() {
        let mut page = Vec::new();
        for (name, value) in scored_answers(q, step) {
            let id = name.trim_start_matches("a.").to_owned();
            let question = &q.questions[q.question_index(&id).expect("question")];
            if left > 0 {
                page.push((name, value));
                left -= 1;
            } else if unsure > 0 && question.dont_know {
                let radio = matches!(
                    question.kind,
                    QuestionKind::Scale { .. }
                        | QuestionKind::Single { .. }
                        | QuestionKind::YesNo { .. }
                );
                page.push((
                    format!("{}.{id}", if radio { "a" } else { "s" }),
                    "__dk".into(),
                ));
                unsure -= 1;
            }
        }
        let (status, _, body) = post_step(respondent, own, step, &page, "next").await;
        assert_eq!(status, 303, "step {step}: {body}");
    }
}

#[tokio::test]
async fn a_send_below_the_minimum_coverage_is_refused_with_why_and_accepted_at_the_threshold() {
    let app = spawn_app_configured(crate::helpers::shipped_questionnaires(), |settings| {
        settings.min_answered_share = 0.5;
    })
    .await;
    let q = territoires(&app);
    let scored = q.scored_questions().count();
    let needed = scored.div_ceil(2);
    let (respondent, own) = started(&app).await;
    // One short, with « je ne sais pas » everywhere else it is offered: those do not count.
    answer_first(&q, &respondent, &own, needed - 1, scored).await;
    let (_, review) = respondent.get(&format!("/r/{own}/review")).await;
    let rule = format!(
        "Pas encore : au moins {needed} des {scored} questions notées doivent avoir une réponse pour envoyer ; vous en avez {}",
        needed - 1
    );
    assert!(review.contains(&rule), "{review}");
    assert!(
        review.contains("aria-describedby=\"coverage-rule\""),
        "{review}"
    );
    let (status, _, refused) = respondent.post(&format!("/r/{own}/submit"), &[]).await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused.contains("Vos réponses n'ont pas été envoyées"),
        "{refused}"
    );
    let beside = refused.find(&rule).expect("the rule");
    let button = refused
        .find("Envoyer mes réponses</button>")
        .expect("the button");
    assert!(beside < button, "the why comes just before the button");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM responses WHERE submitted_at IS NOT NULL"
        )
        .await,
        0,
        "nothing sent"
    );
    // At the threshold exactly, it is sent.
    answer_first(&q, &respondent, &own, needed, 0).await;
    let (_, review) = respondent.get(&format!("/r/{own}/review")).await;
    assert!(
        review.contains(&format!("Pour envoyer, au moins {needed} des {scored} questions notées doivent avoir une réponse")),
        "{review}"
    );
    let (status, location, body) = respondent.post(&format!("/r/{own}/submit"), &[]).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, &*format!("/r/{own}/results")),
        "{body}"
    );
}

#[tokio::test]
async fn not_applicable_without_justification_shows_its_error_beside_the_text_box() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (respondent, own) = started(&app).await;
    let question = q
        .questions
        .iter()
        .find(|question| question.not_applicable == NotApplicable::Justified)
        .expect("a question whose « non applicable » needs a why");
    let id = &question.id;
    let step = Quality::ALL
        .iter()
        .position(|&quality| quality == question.quality)
        .expect("step")
        + 1;
    let (_, page) = respondent.get(&format!("/r/{own}/step/{step}")).await;
    assert!(
        page.contains(&format!("<p class=\"hint\" id=\"{id}-justification-hint\">Obligatoire si vous choisissez « non applicable »")),
        "the field says it: {page}"
    );
    let radio = matches!(
        question.kind,
        QuestionKind::Scale { .. } | QuestionKind::Single { .. } | QuestionKind::YesNo { .. }
    );
    let na = (
        format!("{}.{id}", if radio { "a" } else { "s" }),
        "__na".to_owned(),
    );
    let (status, _, body) =
        post_step(&respondent, &own, step, std::slice::from_ref(&na), "next").await;
    assert_eq!(status, 422, "{body}");
    let error_id = format!("{id}-justification-error");
    let label = body
        .find(&format!("for=\"{id}-justification\""))
        .expect("label");
    let error = body
        .find(&format!("id=\"{error_id}\""))
        .expect("the error beside the box");
    let textarea = body
        .find(&format!("<textarea id=\"{id}-justification\""))
        .expect("box");
    assert!(label < error && error < textarea, "{body}");
    let tag = &body[textarea..textarea + body[textarea..].find('>').expect("tag")];
    assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
    assert!(
        tag.contains(&error_id),
        "the box is described by its error: {tag}"
    );
    assert!(
        body.contains(&format!("href=\"#{id}-justification\"")),
        "the summary leads to the box"
    );
    // The « non applicable » choice is kept as typed.
    assert!(
        body.contains(&format!("id=\"{id}-na\" value=\"__na\" checked")),
        "{body}"
    );
    let why = (format!("j.{id}"), "Pas de service concerné".to_owned());
    let (status, _, body) = post_step(&respondent, &own, step, &[na, why], "next").await;
    assert_eq!(status, 303, "{body}");
}

/// The figure before « des questions notées ont une réponse ».
fn share_shown(html: &str) -> String {
    let end = html
        .find("des questions notées ont une réponse")
        .expect("the share");
    let before = &html[..end];
    let start = before.rfind("<strong>").expect("strong") + "<strong>".len();
    before[start..]
        .split("</strong>")
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_review_lists_every_answer_with_a_link_and_counts_them_as_the_results_do() {
    let app = spawn_app().await;
    let q = territoires(&app);
    let (respondent, own) = started(&app).await;
    let scored = q.scored_questions().count();
    answer_first(&q, &respondent, &own, 20, 5).await;
    let (status, review) = respondent.get(&format!("/r/{own}/review")).await;
    assert_eq!(status, 200);
    for (step, &quality) in Quality::ALL.iter().enumerate() {
        for (_, question) in q.questions_of(quality) {
            let change = format!("href=\"/r/{own}/step/{}#q-{}\"", step + 1, question.id);
            assert!(review.contains(&change), "{change}: {review}");
        }
    }
    assert!(review.contains("Je ne sais pas"), "{review}");
    assert!(review.contains("<li>5 « je ne sais pas »</li>"), "{review}");
    assert!(review.contains(&format!("(20 sur {scored})")), "{review}");
    // No account links on the respondent's pages: a way back to the response instead.
    for page in [
        review.clone(),
        respondent.get(&format!("/r/{own}/step/2")).await.1,
    ] {
        assert!(!page.contains("href=\"/signin\""), "{page}");
        assert!(!page.contains("href=\"/signup\""), "{page}");
        assert!(
            page.contains(&format!("<a href=\"/r/{own}\">Ma réponse</a>")),
            "{page}"
        );
    }
    let before = share_shown(&review);
    let (status, location, _) = respondent.post(&format!("/r/{own}/submit"), &[]).await;
    assert_eq!(status, 303);
    let (_, results) = respondent.get(&location).await;
    assert_eq!(
        share_shown(&results),
        before,
        "« je ne sais pas » counted the same way"
    );
}

//! Invitations by e-mail: each colleague receives a personal link that works, a reminder goes
//! to a person at most once a day, the automatic reminder before the closing date goes once,
//! and answers are refused after the closing date.

use crate::helpers::Visitor;
use crate::mailbox::{self, SmtpApp, spawn_app_with_smtp, worker};
use reset_eval::app::invitations::send_automatic_reminders;

const PEOPLE: [&str; 3] = ["lea@example.org", "noe@example.org", "sam@example.org"];

/// A lead with a collective diagnostic of their commune; returns the lead and the diagnostic.
async fn lead_with_diagnostic(app: &SmtpApp) -> (Visitor, String) {
    let lead = app.visitor();
    app.sign_up(&lead, "Camille Martin", "camille@example.org")
        .await;
    let commune = lead.register_commune("Villeurbanne").await;
    let diagnostic = lead.open_diagnostic(&commune, "territoires").await;
    (lead, diagnostic)
}

async fn invite(
    lead: &Visitor,
    diagnostic: &str,
    addresses: &str,
    language: &str,
) -> (reqwest::StatusCode, String, String) {
    lead.post(
        &format!("/diagnostics/{diagnostic}/mail-invitations"),
        &[
            ("addresses", addresses),
            ("role", "agent"),
            ("language", language),
        ],
    )
    .await
}

/// The invitation ids listed on the page, in order, from the reminder forms.
fn invitation_ids(html: &str) -> Vec<String> {
    html.split("/mail-invitations/")
        .skip(1)
        .filter_map(|s| s.split('/').next())
        .filter(|id| id.len() == 36)
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn three_colleagues_invited_by_email_each_receive_a_working_personal_link() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, location, body) = invite(
        &lead,
        &diagnostic,
        "lea@example.org\nNoe@Example.org\n\nsam@example.org",
        "",
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/diagnostics/{diagnostic}/mail-invitations?sent=3")
    );

    let all = app.mails(&PEOPLE, 3).await;
    let mut links = Vec::new();
    for address in ["lea@example.org", "noe@example.org", "sam@example.org"] {
        let received = mailbox::to(&all, address);
        assert_eq!(received.len(), 1, "{all:#?}");
        let mail = received[0];
        // French unless the lead chose English, with who invites and to what.
        assert!(
            mail.subject.contains("Invitation à l'autodiagnostic"),
            "{}",
            mail.subject
        );
        assert!(mail.text.contains("Camille Martin"), "{}", mail.text);
        assert!(mail.text.contains("Villeurbanne"), "{}", mail.text);
        let link = mail.link("/r/").expect("a link to answer");
        let token = link.trim_start_matches("/r/");
        assert_eq!(token.len(), 64, "{link}");
        links.push(link);
    }
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 3, "each person has a link of their own");
    for link in &links {
        let (status, page) = app.get_html(link).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("/start"),
            "the introduction offers to start: {page}"
        );
    }

    // The lead sees each address with its participation, and no answer.
    let (_, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/mail-invitations"))
        .await;
    for address in ["lea@example.org", "noe@example.org", "sam@example.org"] {
        assert!(page.contains(address), "{page}");
    }
    assert_eq!(page.matches("Pas commencé").count(), 3, "{page}");
}

#[tokio::test]
async fn a_batch_with_a_faulty_line_is_refused_whole_with_what_was_typed() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, _, page) =
        invite(&lead, &diagnostic, "lea@example.org\nnoe at example", "en").await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("ligne 2 (« noe at example »)"), "{page}");
    assert!(
        page.contains("lea@example.org\nnoe at example"),
        "kept: {page}"
    );
    // None of the batch was invited.
    assert!(app.mails_settled(&PEOPLE).await.is_empty());
    let (_, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/mail-invitations"))
        .await;
    assert!(page.contains("Personne pour l'instant."), "{page}");
}

#[tokio::test]
async fn an_english_batch_is_mailed_in_english() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, _, body) = invite(&lead, &diagnostic, "lea@example.org", "en").await;
    assert_eq!(status, 303, "{body}");
    let all = app.mails(&PEOPLE, 1).await;
    assert!(
        all[0].subject.contains("Invitation to the self-diagnostic"),
        "{}",
        all[0].subject
    );
    assert!(
        all[0].text.contains("invites you to answer"),
        "{}",
        all[0].text
    );
}

#[tokio::test]
async fn a_reminder_goes_to_a_person_at_most_once_a_day() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, _, body) =
        invite(&lead, &diagnostic, "lea@example.org\nnoe@example.org", "").await;
    assert_eq!(status, 303, "{body}");
    app.mails(&PEOPLE, 2).await;
    let page_path = format!("/diagnostics/{diagnostic}/mail-invitations");
    let (_, page) = lead.get(&page_path).await;
    let ids = invitation_ids(&page);
    assert_eq!(ids.len(), 2, "{page}");
    let remind = format!("{page_path}/{}/remind", ids[0]);

    let (status, location, body) = lead.post(&remind, &[]).await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("reminded="), "{location}");
    let all = app.mails(&PEOPLE, 3).await;
    let to_lea = mailbox::to(&all, "lea@example.org");
    assert_eq!(to_lea.len(), 2, "{all:#?}");
    assert!(
        to_lea.iter().any(|m| m.subject.starts_with("Rappel")),
        "{to_lea:#?}"
    );
    assert_eq!(mailbox::to(&all, "noe@example.org").len(), 1);

    // The same day, a second reminder to the same person is refused and nothing is sent.
    let (status, _, page) = lead.post(&remind, &[]).await;
    assert_eq!(status, 429, "{page}");
    assert!(page.contains("au plus un rappel par jour"), "{page}");
    assert!(page.contains("lea@example.org"), "{page}");
    assert_eq!(app.mails_settled(&PEOPLE).await.len(), 3);
}

#[tokio::test]
async fn the_automatic_reminder_before_the_closing_date_is_sent_once() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let (status, _, body) =
        invite(&lead, &diagnostic, "lea@example.org\nnoe@example.org", "").await;
    assert_eq!(status, 303, "{body}");
    app.mails(&PEOPLE, 2).await;

    let today = time::OffsetDateTime::now_utc();
    let closes_on =
        reset_eval::domain::invitations::format_date((today + time::Duration::days(10)).date());
    let (status, _, body) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/closing"),
            &[("closes_on", &closes_on), ("reminder_days_before", "3")],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    let context = worker(&app);
    // Not yet due a week before the closing date…
    let queued = send_automatic_reminders(&context, today)
        .await
        .expect("runs");
    assert_eq!(queued, 0);
    // …due three days before it, to both people, once however often the task runs.
    let due = today + time::Duration::days(8);
    let queued = send_automatic_reminders(&context, due).await.expect("runs");
    assert_eq!(queued, 2);
    let again = send_automatic_reminders(&context, due + time::Duration::days(1))
        .await
        .expect("runs");
    assert_eq!(again, 0);

    let all = app.mails(&PEOPLE, 4).await;
    assert_eq!(app.mails_settled(&PEOPLE).await.len(), 4, "{all:#?}");
    for address in ["lea@example.org", "noe@example.org"] {
        let reminders: Vec<_> = mailbox::to(&all, address)
            .into_iter()
            .filter(|m| m.subject.starts_with("Rappel"))
            .collect();
        assert_eq!(reminders.len(), 1, "{all:#?}");
        assert!(
            reminders[0].text.contains(&closes_on),
            "{}",
            reminders[0].text
        );
    }
    let (_, page) = lead
        .get(&format!("/diagnostics/{diagnostic}/mail-invitations"))
        .await;
    assert!(page.contains("Rappel automatique envoyé le"), "{page}");
}

#[tokio::test]
async fn answers_are_refused_after_the_closing_date_with_a_clear_page() {
    let app = spawn_app_with_smtp().await;
    let (lead, diagnostic) = lead_with_diagnostic(&app).await;
    let token = lead.invite(&diagnostic, "agent", "", false).await;
    // A date in the past cannot be typed: the form says so beside the field.
    let (status, _, page) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/closing"),
            &[("closes_on", "2020-01-31"), ("reminder_days_before", "")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("La date de clôture est passée"), "{page}");
    assert!(page.contains("2020-01-31"), "kept: {page}");

    // Open today (the day itself counts)…
    let today =
        reset_eval::domain::invitations::format_date(time::OffsetDateTime::now_utc().date());
    let (status, _, body) = lead
        .post(
            &format!("/diagnostics/{diagnostic}/closing"),
            &[("closes_on", &today), ("reminder_days_before", "")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.get_html(&format!("/r/{token}")).await.0, 200);
    // …closed once the date has passed.
    sqlx::query("UPDATE diagnostics SET closes_on = '2020-01-31' WHERE id = $1")
        .bind(&diagnostic)
        .execute(&app.pool)
        .await
        .expect("updated");
    let (status, page) = app.get_html(&format!("/r/{token}")).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("clos"), "{page}");
    let respondent = app.visitor();
    respondent.get(&format!("/r/{token}")).await;
    let (status, _, _) = respondent.post(&format!("/r/{token}/start"), &[]).await;
    assert_eq!(status, 410);
}

#[tokio::test]
async fn only_the_diagnostics_lead_invites_by_email() {
    let app = spawn_app_with_smtp().await;
    let (_, diagnostic) = lead_with_diagnostic(&app).await;
    let stranger = app.visitor();
    app.sign_up(&stranger, "Autre", "autre@example.org").await;
    let (status, _, _) = invite(&stranger, &diagnostic, "lea@example.org", "").await;
    assert_eq!(status, 403);
    assert_eq!(
        stranger
            .get(&format!("/diagnostics/{diagnostic}/mail-invitations"))
            .await
            .0,
        403
    );
    assert!(app.mails_settled(&PEOPLE).await.is_empty());
}

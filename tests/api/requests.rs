//! What a request may carry and what every answer says to caches: text no field may hold
//! (invalid UTF-8, NUL and control characters, line breaks in one-line fields, signed or
//! far-off dates) refused beside its field with nothing stored; `Cache-Control: no-store` on
//! private pages and downloads; the service's own page for every error the framework
//! answers by itself.

use crate::helpers::{TestApp, Visitor, csrf_of, spawn_app};
use reset_eval::domain::Quality;
use reset_eval::domain::questionnaire::QuestionKind;

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// Posts a body exactly as given (already percent-encoded, bytes that are no UTF-8
/// included), with the CSRF token read from `form_page`; returns the status and the page.
async fn post_body(
    visitor: &Visitor,
    form_page: &str,
    path: &str,
    body: &str,
) -> (reqwest::StatusCode, String) {
    let (_, html) = visitor.get(form_page).await;
    let token = csrf_of(&html).expect("the form page has a CSRF token");
    let response = visitor
        .client
        .post(format!("{}{path}", visitor.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&{body}"))
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

const COMMUNE: &str = "kind=commune&departement=69&commune_insee=69123&size_band=10k_50k";

// --- Item 11: bad text -------------------------------------------------------------------------

#[tokio::test]
async fn a_nul_a_control_character_or_invalid_utf8_in_a_name_is_refused_beside_it_and_nothing_is_stored()
 {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    for (name, kept, code) in [
        ("Mairie+de%00+Lyon", "Mairie de Lyon", "U+0000"),
        ("Mairie+de%1B+Lyon", "Mairie de Lyon", "U+001B"),
        ("Mairie+de%C2%9B+Lyon", "Mairie de Lyon", "U+009B"),
        ("Mairie+de%FF%FE+Lyon", "Mairie de Lyon", "UTF-8"),
        // A right-to-left override, which would make the name read otherwise to others.
        ("Mairie+de%E2%80%AE+Lyon", "Mairie de Lyon", "U+202E"),
    ] {
        let (status, html) = post_body(
            &lead,
            "/organisations/new",
            "/organisations",
            &format!("name={name}&{COMMUNE}"),
        )
        .await;
        assert_eq!(status, 422, "{name}: {html}");
        assert!(html.contains(r#"id="name-error""#), "{name}");
        assert!(
            html.contains(code),
            "{name}: the message names what was removed"
        );
        assert!(html.contains("Vérifiez le texte"), "{name}: in French");
        assert!(
            html.contains(&format!(r#"value="{kept}""#)),
            "{name}: what was typed comes back, minus what was refused"
        );
        assert!(!html.contains('\u{FFFD}') && !html.contains('\0'), "{name}");
    }
    // In English, for the person who reads English.
    let (status, html) = post_body(
        &lead,
        "/organisations/new?lang=en",
        "/organisations",
        &format!("name=Town%00Hall&{COMMUNE}"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("invisible control character (U+0000)"),
        "{html}"
    );
    assert_eq!(count(&app, "organisations").await, 0);

    // The same name without the refused character goes through.
    let (status, _) = post_body(
        &lead,
        "/organisations/new",
        "/organisations",
        &format!("name=Mairie+de+Lyon&{COMMUNE}"),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(count(&app, "organisations").await, 1);
}

#[tokio::test]
async fn a_line_break_is_refused_in_a_one_line_field_and_kept_in_a_text_area() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (contributor, _) = app
        .coalition_member(&coalition, "contributeur", "contrib@exemple.fr")
        .await;
    let journal = "/coalitions/numerique-frugal/journal";
    let entry = |title: &str, notes: &str| {
        format!("kind=atelier&occurred_on=2025-03-14&title={title}&attendance=12&notes={notes}")
    };
    let (status, html) = post_body(
        &contributor,
        journal,
        journal,
        &entry("Atelier%0D%0Abis", "Ligne+un%0D%0ALigne+deux"),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(r#"id="title-error""#) && html.contains("une seule ligne"));
    assert!(
        !html.contains(r#"id="notes-error""#),
        "a text area takes lines"
    );
    assert_eq!(count(&app, "journal_entries").await, 0);

    // A NUL is refused in a text area too.
    let (status, html) =
        post_body(&contributor, journal, journal, &entry("Atelier", "a%00b")).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="notes-error""#) && html.contains("U+0000"));
    assert_eq!(count(&app, "journal_entries").await, 0);

    let (status, _) = post_body(
        &contributor,
        journal,
        journal,
        &entry("Atelier", "Ligne+un%0D%0ALigne+deux%09fin"),
    )
    .await;
    assert_eq!(status, 303);
    let notes: String = sqlx::query_scalar("SELECT notes FROM journal_entries")
        .fetch_one(&app.pool)
        .await
        .expect("notes");
    assert_eq!(notes, "Ligne un\r\nLigne deux\tfin");
}

#[tokio::test]
async fn an_invitation_label_and_a_sign_up_name_with_bad_bytes_are_refused_in_english_too() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville A").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let page = format!("/diagnostics/{diagnostic}");
    let (status, html) = post_body(
        &lead,
        &page,
        &format!("{page}/invitations"),
        "role=agent&label=Service%C2%85achats&shared=0",
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="label-error""#) && html.contains("U+0085"));
    assert!(html.contains(r#"value="Serviceachats""#));
    assert_eq!(count(&app, "invitations").await, 0);

    let newcomer = app.visitor();
    let (status, html) = post_body(
        &newcomer,
        "/signup?lang=en",
        "/signup",
        "display_name=Hugo%C3%28&email=hugo%40exemple.fr&password=une+phrase+de+passe+solide&password_confirm=une+phrase+de+passe+solide",
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="display_name-error""#));
    assert!(html.contains("not readable characters (UTF-8)"), "{html}");
    assert_eq!(count(&app, "accounts").await, 1, "only the lead");
}

#[tokio::test]
async fn a_free_text_answer_with_a_control_character_is_refused_beside_its_question_and_not_saved()
{
    let app = spawn_app().await;
    let q = app
        .registry
        .latest("territoires")
        .expect("territoires")
        .clone();
    let (step, question) = Quality::ALL
        .iter()
        .enumerate()
        .find_map(|(i, quality)| {
            q.questions_of(*quality)
                .find(|(_, question)| matches!(question.kind, QuestionKind::Text))
                .map(|(_, question)| (i + 1, question.id.clone()))
        })
        .expect("a text question");
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville A").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&diagnostic, "agent", "", false).await;
    let respondent = app.visitor();
    let token = crate::diagnostic::start(&respondent, &token).await;
    let path = format!("/r/{token}/step/{step}");

    let (status, html) = post_body(
        &respondent,
        &path,
        &path,
        &format!("a.{question}=Nos+besoins%07+d%27abord&action=save"),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains(&format!(r##"href="#q-{question}""##)),
        "the summary links to it"
    );
    let beside = html
        .split(&format!(r#"id="q-{question}-error""#))
        .nth(1)
        .expect("the error beside the question");
    assert!(beside[..beside.find("</p>").expect("end")].contains("U+0007"));
    assert!(html.contains("Nos besoins d'abord"), "kept, minus the bell");
    assert_eq!(count(&app, "answers").await, 0, "nothing saved for it");

    // Several lines are an answer like any other.
    let (status, _) = post_body(
        &respondent,
        &path,
        &path,
        &format!("a.{question}=Nos+besoins%0D%0Ad%27abord&action=save"),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(count(&app, "answers").await, 1);
}

#[tokio::test]
async fn dates_with_a_sign_or_outside_1900_to_2100_are_refused_beside_the_field() {
    let app = spawn_app().await;
    let coalition = app.coalition("numerique-frugal").await;
    let (porteur, _) = app
        .coalition_member(&coalition, "porteur", "porteur@exemple.fr")
        .await;
    let journal = "/coalitions/numerique-frugal/journal";
    for (date, message) in [
        ("-0001-01-01", "n'est pas une date"),
        ("%2B2025-01-01", "n'est pas une date"),
        ("1850-06-01", "entre 1900 et 2100"),
    ] {
        let (status, html) = post_body(
            &porteur,
            journal,
            journal,
            &format!("kind=atelier&occurred_on={date}&title=Atelier&attendance=3"),
        )
        .await;
        assert_eq!(status, 422, "{date}");
        assert!(html.contains(r#"id="occurred_on-error""#), "{date}");
        assert!(html.contains(message), "{date}: {html}");
    }
    assert_eq!(count(&app, "journal_entries").await, 0);

    // A goal's horizon and an action's due date, the other two date parsers of old.
    for (date, message) in [
        ("%2B2030-12-31", "YYYY-MM-DD"),
        ("2150-12-31", "The year must be between 1900 and 2100."),
    ] {
        let (status, html) = post_body(
            &porteur,
            "/coalitions/numerique-frugal/goals/new?lang=en",
            "/coalitions/numerique-frugal/goals",
            &format!(
                "statement=Moins+d%27achats&horizon={date}&qualities=frugal&dimensions=commande"
            ),
        )
        .await;
        assert_eq!(status, 422, "{date}");
        assert!(html.contains(r#"id="horizon-error""#), "{date}");
        assert!(html.contains(message), "{date}: {html}");
    }
    let (status, html) = post_body(
        &porteur,
        "/coalitions/numerique-frugal/actions",
        "/coalitions/numerique-frugal/actions",
        "title=Former&dimension=usages&status=a_faire&due_on=-2026-06-30",
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="due_on-error""#));
    assert_eq!(
        count(&app, "impact_goals").await + count(&app, "coalition_actions").await,
        0
    );
    // The date picker is told the same range.
    assert!(html.contains(r#"min="1900-01-01" max="2100-12-31""#));
}

// --- Item 10: private pages are not cached -----------------------------------------------------

#[tokio::test]
async fn private_pages_token_pages_and_downloads_are_not_cached_but_the_stylesheet_is() {
    let app = spawn_app().await;
    let lead = app.visitor();
    lead.sign_up("Léa", "lea@exemple.fr").await;
    let organisation = lead.register_commune("Ville A").await;
    let diagnostic = lead.open_diagnostic(&organisation, "territoires").await;
    let token = lead.invite(&diagnostic, "agent", "", false).await;

    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    for path in [
        "/organisations".to_owned(),
        format!("/organisations/{organisation}"),
        format!("/diagnostics/{diagnostic}"),
        format!("/diagnostics/{diagnostic}/results"),
        format!("/diagnostics/{diagnostic}/results.csv"),
        format!("/diagnostics/{diagnostic}/results.json"),
        "/organisations/new".to_owned(),
    ] {
        let response = lead
            .client
            .get(format!("{}{path}", lead.base))
            .send()
            .await
            .expect("sent");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(cache_control(&response), "no-store", "{path}");
    }
    // The invitation link's pages, opened without any session.
    for path in [format!("/r/{token}"), format!("/r/{token}/step/1")] {
        let response = app.get(&path).await;
        assert_eq!(cache_control(&response), "no-store", "{path}");
    }
    // Error pages of private addresses too.
    assert_eq!(cache_control(&app.get("/nulle-part").await), "no-store");
    // The stylesheet is the same for everyone: it stays cacheable, session or not.
    let response = lead
        .client
        .get(format!("{}/static/style.css", lead.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(cache_control(&response), "public, max-age=3600");
}

// --- Item 12: the framework's errors are our pages ---------------------------------------------

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_over_size_body_answers_our_413_page_in_the_persons_language() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.get("/signup").await;
    let long = "a".repeat(reset_eval::web::limits::MAX_BODY_BYTES + 1);
    for (query, accept, expected) in [
        ("", "fr", "Envoi trop volumineux"),
        ("?lang=en", "fr", "Too much sent at once"),
        ("", "en-GB,en;q=0.9", "Too much sent at once"),
    ] {
        let response = visitor
            .client
            .post(format!("{}/signup{query}", visitor.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept-Language", accept)
            .body(format!("display_name={long}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 413);
        assert!(content_type(&response).starts_with("text/html"));
        let html = response.text().await.expect("body");
        assert!(html.contains(expected), "{query} {accept}: {html}");
        assert!(html.contains("256"), "the limit is said");
        assert!(!html.to_lowercase().contains("payload reached size limit"));
    }
    assert_eq!(count(&app, "accounts").await, 0);
}

#[tokio::test]
async fn undecodable_queries_paths_and_wrong_methods_answer_our_own_pages() {
    let app = spawn_app().await;
    let cases = [
        // A query the handler cannot decode (a field given twice).
        (
            "GET",
            "/signin?next=/a&next=/b",
            400,
            "Demande illisible",
            "Unreadable request",
        ),
        // A path segment that is not a number.
        (
            "GET",
            "/r/abc/step/deux",
            404,
            "Page introuvable",
            "Page not found",
        ),
        // A method no route takes: « not found », not the framework's empty 405.
        (
            "DELETE",
            "/signin",
            404,
            "Cette page n'existe pas",
            "This page does not exist",
        ),
    ];
    for (method, path, status, french, english) in cases {
        for (accept, expected) in [("fr-FR", french), ("en", english)] {
            let response = app
                .client
                .request(
                    method.parse().expect("method"),
                    format!("{}{path}", app.address),
                )
                .header("Accept-Language", accept)
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), status, "{method} {path}");
            assert!(
                content_type(&response).starts_with("text/html"),
                "{method} {path}"
            );
            let html = response.text().await.expect("body");
            assert!(html.contains(expected), "{method} {path} {accept}: {html}");
            assert!(
                html.contains(r#"<a class="skip-link""#),
                "the site's own frame"
            );
            assert!(!html.contains("deserialize"), "{method} {path}");
        }
    }
}

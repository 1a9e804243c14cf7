//! Stale forms of an indicator: a baseline or target form opened before someone else changed
//! them is refused with 409 and what changed, and nothing is written (issue 11, « a stale
//! form is refused with what changed », as the measurement forms already are).

use crate::helpers::{TestApp, Visitor, hidden_fields, spawn_app};
use reset_eval::db;
use reset_eval::domain::indicator::standing;

const SLUG: &str = "perimee";

struct Two {
    app: TestApp,
    coalition_id: String,
    base: String,
    first: Visitor,
    second: Visitor,
}

/// A coalition with two co-porteurs and one indicator, counted in « marchés ».
async fn two_porteurs() -> Two {
    let app = spawn_app().await;
    let coalition_id = app.coalition(SLUG).await;
    let (first, _) = app
        .coalition_member(&coalition_id, "porteur", "premiere@example.org")
        .await;
    let (second, _) = app
        .coalition_member(&coalition_id, "porteur", "second@example.org")
        .await;
    let (status, _, body) = first
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
    let goal = db::goals(&app.pool, &coalition_id)
        .await
        .expect("goals")
        .pop()
        .expect("a goal");
    let (status, location, body) = first
        .post(
            &format!("/coalitions/{SLUG}/goals/{}/indicators", goal.id),
            &[
                ("code", "apr-1"),
                ("name", "Marchés avec critères"),
                ("definition", "Marchés notifiés comportant les critères."),
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
    let id = location
        .rsplit('/')
        .next()
        .expect("indicator id")
        .to_owned();
    Two {
        app,
        coalition_id,
        base: format!("/coalitions/{SLUG}/indicators/{id}"),
        first,
        second,
    }
}

/// The baselines stored, as (value, source).
async fn baselines(t: &Two) -> Vec<(Option<f64>, String)> {
    db::baselines_of_coalition(&t.app.pool, &t.coalition_id)
        .await
        .expect("baselines")
        .into_iter()
        .map(|b| (b.value.as_ref().and_then(standing::number), b.source))
        .collect()
}

/// The targets stored, as (due, value, final).
async fn targets(t: &Two) -> Vec<(String, f64, i32)> {
    db::targets_of_coalition(&t.app.pool, &t.coalition_id)
        .await
        .expect("targets")
        .into_iter()
        .map(|t| (t.due.to_string(), t.value, i32::from(t.is_final)))
        .collect()
}

/// What the form posting to `action` carries in its hidden fields (the CSRF token left out).
fn shown(html: &str, action: &str) -> Vec<(String, String)> {
    hidden_fields(html, action)
        .into_iter()
        .filter(|(name, _)| name != "_csrf")
        .collect()
}

async fn post_with(
    who: &Visitor,
    action: &str,
    hidden: &[(String, String)],
    fields: &[(&str, &str)],
) -> (reqwest::StatusCode, String, String) {
    let mut form: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    form.extend_from_slice(fields);
    who.post(action, &form).await
}

#[tokio::test]
async fn a_baseline_from_a_stale_page_is_refused_with_what_changed_and_nothing_is_added() {
    let t = two_porteurs().await;
    let action = format!("{}/baseline", t.base);
    // Both co-porteurs open the baseline form before either saves it.
    let (_, first_page) = t.first.get(&action).await;
    let (_, second_page) = t.second.get(&action).await;
    let first_shown = shown(&first_page, &action);
    let second_shown = shown(&second_page, &action);
    assert!(!first_shown.is_empty(), "the form carries what it showed");
    let (status, _, body) = post_with(
        &t.first,
        &action,
        &first_shown,
        &[
            ("value", "10"),
            ("measured_on", "2020-12-31"),
            ("source", "Registre 2020"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let before = baselines(&t).await;
    let (status, _, html) = post_with(
        &t.second,
        &action,
        &second_shown,
        &[
            ("value", "12"),
            ("measured_on", "2020-12-31"),
            ("source", "Mon tableur"),
            ("reason", "Ma raison à moi"),
        ],
    )
    .await;
    assert_eq!(status, 409, "{html}");
    assert!(
        html.contains("La valeur de référence a changé depuis que vous avez ouvert la page"),
        "{html}"
    );
    // What changed: the baseline recorded meanwhile, its source and who recorded it.
    assert!(html.contains("Ce qui a changé depuis que vous avez ouvert la page"));
    assert!(html.contains("<strong>10 marchés</strong>") && html.contains("Registre 2020"));
    // What was typed is given back in the form.
    assert!(html.contains(r#"value="12""#) && html.contains("Mon tableur"));
    assert!(html.contains("Ma raison à moi"));
    assert_eq!(baselines(&t).await, before, "nothing is written");
    // The 409 page carries what it shows now: saving from it is a deliberate change.
    let (status, _, body) = post_with(
        &t.second,
        &action,
        &shown(&html, &action),
        &[
            ("value", "12"),
            ("measured_on", "2020-12-31"),
            ("source", "Mon tableur"),
            ("reason", "Ma raison à moi"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(baselines(&t).await.len(), 2);
}

#[tokio::test]
async fn a_baseline_form_that_carries_nothing_it_showed_is_refused() {
    let t = two_porteurs().await;
    let action = format!("{}/baseline", t.base);
    let (status, _, html) = t
        .first
        .post(
            &action,
            &[
                ("value", "10"),
                ("measured_on", "2020-12-31"),
                ("source", "Registre 2020"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    assert!(baselines(&t).await.is_empty());
}

#[tokio::test]
async fn a_target_from_a_stale_page_is_refused_with_what_changed_and_nothing_is_replaced() {
    let t = two_porteurs().await;
    let action = format!("{}/targets", t.base);
    let (status, _, body) = t
        .first
        .post_from(
            &format!("{}/baseline", t.base),
            &format!("{}/baseline", t.base),
            &[
                ("value", "10"),
                ("measured_on", "2020-12-31"),
                ("source", "Registre 2020"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // Both co-porteurs open the indicator page; the first sets the final target of 2027.
    let (_, first_page) = t.first.get(&t.base).await;
    let (_, second_page) = t.second.get(&format!("{}?lang=en", t.base)).await;
    let first_shown = shown(&first_page, &action);
    let second_shown = shown(&second_page, &action);
    assert!(!first_shown.is_empty(), "the form carries what it showed");
    let (status, _, body) = post_with(
        &t.first,
        &action,
        &first_shown,
        &[
            ("due_on", "2027-12-31"),
            ("target_value", "40"),
            ("is_final", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let before = targets(&t).await;
    // The second, from the page opened before, would replace it on the same date.
    let (status, _, html) = post_with(
        &t.second,
        &format!("{action}?lang=en"),
        &second_shown,
        &[("due_on", "2027-12-31"), ("target_value", "25")],
    )
    .await;
    assert_eq!(status, 409, "{html}");
    assert!(
        html.contains("This indicator's targets changed since you opened the page"),
        "{html}"
    );
    assert!(html.contains("What changed since you opened the page"));
    assert!(
        html.contains("2027-12-31: target added, <strong>40 marchés (final target)</strong>"),
        "{html}"
    );
    // What was typed is given back, in the form and in the message.
    assert!(html.contains(r#"value="25""#) && html.contains(r#"value="2027-12-31""#));
    assert_eq!(targets(&t).await, before, "nothing is replaced");
    assert_eq!(before, vec![("2027-12-31".to_owned(), 40.0, 1)]);
    // A change of value is told as such, in French too.
    let (_, stale) = t.second.get(&t.base).await;
    let stale = shown(&stale, &action);
    let (status, _, _) = post_with(
        &t.first,
        &action,
        &shown(&t.first.get(&t.base).await.1, &action),
        &[
            ("due_on", "2027-12-31"),
            ("target_value", "50"),
            ("is_final", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, html) = post_with(
        &t.second,
        &format!("{action}?lang=fr"),
        &stale,
        &[("due_on", "2028-12-31"), ("target_value", "60")],
    )
    .await;
    assert_eq!(status, 409, "{html}");
    assert!(
        html.contains(
            "2027-12-31 : 40 marchés (cible finale) → <strong>50 marchés (cible finale)</strong>"
        ),
        "{html}"
    );
    assert_eq!(targets(&t).await, vec![("2027-12-31".to_owned(), 50.0, 1)]);
}

#[tokio::test]
async fn a_target_form_that_carries_nothing_it_showed_is_refused() {
    let t = two_porteurs().await;
    let (status, _, body) = t
        .first
        .post_from(
            &format!("{}/baseline", t.base),
            &format!("{}/baseline", t.base),
            &[
                ("value", "10"),
                ("measured_on", "2020-12-31"),
                ("source", "Registre 2020"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, html) = t
        .first
        .post(
            &format!("{}/targets", t.base),
            &[("due_on", "2027-12-31"), ("target_value", "40")],
        )
        .await;
    assert_eq!(status, 409, "{html}");
    assert!(targets(&t).await.is_empty());
}

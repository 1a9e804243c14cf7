//! The staff's validation queue: every measurement submitted across coalitions, the longest
//! waiting first, each with its evidence and where its indicator stood, to validate or send
//! back (with a comment saying what is missing) several at once from one form that works
//! without JavaScript. Each ticked box carries the revision the page showed: a measurement
//! decided by someone else meanwhile is reported with what they decided, never overwritten.

use crate::app::error::AppError;
use crate::app::indicators::{self, QueueItem, QueueOutcome, StatusChange, StatusRefusal};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::indicator::measurement::MeasurementStatus;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::figures::figure_text;
use crate::web::ui::forms::{csrf, error_summary, textarea};
use crate::web::ui::layout::{html_response, page};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// The name of the ticked boxes; each value is `{measurement}:{revision shown}`.
const CHOSEN: &str = "measurement";

/// `GET /programme/validation`: the queue, for staff only.
pub async fn queue(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let items = indicators::validation_queue(&state.pool).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        queue_page(
            &ctx,
            &token,
            &items,
            &Typed::default(),
            &FieldErrors::new(),
            &[],
        ),
    ))
}

/// What the person chose and typed, given back when the form is refused.
#[derive(Default)]
struct Typed {
    chosen: Vec<String>,
    comment: String,
}

/// `POST /programme/validation`: the decision (`to`: validated, or draft to send back) on
/// every ticked measurement. Nothing is written when no box is ticked or when sending back
/// lacks its comment (422); otherwise each is written on its own, and those decided by
/// someone else since the page was shown are reported (409 when there is any).
pub async fn decide(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let typed = Typed {
        chosen: form.values(CHOSEN),
        comment: form.value("comment").trim().to_owned(),
    };
    let to = MeasurementStatus::from_code(&form.value("to"))
        .filter(|to| matches!(to, MeasurementStatus::Validated | MeasurementStatus::Draft));
    let mut errors = FieldErrors::new();
    if to.is_none() {
        errors.add(
            CHOSEN,
            "Choisissez de valider ou de renvoyer les mesures cochées : rien n'a été enregistré.",
            "Choose to validate or to send back the ticked measurements: nothing was saved.",
        );
    }
    if let Some((fr, en)) = form.text_error("comment", true) {
        errors.add("comment", fr, en);
    }
    if typed.chosen.is_empty() {
        errors.add(
            CHOSEN,
            "Cochez au moins une mesure : rien n'a été enregistré.",
            "Tick at least one measurement: nothing was saved.",
        );
    }
    if to.is_some_and(MeasurementStatus::needs_comment) && typed.comment.is_empty() {
        errors.add(
            "comment",
            "Pour renvoyer des mesures, dites dans le commentaire ce qui manque : rien n'a été enregistré.",
            "To send measurements back, say in the comment what is missing: nothing was saved.",
        );
    }
    let token = session::csrf_token(&session)?;
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        let items = indicators::validation_queue(&state.pool).await?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            queue_page(&ctx, &token, &items, &typed, &errors, &[]),
        ));
    };
    let chosen: Vec<(String, Option<i32>)> = typed
        .chosen
        .iter()
        .map(|value| match value.rsplit_once(':') {
            Some((id, revision)) => (id.to_owned(), revision.parse().ok()),
            None => (value.clone(), None),
        })
        .collect();
    let outcomes = indicators::decide_measurements(
        &state.pool,
        &state.writes,
        &chosen,
        to,
        &typed.comment,
        &user.id,
    )
    .await?;
    let items = indicators::validation_queue(&state.pool).await?;
    let any_conflict = outcomes
        .iter()
        .any(|o| !matches!(o.change, StatusChange::Changed));
    let status = if any_conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    // What was written is done: the form comes back empty, the stale ones reported above it.
    let kept = if any_conflict {
        Typed {
            chosen: Vec::new(),
            comment: typed.comment.clone(),
        }
    } else {
        Typed::default()
    };
    Ok(html_response(
        status,
        queue_page(&ctx, &token, &items, &kept, &FieldErrors::new(), &outcomes),
    ))
}

fn count_text(lang: Lang, n: usize, one: (&str, &str), many: (&str, &str)) -> String {
    let words = if n == 1 { one } else { many };
    format!("{n} {}", lang.pick(words.0, words.1))
}

/// What became of a decision on several measurements: how many were written, and each one
/// left as someone else decided it.
fn outcomes_view(lang: Lang, outcomes: &[QueueOutcome]) -> Markup {
    let written = outcomes
        .iter()
        .filter(|o| matches!(o.change, StatusChange::Changed))
        .count();
    let refused: Vec<&QueueOutcome> = outcomes
        .iter()
        .filter(|o| !matches!(o.change, StatusChange::Changed))
        .collect();
    html! {
        @if written > 0 {
            p.notice.success role="status" { (count_text(lang, written, ("mesure enregistrée.", "measurement saved."), ("mesures enregistrées.", "measurements saved."))) }
        }
        @if !refused.is_empty() {
            div.error-summary role="alert" tabindex="-1" autofocus {
                h2 { (count_text(lang, refused.len(), ("mesure n'a pas été changée", "measurement was not changed"), ("mesures n'ont pas été changées", "measurements were not changed"))) }
                ul { @for o in refused { li { (outcome_text(lang, o)) } } }
            }
        }
    }
}

fn outcome_text(lang: Lang, o: &QueueOutcome) -> Markup {
    let Some(view) = &o.view else {
        return html! { (lang.pick("Cette mesure n'existe plus.", "This measurement no longer exists.")) };
    };
    let i = &view.indicator;
    let Some(current) = view.current() else {
        return html! {};
    };
    let what = html! {
        (i.code) " — " (figure_text(lang, &i.unit, current.value.as_ref())) (lang.pick(" au ", " on ")) (current.measured_on.to_string())
    };
    match &o.change {
        StatusChange::Changed => html! {},
        StatusChange::Conflict { .. } => html! {
            (what) (lang.pick(" : déjà décidée par quelqu'un d'autre depuis l'ouverture de la page — elle est maintenant « ", ": already decided by someone else since the page was opened — it is now « "))
            strong { (current.status.label(lang)) } " »"
            (lang.pick(", par ", ", by ")) (current.recorded_by_name.as_deref().unwrap_or("—"))
            (lang.pick(", le ", ", on ")) (lang.date_time(&current.recorded_at))
            @if !current.comment.is_empty() { " — « " (current.comment) " »" }
            ". " (lang.pick("Rien n'a été écrasé.", "Nothing was overwritten."))
        },
        StatusChange::Refused(StatusRefusal::LockedYear) => html! {
            (what) (lang.pick(" : son année est clôturée, elle ne peut plus changer.", ": its year is locked, it can no longer change."))
        },
        StatusChange::Refused(_) => html! {
            (what) (lang.pick(" : refusée, rien n'a été enregistré.", ": refused, nothing was saved."))
        },
    }
}

fn queue_page(
    ctx: &PageContext,
    token: &str,
    items: &[QueueItem],
    typed: &Typed,
    errors: &FieldErrors,
    outcomes: &[QueueOutcome],
) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Mesures à valider", "Measurements to validate");
    let chosen_error = errors.message(CHOSEN, lang);
    let body = html! {
        p { a href="/programme" { "← " (lang.pick("Vue d'ensemble du programme", "Programme overview")) } }
        h1 { (title) }
        (outcomes_view(lang, outcomes))
        (error_summary(lang, errors, &[(CHOSEN, lang.pick("Mesures", "Measurements")), ("comment", lang.pick("Commentaire", "Comment"))]))
        p { (lang.pick(
            "Les mesures soumises par les coalitions, de la plus ancienne à la plus récente. Cochez celles que vous validez ou renvoyez, puis choisissez en bas de la liste. Seules les mesures validées comptent dans l'avancement.",
            "The measurements submitted by the coalitions, oldest first. Tick those you validate or send back, then choose at the bottom of the list. Only validated measurements count towards progress."
        )) }
        @if items.is_empty() {
            p { (lang.pick("Aucune mesure n'attend de validation.", "No measurement is awaiting validation.")) }
        } @else {
            form method="post" action="/programme/validation" novalidate {
                (csrf(token))
                fieldset.field.queue-group.field-error[chosen_error.is_some()] aria-describedby=[chosen_error.map(|_| "measurement-error")] {
                    legend { (count_text(lang, items.len(), ("mesure soumise", "measurement submitted"), ("mesures soumises", "measurements submitted"))) }
                    @if let Some(e) = chosen_error { p.error-message #measurement-error { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (e) } }
                    ol.queue {
                        @for (n, item) in items.iter().enumerate() {
                            li { (item_view(lang, n, item, typed)) }
                        }
                    }
                }
                (textarea(lang, "comment", lang.pick("Commentaire", "Comment"), &typed.comment,
                    Some(lang.pick("Lu par la coalition. Obligatoire pour renvoyer : dites ce qui manque. Il s'applique à chaque mesure cochée.", "Read by the coalition. Required to send back: say what is missing. It applies to every ticked measurement.")), false, errors))
                div.actions {
                    button type="submit" name="to" value=(MeasurementStatus::Validated.code()) { (lang.pick("Valider les mesures cochées", "Validate the ticked measurements")) }
                    " "
                    button.secondary type="submit" name="to" value=(MeasurementStatus::Draft.code()) { (lang.pick("Renvoyer les mesures cochées en brouillon", "Send the ticked measurements back to draft")) }
                }
            }
        }
    };
    page(ctx, title, body)
}

/// One measurement of the queue: its box, what it says, its evidence, and the indicator's
/// baseline and validated values to compare it with.
fn item_view(lang: Lang, n: usize, item: &QueueItem, typed: &Typed) -> Markup {
    let r = &item.current;
    let i = &item.indicator;
    let unit = i.unit.as_str();
    let value = format!("{}:{}", r.measurement_id, r.revision);
    // The first box carries the group's id, which the error summary links to.
    let id = if n == 0 {
        CHOSEN.to_owned()
    } else {
        format!("{CHOSEN}-{}", r.measurement_id)
    };
    let slug = &item.coalition.slug;
    html! {
        article.card {
            div.choice {
                input type="checkbox" id=(id) name=(CHOSEN) value=(value) checked[typed.chosen.contains(&value)];
                label for=(id) {
                    strong { (i.code) " — " (i.name) } br;
                    (figure_text(lang, unit, r.value.as_ref())) (lang.pick(" au ", " on ")) (r.measured_on.to_string())
                    " · " (item.coalition.name(lang))
                }
            }
            dl.meta {
                dt { (lang.pick("Soumise", "Submitted")) }
                dd { (lang.date_time(&r.recorded_at)) (lang.pick(" par ", " by ")) (r.recorded_by_name.as_deref().unwrap_or("—")) }
                dt { (lang.pick("Preuve", "Evidence")) }
                dd { @if r.evidence_url.is_empty() { (lang.pick("aucune", "none")) } @else { a href=(r.evidence_url) rel="nofollow noopener" { (lang.pick("Voir la preuve", "See the evidence")) span.visually-hidden { " — " (i.code) } } } }
                @if !r.comment.is_empty() { dt { (lang.pick("Commentaire", "Comment")) } dd { (r.comment) } }
                dt { (lang.pick("Historique", "History")) }
                dd {
                    (lang.pick("Référence : ", "Baseline: "))
                    @match &item.baseline {
                        Some(b) => { (figure_text(lang, unit, b.value.as_ref())) (lang.pick(" au ", " on ")) (b.measured_on.to_string()) }
                        None => { "—" }
                    }
                    @if item.validated.is_empty() {
                        br; (lang.pick("Aucune mesure validée avant celle-ci.", "No measurement validated before this one."))
                    } @else {
                        br; (lang.pick("Mesures validées : ", "Validated measurements: "))
                        @for (k, v) in item.validated.iter().enumerate() {
                            @if k > 0 { ", " }
                            (figure_text(lang, unit, v.value.as_ref())) (lang.pick(" au ", " on ")) (v.measured_on.to_string())
                        }
                    }
                    br; a href={ "/coalitions/" (slug) "/measurements/" (r.measurement_id) } { (lang.pick("Voir la mesure et ses révisions", "See the measurement and its revisions")) span.visually-hidden { " — " (i.code) } }
                }
            }
        }
    }
}

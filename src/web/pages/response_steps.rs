//! The pages of answers of a response, one per quality (« étape 3 sur 7 »): shown with what
//! was saved, saved on the server at every page (even when the page is refused, whatever is
//! valid), and given back with a message beside each faulty question and everything the
//! person typed. A page that cannot be saved says so and keeps what was typed. A question may
//! be left blank (the list of steps at the foot of each page says what is left, and its
//! buttons save the page and go to another step); only what is invalid is refused.

use crate::app::error::AppError;
use crate::app::responses;
use crate::db::{self, StoredAnswer};
use crate::domain::Quality;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{
    Answer, AnswerError, AnswerState, MAX_TEXT_CHARS, NotApplicable, Question, QuestionKind,
};
use crate::domain::results::StepStatus;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::pages::respond::{Respondent, STEPS, closed, respondent, revoked, status_text};
use crate::web::session::{self, CheckedForm};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, redirect, respondent_page};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use std::collections::HashMap;

/// Value of the « non applicable » and « je ne sais pas » choices; option ids cannot start
/// with `_`, so these never collide with an option.
const NOT_APPLICABLE: &str = "__na";
const DONT_KNOW: &str = "__dk";

#[derive(Debug, Clone, Default)]
struct Typed {
    values: Vec<String>,
    special: Option<String>,
    justification: String,
}

impl Typed {
    fn from_stored(question: &Question, row: &db::AnswerRow) -> Typed {
        let special = match AnswerState::from_code(&row.state) {
            Some(AnswerState::NotApplicable) => Some(NOT_APPLICABLE.to_owned()),
            Some(AnswerState::DontKnow) => Some(DONT_KNOW.to_owned()),
            _ => None,
        };
        let values = match (&question.kind, &row.value) {
            (QuestionKind::Multiple { .. }, Some(v)) => v.split(',').map(str::to_owned).collect(),
            (_, Some(v)) => vec![v.clone()],
            (_, None) => vec![],
        };
        Typed {
            values,
            special,
            justification: row.justification.clone().unwrap_or_default(),
        }
    }

    fn has(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }
}

/// Reads one page's fields: `a.<id>` values (repeated for several choices), `s.<id>` for
/// « non applicable » / « je ne sais pas » beside a list or a free field, `j.<id>` for the
/// justification.
fn typed_from_form(fields: &[(String, String)], questions: &[&Question]) -> HashMap<String, Typed> {
    let mut typed: HashMap<String, Typed> = questions
        .iter()
        .map(|q| (q.id.clone(), Typed::default()))
        .collect();
    for (key, value) in fields {
        let Some((prefix, id)) = key.split_once('.') else {
            continue;
        };
        let Some(entry) = typed.get_mut(id) else {
            continue;
        };
        match prefix {
            "a" if value == NOT_APPLICABLE || value == DONT_KNOW => {
                entry.special = Some(value.clone())
            }
            "a" => entry.values.push(value.clone()),
            "s" if value == NOT_APPLICABLE || value == DONT_KNOW => {
                if entry.special.as_deref().is_some_and(|s| s != value) {
                    // Both ticked: kept as a conflict for the check below.
                    entry.values.push(String::new());
                    entry.special = Some("__both".into());
                } else {
                    entry.special = Some(value.clone());
                }
            }
            "j" => entry.justification = value.clone(),
            _ => {}
        }
    }
    typed
}

/// Why a question's typed fields make no answer, in both languages, and where it is said.
#[derive(Debug, PartialEq)]
struct Refusal {
    fr: String,
    en: String,
    /// Beside the justification's text box (« non applicable » without its why), rather than
    /// at the top of the question.
    at_justification: bool,
}

impl Refusal {
    fn of_question((fr, en): (String, String)) -> Refusal {
        Refusal {
            fr,
            en,
            at_justification: false,
        }
    }

    /// The field the message is shown beside (see [`question_fieldset`]).
    fn field(&self, question: &Question) -> String {
        if self.at_justification {
            format!("j-{}", question.id)
        } else {
            format!("q-{}", question.id)
        }
    }
}

/// The answer a question's typed fields make, `None` when nothing was entered.
fn parse_typed(question: &Question, typed: &Typed) -> Result<Option<Answer>, Refusal> {
    let values: Vec<&str> = typed
        .values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let justification = Some(typed.justification.as_str()).filter(|j| !j.trim().is_empty());
    if typed.special.as_deref() == Some("__both") {
        return Err(Refusal::of_question((
            "Choisissez soit « non applicable », soit « je ne sais pas », pas les deux.".into(),
            "Choose either \"not applicable\" or \"I don't know\", not both.".into(),
        )));
    }
    let result = match typed.special.as_deref() {
        Some(special) if !values.is_empty() => {
            let _ = special;
            return Err(Refusal::of_question((
                "Choisissez soit une réponse, soit « non applicable » ou « je ne sais pas »."
                    .into(),
                "Choose either an answer, or \"not applicable\" or \"I don't know\".".into(),
            )));
        }
        Some(NOT_APPLICABLE) => {
            question.parse_answer(AnswerState::NotApplicable, None, justification)
        }
        Some(_) => question.parse_answer(AnswerState::DontKnow, None, None),
        None if values.is_empty() => return Ok(None),
        None => {
            let value = values.join(",");
            question.parse_answer(AnswerState::Answered, Some(&value), None)
        }
    };
    result.map(Some).map_err(|e| Refusal {
        at_justification: matches!(
            e,
            AnswerError::JustificationMissing | AnswerError::TooLong { .. }
        ) && typed.special.as_deref() == Some(NOT_APPLICABLE),
        ..Refusal::of_question(message(question, &e))
    })
}

/// What went wrong with an answer, in both languages.
fn message(question: &Question, error: &AnswerError) -> (String, String) {
    let number = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
    match error {
        AnswerError::Missing => ("Répondez à cette question.".into(), "Answer this question.".into()),
        AnswerError::NotAPoint { points } => (
            format!("Choisissez un point de l'échelle, de 1 à {points}."),
            format!("Choose a point of the scale, from 1 to {points}."),
        ),
        AnswerError::UnknownOption => (
            "Cette réponse ne fait pas partie des choix proposés : choisissez-en une dans la liste.".into(),
            "This answer is not one of the choices offered: choose one from the list.".into(),
        ),
        AnswerError::ExclusiveWithOthers => (
            "« Aucun » ne peut pas être coché avec d'autres choix.".into(),
            "\"None\" cannot be ticked with other choices.".into(),
        ),
        AnswerError::NotANumber => (
            "Saisissez un nombre, par exemple 12 ou 12,5.".into(),
            "Enter a number, for example 12 or 12.5.".into(),
        ),
        AnswerError::OutOfRange { min, max } => match (min, max) {
            (Some(_), Some(_)) => (
                format!("Saisissez un nombre entre {} et {}.", number(*min), number(*max)),
                format!("Enter a number between {} and {}.", number(*min), number(*max)),
            ),
            (Some(_), None) => (format!("Saisissez un nombre d'au moins {}.", number(*min)), format!("Enter a number of at least {}.", number(*min))),
            _ => (format!("Saisissez un nombre d'au plus {}.", number(*max)), format!("Enter a number of at most {}.", number(*max))),
        },
        AnswerError::TooLong { max } => (
            format!("Votre texte dépasse {max} caractères : raccourcissez-le."),
            format!("Your text is longer than {max} characters: shorten it."),
        ),
        AnswerError::NotApplicableRefused => (
            "« Non applicable » n'est pas proposé pour cette question.".into(),
            "\"Not applicable\" is not offered for this question.".into(),
        ),
        AnswerError::JustificationMissing => (
            "Expliquez en quelques mots pourquoi cette question ne s'applique pas à votre situation.".into(),
            "Explain in a few words why this question does not apply to your situation.".into(),
        ),
        AnswerError::DontKnowRefused => {
            let _ = question;
            (
                "« Je ne sais pas » n'est pas proposé pour cette question.".into(),
                "\"I don't know\" is not offered for this question.".into(),
            )
        }
    }
}

fn step_quality(step: usize) -> Option<Quality> {
    step.checked_sub(1)
        .and_then(|i| Quality::ALL.get(i))
        .copied()
}

/// GET /r/{token}/step/{n}
pub async fn step(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, usize)>,
) -> Result<HttpResponse, AppError> {
    let (token, n) = path.into_inner();
    let quality = step_quality(n).ok_or(AppError::NotFound)?;
    let r = respondent(&state, &token).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if r.link.submitted_at.is_some() {
        return Ok(redirect(&format!("/r/{token}/results")));
    }
    let Some(response_id) = &r.link.response_id else {
        return Ok(redirect(&format!("/r/{token}")));
    };
    let stored = db::answers_of_response(&state.pool, response_id).await?;
    let q = &r.questionnaire;
    let typed: HashMap<String, Typed> = stored
        .iter()
        .filter_map(|row| {
            q.question_index(&row.question_id).map(|i| {
                (
                    row.question_id.clone(),
                    Typed::from_stored(&q.questions[i], row),
                )
            })
        })
        .collect();
    let statuses = step_statuses(q, &stored);
    let csrf_token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        step_page(
            &ctx,
            &r,
            n,
            quality,
            &typed,
            &FieldErrors::new(),
            &csrf_token,
            false,
            &statuses,
        ),
    ))
}

/// Where each step stands, from a response's stored answers.
fn step_statuses(
    q: &crate::domain::questionnaire::Questionnaire,
    stored: &[db::AnswerRow],
) -> Vec<(StepStatus, usize)> {
    let answers = db::align_answers(q, stored);
    Quality::ALL
        .iter()
        .map(|&quality| {
            let step = crate::domain::results::Coverage::of_step(q, &answers, quality);
            (step.step_status(), step.blank())
        })
        .collect()
}

/// Where a page's button leads: `(step to go to, 1..=STEPS or STEPS + 1 for the review; the
/// step the person will resume at)`. `None` for « Enregistrer et reprendre plus tard »,
/// which goes to the response's page and resumes at this step.
fn destination(action: &str, n: usize) -> (Option<usize>, usize) {
    match action {
        "save" => (None, n),
        "previous" if n > 1 => (Some(n - 1), n - 1),
        "review" => (Some(STEPS + 1), STEPS + 1),
        _ => match action
            .strip_prefix("step-")
            .and_then(|k| k.parse::<usize>().ok())
        {
            Some(k) if (1..=STEPS).contains(&k) => (Some(k), k),
            _ => (Some(n + 1), n + 1),
        },
    }
}

/// POST /r/{token}/step/{n}: saves the page, then goes on, back, or to the introduction.
pub async fn save_step(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, usize)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (token, n) = path.into_inner();
    let quality = step_quality(n).ok_or(AppError::NotFound)?;
    let fields = form.pairs();
    let r = respondent(&state, &token).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if r.link.closed_at.is_some() {
        return Ok(closed(&ctx, &r.link));
    }
    if r.link.submitted_at.is_some() {
        return Ok(already_submitted(&ctx, &token));
    }
    let Some(response_id) = r.link.response_id.clone() else {
        return Ok(redirect(&format!("/r/{token}")));
    };
    let action = form.get("action").map(String::as_str).unwrap_or("next");
    let q = r.questionnaire.clone();
    let questions: Vec<&Question> = q
        .questions_of(quality)
        .map(|(_, question)| question)
        .collect();
    let typed = typed_from_form(fields, &questions);

    let mut errors = FieldErrors::new();
    let mut stored: Vec<(String, AnswerState, Option<String>, Option<String>)> = Vec::new();
    let mut cleared: Vec<&str> = Vec::new();
    for question in &questions {
        // Text refused as the form was read (see `form_text`): said beside the question,
        // and its stored answer left as it was.
        let refused_justification = form.text_error(&format!("j.{}", question.id), true);
        let refused = form
            .text_error(&format!("a.{}", question.id), !question.is_scored())
            .map(|e| (e, "q"))
            .or(refused_justification.map(|e| (e, "j")));
        if let Some(((fr, en), at)) = refused {
            errors.add(&format!("{at}-{}", question.id), fr, en);
            continue;
        }
        let entry = typed.get(&question.id).cloned().unwrap_or_default();
        match parse_typed(question, &entry) {
            Ok(Some(answer)) => {
                let (state, value, justification) = question.store_answer(&answer);
                stored.push((question.id.clone(), state, value, justification));
            }
            // A question may be left blank and come back to later: the step shows as partly
            // done, and the review lists it.
            Ok(None) => cleared.push(&question.id),
            Err(refusal) => errors.add(&refusal.field(question), refusal.fr, refusal.en),
        }
    }
    // Whatever is valid is saved even when the page is rejected: nothing typed is lost,
    // and the page comes back with the rest as typed.
    let rows: Vec<StoredAnswer> = stored
        .iter()
        .map(|(id, state, value, justification)| StoredAnswer {
            question_id: id,
            state: state.code(),
            value: value.as_deref(),
            justification: justification.as_deref(),
        })
        .collect();
    let (next, resume) = destination(action, n);
    // A refused page is where the person is: they resume there.
    let resume = if errors.is_empty() { resume } else { n };
    let saved = responses::save_page(
        &state.pool,
        &state.writes,
        &response_id,
        &rows,
        &cleared,
        resume,
    )
    .await;
    match saved {
        Ok(true) => {}
        // Submitted since the page was read (another tab, a racing submit): nothing written.
        Ok(false) => return Ok(already_submitted(&ctx, &token)),
        Err(e) if db::fault(&e).is_some() => {
            // The storage failed (full disk, lost server…): say the page was not saved and
            // give it back as typed, to send again.
            tracing::warn!(error = %e, "a page of answers could not be saved");
            let csrf_token = session::csrf_token(&session)?;
            let mut response = html_response(
                StatusCode::SERVICE_UNAVAILABLE,
                step_page(
                    &ctx,
                    &r,
                    n,
                    quality,
                    &typed,
                    &errors,
                    &csrf_token,
                    true,
                    &[],
                ),
            );
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("5"),
            );
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    }

    if !errors.is_empty() {
        let stored = db::answers_of_response(&state.pool, &response_id).await?;
        let statuses = step_statuses(&q, &stored);
        let csrf_token = session::csrf_token(&session)?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            step_page(
                &ctx,
                &r,
                n,
                quality,
                &typed,
                &errors,
                &csrf_token,
                false,
                &statuses,
            ),
        ));
    }
    Ok(match next {
        None => redirect(&format!("/r/{token}?saved=1")),
        Some(k) if k > STEPS => redirect(&format!("/r/{token}/review")),
        Some(k) => redirect(&format!("/r/{token}/step/{k}")),
    })
}

fn already_submitted(ctx: &PageContext, token: &str) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick("Réponses déjà envoyées", "Answers already submitted");
    html_response(
        StatusCode::CONFLICT,
        respondent_page(
            ctx,
            title,
            None,
            html! {
                h1 { (title) }
                p { (lang.pick("Vos réponses ont déjà été envoyées : elles ne peuvent plus être modifiées.", "Your answers have already been submitted: they can no longer be changed.")) }
                p { a href={ "/r/" (token) "/results" } { (lang.pick("Voir vos résultats", "See your results")) } }
            },
        ),
    )
}

// The page's parts, each plain: grouping them in a struct would only move the list.
#[allow(clippy::too_many_arguments)]
fn step_page(
    ctx: &PageContext,
    r: &Respondent,
    n: usize,
    quality: Quality,
    typed: &HashMap<String, Typed>,
    errors: &FieldErrors,
    csrf_token: &str,
    // The storage failed: the page was not saved and comes back as typed.
    unsaved: bool,
    // Where each step stands, with its blank questions (none when storage failed).
    statuses: &[(StepStatus, usize)],
) -> Markup {
    let lang = ctx.lang;
    let q = &r.questionnaire;
    let token = &r.link.token;
    let title = format!(
        "{} {n} {} {STEPS} — {}",
        lang.pick("Étape", "Step"),
        lang.pick("sur", "of"),
        quality.label(lang)
    );
    let empty = Typed::default();
    let body = html! {
        p.progress-text { (lang.pick("Étape", "Step")) " " (n) " " (lang.pick("sur", "of")) " " (STEPS) }
        progress max=(STEPS) value=(n) aria-hidden="true" {}
        h1 { (quality.label(lang)) }
        p.lead { (quality.description(lang)) }
        @if unsaved {
            div.error-summary role="alert" aria-labelledby="unsaved-title" tabindex="-1" autofocus[errors.is_empty()] {
                h2 #unsaved-title { (lang.pick("Votre page n'a pas été enregistrée", "Your page was not saved")) }
                p { (lang.pick(
                    "Un incident de notre côté a empêché l'enregistrement. Vos réponses sont restées ci-dessous, telles que vous les avez saisies : renvoyez la page dans quelques instants.",
                    "A fault on our side prevented saving it. Your answers are still below, as you typed them: send the page again in a few moments."
                )) }
            }
        }
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                h2 #error-summary-title { (lang.pick("Certaines réponses sont à revoir", "Some answers need another look")) }
                ul {
                    @for (field, message) in errors.fields() {
                        // A justification's error leads to its text box, any other to its question.
                        @let (id, target) = match field.strip_prefix("j-") {
                            Some(id) => (id, format!("{id}-justification")),
                            None => (field.strip_prefix("q-").unwrap_or(field), field.to_owned()),
                        };
                        @let text = q.question_index(id).map(|i| short(q.questions[i].text.get(lang))).unwrap_or_default();
                        li { a href={ "#" (target) } { "« " (text) " » : " (message.get(lang)) } }
                    }
                }
                p { (lang.pick("Les autres réponses de la page sont enregistrées.", "The other answers of the page are saved.")) }
            }
        }
        form method="post" action={ "/r/" (token) "/step/" (n) } novalidate {
            (csrf(csrf_token))
            @for (_, question) in q.questions_of(quality) {
                (question_fieldset(lang, question, typed.get(&question.id).unwrap_or(&empty), errors))
            }
            div.actions {
                button type="submit" name="action" value="next" {
                    @if n < STEPS { (lang.pick("Enregistrer et continuer", "Save and continue")) } @else { (lang.pick("Enregistrer et relire", "Save and review")) }
                }
                @if n > 1 { button.secondary type="submit" name="action" value="previous" { (lang.pick("Enregistrer et revenir", "Save and go back")) } }
                button.secondary type="submit" name="action" value="save" { (lang.pick("Enregistrer et reprendre plus tard", "Save and resume later")) }
            }
            // After the page's own buttons, so that Enter in a field still means « continuer ».
            @if !statuses.is_empty() {
                nav.steps aria-labelledby="steps-title" {
                    h2 #steps-title { (lang.pick("Aller à une autre étape (cette page est enregistrée)", "Go to another step (this page is saved)")) }
                    ol {
                        @for (i, (&quality, (status, blank))) in Quality::ALL.iter().zip(statuses).enumerate() {
                            @let label = format!("{} {} — {}", lang.pick("Étape", "Step"), i + 1, quality.label(lang));
                            li {
                                @if i + 1 == n {
                                    span aria-current="step" { (label) } " : " (lang.pick("cette page", "this page"))
                                } @else {
                                    button.link-button type="submit" name="action" value={ "step-" (i + 1) } { (label) }
                                    " : " (status_text(lang, *status, *blank))
                                }
                            }
                        }
                        li { button.link-button type="submit" name="action" value="review" { (lang.pick("Relire et envoyer", "Review and submit")) } }
                    }
                }
            }
        }
    };
    respondent_page(ctx, &title, Some(&format!("/r/{token}")), body)
}

fn question_fieldset(
    lang: Lang,
    question: &Question,
    typed: &Typed,
    errors: &FieldErrors,
) -> Markup {
    let id = &question.id;
    let anchor = format!("q-{id}");
    let error = errors.message(&anchor, lang);
    let why_error = errors.message(&format!("j-{id}"), lang);
    let name = format!("a.{id}");
    let special_name = format!("s.{id}");
    let radio_kind = matches!(
        question.kind,
        QuestionKind::Scale { .. } | QuestionKind::Single { .. } | QuestionKind::YesNo { .. }
    );
    let special = typed.special.as_deref();
    let hint_id = format!("{anchor}-hint");
    let error_id = format!("{anchor}-error");
    let described = [
        question.help.as_ref().map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        fieldset.question.field-error[error.is_some() || why_error.is_some()] id=(anchor) tabindex="-1" aria-describedby=[(!described.is_empty()).then_some(described.as_str())] {
            legend { (question.text.get(lang)) @if !question.is_scored() { " " span.optional { (lang.pick("(facultatif)", "(optional)")) } } }
            @if let Some(help) = &question.help { p.hint id=(hint_id) { (help.get(lang)) } }
            details.why { summary { (lang.pick("Pourquoi cette question ?", "Why this question?")) } p { (question.why.get(lang)) } }
            @if let Some(error) = error { p.error-message id=(error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
            @match &question.kind {
                QuestionKind::Scale { labels, .. } => {
                    @for (k, label) in labels.iter().enumerate() {
                        @let value = (k + 1).to_string();
                        (choice("radio", &name, &value, &format!("{}-{}", id, value), label.get(lang), typed.has(&value)))
                    }
                }
                QuestionKind::Single { options } => {
                    @for option in options { (choice("radio", &name, &option.id, &format!("{}-{}", id, option.id), option.label.get(lang), typed.has(&option.id))) }
                }
                QuestionKind::Multiple { options } => {
                    p.hint { (lang.pick("Plusieurs réponses possibles.", "Several answers possible.")) }
                    @for option in options { (choice("checkbox", &name, &option.id, &format!("{}-{}", id, option.id), option.label.get(lang), typed.has(&option.id))) }
                }
                QuestionKind::YesNo { .. } => {
                    (choice("radio", &name, "yes", &format!("{id}-yes"), lang.pick("Oui", "Yes"), typed.has("yes")))
                    (choice("radio", &name, "no", &format!("{id}-no"), lang.pick("Non", "No"), typed.has("no")))
                }
                QuestionKind::Number { unit, min, max, .. } => {
                    div.number-field {
                        label for={ (id) "-value" } { (lang.pick("Votre réponse", "Your answer")) @if let Some(unit) = unit { " (" (unit.get(lang)) ")" } }
                        @let range_id = format!("{anchor}-range");
                        @let has_range = min.is_some() || max.is_some();
                        @if has_range {
                            p.hint id=(range_id) { (range_hint(lang, *min, *max)) }
                        }
                        // The range and the error are read with the field, not only with the question.
                        @let input_described = [has_range.then_some(range_id.as_str()), error.map(|_| error_id.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ");
                        input type="text" inputmode="decimal" id={ (id) "-value" } name=(name) value=(typed.values.first().map(String::as_str).unwrap_or("")) aria-invalid=[error.map(|_| "true")] aria-describedby=[(!input_described.is_empty()).then_some(input_described.as_str())];
                    }
                }
                QuestionKind::Text => {
                    label for={ (id) "-value" } { (lang.pick("Votre réponse", "Your answer")) }
                    textarea id={ (id) "-value" } name=(name) maxlength=(MAX_TEXT_CHARS) rows="4" { (typed.values.first().map(String::as_str).unwrap_or("")) }
                }
            }
            @if question.not_applicable != NotApplicable::No || question.dont_know {
                div.special {
                    @if question.not_applicable != NotApplicable::No {
                        (choice(if radio_kind { "radio" } else { "checkbox" }, if radio_kind { &name } else { &special_name }, NOT_APPLICABLE, &format!("{id}-na"), lang.pick("Non applicable à notre situation", "Not applicable to our situation"), special == Some(NOT_APPLICABLE)))
                    }
                    @if question.dont_know {
                        (choice(if radio_kind { "radio" } else { "checkbox" }, if radio_kind { &name } else { &special_name }, DONT_KNOW, &format!("{id}-dk"), lang.pick("Je ne sais pas", "I don't know"), special == Some(DONT_KNOW)))
                    }
                }
            }
            @if question.not_applicable == NotApplicable::Justified {
                @let why_hint = format!("{id}-justification-hint");
                @let why_error_id = format!("{id}-justification-error");
                @let why_described = [Some(why_hint.as_str()), why_error.map(|_| why_error_id.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ");
                div.justification.field-error[why_error.is_some()] {
                    label for={ (id) "-justification" } { (lang.pick("Si non applicable : pourquoi ?", "If not applicable: why?")) }
                    p.hint id=(why_hint) { (lang.pick(
                        "Obligatoire si vous choisissez « non applicable » : quelques mots suffisent.",
                        "Required if you choose « not applicable »: a few words are enough."
                    )) }
                    @if let Some(why_error) = why_error { p.error-message id=(why_error_id) { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (why_error) } }
                    textarea id={ (id) "-justification" } name={ "j." (id) } maxlength=(MAX_TEXT_CHARS) rows="2" aria-invalid=[why_error.map(|_| "true")] aria-describedby=(why_described) { (typed.justification) }
                }
            }
        }
    }
}

/// The start of a question, to name it in the error summary.
fn short(text: &str) -> String {
    const MAX: usize = 70;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}

fn range_hint(lang: Lang, min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!(
            "{} {a} {} {b}",
            lang.pick("Entre", "Between"),
            lang.pick("et", "and")
        ),
        (Some(a), None) => format!("{} {a}", lang.pick("Au moins", "At least")),
        (None, Some(b)) => format!("{} {b}", lang.pick("Au plus", "At most")),
        (None, None) => String::new(),
    }
}

fn choice(kind: &str, name: &str, value: &str, id: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.choice {
            input type=(kind) name=(name) id=(id) value=(value) checked[checked];
            label for=(id) { (label) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::testing::*;
    use crate::domain::{Dimension, Quality};

    #[test]
    fn typed_fields_make_answers_or_specific_errors() {
        let mut q = question(
            "n",
            Quality::Frugal,
            Dimension::Offre,
            QuestionKind::Number {
                unit: None,
                min: Some(0.0),
                max: Some(100.0),
                thresholds: vec![],
            },
        );
        q.not_applicable = NotApplicable::Justified;
        let fields = vec![("a.n".to_owned(), "150".to_owned())];
        let typed = typed_from_form(&fields, &[&q]);
        let error = parse_typed(&q, &typed["n"]).expect_err("out of range");
        assert!(error.fr.contains("entre 0 et 100"), "{error:?}");
        assert!(!error.at_justification);

        let fields = vec![("s.n".to_owned(), NOT_APPLICABLE.to_owned())];
        let error =
            parse_typed(&q, &typed_from_form(&fields, &[&q])["n"]).expect_err("needs a why");
        assert!(error.fr.contains("pourquoi"));
        assert_eq!(
            error.field(&q),
            "j-n",
            "said beside the justification's box"
        );

        let fields = vec![
            ("s.n".to_owned(), NOT_APPLICABLE.to_owned()),
            ("j.n".to_owned(), "Pas de parc".to_owned()),
        ];
        assert_eq!(
            parse_typed(&q, &typed_from_form(&fields, &[&q])["n"]),
            Ok(Some(Answer::NotApplicable(Some("Pas de parc".into()))))
        );
        let fields = vec![
            ("a.n".to_owned(), "12".to_owned()),
            ("s.n".to_owned(), DONT_KNOW.to_owned()),
        ];
        assert!(parse_typed(&q, &typed_from_form(&fields, &[&q])["n"]).is_err());
        assert_eq!(parse_typed(&q, &typed_from_form(&[], &[&q])["n"]), Ok(None));
    }
}

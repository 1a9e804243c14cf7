//! The respondent's journey, reached through an invitation link and no account: an
//! introduction, one page per quality (« étape 3 sur 7 »), a review listing what is left
//! unanswered, then submission. Starting gives the response a link of its own, which the
//! lead who handed out the invitation never sees; every page saves its answers on the server,
//! so a person can leave and resume from that link on any device. A rejected page comes back
//! with a message beside each faulty question and everything the person typed.

use crate::app::error::AppError;
use crate::db::{self, RespondentLink, StoredAnswer};
use crate::domain::Quality;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{
    Answer, AnswerError, AnswerState, MAX_TEXT_CHARS, NotApplicable, Question, QuestionKind,
    Questionnaire,
};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use std::collections::HashMap;
use std::sync::Arc;

/// Value of the « non applicable » and « je ne sais pas » choices; option ids cannot start
/// with `_`, so these never collide with an option.
const NOT_APPLICABLE: &str = "__na";
const DONT_KNOW: &str = "__dk";

pub const STEPS: usize = Quality::ALL.len();

/// A known link and the questionnaire version its diagnostic is pinned to.
pub(crate) struct Respondent {
    pub link: RespondentLink,
    pub questionnaire: Arc<Questionnaire>,
}

pub(crate) async fn respondent(state: &AppState, token: &str) -> Result<Respondent, AppError> {
    // Tokens are 64 hexadecimal characters: anything else is not worth a query.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let mut link = db::respondent_link(&state.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    // Past its closing date (issue 13), a diagnostic answers as a closed one does.
    if crate::app::invitations::past_closing_date(&state.pool, &link.diagnostic_id).await? {
        link.closed_at.get_or_insert_with(db::now);
    }
    let questionnaire = state
        .registry
        .get(&link.questionnaire_slug, &link.questionnaire_version)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(Respondent {
        link,
        questionnaire,
    })
}

fn gone(ctx: &PageContext, fr: &str, en: &str) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick("Lien indisponible", "Link unavailable");
    html_response(
        StatusCode::GONE,
        page(
            ctx,
            title,
            html! { h1 { (title) } p { (lang.pick(fr, en)) } },
        ),
    )
}

pub(crate) fn revoked(ctx: &PageContext) -> HttpResponse {
    gone(
        ctx,
        "Ce lien a été révoqué par la personne qui gère l'autodiagnostic. Demandez-lui un nouveau lien si vous deviez encore répondre.",
        "This link was revoked by the person managing the self-diagnostic. Ask them for a new link if you still need to answer.",
    )
}

fn closed(ctx: &PageContext) -> HttpResponse {
    gone(
        ctx,
        "Cet autodiagnostic est clos : il n'accepte plus de réponses.",
        "This self-diagnostic is closed: it takes no more responses.",
    )
}

/// Remembers, in the browser that started from a personal link, the response's own link:
/// scoped to that personal link's path, so it is sent back only there and each invitation
/// has its own.
const RESUME_COOKIE: &str = "resume";

/// A personal link that was started: its response lives on a link of its own, which the lead
/// who handed out the personal link never sees. The lead knows the personal link (the
/// diagnostic page lists it), so it must reveal nothing of the response, or one person's
/// answers would be read below the 3-respondent threshold. Only the browser that started it
/// is taken to the response, recognised by its cookie; any other gets a page saying the link
/// was used. `None` when the link was not started this way.
async fn used_personal_link(
    ctx: &PageContext,
    req: &HttpRequest,
    state: &AppState,
    link: &RespondentLink,
) -> Result<Option<HttpResponse>, AppError> {
    if link.started_at.is_none() {
        return Ok(None);
    }
    if let Some(cookie) = req.cookie(RESUME_COOKIE) {
        let own = cookie.value();
        if db::is_started_link_of(&state.pool, &link.invitation_id, own).await? {
            return Ok(Some(redirect(&format!("/r/{own}"))));
        }
    }
    let lang = ctx.lang;
    let title = lang.pick("Lien déjà utilisé", "Link already used");
    Ok(Some(html_response(
        StatusCode::GONE,
        page(
            ctx,
            title,
            html! {
                h1 { (title) }
                p { (lang.pick(
                    "Ce lien a déjà servi à commencer une réponse. Pour la reprendre, utilisez le lien personnel affiché au moment de commencer (« gardez ce lien pour reprendre »), ou rouvrez ce lien-ci dans le navigateur où vous avez commencé.",
                    "This link has already been used to start a response. To resume it, use the personal link shown when starting (« keep this link to resume »), or open this link again in the browser where you started."
                )) }
                p { (lang.pick(
                    "Si vous avez perdu votre lien personnel, demandez un nouveau lien à la personne qui gère l'autodiagnostic.",
                    "If you lost your personal link, ask the person managing the self-diagnostic for a new link."
                )) }
            },
        ),
    )))
}

/// GET /r/{token}: the introduction, or where the person left off.
pub async fn introduction(
    ctx: PageContext,
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let r = respondent(&state, &path).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if let Some(answer) = used_personal_link(&ctx, &req, &state, &r.link).await? {
        return Ok(answer);
    }
    if r.link.submitted_at.is_some() {
        return Ok(redirect(&format!("/r/{}/results", r.link.token)));
    }
    if r.link.closed_at.is_some() {
        return Ok(closed(&ctx));
    }
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let q = &r.questionnaire;
    let answered = match &r.link.response_id {
        Some(id) => db::answers_of_response(&state.pool, id).await?.len(),
        None => 0,
    };
    let role = q
        .role(&r.link.respondent_role)
        .map(|role| role.label.get(lang))
        .unwrap_or("");
    let diagnostic = db::diagnostic(&state.pool, &r.link.diagnostic_id).await?;
    let solo = diagnostic.as_ref().is_some_and(|d| d.is_solo());
    let coalition = diagnostic
        .as_ref()
        .is_some_and(|d| d.coalition_id.is_some());
    let base = crate::web::pages::diagnostics::base_url(&req);
    let title = q.title.get(lang);
    let body = html! {
        h1 { (title) }
        @if let Some(name) = &r.link.organisation_name { p.lead { (name) } }
        p { (q.introduction.get(lang)) }
        dl.meta {
            dt { (lang.pick("Votre rôle", "Your role")) } dd { (role) }
            @if let Some(minutes) = q.estimated_minutes { dt { (lang.pick("Durée", "Time needed")) } dd { (lang.pick("environ ", "about ")) (minutes) " min" } }
            dt { (lang.pick("Étapes", "Steps")) } dd { (STEPS) " " (lang.pick("pages, une par qualité, puis une relecture", "pages, one per quality, then a review")) }
        }
        h2 { (lang.pick("Ce qui est enregistré, et qui le voit", "What is stored, and who sees it")) }
        ul {
            li { (lang.pick(
                "Vos réponses, votre rôle et les dates : ni votre nom, ni votre adresse e-mail.",
                "Your answers, your role and the dates: neither your name nor your email address."
            )) }
            li { (lang.pick(
                "Vous voyez vos propres résultats dès que vous envoyez vos réponses.",
                "You see your own results as soon as you submit your answers."
            )) }
            // Who sees what depends on how the diagnostic is answered: say it exactly.
            @if solo {
                li { strong { (lang.pick(
                    "Cet autodiagnostic est rempli par une seule personne (« je réponds seul·e ») : ses résultats sont vos réponses, et les responsables de l'organisation ainsi que l'équipe du programme #RESET les voient telles quelles.",
                    "This self-diagnostic is answered by one person alone (« I answer alone »): its results are your answers, and the organisation's leads and the #RESET programme team see them as they are."
                )) } " " (lang.pick(
                    "Si quelqu'un d'autre vous a transmis ce lien, vos réponses lui seront visibles.",
                    "If someone else passed this link on to you, your answers will be visible to them."
                )) }
            } @else if coalition {
                li { (lang.pick(
                    "Les résultats d'ensemble de la coalition sont publics sur sa page, dès que 3 personnes au moins ont envoyé leurs réponses, et comptés par groupes de 3 ; jamais vos réponses une à une ; un rôle n'est montré à part que s'il compte au moins 3 personnes.",
                    "The coalition's overall results are public on its page once at least 3 people have submitted, counted in groups of 3; never your answers one by one; a role is shown apart only when it has at least 3 people."
                )) }
            } @else {
                li { (lang.pick(
                    "Les responsables de votre organisation et l'équipe du programme #RESET voient des résultats d'ensemble, dès que 3 personnes au moins ont envoyé leurs réponses, et comptés par groupes de 3 ; jamais vos réponses une à une ; un rôle n'est montré à part que s'il compte au moins 3 personnes.",
                    "Your organisation's leads and the #RESET programme team see overall results once at least 3 people have submitted, counted in groups of 3; never your answers one by one; a role is shown apart only when it has at least 3 people."
                )) }
            }
            li { (lang.pick(
                "L'équipe du programme #RESET utilise des données anonymisées pour l'évaluation annuelle, publiée sous licence CC BY 4.0.",
                "The #RESET programme team uses anonymised data for the yearly evaluation, published under the CC BY 4.0 licence."
            )) }
        }
        @if r.link.response_id.is_none() {
            p.notice { (lang.pick(
                "Vos réponses sont enregistrées à chaque page. En commençant, vous recevrez votre propre lien personnel, à garder pour reprendre plus tard, depuis n'importe quel appareil.",
                "Your answers are saved at every page. When you start, you will get a personal link of your own, to keep for resuming later, from any device."
            )) }
        } @else if r.link.parent_id.is_some() {
            // The only place this link is shown: the person who started must be able to keep it.
            div.notice role="status" {
                h2 { (lang.pick("Votre lien personnel", "Your personal link")) }
                p { code.link { (base) "/r/" (r.link.token) } }
                p { strong { (lang.pick("Gardez ce lien pour reprendre", "Keep this link to resume")) } (lang.pick(
                    " : notez-le ou ajoutez cette page à vos favoris. Lui seul mène à vos réponses, depuis n'importe quel appareil ; personne d'autre ne le connaît.",
                    ": write it down or bookmark this page. Only this link leads to your answers, from any device; nobody else knows it."
                )) }
            }
        } @else {
            p.notice { (lang.pick(
                "Vos réponses sont enregistrées à chaque page. Gardez ce lien : il vous permet de reprendre plus tard, depuis n'importe quel appareil.",
                "Your answers are saved at every page. Keep this link: it lets you resume later, from any device."
            )) }
        }
        @if r.link.shared == 1 {
            p { (lang.pick(
                "Ce lien est partagé par plusieurs personnes : en commençant, vous recevrez votre propre lien, à garder pour reprendre.",
                "This link is shared by several people: when you start, you will get a link of your own, to keep for resuming."
            )) }
        }
        @if r.link.response_id.is_some() {
            p { (lang.pick("Vous avez déjà répondu à ", "You have already answered ")) (answered) (lang.pick(" question(s).", " question(s).")) }
            p.actions {
                a.button href={ "/r/" (r.link.token) "/step/1" } {
                    @if answered == 0 { (lang.pick("Aller aux questions", "Go to the questions")) } @else { (lang.pick("Reprendre", "Resume")) }
                }
                a href={ "/r/" (r.link.token) "/review" } { (lang.pick("Voir ce qui reste à répondre", "See what is left to answer")) }
            }
        } @else {
            form method="post" action={ "/r/" (r.link.token) "/start" } {
                (csrf(&token))
                button type="submit" { (lang.pick("Commencer", "Start")) }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

/// POST /r/{token}/start: makes the response and a link of its own, the person's to keep:
/// from a shared link, so that each person gets theirs; from a personal link, so that the
/// lead who handed it out cannot follow it to one person's answers.
pub async fn start(
    ctx: PageContext,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    // Checked for its CSRF token; the handler needs no field of it.
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let r = respondent(&state, &path).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if let Some(answer) = used_personal_link(&ctx, &req, &state, &r.link).await? {
        return Ok(answer);
    }
    if r.link.closed_at.is_some() {
        return Ok(closed(&ctx));
    }
    if r.link.shared == 0 && r.link.response_id.is_some() {
        // Started already (a second click, another tab), on its own link or on a personal
        // link started before links were made at start: carry on.
        return Ok(redirect(&format!("/r/{}/step/1", r.link.token)));
    }
    // A shared link makes a response per click: a script could make thousands.
    if r.link.shared == 1
        && let Some(refused) =
            crate::web::limits::shared_link_exhausted(&ctx, &state, &r.link.invitation_id).await?
    {
        return Ok(refused);
    }
    let response_id = db::new_id();
    let now = db::now();
    let _turn = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    db::insert_response(
        &mut *tx,
        &response_id,
        &r.link.diagnostic_id,
        &r.link.respondent_role,
        &now,
        None,
    )
    .await?;
    if r.link.shared == 0
        && !db::mark_personal_link_started(&mut *tx, &r.link.invitation_id, &now).await?
    {
        // Another request started it first: its browser has the response's link.
        tx.rollback().await?;
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    }
    let own = crate::domain::account::new_token()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("random: {e}")))?;
    db::insert_invitation(
        &mut *tx,
        &db::NewInvitation {
            id: &db::new_id(),
            diagnostic_id: &r.link.diagnostic_id,
            token: &own,
            respondent_role: &r.link.respondent_role,
            label: "",
            shared: false,
            parent_id: Some(&r.link.invitation_id),
            response_id: Some(&response_id),
        },
    )
    .await?;
    tx.commit().await?;
    // The introduction of the response's own link shows it, to keep.
    let mut answer = redirect(&format!("/r/{own}"));
    if r.link.shared == 0 {
        let cookie = Cookie::build(RESUME_COOKIE, own)
            .path(format!("/r/{}", r.link.token))
            .max_age(Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .secure(state.secure_cookies)
            .finish();
        answer
            .add_cookie(&cookie)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    }
    Ok(answer)
}

/// What a person entered for one question, as typed: kept to fill the page again.
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

/// The answer a question's typed fields make, `None` when nothing was entered.
fn parse_typed(question: &Question, typed: &Typed) -> Result<Option<Answer>, (String, String)> {
    let values: Vec<&str> = typed
        .values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let justification = Some(typed.justification.as_str()).filter(|j| !j.trim().is_empty());
    if typed.special.as_deref() == Some("__both") {
        return Err((
            "Choisissez soit « non applicable », soit « je ne sais pas », pas les deux.".into(),
            "Choose either \"not applicable\" or \"I don't know\", not both.".into(),
        ));
    }
    let result = match typed.special.as_deref() {
        Some(special) if !values.is_empty() => {
            let _ = special;
            return Err((
                "Choisissez soit une réponse, soit « non applicable » ou « je ne sais pas »."
                    .into(),
                "Choose either an answer, or \"not applicable\" or \"I don't know\".".into(),
            ));
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
    result.map(Some).map_err(|e| message(question, &e))
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
        ),
    ))
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
        return Ok(closed(&ctx));
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
        let refused = form
            .text_error(&format!("a.{}", question.id), !question.is_scored())
            .or_else(|| form.text_error(&format!("j.{}", question.id), true));
        if let Some((fr, en)) = refused {
            errors.add(&format!("q-{}", question.id), fr, en);
            continue;
        }
        let entry = typed.get(&question.id).cloned().unwrap_or_default();
        match parse_typed(question, &entry) {
            Ok(Some(answer)) => {
                let (state, value, justification) = question.store_answer(&answer);
                stored.push((question.id.clone(), state, value, justification));
            }
            Ok(None) => {
                cleared.push(&question.id);
                // Moving on asks for an answer to every scored question of the page
                // (« je ne sais pas » is one); text questions stay optional.
                if action == "next" && question.is_scored() {
                    let (fr, en) = if question.dont_know {
                        (
                            "Répondez à cette question, ou choisissez « je ne sais pas ».",
                            "Answer this question, or choose \"I don't know\".",
                        )
                    } else {
                        ("Répondez à cette question.", "Answer this question.")
                    };
                    errors.add(&format!("q-{}", question.id), fr, en);
                }
            }
            Err((fr, en)) => errors.add(&format!("q-{}", question.id), fr, en),
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
    let saved = {
        let _turn = state.writes.enter().await;
        db::retry_conflicts(|| db::save_answers(&state.pool, &response_id, &rows, &cleared)).await
    };
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
                step_page(&ctx, &r, n, quality, &typed, &errors, &csrf_token, true),
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
        let csrf_token = session::csrf_token(&session)?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            step_page(&ctx, &r, n, quality, &typed, &errors, &csrf_token, false),
        ));
    }
    Ok(match action {
        "previous" if n > 1 => redirect(&format!("/r/{token}/step/{}", n - 1)),
        "save" => redirect(&format!("/r/{token}?saved=1")),
        _ if n < STEPS => redirect(&format!("/r/{token}/step/{}", n + 1)),
        _ => redirect(&format!("/r/{token}/review")),
    })
}

fn already_submitted(ctx: &PageContext, token: &str) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick("Réponses déjà envoyées", "Answers already submitted");
    html_response(
        StatusCode::CONFLICT,
        page(
            ctx,
            title,
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
                        @let text = field.strip_prefix("q-").and_then(|id| q.question_index(id)).map(|i| short(q.questions[i].text.get(lang))).unwrap_or_default();
                        li { a href={ "#" (field) } { "« " (text) " » : " (message.get(lang)) } }
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
        }
    };
    page(ctx, &title, body)
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
        fieldset.question.field-error[error.is_some()] id=(anchor) tabindex="-1" aria-describedby=[(!described.is_empty()).then_some(described.as_str())] {
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
                        @if min.is_some() || max.is_some() {
                            p.hint { (range_hint(lang, *min, *max)) }
                        }
                        input type="text" inputmode="decimal" id={ (id) "-value" } name=(name) value=(typed.values.first().map(String::as_str).unwrap_or("")) aria-invalid=[error.map(|_| "true")];
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
                div.justification {
                    label for={ (id) "-justification" } { (lang.pick("Si non applicable : pourquoi ?", "If not applicable: why?")) }
                    textarea id={ (id) "-justification" } name={ "j." (id) } maxlength=(MAX_TEXT_CHARS) rows="2" { (typed.justification) }
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

/// GET /r/{token}/review: what is answered, what is left, and the submit button.
pub async fn review(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let r = respondent(&state, &path).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if r.link.submitted_at.is_some() {
        return Ok(redirect(&format!("/r/{}/results", r.link.token)));
    }
    let Some(response_id) = &r.link.response_id else {
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    };
    let answered: std::collections::HashSet<String> =
        db::answers_of_response(&state.pool, response_id)
            .await?
            .into_iter()
            .map(|a| a.question_id)
            .collect();
    let csrf_token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let q = &r.questionnaire;
    let token = &r.link.token;
    let scored = q.scored_questions().count();
    let scored_answered = q
        .scored_questions()
        .filter(|question| answered.contains(&question.id))
        .count();
    let title = lang.pick("Relire avant d'envoyer", "Review before submitting");
    let body = html! {
        p.progress-text { (lang.pick("Relecture", "Review")) }
        h1 { (title) }
        p { (lang.pick("Vous avez répondu à ", "You have answered ")) strong { (scored_answered) } (lang.pick(" question(s) notée(s) sur ", " of ")) (scored) (lang.pick(".", " scored questions.")) }
        @if scored_answered < scored {
            h2 { (lang.pick("Questions sans réponse", "Unanswered questions")) }
            p { (lang.pick(
                "Vous pouvez envoyer sans y répondre : elles ne compteront pas dans les scores. « Je ne sais pas » est aussi une réponse.",
                "You may submit without answering them: they will not count in the scores. \"I don't know\" is an answer too."
            )) }
            @for (step, &quality) in Quality::ALL.iter().enumerate() {
                @let missing: Vec<&Question> = q.questions_of(quality).map(|(_, question)| question).filter(|question| question.is_scored() && !answered.contains(&question.id)).collect();
                @if !missing.is_empty() {
                    h3 { (lang.pick("Étape", "Step")) " " (step + 1) " — " (quality.label(lang)) }
                    ul {
                        @for question in missing {
                            li { a href={ "/r/" (token) "/step/" (step + 1) "#q-" (question.id) } { (question.text.get(lang)) } }
                        }
                    }
                }
            }
        } @else {
            p.notice.success { (lang.pick("Vous avez répondu à toutes les questions notées.", "You have answered every scored question.")) }
        }
        h2 { (lang.pick("Envoyer", "Submit")) }
        p { (lang.pick("Une fois envoyées, vos réponses ne peuvent plus être modifiées.", "Once submitted, your answers can no longer be changed.")) }
        form method="post" action={ "/r/" (token) "/submit" } {
            (csrf(&csrf_token))
            div.actions {
                button type="submit" { (lang.pick("Envoyer mes réponses", "Submit my answers")) }
                a href={ "/r/" (token) "/step/1" } { (lang.pick("Revenir aux questions", "Back to the questions")) }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

/// POST /r/{token}/submit: final; a second submit changes nothing.
pub async fn submit(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
    // Checked for its CSRF token; the handler needs no field of it.
    _checked: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let r = respondent(&state, &path).await?;
    if r.link.revoked_at.is_some() {
        return Ok(revoked(&ctx));
    }
    if r.link.closed_at.is_some() && r.link.submitted_at.is_none() {
        return Ok(closed(&ctx));
    }
    let Some(response_id) = &r.link.response_id else {
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    };
    let _turn = state.writes.enter().await;
    db::retry_conflicts(|| db::submit_response(&state.pool, response_id, &r.questionnaire)).await?;
    Ok(redirect(&format!("/r/{}/results", r.link.token)))
}

/// The response's answers, aligned with its questionnaire's questions.
pub async fn response_answers(
    pool: &db::Pool,
    questionnaire: &Questionnaire,
    response_id: &str,
) -> Result<Vec<Option<Answer>>, AppError> {
    let rows = db::answers_of_response(pool, response_id).await?;
    Ok(align_answers(questionnaire, &rows))
}

/// Stored answers placed by question; a stored answer that no longer reads is left out.
pub fn align_answers(questionnaire: &Questionnaire, rows: &[db::AnswerRow]) -> Vec<Option<Answer>> {
    db::align_answers(questionnaire, rows)
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
        assert!(error.0.contains("entre 0 et 100"), "{error:?}");

        let fields = vec![("s.n".to_owned(), NOT_APPLICABLE.to_owned())];
        let error =
            parse_typed(&q, &typed_from_form(&fields, &[&q])["n"]).expect_err("needs a why");
        assert!(error.0.contains("pourquoi"));

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

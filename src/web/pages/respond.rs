//! The respondent's journey, reached through an invitation link and no account: an
//! introduction, one page per quality (« étape 3 sur 7 », in [`super::response_steps`]), a
//! review listing every answer with a link to change it, then submission, once enough
//! questions have an answer (`APP_MIN_ANSWERED_SHARE`). Starting gives the response a link of
//! its own, which the lead who handed out the invitation never sees; every page saves its
//! answers on the server, so a person can leave and resume from that link on any device, at
//! the step where they stopped, and a signed cookie takes the browser that started back to
//! its response from the invitation link. These pages offer no account links: the person stays
//! in their journey.

use crate::app::error::AppError;
use crate::app::responses::{self, Progress, Started, Submission};
use crate::db::{self, RespondentLink};
use crate::domain::Quality;
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{Answer, Question, QuestionKind, Questionnaire};
use crate::domain::results::{StepStatus, resume_step};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::CheckedForm;
use crate::web::session::{self};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, redirect, respondent_page};
use actix_session::Session;
use actix_web::cookie::{Cookie, CookieJar, SameSite, time::Duration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use std::sync::Arc;

/// A response is answered one quality a page.
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
    // Past its closing date (issue 13), a diagnostic answers as a closed one does. The date
    // comes with the link's own query: every respondent request passes here.
    if crate::domain::invitations::past_closing(link.closes_on.as_deref(), crate::web::today()) {
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
        respondent_page(
            ctx,
            title,
            None,
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

/// The page a respondent gets once the diagnostic takes no more answers (issue 14): since
/// when, and whom to ask (the person of the organisation who sent the link, who may reopen it
/// or move its closing date).
pub(crate) fn closed(ctx: &PageContext, link: &RespondentLink) -> HttpResponse {
    let lang = ctx.lang;
    let title = lang.pick("Autodiagnostic clos", "Self-diagnostic closed");
    let past_closing =
        crate::domain::invitations::past_closing(link.closes_on.as_deref(), crate::web::today());
    let organisation = link.organisation_name.as_deref().unwrap_or("");
    html_response(
        StatusCode::GONE,
        respondent_page(
            ctx,
            title,
            None,
            html! {
                h1 { (title) }
                p {
                    @match (&link.closes_on, &link.closed_at) {
                        (Some(date), _) if past_closing => {
                            (lang.pick("Cet autodiagnostic n'accepte plus de réponses : elles étaient reçues jusqu'au", "This self-diagnostic takes no more responses: they were accepted until"))
                            " " strong { (lang.date(date)) } (lang.pick(" inclus, sa date de clôture.", " included, its closing date."))
                        }
                        (_, Some(at)) => {
                            (lang.pick("Cet autodiagnostic a été clos le", "This self-diagnostic was closed on"))
                            " " strong { (lang.date(at)) } (lang.pick(" : il n'accepte plus de réponses.", ": it takes no more responses."))
                        }
                        _ => { (lang.pick("Cet autodiagnostic est clos : il n'accepte plus de réponses.", "This self-diagnostic is closed: it takes no more responses.")) }
                    }
                }
                p {
                    @if organisation.is_empty() {
                        (lang.pick("Si vous deviez encore répondre, contactez la personne qui vous a transmis ce lien : elle peut rouvrir l'autodiagnostic ou repousser sa date de clôture.",
                            "If you still need to answer, contact the person who sent you this link: they can reopen the self-diagnostic or move its closing date."))
                    } @else {
                        (lang.pick("Si vous deviez encore répondre, contactez la personne de", "If you still need to answer, contact the person at"))
                        " " strong { (organisation) } " "
                        (lang.pick("qui vous a transmis ce lien : elle peut rouvrir l'autodiagnostic ou repousser sa date de clôture.",
                            "who sent you this link: they can reopen the self-diagnostic or move its closing date."))
                    }
                }
            },
        ),
    )
}

/// Remembers, in the browser that started from an invitation link (personal or shared), the
/// response's own link: scoped to that invitation link's path, so it is sent back only there
/// and each invitation has its own; signed with the session's key, like the session, so that
/// no one can forge it. The response itself stays in the database, reached through its link.
const RESUME_COOKIE: &str = "resume";

fn resume_cookie(
    state: &AppState,
    invitation_token: &str,
    own: &str,
) -> Result<Cookie<'static>, AppError> {
    let cookie = Cookie::build(RESUME_COOKIE, own.to_owned())
        .path(format!("/r/{invitation_token}"))
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.secure_cookies)
        .finish();
    let mut jar = CookieJar::new();
    jar.signed_mut(&state.session_key).add(cookie);
    jar.get(RESUME_COOKIE)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the resume cookie was not signed")))
}

/// The response's own link this browser started from the invitation link, if its signed
/// cookie says so and it is one of that invitation's.
async fn remembered_response(
    req: &HttpRequest,
    state: &AppState,
    link: &RespondentLink,
) -> Result<Option<String>, AppError> {
    let Some(cookie) = req.cookie(RESUME_COOKIE) else {
        return Ok(None);
    };
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let Some(own) = jar
        .signed(&state.session_key)
        .get(RESUME_COOKIE)
        .map(|c| c.value().to_owned())
    else {
        return Ok(None);
    };
    Ok(
        db::is_started_link_of(&state.pool, &link.invitation_id, &own)
            .await?
            .then_some(own),
    )
}

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
    if let Some(own) = remembered_response(req, state, link).await? {
        return Ok(Some(redirect(&format!("/r/{own}"))));
    }
    let lang = ctx.lang;
    let title = lang.pick("Lien déjà utilisé", "Link already used");
    Ok(Some(html_response(
        StatusCode::GONE,
        respondent_page(
            ctx,
            title,
            None,
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
    // A shared link reopened in the browser that started from it: back to that response,
    // rather than « Commencer » again and a second, empty response.
    if r.link.shared == 1
        && let Some(own) = remembered_response(&req, &state, &r.link).await?
    {
        return Ok(redirect(&format!("/r/{own}")));
    }
    if r.link.submitted_at.is_some() {
        return Ok(redirect(&format!("/r/{}/results", r.link.token)));
    }
    if r.link.closed_at.is_some() {
        return Ok(closed(&ctx, &r.link));
    }
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let q = &r.questionnaire;
    let progress = match &r.link.response_id {
        Some(id) => Some(responses::progress(&state.pool, id, &r.questionnaire).await?),
        None => None,
    };
    let saved = req.query_string().split('&').any(|pair| pair == "saved=1");
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
        p { a href="/donnees-personnelles" { (lang.pick("Vos données personnelles et vos droits", "Your personal data and your rights")) } }
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
            div.notice.success[saved] role="status" {
                @if saved {
                    p { strong { (lang.pick("Vos réponses sont enregistrées.", "Your answers are saved.")) } " " (lang.pick(
                        "Vous pourrez reprendre où vous vous êtes arrêté·e, avec le lien ci-dessous.",
                        "You can resume where you stopped, with the link below."
                    )) }
                }
                h2 { (lang.pick("Votre lien personnel", "Your personal link")) }
                p { code.link { (base) "/r/" (r.link.token) } }
                p { strong { (lang.pick("Gardez ce lien pour reprendre", "Keep this link to resume")) } (lang.pick(
                    " : notez-le ou ajoutez cette page à vos favoris. Lui seul mène à vos réponses, depuis n'importe quel appareil ; personne d'autre ne le connaît.",
                    ": write it down or bookmark this page. Only this link leads to your answers, from any device; nobody else knows it."
                )) }
            }
        } @else {
            div.notice.success[saved] role="status" {
                @if saved { p { strong { (lang.pick("Vos réponses sont enregistrées.", "Your answers are saved.")) } } }
                p { (lang.pick(
                    "Vos réponses sont enregistrées à chaque page. Gardez ce lien : il vous permet de reprendre plus tard, depuis n'importe quel appareil.",
                    "Your answers are saved at every page. Keep this link: it lets you resume later, from any device."
                )) }
                p { code.link { (base) "/r/" (r.link.token) } }
            }
        }
        @if r.link.shared == 1 {
            p { (lang.pick(
                "Ce lien est partagé par plusieurs personnes : en commençant, vous recevrez votre propre lien, à garder pour reprendre.",
                "This link is shared by several people: when you start, you will get a link of your own, to keep for resuming."
            )) }
        }
        @if let Some(progress) = &progress {
            @let statuses = progress.statuses();
            @let resume = resume_step(r.link.resume_step, &statuses);
            @let started = statuses.iter().any(|s| *s != StepStatus::ToDo) || r.link.resume_step.is_some();
            p.actions {
                @if resume > STEPS {
                    a.button href={ "/r/" (r.link.token) "/review" } { (lang.pick("Reprendre : relire et envoyer", "Resume: review and submit")) }
                } @else {
                    a.button href={ "/r/" (r.link.token) "/step/" (resume) } {
                        @if started { (lang.pick("Reprendre à l'étape ", "Resume at step ")) (resume) } @else { (lang.pick("Aller aux questions", "Go to the questions")) }
                    }
                }
                a href={ "/r/" (r.link.token) "/review" } { (lang.pick("Relire mes réponses", "Review my answers")) }
            }
            (step_list(lang, &r.link.token, progress))
        } @else {
            form method="post" action={ "/r/" (r.link.token) "/start" } {
                (csrf(&token))
                button type="submit" { (lang.pick("Commencer", "Start")) }
            }
        }
    };
    Ok(html_response(
        StatusCode::OK,
        respondent_page(&ctx, title, None, body),
    ))
}

/// What a step's status is called, with the number of questions left blank.
pub(crate) fn status_text(lang: Lang, status: StepStatus, blank: usize) -> String {
    match status {
        StepStatus::Done => lang.pick("faite", "done").to_owned(),
        StepStatus::Partly => format!(
            "{} ({blank} {})",
            lang.pick("en partie", "partly done"),
            lang.pick("sans réponse", "unanswered")
        ),
        StepStatus::ToDo => lang.pick("à faire", "to do").to_owned(),
    }
}

/// The 7 steps, each with where it stands and a link to it.
fn step_list(lang: Lang, token: &str, progress: &Progress) -> Markup {
    html! {
        h2 #steps { (lang.pick("Les étapes", "The steps")) }
        ol.steps aria-labelledby="steps" {
            @for (i, (&quality, coverage)) in Quality::ALL.iter().zip(&progress.steps).enumerate() {
                li {
                    a href={ "/r/" (token) "/step/" (i + 1) } { (lang.pick("Étape", "Step")) " " (i + 1) " — " (quality.label(lang)) }
                    " : " (status_text(lang, coverage.step_status(), coverage.blank()))
                }
            }
        }
    }
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
        return Ok(closed(&ctx, &r.link));
    }
    // A second « Commencer » from a shared link in the same browser (back button, a page
    // left open): that person's response, not another one.
    if r.link.shared == 1
        && let Some(own) = remembered_response(&req, &state, &r.link).await?
    {
        return Ok(redirect(&format!("/r/{own}")));
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
    let own = match responses::start(&state.pool, &state.writes, &r.link).await? {
        Started::Own(own) => own,
        // Another request started it first: its browser has the response's link.
        Started::AlreadyStarted => return Ok(redirect(&format!("/r/{}", r.link.token))),
    };
    // The introduction of the response's own link shows it, to keep.
    let mut answer = redirect(&format!("/r/{own}"));
    answer
        .add_cookie(&resume_cookie(&state, &r.link.token, &own)?)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(answer)
}

/// GET /r/{token}/review: every answer, page by page, each with a link to change it; what
/// counts in the scores; and the send button with the minimum it asks for.
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
    let progress = responses::progress(&state.pool, response_id, &r.questionnaire).await?;
    let csrf_token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        review_page(
            &ctx,
            &r,
            &progress,
            &csrf_token,
            state.min_answered_share,
            false,
        ),
    ))
}

fn review_page(
    ctx: &PageContext,
    r: &Respondent,
    progress: &Progress,
    csrf_token: &str,
    min_share: f64,
    // A send was refused for too few answers: said beside the button.
    refused: bool,
) -> Markup {
    let lang = ctx.lang;
    let q = &r.questionnaire;
    let token = &r.link.token;
    let coverage = progress.coverage;
    let needed = coverage.needed(min_share);
    let reached = coverage.reaches(min_share);
    let title = lang.pick("Relire avant d'envoyer", "Review before submitting");
    let body = html! {
        p.progress-text { (lang.pick("Relecture", "Review")) }
        h1 { (title) }
        @if refused {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                h2 #error-summary-title { (lang.pick("Vos réponses n'ont pas été envoyées", "Your answers were not submitted")) }
                ul { li { a href="#coverage-rule" { (lang.pick("Trop peu de questions ont une réponse pour l'envoyer", "Too few questions have an answer to submit it")) } } }
            }
        }
        // Counted as the results page counts them (`Coverage`): « je ne sais pas » and « non
        // applicable » are kept and shown, and do not count in the scores.
        p {
            strong { (format!("{:.0} %", coverage.share() * 100.0)) } " "
            (lang.pick("des questions notées ont une réponse", "of scored questions answered"))
            " (" (coverage.answered) " " (lang.pick("sur", "of")) " " (coverage.scored) ")."
        }
        @if coverage.blank() == 0 {
            p.notice.success { (lang.pick("Vous avez répondu à toutes les questions notées.", "You have answered every scored question.")) }
        }
        @if coverage.blank() + coverage.dont_know + coverage.not_applicable > 0 {
            ul {
                @if coverage.dont_know > 0 { li { (coverage.dont_know) " " (lang.pick("« je ne sais pas »", "« I don't know »")) } }
                @if coverage.not_applicable > 0 { li { (coverage.not_applicable) " " (lang.pick("« non applicable »", "« not applicable »")) } }
                @if coverage.blank() > 0 { li { (coverage.blank()) " " (lang.pick("sans réponse", "unanswered")) } }
            }
            p { (lang.pick(
                "« Je ne sais pas » et « non applicable » sont gardés avec vos réponses, mais ne comptent pas dans les scores, pas plus que les questions sans réponse.",
                "« I don't know » and « not applicable » are kept with your answers, but do not count in the scores, no more than unanswered questions."
            )) }
        }
        h2 { (lang.pick("Vos réponses, étape par étape", "Your answers, step by step")) }
        @for (i, (&quality, step)) in Quality::ALL.iter().zip(&progress.steps).enumerate() {
            section.review-step aria-labelledby={ "step-" (i + 1) } {
                h3 id={ "step-" (i + 1) } { (lang.pick("Étape", "Step")) " " (i + 1) " — " (quality.label(lang)) " : " (status_text(lang, step.step_status(), step.blank())) }
                dl.answers {
                    @for (index, question) in q.questions_of(quality) {
                        dt { (question.text.get(lang)) }
                        dd {
                            @let answer = progress.answers.get(index).and_then(Option::as_ref);
                            @if answer.is_none() && question.is_scored() { strong { (answer_text(lang, question, answer)) } } @else { (answer_text(lang, question, answer)) }
                            " "
                            a href={ "/r/" (token) "/step/" (i + 1) "#q-" (question.id) } {
                                (lang.pick("Modifier", "Change")) span.visually-hidden { " : " (question.text.get(lang)) }
                            }
                        }
                    }
                }
            }
        }
        h2 #send { (lang.pick("Envoyer", "Submit")) }
        p { (lang.pick("Une fois envoyées, vos réponses ne peuvent plus être modifiées.", "Once submitted, your answers can no longer be changed.")) }
        form method="post" action={ "/r/" (token) "/submit" } {
            (csrf(csrf_token))
            @if needed > 0 {
                @let rule = lang.pick(
                    " : avec moins, vos scores ne diraient pas grand-chose de votre organisation. « Je ne sais pas » et « non applicable » ne comptent pas.",
                    ": with fewer, your scores would say little about your organisation. « I don't know » and « not applicable » do not count."
                );
                @if reached {
                    p #coverage-rule.hint {
                        (lang.pick("Pour envoyer, au moins ", "To submit, at least ")) (needed) " " (lang.pick("des", "of the")) " " (coverage.scored) " "
                        (lang.pick("questions notées doivent avoir une réponse", "scored questions must have an answer")) (rule)
                    }
                } @else {
                    p #coverage-rule.error-message role=[refused.then_some("alert")] {
                        span.visually-hidden[!refused] { (lang.pick("Erreur : ", "Error: ")) }
                        (lang.pick("Pas encore : au moins ", "Not yet: at least ")) (needed) " " (lang.pick("des", "of the")) " " (coverage.scored) " "
                        (lang.pick("questions notées doivent avoir une réponse pour envoyer ; vous en avez ", "scored questions must have an answer to submit; you have "))
                        (coverage.answered) (rule)
                    }
                }
            }
            div.actions {
                button type="submit" aria-describedby=[(needed > 0).then_some("coverage-rule")] { (lang.pick("Envoyer mes réponses", "Submit my answers")) }
                a href={ "/r/" (token) } { (lang.pick("Revenir aux étapes", "Back to the steps")) }
            }
        }
    };
    respondent_page(ctx, title, Some(&format!("/r/{token}")), body)
}

/// An answer as the person gave it, in words.
fn answer_text(lang: Lang, question: &Question, answer: Option<&Answer>) -> String {
    let option = |i: usize| match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => options
            .get(i)
            .map(|o| o.label.get(lang).to_owned())
            .unwrap_or_default(),
        _ => String::new(),
    };
    match answer {
        None => lang.pick("Sans réponse", "Unanswered").to_owned(),
        Some(Answer::DontKnow) => lang.pick("Je ne sais pas", "I don't know").to_owned(),
        Some(Answer::NotApplicable(why)) => {
            let na = lang.pick("Non applicable", "Not applicable");
            match why {
                Some(why) => format!("{na} : {why}"),
                None => na.to_owned(),
            }
        }
        Some(Answer::Scale(k)) => match &question.kind {
            QuestionKind::Scale { labels, .. } => labels
                .get(usize::from(*k).saturating_sub(1))
                .map(|label| format!("{k} — {}", label.get(lang)))
                .unwrap_or_else(|| k.to_string()),
            _ => k.to_string(),
        },
        Some(Answer::Single(i)) => option(*i),
        Some(Answer::Multiple(chosen)) => chosen
            .iter()
            .map(|&i| option(i))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Answer::YesNo(yes)) => if *yes {
            lang.pick("Oui", "Yes")
        } else {
            lang.pick("Non", "No")
        }
        .to_owned(),
        Some(Answer::Number(x)) => match &question.kind {
            QuestionKind::Number {
                unit: Some(unit), ..
            } => format!("{x} {}", unit.get(lang)),
            _ => x.to_string(),
        },
        Some(Answer::Text(text)) => text.clone(),
    }
}

/// POST /r/{token}/submit: final; a second submit changes nothing. Refused, with the review
/// and why beside the button, below the minimum coverage.
pub async fn submit(
    ctx: PageContext,
    session: Session,
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
        return Ok(closed(&ctx, &r.link));
    }
    let Some(response_id) = &r.link.response_id else {
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    };
    if r.link.submitted_at.is_some() {
        return Ok(redirect(&format!("/r/{}/results", r.link.token)));
    }
    let submission = responses::submit(
        &state.pool,
        &state.writes,
        response_id,
        &r.questionnaire,
        state.min_answered_share,
    )
    .await?;
    if let Submission::TooFewAnswers(_) = submission {
        let progress = responses::progress(&state.pool, response_id, &r.questionnaire).await?;
        let csrf_token = session::csrf_token(&session)?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            review_page(
                &ctx,
                &r,
                &progress,
                &csrf_token,
                state.min_answered_share,
                true,
            ),
        ));
    }
    Ok(redirect(&format!("/r/{}/results", r.link.token)))
}

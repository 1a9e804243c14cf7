//! The respondent's journey, reached through an invitation link and no account: an
//! introduction, one page per quality (« étape 3 sur 7 », in [`super::response_steps`]), a
//! review listing what is left unanswered, then submission. Starting gives the response a link
//! of its own, which the lead who handed out the invitation never sees; every page saves its
//! answers on the server, so a person can leave and resume from that link on any device.

use crate::app::error::AppError;
use crate::app::responses::{self, Started};
use crate::db::{self, RespondentLink};
use crate::domain::Quality;
use crate::domain::questionnaire::{Question, Questionnaire};
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
use maud::html;
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

/// The page a respondent gets once the diagnostic takes no more answers (issue 14): since
/// when, and whom to ask (the person of the organisation who sent the link, who may reopen it
/// or move its closing date).
pub(crate) fn closed(ctx: &PageContext, link: &RespondentLink) -> HttpResponse {
    use crate::domain::diagnostics::day_text;
    let lang = ctx.lang;
    let title = lang.pick("Autodiagnostic clos", "Self-diagnostic closed");
    let past_closing =
        crate::domain::invitations::past_closing(link.closes_on.as_deref(), crate::web::today());
    let organisation = link.organisation_name.as_deref().unwrap_or("");
    html_response(
        StatusCode::GONE,
        page(
            ctx,
            title,
            html! {
                h1 { (title) }
                p {
                    @match (&link.closes_on, &link.closed_at) {
                        (Some(date), _) if past_closing => {
                            (lang.pick("Cet autodiagnostic n'accepte plus de réponses : elles étaient reçues jusqu'au", "This self-diagnostic takes no more responses: they were accepted until"))
                            " " strong { (day_text(date, lang)) } (lang.pick(" inclus, sa date de clôture.", " included, its closing date."))
                        }
                        (_, Some(at)) => {
                            (lang.pick("Cet autodiagnostic a été clos le", "This self-diagnostic was closed on"))
                            " " strong { (day_text(at, lang)) } (lang.pick(" : il n'accepte plus de réponses.", ": it takes no more responses."))
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
        return Ok(closed(&ctx, &r.link));
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
            p { (lang.pick("Vous avez déjà répondu à ", "You have already answered ")) (answered) (" question(s).") }
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
        return Ok(closed(&ctx, &r.link));
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
        return Ok(closed(&ctx, &r.link));
    }
    let Some(response_id) = &r.link.response_id else {
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    };
    responses::submit(&state.pool, &state.writes, response_id, &r.questionnaire).await?;
    Ok(redirect(&format!("/r/{}/results", r.link.token)))
}

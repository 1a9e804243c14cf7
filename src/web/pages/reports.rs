//! The yearly evaluation reports, for programme staff: ask for a year's draft report, follow
//! the job that produces it, read the draft, and publish the report after confirming what it
//! locks. Producing and publishing run as background jobs (`crate::app::jobs`) on whichever
//! instance takes them; their files are stored in the database and read from there.
//! Published reports are public (`crate::web::pages::publications`).

use crate::app::error::AppError;
use crate::app::jobs;
use crate::db;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::jobs::{JobKind, JobStatus};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::pages::publications::{file_response, report_body};
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::forms::{csrf, error_summary};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::scroll_table;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

fn staff_only(user: &crate::web::session::SessionUser) -> Result<(), AppError> {
    if user.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The years offered: from the first year of the programme's data to the current one.
fn years() -> Vec<i32> {
    let now = crate::web::today().year();
    (2020..=now).rev().collect()
}

/// How often the page reloads itself while a job waits or runs.
const RELOAD_SECONDS: u32 = 5;

/// A job's step as staff read it.
fn step_label(step: &str, lang: Lang) -> String {
    let fr = match step {
        "responses" => "lecture des réponses",
        "comparable questions" => "questions comparables",
        "collective scores" => "scores collectifs des diagnostics",
        "coalitions" => "coalitions",
        "aggregations" => "agrégations",
        "writing" => "écriture des fichiers",
        "publishing" => "publication",
        other => other,
    };
    lang.pick(fr, step).to_owned()
}

pub async fn list(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let published = db::published_reports(&state.pool).await?;
    let drafts = db::report_years(&state.pool, db::REPORT_DRAFT).await?;
    let recent = db::recent_jobs(&state.pool, 10).await?;
    let active = recent.iter().any(|j| j.status.is_pending());
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Rapports d'évaluation annuels", "Yearly evaluation reports");
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Le rapport d'une année rassemble participation, qualités, progrès, tableau de bord des coalitions, couverture et qualité des données, avec ses graphiques et ses données ouvertes (CSV et Parquet, CC BY 4.0). Un brouillon n'est visible que de l'équipe ; le publier le rend public, fige ses chiffres et verrouille les mesures de l'année.",
            "A year's report gathers participation, qualities, progress, the coalitions scorecard, coverage and data quality, with its charts and open data (CSV and Parquet, CC BY 4.0). A draft is seen by the team only; publishing it makes it public, freezes its figures and locks the year's measurements."
        )) }
        form method="post" action="/reports" {
            (csrf(&token))
            div.field {
                label for="year" { (lang.pick("Année", "Year")) }
                select #year name="year" { @for y in years() { option value=(y) { (y) } } }
            }
            button type="submit" { (lang.pick("Produire le brouillon du rapport", "Produce the draft report")) }
        }
        h2 { (lang.pick("Travaux en cours et récents", "Current and recent jobs")) }
        @if active {
            p role="status" { (lang.pick(
                &format!("Un travail est en cours : cette page se recharge toutes les {RELOAD_SECONDS} secondes (ou rechargez-la vous-même)."),
                &format!("A job is under way: this page reloads every {RELOAD_SECONDS} seconds (or reload it yourself).")
            )) }
        }
        @if recent.is_empty() {
            p { (lang.pick("Aucun travail demandé pour l'instant.", "No job asked for yet.")) }
        } @else {
            (scroll_table("jobs", html! { table {
                caption.visually-hidden #jobs { (lang.pick("Travaux", "Jobs")) }
                thead { tr {
                    th scope="col" { (lang.pick("Travail", "Job")) }
                    th scope="col" { (lang.pick("Année", "Year")) }
                    th scope="col" { (lang.pick("Demandé le", "Asked on")) }
                    th scope="col" { (lang.pick("État", "Status")) }
                    th scope="col" { (lang.pick("Étape ou résultat", "Step or result")) }
                } }
                tbody {
                    @for job in &recent {
                        tr {
                            td { (job.kind.label(lang)) }
                            td { (job.year) }
                            td { (job.requested_at.replace('T', " ").trim_end_matches('Z')) }
                            td { (job.status.label(lang)) }
                            td {
                                @match job.status {
                                    JobStatus::Failed => { (lang.pick("Erreur : ", "Error: ")) (job.error.as_deref().unwrap_or("—")) }
                                    JobStatus::Done => { @if let Some(at) = &job.finished_at { (lang.pick("Fini le ", "Finished on ")) (at.replace('T', " ").trim_end_matches('Z')) } }
                                    _ => { @if job.progress.is_empty() { "—" } @else { (step_label(&job.progress, lang)) } }
                                }
                            }
                        }
                    }
                }
            } }))
        }
        h2 { (lang.pick("Rapports", "Reports")) }
        @if drafts.is_empty() && published.is_empty() {
            p { (lang.pick("Aucun rapport produit pour l'instant.", "No report produced yet.")) }
        } @else {
            (scroll_table("reports-by-year", html! { table {
                caption.visually-hidden #reports-by-year { (lang.pick("Rapports par année", "Reports by year")) }
                thead { tr {
                    th scope="col" { (lang.pick("Année", "Year")) }
                    th scope="col" { (lang.pick("Brouillon", "Draft")) }
                    th scope="col" { "Publication" }
                } }
                tbody {
                    @for y in years() {
                        @let publication = published.iter().find(|(year, _)| *year == y);
                        @let draft = drafts.iter().find(|(year, _)| *year == y);
                        @if draft.is_some() || publication.is_some() {
                            tr {
                                td { (y) }
                                td { @if let Some((_, at)) = draft { a href={ "/reports/" (y) } { (lang.pick("Lire le brouillon ", "Read the draft ")) (y) } " (" (lang.date(at)) ")" } @else { "—" } }
                                td {
                                    @match publication {
                                        Some((_, at)) => { a href={ "/publications/" (y) } { (lang.pick("Publié le ", "Published on ")) (lang.date(at)) } }
                                        None => { a href={ "/reports/" (y) "/publish" } { (lang.pick("Publier le rapport ", "Publish the report ")) (y) "…" } }
                                    }
                                }
                            }
                        }
                    }
                }
            } }))
        }
    };
    let mut response = html_response(StatusCode::OK, page(&ctx, title, body));
    if active {
        // The `Refresh` header does what `<meta http-equiv="refresh">` does, without a script.
        if let Ok(value) =
            actix_web::http::header::HeaderValue::from_str(&RELOAD_SECONDS.to_string())
        {
            response.headers_mut().insert(
                actix_web::http::header::HeaderName::from_static("refresh"),
                value,
            );
        }
    }
    Ok(response)
}

fn year_of(value: &str) -> Result<i32, AppError> {
    value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| years().contains(y))
        .ok_or(AppError::NotFound)
}

/// `POST /reports`: queues the job that produces the year's draft.
pub async fn produce(
    User(user): User,
    state: web::Data<AppState>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = year_of(&form.value("year"))?;
    jobs::queue(&state.pool, JobKind::ReportDraft, year, Some(&user.id)).await?;
    state.mailer.nudge();
    Ok(redirect("/reports"))
}

/// What publishing locks, for the confirmation page.
fn confirmation_page(
    ctx: &PageContext,
    token: &str,
    year: i32,
    measurements: i64,
    errors: &FieldErrors,
) -> maud::Markup {
    let lang = ctx.lang;
    let title = format!(
        "{} {year}",
        lang.pick("Publier le rapport", "Publish the report")
    );
    let error = errors.message("confirm", lang);
    let body = html! {
        p { a href="/reports" { "← " (lang.pick("Tous les rapports", "All reports")) } }
        (error_summary(lang, errors, &[("confirm", "Confirmation")]))
        h1 { (title) }
        p { (lang.pick("Publier le rapport :", "Publishing the report:")) }
        ul {
            li { (lang.pick(
                &format!("le rend public, pour tout le monde, à l'adresse /publications/{year}, avec toutes ses données ;"),
                &format!("makes it public, for everyone, at /publications/{year}, with all its data;")
            )) }
            li { (lang.pick(
                "fige ses chiffres : ils sont calculés maintenant et ne changeront plus, même si des réponses ou des mesures changent ensuite ;",
                "freezes its figures: they are computed now and will not change, even if responses or measurements change afterwards;"
            )) }
            li { (lang.pick(
                &format!("verrouille les mesures de {year} de toutes les coalitions ({measurements} mesure(s) datée(s) de {year}) : elles ne pourront plus être saisies, révisées ni validées."),
                &format!("locks the {year} measurements of every coalition ({measurements} measurement(s) dated in {year}): they can no longer be recorded, revised or validated.")
            )) }
        }
        p { strong { (lang.pick("On ne peut pas revenir sur une publication.", "A publication cannot be undone.")) } }
        form method="post" action={ "/reports/" (year) "/publish" } novalidate {
            (csrf(token))
            div.field.field-error[error.is_some()] {
                @if let Some(error) = error { p.error-message #confirm-error { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (error) } }
                div.choice {
                    input type="checkbox" #confirm name="confirm" value="yes" required aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "confirm-error")];
                    label for="confirm" { (lang.pick(
                        &format!("Je publie le rapport {year} : ses chiffres sont figés et les mesures de {year} verrouillées."),
                        &format!("I publish the {year} report: its figures are frozen and the {year} measurements locked.")
                    )) }
                }
            }
            button type="submit" { (lang.pick("Publier le rapport ", "Publish the report ")) (year) }
        }
    };
    page(ctx, &title, body)
}

async fn measurements_of(state: &AppState, year: i32) -> Result<i64, AppError> {
    Ok(db::measurements_dated_in(&state.pool, year).await?)
}

/// `GET /reports/{year}/publish`: what publishing locks, and the confirmation asked.
pub async fn publish_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = year_of(&path.into_inner().to_string())?;
    if db::locked_years(&state.pool).await?.contains(&year) {
        return Ok(redirect(&format!("/publications/{year}")));
    }
    let token = session::csrf_token(&session)?;
    let measurements = measurements_of(&state, year).await?;
    Ok(html_response(
        StatusCode::OK,
        confirmation_page(&ctx, &token, year, measurements, &FieldErrors::new()),
    ))
}

/// `POST /reports/{year}/publish`: queues the publishing job, once confirmed.
pub async fn publish(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = year_of(&path.into_inner().to_string())?;
    if form.value("confirm") != "yes" {
        let mut errors = FieldErrors::new();
        errors.add(
            "confirm",
            "Cochez la case pour confirmer la publication : rien n'a été publié.",
            "Tick the box to confirm the publication: nothing was published.",
        );
        let token = session::csrf_token(&session)?;
        let measurements = measurements_of(&state, year).await?;
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            confirmation_page(&ctx, &token, year, measurements, &errors),
        ));
    }
    jobs::queue(&state.pool, JobKind::ReportPublish, year, Some(&user.id)).await?;
    state.mailer.nudge();
    Ok(redirect("/reports"))
}

/// `GET /reports/{year}`: the year's draft, for staff.
pub async fn show(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = path.into_inner();
    let files = db::report_file_listings(&state.pool, year, db::REPORT_DRAFT).await?;
    if files.is_empty() {
        return Err(AppError::NotFound);
    }
    let base = format!("/reports/{year}/files");
    let body = report_body(ctx.lang, year, &files, &base, None);
    let title = format!(
        "{} {year}",
        ctx.lang.pick("Brouillon du rapport", "Draft report")
    );
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// `GET /reports/{year}/files/{path}`: one file of the year's draft, for staff.
pub async fn file(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let (year, path) = path.into_inner();
    let file = db::report_file(&state.pool, year, db::REPORT_DRAFT, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(file_response(file, false))
}

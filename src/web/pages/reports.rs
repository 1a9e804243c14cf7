//! The yearly evaluation reports, for programme staff: produce a year's report (the same as
//! `reset-eval report`), read it, and publish it (its figures are stored and the year's
//! measurements locked). Lists the reports already produced and published.

use crate::app::error::AppError;
use crate::db;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, User};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page, redirect};
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

fn produced(state: &AppState, year: i32) -> bool {
    state
        .reports_dir
        .join(year.to_string())
        .join("index.html")
        .is_file()
}

pub async fn list(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let published = db::published_reports(&state.pool).await?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Rapports d'évaluation annuels", "Yearly evaluation reports");
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Le rapport d'une année rassemble participation, qualités, progrès, tableau de bord des coalitions, couverture et qualité des données, avec ses graphiques et ses données ouvertes (CSV et Parquet, CC BY 4.0). Le publier fige ses chiffres et verrouille les mesures de l'année.",
            "A year's report gathers participation, qualities, progress, the coalitions scorecard, coverage and data quality, with its charts and open data (CSV and Parquet, CC BY 4.0). Publishing it freezes its figures and locks the year's measurements."
        )) }
        form method="post" action="/reports" {
            (csrf(&token))
            div.field {
                label for="year" { (lang.pick("Année", "Year")) }
                select #year name="year" { @for y in years() { option value=(y) { (y) } } }
            }
            button type="submit" { (lang.pick("Produire le rapport", "Produce the report")) }
        }
        h2 { (lang.pick("Rapports", "Reports")) }
        table {
            caption.visually-hidden { (lang.pick("Rapports par année", "Reports by year")) }
            thead { tr {
                th scope="col" { (lang.pick("Année", "Year")) }
                th scope="col" { (lang.pick("Produit", "Produced")) }
                th scope="col" { ("Publication") }
            } }
            tbody {
                @for y in years() {
                    @let publication = published.iter().find(|(year, _)| *year == y);
                    @if produced(&state, y) || publication.is_some() {
                        tr {
                            td { (y) }
                            td { @if produced(&state, y) { a href={ "/reports/" (y) } { (lang.pick("Lire le rapport ", "Read the report ")) (y) } } @else { "—" } }
                            td {
                                @match publication {
                                    Some((_, at)) => { (lang.pick("Publié le ", "Published on ")) (at.get(..10).unwrap_or(at)) }
                                    None => {
                                        form.inline method="post" action={ "/reports/" (y) "/publish" } {
                                            (csrf(&token))
                                            button.secondary type="submit" { (lang.pick("Publier le rapport ", "Publish the report ")) (y) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.hint { (lang.pick("Les fichiers sont écrits dans le dossier des rapports du serveur : ", "Files are written in the server's reports folder: ")) code { (state.reports_dir.display()) } }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

fn year_of(form: &CheckedForm) -> Result<i32, AppError> {
    form.value("year")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| years().contains(y))
        .ok_or(AppError::NotFound)
}

async fn write(
    state: &AppState,
    year: i32,
    lang: crate::domain::i18n::Lang,
) -> Result<(), AppError> {
    let out = state.reports_dir.join(year.to_string());
    crate::report::generate(&state.pool, &state.registry, year, &out, lang, &())
        .await
        .map_err(AppError::Internal)?;
    Ok(())
}

pub async fn produce(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = year_of(&form)?;
    write(&state, year, ctx.lang).await?;
    Ok(redirect("/reports"))
}

pub async fn publish(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = path.into_inner();
    if !years().contains(&year) {
        return Err(AppError::NotFound);
    }
    crate::report::publish(
        &state.pool,
        &state.registry,
        &state.writes,
        year,
        Some(&user.id),
    )
    .await
    .map_err(AppError::Internal)?;
    write(&state, year, ctx.lang).await?;
    Ok(redirect("/reports"))
}

/// A produced report's document, for staff.
pub async fn show(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    staff_only(&user)?;
    let year = path.into_inner();
    let file = state.reports_dir.join(year.to_string()).join("index.html");
    let html = web::block(move || std::fs::read_to_string(file))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(|_| AppError::NotFound)?;
    // The document is self-contained (its style inline, as in the published files): it gets
    // a policy of its own that allows that style and still nothing else.
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ))
        .body(html))
}

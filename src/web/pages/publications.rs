//! The published yearly reports, for everyone: the list, one report inside the site's layout
//! with every table (CSV, Parquet), chart (SVG), its `datapackage.json` and the whole folder
//! as a zip, and each of those files. Everything is read from the database
//! (`crate::app::publications`), so every instance serves the same report. Drafts are never
//! served here: only files stored as published.

use crate::app::error::AppError;
use crate::app::publications;
use crate::db::{self, ReportFile, ReportFileListing};
use crate::domain::i18n::Lang;
use crate::report::folder;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::ui::layout::{html_response, page};
use crate::web::ui::tables::scroll_table;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// What a report holds, in a sentence.
fn contents_sentence(lang: Lang, tables: usize, charts: usize) -> String {
    lang.pick(
        &format!(
            "Participation, les 7 qualités, progrès, tableau de bord des coalitions, couverture et qualité des données : {tables} tableaux de données (CSV et Parquet) et {charts} graphiques (SVG), sous licence CC BY 4.0."
        ),
        &format!(
            "Participation, the 7 qualities, progress, the coalitions scorecard, coverage and data quality: {tables} data tables (CSV and Parquet) and {charts} charts (SVG), under the CC BY 4.0 licence."
        ),
    )
    .to_owned()
}

/// The tables (by name) and charts (by path, in `lang`) of a stored report.
fn contents(files: &[ReportFileListing], lang: Lang) -> (Vec<String>, Vec<String>) {
    let tables = files
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("data/")
                .and_then(|p| p.strip_suffix(".csv"))
        })
        .map(str::to_owned)
        .collect();
    let prefix = chart_prefix(lang);
    let charts = files
        .iter()
        .filter(|f| {
            f.path.ends_with(".svg")
                && f.path
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('/'))
        })
        .map(|f| f.path.clone())
        .collect();
    (tables, charts)
}

/// Where the document and charts of `lang` are in a stored report.
fn document_path(lang: Lang) -> String {
    if lang == publications::LANGS[0] {
        "index.html".to_owned()
    } else {
        format!("{}/index.html", lang.code())
    }
}

fn chart_prefix(lang: Lang) -> String {
    if lang == publications::LANGS[0] {
        "charts/".to_owned()
    } else {
        format!("{}/charts/", lang.code())
    }
}

/// A chart's title, from its file name.
pub fn chart_label(path: &str, lang: Lang) -> String {
    let name = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".svg");
    match name {
        "coverage_goals" => lang
            .pick(
                "Couverture qualités × dimensions : objectifs",
                "Qualities × dimensions coverage: goals",
            )
            .to_owned(),
        "coverage_indicators" => lang
            .pick(
                "Couverture qualités × dimensions : indicateurs",
                "Qualities × dimensions coverage: indicators",
            )
            .to_owned(),
        "scores_by_year" => lang
            .pick(
                "Indice moyen des organisations par année",
                "Organisations' mean index by year",
            )
            .to_owned(),
        "participation_by_departement" => lang
            .pick(
                "Carte de la participation par département",
                "Map of participation by département",
            )
            .to_owned(),
        "participation_and_scores_by_year" => lang
            .pick(
                "Organisations participantes par année",
                "Participating organisations by year",
            )
            .to_owned(),
        "coverage_actions" => lang
            .pick(
                "Couverture qualités × dimensions : actions",
                "Qualities × dimensions coverage: actions",
            )
            .to_owned(),
        other => match crate::report::table_label(other, lang) {
            "—" => other.replace('_', " "),
            label => label.to_owned(),
        },
    }
}

fn size(bytes: i64, lang: Lang) -> String {
    if bytes >= 1024 * 1024 {
        format!(
            "{} {}",
            lang.figure(bytes as f64 / (1024.0 * 1024.0), 1),
            lang.pick("Mo", "MB")
        )
    } else {
        format!("{} {}", (bytes + 1023) / 1024, lang.pick("ko", "KB"))
    }
}

/// `GET /publications`: every published report.
pub async fn list(ctx: PageContext, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let mut rows = Vec::new();
    for publication in publications::published(&state.pool).await? {
        let files =
            db::report_file_listings(&state.pool, publication.year, db::REPORT_PUBLISHED).await?;
        let (tables, charts) = contents(&files, lang);
        rows.push((publication, tables.len(), charts.len()));
    }
    let title = "Publications";
    let body = html! {
        h1 { (lang.pick("Rapports d'évaluation publiés", "Published evaluation reports")) }
        p { (lang.pick(
            "Chaque année, l'équipe du programme #RESET publie le rapport d'évaluation de l'année, avec toutes ses données ouvertes. Aucun chiffre ne porte sur moins de 3 personnes répondantes ni sur un groupe de moins de 5 organisations.",
            "Every year, the #RESET programme team publishes the year's evaluation report, with all its open data. No figure is about fewer than 3 respondents or a group of fewer than 5 organisations."
        )) }
        @if rows.is_empty() {
            p { (lang.pick("Aucun rapport n'est encore publié.", "No report is published yet.")) }
        } @else {
            ul.publications {
                @for (publication, tables, charts) in &rows {
                    li {
                        h2 { a href={ "/publications/" (publication.year) } { (lang.pick("Rapport d'évaluation ", "Evaluation report ")) (publication.year) } }
                        p { (lang.pick("Publié le ", "Published on ")) (lang.date(&publication.published_at)) }
                        p { (contents_sentence(lang, *tables, *charts)) }
                    }
                }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

/// `GET /publications/{year}`: one published report, inside the site's layout.
pub async fn show(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let year = path.into_inner();
    let lang = ctx.lang;
    let publication = publications::published(&state.pool)
        .await?
        .into_iter()
        .find(|p| p.year == year)
        .ok_or(AppError::NotFound)?;
    let files = db::report_file_listings(&state.pool, year, db::REPORT_PUBLISHED).await?;
    let base = format!("/publications/{year}/files");
    let body = report_body(lang, year, &files, &base, Some(&publication.published_at));
    let title = format!(
        "{} {year}",
        lang.pick("Rapport d'évaluation", "Evaluation report")
    );
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// The page of a stored report: links to its document, zip, data files and charts. Shared
/// with the staff's draft page (`crate::web::pages::reports`).
pub fn report_body(
    lang: Lang,
    year: i32,
    files: &[ReportFileListing],
    base: &str,
    published_at: Option<&str>,
) -> Markup {
    let (tables, charts) = contents(files, lang);
    let archive = folder::archive_name(year);
    let archive_size = files
        .iter()
        .find(|f| f.path == archive)
        .map(|f| size(f.bytes, lang));
    let other = lang.other();
    let back = if published_at.is_some() {
        (
            "/publications",
            lang.pick("Toutes les publications", "All publications"),
        )
    } else {
        ("/reports", lang.pick("Tous les rapports", "All reports"))
    };
    html! {
        p { a href=(back.0) { "← " (back.1) } }
        h1 { (lang.pick("Rapport d'évaluation ", "Evaluation report ")) (year) }
        @match published_at {
            Some(at) => p { (lang.pick("Publié le ", "Published on ")) (lang.date(at)) (lang.pick(" : ses chiffres sont figés.", ": its figures are frozen.")) },
            None => p.notice { (lang.pick("Brouillon, visible de l'équipe du programme seulement.", "Draft, seen by the programme team only.")) },
        }
        p { (contents_sentence(lang, tables.len(), charts.len())) }
        h2 { (lang.pick("Lire le rapport", "Read the report")) }
        ul {
            li { a href={ (base) "/" (document_path(lang)) } { (lang.pick("Le rapport complet (une page imprimable)", "The full report (one printable page)")) } }
            li { a href={ (base) "/" (document_path(other)) } lang=(other.code()) hreflang=(other.code()) { (other.pick("Le rapport en français", "The report in English")) } }
        }
        h2 { (lang.pick("Tout télécharger", "Download everything")) }
        ul {
            @if let Some(archive_size) = &archive_size {
                li { a href={ (base) "/" (archive) } download { (lang.pick("Le dossier complet (zip", "The whole folder (zip")) ", " (archive_size) ")" } }
            }
            li { a href={ (base) "/data/datapackage.json" } { "datapackage.json" } (lang.pick(" : le paquet de données (Frictionless Data), avec le schéma de chaque table", ": the data package (Frictionless Data), with each table's schema")) }
            li { a href={ (base) "/data/README.md" } { "README.md" } (lang.pick(" : chaque fichier et chaque champ décrits", ": every file and field described")) }
        }
        h2 { (lang.pick("Données", "Data")) }
        (scroll_table("data-tables", html! {
            table {
                caption #data-tables { (lang.pick("Tableaux de données, sous licence CC BY 4.0", "Data tables, under the CC BY 4.0 licence")) }
                thead { tr {
                    th scope="col" { (lang.pick("Tableau", "Table")) }
                    th scope="col" { "CSV" }
                    th scope="col" { "Parquet" }
                } }
                tbody {
                    @for name in &tables {
                        @let label = match crate::report::table_label(name, lang) { "—" => name.clone(), l => l.to_owned() };
                        tr {
                            th scope="row" { (label) }
                            td { a href={ (base) "/data/" (name) ".csv" } { (name) ".csv" span.visually-hidden { " — " (label) } } }
                            td { a href={ (base) "/data/" (name) ".parquet" } download { (name) ".parquet" span.visually-hidden { " — " (label) } } }
                        }
                    }
                }
            }
        }))
        h2 { (lang.pick("Graphiques", "Charts")) }
        p { (lang.pick("Chaque graphique a son tableau de données ci-dessus et dans le rapport complet.", "Each chart has its data table above and in the full report.")) }
        @for chart in &charts {
            @let label = chart_label(chart, lang);
            figure.chart {
                img src={ (base) "/" (chart) } alt=(label);
                figcaption { (label) " — " a href={ (base) "/" (chart) } { (lang.pick("image SVG", "SVG image")) span.visually-hidden { " : " (label) } } }
            }
        }
    }
}

/// A stored file as an HTTP response. The document is self-contained (its style inline): it
/// gets a policy of its own that allows that style and still nothing else.
pub fn file_response(file: ReportFile, public: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.content_type(file.content_type.as_str());
    if file.path.ends_with(".html") {
        response.insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ));
    }
    if file.path.ends_with(".zip") || file.path.ends_with(".parquet") {
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    if public {
        // A published report never changes: caches may keep it.
        response.insert_header((header::CACHE_CONTROL, "public, max-age=3600"));
    }
    response.body(file.bytes)
}

/// `GET /publications/{year}/files/{path}`: one file of a published report.
pub async fn file(
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let (year, path) = path.into_inner();
    let file = db::report_file(&state.pool, year, db::REPORT_PUBLISHED, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(file_response(file, true))
}

//! The downloads of an organisation's diagnostic results, for its leads and staff: the same
//! figures as its results page (so the same thresholds hold), as CSV for a spreadsheet and
//! as JSON.

use crate::app::error::AppError;
use crate::app::results::organisation_result;
use crate::db::{Diagnostic, Organisation};
use crate::domain::questionnaire::Questionnaire;
use crate::domain::results::{self, DiagnosticResult};
use crate::domain::scoring::Scores;
use crate::domain::{Dimension, Level, Quality};
use crate::web::session::User;
use crate::web::{AppState, access};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde_json::json;
use std::fmt::Write as _;

/// The figures of a result as a table: one row a measure, ready for a spreadsheet.
fn csv(
    q: &Questionnaire,
    organisation: &Organisation,
    diagnostic: &Diagnostic,
    result: &DiagnosticResult,
) -> String {
    let scores = &result.group.scores;
    let mut out = String::from(
        "organisation,diagnostic,questionnaire,version,measure,quality,dimension,value\n",
    );
    // Names are the organisation's own text: neutralised so that no spreadsheet runs them.
    let quote = |s: &str| {
        format!(
            "\"{}\"",
            crate::analytics::csv_cells::neutralise(s).replace('"', "\"\"")
        )
    };
    let prefix = format!(
        "{},{},{},{}",
        quote(&organisation.name),
        quote(&diagnostic.title),
        q.slug,
        q.version
    );
    let value = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mut row = |measure: &str, quality: &str, dimension: &str, v: String| {
        let _ = writeln!(out, "{prefix},{measure},{quality},{dimension},{v}");
    };
    row("respondents", "", "", result.respondents.to_string());
    if let Some(needed) = result.withheld {
        // Too few respondents: the count and what is missing, not a single figure.
        row("respondents_needed", "", "", needed.to_string());
        return out;
    }
    row("coverage", "", "", format!("{:.4}", scores.coverage()));
    row("overall", "", "", value(scores.overall));
    for &quality in Quality::ALL {
        row(
            "quality",
            quality.code(),
            "",
            value(scores.quality(quality)),
        );
    }
    for &dimension in Dimension::ALL {
        row(
            "dimension",
            "",
            dimension.code(),
            value(scores.dimension(dimension)),
        );
    }
    for &quality in Quality::ALL {
        for &dimension in Dimension::ALL {
            row(
                "cell",
                quality.code(),
                dimension.code(),
                value(scores.cell(quality, dimension)),
            );
        }
    }
    for &quality in Quality::ALL {
        row(
            "dispersion",
            quality.code(),
            "",
            value(result.group.dispersion[quality.index()]),
        );
    }
    out
}

/// The same figures as JSON; never the individual respondents' scores.
fn json(
    q: &Questionnaire,
    organisation: &Organisation,
    diagnostic: &Diagnostic,
    result: &DiagnosticResult,
) -> serde_json::Value {
    if let Some(needed) = result.withheld {
        // Too few respondents: the count and what is missing, not a single figure.
        return json!({
            "organisation": { "name": organisation.name, "kind": organisation.kind, "departement": organisation.departement },
            "diagnostic": { "title": diagnostic.title, "opened_at": diagnostic.opened_at, "solo": diagnostic.is_solo() },
            "questionnaire": { "slug": q.slug, "version": q.version, "licence": q.licence },
            "respondents": result.respondents,
            "withheld": {
                "respondents_needed": needed,
                "minimum": results::MIN_RESPONDENTS,
                "reason": "Overall results are shown from 3 respondents on, so that no one can be recognised through them.",
            },
        });
    }
    let scores: &Scores = &result.group.scores;
    let by_quality = |f: &dyn Fn(Quality) -> serde_json::Value| {
        Quality::ALL
            .iter()
            .map(|&quality| (quality.code().to_owned(), f(quality)))
            .collect::<serde_json::Map<_, _>>()
    };
    json!({
        "organisation": { "name": organisation.name, "kind": organisation.kind, "departement": organisation.departement },
        "diagnostic": { "title": diagnostic.title, "opened_at": diagnostic.opened_at, "solo": diagnostic.is_solo() },
        "questionnaire": { "slug": q.slug, "version": q.version, "licence": q.licence },
        "respondents": result.respondents,
        "respondents_pending": result.pending,
        "coverage": scores.coverage(),
        "overall": scores.overall,
        "level": scores.overall_level().map(Level::code),
        "qualities": by_quality(&|quality| json!({
            "score": scores.quality(quality),
            "level": scores.quality(quality).map(|s| Level::of_score(s).code()),
            "dispersion": result.group.dispersion[quality.index()],
            "cells": Dimension::ALL.iter().map(|&d| (d.code().to_owned(), json!(scores.cell(quality, d)))).collect::<serde_json::Map<_, _>>(),
        })),
        "dimensions": Dimension::ALL.iter().map(|&d| (d.code().to_owned(), json!(scores.dimension(d)))).collect::<serde_json::Map<_, _>>(),
        "roles": result.roles.iter().map(|r| json!({ "role": r.role, "respondents": r.respondents, "qualities": by_quality(&|quality| json!(r.scores.quality(quality))) })).collect::<Vec<_>>(),
        "divergent": result.divergent.iter().map(|quality| quality.code()).collect::<Vec<_>>(),
        "comparison": result.comparison.as_ref().map(|c| json!({
            "with": c.label, "compared_questions": c.compared(), "scored_questions": c.scored(),
            "across_versions": c.across_versions(),
            "questions": c.comparison.compared.iter().map(|(earlier, later)| json!({ "earlier": earlier, "later": later })).collect::<Vec<_>>(),
            "before": by_quality(&|quality| json!(c.comparison.before[quality.index()])),
        })),
        "peers": result.peers.as_ref().map(|p| json!({
            "organisations": p.peers,
            "qualities": by_quality(&|quality| json!(p.quality(quality).map(|x| json!({ "median": x.median, "q1": x.q1, "q3": x.q3, "n": x.n })))),
        })),
    })
}

fn attachment(name: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{name}\""),
    )
}

pub async fn organisation_csv(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let (q, result) =
        organisation_result(&state.pool, &state.registry, &diagnostic, &organisation).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment("resultats.csv"))
        .body(csv(&q, &organisation, &diagnostic, &result)))
}

pub async fn organisation_json(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let (q, result) =
        organisation_result(&state.pool, &state.registry, &diagnostic, &organisation).await?;
    Ok(HttpResponse::Ok()
        .insert_header(attachment("resultats.json"))
        .json(json(&q, &organisation, &diagnostic, &result)))
}

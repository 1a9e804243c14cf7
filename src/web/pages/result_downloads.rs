//! The downloads of an organisation's diagnostic results, for its leads and staff: the same
//! figures as its results page (so the same thresholds hold), as CSV for a spreadsheet and
//! as JSON.

use crate::app::error::AppError;
use crate::app::results::organisation_result;
use crate::db::{Diagnostic, Organisation};
use crate::domain::i18n::Lang;
use crate::domain::questionnaire::{QuestionKind, Questionnaire};
use crate::domain::results::{self, DiagnosticResult};
use crate::domain::scoring::Scores;
use crate::domain::{Dimension, Level, Quality};
use crate::web::lang::PageContext;
use crate::web::session::User;
use crate::web::today;
use crate::web::{AppState, access};
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpResponse, web};
use serde_json::json;
use std::fmt::Write as _;

/// How a spreadsheet of the reader's language expects a CSV file: in French, `;` between
/// cells, decimal commas and a byte-order mark (without it, a French spreadsheet reads UTF-8
/// as Latin-1); in English, `,` and `.`.
struct CsvStyle {
    lang: Lang,
    separator: char,
}

impl CsvStyle {
    fn of(lang: Lang) -> CsvStyle {
        let separator = match lang {
            Lang::Fr => ';',
            Lang::En => ',',
        };
        CsvStyle { lang, separator }
    }

    fn start(&self) -> &'static str {
        match self.lang {
            Lang::Fr => "\u{feff}",
            Lang::En => "",
        }
    }

    /// A text cell: quoted, and neutralised so that no spreadsheet runs it as a formula
    /// (names and justifications are people's own text).
    fn text(&self, s: &str) -> String {
        if s.is_empty() {
            return String::new();
        }
        format!(
            "\"{}\"",
            crate::analytics::csv_cells::neutralise(s).replace('"', "\"\"")
        )
    }

    /// A number with `decimals` digits after the separator of the language; empty for none.
    fn number(&self, v: Option<f64>, decimals: usize) -> String {
        let Some(v) = v else { return String::new() };
        let written = format!("{v:.decimals$}");
        match self.lang {
            Lang::Fr => written.replace('.', ","),
            Lang::En => written,
        }
    }
}

/// The figures of a result as a table: one row a measure, named in words in the reader's
/// language, ready for a spreadsheet; then the answers question by question, as far as the
/// thresholds of the page let them through.
fn csv(
    lang: Lang,
    q: &Questionnaire,
    organisation: &Organisation,
    diagnostic: &Diagnostic,
    result: &DiagnosticResult,
) -> String {
    let style = CsvStyle::of(lang);
    let sep = style.separator;
    let scores = &result.group.scores;
    let header = [
        "Organisation",
        "Diagnostic",
        "Questionnaire",
        "Version",
        lang.pick("Mesure", "Measure"),
        lang.pick("Qualité", "Quality"),
        "Dimension",
        "Question",
        lang.pick("Réponse", "Answer"),
        lang.pick("Valeur", "Value"),
    ];
    let mut out = String::from(style.start());
    let _ = writeln!(out, "{}", header.join(&sep.to_string()));
    let prefix = [
        style.text(&organisation.name),
        style.text(&diagnostic.title),
        style.text(q.title.get(lang)),
        style.text(&q.version),
    ]
    .join(&sep.to_string());
    let mut row =
        |measure: &str, quality: &str, dimension: &str, question: &str, answer: &str, v: String| {
            let cells = [
                style.text(measure),
                style.text(quality),
                style.text(dimension),
                style.text(question),
                style.text(answer),
                v,
            ];
            let _ = writeln!(out, "{prefix}{sep}{}", cells.join(&sep.to_string()));
        };
    let respondents = lang.pick("Répondant·es", "Respondents");
    row(respondents, "", "", "", "", result.respondents.to_string());
    if let Some(needed) = result.withheld {
        // Too few respondents: the count and what is missing, not a single figure.
        row(
            lang.pick("Répondant·es encore attendu·es", "Respondents still needed"),
            "",
            "",
            "",
            "",
            needed.to_string(),
        );
        return out;
    }
    let score = |v: Option<f64>| style.number(v, 1);
    row(
        lang.pick(
            "Questions notées ayant une réponse (%)",
            "Scored questions answered (%)",
        ),
        "",
        "",
        "",
        "",
        style.number(Some(scores.coverage() * 100.0), 1),
    );
    row(
        lang.pick("Indice global", "Overall index"),
        "",
        "",
        "",
        "",
        score(scores.overall),
    );
    for &quality in Quality::ALL {
        row(
            lang.pick("Score de la qualité", "Quality score"),
            quality.label(lang),
            "",
            "",
            "",
            score(scores.quality(quality)),
        );
    }
    for &dimension in Dimension::ALL {
        row(
            lang.pick("Score de la dimension", "Dimension score"),
            "",
            dimension.label(lang),
            "",
            "",
            score(scores.dimension(dimension)),
        );
    }
    for &quality in Quality::ALL {
        for &dimension in Dimension::ALL {
            row(
                lang.pick("Score qualité × dimension", "Quality × dimension score"),
                quality.label(lang),
                dimension.label(lang),
                "",
                "",
                score(scores.cell(quality, dimension)),
            );
        }
    }
    for &quality in Quality::ALL {
        row(
            lang.pick("Écart entre répondant·es", "Spread between respondents"),
            quality.label(lang),
            "",
            "",
            "",
            score(result.group.dispersion[quality.index()]),
        );
    }
    // The answers question by question, with the page's thresholds (see
    // `domain::results::question_results`): nothing of a question fewer than 3 answered.
    for r in &result.questions {
        let Some(question) = q
            .question_index(&r.question)
            .and_then(|i| q.questions.get(i))
        else {
            continue;
        };
        let quality = question.quality.label(lang);
        let dimension = question.dimension.label(lang);
        let text = question.text.get(lang);
        let Some(counts) = &r.answers else {
            row(
                lang.pick(
                    "Réponses masquées : moins de 3 personnes ont répondu",
                    "Answers hidden: fewer than 3 people answered",
                ),
                quality,
                dimension,
                text,
                "",
                String::new(),
            );
            continue;
        };
        let answers = lang.pick("Réponses", "Answers");
        row(
            lang.pick("Personnes comptées", "People counted"),
            quality,
            dimension,
            text,
            "",
            counts.counted.to_string(),
        );
        for (choice, n) in results::answer_choices(question)
            .iter()
            .zip(&counts.choices)
        {
            row(
                answers,
                quality,
                dimension,
                text,
                &choice.label(lang),
                n.to_string(),
            );
        }
        row(
            answers,
            quality,
            dimension,
            text,
            lang.pick("Je ne sais pas", "I don't know"),
            counts.dont_know.to_string(),
        );
        row(
            answers,
            quality,
            dimension,
            text,
            lang.pick("Non applicable", "Not applicable"),
            counts.not_applicable.to_string(),
        );
        for justification in r.justifications.iter().flatten() {
            row(
                lang.pick(
                    "Justification de « non applicable »",
                    "Justification of « not applicable »",
                ),
                quality,
                dimension,
                text,
                justification,
                String::new(),
            );
        }
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
            "label": { "fr": quality.label(Lang::Fr), "en": quality.label(Lang::En) },
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
        "dimension_labels": Dimension::ALL.iter().map(|&d| (d.code().to_owned(), json!({ "fr": d.label(Lang::Fr), "en": d.label(Lang::En) }))).collect::<serde_json::Map<_, _>>(),
        "questions": question_results_json(q, result),
        "peers": result.peers.as_ref().map(|p| json!({
            "organisations": p.peers,
            "qualities": by_quality(&|quality| json!(p.quality(quality).map(|x| json!({ "median": x.median, "q1": x.q1, "q3": x.q3, "n": x.n })))),
        })),
    })
}

/// The answers question by question, as far as the thresholds let them through: each
/// answer by its code (a scale's point, an option's id, `yes`/`no`, a number's band).
fn question_results_json(q: &Questionnaire, result: &DiagnosticResult) -> Vec<serde_json::Value> {
    result
        .questions
        .iter()
        .filter_map(|r| {
            let question = q.questions.get(q.question_index(&r.question)?)?;
            let codes: Vec<String> = match &question.kind {
                QuestionKind::Number { thresholds, .. } => {
                    let mut bands = Vec::new();
                    if let Some(first) = thresholds.first() {
                        bands.push(format!("<{}", first.value));
                    }
                    for pair in thresholds.windows(2) {
                        bands.push(format!("{}..{}", pair[0].value, pair[1].value));
                    }
                    if let Some(last) = thresholds.last() {
                        bands.push(format!(">={}", last.value));
                    }
                    bands
                }
                _ => question.canonical_values(),
            };
            Some(json!({
                "question": r.question,
                "quality": question.quality.code(),
                "dimension": question.dimension.code(),
                "answers": r.answers.as_ref().map(|a| json!({
                    "counted": a.counted,
                    "choices": codes.iter().zip(&a.choices).map(|(code, n)| json!({ "value": code, "count": n })).collect::<Vec<_>>(),
                    "dont_know": a.dont_know,
                    "not_applicable": a.not_applicable,
                })),
                "not_applicable_justifications": r.justifications,
            }))
        })
        .collect()
}

/// `Content-Disposition` naming the file after the organisation and the day: an ASCII
/// name for old clients, and the name in words (`filename*`, UTF-8) for the others.
fn attachment(lang: Lang, organisation: &Organisation, extension: &str) -> ContentDisposition {
    let day = today();
    let words = format!(
        "{} – {} – {day}.{extension}",
        lang.pick("Résultats", "Results"),
        organisation.name.replace(['/', '\\', '"'], " ")
    );
    let ascii = format!(
        "{}-{}-{day}.{extension}",
        lang.pick("resultats", "results"),
        ascii_slug(&organisation.name)
    );
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: words.into_bytes(),
            }),
        ],
    }
}

/// A name in ASCII letters, digits and dashes, accents dropped (« Île-de-Ré » → « ile-de-re »).
fn ascii_slug(name: &str) -> String {
    let plain: String = name.chars().map(unaccented).collect();
    let mut slug = String::new();
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "organisation".to_owned()
    } else {
        slug.to_owned()
    }
}

/// The letters of French and its neighbours without their accents.
fn unaccented(c: char) -> String {
    let plain = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'Î' | 'Ï' | 'Í' | 'Ì' => "I",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => "O",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'Ù' | 'Û' | 'Ü' | 'Ú' => "U",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        _ => return c.to_string(),
    };
    plain.to_owned()
}

pub async fn organisation_csv(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let (q, result) =
        organisation_result(&state.pool, &state.registry, &diagnostic, &organisation).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment(ctx.lang, &organisation, "csv"),
        ))
        .body(csv(ctx.lang, &q, &organisation, &diagnostic, &result)))
}

pub async fn organisation_json(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let (q, result) =
        organisation_result(&state.pool, &state.registry, &diagnostic, &organisation).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment(ctx.lang, &organisation, "json"),
        ))
        .json(json(&q, &organisation, &diagnostic, &result)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ascii_file_name_drops_accents_and_punctuation() {
        assert_eq!(
            ascii_slug("Ville de Saint-Étienne-l'Œuvre"),
            "ville-de-saint-etienne-l-oeuvre"
        );
        assert_eq!(ascii_slug("  Île-de-Ré  "), "ile-de-re");
        assert_eq!(ascii_slug("«  »"), "organisation");
    }

    #[test]
    fn french_numbers_take_a_decimal_comma_and_english_ones_a_point() {
        assert_eq!(CsvStyle::of(Lang::Fr).number(Some(60.25), 1), "60,2");
        assert_eq!(CsvStyle::of(Lang::En).number(Some(60.35), 1), "60.4");
        assert_eq!(CsvStyle::of(Lang::Fr).number(None, 1), "");
    }
}

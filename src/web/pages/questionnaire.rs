//! One questionnaire version, read-only: who answers, and every question with why it
//! matters, quality by quality. Lets anyone see what they will be asked before starting.

use crate::app::error::AppError;
use crate::domain::Quality;
use crate::domain::questionnaire::{NotApplicable, Question, QuestionKind, Questionnaire};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::texts::texts;
use crate::web::ui::layout::page;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

pub async fn show(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let q = state
        .registry
        .get(&slug, &version)
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(render(&ctx, q).into_string()))
}

fn render(ctx: &PageContext, q: &Questionnaire) -> Markup {
    let lang = ctx.lang;
    let t = texts(lang);
    let title = q.title.get(lang);
    let body = html! {
        p { a href="/" { "← " (t.back_to_home) } }
        h1 { (title) }
        p { (q.introduction.get(lang)) }
        dl.meta {
            dt { (t.audience) } dd { (q.audience.label(lang)) }
            dt { (t.version) } dd { (q.version) }
            @if let Some(previous) = &q.previous {
                dt { (t.previous_version) } dd { a href={ "/questionnaires/" (q.slug) "/" (previous) } { (previous) } }
            }
            dt { (t.scored_questions) } dd { (q.scored_questions().count()) }
            @if let Some(minutes) = q.estimated_minutes {
                dt { (t.time_needed) } dd { (minutes) " " (t.minutes) }
            }
            dt { (t.licence) } dd { (q.licence) }
        }
        h2 { (t.questionnaire_roles) }
        ul { @for role in &q.roles { li { (role.label.get(lang)) } } }

        h2 { (t.questionnaire_by_quality) }
        @for &quality in Quality::ALL {
            section aria-labelledby={ "q-" (quality.code()) } {
                h3 #{ "q-" (quality.code()) } { (quality.label(lang)) }
                p.hint { (quality.description(lang)) }
                ol.questions {
                    @for (_, question) in q.questions_of(quality) {
                        li { (question_item(ctx, question)) }
                    }
                }
            }
        }
    };
    page(ctx, title, body)
}

fn question_item(ctx: &PageContext, question: &Question) -> Markup {
    let lang = ctx.lang;
    let t = texts(lang);
    let kind = match &question.kind {
        QuestionKind::Scale { labels, .. } => format!("{} ({})", t.kind_scale, labels.len()),
        QuestionKind::Single { .. } => t.kind_single.to_owned(),
        QuestionKind::Multiple { .. } => t.kind_multiple.to_owned(),
        QuestionKind::YesNo { .. } => t.kind_yes_no.to_owned(),
        QuestionKind::Number { unit, .. } => match unit {
            Some(unit) => format!("{} ({})", t.kind_number, unit.get(lang)),
            None => t.kind_number.to_owned(),
        },
        QuestionKind::Text => t.kind_text.to_owned(),
    };
    html! {
        p.question { (question.text.get(lang)) }
        p.hint {
            (question.dimension.label(lang)) " · " (kind)
            @if question.is_scored() && question.weight != 1.0 { " · " (t.weight) " " (question.weight) }
            @match question.not_applicable {
                NotApplicable::Allowed => { " · " (t.not_applicable_allowed) }
                NotApplicable::Justified => { " · " (t.not_applicable_justified) }
                NotApplicable::No => {}
            }
            @if let Some(same_as) = &question.same_as { " · " (t.continues) " " code { (same_as) } }
        }
        @if let Some(help) = &question.help { p.hint { (help.get(lang)) } }
        p.why { strong { (t.why_it_matters) } " " (question.why.get(lang)) }
    }
}

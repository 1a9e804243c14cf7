//! One questionnaire version, read-only: who answers, and every question with why it
//! matters, quality by quality. Lets anyone see what they will be asked before starting.

use crate::app::error::AppError;
use crate::domain::Quality;
use crate::domain::questionnaire::{NotApplicable, Question, QuestionKind, Questionnaire};
use crate::web::AppState;
use crate::web::lang::PageContext;
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
    let title = q.title.get(lang);
    let body = html! {
        p { a href="/" { "← " (lang.pick("Retour à l'accueil", "Back to home")) } }
        h1 { (title) }
        p { (q.introduction.get(lang)) }
        dl.meta {
            dt { (lang.pick("Public", "Audience")) } dd { (q.audience.label(lang)) }
            dt { "Version" } dd { (q.version) }
            @if let Some(previous) = &q.previous {
                dt { (lang.pick("Version précédente", "Previous version")) } dd { a href={ "/questionnaires/" (q.slug) "/" (previous) } { (previous) } }
            }
            dt { (lang.pick("Questions notées", "Scored questions")) } dd { (q.scored_questions().count()) }
            @if let Some(minutes) = q.estimated_minutes {
                dt { (lang.pick("Durée", "Time needed")) } dd { (minutes) " " (lang.pick("min environ", "min or so")) }
            }
            dt { "Licence" } dd { (q.licence) }
        }
        h2 { (lang.pick("Qui répond", "Who answers")) }
        ul { @for role in &q.roles { li { (role.label.get(lang)) } } }

        h2 { (lang.pick("Les questions, qualité par qualité", "The questions, quality by quality")) }
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
    let kind = match &question.kind {
        QuestionKind::Scale { labels, .. } => {
            format!("{} ({})", lang.pick("échelle", "scale"), labels.len())
        }
        QuestionKind::Single { .. } => lang.pick("choix unique", "single choice").to_owned(),
        QuestionKind::Multiple { .. } => lang.pick("choix multiples", "multiple choice").to_owned(),
        QuestionKind::YesNo { .. } => lang.pick("oui / non", "yes / no").to_owned(),
        QuestionKind::Number { unit, .. } => match unit {
            Some(unit) => format!("{} ({})", lang.pick("nombre", "number"), unit.get(lang)),
            None => lang.pick("nombre", "number").to_owned(),
        },
        QuestionKind::Text => lang
            .pick("texte libre, non noté", "free text, unscored")
            .to_owned(),
    };
    html! {
        p.question { (question.text.get(lang)) }
        p.hint {
            (question.dimension.label(lang)) " · " (kind)
            @if question.is_scored() && question.weight != 1.0 { " · " (lang.pick("poids", "weight")) " " (question.weight) }
            @match question.not_applicable {
                NotApplicable::Allowed => { " · " (lang.pick("« non applicable » possible", "\"not applicable\" allowed")) }
                NotApplicable::Justified => { " · " (lang.pick("« non applicable » possible, avec justification", "\"not applicable\" allowed, with a justification")) }
                NotApplicable::No => {}
            }
            @if let Some(same_as) = &question.same_as { " · " (lang.pick("prolonge", "continues")) " " code { (same_as) } }
        }
        @if let Some(help) = &question.help { p.hint { (help.get(lang)) } }
        p.why { strong { (lang.pick("Pourquoi c'est important :", "Why it matters:")) } " " (question.why.get(lang)) }
    }
}

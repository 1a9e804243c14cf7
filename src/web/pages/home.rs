//! The landing page: what the service is for, the 7 qualities and 3 dimensions, the
//! programme's figures, and the published questionnaires.

use crate::app::error::AppError;
use crate::db::{self, Overview};
use crate::domain::questionnaire::Questionnaire;
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::texts::texts;
use crate::web::ui::layout::page;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use std::collections::HashMap;

pub async fn show(ctx: PageContext, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let overview = db::overview(&state.pool).await?;
    let mut submitted: HashMap<String, i64> = HashMap::new();
    for (slug, _version, count) in db::submitted_counts(&state.pool).await? {
        *submitted.entry(slug).or_default() += count;
    }
    let body = render(&ctx, &state, overview, &submitted);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body.into_string()))
}

fn render(
    ctx: &PageContext,
    state: &AppState,
    overview: Overview,
    submitted: &HashMap<String, i64>,
) -> Markup {
    let lang = ctx.lang;
    let t = texts(lang);
    let body = html! {
        h1 { (t.intro_title) }
        p.lead { (t.tagline) }
        p { (t.intro_body) }

        section aria-labelledby="chiffres" {
            h2 #chiffres { (t.figures_title) }
            ul.figures {
                li { strong { (overview.organisations) } " " (t.figures_organisations) }
                li { strong { (overview.coalitions) } " " (t.figures_coalitions) }
                li { strong { (overview.submitted_responses) } " " (t.figures_responses) }
            }
        }

        section aria-labelledby="questionnaires" {
            h2 #questionnaires { (t.questionnaires_title) }
            p { (t.questionnaires_intro) }
            @if state.registry.is_empty() {
                p { (t.no_questionnaire) }
            }
            ul.cards {
                @for q in state.registry.latest_all() {
                    li.card { (questionnaire_card(ctx, q, state, submitted.get(&q.slug).copied().unwrap_or(0))) }
                }
            }
        }

        div.two-columns {
            section aria-labelledby="qualites" {
                h2 #qualites { (t.qualities_title) }
                dl.terms {
                    @for quality in Quality::ALL {
                        dt { (quality.label(lang)) }
                        dd { (quality.description(lang)) }
                    }
                }
            }
            section aria-labelledby="dimensions" {
                h2 #dimensions { (t.dimensions_title) }
                dl.terms {
                    @for dimension in Dimension::ALL {
                        dt { (dimension.label(lang)) }
                        dd { (dimension.description(lang)) }
                    }
                }
            }
        }
    };
    page(ctx, t.home, body)
}

fn questionnaire_card(
    ctx: &PageContext,
    q: &Questionnaire,
    state: &AppState,
    submitted: i64,
) -> Markup {
    let lang = ctx.lang;
    let t = texts(lang);
    let versions = state.registry.versions(&q.slug);
    html! {
        h3 { a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } }
        dl.meta {
            dt { (t.audience) } dd { (q.audience.label(lang)) }
            dt { (t.version) } dd { (q.version) }
            dt { (t.scored_questions) } dd { (q.scored_questions().count()) }
            @if let Some(minutes) = q.estimated_minutes {
                dt { (t.time_needed) } dd { (minutes) " " (t.minutes) }
            }
            dt { (t.responses_submitted) } dd { (submitted) }
            dt { (t.licence) } dd { (q.licence) }
        }
        @if versions.len() > 1 {
            p { (t.versions) " "
                @for (i, v) in versions.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/questionnaires/" (v.slug) "/" (v.version) } { (v.version) }
                }
            }
        }
    }
}

//! The landing page: what the service is for, the 7 qualities and 3 dimensions, the
//! programme's figures, and the published questionnaires.

use crate::app::error::AppError;
use crate::db::{self, Overview};
use crate::domain::questionnaire::Questionnaire;
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::lang::PageContext;
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
    let body = html! {
        h1 { (lang.pick("Un autodiagnostic pour le numérique que nous voulons", "A self-diagnostic for the digital we want")) }
        p.lead { (lang.pick("Transformer le numérique : où en sommes-nous, et que faire ensuite ?", "Transforming the digital: where do we stand, and what next?")) }
        p { (lang.pick("Territoires, organisations et coalitions du programme #RESET évaluent ici leur numérique au regard des 7 qualités du numérique que nous voulons, sur les 3 dimensions où l'on peut agir. Plusieurs personnes d'une même organisation répondent ; les résultats montrent où elle en est, où les avis divergent, et quoi faire ensuite.", "Territories, organisations and coalitions of the #RESET programme assess their digital practice here against the 7 qualities of the digital we want, across the 3 dimensions on which one can act. Several people of one organisation answer; the results show where it stands, where views differ, and what to do next.")) }

        section aria-labelledby="chiffres" {
            h2 #chiffres { (lang.pick("Le programme en chiffres", "The programme in figures")) }
            ul.figures {
                li { strong { (overview.organisations) } " " (lang.pick("organisations et territoires", "organisations and territories")) }
                li { strong { (overview.coalitions) } " coalitions" }
                li { strong { (overview.submitted_responses) } " " (lang.pick("réponses envoyées", "responses submitted")) }
            }
        }

        section aria-labelledby="questionnaires" {
            h2 #questionnaires { (lang.pick("Les questionnaires", "Questionnaires")) }
            p { (lang.pick("Chaque questionnaire est versionné : une version déjà utilisée ne change plus, et les réponses sont toujours calculées avec la version sur laquelle elles ont été données.", "Every questionnaire is versioned: a version once used never changes, and responses are always scored with the version they were given on.")) }
            @if state.registry.is_empty() {
                p { (lang.pick("Aucun questionnaire n'est publié pour l'instant.", "No questionnaire is published yet.")) }
            }
            ul.cards {
                @for q in state.registry.latest_all() {
                    li.card { (questionnaire_card(ctx, q, state, submitted.get(&q.slug).copied().unwrap_or(0))) }
                }
            }
        }

        div.two-columns {
            section aria-labelledby="qualites" {
                h2 #qualites { (lang.pick("Les 7 qualités", "The 7 qualities")) }
                dl.terms {
                    @for quality in Quality::ALL {
                        dt { (quality.label(lang)) }
                        dd { (quality.description(lang)) }
                    }
                }
            }
            section aria-labelledby="dimensions" {
                h2 #dimensions { (lang.pick("Les 3 dimensions où agir", "The 3 dimensions on which to act")) }
                dl.terms {
                    @for dimension in Dimension::ALL {
                        dt { (dimension.label(lang)) }
                        dd { (dimension.description(lang)) }
                    }
                }
            }
        }
    };
    page(ctx, lang.pick("Accueil", "Home"), body)
}

fn questionnaire_card(
    ctx: &PageContext,
    q: &Questionnaire,
    state: &AppState,
    submitted: i64,
) -> Markup {
    let lang = ctx.lang;
    let versions = state.registry.versions(&q.slug);
    html! {
        h3 { a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } }
        dl.meta {
            dt { (lang.pick("Public", "Audience")) } dd { (q.audience.label(lang)) }
            dt { "Version" } dd { (q.version) }
            dt { (lang.pick("Questions notées", "Scored questions")) } dd { (q.scored_questions().count()) }
            @if let Some(minutes) = q.estimated_minutes {
                dt { (lang.pick("Durée", "Time needed")) } dd { (minutes) " " (lang.pick("min environ", "min or so")) }
            }
            dt { (lang.pick("Réponses envoyées", "Responses submitted")) } dd { (submitted) }
            dt { "Licence" } dd { (q.licence) }
        }
        @if versions.len() > 1 {
            p { (lang.pick("Versions :", "Versions:")) " "
                @for (i, v) in versions.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/questionnaires/" (v.slug) "/" (v.version) } { (v.version) }
                }
            }
        }
    }
}

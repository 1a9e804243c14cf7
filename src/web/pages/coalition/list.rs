//! The coalitions of the programme, for everyone: the list by family, with each one's stage,
//! scale and main quality.

use crate::app::error::AppError;
use crate::db::{self, Coalition};
use crate::domain::CoalitionFamily;
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::ui::layout::{html_response, page};
use crate::web::ui::tables::localized_text;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

pub async fn list(ctx: PageContext, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let coalitions = db::coalitions(&state.pool).await?;
    let lang = ctx.lang;
    let title = lang.pick("Les coalitions #RESET", "The #RESET coalitions");
    let body = html! {
        h1 { (title) }
        p { (lang.pick(
            "Une coalition rassemble des acteurs hétérogènes — entreprises, territoires, État, associations, recherche — autour d'un problème, d'un impact recherché et d'un récit de transformation. Elle agit sur la commande, l'offre et les usages.",
            "A coalition brings together diverse actors — companies, territories, the State, associations, research — around a problem, an impact sought and a transformation narrative. It acts on commissioning, supply and uses."
        )) }
        @if ctx.user.as_ref().is_some_and(|u| u.is_staff()) {
            p.actions { a.button href="/coalitions/new" { (lang.pick("Créer une coalition", "Create a coalition")) } }
        }
        @if coalitions.is_empty() {
            p { (lang.pick("Aucune coalition n'est enregistrée pour l'instant.", "No coalition is recorded yet.")) }
        }
        @for &family in CoalitionFamily::ALL {
            @let members: Vec<&Coalition> = coalitions.iter().filter(|c| c.family == family).collect();
            @if !members.is_empty() {
                section aria-labelledby={ "famille-" (family.code()) } {
                    h2 #{ "famille-" (family.code()) } { (family.label(lang)) " (" (members.len()) ")" }
                    ul.cards {
                        @for c in members {
                            li.card {
                                h3 { a href={ "/coalitions/" (c.slug) } { (localized_text(lang, &c.name_fr, &c.name_en)) } }
                                dl.meta {
                                    dt { (lang.pick("Étape", "Stage")) } dd { (c.stage.label(lang)) }
                                    dt { (lang.pick("Échelle", "Scale")) } dd { (c.scale.label(lang)) }
                                    dt { (lang.pick("Qualité visée", "Main quality")) } dd { (c.primary_quality.label(lang)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

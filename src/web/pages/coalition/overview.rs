//! A coalition's page, for everyone: its problem, the impact it seeks, its transformation
//! narrative, its levers on the three dimensions, its stages, its members and how
//! heterogeneous they are, its goals, its actions in a few words, its latest journal entries,
//! and the results of its phase-1 self-diagnostic (radar and consensus).

use crate::app;
use crate::app::error::AppError;
use crate::db::Action;
use crate::domain::Dimension;
use crate::domain::coalition::actions::{ActionStatus, count_by_status, is_overdue};
use crate::domain::coalition::localized;
use crate::domain::i18n::Lang;
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared::{heterogeneity, stage_history};
use crate::web::pages::results;
use crate::web::ui::layout::{html_response, page};
use crate::web::ui::tables::{localized_text, scroll_table, typed_text};
use crate::web::{AppState, access, today};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

pub async fn show(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, ctx.user.as_ref(), &path).await?;
    let goals = crate::app::indicators::goals_overview(&state.pool, &coalition.id).await?;
    let lang = ctx.lang;
    let overview =
        app::coalitions::overview(&state.pool, &coalition.id, access.reads_private()).await?;
    let members: Vec<&crate::db::Member> = overview.members.iter().collect();
    let result = match &overview.diagnostic {
        Some(d) => Some(results::group_result(&state, d).await?),
        None => None,
    };
    let title = coalition.name(lang).to_owned();
    let body = html! {
        p { a href="/coalitions" { "← " (lang.pick("Les coalitions", "The coalitions")) } }
        h1 { (localized_text(lang, &coalition.name_fr, &coalition.name_en)) }
        @if access.manages() {
            p.actions {
                a.button href={ "/coalitions/" (coalition.slug) "/edit" } { (lang.pick("Gérer la coalition", "Manage the coalition")) }
                a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Gérer les membres", "Manage the members")) }
            }
        }
        dl.meta {
            dt { (lang.pick("Famille", "Family")) } dd { (coalition.family.label(lang)) }
            dt { (lang.pick("Étape", "Stage")) } dd { (coalition.stage.label(lang)) }
            dt { (lang.pick("Échelle", "Scale")) } dd { (coalition.scale.label(lang)) }
            dt { (lang.pick("Qualité visée", "Main quality")) } dd { (coalition.primary_quality.label(lang)) }
            @if !coalition.secondary_qualities.is_empty() {
                dt { (lang.pick("Autres qualités", "Other qualities")) }
                dd { @for (i, q) in coalition.secondary_qualities.iter().enumerate() { @if i > 0 { ", " } (q.label(lang)) } }
            }
        }
        h2 { (lang.pick("Le problème", "The problem")) }
        p { (localized_text(lang, &coalition.problem_fr, &coalition.problem_en)) }
        h2 { (lang.pick("L'impact recherché", "The impact sought")) }
        p { (localized_text(lang, &coalition.impact_fr, &coalition.impact_en)) }
        h2 { (lang.pick("Le récit de transformation", "The transformation narrative")) }
        p { (localized_text(lang, &coalition.narrative_fr, &coalition.narrative_en)) }
        @let levers = [
            (Dimension::Commande, localized(lang, &coalition.lever_commande_fr, &coalition.lever_commande_en)),
            (Dimension::Offre, localized(lang, &coalition.lever_offre_fr, &coalition.lever_offre_en)),
            (Dimension::Usages, localized(lang, &coalition.lever_usages_fr, &coalition.lever_usages_en)),
        ];
        @if levers.iter().any(|(_, text)| !text.trim().is_empty()) {
            h2 { (lang.pick("Les leviers", "The levers")) }
            dl.terms {
                @for (dimension, text) in &levers {
                    dt { (dimension.label(lang)) }
                    dd { @if text.trim().is_empty() { "—" } @else { (text) } }
                }
            }
        }
        @if !overview.stages.is_empty() {
            h2 #etapes { (lang.pick("Les étapes", "The stages")) }
            (stage_history(lang, &overview.stages))
        }
        h2 #members { (lang.pick("Les membres", "The members")) }
        (heterogeneity(lang, &members))
        @if members.is_empty() {
            p { (lang.pick("Aucun membre n'est encore enregistré.", "No member is recorded yet.")) }
        } @else {
            (scroll_table("members", html! { table {
                thead { tr { th scope="col" { (lang.pick("Membre", "Member")) } th scope="col" { (lang.pick("Type d'acteur", "Actor type")) } th scope="col" { (lang.pick("Rôle", "Role")) } } }
                tbody { @for m in &members { tr { th scope="row" { (m.organisation_name) } td { (m.actor_type.label(lang)) } td { (m.role.label(lang)) } } } }
            } }))
        }
        p { a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Voir tous les membres", "See all the members")) } }
        // Staff validate from their queue; members follow the one waiting longest.
        @let pending_href = if access.validates() { "/programme/validation".to_owned() } else {
            goals.first_pending.as_ref().map(|id| format!("/coalitions/{}/measurements/{id}", coalition.slug)).unwrap_or_default()
        };
        (crate::web::ui::goals::goals_section(lang, &coalition.slug, &goals.goals, &goals.indicators, access.reads_private().then_some((goals.pending, pending_href.as_str())), access.manages()))
        (actions_summary(lang, &coalition.slug, &overview.actions))
        h2 { "Journal" }
        @if overview.latest_entries.is_empty() {
            p { (lang.pick("Aucune entrée pour l'instant.", "No entry yet.")) }
        } @else {
            ul {
                @for e in &overview.latest_entries {
                    li {
                        time datetime=(e.occurred_on) { (lang.date(&e.occurred_on)) } " — "
                        (e.kind.label(lang)) (lang.pick(" : ", ": ")) (typed_text(lang, Lang::Fr, &e.title))
                        @if !e.is_public() { " " span.tag { (lang.pick("non public", "not public")) } }
                    }
                }
            }
        }
        p { a href={ "/coalitions/" (coalition.slug) "/journal" } { (lang.pick("Voir le journal et les productions", "See the journal and the productions")) } }
        h2 { (lang.pick("Autodiagnostic de phase 1", "Phase 1 self-diagnostic")) }
        @match &result {
            Some((q, r)) if r.respondents > 0 => {
                p { (lang.pick("Réponses de ", "Answers from ")) (r.respondents) (lang.pick(" membres de la coalition au questionnaire ", " members of the coalition to the questionnaire ")) a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } "." }
                (results::results_body(lang, &state, q, r, true))
            }
            _ => { p { (lang.pick("La coalition n'a pas encore fait son autodiagnostic.", "The coalition has not taken its self-diagnostic yet.")) } }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// The actions of a coalition in a few words: how many in each status, and the way to the
/// board.
fn actions_summary(lang: Lang, slug: &str, actions: &[Action]) -> Markup {
    let counts = count_by_status(actions.iter().map(|a| a.status));
    let today = today();
    let overdue = actions
        .iter()
        .filter(|a| is_overdue(a.status, a.due_on.as_deref(), today))
        .count();
    html! {
        h2 { (lang.pick("Les actions", "The actions")) }
        @if actions.is_empty() {
            p { (lang.pick("La coalition n'a pas encore enregistré d'action.", "The coalition has not recorded any action yet.")) }
        } @else {
            ul.counts {
                @for status in ActionStatus::ALL {
                    li { (status.label(lang)) (lang.pick(" : ", ": ")) strong { (counts[status.index()]) } }
                }
                @if overdue > 0 {
                    li { strong.overdue { (lang.pick("En retard", "Overdue")) } (lang.pick(" : ", ": ")) (overdue) }
                }
            }
        }
        p { a href={ "/coalitions/" (slug) "/actions" } { (lang.pick("Voir le tableau des actions", "See the actions board")) } }
    }
}

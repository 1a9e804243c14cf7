//! The coalitions of the programme, for everyone: the list by family, and each coalition's
//! page with its problem, the impact it seeks, its transformation narrative, its levers on the
//! three dimensions, its members and how heterogeneous they are, and the results of its
//! phase-1 autodiagnostic (radar and consensus).

use crate::app::error::AppError;
use crate::db::{self, Coalition};
use crate::domain::i18n::Lang;
use crate::domain::{CoalitionFamily, Quality};
use crate::web::lang::PageContext;
use crate::web::pages::{coalition_journal, coalition_manage, results};
use crate::web::ui::layout::{html_response, page};
use crate::web::{AppState, access};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;

/// A coalition's text in the page's language; the French stands in for an English version
/// not written yet.
pub fn localized<'a>(lang: Lang, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => fr,
    }
}

/// A coalition's name in the page's language.
pub fn coalition_name(c: &Coalition, lang: Lang) -> &str {
    localized(lang, &c.name_fr, &c.name_en)
}

pub fn stage_label(stage: &str, lang: Lang) -> &'static str {
    match stage {
        "intention" => lang.pick("Intention", "Intention"),
        "constitution" => lang.pick("En constitution", "Forming"),
        "pilote" => lang.pick("Pilote", "Pilot"),
        "active" => lang.pick("Active", "Active"),
        "achevee" => lang.pick("Achevée", "Completed"),
        _ => "—",
    }
}

pub fn scale_label(scale: &str, lang: Lang) -> &'static str {
    match scale {
        "locale" => lang.pick("Locale", "Local"),
        "nationale" => lang.pick("Nationale", "National"),
        "europeenne" => lang.pick("Européenne", "European"),
        _ => "—",
    }
}

fn actor_type_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "entreprise" => lang.pick("Entreprise", "Company"),
        "collectivite" => lang.pick("Collectivité", "Local authority"),
        "etat" => lang.pick("État et opérateurs", "State and its agencies"),
        "association" => lang.pick("Association", "Association"),
        "recherche" => lang.pick("Recherche", "Research"),
        _ => "—",
    }
}

pub fn role_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "porteur" => lang.pick("Porteur", "Lead"),
        "co-porteur" => lang.pick("Co-porteur", "Co-lead"),
        "contributeur" => lang.pick("Contributeur", "Contributor"),
        "informe" => lang.pick("Informé", "Kept informed"),
        _ => "—",
    }
}

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
            @let members: Vec<&Coalition> = coalitions.iter().filter(|c| c.family == family.code()).collect();
            @if !members.is_empty() {
                section aria-labelledby={ "famille-" (family.code()) } {
                    h2 #{ "famille-" (family.code()) } { (family.label(lang)) " (" (members.len()) ")" }
                    ul.cards {
                        @for c in members {
                            li.card {
                                h3 { a href={ "/coalitions/" (c.slug) } { (coalition_name(c, lang)) } }
                                dl.meta {
                                    dt { (lang.pick("Étape", "Stage")) } dd { (stage_label(&c.stage, lang)) }
                                    dt { (lang.pick("Échelle", "Scale")) } dd { (scale_label(&c.scale, lang)) }
                                    dt { (lang.pick("Qualité visée", "Main quality")) } dd { (Quality::from_code(&c.primary_quality).map(|q| q.label(lang)).unwrap_or("—")) }
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

pub async fn show(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, ctx.user.as_ref(), &path).await?;
    let goals = crate::app::indicators::goals_overview(&state.pool, &coalition.id).await?;
    let lang = ctx.lang;
    // Members, stages and journal (coalition management).
    let all_members = db::members(&state.pool, &coalition.id).await?;
    let members: Vec<&db::Member> = all_members.iter().filter(|m| m.left_on.is_none()).collect();
    let stages = db::stage_changes(&state.pool, &coalition.id).await?;
    let latest_entries =
        db::journal_entries(&state.pool, &coalition.id, access.reads_private(), 3).await?;
    let diagnostic = db::latest_coalition_diagnostic(&state.pool, &coalition.id).await?;
    let result = match &diagnostic {
        Some(d) => Some(results::group_result(&state, d).await?),
        None => None,
    };
    let actions = db::actions(&state.pool, &coalition.id).await?;
    let title = coalition_name(&coalition, lang).to_owned();
    let family = CoalitionFamily::from_code(&coalition.family);
    let body = html! {
        p { a href="/coalitions" { "← " (lang.pick("Les coalitions", "The coalitions")) } }
        h1 { (title) }
        @if access.manages() {
            p.actions {
                a.button href={ "/coalitions/" (coalition.slug) "/edit" } { (lang.pick("Gérer la coalition", "Manage the coalition")) }
                a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Gérer les membres", "Manage the members")) }
            }
        }
        dl.meta {
            dt { (lang.pick("Famille", "Family")) } dd { (family.map(|f| f.label(lang)).unwrap_or("—")) }
            dt { (lang.pick("Étape", "Stage")) } dd { (stage_label(&coalition.stage, lang)) }
            dt { (lang.pick("Échelle", "Scale")) } dd { (scale_label(&coalition.scale, lang)) }
            dt { (lang.pick("Qualité visée", "Main quality")) } dd { (Quality::from_code(&coalition.primary_quality).map(|q| q.label(lang)).unwrap_or("—")) }
            @let secondary: Vec<Quality> = coalition.secondary_qualities.split_whitespace().filter_map(Quality::from_code).collect();
            @if !secondary.is_empty() {
                dt { (lang.pick("Autres qualités", "Other qualities")) }
                dd { @for (i, q) in secondary.iter().enumerate() { @if i > 0 { ", " } (q.label(lang)) } }
            }
        }
        h2 { (lang.pick("Le problème", "The problem")) }
        p { (localized(lang, &coalition.problem_fr, &coalition.problem_en)) }
        h2 { (lang.pick("L'impact recherché", "The impact sought")) }
        p { (localized(lang, &coalition.impact_fr, &coalition.impact_en)) }
        h2 { (lang.pick("Le récit de transformation", "The transformation narrative")) }
        p { (localized(lang, &coalition.narrative_fr, &coalition.narrative_en)) }
        @let levers = [
            (crate::domain::Dimension::Commande, localized(lang, &coalition.lever_commande_fr, &coalition.lever_commande_en)),
            (crate::domain::Dimension::Offre, localized(lang, &coalition.lever_offre_fr, &coalition.lever_offre_en)),
            (crate::domain::Dimension::Usages, localized(lang, &coalition.lever_usages_fr, &coalition.lever_usages_en)),
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
        @if !stages.is_empty() {
            h2 #etapes { (lang.pick("Les étapes", "The stages")) }
            (coalition_manage::stage_history(lang, &stages))
        }
        h2 { (lang.pick("Les membres", "The members")) }
        (coalition_manage::heterogeneity(lang, &members))
        @if members.is_empty() {
            p { (lang.pick("Aucun membre n'est encore enregistré.", "No member is recorded yet.")) }
        } @else {
            table {
                thead { tr { th scope="col" { (lang.pick("Membre", "Member")) } th scope="col" { (lang.pick("Type d'acteur", "Actor type")) } th scope="col" { (lang.pick("Rôle", "Role")) } } }
                tbody { @for m in &members { tr { th scope="row" { (m.organisation_name) } td { (actor_type_label(&m.actor_type, lang)) } td { (role_label(&m.role, lang)) } } } }
            }
        }
        p { a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Voir tous les membres", "See all the members")) } }
        (crate::web::ui::goals::goals_section(lang, &coalition.slug, &goals.goals, &goals.indicators, access.reads_private().then_some(goals.pending), access.manages()))
        (super::coalition_actions::actions_summary(lang, &coalition.slug, &actions))
        h2 { (lang.pick("Journal", "Journal")) }
        @if latest_entries.is_empty() {
            p { (lang.pick("Aucune entrée pour l'instant.", "No entry yet.")) }
        } @else {
            ul {
                @for e in &latest_entries {
                    li {
                        time datetime=(e.occurred_on) { (e.occurred_on) } " — "
                        (coalition_journal::kind_label(&e.kind, lang)) (lang.pick(" : ", ": ")) (e.title)
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

//! Results pages: an organisation's diagnostic across all its respondents (for its leads and
//! staff), and one respondent's own results after submitting. Both show the overall index
//! and level, the radar of the 7 qualities with its data table, scores per dimension, the
//! 7 × 3 heatmap, strengths and weaknesses, and the questionnaire's recommendations with the
//! coalitions to join; the organisation's page adds consensus, progress and peers, and links
//! to its downloads ([`super::result_downloads`]). Individual answers are never shown to
//! anyone else. What is computed, and what the thresholds let through, is
//! [`crate::app::results`]'.

use crate::app;
use crate::app::error::AppError;
use crate::charts::{RadarSeries, SeriesStyle, radar_svg};
use crate::db::Diagnostic;
use crate::domain::coalition::catalogue::CatalogueCoalition;
use crate::domain::i18n::Lang;
use crate::domain::join_requests::Standing;
use crate::domain::questionnaire::{Link, Question, Questionnaire, Recommendation};
use crate::domain::results::{
    self, Agreement, DiagnosticResult, RecommendationReason, RecommendationRef,
};
use crate::domain::{Dimension, Level, Quality};
use crate::web::lang::PageContext;
use crate::web::pages::respond;
use crate::web::session::User;
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::{html_response, page, redirect, score};
use crate::web::ui::tables::scroll_table;
use crate::web::{AppState, access};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, PreEscaped, html};
use std::collections::HashMap;

/// A diagnostic's results across its respondents, with neither progress nor peers: what a
/// coalition's page shows of its phase-1 autodiagnostic (see [`app::results::group_result`]).
pub(crate) async fn group_result(
    state: &AppState,
    diagnostic: &Diagnostic,
) -> Result<(std::sync::Arc<Questionnaire>, DiagnosticResult), AppError> {
    app::results::group_result(&state.pool, &state.registry, diagnostic).await
}

pub async fn organisation_page(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &path).await?;
    let (q, result) =
        app::results::organisation_result(&state.pool, &state.registry, &diagnostic, &organisation)
            .await?;
    let standings = app::join_requests::standings(&state.pool, &organisation.id).await?;
    let may_ask = app::join_requests::may_ask(&state.pool, &organisation.id, &user.id).await?;
    let joining = Joining {
        diagnostic_id: &diagnostic.id,
        token: ctx.csrf.as_deref().filter(|_| may_ask),
        standings: &standings,
    };
    let set_aside = app::diagnostics::set_aside_count(&state.pool, &diagnostic).await?;
    let lang = ctx.lang;
    let title = format!(
        "{} — {}",
        lang.pick("Résultats", "Results"),
        organisation.name
    );
    let body = html! {
        p.no-print { a href={ "/diagnostics/" (diagnostic.id) } { "← " (diagnostic.title) } }
        h1 { (title) }
        p.lead { (q.title.get(lang)) " (" (q.version) ") — " (diagnostic.title) }
        @if diagnostic.is_solo() {
            p.hint { (lang.pick(
                "Autodiagnostic « je réponds seul·e » : ces résultats sont les réponses d'une seule personne.",
                "« I answer alone » self-diagnostic: these results are one person's answers."
            )) }
        }
        @if set_aside > 0 {
            p.notice { strong { (set_aside) " " (lang.pick("réponse(s) écartée(s)", "response(s) set aside")) } (lang.pick(" par les responsables de l'organisation : ces résultats sont calculés sans elles.", " by the organisation's leads: these results are computed without them.")) }
        }
        @if result.respondents == 0 {
            p { (lang.pick("Aucune réponse n'a encore été envoyée.", "No response has been submitted yet.")) }
        } @else if result.withheld.is_some() {
            (results_body(lang, &state, &q, &result, true))
        } @else {
            (results_body_for(lang, &state, &q, &result, true, Some(&joining)))
            (question_results_links(lang, &diagnostic.id, &q, &result))
            section.no-print aria-labelledby="downloads" {
                h2 #downloads { (lang.pick("Télécharger", "Download")) }
                ul {
                    li { a href={ "/diagnostics/" (diagnostic.id) "/results.csv" } download { (lang.pick("Les résultats en CSV (tableur)", "The results as CSV (spreadsheet)")) } }
                    li { a href={ "/diagnostics/" (diagnostic.id) "/results.json" } download { (lang.pick("Les résultats en JSON", "The results as JSON")) } }
                }
                p.hint { (lang.pick("Pour imprimer ou enregistrer en PDF, utilisez l'impression de votre navigateur : la page s'y adapte.", "To print or save as PDF, use your browser's print: the page adapts to it.")) }
            }
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// GET /r/{token}/results: a respondent's own results, once submitted.
pub async fn respondent_page(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let r = respond::respondent(&state, &path).await?;
    if r.link.revoked_at.is_some() {
        return Ok(respond::revoked(&ctx));
    }
    let (Some(response_id), Some(_)) = (&r.link.response_id, &r.link.submitted_at) else {
        return Ok(redirect(&format!("/r/{}", r.link.token)));
    };
    let q = r.questionnaire.clone();
    let (result, solo) =
        app::results::respondent_result(&state.pool, &r.link, &q, response_id).await?;
    let lang = ctx.lang;
    let title = lang.pick("Vos résultats", "Your results");
    let body = html! {
        h1 { (title) }
        p.notice.success { (lang.pick("Merci : vos réponses sont envoyées.", "Thank you: your answers are submitted.")) }
        p.lead { (q.title.get(lang)) @if let Some(name) = &r.link.organisation_name { " — " (name) } }
        @if solo {
            p { (lang.pick(
                "Voici ce que disent vos réponses. Cet autodiagnostic est rempli par une seule personne : ces résultats sont aussi ceux que voient les responsables de l'organisation et l'équipe du programme.",
                "Here is what your answers say. This self-diagnostic is answered by one person alone: these results are also what the organisation's leads and the programme team see."
            )) }
        } @else {
            p { (lang.pick(
                "Voici ce que disent vos propres réponses. Les responsables de votre organisation verront les résultats de l'ensemble des répondants, à partir de 3 personnes, où apparaissent aussi les points d'accord et de désaccord.",
                "Here is what your own answers say. Your organisation's leads will see the results of all respondents, from 3 people on, which also show where people agree and disagree."
            )) }
        }
        (results_body(lang, &state, &q, &result, false))
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

fn level_class(value: Option<f64>) -> &'static str {
    match value.map(Level::of_score) {
        None => "level-none",
        Some(Level::AInitier) => "level-1",
        Some(Level::EnProgression) => "level-2",
        Some(Level::Avance) => "level-3",
        Some(Level::Exemplaire) => "level-4",
    }
}

fn level_word(value: Option<f64>, lang: Lang) -> &'static str {
    value.map(|v| Level::of_score(v).label(lang)).unwrap_or("—")
}

fn points(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.0}"))
        .unwrap_or_else(|| "—".into())
}

fn signed(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:+.0}"))
        .unwrap_or_else(|| "—".into())
}

/// The sections both results pages share; `group` adds consensus, progress and peers.
pub(crate) fn results_body(
    lang: Lang,
    state: &AppState,
    q: &Questionnaire,
    result: &DiagnosticResult,
    group: bool,
) -> Markup {
    results_body_for(lang, state, q, result, group, None)
}

/// What an organisation's results page adds to the coalitions its recommendations name: a
/// link to those recorded in the service, where the organisation stands with each, and, for
/// its leads, a button to ask to join.
struct Joining<'a> {
    diagnostic_id: &'a str,
    /// The CSRF token of the ask forms; `None` for a reader who may not ask (staff).
    token: Option<&'a str>,
    standings: &'a HashMap<String, (crate::db::Coalition, Standing)>,
}

fn results_body_for(
    lang: Lang,
    state: &AppState,
    q: &Questionnaire,
    result: &DiagnosticResult,
    group: bool,
    joining: Option<&Joining>,
) -> Markup {
    if let Some(needed) = result.withheld {
        return withheld(lang, result.respondents, needed);
    }
    let scores = &result.group.scores;
    let labels: [String; 7] = std::array::from_fn(|i| Quality::ALL[i].label(lang).to_owned());
    let mut series = Vec::new();
    if let Some(peers) = result.peers.as_ref().filter(|_| group) {
        series.push(RadarSeries {
            name: lang.pick("Médiane des pairs", "Peers' median").to_owned(),
            values: std::array::from_fn(|i| peers.quality(Quality::ALL[i]).map(|p| p.median)),
            style: SeriesStyle::Peers,
        });
    }
    if let Some(c) = result.comparison.as_ref().filter(|_| group) {
        series.push(RadarSeries {
            name: c.label.clone(),
            values: c.comparison.before,
            style: SeriesStyle::Earlier,
        });
    }
    series.push(RadarSeries {
        name: lang.pick("Aujourd'hui", "Now").to_owned(),
        values: scores.qualities,
        style: SeriesStyle::Current,
    });
    let radar_title = lang.pick(
        "Scores des 7 qualités, sur 100",
        "Scores of the 7 qualities, out of 100",
    );
    let svg = radar_svg(&series, &labels, radar_title);
    html! {
        section aria-labelledby="overall" {
            h2 #overall { (lang.pick("En bref", "In short")) }
            ul.figures {
                li { strong { (score(scores.overall)) } " " (lang.pick("indice global sur 100", "overall index out of 100")) }
                li { strong { (level_word(scores.overall, lang)) } " " (lang.pick("niveau", "level")) }
                li { strong { (format!("{:.0} %", scores.coverage() * 100.0)) } " " (lang.pick("des questions notées ont une réponse", "of scored questions answered")) }
                @if group { li { strong { (result.respondents) } " " (lang.pick("répondant·es", "respondents")) } }
            }
            p.hint #scores-computed { (lang.pick(
                "Chaque réponse notée vaut de 0 à 100 ; un score de qualité est la moyenne pondérée des réponses à ses questions, « je ne sais pas » et « non applicable » laissés de côté (jamais comptés comme 0). ",
                "Each scored answer is worth 0 to 100; a quality's score is the weighted mean of the answers to its questions, « I don't know » and « not applicable » left out (never counted as 0). "
            )) a href="#how-to-read" { (lang.pick("Comment lire ces scores", "How to read these scores")) } }
            @if group && result.pending > 0 {
                p.hint #pending { (result.pending) (lang.pick(
                    " réponse(s) envoyée(s) depuis compteront quand leur groupe de 3 sera complet : ainsi, comparer cette page d'un jour à l'autre ne révèle jamais les réponses d'une seule personne.",
                    " response(s) submitted since will count once their group of 3 is complete: that way, comparing this page from one day to the next never reveals one person's answers."
                )) }
            }
        }

        section aria-labelledby="qualities" {
            h2 #qualities { (lang.pick("Les 7 qualités", "The 7 qualities")) }
            figure.radar {
                (PreEscaped(svg))
                figcaption { (lang.pick("Le tableau ci-dessous donne les mêmes chiffres.", "The table below gives the same figures.")) }
            }
            (scroll_table("radar-table", html! { table {
                caption #radar-table { (radar_title) }
                thead { tr {
                    th scope="col" { (lang.pick("Qualité", "Quality")) }
                    th scope="col" class="number" { ("Score") }
                    th scope="col" { (lang.pick("Niveau", "Level")) }
                    @if let Some(c) = result.comparison.as_ref().filter(|_| group) { th scope="col" class="number" { (c.label) } th scope="col" class="number" { (lang.pick("Évolution", "Change")) } }
                    @if result.peers.is_some() && group { th scope="col" class="number" { (lang.pick("Pairs : médiane (quartiles)", "Peers: median (quartiles)")) } }
                } }
                tbody {
                    @for &quality in Quality::ALL {
                        @let value = scores.quality(quality);
                        tr {
                            th scope="row" { (quality.label(lang)) }
                            td.number { (points(value)) }
                            td { (level_word(value, lang)) }
                            @if let Some(c) = result.comparison.as_ref().filter(|_| group) {
                                td.number { (points(c.comparison.before[quality.index()])) }
                                td.number { (signed(c.comparison.change(quality))) }
                            }
                            @if let Some(peers) = result.peers.as_ref().filter(|_| group) {
                                td.number { @match peers.quality(quality) { Some(p) => { (format!("{:.0} ({:.0}–{:.0})", p.median, p.q1, p.q3)) } None => { "—" } } }
                            }
                        }
                    }
                }
            } }))
            @if let Some(c) = result.comparison.as_ref().filter(|_| group) {
                p.hint {
                    (lang.pick("Évolution calculée sur ", "Change computed on ")) (c.compared()) (lang.pick(" question(s) sur ", " of ")) (c.scored())
                    @if c.across_versions() {
                        (lang.pick(", celles que la nouvelle version du questionnaire relie à l'ancienne (same_as) et qui ont une réponse les deux fois.", " questions: those the new version of the questionnaire links to the old one (same_as) and that were answered both times."))
                    } @else {
                        (lang.pick(", celles qui ont une réponse les deux fois.", " questions: those answered both times."))
                    }
                }
                details.compared {
                    summary { (lang.pick("Voir les questions comparées", "See the questions compared")) }
                    ul {
                        @for (_, later_id) in &c.comparison.compared {
                            @if let Some(i) = q.question_index(later_id) {
                                li { (q.questions[i].text.get(lang)) }
                            }
                        }
                    }
                }
            }
            @if let Some(peers) = result.peers.as_ref().filter(|_| group) {
                p.hint { (lang.pick("Pairs : ", "Peers: ")) (peers.peers) (lang.pick(
                    " autres organisations du même type, vérifiées par l'équipe du programme, ayant au moins 3 répondant·es et aucun responsable en commun avec la vôtre (montré à partir de 5).",
                    " other organisations of the same type, verified by the programme team, with at least 3 respondents and no lead in common with yours (shown from 5 on)."
                )) }
                @if Quality::ALL.iter().any(|&quality| peers.quality(quality).is_none()) {
                    p.hint #peers-partial { (lang.pick(
                        "« — » dans la colonne des pairs : moins de 5 de ces organisations ont un score pour cette qualité, trop peu pour le montrer.",
                        "« — » in the peers' column: fewer than 5 of these organisations have a score for this quality, too few to show it."
                    )) }
                }
            } @else if let Some(offered) = result.peers_offered.filter(|_| group) {
                p.hint #peers-unavailable { (lang.pick(
                    "Comparaison avec des pairs : disponible à partir de 5 organisations comparables (même type, vérifiées par l'équipe du programme, ayant au moins 3 répondant·es et aucun responsable en commun avec la vôtre) ; il y en a ",
                    "Comparison with peers: available from 5 comparable organisations on (same type, verified by the programme team, with at least 3 respondents and no lead in common with yours); there are "
                )) (offered) (lang.pick(" pour l'instant.", " so far.")) }
            }
        }

        div.two-columns {
            section aria-labelledby="strengths" {
                // The highest scores, whatever their level: a 49 is « en progression », not a
                // strength, so the heading says « most advanced » and each line its level.
                h2 #strengths { (lang.pick("Vos qualités les plus avancées", "Your most advanced qualities")) }
                @if result.strengths.is_empty() { p { "—" } }
                ul { @for quality in &result.strengths { li { (quality.label(lang)) (lang.pick(" : ", ": ")) (points(scores.quality(*quality))) " (" (level_word(scores.quality(*quality), lang)) ")" } } }
            }
            section aria-labelledby="weaknesses" {
                h2 #weaknesses { (lang.pick("Points à travailler", "Areas to work on")) }
                ul { @for quality in &result.weaknesses { li { (quality.label(lang)) (lang.pick(" : ", ": ")) (points(scores.quality(*quality))) " (" (level_word(scores.quality(*quality), lang)) ")" } } }
            }
        }

        section aria-labelledby="dimensions" {
            h2 #dimensions { (lang.pick("Par dimension et par qualité", "By dimension and quality")) }
            (scroll_table("heatmap-table", html! { table.heatmap {
                caption #heatmap-table { (lang.pick("Scores sur 100 par qualité (lignes) et par dimension (colonnes) ; la couleur reprend le niveau.", "Scores out of 100 by quality (rows) and dimension (columns); the colour repeats the level.")) }
                thead { tr {
                    td {}
                    @for &dimension in Dimension::ALL { th scope="col" class="number" { (dimension.label(lang)) } }
                } }
                tbody {
                    @for &quality in Quality::ALL {
                        tr {
                            th scope="row" { (quality.label(lang)) }
                            @for &dimension in Dimension::ALL {
                                @let value = scores.cell(quality, dimension);
                                td class={ "number " (level_class(value)) } { (points(value)) }
                            }
                        }
                    }
                    tr.total {
                        th scope="row" { (lang.pick("Ensemble", "All qualities")) }
                        @for &dimension in Dimension::ALL {
                            @let value = scores.dimension(dimension);
                            td class={ "number " (level_class(value)) } { strong { (points(value)) } }
                        }
                    }
                }
            } }))
            p.legend {
                (lang.pick("Niveaux : ", "Levels: "))
                @for (i, level) in Level::ALL.iter().enumerate() {
                    span class={ "swatch level-" (i + 1) } { (level.label(lang)) } " "
                }
            }
        }

        @if group { (consensus(lang, q, result)) }

        (recommendations(lang, state, q, result, joining))

        (how_to_read(lang))
    }
}

/// What an organisation's leads (or a coalition's page) see before there are enough
/// respondents: how many answered, how many more are needed, and why.
fn withheld(lang: Lang, submitted: usize, needed: usize) -> Markup {
    html! {
        section.notice #withheld aria-labelledby="withheld-title" {
            h2 #withheld-title { (lang.pick("Résultats d'ensemble à venir", "Overall results to come")) }
            p { (lang.pick(
                "Les résultats d'ensemble s'affichent à partir de 3 répondant·es, pour que personne ne soit reconnaissable à travers eux.",
                "Overall results are shown from 3 respondents on, so that no one can be recognised through them."
            )) }
            p { strong { (lang.pick("Réponses envoyées : ", "Responses submitted: ")) (submitted) } " — "
                @match lang {
                    Lang::Fr => { "encore " strong { (needed) } " à attendre." }
                    Lang::En => { strong { (needed) } " more needed." }
                } }
            p.hint { (lang.pick(
                "Chaque répondant·e voit déjà ses propres résultats après l'envoi. Pour voir tout de suite des résultats sans inviter personne, ouvrez un autodiagnostic « je réponds seul·e ».",
                "Each respondent already sees their own results after submitting. To see results at once without inviting anyone, open an « I answer alone » self-diagnostic."
            )) }
        }
    }
}

fn consensus(lang: Lang, q: &Questionnaire, result: &DiagnosticResult) -> Markup {
    let dispersion = &result.group.dispersion;
    html! {
        section aria-labelledby="consensus" {
            h2 #consensus { (lang.pick("Accords et désaccords", "Agreement and disagreement")) }
            @if result.respondents < 2 {
                p { (lang.pick("Il faut au moins deux répondant·es pour mesurer l'accord.", "At least two respondents are needed to measure agreement.")) }
            } @else if result.divergent.is_empty() {
                p.notice.success { (lang.pick("Vos répondant·es sont d'accord sur toutes les qualités (écart type de 15 points au plus).", "Your respondents agree on every quality (standard deviation of 15 points or less).")) }
            } @else {
                p.notice {
                    strong { (lang.pick("Vos répondant·es divergent sur : ", "Your respondents differ on: ")) }
                    @for (i, quality) in result.divergent.iter().enumerate() { @if i > 0 { ", " } (quality.label(lang)) }
                    ". " (lang.pick("Ce sont de bons sujets à discuter ensemble avant de décider quoi faire.", "These are good topics to discuss together before deciding what to do."))
                }
            }
            (scroll_table("consensus-table", html! { table {
                caption #consensus-table { (lang.pick("Écart entre répondant·es, par qualité (écart type, en points)", "Spread between respondents, by quality (standard deviation, in points)")) }
                thead { tr {
                    th scope="col" { (lang.pick("Qualité", "Quality")) }
                    th scope="col" class="number" { (lang.pick("Écart entre personnes", "Spread between people")) }
                    @if !result.roles.is_empty() {
                        @for role in &result.roles { th scope="col" class="number" { (q.role(&role.role).map(|r| r.label.get(lang)).unwrap_or(&role.role)) " (" (role.respondents) ")" } }
                        th scope="col" class="number" { (lang.pick("Écart entre rôles", "Spread between roles")) }
                    }
                    th scope="col" { (lang.pick("Lecture", "Reading")) }
                } }
                tbody {
                    @for &quality in Quality::ALL {
                        @let d = dispersion[quality.index()];
                        tr {
                            th scope="row" { (quality.label(lang)) }
                            td.number { (points(d)) }
                            @if !result.roles.is_empty() {
                                @for role in &result.roles { td.number { (points(role.scores.quality(quality))) } }
                                td.number { (points(result.role_dispersion[quality.index()])) }
                            }
                            td { @match results::agreement(&result.group, quality) {
                                Agreement::Agree => { (lang.pick("accord", "agreement")) }
                                Agreement::Diverge => { strong { ("divergence") } }
                                // « — » alone would leave the reader guessing why.
                                Agreement::SingleScore => { (lang.pick("une seule réponse notée : il en faut deux pour mesurer l'accord", "a single scored answer: two are needed to measure agreement")) }
                                Agreement::NoScore => { (lang.pick("aucune réponse notée", "no scored answer")) }
                            } }
                        }
                    }
                }
            } }))
            @if result.hidden_roles > 0 {
                p.hint { (lang.pick(
                    "Un rôle n'est montré à part qu'à partir de 3 répondant·es, pour que personne ne soit reconnaissable ; les autres comptent dans l'ensemble.",
                    "A role is shown apart only from 3 respondents on, so that no one can be recognised; the others count in the whole."
                )) }
            }
        }
    }
}

fn coalitions_for<'a>(
    state: &'a AppState,
    quality: Quality,
    named: &[String],
) -> Vec<&'a CatalogueCoalition> {
    let mut list: Vec<&CatalogueCoalition> = named
        .iter()
        .filter_map(|slug| state.catalogue.find(slug))
        .collect();
    if let Some(family) = quality.family() {
        for c in state
            .catalogue
            .coalitions
            .iter()
            .filter(|c| c.family == family && c.primary_quality == quality)
        {
            if !list.iter().any(|l| l.slug == c.slug) {
                list.push(c);
            }
        }
    }
    list
}

fn recommendations(
    lang: Lang,
    state: &AppState,
    q: &Questionnaire,
    result: &DiagnosticResult,
    joining: Option<&Joining>,
) -> Markup {
    let cards = result.recommendations_by_quality();
    html! {
        section aria-labelledby="recommendations" {
            h2 #recommendations { (lang.pick("Que faire ensuite ?", "What next?")) }
            @if cards.is_empty() {
                p { (lang.pick("Aucune recommandation particulière : continuez à partager vos pratiques.", "No particular recommendation: keep sharing your practices.")) }
            }
            // One card a quality, whatever led to its advice: its level, or the answers to
            // one of its questions (said beside the advice, not in a second heading).
            @for (quality, refs) in &cards {
                @let recs: Vec<(&RecommendationRef, &Recommendation)> = refs.iter().filter_map(|r| Some((*r, q.recommendations.get(r.index)?))).collect();
                @let named: Vec<String> = recs.iter().flat_map(|(_, rec)| rec.coalitions.iter().cloned()).collect();
                @let coalitions = coalitions_for(state, *quality, &named);
                article.recommendation {
                    h3 { (quality.label(lang)) " — " (points(result.group.scores.quality(*quality))) " (" (level_word(result.group.scores.quality(*quality), lang)) ")" }
                    @for (r, rec) in &recs {
                        p {
                            @if let RecommendationReason::Answers { .. } = r.reason { em { (lang.pick("D'après vos réponses : ", "From your answers: ")) } }
                            (rec.text.get(lang))
                        }
                        @if !rec.links.is_empty() {
                            ul { @for Link { label, url } in &rec.links { li { a href=(url) { (label.get(lang)) } } } }
                        }
                    }
                    @if !coalitions.is_empty() {
                        (coalitions_to_join(lang, *quality, &coalitions, joining))
                    }
                }
            }
        }
    }
}

/// The coalitions a card names: a link to each one recorded in the service, and for an
/// organisation's leads where it stands with it or a button to ask to join.
fn coalitions_to_join(
    lang: Lang,
    quality: Quality,
    coalitions: &[&CatalogueCoalition],
    joining: Option<&Joining>,
) -> Markup {
    html! {
        div.coalitions-to-join id={ "coalitions-to-join-" (quality.code()) } {
            p { strong { (lang.pick("Coalitions #RESET à rejoindre", "#RESET coalitions to join")) } }
            ul {
                @for c in coalitions {
                    @let recorded = joining.and_then(|j| j.standings.get(&c.slug).map(|s| (j, s)));
                    li {
                        @match recorded {
                            Some((j, (coalition, standing))) => {
                                a href={ "/coalitions/" (coalition.slug) } { (coalition.name(lang)) }
                                @match (standing, j.token) {
                                    (Standing::MayAsk, Some(token)) => {
                                        form.row-form method="post" action={ "/diagnostics/" (j.diagnostic_id) "/join-requests" } {
                                            (csrf(token))
                                            input type="hidden" name="coalition" value=(coalition.slug);
                                            button.secondary type="submit" { (standing.label(lang)) span.visually-hidden { " — " (coalition.name(lang)) } }
                                        }
                                    }
                                    (Standing::MayAsk, None) => {}
                                    _ => { " — " em.join-standing { (standing.label(lang)) } }
                                }
                            }
                            None => { (c.name.get(lang)) }
                        }
                    }
                }
            }
        }
    }
}

/// How the scores are computed, for the reader who follows « Comment lire ces scores ».
fn how_to_read(lang: Lang) -> Markup {
    html! {
        section #how-to-read aria-labelledby="how-to-read-title" {
            h2 #how-to-read-title { (lang.pick("Comment lire ces scores", "How to read these scores")) }
            ul {
                li { (lang.pick(
                    "Chaque réponse à une question notée vaut de 0 à 100 : sur une échelle, le premier point vaut 0 et le dernier 100 ; un choix, oui ou non, un nombre valent ce que le questionnaire leur attribue.",
                    "Each answer to a scored question is worth 0 to 100: on a scale, the first point is worth 0 and the last 100; a choice, yes or no, a number are worth what the questionnaire gives them."
                )) }
                li { (lang.pick(
                    "Le score d'une qualité est la moyenne pondérée des réponses à ses questions ; avec plusieurs répondant·es, chaque question prend d'abord la moyenne de leurs réponses. L'indice global est la moyenne des qualités qui ont un score.",
                    "A quality's score is the weighted mean of the answers to its questions; with several respondents, each question first takes the mean of their answers. The overall index is the mean of the qualities that have a score."
                )) }
                li { (lang.pick(
                    "« Je ne sais pas » et « non applicable » ne comptent pas : ils ne font ni monter ni baisser un score. Une qualité sans aucune réponse notée n'a pas de score (« — »).",
                    "« I don't know » and « not applicable » do not count: they neither raise nor lower a score. A quality without any scored answer has no score (« — »)."
                )) }
                li { (lang.pick(
                    "Niveaux : à initier (moins de 25), en progression (25 à moins de 50), avancé (50 à moins de 75), exemplaire (75 et plus).",
                    "Levels: to initiate (under 25), in progress (25 to under 50), advanced (50 to under 75), exemplary (75 and over)."
                )) }
                li { (lang.pick(
                    "Pour que personne ne soit reconnaissable, les résultats d'ensemble comptent les répondant·es par groupes de 3, et les réponses à une question à partir de 3 personnes qui y ont répondu.",
                    "So that no one can be recognised, overall results count respondents in groups of 3, and the answers to a question from 3 people who answered it."
                )) }
            }
        }
    }
}

/// The questions of one quality with what may be shown of their answers.
fn questions_of<'a>(
    q: &'a Questionnaire,
    result: &'a DiagnosticResult,
    quality: Quality,
) -> Vec<(&'a Question, &'a results::QuestionResult)> {
    result
        .questions
        .iter()
        .filter_map(|r| {
            let question = q.questions.get(q.question_index(&r.question)?)?;
            (question.quality == quality).then_some((question, r))
        })
        .collect()
}

/// On the results page, a link to the answers of each quality's questions: on pages of their
/// own, one a quality, so that every page stays light.
fn question_results_links(
    lang: Lang,
    diagnostic_id: &str,
    q: &Questionnaire,
    result: &DiagnosticResult,
) -> Markup {
    html! {
        section #per-question aria-labelledby="per-question-title" {
            h2 #per-question-title { (lang.pick("Les réponses, question par question", "The answers, question by question")) }
            p { (lang.pick(
                "Combien de personnes ont donné chaque réponse, et pourquoi certaines questions ne s'appliquent pas à vous :",
                "How many people gave each answer, and why some questions do not apply to you:"
            )) }
            ul {
                @for &quality in Quality::ALL {
                    @let n = questions_of(q, result, quality).len();
                    @if n > 0 {
                        li { a href={ "/diagnostics/" (diagnostic_id) "/results/" (quality.code()) } { (quality.label(lang)) } " (" (n) " questions)" }
                    }
                }
            }
        }
    }
}

/// GET /diagnostics/{id}/results/{quality}: the answers to one quality's questions, for the
/// organisation's leads and staff. What the core lets through only (from 3 people who
/// answered, « non applicable » justifications from 5); never on a coalition's public page,
/// where comments would leave the coalition.
pub async fn quality_answers_page(
    ctx: PageContext,
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, code) = path.into_inner();
    let quality = Quality::from_code(&code).ok_or(AppError::NotFound)?;
    let (diagnostic, organisation) = access::diagnostic(&state.pool, &user, &id).await?;
    let (q, result) =
        app::results::organisation_result(&state.pool, &state.registry, &diagnostic, &organisation)
            .await?;
    let lang = ctx.lang;
    let title = format!(
        "{} — {} — {}",
        quality.label(lang),
        lang.pick("les réponses", "the answers"),
        organisation.name
    );
    let rows = questions_of(&q, &result, quality);
    let body = html! {
        p.no-print { a href={ "/diagnostics/" (diagnostic.id) "/results" } { "← " (lang.pick("Résultats", "Results")) " — " (diagnostic.title) } }
        h1 { (title) }
        @if let Some(needed) = result.withheld {
            (withheld(lang, result.respondents, needed))
        } @else {
            p.hint { (lang.pick(
                "Combien de personnes ont donné chaque réponse, « je ne sais pas » et « non applicable » à part (une question à choix multiples compte chaque option cochée). Les réponses à une question s'affichent à partir de 3 personnes qui y ont répondu, comptées par groupes de 3, comme les scores : avec moins, on reconnaîtrait la réponse d'une personne.",
                "How many people gave each answer, « I don't know » and « not applicable » apart (a multiple-choice question counts each option ticked). The answers to a question are shown from 3 people who answered it, counted in groups of 3, like the scores: with fewer, one person's answer would be recognisable."
            )) }
            table {
                caption { (lang.pick("Réponses aux questions de la qualité ", "Answers to the questions of the quality ")) (quality.label(lang)) }
                thead { tr {
                    th scope="col" { ("Question") }
                    th scope="col" { (lang.pick("Réponses", "Answers")) }
                    th scope="col" class="number" { (lang.pick("Je ne sais pas", "I don't know")) }
                    th scope="col" class="number" { (lang.pick("Non applicable", "Not applicable")) }
                } }
                tbody {
                    @for (question, r) in &rows {
                        tr {
                            th scope="row" { (question.text.get(lang)) }
                            @match &r.answers {
                                Some(counts) => {
                                    td {
                                        @for (i, (choice, n)) in results::answer_choices(question).iter().zip(&counts.choices).enumerate() {
                                            @if i > 0 { " ; " }
                                            (choice.label(lang)) (lang.pick(" : ", ": ")) strong { (n) }
                                        }
                                        " " span.hint { "(" (counts.counted) " " (lang.pick("personnes", "people")) ")" }
                                    }
                                    td.number { (counts.dont_know) }
                                    td.number { (counts.not_applicable) }
                                }
                                None => {
                                    td colspan="3" class="withheld-question" { (lang.pick(
                                        "masquées : moins de 3 personnes ont répondu à cette question",
                                        "hidden: fewer than 3 people answered this question"
                                    )) }
                                }
                            }
                        }
                    }
                }
            }
            (justifications(lang, &rows))
        }
    };
    Ok(html_response(StatusCode::OK, page(&ctx, &title, body)))
}

/// The « non applicable » justifications of one quality's questions, grouped per question,
/// without who wrote them; where they may not be shown yet, a sentence says why.
fn justifications(
    lang: Lang,
    rows: &[(
        &crate::domain::questionnaire::Question,
        &results::QuestionResult,
    )],
) -> Markup {
    let shown: Vec<_> = rows
        .iter()
        .filter_map(|(question, r)| {
            Some((
                question,
                r.justifications.as_ref().filter(|j| !j.is_empty())?,
            ))
        })
        .collect();
    let waiting = rows.iter().any(|(_, r)| {
        r.justifications.is_none() && r.answers.as_ref().is_some_and(|a| a.not_applicable > 0)
    });
    html! {
        @if !shown.is_empty() {
            h2 { (lang.pick("Pourquoi « non applicable »", "Why « not applicable »")) }
            @for (question, list) in &shown {
                h3 { (question.text.get(lang)) }
                ul.justifications { @for j in list.iter() { li { (j) } } }
            }
        }
        @if waiting {
            p.hint { (lang.pick(
                "Les justifications de « non applicable » s'affichent, sans leurs auteurs, là où au moins 5 personnes ont répondu à la question (comptées par groupes de 3) : un texte libre trahit son auteur plus vite qu'un score.",
                "The justifications of « not applicable » are shown, without their authors, where at least 5 people answered the question (counted in groups of 3): free text gives its author away sooner than a score."
            )) }
        }
    }
}

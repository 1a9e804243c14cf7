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
use crate::domain::questionnaire::{Link, Questionnaire, RecommendationTarget};
use crate::domain::results::{self, Agreement, DiagnosticResult};
use crate::domain::{Dimension, Level, Quality};
use crate::web::lang::PageContext;
use crate::web::pages::respond;
use crate::web::session::User;
use crate::web::ui::layout::{html_response, page, redirect, score};
use crate::web::{AppState, access};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, PreEscaped, html};

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
            (results_body(lang, &state, &q, &result, true))
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
            table {
                caption { (radar_title) }
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
            }
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
            } @else if let Some(offered) = result.peers_offered.filter(|_| group) {
                p.hint #peers-unavailable { (lang.pick(
                    "Comparaison avec des pairs : disponible à partir de 5 organisations comparables (même type, vérifiées par l'équipe du programme, ayant au moins 3 répondant·es et aucun responsable en commun avec la vôtre) ; il y en a ",
                    "Comparison with peers: available from 5 comparable organisations on (same type, verified by the programme team, with at least 3 respondents and no lead in common with yours); there are "
                )) (offered) (lang.pick(" pour l'instant.", " so far.")) }
            }
        }

        div.two-columns {
            section aria-labelledby="strengths" {
                h2 #strengths { (lang.pick("Points forts", "Strengths")) }
                @if result.strengths.is_empty() { p { "—" } }
                ul { @for quality in &result.strengths { li { (quality.label(lang)) (lang.pick(" : ", ": ")) (points(scores.quality(*quality))) } } }
            }
            section aria-labelledby="weaknesses" {
                h2 #weaknesses { (lang.pick("Points à travailler", "Areas to work on")) }
                ul { @for quality in &result.weaknesses { li { (quality.label(lang)) (lang.pick(" : ", ": ")) (points(scores.quality(*quality))) } } }
            }
        }

        section aria-labelledby="dimensions" {
            h2 #dimensions { (lang.pick("Par dimension et par qualité", "By dimension and quality")) }
            table.heatmap {
                caption { (lang.pick("Scores sur 100 par qualité (lignes) et par dimension (colonnes) ; la couleur reprend le niveau.", "Scores out of 100 by quality (rows) and dimension (columns); the colour repeats the level.")) }
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
            }
            p.legend {
                (lang.pick("Niveaux : ", "Levels: "))
                @for (i, level) in Level::ALL.iter().enumerate() {
                    span class={ "swatch level-" (i + 1) } { (level.label(lang)) } " "
                }
            }
        }

        @if group { (consensus(lang, q, result)) }

        (recommendations(lang, state, q, result))
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
            table {
                caption { (lang.pick("Écart entre répondant·es, par qualité (écart type, en points)", "Spread between respondents, by quality (standard deviation, in points)")) }
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
            }
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
) -> Markup {
    html! {
        section aria-labelledby="recommendations" {
            h2 #recommendations { (lang.pick("Que faire ensuite ?", "What next?")) }
            @if result.recommendations.is_empty() {
                p { (lang.pick("Aucune recommandation particulière : continuez à partager vos pratiques.", "No particular recommendation: keep sharing your practices.")) }
            }
            @for r in &result.recommendations {
                @if let Some(rec) = q.recommendations.get(r.index) {
                    article.recommendation {
                        h3 {
                            (r.quality.label(lang))
                            @if let RecommendationTarget::Answers { .. } = rec.target { " — " (lang.pick("d'après vos réponses", "from your answers")) }
                        }
                        p { (rec.text.get(lang)) }
                        @if !rec.links.is_empty() {
                            ul { @for Link { label, url } in &rec.links { li { a href=(url) { (label.get(lang)) } } } }
                        }
                        @let coalitions = coalitions_for(state, r.quality, &rec.coalitions);
                        @if !coalitions.is_empty() {
                            p { strong { (lang.pick("Coalitions #RESET à rejoindre : ", "#RESET coalitions to join: ")) }
                                @for (i, c) in coalitions.iter().enumerate() { @if i > 0 { " ; " } (c.name.get(lang)) } }
                        }
                    }
                }
            }
        }
    }
}

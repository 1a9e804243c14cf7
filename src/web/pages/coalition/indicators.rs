//! A coalition's indicators: the form that adds one under a goal, and each indicator's page
//! (its definition, where it stands, its trajectory chart and table, its baseline history,
//! its targets with their form, its measurements with the form that records one).

use crate::app::error::AppError;
use crate::app::indicators::{self, IndicatorView};
use crate::db::{Coalition, Goal};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::indicator::forms::{
    Correction, CorrectionForm, FigureForm, IndicatorData, IndicatorForm, MeasurementForm,
    TargetForm,
};
use crate::domain::indicator::records::{Target, targets_shown};
use crate::domain::indicator::standing::PointKind;
use crate::domain::indicator::{Combination, Direction, Measure, Periodicity, ResultsChainLevel};
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, MaybeUser, SessionUser, User};
use crate::web::ui::badges::progress_cell;
use crate::web::ui::figures::{changes_list, figure, figure_text, measurement_fields};
use crate::web::ui::forms::{
    CONFIRM_FIELD, CONFIRMED, Confirmation, Input, choices, confirmation, csrf, error_summary,
    hinted_choices, input, select, textarea,
};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::{scroll_table, typed_text};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

// --- A new indicator ---------------------------------------------------------------------------

fn indicator_form(form: &CheckedForm, goal_id: &str) -> IndicatorForm {
    IndicatorForm {
        goal_id: goal_id.to_owned(),
        code: form.value("code"),
        name: form.value("name"),
        definition: form.value("definition"),
        level: form.value("level"),
        measure: form.value("measure"),
        scale_levels: form.value("scale_levels"),
        unit: form.value("unit"),
        direction: form.value("direction"),
        tolerance: form.value("tolerance"),
        combination: form.value("combination"),
        periodicity: form.value("periodicity"),
        verification: form.value("verification"),
        owner: form.value("owner"),
    }
}

fn new_indicator_page(
    ctx: &PageContext,
    token: &str,
    coalition: &Coalition,
    goal: &Goal,
    members: &[(String, String)],
    form: &IndicatorForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Nouvel indicateur", "New indicator");
    let labels = [
        ("code", "Code"),
        ("name", lang.pick("Nom", "Name")),
        ("definition", lang.pick("Définition", "Definition")),
        ("level", lang.pick("Niveau", "Level")),
        ("measure", lang.pick("Mesure", "Measure")),
        (
            "scale_levels",
            lang.pick(
                "Nombre de niveaux de l'échelle",
                "Number of levels of the scale",
            ),
        ),
        ("unit", lang.pick("Unité", "Unit")),
        ("direction", lang.pick("Sens attendu", "Expected direction")),
        (
            "tolerance",
            lang.pick(
                "Écart toléré (indicateur à maintenir)",
                "Allowed gap (indicator to maintain)",
            ),
        ),
        (
            "combination",
            lang.pick(
                "Combinaison des mesures dans le temps",
                "How measurements combine over time",
            ),
        ),
        ("periodicity", lang.pick("Périodicité", "Periodicity")),
        (
            "verification",
            lang.pick("Moyen de vérification", "Means of verification"),
        ),
        (
            "owner",
            lang.pick("Responsable de la mesure", "Owner of the measurement"),
        ),
    ];
    let levels: Vec<(&str, &str)> = ResultsChainLevel::ALL
        .iter()
        .map(|l| (l.code(), l.label(lang)))
        .collect();
    let measures: Vec<(&str, &str)> = [
        Measure::Count,
        Measure::Percentage,
        Measure::Ordinal { levels: 5 },
        Measure::Narrative,
    ]
    .iter()
    .map(|m| (m.code(), m.label(lang)))
    .collect();
    let directions: Vec<(&str, &str)> = Direction::ALL
        .iter()
        .map(|d| (d.code(), d.label(lang)))
        .collect();
    let combinations: Vec<(&str, &str)> = Combination::ALL
        .iter()
        .map(|c| (c.code(), c.label(lang)))
        .collect();
    let periodicities: Vec<(&str, &str)> = Periodicity::ALL
        .iter()
        .map(|p| (p.code(), p.label(lang)))
        .collect();
    let owners: Vec<(&str, &str)> = members
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    page(
        ctx,
        title,
        html! {
            p { a href={ "/coalitions/" (coalition.slug) "#objectifs" } { "← " (coalition.name(lang)) } }
            h1 { (title) }
            p { (lang.pick("Objectif : ", "Goal: ")) (typed_text(lang, Lang::Fr, &goal.statement)) }
            (error_summary(lang, errors, &labels))
            form method="post" action={ "/coalitions/" (coalition.slug) "/goals/" (goal.id) "/indicators" } novalidate {
                (csrf(token))
                (input(lang, Input::text("code", labels[0].1, &form.code).hint(lang.pick("Court et unique dans la coalition, par exemple APR-1.", "Short and unique in the coalition, for example APR-1.")).required(), errors))
                (input(lang, Input::text("name", labels[1].1, &form.name).required(), errors))
                (textarea(lang, "definition", labels[2].1, &form.definition, Some(lang.pick("Ce qui est compté, et comment.", "What is counted, and how.")), true, errors))
                (hinted_choices(lang, false, "level", labels[3].1, lang.pick(
                    "Où se situe ce que l'indicateur suit dans la chaîne des résultats : une réalisation est ce que la coalition produit (des ateliers tenus), un résultat ce qui change chez ceux qu'elle touche (des pratiques adoptées), un impact le changement durable visé.",
                    "Where what the indicator follows sits in the results chain: an output is what the coalition produces (workshops held), an outcome what changes for those it reaches (practices adopted), an impact the lasting change aimed at."),
                    &levels, &[form.level.as_str()], errors))
                (choices(lang, false, "measure", labels[4].1, &measures, &[form.measure.as_str()], errors))
                (input(lang, Input::text("scale_levels", labels[5].1, &form.scale_levels).kind("number").hint(lang.pick("Pour une échelle seulement : de 2 à 10.", "For a scale only: from 2 to 10.")), errors))
                (input(lang, Input::text("unit", labels[6].1, &form.unit).hint(lang.pick("Par exemple : personnes, marchés, kWh. « % » pour un pourcentage.", "For example: people, contracts, kWh. “%” for a percentage.")), errors))
                (choices(lang, false, "direction", labels[7].1, &directions, &[form.direction.as_str()], errors))
                (input(lang, Input::text("tolerance", labels[8].1, &form.tolerance).hint(lang.pick("Dans l'unité de l'indicateur : jusqu'où la valeur peut s'écarter de la référence.", "In the indicator's unit: how far the value may move from the baseline.")), errors))
                (hinted_choices(lang, false, "combination", labels[9].1, lang.pick(
                    "Comment plusieurs mesures donnent la valeur réalisée : additionnées (des personnes formées chaque trimestre), la dernière seule (un taux mesuré chaque année), la plus haute, ou leur moyenne.",
                    "How several measurements make the actual value: added up (people trained each quarter), the latest only (a rate measured each year), the highest, or their mean."),
                    &combinations, &[form.combination.as_str()], errors))
                (select(lang, "periodicity", labels[10].1, &periodicities, &form.periodicity, true, errors))
                (textarea(lang, "verification", labels[11].1, &form.verification, Some(lang.pick("La source ou la preuve qui permet de vérifier chaque valeur.", "The source or evidence that allows checking each value.")), true, errors))
                (select(lang, "owner", labels[12].1, &owners, &form.owner, false, errors))
                button type="submit" { (lang.pick("Créer l'indicateur", "Create the indicator")) }
            }
        },
    )
}

/// The coalition and the goal, for those who manage the coalition (403 for the others).
async fn managed_goal(
    state: &AppState,
    user: &SessionUser,
    slug: &str,
    goal_id: &str,
) -> Result<(Coalition, Goal), AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(user), slug).await?;
    access.require(access.manages())?;
    let goal = indicators::goal(&state.pool, &coalition.id, goal_id).await?;
    Ok((coalition, goal))
}

pub async fn new_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let (coalition, goal) = managed_goal(&state, &user, &slug, &goal_id).await?;
    let members = indicators::current_members(&state.pool, &coalition.id).await?;
    let token = session::csrf_token(&session)?;
    let form = IndicatorForm {
        periodicity: Periodicity::Yearly.code().into(),
        ..IndicatorForm::default()
    };
    Ok(html_response(
        StatusCode::OK,
        new_indicator_page(
            &ctx,
            &token,
            &coalition,
            &goal,
            &members,
            &form,
            &FieldErrors::new(),
        ),
    ))
}

pub async fn create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let (coalition, goal) = managed_goal(&state, &user, &slug, &goal_id).await?;
    let typed = indicator_form(&form, &goal.id);
    let parsed = form.checked(
        IndicatorData::try_from(typed.clone()),
        &["definition", "verification"],
    );
    let created = match parsed {
        Ok(data) => {
            indicators::create_indicator(&state.pool, &state.writes, &coalition.id, &goal.id, &data)
                .await?
        }
        Err(errors) => Err(errors),
    };
    match created {
        Ok(id) => Ok(redirect(&format!(
            "/coalitions/{}/indicators/{id}",
            coalition.slug
        ))),
        Err(errors) => {
            let members = indicators::current_members(&state.pool, &coalition.id).await?;
            let token = session::csrf_token(&session)?;
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_indicator_page(&ctx, &token, &coalition, &goal, &members, &typed, &errors),
            ))
        }
    }
}

// --- Correcting or deleting an indicator --------------------------------------------------------

/// `GET …/indicators/{id}/edit`: the wording to correct, its history, and the deletion when
/// no measurement of it was ever validated; for those who manage the coalition.
pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let indicator = indicators::indicator(&state.pool, &coalition.id, &id).await?;
    let form = CorrectionForm {
        name: indicator.name.clone(),
        definition: indicator.definition.clone(),
        unit: indicator.unit.clone(),
        verification: indicator.verification.clone(),
        reason: String::new(),
    };
    correction_page(
        &ctx,
        &session,
        &state,
        &coalition,
        &indicator,
        &form,
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST …/indicators/{id}/edit`: the corrected wording, the one it replaces kept in the
/// history; a page older than the last correction is refused (409) with what changed.
pub async fn correct(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let indicator = indicators::indicator(&state.pool, &coalition.id, &id).await?;
    let typed = CorrectionForm {
        name: form.value("name"),
        definition: form.value("definition"),
        unit: form.value("unit"),
        verification: form.value("verification"),
        reason: form.value("reason"),
    };
    let correction = match form.checked(
        Correction::try_from(&typed),
        &["definition", "verification", "reason"],
    ) {
        Ok(c) => c,
        Err(errors) => {
            return correction_page(
                &ctx,
                &session,
                &state,
                &coalition,
                &indicator,
                &typed,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let shown = form.value("corrections_shown").trim().parse::<usize>().ok();
    match indicators::correct_indicator(
        &state.pool,
        &state.writes,
        &indicator,
        shown,
        &correction,
        &user.id,
    )
    .await?
    {
        indicators::Written::Done => Ok(redirect(&format!("/coalitions/{slug}/indicators/{id}"))),
        indicators::Written::Stale => {
            let indicator = indicators::indicator(&state.pool, &coalition.id, &id).await?;
            correction_page(
                &ctx,
                &session,
                &state,
                &coalition,
                &indicator,
                &typed,
                &FieldErrors::new(),
                Some(shown.unwrap_or(0)),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn correction_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    coalition: &Coalition,
    indicator: &crate::db::Indicator,
    typed: &CorrectionForm,
    errors: &FieldErrors,
    stale_since: Option<usize>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let token = session::csrf_token(session)?;
    let corrections = indicators::corrections(&state.pool, &indicator.id).await?;
    let deletable = indicators::indicator_deletable(&state.pool, &indicator.id).await?;
    let base = format!("/coalitions/{}/indicators/{}", coalition.slug, indicator.id);
    let title = format!(
        "{} — {}",
        lang.pick("Corriger l'indicateur", "Correct the indicator"),
        indicator.code
    );
    let labels = [
        ("name", lang.pick("Nom", "Name")),
        ("definition", lang.pick("Définition", "Definition")),
        ("unit", lang.pick("Unité", "Unit")),
        (
            "verification",
            lang.pick("Moyen de vérification", "Means of verification"),
        ),
        (
            "reason",
            lang.pick("Raison de la correction", "Reason for the correction"),
        ),
    ];
    let body = html! {
        p { a href=(base) { "← " (indicator.code) " — " (indicator.name) } }
        h1 { (title) }
        @if let Some(shown) = stale_since {
            div.error-summary role="alert" tabindex="-1" autofocus {
                p { (lang.pick("L'indicateur a été corrigé depuis que vous avez ouvert la page : rien n'a été enregistré. Voici ce qui a changé ; ce que vous aviez saisi est gardé dans le formulaire.", "The indicator was corrected since you opened the page: nothing was saved. Here is what changed; what you typed is kept in the form.")) }
                (changes_list(lang, corrections.iter().enumerate().skip(shown).map(|(n, c)| {
                    let next = corrections.get(n + 1).map(|c| c.name.as_str()).unwrap_or(indicator.name.as_str());
                    html! { (c.corrected_at.get(..10).unwrap_or(&c.corrected_at)) " — " (c.corrected_by_name.as_deref().unwrap_or("—")) (lang.pick(" : « ", ": « ")) (c.name) " » → « " strong { (next) } " » — " (c.reason) }
                }).collect()))
            }
        }
        p { (lang.pick("Corrigez le nom, la définition, l'unité ou le moyen de vérification. Le libellé remplacé et la raison sont gardés dans l'historique de l'indicateur : les chiffres déjà publiés se lisent avec la définition de l'époque.", "Correct the name, the definition, the unit or the means of verification. The wording replaced and the reason are kept in the indicator's history: figures already published are read with the definition of their time.")) }
        (error_summary(lang, errors, &labels))
        form method="post" action={ (base) "/edit" } novalidate {
            (csrf(&token))
            input type="hidden" name="corrections_shown" value=(corrections.len());
            (input(lang, Input::text("name", labels[0].1, &typed.name).required(), errors))
            (textarea(lang, "definition", labels[1].1, &typed.definition, Some(lang.pick("Ce qui est compté, et comment.", "What is counted, and how.")), true, errors))
            (input(lang, Input::text("unit", labels[2].1, &typed.unit).hint(lang.pick("Par exemple : personnes, marchés, kWh.", "For example: people, contracts, kWh.")), errors))
            (textarea(lang, "verification", labels[3].1, &typed.verification, Some(lang.pick("La source ou la preuve qui permet de vérifier chaque valeur.", "The source or evidence that allows checking each value.")), true, errors))
            (textarea(lang, "reason", labels[4].1, &typed.reason, Some(lang.pick("Pourquoi cette correction : elle est gardée dans l'historique, avec le libellé remplacé.", "Why this correction: it is kept in the history, with the wording it replaces.")), true, errors))
            div.actions { button type="submit" { (lang.pick("Enregistrer la correction", "Save the correction")) } }
        }
        @if !corrections.is_empty() {
            h2 { (lang.pick("Historique des corrections", "History of corrections")) }
            (corrections_table(lang, &corrections))
        }
        h2 { (lang.pick("Supprimer l'indicateur", "Delete the indicator")) }
        @if deletable {
            form method="post" action={ (base) "/delete" } {
                (csrf(&token))
                button.secondary type="submit" { (lang.pick("Supprimer l'indicateur…", "Delete the indicator…")) }
            }
        } @else {
            p { (lang.pick("Une mesure de cet indicateur a été validée : il ne peut plus être supprimé, seulement corrigé ci-dessus, car des chiffres publiés peuvent en dépendre.", "A measurement of this indicator was validated: it can no longer be deleted, only corrected above, since published figures may depend on it.")) }
        }
    };
    Ok(html_response(status, page(ctx, &title, body)))
}

/// The wordings an indicator had before each correction.
fn corrections_table(lang: Lang, corrections: &[crate::db::IndicatorCorrection]) -> Markup {
    html! {
        table {
            caption.visually-hidden { (lang.pick("Libellés remplacés, du plus ancien au plus récent", "Wordings replaced, oldest first")) }
            thead { tr {
                th scope="col" { (lang.pick("Corrigé le", "Corrected on")) }
                th scope="col" { (lang.pick("Libellé remplacé", "Wording replaced")) }
                th scope="col" { (lang.pick("Raison", "Reason")) }
            } }
            tbody { @for c in corrections { tr {
                td { (c.corrected_at.get(..10).unwrap_or(&c.corrected_at)) @if let Some(by) = &c.corrected_by_name { br; (by) } }
                td { strong { (c.name) } @if !c.unit.is_empty() { " (" (c.unit) ")" } br; (c.definition) }
                td { (c.reason) }
            } } }
        }
    }
}

/// `POST …/indicators/{id}/delete`: without the confirmation, the page that asks for it;
/// with it, the indicator is deleted, unless one of its measurements was validated (409:
/// it is corrected instead).
pub async fn delete(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let indicator = indicators::indicator(&state.pool, &coalition.id, &id).await?;
    let lang = ctx.lang;
    let base = format!("/coalitions/{slug}/indicators/{id}");
    if !indicators::indicator_deletable(&state.pool, &indicator.id).await? {
        return refused_deletion(&ctx, &base, &indicator);
    }
    if form.value(CONFIRM_FIELD) != CONFIRMED {
        let token = session::csrf_token(&session)?;
        let title = format!(
            "{} {}",
            lang.pick("Supprimer l'indicateur", "Delete the indicator"),
            indicator.code
        );
        let action = format!("{base}/delete");
        let body = html! {
            h1 { (title) }
            (confirmation(lang, &token, &Confirmation {
                what_happens: html! {
                    p { (lang.pick("L'indicateur « ", "The indicator « ")) (indicator.name) (lang.pick(" » est supprimé, avec :", " » is deleted, with:")) }
                    ul {
                        li { (lang.pick("ses valeurs de référence et ses cibles ;", "its baselines and targets;")) }
                        li { (lang.pick("ses mesures, aucune n'ayant été validée ;", "its measurements, none of which was validated;")) }
                        li { (lang.pick("ses liens avec les actions de la coalition.", "its links with the coalition's actions.")) }
                    }
                },
                action: &action,
                fields: form.pairs(),
                confirm_label: lang.pick("Supprimer l'indicateur", "Delete the indicator"),
                cancel_href: &base,
            }))
        };
        return Ok(html_response(StatusCode::OK, page(&ctx, &title, body)));
    }
    match indicators::delete_indicator(&state.pool, &state.writes, &indicator).await? {
        indicators::Deleted::Done => Ok(redirect(&format!("/coalitions/{slug}#objectifs"))),
        indicators::Deleted::HasValidatedMeasurements => refused_deletion(&ctx, &base, &indicator),
    }
}

fn refused_deletion(
    ctx: &PageContext,
    base: &str,
    indicator: &crate::db::Indicator,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let title = format!(
        "{} {}",
        lang.pick("Supprimer l'indicateur", "Delete the indicator"),
        indicator.code
    );
    let body = html! {
        h1 { (title) }
        div.error-summary role="alert" tabindex="-1" autofocus {
            p { (lang.pick("Rien n'a été supprimé : une mesure de cet indicateur a été validée, et des chiffres publiés peuvent en dépendre. Corrigez-le plutôt : l'ancien libellé reste dans son historique.", "Nothing was deleted: a measurement of this indicator was validated, and published figures may depend on it. Correct it instead: the former wording stays in its history.")) }
        }
        p { a href={ (base) "/edit" } { (lang.pick("Corriger l'indicateur", "Correct the indicator")) } }
    };
    Ok(html_response(StatusCode::CONFLICT, page(ctx, &title, body)))
}

/// The value fields of a posted form (a baseline, a measurement).
pub fn figure_form(form: &CheckedForm) -> FigureForm {
    FigureForm {
        value: form.value("value"),
        numerator: form.value("numerator"),
        denominator: form.value("denominator"),
        narrative: form.value("narrative"),
    }
}

// --- One indicator -----------------------------------------------------------------------------

/// An indicator's page: the coalition, what the visitor may do in it, and the indicator.
pub struct IndicatorPage {
    pub coalition: Coalition,
    pub access: CoalitionAccess,
    pub view: IndicatorView,
}

impl IndicatorPage {
    pub async fn load(
        state: &AppState,
        user: Option<&SessionUser>,
        slug: &str,
        id: &str,
    ) -> Result<IndicatorPage, AppError> {
        let (coalition, access) = access::coalition(&state.pool, user, slug).await?;
        let view =
            IndicatorView::load(&state.pool, &coalition.id, access.reads_private(), id).await?;
        Ok(IndicatorPage {
            coalition,
            access,
            view,
        })
    }
}

/// Which form of the page was rejected, with what the person typed.
pub enum Rejected {
    None,
    Target(TargetForm, FieldErrors),
    /// The targets changed since the person's page: what it showed, and what they typed.
    StaleTarget(TargetForm, String),
    Measurement(MeasurementForm, FieldErrors),
}

/// The indicator's page, with the rejected form (if any) open with what the person typed.
pub fn indicator_markup(
    ctx: &PageContext,
    token: Option<&str>,
    p: &IndicatorPage,
    rejected: &Rejected,
) -> Markup {
    let lang = ctx.lang;
    let v = &p.view;
    let i = &v.indicator;
    let slug = &p.coalition.slug;
    let base = format!("/coalitions/{slug}/indicators/{}", i.id);
    let measure = i.measure;
    let h = v.history();
    let standing = h.standing();
    let trajectory = h.trajectory();
    let title = format!("{} — {}", i.code, i.name);
    let no_errors = FieldErrors::new();
    let current = crate::domain::indicator::standing::current_revisions(&v.revisions);
    let visible: Vec<_> = current
        .iter()
        .filter(|r| p.access.reads_private() || r.status.counts())
        .collect();
    let unit = i.unit.as_str();
    let private = p.access.reads_private();
    page(
        ctx,
        &title,
        html! {
            p { a href={ "/coalitions/" (slug) "#objectifs" } { "← " (p.coalition.name(lang)) } }
            h1 { (title) }
            @if let Some(goal) = &v.goal { p { (lang.pick("Objectif : ", "Goal: ")) (typed_text(lang, Lang::Fr, &goal.statement)) } }
            // The main action first: those who contribute come here to enter a measurement.
            @if let (Some(token), true) = (token, p.access.contributes()) {
                @let (form, errors) = match rejected { Rejected::Measurement(f, e) => (f.clone(), e), _ => (MeasurementForm::default(), &no_errors) };
                section aria-labelledby="saisir-mesure" {
                    h2 #saisir-mesure { (lang.pick("Saisir une mesure", "Enter a measurement")) }
                    (measurement_fields(lang, token, &format!("{base}/measurements"), measure, &form, errors, &v.locked_years, None))
                }
            }
            @if p.access.manages() && token.is_some() {
                p { a href={ (base) "/edit" } { (lang.pick("Corriger ou supprimer l'indicateur", "Correct or delete the indicator")) } }
            }
            h2 #definition { (lang.pick("Définition", "Definition")) }
            p { (i.definition) }
            dl.meta {
                dt { (lang.pick("Niveau", "Level")) } dd { (i.level.label(lang)) }
                dt { (lang.pick("Mesure", "Measure")) } dd { (measure.label(lang)) @if let Measure::Ordinal { levels } = measure { " (1–" (levels) ")" } }
                @if !unit.is_empty() { dt { (lang.pick("Unité", "Unit")) } dd { (unit) } }
                dt { (lang.pick("Sens attendu", "Expected direction")) } dd { (i.direction.label(lang)) @if let Some(t) = i.tolerance { " (± " (figure(lang, t)) ")" } }
                dt { (lang.pick("Combinaison", "Combination")) } dd { (i.combination.label(lang)) }
                dt { (lang.pick("Périodicité", "Periodicity")) } dd { (i.periodicity.label(lang)) }
                dt { (lang.pick("Vérification", "Verification")) } dd { (i.verification) }
                dt { (lang.pick("Responsable", "Owner")) } dd { (i.owner_name.as_deref().unwrap_or("—")) }
            }
            h2 { (lang.pick("Où en est l'indicateur", "Where the indicator stands")) }
            (progress_cell(lang, &standing))
            p.hint { (lang.pick("Seules les mesures validées par l'équipe du programme comptent dans l'avancement. Statut : comparé à la ligne droite de la référence à la cible finale, à la date de la dernière mesure ; « à risque » jusqu'à 10 points de retard.", "Only measurements validated by the programme staff count towards progress. Status: compared with the straight line from the baseline to the final target, on the date of the latest measurement; “at risk” up to 10 points behind.")) }
            @if trajectory.len() > 1 {
                figure.chart {
                    (maud::PreEscaped(crate::charts::trajectory_svg(&trajectory, &crate::charts::TrajectoryLabels {
                        baseline: lang.pick("Référence", "Baseline"),
                        expected: lang.pick("Trajectoire attendue", "Expected path"),
                        targets: lang.pick("Cibles (jalons, finale)", "Targets (milestones, final)"),
                        actual: lang.pick("Valeur réalisée (validée)", "Actual value (validated)"),
                    }, &format!("{} {}", lang.pick("Trajectoire de l'indicateur", "Trajectory of the indicator"), i.code))))
                    figcaption { (lang.pick("Les mêmes valeurs sont dans le tableau ci-dessous.", "The same values are in the table below.")) }
                }
                (scroll_table("trajectory-table", html! { table {
                    caption #trajectory-table { (lang.pick("Trajectoire : référence, cibles et valeurs réalisées", "Trajectory: baseline, targets and actual values")) }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Point" } th scope="col" { (lang.pick("Valeur", "Value")) } } }
                    tbody { @for point in &trajectory { tr {
                        td { (lang.date(point.on)) }
                        td { (match point.kind {
                            PointKind::Baseline => lang.pick("Référence", "Baseline"),
                            PointKind::Actual => lang.pick("Valeur réalisée", "Actual value"),
                            PointKind::Milestone => lang.pick("Jalon", "Milestone"),
                            PointKind::FinalTarget => lang.pick("Cible finale", "Final target"),
                        }) }
                        td { (figure(lang, point.value)) }
                    } } }
                } }))
            }

            @if measure != Measure::Narrative {
                h2 #reference { (lang.pick("Valeur de référence", "Baseline")) }
                @if v.baselines.is_empty() {
                    p { (lang.pick("Pas encore de valeur de référence.", "No baseline yet.")) }
                } @else {
                    (scroll_table("baseline-history", html! { table {
                        caption #baseline-history { (lang.pick("Historique de la référence (la dernière est en vigueur)", "Baseline history (the latest applies)")) }
                        // Outside the coalition, a baseline is its value, date, source and the
                        // reason it changed (which explains the figures); who recorded it stays
                        // with the members.
                        thead { tr { th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { "Date" } th scope="col" { "Source" } th scope="col" { (lang.pick("Raison du changement", "Reason for the change")) } @if private { th scope="col" { (lang.pick("Enregistrée", "Recorded")) } } } }
                        tbody { @for b in &v.baselines { tr {
                            td { (figure_text(lang, unit, b.value.as_ref())) }
                            td { (lang.date(b.measured_on)) } td { (typed_text(lang, Lang::Fr, &b.source)) } td { (if b.reason.is_empty() { "—" } else { &b.reason }) }
                            @if private {
                                td { (lang.date(&b.recorded_at)) @if let Some(n) = &b.recorded_by_name { " · " (n) } }
                            }
                        } } }
                    } }))
                }
                @if p.access.manages() && token.is_some() {
                    p.actions { a href={ (base) "/baseline" } { (if v.baselines.is_empty() { lang.pick("Enregistrer la valeur de référence", "Record the baseline") } else { lang.pick("Changer la valeur de référence", "Change the baseline") }) } }
                }

                h2 #cibles { (lang.pick("Cibles", "Targets")) }
                @if v.targets.is_empty() {
                    p { (lang.pick("Pas encore de cible.", "No target yet.")) }
                } @else {
                    (scroll_table("targets-table", html! { table {
                        caption.visually-hidden #targets-table { (lang.pick("Cibles", "Targets")) }
                        thead { tr { th scope="col" { (lang.pick("Échéance", "Due")) } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Type", "Kind")) } @if p.access.manages() { th scope="col" { (lang.pick("Retirer", "Remove")) } } } }
                        tbody { @for t in &v.targets { tr {
                            td { (lang.date(t.due)) } td { (figure(lang, t.value)) " " (unit) }
                            td { (if t.is_final { lang.pick("Cible finale", "Final target") } else { lang.pick("Jalon", "Milestone") }) }
                            @if let (Some(token), true) = (token, p.access.manages()) {
                                td { form.inline method="post" action={ (base) "/targets/" (t.id) "/delete" } { (csrf(token)) button.secondary type="submit" { (lang.pick("Retirer la cible du ", "Remove the target of ")) (lang.date(t.due)) "…" } } }
                            }
                        } } }
                    } }))
                }
                @if let (Some(token), true) = (token, p.access.manages()) {
                    @let (form, errors) = match rejected { Rejected::Target(f, e) => (f.clone(), e), Rejected::StaleTarget(f, _) => (f.clone(), &no_errors), _ => (TargetForm::default(), &no_errors) };
                    section aria-labelledby="ajouter-cible" {
                        h3 #ajouter-cible { (lang.pick("Ajouter ou changer une cible", "Add or change a target")) }
                        @if let Rejected::StaleTarget(typed, shown) = rejected {
                            div.error-summary role="alert" tabindex="-1" autofocus {
                                p { (lang.pick("Les cibles de cet indicateur ont changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé, puis recommencez si besoin.", "This indicator's targets changed since you opened the page: nothing was saved. See what changed, then try again if needed.")) }
                                (changes_list(lang, target_changes(lang, unit, shown, &v.targets)))
                                p { (lang.pick("Ce que vous aviez saisi n'est pas enregistré ; le voici : ", "What you typed is not saved; here it is: "))
                                    (typed.due_on) " — " (typed.value) " " (unit)
                                    @if typed.is_final { " (" (lang.pick("cible finale", "final target")) ")" }
                                }
                            }
                        }
                        (error_summary(lang, errors, &[("due_on", lang.pick("Échéance", "Due")), ("target_value", lang.pick("Valeur cible", "Target value"))]))
                        form method="post" action={ (base) "/targets" } novalidate {
                            (csrf(token))
                            input type="hidden" name="targets_shown" value=(targets_shown(&v.targets));
                            (input(lang, Input::text("due_on", lang.pick("Échéance", "Due"), &form.due_on).kind("date").hint(lang.pick("Une cible déjà fixée à cette date est remplacée.", "A target already set on that date is replaced.")).required(), errors))
                            (input(lang, Input::text("target_value", lang.pick("Valeur cible", "Target value"), &form.value).hint(if measure == Measure::Percentage { lang.pick("En pourcentage, de 0 à 100.", "As a percentage, from 0 to 100.") } else { unit }).required(), errors))
                            div.choice { input type="checkbox" id="is_final" name="is_final" value="1" checked[form.is_final]; label for="is_final" { (lang.pick("C'est la cible finale", "This is the final target")) } }
                            button type="submit" { (lang.pick("Enregistrer la cible", "Save the target")) }
                        }
                    }
                }
            }

            h2 #mesures { (lang.pick("Mesures", "Measurements")) }
            @if visible.is_empty() {
                p { (lang.pick("Pas encore de mesure.", "No measurement yet.")) }
            } @else {
                (scroll_table("measurements-table", html! { table {
                    caption.visually-hidden #measurements-table { (lang.pick("Mesures", "Measurements")) }
                    thead { tr { th scope="col" { "Date" } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Statut", "Status")) } th scope="col" { (lang.pick("Preuve", "Evidence")) } th scope="col" { (lang.pick("Détail", "Detail")) } } }
                    tbody { @for r in &visible { tr {
                        td { (lang.date(r.measured_on)) }
                        td { (figure_text(lang, unit, r.value.as_ref())) }
                        td { (r.status.label(lang)) }
                        td { @if r.evidence_url.is_empty() { "—" } @else { a href=(r.evidence_url) rel="nofollow noopener" { (lang.pick("Voir la preuve", "See the evidence")) } } }
                        td { a href={ "/coalitions/" (slug) "/measurements/" (r.measurement_id) } { (if private { lang.pick("Historique", "History") } else { lang.pick("Détail", "Detail") }) @if private && r.revision > 1 { " (" (r.revision) " " (lang.pick("révisions", "revisions")) ")" } } }
                    } } }
                } }))
            }
        },
    )
}

/// Date by date, how the targets now differ from those the person's page showed (as
/// [`targets_shown`] wrote them).
fn target_changes(lang: Lang, unit: &str, shown: &str, now: &[Target]) -> Vec<Markup> {
    let label = |value: &str, is_final: bool| {
        let value = value
            .parse::<f64>()
            .map(|v| figure(lang, v))
            .unwrap_or_else(|_| value.to_owned());
        let kind = if is_final {
            lang.pick(" (cible finale)", " (final target)")
        } else {
            ""
        };
        format!("{value} {unit}{kind}")
    };
    let before: std::collections::BTreeMap<&str, (&str, bool)> = shown
        .split(';')
        .filter_map(|entry| {
            let (due, rest) = entry.split_once('=')?;
            let (value, is_final) = rest.split_once(':')?;
            Some((due, (value, is_final == "1")))
        })
        .collect();
    let now: Vec<(String, String, bool)> = now
        .iter()
        .map(|t| (t.due.to_string(), t.value.to_string(), t.is_final))
        .collect();
    let after: std::collections::BTreeMap<&str, (&str, bool)> = now
        .iter()
        .map(|(due, value, is_final)| (due.as_str(), (value.as_str(), *is_final)))
        .collect();
    let mut dates: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .filter_map(|due| match (before.get(due), after.get(due)) {
            (Some((v, f)), Some((w, g))) if (*v, *f) != (*w, *g) => Some(html! {
                (due) (lang.pick(" : ", ": ")) (label(v, *f)) " → " strong { (label(w, *g)) }
            }),
            (None, Some((w, g))) => Some(html! {
                (due) (lang.pick(" : ", ": ")) (lang.pick("cible ajoutée, ", "target added, ")) strong { (label(w, *g)) }
            }),
            (Some((v, f)), None) => Some(html! {
                (due) (lang.pick(" : ", ": ")) (lang.pick("cible retirée (elle était de ", "target removed (it was ")) (label(v, *f)) ")"
            }),
            _ => None,
        })
        .collect()
}

pub async fn show(
    ctx: PageContext,
    MaybeUser(user): MaybeUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, user.as_ref(), &slug, &id).await?;
    let token = if p.access.contributes() {
        Some(session::csrf_token(&session)?)
    } else {
        None
    };
    Ok(html_response(
        StatusCode::OK,
        indicator_markup(&ctx, token.as_deref(), &p, &Rejected::None),
    ))
}

/// The indicator's page again, with the rejected form open (422).
pub fn rejected_page(
    ctx: &PageContext,
    session: &Session,
    p: &IndicatorPage,
    rejected: Rejected,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        indicator_markup(ctx, Some(&token), p, &rejected),
    ))
}

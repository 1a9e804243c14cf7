//! A coalition's impact goals and indicators: the goals section of its page, each
//! indicator's page (trajectory chart and table, baseline history, targets, measurements and
//! their revisions), and the forms that record them.

use crate::db::{Baseline, Indicator, MeasurementRevision, TargetRow};
use crate::domain::indicator::standing::IndicatorHistory;
pub use crate::domain::indicator::standing::{current_revisions, history, measure_of, parse_date};
use crate::domain::indicator::{Combination, Direction, Measure};
use crate::web::today;
use time::Date;

use crate::domain::i18n::Lang;
use crate::domain::indicator::Status;
use crate::domain::indicator::standing::{Gap, Standing};
use maud::{Markup, html};

/// A figure as people read it: up to one decimal, French or English separators.
pub fn figure(lang: Lang, x: f64) -> String {
    lang.figure(x, 1)
}

/// Why an indicator shows no progress, in words.
pub fn gap_label(gap: &Gap, lang: Lang) -> String {
    match gap {
        Gap::Narrative => lang
            .pick(
                "Indicateur qualitatif : se lit dans ses mesures",
                "Qualitative indicator: read its measurements",
            )
            .to_owned(),
        Gap::NoBaseline => lang
            .pick("Pas encore de valeur de référence", "No baseline yet")
            .to_owned(),
        Gap::NoTarget => lang.pick("Pas encore de cible", "No target yet").to_owned(),
        Gap::NoMeasurement => lang
            .pick(
                "Pas encore de mesure validée",
                "No validated measurement yet",
            )
            .to_owned(),
        Gap::Invalid(e) => e.message().get(lang).to_owned(),
    }
}

/// The status as a word in a coloured badge: the word carries the meaning, the colour only
/// repeats it.
pub fn status_badge(lang: Lang, status: Status) -> Markup {
    html! { span class={ "status status-" (status.code()) } { (status.label(lang)) } }
}

/// Progress towards the final target as a bar with its percentage and status word, or why
/// there is none.
pub fn progress_cell(lang: Lang, standing: &Standing) -> Markup {
    match &standing.assessment {
        Ok(a) => {
            let shown = a.progress.percent.clamp(0.0, 100.0);
            html! {
                div.progress {
                    // An SVG bar: the page's CSP refuses inline styles, not SVG attributes.
                    svg.progress-bar viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                        rect.progress-track width="100" height="8" {}
                        rect class={ "progress-fill fill-" (a.status.code()) } width=(format!("{shown:.0}")) height="8" {}
                    }
                    span.progress-text { (figure(lang, a.progress.percent)) " % · " (status_badge(lang, a.status)) }
                }
            }
        }
        Err(gap) => html! { span.muted { (gap_label(gap, lang)) } },
    }
}

// --- Pages -----------------------------------------------------------------------------------

use crate::app::error::AppError;
use crate::db::{self, Coalition, Goal};
use crate::domain::field_errors::FieldErrors;
use crate::domain::indicator::Level;
use crate::domain::indicator::forms::{
    BaselineData, BaselineForm, FigureForm, GoalData, GoalForm, IndicatorData, IndicatorForm,
    MeasurementData, MeasurementForm, PERIODICITIES, TargetData, TargetForm, figure_columns,
};
use crate::domain::{Dimension, Quality};
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::session::{self, CheckedForm, MaybeUser, User};
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

fn codes<T: Copy>(text: &str, from: fn(&str) -> Option<T>) -> Vec<T> {
    text.split_whitespace().filter_map(from).collect()
}

fn direction_label(code: &str, lang: Lang) -> &'static str {
    Direction::from_code(code)
        .map(|d| d.label(lang))
        .unwrap_or("—")
}

fn periodicity_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "annuelle" => lang.pick("Annuelle", "Yearly"),
        "semestrielle" => lang.pick("Semestrielle", "Half-yearly"),
        "trimestrielle" => lang.pick("Trimestrielle", "Quarterly"),
        "mensuelle" => lang.pick("Mensuelle", "Monthly"),
        _ => "—",
    }
}

pub fn measurement_status_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "draft" => lang.pick("Brouillon", "Draft"),
        "submitted" => lang.pick("Soumise", "Submitted"),
        "validated" => lang.pick("Validée", "Validated"),
        _ => "—",
    }
}

/// A stored figure as text: `12`, `45 % (9 / 20)`, or the narrative.
fn figure_text(
    lang: Lang,
    unit: &str,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    narrative: Option<&str>,
) -> String {
    match (value, numerator, denominator, narrative) {
        (_, Some(n), Some(d), _) if d > 0.0 => format!(
            "{} % ({} / {})",
            figure(lang, 100.0 * n / d),
            figure(lang, n),
            figure(lang, d)
        ),
        (Some(v), ..) => format!("{} {unit}", figure(lang, v)).trim_end().to_owned(),
        (_, _, _, Some(text)) => text.to_owned(),
        _ => "—".to_owned(),
    }
}

// --- The goals section of the coalition page ---------------------------------------------------

/// Everything about a coalition's goals and indicators, read once for its page.
pub struct GoalsView {
    pub goals: Vec<Goal>,
    pub indicators: Vec<(Indicator, Option<IndicatorHistory>)>,
    /// Measurements not validated yet, for those who may read them.
    pub pending: usize,
}

pub async fn goals_view(state: &AppState, coalition_id: &str) -> Result<GoalsView, AppError> {
    let goals = db::goals(&state.pool, coalition_id).await?;
    let indicators = db::indicators(&state.pool, coalition_id).await?;
    let baselines = db::baselines_of_coalition(&state.pool, coalition_id).await?;
    let targets = db::targets_of_coalition(&state.pool, coalition_id).await?;
    let revisions = db::revisions_of_coalition(&state.pool, coalition_id).await?;
    let current = current_revisions(&revisions);
    let pending = current.iter().filter(|r| r.status != "validated").count();
    let indicators = indicators
        .into_iter()
        .map(|i| {
            let h = history(&i, &baselines, &targets, &current);
            (i, h)
        })
        .collect();
    Ok(GoalsView {
        goals,
        indicators,
        pending,
    })
}

/// The goals with their indicators' progress, for the coalition page.
pub fn goals_section(lang: Lang, slug: &str, access: CoalitionAccess, view: &GoalsView) -> Markup {
    html! {
        h2 #objectifs { (lang.pick("Objectifs d'impact et indicateurs", "Impact goals and indicators")) }
        @if view.goals.is_empty() {
            p { (lang.pick("La coalition n'a pas encore formulé d'objectif d'impact.", "The coalition has not set an impact goal yet.")) }
        }
        @if access.reads_private() && view.pending > 0 {
            p.notice { (view.pending) " " (lang.pick("mesure(s) en attente de validation par l'équipe du programme.", "measurement(s) awaiting validation by the programme staff.")) }
        }
        @for goal in &view.goals {
            section.goal aria-labelledby={ "objectif-" (goal.id) } {
                h3 #{ "objectif-" (goal.id) } { (goal.statement) }
                dl.meta {
                    dt { (lang.pick("Horizon", "Horizon")) } dd { (goal.horizon) }
                    dt { (lang.pick("Qualités", "Qualities")) }
                    dd { (codes(&goal.qualities, Quality::from_code).iter().map(|q| q.label(lang)).collect::<Vec<_>>().join(", ")) }
                    dt { (lang.pick("Leviers", "Levers")) }
                    dd { (codes(&goal.dimensions, Dimension::from_code).iter().map(|d| d.label(lang)).collect::<Vec<_>>().join(", ")) }
                }
                @let indicators: Vec<_> = view.indicators.iter().filter(|(i, _)| i.goal_id == goal.id).collect();
                @if indicators.is_empty() {
                    p { (lang.pick("Aucun indicateur pour cet objectif.", "No indicator for this goal.")) }
                } @else {
                    table.indicators {
                        caption.visually-hidden { (lang.pick("Indicateurs de l'objectif", "Indicators of the goal")) }
                        thead { tr {
                            th scope="col" { (lang.pick("Indicateur", "Indicator")) }
                            th scope="col" { (lang.pick("Référence", "Baseline")) }
                            th scope="col" { (lang.pick("Dernière valeur validée", "Latest validated value")) }
                            th scope="col" { (lang.pick("Cible finale", "Final target")) }
                            th scope="col" { (lang.pick("Avancement", "Progress")) }
                        } }
                        tbody {
                            @for (i, h) in indicators {
                                @let standing = h.as_ref().map(|h| h.standing());
                                tr {
                                    th scope="row" { a href={ "/coalitions/" (slug) "/indicators/" (i.id) } { (i.code) " — " (i.name) } }
                                    td { (standing.as_ref().and_then(|s| s.baseline).map(|v| figure(lang, v)).unwrap_or_else(|| "—".into())) }
                                    td { @match standing.as_ref().and_then(|s| s.actual) {
                                        Some((on, v)) => { (figure(lang, v)) " " small { "(" (on) ")" } }
                                        None => { "—" }
                                    } }
                                    td { @match standing.as_ref().and_then(|s| s.final_target) {
                                        Some(t) => { (figure(lang, t.value)) " " small { "(" (t.due) ")" } }
                                        None => { "—" }
                                    } }
                                    td { @match &standing { Some(s) => { (progress_cell(lang, s)) } None => { "—" } } }
                                }
                            }
                        }
                    }
                }
                @if access.manages() {
                    p.actions {
                        a href={ "/coalitions/" (slug) "/goals/" (goal.id) "/indicators/new" } { (lang.pick("Ajouter un indicateur", "Add an indicator")) }
                        " · "
                        a href={ "/coalitions/" (slug) "/goals/" (goal.id) "/edit" } { (lang.pick("Modifier l'objectif", "Edit the goal")) }
                    }
                }
            }
        }
        @if access.manages() {
            p.actions { a.button href={ "/coalitions/" (slug) "/goals/new" } { (lang.pick("Ajouter un objectif d'impact", "Add an impact goal")) } }
        }
    }
}

// --- Goals -------------------------------------------------------------------------------------

fn goal_form(form: &CheckedForm) -> GoalForm {
    GoalForm {
        statement: form.value("statement"),
        horizon: form.value("horizon"),
        qualities: form.values("qualities"),
        dimensions: form.values("dimensions"),
    }
}

fn goal_page(
    ctx: &PageContext,
    token: &str,
    coalition: &Coalition,
    goal_id: Option<&str>,
    form: &GoalForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = match goal_id {
        Some(_) => lang.pick("Modifier l'objectif d'impact", "Edit the impact goal"),
        None => lang.pick("Nouvel objectif d'impact", "New impact goal"),
    };
    let action = match goal_id {
        Some(id) => format!("/coalitions/{}/goals/{id}/edit", coalition.slug),
        None => format!("/coalitions/{}/goals", coalition.slug),
    };
    let labels = [
        ("statement", lang.pick("Objectif d'impact", "Impact goal")),
        ("horizon", lang.pick("Horizon", "Horizon")),
        (
            "qualities",
            lang.pick("Qualités servies", "Qualities served"),
        ),
        ("dimensions", lang.pick("Leviers", "Levers")),
    ];
    let qualities: Vec<(&str, &str)> = Quality::ALL
        .iter()
        .map(|q| (q.code(), q.label(lang)))
        .collect();
    let dimensions: Vec<(&str, &str)> = Dimension::ALL
        .iter()
        .map(|d| (d.code(), d.label(lang)))
        .collect();
    let selected_q: Vec<&str> = form.qualities.iter().map(String::as_str).collect();
    let selected_d: Vec<&str> = form.dimensions.iter().map(String::as_str).collect();
    page(
        ctx,
        title,
        html! {
            p { a href={ "/coalitions/" (coalition.slug) "#objectifs" } { "← " (coalition.name(lang)) } }
            h1 { (title) }
            (error_summary(lang, errors, &labels))
            form method="post" action=(action) novalidate {
                (csrf(token))
                (textarea(lang, "statement", labels[0].1, &form.statement, Some(lang.pick("Ce que la coalition veut changer, en une ou deux phrases.", "What the coalition wants to change, in one or two sentences.")), true, errors))
                (input(lang, Input::text("horizon", labels[1].1, &form.horizon).kind("date").hint(lang.pick("La date à laquelle l'objectif doit être atteint (AAAA-MM-JJ).", "The date by which the goal should be reached (YYYY-MM-DD).")).required(), errors))
                (choices(lang, true, "qualities", labels[2].1, &qualities, &selected_q, errors))
                (choices(lang, true, "dimensions", labels[3].1, &dimensions, &selected_d, errors))
                button type="submit" { (lang.pick("Enregistrer", "Save")) }
            }
        },
    )
}

async fn managed(
    state: &AppState,
    user: &crate::web::session::SessionUser,
    slug: &str,
) -> Result<Coalition, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(user), slug).await?;
    access.require(access.manages())?;
    Ok(coalition)
}

pub async fn goal_new_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let coalition = managed(&state, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        goal_page(
            &ctx,
            &token,
            &coalition,
            None,
            &GoalForm::default(),
            &FieldErrors::new(),
        ),
    ))
}

pub async fn goal_create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let coalition = managed(&state, &user, &path).await?;
    let typed = goal_form(&form);
    let data = match form.checked(GoalData::try_from(typed.clone()), &["statement"]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                goal_page(&ctx, &token, &coalition, None, &typed, &errors),
            ));
        }
    };
    let id = db::new_id();
    db::insert_goal(
        &state.pool,
        &db::NewGoal {
            id: &id,
            coalition_id: &coalition.id,
            statement: &data.statement,
            horizon: &data.horizon.to_string(),
            qualities: &data.quality_codes(),
            dimensions: &data.dimension_codes(),
            at: &db::now(),
        },
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{}#objectifs",
        coalition.slug
    )))
}

pub async fn goal_edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    let goal = db::goal(&state.pool, &coalition.id, &goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = GoalForm {
        statement: goal.statement,
        horizon: goal.horizon,
        qualities: goal
            .qualities
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        dimensions: goal
            .dimensions
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        goal_page(
            &ctx,
            &token,
            &coalition,
            Some(&goal_id),
            &form,
            &FieldErrors::new(),
        ),
    ))
}

pub async fn goal_update(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    db::goal(&state.pool, &coalition.id, &goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = goal_form(&form);
    let data = match form.checked(GoalData::try_from(typed.clone()), &["statement"]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                goal_page(&ctx, &token, &coalition, Some(&goal_id), &typed, &errors),
            ));
        }
    };
    db::update_goal(
        &state.pool,
        &db::NewGoal {
            id: &goal_id,
            coalition_id: &coalition.id,
            statement: &data.statement,
            horizon: &data.horizon.to_string(),
            qualities: &data.quality_codes(),
            dimensions: &data.dimension_codes(),
            at: &db::now(),
        },
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{}#objectifs",
        coalition.slug
    )))
}

// --- Indicators --------------------------------------------------------------------------------

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

fn indicator_page_form(
    ctx: &PageContext,
    token: &str,
    coalition: &Coalition,
    goal: &Goal,
    members: &[db::Member],
    form: &IndicatorForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = lang.pick("Nouvel indicateur", "New indicator");
    let labels = [
        ("code", lang.pick("Code", "Code")),
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
    let levels: Vec<(&str, &str)> = Level::ALL
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
    let periodicities: Vec<(&str, &str)> = PERIODICITIES
        .iter()
        .map(|p| (*p, periodicity_label(p, lang)))
        .collect();
    let owners: Vec<(&str, &str)> = members
        .iter()
        .filter(|m| m.left_on.is_none())
        .map(|m| (m.organisation_id.as_str(), m.organisation_name.as_str()))
        .collect();
    page(
        ctx,
        title,
        html! {
            p { a href={ "/coalitions/" (coalition.slug) "#objectifs" } { "← " (coalition.name(lang)) } }
            h1 { (title) }
            p { (lang.pick("Objectif : ", "Goal: ")) (goal.statement) }
            (error_summary(lang, errors, &labels))
            form method="post" action={ "/coalitions/" (coalition.slug) "/goals/" (goal.id) "/indicators" } novalidate {
                (csrf(token))
                (input(lang, Input::text("code", labels[0].1, &form.code).hint(lang.pick("Court et unique dans la coalition, par exemple APR-1.", "Short and unique in the coalition, for example APR-1.")).required(), errors))
                (input(lang, Input::text("name", labels[1].1, &form.name).required(), errors))
                (textarea(lang, "definition", labels[2].1, &form.definition, Some(lang.pick("Ce qui est compté, et comment.", "What is counted, and how.")), true, errors))
                (choices(lang, false, "level", labels[3].1, &levels, &[form.level.as_str()], errors))
                (choices(lang, false, "measure", labels[4].1, &measures, &[form.measure.as_str()], errors))
                (input(lang, Input::text("scale_levels", labels[5].1, &form.scale_levels).kind("number").hint(lang.pick("Pour une échelle seulement : de 2 à 10.", "For a scale only: from 2 to 10.")), errors))
                (input(lang, Input::text("unit", labels[6].1, &form.unit).hint(lang.pick("Par exemple : personnes, marchés, kWh. « % » pour un pourcentage.", "For example: people, contracts, kWh. “%” for a percentage.")), errors))
                (choices(lang, false, "direction", labels[7].1, &directions, &[form.direction.as_str()], errors))
                (input(lang, Input::text("tolerance", labels[8].1, &form.tolerance).hint(lang.pick("Dans l'unité de l'indicateur : jusqu'où la valeur peut s'écarter de la référence.", "In the indicator's unit: how far the value may move from the baseline.")), errors))
                (choices(lang, false, "combination", labels[9].1, &combinations, &[form.combination.as_str()], errors))
                (select(lang, "periodicity", labels[10].1, &periodicities, &form.periodicity, true, errors))
                (textarea(lang, "verification", labels[11].1, &form.verification, Some(lang.pick("La source ou la preuve qui permet de vérifier chaque valeur.", "The source or evidence that allows checking each value.")), true, errors))
                (select(lang, "owner", labels[12].1, &owners, &form.owner, false, errors))
                button type="submit" { (lang.pick("Créer l'indicateur", "Create the indicator")) }
            }
        },
    )
}

pub async fn indicator_new_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    let goal = db::goal(&state.pool, &coalition.id, &goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = db::members(&state.pool, &coalition.id).await?;
    let token = session::csrf_token(&session)?;
    let form = IndicatorForm {
        periodicity: "annuelle".into(),
        ..IndicatorForm::default()
    };
    Ok(html_response(
        StatusCode::OK,
        indicator_page_form(
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

pub async fn indicator_create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, goal_id) = path.into_inner();
    let coalition = managed(&state, &user, &slug).await?;
    let goal = db::goal(&state.pool, &coalition.id, &goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = db::members(&state.pool, &coalition.id).await?;
    let typed = indicator_form(&form, &goal.id);
    let parsed = form
        .checked(
            IndicatorData::try_from(typed.clone()),
            &["definition", "verification"],
        )
        .and_then(|data| {
            let mut errors = FieldErrors::new();
            if let Some(owner) = &data.owner
                && !members
                    .iter()
                    .any(|m| m.left_on.is_none() && &m.organisation_id == owner)
            {
                errors.add(
                    "owner",
                    "Choisissez un membre actuel de la coalition.",
                    "Choose a current member of the coalition.",
                );
            }
            errors.into_result(data)
        });
    let rejected = |errors: FieldErrors| -> Result<HttpResponse, AppError> {
        let token = session::csrf_token(&session)?;
        Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            indicator_page_form(&ctx, &token, &coalition, &goal, &members, &typed, &errors),
        ))
    };
    let data = match parsed {
        Ok(data) => data,
        Err(errors) => return rejected(errors),
    };
    let id = db::new_id();
    let added = db::insert_indicator(
        &state.pool,
        &db::NewIndicator {
            id: &id,
            coalition_id: &coalition.id,
            goal_id: &goal.id,
            code: &data.code,
            name: &data.name,
            definition: &data.definition,
            level: data.level.code(),
            measure: data.measure.code(),
            scale_levels: data.scale_levels(),
            unit: &data.unit,
            direction: data.direction.code(),
            tolerance: data.tolerance,
            combination: data.combination.code(),
            periodicity: &data.periodicity,
            verification: &data.verification,
            owner_organisation_id: data.owner.as_deref(),
            at: &db::now(),
        },
    )
    .await?;
    if !added {
        let mut errors = FieldErrors::new();
        errors.add(
            "code",
            "Ce code est déjà celui d'un autre indicateur de la coalition.",
            "This code is already another indicator's in the coalition.",
        );
        return rejected(errors);
    }
    Ok(redirect(&format!(
        "/coalitions/{}/indicators/{id}",
        coalition.slug
    )))
}

// --- One indicator -----------------------------------------------------------------------------

/// What the indicator page shows and its forms need.
struct IndicatorPage {
    coalition: Coalition,
    access: CoalitionAccess,
    indicator: Indicator,
    goal: Option<Goal>,
    baselines: Vec<Baseline>,
    targets: Vec<TargetRow>,
    revisions: Vec<MeasurementRevision>,
    locked_years: Vec<i32>,
}

impl IndicatorPage {
    async fn load(
        state: &AppState,
        user: Option<&crate::web::session::SessionUser>,
        slug: &str,
        id: &str,
    ) -> Result<IndicatorPage, AppError> {
        let (coalition, access) = access::coalition(&state.pool, user, slug).await?;
        let indicator = db::indicator(&state.pool, &coalition.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let goal = db::goal(&state.pool, &coalition.id, &indicator.goal_id).await?;
        let baselines = db::baselines_of_coalition(&state.pool, &coalition.id)
            .await?
            .into_iter()
            .filter(|b| b.indicator_id == indicator.id)
            .collect();
        let targets = db::targets_of_coalition(&state.pool, &coalition.id)
            .await?
            .into_iter()
            .filter(|t| t.indicator_id == indicator.id)
            .collect();
        let revisions = db::revisions_of_coalition(&state.pool, &coalition.id)
            .await?
            .into_iter()
            .filter(|r| r.indicator_id == indicator.id)
            .collect();
        let locked_years = db::locked_years(&state.pool).await?;
        let (mut baselines, mut revisions): (Vec<Baseline>, Vec<MeasurementRevision>) =
            (baselines, revisions);
        if !access.reads_private() {
            // Names and comments never leave the coalition: dropped before the page is made.
            for b in &mut baselines {
                b.recorded_by_name = None;
            }
            for r in &mut revisions {
                r.recorded_by = None;
                r.recorded_by_name = None;
                r.comment.clear();
            }
        }
        Ok(IndicatorPage {
            coalition,
            access,
            indicator,
            goal,
            baselines,
            targets,
            revisions,
            locked_years,
        })
    }

    fn history(&self) -> Option<IndicatorHistory> {
        let current = current_revisions(&self.revisions);
        history(&self.indicator, &self.baselines, &self.targets, &current)
    }

    fn measure(&self) -> Option<Measure> {
        measure_of(&self.indicator)
    }

    fn current_baseline(&self) -> Option<(Date, f64)> {
        self.history().and_then(|h| {
            h.baseline
                .as_ref()
                .and_then(|(d, v)| crate::domain::indicator::standing::number(v).map(|v| (*d, v)))
        })
    }
}

/// Which form of the page was rejected, with what the person typed.
enum Rejected {
    None,
    Target(TargetForm, FieldErrors),
    /// The targets changed since the person's page: what it showed, and what they typed.
    StaleTarget(TargetForm, String),
    Measurement(MeasurementForm, FieldErrors),
}

fn figure_fields(lang: Lang, measure: Measure, form: &FigureForm, errors: &FieldErrors) -> Markup {
    html! {
        @match measure {
            Measure::Percentage => {
                (input(lang, Input::text("numerator", lang.pick("Numérateur", "Numerator"), &form.numerator).kind("text").hint(lang.pick("Ce qui est compté (par exemple 9 marchés avec critères)…", "What is counted (for example 9 contracts with criteria)…")).required(), errors))
                (input(lang, Input::text("denominator", lang.pick("Dénominateur", "Denominator"), &form.denominator).hint(lang.pick("… sur combien (par exemple 20 marchés).", "… out of how many (for example 20 contracts).")).required(), errors))
            }
            Measure::Narrative => {
                (textarea(lang, "narrative", lang.pick("Constat", "Account"), &form.narrative, None, true, errors))
            }
            Measure::Ordinal { levels } => {
                (input(lang, Input::text("value", lang.pick("Niveau", "Level"), &form.value).hint(&format!("{} 1 – {levels}", lang.pick("De", "From"))).required(), errors))
            }
            Measure::Count => {
                (input(lang, Input::text("value", lang.pick("Valeur", "Value"), &form.value).required(), errors))
            }
        }
    }
}

fn indicator_markup(
    ctx: &PageContext,
    token: Option<&str>,
    p: &IndicatorPage,
    rejected: &Rejected,
) -> Markup {
    let lang = ctx.lang;
    let i = &p.indicator;
    let slug = &p.coalition.slug;
    let base = format!("/coalitions/{slug}/indicators/{}", i.id);
    let measure = p.measure();
    let h = p.history();
    let standing = h.as_ref().map(|h| h.standing());
    let trajectory = h.as_ref().map(|h| h.trajectory()).unwrap_or_default();
    let title = format!("{} — {}", i.code, i.name);
    let no_errors = FieldErrors::new();
    let current = current_revisions(&p.revisions);
    let visible: Vec<&&MeasurementRevision> = current
        .iter()
        .filter(|r| p.access.reads_private() || r.status == "validated")
        .collect();
    let unit = i.unit.as_str();
    let private = p.access.reads_private();
    page(
        ctx,
        &title,
        html! {
            p { a href={ "/coalitions/" (slug) "#objectifs" } { "← " (p.coalition.name(lang)) } }
            h1 { (title) }
            @if let Some(goal) = &p.goal { p { (lang.pick("Objectif : ", "Goal: ")) (goal.statement) } }
            p { (i.definition) }
            dl.meta {
                dt { (lang.pick("Niveau", "Level")) } dd { (Level::from_code(&i.level).map(|l| l.label(lang)).unwrap_or("—")) }
                dt { (lang.pick("Mesure", "Measure")) } dd { (measure.map(|m| m.label(lang)).unwrap_or("—")) @if let Some(n) = i.scale_levels { " (1–" (n) ")" } }
                @if !unit.is_empty() { dt { (lang.pick("Unité", "Unit")) } dd { (unit) } }
                dt { (lang.pick("Sens attendu", "Expected direction")) } dd { (direction_label(&i.direction, lang)) @if let Some(t) = i.tolerance { " (± " (figure(lang, t)) ")" } }
                dt { (lang.pick("Combinaison", "Combination")) } dd { (Combination::from_code(&i.combination).map(|c| c.label(lang)).unwrap_or("—")) }
                dt { (lang.pick("Périodicité", "Periodicity")) } dd { (periodicity_label(&i.periodicity, lang)) }
                dt { (lang.pick("Vérification", "Verification")) } dd { (i.verification) }
                dt { (lang.pick("Responsable", "Owner")) } dd { (i.owner_name.as_deref().unwrap_or("—")) }
            }
            h2 { (lang.pick("Où en est l'indicateur", "Where the indicator stands")) }
            @if let Some(s) = &standing { (progress_cell(lang, s)) }
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
                table {
                    caption { (lang.pick("Trajectoire : référence, cibles et valeurs réalisées", "Trajectory: baseline, targets and actual values")) }
                    thead { tr { th scope="col" { (lang.pick("Date", "Date")) } th scope="col" { (lang.pick("Point", "Point")) } th scope="col" { (lang.pick("Valeur", "Value")) } } }
                    tbody { @for point in &trajectory { tr {
                        td { (point.on) }
                        td { (match point.kind {
                            crate::domain::indicator::standing::PointKind::Baseline => lang.pick("Référence", "Baseline"),
                            crate::domain::indicator::standing::PointKind::Actual => lang.pick("Valeur réalisée", "Actual value"),
                            crate::domain::indicator::standing::PointKind::Milestone => lang.pick("Jalon", "Milestone"),
                            crate::domain::indicator::standing::PointKind::FinalTarget => lang.pick("Cible finale", "Final target"),
                        }) }
                        td { (figure(lang, point.value)) }
                    } } }
                }
            }

            @if measure != Some(Measure::Narrative) {
                h2 #reference { (lang.pick("Valeur de référence", "Baseline")) }
                @if p.baselines.is_empty() {
                    p { (lang.pick("Pas encore de valeur de référence.", "No baseline yet.")) }
                } @else {
                    table {
                        caption { (lang.pick("Historique de la référence (la dernière est en vigueur)", "Baseline history (the latest applies)")) }
                        // Outside the coalition, a baseline is its value, date, source and the
                        // reason it changed (which explains the figures); who recorded it stays
                        // with the members.
                        thead { tr { th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Date", "Date")) } th scope="col" { (lang.pick("Source", "Source")) } th scope="col" { (lang.pick("Raison du changement", "Reason for the change")) } @if private { th scope="col" { (lang.pick("Enregistrée", "Recorded")) } } } }
                        tbody { @for b in &p.baselines { tr {
                            td { (figure_text(lang, unit, b.value, b.numerator, b.denominator, None)) }
                            td { (b.measured_on) } td { (b.source) } td { (if b.reason.is_empty() { "—" } else { &b.reason }) }
                            @if private {
                                td { (b.recorded_at.get(..10).unwrap_or("")) @if let Some(n) = &b.recorded_by_name { " · " (n) } }
                            }
                        } } }
                    }
                }
                @if p.access.manages() && token.is_some() {
                    p.actions { a href={ (base) "/baseline" } { (if p.baselines.is_empty() { lang.pick("Enregistrer la valeur de référence", "Record the baseline") } else { lang.pick("Changer la valeur de référence", "Change the baseline") }) } }
                }

                h2 #cibles { (lang.pick("Cibles", "Targets")) }
                @if p.targets.is_empty() {
                    p { (lang.pick("Pas encore de cible.", "No target yet.")) }
                } @else {
                    table {
                        caption.visually-hidden { (lang.pick("Cibles", "Targets")) }
                        thead { tr { th scope="col" { (lang.pick("Échéance", "Due")) } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Type", "Kind")) } @if p.access.manages() { th scope="col" { (lang.pick("Retirer", "Remove")) } } } }
                        tbody { @for t in &p.targets { tr {
                            td { (t.due_on) } td { (figure(lang, t.value)) " " (unit) }
                            td { (if t.is_final != 0 { lang.pick("Cible finale", "Final target") } else { lang.pick("Jalon", "Milestone") }) }
                            @if let (Some(token), true) = (token, p.access.manages()) {
                                td { form.inline method="post" action={ (base) "/targets/" (t.id) "/delete" } { (csrf(token)) button.link type="submit" { (lang.pick("Retirer la cible du ", "Remove the target of ")) (t.due_on) } } }
                            }
                        } } }
                    }
                }
                @if let (Some(token), true) = (token, p.access.manages()) {
                    @let (form, errors) = match rejected { Rejected::Target(f, e) => (f.clone(), e), Rejected::StaleTarget(f, _) => (f.clone(), &no_errors), _ => (TargetForm::default(), &no_errors) };
                    details open[matches!(rejected, Rejected::Target(..) | Rejected::StaleTarget(..))] {
                        summary { (lang.pick("Ajouter ou changer une cible", "Add or change a target")) }
                        @if let Rejected::StaleTarget(typed, shown) = rejected {
                            div.error-summary role="alert" tabindex="-1" autofocus {
                                p { (lang.pick("Les cibles de cet indicateur ont changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé, puis recommencez si besoin.", "This indicator's targets changed since you opened the page: nothing was saved. See what changed, then try again if needed.")) }
                                (changes_list(lang, target_changes(lang, unit, shown, &p.targets)))
                                p { (lang.pick("Ce que vous aviez saisi n'est pas enregistré ; le voici : ", "What you typed is not saved; here it is: "))
                                    (typed.due_on) " — " (typed.value) " " (unit)
                                    @if typed.is_final { " (" (lang.pick("cible finale", "final target")) ")" }
                                }
                            }
                        }
                        (error_summary(lang, errors, &[("due_on", lang.pick("Échéance", "Due")), ("target_value", lang.pick("Valeur cible", "Target value"))]))
                        form method="post" action={ (base) "/targets" } novalidate {
                            (csrf(token))
                            input type="hidden" name="targets_shown" value=(targets_shown(&p.targets));
                            (input(lang, Input::text("due_on", lang.pick("Échéance", "Due"), &form.due_on).kind("date").hint(lang.pick("Une cible déjà fixée à cette date est remplacée.", "A target already set on that date is replaced.")).required(), errors))
                            (input(lang, Input::text("target_value", lang.pick("Valeur cible", "Target value"), &form.value).hint(if measure == Some(Measure::Percentage) { lang.pick("En pourcentage, de 0 à 100.", "As a percentage, from 0 to 100.") } else { unit }).required(), errors))
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
                table {
                    caption.visually-hidden { (lang.pick("Mesures", "Measurements")) }
                    thead { tr { th scope="col" { (lang.pick("Date", "Date")) } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Statut", "Status")) } th scope="col" { (lang.pick("Preuve", "Evidence")) } th scope="col" { (lang.pick("Détail", "Detail")) } } }
                    tbody { @for r in &visible { tr {
                        td { (r.measured_on) }
                        td { (figure_text(lang, unit, r.value, r.numerator, r.denominator, r.narrative.as_deref())) }
                        td { (measurement_status_label(&r.status, lang)) }
                        td { @if r.evidence_url.is_empty() { "—" } @else { a href=(r.evidence_url) rel="nofollow noopener" { (lang.pick("Voir la preuve", "See the evidence")) } } }
                        td { a href={ "/coalitions/" (slug) "/measurements/" (r.measurement_id) } { (if private { lang.pick("Historique", "History") } else { lang.pick("Détail", "Detail") }) @if private && r.revision > 1 { " (" (r.revision) " " (lang.pick("révisions", "revisions")) ")" } } }
                    } } }
                }
            }
            @if let (Some(token), true, Some(m)) = (token, p.access.contributes(), measure) {
                @let (form, errors) = match rejected { Rejected::Measurement(f, e) => (f.clone(), e), _ => (MeasurementForm::default(), &no_errors) };
                details open[matches!(rejected, Rejected::Measurement(..))] {
                    summary { (lang.pick("Saisir une mesure", "Enter a measurement")) }
                    (measurement_fields(lang, token, &format!("{base}/measurements"), m, &form, errors, &p.locked_years, None))
                }
            }
        },
    )
}

// One argument a part of the form, as the other form builders of this module.
#[allow(clippy::too_many_arguments)]
fn measurement_fields(
    lang: Lang,
    token: &str,
    action: &str,
    measure: Measure,
    form: &MeasurementForm,
    errors: &FieldErrors,
    locked: &[i32],
    revision: Option<i32>,
) -> Markup {
    html! {
        (error_summary(lang, errors, &[("value", lang.pick("Valeur", "Value")), ("numerator", lang.pick("Numérateur", "Numerator")), ("denominator", lang.pick("Dénominateur", "Denominator")), ("narrative", lang.pick("Constat", "Account")), ("measured_on", lang.pick("Date de la mesure", "Date of the measurement")), ("evidence_url", lang.pick("Lien vers la preuve", "Link to the evidence")), ("comment", lang.pick("Commentaire", "Comment"))]))
        form method="post" action=(action) novalidate {
            (csrf(token))
            @if let Some(revision) = revision { input type="hidden" name="revision" value=(revision); }
            (input(lang, Input::text("measured_on", lang.pick("Date de la mesure", "Date of the measurement"), &form.measured_on).kind("date").hint(&if locked.is_empty() { lang.pick("La fin de la période mesurée, par exemple 2026-12-31.", "The end of the period measured, for example 2026-12-31.").to_owned() } else { format!("{} {}", lang.pick("Années clôturées :", "Locked years:"), locked.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) }).required(), errors))
            (figure_fields(lang, measure, &form.figure, errors))
            (input(lang, Input::text("evidence_url", lang.pick("Lien vers la preuve", "Link to the evidence"), &form.evidence_url).kind("url"), errors))
            (textarea(lang, "comment", lang.pick("Commentaire", "Comment"), &form.comment, None, false, errors))
            div.actions {
                button type="submit" name="intent" value="submitted" { (lang.pick("Soumettre pour validation", "Submit for validation")) }
                " "
                button.secondary type="submit" name="intent" value="draft" { (lang.pick("Enregistrer en brouillon", "Save as draft")) }
            }
        }
    }
}

pub async fn indicator_show(
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

fn figure_form(form: &CheckedForm) -> FigureForm {
    FigureForm {
        value: form.value("value"),
        numerator: form.value("numerator"),
        denominator: form.value("denominator"),
        narrative: form.value("narrative"),
    }
}

fn rejected_page(
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

pub async fn baseline_record(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.manages())?;
    let measure = p.measure().ok_or(AppError::NotFound)?;
    let typed = BaselineForm {
        figure: figure_form(&form),
        measured_on: form.value("measured_on"),
        source: form.value("source"),
        reason: form.value("reason"),
    };
    // The form carries how many baselines its page showed: a page that showed fewer (or
    // carries none) would put a new current baseline over one recorded meanwhile, unseen.
    let shown: Option<usize> = form.value("baselines").trim().parse().ok();
    if shown != Some(p.baselines.len()) {
        return stale_baseline(&ctx, &session, &p, measure, &typed, shown);
    }
    let parsed = BaselineData::parse(&typed, measure, p.baselines.is_empty(), today());
    let data = match form.checked(parsed, &["narrative", "reason"]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                baseline_markup(&ctx, &token, &p, measure, &typed, &errors, None),
            ));
        }
    };
    let (value, numerator, denominator, _) = figure_columns(&data.value);
    let _gate = state.writes.enter().await;
    // Checked again behind the gate: a request that overlapped this one may have written.
    let now = db::baselines_of_coalition(&state.pool, &p.coalition.id)
        .await?
        .into_iter()
        .filter(|b| b.indicator_id == p.indicator.id)
        .count();
    if now != p.baselines.len() {
        let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
        return stale_baseline(&ctx, &session, &p, measure, &typed, shown);
    }
    db::insert_baseline(
        &state.pool,
        &db::NewBaseline {
            id: &db::new_id(),
            indicator_id: &p.indicator.id,
            value,
            numerator,
            denominator,
            measured_on: &data.measured_on.to_string(),
            source: &data.source,
            reason: &data.reason,
            recorded_by: Some(&user.id),
            recorded_at: &db::now(),
        },
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{slug}/indicators/{id}#reference"
    )))
}

/// The 409 page of the baseline form: the baselines recorded since the person's page, and
/// what they typed, in the form again. `p` is loaded after the change.
fn stale_baseline(
    ctx: &PageContext,
    session: &Session,
    p: &IndicatorPage,
    measure: Measure,
    typed: &BaselineForm,
    shown: Option<usize>,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::CONFLICT,
        baseline_markup(
            ctx,
            &token,
            p,
            measure,
            typed,
            &FieldErrors::new(),
            Some(shown.unwrap_or(0)),
        ),
    ))
}

pub async fn target_record(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.manages())?;
    let direction = Direction::from_code(&p.indicator.direction).ok_or(AppError::NotFound)?;
    let typed = TargetForm {
        due_on: form.value("due_on"),
        value: form.value("target_value"),
        is_final: form.get("is_final").is_some(),
    };
    // A page that showed other targets than there are now (or carries none) would replace
    // a target set meanwhile without its author knowing: refused with what changed.
    let shown = form.value("targets_shown");
    if form.get("targets_shown").is_none() || shown != targets_shown(&p.targets) {
        return stale_targets(&ctx, &session, &p, typed, shown);
    }
    let data = match form.checked(
        TargetData::parse(&typed, direction, p.current_baseline()),
        &[],
    ) {
        Ok(data) => data,
        Err(errors) => return rejected_page(&ctx, &session, &p, Rejected::Target(typed, errors)),
    };
    let _gate = state.writes.enter().await;
    // Checked again behind the gate: a request that overlapped this one may have written.
    let now = db::targets_of_coalition(&state.pool, &p.coalition.id)
        .await?
        .into_iter()
        .filter(|t| t.indicator_id == p.indicator.id)
        .collect::<Vec<_>>();
    if targets_shown(&now) != shown {
        let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
        return stale_targets(&ctx, &session, &p, typed, shown);
    }
    let mut tx = state.pool.begin().await?;
    if data.is_final {
        db::clear_final_targets(&mut *tx, &p.indicator.id).await?;
    }
    db::upsert_target(
        &mut *tx,
        &db::new_id(),
        &p.indicator.id,
        &data.due_on.to_string(),
        data.value,
        data.is_final,
        Some(&user.id),
        &db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!(
        "/coalitions/{slug}/indicators/{id}#cibles"
    )))
}

/// The 409 page of the targets form: the indicator as it is now, what changed since the
/// person's page, and what they typed, in the form again.
fn stale_targets(
    ctx: &PageContext,
    session: &Session,
    p: &IndicatorPage,
    typed: TargetForm,
    shown: String,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(session)?;
    Ok(html_response(
        StatusCode::CONFLICT,
        indicator_markup(ctx, Some(&token), p, &Rejected::StaleTarget(typed, shown)),
    ))
}

pub async fn target_delete(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    _form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id, target) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let indicator = db::indicator(&state.pool, &coalition.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !db::delete_target(&state.pool, &indicator.id, &target).await? {
        return Err(AppError::NotFound);
    }
    Ok(redirect(&format!(
        "/coalitions/{slug}/indicators/{id}#cibles"
    )))
}

fn intent_status(form: &CheckedForm) -> &'static str {
    match form.get("intent").map(String::as_str) {
        Some("draft") => "draft",
        _ => "submitted",
    }
}

pub async fn measurement_record(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.contributes())?;
    let measure = p.measure().ok_or(AppError::NotFound)?;
    let typed = MeasurementForm {
        figure: figure_form(&form),
        measured_on: form.value("measured_on"),
        evidence_url: form.value("evidence_url"),
        comment: form.value("comment"),
    };
    let parsed = MeasurementData::parse(&typed, measure, today(), &p.locked_years);
    let data = match form.checked(parsed, &["narrative", "comment"]) {
        Ok(data) => data,
        Err(errors) => {
            return rejected_page(&ctx, &session, &p, Rejected::Measurement(typed, errors));
        }
    };
    let measurement_id = db::new_id();
    let now = db::now();
    let (value, numerator, denominator, narrative) = figure_columns(&data.value);
    let _gate = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    db::insert_measurement(
        &mut *tx,
        &measurement_id,
        &p.indicator.id,
        &data.measured_on.to_string(),
        Some(&user.id),
        &now,
    )
    .await?;
    db::append_revision(
        &mut *tx,
        &db::NewRevision {
            measurement_id: &measurement_id,
            revision: 1,
            value,
            numerator,
            denominator,
            narrative,
            evidence_url: &data.evidence_url,
            comment: &data.comment,
            status: intent_status(&form),
            recorded_by: Some(&user.id),
            recorded_at: &now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!(
        "/coalitions/{slug}/measurements/{measurement_id}"
    )))
}

// --- One measurement and its revisions ---------------------------------------------------------

struct MeasurementPage {
    coalition: Coalition,
    access: CoalitionAccess,
    indicator: Indicator,
    revisions: Vec<MeasurementRevision>,
    locked: bool,
}

impl MeasurementPage {
    async fn load(
        state: &AppState,
        user: Option<&crate::web::session::SessionUser>,
        slug: &str,
        id: &str,
    ) -> Result<MeasurementPage, AppError> {
        let (coalition, access) = access::coalition(&state.pool, user, slug).await?;
        let mut revisions = db::revisions_of_measurement(&state.pool, &coalition.id, id).await?;
        let first = revisions.first().ok_or(AppError::NotFound)?;
        let current = revisions.last().ok_or(AppError::NotFound)?;
        // The public sees validated measurements only.
        if !access.reads_private() && current.status != "validated" {
            return Err(AppError::NotFound);
        }
        let indicator = db::indicator(&state.pool, &coalition.id, &first.indicator_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let year = parse_date(&first.measured_on).map(|d| d.year());
        let locked = match year {
            Some(year) => db::locked_years(&state.pool).await?.contains(&year),
            None => false,
        };
        if !access.reads_private() {
            // Outside the coalition, a measurement is its validated value, its date and its
            // source: the earlier revisions (values sent back), who recorded them and the
            // comments stay inside the coalition, so they are dropped before any page is made.
            revisions = public_revision(revisions);
        }
        Ok(MeasurementPage {
            coalition,
            access,
            indicator,
            revisions,
            locked,
        })
    }

    fn current(&self) -> Option<&MeasurementRevision> {
        self.revisions.last()
    }
}

/// What the public may read of a measurement's revisions: the current one only, without
/// who recorded it and without its comment.
fn public_revision(revisions: Vec<MeasurementRevision>) -> Vec<MeasurementRevision> {
    revisions
        .into_iter()
        .last()
        .map(|r| MeasurementRevision {
            recorded_by: None,
            recorded_by_name: None,
            comment: String::new(),
            ..r
        })
        .into_iter()
        .collect()
}

/// Why a change was not made, shown above the measurement with what the person typed.
struct Refusal<'a> {
    message: String,
    /// The revision the person's page showed: every revision after it is listed as what
    /// changed meanwhile. `None` when nothing changed (a rule refused the change).
    shown: Option<i32>,
    /// What the person typed in the revise form, given back in it.
    typed: Option<&'a MeasurementForm>,
    /// The comment typed in the validation form, given back in it.
    comment: &'a str,
}

/// The revisions made after the one the person's page showed, for a conflict page (read by
/// members who contribute, so names and comments stay inside the coalition).
fn changes_since(lang: Lang, p: &MeasurementPage, shown: i32) -> Markup {
    let unit = p.indicator.unit.as_str();
    let items = p
        .revisions
        .iter()
        .filter(|r| r.revision > shown)
        .map(|r| {
            html! {
                (lang.pick("Révision ", "Revision ")) (r.revision) " — "
                strong { (measurement_status_label(&r.status, lang)) } " — "
                (figure_text(lang, unit, r.value, r.numerator, r.denominator, r.narrative.as_deref()))
                " — " (lang.pick("par ", "by ")) (r.recorded_by_name.as_deref().unwrap_or("—"))
                (lang.pick(", le ", ", on ")) (r.recorded_at.get(..16).unwrap_or(&r.recorded_at).replace('T', " "))
                @if !r.comment.is_empty() { " — « " (r.comment) " »" }
            }
        })
        .collect();
    changes_list(lang, items)
}

fn measurement_markup(
    ctx: &PageContext,
    token: Option<&str>,
    p: &MeasurementPage,
    rejected: Option<(&MeasurementForm, &FieldErrors)>,
    refusal: Option<&Refusal<'_>>,
) -> Markup {
    let lang = ctx.lang;
    let slug = &p.coalition.slug;
    let i = &p.indicator;
    let Some(current) = p.current() else {
        return html! {};
    };
    let title = format!(
        "{} {} — {}",
        lang.pick("Mesure du", "Measurement of"),
        current.measured_on,
        i.code
    );
    let action = format!("/coalitions/{slug}/measurements/{}", current.measurement_id);
    let unit = i.unit.as_str();
    let status = current.status.as_str();
    let measure = measure_of(i);
    let typed = rejected.map(|(f, _)| f).or(refusal.and_then(|r| r.typed));
    let revise_form = typed.cloned().unwrap_or_else(|| MeasurementForm {
        figure: FigureForm {
            value: current.value.map(|v| v.to_string()).unwrap_or_default(),
            numerator: current.numerator.map(|v| v.to_string()).unwrap_or_default(),
            denominator: current
                .denominator
                .map(|v| v.to_string())
                .unwrap_or_default(),
            narrative: current.narrative.clone().unwrap_or_default(),
        },
        measured_on: current.measured_on.clone(),
        evidence_url: current.evidence_url.clone(),
        comment: String::new(),
    });
    let comment = refusal.map(|r| r.comment).unwrap_or("");
    let no_errors = FieldErrors::new();
    // Every form carries the revision this page shows: a change made from an older page is
    // refused (409) instead of undoing what happened since.
    let revision_field = html! { input type="hidden" name="revision" value=(current.revision); };
    let private = p.access.reads_private();
    page(
        ctx,
        &title,
        html! {
            p { a href={ "/coalitions/" (slug) "/indicators/" (i.id) } { "← " (i.code) " — " (i.name) } }
            h1 { (title) }
            @if let Some(refusal) = refusal {
                div.error-summary role="alert" tabindex="-1" autofocus {
                    p { (refusal.message) }
                    @if let Some(shown) = refusal.shown { (changes_since(lang, p, shown)) }
                    @if let Some(typed) = refusal.typed {
                        p { (lang.pick("Ce que vous aviez saisi n'est pas enregistré ; le voici : ", "What you typed is not saved; here it is: "))
                            (figure_text(lang, unit, typed.figure.value.trim().parse().ok(), typed.figure.numerator.trim().parse().ok(), typed.figure.denominator.trim().parse().ok(), Some(typed.figure.narrative.as_str()).filter(|n| !n.trim().is_empty())))
                            @if !typed.evidence_url.trim().is_empty() { " — " (typed.evidence_url) }
                            @if !typed.comment.trim().is_empty() { " — « " (typed.comment) " »" }
                        }
                    }
                    @if !refusal.comment.trim().is_empty() && refusal.typed.is_none() {
                        p { (lang.pick("Votre commentaire n'est pas enregistré ; le voici : ", "Your comment is not saved; here it is: ")) "« " (refusal.comment) " »" }
                    }
                }
            }
            dl.meta {
                dt { (lang.pick("Valeur", "Value")) } dd { (figure_text(lang, unit, current.value, current.numerator, current.denominator, current.narrative.as_deref())) }
                dt { (lang.pick("Statut", "Status")) } dd { strong { (measurement_status_label(status, lang)) } }
                @if !private {
                    dt { (lang.pick("Source", "Source")) }
                    dd { @if current.evidence_url.is_empty() { "—" } @else { a href=(current.evidence_url) rel="nofollow noopener" { (lang.pick("Voir la preuve", "See the evidence")) } } }
                }
                @if p.locked { dt { (lang.pick("Année", "Year")) } dd { (lang.pick("Clôturée : le rapport d'évaluation de cette année est publié.", "Locked: this year's evaluation report is published.")) } }
            }
            @if private {
                h2 { (lang.pick("Historique des révisions", "Revision history")) }
                p.hint { (lang.pick("Rien n'est écrasé : chaque changement de valeur ou de statut ajoute une révision. Cet historique, les noms et les commentaires ne sont lus que par les membres de la coalition et l'équipe du programme.", "Nothing is overwritten: each change of value or status adds a revision. This history, the names and the comments are read only by the coalition's members and the programme staff.")) }
                table {
                    caption.visually-hidden { (lang.pick("Révisions", "Revisions")) }
                    thead { tr { th scope="col" { "#" } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Statut", "Status")) } th scope="col" { (lang.pick("Par", "By")) } th scope="col" { (lang.pick("Le", "On")) } th scope="col" { (lang.pick("Commentaire", "Comment")) } } }
                    tbody { @for r in &p.revisions { tr {
                        td { (r.revision) }
                        td { (figure_text(lang, unit, r.value, r.numerator, r.denominator, r.narrative.as_deref())) }
                        td { (measurement_status_label(&r.status, lang)) }
                        td { (r.recorded_by_name.as_deref().unwrap_or("—")) }
                        td { (r.recorded_at.get(..16).unwrap_or(&r.recorded_at).replace('T', " ")) }
                        td { (if r.comment.is_empty() { "—" } else { &r.comment }) }
                    } } }
                }
            }
            @if let (Some(token), false) = (token, p.locked) {
                @if status == "draft" && p.access.contributes() {
                    form method="post" action={ (action) "/status" } {
                        (csrf(token)) (revision_field) input type="hidden" name="to" value="submitted";
                        button type="submit" { (lang.pick("Soumettre pour validation", "Submit for validation")) }
                    }
                }
                @if status == "submitted" && p.access.validates() {
                    h2 { (lang.pick("Validation", "Validation")) }
                    form method="post" action={ (action) "/status" } {
                        (csrf(token)) (revision_field)
                        (textarea(lang, "comment", lang.pick("Commentaire", "Comment"), comment, Some(lang.pick("Obligatoire pour renvoyer la mesure : dites ce qui manque.", "Required to send the measurement back: say what is missing.")), false, &no_errors))
                        div.actions {
                            button type="submit" name="to" value="validated" { (lang.pick("Valider la mesure", "Validate the measurement")) }
                            " "
                            button.secondary type="submit" name="to" value="draft" { (lang.pick("Renvoyer en brouillon", "Send back to draft")) }
                        }
                    }
                }
                @if p.access.contributes() && (status != "validated" || p.access.validates()) {
                    @if let Some(m) = measure {
                        h2 { (lang.pick("Corriger la mesure", "Correct the measurement")) }
                        @if status == "validated" { p.hint { (lang.pick("Une correction repasse la mesure en attente de validation.", "A correction puts the measurement back awaiting validation.")) } }
                        (measurement_fields(lang, token, &format!("{action}/revise"), m, &revise_form, rejected.map(|(_, e)| e).unwrap_or(&no_errors), &[], Some(current.revision)))
                    }
                }
            }
        },
    )
}

pub async fn measurement_show(
    ctx: PageContext,
    MaybeUser(user): MaybeUser,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = MeasurementPage::load(&state, user.as_ref(), &slug, &id).await?;
    let token = if p.access.contributes() {
        Some(session::csrf_token(&session)?)
    } else {
        None
    };
    Ok(html_response(
        StatusCode::OK,
        measurement_markup(&ctx, token.as_deref(), &p, None, None),
    ))
}

/// The revision the person's page showed, as its forms carry it; `None` when the form
/// carries none (a page older than this rule), which counts as stale.
fn shown_revision(form: &CheckedForm) -> Option<i32> {
    form.value("revision").trim().parse().ok()
}

/// The list of what changed since the person opened the page, on every 409 page of this
/// module (a measurement's revisions, an indicator's baselines or targets).
fn changes_list(lang: Lang, items: Vec<Markup>) -> Markup {
    html! {
        h3 { (lang.pick("Ce qui a changé depuis que vous avez ouvert la page", "What changed since you opened the page")) }
        ul { @for item in items { li { (item) } } }
    }
}

/// What the targets form showed: every target of the indicator, as `due=value:final` joined
/// by `;`. A target set meanwhile replaces that date's, and a final one unmarks the others,
/// so the whole set is compared, and it is carried in full so the 409 page can say what
/// changed without anything kept on the server.
fn targets_shown(targets: &[TargetRow]) -> String {
    targets
        .iter()
        .map(|t| format!("{}={}:{}", t.due_on, t.value, t.is_final))
        .collect::<Vec<_>>()
        .join(";")
}

/// Date by date, how the targets now differ from those the person's page showed.
fn target_changes(lang: Lang, unit: &str, shown: &str, now: &[TargetRow]) -> Vec<Markup> {
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
    let after: std::collections::BTreeMap<&str, (String, bool)> = now
        .iter()
        .map(|t| (t.due_on.as_str(), (t.value.to_string(), t.is_final != 0)))
        .collect();
    let mut dates: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    dates.sort_unstable();
    dates.dedup();
    dates
        .into_iter()
        .filter_map(|due| match (before.get(due), after.get(due)) {
            (Some((v, f)), Some((w, g))) if (*v, *f) != (w.as_str(), *g) => Some(html! {
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

/// Appends the revision after the one the person's page showed. The primary key
/// (measurement, revision) refuses it when anyone appended that number first, even a request
/// overlapping this one inside the server: `false` then, and nothing is written.
async fn append_after(
    state: &AppState,
    shown: i32,
    next: db::NewRevision<'_>,
) -> Result<bool, AppError> {
    let _gate = state.writes.enter().await;
    Ok(db::append_revision(
        &state.pool,
        &db::NewRevision {
            revision: shown + 1,
            ..next
        },
    )
    .await?)
}

/// The 409 page: the measurement as it is now, what changed since the person's page, and
/// what they typed. `p` must be loaded after the change that made their page stale.
fn conflict_page(
    ctx: &PageContext,
    session: &Session,
    p: &MeasurementPage,
    shown: Option<i32>,
    typed: Option<&MeasurementForm>,
    comment: &str,
    to: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let current = p.current().ok_or(AppError::NotFound)?;
    let by = current.recorded_by_name.as_deref().unwrap_or("—");
    let on = current
        .recorded_at
        .get(..16)
        .unwrap_or(&current.recorded_at)
        .replace('T', " ");
    let message = if to == Some(current.status.as_str()) {
        // The change asked for is already made, most often a second click on « Valider ».
        format!(
            "{} « {} » {} {by} {} {on} : {}",
            lang.pick("Cette mesure est déjà", "This measurement is already"),
            measurement_status_label(&current.status, lang),
            lang.pick("par", "by"),
            lang.pick("le", "on"),
            lang.pick(
                "votre demande n'a rien changé.",
                "your request changed nothing."
            ),
        )
    } else {
        lang.pick(
            "Cette mesure a changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé, puis recommencez si besoin.",
            "This measurement changed since you opened the page: nothing was saved. See what changed, then try again if needed.",
        )
        .to_owned()
    };
    let token = session::csrf_token(session)?;
    let refusal = Refusal {
        message,
        shown: Some(shown.unwrap_or(0)),
        typed,
        comment,
    };
    Ok(html_response(
        StatusCode::CONFLICT,
        measurement_markup(ctx, Some(&token), p, None, Some(&refusal)),
    ))
}

pub async fn measurement_revise(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.contributes())?;
    let current = p.current().ok_or(AppError::NotFound)?;
    let measure = measure_of(&p.indicator).ok_or(AppError::NotFound)?;
    let typed = MeasurementForm {
        figure: figure_form(&form),
        measured_on: current.measured_on.clone(),
        evidence_url: form.value("evidence_url"),
        comment: form.value("comment"),
    };
    let shown = shown_revision(&form);
    if shown != Some(current.revision) {
        return conflict_page(&ctx, &session, &p, shown, Some(&typed), "", None);
    }
    // A validated measurement is corrected by staff only.
    p.access
        .require(current.status != "validated" || p.access.validates())?;
    let locked = db::locked_years(&state.pool).await?;
    let data = match form.checked(
        MeasurementData::parse(&typed, measure, today(), &locked),
        &["narrative", "comment"],
    ) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                measurement_markup(&ctx, Some(&token), &p, Some((&typed, &errors)), None),
            ));
        }
    };
    let (value, numerator, denominator, narrative) = figure_columns(&data.value);
    let appended = append_after(
        &state,
        current.revision,
        db::NewRevision {
            measurement_id: &current.measurement_id,
            revision: 0,
            value,
            numerator,
            denominator,
            narrative,
            evidence_url: &data.evidence_url,
            comment: &data.comment,
            status: intent_status(&form),
            recorded_by: Some(&user.id),
            recorded_at: &db::now(),
        },
    )
    .await?;
    if appended {
        return Ok(redirect(&format!("/coalitions/{slug}/measurements/{id}")));
    }
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    conflict_page(&ctx, &session, &p, shown, Some(&typed), "", None)
}

pub async fn measurement_status(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    let current = p.current().ok_or(AppError::NotFound)?;
    let to = form.value("to");
    let comment = form.value("comment").trim().to_owned();
    let lang = ctx.lang;
    // Who may ask for which status at all: contributors submit, staff validate and send back.
    let may_ask = match to.as_str() {
        "submitted" => p.access.contributes(),
        "validated" | "draft" => p.access.validates(),
        _ => false,
    };
    p.access.require(may_ask)?;
    // A page older than the measurement's current revision is refused with what changed
    // (a second « Valider » included), before the move is checked against the new status.
    let shown = shown_revision(&form);
    if shown != Some(current.revision) {
        return conflict_page(&ctx, &session, &p, shown, None, &comment, Some(&to));
    }
    // Which moves exist, from the current status.
    let allowed = matches!(
        (current.status.as_str(), to.as_str()),
        ("draft", "submitted")
            | ("submitted", "validated")
            | ("submitted", "draft")
            | ("validated", "draft")
    );
    if !allowed {
        if current.status == to {
            // Asked twice from the same page (two tabs, a resent form): say it is done.
            return conflict_page(
                &ctx,
                &session,
                &p,
                Some(current.revision),
                None,
                &comment,
                Some(&to),
            );
        }
        return Err(AppError::Forbidden);
    }
    let bad_comment = form
        .text_error("comment", true)
        .map(|(fr, en)| lang.pick(&fr, &en).to_owned());
    let problem = if let Some(bad) = bad_comment.as_deref() {
        Some(bad)
    } else if p.locked {
        Some(lang.pick(
            "L'année de cette mesure est clôturée : elle ne peut plus changer.",
            "This measurement's year is locked: it can no longer change.",
        ))
    } else if to == "draft" && comment.is_empty() {
        Some(lang.pick(
            "Pour renvoyer une mesure, dites dans le commentaire ce qui manque.",
            "To send a measurement back, say in the comment what is missing.",
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let token = session::csrf_token(&session)?;
        let refusal = Refusal {
            message: problem.to_owned(),
            shown: None,
            typed: None,
            comment: &comment,
        };
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            measurement_markup(&ctx, Some(&token), &p, None, Some(&refusal)),
        ));
    }
    let appended = append_after(
        &state,
        current.revision,
        db::NewRevision {
            measurement_id: &current.measurement_id,
            revision: 0,
            value: current.value,
            numerator: current.numerator,
            denominator: current.denominator,
            narrative: current.narrative.as_deref(),
            evidence_url: &current.evidence_url,
            comment: &comment,
            status: &to,
            recorded_by: Some(&user.id),
            recorded_at: &db::now(),
        },
    )
    .await?;
    if appended {
        return Ok(redirect(&format!("/coalitions/{slug}/measurements/{id}")));
    }
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    conflict_page(&ctx, &session, &p, shown, None, &comment, Some(&to))
}

/// The baseline form, on a page of its own: its fields share names with the measurement form
/// of the indicator page, and one page must not hold two fields with the same id.
fn baseline_markup(
    ctx: &PageContext,
    token: &str,
    p: &IndicatorPage,
    measure: Measure,
    form: &BaselineForm,
    errors: &FieldErrors,
    stale: Option<usize>,
) -> Markup {
    let lang = ctx.lang;
    let i = &p.indicator;
    let first = p.baselines.is_empty();
    // The baselines recorded after those the person's page showed (they are in the order
    // they were recorded), for the 409 page.
    let changes: Vec<Markup> = stale
        .map(|shown| {
            p.baselines
                .iter()
                .skip(shown)
                .map(|b| {
                    html! {
                        strong { (figure_text(lang, &i.unit, b.value, b.numerator, b.denominator, None)) }
                        " (" (b.measured_on) ", " (b.source) ")"
                        @if !b.reason.is_empty() { " — « " (b.reason) " »" }
                        " — " (lang.pick("par ", "by ")) (b.recorded_by_name.as_deref().unwrap_or("—"))
                        (lang.pick(", le ", ", on ")) (b.recorded_at.get(..16).unwrap_or(&b.recorded_at).replace('T', " "))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let title = format!(
        "{} — {}",
        if first {
            lang.pick("Valeur de référence", "Baseline")
        } else {
            lang.pick("Changer la valeur de référence", "Change the baseline")
        },
        i.code
    );
    let base = format!("/coalitions/{}/indicators/{}", p.coalition.slug, i.id);
    page(
        ctx,
        &title,
        html! {
            p { a href={ (base) "#reference" } { "← " (i.code) " — " (i.name) } }
            h1 { (title) }
            @if stale.is_some() {
                div.error-summary role="alert" tabindex="-1" autofocus {
                    p { (lang.pick("La valeur de référence a changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé ; ce que vous aviez saisi est resté dans le formulaire, enregistrez-le de nouveau si besoin.", "The baseline changed since you opened the page: nothing was saved. See what changed; what you typed is still in the form, save it again if needed.")) }
                    (changes_list(lang, changes))
                }
            }
            @if !first { p { (lang.pick("L'ancienne référence reste dans l'historique de l'indicateur, avec la raison du changement.", "The former baseline stays in the indicator's history, with the reason for the change.")) } }
            (error_summary(lang, errors, &[("value", lang.pick("Valeur", "Value")), ("numerator", lang.pick("Numérateur", "Numerator")), ("denominator", lang.pick("Dénominateur", "Denominator")), ("measured_on", lang.pick("Date de la valeur", "Date of the value")), ("source", lang.pick("Source", "Source")), ("reason", lang.pick("Raison du changement", "Reason for the change"))]))
            form method="post" action={ (base) "/baseline" } novalidate {
                (csrf(token))
                input type="hidden" name="baselines" value=(p.baselines.len());
                (figure_fields(lang, measure, &form.figure, errors))
                (input(lang, Input::text("measured_on", lang.pick("Date de la valeur", "Date of the value"), &form.measured_on).kind("date").required(), errors))
                (input(lang, Input::text("source", lang.pick("Source", "Source"), &form.source).required(), errors))
                @if !first {
                    (textarea(lang, "reason", lang.pick("Raison du changement", "Reason for the change"), &form.reason, None, true, errors))
                }
                button type="submit" { (lang.pick("Enregistrer la référence", "Save the baseline")) }
            }
        },
    )
}

pub async fn baseline_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = IndicatorPage::load(&state, Some(&user), &slug, &id).await?;
    p.access.require(p.access.manages())?;
    let measure = p.measure().ok_or(AppError::NotFound)?;
    if measure == Measure::Narrative {
        return Err(AppError::NotFound);
    }
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        baseline_markup(
            &ctx,
            &token,
            &p,
            measure,
            &BaselineForm::default(),
            &FieldErrors::new(),
            None,
        ),
    ))
}

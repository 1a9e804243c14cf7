//! An indicator's measurements: recording one from the indicator's page, and each
//! measurement's page (its value, status and revisions) with the forms that submit,
//! validate, send back and correct it. Which status changes exist, and who may ask for them,
//! is the core's rule ([`crate::domain::indicator::measurement`]), asked by the use case.

use crate::app::error::AppError;
use crate::app::indicators::{self, MeasurementView, StatusChange, StatusRefusal, Written};
use crate::db::Coalition;
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::indicator::forms::{
    FigureForm, MeasurementData, MeasurementForm, figure_columns,
};
use crate::domain::indicator::measurement::{MeasurementRights, MeasurementStatus};
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::pages::coalition::indicators::{
    IndicatorPage, Rejected, figure_form, rejected_page,
};
use crate::web::session::{self, CheckedForm, MaybeUser, SessionUser, User};
use crate::web::today;
use crate::web::ui::figures::{changes_list, figure_text, measurement_fields, typed_figure};
use crate::web::ui::forms::{csrf, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::{scroll_table, typed_text};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

fn rights(access: CoalitionAccess) -> MeasurementRights {
    MeasurementRights {
        contributes: access.contributes(),
        validates: access.validates(),
    }
}

/// The status a posted measurement form asks for: saved as a draft, or submitted.
fn entry_status(form: &CheckedForm) -> MeasurementStatus {
    MeasurementStatus::of_entry(form.get("intent").map(String::as_str))
}

fn measurement_form(form: &CheckedForm, measured_on: String) -> MeasurementForm {
    MeasurementForm {
        figure: figure_form(form),
        measured_on,
        evidence_url: form.value("evidence_url"),
        comment: form.value("comment"),
    }
}

/// Records a measurement from the indicator's page.
pub async fn record(
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
    let typed = measurement_form(&form, form.value("measured_on"));
    let parsed = MeasurementData::parse(
        &typed,
        p.view.indicator.measure,
        today(),
        &p.view.locked_years,
    );
    let data = match form.checked(parsed, &["narrative", "comment"]) {
        Ok(data) => data,
        Err(errors) => {
            return rejected_page(&ctx, &session, &p, Rejected::Measurement(typed, errors));
        }
    };
    let measurement_id = indicators::record_measurement(
        &state.pool,
        &state.writes,
        &p.view.indicator.id,
        &data,
        entry_status(&form),
        &user.id,
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{slug}/measurements/{measurement_id}"
    )))
}

// --- One measurement and its revisions ---------------------------------------------------------

struct MeasurementPage {
    coalition: Coalition,
    access: CoalitionAccess,
    view: MeasurementView,
}

impl MeasurementPage {
    async fn load(
        state: &AppState,
        user: Option<&SessionUser>,
        slug: &str,
        id: &str,
    ) -> Result<MeasurementPage, AppError> {
        let (coalition, access) = access::coalition(&state.pool, user, slug).await?;
        let view =
            MeasurementView::load(&state.pool, &coalition.id, access.reads_private(), id).await?;
        Ok(MeasurementPage {
            coalition,
            access,
            view,
        })
    }
}

/// Why a change was not made, shown above the measurement with what the person typed.
struct Refusal<'a> {
    message: String,
    /// The revision the person's page showed: every revision after it is listed as what
    /// changed meanwhile. `None` when nothing changed (a rule refused the change).
    shown: Option<i32>,
    /// What the person typed in the correction form, given back in it.
    typed: Option<&'a MeasurementForm>,
    /// The comment typed in the validation form, given back in it.
    comment: &'a str,
}

/// The revisions made after the one the person's page showed, for a conflict page (read by
/// members who contribute, so names and comments stay inside the coalition).
fn changes_since(lang: Lang, p: &MeasurementPage, shown: i32) -> Markup {
    let unit = p.view.indicator.unit.as_str();
    let items = p
        .view
        .revisions
        .iter()
        .filter(|r| r.revision > shown)
        .map(|r| {
            html! {
                (lang.pick("Révision ", "Revision ")) (r.revision) " — "
                strong { (r.status.label(lang)) } " — "
                (figure_text(lang, unit, r.value.as_ref()))
                " — " (lang.pick("par ", "by ")) (r.recorded_by_name.as_deref().unwrap_or("—"))
                (lang.pick(", le ", ", on ")) (lang.date_time(&r.recorded_at))
                @if !r.comment.is_empty() { " — « " (typed_text(lang, Lang::Fr, &r.comment)) " »" }
            }
        })
        .collect();
    changes_list(lang, items)
}

/// The value fields filled with a stored value, to correct it.
fn figure_of(value: Option<&crate::domain::indicator::Value>) -> FigureForm {
    let (value, numerator, denominator, narrative) = match value {
        Some(value) => figure_columns(value),
        None => (None, None, None, None),
    };
    let text = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    FigureForm {
        value: text(value),
        numerator: text(numerator),
        denominator: text(denominator),
        narrative: narrative.unwrap_or_default().to_owned(),
    }
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
    let i = &p.view.indicator;
    let Some(current) = p.view.current() else {
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
    let status = current.status;
    let typed = rejected.map(|(f, _)| f).or(refusal.and_then(|r| r.typed));
    let revise_form = typed.cloned().unwrap_or_else(|| MeasurementForm {
        figure: figure_of(current.value.as_ref()),
        measured_on: current.measured_on.to_string(),
        evidence_url: current.evidence_url.clone(),
        comment: String::new(),
    });
    let comment = refusal.map(|r| r.comment).unwrap_or("");
    let no_errors = FieldErrors::new();
    // Every form carries the revision this page shows: a change made from an older page is
    // refused (409) instead of undoing what happened since.
    let revision_field = html! { input type="hidden" name="revision" value=(current.revision); };
    let private = p.access.reads_private();
    let rights = rights(p.access);
    page(
        ctx,
        &title,
        html! {
            p { a href={ "/coalitions/" (slug) "/indicators/" (i.id) } { "← " (i.code) " — " (typed_text(lang, Lang::Fr, &i.name)) } }
            h1 { (title) }
            @if let Some(refusal) = refusal {
                div.error-summary role="alert" tabindex="-1" autofocus {
                    p { (refusal.message) }
                    @if let Some(shown) = refusal.shown { (changes_since(lang, p, shown)) }
                    @if let Some(typed) = refusal.typed {
                        p { (lang.pick("Ce que vous aviez saisi n'est pas enregistré ; le voici : ", "What you typed is not saved; here it is: "))
                            (figure_text(lang, unit, typed_figure(&typed.figure).as_ref()))
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
                dt { (lang.pick("Valeur", "Value")) } dd { (figure_text(lang, unit, current.value.as_ref())) }
                dt { (lang.pick("Statut", "Status")) } dd { strong { (status.label(lang)) } }
                @if !private {
                    dt { "Source" }
                    dd { @if current.evidence_url.is_empty() { "—" } @else { a href=(current.evidence_url) rel="nofollow noopener" { (lang.pick("Voir la preuve", "See the evidence")) } } }
                }
                @if p.view.locked { dt { (lang.pick("Année", "Year")) } dd { (lang.pick("Clôturée : le rapport d'évaluation de cette année est publié.", "Locked: this year's evaluation report is published.")) } }
            }
            @if private {
                h2 { (lang.pick("Historique des révisions", "Revision history")) }
                p.hint { (lang.pick("Rien n'est écrasé : chaque changement de valeur ou de statut ajoute une révision. Cet historique, les noms et les commentaires ne sont lus que par les membres de la coalition et l'équipe du programme.", "Nothing is overwritten: each change of value or status adds a revision. This history, the names and the comments are read only by the coalition's members and the programme staff.")) }
                (scroll_table("revisions-table", html! { table {
                    caption.visually-hidden #revisions-table { (lang.pick("Révisions", "Revisions")) }
                    thead { tr { th scope="col" { "#" } th scope="col" { (lang.pick("Valeur", "Value")) } th scope="col" { (lang.pick("Statut", "Status")) } th scope="col" { (lang.pick("Par", "By")) } th scope="col" { (lang.pick("Le", "On")) } th scope="col" { (lang.pick("Commentaire", "Comment")) } } }
                    tbody { @for r in &p.view.revisions { tr {
                        td { (r.revision) }
                        td { (figure_text(lang, unit, r.value.as_ref())) }
                        td { (r.status.label(lang)) }
                        td { (r.recorded_by_name.as_deref().unwrap_or("—")) }
                        td { (lang.date_time(&r.recorded_at)) }
                        td { (if r.comment.is_empty() { "—" } else { &r.comment }) }
                    } } }
                } }))
            }
            @if let (Some(token), false) = (token, p.view.locked) {
                @if status.change(MeasurementStatus::Submitted, rights).is_ok() {
                    form method="post" action={ (action) "/status" } {
                        (csrf(token)) (revision_field) input type="hidden" name="to" value=(MeasurementStatus::Submitted.code());
                        button type="submit" { (lang.pick("Soumettre pour validation", "Submit for validation")) }
                    }
                }
                @if status.change(MeasurementStatus::Validated, rights).is_ok() {
                    h2 { "Validation" }
                    form method="post" action={ (action) "/status" } {
                        (csrf(token)) (revision_field)
                        (textarea(lang, "comment", lang.pick("Commentaire", "Comment"), comment, Some(lang.pick("Obligatoire pour renvoyer la mesure : dites ce qui manque.", "Required to send the measurement back: say what is missing.")), false, &no_errors))
                        div.actions {
                            button type="submit" name="to" value=(MeasurementStatus::Validated.code()) { (lang.pick("Valider la mesure", "Validate the measurement")) }
                            " "
                            button.secondary type="submit" name="to" value=(MeasurementStatus::Draft.code()) { (lang.pick("Renvoyer en brouillon", "Send back to draft")) }
                        }
                    }
                }
                @if status.may_be_corrected_by(rights) {
                    h2 { (lang.pick("Corriger la mesure", "Correct the measurement")) }
                    @if status == MeasurementStatus::Validated { p.hint { (lang.pick("Une correction repasse la mesure en attente de validation.", "A correction puts the measurement back awaiting validation.")) } }
                    (measurement_fields(lang, token, &format!("{action}/revise"), i.measure, &revise_form, rejected.map(|(_, e)| e).unwrap_or(&no_errors), &[], Some(current.revision)))
                }
            }
        },
    )
}

pub async fn show(
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

/// The 409 page: the measurement as it is now, what changed since the person's page, and
/// what they typed. `p` must be loaded after the change that made their page stale.
fn conflict_page(
    ctx: &PageContext,
    session: &Session,
    p: &MeasurementPage,
    shown: Option<i32>,
    typed: Option<&MeasurementForm>,
    comment: &str,
    to: Option<MeasurementStatus>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let current = p.view.current().ok_or(AppError::NotFound)?;
    let by = current.recorded_by_name.as_deref().unwrap_or("—");
    let on = lang.date_time(&current.recorded_at);
    let message = if to == Some(current.status) {
        // The change asked for is already made, most often a second click on « Valider ».
        format!(
            "{} « {} » {} {by} {} {on} : {}",
            lang.pick("Cette mesure est déjà", "This measurement is already"),
            current.status.label(lang),
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

/// Corrects a measurement: a new value, as a draft or submitted again.
pub async fn revise(
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
    let current = p.view.current().ok_or(AppError::NotFound)?;
    let typed = measurement_form(&form, current.measured_on.to_string());
    let shown = shown_revision(&form);
    if shown != Some(current.revision) {
        return conflict_page(&ctx, &session, &p, shown, Some(&typed), "", None);
    }
    p.access
        .require(current.status.may_be_corrected_by(rights(p.access)))?;
    let locked = indicators::locked_years(&state.pool).await?;
    let data = match form.checked(
        MeasurementData::parse(&typed, p.view.indicator.measure, today(), &locked),
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
    let written = indicators::correct_measurement(
        &state.pool,
        &state.writes,
        current,
        &data,
        entry_status(&form),
        &user.id,
    )
    .await?;
    if written == Written::Done {
        return Ok(redirect(&format!("/coalitions/{slug}/measurements/{id}")));
    }
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    conflict_page(&ctx, &session, &p, shown, Some(&typed), "", None)
}

/// Submits, validates or sends back a measurement.
pub async fn change_status(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
    let to = MeasurementStatus::from_code(&form.value("to"));
    let comment = form.value("comment").trim().to_owned();
    let lang = ctx.lang;
    let outcome = indicators::change_measurement_status(
        &state.pool,
        &state.writes,
        &p.view,
        rights(p.access),
        shown_revision(&form),
        to,
        &comment,
        form.text_error("comment", true),
        &user.id,
    )
    .await?;
    match outcome {
        StatusChange::Changed => Ok(redirect(&format!("/coalitions/{slug}/measurements/{id}"))),
        StatusChange::Conflict { shown } => {
            let p = MeasurementPage::load(&state, Some(&user), &slug, &id).await?;
            conflict_page(&ctx, &session, &p, shown, None, &comment, to)
        }
        StatusChange::Refused(refusal) => {
            let message = match &refusal {
                StatusRefusal::CommentText(fr, en) => lang.pick(fr, en).to_owned(),
                StatusRefusal::LockedYear => lang
                    .pick(
                        "L'année de cette mesure est clôturée : elle ne peut plus changer.",
                        "This measurement's year is locked: it can no longer change.",
                    )
                    .to_owned(),
                StatusRefusal::CommentMissing => lang
                    .pick(
                        "Pour renvoyer une mesure, dites dans le commentaire ce qui manque.",
                        "To send a measurement back, say in the comment what is missing.",
                    )
                    .to_owned(),
            };
            let token = session::csrf_token(&session)?;
            let refusal = Refusal {
                message,
                shown: None,
                typed: None,
                comment: &comment,
            };
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                measurement_markup(&ctx, Some(&token), &p, None, Some(&refusal)),
            ))
        }
    }
}

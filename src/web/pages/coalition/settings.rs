//! A coalition's identity and stages: the programme staff create a coalition; its porteurs,
//! co-porteurs and the staff edit its identity (texts in French with an optional English
//! version, scale, qualities, levers) and move it to a new stage, kept in its history.

use crate::app;
use crate::app::error::AppError;
use crate::db::Coalition;
use crate::domain::coalition::{
    CoalitionData, CoalitionForm, Scale, Stage, StageChange, StageForm,
};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::{CoalitionFamily, Quality};
use crate::web::AppState;
use crate::web::access;
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared::{back_to, stage_history};
use crate::web::session::{self, CheckedForm, User};
use crate::web::today;
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

fn form_of(coalition: &Coalition) -> CoalitionForm {
    CoalitionForm {
        slug: coalition.slug.clone(),
        family: coalition.family.code().to_owned(),
        name_fr: coalition.name_fr.clone(),
        name_en: coalition.name_en.clone(),
        problem_fr: coalition.problem_fr.clone(),
        problem_en: coalition.problem_en.clone(),
        impact_fr: coalition.impact_fr.clone(),
        impact_en: coalition.impact_en.clone(),
        narrative_fr: coalition.narrative_fr.clone(),
        narrative_en: coalition.narrative_en.clone(),
        scale: coalition.scale.code().to_owned(),
        primary_quality: coalition.primary_quality.code().to_owned(),
        secondary_qualities: coalition
            .secondary_qualities
            .iter()
            .map(|q| q.code().to_owned())
            .collect(),
        lever_commande_fr: coalition.lever_commande_fr.clone(),
        lever_commande_en: coalition.lever_commande_en.clone(),
        lever_offre_fr: coalition.lever_offre_fr.clone(),
        lever_offre_en: coalition.lever_offre_en.clone(),
        lever_usages_fr: coalition.lever_usages_fr.clone(),
        lever_usages_en: coalition.lever_usages_en.clone(),
    }
}

/// The identity form's text areas (see `identity_form`).
const IDENTITY_TEXT_AREAS: &[&str] = &[
    "problem_fr",
    "problem_en",
    "impact_fr",
    "impact_en",
    "narrative_fr",
    "narrative_en",
    "lever_commande_fr",
    "lever_commande_en",
    "lever_offre_fr",
    "lever_offre_en",
    "lever_usages_fr",
    "lever_usages_en",
];

fn typed_identity(form: &CheckedForm) -> CoalitionForm {
    CoalitionForm {
        slug: form.value("slug"),
        family: form.value("family"),
        name_fr: form.value("name_fr"),
        name_en: form.value("name_en"),
        problem_fr: form.value("problem_fr"),
        problem_en: form.value("problem_en"),
        impact_fr: form.value("impact_fr"),
        impact_en: form.value("impact_en"),
        narrative_fr: form.value("narrative_fr"),
        narrative_en: form.value("narrative_en"),
        scale: form.value("scale"),
        primary_quality: form.value("primary_quality"),
        secondary_qualities: form
            .pairs()
            .iter()
            .filter(|(name, _)| name == "secondary_qualities")
            .map(|(_, value)| value.clone())
            .collect(),
        lever_commande_fr: form.value("lever_commande_fr"),
        lever_commande_en: form.value("lever_commande_en"),
        lever_offre_fr: form.value("lever_offre_fr"),
        lever_offre_en: form.value("lever_offre_en"),
        lever_usages_fr: form.value("lever_usages_fr"),
        lever_usages_en: form.value("lever_usages_en"),
    }
}

fn require_staff(user: &crate::web::session::SessionUser) -> Result<(), AppError> {
    if user.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn new_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
) -> Result<HttpResponse, AppError> {
    require_staff(&user)?;
    let token = session::csrf_token(&session)?;
    let lang = ctx.lang;
    let title = lang.pick("Créer une coalition", "Create a coalition");
    let body = html! {
        p { a href="/coalitions" { "← " (lang.pick("Les coalitions", "The coalitions")) } }
        h1 { (title) }
        (identity_form(lang, &token, None, &CoalitionForm::default(), &FieldErrors::new()))
    };
    Ok(html_response(StatusCode::OK, page(&ctx, title, body)))
}

pub async fn create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    require_staff(&user)?;
    let typed = typed_identity(&form);
    let decided = match form.checked(CoalitionData::try_from(&typed), IDENTITY_TEXT_AREAS) {
        Ok(data) => {
            app::coalitions::create(&state.pool, &state.writes, &user.id, &data, today()).await?
        }
        Err(errors) => Err(errors),
    };
    match decided {
        Ok(slug) => Ok(redirect(&format!("/coalitions/{slug}"))),
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            let lang = ctx.lang;
            let title = lang.pick("Créer une coalition", "Create a coalition");
            let body = html! {
                p { a href="/coalitions" { "← " (lang.pick("Les coalitions", "The coalitions")) } }
                h1 { (title) }
                (identity_form(lang, &token, None, &typed, &errors))
            };
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&ctx, title, body),
            ))
        }
    }
}

pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    let empty = FieldErrors::new();
    edit_page(
        &ctx,
        &session,
        &state,
        &coalition,
        StatusCode::OK,
        (&form_of(&coalition), &empty),
        (&StageForm::default(), &empty),
    )
    .await
}

pub async fn update(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    // The slug is the coalition's address: it does not change.
    let typed = CoalitionForm {
        slug: coalition.slug.clone(),
        ..typed_identity(&form)
    };
    match form.checked(CoalitionData::try_from(&typed), IDENTITY_TEXT_AREAS) {
        Ok(data) => {
            app::coalitions::edit(&state.pool, &state.writes, &coalition, &data).await?;
            Ok(redirect(&format!("/coalitions/{}", coalition.slug)))
        }
        Err(errors) => {
            edit_page(
                &ctx,
                &session,
                &state,
                &coalition,
                StatusCode::UNPROCESSABLE_ENTITY,
                (&typed, &errors),
                (&StageForm::default(), &FieldErrors::new()),
            )
            .await
        }
    }
}

pub async fn change_stage(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    let typed = StageForm {
        stage: form.value("stage"),
        changed_on: form.value("changed_on"),
        note: form.value("note"),
    };
    let change = match form.checked(StageChange::try_from((&typed, today())), &["note"]) {
        Ok(change) => change,
        Err(errors) => {
            return edit_page(
                &ctx,
                &session,
                &state,
                &coalition,
                StatusCode::UNPROCESSABLE_ENTITY,
                (&form_of(&coalition), &FieldErrors::new()),
                (&typed, &errors),
            )
            .await;
        }
    };
    app::coalitions::change_stage(&state.pool, &state.writes, &coalition, &user.id, &change)
        .await?;
    Ok(redirect(&format!("/coalitions/{}#etapes", coalition.slug)))
}

async fn edit_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    coalition: &Coalition,
    status: StatusCode,
    (identity, identity_errors): (&CoalitionForm, &FieldErrors),
    (stage, stage_errors): (&StageForm, &FieldErrors),
) -> Result<HttpResponse, AppError> {
    let history = app::coalitions::stage_history(&state.pool, &coalition.id).await?;
    let token = session::csrf_token(session)?;
    let lang = ctx.lang;
    let name = coalition.name(lang);
    let title = format!(
        "{} — {}",
        lang.pick("Gérer la coalition", "Manage the coalition"),
        name
    );
    let stages: Vec<(&str, &str)> = Stage::ALL
        .iter()
        .map(|s| (s.code(), s.label(lang)))
        .collect();
    let stage_labels = [
        ("stage", lang.pick("Nouvelle étape", "New stage")),
        (
            "changed_on",
            lang.pick("Date du passage", "Date of the change"),
        ),
        (
            "note",
            lang.pick("Ce qui marque ce passage", "What marks this change"),
        ),
    ];
    let body = html! {
        (back_to(lang, coalition))
        h1 { (title) }
        p.actions {
            a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Gérer les membres", "Manage the members")) }
            a href={ "/coalitions/" (coalition.slug) "/journal" } { (lang.pick("Compléter le journal", "Add to the journal")) }
        }
        section aria-labelledby="etape" {
            h2 #etape { (lang.pick("Étape", "Stage")) }
            p { (lang.pick("Étape actuelle : ", "Current stage: ")) strong { (coalition.stage.label(lang)) } }
            (stage_history(lang, &history))
            (error_summary(lang, stage_errors, &stage_labels))
            form method="post" action={ "/coalitions/" (coalition.slug) "/stage" } novalidate {
                (csrf(&token))
                (choices(lang, false, "stage", stage_labels[0].1, &stages, &[stage.stage.as_str()], stage_errors))
                (input(lang, Input::text("changed_on", stage_labels[1].1, &stage.changed_on).kind("date").required()
                    .hint(lang.pick("Pas dans le futur (AAAA-MM-JJ).", "Not in the future (YYYY-MM-DD).")), stage_errors))
                (textarea(lang, "note", stage_labels[2].1, &stage.note,
                    Some(lang.pick("Une phrase suffit : une décision, un premier pilote, une charte signée…", "A sentence is enough: a decision, a first pilot, a charter signed…")), true, stage_errors))
                div.actions { button type="submit" { (lang.pick("Changer d'étape", "Change stage")) } }
            }
        }
        section aria-labelledby="identite" {
            h2 #identite { (lang.pick("Identité", "Identity")) }
            (identity_form(lang, &token, Some(coalition), identity, identity_errors))
        }
    };
    Ok(html_response(status, page(ctx, &title, body)))
}

fn identity_form(
    lang: Lang,
    token: &str,
    existing: Option<&Coalition>,
    typed: &CoalitionForm,
    errors: &FieldErrors,
) -> Markup {
    let labels = [
        ("slug", lang.pick("Identifiant", "Identifier")),
        ("family", lang.pick("Famille", "Family")),
        ("name_fr", lang.pick("Nom (français)", "Name (French)")),
        ("name_en", lang.pick("Nom (anglais)", "Name (English)")),
        (
            "problem_fr",
            lang.pick("Le problème (français)", "The problem (French)"),
        ),
        (
            "problem_en",
            lang.pick("Le problème (anglais)", "The problem (English)"),
        ),
        (
            "impact_fr",
            lang.pick(
                "L'impact recherché (français)",
                "The impact sought (French)",
            ),
        ),
        (
            "impact_en",
            lang.pick(
                "L'impact recherché (anglais)",
                "The impact sought (English)",
            ),
        ),
        (
            "narrative_fr",
            lang.pick(
                "Le récit de transformation (français)",
                "The transformation narrative (French)",
            ),
        ),
        (
            "narrative_en",
            lang.pick(
                "Le récit de transformation (anglais)",
                "The transformation narrative (English)",
            ),
        ),
        ("scale", lang.pick("Échelle", "Scale")),
        (
            "primary_quality",
            lang.pick("Qualité principalement visée", "Main quality targeted"),
        ),
        (
            "secondary_qualities",
            lang.pick("Autres qualités visées", "Other qualities targeted"),
        ),
        (
            "lever_commande_fr",
            lang.pick(
                "Levier sur la commande (français)",
                "Lever on commissioning (French)",
            ),
        ),
        (
            "lever_commande_en",
            lang.pick(
                "Levier sur la commande (anglais)",
                "Lever on commissioning (English)",
            ),
        ),
        (
            "lever_offre_fr",
            lang.pick("Levier sur l'offre (français)", "Lever on supply (French)"),
        ),
        (
            "lever_offre_en",
            lang.pick("Levier sur l'offre (anglais)", "Lever on supply (English)"),
        ),
        (
            "lever_usages_fr",
            lang.pick("Levier sur les usages (français)", "Lever on uses (French)"),
        ),
        (
            "lever_usages_en",
            lang.pick("Levier sur les usages (anglais)", "Lever on uses (English)"),
        ),
    ];
    let label = |name: &str| {
        labels
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, l)| *l)
            .unwrap_or("")
    };
    let english_hint = lang.pick(
        "Facultatif : tant qu'il est vide, le texte français s'affiche à sa place.",
        "Optional: while it is empty, the French text is shown in its place.",
    );
    let families: Vec<(&str, &str)> = CoalitionFamily::ALL
        .iter()
        .map(|f| (f.code(), f.label(lang)))
        .collect();
    let scales: Vec<(&str, &str)> = Scale::ALL
        .iter()
        .map(|s| (s.code(), s.label(lang)))
        .collect();
    let qualities: Vec<(&str, &str)> = Quality::ALL
        .iter()
        .map(|q| (q.code(), q.label(lang)))
        .collect();
    let secondary: Vec<&str> = typed
        .secondary_qualities
        .iter()
        .map(String::as_str)
        .collect();
    let action = match existing {
        Some(c) => format!("/coalitions/{}/edit", c.slug),
        None => "/coalitions/new".to_owned(),
    };
    let text_pair = |name: &str, fr: &str, en: &str, required: bool| {
        let fr_name = format!("{name}_fr");
        let en_name = format!("{name}_en");
        html! {
            (textarea(lang, &fr_name, label(&fr_name), fr, None, required, errors))
            (textarea(lang, &en_name, label(&en_name), en, Some(english_hint), false, errors))
        }
    };
    html! {
        (error_summary(lang, errors, &labels))
        form method="post" action=(action) novalidate {
            (csrf(token))
            @if let Some(c) = existing {
                p { (lang.pick("Identifiant (dans l'adresse, ne change pas) : ", "Identifier (in the address, does not change): ")) code { (c.slug) } }
            } @else {
                (input(lang, Input::text("slug", labels[0].1, &typed.slug).required()
                    .hint(lang.pick("Lettres minuscules sans accent, chiffres et tirets, par exemple achat-public-responsable ; il forme l'adresse de la page et ne change plus.", "Lowercase letters without accents, digits and hyphens, for example achat-public-responsable; it makes the page's address and does not change afterwards.")), errors))
            }
            (select(lang, "family", labels[1].1, &families, &typed.family, true, errors))
            (input(lang, Input::text("name_fr", labels[2].1, &typed.name_fr).required(), errors))
            (input(lang, Input::text("name_en", labels[3].1, &typed.name_en).hint(english_hint), errors))
            (text_pair("problem", &typed.problem_fr, &typed.problem_en, true))
            (text_pair("impact", &typed.impact_fr, &typed.impact_en, true))
            (text_pair("narrative", &typed.narrative_fr, &typed.narrative_en, true))
            (choices(lang, false, "scale", labels[10].1, &scales, &[typed.scale.as_str()], errors))
            (choices(lang, false, "primary_quality", labels[11].1, &qualities, &[typed.primary_quality.as_str()], errors))
            (choices(lang, true, "secondary_qualities", labels[12].1, &qualities, &secondary, errors))
            fieldset {
                legend { (lang.pick("Les leviers sur les trois dimensions", "The levers on the three dimensions")) }
                p.hint { (lang.pick("Facultatifs, mais recommandés : ce que la coalition change dans la commande, l'offre et les usages.", "Optional but recommended: what the coalition changes in commissioning, supply and uses.")) }
                (text_pair("lever_commande", &typed.lever_commande_fr, &typed.lever_commande_en, false))
                (text_pair("lever_offre", &typed.lever_offre_fr, &typed.lever_offre_en, false))
                (text_pair("lever_usages", &typed.lever_usages_fr, &typed.lever_usages_en, false))
            }
            div.actions {
                button type="submit" { @if existing.is_some() { (lang.pick("Enregistrer", "Save")) } @else { (lang.pick("Créer la coalition", "Create the coalition")) } }
                a href=(existing.map(|c| format!("/coalitions/{}", c.slug)).unwrap_or_else(|| "/coalitions".into())) { (lang.pick("Annuler", "Cancel")) }
            }
        }
    }
}

//! Managing a coalition: the programme staff create one; its porteurs, co-porteurs and the
//! staff edit its identity, move it to a new stage (kept in its history) and manage its
//! members. Everyone reads the members page, with current and past members and how
//! heterogeneous the coalition is.
//!
//! An organisation joins a coalition only with its consent or the programme's: a manager
//! finds only the organisations listed in the public directory (and those they lead) and
//! invites them, and one of the organisation's leads accepts or declines; staff add members
//! directly.

use crate::app::error::AppError;
use crate::db::{self, Coalition, Member, NewCoalition, NewOrganisation};
use crate::domain::coalition::{
    ActorType, CoalitionData, CoalitionForm, MemberForm, MemberOrganisation, MemberRole,
    MembershipChange, NewMember, Scale, Stage, StageChange, StageForm, keeps_a_porteur, past_date,
};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::domain::organisation::OrganisationKind;
use crate::domain::{CoalitionFamily, Quality};
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::pages::coalitions::localized;
use crate::web::session::{self, CheckedForm, User};
use crate::web::today;
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use std::collections::HashMap;

fn label_of<T: Copy>(
    code: &str,
    from_code: fn(&str) -> Option<T>,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> &'static str {
    from_code(code).map(|v| label(v, lang)).unwrap_or("—")
}

pub fn actor_type_label(code: &str, lang: Lang) -> &'static str {
    label_of(code, ActorType::from_code, ActorType::label, lang)
}

pub fn role_label(code: &str, lang: Lang) -> &'static str {
    label_of(code, MemberRole::from_code, MemberRole::label, lang)
}

// --- Heterogeneity -----------------------------------------------------------------------------

/// How heterogeneous the current members are: the actor types present out of the five, and
/// the normalised Shannon index, with what it means.
pub fn heterogeneity(lang: Lang, current: &[&Member]) -> Markup {
    let types: Vec<&str> = current.iter().map(|m| m.actor_type.as_str()).collect();
    let diversity = crate::domain::coalition::diversity::diversity(&types);
    let present: Vec<&ActorType> = ActorType::ALL
        .iter()
        .filter(|t| types.contains(&t.code()))
        .collect();
    let index = lang.decimal(diversity.normalised, 2);
    html! {
        p {
            strong { (diversity.types) " " (lang.pick("types d'acteurs sur 5", "actor types out of 5")) }
            @if !present.is_empty() {
                (lang.pick(" : ", ": ")) @for (i, t) in present.iter().enumerate() { @if i > 0 { ", " } (t.label(lang)) }
            }
        }
        @if !current.is_empty() {
            p {
                (lang.pick("Indice de diversité (Shannon normalisé) : ", "Diversity index (normalised Shannon): "))
                strong.diversity-index { (index) }
            }
            p.hint { (lang.pick(
                "De 0, quand tous les membres sont du même type d'acteur, à 1, quand les cinq types (entreprises, collectivités, État, associations, recherche) sont présents à parts égales.",
                "From 0, when every member is of the same actor type, to 1, when all five types (companies, local authorities, the State, associations, research) are present in equal shares."
            )) }
        }
    }
}

// --- Create and edit ---------------------------------------------------------------------------

fn form_of(coalition: &Coalition) -> CoalitionForm {
    CoalitionForm {
        slug: coalition.slug.clone(),
        family: coalition.family.clone(),
        name_fr: coalition.name_fr.clone(),
        name_en: coalition.name_en.clone(),
        problem_fr: coalition.problem_fr.clone(),
        problem_en: coalition.problem_en.clone(),
        impact_fr: coalition.impact_fr.clone(),
        impact_en: coalition.impact_en.clone(),
        narrative_fr: coalition.narrative_fr.clone(),
        narrative_en: coalition.narrative_en.clone(),
        scale: coalition.scale.clone(),
        primary_quality: coalition.primary_quality.clone(),
        secondary_qualities: coalition
            .secondary_qualities
            .split_whitespace()
            .map(str::to_owned)
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

fn new_coalition<'a>(
    id: &'a str,
    data: &'a CoalitionData,
    secondary: &'a str,
    stage: &'a str,
    created_at: &'a str,
) -> NewCoalition<'a> {
    NewCoalition {
        id,
        slug: &data.slug,
        family: data.family.code(),
        name: data.name.pair(),
        problem: data.problem.pair(),
        impact: data.impact.pair(),
        narrative: data.narrative.pair(),
        scale: data.scale.code(),
        stage,
        primary_quality: data.primary_quality.code(),
        secondary_qualities: secondary,
        lever_commande: data.lever_commande.pair(),
        lever_offre: data.lever_offre.pair(),
        lever_usages: data.lever_usages.pair(),
        created_at,
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
    let mut parsed = form.checked(CoalitionData::try_from(&typed), IDENTITY_TEXT_AREAS);
    if let Ok(data) = &parsed
        && db::coalition_by_slug(&state.pool, &data.slug)
            .await?
            .is_some()
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "slug",
            format!(
                "Une coalition a déjà l'identifiant « {} » : choisissez-en un autre.",
                data.slug
            ),
            format!(
                "A coalition already has the identifier \"{}\": choose another one.",
                data.slug
            ),
        );
        parsed = Err(errors);
    }
    let data = match parsed {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            let lang = ctx.lang;
            let title = lang.pick("Créer une coalition", "Create a coalition");
            let body = html! {
                p { a href="/coalitions" { "← " (lang.pick("Les coalitions", "The coalitions")) } }
                h1 { (title) }
                (identity_form(lang, &token, None, &typed, &errors))
            };
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&ctx, title, body),
            ));
        }
    };
    let id = db::new_id();
    let now = db::now();
    let secondary = data.secondary_codes();
    let intention = Stage::Intention.code();
    let _turn = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    db::insert_coalition(
        &mut *tx,
        &new_coalition(&id, &data, &secondary, intention, &now),
    )
    .await?;
    // Every coalition starts as an intention; its history says so from the first day.
    db::insert_stage_change(
        &mut *tx,
        &db::new_id(),
        &id,
        intention,
        &today().to_string(),
        "Création de la coalition.",
        Some(&user.id),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect(&format!("/coalitions/{}", data.slug)))
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
            let secondary = data.secondary_codes();
            db::update_coalition(
                &state.pool,
                &new_coalition(&coalition.id, &data, &secondary, &coalition.stage, ""),
            )
            .await?;
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
    let _turn = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    db::insert_stage_change(
        &mut *tx,
        &db::new_id(),
        &coalition.id,
        change.stage.code(),
        &change.changed_on.to_string(),
        &change.note,
        Some(&user.id),
        &db::now(),
    )
    .await?;
    db::set_coalition_stage(&mut *tx, &coalition.id, change.stage.code()).await?;
    tx.commit().await?;
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
    let history = db::stage_changes(&state.pool, &coalition.id).await?;
    let token = session::csrf_token(session)?;
    let lang = ctx.lang;
    let name = localized(lang, &coalition.name_fr, &coalition.name_en);
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
        p { a href={ "/coalitions/" (coalition.slug) } { "← " (name) } }
        h1 { (title) }
        p.actions {
            a href={ "/coalitions/" (coalition.slug) "/members" } { (lang.pick("Gérer les membres", "Manage the members")) }
            a href={ "/coalitions/" (coalition.slug) "/journal" } { (lang.pick("Compléter le journal", "Add to the journal")) }
        }
        section aria-labelledby="etape" {
            h2 #etape { (lang.pick("Étape", "Stage")) }
            p { (lang.pick("Étape actuelle : ", "Current stage: ")) strong { (label_of(&coalition.stage, Stage::from_code, Stage::label, lang)) } }
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

/// The stages a coalition went through, oldest first.
pub fn stage_history(lang: Lang, history: &[db::StageChange]) -> Markup {
    html! {
        @if !history.is_empty() {
            ol.stage-history {
                @for s in history {
                    li {
                        time datetime=(s.changed_on) { (s.changed_on) } " — "
                        strong { (label_of(&s.stage, Stage::from_code, Stage::label, lang)) }
                        @if !s.note.is_empty() { (lang.pick(" : ", ": ")) (s.note) }
                    }
                }
            }
        }
    }
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

// --- Members -----------------------------------------------------------------------------------

pub async fn members(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, ctx.user.as_ref(), &path).await?;
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::OK,
        &MemberForm::default(),
        &FieldErrors::new(),
        &HashMap::new(),
    )
    .await
}

/// The member of this coalition with this id, current or past; 404 when none.
async fn member_of(
    state: &AppState,
    coalition: &Coalition,
    member_id: &str,
) -> Result<(Member, Vec<Member>), AppError> {
    let all = db::members(&state.pool, &coalition.id).await?;
    let member = all
        .iter()
        .find(|m| m.id == member_id && m.left_on.is_none())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((member, all))
}

fn current_roles(all: &[Member]) -> Vec<(&str, MemberRole)> {
    all.iter()
        .filter(|m| m.left_on.is_none())
        .filter_map(|m| MemberRole::from_code(&m.role).map(|r| (m.id.as_str(), r)))
        .collect()
}

const LAST_PORTEUR: (&str, &str) = (
    "C'est le dernier porteur de la coalition : désignez d'abord un autre membre comme porteur.",
    "This is the coalition's last lead: make another member the lead first.",
);

/// The organisations a manager may find: every one for the programme staff; for the others,
/// those listed in the public directory and those they lead. A private organisation stays
/// invisible to managers of coalitions it has nothing to do with.
async fn findable_organisations(
    state: &AppState,
    user: Option<&crate::web::session::SessionUser>,
) -> Result<Vec<db::Organisation>, AppError> {
    let Some(user) = user else {
        return Ok(Vec::new());
    };
    if user.is_staff() {
        return Ok(db::all_organisations(&state.pool).await?);
    }
    let mut found = db::directory_organisations(&state.pool).await?;
    for led in db::organisations_led_by(&state.pool, &user.id).await? {
        if !found.iter().any(|o| o.id == led.id) {
            found.push(led);
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

pub async fn add_member(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.manages())?;
    let typed = MemberForm {
        organisation_id: form.value("organisation_id"),
        organisation_name: form.value("organisation_name"),
        organisation_kind: form.value("organisation_kind"),
        actor_type: form.value("actor_type"),
        role: form.value("role"),
        joined_on: form.value("joined_on"),
    };
    let rejected = |errors: FieldErrors| {
        let typed = typed.clone();
        let (ctx, session, state, coalition) = (&ctx, &session, &state, &coalition);
        async move {
            members_page(
                ctx,
                session,
                state,
                coalition,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &typed,
                &errors,
                &HashMap::new(),
            )
            .await
        }
    };
    let member = match form.checked(NewMember::try_from((&typed, today())), &[]) {
        Ok(member) => member,
        Err(errors) => return rejected(errors).await,
    };
    let all = db::members(&state.pool, &coalition.id).await?;
    let mut errors = FieldErrors::new();
    // A manager reaches only the organisations they may find (a forged id of a private one
    // reads as unknown, so that its existence is not revealed either); they lead it, or it
    // is invited and joins when its lead accepts. Staff add any organisation directly.
    let findable = match &member.organisation {
        MemberOrganisation::Existing(id) if !user.is_staff() => {
            let leads = db::is_lead(&state.pool, id, &user.id).await?;
            if leads || db::is_in_directory(&state.pool, id).await? {
                Some(leads)
            } else {
                None
            }
        }
        _ => Some(true),
    };
    let direct = findable == Some(true);
    let existing_kind = match &member.organisation {
        MemberOrganisation::Existing(id) => match db::organisation(&state.pool, id)
            .await?
            .filter(|_| findable.is_some())
        {
            None => {
                errors.add(
                    "organisation_id",
                    "Cette organisation n'est pas inscrite : choisissez-en une dans la liste.",
                    "This organisation is not registered: choose one from the list.",
                );
                None
            }
            Some(o) => {
                if all
                    .iter()
                    .any(|m| m.organisation_id == o.id && m.left_on.is_none())
                {
                    errors.add(
                        "organisation_id",
                        format!("{} est déjà membre de la coalition : changez plutôt son rôle dans la liste des membres.", o.name),
                        format!("{} is already a member of the coalition: change its role in the list of members instead.", o.name),
                    );
                }
                OrganisationKind::from_code(&o.kind)
            }
        },
        MemberOrganisation::New { kind, .. } => Some(*kind),
    };
    let has_porteur = current_roles(&all)
        .iter()
        .any(|(_, r)| *r == MemberRole::Porteur);
    if !has_porteur && member.role != MemberRole::Porteur {
        errors.add(
            "role",
            "La coalition n'a pas encore de porteur : ajoutez d'abord l'organisation qui la porte, avec le rôle de porteur.",
            "The coalition has no lead yet: first add the organisation that leads it, with the lead role.",
        );
    }
    let actor_type = member
        .actor_type
        .or(existing_kind.map(ActorType::of_organisation_kind));
    let Some(actor_type) = actor_type.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add(
                "actor_type",
                "Choisissez le type d'acteur de ce membre.",
                "Choose this member's actor type.",
            );
        }
        return rejected(errors).await;
    };
    let now = db::now();
    if let (MemberOrganisation::Existing(id), false) = (&member.organisation, direct) {
        let invited = {
            let _turn = state.writes.enter().await;
            db::insert_coalition_invitation(
                &state.pool,
                &db::NewCoalitionInvitation {
                    id: &db::new_id(),
                    coalition_id: &coalition.id,
                    organisation_id: id,
                    actor_type: actor_type.code(),
                    role: member.role.code(),
                    joined_on: &member.joined_on.to_string(),
                    invited_by: Some(&user.id),
                    invited_at: &now,
                },
            )
            .await?
        };
        if !invited {
            let mut errors = FieldErrors::new();
            errors.add(
                "organisation_id",
                "Cette organisation est déjà invitée : son invitation attend la réponse de ses responsables.",
                "This organisation is already invited: its invitation awaits its leads' answer.",
            );
            return rejected(errors).await;
        }
        return Ok(redirect(&format!(
            "/coalitions/{}/members#invitations",
            coalition.slug
        )));
    }
    let _turn = state.writes.enter().await;
    let mut tx = state.pool.begin().await?;
    let organisation_id = match &member.organisation {
        MemberOrganisation::Existing(id) => id.clone(),
        MemberOrganisation::New { name, kind } => {
            let id = db::new_id();
            // A member organisation registered here has no lead yet: one may be added when
            // someone from it creates an account.
            db::insert_organisation(
                &mut *tx,
                &NewOrganisation {
                    id: &id,
                    name,
                    kind: kind.code(),
                    siren: None,
                    departement: None,
                    commune_insee: None,
                    size_band: None,
                    created_at: &now,
                },
            )
            .await?;
            id
        }
    };
    let added = db::insert_member(
        &mut *tx,
        &db::NewMember {
            id: &db::new_id(),
            coalition_id: &coalition.id,
            organisation_id: &organisation_id,
            actor_type: actor_type.code(),
            role: member.role.code(),
            joined_on: &member.joined_on.to_string(),
            created_at: &now,
        },
    )
    .await?;
    if !added {
        // Added meanwhile by someone else: the unique index kept one current membership.
        drop(tx);
        drop(_turn);
        let mut errors = FieldErrors::new();
        errors.add(
            "organisation_id",
            "Cette organisation est déjà membre de la coalition.",
            "This organisation is already a member of the coalition.",
        );
        return rejected(errors).await;
    }
    tx.commit().await?;
    Ok(redirect(&format!("/coalitions/{}/members", coalition.slug)))
}

pub async fn change_role(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, member_id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let (member, all) = member_of(&state, &coalition, &member_id).await?;
    let typed = form.value("role");
    let key = format!("role-{}", member.id);
    let mut errors = FieldErrors::new();
    match MemberRole::from_code(typed.trim()) {
        None => errors.add(&key, "Choisissez le nouveau rôle.", "Choose the new role."),
        Some(role) => {
            if keeps_a_porteur(
                &current_roles(&all),
                &member.id,
                MembershipChange::Role(role),
            ) {
                db::update_member_role(&state.pool, &coalition.id, &member.id, role.code()).await?;
                return Ok(redirect(&format!("/coalitions/{}/members", coalition.slug)));
            }
            errors.add(&key, LAST_PORTEUR.0, LAST_PORTEUR.1);
        }
    }
    let typed_rows = HashMap::from([(key, typed)]);
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::UNPROCESSABLE_ENTITY,
        &MemberForm::default(),
        &errors,
        &typed_rows,
    )
    .await
}

pub async fn end_membership(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, member_id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.manages())?;
    let (member, all) = member_of(&state, &coalition, &member_id).await?;
    let typed = form.value("left_on");
    let key = format!("left_on-{}", member.id);
    let mut errors = FieldErrors::new();
    if let Some((fr, en)) = form.text_error("left_on", false) {
        errors.add(&key, fr, en);
    } else if let Some(left_on) = past_date(&mut errors, &key, &typed, today()) {
        let left_on = left_on.to_string();
        // ISO dates compare as text.
        if left_on < member.joined_on {
            errors.add(
                &key,
                format!(
                    "Le départ ne peut pas précéder l'arrivée ({}).",
                    member.joined_on
                ),
                format!("Leaving cannot come before joining ({}).", member.joined_on),
            );
        } else if !keeps_a_porteur(&current_roles(&all), &member.id, MembershipChange::End) {
            errors.add(&key, LAST_PORTEUR.0, LAST_PORTEUR.1);
        } else {
            db::end_membership(&state.pool, &coalition.id, &member.id, &left_on).await?;
            return Ok(redirect(&format!("/coalitions/{}/members", coalition.slug)));
        }
    }
    let typed_rows = HashMap::from([(key, typed)]);
    members_page(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::UNPROCESSABLE_ENTITY,
        &MemberForm::default(),
        &errors,
        &typed_rows,
    )
    .await
}

/// The members page. `errors` holds the add form's errors by field name, and a row form's
/// by its element id (`role-{member}`, `left_on-{member}`), whose typed value is in `rows`.
#[allow(clippy::too_many_arguments)]
async fn members_page(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    coalition: &Coalition,
    access: CoalitionAccess,
    status: StatusCode,
    add: &MemberForm,
    errors: &FieldErrors,
    rows: &HashMap<String, String>,
) -> Result<HttpResponse, AppError> {
    let all = db::members(&state.pool, &coalition.id).await?;
    let manages = access.manages();
    let (token, organisations, invitations) = if manages {
        (
            Some(session::csrf_token(session)?),
            findable_organisations(state, ctx.user.as_ref()).await?,
            db::pending_invitations_of_coalition(&state.pool, &coalition.id).await?,
        )
    } else {
        (None, Vec::new(), Vec::new())
    };
    let invites = !ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let lang = ctx.lang;
    let current: Vec<&Member> = all.iter().filter(|m| m.left_on.is_none()).collect();
    let past: Vec<&Member> = all.iter().filter(|m| m.left_on.is_some()).collect();
    let name = localized(lang, &coalition.name_fr, &coalition.name_en);
    let title = format!("{} — {}", lang.pick("Les membres", "The members"), name);
    let roles: Vec<(&str, &str)> = MemberRole::ALL
        .iter()
        .map(|r| (r.code(), r.label(lang)))
        .collect();
    let actor_types: Vec<(&str, &str)> = ActorType::ALL
        .iter()
        .map(|t| (t.code(), t.label(lang)))
        .collect();
    let kinds: Vec<(&str, &str)> = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect();
    let member_ids: Vec<&str> = current.iter().map(|m| m.organisation_id.as_str()).collect();
    let candidates: Vec<(&str, &str)> = organisations
        .iter()
        .filter(|o| !member_ids.contains(&o.id.as_str()))
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    let add_labels = [
        (
            "organisation_id",
            lang.pick("Organisation inscrite", "Registered organisation"),
        ),
        (
            "organisation_name",
            lang.pick(
                "Nom de la nouvelle organisation",
                "Name of the new organisation",
            ),
        ),
        (
            "organisation_kind",
            lang.pick(
                "Type de la nouvelle organisation",
                "Kind of the new organisation",
            ),
        ),
        ("actor_type", lang.pick("Type d'acteur", "Actor type")),
        ("role", lang.pick("Rôle", "Role")),
        ("joined_on", lang.pick("Date d'arrivée", "Date joined")),
    ];
    let row_labels: Vec<(String, String)> = current
        .iter()
        .flat_map(|m| {
            [
                (
                    format!("role-{}", m.id),
                    format!("{} — {}", m.organisation_name, lang.pick("rôle", "role")),
                ),
                (
                    format!("left_on-{}", m.id),
                    format!(
                        "{} — {}",
                        m.organisation_name,
                        lang.pick("date de départ", "date left")
                    ),
                ),
            ]
        })
        .collect();
    let mut labels: Vec<(&str, &str)> = add_labels.to_vec();
    labels.extend(row_labels.iter().map(|(f, l)| (f.as_str(), l.as_str())));
    let body = html! {
        p { a href={ "/coalitions/" (coalition.slug) } { "← " (name) } }
        h1 { (title) }
        (heterogeneity(lang, &current))
        (error_summary(lang, errors, &labels))
        h2 { (lang.pick("Membres actuels", "Current members")) " (" (current.len()) ")" }
        @if current.is_empty() {
            p { (lang.pick("Aucun membre n'est encore enregistré.", "No member is recorded yet.")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (lang.pick("Membre", "Member")) }
                    th scope="col" { (lang.pick("Type d'acteur", "Actor type")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Depuis le", "Since")) }
                    @if manages { th scope="col" { (lang.pick("Gérer", "Manage")) } }
                } }
                tbody {
                    @for m in &current {
                        tr {
                            th scope="row" { (m.organisation_name) }
                            td { (actor_type_label(&m.actor_type, lang)) }
                            td { (role_label(&m.role, lang)) }
                            td { (m.joined_on) }
                            @if let Some(token) = &token {
                                td { (row_forms(lang, coalition, m, token, &roles, errors, rows)) }
                            }
                        }
                    }
                }
            }
        }
        @if !past.is_empty() {
            h2 { (lang.pick("Anciens membres", "Past members")) " (" (past.len()) ")" }
            table {
                thead { tr {
                    th scope="col" { (lang.pick("Membre", "Member")) }
                    th scope="col" { (lang.pick("Type d'acteur", "Actor type")) }
                    th scope="col" { (lang.pick("Rôle", "Role")) }
                    th scope="col" { (lang.pick("Du", "From")) }
                    th scope="col" { (lang.pick("Au", "To")) }
                } }
                tbody {
                    @for m in &past {
                        tr {
                            th scope="row" { (m.organisation_name) }
                            td { (actor_type_label(&m.actor_type, lang)) }
                            td { (role_label(&m.role, lang)) }
                            td { (m.joined_on) }
                            td { (m.left_on.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
        @if manages && !invitations.is_empty() {
            h2 #invitations { (lang.pick("Invitations en attente de réponse", "Invitations awaiting an answer")) " (" (invitations.len()) ")" }
            p { (lang.pick("Une organisation invitée devient membre quand l'un de ses responsables accepte, depuis ses pages.", "An invited organisation becomes a member when one of its leads accepts, from their pages.")) }
            table {
                thead { tr {
                    th scope="col" { (lang.pick("Organisation", "Organisation")) }
                    th scope="col" { (lang.pick("Rôle proposé", "Role offered")) }
                    th scope="col" { (lang.pick("Invitée le", "Invited on")) }
                } }
                tbody { @for i in &invitations { tr {
                    th scope="row" { (i.organisation_name) }
                    td { (role_label(&i.role, lang)) }
                    td { (i.invited_at.get(..10).unwrap_or(&i.invited_at)) }
                } } }
            }
        }
        @if let Some(token) = &token {
            section aria-labelledby="ajouter-membre" {
                h2 #ajouter-membre { (if invites { lang.pick("Inviter une organisation", "Invite an organisation") } else { lang.pick("Ajouter un membre", "Add a member") }) }
                @if invites {
                    p { (lang.pick("La liste ne montre que les organisations qui figurent dans l'annuaire public, et celles dont vous êtes responsable. Une organisation de l'annuaire reçoit une invitation : elle devient membre quand l'un de ses responsables l'accepte. Une organisation que vous inscrivez par son nom devient membre tout de suite.", "The list shows only the organisations listed in the public directory, and those you lead. An organisation from the directory receives an invitation: it becomes a member when one of its leads accepts it. An organisation you register by its name becomes a member at once.")) }
                }
                form method="post" action={ "/coalitions/" (coalition.slug) "/members" } novalidate {
                    (csrf(token))
                    fieldset {
                        legend { (lang.pick("L'organisation", "The organisation")) }
                        p.hint { (lang.pick("Choisissez une organisation inscrite, ou, si elle ne l'est pas, saisissez son nom et son type.", "Choose a registered organisation or, if it is not registered, type its name and kind.")) }
                        (select(lang, "organisation_id", add_labels[0].1, &candidates, &add.organisation_id, false, errors))
                        (input(lang, Input::text("organisation_name", add_labels[1].1, &add.organisation_name), errors))
                        (select(lang, "organisation_kind", add_labels[2].1, &kinds, &add.organisation_kind, false, errors))
                    }
                    (select(lang, "actor_type", add_labels[3].1, &actor_types, &add.actor_type, false, errors))
                    p.hint { (lang.pick("Laissé vide, le type d'acteur suit celui de l'organisation (une commune, une intercommunalité, un département ou une région est une collectivité).", "Left empty, the actor type follows the organisation's kind (a municipality, inter-municipal body, département or region is a local authority).")) }
                    (choices(lang, false, "role", add_labels[4].1, &roles, &[add.role.as_str()], errors))
                    (input(lang, Input::text("joined_on", add_labels[5].1, &add.joined_on).kind("date").required(), errors))
                    div.actions { button type="submit" { (if invites { lang.pick("Inviter ou ajouter", "Invite or add") } else { lang.pick("Ajouter le membre", "Add the member") }) } }
                }
            }
        }
    };
    Ok(html_response(status, page(ctx, &title, body)))
}

/// A current member's two small forms: change its role, end its membership.
fn row_forms(
    lang: Lang,
    coalition: &Coalition,
    m: &Member,
    token: &str,
    roles: &[(&str, &str)],
    errors: &FieldErrors,
    rows: &HashMap<String, String>,
) -> Markup {
    let role_id = format!("role-{}", m.id);
    let left_id = format!("left_on-{}", m.id);
    let role_value = rows.get(&role_id).map(String::as_str).unwrap_or(&m.role);
    let left_value = rows.get(&left_id).map(String::as_str).unwrap_or("");
    let role_error = errors.message(&role_id, lang);
    let left_error = errors.message(&left_id, lang);
    html! {
        form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/members/" (m.id) "/role" } {
            (csrf(token))
            div.field.field-error[role_error.is_some()] {
                label for=(role_id) { (lang.pick("Nouveau rôle", "New role")) span.visually-hidden { " — " (m.organisation_name) } }
                @if let Some(e) = role_error { p.error-message id={ (role_id) "-error" } { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (e) } }
                select id=(role_id) name="role" aria-invalid=[role_error.map(|_| "true")] aria-describedby=[role_error.map(|_| format!("{role_id}-error"))] {
                    @for (value, text) in roles { option value=(value) selected[*value == role_value] { (text) } }
                }
            }
            button.secondary type="submit" { (lang.pick("Changer le rôle", "Change the role")) }
        }
        form.row-form method="post" action={ "/coalitions/" (coalition.slug) "/members/" (m.id) "/end" } {
            (csrf(token))
            div.field.field-error[left_error.is_some()] {
                label for=(left_id) { (lang.pick("Date de départ", "Date left")) span.visually-hidden { " — " (m.organisation_name) } }
                @if let Some(e) = left_error { p.error-message id={ (left_id) "-error" } { span.visually-hidden { (lang.pick("Erreur : ", "Error: ")) } (e) } }
                input type="date" id=(left_id) name="left_on" value=(left_value) aria-invalid=[left_error.map(|_| "true")] aria-describedby=[left_error.map(|_| format!("{left_id}-error"))];
            }
            button.secondary type="submit" { (lang.pick("Mettre fin à l'adhésion", "End the membership")) }
        }
    }
}

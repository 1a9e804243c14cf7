//! An organisation lead's pages: their organisations, registering one, editing it, and its
//! page, which lists its diagnostics and offers to open one on the questionnaire that fits its
//! kind, collective or answered alone (opened by [`super::diagnostics::open`]). Staff's
//! « vérifiée » mark is in [`super::organisation_verification`].

use crate::app::error::AppError;
use crate::app::organisations::{self, OrganisationSearch};
use crate::db::{self, Organisation};
use crate::domain::diagnostics::title as diagnostic_title;
use crate::domain::field_errors::FieldErrors;
use crate::domain::organisation::{
    Departement, OrganisationData, OrganisationForm, OrganisationKind, SizeBand,
};
use crate::domain::results::Answering;
use crate::domain::territory::departement_label;
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared as coalition_invitations;
use crate::web::pages::organisation_verification;
use crate::web::session::CheckedForm;
use crate::web::session::{self, User};
use crate::web::ui::forms::{Input, csrf, error_summary, input, select};
use crate::web::ui::layout::{html_response, page, redirect, url_encode};
use crate::web::ui::tables::scroll_table;
use crate::web::{AppState, access};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

type Form = CheckedForm;

fn organisation_form(form: &Form) -> OrganisationForm {
    let optional = |name: &str| Some(form.value(name)).filter(|v| !v.trim().is_empty());
    OrganisationForm {
        name: form.value("name"),
        kind: form.value("kind"),
        siren: optional("siren"),
        departement: form.value("departement"),
        commune_insee: optional("commune_insee"),
        size_band: optional("size_band"),
    }
}

/// GET /organisations: « Mes organisations » for a lead, every organisation for staff, with a
/// search by name, kind and département and pages of [`organisations::PER_PAGE`]; a GET form,
/// so the search is in the address and works without JavaScript.
pub async fn list(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<OrganisationSearch>,
) -> Result<HttpResponse, AppError> {
    let invitations = db::pending_invitations_for_account(&state.pool, &user.id).await?;
    let token = session::csrf_token(&session)?;
    let searched = organisations::search(&state.pool, &user.id, user.is_staff(), &query).await?;
    let coalitions = db::coalitions_of_account(&state.pool, &user.id).await?;
    let lang = ctx.lang;
    let title = if user.is_staff() {
        "Organisations"
    } else {
        lang.pick("Mes organisations", "My organisations")
    };
    let labels = [
        ("name", lang.pick("Nom contenant", "Name containing")),
        ("kind", "Type"),
        ("departement", "Département"),
    ];
    // The select's empty first choice is « every kind » (and « every département »).
    let kinds: Vec<(&str, &str)> = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect();
    let departement_labels: Vec<(&str, String)> = Departement::all()
        .map(|d| (d.as_str(), departement_label(d.as_str())))
        .collect();
    let departements: Vec<(&str, &str)> = departement_labels
        .iter()
        .map(|(c, l)| (*c, l.as_str()))
        .collect();
    let no_errors = FieldErrors::new();
    let (found, errors) = match &searched {
        Ok(found) => (Some(found), &no_errors),
        Err(errors) => (None, errors),
    };
    let searching = !query.name.trim().is_empty()
        || !query.kind.trim().is_empty()
        || !query.departement.trim().is_empty();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page_link = |n: i64| {
        format!(
            "/organisations?name={}&kind={}&departement={}&page={n}",
            url_encode(&query.name),
            url_encode(&query.kind),
            url_encode(&query.departement)
        )
    };
    Ok(html_response(
        status,
        page(
            &ctx,
            title,
            html! {
                h1 { (title) }
                @if user.is_staff() {
                    p.notice { (lang.pick("Compte de l'équipe du programme : toutes les organisations sont listées.", "Programme staff account: every organisation is listed.")) }
                }
                (coalition_invitations::invitations_section(lang, &token, &invitations))
                (error_summary(lang, errors, &labels))
                form.search method="get" action="/organisations" role="search" aria-label=(lang.pick("Chercher une organisation", "Search for an organisation")) {
                    (input(lang, Input::text("name", labels[0].1, &query.name).kind("search"), errors))
                    (select(lang, "kind", labels[1].1, &kinds, query.kind.trim(), false, errors))
                    (select(lang, "departement", labels[2].1, &departements, query.departement.trim(), false, errors))
                    div.actions {
                        button type="submit" { (lang.pick("Chercher", "Search")) }
                        @if searching { a href="/organisations" { (lang.pick("Tout afficher", "Show all")) } }
                    }
                }
                @if let Some(found) = found {
                    p role="status" {
                        (found.total) " organisation(s)"
                        @if searching { " " (lang.pick("trouvée(s)", "found")) }
                        @if found.pages > 1 { " — page " (found.page) (lang.pick(" sur ", " of ")) (found.pages) }
                    }
                    @if found.organisations.is_empty() {
                        @if searching {
                            p { (lang.pick("Aucune organisation ne correspond à cette recherche.", "No organisation matches this search.")) }
                        } @else {
                            p { (lang.pick("Vous n'avez pas encore inscrit d'organisation.", "You have not registered an organisation yet.")) }
                        }
                    } @else {
                        div.table-scroll role="region" tabindex="0" aria-label=(title) { table {
                            caption.visually-hidden { (title) }
                            thead { tr { th scope="col" { (lang.pick("Nom", "Name")) } th scope="col" { ("Type") } th scope="col" { ("Département") } } }
                            tbody {
                                @for o in &found.organisations {
                                    tr {
                                        td { a href={ "/organisations/" (o.id) } { (o.name) } }
                                        td { (o.kind.label(lang)) }
                                        td { (o.departement.as_deref().map(departement_label).unwrap_or_else(|| "—".to_owned())) }
                                    }
                                }
                            }
                        } }
                    }
                    @if found.pages > 1 {
                        nav.pagination aria-label=(lang.pick("Pages de la liste", "Pages of the list")) {
                            ul {
                                @if found.page > 1 { li { a href=(page_link(found.page - 1)) rel="prev" { (lang.pick("← Page précédente", "← Previous page")) } } }
                                @for n in 1..=found.pages {
                                    li {
                                        @if n == found.page { span aria-current="page" { (n) } }
                                        @else { a href=(page_link(n)) { span.visually-hidden { "Page " } (n) } }
                                    }
                                }
                                @if found.page < found.pages { li { a href=(page_link(found.page + 1)) rel="next" { (lang.pick("Page suivante →", "Next page →")) } } }
                            }
                        }
                    }
                }
                p.actions { a.button href="/organisations/new" { (lang.pick("Inscrire une organisation ou un territoire", "Register an organisation or territory")) } }
                @if !coalitions.is_empty() {
                    h2 { (lang.pick("Mes coalitions", "My coalitions")) }
                    p { (lang.pick("Les coalitions dont une de vos organisations est membre, avec son rôle.", "The coalitions one of your organisations is a member of, with its role.")) }
                    ul {
                        @for c in &coalitions {
                            li { a href={ "/coalitions/" (c.slug) } { (crate::domain::coalition::localized(lang, &c.name_fr, &c.name_en)) } " — " (c.role.label(lang)) }
                        }
                    }
                }
            },
        ),
    ))
}

pub async fn new_form(
    ctx: PageContext,
    _user: User,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        organisation_page(
            &ctx,
            &token,
            None,
            &OrganisationForm::default(),
            &FieldErrors::new(),
        ),
    ))
}

pub async fn create(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let typed = organisation_form(&form);
    let data = match form.checked(OrganisationData::try_from(typed.clone()), &[]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                organisation_page(&ctx, &token, None, &typed, &errors),
            ));
        }
    };
    let id = organisations::register(&state.pool, &state.writes, &user.id, &data).await?;
    Ok(redirect(&format!("/organisations/{id}")))
}

pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let token = session::csrf_token(&session)?;
    let form = organisations::form_of(&organisation);
    Ok(html_response(
        StatusCode::OK,
        organisation_page(
            &ctx,
            &token,
            Some(&organisation),
            &form,
            &FieldErrors::new(),
        ),
    ))
}

pub async fn update(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let typed = organisation_form(&form);
    let data = match form.checked(OrganisationData::try_from(typed.clone()), &[]) {
        Ok(data) => data,
        Err(errors) => {
            let token = session::csrf_token(&session)?;
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                organisation_page(&ctx, &token, Some(&organisation), &typed, &errors),
            ));
        }
    };
    organisations::edit(&state.pool, &organisation.id, &data).await?;
    Ok(redirect(&format!("/organisations/{}", organisation.id)))
}

fn organisation_page(
    ctx: &PageContext,
    token: &str,
    existing: Option<&Organisation>,
    form: &OrganisationForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let title = match existing {
        Some(o) => format!("{} — {}", lang.pick("Modifier", "Edit"), o.name),
        None => lang
            .pick(
                "Inscrire une organisation ou un territoire",
                "Register an organisation or territory",
            )
            .to_owned(),
    };
    let action = match existing {
        Some(o) => format!("/organisations/{}/edit", o.id),
        None => "/organisations".to_owned(),
    };
    let labels = [
        ("name", lang.pick("Nom", "Name")),
        ("kind", "Type"),
        ("departement", "Département"),
        (
            "commune_insee",
            lang.pick("Code INSEE de la commune", "INSEE code of the municipality"),
        ),
        ("size_band", lang.pick("Taille", "Size")),
        ("siren", lang.pick("Numéro SIREN", "SIREN number")),
    ];
    let kinds: Vec<(&str, &str)> = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect();
    let departements: Vec<Departement> = Departement::all().collect();
    let departement_labels: Vec<String> = departements
        .iter()
        .map(|d| departement_label(d.as_str()))
        .collect();
    let departement_options: Vec<(&str, &str)> = departements
        .iter()
        .zip(&departement_labels)
        .map(|(d, label)| (d.as_str(), label.as_str()))
        .collect();
    let bands: Vec<(&str, &str)> = SizeBand::ALL
        .iter()
        .map(|b| (b.code(), b.label(lang)))
        .collect();
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            (error_summary(lang, errors, &labels))
            form method="post" action=(action) novalidate {
                (csrf(token))
                (input(lang, Input::text("name", labels[0].1, &form.name).autocomplete("organization").required(), errors))
                (select(lang, "kind", labels[1].1, &kinds, &form.kind, true, errors))
                (select(lang, "departement", labels[2].1, &departement_options, &form.departement, true, errors))
                (input(lang, Input::text("commune_insee", labels[3].1, form.commune_insee.as_deref().unwrap_or(""))
                    .hint(lang.pick("Pour une commune ou une intercommunalité : 5 caractères, par exemple 69123 pour Lyon.", "For a municipality or inter-municipal body: 5 characters, e.g. 69123 for Lyon.")), errors))
                (select(lang, "size_band", labels[4].1, &bands, form.size_band.as_deref().unwrap_or(""), false, errors))
                (input(lang, Input::text("siren", labels[5].1, form.siren.as_deref().unwrap_or(""))
                    .hint(lang.pick("9 chiffres, sur l'avis de situation INSEE.", "9 digits, as on the INSEE registration notice.")), errors))
                div.actions {
                    button type="submit" { (lang.pick("Enregistrer", "Save")) }
                    a href=(existing.map(|o| format!("/organisations/{}", o.id)).unwrap_or_else(|| "/organisations".into())) { (lang.pick("Annuler", "Cancel")) }
                }
            }
        },
    )
}

/// What the organisation's page says after a diagnostic of it was deleted.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Deleted {
    deleted: Option<String>,
}

pub async fn show(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    deleted: web::Query<Deleted>,
) -> Result<HttpResponse, AppError> {
    let organisation = access::organisation(&state.pool, &user, &path).await?;
    let diagnostics = db::diagnostics_of_organisation(&state.pool, &organisation.id).await?;
    let counts = db::response_counts_of_organisation(&state.pool, &organisation.id).await?;
    let token = session::csrf_token(&session)?;
    let invitations: Vec<_> = db::pending_invitations_for_account(&state.pool, &user.id)
        .await?
        .into_iter()
        .filter(|i| i.organisation_id == organisation.id)
        .collect();
    let listed = db::is_in_directory(&state.pool, &organisation.id).await?;
    let leads = db::leads_of_organisation(&state.pool, &organisation.id).await?;
    let lang = ctx.lang;
    let fitting: Vec<_> = state
        .registry
        .latest_for(organisation.kind.audience())
        .collect();
    let body = html! {
        p { a href="/organisations" { "← " @if user.is_staff() { "Organisations" } @else { (lang.pick("Mes organisations", "My organisations")) } } }
        @if deleted.deleted.is_some() { p.notice role="status" { (lang.pick("Autodiagnostic supprimé.", "Self-diagnostic deleted.")) } }
        h1 { (organisation.name) }
        dl.meta {
            dt { ("Type") } dd { (organisation.kind.label(lang)) }
            dt { ("Département") } dd { (organisation.departement.as_deref().map(departement_label).unwrap_or_else(|| "—".to_owned())) }
            @if let Some(code) = &organisation.commune_insee { dt { (lang.pick("Commune (INSEE)", "Municipality (INSEE)")) } dd { (crate::domain::territory::commune_label(code)) } }
            @if let Some(band) = organisation.size_band.as_deref().and_then(SizeBand::from_code) { dt { (lang.pick("Taille", "Size")) } dd { (band.label(lang)) } }
            @if let Some(siren) = &organisation.siren { dt { "SIREN" } dd { (siren) } }
        }
        p { a href={ "/organisations/" (organisation.id) "/edit" } { (lang.pick("Modifier ces informations", "Edit these details")) } }
        (coalition_invitations::invitations_section(lang, &token, &invitations))
        (coalition_invitations::directory_form(lang, &token, &organisation.id, listed))
        (crate::web::pages::co_leads::leads_section(lang, &organisation.id, &leads, leads.iter().any(|l| l.account_id == user.id)))

        h2 #diagnostics { (lang.pick("Autodiagnostics", "Self-diagnostics")) }
        @if diagnostics.is_empty() {
            p { (lang.pick("Aucun autodiagnostic pour l'instant.", "No self-diagnostic yet.")) }
        } @else {
            (scroll_table("diagnostics", html! { table {
                thead { tr {
                    th scope="col" { (lang.pick("Autodiagnostic", "Self-diagnostic")) }
                    th scope="col" { ("Questionnaire") }
                    th scope="col" { (lang.pick("Ouvert le", "Opened on")) }
                    th scope="col" class="number" { (lang.pick("Réponses envoyées / commencées", "Responses submitted / started")) }
                    th scope="col" { (lang.pick("Résultats", "Results")) }
                } }
                tbody {
                    @for d in &diagnostics {
                        @let (started, submitted) = counts.iter().find(|(id, _, _)| *id == d.id).map(|(_, s, u)| (*s, *u)).unwrap_or((0, 0));
                        tr {
                            td { a href={ "/diagnostics/" (d.id) } { (diagnostic_title(&d.title, lang)) } @if d.closed_at.is_some() { " " span.tag { (lang.pick("clos", "closed")) } } }
                            td { (state.registry.get(&d.questionnaire_slug, &d.questionnaire_version).map(|q| q.title.get(lang).to_owned()).unwrap_or_else(|| d.questionnaire_slug.clone())) " (" (d.questionnaire_version) ")" }
                            td { (lang.date(&d.opened_at)) }
                            td.number { (submitted) " / " (started) }
                            td { @if submitted > 0 { a href={ "/diagnostics/" (d.id) "/results" } { (lang.pick("Voir les résultats", "See the results")) } } @else { "—" } }
                        }
                    }
                }
            } }))
        }
        @if !fitting.is_empty() {
            form method="post" action={ "/organisations/" (organisation.id) "/diagnostics" } {
                (csrf(&token))
                @if fitting.len() == 1 {
                    input type="hidden" name="questionnaire" value=(fitting[0].slug);
                    p { (lang.pick("Questionnaire :", "Questionnaire:")) " " a href={ "/questionnaires/" (fitting[0].slug) "/" (fitting[0].version) } { (fitting[0].title.get(lang)) } " (" (fitting[0].version) ")" }
                } @else {
                    fieldset {
                        legend { ("Questionnaire") }
                        @for (i, q) in fitting.iter().enumerate() {
                            div.choice { input type="radio" name="questionnaire" id={ "questionnaire-" (q.slug) } value=(q.slug) checked[i == 0]; label for={ "questionnaire-" (q.slug) } { (q.title.get(lang)) } }
                        }
                    }
                }
                fieldset {
                    legend { (lang.pick("Qui répond ?", "Who answers?")) }
                    div.choice {
                        input type="radio" name="answering" id="answering-collective" value=(Answering::Collective.code()) checked aria-describedby="answering-collective-hint";
                        label for="answering-collective" { (lang.pick("Plusieurs personnes, que j'invite", "Several people, whom I invite")) }
                        p.hint #answering-collective-hint { (lang.pick(
                            "Les résultats de l'organisation s'affichent à partir de 3 réponses envoyées, pour que personne ne soit reconnaissable.",
                            "The organisation's results are shown from 3 submitted responses on, so that no one can be recognised."
                        )) }
                    }
                    div.choice {
                        input type="radio" name="answering" id="answering-solo" value=(Answering::Solo.code()) aria-describedby="answering-solo-hint";
                        label for="answering-solo" { (lang.pick("Je réponds seul·e", "I answer alone")) }
                        p.hint #answering-solo-hint { (lang.pick(
                            "Un seul lien, pour vous : les résultats sont vos réponses, visibles aussitôt. Ils ne comptent pas parmi les pairs des autres organisations.",
                            "A single link, for you: the results are your answers, visible at once. They do not count among other organisations' peers."
                        )) }
                    }
                }
                button type="submit" { (lang.pick("Ouvrir un nouvel autodiagnostic", "Open a new self-diagnostic")) }
            }
        }
        (organisation_verification::section(lang, &token, &organisation, user.is_staff()))
    };
    Ok(html_response(
        StatusCode::OK,
        page(&ctx, &organisation.name, body),
    ))
}

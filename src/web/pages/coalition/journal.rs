//! A coalition's journal and productions: everyone reads the public entries and the
//! productions; its members and the programme staff also read the entries kept among
//! members; its contributors, managers and the staff add entries and productions.

use crate::app;
use crate::app::error::AppError;
use crate::db::{self, Coalition};
use crate::domain::coalition::journal::{
    EntryForm, EntryKind, JournalEntry, Licence, Production, ProductionForm,
};
use crate::domain::field_errors::FieldErrors;
use crate::domain::i18n::Lang;
use crate::web::AppState;
use crate::web::access::{self, CoalitionAccess};
use crate::web::lang::PageContext;
use crate::web::pages::coalition::shared::back_to;
use crate::web::session::{self, CheckedForm, User};
use crate::web::today;
use crate::web::ui::forms::{Input, choices, csrf, error_summary, input, select, textarea};
use crate::web::ui::layout::{html_response, page, redirect};
use crate::web::ui::tables::typed_text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

pub async fn show(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, ctx.user.as_ref(), &path).await?;
    let forms = Forms {
        entry: &EntryForm::default(),
        entry_errors: &FieldErrors::new(),
        production: &ProductionForm::default(),
        production_errors: &FieldErrors::new(),
    };
    render(
        &ctx,
        &session,
        &state,
        &coalition,
        access,
        StatusCode::OK,
        forms,
    )
    .await
}

pub async fn add_entry(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.contributes())?;
    let typed = EntryForm {
        kind: form.value("kind"),
        occurred_on: form.value("occurred_on"),
        title: form.value("title"),
        attendance: form.value("attendance"),
        notes: form.value("notes"),
        is_public: form.get("is_public").is_some(),
    };
    let entry = match form.checked(JournalEntry::try_from((&typed, today())), &["notes"]) {
        Ok(entry) => entry,
        Err(errors) => {
            let forms = Forms {
                entry: &typed,
                entry_errors: &errors,
                production: &ProductionForm::default(),
                production_errors: &FieldErrors::new(),
            };
            return render(
                &ctx,
                &session,
                &state,
                &coalition,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                forms,
            )
            .await;
        }
    };
    app::journal::add_entry(&state.pool, &state.writes, &coalition.id, &user.id, &entry).await?;
    Ok(redirect(&format!("/coalitions/{}/journal", coalition.slug)))
}

pub async fn add_production(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &path).await?;
    access.require(access.contributes())?;
    let typed = ProductionForm {
        title: form.value("production_title"),
        url: form.value("url"),
        licence: form.value("licence"),
        published_on: form.value("published_on"),
        description: form.value("description"),
    };
    let production = match form.checked(Production::try_from((&typed, today())), &["description"]) {
        Ok(production) => production,
        Err(errors) => {
            let forms = Forms {
                entry: &EntryForm::default(),
                entry_errors: &FieldErrors::new(),
                production: &typed,
                production_errors: &errors,
            };
            return render(
                &ctx,
                &session,
                &state,
                &coalition,
                access,
                StatusCode::UNPROCESSABLE_ENTITY,
                forms,
            )
            .await;
        }
    };
    app::journal::add_production(
        &state.pool,
        &state.writes,
        &coalition.id,
        &user.id,
        &production,
    )
    .await?;
    Ok(redirect(&format!(
        "/coalitions/{}/journal#productions",
        coalition.slug
    )))
}

/// The two forms of the page, as typed, with their errors.
#[derive(Clone, Copy)]
struct Forms<'a> {
    entry: &'a EntryForm,
    entry_errors: &'a FieldErrors,
    production: &'a ProductionForm,
    production_errors: &'a FieldErrors,
}

async fn render(
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    coalition: &Coalition,
    access: CoalitionAccess,
    status: StatusCode,
    forms: Forms<'_>,
) -> Result<HttpResponse, AppError> {
    let app::journal::Journal {
        entries,
        productions,
    } = app::journal::journal(&state.pool, &coalition.id, access.reads_private()).await?;
    let token = if access.contributes() {
        Some(session::csrf_token(session)?)
    } else {
        None
    };
    let lang = ctx.lang;
    let title = format!("Journal — {}", coalition.name(lang));
    let body = html! {
        (back_to(lang, coalition))
        h1 { (title) }
        p { (lang.pick(
            "La documentation continue de la coalition : ses Reset Days, ateliers, décisions et réunions, et ce qu'elle publie.",
            "The coalition's continuous documentation: its Reset Days, workshops, decisions and meetings, and what it publishes."
        )) }
        @if access.reads_private() {
            p.notice { (lang.pick(
                "Vous lisez aussi les entrées réservées aux membres de la coalition, marquées « non public ».",
                "You also read the entries kept among the coalition's members, marked « not public »."
            )) }
        }
        section aria-labelledby="entrees" {
            h2 #entrees { (lang.pick("Le journal", "The journal")) " (" (entries.len()) ")" }
            @if entries.is_empty() {
                p { (lang.pick("Aucune entrée pour l'instant.", "No entry yet.")) }
            }
            @for e in &entries {
                (entry_view(ctx, e))
            }
        }
        section aria-labelledby="productions" {
            h2 #productions { (lang.pick("Les productions", "The productions")) " (" (productions.len()) ")" }
            @if productions.is_empty() {
                p { (lang.pick("Aucune production publiée pour l'instant.", "No production published yet.")) }
            } @else {
                ul {
                    @for p in &productions {
                        li {
                            a href=(p.url) { (typed_text(lang, Lang::Fr, &p.title)) }
                            " — " (p.licence.label(lang)) ", " (lang.date(&p.published_on))
                            @if !p.description.is_empty() { p { (typed_text(lang, Lang::Fr, &p.description)) } }
                        }
                    }
                }
            }
        }
        @if let Some(token) = &token {
            (entry_form(ctx, coalition, token, forms.entry, forms.entry_errors))
            (production_form(ctx, coalition, token, forms.production, forms.production_errors))
        } @else if ctx.user.is_none() {
            p { a href={ "/signin?next=/coalitions/" (coalition.slug) "/journal" } { (lang.pick("Connectez-vous", "Sign in")) }
                (lang.pick(" pour compléter le journal si votre organisation contribue à la coalition.", " to add to the journal if your organisation contributes to the coalition.")) }
        }
    };
    Ok(html_response(status, page(ctx, &title, body)))
}

fn entry_view(ctx: &PageContext, e: &db::JournalEntryRow) -> Markup {
    let lang = ctx.lang;
    html! {
        article.card {
            h3 { (typed_text(lang, Lang::Fr, &e.title)) }
            p.hint {
                (e.kind.label(lang)) " · " time datetime=(e.occurred_on) { (lang.date(&e.occurred_on)) }
                @if let Some(n) = e.attendance {
                    " · " (n) " " (lang.pick("participants", "attendees"))
                }
                @if !e.is_public() {
                    " · " strong.tag { (lang.pick("non public", "not public")) }
                }
            }
            @for paragraph in e.notes.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                p { (paragraph) }
            }
        }
    }
}

fn entry_form(
    ctx: &PageContext,
    coalition: &Coalition,
    token: &str,
    typed: &EntryForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let labels = [
        ("kind", lang.pick("Type d'entrée", "Kind of entry")),
        ("occurred_on", "Date"),
        ("title", lang.pick("Titre", "Title")),
        (
            "attendance",
            lang.pick("Nombre de participants", "Attendance"),
        ),
        ("notes", "Notes"),
    ];
    let kinds: Vec<(&str, &str)> = EntryKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(lang)))
        .collect();
    let public: &[&str] = if typed.is_public { &["1"] } else { &[] };
    html! {
        section aria-labelledby="ajouter-entree" {
            h2 #ajouter-entree { (lang.pick("Ajouter une entrée au journal", "Add a journal entry")) }
            (error_summary(lang, errors, &labels))
            form method="post" action={ "/coalitions/" (coalition.slug) "/journal" } novalidate {
                (csrf(token))
                (choices(lang, false, "kind", labels[0].1, &kinds, &[typed.kind.as_str()], errors))
                (input(lang, Input::text("occurred_on", labels[1].1, &typed.occurred_on).kind("date").required()
                    .hint(lang.pick("Le jour de l'événement, pas dans le futur (AAAA-MM-JJ).", "The day of the event, not in the future (YYYY-MM-DD).")), errors))
                (input(lang, Input::text("title", labels[2].1, &typed.title).required()
                    .hint(lang.pick("200 caractères au plus.", "At most 200 characters.")), errors))
                (input(lang, Input::text("attendance", labels[3].1, &typed.attendance).kind("number")
                    .hint(lang.pick("Un nombre entier ; laissez vide s'il n'a pas été compté.", "A whole number; leave empty if it was not counted.")), errors))
                (textarea(lang, "notes", labels[4].1, &typed.notes,
                    Some(lang.pick("Ce qui s'est passé, ce qui a été décidé ; 5 000 caractères au plus.", "What happened, what was decided; at most 5,000 characters.")), true, errors))
                (choices(lang, true, "is_public", lang.pick("Visibilité", "Visibility"),
                    &[("1", lang.pick("Rendre public (sinon, seuls les membres de la coalition et l'équipe du programme le lisent)", "Make public (otherwise only the coalition's members and the programme team read it)"))],
                    public, errors))
                div.actions { button type="submit" { (lang.pick("Ajouter l'entrée", "Add the entry")) } }
            }
        }
    }
}

fn production_form(
    ctx: &PageContext,
    coalition: &Coalition,
    token: &str,
    typed: &ProductionForm,
    errors: &FieldErrors,
) -> Markup {
    let lang = ctx.lang;
    let labels = [
        (
            "production_title",
            lang.pick("Titre de la production", "Title of the production"),
        ),
        ("url", lang.pick("Lien", "Link")),
        ("licence", "Licence"),
        (
            "published_on",
            lang.pick("Date de publication", "Publication date"),
        ),
        ("description", "Description"),
    ];
    let licences: Vec<(&str, &str)> = Licence::ALL
        .iter()
        .map(|l| (l.code(), l.label(lang)))
        .collect();
    html! {
        section aria-labelledby="ajouter-production" {
            h2 #ajouter-production { (lang.pick("Ajouter une production", "Add a production")) }
            (error_summary(lang, errors, &labels))
            form method="post" action={ "/coalitions/" (coalition.slug) "/productions" } novalidate {
                (csrf(token))
                (input(lang, Input::text("production_title", labels[0].1, &typed.title).required(), errors))
                (input(lang, Input::text("url", labels[1].1, &typed.url).kind("url").required()
                    .hint(lang.pick("L'adresse où la production se consulte, commençant par https://.", "The address where the production can be read, starting with https://.")), errors))
                (select(lang, "licence", labels[2].1, &licences, &typed.licence, true, errors))
                (input(lang, Input::text("published_on", labels[3].1, &typed.published_on).kind("date").required(), errors))
                (textarea(lang, "description", labels[4].1, &typed.description, None, false, errors))
                div.actions { button type="submit" { (lang.pick("Ajouter la production", "Add the production")) } }
            }
        }
    }
}

//! A coalition's journal and productions: everyone reads the public entries and the
//! productions; its members and the programme staff also read the entries kept among
//! members (a new entry is kept among them unless its author makes it public); its
//! contributors, managers and the staff add entries and productions, edit an entry (an edit
//! from a page older than the entry is refused, 409, with what changed) and delete one after
//! a confirmation step.

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
use crate::web::ui::figures::changes_list;
use crate::web::ui::forms::{
    CONFIRM_FIELD, CONFIRMED, Confirmation, Input, choices, confirmation, csrf, error_summary,
    input, select, textarea,
};
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
    let typed = typed_entry(&form);
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

fn typed_entry(form: &CheckedForm) -> EntryForm {
    EntryForm {
        kind: form.value("kind"),
        occurred_on: form.value("occurred_on"),
        title: form.value("title"),
        attendance: form.value("attendance"),
        notes: form.value("notes"),
        is_public: form.get("is_public").is_some(),
    }
}

/// The form filled with an entry as stored, to edit it.
fn form_of(e: &db::JournalEntryRow) -> EntryForm {
    EntryForm {
        kind: e.kind.code().to_owned(),
        occurred_on: e.occurred_on.clone(),
        title: e.title.clone(),
        attendance: e.attendance.map(|n| n.to_string()).unwrap_or_default(),
        notes: e.notes.clone(),
        is_public: e.is_public(),
    }
}

fn entry_path(coalition: &Coalition, id: &str) -> String {
    format!("/coalitions/{}/journal/{id}", coalition.slug)
}

/// `GET /coalitions/{slug}/journal/{entry}/edit`: the entry in its form, for contributors.
pub async fn edit_form(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.contributes())?;
    let entry = app::journal::entry(&state.pool, &coalition.id, true, &id).await?;
    let token = session::csrf_token(&session)?;
    Ok(html_response(
        StatusCode::OK,
        edit_page(
            &ctx,
            &token,
            &coalition,
            &entry,
            &form_of(&entry),
            &FieldErrors::new(),
            None,
        ),
    ))
}

/// `POST /coalitions/{slug}/journal/{entry}/edit`: the entry edited, unless it changed since
/// the person's page (409, with what changed and what they typed kept in the form).
pub async fn edit(
    ctx: PageContext,
    User(user): User,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (coalition, access) = access::coalition(&state.pool, Some(&user), &slug).await?;
    access.require(access.contributes())?;
    let current = app::journal::entry(&state.pool, &coalition.id, true, &id).await?;
    let typed = typed_entry(&form);
    let token = session::csrf_token(&session)?;
    let entry = match form.checked(JournalEntry::try_from((&typed, today())), &["notes"]) {
        Ok(entry) => entry,
        Err(errors) => {
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&ctx, &token, &coalition, &current, &typed, &errors, None),
            ));
        }
    };
    // A form without the revision it showed is older than this rule: counted as stale.
    let shown = form.value("revision").trim().parse::<i32>().ok();
    match app::journal::edit_entry(
        &state.pool,
        &state.writes,
        &coalition.id,
        &id,
        shown,
        &user.id,
        &entry,
    )
    .await?
    {
        app::journal::Edited::Done => Ok(redirect(&format!(
            "/coalitions/{}/journal#entree-{id}",
            coalition.slug
        ))),
        app::journal::Edited::Stale { before, now } => {
            let changes = entry_changes(ctx.lang, before.as_deref(), &now);
            Ok(html_response(
                StatusCode::CONFLICT,
                edit_page(
                    &ctx,
                    &token,
                    &coalition,
                    &now,
                    &typed,
                    &FieldErrors::new(),
                    Some(changes),
                ),
            ))
        }
    }
}

/// What differs between the entry the person's page showed (`None` when it is not known)
/// and the entry now, field by field.
fn entry_changes(
    lang: Lang,
    before: Option<&db::JournalEntryRow>,
    now: &db::JournalEntryRow,
) -> Markup {
    let visibility = |e: &db::JournalEntryRow| {
        if e.is_public() {
            lang.pick("publique", "public")
        } else {
            lang.pick("réservée aux membres", "kept among members")
        }
        .to_owned()
    };
    let attendance = |e: &db::JournalEntryRow| {
        e.attendance
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    type Read = fn(&db::JournalEntryRow) -> String;
    let fields: [(&str, Read); 3] = [
        ("title", |e| e.title.clone()),
        ("occurred_on", |e| e.occurred_on.clone()),
        ("notes", |e| e.notes.clone()),
    ];
    let label = |name: &str| match name {
        "title" => lang.pick("Titre", "Title"),
        "occurred_on" => "Date",
        _ => "Notes",
    };
    let mut items = Vec::new();
    match before {
        Some(before) => {
            for (name, read) in fields {
                let (was, is) = (read(before), read(now));
                if was != is {
                    items.push(html! { (label(name)) (lang.pick(" : « ", ": « ")) (was) " » → « " strong { (is) } " »" });
                }
            }
            if before.kind != now.kind {
                items.push(html! { (lang.pick("Type : ", "Kind: ")) (before.kind.label(lang)) " → " strong { (now.kind.label(lang)) } });
            }
            if before.attendance != now.attendance {
                items.push(html! { (lang.pick("Participants : ", "Attendance: ")) (attendance(before)) " → " strong { (attendance(now)) } });
            }
            if before.is_public != now.is_public {
                items.push(html! { (lang.pick("Visibilité : ", "Visibility: ")) (visibility(before)) " → " strong { (visibility(now)) } });
            }
        }
        None => {
            items.push(html! { (lang.pick("L'entrée a été modifiée ; la voici telle qu'elle est maintenant : ", "The entry was edited; here it is as it is now: ")) "« " (now.title) " », " (now.occurred_on) " — " (visibility(now)) });
        }
    }
    if let Some(by) = &now.recorded_by_name {
        items.push(html! { (lang.pick("Dernière modification par ", "Last edited by ")) (by) });
    }
    changes_list(lang, items)
}

fn edit_page(
    ctx: &PageContext,
    token: &str,
    coalition: &Coalition,
    entry: &db::JournalEntryRow,
    typed: &EntryForm,
    errors: &FieldErrors,
    changes: Option<Markup>,
) -> Markup {
    let lang = ctx.lang;
    let title = format!(
        "{} — {}",
        lang.pick("Modifier l'entrée", "Edit the entry"),
        entry.title
    );
    let body = html! {
        p { a href={ "/coalitions/" (coalition.slug) "/journal" } { "← " (lang.pick("Le journal", "The journal")) } }
        h1 { (title) }
        @if let Some(changes) = changes {
            div.error-summary role="alert" tabindex="-1" autofocus {
                p { (lang.pick("Cette entrée a changé depuis que vous avez ouvert la page : rien n'a été enregistré. Voyez ce qui a changé ; ce que vous aviez saisi est gardé dans le formulaire, enregistrez-le à nouveau s'il doit remplacer la version actuelle.", "This entry changed since you opened the page: nothing was saved. See what changed; what you typed is kept in the form, save it again if it should replace the current version.")) }
                (changes)
            }
        }
        (entry_fields(ctx, &format!("{}/edit", entry_path(coalition, &entry.id)), token, typed, errors, Some(entry.revision),
            lang.pick("Enregistrer les modifications", "Save the changes")))
        h2 { (lang.pick("Supprimer l'entrée", "Delete the entry")) }
        form method="post" action={ (entry_path(coalition, &entry.id)) "/delete" } {
            (csrf(token))
            button.secondary type="submit" { (lang.pick("Supprimer l'entrée…", "Delete the entry…")) }
        }
    };
    page(ctx, &title, body)
}

/// `POST /coalitions/{slug}/journal/{entry}/delete`: without the confirmation, the page that
/// asks for it (nothing deleted); with it, the entry is deleted.
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
    access.require(access.contributes())?;
    let entry = app::journal::entry(&state.pool, &coalition.id, true, &id).await?;
    if form.value(CONFIRM_FIELD) != CONFIRMED {
        let lang = ctx.lang;
        let token = session::csrf_token(&session)?;
        let title = format!(
            "{} — {}",
            lang.pick("Supprimer l'entrée", "Delete the entry"),
            entry.title
        );
        let action = format!("{}/delete", entry_path(&coalition, &entry.id));
        let cancel = format!("/coalitions/{}/journal", coalition.slug);
        let body = html! {
            h1 { (title) }
            (confirmation(lang, &token, &Confirmation {
                what_happens: html! { p { (lang.pick("L'entrée « ", "The entry « ")) (entry.title) (lang.pick(" » du ", " » of ")) (entry.occurred_on)
                    (lang.pick(" et ses versions précédentes sont effacées du journal, pour tous.", " and its earlier versions are erased from the journal, for everyone.")) } },
                action: &action,
                fields: form.pairs(),
                confirm_label: lang.pick("Supprimer l'entrée", "Delete the entry"),
                cancel_href: &cancel,
            }))
        };
        return Ok(html_response(StatusCode::OK, page(&ctx, &title, body)));
    }
    app::journal::delete_entry(&state.pool, &state.writes, &coalition.id, &entry.id).await?;
    Ok(redirect(&format!("/coalitions/{}/journal", coalition.slug)))
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
                (entry_view(ctx, coalition, e, token.is_some()))
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

fn entry_view(
    ctx: &PageContext,
    coalition: &Coalition,
    e: &db::JournalEntryRow,
    edits: bool,
) -> Markup {
    let lang = ctx.lang;
    html! {
        article.card id={ "entree-" (e.id) } {
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
            @if edits {
                p { a href={ (entry_path(coalition, &e.id)) "/edit" } { (lang.pick("Modifier ou supprimer", "Edit or delete")) span.visually-hidden { " — " (e.title) } } }
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
    html! {
        section aria-labelledby="ajouter-entree" {
            h2 #ajouter-entree { (lang.pick("Ajouter une entrée au journal", "Add a journal entry")) }
            (entry_fields(ctx, &format!("/coalitions/{}/journal", coalition.slug), token, typed, errors, None,
                lang.pick("Ajouter l'entrée", "Add the entry")))
        }
    }
}

/// The fields of an entry, to add one or edit one (then `revision` is the one the page
/// shows, carried by the form).
fn entry_fields(
    ctx: &PageContext,
    action: &str,
    token: &str,
    typed: &EntryForm,
    errors: &FieldErrors,
    revision: Option<i32>,
    submit: &str,
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
        (error_summary(lang, errors, &labels))
        form method="post" action=(action) novalidate {
            (csrf(token))
            @if let Some(revision) = revision { input type="hidden" name="revision" value=(revision); }
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
            div.actions { button type="submit" { (submit) } }
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

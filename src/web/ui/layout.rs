//! The page frame shared by every page, and small components.

use crate::domain::account::SessionUser;
use crate::domain::i18n::Lang;
use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

/// What the layout needs: the language, the path of the page, who is signed in, and the
/// session's CSRF token for the sign-out button. Handlers take it from the request (see
/// [`crate::web::lang`], which reads it); it is defined here so that the view pieces depend
/// on nothing above them.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: Lang,
    pub path: String,
    pub user: Option<SessionUser>,
    pub csrf: Option<String>,
}

/// The site's name, in the title of every page and its header.
pub fn site_name(lang: Lang) -> &'static str {
    lang.pick(
        "#RESET — autodiagnostic et évaluation",
        "#RESET — self-diagnostic and evaluation",
    )
}

/// Path of the stylesheet; its content is in `static/style.css`.
pub const STYLESHEET: &str = "/static/style.css";

/// The pages every French public-facing service links from each page's footer:
/// `(path, French title, English title)` (see `pages::legal`).
pub const LEGAL_PAGES: [(&str, &str, &str); 4] = [
    ("/mentions-legales", "Mentions légales", "Legal notice"),
    (
        "/donnees-personnelles",
        "Données personnelles",
        "Personal data",
    ),
    (
        "/accessibilite",
        "Accessibilité : partiellement conforme",
        "Accessibility: partially compliant",
    ),
    ("/plan-du-site", "Plan du site", "Site map"),
];

/// A whole page: skip link, header with the language switch, the content, the footer.
pub fn page(ctx: &PageContext, title: &str, body: Markup) -> Markup {
    frame(ctx, title, None, body)
}

/// A page of a respondent's journey (reached through an invitation link, without an account):
/// the header offers no account links, which would lead the person away from their answers,
/// but `back`, the way back to their response, when there is one.
pub fn respondent_page(ctx: &PageContext, title: &str, back: Option<&str>, body: Markup) -> Markup {
    frame(ctx, title, Some(back), body)
}

/// `journey`: `Some` on a respondent's page, with the way back to their response.
fn frame(ctx: &PageContext, title: &str, journey: Option<Option<&str>>, body: Markup) -> Markup {
    let lang = ctx.lang;
    let other = lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (site_name(lang)) }
                link rel="stylesheet" href=(STYLESHEET);
            }
            body {
                a.skip-link href="#contenu" { (lang.pick("Aller au contenu", "Skip to content")) }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { (site_name(lang)) }
                        nav.account aria-label=(lang.pick("Navigation principale", "Main navigation")) {
                            @if let Some(back) = journey {
                                @if let Some(back) = back { a href=(back) { (lang.pick("Ma réponse", "My response")) } }
                            } @else {
                            a href="/coalitions" { "Coalitions" }
                            a href="/publications" { "Publications" }
                            @if let Some(user) = &ctx.user {
                                a href="/organisations" { (ctx.lang.pick("Mes organisations", "My organisations")) }
                                @if user.is_staff() { a href="/programme" { "Programme" } a href="/reports" { (ctx.lang.pick("Rapports", "Reports")) } }
                                a.user-name href="/account" { (user.name) span.visually-hidden { (ctx.lang.pick(" : mon compte", ": my account")) } }
                                form.inline method="post" action="/signout" {
                                    @if let Some(csrf) = &ctx.csrf { input type="hidden" name="_csrf" value=(csrf); }
                                    button.link-button type="submit" { (ctx.lang.pick("Se déconnecter", "Sign out")) }
                                }
                            } @else {
                                a href="/signin" { (ctx.lang.pick("Se connecter", "Sign in")) }
                                a href="/signup" { (ctx.lang.pick("Créer un compte", "Create an account")) }
                            }
                            }
                            a href={ (ctx.path) "?lang=" (other.code()) } lang=(other.code()) hreflang=(other.code()) {
                                (other.native_name())
                            }
                        }
                    }
                }
                main #contenu.wrap tabindex="-1" {
                    (body)
                }
                footer.site-footer {
                    div.wrap {
                        nav.legal aria-label=(ctx.lang.pick("Informations légales", "Legal information")) {
                            ul { @for (path, fr, en) in LEGAL_PAGES { li { a href=(path) { (ctx.lang.pick(fr, en)) } } } }
                        }
                        p { (lang.pick("Les questionnaires et les données ouvertes du programme sont publiés sous licence CC BY 4.0.", "The programme's questionnaires and open data are published under the CC BY 4.0 licence.")) " " (lang.pick("Logiciel libre reset-eval.", "reset-eval free software.")) }
                    }
                }
            }
        }
    }
}

/// The page of an error, in both languages since the request's language may be unknown.
pub fn error_page(status: StatusCode, fr: &str, en: &str) -> Markup {
    let ctx = PageContext {
        lang: Lang::Fr,
        path: "/".into(),
        user: None,
        csrf: None,
    };
    let code = status.as_u16();
    page(
        &ctx,
        &format!("Erreur {code}"),
        html! {
            h1 { "Erreur " (code) " — Error " (code) }
            p { (fr) }
            p lang="en" { (en) }
            p { a href="/" { "Retour à l'accueil" } " · " a href="/?lang=en" lang="en" { "Back to home" } }
        },
    )
}

/// A score out of 100 as shown: rounded to the unit, « — » when undefined.
pub fn score(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{:.0}", v),
        None => "—".to_owned(),
    }
}

/// Percent-encodes a value for a query string.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `303 See Other` to a local path: the answer to a form that succeeded.
pub fn redirect(location: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// An HTML page with its status.
pub fn html_response(
    status: actix_web::http::StatusCode,
    markup: Markup,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

//! The page frame shared by every page, and small components.

use super::lang::PageContext;
use super::texts::texts;
use crate::i18n::Lang;
use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

/// Path of the stylesheet; its content is in `static/style.css`.
pub const STYLESHEET: &str = "/static/style.css";

/// A whole page: skip link, header with the language switch, the content, the footer.
pub fn page(ctx: &PageContext, title: &str, body: Markup) -> Markup {
    let t = texts(ctx.lang);
    let other = ctx.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t.site_name) }
                link rel="stylesheet" href=(STYLESHEET);
            }
            body {
                a.skip-link href="#contenu" { (t.skip_to_content) }
                header.site-header {
                    div.wrap {
                        a.site-name href="/" { (t.site_name) }
                        nav aria-label=(t.language_switch_label) {
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
                        p { (t.footer_licence) " " (t.footer_source) }
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

//! Wide tables and text people typed, as every page shows them.
//!
//! A table wider than the screen scrolls inside its own container, never the page: at 320 px
//! (WCAG 1.4.10, reflow) only the table moves sideways. The container is a named region the
//! keyboard can reach (`tabindex="0"`), so that someone without a mouse can scroll it with the
//! arrow keys (WCAG 2.1.1), and a screen reader announces what it holds.

use crate::domain::i18n::Lang;
use maud::{Markup, html};

/// `table` in a horizontally scrolling region named by the elements whose ids are
/// `labelled_by` (space-separated, as `aria-labelledby`: the table's caption, or the heading
/// above it; both when several tables of a page have the same caption, since two regions of
/// one page must not have the same name).
pub fn scroll_table(labelled_by: &str, table: Markup) -> Markup {
    html! {
        div.table-scroll role="region" aria-labelledby=(labelled_by) tabindex="0" {
            (table)
        }
    }
}

/// Text a person typed, marked with the language it was written in when that is not the
/// page's (WCAG 3.1.2), so that a screen reader reads a French goal in French on an English
/// page. What people type is French unless the record says otherwise.
pub fn typed_text(page: Lang, written_in: Lang, text: &str) -> Markup {
    html! {
        @if page == written_in { (text) } @else { span lang=(written_in.code()) { (text) } }
    }
}

/// A text people wrote in French and, optionally, in English (a coalition's name, problem,
/// impact…): the English on an English page when there is one, else the French, marked as
/// French on an English page.
pub fn localized_text(page: Lang, fr: &str, en: &str) -> Markup {
    match page {
        Lang::En if !en.trim().is_empty() => typed_text(page, Lang::En, en),
        _ => typed_text(page, Lang::Fr, fr),
    }
}

/// The `lang` attribute for a block of typed text (a paragraph, a heading, a cell): the
/// text's language when it is not the page's, none otherwise.
pub fn typed_lang(page: Lang, written_in: Lang) -> Option<&'static str> {
    (page != written_in).then_some(written_in.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_table_scrolls_in_a_named_region_the_keyboard_reaches() {
        let html = scroll_table("t1", html! { table { caption #t1 { "Scores" } } }).into_string();
        assert!(html.starts_with(
            r#"<div class="table-scroll" role="region" aria-labelledby="t1" tabindex="0"><table>"#
        ));
    }

    #[test]
    fn french_text_on_an_english_page_says_it_is_french() {
        assert_eq!(
            typed_text(Lang::En, Lang::Fr, "Réduire <l'empreinte>").into_string(),
            r#"<span lang="fr">Réduire &lt;l'empreinte&gt;</span>"#
        );
        assert_eq!(
            typed_text(Lang::Fr, Lang::Fr, "Réduire").into_string(),
            "Réduire"
        );
        assert_eq!(typed_lang(Lang::En, Lang::Fr), Some("fr"));
        assert_eq!(
            localized_text(Lang::En, "Réduire", "Reduce").into_string(),
            "Reduce"
        );
        assert_eq!(
            localized_text(Lang::En, "Réduire", " ").into_string(),
            r#"<span lang="fr">Réduire</span>"#
        );
        assert_eq!(
            localized_text(Lang::Fr, "Réduire", "Reduce").into_string(),
            "Réduire"
        );
        assert_eq!(typed_lang(Lang::Fr, Lang::Fr), None);
    }
}

//! View pieces about coalitions that several pages show: the way back to a coalition's page,
//! how heterogeneous its members are, the stages it went through, and, on an organisation's
//! pages, the invitations to join a coalition and the choice to appear in the directory.
//! Nothing here depends on a page.

use crate::db::{Coalition, CoalitionInvitation, Member, StageHistoryEntry};
use crate::domain::coalition::{ActorType, localized};
use crate::domain::i18n::Lang;
use crate::web::ui::forms::csrf;
use crate::web::ui::tables::typed_text;
use maud::{Markup, html};

/// A coalition's address.
pub fn coalition_path(slug: &str) -> String {
    format!("/coalitions/{slug}")
}

/// The link back to a coalition's page, atop each of its other pages.
pub fn back_to(lang: Lang, coalition: &Coalition) -> Markup {
    html! {
        p { a href=(coalition_path(&coalition.slug)) { "← " (coalition.name(lang)) } }
    }
}

/// How heterogeneous the current members are: the actor types present out of the five, and
/// the normalised Shannon index, with what it means.
pub fn heterogeneity(lang: Lang, current: &[&Member]) -> Markup {
    let types: Vec<&str> = current.iter().map(|m| m.actor_type.code()).collect();
    let diversity = crate::domain::coalition::diversity::diversity(&types);
    let present: Vec<&ActorType> = ActorType::ALL
        .iter()
        .filter(|t| current.iter().any(|m| m.actor_type == **t))
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

/// The stages a coalition went through, oldest first.
pub fn stage_history(lang: Lang, history: &[StageHistoryEntry]) -> Markup {
    html! {
        @if !history.is_empty() {
            ol.stage-history {
                @for s in history {
                    li {
                        time datetime=(s.changed_on) { (lang.date(&s.changed_on)) } " — "
                        strong { (s.stage.label(lang)) }
                        @if !s.note.is_empty() { (lang.pick(" : ", ": ")) (typed_text(lang, Lang::Fr, &s.note)) }
                    }
                }
            }
        }
    }
}

/// The invitations waiting for an answer, each with its two buttons.
pub fn invitations_section(lang: Lang, token: &str, invitations: &[CoalitionInvitation]) -> Markup {
    html! {
        @if !invitations.is_empty() {
            section aria-labelledby="invitations-coalitions" {
                h2 #invitations-coalitions { (lang.pick("Invitations à rejoindre une coalition", "Invitations to join a coalition")) " (" (invitations.len()) ")" }
                p { (lang.pick("Votre organisation devient membre seulement si vous acceptez. Membre, elle apparaît sur la page publique de la coalition.", "Your organisation becomes a member only if you accept. As a member, it appears on the coalition's public page.")) }
                ul {
                    @for i in invitations {
                        @let coalition_name = localized(lang, &i.coalition_name_fr, &i.coalition_name_en);
                        li {
                            a href=(coalition_path(&i.coalition_slug)) { (coalition_name) }
                            " — " (i.organisation_name) " : " (i.role.label(lang))
                            " (" (i.actor_type.label(lang)) ", " (lang.pick("depuis le ", "from ")) (lang.date(&i.joined_on)) ")"
                            @let base = format!("/organisations/{}/coalition-invitations/{}", i.organisation_id, i.id);
                            form.row-form method="post" action={ (base) "/accept" } {
                                (csrf(token))
                                button type="submit" { (lang.pick("Accepter", "Accept")) span.visually-hidden { " — " (coalition_name) } }
                            }
                            form.row-form method="post" action={ (base) "/decline" } {
                                (csrf(token))
                                button.secondary type="submit" { (lang.pick("Refuser", "Decline")) span.visually-hidden { " — " (coalition_name) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The lead's choice to appear in the public directory.
pub fn directory_form(lang: Lang, token: &str, organisation_id: &str, listed: bool) -> Markup {
    html! {
        section aria-labelledby="annuaire" {
            h2 #annuaire { (lang.pick("Annuaire public", "Public directory")) }
            p {
                @if listed {
                    (lang.pick("L'organisation figure dans l'annuaire public : les porteurs des coalitions peuvent la trouver (nom, type, département) et l'inviter. Elle ne rejoint une coalition que si vous acceptez.", "The organisation is listed in the public directory: coalition leads can find it (name, type, département) and invite it. It joins a coalition only if you accept."))
                } @else {
                    (lang.pick("L'organisation ne figure pas dans l'annuaire public : seule l'équipe du programme la voit, et aucun porteur de coalition ne peut la trouver ni l'inviter.", "The organisation is not listed in the public directory: only the programme staff see it, and no coalition lead can find or invite it."))
                }
            }
            form method="post" action={ "/organisations/" (organisation_id) "/directory" } {
                (csrf(token))
                input type="hidden" name="listed" value=(if listed { "0" } else { "1" });
                button.secondary type="submit" {
                    (if listed { lang.pick("Retirer de l'annuaire public", "Remove from the public directory") } else { lang.pick("Figurer dans l'annuaire public", "Appear in the public directory") })
                }
            }
        }
    }
}

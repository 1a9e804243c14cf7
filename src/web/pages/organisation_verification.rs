//! Programme staff's « vérifiée » mark on an organisation: shown to its leads, changed by
//! staff only. Only a verified organisation is a peer of others and counts in the open data
//! and the yearly report, which keeps organisations anyone can make up out of them.

use crate::app::error::AppError;
use crate::app::organisations;
use crate::db::Organisation;
use crate::domain::i18n::Lang;
use crate::web::AppState;
use crate::web::session::{CheckedForm, User};
use crate::web::ui::forms::csrf;
use crate::web::ui::layout::redirect;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// Whether staff verified the organisation, and, for staff, the form that changes it.
pub fn section(lang: Lang, token: &str, organisation: &Organisation, staff: bool) -> Markup {
    let verified = organisation.verified == 1;
    html! {
        h2 #verification { (lang.pick("Vérification", "Verification")) }
        p {
            @if verified {
                strong { (lang.pick("Vérifiée", "Verified")) } (lang.pick(
                    " par l'équipe du programme : ses résultats collectifs comptent parmi les pairs des organisations du même type.",
                    " by the programme team: its collective results count among the peers of organisations of the same type."
                ))
            } @else {
                strong { (lang.pick("Pas encore vérifiée", "Not verified yet")) } (lang.pick(
                    " : l'équipe du programme vérifie qu'une organisation existe avant que ses résultats comptent parmi les pairs des autres.",
                    ": the programme team checks that an organisation exists before its results count among the peers of others."
                ))
            }
        }
        @if staff {
            form method="post" action={ "/organisations/" (organisation.id) "/verification" } {
                (csrf(token))
                input type="hidden" name="verified" value=(if verified { "0" } else { "1" });
                button type="submit" .secondary[verified] {
                    @if verified { (lang.pick("Retirer la vérification", "Remove the verification")) }
                    @else { (lang.pick("Marquer comme vérifiée", "Mark as verified")) }
                }
            }
        }
    }
}

/// POST /organisations/{id}/verification: programme staff set or clear « vérifiée ». A lead
/// may not: verification is what keeps organisations a lead made up out of the peers.
pub async fn set_verification(
    User(user): User,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm,
) -> Result<HttpResponse, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    // Anything but an explicit « 1 » clears it: the safe side.
    let verified = form.value("verified") == "1";
    organisations::set_verified(&state.pool, &path, verified).await?;
    Ok(redirect(&format!(
        "/organisations/{}#verification",
        path.as_str()
    )))
}

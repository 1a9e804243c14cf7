//! Every route of the service, in one place.

use super::{health, pages};
use actix_web::http::header;
use actix_web::{HttpResponse, web};

const STYLE_CSS: &str = include_str!("static/style.css");

pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::*;
    cfg.route("/", web::get().to(home::show))
        .route("/health", web::get().to(health::health))
        .route(
            "/questionnaires/{slug}/{version}",
            web::get().to(questionnaire::show),
        )
        // Coalitions, for everyone
        .route("/coalitions", web::get().to(coalitions::list))
        // Before `/coalitions/{slug}`, which would take « new » for a slug.
        .route("/coalitions/new", web::get().to(coalition_manage::new_form))
        .route("/coalitions/new", web::post().to(coalition_manage::create))
        .route("/coalitions/{slug}", web::get().to(coalitions::show))
        // Coalition identity, stages and members, for its managers
        .route(
            "/coalitions/{slug}/edit",
            web::get().to(coalition_manage::edit_form),
        )
        .route(
            "/coalitions/{slug}/edit",
            web::post().to(coalition_manage::update),
        )
        .route(
            "/coalitions/{slug}/stage",
            web::post().to(coalition_manage::change_stage),
        )
        .route(
            "/coalitions/{slug}/members",
            web::get().to(coalition_manage::members),
        )
        .route(
            "/coalitions/{slug}/members",
            web::post().to(coalition_manage::add_member),
        )
        .route(
            "/coalitions/{slug}/members/{id}/role",
            web::post().to(coalition_manage::change_role),
        )
        .route(
            "/coalitions/{slug}/members/{id}/end",
            web::post().to(coalition_manage::end_membership),
        )
        // Coalition journal and productions
        .route(
            "/coalitions/{slug}/journal",
            web::get().to(coalition_journal::show),
        )
        .route(
            "/coalitions/{slug}/journal",
            web::post().to(coalition_journal::add_entry),
        )
        .route(
            "/coalitions/{slug}/productions",
            web::post().to(coalition_journal::add_production),
        )
        // Coalition impact goals, indicators and measurements
        .route(
            "/coalitions/{slug}/goals",
            web::post().to(indicators::goal_create),
        )
        .route(
            "/coalitions/{slug}/goals/new",
            web::get().to(indicators::goal_new_form),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/edit",
            web::get().to(indicators::goal_edit_form),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/edit",
            web::post().to(indicators::goal_update),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/indicators",
            web::post().to(indicators::indicator_create),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/indicators/new",
            web::get().to(indicators::indicator_new_form),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}",
            web::get().to(indicators::indicator_show),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/baseline",
            web::get().to(indicators::baseline_form),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/baseline",
            web::post().to(indicators::baseline_record),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/targets",
            web::post().to(indicators::target_record),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/targets/{target}/delete",
            web::post().to(indicators::target_delete),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/measurements",
            web::post().to(indicators::measurement_record),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}",
            web::get().to(indicators::measurement_show),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}/revise",
            web::post().to(indicators::measurement_revise),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}/status",
            web::post().to(indicators::measurement_status),
        )
        // Coalition actions
        .route(
            "/coalitions/{slug}/actions",
            web::get().to(coalition_actions::board),
        )
        .route(
            "/coalitions/{slug}/actions",
            web::post().to(coalition_actions::create),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/edit",
            web::get().to(coalition_actions::edit_form),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/edit",
            web::post().to(coalition_actions::update),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/status",
            web::post().to(coalition_actions::move_status),
        )
        // The programme overview, for staff
        .route("/reports", web::get().to(reports::list))
        .route("/reports", web::post().to(reports::produce))
        .route("/reports/{year}", web::get().to(reports::show))
        .route(
            "/reports/{year}/files/{path:.*}",
            web::get().to(reports::file),
        )
        .route(
            "/reports/{year}/publish",
            web::get().to(reports::publish_form),
        )
        .route("/reports/{year}/publish", web::post().to(reports::publish))
        // Published reports, for everyone
        .route("/publications", web::get().to(publications::list))
        .route("/publications/{year}", web::get().to(publications::show))
        .route(
            "/publications/{year}/files/{path:.*}",
            web::get().to(publications::file),
        )
        .route("/programme", web::get().to(programme::overview))
        // Accounts
        .route("/signup", web::get().to(sign_up::sign_up_form))
        .route("/signup", web::post().to(sign_up::sign_up))
        .route("/signin", web::get().to(sign_in::sign_in_form))
        .route("/signin", web::post().to(sign_in::sign_in))
        .route("/signout", web::post().to(sign_in::sign_out))
        .route(
            "/signout/everywhere",
            web::post().to(sign_in::sign_out_everywhere),
        )
        .route("/account", web::get().to(account::show))
        // Organisations, for their leads and programme staff
        .route("/organisations", web::get().to(organisations::list))
        .route("/organisations", web::post().to(organisations::create))
        .route("/organisations/new", web::get().to(organisations::new_form))
        .route("/organisations/{id}", web::get().to(organisations::show))
        .route(
            "/organisations/{id}/edit",
            web::get().to(organisations::edit_form),
        )
        .route(
            "/organisations/{id}/edit",
            web::post().to(organisations::update),
        )
        .route(
            "/organisations/{id}/diagnostics",
            web::post().to(organisations::open_diagnostic),
        )
        // Joining coalitions: the public directory and invitations, for the organisation's leads
        .route(
            "/organisations/{id}/directory",
            web::post().to(coalition_invitations::set_directory),
        )
        .route(
            "/organisations/{id}/coalition-invitations/{invitation}/accept",
            web::post().to(coalition_invitations::accept),
        )
        .route(
            "/organisations/{id}/coalition-invitations/{invitation}/decline",
            web::post().to(coalition_invitations::decline),
        )
        .route(
            "/organisations/{id}/verification",
            web::post().to(organisations::set_verification),
        )
        // Diagnostics, as their organisation's lead manages and reads them
        .route("/diagnostics/{id}", web::get().to(diagnostics::show))
        .route(
            "/diagnostics/{id}/invitations",
            web::post().to(diagnostics::invite),
        )
        .route(
            "/diagnostics/{id}/invitations/{invitation}/revoke",
            web::post().to(diagnostics::revoke),
        )
        .route(
            "/diagnostics/{id}/results",
            web::get().to(results::organisation_page),
        )
        .route(
            "/diagnostics/{id}/results.csv",
            web::get().to(results::organisation_csv),
        )
        .route(
            "/diagnostics/{id}/results.json",
            web::get().to(results::organisation_json),
        )
        // The respondent's journey, through an invitation link and no account
        .route("/r/{token}", web::get().to(respond::introduction))
        .route("/r/{token}/start", web::post().to(respond::start))
        .route("/r/{token}/step/{n}", web::get().to(respond::step))
        .route("/r/{token}/step/{n}", web::post().to(respond::save_step))
        .route("/r/{token}/review", web::get().to(respond::review))
        .route("/r/{token}/submit", web::post().to(respond::submit))
        .route(
            "/r/{token}/results",
            web::get().to(results::respondent_page),
        )
        .route(super::ui::layout::STYLESHEET, web::get().to(stylesheet))
        .default_service(web::to(not_found));
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE_CSS)
}

/// Any other address: the same two-language page as every « not found ».
async fn not_found() -> Result<HttpResponse, crate::app::error::AppError> {
    Err(crate::app::error::AppError::NotFound)
}

//! Every route of the service, in one place.

use super::{health, pages};
use actix_web::http::header;
use actix_web::{HttpResponse, web};

const STYLE_CSS: &str = include_str!("static/style.css");
/// The site's icon, asked by every browser: a 16 × 16 and a 32 × 32 image, made here.
const FAVICON: &[u8] = include_bytes!("static/favicon.ico");

pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::*;
    cfg.route("/", web::get().to(home::show))
        .route("/health", web::get().to(health::health))
        .route(
            "/questionnaires/{slug}/{version}",
            web::get().to(questionnaire::show),
        )
        // Coalitions, for everyone
        .route("/coalitions", web::get().to(coalition::list::list))
        // Before `/coalitions/{slug}`, which would take « new » for a slug.
        .route(
            "/coalitions/new",
            web::get().to(coalition::settings::new_form),
        )
        .route(
            "/coalitions/new",
            web::post().to(coalition::settings::create),
        )
        .route(
            "/coalitions/{slug}",
            web::get().to(coalition::overview::show),
        )
        // Coalition identity, stages and members, for its managers
        .route(
            "/coalitions/{slug}/edit",
            web::get().to(coalition::settings::edit_form),
        )
        .route(
            "/coalitions/{slug}/edit",
            web::post().to(coalition::settings::update),
        )
        .route(
            "/coalitions/{slug}/stage",
            web::post().to(coalition::settings::change_stage),
        )
        .route(
            "/coalitions/{slug}/members",
            web::get().to(coalition::members::members),
        )
        .route(
            "/coalitions/{slug}/members",
            web::post().to(coalition::members::add_member),
        )
        .route(
            "/coalitions/{slug}/members/{id}/role",
            web::post().to(coalition::members::change_role),
        )
        .route(
            "/coalitions/{slug}/members/{id}/end",
            web::post().to(coalition::members::end_membership),
        )
        // Coalition journal and productions
        .route(
            "/coalitions/{slug}/journal",
            web::get().to(coalition::journal::show),
        )
        .route(
            "/coalitions/{slug}/journal",
            web::post().to(coalition::journal::add_entry),
        )
        .route(
            "/coalitions/{slug}/productions",
            web::post().to(coalition::journal::add_production),
        )
        // Coalition impact goals, indicators and measurements
        .route(
            "/coalitions/{slug}/goals",
            web::post().to(coalition::goals::create),
        )
        .route(
            "/coalitions/{slug}/goals/new",
            web::get().to(coalition::goals::new_form),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/edit",
            web::get().to(coalition::goals::edit_form),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/edit",
            web::post().to(coalition::goals::update),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/indicators",
            web::post().to(coalition::indicators::create),
        )
        .route(
            "/coalitions/{slug}/goals/{goal}/indicators/new",
            web::get().to(coalition::indicators::new_form),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}",
            web::get().to(coalition::indicators::show),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/baseline",
            web::get().to(coalition::baselines::form),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/baseline",
            web::post().to(coalition::baselines::record),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/targets",
            web::post().to(coalition::targets::record),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/targets/{target}/delete",
            web::post().to(coalition::targets::delete),
        )
        .route(
            "/coalitions/{slug}/indicators/{id}/measurements",
            web::post().to(coalition::measurements::record),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}",
            web::get().to(coalition::measurements::show),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}/revise",
            web::post().to(coalition::measurements::revise),
        )
        .route(
            "/coalitions/{slug}/measurements/{id}/status",
            web::post().to(coalition::measurements::change_status),
        )
        // Coalition actions
        .route(
            "/coalitions/{slug}/actions",
            web::get().to(coalition::actions::board),
        )
        .route(
            "/coalitions/{slug}/actions",
            web::post().to(coalition::actions::create),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/edit",
            web::get().to(coalition::actions::edit_form),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/edit",
            web::post().to(coalition::actions::update),
        )
        .route(
            "/coalitions/{slug}/actions/{id}/status",
            web::post().to(coalition::actions::move_status),
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
        .route("/programme/mail", web::get().to(programme_mail::show))
        .route(
            "/programme/mail/{id}/retry",
            web::post().to(programme_mail::retry),
        )
        // Accounts
        .route("/signup", web::get().to(sign_up::sign_up_form))
        .route("/signup", web::post().to(sign_up::sign_up))
        .route("/signup/sent", web::get().to(sign_up::sent))
        .route(
            "/signup/confirm/{token}",
            web::get().to(sign_up::confirm_form),
        )
        .route("/signup/confirm/{token}", web::post().to(sign_up::confirm))
        // A forgotten password
        .route("/password/forgot", web::get().to(password::forgot_form))
        .route("/password/forgot", web::post().to(password::forgot))
        .route(
            "/password/forgot/sent",
            web::get().to(password::forgot_sent),
        )
        .route(
            "/password/reset/{token}",
            web::get().to(password::reset_form),
        )
        .route("/password/reset/{token}", web::post().to(password::reset))
        .route("/signin", web::get().to(sign_in::sign_in_form))
        .route("/signin", web::post().to(sign_in::sign_in))
        .route("/signout", web::post().to(sign_in::sign_out))
        .route(
            "/signout/everywhere",
            web::post().to(sign_in::sign_out_everywhere),
        )
        .route("/account", web::get().to(account::show))
        .route("/account/name", web::post().to(account::rename))
        .route(
            "/account/email",
            web::post().to(account::request_email_change),
        )
        .route(
            "/account/email/confirm/{secret}",
            web::get().to(account::confirm_email_form),
        )
        .route(
            "/account/email/confirm/{secret}",
            web::post().to(account::confirm_email),
        )
        .route("/account/language", web::post().to(account::set_language))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .route("/account/data.json", web::get().to(account::download_data))
        .route("/account/delete", web::get().to(account::delete_form))
        .route("/account/delete", web::post().to(account::delete))
        .route("/account/deleted", web::get().to(account::deleted))
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
            web::post().to(diagnostics::open),
        )
        // Joining coalitions: the public directory and invitations, for the organisation's leads
        .route(
            "/organisations/{id}/directory",
            web::post().to(coalition::invitations::set_directory),
        )
        .route(
            "/organisations/{id}/coalition-invitations/{invitation}/accept",
            web::post().to(coalition::invitations::accept),
        )
        .route(
            "/organisations/{id}/coalition-invitations/{invitation}/decline",
            web::post().to(coalition::invitations::decline),
        )
        // Co-leads: an organisation's leads, inviting one by e-mail, stepping down
        .route("/organisations/{id}/leads", web::get().to(co_leads::show))
        .route(
            "/organisations/{id}/leads/invitations",
            web::post().to(co_leads::invite),
        )
        .route(
            "/organisations/{id}/leads/step-down",
            web::post().to(co_leads::step_down),
        )
        .route("/co-leads/{token}", web::get().to(co_leads::open))
        .route("/co-leads/{token}/accept", web::post().to(co_leads::accept))
        .route(
            "/organisations/{id}/verification",
            web::post().to(organisation_verification::set_verification),
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
        // Invitations by e-mail, reminders and the closing date
        .route(
            "/diagnostics/{id}/mail-invitations",
            web::get().to(mail_invitations::show),
        )
        .route(
            "/diagnostics/{id}/mail-invitations",
            web::post().to(mail_invitations::invite),
        )
        .route(
            "/diagnostics/{id}/mail-invitations/{invitation}/remind",
            web::post().to(mail_invitations::remind),
        )
        .route(
            "/diagnostics/{id}/closing",
            web::post().to(mail_invitations::set_closing),
        )
        .route(
            "/diagnostics/{id}/results",
            web::get().to(results::organisation_page),
        )
        .route(
            "/diagnostics/{id}/results.csv",
            web::get().to(result_downloads::organisation_csv),
        )
        .route(
            "/diagnostics/{id}/results.json",
            web::get().to(result_downloads::organisation_json),
        )
        // The respondent's journey, through an invitation link and no account
        .route("/r/{token}", web::get().to(respond::introduction))
        .route("/r/{token}/start", web::post().to(respond::start))
        .route("/r/{token}/step/{n}", web::get().to(response_steps::step))
        .route(
            "/r/{token}/step/{n}",
            web::post().to(response_steps::save_step),
        )
        .route("/r/{token}/review", web::get().to(respond::review))
        .route("/r/{token}/submit", web::post().to(respond::submit))
        .route(
            "/r/{token}/results",
            web::get().to(results::respondent_page),
        )
        // The pages every French public-facing service has
        .route("/mentions-legales", web::get().to(legal::legal_notice))
        .route("/donnees-personnelles", web::get().to(legal::personal_data))
        .route("/accessibilite", web::get().to(legal::accessibility))
        .route("/plan-du-site", web::get().to(legal::site_map))
        .route("/favicon.ico", web::get().to(favicon))
        .route(super::ui::layout::STYLESHEET, web::get().to(stylesheet))
        .default_service(web::to(not_found));
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE_CSS)
}

async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/x-icon")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(FAVICON)
}

/// Any other address: the same two-language page as every « not found ».
async fn not_found() -> Result<HttpResponse, crate::app::error::AppError> {
    Err(crate::app::error::AppError::NotFound)
}

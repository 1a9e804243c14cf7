//! Every route of the service, in one place.

use super::{health, pages};
use actix_web::http::header;
use actix_web::{HttpResponse, web};

const STYLE_CSS: &str = include_str!("static/style.css");
/// The site's icon, asked by every browser: a 16 × 16 and a 32 × 32 image, made here.
const FAVICON: &[u8] = include_bytes!("static/favicon.ico");

pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::*;
    // One scope a feature; inside a scope, paths are relative to it ("" is the scope itself).
    // A scope that matches answers every path under it: what it lacks is our 404, so nothing
    // under a scope's prefix may be routed outside it.
    cfg.route(super::ui::layout::STYLESHEET, web::get().to(stylesheet))
        // The site: home, questionnaires, the pages every French public-facing service has
        .route("/", web::get().to(home::show))
        .route("/health", web::get().to(health::health))
        .route(
            "/questionnaires/{slug}/{version}",
            web::get().to(questionnaire::show),
        )
        .route("/mentions-legales", web::get().to(legal::legal_notice))
        .route("/donnees-personnelles", web::get().to(legal::personal_data))
        .route("/accessibilite", web::get().to(legal::accessibility))
        .route("/plan-du-site", web::get().to(legal::site_map))
        .route("/favicon.ico", web::get().to(favicon))
        // Accounts: sign-up confirmed by mail, sign-in, a forgotten password, the account page
        .route("/signup", web::get().to(sign_up::sign_up_form))
        .route("/signup", web::post().to(sign_up::sign_up))
        .route("/signup/sent", web::get().to(sign_up::sent))
        .route(
            "/signup/confirm/{token}",
            web::get().to(sign_up::confirm_form),
        )
        .route("/signup/confirm/{token}", web::post().to(sign_up::confirm))
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
        .service(
            web::scope("/account")
                .route("", web::get().to(account::show))
                .route("/name", web::post().to(account::rename))
                .route("/email", web::post().to(account::request_email_change))
                .route(
                    "/email/confirm/{secret}",
                    web::get().to(account::confirm_email_form),
                )
                .route(
                    "/email/confirm/{secret}",
                    web::post().to(account::confirm_email),
                )
                .route("/language", web::post().to(account::set_language))
                .route("/password", web::post().to(account::change_password))
                .route("/data.json", web::get().to(account::download_data))
                .route("/delete", web::get().to(account::delete_form))
                .route("/delete", web::post().to(account::delete))
                .route("/deleted", web::get().to(account::deleted)),
        )
        // Organisations, for their leads and programme staff (`/organisations/new` before the scope,
        // which would take « new » for an id)
        .route("/organisations", web::get().to(organisations::list))
        .route("/organisations", web::post().to(organisations::create))
        .route("/organisations/new", web::get().to(organisations::new_form))
        .service(
            web::scope("/organisations/{id}")
                .route("", web::get().to(organisations::show))
                .route("/edit", web::get().to(organisations::edit_form))
                .route("/edit", web::post().to(organisations::update))
                .route("/diagnostics", web::post().to(diagnostics::open))
                .route(
                    "/directory",
                    web::post().to(coalition::invitations::set_directory),
                )
                .route(
                    "/coalition-invitations/{invitation}/accept",
                    web::post().to(coalition::invitations::accept),
                )
                .route(
                    "/coalition-invitations/{invitation}/decline",
                    web::post().to(coalition::invitations::decline),
                )
                .route("/leads", web::get().to(co_leads::show))
                .route("/leads/invitations", web::post().to(co_leads::invite))
                .route("/leads/step-down", web::post().to(co_leads::step_down))
                .route(
                    "/delete",
                    web::get().to(organisation_deletion::confirm_form),
                )
                .route("/delete", web::post().to(organisation_deletion::delete))
                .route(
                    "/verification",
                    web::post().to(organisation_verification::set_verification),
                ),
        )
        // Accepting to co-lead an organisation, from the link in the mail
        .service(
            web::scope("/co-leads/{token}")
                .route("", web::get().to(co_leads::open))
                .route("/accept", web::post().to(co_leads::accept)),
        )
        // Diagnostics: links, invitations by mail, closing date, results
        .service(
            web::scope("/diagnostics/{id}")
                .route("", web::get().to(diagnostics::show))
                .route("/invitations", web::post().to(diagnostics::invite))
                .route(
                    "/invitations/{invitation}/revoke",
                    web::get().to(diagnostics::confirm_revoke),
                )
                .route(
                    "/invitations/{invitation}/revoke",
                    web::post().to(diagnostics::revoke),
                )
                .route(
                    "/invitations/{invitation}/reinstate",
                    web::post().to(diagnostics::reinstate),
                )
                // A diagnostic's life (issue 14): closing, responses set aside, deletion
                .route(
                    "/closing-date",
                    web::post().to(diagnostics::set_closing_date),
                )
                .route("/close", web::post().to(diagnostics::close))
                .route("/reopen", web::post().to(diagnostics::reopen))
                .route(
                    "/responses/{response}/set-aside",
                    web::get().to(diagnostics::confirm_set_aside),
                )
                .route(
                    "/responses/{response}/set-aside",
                    web::post().to(diagnostics::set_aside),
                )
                .route(
                    "/responses/{response}/restore",
                    web::post().to(diagnostics::restore),
                )
                .route("/delete", web::get().to(diagnostics::confirm_delete))
                .route("/delete", web::post().to(diagnostics::delete))
                .route("/mail-invitations", web::get().to(mail_invitations::show))
                .route(
                    "/mail-invitations",
                    web::post().to(mail_invitations::invite),
                )
                .route(
                    "/mail-invitations/{invitation}/remind",
                    web::post().to(mail_invitations::remind),
                )
                .route("/closing", web::post().to(mail_invitations::set_closing))
                .route("/results", web::get().to(results::organisation_page))
                .route(
                    "/results/{quality}",
                    web::get().to(results::quality_answers_page),
                )
                .route(
                    "/results.csv",
                    web::get().to(result_downloads::organisation_csv),
                )
                .route(
                    "/results.json",
                    web::get().to(result_downloads::organisation_json),
                )
                .route("/join-requests", web::post().to(join_requests::ask)),
        )
        // The respondent's journey, through an invitation link and no account
        .service(
            web::scope("/r/{token}")
                .route("", web::get().to(respond::introduction))
                .route("/start", web::post().to(respond::start))
                .route("/step/{n}", web::get().to(response_steps::step))
                .route("/step/{n}", web::post().to(response_steps::save_step))
                .route("/review", web::get().to(respond::review))
                .route("/submit", web::post().to(respond::submit))
                .route("/results", web::get().to(results::respondent_page)),
        )
        // Coalitions, for everyone; a coalition's pages under its scope (`/coalitions/new` first,
        // which the scope would take for a slug)
        .route("/coalitions", web::get().to(coalition::list::list))
        .route(
            "/coalitions/new",
            web::get().to(coalition::settings::new_form),
        )
        .route(
            "/coalitions/new",
            web::post().to(coalition::settings::create),
        )
        .service(
            web::scope("/coalitions/{slug}")
                .route("", web::get().to(coalition::overview::show))
                .route("/edit", web::get().to(coalition::settings::edit_form))
                .route("/edit", web::post().to(coalition::settings::update))
                .route("/stage", web::post().to(coalition::settings::change_stage))
                .route("/members", web::get().to(coalition::members::members))
                .route("/members", web::post().to(coalition::members::add_member))
                .route(
                    "/join-requests/{request}/accept",
                    web::post().to(join_requests::accept),
                )
                .route(
                    "/join-requests/{request}/decline",
                    web::post().to(join_requests::decline),
                )
                .route(
                    "/members/{id}/role",
                    web::post().to(coalition::members::change_role),
                )
                .route(
                    "/members/{id}/end",
                    web::post().to(coalition::members::end_membership),
                )
                .route("/journal", web::get().to(coalition::journal::show))
                .route("/journal", web::post().to(coalition::journal::add_entry))
                .route(
                    "/journal/{entry}/edit",
                    web::get().to(coalition::journal::edit_form),
                )
                .route(
                    "/journal/{entry}/edit",
                    web::post().to(coalition::journal::edit),
                )
                .route(
                    "/journal/{entry}/delete",
                    web::post().to(coalition::journal::delete),
                )
                .route(
                    "/productions",
                    web::post().to(coalition::journal::add_production),
                )
                .route("/goals", web::post().to(coalition::goals::create))
                .route("/goals/new", web::get().to(coalition::goals::new_form))
                .route(
                    "/goals/{goal}/edit",
                    web::get().to(coalition::goals::edit_form),
                )
                .route(
                    "/goals/{goal}/edit",
                    web::post().to(coalition::goals::update),
                )
                .route(
                    "/goals/{goal}/indicators",
                    web::post().to(coalition::indicators::create),
                )
                .route(
                    "/goals/{goal}/indicators/new",
                    web::get().to(coalition::indicators::new_form),
                )
                .route(
                    "/indicators/{id}",
                    web::get().to(coalition::indicators::show),
                )
                .route(
                    "/indicators/{id}/edit",
                    web::get().to(coalition::indicators::edit_form),
                )
                .route(
                    "/indicators/{id}/edit",
                    web::post().to(coalition::indicators::correct),
                )
                .route(
                    "/indicators/{id}/delete",
                    web::post().to(coalition::indicators::delete),
                )
                .route(
                    "/indicators/{id}/baseline",
                    web::get().to(coalition::baselines::form),
                )
                .route(
                    "/indicators/{id}/baseline",
                    web::post().to(coalition::baselines::record),
                )
                .route(
                    "/indicators/{id}/targets",
                    web::post().to(coalition::targets::record),
                )
                .route(
                    "/indicators/{id}/targets/{target}/delete",
                    web::post().to(coalition::targets::delete),
                )
                .route(
                    "/indicators/{id}/measurements",
                    web::post().to(coalition::measurements::record),
                )
                .route(
                    "/measurements/{id}",
                    web::get().to(coalition::measurements::show),
                )
                .route(
                    "/measurements/{id}/revise",
                    web::post().to(coalition::measurements::revise),
                )
                .route(
                    "/measurements/{id}/status",
                    web::post().to(coalition::measurements::change_status),
                )
                .route("/actions", web::get().to(coalition::actions::board))
                .route("/actions", web::post().to(coalition::actions::create))
                .route(
                    "/actions/{id}/edit",
                    web::get().to(coalition::actions::edit_form),
                )
                .route(
                    "/actions/{id}/edit",
                    web::post().to(coalition::actions::update),
                )
                .route(
                    "/actions/{id}/status",
                    web::post().to(coalition::actions::move_status),
                ),
        )
        // Programme staff: the overview, the mail queue, the yearly reports
        .service(
            web::scope("/programme")
                .route("", web::get().to(programme::overview))
                .route(
                    "/indicators/{family}",
                    web::get().to(programme::family_indicators),
                )
                .route("/validation", web::get().to(programme_validation::queue))
                .route("/validation", web::post().to(programme_validation::decide))
                .route("/mail", web::get().to(programme_mail::show))
                .route("/mail/{id}/retry", web::post().to(programme_mail::retry)),
        )
        .service(
            web::scope("/reports")
                .route("", web::get().to(reports::list))
                .route("", web::post().to(reports::produce))
                .route("/{year}", web::get().to(reports::show))
                .route("/{year}/files/{path:.*}", web::get().to(reports::file))
                .route("/{year}/publish", web::get().to(reports::publish_form))
                .route("/{year}/publish", web::post().to(reports::publish)),
        )
        // Published reports, for everyone
        .service(
            web::scope("/publications")
                .route("", web::get().to(publications::list))
                .route("/{year}", web::get().to(publications::show))
                .route("/{year}/files/{path:.*}", web::get().to(publications::file)),
        )
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

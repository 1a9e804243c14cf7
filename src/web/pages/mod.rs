//! The pages, one module each.

pub mod account;
pub mod co_leads;
pub mod coalition;
pub mod diagnostics;
pub mod home;
pub mod join_requests;
pub mod legal;
pub mod mail_invitations;
pub mod organisation_deletion;
pub mod organisation_verification;
pub mod organisations;
pub mod password;
pub mod programme;
pub mod programme_mail;
pub mod programme_validation;
pub mod publications;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod response_steps;
pub mod result_downloads;
pub mod results;
pub mod sign_in;
pub mod sign_up;

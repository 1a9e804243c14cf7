//! The pages, one module each.

pub mod account;
pub mod coalition;
pub mod diagnostics;
pub mod home;
pub mod organisation_verification;
pub mod organisations;
pub mod programme;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod response_steps;
pub mod result_downloads;
pub mod results;

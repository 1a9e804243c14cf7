//! The pages, one module each.

pub mod account;
pub mod coalition;
pub mod diagnostics;
pub mod home;
pub mod indicators;
pub mod organisations;
pub mod programme;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod results;

//! The pages, one module each.

pub mod account;
pub mod home;
pub mod organisations;
pub mod questionnaire;

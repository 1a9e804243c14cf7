//! The pages, one module each.

pub mod home;
pub mod questionnaire;

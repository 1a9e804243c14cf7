//! The pages, one module each.

pub mod account;
pub mod coalition;
pub mod coalition_actions;
pub mod coalition_invitations;
pub mod coalition_journal;
pub mod coalition_manage;
pub mod coalitions;
pub mod diagnostics;
pub mod home;
pub mod indicators;
pub mod organisations;
pub mod programme;
pub mod publications;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod results;
pub mod sign_in;
pub mod sign_up;

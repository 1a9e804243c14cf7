//! The pages, one module each.

pub mod account;
pub mod co_leads;
pub mod coalition;
pub mod coalition_actions;
pub mod coalition_invitations;
pub mod coalition_journal;
pub mod coalition_manage;
pub mod coalitions;
pub mod diagnostics;
pub mod home;
pub mod indicators;
pub mod mail_invitations;
pub mod organisations;
pub mod password;
pub mod programme;
pub mod programme_mail;
pub mod questionnaire;
pub mod reports;
pub mod respond;
pub mod results;
pub mod sign_in;
pub mod sign_up;

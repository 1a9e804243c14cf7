//! The use cases: what the service does for a person or for the command line, in the domain's
//! words (load, decide with the pure rules of [`crate::domain`], write in one transaction).
//! No HTTP and no HTML here: the web layer and the command line call these.

pub mod account_settings;
pub mod accounts;
pub mod actions;
pub mod co_leads;
pub mod coalitions;
pub mod demo;
pub mod diagnostics;
pub mod error;
pub mod export;
pub mod indicators;
pub mod invitations;
pub mod jobs;
pub mod join_requests;
pub mod journal;
pub mod mail_delivery;
pub mod mailer;
pub mod notifications;
pub mod organisation_deletion;
pub mod organisations;
pub mod publications;
pub mod responses;
pub mod results;
pub mod retention;
pub mod tasks;
pub mod versions;
pub mod worker;

//! The integration suite: one binary, the app bound on port 0 with a fresh database per
//! test — SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.

mod account_settings;
mod accounts;
mod cli;
mod co_leads;
mod coalition_actions;
mod coalition_journal;
mod coalition_members;
mod coalition_privacy;
mod coalition_tracking;
mod coalitions;
mod demo;
mod diagnostic;
mod faults;
mod full_disk;
mod health;
mod helpers;
mod legal;
mod mail;
mod mail_invitations;
mod mailbox;
mod notifications;
mod open_data;
mod pages;
mod programme;
mod publications;
mod questionnaire_files;
mod report;
mod requests;
mod response_tokens;
mod results_privacy;
mod retention;
mod sessions;
mod stale_forms;
mod synthetic;
mod versioning;

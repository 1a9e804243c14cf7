//! reset-eval: the self-diagnostic and impact-evaluation service of the #RESET programme.
//!
//! Pure computation ([`questionnaire`], [`scoring`]) is free of the web and the database; the
//! web layer ([`web`]) and the storage ([`database`]) call it. [`startup`] assembles them and
//! [`cli`] is the command line. See `README.md` for how to run it.

pub mod analytics;
pub mod auth;
pub mod charts;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod csv_cells;
pub mod database;
pub mod demo;
pub mod domain;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod impact;
pub mod open_data;
pub mod preflight;
pub mod publication;
pub mod questionnaire;
pub mod report;
pub mod results;
pub mod scoring;
pub mod startup;
pub mod tracking;
pub mod web;

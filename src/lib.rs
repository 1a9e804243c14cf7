//! reset-eval: the self-diagnostic and impact-evaluation service of the #RESET programme.
//!
//! Pure computation ([`questionnaire`], [`scoring`]) is free of the web and the database; the
//! web layer ([`web`]) and the storage ([`database`]) call it. [`startup`] assembles them and
//! [`cli`] is the command line. See `README.md` for how to run it.

pub mod analytics;
pub mod app;
pub mod charts;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod preflight;
pub mod report;
pub mod startup;
pub mod web;

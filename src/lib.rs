//! reset-eval: the self-diagnostic and impact-evaluation service of the #RESET programme.
//!
//! Layers, dependencies pointing one way: the pure core ([`domain`]), the storage ([`db`]),
//! the figures and charts ([`analytics`], [`charts`], [`report`]), the use cases ([`app`]),
//! the web interface ([`web`]); [`startup`] assembles them and [`cli`] is the command line.
//! `ARCHITECTURE.md` is the map (checked by `tests/architecture.rs`); `README.md` says how to
//! run it.

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

//! A coalition's pages, one file a resource (its members, goals, indicators, measurements,
//! actions, journal…), all under `/coalitions/{slug}`.

pub mod baselines;
pub mod goals;
pub mod indicators;
pub mod measurements;
pub mod targets;

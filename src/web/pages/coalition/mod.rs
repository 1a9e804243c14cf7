//! A coalition's pages, one file a resource (its members, goals, indicators, measurements,
//! actions, journal…), all under `/coalitions/{slug}`.
//!
//! No page here imports another: what several show (the way back to the coalition, its
//! members' heterogeneity, its stages, its invitations) is in [`shared`], which imports no
//! page. (It draws storage rows, so it sits here rather than in `web::ui`, which knows only
//! the core.)

pub mod actions;
pub mod baselines;
pub mod goals;
pub mod indicators;
pub mod invitations;
pub mod journal;
pub mod list;
pub mod measurements;
pub mod members;
pub mod overview;
pub mod settings;
pub mod shared;
pub mod targets;

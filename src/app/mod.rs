//! The use cases: what the service does for a person or for the command line, in the domain's
//! words (load, decide with the pure rules of [`crate::domain`], write in one transaction).
//! No HTTP and no HTML here: the web layer and the command line call these.

pub mod demo;
pub mod error;
pub mod export;
pub mod jobs;
pub mod mail_delivery;
pub mod publications;
pub mod versions;
pub mod worker;

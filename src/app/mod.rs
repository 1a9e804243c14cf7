//! The use cases: what the service does for a person or for the command line, in the domain's
//! words (load, decide with the pure rules of [`crate::domain`], write in one transaction).
//! No HTTP and no HTML here: the web layer and the command line call these.

pub mod accounts;
pub mod co_leads;
pub mod demo;
pub mod error;
pub mod export;
pub mod invitations;
pub mod mail_delivery;
pub mod notifications;
pub mod versions;
pub mod worker;

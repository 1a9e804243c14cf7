//! View pieces shared by every page: the layout around a page, and form components. They
//! depend on nothing above them (no page, no handler, no storage).

pub mod badges;
pub mod figures;
pub mod forms;
pub mod goals;
pub mod layout;
pub mod tables;

//! The view layer: the state machines behind the pages (tables, forms, sync status), pure and
//! compiled and tested on the host. `ui` renders them with Leptos and forwards events; nothing
//! here knows Leptos or the DOM.

pub mod activity;
pub mod audit;
pub mod audit_fix;
pub mod backend_filter;
pub mod backup;
pub mod detector_form;
pub mod display;
pub mod encryption;
pub mod endpoint_form;
pub mod finder;
pub mod group_form;
pub mod inventory_pull;
pub mod lazy_part;
pub mod nav;
pub mod page_drafts;
pub mod resource_table;
pub mod sync_status;
pub mod table;
pub mod vocabulary;

//! The view layer: the state machines behind the pages (tables, forms, sync status), pure and
//! compiled and tested on the host. `ui` renders them with Leptos and forwards events; nothing
//! here knows Leptos or the DOM.

pub mod table;

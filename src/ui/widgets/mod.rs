//! Reusable pieces of the console's pages.

mod confirm_delete;
mod form_field;
mod key_value_rows;

pub use confirm_delete::{ConfirmDelete, CONFIRM_WORD};
pub use form_field::FormField;
pub use key_value_rows::{KeyValueRows, Row};

//! Reusable pieces of the console's pages.

mod form_field;
mod key_value_rows;

pub use form_field::FormField;
pub use key_value_rows::{KeyValueRows, Row};

//! Reusable pieces of the console's pages.

mod config_fields;
mod confirm_delete;
mod form_field;
mod highlight;
mod import_source;
mod key_value_rows;
mod label_fields;
mod no_matches;
mod pagination;
mod rejected_table;
mod type_picker;

pub use config_fields::ConfigFields;
pub use confirm_delete::{ConfirmDelete, CONFIRM_WORD};
pub use form_field::FormField;
pub use highlight::Highlight;
pub use import_source::ImportSource;
pub use key_value_rows::{row_values, KeyValueRows, Row, RowRanges};
pub use label_fields::LabelFields;
pub use no_matches::NoMatches;
pub use pagination::Pagination;
pub use rejected_table::{RejectedRow, RejectedTable};
pub use type_picker::TypePicker;

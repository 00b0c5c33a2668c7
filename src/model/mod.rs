//! The domain model, pure Rust: groups and their validation, resource queries and their
//! evaluation, tag diffs, ARNs, the resource inventory and its import/export, and the AWS wire
//! shapes. Everything here compiles and is tested on the host.

pub mod arn;
pub mod error;
pub mod group;
pub mod group_field;
pub mod group_filters;
pub mod index;
pub mod inventory;
pub mod limits;
pub mod query;
pub mod resource_types;
pub mod service_config;
pub mod tag_plan;
pub mod tagging;
pub mod tags;
pub mod text;
pub mod wire;

pub use arn::{Arn, ArnError};
pub use error::{Field, ValidationError, ValidationProblem};
pub use group::{Group, GroupSpec, Tags};
pub use group_field::GroupField;
pub use index::{IndexedMatcher, InventoryIndex};
pub use inventory::{ImportReport, Inventory, RecordError, Resource};
pub use query::{QueryError, ResourceQuery, TagFilter};
pub use tags::TagDiff;

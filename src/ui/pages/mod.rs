//! One component per route. Each page starts with an `<h1 id="page-title">` that the shell
//! focuses after a navigation.

mod activity;
mod backend;
pub mod backup;
mod conflict;
mod create_group;
mod data_protection;
mod detectors;
pub mod encryption;
mod group_details;
mod groups;
mod header;
mod inventory_pull;
mod not_found;
mod quarantine;
mod recently_deleted;
pub mod resources;
mod settings;
mod tag_editor;

pub use activity::ActivityPage;
pub use create_group::CreateGroupPage;
pub use data_protection::DataProtectionPage;
pub use group_details::GroupDetailsPage;
pub use groups::GroupsPage;
pub use header::PageHeader;
pub use not_found::NotFoundPage;
pub use recently_deleted::RecentlyDeletedPage;
pub use resources::ResourcesPage;
pub use settings::SettingsPage;

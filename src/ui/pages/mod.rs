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

// Every page but the groups list (what a first visit shows) loads on demand: see `ui::lazy`.
crate::lazy_part!(CREATE_GROUP, page_create_group, CreateGroupPage);
crate::lazy_part!(GROUP_DETAILS, page_group_details, GroupDetailsPage);
crate::lazy_part!(RESOURCES, page_resources, ResourcesPage);
crate::lazy_part!(ACTIVITY, page_activity, ActivityPage);
crate::lazy_part!(DATA_PROTECTION, page_data_protection, DataProtectionPage);
crate::lazy_part!(RECENTLY_DELETED, page_recently_deleted, RecentlyDeletedPage);
crate::lazy_part!(SETTINGS, page_settings, SettingsPage);
crate::lazy_part!(LOCK_SCREEN, page_lock_screen, encryption::LockScreen);

//! Sync with a backend that speaks the AWS Resource Groups REST-JSON API.
//!
//! Pure parts (tested natively): where the backend is and what is allowed ([`endpoint`]),
//! request signing ([`sigv4`]), the backend as the engine sees it ([`remote`]), the API's
//! requests and answers ([`api`]), retry timing ([`retry`]) and the engine's decisions
//! ([`engine`]). The engine and the API client both depend on [`remote`], never on each
//! other. Browser parts: the HTTP transport on `fetch` and the Web Locks API (`http`, wasm
//! only).

pub mod api;
pub mod endpoint;
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod http;
pub mod outgoing;
pub mod remote;
pub mod retry;
pub mod sigv4;
pub mod tagging;

//! A scripted transport for the AWS clients' native tests: it answers each request with the
//! next scripted answer (and panics when the script runs out, so a test notices an extra
//! request), and records what was sent and every backoff sleep. Included with `#[path]` by
//! `tests/sync_api.rs` and `tests/sync_tagging.rs`, so no cargo target of its own.

use std::cell::RefCell;
use std::collections::VecDeque;

use group_console::sync::api::{HttpRequest, HttpResponse, Transport};

#[derive(Default)]
pub struct Scripted {
    pub answers: RefCell<VecDeque<Result<HttpResponse, String>>>,
    pub sent: RefCell<Vec<HttpRequest>>,
    pub sleeps: RefCell<Vec<u32>>,
}

impl Transport for &Scripted {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, String> {
        self.sent.borrow_mut().push(req);
        self.answers
            .borrow_mut()
            .pop_front()
            .expect("a scripted answer for every request")
    }
    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
    }
    fn random(&self) -> f64 {
        0.5
    }
    fn now_ms(&self) -> i64 {
        1_440_938_160_000
    }
}

/// A 200 answer with `body`.
pub fn ok(body: &str) -> Result<HttpResponse, String> {
    Ok(HttpResponse {
        status: 200,
        error_type: None,
        body: body.into(),
        oversized: false,
    })
}

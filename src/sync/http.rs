//! The browser side of sync (wasm only): HTTP over `fetch`, timers, and the Web Locks API so
//! that only one tab syncs at a time.

use std::future::Future;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Headers, RequestInit, Response};

use super::api::{HttpRequest, HttpResponse, Transport};

#[wasm_bindgen(inline_js = r#"
export async function gcReadCapped(resp, max) {
  // Content-Length first (a CORS-safelisted header): a huge answer is not downloaded at all.
  const declared = Number(resp.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    try { await resp.body?.cancel(); } catch (_) {}
    return null;
  }
  if (!resp.body) return await resp.text();
  // No length, or a wrong one: count the bytes as they stream in, and stop past the cap.
  const reader = resp.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      try { await reader.cancel(); } catch (_) {}
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  return new TextDecoder().decode(all);
}
export function gcSleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }
export function gcLocksAvailable() {
  return typeof navigator !== 'undefined' && !!navigator.locks;
}
export function gcWithLock(name, task) {
  if (!navigator.locks) return task().then(() => true);
  return navigator.locks.request(name, { ifAvailable: true }, (lock) => lock ? task().then(() => true) : false);
}
"#)]
extern "C" {
    fn gcSleep(ms: u32) -> Promise;
    fn gcReadCapped(resp: &Response, max: u32) -> Promise;
    fn gcLocksAvailable() -> bool;
    fn gcWithLock(name: &str, task: &JsValue) -> Promise;
}

/// `fetch` with a per-request timeout, and a stop flag checked before every request and
/// every retry pause.
#[derive(Clone, Debug)]
pub struct FetchTransport {
    pub timeout_ms: u32,
    /// Set by "Forget credentials": nothing more is sent.
    pub cancelled: Option<std::rc::Rc<std::cell::Cell<bool>>>,
}

impl Default for FetchTransport {
    fn default() -> Self {
        FetchTransport {
            timeout_ms: 30_000,
            cancelled: None,
        }
    }
}

impl FetchTransport {
    fn stopped(&self) -> bool {
        self.cancelled.as_ref().is_some_and(|c| c.get())
    }
}

/// The reason a stopped run gives (the run ends with it; the outbox is kept).
pub const STOPPED: &str = "sync was stopped because the credentials were forgotten";

/// Why fetch failed, without the URL (it could be long) and never with a header.
fn network_reason(err: &JsValue) -> String {
    let name = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
        .unwrap_or_default();
    match name.as_str() {
        "AbortError" | "TimeoutError" => "no answer in time".into(),
        // Offline, DNS, TLS (untrusted certificate) and CORS failures all look the same to a
        // page: a TypeError.
        _ => "network error, untrusted certificate, or the server does not allow this site (CORS)"
            .into(),
    }
}

impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, String> {
        if self.stopped() {
            return Err(STOPPED.into());
        }
        let window = web_sys::window().ok_or("no window")?;
        let headers = Headers::new().map_err(|_| "headers")?;
        for (name, value) in &req.headers {
            headers
                .set(name, value)
                .map_err(|_| "a header was refused")?;
        }
        let init = RequestInit::new();
        init.set_method(req.method);
        init.set_headers(&headers);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_cache(web_sys::RequestCache::NoStore);
        init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
        // A redirect is never followed: it would send the signed request (and its body) to a
        // place the person did not choose, and the signature does not cover the new host.
        init.set_redirect(web_sys::RequestRedirect::Error);
        if let Some(body) = &req.body {
            init.set_body(&JsValue::from_str(body));
        }
        let signal = web_sys::AbortSignal::timeout_with_u32(self.timeout_ms);
        init.set_signal(Some(&signal));
        let resp: Response = JsFuture::from(window.fetch_with_str_and_init(&req.url, &init))
            .await
            .map_err(|e| network_reason(&e))?
            .unchecked_into();
        if self.stopped() {
            return Err(STOPPED.into());
        }
        let status = resp.status();
        let error_type = resp.headers().get("x-amzn-errortype").ok().flatten();
        let read = JsFuture::from(gcReadCapped(&resp, super::api::BODY_MAX as u32))
            .await
            .map_err(|e| network_reason(&e))?;
        let oversized = read.is_null();
        Ok(HttpResponse {
            status,
            error_type,
            body: read.as_string().unwrap_or_default(),
            oversized,
        })
    }

    async fn sleep(&self, ms: u32) {
        if self.stopped() {
            return;
        }
        let _ = JsFuture::from(gcSleep(ms)).await;
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }
}

/// Whether the Web Locks API exists here (without it every tab may sync).
pub fn locks_available() -> bool {
    gcLocksAvailable()
}

/// Runs `task` holding the named lock, if no other tab holds it. `false`: another tab holds it
/// and the task did not run.
pub async fn with_lock<F>(name: &str, task: F) -> bool
where
    F: Future<Output = ()> + 'static,
{
    let mut task = Some(task);
    let start = Closure::<dyn FnMut() -> Promise>::new(move || match task.take() {
        Some(t) => future_to_promise(async move {
            t.await;
            Ok(JsValue::UNDEFINED)
        }),
        None => Promise::resolve(&JsValue::UNDEFINED),
    });
    let ran = JsFuture::from(gcWithLock(name, start.as_ref()))
        .await
        .map(|v| v.as_bool().unwrap_or(false))
        .unwrap_or(false);
    drop(start);
    ran
}

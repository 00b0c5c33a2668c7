//! Tells the other open tabs of the app that stored data changed (BroadcastChannel), so they
//! reload it without a page reload.

use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel every tab of the app listens on.
pub const CHANNEL: &str = "group-console";

/// A subscription; dropping it stops listening.
pub struct Channel {
    inner: BroadcastChannel,
    _listener: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl Channel {
    /// Opens the channel; `None` where BroadcastChannel is missing (the app then works, but
    /// other tabs only see changes after a reload).
    pub fn open(name: &str) -> Option<Self> {
        BroadcastChannel::new(name).ok().map(|inner| Channel {
            inner,
            _listener: None,
        })
    }

    /// Calls `f` with every message another tab posts.
    pub fn listen(mut self, mut f: impl FnMut(String) + 'static) -> Self {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                f(text);
            }
        });
        self.inner
            .set_onmessage(Some(listener.as_ref().unchecked_ref()));
        self._listener = Some(listener);
        self
    }

    /// Posts a message to the other tabs (not to this one).
    pub fn post(&self, message: &str) {
        let _ = self.inner.post_message(&JsValue::from_str(message));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.inner.set_onmessage(None);
        self.inner.close();
    }
}

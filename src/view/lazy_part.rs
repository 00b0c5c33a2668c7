//! The life of a part of the app that is loaded on demand (a page's code in its own wasm chunk):
//! what the placeholder shows while it loads, after it failed, and when a retry is allowed.
//!
//! The release build splits every page but the groups list into chunks that are fetched the
//! first time the page is opened (`ui::lazy`). Fetching can fail — offline before the service
//! worker has cached the chunk, a deploy that replaced the files mid-visit — and a failure must
//! never take the app down: the page says so in plain words and offers Retry, and everything
//! else keeps working. A retry starts a fresh fetch (the loader caches only successes).

/// Where one placeholder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartState {
    /// The chunk is being fetched (`attempt` counts from 1).
    Loading { attempt: u32 },
    /// The chunk is in: the page itself is shown.
    Ready,
    /// The last fetch failed after `attempts` tries.
    Failed { attempts: u32 },
}

impl PartState {
    /// The first load.
    pub const fn start() -> Self {
        PartState::Loading { attempt: 1 }
    }

    /// A fetch ended. A result that arrives for an attempt that is no longer the current one
    /// (a Retry pressed twice) is ignored, so the state never goes back to Failed after Ready.
    pub fn finished(self, attempt: u32, ok: bool) -> Self {
        match self {
            PartState::Loading { attempt: current } if current == attempt => {
                if ok {
                    PartState::Ready
                } else {
                    PartState::Failed { attempts: attempt }
                }
            }
            other => other,
        }
    }

    /// Retry was pressed: only from Failed (a second press while loading changes nothing).
    pub fn retry(self) -> Self {
        match self {
            PartState::Failed { attempts } => PartState::Loading {
                attempt: attempts.saturating_add(1),
            },
            other => other,
        }
    }

    /// The attempt in flight, if any.
    pub fn loading(self) -> Option<u32> {
        match self {
            PartState::Loading { attempt } => Some(attempt),
            _ => None,
        }
    }

    /// What the placeholder says (the page's title is its heading).
    pub fn message(self) -> Option<&'static str> {
        match self {
            PartState::Loading { attempt: 1 } => Some("Loading…"),
            PartState::Loading { .. } => Some("Trying again…"),
            PartState::Ready => None,
            PartState::Failed { attempts: 1 } => Some(
                "This part of the app could not be loaded. Check your connection, then try again. \
                 Everything else keeps working, and nothing you saved is affected.",
            ),
            PartState::Failed { .. } => Some(
                "This part of the app still could not be loaded. If you are offline, it will \
                 load once you are back online; if the app was just updated, reloading the \
                 page gets the new version.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_that_succeeds_shows_the_page() {
        assert_eq!(PartState::start().finished(1, true), PartState::Ready);
        assert_eq!(PartState::start().message(), Some("Loading…"));
        assert_eq!(PartState::Ready.message(), None);
    }

    #[test]
    fn a_failure_offers_retry_and_a_retry_counts() {
        let failed = PartState::start().finished(1, false);
        assert_eq!(failed, PartState::Failed { attempts: 1 });
        let again = failed.retry();
        assert_eq!(again, PartState::Loading { attempt: 2 });
        assert_eq!(again.message(), Some("Trying again…"));
        let twice = again.finished(2, false);
        assert_eq!(twice, PartState::Failed { attempts: 2 });
        assert_ne!(twice.message(), failed.message());
        assert_eq!(twice.retry().finished(3, true), PartState::Ready);
    }

    #[test]
    fn a_stale_result_is_ignored() {
        // Attempt 1 failed, Retry started attempt 2, then attempt 1's late answer arrives.
        let loading = PartState::start().finished(1, false).retry();
        assert_eq!(loading.finished(1, true), loading);
        // Ready stays Ready whatever arrives.
        assert_eq!(PartState::Ready.finished(1, false), PartState::Ready);
    }

    #[test]
    fn retry_only_from_a_failure() {
        assert_eq!(PartState::start().retry(), PartState::start());
        assert_eq!(PartState::Ready.retry(), PartState::Ready);
        assert_eq!(PartState::start().loading(), Some(1));
        assert_eq!(PartState::Ready.loading(), None);
        let many = PartState::Failed { attempts: u32::MAX };
        assert_eq!(many.retry(), PartState::Loading { attempt: u32::MAX });
    }
}

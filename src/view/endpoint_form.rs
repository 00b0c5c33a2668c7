//! The backend form of Settings: the draft (AWS region or custom URL, region, FIPS, URL), the
//! endpoint it means, and which message to show when. Pure, so the rules have native tests; the
//! component renders it.

use crate::sync::endpoint::{Endpoint, EndpointChoice, DEFAULT_REGION};

/// The form as edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointDraft {
    /// A custom URL rather than AWS itself.
    pub custom: bool,
    pub region: String,
    pub fips: bool,
    pub url: String,
    /// The URL field was left, or saving was tried: its error may show.
    pub touched: bool,
}

/// What the URL field warns about even when the endpoint is valid.
pub const UNENCRYPTED: &str = "Unencrypted: requests to this loopback address are plain HTTP. Use it only for a backend on this computer.";

impl EndpointDraft {
    /// The draft of a saved choice, or AWS in the default region.
    pub fn of(choice: Option<&EndpointChoice>) -> Self {
        let mut d = EndpointDraft {
            custom: false,
            region: DEFAULT_REGION.to_owned(),
            fips: false,
            url: String::new(),
            touched: false,
        };
        d.take(choice);
        d
    }

    /// Takes a saved choice (it may arrive after the page rendered); `false` if there is none.
    pub fn take(&mut self, choice: Option<&EndpointChoice>) -> bool {
        match choice {
            Some(EndpointChoice::Aws { region, fips }) => {
                self.custom = false;
                self.region = region.clone();
                self.fips = *fips;
                true
            }
            Some(EndpointChoice::Custom { url, region }) => {
                self.custom = true;
                self.region = region.clone();
                self.url = url.clone();
                true
            }
            None => false,
        }
    }

    /// The choice the draft means. A custom URL keeps the region (requests are signed for it).
    pub fn choice(&self) -> EndpointChoice {
        if self.custom {
            EndpointChoice::Custom {
                url: self.url.clone(),
                region: self.region.clone(),
            }
        } else {
            EndpointChoice::Aws {
                region: self.region.clone(),
                fips: self.fips,
            }
        }
    }

    pub fn resolve(&self) -> Result<Endpoint, String> {
        self.choice().resolve().map_err(|e| e.to_string())
    }

    /// The URL field's error: only for a custom URL, once the field was left or saving tried.
    pub fn url_error(&self) -> Option<String> {
        (self.custom && self.touched)
            .then(|| self.resolve().err())
            .flatten()
    }

    /// The URL field's warning: plain HTTP to loopback works, but is said out loud.
    pub fn url_warning(&self) -> Option<&'static str> {
        self.resolve()
            .ok()
            .filter(|e| e.unencrypted)
            .map(|_| UNENCRYPTED)
    }
}

/// The line that says what is saved and whether sync is on.
pub fn current_line(enabled: bool, saved: Option<&EndpointChoice>) -> String {
    match (enabled, saved.and_then(|c| c.resolve().ok())) {
        (true, Some(e)) => format!("Sync is on with {}.", e.base_url),
        (false, Some(e)) => format!("Sync is off (saved backend: {}).", e.base_url),
        _ => "Sync is off: local mode.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_choice_fills_the_draft_and_back() {
        let aws = EndpointChoice::Aws {
            region: "eu-west-1".into(),
            fips: false,
        };
        assert_eq!(EndpointDraft::of(Some(&aws)).choice(), aws);
        let custom = EndpointChoice::Custom {
            url: "https://rg.example.com".into(),
            region: "eu-west-1".into(),
        };
        assert_eq!(EndpointDraft::of(Some(&custom)).choice(), custom);
        let fresh = EndpointDraft::of(None);
        assert!(!fresh.custom && fresh.region == DEFAULT_REGION);
        let mut d = fresh;
        assert!(!d.take(None));
    }

    #[test]
    fn the_url_error_waits_for_the_field_and_never_repeats_a_password() {
        let mut d = EndpointDraft::of(None);
        d.custom = true;
        d.url = "https://admin:s3cret@rg.example.com".into();
        assert_eq!(d.url_error(), None, "not before the field was left");
        d.touched = true;
        let e = d.url_error().expect("refused");
        assert!(!e.contains("s3cret"), "{e}");
        d.custom = false;
        assert_eq!(d.url_error(), None, "AWS needs no URL");
    }

    #[test]
    fn plain_http_on_loopback_warns_and_the_current_line_says_what_is_saved() {
        let mut d = EndpointDraft::of(None);
        d.custom = true;
        d.url = "http://127.0.0.1:4566".into();
        assert_eq!(d.url_warning(), Some(UNENCRYPTED));
        d.url = "https://rg.example.com".into();
        assert_eq!(d.url_warning(), None);
        let saved = d.choice();
        assert_eq!(
            current_line(true, Some(&saved)),
            "Sync is on with https://rg.example.com."
        );
        assert!(current_line(false, Some(&saved)).starts_with("Sync is off (saved backend"));
        assert_eq!(current_line(true, None), "Sync is off: local mode.");
    }
}

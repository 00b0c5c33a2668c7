//! What the UI says about sync, decided here and rendered by `ui`: each group's badge, the
//! status line of Settings → Sync, and the notices a finished run leaves. Pure, so every rule
//! (which badge wins, which notice appears when, what the status line says mid-run) has a
//! native test, while `ui/sync.rs` keeps only what needs the browser: credentials, timers, the
//! online listener and the Web Lock.

use std::collections::BTreeSet;

use crate::sync::engine::{Phase, Progress, Report, SyncError};
use crate::sync::remote::RemoteError;

/// Where a group stands with the backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupSync {
    Synced,
    /// Changed here, not yet confirmed by the backend.
    Pending,
    /// Never synced: exists only here so far.
    LocalOnly,
    Conflict,
    /// Sync is on but its records could not be read (their part of the app could not be
    /// fetched): not knowing is said as such, never guessed as "Local only" or "Synced".
    Unknown,
}

impl GroupSync {
    /// The badge of `name`, or none in local mode. A conflict outranks everything (it needs the
    /// person), then "never synced", then "pending". `read` is false while the sync records
    /// could not be read: the sets are then unknown, not empty.
    pub fn of(
        name: &str,
        enabled: bool,
        read: bool,
        conflicts: &BTreeSet<String>,
        synced: &BTreeSet<String>,
        pending: &BTreeSet<String>,
    ) -> Option<GroupSync> {
        if !enabled {
            None
        } else if !read {
            Some(GroupSync::Unknown)
        } else if conflicts.contains(name) {
            Some(GroupSync::Conflict)
        } else if !synced.contains(name) {
            Some(GroupSync::LocalOnly)
        } else if pending.contains(name) {
            Some(GroupSync::Pending)
        } else {
            Some(GroupSync::Synced)
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupSync::Synced => "Synced",
            GroupSync::Pending => "Pending",
            GroupSync::LocalOnly => "Local only",
            GroupSync::Conflict => "Conflict",
            GroupSync::Unknown => "Unknown",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            GroupSync::Synced => "badge badge-success",
            GroupSync::Pending => "badge badge-info",
            GroupSync::LocalOnly => "badge badge-neutral",
            GroupSync::Conflict => "badge badge-error",
            GroupSync::Unknown => "badge badge-neutral",
        }
    }
}

/// What the status line of Settings → Sync is made from.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatusInput<'a> {
    pub enabled: bool,
    pub running: bool,
    pub progress: Option<Progress>,
    /// Another tab's progress, while it holds the sync lock.
    pub other_tab: Option<&'a str>,
    pub last_error: Option<&'a str>,
    pub signed_in: bool,
}

/// The status line: off; this tab's run (with its phase); another tab's; the last failure;
/// what is missing; or idle. The first that applies wins, in that order.
pub fn status_line(s: StatusInput<'_>) -> String {
    if !s.enabled {
        "Sync is off.".to_owned()
    } else if s.running {
        match s.progress {
            Some(p) => format!(
                "Syncing: {} {} of {} group(s)\u{2026}",
                match p.phase {
                    Phase::Pushing => "sending",
                    Phase::Pulling => "reading",
                },
                p.done,
                p.total
            ),
            None => "Syncing\u{2026}".to_owned(),
        }
    } else if let Some(other) = s.other_tab {
        format!("Another tab is syncing ({other}).")
    } else if let Some(e) = s.last_error {
        format!("Last sync failed: {e}")
    } else if !s.signed_in {
        "Enter credentials to sync.".to_owned()
    } else {
        "Idle.".to_owned()
    }
}

/// How loud a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Success,
    Warning,
    Error,
}

/// What a notice offers besides dismissing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeAction {
    /// Run sync again.
    Retry,
    /// "Delete them here too" or "Keep them here and stop syncing".
    ConfirmMassDeletion,
    /// "Switch account (start fresh here)" or "Cancel".
    SwitchAccount,
}

/// A notice a finished run leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: &'static str,
    pub text: String,
    pub action: Option<NoticeAction>,
    /// Shown once per run of the same kind (a repeated warning replaces the last one).
    pub once_per_run: bool,
    /// The error of the run: stays until the next run succeeds.
    pub is_error: bool,
}

impl Notice {
    fn warning(title: &'static str, text: String) -> Self {
        Notice {
            kind: NoticeKind::Warning,
            title,
            text,
            action: None,
            once_per_run: true,
            is_error: false,
        }
    }
}

/// The notices of a finished run. A manual run says that it synced; an automatic one stays
/// quiet unless something needs the person. Texts name counts and where to look, never a
/// group's description or a credential.
pub fn notices(result: &Result<Report, SyncError>, manual: bool) -> Vec<Notice> {
    let mut out = Vec::new();
    match result {
        Ok(report) => {
            if manual {
                out.push(Notice {
                    kind: NoticeKind::Success,
                    title: "Synced",
                    text: format!(
                        "{} change(s) sent, {} group(s) updated from the backend.",
                        report.pushed, report.pulled
                    ),
                    action: None,
                    once_per_run: false,
                    is_error: false,
                });
            }
            if !report.conflicts.is_empty() {
                out.push(Notice::warning(
                    "Conflicts to resolve",
                    format!("{} group(s) changed both here and on the backend. Open each group marked \u{201c}Conflict\u{201d} and choose which version to keep.", report.conflicts.len()),
                ));
            }
            if !report.refused.is_empty() {
                out.push(Notice::warning(
                    "The backend refused some changes",
                    format!("{} group(s) could not be sent; they stay in the outbox. Settings \u{2192} Sync lists each with the backend's reason: change the group, then sync again.", report.refused.len()),
                ));
            }
            if !report.rejected.is_empty() {
                out.push(Notice::warning(
                    "Some backend groups were not imported",
                    format!("{} group(s) on the backend are invalid or contain sensitive data; they are listed on the Groups page with the reason.", report.rejected.len()),
                ));
            }
        }
        Err(e @ SyncError::MassDeletion { .. }) => out.push(Notice {
            action: Some(NoticeAction::ConfirmMassDeletion),
            once_per_run: false,
            ..Notice::warning("Delete groups here?", e.to_string())
        }),
        Err(e @ SyncError::AccountChanged { .. }) => out.push(Notice {
            action: Some(NoticeAction::SwitchAccount),
            once_per_run: false,
            ..Notice::warning("Another AWS account", e.to_string())
        }),
        Err(e) => out.push(Notice {
            kind: NoticeKind::Error,
            title: match e {
                SyncError::Remote(RemoteError::Credentials) => {
                    "The backend rejected the credentials"
                }
                _ => "Sync failed",
            },
            text: e.to_string(),
            action: Some(NoticeAction::Retry),
            once_per_run: false,
            is_error: true,
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn badges_rank_conflict_then_local_only_then_pending() {
        let (conflicts, synced, pending) = (set(&["c"]), set(&["c", "p", "s"]), set(&["p", "l"]));
        let of = |n| GroupSync::of(n, true, true, &conflicts, &synced, &pending);
        assert_eq!(of("c"), Some(GroupSync::Conflict));
        assert_eq!(
            of("l"),
            Some(GroupSync::LocalOnly),
            "never synced beats pending"
        );
        assert_eq!(of("p"), Some(GroupSync::Pending));
        assert_eq!(of("s"), Some(GroupSync::Synced));
        assert_eq!(of("環境"), Some(GroupSync::LocalOnly));
        assert_eq!(
            GroupSync::of("c", false, true, &conflicts, &synced, &pending),
            None
        );
    }

    #[test]
    fn unread_records_make_every_badge_unknown_not_a_guess() {
        // Empty sets after a failed read would say "Local only" for every group.
        let none = BTreeSet::new();
        for name in ["c", "環境", ""] {
            assert_eq!(
                GroupSync::of(name, true, false, &none, &none, &none),
                Some(GroupSync::Unknown)
            );
        }
        let c = set(&["c"]);
        assert_eq!(
            GroupSync::of("c", true, false, &c, &c, &c),
            Some(GroupSync::Unknown)
        );
        assert_eq!(GroupSync::of("c", false, false, &c, &c, &c), None);
        assert_eq!(GroupSync::Unknown.label(), "Unknown");
    }

    #[test]
    fn the_status_line_follows_the_run() {
        let p = |phase, done, total| Some(Progress { phase, done, total });
        let on = StatusInput {
            enabled: true,
            signed_in: true,
            ..StatusInput::default()
        };
        assert_eq!(status_line(StatusInput::default()), "Sync is off.");
        assert_eq!(
            status_line(StatusInput {
                running: true,
                progress: p(Phase::Pulling, 3, 10),
                other_tab: Some("x"),
                ..on
            }),
            "Syncing: reading 3 of 10 group(s)\u{2026}"
        );
        assert_eq!(
            status_line(StatusInput {
                running: true,
                ..on
            }),
            "Syncing\u{2026}"
        );
        assert_eq!(
            status_line(StatusInput {
                other_tab: Some("pulling 1 of 2"),
                last_error: Some("x"),
                ..on
            }),
            "Another tab is syncing (pulling 1 of 2)."
        );
        assert_eq!(
            status_line(StatusInput {
                last_error: Some("no answer in time"),
                ..on
            }),
            "Last sync failed: no answer in time"
        );
        assert_eq!(
            status_line(StatusInput {
                signed_in: false,
                ..on
            }),
            "Enter credentials to sync."
        );
        assert_eq!(status_line(on), "Idle.");
    }

    #[test]
    fn a_run_leaves_the_notices_it_needs() {
        let quiet = notices(&Ok(Report::default()), false);
        assert!(
            quiet.is_empty(),
            "an automatic run that went well says nothing"
        );
        let report = Report {
            pushed: 2,
            pulled: 3,
            conflicts: vec!["a".into()],
            rejected: vec![("b".into(), "why".into())],
            refused: vec![("c".into(), "no".into()), ("d".into(), "no".into())],
            ..Report::default()
        };
        let n = notices(&Ok(report), true);
        let titles: Vec<&str> = n.iter().map(|n| n.title).collect();
        assert_eq!(
            titles,
            [
                "Synced",
                "Conflicts to resolve",
                "The backend refused some changes",
                "Some backend groups were not imported"
            ]
        );
        assert!(n[0].text.contains("2 change(s) sent, 3 group(s)"));
        assert!(n[2].text.starts_with("2 group(s)"));
        assert!(n[1..].iter().all(|n| n.once_per_run));

        let mass = notices(
            &Err(SyncError::MassDeletion {
                count: 143,
                synced: 200,
            }),
            false,
        );
        assert_eq!(mass[0].action, Some(NoticeAction::ConfirmMassDeletion));
        assert!(mass[0].text.contains("143"));
        let creds = notices(&Err(SyncError::Remote(RemoteError::Credentials)), false);
        assert_eq!(creds[0].title, "The backend rejected the credentials");
        assert!(creds[0].is_error && creds[0].kind == NoticeKind::Error);
        let account = notices(
            &Err(SyncError::AccountChanged {
                bound: "\u{2026}9012".into(),
                found: "\u{2026}1111".into(),
            }),
            true,
        );
        assert_eq!(account[0].action, Some(NoticeAction::SwitchAccount));
    }
}

//! Where things are in the app: the sections of the side navigation, the breadcrumb trail of a
//! path, page titles, and the sub-path the app is served from.
//!
//! Pure logic, no Leptos: the shell renders what these functions return, and native tests pin
//! the behaviour down.

/// One entry of the side navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// Path inside the app, always starting with `/`.
    pub path: &'static str,
    /// The label people see.
    pub label: &'static str,
}

/// The sections of the app, in the order of the side navigation.
pub const SECTIONS: [Section; 6] = [
    Section {
        path: "/groups",
        label: "Groups",
    },
    Section {
        path: "/resources",
        label: "Resources",
    },
    Section {
        path: "/activity",
        label: "Activity",
    },
    Section {
        path: "/data-protection",
        label: "Data protection",
    },
    Section {
        path: "/recently-deleted",
        label: "Recently deleted",
    },
    Section {
        path: "/settings",
        label: "Settings",
    },
];

/// The product name, shown in the top bar and as the first breadcrumb.
pub const PRODUCT: &str = "Group Console";

/// One step of the breadcrumb trail. The last crumb is the current page and has no link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crumb {
    pub label: String,
    /// Path inside the app; `None` for the current page.
    pub href: Option<String>,
}

/// The section a path belongs to, if any (`/groups/web` belongs to Groups).
pub fn section_of(path: &str) -> Option<Section> {
    let first = first_segment(path);
    SECTIONS
        .iter()
        .copied()
        .find(|s| s.path.strip_prefix('/') == Some(first))
}

/// The breadcrumb trail of a path inside the app (without the sub-path the app is served from).
///
/// `/groups` → Group Console › Groups; `/groups/web` → Group Console › Groups › web;
/// `/groups/new` → … › Groups › Create group; an unknown path → … › Page not found.
pub fn breadcrumbs(path: &str) -> Vec<Crumb> {
    let mut trail = vec![Crumb {
        label: PRODUCT.to_owned(),
        href: Some("/groups".to_owned()),
    }];
    let segments: Vec<String> = segments(path).map(percent_decode).collect();
    match section_of(path) {
        None if segments.is_empty() => {}
        None => trail.push(Crumb {
            label: "Page not found".to_owned(),
            href: None,
        }),
        Some(section) => {
            trail.push(Crumb {
                label: section.label.to_owned(),
                href: Some(section.path.to_owned()),
            });
            if let Some(child) = segments.get(1) {
                let label = if section.path == "/groups" && child == "new" && segments.len() == 2 {
                    "Create group".to_owned()
                } else {
                    child.clone()
                };
                trail.push(Crumb { label, href: None });
            }
        }
    }
    // The last crumb is where we are: no link.
    if let Some(last) = trail.last_mut() {
        last.href = None;
    }
    trail
}

/// The document title for a path: the most specific crumb first, then the product name.
pub fn page_title(path: &str) -> String {
    let trail = breadcrumbs(path);
    let mut labels: Vec<&str> = trail.iter().skip(1).map(|c| c.label.as_str()).collect();
    labels.reverse();
    labels.push(PRODUCT);
    labels.join(" · ")
}

/// The router base for the value of the page's `<base href>` (written at build time, see
/// `scripts/postbuild.mjs`): `/` → `""`, `/console/` → `/console`, and a full URL
/// `https://cdn.example/console/` → `/console`. Anything odd falls back to the site root.
pub fn router_base(base_href: &str) -> String {
    let href = base_href.trim();
    // Drop scheme and host if the value is a full URL.
    let path = match href.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(j) => rest.get(j..).unwrap_or("/"),
            None => "/",
        },
        None => href,
    };
    // Drop any query or fragment.
    let path = path.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return String::new();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() || trimmed.contains("//") {
        String::new()
    } else {
        trimmed.to_owned()
    }
}

/// The address of an app path under the router base: `("/console", "/groups")` →
/// `/console/groups`; `("", "/groups")` → `/groups`.
pub fn join_base(base: &str, path: &str) -> String {
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if base.is_empty() || path == base || path.starts_with(&format!("{base}/")) {
        path
    } else {
        format!("{base}{path}")
    }
}

/// The app path of an address under the router base: `("/console", "/console/groups")` →
/// `/groups`. Addresses outside the base are returned as they are.
pub fn strip_base<'a>(base: &str, path: &'a str) -> &'a str {
    if base.is_empty() {
        return path;
    }
    match path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
}

fn first_segment(path: &str) -> &str {
    segments(path).next().unwrap_or("")
}

/// Decodes `%XX` escapes (UTF-8); invalid escapes are kept as they are.
pub fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_owned())
}

/// The tabs of a group's page, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailTab {
    Resources,
    Tags,
    Query,
    Activity,
}

impl DetailTab {
    pub const ALL: [DetailTab; 4] = [
        DetailTab::Resources,
        DetailTab::Tags,
        DetailTab::Query,
        DetailTab::Activity,
    ];

    /// The part of the element ids (`tab-tags`, `panel-tags`).
    pub fn id(self) -> &'static str {
        match self {
            DetailTab::Resources => "resources",
            DetailTab::Tags => "tags",
            DetailTab::Query => "query",
            DetailTab::Activity => "activity",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DetailTab::Resources => "Resources",
            DetailTab::Tags => "Tags",
            DetailTab::Query => "Query",
            DetailTab::Activity => "Activity",
        }
    }

    /// Where a key moves the selection in the tab list (the WAI-ARIA tabs pattern: arrows wrap
    /// around, Home and End go to the ends); `None` for other keys.
    pub fn after_key(self, key: &str) -> Option<DetailTab> {
        let all = Self::ALL;
        let i = all.iter().position(|t| *t == self).unwrap_or(0);
        let n = all.len();
        let next = match key {
            "ArrowRight" => (i + 1) % n,
            "ArrowLeft" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return None,
        };
        all.get(next).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_keys_follow_the_tabs_pattern() {
        use DetailTab::*;
        assert_eq!(Resources.after_key("ArrowRight"), Some(Tags));
        assert_eq!(Activity.after_key("ArrowRight"), Some(Resources), "wraps");
        assert_eq!(Resources.after_key("ArrowLeft"), Some(Activity), "wraps");
        assert_eq!(Query.after_key("Home"), Some(Resources));
        assert_eq!(Tags.after_key("End"), Some(Activity));
        assert_eq!(Tags.after_key("a"), None);
        let ids: Vec<&str> = DetailTab::ALL.iter().map(|t| t.id()).collect();
        assert_eq!(ids, ["resources", "tags", "query", "activity"]);
    }

    fn labels(path: &str) -> Vec<String> {
        breadcrumbs(path).into_iter().map(|c| c.label).collect()
    }

    #[test]
    fn breadcrumbs_follow_the_path() {
        assert_eq!(labels("/groups"), ["Group Console", "Groups"]);
        assert_eq!(
            labels("/groups/web-prod"),
            ["Group Console", "Groups", "web-prod"]
        );
        assert_eq!(
            labels("/groups/new"),
            ["Group Console", "Groups", "Create group"]
        );
        assert_eq!(labels("/settings"), ["Group Console", "Settings"]);
        assert_eq!(labels("/nowhere/deep"), ["Group Console", "Page not found"]);
        assert_eq!(labels("/"), ["Group Console"]);
    }

    #[test]
    fn only_the_last_crumb_is_unlinked() {
        let trail = breadcrumbs("/groups/web");
        assert_eq!(trail[0].href.as_deref(), Some("/groups"));
        assert_eq!(trail[1].href.as_deref(), Some("/groups"));
        assert_eq!(trail[2].href, None);
    }

    #[test]
    fn group_names_in_paths_are_decoded() {
        assert_eq!(labels("/groups/a%2Eb")[2], "a.b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn sections_are_found_by_first_segment() {
        assert_eq!(section_of("/groups/x").map(|s| s.label), Some("Groups"));
        assert_eq!(section_of("/groupsx"), None);
        assert_eq!(
            section_of("/activity?x=1").map(|s| s.label),
            Some("Activity")
        );
    }

    #[test]
    fn titles_put_the_page_first() {
        assert_eq!(page_title("/groups/web"), "web · Groups · Group Console");
        assert_eq!(page_title("/x"), "Page not found · Group Console");
    }

    #[test]
    fn app_paths_join_the_base() {
        assert_eq!(join_base("", "/groups"), "/groups");
        assert_eq!(join_base("/console", "/groups"), "/console/groups");
        assert_eq!(join_base("/console", "groups"), "/console/groups");
        assert_eq!(join_base("/console", "/console/groups"), "/console/groups");
        assert_eq!(join_base("/console", "/consoles"), "/console/consoles");
    }

    #[test]
    fn app_paths_strip_the_base() {
        assert_eq!(strip_base("", "/groups"), "/groups");
        assert_eq!(strip_base("/console", "/console/groups"), "/groups");
        assert_eq!(strip_base("/console", "/console"), "/");
        assert_eq!(strip_base("/console", "/consoles"), "/consoles");
    }

    #[test]
    fn router_base_from_base_href() {
        assert_eq!(router_base("/"), "");
        assert_eq!(router_base(""), "");
        assert_eq!(router_base("/console/"), "/console");
        assert_eq!(router_base("/a/b/"), "/a/b");
        assert_eq!(router_base("https://cdn.example/console/"), "/console");
        assert_eq!(router_base("https://cdn.example"), "");
        assert_eq!(router_base("relative/"), "");
        assert_eq!(router_base("//evil.example/"), "");
    }
}

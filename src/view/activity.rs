//! The activity page's view: which events the filters let through, what the two filter menus
//! offer, and the page of rows on screen. The log holds up to `ACTIVITY_MAX` (10,000) events,
//! so the table pages like every other one instead of rendering them all at once.
//!
//! The events come from the store newest first; nothing here reorders them, so "newest first"
//! stays true through every filter and page.

use crate::store::{ActivityEvent, ActivityFilter, EventName};

use super::table::PageInfo;

/// Rows per page of the activity table.
pub const PAGE_SIZE: usize = 50;

/// The loaded log and the filters over it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityView {
    events: Vec<ActivityEvent>,
    /// Positions in `events` that pass the filter, in the log's order.
    shown: Vec<usize>,
    filter: ActivityFilter,
    page: usize,
}

impl ActivityView {
    pub fn new(events: Vec<ActivityEvent>) -> Self {
        let mut v = ActivityView {
            events,
            ..Default::default()
        };
        v.refilter();
        v
    }

    /// A newer copy of the log (after a change here or in another tab): the filters stay, and
    /// the page too as far as the shorter list allows.
    pub fn replace_events(&mut self, events: Vec<ActivityEvent>) {
        self.events = events;
        self.refilter();
    }

    fn refilter(&mut self) {
        let f = &self.filter;
        self.shown = (0..self.events.len())
            .filter(|&i| f.accepts(&self.events[i]))
            .collect();
        self.page = self.info().page;
    }

    pub fn filter(&self) -> &ActivityFilter {
        &self.filter
    }

    /// Sets the group filter (`None` or an empty name: every group) and goes to the first page.
    pub fn set_group(&mut self, group: Option<String>) {
        self.filter.group_name = group.filter(|g| !g.is_empty());
        self.page = 0;
        self.refilter();
    }

    /// Sets the event filter and goes to the first page.
    pub fn set_event(&mut self, event: Option<EventName>) {
        self.filter.event_name = event;
        self.page = 0;
        self.refilter();
    }

    pub fn clear_filters(&mut self) {
        self.filter = ActivityFilter::default();
        self.page = 0;
        self.refilter();
    }

    /// Whether the log holds any event at all (as opposed to none passing the filter).
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many events pass the filter.
    pub fn shown_len(&self) -> usize {
        self.shown.len()
    }

    pub fn info(&self) -> PageInfo {
        PageInfo::new(self.page, PAGE_SIZE, self.shown.len())
    }

    pub fn set_page(&mut self, page: usize) {
        self.page = page;
        self.page = self.info().page;
    }

    /// The rows of the page on screen, newest first.
    pub fn page_rows(&self) -> Vec<ActivityEvent> {
        self.info()
            .slice(&self.shown)
            .iter()
            .filter_map(|&i| self.events.get(i).cloned())
            .collect()
    }

    /// Every event that passes the filter, oldest first: what the export writes.
    pub fn export_rows(&self) -> Vec<ActivityEvent> {
        self.shown
            .iter()
            .rev()
            .filter_map(|&i| self.events.get(i).cloned())
            .collect()
    }

    /// The group menu: every group named in the log, alphabetically, once.
    pub fn group_options(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .events
            .iter()
            .filter_map(|e| e.group_name.clone())
            .collect();
        crate::sort::sort(&mut v);
        v.dedup();
        v
    }

    /// The event menu: the names that occur (unknown ones from a newer version included),
    /// alphabetically by what is shown, once.
    pub fn event_options(&self) -> Vec<EventName> {
        let mut v: Vec<EventName> = self.events.iter().map(|e| e.event_name.clone()).collect();
        crate::sort::sort_by(&mut v, |a, b| a.as_str().cmp(b.as_str()));
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Source;

    fn event(i: i64, name: EventName, group: Option<&str>) -> ActivityEvent {
        ActivityEvent::new(i, name, group, Source::Local)
    }

    /// 120 events, newest first, over three groups and two kinds.
    fn log() -> Vec<ActivityEvent> {
        (0..120)
            .rev()
            .map(|i| {
                let name = if i % 2 == 0 {
                    EventName::UpdateGroup
                } else {
                    EventName::CreateGroup
                };
                let groups = ["b-組", "a-grp", "c-😀"];
                event(i, name, Some(groups[(i % 3) as usize]))
            })
            .collect()
    }

    fn brute(events: &[ActivityEvent], f: &ActivityFilter) -> Vec<i64> {
        events
            .iter()
            .filter(|e| f.accepts(e))
            .map(|e| e.time)
            .collect()
    }

    #[test]
    fn filters_keep_the_log_order_and_reset_the_page() {
        let mut v = ActivityView::new(log());
        assert_eq!(v.shown_len(), 120);
        assert_eq!(v.info().page_count, 3);
        v.set_page(2);
        assert_eq!(v.page_rows().len(), 20);
        assert_eq!(v.page_rows()[0].time, 19);
        v.set_group(Some("b-組".into()));
        assert_eq!(v.info().page, 0);
        let times: Vec<i64> = v.page_rows().iter().map(|e| e.time).collect();
        assert_eq!(times, brute(&log(), v.filter()));
        v.set_event(Some(EventName::UpdateGroup));
        assert_eq!(
            v.page_rows().iter().map(|e| e.time).collect::<Vec<_>>(),
            brute(&log(), v.filter())
        );
        assert!(v.page_rows().iter().all(|e| e.time % 6 == 0));
        v.set_group(Some(String::new()));
        assert_eq!(v.filter().group_name, None);
        v.clear_filters();
        assert_eq!(v.shown_len(), 120);
    }

    #[test]
    fn a_shorter_log_keeps_filters_and_clamps_the_page() {
        let mut v = ActivityView::new(log());
        v.set_event(Some(EventName::CreateGroup));
        v.set_page(1);
        assert_eq!(v.info().page, 1);
        let shorter: Vec<ActivityEvent> = log().into_iter().take(30).collect();
        v.replace_events(shorter.clone());
        assert_eq!(v.filter().event_name, Some(EventName::CreateGroup));
        assert_eq!(v.info().page, 0);
        assert_eq!(v.shown_len(), brute(&shorter, v.filter()).len());
        v.set_page(99);
        assert_eq!(v.info().page, 0);
    }

    #[test]
    fn export_is_oldest_first_and_filtered() {
        let mut v = ActivityView::new(log());
        v.set_group(Some("a-grp".into()));
        let times: Vec<i64> = v.export_rows().iter().map(|e| e.time).collect();
        let mut expected = brute(&log(), v.filter());
        expected.reverse();
        assert_eq!(times, expected);
    }

    #[test]
    fn menus_list_each_name_once_in_order() {
        let v = ActivityView::new(log());
        assert_eq!(v.group_options(), vec!["a-grp", "b-組", "c-😀"]);
        let options = v.event_options();
        let names: Vec<&str> = options.iter().map(|n| n.as_str()).collect();
        let mut sorted = names.clone();
        crate::sort::sort(&mut sorted);
        sorted.dedup();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 2);
        let empty = ActivityView::new(Vec::new());
        assert!(empty.is_empty());
        assert_eq!(empty.info().page_count, 1);
        assert!(empty.page_rows().is_empty());
    }
}

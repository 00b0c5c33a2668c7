//! "Refresh inventory" (sync mode): which regions to pull, and what to say while and after
//! pulling. The pull itself (the Tagging API, page by page) is `sync::tagging`; the write is
//! `store::ops::replace_pulled`, one transaction for every region that was read completely.

use std::collections::BTreeSet;

use super::display::thousands;

/// Where a pull stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullProgress {
    /// Resources read so far, all regions together.
    pub resources: usize,
    /// Regions read completely so far.
    pub regions_done: usize,
    /// Regions being read now (regions are read together).
    pub regions_reading: usize,
    /// Regions asked for.
    pub regions: usize,
}

impl PullProgress {
    /// "2,300 resources from 2 regions…": the status line while it runs (the regions read
    /// or being read; at least one).
    pub fn line(&self) -> String {
        let regions = (self.regions_done + self.regions_reading)
            .min(self.regions)
            .max(1);
        format!(
            "{} resource{} from {} region{}\u{2026}",
            thousands(self.resources),
            if self.resources == 1 { "" } else { "s" },
            regions,
            if regions == 1 { "" } else { "s" }
        )
    }
}

/// The progress of regions read together: each reports its own count as its pages come.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullTally {
    regions: usize,
    /// Resources read so far, by region started.
    counts: std::collections::BTreeMap<String, usize>,
    done: BTreeSet<String>,
}

impl PullTally {
    pub fn new(regions: usize) -> Self {
        PullTally {
            regions,
            ..PullTally::default()
        }
    }

    /// `region` has read `so_far` resources (0: it started).
    pub fn read(&mut self, region: &str, so_far: usize) {
        self.counts.insert(region.to_owned(), so_far);
    }

    /// `region` stopped: read completely, failed or cancelled.
    pub fn finished(&mut self, region: &str) {
        self.counts.entry(region.to_owned()).or_default();
        self.done.insert(region.to_owned());
    }

    pub fn progress(&self) -> PullProgress {
        PullProgress {
            resources: self.counts.values().sum(),
            regions_done: self.done.len(),
            regions_reading: self.counts.len() - self.done.len(),
            regions: self.regions,
        }
    }
}

/// How a pull ended, for its notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullSummary {
    pub resources: usize,
    pub refused: usize,
    pub regions_done: BTreeSet<String>,
    /// Regions not read, with why (an error, or "cancelled").
    pub regions_failed: Vec<(String, String)>,
    pub cancelled: bool,
}

impl PullSummary {
    /// The notice's title and text.
    pub fn notice(&self) -> (&'static str, String) {
        let done: Vec<&str> = self.regions_done.iter().map(String::as_str).collect();
        let mut text = if done.is_empty() {
            "Nothing was replaced: no region was read completely.".to_owned()
        } else {
            format!(
                "{} resource{} from {} ({}) replace the earlier pull of {}.",
                thousands(self.resources),
                if self.resources == 1 { "" } else { "s" },
                if done.len() == 1 {
                    "one region"
                } else {
                    "these regions"
                },
                done.join(", "),
                if done.len() == 1 {
                    "that region"
                } else {
                    "them"
                },
            )
        };
        if self.refused > 0 {
            text.push_str(&format!(
                " {} record{} refused (listed below, not stored).",
                thousands(self.refused),
                if self.refused == 1 { " was" } else { "s were" }
            ));
        }
        for (region, why) in &self.regions_failed {
            text.push_str(&format!(" {region}: {why}"));
        }
        let title = if self.cancelled {
            "Refresh cancelled"
        } else if !self.regions_failed.is_empty() {
            "Inventory partly refreshed"
        } else {
            "Inventory refreshed"
        };
        (title, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_notices_read_well() {
        let p = PullProgress {
            resources: 2_300,
            regions_done: 1,
            regions_reading: 1,
            regions: 3,
        };
        assert_eq!(p.line(), "2,300 resources from 2 regions\u{2026}");
        let one = PullProgress {
            resources: 1,
            regions: 1,
            ..PullProgress::default()
        };
        assert_eq!(one.line(), "1 resource from 1 region\u{2026}");
        // Regions read together: each adds its own count; a finished one stays counted.
        let mut t = PullTally::new(3);
        t.read("us-east-1", 0);
        t.read("eu-west-1", 100);
        t.read("us-east-1", 200);
        assert_eq!(t.progress().line(), "300 resources from 2 regions\u{2026}");
        t.finished("eu-west-1");
        t.read("ap-south-1", 50);
        let p = t.progress();
        assert_eq!(
            (p.resources, p.regions_done, p.regions_reading),
            (350, 1, 2)
        );
        assert_eq!(p.line(), "350 resources from 3 regions\u{2026}");
        t.finished("never-started");
        assert_eq!(t.progress().regions_reading, 2);
        let s = PullSummary {
            resources: 12,
            refused: 1,
            regions_done: ["eu-west-1".to_owned(), "us-east-1".to_owned()].into(),
            regions_failed: vec![(
                "ap-south-1".into(),
                "the backend could not be reached".into(),
            )],
            cancelled: false,
        };
        let (title, text) = s.notice();
        assert_eq!(title, "Inventory partly refreshed");
        assert!(text.starts_with("12 resources from these regions (eu-west-1, us-east-1)"));
        assert!(text.contains("1 record was refused"));
        assert!(text.contains("ap-south-1: the backend could not be reached"));
        let none = PullSummary {
            cancelled: true,
            ..PullSummary::default()
        };
        assert_eq!(none.notice().0, "Refresh cancelled");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert!(none.notice().1.starts_with("Nothing was replaced"));
    }
}

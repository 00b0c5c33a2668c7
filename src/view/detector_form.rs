//! The form of Settings → Your own detectors: what the person types, as a
//! `guard::custom::Detector`, and the list with one added or removed. The checks are the
//! guard's own (`guard::custom::check`), so the form refuses exactly what the guard would.

use crate::guard::custom::{
    check, Detector, DetectorError, DetectorKind, Detectors, DETECTORS_MAX,
};

/// What the form holds: examples one per line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetectorDraft {
    pub name: String,
    pub kind: DetectorKind,
    pub text: String,
    pub must_match: String,
    pub must_not_match: String,
}

impl Default for DetectorDraft {
    fn default() -> Self {
        DetectorDraft {
            name: String::new(),
            kind: DetectorKind::Pattern,
            text: String::new(),
            must_match: String::new(),
            must_not_match: String::new(),
        }
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl DetectorDraft {
    pub fn to_detector(&self) -> Detector {
        Detector {
            name: self.name.trim().to_owned(),
            kind: self.kind,
            text: self.text.trim().to_owned(),
            must_match: lines(&self.must_match),
            must_not_match: lines(&self.must_not_match),
        }
    }

    /// The list with this detector added, or why not (a taken name counts).
    pub fn add_to(&self, list: &Detectors) -> Result<Detectors, DetectorError> {
        let d = self.to_detector();
        check(&d)?;
        if list.0.iter().any(|x| x.name.eq_ignore_ascii_case(&d.name)) {
            return Err(DetectorError::Name(
                "A detector with this name exists already.".into(),
            ));
        }
        if list.0.len() >= DETECTORS_MAX {
            return Err(DetectorError::Name(format!(
                "At most {DETECTORS_MAX} detectors."
            )));
        }
        let mut all = list.clone();
        all.0.push(d);
        Ok(all)
    }
}

/// The list without the detector named `name`.
pub fn remove(list: &Detectors, name: &str) -> Detectors {
    Detectors(list.0.iter().filter(|d| d.name != name).cloned().collect())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_draft_becomes_a_detector_checked_by_the_guard_and_names_are_unique() {
        let draft = DetectorDraft {
            name: " Customer number ".into(),
            kind: DetectorKind::Pattern,
            text: "CUST-######".into(),
            must_match: "CUST-123456\n\n  cust 654321 \n".into(),
            must_not_match: "CUST-12345".into(),
        };
        let d = draft.to_detector();
        assert_eq!(d.name, "Customer number");
        assert_eq!(d.must_match, ["CUST-123456", "cust 654321"]);
        let list = draft.add_to(&Detectors::default()).unwrap();
        assert_eq!(list.0.len(), 1);
        assert!(matches!(draft.add_to(&list), Err(DetectorError::Name(_))));
        let broken = DetectorDraft {
            must_not_match: "CUST-000000".into(),
            ..draft.clone()
        };
        assert_eq!(
            broken.add_to(&Detectors::default()),
            Err(DetectorError::MustNotMatch(1))
        );
        assert!(remove(&list, "Customer number").0.is_empty());
        // What the list encodes is what the store keeps as it is.
        assert_eq!(Detectors::decode(&list.encode()), list);
    }
}

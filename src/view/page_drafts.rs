//! What a person is editing on a group's page, kept while the page shows the group afresh.
//!
//! The group page is built from the stored group, and built again whenever that group changes:
//! after a save here, when a sync pulls a change, when another tab saves. Each editor starts
//! from the group it is given, so without this an open editor would close (or a tab's form
//! reset) and lose what was typed — a description half written when a sync landed, or the tag
//! typed between clicking "Save tags" and the save coming back.
//!
//! The rule: an editor that has edits of its own (its form differs from the group it started
//! from) is resumed with them; edits that the fresh group already holds (the save landed) are
//! done, and the editor starts afresh. Tag edits are replayed onto the fresh tags as the diff
//! they are (keys set and removed), so a tag someone else changed meanwhile is kept; the other
//! scopes keep their fields as typed, which win when saved, as typing always does here.

use super::group_form::{GroupForm, Rows, Scope};
use crate::model::{Group, TagDiff};

/// One editor's state: the group it started from, its form, whether it is open.
#[derive(Clone, Debug)]
struct Kept {
    original: Group,
    form: GroupForm,
    open: bool,
}

/// The description editor's state: the text it started from, and what is typed.
#[derive(Clone, Debug)]
struct KeptText {
    group: String,
    started: String,
    typed: String,
}

/// The edits in progress on one group page; the page owns it across rebuilds.
#[derive(Clone, Debug, Default)]
pub struct PageDrafts {
    forms: Vec<Kept>,
    description: Option<KeptText>,
}

impl PageDrafts {
    /// Records a form as it is now, with the group it started from and whether its editor is
    /// open (the tabs' forms are always open).
    pub fn keep_form(&mut self, original: &Group, form: &GroupForm, open: bool) {
        let kept = Kept {
            original: original.clone(),
            form: form.clone(),
            open,
        };
        match self
            .forms
            .iter_mut()
            .find(|k| k.form.scope() == form.scope())
        {
            Some(k) => *k = kept,
            None => self.forms.push(kept),
        }
    }

    /// The form to show for `scope` over `fresh`, and whether its editor is open: `None` when
    /// nothing is kept for it (start afresh, closed).
    pub fn resume_form(&self, scope: Scope, fresh: &Group) -> Option<(GroupForm, bool)> {
        let k = self
            .forms
            .iter()
            .find(|k| k.form.scope() == scope && k.original.name == fresh.name)?;
        if !k.form.changed(&k.original) {
            // Nothing typed: an open editor stays open, on the fresh group.
            if !k.open {
                return None;
            }
            return fresh_form(scope, fresh).map(|f| (f, true));
        }
        let mut form = k.form.clone();
        if scope == Scope::Tags {
            let diff = TagDiff::between(&k.original.tags, &form.draft.tags.tag_map());
            let mut tags = fresh.tags.clone();
            for key in &diff.remove {
                tags.remove(key);
            }
            tags.extend(diff.set.clone());
            // Rows as typed (order, blank rows) when they already say this; else the replay.
            if form.draft.tags.tag_map() != tags {
                form.draft.tags = Rows::new(&tags);
            }
        }
        // The edits landed (the fresh group holds them): done.
        if !form.changed(fresh) {
            return None;
        }
        Some((form, k.open))
    }

    /// Records the description editor: `typed` while it is open, `None` once closed.
    pub fn keep_description(&mut self, original: &Group, typed: Option<&str>) {
        self.description = typed.map(|t| KeptText {
            group: original.name.clone(),
            started: original.description.clone(),
            typed: t.to_owned(),
        });
    }

    /// The text to show in an open description editor over `fresh`; `None`: closed.
    pub fn resume_description(&self, fresh: &Group) -> Option<String> {
        let k = self
            .description
            .as_ref()
            .filter(|k| k.group == fresh.name)?;
        if k.typed == k.started {
            return Some(fresh.description.clone());
        }
        if k.typed.trim() == fresh.description {
            return None;
        }
        Some(k.typed.clone())
    }
}

fn fresh_form(scope: Scope, g: &Group) -> Option<GroupForm> {
    match scope {
        Scope::Tags => Some(GroupForm::tags_of(g)),
        Scope::Query => GroupForm::query_of(g),
        Scope::Labels => Some(GroupForm::labels_of(g)),
        Scope::Configuration => GroupForm::configuration_of(g),
        Scope::NewGroup | Scope::ResourceTags => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ResourceQuery, TagFilter};
    use crate::view::group_form::{List, RowEdit};

    fn group() -> Group {
        let mut g = Group::new(
            "web",
            ResourceQuery::tags(vec![TagFilter {
                key: "環境".into(),
                values: vec!["本番".into()],
            }]),
        );
        g.tags.insert("Team".into(), "Équipe".into());
        g.description = "Serveurs web".into();
        g
    }

    /// Types a new tag row into a tags form.
    fn add_tag(f: &mut GroupForm, key: &str, value: &str) {
        assert!(f.edit_rows(List::Tags, RowEdit::Add));
        let id = f.draft.tags.as_slice().last().unwrap().id;
        f.edit_rows(List::Tags, RowEdit::Key(id, key.into()));
        f.edit_rows(List::Tags, RowEdit::Value(id, value.into()));
    }

    #[test]
    fn a_tag_typed_while_a_sync_changed_another_tag_keeps_both() {
        let g = group();
        let mut form = GroupForm::tags_of(&g);
        add_tag(&mut form, "Coût", "42");
        let mut drafts = PageDrafts::default();
        drafts.keep_form(&g, &form, true);
        // A sync changes Team meanwhile.
        let mut fresh = g.clone();
        fresh.tags.insert("Team".into(), "ops".into());
        let (resumed, _) = drafts.resume_form(Scope::Tags, &fresh).expect("kept");
        let tags = resumed.draft.tags.tag_map();
        assert_eq!(tags["Coût"], "42");
        assert_eq!(tags["Team"], "ops", "their change is not reverted");
    }

    #[test]
    fn a_save_that_landed_starts_afresh_and_typing_after_the_click_is_kept() {
        let g = group();
        let mut form = GroupForm::tags_of(&g);
        add_tag(&mut form, "Coût", "42");
        let mut saved = g.clone();
        saved.tags.insert("Coût".into(), "42".into());
        let mut drafts = PageDrafts::default();
        drafts.keep_form(&g, &form, true);
        assert!(drafts.resume_form(Scope::Tags, &saved).is_none());
        // One more tag typed between the click and the save coming back.
        add_tag(&mut form, "Projet", "α");
        drafts.keep_form(&g, &form, true);
        let (resumed, _) = drafts.resume_form(Scope::Tags, &saved).expect("kept");
        assert_eq!(resumed.draft.tags.tag_map()["Projet"], "α");
        assert!(resumed.changed(&saved));
        // Another group's page does not take it.
        let mut other = saved.clone();
        other.name = "api".into();
        assert!(drafts.resume_form(Scope::Tags, &other).is_none());
    }

    #[test]
    fn an_open_labels_editor_stays_open_with_what_was_typed() {
        let g = group();
        let mut form = GroupForm::labels_of(&g);
        form.draft.owner = "Zoë".into();
        let mut drafts = PageDrafts::default();
        drafts.keep_form(&g, &form, true);
        let mut fresh = g.clone();
        fresh.criticality = Some(2);
        let (resumed, open) = drafts.resume_form(Scope::Labels, &fresh).expect("kept");
        assert!(open);
        assert_eq!(resumed.draft.owner, "Zoë");
        // Open with nothing typed: open, on the fresh group.
        let mut drafts = PageDrafts::default();
        drafts.keep_form(&g, &GroupForm::labels_of(&g), true);
        let (resumed, open) = drafts.resume_form(Scope::Labels, &fresh).unwrap();
        assert!(open && !resumed.changed(&fresh));
        // Closed with nothing typed: nothing kept.
        drafts.keep_form(&g, &GroupForm::labels_of(&g), false);
        assert!(drafts.resume_form(Scope::Labels, &fresh).is_none());
    }

    #[test]
    fn a_description_half_written_survives_and_a_saved_one_closes() {
        let g = group();
        let mut drafts = PageDrafts::default();
        drafts.keep_description(&g, Some("Serveurs web — ré"));
        let mut fresh = g.clone();
        fresh.tags.insert("x".into(), "y".into());
        assert_eq!(
            drafts.resume_description(&fresh).as_deref(),
            Some("Serveurs web — ré")
        );
        let mut saved = g.clone();
        saved.description = "Serveurs web — ré".into();
        drafts.keep_description(&g, Some("Serveurs web — ré "));
        assert_eq!(drafts.resume_description(&saved), None);
        drafts.keep_description(&g, Some("Serveurs web"));
        assert_eq!(
            drafts.resume_description(&saved).as_deref(),
            Some("Serveurs web — ré"),
            "open with nothing typed shows the fresh text"
        );
        drafts.keep_description(&g, None);
        assert_eq!(drafts.resume_description(&saved), None);
    }
}

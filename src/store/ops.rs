//! The batches behind each change a person makes, with the activity events that describe them.
//! Pure: the UI calls these and hands the batch to a store.

use std::collections::BTreeSet;

use super::{ActivityEvent, Batch, EventName, Op, Source, StoreError};
use crate::model::{Group, GroupField, Resource, TagDiff};

/// Creates a group (refused if one with that name exists).
pub fn create_group(
    existing: Option<&Group>,
    mut group: Group,
    now: i64,
    source: Source,
) -> Result<Batch, StoreError> {
    if existing.is_some() {
        return Err(StoreError::AlreadyExists(format!(
            "A group named \u{201c}{}\u{201d}",
            group.name
        )));
    }
    group.created_at = now;
    group.updated_at = now;
    let event = ActivityEvent::new(now, EventName::CreateGroup, Some(&group.name), source);
    Ok(Batch {
        // Still absent when written: not created meanwhile in another tab, and not the name of
        // a quarantined record (see `load.rs`), which the put would silently replace.
        ops: vec![
            Op::ExpectGroup {
                name: group.name.clone(),
                updated_at: None,
            },
            Op::PutGroup(group),
        ],
        events: vec![event],
        bulk: false,
    })
}

/// The fields that differ between two versions of a group (never their values), in order.
/// Never [`GroupField::Group`]: both versions exist.
pub fn changed_fields(old: &Group, new: &Group) -> Vec<GroupField> {
    let mut fields = Vec::new();
    if old.description != new.description {
        fields.push(GroupField::Description);
    }
    if old.display_name != new.display_name {
        fields.push(GroupField::DisplayName);
    }
    if old.owner != new.owner {
        fields.push(GroupField::Owner);
    }
    if old.criticality != new.criticality {
        fields.push(GroupField::Criticality);
    }
    if old.spec != new.spec {
        fields.push(GroupField::ResourceQuery);
    }
    if old.tags != new.tags {
        fields.push(GroupField::Tags);
    }
    fields
}

/// Updates a group; the name cannot change (as in AWS). Events follow the AWS API: UpdateGroup
/// (description, display name, owner, criticality: the names of those that changed),
/// UpdateGroupQuery, Tag and Untag (with the tag keys).
pub fn update_group(
    old: &Group,
    mut new: Group,
    now: i64,
    source: Source,
) -> Result<Batch, StoreError> {
    if old.name != new.name {
        return Err(StoreError::Refused(
            "A group's name cannot be changed; create a new group instead.".into(),
        ));
    }
    let mut events = Vec::new();
    let name = Some(old.name.as_str());
    let changed = changed_fields(old, &new);
    let updated: Vec<GroupField> = changed
        .iter()
        .copied()
        .filter(|f| {
            matches!(
                f,
                GroupField::Description
                    | GroupField::DisplayName
                    | GroupField::Owner
                    | GroupField::Criticality
            )
        })
        .collect();
    if !updated.is_empty() {
        events.push(
            ActivityEvent::new(now, EventName::UpdateGroup, name, source).with_fields(&updated),
        );
    }
    if old.spec != new.spec {
        events.push(
            ActivityEvent::new(now, EventName::UpdateGroupQuery, name, source)
                .with_fields(&[GroupField::ResourceQuery]),
        );
    }
    // The diff sync's Tag and Untag calls are made from: the log and the backend agree on
    // which keys a change sets and removes.
    let tags = TagDiff::between(&old.tags, &new.tags);
    if !tags.set.is_empty() {
        events.push(
            ActivityEvent::new(now, EventName::Tag, name, source).with_fields(&tags.set_keys()),
        );
    }
    if !tags.remove.is_empty() {
        events.push(
            ActivityEvent::new(now, EventName::Untag, name, source)
                .with_fields(&tags.remove_keys()),
        );
    }
    if events.is_empty() {
        return Ok(Batch::default());
    }
    new.created_at = old.created_at;
    new.updated_at = now;
    // Saved only over the copy it was edited from: a tab holding an older copy (another tab
    // or sync changed the group meanwhile) gets `StoreError::Changed` instead of silently
    // undoing the newer change.
    let expect = Op::ExpectGroup {
        name: old.name.clone(),
        updated_at: Some(old.updated_at),
    };
    Ok(Batch {
        ops: vec![expect, Op::PutGroup(new)],
        events,
        bulk: false,
    })
}

/// Deletes groups (one transaction).
pub fn delete_groups(names: &[String], now: i64, source: Source) -> Batch {
    Batch {
        ops: names.iter().map(|n| Op::DeleteGroup(n.clone())).collect(),
        events: names
            .iter()
            .map(|n| ActivityEvent::new(now, EventName::DeleteGroup, Some(n), source))
            .collect(),
        bulk: names.len() > 1,
    }
}

/// Deletes groups a person chose (one transaction), keeping each in Recently deleted for
/// [`super::TOMBSTONE_DAYS`] days. A group the checks refuse (stored before the guard knew
/// its name) cannot be kept there — it could never be stored again — so it is only deleted,
/// as [`delete_groups`] does: deleting must stay possible for exactly those groups.
pub fn delete_groups_keeping(groups: &[Group], now: i64, source: Source) -> Batch {
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let mut batch = delete_groups(&names, now, source);
    // Only the copies shown: a group another tab or sync changed meanwhile is not deleted
    // (and so never kept here in an older state than the one deleted).
    batch.ops.splice(
        0..0,
        groups.iter().map(|g| Op::ExpectGroup {
            name: g.name.clone(),
            updated_at: Some(g.updated_at),
        }),
    );
    for g in groups {
        if g.blocking_errors().is_empty() {
            batch.ops.push(Op::PutTombstone(super::Tombstone {
                group: g.clone(),
                deleted_at: now,
                by: super::DeletedBy::Here,
            }));
        }
    }
    batch
}

/// Brings groups back from Recently deleted, in one batch: each is stored again as it was
/// (its creation time kept, changed now) and leaves Recently deleted. Refused as a whole if a
/// group of one of these names exists again (`existing`: the stored group of that name).
///
/// With sync on (`sync`), what the backend needs: when the deletion was never sent (its
/// `DeleteGroup` is still in the outbox and the last-synced copy is there), that entry is
/// cancelled and the group keeps its ARN — nothing is sent for it. Otherwise the backend no
/// longer has the group: it is created there again by the next push, and gets a new ARN (its
/// old one names nothing any more, so it is cleared here). Answers the batch and the names
/// of the groups that will get a new ARN.
pub fn restore_deleted(
    tombs: &[super::Tombstone],
    existing: impl Fn(&str) -> bool,
    sync: Option<&super::SyncState>,
    now: i64,
) -> Result<(Batch, Vec<String>), StoreError> {
    let mut ops = Vec::new();
    let mut new_arn = Vec::new();
    for t in tombs {
        let name = &t.group.name;
        if existing(name) {
            return Err(StoreError::AlreadyExists(format!(
                "A group named \u{201c}{name}\u{201d}"
            )));
        }
        let mut group = t.group.clone();
        group.updated_at = now;
        ops.push(Op::ExpectGroup {
            name: name.clone(),
            updated_at: None,
        });
        ops.push(Op::DeleteTombstone(name.clone()));
        if let Some(state) = sync {
            let pending_delete: Vec<u64> = state
                .outbox
                .iter()
                .filter(|e| {
                    &e.group_name == name
                        && super::OutboxAction::parse(&e.action)
                            == Some(super::OutboxAction::Delete)
                })
                .map(|e| e.seq)
                .collect();
            if state.bases.contains_key(name) && !pending_delete.is_empty() {
                ops.extend(pending_delete.into_iter().map(Op::Dequeue));
            } else {
                group.arn = None;
                new_arn.push(name.clone());
                ops.push(Op::Enqueue(super::OutboxEntry::new(
                    name,
                    super::OutboxAction::Create.as_str(),
                    now,
                )));
            }
        }
        ops.push(Op::PutGroup(group));
    }
    let mut event = ActivityEvent::new(
        now,
        EventName::RestoreGroup,
        tombs
            .first()
            .filter(|_| tombs.len() == 1)
            .map(|t| t.group.name.as_str()),
        Source::Local,
    );
    event = event.with_count(tombs.len());
    Ok((
        Batch {
            ops,
            events: vec![event],
            bulk: tombs.len() > 1,
        },
        new_arn,
    ))
}

/// Removes from Recently deleted what has been there longer than
/// [`super::TOMBSTONE_DAYS`] days at `now` (the clock is the caller's, so tests choose it);
/// `None` when nothing is due.
pub fn purge_expired(tombs: &[super::Tombstone], now: i64) -> Option<Batch> {
    let ops: Vec<Op> = tombs
        .iter()
        .filter(|t| t.expired(now))
        .map(|t| Op::DeleteTombstone(t.group.name.clone()))
        .collect();
    if ops.is_empty() {
        return None;
    }
    let count = ops.len();
    Some(Batch {
        ops,
        events: vec![
            ActivityEvent::new(now, EventName::PurgeDeleted, None, Source::Local).with_count(count),
        ],
        bulk: count > 1,
    })
}

/// Deletes quarantined records (see `load.rs`). For a group, its last-synced copy goes too, so
/// that the next sync takes the backend's copy as new instead of reading "deleted here" (which
/// would be a delete-against-edit conflict, or a deletion sent to the backend), and so do its
/// pending changes (there is nothing of it here left to send). The event names no group: a
/// quarantined name may be what the guard flags.
pub fn delete_quarantined(
    records: &[super::Quarantined],
    sync: &super::SyncState,
    now: i64,
) -> Batch {
    let mut ops = Vec::new();
    for q in records {
        ops.push(Op::DeleteQuarantined(q.kind, q.key.clone()));
        if q.kind == super::RecordKind::Group {
            ops.push(Op::DeleteBase(q.key.clone()));
            ops.extend(sync.seqs_of(&q.key).into_iter().map(Op::Dequeue));
        }
    }
    Batch {
        ops,
        events: vec![
            ActivityEvent::new(now, EventName::DeleteQuarantined, None, Source::Local)
                .with_count(records.len()),
        ],
        bulk: records.len() > 1,
    }
}

/// Adds or replaces inventory resources (an import).
pub fn import_resources(resources: Vec<Resource>, now: i64) -> Batch {
    let count = resources.len();
    Batch {
        ops: resources.into_iter().map(Op::PutResource).collect(),
        events: vec![
            ActivityEvent::new(now, EventName::ImportResources, None, Source::Import)
                .with_count(count),
        ],
        bulk: true,
    }
}

/// Removes resources from this browser's inventory (one batch). Only the copies here go: the
/// resources themselves, in AWS, are not touched, and a later pull of their region lists them
/// again.
pub fn remove_resources(arns: &BTreeSet<String>, now: i64) -> Batch {
    Batch {
        ops: arns.iter().cloned().map(Op::DeleteResource).collect(),
        events: vec![
            ActivityEvent::new(now, EventName::RemoveResources, None, Source::Local)
                .with_count(arns.len()),
        ],
        bulk: arns.len() > 1,
    }
}

/// A pull of the inventory from the backend (the Tagging API) for `regions`, in one batch:
/// each pulled resource is put, marked with its region; a resource an earlier pull of one of
/// these regions brought and this one does not list is deleted; imported resources (and
/// pulls of other regions) are left alone, unless the backend now lists the same ARN, which
/// then becomes a pulled one. Resources already as pulled are not written again. `None` when
/// nothing changes. `existing` is the inventory in ARN order, as the store lists it.
pub fn replace_pulled(
    existing: &[Resource],
    regions: &BTreeSet<String>,
    pulled: Vec<(String, Resource)>,
    now: i64,
) -> Option<Batch> {
    let mut fresh: std::collections::BTreeMap<String, Resource> = Default::default();
    for (region, mut r) in pulled {
        if regions.contains(&region) {
            r.pulled_from = Some(region);
            fresh.insert(r.arn.clone(), r);
        }
    }
    let mut ops = Vec::new();
    for old in existing {
        let from_these = old
            .pulled_from
            .as_ref()
            .is_some_and(|r| regions.contains(r));
        if from_these && !fresh.contains_key(&old.arn) {
            ops.push(Op::DeleteResource(old.arn.clone()));
        }
    }
    for (arn, r) in fresh {
        let same = existing
            .binary_search_by(|x| x.arn.as_str().cmp(&arn))
            .ok()
            .is_some_and(|i| existing[i] == r);
        if !same {
            ops.push(Op::PutResource(r));
        }
    }
    if ops.is_empty() {
        return None;
    }
    let count = ops.len();
    Some(Batch {
        ops,
        events: vec![
            ActivityEvent::new(now, EventName::ImportResources, None, Source::Sync)
                .with_fields(&regions.iter().collect::<Vec<_>>())
                .with_count(count),
        ],
        bulk: true,
    })
}

/// Tag changes for a set of resources: keys to set (with values) and keys to remove.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagChanges {
    pub set: Vec<(String, String)>,
    pub remove: Vec<String>,
}

/// Applies tag changes to resources; the resources that actually change, in one batch.
pub fn tag_resources(resources: &[Resource], changes: &TagChanges, now: i64) -> Batch {
    let mut ops = Vec::new();
    for r in resources {
        let mut tags = r.tags.clone();
        tags.retain(|(k, _)| !changes.remove.contains(k));
        for (k, v) in &changes.set {
            match tags.iter_mut().find(|(tk, _)| tk == k) {
                Some(slot) => slot.1 = v.clone(),
                None => tags.push((k.clone(), v.clone())),
            }
        }
        if tags != r.tags {
            ops.push(Op::PutResource(Resource { tags, ..r.clone() }));
        }
    }
    let mut events = Vec::new();
    if !changes.set.is_empty() && !ops.is_empty() {
        events.push(
            ActivityEvent::new(now, EventName::TagResources, None, Source::Local)
                .with_fields(&keys(changes.set.iter().map(|(k, _)| k.as_str()).collect()))
                .with_count(ops.len()),
        );
    }
    if !changes.remove.is_empty() && !ops.is_empty() {
        events.push(
            ActivityEvent::new(now, EventName::UntagResources, None, Source::Local)
                .with_fields(&keys(changes.remove.iter().map(String::as_str).collect()))
                .with_count(ops.len()),
        );
    }
    Batch {
        ops,
        events,
        bulk: true,
    }
}

fn keys(v: Vec<&str>) -> Vec<&str> {
    v.into_iter().collect::<BTreeSet<_>>().into_iter().collect()
}

/// Deletes every group, resource, setting and event; the event of the deletion stays.
pub fn delete_all_data(now: i64) -> Batch {
    Batch {
        ops: vec![Op::ClearAll],
        events: vec![ActivityEvent::new(
            now,
            EventName::DeleteAllData,
            None,
            Source::Local,
        )],
        bulk: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DeletedBy, MemoryStore, Store, Tombstone, TOMBSTONE_DAYS};
    use futures::executor::block_on;

    const DAY: i64 = 24 * 3600 * 1000;

    fn tomb(name: &str, at: i64, by: DeletedBy) -> Tombstone {
        let mut g = Group::new(
            name,
            crate::model::ResourceQuery::tags(vec![crate::model::TagFilter {
                key: "Équipe".into(),
                values: vec!["東京".into()],
            }]),
        );
        g.description = "kept private".into();
        Tombstone {
            group: g,
            deleted_at: at,
            by,
        }
    }

    /// The clock is injected: a day past the thirty, and only what is that old goes.
    #[test]
    fn recently_deleted_is_purged_after_thirty_days_by_the_clock_given() {
        let start = 1_700_000_000_000;
        let tombs = vec![
            tomb("old", start, DeletedBy::Here),
            tomb("sync-old", start + DAY, DeletedBy::Sync),
            tomb("recent", start + 20 * DAY, DeletedBy::Here),
        ];
        assert_eq!(purge_expired(&tombs, start + TOMBSTONE_DAYS * DAY), None);
        let batch = purge_expired(&tombs, start + TOMBSTONE_DAYS * DAY + 1).unwrap();
        assert_eq!(batch.ops, vec![Op::DeleteTombstone("old".into())]);
        let batch = purge_expired(&tombs, start + (TOMBSTONE_DAYS + 1) * DAY + 1).unwrap();
        assert_eq!(batch.ops.len(), 2);
        assert_eq!(batch.events[0].event_name, EventName::PurgeDeleted);
        assert_eq!(batch.events[0].count, Some(2));
        let store = MemoryStore::new();
        block_on(store.apply(Batch {
            ops: tombs.iter().cloned().map(Op::PutTombstone).collect(),
            ..Batch::default()
        }))
        .unwrap();
        block_on(store.apply(batch)).unwrap();
        let left: Vec<String> = block_on(store.tombstones())
            .unwrap()
            .into_iter()
            .map(|t| t.group.name)
            .collect();
        assert_eq!(left, ["recent"]);
    }

    #[test]
    fn a_restore_keeps_the_group_and_says_which_get_a_new_arn() {
        let t = tomb("web", 5, DeletedBy::Here);
        // Local mode: no outbox.
        let (b, new_arn) = restore_deleted(std::slice::from_ref(&t), |_| false, None, 9).unwrap();
        assert!(new_arn.is_empty());
        let Some(Op::PutGroup(g)) = b.ops.last() else {
            panic!("puts the group")
        };
        assert_eq!(g.description, "kept private");
        assert_eq!(g.updated_at, 9);
        // A group of that name exists again: refused.
        assert!(restore_deleted(std::slice::from_ref(&t), |_| true, None, 9).is_err());
        // Sync, the deletion still pending: it is cancelled, nothing is created.
        let mut state = crate::store::SyncState::default();
        state.bases.insert("web".into(), t.group.clone());
        state.outbox.push(crate::store::OutboxEntry {
            seq: 4,
            ..crate::store::OutboxEntry::new("web", "DeleteGroup", 6)
        });
        let (b, new_arn) =
            restore_deleted(std::slice::from_ref(&t), |_| false, Some(&state), 9).unwrap();
        assert!(new_arn.is_empty());
        assert!(b.ops.contains(&Op::Dequeue(4)));
        // Sync, the deletion was sent: created again, with a new ARN.
        let (b, new_arn) = restore_deleted(
            std::slice::from_ref(&t),
            |_| false,
            Some(&crate::store::SyncState::default()),
            9,
        )
        .unwrap();
        assert_eq!(new_arn, ["web"]);
        assert!(b
            .ops
            .iter()
            .any(|o| matches!(o, Op::Enqueue(e) if e.action == "CreateGroup")));
    }
}

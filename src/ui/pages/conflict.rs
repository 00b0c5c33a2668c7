//! On a group's page in sync mode: a conflict to resolve (keep mine, keep theirs, or field by
//! field), and the group's members as the backend lists them (where the backend can).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::model::{Group, GroupField, GroupSpec};
use crate::store::{Conflict, Store, SyncState};
use crate::sync::engine::{resolve_conflict, Keep};
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::sync::SyncCtl;

fn field_text(g: Option<&Group>, field: GroupField) -> String {
    let Some(g) = g else {
        return "(deleted)".into();
    };
    match field {
        GroupField::Description => {
            if g.description.is_empty() {
                "(none)".into()
            } else {
                g.description.clone()
            }
        }
        GroupField::DisplayName => none_if_empty(&g.display_name),
        GroupField::Owner => none_if_empty(&g.owner),
        GroupField::Criticality => g
            .criticality
            .map_or_else(|| "(not set)".to_owned(), |c| c.to_string()),
        GroupField::ResourceQuery => match &g.spec {
            GroupSpec::Query(q) => q.to_query_json(),
            GroupSpec::Configuration(c) => serde_json::to_string(c).unwrap_or_default(),
            GroupSpec::QueryAndConfiguration(q, c) => format!(
                "{}\n{}",
                q.to_query_json(),
                serde_json::to_string(c).unwrap_or_default()
            ),
        },
        GroupField::Tags => {
            if g.tags.is_empty() {
                "(no tags)".into()
            } else {
                g.tags
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
        GroupField::Group => "(exists)".into(),
    }
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "(none)".into()
    } else {
        s.to_owned()
    }
}

fn field_label(field: GroupField) -> &'static str {
    match field {
        GroupField::Description => "Description",
        GroupField::DisplayName => "Display name",
        GroupField::Owner => "Owner",
        GroupField::Criticality => "Criticality",
        GroupField::ResourceQuery => "Resource query",
        GroupField::Tags => "Tags",
        GroupField::Group => "The group itself",
    }
}

/// The conflict of a group, if any, with a way to resolve it.
#[component]
pub fn ConflictPanel(#[prop(into)] name: String) -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let ctl = expect_context::<SyncCtl>();
    let state = RwSignal::new(None::<(SyncState, Conflict)>);
    let name = StoredValue::new(name);
    Effect::new(move |_| {
        data.revision.get();
        let in_conflict = ctl.view.with(|v| v.conflicts.contains(&name.get_value()));
        if !in_conflict {
            state.set(None);
            return;
        }
        let Some(store) = data.with_store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(s) = store.sync_state().await {
                let c = s.conflicts.get(&name.get_value()).cloned();
                state.try_set(c.map(|c| (s, c)));
            }
        });
    });
    let choices = RwSignal::new(BTreeMap::<GroupField, Keep>::new());
    let resolve = move |default: Keep, per_field: bool| {
        let Some((s, c)) = state.get_untracked() else {
            return;
        };
        let n = name.get_value();
        let local = data
            .groups
            .with_untracked(|gs| gs.iter().find(|g| g.name == n).cloned());
        let picks = if per_field {
            choices.get_untracked()
        } else {
            BTreeMap::new()
        };
        let batch = resolve_conflict(
            local.as_ref(),
            &c,
            &s,
            default,
            &picks,
            js_sys::Date::now() as i64,
        );
        leptos::task::spawn_local(async move {
            // The resolution carries its own outbox entries: applied as it is.
            match undo
                .commit(
                    batch,
                    true,
                    "Conflict resolved",
                    "Your choice is saved. The next sync sends it to the backend if needed.",
                )
                .await
            {
                Ok(_) => {
                    ctl.sync_now(false);
                }
                Err(e) => {
                    flashes.push(
                        FlashKind::Error,
                        "The conflict was not resolved",
                        e.to_string(),
                    );
                }
            };
        });
    };

    move || {
        state.get().map(|(_, c)| {
            let n = name.get_value();
            let local = data.groups.with(|gs| gs.iter().find(|g| g.name == n).cloned());
            let deleted_case = c.fields.contains(&GroupField::Group);
            let summary = match (&local, &c.remote) {
                (Some(_), None) => "This group was deleted on the backend and changed here.",
                (None, Some(_)) => "This group was deleted here and changed on the backend.",
                _ => "This group was changed both here and on the backend since the last sync. Nothing was overwritten: choose what to keep.",
            };
            let rows = c
                .fields
                .iter()
                .map(|&f| {
                    let mine = field_text(local.as_ref(), f);
                    let theirs = field_text(c.remote.as_ref(), f);
                    // The stored spelling: stable ids and names for the radios.
                    let radio = format!("keep-{f}");
                    view! {
                        <tr>
                            <th scope="row">{field_label(f)}</th>
                            <td><pre>{mine}</pre></td>
                            <td><pre>{theirs}</pre></td>
                            {(!deleted_case).then(|| view! {
                                <td>
                                    <label class="checkbox"><input type="radio" name=radio.clone()
                                        prop:checked=move || choices.with(|m| m.get(&f) != Some(&Keep::Theirs))
                                        on:change=move |_| choices.update(|m| { m.insert(f, Keep::Mine); }) />" Mine"</label>
                                    <label class="checkbox"><input type="radio" name=radio
                                        prop:checked=move || choices.with(|m| m.get(&f) == Some(&Keep::Theirs))
                                        on:change=move |_| choices.update(|m| { m.insert(f, Keep::Theirs); }) />" Theirs"</label>
                                </td>
                            })}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="container alert alert-warning" id="conflict-panel" aria-labelledby="conflict-title">
                    <h2 id="conflict-title"><span class="badge badge-error">"Conflict"</span>" Resolve the conflict"</h2>
                    <p>{summary}</p>
                    <table class="conflict-fields">
                        <thead><tr>
                            <th scope="col">"Field"</th><th scope="col">"Here (mine)"</th><th scope="col">"On the backend (theirs)"</th>
                            {(!deleted_case).then(|| view! { <th scope="col">"Keep"</th> })}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="form-actions">
                        <button type="button" id="conflict-keep-theirs" class="button button-normal" on:click=move |_| resolve(Keep::Theirs, false)>"Keep theirs"</button>
                        <button type="button" id="conflict-keep-mine" class="button button-normal" on:click=move |_| resolve(Keep::Mine, false)>"Keep mine"</button>
                        {(!deleted_case).then(|| view! {
                            <button type="button" id="conflict-apply" class="button button-primary" on:click=move |_| resolve(Keep::Mine, true)>"Keep the chosen fields"</button>
                        })}
                    </div>
                </section>
            }
        })
    }
}

/// The group's members as the backend lists them (ListGroupResources), on request.
#[component]
pub fn BackendMembers(#[prop(into)] name: String) -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    let result = RwSignal::new(None::<Result<Vec<String>, String>>);
    let loading = RwSignal::new(false);
    let name = StoredValue::new(name);
    let load = move |_| {
        loading.set(true);
        leptos::task::spawn_local(async move {
            let r = ctl.backend_members(&name.get_value()).await;
            result.try_set(Some(r));
            loading.try_set(false);
        });
    };
    let shown = move || ctl.view.with(|v| v.enabled && v.signed_in);
    move || {
        shown().then(|| view! {
            <section class="container" aria-labelledby="members-title">
                <h2 id="members-title">"Members on the backend"</h2>
                <p>"The resources the backend counts as members of this group (ListGroupResources)."</p>
                <button type="button" id="members-load" class="button button-normal" disabled=move || loading.get() on:click=load>"Load from the backend"</button>
                <div id="members-result" role="status" aria-live="polite">
                    {move || result.get().map(|r| match r {
                        Ok(arns) if arns.is_empty() => view! { <p>"The backend lists no members."</p> }.into_any(),
                        Ok(arns) => view! { <ul class="plain-list mono">{arns.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul> }.into_any(),
                        Err(e) => view! { <div class="alert alert-info">{e}</div> }.into_any(),
                    })}
                </div>
            </section>
        })
    }
}

/// Resources added to or removed from a static group by ARN (GroupResources and
/// UngroupResources; AWS allows it for host management, capacity reservation pools and
/// application groups), with what the backend did for each. Shown with sync on only.
#[component]
pub fn StaticMembers(#[prop(into)] name: String) -> impl IntoView {
    use crate::sync::api::GroupingAction;
    let ctl = expect_context::<SyncCtl>();
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<crate::sync::api::Grouping, String>>);
    let busy = RwSignal::new(false);
    let name = StoredValue::new(name);
    let parsed =
        Memo::new(move |_| text.with(|t| crate::model::service_config::parse_member_arns(t)));
    let error = move || {
        parsed.with(|p| match p {
            Err(bad) => Some(format!(
                "Not an ARN: entry {}. Give one ARN per line (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE).",
                bad.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
            )),
            Ok(_) => None,
        })
    };
    let run = move |action: GroupingAction| {
        let Ok(arns) = parsed.get_untracked() else {
            return;
        };
        if arns.is_empty() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = ctl.set_membership(&name.get_value(), &arns, action).await;
            if matches!(r, Ok(ref g) if g.failed.is_empty() && g.pending.is_empty()) {
                text.try_set(String::new());
            }
            result.try_set(Some(r));
            busy.try_set(false);
        });
    };
    let shown = move || ctl.view.with(|v| v.enabled && v.signed_in);
    move || {
        shown().then(|| view! {
            <section class="container" aria-labelledby="static-title">
                <h2 id="static-title">"Add or remove resources"</h2>
                <div class="form-field">
                    <label class="form-label" for="static-arns">"Resource ARNs"</label>
                    <textarea id="static-arns" class="input textarea mono" rows="3"
                        aria-describedby="static-arns-error"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <div id="static-arns-error" aria-live="polite">{move || error().map(|e| view! { <p class="form-error">{e}</p> })}</div>
                </div>
                <div class="form-actions">
                    <button type="button" id="static-remove" class="button button-normal" disabled=move || busy.get() on:click=move |_| run(GroupingAction::Ungroup)>"Remove from the group"</button>
                    <button type="button" id="static-add" class="button button-primary" disabled=move || busy.get() on:click=move |_| run(GroupingAction::Group)>"Add to the group"</button>
                </div>
                <div id="static-result" role="status" aria-live="polite">
                    {move || result.get().map(|r| match r {
                        Ok(g) => view! {
                            <p>{format!("Done: {}. Failed: {}. Still in progress: {}.", g.succeeded.len(), g.failed.len(), g.pending.len())}</p>
                            <ul class="plain-list mono">{g.failed.into_iter().map(|(a, why)| view! { <li>{a}": "{why}</li> }).collect_view()}</ul>
                        }.into_any(),
                        Err(e) => view! { <div class="alert alert-info">{e}</div> }.into_any(),
                    })}
                </div>
            </section>
        })
    }
}

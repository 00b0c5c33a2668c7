//! `/recently-deleted`: groups deleted in the last 30 days — by a person here, or by sync
//! because the backend no longer had them — restorable one by one or together. After 30 days
//! they are removed for good (`store::ops::purge_expired`, at start and on every sync run).
//! Descriptions stay private here too: kept with the group, never shown.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::PageHeader;
use crate::store::{DeletedBy, Store, Tombstone};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::view::backup::days_left;

#[component]
pub fn RecentlyDeletedPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let tombs = LocalResource::new(move || {
        data.revision.track();
        let store = data.with_store();
        async move {
            match store {
                Some(s) => s.tombstones().await.map_err(|e| e.to_string()),
                None => Err("The storage is still opening.".to_owned()),
            }
        }
    });
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let busy = RwSignal::new(false);
    let restore = move |names: Vec<String>| {
        if busy.get_untracked() || names.is_empty() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = crate::ui::undo::restore_deleted(data, &names).await;
            busy.set(false);
            match result {
                Ok(new_arn) => {
                    selected.update(|s| s.retain(|n| !names.contains(n)));
                    let mut text = if names.len() == 1 {
                        format!(
                            "The group {} is back.",
                            crate::display::masked_name(&names[0])
                        )
                    } else {
                        format!("{} groups are back.", names.len())
                    };
                    if !new_arn.is_empty() {
                        text.push_str(if new_arn.len() == 1 && names.len() == 1 {
                            " The backend no longer has it: the next sync creates it there again, with a new ARN."
                        } else {
                            " Those the backend no longer has are created there again by the next sync, each with a new ARN."
                        });
                    }
                    flashes.push(FlashKind::Success, "Restored", text);
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Not restored", e.to_string());
                }
            }
        });
    };
    let restore_selected = move |_| restore(selected.get_untracked().into_iter().collect());

    let table = move |list: Vec<Tombstone>| {
        let now = js_sys::Date::now() as i64;
        let names: Vec<String> = list.iter().map(|t| t.group.name.clone()).collect();
        let all_names = names.clone();
        let all_selected = move || {
            let s = selected.get();
            !all_names.is_empty() && all_names.iter().all(|n| s.contains(n))
        };
        view! {
            <table class="table" id="deleted-table" aria-labelledby="deleted-heading">
                <thead>
                    <tr>
                        <th scope="col" class="select-col">
                            <input type="checkbox" aria-label="Select all deleted groups"
                                prop:checked=all_selected
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.set(if on { names.iter().cloned().collect() } else { BTreeSet::new() });
                                } />
                        </th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Deleted"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"Removed for good in"</th>
                        <th scope="col"><span class="visually-hidden">"Action"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|t| {
                        let name = t.group.name.clone();
                        let shown = crate::display::masked_name(&name);
                        let n1 = name.clone();
                        let n2 = name.clone();
                        let n3 = name.clone();
                        let left = days_left(t.deleted_at, now);
                        view! {
                            <tr class="deleted-row" data-name=name.clone()>
                                <td class="select-col">
                                    <input type="checkbox" aria-label=format!("Select {shown}")
                                        prop:checked=move || selected.with(|s| s.contains(&n1))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| { if on { s.insert(n2.clone()); } else { s.remove(&n2); } });
                                        } />
                                </td>
                                <th scope="row"><bdi>{shown.clone()}</bdi></th>
                                <td>{browser::format_time(t.deleted_at)}</td>
                                <td>{match t.by { DeletedBy::Here => "You, here", DeletedBy::Sync => "Sync (the backend no longer had it)" }}</td>
                                <td>{match left { 0 => "less than a day".to_owned(), 1 => "1 day".to_owned(), d => format!("{d} days") }}</td>
                                <td><button type="button" class="button button-normal deleted-restore"
                                    aria-label=format!("Restore {shown}")
                                    disabled=move || busy.get()
                                    on:click=move |_| restore(vec![n3.clone()])>"Restore"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    };

    view! {
        <PageHeader
            title="Recently deleted"
            description="Groups deleted in the last 30 days, by you or by sync. Restore them one by one or together; after 30 days they are removed for good. Their descriptions are kept but never shown here."
        />
        <section class="container" aria-labelledby="deleted-heading">
            <div class="table-header">
                <h2 id="deleted-heading">
                    "Deleted groups "
                    <span class="counter">{move || tombs.get().and_then(|r| r.ok()).map(|t| format!("({})", t.len()))}</span>
                </h2>
                <div class="table-actions">
                    <button type="button" id="restore-selected" class="button button-primary"
                        disabled=move || busy.get() || selected.with(BTreeSet::is_empty)
                        on:click=restore_selected>
                        {move || format!("Restore selected ({})", selected.with(BTreeSet::len))}
                    </button>
                </div>
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading\u{2026}"</p> }>
                {move || Suspend::new(async move {
                    match tombs.await {
                        Err(e) => view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state" id="deleted-empty">"Nothing was deleted in the last 30 days."</p>
                        }.into_any(),
                        Ok(mut list) => {
                            // Newest first: what was just deleted is what is looked for.
                            list.reverse();
                            table(list).into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

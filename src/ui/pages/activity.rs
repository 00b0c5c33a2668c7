//! `/activity`: the log of changes, newest first, filterable by group and event, in pages,
//! exportable as JSON Lines. What to show is `view::activity::ActivityView`; the log is read
//! through a `LocalResource` that re-reads when stored data changes (here or in another tab),
//! and a `Transition` keeps the old rows on screen while it does.

use leptos::prelude::*;

use super::PageHeader;
use crate::store::activity::to_json_lines;
use crate::store::{ActivityFilter, EventName, Store, ACTIVITY_MAX};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::{NoMatches, Pagination};
use crate::view::activity::ActivityView;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let view = RwSignal::new(ActivityView::default());
    // `revision` rises after every load and patch, so a change anywhere reads the log again.
    let log = LocalResource::new(move || {
        data.revision.track();
        let store = data.with_store();
        async move {
            match store {
                Some(store) => store
                    .activity(&ActivityFilter::default())
                    .await
                    .map_err(|e| e.to_string()),
                None => Err("The storage is still opening.".to_owned()),
            }
        }
    });
    // A newer copy of the log keeps the filters and the page.
    Effect::new(move |_| {
        if let Some(Ok(events)) = log.get() {
            view.update(|v| v.replace_events(events));
        }
    });

    view! {
        <PageHeader
            title="Activity"
            description="Every change to your groups and resources, newest first. Descriptions never appear here."
        />
        <section class="container" aria-labelledby="activity-heading">
            <ActivityHeader view=view />
            <ActivityFilters view=view />
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading activity…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(e) => view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any(),
                        Ok(_) => view! { <ActivityTable view=view /> }.into_any(),
                    }
                })}
            </Transition>
            <p class="form-constraint">{format!("The newest {ACTIVITY_MAX} events are kept; older ones are removed automatically.")}</p>
        </section>
    }
}

/// The heading with the count of events shown, and the export of exactly those.
#[component]
fn ActivityHeader(view: RwSignal<ActivityView>) -> impl IntoView {
    let flashes = expect_context::<Flashes>();
    let export = move |_| {
        let list = view.with_untracked(ActivityView::export_rows);
        let name = format!("group-console-activity-{}.jsonl", browser::today());
        if let Err(e) = browser::download(&name, "application/jsonl", &to_json_lines(&list)) {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };
    view! {
        <div class="table-header">
            <h2 id="activity-heading">
                "Events " <span class="counter">{move || format!("({})", view.with(ActivityView::shown_len))}</span>
            </h2>
            <button class="button button-normal" on:click=export>"Export JSON Lines"</button>
        </div>
    }
}

/// The group and event menus, listing what occurs in the log.
#[component]
fn ActivityFilters(view: RwSignal<ActivityView>) -> impl IntoView {
    let groups = Memo::new(move |_| view.with(ActivityView::group_options));
    let events = Memo::new(move |_| view.with(ActivityView::event_options));
    let group = move || view.with(|v| v.filter().group_name.clone().unwrap_or_default());
    let event = move || {
        view.with(|v| {
            v.filter()
                .event_name
                .as_ref()
                .map(EventName::to_string)
                .unwrap_or_default()
        })
    };
    view! {
        <div class="filters">
            <label class="form-label" for="activity-group">"Group"</label>
            <select id="activity-group" class="input select"
                on:change=move |ev| view.update(|v| v.set_group(Some(event_target_value(&ev))))
                prop:value=group>
                <option value="">"All groups"</option>
                {move || groups.get().into_iter().map(|g| view! { <option value=g.clone()>{g.clone()}</option> }).collect_view()}
            </select>
            <label class="form-label" for="activity-event">"Event"</label>
            <select id="activity-event" class="input select"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    view.update(|view| view.set_event((!v.is_empty()).then(|| EventName::parse(&v))));
                }
                prop:value=event>
                <option value="">"All events"</option>
                {move || events.get().into_iter().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// The page of events on screen, or the empty and zero-match states.
#[component]
fn ActivityTable(view: RwSignal<ActivityView>) -> impl IntoView {
    // A newer copy of the log builds a new table (the `Suspend` above resolves again) and
    // disposes this one's memos, while the same change to `view` may still run this table's
    // closures once: they read with `try_`, and a disposed memo reads as empty.
    let rows = Memo::new(move |_| view.with(ActivityView::page_rows));
    let info = Memo::new(move |_| view.with(ActivityView::info));
    let body = move || {
        rows.try_get()
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                view! {
                    <tr>
                        <td>{browser::format_time(e.time)}</td>
                        <th scope="row">{e.event_name.to_string()}</th>
                        <td class="cell-name">{e.group_name.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{match (e.fields.is_empty(), &e.target) {
                            (true, None) => "—".to_owned(),
                            (false, None) => e.fields.join(", "),
                            // Where data went (SendGroups): the fields, then the host.
                            (_, Some(host)) => format!("{} \u{2192} {host}", e.fields.join(", ")),
                        }}</td>
                        <td>{e.count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{e.source.label()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    move || {
        if view.with(ActivityView::is_empty) {
            return view! {
                <div class="empty-state"><h3>"No activity yet"</h3><p>"Changes you make will be recorded here."</p></div>
            }
            .into_any();
        }
        if view.with(|v| v.shown_len() == 0) {
            return view! { <NoMatches title="No matching events" on_clear=Callback::new(move |()| view.update(ActivityView::clear_filters)) /> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="activity-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Time"</th>
                            <th scope="col">"Event"</th>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Changed fields"</th>
                            <th scope="col">"Records"</th>
                            <th scope="col">"Source"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="form-constraint">{move || info.try_get().map(|i| format!("Events {}", i.label()))}</p>
            <Pagination page=Signal::derive(move || info.try_get().map_or(0, |i| i.page)) pages=Signal::derive(move || info.try_get().map_or(1, |i| i.page_count))
                on_page=Callback::new(move |p| view.update(|v| v.set_page(p))) />
        }
        .into_any()
    }
}

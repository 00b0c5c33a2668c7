use leptos::prelude::*;

use super::PageHeader;
use crate::store::activity::to_json_lines;
use crate::store::{ActivityEvent, ActivityFilter, EventName, Store, ACTIVITY_MAX};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::NoMatches;

/// `/activity`: the log of changes, filterable by group and event, exportable as JSON Lines.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let events = RwSignal::new(None::<Result<Vec<ActivityEvent>, String>>);
    let group_filter = RwSignal::new(String::new());
    let event_filter = RwSignal::new(None::<EventName>);

    // Reload whenever stored data changes (here or in another tab).
    Effect::new(move |_| {
        data.revision.track();
        let Some(store) = data.with_store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = store
                .activity(&ActivityFilter::default())
                .await
                .map_err(|e| e.to_string());
            events.try_set(Some(result));
        });
    });

    let filter = move || ActivityFilter {
        group_name: Some(group_filter.get()).filter(|g| !g.is_empty()),
        event_name: event_filter.get(),
    };
    let shown = move || -> Vec<ActivityEvent> {
        let f = filter();
        events.with(|e| match e {
            Some(Ok(list)) => list.iter().filter(|e| f.accepts(e)).cloned().collect(),
            _ => Vec::new(),
        })
    };
    let group_options = move || -> Vec<String> {
        let mut v: Vec<String> = events.with(|e| match e {
            Some(Ok(list)) => list.iter().filter_map(|e| e.group_name.clone()).collect(),
            _ => Vec::new(),
        });
        v.sort();
        v.dedup();
        v
    };
    // The names that occur, alphabetically (unknown ones from a newer version included).
    let event_options = move || -> Vec<EventName> {
        let mut v: Vec<EventName> = events.with(|e| match e {
            Some(Ok(list)) => list.iter().map(|e| e.event_name.clone()).collect(),
            _ => Vec::new(),
        });
        v.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        v.dedup();
        v
    };
    let export = move |_| {
        let mut list = shown();
        list.reverse(); // oldest first in the file
        let name = format!("group-console-activity-{}.jsonl", browser::today());
        if let Err(e) = browser::download(&name, "application/jsonl", &to_json_lines(&list)) {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };

    let table = move || {
        match events.get() {
        None => view! { <p class="loading" role="status">"Loading activity…"</p> }.into_any(),
        Some(Err(e)) => view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any(),
        Some(Ok(all)) if all.is_empty() => view! {
            <div class="empty-state"><h3>"No activity yet"</h3><p>"Changes you make will be recorded here."</p></div>
        }
        .into_any(),
        Some(Ok(_)) => {
            let rows = shown();
            if rows.is_empty() {
                return view! { <NoMatches title="No matching events" on_clear=Callback::new(move |()| { group_filter.set(String::new()); event_filter.set(None); }) /> }.into_any();
            }
            let body = rows
                .into_iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td>{browser::format_time(e.time)}</td>
                            <th scope="row">{e.event_name.to_string()}</th>
                            <td class="cell-name">{e.group_name.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{if e.fields.is_empty() { "—".to_owned() } else { e.fields.join(", ") }}</td>
                            <td>{e.count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td>{e.source.label()}</td>
                        </tr>
                    }
                })
                .collect_view();
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
            }
            .into_any()
        }
    }
    };

    view! {
        <PageHeader
            title="Activity"
            description="Every change to your groups and resources, newest first. Descriptions never appear here."
        />
        <section class="container" aria-labelledby="activity-heading">
            <div class="table-header">
                <h2 id="activity-heading">
                    "Events " <span class="counter">{move || format!("({})", shown().len())}</span>
                </h2>
                <button class="button button-normal" on:click=export>"Export JSON Lines"</button>
            </div>
            <div class="filters">
                <label class="form-label" for="activity-group">"Group"</label>
                <select id="activity-group" class="input select" on:change=move |ev| group_filter.set(event_target_value(&ev)) prop:value=move || group_filter.get()>
                    <option value="">"All groups"</option>
                    {move || group_options().into_iter().map(|g| view! { <option value=g.clone()>{g.clone()}</option> }).collect_view()}
                </select>
                <label class="form-label" for="activity-event">"Event"</label>
                <select id="activity-event" class="input select"
                    on:change=move |ev| { let v = event_target_value(&ev); event_filter.set((!v.is_empty()).then(|| EventName::parse(&v))); }
                    prop:value=move || event_filter.with(|n| n.as_ref().map(EventName::to_string).unwrap_or_default())>
                    <option value="">"All events"</option>
                    {move || event_options().into_iter().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                </select>
            </div>
            {table}
            <p class="form-constraint">{format!("The newest {ACTIVITY_MAX} events are kept; older ones are removed automatically.")}</p>
        </section>
    }
}

//! `/groups`: the table of resource groups — text filter with a match count, sortable columns,
//! pages, remembered preferences (page size, visible columns), row selection and bulk delete.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::model::Group;
use crate::store::{ops, Source};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::sync::SyncCtl;
use crate::ui::widgets::{ConfirmDelete, NoMatches, Pagination};

const PREFS_KEY: &str = "gc.groups.prefs";
const PAGE_SIZES: [usize; 4] = [10, 25, 50, 100];
/// Optional columns: (id, label). The name column is always shown.
const COLUMNS: [(&str, &str); 4] = [
    ("type", "Query type"),
    ("tags", "Tags"),
    ("matching", "Matching resources"),
    ("updated", "Last change"),
];

#[derive(Clone, Debug, PartialEq)]
struct Prefs {
    page_size: usize,
    columns: BTreeSet<String>,
}

impl Prefs {
    fn load() -> Self {
        let mut prefs = Prefs {
            page_size: 25,
            columns: COLUMNS.iter().map(|(id, _)| id.to_string()).collect(),
        };
        if let Some(saved) = browser::pref(PREFS_KEY) {
            for part in saved.split(';') {
                match part.split_once('=') {
                    Some(("size", v)) => {
                        if let Ok(n) = v.parse() {
                            if PAGE_SIZES.contains(&n) {
                                prefs.page_size = n;
                            }
                        }
                    }
                    Some(("cols", v)) => {
                        prefs.columns = v
                            .split(',')
                            .filter(|c| COLUMNS.iter().any(|(id, _)| id == c))
                            .map(str::to_owned)
                            .collect();
                    }
                    _ => {}
                }
            }
        }
        prefs
    }

    fn save(&self) {
        let cols: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        browser::set_pref(
            PREFS_KEY,
            &format!("size={};cols={}", self.page_size, cols.join(",")),
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SortBy {
    Name,
    Type,
    Tags,
    Matching,
    Updated,
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let sync = expect_context::<SyncCtl>();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Name, true));
    let page = RwSignal::new(0usize);
    let prefs = RwSignal::new(Prefs::load());
    let prefs_open = RwSignal::new(false);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let delete_open = RwSignal::new(false);

    // Matching-resource counts, by group name. Counting a group over a large inventory takes
    // about a millisecond, so counts are computed only for the rows on screen (for every
    // filtered group when sorting by them), a few at a time between frames, and cached until
    // the groups or the inventory change. Typing in the filter never waits for them.
    // Keyed by name and query, so an edited query is counted again; cleared when the inventory
    // (its index) changes.
    let counts = RwSignal::new(std::collections::HashMap::<String, usize>::new());
    let counted_index = StoredValue::new(0usize);
    let count_key = |g: &Group| {
        format!(
            "{}\u{0}{}",
            g.name,
            g.query().map(|q| q.to_query_json()).unwrap_or_default()
        )
    };

    // Lower-cased text to search per group, made once per change of the groups, so a keystroke
    // only scans strings. Filtering and sorting work on positions; only the rows of the visible
    // page are cloned.
    let haystacks = Memo::new(move |_| {
        data.groups.with(|gs| {
            gs.iter()
                .map(|g| {
                    let mut h = g.name.to_lowercase();
                    if let Some(q) = g.query() {
                        h.push('\u{0}');
                        h.push_str(&q.type_name().to_lowercase());
                    }
                    for (k, v) in &g.tags {
                        h.push('\u{0}');
                        h.push_str(&k.to_lowercase());
                        h.push('\u{0}');
                        h.push_str(&v.to_lowercase());
                    }
                    h
                })
                .collect::<Vec<String>>()
        })
    });
    let query_text = Memo::new(move |_| filter.get().trim().to_lowercase());
    // The whole list in sort order; a keystroke only filters it (order is kept), no re-sort.
    let sorted = Memo::new(move |_| {
        let (by, ascending) = sort.get();
        data.groups.with(|gs| {
            let mut list: Vec<usize> = (0..gs.len()).collect();
            let count_of = |g: &Group| {
                if by == SortBy::Matching {
                    counts.with(|c| c.get(&count_key(g)).copied())
                } else {
                    None
                }
            };
            list.sort_by(|&ia, &ib| {
                let (a, b) = (&gs[ia], &gs[ib]);
                let o = match by {
                    SortBy::Name => a.name.cmp(&b.name),
                    SortBy::Type => a
                        .query()
                        .map(|q| q.type_name())
                        .cmp(&b.query().map(|q| q.type_name())),
                    SortBy::Tags => a.tags.len().cmp(&b.tags.len()),
                    SortBy::Matching => count_of(a).cmp(&count_of(b)),
                    SortBy::Updated => a.updated_at.cmp(&b.updated_at),
                }
                .then_with(|| a.name.cmp(&b.name));
                if ascending {
                    o
                } else {
                    o.reverse()
                }
            });
            list
        })
    });
    let matches = move |hs: &[String], i: usize, f: &str| {
        f.is_empty() || hs.get(i).is_some_and(|h| h.contains(f))
    };
    // Positions matching the filter, in name order (what the counts are computed for when
    // sorting by them).
    let filtered = Memo::new(move |_| {
        let f = query_text.get();
        haystacks.with(|hs| {
            (0..hs.len())
                .filter(|&i| matches(hs, i, &f))
                .collect::<Vec<usize>>()
        })
    });
    let rows = Memo::new(move |_| {
        let f = query_text.get();
        haystacks.with(|hs| {
            sorted.with(|order| {
                order
                    .iter()
                    .copied()
                    .filter(|&i| matches(hs, i, &f))
                    .collect::<Vec<usize>>()
            })
        })
    });
    let pages = move || rows.with(|r| r.len().div_ceil(prefs.with(|p| p.page_size)).max(1));
    let current_page = move || page.get().min(pages() - 1);
    let visible = move || {
        let size = prefs.with(|p| p.page_size);
        let positions: Vec<usize> = rows.with(|r| {
            r.iter()
                .skip(current_page() * size)
                .take(size)
                .copied()
                .collect()
        });
        data.groups.with(|gs| {
            positions
                .iter()
                .filter_map(|&i| gs.get(i).cloned())
                .collect::<Vec<Group>>()
        })
    };
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let needed: Vec<Group> = if sort.get().0 == SortBy::Matching {
            let positions = filtered.get();
            data.groups.with(|gs| {
                positions
                    .iter()
                    .filter_map(|&i| gs.get(i).cloned())
                    .collect()
            })
        } else {
            visible()
        };
        if !data.resources_loaded.get() {
            return;
        }
        let index_id = std::sync::Arc::as_ptr(&data.index.get().0) as usize;
        if counted_index.get_value() != index_id {
            counted_index.set_value(index_id);
            counts.update_untracked(|c| c.clear());
        }
        let missing: Vec<Group> = needed
            .into_iter()
            .filter(|g| {
                g.query().is_some() && !counts.with_untracked(|c| c.contains_key(&count_key(g)))
            })
            .collect();
        generation.update_value(|g| *g += 1);
        if missing.is_empty() {
            return;
        }
        let this = generation.get_value();
        leptos::task::spawn_local(async move {
            for chunk in missing.chunks(8) {
                // Let the browser paint the table (and handle the next keystroke) first.
                browser::yield_now().await;
                if generation.try_get_value() != Some(this) {
                    return; // superseded by a newer page, filter or sort
                }
                let Some(index) = data.index.try_get_untracked() else {
                    return;
                };
                let idx = index.0;
                let found: Vec<(String, usize)> = chunk
                    .iter()
                    .filter_map(|g| {
                        g.query()
                            .map(|q| (count_key(g), idx.matcher(q).count(&idx)))
                    })
                    .collect();
                counts.try_update(|c| c.extend(found));
            }
        });
    });
    // Keep the selection to groups that still exist.
    Effect::new(move |_| {
        let names: BTreeSet<String> = data
            .groups
            .with(|gs| gs.iter().map(|g| g.name.clone()).collect());
        if selected.with_untracked(|s| s.iter().any(|n| !names.contains(n))) {
            selected.update(|s| s.retain(|n| names.contains(n)));
        }
    });

    let show = move |col: &'static str| prefs.with(|p| p.columns.contains(col));
    let header = move |label: &'static str, by: SortBy, numeric: bool| {
        let aria = move || match sort.get() {
            (b, true) if b == by => "ascending",
            (b, false) if b == by => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria class:cell-number=numeric>
                <button class="sort-button" on:click=move |_| sort.update(|(b, asc)| if *b == by { *asc = !*asc } else { *b = by; *asc = true })>
                    {label}
                    <span class="sort-icon" aria-hidden="true">{move || match aria() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}</span>
                </button>
            </th>
        }
    };

    let on_delete = Callback::new(move |_| {
        let names: Vec<String> = selected.get_untracked().into_iter().collect();
        leptos::task::spawn_local(async move {
            match data
                .apply(ops::delete_groups(
                    &names,
                    js_sys::Date::now() as i64,
                    Source::Local,
                ))
                .await
            {
                Ok(()) => {
                    selected.set(BTreeSet::new());
                    flashes.push(
                        FlashKind::Success,
                        "Groups deleted",
                        format!("{} group(s) deleted.", names.len()),
                    );
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was deleted", e.to_string());
                }
            }
        });
    });

    let table = move || {
        if !data.loaded.get() {
            return view! { <p class="loading" role="status">"Loading groups…"</p> }.into_any();
        }
        if let Some(e) = data.load_error.get() {
            return view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any();
        }
        if data.groups.with(Vec::is_empty) {
            return view! {
                <div class="empty-state">
                    <h3>"No groups yet"</h3>
                    <p>"Groups you create are kept in this browser."</p>
                    <A href=href("/groups/new") attr:class="button button-normal">"Create group"</A>
                </div>
            }
            .into_any();
        }
        if rows.with(Vec::is_empty) {
            return view! { <NoMatches title="No matches" message="No group matches the filter." on_clear=Callback::new(move |()| filter.set(String::new())) /> }.into_any();
        }
        let page_rows: Vec<(Group, Option<usize>)> = visible()
            .into_iter()
            .map(|g| {
                let n = counts.with(|c| c.get(&count_key(&g)).copied());
                (g, n)
            })
            .collect();
        let page_names: Vec<String> = page_rows.iter().map(|(g, _)| g.name.clone()).collect();
        let all_on_page = {
            let names = page_names.clone();
            move || selected.with(|s| names.iter().all(|n| s.contains(n)))
        };
        let toggle_page = move |_| {
            let all = page_names
                .iter()
                .all(|n| selected.with_untracked(|s| s.contains(n)));
            selected.update(|s| {
                for n in &page_names {
                    if all {
                        s.remove(n);
                    } else {
                        s.insert(n.clone());
                    }
                }
            });
        };
        let sync_on = sync.view.with(|v| v.enabled);
        let body = page_rows
            .into_iter()
            .map(|(g, matching)| {
                let name = g.name.clone();
                let n2 = name.clone();
                let link = href(&format!("/groups/{}", g.name));
                let kind = g.query().map(|q| q.type_name()).unwrap_or("Configuration");
                let tag_count = g.tags.len();
                let is_query = g.query().is_some();
                let updated = browser::format_time(g.updated_at);
                view! {
                    <tr class:row-selected=move || selected.with(|s| s.contains(&n2))>
                        <td class="cell-select">
                            <input
                                type="checkbox"
                                aria-label=format!("Select {name}")
                                prop:checked={
                                    let n = name.clone();
                                    move || selected.with(|s| s.contains(&n))
                                }
                                on:change={
                                    let n = name.clone();
                                    move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| {
                                            if on {
                                                s.insert(n.clone());
                                            } else {
                                                s.remove(&n);
                                            }
                                        })
                                    }
                                }
                            />
                        </td>
                        <th scope="row" class="cell-name"><A href=link>{g.name.clone()}</A></th>
                        {show("type").then(|| view! { <td>{kind}</td> })}
                        {show("tags").then(|| view! { <td class="cell-number">{tag_count}</td> })}
                        {show("matching").then(|| view! { <td class="cell-number">{match (matching, is_query) {
                            (_, false) => "—".to_owned(),
                            (Some(m), true) => m.to_string(),
                            (None, true) => "…".to_owned(),
                        }}</td> })}
                        {show("updated").then(|| view! { <td>{updated}</td> })}
                        {sync_on.then(|| {
                            let n = name.clone();
                            view! { <td class="cell-sync">{move || sync.group_state(&n).map(|st| view! {
                                <span class=st.class()>{st.label()}</span>
                            })}</td> }
                        })}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="groups-heading">
                    <thead>
                        <tr>
                            <th scope="col" class="cell-select">
                                <input type="checkbox" aria-label="Select all groups on this page" prop:checked=all_on_page on:change=toggle_page />
                            </th>
                            {header("Name", SortBy::Name, false)}
                            {show("type").then(|| header("Query type", SortBy::Type, false))}
                            {show("tags").then(|| header("Tags", SortBy::Tags, true))}
                            {show("matching").then(|| header("Matching resources", SortBy::Matching, true))}
                            {show("updated").then(|| header("Last change", SortBy::Updated, false))}
                            {sync_on.then(|| view! { <th scope="col">"Sync"</th> })}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let prefs_panel = move || {
        prefs_open.get().then(|| {
            view! {
                <div class="prefs-panel" role="group" aria-labelledby="prefs-title">
                    <h3 id="prefs-title">"Preferences"</h3>
                    <fieldset>
                        <legend>"Page size"</legend>
                        {PAGE_SIZES.iter().map(|&n| view! {
                            <label class="checkbox">
                                <input type="radio" name="page-size" prop:checked=move || prefs.with(|p| p.page_size == n)
                                    on:change=move |_| { prefs.update(|p| p.page_size = n); prefs.with_untracked(Prefs::save); page.set(0); } />
                                {format!(" {n} groups")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Visible columns"</legend>
                        {COLUMNS.iter().map(|&(id, label)| view! {
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=move || prefs.with(|p| p.columns.contains(id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        prefs.update(|p| { if on { p.columns.insert(id.to_owned()); } else { p.columns.remove(id); } });
                                        prefs.with_untracked(Prefs::save);
                                    } />
                                {format!(" {label}")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button class="button button-normal" on:click=move |_| prefs_open.set(false)>"Close preferences"</button>
                </div>
            }
        })
    };

    // Backend groups that the model or the guard refused: listed with the reason, never stored.
    let remote_rejected = move || {
        let rows: Vec<(String, String)> = sync.view.with(|v| {
            if v.enabled {
                v.rejected
                    .iter()
                    .map(|(n, r)| (n.clone(), r.clone()))
                    .collect()
            } else {
                Vec::new()
            }
        });
        (!rows.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="region" aria-labelledby="remote-rejected-title">
                <h3 id="remote-rejected-title">{format!("{} backend group(s) not imported", rows.len())}</h3>
                <p>"These groups exist only on the backend. They are invalid or contain sensitive data, so they are not kept in this browser. Fix them on the backend."</p>
                <table class="table">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Sync"</th><th scope="col">"Reason"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(n, r)| view! {
                            <tr><th scope="row"><bdi>{crate::display::masked_name(&n)}</bdi></th><td><span class="badge badge-warning">"Remote only: not imported"</span></td><td>{r}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };

    view! {
        <PageHeader
            title="Groups"
            description="Resource groups collect the resources that share tags or a CloudFormation stack."
        />
        <section class="container" aria-labelledby="groups-heading">
            <div class="table-header">
                <h2 id="groups-heading">
                    "Groups " <span class="counter">{move || {
                        let total = data.groups.with(Vec::len);
                        let n = selected.with(BTreeSet::len);
                        if n > 0 { format!("({n}/{total})") } else { format!("({total})") }
                    }}</span>
                </h2>
                <div class="button-row">
                    <button class="button button-normal" disabled=move || selected.with(BTreeSet::is_empty) on:click=move |_| delete_open.set(true)>"Delete"</button>
                    <A href=href("/groups/new") attr:class="button button-primary">"Create group"</A>
                </div>
            </div>
            <div class="filters">
                <label class="form-label" for="groups-filter">"Find groups"</label>
                <input id="groups-filter" class="input select" type="search" placeholder="Name, query type or tag"
                    prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); } />
                <span class="counter" role="status">{move || if filter.with(|f| f.trim().is_empty()) { String::new() } else { format!("{} match(es)", rows.with(Vec::len)) }}</span>
                <button class="button button-normal prefs-button" aria-expanded=move || prefs_open.get().to_string() on:click=move |_| prefs_open.update(|o| *o = !*o)>"Preferences"</button>
            </div>
            {prefs_panel}
            {remote_rejected}
            {table}
            <Pagination page=page pages=Signal::derive(pages) />
        </section>
        <ConfirmDelete
            open=delete_open
            title="Delete groups"
            subject=Signal::derive(move || {
                let s = selected.get();
                if s.len() == 1 { s.into_iter().next().unwrap_or_default() } else { format!("{} groups", s.len()) }
            })
            consequence="The groups and their tags are deleted from this browser in one step. The resources they collect are not affected."
            on_confirm=on_delete
        />
    }
}

//! `/groups`: the table of resource groups — text filter with a match count, sortable columns,
//! pages, remembered preferences (page size, visible columns), row selection and bulk delete.
//!
//! The table's state machine is `view::table::TableState` (filter, sort, page, preferences,
//! selection) and its row model works on positions: the search text is built once per change of
//! the groups, the sort once per change of the groups or of the sort, and a keystroke only
//! narrows the matches. Only the rows of the page on screen are cloned. This file renders it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::model::group_filters::{FilterName, GroupFilters};
use crate::model::Group;
use crate::store::{ops, Source};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::sync::SyncCtl;
use crate::ui::widgets::{ConfirmDelete, NoMatches, Pagination};
use crate::view::table::{Haystacks, Matches, Order, PageInfo, SortDir, TablePrefs, TableState};

const PREFS_KEY: &str = "gc.groups.prefs";
const PAGE_SIZES: [usize; 4] = [10, 25, 50, 100];
/// Optional columns: (id, label). The name column is always shown.
const COLUMNS: [(&str, &str); 7] = [
    ("type", "Query type"),
    ("tags", "Tags"),
    ("matching", "Matching resources"),
    ("updated", "Last change"),
    ("displayName", "Display name"),
    ("owner", "Owner"),
    ("criticality", "Criticality"),
];
/// Shown until the person chooses: the first four (display name, owner and criticality are
/// empty for most groups, so they start hidden).
const DEFAULT_COLUMNS: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SortBy {
    Name,
    Type,
    Tags,
    Matching,
    Updated,
    DisplayName,
    Owner,
    Criticality,
}

/// Matching-resource counts by group (name and query, so an edited query is counted again).
type Counts = RwSignal<HashMap<String, usize>>;

fn count_key(g: &Group) -> String {
    format!(
        "{}\u{0}{}",
        g.name,
        g.query().map(|q| q.to_query_json()).unwrap_or_default()
    )
}

/// The saved preferences (today's format, `size=25;cols=type,tags`), or the defaults.
fn load_state() -> TableState<SortBy> {
    let ids: Vec<&'static str> = COLUMNS.iter().map(|(id, _)| *id).collect();
    let defaults = TablePrefs::new(25, ids.iter().copied().take(DEFAULT_COLUMNS));
    let saved = browser::pref(PREFS_KEY).unwrap_or_default();
    TableState::new(TablePrefs::decode(&saved, &PAGE_SIZES, &ids, &defaults))
        .with_sort(SortBy::Name, SortDir::Ascending)
}

fn save_prefs(state: RwSignal<TableState<SortBy>>) {
    browser::set_pref(PREFS_KEY, &state.with_untracked(|s| s.prefs().encode()));
}

/// The row model: search text, order and matches, each recomputed only when its inputs change,
/// and the slices of the table state that parts of the page read. Every part subscribes to the
/// narrowest memo it needs, so a keystroke re-renders the rows only when the page of rows
/// changes, and never re-runs the rows' checkboxes and cells for nothing.
#[derive(Clone, Copy)]
struct Model {
    matches: Memo<Matches>,
    sort: Memo<Option<crate::view::table::Sort<SortBy>>>,
    info: Memo<PageInfo>,
    /// Positions of the rows on screen.
    page: Memo<Vec<usize>>,
    columns: Memo<std::collections::BTreeSet<&'static str>>,
    selection: Memo<std::collections::BTreeSet<String>>,
}

impl Model {
    fn new(
        data: AppData,
        state: RwSignal<TableState<SortBy>>,
        counts: Counts,
        filters: RwSignal<GroupFilters>,
    ) -> Self {
        let haystacks = Memo::new(move |_| {
            data.groups.with(|gs| {
                Haystacks::build(gs, |g, text| {
                    text.push(&g.name);
                    text.push(&g.display_name);
                    text.push(&g.owner);
                    if let Some(q) = g.query() {
                        text.push(q.type_name());
                    }
                    for (k, v) in &g.tags {
                        text.push(k);
                        text.push(v);
                    }
                })
            })
        });
        let sort = Memo::new(move |_| state.with(|s| s.sort()));
        let needle = Memo::new(move |_| state.with(|s| s.needle().clone()));
        let order = Memo::new(move |_| {
            let sort = sort.get();
            let by_count = sort.is_some_and(|s| s.key == SortBy::Matching);
            // Counts are read (and so re-sort the table) only when sorting by them.
            let snapshot = if by_count {
                counts.get()
            } else {
                HashMap::new()
            };
            data.groups.with(|gs| {
                let sorted = Order::sorted(gs, sort, |a, b, by| {
                    match by {
                        SortBy::Name => a.name.cmp(&b.name),
                        SortBy::Type => a
                            .query()
                            .map(|q| q.type_name())
                            .cmp(&b.query().map(|q| q.type_name())),
                        SortBy::Tags => a.tags.len().cmp(&b.tags.len()),
                        SortBy::Matching => snapshot
                            .get(&count_key(a))
                            .cmp(&snapshot.get(&count_key(b))),
                        SortBy::Updated => a.updated_at.cmp(&b.updated_at),
                        SortBy::DisplayName => a.display_name.cmp(&b.display_name),
                        SortBy::Owner => a.owner.cmp(&b.owner),
                        // Unset last when ascending: 1 is the most critical.
                        SortBy::Criticality => a
                            .criticality
                            .unwrap_or(u8::MAX)
                            .cmp(&b.criticality.unwrap_or(u8::MAX)),
                    }
                    .then_with(|| a.name.cmp(&b.name))
                });
                // The ListGroups-style filters narrow the order; the text search then runs
                // over what is left.
                filters.with(|f| {
                    if f.is_empty() {
                        sorted
                    } else {
                        Order::from_positions(f.positions(gs, sorted.positions()))
                    }
                })
            })
        });
        let matches = Memo::new(move |previous: Option<&Matches>| {
            order.with(|o| haystacks.with(|h| needle.with(|n| Matches::update(previous, o, h, n))))
        });
        let info = Memo::new(move |_| {
            let total = matches.with(Matches::len);
            state.with(|s| s.page_info(total))
        });
        let page = Memo::new(move |_| {
            let info = info.get();
            matches.with(|m| info.slice(m.positions()).to_vec())
        });
        Model {
            matches,
            sort,
            info,
            page,
            columns: Memo::new(move |_| state.with(|s| s.prefs().columns.clone())),
            selection: Memo::new(move |_| state.with(|s| s.selected().clone())),
        }
    }

    /// The groups of the page on screen (the only clones).
    fn page_rows(&self, data: AppData) -> Vec<Group> {
        self.page.with(|page| {
            data.groups
                .with(|gs| page.iter().filter_map(|&i| gs.get(i).cloned()).collect())
        })
    }
}

/// Longest run of counting between two frames.
const COUNT_SLICE_MS: f64 = 6.0;

/// Counting a group over a large inventory takes about a millisecond, so counts are made only
/// for the rows on screen (for every match when sorting by them), in slices between frames, and kept until the inventory (its index) changes. Typing never waits for them.
fn schedule_counts(
    data: AppData,
    state: RwSignal<TableState<SortBy>>,
    model: Model,
    counts: Counts,
) {
    let counted_index = StoredValue::new(0usize);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let by_count = state.with(|s| s.sort().is_some_and(|s| s.key == SortBy::Matching));
        let needed: Vec<Group> = if by_count {
            model.matches.with(|m| {
                data.groups.with(|gs| {
                    m.positions()
                        .iter()
                        .filter_map(|&i| gs.get(i).cloned())
                        .collect()
                })
            })
        } else {
            model.page_rows(data)
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
            let mut rest = missing.as_slice();
            while !rest.is_empty() {
                // Let the browser paint the table (and handle the next keystroke) first.
                browser::after_paint().await;
                if generation.try_get_value() != Some(this) {
                    return; // superseded by a newer page, filter or sort
                }
                let Some(index) = data.index.try_get_untracked() else {
                    return;
                };
                let idx = index.0;
                // Count for at most a slice of a frame, then yield: a page of 25 is usually
                // one slice, and a keystroke never waits behind more than one.
                let started = js_sys::Date::now();
                let mut found: Vec<(String, usize)> = Vec::new();
                while let Some((g, more)) = rest.split_first() {
                    rest = more;
                    if let Some(q) = g.query() {
                        found.push((count_key(g), idx.matcher(q).count(&idx)));
                    }
                    if js_sys::Date::now() - started >= COUNT_SLICE_MS {
                        break;
                    }
                }
                counts.try_update(|c| c.extend(found));
                browser::mark("gc:counted");
            }
        });
    });
}

/// With sync on: the same filters sent to the backend's ListGroups, and what its answer says
/// next to the groups here (`view::backend_filter`). An answer is dropped when the filters or
/// the groups here change: it would describe other filters, or groups as they were.
#[component]
fn BackendFilterCheck(filters: RwSignal<GroupFilters>) -> impl IntoView {
    use crate::view::backend_filter::BackendMatches;
    let data = expect_context::<AppData>();
    let ctl = expect_context::<SyncCtl>();
    let result = RwSignal::new(None::<Result<BackendMatches, String>>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        filters.track();
        data.groups.track();
        result.set(None);
    });
    let ask = move |_| {
        busy.set(true);
        let asked = filters.get_untracked();
        leptos::task::spawn_local(async move {
            let r = ctl.backend_filtered(&asked).await.map(|names| {
                data.groups
                    .with_untracked(|gs| BackendMatches::compare(&names, gs, &asked))
            });
            // Only if the filters are still the ones asked about (and the page still open).
            if filters.try_with_untracked(|f| *f == asked) == Some(true) {
                result.try_set(Some(r));
            }
            busy.try_set(false);
        });
    };
    let shown = move || ctl.view.with(|v| v.enabled && v.signed_in);
    move || {
        shown().then(|| view! {
            <div class="backend-check">
                <button type="button" class="button button-normal" id="filters-backend"
                    disabled=move || busy.get() || filters.with(GroupFilters::is_empty)
                    on:click=ask>"Ask the backend (ListGroups with these filters)"</button>
                <div id="filters-backend-result" role="status" aria-live="polite">
                    {move || result.get().map(|r| match r {
                        Ok(m) => view! { <ul class="plain-list">{m.sentences().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any(),
                        Err(e) => view! { <div class="alert alert-error">{e}</div> }.into_any(),
                    })}
                </div>
            </div>
        })
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let state = RwSignal::new(load_state());
    let counts: Counts = RwSignal::new(HashMap::new());
    let filters = RwSignal::new(GroupFilters::default());
    let filters_open = RwSignal::new(false);
    let model = Model::new(data, state, counts, filters);
    let prefs_open = RwSignal::new(false);
    let delete_open = RwSignal::new(false);
    schedule_counts(data, state, model, counts);
    // Keep the selection to groups that still exist.
    Effect::new(move |_| {
        let names: Vec<String> = data
            .groups
            .with(|gs| gs.iter().map(|g| g.name.clone()).collect());
        if state.with_untracked(|s| s.selected().iter().any(|n| names.binary_search(n).is_err())) {
            state.update(|s| {
                s.retain_selected(&names);
            });
        }
    });

    let on_delete = Callback::new(move |_| {
        let names: Vec<String> = state.with_untracked(|s| s.selected().iter().cloned().collect());
        let doomed: Vec<crate::model::Group> = data.groups.with_untracked(|gs| {
            gs.iter()
                .filter(|g| names.binary_search(&g.name).is_ok())
                .cloned()
                .collect()
        });
        leptos::task::spawn_local(async move {
            let now = js_sys::Date::now() as i64;
            let text = format!(
                "{} group(s) deleted. They stay in Recently deleted for 30 days.",
                doomed.len()
            );
            match undo
                .commit(
                    ops::delete_groups_keeping(&doomed, now, Source::Local),
                    false,
                    "Groups deleted",
                    &text,
                )
                .await
            {
                Ok(_) => {
                    state.update(|s| s.clear_selection());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was deleted", e.to_string());
                }
            }
        });
    });
    let none_selected = move || state.with(|s| s.selected().is_empty());
    let pages = move || model.info.get().page_count;

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
                        let n = state.with(|s| s.selected().len());
                        if n > 0 { format!("({n}/{total})") } else { format!("({total})") }
                    }}</span>
                </h2>
                <div class="button-row">
                    <button class="button button-normal" disabled=none_selected on:click=move |_| delete_open.set(true)>"Delete"</button>
                    <A href=href("/groups/new") attr:class="button button-primary">"Create group"</A>
                </div>
            </div>
            <div class="filters">
                <label class="form-label" for="groups-filter">"Find groups"</label>
                <input id="groups-filter" class="input select" type="search" placeholder="Name, query type or tag"
                    prop:value=move || state.with(|s| s.filter().to_owned())
                    on:input=move |ev| state.update(|s| s.set_filter(event_target_value(&ev))) />
                <span class="counter" role="status">{move || {
                    if state.with(|s| s.needle().is_empty()) && filters.with(GroupFilters::is_empty) { String::new() } else { format!("{} match(es)", model.matches.with(Matches::len)) }
                }}</span>
                <button class="button button-normal" id="group-filters-toggle" aria-expanded=move || filters_open.get().to_string() aria-controls="group-filters" on:click=move |_| filters_open.update(|o| *o = !*o)>
                    {move || if filters.with(GroupFilters::is_empty) { "Filter by".to_owned() } else { format!("Filter by ({})", filters.with(|f| f.as_wire().len())) }}
                </button>
                <button class="button button-normal prefs-button" aria-expanded=move || prefs_open.get().to_string() on:click=move |_| prefs_open.update(|o| *o = !*o)>"Preferences"</button>
            </div>
            <Show when=move || filters_open.get()>
                <fieldset class="container filter-panel" id="group-filters">
                    <legend class="form-label">"Filters (as ListGroups names them; a group must match every filter, and one of its values)"</legend>
                    {FilterName::ALL.into_iter().map(|name| {
                        let id = format!("filter-{}", name.as_str());
                        view! {
                            <div class="form-field">
                                <label class="form-label" for=id.clone()>{name.label()}</label>
                                <input id=id class="input" type="text" autocomplete="off"
                                    placeholder=match name { FilterName::Criticality => "1, 2", FilterName::ResourceType => "AWS::EC2::Instance", FilterName::ConfigurationType => "AWS::EC2::CapacityReservationPool", _ => "" }
                                    prop:value=move || filters.with(|f| f.typed(name))
                                    on:change=move |ev| filters.update(|f| f.set(name, &event_target_value(&ev))) />
                            </div>
                        }
                    }).collect_view()}
                    <p class="form-constraint">"Up to five values per filter, separated by commas."</p>
                    <button type="button" class="button button-link" id="group-filters-clear" on:click=move |_| filters.update(GroupFilters::clear)>"Clear filters"</button>
                    <BackendFilterCheck filters=filters />
                </fieldset>
            </Show>
            <PrefsPanel open=prefs_open state=state total=Signal::derive(move || model.matches.with(Matches::len)) />
            <RemoteRejected />
            <GroupsTable state=state model=model counts=counts />
            <Pagination page=Signal::derive(move || model.info.get().page) pages=Signal::derive(pages)
                on_page=Callback::new(move |p| state.update(|s| s.set_page(p))) />
        </section>
        <ConfirmDelete
            open=delete_open
            title="Delete groups"
            subject=Signal::derive(move || {
                state.with(|s| {
                    let sel = s.selected();
                    if sel.len() == 1 { sel.iter().next().cloned().unwrap_or_default() } else { format!("{} groups", sel.len()) }
                })
            })
            consequence="The groups and their tags are deleted in one step (with sync on, from the backend too). They stay in Recently deleted for 30 days, and the notice offers Undo. The resources they collect are not affected."
            on_confirm=on_delete
        />
    }
}

/// The table itself: loading, empty and no-match states, the header with sort buttons and the
/// page checkbox, and the rows of the page on screen.
#[component]
fn GroupsTable(state: RwSignal<TableState<SortBy>>, model: Model, counts: Counts) -> impl IntoView {
    let data = expect_context::<AppData>();
    let sync = expect_context::<SyncCtl>();
    let show = move |col: &'static str| model.columns.with(|c| c.contains(col));
    let header = move |label: &'static str, by: SortBy, numeric: bool| {
        let aria = move || match model.sort.get() {
            Some(s) if s.key == by => s.dir.aria(),
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria class:cell-number=numeric>
                <button class="sort-button" on:click=move |_| state.update(|s| s.toggle_sort(by))>
                    {label}
                    <span class="sort-icon" aria-hidden="true">{move || match aria() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}</span>
                </button>
            </th>
        }
    };
    // Memos, so that the table is rebuilt when what it shows changes: not on every keystroke
    // that leaves the page as it was, nor on a sync progress tick.
    let no_matches = Memo::new(move |_| model.matches.with(Matches::is_empty));
    let sync_on = Memo::new(move |_| sync.view.with(|v| v.enabled));
    move || {
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
        if no_matches.get() {
            return view! { <NoMatches title="No matches" message="No group matches the filter." on_clear=Callback::new(move |()| state.update(|s| s.set_filter(""))) /> }.into_any();
        }
        let rows = model.page_rows(data);
        let names: Vec<String> = rows.iter().map(|g| g.name.clone()).collect();
        let page_checked = {
            let names = names.clone();
            move || {
                model
                    .selection
                    .with(|s| !names.is_empty() && names.iter().all(|n| s.contains(n)))
            }
        };
        let toggle_page = move |_| state.update(|s| s.toggle_page(&names));
        let sync_on = sync_on.get();
        let body = rows
            .into_iter()
            .map(|g| {
                let matching = counts.with(|c| c.get(&count_key(&g)).copied());
                view! { <GroupRow group=g matching=matching state=state model=model show_sync=sync_on /> }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="groups-heading">
                    <thead>
                        <tr>
                            <th scope="col" class="cell-select">
                                <input type="checkbox" aria-label="Select all groups on this page" prop:checked=page_checked on:change=toggle_page />
                            </th>
                            {header("Name", SortBy::Name, false)}
                            {show("type").then(|| header("Query type", SortBy::Type, false))}
                            {show("tags").then(|| header("Tags", SortBy::Tags, true))}
                            {show("matching").then(|| header("Matching resources", SortBy::Matching, true))}
                            {show("updated").then(|| header("Last change", SortBy::Updated, false))}
                            {show("displayName").then(|| header("Display name", SortBy::DisplayName, false))}
                            {show("owner").then(|| header("Owner", SortBy::Owner, false))}
                            {show("criticality").then(|| header("Criticality", SortBy::Criticality, true))}
                            {sync_on.then(|| view! { <th scope="col">"Sync"</th> })}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

/// One row: selection, the name as a link, the visible columns, the sync badge.
#[component]
fn GroupRow(
    group: Group,
    matching: Option<usize>,
    state: RwSignal<TableState<SortBy>>,
    model: Model,
    show_sync: bool,
) -> impl IntoView {
    let sync = expect_context::<SyncCtl>();
    let show = move |col: &'static str| model.columns.with(|c| c.contains(col));
    let name = group.name.clone();
    let link = href(&format!("/groups/{}", group.name));
    let kind = group
        .query()
        .map(|q| q.type_name())
        .unwrap_or("Configuration");
    let matching = match (matching, group.query().is_some()) {
        (_, false) => "—".to_owned(),
        (Some(m), true) => m.to_string(),
        (None, true) => "…".to_owned(),
    };
    let selected = {
        let n = name.clone();
        move || model.selection.with(|s| s.contains(&n))
    };
    let row_selected = selected.clone();
    let toggle = {
        let n = name.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            state.update(|s| s.set_selected(&n, on));
        }
    };
    let badge = show_sync.then(|| {
        let n = name.clone();
        view! { <td class="cell-sync">{move || sync.group_state(&n).map(|st| view! {
            <span class=st.class()>{st.label()}</span>
        })}</td> }
    });
    view! {
        <tr class:row-selected=row_selected>
            <td class="cell-select">
                <input type="checkbox" aria-label=format!("Select {name}") prop:checked=selected on:change=toggle />
            </td>
            <th scope="row" class="cell-name"><A href=link>{group.name.clone()}</A></th>
            {show("type").then(|| view! { <td>{kind}</td> })}
            {show("tags").then(|| view! { <td class="cell-number">{group.tags.len()}</td> })}
            {show("matching").then(|| view! { <td class="cell-number">{matching}</td> })}
            {show("updated").then(|| view! { <td>{browser::format_time(group.updated_at)}</td> })}
            {show("displayName").then(|| view! { <td>{group.display_name.clone()}</td> })}
            {show("owner").then(|| view! { <td>{group.owner.clone()}</td> })}
            {show("criticality").then(|| view! { <td class="cell-number">{group.criticality.map(|c| c.to_string())}</td> })}
            {badge}
        </tr>
    }
}

/// Page size and visible columns, remembered in this browser.
#[component]
fn PrefsPanel(
    open: RwSignal<bool>,
    state: RwSignal<TableState<SortBy>>,
    #[prop(into)] total: Signal<usize>,
) -> impl IntoView {
    move || {
        open.get().then(|| {
            view! {
                <div class="prefs-panel" role="group" aria-labelledby="prefs-title">
                    <h3 id="prefs-title">"Preferences"</h3>
                    <fieldset>
                        <legend>"Page size"</legend>
                        {PAGE_SIZES.iter().map(|&n| view! {
                            <label class="checkbox">
                                <input type="radio" name="page-size" prop:checked=move || state.with(|s| s.page_size() == n)
                                    on:change=move |_| { state.update(|s| s.set_page_size(n, total.get_untracked())); save_prefs(state); } />
                                {format!(" {n} groups")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Visible columns"</legend>
                        {COLUMNS.iter().map(|&(id, label)| view! {
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=move || state.with(|s| s.is_visible(id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        state.update(|s| s.set_column(id, on));
                                        save_prefs(state);
                                    } />
                                {format!(" {label}")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button class="button button-normal" on:click=move |_| open.set(false)>"Close preferences"</button>
                </div>
            }
        })
    }
}

/// Backend groups that the model or the guard refused: listed with the reason, never stored.
#[component]
fn RemoteRejected() -> impl IntoView {
    let sync = expect_context::<SyncCtl>();
    move || {
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
    }
}

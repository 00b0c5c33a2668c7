use leptos::prelude::*;

use super::PageHeader;
use std::collections::BTreeSet;

use crate::model::inventory::ImportReport;
use crate::model::{Inventory, Resource};
use crate::store::ops;
use crate::store::settings::SettingKey;
use crate::store::Store;
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::{ImportSource, NoMatches, Pagination, RejectedRow, RejectedTable};
use crate::view::finder::{ArnParts, Filter, FinderMatches, SavedFilters};
use crate::view::resource_table::{
    tag_cell, AddColumnError, ResourceOrder, ResourcePrefs, SortBy, COLUMNS, PAGE_SIZES,
};
use crate::view::table::PageInfo;

const PREFS_KEY: &str = "gc.resources.prefs";

/// Reads pasted or uploaded inventory: `get-resources` JSON when it starts with `{`, else CSV.
fn read_inventory(text: &str) -> Result<ImportReport, String> {
    if text.trim_start().starts_with('{') {
        Inventory::import_get_resources_json(text).map_err(|e| e.to_string())
    } else {
        Inventory::import_csv(text).map_err(|e| e.to_string())
    }
}

/// `/resources`: the inventory that group queries are evaluated against.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let ctl = expect_context::<crate::ui::sync::SyncCtl>();
    // A memo: the sync view changes often (progress, pending), the switch seldom; the panel
    // must not be made anew (losing its state) on every change.
    let sync_on = Memo::new(move |_| ctl.view.with(|v| v.enabled));
    let query = leptos_router::hooks::use_query_map();
    let line = RwSignal::new(query.with_untracked(|q| q.get("q").unwrap_or_default()));
    let page = RwSignal::new(0usize);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let editor_open = RwSignal::new(false);
    let remove_open = RwSignal::new(false);
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let on_remove = Callback::new(move |()| {
        let arns = selected.get_untracked();
        let n = arns.len();
        leptos::task::spawn_local(async move {
            let batch = crate::store::ops::remove_resources(&arns, js_sys::Date::now() as i64);
            match undo
                .commit(
                    batch,
                    false,
                    "Resources removed",
                    &format!("{n} resource(s) removed from the inventory here."),
                )
                .await
            {
                Ok(_) => selected.set(BTreeSet::new()),
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was removed", e.to_string());
                }
            }
        });
    });
    // A memo: the editor is made once when it opens, not anew (losing what was typed and what
    // the backend refused) on every change of the selection.
    let editor_shown = Memo::new(move |_| editor_open.get() && !selected.with(BTreeSet::is_empty));
    // Forget selected ARNs that no longer exist.
    Effect::new(move |_| {
        let arns: BTreeSet<String> = data
            .resources
            .with(|rs| rs.iter().map(|r| r.arn.clone()).collect());
        if selected.with_untracked(|s| s.iter().any(|a| !arns.contains(a))) {
            selected.update(|s| s.retain(|a| arns.contains(a)));
        }
    });

    // The finder (see `view::finder`): the filter line lives in the URL (`?q=`), so a reload
    // or a copied link shows the same view; each resource's facts are built once per change
    // of the inventory (`AppData::finder_rows`), and a keystroke that narrows the filter only
    // looks at the last matches. Only the rows of the page on screen are cloned.
    let parsed = Memo::new(move |_| line.with(|l| Filter::parse(l)));
    let matching = Memo::new(move |previous: Option<&FinderMatches>| {
        let shared = data.finder_rows.get();
        // The index is the counts' (built from the same list, in the same order).
        let index = data.index.get().0;
        parsed.with(|f| {
            data.resources.with(|rs| {
                FinderMatches::update(previous, shared.generation, rs, &shared.rows, &index, f)
            })
        })
    });
    // Into the address bar once typing pauses: a history update per keystroke costs the
    // browser more than the filtering, and Chromium throttles many of them.
    let url_generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = line.get();
        url_generation.update_value(|g| *g += 1);
        let mine = url_generation.get_value();
        leptos::task::spawn_local(async move {
            browser::sleep(300).await;
            if url_generation.try_get_value() == Some(mine) {
                browser::replace_query_param("q", &text);
            }
        });
    });
    // Sorting is its own memo (see `view::resource_table`): made when the inventory or the
    // sort changes, never on a keystroke; a keystroke walks it for the page on screen.
    let prefs = RwSignal::new(ResourcePrefs::decode(
        &browser::pref(PREFS_KEY).unwrap_or_default(),
    ));
    let prefs_open = RwSignal::new(false);
    let sort = Memo::new(move |_| prefs.with(|p| p.sort.clone()));
    let page_size = Memo::new(move |_| prefs.with(|p| p.table.page_size));
    let order = Memo::new(move |_| {
        let shared = data.finder_rows.get();
        sort.with(|s| {
            data.resources
                .with(|rs| ResourceOrder::sorted(rs, &shared.rows, s.as_ref()))
        })
    });
    let info =
        Memo::new(move |_| matching.with(|m| PageInfo::new(page.get(), page_size.get(), m.len())));
    let on_page = Memo::new(move |_| {
        let range = info.get().range();
        let len = data.resources.with(Vec::len);
        order.with(|o| matching.with(|m| o.page(m, len, range)))
    });
    let pages = move || info.get().page_count;
    // Every match, not only the page on screen: a bulk change over a whole search result.
    let select_matches = move || {
        let all: BTreeSet<String> = matching.with_untracked(|m| {
            data.resources.with_untracked(|rs| {
                m.positions()
                    .iter()
                    .filter_map(|&i| rs.get(i).map(|r| r.arn.clone()))
                    .collect()
            })
        });
        selected.set(all);
    };

    let export = move |csv: bool| {
        let inv = Inventory {
            resources: data.resources.get_untracked(),
        };
        let (name, mime, text) = if csv {
            (
                format!("group-console-resources-{}.csv", browser::today()),
                "text/csv",
                inv.to_csv(),
            )
        } else {
            (
                format!("group-console-resources-{}.json", browser::today()),
                "application/json",
                inv.to_get_resources_json(),
            )
        };
        if let Err(e) = browser::download(&name, mime, &text) {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };

    view! {
        <PageHeader
            title="Resources"
            description="The inventory of resources (ARN, type and tags) that group queries match against."
        />
        <section class="container" aria-labelledby="resources-heading">
            <div class="table-header">
                <h2 id="resources-heading">
                    "Resources " <span class="counter">{move || format!("({})", data.resources.with(Vec::len))}</span>
                </h2>
                <div class="button-row">
                    <button class="button button-normal" aria-expanded=move || editor_open.get().to_string()
                        disabled=move || selected.with(BTreeSet::is_empty)
                        on:click=move |_| editor_open.update(|o| *o = !*o)>
                        {move || format!("Edit tags ({})", selected.with(BTreeSet::len))}
                    </button>
                    <button class="button button-normal" disabled=move || matching.with(FinderMatches::is_empty)
                        on:click=move |_| select_matches()>
                        {move || format!("Select all {} matching", matching.with(FinderMatches::len))}
                    </button>
                    <button class="button button-normal" disabled=move || selected.with(BTreeSet::is_empty)
                        on:click=move |_| selected.set(BTreeSet::new())>"Clear selection"</button>
                    <button class="button button-normal" id="remove-resources" disabled=move || selected.with(BTreeSet::is_empty)
                        on:click=move |_| remove_open.set(true)>
                        {move || format!("Remove from inventory ({})", selected.with(BTreeSet::len))}
                    </button>
                    <button class="button button-normal" on:click=move |_| export(false)>"Export JSON"</button>
                    <button class="button button-normal" on:click=move |_| export(true)>"Export CSV"</button>
                    <button class="button button-normal prefs-button" aria-expanded=move || prefs_open.get().to_string()
                        on:click=move |_| prefs_open.update(|o| *o = !*o)>"Preferences"</button>
                </div>
            </div>
            <FinderInput line=line page=page matching=matching parsed=parsed />
            <PrefsPanel open=prefs_open prefs=prefs page=page />
            {move || editor_shown.get().then(|| view! { <super::tag_editor::TagEditor selected=selected open=editor_open /> })}
            <ResourcesTable matching=matching on_page=on_page prefs=prefs page=page line=line selected=selected />
            <crate::ui::widgets::ConfirmDelete
                open=remove_open
                title="Remove resources from the inventory"
                subject=Signal::derive(move || {
                    let n = selected.with(BTreeSet::len);
                    if n == 1 { "1 resource".to_owned() } else { format!("{n} resources") }
                })
                consequence="They are removed from this browser's inventory only: the resources themselves, in AWS, are not touched, and a later pull of their region lists them again. The notice offers Undo."
                on_confirm=on_remove
                action="Remove"
            />
            <Pagination page=Signal::derive(move || info.get().page) pages=Signal::derive(pages) on_page=Callback::new(move |p| page.set(p)) />
        </section>

        {move || sync_on.get().then(|| view! { <super::inventory_pull::InventoryPull /> })}
        <ImportResources />
    }
}

/// The finder's filter line, its match count, and one removable chip per token (a button:
/// Tab reaches it, Enter or Space removes that token and puts focus back in the line).
#[component]
fn FinderInput(
    line: RwSignal<String>,
    page: RwSignal<usize>,
    matching: Memo<FinderMatches>,
    parsed: Memo<Filter>,
) -> impl IntoView {
    let chips = move || {
        parsed
            .get()
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let text = t.to_text();
                let label = format!("Remove filter {text}");
                view! {
                    <li>
                        <button type="button" class="chip" aria-label=label
                            on:click=move |_| {
                                let rest = parsed.with_untracked(|f| f.without(i).to_text());
                                line.set(rest);
                                page.set(0);
                                browser::focus_id("resources-filter");
                            }>
                            <span class="mono">{text}</span>" \u{d7}"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="filters">
            <label class="form-label" for="resources-filter">"Find resources"</label>
            <input id="resources-filter" class="input select finder-input" type="search"
                placeholder="Stage=prod  Owner missing  untagged  region=eu-west-1  text"
                autocomplete="off" spellcheck="false" aria-describedby="finder-help"
                prop:value=move || line.get()
                on:input=move |ev| { line.set(event_target_value(&ev)); page.set(0); } />
            <span class="counter" role="status">{move || {
                let n = matching.with(FinderMatches::len);
                if line.with(|l| l.trim().is_empty()) { String::new() } else { format!("{n} match(es)") }
            }}</span>
        </div>
        <ul class="chips finder-chips" aria-label="Filter tokens">{chips}</ul>
        <SavedFiltersBar line=line page=page />
        <p id="finder-help" class="form-constraint">
            "key=value, key!=value, key:prefix, key exists, key missing (not tagged with that key), key= (empty value), untagged (no tags but AWS\u{2019}s own), type=, service=, region=, account=, or any text. Quote keys or values with spaces: \"Cost Center\"=\"Web team\"."
        </p>
    }
}

/// Named filters kept in the store's settings (so in every tab and in a backup): one click
/// puts a saved line back; "Save filter" keeps the current one under a name; × forgets one.
#[component]
fn SavedFiltersBar(line: RwSignal<String>, page: RwSignal<usize>) -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let name = RwSignal::new(String::new());
    let saved = LocalResource::new(move || {
        data.revision.track();
        let store = data.with_store();
        async move {
            let stored = match store {
                Some(s) => s
                    .setting(SettingKey::SavedFilters.as_str())
                    .await
                    .ok()
                    .flatten(),
                None => None,
            };
            SavedFilters::decode(stored.as_deref())
        }
    });
    let current = move || saved.get().unwrap_or_default();
    let write = move |next: SavedFilters, done: &'static str| {
        leptos::task::spawn_local(async move {
            let batch = crate::store::Batch {
                ops: vec![SettingKey::SavedFilters.put(next.encode())],
                ..Default::default()
            };
            match data.commit_as_is(batch).await {
                Ok(_) => {
                    flashes.push(FlashKind::Success, done, "");
                }
                Err(e) => {
                    flashes.push(
                        FlashKind::Error,
                        "The saved filters were not changed",
                        e.to_string(),
                    );
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = line.get_untracked();
        match current().with(&name.get_untracked(), q.trim()) {
            Some(next) => {
                write(next, "Filter saved");
                name.set(String::new());
            }
            None => {
                flashes.push(
                    FlashKind::Error,
                    "Filter not saved",
                    "Give it a name (at most 50 filters are kept).",
                );
            }
        }
    };
    view! {
        <form class="filters saved-filters" on:submit=save>
            <label class="form-label" for="saved-filter-name">"Save this filter as"</label>
            <input id="saved-filter-name" class="input" type="text" autocomplete="off"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <button type="submit" class="button button-normal" disabled=move || line.with(|l| l.trim().is_empty())>"Save filter"</button>
        </form>
        <ul class="chips finder-chips" aria-label="Saved filters">
            {move || current().0.into_iter().map(|f| {
                let (q, label) = (f.q.clone(), format!("Apply saved filter {}", f.name));
                let forget = format!("Forget saved filter {}", f.name);
                let gone = f.name.clone();
                view! {
                    <li class="chip">
                        <button type="button" class="chip-remove" aria-label=label title=f.q.clone()
                            on:click=move |_| { line.set(q.clone()); page.set(0); }>{f.name.clone()}</button>
                        <button type="button" class="chip-remove" aria-label=forget
                            on:click=move |_| write(current().without(&gone), "Saved filter forgotten")>"\u{d7}"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The inventory table: loading, empty and no-match states, the page checkbox, a sortable
/// header for every column shown, and the rows of the page on screen (the only clones).
#[component]
fn ResourcesTable(
    matching: Memo<FinderMatches>,
    on_page: Memo<Vec<usize>>,
    prefs: RwSignal<ResourcePrefs>,
    page: RwSignal<usize>,
    line: RwSignal<String>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let data = expect_context::<AppData>();
    let header = move |label: String, by: SortBy| {
        let (by_aria, by_click) = (by.clone(), by);
        let aria = Memo::new(move |_| prefs.with(|p| p.aria_sort(&by_aria)));
        view! {
            <th scope="col" aria-sort=aria>
                <button class="sort-button" on:click=move |_| {
                    prefs.update(|p| p.toggle_sort(by_click.clone()));
                    page.set(0);
                    save_prefs(prefs);
                }>
                    <bdi>{label}</bdi>
                    <span class="sort-icon" aria-hidden="true">{move || match aria.get() { "ascending" => "\u{25b2}", "descending" => "\u{25bc}", _ => "\u{2195}" }}</span>
                </button>
            </th>
        }
    };
    let no_matches = Memo::new(move |_| matching.with(FinderMatches::is_empty));
    move || {
        if !data.loaded.get() {
            return view! { <p class="loading" role="status">"Loading resources…"</p> }.into_any();
        }
        if data.resources.with(Vec::is_empty) {
            return view! {
                <div class="empty-state"><h3>"No resources yet"</h3><p>"Import the output of aws resourcegroupstaggingapi get-resources, or a CSV file, below."</p></div>
            }
            .into_any();
        }
        if no_matches.get() {
            return view! { <NoMatches title="No matches" on_clear=Callback::new(move |()| line.set(String::new())) /> }.into_any();
        }
        let (columns, keys) = prefs.with(|p| (p.table.columns.clone(), p.keys.clone()));
        let show = |id: &str| columns.contains(id);
        let shared = data.finder_rows.get();
        let list: Vec<(Resource, ArnParts)> = on_page.with(|positions| {
            data.resources.with(|rs| {
                positions
                    .iter()
                    .filter_map(|&i| {
                        Some((rs.get(i)?.clone(), shared.rows.parts().get(i)?.clone()))
                    })
                    .collect()
            })
        });
        let arns_on_page: Vec<String> = list.iter().map(|(r, _)| r.arn.clone()).collect();
        let all_on_page = {
            let arns = arns_on_page.clone();
            move || selected.with(|s| arns.iter().all(|a| s.contains(a)))
        };
        let toggle_page = move |_| {
            let all = arns_on_page
                .iter()
                .all(|a| selected.with_untracked(|s| s.contains(a)));
            selected.update(|s| {
                for a in &arns_on_page {
                    if all {
                        s.remove(a);
                    } else {
                        s.insert(a.clone());
                    }
                }
            });
        };
        let (show_type, show_region, show_account, show_source, show_tags) = (
            show("type"),
            show("region"),
            show("account"),
            show("source"),
            show("tags"),
        );
        let rows = list
            .into_iter()
            .map(|(r, parts)| {
                let arn = r.arn.clone();
                let arn2 = r.arn.clone();
                let tag_cells = keys
                    .iter()
                    .map(|k| {
                        let cell = tag_cell(&r, k);
                        let missing = cell.is_none();
                        view! { <td class:cell-missing=missing><bdi>{cell.unwrap_or_else(|| "\u{2014}".to_owned())}</bdi></td> }
                    })
                    .collect_view();
                let tags = show_tags.then(|| r.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "));
                view! {
                    <tr>
                        <td class="cell-select">
                            <input type="checkbox" aria-label=format!("Select {}", r.arn)
                                prop:checked=move || selected.with(|s| s.contains(&arn))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| { if on { s.insert(arn2.clone()); } else { s.remove(&arn2); } });
                                } />
                        </td>
                        <th scope="row" class="cell-name mono">{r.arn.clone()}</th>
                        {show_type.then(|| view! { <td>{r.resource_type.clone()}</td> })}
                        {show_region.then(|| view! { <td class="cell-region">{parts.region.to_string()}</td> })}
                        {show_account.then(|| view! { <td class="mono">{parts.account.to_string()}</td> })}
                        {show_source.then(|| view! { <td class="cell-source">{r.pulled_from.as_ref().map_or_else(|| "imported".to_owned(), |region| format!("pulled \u{b7} {region}"))}</td> })}
                        {tag_cells}
                        {tags.map(|t| view! { <td class="cell-name">{t}</td> })}
                    </tr>
                }
            })
            .collect_view();
        let key_headers = keys
            .iter()
            .map(|k| header(k.clone(), SortBy::Key(k.clone())))
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="resources-heading">
                    <thead><tr>
                        <th scope="col" class="cell-select"><input type="checkbox" aria-label="Select all resources on this page" prop:checked=all_on_page on:change=toggle_page /></th>
                        {header("ARN".into(), SortBy::Arn)}
                        {show_type.then(|| header("Type".into(), SortBy::Type))}
                        {show_region.then(|| header("Region".into(), SortBy::Region))}
                        {show_account.then(|| header("Account".into(), SortBy::Account))}
                        {show_source.then(|| header("Source".into(), SortBy::Source))}
                        {key_headers}
                        {show_tags.then(|| header("Tags".into(), SortBy::Tags))}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

/// Rewrites the remembered preferences without the tag keys (see
/// `ResourcePrefs::without_tag_keys`): called when encryption at rest is turned on.
pub fn forget_tag_keys_in_prefs() {
    if let Some(saved) = browser::pref(PREFS_KEY) {
        browser::set_pref(
            PREFS_KEY,
            &ResourcePrefs::decode(&saved).without_tag_keys().encode(),
        );
    }
}

fn save_prefs(prefs: RwSignal<ResourcePrefs>) {
    let encrypted =
        use_context::<AppData>().is_some_and(|d| d.vault.get_untracked().is_encrypted());
    let text = prefs.with_untracked(|p| {
        if encrypted {
            p.without_tag_keys().encode()
        } else {
            p.encode()
        }
    });
    browser::set_pref(PREFS_KEY, &text);
}

/// Page size, the fixed columns, and the tag keys that get a column (added from the
/// inventory's keys, moved, removed), remembered in this browser.
#[component]
fn PrefsPanel(
    open: RwSignal<bool>,
    prefs: RwSignal<ResourcePrefs>,
    page: RwSignal<usize>,
) -> impl IntoView {
    let data = expect_context::<AppData>();
    let key = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AddColumnError>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = prefs.get_untracked();
        match next.add_key(&key.get_untracked()) {
            Ok(()) => {
                prefs.set(next);
                save_prefs(prefs);
                key.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let key_options = move || {
        data.vocabulary.with(|v| {
            v.keys()
                .iter()
                .map(|k| view! { <option value=k.clone() /> })
                .collect_view()
        })
    };
    move || {
        open.get().then(|| {
            view! {
                <div class="prefs-panel" role="group" aria-labelledby="resources-prefs-title">
                    <h3 id="resources-prefs-title">"Preferences"</h3>
                    <fieldset>
                        <legend>"Page size"</legend>
                        {PAGE_SIZES.iter().map(|&n| view! {
                            <label class="checkbox">
                                <input type="radio" name="resources-page-size" prop:checked=move || prefs.with(|p| p.table.page_size == n)
                                    on:change=move |_| { prefs.update(|p| p.table.page_size = n); page.set(0); save_prefs(prefs); } />
                                {format!(" {n} resources")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Visible columns"</legend>
                        {COLUMNS.iter().map(|&(id, label)| view! {
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=move || prefs.with(|p| p.table.columns.contains(id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        prefs.update(|p| { if on { p.table.columns.insert(id); } else { p.table.columns.remove(id); } });
                                        save_prefs(prefs);
                                    } />
                                {format!(" {label}")}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Tag columns"</legend>
                        <form class="filters" on:submit=add>
                            <label class="form-label" for="tag-column-key">"Tag key"</label>
                            <input id="tag-column-key" class="input" type="text" autocomplete="off" list="tag-column-keys"
                                aria-invalid=move || error.get().is_some().to_string() aria-describedby="tag-column-error"
                                prop:value=move || key.get() on:input=move |ev| { key.set(event_target_value(&ev)); error.set(None); } />
                            <datalist id="tag-column-keys">{key_options}</datalist>
                            <button type="submit" class="button button-normal">"Add column"</button>
                        </form>
                        <p id="tag-column-error" class="form-error" role="alert">{move || error.get().map(|e| e.to_string())}</p>
                        <ul class="tag-columns" aria-label="Tag columns shown">
                            {move || prefs.with(|p| p.keys.clone()).into_iter().map(|k| {
                                let (left, right, gone) = (k.clone(), k.clone(), k.clone());
                                view! {
                                    <li>
                                        <bdi class="mono">{k.clone()}</bdi>
                                        <button type="button" class="button button-normal button-small" aria-label=format!("Move column {k} left")
                                            on:click=move |_| { prefs.update(|p| p.move_key(&left, -1)); save_prefs(prefs); }>"\u{2190}"</button>
                                        <button type="button" class="button button-normal button-small" aria-label=format!("Move column {k} right")
                                            on:click=move |_| { prefs.update(|p| p.move_key(&right, 1)); save_prefs(prefs); }>"\u{2192}"</button>
                                        <button type="button" class="button button-normal button-small" aria-label=format!("Remove column {k}")
                                            on:click=move |_| { prefs.update(|p| p.remove_key(&gone)); save_prefs(prefs); }>"\u{d7}"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </fieldset>
                    <button class="button button-normal" on:click=move |_| open.set(false)>"Close preferences"</button>
                </div>
            }
        })
    }
}

/// Import of an inventory: a file or pasted text, a preview of what is valid and what is not,
/// then all or only the valid records, in one transaction.
#[component]
fn ImportResources() -> impl IntoView {
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let import_text = RwSignal::new(String::new());
    let report = RwSignal::new(None::<Result<ImportReport, String>>);
    let run_import = move |all_or_nothing: bool| {
        let Some(Ok(r)) = report.get_untracked() else {
            return;
        };
        if all_or_nothing && !r.rejected.is_empty() {
            return;
        }
        let count = r.resources.len();
        leptos::task::spawn_local(async move {
            match undo
                .commit(
                    ops::import_resources(r.resources, js_sys::Date::now() as i64),
                    false,
                    "Resources imported",
                    &format!("{count} resource(s) imported."),
                )
                .await
            {
                Ok(_) => {
                    report.set(None);
                    import_text.set(String::new());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was imported", e.to_string());
                }
            }
        });
    };
    let report_view = move || {
        report.get().map(|r| match r {
            Err(e) => view! { <div class="alert alert-error" role="alert">{format!("The file could not be read. {e}")}</div> }.into_any(),
            Ok(r) => {
                let valid = r.resources.len();
                let has_rejected = !r.rejected.is_empty();
                view! {
                    <div class="import-preview" role="status" aria-live="polite">
                        <h3>"Preview"</h3>
                        <ul class="summary">
                            <li>{format!("{valid} valid")}</li>
                            <li>{format!("{} rejected", r.rejected.len())}</li>
                        </ul>
                        {has_rejected.then(|| {
                            let rows: Vec<RejectedRow> = r
                                .rejected
                                .iter()
                                .map(|e| (e.record, e.arn.clone().unwrap_or_else(|| "—".into()), e.message.clone()))
                                .collect();
                            view! { <RejectedTable what="ARN" rows=rows /> }
                        })}
                        <div class="form-actions">
                            <button class="button button-normal" disabled=!has_rejected || valid == 0 on:click=move |_| run_import(false)>
                                {format!("Import only the valid ones ({valid})")}
                            </button>
                            <button class="button button-primary" disabled=has_rejected || valid == 0 on:click=move |_| run_import(true)>
                                {format!("Import all ({valid})")}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="container" aria-labelledby="resources-import-title">
            <h2 id="resources-import-title">"Import resources"</h2>
            <p>"The JSON that aws resourcegroupstaggingapi get-resources prints, or CSV with a header ARN,<tag key>,<tag key>… Nothing is written before you confirm."</p>
            <ImportSource id="resources" accept=".json,.csv,application/json,text/csv" paste_label="Or paste JSON or CSV" text=import_text
                on_change=Callback::new(move |from_file: bool| report.set(from_file.then(|| read_inventory(&import_text.get_untracked()))))
                on_preview=Callback::new(move |()| report.set(Some(read_inventory(&import_text.get_untracked())))) />
            {report_view}
        </section>
    }
}

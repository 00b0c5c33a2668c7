use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::PageHeader;
use crate::model::inventory::ImportReport;
use crate::model::Inventory;
use crate::store::ops;
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};

const PAGE_SIZE: usize = 50;

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
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);

    let matching = Memo::new(move |_| {
        let f = filter.get().to_lowercase();
        data.resources.with(|rs| {
            rs.iter()
                .filter(|r| {
                    f.is_empty()
                        || r.arn.to_lowercase().contains(&f)
                        || r.resource_type.to_lowercase().contains(&f)
                        || r.tags.iter().any(|(k, v)| {
                            k.to_lowercase().contains(&f) || v.to_lowercase().contains(&f)
                        })
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let pages = move || matching.with(|m| m.len().div_ceil(PAGE_SIZE).max(1));
    let is_last_page = move || page.get() + 1 >= pages();

    let import_text = RwSignal::new(String::new());
    let report = RwSignal::new(None::<Result<ImportReport, String>>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Some(result) = browser::read_chosen_file(&input).await {
                match result {
                    Ok(text) => {
                        report.set(Some(read_inventory(&text)));
                        import_text.set(text);
                    }
                    Err(e) => {
                        flashes.push(FlashKind::Error, "The file could not be read", e);
                    }
                }
            }
        });
    };
    let run_import = move |all_or_nothing: bool| {
        let Some(Ok(r)) = report.get_untracked() else {
            return;
        };
        if all_or_nothing && !r.rejected.is_empty() {
            return;
        }
        let count = r.resources.len();
        leptos::task::spawn_local(async move {
            match data
                .apply(ops::import_resources(
                    r.resources,
                    js_sys::Date::now() as i64,
                ))
                .await
            {
                Ok(()) => {
                    flashes.push(
                        FlashKind::Success,
                        "Resources imported",
                        format!("{count} resource(s) imported."),
                    );
                    report.set(None);
                    import_text.set(String::new());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was imported", e.to_string());
                }
            }
        });
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

    let table = move || {
        if !data.loaded.get() {
            return view! { <p class="loading" role="status">"Loading resources…"</p> }.into_any();
        }
        if data.resources.with(Vec::is_empty) {
            return view! {
                <div class="empty-state"><h3>"No resources yet"</h3><p>"Import the output of aws resourcegroupstaggingapi get-resources, or a CSV file, below."</p></div>
            }
            .into_any();
        }
        let list = matching.get();
        if list.is_empty() {
            return view! {
                <div class="empty-state">
                    <h3>"No matches"</h3>
                    <button class="button button-normal" on:click=move |_| filter.set(String::new())>"Clear filter"</button>
                </div>
            }
            .into_any();
        }
        let p = page.get().min(pages() - 1);
        let rows = list
            .into_iter()
            .skip(p * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|r| {
                let tags = r
                    .tags
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <tr>
                        <th scope="row" class="cell-name mono">{r.arn.clone()}</th>
                        <td>{r.resource_type.clone()}</td>
                        <td class="cell-name">{tags}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="resources-heading">
                    <thead><tr><th scope="col">"ARN"</th><th scope="col">"Type"</th><th scope="col">"Tags"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
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
                        {has_rejected.then(|| view! {
                            <table class="table">
                                <thead><tr><th scope="col">"Record"</th><th scope="col">"ARN"</th><th scope="col">"Why it was rejected"</th></tr></thead>
                                <tbody>
                                    {r.rejected.iter().map(|e| view! {
                                        <tr>
                                            <td class="cell-number">{e.record}</td>
                                            <td class="cell-name mono">{e.arn.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{e.message.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
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
                    <button class="button button-normal" on:click=move |_| export(false)>"Export JSON"</button>
                    <button class="button button-normal" on:click=move |_| export(true)>"Export CSV"</button>
                </div>
            </div>
            <div class="filters">
                <label class="form-label" for="resources-filter">"Find resources"</label>
                <input id="resources-filter" class="input select" type="search" placeholder="ARN, type or tag"
                    prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); } />
                <span class="counter" role="status">{move || {
                    let n = matching.with(Vec::len);
                    if filter.with(String::is_empty) { String::new() } else { format!("{n} match(es)") }
                }}</span>
            </div>
            {table}
            <nav class="pagination" aria-label="Pages">
                <button class="button button-normal" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
                <span>{move || format!("Page {} of {}", page.get().min(pages() - 1) + 1, pages())}</span>
                <button class="button button-normal" disabled=is_last_page on:click=move |_| page.update(|p| *p += 1)>"Next page"</button>
            </nav>
        </section>

        <section class="container" aria-labelledby="resources-import-title">
            <h2 id="resources-import-title">"Import resources"</h2>
            <p>"The JSON that aws resourcegroupstaggingapi get-resources prints, or CSV with a header ARN,<tag key>,<tag key>… Nothing is written before you confirm."</p>
            <div class="form-field">
                <label class="form-label" for="resources-file">"Choose a file"</label>
                <input id="resources-file" class="input" type="file" accept=".json,.csv,application/json,text/csv" on:change=on_file />
            </div>
            <div class="form-field">
                <label class="form-label" for="resources-text">"Or paste JSON or CSV"</label>
                <textarea id="resources-text" class="input textarea mono" rows="6" spellcheck="false"
                    prop:value=move || import_text.get()
                    on:input=move |ev| { import_text.set(event_target_value(&ev)); report.set(None); }></textarea>
            </div>
            <button class="button button-normal" disabled=move || import_text.with(|t| t.trim().is_empty())
                on:click=move |_| report.set(Some(read_inventory(&import_text.get_untracked())))>"Preview import"</button>
            {report_view}
        </section>
    }
}

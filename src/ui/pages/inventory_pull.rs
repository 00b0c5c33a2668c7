//! "Refresh inventory" on the Resources page (sync mode): the regions to pull, progress while
//! the Tagging API is read page by page, "Cancel", and what the backend refused. What to say
//! is `view::inventory_pull`; the write is one `ops::replace_pulled` batch for every region
//! that was read completely (a cancelled or failed region keeps its earlier pull).

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use leptos::prelude::*;

use crate::model::inventory::RecordError;
use crate::store::ops;
use crate::sync::endpoint::REGIONS;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::sync::SyncCtl;
use crate::ui::widgets::{RejectedRow, RejectedTable};
use crate::view::inventory_pull::{PullProgress, PullSummary, PullTally};

/// The backend's region (where the person signs requests), chosen at first.
fn backend_region(ctl: SyncCtl) -> Option<String> {
    ctl.view.with_untracked(|v| {
        v.endpoint.as_ref().map(|e| match e {
            crate::sync::endpoint::EndpointChoice::Aws { region, .. }
            | crate::sync::endpoint::EndpointChoice::Custom { region, .. } => region.clone(),
        })
    })
}

#[component]
pub fn InventoryPull() -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    let chosen = RwSignal::new(
        backend_region(ctl)
            .into_iter()
            .collect::<BTreeSet<String>>(),
    );
    let progress = RwSignal::new(None::<PullProgress>);
    let refused = RwSignal::new(Vec::<RecordError>::new());
    let stop = StoredValue::new_local(Rc::new(Cell::new(false)));
    let start = move |_| {
        let regions: Vec<String> = chosen.get_untracked().into_iter().collect();
        if regions.is_empty() || progress.with_untracked(Option::is_some) {
            return;
        }
        let flag = Rc::new(Cell::new(false));
        stop.set_value(flag.clone());
        refused.set(Vec::new());
        let ctx = (
            expect_context::<AppData>(),
            ctl,
            expect_context::<Flashes>(),
        );
        leptos::task::spawn_local(pull(ctx, regions, flag, progress, refused));
    };
    view! {
        <section class="container" aria-labelledby="pull-heading">
            <h2 id="pull-heading">"Inventory from the backend"</h2>
            <p class="form-constraint">
                "Reads every tagged resource of the chosen regions through the Resource Groups Tagging API, and replaces the earlier pull of those regions; imported resources stay. The Tagging API does not return resources that were never tagged."
            </p>
            <fieldset class="form-field region-choice">
                <legend class="form-label">"Regions"</legend>
                <div class="type-options">
                    {REGIONS.iter().map(|r| {
                        let region = (*r).to_owned();
                        let id = format!("pull-region-{r}");
                        view! {
                            <label class="checkbox">
                                <input type="checkbox" id=id
                                    prop:checked={ let region = region.clone(); move || chosen.with(|c| c.contains(&region)) }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { if on { c.insert(region.clone()); } else { c.remove(&region); } });
                                    } />
                                " " {*r}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="form-actions">
                {move || progress.get().map(|_| view! {
                    <button type="button" class="button button-normal" on:click=move |_| stop.with_value(|s| s.set(true))>"Cancel"</button>
                })}
                <button type="button" id="pull-start" class="button button-primary"
                    disabled=move || progress.with(Option::is_some) || chosen.with(BTreeSet::is_empty)
                    on:click=start>
                    {move || if progress.with(Option::is_some) { "Refreshing…" } else { "Refresh inventory" }}
                </button>
            </div>
            <p class="counter" role="status" id="pull-progress">{move || progress.get().map(|p| p.line())}</p>
            {move || {
                let rows: Vec<RejectedRow> = refused.with(|r| {
                    r.iter().map(|e| (e.record, e.arn.clone().unwrap_or_else(|| "—".into()), e.message.clone())).collect()
                });
                (!rows.is_empty()).then(|| view! {
                    <h3 class="subheading">"Refused by the checks (not stored)"</h3>
                    <RejectedTable what="ARN" rows=rows />
                })
            }}
        </section>
    }
}

/// Reads the regions together — one page in flight per region: a region's pages follow each
/// other's tokens, so they cannot overlap, but regions are independent — then writes what
/// was read completely in one batch. Each request keeps the client's retry policy.
async fn pull(
    (data, ctl, flashes): (AppData, SyncCtl, Flashes),
    regions: Vec<String>,
    stop: Rc<Cell<bool>>,
    progress: RwSignal<Option<PullProgress>>,
    refused: RwSignal<Vec<RecordError>>,
) {
    let mut summary = PullSummary::default();
    let mut read = Vec::new();
    let mut rejected = Vec::new();
    let tally = Rc::new(RefCell::new(PullTally::new(regions.len())));
    progress.set(Some(tally.borrow().progress()));
    let one = |region: String| {
        let (stop, tally) = (stop.clone(), tally.clone());
        async move {
            if stop.get() {
                return (region, None);
            }
            let client = match ctl.tagging(&region, stop.clone()) {
                Ok(c) => c,
                Err(e) => return (region, Some(Err(e))),
            };
            tally.borrow_mut().read(&region, 0);
            progress.try_set(Some(tally.borrow().progress()));
            let result = client
                .pull(&[], |n| {
                    tally.borrow_mut().read(&region, n);
                    progress.try_set(Some(tally.borrow().progress()));
                    !stop.get()
                })
                .await;
            tally.borrow_mut().finished(&region);
            progress.try_set(Some(tally.borrow().progress()));
            // No GetTagKeys afterwards: a complete pull has every tagged resource of the
            // region, so the inventory's own keys are the region's (moto pages GetTagKeys by
            // resources scanned: 150 requests for 10,000 resources, for nothing).
            (region, Some(result.map_err(|e| e.to_string())))
        }
    };
    let results = futures::future::join_all(regions.iter().cloned().map(one)).await;
    for (region, result) in results {
        match result {
            Some(Ok(p)) if p.complete => {
                read.extend(p.report.resources.into_iter().map(|r| (region.clone(), r)));
                rejected.extend(p.report.rejected);
                summary.regions_done.insert(region);
            }
            // Stopped before it started, between pages, or its request was cut short.
            None | Some(Ok(_)) => summary.cancelled = true,
            Some(Err(_)) if stop.get() => summary.cancelled = true,
            Some(Err(e)) => summary.regions_failed.push((region, e)),
        }
    }
    // Once each: a resource without a region in its ARN (moto lists S3 buckets in every
    // region) may come from several.
    summary.resources = read
        .iter()
        .map(|(_, r)| r.arn.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    summary.refused = rejected.len();
    if !summary.regions_done.is_empty() {
        let existing = data.resources.get_untracked();
        let now = js_sys::Date::now() as i64;
        if let Some(batch) = ops::replace_pulled(&existing, &summary.regions_done, read, now) {
            if let Err(e) = data.commit_as_is(batch).await {
                flashes.push(
                    FlashKind::Error,
                    "The inventory was not replaced",
                    e.to_string(),
                );
                progress.try_set(None);
                return;
            }
        }
    }
    refused.try_set(rejected);
    let (title, text) = summary.notice();
    let kind = if summary.regions_done.is_empty() {
        FlashKind::Warning
    } else {
        FlashKind::Success
    };
    flashes.push(kind, title, text);
    progress.try_set(None);
}

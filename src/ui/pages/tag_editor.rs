//! The bulk tag editor of the Resources page: tags to set and keys to remove over the
//! selection, a review of which resources change, and "Apply". In sync mode the resources a
//! backend pull brought are changed on the backend first (the Tagging API of their region, in
//! calls of at most 20 ARNs, see `model::tag_plan`); only what the backend changed is then
//! changed here, in one transaction, and each resource it refused is listed with the
//! backend's code and "Retry failed". Imported resources are changed here only.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leptos::prelude::*;

use crate::model::tag_plan::{TagEdit, TagPlan};
use crate::model::Resource;
use crate::store::ops::{self, TagChanges};
use crate::sync::tagging::PlanFailure;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::sync::SyncCtl;
use crate::ui::widgets::KeyValueRows;
use crate::view::group_form::{GroupForm, List, Part};

/// What applying did: how many resources changed, and the ones the backend refused.
#[derive(Clone, Default)]
struct Applied {
    changed: usize,
    failed: BTreeMap<String, PlanFailure>,
    /// The success notice (with "Undo") was shown already.
    announced: bool,
}

fn edit_of(changes: &TagChanges) -> TagEdit {
    TagEdit {
        set: changes.set.iter().cloned().collect(),
        remove: changes.remove.iter().cloned().collect(),
    }
}

/// Sends the plan to the backend for the resources pulled from it (sync mode), then writes
/// here what the backend took, and every imported resource.
async fn apply_plan(
    (data, ctl, undo): (AppData, SyncCtl, crate::ui::undo::UndoCtl),
    targets: Vec<Resource>,
    changes: TagChanges,
) -> Result<Applied, String> {
    let plan = TagPlan::build(&targets, &edit_of(&changes));
    let mut failed = BTreeMap::new();
    // Whether a backend was told: then "Undo" here could not take it back there, so it is
    // offered only for changes that stayed in this browser.
    let mut sent = false;
    if ctl.view.with_untracked(|v| v.enabled) {
        let (remote, _) = plan.by_origin(&targets);
        for (region, part) in remote {
            sent = true;
            match ctl.tagging(&region, Rc::new(Cell::new(false))) {
                Ok(client) => failed.extend(client.apply(&part).await.failed),
                Err(why) => {
                    for c in part.changes {
                        failed.insert(
                            c.arn.clone(),
                            PlanFailure {
                                arn: c.arn,
                                code: "NotSent".into(),
                                message: why.clone(),
                                retryable: true,
                            },
                        );
                    }
                }
            }
        }
    }
    let taken: Vec<Resource> = targets
        .into_iter()
        .filter(|r| !failed.contains_key(&r.arn))
        .collect();
    let batch = ops::tag_resources(&taken, &changes, js_sys::Date::now() as i64);
    let changed = batch.ops.len();
    let mut announced = false;
    if changed > 0 && !sent && failed.is_empty() {
        undo.commit(
            batch,
            false,
            "Tags updated",
            &format!("Tags changed on {changed} resource(s)."),
        )
        .await
        .map_err(|e| e.to_string())?;
        announced = true;
    } else if changed > 0 {
        data.apply(batch).await.map_err(|e| e.to_string())?;
    }
    Ok(Applied {
        changed,
        failed,
        announced,
    })
}

/// Tag changes for the selected resources: set keys to values and remove keys; review which
/// resources change; apply in one transaction.
#[component]
pub fn TagEditor(selected: RwSignal<BTreeSet<String>>, open: RwSignal<bool>) -> impl IntoView {
    let data = expect_context::<AppData>();
    let ctl = expect_context::<SyncCtl>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    // What the backend refused at the last "Apply", with its reasons.
    let failures = RwSignal::new(BTreeMap::<String, PlanFailure>::new());
    // The tags to set are a form of their own (`view::group_form`): the rows, their checks
    // (rows left blank are skipped) and when their messages show.
    let form = RwSignal::new(GroupForm::resource_tags());
    let remove = RwSignal::new(String::new());
    let reviewing = RwSignal::new(false);

    let changes = Memo::new(move |_| TagChanges {
        set: form.with(GroupForm::tags_to_set),
        remove: remove
            .get()
            .split(',')
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect(),
    });
    let checked = Memo::new(move |_| form.with(|f| f.check(|_| false)));
    let rows = Memo::new(move |_| form.with(|f| f.draft.tags.clone()));
    let row_errors =
        Signal::derive(move || checked.with(|c| form.with(|f| f.row_errors(c, List::Tags))));
    let targets = move || {
        let sel = selected.get();
        data.resources.with(|rs| {
            rs.iter()
                .filter(|r| sel.contains(&r.arn))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let batch = Memo::new(move |_| {
        ops::tag_resources(&targets(), &changes.get(), js_sys::Date::now() as i64)
    });
    let nothing_to_do = move || changes.with(|c| c.set.is_empty() && c.remove.is_empty());

    let review = move |_| {
        let c = checked.get_untracked();
        let allowed = form.try_update(|f| f.submit(&c)) == Some(Ok(()));
        if allowed && !nothing_to_do() {
            reviewing.set(true);
        }
    };
    // Applying is an `Action`: "Apply changes" is off while it runs.
    let apply_action = Action::new_unsync(
        move |(targets, changes): &(Vec<Resource>, TagChanges)| {
            let (targets, changes) = (targets.clone(), changes.clone());
            async move {
                match apply_plan((data, ctl, undo), targets, changes).await {
                    Ok(done) if done.failed.is_empty() => {
                        if !done.announced {
                            flashes.push(
                                FlashKind::Success,
                                "Tags updated",
                                format!("Tags changed on {} resource(s).", done.changed),
                            );
                        }
                        failures.set(BTreeMap::new());
                        open.set(false);
                        selected.set(BTreeSet::new());
                    }
                    Ok(done) => {
                        flashes.push(
                        FlashKind::Warning,
                        "Some tags were not changed",
                        format!(
                            "Tags changed on {} resource(s); the backend did not change {} (listed in the editor, with \u{201c}Retry failed\u{201d}).",
                            done.changed,
                            done.failed.len()
                        ),
                    );
                        failures.set(done.failed);
                    }
                    Err(e) => {
                        flashes.push(FlashKind::Error, "No tags were changed", e);
                    }
                }
            }
        },
    );
    let applying = apply_action.pending();
    let apply = move |_| {
        if !applying.get_untracked() {
            apply_action.dispatch((targets(), changes.get_untracked()));
        }
    };
    // Only the failed resources, with the same changes.
    let retry = move |()| {
        let again: BTreeSet<String> = failures.with_untracked(|f| f.keys().cloned().collect());
        selected.set(again);
        if !applying.get_untracked() {
            apply_action.dispatch((targets(), changes.get_untracked()));
        }
    };
    // The same plan as AWS CLI calls, to run against the real account (local mode's way to
    // apply it there; in sync mode too, for a change someone else must run).
    let export_script = move |_| {
        let plan = TagPlan::build(&targets(), &edit_of(&changes.get_untracked()));
        let name = format!("group-console-tag-plan-{}.sh", crate::ui::browser::today());
        if let Err(e) =
            crate::ui::browser::download(&name, "text/x-shellscript", &plan.cli_script_by_region())
        {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };
    view! {
        <div class="prefs-panel tag-editor" role="group" aria-labelledby="tag-editor-title">
            <h3 id="tag-editor-title">{move || format!("Edit tags of {} resource(s)", selected.with(BTreeSet::len))}</h3>
            <div class="tag-editor-body">
                <h4 class="subheading">"Add or change tags"</h4>
                <KeyValueRows
                    id_prefix="bulk"
                    key_label="Tag key"
                    value_label="Tag value"
                    add_label="Add another tag"
                    rows=rows
                    on_edit=Callback::new(move |edit| form.maybe_update(|f| f.edit_rows(List::Tags, edit)))
                    row_errors=row_errors
                    on_blur=Callback::new(move |_| {
                        form.maybe_update(|f| f.touch(Part::Tags));
                        reviewing.set(false);
                    })
                />
                <div class="form-field">
                    <label class="form-label" for="bulk-remove">"Remove tag keys - optional"</label>
                    <input id="bulk-remove" class="input" type="text" autocomplete="off" aria-describedby="bulk-remove-hint"
                        prop:value=move || remove.get()
                        on:input=move |ev| { remove.set(event_target_value(&ev)); reviewing.set(false); } />
                    <p class="form-constraint" id="bulk-remove-hint">"Keys separated by commas."</p>
                </div>
                {move || reviewing.get().then(|| view! { <PlanReview batch=batch selected=selected /> })}
                <PlanFailures failures=failures busy=applying on_retry=Callback::new(retry) />
                <div class="form-actions">
                    <button class="button button-normal" on:click=move |_| open.set(false)>"Cancel"</button>
                    {move || if reviewing.get() {
                        view! {
                            <button class="button button-normal" disabled=move || batch.with(|b| b.ops.is_empty()) on:click=export_script>"Download as AWS CLI script"</button>
                            <button class="button button-primary" disabled=move || applying.get() || batch.with(|b| b.ops.is_empty()) on:click=apply>{move || if applying.get() { "Applying…" } else { "Apply changes" }}</button>
                        }.into_any()
                    } else {
                        view! { <button class="button button-primary" disabled=nothing_to_do on:click=review>"Review changes"</button> }.into_any()
                    }}
                </div>
            </div>
        </div>
    }
}

/// Which of the selected resources the plan changes (the first 20 listed).
#[component]
fn PlanReview(
    batch: Memo<crate::store::Batch>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    move || {
        let total = selected.with(BTreeSet::len);
        let arns: Vec<String> = batch.with(|b| {
            b.ops
                .iter()
                .filter_map(|op| match op {
                    crate::store::Op::PutResource(r) => Some(r.arn.clone()),
                    _ => None,
                })
                .collect()
        });
        let changing = arns.len();
        view! {
            <div class="import-preview" role="status">
                <h4>"Review"</h4>
                <p>{format!("{changing} of the {total} selected resource(s) change; the others already have these tags.")}</p>
                <ul class="plain-list mono">{arns.into_iter().take(20).map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
            </div>
        }
    }
}

/// The resources the backend did not change at the last "Apply": its code and message, and
/// whether trying again may help; "Retry failed" sends only those.
#[component]
fn PlanFailures(
    failures: RwSignal<BTreeMap<String, PlanFailure>>,
    busy: Memo<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    move || {
        failures.with(|f| {
            (!f.is_empty()).then(|| {
                let rows = f
                    .values()
                    .map(|p| {
                        view! {
                            <tr>
                                <th scope="row" class="cell-name mono">{p.arn.clone()}</th>
                                <td class="mono">{p.code.clone()}</td>
                                <td>{p.message.clone()}</td>
                                <td>{if p.retryable { "yes" } else { "no" }}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="import-preview" role="status">
                        <h4>"Not changed by the backend"</h4>
                        <table class="table" id="tag-failures">
                            <thead><tr><th scope="col">"ARN"</th><th scope="col">"Code"</th><th scope="col">"Message"</th><th scope="col">"Worth retrying"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <button type="button" class="button button-normal" on:click=move |_| on_retry.run(()) disabled=move || busy.get()>"Retry failed"</button>
                    </div>
                }
            })
        })
    }
}

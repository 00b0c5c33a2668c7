//! Settings → Your own detectors: organisation-specific identifiers the guard should refuse
//! everywhere, as patterns or keywords with examples (`guard::custom`, `view::detector_form`).
//! Saving installs them at once, reads the data again (a stored group they match is set aside,
//! as under newer rules) and audits from scratch.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::guard::custom::{DetectorError, DetectorKind, Detectors};
use crate::store::settings::SettingKey;
use crate::store::{Batch, Store};
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::view::detector_form::{remove, DetectorDraft};

#[component]
pub fn DetectorsSection() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let list = RwSignal::new(Detectors::default());
    let draft = RwSignal::new(DetectorDraft::default());
    let error = RwSignal::new(None::<DetectorError>);
    Effect::new(move |_| {
        data.revision.track();
        let Some(store) = data.with_store() else {
            return;
        };
        spawn_local(async move {
            if let Ok(v) = store.setting(SettingKey::CustomDetectors.as_str()).await {
                list.try_set(Detectors::decode(&v.unwrap_or_default()));
            }
        });
    });
    // Stores the new list, installs it, and reads and audits everything again.
    let save = move |next: Detectors, done: &'static str| {
        spawn_local(async move {
            let batch = Batch {
                ops: vec![SettingKey::CustomDetectors.put(next.encode())],
                ..Batch::default()
            };
            match data.commit_as_is(batch).await {
                Ok(_) => {
                    // Installed, read again and audited afresh by the patch that follows every
                    // change of settings (here and in the other tabs): `AppData::patch_now`.
                    list.set(next);
                    draft.set(DetectorDraft::default());
                    flashes.push(FlashKind::Success, done, "The guard applies it from now on, and the audit runs again: Data protection shows what it finds in data stored before.");
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Not saved", e.to_string());
                }
            }
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.with_untracked(|d| list.with_untracked(|l| d.add_to(l))) {
            Ok(next) => {
                error.set(None);
                save(next, "Detector added");
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let field_error = move |which: fn(&DetectorError) -> bool| {
        Signal::derive(move || {
            error.with(|e| e.as_ref().filter(|e| which(e)).map(|e| e.to_string()))
        })
    };
    let name_error = field_error(|e| matches!(e, DetectorError::Name(_)));
    let text_error = field_error(|e| matches!(e, DetectorError::Text(_)));
    let yes_error = field_error(|e| matches!(e, DetectorError::MustMatch(_)));
    let no_error = field_error(|e| matches!(e, DetectorError::MustNotMatch(_)));
    let err_view = |s: Signal<Option<String>>, id: &'static str| {
        view! { <div id=id aria-live="polite">{move || s.get().map(|e| view! { <p class="form-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}</div> }
    };
    let rows = move || {
        list.get()
            .0
            .into_iter()
            .map(|d| {
                let name = d.name.clone();
                let kind = match d.kind {
                    DetectorKind::Pattern => "pattern",
                    DetectorKind::Keyword => "keyword",
                };
                let label = format!("Delete {}", d.name);
                view! {
                    <tr>
                        <th scope="row"><bdi>{d.name.clone()}</bdi></th>
                        <td>{kind}</td>
                        <td><code><bdi>{d.text.clone()}</bdi></code></td>
                        <td>{format!("{} must match, {} must not", d.must_match.len(), d.must_not_match.len())}</td>
                        <td><button type="button" class="button button-normal button-small" aria-label=label on:click=move |_| {
                            let next = list.with_untracked(|l| remove(l, &name));
                            save(next, "Detector deleted");
                        }>"Delete"</button></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="container" id="detectors" aria-labelledby="detectors-title">
            <h2 id="detectors-title">"Your own detectors"</h2>
            <p>"Identifiers of your organisation that must not go into names or tags either: customer numbers, internal ticket IDs, code names. The guard refuses what they match everywhere (forms, imports, sync, the audit), like account numbers. They are kept in this browser only."</p>
            {move || (!list.with(|l| l.0.is_empty())).then(|| view! {
                <table class="table" id="detectors-table">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Pattern or keyword"</th><th scope="col">"Examples"</th><th scope="col">"Actions"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            <form class="form" on:submit=add novalidate=true>
                <h3>"Add a detector"</h3>
                <div class="form-field">
                    <label class="form-label" for="detector-name">"Name"</label>
                    <input id="detector-name" class="input" type="text" autocomplete="off" prop:value=move || draft.with(|d| d.name.clone()) on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev)) />
                    {err_view(name_error, "detector-name-error")}
                </div>
                <fieldset class="form-field">
                    <legend class="form-label">"Kind"</legend>
                    <label class="radio"><input type="radio" name="detector-kind" id="detector-kind-pattern" prop:checked=move || draft.with(|d| d.kind == DetectorKind::Pattern) on:change=move |_| draft.update(|d| d.kind = DetectorKind::Pattern) />" Pattern"</label>
                    <label class="radio"><input type="radio" name="detector-kind" id="detector-kind-keyword" prop:checked=move || draft.with(|d| d.kind == DetectorKind::Keyword) on:change=move |_| draft.update(|d| d.kind = DetectorKind::Keyword) />" Keyword or phrase"</label>
                </fieldset>
                <div class="form-field">
                    <label class="form-label" for="detector-text">"Pattern or keyword"</label>
                    <input id="detector-text" class="input" type="text" autocomplete="off" aria-describedby="detector-text-constraint" prop:value=move || draft.with(|d| d.text.clone()) on:input=move |ev| draft.update(|d| d.text = event_target_value(&ev)) />
                    <p class="form-constraint" id="detector-text-constraint">"# is a digit, A a letter; a space, - _ . or / is an optional separator; \\ makes the next character literal. Example: CUST-###### finds CUST-123456, cust 123456 and CUST123456."</p>
                    {err_view(text_error, "detector-text-error")}
                </div>
                <div class="form-field">
                    <label class="form-label" for="detector-yes">"Examples that must match (one per line)"</label>
                    <textarea id="detector-yes" class="input textarea" rows="2" prop:value=move || draft.with(|d| d.must_match.clone()) on:input=move |ev| draft.update(|d| d.must_match = event_target_value(&ev))></textarea>
                    {err_view(yes_error, "detector-yes-error")}
                </div>
                <div class="form-field">
                    <label class="form-label" for="detector-no">"Examples that must not match (one per line)"</label>
                    <textarea id="detector-no" class="input textarea" rows="2" prop:value=move || draft.with(|d| d.must_not_match.clone()) on:input=move |ev| draft.update(|d| d.must_not_match = event_target_value(&ev))></textarea>
                    {err_view(no_error, "detector-no-error")}
                </div>
                <div class="form-actions"><button type="submit" id="detector-add" class="button button-primary">"Add detector"</button></div>
            </form>
        </section>
    }
}

//! A service configuration from a template: a capacity reservation pool, or EC2 host
//! management with its settings; the configuration as AWS will store it is shown below. The
//! rules are the form's ([`GroupForm`], `model::service_config::check_rules`).

use leptos::prelude::*;

use super::FormField;
use crate::view::group_form::{Checked, ConfigKind, GroupForm, Part};

/// `true`, `false`, or not given.
fn flag_value(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}

#[component]
pub fn ConfigFields(
    form: RwSignal<GroupForm>,
    checked: Memo<Checked>,
    prefix: &'static str,
) -> impl IntoView {
    let draft = Memo::new(move |_| form.with(|f| f.draft.configuration.clone()));
    let kind = Memo::new(move |_| draft.with(|d| d.kind));
    let error =
        Signal::derive(move || checked.with(|c| form.with(|f| f.error(c, Part::Configuration))));
    let touch = move || form.maybe_update(|f| f.touch(Part::Configuration));
    let json = move || draft.with(|d| serde_json::to_string_pretty(&d.items()).unwrap_or_default());
    let id = move |s: &str| format!("{prefix}-{s}");
    let flag =
        move |label: &'static str,
              key: &'static str,
              get: fn(&crate::view::group_form::ConfigDraft) -> Option<bool>,
              set: fn(&mut crate::view::group_form::ConfigDraft, Option<bool>)| {
            let fid = id(key);
            view! {
                <div class="form-field">
                    <label class="form-label" for=fid.clone()>{label}</label>
                    <select id=fid class="input select"
                        on:change=move |ev| {
                            let v = match event_target_value(&ev).as_str() { "true" => Some(true), "false" => Some(false), _ => None };
                            form.update(|f| { f.draft.configuration.kept = None; set(&mut f.draft.configuration, v) });
                        }>
                        {[("", "Not set (AWS's default)"), ("true", "Yes"), ("false", "No")].into_iter().map(|(v, l)| view! {
                            <option value=v prop:selected=move || draft.with(|d| flag_value(get(d)) == v)>{l}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        };
    view! {
        <fieldset class="radio-group" id=id("template")>
            <legend class="form-label">"Service configuration"</legend>
            <label class="checkbox">
                <input type="radio" name=id("template") id=id("pool")
                    prop:checked=move || kind.get() == ConfigKind::CapacityReservationPool
                    on:change=move |_| { form.update(|f| { f.draft.configuration.kept = None; f.draft.configuration.kind = ConfigKind::CapacityReservationPool; }); touch(); } />
                " EC2 Capacity Reservation pool: members are capacity reservations (yours and those shared with you)"
            </label>
            <label class="checkbox">
                <input type="radio" name=id("template") id=id("hosts")
                    prop:checked=move || kind.get() == ConfigKind::HostManagement
                    on:change=move |_| { form.update(|f| { f.draft.configuration.kept = None; f.draft.configuration.kind = ConfigKind::HostManagement; }); touch(); } />
                " EC2 host management: Dedicated Hosts that License Manager allocates and releases"
            </label>
        </fieldset>
        <Show when=move || kind.get() == ConfigKind::HostManagement>
            {flag("Allocate hosts automatically", "auto-allocate", |d| d.auto_allocate, |d, v| d.auto_allocate = v)}
            {flag("Release hosts automatically", "auto-release", |d| d.auto_release, |d, v| d.auto_release = v)}
            <FormField id=id("families") label="Host families - optional"
                constraint="Instance families the hosts may have, such as c5, m5 (separated by commas). None: any."
                error=Signal::derive(|| None::<String>)>
                <input id=id("families") class="input mono" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || draft.with(|d| d.families.clone())
                    on:input=move |ev| form.update(|f| { f.draft.configuration.kept = None; f.draft.configuration.families = event_target_value(&ev); })
                    on:blur=move |_| touch() />
            </FormField>
            <label class="checkbox">
                <input type="checkbox" id=id("any-license")
                    prop:checked=move || draft.with(|d| d.any_license)
                    on:change=move |ev| { form.update(|f| { f.draft.configuration.kept = None; f.draft.configuration.any_license = event_target_checked(&ev); }); touch(); } />
                " Any host-based license configuration"
            </label>
            <Show when=move || !draft.with(|d| d.any_license)>
                <FormField id=id("licenses") label="License configurations"
                    constraint="License Manager configuration ARNs (arn:aws:license-manager:REGION:ACCOUNT:license-configuration:lic-…), separated by commas."
                    error=Signal::derive(|| None::<String>)>
                    <input id=id("licenses") class="input mono" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || draft.with(|d| d.licenses.clone())
                        on:input=move |ev| form.update(|f| { f.draft.configuration.kept = None; f.draft.configuration.licenses = event_target_value(&ev); })
                        on:blur=move |_| touch() />
                </FormField>
            </Show>
        </Show>
        <div id=id("configuration-error") aria-live="polite">
            {move || error.get().map(|e| view! { <p class="form-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}
        </div>
        <p class="form-constraint">"As AWS will store it:"</p>
        <pre class="code" id=id("configuration-json")>{json}</pre>
    }
}

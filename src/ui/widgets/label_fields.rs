//! Display name, owner and criticality: the three fields of a group that AWS added for
//! application groups, in the Create group form and in the group page's editor alike. The
//! checks are the form's ([`GroupForm`]); this only shows them.

use leptos::prelude::*;

use super::FormField;
use crate::view::group_form::{Checked, GroupForm, Part};

/// The three fields, their ids `{prefix}-display-name`, `{prefix}-owner` and
/// `{prefix}-criticality`. `saved` is the group's criticality as stored: "Not set" is offered
/// only while it has none (AWS cannot unset one).
#[component]
pub fn LabelFields(
    form: RwSignal<GroupForm>,
    checked: Memo<Checked>,
    prefix: &'static str,
    saved: Option<u8>,
) -> impl IntoView {
    let error =
        move |part: Part| Signal::derive(move || checked.with(|c| form.with(|f| f.error(c, part))));
    let owner_warning = Signal::derive(move || checked.with(|c| c.warning(Part::Owner)));
    let display_name = Memo::new(move |_| form.with(|f| f.draft.display_name.clone()));
    let owner = Memo::new(move |_| form.with(|f| f.draft.owner.clone()));
    let criticality = Memo::new(move |_| form.with(|f| f.draft.criticality));
    let touch = move |p: Part| form.maybe_update(|f| f.touch(p));
    let (dn_id, owner_id, crit_id) = (
        format!("{prefix}-display-name"),
        format!("{prefix}-owner"),
        format!("{prefix}-criticality"),
    );
    let constraint = "Up to 300 characters: letters, digits, spaces and _ . : / = + - @.";
    let choices = GroupForm::criticality_choices(saved);
    let (dn_error, owner_error, crit_error) = (
        error(Part::DisplayName),
        error(Part::Owner),
        error(Part::Criticality),
    );
    view! {
        <FormField id=dn_id.clone() label="Display name - optional" constraint=constraint error=dn_error>
            <input id=dn_id.clone() class="input" type="text" autocomplete="off"
                aria-describedby=format!("{dn_id}-constraint {dn_id}-error")
                aria-invalid=move || dn_error.get().is_some().to_string()
                prop:value=move || display_name.get()
                on:input=move |ev| form.update(|f| f.draft.display_name = event_target_value(&ev))
                on:blur=move |_| touch(Part::DisplayName) />
        </FormField>
        <FormField id=owner_id.clone() label="Owner - optional"
            constraint="The person or team who answers for the group. Up to 300 characters: letters, digits, spaces and _ . : / = + - @. Everyone who can list groups sees it."
            error=owner_error warning=owner_warning>
            <input id=owner_id.clone() class="input" type="text" autocomplete="off"
                aria-describedby=format!("{owner_id}-constraint {owner_id}-error")
                aria-invalid=move || owner_error.get().is_some().to_string()
                prop:value=move || owner.get()
                on:input=move |ev| form.update(|f| {
                    f.draft.owner = event_target_value(&ev);
                    // A new warning is read anew.
                    f.save_anyway = false;
                })
                on:blur=move |_| touch(Part::Owner) />
        </FormField>
        <FormField id=crit_id.clone() label="Criticality - optional"
            constraint="1 is the most critical, 10 the least. Once set, it can be changed but not removed."
            error=crit_error>
            <select id=crit_id.clone() class="input select"
                aria-describedby=format!("{crit_id}-constraint {crit_id}-error")
                on:change=move |ev| {
                    let v = event_target_value(&ev).parse::<u8>().ok();
                    form.update(|f| f.draft.criticality = v);
                    touch(Part::Criticality);
                }>
                {choices.into_iter().map(|c| {
                    let value = c.map_or_else(String::new, |c| c.to_string());
                    let label = match c {
                        None => "Not set".to_owned(),
                        Some(1) => "1 (most critical)".to_owned(),
                        Some(10) => "10 (least critical)".to_owned(),
                        Some(c) => c.to_string(),
                    };
                    view! { <option value=value prop:selected=move || criticality.get() == c>{label}</option> }
                }).collect_view()}
            </select>
        </FormField>
    }
}

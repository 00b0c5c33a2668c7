//! `/groups/:name`: a group's overview and tabs for its resources, tags, query and activity.
//! The name cannot be changed (as in AWS). Delete asks for a typed confirmation.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::conflict::{BackendMembers, ConflictPanel, StaticMembers};
use super::PageHeader;
use crate::model::{Group, Resource};
use crate::store::{ops, ActivityEvent, ActivityFilter, Source, Store};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::sync::SyncCtl;
use crate::ui::widgets::{
    ConfigFields, ConfirmDelete, FormField, KeyValueRows, LabelFields, NoMatches, Pagination,
};
use crate::view::group_form::{Checked, GroupForm, List, Part, ResourceTypes, Rows, Scope};
use crate::view::nav::DetailTab;
use crate::view::page_drafts::PageDrafts;
use crate::view::table::{Matches, Needle, Order, PageInfo};

/// One save of a group: the group as it was shown, the changed copy, and what changed (for
/// the notice).
#[derive(Clone)]
struct SaveGroup {
    old: Group,
    new: Group,
    what: &'static str,
}

/// Saving a changed copy of the group, with a notice either way: an `Action`, so its `pending`
/// turns the save button off and says "Saving…" while the store writes, and a second click
/// cannot save twice. It yields whether the save worked; on a failure the form keeps what was
/// typed (the page shows the group afresh only after a save).
fn save_action() -> Action<SaveGroup, bool> {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    Action::new_unsync(move |s: &SaveGroup| {
        let SaveGroup { old, new, what } = s.clone();
        async move {
            let now = js_sys::Date::now() as i64;
            let result = match ops::update_group(&old, new, now, Source::Local) {
                Ok(batch) => data.apply(batch).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    flashes.push(
                        FlashKind::Success,
                        format!("{what} saved"),
                        format!("The group \u{201c}{}\u{201d} was updated.", old.name),
                    );
                    true
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, format!("{what} not saved"), e.to_string());
                    false
                }
            }
        }
    })
}

/// The page's edits in progress (see `view::page_drafts`): owned by the page, so that an
/// editor rebuilt from the group afresh (after a save, a sync, another tab) resumes them.
type Drafts = StoredValue<PageDrafts>;

/// The form to start `scope`'s editor with over `group`, and whether it is open: what the
/// page kept, if anything, else `fresh`, closed.
fn resume(scope: Scope, group: &Group, fresh: GroupForm) -> (GroupForm, bool) {
    use_context::<Drafts>()
        .and_then(|d| d.with_value(|d| d.resume_form(scope, group)))
        .unwrap_or((fresh, false))
}

/// Keeps `form` (and whether its editor is `open`) in the page's drafts as it changes.
fn keep(
    form: RwSignal<GroupForm>,
    original: StoredValue<Group>,
    open: impl Fn() -> bool + 'static,
) {
    if let Some(drafts) = use_context::<Drafts>() {
        Effect::new(move |_| {
            let open = open();
            form.with(|f| {
                original.with_value(|o| drafts.update_value(|d| d.keep_form(o, f, open)))
            });
        });
    }
}

/// The label of a save button: "Saving…" while its action runs.
fn save_label(action: Action<SaveGroup, bool>, idle: &'static str) -> impl Fn() -> &'static str {
    let pending = action.pending();
    move || if pending.get() { "Saving…" } else { idle }
}

/// The description, and an editor for it (private: never logged, only the field name goes to
/// the activity log). Guard findings warn; a second click saves anyway.
#[component]
fn DescriptionEditor(group: Group) -> impl IntoView {
    let saving = save_action();
    let pending = saving.pending();
    let drafts = use_context::<Drafts>();
    let resumed = drafts.and_then(|d| d.with_value(|d| d.resume_description(&group)));
    let editing = RwSignal::new(resumed.is_some());
    let text = RwSignal::new(resumed.unwrap_or_else(|| group.description.clone()));
    let acknowledged = RwSignal::new(false);
    let g = StoredValue::new(group);
    if let Some(drafts) = drafts {
        Effect::new(move |_| {
            let typed = editing.get().then(|| text.get());
            g.with_value(|g| drafts.update_value(|d| d.keep_description(g, typed.as_deref())));
        });
    }
    let problems = Memo::new(move |_| crate::model::group::check_description(&text.get()));
    let error = Signal::derive(move || {
        problems.with(|p| {
            p.iter()
                .find(|e| e.is_blocking())
                .map(|e| e.message.clone())
        })
    });
    let warning = Signal::derive(move || {
        problems.with(|p| {
            p.iter()
                .find(|e| !e.is_blocking())
                .map(|e| e.message.clone())
        })
    });
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if error.get_untracked().is_some() {
            return;
        }
        if warning.get_untracked().is_some() && !acknowledged.get_untracked() {
            acknowledged.set(true);
            return;
        }
        let old = g.get_value();
        let mut new = old.clone();
        new.description = text.get_untracked().trim().to_owned();
        // The editor stays open until the save succeeds (the page then shows the new group):
        // on a failure the typed text is still there.
        saving.dispatch(SaveGroup {
            old,
            new,
            what: "Description",
        });
    };
    move || {
        if editing.get() {
            view! {
                <form class="inline-editor" on:submit=on_save novalidate
                    data-unsaved=move || (text.get().trim() != g.get_value().description).to_string()>
                    <FormField id="edit-description" label="Description" constraint="Up to 512 letters, digits, spaces and . _ -. Private: never logged." error=error warning=warning>
                        <textarea id="edit-description" class="input textarea" rows="3"
                            aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                            prop:value=move || text.get()
                            on:input=move |ev| { text.set(event_target_value(&ev)); acknowledged.set(false); }></textarea>
                    </FormField>
                    <div class="form-actions">
                        <button type="button" class="button button-normal" on:click=move |_| { text.set(g.get_value().description); editing.set(false); }>"Cancel"</button>
                        <button type="submit" class="button button-primary" disabled=move || pending.get()>{move || if pending.get() { "Saving…" } else if acknowledged.get() { "Save anyway" } else { "Save description" }}</button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            let d = g.with_value(|g| g.description.clone());
            view! {
                <span class="description-text">{if d.is_empty() { "—".to_owned() } else { d }}</span>
                " "
                <button type="button" class="button button-link" on:click=move |_| editing.set(true)>"Edit description"</button>
            }
            .into_any()
        }
    }
}

/// Display name, owner and criticality, shown and edited together (one UpdateGroup when
/// synced), and the application the group belongs to (read-only: AWS sets it).
#[component]
fn LabelsEditor(group: Group) -> impl IntoView {
    let saving = save_action();
    let pending = saving.pending();
    let original = StoredValue::new(group.clone());
    let (resumed, open) = resume(Scope::Labels, &group, GroupForm::labels_of(&group));
    let editing = RwSignal::new(open);
    let form = RwSignal::new(resumed);
    keep(form, original, move || editing.get());
    let checked = Memo::new(move |_| form.with(|f| f.check(|_| false)));
    let owner_warned = Signal::derive(move || checked.with(|c| c.warning(Part::Owner).is_some()));
    let changed = move || original.with_value(|g| form.with(|f| f.changed(g)));
    let shown = |s: &str| {
        if s.is_empty() {
            "\u{2014}".to_owned()
        } else {
            s.to_owned()
        }
    };
    let application = group.application_tag.get("awsApplication").cloned();
    move || {
        if editing.get() {
            view! {
                <form class="inline-editor" id="labels-editor" novalidate
                    data-unsaved=move || changed().to_string()
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if changed() {
                            save_form(saving, form, checked, original, "Details");
                        } else {
                            editing.set(false);
                        }
                    }>
                    <LabelFields form=form checked=checked prefix="edit" saved=original.with_value(|g| g.criticality) />
                    {move || owner_warned.get().then(|| view! {
                        <label class="checkbox">
                            <input id="save-anyway" type="checkbox" prop:checked=move || form.with(|f| f.save_anyway) on:change=move |ev| form.update(|f| f.save_anyway = event_target_checked(&ev)) />
                            " Save with this owner anyway"
                        </label>
                    })}
                    <div class="form-actions">
                        <button type="button" class="button button-normal" on:click=move |_| { form.set(original.with_value(GroupForm::labels_of)); editing.set(false); }>"Cancel"</button>
                        <button type="submit" class="button button-primary" disabled=move || pending.get()>{save_label(saving, "Save details")}</button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            let g = original.get_value();
            let criticality = g
                .criticality
                .map_or_else(|| "\u{2014}".to_owned(), |c| c.to_string());
            view! {
                <dl class="label-values" id="labels">
                    <div><dt>"Display name"</dt><dd id="display-name">{shown(&g.display_name)}</dd></div>
                    <div><dt>"Owner"</dt><dd id="owner">{shown(&g.owner)}</dd></div>
                    <div><dt>"Criticality"</dt><dd id="criticality">{criticality}</dd></div>
                    {application.clone().map(|a| view! {
                        <div><dt>"Application"</dt><dd class="cell-name mono" id="application">{a}" (set by AWS)"</dd></div>
                    })}
                </dl>
                <button type="button" class="button button-link" id="edit-labels" on:click=move |_| editing.set(true)>"Edit display name, owner and criticality"</button>
            }
            .into_any()
        }
    }
}

#[component]
pub fn GroupDetailsPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    provide_context::<Drafts>(StoredValue::new(PageDrafts::default()));
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    // The list is in name order (the store's, kept by `AppData::patch`).
    let group = Memo::new(move |_| {
        let n = name.get();
        data.groups.with(|gs| {
            gs.binary_search_by(|g| g.name.as_str().cmp(&n))
                .ok()
                .and_then(|i| gs.get(i).cloned())
        })
    });
    let tab = RwSignal::new(DetailTab::Resources);

    move || {
        if !data.loaded.get() {
            return view! { <PageHeader title=name.get() description="Loading…" /><p class="loading" role="status">"Loading the group…"</p> }.into_any();
        }
        match group.get() {
            None => view! {
                <PageHeader title="Group not found" description="There is no group with this name in this browser." />
                <ConflictPanel name=name.get() />
                <section class="container">
                    <p>"The group " <strong>{name.get()}</strong> " does not exist. It may have been deleted, here or in another tab."</p>
                    <p><a class="button button-primary" href=href("/groups")>"Go to Groups"</a></p>
                </section>
            }
            .into_any(),
            Some(g) => view! { <GroupView group=g tab=tab /> }.into_any(),
        }
    }
}

#[component]
fn GroupView(
    group: Group,
    /// Owned by the page, so a save (which shows the group afresh) keeps the tab open.
    tab: RwSignal<DetailTab>,
) -> impl IntoView {
    let sync = expect_context::<SyncCtl>();
    let flashes = expect_context::<Flashes>();
    let navigate = use_navigate();
    let delete_open = RwSignal::new(false);
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let g = StoredValue::new(group.clone());

    let on_delete = Callback::new(move |_| {
        let group = g.get_value();
        let name = group.name.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let text = format!(
                "The group \u{201c}{}\u{201d} was deleted. It stays in Recently deleted for 30 days.",
                crate::display::masked_name(&name)
            );
            match undo
                .commit(
                    ops::delete_groups_keeping(
                        std::slice::from_ref(&group),
                        js_sys::Date::now() as i64,
                        Source::Local,
                    ),
                    false,
                    "Group deleted",
                    &text,
                )
                .await
            {
                Ok(_) => {
                    // The router adds its base to app paths (unlike `<A>`): no `href` here.
                    navigate("/groups", Default::default());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "The group was not deleted", e.to_string());
                }
            }
        });
    });

    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(next) = tab.get_untracked().after_key(&ev.key()) else {
            return;
        };
        ev.prevent_default();
        tab.set(next);
        browser::focus_id(&format!("tab-{}", next.id()));
    };

    let query_type = match (group.query(), group.spec.configuration().is_empty()) {
        (Some(q), true) => q.type_name().to_owned(),
        (Some(q), false) => format!("{}, with a service configuration", q.type_name()),
        (None, _) => "Configuration".to_owned(),
    };
    view! {
        <div class="page-header-row">
            <PageHeader title=group.name.clone() description="Resource group" />
            <button class="button button-normal" on:click=move |_| delete_open.set(true)>"Delete"</button>
        </div>
        <ConflictPanel name=group.name.clone() />
        <section class="container" aria-labelledby="overview-title">
            <h2 id="overview-title">"Overview"</h2>
            <dl class="key-values">
                <div><dt>"Name"</dt><dd class="cell-name">{group.name.clone()}</dd></div>
                <div><dt>"ARN"</dt><dd class="cell-name mono">{
                    let (own, n) = (group.arn.clone(), group.name.clone());
                    move || own.clone().or_else(|| sync.view.with(|v| v.arns.get(&n).cloned())).unwrap_or_else(|| "Local only (not synced)".into())
                }</dd></div>
                <div><dt>"Description"</dt><dd><DescriptionEditor group=group.clone() /></dd></div>
                <div><dt>"Query type"</dt><dd>{query_type}</dd></div>
                <div><dt>"Created"</dt><dd>{browser::format_time(group.created_at)}</dd></div>
                <div><dt>"Last change"</dt><dd>{browser::format_time(group.updated_at)}</dd></div>
            </dl>
        </section>
        <section class="container" aria-labelledby="labels-title">
            <h2 id="labels-title">"Display name, owner and criticality"</h2>
            <LabelsEditor group=group.clone() />
        </section>
        <BackendMembers name=group.name.clone() />
        {match &group.spec {
            crate::model::GroupSpec::Configuration(items)
                if crate::model::service_config::takes_static_members(items) =>
            {
                Some(view! { <StaticMembers name=group.name.clone() /> })
            }
            _ => None,
        }}
        <section class="container">
            <div class="tabs" role="tablist" aria-label="Group details" on:keydown=on_tab_key>
                {DetailTab::ALL.iter().map(|&t| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="tab"
                            id=format!("tab-{}", t.id())
                            aria-controls=format!("panel-{}", t.id())
                            aria-selected=move || (tab.get() == t).to_string()
                            tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            on:click=move |_| tab.set(t)
                        >
                            {t.label()}
                        </button>
                    }
                }).collect_view()}
            </div>
            <div class="tab-panel" role="tabpanel" id=move || format!("panel-{}", tab.get().id()) aria-labelledby=move || format!("tab-{}", tab.get().id())>
                {move || match tab.get() {
                    DetailTab::Tags => view! { <TagsTab group=g.get_value() /> }.into_any(),
                    DetailTab::Query => view! { <QueryTab group=g.get_value() /> }.into_any(),
                    DetailTab::Activity => view! { <ActivityTab name=g.get_value().name /> }.into_any(),
                    DetailTab::Resources => view! { <ResourcesTab group=g.get_value() /> }.into_any(),
                }}
            </div>
        </section>
        <ConfirmDelete
            open=delete_open
            title="Delete group"
            subject=Signal::derive(move || g.get_value().name)
            consequence="The group and its tags are deleted here (with sync on, from the backend too). It stays in Recently deleted for 30 days, and the notice offers Undo. The resources it collects are not affected."
            on_confirm=on_delete
        />
    }
}

#[component]
fn ResourcesTab(group: Group) -> impl IntoView {
    let data = expect_context::<AppData>();
    let page = RwSignal::new(0usize);
    let filter = RwSignal::new(String::new());
    // The query's members, as positions into the inventory (in inventory order); the filter
    // narrows them over the inventory's shared search text (see `view::table`).
    let members = Memo::new(move |_| {
        let idx = data.index.get().0;
        Order::from_positions(
            group
                .query()
                .map(|q| idx.matcher(q).positions(&idx))
                .unwrap_or_default(),
        )
    });
    let needle = Memo::new(move |_| filter.with(|f| Needle::new(f)));
    let shown = Memo::new(move |previous: Option<&Matches>| {
        members.with(|o| {
            data.resource_text
                .with(|h| needle.with(|n| Matches::update(previous, o, &h.0, n)))
        })
    });
    let total = move || members.with(|o| o.positions().len());
    let info = move || shown.with(|m| PageInfo::new(page.get(), 50, m.len()));
    let pages = move || info().page_count;
    let table = move || {
        if total() == 0 {
            return view! { <div class="empty-state"><h3>"No matching resources"</h3><p>"No resource in your inventory matches this group's query. Import resources on the Resources page."</p></div> }.into_any();
        }
        if shown.with(Matches::is_empty) {
            return view! { <NoMatches title="No matches" on_clear=Callback::new(move |()| filter.set(String::new())) /> }.into_any();
        }
        let on_page = info();
        let list: Vec<Resource> = shown.with(|m| {
            data.resources.with(|rs| {
                on_page
                    .slice(m.positions())
                    .iter()
                    .filter_map(|&i| rs.get(i).cloned())
                    .collect()
            })
        });
        view! {
            <div class="table-scroll">
                <table class="table">
                    <thead><tr><th scope="col">"ARN"</th><th scope="col">"Type"</th><th scope="col">"Tags"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row" class="cell-name mono">{r.arn.clone()}</th>
                                <td>{r.resource_type.clone()}</td>
                                <td class="cell-name">{r.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pagination page=page pages=Signal::derive(pages) on_page=Callback::new(move |p| page.set(p)) />
        }
        .into_any()
    };
    view! {
        <div class="filters">
            <label class="form-label" for="group-resources-filter">"Find resources"</label>
            <input id="group-resources-filter" class="input select" type="search" placeholder="ARN, type or tag"
                prop:value=move || filter.get()
                on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); } />
            <span class="counter" role="status">{move || {
                let (n, total) = (shown.with(Matches::len), total());
                if filter.with(|f| f.trim().is_empty()) { format!("{total} matching resource(s)") } else { format!("{n} of {total} match the filter") }
            }}</span>
        </div>
        {table}
    }
}

/// Saves the form if it may be saved: `original` with what the form edits put in.
fn save_form(
    saving: Action<SaveGroup, bool>,
    form: RwSignal<GroupForm>,
    checked: Memo<Checked>,
    original: StoredValue<Group>,
    what: &'static str,
) {
    let c = checked.get_untracked();
    if form.try_update(|f| f.submit(&c)) != Some(Ok(())) {
        return;
    }
    let old = original.get_value();
    let new = form.with_untracked(|f| f.edited(&old));
    saving.dispatch(SaveGroup { old, new, what });
}

#[component]
fn TagsTab(group: Group) -> impl IntoView {
    let saving = save_action();
    let pending = saving.pending();
    let original = StoredValue::new(group.clone());
    let form = RwSignal::new(resume(Scope::Tags, &group, GroupForm::tags_of(&group)).0);
    keep(form, original, || true);
    let checked = Memo::new(move |_| form.with(|f| f.check(|_| false)));
    let rows = Memo::new(move |_| form.with(|f| f.draft.tags.clone()));
    let row_errors =
        Signal::derive(move || checked.with(|c| form.with(|f| f.row_errors(c, List::Tags))));
    let changed = move || original.with_value(|g| form.with(|f| f.changed(g)));
    view! {
        <KeyValueRows
            id_prefix="tag"
            key_label="Tag key"
            value_label="Tag value"
            add_label="Add tag"
            rows=rows
            on_edit=Callback::new(move |edit| form.maybe_update(|f| f.edit_rows(List::Tags, edit)))
            row_errors=row_errors
            on_blur=Callback::new(move |_| form.maybe_update(|f| f.touch(Part::Tags)))
        />
        <div class="form-actions">
            <button class="button button-normal" disabled=move || !changed() on:click=move |_| form.update(|f| f.draft.tags = original.with_value(|g| Rows::new(&g.tags)))>"Cancel"</button>
            <button
                class="button button-primary"
                disabled=move || !changed() || pending.get()
                on:click=move |_| save_form(saving, form, checked, original, "Tags")
            >
                {save_label(saving, "Save tags")}
            </button>
        </div>
    }
}

/// A configuration group's configuration: edited from its template where AWS lets people
/// change it, otherwise shown with the reason it cannot be.
#[component]
fn ConfigurationTab(group: Group) -> impl IntoView {
    let items = group.spec.configuration();
    if items.is_empty() {
        return ().into_any();
    }
    let json = serde_json::to_string_pretty(items).unwrap_or_default();
    let reason = crate::model::service_config::read_only_reason(items).or_else(|| {
        group.query().is_some().then_some(
            "This group has a resource query and, beside it, a service configuration (Network Firewall rule groups reference groups this way). The configuration is kept as it is when the query or the tags change; change it with the AWS CLI or console.",
        )
    });
    let Some(form) = GroupForm::configuration_of(&group) else {
        let why = reason.unwrap_or(
            "This configuration is not one of the templates here, so it is shown as AWS stores it; change it with the AWS CLI or console.",
        );
        return view! {
            <p class="alert alert-info" id="configuration-read-only" role="note">{why}</p>
            <pre class="code" id="configuration-json">{json}</pre>
        }
        .into_any();
    };
    let saving = save_action();
    let pending = saving.pending();
    let original = StoredValue::new(group.clone());
    let form = RwSignal::new(resume(Scope::Configuration, &group, form).0);
    keep(form, original, || true);
    let checked = Memo::new(move |_| form.with(|f| f.check(|_| false)));
    let changed = move || original.with_value(|g| form.with(|f| f.changed(g)));
    view! {
        <ConfigFields form=form checked=checked prefix="edit" />
        <div class="form-actions">
            <button class="button button-normal" disabled=move || !changed() on:click=move |_| { if let Some(f) = original.with_value(GroupForm::configuration_of) { form.set(f); } }>"Cancel"</button>
            <button class="button button-primary" id="save-configuration"
                disabled=move || !changed() || pending.get()
                on:click=move |_| save_form(saving, form, checked, original, "Configuration")>
                {save_label(saving, "Save configuration")}
            </button>
        </div>
    }
    .into_any()
}

#[component]
fn QueryTab(group: Group) -> impl IntoView {
    let data = expect_context::<AppData>();
    let saving = save_action();
    let pending = saving.pending();
    let original = StoredValue::new(group.clone());
    let Some(form) = GroupForm::query_of(&group) else {
        return match &group.spec {
            crate::model::GroupSpec::Configuration(_) => {
                view! { <ConfigurationTab group=group.clone() /> }.into_any()
            }
            crate::model::GroupSpec::Query(q) => {
                view! { <pre class="code">{q.to_query_json()}</pre> }.into_any()
            }
            crate::model::GroupSpec::QueryAndConfiguration(q, _) => view! {
                <pre class="code">{q.to_query_json()}</pre>
                <ConfigurationTab group=group.clone() />
            }
            .into_any(),
        };
    };
    let beside = (!group.spec.configuration().is_empty()).then(|| group.clone());
    let form = RwSignal::new(resume(Scope::Query, &group, form).0);
    keep(form, original, || true);
    let checked = Memo::new(move |_| form.with(|f| f.check(|_| false)));
    let query = Memo::new(move |_| form.with(|f| f.draft.query()));
    let types = Memo::new(move |_| form.with(|f| f.draft.resource_types.text()));
    let rows = Memo::new(move |_| form.with(|f| f.draft.filters.clone()));
    let row_errors =
        Signal::derive(move || checked.with(|c| form.with(|f| f.row_errors(c, List::Filters))));
    // The types and the list of filters share one message, under the filters.
    let other_error = move || {
        checked.with(|c| {
            form.with(|f| {
                f.error(c, Part::ResourceTypes)
                    .or_else(|| f.error(c, Part::Filters))
            })
        })
    };
    let changed = move || original.with_value(|g| form.with(|f| f.changed(g)));
    view! {
        <p class="form-constraint">"As AWS stores it:"</p>
        <pre class="code">{move || query.with(|q| q.to_query_json())}</pre>
        <div class="form-field">
            <label class="form-label" for="query-types">"Resource types"</label>
            <input id="query-types" class="input" type="text" prop:value=move || types.get()
                on:input=move |ev| form.update(|f| f.draft.resource_types = ResourceTypes::Typed(event_target_value(&ev)))
                on:blur=move |_| { form.maybe_update(|f| f.touch(Part::ResourceTypes)); } />
        </div>
        <KeyValueRows
            id_prefix="filter"
            chips=true
            key_label="Filter key"
            value_label="Filter values"
            add_label="Add tag filter"
            rows=rows
            on_edit=Callback::new(move |edit| form.maybe_update(|f| f.edit_rows(List::Filters, edit)))
            row_errors=row_errors
            on_blur=Callback::new(move |_| form.maybe_update(|f| f.touch(Part::Filters)))
        />
        {move || other_error().map(|e| view! { <p class="form-error">{e}</p> })}
        <p class="preview" role="status">{move || {
            let idx = data.index.get().0;
            let n = query.with(|q| idx.matcher(q).count(&idx));
            format!("Preview: {n} of the {} resources in your inventory match this query.", idx.len())
        }}</p>
        <div class="form-actions">
            <button class="button button-primary" disabled=move || !changed() || pending.get()
                on:click=move |_| save_form(saving, form, checked, original, "Query")>{save_label(saving, "Save query")}</button>
        </div>
        {beside.map(|g| view! { <h3>"Service configuration"</h3><ConfigurationTab group=g /> })}
    }
    .into_any()
}

/// The group's own events, read like the activity page's (a `LocalResource` that re-reads on
/// every stored change), newest first.
#[component]
fn ActivityTab(name: String) -> impl IntoView {
    let data = expect_context::<AppData>();
    let filter = StoredValue::new(ActivityFilter {
        group_name: Some(name),
        event_name: None,
    });
    let events = LocalResource::new(move || {
        data.revision.track();
        let store = data.with_store();
        let filter = filter.get_value();
        async move {
            match store {
                Some(store) => store.activity(&filter).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let table = move |list: Vec<ActivityEvent>| {
        if list.is_empty() {
            return view! { <p>"No activity for this group."</p> }.into_any();
        }
        view! {
            <table class="table">
                <thead><tr><th scope="col">"Time"</th><th scope="col">"Event"</th><th scope="col">"Changed fields"</th><th scope="col">"Source"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|e| view! {
                        <tr>
                            <td>{browser::format_time(e.time)}</td>
                            <th scope="row">{e.event_name.to_string()}</th>
                            <td>{if e.fields.is_empty() { "—".to_owned() } else { e.fields.join(", ") }}</td>
                            <td>{e.source.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading activity…"</p> }>
            {move || Suspend::new(async move { table(events.await) })}
        </Transition>
    }
}

//! `/groups/new`: create a tag-based group. Inline validation per Cloudscape: constraint text
//! under each field, errors shown on blur and on submit, re-checked on every change once shown.
//! Sensitive data (the guard) blocks Create; in the description it is a warning that needs an
//! explicit "save anyway".

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::PageHeader;
use crate::model::error::Field;
use crate::model::query::ALL_SUPPORTED;
use crate::model::Group;
use crate::store::{ops, Source};
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::widgets::{
    ConfigFields, FormField, Highlight, KeyValueRows, LabelFields, TypePicker,
};
use crate::view::group_form::{
    Checked, Focus, GroupDraft, GroupForm, List, Part, QueryKind, ResourceTypes, RowEdit,
    RowMessages,
};

/// The element a failed submit focuses.
fn focus_id(focus: Focus) -> String {
    match focus {
        Focus::Name => "group-name".into(),
        Focus::Description => "group-description".into(),
        Focus::DisplayName => "group-display-name".into(),
        Focus::Owner => "group-owner".into(),
        Focus::Criticality => "group-criticality".into(),
        Focus::ResourceTypes => "type-search".into(),
        Focus::Stack => "group-stack".into(),
        Focus::FilterKey(id) => format!("filter-key-{id}"),
        Focus::FilterValues(id) => format!("filter-value-{id}"),
        Focus::Filters => "filter-add".into(),
        Focus::TagKey(id) => format!("tag-key-{id}"),
        Focus::TagValue(id) => format!("tag-value-{id}"),
        Focus::Tags => "tag-add".into(),
        Focus::Configuration => "group-pool".into(),
        Focus::SaveAnyway => "save-anyway".into(),
    }
}

#[component]
pub fn CreateGroupPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let navigate = use_navigate();

    // What to show comes from the form (`view::group_form`); this page and its sections render
    // it and send the events back.
    // "Copy to a new name" from the Data protection page starts from the group as found.
    let audit = expect_context::<crate::ui::audit::AuditCtl>();
    let copy = audit.copy.get_untracked().filter(|c| c.created.is_none());
    let taken_out = copy
        .as_ref()
        .map(|c| c.taken_out.sentence())
        .unwrap_or_default();
    let copying = copy.map(|c| c.start);
    let (start, start_types) = match &copying {
        Some(g) => (
            GroupForm::copy_of(g),
            g.query()
                .map(|q| q.resource_types().to_vec())
                .unwrap_or_default(),
        ),
        None => (GroupForm::new_group(), vec![ALL_SUPPORTED.to_owned()]),
    };
    let copying = copying.is_some();
    let form = RwSignal::new(start);
    // The type picker keeps its choice in a signal of its own; the draft follows it.
    let types = RwSignal::new(start_types);
    Effect::new(move |_| {
        let picked = ResourceTypes::Picked(types.get());
        form.update(|f| f.draft.resource_types = picked);
    });
    // Creating is an `Action`: its `pending` turns the button off ("Creating…"), so a double
    // click cannot create twice; on a failure the form keeps everything typed.
    let create = Action::new_unsync(move |g: &Group| {
        let g = g.clone();
        let navigate = navigate.clone();
        async move {
            let name = g.name.clone();
            let existing = data.groups.with_untracked(|gs| {
                gs.binary_search_by(|x| x.name.as_str().cmp(&name))
                    .ok()
                    .map(|i| gs[i].clone())
            });
            let now = js_sys::Date::now() as i64;
            let result = match ops::create_group(existing.as_ref(), g, now, Source::Local) {
                Ok(batch) => data.apply(batch).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) if copying => {
                    // The fix goes on where it started: deleting the original.
                    audit.copy.update(|c| {
                        if let Some(c) = c {
                            c.created = Some(name.clone());
                        }
                    });
                    flashes.push(
                        FlashKind::Success,
                        "Copy created",
                        format!("The group \u{201c}{name}\u{201d} was created. Delete the original to finish the fix."),
                    );
                    navigate("/data-protection", Default::default());
                }
                Ok(()) => {
                    flashes.push(
                        FlashKind::Success,
                        "Group created",
                        format!("The group \u{201c}{name}\u{201d} was created."),
                    );
                    // The router adds its base to app paths (unlike `<A>`): no `href` here.
                    navigate(&format!("/groups/{name}"), Default::default());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "The group was not created", e.to_string());
                }
            }
        }
    });
    let saving = create.pending();
    // The groups list is in name order: a taken name is a binary search, not a scan per key.
    let checked = Memo::new(move |_| {
        data.groups.with(|gs| {
            form.with(|f| {
                f.check(|name| gs.binary_search_by(|g| g.name.as_str().cmp(name)).is_ok())
            })
        })
    });
    let ctx = Ctx { form, checked };
    let guard_blocks = Memo::new(move |_| checked.with(Checked::guard_blocks));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = checked.get_untracked();
        match form.try_update(|f| f.submit(&c)) {
            Some(Ok(())) => {}
            Some(Err(focus)) => {
                crate::ui::browser::focus_id(&focus_id(focus));
                return;
            }
            None => return,
        }
        if !saving.get_untracked() {
            create.dispatch(form.with_untracked(|f| f.draft.to_group()));
        }
    };

    view! {
        <PageHeader title="Create group" description="A tag-based group collects the resources whose tags match its query." />
        {copying.then(|| view! {
            <div class="alert alert-info" role="status" id="copy-notice">
                "A copy of a group whose name holds sensitive data (names cannot be changed). "
                {(!taken_out.is_empty()).then(|| format!("Taken out of the copy, so that it is never shown: {taken_out}. "))}
                "Complete the name and anything left empty, then create the copy; you will then be asked to confirm deleting the original. "
                <button type="button" class="button button-link" on:click=move |_| { audit.copy.set(None); form.set(GroupForm::new_group()); types.set(vec![ALL_SUPPORTED.to_owned()]); }>"Cancel the copy"</button>
            </div>
        })}
        <form class="form" on:submit=submit novalidate=true
            data-unsaved=move || form.with(GroupForm::has_input).to_string()>
            <DetailsSection ctx=ctx />

            <QuerySection ctx=ctx types=types />

            <TagsSection ctx=ctx />

            <div class="form-actions">
                <a class="button button-normal" href=href("/groups")>"Cancel"</a>
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || guard_blocks.get() || saving.get()
                    aria-describedby="create-hint"
                >
                    {move || if saving.get() { "Creating…" } else { "Create group" }}
                </button>
            </div>
            <p id="create-hint" class="form-constraint form-actions-hint">
                {move || guard_blocks.get().then_some("Create is turned off while a field contains sensitive data.")}
            </p>
        </form>
    }
}

/// What the sections of the form share: the form and its checks, with the few ways the page
/// reads and changes them. Copy, so every section and closure can hold it.
#[derive(Clone, Copy)]
struct Ctx {
    form: RwSignal<GroupForm>,
    checked: Memo<Checked>,
}

impl Ctx {
    fn touch(self, part: Part) {
        self.form.maybe_update(|f| f.touch(part));
    }

    fn on_edit(self, list: List) -> Callback<RowEdit> {
        Callback::new(move |edit: RowEdit| self.form.maybe_update(|f| f.edit_rows(list, edit)))
    }

    fn field_error(self, part: Part) -> Signal<Option<String>> {
        Signal::derive(move || self.checked.with(|c| self.form.with(|f| f.error(c, part))))
    }

    fn row_errors(self, list: List) -> Signal<Vec<RowMessages>> {
        Signal::derive(move || {
            self.checked
                .with(|c| self.form.with(|f| f.row_errors(c, list)))
        })
    }

    /// One memo per field: typing in one leaves the others alone.
    fn text(self, pick: fn(&GroupDraft) -> &String) -> Memo<String> {
        Memo::new(move |_| self.form.with(|f| pick(&f.draft).clone()))
    }
}

/// Name and description (with its \u{201c}save anyway\u{201d} for a warning).
#[component]
fn DetailsSection(ctx: Ctx) -> impl IntoView {
    let name = ctx.text(|d| &d.name);
    let description = ctx.text(|d| &d.description);
    let name_error = ctx.field_error(Part::Name);
    let name_ranges = Signal::derive(move || ctx.checked.with(|c| c.marks(&Field::Name)));
    let description_warning =
        Signal::derive(move || ctx.checked.with(|c| c.warning(Part::Description)));
    let owner_warned =
        Signal::derive(move || ctx.checked.with(|c| c.warning(Part::Owner).is_some()));
    let (form, touch, field_error) = (ctx.form, move |p| ctx.touch(p), move |p| ctx.field_error(p));
    view! {
        <section class="container" aria-labelledby="details-title">
            <h2 id="details-title">"Group details"</h2>
            <FormField
                id="group-name"
                label="Name"
                constraint="1 to 128 characters: letters A–Z and a–z, digits, hyphens (-), underscores (_) and periods (.). It can't start with AWS or aws and can't be changed later."
                error=name_error
            >
                <div class="field-wrap">
                    <Highlight value=name ranges=name_ranges />
                    <input
                        id="group-name"
                        class="input input-over"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="group-name-constraint group-name-error"
                        aria-invalid=move || name_error.get().is_some().to_string()
                        prop:value=move || name.get()
                        on:input=move |ev| form.update(|f| f.draft.name = event_target_value(&ev))
                        on:blur=move |_| touch(Part::Name)
                    />
                </div>
            </FormField>
            <FormField
                id="group-description"
                label="Description - optional"
                constraint="Up to 512 characters: letters, digits, spaces, hyphens, underscores and periods. Private: never written to the activity log."
                error=field_error(Part::Description)
                warning=description_warning
            >
                <textarea
                    id="group-description"
                    class="input textarea"
                    rows="3"
                    aria-describedby="group-description-constraint group-description-error"
                    prop:value=move || description.get()
                    on:input=move |ev| form.update(|f| { f.draft.description = event_target_value(&ev); f.save_anyway = false; })
                    on:blur=move |_| touch(Part::Description)
                ></textarea>
            </FormField>
            <LabelFields form=ctx.form checked=ctx.checked prefix="group" saved=None />
            {move || {
                let described = description_warning.get().is_some();
                (described || owner_warned.get()).then(|| view! {
                    <label class="checkbox">
                        <input id="save-anyway" type="checkbox" prop:checked=move || form.with(|f| f.save_anyway) on:change=move |ev| form.update(|f| f.save_anyway = event_target_checked(&ev)) />
                        {if described { " Save the description anyway" } else { " Save with this owner anyway" }}
                    </label>
                })
            }}
        </section>
    }
}

/// The query: tag based or stack based, resource types, filters, and a live preview.
#[component]
fn QuerySection(ctx: Ctx, types: RwSignal<Vec<String>>) -> impl IntoView {
    let data = expect_context::<AppData>();
    let stack = ctx.text(|d| &d.stack);
    let kind = Memo::new(move |_| ctx.form.with(|f| f.draft.kind));
    let filter_rows = Memo::new(move |_| ctx.form.with(|f| f.draft.filters.clone()));
    let filters_error = ctx.field_error(Part::Filters);
    // Live preview over the inventory.
    let query = Memo::new(move |_| ctx.form.with(|f| f.draft.query()));
    let preview_count = move || {
        let idx = data.index.get().0;
        query.with(|q| idx.matcher(q).count(&idx))
    };
    let (form, touch, field_error) = (ctx.form, move |p| ctx.touch(p), move |p| ctx.field_error(p));
    let (on_edit, row_errors) = (move |l| ctx.on_edit(l), move |l| ctx.row_errors(l));
    view! {
        <section class="container" aria-labelledby="query-title">
            <h2 id="query-title">"Resource query"</h2>
            <fieldset class="radio-group">
                <legend class="form-label">"Group type"</legend>
                <label class="checkbox">
                    <input type="radio" name="group-kind" prop:checked=move || kind.get() == QueryKind::Tags on:change=move |_| form.update(|f| f.draft.kind = QueryKind::Tags) />
                    " Tag based"
                </label>
                <label class="checkbox">
                    <input type="radio" name="group-kind" prop:checked=move || kind.get() == QueryKind::Stack on:change=move |_| form.update(|f| f.draft.kind = QueryKind::Stack) />
                    " CloudFormation stack based"
                </label>
                <label class="checkbox">
                    <input type="radio" name="group-kind" id="group-kind-configuration" prop:checked=move || kind.get() == QueryKind::Configuration on:change=move |_| form.update(|f| f.draft.kind = QueryKind::Configuration) />
                    " Service configuration (an AWS service manages the members)"
                </label>
            </fieldset>
            <Show when=move || kind.get() == QueryKind::Configuration>
                <ConfigFields form=form checked=ctx.checked prefix="group" />
            </Show>
            <div class:hidden=move || kind.get() == QueryKind::Configuration>
            <TypePicker
                selected=types
                known=Signal::derive(move || {
                    let mut t: Vec<String> = data.resources.with(|rs| rs.iter().map(|r| r.resource_type.clone()).collect());
                    crate::sort::sort(&mut t);
                    t.dedup();
                    t
                })
                error=field_error(Part::ResourceTypes)
            />
            <Show when=move || kind.get() == QueryKind::Stack>
                <FormField
                    id="group-stack"
                    label="CloudFormation stack ARN"
                    constraint="The group collects the resources this stack created (in your inventory: those tagged aws:cloudformation:stack-id with this ARN)."
                    error=field_error(Part::Stack)
                >
                    <input
                        id="group-stack"
                        class="input mono"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="group-stack-constraint group-stack-error"
                        prop:value=move || stack.get()
                        on:input=move |ev| form.update(|f| f.draft.stack = event_target_value(&ev))
                        on:blur=move |_| touch(Part::Stack)
                    />
                </FormField>
            </Show>
            <div class:hidden=move || kind.get() == QueryKind::Stack>
            <h3 class="subheading">"Tag filters"</h3>
            <p class="form-constraint">"Resources must have every key of the filters and, where a filter has values, one of its values."</p>
            <KeyValueRows
                id_prefix="filter"
                chips=true
                key_label="Filter key"
                value_label="Filter values"
                add_label="Add tag filter"
                rows=filter_rows
                on_edit=on_edit(List::Filters)
                row_errors=row_errors(List::Filters)
                on_blur=Callback::new(move |_| touch(Part::Filters))
            />
            {move || filters_error.get().map(|e| view! { <p class="form-error">{e}</p> })}
            </div>
            <p class="preview" role="status">
                {move || {
                    let n = preview_count();
                    let total = data.resources.with(Vec::len);
                    format!("Preview: {n} of the {total} resources in your inventory match this query.")
                }}
            </p>
            </div>
        </section>
    }
}

/// The group's own tags.
#[component]
fn TagsSection(ctx: Ctx) -> impl IntoView {
    let tag_rows = Memo::new(move |_| ctx.form.with(|f| f.draft.tags.clone()));
    let tag_ranges = Signal::derive(move || ctx.checked.with(|c| c.row_marks(List::Tags)));
    let touch = move |p| ctx.touch(p);
    let (on_edit, row_errors) = (move |l| ctx.on_edit(l), move |l| ctx.row_errors(l));
    view! {
        <section class="container" aria-labelledby="tags-title">
            <h2 id="tags-title">"Group tags - optional"</h2>
            <KeyValueRows
                id_prefix="tag"
                row_ranges=tag_ranges
                key_label="Tag key"
                value_label="Tag value"
                add_label="Add tag"
                rows=tag_rows
                on_edit=on_edit(List::Tags)
                row_errors=row_errors(List::Tags)
                on_blur=Callback::new(move |_| touch(Part::Tags))
            />
        </section>
    }
}

//! `/groups/new`: create a tag-based group. Inline validation per Cloudscape: constraint text
//! under each field, errors shown on blur and on submit, re-checked on every change once shown.
//! Sensitive data (the guard) blocks Create; in the description it is a warning that needs an
//! explicit "save anyway".

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::PageHeader;
use crate::model::error::Field;
use crate::model::query::{ResourceQuery, TagFilter, ALL_SUPPORTED};
use crate::model::{Group, ValidationError};
use crate::store::{ops, Source};
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::widgets::{
    row_values, FormField, Highlight, KeyValueRows, Row, RowRanges, TypePicker,
};

fn first_error(errors: &[ValidationError], field: &Field, blocking: bool) -> Option<String> {
    errors
        .iter()
        .find(|e| &e.field == field && e.is_blocking() == blocking)
        .map(|e| e.message.clone())
}

#[component]
pub fn CreateGroupPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let navigate = use_navigate();

    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let types = RwSignal::new(vec![ALL_SUPPORTED.to_owned()]);
    let kind = RwSignal::new("tags");
    let stack = RwSignal::new(String::new());
    let filters = RwSignal::new(vec![Row::new(1, "", "")]);
    let tags = RwSignal::new(Vec::<Row>::new());
    let save_anyway = RwSignal::new(false);
    // Which fields show their errors: after the first blur, and all of them after a submit.
    let touched = RwSignal::new(std::collections::HashSet::<&'static str>::new());
    let submitted = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let shows = move |field: &'static str| submitted.get() || touched.with(|t| t.contains(field));
    let touch = move |field: &'static str| {
        touched.update(|t| {
            t.insert(field);
        })
    };

    let group = Memo::new(move |_| {
        let query = if kind.get() == "stack" {
            ResourceQuery::Stack {
                resource_types: types.get(),
                stack_identifier: Some(stack.get().trim().to_owned()).filter(|s| !s.is_empty()),
            }
        } else {
            ResourceQuery::Tags {
                resource_types: types.get(),
                tag_filters: filters
                    .get()
                    .iter()
                    .map(|r| TagFilter {
                        key: r.key.get().trim().to_owned(),
                        values: row_values(r),
                    })
                    .collect(),
            }
        };
        let mut g = Group::new(name.get().trim(), query);
        g.description = description.get();
        for r in tags.get() {
            g.tags.insert(r.key.get().trim().to_owned(), r.value.get());
        }
        g
    });
    let errors = Memo::new(move |_| {
        let g = group.get();
        let mut errors = g.validate();
        // Tag rows are checked as edited (duplicates included), not as the de-duplicated map.
        errors.retain(|e| !matches!(e.field, Field::TagKey(_) | Field::TagValue(_) | Field::Tags));
        let rows: Vec<(String, String)> = tags
            .get()
            .iter()
            .map(|r| (r.key.get().trim().to_owned(), r.value.get()))
            .collect();
        errors.extend(crate::model::group::check_tags(&rows));
        if kind.get() == "stack" && stack.with(|s| s.trim().is_empty()) {
            errors.push(ValidationError::new(
                Field::StackIdentifier,
                crate::model::ValidationProblem::Required,
                "Enter the ARN of the CloudFormation stack whose resources the group collects.",
            ));
        }
        if data.groups.with(|gs| gs.iter().any(|x| x.name == g.name)) {
            errors.push(ValidationError::new(
                Field::Name,
                crate::model::ValidationProblem::Duplicate,
                "A group with this name already exists. Choose another name.",
            ));
        }
        errors
    });
    let sensitive_block = Memo::new(move |_| {
        errors.with(|e| {
            e.iter().any(|e| {
                e.is_blocking()
                    && matches!(e.problem, crate::model::ValidationProblem::Sensitive { .. })
            })
        })
    });
    let field_error = move |field: Field, key: &'static str| {
        Signal::derive(move || {
            if shows(key) {
                errors.with(|e| first_error(e, &field, true))
            } else {
                None
            }
        })
    };
    // Byte ranges of guard findings in the name, for the highlight.
    let name_ranges = Signal::derive(move || {
        let raw = name.get();
        let offset = raw.len() - raw.trim_start().len();
        errors.with(|e| {
            e.iter()
                .filter(|e| e.field == Field::Name)
                .filter_map(|e| match &e.problem {
                    crate::model::ValidationProblem::Sensitive { range, .. } => {
                        Some(range.start + offset..range.end + offset)
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    // The same for the tag rows: (key, value) ranges per row.
    let tag_ranges = Signal::derive(move || {
        let rows = tags.get();
        errors.with(|e| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let key_offset = r.key.with(|k| k.len() - k.trim_start().len());
                    let pick = |field: Field, offset: usize| {
                        e.iter()
                            .filter(|e| e.field == field)
                            .filter_map(|e| match &e.problem {
                                crate::model::ValidationProblem::Sensitive { range, .. } => {
                                    Some(range.start + offset..range.end + offset)
                                }
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    };
                    (
                        pick(Field::TagKey(i), key_offset),
                        pick(Field::TagValue(i), 0),
                    )
                })
                .collect::<Vec<RowRanges>>()
        })
    });
    let description_warning =
        Signal::derive(move || errors.with(|e| first_error(e, &Field::Description, false)));
    let row_errors = |rows: RwSignal<Vec<Row>>,
                      key_field: fn(usize) -> Field,
                      value_field: fn(usize) -> Field,
                      key: &'static str| {
        Signal::derive(move || {
            let n = rows.with(Vec::len);
            (0..n)
                .map(|i| {
                    if !shows(key) {
                        return (None, None);
                    }
                    errors.with(|e| {
                        (
                            first_error(e, &key_field(i), true),
                            first_error(e, &value_field(i), true),
                        )
                    })
                })
                .collect()
        })
    };
    let filter_errors = row_errors(
        filters,
        Field::TagFilterKey,
        Field::TagFilterValues,
        "filters",
    );
    let tag_errors = row_errors(tags, Field::TagKey, Field::TagValue, "tags");

    // Live preview over the inventory.
    let preview_count = move || {
        let g = group.get();
        let q = g.query().cloned();
        q.map(|q| {
            let idx = data.index.get().0;
            idx.matcher(&q).count(&idx)
        })
        .unwrap_or(0)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let errs = errors.get_untracked();
        if let Some(first) = errs.iter().find(|e| e.is_blocking()) {
            let id = match first.field {
                Field::Name => "group-name".to_owned(),
                Field::Description => "group-description".to_owned(),
                Field::ResourceTypes => "type-search".to_owned(),
                Field::StackIdentifier => "group-stack".to_owned(),
                Field::TagFilterKey(i) | Field::TagFilterValues(i) => filters
                    .with_untracked(|r| r.get(i).map(|r| format!("filter-key-{}", r.id)))
                    .unwrap_or_default(),
                Field::TagKey(i) | Field::TagValue(i) => tags
                    .with_untracked(|r| r.get(i).map(|r| format!("tag-key-{}", r.id)))
                    .unwrap_or_default(),
                _ => "group-name".to_owned(),
            };
            crate::ui::browser::focus_id(&id);
            return;
        }
        if description_warning.get_untracked().is_some() && !save_anyway.get_untracked() {
            crate::ui::browser::focus_id("save-anyway");
            return;
        }
        let g = group.get_untracked();
        let name = g.name.clone();
        let navigate = navigate.clone();
        saving.set(true);
        leptos::task::spawn_local(async move {
            let existing = data
                .groups
                .with_untracked(|gs| gs.iter().find(|x| x.name == g.name).cloned());
            let result = match ops::create_group(
                existing.as_ref(),
                g,
                js_sys::Date::now() as i64,
                Source::Local,
            ) {
                Ok(batch) => data.apply(batch).await,
                Err(e) => Err(e),
            };
            saving.set(false);
            match result {
                Ok(()) => {
                    flashes.push(
                        FlashKind::Success,
                        "Group created",
                        format!("The group \u{201c}{name}\u{201d} was created."),
                    );
                    navigate(&href(&format!("/groups/{name}")), Default::default());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "The group was not created", e.to_string());
                }
            }
        });
    };

    view! {
        <PageHeader title="Create group" description="A tag-based group collects the resources whose tags match its query." />
        <form class="form" on:submit=submit novalidate=true>
            <section class="container" aria-labelledby="details-title">
                <h2 id="details-title">"Group details"</h2>
                <FormField
                    id="group-name"
                    label="Name"
                    constraint="1 to 128 characters: letters A–Z and a–z, digits, hyphens (-), underscores (_) and periods (.). It can't start with AWS or aws and can't be changed later."
                    error=field_error(Field::Name, "name")
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
                            aria-invalid=move || field_error(Field::Name, "name").get().is_some().to_string()
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                            on:blur=move |_| touch("name")
                        />
                    </div>
                </FormField>
                <FormField
                    id="group-description"
                    label="Description - optional"
                    constraint="Up to 512 characters: letters, digits, spaces, hyphens, underscores and periods. Private: never written to the activity log."
                    error=field_error(Field::Description, "description")
                    warning=description_warning
                >
                    <textarea
                        id="group-description"
                        class="input textarea"
                        rows="3"
                        aria-describedby="group-description-constraint group-description-error"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                        on:blur=move |_| touch("description")
                    ></textarea>
                </FormField>
                {move || description_warning.get().map(|_| view! {
                    <label class="checkbox">
                        <input id="save-anyway" type="checkbox" prop:checked=move || save_anyway.get() on:change=move |ev| save_anyway.set(event_target_checked(&ev)) />
                        " Save the description anyway"
                    </label>
                })}
            </section>

            <section class="container" aria-labelledby="query-title">
                <h2 id="query-title">"Resource query"</h2>
                <fieldset class="radio-group">
                    <legend class="form-label">"Group type"</legend>
                    <label class="checkbox">
                        <input type="radio" name="group-kind" prop:checked=move || kind.get() == "tags" on:change=move |_| kind.set("tags") />
                        " Tag based"
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="group-kind" prop:checked=move || kind.get() == "stack" on:change=move |_| kind.set("stack") />
                        " CloudFormation stack based"
                    </label>
                </fieldset>
                <TypePicker
                    selected=types
                    known=Signal::derive(move || {
                        let mut t: Vec<String> = data.resources.with(|rs| rs.iter().map(|r| r.resource_type.clone()).collect());
                        t.sort();
                        t.dedup();
                        t
                    })
                    error=field_error(Field::ResourceTypes, "types")
                />
                <Show when=move || kind.get() == "stack">
                    <FormField
                        id="group-stack"
                        label="CloudFormation stack ARN"
                        constraint="The group collects the resources this stack created (in your inventory: those tagged aws:cloudformation:stack-id with this ARN)."
                        error=field_error(Field::StackIdentifier, "stack")
                    >
                        <input
                            id="group-stack"
                            class="input mono"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby="group-stack-constraint group-stack-error"
                            prop:value=move || stack.get()
                            on:input=move |ev| stack.set(event_target_value(&ev))
                            on:blur=move |_| touch("stack")
                        />
                    </FormField>
                </Show>
                <div class:hidden=move || kind.get() == "stack">
                <h3 class="subheading">"Tag filters"</h3>
                <p class="form-constraint">"Resources must have every key of the filters and, where a filter has values, one of its values."</p>
                <KeyValueRows
                    id_prefix="filter"
            chips=true
                    key_label="Filter key"
                    value_label="Filter values"
                    add_label="Add tag filter"
                    rows=filters
                    max=50
                    row_errors=filter_errors
                    on_blur=Callback::new(move |_| touch("filters"))
                />
                {move || (shows("filters")).then(|| errors.with(|e| first_error(e, &Field::TagFilters, true))).flatten().map(|e| view! { <p class="form-error">{e}</p> })}
                </div>
                <p class="preview" role="status">
                    {move || {
                        let n = preview_count();
                        let total = data.resources.with(Vec::len);
                        format!("Preview: {n} of the {total} resources in your inventory match this query.")
                    }}
                </p>
            </section>

            <section class="container" aria-labelledby="tags-title">
                <h2 id="tags-title">"Group tags - optional"</h2>
                <KeyValueRows
                    id_prefix="tag"
                    row_ranges=tag_ranges
                    key_label="Tag key"
                    value_label="Tag value"
                    add_label="Add tag"
                    rows=tags
                    max=50
                    row_errors=tag_errors
                    on_blur=Callback::new(move |_| touch("tags"))
                />
            </section>

            <div class="form-actions">
                <a class="button button-normal" href=href("/groups")>"Cancel"</a>
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || sensitive_block.get() || saving.get()
                    aria-describedby="create-hint"
                >
                    {move || if saving.get() { "Creating…" } else { "Create group" }}
                </button>
            </div>
            <p id="create-hint" class="form-constraint form-actions-hint">
                {move || sensitive_block.get().then_some("Create is turned off while a field contains sensitive data.")}
            </p>
        </form>
    }
}

//! `/data-protection`: the audit's findings (see `ui::audit` and `view::audit`) — where, which
//! rule, how serious, and a masked excerpt that never shows the data — with filters, sort,
//! pages, the JSON export and "Run audit again". What the table shows is
//! `view::audit::FindingsView`; this component only renders it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::PageHeader;
use crate::guard::FindingKind;
use crate::ui::audit::AuditCtl;
use crate::ui::browser;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::widgets::{NoMatches, Pagination};
use crate::view::audit::{
    AuditFinding, Field, FindingsView, Place, Severity, SortBy, Subject, PLACE_KINDS,
};
use crate::view::audit_fix::{cut_matches, Fix};

#[component]
pub fn DataProtectionPage() -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let view = RwSignal::new(FindingsView::default());
    // The group being fixed in place (the panel above the table), if any.
    let fixing = RwSignal::new(None::<Subject>);
    // A newer report keeps the filters, the sort and (clamped) the page.
    Effect::new(move |_| {
        if let Some(r) = audit.report.get() {
            view.update(|v| v.replace(r.findings.clone()));
        }
    });

    view! {
        <PageHeader
            title="Data protection"
            description="Finds account numbers, card numbers, keys and tokens in everything this app holds or sends, and says where — never what was found."
        />
        <AuditSummary />
        <FinishCopy />
        {move || fixing.get().map(|subject| view! { <FixPanel subject=subject fixing=fixing /> })}
        <section class="container" aria-labelledby="findings-heading">
            <div class="table-header">
                <h2 id="findings-heading">
                    "Findings " <span class="counter" id="findings-count">{move || view.with(|v| if v.shown_len() == v.total() { format!("({})", v.total()) } else { format!("({} of {})", v.shown_len(), v.total()) })}</span>
                </h2>
            </div>
            <FindingFilters view=view />
            <FindingsTable view=view fixing=fixing />
        </section>
        <section class="container" aria-labelledby="scope-heading">
            <h2 id="scope-heading">"What the audit looks at"</h2>
            <ul class="plain-list">
                <li>"Groups in this browser: names, descriptions (an account number there is a warning, a key or token is a finding), tags, query keys and values, stack identifiers and configuration values."</li>
                <li>"The inventory's tags. The account ID inside an ARN, and AWS's own "<code>"aws:"</code>" tags that carry one, are how AWS names things and are not findings."</li>
                <li>"The backend URL in Settings, stored records that were set aside as quarantined, changes waiting to be sent, conflicts and recently deleted groups."</li>
                <li>"Groups on the backend that the last sync refused. They are held in memory only, until the tab closes; they are never stored here."</li>
            </ul>
            <p class="form-constraint">"The audit runs in this browser and sends nothing anywhere. The exported report lists places and rule names, never the values or excerpts."</p>
        </section>
    }
}

/// When the last audit ran, over what, and the two actions.
#[component]
fn AuditSummary() -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let flashes = expect_context::<Flashes>();
    let export = move |_| {
        let Some(json) = audit
            .report
            .with_untracked(|r| r.as_ref().map(|r| r.json.clone()))
        else {
            return;
        };
        let name = format!("group-console-audit-{}.json", browser::today());
        if let Err(e) = browser::download(&name, "application/json", &json) {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };
    let status = move || {
        if audit.running.get() {
            let (done, total) = audit.progress.get();
            return if total > 0 {
                format!("Auditing\u{2026} {done} of {total} records")
            } else {
                "Auditing\u{2026}".to_owned()
            };
        }
        if audit.unavailable.get() {
            return "The audit could not be loaded.".to_owned();
        }
        match audit.report.get() {
            None => "The audit has not run yet.".to_owned(),
            Some(r) => format!(
                "Audited {} group(s), {} resource(s) and {} other record(s) at {} in {} ms.",
                r.groups,
                r.resources,
                r.others,
                browser::format_time(r.at_ms),
                r.took_ms.round()
            ),
        }
    };
    let outcome = move || {
        audit.report.get().map(|r| {
            let total = r.findings.len();
            if total == 0 {
                view! { <div class="alert alert-success" role="status" id="audit-outcome">"No findings: nothing sensitive was found."</div> }.into_any()
            } else {
                let warnings = total - r.blocked;
                view! {
                    <div class="alert alert-warning" role="status" id="audit-outcome">
                        {format!("{total} finding(s): {} blocked, {warnings} warning(s). Blocked data cannot be saved or sent as it is; fix it where the table says.", r.blocked)}
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="container" aria-labelledby="audit-heading">
            <h2 id="audit-heading">"Audit"</h2>
            <p id="audit-status" role="status" aria-live="polite">{status}</p>
            {move || audit.unavailable.get().then(|| view! {
                <div class="alert alert-error" role="alert" id="audit-unavailable">
                    "The part of the app that runs the audit could not be fetched. Check your connection, then choose Run audit again."
                </div>
            })}
            {outcome}
            <div class="form-actions">
                <button type="button" id="audit-run" class="button button-primary" disabled=move || audit.running.get() on:click=move |_| audit.run_now()>"Run audit again"</button>
                <button type="button" id="audit-export" class="button button-normal" disabled=move || audit.report.with(Option::is_none) on:click=export>"Export report (JSON)"</button>
            </div>
        </section>
    }
}

/// Rule, severity and place menus, and text that searches places, fields, keys and rules
/// (never the masked data).
#[component]
fn FindingFilters(view: RwSignal<FindingsView>) -> impl IntoView {
    let rules = Memo::new(move |_| view.with(FindingsView::rule_options));
    let rule_value =
        move || view.with(|v| v.rule.map(|r| r.label().to_owned()).unwrap_or_default());
    view! {
        <div class="filters">
            <label class="form-label" for="findings-text">"Find"</label>
            <input id="findings-text" class="input" type="search" placeholder="Place, field, key or rule" autocomplete="off"
                prop:value=move || view.with(|v| v.text.clone())
                on:input=move |ev| view.update(|v| v.set_text(&event_target_value(&ev))) />
            <label class="form-label" for="findings-rule">"Rule"</label>
            <select id="findings-rule" class="input select" prop:value=rule_value
                on:change=move |ev| {
                    let label = event_target_value(&ev);
                    let rule = rules.get_untracked().into_iter().find(|r| r.label() == label);
                    view.update(|v| v.set_rule(rule));
                }>
                <option value="">"All rules"</option>
                {move || rules.get().into_iter().map(|r: FindingKind| view! { <option value=r.label()>{r.label()}</option> }).collect_view()}
            </select>
            <label class="form-label" for="findings-severity">"Severity"</label>
            <select id="findings-severity" class="input select"
                prop:value=move || view.with(|v| v.severity.map(|s| s.label()).unwrap_or_default())
                on:change=move |ev| {
                    let s = match event_target_value(&ev).as_str() {
                        "Blocked" => Some(Severity::Blocked),
                        "Warning" => Some(Severity::Warning),
                        _ => None,
                    };
                    view.update(|v| v.set_severity(s));
                }>
                <option value="">"All severities"</option>
                <option value="Blocked">"Blocked"</option>
                <option value="Warning">"Warning"</option>
            </select>
            <label class="form-label" for="findings-place">"Place"</label>
            <select id="findings-place" class="input select"
                prop:value=move || view.with(|v| v.place_kind.unwrap_or_default())
                on:change=move |ev| view.update(|v| v.set_place_kind(&event_target_value(&ev)))>
                <option value="">"All places"</option>
                {PLACE_KINDS.iter().map(|(k, label)| view! { <option value=*k>{*label}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// Where the finding can be fixed, when there is a page for it.
fn fix_link(f: &AuditFinding) -> Option<(String, &'static str)> {
    match &f.place {
        // Only when the name itself is not what was found (the address would show it).
        Place::Group(_) => f
            .open_group
            .as_ref()
            .map(|name| (href(&format!("/groups/{name}")), "Open group")),
        Place::Resource(_) => Some((href("/resources"), "Open resources")),
        // Sync, quarantined records and recently deleted groups are all under Settings.
        Place::Settings
        | Place::BackendGroup(_)
        | Place::Outbox(_)
        | Place::Conflict(_)
        | Place::Quarantined(..)
        | Place::Deleted(_) => Some((href("/settings"), "Open settings")),
    }
}

/// Whether the group of `subject` has a finding in its name (then only a copy fixes it).
fn name_is_flagged(audit: AuditCtl, subject: &Subject) -> bool {
    audit.report.with_untracked(|r| {
        r.as_ref().is_some_and(|r| {
            r.findings
                .iter()
                .any(|f| f.field == Field::Name && f.subject.as_ref() == Some(subject))
        })
    })
}

/// The action of a finding's row: a fix on this page, else a link to where it can be fixed.
fn fix_action(f: &AuditFinding, fixing: RwSignal<Option<Subject>>) -> AnyView {
    let audit = expect_context::<AuditCtl>();
    let flashes = expect_context::<Flashes>();
    let Some(subject) = f.subject.clone() else {
        return fix_link(f)
            .map(|(to, label)| view! { <A href=to>{label}</A> }.into_any())
            .unwrap_or_else(|| "\u{2014}".into_any());
    };
    if name_is_flagged(audit, &subject) {
        let navigate = use_navigate();
        let start = move |_| {
            let subject = subject.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                match audit.start_copy(&subject).await {
                    Ok(()) => navigate("/groups/new", Default::default()),
                    Err(e) => {
                        flashes.push(FlashKind::Error, "Cannot copy this group", e);
                    }
                }
            });
        };
        view! { <button type="button" class="button button-normal button-small" on:click=start>"Copy to a new name"</button> }.into_any()
    } else {
        let open = move |_| {
            fixing.set(Some(subject.clone()));
            request_animation_frame(|| browser::focus_id("fix-title"));
        };
        let link = fix_link(f).map(|(to, label)| view! { " " <A href=to>{label}</A> });
        view! { <button type="button" class="button button-normal button-small" on:click=open>"Fix"</button>{link} }.into_any()
    }
}

#[component]
fn FindingsTable(view: RwSignal<FindingsView>, fixing: RwSignal<Option<Subject>>) -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let rows = Memo::new(move |_| view.with(FindingsView::page_rows));
    let info = Memo::new(move |_| view.with(FindingsView::info));
    let header = move |label: &'static str, by: SortBy| {
        let aria = move || {
            view.with(|v| {
                if v.sort.unwrap_or(SortBy::Severity) == by {
                    "ascending"
                } else {
                    "none"
                }
            })
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button class="sort-button" on:click=move |_| view.update(|v| v.set_sort(by))>
                    {label}
                    <span class="sort-icon" aria-hidden="true">{move || if aria() == "ascending" { "\u{25b2}" } else { "\u{2195}" }}</span>
                </button>
            </th>
        }
    };
    let body = move || {
        rows.get()
            .into_iter()
            .map(|f| {
                let field = match &f.key {
                    Some(k) => format!("{} of \u{201c}{k}\u{201d}", f.field.label()),
                    None => f.field.label().to_owned(),
                };
                let severity_class = match f.severity {
                    Severity::Blocked => "badge badge-error",
                    Severity::Warning => "badge badge-warning",
                };
                let link = fix_action(&f, fixing);
                view! {
                    <tr>
                        <td><span class=severity_class>{f.severity.label()}</span></td>
                        <td>{f.rule.label()}</td>
                        <th scope="row" class="cell-name"><bdi>{f.place.label()}</bdi></th>
                        <td><bdi>{field}</bdi></td>
                        <td><code class="excerpt"><bdi>{f.excerpt.clone()}</bdi></code></td>
                        <td>{link}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    move || {
        if audit.report.with(Option::is_none) {
            if audit.unavailable.get() {
                return view! { <p id="audit-no-report">"Nothing to list until the audit runs."</p> }
                    .into_any();
            }
            return view! { <p class="loading" role="status">"The audit is running\u{2026}"</p> }
                .into_any();
        }
        if view.with(|v| v.total() == 0) {
            return view! {
                <div class="empty-state"><h3>"No findings"</h3><p>"Nothing this app holds or sends contains what the guard looks for."</p></div>
            }
            .into_any();
        }
        if view.with(|v| v.shown_len() == 0) {
            return view! { <NoMatches title="No matching findings" on_clear=Callback::new(move |()| view.update(FindingsView::clear_filters)) /> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table class="table" id="findings-table" aria-labelledby="findings-heading">
                    <thead>
                        <tr>
                            {header("Severity", SortBy::Severity)}
                            {header("Rule", SortBy::Rule)}
                            {header("Where", SortBy::Place)}
                            <th scope="col">"Field"</th>
                            <th scope="col">"Excerpt (masked)"</th>
                            <th scope="col">"Fix"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="form-constraint">{move || format!("Findings {}", info.get().label())}</p>
            <Pagination page=Signal::derive(move || info.get().page) pages=Signal::derive(move || info.get().page_count)
                on_page=Callback::new(move |p| view.update(|v| v.set_page(p))) />
        }
        .into_any()
    }
}

/// One part of a group to fix, with what the person types.
#[derive(Clone)]
struct FixRow {
    finding: AuditFinding,
    text: RwSignal<String>,
    remove: RwSignal<bool>,
}

impl FixRow {
    /// The change this row asks for, or `None` for a part not fixed on this page.
    fn fix(&self) -> Option<Fix> {
        let key = self.finding.at.key.clone();
        let text = self.text.get_untracked();
        let typed = (!self.remove.get_untracked() && !text.trim().is_empty()).then_some(text);
        Some(match self.finding.field {
            Field::TagValue => Fix::TagValue {
                key: key?,
                value: typed,
            },
            Field::TagKey => Fix::TagKey {
                key: key?,
                new: typed,
            },
            Field::QueryValue => Fix::QueryValue {
                key: key?,
                index: self.finding.at.index?,
                value: typed,
            },
            Field::QueryKey => Fix::QueryKey {
                key: key?,
                new: typed,
            },
            Field::Description => Fix::Description(self.text.get_untracked()),
            _ => return None,
        })
    }

    fn label(&self) -> String {
        let f = &self.finding;
        let key = f.key.as_ref().map(|k| k.shown.clone()).unwrap_or_default();
        match f.field {
            Field::TagValue => format!("New value of the tag \u{201c}{key}\u{201d}"),
            Field::TagKey => "New key of the tag (empty removes the tag)".to_owned(),
            Field::QueryValue => format!(
                "New value for the query key \u{201c}{key}\u{201d} (empty removes the value)"
            ),
            Field::QueryKey => "New query key (empty removes the filter)".to_owned(),
            Field::Description => "Description (what was found has been taken out)".to_owned(),
            other => format!("The {}", other.label()),
        }
    }
}

/// Fixes every finding of one group in place, together: the group is saved (or sent) only
/// once the model and the guard accept all of it.
#[component]
fn FixPanel(subject: Subject, fixing: RwSignal<Option<Subject>>) -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let flashes = expect_context::<Flashes>();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // One row per part (two rules in one value are one fix).
    let mut rows: Vec<FixRow> = Vec::new();
    let findings = audit.report.with_untracked(|r| {
        r.as_ref()
            .map(|r| {
                r.findings
                    .iter()
                    .filter(|f| f.subject.as_ref() == Some(&subject))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    for f in findings {
        if !rows
            .iter()
            .any(|r| r.finding.field == f.field && r.finding.at == f.at)
        {
            rows.push(FixRow {
                finding: f,
                text: RwSignal::new(String::new()),
                remove: RwSignal::new(false),
            });
        }
    }
    // The description starts as it is, with what was found cut out; until it has been read,
    // Save stays off (an empty editor saved would wipe the description).
    let loading = RwSignal::new(false);
    if let Some(desc) = rows
        .iter()
        .find(|r| r.finding.field == Field::Description)
        .map(|r| r.text)
    {
        loading.set(true);
        let subject = subject.clone();
        spawn_local(async move {
            match audit.group_of(&subject).await {
                Some((g, _)) => {
                    desc.try_set(cut_matches(&g.description));
                    loading.try_set(false);
                }
                None => {
                    error.try_set(Some(
                        "This group is no longer there: run the audit again.".into(),
                    ));
                }
            }
        });
    }
    let title = subject_title(&rows);
    let rows = StoredValue::new(rows);
    let save_subject = subject.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fixes: Vec<Fix> = rows.with_value(|rs| rs.iter().filter_map(FixRow::fix).collect());
        let subject = save_subject.clone();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match audit.fix_in_place(&subject, &fixes).await {
                Ok(message) => {
                    flashes.push(FlashKind::Success, "Fixed", message);
                    fixing.set(None);
                }
                Err(e) => {
                    error.set(Some(e));
                }
            }
            pending.try_set(false);
        });
    };
    let fields = rows.with_value(|rs| {
        rs.iter()
            .enumerate()
            .map(|(i, row)| {
                let id = format!("fix-{i}");
                let label = row.label();
                let was = row.finding.excerpt.clone();
                let (text, remove) = (row.text, row.remove);
                let fixable = row.fix().is_some();
                let removable = matches!(row.finding.field, Field::TagValue);
                if !fixable {
                    return view! {
                        <p class="form-constraint">{format!("The {} cannot be fixed here: change it with the AWS CLI or console.", row.finding.field.label())}</p>
                    }
                    .into_any();
                }
                let control = if row.finding.field == Field::Description {
                    view! { <textarea id=id.clone() class="input textarea" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea> }.into_any()
                } else {
                    view! { <input id=id.clone() class="input" type="text" autocomplete="off" disabled=move || remove.get() prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) /> }.into_any()
                };
                let remove_id = format!("{id}-remove");
                view! {
                    <div class="form-field">
                        <label class="form-label" for=id.clone()>{label}</label>
                        <p class="form-constraint">"Now: " <code class="excerpt"><bdi>{was}</bdi></code></p>
                        {control}
                        {removable.then(|| view! {
                            <label class="checkbox" for=remove_id.clone()>
                                <input id=remove_id.clone() type="checkbox" prop:checked=move || remove.get() on:change=move |ev| remove.set(event_target_checked(&ev)) />
                                " Remove the tag"
                            </label>
                        })}
                    </div>
                }
                .into_any()
            })
            .collect_view()
    });
    let backend = matches!(subject, Subject::Backend(_));
    let host = audit
        .sync_host()
        .unwrap_or_else(|| "the backend".to_owned());
    view! {
        <section class="container" id="fix-panel" aria-labelledby="fix-title">
            <h2 id="fix-title" tabindex="-1">{title}</h2>
            <p>{if backend {
                format!("This group is on the backend and was not taken by the last sync. Saving sends its name and the parts you change to {host}, then the group is synced here.")
            } else {
                "Type what should be there instead. Every finding of the group is fixed together, and nothing is saved until all of it passes the checks.".to_owned()
            }}</p>
            <form class="form" on:submit=save novalidate=true>
                {fields}
                <div aria-live="polite">{move || error.get().map(|e| view! { <p class="form-error" id="fix-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}</div>
                <div class="form-actions">
                    <button type="button" class="button button-normal" on:click=move |_| fixing.set(None)>"Cancel"</button>
                    <button type="submit" id="fix-save" class="button button-primary" disabled=move || pending.get() || loading.get()>{move || if pending.get() { "Saving\u{2026}" } else { "Save fix" }}</button>
                </div>
            </form>
        </section>
    }
}

/// "Fix group web" (the masked name, as the table shows it).
fn subject_title(rows: &[FixRow]) -> String {
    let shown = rows
        .first()
        .map(|r| r.finding.place.label())
        .unwrap_or_else(|| "this group".to_owned());
    format!("Fix {shown}")
}

/// After the create form made the copy: delete the original, after a typed confirmation.
#[component]
fn FinishCopy() -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let flashes = expect_context::<Flashes>();
    let confirm = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let finish = move |_| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match audit.finish_copy().await {
                Ok(message) => {
                    flashes.push(FlashKind::Success, "Fixed", message);
                    confirm.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.try_set(false);
        });
    };
    move || {
        let copy = audit.copy.get()?;
        let created = copy.created.clone()?;
        let original = crate::view::audit::Name::of(copy.subject.name()).shown;
        Some(view! {
            <section class="container" id="finish-copy" aria-labelledby="finish-copy-title">
                <h2 id="finish-copy-title">"Finish the fix: delete the original"</h2>
                <div class="alert alert-info" role="status">
                    {format!("The copy \u{201c}{created}\u{201d} was created. Deleting the original \u{201c}{original}\u{201d} finishes the fix{}.", match audit.sync_host() { Some(host) => format!(" (with sync on, the copy — its name, query, tags and description — is sent to {host} first, and the original is deleted there only once the backend has it)"), None => String::new() })}
                </div>
                <div class="form-field">
                    <label class="form-label" for="finish-copy-confirm">"To delete the original, type \u{201c}delete\u{201d}"</label>
                    <input id="finish-copy-confirm" class="input" type="text" autocomplete="off" prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev)) />
                </div>
                <div aria-live="polite">{move || error.get().map(|e| view! { <p class="form-error" id="finish-copy-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}</div>
                <div class="form-actions">
                    <button type="button" class="button button-normal" on:click=move |_| audit.copy.set(None)>"Keep both"</button>
                    <button type="button" id="finish-copy-delete" class="button button-danger" disabled=move || confirm.get() != "delete" || pending.get() on:click=finish>
                        {move || if pending.get() { "Deleting\u{2026}" } else { "Delete the original" }}
                    </button>
                </div>
            </section>
        })
    }
}

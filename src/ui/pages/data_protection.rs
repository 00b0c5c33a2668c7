//! `/data-protection`: the audit's findings (see `ui::audit` and `view::audit`) — where, which
//! rule, how serious, and a masked excerpt that never shows the data — with filters, sort,
//! pages, the JSON export and "Run audit again". What the table shows is
//! `view::audit::FindingsView`; this component only renders it.

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::guard::FindingKind;
use crate::ui::audit::AuditCtl;
use crate::ui::browser;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::widgets::{NoMatches, Pagination};
use crate::view::audit::{AuditFinding, FindingsView, Place, Severity, SortBy, PLACE_KINDS};

#[component]
pub fn DataProtectionPage() -> impl IntoView {
    let audit = expect_context::<AuditCtl>();
    let view = RwSignal::new(FindingsView::default());
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
        <section class="container" aria-labelledby="findings-heading">
            <div class="table-header">
                <h2 id="findings-heading">
                    "Findings " <span class="counter" id="findings-count">{move || view.with(|v| if v.shown_len() == v.total() { format!("({})", v.total()) } else { format!("({} of {})", v.shown_len(), v.total()) })}</span>
                </h2>
            </div>
            <FindingFilters view=view />
            <FindingsTable view=view />
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

#[component]
fn FindingsTable(view: RwSignal<FindingsView>) -> impl IntoView {
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
                let link = fix_link(&f).map(|(to, label)| view! { <A href=to>{label}</A> });
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

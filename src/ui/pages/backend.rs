//! Settings → Backend: where to sync (an AWS region, optionally FIPS, or a custom URL), the
//! credentials (memory only), and the sync status with "Sync now" and an interval.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::sync::endpoint::{EndpointChoice, REGIONS};
use crate::sync::outgoing::{Ask, Outgoing};
use crate::sync::sigv4::Credentials;
use crate::ui::browser;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::links::href;
use crate::ui::sync::{field_list, SyncCtl};
use crate::ui::widgets::FormField;
use crate::view::endpoint_form::{current_line, EndpointDraft};

const INTERVALS: [(u32, &str); 5] = [
    (0, "Off"),
    (1, "Every minute"),
    (5, "Every 5 minutes"),
    (15, "Every 15 minutes"),
    (60, "Every hour"),
];

#[component]
pub fn BackendSettings() -> impl IntoView {
    view! {
        <EndpointForm />
        <CredentialsForm />
        <SyncPanel />
    }
}

fn no_error() -> Option<String> {
    None
}

#[component]
fn EndpointForm() -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    let flashes = expect_context::<Flashes>();
    // The draft and its rules are `view::endpoint_form`'s; this renders them.
    let draft = RwSignal::new(EndpointDraft::of(
        ctl.view.with_untracked(|v| v.endpoint.clone()).as_ref(),
    ));
    // The stored endpoint arrives after the page may have rendered: take it once.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let saved = ctl.view.with(|v| v.endpoint.clone());
        draft.update(|d| {
            d.take(saved.as_ref());
        });
        saved.is_some()
    });
    let custom = Memo::new(move |_| draft.with(|d| d.custom));
    let region = Memo::new(move |_| draft.with(|d| d.region.clone()));
    let fips = Memo::new(move |_| draft.with(|d| d.fips));
    let url = Memo::new(move |_| draft.with(|d| d.url.clone()));
    let resolved = Memo::new(move |_| draft.with(EndpointDraft::resolve));
    let url_error = Signal::derive(move || draft.with(EndpointDraft::url_error));
    let url_warning = Signal::derive(move || draft.with(|d| d.url_warning().map(str::to_owned)));
    // Saving is an `Action`: its `pending` turns the button off until the store has written.
    let save_backend = Action::new_unsync(move |c: &EndpointChoice| {
        let c = c.clone();
        async move {
            match ctl.save_endpoint(c).await {
                Ok(()) => {
                    flashes.push(
                        FlashKind::Success,
                        "Sync is on",
                        "Your changes now also go to the outbox and are sent to the backend when you sync.",
                    );
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Backend not saved", e);
                }
            }
        }
    });
    let saving = save_backend.pending();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        draft.update(|d| d.touched = true);
        let c = draft.with_untracked(EndpointDraft::choice);
        if let Err(e) = c.resolve() {
            if !custom.get_untracked() {
                flashes.push(FlashKind::Error, "Backend not saved", e.to_string());
            } else {
                browser::focus_id("backend-url");
            }
            return;
        }
        if !saving.get_untracked() {
            save_backend.dispatch(c);
        }
    };
    let turn_off = move |_| {
        leptos::task::spawn_local(async move {
            match ctl.turn_off().await {
                Ok(()) => flashes.push(
                    FlashKind::Info,
                    "Sync is off",
                    "Local mode: changes stay in this browser. Pending changes wait in the outbox until you turn sync on again.",
                ),
                Err(e) => flashes.push(FlashKind::Error, "Sync could not be turned off", e),
            };
        });
    };
    let enabled = move || ctl.view.with(|v| v.enabled);

    view! {
        <section class="container" aria-labelledby="backend-title">
            <h2 id="backend-title">"Backend"</h2>
            <p>
                "Local is the default. To sync, choose a backend that speaks the AWS Resource Groups API: AWS itself (where the endpoint allows calls from a browser), a proxy in front of it, or a compatible server."
            </p>
            <p id="backend-current" class="storage-mode">
                {move || ctl.view.with(|v| current_line(v.enabled, v.endpoint.as_ref()))}
            </p>
            <form on:submit=save novalidate>
                <fieldset class="form-field">
                    <legend class="form-label">"Endpoint"</legend>
                    <label class="checkbox">
                        <input type="radio" id="backend-kind-aws" name="backend-kind" prop:checked=move || !custom.get() on:change=move |_| draft.update(|d| d.custom = false) />
                        " AWS region"
                    </label>
                    <label class="checkbox">
                        <input type="radio" id="backend-kind-custom" name="backend-kind" prop:checked=move || custom.get() on:change=move |_| draft.update(|d| d.custom = true) />
                        " Custom URL"
                    </label>
                </fieldset>
                <FormField id="backend-region" label="Region" constraint="The region requests are signed for (SigV4)." error=no_error>
                    <select id="backend-region" class="input" on:change=move |ev| draft.update(|d| d.region = event_target_value(&ev))>
                        {REGIONS.iter().map(|r| view! { <option value=*r selected=move || region.get() == *r>{*r}</option> }).collect_view()}
                    </select>
                </FormField>
                <Show when=move || !custom.get()>
                    <label class="checkbox">
                        <input type="checkbox" id="backend-fips" prop:checked=move || fips.get() on:change=move |ev| draft.update(|d| d.fips = event_target_checked(&ev)) />
                        " Use the FIPS endpoint"
                    </label>
                    <p class="form-constraint">{move || resolved.get().ok().map(|e| e.base_url)}</p>
                </Show>
                <Show when=move || custom.get()>
                    <FormField id="backend-url" label="Backend URL"
                        constraint="https:// only; http:// is allowed for this computer (localhost, 127.0.0.1, ::1). No user name, password, token, query string or fragment."
                        error=url_error warning=url_warning>
                        <input id="backend-url" class="input" type="url" autocomplete="off" spellcheck="false"
                            aria-describedby="backend-url-constraint backend-url-error"
                            aria-invalid=move || if url_error.with(Option::is_some) { "true" } else { "false" }
                            prop:value=move || url.get()
                            on:input=move |ev| draft.update(|d| d.url = event_target_value(&ev))
                            on:blur=move |_| draft.update(|d| d.touched = true) />
                    </FormField>
                </Show>
                <div class="form-actions">
                    {move || enabled().then(|| view! {
                        <button type="button" id="backend-off" class="button button-normal" on:click=turn_off>"Turn off sync"</button>
                    })}
                    <button type="submit" id="backend-save" class="button button-primary" disabled=move || saving.get()>
                        {move || if enabled() { "Save backend" } else { "Save and turn on sync" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn CredentialsForm() -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    let key_id = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let key_error = Signal::derive(move || {
        if !tried.get() {
            return None;
        }
        let k = key_id.get();
        let k = k.trim();
        if k.is_empty() {
            Some("Enter the access key ID.".to_owned())
        } else if k.len() < 16 || k.len() > 128 || !k.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Some("An access key ID is 16 to 128 letters and digits (AKIA… or ASIA…).".to_owned())
        } else {
            None
        }
    });
    let secret_error = Signal::derive(move || {
        (tried.get() && secret.with(|s| s.trim().is_empty()))
            .then(|| "Enter the secret access key.".to_owned())
    });
    let sign_in = move || {
        tried.set(true);
        if key_error.get_untracked().is_some() || secret_error.get_untracked().is_some() {
            return;
        }
        let t = token.get_untracked().trim().to_owned();
        ctl.sign_in(Credentials {
            access_key_id: key_id.get_untracked().trim().to_owned(),
            secret_access_key: secret.get_untracked().trim().to_owned(),
            session_token: (!t.is_empty()).then_some(t),
        });
        // The form keeps no copy.
        key_id.set(String::new());
        secret.set(String::new());
        token.set(String::new());
        tried.set(false);
    };
    let signed_in = move || ctl.view.with(|v| v.signed_in);

    view! {
        <section class="container" aria-labelledby="credentials-title">
            <h2 id="credentials-title">"Backend credentials"</h2>
            <div class="alert alert-info" role="note">
                "Credentials are held in memory only, in this tab: they are never written to this device (not to IndexedDB, not to local storage), never logged and never put in an error message. After a reload you are asked again. Prefer temporary credentials (with a session token) from MFA or SSO."
            </div>
            {move || if signed_in() {
                view! {
                    <p id="cred-status">{move || format!("Signed in with access key {}.", ctl.view.with(|v| v.key_hint.clone()))}</p>
                    <button type="button" id="cred-sign-out" class="button button-normal" on:click=move |_| ctl.sign_out()>"Forget credentials"</button>
                }.into_any()
            } else {
                // Not a <form> and no type=password: password managers (Chrome, Safari, 1Password,
                // Bitwarden, LastPass) offer to save exactly that pair when it disappears after a
                // submit, and a saved AWS secret is what this form promises not to keep. The
                // secret fields are text inputs masked with CSS (`-webkit-text-security`, in
                // every browser we support), with each manager's "ignore" attribute, and Enter
                // in any field signs in.
                let on_enter = move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        sign_in();
                    }
                };
                view! {
                    <div id="cred-form" role="group" aria-labelledby="credentials-title" on:keydown=on_enter>
                        <FormField id="cred-key-id" label="Access key ID" error=key_error>
                            <input id="cred-key-id" class="input mono" type="text" name="gc-key-id" autocomplete="off" spellcheck="false"
                                autocapitalize="off" data-1p-ignore="true" data-lpignore="true" data-bwignore="true" data-form-type="other"
                                aria-invalid=move || if key_error.with(Option::is_some) { "true" } else { "false" }
                                prop:value=move || key_id.get() on:input=move |ev| key_id.set(event_target_value(&ev)) />
                        </FormField>
                        <FormField id="cred-secret" label="Secret access key" error=secret_error>
                            <input id="cred-secret" class="input mono masked" type="text" name="gc-secret" autocomplete="off" spellcheck="false"
                                autocapitalize="off" data-1p-ignore="true" data-lpignore="true" data-bwignore="true" data-form-type="other"
                                aria-invalid=move || if secret_error.with(Option::is_some) { "true" } else { "false" }
                                prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev)) />
                        </FormField>
                        <FormField id="cred-token" label="Session token (optional)" constraint="For temporary credentials." error=no_error>
                            <input id="cred-token" class="input mono masked" type="text" name="gc-token" autocomplete="off" spellcheck="false"
                                autocapitalize="off" data-1p-ignore="true" data-lpignore="true" data-bwignore="true" data-form-type="other"
                                prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev)) />
                        </FormField>
                        <div class="form-actions">
                            <button type="button" id="cred-sign-in" class="button button-primary" on:click=move |_| sign_in()>"Use these credentials"</button>
                        </div>
                    </div>
                }.into_any()
            }}
            <div class="form-field">
                <label class="form-label" for="cred-idle">"Forget credentials after"</label>
                <select id="cred-idle" class="input" on:change=move |ev| {
                    if let Ok(m) = event_target_value(&ev).parse() { ctl.set_idle_minutes(m) }
                }>
                    {crate::ui::sync::IDLE_CHOICES.iter().map(|m| {
                        let m = *m;
                        let label = if m < 60 { format!("{m} minutes without use") } else { format!("{} hours without use", m / 60) };
                        view! { <option value=m.to_string() selected=move || ctl.view.with(|v| v.idle_min == m)>{label}</option> }
                    }).collect_view()}
                </select>
                <p class="form-constraint">"They are also forgotten when this tab is closed or navigated away."</p>
            </div>
        </section>
    }
}

#[component]
fn SyncPanel() -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    // "What will be sent?" (nothing is asked or sent).
    let preview = RwSignal::new(None::<Outgoing>);
    let status = move || {
        ctl.view.with(|v| {
            crate::view::sync_status::status_line(crate::view::sync_status::StatusInput {
                enabled: v.enabled,
                running: v.running,
                progress: v.progress,
                other_tab: v.other_tab.as_deref(),
                last_error: v.last_error.as_deref(),
                signed_in: v.signed_in,
            })
        })
    };
    let last = move || {
        ctl.view
            .with(|v| v.last_success)
            .map(browser::format_time)
            .unwrap_or_else(|| "never".into())
    };
    view! {
        <section class="container" aria-labelledby="sync-title">
            <h2 id="sync-title">"Sync"</h2>
            <dl class="key-values">
                <div><dt>"Status"</dt><dd><span id="sync-status" role="status" aria-live="polite" data-runs=move || ctl.view.with(|v| v.runs.to_string())>{status}</span></dd></div>
                <div><dt>"Groups with pending changes"</dt><dd id="sync-pending">{move || ctl.view.with(|v| if v.records_unread { "unknown".to_owned() } else { v.pending.len().to_string() })}</dd></div>
                <div><dt>"Conflicts"</dt><dd id="sync-conflicts">{move || ctl.view.with(|v| v.conflicts.len())}</dd></div>
                <div><dt>"Last successful sync"</dt><dd id="sync-last">{last}</dd></div>
            </dl>
            {move || {
                let refused: Vec<(String, String)> = ctl.view.with(|v| {
                    v.refused.iter().map(|(n, m)| (n.clone(), m.clone())).collect()
                });
                (!refused.is_empty()).then(|| view! {
                    <div class="alert alert-warning" id="sync-refused">
                        <p>"Changes the backend refused (they stay in the outbox; change the group, then sync again):"</p>
                        <ul class="plain-list">
                            {refused.into_iter().map(|(n, m)| {
                                let link = href(&format!("/groups/{n}"));
                                view! { <li><A href=link>{n}</A>": "{m}</li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            {move || {
                let names: Vec<String> = ctl.view.with(|v| v.conflicts.iter().cloned().collect());
                (!names.is_empty()).then(|| view! {
                    <div class="alert alert-warning" id="sync-conflict-list">
                        <p>"Groups in conflict (open one to choose which version to keep):"</p>
                        <ul class="plain-list">
                            {names.into_iter().map(|n| {
                                let link = href(&format!("/groups/{n}"));
                                view! { <li><A href=link>{n}</A></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            {move || {
                let tombs: Vec<_> = ctl.view.with(|v| {
                    v.tombstones
                        .iter()
                        .filter(|t| t.by == crate::store::DeletedBy::Sync)
                        .cloned()
                        .collect()
                });
                (!tombs.is_empty()).then(|| view! {
                    <div class="alert alert-info" id="sync-tombstones" role="region" aria-labelledby="tombstones-title">
                        <h3 id="tombstones-title">"Deleted here by sync"</h3>
                        <p>"These groups were deleted in this browser because the backend no longer had them. Each stays restorable for 30 days; restoring creates it again here and, with the next sync, on the backend."</p>
                        <table class="table">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Deleted"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                            <tbody>
                                {tombs.into_iter().map(|t| {
                                    let name = t.group.name.clone();
                                    let label = format!("Restore {name}");
                                    view! {
                                        <tr>
                                            <th scope="row"><bdi>{crate::display::masked_name(&name)}</bdi></th>
                                            <td>{browser::format_time(t.deleted_at)}</td>
                                            <td><button type="button" class="button button-normal tombstone-restore" aria-label=label
                                                on:click=move |_| ctl.restore(name.clone())>"Restore"</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
            <div class="form-field">
                <label class="form-label" for="sync-interval">"Sync automatically"</label>
                <select id="sync-interval" class="input" on:change=move |ev| {
                    if let Ok(m) = event_target_value(&ev).parse() { ctl.set_interval_minutes(m) }
                }>
                    {INTERVALS.iter().map(|(m, label)| {
                        let m = *m;
                        view! { <option value=m.to_string() selected=move || ctl.view.with(|v| v.interval_min == m)>{*label}</option> }
                    }).collect_view()}
                </select>
                <p class="form-constraint">"Sync also runs when the browser comes back online."</p>
            </div>
            <div class="form-actions">
                <button type="button" id="sync-preview" class="button button-normal"
                    disabled=move || ctl.view.with(|v| !v.enabled)
                    on:click=move |_| {
                        leptos::task::spawn_local(async move {
                            preview.set(Some(ctl.preview_outgoing().await.unwrap_or_default()));
                        });
                    }>"What will be sent?"</button>
                <button type="button" id="sync-now" class="button button-primary"
                    disabled=move || ctl.view.with(|v| !v.enabled || v.running)
                    on:click=move |_| { preview.set(None); ctl.sync_now(true) }>"Sync now"</button>
            </div>
            <OutgoingReview preview=preview />
            <ConsentLine />
        </section>
    }
}

/// Whether a push to this backend asks first, and the switch.
#[component]
fn ConsentLine() -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    move || {
        let host = ctl.view.with(|v| v.endpoint.clone()).and(ctl.host())?;
        let state = ctl.view.with(|v| v.consent.hosts.get(&host).copied());
        let line = match state {
            None => format!(
                "Before the first push to {host}, you are shown what would be sent and asked."
            ),
            Some(false) => {
                format!("Pushes to {host} that include descriptions are shown to you first.")
            }
            Some(true) => format!(
                "Pushes to {host} go without asking (the activity log records what was sent)."
            ),
        };
        Some(view! {
            <div class="form-field">
                <p id="consent-line">{line}</p>
                {(state != Some(true)).then(|| view! {
                    <button type="button" id="consent-quiet" class="button button-link" on:click=move |_| ctl.set_consent(Some(true))>{format!("Don't ask before sending to {}", ctl.host().unwrap_or_default())}</button>
                })}
                {state.is_some().then(|| view! {
                    <button type="button" id="consent-reset" class="button button-link" on:click=move |_| ctl.set_consent(None)>"Ask again before the next push"</button>
                })}
            </div>
        })
    }
}

/// What leaves this device: the groups and fields a push sends, and the host. Shown when a
/// push was held for the person to agree (first push to a host, or descriptions included),
/// and on "What will be sent?" (then nothing is asked).
#[component]
fn OutgoingReview(preview: RwSignal<Option<Outgoing>>) -> impl IntoView {
    let ctl = expect_context::<SyncCtl>();
    move || {
        let held = ctl.view.with(|v| v.held.clone());
        let host = ctl.host().unwrap_or_default();
        let (outgoing, ask) = match (held, preview.get()) {
            (Some((o, ask)), _) => (o, Some(ask)),
            (None, Some(o)) => (o, None),
            (None, None) => return None,
        };
        let why = match ask {
            Some(Ask::FirstPush) => format!("Nothing was sent yet: this is the first time data from this browser would go to {host}. Check what leaves this device, then send."),
            Some(Ask::Descriptions) => format!("Nothing was sent yet: this push includes descriptions, which are private, and would go to {host}."),
            None if outgoing.is_empty() => "Nothing is waiting to be sent.".to_owned(),
            None => format!("The next sync sends this to {host}."),
        };
        let rows = outgoing
            .groups
            .iter()
            .map(|g| {
                view! {
                    <tr>
                        <th scope="row" class="cell-name"><bdi>{g.name.clone()}</bdi></th>
                        <td>{g.action()}</td>
                        <td>{field_list(&g.fields)}</td>
                    </tr>
                }
            })
            .collect_view();
        let has_rows = !outgoing.is_empty();
        Some(view! {
            <div class="outgoing" id="outgoing-review" role="region" aria-labelledby="outgoing-title">
                <h3 id="outgoing-title">"What leaves this device"</h3>
                <p id="outgoing-why">{why}</p>
                {has_rows.then(|| view! {
                    <table class="table" id="outgoing-table">
                        <thead><tr><th scope="col">"Group"</th><th scope="col">"Action"</th><th scope="col">"Fields sent"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })}
                {ask.map(|_| {
                    let quiet_label = format!("Send, and don't ask again for {host}");
                    view! {
                        <div class="form-actions">
                            <button type="button" id="outgoing-later" class="button button-normal" on:click=move |_| ctl.keep_held()>"Not now"</button>
                            <button type="button" id="outgoing-send-quiet" class="button button-normal" on:click=move |_| ctl.send_held(true)>{quiet_label}</button>
                            <button type="button" id="outgoing-send" class="button button-primary" on:click=move |_| ctl.send_held(false)>"Send"</button>
                        </div>
                    }
                })}
                {(ask.is_none()).then(|| view! {
                    <div class="form-actions"><button type="button" class="button button-normal" on:click=move |_| preview.set(None)>"Close"</button></div>
                })}
            </div>
        })
    }
}

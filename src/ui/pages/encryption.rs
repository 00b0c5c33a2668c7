//! Encryption at rest: the lock screen, Settings → Encryption, "Lock now" and the idle lock.
//! The forms' state is `view::encryption`; the scheme and the store's side are `store::vault`
//! and `store::idb` (sealed). Passphrases live in signals only while typed, and are cleared
//! as soon as an operation used them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::store::vault::{VaultFailure, VaultStatus};
use crate::store::TabMessage;
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::ConfirmDelete;
use crate::view::encryption::{
    idle_label, idle_lock_due, idle_minutes, NewPassphrase, Strength, IDLE_CHOICES,
};

/// An encryption operation, run by the section's one runner.
type VaultTask = Box<
    dyn FnOnce(
        AppData,
    )
        -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), VaultFailure>>>>,
>;

/// An operation on the store, as the section's runner takes it.
fn task<F, Fut>(op: F) -> VaultTask
where
    F: FnOnce(std::rc::Rc<crate::store::any::AnyStore>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<(), VaultFailure>> + 'static,
{
    Box::new(move |data: AppData| Box::pin(async move { data.vault_op(op).await }))
}

fn idb_of(
    store: &crate::store::any::AnyStore,
) -> Result<&crate::store::idb::IdbStore, VaultFailure> {
    store.idb().ok_or(VaultFailure::NotNow(
        "this browser does not let the app store data",
    ))
}

/// The idle time, a preference of this browser (not data: it must be readable while locked).
pub const IDLE_PREF: &str = "gc.lock.idle";
/// The last input in any tab of the app (ms), so that a tab left in the background does not
/// lock the one in use: every tab reads the latest.
const ACTIVE_PREF: &str = "gc.lock.active";

/// Locks every tab: this one reloads (everything decrypted goes with the page), the others are
/// told over the channel (the message carries nothing but "lock").
pub fn lock_now(data: AppData) {
    data.post(&TabMessage::Lock);
    browser::reload_page();
}

/// The idle lock: any input in any tab counts as use; after the chosen time without, every tab
/// locks. Runs while the data is encrypted and unlocked.
pub fn start_idle_lock(data: AppData) {
    let last = StoredValue::new(js_sys::Date::now());
    let written = StoredValue::new(0.0_f64);
    let note = move || {
        let now = js_sys::Date::now();
        // Shared at most every 5 s (a keystroke must not cost a storage write), but shared
        // during steady use too: otherwise a background tab would lock the one in use.
        if now - written.get_value() > 5_000.0 {
            browser::set_pref(ACTIVE_PREF, &format!("{now:.0}"));
            written.set_value(now);
        }
        last.set_value(now);
    };
    for event in ["keydown", "pointerdown", "wheel", "touchstart"] {
        let handle = window_event_listener_untyped(event, move |_| note());
        // Lives as long as the page.
        std::mem::forget(handle);
    }
    let tick = move || {
        if data.vault.get_untracked() != VaultStatus::Unlocked {
            return;
        }
        let shared = browser::pref(ACTIVE_PREF)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        let minutes = idle_minutes(browser::pref(IDLE_PREF).as_deref());
        if idle_lock_due(js_sys::Date::now(), last.get_value().max(shared), minutes) {
            lock_now(data);
        }
    };
    // Runs as long as the page (the handle has no drop that would stop it).
    let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(10));
}

/// The whole page while the data is locked: nothing else of the app is rendered (no store is
/// set, so nothing is read or synced) until the passphrase unlocks it.
#[component]
pub fn LockScreen() -> impl IntoView {
    let data = expect_context::<AppData>();
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let start_over = RwSignal::new(false);
    let damaged = move || match data.vault.get() {
        VaultStatus::Damaged(e) => Some(e.to_string()),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = passphrase.get_untracked();
        if p.is_empty() {
            error.set(Some("Enter your passphrase.".into()));
            return;
        }
        working.set(true);
        error.set(None);
        spawn_local(async move {
            let result = data.unlock(&p).await;
            passphrase.set(String::new());
            working.set(false);
            match result {
                Ok(kdf_ms) => browser::log_figure("unlock: key derivation ms", kdf_ms),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    browser::focus_id("unlock-passphrase");
                }
            }
        });
    };
    let erase = Callback::new(move |()| {
        let Some(store) = data.locked_store() else {
            return;
        };
        spawn_local(async move {
            if let Some(idb) = store.idb() {
                idb.close();
            }
            let _ = crate::store::idb::IdbStore::delete_database(crate::ui::data::DB_NAME).await;
            data.post(&TabMessage::VaultChanged);
            browser::reload_page();
        });
    });
    view! {
        <main id="main" class="lock-screen">
            <section class="container lock-card" aria-labelledby="page-title">
                <h1 id="page-title" tabindex="-1">"Group Console is locked"</h1>
                {move || match damaged() {
                    Some(why) => view! { <p class="form-error" role="alert" id="unlock-error">{why}</p> }.into_any(),
                    None => view! {
                        <p>"The data in this browser is encrypted. Enter your passphrase to unlock it; each tab unlocks on its own, and nothing is shown or synced until then."</p>
                        <form id="unlock-form" on:submit=submit novalidate=true>
                            <div class="form-field">
                                <label class="form-label" for="unlock-passphrase">"Passphrase"</label>
                                <input id="unlock-passphrase" class="input" type="password" autocomplete="current-password"
                                    autofocus=true aria-describedby="unlock-error"
                                    aria-invalid=move || error.with(|e| e.is_some()).to_string()
                                    prop:value=move || passphrase.get()
                                    on:input=move |ev| passphrase.set(event_target_value(&ev)) />
                                <p class="form-error" id="unlock-error" role="alert">{move || error.get()}</p>
                            </div>
                            <button type="submit" id="unlock-button" class="button button-primary" disabled=move || working.get()>
                                {move || if working.get() { "Unlocking\u{2026}" } else { "Unlock" }}
                            </button>
                        </form>
                    }.into_any(),
                }}
                <details class="lock-forgot">
                    <summary>"Forgot the passphrase?"</summary>
                    <p>"It cannot be recovered: the data is encrypted with a key only your passphrase unwraps, and the passphrase is stored nowhere. If you have a backup file, you can delete the encrypted data here, start afresh and restore the backup in Settings."</p>
                    <button type="button" id="unlock-start-over" class="button button-danger" on:click=move |_| start_over.set(true)>
                        "Delete the encrypted data and start over"
                    </button>
                </details>
            </section>
            <ConfirmDelete open=start_over title="Delete the encrypted data"
                subject=Signal::derive(|| "everything stored in this browser".to_owned())
                consequence="Every group, resource, setting and pending change kept here is deleted for good. Groups on a sync backend are not touched."
                on_confirm=erase />
        </main>
    }
}

/// The strength meter under a new passphrase.
#[component]
fn StrengthMeter(#[prop(into)] strength: Signal<Strength>, id: &'static str) -> impl IntoView {
    view! {
        <div class="strength" id=id aria-live="polite">
            <meter min="0" max="4" low="2" high="3" optimum="4" value=move || strength.get().level().to_string()></meter>
            <span class="strength-label">{move || strength.get().label()}</span>
            <span class="form-constraint">{move || strength.get().hint()}</span>
        </div>
    }
}

/// Settings → Encryption.
#[component]
pub fn EncryptionSection() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let on_form = RwSignal::new(NewPassphrase::default());
    let change_form = RwSignal::new(NewPassphrase::default());
    let off_pass = RwSignal::new(String::new());
    let finish_pass = RwSignal::new(String::new());
    let working = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<(&'static str, String)>);
    let idle = RwSignal::new(idle_minutes(browser::pref(IDLE_PREF).as_deref()));

    let run = move |what: &'static str, done: &'static str, op: VaultTask| {
        working.set(Some(what));
        error.set(None);
        spawn_local(async move {
            let result = op(data).await;
            working.set(None);
            match result {
                Ok(()) => {
                    // What Undo would take back was numbered in the other form.
                    undo.forget();
                    if data.vault.get_untracked().is_encrypted() {
                        crate::ui::pages::resources::forget_tag_keys_in_prefs();
                    }
                    flashes.push(FlashKind::Success, done, "");
                }
                // A turn-on that failed after its keys were stored shows the "finish or cancel"
                // form: the reason goes there.
                Err(e) => {
                    let slot = if data.vault.get_untracked() == VaultStatus::Interrupted {
                        "finish"
                    } else {
                        what
                    };
                    error.set(Some((slot, e.to_string())));
                }
            }
        });
    };

    let turn_on = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut form = on_form.get_untracked();
        let ok = form.submit(false).is_ok();
        on_form.set(form.clone());
        if !ok {
            return;
        }
        let pass = form.passphrase.clone();
        on_form.update(NewPassphrase::clear);
        run(
            "on",
            "Encryption is on. Everything this browser keeps for Group Console is encrypted; other tabs ask for the passphrase.",
            task(move |store| async move {
                        let idb = idb_of(&store)?;
                        idb.turn_on(&pass, js_sys::Date::now() as i64).await
            }),
        );
    };
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pass = finish_pass.get_untracked();
        finish_pass.set(String::new());
        run(
            "finish",
            "Encryption is on. Everything this browser keeps for Group Console is encrypted.",
            task(move |store| async move {
                let idb = idb_of(&store)?;
                idb.finish_turn_on(&pass, js_sys::Date::now() as i64).await
            }),
        );
    };
    let cancel = move |_| {
        run(
            "finish",
            "Encryption stays off. The data is as it was.",
            task(move |store| async move {
                store
                    .idb()
                    .ok_or(VaultFailure::Crypto)?
                    .cancel_turn_on()
                    .await
            }),
        );
    };
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut form = change_form.get_untracked();
        let ok = form.submit(true).is_ok();
        change_form.set(form.clone());
        if !ok {
            return;
        }
        change_form.update(NewPassphrase::clear);
        run(
            "change",
            "The passphrase is changed. Use the new one from now on, in every tab.",
            task(move |store| async move {
                let idb = idb_of(&store)?;
                idb.change_passphrase(&form.current, &form.passphrase, js_sys::Date::now() as i64)
                    .await
            }),
        );
    };
    let turn_off = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pass = off_pass.get_untracked();
        if pass.is_empty() {
            error.set(Some(("off", "Enter the passphrase.".into())));
            return;
        }
        off_pass.set(String::new());
        run(
            "off",
            "Encryption is off. The data is stored unencrypted again, all of it.",
            task(move |store| async move {
                let idb = idb_of(&store)?;
                idb.turn_off(&pass, js_sys::Date::now() as i64).await
            }),
        );
    };
    let set_idle = move |ev: leptos::ev::Event| {
        let m = idle_minutes(Some(&event_target_value(&ev)));
        browser::set_pref(IDLE_PREF, &m.to_string());
        idle.set(m);
    };
    let error_of =
        move |what: &'static str| move || error.get().filter(|(w, _)| *w == what).map(|(_, m)| m);
    let since = move || {
        data.with_store()
            .and_then(|s| s.idb().and_then(|i| i.vault_record()))
            .map(|r| {
                format!(
                    "On since {}; passphrase set {}.",
                    browser::format_time(r.since),
                    browser::format_time(r.passphrase_at)
                )
            })
    };
    let on_errors = Memo::new(move |_| on_form.with(|f| f.shown_errors(false)));
    let change_errors = Memo::new(move |_| change_form.with(|f| f.shown_errors(true)));
    let busy = move || working.get().is_some();

    view! {
        <section class="container" aria-labelledby="encryption-title" id="encryption">
            <h2 id="encryption-title">"Encryption"</h2>
            {move || match data.vault.get() {
                VaultStatus::Plain => view! {
                    <p id="encryption-status">"Off. Like all site data, what Group Console keeps in this browser is stored unencrypted: anyone with this device's profile, or a copy of it, can read every description and tag."</p>
                    <p>"Turn encryption on to store everything encrypted (AES-GCM-256) under a key that only your passphrase unwraps (600,000 rounds of PBKDF2-SHA-256). The passphrase is stored nowhere; the app asks for it when it starts and after the idle time you choose."</p>
                    <div class="alert alert-warning" role="note">
                        <strong>"A forgotten passphrase cannot be recovered."</strong>
                        " Nobody can decrypt the data without it. "
                        <a href="#backup">"Make a backup first"</a>
                        " (a file you can restore elsewhere)."
                    </div>
                    <form id="encryption-on-form" on:submit=turn_on novalidate=true
                        data-unsaved=move || on_form.with(|f| (!f.passphrase.is_empty()).to_string())>
                        <div class="form-field">
                            <label class="form-label" for="enc-pass">"Passphrase"</label>
                            <input id="enc-pass" class="input" type="password" autocomplete="new-password"
                                aria-describedby="enc-strength enc-pass-error"
                                aria-invalid=move || on_errors.get().passphrase.is_some().to_string()
                                prop:value=move || on_form.with(|f| f.passphrase.clone())
                                on:input=move |ev| on_form.update(|f| f.passphrase = event_target_value(&ev)) />
                            <StrengthMeter strength=Signal::derive(move || on_form.with(NewPassphrase::strength)) id="enc-strength" />
                            <p class="form-error" id="enc-pass-error" role="alert">{move || on_errors.get().passphrase.map(|e| e.to_string())}</p>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="enc-confirm">"Passphrase again"</label>
                            <input id="enc-confirm" class="input" type="password" autocomplete="new-password"
                                aria-describedby="enc-confirm-error"
                                aria-invalid=move || on_errors.get().confirm.is_some().to_string()
                                prop:value=move || on_form.with(|f| f.confirm.clone())
                                on:input=move |ev| on_form.update(|f| f.confirm = event_target_value(&ev)) />
                            <p class="form-error" id="enc-confirm-error" role="alert">{move || on_errors.get().confirm.map(|e| e.to_string())}</p>
                        </div>
                        <label class="checkbox">
                            <input type="checkbox" id="enc-ack" prop:checked=move || on_form.with(|f| f.acknowledged)
                                on:change=move |ev| on_form.update(|f| f.acknowledged = event_target_checked(&ev)) />
                            " I understand that if I forget this passphrase, the data in this browser cannot be recovered."
                        </label>
                        <p class="form-error" id="enc-ack-error" role="alert">{move || on_errors.get().acknowledged.map(|e| e.to_string())}</p>
                        <p class="form-error" role="alert" id="enc-on-error">{error_of("on")}</p>
                        <button type="submit" id="enc-turn-on" class="button button-primary" disabled=busy>
                            {move || if working.get() == Some("on") { "Encrypting\u{2026}" } else { "Turn on encryption" }}
                        </button>
                    </form>
                }.into_any(),
                VaultStatus::Interrupted => view! {
                    <div class="alert alert-warning" role="alert" id="encryption-status">
                        "Turning encryption on did not finish (the tab was closed or reloaded meanwhile). Your data is complete and still unencrypted. Enter the passphrase you chose to finish, or cancel."
                    </div>
                    <form id="encryption-finish-form" on:submit=finish novalidate=true>
                        <div class="form-field">
                            <label class="form-label" for="enc-finish-pass">"Passphrase"</label>
                            <input id="enc-finish-pass" class="input" type="password" autocomplete="current-password"
                                aria-describedby="enc-finish-error"
                                prop:value=move || finish_pass.get()
                                on:input=move |ev| finish_pass.set(event_target_value(&ev)) />
                            <p class="form-error" role="alert" id="enc-finish-error">{error_of("finish")}</p>
                        </div>
                        <div class="button-row">
                            <button type="submit" id="enc-finish" class="button button-primary" disabled=busy>"Finish turning on"</button>
                            <button type="button" id="enc-cancel" class="button" disabled=busy on:click=cancel>"Cancel"</button>
                        </div>
                    </form>
                }.into_any(),
                _ => view! {
                    <p id="encryption-status">"On. Everything Group Console keeps in this browser is encrypted. "{since}</p>
                    <div class="form-field">
                        <label class="form-label" for="enc-idle">"Lock when idle"</label>
                        <select id="enc-idle" class="input" on:change=set_idle prop:value=move || idle.get().to_string()>
                            {IDLE_CHOICES.iter().map(|m| view! { <option value=m.to_string()>{idle_label(*m)}</option> }).collect_view()}
                        </select>
                        <p class="form-constraint">"Without input in any tab of the app for this long, every tab locks. \u{201c}Lock now\u{201d} in the top bar locks at once."</p>
                    </div>
                    <form id="encryption-change-form" on:submit=change novalidate=true
                        data-unsaved=move || change_form.with(|f| (!f.passphrase.is_empty()).to_string())>
                        <h3>"Change the passphrase"</h3>
                        <div class="form-field">
                            <label class="form-label" for="enc-current">"Current passphrase"</label>
                            <input id="enc-current" class="input" type="password" autocomplete="current-password"
                                aria-describedby="enc-current-error"
                                prop:value=move || change_form.with(|f| f.current.clone())
                                on:input=move |ev| change_form.update(|f| f.current = event_target_value(&ev)) />
                            <p class="form-error" id="enc-current-error" role="alert">{move || change_errors.get().current.map(|e| e.to_string())}</p>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="enc-new">"New passphrase"</label>
                            <input id="enc-new" class="input" type="password" autocomplete="new-password"
                                aria-describedby="enc-new-strength enc-new-error"
                                prop:value=move || change_form.with(|f| f.passphrase.clone())
                                on:input=move |ev| change_form.update(|f| f.passphrase = event_target_value(&ev)) />
                            <StrengthMeter strength=Signal::derive(move || change_form.with(NewPassphrase::strength)) id="enc-new-strength" />
                            <p class="form-error" id="enc-new-error" role="alert">{move || change_errors.get().passphrase.map(|e| e.to_string())}</p>
                        </div>
                        <div class="form-field">
                            <label class="form-label" for="enc-new-confirm">"New passphrase again"</label>
                            <input id="enc-new-confirm" class="input" type="password" autocomplete="new-password"
                                aria-describedby="enc-new-confirm-error"
                                prop:value=move || change_form.with(|f| f.confirm.clone())
                                on:input=move |ev| change_form.update(|f| f.confirm = event_target_value(&ev)) />
                            <p class="form-error" id="enc-new-confirm-error" role="alert">{move || change_errors.get().confirm.map(|e| e.to_string())}</p>
                        </div>
                        <p class="form-error" role="alert" id="enc-change-error">{error_of("change")}</p>
                        <button type="submit" id="enc-change" class="button" disabled=busy>"Change passphrase"</button>
                    </form>
                    <form id="encryption-off-form" on:submit=turn_off novalidate=true>
                        <h3>"Turn encryption off"</h3>
                        <p>"Everything is decrypted and stored unencrypted again, as browsers store site data."</p>
                        <div class="form-field">
                            <label class="form-label" for="enc-off-pass">"Passphrase"</label>
                            <input id="enc-off-pass" class="input" type="password" autocomplete="current-password"
                                aria-describedby="enc-off-error"
                                prop:value=move || off_pass.get()
                                on:input=move |ev| off_pass.set(event_target_value(&ev)) />
                            <p class="form-error" role="alert" id="enc-off-error">{error_of("off")}</p>
                        </div>
                        <button type="submit" id="enc-turn-off" class="button" disabled=busy>
                            {move || if working.get() == Some("off") { "Decrypting\u{2026}" } else { "Turn off encryption" }}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

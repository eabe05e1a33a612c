//! The service worker's registration, the offer to reload into a new build, and the request
//! for storage the browser will not evict.

use crate::state::AppStore;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

pub fn register(store: AppStore) {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    leptos::task::spawn_local(async move {
        let registration = match JsFuture::from(container.register("/sw.js")).await {
            Ok(r) => r.unchecked_into::<web_sys::ServiceWorkerRegistration>(),
            Err(e) => {
                leptos::logging::warn!("service worker not registered: {e:?}");
                return;
            }
        };
        let has_controller = move || web_sys::window().and_then(|w| w.navigator().service_worker().controller()).is_some();
        if registration.waiting().is_some() && has_controller() {
            store.update_ready.set(true);
        }
        let reg = registration.clone();
        let on_update = Closure::<dyn FnMut()>::new(move || {
            if let Some(worker) = reg.installing() {
                let w = worker.clone();
                let on_state = Closure::<dyn FnMut()>::new(move || {
                    if w.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                        store.update_ready.set(true);
                    }
                });
                worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
                on_state.forget();
            }
        });
        registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
    });
}

/// Lets the waiting worker take over, then reloads once it controls the page.
pub fn apply_update() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let Ok(ready) = container.ready() else { return };
    leptos::task::spawn_local(async move {
        if let Ok(reg) = JsFuture::from(ready).await {
            let reg = reg.unchecked_into::<web_sys::ServiceWorkerRegistration>();
            if let Some(waiting) = reg.waiting() {
                let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
            }
        }
    });
}

/// Asks the worker to cache the field pages' chunks (split out of the main wasm, app/src/split.rs),
/// so each opens offline: at every sign-in and start with an account, once a worker is active.
pub fn precache_field_pages() {
    let Some(window) = web_sys::window() else { return };
    let Ok(ready) = window.navigator().service_worker().ready() else { return };
    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(ready).await else { return };
        if let Some(active) = reg.unchecked_into::<web_sys::ServiceWorkerRegistration>().active() {
            let _ = active.post_message(&JsValue::from_str("precache-field"));
        }
    });
}

/// Asks the browser not to evict the local store (the only copy of unsynced records), and
/// keeps its answer for the status line: a counselor should know when the phone may clear it.
pub fn request_persistent_storage(store: AppStore) {
    let Some(window) = web_sys::window() else { return };
    let storage = window.navigator().storage();
    leptos::task::spawn_local(async move {
        let answer = |promise: Result<js_sys::Promise, JsValue>| async move {
            match promise {
                Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            }
        };
        let granted = match answer(storage.persisted()).await {
            Some(true) => Some(true),
            _ => answer(storage.persist()).await,
        };
        store.storage_persisted.set(granted);
    });
}

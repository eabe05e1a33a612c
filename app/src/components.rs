//! Pieces every page shares: the top bar with the sync status, the update banner, the flash.

use crate::i18n::{use_i18n, Msg};
use crate::state::{use_store, Connection};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::record::{LinkedAccess, RecordKind, Subject};

#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let toggle = move |_| {
        let next = i18n.0.get_untracked().other();
        i18n.0.set(next);
        #[cfg(feature = "hydrate")]
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item("rounds.lang", next.code());
        }
    };
    let signed_in = move || store.user.with(|u| u.is_some());
    view! {
        <header class="topbar">
            <div class="topbar-row">
                <A href="/" attr:class="brand">{move || i18n.t(Msg::AppName)}</A>
                <button type="button" class="lang" on:click=toggle>{move || i18n.t(Msg::SwitchLanguage)}</button>
            </div>
            <Show when=signed_in>
                <nav class="tabs">
                    // The office owes no duties: its / is the rooms page, and its hub is /office.
                    <Show when=move || store.user.with(|u| u.as_ref().is_some_and(|u| !u.role.sees_everything()))>
                        <A href="/" exact=true>{move || i18n.t(Msg::TodayTitle)}</A>
                    </Show>
                    <A href="/rooms">{move || i18n.t(Msg::MyRooms)}</A>
                    <A href="/classes">{move || i18n.t(Msg::MyClasses)}</A>
                    <A href="/students">{move || i18n.t(Msg::MyStudents)}</A>
                    <A href="/records">{move || i18n.t(Msg::MyRecords)}</A>
                    <Show when=move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.may_be_linked()))>
                        <A href="/links">{move || i18n.t(Msg::LinksTitle)}</A>
                    </Show>
                    <Show when=move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()))>
                        <A href="/office">{move || i18n.t(Msg::Office)}</A>
                    </Show>
                    <SignOut/>
                </nav>
            </Show>
            <SyncStatus/>
            <UpdateBanner/>
        </header>
    }
}

/// How many records are still only on this phone, and since when everything was synced.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let text = Memo::new(move |_| {
        let pending = store.unsynced_count();
        let never = store.last_sync.with(|t| t.is_none());
        let main = if pending > 0 {
            i18n.tf(Msg::Pending, &[("n", pending.to_string())])
        } else if never {
            i18n.t(Msg::NeverSynced).to_string()
        } else {
            i18n.t(Msg::AllSynced).to_string()
        };
        let extra = match store.connection.get() {
            Connection::Syncing => i18n.t(Msg::Syncing).to_string(),
            Connection::Offline => i18n.t(Msg::Offline).to_string(),
            _ => String::new(),
        };
        let last = match store.last_sync.get() {
            Some(t) => i18n.tf(Msg::LastSync, &[("t", rounds::school_time::format_minute(&t, &store.zone()))]),
            None => i18n.t(Msg::NeverSynced).to_string(),
        };
        (main, extra, last, pending > 0)
    });
    let zone = move || i18n.tf(Msg::TimeZone, &[("z", store.time_zone.get())]);
    let sync_now = move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::sync::request(store);
    };
    view! {
        <Show when=move || store.ready.get() && store.user.with(|u| u.is_some())>
            <div class="sync" class:sync-pending=move || text.with(|t| t.3)>
                <span role="status" aria-live="polite">{move || text.with(|t| t.0.clone())}</span>
                <span class="sync-detail">{move || text.with(|t| t.1.clone())}" "{move || text.with(|t| t.2.clone())}</span>
                <span class="sync-detail">{zone}</span>
                <button type="button" class="link" on:click=sync_now>{move || i18n.t(Msg::SyncNow)}</button>
            </div>
            <Show when=move || store.connection.get() == Connection::NeedsLogin>
                <p class="warning" role="alert">
                    {move || i18n.t(Msg::SessionExpired)}" "
                    <A href="/login">{move || i18n.t(Msg::SignIn)}</A>
                </p>
            </Show>
        </Show>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let navigate = leptos_router::hooks::use_navigate();
    let sign_out = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let pending = store.unsynced_count();
            if pending > 0 {
                let question = i18n.tf(Msg::UnsyncedSignOutWarning, &[("n", pending.to_string())]);
                let ok = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
                if !ok {
                    return;
                }
            }
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                let _ = gloo_net::http::Request::delete("/api/v1/session").send().await;
                let _ = crate::client::local_store::clear_user_data().await;
                store.user.set(None);
                store.records.set(Vec::new());
                store.roster.set(Default::default());
                store.duty_setup.set(None);
                store.last_sync.set(None);
                navigate("/login", Default::default());
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (store, i18n, &navigate);
    };
    view! { <button type="button" class="link" on:click=sign_out>{move || i18n.t(Msg::SignOut)}</button> }
}

#[component]
fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let reload = move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::pwa::apply_update();
    };
    view! {
        <Show when=move || store.update_ready.get()>
            <div class="update" role="alert">
                {move || i18n.t(Msg::UpdateReady)}
                <button type="button" on:click=reload>{move || i18n.t(Msg::Reload)}</button>
            </div>
        </Show>
    }
}

/// The one-line message left by the last action ("已保存"), shown until the next navigation.
#[component]
pub fn Flash() -> impl IntoView {
    let store = use_store();
    view! {
        <Show when=move || store.flash.with(|f| f.is_some())>
            <p class="flash" role="status">{move || store.flash.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// Sends a signed-out visitor to the login page, once the local store has been read.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if store.ready.get() && store.user.with(|u| u.is_none()) {
            navigate("/login", Default::default());
        }
    });
    view! {
        <Show
            when=move || store.ready.get() && store.user.with(|u| u.is_some())
            fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }
        >
            {children()}
        </Show>
    }
}

/// A way from a page to the form of a new record about the page's subject.
#[derive(Debug, Clone, Copy)]
pub struct NewRecord {
    /// The form's path under the page's own (`check` for `/rooms/3/check`).
    pub path: &'static str,
    pub label: Msg,
    access: LinkedAccess,
}

impl NewRecord {
    pub fn of<K: RecordKind>(path: &'static str, label: Msg) -> NewRecord {
        NewRecord { path, label, access: K::LINKED }
    }
}

/// The forms of new records a page offers, less those the user may not write about its subject
/// (a leader's linked room offers the dorm visit, not the dorm check, which the server would
/// refuse); the first one left is the main button.
#[component]
pub fn NewRecordActions(
    subject: Subject,
    /// The page's own path; each form's path goes under it.
    base: String,
    forms: Vec<NewRecord>,
    /// The main button big, for the page's everyday record.
    #[prop(optional)]
    big: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let main = if big { "button primary big" } else { "button primary" };
    let offered = move || forms.iter().filter(|f| store.may_write(subject, f.access)).copied().collect::<Vec<_>>();
    view! {
        <div class="action-row">
            {move || offered().into_iter().enumerate().map(|(i, f)| {
                let label = f.label;
                view! { <A href=format!("{base}/{}", f.path) attr:class=if i == 0 { main } else { "button secondary" }>{move || i18n.t(label)}</A> }
            }).collect_view()}
        </div>
    }
}

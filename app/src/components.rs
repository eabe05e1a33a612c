//! Pieces every page shares: the top bar with the sync status, the update banner, the flash.

use crate::i18n::{use_i18n, Msg};
use crate::kinds::KindUi;
use crate::state::{use_store, Connection};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::record::{LinkedAccess, Subject};

#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    // Before the wasm arrives the switch is a plain form (the server sets the language cookie
    // and draws the same page again); once the app runs it switches in place.
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let search = location.search.get();
        format!("{}{}{search}", location.pathname.get(), if search.is_empty() { "" } else { "?" })
    };
    let switch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = i18n.0.get_untracked().other();
        i18n.0.set(next);
        #[cfg(feature = "hydrate")]
        crate::i18n::remember(next);
    };
    let signed_in = move || store.user.with(|u| u.is_some());
    view! {
        <header class="topbar">
            <div class="topbar-row">
                <A href="/" attr:class="brand">{move || i18n.t(Msg::AppName)}</A>
                <form method="post" action="/lang" class="lang-switch" on:submit=switch>
                    <input type="hidden" name="to" value=move || i18n.0.get().other().code()/>
                    <input type="hidden" name="back" value=back/>
                    <button type="submit" class="lang">{move || i18n.t(Msg::SwitchLanguage)}</button>
                </form>
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
                    // 问题台账: my issues in the field; the whole ledger at the office.
                    <A href=move || if store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything())) { "/office/ledger".to_string() } else { "/issues".to_string() }>
                        {move || i18n.t(Msg::LedgerNav)}
                    </A>
                    <Show when=move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.may_be_linked()))>
                        <A href="/links">{move || i18n.t(Msg::LinksTitle)}</A>
                    </Show>
                    <Show when=move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()))>
                        <A href="/office">{move || i18n.t(Msg::Office)}</A>
                    </Show>
                    <A href="/sessions">{move || i18n.t(Msg::SessionsLink)}</A>
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
                {move || store.storage_persisted.get().map(|kept| {
                    let msg = if kept { Msg::StoragePersisted } else { Msg::StorageMayBeEvicted };
                    view! { <span class="sync-detail" class:warning-text=!kept>{i18n.t(msg)}</span> }
                })}
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

/// Where signing out stands while records wait to be sent.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum SignOutStep {
    /// Trying to send them first.
    Syncing,
    /// They could not be sent: keep them (locked to their author) or cancel.
    Unsynced,
    /// The separate, explicit act of deleting them.
    ConfirmDiscard,
}

/// What a tap in sign-out asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SignOutAction {
    /// Sign out: straight away when everything is synced, else sync first and ask.
    Start,
    /// Sign out, keeping the unsynced records on the phone for their author.
    Keep,
    /// Delete the unsynced records, then sign out.
    Discard,
}

/// Sign-out never deletes the only copy of a record. With records unsynced it syncs first;
/// if they still cannot be sent they stay on the phone, locked to their author, and go to the
/// server when that author signs in again. Deleting them is its own act with its own question.
#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let step = RwSignal::new(None::<SignOutStep>);
    let navigate = leptos_router::hooks::use_navigate();
    let act = StoredValue::new_local(move |action: SignOutAction| {
        #[cfg(feature = "hydrate")]
        {
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                if action == SignOutAction::Start && store.unsynced_count() > 0 {
                    step.set(Some(SignOutStep::Syncing));
                    crate::client::sync::run_now(store).await;
                    if store.unsynced_count() > 0 {
                        step.set(Some(SignOutStep::Unsynced));
                        return;
                    }
                }
                sign_out(store, action == SignOutAction::Discard).await;
                step.set(None);
                navigate("/login", Default::default());
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (action, &navigate, store);
    });
    let on = move |action: SignOutAction| move |_: leptos::ev::MouseEvent| act.with_value(|f| f(action));
    let n = move || store.unsynced_count().to_string();
    view! {
        <button type="button" class="link" on:click=on(SignOutAction::Start)>{move || i18n.t(Msg::SignOut)}</button>
        <Show when=move || step.get().is_some()>
            <div class="dialog-backdrop">
                <div class="dialog card" role="dialog" aria-modal="true" aria-labelledby="sign-out-title">
                    {move || match step.get() {
                        Some(SignOutStep::Syncing) => view! {
                            <h2 id="sign-out-title">{i18n.t(Msg::SignOutSyncing)}</h2>
                        }.into_any(),
                        Some(SignOutStep::ConfirmDiscard) => view! {
                            <h2 id="sign-out-title">{i18n.tf(Msg::DiscardUnsyncedTitle, &[("n", n())])}</h2>
                            <p>{i18n.t(Msg::DiscardUnsyncedBody)}</p>
                            <div class="action-row">
                                <button type="button" class="button danger-solid" on:click=on(SignOutAction::Discard)>{i18n.t(Msg::DiscardAndSignOut)}</button>
                                <button type="button" class="button secondary" on:click=move |_| step.set(Some(SignOutStep::Unsynced))>{i18n.t(Msg::Cancel)}</button>
                            </div>
                        }.into_any(),
                        _ => view! {
                            <h2 id="sign-out-title">{i18n.tf(Msg::UnsyncedKeptTitle, &[("n", n())])}</h2>
                            <p>{i18n.t(Msg::UnsyncedKeptBody)}</p>
                            <div class="action-row">
                                <button type="button" class="button primary" on:click=on(SignOutAction::Keep)>{i18n.t(Msg::SignOutKeepRecords)}</button>
                                <button type="button" class="button secondary" on:click=on(SignOutAction::Start)>{i18n.t(Msg::TrySyncAgain)}</button>
                                <button type="button" class="button secondary" on:click=move |_| step.set(None)>{i18n.t(Msg::Cancel)}</button>
                            </div>
                            <p><button type="button" class="link danger" on:click=move |_| step.set(Some(SignOutStep::ConfirmDiscard))>{i18n.t(Msg::DiscardUnsynced)}</button></p>
                        }.into_any(),
                    }}
                </div>
            </div>
        </Show>
    }
}

/// Ends the session, then leaves the phone as sign-out promises: nothing of the account when
/// everything reached the server (or the user deleted the rest), else only what waits to be sent.
#[cfg(feature = "hydrate")]
async fn sign_out(store: crate::state::AppStore, discard: bool) {
    use crate::client::local_store;
    // Signed in through the university: asked while the session lasts, gone to once it ended.
    let university_logout = crate::pages::login::university_logout_url().await;
    if let Some(user) = store.user.get_untracked() {
        crate::client::end_server_session(user.id).await;
        let outcome = if discard {
            match local_store::discard_unsynced().await {
                Ok(()) => local_store::forget_account(user.id).await,
                Err(e) => Err(e),
            }
        } else if store.unsynced_count() == 0 && crate::client::photos::pending_count().await == 0 {
            local_store::forget_account(user.id).await
        } else {
            // Photos still waiting for the server are kept like records.
            local_store::keep_only_unsynced().await
        };
        if let Err(e) = outcome {
            leptos::logging::error!("sign-out: the phone's storage refused: {e}");
        }
    }
    crate::client::clear_signals(store);
    if let Some(url) = university_logout {
        crate::pages::login::leave_for(&url);
    }
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
#[derive(Clone, Copy)]
pub struct NewRecord {
    /// The form's page about a subject (the kind's, from its entry in the table of kinds).
    form_path: fn(Subject) -> Option<String>,
    pub label: Msg,
    access: LinkedAccess,
}

impl NewRecord {
    /// The form of a kind, under the kind's name.
    pub fn of<K: KindUi>() -> NewRecord {
        NewRecord { form_path: K::form_path, label: K::LABEL, access: K::LINKED }
    }

    /// The same form under other words (`新建查寝`, `提交问题`).
    pub fn labelled(self, label: Msg) -> NewRecord {
        NewRecord { label, ..self }
    }
}

/// The forms of new records a page offers, less those the user may not write about its subject
/// (a leader's linked room offers the dorm visit, not the dorm check, which the server would
/// refuse); the first one left is the main button.
#[component]
pub fn NewRecordActions(
    subject: Subject,
    forms: Vec<NewRecord>,
    /// The main button big, for the page's everyday record.
    #[prop(optional)]
    big: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let main = if big { "button primary big" } else { "button primary" };
    let offered = move || {
        let access = store.access(subject);
        forms.iter().filter(|f| access.may_write(f.access)).filter_map(|f| Some(((f.form_path)(subject)?, f.label))).collect::<Vec<_>>()
    };
    view! {
        <div class="action-row">
            {move || offered().into_iter().enumerate().map(|(i, (href, label))| {
                view! { <A href=href attr:class=if i == 0 { main } else { "button secondary" }>{move || i18n.t(label)}</A> }
            }).collect_view()}
        </div>
    }
}

/// A card of Today listing what is still to do under a title (a plan's visits, letters to
/// deliver): one `<li>` per child.
#[component]
pub fn TodayList(title: Msg, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-label=move || i18n.t(title)>
            <h2>{move || i18n.t(title)}</h2>
            <ul class="duty-list">{children()}</ul>
        </section>
    }
}

use crate::components::RequireUser;
use crate::i18n::{use_i18n, Msg};
use crate::state::{use_store, SyncState};
use leptos::prelude::*;
use leptos_router::components::A;

/// How a record stands with the server, as a small label.
#[component]
pub fn SyncBadge(state: SyncState) -> impl IntoView {
    let i18n = use_i18n();
    let (msg, class) = match &state {
        SyncState::Pending => (Msg::StatePending, "badge pending"),
        SyncState::Synced => (Msg::StateSynced, "badge synced"),
        SyncState::Invalid(_) => (Msg::StateInvalid, "badge invalid"),
        SyncState::Forbidden(_) => (Msg::StateForbidden, "badge invalid"),
        SyncState::Conflict => (Msg::StateConflict, "badge conflict"),
    };
    let errors = match state {
        SyncState::Invalid(e) | SyncState::Forbidden(e) => e.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "),
        _ => String::new(),
    };
    view! { <span class=class title=errors>{move || i18n.t(msg)}</span> }
}

/// 我的记录: what this user recorded, newest first, with the sync state of each.
#[component]
pub fn MyRecords() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let mine = move || {
        let me = store.user.with(|u| u.as_ref().map(|u| u.id));
        store.records.with(|list| list.iter().filter(|r| Some(r.record.author_id) == me && !r.record.deleted).cloned().collect::<Vec<_>>())
    };
    view! {
        <h1>{move || i18n.t(Msg::MyRecords)}</h1>
        <RequireUser>
            <div class="action-row">
                <A href="/duty-log" attr:class="button secondary">{move || i18n.t(Msg::NewDutyLog)}</A>
            </div>
            <Show when=move || !mine().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::NoRecords)}</p> }>
                <ul class="records">
                    {move || mine().into_iter().map(|local| {
                        let zone = store.zone();
                        let (title, href) = store.roster.with_untracked(|r| {
                            crate::pages::summary::title_and_link(&local.record.body, r, i18n.lang())
                        });
                        let heading = match href {
                            Some(href) => view! { <A href=href>{title}</A> }.into_any(),
                            None => view! { <strong>{title}</strong> }.into_any(),
                        };
                        let when = rounds::school_time::format_minute(&local.record.body.occurred_at(), &zone);
                        view! {
                            <li class="record">
                                <div class="record-head">{heading}<SyncBadge state=local.state.clone()/></div>
                                <div class="muted">{when}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </RequireUser>
    }
}

//! 已登录的设备: where the signed-in person is signed in, and ending the sessions of other
//! devices (a lost phone, a shared computer in an office). Online only: the list is the
//! server's.

use super::office::frame::{col, fetch, DataTable, Reload, RowActions};
use crate::components::RequireUser;
use crate::i18n::{fill, use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::security::SessionInfo;
use std::sync::Arc;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::SessionsTitle)}</h1>
        <RequireUser><Sessions/></RequireUser>
    }
}

/// A browser's name, enough to tell one device from another.
fn device_name(user_agent: &str) -> String {
    let browser = ["Edg/", "Chrome/", "Firefox/", "Safari/"].iter().find(|b| user_agent.contains(*b)).map(|b| b.trim_end_matches('/'));
    let system = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"].iter().find(|s| user_agent.contains(*s));
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => user_agent.chars().take(40).collect(),
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let reload = Reload::new();
    let rows = fetch::<Vec<SessionInfo>>(|| "/api/v1/sessions".into(), reload);
    let notice = RwSignal::new(None::<String>);
    let when = move |t: &chrono::DateTime<chrono::Utc>| rounds::school_time::format_minute(&t.fixed_offset(), &store.zone());
    let end = move |url: String| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::delete::<serde_json::Value>(&url).await {
                Ok(_) => {
                    notice.set(Some(i18n.t(Msg::SessionsEnded).to_string()));
                    reload.bump();
                }
                Err(f) => notice.set(Some(super::office::frame::failure_text(&super::office::frame::Failure::from(&f), i18n.lang()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, notice, reload);
    };
    let columns = vec![
        col(Msg::SessionsDevice, move |s: &SessionInfo| {
            let name = device_name(&s.user_agent);
            if s.current {
                format!("{name}（{}）", i18n.t(Msg::SessionsThisDevice))
            } else {
                name
            }
        }),
        col(Msg::SessionsAddress, |s: &SessionInfo| s.address.clone()),
        col(Msg::SessionsLastSeen, move |s: &SessionInfo| when(&s.last_seen_at)),
        col(Msg::SessionsSince, move |s: &SessionInfo| when(&s.created_at)),
    ];
    let actions: RowActions<SessionInfo> = Arc::new(move |s: &SessionInfo| {
        if s.current {
            return ().into_any();
        }
        let url = format!("/api/v1/sessions/{}", s.id);
        let label = fill(i18n.t(Msg::SessionsEndOf), &[("x", device_name(&s.user_agent))]);
        view! { <button type="button" class="link danger" aria-label=label on:click=move |_| end(url.clone())>{i18n.t(Msg::SessionsEnd)}</button> }.into_any()
    });
    // None until the list has loaded: "signed in on 0 devices" would be untrue meanwhile.
    let count = move || rows.with(|r| r.ready().map(|l| l.len()));
    view! {
        <Show when=move || count().is_some()>
            <p class="muted">{move || i18n.tf(Msg::SessionsCount, &[("n", count().unwrap_or_default().to_string())])}</p>
        </Show>
        <Show when=move || count().is_some_and(|n| n > 1)>
            <button type="button" class="button secondary" on:click=move |_| end("/api/v1/sessions?others=true".into())>{move || i18n.t(Msg::SessionsEndOthers)}</button>
        </Show>
        <Show when=move || notice.with(|n| n.is_some())>
            <p role="status">{move || notice.get().unwrap_or_default()}</p>
        </Show>
        <DataTable caption=Msg::SessionsTitle rows columns actions/>
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
        assert_eq!(device_name(phone), "Chrome · Android");
        assert_eq!(device_name("curl/8.0"), "curl/8.0");
    }
}

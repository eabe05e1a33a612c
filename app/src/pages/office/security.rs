//! 登录安全: the office's idle timeout for sessions, and the addresses stopped for failing to
//! sign in too often (one account tried again and again, or many accounts: a spray).

use super::frame::*;
use super::OfficePage;
use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::security::{Lockout, SecuritySettings, IDLE_MAX_MINUTES, IDLE_MIN_MINUTES};

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeSecurity><IdleTimeout/><Lockouts/></OfficePage> }.into_any()
}

#[component]
fn IdleTimeout() -> impl IntoView {
    let i18n = use_i18n();
    let settings = fetch::<SecuritySettings>(|| "/api/v1/admin/security".into(), Reload::new());
    let minutes = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(s) = settings.with(|s| s.ready().cloned()) {
            minutes.set(s.idle_timeout_minutes.to_string());
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(value) = minutes.get_untracked().trim().parse::<i64>() else {
            notice.set(Some(i18n.t(Msg::SecurityIdleInvalid).to_string()));
            return;
        };
        let input = SecuritySettings { idle_timeout_minutes: value };
        if !input.validate().is_empty() {
            notice.set(Some(i18n.t(Msg::SecurityIdleInvalid).to_string()));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::put::<_, SecuritySettings>("/api/v1/admin/security", &input).await {
                Ok(_) => notice.set(Some(i18n.t(Msg::Saved).to_string())),
                Err(f) => notice.set(Some(failure_text(&Failure::from(&f), i18n.lang()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = input;
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(Msg::SecurityIdleTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::SecurityIdleAbout)}</p>
            <form class="form" method="post" on:submit=save novalidate>
                <label class="field">
                    <span>{move || i18n.t(Msg::SecurityIdleMinutes)}</span>
                    <input type="number" inputmode="numeric" min=IDLE_MIN_MINUTES max=IDLE_MAX_MINUTES
                        prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="primary">{move || i18n.t(Msg::Save)}</button>
                <Show when=move || notice.with(|n| n.is_some())>
                    <p role="status">{move || notice.get().unwrap_or_default()}</p>
                </Show>
            </form>
        </section>
    }
}

#[component]
fn Lockouts() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let rows = fetch::<Vec<Lockout>>(|| "/api/v1/admin/lockouts".into(), Reload::new());
    let when = move |t: &chrono::DateTime<chrono::Utc>| rounds::school_time::format_minute(&t.fixed_offset(), &store.zone());
    let columns = vec![
        col(Msg::SecurityLockedAt, move |l: &Lockout| when(&l.at)),
        col(Msg::SessionsAddress, |l: &Lockout| l.address.clone()),
        col(Msg::Username, move |l: &Lockout| l.username.clone().unwrap_or_else(|| i18n.t(Msg::SecurityManyAccounts).to_string())),
        col(Msg::SecurityFailures, |l: &Lockout| l.failures.to_string()),
        col(Msg::SecurityLockedUntil, move |l: &Lockout| when(&l.locked_until)),
    ];
    view! {
        <section>
            <h2>{move || i18n.t(Msg::SecurityLockoutsTitle)}</h2>
            <DataTable caption=Msg::SecurityLockoutsTitle rows columns/>
        </section>
    }
}

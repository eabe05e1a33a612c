use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            busy.set(true);
            error.set(None);
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                let body = serde_json::json!({ "username": username.get_untracked(), "password": password.get_untracked() });
                let result = match gloo_net::http::Request::post("/api/v1/session").json(&body) {
                    Ok(req) => req.send().await,
                    Err(e) => Err(e),
                };
                busy.set(false);
                match result {
                    Ok(resp) if resp.ok() => {
                        #[derive(serde::Deserialize)]
                        struct Session {
                            user: rounds::UserProfile,
                        }
                        match resp.json::<Session>().await {
                            Ok(session) => {
                                let previous = store.user.get_untracked();
                                let other_user = previous.as_ref().is_some_and(|p| p.id != session.user.id);
                                // Another person's unsynced records stay on the phone; synced ones go.
                                if other_user && store.unsynced_count() == 0 {
                                    let _ = crate::client::local_store::clear_user_data().await;
                                    store.records.set(Vec::new());
                                    store.roster.set(Default::default());
                                }
                                let _ = crate::client::local_store::set_meta(&[("user", &session.user)]).await;
                                store.user.set(Some(session.user));
                                store.connection.set(crate::state::Connection::Unknown);
                                crate::client::sync::request(store);
                                password.set(String::new());
                                navigate("/", Default::default());
                            }
                            Err(_) => error.set(Some(Msg::SignInFailed)),
                        }
                    }
                    Ok(resp) if resp.status() == 401 => error.set(Some(Msg::BadCredentials)),
                    Ok(resp) if resp.status() == 429 => error.set(Some(Msg::TooManyAttempts)),
                    Ok(resp) if resp.status() == 403 => error.set(Some(Msg::AccountDisabled)),
                    Ok(_) => error.set(Some(Msg::SignInFailed)),
                    Err(_) => error.set(Some(Msg::NeedNetworkToSignIn)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&navigate, store);
    };

    view! {
        <h1>{move || i18n.t(Msg::AppName)}</h1>
        <form class="card form" on:submit=submit>
            <label class="field">
                <span>{move || i18n.t(Msg::Username)}</span>
                <input type="text" name="username" autocomplete="username" autocapitalize="off" required
                    prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::Password)}</span>
                <input type="password" name="password" autocomplete="current-password" required
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().map(|m| i18n.t(m)).unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t(Msg::SigningIn) } else { i18n.t(Msg::SignIn) }}
            </button>
        </form>
    }
}

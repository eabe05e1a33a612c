//! Sign-in. The form is a real `POST /login` that the server handles by itself, so it works
//! before the wasm has arrived (a slow phone) or without JavaScript, and a credential never
//! lands in a URL. Once hydrated, the app sends the same fields to the JSON API instead and
//! opens the account's own local store.

use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;

/// The message for the `error` the server's form handler puts in the redirect.
fn refusal_message(code: &str) -> Msg {
    match code {
        "bad_credentials" => Msg::BadCredentials,
        "too_many_attempts" => Msg::TooManyAttempts,
        "account_disabled" => Msg::AccountDisabled,
        _ => Msg::SignInFailed,
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let query = leptos_router::hooks::use_query_map();
    let error = RwSignal::new(query.with_untracked(|q| q.get("error").map(|code| refusal_message(&code))));
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
                                // The account's own local store: another person's records on
                                // this phone stay in theirs, unseen, until they sign in again.
                                if let Err(e) = crate::client::switch_account(store, session.user).await {
                                    leptos::logging::error!("cannot open the account's local store: {e}");
                                    error.set(Some(Msg::SignInFailed));
                                    return;
                                }
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
        <form class="card form" method="post" action="/login" on:submit=submit>
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

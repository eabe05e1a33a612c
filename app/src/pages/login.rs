//! Sign-in. The form is a real `POST /login` that the server handles by itself, so it works
//! before the wasm has arrived (a slow phone) or without JavaScript, and a credential never
//! lands in a URL. Once hydrated, the app sends the same fields to the JSON API instead and
//! opens the account's own local store.

use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;

/// Which of the university's sign-ins (统一身份认证) the server offers. The server renders the
/// page with it as context, so the buttons are there without JavaScript; the app asks
/// `/auth/providers` when it shows the page itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SsoOffer {
    pub cas: bool,
    pub oidc: bool,
}

/// `path?next=…` when the page was given a `next` (the server checks it is one of ours).
fn sso_href(path: &str, next: Option<&str>) -> String {
    match next {
        Some(next) => {
            let mut encoded = String::new();
            for b in next.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                    encoded.push(b as char);
                } else {
                    encoded.push_str(&format!("%{b:02X}"));
                }
            }
            format!("{path}?next={encoded}")
        }
        None => path.to_string(),
    }
}

/// Where the university's own session ends (single logout) for this browser's session, when it
/// came from the university's sign-in; `None` for a password, or offline.
#[cfg(feature = "hydrate")]
pub async fn university_logout_url() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct LogoutUrl {
        url: Option<String>,
    }
    let resp = gloo_net::http::Request::get("/auth/logout-url").send().await.ok()?;
    if !resp.ok() {
        return None;
    }
    crate::client::http::body::<LogoutUrl>(&resp).await.ok()?.url
}

/// A full page load of `url` (the university's pages are not the app's routes).
#[cfg(feature = "hydrate")]
pub fn leave_for(url: &str) {
    if let Err(e) = leptos::prelude::window().location().set_href(url) {
        leptos::logging::error!("cannot open {url}: {e:?}");
    }
}

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
    // The fields are the browser's, not signals: the page is painted (and the password manager
    // fills it, or a person types) before the wasm arrives, and hydration sets a bound value back
    // to the signal's, wiping what was typed. The app reads them when the form is sent.
    let username: NodeRef<leptos::html::Input> = NodeRef::new();
    let password: NodeRef<leptos::html::Input> = NodeRef::new();
    let query = leptos_router::hooks::use_query_map();
    let error = RwSignal::new(query.with_untracked(|q| q.get("error").map(|code| refusal_message(&code))));
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let offer = RwSignal::new(use_context::<SsoOffer>().unwrap_or_default());
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok(resp) = gloo_net::http::Request::get("/auth/providers").send().await {
            if let Ok(o) = crate::client::http::body::<SsoOffer>(&resp).await {
                offer.set(o);
            }
        }
    });
    let next = query.with_untracked(|q| q.get("next"));
    let cas_href = sso_href("/auth/cas/login", next.as_deref());
    let oidc_href = sso_href("/auth/oidc/login", next.as_deref());
    // A plain link (rel=external: a full page load, not the app's router). With the app running,
    // a sign-out made offline is finished first, so the session it ended is not the one the app
    // would take up when the university sends the phone back. The phone's records stay as they are.
    let leave = move |href: String| {
        move |ev: leptos::ev::MouseEvent| {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                let href = href.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(Some(user)) = crate::client::local_store::pending_sign_out().await {
                        crate::client::end_server_session(user).await;
                    }
                    leave_for(&href);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &href);
        }
    };

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
                let field = |input: NodeRef<leptos::html::Input>| input.get_untracked().map(|el| el.value()).unwrap_or_default();
                let body = serde_json::json!({ "username": field(username), "password": field(password) });
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
                        match crate::client::http::body::<Session>(&resp).await {
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
                                if let Some(el) = password.get_untracked() {
                                    el.set_value("");
                                }
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
        let _ = (&navigate, store, username, password);
    };

    view! {
        <h1>{move || i18n.t(Msg::AppName)}</h1>
        <div class="card form sso" class:hidden=move || { let o = offer.get(); !o.cas && !o.oidc }>
            <a class="button primary" rel="external" href=cas_href.clone() class:hidden=move || !offer.get().cas on:click=leave(cas_href.clone())>
                {move || i18n.t(Msg::SsoSignIn)}
            </a>
            <a class="button primary" rel="external" href=oidc_href.clone() class:hidden=move || !offer.get().oidc on:click=leave(oidc_href.clone())>
                {move || i18n.t(if offer.get().cas { Msg::SsoSignInOidc } else { Msg::SsoSignIn })}
            </a>
            <p class="muted">{move || i18n.t(Msg::SsoOr)}</p>
        </div>
        <form class="card form" method="post" action="/login" on:submit=submit>
            <label class="field">
                <span>{move || i18n.t(Msg::Username)}</span>
                <input type="text" name="username" autocomplete="username" autocapitalize="off" required
                    node_ref=username/>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::Password)}</span>
                <input type="password" name="password" autocomplete="current-password" required
                    node_ref=password/>
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

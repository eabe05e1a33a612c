//! The floor: what Leptos 0.8 costs a phone before any of Rounds' own code. Two routes (a
//! sign-in form and a list of links), meta tags, one request and one JSON struct read.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

#[derive(serde::Deserialize, Clone)]
struct Account {
    name: String,
}

async fn sign_in(username: String, password: String) -> Result<Account, String> {
    let request =
        gloo_net::http::Request::post("/api/v1/session").json(&serde_json::json!({ "username": username, "password": password })).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|e| e.to_string())?;
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

#[component]
fn Login() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            answer.set(Some(match sign_in(u, p).await {
                Ok(account) => account.name,
                Err(e) => e,
            }));
        });
    };
    view! {
        <form on:submit=submit>
            <label>"Username" <input bind:value=username/></label>
            <label>"Password" <input type="password" bind:value=password/></label>
            <button type="submit">"Sign in"</button>
            <Show when=move || answer.get().is_some()>
                <p role="alert">{move || answer.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn Home() -> impl IntoView {
    let rooms = RwSignal::new(vec![(1u32, "101".to_string()), (2, "102".to_string())]);
    view! {
        <ul>
            <For each=move || rooms.get() key=|room| room.0 let:room>
                <li><A href=format!("/rooms/{}", room.0)>{room.1}</A></li>
            </For>
        </ul>
    }
}

#[component]
fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Floor"/>
        <Meta name="theme-color" content="#0f766e"/>
        <Router>
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=Login/>
                </Routes>
            </main>
        </Router>
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

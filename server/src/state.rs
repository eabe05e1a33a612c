//! What every handler shares.

use crate::assets::BuildAssets;
use crate::db::Store;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Config {
    /// Set the session cookie's `Secure` flag (behind HTTPS).
    pub secure_cookies: bool,
    /// The public origin when the server sits behind a proxy, e.g. `https://rounds.example.edu.cn`.
    pub public_origin: Option<String>,
    /// The largest request body the push accepts, in bytes.
    pub max_push_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { secure_cookies: false, public_origin: None, max_push_bytes: 8 * 1024 * 1024 }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Verified against when the username is unknown, so both paths cost the same.
    pub dummy_hash: Arc<String>,
    pub leptos_options: LeptosOptions,
    pub assets: Arc<BuildAssets>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

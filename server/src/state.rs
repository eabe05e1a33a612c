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
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For` (its last
    /// hop) and HTTPS from `X-Forwarded-Proto`. Off by default, as anyone can send them.
    pub trust_proxy: bool,
    /// Sign-in through the university (CAS, OpenID Connect); none by default.
    pub sso: crate::sso::config::SsoConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            public_origin: None,
            max_push_bytes: 8 * 1024 * 1024,
            trust_proxy: false,
            sso: crate::sso::config::SsoConfig::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Verified against when the username is unknown, so both paths cost the same.
    pub dummy_hash: Arc<String>,
    /// Where argon2 runs: a bounded pool, so sign-ins cannot starve the async workers.
    pub hashing: Arc<crate::hashing::HashingPool>,
    /// Where answers built whole in memory (first pulls) take turns.
    pub heavy: Arc<crate::memory::HeavyAnswers>,
    pub leptos_options: LeptosOptions,
    pub assets: Arc<BuildAssets>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

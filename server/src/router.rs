//! The whole HTTP surface: the API, the PWA files, the static bundle, and the Leptos pages.

use crate::assets::BuildAssets;
use crate::db::Store;
use crate::state::{AppState, Config};
use crate::{api, auth, language, pwa, security};
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Where the built site lives and whether its file names are hashed.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub site_root: PathBuf,
    pub hash_files: bool,
    /// cargo-leptos writes it beside the server binary.
    pub hash_file: PathBuf,
}

impl SiteOptions {
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder().output_name("rounds").site_root(self.site_root.display().to_string()).site_pkg_dir("pkg").hash_files(self.hash_files).build()
    }
}

pub async fn state(store: Store, config: Config, site: &SiteOptions) -> anyhow::Result<AppState> {
    let assets = BuildAssets::load("rounds", "pkg", site.hash_files.then_some(site.hash_file.as_path()), &site.site_root);
    let dummy_hash = tokio::task::spawn_blocking(|| auth::hash_password("not a real password")).await??;
    Ok(AppState {
        store,
        config: Arc::new(config),
        dummy_hash: Arc::new(dummy_hash),
        hashing: Arc::default(),
        heavy: Arc::default(),
        leptos_options: site.leptos_options(),
        assets: Arc::new(assets),
    })
}

/// Runs for every server-rendered page: Leptos has made the page's nonce; the page's policy
/// names it, so its hydration script runs and no other inline script can.
fn page_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), leptos::prelude::use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&security::page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

pub fn app(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(rounds_app::App);
    let pkg_cache = if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    // The bundle is compressed once at build time (`rounds-server precompress`: brotli 11 and
    // gzip 9), and served as it lies beside each file, with its
    // Content-Encoding and Content-Length; the on-the-fly CompressionLayer leaves such answers
    // alone. A file without a compressed copy is compressed on the fly as before.
    let pkg = Router::new()
        .fallback_service(ServeDir::new(PathBuf::from(options.site_root.as_ref()).join("pkg")).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(pkg_cache)))
        .layer(SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding")));

    Router::new()
        .merge(api::routes(&state))
        .route("/healthz", get(|| async { "ok" }))
        .route("/sw.js", get(pwa::service_worker))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .route("/shell", get(pwa::shell))
        .route("/lang", post(language::switch))
        .nest("/pkg", pkg)
        .leptos_routes_with_context(
            &state,
            routes,
            {
                // The login page offers the university's sign-in without waiting for the wasm.
                let offer = state.config.sso.offer();
                move || {
                    page_policy();
                    leptos::prelude::provide_context(offer);
                    // Each page is drawn in the language its visitor chose (the app reads the same cookie).
                    let lang = leptos::prelude::with_context(|parts: &axum::http::request::Parts| language::of_request(&parts.headers));
                    leptos::prelude::provide_context(lang.unwrap_or_default());
                }
            },
            {
                let options = options.clone();
                move || rounds_app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(rounds_app::shell))
        // Inside the Origin check: a refused write is never logged as made.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::api::audit::record_calls))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::check_origin))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(DefaultMakeSpan::new().level(Level::INFO)).on_response(DefaultOnResponse::new().level(Level::INFO)))
        .with_state(state)
}

//! What makes the app installable and able to start with no network: the manifest, the
//! service worker (made per build, so it precaches exactly this build's hashed files), and the
//! shell page that the worker serves for navigations while offline.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};

pub const THEME_COLOR: &str = "#0f766e";
pub const ICONS: [&str; 3] = ["/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png"];

pub async fn manifest() -> impl IntoResponse {
    let body = serde_json::json!({
        "name": "学工巡访 Rounds",
        "short_name": "学工巡访",
        "description": "辅导员查寝、谈心谈话与家校联系记录，离线可用",
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            { "src": ICONS[0], "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": ICONS[1], "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": ICONS[2], "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    });
    ([(header::CONTENT_TYPE, "application/manifest+json")], body.to_string())
}

/// The page a phone opens with no network: the app mounts itself from the local store.
/// It is not server-rendered content, so it can stand in for any URL without a hydration mismatch.
pub async fn shell(State(state): State<AppState>) -> impl IntoResponse {
    let a = &state.assets;
    let script = format!("import init, {{ mount }} from '{js}'; init({{ module_or_path: '{wasm}' }}).then(() => mount());", js = a.js, wasm = a.wasm);
    // All three asked for at once: otherwise the chunk loader is found only once the app's script
    // has arrived, and the wasm only once both have run, each a trip to the worker's cache.
    let split_js = a.split_js.as_deref().map(|path| format!("\n<link rel=\"modulepreload\" href=\"{path}\">")).unwrap_or_default();
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="{THEME_COLOR}">
<title>学工巡访</title>
<link rel="manifest" href="/manifest.webmanifest">
<link rel="icon" href="{icon}">
<link rel="stylesheet" href="{css}">
<link rel="modulepreload" href="{js}">{split_js}
<link rel="preload" href="{wasm}" as="fetch" type="application/wasm" crossorigin>
<script type="module">{script}</script>
</head>
<body></body>
</html>"#,
        icon = ICONS[0],
        css = a.css,
        js = a.js,
        wasm = a.wasm,
    );
    // Allowed by its hash: the service worker caches page and header together, offline too.
    let policy = crate::security::hashed_policy(&script);
    ([(header::CACHE_CONTROL, "no-cache".to_string()), (header::CONTENT_SECURITY_POLICY, policy)], Html(html))
}

pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    let a = &state.assets;
    // What any visitor needs to start offline: the shell, the main chunk (login and Today) and
    // the chunk loader. The field pages' chunks follow once someone signs in (a first visit to
    // the login page does not wait on them); the office's chunks are cached when first fetched.
    let precache: Vec<&str> =
        ["/shell", a.js.as_str(), a.wasm.as_str(), a.css.as_str(), "/manifest.webmanifest"].into_iter().chain(a.split_js.as_deref()).chain(ICONS).collect();
    let json = |list: &[&str]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    let field: Vec<&str> = a.field_chunks.iter().map(String::as_str).collect();
    let script =
        SERVICE_WORKER.replace("__BUILD__", &state.assets.build_id).replace("__PRECACHE__", &json(&precache)).replace("__FIELD_CHUNKS__", &json(&field));
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], script)
}

const SERVICE_WORKER: &str = include_str!("sw.js");

//! Every answer carries the security headers (issue 14.3): pages, API answers, assets, the
//! offline shell and the service worker; a page's inline scripts all carry the nonce its
//! policy names, so the policy needs no `'unsafe-inline'` for scripts.

mod common;

use common::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn assert_common(h: &HeaderMap, what: &str) {
    let csp = header(h, "content-security-policy");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'") && csp.contains("base-uri 'self'"), "{what}: {csp}");
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(h, "referrer-policy"), "same-origin", "{what}");
    let permissions = header(h, "permissions-policy");
    assert!(permissions.contains("camera=(self)") && permissions.contains("geolocation=()") && permissions.contains("microphone=()"), "{what}: {permissions}");
}

#[tokio::test]
async fn pages_api_answers_assets_and_the_worker_carry_the_headers() {
    let s = server().await;
    let c = client();

    let page = c.get(s.url("/login")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert_common(&headers, "/login");
    let csp = header(&headers, "content-security-policy");
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a page's policy names its nonce").to_string();
    assert!(nonce.len() >= 16, "a nonce of 128 bits: {nonce}");
    let html = page.text().await.expect("html");
    let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| s.split('>').next().unwrap_or_default()).collect();
    assert!(!scripts.is_empty(), "the page has its hydration script");
    for tag in &scripts {
        assert!(tag.contains("src=") || tag.contains(&format!("nonce=\"{nonce}\"")), "an inline script without the page's nonce: <script{tag}>");
    }
    assert!(!html.contains(" onclick=") && !html.contains(" onload="), "no inline event handlers");

    // Each page gets a nonce of its own.
    let again = c.get(s.url("/login")).send().await.expect("page");
    assert_ne!(header(again.headers(), "content-security-policy"), csp);

    for (path, status) in [
        ("/api/v1/session", StatusCode::UNAUTHORIZED),
        ("/api/v1/openapi.json", StatusCode::OK),
        ("/healthz", StatusCode::OK),
        ("/sw.js", StatusCode::OK),
        ("/manifest.webmanifest", StatusCode::OK),
        ("/pkg/no-such-file.wasm", StatusCode::NOT_FOUND),
    ] {
        let resp = c.get(s.url(path)).send().await.expect(path);
        assert_eq!(resp.status(), status, "{path}");
        assert_common(resp.headers(), path);
        assert!(!header(resp.headers(), "content-security-policy").contains("'nonce-"), "{path}");
    }

    // The offline shell's one inline script is allowed by its hash, so page and header can be
    // cached together by the service worker.
    let shell = c.get(s.url("/shell")).send().await.expect("shell");
    assert_common(shell.headers(), "/shell");
    assert!(header(shell.headers(), "content-security-policy").contains("'sha256-"));
}

//! The security headers of every answer (issue 14.3), set in one layer: a strict
//! Content-Security-Policy, `nosniff`, no framing, a same-origin referrer, and no powerful
//! browser feature but the camera (photos of dorm rooms).
//!
//! The policy allows scripts from this origin only, plus `'wasm-unsafe-eval'` (what compiling
//! the wasm needs, far narrower than `'unsafe-eval'`) and, for a page, the one inline bootstrap
//! script that carries the page's nonce (Leptos makes a nonce per response; `page_policy`
//! names it) or, for the offline shell, the hash of its script. Inline `style=` attributes are
//! allowed (`style-src-attr`): the compliance bars set their widths with one; they cannot run
//! code. `<style>` elements are not.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Who may use which browser feature: the camera for photos, nothing else.
pub const PERMISSIONS_POLICY: &str = "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), \
     bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()";

/// The policy with `extra` sources for scripts (a nonce or a hash), or none.
fn policy(extra_script_source: Option<&str>) -> String {
    let extra = extra_script_source.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{extra}; style-src 'self'; style-src-attr 'unsafe-inline'; \
         img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         media-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// What every answer gets unless it says otherwise: JSON, assets, the service worker.
pub fn default_policy() -> String {
    policy(None)
}

/// A server-rendered page's: its inline bootstrap script carries this nonce.
pub fn page_policy(nonce: &str) -> String {
    policy(Some(&format!("'nonce-{nonce}'")))
}

/// A page whose one inline script is known in advance (the offline shell): allowed by its hash,
/// so the service worker can cache page and header together.
pub fn hashed_policy(script: &str) -> String {
    use base64::Engine as _;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    policy(Some(&format!("'sha256-{digest}'")))
}

/// Adds the headers an answer lacks; an answer that set its own policy (a page) keeps it.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let defaults: [(HeaderName, String); 6] = [
        (header::CONTENT_SECURITY_POLICY, default_policy()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        (header::X_FRAME_OPTIONS, "DENY".into()),
        (header::REFERRER_POLICY, "same-origin".into()),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY.into()),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin".into()),
    ];
    for (name, value) in defaults {
        if !h.contains_key(&name) {
            if let Ok(value) = HeaderValue::from_str(&value) {
                h.insert(name, value);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_need_the_origin_the_nonce_or_the_hash_never_unsafe_eval() {
        for p in [default_policy(), page_policy("abc"), hashed_policy("init()")] {
            assert!(p.contains("script-src 'self' 'wasm-unsafe-eval'"), "{p}");
            assert!(!p.contains("'unsafe-eval'") && !p.contains("script-src 'self' 'unsafe-inline'"), "{p}");
            assert!(p.contains("frame-ancestors 'none'") && p.contains("object-src 'none'"), "{p}");
        }
        assert!(page_policy("abc").contains("'nonce-abc'"));
        // echo -n 'init()' | openssl dgst -sha256 -binary | base64
        assert!(hashed_policy("init()").contains("'sha256-"));
        assert_ne!(hashed_policy("init()"), hashed_policy("init(); evil()"));
    }
}

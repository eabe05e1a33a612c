//! The login page's plain HTML form (issue 14.1): a `POST /login` the server handles itself,
//! so a phone that has not loaded the wasm yet, or a browser without JavaScript, signs in
//! without ever putting the password in a URL.

mod common;

use common::*;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{redirect, Client, StatusCode};

fn no_redirects() -> Client {
    Client::builder().redirect(redirect::Policy::none()).cookie_store(true).build().expect("client")
}

#[tokio::test]
async fn the_form_signs_in_with_a_post_and_redirects_to_the_app() {
    let s = server().await;
    let c = no_redirects();
    let resp = c.post(s.url("/login")).form(&[("username", "counselor"), ("password", rounds_server::demo::DEMO_PASSWORD)]).send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/"));
    let cookie = resp.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(cookie.starts_with("rounds_session=") && cookie.contains("HttpOnly"), "{cookie}");

    // The cookie is a real session.
    let me = s.get(&c, "/api/v1/session", StatusCode::OK).await;
    assert_eq!(me["user"]["username"], "counselor");
}

#[tokio::test]
async fn a_refused_form_comes_back_with_a_code_and_never_the_credentials() {
    let s = server().await;
    let c = no_redirects();
    for (username, password, code) in [("counselor", "wrong-password-1", "bad_credentials"), ("nobody-at-all", "wrong-password-2", "bad_credentials")] {
        let resp = c.post(s.url("/login")).form(&[("username", username), ("password", password)]).send().await.expect("post");
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert_eq!(location, format!("/login?error={code}"));
        assert!(!location.contains(password) && !location.contains(username));
        assert!(resp.headers().get(SET_COOKIE).is_none());
    }
    s.get(&c, "/api/v1/session", StatusCode::UNAUTHORIZED).await;

    // A body that is no form at all is refused the same way, not with a 4xx page.
    let resp = c.post(s.url("/login")).header("content-type", "text/plain").body("x").send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/login?error=sign_in_failed"));
}

#[tokio::test]
async fn the_form_is_a_write_and_obeys_the_origin_check() {
    let s = server().await;
    let c = no_redirects();
    let resp = c
        .post(s.url("/login"))
        .header("origin", "http://evil.example")
        .form(&[("username", "counselor"), ("password", rounds_server::demo::DEMO_PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.headers().get(SET_COOKIE).is_none());
}

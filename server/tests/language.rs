//! The language switch as a plain form (issue 13): a tap before the wasm arrives posts to
//! `/lang`, which sets the language cookie and goes back to the same page, drawn by the server
//! in the chosen language.

mod common;

use common::*;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{redirect, Client, StatusCode};

fn no_redirects() -> Client {
    Client::builder().redirect(redirect::Policy::none()).build().expect("client")
}

#[tokio::test]
async fn the_switch_sets_the_cookie_and_the_page_comes_back_in_that_language() {
    let s = server().await;
    let c = no_redirects();
    let chinese = c.get(s.url("/login")).send().await.expect("page").text().await.expect("body");
    assert!(chinese.contains(r#"<html lang="zh-CN""#) && chinese.contains("用户名"), "Chinese by default");

    let resp = c.post(s.url("/lang")).form(&[("to", "en"), ("back", "/login?error=bad_credentials")]).send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/login?error=bad_credentials"));
    let cookie = resp.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(cookie.starts_with("rounds_lang=en;") && cookie.contains("Path=/") && cookie.contains("Max-Age="), "{cookie}");
    // The app reads it too, so it must not be HttpOnly.
    assert!(!cookie.contains("HttpOnly"), "{cookie}");

    let english = c.get(s.url("/login")).header(COOKIE, "rounds_lang=en").send().await.expect("page").text().await.expect("body");
    assert!(english.contains(r#"<html lang="en""#), "the page says its language");
    assert!(english.contains("Username") && !english.contains("用户名"), "the login page is drawn in English");
    // The switch now offers Chinese, and would come back here.
    assert!(english.contains(r#"name="to" value="zh-CN""#) && english.contains(r#"name="back" value="/login""#), "{english}");
}

#[tokio::test]
async fn the_switch_never_sends_anyone_to_another_site() {
    let s = server().await;
    let c = no_redirects();
    for back in ["https://evil.example/", "//evil.example/", "/\\evil.example", ""] {
        let resp = c.post(s.url("/lang")).form(&[("to", "zh-CN"), ("back", back)]).send().await.expect("post");
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{back:?}");
        assert_eq!(resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/"), "{back:?}");
    }
}

#[tokio::test]
async fn an_unknown_language_is_refused_with_its_field() {
    let s = server().await;
    let c = no_redirects();
    let resp = c.post(s.url("/lang")).form(&[("to", "fr"), ("back", "/login")]).send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get(SET_COOKIE).is_none());
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body["error"]["fields"][0]["field"], "to", "{body}");

    let resp = c.post(s.url("/lang")).header("content-type", "text/plain").body("to=en").send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn the_switch_is_a_write_and_obeys_the_origin_check() {
    let s = server().await;
    let c = no_redirects();
    let resp = c.post(s.url("/lang")).header("origin", "http://evil.example").form(&[("to", "en"), ("back", "/")]).send().await.expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.headers().get(SET_COOKIE).is_none());
}

//! Sessions and sign-in throttling (issue 14.4, 14.5, 15.4): a stranger who knows a
//! counselor's username cannot lock them out; an address trying many accounts is stopped for
//! all; the office sees the lock-outs; staff see and end their own sessions; an unused session
//! ends after the office's idle timeout; a reset password or a disabled account ends every
//! session; a flood of sign-ins is answered, not queued for ever, and the server stays up.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds_server::state::Config;
use serde_json::{json, Value};

const ATTACKER: &str = "203.0.113.9";
const PHONE: &str = "198.51.100.7";

async fn login_from(s: &TestServer, c: &Client, address: &str, username: &str, password: &str) -> StatusCode {
    c.post(s.url("/api/v1/session"))
        .header("x-forwarded-for", format!("10.1.1.1, {address}"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login")
        .status()
}

fn proxied() -> Config {
    Config { trust_proxy: true, ..Config::default() }
}

#[tokio::test]
async fn a_stranger_cannot_lock_a_counselor_out_of_their_own_account() {
    let s = server_with(proxied()).await;
    let attacker = client();
    let mut statuses = Vec::new();
    for i in 0..7 {
        statuses.push(login_from(&s, &attacker, ATTACKER, "counselor", &format!("guess-{i}")).await);
    }
    assert_eq!(&statuses[..5], &[StatusCode::UNAUTHORIZED; 5]);
    assert_eq!(statuses[6], StatusCode::TOO_MANY_REQUESTS, "the attacker's address is slowed: {statuses:?}");
    // The right password from the attacker's address waits too…
    assert_eq!(login_from(&s, &attacker, ATTACKER, "counselor", rounds_server::demo::DEMO_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    // …but the counselor's own phone signs in.
    let phone = client();
    assert_eq!(login_from(&s, &phone, PHONE, "counselor", rounds_server::demo::DEMO_PASSWORD).await, StatusCode::OK);

    let (office, _) = s.login("office").await;
    let lockouts = s.get(&office, "/api/v1/admin/lockouts", StatusCode::OK).await;
    let first = &lockouts[0];
    assert_eq!(first["address"], ATTACKER);
    assert_eq!(first["username"], "counselor");
    assert!(first["failures"].as_i64().unwrap_or(0) >= 5);
    let (counselor, _) = s.login("counselor").await;
    s.get(&counselor, "/api/v1/admin/lockouts", StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn an_address_trying_many_accounts_is_stopped_for_all_of_them() {
    let s = server_with(proxied()).await;
    let attacker = client();
    for i in 0..20 {
        let username = ["counselor", "counselor2", "headteacher", "leader", "office"][i % 5];
        let status = login_from(&s, &attacker, ATTACKER, username, &format!("spray-{i}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "try {i}");
    }
    // Now even an account it never tried, with the right password, is refused from there.
    assert_eq!(login_from(&s, &attacker, ATTACKER, "admin", rounds_server::demo::DEMO_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_from(&s, &client(), PHONE, "admin", rounds_server::demo::DEMO_PASSWORD).await, StatusCode::OK);
    let (office, _) = s.login("office").await;
    let lockouts = s.get(&office, "/api/v1/admin/lockouts", StatusCode::OK).await;
    assert!(lockouts.as_array().unwrap().iter().any(|l| l["address"] == ATTACKER && l["username"].is_null()), "{lockouts}");
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // Without --trust-proxy, X-Forwarded-For is anyone's to send: every try is the peer's own.
    let s = server().await;
    let c = client();
    for i in 0..6 {
        login_from(&s, &c, &format!("192.0.2.{i}"), "counselor", "wrong-password").await;
    }
    assert_eq!(login_from(&s, &c, "192.0.2.200", "counselor", "wrong-password").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn staff_see_and_end_their_own_sessions() {
    let s = server().await;
    let (phone, _) = s.login("counselor").await;
    let (laptop, _) = s.login("counselor").await;
    let (other, _) = s.login("counselor2").await;

    let mine = s.get(&phone, "/api/v1/sessions", StatusCode::OK).await;
    let mine = mine.as_array().expect("a list");
    assert_eq!(mine.len(), 2, "signed in on 2 devices");
    assert_eq!(mine.iter().filter(|v| v["current"] == true).count(), 1);
    let laptop_id = mine.iter().find(|v| v["current"] == false).expect("the other device")["id"].as_str().unwrap().to_string();

    // Someone else's session id is not theirs to end.
    let theirs = s.get(&other, "/api/v1/sessions", StatusCode::OK).await;
    let their_id = theirs[0]["id"].as_str().unwrap().to_string();
    s.delete_at(&phone, &format!("/api/v1/sessions/{their_id}"), StatusCode::NOT_FOUND).await;
    s.get(&other, "/api/v1/session", StatusCode::OK).await;

    s.delete_at(&phone, &format!("/api/v1/sessions/{laptop_id}"), StatusCode::OK).await;
    s.get(&laptop, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
    s.get(&phone, "/api/v1/session", StatusCode::OK).await;

    let (tablet, _) = s.login("counselor").await;
    s.delete_at(&phone, "/api/v1/sessions", StatusCode::BAD_REQUEST).await;
    let ended: Value = s.delete_at(&phone, "/api/v1/sessions?others=true", StatusCode::OK).await;
    assert_eq!(ended["ended"], 1);
    s.get(&tablet, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
    s.get(&phone, "/api/v1/session", StatusCode::OK).await;
}

#[tokio::test]
async fn an_unused_session_ends_after_the_offices_idle_timeout() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (counselor, _) = s.login("counselor").await;
    let bad = s.put_json(&office, "/api/v1/admin/security", json!({ "idle_timeout_minutes": 1 }), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields(&bad), vec![pair("idle_timeout_minutes", "out_of_range")]);
    s.put_json(&counselor, "/api/v1/admin/security", json!({ "idle_timeout_minutes": 60 }), StatusCode::FORBIDDEN).await;
    s.put_json(&office, "/api/v1/admin/security", json!({ "idle_timeout_minutes": 60 }), StatusCode::OK).await;
    assert_eq!(s.get(&office, "/api/v1/admin/security", StatusCode::OK).await["idle_timeout_minutes"], 60);

    s.get(&counselor, "/api/v1/session", StatusCode::OK).await;
    // The counselor's phone lies unused for two hours.
    let two_hours_ago = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    s.store
        .execute_sql("UPDATE sessions SET last_seen_at = $1 WHERE user_id = (SELECT id FROM users WHERE username = 'counselor')", &[&two_hours_ago])
        .await
        .expect("age the session");
    s.get(&counselor, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
    s.get(&office, "/api/v1/session", StatusCode::OK).await;
}

#[tokio::test]
async fn a_reset_password_or_a_disabled_account_ends_every_session() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (phone, me) = s.login("counselor").await;
    let (laptop, _) = s.login("counselor").await;
    s.post_json(&office, &format!("/api/v1/admin/accounts/{}/password", me.id), json!({ "password": "a brand new one" }), StatusCode::OK).await;
    s.get(&phone, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
    s.get(&laptop, "/api/v1/session", StatusCode::UNAUTHORIZED).await;

    let (c2, other) = s.login("counselor2").await;
    s.put_json(
        &office,
        &format!("/api/v1/admin/accounts/{}", other.id),
        json!({ "display_name": "李强", "role": "counselor", "active": false }),
        StatusCode::OK,
    )
    .await;
    s.get(&c2, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
}

/// The Set-Cookie of a counselor's sign-in, with `X-Forwarded-Proto` if given.
async fn session_cookie_of(s: &TestServer, forwarded_proto: Option<&str>) -> String {
    let mut req = client().post(s.url("/api/v1/session"));
    if let Some(proto) = forwarded_proto {
        req = req.header("x-forwarded-proto", proto);
    }
    let resp = req.json(&json!({ "username": "counselor", "password": rounds_server::demo::DEMO_PASSWORD })).send().await.expect("login");
    resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_cookie_is_secure_over_https_and_lives_two_weeks_at_most() {
    let https = server_with(Config { public_origin: Some("https://rounds.example.edu.cn".into()), ..Config::default() }).await;
    let cookie = session_cookie_of(&https, None).await;
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=1209600"), "14 days: {cookie}");

    let cookie = session_cookie_of(&server().await, Some("https")).await;
    assert!(!cookie.contains("Secure"), "plain http, and the proxy header is not trusted: {cookie}");

    // Behind a trusted proxy that says the request came over https.
    let cookie = session_cookie_of(&server_with(proxied()).await, Some("https")).await;
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn a_flood_of_sign_ins_is_answered_and_the_server_stays_up() {
    let s = server_with(proxied()).await;
    let base = s.base.clone();
    // 200 sign-ins at once from 200 addresses with unknown usernames: each costs an argon2.
    let tries: Vec<_> = (0..200)
        .map(|i| {
            let url = format!("{base}/api/v1/session");
            tokio::spawn(async move {
                client()
                    .post(url)
                    .header("x-forwarded-for", format!("10.9.{}.{}", i / 250, i % 250))
                    .json(&json!({ "username": format!("nobody{i}"), "password": "whatever-it-is" }))
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    let health = client().get(s.url("/healthz")).send().await.expect("health answers during the flood");
    assert_eq!(health.status(), StatusCode::OK);
    let mut busy = 0;
    for t in tries {
        let status = t.await.expect("task").expect("every sign-in is answered");
        assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::SERVICE_UNAVAILABLE, "{status}");
        busy += usize::from(status == StatusCode::SERVICE_UNAVAILABLE);
    }
    assert!(busy > 0, "past a short queue, sign-ins are told to come back rather than queued");
}

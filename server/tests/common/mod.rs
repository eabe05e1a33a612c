//! What the API tests share: a real server on a temporary database with the demo institution,
//! reached over loopback HTTP. The database is SQLite, or PostgreSQL with
//! `ROUNDS_TEST_DATABASE=postgres` (a fresh database per test in one throw-away cluster per test
//! process, see `rounds_server::db::pg_cluster`): the whole suite runs against either.
#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use rounds::sync::{PullResponse, PushResponse};
use rounds::{DormCheck, RecordBody, RecordEnvelope, RoomId, RosterSnapshot, UserProfile};
use rounds_server::db::Store;
use rounds_server::router::SiteOptions;
use rounds_server::state::Config;
use serde_json::{json, Value};

pub struct TestServer {
    pub base: String,
    pub store: Store,
    /// Stopped with the test server: its database connections close with it (a PostgreSQL
    /// cluster would otherwise run out of them in a test that makes a server per route).
    serving: tokio::task::AbortHandle,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

pub async fn server() -> TestServer {
    server_with(Config::default()).await
}

/// A test server with its own settings (e.g. behind a trusted proxy).
pub async fn server_with(config: Config) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = fresh_store(dir.path()).await;
    rounds_server::demo::load(&store).await.expect("demo");
    serve_store(store, config, dir).await
}

/// Whether the tests run on PostgreSQL (`ROUNDS_TEST_DATABASE=postgres`) rather than SQLite.
pub fn on_postgres() -> bool {
    std::env::var("ROUNDS_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A new empty, migrated database of the backend under test (SQLite's file in `dir`).
pub async fn fresh_store(dir: &std::path::Path) -> Store {
    let store = if on_postgres() { fresh_pg_store().await } else { Store::open_data_dir(dir).await.expect("open db") };
    store.migrate().await.expect("migrate");
    store
}

/// A new empty, migrated PostgreSQL database, whatever the backend under test.
pub async fn fresh_pg_store() -> Store {
    let cluster = rounds_server::db::pg_cluster::shared().expect("a throw-away PostgreSQL cluster");
    let url = cluster.fresh_database().await.expect("create database");
    let store = Store::connect(&url).await.expect("open db");
    store.migrate().await.expect("migrate");
    store
}

/// A server over `store` (already holding what the test needs), on a free loopback port.
pub async fn serve_store(store: Store, config: Config, dir: tempfile::TempDir) -> TestServer {
    // The server's own account of a 500, shown with a failing test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
    let site = SiteOptions { site_root: dir.path().join("site"), hash_files: false, hash_file: dir.path().join("hash.txt") };
    let state = rounds_server::router::state(store.clone(), config, &site).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let serving = tokio::spawn(async move {
        let _ = rounds_server::serve(listener, state).await;
    })
    .abort_handle();
    TestServer { base: format!("http://{addr}"), store, serving, _dir: dir }
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().expect("client")
}

/// Sends a request and checks its status; answers the JSON body.
pub async fn call(c: &Client, method: reqwest::Method, url: String, body: Option<Value>, status: StatusCode) -> Value {
    let mut req = c.request(method.clone(), &url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("request");
    let got = resp.status();
    let text = resp.text().await.expect("body");
    assert_eq!(got, status, "{method} {url}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// The `(field, code)` pairs of an error answer.
pub fn fields(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| (f["field"].as_str().unwrap_or("").to_string(), f["code"].as_str().unwrap_or("").to_string())).collect())
        .unwrap_or_default()
}

pub fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

impl TestServer {
    /// The site root the server serves `/pkg` from (empty until a test puts files there).
    pub fn site_root(&self) -> std::path::PathBuf {
        self._dir.path().join("site")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, c: &Client, path: &str, status: StatusCode) -> Value {
        call(c, reqwest::Method::GET, self.url(path), None, status).await
    }
    pub async fn post_json(&self, c: &Client, path: &str, body: Value, status: StatusCode) -> Value {
        call(c, reqwest::Method::POST, self.url(path), Some(body), status).await
    }
    pub async fn put_json(&self, c: &Client, path: &str, body: Value, status: StatusCode) -> Value {
        call(c, reqwest::Method::PUT, self.url(path), Some(body), status).await
    }
    pub async fn delete_at(&self, c: &Client, path: &str, status: StatusCode) -> Value {
        call(c, reqwest::Method::DELETE, self.url(path), None, status).await
    }

    pub async fn login(&self, username: &str) -> (Client, UserProfile) {
        let c = client();
        let resp = c
            .post(self.url("/api/v1/session"))
            .json(&json!({ "username": username, "password": rounds_server::demo::DEMO_PASSWORD }))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.expect("json");
        let user: UserProfile = serde_json::from_value(body["user"].clone()).expect("user");
        (c, user)
    }

    pub async fn pull(&self, c: &Client, since: i64) -> PullResponse {
        let resp = c.get(self.url(&format!("/api/v1/sync/pull?since={since}"))).send().await.expect("pull");
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.expect("pull json")
    }

    pub async fn push(&self, c: &Client, records: Vec<Value>) -> PushResponse {
        let resp = c.post(self.url("/api/v1/sync/push")).json(&json!({ "records": records })).send().await.expect("push");
        assert_eq!(resp.status(), StatusCode::OK, "{:?}", resp.text().await);
        resp.json().await.expect("push json")
    }
}

pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    rounds::school_time::now_in(&rounds::school_time::offset(8 * 3600))
}

pub fn check_of(roster: &RosterSnapshot, room: RoomId, user: &UserProfile, notes: &str) -> RecordEnvelope {
    let residents: Vec<_> = roster.residents(room).iter().map(|(_, s)| s.id).collect();
    let mut check = DormCheck::blank(room, &residents, now() - chrono::Duration::minutes(5));
    check.notes = notes.to_string();
    RecordEnvelope::new(RecordBody::DormCheck(check), user.id, "test-device", now())
}

pub fn to_json(env: &RecordEnvelope) -> Value {
    serde_json::to_value(env).expect("to json")
}

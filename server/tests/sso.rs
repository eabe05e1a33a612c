//! Sign-in with the university's account (统一身份认证, issue 14) against real peers on loopback:
//! an OpenID Connect provider (npm oidc-provider, scripts/sso-peers/oidc.mjs) and a CAS server
//! (PyPI django-mama-cas, scripts/sso-peers/cas/serve.py), both installed by scripts/setup.
//! Without them these tests say "SKIPPED: …" on the terminal and pass, except where
//! ROUNDS_REQUIRE_SSO_PEERS=1 (scripts/test sets it), where a missing peer fails them.
//!
//! The browser is a cookie-keeping client that follows redirects by hand, so every hop between
//! Rounds and the university's server is seen.

mod common;

use common::*;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{redirect, Client, Response, StatusCode};
use rounds_server::db::Store;
use rounds_server::router::SiteOptions;
use rounds_server::sso::SsoArgs;
use rounds_server::state::Config;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const OIDC_SECRET: &str = "rounds-peer-secret";
const CAS_PASSWORD: &str = "cas-peer-password";

// ---- peers ----

fn peers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/sso-peers")
}

fn peers_venv() -> PathBuf {
    match std::env::var_os("SSO_PEERS_VENV") {
        Some(v) => PathBuf::from(v),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/rounds/sso-peers"),
    }
}

/// Says on the terminal (past the test harness's capture) that a test did not run, or fails
/// it where the peers must be there.
fn skipped(what: &str) {
    if std::env::var("ROUNDS_REQUIRE_SSO_PEERS").is_ok_and(|v| v == "1") {
        panic!("{what} is not installed, and ROUNDS_REQUIRE_SSO_PEERS=1: run scripts/setup");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what} not installed (scripts/setup installs it)");
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// A peer process, ended with the test.
struct Peer {
    child: Child,
    /// What it said when ready: the issuer, or the CAS base URL.
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` and waits for its line `<ready> URL`; its stderr goes to a file shown on failure.
fn start_peer(mut command: Command, ready: &str) -> Peer {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("stderr.log");
    command.current_dir(peers_dir()).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(std::fs::File::create(&log).expect("log"));
    // CAS needs its database somewhere.
    command.env("ROUNDS_PEER_DIR", dir.path());
    let mut child = command.spawn().expect("start the peer");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let prefix = format!("{ready} ");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix(&prefix) {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(url) => Peer { child, url, _dir: dir },
        Err(_) => {
            let _ = child.kill();
            panic!("the peer did not say '{ready}': {}", std::fs::read_to_string(&log).unwrap_or_default());
        }
    }
}

fn oidc_peer(rounds: &str) -> Option<Peer> {
    if !runs("node", &["--version"]) || !peers_dir().join("node_modules/oidc-provider/package.json").exists() {
        skipped("node/oidc-provider");
        return None;
    }
    let mut command = Command::new("node");
    command.arg("oidc.mjs").arg("--rounds").arg(rounds);
    Some(start_peer(command, "OIDC peer ready"))
}

fn cas_peer(rounds: &str) -> Option<Peer> {
    let python = peers_venv().join("bin/python");
    if !runs(&python.to_string_lossy(), &["-c", "import django, mama_cas"]) {
        skipped("python/django-mama-cas");
        return None;
    }
    let mut command = Command::new(python);
    // No __pycache__ left in the clone.
    command.env("PYTHONDONTWRITEBYTECODE", "1");
    command.arg("cas/serve.py").arg("--service").arg(format!("{rounds}/"));
    Some(start_peer(command, "CAS peer ready"))
}

// ---- Rounds ----

/// A Rounds server with the demo institution whose public origin is its own loopback address,
/// as single sign-on needs it before it starts.
struct Rounds {
    base: String,
    store: Store,
    listener: Option<tokio::net::TcpListener>,
    _dir: tempfile::TempDir,
}

impl Rounds {
    async fn bind() -> Rounds {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = common::fresh_store(dir.path()).await;
        rounds_server::demo::load(&store).await.expect("demo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        Rounds { base, store, listener: Some(listener), _dir: dir }
    }

    async fn serve(&mut self, sso: SsoArgs) {
        let config = Config { public_origin: Some(self.base.clone()), sso: sso.config().expect("sso config"), ..Config::default() };
        let site = SiteOptions { site_root: self._dir.path().join("site"), hash_files: false, hash_file: self._dir.path().join("hash.txt") };
        let state = rounds_server::router::state(self.store.clone(), config, &site).await.expect("state");
        let listener = self.listener.take().expect("served once");
        tokio::spawn(async move {
            let _ = rounds_server::serve(listener, state).await;
        });
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Gives `username` the staff number `staff_no`, as the office does (through the API).
    async fn record_staff_no(&self, username: &str, staff_no: &str) {
        let office = signed_in(self, "office").await;
        let id = self.store.user_by_name(username).await.expect("db").expect("account").profile.id.0;
        let resp = office.put(self.url(&format!("/api/v1/admin/accounts/{id}/staff-no"))).json(&json!({ "staff_no": staff_no })).send().await.expect("put");
        assert_eq!(resp.status(), StatusCode::OK, "{:?}", resp.text().await);
    }

    async fn disable(&self, username: &str) {
        self.store.execute_sql("UPDATE users SET disabled = TRUE WHERE username = $1", &[username]).await.expect("disable");
    }
}

async fn signed_in(r: &Rounds, username: &str) -> Client {
    let c = browser();
    let resp =
        c.post(r.url("/api/v1/session")).json(&json!({ "username": username, "password": rounds_server::demo::DEMO_PASSWORD })).send().await.expect("login");
    assert_eq!(resp.status(), StatusCode::OK);
    c
}

// ---- the browser ----

fn browser() -> Client {
    Client::builder().redirect(redirect::Policy::none()).cookie_store(true).build().expect("client")
}

fn location(resp: &Response) -> Option<String> {
    let here = resp.url().clone();
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).and_then(|l| here.join(l).ok()).map(|u| u.to_string())
}

/// The Location exactly as sent (a path of ours stays a path).
fn raw_location(resp: &Response) -> String {
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn sets_session(resp: &Response) -> bool {
    resp.headers().get_all(SET_COOKIE).iter().any(|v| v.to_str().is_ok_and(|c| c.starts_with("rounds_session=") && !c.starts_with("rounds_session=;")))
}

/// GETs `url` and follows redirects until one points at `stop` (answered, not followed).
async fn follow_until(c: &Client, url: &str, stop: &str) -> String {
    let mut url = url.to_string();
    for _ in 0..20 {
        let resp = c.get(&url).send().await.expect("get");
        let next = location(&resp);
        match next {
            Some(next) if next.starts_with(stop) => return next,
            Some(next) => url = next,
            None => panic!("{url} answered {} without reaching {stop}: {}", resp.status(), resp.text().await.unwrap_or_default()),
        }
    }
    panic!("too many redirects from {url}");
}

/// The value of the hidden input `name` in an HTML form.
fn hidden_input(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no input {name} in {html}"));
    let tag_start = html[..at].rfind('<').expect("tag");
    let tag_end = at + html[at..].find('>').expect("tag end");
    let tag = &html[tag_start..tag_end];
    let value = tag.split("value=\"").nth(1).expect("value");
    value[..value.find('"').expect("quote")].to_string()
}

async fn session_status(r: &Rounds, c: &Client) -> StatusCode {
    c.get(r.url("/api/v1/session")).send().await.expect("session").status()
}

async fn whoami(r: &Rounds, c: &Client) -> String {
    let me: serde_json::Value = c.get(r.url("/api/v1/session")).send().await.expect("session").json().await.expect("json");
    me["user"]["username"].as_str().unwrap_or_default().to_string()
}

// ---- OpenID Connect ----

fn oidc_args(issuer: &str) -> SsoArgs {
    SsoArgs {
        oidc_issuer: Some(issuer.into()),
        oidc_client_id: Some("rounds".into()),
        oidc_client_secret: Some(OIDC_SECRET.into()),
        oidc_claim: "staff_no".into(),
        oidc_scopes: "openid profile".into(),
        ..SsoArgs::default()
    }
}

/// Starts a sign-in at Rounds as `account` and comes back to just before Rounds' callback.
async fn oidc_to_callback(r: &Rounds, peer: &Peer, c: &Client, account: &str, next: Option<&str>) -> String {
    let resp = reqwest::get(format!("{}/test/login-as?account={account}", peer.url)).await.expect("login-as");
    assert_eq!(resp.status(), StatusCode::OK);
    let start = match next {
        Some(next) => format!("/auth/oidc/login?next={}", url_encode(next)),
        None => "/auth/oidc/login".into(),
    };
    let resp = c.get(r.url(&start)).send().await.expect("start");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let authorize = location(&resp).expect("to the provider");
    assert!(authorize.starts_with(&format!("{}/auth?", peer.url)), "{authorize}");
    for part in ["code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "scope=openid+profile", "client_id=rounds"] {
        assert!(authorize.contains(part), "the authorization request has {part}: {authorize}");
    }
    follow_until(c, &authorize, &r.url("/auth/oidc/callback")).await
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn openid_connect_signs_staff_in_and_out_through_a_real_provider() {
    let mut r = Rounds::bind().await;
    let Some(peer) = oidc_peer(&r.base) else { return };
    r.serve(oidc_args(&peer.url)).await;
    r.record_staff_no("counselor", "T1001").await;
    r.record_staff_no("counselor2", "T1002").await;
    r.disable("counselor2").await;

    // The login page offers it, as a plain link, without JavaScript.
    let offer: serde_json::Value = browser().get(r.url("/auth/providers")).send().await.expect("providers").json().await.expect("json");
    assert_eq!(offer, json!({ "cas": false, "oidc": true }));

    // A known staff number: a session, and back to the page asked for.
    let c = browser();
    let callback = oidc_to_callback(&r, &peer, &c, "zhang", Some("/records")).await;
    let resp = c.get(&callback).send().await.expect("callback");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{:?}", resp.text().await);
    assert_eq!(raw_location(&resp), "/records");
    assert!(sets_session(&resp));
    assert_eq!(whoami(&r, &c).await, "counselor");

    // The sign-in under way is used once: the same answer again opens nothing.
    let resp = c.get(&callback).send().await.expect("replay");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!sets_session(&resp));

    // Single logout: the app asks where to go, ends its session, then goes to the provider,
    // which takes the ID token as hint and comes back to the login page.
    let out: serde_json::Value = c.get(r.url("/auth/logout-url")).send().await.expect("logout url").json().await.expect("json");
    let logout = out["url"].as_str().expect("a logout URL").to_string();
    assert!(logout.starts_with(&format!("{}/session/end?", peer.url)), "{logout}");
    assert!(logout.contains("id_token_hint=") && logout.contains(&format!("post_logout_redirect_uri={}", url_encode(&r.url("/login")))), "{logout}");
    assert_eq!(c.delete(r.url("/api/v1/session")).send().await.expect("delete").status(), StatusCode::NO_CONTENT);
    let page = c.get(&logout).send().await.expect("end session");
    assert_eq!(page.status(), StatusCode::OK, "the provider accepts the hint");
    let html = page.text().await.expect("html");
    let action = html.split("action=\"").nth(1).and_then(|a| a.split('"').next()).expect("the logout form").to_string();
    let confirm = c
        .post(format!("{}{}", peer.url, action.trim_start_matches(&peer.url)))
        .form(&[("xsrf", hidden_input(&html, "xsrf").as_str()), ("logout", "yes")])
        .send()
        .await
        .expect("confirm");
    assert_eq!(location(&confirm).as_deref(), Some(r.url("/login").as_str()), "the provider sends the phone back to the login page");
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED);
    // A password session has no university logout.
    let password = signed_in(&r, "counselor").await;
    let out: serde_json::Value = password.get(r.url("/auth/logout-url")).send().await.expect("logout url").json().await.expect("json");
    assert_eq!(out["url"], serde_json::Value::Null);

    // An unknown staff number: a page saying so in both languages, and no session.
    let c = browser();
    let callback = oidc_to_callback(&r, &peer, &c, "stranger", None).await;
    let resp = c.get(&callback).send().await.expect("callback");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!sets_session(&resp));
    let page = resp.text().await.expect("page");
    assert!(page.contains("没有对应的账号") && page.contains("No account") && page.contains("T9999"), "{page}");
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED);
    assert!(r.store.user_by_staff_no("T9999").await.expect("db").is_none(), "no account was made");

    // A disabled account is refused as with a password.
    let c = browser();
    let callback = oidc_to_callback(&r, &peer, &c, "disabled", None).await;
    let resp = c.get(&callback).send().await.expect("callback");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!sets_session(&resp));
    assert!(resp.text().await.expect("page").contains("账号已停用"));
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED);

    // A forged state is refused, and so is an answer that comes back to another browser.
    let c = browser();
    let callback = oidc_to_callback(&r, &peer, &c, "zhang", None).await;
    let mut forged = url::Url::parse(&callback).expect("url");
    let pairs: Vec<(String, String)> =
        forged.query_pairs().map(|(k, v)| (k.to_string(), if k == "state" { "forged".into() } else { v.into_owned() })).collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let other = browser();
    let resp = other.get(&callback).send().await.expect("other browser");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!sets_session(&resp));
    let resp = c.get(forged.as_str()).send().await.expect("forged");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!sets_session(&resp));
    assert!(resp.text().await.expect("page").contains("登录请求已失效"));
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED);

    // `next` on another origin is ignored: the phone lands in the app.
    for next in ["https://evil.example/steal", "//evil.example/steal", "/\\evil.example"] {
        let c = browser();
        let callback = oidc_to_callback(&r, &peer, &c, "zhang", Some(next)).await;
        let resp = c.get(&callback).send().await.expect("callback");
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(raw_location(&resp), "/", "{next}");
        assert_eq!(whoami(&r, &c).await, "counselor");
    }
}

// ---- CAS ----

fn cas_args(cas: &str) -> SsoArgs {
    SsoArgs { cas_url: Some(cas.into()), cas_attribute: Some("staffNo".into()), ..SsoArgs::default() }
}

/// Signs in at the CAS server's own form as `username` and comes back to just before Rounds' callback.
async fn cas_to_callback(r: &Rounds, peer: &Peer, c: &Client, username: &str) -> String {
    let resp = c.get(r.url("/auth/cas/login")).send().await.expect("start");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let login = location(&resp).expect("to CAS");
    assert_eq!(login, format!("{}/login?service={}", peer.url, url_encode(&r.url("/auth/cas/callback"))));
    let form = c.get(&login).send().await.expect("form").text().await.expect("html");
    let token = hidden_input(&form, "csrfmiddlewaretoken");
    let resp = c.post(&login).form(&[("csrfmiddlewaretoken", token.as_str()), ("username", username), ("password", CAS_PASSWORD)]).send().await.expect("post");
    let back = location(&resp).unwrap_or_else(|| panic!("CAS answered {} without a ticket", resp.status()));
    assert!(back.starts_with(&format!("{}?ticket=ST-", r.url("/auth/cas/callback"))), "{back}");
    back
}

#[tokio::test]
async fn cas_signs_staff_in_and_out_through_a_real_cas_server() {
    let mut r = Rounds::bind().await;
    let Some(peer) = cas_peer(&r.base) else { return };
    r.serve(cas_args(&peer.url)).await;
    r.record_staff_no("counselor", "T1001").await;

    let offer: serde_json::Value = browser().get(r.url("/auth/providers")).send().await.expect("providers").json().await.expect("json");
    assert_eq!(offer, json!({ "cas": true, "oidc": false }));
    let login_page = browser().get(r.url("/login")).send().await.expect("login page").text().await.expect("html");
    assert!(login_page.contains("/auth/cas/login") && login_page.contains("统一身份认证登录"), "the server-rendered page has the link");

    // The happy path: the ticket is validated at p3/serviceValidate and its staffNo attribute read.
    let c = browser();
    let callback = cas_to_callback(&r, &peer, &c, "zhang").await;
    let resp = c.get(&callback).send().await.expect("callback");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{:?}", resp.text().await);
    assert_eq!(raw_location(&resp), "/");
    assert!(sets_session(&resp));
    assert_eq!(whoami(&r, &c).await, "counselor");

    // A ticket is good once: replayed in a browser that started its own sign-in, it is refused.
    let replay = browser();
    assert_eq!(replay.get(r.url("/auth/cas/login")).send().await.expect("start").status(), StatusCode::SEE_OTHER);
    let resp = replay.get(&callback).send().await.expect("replay");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!sets_session(&resp));

    // An invalid ticket is refused.
    let forged = browser();
    assert_eq!(forged.get(r.url("/auth/cas/login")).send().await.expect("start").status(), StatusCode::SEE_OTHER);
    let resp = forged.get(r.url("/auth/cas/callback?ticket=ST-1-forged")).send().await.expect("forged");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!sets_session(&resp));
    assert!(resp.text().await.expect("page").contains("统一身份认证未通过"));
    assert_eq!(session_status(&r, &forged).await, StatusCode::UNAUTHORIZED);

    // An unknown staff number: refused with a page, no session, no account.
    let stranger = browser();
    let callback = cas_to_callback(&r, &peer, &stranger, "stranger").await;
    let resp = stranger.get(&callback).send().await.expect("callback");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(!sets_session(&resp));
    let page = resp.text().await.expect("page");
    assert!(page.contains("T9999") && page.contains("学工办"), "{page}");
    assert_eq!(session_status(&r, &stranger).await, StatusCode::UNAUTHORIZED);

    // Single logout: CAS's /logout ends its own session and sends the phone back to the login page.
    let out: serde_json::Value = c.get(r.url("/auth/logout-url")).send().await.expect("logout url").json().await.expect("json");
    let logout = out["url"].as_str().expect("a logout URL").to_string();
    assert_eq!(logout, format!("{}/logout?service={}", peer.url, url_encode(&r.url("/login"))));
    assert_eq!(c.delete(r.url("/api/v1/session")).send().await.expect("delete").status(), StatusCode::NO_CONTENT);
    let resp = c.get(&logout).send().await.expect("cas logout");
    assert_eq!(location(&resp).as_deref(), Some(r.url("/login").as_str()));
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED);
    // The CAS session is over: CAS asks for the password again instead of handing out a ticket.
    let resp = c.get(format!("{}/login?service={}", peer.url, url_encode(&r.url("/auth/cas/callback")))).send().await.expect("cas login");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.expect("html").contains("csrfmiddlewaretoken"));
}

// ---- without peers ----

#[tokio::test]
async fn without_single_sign_on_nothing_is_offered_and_the_office_records_staff_numbers() {
    let s = server().await;
    let c = browser();
    let offer: serde_json::Value = c.get(s.url("/auth/providers")).send().await.expect("providers").json().await.expect("json");
    assert_eq!(offer, json!({ "cas": false, "oidc": false }));
    for path in ["/auth/cas/login", "/auth/oidc/login", "/auth/cas/callback?ticket=ST-1", "/auth/oidc/callback?code=x&state=y"] {
        let resp = c.get(s.url(path)).send().await.expect("get");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!sets_session(&resp));
    }
    s.get(&c, "/auth/logout-url", StatusCode::UNAUTHORIZED).await;

    let (office, _) = s.login("office").await;
    let id = |name: &'static str| {
        let store = s.store.clone();
        async move { store.user_by_name(name).await.expect("db").expect("account").profile.id.0 }
    };
    let counselor = id("counselor").await;
    let body = s.put_json(&office, &format!("/api/v1/admin/accounts/{counselor}/staff-no"), json!({ "staff_no": " T1001 " }), StatusCode::OK).await;
    assert_eq!(body["staff_no"], "T1001");
    let other = id("counselor2").await;
    let body = s.put_json(&office, &format!("/api/v1/admin/accounts/{other}/staff-no"), json!({ "staff_no": "T1001" }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&body), vec![pair("staff_no", "taken")]);
    s.put_json(&office, "/api/v1/admin/accounts/999999/staff-no", json!({ "staff_no": "T5" }), StatusCode::NOT_FOUND).await;
    s.put_json(&office, &format!("/api/v1/admin/accounts/{other}/staff-no"), json!({ "staff_no": "T\u{7}" }), StatusCode::BAD_REQUEST).await;
    let body = s.put_json(&office, &format!("/api/v1/admin/accounts/{counselor}/staff-no"), json!({ "staff_no": null }), StatusCode::OK).await;
    assert_eq!(body["staff_no"], serde_json::Value::Null);
    let (counselor_client, _) = s.login("counselor").await;
    s.put_json(&counselor_client, &format!("/api/v1/admin/accounts/{counselor}/staff-no"), json!({ "staff_no": "T7" }), StatusCode::FORBIDDEN).await;
    // A password session asks for no university logout.
    let out = s.get(&counselor_client, "/auth/logout-url", StatusCode::OK).await;
    assert_eq!(out["url"], serde_json::Value::Null);
}

// ---- back-channel logout ----

/// Confirms the OpenID provider's logout page (RP-initiated logout), as the person would.
async fn confirm_provider_logout(c: &Client, peer: &Peer, logout: &str) -> Response {
    let page = c.get(logout).send().await.expect("end session");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let action = html.split("action=\"").nth(1).and_then(|a| a.split('"').next()).expect("the logout form").to_string();
    c.post(format!("{}{}", peer.url, action.trim_start_matches(&peer.url)))
        .form(&[("xsrf", hidden_input(&html, "xsrf").as_str()), ("logout", "yes")])
        .send()
        .await
        .expect("confirm")
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn signing_out_at_the_openid_provider_ends_the_rounds_session_by_back_channel() {
    let mut r = Rounds::bind().await;
    let Some(peer) = oidc_peer(&r.base) else { return };
    r.serve(oidc_args(&peer.url)).await;
    r.record_staff_no("counselor", "T1001").await;

    let c = browser();
    let callback = oidc_to_callback(&r, &peer, &c, "zhang", None).await;
    assert_eq!(c.get(&callback).send().await.expect("callback").status(), StatusCode::SEE_OTHER);
    assert_eq!(whoami(&r, &c).await, "counselor");
    // The same person's password session on another phone did not come from the provider.
    let password = signed_in(&r, "counselor").await;

    // Forged tokens change nothing: unsigned, signed by someone else, or no token at all.
    let claims = json!({ "iss": peer.url, "aud": "rounds", "iat": chrono::Utc::now().timestamp(), "jti": "j", "sub": "zhang",
        "events": { "http://schemas.openid.net/event/backchannel-logout": {} } });
    let payload = b64(claims.to_string().as_bytes());
    let unsigned = format!("{}.{payload}.", b64(br#"{"alg":"none"}"#));
    let wrong_signature = format!("{}.{payload}.{}", b64(br#"{"alg":"RS256","kid":"peer-rs256","typ":"logout+jwt"}"#), b64(&[7u8; 256]));
    for token in [unsigned.as_str(), wrong_signature.as_str(), "", "a.b"] {
        let resp = browser().post(r.url("/auth/oidc/backchannel-logout")).form(&[("logout_token", token)]).send().await.expect("post");
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{token}");
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"], "invalid_request");
    }
    assert_eq!(session_status(&r, &c).await, StatusCode::OK);

    // The person signs out at the university (another tab, another app): the provider posts a
    // signed logout_token naming its session, and the Rounds session of that sign-in ends.
    let out: serde_json::Value = c.get(r.url("/auth/logout-url")).send().await.expect("logout url").json().await.expect("json");
    let logout = out["url"].as_str().expect("a logout URL").to_string();
    let confirm = confirm_provider_logout(&c, &peer, &logout).await;
    assert!(confirm.status().is_redirection(), "{}", confirm.status());
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED, "the provider's logout ended the Rounds session");
    assert_eq!(session_status(&r, &password).await, StatusCode::OK, "a password session is not the provider's to end");
}

#[tokio::test]
async fn signing_out_at_the_cas_server_ends_the_rounds_session_by_single_logout() {
    let mut r = Rounds::bind().await;
    let Some(peer) = cas_peer(&r.base) else { return };
    r.serve(cas_args(&peer.url)).await;
    r.record_staff_no("counselor", "T1001").await;

    let c = browser();
    let callback = cas_to_callback(&r, &peer, &c, "zhang").await;
    assert_eq!(c.get(&callback).send().await.expect("callback").status(), StatusCode::SEE_OTHER);
    assert_eq!(whoami(&r, &c).await, "counselor");
    let password = signed_in(&r, "counselor").await;

    // A request that is not a logoutRequest is refused; one naming another ticket ends nothing.
    let post = |form: Vec<(&'static str, String)>| browser().post(r.url("/auth/cas/callback")).form(&form).send();
    assert_eq!(post(vec![("logoutRequest", "<x/>".into())]).await.expect("post").status(), StatusCode::BAD_REQUEST);
    assert_eq!(post(vec![("other", "1".into())]).await.expect("post").status(), StatusCode::BAD_REQUEST);
    let other =
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><samlp:SessionIndex>ST-9-other</samlp:SessionIndex></samlp:LogoutRequest>";
    assert_eq!(post(vec![("logoutRequest", other.into())]).await.expect("post").status(), StatusCode::OK);
    assert_eq!(session_status(&r, &c).await, StatusCode::OK);

    // Signing out at CAS itself (without Rounds' own sign-out first): the CAS server posts a
    // logoutRequest with the ticket to the service URL, and that Rounds session ends.
    let resp = c.get(format!("{}/logout", peer.url)).send().await.expect("cas logout");
    assert!(resp.status().is_redirection() || resp.status().is_success(), "{}", resp.status());
    assert_eq!(session_status(&r, &c).await, StatusCode::UNAUTHORIZED, "CAS's single logout ended the Rounds session");
    assert_eq!(session_status(&r, &password).await, StatusCode::OK, "a password session is not CAS's to end");
}

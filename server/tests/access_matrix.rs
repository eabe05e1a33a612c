//! Who may call what (issue 14, proof): every route of the API, as the OpenAPI document lists
//! it, called by every kind of caller — anonymous, the counselor of the student's class,
//! another class's counselor, a linked leader, the office — and each must be let through or
//! stopped as the table says. A route added without a row here fails the test, and so does a
//! route the server serves but the OpenAPI document leaves out.
//!
//! "Let through" means access control passed: the answer may still be 400 or 404 for the
//! request's content (the bodies sent here are empty), but never 401 or 403.

mod common;

use common::*;
use reqwest::{Client, Method, StatusCode};
use rounds::RecordBody;
use std::collections::BTreeSet;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    Signed,
    /// The office and administrators only.
    Office,
    /// The staff of the subject (a student, a record of their class) and the office; other
    /// staff are stopped with 403 or 404 (which tells them nothing of the subject).
    Scoped,
}

const ROUTES: &[(&str, &str, Access)] = &[
    ("POST", "/api/v1/session", Access::Public),
    ("DELETE", "/api/v1/session", Access::Public),
    ("GET", "/api/v1/session", Access::Signed),
    ("GET", "/api/v1/sync/pull", Access::Signed),
    ("POST", "/api/v1/sync/push", Access::Signed),
    ("GET", "/api/v1/records/{id}/revisions", Access::Scoped),
    ("GET", "/api/v1/sessions", Access::Signed),
    ("DELETE", "/api/v1/sessions", Access::Signed),
    ("DELETE", "/api/v1/sessions/{id}", Access::Signed),
    ("GET", "/api/v1/admin/security", Access::Office),
    ("GET", "/api/v1/duties/reports", Access::Office),
    ("GET", "/api/v1/duties/reports.xlsx", Access::Office),
    ("POST", "/api/v1/assistance/results/import", Access::Office),
    ("GET", "/api/v1/assistance/results/template.xlsx", Access::Office),
    ("GET", "/api/v1/assistance/results/template.csv", Access::Office),
    ("GET", "/api/v1/assistance/identification", Access::Office),
    ("POST", "/api/v1/assistance/identification/confirm", Access::Office),
    ("GET", "/api/v1/assistance/volunteers", Access::Office),
    ("POST", "/api/v1/assistance/volunteers", Access::Office),
    ("PUT", "/api/v1/assistance/volunteers/{id}", Access::Office),
    ("GET", "/api/v1/assistance/volunteer-hours", Access::Office),
    ("GET", "/api/v1/assistance/volunteer-hours.xlsx", Access::Office),
    ("GET", "/api/v1/assistance/statistics", Access::Office),
    ("GET", "/api/v1/assistance/statistics.xlsx", Access::Office),
    ("GET", "/api/v1/ledger", Access::Office),
    ("GET", "/api/v1/ledger.xlsx", Access::Office),
    ("GET", "/api/v1/ledger/due-days", Access::Office),
    ("PUT", "/api/v1/ledger/due-days", Access::Office),
    ("GET", "/api/v1/ledger/contact-report", Access::Office),
    ("GET", "/api/v1/ledger/contact-report.xlsx", Access::Office),
    ("PUT", "/api/v1/admin/security", Access::Office),
    ("GET", "/api/v1/admin/lockouts", Access::Office),
    ("GET", "/api/v1/admin/departments", Access::Office),
    ("POST", "/api/v1/admin/departments", Access::Office),
    ("PUT", "/api/v1/admin/departments/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/departments/{id}", Access::Office),
    ("GET", "/api/v1/admin/classes", Access::Office),
    ("POST", "/api/v1/admin/classes", Access::Office),
    ("PUT", "/api/v1/admin/classes/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/classes/{id}", Access::Office),
    ("PUT", "/api/v1/admin/classes/{id}/staff", Access::Office),
    ("GET", "/api/v1/admin/students", Access::Office),
    ("POST", "/api/v1/admin/students", Access::Office),
    ("GET", "/api/v1/admin/students/{id}", Access::Office),
    ("PUT", "/api/v1/admin/students/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/students/{id}", Access::Office),
    ("PUT", "/api/v1/admin/students/{id}/standing", Access::Office),
    ("GET", "/api/v1/admin/buildings", Access::Office),
    ("POST", "/api/v1/admin/buildings", Access::Office),
    ("PUT", "/api/v1/admin/buildings/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/buildings/{id}", Access::Office),
    ("GET", "/api/v1/admin/rooms", Access::Office),
    ("POST", "/api/v1/admin/rooms", Access::Office),
    ("PUT", "/api/v1/admin/rooms/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/rooms/{id}", Access::Office),
    ("GET", "/api/v1/admin/beds", Access::Office),
    ("POST", "/api/v1/admin/beds", Access::Office),
    ("PUT", "/api/v1/admin/beds/{id}", Access::Office),
    ("DELETE", "/api/v1/admin/beds/{id}", Access::Office),
    ("GET", "/api/v1/admin/accounts", Access::Office),
    ("POST", "/api/v1/admin/accounts", Access::Office),
    ("PUT", "/api/v1/admin/accounts/{id}", Access::Office),
    ("POST", "/api/v1/admin/accounts/{id}/password", Access::Office),
    ("PUT", "/api/v1/students/{id}/archive", Access::Scoped),
    ("GET", "/api/v1/students/{id}/standing-history", Access::Scoped),
    ("POST", "/api/v1/roster/import", Access::Office),
    // The blank layout with its example row: nothing confidential.
    ("GET", "/api/v1/roster/template.xlsx", Access::Signed),
    ("GET", "/api/v1/roster/template.csv", Access::Signed),
    ("GET", "/api/v1/groups", Access::Office),
    ("POST", "/api/v1/groups/clubs", Access::Office),
    ("PUT", "/api/v1/groups/clubs/{id}", Access::Office),
    ("DELETE", "/api/v1/groups/clubs/{id}", Access::Office),
    ("POST", "/api/v1/groups/branches", Access::Office),
    ("PUT", "/api/v1/groups/branches/{id}", Access::Office),
    ("DELETE", "/api/v1/groups/branches/{id}", Access::Office),
    ("POST", "/api/v1/groups/links", Access::Office),
    ("DELETE", "/api/v1/groups/links/{id}", Access::Office),
    ("PUT", "/api/v1/photos/{sha256}", Access::Signed),
    ("GET", "/api/v1/photos/{sha256}", Access::Signed),
    ("GET", "/api/v1/duties/rules", Access::Signed),
    ("PUT", "/api/v1/duties/rules", Access::Office),
    ("GET", "/api/v1/duties/rules/versions", Access::Office),
    ("GET", "/api/v1/duties/rules/versions/{version}", Access::Office),
    ("GET", "/api/v1/duties/calendar", Access::Signed),
    ("PUT", "/api/v1/duties/calendar", Access::Office),
    ("GET", "/api/v1/duties/calendar/versions", Access::Office),
    ("GET", "/api/v1/duties/mine", Access::Signed),
    ("GET", "/api/v1/duties/summary", Access::Signed),
    ("GET", "/api/v1/duties/summary.xlsx", Access::Signed),
    ("GET", "/api/v1/compliance", Access::Office),
    ("GET", "/api/v1/compliance/duties", Access::Office),
    ("GET", "/api/v1/compliance.xlsx", Access::Office),
    ("PUT", "/api/v1/admin/accounts/{id}/staff-no", Access::Office),
    ("GET", "/api/v1/audit", Access::Office),
    ("GET", "/api/v1/audit.xlsx", Access::Office),
    ("POST", "/api/v1/audit/reads", Access::Signed),
    ("GET", "/api/v1/students/{id}/readers", Access::Scoped),
];

/// Routes outside the API document: the app's pages and files, the login form, health.
const OUTSIDE_THE_DOCUMENT: &[&str] = &["/login", "/api/{*rest}", "/api/v1/openapi.json"];

/// What the server's own code routes under /api, read from its source: a route added there
/// must be in the OpenAPI document (and so in the table).
fn routes_in_source() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut found = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).expect("read src").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).expect("read source");
                for piece in text.split(".route(\"").skip(1) {
                    if let Some(path) = piece.split('"').next().filter(|p| p.starts_with("/api/") || *p == "/login") {
                        found.insert(path.to_string());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let doc = rounds_server::api::openapi_document();
    let mut documented = BTreeSet::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete), ("PATCH", &item.patch)] {
            if op.is_some() {
                documented.insert((method.to_string(), path.clone()));
            }
        }
    }
    let table: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = documented.difference(&table).collect();
    let extra: Vec<_> = table.difference(&documented).collect();
    assert!(missing.is_empty(), "routes with no row in the access table: {missing:?}");
    assert!(extra.is_empty(), "rows for routes the API does not document: {extra:?}");

    let documented_paths: BTreeSet<String> = documented.into_iter().map(|(_, p)| p).collect();
    let undocumented: Vec<_> =
        routes_in_source().into_iter().filter(|p| !documented_paths.contains(p) && !OUTSIDE_THE_DOCUMENT.contains(&p.as_str())).collect();
    assert!(undocumented.is_empty(), "routes served but not in the OpenAPI document (so not in this table): {undocumented:?}");
}

/// The callers, and the ids that fill the paths.
struct World {
    s: TestServer,
    callers: Vec<(&'static str, Option<Client>)>,
    student: i64,
    record: String,
}

async fn world() -> World {
    let s = server().await;
    let mut callers: Vec<(&'static str, Option<Client>)> = vec![("anonymous", None)];
    for name in ["counselor", "counselor2", "leader", "office"] {
        let (c, _) = s.login(name).await;
        callers.push((name, Some(c)));
    }
    let full = s.store.roster().await.expect("roster");
    let counselor = callers[1].1.clone().expect("counselor");
    let pulled = s.pull(&counselor, 0).await;
    let mine = pulled.roster.as_ref().expect("roster");
    // A student of the counselor's first class who is not also in counselor2's.
    let student = mine.students.first().expect("a student").id.0;
    assert!(full.student(rounds::StudentId(student)).is_some());
    let record = pulled
        .records
        .iter()
        .find(|r| matches!(r.record.body, RecordBody::DormCheck(_)))
        .expect("the demo has the counselor's dorm checks")
        .record
        .id
        .to_string();
    World { s, callers, student, record }
}

fn concrete(path: &str, w: &World) -> String {
    path.replace("/students/{id}", &format!("/students/{}", w.student))
        .replace("/records/{id}", &format!("/records/{}", w.record))
        .replace("{sha256}", &"ab".repeat(32))
        .replace("{version}", "1")
        .replace("{id}", "1")
}

fn let_through(status: StatusCode) -> bool {
    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
}

#[tokio::test]
async fn every_caller_gets_what_the_table_says() {
    let mut wrong = Vec::new();
    for (method, path, access) in ROUTES {
        // A fresh institution per route: a delete let through must not change the next row.
        let w = world().await;
        let url = w.s.url(&concrete(path, &w));
        for (who, client) in &w.callers {
            let c = client.clone().unwrap_or_else(client_without_cookies);
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let mut req = c.request(method.clone(), &url);
            if method == Method::POST || method == Method::PUT {
                req = req.json(&serde_json::json!({}));
            }
            let status = req.send().await.expect("request").status();
            let expected_ok = match (access, *who) {
                (Access::Public, _) => let_through(status),
                (_, "anonymous") => status == StatusCode::UNAUTHORIZED,
                (Access::Signed, _) => let_through(status),
                (Access::Office, "office") => let_through(status),
                (Access::Office, _) => status == StatusCode::FORBIDDEN,
                (Access::Scoped, "counselor" | "office") => let_through(status),
                (Access::Scoped, _) => status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            };
            if !expected_ok {
                wrong.push(format!("{method} {path} as {who}: {status} ({access:?})"));
            }
        }
    }
    assert!(wrong.is_empty(), "callers who got the wrong answer:\n{}", wrong.join("\n"));
}

fn client_without_cookies() -> Client {
    Client::builder().build().expect("client")
}

/// Every `{name}` in a documented path is a documented parameter, so a client generated from
/// the document (or a fuzzer such as schemathesis) can call it.
#[test]
fn every_path_parameter_is_documented() {
    let doc = rounds_server::api::openapi_document();
    let mut missing = Vec::new();
    for (path, item) in &doc.paths.paths {
        let wanted: Vec<&str> = path.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
        for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete)] {
            let Some(op) = op else { continue };
            let named: Vec<String> = op.parameters.iter().flatten().chain(item.parameters.iter().flatten()).map(|p| p.name.clone()).collect();
            for w in &wanted {
                if !named.iter().any(|n| n == w) {
                    missing.push(format!("{method} {path}: {{{w}}}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "path parameters the document does not define: {missing:?}");
}

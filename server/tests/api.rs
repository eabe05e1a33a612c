//! The API over real HTTP, against a real SQLite database in a temporary directory, loaded with
//! the demo institution.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::sync::{PullResponse, PushStatus, RevisionHistory, RevisionStatus};
use rounds::RecordBody;
use serde_json::{json, Value};

async fn assert_error_shape(resp: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(resp.status(), status);
    let body: Value = resp.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

fn notes_in(pull: &PullResponse, notes: &str) -> usize {
    pull.records.iter().filter(|r| matches!(&r.record.body, RecordBody::DormCheck(c) if c.notes == notes)).count()
}

#[tokio::test]
async fn login_whoami_logout() {
    let s = server().await;
    let c = client();
    let resp = c.get(s.url("/api/v1/session")).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let resp = c.post(s.url("/api/v1/session")).json(&json!({"username": "counselor", "password": "nope"})).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNAUTHORIZED, "bad_credentials").await;
    let resp = c.post(s.url("/api/v1/session")).json(&json!({"username": "ghost", "password": "nope"})).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNAUTHORIZED, "bad_credentials").await;

    let resp = c.post(s.url("/api/v1/session")).json(&json!({"username": "counselor", "password": "rounds-demo"})).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    let me: Value = c.get(s.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["username"], "counselor");
    assert_eq!(me["user"]["role"], "counselor");

    let resp = c.delete(s.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = c.get(s.url("/api/v1/sync/pull?since=0")).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn repeated_failed_logins_are_slowed_down() {
    let s = server().await;
    let c = client();
    for _ in 0..5 {
        let resp = c.post(s.url("/api/v1/session")).json(&json!({"username": "office", "password": "wrong"})).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password must wait now.
    let resp = c.post(s.url("/api/v1/session")).json(&json!({"username": "office", "password": "rounds-demo"})).send().await.unwrap();
    assert!(resp.headers().get("retry-after").is_some());
    assert_error_shape(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // Other accounts are not affected.
    s.login("counselor").await;
}

#[tokio::test]
async fn pull_gives_each_user_their_own_scope() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, _) = s.login("counselor2").await;
    let (office, _) = s.login("office").await;

    let p1 = s.pull(&c1, 0).await;
    let p2 = s.pull(&c2, 0).await;
    let po = s.pull(&office, 0).await;
    let r1 = p1.roster.expect("roster on first pull");
    let r2 = p2.roster.expect("roster on first pull");
    let ro = po.roster.expect("roster on first pull");
    assert_eq!(p1.user.id, u1.id);
    assert_eq!(p1.time_zone, "Asia/Shanghai");
    assert_eq!(p1.utc_offset_seconds, 8 * 3600);

    assert!(r1.rooms.iter().any(|r| r.number == "1-101"), "counselor owns room 1-101");
    assert!(!r2.rooms.iter().any(|r| r.number == "1-101"), "counselor2 does not");
    assert_eq!(r1.classes.len(), 2);
    assert_eq!(r2.classes.len(), 1);
    assert_eq!(ro.students.len(), r1.students.len() + r2.students.len());
    assert!(r1.students.len() >= 55 && r1.students.len() <= 65);
    // Each counselor gets the archives of their own students, and never anyone else's students.
    assert!(r1.students.iter().all(|s| s.archive.is_some()));
    assert!(r2.students.iter().all(|s| r1.student(s.id).is_none()));
    for room in &r1.rooms {
        let n = r1.residents(room.id).len();
        assert!((1..=6).contains(&n), "room {} has {n} residents", room.number);
    }

    // Records: each counselor sees the checks of their rooms only; the office sees all.
    assert!(!p1.records.is_empty());
    let rooms1: Vec<_> = r1.rooms.iter().map(|r| r.id).collect();
    let dorm_checks: Vec<_> = p1
        .records
        .iter()
        .filter_map(|r| match &r.record.body {
            RecordBody::DormCheck(c) => Some(c.room_id),
            _ => None,
        })
        .collect();
    assert!(!dorm_checks.is_empty() && dorm_checks.iter().all(|r| rooms1.contains(r)));
    // The demo is lived in: every kind of record is there for the office.
    let kinds: std::collections::BTreeSet<_> = p1.records.iter().map(|r| r.record.body.kind()).collect();
    assert!(kinds.len() >= 11, "{kinds:?}");
    // Club and branch records reach only the leaders linked to them and the office.
    let group_records = po.records.iter().filter(|r| matches!(r.record.body.subject(), rounds::Subject::Club(_) | rounds::Subject::Branch(_))).count();
    assert!(group_records > 0);
    // Besides those, the office alone (with their parties) has the steps of issues the leader
    // raised about rooms neither counselor sees the steps of, and the leader's own contact log. (An issue of one counselor's
    // assigned to the other reaches both.)
    let seen: std::collections::BTreeSet<_> = p1.records.iter().chain(&p2.records).map(|r| r.record.id).collect();
    let others: Vec<&str> = po
        .records
        .iter()
        .filter(|r| !seen.contains(&r.record.id) && !matches!(r.record.body.subject(), rounds::Subject::Club(_) | rounds::Subject::Branch(_)))
        .map(|r| r.record.body.kind())
        .collect();
    assert!(others.iter().all(|k| matches!(*k, "issue_step" | "student_contact")), "{others:?}");
    assert_eq!(po.records.len(), seen.len() + group_records + others.len());
    let all: std::collections::BTreeSet<_> = po.records.iter().map(|r| r.record.body.kind()).collect();
    assert_eq!(all.len(), RecordBody::KINDS.len(), "{all:?}");

    // The cursor moves on: nothing new since it, and no roster again.
    let again = s.pull(&c1, p1.cursor).await;
    assert!(again.records.is_empty());
    assert!(again.roster.is_none());
}

#[tokio::test]
async fn push_is_idempotent_and_replays_are_duplicates() {
    let s = server().await;
    let (c, user) = s.login("counselor").await;
    let pull = s.pull(&c, 0).await;
    let roster = pull.roster.unwrap();
    let rooms: Vec<_> = roster.rooms.iter().map(|r| r.id).take(2).collect();
    let a = check_of(&roster, rooms[0], &user, "idempotent-a");
    let b = check_of(&roster, rooms[1], &user, "idempotent-b");

    let first = s.push(&c, vec![to_json(&a), to_json(&b)]).await;
    assert_eq!(first.results.iter().map(|r| r.status).collect::<Vec<_>>(), vec![PushStatus::Accepted, PushStatus::Accepted]);
    assert!(first.results.iter().all(|r| r.seq.is_some() && r.http_status == 200));
    let seq_after_first = s.store.current_seq().await.unwrap();

    let replay = s.push(&c, vec![to_json(&a), to_json(&b)]).await;
    assert_eq!(replay.results.iter().map(|r| r.status).collect::<Vec<_>>(), vec![PushStatus::Duplicate, PushStatus::Duplicate]);
    assert_eq!(s.store.current_seq().await.unwrap(), seq_after_first, "a replay stores nothing");

    let after = s.pull(&c, 0).await;
    assert_eq!(notes_in(&after, "idempotent-a"), 1);
    assert_eq!(notes_in(&after, "idempotent-b"), 1);
    assert_eq!(s.store.revision_statuses(a.id).await.unwrap(), vec![(1, "current".to_string())]);
}

#[tokio::test]
async fn edits_are_revisions_and_conflicts_keep_both() {
    let s = server().await;
    let (c, user) = s.login("counselor").await;
    let roster = s.pull(&c, 0).await.roster.unwrap();
    let room = roster.rooms[0].id;
    let v1 = check_of(&roster, room, &user, "first");
    s.push(&c, vec![to_json(&v1)]).await;

    let mut body = v1.body.clone();
    let RecordBody::DormCheck(check) = &mut body else { unreachable!("a dorm check") };
    check.notes = "edited on phone A".into();
    let v2 = v1.edited(body.clone(), false, "phone-a", now());
    let r = s.push(&c, vec![to_json(&v2)]).await;
    assert_eq!(r.results[0].status, PushStatus::Accepted);

    // Phone B edited revision 1 too, unaware of phone A.
    let RecordBody::DormCheck(check) = &mut body else { unreachable!("a dorm check") };
    check.notes = "edited on phone B".into();
    let v2b = v1.edited(body, false, "phone-b", now());
    let r = s.push(&c, vec![to_json(&v2b)]).await;
    assert_eq!(r.results[0].status, PushStatus::Conflict);
    assert_eq!(r.results[0].http_status, 409);
    assert_eq!(r.results[0].current_revision, Some(2));
    assert_eq!(r.results[0].errors[0].code, "outdated_base");

    // A's edit is still the current one; B's is kept beside it; the history has all three.
    let pull = s.pull(&c, 0).await;
    let stored = pull.records.iter().find(|r| r.record.id == v1.id).unwrap();
    assert_eq!(stored.record, v2);
    assert_eq!(stored.conflicts, vec![2]);
    assert_eq!(s.store.revision_statuses(v1.id).await.unwrap(), vec![(1, "superseded".into()), (2, "current".into()), (2, "conflict".into())]);

    // Replaying B's conflicting revision is a duplicate, not a second conflict.
    let r = s.push(&c, vec![to_json(&v2b)]).await;
    assert_eq!(r.results[0].status, PushStatus::Duplicate);

    // A deletion is a revision too.
    let v3 = v2.edited(v2.body.clone(), true, "phone-a", now());
    assert_eq!(s.push(&c, vec![to_json(&v3)]).await.results[0].status, PushStatus::Accepted);
    let pull = s.pull(&c, 0).await;
    assert!(pull.records.iter().find(|r| r.record.id == v1.id).unwrap().record.deleted);

    // The history, over HTTP: every revision in order, with what each edit changed.
    let url = s.url(&format!("/api/v1/records/{}/revisions", v1.id));
    let history: RevisionHistory = c.get(&url).send().await.unwrap().json().await.unwrap();
    let seen: Vec<(u32, RevisionStatus, bool)> = history.revisions.iter().map(|r| (r.record.revision, r.status, r.record.deleted)).collect();
    assert_eq!(
        seen,
        vec![
            (1, RevisionStatus::Superseded, false),
            (2, RevisionStatus::Superseded, false),
            (2, RevisionStatus::Conflict, false),
            (3, RevisionStatus::Current, true)
        ]
    );
    assert_eq!(history.revisions[1].record, v2);
    assert_eq!(rounds::sync::changed_fields(&history.revisions[0].record, &history.revisions[1].record), vec!["notes"]);

    // The office reads it; another counselor, and anyone for an unknown id, get the same 404.
    let (office, _) = s.login("office").await;
    assert_eq!(office.get(&url).send().await.unwrap().status(), StatusCode::OK);
    let (other, _) = s.login("counselor2").await;
    assert_error_shape(other.get(&url).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let unknown = s.url(&format!("/api/v1/records/{}/revisions", rounds::record::new_record_id()));
    assert_error_shape(c.get(&unknown).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let bad = s.url("/api/v1/records/not-a-uuid/revisions");
    assert_error_shape(c.get(&bad).send().await.unwrap(), StatusCode::BAD_REQUEST, "bad_id").await;
    assert_eq!(client().get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_record_is_refused_alone() {
    let s = server().await;
    let (c, user) = s.login("counselor").await;
    let roster = s.pull(&c, 0).await.roster.unwrap();
    let room = roster.rooms[0].id;
    let good1 = check_of(&roster, room, &user, "batch-good-1");
    let good2 = check_of(&roster, roster.rooms[1].id, &user, "batch-good-2");

    let mut absent_without_reason = check_of(&roster, room, &user, "batch-bad");
    let RecordBody::DormCheck(check) = &mut absent_without_reason.body else { unreachable!("a dorm check") };
    check.residents[0].present = false;

    let mut wrong_type = to_json(&check_of(&roster, room, &user, "batch-wrong-type"));
    wrong_type["body"]["data"]["hygiene"] = json!("sparkling");

    let r = s.push(&c, vec![to_json(&good1), to_json(&absent_without_reason), wrong_type, json!("not a record"), to_json(&good2)]).await;
    let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![PushStatus::Accepted, PushStatus::Invalid, PushStatus::Invalid, PushStatus::Invalid, PushStatus::Accepted]);
    assert_eq!(r.results[1].errors[0].field, "body.data.residents[0].absence_reason");
    assert_eq!(r.results[1].errors[0].code, "required");
    assert_eq!(r.results[1].id, Some(absent_without_reason.id));
    assert_eq!(r.results[2].errors[0].field, "body.data.hygiene");
    assert_eq!(r.results[2].http_status, 400);

    let pull = s.pull(&c, 0).await;
    assert_eq!(notes_in(&pull, "batch-good-1"), 1);
    assert_eq!(notes_in(&pull, "batch-good-2"), 1);
    assert_eq!(notes_in(&pull, "batch-bad"), 0);
    assert_eq!(notes_in(&pull, "batch-wrong-type"), 0);
}

#[tokio::test]
async fn another_counselors_room_is_forbidden_for_that_record() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, u2) = s.login("counselor2").await;
    let r1 = s.pull(&c1, 0).await.roster.unwrap();
    let r2 = s.pull(&c2, 0).await.roster.unwrap();
    let foreign_room = r1.rooms[0].id;
    assert!(r2.room(foreign_room).is_none());

    // counselor2 writes about counselor's room, built from counselor's roster.
    let intrusion = check_of(&r1, foreign_room, &u2, "intrusion");
    let own = check_of(&r2, r2.rooms[0].id, &u2, "own-room");
    let r = s.push(&c2, vec![to_json(&intrusion), to_json(&own)]).await;
    assert_eq!(r.results[0].status, PushStatus::Forbidden);
    assert_eq!(r.results[0].http_status, 403);
    assert_eq!(r.results[1].status, PushStatus::Accepted);

    // Nor may anyone sign a record with someone else's name.
    let spoofed = check_of(&r2, r2.rooms[0].id, &u1, "spoofed");
    let r = s.push(&c2, vec![to_json(&spoofed)]).await;
    assert_eq!(r.results[0].status, PushStatus::Forbidden);
    assert_eq!(r.results[0].errors[0].field, "author_id");

    // And counselor's pull does not show counselor2's record, nor the reverse.
    assert_eq!(notes_in(&s.pull(&c1, 0).await, "own-room"), 0);
    assert_eq!(notes_in(&s.pull(&c2, 0).await, "own-room"), 1);
}

#[tokio::test]
async fn only_the_author_edits_a_record() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (hc, _) = s.login("headteacher").await;
    let r1 = s.pull(&c1, 0).await.roster.unwrap();
    let room = r1.rooms[0].id;
    let original = check_of(&r1, room, &u1, "mine");
    s.push(&c1, vec![to_json(&original)]).await;
    // The head teacher shares the class, so may see the room, but not rewrite the check.
    let hijack = original.edited(original.body.clone(), true, "other", now());
    let mut value = to_json(&hijack);
    let me: Value = hc.get(s.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
    value["author_id"] = me["user"]["id"].clone();
    let r = s.push(&hc, vec![value]).await;
    assert_eq!(r.results[0].status, PushStatus::Forbidden);
}

#[tokio::test]
async fn bad_requests_get_the_error_shape_never_a_500() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let push = s.url("/api/v1/sync/push");

    let resp = c.post(&push).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_error_shape(resp, StatusCode::BAD_REQUEST, "malformed_json").await;

    let resp = c.post(&push).header("content-type", "application/json").body(r#"{"records": 7}"#).send().await.unwrap();
    assert_error_shape(resp, StatusCode::BAD_REQUEST, "malformed_request").await;

    let resp = c.post(&push).header("content-type", "text/plain").body(r#"{"records": []}"#).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    let too_many: Vec<Value> = (0..501).map(|_| json!({})).collect();
    let resp = c.post(&push).json(&json!({ "records": too_many })).send().await.unwrap();
    assert_error_shape(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    let huge = "x".repeat(9 * 1024 * 1024);
    let resp = c.post(&push).header("content-type", "application/json").body(format!(r#"{{"records": ["{huge}"]}}"#)).send().await.unwrap();
    assert_error_shape(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    let resp = client().post(&push).json(&json!({ "records": [] })).send().await.unwrap();
    assert_error_shape(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let resp = c.get(s.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_error_shape(resp, StatusCode::NOT_FOUND, "not_found").await;

    let resp = c.get(s.url("/api/v1/sync/pull?since=abc")).send().await.unwrap();
    assert!(resp.status().is_client_error());
}

#[tokio::test]
async fn writes_from_another_origin_are_refused() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let resp = c.post(s.url("/api/v1/sync/push")).header("origin", "http://evil.example").json(&json!({ "records": [] })).send().await.unwrap();
    assert_error_shape(resp, StatusCode::FORBIDDEN, "forbidden").await;
    let resp = c.post(s.url("/api/v1/sync/push")).header("origin", s.base.clone()).json(&json!({ "records": [] })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn openapi_manifest_worker_and_health_are_served() {
    let s = server().await;
    let c = client();
    assert_eq!(c.get(s.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");

    let doc: Value = c.get(s.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    // One document for the whole API: a path from every area.
    for path in [
        "/api/v1/session",
        "/api/v1/sync/pull",
        "/api/v1/sync/push",
        "/api/v1/records/{id}/revisions",
        "/api/v1/admin/students",
        "/api/v1/students/{id}/archive",
        "/api/v1/roster/import",
        "/api/v1/roster/template.xlsx",
        "/api/v1/groups",
        "/api/v1/groups/clubs/{id}",
        "/api/v1/groups/branches",
        "/api/v1/groups/links",
        "/api/v1/photos/{sha256}",
        "/api/v1/duties/rules",
        "/api/v1/compliance",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["paths"]["/api/v1/groups/branches/{id}"]["delete"].is_object());
    assert!(doc["paths"]["/api/v1/photos/{sha256}"]["put"].is_object());
    // The roster import's report is the generic one of any layout (its schema named so).
    for schema in ["SheetImportReport", "ResultsImportReport", "GroupsOverview", "PhotoUploaded", "StudentInput"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
    assert!(doc["components"]["schemas"]["RecordEnvelope"].is_object());
    assert!(doc["components"]["schemas"]["DormCheck"].is_object());

    let manifest: Value = c.get(s.url("/manifest.webmanifest")).send().await.unwrap().json().await.unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["icons"].as_array().unwrap().iter().any(|i| i["purpose"] == "maskable"));

    let sw = c.get(s.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let sw = sw.text().await.unwrap();
    assert!(sw.contains("/pkg/rounds.wasm") && sw.contains("/shell"));
    assert!(!sw.contains("__BUILD__"));

    let shell = c.get(s.url("/shell")).send().await.unwrap().text().await.unwrap();
    assert!(shell.contains("mount()") && shell.contains("/pkg/rounds.js"));
    // The script and the wasm are asked for together, not one after the other.
    assert!(shell.contains(r#"<link rel="modulepreload" href="/pkg/rounds.js">"#), "{shell}");
    assert!(shell.contains(r#"<link rel="preload" href="/pkg/rounds.wasm" as="fetch" type="application/wasm" crossorigin>"#), "{shell}");
}

#[tokio::test]
async fn an_edit_cannot_change_the_kind_of_a_record_and_the_rest_of_the_batch_is_kept() {
    let s = server().await;
    let (c, user) = s.login("counselor").await;
    let roster = s.pull(&c, 0).await.roster.unwrap();
    let room = roster.rooms[0].id;
    let v1 = check_of(&roster, room, &user, "made as a dorm check");
    assert_eq!(s.push(&c, vec![to_json(&v1)]).await.results[0].status, PushStatus::Accepted);

    // Revision 2 of the dorm check arrives as a duty log, between two good records.
    let log = rounds::DutyLog {
        started_at: now() - chrono::Duration::minutes(30),
        shift: rounds::DutyShift::Day,
        buildings: vec![],
        events: "平安".into(),
        escalated: String::new(),
    };
    let turned = v1.edited(RecordBody::DutyLog(log), false, "phone-a", now());
    let before = check_of(&roster, room, &user, "batch before");
    let after = check_of(&roster, room, &user, "batch after");
    let r = s.push(&c, vec![to_json(&before), to_json(&turned), to_json(&after)]).await;
    let statuses: Vec<_> = r.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![PushStatus::Accepted, PushStatus::Invalid, PushStatus::Accepted]);
    assert_eq!(r.results[1].http_status, 400);
    let errs: Vec<_> = r.results[1].errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(errs, vec![("body.kind", "kind_changed")]);

    // The stored record is still revision 1, a dorm check; no revision of the other kind is kept.
    assert_eq!(s.store.revision_statuses(v1.id).await.unwrap(), vec![(1, "current".to_string())]);
    let pull = s.pull(&c, 0).await;
    let stored = pull.records.iter().find(|r| r.record.id == v1.id).unwrap();
    assert_eq!(stored.record, v1);
    assert_eq!(notes_in(&pull, "batch before") + notes_in(&pull, "batch after"), 2);

    // The same edit from an outdated base would be a conflict kept beside the head: it is
    // refused as well rather than stored as a conflict of another kind.
    let proper = v1.edited(v1.body.clone(), false, "phone-a", now());
    assert_eq!(s.push(&c, vec![to_json(&proper)]).await.results[0].status, PushStatus::Accepted);
    let stale = turned.clone();
    let r = s.push(&c, vec![to_json(&stale)]).await;
    assert_eq!(r.results[0].status, PushStatus::Invalid);
    assert_eq!(s.store.revision_statuses(v1.id).await.unwrap(), vec![(1, "superseded".to_string()), (2, "current".to_string())]);
}

//! Hostile input gets a clear 4xx and loses nothing else (issue 14, proof): JSON nested deeper
//! than any record, a record whose text is a megabyte, control characters, ids and revisions
//! that are not what they claim. The good records of the same batch are stored.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::sync::PushStatus;
use serde_json::{json, Value};

#[tokio::test]
async fn hostile_records_are_refused_alone_and_the_server_stays_up() {
    let s = server().await;
    let (c, me) = s.login("counselor").await;
    let roster = s.pull(&c, 0).await.roster.expect("roster");
    let room = roster.rooms[0].id;

    // Nested a hundred thousand deep: refused as JSON before anything is stored.
    let deep = format!("{{\"records\": [{}1{}]}}", "[".repeat(100_000), "]".repeat(100_000));
    let resp = c.post(s.url("/api/v1/sync/push")).header("content-type", "application/json").body(deep).send().await.expect("push");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.expect("error shape");
    assert_eq!(body["error"]["code"], "malformed_json");

    let good = to_json(&check_of(&roster, room, &me, "good"));
    let mut long = to_json(&check_of(&roster, room, &me, "long"));
    long["body"]["data"]["notes"] = json!("长".repeat(1_000_000));
    let mut control = to_json(&check_of(&roster, room, &me, "control"));
    control["body"]["data"]["notes"] = json!("\u{0}\u{202e} drop table records;--");
    let mut bad_id = to_json(&check_of(&roster, room, &me, "bad id"));
    bad_id["id"] = json!("../../etc/passwd");
    let mut bad_revision = to_json(&check_of(&roster, room, &me, "bad revision"));
    bad_revision["revision"] = json!(-1);
    let mut nested_body = to_json(&check_of(&roster, room, &me, "nested"));
    nested_body["body"]["data"]["residents"] = json!([[[[[[{"student_id": "x"}]]]]]]);

    let answer = s.push(&c, vec![good, long, control, bad_id, bad_revision, nested_body]).await;
    let statuses: Vec<PushStatus> = answer.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses[0], PushStatus::Accepted, "the good record is stored");
    assert_eq!(statuses[1], PushStatus::Invalid, "a megabyte of notes: {:?}", answer.results[1].errors);
    assert!(answer.results[1].errors.iter().any(|e| e.field.ends_with("notes")));
    // Control characters are text like any other: stored as sent, or refused, never a 500.
    assert!(matches!(statuses[2], PushStatus::Accepted | PushStatus::Invalid));
    for (i, field) in [(3, "id"), (4, "revision"), (5, "body")] {
        assert_eq!(statuses[i], PushStatus::Invalid, "{field}");
        assert!(answer.results[i].errors.iter().any(|e| e.field.starts_with(field)), "{field}: {:?}", answer.results[i].errors);
    }
    s.get(&client(), "/healthz", StatusCode::OK).await;
    let pulled = s.pull(&c, 0).await;
    assert!(pulled.records.iter().any(|r| r.record.id.to_string() == answer.results[0].id.expect("id").to_string()));
}

//! The audit log (issue 14) over real HTTP and SQLite: the office's changes and reads, a
//! counselor's reads through the API, a pull, phones' reads uploaded with the sync (each
//! checked alone, written once), the office's filters and export, a student's page count, and
//! that no API edits the log.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use rounds::RecordBody;
use serde_json::{json, Value};

async fn entries(s: &TestServer, office: &reqwest::Client, query: &str) -> Vec<Value> {
    let page = s.get(office, &format!("/api/v1/audit?{query}"), StatusCode::OK).await;
    page["entries"].as_array().cloned().unwrap_or_default()
}

fn read(id: uuid::Uuid, target: &str, record: Option<uuid::Uuid>, student: Option<i64>, at: chrono::DateTime<chrono::FixedOffset>) -> Value {
    json!({ "id": id, "target": target, "record_id": record, "student_id": student, "read_at": at })
}

#[tokio::test]
async fn reads_and_changes_are_logged_and_the_office_reads_them() {
    let s = server().await;
    let (office, office_user) = s.login("office").await;
    let (counselor, me) = s.login("counselor").await;
    let (other, _) = s.login("counselor2").await;

    // A counselor's pull that carries confidential records or archives is one entry, with a count.
    let pulled = s.pull(&counselor, 0).await;
    let talk = pulled.records.iter().find(|r| matches!(r.record.body, RecordBody::Talk(_))).expect("the demo has the counselor's talks").record.clone();
    let RecordBody::Talk(t) = &talk.body else { unreachable!() };
    let student = t.student_id;
    let check = pulled.records.iter().find(|r| matches!(r.record.body, RecordBody::DormCheck(_))).expect("a dorm check").record.id;
    let mine = |who: &str| format!("user_id={who}");
    let pulls = entries(&s, &office, &format!("{}&action=pull_read", mine(&me.id.0.to_string()))).await;
    assert_eq!(pulls.len(), 1, "{pulls:?}");
    assert!(pulls[0]["item_count"].as_i64().unwrap_or(0) > 0);

    // Reading a talk's history through the API is a read of a confidential record; a dorm
    // check's is not logged.
    s.get(&counselor, &format!("/api/v1/records/{}/revisions", talk.id), StatusCode::OK).await;
    s.get(&counselor, &format!("/api/v1/records/{check}/revisions"), StatusCode::OK).await;
    let reads = entries(&s, &office, &format!("student_id={}&action=record_read", student.0)).await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0]["record_id"], json!(talk.id));
    assert_eq!(reads[0]["via"], "server");
    assert_eq!(reads[0]["address"], "127.0.0.1");
    assert!(reads[0]["actor_name"].as_str().is_some_and(|n| n.contains("counselor")));

    // The office's changes are logged with who, what and the student; a refused one is not.
    s.post_json(&counselor, "/api/v1/admin/departments", json!({ "name": "偷建学院" }), StatusCode::FORBIDDEN).await;
    s.post_json(&office, "/api/v1/admin/departments", json!({ "name": "审计学院" }), StatusCode::CREATED).await;
    let edit = json!({ "standing": { "warning_level": 1, "warning_on": "2026-11-01" }, "decision": { "date": "2026-11-02", "basis": "教务处〔2026〕30号" } });
    s.put_json(&office, &format!("/api/v1/admin/students/{}/standing", student.0), edit, StatusCode::OK).await;
    let changes = entries(&s, &office, "action=roster_change").await;
    assert_eq!(changes.len(), 1, "only the office's create: {changes:?}");
    assert_eq!(changes[0]["target"], "POST /api/v1/admin/departments");
    assert_eq!(changes[0]["actor_id"], json!(office_user.id));
    let standing = entries(&s, &office, &format!("student_id={}&action=standing_change", student.0)).await;
    assert_eq!(standing.len(), 1);
    assert!(standing[0]["student"].as_str().is_some_and(|n| !n.is_empty()), "the student's name is kept in the entry");

    // Phones' reads: each checked alone, written once.
    let now = now();
    let archive_of_mine = pulled.roster.as_ref().expect("roster").students.iter().find(|st| st.archive.is_some()).expect("an archive").id.0;
    let someone_elses = s
        .store
        .roster()
        .await
        .expect("roster")
        .students
        .iter()
        .map(|st| st.id.0)
        .find(|id| !pulled.roster.as_ref().is_some_and(|r| r.students.iter().any(|st| st.id.0 == *id && st.archive.is_some())));
    let ids: Vec<uuid::Uuid> = (0..6).map(|_| uuid::Uuid::now_v7()).collect();
    let upload = json!({ "reads": [
        read(ids[0], "record", Some(talk.id), None, now),
        read(ids[1], "archive", None, Some(archive_of_mine), now),
        read(ids[2], "record", Some(check), None, now),
        read(ids[3], "archive", None, someone_elses, now),
        read(ids[4], "record", Some(talk.id), None, now + chrono::Duration::days(2)),
        read(ids[5], "record", Some(uuid::Uuid::now_v7()), None, now),
    ] });
    let answer = s.post_json(&counselor, "/api/v1/audit/reads", upload.clone(), StatusCode::OK).await;
    let statuses: Vec<&str> = answer["results"].as_array().expect("results").iter().map(|r| r["status"].as_str().unwrap_or("")).collect();
    assert_eq!(statuses, ["accepted", "accepted", "invalid", "forbidden", "invalid", "invalid"]);
    // The office sees every archive, but not one of a student who is not.
    let ghost = s
        .post_json(&office, "/api/v1/audit/reads", json!({ "reads": [read(uuid::Uuid::now_v7(), "archive", None, Some(999_999), now)] }), StatusCode::OK)
        .await;
    assert_eq!(ghost["results"][0]["status"], "invalid");
    let again = s.post_json(&counselor, "/api/v1/audit/reads", upload, StatusCode::OK).await;
    assert_eq!(again["results"][0]["status"], "duplicate");
    assert_eq!(again["results"][1]["status"], "duplicate");
    // Another class's counselor cannot log (or learn of) a read of this talk.
    let theirs =
        s.post_json(&other, "/api/v1/audit/reads", json!({ "reads": [read(uuid::Uuid::now_v7(), "record", Some(talk.id), None, now)] }), StatusCode::OK).await;
    assert_eq!(theirs["results"][0]["status"], "forbidden");
    let phone = entries(&s, &office, &format!("{}&action=record_read", mine(&me.id.0.to_string()))).await;
    assert_eq!(phone.iter().filter(|e| e["via"] == "phone").count(), 1, "{phone:?}");
    let too_many = json!({ "reads": (0..501).map(|_| read(uuid::Uuid::now_v7(), "archive", None, Some(archive_of_mine), now)).collect::<Vec<_>>() });
    s.post_json(&counselor, "/api/v1/audit/reads", too_many, StatusCode::PAYLOAD_TOO_LARGE).await;

    // The student's page: how many staff read their file this term (the counselor so far; then
    // the office reads the archive through its API too).
    let readers = s.get(&counselor, &format!("/api/v1/students/{}/readers", student.0), StatusCode::OK).await;
    assert_eq!(readers["staff"], 1, "{readers}");
    s.get(&office, &format!("/api/v1/admin/students/{}", student.0), StatusCode::OK).await;
    let readers = s.get(&counselor, &format!("/api/v1/students/{}/readers", student.0), StatusCode::OK).await;
    assert_eq!(readers["staff"], 2, "{readers}");
    s.get(&other, &format!("/api/v1/students/{}/readers", student.0), StatusCode::FORBIDDEN).await;
    let unknown = s.get(&office, "/api/v1/students/999999/readers", StatusCode::NOT_FOUND).await;
    assert_eq!(unknown["error"]["code"], "not_found");

    // Filters by day; the export; the export is itself logged.
    let tomorrow = (now + chrono::Duration::days(1)).date_naive();
    assert!(entries(&s, &office, &format!("from={tomorrow}")).await.is_empty());
    let today = now.date_naive();
    assert!(!entries(&s, &office, &format!("from={today}&to={today}")).await.is_empty());
    s.get(&office, "/api/v1/audit?action=drop_table", StatusCode::BAD_REQUEST).await;
    s.get(&office, "/api/v1/audit?from=20000-01-01", StatusCode::BAD_REQUEST).await;
    let resp = office.get(s.url(&format!("/api/v1/audit.xlsx?student_id={}", student.0))).send().await.expect("export");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().is_ok_and(|t| t.contains("spreadsheetml")));
    assert!(resp.bytes().await.expect("bytes").starts_with(b"PK"), "an .xlsx is a zip");
    assert_eq!(entries(&s, &office, "action=audit_export").await.len(), 1);

    // Only the office reads the log, and no API changes it.
    s.get(&counselor, "/api/v1/audit", StatusCode::FORBIDDEN).await;
    let before = s.get(&office, "/api/v1/audit", StatusCode::OK).await["total"].as_i64().unwrap_or(0);
    for method in [Method::PUT, Method::DELETE, Method::PATCH, Method::POST] {
        let status = office.request(method.clone(), s.url("/api/v1/audit")).json(&json!({})).send().await.expect("request").status();
        assert!(status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND, "{method}: {status}");
    }
    let status = office.delete(s.url("/api/v1/audit/1")).send().await.expect("delete").status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let after = s.get(&office, "/api/v1/audit", StatusCode::OK).await["total"].as_i64().unwrap_or(0);
    assert_eq!(before, after);
}

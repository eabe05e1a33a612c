//! A student's standing (学业预警, 处分, 帮扶 level) is the office's, with its history: over real
//! HTTP against a real SQLite database with the demo institution. A counselor who owes the
//! duties a standing starts cannot clear it; every change the office makes is kept with who,
//! when and on what basis.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::{StandingHistoryEntry, Student};
use serde_json::{json, Value};

/// A warned student of the counselor's first class (warned by hand, not by the demo's
/// identification, so their history starts empty), with the archive as the phone holds it.
async fn warned_student(s: &TestServer) -> (reqwest::Client, Student) {
    let (counselor, _) = s.login("counselor").await;
    let roster = s.pull(&counselor, 0).await.roster.unwrap();
    let student = roster
        .students
        .iter()
        .find(|st| st.archive.as_ref().is_some_and(|a| a.warning_on.is_some() && a.warning_level.is_some() && a.assistance_on.is_none()))
        .expect("the demo has warned students in the counselor's classes")
        .clone();
    (counselor, student)
}

async fn stored(s: &TestServer, id: rounds::StudentId) -> rounds::StudentArchive {
    s.store.stored_student(id).await.unwrap().unwrap().archive.unwrap()
}

#[tokio::test]
async fn a_counselor_cannot_change_the_standing_and_nothing_changes() {
    let s = server().await;
    let (counselor, student) = warned_student(&s).await;
    let before = stored(&s, student.id).await;
    let url = format!("/api/v1/students/{}/archive", student.id);

    // Clearing the warning date (which would drop the parent-contact duty) and the level, with a
    // harmless change beside it.
    let mut archive = serde_json::to_value(&before).unwrap();
    archive["warning_on"] = Value::Null;
    archive["warning_level"] = Value::Null;
    archive["guardian_phone"] = json!("13700001111");
    let body = s.put_json(&counselor, &url, archive, StatusCode::FORBIDDEN).await;
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(fields(&body), vec![pair("warning_level", "office_only"), pair("warning_on", "office_only")]);
    assert!(body["error"]["fields"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(stored(&s, student.id).await, before, "nothing changed, not even the phone");

    // Setting one where there was none is refused too, and so is the head teacher's try.
    let mut archive = serde_json::to_value(&before).unwrap();
    archive["discipline_on"] = json!("2026-01-05");
    let body = s.put_json(&counselor, &url, archive.clone(), StatusCode::FORBIDDEN).await;
    assert_eq!(fields(&body), vec![pair("discipline_on", "office_only")]);
    let (head, _) = s.login("headteacher").await;
    s.put_json(&head, &url, archive, StatusCode::FORBIDDEN).await;
    assert_eq!(stored(&s, student.id).await, before);

    // Nothing was tried that changed the standing, so there is nothing in its history.
    let history: Vec<StandingHistoryEntry> =
        serde_json::from_value(s.get(&counselor, &format!("/api/v1/students/{}/standing-history", student.id), StatusCode::OK).await).unwrap();
    assert!(history.is_empty());
}

#[tokio::test]
async fn a_counselor_still_edits_the_rest_of_the_archive() {
    let s = server().await;
    let (counselor, student) = warned_student(&s).await;
    let before = stored(&s, student.id).await;
    // The archive as stored, standing included, with a new guardian phone: what the page sends.
    let mut archive = serde_json::to_value(&before).unwrap();
    archive["guardian_phone"] = json!("13700001111");
    archive["medical_notes"] = json!("过敏");
    let saved: Student =
        serde_json::from_value(s.put_json(&counselor, &format!("/api/v1/students/{}/archive", student.id), archive, StatusCode::OK).await).unwrap();
    let after = saved.archive.unwrap();
    assert_eq!((after.guardian_phone.as_str(), after.medical_notes.as_str()), ("13700001111", "过敏"));
    assert_eq!(after.standing(), before.standing());
    assert_eq!(stored(&s, student.id).await, after);
}

#[tokio::test]
async fn the_offices_changes_are_kept_with_who_when_and_basis() {
    let s = server().await;
    let (counselor, student) = warned_student(&s).await;
    let before = stored(&s, student.id).await;
    let (office, office_user) = s.login("office").await;
    let started = chrono::Utc::now() - chrono::Duration::seconds(1);

    // The office lifts the warning on a decision of the academic office.
    let edit = json!({
        "standing": { "warning_level": null, "warning_on": null, "discipline_on": before.discipline_on, "assistance_level": before.assistance_level },
        "decision": { "date": "2026-11-20", "basis": "教务处〔2026〕12号 解除预警" },
    });
    let saved: Student =
        serde_json::from_value(s.put_json(&office, &format!("/api/v1/admin/students/{}/standing", student.id), edit, StatusCode::OK).await).unwrap();
    let after = saved.archive.unwrap();
    assert_eq!((after.warning_level, after.warning_on), (None, None));
    assert_eq!(after.guardian_name, before.guardian_name, "the rest of the archive stays");

    // Then changes the assistance level through the student form, without a decision.
    let mut input = json!({ "student_no": student.student_no, "name": student.name, "gender": student.gender, "class_id": student.class_id, "archive": after });
    input["archive"]["assistance_level"] = json!(1);
    s.put_json(&office, &format!("/api/v1/admin/students/{}", student.id), input, StatusCode::OK).await;

    let path = format!("/api/v1/students/{}/standing-history", student.id);
    let history: Vec<StandingHistoryEntry> = serde_json::from_value(s.get(&office, &path, StatusCode::OK).await).unwrap();
    let lines: Vec<_> = history.iter().map(|h| (h.field.as_str(), h.old_value.clone(), h.new_value.clone())).collect();
    let level = before.warning_level.map(|l| l.to_string());
    let on = before.warning_on.map(|d| d.to_string());
    let assisted = before.assistance_level.map(|l| l.to_string());
    let mut want = vec![("warning_level", level, None), ("warning_on", on, None)];
    if assisted.as_deref() != Some("1") {
        want.push(("assistance_level", assisted, Some("1".to_string())));
    }
    assert_eq!(lines, want);
    for h in &history {
        assert_eq!(h.changed_by.as_deref(), Some(office_user.display_name.as_str()));
        let at = chrono::DateTime::parse_from_rfc3339(&h.changed_at).expect("server time in RFC 3339");
        assert!(at >= started && at <= chrono::Utc::now(), "{at}");
    }
    assert_eq!(history[0].decision_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 20));
    assert_eq!(history[0].basis.as_deref(), Some("教务处〔2026〕12号 解除预警"));
    if let Some(last) = history.get(2) {
        assert_eq!((last.decision_on, last.basis.as_deref()), (None, None));
    }

    // The counselor of the class may read it; a counselor of other classes may not.
    let seen: Vec<StandingHistoryEntry> = serde_json::from_value(s.get(&counselor, &path, StatusCode::OK).await).unwrap();
    assert_eq!(seen, history);
    let (other, _) = s.login("counselor2").await;
    s.get(&other, &path, StatusCode::FORBIDDEN).await;
    // Only the office sets standing through its own endpoint.
    let body = s.put_json(&counselor, &format!("/api/v1/admin/students/{}/standing", student.id), json!({ "standing": {} }), StatusCode::FORBIDDEN).await;
    assert_eq!(body["error"]["code"], "forbidden");
}

#[tokio::test]
async fn the_office_records_a_decision_on_enrolment_and_its_history_keeps_it() {
    let s = server().await;
    let (_, student) = warned_student(&s).await;
    let before = stored(&s, student.id).await;
    let (office, _) = s.login("office").await;
    let mut standing = serde_json::to_value(before.standing()).unwrap();
    standing["ruling_on"] = json!("2026-11-02");
    let edit = json!({ "standing": standing, "decision": { "date": "2026-11-02", "basis": "学籍处理：留级" } });
    s.put_json(&office, &format!("/api/v1/admin/students/{}/standing", student.id), edit, StatusCode::OK).await;
    assert_eq!(stored(&s, student.id).await.ruling_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 2));
    let history: Vec<StandingHistoryEntry> =
        serde_json::from_value(s.get(&office, &format!("/api/v1/students/{}/standing-history", student.id), StatusCode::OK).await).unwrap();
    let last = history.last().expect("the change is kept");
    assert_eq!((last.field.as_str(), last.old_value.as_deref(), last.new_value.as_deref()), ("ruling_on", None, Some("2026-11-02")));
    assert_eq!(last.basis.as_deref(), Some("学籍处理：留级"));
}

#[tokio::test]
async fn the_offices_decision_is_validated_and_a_warning_date_needs_a_level() {
    let s = server().await;
    let (_, student) = warned_student(&s).await;
    let (office, _) = s.login("office").await;
    let url = format!("/api/v1/admin/students/{}/standing", student.id);
    let body = s
        .put_json(
            &office,
            &url,
            json!({ "standing": { "warning_on": "2026-11-01" }, "decision": { "date": "2999-01-01", "basis": "x" } }),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(fields(&body), vec![pair("decision.date", "in_future")]);
    let body = s.put_json(&office, &url, json!({ "standing": { "warning_on": "2026-11-01" } }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&body), vec![pair("warning_level", "required")]);
    // Dates out of the calendar's years, which the duty engine's arithmetic could not take:
    // chrono's own ends do not even read as JSON; nearer ones are named.
    let body = s.put_json(&office, &url, json!({ "standing": { "warning_level": 1, "warning_on": "-262144-01-01" } }), StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["code"], "malformed_request", "{body}");
    let body = s.put_json(&office, &url, json!({ "standing": { "warning_level": 1, "warning_on": "1900-01-01" } }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&body), vec![pair("warning_on", "out_of_range")]);
    s.put_json(&office, "/api/v1/admin/students/999999/standing", json!({ "standing": {} }), StatusCode::NOT_FOUND).await;
    let history = s.get(&office, &format!("/api/v1/students/{}/standing-history", student.id), StatusCode::OK).await;
    assert_eq!(history, json!([]));
}

#[tokio::test]
async fn the_new_endpoints_are_in_the_openapi_document() {
    let s = server().await;
    let doc = s.get(&client(), "/api/v1/openapi.json", StatusCode::OK).await;
    assert!(doc["paths"]["/api/v1/admin/students/{id}/standing"]["put"].is_object());
    assert!(doc["paths"]["/api/v1/students/{id}/standing-history"]["get"].is_object());
    assert!(doc["components"]["schemas"]["StandingEdit"].is_object());
}

//! Assistance (帮扶, seeds 001 and 003) over real HTTP against a real SQLite database with the
//! demo institution: the office imports a term's results, confirms the working group's list,
//! and the cases that open reach only the staff assigned to the student; the staff cannot write
//! a case, nor the office's standing.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::assistance::{ConfirmReport, Identification, ResultsImportReport};
use rounds::sync::PushStatus;
use rounds::{AssistanceCase, RecordBody, RecordEnvelope, Student, VolunteerSession};
use serde_json::{json, Value};

/// A term the demo's own identification (of the semester before this one) does not use.
const TERM: &str = "2024-2025-2";

/// Three students of the counselor's first class, by student number.
async fn three_students(s: &TestServer) -> Vec<Student> {
    let (counselor, _) = s.login("counselor").await;
    let roster = s.pull(&counselor, 0).await.roster.expect("a roster");
    let first_class = roster.classes[0].id;
    roster.students.into_iter().filter(|st| st.class_id == first_class).take(3).collect()
}

async fn upload(s: &TestServer, c: &reqwest::Client, mode: &str, csv: &str, status: StatusCode) -> Value {
    let url = s.url(&format!("/api/v1/assistance/results/import?term={TERM}&mode={mode}&format=csv"));
    let resp = c.post(url).header("content-type", "text/csv").body(csv.to_string()).send().await.expect("upload");
    assert_eq!(resp.status(), status);
    resp.json().await.expect("json")
}

fn results_csv(students: &[Student], credits: [&str; 3]) -> String {
    let mut csv = "学号,姓名,不及格学分,不及格门次,平均学分绩点,旷课学时\n".to_string();
    for (st, c) in students.iter().zip(credits) {
        csv.push_str(&format!("{},{},{c},4,1.8,2\n", st.student_no, st.name));
    }
    csv
}

#[tokio::test]
async fn a_results_file_is_checked_then_imported_and_again_changes_nothing() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let students = three_students(&s).await;
    let mut csv = results_csv(&students, ["12", "15", "25"]);
    csv.push_str("9999999,无名,12,3,,\n");

    // The check names the bad row and its reason, and writes nothing.
    let check: ResultsImportReport = serde_json::from_value(upload(&s, &office, "check", &csv, StatusCode::OK).await).unwrap();
    assert_eq!((check.report.rows, check.report.bad_rows, check.report.applied), (4, 1, false));
    assert_eq!(check.report.errors[0].row, 5);
    assert_eq!(serde_json::to_value(check.report.errors[0].code).unwrap(), "unknown_student");
    assert_eq!((check.proposed.level_one, check.proposed.level_two, check.proposed.level_three), (1, 1, 1));
    assert!(s.store.semester_results(TERM).await.unwrap().is_empty());

    // Apply refuses a file with a bad row; skipping it imports the three good ones.
    let refused = upload(&s, &office, "apply", &csv, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["error"]["code"], "import_refused");
    let applied: ResultsImportReport = serde_json::from_value(upload(&s, &office, "apply_skipping_bad", &csv, StatusCode::OK).await).unwrap();
    assert!(applied.report.applied);
    assert_eq!(applied.report.counts.created, 3);
    let again: ResultsImportReport = serde_json::from_value(upload(&s, &office, "apply_skipping_bad", &csv, StatusCode::OK).await).unwrap();
    assert_eq!((again.report.counts.created, again.report.counts.updated, again.report.counts.unchanged), (0, 0, 3), "re-import changes nothing");

    // The list proposes the three levels, most credits first.
    let list: Identification = serde_json::from_value(s.get(&office, &format!("/api/v1/assistance/identification?term={TERM}"), StatusCode::OK).await).unwrap();
    let levels: Vec<Option<u8>> = list.students.iter().map(|st| st.proposal.level.map(|l| l.number())).collect();
    assert_eq!(levels, vec![Some(3), Some(2), Some(1)]);
    assert!(list.decision.is_none(), "nothing is decided until the office confirms");

    // The template downloads; a counselor may not import.
    let resp = office.get(s.url("/api/v1/assistance/results/template.csv")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("不及格学分"));
    let (counselor, _) = s.login("counselor").await;
    upload(&s, &counselor, "check", &csv, StatusCode::FORBIDDEN).await;
}

/// Imports the three students' results and confirms the list; answers the report.
async fn identified(s: &TestServer, students: &[Student]) -> ConfirmReport {
    let (office, _) = s.login("office").await;
    upload(s, &office, "apply", &results_csv(students, ["12", "15", "25"]), StatusCode::OK).await;
    let decision = json!({
        "term": TERM,
        "decided_on": now().date_naive().to_string(),
        "basis": "学业困难学生帮扶工作组会议纪要〔2026〕3号",
        "students": students.iter().zip(["one", "two", "three"]).map(|(st, level)| json!({ "student_id": st.id, "level": level })).collect::<Vec<_>>(),
    });
    serde_json::from_value(s.post_json(&office, "/api/v1/assistance/identification/confirm", decision, StatusCode::OK).await).unwrap()
}

/// The cases among pulled records about these students (the demo has cases of its own).
fn cases_in(records: &[rounds::sync::StoredRecord], students: &[Student]) -> Vec<AssistanceCase> {
    records
        .iter()
        .filter_map(|r| match &r.record.body {
            RecordBody::AssistanceCase(c) if students.iter().any(|s| s.id == c.student_id) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn confirming_sets_the_standing_with_its_basis_and_opens_cases_once() {
    let s = server().await;
    let students = three_students(&s).await;
    let report = identified(&s, &students).await;
    assert_eq!((report.confirmed, report.cases_opened, report.cases_updated), (3, 3, 0));
    assert!(report.refused.is_empty(), "{:?}", report.refused);

    let level_two = &students[1];
    let archive = s.store.stored_student(level_two.id).await.unwrap().unwrap().archive.unwrap();
    assert_eq!((archive.assistance_level, archive.assistance_on), (Some(2), Some(now().date_naive())));
    let (office, _) = s.login("office").await;
    let history: Vec<rounds::StandingHistoryEntry> =
        serde_json::from_value(s.get(&office, &format!("/api/v1/students/{}/standing-history", level_two.id), StatusCode::OK).await).unwrap();
    let assistance = history.iter().find(|h| h.field == "assistance_level").expect("the level's line of history");
    assert_eq!(assistance.new_value.as_deref(), Some("2"));
    assert_eq!(assistance.basis.as_deref(), Some("学业困难学生帮扶工作组会议纪要〔2026〕3号"));
    assert_eq!(assistance.changed_by.as_deref(), Some("刘敏"));

    // Confirming the same decision again changes nothing.
    let again = identified(&s, &students).await;
    assert_eq!((again.confirmed, again.cases_opened, again.cases_updated, again.unchanged), (3, 0, 0, 3));
    let list: Identification = serde_json::from_value(s.get(&office, &format!("/api/v1/assistance/identification?term={TERM}"), StatusCode::OK).await).unwrap();
    assert!(list.decision.is_some_and(|d| d.basis.contains("3号")));

    // The counselor of the class receives the three cases, with the level and the people
    // responsible; the counselor of another class and the leader receive none.
    let (counselor, _) = s.login("counselor").await;
    let cases = cases_in(&s.pull(&counselor, 0).await.records, &students);
    assert_eq!(cases.len(), 3);
    let two = cases.iter().find(|c| c.student_id == level_two.id).expect("the level-2 case");
    assert_eq!(two.level.map(|l| l.number()), Some(2));
    assert!(two.counselor.contains("王芳"), "{}", two.counselor);
    for other in ["counselor2", "leader"] {
        let (c, _) = s.login(other).await;
        assert!(cases_in(&s.pull(&c, 0).await.records, &students).is_empty(), "{other} must not receive a case");
    }
}

#[tokio::test]
async fn a_student_the_decision_cannot_take_is_refused_alone() {
    let s = server().await;
    let students = three_students(&s).await;
    let (office, _) = s.login("office").await;
    upload(&s, &office, "apply", &results_csv(&students[..1], ["12", "0", "0"]), StatusCode::OK).await;
    let decision = json!({
        "term": TERM, "decided_on": now().date_naive().to_string(), "basis": "工作组会议",
        "students": [{ "student_id": students[0].id, "level": "one" }, { "student_id": students[2].id, "level": "three" }],
    });
    let report: ConfirmReport =
        serde_json::from_value(s.post_json(&office, "/api/v1/assistance/identification/confirm", decision, StatusCode::OK).await).unwrap();
    assert_eq!(report.confirmed, 1);
    assert_eq!(report.refused.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), vec![("students[1].student_id", "no_results")]);
    // A decision without a basis or dated tomorrow is no decision.
    let bad = json!({ "term": TERM, "decided_on": (now().date_naive() + chrono::Duration::days(1)).to_string(), "basis": "", "students": [{ "student_id": students[0].id, "level": null }] });
    let body = s.post_json(&office, "/api/v1/assistance/identification/confirm", bad, StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&body), vec![pair("decided_on", "in_future"), pair("basis", "required")]);
    // Only the office decides.
    let (counselor, _) = s.login("counselor").await;
    let decision = json!({ "term": TERM, "decided_on": now().date_naive().to_string(), "basis": "自行认定", "students": [{ "student_id": students[0].id, "level": null }] });
    s.post_json(&counselor, "/api/v1/assistance/identification/confirm", decision, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn staff_cannot_write_a_case_but_record_its_work_which_the_office_counts() {
    let s = server().await;
    let students = three_students(&s).await;
    identified(&s, &students).await;
    let (counselor, me) = s.login("counselor").await;
    let pulled = s.pull(&counselor, 0).await;
    let level_two = &students[1];
    let stored: RecordEnvelope = pulled
        .records
        .iter()
        .find(|r| matches!(&r.record.body, RecordBody::AssistanceCase(c) if c.student_id == level_two.id))
        .expect("the case")
        .record
        .clone();

    // Opening a case of one's own, or closing the office's, is refused; nothing is stored.
    let RecordBody::AssistanceCase(case) = stored.body.clone() else { unreachable!() };
    let own = RecordEnvelope::new(RecordBody::AssistanceCase(AssistanceCase { level: None, ..case.clone() }), me.id, "phone", now());
    let mut closed = stored.edited(RecordBody::AssistanceCase(AssistanceCase { level: None, ..case }), false, "phone", now());
    closed.author_id = me.id;
    let session = RecordEnvelope::new(
        RecordBody::VolunteerSession(VolunteerSession {
            student_id: level_two.id,
            // Not an hour earlier: just after midnight that is the day before the decision,
            // which the action's days do not count.
            held_at: now(),
            volunteer_id: None,
            volunteer_name: "李四".into(),
            minutes: 90,
            content: "高等数学第三章答疑".into(),
        }),
        me.id,
        "phone",
        now(),
    );
    let pushed = s.push(&counselor, vec![to_json(&own), to_json(&closed), to_json(&session)]).await;
    let statuses: Vec<(PushStatus, u16)> = pushed.results.iter().map(|r| (r.status, r.http_status)).collect();
    assert_eq!(statuses, vec![(PushStatus::Forbidden, 403), (PushStatus::Forbidden, 403), (PushStatus::Accepted, 200)]);
    assert_eq!(pushed.results[0].errors[0].code, "office_only");
    let (office, _) = s.login("office").await;
    let cases = cases_in(&s.pull(&office, 0).await.records, &students);
    assert_eq!(cases.len(), 3, "no fourth case");
    assert!(cases.iter().all(|c| c.level.is_some()), "the office's level stands");

    // The level-2 volunteer action was done on time, and the hours count for the volunteer.
    let year = now().date_naive();
    let calendar = s.store.calendar().await.unwrap().calendar;
    if let Some(term) = calendar.term_on(year) {
        let hours: Vec<rounds::assistance::VolunteerHours> =
            serde_json::from_value(s.get(&office, &format!("/api/v1/assistance/volunteer-hours?term={term}"), StatusCode::OK).await).unwrap();
        let li = hours.iter().find(|h| h.name == "李四").expect("the volunteer's hours");
        assert_eq!((li.sessions, li.minutes), (1, 90));
    }
    let stats: rounds::assistance::AssistanceStatistics =
        serde_json::from_value(s.get(&office, &format!("/api/v1/assistance/statistics?term={TERM}"), StatusCode::OK).await).unwrap();
    assert_eq!(stats.total.total(), 3);
    assert!(stats.actions_on_time >= 1, "{stats:?}");
    assert!(stats.actions_owed > stats.actions_on_time);
    let xlsx = office.get(s.url(&format!("/api/v1/assistance/statistics.xlsx?term={TERM}"))).send().await.unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "an xlsx is a zip");
}

#[tokio::test]
async fn the_volunteer_register_is_the_offices() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let today = now().date_naive().to_string();
    let v = json!({ "name": "李四", "student_no": "2023010102", "selected_on": today, "trained_on": today });
    let saved = s.post_json(&office, "/api/v1/assistance/volunteers", v, StatusCode::CREATED).await;
    let id = saved["id"].as_i64().expect("an id");
    let changed = s.put_json(&office, &format!("/api/v1/assistance/volunteers/{id}"), json!({ "name": "李四", "active": false }), StatusCode::OK).await;
    assert_eq!(changed["active"], false);
    s.put_json(&office, "/api/v1/assistance/volunteers/99999", json!({ "name": "无" }), StatusCode::NOT_FOUND).await;
    let bad = s.post_json(&office, "/api/v1/assistance/volunteers", json!({ "name": "" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("name", "required")]);
    let (counselor, _) = s.login("counselor").await;
    s.get(&counselor, "/api/v1/assistance/volunteers", StatusCode::FORBIDDEN).await;
}

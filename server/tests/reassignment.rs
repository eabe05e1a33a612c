//! Reassignments reach phones (issue 15.2): when the office gives a class to another
//! counselor, the pull tells each phone to start afresh (`reset`), the old counselor's phone no
//! longer receives the class's records, the new one receives its history, and a record saved
//! offline before the class was taken is kept for the office instead of refused.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::admin::ClassRow;
use rounds::sync::{PullResponse, PushStatus};
use rounds::*;
use serde_json::json;
use std::collections::BTreeSet;

async fn pull_with(s: &TestServer, c: &Client, since: i64, scope: Option<&str>) -> PullResponse {
    let mut path = format!("/api/v1/sync/pull?since={since}");
    if let Some(scope) = scope {
        path.push_str(&format!("&scope={scope}"));
    }
    serde_json::from_value(s.get(c, &path, StatusCode::OK).await).expect("pull json")
}

/// Pulls every page, as a phone does; answers the last page and every record seen.
async fn pull_all(s: &TestServer, c: &Client, since: i64, scope: Option<&str>) -> (PullResponse, Vec<RecordEnvelope>, bool) {
    let mut page = pull_with(s, c, since, scope).await;
    let reset = page.reset;
    let mut records: Vec<RecordEnvelope> = page.records.iter().map(|r| r.record.clone()).collect();
    while page.more {
        let scope = page.scope.clone();
        page = pull_with(s, c, page.cursor, Some(&scope)).await;
        assert!(!page.reset, "a full pull resets once, on its first page");
        records.extend(page.records.iter().map(|r| r.record.clone()));
    }
    (page, records, reset)
}

/// A class that only `counselor` looks after, and one of its students.
async fn counselor_only_class(s: &TestServer, office: &Client, counselor: &UserProfile) -> (ClassId, StudentId) {
    let rows: Vec<ClassRow> = serde_json::from_value(s.get(office, "/api/v1/admin/classes", StatusCode::OK).await).expect("classes");
    let row =
        rows.iter().find(|r| r.students > 0 && r.staff.len() == 1 && r.staff[0].id == counselor.id).expect("the demo has a class with the counselor alone");
    let full = s.store.roster().await.expect("roster");
    let student = full.students.iter().find(|st| st.class_id == row.class.id).expect("a student").id;
    (row.class.id, student)
}

fn talk(student: StudentId, author: &UserProfile, problems: &str) -> RecordEnvelope {
    RecordEnvelope::new(
        RecordBody::Talk(Talk {
            student_id: student,
            talked_at: now() - chrono::Duration::minutes(30),
            place: "办公室".into(),
            reason: TalkReason::Routine,
            problems: problems.into(),
            assessment: "情况稳定".into(),
            parents_contacted: false,
            refer_to_counseling: false,
            co_interviewers: String::new(),
            study_plan: String::new(),
        }),
        author.id,
        "test-device",
        now(),
    )
}

/// Whether a record is about the class (the class, one of its students, or a room they live in).
fn about_class(roster: &RosterSnapshot, class: ClassId, env: &RecordEnvelope) -> bool {
    match env.body.subject() {
        record::Subject::Class(c) => c == class,
        record::Subject::Student(st) => roster.student(st).is_some_and(|st| st.class_id == class),
        record::Subject::Room(r) => roster.residents(r).iter().any(|(_, st)| st.class_id == class),
        _ => false,
    }
}

#[tokio::test]
async fn a_class_given_to_another_counselor_moves_its_records_between_phones() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, u2) = s.login("counselor2").await;
    let (class, student) = counselor_only_class(&s, &office, &u1).await;
    let full = s.store.roster().await.expect("roster");

    let (first1, records1, reset) = pull_all(&s, &c1, 0, None).await;
    assert!(reset, "a first pull is a full one");
    assert!(records1.iter().any(|r| about_class(&full, class, r)), "the demo has records about the class");
    let (first2, records2, _) = pull_all(&s, &c2, 0, None).await;
    assert!(!records2.iter().any(|r| about_class(&full, class, r)), "counselor2 sees nothing of another's class");

    let t1 = talk(student, &u1, "first counselor's talk");
    assert_eq!(s.push(&c1, vec![to_json(&t1)]).await.results[0].status, PushStatus::Accepted);
    let (after_t1, _, reset) = pull_all(&s, &c1, first1.cursor, Some(&first1.scope)).await;
    assert!(!reset, "nothing changed in the counselor's scope");

    s.put_json(&office, &format!("/api/v1/admin/classes/{}/staff", class.0), json!({ "user_ids": [u2.id] }), StatusCode::OK).await;

    // The new counselor's phone starts afresh and receives the class's history.
    let (now2, records2, reset) = pull_all(&s, &c2, first2.cursor, Some(&first2.scope)).await;
    assert!(reset, "a class given to counselor2 resets their pull");
    assert_ne!(now2.scope, first2.scope);
    assert!(records2.iter().any(|r| r.id == t1.id), "the history of the class reaches its new counselor");
    let before: BTreeSet<_> = records1.iter().filter(|r| about_class(&full, class, r)).map(|r| r.id).collect();
    let received: BTreeSet<_> = records2.iter().map(|r| r.id).collect();
    assert!(before.is_subset(&received), "every record of the class the old counselor had reaches the new one");

    // The old counselor's phone starts afresh too, and gets nothing of the class but their own.
    let t2 = talk(student, &u2, "second counselor's talk");
    assert_eq!(s.push(&c2, vec![to_json(&t2)]).await.results[0].status, PushStatus::Accepted);
    let (now1, records1, reset) = pull_all(&s, &c1, after_t1.cursor, Some(&after_t1.scope)).await;
    assert!(reset, "a class taken from the counselor resets their pull");
    assert!(now1.roster.as_ref().expect("a full pull sends the roster").class(class).is_none());
    let about: Vec<_> = records1.iter().filter(|r| about_class(&full, class, r)).collect();
    assert!(about.iter().all(|r| r.author_id == u1.id), "only the counselor's own records of the lost class come back");
    assert!(about.iter().any(|r| r.id == t1.id), "the author still has their own talk");
    assert!(!records1.iter().any(|r| r.id == t2.id), "the new counselor's talk never reaches the old one");

    // Once the phone holds the new scope, pulls are incremental again; a phone that sends no
    // scope (an older build) is never reset behind its back.
    let (_, _, reset) = pull_all(&s, &c1, now1.cursor, Some(&now1.scope)).await;
    assert!(!reset);
    let (_, _, reset) = pull_all(&s, &c1, now1.cursor, None).await;
    assert!(!reset);
}

#[tokio::test]
async fn a_record_saved_before_the_class_was_taken_is_kept_for_the_office() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, u2) = s.login("counselor2").await;
    let (class, student) = counselor_only_class(&s, &office, &u1).await;

    // Saved on the phone in a corridor with no signal, while the class was still theirs.
    let offline = talk(student, &u1, "saved offline before the reassignment");
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    s.put_json(&office, &format!("/api/v1/admin/classes/{}/staff", class.0), json!({ "user_ids": [u2.id] }), StatusCode::OK).await;
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let late = talk(student, &u1, "written after the class was taken");

    let answer = s.push(&c1, vec![to_json(&offline), to_json(&late)]).await;
    assert_eq!(answer.results[0].status, PushStatus::Accepted, "{:?}", answer.results[0].errors);
    assert_eq!(answer.results[1].status, PushStatus::Forbidden);
    assert_eq!(answer.results[1].errors[0].code, "out_of_scope");

    for (who, c) in [("office", &office), ("the new counselor", &c2)] {
        let (_, records, _) = pull_all(&s, c, 0, None).await;
        assert!(records.iter().any(|r| r.id == offline.id), "{who} receives the record kept for the office");
        assert!(!records.iter().any(|r| r.id == late.id));
    }
}

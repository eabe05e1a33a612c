//! The issue ledger (002 四(三); 000 二(六)2) over real HTTP: who may take each step (raiser,
//! assignee, office), what each party receives in its pull, what stays confidential, and the
//! office's ledger, due days, Excel and yearly report.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::kinds::issue::{IssueAction, IssueCategory, IssueStatus, IssueStep, StudentIssue};
use rounds::ledger::{IssueState, Ledger};
use rounds::sync::{PushResult, PushStatus};
use rounds::*;
use serde_json::{json, Value};

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    now() - chrono::Duration::hours(2)
}

fn raise(by: &UserProfile, issue: StudentIssue) -> RecordEnvelope {
    RecordEnvelope::new(issue.into(), by.id, "test", now())
}

fn room_issue(room: RoomId, text: &str) -> StudentIssue {
    StudentIssue {
        class_id: None,
        student_id: None,
        room_id: Some(room),
        raised_at: at(),
        category: IssueCategory::Dormitory,
        description: text.into(),
        raised_from: None,
    }
}

fn step(by: &UserProfile, issue: uuid::Uuid, action: IssueAction, text: &str) -> RecordEnvelope {
    let body = IssueStep {
        issue_id: issue,
        taken_at: now() - chrono::Duration::minutes(5),
        action,
        unit: String::new(),
        assignee_id: None,
        due_on: None,
        text: text.into(),
    };
    RecordEnvelope::new(body.into(), by.id, "test", now())
}

fn assign(by: &UserProfile, issue: uuid::Uuid, to: Option<UserId>, due_in_days: i64) -> RecordEnvelope {
    let body = IssueStep {
        issue_id: issue,
        taken_at: now() - chrono::Duration::minutes(5),
        action: IssueAction::Assign,
        unit: "后勤保障处".into(),
        assignee_id: to,
        due_on: Some(now().date_naive() + chrono::Duration::days(due_in_days)),
        text: String::new(),
    };
    RecordEnvelope::new(body.into(), by.id, "test", now())
}

async fn push_one(s: &TestServer, c: &Client, env: &RecordEnvelope) -> PushResult {
    s.push(c, vec![to_json(env)]).await.results.into_iter().next().expect("one result")
}

fn refused(r: &PushResult, status: PushStatus, field: &str, code: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert!(r.errors.iter().any(|e| e.field == field && e.code == code), "{r:?}");
}

/// The issue as a pull of `c` shows it: its state folded from the steps received.
async fn state_seen_by(s: &TestServer, c: &Client, issue: uuid::Uuid) -> Option<IssueState> {
    let records: Vec<RecordEnvelope> = s.pull(c, 0).await.records.into_iter().map(|r| r.record).collect();
    rounds::ledger::states(&records).remove(&issue)
}

async fn ledger(s: &TestServer, c: &Client, query: &str) -> Ledger {
    serde_json::from_value(s.get(c, &format!("/api/v1/ledger{query}"), StatusCode::OK).await).expect("ledger json")
}

fn linked_room(roster: &RosterSnapshot) -> RoomId {
    roster.links.iter().find_map(|l| if let LinkTarget::Room(r) = l.target { Some(r) } else { None }).expect("the leader's room")
}

#[tokio::test]
async fn an_issue_moves_by_the_raiser_the_assignee_and_the_office_each_in_turn() {
    let s = server().await;
    let (l, leader) = s.login("leader").await;
    let (o, office) = s.login("office").await;
    let (c2, counselor2) = s.login("counselor2").await;
    let (c1, counselor) = s.login("counselor").await;
    let room = linked_room(&s.pull(&l, 0).await.roster.expect("roster"));

    // A leader owes the ledger: he raises an issue about his linked room.
    let issue = raise(&leader, room_issue(room, "卫生间下水道堵塞"));
    assert_eq!(push_one(&s, &l, &issue).await.status, PushStatus::Accepted);
    // The room's counselor sees the issue (it is about her students' room) but takes no step.
    assert!(s.pull(&c1, 0).await.records.iter().any(|r| r.record.id == issue.id));
    refused(&push_one(&s, &c1, &step(&counselor, issue.id, IssueAction::Progress, "我来看看")).await, PushStatus::Forbidden, "action", "not_yours");
    // Only the office assigns; another class's counselor does not even see it yet.
    refused(&push_one(&s, &l, &assign(&leader, issue.id, None, 3)).await, PushStatus::Forbidden, "action", "not_yours");
    assert!(state_seen_by(&s, &c2, issue.id).await.is_none());
    let cursor = s.pull(&c2, 0).await.cursor;

    // The office gives it to counselor2, who now receives the issue though the room is not hers.
    assert_eq!(push_one(&s, &o, &assign(&office, issue.id, Some(counselor2.id), 3)).await.status, PushStatus::Accepted);
    let since = s.pull(&c2, cursor).await;
    assert!(since.records.iter().any(|r| r.record.id == issue.id), "an older issue newly hers comes in her next pull");
    assert_eq!(state_seen_by(&s, &c2, issue.id).await.map(|st| (st.status, st.assignee_id)), Some((IssueStatus::Assigned, Some(counselor2.id))));

    // The raiser answers only once told; the assignee resolves; the office feeds back.
    refused(&push_one(&s, &l, &step(&leader, issue.id, IssueAction::Confirm, "")).await, PushStatus::Forbidden, "action", "wrong_status");
    assert_eq!(push_one(&s, &c2, &step(&counselor2, issue.id, IssueAction::Resolve, "已报修，物业疏通完毕")).await.status, PushStatus::Accepted);
    refused(&push_one(&s, &c2, &step(&counselor2, issue.id, IssueAction::FeedBack, "好了")).await, PushStatus::Forbidden, "action", "not_yours");
    assert_eq!(push_one(&s, &o, &step(&office, issue.id, IssueAction::FeedBack, "下水道已疏通，请转告同学")).await.status, PushStatus::Accepted);

    // The leader's phone holds the whole thread, the office's steps included.
    let seen = state_seen_by(&s, &l, issue.id).await.expect("the raiser sees his issue");
    assert_eq!((seen.status, seen.feedback.as_str()), (IssueStatus::FedBack, "下水道已疏通，请转告同学"));
    let confirm = step(&leader, issue.id, IssueAction::Confirm, "同学们表示满意");
    assert_eq!(push_one(&s, &l, &confirm).await.status, PushStatus::Accepted);
    // A replay of the same step is a duplicate, not a refusal; an edit of a step is refused.
    assert_eq!(push_one(&s, &l, &confirm).await.status, PushStatus::Duplicate);
    let edited = confirm.edited(confirm.body.clone(), false, "test", now());
    refused(&push_one(&s, &l, &edited).await, PushStatus::Invalid, "revision", "step_final");

    // The ledger has every step with who took it and when.
    let entry = ledger(&s, &o, "").await.entries.into_iter().find(|e| e.id == issue.id).expect("in the ledger");
    assert_eq!(entry.state.status, IssueStatus::Closed);
    assert_eq!(entry.raised_by_name, "赵建国");
    let who: Vec<(&str, IssueAction)> = entry.steps.iter().map(|st| (st.author_name.as_str(), st.step.action)).collect();
    assert_eq!(who, vec![("刘敏", IssueAction::Assign), ("李强", IssueAction::Resolve), ("刘敏", IssueAction::FeedBack), ("赵建国", IssueAction::Confirm)]);
    // Nothing is lost: each step keeps its revision history.
    let history = s.get(&l, &format!("/api/v1/records/{}/revisions", confirm.id), StatusCode::OK).await;
    assert_eq!(history["revisions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_step_is_refused_alone_with_its_field_and_the_rest_is_kept() {
    let s = server().await;
    let (c, counselor) = s.login("counselor").await;
    let (o, office) = s.login("office").await;
    let roster = s.pull(&c, 0).await.roster.expect("roster");
    let student = &roster.students[0];
    let issue = raise(
        &counselor,
        StudentIssue {
            class_id: Some(student.class_id),
            student_id: Some(student.id),
            room_id: None,
            raised_at: at(),
            category: IssueCategory::Finance,
            description: "助学金发放时间".into(),
            raised_from: None,
        },
    );
    // Raised with a first note in one push: the step of an issue in the same push is taken.
    let note = step(&counselor, issue.id, IssueAction::Progress, "学生已提交材料");
    let unknown = step(&counselor, uuid::Uuid::from_u128(0x5eed), IssueAction::Progress, "?");
    let results = s.push(&c, vec![to_json(&issue), to_json(&note), to_json(&unknown)]).await.results;
    assert_eq!(results[0].status, PushStatus::Accepted);
    assert_eq!(results[1].status, PushStatus::Accepted);
    refused(&results[2], PushStatus::Invalid, "issue_id", "unknown_issue");

    // An assignment to no account, and one without a due date, are refused by field.
    refused(&push_one(&s, &o, &assign(&office, issue.id, Some(UserId(9999)), 3)).await, PushStatus::Invalid, "assignee_id", "unknown_account");
    let mut no_due = assign(&office, issue.id, None, 3);
    if let RecordBody::IssueStep(st) = &mut no_due.body {
        st.due_on = None;
    }
    refused(&push_one(&s, &o, &no_due).await, PushStatus::Invalid, "body.data.due_on", "required");
    assert_eq!(ledger(&s, &o, "").await.entries.iter().find(|e| e.id == issue.id).map(|e| e.state.status), Some(IssueStatus::Open));

    // Three steps taken offline and sent in one push: each is checked after the ones before it.
    let mut resolve = step(&office, issue.id, IssueAction::Resolve, "已按期发放");
    let mut feedback = step(&office, issue.id, IssueAction::FeedBack, "助学金已于本月发放，请转告学生");
    if let (RecordBody::IssueStep(r), RecordBody::IssueStep(f)) = (&mut resolve.body, &mut feedback.body) {
        r.taken_at += chrono::Duration::minutes(1);
        f.taken_at += chrono::Duration::minutes(2);
    }
    let together = s.push(&o, vec![to_json(&assign(&office, issue.id, None, 3)), to_json(&resolve), to_json(&feedback)]).await.results;
    assert!(together.iter().all(|r| r.status == PushStatus::Accepted), "{together:?}");
    assert_eq!(state_seen_by(&s, &c, issue.id).await.map(|st| st.status), Some(IssueStatus::FedBack));
}

#[tokio::test]
async fn a_students_issue_and_its_steps_reach_only_its_staff_its_parties_and_the_office() {
    let s = server().await;
    let (c, counselor) = s.login("counselor").await;
    let (o, office) = s.login("office").await;
    let (c2, _) = s.login("counselor2").await;
    let (l, _) = s.login("leader").await;
    let roster = s.pull(&c, 0).await.roster.expect("roster");
    // A student of the leader's linked class: a leader never receives what is about a student.
    let linked_class = s.pull(&l, 0).await.roster.expect("roster").links.iter().find_map(|k| if let LinkTarget::Class(c) = k.target { Some(c) } else { None });
    let student = roster.students.iter().find(|st| Some(st.class_id) == linked_class).expect("a student of the linked class");
    let issue = raise(
        &counselor,
        StudentIssue {
            class_id: Some(student.class_id),
            student_id: Some(student.id),
            room_id: None,
            raised_at: at(),
            category: IssueCategory::Life,
            description: "家中突发变故，需临时困难补助".into(),
            raised_from: None,
        },
    );
    assert_eq!(push_one(&s, &c, &issue).await.status, PushStatus::Accepted);
    let assigned = assign(&office, issue.id, None, 5);
    assert_eq!(push_one(&s, &o, &assigned).await.status, PushStatus::Accepted);
    for (who, client) in [("another class's counselor", &c2), ("a leader linked to the class", &l)] {
        let pulled = s.pull(client, 0).await;
        assert!(pulled.records.iter().all(|r| r.record.id != issue.id && r.record.id != assigned.id), "{who} must not receive it");
        s.get(client, &format!("/api/v1/records/{}/revisions", assigned.id), StatusCode::NOT_FOUND).await;
        // Nor take a step on it.
        let me = client_user(&s, client).await;
        refused(&push_one(&s, client, &step(&me, issue.id, IssueAction::Progress, "?")).await, PushStatus::Forbidden, "action", "not_yours");
    }
    // The raiser has the office's step.
    assert_eq!(state_seen_by(&s, &c, issue.id).await.map(|st| st.status), Some(IssueStatus::Assigned));
    // The ledger is the office's alone.
    s.get(&c, "/api/v1/ledger", StatusCode::FORBIDDEN).await;
    s.get(&l, "/api/v1/ledger.xlsx", StatusCode::FORBIDDEN).await;
}

async fn client_user(s: &TestServer, c: &Client) -> UserProfile {
    serde_json::from_value(s.get(c, "/api/v1/session", StatusCode::OK).await["user"].clone()).expect("user")
}

#[tokio::test]
async fn the_office_ledger_filters_dates_and_exports_with_its_own_due_days() {
    let s = server().await;
    let (o, _) = s.login("office").await;
    let all = ledger(&s, &o, "").await;
    // The demo's ledger is lived in: every status, an overdue one, a safety hazard from a check.
    for status in IssueStatus::ALL {
        assert!(all.entries.iter().any(|e| e.state.status == *status), "no {status:?} issue in the demo");
    }
    let hazard = all.entries.iter().find(|e| e.issue.category == IssueCategory::Safety).expect("a hazard reported");
    assert_eq!(hazard.issue.raised_from.as_ref().map(|f| f.kind.as_str()), Some("dorm_check"));
    let overdue = ledger(&s, &o, "?overdue=true").await.entries;
    assert!(!overdue.is_empty() && overdue.iter().all(|e| e.overdue && e.state.is_pending() && e.due_on < all.today));
    let open = ledger(&s, &o, "?status=open&category=study").await.entries;
    assert!(open.iter().all(|e| e.state.status == IssueStatus::Open && e.issue.category == IssueCategory::Study));
    // An unassigned issue is due by the office's default for its category, shown as such.
    let unassigned = all.entries.iter().find(|e| e.state.status == IssueStatus::Open).expect("an open issue");
    assert!(unassigned.due_is_default);
    let days = all.due_days.days_for(unassigned.issue.category);
    assert_eq!(unassigned.due_on, unassigned.raised_on + chrono::Duration::days(days.into()));

    // The office changes its days: refused by field when out of range, saved when sound.
    let mut bad = json!(all.due_days);
    bad["days"][0]["days"] = json!(0);
    let body = s.put_json(&o, "/api/v1/ledger/due-days", bad, StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&body), vec![pair("days[0].days", "out_of_range")]);
    let mut longer = all.due_days.clone();
    for d in &mut longer.days {
        d.days += 30;
    }
    s.put_json(&o, "/api/v1/ledger/due-days", json!(longer), StatusCode::OK).await;
    let after = ledger(&s, &o, "").await;
    let same = after.entries.iter().find(|e| e.id == unassigned.id).expect("still there");
    assert_eq!(same.due_on, unassigned.due_on + chrono::Duration::days(30));

    // By department, and as the 台账 workbook.
    let dept = all.entries.iter().find_map(|e| e.department_id).expect("a department");
    let of_dept = ledger(&s, &o, &format!("?department_id={dept}")).await.entries;
    assert!(!of_dept.is_empty() && of_dept.iter().all(|e| e.department_id == Some(dept)));
    let from = all.today - chrono::Duration::days(10);
    let resp = o.get(s.url(&format!("/api/v1/ledger.xlsx?from={from}&department_id={dept}"))).send().await.expect("xlsx");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = resp.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    s.get(&o, "/api/v1/ledger?status=unknown", StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn the_yearly_report_counts_each_leaders_contact_work_and_issues() {
    let s = server().await;
    let (o, _) = s.login("office").await;
    let report: rounds::ledger::ContactWorkReport = serde_json::from_value(s.get(&o, "/api/v1/ledger/contact-report", StatusCode::OK).await).expect("report");
    let row = report.rows.iter().find(|r| r.name == "赵建国").expect("the demo leader");
    assert_eq!(row.links, 4);
    let visits = report.kinds.iter().position(|k| k == "dorm_visit").expect("visits counted");
    assert!(row.records[visits] >= 1);
    assert!(row.issues_raised >= 1, "{row:?}");
    let resp = o.get(s.url("/api/v1/ledger/contact-report.xlsx")).send().await.expect("xlsx");
    assert_eq!(resp.status(), StatusCode::OK);
    let body = s.get(&o, "/api/v1/ledger/contact-report?date=1999-01-01", StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&body), vec![pair("date", "no_school_year")]);
}

#[tokio::test]
async fn the_raisers_semester_summary_counts_issues_by_the_offices_steps() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let summary: Value = s.get(&c, "/api/v1/duties/summary", StatusCode::OK).await;
    let issues = &summary["issues"];
    let raised = issues["raised"].as_u64().expect("raised");
    let parts: u64 = ["open", "assigned", "resolved", "fed_back", "closed"].iter().map(|k| issues[k].as_u64().unwrap_or(0)).sum();
    assert_eq!(raised, parts, "{issues}");
    assert!(issues["closed"].as_u64().unwrap_or(0) + issues["fed_back"].as_u64().unwrap_or(0) >= 1, "the office's steps count: {issues}");
}

#[tokio::test]
async fn the_roster_names_the_staff_so_a_thread_reads_offline() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let (_, office) = s.login("office").await;
    let roster = s.pull(&c, 0).await.roster.expect("roster");
    assert_eq!(roster.staff_name(office.id), Some(office.display_name.as_str()), "who feeds back is named on the phone");
    assert!(roster.staff.iter().all(|p| !p.display_name.is_empty()));
}

//! The home–school bridge (004 三(二)) over real HTTP: a recorded event starts a "contact the
//! parents" duty for the student's counselor, a contact meets it, and an event is the student's
//! staff's to record, not anyone's.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::duties::{DutyRow, DutyStatus};
use rounds::sync::PushStatus;
use rounds::*;

#[tokio::test]
async fn an_incident_asks_the_counselor_to_tell_the_parents_and_a_call_meets_it() {
    let s = server().await;
    let (c, counselor) = s.login("counselor").await;
    let roster = s.pull(&c, 0).await.roster.expect("roster");
    let student = roster.students[0].id;
    let owed = |rows: &[DutyRow]| {
        rows.iter().find(|r| r.duty.rule_id == "parent-incident" && r.duty.subject == record::Subject::Student(student)).map(|r| r.duty.status)
    };
    let mine = |c: &reqwest::Client| {
        let c = c.clone();
        let url = s.url("/api/v1/duties/mine");
        async move {
            let resp = c.get(url).send().await.expect("duties");
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<Vec<DutyRow>>().await.expect("rows")
        }
    };
    assert_eq!(owed(&mine(&c).await), None);

    let event = StudentEvent {
        student_id: student,
        occurred_at: now() - chrono::Duration::hours(60),
        event: StudentEventKind::Incident,
        description: "宿舍楼梯摔伤，右臂骨折".into(),
    };
    let env = RecordEnvelope::new(event.clone().into(), counselor.id, "test", now());
    assert_eq!(s.push(&c, vec![to_json(&env)]).await.results[0].status, PushStatus::Accepted);
    // A day to tell them (the office's number for «及时»), and more than a day has passed.
    assert_eq!(owed(&mine(&c).await), Some(DutyStatus::Overdue));

    let call = ParentContact {
        student_id: student,
        contacted_at: now() - chrono::Duration::hours(1),
        guardian: "父亲".into(),
        channel: ContactChannel::Phone,
        reason: ParentContactReason::Incident,
        content: "告知受伤和就医情况".into(),
        feedback: String::new(),
        follow_up: String::new(),
        letter_id: None,
    };
    let call = RecordEnvelope::new(call.into(), counselor.id, "test", now());
    assert_eq!(s.push(&c, vec![to_json(&call)]).await.results[0].status, PushStatus::Accepted);
    assert_eq!(owed(&mine(&c).await), Some(DutyStatus::Met), "a late call still meets it");

    // Another class's counselor may not record an event about this student.
    let (c2, other) = s.login("counselor2").await;
    let theirs = RecordEnvelope::new(event.into(), other.id, "test", now());
    assert_eq!(s.push(&c2, vec![to_json(&theirs)]).await.results[0].status, PushStatus::Forbidden);
}

#[tokio::test]
async fn the_demo_has_a_good_news_letter_still_to_send() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let resp = c.get(s.url("/api/v1/duties/mine")).send().await.expect("duties");
    let rows: Vec<DutyRow> = resp.json().await.expect("rows");
    let honour = rows.iter().find(|r| r.duty.rule_id == "parent-honour").expect("the prize's 喜报 is owed");
    assert_ne!(honour.duty.status, DutyStatus::Met);
    assert!(rows.iter().any(|r| r.duty.rule_id == "parent-incident" && r.duty.status == DutyStatus::Met));
    assert!(rows.iter().any(|r| r.duty.rule_id == "parent-academic" && r.duty.status != DutyStatus::Met));
}

#[tokio::test]
async fn a_vacation_plan_reaches_the_staff_it_names_and_no_one_else() {
    let s = server().await;
    let (o, office) = s.login("office").await;
    let (c, counselor) = s.login("counselor").await;
    let (c2, counselor2) = s.login("counselor2").await;
    // The demo's plan names the special archive's counselors; counselor2 is asked to visit a
    // student of another class too.
    let demo_plan = s.pull(&o, 0).await.records.into_iter().find(|r| r.record.body.kind() == "home_visit_plan").expect("the demo's plan").record;
    let RecordBody::HomeVisitPlan(mut plan) = demo_plan.body.clone() else { panic!("a plan") };
    let theirs = s.pull(&c, 0).await.roster.expect("roster").students[0].id;
    plan.visits.retain(|v| v.student_id != theirs);
    plan.visits.push(PlannedVisit { student_id: theirs, reason: VisitReason::Typical, staff: vec![counselor2.id] });
    let edit = demo_plan.edited(plan.clone().into(), false, "test", now());
    assert_eq!(s.push(&o, vec![to_json(&edit)]).await.results[0].status, PushStatus::Accepted);
    let has_plan = |records: &[rounds::sync::StoredRecord]| records.iter().any(|r| r.record.id == demo_plan.id);
    let before = s.pull(&c2, 0).await;
    assert!(has_plan(&before.records), "counselor2 is named: she receives it");

    // Taken off the plan, she no longer receives it; a counselor cannot write a plan; staff
    // who are no account are refused by field.
    let mut without = plan.clone();
    without.visits.retain(|v| !v.staff.contains(&counselor2.id));
    let second = edit.edited(without.into(), false, "test", now());
    assert_eq!(s.push(&o, vec![to_json(&second)]).await.results[0].status, PushStatus::Accepted);
    assert!(!has_plan(&s.pull(&c2, 0).await.records));
    // Her phone, pulling on from where it was, is told to start again, and that full pull no
    // longer brings the plan: the phone drops its copy.
    let url = s.url(&format!("/api/v1/sync/pull?since={}&scope={}", before.cursor, before.scope));
    let next: rounds::sync::PullResponse = c2.get(url).send().await.expect("pull").json().await.expect("json");
    assert!(next.reset, "taken off a plan, her scope changed");
    assert!(!has_plan(&next.records));
    let own = RecordEnvelope::new(plan.clone().into(), counselor.id, "test", now());
    assert_eq!(s.push(&c, vec![to_json(&own)]).await.results[0].status, PushStatus::Forbidden);
    let mut ghost = plan;
    ghost.visits[0].staff = vec![UserId(4242)];
    let ghost = RecordEnvelope::new(ghost.into(), office.id, "test", now());
    let r = s.push(&o, vec![to_json(&ghost)]).await.results.remove(0);
    assert_eq!(r.status, PushStatus::Invalid);
    assert_eq!(r.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), vec![("body.data.visits[0].staff[0]", "unknown_account")]);
}

#[tokio::test]
async fn a_semester_letter_reaches_each_class_its_delivery_names_it_and_only_the_office_sends_one() {
    let s = server().await;
    let (o, office) = s.login("office").await;
    let (c, counselor) = s.login("counselor").await;
    let (c2, _) = s.login("counselor2").await;
    let everyone = s.pull(&o, 0).await.roster.expect("roster");
    let mine = s.pull(&c, 0).await.roster.expect("roster");
    let (my_class, other_class) = (mine.classes[0].id, everyone.classes.iter().find(|k| !mine.classes.iter().any(|m| m.id == k.id)).expect("another class").id);
    let batch = uuid::Uuid::now_v7();
    let letter = |class_id| ParentLetter {
        letter: LetterKind::SemesterLetter,
        batch_id: batch,
        title: "2026—2027学年第一学期致家长的一封信".into(),
        sent_at: now() - chrono::Duration::hours(2),
        deliver_by: (now() + chrono::Duration::days(14)).date_naive(),
        class_id,
        student_id: None,
        content: "寒假安全、学业情况与返校时间".into(),
    };
    let ours = RecordEnvelope::new(letter(my_class).into(), office.id, "desk", now());
    let theirs = RecordEnvelope::new(letter(other_class).into(), office.id, "desk", now());
    // A 喜报 without a student is refused alone; the batch's other letters are kept.
    let bad = RecordEnvelope::new(ParentLetter { letter: LetterKind::GoodNews, ..letter(my_class) }.into(), office.id, "desk", now());
    let results = s.push(&o, vec![to_json(&ours), to_json(&bad), to_json(&theirs)]).await.results;
    assert_eq!(results.iter().map(|r| r.status).collect::<Vec<_>>(), vec![PushStatus::Accepted, PushStatus::Invalid, PushStatus::Accepted]);
    assert_eq!(results[1].errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), vec![("body.data.student_id", "required")]);

    // Each class's counselor receives their class's letter, not the other's.
    let letters_of = |records: Vec<rounds::sync::StoredRecord>| {
        records.into_iter().filter(|r| r.record.body.kind() == "parent_letter").map(|r| r.record.id).collect::<Vec<_>>()
    };
    let received = letters_of(s.pull(&c, 0).await.records);
    assert!(received.contains(&ours.id) && !received.contains(&theirs.id), "{received:?}");
    assert!(!letters_of(s.pull(&c2, 0).await.records).contains(&ours.id));

    // The counselor delivers it to a family and records the answer; they cannot send letters.
    let student = mine.students.iter().find(|st| st.class_id == my_class).expect("a student").id;
    let delivery = ParentContact {
        student_id: student,
        contacted_at: now() - chrono::Duration::hours(1),
        guardian: "母亲".into(),
        channel: ContactChannel::WeChat,
        reason: ParentContactReason::Letter,
        content: "转发致家长的一封信".into(),
        feedback: "家长希望寒假督促复习".into(),
        follow_up: String::new(),
        letter_id: Some(ours.id),
    };
    let delivered = RecordEnvelope::new(delivery.into(), counselor.id, "phone", now());
    assert_eq!(s.push(&c, vec![to_json(&delivered)]).await.results[0].status, PushStatus::Accepted);
    let own_letter = RecordEnvelope::new(letter(my_class).into(), counselor.id, "phone", now());
    assert_eq!(s.push(&c, vec![to_json(&own_letter)]).await.results[0].status, PushStatus::Forbidden);

    // The office reads the progress from what it pulls.
    let pulled: Vec<RecordEnvelope> = s.pull(&o, 0).await.records.into_iter().map(|r| r.record).collect();
    let RecordBody::ParentLetter(sent) = &ours.body else { panic!("a letter") };
    let progress = sent.deliveries(ours.id, &everyone, &pulled);
    let reached: Vec<_> = progress.iter().filter(|d| d.delivered_on.is_some()).collect();
    assert_eq!(reached.len(), 1);
    assert_eq!((reached[0].student_id, reached[0].delivered_by, reached[0].answered), (student, Some(counselor.id), true));
}

#[tokio::test]
async fn a_departments_office_owes_the_letters_of_its_own_classes_only() {
    let s = server().await;
    let (o, _) = s.login("office").await;
    // A second department with a class of its own, beside the demo's.
    let other = s.post_json(&o, "/api/v1/admin/departments", serde_json::json!({ "name": "外国语学院" }), StatusCode::CREATED).await;
    let class = serde_json::json!({ "department_id": other["id"], "name": "英语2025-1班", "cohort_year": 2025 });
    s.post_json(&o, "/api/v1/admin/classes", class, StatusCode::CREATED).await;
    let roster = s.pull(&o, 0).await.roster.expect("roster");
    let department = roster.departments.iter().find(|d| d.name != "外国语学院").expect("the demo's department").id;
    let theirs: Vec<ClassId> = roster.classes.iter().filter(|c| c.department_id == department).map(|c| c.id).collect();
    assert!(theirs.len() < roster.classes.len());

    let account: rounds::admin::Account = serde_json::from_value(
        s.post_json(
            &o,
            "/api/v1/admin/accounts",
            serde_json::json!({ "username": "dept.office", "display_name": "计算机学院学工办", "role": "office", "password": rounds_server::demo::DEMO_PASSWORD }),
            StatusCode::CREATED,
        )
        .await,
    )
    .expect("an account");
    let url = format!("/api/v1/admin/accounts/{}", account.id);
    // Only an office account is a department's office.
    let wrong = serde_json::json!({ "display_name": "计算机学院学工办", "role": "counselor", "active": true, "department_id": department });
    let body = s.put_json(&o, &url, wrong, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["fields"][0]["field"], "department_id");
    let right = serde_json::json!({ "display_name": "计算机学院学工办", "role": "office", "active": true, "department_id": department });
    let saved: rounds::admin::Account = serde_json::from_value(s.put_json(&o, &url, right, StatusCode::OK).await).expect("saved");
    assert_eq!(saved.department_id, Some(department));

    // In the semester's last weeks it owes each of its department's classes their letter, and
    // its phone or desk learns which department it is.
    let (d, _) = s.login("dept.office").await;
    assert_eq!(s.pull(&d, 0).await.roster.expect("roster").office_department, Some(department));
    let calendar = rounds::duties::calendar::demo_calendar();
    let today = rounds::school_time::now_in(&rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE)).date_naive();
    let Some(semester) = calendar.semester_on(today) else { return };
    let eve = semester.teaching_span().end - chrono::Duration::days(10);
    let rows: Vec<DutyRow> = serde_json::from_value(s.get(&d, &format!("/api/v1/duties/mine?date={eve}"), StatusCode::OK).await).expect("rows");
    let letters: Vec<record::Subject> = rows.iter().filter(|r| r.duty.rule_id == "semester-letter").map(|r| r.duty.subject).collect();
    assert_eq!(letters, theirs.iter().map(|c| record::Subject::Class(*c)).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_duty_schedule_reaches_the_staff_on_it_and_a_swap_takes_it_from_the_one_swapped_out() {
    // 000 七(一): the office schedules the nights on duty; 调班 is its edit of the schedule.
    let s = server().await;
    let (o, office) = s.login("office").await;
    let (c, counselor) = s.login("counselor").await;
    let (c2, counselor2) = s.login("counselor2").await;
    let night = |staff: Vec<UserId>| DutyRoster {
        title: "12月值班安排".into(),
        made_at: now(),
        shifts: vec![ScheduledShift { on: (now() + chrono::Duration::days(2)).date_naive(), shift: DutyShift::Night, staff }],
        notes: "22:30 集中查寝，异常情况报学工部值班电话".into(),
    };
    let first = RecordEnvelope::new(night(vec![counselor.id]).into(), office.id, "desk", now());
    assert_eq!(s.push(&o, vec![to_json(&first)]).await.results[0].status, PushStatus::Accepted);
    let has = |records: &[rounds::sync::StoredRecord]| records.iter().any(|r| r.record.id == first.id);
    assert!(has(&s.pull(&c, 0).await.records), "the counselor on the night receives it");
    assert!(!has(&s.pull(&c2, 0).await.records));
    // Swapped: the night is counselor2's now, and no longer the first counselor's.
    let swap = first.edited(night(vec![counselor2.id]).into(), false, "desk", now());
    assert_eq!(s.push(&o, vec![to_json(&swap)]).await.results[0].status, PushStatus::Accepted);
    assert!(has(&s.pull(&c2, 0).await.records) && !has(&s.pull(&c, 0).await.records));
    // Only the office schedules.
    let own = RecordEnvelope::new(night(vec![counselor.id]).into(), counselor.id, "phone", now());
    assert_eq!(s.push(&c, vec![to_json(&own)]).await.results[0].status, PushStatus::Forbidden);
}

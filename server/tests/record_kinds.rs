//! Every record kind through the one pipeline: valid, invalid and replayed pushes, and who may
//! read what (talks, parent contacts and home visits are confidential).

mod common;

use common::*;
use reqwest::Client;
use rounds::sync::PushStatus;
use rounds::*;
use serde_json::Value;

/// Who writes a sample: club and branch records the leader linked to them, an assistance case
/// the office, every other kind the counselor.
fn author_of(body: &RecordBody) -> &'static str {
    if matches!(body.subject(), Subject::Club(_) | Subject::Branch(_)) {
        "leader"
    } else if body.office_only() {
        "office"
    } else {
        "counselor"
    }
}

/// The counselor's roster with the demo leader's club and branch, for `one_of_each`.
async fn sample_roster(s: &TestServer, counselor: &Client, leader: &Client) -> RosterSnapshot {
    let mut roster = s.pull(counselor, 0).await.roster.expect("roster");
    let theirs = s.pull(leader, 0).await.roster.expect("leader roster");
    roster.clubs = theirs.clubs;
    roster.branches = theirs.branches;
    roster
}

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    now() - chrono::Duration::hours(2)
}

/// One valid record of every kind about the counselor's roster, each marked with `tag` in a
/// free-text field, and how to break it.
/// A sample record and how to break it.
type Sample = (RecordBody, fn(&mut Value));

/// An open issue the counselor raised, nobody assigned to it (a step on it reaches the counselor
/// and the office alone).
async fn open_issue_of(s: &TestServer, counselor: &Client) -> uuid::Uuid {
    let records: Vec<RecordEnvelope> = s.pull(counselor, 0).await.records.into_iter().map(|r| r.record).collect();
    let me: UserProfile = serde_json::from_value(s.get(counselor, "/api/v1/session", reqwest::StatusCode::OK).await["user"].clone()).expect("user");
    let states = rounds::ledger::states(&records);
    records
        .iter()
        .filter(|r| r.author_id == me.id && r.body.kind() == "student_issue")
        .find(|r| states.get(&r.id).is_some_and(|st| st.assignee_id.is_none() && st.status != IssueStatus::Closed))
        .map(|r| r.id)
        .expect("an open issue of the counselor's in the demo")
}

fn one_of_each(roster: &RosterSnapshot, tag: &str, issue: uuid::Uuid, counselor: UserId) -> Vec<Sample> {
    let room = &roster.rooms[0];
    let residents: Vec<StudentId> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
    let class = roster.classes[0].id;
    let members: Vec<StudentId> = roster.students.iter().filter(|s| s.class_id == class).map(|s| s.id).collect();
    let student = members[0];
    let mut dorm = DormCheck::blank(room.id, &residents, at());
    dorm.notes = tag.into();
    vec![
        (RecordBody::DormCheck(dorm), |v| v["body"]["data"]["residents"][0]["present"] = false.into()),
        (
            RecordBody::DormVisit(DormVisit {
                room_id: room.id,
                visited_at: at(),
                students_met: residents[..1].to_vec(),
                situation: tag.into(),
                problems_raised: String::new(),
            }),
            |v| v["body"]["data"]["students_met"] = Value::Array(vec![]),
        ),
        (
            RecordBody::ClassCheck(ClassCheck {
                class_id: class,
                checked_at: at(),
                course: "高等数学".into(),
                teacher: "张老师".into(),
                period: "1-2节".into(),
                expected: members.len() as u32,
                present: members.len() as u32 - 1,
                absent: vec![members[1]],
                late: vec![members[2]],
                left_early: vec![],
                notes: tag.into(),
            }),
            |v| v["body"]["data"]["present"] = 10_000.into(),
        ),
        (
            RecordBody::LectureVisit(LectureVisit {
                class_id: class,
                visited_at: at(),
                course: "数据结构".into(),
                teacher: "王老师".into(),
                notes: tag.into(),
            }),
            |v| v["body"]["data"]["course"] = "".into(),
        ),
        (
            RecordBody::Talk(Talk {
                student_id: student,
                talked_at: at(),
                place: "办公室".into(),
                reason: TalkReason::AcademicWarning,
                problems: tag.into(),
                assessment: "需持续关注".into(),
                parents_contacted: false,
                refer_to_counseling: false,
                co_interviewers: String::new(),
                study_plan: String::new(),
            }),
            |v| v["body"]["data"]["assessment"] = "".into(),
        ),
        (
            RecordBody::ParentContact(ParentContact {
                student_id: student,
                contacted_at: at(),
                guardian: "父亲".into(),
                channel: ContactChannel::WeChat,
                reason: ParentContactReason::GoodNews,
                content: tag.into(),
                feedback: String::new(),
                follow_up: String::new(),
                letter_id: None,
            }),
            |v| v["body"]["data"]["channel"] = "carrier_pigeon".into(),
        ),
        (
            RecordBody::HomeVisit(HomeVisit {
                student_id: student,
                visited_at: at(),
                address: "某省某市".into(),
                participants: "辅导员".into(),
                aid_policy: String::new(),
                news_exchanged: String::new(),
                student_situation: tag.into(),
                joint_plan: "每月通话".into(),
                family_situation: String::new(),
                aid_given: String::new(),
            }),
            |v| v["body"]["data"]["joint_plan"] = "".into(),
        ),
        (
            RecordBody::ClassMeeting(ClassMeeting {
                class_id: class,
                held_at: at(),
                topic: MeetingTopic::Safety,
                title: tag.into(),
                attended: members.len() as u32,
                absent: vec![],
                notes: String::new(),
            }),
            |v| v["body"]["data"]["attended"] = 10_000.into(),
        ),
        (
            RecordBody::CommitteeMeeting(CommitteeMeeting {
                class_id: class,
                held_at: at(),
                summary: tag.into(),
                plan: String::new(),
                opinions: String::new(),
            }),
            |v| v["body"]["data"]["summary"] = " ".into(),
        ),
        (RecordBody::DutyLog(DutyLog { started_at: at(), shift: DutyShift::Night, buildings: vec![], events: tag.into(), escalated: String::new() }), |v| {
            v["body"]["data"]["events"] = "".into()
        }),
        (
            RecordBody::TeacherContact(TeacherContact {
                class_id: class,
                contacted_at: at(),
                teacher: "李老师".into(),
                course: "英语".into(),
                learned: tag.into(),
            }),
            |v| v["body"]["data"]["teacher"] = "".into(),
        ),
        (
            RecordBody::StudentIssue(StudentIssue {
                class_id: Some(class),
                student_id: Some(student),
                room_id: None,
                raised_at: at(),
                category: IssueCategory::Dormitory,
                description: tag.into(),
                raised_from: None,
            }),
            |v| v["body"]["data"]["description"] = "".into(),
        ),
        (
            RecordBody::ClassAttendance(ClassAttendance {
                class_id: class,
                attended_at: at(),
                event: ClassEvent::Forum,
                title: tag.into(),
                notes: String::new(),
            }),
            |v| v["body"]["data"]["event"] = "picnic".into(),
        ),
        (
            RecordBody::BranchActivity(BranchActivity {
                branch_id: roster.branches[0].id,
                held_at: at(),
                activity: BranchActivityKind::Report,
                participants: 12,
                content: tag.into(),
                notes: String::new(),
            }),
            |v| v["body"]["data"]["participants"] = 0.into(),
        ),
        (
            RecordBody::ClubActivity(ClubActivity { club_id: roster.clubs[0].id, held_at: at(), activity: ClubActivityKind::Meeting, content: tag.into() }),
            |v| v["body"]["data"]["content"] = "".into(),
        ),
        (
            RecordBody::AssistanceCase(AssistanceCase {
                student_id: student,
                category: assistance::AssistanceCategory::Psychological,
                level: None,
                opened_at: at(),
                term: String::new(),
                basis: tag.into(),
                head_teacher: String::new(),
                counselor: String::new(),
                class_rank: String::new(),
                pairings: vec![],
                help_group: vec!["王芳".into(), "陈静".into(), "孙老师".into()],
                closure: None,
            }),
            |v| v["body"]["data"]["level"] = "two".into(),
        ),
        (
            RecordBody::VolunteerSession(VolunteerSession {
                student_id: student,
                held_at: at(),
                volunteer_id: None,
                volunteer_name: "李四".into(),
                minutes: 60,
                content: tag.into(),
            }),
            |v| v["body"]["data"]["minutes"] = 0.into(),
        ),
        (
            RecordBody::AssistanceNote(AssistanceNote { student_id: student, written_at: at(), part: NotePart::Plan, term: String::new(), text: tag.into() }),
            |v| v["body"]["data"]["part"] = "gossip".into(),
        ),
        (RecordBody::WorkReport(WorkReport { semester: "2026–2027 第一学期".into(), submitted_at: at(), text: tag.into() }), |v| {
            v["body"]["data"]["text"] = "".into()
        }),
        (
            RecordBody::IssueStep(IssueStep {
                issue_id: issue,
                taken_at: at(),
                action: IssueAction::Progress,
                unit: String::new(),
                assignee_id: None,
                due_on: None,
                text: tag.into(),
            }),
            |v| v["body"]["data"]["text"] = "".into(),
        ),
        (RecordBody::StudentEvent(StudentEvent { student_id: student, occurred_at: at(), event: StudentEventKind::Award, description: tag.into() }), |v| {
            v["body"]["data"]["description"] = "".into()
        }),
        (
            RecordBody::HomeVisitPlan(HomeVisitPlan {
                title: tag.into(),
                made_at: at(),
                starts_on: at().date_naive(),
                ends_on: at().date_naive() + chrono::Duration::days(30),
                visits: vec![PlannedVisit { student_id: student, reason: VisitReason::Hardship, staff: vec![counselor] }],
                notes: String::new(),
            }),
            |v| v["body"]["data"]["visits"] = Value::Array(vec![]),
        ),
        (
            RecordBody::StudentContact(StudentContact { met_at: at(), activity: ContactActivity::FaceToFace, place: "食堂".into(), content: tag.into() }),
            |v| v["body"]["data"]["content"] = "".into(),
        ),
        (
            RecordBody::ParentLetter(ParentLetter {
                letter: LetterKind::GoodNews,
                batch_id: uuid::Uuid::now_v7(),
                title: tag.into(),
                sent_at: at(),
                deliver_by: at().date_naive() + chrono::Duration::days(14),
                class_id: class,
                student_id: Some(student),
                content: String::new(),
            }),
            |v| v["body"]["data"]["student_id"] = Value::Null,
        ),
        (
            RecordBody::DutyRoster(DutyRoster {
                title: tag.into(),
                made_at: at(),
                shifts: vec![ScheduledShift { on: at().date_naive(), shift: DutyShift::Night, staff: vec![counselor] }],
                notes: String::new(),
            }),
            |v| v["body"]["data"]["shifts"] = Value::Array(vec![]),
        ),
    ]
}

fn tagged(records: &[rounds::sync::StoredRecord], tag: &str) -> Vec<&'static str> {
    let mut kinds: Vec<_> =
        records.iter().filter(|r| serde_json::to_string(&r.record.body).map(|s| s.contains(tag)).unwrap_or(false)).map(|r| r.record.body.kind()).collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn every_kind_is_accepted_refused_when_broken_and_idempotent() {
    let s = server().await;
    let (c, counselor) = s.login("counselor").await;
    let (l, leader) = s.login("leader").await;
    let (o, office) = s.login("office").await;
    let roster = sample_roster(&s, &c, &l).await;
    let samples = one_of_each(&roster, "every-kind", open_issue_of(&s, &c).await, counselor.id);
    assert_eq!(samples.len(), RecordBody::KINDS.len(), "a sample of every kind");

    for (client, user, who) in [(&c, &counselor, "counselor"), (&l, &leader, "leader"), (&o, &office, "office")] {
        let part: Vec<_> = samples.iter().filter(|(body, _)| author_of(body) == who).collect();
        let envelopes: Vec<RecordEnvelope> = part.iter().map(|(body, _)| RecordEnvelope::new(body.clone(), user.id, "test", now())).collect();
        let mut batch: Vec<Value> = envelopes.iter().map(to_json).collect();
        // And a broken copy of each, which must be refused alone.
        for (body, breaks) in &part {
            let mut v = to_json(&RecordEnvelope::new(body.clone(), user.id, "test", now()));
            breaks(&mut v);
            batch.push(v);
        }
        let answer = s.push(client, batch.clone()).await;
        let n = part.len();
        for (i, r) in answer.results.iter().enumerate() {
            let kind = part[i % n].0.kind();
            if i < n {
                assert_eq!(r.status, PushStatus::Accepted, "{kind}: {:?}", r.errors);
            } else {
                assert_eq!(r.status, PushStatus::Invalid, "broken {kind} was not refused");
                assert!(!r.errors.is_empty() && r.errors[0].field.starts_with("body."), "broken {kind}: {:?}", r.errors);
            }
        }

        // Replayed: nothing new.
        let seq = s.store.current_seq().await.unwrap();
        let again = s.push(client, batch[..n].to_vec()).await;
        assert!(again.results.iter().all(|r| r.status == PushStatus::Duplicate));
        assert_eq!(s.store.current_seq().await.unwrap(), seq);

        // Every kind comes back in its author's pull, exactly once (the office, last, sees all).
        let mut mine: Vec<_> = if who == "office" { RecordBody::KINDS.to_vec() } else { part.iter().map(|(body, _)| body.kind()).collect() };
        mine.sort();
        assert_eq!(tagged(&s.pull(client, 0).await.records, "every-kind"), mine);
    }
}

#[tokio::test]
async fn confidential_records_reach_only_assigned_staff_and_the_office() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (leader, lu) = s.login("leader").await;
    let (o, ou) = s.login("office").await;
    let roster = sample_roster(&s, &c1, &leader).await;
    for (client, user, who) in [(&c1, &u1, "counselor"), (&leader, &lu, "leader"), (&o, &ou, "office")] {
        let batch: Vec<Value> = one_of_each(&roster, "confidential", open_issue_of(&s, &c1).await, u1.id)
            .into_iter()
            .filter(|(b, _)| author_of(b) == who)
            .map(|(b, _)| to_json(&RecordEnvelope::new(b, user.id, "t", now())))
            .collect();
        assert!(s.push(client, batch).await.results.iter().all(|r| r.status == PushStatus::Accepted));
    }

    // Another counselor, of another class: nothing at all, not even the duty log.
    let (c2, _) = s.login("counselor2").await;
    assert_eq!(tagged(&s.pull(&c2, 0).await.records, "confidential"), Vec::<&str>::new());

    // The head teacher of the same class sees what is about the class and its students (but
    // not the counselor's own duty log).
    let (ht, _) = s.login("headteacher").await;
    let seen = tagged(&s.pull(&ht, 0).await.records, "confidential");
    assert!(seen.contains(&"talk") && seen.contains(&"home_visit") && seen.contains(&"parent_contact"), "{seen:?}");
    assert!(seen.contains(&"assistance_case") && seen.contains(&"volunteer_session") && seen.contains(&"assistance_note"), "{seen:?}");
    assert!(!seen.contains(&"duty_log"), "{seen:?}");

    // A leader not linked to this class or room sees only their own club and branch records.
    assert_eq!(tagged(&s.pull(&leader, 0).await.records, "confidential"), vec!["branch_activity", "club_activity"]);

    // The office sees every record.
    assert_eq!(tagged(&s.pull(&o, 0).await.records, "confidential").len(), RecordBody::KINDS.len());

    // And nobody can write about a student outside their scope.
    let roster2 = s.pull(&c2, 0).await.roster.expect("roster");
    let theirs = roster2.students[0].id;
    let talk = RecordBody::Talk(Talk {
        student_id: theirs,
        talked_at: at(),
        place: String::new(),
        reason: TalkReason::Routine,
        problems: "x".into(),
        assessment: "y".into(),
        parents_contacted: false,
        refer_to_counseling: false,
        co_interviewers: String::new(),
        study_plan: String::new(),
    });
    let r = s.push(&c1, vec![to_json(&RecordEnvelope::new(talk, u1.id, "t", now()))]).await;
    assert_eq!(r.results[0].status, PushStatus::Forbidden);
}

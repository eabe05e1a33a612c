//! Leaders and what they are linked to (002): the leader's pull, what they may write, what they
//! must never receive, and the office's API for clubs, branches and links.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::groups::GroupsOverview;
use rounds::sync::{PushStatus, StoredRecord};
use rounds::*;
use serde_json::{json, Value};

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    now() - chrono::Duration::hours(3)
}

async fn error_of(resp: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(resp.status(), status);
    let body: Value = resp.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

fn fields(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| (f["field"].as_str().unwrap_or("").to_string(), f["code"].as_str().unwrap_or("").to_string())).collect())
        .unwrap_or_default()
}

fn kinds_tagged(records: &[StoredRecord], tag: &str) -> Vec<&'static str> {
    let mut kinds: Vec<_> =
        records.iter().filter(|r| serde_json::to_string(&r.record.body).is_ok_and(|s| s.contains(tag))).map(|r| r.record.body.kind()).collect();
    kinds.sort();
    kinds
}

async fn overview(s: &TestServer, c: &Client) -> GroupsOverview {
    let resp = c.get(s.url("/api/v1/groups")).send().await.expect("groups");
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.expect("overview json")
}

/// What the demo leader is linked to: (class, room, club, branch).
fn links_of(roster: &RosterSnapshot) -> (ClassId, RoomId, ClubId, BranchId) {
    let mut class = None;
    let mut room = None;
    let mut club = None;
    let mut branch = None;
    for l in &roster.links {
        match l.target {
            LinkTarget::Class(c) => class = Some(c),
            LinkTarget::Room(r) => room = Some(r),
            LinkTarget::Club(c) => club = Some(c),
            LinkTarget::Branch(b) => branch = Some(b),
        }
    }
    (class.expect("a class"), room.expect("a room"), club.expect("a club"), branch.expect("a branch"))
}

#[tokio::test]
async fn the_leaders_pull_has_the_links_and_nothing_confidential() {
    let s = server().await;
    let (l, leader) = s.login("leader").await;
    let pull = s.pull(&l, 0).await;
    let roster = pull.roster.expect("roster");
    assert_eq!(roster.links.len(), 4);
    assert!(roster.links.iter().all(|l| l.user_id == leader.id));
    let (class, room, club, branch) = links_of(&roster);
    assert_eq!(roster.class(class).map(|c| c.name.as_str()), Some("计算机2023-2班"));
    assert_eq!(roster.room(room).map(|r| r.number.as_str()), Some("2-101"));
    assert_eq!(roster.clubs.iter().map(|c| (c.id, c.name.as_str())).collect::<Vec<_>>(), vec![(club, "计算机协会")]);
    assert_eq!(roster.branches.iter().map(|b| b.id).collect::<Vec<_>>(), vec![branch]);
    assert_eq!(roster.rooms.len(), 1, "only the linked room");
    // The room's residents by name, for the visit; no archive, no phone, and not the class list.
    let residents = roster.resident_ids(room);
    assert!(!residents.is_empty());
    assert!(roster.students.iter().all(|s| residents.contains(&s.id)));
    assert!(roster.students.iter().all(|s| s.archive.is_none() && s.phone.is_none()));
    // The demo leader has a history of every kind they keep, the issues his visits heard included.
    let kinds: std::collections::BTreeSet<_> = pull.records.iter().filter(|r| r.record.author_id == leader.id).map(|r| r.record.body.kind()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        vec!["branch_activity", "class_attendance", "club_activity", "dorm_visit", "student_contact", "student_issue"]
    );

    // The counselor of that class and room records confidential things about its students.
    let (c, counselor) = s.login("counselor").await;
    let croster = s.pull(&c, 0).await.roster.expect("counselor roster");
    let member = croster.students.iter().find(|s| s.class_id == class).expect("a member of the linked class").id;
    let resident = *residents.iter().next().expect("a resident");
    let tag = "not-for-leaders";
    let talk = |student| {
        RecordBody::Talk(Talk {
            student_id: student,
            talked_at: at(),
            place: "办公室".into(),
            reason: TalkReason::Psychological,
            problems: tag.into(),
            assessment: "需关注".into(),
            parents_contacted: false,
            refer_to_counseling: true,
            co_interviewers: String::new(),
            study_plan: String::new(),
        })
    };
    let room_residents: Vec<StudentId> = croster.residents(room).iter().map(|(_, s)| s.id).collect();
    let mut check = DormCheck::blank(room, &room_residents, at());
    check.notes = tag.into();
    let bodies = vec![
        talk(member),
        talk(resident),
        RecordBody::ParentContact(ParentContact {
            student_id: resident,
            contacted_at: at(),
            guardian: "母亲".into(),
            channel: ContactChannel::Phone,
            reason: ParentContactReason::Warning,
            content: tag.into(),
            feedback: String::new(),
            follow_up: String::new(),
            letter_id: None,
        }),
        RecordBody::HomeVisit(HomeVisit {
            student_id: member,
            visited_at: at(),
            address: "某地".into(),
            participants: "辅导员".into(),
            aid_policy: String::new(),
            news_exchanged: String::new(),
            student_situation: tag.into(),
            joint_plan: "每月通话".into(),
            family_situation: String::new(),
            aid_given: String::new(),
        }),
        // A student's issue (a leader reads the issues of his class and room, not a student's).
        RecordBody::StudentIssue(StudentIssue {
            class_id: Some(class),
            student_id: Some(member),
            room_id: None,
            raised_at: at(),
            category: IssueCategory::Study,
            description: tag.into(),
            raised_from: None,
        }),
        RecordBody::ClassMeeting(ClassMeeting {
            class_id: class,
            held_at: at(),
            topic: MeetingTopic::Rules,
            title: tag.into(),
            attended: 1,
            absent: vec![member],
            notes: String::new(),
        }),
        RecordBody::LectureVisit(LectureVisit { class_id: class, visited_at: at(), course: "英语".into(), teacher: "李老师".into(), notes: tag.into() }),
        RecordBody::DormCheck(check),
        RecordBody::DormVisit(DormVisit {
            room_id: room,
            visited_at: at(),
            students_met: vec![resident],
            situation: tag.into(),
            problems_raised: String::new(),
        }),
    ];
    let batch: Vec<Value> = bodies.into_iter().map(|b| to_json(&RecordEnvelope::new(b, counselor.id, "t", now()))).collect();
    let answer = s.push(&c, batch).await;
    assert!(answer.results.iter().all(|r| r.status == PushStatus::Accepted), "{:?}", answer.results);

    // The leader gets the room's check and visit, and nothing about the students as such.
    let later = s.pull(&l, pull.cursor).await;
    assert_eq!(kinds_tagged(&later.records, tag), vec!["dorm_check", "dorm_visit"]);
    assert!(later.roster.is_none(), "no roster change");

    // The counselor of the class sees what the leader recorded about its class and room (the
    // issues his visits raised too), but not the leader's club and branch.
    let seen: std::collections::BTreeSet<_> =
        s.pull(&c, 0).await.records.iter().filter(|r| r.record.author_id == leader.id).map(|r| r.record.body.kind()).collect();
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec!["class_attendance", "dorm_visit", "student_issue"]);
}

#[tokio::test]
async fn a_leader_writes_only_what_leaders_write_about_what_they_are_linked_to() {
    let s = server().await;
    let (l, leader) = s.login("leader").await;
    let roster = s.pull(&l, 0).await.roster.expect("roster");
    let (class, room, club, branch) = links_of(&roster);
    let (office, _) = s.login("office").await;
    let all = overview(&s, &office).await;
    let other_room = all.targets.iter().find_map(|t| match t.target {
        LinkTarget::Room(r) if r != room => Some(r),
        _ => None,
    });
    let other_class = all.targets.iter().find_map(|t| match t.target {
        LinkTarget::Class(c) if c != class => Some(c),
        _ => None,
    });
    let other_branch = all.branches.iter().map(|b| b.id).find(|b| *b != branch);
    let (Some(other_room), Some(other_class), Some(other_branch)) = (other_room, other_class, other_branch) else {
        panic!("the demo has more rooms, classes and branches")
    };
    let residents: Vec<StudentId> = roster.residents(room).iter().map(|(_, s)| s.id).collect();
    let visit = |room| {
        RecordBody::DormVisit(DormVisit {
            room_id: room,
            visited_at: at(),
            students_met: residents[..1].to_vec(),
            situation: "状态良好".into(),
            problems_raised: String::new(),
        })
    };
    let attend = |class| {
        RecordBody::ClassAttendance(ClassAttendance {
            class_id: class,
            attended_at: at(),
            event: ClassEvent::ClassMeeting,
            title: "主题班会".into(),
            notes: String::new(),
        })
    };
    let branch_activity = |branch| {
        RecordBody::BranchActivity(BranchActivity {
            branch_id: branch,
            held_at: at(),
            activity: BranchActivityKind::OrganisationalMeeting,
            participants: 15,
            content: "组织生活会".into(),
            notes: String::new(),
        })
    };
    let bodies = [
        (visit(room), PushStatus::Accepted),
        (visit(other_room), PushStatus::Forbidden),
        (RecordBody::DormCheck(DormCheck::blank(room, &residents, at())), PushStatus::Forbidden),
        (attend(class), PushStatus::Accepted),
        (attend(other_class), PushStatus::Forbidden),
        (branch_activity(branch), PushStatus::Accepted),
        (branch_activity(other_branch), PushStatus::Forbidden),
        (
            RecordBody::Talk(Talk {
                student_id: residents[0],
                talked_at: at(),
                place: String::new(),
                reason: TalkReason::Routine,
                problems: "x".into(),
                assessment: "y".into(),
                parents_contacted: false,
                refer_to_counseling: false,
                co_interviewers: String::new(),
                study_plan: String::new(),
            }),
            PushStatus::Forbidden,
        ),
    ];
    let batch: Vec<Value> = bodies.iter().map(|(b, _)| to_json(&RecordEnvelope::new(b.clone(), leader.id, "t", now()))).collect();
    let answer = s.push(&l, batch).await;
    for ((body, expected), got) in bodies.iter().zip(&answer.results) {
        assert_eq!(got.status, *expected, "{}: {:?}", body.kind(), got.errors);
        if *expected == PushStatus::Forbidden {
            assert_eq!(got.http_status, 403);
            assert_eq!(got.errors[0].code, "out_of_scope");
        }
    }

    // A club activity round-trips, edits included.
    let first = RecordEnvelope::new(
        RecordBody::ClubActivity(ClubActivity { club_id: club, held_at: at(), activity: ClubActivityKind::Plan, content: "策划社团招新".into() }),
        leader.id,
        "t",
        now(),
    );
    assert_eq!(s.push(&l, vec![to_json(&first)]).await.results[0].status, PushStatus::Accepted);
    let edited = first.edited(
        RecordBody::ClubActivity(ClubActivity {
            club_id: club, held_at: at(), activity: ClubActivityKind::Plan, content: "策划社团招新与迎新晚会".into()
        }),
        false,
        "t",
        now(),
    );
    assert_eq!(s.push(&l, vec![to_json(&edited)]).await.results[0].status, PushStatus::Accepted);
    let stored = s.pull(&l, 0).await.records.into_iter().find(|r| r.record.id == first.id).expect("stored");
    assert_eq!(stored.record, edited);

    // Another leader linked to the same club sees it; the counselor does not.
    let hash = rounds_server::auth::hash_password(rounds_server::demo::DEMO_PASSWORD).expect("hash");
    let second = s.store.create_user("leader2", "钱老师", Role::Leader, &hash).await.expect("user");
    let resp = office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": second, "target": { "type": "club", "id": club } })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let (l2, _) = s.login("leader2").await;
    let theirs = s.pull(&l2, 0).await;
    assert!(theirs.records.iter().any(|r| r.record.id == first.id));
    assert!(theirs.records.iter().all(|r| matches!(r.record.body.subject(), Subject::Club(_))), "only the club they share");
    let (c, _) = s.login("counselor").await;
    assert!(!s.pull(&c, 0).await.records.iter().any(|r| r.record.id == first.id));
}

#[tokio::test]
async fn the_office_manages_clubs_branches_and_links() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let before = overview(&s, &office).await;
    assert_eq!((before.clubs.len(), before.branches.len(), before.links.len()), (3, 3, 4));
    assert!(before.links.iter().all(|l| l.leader == "赵建国" && !l.target.is_empty()));
    let leader = before.leaders.iter().find(|u| u.username == "leader").expect("the leader may be linked").id;
    assert!(before.leaders.iter().all(|u| u.role == Role::Leader));

    // Add, refuse a duplicate and bad input, rename.
    let resp = office.post(s.url("/api/v1/groups/clubs")).json(&json!({ "name": " 摄影协会 " })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let club: Club = resp.json().await.unwrap();
    assert_eq!((club.name.as_str(), club.department_id), ("摄影协会", None));
    let resp = office.post(s.url("/api/v1/groups/clubs")).json(&json!({ "name": "摄影协会" })).send().await.unwrap();
    error_of(resp, StatusCode::CONFLICT, "duplicate").await;
    let resp = office.post(s.url("/api/v1/groups/clubs")).json(&json!({ "name": "  ", "department_id": 999 })).send().await.unwrap();
    let body = error_of(resp, StatusCode::BAD_REQUEST, "invalid").await;
    assert_eq!(fields(&body), vec![("name".into(), "required".into()), ("department_id".into(), "unknown_department".into())]);
    let resp = office.post(s.url("/api/v1/groups/branches")).json(&json!({})).send().await.unwrap();
    let body = error_of(resp, StatusCode::BAD_REQUEST, "invalid").await;
    assert_eq!(fields(&body), vec![("name".into(), "required".into())]);
    let dept = before.departments[0].id;
    let resp =
        office.put(s.url(&format!("/api/v1/groups/clubs/{}", club.id))).json(&json!({ "name": "摄影与影像协会", "department_id": dept })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let renamed: Club = resp.json().await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.department_id), ("摄影与影像协会", Some(dept)));
    let resp = office.put(s.url("/api/v1/groups/clubs/99999")).json(&json!({ "name": "x" })).send().await.unwrap();
    error_of(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = office.put(s.url("/api/v1/groups/clubs/abc")).json(&json!({ "name": "x" })).send().await.unwrap();
    error_of(resp, StatusCode::BAD_REQUEST, "bad_id").await;

    // Link the leader to the new club; the leader's next pull brings it.
    let (l, _) = s.login("leader").await;
    let cursor = s.pull(&l, 0).await.cursor;
    let resp =
        office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": leader, "target": { "type": "club", "id": club.id } })).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let link: LeaderLink = resp.json().await.unwrap();
    let resp =
        office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": leader, "target": { "type": "club", "id": club.id } })).send().await.unwrap();
    error_of(resp, StatusCode::CONFLICT, "duplicate").await;
    let after_link = s.pull(&l, cursor).await;
    let roster = after_link.roster.expect("the roster is re-sent after a new link");
    assert!(roster.club(club.id).is_some() && roster.links.contains(&link));

    // Who and what may be linked.
    let counselor = s.login("counselor").await.1.id;
    let resp =
        office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": counselor, "target": { "type": "club", "id": club.id } })).send().await.unwrap();
    assert_eq!(fields(&error_of(resp, StatusCode::BAD_REQUEST, "invalid").await), vec![("user_id".into(), "not_linkable".into())]);
    let resp = office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": 99999, "target": { "type": "room", "id": 99999 } })).send().await.unwrap();
    assert_eq!(
        fields(&error_of(resp, StatusCode::BAD_REQUEST, "invalid").await),
        vec![("user_id".into(), "unknown_user".into()), ("target".into(), "unknown_room".into())]
    );
    let resp = office.post(s.url("/api/v1/groups/links")).json(&json!({ "user_id": leader, "target": { "type": "planet", "id": 1 } })).send().await.unwrap();
    error_of(resp, StatusCode::BAD_REQUEST, "malformed_request").await;

    // A linked club cannot go; its link can, and the leader's roster follows.
    let resp = office.delete(s.url(&format!("/api/v1/groups/clubs/{}", club.id))).send().await.unwrap();
    error_of(resp, StatusCode::CONFLICT, "in_use").await;
    let resp = office.delete(s.url(&format!("/api/v1/groups/links/{}", link.id))).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<LeaderLink>().await.unwrap(), link);
    let resp = office.delete(s.url(&format!("/api/v1/groups/links/{}", link.id))).send().await.unwrap();
    error_of(resp, StatusCode::NOT_FOUND, "not_found").await;
    let roster = s.pull(&l, after_link.cursor).await.roster.expect("the roster is re-sent after a removal");
    assert!(roster.club(club.id).is_none() && !roster.links.contains(&link));
    let resp = office.delete(s.url(&format!("/api/v1/groups/clubs/{}", club.id))).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = office.delete(s.url(&format!("/api/v1/groups/clubs/{}", club.id))).send().await.unwrap();
    error_of(resp, StatusCode::NOT_FOUND, "not_found").await;

    // A branch with a history stays, even once nobody is linked to it.
    let (link_id, branch) = before
        .links
        .iter()
        .find_map(|v| match v.link.target {
            LinkTarget::Branch(b) => Some((v.link.id, b)),
            _ => None,
        })
        .expect("the demo leader's branch");
    let resp = office.delete(s.url(&format!("/api/v1/groups/links/{link_id}"))).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = office.delete(s.url(&format!("/api/v1/groups/branches/{branch}"))).send().await.unwrap();
    let body = error_of(resp, StatusCode::CONFLICT, "in_use").await;
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("record")), "{body}");
    assert_eq!(overview(&s, &office).await.links.len(), 3);
}

#[tokio::test]
async fn only_the_office_manages_groups() {
    let s = server().await;
    let anonymous = client();
    let resp = anonymous.get(s.url("/api/v1/groups")).send().await.unwrap();
    error_of(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for who in ["counselor", "leader", "headteacher"] {
        let (c, _) = s.login(who).await;
        let resp = c.get(s.url("/api/v1/groups")).send().await.unwrap();
        error_of(resp, StatusCode::FORBIDDEN, "forbidden").await;
        let resp = c.post(s.url("/api/v1/groups/clubs")).json(&json!({ "name": "私设社团" })).send().await.unwrap();
        error_of(resp, StatusCode::FORBIDDEN, "forbidden").await;
        let resp = c.delete(s.url("/api/v1/groups/links/1")).send().await.unwrap();
        error_of(resp, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // The admin manages them too.
    let (admin, _) = s.login("admin").await;
    assert_eq!(overview(&s, &admin).await.clubs.len(), 3);
}

#[tokio::test]
async fn the_leader_and_office_pages_render_on_the_server() {
    let s = server().await;
    let c = client();
    for (path, heading) in [("/links", "我的联系点"), ("/office/groups", "社团、党支部与联系点"), ("/", "今日待办"), ("/rooms", "我的寝室")]
    {
        let resp = c.get(s.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        // `<!>` are hydration markers, placed where the view tree needs them.
        let html = resp.text().await.unwrap().replace("<!>", "");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{path}: {html}");
    }
    // The forms render their frame before the local store is read.
    for path in ["/clubs/1/activity", "/branches/1/activity", "/classes/1/attendance"] {
        let resp = c.get(s.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert!(resp.text().await.unwrap().contains("加载中"), "{path}");
    }
}

#[tokio::test]
async fn the_office_marks_the_leadership_tier_and_its_member_owes_the_weekly_contact() {
    let s = server().await;
    let (o, _) = s.login("office").await;
    let (l, leader) = s.login("leader").await;
    let (_, counselor) = s.login("counselor").await;
    let owed = |rows: &Value| -> Vec<String> {
        rows.as_array().map(|a| a.iter().filter_map(|r| r["duty"]["rule_id"].as_str().map(String::from)).collect()).unwrap_or_default()
    };
    // The demo's leader is of the tier: his phone knows it, and he owes the tier's two rules.
    let first = s.pull(&l, 0).await;
    assert!(first.roster.as_ref().is_some_and(|r| r.leadership));
    let mine = owed(&s.get(&l, "/api/v1/duties/mine", StatusCode::OK).await);
    assert!(mine.contains(&"leadership-contact".to_string()) && mine.contains(&"leadership-lecture".to_string()), "{mine:?}");

    // The office takes him out of the tier: his next pull starts again and the rules are gone.
    let body = json!({ "display_name": leader.display_name, "role": "leader", "active": true, "leadership": false });
    s.put_json(&o, &format!("/api/v1/admin/accounts/{}", leader.id), body, StatusCode::OK).await;
    let url = s.url(&format!("/api/v1/sync/pull?since={}&scope={}", first.cursor, first.scope));
    let again: rounds::sync::PullResponse = l.get(url).send().await.expect("pull").json().await.expect("pull json");
    assert!(again.reset && again.roster.as_ref().is_some_and(|r| !r.leadership), "a changed tier is a changed scope");
    let mine = owed(&s.get(&l, "/api/v1/duties/mine", StatusCode::OK).await);
    assert!(!mine.iter().any(|r| r.starts_with("leadership-")), "{mine:?}");

    // Only a leader is of the tier.
    let body = json!({ "display_name": counselor.display_name, "role": "counselor", "active": true, "leadership": true });
    let refused = s.put_json(&o, &format!("/api/v1/admin/accounts/{}", counselor.id), body, StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&refused), vec![("leadership".to_string(), "not_a_leader".to_string())]);
}

//! The engine against the duty table, on a small school: one counselor with two classes and
//! their rooms, a head teacher, a leader; the 2026–2027 demo calendar.

use super::calendar::{demo_calendar, month_of, DateSpan};
use super::engine::{kind_index, Duty, DutyEngine, DutyStatus, Fact, Owner};
use super::rules::{default_rules, Rule, StudentFilter};
use crate::archive::StudentArchive;
use crate::groups::LinkTarget;
use crate::ids::*;
use crate::record::Subject;
use crate::roster::{Bed, Building, Class, Department, Gender, Role, Room, RosterSnapshot, Student};
use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use std::collections::BTreeSet;

const COUNSELOR: UserId = UserId(10);
const HEAD: UserId = UserId(11);
const LEADER: UserId = UserId(12);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn today() -> NaiveDate {
    day(2026, 11, 23)
}

/// Six students in two classes, two to a room in three rooms. Student 3 is warned (level 2,
/// decided on the 20th) and assisted at level 2; student 6 is disciplined long ago.
fn roster() -> RosterSnapshot {
    let student = |id: i64, class: i64, archive: StudentArchive| Student {
        id: StudentId(id),
        student_no: format!("2023{id:03}"),
        name: format!("学生{id}"),
        gender: Gender::Female,
        class_id: ClassId(class),
        phone: None,
        archive: Some(archive),
        initials: String::new(),
    };
    let plain = StudentArchive { confirmed_on: Some(day(2026, 9, 10)), ..Default::default() };
    let warned = StudentArchive {
        warning_level: Some(2),
        warning_on: Some(day(2026, 11, 20)),
        assistance_level: Some(2),
        assistance_on: Some(day(2026, 11, 20)),
        ..plain.clone()
    };
    let disciplined = StudentArchive { discipline_on: Some(day(2026, 3, 1)), ..plain.clone() };
    RosterSnapshot {
        departments: vec![Department { id: DepartmentId(1), name: "计算机学院".into() }],
        classes: vec![
            Class { id: ClassId(1), department_id: DepartmentId(1), name: "2023级1班".into(), cohort_year: 2023 },
            Class { id: ClassId(2), department_id: DepartmentId(1), name: "2023级2班".into(), cohort_year: 2023 },
        ],
        students: vec![
            student(1, 1, plain.clone()),
            // In the special archive (特困), confirmed this year.
            student(2, 1, StudentArchive { economy: Some(crate::archive::Economy::Hardship), ..plain.clone() }),
            student(3, 1, warned),
            student(4, 2, plain.clone()),
            // A special student (特殊) whose archive was never confirmed.
            student(5, 2, StudentArchive { tier: Some(crate::archive::ContactTier::Special), ..Default::default() }),
            student(6, 2, disciplined),
        ],
        buildings: vec![Building { id: BuildingId(1), name: "3号楼".into() }],
        rooms: (1..=3).map(|r| Room { id: RoomId(r), building_id: BuildingId(1), number: format!("3-21{r}") }).collect(),
        beds: (1..=6).map(|s| Bed { id: BedId(s), room_id: RoomId((s + 1) / 2), label: s.to_string(), student_id: Some(StudentId(s)) }).collect(),
        ..Default::default()
    }
}

fn counselor() -> Owner {
    Owner { user: COUNSELOR, role: Role::Counselor, classes: vec![ClassId(1), ClassId(2)], links: vec![], leadership: false }
}

fn fact(kind: &str, subject: Subject, on: NaiveDate) -> Fact {
    Fact { author: Some(COUNSELOR), kind: kind_index(kind).expect("a kind"), activity: None, subject, on, counterpart: None }
}

fn duties(rules: &[Rule], owner: &Owner, facts: &[Fact], on: NaiveDate) -> Vec<Duty> {
    let calendar = demo_calendar();
    let roster = roster();
    DutyEngine::new(rules, &calendar, &roster, facts.iter().copied()).duties_of(owner, on)
}

fn only(rule: &str) -> Vec<Rule> {
    default_rules().into_iter().filter(|r| r.id == rule).collect()
}

fn find(duties: &[Duty], subject: Subject) -> &Duty {
    duties.iter().find(|d| d.subject == subject).expect("a duty about the subject")
}

#[test]
fn a_room_checked_sixteen_days_ago_is_two_days_overdue() {
    let facts = [fact("dorm_check", Subject::Room(RoomId(1)), day(2026, 11, 7)), fact("dorm_check", Subject::Room(RoomId(2)), day(2026, 11, 20))];
    let d = duties(&only("dorm-check"), &counselor(), &facts, today());
    assert_eq!(d.len(), 3, "one duty per room of the counselor's students");
    let room1 = find(&d, Subject::Room(RoomId(1)));
    assert_eq!((room1.status, room1.due, room1.last_done), (DutyStatus::Overdue, day(2026, 11, 21), Some(day(2026, 11, 7))));
    assert_eq!(room1.days_overdue(today()), 2);
    assert_eq!(find(&d, Subject::Room(RoomId(2))).status, DutyStatus::Upcoming);
    // Never checked: counted from the semester's start, long overdue; it sorts first.
    let room3 = find(&d, Subject::Room(RoomId(3)));
    assert_eq!((room3.status, room3.due, room3.last_done), (DutyStatus::Overdue, day(2026, 9, 21), None));
    assert_eq!(d[0].subject, Subject::Room(RoomId(3)));
}

#[test]
fn a_holiday_moves_a_rolling_due_day() {
    // 14 days after 28 September is 12 October; the National Day week (1–7 October) adds 7.
    let facts = [fact("dorm_check", Subject::Room(RoomId(1)), day(2026, 9, 28))];
    let d = duties(&only("dorm-check"), &counselor(), &facts, day(2026, 10, 15));
    assert_eq!(find(&d, Subject::Room(RoomId(1))).due, day(2026, 10, 19));
}

#[test]
fn weekly_class_checks_count_monday_to_sunday_and_stop_after_teaching_weeks() {
    // 23 November 2026 is a Monday; last week's check does not count for this week.
    let facts = [fact("class_check", Subject::Class(ClassId(1)), day(2026, 11, 22)), fact("class_check", Subject::Class(ClassId(2)), day(2026, 11, 24))];
    let d = duties(&only("class-check"), &counselor(), &facts, day(2026, 11, 25));
    let class1 = find(&d, Subject::Class(ClassId(1)));
    assert_eq!(class1.window, DateSpan::new(day(2026, 11, 23), day(2026, 11, 29)));
    assert_eq!((class1.done, class1.status), (0, DutyStatus::Upcoming));
    assert_eq!(find(&d, Subject::Class(ClassId(2))).status, DutyStatus::Met);
    // Week 19 (from 11 January) is an exam week: no class checks are owed.
    assert!(duties(&only("class-check"), &counselor(), &facts, day(2027, 1, 12)).is_empty());
}

#[test]
fn a_semester_quota_is_paced_through_the_semester() {
    // The semester has 133 days; the 2nd of 4 meetings is due after half of them (11 November).
    let one = [fact("class_meeting", Subject::Class(ClassId(1)), day(2026, 9, 15))];
    let d = duties(&only("class-meeting"), &counselor(), &one, today());
    let c = find(&d, Subject::Class(ClassId(1)));
    assert_eq!((c.status, c.done, c.required, c.due), (DutyStatus::Overdue, 1, 4, day(2026, 11, 11)));
    let two = [one[0], fact("class_meeting", Subject::Class(ClassId(1)), day(2026, 10, 20))];
    let c2 = duties(&only("class-meeting"), &counselor(), &two, today());
    assert_eq!(find(&c2, Subject::Class(ClassId(1))).status, DutyStatus::Upcoming);
}

#[test]
fn months_end_at_the_school_midnight_not_utc() {
    let calendar = demo_calendar();
    let zone = crate::school_time::offset(crate::school_time::DEFAULT_OFFSET_SECONDS);
    // 16:30 UTC on 31 October is 00:30 on 1 November in Shanghai.
    let at = DateTime::parse_from_rfc3339("2026-10-31T16:30:00Z").expect("a time").with_timezone(&zone);
    assert_eq!(at.date_naive(), day(2026, 11, 1));
    let facts = [fact("lecture_visit", Subject::Class(ClassId(1)), at.date_naive())];
    let roster = roster();
    let rules = only("lecture-visit");
    let engine = DutyEngine::new(&rules, &calendar, &roster, facts);
    let november = engine.duties_of(&counselor(), today());
    assert_eq!((november[0].subject, november[0].status), (Subject::Own, DutyStatus::Met));
    assert_eq!(november[0].window, DateSpan::new(day(2026, 11, 1), day(2026, 11, 30)));
    let october = engine.duties_of(&counselor(), day(2026, 10, 31));
    assert_eq!(october[0].done, 0);
}

#[test]
fn talk_coverage_counts_talk_sessions_a_third_of_the_students() {
    // 000 一(一): «谈话人次不得少于所带班级学生总数的1/3». Six students: two talks, repeats
    // included, whoever they were with.
    let s1 = Subject::Student(StudentId(1));
    let facts = [fact("talk", s1, day(2026, 10, 9)), fact("talk", s1, day(2026, 11, 2))];
    let d = duties(&only("talk-coverage"), &counselor(), &facts, today());
    assert_eq!((d[0].done, d[0].required, d[0].status), (2, 2, DutyStatus::Met));
    let one = duties(&only("talk-coverage"), &counselor(), &facts[..1], today());
    assert_eq!((one[0].done, one[0].required), (1, 2));
    assert_eq!(one[0].pending, vec![StudentId(2), StudentId(3), StudentId(4), StudentId(5), StudentId(6)], "those not yet talked with");
}

#[test]
fn a_class_of_thirty_needs_exactly_ten_talk_sessions() {
    let mut roster = roster();
    let template = roster.students[0].clone();
    roster.students = (1..=30).map(|i| Student { id: StudentId(100 + i), student_no: format!("x{i}"), ..template.clone() }).collect();
    let calendar = demo_calendar();
    let rules = only("talk-coverage");
    let talks = |n: i64| -> Vec<Fact> { (0..n).map(|i| fact("talk", Subject::Student(StudentId(101 + i % 4)), day(2026, 10, 1 + i as u32))).collect() };
    let owed = |facts: Vec<Fact>| DutyEngine::new(&rules, &calendar, &roster, facts).duties_of(&counselor(), today()).remove(0);
    assert_eq!(owed(talks(9)).required, 10, "⌈30/3⌉, not 34% of 30 (11)");
    assert_ne!(owed(talks(9)).status, DutyStatus::Met);
    assert_eq!(owed(talks(10)).status, DutyStatus::Met, "ten talks with four students meet it");
}

#[test]
fn a_warning_must_reach_the_parents_within_seven_days() {
    let d = duties(&only("parent-warning"), &counselor(), &[], today());
    assert_eq!(d.len(), 1, "only the student warned this school year");
    assert_eq!((d[0].subject, d[0].status, d[0].due), (Subject::Student(StudentId(3)), DutyStatus::Upcoming, day(2026, 11, 27)));
    let late = duties(&only("parent-warning"), &counselor(), &[], day(2026, 11, 28));
    assert_eq!(late[0].status, DutyStatus::Overdue);
    // A late call still clears it.
    let called = [fact("parent_contact", Subject::Student(StudentId(3)), day(2026, 11, 28))];
    assert_eq!(duties(&only("parent-warning"), &counselor(), &called, day(2026, 11, 28))[0].status, DutyStatus::Met);
}

#[test]
fn each_recorded_event_starts_its_own_contact_duty_whoever_recorded_it() {
    let event = |kind: crate::kinds::student::StudentEventKind, student: i64, on: NaiveDate| Fact {
        // Recorded by the office, not the counselor: the counselor still owes the contact.
        author: Some(UserId(99)),
        activity: crate::kinds::student::StudentEventKind::ALL.iter().position(|k| *k == kind).map(|i| i as u8),
        ..fact("student_event", Subject::Student(StudentId(student)), on)
    };
    use crate::kinds::student::StudentEventKind as K;
    let rules: Vec<Rule> = default_rules().into_iter().filter(|r| r.id == "parent-incident" || r.id == "parent-honour").collect();
    let facts = [
        event(K::Incident, 1, day(2026, 11, 20)),
        event(K::Incident, 1, day(2026, 11, 22)),
        event(K::Honour, 4, day(2026, 11, 10)),
        // Last school year's: no duty now.
        event(K::Incident, 2, day(2026, 3, 2)),
        // An event of another kind starts neither rule.
        event(K::Award, 5, day(2026, 11, 20)),
    ];
    let d = duties(&rules, &counselor(), &facts, today());
    let owed: Vec<(&str, Subject, DutyStatus, NaiveDate)> = d.iter().map(|d| (d.rule_id.as_str(), d.subject, d.status, d.due)).collect();
    let s1 = Subject::Student(StudentId(1));
    let s4 = Subject::Student(StudentId(4));
    assert_eq!(
        owed,
        vec![
            ("parent-incident", s1, DutyStatus::Overdue, day(2026, 11, 21)),
            ("parent-incident", s1, DutyStatus::DueSoon, day(2026, 11, 23)),
            ("parent-honour", s4, DutyStatus::DueSoon, day(2026, 11, 24)),
        ]
    );
    // A call the day after the second incident meets both; the 喜报 must be a letter.
    let mut more = facts.to_vec();
    more.push(fact("parent_contact", s1, day(2026, 11, 23)));
    more.push(fact("parent_contact", s4, day(2026, 11, 12)));
    let d = duties(&rules, &counselor(), &more, today());
    assert!(d.iter().filter(|d| d.rule_id == "parent-incident").all(|d| d.status == DutyStatus::Met));
    assert_ne!(d.iter().find(|d| d.rule_id == "parent-honour").map(|d| d.status), Some(DutyStatus::Met), "a phone call is no 喜报");
    more.push(Fact { activity: Some(3), ..fact("parent_contact", s4, day(2026, 11, 12)) });
    let d = duties(&rules, &counselor(), &more, today());
    assert_eq!(d.iter().find(|d| d.rule_id == "parent-honour").map(|d| d.status), Some(DutyStatus::Met));
}

#[test]
fn a_level_two_decision_asks_for_a_plan_a_registered_letter_and_a_volunteer() {
    let level_two = ["assist-plan-counselor", "assist-1-phone", "assist-2-notice", "assist-2-volunteer", "assist-3-meeting"];
    let rules: Vec<Rule> = default_rules().into_iter().filter(|r| level_two.contains(&r.id.as_str())).collect();
    let s3 = Subject::Student(StudentId(3));
    let owed = |facts: &[Fact], on: NaiveDate| -> Vec<(String, DutyStatus, NaiveDate)> {
        duties(&rules, &counselor(), facts, on).into_iter().map(|d| (d.rule_id, d.status, d.due)).collect()
    };
    // Decided on the 20th: 14 days for the talk and the letter, 21 for the volunteer; the
    // phone call of level 1 and the meeting of level 3 are not this student's.
    assert_eq!(
        owed(&[], today()),
        vec![
            ("assist-2-notice".to_string(), DutyStatus::Upcoming, day(2026, 12, 4)),
            ("assist-plan-counselor".to_string(), DutyStatus::Upcoming, day(2026, 12, 4)),
            ("assist-2-volunteer".to_string(), DutyStatus::Upcoming, day(2026, 12, 11)),
        ]
    );
    // A talk without a plan and a phone call meet neither; the plan, the registered letter and
    // a volunteer's first session meet all three.
    let wrong = [fact("talk", s3, day(2026, 11, 21)), Fact { activity: Some(0), ..fact("parent_contact", s3, day(2026, 11, 21)) }];
    assert!(owed(&wrong, today()).iter().all(|(_, status, _)| *status != DutyStatus::Met));
    let right = [
        Fact { activity: Some(0), ..fact("talk", s3, day(2026, 11, 21)) },
        Fact { activity: Some(4), ..fact("parent_contact", s3, day(2026, 11, 22)) },
        fact("volunteer_session", s3, day(2026, 11, 23)),
    ];
    assert!(owed(&right, today()).iter().all(|(_, status, _)| *status == DutyStatus::Met), "{:?}", owed(&right, today()));
    assert!(owed(&[], day(2026, 12, 5))[..2].iter().all(|(_, status, _)| *status == DutyStatus::Overdue));
}

#[test]
fn a_ruling_on_enrolment_asks_for_the_parents_within_a_week_and_a_talk_each_quarter() {
    // 000 一(一), 二(五): 学籍处理 stands beside the warning and the sanction.
    let mut roster = roster();
    roster.students[3].archive = Some(StudentArchive { ruling_on: Some(day(2026, 11, 18)), ..Default::default() });
    let rules: Vec<Rule> =
        default_rules().into_iter().filter(|r| ["parent-ruling", "talk-warned", "parent-warned-semester"].contains(&r.id.as_str())).collect();
    let calendar = demo_calendar();
    let d = DutyEngine::new(&rules, &calendar, &roster, std::iter::empty()).duties_of(&counselor(), today());
    let s4 = Subject::Student(StudentId(4));
    let of = |id: &str| d.iter().find(|x| x.rule_id == id && x.subject == s4).map(|x| (x.status, x.due));
    assert_eq!(of("parent-ruling"), Some((DutyStatus::Upcoming, day(2026, 11, 25))), "due a week after the decision");
    assert_eq!(of("talk-warned").map(|(_, due)| due), Some(day(2026, 12, 31)), "a talk this quarter");
    assert!(of("parent-warned-semester").is_some());
    // Nobody else's ruling: the warned student has no ruling duty.
    assert!(d.iter().filter(|x| x.rule_id == "parent-ruling").all(|x| x.subject == s4));
}

#[test]
fn every_course_teacher_the_class_checks_name_needs_a_contact_each_semester() {
    // 000 三(四) «每学期至少与每一位任课教师联系一次»: class 1's checks name three teachers.
    let c1 = Subject::Class(ClassId(1));
    let with = |kind: &str, teacher: &str, on: NaiveDate| Fact { counterpart: crate::record::counterpart_key(teacher), ..fact(kind, c1, on) };
    let checks = vec![
        with("class_check", "张三", day(2026, 9, 10)),
        with("class_check", "李四", day(2026, 9, 11)),
        with("class_check", "王五", day(2026, 10, 8)),
        with("class_check", "张三", day(2026, 10, 15)),
    ];
    let owed = |facts: &[Fact]| duties(&only("teacher-contact"), &counselor(), facts, today());
    let d = owed(&checks);
    let class1 = find(&d, c1);
    assert_eq!((class1.done, class1.required), (0, 3), "three teachers, one contact each");
    // Two contacts with 张三 (one as 张三老师) still make one teacher; 李四 makes the second.
    let mut facts = checks.clone();
    facts.extend([
        with("teacher_contact", "张三老师", day(2026, 10, 1)),
        with("teacher_contact", "张 三", day(2026, 11, 2)),
        with("teacher_contact", "李四", day(2026, 11, 3)),
    ]);
    let class1 = owed(&facts).into_iter().find(|d| d.subject == c1).expect("owed");
    assert_eq!((class1.done, class1.required), (2, 3));
    assert_ne!(class1.status, DutyStatus::Met);
    facts.push(with("teacher_contact", "王五", day(2026, 11, 20)));
    assert_eq!(find(&owed(&facts), c1).status, DutyStatus::Met);
    // A class no check has named a teacher for yet: one contact, with anyone, meets it.
    let c2 = Subject::Class(ClassId(2));
    assert_eq!((find(&owed(&facts), c2).done, find(&owed(&facts), c2).required), (0, 1));
    let anyone = [Fact { subject: c2, ..with("teacher_contact", "赵六", day(2026, 11, 1)) }];
    assert_eq!(find(&owed(&anyone), c2).status, DutyStatus::Met);
}

#[test]
fn the_quarterly_talk_runs_by_calendar_quarters_not_semesters() {
    // Student 6 is sanctioned. A talk on 1 December clears October–December; the next is due by
    // the end of March, not at the next semester's start and not next June.
    let s6 = Subject::Student(StudentId(6));
    let talk = [fact("talk", s6, day(2026, 12, 1))];
    let q4 = duties(&only("talk-warned"), &counselor(), &talk, day(2026, 12, 20));
    assert_eq!(find(&q4, s6).status, DutyStatus::Met);
    let q1 = duties(&only("talk-warned"), &counselor(), &talk, day(2027, 1, 10));
    assert_eq!((find(&q1, s6).status, find(&q1, s6).due), (DutyStatus::Upcoming, day(2027, 3, 31)));
    let late = duties(&only("talk-warned"), &counselor(), &talk, day(2027, 4, 1));
    assert_eq!(find(&late, s6).window, DateSpan::new(day(2027, 4, 1), day(2027, 6, 30)), "a new quarter, a new talk");
}

#[test]
fn a_leaders_lecture_is_owed_apart_from_attending_the_class() {
    let leader = Owner { user: LEADER, role: Role::Leader, classes: vec![], links: vec![LinkTarget::Class(ClassId(1))], leadership: false };
    let c1 = Subject::Class(ClassId(1));
    let rules: Vec<Rule> = default_rules().into_iter().filter(|r| r.id == "leader-class" || r.id == "leader-lecture").collect();
    let status = |facts: &[Fact]| -> Vec<(String, DutyStatus)> {
        duties(&rules, &leader, facts, today()).into_iter().map(|d| (d.rule_id, d.status)).collect::<BTreeSet<_>>().into_iter().collect()
    };
    let forum = Fact { author: Some(LEADER), ..fact("class_attendance", c1, day(2026, 10, 9)) };
    let lecture = Fact { activity: Some(0), ..forum };
    let after_forum = status(&[forum]);
    assert!(after_forum.contains(&("leader-class".into(), DutyStatus::Met)));
    assert!(!after_forum.contains(&("leader-lecture".into(), DutyStatus::Met)), "a forum is no lecture: {after_forum:?}");
    assert!(status(&[forum, lecture]).iter().all(|(_, s)| *s == DutyStatus::Met));
}

#[test]
fn monthly_rules_are_owed_in_teaching_months_only() {
    let rules = only("lecture-visit");
    let owed = |on: NaiveDate| duties(&rules, &counselor(), &[], on);
    // November: the whole month.
    assert_eq!(owed(day(2026, 11, 23))[0].window, DateSpan::new(day(2026, 11, 1), day(2026, 11, 30)));
    // September from the semester's first day: 24 days, owed.
    assert_eq!(owed(day(2026, 9, 20))[0].window, DateSpan::new(day(2026, 9, 7), day(2026, 9, 30)));
    // Teaching ends on 10 January (18 weeks): January's stub and the exam weeks owe nothing.
    assert!(owed(day(2027, 1, 5)).is_empty());
    assert!(owed(day(2027, 1, 14)).is_empty());
    // The second semester starts on 22 February: February's week owes nothing, March does;
    // after teaching ends (27 June) July owes nothing.
    assert!(owed(day(2027, 2, 25)).is_empty());
    assert_eq!(owed(day(2027, 3, 2)).len(), 1);
    assert!(owed(day(2027, 7, 2)).is_empty());
}

#[test]
fn a_home_visit_is_a_parent_contact_but_not_a_phone_call() {
    let s1 = Subject::Student(StudentId(1));
    let visit = [fact("home_visit", s1, day(2026, 10, 3))];
    let yearly = duties(&only("parent-yearly"), &counselor(), &visit, today());
    assert_eq!(find(&yearly, s1).status, DutyStatus::Met, "004 三(二)1: 家访 is a way of contacting the parents");
    // Student 3's level-2 decision: the registered letter is not met by a home visit.
    let s3 = Subject::Student(StudentId(3));
    let visit = [fact("home_visit", s3, day(2026, 11, 21))];
    let notice = duties(&only("assist-2-notice"), &counselor(), &visit, today());
    assert_ne!(find(&notice, s3).status, DutyStatus::Met);
}

#[test]
fn rules_select_students_by_flag_and_family_economy() {
    use crate::archive::{AttentionFlag, Economy};
    let mut roster = roster();
    if let Some(a) = roster.students[0].archive.as_mut() {
        a.flags.push(AttentionFlag::SingleParent);
        a.economy = Some(Economy::Hardship);
    }
    let calendar = demo_calendar();
    let mut rule = default_rules().into_iter().find(|r| r.id == "parent-hardship").expect("offered");
    assert!(!rule.enabled, "off until the office sets its frequency");
    rule.enabled = true;
    let subjects = |rule: &Rule| -> Vec<Subject> {
        let rules = [rule.clone()];
        DutyEngine::new(&rules, &calendar, &roster, []).duties_of(&counselor(), today()).into_iter().map(|d| d.subject).collect()
    };
    assert_eq!(subjects(&rule), vec![Subject::Student(StudentId(1)), Subject::Student(StudentId(2))], "the two 特困 students");
    rule.students = StudentFilter::Flagged { flag: AttentionFlag::SingleParent };
    assert_eq!(subjects(&rule), vec![Subject::Student(StudentId(1))]);
    rule.students = StudentFilter::Flagged { flag: AttentionFlag::Orphan };
    assert!(subjects(&rule).is_empty());
    assert!(rule.validate().is_empty());
}

#[test]
fn per_student_rules_select_their_students() {
    let warned = duties(&only("talk-warned"), &counselor(), &[], today());
    let subjects: Vec<Subject> = warned.iter().map(|d| d.subject).collect();
    assert_eq!(subjects, vec![Subject::Student(StudentId(3)), Subject::Student(StudentId(6))]);
    let assisted = duties(&only("assist-talk-counselor-2"), &counselor(), &[], today());
    assert_eq!(assisted.len(), 1);
}

#[test]
fn the_leadership_tier_meets_students_weekly_and_gives_a_politics_lesson_each_semester() {
    let rules: Vec<Rule> = default_rules().into_iter().filter(|r| r.id.starts_with("leadership-")).collect();
    assert_eq!(rules.len(), 2);
    let member = Owner { user: LEADER, role: Role::Leader, classes: vec![], links: vec![], leadership: true };
    // A leader of no tier owes neither.
    assert!(duties(&rules, &Owner { leadership: false, ..member.clone() }, &[], today()).is_empty());
    let owed = |facts: &[Fact]| -> Vec<(String, DutyStatus)> { duties(&rules, &member, facts, today()).into_iter().map(|d| (d.rule_id, d.status)).collect() };
    let by_leader = |kind: &str, subject: Subject, on: NaiveDate, activity: Option<u8>| Fact { author: Some(LEADER), activity, ..fact(kind, subject, on) };
    // Monday 23 November: this week's contact is not yet made; a dorm visit today makes it.
    assert!(owed(&[]).iter().all(|(_, s)| *s != DutyStatus::Met));
    let visit = by_leader("dorm_visit", Subject::Room(RoomId(1)), today(), None);
    assert!(owed(&[visit]).contains(&("leadership-contact".to_string(), DutyStatus::Met)), "a visit is face to face");
    // The lesson is a contact of its own kind; a plain contact is no lesson.
    let contact = by_leader("student_contact", Subject::Own, day(2026, 10, 12), Some(0));
    assert!(!owed(&[contact]).contains(&("leadership-lecture".to_string(), DutyStatus::Met)));
    let lesson = by_leader("student_contact", Subject::Own, day(2026, 10, 12), Some(1));
    assert!(owed(&[lesson]).contains(&("leadership-lecture".to_string(), DutyStatus::Met)));
}

#[test]
fn new_students_parents_are_contacted_at_the_years_start_and_classes_mobilised_before_the_exams() {
    let calendar = demo_calendar();
    // Class 1 entered this school year (2026–2027): its students are 新生; class 2 did not.
    let mut roster = roster();
    roster.classes[0].cohort_year = 2026;
    let rules: Vec<Rule> = default_rules().into_iter().filter(|r| r.id == "freshman-parents" || r.id == "exam-mobilisation").collect();
    let owed = |facts: Vec<Fact>, on: NaiveDate| DutyEngine::new(&rules, &calendar, &roster, facts).duties_of(&counselor(), on);
    let freshmen: Vec<Subject> = owed(vec![], today()).into_iter().filter(|d| d.rule_id == "freshman-parents").map(|d| d.subject).collect();
    assert_eq!(freshmen, (1..=3).map(|s| Subject::Student(StudentId(s))).collect::<Vec<_>>(), "class 1's students only");
    let start = calendar.school_year_on(today()).map(|(_, span)| span.start).expect("a school year");
    let late = owed(vec![], today()).into_iter().find(|d| d.rule_id == "freshman-parents").expect("owed");
    assert_eq!((late.status, late.due), (DutyStatus::Overdue, start + chrono::Duration::days(30)));
    let called = owed(vec![fact("parent_contact", Subject::Student(StudentId(1)), start + chrono::Duration::days(3))], today());
    assert_eq!(called.iter().find(|d| d.subject == Subject::Student(StudentId(1))).map(|d| d.status), Some(DutyStatus::Met));

    // Before the exams: nothing in November; in the last two teaching weeks, a meeting per class.
    assert!(owed(vec![], today()).iter().all(|d| d.rule_id != "exam-mobilisation"));
    let teaching_end = calendar.semester_on(today()).map(|s| s.teaching_span().end).expect("a semester");
    let eve = teaching_end - chrono::Duration::days(5);
    let before: Vec<Duty> = owed(vec![], eve).into_iter().filter(|d| d.rule_id == "exam-mobilisation").collect();
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|d| d.due == teaching_end && d.status != DutyStatus::Met));
    let met = owed(vec![fact("class_meeting", Subject::Class(ClassId(1)), eve)], eve);
    assert_eq!(met.iter().find(|d| d.rule_id == "exam-mobilisation" && d.subject == Subject::Class(ClassId(1))).map(|d| d.status), Some(DutyStatus::Met));
}

#[test]
fn the_office_sends_each_class_its_semester_letter_whichever_office_account_sends_it() {
    let calendar = demo_calendar();
    let roster = roster();
    let rules = only("semester-letter");
    let office = |user: i64| Owner {
        user: UserId(user),
        role: Role::Office,
        classes: Owner::classes_of(Role::Office, vec![], None, &roster),
        links: vec![],
        leadership: false,
    };
    let teaching_end = calendar.semester_on(today()).map(|s| s.teaching_span().end).expect("a semester");
    let eve = teaching_end - chrono::Duration::days(10);
    assert!(DutyEngine::new(&rules, &calendar, &roster, vec![]).duties_of(&office(1), today()).is_empty(), "not owed in November");
    let owed = DutyEngine::new(&rules, &calendar, &roster, vec![]).duties_of(&office(1), eve);
    assert_eq!(owed.len(), 2, "one letter per class");
    // Sent by another office account: a letter of the office is the office's.
    let shanghai = chrono::FixedOffset::east_opt(8 * 3600).expect("an offset");
    let letter = crate::ParentLetter {
        letter: crate::LetterKind::SemesterLetter,
        batch_id: uuid::Uuid::nil(),
        title: "致家长的一封信".into(),
        sent_at: chrono::TimeZone::from_local_datetime(&shanghai, &eve.and_hms_opt(9, 0, 0).expect("a time")).single().expect("one time"),
        deliver_by: eve + chrono::Duration::days(7),
        class_id: ClassId(1),
        student_id: None,
        content: String::new(),
    };
    let env = crate::RecordEnvelope::new(crate::RecordBody::ParentLetter(letter), UserId(2), "desk", chrono::Utc::now().fixed_offset());
    let fact = Fact::of_record(&env, &shanghai).expect("a fact");
    assert_eq!(fact.author, None);
    let d = DutyEngine::new(&rules, &calendar, &roster, vec![fact]).duties_of(&office(1), eve);
    assert_eq!(find(&d, Subject::Class(ClassId(1))).status, DutyStatus::Met);
    assert_ne!(find(&d, Subject::Class(ClassId(2))).status, DutyStatus::Met);

    // Before each vacation the office makes its home-visit plan (004 三(四)1): one plan, by
    // any office account, meets it for every office account.
    let plan_rules = only("vacation-visit-plan");
    let owed_plan = DutyEngine::new(&plan_rules, &calendar, &roster, vec![]).duties_of(&office(1), eve);
    assert_eq!(owed_plan.iter().map(|d| (d.subject, d.due)).collect::<Vec<_>>(), vec![(Subject::Own, teaching_end)]);
    let plan = crate::HomeVisitPlan {
        title: "寒假家访方案".into(),
        made_at: env.body.occurred_at(),
        starts_on: teaching_end + chrono::Duration::days(20),
        ends_on: teaching_end + chrono::Duration::days(50),
        visits: vec![],
        notes: String::new(),
    };
    let planned = Fact::of_record(&crate::RecordEnvelope::new(plan.into(), UserId(2), "desk", chrono::Utc::now().fixed_offset()), &shanghai).expect("a fact");
    let met = DutyEngine::new(&plan_rules, &calendar, &roster, vec![planned]).duties_of(&office(1), eve);
    assert_eq!(met[0].status, DutyStatus::Met);

    // A department's office (院系学工办) owes its own department's classes only.
    let mut two = roster.clone();
    two.departments.push(Department { id: DepartmentId(2), name: "外国语学院".into() });
    two.classes[1].department_id = DepartmentId(2);
    let of_department = Owner { classes: Owner::classes_of(Role::Office, vec![], Some(DepartmentId(2)), &two), ..office(3) };
    let theirs = DutyEngine::new(&rules, &calendar, &two, vec![]).duties_of(&of_department, eve);
    assert_eq!(theirs.iter().map(|d| d.subject).collect::<Vec<_>>(), vec![Subject::Class(ClassId(2))]);
}

#[test]
fn graduating_classes_are_taught_to_leave_well_before_the_school_year_ends() {
    // 000 二(二): both test classes entered in 2023, so 2026–2027 is their fourth and last year.
    let calendar = demo_calendar();
    let mut roster = roster();
    roster.classes[1].cohort_year = 2024;
    let rules = only("graduation-education");
    let owed = |facts: Vec<Fact>, on: NaiveDate| DutyEngine::new(&rules, &calendar, &roster, facts).duties_of(&counselor(), on);
    assert!(owed(vec![], today()).is_empty(), "not in the autumn");
    let span = calendar.school_year_on(today()).map(|(_, span)| span).expect("a school year");
    let last_day = calendar.last_semester_in(span).map(|s| s.teaching_span().end).expect("a spring semester");
    let eve = last_day - chrono::Duration::days(20);
    let d = owed(vec![], eve);
    assert_eq!(d.iter().map(|d| d.subject).collect::<Vec<_>>(), vec![Subject::Class(ClassId(1))], "the graduating class only");
    assert_eq!(d[0].due, last_day);
    let meeting = |topic: u8| Fact { activity: Some(topic), ..fact("class_meeting", Subject::Class(ClassId(1)), eve - chrono::Duration::days(1)) };
    assert_ne!(owed(vec![meeting(3)], eve)[0].status, DutyStatus::Met, "a theme meeting is not the graduates' education");
    assert_eq!(owed(vec![meeting(5)], eve)[0].status, DutyStatus::Met);
    // Still owed in the summer, until the school year ends.
    assert_eq!(owed(vec![], last_day + chrono::Duration::days(30))[0].status, DutyStatus::Overdue);
}

#[test]
fn each_semester_has_its_start_and_each_vacation_its_window() {
    let calendar = demo_calendar();
    // 每学期初: a class meeting within the semester's first two weeks.
    let start = Rule { id: "term-start".into(), min_count: 1, period: crate::duties::Period::SemesterStart { days: 14 }, ..only("class-meeting")[0].clone() };
    assert!(start.validate().is_empty(), "{:?}", start.validate());
    let first_day = calendar.semester_on(today()).map(|s| s.start).expect("a semester");
    let c1 = Subject::Class(ClassId(1));
    let late = duties(std::slice::from_ref(&start), &counselor(), &[], today());
    assert_eq!((find(&late, c1).status, find(&late, c1).due), (DutyStatus::Overdue, first_day + chrono::Duration::days(14)));
    let held = [fact("class_meeting", c1, first_day + chrono::Duration::days(3))];
    assert_eq!(find(&duties(std::slice::from_ref(&start), &counselor(), &held, today()), c1).status, DutyStatus::Met);

    // 寒暑假: a home visit to each special-archive student in the vacation, owed only in it.
    let visits = Rule {
        id: "vacation-visits".into(),
        kind: "home_visit".into(),
        scope: crate::duties::RuleScope::Student,
        min_count: 1,
        period: crate::duties::Period::Vacation,
        students: StudentFilter::SpecialArchive,
        ..only("parent-yearly")[0].clone()
    };
    assert!(visits.validate().is_empty(), "{:?}", visits.validate());
    assert!(duties(std::slice::from_ref(&visits), &counselor(), &[], today()).is_empty(), "not in term time");
    let winter = day(2027, 2, 1);
    let break_span = calendar.vacation_on(winter).expect("the winter break");
    let owed = duties(std::slice::from_ref(&visits), &counselor(), &[], winter);
    assert_eq!(owed.iter().map(|d| d.subject).collect::<Vec<_>>(), vec![Subject::Student(StudentId(2)), Subject::Student(StudentId(5))]);
    assert!(owed.iter().all(|d| d.window == break_span && d.due == break_span.end));
    let visited = [fact("home_visit", Subject::Student(StudentId(2)), break_span.start + chrono::Duration::days(2))];
    assert_eq!(find(&duties(std::slice::from_ref(&visits), &counselor(), &visited, winter), Subject::Student(StudentId(2))).status, DutyStatus::Met);
}

#[test]
fn archive_reviews_come_from_the_archive() {
    // The special archive only (004 三(一)): the 特困 student 2 and the special student 5.
    let d = duties(&only("archive-review"), &counselor(), &[], today());
    assert_eq!(d.iter().map(|d| d.subject).collect::<Vec<_>>(), vec![Subject::Student(StudentId(5)), Subject::Student(StudentId(2))]);
    // Student 5's archive was never confirmed.
    assert_eq!(find(&d, Subject::Student(StudentId(2))).status, DutyStatus::Met);
    assert_ne!(find(&d, Subject::Student(StudentId(5))).status, DutyStatus::Met);
    // The office owes the same review for the whole school, with no class of its own.
    let office =
        Owner { user: UserId(1), role: Role::Office, classes: Owner::classes_of(Role::Office, vec![], None, &roster()), links: vec![], leadership: false };
    let d = duties(&only("archive-review-office"), &office, &[], today());
    assert_eq!(d.len(), 2);
    assert!(duties(&only("archive-review"), &office, &[], today()).is_empty(), "the department's part is the counselor's");
    // The general yearly update is offered, switched off.
    assert!(!default_rules().iter().any(|r| r.id == "archive-update" && r.enabled));
}

#[test]
fn special_students_parents_are_contacted_monthly_and_key_students_twice_a_semester() {
    let d = duties(&only("parent-special"), &counselor(), &[], today());
    assert_eq!(d.iter().map(|d| d.subject).collect::<Vec<_>>(), vec![Subject::Student(StudentId(5))]);
    let called = [fact("parent_contact", Subject::Student(StudentId(5)), day(2026, 11, 3))];
    assert_eq!(duties(&only("parent-special"), &counselor(), &called, today())[0].status, DutyStatus::Met);
    let key = default_rules().into_iter().find(|r| r.id == "parent-key").expect("a default");
    assert_eq!((key.min_count, key.period), (2, super::rules::Period::Semester));
}

#[test]
fn vacations_owe_only_yearly_and_deadline_duties() {
    let winter_break = day(2027, 2, 1);
    let d = duties(&default_rules(), &counselor(), &[], winter_break);
    assert!(!d.is_empty());
    // And the quarterly talk with warned and sanctioned students: a quarter does not stop for
    // the winter break.
    let yearly_or_deadline =
        ["parent-yearly", "archive-review", "parent-warning", "assist-plan-counselor", "assist-2-notice", "assist-2-volunteer", "talk-warned"];
    assert!(d.iter().all(|d| yearly_or_deadline.contains(&d.rule_id.as_str())), "{:?}", d.iter().map(|d| &d.rule_id).collect::<Vec<_>>());
    // The summer belongs to the school year just taught (004: home visits in the vacations):
    // the yearly duties are still owed (the graduating classes' education on leaving too),
    // and a contact in July meets the year's.
    let summer: BTreeSet<String> = duties(&default_rules(), &counselor(), &[], day(2027, 8, 1)).into_iter().map(|d| d.rule_id).collect();
    let expected: BTreeSet<String> = [
        "parent-warning",
        "assist-2-notice",
        "assist-plan-counselor",
        "assist-2-volunteer",
        "parent-yearly",
        "archive-review",
        "talk-warned",
        "graduation-education",
    ]
    .map(String::from)
    .into();
    assert_eq!(summer, expected);
    let july = [fact("parent_contact", Subject::Student(StudentId(1)), day(2027, 7, 20))];
    let yearly = duties(&only("parent-yearly"), &counselor(), &july, day(2027, 8, 1));
    assert_eq!(find(&yearly, Subject::Student(StudentId(1))).status, DutyStatus::Met);
}

#[test]
fn each_role_owes_its_own_rules() {
    let head = Owner { user: HEAD, role: Role::HeadTeacher, classes: vec![ClassId(1)], links: vec![], leadership: false };
    let d = duties(&default_rules(), &head, &[], today());
    let ids: Vec<(&str, Subject)> = d.iter().map(|d| (d.rule_id.as_str(), d.subject)).collect();
    let s3 = Subject::Student(StudentId(3));
    assert_eq!(
        ids,
        vec![("assist-talk-head-2", s3), ("assist-plan-head", s3), ("assist-evaluation", s3)],
        "only the level-2 assisted student of class 1: the cadence, the prompt talk with a plan, the semester's evaluation"
    );
}

#[test]
fn a_leader_owes_duties_about_their_links() {
    let leader = Owner {
        user: LEADER,
        role: Role::Leader,
        classes: vec![],
        links: vec![LinkTarget::Room(RoomId(2)), LinkTarget::Branch(BranchId(1))],
        leadership: false,
    };
    let visit = Fact { author: Some(LEADER), ..fact("dorm_visit", Subject::Room(RoomId(2)), day(2026, 11, 3)) };
    let lecture = Fact { author: Some(LEADER), activity: Some(0), ..fact("branch_activity", Subject::Branch(BranchId(1)), day(2026, 10, 10)) };
    let d = duties(&default_rules(), &leader, &[visit, lecture], today());
    let ids: Vec<(&str, DutyStatus)> = d.iter().map(|d| (d.rule_id.as_str(), d.status)).collect();
    assert!(ids.contains(&("leader-dorm", DutyStatus::Met)));
    assert!(ids.contains(&("leader-branch-lecture", DutyStatus::Met)));
    assert!(ids.contains(&("leader-branch-report", DutyStatus::Upcoming)));
    assert!(!ids.iter().any(|(id, _)| id.starts_with("leader-club") || *id == "leader-class"), "no club or class linked");
}

#[test]
fn someone_elses_records_and_disabled_rules_count_for_nothing() {
    let other = Fact { author: Some(UserId(99)), ..fact("dorm_check", Subject::Room(RoomId(1)), day(2026, 11, 20)) };
    let d = duties(&only("dorm-check"), &counselor(), &[other], today());
    assert_eq!(find(&d, Subject::Room(RoomId(1))).status, DutyStatus::Overdue);
    let mut off = only("dorm-check");
    off[0].enabled = false;
    assert!(duties(&off, &counselor(), &[], today()).is_empty());
}

fn rank(d: &Duty) -> (u8, NaiveDate) {
    (d.status as u8, d.due)
}

fn arb_fact() -> impl Strategy<Value = Fact> {
    let kinds = ["dorm_check", "class_check", "class_meeting", "talk", "parent_contact", "lecture_visit", "committee_meeting"];
    (0..kinds.len(), 1i64..=6, 0i64..200).prop_map(move |(k, id, offset)| {
        let kind = kinds[k];
        let subject = match kind {
            "dorm_check" => Subject::Room(RoomId((id + 1) / 2)),
            "talk" | "parent_contact" => Subject::Student(StudentId(id)),
            _ => Subject::Class(ClassId(1 + id % 2)),
        };
        fact(kind, subject, day(2026, 8, 20) + chrono::Duration::days(offset))
    })
}

fn arb_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..330).prop_map(|o| day(2026, 9, 1) + chrono::Duration::days(o))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn adding_a_record_never_makes_a_duty_more_overdue(facts in prop::collection::vec(arb_fact(), 0..40), extra in arb_fact(), on in arb_day()) {
        let rules = default_rules();
        let before = duties(&rules, &counselor(), &facts, on);
        let mut more = facts.clone();
        more.push(extra);
        let after = duties(&rules, &counselor(), &more, on);
        prop_assert_eq!(before.len(), after.len());
        for b in &before {
            let a = after.iter().find(|a| a.rule_id == b.rule_id && a.subject == b.subject).expect("the same duty");
            prop_assert!(a.status >= b.status || a.status == DutyStatus::Met, "{} {:?}: {:?} -> {:?}", b.rule_id, b.subject, b.status, a.status);
            prop_assert!(a.status == DutyStatus::Met || a.due >= b.due, "{} {:?}: due {} -> {}", b.rule_id, b.subject, b.due, a.due);
            prop_assert!(rank(a) >= rank(b) || a.status == DutyStatus::Met);
        }
    }

    #[test]
    fn results_do_not_depend_on_record_order(mut facts in prop::collection::vec(arb_fact(), 0..40), on in arb_day()) {
        let rules = default_rules();
        let forward = duties(&rules, &counselor(), &facts, on);
        facts.reverse();
        let backward = duties(&rules, &counselor(), &facts, on);
        facts.sort_by_key(|f| (f.subject, f.on));
        let sorted = duties(&rules, &counselor(), &facts, on);
        prop_assert_eq!(&forward, &backward);
        prop_assert_eq!(&forward, &sorted);
    }

    #[test]
    fn month_windows_are_exactly_the_calendar_month(on in (0i64..3000).prop_map(|o| day(2024, 1, 1) + chrono::Duration::days(o))) {
        use chrono::Datelike;
        let m = month_of(on);
        prop_assert!(m.contains(on));
        prop_assert_eq!(m.start.day(), 1);
        prop_assert_eq!(m.start.month(), on.month());
        prop_assert_eq!(m.end.month(), on.month());
        prop_assert!((m.end + chrono::Duration::days(1)).day() == 1);
    }

    #[test]
    fn records_count_in_a_semester_window_exactly_within_its_days(offset in -3i64..3) {
        // Semester-quota windows run from the first to the last day, both included.
        let calendar = demo_calendar();
        let first = &calendar.semesters[0];
        let on = first.end + chrono::Duration::days(offset);
        let facts = [fact("committee_meeting", Subject::Class(ClassId(1)), on), fact("committee_meeting", Subject::Class(ClassId(1)), first.start)];
        let d = duties(&only("committee-meeting"), &counselor(), &facts, first.end);
        let c = find(&d, Subject::Class(ClassId(1)));
        prop_assert_eq!(c.window, first.span());
        prop_assert_eq!(c.done, if offset <= 0 { 2 } else { 1 });
    }
}

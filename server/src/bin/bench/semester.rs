//! A semester of what one counselor records about their classes, made from the roster their
//! phone pulled, as the phone would make it: the load of the pull benchmark.

use chrono::{DateTime, Duration, FixedOffset};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use rounds::*;
use std::collections::BTreeMap;

const COURSES: &[(&str, &str)] =
    &[("高等数学", "张建华"), ("大学英语", "李婷"), ("数据结构", "王磊"), ("大学物理", "赵明"), ("线性代数", "周敏"), ("思想道德与法治", "吴刚")];

/// When things happen, counted back from today in the school's zone.
struct Clock {
    today: chrono::NaiveDate,
    zone: FixedOffset,
}

impl Clock {
    /// `days_ago` days before today at `hour`, a random minute; `None` for a time that has not come yet.
    fn at(&self, days_ago: i64, hour: u32, rng: &mut StdRng) -> Option<DateTime<FixedOffset>> {
        let local = (self.today - Duration::days(days_ago)).and_hms_opt(hour, rng.gen_range(0..60), 0)?;
        let t = local.and_local_timezone(self.zone).single()?;
        (days_ago > 0).then_some(t)
    }
}

/// Every record of `weeks` teaching weeks up to yesterday, oldest kind first (the order does
/// not matter to the server): dorm checks of every room every 5 to 10 days, three class checks
/// a week per class, talks with every student and more with the flagged ones, parent contacts,
/// meetings, lecture visits, teacher contacts, issues, home visits and a weekly duty shift.
pub fn records(roster: &RosterSnapshot, now: DateTime<FixedOffset>, weeks: i64, rng: &mut StdRng) -> Vec<RecordBody> {
    let clock = Clock { today: now.date_naive(), zone: *now.offset() };
    let days = weeks * 7;
    let mut out = Vec::new();
    dorm_checks(roster, &clock, days, rng, &mut out);
    for class in &roster.classes {
        let members: Vec<StudentId> = roster.students.iter().filter(|s| s.class_id == class.id).map(|s| s.id).collect();
        if members.len() >= 3 {
            class_records(class.id, &members, &clock, weeks, rng, &mut out);
        }
    }
    student_records(roster, &clock, days, rng, &mut out);
    for week in 0..weeks {
        let Some(t) = clock.at(week * 7 + rng.gen_range(1..7), 20, rng) else { continue };
        let events =
            if week % 5 == 0 { "23:10 3号楼一名学生晚归，已登记并联系其辅导员" } else { "巡查各楼栋门禁与消防通道，平安" };
        out.push(RecordBody::DutyLog(DutyLog {
            started_at: t,
            shift: DutyShift::Evening,
            buildings: roster.buildings.iter().map(|b| b.id).collect(),
            events: events.into(),
            escalated: String::new(),
        }));
    }
    out
}

fn dorm_checks(roster: &RosterSnapshot, clock: &Clock, days: i64, rng: &mut StdRng, out: &mut Vec<RecordBody>) {
    const HAZARDS: &[(HazardKind, &str, &str)] = &[
        (HazardKind::ProhibitedAppliance, "使用大功率电热水壶", "当场收缴，批评教育"),
        (HazardKind::Electrical, "床头私拉插线板", "已要求拆除，下次复查"),
        (HazardKind::FireSafety, "阳台堆放纸箱", "已清理"),
    ];
    for room in &roster.rooms {
        let residents: Vec<StudentId> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
        let mut days_ago = days - rng.gen_range(0..7);
        while days_ago > 0 {
            if let Some(t) = clock.at(days_ago, 21, rng) {
                let mut check = DormCheck::blank(room.id, &residents, t);
                check.hygiene = *HygieneRating::ALL.choose(rng).unwrap_or(&HygieneRating::Good);
                for r in check.residents.iter_mut() {
                    if !rng.gen_bool(0.05) {
                        continue;
                    }
                    r.present = false;
                    r.absence_reason = Some(if rng.gen_bool(0.7) { AbsenceReason::Leave } else { AbsenceReason::OutOvernight });
                    r.note = "电话联系本人，已核实".into();
                }
                if rng.gen_bool(0.1) {
                    let (kind, description, follow_up) = HAZARDS[rng.gen_range(0..HAZARDS.len())];
                    check.hazards.push(SafetyHazard { kind, description: description.into(), follow_up: follow_up.into() });
                }
                if check.hygiene == HygieneRating::Poor {
                    check.notes = "地面有垃圾，已提醒寝室长整改".into();
                }
                check.centralized = rng.gen_bool(0.25);
                out.push(RecordBody::DormCheck(check));
            }
            days_ago -= rng.gen_range(5..=10);
        }
    }
}

fn class_records(class: ClassId, members: &[StudentId], clock: &Clock, weeks: i64, rng: &mut StdRng, out: &mut Vec<RecordBody>) {
    for week in 0..weeks {
        for _ in 0..3 {
            let Some(t) = clock.at(week * 7 + rng.gen_range(1..6), 8 + 2 * rng.gen_range(0..4), rng) else { continue };
            let (course, teacher) = COURSES[rng.gen_range(0..COURSES.len())];
            let missing = rng.gen_range(0..3);
            let absent: Vec<StudentId> = members.choose_multiple(rng, missing).copied().collect();
            let late: Vec<StudentId> = members.iter().filter(|s| !absent.contains(s)).take(rng.gen_range(0..2)).copied().collect();
            let (expected, present) = (members.len() as u32, (members.len() - absent.len()) as u32);
            out.push(RecordBody::ClassCheck(ClassCheck {
                class_id: class,
                checked_at: t,
                course: course.into(),
                teacher: teacher.into(),
                period: "1-2节".into(),
                expected,
                present,
                absent,
                late,
                left_early: vec![],
                notes: String::new(),
            }));
        }
        // A class meeting every four weeks, a committee meeting every seven, an issue every three.
        if week % 4 == 1 {
            if let Some(t) = clock.at(week * 7 + 3, 19, rng) {
                let topic = *MeetingTopic::ALL.choose(rng).unwrap_or(&MeetingTopic::Theme);
                out.push(RecordBody::ClassMeeting(ClassMeeting {
                    class_id: class,
                    held_at: t,
                    topic,
                    title: "学风建设与期中复习动员".into(),
                    attended: members.len() as u32 - 1,
                    absent: vec![members[0]],
                    notes: "强调考勤纪律，布置复习互助小组".into(),
                }));
            }
        }
        if week % 7 == 2 {
            if let Some(t) = clock.at(week * 7 + 2, 12, rng) {
                out.push(RecordBody::CommitteeMeeting(CommitteeMeeting {
                    class_id: class,
                    held_at: t,
                    summary: "总结近期学风检查和宿舍卫生评比".into(),
                    plan: "筹备班级团日活动".into(),
                    opinions: "建议增加自习室开放时间".into(),
                }));
            }
        }
        if week % 3 == 0 {
            if let Some(t) = clock.at(week * 7 + 4, 14, rng) {
                let category = *IssueCategory::ALL.choose(rng).unwrap_or(&IssueCategory::Life);
                out.push(RecordBody::StudentIssue(StudentIssue {
                    class_id: Some(class),
                    student_id: members.choose(rng).copied(),
                    room_id: None,
                    raised_at: t,
                    category,
                    description: "反映宿舍热水供应时间太短".into(),
                    raised_from: None,
                }));
            }
        }
        if week % 5 == 3 {
            let (course, teacher) = COURSES[(week as usize) % COURSES.len()];
            if let Some(t) = clock.at(week * 7 + 2, 15, rng) {
                out.push(RecordBody::TeacherContact(TeacherContact {
                    class_id: class,
                    contacted_at: t,
                    teacher: teacher.into(),
                    course: course.into(),
                    learned: "作业提交率约九成，个别学生连续缺交".into(),
                }));
            }
            if let Some(t) = clock.at(week * 7 + 4, 10, rng) {
                out.push(RecordBody::LectureVisit(LectureVisit {
                    class_id: class,
                    visited_at: t,
                    course: course.into(),
                    teacher: teacher.into(),
                    notes: "到课率较高，后排有学生使用手机".into(),
                }));
            }
        }
    }
}

/// Talks with every student once, and every two to three weeks with the flagged; parents of
/// half the students once, of the flagged every month; a few home visits.
fn student_records(roster: &RosterSnapshot, clock: &Clock, days: i64, rng: &mut StdRng, out: &mut Vec<RecordBody>) {
    let flagged = |s: &Student| s.archive.as_ref().is_some_and(|a| !a.flags.is_empty());
    let mut home_visits: BTreeMap<ClassId, usize> = BTreeMap::new();
    for student in &roster.students {
        let mut talks = vec![(rng.gen_range(1..days), TalkReason::Routine)];
        let mut calls = Vec::new();
        if rng.gen_bool(0.5) {
            calls.push((rng.gen_range(1..days), ParentContactReason::Routine));
        }
        if flagged(student) {
            talks.extend((1..days).step_by(rng.gen_range(14..22)).map(|d| (d, TalkReason::AcademicWarning)));
            calls.extend((3..days).step_by(30).map(|d| (d, ParentContactReason::Warning)));
            let visits = home_visits.entry(student.class_id).or_default();
            if *visits == 0 {
                *visits += 1;
                if let Some(t) = clock.at(rng.gen_range(20..days), 10, rng) {
                    out.push(RecordBody::HomeVisit(HomeVisit {
                        student_id: student.id,
                        visited_at: t,
                        address: "甘肃省定西市某县某村".into(),
                        participants: "辅导员、班主任".into(),
                        aid_policy: "讲解国家助学金和勤工助学岗位".into(),
                        news_exchanged: String::new(),
                        student_situation: "学习吃力，性格内向".into(),
                        joint_plan: "家长每月与辅导员通话一次".into(),
                        family_situation: "农村，父亲务农".into(),
                        aid_given: String::new(),
                    }));
                }
            }
        }
        for (days_ago, reason) in talks {
            let Some(t) = clock.at(days_ago, 16, rng) else { continue };
            let warned = reason == TalkReason::AcademicWarning;
            let (problems, assessment) = if warned {
                ("两门课程不及格，自述沉迷手机游戏", "需督促学习；建议两周后复谈")
            } else {
                ("了解学习和生活适应情况", "状态正常")
            };
            out.push(RecordBody::Talk(Talk {
                student_id: student.id,
                talked_at: t,
                place: "学工办".into(),
                reason,
                problems: problems.into(),
                assessment: assessment.into(),
                parents_contacted: warned,
                refer_to_counseling: false,
                co_interviewers: String::new(),
                study_plan: String::new(),
            }));
        }
        for (days_ago, reason) in calls {
            let Some(t) = clock.at(days_ago, 18, rng) else { continue };
            let channel = *ContactChannel::ALL[..2].choose(rng).unwrap_or(&ContactChannel::Phone);
            out.push(RecordBody::ParentContact(ParentContact {
                student_id: student.id,
                contacted_at: t,
                guardian: "母亲".into(),
                channel,
                reason,
                content: "通报学生近期在校表现和学习情况".into(),
                feedback: "家长表示理解，会配合督促".into(),
                follow_up: String::new(),
                letter_id: None,
            }));
        }
    }
}

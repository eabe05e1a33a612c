//! A demo institution that looks lived in: one department, three classes of about thirty
//! students, two dorm buildings, one account per role, and a month of dorm checks.

mod assistance;
mod family;
mod ledger;

use crate::auth::hash_password;
use crate::db::{next_seq, seed, Store};
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rounds::duties::SchoolCalendar;
use rounds::record::ValidationContext;
use rounds::*;

pub const DEMO_PASSWORD: &str = "rounds-demo";

/// (username, display name, role, classes by index)
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &[usize])] = &[
    ("counselor", "王芳", Role::Counselor, &[0, 1]),
    ("counselor2", "李强", Role::Counselor, &[2]),
    ("headteacher", "陈静", Role::HeadTeacher, &[0]),
    ("leader", "赵建国", Role::Leader, &[]),
    ("office", "刘敏", Role::Office, &[]),
    ("admin", "系统管理员", Role::Admin, &[]),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许",
    "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
];
const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "洋", "勇", "军", "杰", "涛", "超", "明", "浩", "鹏", "宇", "航", "博", "晨", "子豪", "俊杰", "宇轩", "浩然", "志强", "文博", "天佑",
    "嘉豪", "一鸣", "思远", "建华", "明轩", "梓豪", "泽宇",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "婷", "雪", "琳", "欣", "颖", "倩", "佳怡", "诗涵", "梓涵", "欣怡", "雨桐", "思琪", "子萱", "语嫣", "晓雯", "梦瑶",
    "雅琪", "可馨", "若曦", "静怡", "慧敏", "嘉欣", "心怡", "悦",
];

const CLASSES: &[(&str, i32, usize)] = &[("计算机2023-1班", 2023, 31), ("计算机2023-2班", 2023, 29), ("软件工程2024-1班", 2024, 30)];

pub struct DemoSummary {
    pub students: usize,
    pub rooms: usize,
    pub dorm_checks: usize,
    /// Records of the other kinds: class checks, talks, parent contacts, meetings…
    pub other_records: usize,
}

const PROVINCES: &[&str] = &["四川省成都市", "河南省周口市", "甘肃省定西市", "江苏省南京市", "广东省湛江市", "湖南省衡阳市", "浙江省温州市"];

/// The demo's school day and its term: the history reaches back to the start of the semester
/// of the demo calendar (or four weeks, on a day the calendar does not cover).
struct Term {
    today: NaiveDate,
    start: NaiveDate,
    calendar: SchoolCalendar,
}

impl Term {
    fn now(zone: &chrono_tz::Tz) -> Term {
        let today = rounds::school_time::now_in(zone).date_naive();
        let calendar = rounds::duties::calendar::demo_calendar();
        let start = calendar.semester_on(today).map_or(today - Duration::days(28), |s| s.start);
        Term { today, start, calendar }
    }

    /// Days from the term's start to today.
    fn days(&self) -> i64 {
        (self.today - self.start).num_days()
    }

    /// No rounds in a holiday: the students are away.
    fn is_holiday(&self, d: NaiveDate) -> bool {
        self.calendar.semester_on(d).is_some_and(|s| s.is_holiday(d))
    }
}

/// A plausible archive: guardian, address, family situation, and a few students needing attention.
fn demo_archive(rng: &mut StdRng, surname: &str, class: usize, n: usize, term: &Term) -> StudentArchive {
    let rural = rng.gen_bool(0.45);
    let hardship = rural && rng.gen_bool(0.3);
    let mut flags = Vec::new();
    if hardship {
        flags.push(AttentionFlag::EconomicHardship);
    }
    if n.is_multiple_of(11) {
        flags.push(AttentionFlag::AcademicWarning);
    }
    if n.is_multiple_of(17) {
        flags.push(AttentionFlag::Psychological);
    }
    let single = rng.gen_bool(0.08);
    if single {
        flags.push(AttentionFlag::SingleParent);
    }
    // 004 第四条 1's tiers, without touching the random stream the rest of the demo follows: a
    // student under psychological care, or single-parent in hardship, is special; a warned one key.
    let tier = if flags.contains(&AttentionFlag::Psychological) || (hardship && single) {
        Some(ContactTier::Special)
    } else if flags.contains(&AttentionFlag::AcademicWarning) {
        Some(ContactTier::Key)
    } else {
        None
    };
    // Eighteen to twenty-one, by class; the day from the place in it.
    let birth_date = NaiveDate::from_ymd_opt(term.today.year() - 19 - class as i32, 1 + (n as u32 * 7) % 12, 1 + (n as u32 * 11) % 28);
    // Confirmed with the student in the first weeks of the school year.
    let confirmed = (term.start + Duration::days(rng.gen_range(0..20))).min(term.today - Duration::days(1));
    let mut archive = StudentArchive {
        guardian_name: format!(
            "{surname}{}（{}）",
            ["建国", "志强", "秀英", "丽华", "卫东"][rng.gen_range(0..5)],
            if rng.gen_bool(0.5) { "父亲" } else { "母亲" }
        ),
        guardian_phone: format!("1{}{:09}", [3, 5, 8][rng.gen_range(0..3)], rng.gen_range(0..1_000_000_000u64)),
        home_address: format!("{}{}", PROVINCES[rng.gen_range(0..PROVINCES.len())], if rural { "某县某村" } else { "某区某街道" }),
        origin: Some(if rural { Origin::Rural } else { Origin::Urban }),
        economy: Some(if hardship { Economy::Difficult } else { Economy::Normal }),
        family_notes: if single { "单亲家庭".into() } else { String::new() },
        medical_notes: String::new(),
        flags,
        // One in ten has not been confirmed this school year yet.
        confirmed_on: if n.is_multiple_of(10) { None } else { Some(confirmed) },
        tier,
        birth_date,
        ..Default::default()
    };
    standing(&mut archive, class, n, term.today);
    archive
}

/// Who is warned (学业预警), ruled on (学籍处理), disciplined or assisted (帮扶), by class and place in it (the
/// levels of this semester's identification come from `assistance::assistance_term`). Most were
/// decided weeks ago and their parents told; in the first class a warning decided six days ago
/// still waits for the call, and in the second a sanction decided ten days ago was never told.
fn standing(a: &mut StudentArchive, class: usize, n: usize, today: NaiveDate) {
    let ago = |days: i64| Some(today - Duration::days(days));
    match (class, n) {
        (_, 11) => (a.warning_level, a.warning_on) = (Some(1), ago(60)),
        (0, 22) => (a.warning_level, a.warning_on, a.assistance_level) = (Some(2), ago(6), Some(2)),
        (1, 22) => (a.warning_level, a.warning_on, a.assistance_level) = (Some(2), ago(40), Some(2)),
        (2, 22) => (a.warning_level, a.warning_on, a.assistance_level) = (Some(3), ago(30), Some(3)),
        // Sanctioned last school year: still under it, but the parents were told back then.
        (0, 8) => a.discipline_on = ago(250),
        (1, 14) => a.discipline_on = ago(10),
        // 学籍处理: held back a year (留级) at the semester's start; parents told, talks since.
        (0, 17) => a.ruling_on = ago(60),
        _ => {}
    }
    if a.discipline_on.is_some() {
        a.flags.push(AttentionFlag::Discipline);
    }
}

/// Loads the demo institution into an empty database.
pub async fn load(store: &Store) -> anyhow::Result<DemoSummary> {
    if store.user_count().await? > 0 {
        anyhow::bail!("the database already has accounts; the demo goes into an empty one");
    }
    let mut rng = StdRng::seed_from_u64(20_260_901);
    let term = Term::now(&rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE));
    let mut w = store.write().await?;
    let seq = next_seq(&mut w.tx).await?;
    seed::set_institution(&mut w.tx, "示例理工大学", rounds::school_time::DEFAULT_TIME_ZONE).await?;
    let dept = seed::add_department(&mut w.tx, "计算机与信息工程学院", seq).await?;
    let mut buildings = Vec::new();
    for name in ["1号楼", "2号楼"] {
        buildings.push(seed::add_building(&mut w.tx, name, seq).await?);
    }

    let mut class_ids = Vec::new();
    let mut student_count = 0;
    let mut room_count = 0;
    for (ci, &(class_name, cohort, size)) in CLASSES.iter().enumerate() {
        let class_id = seed::add_class(&mut w.tx, dept, class_name, cohort, seq).await?;
        class_ids.push(class_id);

        let mut males = Vec::new();
        let mut females = Vec::new();
        for n in 1..=size {
            let female = rng.gen_bool(0.42);
            let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("王");
            let given = if female { GIVEN_FEMALE } else { GIVEN_MALE }.choose(&mut rng).copied().unwrap_or("明");
            let student_no = format!("{cohort}01{:02}{n:02}", ci + 1);
            let phone = format!("1{}{:09}", [3, 5, 7, 8, 9][rng.gen_range(0..5)], rng.gen_range(0..1_000_000_000u64));
            let archive = demo_archive(&mut rng, surname, ci, n, &term);
            let gender = if female { "female" } else { "male" };
            let id = seed::add_student(&mut w.tx, &student_no, &format!("{surname}{given}"), gender, class_id, &phone, &serde_json::to_string(&archive)?, seq)
                .await?;
            if female {
                females.push(id)
            } else {
                males.push(id)
            }
            student_count += 1;
        }

        // Men in building 1, women in building 2; each class on its own floor.
        for (bi, residents) in [(0usize, males), (1usize, females)] {
            let mut remaining = residents.as_slice();
            let mut room_no = 1;
            while !remaining.is_empty() {
                let beds = rng.gen_range(4..=6usize);
                let number = format!("{}-{}{:02}", bi + 1, ci + 1, room_no);
                let room_id = seed::add_room(&mut w.tx, buildings[bi], &number, seq).await?;
                room_count += 1;
                let take = beds.min(remaining.len());
                for b in 0..beds {
                    let student = remaining.get(b).copied().filter(|_| b < take);
                    seed::add_bed(&mut w.tx, room_id, &(b + 1).to_string(), student, seq).await?;
                }
                remaining = &remaining[take..];
                room_no += 1;
            }
        }
    }
    w.commit().await?;

    let hash = hash_password(DEMO_PASSWORD)?;
    let mut authors = Vec::new();
    for &(username, name, role, classes) in DEMO_ACCOUNTS {
        let id = store.create_user(username, name, role, &hash).await?;
        for &ci in classes {
            store.assign_class(id, ClassId(class_ids[ci])).await?;
        }
        if role == Role::Counselor {
            authors.push(UserProfile { id, username: username.into(), display_name: name.into(), role });
        }
    }

    // The school's calendar, saved by the office as any later edit would be.
    let office = store.user_by_name("office").await?.map(|r| r.profile.id);
    let base = store.calendar().await?.version;
    store.save_calendar(base, &term.calendar, office).await.map_err(|e| anyhow::anyhow!("cannot save the demo calendar: {e}"))?;

    let dorm_checks = past_dorm_checks(store, &authors, &mut rng, &term).await?;
    let mut staff = authors.clone();
    if let Some(row) = store.user_by_name("headteacher").await? {
        staff.push(row.profile);
    }
    let other_records = past_records(store, &staff, &mut rng, &term).await?
        + leader_links_and_history(store, &mut rng).await?
        + assistance::assistance_term(store, &mut rng, &term).await?
        + ledger::issue_ledger(store).await?
        + family::family_matters(store).await?
        + family::vacation_plan(store).await?
        + family::letters(store).await?
        + family::duty_schedule(store).await?
        + work_report(store, &term).await?;
    Ok(DemoSummary { students: student_count, rooms: room_count, dorm_checks, other_records })
}

/// 000 八(二): one counselor has already submitted this semester's work report (a mid-term one);
/// the other's is still a draft on their phone.
async fn work_report(store: &Store, term: &Term) -> anyhow::Result<usize> {
    let Some(semester) = term.calendar.semester_on(term.today) else { return Ok(0) };
    let Some(author) = store.user_by_name("counselor2").await?.map(|r| r.profile) else { return Ok(0) };
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let body = RecordBody::WorkReport(WorkReport {
        semester: semester.name.clone(),
        submitted_at: now - Duration::days(3),
        text: "期中小结：本学期按时完成查寝、查课；与软件工程2024-1班三分之一以上学生谈话；一名二级帮扶学生的书面预警通知书尚未寄出，下周完成。".into(),
    });
    let env = RecordEnvelope::new(body, author.id, "demo", now);
    Ok(store.apply_records(author.id, &[env]).await?.len())
}

/// The term's evening dorm checks by each counselor, through the same validation as any record.
/// One room in five was last seen 15 to 20 days ago (overdue), as in real life.
async fn past_dorm_checks(store: &Store, counselors: &[UserProfile], rng: &mut StdRng, term: &Term) -> anyhow::Result<usize> {
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let today = term.today;
    let full = store.roster().await?;
    let mut total = 0;
    for counselor in counselors {
        let scope = store.scope(counselor, &full).await?;
        let roster = crate::db::roster::scoped_roster(&full, &scope);
        let ctx = ValidationContext { roster: &roster, now };
        let mut batch = Vec::new();
        for (i, room) in roster.rooms.iter().enumerate() {
            let residents: Vec<StudentId> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
            // Most rooms every week or so; one in five last seen over two weeks ago.
            let neglected = i % 5 == 2;
            let mut days_ago: i64 = if neglected { rng.gen_range(15..=20) } else { rng.gen_range(1..6) };
            while days_ago <= term.days() {
                let date = today - Duration::days(days_ago);
                if term.is_holiday(date) {
                    days_ago += 1;
                    continue;
                }
                let local = date.and_hms_opt(21, rng.gen_range(0..60), 0).unwrap_or_default();
                let Some(at) = zone.from_local_datetime(&local).single() else { break };
                let at = at.fixed_offset();
                let mut check = DormCheck::blank(room.id, &residents, at);
                check.hygiene = *[HygieneRating::Excellent, HygieneRating::Good, HygieneRating::Good, HygieneRating::Fair, HygieneRating::Poor]
                    .choose(rng)
                    .unwrap_or(&HygieneRating::Good);
                for r in &mut check.residents {
                    if rng.gen_bool(0.06) {
                        r.present = false;
                        let reason = *[AbsenceReason::Leave, AbsenceReason::Leave, AbsenceReason::OutOvernight, AbsenceReason::OffCampus]
                            .choose(rng)
                            .unwrap_or(&AbsenceReason::Leave);
                        r.absence_reason = Some(reason);
                        r.note = match reason {
                            AbsenceReason::Leave => "已向辅导员请假，回家".into(),
                            AbsenceReason::OutOvernight => "电话联系本人，说明次日返校".into(),
                            AbsenceReason::OffCampus => "已报备校外住宿".into(),
                            AbsenceReason::Other => "其他".into(),
                        };
                    }
                }
                if rng.gen_bool(0.12) {
                    let (kind, description, follow_up) = *[
                        (HazardKind::ProhibitedAppliance, "使用大功率吹风机", "当场收缴，批评教育"),
                        (HazardKind::Electrical, "床头私拉插线板", "已要求拆除，下次复查"),
                        (HazardKind::FireSafety, "阳台堆放纸箱", "已清理"),
                        (HazardKind::Facility, "门锁损坏", "已报修宿管"),
                    ]
                    .choose(rng)
                    .unwrap_or(&(HazardKind::Other, "其他隐患", ""));
                    check.hazards.push(SafetyHazard { kind, description: description.into(), follow_up: follow_up.into() });
                }
                if check.hygiene == HygieneRating::Poor {
                    check.notes = "地面有垃圾，被褥未叠，已提醒寝室长整改".into();
                }
                check.centralized = rng.gen_bool(0.3);
                let env = RecordEnvelope::new(RecordBody::DormCheck(check), counselor.id, "demo", at);
                let errors = env.validate(&ctx);
                if !errors.is_empty() {
                    anyhow::bail!("demo dorm check is invalid: {errors}");
                }
                batch.push(env);
                days_ago += rng.gen_range(6..9);
            }
        }
        total += batch.len();
        store.apply_records(counselor.id, &batch).await?;
    }
    Ok(total)
}

/// The demo accounts that still open with the demo password, which everyone can read in this
/// project's README: `serve` refuses to start while any is left, unless told it serves a demo.
pub async fn accounts_with_demo_password(store: &Store) -> anyhow::Result<Vec<String>> {
    let mut open = Vec::new();
    for (username, ..) in DEMO_ACCOUNTS {
        if let Some(row) = store.user_by_name(username).await? {
            let hash = row.password_hash.clone();
            // Argon2 is CPU work: off the async workers, as every other verification.
            if tokio::task::spawn_blocking(move || crate::auth::verify_password(DEMO_PASSWORD, &hash)).await? {
                open.push(username.to_string());
            }
        }
    }
    Ok(open)
}

/// Why `serve` will not start on a database whose demo accounts still have the demo password.
pub fn refusal(open: &[String]) -> String {
    format!(
        "the demo accounts {} still have the demo password, which anyone can read: this is no real deployment.\n\
         Give each a new password (rounds-server user reset-password --username NAME) or disable it, \
         or start with --demo to serve the demo on purpose.",
        open.join(", ")
    )
}

/// The term's other kinds, as counselors and head teachers keep them: weekly class checks,
/// meetings (one class behind on them), talks with about a third of the students, parent
/// contacts, the follow-up of warned, sanctioned and assisted students, a home visit, issues at
/// every step of the ledger, duty logs.
async fn past_records(store: &Store, staff: &[UserProfile], rng: &mut StdRng, term: &Term) -> anyhow::Result<usize> {
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let full = store.roster().await?;
    // `days` ago at `hour`, moved out of any holiday (earlier) and never before the term.
    let at = |days: i64, hour: u32, rng: &mut StdRng| -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let mut date = term.today - Duration::days(days.clamp(1, term.days().max(1)));
        while term.is_holiday(date) {
            date -= Duration::days(1);
        }
        let local = date.and_hms_opt(hour, rng.gen_range(0..60), 0)?;
        zone.from_local_datetime(&local).single().map(|t| t.fixed_offset())
    };
    const COURSES: &[(&str, &str)] = &[("高等数学", "张建华"), ("大学英语", "李婷"), ("数据结构", "王磊"), ("大学物理", "赵明")];
    let mut total = 0;
    for author in staff {
        let scope = store.scope(author, &full).await?;
        let roster = crate::db::roster::scoped_roster(&full, &scope);
        let ctx = ValidationContext { roster: &roster, now };
        let mut bodies: Vec<RecordBody> = Vec::new();
        let counselor = author.role == Role::Counselor;
        for class in roster.classes.iter().filter(|c| scope.classes.contains(&c.id)) {
            let students: Vec<&Student> = roster.students.iter().filter(|s| s.class_id == class.id).collect();
            let members: Vec<StudentId> = students.iter().map(|s| s.id).collect();
            if members.len() < 3 {
                continue;
            }
            let index = CLASSES.iter().position(|(name, _, _)| *name == class.name).unwrap_or(0);
            if counselor {
                // One class check a week, Monday to Friday of every past week of the term.
                let this_monday = rounds::duties::calendar::monday_of(term.today);
                for week in 1..=(term.days() / 7 + 1) {
                    let day = this_monday - Duration::days(7 * week) + Duration::days(rng.gen_range(0..5));
                    if day < term.start || term.is_holiday(day) {
                        continue;
                    }
                    let Some(t) = at((term.today - day).num_days(), 8, rng) else { continue };
                    let (course, teacher) = *COURSES.choose(rng).unwrap_or(&COURSES[0]);
                    let missing = rng.gen_range(0..3);
                    let absent: Vec<StudentId> = members.choose_multiple(rng, missing).copied().collect();
                    let late: Vec<StudentId> = members.iter().filter(|s| !absent.contains(s)).take(rng.gen_range(0..2)).copied().collect();
                    bodies.push(RecordBody::ClassCheck(ClassCheck {
                        class_id: class.id,
                        checked_at: t,
                        course: course.into(),
                        teacher: teacher.into(),
                        period: "1-2节".into(),
                        expected: members.len() as u32,
                        present: (members.len() - absent.len()) as u32,
                        absent,
                        late,
                        left_early: vec![],
                        notes: String::new(),
                    }));
                }
                // Four class meetings a term: the first class is on pace, the second behind.
                const MEETINGS: [(MeetingTopic, &str, &str); 3] = [
                    (MeetingTopic::Theme, "新学期学习规划与目标", "每位同学写下本学期三个学习目标"),
                    (MeetingTopic::Rules, "学生手册与考试纪律", "学习考试违纪处理规定，签订诚信考试承诺书"),
                    (MeetingTopic::Safety, "冬季宿舍用电与消防安全", "讲解违规电器的危害，组织观看消防视频"),
                ];
                let held = [2i64, 1, 3][index.min(2)];
                for j in 0..held {
                    let (topic, title, notes) = MEETINGS[j as usize % MEETINGS.len()];
                    let Some(t) = at(term.days() * (held - j) / (held + 1), 19, rng) else { continue };
                    bodies.push(RecordBody::ClassMeeting(ClassMeeting {
                        class_id: class.id,
                        held_at: t,
                        topic,
                        title: title.into(),
                        attended: members.len() as u32 - 1,
                        absent: vec![members[0]],
                        notes: notes.into(),
                    }));
                }
                if let Some(t) = at(rng.gen_range(20..40), 12, rng) {
                    bodies.push(RecordBody::CommitteeMeeting(CommitteeMeeting {
                        class_id: class.id,
                        held_at: t,
                        summary: "完成了期中学风检查和宿舍卫生评比".into(),
                        plan: "筹备元旦班级联欢，组织期末复习互助小组".into(),
                        opinions: "建议增加自习室开放时间".into(),
                    }));
                }
                // A lecture this month and one earlier in the term.
                for days in [rng.gen_range(2..15), rng.gen_range(30..60)] {
                    let (course, teacher) = COURSES[rng.gen_range(0..COURSES.len())];
                    let Some(t) = at(days, 10, rng) else { continue };
                    bodies.push(RecordBody::LectureVisit(LectureVisit {
                        class_id: class.id,
                        visited_at: t,
                        course: course.into(),
                        teacher: teacher.into(),
                        notes: "到课率较高，后排有学生使用手机".into(),
                    }));
                }
                // Every course teacher is owed a contact each semester (000 三(四)): by now, two
                // or three of the four have had theirs.
                for &(course, teacher) in COURSES.iter().take(rng.gen_range(2..=3)) {
                    let Some(t) = at(rng.gen_range(10..50), 15, rng) else { continue };
                    bodies.push(RecordBody::TeacherContact(TeacherContact {
                        class_id: class.id,
                        contacted_at: t,
                        teacher: teacher.into(),
                        course: course.into(),
                        learned: "作业提交率约九成，个别学生连续缺交".into(),
                    }));
                }
                // Problems students raised, into the ledger (the office moves them: `ledger`).
                for (days, category, description) in [
                    (rng.gen_range(15..40), IssueCategory::Dormitory, "宿舍热水供应时间太短"),
                    (rng.gen_range(5..15), IssueCategory::Study, "教室投影仪经常无信号"),
                    (rng.gen_range(1..5), IssueCategory::Study, "希望期末周延长图书馆开放时间"),
                ]
                .into_iter()
                .take(if index == 0 { 3 } else { 2 })
                {
                    let Some(t) = at(days, 14, rng) else { continue };
                    bodies.push(RecordBody::StudentIssue(StudentIssue {
                        class_id: Some(class.id),
                        student_id: Some(members[1]),
                        room_id: None,
                        raised_at: t,
                        category,
                        description: description.into(),
                        raised_from: None,
                    }));
                }
                // A home visit to a student from a family in difficulty.
                if let Some(t) = at(rng.gen_range(10..28), 10, rng) {
                    bodies.push(RecordBody::HomeVisit(HomeVisit {
                        student_id: members[2],
                        visited_at: t,
                        address: "甘肃省定西市某县某村".into(),
                        participants: format!("辅导员 {}", author.display_name),
                        aid_policy: "讲解国家助学金、生源地助学贷款和学校勤工助学岗位".into(),
                        news_exchanged: "学生本学期获得班级优秀学生干部".into(),
                        student_situation: "学习努力，性格内向，与室友相处融洽".into(),
                        joint_plan: "家长每月与辅导员通话一次，学校安排勤工助学岗位".into(),
                        family_situation: "农村，父亲务农，母亲身体不好".into(),
                        aid_given: "推荐申请国家助学金".into(),
                    }));
                }
            }
            // Talks with about a third of the class over the term (a fifth for a head teacher),
            // and calls to some of their parents.
            let share = if counselor { 3 } else { 5 };
            let talked: Vec<StudentId> = members.choose_multiple(rng, members.len() / share).copied().collect();
            for (i, student) in talked.iter().enumerate() {
                let reason =
                    *[TalkReason::Routine, TalkReason::Routine, TalkReason::Routine, TalkReason::Psychological].choose(rng).unwrap_or(&TalkReason::Routine);
                let Some(t) = at(rng.gen_range(1..=term.days().max(1)), 16, rng) else { continue };
                bodies.push(talk(*student, t, reason, &author.display_name));
                if i % 2 == 0 {
                    let Some(t) = at(rng.gen_range(1..=term.days().max(1)), 18, rng) else { continue };
                    bodies.push(parent_contact(*student, t, ParentContactReason::Routine, rng));
                }
            }
            bodies.extend(follow_ups(&students, counselor, term, &at, rng));
        }
        if !counselor {
            // Teachers visit their class's rooms face to face (002 §3.3).
            if let (Some(room), Some(t)) = (roster.rooms.first(), at(rng.gen_range(3..20), 20, rng)) {
                let met: Vec<StudentId> = roster.residents(room.id).iter().map(|(_, s)| s.id).take(3).collect();
                if !met.is_empty() {
                    bodies.push(RecordBody::DormVisit(DormVisit {
                        room_id: room.id,
                        visited_at: t,
                        students_met: met,
                        situation: "学习气氛较好，作息规律；有同学为考研做准备".into(),
                        problems_raised: "希望延长图书馆开放时间".into(),
                    }));
                }
            }
        }
        if counselor {
            for days in [6i64, 13, 27, 41] {
                let Some(t) = at(days, 20, rng) else { continue };
                bodies.push(RecordBody::DutyLog(DutyLog {
                    started_at: t,
                    shift: DutyShift::Evening,
                    buildings: roster.buildings.iter().map(|b| b.id).collect(),
                    events: "22:30 查看各楼栋门禁，1号楼三层走廊灯损坏已报修；其余平安".into(),
                    escalated: String::new(),
                }));
            }
        }
        let mut batch = Vec::with_capacity(bodies.len());
        for body in bodies {
            let when = body.occurred_at();
            let env = RecordEnvelope::new(body, author.id, "demo", when);
            let errors = env.validate(&ctx);
            if !errors.is_empty() {
                anyhow::bail!("demo {} is invalid: {errors}", env.body.kind());
            }
            batch.push(env);
        }
        total += batch.len();
        store.apply_records(author.id, &batch).await?;
    }
    Ok(total)
}

fn talk(student: StudentId, at: chrono::DateTime<chrono::FixedOffset>, reason: TalkReason, by: &str) -> RecordBody {
    let (problems, assessment) = match reason {
        TalkReason::AcademicWarning => ("上学期多门课程不及格，自述沉迷手机游戏", "状态基本正常，需督促学习；建议两周后复谈"),
        TalkReason::Discipline => ("夜不归宿受到处分，认识到错误", "态度端正，已制定作息计划；每月复谈"),
        TalkReason::Assistance => ("帮扶计划执行情况：按时上课，作业基本完成", "有进步，继续结对帮扶"),
        TalkReason::Psychological => ("近期失眠、情绪低落，与室友有矛盾", "需持续关注，建议到心理中心咨询"),
        _ => ("了解学习和生活适应情况，无明显问题", "状态正常"),
    };
    RecordBody::Talk(Talk {
        student_id: student,
        talked_at: at,
        place: "学工办".into(),
        reason,
        problems: problems.into(),
        assessment: assessment.into(),
        parents_contacted: reason == TalkReason::AcademicWarning,
        refer_to_counseling: reason == TalkReason::Psychological,
        co_interviewers: if reason == TalkReason::Routine { String::new() } else { format!("记录人 {by}") },
        study_plan: String::new(),
    })
}

fn parent_contact(student: StudentId, at: chrono::DateTime<chrono::FixedOffset>, reason: ParentContactReason, rng: &mut StdRng) -> RecordBody {
    RecordBody::ParentContact(ParentContact {
        student_id: student,
        contacted_at: at,
        guardian: "母亲".into(),
        channel: *[ContactChannel::Phone, ContactChannel::WeChat].choose(rng).unwrap_or(&ContactChannel::Phone),
        reason,
        content: match reason {
            ParentContactReason::Warning => "告知学业预警决定及原因，商定共同督促的办法",
            ParentContactReason::Discipline => "告知处分决定及原因，请家长配合教育",
            _ => "通报学生近期在校表现和学习情况",
        }
        .into(),
        feedback: "家长表示理解，会配合督促".into(),
        follow_up: String::new(),
        letter_id: None,
    })
}

/// `days` ago at `hour`, in the term (see `past_records`).
type At<'a> = dyn Fn(i64, u32, &mut StdRng) -> Option<chrono::DateTime<chrono::FixedOffset>> + 'a;

/// What the standing of a class's students asks of their counselor or head teacher (003 §4,
/// 000 §2.5): decisions of two weeks ago and more were told to the parents and talked over;
/// assisted students are talked with as often as their level asks.
fn follow_ups(students: &[&Student], counselor: bool, term: &Term, at: &At<'_>, rng: &mut StdRng) -> Vec<RecordBody> {
    let mut bodies = Vec::new();
    for s in students {
        let Some(a) = &s.archive else { continue };
        if counselor {
            for (on, talk_reason, parent_reason) in [
                (a.warning_on, TalkReason::AcademicWarning, ParentContactReason::Warning),
                (a.discipline_on, TalkReason::Discipline, ParentContactReason::Discipline),
                (a.ruling_on, TalkReason::AcademicWarning, ParentContactReason::StatusChange),
            ] {
                let Some(ago) = on.map(|d| (term.today - d).num_days()).filter(|ago| *ago >= 14) else { continue };
                // Told within days of a decision of this term; for an older one, this term's
                // call is a routine one.
                let (mut days, reason) = if ago - 2 <= term.days() { (ago - 2, parent_reason) } else { (rng.gen_range(10..40), ParentContactReason::Routine) };
                // `at` moves a day in a holiday to the holiday's eve: a decision taken in the
                // holiday (National Day) is told after the holiday instead, never before it.
                let eve =
                    |days: i64| std::iter::successors(Some(term.today - Duration::days(days)), |d| Some(*d - Duration::days(1))).find(|d| !term.is_holiday(*d));
                while days > 1 && reason == parent_reason && on.is_some_and(|d| eve(days).is_some_and(|e| e < d)) {
                    days -= 1;
                }
                if let Some(t) = at(days, 17, rng) {
                    bodies.push(parent_contact(s.id, t, reason, rng));
                }
                let days = rng.gen_range(5..30);
                if let Some(t) = at(days, 16, rng) {
                    bodies.push(talk(s.id, t, talk_reason, ""));
                }
            }
        }
        // Counselors: level 2 monthly, level 3 every two weeks; head teachers: level 1 monthly,
        // level 2 every two weeks (003 §4). The last talk a few days ago.
        let every = match (counselor, a.assistance_level) {
            (true, Some(3)) | (false, Some(2)) => 12,
            (true, Some(2)) | (false, Some(1)) => 28,
            _ => continue,
        };
        let mut days = rng.gen_range(3..10);
        while days <= term.days() {
            if let Some(t) = at(days, 16, rng) {
                bodies.push(talk(s.id, t, TalkReason::Assistance, ""));
            }
            days += every;
        }
    }
    bodies
}

/// Clubs and party branches, the demo leader linked to one class, one room, one club and one
/// branch (002 §三), and a few months of what the leader recorded there.
async fn leader_links_and_history(store: &Store, rng: &mut StdRng) -> anyhow::Result<usize> {
    use rounds::groups::{GroupDraft, LinkTarget};
    let full = store.roster().await?;
    let dept = full.departments.first().map(|d| d.id);
    let mut clubs = Vec::new();
    for (name, own) in [("计算机协会", true), ("机器人社", true), ("青年志愿者协会", false)] {
        clubs.push(store.create_group::<Club>(GroupDraft { name: name.into(), department_id: dept.filter(|_| own) }).await?);
    }
    let mut branches = Vec::new();
    for name in ["计算机学院本科生第一党支部", "计算机学院本科生第二党支部", "软件工程本科生党支部"] {
        branches.push(store.create_group::<PartyBranch>(GroupDraft { name: name.into(), department_id: dept }).await?);
    }
    let Some(leader) = store.user_by_name("leader").await?.map(|r| r.profile) else { return Ok(0) };
    // A member of the school's leadership (班子成员): the weekly contact and the politics lesson
    // are his too (002 三(一), 四(二)).
    let tier =
        rounds::admin::AccountUpdate { display_name: leader.display_name.clone(), role: Role::Leader, active: true, leadership: true, department_id: None };
    store.update_account(leader.id, &tier).await.map_err(|e| anyhow::anyhow!("cannot mark the demo leader: {e:?}"))?;
    let (Some(class), Some(room)) = (full.classes.get(1), full.rooms.iter().find(|r| r.number == "2-101")) else { return Ok(0) };
    let (club, branch) = (clubs[0].id, branches[0].id);
    for target in [LinkTarget::Class(class.id), LinkTarget::Room(room.id), LinkTarget::Club(club), LinkTarget::Branch(branch)] {
        store.add_link(leader.id, target).await?;
    }

    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let full = store.roster().await?;
    let scope = store.scope(&leader, &full).await?;
    let roster = crate::db::roster::scoped_roster(&full, &scope);
    let ctx = ValidationContext { roster: &roster, now };
    let at = |days: i64, hour: u32, rng: &mut StdRng| -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let date = now.with_timezone(&zone).date_naive() - Duration::days(days);
        let local = date.and_hms_opt(hour, rng.gen_range(0..60), 0)?;
        zone.from_local_datetime(&local).single().map(|t| t.fixed_offset())
    };
    let residents: Vec<StudentId> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
    let mut bodies: Vec<RecordBody> = Vec::new();
    // The monthly face-to-face visit of the room (002 §三(三)).
    for (days, situation, problems) in [
        (6, "同学们正在准备期末复习，作息规律，宿舍整洁", "希望期末周延长自习室开放时间"),
        (35, "有两位同学在准备英语六级，一位同学加入了学生会", ""),
        (64, "新学期适应良好，讨论了“六个一”成长计划，每人拟定了阅读计划", "宿舍热水供应时间短"),
    ] {
        let Some(t) = at(days, 20, rng) else { continue };
        let met: Vec<StudentId> = residents.iter().copied().take(rng.gen_range(2..=residents.len().max(2))).collect();
        if met.is_empty() {
            continue;
        }
        bodies.push(RecordBody::DormVisit(DormVisit {
            room_id: room.id,
            visited_at: t,
            students_met: met,
            situation: situation.into(),
            problems_raised: problems.into(),
        }));
    }
    // Time with students outside his links: the weekly face-to-face contact of the leadership.
    if let Some(t) = at(9, 12, rng) {
        bodies.push(RecordBody::StudentContact(StudentContact {
            met_at: t,
            activity: ContactActivity::FaceToFace,
            place: "第二食堂，与十余名大一新生同桌午餐".into(),
            content: "了解新生对食堂、宿舍和课程安排的意见；学生反映晚自习教室不足".into(),
        }));
    }
    if let Some(t) = at(21, 19, rng) {
        bodies.push(RecordBody::ClassAttendance(ClassAttendance {
            class_id: class.id,
            attended_at: t,
            event: ClassEvent::Forum,
            title: "期中学习经验交流师生座谈会".into(),
            notes: "同学们关心考研与就业方向，介绍了学院的导师制和实验室开放情况".into(),
        }));
    }
    for (days, activity, participants, content) in [
        (45, BranchActivityKind::PartyLecture, 26, "专题党课：新时代青年的使命与担当"),
        (28, BranchActivityKind::OrganisationalMeeting, 18, "参加支部组织生活会，开展批评与自我批评"),
        (14, BranchActivityKind::Report, 9, "听取支部书记关于发展党员和支部建设情况的汇报"),
        (8, BranchActivityKind::Talk, 3, "与三名预备党员交心谈心，了解学习和思想状况"),
    ] {
        let Some(t) = at(days, 15, rng) else { continue };
        bodies.push(RecordBody::BranchActivity(BranchActivity {
            branch_id: branch,
            held_at: t,
            activity,
            participants,
            content: content.into(),
            notes: String::new(),
        }));
    }
    for (days, activity, content) in [
        (38, ClubActivityKind::Plan, "指导策划校园程序设计竞赛，确定赛制与分工"),
        (19, ClubActivityKind::Meeting, "参加社团骨干会议，讨论下学期招新"),
        (10, ClubActivityKind::Activity, "参加程序设计竞赛颁奖，为获奖同学颁奖"),
    ] {
        let Some(t) = at(days, 18, rng) else { continue };
        bodies.push(RecordBody::ClubActivity(ClubActivity { club_id: club, held_at: t, activity, content: content.into() }));
    }
    let mut batch = Vec::with_capacity(bodies.len());
    for body in bodies {
        let when = body.occurred_at();
        let env = RecordEnvelope::new(body, leader.id, "demo", when);
        let errors = env.validate(&ctx);
        if !errors.is_empty() {
            anyhow::bail!("demo {} is invalid: {errors}", env.body.kind());
        }
        if !scope.may_write(&env.body) {
            anyhow::bail!("demo {} is outside the leader's links", env.body.kind());
        }
        batch.push(env);
    }
    store.apply_records(leader.id, &batch).await?;
    Ok(batch.len())
}

pub fn print_accounts() {
    println!("Demo accounts (password: {DEMO_PASSWORD}):");
    for (username, name, role, _) in DEMO_ACCOUNTS {
        println!("  {username:<12} {name}  ({})", role.as_str());
    }
}

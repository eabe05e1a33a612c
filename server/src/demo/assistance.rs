//! The demo's term of assistance (帮扶, seeds 001 and 003): last semester's results imported as
//! the office would (a table read through the results import), the working group's decision
//! ten days into this semester with students at each of 003's lines, the level actions the staff
//! took (most on time, one letter still owed), volunteers and their sessions, a plan and an
//! evaluation, and two cases opened by hand, one of them closed.

use super::{Term, CLASSES};
use crate::db::Store;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use rand::rngs::StdRng;
use rand::Rng;
use rounds::assistance::*;
use rounds::kinds::assistance::{previous_term, VolunteerId};
use rounds::*;

/// (class index, place in class) → failed credits, failed courses, GPA, absence hours: the
/// students the results put at or near each line of 003 五, and two with other signs.
type Place = (usize, usize);
const AT_THE_LINES: &[(Place, f64, u32, f64, f64)] = &[
    ((0, 5), 12.0, 4, 2.1, 2.0),   // 一级, on the line
    ((1, 5), 14.5, 4, 1.9, 0.0),   // 一级, half a credit under 二级
    ((1, 17), 15.0, 5, 1.7, 4.0),  // 二级, on the line
    ((2, 17), 24.5, 8, 1.4, 6.0),  // 二级, half a credit under 三级
    ((0, 17), 26.5, 9, 1.1, 12.0), // 三级
    ((0, 13), 6.0, 3, 1.3, 12.0),  // no level: three courses, absences, a low GPA
    ((1, 3), 11.5, 3, 2.0, 0.0),   // half a credit under 一级: three courses only
];

/// Whom the working group confirmed, and at which level (the last two of the list above: one
/// confirmed below the lines, one left for the head teacher to watch).
fn decided_level(place: (usize, usize)) -> Option<Option<AcademicLevel>> {
    match place {
        (0, 5) | (1, 5) => Some(Some(AcademicLevel::One)),
        (1, 17) | (2, 17) => Some(Some(AcademicLevel::Two)),
        (0, 17) => Some(Some(AcademicLevel::Three)),
        (0, 13) => Some(None),
        _ => None,
    }
}

fn student_no(class: usize, n: usize) -> String {
    let cohort = CLASSES.get(class).map_or(2023, |c| c.1);
    format!("{cohort}01{:02}{n:02}", class + 1)
}

const VOLUNTEERS: &[(&str, &str, &str)] =
    &[("周思远", "2023010207", "计算机2023-2班"), ("吴晓雨", "2023010119", "计算机2023-1班"), ("郑浩然", "2024010311", "软件工程2024-1班")];

pub(super) async fn assistance_term(store: &Store, rng: &mut StdRng, term: &Term) -> anyhow::Result<usize> {
    let Some(this_term) = term.calendar.term_on(term.today) else { return Ok(0) };
    let Some(results_term) = previous_term(&this_term) else { return Ok(0) };
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let Some(office) = store.user_by_name("office").await?.map(|r| r.profile) else { return Ok(0) };
    let decided_on = (term.start + Duration::days(10)).min(term.today - Duration::days(1));
    let at = |day: NaiveDate, hour: u32| -> Option<DateTime<FixedOffset>> {
        let t = zone.from_local_datetime(&day.and_hms_opt(hour, 30, 0)?).single()?.fixed_offset();
        (day < term.today).then_some(t)
    };

    // 1. The results of the semester just ended, as 教务处 sends them: everyone, most with
    //    nothing or little failed, read through the same import as an uploaded file.
    let numbers = store.student_numbers().await?;
    let mut table = vec![["学号", "姓名", "不及格学分", "不及格门次", "平均学分绩点", "旷课学时"].map(String::from).to_vec()];
    for (ci, (_, _, size)) in CLASSES.iter().enumerate() {
        for n in 1..=*size {
            let no = student_no(ci, n);
            let Some((_, name)) = numbers.get(&no) else { continue };
            let (credits, courses, gpa, absence) = match AT_THE_LINES.iter().find(|(p, ..)| *p == (ci, n)) {
                Some(&(_, c, k, g, a)) => (c, k, g, a),
                None if rng.gen_bool(0.2) => {
                    let k = rng.gen_range(1..=2u32);
                    (f64::from(k) * [2.0, 2.5, 3.0][rng.gen_range(0..3)], k, rng.gen_range(20..33) as f64 / 10.0, f64::from(rng.gen_range(0..4u32)))
                }
                None => (0.0, 0, rng.gen_range(24..39) as f64 / 10.0, 0.0),
            };
            table.push(vec![no, name.clone(), credits.to_string(), courses.to_string(), format!("{gpa:.2}"), absence.to_string()]);
        }
    }
    let file = read_results(&table, &numbers);
    if !file.errors.is_empty() {
        anyhow::bail!("the demo results do not read: {:?}", file.errors.first());
    }
    store.import_results(&results_term, &file, ImportMode::Apply, &office).await?;

    // 2. The working group's decision, ten days into the semester.
    let id_of = |place: (usize, usize)| numbers.get(&student_no(place.0, place.1)).map(|(id, _)| *id);
    let students: Vec<ConfirmedStudent> =
        AT_THE_LINES.iter().filter_map(|(place, ..)| Some(ConfirmedStudent { student_id: id_of(*place)?, level: decided_level(*place)? })).collect();
    let decision = IdentificationDecision {
        term: results_term.clone(),
        decided_on,
        basis: "计算机学院学业困难学生帮扶工作组 2026年第2次会议纪要".into(),
        students: students.clone(),
    };
    let roster = store.roster().await?;
    let decided_at = at(decided_on, 15).unwrap_or(now);
    let report = store.confirm_identification(&decision, &office, &roster, decided_at.min(now)).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if !report.refused.is_empty() {
        anyhow::bail!("the demo decision was refused: {:?}", report.refused);
    }

    // 3. The register: three volunteers, selected and trained before the semester.
    let mut volunteers = Vec::new();
    for (name, no, class) in VOLUNTEERS {
        let v = Volunteer {
            id: None,
            name: (*name).into(),
            student_no: (*no).into(),
            class_name: (*class).into(),
            contact: format!("1390000{:04}", rng.gen_range(0..10_000)),
            selected_on: Some(term.start - Duration::days(20)),
            trained_on: Some(term.start - Duration::days(12)),
            active: true,
        };
        volunteers.push(store.save_volunteer(&v).await.map_err(|e| anyhow::anyhow!("{e:?}"))?);
    }

    // 4. The office pairs each 二级 student with a volunteer (a revision of the case).
    let full = store.roster().await?;
    let mut total = 0;
    let cases = store.current_records_of("assistance_case").await?;
    let mut pairing_of = std::collections::HashMap::new();
    for (i, env) in cases.iter().enumerate() {
        let RecordBody::AssistanceCase(case) = &env.body else { continue };
        if case.level != Some(AcademicLevel::Two) {
            continue;
        }
        let v = &volunteers[i % volunteers.len()];
        let paired_on = decided_on + Duration::days(3);
        let pairing = Pairing {
            volunteer_id: v.id,
            name: v.name.clone(),
            student_no: v.student_no.clone(),
            contact: v.contact.clone(),
            last_term_result: format!("班级第{}名", rng.gen_range(1..6)),
            paired_on,
        };
        pairing_of.insert(case.student_id, (v.id, v.name.clone()));
        let revised = AssistanceCase { pairings: vec![pairing], class_rank: format!("{}/30", rng.gen_range(25..31)), ..case.clone() };
        let when = at(paired_on, 10).unwrap_or(now);
        let env = env.edited(RecordBody::AssistanceCase(revised), false, "demo", when);
        total += store.apply_records(env.author_id, &[env]).await?.len();
    }

    // 5. What the staff did: every level's prompt talk with a study plan and a call home; the
    //    registered letter (二级), the volunteer's weekly sessions (二级), the parents' visit
    //    (三级); the plan written down. One registered letter (软件工程2024-1班) is still owed.
    let counselor_of = |class: usize| if class == 2 { "counselor2" } else { "counselor" };
    for (place, ..) in AT_THE_LINES {
        let Some(Some(level)) = decided_level(*place) else { continue };
        let Some(student) = id_of(*place) else { continue };
        let Some(author) = store.user_by_name(counselor_of(place.0)).await?.map(|r| r.profile) else { continue };
        let mut bodies = vec![
            talk(
                student,
                at(decided_on + Duration::days(3), 16),
                "学业困难：上学期不及格课程较多，学习方法欠缺，自述沉迷手机游戏",
                "每周一、三、五晚自习到图书馆；补考科目列出复习计划，每周向辅导员汇报一次",
            ),
            contact(student, at(decided_on + Duration::days(1), 18), ContactChannel::Phone, "电话告知家长学业困难认定结果及帮扶安排"),
            note(
                student,
                at(decided_on + Duration::days(4), 20),
                "1. 辅导员每月谈话一次，班主任每两周谈话一次；2. 补考课程制定复习计划；3. 每周检查晚自习出勤",
            ),
        ];
        if level == AcademicLevel::Two && place.0 != 2 {
            bodies.push(contact(
                student,
                at(decided_on + Duration::days(6), 10),
                ContactChannel::RegisteredMail,
                "书面预警通知书已以挂号信寄出，挂号号码 XA2026091700",
            ));
        }
        if level == AcademicLevel::Three {
            bodies.push(contact(
                student,
                at(decided_on + Duration::days(12), 14),
                ContactChannel::Meeting,
                "家长来校，与学生本人、班主任、辅导员面谈，告知学习情况及学位弥补方法",
            ));
        }
        if let Some((volunteer_id, name)) = pairing_of.get(&student) {
            let mut day = decided_on + Duration::days(5);
            while day < term.today {
                if !term.is_holiday(day) {
                    bodies.push(session(student, at(day, 19), *volunteer_id, name, rng.gen_range(3..5) * 30));
                }
                day += Duration::days(7);
            }
        }
        total += store_records(store, &full, &author, bodies, now).await?;
    }
    // The head teacher of the first class: the prompt talk with a plan for its students.
    if let Some(head) = store.user_by_name("headteacher").await?.map(|r| r.profile) {
        let bodies = AT_THE_LINES
            .iter()
            .filter(|(place, ..)| place.0 == 0 && matches!(decided_level(*place), Some(Some(_))))
            .filter_map(|(place, ..)| id_of(*place))
            .map(|s| {
                talk(s, at(decided_on + Duration::days(5), 12), "期中前学业状况：两门补考课程复习进度落后", "与学习委员结对复习高等数学，每周日晚检查进度")
            })
            .collect();
        total += store_records(store, &full, &head, bodies, now).await?;
    }

    // 6. Two cases opened by hand: a psychological one open with its help group of three, and
    //    a hardship case of last spring, closed in July.
    let by_hand = [
        ((0, 9), AssistanceCategory::Psychological, term.start + Duration::days(20), vec!["王芳", "陈静", "心理中心 孙老师"], None),
        (
            (1, 8),
            AssistanceCategory::Hardship,
            term.start - Duration::days(180),
            vec![],
            Some(CaseClosure {
                closed_on: term.start - Duration::days(60), outcome: CaseOutcome::Improved, note: "获国家助学金，勤工助学岗位稳定".into()
            }),
        ),
    ];
    for (place, category, opened, group, closure) in by_hand {
        let Some(student) = id_of(place) else { continue };
        let Some(opened_at) = at(opened, 9) else { continue };
        let case = AssistanceCase {
            student_id: student,
            category,
            level: None,
            opened_at,
            term: String::new(),
            basis: "辅导员提出，学工部审核同意".into(),
            head_teacher: if place.0 == 0 { "陈静".into() } else { String::new() },
            counselor: "王芳".into(),
            class_rank: String::new(),
            pairings: vec![],
            help_group: group.into_iter().map(String::from).collect(),
            closure,
        };
        total += store_records(store, &full, &office, vec![Some(RecordBody::AssistanceCase(case))], now).await?;
    }
    Ok(total)
}

/// Stores what one person recorded, through the same validation as a phone's push.
pub(super) async fn store_records(
    store: &Store,
    full: &RosterSnapshot,
    author: &UserProfile,
    bodies: Vec<Option<RecordBody>>,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<usize> {
    Ok(store_records_with_ids(store, full, author, bodies, now).await?.len())
}

/// [`store_records`], answering the ids of the records kept, in order (for records that name
/// others: a letter's deliveries).
pub(super) async fn store_records_with_ids(
    store: &Store,
    full: &RosterSnapshot,
    author: &UserProfile,
    bodies: Vec<Option<RecordBody>>,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<Vec<uuid::Uuid>> {
    let scope = store.scope(author, full).await?;
    let roster = crate::db::roster::scoped_roster(full, &scope);
    let ctx = rounds::record::ValidationContext { roster: &roster, now };
    let mut batch = Vec::new();
    for body in bodies.into_iter().flatten() {
        let env = RecordEnvelope::new(body, author.id, "demo", now);
        let errors = env.validate(&ctx);
        if !errors.is_empty() {
            anyhow::bail!("demo {} does not validate: {errors}", env.body.kind());
        }
        batch.push(env);
    }
    let ids = batch.iter().map(|e| e.id).collect();
    store.apply_records(author.id, &batch).await?;
    Ok(ids)
}

fn talk(student: StudentId, at: Option<DateTime<FixedOffset>>, problems: &str, plan: &str) -> Option<RecordBody> {
    Some(RecordBody::Talk(Talk {
        student_id: student,
        talked_at: at?,
        place: "学工办".into(),
        reason: TalkReason::Assistance,
        problems: problems.into(),
        assessment: "状态基本正常，有改进意愿；需持续关注学习计划执行情况".into(),
        parents_contacted: true,
        refer_to_counseling: false,
        co_interviewers: String::new(),
        study_plan: plan.into(),
    }))
}

fn contact(student: StudentId, at: Option<DateTime<FixedOffset>>, channel: ContactChannel, content: &str) -> Option<RecordBody> {
    Some(RecordBody::ParentContact(ParentContact {
        student_id: student,
        contacted_at: at?,
        guardian: "学生家长".into(),
        channel,
        reason: ParentContactReason::Warning,
        content: content.into(),
        feedback: "家长表示理解，会配合督促".into(),
        follow_up: String::new(),
        letter_id: None,
    }))
}

fn note(student: StudentId, at: Option<DateTime<FixedOffset>>, text: &str) -> Option<RecordBody> {
    Some(RecordBody::AssistanceNote(AssistanceNote { student_id: student, written_at: at?, part: NotePart::Plan, term: String::new(), text: text.into() }))
}

fn session(student: StudentId, at: Option<DateTime<FixedOffset>>, volunteer: Option<VolunteerId>, name: &str, minutes: u16) -> Option<RecordBody> {
    Some(RecordBody::VolunteerSession(VolunteerSession {
        student_id: student,
        held_at: at?,
        volunteer_id: volunteer,
        volunteer_name: name.into(),
        minutes,
        content: "高等数学、数据结构补考辅导".into(),
    }))
}

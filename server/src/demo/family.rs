//! Demo: the home–school bridge (004 三(二), 三(四)). A counselor recorded what happened to a few
//! students; each started a "contact the parents" duty: an incident and a suspension already
//! told, a study crisis still to discuss, a provincial prize whose 喜报 is still to be sent. And
//! the office's plan of home visits in the coming winter vacation, with the special archive's
//! students and their counselors; last semester's 《致家长的一封信》, delivered and answered, and
//! the 喜报 for the prize, still to deliver.

use crate::db::Store;
use chrono::Duration;
use rounds::*;

pub(super) async fn family_matters(store: &Store) -> anyhow::Result<usize> {
    let Some(author) = store.user_by_name("counselor").await?.map(|r| r.profile) else { return Ok(0) };
    let full = store.roster().await?;
    let scope = store.scope(&author, &full).await?;
    let roster = crate::db::roster::scoped_roster(&full, &scope);
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    // Students further down the list than the other demo stories reach.
    let students: Vec<StudentId> = roster.students.iter().rev().take(4).map(|s| s.id).collect();
    let [incident, suspended, struggling, prize] = students[..] else { return Ok(0) };
    let ago = |days: i64| now - Duration::days(days);
    let event = |student, days, event, description: &str| {
        RecordBody::StudentEvent(StudentEvent { student_id: student, occurred_at: ago(days), event, description: description.into() })
    };
    let contact = |student, days, channel, reason, content: &str| {
        RecordBody::ParentContact(ParentContact {
            student_id: student,
            contacted_at: ago(days),
            guardian: "学生家长".into(),
            channel,
            reason,
            content: content.into(),
            feedback: "家长已知悉，表示配合".into(),
            follow_up: String::new(),
            letter_id: None,
        })
    };
    let bodies = vec![
        event(incident, 12, StudentEventKind::Incident, "晚间突发急性阑尾炎，送校医院后转市第一人民医院手术"),
        contact(incident, 12, ContactChannel::Phone, ParentContactReason::Incident, "当晚电话告知母亲病情和就医情况，家长次日到校"),
        event(suspended, 25, StudentEventKind::StatusChange, "因病申请休学一年，已获学校批准"),
        contact(suspended, 23, ContactChannel::Meeting, ParentContactReason::StatusChange, "与父亲面谈休学手续、复学条件和期间的学籍管理"),
        event(struggling, 3, StudentEventKind::AcademicTrouble, "本学期旷课累计 12 学时，两门课程期中不及格"),
        event(prize, 5, StudentEventKind::Honour, "获全省大学生程序设计竞赛一等奖"),
    ];
    super::assistance::store_records(store, &full, &author, bodies.into_iter().map(Some).collect(), now).await
}

/// The office's plan for the coming vacation: the special archive's students (at most eight),
/// each visited by their class's counselors.
pub(super) async fn vacation_plan(store: &Store) -> anyhow::Result<usize> {
    let Some(office) = store.user_by_name("office").await?.map(|r| r.profile) else { return Ok(0) };
    let full = store.roster().await?;
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let today = now.date_naive();
    let calendar = rounds::duties::calendar::demo_calendar();
    // The days after this semester's last day, or a month from now outside a semester.
    let starts_on = calendar.semester_on(today).map_or(today + Duration::days(30), |s| s.end + Duration::days(1));
    let ends_on = starts_on + Duration::days(34);
    let accounts = store.staff_accounts().await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let counselors_of = |class: ClassId| -> Vec<UserId> {
        accounts
            .iter()
            .filter(|a| a.active && a.role == Role::Counselor && a.classes.contains(&class))
            .map(|a| a.id)
            .take(kinds::visit_plan::PLAN_STAFF_MAX)
            .collect()
    };
    let visits: Vec<PlannedVisit> = full
        .students
        .iter()
        .filter(|s| s.archive.as_ref().is_some_and(|a| a.in_special_archive() || a.economy == Some(Economy::Difficult)))
        .filter_map(|s| {
            let staff = counselors_of(s.class_id);
            let special = s.archive.as_ref().is_some_and(|a| a.in_special_archive());
            (!staff.is_empty()).then_some(PlannedVisit {
                student_id: s.id,
                reason: if special { VisitReason::KeyMatter } else { VisitReason::Hardship },
                staff,
            })
        })
        .take(8)
        .collect();
    if visits.is_empty() {
        return Ok(0);
    }
    let plan = HomeVisitPlan {
        title: format!("{}年寒假家访方案", starts_on.format("%Y")),
        made_at: now,
        starts_on,
        ends_on,
        visits,
        notes: "一、宣传国家、学校资助政策；二、互通学校、家庭近来的重要变化和学生的表现、进步；三、了解学生在校、在家的基本情况；四、共同商讨教育学生的步骤和方法。".into(),
    };
    super::assistance::store_records(store, &full, &office, vec![Some(plan.into())], now).await
}

/// The office's letters (004 三(二)2, 3): last semester's letter to every class, which the demo
/// counselor delivered to most of her families (some answered, a few followed up); and the 喜报
/// for this semester's provincial prize, sent two days ago and still to deliver.
pub(super) async fn letters(store: &Store) -> anyhow::Result<usize> {
    let (Some(office), Some(counselor)) = (store.user_by_name("office").await?.map(|r| r.profile), store.user_by_name("counselor").await?.map(|r| r.profile))
    else {
        return Ok(0);
    };
    let full = store.roster().await?;
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let calendar = rounds::duties::calendar::demo_calendar();
    // Sent a week before last semester's teaching ended, or five months ago without a calendar.
    let today = now.date_naive();
    let last_end = calendar.semesters.iter().filter(|s| s.end < today).map(|s| s.teaching_span().end).max();
    let sent_on = last_end.map_or(today - Duration::days(150), |end| end - Duration::days(7));
    let Some(sent_at) = sent_on.and_hms_opt(10, 0, 0).and_then(|t| t.and_local_timezone(zone).single()).map(|t| t.fixed_offset()) else { return Ok(0) };
    let batch = uuid::Uuid::now_v7();
    let letters: Vec<Option<RecordBody>> = full
        .classes
        .iter()
        .map(|c| {
            Some(RecordBody::ParentLetter(ParentLetter {
                letter: LetterKind::SemesterLetter,
                batch_id: batch,
                title: "致家长的一封信（暑假）".into(),
                sent_at,
                deliver_by: sent_on + Duration::days(14),
                class_id: c.id,
                student_id: None,
                content: "本学期学业情况、暑期安全提醒、资助政策和下学期返校时间。".into(),
            }))
        })
        .collect();
    let classes: Vec<ClassId> = full.classes.iter().map(|c| c.id).collect();
    let letter_ids = super::assistance::store_records_with_ids(store, &full, &office, letters, now).await?;
    let letter_of: std::collections::HashMap<ClassId, uuid::Uuid> = classes.into_iter().zip(letter_ids.iter().copied()).collect();

    let scope = store.scope(&counselor, &full).await?;
    let mine = crate::db::roster::scoped_roster(&full, &scope);
    let prize = mine.students.iter().rev().nth(3).map(|s| (s.id, s.class_id));
    let mut deliveries = Vec::new();
    for (i, s) in mine.students.iter().enumerate() {
        // Four families in five reached; every third answered; some answers followed up.
        let (Some(letter), false) = (letter_of.get(&s.class_id), i % 5 == 4) else { continue };
        let at = sent_at + Duration::days(1 + (i % 6) as i64);
        let (feedback, follow_up) = match i % 6 {
            0 => ("家长询问暑期实习安排", "已转告学院就业办，开学后统一安排"),
            3 => ("家长反映孩子暑期作息不规律", ""),
            _ => ("", ""),
        };
        deliveries.push(Some(RecordBody::ParentContact(ParentContact {
            student_id: s.id,
            contacted_at: at,
            guardian: "学生家长".into(),
            channel: if i % 2 == 0 { ContactChannel::WeChat } else { ContactChannel::Sms },
            reason: ParentContactReason::Letter,
            content: "发送《致家长的一封信》电子版".into(),
            feedback: feedback.into(),
            follow_up: follow_up.into(),
            letter_id: Some(*letter),
        })));
    }
    let delivered = super::assistance::store_records(store, &full, &counselor, deliveries, now).await?;
    let news = prize.map(|(student, class_id)| {
        RecordBody::ParentLetter(ParentLetter {
            letter: LetterKind::GoodNews,
            batch_id: uuid::Uuid::now_v7(),
            title: "喜报：全省大学生程序设计竞赛一等奖".into(),
            sent_at: now - Duration::days(2),
            deliver_by: today + Duration::days(12),
            class_id,
            student_id: Some(student),
            content: "祝贺同学获全省大学生程序设计竞赛一等奖，特向家长报喜。".into(),
        })
    });
    let sent = super::assistance::store_records(store, &full, &office, vec![news], now).await?;
    Ok(letter_ids.len() + delivered + sent)
}

/// The office's duty schedule (000 七(一)): the next ten nights, the counselors in turn, the demo
/// counselor on the third, so her Today shows it.
pub(super) async fn duty_schedule(store: &Store) -> anyhow::Result<usize> {
    let Some(office) = store.user_by_name("office").await?.map(|r| r.profile) else { return Ok(0) };
    let full = store.roster().await?;
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let accounts = store.staff_accounts().await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut counselors: Vec<&rounds::admin::Account> = accounts.iter().filter(|a| a.active && a.role == Role::Counselor).collect();
    // The demo counselor third in turn.
    counselors.sort_by_key(|a| (a.username == "counselor", a.id));
    if counselors.is_empty() {
        return Ok(0);
    }
    let n = counselors.len();
    let shifts = (1..=10)
        .map(|day| {
            let who = if day == 3 { counselors[n - 1].id } else { counselors[(day as usize) % n].id };
            ScheduledShift { on: now.date_naive() + Duration::days(day), shift: DutyShift::Night, staff: vec![who] }
        })
        .collect();
    let roster = DutyRoster {
        title: format!("{}值班安排", now.format("%Y年%m月")),
        made_at: now,
        shifts,
        notes: "22:30 集中查寝，异常情况立即报学工部值班电话并填写值班记录。".into(),
    };
    super::assistance::store_records(store, &full, &office, vec![Some(roster.into())], now).await
}

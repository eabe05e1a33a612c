//! 帮扶: the assistance case of one student (001 五, 003 五) and the peer volunteer's sessions
//! with them (003 六). Both are records like the others: kept on the phone, synced, revised,
//! and confidential (001 三.7 «保密原则»): only staff assigned to the student and the office
//! receive them.
//!
//! A case drives duties, so it is the office's alone to write (the working group's decision,
//! 003 五): category, level, basis, the people responsible, pairings, help group, closing.
//! The staff's part is their own records: the plan and the head teacher's evaluation
//! ([`AssistanceNote`]), and the talks, parent contacts, home visits and volunteer sessions that
//! make the case's process record (帮扶过程记录): every record of those kinds about the student
//! from the case's opening to its closing.

use super::{check_student, record_meta};
use crate::assistance::{AcademicLevel, AssistanceCategory};
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// A volunteer register entry (003 六): the office keeps it, a case names its pairings from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct VolunteerId(pub i64);

/// One helper paired with the student: the card's «帮扶人责任姓名 / 上学期班级成绩 / 联系方式 /
/// 学号» (001 附件3), for 二级 the one-to-one volunteer of 003 五.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pairing {
    /// The register entry, when the helper is a registered volunteer.
    #[serde(default)]
    pub volunteer_id: Option<VolunteerId>,
    pub name: String,
    #[serde(default)]
    pub student_no: String,
    #[serde(default)]
    pub contact: String,
    /// 上学期班级成绩, e.g. `班级第3名`.
    #[serde(default)]
    pub last_term_result: String,
    pub paired_on: NaiveDate,
}

crate::kinds::choice!(
    /// How a case ended.
    CaseOutcome {
        /// 已转化: the difficulty is overcome.
        Resolved,
        /// 有所好转 but no longer needs a case.
        Improved,
        /// Moved to another category or school unit.
        Transferred,
        /// Graduated, left or suspended.
        Left,
        Other,
    }
);

/// The office's closing of a case; a closed case stays in the student's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseClosure {
    pub closed_on: NaiveDate,
    pub outcome: CaseOutcome,
    #[serde(default)]
    pub note: String,
}

/// 个人帮扶教育档案 / 学生帮扶教育记录卡: one student's assistance case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistanceCase {
    pub student_id: StudentId,
    pub category: AssistanceCategory,
    /// 003 五's level; academic cases only, and only when failed credits reach a line.
    #[serde(default)]
    pub level: Option<AcademicLevel>,
    pub opened_at: DateTime<FixedOffset>,
    /// The identification it comes from (`2025-2026-2`), if any.
    #[serde(default)]
    pub term: String,
    /// 依据: the working group's decision or the reason for opening it by hand.
    #[serde(default)]
    pub basis: String,
    /// 帮扶责任人: the head teacher and the counselor by name.
    #[serde(default)]
    pub head_teacher: String,
    #[serde(default)]
    pub counselor: String,
    /// 班级排名, as the card asks.
    #[serde(default)]
    pub class_rank: String,
    /// Peer helpers paired one to one.
    #[serde(default)]
    pub pairings: Vec<Pairing>,
    /// A staff help group of 3–5 (004 三(三)), by name; empty when none is formed.
    #[serde(default)]
    pub help_group: Vec<String>,
    #[serde(default)]
    pub closure: Option<CaseClosure>,
}

pub const PAIRINGS_MAX: usize = 10;
pub const HELP_GROUP_MIN: usize = 3;
pub const HELP_GROUP_MAX: usize = 5;

/// `2026-2027-1`: a school year and its semester, as terms are named here.
pub fn valid_term(term: &str) -> bool {
    let parts: Vec<&str> = term.split('-').collect();
    let year = |s: &str| s.len() == 4 && s.parse::<i32>().is_ok_and(|y| (1970..=9998).contains(&y));
    match parts.as_slice() {
        [a, b, n] => year(a) && year(b) && b.parse::<i32>().ok() == a.parse::<i32>().ok().map(|y| y + 1) && matches!(*n, "1" | "2"),
        _ => false,
    }
}

/// The term before `term`: `2026-2027-1` → `2025-2026-2`, the semester whose results a
/// semester's start identifies from.
pub fn previous_term(term: &str) -> Option<String> {
    if !valid_term(term) {
        return None;
    }
    let (year, n) = term.rsplit_once('-')?;
    let first: i32 = year.split('-').next()?.parse().ok()?;
    Some(match n {
        "2" => format!("{year}-1"),
        _ => format!("{}-{}-2", first - 1, first),
    })
}

impl AssistanceCase {
    pub fn is_open(&self) -> bool {
        self.closure.is_none()
    }
}

/// The students of the special archive (004 三(一): 特困、特殊) with no open case that has a help
/// group of 3–5 staff: 004 三(三) asks for one group per such student. What the office still has
/// to form, in roster order.
pub fn without_help_group<R: AsRef<crate::record::RecordEnvelope>>(roster: &crate::roster::RosterSnapshot, records: &[R]) -> Vec<StudentId> {
    let grouped: std::collections::BTreeSet<StudentId> = records
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| !r.deleted)
        .filter_map(|r| match &r.body {
            crate::record::RecordBody::AssistanceCase(c) if c.is_open() && !c.help_group.is_empty() => Some(c.student_id),
            _ => None,
        })
        .collect();
    roster.students.iter().filter(|s| s.archive.as_ref().is_some_and(|a| a.in_special_archive()) && !grouped.contains(&s.id)).map(|s| s.id).collect()
}

impl RecordKind for AssistanceCase {
    record_meta!("assistance_case", Student(student_id), opened_at);
    const OFFICE_ONLY: bool = true;

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        if self.opened_at > ctx.now + chrono::Duration::minutes(limits::FUTURE_SKEW_MINUTES) {
            errors.add("opened_at", "in_future", "lies in the future");
        }
        if self.level.is_some() && self.category != AssistanceCategory::Academic {
            errors.add("level", "not_academic", "only a case of academic difficulty has a level (003 五)");
        }
        if !self.term.is_empty() && !valid_term(&self.term) {
            errors.add("term", "bad_term", "must name a school year and semester, e.g. 2026-2027-1");
        }
        errors.text("basis", &self.basis, false, limits::SHORT_TEXT_MAX);
        errors.text("head_teacher", &self.head_teacher, false, limits::SHORT_TEXT_MAX);
        errors.text("counselor", &self.counselor, false, limits::SHORT_TEXT_MAX);
        errors.text("class_rank", &self.class_rank, false, limits::SHORT_TEXT_MAX);
        let opened_on = self.opened_at.date_naive();
        if self.pairings.len() > PAIRINGS_MAX {
            errors.add("pairings", "too_many", format!("at most {PAIRINGS_MAX} helpers"));
        }
        for (i, p) in self.pairings.iter().enumerate() {
            errors.text(&format!("pairings[{i}].name"), &p.name, true, limits::SHORT_TEXT_MAX);
            errors.text(&format!("pairings[{i}].student_no"), &p.student_no, false, crate::admin::limits::KEY_MAX);
            errors.text(&format!("pairings[{i}].contact"), &p.contact, false, limits::SHORT_TEXT_MAX);
            errors.text(&format!("pairings[{i}].last_term_result"), &p.last_term_result, false, limits::SHORT_TEXT_MAX);
            check_day(&mut errors, &format!("pairings[{i}].paired_on"), p.paired_on, ctx);
        }
        if !self.help_group.is_empty() && !(HELP_GROUP_MIN..=HELP_GROUP_MAX).contains(&self.help_group.len()) {
            errors.add("help_group", "group_size", format!("a help group has {HELP_GROUP_MIN} to {HELP_GROUP_MAX} members (004 三(三))"));
        }
        for (i, name) in self.help_group.iter().enumerate() {
            errors.text(&format!("help_group[{i}]"), name, true, limits::SHORT_TEXT_MAX);
        }
        if let Some(c) = &self.closure {
            check_day(&mut errors, "closure.closed_on", c.closed_on, ctx);
            if c.closed_on < opened_on {
                errors.add("closure.closed_on", "before_opened", "must not be before the case was opened");
            }
            errors.text("closure.note", &c.note, false, limits::NOTES_MAX);
        }
        errors
    }
}

crate::kinds::choice!(
    /// Which part of a case a note is.
    NotePart {
        /// 帮扶方案: the plan the people responsible draw up (001 五.2).
        Plan,
        /// 班主任效果评价: the semester's evaluation (001 附件3).
        Evaluation,
    }
);

/// The staff's part of a case: its plan, or a semester's evaluation. The latest plan is the
/// case's; every evaluation is kept, one a semester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistanceNote {
    pub student_id: StudentId,
    pub written_at: DateTime<FixedOffset>,
    pub part: NotePart,
    /// The semester an evaluation is of (`2026-2027-1`); empty for a plan.
    #[serde(default)]
    pub term: String,
    pub text: String,
}

impl RecordKind for AssistanceNote {
    record_meta!("assistance_note", Student(student_id), written_at);
    const ACTIVITIES: &'static [&'static str] = &["plan", "evaluation"];
    fn activity(&self) -> Option<u8> {
        NotePart::ALL.iter().position(|p| *p == self.part).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "written_at", self.written_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        match self.part {
            NotePart::Evaluation if !valid_term(&self.term) => errors.add("term", "bad_term", "an evaluation names its semester, e.g. 2026-2027-1"),
            NotePart::Plan if !self.term.is_empty() => errors.add("term", "unexpected", "a plan is not of one semester"),
            _ => {}
        }
        errors.text("text", &self.text, true, limits::NOTES_MAX);
        errors
    }
}

fn check_day(errors: &mut ValidationErrors, field: &str, day: NaiveDate, ctx: &ValidationContext) {
    if day > ctx.now.date_naive() + chrono::Duration::days(1) {
        errors.add(field, "in_future", "lies in the future");
    } else if !crate::school_time::in_calendar_range(day) {
        errors.add(field, "out_of_range", crate::school_time::out_of_range_message());
    }
}

/// The longest session a volunteer's hours count for.
pub const SESSION_MINUTES_MAX: u16 = 720;

/// One session of a peer volunteer with the student (003 六 «做好帮扶记录»), recorded by the
/// counselor who supervises the volunteers (003 四); its minutes add up to service hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerSession {
    pub student_id: StudentId,
    pub held_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub volunteer_id: Option<VolunteerId>,
    pub volunteer_name: String,
    pub minutes: u16,
    /// What they worked on.
    pub content: String,
}

impl RecordKind for VolunteerSession {
    record_meta!("volunteer_session", Student(student_id), held_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "held_at", self.held_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        errors.text("volunteer_name", &self.volunteer_name, true, limits::SHORT_TEXT_MAX);
        if self.minutes == 0 || self.minutes > SESSION_MINUTES_MAX {
            errors.add("minutes", "out_of_range", format!("must be between 1 and {SESSION_MINUTES_MAX} minutes"));
        }
        errors.text("content", &self.content, true, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};

    pub fn case() -> AssistanceCase {
        AssistanceCase {
            student_id: StudentId(1),
            category: AssistanceCategory::Academic,
            level: Some(AcademicLevel::Two),
            opened_at: now(),
            term: "2025-2026-2".into(),
            basis: "学业困难学生帮扶工作组 2026-09-10 会议".into(),
            head_teacher: "陈静".into(),
            counselor: "王芳".into(),
            class_rank: "38/40".into(),
            pairings: vec![Pairing {
                volunteer_id: Some(VolunteerId(1)),
                name: "李四".into(),
                student_no: "2023010102".into(),
                contact: "13800000000".into(),
                last_term_result: "班级第2名".into(),
                paired_on: now().date_naive(),
            }],
            help_group: vec![],
            closure: None,
        }
    }

    #[test]
    fn a_full_case_is_valid() {
        assert_eq!(codes(&case()), vec![]);
    }

    #[test]
    fn only_academic_cases_have_a_level_and_groups_have_three_to_five() {
        only(&AssistanceCase { category: AssistanceCategory::Hardship, ..case() }, "level", "not_academic");
        only(&AssistanceCase { help_group: vec!["甲".into(), "乙".into()], ..case() }, "help_group", "group_size");
        // The special archive's students each want a group: only an open case with one counts.
        let mut roster = crate::roster::tests::sample();
        roster.students[0].archive = Some(crate::StudentArchive { tier: Some(crate::ContactTier::Special), ..Default::default() });
        roster.students[1].archive = Some(crate::StudentArchive { economy: Some(crate::Economy::Hardship), ..Default::default() });
        let group = vec!["甲".to_string(), "乙".into(), "丙".into()];
        let env = |c: AssistanceCase| crate::record::RecordEnvelope::new(c.into(), UserId(9), "desk", now());
        let (first, second) = (roster.students[0].id, roster.students[1].id);
        let records = vec![
            env(AssistanceCase { student_id: first, help_group: group.clone(), ..case() }),
            env(AssistanceCase { student_id: second, help_group: vec![], ..case() }),
        ];
        assert_eq!(without_help_group(&roster, &records), vec![second]);
        let closed = vec![env(AssistanceCase {
            student_id: first,
            help_group: group,
            closure: Some(CaseClosure { closed_on: now().date_naive(), outcome: CaseOutcome::ALL[0], note: String::new() }),
            ..case()
        })];
        assert_eq!(without_help_group(&roster, &closed), vec![first, second], "a closed case's group helps no longer");
        let five = (0..5).map(|i| format!("老师{i}")).collect();
        assert_eq!(codes(&AssistanceCase { help_group: five, ..case() }), vec![]);
        only(&AssistanceCase { term: "2026-2028-1".into(), ..case() }, "term", "bad_term");
    }

    #[test]
    fn a_case_closes_after_it_opened_and_is_the_offices_alone() {
        let mut c = case();
        c.closure = Some(CaseClosure { closed_on: now().date_naive() - chrono::Duration::days(1), outcome: CaseOutcome::Resolved, note: String::new() });
        only(&c, "closure.closed_on", "before_opened");
        const { assert!(<AssistanceCase as RecordKind>::OFFICE_ONLY) };
        const { assert!(!<AssistanceNote as RecordKind>::OFFICE_ONLY) };
    }

    #[test]
    fn an_evaluation_names_its_semester_and_a_plan_none() {
        let note =
            AssistanceNote { student_id: StudentId(1), written_at: now(), part: NotePart::Evaluation, term: "2026-2027-1".into(), text: "有进步".into() };
        assert_eq!(codes(&note), vec![]);
        assert_eq!(note.activity(), Some(1));
        only(&AssistanceNote { term: "上学期".into(), ..note.clone() }, "term", "bad_term");
        only(&AssistanceNote { part: NotePart::Plan, ..note.clone() }, "term", "unexpected");
        only(&AssistanceNote { part: NotePart::Plan, term: String::new(), text: " ".into(), ..note }, "text", "required");
    }

    #[test]
    fn terms_are_a_school_year_and_a_semester() {
        assert!(valid_term("2026-2027-1"));
        assert!(valid_term("2025-2026-2"));
        assert_eq!(previous_term("2026-2027-1").as_deref(), Some("2025-2026-2"));
        assert_eq!(previous_term("2026-2027-2").as_deref(), Some("2026-2027-1"));
        assert_eq!(previous_term("上学期"), None);
        for bad in ["2026-2027-3", "2026-2026-1", "2026-2027", "26-27-1", "", "2026-2027-1-1"] {
            assert!(!valid_term(bad), "{bad}");
        }
    }

    #[test]
    fn a_session_needs_minutes_a_volunteer_and_content() {
        let session = VolunteerSession {
            student_id: StudentId(1),
            held_at: now(),
            volunteer_id: None,
            volunteer_name: "李四".into(),
            minutes: 90,
            content: "讲解高数第三章".into(),
        };
        assert_eq!(codes(&session), vec![]);
        only(&VolunteerSession { minutes: 0, ..session.clone() }, "minutes", "out_of_range");
        only(&VolunteerSession { minutes: 721, ..session.clone() }, "minutes", "out_of_range");
        only(&VolunteerSession { student_id: StudentId(99), ..session }, "student_id", "unknown_student");
    }
}

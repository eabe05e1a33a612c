//! Compliance for the office: the engine's duties counted per rule, per person and per
//! department, and the rows behind each number.

use super::calendar::{SchoolCalendar, Semester};
use super::engine::{Duty, DutyEngine, DutyStatus, Owner, Tally};
use super::rules::{Rule, RuleSet};
use crate::groups::{Club, PartyBranch};
use crate::ids::*;
use crate::record::Subject;
use crate::roster::{Class, Department, Room, RosterSnapshot, Student};
use crate::sorting::Order;
use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the phone needs to compute its own duties offline; it travels with the pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutySetup {
    pub rules: RuleSet,
    pub calendar: SchoolCalendar,
}

/// A person who owes duties, as the office report names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerInfo {
    pub owner: Owner,
    pub name: String,
    /// The department of the person's classes (the first one's), if any.
    pub department: Option<DepartmentId>,
}

/// One line of a compliance table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceRow {
    /// The rule id, user id or department id the row is about.
    pub key: String,
    pub label: String,
    pub tally: Tally,
    pub percent: f64,
}

/// Compliance at the end of one teaching week, for the chart over a semester.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPoint {
    pub week: u32,
    pub date: NaiveDate,
    pub tally: Tally,
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceReport {
    /// The day the duties were computed for.
    pub date: NaiveDate,
    pub rules_version: u32,
    /// The semester of `date`, if it lies in one.
    pub semester: Option<String>,
    pub total: ComplianceRow,
    pub by_rule: Vec<ComplianceRow>,
    pub by_owner: Vec<ComplianceRow>,
    pub by_department: Vec<ComplianceRow>,
    /// One point per teaching week so far (may be empty when not asked for).
    #[serde(default)]
    pub weekly: Vec<WeekPoint>,
}

fn row(key: String, label: String, tally: Tally) -> ComplianceRow {
    ComplianceRow { key, label, percent: tally.compliance_percent(), tally }
}

impl ComplianceReport {
    /// Counts the duties by rule (in the rules' order), by person and by department (by name).
    pub fn build(date: NaiveDate, setup: &DutySetup, duties: &[Duty], people: &[OwnerInfo], departments: &[Department]) -> ComplianceReport {
        let mut by_rule: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut by_owner: BTreeMap<UserId, Tally> = BTreeMap::new();
        let mut by_department: BTreeMap<Option<DepartmentId>, Tally> = BTreeMap::new();
        let department_of: BTreeMap<UserId, Option<DepartmentId>> = people.iter().map(|p| (p.owner.user, p.department)).collect();
        let mut total = Tally::default();
        for d in duties {
            total.add(d.status);
            by_rule.entry(d.rule_id.as_str()).or_default().add(d.status);
            by_owner.entry(d.owner).or_default().add(d.status);
            by_department.entry(department_of.get(&d.owner).copied().flatten()).or_default().add(d.status);
        }
        let rules = &setup.rules.rules;
        let rule_rows = rules.iter().filter_map(|r: &Rule| by_rule.get(r.id.as_str()).map(|t| row(r.id.clone(), r.title.clone(), *t))).collect();
        let mut owner_rows: Vec<ComplianceRow> =
            people.iter().filter_map(|p| by_owner.get(&p.owner.user).map(|t| row(p.owner.user.to_string(), p.name.clone(), *t))).collect();
        owner_rows.order_by(|a, b| a.percent.total_cmp(&b.percent).then_with(|| a.label.cmp(&b.label)));
        let mut department_rows: Vec<ComplianceRow> = by_department
            .iter()
            .map(|(id, t)| {
                let name = id.and_then(|id| departments.iter().find(|d| d.id == id)).map_or_else(|| "—".to_string(), |d| d.name.clone());
                row(id.map_or_else(String::new, |i| i.to_string()), name, *t)
            })
            .collect();
        department_rows.order_by(|a, b| a.label.cmp(&b.label));
        ComplianceReport {
            date,
            rules_version: setup.rules.version,
            semester: setup.calendar.semester_on(date).map(|s| s.name.clone()),
            total: row("all".into(), "全部".into(), total),
            by_rule: rule_rows,
            by_owner: owner_rows,
            by_department: department_rows,
            weekly: Vec::new(),
        }
    }
}

/// Which duties a drill-down asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct DutyFilter {
    pub rule: Option<String>,
    pub owner: Option<UserId>,
    pub department: Option<DepartmentId>,
    pub status: Option<DutyStatus>,
}

impl DutyFilter {
    pub fn admits(&self, duty: &Duty, department_of: impl Fn(UserId) -> Option<DepartmentId>) -> bool {
        self.rule.as_deref().is_none_or(|r| r == duty.rule_id)
            && self.owner.is_none_or(|o| o == duty.owner)
            && self.status.is_none_or(|s| s == duty.status)
            && self.department.is_none_or(|d| department_of(duty.owner) == Some(d))
    }
}

/// A duty as a row for people: the names of whom it is about and who owes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRow {
    pub duty: Duty,
    pub owner_name: String,
    /// `3-214`, `2023级1班`, `张三 (2023001)`; empty for per-person duties.
    pub subject_label: String,
    pub rule_title: String,
}

impl DutyRow {
    /// Names a duty: its rule's title from `rules` (the id, for a rule no longer there).
    pub fn new(duty: Duty, owner_name: &str, labels: &SubjectLabels, rules: &RuleSet) -> DutyRow {
        let rule_title = rules.rule(&duty.rule_id).map_or_else(|| duty.rule_id.clone(), |r| r.title.clone());
        DutyRow { subject_label: labels.label(duty.subject), owner_name: owner_name.to_string(), rule_title, duty }
    }
}

impl WeekPoint {
    /// Compliance at the end (Sunday) of each teaching week of `semester` that has ended by
    /// `date`: the chart of how the semester went. The engine ignores records after each day.
    pub fn series(engine: &DutyEngine, owners: &[Owner], semester: &Semester, date: NaiveDate) -> Vec<WeekPoint> {
        (1..=u32::from(semester.teaching_weeks))
            .map(|week| (week, (semester.first_monday() + Duration::weeks(i64::from(week)) - Duration::days(1)).min(semester.end)))
            .take_while(|(_, sunday)| *sunday <= date)
            .map(|(week, sunday)| {
                let tally = Tally::of(&engine.duties_of_all(owners, sunday));
                WeekPoint { week, date: sunday, tally, percent: tally.compliance_percent() }
            })
            .collect()
    }
}

/// The subject of a duty for people, from a roster that holds it.
pub fn subject_label(subject: Subject, roster: &RosterSnapshot) -> String {
    label(subject, roster)
}

/// A roster indexed by id, for naming many duties at once (a drill-down, an export): the plain
/// roster finds each entry by a scan.
pub struct SubjectLabels<'a> {
    rooms: FxHashMap<RoomId, &'a Room>,
    classes: FxHashMap<ClassId, &'a Class>,
    students: FxHashMap<StudentId, &'a Student>,
    clubs: FxHashMap<ClubId, &'a Club>,
    branches: FxHashMap<BranchId, &'a PartyBranch>,
}

impl<'a> SubjectLabels<'a> {
    pub fn new(roster: &'a RosterSnapshot) -> Self {
        SubjectLabels {
            rooms: roster.rooms.iter().map(|r| (r.id, r)).collect(),
            classes: roster.classes.iter().map(|c| (c.id, c)).collect(),
            students: roster.students.iter().map(|s| (s.id, s)).collect(),
            clubs: roster.clubs.iter().map(|c| (c.id, c)).collect(),
            branches: roster.branches.iter().map(|b| (b.id, b)).collect(),
        }
    }

    /// The same words as [`subject_label`].
    pub fn label(&self, subject: Subject) -> String {
        label(subject, self)
    }
}

/// Where a label's names come from.
trait Names {
    fn room(&self, id: RoomId) -> Option<&Room>;
    fn class(&self, id: ClassId) -> Option<&Class>;
    fn student(&self, id: StudentId) -> Option<&Student>;
    fn club(&self, id: ClubId) -> Option<&Club>;
    fn branch(&self, id: BranchId) -> Option<&PartyBranch>;
}

impl Names for RosterSnapshot {
    fn room(&self, id: RoomId) -> Option<&Room> {
        RosterSnapshot::room(self, id)
    }
    fn class(&self, id: ClassId) -> Option<&Class> {
        RosterSnapshot::class(self, id)
    }
    fn student(&self, id: StudentId) -> Option<&Student> {
        RosterSnapshot::student(self, id)
    }
    fn club(&self, id: ClubId) -> Option<&Club> {
        RosterSnapshot::club(self, id)
    }
    fn branch(&self, id: BranchId) -> Option<&PartyBranch> {
        RosterSnapshot::branch(self, id)
    }
}

impl Names for SubjectLabels<'_> {
    fn room(&self, id: RoomId) -> Option<&Room> {
        self.rooms.get(&id).copied()
    }
    fn class(&self, id: ClassId) -> Option<&Class> {
        self.classes.get(&id).copied()
    }
    fn student(&self, id: StudentId) -> Option<&Student> {
        self.students.get(&id).copied()
    }
    fn club(&self, id: ClubId) -> Option<&Club> {
        self.clubs.get(&id).copied()
    }
    fn branch(&self, id: BranchId) -> Option<&PartyBranch> {
        self.branches.get(&id).copied()
    }
}

fn label(subject: Subject, names: &impl Names) -> String {
    match subject {
        Subject::Room(r) => names.room(r).map(|r| r.number.clone()),
        Subject::Class(c) => names.class(c).map(|c| c.name.clone()),
        Subject::Student(s) => names.student(s).map(|s| format!("{} ({})", s.name, s.student_no)),
        Subject::Club(c) => names.club(c).map(|c| c.name.clone()),
        Subject::Branch(b) => names.branch(b).map(|b| b.name.clone()),
        Subject::Own => Some(String::new()),
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::calendar::{demo_calendar, DateSpan};
    use crate::duties::engine::Owner;
    use crate::duties::rules::default_rules;
    use crate::roster::Role;

    fn duty(rule: &str, owner: i64, status: DutyStatus) -> Duty {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        Duty {
            rule_id: rule.into(),
            owner: UserId(owner),
            subject: Subject::Own,
            status,
            done: 0,
            required: 1,
            window: DateSpan::new(on, on),
            due: on,
            last_done: None,
            pending: vec![],
        }
    }

    #[test]
    fn the_report_counts_by_rule_person_and_department() {
        let setup = DutySetup { rules: RuleSet { version: 3, rules: default_rules() }, calendar: demo_calendar() };
        let person = |id, name: &str, dept| OwnerInfo {
            owner: Owner { user: UserId(id), role: Role::Counselor, classes: vec![], links: vec![], leadership: false },
            name: name.into(),
            department: Some(DepartmentId(dept)),
        };
        let people = [person(1, "王老师", 1), person(2, "李老师", 2)];
        let departments = [Department { id: DepartmentId(1), name: "计算机学院".into() }, Department { id: DepartmentId(2), name: "外国语学院".into() }];
        let duties = [
            duty("dorm-check", 1, DutyStatus::Overdue),
            duty("dorm-check", 1, DutyStatus::Upcoming),
            duty("class-check", 2, DutyStatus::Met),
            duty("dorm-check", 2, DutyStatus::Met),
        ];
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let r = ComplianceReport::build(date, &setup, &duties, &people, &departments);
        assert_eq!((r.total.tally.total(), r.total.tally.overdue, r.total.percent), (4, 1, 75.0));
        assert_eq!(r.by_rule.iter().map(|r| (r.key.as_str(), r.percent)).collect::<Vec<_>>(), vec![("dorm-check", 200.0 / 3.0), ("class-check", 100.0)]);
        assert_eq!(r.by_owner[0].label, "王老师", "the least compliant first");
        assert_eq!(r.by_department.iter().map(|d| d.label.as_str()).collect::<Vec<_>>(), vec!["外国语学院", "计算机学院"]);
        assert_eq!(r.semester.as_deref(), Some("2026–2027 第一学期"));
        let overdue = DutyFilter { status: Some(DutyStatus::Overdue), department: Some(DepartmentId(1)), ..Default::default() };
        assert_eq!(duties.iter().filter(|d| overdue.admits(d, |u| Some(DepartmentId(u.0)))).count(), 1);
    }

    #[test]
    fn indexed_labels_read_as_the_plain_ones() {
        let roster = crate::roster::tests::sample();
        let labels = SubjectLabels::new(&roster);
        let subjects = [
            Subject::Room(RoomId(2)),
            Subject::Class(ClassId(1)),
            Subject::Student(StudentId(3)),
            Subject::Club(ClubId(1)),
            Subject::Branch(BranchId(1)),
            Subject::Own,
            Subject::Student(StudentId(99)),
        ];
        for s in subjects {
            assert_eq!(labels.label(s), subject_label(s, &roster), "{s:?}");
        }
        assert_eq!(labels.label(Subject::Student(StudentId(3))), "学生3 (20230103)");
        assert_eq!(labels.label(Subject::Room(RoomId(2))), "1-102");
    }

    #[test]
    fn a_point_for_every_teaching_week_ended() {
        let roster = crate::roster::tests::sample();
        let calendar = demo_calendar();
        let rules = default_rules();
        let engine = DutyEngine::new(&rules, &calendar, &roster, std::iter::empty());
        let owners = [Owner { user: UserId(1), role: Role::Counselor, classes: vec![ClassId(1)], links: vec![], leadership: false }];
        let semester = &calendar.semesters[0];
        // Weeks 1 to 3 end on 13, 20 and 27 September; the fourth has not ended on the 30th.
        let points = WeekPoint::series(&engine, &owners, semester, NaiveDate::from_ymd_opt(2026, 9, 30).expect("a date"));
        let days: Vec<u32> = points.iter().map(|p| chrono::Datelike::day(&p.date)).collect();
        assert_eq!(days, vec![13, 20, 27]);
        assert_eq!(points.iter().map(|p| p.week).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(points.iter().all(|p| p.tally.total() > 0 && p.percent == p.tally.compliance_percent()));
    }
}

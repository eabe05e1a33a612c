//! The issue ledger (问题台账, 002 四(三)) read from its records: where each issue stands (folded
//! from its steps), who may take the next step, when it is due, and the office's ledger and the
//! yearly report on leaders' and teachers' contact work (002 四(五)).
//!
//! 002 asks only that 学生处 «及时解决落实，做好反馈»: the days an issue may take are the office's
//! choice per category ([`IssueDueDays`]), shown as such wherever they are used.

use crate::ids::*;
use crate::kinds::issue::{IssueAction, IssueCategory, IssueStatus, IssueStep, StudentIssue};
use crate::record::{RecordBody, RecordEnvelope, RecordKind, Subject};
use crate::roster::RosterSnapshot;
use crate::sorting::Order;
use crate::validate::ValidationErrors;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Where an issue stands, folded from its steps in the order they were taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueState {
    pub status: IssueStatus,
    /// The unit it is with (承办单位), from the last assignment.
    pub unit: String,
    pub assignee_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub resolution: String,
    pub resolved_at: Option<DateTime<FixedOffset>>,
    /// What the raiser was told.
    pub feedback: String,
    pub fed_back_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// How often the raiser sent it back.
    pub reopened: u32,
    /// Everyone it was ever assigned to: each stays in its thread.
    pub assignees: Vec<UserId>,
}

impl Default for IssueState {
    /// Raised, nothing done yet.
    fn default() -> Self {
        IssueState {
            status: IssueStatus::Open,
            unit: String::new(),
            assignee_id: None,
            due_on: None,
            resolution: String::new(),
            resolved_at: None,
            feedback: String::new(),
            fed_back_at: None,
            closed_at: None,
            reopened: 0,
            assignees: Vec::new(),
        }
    }
}

impl IssueState {
    /// The state after `steps`, taken in the order of `taken_at` (ties by id, so every device
    /// folds the same list the same way).
    pub fn of<'a>(steps: impl IntoIterator<Item = (&'a Uuid, &'a IssueStep)>) -> IssueState {
        let mut steps: Vec<(&Uuid, &IssueStep)> = steps.into_iter().collect();
        steps.order_by_key(|(id, s)| (s.taken_at, **id));
        let mut state = IssueState::default();
        for (_, step) in steps {
            state.apply(step);
        }
        state
    }

    /// One step's effect. Unconditional: whether it could be taken was decided when it arrived
    /// ([`may_take`]); a step saved offline and folded late still lands where it says.
    pub fn apply(&mut self, step: &IssueStep) {
        match step.action {
            IssueAction::Assign => {
                self.status = IssueStatus::Assigned;
                self.unit = step.unit.trim().to_string();
                self.assignee_id = step.assignee_id;
                self.due_on = step.due_on;
                if let Some(a) = step.assignee_id {
                    if !self.assignees.contains(&a) {
                        self.assignees.push(a);
                    }
                }
            }
            IssueAction::Progress => {}
            IssueAction::Resolve => {
                self.status = IssueStatus::Resolved;
                self.resolution = step.text.clone();
                self.resolved_at = Some(step.taken_at);
            }
            IssueAction::FeedBack => {
                self.status = IssueStatus::FedBack;
                self.feedback = step.text.clone();
                self.fed_back_at = Some(step.taken_at);
            }
            IssueAction::Confirm => {
                self.status = IssueStatus::Closed;
                self.closed_at = Some(step.taken_at);
            }
            IssueAction::Reopen => {
                self.reopened += 1;
                self.closed_at = None;
                self.status = if self.unit.is_empty() && self.assignee_id.is_none() { IssueStatus::Open } else { IssueStatus::Assigned };
            }
        }
    }

    /// Still waiting for someone to resolve it.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, IssueStatus::Open | IssueStatus::Assigned)
    }

    /// The day it must be resolved by: the assignment's, or before it is assigned the raise
    /// day plus the office's default for its category.
    pub fn due(&self, issue: &StudentIssue, raised_on: NaiveDate, defaults: &IssueDueDays) -> NaiveDate {
        self.due_on.unwrap_or_else(|| raised_on + Duration::days(i64::from(defaults.days_for(issue.category))))
    }
}

/// How someone stands to an issue; a person may be several at once (an office member raising one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actor {
    pub raiser: bool,
    /// The person it is assigned to now.
    pub assignee: bool,
    /// 学生处 (the office and administrators).
    pub office: bool,
}

/// Why a step may not be taken: a stable code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRefusal {
    pub code: &'static str,
    pub message: &'static str,
}

/// Who may take which step, and when:
/// - assign: the office, until the issue is closed (reassigning included);
/// - progress note: the raiser, the assignee or the office, until closed;
/// - resolve: the assignee or the office, while it is open or assigned;
/// - feed back: the office, once resolved (the office tells the raiser);
/// - confirm or reopen: the raiser, once told.
pub fn may_take(state: &IssueState, action: IssueAction, actor: Actor) -> Result<(), StepRefusal> {
    use IssueAction as A;
    use IssueStatus as S;
    let who_ok = match action {
        A::Assign | A::FeedBack => actor.office,
        A::Progress => actor.office || actor.raiser || actor.assignee,
        A::Resolve => actor.office || actor.assignee,
        A::Confirm | A::Reopen => actor.raiser,
    };
    if !who_ok {
        let message = match action {
            A::Assign => "only the student-affairs office assigns an issue (学生处)",
            A::FeedBack => "only the student-affairs office feeds the answer back",
            A::Resolve => "only the person it is assigned to, or the office, resolves it",
            A::Confirm | A::Reopen => "only whoever raised the issue confirms or reopens it",
            A::Progress => "only the raiser, the person it is assigned to and the office write in its thread",
        };
        return Err(StepRefusal { code: "not_yours", message });
    }
    let when_ok = match action {
        A::Assign | A::Progress => state.status != S::Closed,
        A::Resolve => state.is_pending(),
        A::FeedBack => state.status == S::Resolved,
        A::Confirm | A::Reopen => state.status == S::FedBack,
    };
    if !when_ok {
        let message = match action {
            A::Assign | A::Progress => "the issue is closed",
            A::Resolve => "the issue is already resolved",
            A::FeedBack => "feed back once the issue is resolved",
            A::Confirm | A::Reopen => "the raiser answers once the office has fed back",
        };
        return Err(StepRefusal { code: "wrong_status", message });
    }
    Ok(())
}

/// The steps one may take now, in the order a page offers them.
pub fn next_steps(state: &IssueState, actor: Actor) -> Vec<IssueAction> {
    IssueAction::ALL.iter().copied().filter(|a| may_take(state, *a, actor).is_ok()).collect()
}

/// The office's default days per category before an issue must be resolved (002 says
/// «及时»: the numbers are the office's, not the regulation's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueDueDays {
    pub days: Vec<CategoryDays>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryDays {
    pub category: IssueCategory,
    pub days: u32,
}

/// An issue may be given at most a school year.
pub const MAX_DUE_DAYS: u32 = 365;

impl Default for IssueDueDays {
    /// A hazard within a day (000 二(六)2 «及时…汇报»), dorm, canteen and daily life within
    /// three, study, money and the rest within a week.
    fn default() -> Self {
        use IssueCategory::*;
        let days = [(Safety, 1), (Dormitory, 3), (Canteen, 3), (Life, 3), (Study, 7), (Finance, 7), (Other, 7)];
        IssueDueDays { days: days.into_iter().map(|(category, days)| CategoryDays { category, days }).collect() }
    }
}

impl IssueDueDays {
    pub fn days_for(&self, category: IssueCategory) -> u32 {
        self.days.iter().find(|d| d.category == category).map_or(7, |d| d.days)
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, d) in self.days.iter().enumerate() {
            if !(1..=MAX_DUE_DAYS).contains(&d.days) {
                errors.add(format!("days[{i}].days"), "out_of_range", format!("between 1 and {MAX_DUE_DAYS} days"));
            }
            if !seen.insert(d.category as u8) {
                errors.add(format!("days[{i}].category"), "duplicate", "each category once");
            }
        }
        for c in IssueCategory::ALL {
            if !self.days.iter().any(|d| d.category == *c) {
                errors.add("days", "missing", format!("no days for {c:?}"));
            }
        }
        errors
    }
}

impl crate::admin::AdminInput for IssueDueDays {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        IssueDueDays::validate(self)
    }
}

/// An issue's record and its steps (with their record ids).
pub type Thread<'a> = (&'a RecordEnvelope, Vec<(&'a Uuid, &'a IssueStep)>);

/// The issues in a set of records with their steps, by issue id: what the phone folds from its
/// store and the server from the database.
pub fn threads<R: AsRef<RecordEnvelope>>(records: &[R]) -> BTreeMap<Uuid, Thread<'_>> {
    let mut issues: BTreeMap<Uuid, Thread<'_>> = BTreeMap::new();
    let mut steps: Vec<(&Uuid, &IssueStep)> = Vec::new();
    for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
        match &r.body {
            RecordBody::StudentIssue(_) => {
                issues.insert(r.id, (r, Vec::new()));
            }
            RecordBody::IssueStep(s) => steps.push((&r.id, s)),
            _ => {}
        }
    }
    for (id, step) in steps {
        if let Some((_, list)) = issues.get_mut(&step.issue_id) {
            list.push((id, step));
        }
    }
    issues
}

/// Where each issue in `records` stands.
pub fn states<R: AsRef<RecordEnvelope>>(records: &[R]) -> BTreeMap<Uuid, IssueState> {
    threads(records).into_iter().map(|(id, (_, steps))| (id, IssueState::of(steps))).collect()
}

/// The department (院系) an issue belongs to in the ledger: its student's or class's; a room's is
/// the department most of its residents study in.
pub fn department_of(issue: &StudentIssue, roster: &RosterSnapshot) -> Option<DepartmentId> {
    let of_class = |c: ClassId| roster.class(c).map(|c| c.department_id);
    match issue.subject() {
        Subject::Student(s) => roster.student(s).and_then(|s| of_class(s.class_id)),
        Subject::Class(c) => of_class(c),
        Subject::Room(r) => {
            let mut count: BTreeMap<DepartmentId, usize> = BTreeMap::new();
            for (_, s) in roster.residents(r) {
                if let Some(d) = of_class(s.class_id) {
                    *count.entry(d).or_default() += 1;
                }
            }
            // The most residents; on a tie the first department.
            count.into_iter().rev().max_by_key(|(_, n)| *n).map(|(d, _)| d)
        }
        _ => None,
    }
}

/// The office's filters on the ledger (`GET /api/v1/ledger`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct LedgerQuery {
    #[serde(default)]
    pub status: Option<IssueStatus>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub category: Option<IssueCategory>,
    /// Only the ones past their due date and not yet resolved.
    #[serde(default)]
    pub overdue: Option<bool>,
    /// Raised on or after this day.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Raised on or before this day.
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// A step as the ledger shows it: with who took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerStep {
    pub id: Uuid,
    pub author_id: UserId,
    pub author_name: String,
    pub step: IssueStep,
}

/// One issue in the office's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    pub id: Uuid,
    pub raised_by: UserId,
    pub raised_by_name: String,
    /// The student, class or room in words (`张三 · 计科2023-1`, `3-214`), empty for none.
    pub subject_name: String,
    pub department_id: Option<DepartmentId>,
    pub department_name: String,
    pub issue: StudentIssue,
    pub state: IssueState,
    pub assignee_name: String,
    pub raised_on: NaiveDate,
    pub due_on: NaiveDate,
    /// The due date is the office's default for the category (no assignment yet).
    pub due_is_default: bool,
    pub overdue: bool,
    /// Days since it was raised.
    pub age_days: i64,
    pub steps: Vec<LedgerStep>,
}

/// `GET /api/v1/ledger`: the entries, newest first, and the defaults they were dated with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub today: NaiveDate,
    pub due_days: IssueDueDays,
    pub entries: Vec<LedgerEntry>,
}

/// What the ledger needs besides the records: the roster, staff names and the office's defaults.
pub struct LedgerContext<'a, Z: TimeZone> {
    pub roster: &'a RosterSnapshot,
    pub names: &'a HashMap<UserId, String>,
    pub due_days: &'a IssueDueDays,
    pub today: NaiveDate,
    pub zone: &'a Z,
}

impl<Z: TimeZone> LedgerContext<'_, Z> {
    fn name(&self, id: UserId) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| format!("#{}", id.0))
    }

    fn subject_name(&self, issue: &StudentIssue) -> String {
        let class = |c: ClassId| self.roster.class(c).map(|c| c.name.clone()).unwrap_or_default();
        match issue.subject() {
            Subject::Student(s) => match self.roster.student(s) {
                Some(st) => format!("{} · {}", st.name, class(st.class_id)),
                None => String::new(),
            },
            Subject::Class(c) => class(c),
            Subject::Room(r) => self.roster.room(r).map(|room| room.number.clone()).unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The ledger of `records` (issues and steps; anything else is ignored) under `query`,
    /// newest first.
    pub fn entries<R: AsRef<RecordEnvelope>>(&self, records: &[R], query: &LedgerQuery) -> Vec<LedgerEntry> {
        // Who took each step, by its record id (looked up once, not per step over every record).
        let authors: HashMap<Uuid, UserId> = records.iter().map(AsRef::as_ref).map(|r| (r.id, r.author_id)).collect();
        let mut entries: Vec<LedgerEntry> = threads(records)
            .into_iter()
            .filter_map(|(id, (env, steps))| {
                let RecordBody::StudentIssue(issue) = &env.body else { return None };
                let state = IssueState::of(steps.iter().copied());
                let raised_on = issue.raised_at.with_timezone(self.zone).date_naive();
                let due_on = state.due(issue, raised_on, self.due_days);
                let overdue = state.is_pending() && self.today > due_on;
                let department_id = department_of(issue, self.roster);
                let keep = query.status.is_none_or(|s| s == state.status)
                    && query.category.is_none_or(|c| c == issue.category)
                    && query.department_id.is_none_or(|d| Some(d) == department_id)
                    && query.overdue.is_none_or(|o| o == overdue)
                    && query.from.is_none_or(|f| raised_on >= f)
                    && query.to.is_none_or(|t| raised_on <= t);
                if !keep {
                    return None;
                }
                let mut steps: Vec<LedgerStep> = steps
                    .iter()
                    .filter_map(|(step_id, step)| {
                        let author_id = *authors.get(*step_id)?;
                        Some(LedgerStep { id: **step_id, author_id, author_name: self.name(author_id), step: (*step).clone() })
                    })
                    .collect();
                steps.order_by_key(|s| (s.step.taken_at, s.id));
                Some(LedgerEntry {
                    id,
                    raised_by: env.author_id,
                    raised_by_name: self.name(env.author_id),
                    subject_name: self.subject_name(issue),
                    department_id,
                    department_name: department_id.and_then(|d| self.roster.departments.iter().find(|x| x.id == d)).map(|d| d.name.clone()).unwrap_or_default(),
                    issue: issue.clone(),
                    assignee_name: state.assignee_id.map(|a| self.name(a)).unwrap_or_default(),
                    due_is_default: state.due_on.is_none(),
                    state,
                    raised_on,
                    due_on,
                    overdue,
                    age_days: (self.today - raised_on).num_days(),
                    steps,
                })
            })
            .collect();
        entries.order_by(|a, b| b.issue.raised_at.cmp(&a.issue.raised_at).then(a.id.cmp(&b.id)));
        entries
    }
}

/// One leader's or teacher's year of contact work (002 四(五)): what they recorded, by kind, and
/// the issues they raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactWorkRow {
    pub user_id: UserId,
    pub name: String,
    /// Classes, rooms, clubs and branches they are linked to.
    pub links: u32,
    /// Records per kind, in the order of [`ContactWorkReport::kinds`].
    pub records: Vec<u32>,
    pub issues_raised: u32,
    /// Of those, closed with the raiser's confirmation.
    pub issues_closed: u32,
}

/// `GET /api/v1/ledger/contact-report?school_year=`: the yearly report the office writes up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactWorkReport {
    pub school_year: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The kinds counted: what leaders write (002 三).
    pub kinds: Vec<String>,
    pub rows: Vec<ContactWorkRow>,
}

/// The kinds a leader's contact work is made of (002 三(一)–(五)).
pub const CONTACT_WORK_KINDS: &[&str] = &["dorm_visit", "class_attendance", "lecture_visit", "branch_activity", "club_activity"];

/// The report over `records` for the staff in `people` (id, name, number of links), counting
/// what they wrote on the days of `span`.
pub fn contact_work_report<R: AsRef<RecordEnvelope>, Z: TimeZone>(
    records: &[R],
    people: &[(UserId, String, u32)],
    school_year: &str,
    span: crate::duties::calendar::DateSpan,
    zone: &Z,
) -> ContactWorkReport {
    let states = states(records);
    let index: HashMap<UserId, usize> = people.iter().enumerate().map(|(i, (id, _, _))| (*id, i)).collect();
    let mut rows: Vec<ContactWorkRow> = people
        .iter()
        .map(|(id, name, links)| ContactWorkRow {
            user_id: *id,
            name: name.clone(),
            links: *links,
            records: vec![0; CONTACT_WORK_KINDS.len()],
            issues_raised: 0,
            issues_closed: 0,
        })
        .collect();
    for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
        let Some(&i) = index.get(&r.author_id) else { continue };
        if !span.contains(r.body.occurred_at().with_timezone(zone).date_naive()) {
            continue;
        }
        if let Some(k) = CONTACT_WORK_KINDS.iter().position(|k| *k == r.body.kind()) {
            rows[i].records[k] += 1;
        }
        if matches!(r.body, RecordBody::StudentIssue(_)) {
            rows[i].issues_raised += 1;
            if states.get(&r.id).is_some_and(|s| s.status == IssueStatus::Closed) {
                rows[i].issues_closed += 1;
            }
        }
    }
    ContactWorkReport {
        school_year: school_year.to_string(),
        start: span.start,
        end: span.end,
        kinds: CONTACT_WORK_KINDS.iter().map(|k| k.to_string()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::issue::{IssueAction as A, IssueStatus as S};

    fn at(day: u32) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T10:00:00+08:00")).unwrap()
    }

    fn step(action: IssueAction, day: u32) -> IssueStep {
        IssueStep {
            issue_id: Uuid::nil(),
            taken_at: at(day),
            action,
            unit: if action == A::Assign { "后勤保障处".into() } else { String::new() },
            assignee_id: (action == A::Assign).then_some(UserId(7)),
            due_on: (action == A::Assign).then(|| at(day).date_naive() + Duration::days(3)),
            text: "说明".into(),
        }
    }

    fn fold(steps: &[IssueStep]) -> IssueState {
        let ids: Vec<Uuid> = (0..steps.len()).map(|i| Uuid::from_u128(i as u128 + 1)).collect();
        IssueState::of(ids.iter().zip(steps))
    }

    const OFFICE: Actor = Actor { raiser: false, assignee: false, office: true };
    const RAISER: Actor = Actor { raiser: true, assignee: false, office: false };
    const ASSIGNEE: Actor = Actor { raiser: false, assignee: true, office: false };
    const OTHER: Actor = Actor { raiser: false, assignee: false, office: false };

    #[test]
    fn an_issue_moves_from_open_to_closed_by_its_steps_in_the_order_taken() {
        assert_eq!(fold(&[]).status, S::Open);
        let assigned = fold(&[step(A::Assign, 2)]);
        assert_eq!((assigned.status, assigned.unit.as_str(), assigned.assignee_id), (S::Assigned, "后勤保障处", Some(UserId(7))));
        // Listed out of order (a step saved offline arrives late): folded by when it was taken.
        let s = fold(&[step(A::FeedBack, 5), step(A::Assign, 2), step(A::Resolve, 4)]);
        assert_eq!(s.status, S::FedBack);
        assert_eq!(fold(&[step(A::Assign, 2), step(A::Resolve, 4), step(A::FeedBack, 5), step(A::Confirm, 6)]).status, S::Closed);
        let reopened = fold(&[step(A::Assign, 2), step(A::Resolve, 4), step(A::FeedBack, 5), step(A::Reopen, 6)]);
        assert_eq!((reopened.status, reopened.reopened), (S::Assigned, 1), "back to whoever has it");
        assert_eq!(fold(&[step(A::Resolve, 4), step(A::FeedBack, 5), step(A::Reopen, 6)]).status, S::Open, "never assigned: back to the office");
    }

    #[test]
    fn the_office_assigns_and_feeds_back_the_assignee_resolves_the_raiser_answers() {
        let open = fold(&[]);
        assert!(may_take(&open, A::Assign, OFFICE).is_ok());
        assert_eq!(may_take(&open, A::Assign, RAISER).map_err(|e| e.code), Err("not_yours"));
        assert_eq!(may_take(&open, A::Resolve, OTHER).map_err(|e| e.code), Err("not_yours"));
        assert!(may_take(&open, A::Resolve, OFFICE).is_ok(), "the office may answer at once");
        assert!(may_take(&open, A::Progress, RAISER).is_ok());
        assert_eq!(may_take(&open, A::Progress, OTHER).map_err(|e| e.code), Err("not_yours"));

        let assigned = fold(&[step(A::Assign, 2)]);
        assert!(may_take(&assigned, A::Resolve, ASSIGNEE).is_ok());
        assert_eq!(may_take(&assigned, A::FeedBack, OFFICE).map_err(|e| e.code), Err("wrong_status"));
        assert_eq!(may_take(&assigned, A::Confirm, RAISER).map_err(|e| e.code), Err("wrong_status"));

        let resolved = fold(&[step(A::Assign, 2), step(A::Resolve, 3)]);
        assert_eq!(may_take(&resolved, A::FeedBack, ASSIGNEE).map_err(|e| e.code), Err("not_yours"));
        assert!(may_take(&resolved, A::FeedBack, OFFICE).is_ok());
        assert_eq!(may_take(&resolved, A::Resolve, ASSIGNEE).map_err(|e| e.code), Err("wrong_status"));

        let told = fold(&[step(A::Assign, 2), step(A::Resolve, 3), step(A::FeedBack, 4)]);
        assert_eq!(next_steps(&told, RAISER), vec![A::Progress, A::Confirm, A::Reopen]);
        assert_eq!(may_take(&told, A::Confirm, OFFICE).map_err(|e| e.code), Err("not_yours"), "the raiser's word, not the office's");

        let closed = fold(&[step(A::Assign, 2), step(A::Resolve, 3), step(A::FeedBack, 4), step(A::Confirm, 5)]);
        assert_eq!(next_steps(&closed, Actor { raiser: true, assignee: true, office: true }), vec![]);
    }

    #[test]
    fn due_days_are_the_offices_and_cover_every_category_once() {
        let d = IssueDueDays::default();
        assert!(d.validate().is_empty());
        assert_eq!(d.days_for(IssueCategory::Safety), 1);
        let mut bad = d.clone();
        bad.days[0].days = 0;
        bad.days.pop();
        let codes: Vec<String> = bad.validate().0.into_iter().map(|e| e.code).collect();
        assert_eq!(codes, vec!["out_of_range", "missing"]);
    }

    #[test]
    fn an_unassigned_issue_is_due_by_its_categorys_default_and_overdue_after() {
        let roster = RosterSnapshot {
            departments: vec![crate::roster::Department { id: DepartmentId(1), name: "计算机学院".into() }],
            ..crate::roster::tests::sample()
        };
        let issue = StudentIssue {
            class_id: Some(ClassId(1)),
            student_id: None,
            room_id: None,
            raised_at: at(2),
            category: IssueCategory::Safety,
            description: "插线板冒烟".into(),
            raised_from: None,
        };
        let env = RecordEnvelope::new(issue.into(), UserId(3), "d", at(2));
        let names = HashMap::from([(UserId(3), "王老师".to_string())]);
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        let due_days = IssueDueDays::default();
        let ctx = LedgerContext { roster: &roster, names: &names, due_days: &due_days, today: at(4).date_naive(), zone: &zone };
        let entries = ctx.entries(std::slice::from_ref(&env), &LedgerQuery::default());
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!((e.due_on, e.due_is_default, e.overdue, e.age_days), (at(3).date_naive(), true, true, 2));
        assert_eq!((e.raised_by_name.as_str(), e.department_name.as_str(), e.subject_name.as_str()), ("王老师", "计算机学院", "计科2023-1"));
        assert!(ctx.entries(std::slice::from_ref(&env), &LedgerQuery { overdue: Some(false), ..Default::default() }).is_empty());
        assert!(ctx.entries(std::slice::from_ref(&env), &LedgerQuery { department_id: Some(DepartmentId(2)), ..Default::default() }).is_empty());
        assert_eq!(ctx.entries(&[env], &LedgerQuery { status: Some(S::Open), category: Some(IssueCategory::Safety), ..Default::default() }).len(), 1);
    }
}

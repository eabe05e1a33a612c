//! 问题台账 (002 四(三); 000 二(六)2): a problem staff learned of, raised into the ledger, and the
//! steps that move it: the office assigns it, the unit or person resolves it, the office feeds
//! the answer back, the raiser confirms or reopens it.
//!
//! The issue and each step are records of their own, each written by whoever took it. No record
//! is ever changed by anyone but its author, so the one pipeline's rule (an edit is the author's)
//! holds, nothing a phone saved offline can be overwritten, and the steps are the ledger's
//! history with who and when. Who may take which step is [`crate::ledger::may_take`].

use super::{check_class, check_room, choice};
use crate::ids::*;
use crate::record::{check_occurred_at, LinkedAccess, RecordBody, RecordKind, Subject, SubjectType, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

choice!(
    /// What an issue is about (002 四(三): 学习、生活、思想…; the ledger's columns).
    IssueCategory {
        Study,
        Life,
        Dormitory,
        Canteen,
        /// A safety hazard: reported to the office at once (000 二(六)2).
        Safety,
        Finance,
        Other,
    }
);

choice!(
    /// Where an issue stands; never written, always folded from its steps ([`crate::ledger::IssueState`]).
    IssueStatus {
        /// Raised; the office has not assigned it yet.
        Open,
        /// With a unit or a person, due by a date.
        Assigned,
        /// Resolved; the office has still to tell the raiser.
        Resolved,
        /// The answer is with the raiser, who confirms it or reopens the issue.
        FedBack,
        /// The raiser confirmed the answer.
        Closed,
    }
);

/// The record an issue came from: a dorm visit's problems, a dorm check's hazard, a talk, a
/// class check. The issue keeps the link; the phone opens the source from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaisedFrom {
    pub id: Uuid,
    /// The source's kind (`dorm_visit`, `dorm_check`, `talk`, `class_check`…).
    pub kind: String,
}

/// The kinds an issue may be raised from: a duty shift's log too, so what happened on a night
/// on duty reaches the office through the ledger and is followed up (000 七(二) «遇特殊情况必须
/// 及时向有关领导汇报»).
pub const RAISED_FROM_KINDS: &[&str] =
    &["dorm_visit", "dorm_check", "talk", "class_check", "parent_contact", "home_visit", "class_attendance", "lecture_visit", "duty_log"];

/// A problem in the ledger. About a student (with their class), a class, a room, or nothing in
/// the roster (a canteen's prices): then only its raiser, the people it is assigned to and the
/// office see it. The wire name keeps its first name, `student_issue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentIssue {
    #[serde(default)]
    pub class_id: Option<ClassId>,
    /// The student who raised it or whom it concerns, in `class_id`.
    #[serde(default)]
    pub student_id: Option<StudentId>,
    /// A room's issue (a dorm visit's, a dorm check's hazard): set alone.
    #[serde(default)]
    pub room_id: Option<RoomId>,
    pub raised_at: DateTime<FixedOffset>,
    pub category: IssueCategory,
    pub description: String,
    #[serde(default)]
    pub raised_from: Option<RaisedFrom>,
}

impl RecordKind for StudentIssue {
    const KIND: &'static str = "student_issue";
    /// The subject varies (student, class, room or none); rules count issues by class.
    const SUBJECT_TYPE: SubjectType = SubjectType::Class;
    /// Leaders owe the ledger (002 四(三)): they raise issues about the rooms and classes they
    /// are linked to, and read the ones about them.
    const LINKED: LinkedAccess = LinkedAccess::Write;

    fn subject(&self) -> Subject {
        match (self.student_id, self.class_id, self.room_id) {
            (Some(s), _, _) => Subject::Student(s),
            (None, Some(c), _) => Subject::Class(c),
            (None, None, Some(r)) => Subject::Room(r),
            (None, None, None) => Subject::Own,
        }
    }

    fn occurred_at(&self) -> DateTime<FixedOffset> {
        self.raised_at
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "raised_at", self.raised_at, ctx.now);
        let class_known = self.class_id.is_none_or(|c| check_class(&mut errors, "class_id", ctx.roster, c));
        if let (Some(s), true) = (self.student_id, class_known) {
            match ctx.roster.student(s) {
                None => errors.add("student_id", "unknown_student", "is not a student in your roster"),
                Some(st) if self.class_id.is_some_and(|c| c != st.class_id) => errors.add("student_id", "not_member", "is not in this class"),
                Some(_) if self.class_id.is_none() => errors.add("class_id", "required", "name the student's class"),
                Some(_) => {}
            }
        }
        if let Some(room) = self.room_id {
            if self.class_id.is_some() || self.student_id.is_some() {
                errors.add("room_id", "one_subject", "an issue is about a room, or a class and student, not both");
            } else {
                check_room(&mut errors, "room_id", ctx.roster, room);
            }
        }
        errors.text("description", &self.description, true, limits::NOTES_MAX);
        if let Some(from) = &self.raised_from {
            if !RAISED_FROM_KINDS.contains(&from.kind.as_str()) {
                errors.add("raised_from.kind", "unknown_kind", format!("an issue is not raised from a {}", from.kind));
            }
        }
        errors
    }
}

impl StudentIssue {
    /// A new issue raised from a record: about the same student, class or room, dated now.
    pub fn raised_from(
        source: &crate::record::RecordEnvelope,
        roster: &crate::roster::RosterSnapshot,
        category: IssueCategory,
        description: String,
        now: DateTime<FixedOffset>,
    ) -> StudentIssue {
        let (class_id, student_id, room_id) = match source.body.subject() {
            Subject::Student(s) => (roster.student(s).map(|st| st.class_id), Some(s), None),
            Subject::Class(c) => (Some(c), None, None),
            Subject::Room(r) => (None, None, Some(r)),
            _ => (None, None, None),
        };
        StudentIssue {
            class_id,
            student_id,
            room_id,
            raised_at: now,
            category,
            description,
            raised_from: Some(RaisedFrom { id: source.id, kind: source.body.kind().to_string() }),
        }
    }
}

choice!(
    /// A step in an issue's life, and who takes it ([`crate::ledger::may_take`]).
    IssueAction {
        /// The office hands it to a unit (承办单位) and maybe a person, due by a date.
        Assign,
        /// Anyone in the thread notes how it goes.
        Progress,
        /// The person it is assigned to, or the office: what was done.
        Resolve,
        /// The office tells the raiser the answer (做好反馈).
        FeedBack,
        /// The raiser accepts the answer; the issue is closed.
        Confirm,
        /// The raiser says it is not resolved; back to whoever has it.
        Reopen,
    }
);

/// One step of an issue. Its author took it; the server checks they may (raiser, assignee,
/// office) against the issue's state when it arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueStep {
    /// The issue's record id.
    pub issue_id: Uuid,
    pub taken_at: DateTime<FixedOffset>,
    pub action: IssueAction,
    /// `assign`: the unit that handles it (后勤保障处, 计算机学院…).
    #[serde(default)]
    pub unit: String,
    /// `assign`: the person who handles it, when it is someone with an account.
    #[serde(default)]
    pub assignee_id: Option<UserId>,
    /// `assign`: when it must be resolved.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// The note, the resolution, the feedback, or why it is reopened.
    #[serde(default)]
    pub text: String,
}

impl RecordKind for IssueStep {
    super::record_meta!("issue_step", Own, taken_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "taken_at", self.taken_at, ctx.now);
        let assign = self.action == IssueAction::Assign;
        if assign {
            errors.text("unit", &self.unit, true, limits::SHORT_TEXT_MAX);
            match self.due_on {
                None => errors.add("due_on", "required", "set the date it must be resolved by"),
                Some(due) if due < self.taken_at.date_naive() => errors.add("due_on", "before_assignment", "is before the day it is assigned"),
                Some(_) => {}
            }
        } else {
            for (field, set) in [("unit", !self.unit.trim().is_empty()), ("assignee_id", self.assignee_id.is_some()), ("due_on", self.due_on.is_some())] {
                if set {
                    errors.add(field, "not_allowed", "is set only when the issue is assigned");
                }
            }
        }
        // What was done, what the raiser is told and why it is reopened must be said; a
        // confirmation or an assignment may carry a remark.
        let text_required = matches!(self.action, IssueAction::Progress | IssueAction::Resolve | IssueAction::FeedBack | IssueAction::Reopen);
        errors.text("text", &self.text, text_required, limits::NOTES_MAX);
        errors
    }
}

impl RecordBody {
    /// The issue a record belongs to: an issue is its own thread, a step its issue's.
    pub fn issue_thread(&self, own_id: Uuid) -> Option<Uuid> {
        match self {
            RecordBody::StudentIssue(_) => Some(own_id),
            RecordBody::IssueStep(s) => Some(s.issue_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};

    fn at() -> DateTime<FixedOffset> {
        now() - chrono::Duration::days(1)
    }

    fn issue() -> StudentIssue {
        StudentIssue {
            class_id: Some(ClassId(1)),
            student_id: Some(StudentId(4)),
            room_id: None,
            raised_at: at(),
            category: IssueCategory::Dormitory,
            description: "宿舍热水器损坏".into(),
            raised_from: None,
        }
    }

    fn step(action: IssueAction) -> IssueStep {
        IssueStep { issue_id: Uuid::nil(), taken_at: at(), action, unit: String::new(), assignee_id: None, due_on: None, text: String::new() }
    }

    #[test]
    fn an_issue_is_about_its_student_its_class_its_room_or_no_one() {
        assert_eq!(codes(&issue()), vec![]);
        assert_eq!(issue().subject(), Subject::Student(StudentId(4)));
        assert_eq!(StudentIssue { student_id: None, ..issue() }.subject(), Subject::Class(ClassId(1)));
        let room = StudentIssue { student_id: None, class_id: None, room_id: Some(RoomId(1)), ..issue() };
        assert_eq!(codes(&room), vec![]);
        assert_eq!(room.subject(), Subject::Room(RoomId(1)));
        let none = StudentIssue { student_id: None, class_id: None, ..issue() };
        assert_eq!(codes(&none), vec![]);
        assert_eq!(none.subject(), Subject::Own, "seen by its raiser, its assignees and the office");
    }

    #[test]
    fn an_issue_names_a_known_subject_once() {
        only(&StudentIssue { class_id: Some(ClassId(9)), ..issue() }, "class_id", "unknown_class");
        only(&StudentIssue { room_id: Some(RoomId(1)), ..issue() }, "room_id", "one_subject");
        only(&StudentIssue { class_id: None, ..issue() }, "class_id", "required");
        only(&StudentIssue { description: " ".into(), ..issue() }, "description", "required");
        let from = |kind: &str| StudentIssue { raised_from: Some(RaisedFrom { id: Uuid::nil(), kind: kind.into() }), ..issue() };
        assert_eq!(codes(&from("dorm_visit")), vec![]);
        assert_eq!(codes(&from("duty_log")), vec![], "a night on duty reports through the ledger");
        only(&from("student_issue"), "raised_from.kind", "unknown_kind");
    }

    #[test]
    fn an_assignment_names_a_unit_and_a_due_date_not_before_it() {
        assert_eq!(codes(&step(IssueAction::Assign)), vec![("unit".to_string(), "required".to_string()), ("due_on".to_string(), "required".to_string())]);
        let assign = IssueStep { unit: "后勤保障处".into(), ..step(IssueAction::Assign) };
        only(&assign, "due_on", "required");
        let due = at().date_naive();
        assert_eq!(codes(&IssueStep { due_on: Some(due), ..assign.clone() }), vec![]);
        only(&IssueStep { due_on: Some(due - chrono::Duration::days(1)), ..assign }, "due_on", "before_assignment");
    }

    #[test]
    fn other_steps_say_what_happened_and_carry_no_assignment() {
        for action in [IssueAction::Progress, IssueAction::Resolve, IssueAction::FeedBack, IssueAction::Reopen] {
            only(&step(action), "text", "required");
        }
        assert_eq!(codes(&step(IssueAction::Confirm)), vec![], "a confirmation needs no words");
        only(&IssueStep { unit: "教务处".into(), text: "已修好".into(), ..step(IssueAction::Resolve) }, "unit", "not_allowed");
        assert_eq!(step(IssueAction::Confirm).subject(), Subject::Own);
    }
}

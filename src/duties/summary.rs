//! 学期工作总结: what one person recorded in a semester and how their duties stood at its end
//! (or today, while it runs). A pure function over the person's records, so the phone can make
//! the same summary from its local store as the server does from the database.

use super::calendar::{DateSpan, Semester};
use super::compliance::DutySetup;
use super::engine::{DutyEngine, Fact, Owner, Tally};
use crate::ids::*;
use crate::kinds::issue::IssueStatus;
use crate::record::{RecordBody, RecordEnvelope};
use crate::roster::RosterSnapshot;
use chrono::{NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How many records of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCount {
    pub kind: String,
    pub count: u32,
}

/// How many of a person's students something reached: `covered` of `students`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub covered: u32,
    pub students: u32,
}

impl Coverage {
    /// In percent; `None` for a person without students.
    pub fn percent(&self) -> Option<f64> {
        (self.students > 0).then(|| f64::from(self.covered) * 100.0 / f64::from(self.students))
    }
}

/// How one rule's duties stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleOutcome {
    pub rule_id: String,
    pub title: String,
    /// Where the rule comes from (`000 §2.6.2`).
    #[serde(default)]
    pub source: String,
    pub tally: Tally,
    /// None of its duties was overdue.
    pub met: bool,
}

/// The issues (学生诉求) the person logged in the semester, by their current status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueCounts {
    pub raised: u32,
    pub open: u32,
    pub assigned: u32,
    pub resolved: u32,
    /// Resolved and the raiser told (002 四(三) «做好反馈»), awaiting their word.
    pub fed_back: u32,
    /// The raiser confirmed the answer.
    #[serde(default)]
    pub closed: u32,
}

impl IssueCounts {
    /// Resolved, whether or not the raiser has heard or answered yet.
    pub fn settled(&self) -> u32 {
        self.resolved + self.fed_back + self.closed
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SemesterSummary {
    pub user: UserId,
    pub semester: String,
    pub span: DateSpan,
    /// The day the duties were read: the semester's end, or today while it runs.
    pub as_of: NaiveDate,
    /// The person's records in the semester up to `as_of`, per kind with any, in kind order.
    pub records: Vec<KindCount>,
    pub total_records: u32,
    /// Distinct students of the person's classes talked with.
    pub talks: Coverage,
    /// Distinct students of the person's classes whose parents were contacted.
    pub parent_contacts: Coverage,
    /// The rules that gave the person duties, in the rules' order.
    pub rules: Vec<RuleOutcome>,
    pub rules_met: u32,
    pub rules_not_met: u32,
    pub issues: IssueCounts,
}

/// A semester work report as the office receives it (000 八(二)): who, when, their text, and the
/// figures of their semester beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmittedReport {
    pub author: String,
    pub role: crate::roster::Role,
    pub submitted_at: chrono::DateTime<chrono::FixedOffset>,
    pub text: String,
    pub summary: SemesterSummary,
}

/// The summary of `owner`'s semester. `records` may hold anyone's and any time's records (the
/// phone passes its whole store); only the owner's current, undeleted ones count, read as
/// school days in `zone`. Duties are those on `as_of`, from all the records before it.
pub fn semester_summary<Z: TimeZone, R: AsRef<RecordEnvelope>>(
    records: &[R],
    roster: &RosterSnapshot,
    setup: &DutySetup,
    owner: &Owner,
    semester: &Semester,
    today: NaiveDate,
    zone: &Z,
) -> SemesterSummary {
    let as_of = today.clamp(semester.start, semester.end);
    let counted = DateSpan::new(semester.start, as_of);
    let own: Vec<(&RecordEnvelope, NaiveDate)> = records
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| r.author_id == owner.user && !r.deleted)
        .map(|r| (r, r.body.occurred_at().with_timezone(zone).date_naive()))
        .filter(|(_, on)| counted.contains(*on))
        .collect();

    let mut per_kind = vec![0u32; RecordBody::KINDS.len()];
    let mut talked = BTreeSet::new();
    let mut parents = BTreeSet::new();
    let mut issues = IssueCounts::default();
    // The steps are anyone's (the office assigns, another person resolves).
    let states = crate::ledger::states(records);
    for (r, _) in &own {
        if let Some(i) = RecordBody::KINDS.iter().position(|k| *k == r.body.kind()) {
            per_kind[i] += 1;
        }
        match &r.body {
            RecordBody::Talk(t) => {
                talked.insert(t.student_id);
            }
            RecordBody::ParentContact(p) => {
                parents.insert(p.student_id);
            }
            RecordBody::StudentIssue(_) => {
                issues.raised += 1;
                match states.get(&r.id).map_or(IssueStatus::Open, |s| s.status) {
                    IssueStatus::Open => issues.open += 1,
                    IssueStatus::Assigned => issues.assigned += 1,
                    IssueStatus::Resolved => issues.resolved += 1,
                    IssueStatus::FedBack => issues.fed_back += 1,
                    IssueStatus::Closed => issues.closed += 1,
                }
            }
            _ => {}
        }
    }
    let students: BTreeSet<StudentId> = roster.students.iter().filter(|s| owner.classes.contains(&s.class_id)).map(|s| s.id).collect();
    let coverage = |reached: &BTreeSet<StudentId>| Coverage { covered: reached.intersection(&students).count() as u32, students: students.len() as u32 };

    let facts = records.iter().filter_map(|r| Fact::of_record(r.as_ref(), zone));
    let engine = DutyEngine::new(&setup.rules.rules, &setup.calendar, roster, facts);
    let duties = engine.duties_of(owner, as_of);
    let rules: Vec<RuleOutcome> = setup
        .rules
        .rules
        .iter()
        .filter_map(|rule| {
            let of_rule: Vec<_> = duties.iter().filter(|d| d.rule_id == rule.id).collect();
            if of_rule.is_empty() {
                return None;
            }
            let tally = Tally::of(of_rule);
            Some(RuleOutcome { rule_id: rule.id.clone(), title: rule.title.clone(), source: rule.source.clone(), tally, met: tally.overdue == 0 })
        })
        .collect();
    let rules_met = rules.iter().filter(|r| r.met).count() as u32;

    SemesterSummary {
        user: owner.user,
        semester: semester.name.clone(),
        span: semester.span(),
        as_of,
        records: RecordBody::KINDS.iter().zip(&per_kind).filter(|(_, n)| **n > 0).map(|(k, n)| KindCount { kind: (*k).to_string(), count: *n }).collect(),
        total_records: own.len() as u32,
        talks: coverage(&talked),
        parent_contacts: coverage(&parents),
        rules_not_met: rules.len() as u32 - rules_met,
        rules_met,
        rules,
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::calendar::demo_calendar;
    use crate::duties::rules::{default_rules, RuleSet};
    use crate::kinds::class::ClassMeeting;
    use crate::kinds::issue::{IssueAction, IssueCategory, IssueStep, StudentIssue};
    use crate::kinds::student::{ContactChannel, ParentContact, ParentContactReason, Talk, TalkReason};
    use crate::roster::Role;
    use chrono::{DateTime, FixedOffset};

    const ME: UserId = UserId(10);

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("a time")
    }

    /// The crate's sample class of five, and student 9 in another class.
    fn roster() -> RosterSnapshot {
        let mut roster = crate::roster::tests::sample();
        let mut other = roster.students[0].clone();
        (other.id, other.class_id) = (StudentId(9), ClassId(2));
        roster.students.push(other);
        roster
    }

    fn me() -> Owner {
        Owner { user: ME, role: Role::Counselor, classes: vec![ClassId(1)], links: vec![], leadership: false }
    }

    fn talk(student: i64, when: &str) -> RecordEnvelope {
        let body = RecordBody::Talk(Talk {
            student_id: StudentId(student),
            talked_at: at(when),
            place: "学工办".into(),
            reason: TalkReason::Routine,
            problems: "适应情况".into(),
            assessment: "正常".into(),
            parents_contacted: false,
            refer_to_counseling: false,
            co_interviewers: String::new(),
            study_plan: String::new(),
        });
        RecordEnvelope::new(body, ME, "t", at(when))
    }

    fn parent(student: i64, when: &str) -> RecordEnvelope {
        let body = RecordBody::ParentContact(ParentContact {
            student_id: StudentId(student),
            contacted_at: at(when),
            guardian: "母亲".into(),
            channel: ContactChannel::Phone,
            reason: ParentContactReason::Routine,
            content: "近况".into(),
            feedback: String::new(),
            follow_up: String::new(),
            letter_id: None,
        });
        RecordEnvelope::new(body, ME, "t", at(when))
    }

    /// An issue of mine and the office's steps that brought it to `status`.
    fn issue(status: IssueStatus, when: &str) -> Vec<RecordEnvelope> {
        let body = RecordBody::StudentIssue(StudentIssue {
            class_id: Some(ClassId(1)),
            student_id: None,
            room_id: None,
            raised_at: at(when),
            category: IssueCategory::Dormitory,
            description: "热水".into(),
            raised_from: None,
        });
        let issue = RecordEnvelope::new(body, ME, "t", at(when));
        let actions: &[IssueAction] = match status {
            IssueStatus::Open => &[],
            IssueStatus::Assigned => &[IssueAction::Assign],
            IssueStatus::Resolved => &[IssueAction::Assign, IssueAction::Resolve],
            IssueStatus::FedBack => &[IssueAction::Assign, IssueAction::Resolve, IssueAction::FeedBack],
            IssueStatus::Closed => &[IssueAction::Assign, IssueAction::Resolve, IssueAction::FeedBack, IssueAction::Confirm],
        };
        let mut out = vec![issue.clone()];
        for (i, action) in actions.iter().enumerate() {
            let assign = *action == IssueAction::Assign;
            let step = IssueStep {
                issue_id: issue.id,
                taken_at: at(when) + chrono::Duration::hours(i as i64 + 1),
                action: *action,
                unit: if assign { "后勤".into() } else { String::new() },
                assignee_id: None,
                due_on: assign.then(|| day(2026, 12, 1)),
                text: "已修".into(),
            };
            let by = if *action == IssueAction::Confirm { ME } else { UserId(99) };
            out.push(RecordEnvelope::new(step.into(), by, "o", at(when)));
        }
        out
    }

    fn meeting(when: &str) -> RecordEnvelope {
        let body = RecordBody::ClassMeeting(ClassMeeting {
            class_id: ClassId(1),
            held_at: at(when),
            topic: crate::kinds::class::MeetingTopic::Safety,
            title: "安全".into(),
            attended: 5,
            absent: vec![],
            notes: String::new(),
        });
        RecordEnvelope::new(body, ME, "t", at(when))
    }

    fn summary(records: &[RecordEnvelope], today: NaiveDate) -> SemesterSummary {
        let setup = DutySetup { rules: RuleSet { version: 1, rules: default_rules() }, calendar: demo_calendar() };
        let semester = setup.calendar.semesters[0].clone();
        semester_summary(records, &roster(), &setup, &me(), &semester, today, &chrono_tz::Asia::Shanghai)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn counts_the_semesters_own_records_by_kind_and_coverage_of_own_students() {
        let mut someone_elses = talk(3, "2026-10-10T10:00:00+08:00");
        someone_elses.author_id = UserId(99);
        let mut deleted = talk(4, "2026-10-11T10:00:00+08:00");
        deleted.deleted = true;
        let records = vec![
            talk(1, "2026-09-20T10:00:00+08:00"),
            talk(1, "2026-10-20T10:00:00+08:00"),
            talk(2, "2026-11-02T10:00:00+08:00"),
            // Another class's student: a talk, but no coverage of own students.
            talk(9, "2026-11-03T10:00:00+08:00"),
            // Before the semester (the summer): not counted.
            talk(4, "2026-08-20T10:00:00+08:00"),
            // 23:30 UTC on 6 September is 7 September in Shanghai: the semester's first day.
            parent(4, "2026-09-06T23:30:00Z"),
            someone_elses,
            deleted,
            meeting("2026-10-15T19:00:00+08:00"),
        ];
        let s = summary(&records, day(2026, 11, 23));
        assert_eq!(s.as_of, day(2026, 11, 23));
        assert_eq!(
            s.records,
            vec![
                KindCount { kind: "talk".into(), count: 4 },
                KindCount { kind: "parent_contact".into(), count: 1 },
                KindCount { kind: "class_meeting".into(), count: 1 }
            ]
        );
        assert_eq!(s.total_records, 6);
        assert_eq!(s.talks, Coverage { covered: 2, students: 5 });
        assert_eq!(s.talks.percent(), Some(40.0));
        assert_eq!(s.parent_contacts, Coverage { covered: 1, students: 5 });
    }

    #[test]
    fn rules_are_read_at_the_semesters_end_once_it_is_over() {
        let records = vec![meeting("2026-10-15T19:00:00+08:00")];
        let running = summary(&records, day(2026, 11, 23));
        let class_meeting = running.rules.iter().find(|r| r.rule_id == "class-meeting").expect("a class-meeting outcome");
        // One of four meetings by week 12: the second was due by the even pace.
        assert!(!class_meeting.met);
        assert_eq!(running.rules_met + running.rules_not_met, running.rules.len() as u32);
        let over = summary(&records, day(2027, 3, 1));
        assert_eq!(over.as_of, day(2027, 1, 17), "the first semester's last day");
        assert!(over.rules.iter().all(|r| r.rule_id != "parent-warning"), "nobody in the roster is warned");
        // Teaching ended on 10 January: a monthly rule owes nothing in the exam weeks.
        assert!(over.rules.iter().all(|r| r.rule_id != "lecture-visit"));
        assert!(running.rules.iter().any(|r| r.rule_id == "lecture-visit"), "owed while teaching runs");
    }

    #[test]
    fn issues_are_counted_by_status() {
        let records: Vec<RecordEnvelope> = [
            issue(IssueStatus::Open, "2026-10-01T09:00:00+08:00"),
            issue(IssueStatus::Assigned, "2026-10-02T09:00:00+08:00"),
            issue(IssueStatus::Resolved, "2026-10-03T09:00:00+08:00"),
            issue(IssueStatus::FedBack, "2026-10-04T09:00:00+08:00"),
            issue(IssueStatus::FedBack, "2026-10-05T09:00:00+08:00"),
            issue(IssueStatus::Closed, "2026-10-06T09:00:00+08:00"),
        ]
        .concat();
        let s = summary(&records, day(2026, 11, 23));
        assert_eq!(
            s.issues,
            IssueCounts { raised: 6, open: 1, assigned: 1, resolved: 1, fed_back: 2, closed: 1 },
            "the office's steps count, its records do not"
        );
        assert_eq!(s.issues.settled(), 4);
    }

    #[test]
    fn a_person_without_classes_has_no_coverage() {
        assert_eq!(Coverage::default().percent(), None);
    }
}

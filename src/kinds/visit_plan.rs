//! 寒暑假家访方案 (004 三(四)1): in a vacation, the office (学工部牵头) chooses students in hardship
//! or typical cases and the staff who visit each, and the home visits recorded in the vacation
//! show how far the plan has come. The plan is the office's record; the staff named in it
//! receive it (its parties) and see their part on Today.

use super::choice;
use crate::ids::*;
use crate::record::{RecordBody, RecordEnvelope, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

/// At most this many students in one plan, and staff per student (004 三(三)'s groups are 3–5).
pub const PLAN_STUDENTS_MAX: usize = 500;
pub const PLAN_STAFF_MAX: usize = 5;
/// A vacation is at most this long.
pub const PLAN_DAYS_MAX: i64 = 120;

choice!(
    /// Why a student is visited (004 三(四)1: «选取一定数量的特困、典型学生»).
    VisitReason {
        /// 特困 / 家庭经济困难
        Hardship,
        /// 典型: a case to learn from (progress, difficulty, a family's story)
        Typical,
        /// 需要通报及重点沟通的内容 (三(四)1, second paragraph; 三(二)4)
        KeyMatter,
    }
);

/// One student of the plan and who visits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedVisit {
    pub student_id: StudentId,
    pub reason: VisitReason,
    /// The staff who go (accounts); the first leads.
    pub staff: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeVisitPlan {
    /// `2027年寒假家访方案`.
    pub title: String,
    pub made_at: DateTime<FixedOffset>,
    /// The days the visits are made in (the vacation, or part of it).
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub visits: Vec<PlannedVisit>,
    /// 走访方案: what the visits are to do (004 三(四)2's four contents).
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for HomeVisitPlan {
    super::record_meta!("home_visit_plan", Own, made_at);
    /// 学工部牵头组织 (004 三(四)1): the office makes it; the staff visit.
    const OFFICE_ONLY: bool = true;

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        if self.ends_on < self.starts_on {
            errors.add("ends_on", "before_start", "is before the plan's first day");
        } else if (self.ends_on - self.starts_on).num_days() > PLAN_DAYS_MAX {
            errors.add("ends_on", "too_long", format!("a plan spans at most {PLAN_DAYS_MAX} days"));
        }
        if self.visits.is_empty() {
            errors.add("visits", "required", "choose at least one student to visit");
        } else if self.visits.len() > PLAN_STUDENTS_MAX {
            errors.add("visits", "too_many", format!("at most {PLAN_STUDENTS_MAX} students in one plan"));
        }
        let mut students = std::collections::BTreeSet::new();
        for (i, v) in self.visits.iter().enumerate() {
            if ctx.roster.student(v.student_id).is_none() {
                errors.add(format!("visits[{i}].student_id"), "unknown_student", "is not a student in your roster");
            } else if !students.insert(v.student_id) {
                errors.add(format!("visits[{i}].student_id"), "duplicate", "is in the plan twice");
            }
            if v.staff.is_empty() {
                errors.add(format!("visits[{i}].staff"), "required", "name who visits");
            } else if v.staff.len() > PLAN_STAFF_MAX {
                errors.add(format!("visits[{i}].staff"), "too_many", format!("at most {PLAN_STAFF_MAX} staff per student"));
            }
            let mut seen = std::collections::BTreeSet::new();
            for (j, s) in v.staff.iter().enumerate() {
                if !seen.insert(*s) {
                    errors.add(format!("visits[{i}].staff[{j}]"), "duplicate", "is named twice");
                }
            }
        }
        errors
    }
}

impl HomeVisitPlan {
    /// Everyone named to visit, each with the field naming them: they receive the plan.
    pub fn named_staff(&self) -> Vec<(String, UserId)> {
        self.visits.iter().enumerate().flat_map(|(i, v)| v.staff.iter().enumerate().map(move |(j, s)| (format!("visits[{i}].staff[{j}]"), *s))).collect()
    }

    /// How far the plan has come: for each planned student, the first home visit (by anyone)
    /// in the plan's days, read in the school's `zone`.
    pub fn progress<R: AsRef<RecordEnvelope>, Z: TimeZone>(&self, records: &[R], zone: &Z) -> Vec<VisitProgress> {
        // The first visit in the plan's days of each student, from one reading of the records
        // (a plan has up to 500 students; a desk holds the school's records).
        let mut first: std::collections::HashMap<StudentId, (NaiveDate, UserId)> = std::collections::HashMap::new();
        for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
            if let RecordBody::HomeVisit(h) = &r.body {
                let on = h.visited_at.with_timezone(zone).date_naive();
                if (self.starts_on..=self.ends_on).contains(&on) {
                    let seen = first.entry(h.student_id).or_insert((on, r.author_id));
                    *seen = (*seen).min((on, r.author_id));
                }
            }
        }
        self.visits
            .iter()
            .map(|v| {
                let f = first.get(&v.student_id);
                VisitProgress { student_id: v.student_id, staff: v.staff.clone(), visited_on: f.map(|f| f.0), visited_by: f.map(|f| f.1) }
            })
            .collect()
    }
}

/// One planned student: visited yet, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitProgress {
    pub student_id: StudentId,
    pub staff: Vec<UserId>,
    pub visited_on: Option<NaiveDate>,
    pub visited_by: Option<UserId>,
}

/// The kinds whose records name their parties themselves (see [`RecordBody::named_parties`]).
pub const NAMING_PARTIES: &[&str] = &["home_visit_plan", "duty_roster"];

impl RecordBody {
    /// The accounts a record names to act on it, who receive it whatever their scope (a home
    /// visit plan's staff), each with the field that names them.
    pub fn named_parties(&self) -> Vec<(String, UserId)> {
        match self {
            RecordBody::HomeVisitPlan(p) => p.named_staff().into_iter().map(|(f, u)| (format!("body.data.{f}"), u)).collect(),
            RecordBody::DutyRoster(r) => r.named_staff().into_iter().map(|(f, u)| (format!("body.data.{f}"), u)).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the kind names its parties itself (each revision says who they are now).
    pub fn names_parties(&self) -> bool {
        NAMING_PARTIES.contains(&self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::student::HomeVisit;
    use crate::kinds::tests::{codes, now, only};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).expect("a date")
    }

    fn plan() -> HomeVisitPlan {
        HomeVisitPlan {
            title: "2027年寒假家访方案".into(),
            made_at: now(),
            starts_on: d(1, 18),
            ends_on: d(2, 21),
            visits: vec![
                PlannedVisit { student_id: StudentId(1), reason: VisitReason::Hardship, staff: vec![UserId(3), UserId(4)] },
                PlannedVisit { student_id: StudentId(2), reason: VisitReason::Typical, staff: vec![UserId(3)] },
            ],
            notes: "宣传资助政策，互通近况，商讨教育措施".into(),
        }
    }

    #[test]
    fn a_plan_names_known_students_once_with_their_staff_in_a_vacation() {
        assert_eq!(codes(&plan()), vec![]);
        only(&HomeVisitPlan { ends_on: d(1, 1), ..plan() }, "ends_on", "before_start");
        only(&HomeVisitPlan { ends_on: d(6, 30), ..plan() }, "ends_on", "too_long");
        let mut p = plan();
        p.visits[1].student_id = StudentId(1);
        only(&p, "visits[1].student_id", "duplicate");
        let mut p = plan();
        p.visits[0].staff = vec![UserId(3), UserId(3)];
        only(&p, "visits[0].staff[1]", "duplicate");
        let mut p = plan();
        p.visits[1].staff.clear();
        only(&p, "visits[1].staff", "required");
        assert_eq!(plan().named_staff().len(), 3);
        assert_eq!(RecordBody::HomeVisitPlan(plan()).named_parties()[2], ("body.data.visits[1].staff[0]".to_string(), UserId(3)));
    }

    #[test]
    fn a_home_visit_in_the_plans_days_shows_as_progress() {
        let zone = FixedOffset::east_opt(8 * 3600).expect("a zone");
        let visit = |student: i64, on: NaiveDate, by: i64| {
            let at = zone.from_local_datetime(&on.and_hms_opt(10, 0, 0).expect("a time")).single().expect("a time");
            let body = HomeVisit {
                student_id: StudentId(student),
                visited_at: at,
                address: "某村".into(),
                participants: "辅导员".into(),
                aid_policy: String::new(),
                news_exchanged: String::new(),
                student_situation: "良好".into(),
                joint_plan: "每月通话".into(),
                family_situation: String::new(),
                aid_given: String::new(),
            };
            RecordEnvelope::new(body.into(), UserId(by), "t", at)
        };
        // Before the plan's days, then twice in them: the first in them counts.
        let records = [visit(1, d(1, 10), 3), visit(1, d(2, 3), 4), visit(1, d(1, 25), 3)];
        let progress = plan().progress(&records, &zone);
        assert_eq!((progress[0].visited_on, progress[0].visited_by), (Some(d(1, 25)), Some(UserId(3))));
        assert_eq!(progress[1].visited_on, None);
    }
}

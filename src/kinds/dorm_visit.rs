//! 深入宿舍: a leader's or teacher's face-to-face visit of a dorm room (002 §3.3).

use super::{check_room, check_student_list, record_meta};
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DormVisit {
    pub room_id: RoomId,
    pub visited_at: DateTime<FixedOffset>,
    /// The residents met face to face (at least one: a visit to an empty room is no visit).
    pub students_met: Vec<StudentId>,
    /// Their study, life and thought situation, as the visitor saw it.
    pub situation: String,
    /// Problems the students raised; each may also become a student issue in the ledger.
    #[serde(default)]
    pub problems_raised: String,
}

impl RecordKind for DormVisit {
    record_meta!("dorm_visit", Room(room_id), visited_at);
    /// The visit is the linked leader's own duty (002 §三(三)).
    const LINKED: crate::record::LinkedAccess = crate::record::LinkedAccess::Write;

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "visited_at", self.visited_at, ctx.now);
        if check_room(&mut errors, "room_id", ctx.roster, self.room_id) {
            let residents = ctx.roster.resident_ids(self.room_id);
            check_student_list(&mut errors, "students_met", &self.students_met, &residents, "does not live in this room");
        }
        if self.students_met.is_empty() {
            errors.add("students_met", "required", "name at least one student met");
        }
        errors.text("situation", &self.situation, true, limits::NOTES_MAX);
        errors.text("problems_raised", &self.problems_raised, false, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};
    use crate::record::Subject;

    fn visit() -> DormVisit {
        DormVisit {
            room_id: RoomId(1),
            visited_at: now() - chrono::Duration::hours(1),
            students_met: vec![StudentId(1), StudentId(2)],
            situation: "学习状态良好，宿舍关系融洽".into(),
            problems_raised: "热水供应不稳定".into(),
        }
    }

    #[test]
    fn a_visit_with_students_and_situation_is_valid() {
        assert_eq!(codes(&visit()), vec![]);
        assert_eq!(visit().subject(), Subject::Room(RoomId(1)));
    }

    #[test]
    fn students_met_must_live_there_once() {
        let mut v = visit();
        v.students_met.push(StudentId(5));
        only(&v, "students_met[2]", "not_member");
        let mut v = visit();
        v.students_met.push(StudentId(1));
        only(&v, "students_met[2]", "duplicate");
        let mut v = visit();
        v.students_met.clear();
        only(&v, "students_met", "required");
    }

    #[test]
    fn situation_is_required_and_room_known() {
        let mut v = visit();
        v.situation = " ".into();
        only(&v, "situation", "required");
        let mut v = visit();
        v.room_id = RoomId(9);
        only(&v, "room_id", "unknown_room");
    }
}

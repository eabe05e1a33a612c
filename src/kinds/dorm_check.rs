//! 查寝: a dorm check of one room (000 §2.6, §7).

use super::record_meta;
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// 内务卫生 rating, as the checking counselor grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HygieneRating {
    /// 优
    Excellent,
    /// 良
    Good,
    /// 中
    Fair,
    /// 差
    Poor,
}

impl HygieneRating {
    pub const ALL: [HygieneRating; 4] = [HygieneRating::Excellent, HygieneRating::Good, HygieneRating::Fair, HygieneRating::Poor];
}

/// Why a resident was not in the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    /// 请假
    Leave,
    /// 夜不归宿
    OutOvernight,
    /// 校外租房
    OffCampus,
    /// 其他 (say what in the note)
    Other,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 4] = [AbsenceReason::Leave, AbsenceReason::OutOvernight, AbsenceReason::OffCampus, AbsenceReason::Other];
}

/// Kinds of safety hazard the regulations ask counselors to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// 违规电器
    ProhibitedAppliance,
    /// 私拉电线 / 用电隐患
    Electrical,
    /// 明火、吸烟
    OpenFlame,
    /// 消防设施、通道
    FireSafety,
    /// 门窗、设施损坏
    Facility,
    /// 其他
    Other,
}

impl HazardKind {
    pub const ALL: [HazardKind; 6] =
        [HazardKind::ProhibitedAppliance, HazardKind::Electrical, HazardKind::OpenFlame, HazardKind::FireSafety, HazardKind::Facility, HazardKind::Other];
}

/// One resident's presence at the time of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentPresence {
    pub student_id: StudentId,
    pub present: bool,
    /// Required when absent, empty when present.
    #[serde(default)]
    pub absence_reason: Option<AbsenceReason>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SafetyHazard {
    pub kind: HazardKind,
    pub description: String,
    /// What was done or ordered about it (整改措施).
    #[serde(default)]
    pub follow_up: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DormCheck {
    pub room_id: RoomId,
    pub checked_at: DateTime<FixedOffset>,
    pub hygiene: HygieneRating,
    /// Every resident of the room, each exactly once.
    pub residents: Vec<ResidentPresence>,
    #[serde(default)]
    pub hazards: Vec<SafetyHazard>,
    #[serde(default)]
    pub notes: String,
    /// Part of a centralised duty check (集中查寝) rather than the counselor's own round.
    #[serde(default)]
    pub centralized: bool,
}

impl DormCheck {
    /// A blank check of a room with every resident marked present, as the form starts.
    pub fn blank(room_id: RoomId, residents: &[StudentId], checked_at: DateTime<FixedOffset>) -> Self {
        DormCheck {
            room_id,
            checked_at,
            hygiene: HygieneRating::Good,
            residents: residents.iter().map(|&student_id| ResidentPresence { student_id, present: true, absence_reason: None, note: String::new() }).collect(),
            hazards: Vec::new(),
            notes: String::new(),
            centralized: false,
        }
    }

    pub fn absent_count(&self) -> usize {
        self.residents.iter().filter(|r| !r.present).count()
    }
}

impl RecordKind for DormCheck {
    record_meta!("dorm_check", Room(room_id), checked_at);
    /// A leader visiting the room monthly follows up its hygiene and hazards; a check holds
    /// nothing from a student's archive, talks or family.
    const LINKED: crate::record::LinkedAccess = crate::record::LinkedAccess::Read;

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "checked_at", self.checked_at, ctx.now);

        if ctx.roster.room(self.room_id).is_none() {
            errors.add("room_id", "unknown_room", "is not a room in your roster");
            return errors;
        }

        let expected = ctx.roster.resident_ids(self.room_id);
        let mut seen = BTreeSet::new();
        for (i, r) in self.residents.iter().enumerate() {
            let path = format!("residents[{i}]");
            if !expected.contains(&r.student_id) {
                errors.add(format!("{path}.student_id"), "not_resident", "does not live in this room");
            } else if !seen.insert(r.student_id) {
                errors.add(format!("{path}.student_id"), "duplicate", "is listed twice");
            }
            match (r.present, r.absence_reason) {
                (false, None) => errors.add(format!("{path}.absence_reason"), "required", "is required for an absent resident"),
                (true, Some(_)) => errors.add(format!("{path}.absence_reason"), "unexpected", "must be empty for a present resident"),
                (false, Some(AbsenceReason::Other)) if r.note.trim().is_empty() => {
                    errors.add(format!("{path}.note"), "required", "must say why when the reason is 'other'")
                }
                _ => {}
            }
            errors.text(&format!("{path}.note"), &r.note, false, limits::SHORT_TEXT_MAX);
        }
        for missing in expected.difference(&seen) {
            if !self.residents.iter().any(|r| r.student_id == *missing) {
                errors.add("residents", "missing_resident", format!("student {missing} lives here but is not listed"));
            }
        }

        for (i, h) in self.hazards.iter().enumerate() {
            errors.text(&format!("hazards[{i}].description"), &h.description, true, limits::SHORT_TEXT_MAX);
            errors.text(&format!("hazards[{i}].follow_up"), &h.follow_up, false, limits::SHORT_TEXT_MAX);
        }
        if self.hazards.len() > 20 {
            errors.add("hazards", "too_many", "at most 20 hazards a check");
        }
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::record::Subject;
    use crate::roster::tests::sample;
    use chrono::Duration;

    pub use crate::kinds::tests::now;

    /// A valid check of room 1 of the sample roster.
    pub fn valid_check() -> DormCheck {
        let ids: Vec<_> = (1..=4).map(StudentId).collect();
        DormCheck::blank(RoomId(1), &ids, now() - Duration::minutes(30))
    }

    fn codes(check: &DormCheck) -> Vec<(String, String)> {
        let roster = sample();
        check.validate(&ValidationContext { roster: &roster, now: now() }).0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn only(check: &DormCheck, field: &str, code: &str) {
        assert_eq!(codes(check), vec![(field.to_string(), code.to_string())]);
    }

    #[test]
    fn a_blank_check_with_everyone_present_is_valid() {
        assert_eq!(codes(&valid_check()), vec![]);
        assert_eq!(valid_check().absent_count(), 0);
    }

    #[test]
    fn unknown_room_is_refused() {
        let mut c = valid_check();
        c.room_id = RoomId(99);
        only(&c, "room_id", "unknown_room");
    }

    #[test]
    fn absent_resident_needs_a_reason() {
        let mut c = valid_check();
        c.residents[1].present = false;
        only(&c, "residents[1].absence_reason", "required");
        c.residents[1].absence_reason = Some(AbsenceReason::OutOvernight);
        assert_eq!(codes(&c), vec![]);
        assert_eq!(c.absent_count(), 1);
    }

    #[test]
    fn present_resident_has_no_reason() {
        let mut c = valid_check();
        c.residents[0].absence_reason = Some(AbsenceReason::Leave);
        only(&c, "residents[0].absence_reason", "unexpected");
    }

    #[test]
    fn other_reason_needs_a_note() {
        let mut c = valid_check();
        c.residents[2].present = false;
        c.residents[2].absence_reason = Some(AbsenceReason::Other);
        only(&c, "residents[2].note", "required");
        c.residents[2].note = "在实验室通宵做实验".into();
        assert_eq!(codes(&c), vec![]);
    }

    #[test]
    fn a_stranger_in_the_list_is_refused() {
        let mut c = valid_check();
        c.residents[3].student_id = StudentId(5);
        let got = codes(&c);
        assert!(got.contains(&("residents[3].student_id".into(), "not_resident".into())));
        assert!(got.contains(&("residents".into(), "missing_resident".into())));
    }

    #[test]
    fn a_resident_listed_twice_is_refused() {
        let mut c = valid_check();
        c.residents.push(c.residents[0].clone());
        only(&c, "residents[4].student_id", "duplicate");
    }

    #[test]
    fn a_missing_resident_is_refused() {
        let mut c = valid_check();
        c.residents.pop();
        only(&c, "residents", "missing_resident");
    }

    #[test]
    fn hazard_needs_a_description_and_bounded_text() {
        let mut c = valid_check();
        c.hazards.push(SafetyHazard { kind: HazardKind::ProhibitedAppliance, description: " ".into(), follow_up: String::new() });
        only(&c, "hazards[0].description", "required");
        c.hazards[0].description = "使用大功率吹风机".into();
        c.hazards[0].follow_up = "长".repeat(501);
        only(&c, "hazards[0].follow_up", "too_long");
        c.hazards[0].follow_up = "已没收，通知辅导员".into();
        assert_eq!(codes(&c), vec![]);
    }

    #[test]
    fn too_many_hazards_are_refused() {
        let mut c = valid_check();
        c.hazards = vec![SafetyHazard { kind: HazardKind::Other, description: "x".into(), follow_up: String::new() }; 21];
        only(&c, "hazards", "too_many");
    }

    #[test]
    fn notes_are_bounded_in_characters_not_bytes() {
        let mut c = valid_check();
        c.notes = "字".repeat(2000);
        assert_eq!(codes(&c), vec![]);
        c.notes.push('字');
        only(&c, "notes", "too_long");
    }

    #[test]
    fn resident_note_is_bounded() {
        let mut c = valid_check();
        c.residents[0].note = "x".repeat(501);
        only(&c, "residents[0].note", "too_long");
    }

    #[test]
    fn a_check_in_the_future_is_refused() {
        let mut c = valid_check();
        c.checked_at = now() + Duration::hours(2);
        only(&c, "checked_at", "in_future");
        c.checked_at = now() - Duration::days(500);
        only(&c, "checked_at", "too_old");
    }

    #[test]
    fn the_subject_is_the_room() {
        assert_eq!(valid_check().subject(), Subject::Room(RoomId(1)));
    }
}

//! What a leader or linked teacher records about what they are linked to (002 §三): attending
//! their class's meetings and activities, their party branch's activities, and their club's.
//! (The monthly dorm visit is [`DormVisit`](super::dorm_visit::DormVisit), shared with teachers.)

use super::{check_class, choice, record_meta};
use crate::ids::*;
use crate::record::{check_occurred_at, LinkedAccess, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// More people than this at one branch activity is a typing slip, not a meeting.
pub const PARTICIPANTS_MAX: u32 = 1000;

choice!(
    /// What the leader joined in their class (002 §三(二)).
    ClassEvent {
        /// 班会
        ClassMeeting,
        /// 学生干部会
        CadreMeeting,
        /// 师生座谈会
        Forum,
        /// 班级集体活动
        ClassActivity,
        /// 党日、团日活动
        PartyLeagueDay,
        /// 讲座 (given or arranged for the class)
        Lecture,
    }
);

choice!(
    /// How a leader of the leadership tier met students (002 三(一), 四(二)).
    ContactActivity {
        /// «面对面»: any time spent with students face to face.
        FaceToFace,
        /// 思想政治理论课: the lesson each semester (002 三(一)).
        PoliticsLecture,
    }
);

/// 联系学生: a leader's face-to-face time with students or their politics lesson, when it is no
/// visit, attendance or activity of what they are linked to (those count as face to face too).
/// Their own work, like a duty log: only they and the office read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentContact {
    pub met_at: DateTime<FixedOffset>,
    pub activity: ContactActivity,
    /// Where, and which students (`图书馆前`, `2024级新生约120人`).
    pub place: String,
    pub content: String,
}

impl RecordKind for StudentContact {
    record_meta!("student_contact", Own, met_at);
    const ACTIVITIES: &'static [&'static str] = &["face_to_face", "politics_lecture"];
    fn activity(&self) -> Option<u8> {
        ContactActivity::ALL.iter().position(|a| *a == self.activity).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "met_at", self.met_at, ctx.now);
        errors.text("place", &self.place, true, limits::SHORT_TEXT_MAX);
        errors.text("content", &self.content, true, limits::NOTES_MAX);
        errors
    }
}

/// 参加班级活动: the linked leader attended a meeting or activity of the class. A kind of its
/// own, not a [`ClassMeeting`](super::class::ClassMeeting): the leader is a guest, not the
/// organiser, knows no attendance list, and must not overwrite or double the counselor's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassAttendance {
    pub class_id: ClassId,
    pub attended_at: DateTime<FixedOffset>,
    pub event: ClassEvent,
    /// What it was about, e.g. `考研经验交流座谈会`.
    pub title: String,
    /// What the leader saw, said and learned.
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for ClassAttendance {
    record_meta!("class_attendance", Class(class_id), attended_at);
    const LINKED: LinkedAccess = LinkedAccess::Write;
    /// 002 三(二) asks for a lecture each semester apart from taking part in the class's life.
    const ACTIVITIES: &'static [&'static str] = &["lecture"];
    fn activity(&self) -> Option<u8> {
        (self.event == ClassEvent::Lecture).then_some(0)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "attended_at", self.attended_at, ctx.now);
        check_class(&mut errors, "class_id", ctx.roster, self.class_id);
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        errors
    }
}

choice!(
    /// The four things a leader does with the linked branch each semester (002 §三(五)).
    BranchActivityKind {
        /// 专题党课
        PartyLecture,
        /// 组织生活会
        OrganisationalMeeting,
        /// 支部建设情况汇报
        Report,
        /// 与党员交心谈心
        Talk,
    }
);

/// 党支部活动
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BranchActivity {
    pub branch_id: BranchId,
    pub held_at: DateTime<FixedOffset>,
    pub activity: BranchActivityKind,
    /// How many took part, the leader included.
    pub participants: u32,
    /// The lecture's topic, the meeting's agenda, the report heard, what the talk was about.
    pub content: String,
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for BranchActivity {
    record_meta!("branch_activity", Branch(branch_id), held_at);
    const LINKED: LinkedAccess = LinkedAccess::Write;
    const ACTIVITIES: &'static [&'static str] = &["party_lecture", "organisational_meeting", "report", "talk"];
    fn activity(&self) -> Option<u8> {
        BranchActivityKind::ALL.iter().position(|a| *a == self.activity).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "held_at", self.held_at, ctx.now);
        if ctx.roster.branch(self.branch_id).is_none() {
            errors.add("branch_id", "unknown_branch", "is not a party branch you are linked to");
        }
        if self.participants == 0 {
            errors.add("participants", "required", "count at least the leader");
        } else if self.participants > PARTICIPANTS_MAX {
            errors.add("participants", "out_of_range", format!("must be at most {PARTICIPANTS_MAX}"));
        }
        errors.text("content", &self.content, true, limits::NOTES_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        errors
    }
}

choice!(
    /// What a leader does with the club each semester (002 §三(四)).
    ClubActivityKind {
        /// 指导策划活动
        Plan,
        /// 参加社团会议
        Meeting,
        /// 参与社团活动
        Activity,
    }
);

/// 社团活动
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClubActivity {
    pub club_id: ClubId,
    pub held_at: DateTime<FixedOffset>,
    pub activity: ClubActivityKind,
    /// What was planned, discussed or done.
    pub content: String,
}

impl RecordKind for ClubActivity {
    record_meta!("club_activity", Club(club_id), held_at);
    const LINKED: LinkedAccess = LinkedAccess::Write;
    const ACTIVITIES: &'static [&'static str] = &["plan", "meeting", "activity"];
    fn activity(&self) -> Option<u8> {
        ClubActivityKind::ALL.iter().position(|a| *a == self.activity).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "held_at", self.held_at, ctx.now);
        if ctx.roster.club(self.club_id).is_none() {
            errors.add("club_id", "unknown_club", "is not a club you are linked to");
        }
        errors.text("content", &self.content, true, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};
    use crate::record::Subject;

    fn wire_names<T: Serialize>(all: &[T]) -> Vec<String> {
        all.iter().map(|a| serde_json::to_value(a).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()).collect()
    }

    #[test]
    fn activity_names_are_the_wire_names_in_order() {
        assert_eq!(wire_names(BranchActivityKind::ALL), BranchActivity::ACTIVITIES);
        assert_eq!(wire_names(ClubActivityKind::ALL), ClubActivity::ACTIVITIES);
    }

    fn at() -> DateTime<FixedOffset> {
        now() - chrono::Duration::days(3)
    }

    fn attendance() -> ClassAttendance {
        ClassAttendance { class_id: ClassId(1), attended_at: at(), event: ClassEvent::Forum, title: "考研经验交流".into(), notes: String::new() }
    }

    fn branch() -> BranchActivity {
        BranchActivity {
            branch_id: BranchId(1),
            held_at: at(),
            activity: BranchActivityKind::PartyLecture,
            participants: 23,
            content: "学习党的二十大精神专题党课".into(),
            notes: String::new(),
        }
    }

    fn club() -> ClubActivity {
        ClubActivity { club_id: ClubId(1), held_at: at(), activity: ClubActivityKind::Plan, content: "策划校园编程马拉松".into() }
    }

    #[test]
    fn valid_records_and_their_subjects() {
        assert_eq!(codes(&attendance()), vec![]);
        assert_eq!(codes(&branch()), vec![]);
        assert_eq!(codes(&club()), vec![]);
        assert_eq!(attendance().subject(), Subject::Class(ClassId(1)));
        assert_eq!(branch().subject(), Subject::Branch(BranchId(1)));
        assert_eq!(club().subject(), Subject::Club(ClubId(1)));
    }

    #[test]
    fn attendance_needs_a_known_class_a_title_and_a_past_time() {
        let mut a = attendance();
        a.class_id = ClassId(8);
        only(&a, "class_id", "unknown_class");
        let mut a = attendance();
        a.title = "  ".into();
        only(&a, "title", "required");
        let mut a = attendance();
        a.attended_at = now() + chrono::Duration::days(1);
        only(&a, "attended_at", "in_future");
        let mut a = attendance();
        a.notes = "字".repeat(limits::NOTES_MAX + 1);
        only(&a, "notes", "too_long");
    }

    #[test]
    fn branch_activity_needs_a_known_branch_participants_and_content() {
        let mut b = branch();
        b.branch_id = BranchId(2);
        only(&b, "branch_id", "unknown_branch");
        let mut b = branch();
        b.participants = 0;
        only(&b, "participants", "required");
        let mut b = branch();
        b.participants = PARTICIPANTS_MAX + 1;
        only(&b, "participants", "out_of_range");
        let mut b = branch();
        b.content.clear();
        only(&b, "content", "required");
        assert_eq!(BranchActivityKind::ALL.len(), 4);
    }

    #[test]
    fn club_activity_needs_a_known_club_and_content() {
        let mut c = club();
        c.club_id = ClubId(5);
        only(&c, "club_id", "unknown_club");
        let mut c = club();
        c.content = " ".into();
        only(&c, "content", "required");
        assert_eq!(ClubActivityKind::ALL.len(), 3);
    }

    #[test]
    fn leaders_write_their_own_kinds_and_only_read_dorm_checks() {
        use crate::record::RecordBody;
        assert_eq!(RecordBody::ClubActivity(club()).linked_access(), LinkedAccess::Write);
        let mut readable = RecordBody::linked_readable_kinds();
        readable.sort();
        // Issues too: leaders owe the ledger (002 四(三)).
        assert_eq!(readable, vec!["branch_activity", "class_attendance", "club_activity", "dorm_check", "dorm_visit", "student_issue"]);
        let json = serde_json::to_value(RecordBody::BranchActivity(branch())).unwrap();
        assert_eq!(json["kind"], "branch_activity");
        assert_eq!(json["data"]["activity"], "party_lecture");
    }
}

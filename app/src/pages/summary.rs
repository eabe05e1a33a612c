//! One line about any record, whatever its kind: what it is and whom it concerns.

use crate::i18n::{Lang, Msg};
use rounds::record::Subject;
use rounds::{RecordBody, RosterSnapshot};

/// The name of a record kind in the UI.
pub fn kind_name(kind: &str) -> Msg {
    match kind {
        "dorm_check" => Msg::KindDormCheck,
        "dorm_visit" => Msg::KindDormVisit,
        "class_check" => Msg::KindClassCheck,
        "lecture_visit" => Msg::KindLectureVisit,
        "talk" => Msg::KindTalk,
        "parent_contact" => Msg::KindParentContact,
        "home_visit" => Msg::KindHomeVisit,
        "class_meeting" => Msg::KindClassMeeting,
        "committee_meeting" => Msg::KindCommitteeMeeting,
        "duty_log" => Msg::KindDutyLog,
        "teacher_contact" => Msg::KindTeacherContact,
        "class_attendance" => Msg::KindClassAttendance,
        "branch_activity" => Msg::KindBranchActivity,
        "club_activity" => Msg::KindClubActivity,
        "assistance_case" => Msg::KindAssistanceCase,
        "volunteer_session" => Msg::KindVolunteerSession,
        "assistance_note" => Msg::KindAssistanceNote,
        "work_report" => Msg::KindWorkReport,
        "issue_step" => Msg::KindIssueStep,
        "student_event" => Msg::KindStudentEvent,
        "student_contact" => Msg::KindStudentContact,
        "home_visit_plan" => Msg::KindHomeVisitPlan,
        "parent_letter" => Msg::KindParentLetter,
        "duty_roster" => Msg::KindDutyRoster,
        _ => Msg::KindStudentIssue,
    }
}

/// `查寝 · 1-101`, `谈心谈话 · 张三`; and the page about its subject, where there is one.
pub fn title_and_link(body: &RecordBody, roster: &RosterSnapshot, lang: Lang) -> (String, Option<String>) {
    let kind = kind_name(body.kind()).text(lang);
    let (who, link) = match body.subject() {
        Subject::Room(r) => (roster.room(r).map(|r| r.number.clone()), Some(format!("/rooms/{r}"))),
        Subject::Class(c) => (roster.class(c).map(|c| c.name.clone()), None),
        Subject::Student(s) => (roster.student(s).map(|s| s.name.clone()), None),
        // Clubs and branches have no page of their own; the leader's links page shows them.
        Subject::Club(c) => (roster.club(c).map(|c| c.name.clone()), Some("/links".to_string())),
        Subject::Branch(b) => (roster.branch(b).map(|b| b.name.clone()), Some("/links".to_string())),
        Subject::Own => (None, None),
    };
    match who {
        Some(who) => (format!("{kind} · {who}"), link),
        None => (kind.to_string(), link),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name() {
        let names: std::collections::BTreeSet<_> = RecordBody::KINDS.iter().map(|k| kind_name(k).text(Lang::Zh)).collect();
        assert_eq!(names.len(), RecordBody::KINDS.len());
    }
}

//! What the app says of each kind of record, in one table: its name, the page of its form for a
//! new record about a subject, the names of its sub-kinds, and one line saying what a record of
//! it holds. Words and paths only, no views: every page may ask it (and the server names kinds in
//! its reports by it), so it sits low and imports nothing of the pages.
//!
//! Every kind type of `src/` implements [`KindUi`] here, and [`kind_table!`] lists them once: a
//! match over [`RecordBody`] that names each variant, so a kind added to `record_kinds!` without
//! its entry here does not compile. Everything else in the app asks this table (by the record's
//! body, or by the kind's wire name for rules and duties) instead of matching kinds itself.
//!
//! A new kind needs its type in `src/`, its words in `i18n.rs`, its entry here, and its form: a
//! component, its route, and its arm in the record page's `kind_form` (a match that does not
//! compile without it).

use crate::i18n::*;
use rounds::record::Subject;
use rounds::*;

/// What the app shows of one kind of record.
pub trait KindUi: RecordKind + 'static {
    /// The kind's name (`查寝`).
    const LABEL: Msg;
    /// The page of the form for a new record of this kind about `subject` (`/rooms/3/check`);
    /// `None` when records of it are not made from a form about that subject (the office's
    /// plans, an issue's steps).
    fn form_path(subject: Subject) -> Option<String>;
    /// The name of one of the kind's `ACTIVITIES`, by position.
    fn activity_label(_index: usize, _lang: Lang) -> Option<&'static str> {
        None
    }
    /// What the record says, on one line (an entry of a case card); the kind's name by default.
    fn line(&self, lang: Lang) -> String {
        Self::LABEL.text(lang).to_string()
    }
}

/// A kind's facts that do not need a record, by the kind's wire name (rules and duties name
/// kinds by it).
#[derive(Clone, Copy)]
pub struct KindEntry {
    pub kind: &'static str,
    pub label: Msg,
    pub form_path: fn(Subject) -> Option<String>,
    pub activity_label: fn(usize, Lang) -> Option<&'static str>,
}

impl KindEntry {
    const fn of<K: KindUi>() -> KindEntry {
        KindEntry { kind: K::KIND, label: K::LABEL, form_path: K::form_path, activity_label: K::activity_label }
    }
}

/// `kind_table!(DormCheck, …)`: one name per [`RecordBody`] variant (each its own kind type).
macro_rules! kind_table {
    ($($kind:ident),* $(,)?) => {
        /// Every kind's entry, in the order of `RecordBody::KINDS`.
        pub static KINDS: &[KindEntry] = &[$(KindEntry::of::<rounds::$kind>()),*];

        /// What a record says, on one line.
        pub fn line(body: &RecordBody, lang: Lang) -> String {
            match body { $(RecordBody::$kind(r) => r.line(lang)),* }
        }
    };
}

kind_table!(
    DormCheck,
    DormVisit,
    ClassCheck,
    LectureVisit,
    Talk,
    ParentContact,
    HomeVisit,
    ClassMeeting,
    CommitteeMeeting,
    DutyLog,
    TeacherContact,
    StudentIssue,
    IssueStep,
    StudentEvent,
    HomeVisitPlan,
    ParentLetter,
    DutyRoster,
    StudentContact,
    ClassAttendance,
    BranchActivity,
    ClubActivity,
    AssistanceCase,
    VolunteerSession,
    AssistanceNote,
    WorkReport,
);

/// The entry of a kind by its wire name; `None` for a name this app does not know (a newer
/// server's kind).
pub fn entry(kind: &str) -> Option<&'static KindEntry> {
    KINDS.iter().find(|e| e.kind == kind)
}

/// The name of a kind by its wire name.
pub fn kind_name(kind: &str) -> Msg {
    entry(kind).map_or(Msg::KindUnknown, |e| e.label)
}

/// The name of a kind's sub-kind (`RecordKind::ACTIVITIES`, by position), as rules and duties say it.
pub fn activity_label(kind: &str, index: u8, lang: Lang) -> Option<&'static str> {
    (entry(kind)?.activity_label)(usize::from(index), lang)
}

/// The page of the form for a new record of a kind about a subject (see [`KindUi::form_path`]).
pub fn form_path(kind: &str, subject: Subject) -> Option<String> {
    (entry(kind)?.form_path)(subject)
}

/// The way to a new record of kind `K` about a target: its form's page and the kind's name.
pub fn new_form<K: KindUi>(subject: Subject) -> Option<(String, Msg)> {
    Some((K::form_path(subject)?, K::LABEL))
}

/// The name of the `index`th of a closed list of choices.
fn nth<C: Copy>(all: &[C], index: usize, name: fn(C, Lang) -> &'static str, lang: Lang) -> Option<&'static str> {
    all.get(index).map(|c| name(*c, lang))
}

// ---- the kinds ----

impl KindUi for DormCheck {
    const LABEL: Msg = Msg::KindDormCheck;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Room(r) => Some(format!("/rooms/{r}/check")),
            _ => None,
        }
    }
}

impl KindUi for DormVisit {
    const LABEL: Msg = Msg::KindDormVisit;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Room(r) => Some(format!("/rooms/{r}/visit")),
            _ => None,
        }
    }
}

impl KindUi for ClassCheck {
    const LABEL: Msg = Msg::KindClassCheck;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/class-check")),
            _ => None,
        }
    }
}

impl KindUi for LectureVisit {
    const LABEL: Msg = Msg::KindLectureVisit;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/lecture-visit")),
            _ => None,
        }
    }
}

impl KindUi for Talk {
    const LABEL: Msg = Msg::KindTalk;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/talk")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        (index == 0).then(|| Msg::StudyPlanTalk.text(lang))
    }
    fn line(&self, lang: Lang) -> String {
        let mut text = self.problems.clone();
        if !self.study_plan.trim().is_empty() {
            text.push_str(&fill(Msg::PrintLineStudyPlan.text(lang), &[("text", self.study_plan.clone())]));
        }
        fill(Msg::PrintLineTalk.text(lang), &[("reason", talk_reason_label(self.reason, lang).to_string()), ("text", text)])
    }
}

impl KindUi for ParentContact {
    const LABEL: Msg = Msg::KindParentContact;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/parent-contact")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(ContactChannel::ALL, index, contact_duty_label, lang)
    }
    fn line(&self, lang: Lang) -> String {
        let mut text = self.content.clone();
        if !self.feedback.trim().is_empty() {
            text.push_str(&fill(Msg::PrintLineFeedback.text(lang), &[("text", self.feedback.clone())]));
        }
        fill(
            Msg::PrintLineParentContact.text(lang),
            &[("channel", channel_label(self.channel, lang).to_string()), ("guardian", self.guardian.clone()), ("text", text)],
        )
    }
}

impl KindUi for HomeVisit {
    const LABEL: Msg = Msg::KindHomeVisit;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/home-visit")),
            _ => None,
        }
    }
    fn line(&self, lang: Lang) -> String {
        fill(Msg::PrintLineHomeVisit.text(lang), &[("text", format!("{}；{}", self.student_situation.trim(), self.joint_plan.trim()))])
    }
}

impl KindUi for ClassMeeting {
    const LABEL: Msg = Msg::KindClassMeeting;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/meeting")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(MeetingTopic::ALL, index, topic_label, lang)
    }
}

impl KindUi for CommitteeMeeting {
    const LABEL: Msg = Msg::KindCommitteeMeeting;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/committee")),
            _ => None,
        }
    }
}

impl KindUi for DutyLog {
    const LABEL: Msg = Msg::KindDutyLog;
    /// About the author's own shift, whatever the duty's subject.
    fn form_path(_: Subject) -> Option<String> {
        Some("/duty-log".to_string())
    }
}

impl KindUi for TeacherContact {
    const LABEL: Msg = Msg::KindTeacherContact;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/teacher-contact")),
            _ => None,
        }
    }
}

impl KindUi for StudentIssue {
    const LABEL: Msg = Msg::KindStudentIssue;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/issue")),
            Subject::Class(c) => Some(format!("/classes/{c}/issue")),
            Subject::Room(r) => Some(format!("/rooms/{r}/issue")),
            _ => None,
        }
    }
}

impl KindUi for IssueStep {
    const LABEL: Msg = Msg::KindIssueStep;
    /// Taken on the issue's own page.
    fn form_path(_: Subject) -> Option<String> {
        None
    }
}

impl KindUi for StudentEvent {
    const LABEL: Msg = Msg::KindStudentEvent;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/event")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(StudentEventKind::ALL, index, student_event_label, lang)
    }
}

impl KindUi for HomeVisitPlan {
    const LABEL: Msg = Msg::KindHomeVisitPlan;
    /// The office's plan, made on its pages.
    fn form_path(_: Subject) -> Option<String> {
        None
    }
}

impl KindUi for ParentLetter {
    const LABEL: Msg = Msg::KindParentLetter;
    /// The office's letter, made on its pages.
    fn form_path(_: Subject) -> Option<String> {
        None
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(LetterKind::ALL, index, letter_kind_label, lang)
    }
}

impl KindUi for DutyRoster {
    const LABEL: Msg = Msg::KindDutyRoster;
    /// The office's schedule, made on its pages.
    fn form_path(_: Subject) -> Option<String> {
        None
    }
}

impl KindUi for StudentContact {
    const LABEL: Msg = Msg::KindStudentContact;
    /// A leader's own time with students, whatever the duty's subject.
    fn form_path(_: Subject) -> Option<String> {
        Some("/contact-log".to_string())
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(ContactActivity::ALL, index, contact_activity_label, lang)
    }
}

impl KindUi for ClassAttendance {
    const LABEL: Msg = Msg::KindClassAttendance;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Class(c) => Some(format!("/classes/{c}/attendance")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        (index == 0).then(|| class_event_label(ClassEvent::Lecture, lang))
    }
}

impl KindUi for BranchActivity {
    const LABEL: Msg = Msg::KindBranchActivity;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Branch(b) => Some(format!("/branches/{b}/activity")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(BranchActivityKind::ALL, index, branch_activity_label, lang)
    }
}

impl KindUi for ClubActivity {
    const LABEL: Msg = Msg::KindClubActivity;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Club(c) => Some(format!("/clubs/{c}/activity")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(ClubActivityKind::ALL, index, club_activity_label, lang)
    }
}

impl KindUi for AssistanceCase {
    const LABEL: Msg = Msg::KindAssistanceCase;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/case")),
            _ => None,
        }
    }
}

impl KindUi for VolunteerSession {
    const LABEL: Msg = Msg::KindVolunteerSession;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/volunteer-session")),
            _ => None,
        }
    }
    fn line(&self, lang: Lang) -> String {
        fill(
            Msg::PrintLineVolunteer.text(lang),
            &[("name", self.volunteer_name.clone()), ("minutes", self.minutes.to_string()), ("text", self.content.clone())],
        )
    }
}

impl KindUi for AssistanceNote {
    const LABEL: Msg = Msg::KindAssistanceNote;
    fn form_path(subject: Subject) -> Option<String> {
        match subject {
            Subject::Student(s) => Some(format!("/students/{s}/assistance-note")),
            _ => None,
        }
    }
    fn activity_label(index: usize, lang: Lang) -> Option<&'static str> {
        nth(NotePart::ALL, index, note_part_label, lang)
    }
}

impl KindUi for WorkReport {
    const LABEL: Msg = Msg::KindWorkReport;
    /// Written and submitted on the semester's summary page.
    fn form_path(_: Subject) -> Option<String> {
        Some("/summary".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_table_holds_every_kind_once_in_the_domain_order() {
        let kinds: Vec<&str> = KINDS.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, RecordBody::KINDS);
    }

    #[test]
    fn every_kind_has_its_own_name_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let names: BTreeSet<_> = KINDS.iter().map(|e| e.label.text(lang)).collect();
            assert_eq!(names.len(), KINDS.len(), "{lang:?}");
        }
        assert_eq!(kind_name("dorm_check").text(Lang::Zh), "查寝");
        assert_eq!(kind_name("from_a_newer_server"), Msg::KindUnknown);
    }

    #[test]
    fn every_sub_kind_has_a_name_and_no_more() {
        for kind in RecordBody::KINDS {
            let activities = RecordBody::activities_of(kind);
            for (i, wire) in activities.iter().enumerate() {
                let i = u8::try_from(i).expect("few sub-kinds");
                let name = activity_label(kind, i, Lang::Zh).unwrap_or_else(|| panic!("{kind}: {wire} has no name"));
                assert!(!name.is_empty());
            }
            let past = u8::try_from(activities.len()).expect("few sub-kinds");
            assert_eq!(activity_label(kind, past, Lang::En), None, "{kind}");
        }
        assert_eq!(activity_label("branch_activity", 0, Lang::Zh), Some("专题党课"));
    }

    #[test]
    fn a_kind_about_a_subject_has_its_form_about_that_subject() {
        let of_type = |t: rounds::record::SubjectType| match t {
            rounds::record::SubjectType::Room => Subject::Room(RoomId(7)),
            rounds::record::SubjectType::Class => Subject::Class(ClassId(7)),
            rounds::record::SubjectType::Student => Subject::Student(StudentId(7)),
            rounds::record::SubjectType::Club => Subject::Club(ClubId(7)),
            rounds::record::SubjectType::Branch => Subject::Branch(BranchId(7)),
            rounds::record::SubjectType::Own => Subject::Own,
        };
        // Made elsewhere: an issue's steps on its page, the office's plans on its own pages.
        let elsewhere = ["issue_step", "home_visit_plan", "parent_letter", "duty_roster"];
        for e in KINDS {
            let subject = of_type(RecordBody::subject_type_of(e.kind).expect("a kind of the domain"));
            match (e.form_path)(subject) {
                Some(path) => assert!(path.starts_with('/') && !elsewhere.contains(&e.kind), "{}: {path}", e.kind),
                None => assert!(elsewhere.contains(&e.kind), "{} has no form about {subject:?}", e.kind),
            }
        }
        assert_eq!(form_path("dorm_check", Subject::Room(RoomId(3))).as_deref(), Some("/rooms/3/check"));
        assert_eq!(form_path("dorm_check", Subject::Class(ClassId(3))), None);
        assert_eq!(form_path("from_a_newer_server", Subject::Own), None);
    }
}

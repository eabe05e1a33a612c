//! Records about one student: 谈心谈话, 家长联系, 家访, and the student issue ledger (学生诉求台账).
//! Talks, parent contacts and home visits are confidential: only staff assigned to the student
//! and the office may read them (001 §3.7).

use super::{check_class, check_student, choice, record_meta};
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, Subject, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

choice!(
    /// Why a talk took place (000 §1.1; 003).
    TalkReason {
        Routine,
        AcademicWarning,
        Discipline,
        Assistance,
        Psychological,
        Other,
    }
);

/// 谈心谈话, after the talk record form of 003 (附件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Talk {
    pub student_id: StudentId,
    pub talked_at: DateTime<FixedOffset>,
    pub place: String,
    pub reason: TalkReason,
    /// 主要问题与表现: the problems, since when and why; mood, study, relations, behaviour.
    pub problems: String,
    /// 初步评估及建议: is the student all right, what next, does the counselling centre need to know.
    pub assessment: String,
    #[serde(default)]
    pub parents_contacted: bool,
    /// Refer the student to the psychological counselling centre.
    #[serde(default)]
    pub refer_to_counseling: bool,
    /// Others who took part (班主任, 辅导员).
    #[serde(default)]
    pub co_interviewers: String,
    /// 下阶段学习计划, agreed in the talk (003 五 一级、二级).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub study_plan: String,
}

impl RecordKind for Talk {
    record_meta!("talk", Student(student_id), talked_at);
    /// A talk that set a study plan, which 003 五 asks of the first two levels.
    const ACTIVITIES: &'static [&'static str] = &["study_plan"];
    fn activity(&self) -> Option<u8> {
        (!self.study_plan.trim().is_empty()).then_some(0)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "talked_at", self.talked_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        errors.text("place", &self.place, false, limits::SHORT_TEXT_MAX);
        errors.text("problems", &self.problems, true, limits::NOTES_MAX);
        errors.text("assessment", &self.assessment, true, limits::NOTES_MAX);
        errors.text("co_interviewers", &self.co_interviewers, false, limits::SHORT_TEXT_MAX);
        errors.text("study_plan", &self.study_plan, false, limits::NOTES_MAX);
        errors
    }
}

choice!(
    /// How the parents were reached (000 §2.5; 004 §3.2).
    ContactChannel {
        Phone,
        WeChat,
        Sms,
        Letter,
        RegisteredMail,
        Meeting,
        Visit,
    }
);

choice!(
    /// Why the parents were contacted.
    ParentContactReason {
        Routine,
        /// 学业预警
        Warning,
        /// 违纪处分
        Discipline,
        /// 喜报
        GoodNews,
        /// 突发事件
        Incident,
        /// 学籍变动
        StatusChange,
    }
);

/// 家长联系
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentContact {
    pub student_id: StudentId,
    pub contacted_at: DateTime<FixedOffset>,
    /// Who was reached, e.g. `父亲 张建国`.
    pub guardian: String,
    pub channel: ContactChannel,
    pub reason: ParentContactReason,
    pub content: String,
    #[serde(default)]
    pub feedback: String,
    #[serde(default)]
    pub follow_up: String,
}

impl RecordKind for ParentContact {
    record_meta!("parent_contact", Student(student_id), contacted_at);
    /// By channel, so a rule can ask for 003 五's phone call, registered letter or meeting.
    const ACTIVITIES: &'static [&'static str] = &["phone", "we_chat", "sms", "letter", "registered_mail", "meeting", "visit"];
    fn activity(&self) -> Option<u8> {
        ContactChannel::ALL.iter().position(|c| *c == self.channel).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "contacted_at", self.contacted_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        errors.text("guardian", &self.guardian, true, limits::SHORT_TEXT_MAX);
        errors.text("content", &self.content, true, limits::NOTES_MAX);
        errors.text("feedback", &self.feedback, false, limits::NOTES_MAX);
        errors.text("follow_up", &self.follow_up, false, limits::NOTES_MAX);
        errors
    }
}

/// 家访, with the four contents of 004 §3.4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeVisit {
    pub student_id: StudentId,
    pub visited_at: DateTime<FixedOffset>,
    pub address: String,
    /// Who went, e.g. `辅导员 王芳，班主任 陈静`.
    pub participants: String,
    /// 一：宣传国家、学校资助政策
    #[serde(default)]
    pub aid_policy: String,
    /// 二：互相通报学校、家庭的重要变化与学生的表现和进步
    #[serde(default)]
    pub news_exchanged: String,
    /// 三：学生在学校、班级和家庭的基本情况
    pub student_situation: String,
    /// 四：共同商讨教育学生的步骤和方法
    pub joint_plan: String,
    /// The family's situation as seen.
    #[serde(default)]
    pub family_situation: String,
    /// Aid given or arranged, if any.
    #[serde(default)]
    pub aid_given: String,
}

impl RecordKind for HomeVisit {
    record_meta!("home_visit", Student(student_id), visited_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "visited_at", self.visited_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        errors.text("address", &self.address, true, limits::SHORT_TEXT_MAX);
        errors.text("participants", &self.participants, true, limits::SHORT_TEXT_MAX);
        for (field, value, required) in [
            ("aid_policy", &self.aid_policy, false),
            ("news_exchanged", &self.news_exchanged, false),
            ("student_situation", &self.student_situation, true),
            ("joint_plan", &self.joint_plan, true),
            ("family_situation", &self.family_situation, false),
            ("aid_given", &self.aid_given, false),
        ] {
            errors.text(field, value, required, limits::NOTES_MAX);
        }
        errors
    }
}

choice!(
    /// What a student issue is about (002 §4.3).
    IssueCategory {
        Study,
        Life,
        Dormitory,
        Canteen,
        Safety,
        Finance,
        Other,
    }
);

choice!(
    /// open → assigned → resolved → fed back to the students.
    IssueStatus {
        Open,
        Assigned,
        Resolved,
        FedBack,
    }
);

/// 学生诉求台账: a problem students raised, followed until they hear the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentIssue {
    pub class_id: ClassId,
    /// The student who raised it, when one did.
    #[serde(default)]
    pub student_id: Option<StudentId>,
    pub raised_at: DateTime<FixedOffset>,
    pub category: IssueCategory,
    pub description: String,
    pub status: IssueStatus,
    /// The office or person it was forwarded to (required from `assigned` on).
    #[serde(default)]
    pub forwarded_to: String,
    /// How it was resolved (required from `resolved` on).
    #[serde(default)]
    pub resolution: String,
}

impl RecordKind for StudentIssue {
    const KIND: &'static str = "student_issue";
    /// An issue raised by one student is about them; the class is what every issue names.
    const SUBJECT_TYPE: crate::record::SubjectType = crate::record::SubjectType::Class;

    fn subject(&self) -> Subject {
        match self.student_id {
            Some(s) => Subject::Student(s),
            None => Subject::Class(self.class_id),
        }
    }

    fn occurred_at(&self) -> DateTime<FixedOffset> {
        self.raised_at
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "raised_at", self.raised_at, ctx.now);
        if check_class(&mut errors, "class_id", ctx.roster, self.class_id) {
            if let Some(s) = self.student_id {
                match ctx.roster.student(s) {
                    None => errors.add("student_id", "unknown_student", "is not a student in your roster"),
                    Some(st) if st.class_id != self.class_id => errors.add("student_id", "not_member", "is not in this class"),
                    Some(_) => {}
                }
            }
        }
        errors.text("description", &self.description, true, limits::NOTES_MAX);
        let assigned = self.status != IssueStatus::Open;
        let resolved = matches!(self.status, IssueStatus::Resolved | IssueStatus::FedBack);
        errors.text("forwarded_to", &self.forwarded_to, assigned, limits::SHORT_TEXT_MAX);
        errors.text("resolution", &self.resolution, resolved, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};

    fn at() -> DateTime<FixedOffset> {
        now() - chrono::Duration::days(1)
    }

    fn talk() -> Talk {
        Talk {
            student_id: StudentId(2),
            talked_at: at(),
            place: "辅导员办公室".into(),
            reason: TalkReason::AcademicWarning,
            problems: "本学期两门课程不及格，情绪低落".into(),
            assessment: "状态基本正常，需持续关注；建议每两周谈话一次".into(),
            parents_contacted: true,
            refer_to_counseling: false,
            co_interviewers: "班主任 陈静".into(),
            study_plan: String::new(),
        }
    }

    #[test]
    fn a_talk_is_valid_and_about_its_student() {
        assert_eq!(codes(&talk()), vec![]);
        assert_eq!(talk().subject(), Subject::Student(StudentId(2)));
    }

    #[test]
    fn a_talk_needs_problems_assessment_and_a_known_student() {
        let mut t = talk();
        t.problems.clear();
        only(&t, "problems", "required");
        let mut t = talk();
        t.assessment = "\n".into();
        only(&t, "assessment", "required");
        let mut t = talk();
        t.student_id = StudentId(77);
        only(&t, "student_id", "unknown_student");
    }

    fn contact() -> ParentContact {
        ParentContact {
            student_id: StudentId(1),
            contacted_at: at(),
            guardian: "母亲 李秀英".into(),
            channel: ContactChannel::Phone,
            reason: ParentContactReason::Warning,
            content: "告知学业预警情况".into(),
            feedback: "家长表示会督促".into(),
            follow_up: String::new(),
        }
    }

    #[test]
    fn a_parent_contact_needs_guardian_and_content() {
        assert_eq!(codes(&contact()), vec![]);
        let mut c = contact();
        c.guardian.clear();
        c.content.clear();
        assert_eq!(codes(&c), vec![("guardian".into(), "required".into()), ("content".into(), "required".into())]);
        assert_eq!(ContactChannel::ALL.len(), 7);
        assert_eq!(ParentContactReason::ALL.len(), 6);
    }

    fn visit() -> HomeVisit {
        HomeVisit {
            student_id: StudentId(3),
            visited_at: at(),
            address: "四川省绵阳市某村".into(),
            participants: "辅导员 王芳，班主任 陈静".into(),
            aid_policy: "讲解国家助学贷款与学校助学金".into(),
            news_exchanged: String::new(),
            student_situation: "在校表现良好，积极参加活动".into(),
            joint_plan: "家长每月与班主任通话一次".into(),
            family_situation: "农村，单亲".into(),
            aid_given: String::new(),
        }
    }

    #[test]
    fn a_home_visit_needs_address_participants_situation_and_plan() {
        assert_eq!(codes(&visit()), vec![]);
        let mut v = visit();
        v.joint_plan.clear();
        only(&v, "joint_plan", "required");
        let mut v = visit();
        v.address.clear();
        v.participants.clear();
        v.student_situation.clear();
        assert_eq!(codes(&v).len(), 3);
        let mut v = visit();
        v.aid_given = "助".repeat(2001);
        only(&v, "aid_given", "too_long");
    }

    fn issue() -> StudentIssue {
        StudentIssue {
            class_id: ClassId(1),
            student_id: Some(StudentId(4)),
            raised_at: at(),
            category: IssueCategory::Dormitory,
            description: "宿舍热水器损坏".into(),
            status: IssueStatus::Open,
            forwarded_to: String::new(),
            resolution: String::new(),
        }
    }

    #[test]
    fn an_issue_moves_through_its_states_with_what_each_needs() {
        assert_eq!(codes(&issue()), vec![]);
        let mut i = issue();
        i.status = IssueStatus::Assigned;
        only(&i, "forwarded_to", "required");
        i.forwarded_to = "后勤处".into();
        assert_eq!(codes(&i), vec![]);
        i.status = IssueStatus::FedBack;
        only(&i, "resolution", "required");
        i.resolution = "已更换热水器并告知学生".into();
        assert_eq!(codes(&i), vec![]);
    }

    #[test]
    fn an_issue_is_about_its_student_or_else_its_class() {
        assert_eq!(issue().subject(), Subject::Student(StudentId(4)));
        let mut i = issue();
        i.student_id = None;
        assert_eq!(i.subject(), Subject::Class(ClassId(1)));
        let mut i = issue();
        i.class_id = ClassId(9);
        only(&i, "class_id", "unknown_class");
    }

    #[test]
    fn a_talk_with_a_study_plan_and_a_contact_by_channel_are_sub_kinds_rules_can_ask_for() {
        assert_eq!(talk().activity(), None);
        assert_eq!(Talk { study_plan: "每周交一次作业清单".into(), ..talk() }.activity(), Some(0));
        // The wire names of the channels are the activities, in the same order.
        for (i, channel) in ContactChannel::ALL.iter().enumerate() {
            let wire = serde_json::to_value(channel).expect("serialises");
            assert_eq!(wire, serde_json::json!(ParentContact::ACTIVITIES[i]));
        }
    }
}

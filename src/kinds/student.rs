//! Records about one student: 谈心谈话, 家长联系, 家访. (The issue ledger is `kinds::issue`.)
//! Talks, parent contacts and home visits are confidential: only staff assigned to the student
//! and the office may read them (001 §3.7).

use super::{check_student, choice, record_meta};
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
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
        /// 《致家长的一封信》 (004 三(二)2)
        Letter,
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
    /// The office's letter (a 《致家长的一封信》 or a 喜报, a `parent_letter` record) this contact
    /// delivered; its `feedback` is the family's answer, `follow_up` what was done about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<uuid::Uuid>,
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

choice!(
    /// What happened to a student that the parents must hear of (004 三(二)1, 3, 4). The wire
    /// names are the kind's activities, so a rule can start a duty on one of them.
    StudentEventKind {
        /// 奖励、表彰: «把学生的奖惩情况，及时通报学生家长» (三(二)1).
        Award,
        /// 省级以上荣誉、省部级以上竞赛优异成绩、见义勇为等先进事迹: a 喜报 to the family (三(二)3).
        Honour,
        /// 未达到学年学分要求，旷课、挂科严重；学业修读困难 (三(二)4(1)(2)).
        AcademicTrouble,
        /// 网络成瘾、思想偏激 (三(二)4(3)).
        Conduct,
        /// 突发事件、重大身心疾病 (三(二)4(4)).
        Incident,
        /// 学籍异动：休学、复学、退学 (三(二)4(5)).
        StatusChange,
        /// 学校认为其它需要告知家长或需要家长配合处理的情况 (三(二)4(6)).
        Other,
    }
);

/// 家校沟通事项: something that happened to a student, which starts a "contact the parents"
/// duty (004 三(二)). Written by the student's staff or the office; confidential like a talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentEvent {
    pub student_id: StudentId,
    pub occurred_at: DateTime<FixedOffset>,
    pub event: StudentEventKind,
    /// What happened, as the parents should hear it.
    pub description: String,
}

impl RecordKind for StudentEvent {
    record_meta!("student_event", Student(student_id), occurred_at);
    const ACTIVITIES: &'static [&'static str] = &["award", "honour", "academic_trouble", "conduct", "incident", "status_change", "other"];
    fn activity(&self) -> Option<u8> {
        StudentEventKind::ALL.iter().position(|e| *e == self.event).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "occurred_at", self.occurred_at, ctx.now);
        check_student(&mut errors, "student_id", ctx.roster, self.student_id);
        errors.text("description", &self.description, true, limits::NOTES_MAX);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};
    use crate::record::Subject;

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
            letter_id: None,
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
        assert_eq!(ParentContactReason::ALL.len(), 7);
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

    #[test]
    fn an_event_is_about_its_student_and_its_kind_is_its_activity() {
        let e = StudentEvent { student_id: StudentId(2), occurred_at: at(), event: StudentEventKind::Incident, description: "突发阑尾炎住院".into() };
        assert_eq!(codes(&e), vec![]);
        assert_eq!(e.subject(), Subject::Student(StudentId(2)));
        for (i, kind) in StudentEventKind::ALL.iter().enumerate() {
            let wire = serde_json::to_value(kind).expect("serialises");
            assert_eq!(wire, serde_json::json!(StudentEvent::ACTIVITIES[i]));
        }
        only(&StudentEvent { description: String::new(), ..e.clone() }, "description", "required");
        only(&StudentEvent { student_id: StudentId(99), ..e }, "student_id", "unknown_student");
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

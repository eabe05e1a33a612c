//! Records about a class: 查课, 听课, 班会, 班委会, 任课教师联系 (000 §1.2, §3.1–3.4, §4.1).

use super::{check_class, check_student_list, choice, record_meta};
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::sorting::Order;
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

fn class_students(ctx: &ValidationContext, class: ClassId) -> BTreeSet<StudentId> {
    ctx.roster.students.iter().filter(|s| s.class_id == class).map(|s| s.id).collect()
}

/// 查课: attendance of one class in one lecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassCheck {
    pub class_id: ClassId,
    pub checked_at: DateTime<FixedOffset>,
    pub course: String,
    pub teacher: String,
    /// 节次, e.g. `3-4节`.
    pub period: String,
    /// Students expected (the class size, less those excused).
    pub expected: u32,
    pub present: u32,
    #[serde(default)]
    pub absent: Vec<StudentId>,
    #[serde(default)]
    pub late: Vec<StudentId>,
    #[serde(default)]
    pub left_early: Vec<StudentId>,
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for ClassCheck {
    record_meta!("class_check", Class(class_id), checked_at);

    /// The course teacher: the checks say who teaches the class (see `teacher-contact`).
    fn counterpart(&self) -> Option<&str> {
        Some(&self.teacher)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "checked_at", self.checked_at, ctx.now);
        errors.text("course", &self.course, true, limits::SHORT_TEXT_MAX);
        errors.text("teacher", &self.teacher, false, limits::SHORT_TEXT_MAX);
        errors.text("period", &self.period, false, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        if !check_class(&mut errors, "class_id", ctx.roster, self.class_id) {
            return errors;
        }
        let members = class_students(ctx, self.class_id);
        let absent = check_student_list(&mut errors, "absent", &self.absent, &members, "is not in this class");
        let late = check_student_list(&mut errors, "late", &self.late, &members, "is not in this class");
        let left = check_student_list(&mut errors, "left_early", &self.left_early, &members, "is not in this class");
        // Someone absent cannot also be late or leave early.
        for (field, list, set) in [("late", &self.late, &late), ("left_early", &self.left_early, &left)] {
            for (i, id) in list.iter().enumerate() {
                if absent.contains(id) && set.contains(id) {
                    errors.add(format!("{field}[{i}]"), "also_absent", "is also marked absent");
                }
            }
        }
        if self.expected as usize > members.len() {
            errors.add("expected", "out_of_range", format!("the class has {} students", members.len()));
        }
        if self.present > self.expected {
            errors.add("present", "out_of_range", "cannot exceed the students expected");
        } else if self.present as usize + self.absent.len() > self.expected as usize {
            errors.add("present", "inconsistent", "present and absent together exceed the students expected");
        }
        errors
    }
}

/// 听课: a lecture the counselor sat in on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LectureVisit {
    pub class_id: ClassId,
    pub visited_at: DateTime<FixedOffset>,
    pub course: String,
    pub teacher: String,
    /// What was seen: the class's attention, discipline, the teaching.
    pub notes: String,
}

impl RecordKind for LectureVisit {
    record_meta!("lecture_visit", Class(class_id), visited_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "visited_at", self.visited_at, ctx.now);
        check_class(&mut errors, "class_id", ctx.roster, self.class_id);
        errors.text("course", &self.course, true, limits::SHORT_TEXT_MAX);
        errors.text("teacher", &self.teacher, true, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, true, limits::NOTES_MAX);
        errors
    }
}

choice!(
    /// 班会主题 (000 §1.2)
    MeetingTopic {
        /// 思想教育
        Ideology,
        /// 校规校纪
        Rules,
        /// 安全教育
        Safety,
        /// 主题班会
        Theme,
        Other,
        /// 毕业教育、文明离校 (000 二(二))
        Graduation,
    }
);

/// 班会
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassMeeting {
    pub class_id: ClassId,
    pub held_at: DateTime<FixedOffset>,
    pub topic: MeetingTopic,
    pub title: String,
    /// How many attended.
    pub attended: u32,
    #[serde(default)]
    pub absent: Vec<StudentId>,
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for ClassMeeting {
    record_meta!("class_meeting", Class(class_id), held_at);
    /// By topic, so a rule can ask for the graduates' meeting on leaving well.
    const ACTIVITIES: &'static [&'static str] = &["ideology", "rules", "safety", "theme", "other", "graduation"];
    fn activity(&self) -> Option<u8> {
        MeetingTopic::ALL.iter().position(|t| *t == self.topic).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "held_at", self.held_at, ctx.now);
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        if check_class(&mut errors, "class_id", ctx.roster, self.class_id) {
            let members = class_students(ctx, self.class_id);
            check_student_list(&mut errors, "absent", &self.absent, &members, "is not in this class");
            if self.attended as usize + self.absent.len() > members.len() {
                errors.add("attended", "out_of_range", format!("the class has {} students", members.len()));
            }
        }
        errors
    }
}

/// 班委会
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitteeMeeting {
    pub class_id: ClassId,
    pub held_at: DateTime<FixedOffset>,
    /// Summary of recent work.
    pub summary: String,
    /// The plan for what comes next.
    #[serde(default)]
    pub plan: String,
    /// The committee's opinions and suggestions.
    #[serde(default)]
    pub opinions: String,
}

impl RecordKind for CommitteeMeeting {
    record_meta!("committee_meeting", Class(class_id), held_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "held_at", self.held_at, ctx.now);
        check_class(&mut errors, "class_id", ctx.roster, self.class_id);
        errors.text("summary", &self.summary, true, limits::NOTES_MAX);
        errors.text("plan", &self.plan, false, limits::NOTES_MAX);
        errors.text("opinions", &self.opinions, false, limits::NOTES_MAX);
        errors
    }
}

/// 任课教师联系: what a course teacher said about the class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeacherContact {
    pub class_id: ClassId,
    pub contacted_at: DateTime<FixedOffset>,
    pub teacher: String,
    pub course: String,
    pub learned: String,
}

impl RecordKind for TeacherContact {
    record_meta!("teacher_contact", Class(class_id), contacted_at);

    fn counterpart(&self) -> Option<&str> {
        Some(&self.teacher)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "contacted_at", self.contacted_at, ctx.now);
        check_class(&mut errors, "class_id", ctx.roster, self.class_id);
        errors.text("teacher", &self.teacher, true, limits::SHORT_TEXT_MAX);
        errors.text("course", &self.course, true, limits::SHORT_TEXT_MAX);
        errors.text("learned", &self.learned, true, limits::NOTES_MAX);
        errors
    }
}

/// A course teacher of a class, as the class checks name them, and whether a teacher contact
/// named them in the same days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseTeacher {
    pub teacher: String,
    pub course: String,
    pub contacted: bool,
}

/// The course teachers `class`'s checks named from `since` on (one per teacher, by
/// [`crate::record::counterpart_key`], with the course last seen), not yet contacted first: what
/// the teacher contact form offers, and what `teacher-contact` counts.
pub fn course_teachers<R: AsRef<crate::record::RecordEnvelope>>(records: &[R], class: ClassId, since: chrono::NaiveDate) -> Vec<CourseTeacher> {
    use crate::record::{counterpart_key, RecordBody};
    let mut seen: std::collections::BTreeMap<u32, CourseTeacher> = std::collections::BTreeMap::new();
    let mut contacted = std::collections::BTreeSet::new();
    let mut current: Vec<&crate::record::RecordEnvelope> = records.iter().map(AsRef::as_ref).filter(|r| !r.deleted).collect();
    current.order_by_key(|r| r.body.occurred_at());
    for r in current.into_iter().filter(|r| r.body.occurred_at().date_naive() >= since) {
        match &r.body {
            RecordBody::ClassCheck(c) if c.class_id == class => {
                if let Some(key) = counterpart_key(&c.teacher) {
                    seen.insert(key, CourseTeacher { teacher: c.teacher.trim().to_string(), course: c.course.trim().to_string(), contacted: false });
                }
            }
            RecordBody::TeacherContact(t) if t.class_id == class => contacted.extend(counterpart_key(&t.teacher)),
            _ => {}
        }
    }
    let mut list: Vec<CourseTeacher> = seen.into_iter().map(|(key, t)| CourseTeacher { contacted: contacted.contains(&key), ..t }).collect();
    list.order_by(|a, b| (a.contacted, &a.teacher).cmp(&(b.contacted, &b.teacher)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};

    #[test]
    fn the_course_teachers_come_from_the_class_checks_not_yet_contacted_first() {
        let env = |body: crate::record::RecordBody| crate::record::RecordEnvelope::new(body, UserId(1), "p", now());
        let check =
            |teacher: &str, course: &str| env(crate::record::RecordBody::ClassCheck(ClassCheck { teacher: teacher.into(), course: course.into(), ..check() }));
        let contact = |teacher: &str| {
            env(crate::record::RecordBody::TeacherContact(TeacherContact {
                class_id: ClassId(1),
                contacted_at: at(),
                teacher: teacher.into(),
                course: String::new(),
                learned: "课堂纪律良好".into(),
            }))
        };
        let records = vec![check("张老师", "高等数学"), check("李四", "大学英语"), check(" 张老师", "线性代数"), contact("张")];
        let list = course_teachers(&records, ClassId(1), (now() - chrono::Duration::days(30)).date_naive());
        let shown: Vec<(&str, &str, bool)> = list.iter().map(|t| (t.teacher.as_str(), t.course.as_str(), t.contacted)).collect();
        assert_eq!(shown, vec![("李四", "大学英语", false), ("张老师", "线性代数", true)]);
        assert!(course_teachers(&records, ClassId(2), now().date_naive()).is_empty());
    }
    use crate::record::Subject;

    fn at() -> DateTime<FixedOffset> {
        now() - chrono::Duration::hours(2)
    }

    fn check() -> ClassCheck {
        ClassCheck {
            class_id: ClassId(1),
            checked_at: at(),
            course: "高等数学".into(),
            teacher: "张老师".into(),
            period: "1-2节".into(),
            expected: 5,
            present: 4,
            absent: vec![StudentId(3)],
            late: vec![StudentId(1)],
            left_early: vec![],
            notes: String::new(),
        }
    }

    #[test]
    fn a_class_check_is_valid() {
        assert_eq!(codes(&check()), vec![]);
        assert_eq!(check().subject(), Subject::Class(ClassId(1)));
    }

    #[test]
    fn class_check_counts_must_add_up() {
        let mut c = check();
        c.present = 6;
        only(&c, "present", "out_of_range");
        let mut c = check();
        c.present = 5;
        only(&c, "present", "inconsistent");
        let mut c = check();
        c.expected = 6;
        c.present = 5;
        only(&c, "expected", "out_of_range");
    }

    #[test]
    fn class_check_students_belong_and_are_not_absent_and_late() {
        let mut c = check();
        c.late.push(StudentId(3));
        only(&c, "late[1]", "also_absent");
        let mut c = check();
        c.left_early.push(StudentId(42));
        only(&c, "left_early[0]", "not_member");
        let mut c = check();
        c.absent.push(StudentId(3));
        let got = codes(&c);
        assert!(got.contains(&("absent[1]".into(), "duplicate".into())));
    }

    #[test]
    fn class_check_needs_a_known_class_and_a_course() {
        let mut c = check();
        c.class_id = ClassId(7);
        only(&c, "class_id", "unknown_class");
        let mut c = check();
        c.course.clear();
        only(&c, "course", "required");
    }

    #[test]
    fn lecture_visit_needs_course_teacher_and_notes() {
        let v = LectureVisit {
            class_id: ClassId(1), visited_at: at(), course: "数据结构".into(), teacher: "王老师".into(), notes: "课堂纪律良好".into()
        };
        assert_eq!(codes(&v), vec![]);
        let mut w = v.clone();
        w.notes.clear();
        only(&w, "notes", "required");
        let mut w = v;
        w.teacher = "  ".into();
        only(&w, "teacher", "required");
    }

    #[test]
    fn class_meeting_attendance_fits_the_class() {
        let m = ClassMeeting {
            class_id: ClassId(1),
            held_at: at(),
            topic: MeetingTopic::Safety,
            title: "冬季消防安全".into(),
            attended: 4,
            absent: vec![StudentId(2)],
            notes: String::new(),
        };
        assert_eq!(codes(&m), vec![]);
        let mut n = m.clone();
        n.attended = 5;
        only(&n, "attended", "out_of_range");
        let mut n = m;
        n.title.clear();
        only(&n, "title", "required");
        assert_eq!(MeetingTopic::ALL.len(), 6);
    }

    #[test]
    fn committee_meeting_needs_a_summary() {
        let m = CommitteeMeeting { class_id: ClassId(1), held_at: at(), summary: "总结上月工作".into(), plan: String::new(), opinions: String::new() };
        assert_eq!(codes(&m), vec![]);
        let mut n = m;
        n.summary.clear();
        only(&n, "summary", "required");
    }

    #[test]
    fn teacher_contact_needs_teacher_course_and_what_was_learned() {
        let t = TeacherContact {
            class_id: ClassId(1), contacted_at: at(), teacher: "李老师".into(), course: "英语".into(), learned: "作业完成率偏低".into()
        };
        assert_eq!(codes(&t), vec![]);
        let mut u = t;
        u.learned.clear();
        u.contacted_at = now() + chrono::Duration::days(1);
        let got = codes(&u);
        assert!(got.contains(&("learned".into(), "required".into())));
        assert!(got.contains(&("contacted_at".into(), "in_future".into())));
    }
}

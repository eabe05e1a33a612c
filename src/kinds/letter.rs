//! Letters to families (004 三(二)2, 3): the semester-end 《致家长的一封信》 and the 喜报 on a
//! student's honour. The office sends a batch; each letter of it is a record about one class
//! (every student's family) or one student, so the class's counselor and head teacher receive
//! theirs by the ordinary rules of who sees what. Staff record each delivery as a parent contact
//! naming the letter, with the family's answer (回应) and what was done about it (落实): «有回应，
//! 有落实». A batch's progress is read from those contacts.

use super::choice;
use crate::ids::*;
use crate::record::{RecordBody, RecordEnvelope, RecordKind, Subject, SubjectType, ValidationContext};
use crate::roster::RosterSnapshot;
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest a batch may give staff to deliver its letters.
pub const DELIVERY_DAYS_MAX: i64 = 120;

choice!(
    /// Which letter (the rules' sub-kinds, by these wire names).
    LetterKind {
        /// 《致家长的一封信》 at the semester's end (004 三(二)2): every student's family.
        SemesterLetter,
        /// 喜报 (004 三(二)3): a provincial honour, a prize, a good deed; one student's family.
        GoodNews,
    }
);

/// One letter of the office's batch: to the families of a class, or to one student's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentLetter {
    pub letter: LetterKind,
    /// The letters sent together share it (the office's page groups them by it).
    pub batch_id: Uuid,
    /// `2026—2027学年第一学期致家长的一封信`.
    pub title: String,
    pub sent_at: DateTime<FixedOffset>,
    /// By when staff are to deliver it and record the delivery.
    pub deliver_by: NaiveDate,
    pub class_id: ClassId,
    /// A 喜报's student, in `class_id`; a semester letter goes to the whole class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student_id: Option<StudentId>,
    /// What it says (or where the printed letter is), for the staff who hand it on.
    #[serde(default)]
    pub content: String,
}

impl RecordKind for ParentLetter {
    const KIND: &'static str = "parent_letter";
    /// A semester letter is about its class; a 喜报 about its student (in the class).
    const SUBJECT_TYPE: SubjectType = SubjectType::Class;
    const ACTIVITIES: &'static [&'static str] = &["semester_letter", "good_news"];
    /// 学工部、系 send them (004 三(二)2): the staff who deliver them cannot write them.
    const OFFICE_ONLY: bool = true;

    fn subject(&self) -> Subject {
        match self.student_id {
            Some(s) => Subject::Student(s),
            None => Subject::Class(self.class_id),
        }
    }

    fn occurred_at(&self) -> DateTime<FixedOffset> {
        self.sent_at
    }

    fn activity(&self) -> Option<u8> {
        LetterKind::ALL.iter().position(|k| *k == self.letter).map(|i| i as u8)
    }

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        crate::record::check_occurred_at(&mut errors, "sent_at", self.sent_at, ctx.now);
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("content", &self.content, false, limits::NOTES_MAX);
        let sent_on = self.sent_at.date_naive();
        if self.deliver_by < sent_on {
            errors.add("deliver_by", "before_start", "is before the letter was sent");
        } else if (self.deliver_by - sent_on).num_days() > DELIVERY_DAYS_MAX {
            errors.add("deliver_by", "too_long", format!("give at most {DELIVERY_DAYS_MAX} days to deliver"));
        }
        if super::check_class(&mut errors, "class_id", ctx.roster, self.class_id) {
            match (self.letter, self.student_id.map(|s| ctx.roster.student(s))) {
                (LetterKind::GoodNews, None) => errors.add("student_id", "required", "a 喜报 is to one student's family"),
                (_, Some(None)) => errors.add("student_id", "unknown_student", "is not a student in your roster"),
                (_, Some(Some(st))) if st.class_id != self.class_id => errors.add("student_id", "not_member", "is not in this class"),
                _ => {}
            }
        }
        errors
    }
}

/// How one family's letter came through: the first parent contact naming it, and whether the
/// family answered and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterDelivery {
    pub student_id: StudentId,
    pub delivered_on: Option<NaiveDate>,
    pub delivered_by: Option<UserId>,
    /// The family's answer (回应) was recorded.
    pub answered: bool,
    /// What was done about it (落实) was recorded.
    pub followed_up: bool,
}

impl ParentLetter {
    /// The reason a contact delivering it gives.
    pub fn contact_reason(&self) -> crate::kinds::student::ParentContactReason {
        match self.letter {
            LetterKind::SemesterLetter => crate::kinds::student::ParentContactReason::Letter,
            LetterKind::GoodNews => crate::kinds::student::ParentContactReason::GoodNews,
        }
    }

    /// The families it goes to: the student of a 喜报, every student of the class for a letter.
    pub fn families(&self, roster: &RosterSnapshot) -> Vec<StudentId> {
        match self.student_id {
            Some(s) => vec![s],
            None => roster.students.iter().filter(|s| s.class_id == self.class_id).map(|s| s.id).collect(),
        }
    }

    /// For each family, the delivery of the letter `letter_id` (this record's id) among `records`.
    pub fn deliveries<R: AsRef<RecordEnvelope>>(&self, letter_id: Uuid, roster: &RosterSnapshot, records: &[R]) -> Vec<LetterDelivery> {
        let mut firsts: std::collections::BTreeMap<StudentId, LetterDelivery> = std::collections::BTreeMap::new();
        for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
            let RecordBody::ParentContact(c) = &r.body else { continue };
            if c.letter_id != Some(letter_id) {
                continue;
            }
            let on = c.contacted_at.date_naive();
            let entry = firsts.entry(c.student_id).or_insert(LetterDelivery {
                student_id: c.student_id,
                delivered_on: Some(on),
                delivered_by: Some(r.author_id),
                answered: false,
                followed_up: false,
            });
            if entry.delivered_on.is_some_and(|d| on < d) {
                (entry.delivered_on, entry.delivered_by) = (Some(on), Some(r.author_id));
            }
            entry.answered |= !c.feedback.trim().is_empty();
            entry.followed_up |= !c.follow_up.trim().is_empty();
        }
        self.families(roster)
            .into_iter()
            .map(|s| firsts.remove(&s).unwrap_or(LetterDelivery { student_id: s, delivered_on: None, delivered_by: None, answered: false, followed_up: false }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::student::{ContactChannel, ParentContact, ParentContactReason};
    use crate::roster::tests::sample;

    fn at(day: u32) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2027-01-{day:02}T10:00:00+08:00")).expect("a time")
    }

    fn letter() -> ParentLetter {
        ParentLetter {
            letter: LetterKind::SemesterLetter,
            batch_id: Uuid::nil(),
            title: "致家长的一封信".into(),
            sent_at: at(4),
            deliver_by: NaiveDate::from_ymd_opt(2027, 1, 20).expect("a day"),
            class_id: ClassId(1),
            student_id: None,
            content: String::new(),
        }
    }

    fn ctx(roster: &RosterSnapshot) -> ValidationContext<'_> {
        ValidationContext { roster, now: at(5) }
    }

    #[test]
    fn a_good_news_letter_names_a_student_of_its_class() {
        let roster = sample();
        assert!(letter().validate(&ctx(&roster)).is_empty());
        let news = ParentLetter { letter: LetterKind::GoodNews, ..letter() };
        assert_eq!(news.validate(&ctx(&roster)).codes(), vec![("student_id", "required")]);
        let student = roster.students[0].id;
        assert!(ParentLetter { student_id: Some(student), ..news.clone() }.validate(&ctx(&roster)).is_empty());
        let elsewhere = ParentLetter { class_id: ClassId(99), student_id: Some(student), ..news };
        assert_eq!(elsewhere.validate(&ctx(&roster)).codes(), vec![("class_id", "unknown_class")]);
        let late = ParentLetter { deliver_by: NaiveDate::from_ymd_opt(2027, 1, 3).expect("a day"), ..letter() };
        assert_eq!(late.validate(&ctx(&roster)).codes(), vec![("deliver_by", "before_start")]);
    }

    #[test]
    fn a_batch_counts_each_family_once_with_its_answer_and_follow_up() {
        let roster = sample();
        let families = letter().families(&roster);
        assert!(!families.is_empty());
        let letter_id = Uuid::now_v7();
        let contact = |student, day, feedback: &str, follow_up: &str, letter| {
            RecordEnvelope::new(
                RecordBody::ParentContact(ParentContact {
                    student_id: student,
                    contacted_at: at(day),
                    guardian: "母亲".into(),
                    channel: ContactChannel::WeChat,
                    reason: ParentContactReason::Letter,
                    content: "已转发致家长的一封信".into(),
                    feedback: feedback.into(),
                    follow_up: follow_up.into(),
                    letter_id: letter,
                }),
                UserId(7),
                "d",
                at(day),
            )
        };
        let first = families[0];
        let records = vec![
            contact(first, 9, "", "", Some(letter_id)),
            contact(first, 6, "家长希望寒假加强学习", "已约定开学后面谈", Some(letter_id)),
            // Not about this letter: counts for nothing here.
            contact(first, 7, "", "", None),
        ];
        let d = letter().deliveries(letter_id, &roster, &records);
        assert_eq!(d.len(), families.len());
        assert_eq!((d[0].delivered_on, d[0].answered, d[0].followed_up), (NaiveDate::from_ymd_opt(2027, 1, 6), true, true));
        assert!(d[1..].iter().all(|x| x.delivered_on.is_none()));
    }
}

//! 学生档案: what the college keeps about a student's family and needs (004 §3.1). Confidential:
//! only staff assigned to the student's class, and the office, ever receive it.
//!
//! Four of its fields are the student's standing (学业预警 level and date, 处分 date, 帮扶 level):
//! they start duties (talks, parent contact), so they are the office's decision, not the
//! counselor's who owes those duties. [`StudentStanding`] names them once, for the server's
//! refusal of a change by anyone else and for the history of every change.

use crate::kinds::choice;
use crate::validate::{limits, ValidationErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

choice!(
    /// 城镇 / 农村
    Origin { Urban, Rural }
);

choice!(
    /// The family's economic situation, as officially recognised.
    Economy {
        Normal,
        /// 家庭经济困难
        Difficult,
        /// 特别困难
        Hardship,
    }
);

choice!(
    /// How closely the parents are kept in touch (004 第四条 1: «特殊学生要经常联系、重点学生要加强联系、
    /// 一般学生要保持联系»). No tier is a general student.
    ContactTier {
        /// 特殊学生: 特困、特殊 (004 三(一)'s 专门档案).
        Special,
        /// 重点学生.
        Key,
    }
);

choice!(
    /// Reasons to pay a student special attention (001 §2, 003 §3).
    AttentionFlag {
        AcademicWarning,
        Discipline,
        Psychological,
        EconomicHardship,
        SingleParent,
        Orphan,
        Disability,
        Health,
        Other,
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentArchive {
    #[serde(default)]
    pub guardian_name: String,
    #[serde(default)]
    pub guardian_phone: String,
    #[serde(default)]
    pub home_address: String,
    #[serde(default)]
    pub origin: Option<Origin>,
    #[serde(default)]
    pub economy: Option<Economy>,
    /// Anything else about the family (single parent, illness at home…).
    #[serde(default)]
    pub family_notes: String,
    #[serde(default)]
    pub medical_notes: String,
    #[serde(default)]
    pub flags: Vec<AttentionFlag>,
    /// 004 三(一) lists the student's age: kept as the birth date, the age follows from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// 特殊 or 重点 (004 第四条 1); none for a general student.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<ContactTier>,
    /// When the archive was last confirmed with the student (at least once a school year).
    #[serde(default)]
    pub confirmed_on: Option<NaiveDate>,
    /// 学业预警 level by failed credits (003 §5): 1, 2 or 3.
    #[serde(default)]
    pub warning_level: Option<u8>,
    /// The day the warning was decided: parents must hear of it within days (000 §2.5).
    #[serde(default)]
    pub warning_on: Option<NaiveDate>,
    /// The day a disciplinary sanction (处分) was decided.
    #[serde(default)]
    pub discipline_on: Option<NaiveDate>,
    /// The day a decision on the student's enrolment (学籍处理: 留级, 休学, 试读…) was taken;
    /// 000 一(一), 二(五) name it beside the warning and the sanction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruling_on: Option<NaiveDate>,
    /// The level of an open assistance case (帮扶, 003 §4): it sets how often staff must talk.
    #[serde(default)]
    pub assistance_level: Option<u8>,
    /// The day the working group decided the level (003 五): the level's actions are due from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistance_on: Option<NaiveDate>,
}

impl StudentArchive {
    pub fn validate(&self, today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        errors.text("guardian_name", &self.guardian_name, false, limits::SHORT_TEXT_MAX);
        let phone = self.guardian_phone.trim();
        if !phone.is_empty() && !is_phone(phone) {
            errors.add("guardian_phone", "bad_phone", "must be a phone number (digits, spaces, + and -)");
        }
        errors.text("home_address", &self.home_address, false, limits::SHORT_TEXT_MAX);
        errors.text("family_notes", &self.family_notes, false, limits::NOTES_MAX);
        errors.text("medical_notes", &self.medical_notes, false, limits::NOTES_MAX);
        let mut seen = std::collections::BTreeSet::new();
        for (i, f) in self.flags.iter().enumerate() {
            if !seen.insert(format!("{f:?}")) {
                errors.add(format!("flags[{i}]"), "duplicate", "is listed twice");
            }
        }
        for (field, date) in [
            ("confirmed_on", self.confirmed_on),
            ("warning_on", self.warning_on),
            ("discipline_on", self.discipline_on),
            ("ruling_on", self.ruling_on),
            ("assistance_on", self.assistance_on),
            ("birth_date", self.birth_date),
        ] {
            if date.is_some_and(|d| d > today) {
                errors.add(field, "in_future", "lies in the future");
            } else if date.is_some_and(|d| !crate::school_time::in_calendar_range(d)) {
                errors.add(field, "out_of_range", crate::school_time::out_of_range_message());
            }
        }
        for (field, level) in [("warning_level", self.warning_level), ("assistance_level", self.assistance_level)] {
            // 003 第五条's three levels, by the number the archive keeps.
            if level.is_some_and(|l| crate::assistance::AcademicLevel::from_number(l).is_none()) {
                errors.add(field, "out_of_range", "must be 1, 2 or 3");
            }
        }
        if self.warning_on.is_some() && self.warning_level.is_none() {
            errors.add("warning_level", "required", "is required when a warning date is given");
        }
        if self.assistance_on.is_some() && self.assistance_level.is_none() {
            errors.add("assistance_level", "required", "is required when a decision date is given");
        }
        errors
    }

    /// Full years of age on `today`, from the birth date.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        today.years_since(self.birth_date?)
    }

    /// In the special archive of 004 三(一): a special (特殊) student, or of a family in
    /// particular hardship (特困), whatever the tier says.
    pub fn in_special_archive(&self) -> bool {
        self.tier == Some(ContactTier::Special) || self.economy == Some(Economy::Hardship)
    }

    /// Under an academic warning (any level).
    pub fn is_warned(&self) -> bool {
        self.warning_level.is_some()
    }

    /// Under a disciplinary sanction.
    pub fn is_disciplined(&self) -> bool {
        self.discipline_on.is_some()
    }

    /// Under a decision on their enrolment (学籍处理).
    pub fn is_ruled_on(&self) -> bool {
        self.ruling_on.is_some()
    }

    /// Any of 000 一(一)'s three: «受到学籍预警、学籍处理、纪律处分的学生».
    pub fn is_warned_ruled_or_disciplined(&self) -> bool {
        self.is_warned() || self.is_ruled_on() || self.is_disciplined()
    }

    /// Whether the yearly re-confirmation (004 §3.1) is due by `today`.
    pub fn needs_confirmation(&self, today: NaiveDate) -> bool {
        self.confirmed_on.is_none_or(|d| (today - d).num_days() >= 365)
    }
}

/// The archive's fields that drive duties and that only the office may change (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentStanding {
    /// 学业预警 level, 1 to 3.
    #[serde(default)]
    pub warning_level: Option<u8>,
    /// The day the warning was decided.
    #[serde(default)]
    pub warning_on: Option<NaiveDate>,
    /// The day a sanction (处分) was decided.
    #[serde(default)]
    pub discipline_on: Option<NaiveDate>,
    /// The day a decision on enrolment (学籍处理) was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruling_on: Option<NaiveDate>,
    /// 帮扶 level, 1 to 3.
    #[serde(default)]
    pub assistance_level: Option<u8>,
    /// The day the level was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistance_on: Option<NaiveDate>,
}

/// One standing field changed from `old` to `new` (as text: a level or a `YYYY-MM-DD` date;
/// `None` is not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingChange {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl StudentStanding {
    /// The names of the standing fields, as they are spelled in the archive's JSON.
    pub const FIELDS: [&'static str; 6] = ["warning_level", "warning_on", "discipline_on", "ruling_on", "assistance_level", "assistance_on"];

    /// Every field as `(name, value as text)`, in [`StudentStanding::FIELDS`] order.
    fn values(&self) -> [(&'static str, Option<String>); 6] {
        let level = |l: Option<u8>| l.map(|l| l.to_string());
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        [
            ("warning_level", level(self.warning_level)),
            ("warning_on", date(self.warning_on)),
            ("discipline_on", date(self.discipline_on)),
            ("ruling_on", date(self.ruling_on)),
            ("assistance_level", level(self.assistance_level)),
            ("assistance_on", date(self.assistance_on)),
        ]
    }

    /// What differs from `old`, field by field.
    pub fn changes_from(&self, old: &StudentStanding) -> Vec<StandingChange> {
        old.values()
            .into_iter()
            .zip(self.values())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, old), (_, new))| StandingChange { field, old, new })
            .collect()
    }
}

/// The office's decision behind a change of standing (决定日期, 依据), kept in its history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandingDecision {
    /// 决定日期: the day the decision was taken.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// 依据: the document or meeting it rests on (e.g. 教务处〔2026〕12号).
    #[serde(default)]
    pub basis: String,
}

impl StandingDecision {
    pub fn validate(&self, today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        errors.text("basis", &self.basis, false, limits::SHORT_TEXT_MAX);
        match self.date {
            Some(d) if d > today => errors.add("date", "in_future", "lies in the future"),
            Some(d) if !crate::school_time::in_calendar_range(d) => errors.add("date", "out_of_range", crate::school_time::out_of_range_message()),
            _ => {}
        }
        errors
    }
}

/// The office's change of a student's standing: `PUT /api/v1/admin/students/{id}/standing`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandingEdit {
    pub standing: StudentStanding,
    #[serde(default)]
    pub decision: Option<StandingDecision>,
}

/// One recorded change of a standing field, as `GET /api/v1/students/{id}/standing-history`
/// lists them, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandingHistoryEntry {
    /// One of [`StudentStanding::FIELDS`].
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Who changed it (display name); `None` when the account is gone.
    pub changed_by: Option<String>,
    /// When the server stored it (RFC 3339).
    pub changed_at: String,
    /// 决定日期, when the office gave one.
    pub decision_on: Option<NaiveDate>,
    /// 依据, when the office gave one.
    pub basis: Option<String>,
}

impl StudentArchive {
    /// The standing fields of this archive.
    pub fn standing(&self) -> StudentStanding {
        StudentStanding {
            warning_level: self.warning_level,
            warning_on: self.warning_on,
            discipline_on: self.discipline_on,
            ruling_on: self.ruling_on,
            assistance_level: self.assistance_level,
            assistance_on: self.assistance_on,
        }
    }

    /// This archive with the standing fields of `standing`, the rest kept.
    pub fn with_standing(&self, standing: &StudentStanding) -> StudentArchive {
        StudentArchive {
            warning_level: standing.warning_level,
            warning_on: standing.warning_on,
            discipline_on: standing.discipline_on,
            ruling_on: standing.ruling_on,
            assistance_level: standing.assistance_level,
            assistance_on: standing.assistance_on,
            ..self.clone()
        }
    }

    /// The standing fields this archive changes compared with the stored one (`None`: no
    /// archive stored yet, which has no standing).
    pub fn standing_changes(&self, old: Option<&StudentArchive>) -> Vec<StandingChange> {
        self.standing().changes_from(&old.map(StudentArchive::standing).unwrap_or_default())
    }

    /// The refusal of a change of standing by someone who is not the office: one error per
    /// field, code `office_only`. Empty when the standing is as stored.
    pub fn standing_refusal(&self, old: Option<&StudentArchive>) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        for change in self.standing_changes(old) {
            errors.add(change.field, "office_only", "is set by the student-affairs office (由学工部认定)");
        }
        errors
    }
}

pub(crate) fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (7..=15).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn archive() -> StudentArchive {
        StudentArchive {
            guardian_name: "张建国（父亲）".into(),
            guardian_phone: "138 0013 8000".into(),
            home_address: "四川省绵阳市".into(),
            origin: Some(Origin::Rural),
            economy: Some(Economy::Difficult),
            family_notes: "单亲，母亲务工".into(),
            medical_notes: String::new(),
            flags: vec![AttentionFlag::EconomicHardship, AttentionFlag::SingleParent],
            confirmed_on: NaiveDate::from_ymd_opt(2026, 9, 10),
            ..Default::default()
        }
    }

    #[test]
    fn a_full_archive_is_valid_and_an_empty_one_too() {
        assert!(archive().validate(today()).is_empty());
        assert!(StudentArchive::default().validate(today()).is_empty());
    }

    #[test]
    fn phone_numbers_are_checked() {
        let mut a = archive();
        a.guardian_phone = "call me".into();
        assert_eq!(a.validate(today()).codes(), vec![("guardian_phone", "bad_phone")]);
        a.guardian_phone = "+86-138-0013-8000".into();
        assert!(a.validate(today()).is_empty());
        a.guardian_phone = "123".into();
        assert_eq!(a.validate(today()).codes(), vec![("guardian_phone", "bad_phone")]);
    }

    #[test]
    fn flags_are_unique_and_confirmation_not_in_future() {
        let mut a = archive();
        a.flags.push(AttentionFlag::SingleParent);
        a.confirmed_on = NaiveDate::from_ymd_opt(2027, 1, 1);
        assert_eq!(a.validate(today()).codes(), vec![("flags[2]", "duplicate"), ("confirmed_on", "in_future")]);
    }

    #[test]
    fn standing_levels_and_dates_are_checked() {
        let mut a = archive();
        a.warning_level = Some(4);
        a.assistance_level = Some(0);
        a.discipline_on = NaiveDate::from_ymd_opt(2027, 1, 1);
        a.warning_on = NaiveDate::from_ymd_opt(2026, 11, 1);
        assert_eq!(a.validate(today()).codes(), vec![("discipline_on", "in_future"), ("warning_level", "out_of_range"), ("assistance_level", "out_of_range")]);
        a = archive();
        a.warning_on = NaiveDate::from_ymd_opt(2026, 11, 1);
        assert_eq!(a.validate(today()).codes(), vec![("warning_level", "required")]);
        a.warning_level = Some(2);
        assert!(a.validate(today()).is_empty());
        assert!(a.is_warned() && !a.is_disciplined());
    }

    #[test]
    fn dates_in_far_off_years_are_refused() {
        let mut a = archive();
        a.warning_level = Some(1);
        a.warning_on = Some(NaiveDate::MIN);
        a.discipline_on = NaiveDate::from_ymd_opt(1900, 1, 1);
        assert_eq!(a.validate(today()).codes(), vec![("warning_on", "out_of_range"), ("discipline_on", "out_of_range")]);
    }

    #[test]
    fn standing_changes_name_each_changed_field_with_old_and_new() {
        let stored = StudentArchive { warning_level: Some(2), warning_on: NaiveDate::from_ymd_opt(2026, 11, 1), ..archive() };
        // Everything else may change without a word.
        let mut edit = stored.clone();
        edit.guardian_phone = "139 0000 0000".into();
        edit.confirmed_on = NaiveDate::from_ymd_opt(2026, 11, 20);
        edit.flags.clear();
        assert!(edit.standing_changes(Some(&stored)).is_empty());
        assert!(edit.standing_refusal(Some(&stored)).is_empty());

        edit.warning_on = None;
        edit.assistance_level = Some(1);
        assert_eq!(
            edit.standing_changes(Some(&stored)),
            vec![
                StandingChange { field: "warning_on", old: Some("2026-11-01".into()), new: None },
                StandingChange { field: "assistance_level", old: None, new: Some("1".into()) },
            ]
        );
        assert_eq!(edit.standing_refusal(Some(&stored)).codes(), vec![("warning_on", "office_only"), ("assistance_level", "office_only")]);
    }

    #[test]
    fn no_stored_archive_has_no_standing() {
        assert!(archive().standing_changes(None).is_empty());
        let warned = StudentArchive { discipline_on: NaiveDate::from_ymd_opt(2026, 3, 1), ..archive() };
        assert_eq!(warned.standing_changes(None).iter().map(|c| c.field).collect::<Vec<_>>(), vec!["discipline_on"]);
    }

    #[test]
    fn with_standing_changes_those_standing_fields_only() {
        let stored = archive();
        let standing = StudentStanding {
            warning_level: Some(3),
            warning_on: NaiveDate::from_ymd_opt(2026, 11, 2),
            discipline_on: None,
            ruling_on: NaiveDate::from_ymd_opt(2026, 10, 30),
            assistance_level: Some(2),
            assistance_on: NaiveDate::from_ymd_opt(2026, 11, 3),
        };
        let changed = stored.with_standing(&standing);
        assert_eq!(changed.standing(), standing);
        assert_eq!(changed.with_standing(&stored.standing()), stored);
        assert_eq!(
            StudentStanding::FIELDS.to_vec(),
            standing
                .changes_from(&StudentStanding { discipline_on: NaiveDate::from_ymd_opt(2026, 1, 1), ..Default::default() })
                .iter()
                .map(|c| c.field)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_decision_is_not_in_the_future_and_its_basis_is_bounded() {
        let ok = StandingDecision { date: NaiveDate::from_ymd_opt(2026, 11, 20), basis: "教务处〔2026〕12号".into() };
        assert!(ok.validate(today()).is_empty());
        let bad = StandingDecision { date: NaiveDate::from_ymd_opt(2027, 1, 1), basis: "字".repeat(501) };
        assert_eq!(bad.validate(today()).codes(), vec![("basis", "too_long"), ("date", "in_future")]);
    }

    #[test]
    fn confirmation_is_due_yearly() {
        let mut a = archive();
        assert!(!a.needs_confirmation(today()));
        a.confirmed_on = NaiveDate::from_ymd_opt(2025, 11, 23);
        assert!(a.needs_confirmation(today()));
        a.confirmed_on = None;
        assert!(a.needs_confirmation(today()));
    }
}

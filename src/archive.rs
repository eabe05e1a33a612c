//! 学生档案: what the college keeps about a student's family and needs (004 §3.1). Confidential:
//! only staff assigned to the student's class, and the office, ever receive it.

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
    /// The level of an open assistance case (帮扶, 003 §4): it sets how often staff must talk.
    #[serde(default)]
    pub assistance_level: Option<u8>,
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
        for (field, date) in [("confirmed_on", self.confirmed_on), ("warning_on", self.warning_on), ("discipline_on", self.discipline_on)] {
            if date.is_some_and(|d| d > today) {
                errors.add(field, "in_future", "lies in the future");
            }
        }
        for (field, level) in [("warning_level", self.warning_level), ("assistance_level", self.assistance_level)] {
            if level.is_some_and(|l| !(1..=3).contains(&l)) {
                errors.add(field, "out_of_range", "must be 1, 2 or 3");
            }
        }
        if self.warning_on.is_some() && self.warning_level.is_none() {
            errors.add("warning_level", "required", "is required when a warning date is given");
        }
        errors
    }

    /// Under an academic warning (any level).
    pub fn is_warned(&self) -> bool {
        self.warning_level.is_some()
    }

    /// Under a disciplinary sanction.
    pub fn is_disciplined(&self) -> bool {
        self.discipline_on.is_some()
    }

    /// Whether the yearly re-confirmation (004 §3.1) is due by `today`.
    pub fn needs_confirmation(&self, today: NaiveDate) -> bool {
        self.confirmed_on.is_none_or(|d| (today - d).num_days() >= 365)
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
        assert_eq!(
            a.validate(today()).codes(),
            vec![("discipline_on", "in_future"), ("warning_level", "out_of_range"), ("assistance_level", "out_of_range")]
        );
        a = archive();
        a.warning_on = NaiveDate::from_ymd_opt(2026, 11, 1);
        assert_eq!(a.validate(today()).codes(), vec![("warning_level", "required")]);
        a.warning_level = Some(2);
        assert!(a.validate(today()).is_empty());
        assert!(a.is_warned() && !a.is_disciplined());
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

//! Who needs assistance (帮扶), and at which level: the lines seeds 003 and 001 draw.
//!
//! - 003 第五条: a student identified as in academic difficulty is at 一级 with failed credits
//!   from 12 (含) to 15 (不含), 二级 from 15 (含) to 25 (不含), 三级 from 25 (含) up.
//! - 003 第三条: a semester's absences of 10 class hours (含) or more, a GPA under 1.5, and
//!   other signs make a student one "in academic difficulty".
//! - 001 二: three failed courses or more (三门次以上, read as 3 included, as 001 五.4 says
//!   «挂科3门及以上»), a sanction, a psychological need, recognised economic hardship, extreme
//!   views or abnormal behaviour make a student one to assist, in five categories.
//!
//! The numbers are defaults an institution may change (`IdentificationRules`), never constants
//! in the code that uses them. Nothing here decides a student's standing: it *proposes*, from
//! the office's import of a semester's results, and the office's working group confirms.

use crate::validate::ValidationErrors;
use serde::{Deserialize, Serialize};

/// 003 第五条's three levels of academic assistance (帮扶类型), by failed credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AcademicLevel {
    /// 一级帮扶: a face-to-face talk with a study plan, and a phone call to the parents.
    One,
    /// 二级帮扶: the same, a written warning notice to the parents by registered mail, and a
    /// volunteer paired one to one.
    Two,
    /// 三级帮扶: the parents invited to campus for a meeting with the student, the head
    /// teacher and the counselor.
    Three,
}

impl AcademicLevel {
    pub const ALL: [AcademicLevel; 3] = [AcademicLevel::One, AcademicLevel::Two, AcademicLevel::Three];

    /// The number the office and the forms use (1, 2, 3), as `assistance_level` stores it.
    pub fn number(self) -> u8 {
        match self {
            AcademicLevel::One => 1,
            AcademicLevel::Two => 2,
            AcademicLevel::Three => 3,
        }
    }

    pub fn from_number(n: u8) -> Option<AcademicLevel> {
        AcademicLevel::ALL.into_iter().find(|l| l.number() == n)
    }
}

/// 001 二's five kinds of students to assist; 003's academic difficulty is the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssistanceCategory {
    /// 学业困难: failed courses or credits, absences, a low GPA (001 二.1; 003).
    Academic,
    /// 违纪处分: sanctioned for breaking the rules (001 二.2).
    Discipline,
    /// 心理帮扶: asked for, or flagged by the crisis-prevention system (001 二.3).
    Psychological,
    /// 家庭经济特殊困难: recognised by the school; single parent, orphan (001 二.4).
    Hardship,
    /// 思想偏激、行为表现异常 (001 二.5).
    Behaviour,
}

/// The lines of identification, each with its seed's default; an institution may move them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentificationRules {
    /// 一级 from this many failed credits, included (003 五: 12).
    pub level_one_credits: f64,
    /// 二级 from this many, included (003 五: 15).
    pub level_two_credits: f64,
    /// 三级 from this many, included (003 五: 25).
    pub level_three_credits: f64,
    /// Absent this many class hours or more in a semester (003 三.1: 10, 含).
    pub absence_hours: f64,
    /// A grade-point average under this (003 三.4: 1.5).
    pub gpa_below: f64,
    /// This many failed courses or more (001 二.1, 五.4: 3).
    pub failed_courses: u32,
}

impl Default for IdentificationRules {
    fn default() -> Self {
        IdentificationRules {
            level_one_credits: 12.0,
            level_two_credits: 15.0,
            level_three_credits: 25.0,
            absence_hours: 10.0,
            gpa_below: 1.5,
            failed_courses: 3,
        }
    }
}

impl IdentificationRules {
    /// The level failed credits call for; `None` under the first line.
    pub fn level_for(&self, failed_credits: f64) -> Option<AcademicLevel> {
        if failed_credits >= self.level_three_credits {
            Some(AcademicLevel::Three)
        } else if failed_credits >= self.level_two_credits {
            Some(AcademicLevel::Two)
        } else if failed_credits >= self.level_one_credits {
            Some(AcademicLevel::One)
        } else {
            None
        }
    }

    /// The lines must rise, or a level could never be reached.
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let finite_positive = |v: f64| v.is_finite() && v > 0.0;
        for (field, value) in [
            ("level_one_credits", self.level_one_credits),
            ("level_two_credits", self.level_two_credits),
            ("level_three_credits", self.level_three_credits),
            ("absence_hours", self.absence_hours),
            ("gpa_below", self.gpa_below),
        ] {
            if !finite_positive(value) {
                errors.add(field, "not_positive", "must be a number above 0");
            }
        }
        if self.level_two_credits <= self.level_one_credits {
            errors.add("level_two_credits", "not_rising", "must be above the first level's credits");
        }
        if self.level_three_credits <= self.level_two_credits {
            errors.add("level_three_credits", "not_rising", "must be above the second level's credits");
        }
        if self.failed_courses == 0 {
            errors.add("failed_courses", "not_positive", "must be at least 1");
        }
        errors
    }
}

/// One student's results for the semester just ended, as 教务处 / 系学工办 import them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SemesterResults {
    /// Failed credits not yet made up (不及格学分), halves allowed.
    pub failed_credits: f64,
    /// Failed courses (不及格课程门次).
    pub failed_courses: u32,
    /// The grade-point average of all courses, when the school reports one.
    pub gpa: Option<f64>,
    /// Class hours absent without leave in the semester (旷课学时).
    pub absence_hours: f64,
}

/// The most a semester can hold; beyond it a row is a typing error, not a student.
pub const MAX_CREDITS: f64 = 200.0;
pub const MAX_COURSES: u32 = 80;
pub const MAX_GPA: f64 = 5.0;
pub const MAX_ABSENCE_HOURS: f64 = 1000.0;

impl SemesterResults {
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let in_range = |v: f64, max: f64| v.is_finite() && (0.0..=max).contains(&v);
        if !in_range(self.failed_credits, MAX_CREDITS) {
            errors.add("failed_credits", "out_of_range", format!("must be between 0 and {MAX_CREDITS}"));
        } else if (self.failed_credits * 2.0).fract() != 0.0 {
            errors.add("failed_credits", "not_half_credits", "credits come in halves (e.g. 14.5)");
        }
        if self.failed_courses > MAX_COURSES {
            errors.add("failed_courses", "out_of_range", format!("must be between 0 and {MAX_COURSES}"));
        }
        if self.gpa.is_some_and(|g| !in_range(g, MAX_GPA)) {
            errors.add("gpa", "out_of_range", format!("must be between 0 and {MAX_GPA}"));
        }
        if !in_range(self.absence_hours, MAX_ABSENCE_HOURS) {
            errors.add("absence_hours", "out_of_range", format!("must be between 0 and {MAX_ABSENCE_HOURS}"));
        }
        if self.failed_credits > 0.0 && self.failed_courses == 0 {
            errors.add("failed_courses", "inconsistent", "failed credits need at least one failed course");
        }
        errors
    }
}

/// A sign of difficulty the results show, besides the level (003 三, 001 二).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "sign", rename_all = "snake_case")]
pub enum DifficultySign {
    /// Failed credits at a level's line (003 五).
    FailedCredits { credits: f64, level: AcademicLevel },
    /// Three failed courses or more (001 二.1).
    FailedCourses { courses: u32 },
    /// Ten class hours absent or more (003 三.1).
    Absence { hours: f64 },
    /// A GPA under 1.5 (003 三.4).
    LowGpa { gpa: f64 },
}

/// What the results propose for one student, before the office's working group decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    /// The academic level by failed credits, if any.
    pub level: Option<AcademicLevel>,
    /// Every sign that makes the student one in academic difficulty; empty for none.
    pub signs: Vec<DifficultySign>,
}

impl Proposal {
    /// Whether the student is proposed for the list at all.
    pub fn in_difficulty(&self) -> bool {
        !self.signs.is_empty()
    }
}

/// Proposes a level and names the signs, for the office to confirm or not.
pub fn propose(results: &SemesterResults, rules: &IdentificationRules) -> Proposal {
    let level = rules.level_for(results.failed_credits);
    let mut signs = Vec::new();
    if let Some(level) = level {
        signs.push(DifficultySign::FailedCredits { credits: results.failed_credits, level });
    }
    if results.failed_courses >= rules.failed_courses {
        signs.push(DifficultySign::FailedCourses { courses: results.failed_courses });
    }
    if results.absence_hours >= rules.absence_hours {
        signs.push(DifficultySign::Absence { hours: results.absence_hours });
    }
    if let Some(gpa) = results.gpa.filter(|g| *g < rules.gpa_below) {
        signs.push(DifficultySign::LowGpa { gpa });
    }
    Proposal { level, signs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(failed_credits: f64) -> SemesterResults {
        SemesterResults { failed_credits, failed_courses: 2, gpa: Some(2.4), absence_hours: 0.0 }
    }

    #[test]
    fn levels_follow_003_to_the_half_credit() {
        let rules = IdentificationRules::default();
        for (credits, level) in [
            (0.0, None),
            (11.5, None),
            (12.0, Some(AcademicLevel::One)),
            (14.5, Some(AcademicLevel::One)),
            (15.0, Some(AcademicLevel::Two)),
            (24.5, Some(AcademicLevel::Two)),
            (25.0, Some(AcademicLevel::Three)),
            (60.0, Some(AcademicLevel::Three)),
        ] {
            assert_eq!(rules.level_for(credits), level, "{credits} failed credits");
            assert_eq!(propose(&results(credits), &rules).level, level);
        }
    }

    #[test]
    fn the_other_signs_are_named_at_their_lines() {
        let rules = IdentificationRules::default();
        let none = SemesterResults { failed_credits: 6.0, failed_courses: 2, gpa: Some(1.5), absence_hours: 9.5 };
        assert_eq!(propose(&none, &rules), Proposal { level: None, signs: vec![] });
        assert!(!propose(&none, &rules).in_difficulty());

        let all = SemesterResults { failed_credits: 6.0, failed_courses: 3, gpa: Some(1.49), absence_hours: 10.0 };
        let p = propose(&all, &rules);
        assert_eq!(p.level, None, "three courses of 2 credits are no level, yet a sign");
        assert_eq!(p.signs, vec![DifficultySign::FailedCourses { courses: 3 }, DifficultySign::Absence { hours: 10.0 }, DifficultySign::LowGpa { gpa: 1.49 }]);
        assert!(p.in_difficulty());
        let no_gpa = SemesterResults { gpa: None, ..all };
        assert_eq!(propose(&no_gpa, &rules).signs.len(), 2, "a school without a GPA is judged on the rest");
    }

    #[test]
    fn an_institution_may_move_the_lines_but_not_reverse_them() {
        let moved = IdentificationRules { level_one_credits: 10.0, ..IdentificationRules::default() };
        assert!(moved.validate().is_empty());
        assert_eq!(moved.level_for(10.0), Some(AcademicLevel::One));
        let reversed = IdentificationRules { level_two_credits: 12.0, ..IdentificationRules::default() };
        let errors = reversed.validate();
        assert_eq!(errors.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), vec![("level_two_credits", "not_rising")]);
        let nan = IdentificationRules { gpa_below: f64::NAN, failed_courses: 0, ..IdentificationRules::default() };
        assert_eq!(nan.validate().0.len(), 2);
    }

    #[test]
    fn results_out_of_range_are_refused_field_by_field() {
        assert!(results(14.5).validate().is_empty());
        let bad = SemesterResults { failed_credits: 12.3, failed_courses: 81, gpa: Some(5.5), absence_hours: -1.0 };
        let codes: Vec<_> = bad.validate().0.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("failed_credits".to_string(), "not_half_credits".to_string()),
                ("failed_courses".to_string(), "out_of_range".to_string()),
                ("gpa".to_string(), "out_of_range".to_string()),
                ("absence_hours".to_string(), "out_of_range".to_string()),
            ]
        );
        let inconsistent = SemesterResults { failed_credits: 4.0, failed_courses: 0, gpa: None, absence_hours: 0.0 };
        assert_eq!(inconsistent.validate().0[0].code, "inconsistent");
        let infinite = SemesterResults { failed_credits: f64::INFINITY, ..results(0.0) };
        assert_eq!(infinite.validate().0[0].code, "out_of_range");
    }

    #[test]
    fn levels_round_trip_through_their_numbers() {
        for level in AcademicLevel::ALL {
            assert_eq!(AcademicLevel::from_number(level.number()), Some(level));
        }
        assert_eq!(AcademicLevel::from_number(0), None);
        assert_eq!(AcademicLevel::from_number(4), None);
    }
}

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

use crate::ids::StudentId;
use crate::sheet::{read_sheet, IssueCode, SheetColumn, SheetIssue};
use crate::sorting::Order;
use crate::validate::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssistanceCategory {
    /// 学业困难: failed courses or credits, absences, a low GPA (001 二.1; 003).
    #[default]
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

impl AssistanceCategory {
    pub const ALL: [AssistanceCategory; 5] = [
        AssistanceCategory::Academic,
        AssistanceCategory::Discipline,
        AssistanceCategory::Psychological,
        AssistanceCategory::Hardship,
        AssistanceCategory::Behaviour,
    ];
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

crate::sheet::sheet_layout!(
    /// One column of a semester results file (one row per student), as 教务处 exports it.
    ResultsColumn {
        StudentNo => ("学号", "student_no", true, [], "2025010101"),
        Name => ("姓名", "name", false, [], "张三"),
        FailedCredits => ("不及格学分", "failed_credits", true, ["不及格学分数", "未通过学分"], "15.5"),
        FailedCourses => ("不及格门次", "failed_courses", true, ["不及格课程门次", "不及格门数", "挂科门数"], "4"),
        Gpa => ("平均学分绩点", "gpa", false, ["绩点", "GPA", "平均绩点"], "1.62"),
        AbsenceHours => ("旷课学时", "absence_hours", false, ["旷课课时"], "6"),
    }
);

/// One problem with a results file.
pub type ResultsIssue = SheetIssue<ResultsColumn>;

/// One good row: a student of the roster and their results.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultsRow {
    pub row: u32,
    pub student_id: StudentId,
    pub results: SemesterResults,
}

/// A results file read against the roster.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultsFile {
    pub rows_read: usize,
    pub good: Vec<ResultsRow>,
    pub errors: Vec<ResultsIssue>,
    pub warnings: Vec<ResultsIssue>,
}

/// The most rows one results file may carry.
pub const MAX_RESULTS_ROWS: usize = crate::roster_import::MAX_ROWS;

/// A number cell: `None` when empty, an error when not a number. Excel's `15.0` and a Chinese
/// full-width `１５` both read.
fn number(cell: &str) -> Option<f64> {
    let ascii: String = cell
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    ascii.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a results file: the layout as [`ResultsColumn`] documents it, each row checked on its
/// own ([`SemesterResults::validate`]) and against the roster (`students`: student number →
/// id and name). A student number twice makes both rows bad.
pub fn read_results(table: &[Vec<String>], students: &HashMap<String, (StudentId, String)>) -> ResultsFile {
    let sheet = read_sheet::<ResultsColumn>(table, MAX_RESULTS_ROWS, "students");
    let mut file = ResultsFile { rows_read: sheet.rows.len(), ..ResultsFile::default() };
    if sheet.has_file_errors() {
        file.errors = sheet.errors;
        file.warnings = sheet.warnings;
        return file;
    }
    type Read = (u32, Option<String>, Result<ResultsRow, Vec<ResultsIssue>>);
    let mut read: Vec<Read> = sheet
        .rows
        .iter()
        .map(|(row, cells)| {
            let values = sheet.values(cells);
            let no = values.get(&ResultsColumn::StudentNo).map(|s| s.to_string());
            (*row, no, read_results_row(*row, &values, students))
        })
        .collect();
    let keys: Vec<(u32, Option<&str>)> = read.iter().map(|(row, no, _)| (*row, no.as_deref())).collect();
    let dups = crate::sheet::duplicates(&keys, ResultsColumn::StudentNo, IssueCode::DuplicateStudent);
    for (i, issue) in dups {
        match &mut read[i].2 {
            Ok(_) => read[i].2 = Err(vec![issue]),
            Err(errors) => errors.push(issue),
        }
    }
    file.errors = sheet.errors;
    file.warnings = sheet.warnings;
    for (_, _, r) in read {
        match r {
            Ok(row) => file.good.push(row),
            Err(errors) => file.errors.extend(errors),
        }
    }
    file.errors.order_by_key(|e| e.row);
    file
}

fn read_results_row(row: u32, values: &HashMap<ResultsColumn, &str>, students: &HashMap<String, (StudentId, String)>) -> Result<ResultsRow, Vec<ResultsIssue>> {
    let mut errors = Vec::new();
    let mut fail = |column: ResultsColumn, code: IssueCode, value: &str, message: &str| errors.push(ResultsIssue::cell(row, column, code, value, message));
    let get = |c: ResultsColumn| values.get(&c).copied();
    let mut student = None;
    match get(ResultsColumn::StudentNo) {
        None => fail(ResultsColumn::StudentNo, IssueCode::Required, "", "is required"),
        Some(no) => match students.get(no) {
            None => fail(ResultsColumn::StudentNo, IssueCode::UnknownStudent, no, "is not a student in the roster; import the roster first"),
            Some((id, name)) => {
                if let Some(given) = get(ResultsColumn::Name).filter(|g| *g != name) {
                    fail(ResultsColumn::Name, IssueCode::NameMismatch, given, &format!("the roster names this student {name}"));
                }
                student = Some(*id);
            }
        },
    }
    let mut numeric = |column: ResultsColumn, default: Option<f64>| -> Option<f64> {
        match get(column) {
            None if column.required() => {
                fail(column, IssueCode::Required, "", "is required");
                None
            }
            None => default,
            Some(cell) => {
                let n = number(cell);
                if n.is_none() {
                    fail(column, IssueCode::BadNumber, cell, "is not a number");
                }
                n
            }
        }
    };
    let credits = numeric(ResultsColumn::FailedCredits, None);
    let courses = numeric(ResultsColumn::FailedCourses, None);
    let gpa = numeric(ResultsColumn::Gpa, None);
    let absence = numeric(ResultsColumn::AbsenceHours, Some(0.0));
    if let Some(c) = courses.filter(|c| c.fract() != 0.0 || *c < 0.0) {
        fail(ResultsColumn::FailedCourses, IssueCode::BadNumber, &c.to_string(), "must be a whole number of courses");
    }
    let (Some(student_id), Some(failed_credits), Some(courses), Some(absence_hours)) = (student, credits, courses, absence) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let failed_courses = if courses >= 0.0 && courses <= f64::from(u32::MAX) { courses as u32 } else { u32::MAX };
    let results = SemesterResults { failed_credits, failed_courses, gpa, absence_hours };
    for e in results.validate().0 {
        let (column, code) = match (e.field.as_str(), e.code.as_str()) {
            ("failed_credits", "not_half_credits") => (ResultsColumn::FailedCredits, IssueCode::NotHalfCredits),
            ("failed_credits", _) => (ResultsColumn::FailedCredits, IssueCode::OutOfRange),
            ("failed_courses", "inconsistent") => (ResultsColumn::FailedCourses, IssueCode::Inconsistent),
            ("failed_courses", _) => (ResultsColumn::FailedCourses, IssueCode::OutOfRange),
            ("gpa", _) => (ResultsColumn::Gpa, IssueCode::OutOfRange),
            _ => (ResultsColumn::AbsenceHours, IssueCode::OutOfRange),
        };
        let cell = values.get(&column).copied().unwrap_or_default();
        errors.push(ResultsIssue::cell(row, column, code, cell, &e.message));
    }
    if errors.is_empty() {
        Ok(ResultsRow { row, student_id, results })
    } else {
        Err(errors)
    }
}

/// What the office sends to confirm an identification: the working group's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentificationDecision {
    /// The semester the results are of (`2025-2026-2`).
    pub term: String,
    /// 决定日期.
    pub decided_on: chrono::NaiveDate,
    /// 依据: the working group's meeting or document.
    pub basis: String,
    /// The students confirmed, each with the level decided (the proposal unless the group
    /// chose otherwise; `None` for a student in difficulty below the first line).
    pub students: Vec<ConfirmedStudent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmedStudent {
    pub student_id: StudentId,
    pub level: Option<AcademicLevel>,
}

impl IdentificationDecision {
    pub fn validate(&self, today: chrono::NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if !crate::kinds::assistance::valid_term(&self.term) {
            errors.add("term", "bad_term", "must name a school year and semester, e.g. 2025-2026-2");
        }
        if self.decided_on > today {
            errors.add("decided_on", "in_future", "lies in the future");
        } else if !crate::school_time::in_calendar_range(self.decided_on) {
            errors.add("decided_on", "out_of_range", crate::school_time::out_of_range_message());
        }
        errors.text("basis", &self.basis, true, crate::validate::limits::SHORT_TEXT_MAX);
        if self.students.is_empty() {
            errors.add("students", "required", "confirm at least one student");
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in self.students.iter().enumerate() {
            if !seen.insert(s.student_id) {
                errors.add(format!("students[{i}]"), "duplicate", "is listed twice");
            }
        }
        errors
    }
}

/// What importing a results file does, per student: the same counts as the roster import.
pub use crate::sheet::{EntityCounts, ImportMode};

/// How many students of a file the results propose at each level, and with signs alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalCounts {
    pub level_one: usize,
    pub level_two: usize,
    pub level_three: usize,
    /// In difficulty by another sign (absences, GPA, failed courses) but under the first line.
    pub signs_only: usize,
}

impl ProposalCounts {
    pub fn add(&mut self, proposal: &Proposal) {
        match proposal.level {
            Some(AcademicLevel::One) => self.level_one += 1,
            Some(AcademicLevel::Two) => self.level_two += 1,
            Some(AcademicLevel::Three) => self.level_three += 1,
            None if proposal.in_difficulty() => self.signs_only += 1,
            None => {}
        }
    }
}

/// The answer to a results import, in every mode: the import's report, the term, and what the
/// good rows propose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsImportReport {
    #[serde(flatten)]
    pub report: crate::sheet::SheetImportReport<ResultsColumn, EntityCounts>,
    pub term: String,
    pub proposed: ProposalCounts,
}

impl ResultsFile {
    /// The report of this file before anything is written; `unchanged` tells which students'
    /// stored results equal the file's, `stored` which have results at all.
    pub fn report(
        &self,
        mode: ImportMode,
        term: &str,
        rules: &IdentificationRules,
        stored: impl Fn(StudentId) -> Option<SemesterResults>,
    ) -> ResultsImportReport {
        let mut counts = EntityCounts::default();
        let mut proposed = ProposalCounts::default();
        for row in &self.good {
            match stored(row.student_id) {
                None => counts.created += 1,
                Some(s) if s == row.results => counts.unchanged += 1,
                Some(_) => counts.updated += 1,
            }
            proposed.add(&propose(&row.results, rules));
        }
        let bad_rows = self.errors.iter().filter(|e| !e.code.is_file_level()).map(|e| e.row).collect::<std::collections::BTreeSet<_>>().len();
        let report = crate::sheet::SheetImportReport {
            mode,
            rows: self.rows_read,
            bad_rows,
            errors: self.errors.clone(),
            warnings: self.warnings.clone(),
            counts,
            applied: false,
        };
        ResultsImportReport { report, term: term.to_string(), proposed }
    }
}

/// One student on a term's identification list (`GET /api/v1/assistance/identification`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentifiedStudent {
    pub student_id: StudentId,
    pub student_no: String,
    pub name: String,
    pub class_name: String,
    pub department: String,
    pub results: SemesterResults,
    pub proposal: Proposal,
    /// The level the working group confirmed for this term, once it has.
    pub confirmed: Option<ConfirmedLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmedLevel {
    pub level: Option<AcademicLevel>,
    pub decided_on: chrono::NaiveDate,
}

/// A term's identification: the students the results propose, and the decision once taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identification {
    pub term: String,
    pub rules: IdentificationRules,
    /// Students with results for the term.
    pub students_with_results: usize,
    /// Those in difficulty, most failed credits first.
    pub students: Vec<IdentifiedStudent>,
    pub decision: Option<DecisionInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionInfo {
    pub decided_on: chrono::NaiveDate,
    pub basis: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: String,
}

/// What confirming did. A student the decision cannot take (no results for the term, not in
/// difficulty) is refused alone, with the field and the reason; the rest is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmReport {
    pub confirmed: usize,
    pub cases_opened: usize,
    pub cases_updated: usize,
    /// Students whose standing and case were already as decided.
    pub unchanged: usize,
    pub refused: Vec<crate::validate::FieldError>,
}

/// A peer volunteer in the working group's register (003 六: selected, trained, registered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Volunteer {
    /// `None` for a new entry.
    #[serde(default)]
    pub id: Option<crate::kinds::assistance::VolunteerId>,
    pub name: String,
    #[serde(default)]
    pub student_no: String,
    #[serde(default)]
    pub class_name: String,
    #[serde(default)]
    pub contact: String,
    /// 选拔: the day the group selected them.
    #[serde(default)]
    pub selected_on: Option<chrono::NaiveDate>,
    /// 培训: the day they were trained.
    #[serde(default)]
    pub trained_on: Option<chrono::NaiveDate>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Volunteer {
    pub fn validate(&self, today: chrono::NaiveDate) -> ValidationErrors {
        use crate::validate::limits::SHORT_TEXT_MAX;
        let mut errors = ValidationErrors::new();
        errors.text("name", &self.name, true, SHORT_TEXT_MAX);
        errors.text("student_no", &self.student_no, false, crate::admin::limits::KEY_MAX);
        errors.text("class_name", &self.class_name, false, SHORT_TEXT_MAX);
        errors.text("contact", &self.contact, false, SHORT_TEXT_MAX);
        for (field, day) in [("selected_on", self.selected_on), ("trained_on", self.trained_on)] {
            if day.is_some_and(|d| d > today) {
                errors.add(field, "in_future", "lies in the future");
            } else if day.is_some_and(|d| !crate::school_time::in_calendar_range(d)) {
                errors.add(field, "out_of_range", crate::school_time::out_of_range_message());
            }
        }
        if let (Some(s), Some(t)) = (self.selected_on, self.trained_on) {
            if t < s {
                errors.add("trained_on", "before_selected", "must not be before the selection");
            }
        }
        errors
    }
}

/// One volunteer's service in a term, for certification (服务时数认定).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerHours {
    pub volunteer_id: Option<crate::kinds::assistance::VolunteerId>,
    pub name: String,
    pub student_no: String,
    pub sessions: u32,
    pub students_helped: u32,
    pub minutes: u32,
}

impl VolunteerHours {
    /// Hours to the half hour, as certificates state them.
    pub fn hours(&self) -> f64 {
        (f64::from(self.minutes) / 30.0).floor() / 2.0
    }
}

/// A count by level: 一级, 二级, 三级, and below the lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelCounts {
    pub one: u32,
    pub two: u32,
    pub three: u32,
    pub no_level: u32,
}

impl LevelCounts {
    pub fn add(&mut self, level: Option<AcademicLevel>) {
        match level {
            Some(AcademicLevel::One) => self.one += 1,
            Some(AcademicLevel::Two) => self.two += 1,
            Some(AcademicLevel::Three) => self.three += 1,
            None => self.no_level += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.one + self.two + self.three + self.no_level
    }
}

/// 003 七.2's semester summary: students in difficulty by level and department, how they moved
/// since the term before, the level actions done on time, volunteer hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssistanceStatistics {
    pub term: String,
    pub previous_term: Option<String>,
    pub by_department: Vec<(String, LevelCounts)>,
    pub total: LevelCounts,
    /// (level before, level now) → students; see [`LevelMove`].
    pub movement: Vec<LevelMove>,
    /// Level actions (the rules of the assistance event) met by their deadline, and all owed.
    pub actions_on_time: u32,
    pub actions_owed: u32,
    pub volunteer_minutes: u32,
    pub volunteers_active: u32,
    pub cases_open: u32,
    pub cases_closed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelMove {
    /// The level before (1–3), 0 on the list below the lines, `None` not on the list.
    pub from: Option<u8>,
    pub to: Option<u8>,
    pub students: u32,
}

/// How students moved between two terms' confirmed lists: each student once, by (before, now);
/// a student on neither list is not counted.
pub fn movement(before: &HashMap<StudentId, Option<AcademicLevel>>, now: &HashMap<StudentId, Option<AcademicLevel>>) -> Vec<LevelMove> {
    let mut counts: std::collections::BTreeMap<(Option<u8>, Option<u8>), u32> = Default::default();
    let place = |list: &HashMap<StudentId, Option<AcademicLevel>>, id: &StudentId| list.get(id).map(|l| l.map_or(0, AcademicLevel::number));
    let ids: std::collections::BTreeSet<&StudentId> = before.keys().chain(now.keys()).collect();
    for id in ids {
        *counts.entry((place(before, id), place(now, id))).or_default() += 1;
    }
    counts.into_iter().map(|((from, to), students)| LevelMove { from, to, students }).collect()
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

    fn roster() -> HashMap<String, (StudentId, String)> {
        [("2025010101", 1, "张三"), ("2025010102", 2, "李四"), ("2025010103", 3, "王五")]
            .into_iter()
            .map(|(no, id, name)| (no.to_string(), (StudentId(id), name.to_string())))
            .collect()
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    fn codes(file: &ResultsFile) -> Vec<(u32, Option<ResultsColumn>, IssueCode)> {
        file.errors.iter().map(|e| (e.row, e.column, e.code)).collect()
    }

    const HEADER: &[&str] = &["学号", "姓名", "不及格学分", "不及格门次", "平均学分绩点", "旷课学时"];

    #[test]
    fn a_good_file_reads_every_student_with_full_width_digits_and_defaults() {
        let t = table(&[HEADER, &["2025010101", "张三", "15", "4", "1.62", ""], &["2025010102", "", "１２．５", "3", "", "10"]]);
        let file = read_results(&t, &roster());
        assert_eq!(codes(&file), vec![]);
        assert_eq!(file.good.len(), 2);
        assert_eq!(file.good[0].results, SemesterResults { failed_credits: 15.0, failed_courses: 4, gpa: Some(1.62), absence_hours: 0.0 });
        assert_eq!(file.good[1].results.failed_credits, 12.5);
        assert_eq!(file.good[1].student_id, StudentId(2));
    }

    #[test]
    fn every_bad_row_is_named_with_its_reason_and_the_rest_is_kept() {
        let t = table(&[
            HEADER,
            &["2025010101", "张三", "15", "4", "", ""],
            &["9999", "", "12", "3", "", ""],
            &["2025010102", "李三", "12", "3", "", ""],
            &["2025010103", "", "abc", "2.5", "", ""],
            &["2025010103", "", "12.3", "3", "6", "-1"],
            &["", "", "", "", "", "x"],
        ]);
        let file = read_results(&t, &roster());
        assert_eq!(file.good.len(), 1, "only the first row is good");
        assert_eq!(
            codes(&file),
            vec![
                (3, Some(ResultsColumn::StudentNo), IssueCode::UnknownStudent),
                (4, Some(ResultsColumn::Name), IssueCode::NameMismatch),
                (5, Some(ResultsColumn::FailedCredits), IssueCode::BadNumber),
                (5, Some(ResultsColumn::FailedCourses), IssueCode::BadNumber),
                (5, Some(ResultsColumn::StudentNo), IssueCode::DuplicateStudent),
                (6, Some(ResultsColumn::FailedCredits), IssueCode::NotHalfCredits),
                (6, Some(ResultsColumn::Gpa), IssueCode::OutOfRange),
                (6, Some(ResultsColumn::AbsenceHours), IssueCode::OutOfRange),
                (6, Some(ResultsColumn::StudentNo), IssueCode::DuplicateStudent),
                (7, Some(ResultsColumn::StudentNo), IssueCode::Required),
                (7, Some(ResultsColumn::FailedCredits), IssueCode::Required),
                (7, Some(ResultsColumn::FailedCourses), IssueCode::Required),
                (7, Some(ResultsColumn::AbsenceHours), IssueCode::BadNumber),
            ]
        );
        let inconsistent = read_results(&table(&[HEADER, &["2025010101", "", "4", "0", "", ""]]), &roster());
        assert_eq!(codes(&inconsistent), vec![(2, Some(ResultsColumn::FailedCourses), IssueCode::Inconsistent)]);
    }

    #[test]
    fn a_file_without_its_required_columns_reads_no_row() {
        let file = read_results(&table(&[&["学号", "GPA"], &["2025010101", "2"]]), &roster());
        assert!(file.good.is_empty());
        assert_eq!(
            codes(&file),
            vec![(1, Some(ResultsColumn::FailedCredits), IssueCode::MissingColumn), (1, Some(ResultsColumn::FailedCourses), IssueCode::MissingColumn)]
        );
        assert_eq!(read_results(&[], &roster()).errors[0].code, IssueCode::EmptyFile);
        assert_eq!(read_results(&table(&[HEADER]), &roster()).errors[0].code, IssueCode::NoRows);
    }

    #[test]
    fn a_report_counts_new_changed_and_unchanged_students_and_the_proposals() {
        let t = table(&[HEADER, &["2025010101", "", "15", "4", "", ""], &["2025010102", "", "12", "3", "", ""], &["2025010103", "", "0", "0", "1.2", ""]]);
        let file = read_results(&t, &roster());
        let stored = |id: StudentId| match id.0 {
            1 => Some(SemesterResults { failed_credits: 15.0, failed_courses: 4, gpa: None, absence_hours: 0.0 }),
            2 => Some(SemesterResults { failed_credits: 10.0, failed_courses: 3, gpa: None, absence_hours: 0.0 }),
            _ => None,
        };
        let report = file.report(ImportMode::Check, "2025-2026-2", &IdentificationRules::default(), stored);
        assert_eq!(report.report.counts, EntityCounts { created: 1, updated: 1, unchanged: 1 });
        assert_eq!(report.proposed, ProposalCounts { level_one: 1, level_two: 1, level_three: 0, signs_only: 1 });
        assert!(report.report.allows(ImportMode::Apply));
    }

    #[test]
    fn volunteers_are_named_and_trained_after_their_selection() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 10).expect("a date");
        let v = Volunteer {
            id: None,
            name: "李四".into(),
            student_no: "2023010102".into(),
            class_name: String::new(),
            contact: String::new(),
            selected_on: Some(today),
            trained_on: Some(today),
            active: true,
        };
        assert!(v.validate(today).is_empty());
        let bad = Volunteer { name: String::new(), trained_on: today.pred_opt(), ..v };
        assert_eq!(bad.validate(today).codes(), vec![("name", "required"), ("trained_on", "before_selected")]);
        let h = VolunteerHours { volunteer_id: None, name: "李四".into(), student_no: String::new(), sessions: 3, students_helped: 1, minutes: 200 };
        assert_eq!(h.hours(), 3.0, "200 minutes certify as 3 hours, to the half hour below");
    }

    #[test]
    fn movement_counts_each_student_once_between_two_lists() {
        let before: HashMap<StudentId, Option<AcademicLevel>> =
            [(StudentId(1), Some(AcademicLevel::Two)), (StudentId(2), Some(AcademicLevel::One)), (StudentId(3), None)].into();
        let now: HashMap<StudentId, Option<AcademicLevel>> = [(StudentId(1), Some(AcademicLevel::One)), (StudentId(4), Some(AcademicLevel::Three))].into();
        let moves = movement(&before, &now);
        let get = |from, to| moves.iter().find(|m| m.from == from && m.to == to).map_or(0, |m| m.students);
        assert_eq!(get(Some(2), Some(1)), 1, "improved a level");
        assert_eq!(get(Some(1), None), 1, "left the list");
        assert_eq!(get(None, Some(3)), 1, "new on the list");
        assert_eq!(get(Some(0), None), 1, "below the lines before, off the list now");
        assert_eq!(moves.iter().map(|m| m.students).sum::<u32>(), 4);
    }

    #[test]
    fn a_decision_needs_a_term_a_past_date_a_basis_and_students_once() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 10).expect("a date");
        let one = ConfirmedStudent { student_id: StudentId(1), level: Some(AcademicLevel::Two) };
        let ok = IdentificationDecision { term: "2025-2026-2".into(), decided_on: today, basis: "工作组会议".into(), students: vec![one.clone()] };
        assert!(ok.validate(today).is_empty());
        let bad =
            IdentificationDecision { term: "2025".into(), decided_on: today + chrono::Duration::days(1), basis: " ".into(), students: vec![one.clone(), one] };
        assert_eq!(bad.validate(today).codes(), vec![("term", "bad_term"), ("decided_on", "in_future"), ("basis", "required"), ("students[1]", "duplicate")]);
    }
}

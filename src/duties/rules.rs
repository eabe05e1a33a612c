//! Duty rules: what the regulations ask of each role, as data an institution edits. The
//! defaults are the table in DOMAIN.md, each with its source in the seed documents.

use crate::record::{RecordBody, SubjectType};
use crate::roster::Role;
use crate::sorting::Order;
use crate::tagged::required;
use crate::validate::{limits, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Not a record kind but a fact of the archive: the day a student's archive was last confirmed
/// (004 §3.1). A rule of this kind counts confirmations.
pub const ARCHIVE_REVIEW: &str = "archive_review";

/// Whom or what one duty of a rule is about.
// `Deserialize` by hand, through `RuleScopeFields` (see `crate::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleScope {
    /// One duty per dorm room where a student of the person's classes sleeps.
    Room,
    /// One duty per class of the person.
    Class,
    /// One duty per student of the person's classes (those the rule's filter selects).
    Student,
    /// One duty for the person, whatever the records are about.
    Person,
    /// One duty per link of a leader to a class, room, club or branch that the kind is about.
    Linked,
    /// One duty for the person: at least `percent` of their (selected) students must each have
    /// `min_count` records in the period, e.g. talks with a third of the class each semester.
    StudentShare { percent: u8 },
    /// One duty for the person: at least one record (repeats included) for every `per` of
    /// their (selected) students in the period, `min_count` times over: «谈话人次不得少于所带班级
    /// 学生总数的1/3» is `per: 3`, so a class of 30 needs 10 talks, whoever they are with.
    SessionShare { per: u16 },
    /// One duty per class: every course teacher the period's class checks name, `min_count`
    /// contacts each (000 三(四) «与每一位任课教师联系»); the records name the teacher.
    CourseTeachers,
}

/// What starts a deadline about a student: a decision on their standing (a date in the
/// archive), or a recorded event of theirs (a `student_event` record, 004 三(二)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StandingEvent {
    /// An academic warning was decided (`warning_on`).
    Warning,
    /// A disciplinary sanction was decided (`discipline_on`).
    Discipline,
    /// A decision on enrolment (学籍处理) was taken (`ruling_on`).
    Ruling,
    /// An assistance level was decided (`assistance_on`, 003 五): the level's actions follow.
    Assistance,
    /// A recorded award (奖励): the parents are told (004 三(二)1).
    Award,
    /// A provincial honour or competition prize: a 喜报 to the family (004 三(二)3).
    Honour,
    /// 004 三(二)4's situations: serious failure or absence, study difficulty (1)(2) …
    AcademicTrouble,
    /// … internet addiction, extreme thinking (3) …
    Conduct,
    /// … an incident or a serious illness (4) …
    Incident,
    /// … a change of enrolment status (5) …
    StatusChange,
    /// … anything else the school wants the parents told of (6).
    OtherNotice,
}

impl StandingEvent {
    /// The recorded event this is, when it is one (not a standing date).
    pub fn student_event(self) -> Option<crate::kinds::student::StudentEventKind> {
        use crate::kinds::student::StudentEventKind as K;
        match self {
            StandingEvent::Warning | StandingEvent::Discipline | StandingEvent::Ruling | StandingEvent::Assistance => None,
            StandingEvent::Award => Some(K::Award),
            StandingEvent::Honour => Some(K::Honour),
            StandingEvent::AcademicTrouble => Some(K::AcademicTrouble),
            StandingEvent::Conduct => Some(K::Conduct),
            StandingEvent::Incident => Some(K::Incident),
            StandingEvent::StatusChange => Some(K::StatusChange),
            StandingEvent::OtherNotice => Some(K::Other),
        }
    }

    pub const ALL: [StandingEvent; 11] = [
        StandingEvent::Warning,
        StandingEvent::Discipline,
        StandingEvent::Ruling,
        StandingEvent::Assistance,
        StandingEvent::Award,
        StandingEvent::Honour,
        StandingEvent::AcademicTrouble,
        StandingEvent::Conduct,
        StandingEvent::Incident,
        StandingEvent::StatusChange,
        StandingEvent::OtherNotice,
    ];
}

/// How the records are counted in time.
// `Deserialize` by hand, through `PeriodFields` (see `crate::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Period {
    /// Rolling: the next record is due `days` after the last one (holidays pause the clock).
    Days {
        days: u16,
    },
    /// Blocks of `weeks` teaching weeks (Monday to Sunday) from the semester's first week.
    Weeks {
        weeks: u8,
    },
    /// The calendar month (within the semester).
    Month,
    /// The calendar quarter (January–March, …), across semesters and vacations alike: «每季度»
    /// does not start again with each semester.
    Quarter,
    Semester,
    SchoolYear,
    /// Within `days` of the student's event (warning or sanction decided).
    AfterEvent {
        event: StandingEvent,
        days: u16,
    },
    /// Within the first `days` days of the school year (开学初: 000 二(一)'s contact with every
    /// new student's parents). Late records still clear it, until the year ends.
    YearStart {
        days: u16,
    },
    /// In the last `days` days of the semester's teaching weeks, before the exams (000 二(六)'s
    /// mobilisation before the finals); owed until the semester ends.
    BeforeExams {
        days: u16,
    },
    /// In the last `days` days of the school year's teaching (its last semester's teaching weeks:
    /// 000 二(二)'s education of the graduates before they leave); owed until the year ends.
    YearEnd {
        days: u16,
    },
    /// Within the first `days` days of each semester (每学期初, 001 五.4); owed until it ends.
    SemesterStart {
        days: u16,
    },
    /// Each vacation (寒暑假, 004 三(四)): the days between a semester's end and the next one's
    /// start, owed only while it lasts, due on its last day.
    Vacation,
}

impl Period {
    /// A rough length in days: how early a duty counts as "due soon".
    pub fn nominal_days(&self) -> i64 {
        match *self {
            Period::Days { days } => i64::from(days),
            Period::Weeks { weeks } => 7 * i64::from(weeks),
            Period::Month => 30,
            Period::Quarter => 91,
            Period::Semester => 140,
            Period::SchoolYear => 300,
            Period::Vacation => 50,
            Period::AfterEvent { days, .. }
            | Period::YearStart { days }
            | Period::BeforeExams { days }
            | Period::YearEnd { days }
            | Period::SemesterStart { days } => i64::from(days),
        }
    }

    /// The days of a rolling period or a deadline.
    pub fn days(&self) -> Option<u16> {
        match *self {
            Period::Days { days }
            | Period::AfterEvent { days, .. }
            | Period::YearStart { days }
            | Period::BeforeExams { days }
            | Period::YearEnd { days }
            | Period::SemesterStart { days } => Some(days),
            _ => None,
        }
    }

    /// The same period with `n` days, where it counts days.
    pub fn with_days(self, n: u16) -> Period {
        match self {
            Period::Days { .. } => Period::Days { days: n },
            Period::AfterEvent { event, .. } => Period::AfterEvent { event, days: n },
            Period::YearStart { .. } => Period::YearStart { days: n },
            Period::BeforeExams { .. } => Period::BeforeExams { days: n },
            Period::YearEnd { .. } => Period::YearEnd { days: n },
            Period::SemesterStart { .. } => Period::SemesterStart { days: n },
            other => other,
        }
    }

    /// A deadline once a year or semester (start, exams, year's end), per subject.
    pub fn is_calendar_deadline(&self) -> bool {
        matches!(self, Period::YearStart { .. } | Period::BeforeExams { .. } | Period::YearEnd { .. } | Period::SemesterStart { .. })
    }
}

/// Which students a per-student rule is about.
// `Deserialize` by hand, through `StudentFilterFields` (see `crate::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StudentFilter {
    All,
    /// Under an academic warning of any level.
    Warned,
    Disciplined,
    /// Under a warning, a decision on enrolment (学籍处理) or a sanction: 000 一(一)'s three
    /// (the wire name predates 学籍处理).
    WarnedOrDisciplined,
    /// In an open assistance case of exactly this level.
    Assisted {
        level: u8,
    },
    /// In an open assistance case of any level.
    AssistedAny,
    /// With an attention flag in the archive (单亲, 孤儿, 心理关注…): 004 四.1's special students.
    Flagged {
        flag: crate::archive::AttentionFlag,
    },
    /// Of a family in this economic situation (家庭经济困难, 特别困难).
    Economy {
        economy: crate::archive::Economy,
    },
    /// Of this contact tier (004 第四条 1: 特殊, 重点).
    Tier {
        tier: crate::archive::ContactTier,
    },
    /// In the special archive of 004 三(一): special (特殊) students and those of families in
    /// particular hardship (特困).
    SpecialArchive,
    /// In their `year`-th year of study by their class's cohort (1: 新生).
    YearOfStudy {
        year: u8,
    },
}

impl StudentFilter {
    /// Whether a student of a class of `cohort` (the year it entered) is admitted in the school
    /// year that began in `year_began`; only a year-of-study filter asks.
    pub fn admits_cohort(&self, cohort: Option<i32>, year_began: Option<i32>) -> bool {
        match self {
            StudentFilter::YearOfStudy { year } => matches!((cohort, year_began), (Some(c), Some(y)) if y - c + 1 == i32::from(*year)),
            _ => true,
        }
    }

    pub fn admits(&self, archive: Option<&crate::archive::StudentArchive>) -> bool {
        match self {
            StudentFilter::All => true,
            StudentFilter::Warned => archive.is_some_and(|a| a.is_warned()),
            StudentFilter::Disciplined => archive.is_some_and(|a| a.is_disciplined()),
            StudentFilter::WarnedOrDisciplined => archive.is_some_and(|a| a.is_warned_ruled_or_disciplined()),
            StudentFilter::Assisted { level } => archive.is_some_and(|a| a.assistance_level == Some(*level)),
            StudentFilter::AssistedAny => archive.is_some_and(|a| a.assistance_level.is_some()),
            StudentFilter::Flagged { flag } => archive.is_some_and(|a| a.flags.contains(flag)),
            StudentFilter::Economy { economy } => archive.is_some_and(|a| a.economy == Some(*economy)),
            StudentFilter::Tier { tier } => archive.is_some_and(|a| a.tier == Some(*tier)),
            StudentFilter::SpecialArchive => archive.is_some_and(|a| a.in_special_archive()),
            // Read from the class, by `admits_cohort`.
            StudentFilter::YearOfStudy { .. } => true,
        }
    }
}

// The three enums above are internally tagged; serde's derived decoder would buffer each value
// in its `Content` (see `crate::tagged`). Each is read as its tag and every variant's fields.

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ScopeType {
    Room,
    Class,
    Student,
    Person,
    Linked,
    StudentShare,
    SessionShare,
    CourseTeachers,
}

#[derive(Deserialize)]
#[serde(rename = "RuleScope")]
struct RuleScopeFields {
    #[serde(rename = "type")]
    tag: ScopeType,
    percent: Option<u8>,
    per: Option<u16>,
}

impl<'de> Deserialize<'de> for RuleScope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = RuleScopeFields::deserialize(deserializer)?;
        Ok(match f.tag {
            ScopeType::Room => RuleScope::Room,
            ScopeType::Class => RuleScope::Class,
            ScopeType::Student => RuleScope::Student,
            ScopeType::Person => RuleScope::Person,
            ScopeType::Linked => RuleScope::Linked,
            ScopeType::StudentShare => RuleScope::StudentShare { percent: required(f.percent, "percent")? },
            ScopeType::SessionShare => RuleScope::SessionShare { per: required(f.per, "per")? },
            ScopeType::CourseTeachers => RuleScope::CourseTeachers,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PeriodType {
    Days,
    Weeks,
    Month,
    Quarter,
    Semester,
    SchoolYear,
    AfterEvent,
    YearStart,
    BeforeExams,
    YearEnd,
    SemesterStart,
    Vacation,
}

#[derive(Deserialize)]
#[serde(rename = "Period")]
struct PeriodFields {
    #[serde(rename = "type")]
    tag: PeriodType,
    days: Option<u16>,
    weeks: Option<u8>,
    event: Option<StandingEvent>,
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = PeriodFields::deserialize(deserializer)?;
        let days = || required(f.days, "days");
        Ok(match f.tag {
            PeriodType::Days => Period::Days { days: days()? },
            PeriodType::Weeks => Period::Weeks { weeks: required(f.weeks, "weeks")? },
            PeriodType::Month => Period::Month,
            PeriodType::Quarter => Period::Quarter,
            PeriodType::Semester => Period::Semester,
            PeriodType::SchoolYear => Period::SchoolYear,
            PeriodType::AfterEvent => Period::AfterEvent { event: required(f.event, "event")?, days: days()? },
            PeriodType::YearStart => Period::YearStart { days: days()? },
            PeriodType::BeforeExams => Period::BeforeExams { days: days()? },
            PeriodType::YearEnd => Period::YearEnd { days: days()? },
            PeriodType::SemesterStart => Period::SemesterStart { days: days()? },
            PeriodType::Vacation => Period::Vacation,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum FilterType {
    All,
    Warned,
    Disciplined,
    WarnedOrDisciplined,
    Assisted,
    AssistedAny,
    Flagged,
    Economy,
    Tier,
    SpecialArchive,
    YearOfStudy,
}

#[derive(Deserialize)]
#[serde(rename = "StudentFilter")]
struct StudentFilterFields {
    #[serde(rename = "type")]
    tag: FilterType,
    level: Option<u8>,
    flag: Option<crate::archive::AttentionFlag>,
    economy: Option<crate::archive::Economy>,
    tier: Option<crate::archive::ContactTier>,
    year: Option<u8>,
}

impl<'de> Deserialize<'de> for StudentFilter {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = StudentFilterFields::deserialize(deserializer)?;
        Ok(match f.tag {
            FilterType::All => StudentFilter::All,
            FilterType::Warned => StudentFilter::Warned,
            FilterType::Disciplined => StudentFilter::Disciplined,
            FilterType::WarnedOrDisciplined => StudentFilter::WarnedOrDisciplined,
            FilterType::Assisted => StudentFilter::Assisted { level: required(f.level, "level")? },
            FilterType::AssistedAny => StudentFilter::AssistedAny,
            FilterType::Flagged => StudentFilter::Flagged { flag: required(f.flag, "flag")? },
            FilterType::Economy => StudentFilter::Economy { economy: required(f.economy, "economy")? },
            FilterType::Tier => StudentFilter::Tier { tier: required(f.tier, "tier")? },
            FilterType::SpecialArchive => StudentFilter::SpecialArchive,
            FilterType::YearOfStudy => StudentFilter::YearOfStudy { year: required(f.year, "year")? },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rule {
    /// Stable within an institution (`dorm-check`): compliance history is kept by it.
    pub id: String,
    /// What the rule asks, as the office words it.
    pub title: String,
    /// Where the rule comes from (`000 §2.6.2`), shown with every duty it makes.
    #[serde(default)]
    pub source: String,
    /// Who owes it.
    pub role: Role,
    /// The record kind that meets it (or [`ARCHIVE_REVIEW`]).
    pub kind: String,
    /// One sub-kind only (a branch's `party_lecture`), from [`RecordBody::activities_of`].
    #[serde(default)]
    pub activity: Option<String>,
    pub scope: RuleScope,
    /// Records needed per period (per student, for a share).
    pub min_count: u32,
    pub period: Period,
    pub students: StudentFilter,
    pub enabled: bool,
    /// Owed by the leadership tier only (班子成员, 002 三(一), 四(二)): a leader's rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leadership_only: bool,
}

/// More records than this in one period is a typing slip.
pub const MIN_COUNT_MAX: u32 = 200;
/// A rolling period longer than a school year is a school-year rule.
pub const PERIOD_DAYS_MAX: u16 = 366;

impl Rule {
    /// What the kind's records are about, where the kind is known.
    fn subject_type(&self) -> Option<SubjectType> {
        if self.kind == ARCHIVE_REVIEW {
            Some(SubjectType::Student)
        } else {
            RecordBody::subject_type_of(&self.kind)
        }
    }

    /// The position of the rule's activity among its kind's, if it names one.
    pub fn activity_index(&self) -> Option<u8> {
        let name = self.activity.as_deref()?;
        RecordBody::activities_of(&self.kind).iter().position(|a| *a == name).map(|i| i as u8)
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if self.id.is_empty() || self.id.len() > 40 || !self.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            errors.add("id", "bad_id", "must be 1–40 lowercase letters, digits and hyphens");
        }
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("source", &self.source, false, limits::SHORT_TEXT_MAX);
        if !matches!(self.role, Role::Counselor | Role::HeadTeacher | Role::Leader | Role::Office) {
            errors.add("role", "not_dutiable", "duties are owed by counselors, head teachers, leaders and the office");
        }
        // The office owes duties about the whole school's students, or its own work.
        if self.role == Role::Office && !matches!(self.scope, RuleScope::Student | RuleScope::Person | RuleScope::Class) {
            errors.add("scope", "scope_mismatch", "the office's duties are per student, per class or its own");
        }
        let subject = self.subject_type();
        if subject.is_none() {
            errors.add("kind", "unknown_kind", format!("'{}' is not a record kind", self.kind));
        }
        if let Some(activity) = &self.activity {
            let known = RecordBody::activities_of(&self.kind);
            if !known.contains(&activity.as_str()) {
                let hint = if known.is_empty() { "this kind has no sub-kinds".to_string() } else { format!("must be one of {known:?}") };
                errors.add("activity", "unknown_activity", hint);
            }
        }
        if let Some(subject) = subject {
            self.check_scope(subject, &mut errors);
        }
        if self.leadership_only && self.role != Role::Leader {
            errors.add("leadership_only", "not_a_leader", "only leaders are of the leadership tier");
        }
        if self.min_count == 0 {
            errors.add("min_count", "out_of_range", "must be at least 1: a rule asking for nothing is no rule");
        } else if self.min_count > MIN_COUNT_MAX {
            errors.add("min_count", "out_of_range", format!("must be at most {MIN_COUNT_MAX}"));
        }
        match (self.period, self.period.days()) {
            (_, Some(0)) => errors.add("period.days", "zero_period", "a period of zero days can never be met"),
            (_, Some(days)) if days > PERIOD_DAYS_MAX => {
                errors.add("period.days", "out_of_range", format!("must be at most {PERIOD_DAYS_MAX}; use a school-year period for longer"))
            }
            (Period::Weeks { weeks: 0 }, _) => errors.add("period.weeks", "zero_period", "a period of zero weeks can never be met"),
            (Period::Weeks { weeks }, _) if weeks > 26 => errors.add("period.weeks", "out_of_range", "must be at most 26"),
            _ => {}
        }
        errors
    }

    /// The scope must fit what the kind's records are about, and the role who owes it.
    fn check_scope(&self, subject: SubjectType, errors: &mut ValidationErrors) {
        let per_student = matches!(self.scope, RuleScope::Student | RuleScope::StudentShare { .. } | RuleScope::SessionShare { .. });
        let fits = match self.scope {
            RuleScope::Room => subject == SubjectType::Room,
            RuleScope::Class => subject == SubjectType::Class,
            RuleScope::CourseTeachers => self.kind == <crate::kinds::class::TeacherContact as crate::record::RecordKind>::KIND,
            RuleScope::Student | RuleScope::StudentShare { .. } | RuleScope::SessionShare { .. } => subject == SubjectType::Student,
            RuleScope::Person => true,
            RuleScope::Linked => matches!(subject, SubjectType::Room | SubjectType::Class | SubjectType::Club | SubjectType::Branch),
        };
        if !fits {
            errors.add("scope", "scope_mismatch", format!("records of kind '{}' are about a {subject:?}, not one per this scope", self.kind));
        }
        if let RuleScope::StudentShare { percent } = self.scope {
            if percent == 0 || percent > 100 {
                errors.add("scope.percent", "out_of_range", "must be between 1 and 100");
            }
        }
        if let RuleScope::SessionShare { per } = self.scope {
            if per == 0 || per > 1000 {
                errors.add("scope.per", "out_of_range", "must be between 1 and 1000 students");
            }
        }
        if matches!(self.scope, RuleScope::StudentShare { .. } | RuleScope::SessionShare { .. } | RuleScope::CourseTeachers)
            && (matches!(self.period, Period::Days { .. } | Period::AfterEvent { .. }) || self.period.is_calendar_deadline())
        {
            errors.add("period", "share_needs_window", "a share is counted over a week, month, quarter, semester or school year");
        }
        let linked = self.scope == RuleScope::Linked;
        if self.role == Role::Leader && !matches!(self.scope, RuleScope::Linked | RuleScope::Person) {
            errors.add("scope", "scope_mismatch", "a leader's duties are about their links or themselves");
        }
        if linked && self.role != Role::Leader {
            errors.add("scope", "scope_mismatch", "only leaders have links");
        }
        // A class's year of study is its cohort's: a per-class rule may select classes by it
        // (the graduating classes, 000 二(二)).
        let by_class_year = self.scope == RuleScope::Class && matches!(self.students, StudentFilter::YearOfStudy { .. });
        if self.students != StudentFilter::All && !per_student && !by_class_year {
            errors.add("students", "not_per_student", "only per-student rules select students (per-class rules: by year of study)");
        }
        if let StudentFilter::Assisted { level } = self.students {
            if !(1..=3).contains(&level) {
                errors.add("students.level", "out_of_range", "must be 1, 2 or 3");
            }
        }
        if let StudentFilter::YearOfStudy { year } = self.students {
            if !(1..=8).contains(&year) {
                errors.add("students.year", "out_of_range", "must be a year of study from 1 to 8");
            }
        }
        if self.period.is_calendar_deadline() && !matches!(self.scope, RuleScope::Student | RuleScope::Class | RuleScope::Room | RuleScope::Person) {
            errors.add("period", "not_per_subject", "a deadline at the year's start or end or before the exams is per student, class, room or person");
        }
        if let Period::AfterEvent { event, .. } = self.period {
            if self.scope != RuleScope::Student {
                errors.add("period", "not_per_student", "a deadline after a decision is per student");
            }
            // A recorded event can befall any student; a decision only the students it selects.
            let admits_event = event.student_event().is_some()
                || matches!(
                    (event, self.students),
                    (_, StudentFilter::All | StudentFilter::WarnedOrDisciplined)
                        | (StandingEvent::Warning, StudentFilter::Warned)
                        | (StandingEvent::Discipline, StudentFilter::Disciplined)
                        | (StandingEvent::Assistance, StudentFilter::Assisted { .. } | StudentFilter::AssistedAny)
                );
            if !admits_event {
                errors.add("students", "never_met", "the selected students never have this event, so the rule could never apply");
            }
        }
    }
}

/// An institution's rules at one version; every save makes a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleSet {
    pub version: u32,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            errors.nest(&format!("rules[{i}]"), rule.validate());
            if !seen.insert(rule.id.as_str()) {
                errors.add(format!("rules[{i}].id"), "duplicate", format!("'{}' is used by an earlier rule", rule.id));
            }
        }
        errors
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The record kinds whose facts the enabled `rules` count: their own kinds, the events that
/// start a deadline, the class checks that name the course teachers, and the kinds that count
/// as one of them (a home visit for a parent contact). The server loads these; the engine keeps
/// these.
pub fn counted_kinds(rules: &[Rule]) -> Vec<&str> {
    use crate::record::{RecordBody, RecordKind};
    let enabled = || rules.iter().filter(|r| r.enabled);
    let mut kinds: Vec<&str> = enabled().filter(|r| RecordBody::subject_type_of(&r.kind).is_some()).map(|r| r.kind.as_str()).collect();
    if enabled().any(|r| matches!(r.period, Period::AfterEvent { event, .. } if event.student_event().is_some())) {
        kinds.push(crate::kinds::student::StudentEvent::KIND);
    }
    if enabled().any(|r| r.scope == RuleScope::CourseTeachers) {
        kinds.push(crate::kinds::class::ClassCheck::KIND);
    }
    for (kind, other, _) in crate::record::COUNTS_ALSO_AS {
        if kinds.contains(other) {
            kinds.push(*kind);
        }
    }
    kinds.order();
    kinds.dedup();
    kinds
}

/// The default rules: DOMAIN.md's duty table, each with its source.
pub fn default_rules() -> Vec<Rule> {
    use Period::*;
    use RuleScope as S;
    let rule = |id: &str, title: &str, source: &str, role, kind: &str, scope, min_count, period, students| Rule {
        id: id.into(),
        title: title.into(),
        source: source.into(),
        role,
        kind: kind.into(),
        activity: None,
        scope,
        min_count,
        period,
        students,
        enabled: true,
        leadership_only: false,
    };
    let with_activity = |mut r: Rule, activity: &str| {
        r.activity = Some(activity.into());
        r
    };
    let all = StudentFilter::All;
    let c = Role::Counselor;
    let l = Role::Leader;
    vec![
        rule("dorm-check", "每间寝室至少每14天查寝一次", "000 §2.6.2", c, "dorm_check", S::Room, 1, Days { days: 14 }, all),
        rule("class-check", "每个班级每周至少查课一次", "000 §3.1", c, "class_check", S::Class, 1, Weeks { weeks: 1 }, all),
        rule("lecture-visit", "每月至少听课一次", "000 §3.2", c, "lecture_visit", S::Person, 1, Month, all),
        rule("talk-coverage", "每学期谈话人次不少于所带班级学生总数的1/3", "000 §1.1", c, "talk", S::SessionShare { per: 3 }, 1, Semester, all),
        rule(
            "talk-warned",
            "受学籍预警、学籍处理或纪律处分的学生每季度至少谈话一次",
            "000 §1.1",
            c,
            "talk",
            S::Student,
            1,
            Quarter,
            StudentFilter::WarnedOrDisciplined,
        ),
        rule("class-meeting", "每个班级每学期至少召开4次班会", "000 §1.2", c, "class_meeting", S::Class, 4, Semester, all),
        rule("committee-meeting", "每个班级每学期至少召开2次班委会", "000 §4.1", c, "committee_meeting", S::Class, 2, Semester, all),
        rule("parent-yearly", "每学年与每位学生家长至少联系一次", "000 §2.5", c, "parent_contact", S::Student, 1, SchoolYear, all),
        rule(
            "parent-warning",
            "学业预警决定后7天内告知家长",
            "000 §2.5",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Warning, days: 7 },
            StudentFilter::Warned,
        ),
        rule(
            "parent-discipline",
            "处分决定后7天内告知家长",
            "000 §2.5",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Discipline, days: 7 },
            StudentFilter::Disciplined,
        ),
        rule(
            "parent-ruling",
            "学籍处理决定后7天内告知家长",
            "000 §2.5",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Ruling, days: 7 },
            StudentFilter::WarnedOrDisciplined,
        ),
        rule(
            "parent-warned-semester",
            "受学籍预警、学籍处理或纪律处分学生的家长每学期至少联系一次",
            "000 §2.5",
            c,
            "parent_contact",
            S::Student,
            1,
            Semester,
            StudentFilter::WarnedOrDisciplined,
        ),
        rule(
            "teacher-contact",
            "每学期至少与每一位任课教师联系一次（任课教师以查课记录为准）",
            "000 §3.4",
            c,
            "teacher_contact",
            S::CourseTeachers,
            1,
            Semester,
            all,
        ),
        // 004 三(一): 学工部 and the departments keep the archives, updated each school year; the
        // special archive of 特困、特殊 students is reviewed closely. The department's part falls
        // to the counselor of the student's class; the general update is offered, switched off.
        rule(
            "archive-review",
            "特困、特殊学生的专门档案每学年至少复核一次（各系）",
            "004 §3.1",
            c,
            ARCHIVE_REVIEW,
            S::Student,
            1,
            SchoolYear,
            StudentFilter::SpecialArchive,
        ),
        rule(
            "archive-review-office",
            "学工部每学年复核全校特困、特殊学生的专门档案",
            "004 §3.1",
            Role::Office,
            ARCHIVE_REVIEW,
            S::Student,
            1,
            SchoolYear,
            StudentFilter::SpecialArchive,
        ),
        Rule {
            enabled: false,
            ..rule("archive-update", "每学年更新每位学生的基础档案（学工部可启用）", "004 §3.1", c, ARCHIVE_REVIEW, S::Student, 1, SchoolYear, all)
        },
        rule(
            "assist-talk-counselor-2",
            "二级帮扶学生每月至少谈话一次（辅导员）",
            "003 §4",
            c,
            "talk",
            S::Student,
            1,
            Month,
            StudentFilter::Assisted { level: 2 },
        ),
        rule(
            "assist-talk-counselor-3",
            "三级帮扶学生每两周至少谈话一次（辅导员）",
            "003 §4",
            c,
            "talk",
            S::Student,
            1,
            Days { days: 14 },
            StudentFilter::Assisted { level: 3 },
        ),
        rule(
            "assist-talk-head-1",
            "一级帮扶学生每月至少谈话一次（班主任）",
            "003 §4",
            Role::HeadTeacher,
            "talk",
            S::Student,
            1,
            Month,
            StudentFilter::Assisted { level: 1 },
        ),
        rule(
            "assist-talk-head-2",
            "二级帮扶学生每两周至少谈话一次（班主任）",
            "003 §4",
            Role::HeadTeacher,
            "talk",
            S::Student,
            1,
            Days { days: 14 },
            StudentFilter::Assisted { level: 2 },
        ),
        // 003 五's actions per level, due from the working group's decision. The seed says
        // «及时» (promptly); the days are the office's choice, shown as such, and editable.
        with_activity(
            rule(
                "assist-plan-counselor",
                "帮扶认定后14天内面对面谈话并制定下阶段学习计划（辅导员）",
                "003 §5（天数由学工部设定）",
                c,
                "talk",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Assistance, days: 14 },
                StudentFilter::AssistedAny,
            ),
            "study_plan",
        ),
        with_activity(
            rule(
                "assist-plan-head",
                "帮扶认定后14天内面对面谈话并制定下阶段学习计划（班主任）",
                "003 §5（天数由学工部设定）",
                Role::HeadTeacher,
                "talk",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Assistance, days: 14 },
                StudentFilter::AssistedAny,
            ),
            "study_plan",
        ),
        with_activity(
            rule(
                "assist-1-phone",
                "一级帮扶：7天内电话告知家长",
                "003 §5 一级（天数由学工部设定）",
                c,
                "parent_contact",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Assistance, days: 7 },
                StudentFilter::Assisted { level: 1 },
            ),
            "phone",
        ),
        with_activity(
            rule(
                "assist-2-notice",
                "二级帮扶：14天内以挂号信寄出书面预警通知书",
                "003 §5 二级（天数由学工部设定）",
                c,
                "parent_contact",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Assistance, days: 14 },
                StudentFilter::Assisted { level: 2 },
            ),
            "registered_mail",
        ),
        rule(
            "assist-2-volunteer",
            "二级帮扶：21天内志愿者一对一结对并开始帮扶",
            "003 §5 二级、§6（天数由学工部设定）",
            c,
            "volunteer_session",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Assistance, days: 21 },
            StudentFilter::Assisted { level: 2 },
        ),
        with_activity(
            rule(
                "assist-3-meeting",
                "三级帮扶：30天内邀请家长来校，与学生、班主任、辅导员面谈",
                "003 §5 三级（天数由学工部设定）",
                c,
                "parent_contact",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Assistance, days: 30 },
                StudentFilter::Assisted { level: 3 },
            ),
            "meeting",
        ),
        with_activity(
            rule(
                "assist-evaluation",
                "帮扶学生每学期一次效果评价（班主任）",
                "001 §5.3、附件3",
                Role::HeadTeacher,
                "assistance_note",
                S::Student,
                1,
                Semester,
                StudentFilter::AssistedAny,
            ),
            "evaluation",
        ),
        // 004 四.1: «特殊学生要经常联系、重点学生要加强联系、一般学生要保持联系». The seed names no
        // frequency, so the monthly contact with the families in hardship is offered, off, for the
        // office to set and switch on.
        Rule {
            enabled: false,
            ..rule(
                "parent-hardship",
                "家庭经济特别困难学生的家长每月联系一次（频次由学工部设定）",
                "004 §4.1",
                c,
                "parent_contact",
                S::Student,
                1,
                Month,
                StudentFilter::Economy { economy: crate::archive::Economy::Hardship },
            )
        },
        // 004 三(二): what happened to a student starts a "contact the parents" duty. The seed
        // says «及时»; the days are the office's choice, shown as such. A home visit counts too.
        rule(
            "parent-award",
            "学生受到奖励后14天内通报家长",
            "004 §3.2.1（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Award, days: 14 },
            all,
        ),
        with_activity(
            rule(
                "parent-honour",
                "学生获省级以上荣誉、竞赛优异成绩或有先进事迹的，14天内向家庭发喜报",
                "004 §3.2.3（天数由学工部设定）",
                c,
                "parent_contact",
                S::Student,
                1,
                AfterEvent { event: StandingEvent::Honour, days: 14 },
                all,
            ),
            "letter",
        ),
        rule(
            "parent-academic",
            "学分未达要求、旷课挂科严重或修读困难的，7天内与家长重点沟通",
            "004 §3.2.4(1)(2)（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::AcademicTrouble, days: 7 },
            all,
        ),
        rule(
            "parent-conduct",
            "网络成瘾、思想偏激的，7天内与家长重点沟通",
            "004 §3.2.4(3)（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Conduct, days: 7 },
            all,
        ),
        rule(
            "parent-incident",
            "突发事件、重大身心疾病的，1天内告知家长",
            "004 §3.2.4(4)（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::Incident, days: 1 },
            all,
        ),
        rule(
            "parent-status",
            "学籍异动（休学、复学、退学）的，7天内与家长沟通",
            "004 §3.2.4(5)（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::StatusChange, days: 7 },
            all,
        ),
        rule(
            "parent-other",
            "学校认为需要告知家长的其他情况，7天内与家长沟通",
            "004 §3.2.4(6)（天数由学工部设定）",
            c,
            "parent_contact",
            S::Student,
            1,
            AfterEvent { event: StandingEvent::OtherNotice, days: 7 },
            all,
        ),
        // 004 第四条 1: special students' parents «经常», key students' «加强»; general students'
        // «保持» is `parent-yearly`. How often is the office's choice.
        rule(
            "parent-special",
            "特殊学生的家长每月至少联系一次（频次由学工部设定）",
            "004 §4.1",
            c,
            "parent_contact",
            S::Student,
            1,
            Month,
            StudentFilter::Tier { tier: crate::archive::ContactTier::Special },
        ),
        rule(
            "parent-key",
            "重点学生的家长每学期至少联系两次（频次由学工部设定）",
            "004 §4.1",
            c,
            "parent_contact",
            S::Student,
            2,
            Semester,
            StudentFilter::Tier { tier: crate::archive::ContactTier::Key },
        ),
        // 002 三(一), 四(二): the leadership tier (学校领导班子成员、二级党组织班子成员) teaches a
        // politics lesson each semester and meets students face to face each week; a visit,
        // an attendance or an activity with students counts as meeting them.
        Rule {
            leadership_only: true,
            ..rule("leadership-contact", "班子成员每周至少“面对面”接触学生1次", "002 §4.2", l, "student_contact", S::Person, 1, Weeks { weeks: 1 }, all)
        },
        Rule {
            leadership_only: true,
            ..with_activity(
                rule("leadership-lecture", "班子成员每学期至少给学生讲1堂思想政治理论课", "002 §3.1", l, "student_contact", S::Person, 1, Semester, all),
                "politics_lecture",
            )
        },
        // 000 二(一) «完成与新生的联系工作，以确定家长联系方式» and 二(六) «每学期期末考试前加强对所带
        // 班级学生的考前动员和教育»: dated from the year's start and the exams; the days are the
        // office's choice (the seed gives none).
        rule(
            "freshman-parents",
            "新生入学30天内与每位新生家长取得联系（天数由学工部设定）",
            "000 §2.1",
            c,
            "parent_contact",
            S::Student,
            1,
            YearStart { days: 30 },
            StudentFilter::YearOfStudy { year: 1 },
        ),
        rule(
            "exam-mobilisation",
            "期末考试前两周内召开考前动员班会（天数由学工部设定）",
            "000 §2.6",
            c,
            "class_meeting",
            S::Class,
            1,
            BeforeExams { days: 14 },
            all,
        ),
        // 004 三(二)2 «学期末，学工部、各系向学生家长发放《致家长的一封信》»: the office sends each
        // class's letter in the semester's last weeks; "学期末" is read as the last four teaching
        // weeks (the office's choice). Staff deliver it (their part is on Today, not a rule).
        with_activity(
            rule(
                "semester-letter",
                "学期末向每个班级的学生家长发放《致家长的一封信》（考试前4周内，天数由学工部设定）",
                "004 §3.2.2",
                Role::Office,
                "parent_letter",
                S::Class,
                1,
                BeforeExams { days: 28 },
                all,
            ),
            "semester_letter",
        ),
        // 004 三(四)1 «每年寒暑假，学工部牵头…选取一定数量的特困、典型学生，制定走访方案»: the office
        // makes the plan before each vacation, in the semester's last four teaching weeks (the
        // office's reading; the visits themselves are the plan's progress).
        rule(
            "vacation-visit-plan",
            "寒暑假前制定假期家访方案（学期最后4周内，由学工部设定）",
            "004 §3.4.1",
            Role::Office,
            "home_visit_plan",
            S::Person,
            1,
            BeforeExams { days: 28 },
            all,
        ),
        // 000 二(二) «毕业生文明离校教育…有记录»: a meeting of each graduating class (its fourth
        // year by cohort; a three-year school sets 3) on leaving well, in the school year's last
        // six teaching weeks (the office's reading; the seed gives no date).
        with_activity(
            rule(
                "graduation-education",
                "毕业班离校前开展毕业生文明离校教育班会并有记录（学年最后6周内，由学工部设定）",
                "000 §2.2",
                c,
                "class_meeting",
                S::Class,
                1,
                YearEnd { days: 42 },
                StudentFilter::YearOfStudy { year: 4 },
            ),
            "graduation",
        ),
        rule("leader-dorm", "每月深入联系寝室至少一次", "002 §3.3", l, "dorm_visit", S::Linked, 1, Month, all),
        rule("leader-class", "每学期参加联系班级活动至少一次", "002 §3.2", l, "class_attendance", S::Linked, 1, Semester, all),
        with_activity(
            rule("leader-lecture", "每学期为联系班级开设或联系人员开设1次讲座", "002 §3.2", l, "class_attendance", S::Linked, 1, Semester, all),
            "lecture",
        ),
        with_activity(
            rule("leader-branch-lecture", "每学期为联系党支部讲一次专题党课", "002 §3.5", l, "branch_activity", S::Linked, 1, Semester, all),
            "party_lecture",
        ),
        with_activity(
            rule("leader-branch-meeting", "每学期参加一次支部组织生活会", "002 §3.5", l, "branch_activity", S::Linked, 1, Semester, all),
            "organisational_meeting",
        ),
        with_activity(rule("leader-branch-report", "每学期听取一次支部建设情况汇报", "002 §3.5", l, "branch_activity", S::Linked, 1, Semester, all), "report"),
        with_activity(rule("leader-branch-talk", "每学期与支部党员交心谈心一次", "002 §3.5", l, "branch_activity", S::Linked, 1, Semester, all), "talk"),
        with_activity(rule("leader-club-plan", "每学期指导联系社团策划活动一次", "002 §3.4", l, "club_activity", S::Linked, 1, Semester, all), "plan"),
        with_activity(rule("leader-club-meeting", "每学期参加联系社团会议一次", "002 §3.4", l, "club_activity", S::Linked, 1, Semester, all), "meeting"),
        with_activity(rule("leader-club-activity", "每学期参与联系社团活动一次", "002 §3.4", l, "club_activity", S::Linked, 1, Semester, all), "activity"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant of the three internally tagged enums, with their fields.
    fn tagged_values() -> (Vec<RuleScope>, Vec<Period>, Vec<StudentFilter>) {
        use crate::archive::{AttentionFlag, ContactTier, Economy};
        let scopes = vec![
            RuleScope::Room,
            RuleScope::Class,
            RuleScope::Student,
            RuleScope::Person,
            RuleScope::Linked,
            RuleScope::StudentShare { percent: 33 },
            RuleScope::SessionShare { per: 3 },
            RuleScope::CourseTeachers,
        ];
        let periods = vec![
            Period::Days { days: 14 },
            Period::Weeks { weeks: 2 },
            Period::Month,
            Period::Quarter,
            Period::Semester,
            Period::SchoolYear,
            Period::AfterEvent { event: StandingEvent::Honour, days: 7 },
            Period::YearStart { days: 30 },
            Period::BeforeExams { days: 21 },
            Period::YearEnd { days: 28 },
            Period::SemesterStart { days: 10 },
            Period::Vacation,
        ];
        let filters = vec![
            StudentFilter::All,
            StudentFilter::Warned,
            StudentFilter::Disciplined,
            StudentFilter::WarnedOrDisciplined,
            StudentFilter::Assisted { level: 2 },
            StudentFilter::AssistedAny,
            StudentFilter::Flagged { flag: AttentionFlag::SingleParent },
            StudentFilter::Economy { economy: Economy::Hardship },
            StudentFilter::Tier { tier: ContactTier::Key },
            StudentFilter::SpecialArchive,
            StudentFilter::YearOfStudy { year: 1 },
        ];
        (scopes, periods, filters)
    }

    /// The JSON of `value` with its `type` key moved last (serde_json keeps written order).
    fn type_last(value: &impl Serialize) -> String {
        let text = serde_json::to_string(value).expect("serializes");
        let mut map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("an object");
        let tag = map.remove("type").expect("tagged");
        let fields: Vec<String> = map.iter().map(|(k, v)| format!("{k:?}:{v}")).chain([format!("\"type\":{tag}")]).collect();
        format!("{{{}}}", fields.join(","))
    }

    fn round_trips<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(values: &[T]) {
        for value in values {
            let text = serde_json::to_string(value).expect("serializes");
            assert!(text.starts_with(r#"{"type":""#), "tag first, as derived: {text}");
            assert_eq!(&serde_json::from_str::<T>(&text).expect("reads back"), value, "{text}");
            let last = type_last(value);
            assert_eq!(&serde_json::from_str::<T>(&last).expect("tag last reads"), value, "{last}");
            let as_value = serde_json::to_value(value).expect("a value");
            assert_eq!(&serde_json::from_value::<T>(as_value).expect("from a Value"), value);
        }
    }

    #[test]
    fn tagged_rule_parts_round_trip_in_any_key_order() {
        let (scopes, periods, filters) = tagged_values();
        round_trips(&scopes);
        round_trips(&periods);
        round_trips(&filters);
        // The wire form is serde's internally tagged one, fields beside the tag.
        assert_eq!(
            serde_json::to_string(&Period::AfterEvent { event: StandingEvent::Warning, days: 7 }).unwrap(),
            r#"{"type":"after_event","event":"warning","days":7}"#
        );
        assert_eq!(serde_json::to_string(&RuleScope::StudentShare { percent: 33 }).unwrap(), r#"{"type":"student_share","percent":33}"#);
        assert_eq!(serde_json::to_string(&StudentFilter::All).unwrap(), r#"{"type":"all"}"#);
        // Keys another variant would use are ignored, as serde's derived decoding did.
        assert_eq!(serde_json::from_str::<Period>(r#"{"days":3,"type":"month"}"#).unwrap(), Period::Month);
        assert_eq!(serde_json::from_str::<RuleScope>(r#"{"type":"room","note":"x"}"#).unwrap(), RuleScope::Room);
    }

    #[test]
    fn tagged_rule_parts_name_what_is_wrong() {
        let error = |e: serde_json::Error| e.to_string();
        let unknown = error(serde_json::from_str::<Period>(r#"{"type":"fortnight"}"#).unwrap_err());
        assert!(unknown.starts_with("unknown variant `fortnight`, expected one of `days`, `weeks`"), "{unknown}");
        let unknown = error(serde_json::from_str::<StudentFilter>(r#"{"level":2,"type":"gifted"}"#).unwrap_err());
        assert!(unknown.starts_with("unknown variant `gifted`"), "{unknown}");
        let untagged = error(serde_json::from_str::<RuleScope>(r#"{"percent":33}"#).unwrap_err());
        assert!(untagged.starts_with("missing field `type`"), "{untagged}");
        let missing = error(serde_json::from_str::<Period>(r#"{"type":"after_event","days":7}"#).unwrap_err());
        assert!(missing.starts_with("missing field `event`"), "{missing}");
        let missing = error(serde_json::from_str::<StudentFilter>(r#"{"type":"year_of_study"}"#).unwrap_err());
        assert!(missing.starts_with("missing field `year`"), "{missing}");
        let missing = error(serde_json::from_str::<RuleScope>(r#"{"type":"session_share","percent":3}"#).unwrap_err());
        assert!(missing.starts_with("missing field `per`"), "{missing}");
        let wrong = error(serde_json::from_str::<Period>(r#"{"type":"days","days":-1}"#).unwrap_err());
        assert!(wrong.starts_with("invalid value: integer `-1`"), "{wrong}");
        assert!(serde_json::from_str::<Period>(r#"{"type":"days","days":1,"type":"month"}"#).is_err(), "a second tag is refused");
    }

    #[test]
    fn default_rules_round_trip() {
        let rules = default_rules();
        let text = serde_json::to_string(&rules).expect("serializes");
        assert_eq!(serde_json::from_str::<Vec<Rule>>(&text).expect("reads back"), rules);
    }

    fn dorm_check() -> Rule {
        default_rules().into_iter().find(|r| r.id == "dorm-check").expect("a default")
    }

    #[test]
    fn the_defaults_are_valid_and_cover_the_duty_table() {
        let set = RuleSet { version: 1, rules: default_rules() };
        assert!(set.validate().is_empty(), "{:?}", set.validate());
        for id in [
            "dorm-check",
            "class-check",
            "lecture-visit",
            "talk-coverage",
            "talk-warned",
            "class-meeting",
            "committee-meeting",
            "parent-yearly",
            "parent-warning",
            "teacher-contact",
            "leader-dorm",
            "leader-class",
            "archive-review",
        ] {
            assert!(set.rule(id).is_some(), "{id} missing");
        }
        assert_eq!(set.rules.iter().filter(|r| r.id.starts_with("leader-branch")).count(), 4);
        assert_eq!(set.rules.iter().filter(|r| r.id.starts_with("leader-club")).count(), 3);
    }

    #[test]
    fn a_period_of_zero_is_refused() {
        let mut r = dorm_check();
        r.period = Period::Days { days: 0 };
        assert_eq!(r.validate().codes(), vec![("period.days", "zero_period")]);
        r.period = Period::Weeks { weeks: 0 };
        assert_eq!(r.validate().codes(), vec![("period.weeks", "zero_period")]);
    }

    #[test]
    fn a_rule_that_can_never_be_met_is_refused() {
        let mut r = dorm_check();
        r.min_count = 0;
        assert_eq!(r.validate().codes(), vec![("min_count", "out_of_range")]);
        let mut r = dorm_check();
        r.scope = RuleScope::Class;
        assert_eq!(r.validate().codes(), vec![("scope", "scope_mismatch")]);
        let mut r = dorm_check();
        r.kind = "fishing".into();
        assert_eq!(r.validate().codes(), vec![("kind", "unknown_kind")]);
        let mut warned = default_rules().into_iter().find(|r| r.id == "parent-warning").expect("a default");
        warned.students = StudentFilter::Disciplined;
        assert_eq!(warned.validate().codes(), vec![("students", "never_met")]);
        let mut share = default_rules().into_iter().find(|r| r.id == "talk-coverage").expect("a default");
        share.scope = RuleScope::StudentShare { percent: 0 };
        assert_eq!(share.validate().codes(), vec![("scope.percent", "out_of_range")]);
    }

    #[test]
    fn roles_scopes_filters_and_activities_must_agree() {
        let mut r = dorm_check();
        r.role = Role::Admin;
        r.students = StudentFilter::Warned;
        assert_eq!(r.validate().codes(), vec![("role", "not_dutiable"), ("students", "not_per_student")]);
        let mut r = dorm_check();
        r.role = Role::Office;
        assert_eq!(r.validate().codes(), vec![("scope", "scope_mismatch")], "the office checks no rooms");
        let mut r = dorm_check();
        r.role = Role::Leader;
        assert_eq!(r.validate().codes(), vec![("scope", "scope_mismatch")]);
        let mut r = default_rules().into_iter().find(|r| r.id == "leader-branch-lecture").expect("a default");
        assert_eq!(r.activity_index(), Some(0));
        r.activity = Some("picnic".into());
        assert_eq!(r.validate().codes(), vec![("activity", "unknown_activity")]);
    }

    #[test]
    fn duplicate_ids_in_a_set_are_refused() {
        let set = RuleSet { version: 2, rules: vec![dorm_check(), dorm_check()] };
        assert_eq!(set.validate().codes(), vec![("rules[1].id", "duplicate")]);
    }

    #[test]
    fn rules_travel_as_tagged_json() {
        let r = dorm_check();
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(json["period"], serde_json::json!({ "type": "days", "days": 14 }));
        assert_eq!(json["scope"], serde_json::json!({ "type": "room" }));
        let back: Rule = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, r);
    }
}

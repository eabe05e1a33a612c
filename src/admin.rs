//! Roster and account management by the office: one request type per change, each with its
//! validator, run by the browser before sending and by the server again. What the validators
//! cannot know (whether a class exists, whether a student number is taken) the server checks
//! against the database and reports on the same field paths.

use crate::archive::{is_phone, StudentArchive};
use crate::ids::*;
use crate::roster::{Bed, Class, Gender, Role, Room, Student};
use crate::validate::ValidationErrors;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Bounds of the roster's names and keys: the one set the office's forms and the roster import
/// both check, so a student the office creates always re-imports and the other way round.
pub mod limits {
    /// Names of departments, classes, buildings, people.
    pub const NAME_MAX: usize = 100;
    /// 学号, room numbers, bed labels.
    pub const KEY_MAX: usize = 32;
    pub const USERNAME_MIN: usize = 2;
    pub const USERNAME_MAX: usize = 32;
    pub const PASSWORD_MIN: usize = 8;
    pub const PASSWORD_MAX: usize = 128;
    /// The oldest cohort a class may have.
    pub const COHORT_MIN: i32 = 1990;
}

/// Every request body of the management API: validated the same way on both sides.
pub trait AdminInput {
    /// The problems of this request on its own; `today` in the school's zone.
    fn validate(&self, today: NaiveDate) -> ValidationErrors;
}

/// Checks a name or key: required, at most `max` characters, no line breaks.
fn name(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) {
    errors.text(field, value, true, max);
    if value.contains(['\n', '\r', '\t']) {
        errors.add(field, "bad_characters", "must be a single line");
    }
}

/// A student number (学号): letters, digits, `-` and `_`, at most [`limits::KEY_MAX`]; what both
/// the office's form and the import accept.
pub fn valid_student_no(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= limits::KEY_MAX && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The cohort years a class may have on `today`: from [`limits::COHORT_MIN`] to next year's
/// intake.
pub fn cohort_years(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    limits::COHORT_MIN..=today.year() + 1
}

fn id(errors: &mut ValidationErrors, field: &str, value: i64) {
    if value <= 0 {
        errors.add(field, "required", "is required");
    }
}

/// The password policy: long enough to resist guessing, short enough to type on a phone.
pub fn check_password(errors: &mut ValidationErrors, field: &str, password: &str) {
    let n = password.chars().count();
    if n < limits::PASSWORD_MIN {
        errors.add(field, "too_short", format!("needs at least {} characters", limits::PASSWORD_MIN));
    } else if n > limits::PASSWORD_MAX {
        errors.add(field, "too_long", format!("may have at most {} characters", limits::PASSWORD_MAX));
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentInput {
    pub name: String,
}

impl AdminInput for DepartmentInput {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        name(&mut errors, "name", &self.name, limits::NAME_MAX);
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassInput {
    pub department_id: DepartmentId,
    pub name: String,
    /// The year the cohort entered (年级).
    pub cohort_year: i32,
}

impl Default for ClassInput {
    fn default() -> Self {
        ClassInput { department_id: DepartmentId(0), name: String::new(), cohort_year: 0 }
    }
}

impl AdminInput for ClassInput {
    fn validate(&self, today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        id(&mut errors, "department_id", self.department_id.0);
        name(&mut errors, "name", &self.name, limits::NAME_MAX);
        let years = cohort_years(today);
        if !years.contains(&self.cohort_year) {
            errors.add("cohort_year", "out_of_range", format!("must be a year from {} to {}", years.start(), years.end()));
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentInput {
    /// 学号, unique in the institution.
    pub student_no: String,
    pub name: String,
    pub gender: Gender,
    pub class_id: ClassId,
    #[serde(default)]
    pub phone: Option<String>,
    /// The confidential archive. On an update, absent (`null`) leaves the stored archive as it
    /// is, so a program changing a phone number cannot wipe it by accident.
    #[serde(default)]
    pub archive: Option<StudentArchive>,
}

impl Default for StudentInput {
    fn default() -> Self {
        StudentInput {
            student_no: String::new(),
            name: String::new(),
            gender: Gender::Male,
            class_id: ClassId(0),
            phone: None,
            archive: Some(StudentArchive::default()),
        }
    }
}

impl StudentInput {
    /// The request that would leave a student as they are.
    pub fn of(student: &Student) -> StudentInput {
        StudentInput {
            student_no: student.student_no.clone(),
            name: student.name.clone(),
            gender: student.gender,
            class_id: student.class_id,
            phone: student.phone.clone(),
            archive: Some(student.archive.clone().unwrap_or_default()),
        }
    }

    /// The phone to store: trimmed, and none rather than an empty one.
    pub fn phone_to_store(&self) -> Option<String> {
        self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string)
    }
}

impl AdminInput for StudentInput {
    fn validate(&self, today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        name(&mut errors, "student_no", &self.student_no, limits::KEY_MAX);
        let no = self.student_no.trim();
        if !no.is_empty() && no.chars().count() <= limits::KEY_MAX && !valid_student_no(no) {
            errors.add("student_no", "bad_characters", "may hold only letters, digits, - and _");
        }
        name(&mut errors, "name", &self.name, limits::NAME_MAX);
        id(&mut errors, "class_id", self.class_id.0);
        if let Some(phone) = self.phone_to_store() {
            if !is_phone(&phone) {
                errors.add("phone", "bad_phone", "must be a phone number (digits, spaces, + and -)");
            }
        }
        if let Some(archive) = &self.archive {
            errors.nest("archive", archive.validate(today));
        }
        errors
    }
}

impl AdminInput for StudentArchive {
    fn validate(&self, today: NaiveDate) -> ValidationErrors {
        StudentArchive::validate(self, today)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingInput {
    pub name: String,
}

impl AdminInput for BuildingInput {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        name(&mut errors, "name", &self.name, limits::NAME_MAX);
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomInput {
    pub building_id: BuildingId,
    /// The number on the door, unique in its building.
    pub number: String,
}

impl Default for RoomInput {
    fn default() -> Self {
        RoomInput { building_id: BuildingId(0), number: String::new() }
    }
}

impl AdminInput for RoomInput {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        id(&mut errors, "building_id", self.building_id.0);
        name(&mut errors, "number", &self.number, limits::KEY_MAX);
        errors
    }
}

/// A bed and who sleeps in it. Naming a student who sleeps elsewhere moves them: their old
/// bed is freed in the same change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BedInput {
    pub room_id: RoomId,
    /// The bed's label in its room, unique there.
    pub label: String,
    /// The student number of the resident; none or empty for a free bed.
    #[serde(default)]
    pub student_no: Option<String>,
}

impl Default for BedInput {
    fn default() -> Self {
        BedInput { room_id: RoomId(0), label: String::new(), student_no: None }
    }
}

impl BedInput {
    /// The resident's student number, trimmed; none for a free bed.
    pub fn resident(&self) -> Option<&str> {
        self.student_no.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

impl AdminInput for BedInput {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        id(&mut errors, "room_id", self.room_id.0);
        name(&mut errors, "label", &self.label, limits::KEY_MAX);
        if let Some(no) = self.resident() {
            errors.text("student_no", no, false, limits::KEY_MAX);
        }
        errors
    }
}

/// A new staff account with its first password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

impl Default for NewAccount {
    fn default() -> Self {
        NewAccount { username: String::new(), display_name: String::new(), role: Role::Counselor, password: String::new() }
    }
}

impl AdminInput for NewAccount {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let username = self.username.trim();
        let n = username.chars().count();
        if n == 0 {
            errors.add("username", "required", "is required");
        } else if !(limits::USERNAME_MIN..=limits::USERNAME_MAX).contains(&n) {
            errors.add("username", "bad_length", format!("needs {} to {} characters", limits::USERNAME_MIN, limits::USERNAME_MAX));
        } else if !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            errors.add("username", "bad_characters", "may use only letters, digits, '.', '_' and '-'");
        }
        name(&mut errors, "display_name", &self.display_name, limits::NAME_MAX);
        check_password(&mut errors, "password", &self.password);
        errors
    }
}

/// A change of an account's name, role or standing. A disabled account cannot sign in, and
/// disabling it ends its sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUpdate {
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Of the leadership tier (班子成员, 002 三(一), 四(二)): a leader with duties of their own.
    #[serde(default)]
    pub leadership: bool,
    /// The department of an office account (院系学工办); see [`Account::department_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<DepartmentId>,
}

impl AdminInput for AccountUpdate {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        name(&mut errors, "display_name", &self.display_name, limits::NAME_MAX);
        if self.leadership && self.role != Role::Leader {
            errors.add("leadership", "not_a_leader", "only a leader (领导干部) is of the leadership tier");
        }
        if self.department_id.is_some() && self.role != Role::Office {
            errors.add("department_id", "not_office", "only an office account belongs to a department's office (院系学工办)");
        }
        errors
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

impl AdminInput for PasswordReset {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_password(&mut errors, "password", &self.password);
        errors
    }
}

/// The counselors and head teachers who look after a class; replaces the previous set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassStaff {
    pub user_ids: Vec<UserId>,
}

impl AdminInput for ClassStaff {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, user) in self.user_ids.iter().enumerate() {
            if !seen.insert(*user) {
                errors.add(format!("user_ids[{i}]"), "duplicate", "is listed twice");
            }
        }
        errors
    }
}

/// Whether a role can be assigned to a class (leaders are linked to classes elsewhere).
pub fn assignable_to_class(role: Role) -> bool {
    matches!(role, Role::Counselor | Role::HeadTeacher)
}

/// A staff account as the office manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// The classes the account is assigned to (counselors and head teachers).
    pub classes: Vec<ClassId>,
    /// Of the leadership tier (班子成员).
    #[serde(default)]
    pub leadership: bool,
    /// An office account of one department (院系学工办, 004's «各系»): it owes the office's duties
    /// for that department's classes only. `None`: the school's office (学工部), all classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<DepartmentId>,
}

/// A staff member named on a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassRow {
    pub class: Class,
    pub students: u32,
    pub staff: Vec<StaffRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentRow {
    pub student: Student,
    /// Where the student sleeps, e.g. `1号楼 1-101 #2`.
    pub place: Option<String>,
}

/// One page of a student search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentPage {
    /// How many students match, over all pages.
    pub total: u32,
    pub rows: Vec<StudentRow>,
}

/// Students shown per page of a search.
pub const STUDENT_PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoomRow {
    pub room: Room,
    pub beds: u32,
    pub occupied: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BedRow {
    pub bed: Bed,
    pub student_no: Option<String>,
    pub student_name: Option<String>,
}

impl BedRow {
    pub fn input(&self) -> BedInput {
        BedInput { room_id: self.bed.room_id, label: self.bed.label.clone(), student_no: self.student_no.clone() }
    }
}

/// The answer to a delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn student() -> StudentInput {
        StudentInput {
            student_no: "2023010101".into(),
            name: "张三".into(),
            gender: Gender::Female,
            class_id: ClassId(1),
            phone: Some("138 0013 8000".into()),
            archive: Some(StudentArchive::default()),
        }
    }

    #[test]
    fn a_sound_student_passes_and_a_blank_one_names_each_field() {
        assert!(student().validate(today()).is_empty());
        let blank = StudentInput::default();
        assert_eq!(blank.validate(today()).codes(), vec![("student_no", "required"), ("name", "required"), ("class_id", "required")]);
    }

    #[test]
    fn student_numbers_phones_and_archives_are_checked() {
        let mut s = student();
        s.student_no = "2023 01".into();
        s.phone = Some("call me".into());
        s.archive = Some(StudentArchive { guardian_phone: "x".into(), ..Default::default() });
        assert_eq!(s.validate(today()).codes(), vec![("student_no", "bad_characters"), ("phone", "bad_phone"), ("archive.guardian_phone", "bad_phone")]);
        s = student();
        s.phone = Some("  ".into());
        assert!(s.validate(today()).is_empty());
        assert_eq!(s.phone_to_store(), None);
        s.name = "名".repeat(limits::NAME_MAX + 1);
        assert_eq!(s.validate(today()).codes(), vec![("name", "too_long")]);
    }

    #[test]
    fn class_cohorts_stay_in_a_sensible_range() {
        let mut c = ClassInput { department_id: DepartmentId(1), name: "计科2023-1".into(), cohort_year: 2023 };
        assert!(c.validate(today()).is_empty());
        c.cohort_year = 2027;
        assert!(c.validate(today()).is_empty(), "next year's cohort may be set up in advance");
        c.cohort_year = 2028;
        assert_eq!(c.validate(today()).codes(), vec![("cohort_year", "out_of_range")]);
        c.cohort_year = 23;
        c.department_id = DepartmentId(0);
        assert_eq!(c.validate(today()).codes(), vec![("department_id", "required"), ("cohort_year", "out_of_range")]);
    }

    #[test]
    fn names_are_single_lines() {
        let d = DepartmentInput { name: "计算机\n学院".into() };
        assert_eq!(d.validate(today()).codes(), vec![("name", "bad_characters")]);
        let b = BuildingInput { name: "   ".into() };
        assert_eq!(b.validate(today()).codes(), vec![("name", "required")]);
        let r = RoomInput { building_id: BuildingId(1), number: "1-101".into() };
        assert!(r.validate(today()).is_empty());
    }

    #[test]
    fn a_bed_with_a_blank_resident_is_free() {
        let mut bed = BedInput { room_id: RoomId(1), label: "1".into(), student_no: Some("  ".into()) };
        assert!(bed.validate(today()).is_empty());
        assert_eq!(bed.resident(), None);
        bed.student_no = Some(" 2023010101 ".into());
        assert_eq!(bed.resident(), Some("2023010101"));
        bed.label.clear();
        assert_eq!(bed.validate(today()).codes(), vec![("label", "required")]);
    }

    #[test]
    fn accounts_need_a_plain_username_and_a_long_enough_password() {
        let mut a = NewAccount { username: "wang.fang".into(), display_name: "王芳".into(), role: Role::Counselor, password: "rounds-demo".into() };
        assert!(a.validate(today()).is_empty());
        a.username = "王芳".into();
        a.password = "short".into();
        assert_eq!(a.validate(today()).codes(), vec![("username", "bad_characters"), ("password", "too_short")]);
        a.username = "w".into();
        assert_eq!(a.validate(today()).codes()[0], ("username", "bad_length"));
        let reset = PasswordReset { password: "x".repeat(limits::PASSWORD_MAX + 1) };
        assert_eq!(reset.validate(today()).codes(), vec![("password", "too_long")]);
        let update = AccountUpdate { display_name: String::new(), role: Role::Office, active: false, leadership: true, department_id: None };
        assert_eq!(update.validate(today()).codes(), vec![("display_name", "required"), ("leadership", "not_a_leader")], "the leadership tier is leaders'");
        let counselor_of =
            AccountUpdate { display_name: "王芳".into(), role: Role::Counselor, active: true, leadership: false, department_id: Some(DepartmentId(1)) };
        assert_eq!(counselor_of.validate(today()).codes(), vec![("department_id", "not_office")], "a department's office is an office account");
    }

    #[test]
    fn class_staff_lists_no_one_twice_and_only_field_staff_are_assignable() {
        let staff = ClassStaff { user_ids: vec![UserId(1), UserId(2), UserId(1)] };
        assert_eq!(staff.validate(today()).codes(), vec![("user_ids[2]", "duplicate")]);
        assert!(assignable_to_class(Role::Counselor));
        assert!(assignable_to_class(Role::HeadTeacher));
        assert!(!assignable_to_class(Role::Leader));
        assert!(!assignable_to_class(Role::Office));
    }

    #[test]
    fn an_archive_is_validated_on_its_own_too() {
        let archive = StudentArchive { confirmed_on: NaiveDate::from_ymd_opt(2027, 1, 1), ..Default::default() };
        assert_eq!(AdminInput::validate(&archive, today()).codes(), vec![("confirmed_on", "in_future")]);
    }

    #[test]
    fn a_student_input_of_a_student_keeps_everything() {
        let s = Student {
            id: StudentId(7),
            student_no: "S7".into(),
            name: "李四".into(),
            gender: Gender::Male,
            class_id: ClassId(2),
            phone: None,
            archive: None,
            initials: "ls".into(),
        };
        let input = StudentInput::of(&s);
        assert_eq!(input.student_no, "S7");
        assert_eq!(input.class_id, ClassId(2));
        assert_eq!(input.archive, Some(StudentArchive::default()));
    }
}

//! Roster import: the documented column layout of a students file, the check of every row, and
//! the plan of what importing the file changes in a stored roster.
//!
//! Pure, like the rest of this crate: the server reads an .xlsx or .csv into a table of text
//! cells ([`read_students`]), asks for a [`plan`] against the roster it holds, and writes the
//! plan's [`RosterWrites`] in one transaction. Every decision (what is bad, what is new, what is
//! unchanged) is made here, so the check and the import can never disagree.

use crate::archive::{is_phone, AttentionFlag, Economy, Origin, StudentArchive};
use crate::ids::*;
use crate::roster::{Gender, RosterSnapshot};
use crate::sheet::{read_sheet, SheetColumn};
use crate::sorting::Order;
use crate::validate::limits;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most data rows one file may carry: several times the largest university's intake.
pub const MAX_ROWS: usize = 50_000;
// The office's bounds, so what one accepts the other does (`crate::admin::limits`).
use crate::admin::limits::{KEY_MAX, NAME_MAX};
/// Departments, classes and buildings are names like a person's.
const UNIT_MAX: usize = NAME_MAX;

crate::sheet::sheet_layout!(
    /// One column of a students file (one row per student).
    Column {
        StudentNo => ("学号", "student_no", true, [], "2025010101"),
        Name => ("姓名", "name", true, [], "张三"),
        Gender => ("性别", "gender", true, [], "男"),
        Department => ("院系", "department", true, ["学院", "系"], "计算机与信息工程学院"),
        Class => ("班级", "class", true, [], "计算机2025-1班"),
        Cohort => ("年级", "cohort", true, ["入学年份"], "2025"),
        Phone => ("手机", "phone", false, ["手机号", "电话", "联系电话"], "13800138000"),
        Building => ("楼栋", "building", false, ["宿舍楼"], "3号楼"),
        Room => ("寝室", "room", false, ["宿舍", "寝室号", "房间号"], "3-201"),
        Bed => ("床位", "bed", false, ["床号"], "2"),
        GuardianName => ("监护人", "guardian_name", false, ["监护人姓名", "家长姓名"], "张建国（父亲）"),
        GuardianPhone => ("监护人电话", "guardian_phone", false, ["家长电话"], "13900139000"),
        HomeAddress => ("家庭住址", "home_address", false, ["家庭地址"], "四川省成都市武侯区"),
        Origin => ("城乡", "origin", false, ["生源类型", "户口类型"], "城镇"),
        Economy => ("家庭经济", "economy", false, ["家庭经济情况", "经济情况"], "一般"),
        FamilyNotes => ("家庭情况", "family_notes", false, [], ""),
        MedicalNotes => ("病史", "medical_notes", false, ["既往病史"], ""),
        Flags => ("特别关注", "flags", false, ["关注标记"], ""),
    }
);

impl Column {
    /// The column a header names (see [`SheetColumn::from_header`]).
    pub fn from_header(header: &str) -> Option<Column> {
        <Column as SheetColumn>::from_header(header)
    }
}

pub use crate::sheet::{column_letter, EntityCounts, ImportMode, IssueCode};

/// One problem with a students file.
pub type ImportIssue = crate::sheet::SheetIssue<Column>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub departments: EntityCounts,
    pub classes: EntityCounts,
    pub students: EntityCounts,
    pub buildings: EntityCounts,
    pub rooms: EntityCounts,
    pub beds: EntityCounts,
}

impl ImportCounts {
    pub fn all(&self) -> [EntityCounts; 6] {
        [self.departments, self.classes, self.students, self.buildings, self.rooms, self.beds]
    }

    pub fn changed(&self) -> usize {
        self.all().iter().map(EntityCounts::changed).sum()
    }
}

/// The answer to a roster import, in every mode.
pub type ImportReport = crate::sheet::SheetImportReport<Column, ImportCounts>;

/// Building, room and bed label, all three.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BedPlace {
    pub building: String,
    pub room: String,
    pub bed: String,
}

/// The archive fields a row gives; an empty cell keeps what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchivePatch {
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub home_address: Option<String>,
    pub origin: Option<Origin>,
    pub economy: Option<Economy>,
    pub family_notes: Option<String>,
    pub medical_notes: Option<String>,
    pub flags: Option<Vec<AttentionFlag>>,
}

impl ArchivePatch {
    pub fn is_empty(&self) -> bool {
        *self == ArchivePatch::default()
    }

    /// The stored archive with the given fields overwritten; `None` stays `None` when nothing
    /// is given.
    pub fn applied_to(&self, stored: Option<&StudentArchive>) -> Option<StudentArchive> {
        if self.is_empty() {
            return stored.cloned();
        }
        let mut a = stored.cloned().unwrap_or_default();
        if let Some(v) = &self.guardian_name {
            a.guardian_name = v.clone();
        }
        if let Some(v) = &self.guardian_phone {
            a.guardian_phone = v.clone();
        }
        if let Some(v) = &self.home_address {
            a.home_address = v.clone();
        }
        if let Some(v) = self.origin {
            a.origin = Some(v);
        }
        if let Some(v) = self.economy {
            a.economy = Some(v);
        }
        if let Some(v) = &self.family_notes {
            a.family_notes = v.clone();
        }
        if let Some(v) = &self.medical_notes {
            a.medical_notes = v.clone();
        }
        if let Some(v) = &self.flags {
            a.flags = v.clone();
        }
        Some(a)
    }
}

/// One good row of a students file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRow {
    /// The row number in the file (header = 1).
    pub row: u32,
    pub student_no: String,
    pub name: String,
    pub gender: Gender,
    pub department: String,
    pub class: String,
    pub cohort_year: i32,
    /// `None` keeps the stored phone.
    pub phone: Option<String>,
    /// `None` keeps the student's stored bed.
    pub bed: Option<BedPlace>,
    pub archive: ArchivePatch,
}

/// A students file, read and checked on its own (without the stored roster).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentsFile {
    /// Data rows read, good and bad.
    pub rows_read: usize,
    pub good: Vec<StudentRow>,
    pub errors: Vec<ImportIssue>,
    pub warnings: Vec<ImportIssue>,
}

fn issue(row: u32, column: Option<Column>, code: IssueCode, value: &str, message: String) -> ImportIssue {
    ImportIssue::new(row, column, code, value, message)
}

/// The fields of one row as far as they could be read, for the checks across rows.
#[derive(Default)]
struct Parsed {
    row: u32,
    errors: Vec<ImportIssue>,
    student_no: Option<String>,
    name: Option<String>,
    gender: Option<Gender>,
    department: Option<String>,
    class: Option<String>,
    cohort_year: Option<i32>,
    phone: Option<String>,
    bed: Option<BedPlace>,
    archive: ArchivePatch,
}

impl Parsed {
    fn fail(&mut self, column: Column, code: IssueCode, value: &str, message: impl Into<String>) {
        self.errors.push(ImportIssue::cell(self.row, column, code, value, &message.into()));
    }

    /// A text cell: `None` when empty (reported when required), checked for length.
    fn text(&mut self, column: Column, value: Option<&str>, max: usize) -> Option<String> {
        match value {
            None if column.required() => {
                self.fail(column, IssueCode::Required, "", "is required");
                None
            }
            None => None,
            Some(v) => {
                let chars = v.chars().count();
                if chars > max {
                    self.fail(column, IssueCode::TooLong, v, format!("is {chars} characters long; at most {max} are allowed"));
                    None
                } else {
                    Some(v.to_string())
                }
            }
        }
    }

    /// The good row, or every problem found in it.
    fn into_row(self) -> Result<StudentRow, Vec<ImportIssue>> {
        match self {
            Parsed {
                row,
                errors,
                student_no: Some(student_no),
                name: Some(name),
                gender: Some(gender),
                department: Some(department),
                class: Some(class),
                cohort_year: Some(cohort_year),
                phone,
                bed,
                archive,
            } if errors.is_empty() => Ok(StudentRow { row, student_no, name, gender, department, class, cohort_year, phone, bed, archive }),
            // A required field without a value always carries its error; keep them all.
            Parsed { errors, .. } => Err(errors),
        }
    }
}

pub fn parse_gender(s: &str) -> Option<Gender> {
    Gender::parse(s).or_else(|| match s.to_lowercase().as_str() {
        "male" | "男性" => Some(Gender::Male),
        "female" | "女性" => Some(Gender::Female),
        _ => None,
    })
}

/// `2023`, `2023级` or `2023年`, a year the office's class form also takes on `today`.
pub fn parse_cohort(s: &str, today: NaiveDate) -> Option<i32> {
    let digits = s.trim_end_matches(['级', '年']).trim();
    digits.parse::<i32>().ok().filter(|y| crate::admin::cohort_years(today).contains(y))
}

pub fn parse_origin(s: &str) -> Option<Origin> {
    match s.to_lowercase().as_str() {
        "城镇" | "城市" | "urban" => Some(Origin::Urban),
        "农村" | "rural" => Some(Origin::Rural),
        _ => None,
    }
}

pub fn parse_economy(s: &str) -> Option<Economy> {
    match s.to_lowercase().as_str() {
        "一般" | "正常" | "normal" => Some(Economy::Normal),
        "困难" | "经济困难" | "家庭经济困难" | "difficult" => Some(Economy::Difficult),
        "特别困难" | "特困" | "hardship" => Some(Economy::Hardship),
        _ => None,
    }
}

/// The Chinese names of the attention flags, as the app shows them.
const FLAG_NAMES: &[(AttentionFlag, &str, &str)] = &[
    (AttentionFlag::AcademicWarning, "学业预警", "academic_warning"),
    (AttentionFlag::Discipline, "违纪处分", "discipline"),
    (AttentionFlag::Psychological, "心理关注", "psychological"),
    (AttentionFlag::EconomicHardship, "家庭经济困难", "economic_hardship"),
    (AttentionFlag::SingleParent, "单亲", "single_parent"),
    (AttentionFlag::Orphan, "孤儿", "orphan"),
    (AttentionFlag::Disability, "残疾", "disability"),
    (AttentionFlag::Health, "健康", "health"),
    (AttentionFlag::Other, "其他", "other"),
];

pub fn parse_flag(s: &str) -> Option<AttentionFlag> {
    let folded = s.trim().to_lowercase().replace([' ', '-'], "_");
    FLAG_NAMES.iter().find(|(_, zh, en)| *zh == s.trim() || *en == folded).map(|(f, _, _)| *f)
}

/// The flags separators a Chinese spreadsheet uses: 、 ; , and their full-width forms.
const FLAG_SEPARATORS: [char; 5] = ['、', ';', ',', '；', '，'];

fn read_row(row: u32, values: &HashMap<Column, &str>, today: NaiveDate) -> Parsed {
    let get = |c: Column| values.get(&c).copied();
    let mut p = Parsed { row, ..Parsed::default() };

    if let Some(no) = p.text(Column::StudentNo, get(Column::StudentNo), KEY_MAX) {
        if crate::admin::valid_student_no(&no) {
            p.student_no = Some(no);
        } else {
            p.fail(Column::StudentNo, IssueCode::BadStudentNo, &no, "may hold only letters, digits, - and _");
        }
    }
    p.name = p.text(Column::Name, get(Column::Name), NAME_MAX);
    if let Some(g) = p.text(Column::Gender, get(Column::Gender), KEY_MAX) {
        p.gender = parse_gender(&g);
        if p.gender.is_none() {
            p.fail(Column::Gender, IssueCode::BadGender, &g, "must be 男 or 女 (male or female)");
        }
    }
    p.department = p.text(Column::Department, get(Column::Department), UNIT_MAX);
    p.class = p.text(Column::Class, get(Column::Class), UNIT_MAX);
    if let Some(y) = p.text(Column::Cohort, get(Column::Cohort), KEY_MAX) {
        p.cohort_year = parse_cohort(&y, today);
        if p.cohort_year.is_none() {
            let years = crate::admin::cohort_years(today);
            p.fail(Column::Cohort, IssueCode::BadYear, &y, format!("must be the year the cohort entered, {} to {}", years.start(), years.end()));
        }
    }
    if let Some(phone) = p.text(Column::Phone, get(Column::Phone), KEY_MAX) {
        if is_phone(&phone) {
            p.phone = Some(phone);
        } else {
            p.fail(Column::Phone, IssueCode::BadPhone, &phone, "must be a phone number (7 to 15 digits, spaces, + and -)");
        }
    }

    let building = p.text(Column::Building, get(Column::Building), UNIT_MAX);
    let room = p.text(Column::Room, get(Column::Room), KEY_MAX);
    let bed = p.text(Column::Bed, get(Column::Bed), KEY_MAX);
    let given = [(Column::Building, get(Column::Building)), (Column::Room, get(Column::Room)), (Column::Bed, get(Column::Bed))];
    let missing: Vec<Column> = given.iter().filter(|(_, v)| v.is_none()).map(|(c, _)| *c).collect();
    if !missing.is_empty() && missing.len() < 3 {
        let names: Vec<&str> = missing.iter().map(|c| c.en()).collect();
        p.fail(missing[0], IssueCode::IncompleteBed, "", format!("building, room and bed are given together; {} missing", names.join(" and ")));
    }
    if let (Some(building), Some(room), Some(bed)) = (building, room, bed) {
        p.bed = Some(BedPlace { building, room, bed });
    }

    p.archive.guardian_name = p.text(Column::GuardianName, get(Column::GuardianName), limits::SHORT_TEXT_MAX);
    if let Some(phone) = p.text(Column::GuardianPhone, get(Column::GuardianPhone), KEY_MAX) {
        if is_phone(&phone) {
            p.archive.guardian_phone = Some(phone);
        } else {
            p.fail(Column::GuardianPhone, IssueCode::BadPhone, &phone, "must be a phone number (7 to 15 digits, spaces, + and -)");
        }
    }
    p.archive.home_address = p.text(Column::HomeAddress, get(Column::HomeAddress), limits::SHORT_TEXT_MAX);
    if let Some(o) = p.text(Column::Origin, get(Column::Origin), KEY_MAX) {
        p.archive.origin = parse_origin(&o);
        if p.archive.origin.is_none() {
            p.fail(Column::Origin, IssueCode::BadOrigin, &o, "must be 城镇 or 农村 (urban or rural)");
        }
    }
    if let Some(e) = p.text(Column::Economy, get(Column::Economy), KEY_MAX) {
        p.archive.economy = parse_economy(&e);
        if p.archive.economy.is_none() {
            p.fail(Column::Economy, IssueCode::BadEconomy, &e, "must be 一般, 困难 or 特别困难 (normal, difficult or hardship)");
        }
    }
    p.archive.family_notes = p.text(Column::FamilyNotes, get(Column::FamilyNotes), limits::NOTES_MAX);
    p.archive.medical_notes = p.text(Column::MedicalNotes, get(Column::MedicalNotes), limits::NOTES_MAX);
    if let Some(list) = p.text(Column::Flags, get(Column::Flags), limits::SHORT_TEXT_MAX) {
        let mut flags = Vec::new();
        for part in list.split(FLAG_SEPARATORS).map(str::trim).filter(|s| !s.is_empty()) {
            match parse_flag(part) {
                // A flag named twice means the same as once.
                Some(f) if !flags.contains(&f) => flags.push(f),
                Some(_) => {}
                None => {
                    let known: Vec<&str> = FLAG_NAMES.iter().map(|(_, zh, _)| *zh).collect();
                    p.fail(Column::Flags, IssueCode::BadFlag, part, format!("is not a known flag; use {}", known.join("、")));
                }
            }
        }
        p.archive.flags = Some(flags);
    }
    p
}

/// Reads a students file: `table[i]` holds the cells of the sheet's row `i + 1`. The first
/// non-blank row is the header; blank rows are skipped.
/// Years are checked as the office's forms check them on `today`.
pub fn read_students(table: &[Vec<String>], today: NaiveDate) -> StudentsFile {
    let sheet = read_sheet::<Column>(table, MAX_ROWS, "students");
    let mut file = StudentsFile { rows_read: sheet.rows.len(), good: Vec::new(), errors: Vec::new(), warnings: Vec::new() };
    if sheet.has_file_errors() {
        file.errors = sheet.errors;
        file.warnings = sheet.warnings;
        return file;
    }
    let mut parsed: Vec<Parsed> = sheet.rows.iter().map(|(row, cells)| read_row(*row, &sheet.values(cells), today)).collect();
    file.errors = sheet.errors;
    file.warnings = sheet.warnings;
    check_across_rows(&mut parsed);
    for p in parsed {
        match p.into_row() {
            Ok(row) => file.good.push(row),
            Err(errors) => file.errors.extend(errors),
        }
    }
    file.errors.order_by_key(|e| e.row);
    file
}

/// Duplicates and contradictions between rows: a student number or a bed twice (every row
/// involved is bad, as the file does not say which is right), a class under two departments or
/// two cohorts (the rows that disagree with the class's first row are bad).
fn check_across_rows(parsed: &mut [Parsed]) {
    let mut by_bed: HashMap<BedPlace, Vec<usize>> = HashMap::new();
    let mut classes: HashMap<String, (u32, Option<String>, Option<i32>)> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Some(bed) = &p.bed {
            by_bed.entry(bed.clone()).or_default().push(i);
        }
    }
    let keys: Vec<(u32, Option<&str>)> = parsed.iter().map(|p| (p.row, p.student_no.as_deref())).collect();
    let mut add: Vec<(usize, ImportIssue)> = crate::sheet::duplicates(&keys, Column::StudentNo, IssueCode::DuplicateStudent);
    for (bed, rows) in by_bed.iter().filter(|(_, r)| r.len() > 1) {
        for &i in rows {
            let other = rows.iter().copied().find(|&j| j != i).map(|j| parsed[j].row);
            let place = format!("{} {} bed {}", bed.building, bed.room, bed.bed);
            let mut e =
                issue(parsed[i].row, Some(Column::Bed), IssueCode::DuplicateBed, &bed.bed, format!("bed: {place} is also given to row {}", other.unwrap_or(0)));
            e.other_row = other;
            add.push((i, e));
        }
    }
    for (i, p) in parsed.iter().enumerate() {
        let Some(class) = &p.class else { continue };
        let first = classes.entry(class.clone()).or_insert((p.row, p.department.clone(), p.cohort_year));
        if first.0 == p.row {
            continue;
        }
        if let (Some(d0), Some(d)) = (&first.1, &p.department) {
            if d0 != d {
                let mut e = issue(
                    p.row,
                    Some(Column::Department),
                    IssueCode::ClassTwoDepartments,
                    d,
                    format!("department: class {class} is under {d0} on row {}", first.0),
                );
                e.other_row = Some(first.0);
                add.push((i, e));
            }
        }
        if let (Some(y0), Some(y)) = (first.2, p.cohort_year) {
            if y0 != y {
                let mut e = issue(
                    p.row,
                    Some(Column::Cohort),
                    IssueCode::ClassTwoCohorts,
                    &y.to_string(),
                    format!("cohort: class {class} has cohort {y0} on row {}", first.0),
                );
                e.other_row = Some(first.0);
                add.push((i, e));
            }
        }
    }
    for (i, e) in add {
        parsed[i].errors.push(e);
    }
    for p in parsed.iter_mut() {
        p.errors.order_by_key(|e| e.column);
    }
}

/// A room by its names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomKey {
    pub building: String,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassWrite {
    /// `None`: a new class.
    pub id: Option<ClassId>,
    pub name: String,
    pub department: String,
    pub cohort_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentWrite {
    /// `None`: a new student.
    pub id: Option<StudentId>,
    pub student_no: String,
    pub name: String,
    pub gender: Gender,
    pub class: String,
    pub phone: Option<String>,
    pub archive: Option<StudentArchive>,
}

/// Which bed a student takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BedTarget {
    Stored(BedId),
    New { room: RoomKey, label: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedWrite {
    pub bed: BedTarget,
    pub student_no: String,
}

/// Exactly the rows an import inserts or updates; everything else is left alone, so writing
/// an empty `RosterWrites` changes nothing and takes no change number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterWrites {
    pub new_departments: Vec<String>,
    pub classes: Vec<ClassWrite>,
    pub new_buildings: Vec<String>,
    pub new_rooms: Vec<RoomKey>,
    pub students: Vec<StudentWrite>,
    /// Beds whose occupant leaves or changes: emptied first, so no student holds two beds.
    pub vacate: Vec<BedId>,
    pub beds: Vec<BedWrite>,
}

impl RosterWrites {
    pub fn is_empty(&self) -> bool {
        *self == RosterWrites::default()
    }
}

/// What importing a file into a roster would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub report: ImportReport,
    pub writes: RosterWrites,
}

/// The roster, indexed by the natural keys an import matches on.
struct Index<'a> {
    departments: HashMap<&'a str, DepartmentId>,
    department_names: HashMap<DepartmentId, &'a str>,
    classes: HashMap<&'a str, &'a crate::roster::Class>,
    class_names: HashMap<ClassId, &'a str>,
    students: HashMap<&'a str, &'a crate::roster::Student>,
    student_nos: HashMap<StudentId, &'a str>,
    buildings: HashMap<&'a str, BuildingId>,
    rooms: HashMap<(BuildingId, &'a str), RoomId>,
    beds: HashMap<(RoomId, &'a str), &'a crate::roster::Bed>,
    bed_of: HashMap<StudentId, &'a crate::roster::Bed>,
}

impl<'a> Index<'a> {
    fn new(r: &'a RosterSnapshot) -> Self {
        Index {
            departments: r.departments.iter().map(|d| (d.name.as_str(), d.id)).collect(),
            department_names: r.departments.iter().map(|d| (d.id, d.name.as_str())).collect(),
            classes: r.classes.iter().map(|c| (c.name.as_str(), c)).collect(),
            class_names: r.classes.iter().map(|c| (c.id, c.name.as_str())).collect(),
            students: r.students.iter().map(|s| (s.student_no.as_str(), s)).collect(),
            student_nos: r.students.iter().map(|s| (s.id, s.student_no.as_str())).collect(),
            buildings: r.buildings.iter().map(|b| (b.name.as_str(), b.id)).collect(),
            rooms: r.rooms.iter().map(|room| ((room.building_id, room.number.as_str()), room.id)).collect(),
            beds: r.beds.iter().map(|b| ((b.room_id, b.label.as_str()), b)).collect(),
            bed_of: r.beds.iter().filter_map(|b| b.student_id.map(|s| (s, b))).collect(),
        }
    }

    fn bed(&self, place: &BedPlace) -> Option<&'a crate::roster::Bed> {
        let building = self.buildings.get(place.building.as_str())?;
        let room = self.rooms.get(&(*building, place.room.as_str()))?;
        self.beds.get(&(*room, place.bed.as_str())).copied()
    }

    fn student_id(&self, no: &str) -> Option<StudentId> {
        self.students.get(no).map(|s| s.id)
    }
}

/// Decides what importing `file` into `roster` does: which rows are bad (the file's own
/// problems, and beds held by students the file does not move away), and which roster rows
/// are created, updated or unchanged by the good ones.
pub fn plan(file: &StudentsFile, roster: &RosterSnapshot, mode: ImportMode) -> ImportPlan {
    let idx = Index::new(roster);
    let mut errors = file.errors.clone();
    let mut bad: BTreeSet<u32> = file.errors.iter().filter(|e| !e.code.is_file_level()).map(|e| e.row).collect();
    let file_level = file.errors.iter().any(|e| e.code.is_file_level());
    let mut good: Vec<&StudentRow> = if file_level { Vec::new() } else { file.good.iter().collect() };

    // A bed may go to a row's student only if its occupant is that student, nobody, or
    // someone this file moves to another bed. Refusing one row can keep its student in a bed
    // another row wanted, so repeat until nothing new is refused.
    loop {
        let moving: HashMap<&str, &BedPlace> = good.iter().filter_map(|r| r.bed.as_ref().map(|b| (r.student_no.as_str(), b))).collect();
        let mut refused = Vec::new();
        for r in &good {
            let Some(place) = &r.bed else { continue };
            let Some(bed) = idx.bed(place) else { continue };
            let Some(occupant) = bed.student_id else {
                continue;
            };
            if idx.student_id(&r.student_no) == Some(occupant) {
                continue;
            }
            let occupant_no = idx.student_nos.get(&occupant).copied().unwrap_or("");
            if moving.get(occupant_no).is_some_and(|b| *b != place) {
                continue;
            }
            let mut e = issue(
                r.row,
                Some(Column::Bed),
                IssueCode::BedTaken,
                occupant_no,
                format!("bed: {} {} bed {} is taken by {occupant_no}, whom this file does not move to another bed", place.building, place.room, place.bed),
            );
            e.other_row = file.good.iter().find(|o| o.student_no == occupant_no).map(|o| o.row);
            refused.push(e);
        }
        if refused.is_empty() {
            break;
        }
        for e in refused {
            bad.insert(e.row);
            errors.push(e);
        }
        good.retain(|r| !bad.contains(&r.row));
    }
    errors.order_by_key(|e| e.row);

    let mut counts = ImportCounts::default();
    let mut writes = RosterWrites::default();

    let mut departments: BTreeSet<&str> = BTreeSet::new();
    let mut classes: Vec<&StudentRow> = Vec::new();
    let mut class_seen: BTreeSet<&str> = BTreeSet::new();
    let mut buildings: BTreeSet<&str> = BTreeSet::new();
    let mut rooms: BTreeSet<(&str, &str)> = BTreeSet::new();
    for r in &good {
        departments.insert(&r.department);
        if class_seen.insert(&r.class) {
            classes.push(r);
        }
        if let Some(b) = &r.bed {
            buildings.insert(&b.building);
            rooms.insert((&b.building, &b.room));
        }
    }
    for name in departments {
        if idx.departments.contains_key(name) {
            counts.departments.unchanged += 1;
        } else {
            counts.departments.created += 1;
            writes.new_departments.push(name.to_string());
        }
    }
    for r in classes {
        let write = ClassWrite { id: None, name: r.class.clone(), department: r.department.clone(), cohort_year: r.cohort_year };
        match idx.classes.get(r.class.as_str()) {
            None => {
                counts.classes.created += 1;
                writes.classes.push(write);
            }
            Some(c) => {
                let same_department = idx.department_names.get(&c.department_id).is_some_and(|d| *d == r.department);
                if same_department && c.cohort_year == r.cohort_year {
                    counts.classes.unchanged += 1;
                } else {
                    counts.classes.updated += 1;
                    writes.classes.push(ClassWrite { id: Some(c.id), ..write });
                }
            }
        }
    }
    for name in buildings {
        if idx.buildings.contains_key(name) {
            counts.buildings.unchanged += 1;
        } else {
            counts.buildings.created += 1;
            writes.new_buildings.push(name.to_string());
        }
    }
    for (building, number) in rooms {
        let exists = idx.buildings.get(building).is_some_and(|b| idx.rooms.contains_key(&(*b, number)));
        if exists {
            counts.rooms.unchanged += 1;
        } else {
            counts.rooms.created += 1;
            writes.new_rooms.push(RoomKey { building: building.to_string(), number: number.to_string() });
        }
    }

    for r in &good {
        let stored = idx.students.get(r.student_no.as_str());
        let write = StudentWrite {
            id: stored.map(|s| s.id),
            student_no: r.student_no.clone(),
            name: r.name.clone(),
            gender: r.gender,
            class: r.class.clone(),
            phone: r.phone.clone().or_else(|| stored.and_then(|s| s.phone.clone())),
            archive: r.archive.applied_to(stored.and_then(|s| s.archive.as_ref())),
        };
        match stored {
            None => {
                counts.students.created += 1;
                writes.students.push(write);
            }
            Some(s) => {
                let same = s.name == write.name
                    && s.gender == write.gender
                    && idx.class_names.get(&s.class_id).is_some_and(|c| *c == write.class)
                    && s.phone == write.phone
                    && s.archive == write.archive;
                if same {
                    counts.students.unchanged += 1;
                } else {
                    counts.students.updated += 1;
                    writes.students.push(write);
                }
            }
        }
    }

    // Beds: first every moving student leaves their stored bed, then takes the new one; a
    // stored bed whose final occupant differs is updated (emptied first), a new bed created.
    let mut finals: BTreeMap<BedId, Option<&str>> = BTreeMap::new();
    let mut targets: Vec<(&StudentRow, &BedPlace, Option<&crate::roster::Bed>)> = Vec::new();
    for r in &good {
        let Some(place) = &r.bed else { continue };
        let target = idx.bed(place);
        let current = idx.student_id(&r.student_no).and_then(|id| idx.bed_of.get(&id).copied());
        match (current, target) {
            (Some(c), Some(t)) if c.id == t.id => counts.beds.unchanged += 1,
            _ => {
                if let Some(c) = current {
                    finals.entry(c.id).or_insert(None);
                }
                targets.push((r, place, target));
            }
        }
    }
    for (r, place, target) in targets {
        match target {
            Some(t) => {
                finals.insert(t.id, Some(r.student_no.as_str()));
            }
            None => {
                counts.beds.created += 1;
                writes.beds.push(BedWrite {
                    bed: BedTarget::New { room: RoomKey { building: place.building.clone(), number: place.room.clone() }, label: place.bed.clone() },
                    student_no: r.student_no.clone(),
                });
            }
        }
    }
    let stored_beds: HashMap<BedId, &crate::roster::Bed> = roster.beds.iter().map(|b| (b.id, b)).collect();
    for (id, occupant) in finals {
        let Some(bed) = stored_beds.get(&id) else {
            continue;
        };
        let current = bed.student_id.and_then(|s| idx.student_nos.get(&s).copied());
        if current == occupant {
            counts.beds.unchanged += 1;
            continue;
        }
        counts.beds.updated += 1;
        if current.is_some() {
            writes.vacate.push(id);
        }
        if let Some(no) = occupant {
            writes.beds.push(BedWrite { bed: BedTarget::Stored(id), student_no: no.to_string() });
        }
    }

    let report = ImportReport { mode, rows: file.rows_read, bad_rows: bad.len(), errors, warnings: file.warnings.clone(), counts, applied: false };
    ImportPlan { report, writes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::tests::sample;

    const HEADER: &[&str] = &["学号", "姓名", "性别", "院系", "班级", "年级", "手机", "楼栋", "寝室", "床位"];

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        std::iter::once(HEADER).chain(rows.iter().copied()).map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date")
    }

    fn read(table: &[Vec<String>]) -> StudentsFile {
        read_students(table, today())
    }

    /// One validator: a student the office's form accepts re-imports, and a student number or
    /// cohort the form refuses the import refuses too (they used to disagree: names up to 100
    /// or 50 characters, cohorts from 1990 or 1950, any student number without spaces or only
    /// letters, digits, - and _).
    #[test]
    fn the_office_form_and_the_import_accept_the_same_students() {
        use crate::admin::{AdminInput, ClassInput, StudentInput};
        let long_name = "欧阳".repeat(50);
        for (no, name, cohort) in [("2023010101", "张三", "2023"), ("A-1_b", long_name.as_str(), "1990"), ("2027-new", "李四", "2027")] {
            let form = StudentInput { student_no: no.into(), name: name.into(), class_id: ClassId(1), ..Default::default() };
            let class = ClassInput { department_id: DepartmentId(1), name: "计科2023-1".into(), cohort_year: cohort.parse().expect("a year") };
            assert!(form.validate(today()).is_empty() && class.validate(today()).is_empty(), "{no} {cohort}");
            let file = read(&table(&[&[no, name, "男", "计算机学院", "计科2023-1", cohort, "", "", "", ""]]));
            assert_eq!(codes(&file), vec![], "{no} {name} {cohort}");
        }
        for (no, cohort) in [("2023/01", "2023"), ("2023010101", "1989"), ("2023010101", "2028")] {
            let form = StudentInput { student_no: no.into(), name: "王五".into(), class_id: ClassId(1), ..Default::default() };
            let class = ClassInput { department_id: DepartmentId(1), name: "计科".into(), cohort_year: cohort.parse().expect("a year") };
            let office_refuses = !form.validate(today()).is_empty() || !class.validate(today()).is_empty();
            let file = read(&table(&[&[no, "王五", "男", "计算机学院", "计科", cohort, "", "", "", ""]]));
            assert!(office_refuses && !file.errors.is_empty(), "{no} {cohort}: both must refuse");
        }
    }

    fn codes(file: &StudentsFile) -> Vec<(u32, Option<Column>, IssueCode)> {
        file.errors.iter().map(|e| (e.row, e.column, e.code)).collect()
    }

    #[test]
    fn headers_match_in_chinese_english_and_any_order() {
        assert_eq!(Column::from_header("学号"), Some(Column::StudentNo));
        assert_eq!(Column::from_header(" Student_No "), Some(Column::StudentNo));
        assert_eq!(Column::from_header("student no"), Some(Column::StudentNo));
        assert_eq!(Column::from_header("\u{feff}学号"), Some(Column::StudentNo));
        assert_eq!(Column::from_header("学院"), Some(Column::Department));
        assert_eq!(Column::from_header("GUARDIAN_PHONE"), Some(Column::GuardianPhone));
        assert_eq!(Column::from_header("备注"), None);
        for &c in Column::ALL {
            assert_eq!(Column::from_header(c.zh()), Some(c));
            assert_eq!(Column::from_header(c.en()), Some(c));
        }

        let t: Vec<Vec<String>> = vec![
            vec!["class".into(), "name".into(), "cohort".into(), "gender".into(), "department".into(), "student_no".into()],
            vec!["一班".into(), "李四".into(), "2024".into(), "female".into(), "学院".into(), "2024001".into()],
        ];
        let file = read(&t);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.good[0].student_no, "2024001");
        assert_eq!(file.good[0].class, "一班");
        assert_eq!(file.good[0].gender, Gender::Female);
        assert_eq!(file.good[0].row, 2);
    }

    #[test]
    fn missing_duplicate_and_unknown_columns_are_reported() {
        let t: Vec<Vec<String>> =
            vec![vec!["学号".into(), "姓名".into(), "Name".into(), "备注".into(), "".into()], vec!["1".into(), "a".into(), "b".into(), "c".into(), "d".into()]];
        let file = read(&t);
        let c = codes(&file);
        assert!(c.contains(&(1, Some(Column::Name), IssueCode::DuplicateColumn)), "{c:?}");
        for col in [Column::Gender, Column::Department, Column::Class, Column::Cohort] {
            assert!(c.contains(&(1, Some(col), IssueCode::MissingColumn)), "{col:?} in {c:?}");
        }
        let warnings: Vec<_> = file.warnings.iter().map(|w| (w.code, w.value.as_str())).collect();
        assert_eq!(warnings, vec![(IssueCode::UnknownColumn, "备注"), (IssueCode::UnnamedColumn, "E")]);
        assert!(file.good.is_empty());
    }

    #[test]
    fn an_empty_file_and_a_header_alone_are_file_errors() {
        assert_eq!(codes(&read(&[])), vec![(1, None, IssueCode::EmptyFile)]);
        assert_eq!(codes(&read(&[vec!["".into()]])), vec![(1, None, IssueCode::EmptyFile)]);
        assert_eq!(codes(&read(&table(&[]))), vec![(1, None, IssueCode::NoRows)]);
    }

    #[test]
    fn a_good_row_reads_every_field() {
        let mut t = table(&[]);
        t[0].extend(["监护人", "监护人电话", "家庭住址", "城乡", "家庭经济", "家庭情况", "病史", "特别关注"].map(String::from));
        t.push(
            [
                "2023010101",
                "王芳",
                "女",
                "计算机学院",
                "计科2023-1",
                "2023级",
                "138 0013 8000",
                "1号楼",
                "1-101",
                "1",
                "王建国",
                "13900139000",
                "四川",
                "农村",
                "困难",
                "单亲",
                "",
                "单亲、学业预警;单亲",
            ]
            .map(String::from)
            .to_vec(),
        );
        let file = read(&t);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let r = &file.good[0];
        assert_eq!(r.cohort_year, 2023);
        assert_eq!(r.phone.as_deref(), Some("138 0013 8000"));
        assert_eq!(r.bed, Some(BedPlace { building: "1号楼".into(), room: "1-101".into(), bed: "1".into() }));
        assert_eq!(r.archive.origin, Some(Origin::Rural));
        assert_eq!(r.archive.economy, Some(Economy::Difficult));
        assert_eq!(r.archive.flags, Some(vec![AttentionFlag::SingleParent, AttentionFlag::AcademicWarning]));
        assert_eq!(r.archive.medical_notes, None, "an empty cell keeps what is stored");
    }

    #[test]
    fn bad_cells_name_row_column_and_reason() {
        let file = read(&table(&[
            &["2023010101", "", "男", "学院", "一班", "2023", "", "", "", ""],
            &["2023010102", "乙", "x", "学院", "一班", "23", "12ab", "", "", ""],
            &["20230101 03", "丙", "女", "学院", "一班", "2023", "", "1号楼", "", ""],
            &["2023010104", "丁", "女", "学院", "一班", "2023", "", "1号楼", "1-101", "1"],
        ]));
        assert_eq!(
            codes(&file),
            vec![
                (2, Some(Column::Name), IssueCode::Required),
                (3, Some(Column::Gender), IssueCode::BadGender),
                (3, Some(Column::Cohort), IssueCode::BadYear),
                (3, Some(Column::Phone), IssueCode::BadPhone),
                (4, Some(Column::StudentNo), IssueCode::BadStudentNo),
                (4, Some(Column::Room), IssueCode::IncompleteBed),
            ]
        );
        assert_eq!(file.rows_read, 4);
        assert_eq!(file.good.len(), 1);
        assert_eq!(file.good[0].row, 5);
        let gender = &file.errors[1];
        assert_eq!(gender.value, "x");
        assert!(gender.message.contains("男"), "{}", gender.message);
        let bed = &file.errors[5];
        assert!(bed.message.contains("room and bed missing"), "{}", bed.message);
    }

    #[test]
    fn duplicates_and_contradictions_across_rows_are_reported() {
        let file = read(&table(&[
            &["1", "甲", "男", "学院", "一班", "2023", "", "1号楼", "1-101", "1"],
            &["1", "乙", "男", "学院", "一班", "2023", "", "", "", ""],
            &["3", "丙", "男", "学院", "一班", "2023", "", "1号楼", "1-101", "1"],
            &["4", "丁", "男", "外院", "一班", "2023", "", "", "", ""],
            &["5", "戊", "男", "学院", "一班", "2024", "", "", "", ""],
            &["6", "己", "男", "学院", "二班", "2024", "", "", "", ""],
        ]));
        let mut found: Vec<_> = file.errors.iter().map(|e| (e.row, e.code, e.other_row)).collect();
        found.order_by_key(|f| (f.0, format!("{:?}", f.1)));
        assert_eq!(
            found,
            vec![
                (2, IssueCode::DuplicateBed, Some(4)),
                (2, IssueCode::DuplicateStudent, Some(3)),
                (3, IssueCode::DuplicateStudent, Some(2)),
                (4, IssueCode::DuplicateBed, Some(2)),
                (5, IssueCode::ClassTwoDepartments, Some(2)),
                (6, IssueCode::ClassTwoCohorts, Some(2)),
            ]
        );
        assert_eq!(file.good.iter().map(|r| r.row).collect::<Vec<_>>(), vec![7]);
    }

    fn one(row: &[&str]) -> StudentsFile {
        let file = read(&table(&[row]));
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        file
    }

    /// The sample roster: class 计科2023-1 of 计算机学院; students 20230101..5; room 1-101 of
    /// 1号楼 with students 1..4 in beds 1..4, room 1-102 with student 5 in bed 1, bed 2 empty.
    #[test]
    fn re_importing_the_roster_as_it_is_changes_nothing() {
        let roster = sample();
        let rows: Vec<Vec<String>> = std::iter::once(HEADER.iter().map(|s| s.to_string()).collect())
            .chain(roster.students.iter().map(|s| {
                let bed = roster.beds.iter().find(|b| b.student_id == Some(s.id)).unwrap();
                let room = roster.room(bed.room_id).unwrap();
                [&s.student_no, &s.name, "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", &room.number, &bed.label].map(String::from).to_vec()
            }))
            .collect();
        let plan = plan(&read(&rows), &roster, ImportMode::Apply);
        assert!(plan.report.errors.is_empty(), "{:?}", plan.report.errors);
        assert!(plan.writes.is_empty(), "{:?}", plan.writes);
        assert_eq!(plan.report.counts.changed(), 0);
        assert_eq!(plan.report.counts.students.unchanged, 5);
        assert_eq!(plan.report.counts.beds.unchanged, 5);
        assert_eq!(plan.report.counts.rooms.unchanged, 2);
        assert_eq!(plan.report.counts.classes.unchanged, 1);
    }

    #[test]
    fn new_units_are_created_and_changed_students_updated() {
        let roster = sample();
        let file = read(&table(&[
            &["20230101", "学生1改", "女", "计算机学院", "计科2023-1", "2023", "13800138000", "", "", ""],
            &["20249999", "新生", "男", "外国语学院", "英语2024-1", "2024", "", "3号楼", "3-101", "1"],
        ]));
        let p = plan(&file, &roster, ImportMode::Check);
        let c = p.report.counts;
        assert_eq!((c.students.created, c.students.updated), (1, 1));
        assert_eq!((c.departments.created, c.departments.unchanged), (1, 1));
        assert_eq!((c.classes.created, c.classes.unchanged), (1, 1));
        assert_eq!((c.buildings.created, c.rooms.created, c.beds.created), (1, 1, 1));
        assert_eq!(p.writes.new_departments, vec!["外国语学院".to_string()]);
        let updated = p.writes.students.iter().find(|s| s.id == Some(StudentId(1))).unwrap();
        assert_eq!(updated.name, "学生1改");
        assert_eq!(updated.phone.as_deref(), Some("13800138000"));
        assert!(p.writes.vacate.is_empty(), "student 1 keeps the bed: the bed cells are empty");
    }

    #[test]
    fn moving_a_student_frees_the_old_bed() {
        let roster = sample();
        let p = plan(&one(&["20230101", "学生1", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-102", "2"]), &roster, ImportMode::Check);
        assert!(p.report.errors.is_empty(), "{:?}", p.report.errors);
        assert_eq!(p.writes.vacate, vec![BedId(1)]);
        assert_eq!(p.writes.beds, vec![BedWrite { bed: BedTarget::Stored(BedId(6)), student_no: "20230101".into() }]);
        assert_eq!(p.report.counts.beds.updated, 2);
    }

    #[test]
    fn a_bed_held_by_someone_who_stays_is_refused_and_a_swap_is_not() {
        let roster = sample();
        let taken = plan(&one(&["20230101", "学生1", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-102", "1"]), &roster, ImportMode::Check);
        assert_eq!(taken.report.errors.len(), 1);
        let e = &taken.report.errors[0];
        assert_eq!((e.row, e.column, e.code, e.value.as_str()), (2, Some(Column::Bed), IssueCode::BedTaken, "20230105"));
        assert!(taken.writes.is_empty());

        let swap = read(&table(&[
            &["20230101", "学生1", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-102", "1"],
            &["20230105", "学生5", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-101", "1"],
        ]));
        let p = plan(&swap, &roster, ImportMode::Check);
        assert!(p.report.errors.is_empty(), "{:?}", p.report.errors);
        assert_eq!(p.writes.vacate.len(), 2);
        assert_eq!(p.writes.beds.len(), 2);
        assert_eq!(p.report.counts.beds.updated, 2);
    }

    #[test]
    fn refusing_a_row_can_refuse_the_row_that_wanted_its_bed() {
        let roster = sample();
        // Row 2 wants student 5's bed, but student 5's own move (row 3) is refused because
        // student 2 stays in the bed it wants: so row 2 is refused too.
        let file = read(&table(&[
            &["20230101", "学生1", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-102", "1"],
            &["20230105", "学生5", "女", "计算机学院", "计科2023-1", "2023", "", "1号楼", "1-101", "2"],
        ]));
        let p = plan(&file, &roster, ImportMode::Check);
        let rows: Vec<_> = p.report.errors.iter().map(|e| (e.row, e.code)).collect();
        assert_eq!(rows, vec![(2, IssueCode::BedTaken), (3, IssueCode::BedTaken)]);
        assert_eq!(p.report.bad_rows, 2);
        assert!(p.writes.is_empty());
    }

    #[test]
    fn archive_fields_overwrite_only_when_given() {
        let stored = StudentArchive { guardian_name: "旧".into(), medical_notes: "哮喘".into(), ..Default::default() };
        let patch = ArchivePatch { guardian_name: Some("新".into()), flags: Some(vec![AttentionFlag::Health]), ..Default::default() };
        let merged = patch.applied_to(Some(&stored)).unwrap();
        assert_eq!(merged.guardian_name, "新");
        assert_eq!(merged.medical_notes, "哮喘");
        assert_eq!(merged.flags, vec![AttentionFlag::Health]);
        assert_eq!(ArchivePatch::default().applied_to(None), None);
        assert_eq!(ArchivePatch::default().applied_to(Some(&stored)), Some(stored));
    }

    /// A roster file carries no standing column: an import keeps the office's decisions as
    /// stored, so it has no standing change to record in their history.
    #[test]
    fn an_import_never_changes_a_students_standing() {
        let stored = StudentArchive {
            warning_level: Some(2),
            warning_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 8),
            assistance_level: Some(1),
            ..Default::default()
        };
        let patch = ArchivePatch {
            guardian_name: Some("新".into()),
            guardian_phone: Some("13800138000".into()),
            home_address: Some("成都".into()),
            origin: Some(Origin::Urban),
            economy: Some(Economy::Normal),
            family_notes: Some("无".into()),
            medical_notes: Some("无".into()),
            flags: Some(vec![]),
        };
        let merged = patch.applied_to(Some(&stored)).unwrap();
        assert!(merged.standing_changes(Some(&stored)).is_empty());
        assert!(patch.applied_to(None).unwrap().standing_changes(None).is_empty());
    }

    #[test]
    fn file_errors_block_every_mode_but_check_and_row_errors_only_apply() {
        let bad_header = read(&[vec!["学号".into()], vec!["1".into()]]);
        let p = plan(&bad_header, &sample(), ImportMode::ApplySkippingBad);
        assert!(p.report.has_file_errors());
        assert!(!p.report.allows(ImportMode::ApplySkippingBad));
        assert!(p.report.allows(ImportMode::Check));

        let file = read(&table(&[&["1", "", "男", "学院", "一班", "2023", "", "", "", ""], &["2", "乙", "男", "学院", "一班", "2023", "", "", "", ""]]));
        let p = plan(&file, &sample(), ImportMode::Apply);
        assert!(!p.report.allows(ImportMode::Apply));
        assert!(p.report.allows(ImportMode::ApplySkippingBad));
        assert_eq!((p.report.rows, p.report.bad_rows), (2, 1));
        assert_eq!(p.report.counts.students.created, 1);
    }

    #[test]
    fn values_parse_in_both_languages() {
        assert_eq!(parse_gender("Female"), Some(Gender::Female));
        assert_eq!(parse_gender("男性"), Some(Gender::Male));
        assert_eq!(parse_cohort("2024级", today()), Some(2024));
        assert_eq!(parse_cohort("1800", today()), None);
        assert_eq!(parse_origin("Urban"), Some(Origin::Urban));
        assert_eq!(parse_economy("特别困难"), Some(Economy::Hardship));
        assert_eq!(parse_flag("economic hardship"), Some(AttentionFlag::EconomicHardship));
        assert_eq!(parse_flag("孤儿"), Some(AttentionFlag::Orphan));
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn the_template_example_row_is_a_good_row() {
        let t = vec![Column::ALL.iter().map(|c| c.zh().to_string()).collect(), Column::ALL.iter().map(|c| c.example().to_string()).collect()];
        let file = read(&t);
        assert!(file.errors.is_empty() && file.warnings.is_empty(), "{:?} {:?}", file.errors, file.warnings);
    }
}

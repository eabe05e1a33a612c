//! The roster: who studies where and sleeps where, and who looks after them.

use crate::ids::*;
use crate::sorting::Order;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 辅导员
    Counselor,
    /// 班主任
    HeadTeacher,
    /// 领导干部、联系教师
    Leader,
    /// 学生工作部 / 学生处
    Office,
    /// 系统管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Counselor, Role::HeadTeacher, Role::Leader, Role::Office, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Counselor => "counselor",
            Role::HeadTeacher => "head_teacher",
            Role::Leader => "leader",
            Role::Office => "office",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The office and administrators see every ledger; everyone else sees what they are
    /// assigned to.
    pub fn sees_everything(self) -> bool {
        matches!(self, Role::Office | Role::Admin)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "male" | "男" | "M" | "m" => Some(Gender::Male),
            "female" | "女" | "F" | "f" => Some(Gender::Female),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Class {
    pub id: ClassId,
    pub department_id: DepartmentId,
    pub name: String,
    /// The year the cohort entered (年级).
    pub cohort_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Student {
    pub id: StudentId,
    /// 学号
    pub student_no: String,
    pub name: String,
    pub gender: Gender,
    pub class_id: ClassId,
    pub phone: Option<String>,
    /// Confidential: present only for staff assigned to the student's class, and the office.
    #[serde(default)]
    pub archive: Option<crate::archive::StudentArchive>,
    /// The pinyin initials of the name (`张三` → `zs`), made by the server: the phone carries no
    /// pinyin table, yet counselors search by initials.
    #[serde(default)]
    pub initials: String,
}

impl Student {
    /// Whether a search box entry finds this student: part of the name or the student number,
    /// or the start of the name's pinyin initials (any case).
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim();
        if q.is_empty() {
            return true;
        }
        if self.name.contains(q) || self.student_no.contains(q) {
            return true;
        }
        q.is_ascii() && !self.initials.is_empty() && self.initials.starts_with(&q.to_ascii_lowercase())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Building {
    pub id: BuildingId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Room {
    pub id: RoomId,
    pub building_id: BuildingId,
    /// The number on the door, e.g. `3-214`.
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bed {
    pub id: BedId,
    pub room_id: RoomId,
    /// The bed's label in its room, e.g. `1`.
    pub label: String,
    pub student_id: Option<StudentId>,
}

/// The signed-in staff member, as the client needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserProfile {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// The part of the roster one user may see: for a counselor the classes assigned to them, their
/// students, and the rooms those students sleep in; for the office everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterSnapshot {
    pub departments: Vec<Department>,
    pub classes: Vec<Class>,
    pub students: Vec<Student>,
    pub buildings: Vec<Building>,
    pub rooms: Vec<Room>,
    pub beds: Vec<Bed>,
    /// Clubs in scope: all for the office, the linked ones for a leader.
    #[serde(default)]
    pub clubs: Vec<crate::groups::Club>,
    /// Party branches in scope, as clubs.
    #[serde(default)]
    pub branches: Vec<crate::groups::PartyBranch>,
    /// The signed-in user's own links (a leader's class, room, club, branch).
    #[serde(default)]
    pub links: Vec<crate::groups::LeaderLink>,
    /// The classes the signed-in counselor or head teacher is assigned to. `classes` holds more:
    /// the classes of roommates from other classes, named on a dorm check but not theirs.
    #[serde(default)]
    pub assigned_classes: Vec<ClassId>,
    /// Whether the signed-in user is of the leadership tier (学校领导班子成员、二级党组织班子成员,
    /// 002 三(一), 四(二)), who owe duties of their own.
    #[serde(default)]
    pub leadership: bool,
    /// The department of the signed-in office account, when it is a department's office
    /// (院系学工办): its duties are about that department's classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_department: Option<DepartmentId>,
    /// The names of the school's active staff, so the phone names who took a step on an
    /// issue or visits with a plan, offline too (names only: nothing about them is confidential).
    #[serde(default)]
    pub staff: Vec<StaffName>,
}

/// A staff member's display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffName {
    pub id: UserId,
    pub display_name: String,
}

impl RosterSnapshot {
    /// A staff member's name, as of the roster's last pull.
    pub fn staff_name(&self, id: UserId) -> Option<&str> {
        self.staff.iter().find(|s| s.id == id).map(|s| s.display_name.as_str())
    }

    pub fn room(&self, id: RoomId) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    pub fn student(&self, id: StudentId) -> Option<&Student> {
        self.students.iter().find(|s| s.id == id)
    }

    pub fn building(&self, id: BuildingId) -> Option<&Building> {
        self.buildings.iter().find(|b| b.id == id)
    }

    pub fn class(&self, id: ClassId) -> Option<&Class> {
        self.classes.iter().find(|c| c.id == id)
    }

    /// The residents of a room, in bed order, with their bed label.
    pub fn residents(&self, room: RoomId) -> Vec<(&Bed, &Student)> {
        let mut beds: Vec<&Bed> = self.beds.iter().filter(|b| b.room_id == room).collect();
        beds.order_by_key(|a| natural_key(&a.label));
        beds.into_iter().filter_map(|bed| bed.student_id.and_then(|sid| self.student(sid)).map(|s| (bed, s))).collect()
    }

    pub fn resident_ids(&self, room: RoomId) -> BTreeSet<StudentId> {
        self.beds.iter().filter(|b| b.room_id == room).filter_map(|b| b.student_id).collect()
    }

    /// Rooms grouped by building, buildings and rooms in a human order (`2-105` before `10-101`).
    pub fn rooms_by_building(&self) -> Vec<(&Building, Vec<&Room>)> {
        type Key = (Vec<NaturalPart>, BuildingId);
        let mut groups: BTreeMap<Key, (&Building, Vec<&Room>)> = BTreeMap::new();
        for room in &self.rooms {
            if let Some(building) = self.building(room.building_id) {
                groups.entry((natural_key(&building.name), building.id)).or_insert_with(|| (building, Vec::new())).1.push(room);
            }
        }
        groups
            .into_values()
            .map(|(b, mut rooms)| {
                rooms.order_by_key(|r| natural_key(&r.number));
                (b, rooms)
            })
            .collect()
    }

    /// The rooms where at least one student of the given classes sleeps.
    pub fn rooms_of_classes(&self, classes: &BTreeSet<ClassId>) -> BTreeSet<RoomId> {
        let students: BTreeSet<StudentId> = self.students.iter().filter(|s| classes.contains(&s.class_id)).map(|s| s.id).collect();
        self.beds.iter().filter(|b| b.student_id.is_some_and(|s| students.contains(&s))).map(|b| b.room_id).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NaturalPart {
    Number(u64),
    Text(String),
}

/// Splits `3-214` into `[3, "-", 214]` so that numbers compare as numbers.
pub fn natural_key(s: &str) -> Vec<NaturalPart> {
    let mut parts = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push(NaturalPart::Text(std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                parts.push(NaturalPart::Number(digits.parse().unwrap_or(u64::MAX)));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        parts.push(NaturalPart::Number(digits.parse().unwrap_or(u64::MAX)));
    }
    if !text.is_empty() {
        parts.push(NaturalPart::Text(text));
    }
    parts
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small roster used by the tests of this crate: one class, one building, room 1-101 with
    /// students 1..=4 in beds 1..=4, room 1-102 with student 5.
    pub fn sample() -> RosterSnapshot {
        let students = (1..=5)
            .map(|i| Student {
                id: StudentId(i),
                student_no: format!("2023010{i}"),
                name: format!("学生{i}"),
                gender: Gender::Female,
                class_id: ClassId(1),
                phone: None,
                archive: None,
                initials: "xs".into(),
            })
            .collect();
        let mut beds: Vec<Bed> = (1..=4).map(|i| Bed { id: BedId(i), room_id: RoomId(1), label: i.to_string(), student_id: Some(StudentId(i)) }).collect();
        beds.push(Bed { id: BedId(5), room_id: RoomId(2), label: "1".into(), student_id: Some(StudentId(5)) });
        beds.push(Bed { id: BedId(6), room_id: RoomId(2), label: "2".into(), student_id: None });
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "计算机学院".into() }],
            classes: vec![Class { id: ClassId(1), department_id: DepartmentId(1), name: "计科2023-1".into(), cohort_year: 2023 }],
            students,
            buildings: vec![Building { id: BuildingId(1), name: "1号楼".into() }],
            rooms: vec![
                Room { id: RoomId(2), building_id: BuildingId(1), number: "1-102".into() },
                Room { id: RoomId(1), building_id: BuildingId(1), number: "1-101".into() },
            ],
            beds,
            clubs: vec![crate::groups::Club { id: ClubId(1), name: "计算机协会".into(), department_id: Some(DepartmentId(1)) }],
            branches: vec![crate::groups::PartyBranch { id: BranchId(1), name: "本科生第一党支部".into(), department_id: None }],
            links: vec![],
            assigned_classes: vec![ClassId(1)],
            leadership: false,
            office_department: None,
            staff: vec![],
        }
    }

    #[test]
    fn students_are_found_by_name_number_or_initials() {
        let mut s = sample().students.remove(0);
        s.name = "张三丰".into();
        s.initials = "zsf".into();
        for hit in ["张", "三丰", "20230101", "0101", "z", "ZS", "zsf", " zs "] {
            assert!(s.matches(hit), "{hit}");
        }
        for miss in ["李", "sf", "zsfx", "99"] {
            assert!(!s.matches(miss), "{miss}");
        }
        assert!(s.matches(""));
    }

    #[test]
    fn residents_come_in_bed_order_and_skip_empty_beds() {
        let roster = sample();
        let names: Vec<_> = roster.residents(RoomId(2)).iter().map(|(_, s)| s.name.clone()).collect();
        assert_eq!(names, vec!["学生5"]);
        let beds: Vec<_> = roster.residents(RoomId(1)).iter().map(|(b, _)| b.label.clone()).collect();
        assert_eq!(beds, vec!["1", "2", "3", "4"]);
    }

    #[test]
    fn rooms_sort_naturally_within_buildings() {
        let mut roster = sample();
        roster.rooms.push(Room { id: RoomId(3), building_id: BuildingId(1), number: "1-1010".into() });
        let groups = roster.rooms_by_building();
        let numbers: Vec<_> = groups[0].1.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, vec!["1-101", "1-102", "1-1010"]);
    }

    #[test]
    fn rooms_of_classes_follow_the_beds() {
        let roster = sample();
        let rooms = roster.rooms_of_classes(&BTreeSet::from([ClassId(1)]));
        assert_eq!(rooms, BTreeSet::from([RoomId(1), RoomId(2)]));
        assert!(roster.rooms_of_classes(&BTreeSet::from([ClassId(9)])).is_empty());
    }

    #[test]
    fn roles_and_genders_round_trip_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert!(Role::Office.sees_everything());
        assert!(!Role::Counselor.sees_everything());
        assert_eq!(Gender::parse("女"), Some(Gender::Female));
        assert_eq!(Gender::parse("x"), None);
    }
}

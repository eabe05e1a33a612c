//! The roster as stored, and the scope of what each user may see and write about.

use super::Store;
use rounds::record::Subject;
use rounds::*;
use sqlx::Row;
use std::collections::BTreeSet;

/// What one user may read and write about.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub user: Option<UserId>,
    /// The office and administrators: everything.
    pub all: bool,
    pub classes: BTreeSet<ClassId>,
    pub rooms: BTreeSet<RoomId>,
    pub students: BTreeSet<StudentId>,
}

impl Scope {
    pub fn covers(&self, subject: Subject) -> bool {
        self.all
            || match subject {
                Subject::Room(r) => self.rooms.contains(&r),
                Subject::Class(c) => self.classes.contains(&c),
                Subject::Student(s) => self.students.contains(&s),
                Subject::Own => true,
            }
    }
}

impl Store {
    /// The whole roster of the institution.
    pub async fn roster(&self) -> anyhow::Result<RosterSnapshot> {
        let pool = &self.pool;
        let departments = sqlx::query("SELECT id, name FROM departments ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok(Department { id: DepartmentId(r.try_get("id")?), name: r.try_get("name")? }))
            .collect::<sqlx::Result<_>>()?;
        let classes = sqlx::query("SELECT id, department_id, name, cohort_year FROM classes ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Class {
                    id: ClassId(r.try_get("id")?),
                    department_id: DepartmentId(r.try_get("department_id")?),
                    name: r.try_get("name")?,
                    cohort_year: r.try_get("cohort_year")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        let students = sqlx::query("SELECT id, student_no, name, gender, class_id, phone, archive FROM students ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let gender: String = r.try_get("gender")?;
                Ok(Student {
                    id: StudentId(r.try_get("id")?),
                    student_no: r.try_get("student_no")?,
                    name: r.try_get("name")?,
                    gender: Gender::parse(&gender).unwrap_or(Gender::Male),
                    class_id: ClassId(r.try_get("class_id")?),
                    phone: r.try_get("phone")?,
                    archive: r.try_get::<Option<String>, _>("archive")?.and_then(|a| serde_json::from_str(&a).ok()),
                })
            })
            .collect::<sqlx::Result<_>>()?;
        let buildings = sqlx::query("SELECT id, name FROM buildings ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok(Building { id: BuildingId(r.try_get("id")?), name: r.try_get("name")? }))
            .collect::<sqlx::Result<_>>()?;
        let rooms = sqlx::query("SELECT id, building_id, number FROM rooms ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Room { id: RoomId(r.try_get("id")?), building_id: BuildingId(r.try_get("building_id")?), number: r.try_get("number")? })
            })
            .collect::<sqlx::Result<_>>()?;
        let beds = sqlx::query("SELECT id, room_id, label, student_id FROM beds ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Bed {
                    id: BedId(r.try_get("id")?),
                    room_id: RoomId(r.try_get("room_id")?),
                    label: r.try_get("label")?,
                    student_id: r.try_get::<Option<i64>, _>("student_id")?.map(StudentId),
                })
            })
            .collect::<sqlx::Result<_>>()?;
        Ok(RosterSnapshot { departments, classes, students, buildings, rooms, beds })
    }

    /// The scope of a user: the office sees all; counselors and head teachers their assigned
    /// classes, those classes' students, and the rooms those students sleep in.
    pub async fn scope(&self, user: &UserProfile, roster: &RosterSnapshot) -> anyhow::Result<Scope> {
        if user.role.sees_everything() {
            return Ok(Scope { user: Some(user.id), all: true, ..Scope::default() });
        }
        let classes: BTreeSet<ClassId> = self.assigned_classes(user.id).await?.into_iter().collect();
        let rooms = roster.rooms_of_classes(&classes);
        let students = roster.students.iter().filter(|s| classes.contains(&s.class_id)).map(|s| s.id).collect();
        Ok(Scope { user: Some(user.id), all: false, classes, rooms, students })
    }

    /// The highest change number of any roster row or assignment.
    pub async fn roster_seq(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(s) FROM (
                SELECT MAX(updated_seq) AS s FROM departments UNION ALL
                SELECT MAX(updated_seq) FROM classes UNION ALL
                SELECT MAX(updated_seq) FROM students UNION ALL
                SELECT MAX(updated_seq) FROM buildings UNION ALL
                SELECT MAX(updated_seq) FROM rooms UNION ALL
                SELECT MAX(updated_seq) FROM beds UNION ALL
                SELECT MAX(updated_seq) FROM class_assignments UNION ALL
                SELECT updated_seq FROM roster_removals)",
        )
        .fetch_one(&self.pool)
        .await
        .map(|v: Option<i64>| v.unwrap_or(0))?)
    }

    pub async fn institution(&self) -> anyhow::Result<(String, String)> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, time_zone FROM institution WHERE id = 1").fetch_optional(&self.pool).await?;
        Ok(row.unwrap_or_else(|| ("Rounds".to_string(), rounds::school_time::DEFAULT_TIME_ZONE.to_string())))
    }
}

/// The part of the roster a scope may see: its classes and students, its rooms with every
/// resident (a dorm check lists the whole room), and the buildings and departments around them.
pub fn scoped_roster(full: &RosterSnapshot, scope: &Scope) -> RosterSnapshot {
    if scope.all {
        return full.clone();
    }
    let beds: Vec<Bed> = full.beds.iter().filter(|b| scope.rooms.contains(&b.room_id)).cloned().collect();
    let residents: BTreeSet<StudentId> = beds.iter().filter_map(|b| b.student_id).collect();
    let students: Vec<Student> = full
        .students
        .iter()
        .filter(|s| scope.students.contains(&s.id) || residents.contains(&s.id))
        .map(|s| {
            let mut s = s.clone();
            // A roommate from another class is named on the dorm check, but their archive stays
            // with the staff of their own class.
            if !scope.students.contains(&s.id) {
                s.archive = None;
            }
            s
        })
        .collect();
    let class_ids: BTreeSet<ClassId> = students.iter().map(|s| s.class_id).chain(scope.classes.iter().copied()).collect();
    let classes: Vec<Class> = full.classes.iter().filter(|c| class_ids.contains(&c.id)).cloned().collect();
    let dept_ids: BTreeSet<DepartmentId> = classes.iter().map(|c| c.department_id).collect();
    let rooms: Vec<Room> = full.rooms.iter().filter(|r| scope.rooms.contains(&r.id)).cloned().collect();
    let building_ids: BTreeSet<BuildingId> = rooms.iter().map(|r| r.building_id).collect();
    RosterSnapshot {
        departments: full.departments.iter().filter(|d| dept_ids.contains(&d.id)).cloned().collect(),
        classes,
        students,
        buildings: full.buildings.iter().filter(|b| building_ids.contains(&b.id)).cloned().collect(),
        rooms,
        beds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(id: i64, class: i64) -> Student {
        Student {
            id: StudentId(id),
            student_no: format!("S{id}"),
            name: format!("学生{id}"),
            gender: Gender::Male,
            class_id: ClassId(class),
            phone: None,
            archive: Some(rounds::StudentArchive { guardian_name: format!("家长{id}"), ..Default::default() }),
        }
    }

    /// Room 1 holds student 1 (class 1) and student 2 (class 2).
    fn roster() -> RosterSnapshot {
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "学院".into() }],
            classes: vec![
                Class { id: ClassId(1), department_id: DepartmentId(1), name: "一班".into(), cohort_year: 2024 },
                Class { id: ClassId(2), department_id: DepartmentId(1), name: "二班".into(), cohort_year: 2024 },
            ],
            students: vec![student(1, 1), student(2, 2), student(3, 2)],
            buildings: vec![Building { id: BuildingId(1), name: "1号楼".into() }],
            rooms: vec![Room { id: RoomId(1), building_id: BuildingId(1), number: "1-101".into() }],
            beds: vec![
                Bed { id: BedId(1), room_id: RoomId(1), label: "1".into(), student_id: Some(StudentId(1)) },
                Bed { id: BedId(2), room_id: RoomId(1), label: "2".into(), student_id: Some(StudentId(2)) },
            ],
        }
    }

    fn scope_of_class_1(full: &RosterSnapshot) -> Scope {
        let classes = BTreeSet::from([ClassId(1)]);
        Scope {
            user: Some(UserId(1)),
            all: false,
            rooms: full.rooms_of_classes(&classes),
            students: BTreeSet::from([StudentId(1)]),
            classes,
        }
    }

    #[test]
    fn a_roommate_of_another_class_is_named_but_their_archive_is_not_sent() {
        let full = roster();
        let seen = scoped_roster(&full, &scope_of_class_1(&full));
        let ids: Vec<_> = seen.students.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, vec![1, 2], "the whole room, not the rest of class 2");
        assert!(seen.student(StudentId(1)).unwrap().archive.is_some());
        assert!(seen.student(StudentId(2)).unwrap().archive.is_none());
        assert_eq!(seen.residents(RoomId(1)).len(), 2);
    }

    #[test]
    fn the_office_gets_everything() {
        let full = roster();
        let office = Scope { all: true, ..Scope::default() };
        assert_eq!(scoped_roster(&full, &office), full);
    }

    #[test]
    fn scope_covers_its_own_subjects_and_own_records() {
        let full = roster();
        let scope = scope_of_class_1(&full);
        assert!(scope.covers(Subject::Room(RoomId(1))));
        assert!(scope.covers(Subject::Student(StudentId(1))));
        assert!(!scope.covers(Subject::Student(StudentId(2))));
        assert!(!scope.covers(Subject::Class(ClassId(2))));
        assert!(scope.covers(Subject::Own));
    }
}

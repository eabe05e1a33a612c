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
        let students = sqlx::query("SELECT id, student_no, name, gender, class_id, phone FROM students ORDER BY id")
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
                SELECT MAX(updated_seq) FROM class_assignments)",
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
        .cloned()
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

//! The office's changes to the roster and the accounts. Every write takes a change number, so
//! the next pull of every phone re-sends the roster; a delete moves `roster_removals`, which
//! has no row of its own to carry one. The refusals here are the API's answers (a taken key,
//! a row still in use), so these functions speak in `StoreError`.

use super::roster::student_from;
use super::Tx;
use super::{next_seq, Store};
use super::{StoreError, StoreResult};
use rounds::admin::*;
use rounds::*;
use std::collections::BTreeMap;

/// A bound value of a small query.
#[derive(Clone, Copy)]
enum Arg<'a> {
    Int(i64),
    Text(&'a str),
}

/// The first integer a query answers (an id or a count), if any.
async fn scalar(tx: &mut Tx, sql: &str, args: &[Arg<'_>]) -> sqlx::Result<Option<i64>> {
    tx!(tx, |c| {
        let mut q = sqlx::query_scalar::<Db, i64>(sql);
        for a in args {
            q = match *a {
                Arg::Int(i) => q.bind(i),
                Arg::Text(t) => q.bind(t),
            };
        }
        q.fetch_optional(c).await
    })
}

async fn count(tx: &mut Tx, sql: &str, id: i64) -> sqlx::Result<i64> {
    Ok(scalar(tx, sql, &[Arg::Int(id)]).await?.unwrap_or(0))
}

async fn exists(tx: &mut Tx, table: &str, id: i64) -> sqlx::Result<bool> {
    Ok(count(tx, &format!("SELECT COUNT(*) FROM {table} WHERE id = $1"), id).await? > 0)
}

/// A key already taken, named on its field.
fn taken(field: &str, message: String) -> StoreError {
    StoreError::conflict_on("duplicate", field, "duplicate", message)
}

/// A row that others still depend on.
fn in_use(code: &'static str, message: String) -> StoreError {
    StoreError::conflict(code, message)
}

/// A reference to a row that does not exist.
fn unknown(field: &str, what: &str) -> StoreError {
    let mut e = ValidationErrors::new();
    e.add(field, "unknown", format!("is not a known {what}"));
    StoreError::Invalid(e)
}

/// Database refusals that slipped past the checks (a race, a link table of another module).
fn refused(e: sqlx::Error) -> StoreError {
    match e.as_database_error() {
        Some(d) if d.is_foreign_key_violation() => in_use("in_use", "other data (links, groups, records) still refers to this; remove those first".into()),
        Some(d) if d.is_unique_violation() => in_use("duplicate", format!("this would duplicate an existing entry ({})", d.message())),
        _ => StoreError::from(e),
    }
}

/// Records the removal of roster rows, so pulls after it re-send the roster.
async fn removed(tx: &mut Tx, seq: i64) -> sqlx::Result<()> {
    tx!(tx, |c| sqlx::query("UPDATE roster_removals SET updated_seq = $1 WHERE id = 1").bind(seq).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

fn archive_json(archive: &StudentArchive) -> StoreResult<String> {
    Ok(serde_json::to_string(archive)?)
}

/// `%` and `_` of a search typed by a person match themselves. Latin letters match either case
/// on both backends: the pattern is lowered here and the column by `lower()` in the query, both
/// for ASCII only. SQLite's `lower()` knows no other letters, and PostgreSQL's follows the
/// column's collation, "C" for every text (migrations_pg/0019), which also lowers ASCII only;
/// `lower($2)` in SQL would instead follow the database's locale and lower `É` on PostgreSQL
/// alone. (Plain `LIKE` ignores ASCII case on SQLite but not on PostgreSQL.)
fn like_pattern(q: &str) -> String {
    let escaped = q.to_ascii_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    // ---- departments ----

    pub async fn admin_departments(&self) -> StoreResult<Vec<Department>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query("SELECT id, name FROM departments ORDER BY name").fetch_all(c).await)?;
        Ok(rows.iter().map(|r| Ok(Department { id: DepartmentId(r.try_get("id")?), name: r.try_get("name")? })).collect::<sqlx::Result<_>>()?)
    }

    /// Creates a department (`id` none) or renames one.
    pub async fn save_department(&self, id: Option<DepartmentId>, input: &DepartmentInput) -> StoreResult<Department> {
        let name = input.name.trim();
        let mut w = self.write().await?;
        if let Some(id) = id {
            if !exists(&mut w.tx, "departments", id.0).await? {
                return Err(StoreError::NotFound);
            }
        }
        let except = id.map_or(0, |i| i.0);
        if scalar(&mut w.tx, "SELECT id FROM departments WHERE name = $1 AND id <> $2", &[Arg::Text(name), Arg::Int(except)]).await?.is_some() {
            return Err(taken("name", format!("a department is already called {name}")));
        }
        let seq = next_seq(&mut w.tx).await?;
        let id: i64 = match id {
            None => tx!(w.tx, |c| sqlx::query_scalar("INSERT INTO departments (name, updated_seq) VALUES ($1, $2) RETURNING id")
                .bind(name)
                .bind(seq)
                .fetch_one(c)
                .await)
            .map_err(refused)?,
            Some(id) => {
                tx!(w.tx, |c| sqlx::query("UPDATE departments SET name = $1, updated_seq = $2 WHERE id = $3")
                    .bind(name)
                    .bind(seq)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        w.commit().await?;
        Ok(Department { id: DepartmentId(id), name: name.to_string() })
    }

    pub async fn delete_department(&self, id: DepartmentId) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "departments", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let classes = count(&mut w.tx, "SELECT COUNT(*) FROM classes WHERE department_id = $1", id.0).await?;
        if classes > 0 {
            return Err(in_use("has_classes", format!("the department still has {classes} classes; move or delete them first")));
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM departments WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    // ---- classes and their staff ----

    pub async fn admin_classes(&self) -> StoreResult<Vec<ClassRow>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT c.id, c.department_id, c.name, c.cohort_year,
                    (SELECT COUNT(*) FROM students s WHERE s.class_id = c.id) AS students
             FROM classes c ORDER BY c.cohort_year DESC, c.name",
        )
        .fetch_all(c)
        .await)?;
        let mut staff: BTreeMap<i64, Vec<StaffRef>> = BTreeMap::new();
        let assigned = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT a.class_id, u.id, u.display_name, u.role FROM class_assignments a JOIN users u ON u.id = a.user_id
             ORDER BY u.display_name",
        )
        .fetch_all(c)
        .await)?;
        for r in &assigned {
            let role: String = r.try_get("role")?;
            let Some(role) = Role::parse(&role) else { continue };
            staff.entry(r.try_get("class_id")?).or_default().push(StaffRef { id: UserId(r.try_get("id")?), display_name: r.try_get("display_name")?, role });
        }
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                Ok(ClassRow {
                    class: Class {
                        id: ClassId(id),
                        department_id: DepartmentId(r.try_get("department_id")?),
                        name: r.try_get("name")?,
                        cohort_year: r.try_get("cohort_year")?,
                    },
                    students: r.try_get::<i64, _>("students")? as u32,
                    staff: staff.remove(&id).unwrap_or_default(),
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn save_class(&self, id: Option<ClassId>, input: &ClassInput) -> StoreResult<Class> {
        let name = input.name.trim();
        let mut w = self.write().await?;
        if let Some(id) = id {
            if !exists(&mut w.tx, "classes", id.0).await? {
                return Err(StoreError::NotFound);
            }
        }
        if !exists(&mut w.tx, "departments", input.department_id.0).await? {
            return Err(unknown("department_id", "department"));
        }
        let except = id.map_or(0, |i| i.0);
        if scalar(&mut w.tx, "SELECT id FROM classes WHERE name = $1 AND id <> $2", &[Arg::Text(name), Arg::Int(except)]).await?.is_some() {
            return Err(taken("name", format!("a class is already called {name}")));
        }
        let seq = next_seq(&mut w.tx).await?;
        let id: i64 = match id {
            None => {
                tx!(w.tx, |c| sqlx::query_scalar("INSERT INTO classes (department_id, name, cohort_year, updated_seq) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(input.department_id.0)
                    .bind(name)
                    .bind(input.cohort_year)
                    .bind(seq)
                    .fetch_one(c)
                    .await)
                .map_err(refused)?
            }
            Some(id) => {
                tx!(w.tx, |c| sqlx::query("UPDATE classes SET department_id = $1, name = $2, cohort_year = $3, updated_seq = $4 WHERE id = $5")
                    .bind(input.department_id.0)
                    .bind(name)
                    .bind(input.cohort_year)
                    .bind(seq)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        w.commit().await?;
        Ok(Class { id: ClassId(id), department_id: input.department_id, name: name.to_string(), cohort_year: input.cohort_year })
    }

    pub async fn delete_class(&self, id: ClassId) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "classes", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let students = count(&mut w.tx, "SELECT COUNT(*) FROM students WHERE class_id = $1", id.0).await?;
        if students > 0 {
            return Err(in_use("has_students", format!("the class still has {students} students; move or delete them first")));
        }
        let records = count(&mut w.tx, "SELECT COUNT(*) FROM records WHERE class_id = $1", id.0).await?;
        if records > 0 {
            return Err(in_use("has_records", format!("{records} records are about this class and are kept, so it cannot be deleted")));
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM class_assignments WHERE class_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM classes WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    /// Replaces the staff of a class; only counselors and head teachers can be assigned.
    pub async fn set_class_staff(&self, class: ClassId, staff: &ClassStaff) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "classes", class.0).await? {
            return Err(StoreError::NotFound);
        }
        let mut errors = ValidationErrors::new();
        for (i, user) in staff.user_ids.iter().enumerate() {
            let role: Option<String> = tx!(w.tx, |c| sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(user.0).fetch_optional(c).await)?;
            match role.as_deref().and_then(Role::parse) {
                None => errors.add(format!("user_ids[{i}]"), "unknown", "is not a known account"),
                Some(role) if !assignable_to_class(role) => {
                    errors.add(format!("user_ids[{i}]"), "wrong_role", "only counselors and head teachers look after classes")
                }
                Some(_) => {}
            }
        }
        errors.into_result().map_err(StoreError::Invalid)?;
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM class_assignments WHERE class_id = $1").bind(class.0).execute(c).await.map(|r| r.rows_affected()))?;
        for user in &staff.user_ids {
            tx!(w.tx, |c| sqlx::query("INSERT INTO class_assignments (user_id, class_id, updated_seq) VALUES ($1, $2, $3)")
                .bind(user.0)
                .bind(class.0)
                .bind(seq)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        }
        // Whoever lost the class must get the smaller roster too.
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    // ---- students ----

    /// Students whose name or number contains `q`, optionally of one class, by number.
    pub async fn search_students(&self, q: &str, class: Option<ClassId>, offset: u32, limit: u32) -> StoreResult<StudentPage> {
        let q = q.trim();
        let pattern = like_pattern(q);
        let class = class.map_or(0, |c| c.0);
        const FILTER: &str = "($1 = '' OR lower(s.name) LIKE $2 ESCAPE '\\' OR lower(s.student_no) LIKE $2 ESCAPE '\\') AND ($3 = 0 OR s.class_id = $3)";
        let total: i64 = pool!(self.pool, |c| sqlx::query_scalar(&format!("SELECT COUNT(*) FROM students s WHERE {FILTER}"))
            .bind(q)
            .bind(&pattern)
            .bind(class)
            .fetch_one(c)
            .await)?;
        let rows = pool_rows!(self.pool, |c| sqlx::query(&format!(
            "SELECT s.id, s.student_no, s.name, s.gender, s.class_id, s.phone, s.archive,
                    bl.name AS building, r.number AS room, b.label AS bed
             FROM students s
             LEFT JOIN beds b ON b.student_id = s.id
             LEFT JOIN rooms r ON r.id = b.room_id
             LEFT JOIN buildings bl ON bl.id = r.building_id
             WHERE {FILTER} ORDER BY s.student_no LIMIT $4 OFFSET $5"
        ))
        .bind(q)
        .bind(&pattern)
        .bind(class)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(c)
        .await)?;
        let rows = rows
            .iter()
            .map(|r| {
                let place = match (r.try_get::<Option<String>, _>("building")?, r.try_get::<Option<String>, _>("room")?, r.try_get::<Option<String>, _>("bed")?)
                {
                    (Some(b), Some(room), Some(bed)) => Some(format!("{b} {room} #{bed}")),
                    _ => None,
                };
                Ok(StudentRow { student: student_from(r)?, place })
            })
            .collect::<sqlx::Result<_>>()?;
        Ok(StudentPage { total: total as u32, rows })
    }

    pub async fn stored_student(&self, id: StudentId) -> StoreResult<Option<Student>> {
        let row = pool_rows!(self.pool, |c| sqlx::query("SELECT id, student_no, name, gender, class_id, phone, archive FROM students WHERE id = $1")
            .bind(id.0)
            .fetch_optional(c)
            .await)?;
        Ok(row.as_ref().map(student_from).transpose()?)
    }

    /// Creates or changes a student; a change of standing in the archive is kept in its
    /// history as made `by` the office account.
    pub async fn save_student(&self, id: Option<StudentId>, input: &StudentInput, by: UserId) -> StoreResult<Student> {
        let student_no = input.student_no.trim();
        let name = input.name.trim();
        let mut w = self.write().await?;
        let stored_archive: Option<Option<String>> = match id {
            Some(id) => Some(
                tx!(w.tx, |c| sqlx::query_scalar::<_, Option<String>>("SELECT archive FROM students WHERE id = $1").bind(id.0).fetch_optional(c).await)?
                    .ok_or(StoreError::NotFound)?,
            ),
            None => None,
        };
        if !exists(&mut w.tx, "classes", input.class_id.0).await? {
            return Err(unknown("class_id", "class"));
        }
        let except = id.map_or(0, |i| i.0);
        let holder: Option<String> = tx!(w.tx, |c| sqlx::query_scalar("SELECT name FROM students WHERE student_no = $1 AND id <> $2")
            .bind(student_no)
            .bind(except)
            .fetch_optional(c)
            .await)?;
        if let Some(holder) = holder {
            return Err(taken("student_no", format!("student number {student_no} is already used by {holder}")));
        }
        let stored: Option<StudentArchive> = match stored_archive.as_ref().and_then(|a| a.as_deref()) {
            Some(json) => Some(serde_json::from_str(json)?),
            None => None,
        };
        let changes = input.archive.as_ref().map(|a| a.standing_changes(stored.as_ref())).unwrap_or_default();
        // Absent on an update: the stored archive stays.
        let archive = match &input.archive {
            Some(a) => Some(archive_json(a)?),
            None => stored_archive.flatten(),
        };
        let phone = input.phone_to_store();
        let seq = next_seq(&mut w.tx).await?;
        let id: i64 = match id {
            None => tx!(w.tx, |c| sqlx::query_scalar(
                "INSERT INTO students (student_no, name, gender, class_id, phone, archive, updated_seq)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(student_no)
            .bind(name)
            .bind(input.gender.as_str())
            .bind(input.class_id.0)
            .bind(&phone)
            .bind(&archive)
            .bind(seq)
            .fetch_one(c)
            .await)
            .map_err(refused)?,
            Some(id) => {
                tx!(w.tx, |c| sqlx::query(
                    "UPDATE students SET student_no = $1, name = $2, gender = $3, class_id = $4, phone = $5, archive = $6, updated_seq = $7
                     WHERE id = $8",
                )
                .bind(student_no)
                .bind(name)
                .bind(input.gender.as_str())
                .bind(input.class_id.0)
                .bind(&phone)
                .bind(&archive)
                .bind(seq)
                .bind(id.0)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        super::standing::record_changes(&mut w.tx, StudentId(id), &changes, by, None).await?;
        w.commit().await?;
        self.stored_student(StudentId(id)).await?.ok_or(StoreError::NotFound)
    }

    pub async fn delete_student(&self, id: StudentId) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "students", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let records = count(&mut w.tx, "SELECT COUNT(*) FROM records WHERE student_id = $1", id.0).await?;
        if records > 0 {
            return Err(in_use("has_records", format!("{records} records are about this student and are kept, so the student cannot be deleted")));
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("UPDATE beds SET student_id = NULL, updated_seq = $1 WHERE student_id = $2")
            .bind(seq)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM students WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    // ---- buildings, rooms, beds ----

    pub async fn admin_buildings(&self) -> StoreResult<Vec<Building>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query("SELECT id, name FROM buildings ORDER BY id").fetch_all(c).await)?;
        let mut list: Vec<Building> =
            rows.iter().map(|r| Ok(Building { id: BuildingId(r.try_get("id")?), name: r.try_get("name")? })).collect::<sqlx::Result<_>>()?;
        list.sort_by_key(|b| rounds::roster::natural_key(&b.name));
        Ok(list)
    }

    pub async fn save_building(&self, id: Option<BuildingId>, input: &BuildingInput) -> StoreResult<Building> {
        let name = input.name.trim();
        let mut w = self.write().await?;
        if let Some(id) = id {
            if !exists(&mut w.tx, "buildings", id.0).await? {
                return Err(StoreError::NotFound);
            }
        }
        let except = id.map_or(0, |i| i.0);
        if scalar(&mut w.tx, "SELECT id FROM buildings WHERE name = $1 AND id <> $2", &[Arg::Text(name), Arg::Int(except)]).await?.is_some() {
            return Err(taken("name", format!("a building is already called {name}")));
        }
        let seq = next_seq(&mut w.tx).await?;
        let id: i64 = match id {
            None => tx!(w.tx, |c| sqlx::query_scalar("INSERT INTO buildings (name, updated_seq) VALUES ($1, $2) RETURNING id")
                .bind(name)
                .bind(seq)
                .fetch_one(c)
                .await)
            .map_err(refused)?,
            Some(id) => {
                tx!(w.tx, |c| sqlx::query("UPDATE buildings SET name = $1, updated_seq = $2 WHERE id = $3")
                    .bind(name)
                    .bind(seq)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        w.commit().await?;
        Ok(Building { id: BuildingId(id), name: name.to_string() })
    }

    pub async fn delete_building(&self, id: BuildingId) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "buildings", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let rooms = count(&mut w.tx, "SELECT COUNT(*) FROM rooms WHERE building_id = $1", id.0).await?;
        if rooms > 0 {
            return Err(in_use("has_rooms", format!("the building still has {rooms} rooms; delete them first")));
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM buildings WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    pub async fn admin_rooms(&self, building: Option<BuildingId>) -> StoreResult<Vec<RoomRow>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT r.id, r.building_id, r.number,
                    (SELECT COUNT(*) FROM beds b WHERE b.room_id = r.id) AS beds,
                    (SELECT COUNT(*) FROM beds b WHERE b.room_id = r.id AND b.student_id IS NOT NULL) AS occupied
             FROM rooms r WHERE ($1 = 0 OR r.building_id = $1)",
        )
        .bind(building.map_or(0, |b| b.0))
        .fetch_all(c)
        .await)?;
        let mut list: Vec<RoomRow> = rows
            .iter()
            .map(|r| {
                Ok(RoomRow {
                    room: Room { id: RoomId(r.try_get("id")?), building_id: BuildingId(r.try_get("building_id")?), number: r.try_get("number")? },
                    beds: r.try_get::<i64, _>("beds")? as u32,
                    occupied: r.try_get::<i64, _>("occupied")? as u32,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        list.sort_by_key(|r| (r.room.building_id, rounds::roster::natural_key(&r.room.number)));
        Ok(list)
    }

    pub async fn save_room(&self, id: Option<RoomId>, input: &RoomInput) -> StoreResult<Room> {
        let number = input.number.trim();
        let mut w = self.write().await?;
        if let Some(id) = id {
            if !exists(&mut w.tx, "rooms", id.0).await? {
                return Err(StoreError::NotFound);
            }
        }
        if !exists(&mut w.tx, "buildings", input.building_id.0).await? {
            return Err(unknown("building_id", "building"));
        }
        let except = id.map_or(0, |i| i.0);
        let clash = scalar(
            &mut w.tx,
            "SELECT id FROM rooms WHERE building_id = $1 AND number = $2 AND id <> $3",
            &[Arg::Int(input.building_id.0), Arg::Text(number), Arg::Int(except)],
        )
        .await?;
        if clash.is_some() {
            return Err(taken("number", format!("the building already has a room {number}")));
        }
        let seq = next_seq(&mut w.tx).await?;
        let id: i64 = match id {
            None => tx!(w.tx, |c| sqlx::query_scalar("INSERT INTO rooms (building_id, number, updated_seq) VALUES ($1, $2, $3) RETURNING id")
                .bind(input.building_id.0)
                .bind(number)
                .bind(seq)
                .fetch_one(c)
                .await)
            .map_err(refused)?,
            Some(id) => {
                tx!(w.tx, |c| sqlx::query("UPDATE rooms SET building_id = $1, number = $2, updated_seq = $3 WHERE id = $4")
                    .bind(input.building_id.0)
                    .bind(number)
                    .bind(seq)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        w.commit().await?;
        Ok(Room { id: RoomId(id), building_id: input.building_id, number: number.to_string() })
    }

    /// Deletes an empty room with its (free) beds.
    pub async fn delete_room(&self, id: RoomId) -> StoreResult<()> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "rooms", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let occupied = count(&mut w.tx, "SELECT COUNT(*) FROM beds WHERE room_id = $1 AND student_id IS NOT NULL", id.0).await?;
        if occupied > 0 {
            return Err(in_use("occupied", format!("{occupied} students still sleep in this room; move them first")));
        }
        let records = count(&mut w.tx, "SELECT COUNT(*) FROM records WHERE room_id = $1", id.0).await?;
        if records > 0 {
            return Err(in_use("has_records", format!("{records} records are about this room and are kept, so it cannot be deleted")));
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM beds WHERE room_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM rooms WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    pub async fn admin_beds(&self, room: Option<RoomId>) -> StoreResult<Vec<BedRow>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT b.id, b.room_id, b.label, b.student_id, s.student_no, s.name AS student_name
             FROM beds b LEFT JOIN students s ON s.id = b.student_id WHERE ($1 = 0 OR b.room_id = $1) ORDER BY b.id",
        )
        .bind(room.map_or(0, |r| r.0))
        .fetch_all(c)
        .await)?;
        let mut list: Vec<BedRow> = rows
            .iter()
            .map(|r| {
                Ok(BedRow {
                    bed: Bed {
                        id: BedId(r.try_get("id")?),
                        room_id: RoomId(r.try_get("room_id")?),
                        label: r.try_get("label")?,
                        student_id: r.try_get::<Option<i64>, _>("student_id")?.map(StudentId),
                    },
                    student_no: r.try_get("student_no")?,
                    student_name: r.try_get("student_name")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        list.sort_by_key(|b| (b.bed.room_id, rounds::roster::natural_key(&b.bed.label)));
        Ok(list)
    }

    /// Creates or changes a bed, with its resident. A resident who slept elsewhere is moved:
    /// the old bed is freed in the same transaction.
    pub async fn save_bed(&self, id: Option<BedId>, input: &BedInput) -> StoreResult<Bed> {
        let label = input.label.trim();
        let mut w = self.write().await?;
        if let Some(id) = id {
            if !exists(&mut w.tx, "beds", id.0).await? {
                return Err(StoreError::NotFound);
            }
        }
        if !exists(&mut w.tx, "rooms", input.room_id.0).await? {
            return Err(unknown("room_id", "room"));
        }
        let except = id.map_or(0, |i| i.0);
        let clash = scalar(
            &mut w.tx,
            "SELECT id FROM beds WHERE room_id = $1 AND label = $2 AND id <> $3",
            &[Arg::Int(input.room_id.0), Arg::Text(label), Arg::Int(except)],
        )
        .await?;
        if clash.is_some() {
            return Err(taken("label", format!("the room already has a bed {label}")));
        }
        let resident = match input.resident() {
            None => None,
            Some(no) => Some(
                scalar(&mut w.tx, "SELECT id FROM students WHERE student_no = $1", &[Arg::Text(no)])
                    .await?
                    .ok_or_else(|| unknown("student_no", "student number"))?,
            ),
        };
        let seq = next_seq(&mut w.tx).await?;
        if let Some(student) = resident {
            tx!(w.tx, |c| sqlx::query("UPDATE beds SET student_id = NULL, updated_seq = $1 WHERE student_id = $2 AND id <> $3")
                .bind(seq)
                .bind(student)
                .bind(except)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        }
        let id: i64 = match id {
            None => tx!(w.tx, |c| sqlx::query_scalar("INSERT INTO beds (room_id, label, student_id, updated_seq) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(input.room_id.0)
                .bind(label)
                .bind(resident)
                .bind(seq)
                .fetch_one(c)
                .await)
            .map_err(refused)?,
            Some(id) => {
                tx!(w.tx, |c| sqlx::query("UPDATE beds SET room_id = $1, label = $2, student_id = $3, updated_seq = $4 WHERE id = $5")
                    .bind(input.room_id.0)
                    .bind(label)
                    .bind(resident)
                    .bind(seq)
                    .bind(id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))
                .map_err(refused)?;
                id.0
            }
        };
        w.commit().await?;
        Ok(Bed { id: BedId(id), room_id: input.room_id, label: label.to_string(), student_id: resident.map(StudentId) })
    }

    pub async fn delete_bed(&self, id: BedId) -> StoreResult<()> {
        let mut w = self.write().await?;
        let resident: Option<Option<String>> =
            tx!(w.tx, |c| sqlx::query_scalar("SELECT s.name FROM beds b LEFT JOIN students s ON s.id = b.student_id WHERE b.id = $1")
                .bind(id.0)
                .fetch_optional(c)
                .await)?;
        match resident {
            None => return Err(StoreError::NotFound),
            Some(Some(name)) => return Err(in_use("occupied", format!("{name} sleeps in this bed; free it first"))),
            Some(None) => {}
        }
        let seq = next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM beds WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected())).map_err(refused)?;
        removed(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(())
    }

    // ---- accounts ----

    pub async fn staff_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT id, username, display_name, role, disabled, leadership, department_id FROM users ORDER BY username"
        )
        .fetch_all(c)
        .await)?;
        let mut classes: BTreeMap<i64, Vec<ClassId>> = BTreeMap::new();
        for (user, class) in
            pool!(self.pool, |c| sqlx::query_as::<_, (i64, i64)>("SELECT user_id, class_id FROM class_assignments ORDER BY class_id").fetch_all(c).await)?
        {
            classes.entry(user).or_default().push(ClassId(class));
        }
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let role: String = r.try_get("role")?;
                Ok(Account {
                    id: UserId(id),
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
                    active: !r.try_get::<bool, _>("disabled")?,
                    classes: classes.remove(&id).unwrap_or_default(),
                    leadership: r.try_get("leadership")?,
                    department_id: r.try_get::<Option<i64>, _>("department_id")?.map(DepartmentId),
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn staff_account(&self, id: UserId) -> StoreResult<Account> {
        self.staff_accounts().await?.into_iter().find(|a| a.id == id).ok_or(StoreError::NotFound)
    }

    pub async fn create_account(&self, input: &NewAccount, password_hash: &str) -> StoreResult<Account> {
        let username = input.username.trim();
        let mut w = self.write().await?;
        if scalar(&mut w.tx, "SELECT id FROM users WHERE username = $1", &[Arg::Text(username)]).await?.is_some() {
            return Err(taken("username", format!("an account named {username} already exists")));
        }
        let id: i64 = tx!(w.tx, |c| sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(username)
        .bind(input.display_name.trim())
        .bind(input.role.as_str())
        .bind(password_hash)
        .bind(super::now_text())
        .fetch_one(c)
        .await)
        .map_err(refused)?;
        w.commit().await?;
        self.staff_account(UserId(id)).await
    }

    /// Renames, changes the role, disables or enables an account. Disabling ends its sessions;
    /// a role that cannot look after classes loses its class assignments.
    pub async fn update_account(&self, id: UserId, input: &AccountUpdate) -> StoreResult<Account> {
        let mut w = self.write().await?;
        if !exists(&mut w.tx, "users", id.0).await? {
            return Err(StoreError::NotFound);
        }
        let department = input.department_id.filter(|_| input.role == Role::Office);
        if let Some(d) = department {
            if !exists(&mut w.tx, "departments", d.0).await? {
                return Err(unknown("department_id", "department"));
            }
        }
        tx!(w.tx, |c| sqlx::query("UPDATE users SET display_name = $1, role = $2, disabled = $3, leadership = $4, department_id = $5 WHERE id = $6")
            .bind(input.display_name.trim())
            .bind(input.role.as_str())
            .bind(!input.active)
            .bind(input.leadership && input.role == Role::Leader)
            .bind(department.map(|d| d.0))
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if !input.active {
            tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        if !assignable_to_class(input.role) {
            let dropped =
                tx!(w.tx, |c| sqlx::query("DELETE FROM class_assignments WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
            if dropped > 0 {
                let seq = next_seq(&mut w.tx).await?;
                removed(&mut w.tx, seq).await?;
            }
        }
        w.commit().await?;
        self.staff_account(id).await
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_wildcards_typed_by_people_match_themselves() {
        assert_eq!(like_pattern("张"), "%张%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
        assert_eq!(like_pattern("Zhang É"), "%zhang É%");
    }
}

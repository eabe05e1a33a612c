//! Writing a roster import: the plan of `rounds::roster_import`, in one transaction.

use super::Tx;
use super::{next_seq, Store, StoreError, StoreResult};
use rounds::roster_import::{plan, BedTarget, ImportMode, ImportReport, RosterWrites, StudentsFile};
use rounds::RosterSnapshot;

use std::collections::HashMap;

impl Store {
    /// Checks a students file against the stored roster and, unless `mode` is `Check` or the
    /// file is refused in that mode, writes it. Rows that change nothing are not touched, so
    /// importing the same file twice leaves `roster_seq()` where it was.
    pub async fn import_students(&self, file: &StudentsFile, mode: ImportMode) -> StoreResult<ImportReport> {
        if mode == ImportMode::Check {
            let roster = self.roster().await?;
            return Ok(plan(file, &roster, mode).report);
        }
        // Read the roster while holding the write turn, so nobody changes it between the plan
        // and the writes.
        let mut w = self.write().await?;
        let roster = self.roster().await?;
        let planned = plan(file, &roster, mode);
        let mut report = planned.report;
        if !report.allows(mode) {
            return Ok(report);
        }
        if !planned.writes.is_empty() {
            write(&mut w.tx, &roster, &planned.writes).await?;
            w.commit().await?;
        }
        report.applied = true;
        Ok(report)
    }
}

async fn write(tx: &mut Tx, roster: &RosterSnapshot, writes: &RosterWrites) -> StoreResult<()> {
    let seq = next_seq(tx).await?;

    let mut departments: HashMap<String, i64> = roster.departments.iter().map(|d| (d.name.clone(), d.id.0)).collect();
    for name in &writes.new_departments {
        let id: i64 = tx!(tx, |conn| sqlx::query_scalar("INSERT INTO departments (name, updated_seq) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(seq)
            .fetch_one(conn)
            .await)?;
        departments.insert(name.clone(), id);
    }

    let mut classes: HashMap<String, i64> = roster.classes.iter().map(|c| (c.name.clone(), c.id.0)).collect();
    for c in &writes.classes {
        let department = *departments.get(&c.department).ok_or_else(|| StoreError::bug(format!("the department {} was not written", c.department)))?;
        match c.id {
            Some(id) => {
                tx!(tx, |conn| sqlx::query("UPDATE classes SET department_id = $1, cohort_year = $2, updated_seq = $3 WHERE id = $4")
                    .bind(department)
                    .bind(c.cohort_year)
                    .bind(seq)
                    .bind(id.0)
                    .execute(conn)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
            None => {
                let id: i64 = tx!(tx, |conn| sqlx::query_scalar(
                    "INSERT INTO classes (department_id, name, cohort_year, updated_seq) VALUES ($1, $2, $3, $4) RETURNING id"
                )
                .bind(department)
                .bind(&c.name)
                .bind(c.cohort_year)
                .bind(seq)
                .fetch_one(conn)
                .await)?;
                classes.insert(c.name.clone(), id);
            }
        }
    }

    let mut buildings: HashMap<String, i64> = roster.buildings.iter().map(|b| (b.name.clone(), b.id.0)).collect();
    for name in &writes.new_buildings {
        let id: i64 = tx!(tx, |conn| sqlx::query_scalar("INSERT INTO buildings (name, updated_seq) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(seq)
            .fetch_one(conn)
            .await)?;
        buildings.insert(name.clone(), id);
    }
    let building_names: HashMap<i64, &str> = roster.buildings.iter().map(|b| (b.id.0, b.name.as_str())).collect();
    let mut rooms: HashMap<(String, String), i64> =
        roster.rooms.iter().filter_map(|r| building_names.get(&r.building_id.0).map(|b| ((b.to_string(), r.number.clone()), r.id.0))).collect();
    for room in &writes.new_rooms {
        let building = *buildings.get(&room.building).ok_or_else(|| StoreError::bug(format!("the building {} was not written", room.building)))?;
        let id: i64 = tx!(tx, |conn| sqlx::query_scalar("INSERT INTO rooms (building_id, number, updated_seq) VALUES ($1, $2, $3) RETURNING id")
            .bind(building)
            .bind(&room.number)
            .bind(seq)
            .fetch_one(conn)
            .await)?;
        rooms.insert((room.building.clone(), room.number.clone()), id);
    }

    let mut students: HashMap<String, i64> = roster.students.iter().map(|s| (s.student_no.clone(), s.id.0)).collect();
    for s in &writes.students {
        let class = *classes.get(&s.class).ok_or_else(|| StoreError::bug(format!("the class {} was not written", s.class)))?;
        let archive = s.archive.as_ref().map(serde_json::to_string).transpose()?;
        match s.id {
            Some(id) => {
                tx!(tx, |conn| sqlx::query(
                    "UPDATE students SET name = $1, gender = $2, class_id = $3, phone = $4, archive = $5, updated_seq = $6 WHERE id = $7"
                )
                .bind(&s.name)
                .bind(s.gender.as_str())
                .bind(class)
                .bind(&s.phone)
                .bind(&archive)
                .bind(seq)
                .bind(id.0)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
            }
            None => {
                let id: i64 = tx!(tx, |conn| sqlx::query_scalar(
                    "INSERT INTO students (student_no, name, gender, class_id, phone, archive, updated_seq)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&s.student_no)
                .bind(&s.name)
                .bind(s.gender.as_str())
                .bind(class)
                .bind(&s.phone)
                .bind(&archive)
                .bind(seq)
                .fetch_one(conn)
                .await)?;
                students.insert(s.student_no.clone(), id);
            }
        }
    }

    // Empty first: a student may hold only one bed at a time (beds.student_id is unique).
    for bed in &writes.vacate {
        tx!(tx, |conn| sqlx::query("UPDATE beds SET student_id = NULL, updated_seq = $1 WHERE id = $2")
            .bind(seq)
            .bind(bed.0)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    for b in &writes.beds {
        let student = *students.get(&b.student_no).ok_or_else(|| StoreError::bug(format!("the student {} was not written", b.student_no)))?;
        match &b.bed {
            BedTarget::Stored(id) => {
                tx!(tx, |conn| sqlx::query("UPDATE beds SET student_id = $1, updated_seq = $2 WHERE id = $3")
                    .bind(student)
                    .bind(seq)
                    .bind(id.0)
                    .execute(conn)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
            BedTarget::New { room, label } => {
                let room_id = *rooms
                    .get(&(room.building.clone(), room.number.clone()))
                    .ok_or_else(|| StoreError::bug(format!("the room {} {} was not written", room.building, room.number)))?;
                tx!(tx, |conn| sqlx::query("INSERT INTO beds (room_id, label, student_id, updated_seq) VALUES ($1, $2, $3, $4)")
                    .bind(room_id)
                    .bind(label)
                    .bind(student)
                    .bind(seq)
                    .execute(conn)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
        }
    }
    Ok(())
}

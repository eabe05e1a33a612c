//! Rows of the roster written one by one, inside a write the caller holds: how the demo
//! institution is seeded, on either backend, without SQL of its own.

use super::{StoreResult, Tx};

/// Names the institution and its time zone (one institution per database).
pub async fn set_institution(tx: &mut Tx, name: &str, time_zone: &str) -> StoreResult<()> {
    Ok(tx!(tx, |c| sqlx::query(
        "INSERT INTO institution (id, name, time_zone) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone"
    )
    .bind(name)
    .bind(time_zone)
    .execute(c)
    .await
    .map(|_| ()))?)
}

pub async fn add_department(tx: &mut Tx, name: &str, seq: i64) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar("INSERT INTO departments (name, updated_seq) VALUES ($1, $2) RETURNING id").bind(name).bind(seq).fetch_one(c).await)?)
}

pub async fn add_building(tx: &mut Tx, name: &str, seq: i64) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar("INSERT INTO buildings (name, updated_seq) VALUES ($1, $2) RETURNING id").bind(name).bind(seq).fetch_one(c).await)?)
}

pub async fn add_class(tx: &mut Tx, department: i64, name: &str, cohort_year: i32, seq: i64) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar("INSERT INTO classes (department_id, name, cohort_year, updated_seq) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(department)
        .bind(name)
        .bind(cohort_year)
        .bind(seq)
        .fetch_one(c)
        .await)?)
}

#[allow(clippy::too_many_arguments)]
pub async fn add_student(tx: &mut Tx, student_no: &str, name: &str, gender: &str, class: i64, phone: &str, archive: &str, seq: i64) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO students (student_no, name, gender, class_id, phone, archive, updated_seq) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(student_no)
    .bind(name)
    .bind(gender)
    .bind(class)
    .bind(phone)
    .bind(archive)
    .bind(seq)
    .fetch_one(c)
    .await)?)
}

pub async fn add_room(tx: &mut Tx, building: i64, number: &str, seq: i64) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar("INSERT INTO rooms (building_id, number, updated_seq) VALUES ($1, $2, $3) RETURNING id")
        .bind(building)
        .bind(number)
        .bind(seq)
        .fetch_one(c)
        .await)?)
}

pub async fn add_bed(tx: &mut Tx, room: i64, label: &str, student: Option<i64>, seq: i64) -> StoreResult<()> {
    Ok(tx!(tx, |c| sqlx::query("INSERT INTO beds (room_id, label, student_id, updated_seq) VALUES ($1, $2, $3, $4)")
        .bind(room)
        .bind(label)
        .bind(student)
        .bind(seq)
        .execute(c)
        .await
        .map(|_| ()))?)
}

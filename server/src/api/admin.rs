//! The management API (`/api/v1/admin`): the office and administrators keep the roster and the
//! staff accounts. Every request body is a type of `rounds::admin`, validated there; what only
//! the database can tell (a taken student number, a class that still has students) comes back
//! as 409 with the field named. Two routes outside `/admin`: the archive of a student, which the
//! staff assigned to the student's class may edit too (all but the standing, which is the
//! office's), and the history of that standing, which they may read.

use crate::auth::{hash_password, CurrentUser, Office};
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use rounds::admin::*;
use rounds::*;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

/// Today in the school's zone: the validators need it (no archive confirmed tomorrow).
async fn today(state: &AppState) -> ApiResult<NaiveDate> {
    let (_, tz) = state.store.institution().await?;
    Ok(rounds::school_time::now_in(&rounds::school_time::zone(&tz)).date_naive())
}

/// Runs the shared validator of a request body.
async fn valid<I: AdminInput>(state: &AppState, input: &I) -> ApiResult<()> {
    input.validate(today(state).await?).into_result().map_err(ApiError::Invalid)
}

type Created<T> = (StatusCode, Json<T>);

fn created<T>(value: T) -> Created<T> {
    (StatusCode::CREATED, Json(value))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/departments", get(list_departments).post(create_department))
        .route("/api/v1/admin/departments/{id}", put(update_department).delete(delete_department))
        .route("/api/v1/admin/classes", get(list_classes).post(create_class))
        .route("/api/v1/admin/classes/{id}", put(update_class).delete(delete_class))
        .route("/api/v1/admin/classes/{id}/staff", put(set_class_staff))
        .route("/api/v1/admin/students", get(search_students).post(create_student))
        .route("/api/v1/admin/students/{id}", get(get_student).put(update_student).delete(delete_student))
        .route("/api/v1/admin/buildings", get(list_buildings).post(create_building))
        .route("/api/v1/admin/buildings/{id}", put(update_building).delete(delete_building))
        .route("/api/v1/admin/rooms", get(list_rooms).post(create_room))
        .route("/api/v1/admin/rooms/{id}", put(update_room).delete(delete_room))
        .route("/api/v1/admin/beds", get(list_beds).post(create_bed))
        .route("/api/v1/admin/beds/{id}", put(update_bed).delete(delete_bed))
        .route("/api/v1/admin/accounts", get(list_accounts).post(create_account))
        .route("/api/v1/admin/accounts/{id}", put(update_account))
        .route("/api/v1/admin/accounts/{id}/password", post(reset_password))
        .route("/api/v1/admin/students/{id}/standing", put(set_standing))
        .route("/api/v1/students/{id}/archive", put(edit_archive))
        .route("/api/v1/students/{id}/standing-history", get(standing_history))
}

/// The management endpoints' part of the OpenAPI document: roster and account management by
/// the student-affairs office (学生工作部).
#[derive(OpenApi)]
#[openapi(
    paths(
        list_departments,
        create_department,
        update_department,
        delete_department,
        list_classes,
        create_class,
        update_class,
        delete_class,
        set_class_staff,
        search_students,
        get_student,
        create_student,
        update_student,
        delete_student,
        edit_archive,
        set_standing,
        standing_history,
        list_buildings,
        create_building,
        update_building,
        delete_building,
        list_rooms,
        create_room,
        update_room,
        delete_room,
        list_beds,
        create_bed,
        update_bed,
        delete_bed,
        list_accounts,
        create_account,
        update_account,
        reset_password,
    ),
    components(schemas(
        DepartmentInput,
        ClassInput,
        StudentInput,
        BuildingInput,
        RoomInput,
        BedInput,
        NewAccount,
        AccountUpdate,
        PasswordReset,
        ClassStaff,
        Account,
        StaffRef,
        ClassRow,
        StudentRow,
        StudentPage,
        RoomRow,
        BedRow,
        Deleted,
        Department,
        Class,
        Student,
        StudentArchive,
        StudentStanding,
        StandingDecision,
        StandingEdit,
        StandingHistoryEntry,
        Building,
        Room,
        Bed,
        Role,
        Gender,
        ErrorBody,
    ))
)]
pub struct AdminDoc;

// ---- departments ----

/// Every department.
#[utoipa::path(get, path = "/api/v1/admin/departments",
    responses((status = 200, body = Vec<Department>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_departments(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<Department>>> {
    Ok(Json(state.store.admin_departments().await?))
}

/// Create a department; its name must be free.
#[utoipa::path(post, path = "/api/v1/admin/departments", request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_department(State(state): State<AppState>, _: Office, ApiJson(input): ApiJson<DepartmentInput>) -> ApiResult<Created<Department>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_department(None, &input).await?))
}

/// Rename a department.
#[utoipa::path(put, path = "/api/v1/admin/departments/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = DepartmentInput,
    responses((status = 200, body = Department), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_department(
    State(state): State<AppState>,
    _: Office,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> ApiResult<Json<Department>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_department(Some(DepartmentId(id)), &input).await?))
}

/// Delete a department without classes.
#[utoipa::path(delete, path = "/api/v1/admin/departments/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_department(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_department(DepartmentId(id)).await?;
    Ok(Json(Deleted { id }))
}

// ---- classes ----

/// Every class, with its number of students and its counselors and head teachers.
#[utoipa::path(get, path = "/api/v1/admin/classes", responses((status = 200, body = Vec<ClassRow>), (status = 403, body = ErrorBody)))]
async fn list_classes(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<ClassRow>>> {
    Ok(Json(state.store.admin_classes().await?))
}

/// Create a class in a department.
#[utoipa::path(post, path = "/api/v1/admin/classes", request_body = ClassInput,
    responses((status = 201, body = Class), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_class(State(state): State<AppState>, _: Office, ApiJson(input): ApiJson<ClassInput>) -> ApiResult<Created<Class>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_class(None, &input).await?))
}

/// Change a class.
#[utoipa::path(put, path = "/api/v1/admin/classes/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = ClassInput,
    responses((status = 200, body = Class), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_class(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(input): ApiJson<ClassInput>) -> ApiResult<Json<Class>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_class(Some(ClassId(id)), &input).await?))
}

/// Delete a class without students or records.
#[utoipa::path(delete, path = "/api/v1/admin/classes/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_class(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_class(ClassId(id)).await?;
    Ok(Json(Deleted { id }))
}

/// Set who looks after a class (counselors and head teachers); replaces the previous set.
#[utoipa::path(put, path = "/api/v1/admin/classes/{id}/staff", params(("id" = i64, Path, description = "The id in the path")), request_body = ClassStaff,
    responses((status = 200, body = ClassRow), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_class_staff(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(input): ApiJson<ClassStaff>) -> ApiResult<Json<ClassRow>> {
    valid(&state, &input).await?;
    state.store.set_class_staff(ClassId(id), &input).await?;
    let row = state.store.admin_classes().await?.into_iter().find(|c| c.class.id.0 == id).ok_or(ApiError::NotFound)?;
    Ok(Json(row))
}

// ---- students ----

#[derive(Debug, Deserialize, IntoParams)]
pub struct StudentSearch {
    /// Part of a name or a student number.
    #[serde(default)]
    pub q: String,
    /// Only this class.
    pub class_id: Option<i64>,
    /// How many matches to skip (pages of 50).
    #[serde(default)]
    pub offset: u32,
}

/// Search students by name or number, 50 at a time, with their archives and beds.
#[utoipa::path(get, path = "/api/v1/admin/students", params(StudentSearch),
    responses((status = 200, body = StudentPage), (status = 403, body = ErrorBody)))]
async fn search_students(State(state): State<AppState>, _: Office, Query(p): Query<StudentSearch>) -> ApiResult<Json<StudentPage>> {
    Ok(Json(state.store.search_students(&p.q, p.class_id.map(ClassId), p.offset, STUDENT_PAGE).await?))
}

/// One student, with the archive.
#[utoipa::path(get, path = "/api/v1/admin/students/{id}", params(("id" = i64, Path, description = "The id in the path")), responses((status = 200, body = Student), (status = 404, body = ErrorBody)))]
async fn get_student(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Student>> {
    Ok(Json(state.store.stored_student(StudentId(id)).await?.ok_or(ApiError::NotFound)?))
}

/// Create a student; the student number must be free.
#[utoipa::path(post, path = "/api/v1/admin/students", request_body = StudentInput,
    responses((status = 201, body = Student), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_student(State(state): State<AppState>, Office(me): Office, ApiJson(input): ApiJson<StudentInput>) -> ApiResult<Created<Student>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_student(None, &input, me.id).await?))
}

/// Change a student; an absent archive leaves the stored one. A change of the archive's standing
/// is kept in its history (without a decision date or basis: send those to
/// `PUT /api/v1/admin/students/{id}/standing`).
#[utoipa::path(put, path = "/api/v1/admin/students/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = StudentInput,
    responses((status = 200, body = Student), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_student(
    State(state): State<AppState>,
    Office(me): Office,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StudentInput>,
) -> ApiResult<Json<Student>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_student(Some(StudentId(id)), &input, me.id).await?))
}

/// Delete a student about whom no records exist; their bed is freed.
#[utoipa::path(delete, path = "/api/v1/admin/students/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_student(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_student(StudentId(id)).await?;
    Ok(Json(Deleted { id }))
}

/// Whether `user` may read and write the archive of student `id`: the office, or a counselor or
/// head teacher assigned to the student's class. Staff not assigned learn nothing, not even
/// whether the student exists (403 either way); the office gets 404 for a student who is not.
async fn archive_keeper(state: &AppState, user: &UserProfile, id: StudentId) -> ApiResult<()> {
    let student = state.store.stored_student(id).await?;
    let may = match &student {
        _ if user.role.sees_everything() => true,
        Some(s) if assignable_to_class(user.role) => state.store.assigned_classes(user.id).await?.contains(&s.class_id),
        _ => false,
    };
    if !may {
        return Err(ApiError::Forbidden("only the office and the staff of the student's class may see or edit the archive".into()));
    }
    student.map(|_| ()).ok_or(ApiError::NotFound)
}

/// Replace a student's archive: the office, or a counselor or head teacher assigned to the
/// student's class. The standing (`warning_level`, `warning_on`, `discipline_on`,
/// `assistance_level`) is the office's: anyone else must send it as stored, or gets 403 with
/// those fields named (code `office_only`) and nothing changes.
#[utoipa::path(put, path = "/api/v1/students/{id}/archive", params(("id" = i64, Path, description = "The id in the path")), request_body = StudentArchive,
    responses((status = 200, body = Student), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn edit_archive(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    ApiJson(archive): ApiJson<StudentArchive>,
) -> ApiResult<Json<Student>> {
    archive_keeper(&state, &user, StudentId(id)).await?;
    valid(&state, &archive).await?;
    let saved = state.store.save_archive(StudentId(id), &archive, user.id, user.role.sees_everything()).await?;
    tracing::info!(user = %user.username, student = id, "archive edited");
    Ok(Json(saved))
}

/// The office sets a student's standing (学业预警 level and date, 处分 date, 帮扶 level), with the
/// decision's date and basis (决定日期, 依据) for the history. Only these four fields change; the
/// rest of the archive stays as stored. Sending the standing as stored changes nothing.
#[utoipa::path(put, path = "/api/v1/admin/students/{id}/standing", params(("id" = i64, Path, description = "The id in the path")), request_body = StandingEdit,
    responses((status = 200, body = Student), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_standing(
    State(state): State<AppState>,
    Office(me): Office,
    Path(id): Path<i64>,
    ApiJson(edit): ApiJson<StandingEdit>,
) -> ApiResult<Json<Student>> {
    let today = today(&state).await?;
    if let Some(decision) = &edit.decision {
        let mut errors = ValidationErrors::new();
        errors.nest("decision", decision.validate(today));
        errors.into_result().map_err(ApiError::Invalid)?;
    }
    let saved = state.store.save_standing(StudentId(id), &edit, me.id, |a| a.validate(today)).await?;
    tracing::info!(by = %me.username, student = id, "standing set");
    Ok(Json(saved))
}

/// Every change of a student's standing, oldest first: field, old and new value, who, when,
/// and the decision's date and basis when the office gave them. For the office and the staff
/// assigned to the student's class, who see the standing itself in the archive.
#[utoipa::path(get, path = "/api/v1/students/{id}/standing-history", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Vec<StandingHistoryEntry>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn standing_history(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<StandingHistoryEntry>>> {
    archive_keeper(&state, &user, StudentId(id)).await?;
    Ok(Json(state.store.standing_history(StudentId(id)).await?))
}

// ---- buildings, rooms, beds ----

/// Every dorm building.
#[utoipa::path(get, path = "/api/v1/admin/buildings", responses((status = 200, body = Vec<Building>), (status = 403, body = ErrorBody)))]
async fn list_buildings(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<Building>>> {
    Ok(Json(state.store.admin_buildings().await?))
}

/// Create a building.
#[utoipa::path(post, path = "/api/v1/admin/buildings", request_body = BuildingInput,
    responses((status = 201, body = Building), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_building(State(state): State<AppState>, _: Office, ApiJson(input): ApiJson<BuildingInput>) -> ApiResult<Created<Building>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_building(None, &input).await?))
}

/// Rename a building.
#[utoipa::path(put, path = "/api/v1/admin/buildings/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = BuildingInput,
    responses((status = 200, body = Building), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_building(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(input): ApiJson<BuildingInput>) -> ApiResult<Json<Building>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_building(Some(BuildingId(id)), &input).await?))
}

/// Delete a building without rooms.
#[utoipa::path(delete, path = "/api/v1/admin/buildings/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_building(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_building(BuildingId(id)).await?;
    Ok(Json(Deleted { id }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RoomFilter {
    /// Only the rooms of this building.
    pub building_id: Option<i64>,
}

/// Rooms, with how many beds they have and how many are taken.
#[utoipa::path(get, path = "/api/v1/admin/rooms", params(RoomFilter), responses((status = 200, body = Vec<RoomRow>), (status = 403, body = ErrorBody)))]
async fn list_rooms(State(state): State<AppState>, _: Office, Query(f): Query<RoomFilter>) -> ApiResult<Json<Vec<RoomRow>>> {
    Ok(Json(state.store.admin_rooms(f.building_id.map(BuildingId)).await?))
}

/// Create a room; its number must be free in its building.
#[utoipa::path(post, path = "/api/v1/admin/rooms", request_body = RoomInput,
    responses((status = 201, body = Room), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_room(State(state): State<AppState>, _: Office, ApiJson(input): ApiJson<RoomInput>) -> ApiResult<Created<Room>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_room(None, &input).await?))
}

/// Change a room.
#[utoipa::path(put, path = "/api/v1/admin/rooms/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = RoomInput,
    responses((status = 200, body = Room), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_room(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(input): ApiJson<RoomInput>) -> ApiResult<Json<Room>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_room(Some(RoomId(id)), &input).await?))
}

/// Delete a room nobody sleeps in and no record is about, with its beds.
#[utoipa::path(delete, path = "/api/v1/admin/rooms/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_room(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_room(RoomId(id)).await?;
    Ok(Json(Deleted { id }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BedFilter {
    /// Only the beds of this room.
    pub room_id: Option<i64>,
}

/// Beds with their residents.
#[utoipa::path(get, path = "/api/v1/admin/beds", params(BedFilter), responses((status = 200, body = Vec<BedRow>), (status = 403, body = ErrorBody)))]
async fn list_beds(State(state): State<AppState>, _: Office, Query(f): Query<BedFilter>) -> ApiResult<Json<Vec<BedRow>>> {
    Ok(Json(state.store.admin_beds(f.room_id.map(RoomId)).await?))
}

/// Create a bed, optionally with its resident (moved from their old bed).
#[utoipa::path(post, path = "/api/v1/admin/beds", request_body = BedInput,
    responses((status = 201, body = Bed), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_bed(State(state): State<AppState>, _: Office, ApiJson(input): ApiJson<BedInput>) -> ApiResult<Created<Bed>> {
    valid(&state, &input).await?;
    Ok(created(state.store.save_bed(None, &input).await?))
}

/// Change a bed or its resident: naming a student moves them here and frees their old bed; an
/// empty student number frees this one.
#[utoipa::path(put, path = "/api/v1/admin/beds/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = BedInput,
    responses((status = 200, body = Bed), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_bed(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(input): ApiJson<BedInput>) -> ApiResult<Json<Bed>> {
    valid(&state, &input).await?;
    Ok(Json(state.store.save_bed(Some(BedId(id)), &input).await?))
}

/// Delete a free bed.
#[utoipa::path(delete, path = "/api/v1/admin/beds/{id}", params(("id" = i64, Path, description = "The id in the path")),
    responses((status = 200, body = Deleted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_bed(State(state): State<AppState>, _: Office, Path(id): Path<i64>) -> ApiResult<Json<Deleted>> {
    state.store.delete_bed(BedId(id)).await?;
    Ok(Json(Deleted { id }))
}

// ---- accounts ----

/// Hashes a new password on the server's bounded argon2 pool, like every sign-in.
async fn hashed(state: &AppState, password: &str) -> ApiResult<String> {
    let password = password.to_string();
    state.hashing.run(move || hash_password(&password)).await?.map_err(ApiError::Internal)
}

/// Every staff account, with its classes.
#[utoipa::path(get, path = "/api/v1/admin/accounts", responses((status = 200, body = Vec<Account>), (status = 403, body = ErrorBody)))]
async fn list_accounts(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<Account>>> {
    Ok(Json(state.store.staff_accounts().await?))
}

/// Create a staff account with its first password.
#[utoipa::path(post, path = "/api/v1/admin/accounts", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_account(State(state): State<AppState>, Office(me): Office, ApiJson(input): ApiJson<NewAccount>) -> ApiResult<Created<Account>> {
    valid(&state, &input).await?;
    let account = state.store.create_account(&input, &hashed(&state, &input.password).await?).await?;
    tracing::info!(by = %me.username, account = %account.username, role = account.role.as_str(), "account created");
    Ok(created(account))
}

/// Rename an account, change its role, disable or enable it. Disabling ends its sessions.
#[utoipa::path(put, path = "/api/v1/admin/accounts/{id}", params(("id" = i64, Path, description = "The id in the path")), request_body = AccountUpdate,
    responses((status = 200, body = Account), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_account(
    State(state): State<AppState>,
    Office(me): Office,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AccountUpdate>,
) -> ApiResult<Json<Account>> {
    valid(&state, &input).await?;
    // Nobody locks themselves out: the last office account would leave no one to undo it.
    if me.id.0 == id && (!input.active || input.role != me.role) {
        let mut e = ValidationErrors::new();
        let field = if input.active { "role" } else { "active" };
        e.add(field, "own_account", "you cannot disable your own account or change your own role");
        return Err(ApiError::Conflict { code: "own_account", message: "ask another administrator to change your own account".into(), fields: e.0 });
    }
    let account = state.store.update_account(UserId(id), &input).await?;
    tracing::info!(by = %me.username, account = %account.username, active = account.active, "account changed");
    Ok(Json(account))
}

/// Set a new password; the account's sessions end.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/password", params(("id" = i64, Path, description = "The id in the path")), request_body = PasswordReset,
    responses((status = 200, body = Account), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    Office(me): Office,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PasswordReset>,
) -> ApiResult<Json<Account>> {
    valid(&state, &input).await?;
    let account = state.store.staff_account(UserId(id)).await?;
    state.store.set_password(&account.username, &hashed(&state, &input.password).await?).await?;
    tracing::info!(by = %me.username, account = %account.username, "password reset");
    Ok(Json(account))
}

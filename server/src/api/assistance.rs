//! The office's API for assistance (帮扶, seeds 001 and 003). Office and administrators only;
//! the cases themselves travel as records through `/api/v1/sync`.
//!
//! - `POST /api/v1/assistance/results/import?term=&mode=&format=`  check or import a term's results
//! - `GET  /api/v1/assistance/results/template.xlsx` / `.csv`     the documented layout
//! - `GET  /api/v1/assistance/identification?term=`               the proposed list and the decision
//! - `POST /api/v1/assistance/identification/confirm`             the working group's decision
//! - `GET|POST /api/v1/assistance/volunteers`, `PUT …/{id}`      the volunteer register (003 六)
//! - `GET  /api/v1/assistance/volunteer-hours?term=` (`.xlsx`)    service hours for certification
//! - `GET  /api/v1/assistance/statistics?term=` (`.xlsx`)         003 七.2's semester figures

use super::import::{layout_template_csv, layout_template_xlsx, uploaded_table, FileFormat, MAX_FILE_BYTES};
use super::xlsx::{attachment, XLSX};
use crate::auth::Office;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rounds::assistance::*;
use rounds::kinds::assistance::{valid_term, VolunteerId};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assistance/results/import", post(import_results).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)))
        .route("/api/v1/assistance/results/template.xlsx", get(template_xlsx_file))
        .route("/api/v1/assistance/results/template.csv", get(template_csv_file))
        .route("/api/v1/assistance/identification", get(identification))
        .route("/api/v1/assistance/identification/confirm", post(confirm))
        .route("/api/v1/assistance/volunteers", get(volunteers).post(add_volunteer))
        .route("/api/v1/assistance/volunteers/{id}", put(update_volunteer))
        .route("/api/v1/assistance/volunteer-hours", get(volunteer_hours))
        .route("/api/v1/assistance/volunteer-hours.xlsx", get(volunteer_hours_xlsx))
        .route("/api/v1/assistance/statistics", get(statistics))
        .route("/api/v1/assistance/statistics.xlsx", get(statistics_xlsx))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TermParams {
    /// The semester, `2025-2026-2` (school year and semester).
    pub term: String,
}

fn checked_term(params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<String> {
    let Query(p) = params.map_err(|e| ApiError::BadRequest { code: "bad_query", message: format!("{}; give term=2025-2026-2", e.body_text()) })?;
    valid(p.term)
}

/// A term as the API takes it, or the field error.
fn valid(term: String) -> ApiResult<String> {
    if valid_term(&term) {
        Ok(term)
    } else {
        let mut errors = rounds::ValidationErrors::new();
        errors.add("term", "bad_term", "must name a school year and semester, e.g. 2025-2026-2");
        Err(ApiError::Invalid(errors))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ResultsImportParams {
    /// The semester the results are of, `2025-2026-2`.
    pub term: String,
    /// `check` (the default) writes nothing; `apply` only a file without errors;
    /// `apply_skipping_bad` the good rows.
    pub mode: Option<ImportMode>,
    pub format: Option<FileFormat>,
}

/// The body of a refused results import: the error shape, and the report saying why.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RefusedResultsImport {
    pub error: crate::error::ErrorDetail,
    pub report: ResultsImportReport,
}

/// Check or import a term's results (.xlsx or .csv, the raw bytes as the body): failed
/// credits, failed courses, GPA and absences per student, as 教务处 sends them.
#[utoipa::path(post, path = "/api/v1/assistance/results/import", params(ResultsImportParams), request_body(content = Vec<u8>, description = "the file's bytes"),
    responses((status = 200, body = ResultsImportReport), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = RefusedResultsImport)))]
async fn import_results(
    State(state): State<AppState>,
    Office(user): Office,
    params: Result<Query<ResultsImportParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest {
        code: "bad_query",
        message: format!("{}; give term=2025-2026-2, mode=check|apply|apply_skipping_bad and format=xlsx|csv", e.body_text()),
    })?;
    let term = valid(params.term)?;
    let mode = params.mode.unwrap_or(ImportMode::Check);
    let table = uploaded_table(params.format, &headers, body).await?;
    let students = state.store.student_numbers().await?;
    let file = tokio::task::spawn_blocking(move || read_results(&table, &students)).await.map_err(|e| ApiError::Internal(e.into()))?;
    let report = state.store.import_results(&term, &file, mode, &user).await?;
    let sheet = &report.report;
    tracing::info!(user = %user.username, term, mode = mode.as_str(), rows = sheet.rows, bad_rows = sheet.bad_rows, applied = sheet.applied, "results import");
    if mode != ImportMode::Check && !sheet.applied {
        let message = crate::api::import::refusal_message(sheet);
        let body = RefusedResultsImport { error: crate::error::ErrorDetail { code: "import_refused".into(), message, fields: None }, report };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let applied = sheet.applied;
    Ok(crate::api::audit::changed_if(applied, Json(report).into_response()))
}

fn results_note(c: ResultsColumn) -> &'static str {
    match c {
        ResultsColumn::StudentNo => "学号，须已在学生名单中 / must be in the roster",
        ResultsColumn::Name => "选填；填写时须与名单一致 / optional; checked against the roster when given",
        ResultsColumn::FailedCredits => "上学期尚未补考通过的不及格学分，0.5 的整数倍 / failed credits not yet made up, in halves",
        ResultsColumn::FailedCourses => "不及格课程门次 / failed courses",
        ResultsColumn::Gpa => "选填：全部课程平均学分绩点（0–5）/ optional: grade-point average",
        ResultsColumn::AbsenceHours => "选填：一学期累计旷课学时，留空为 0 / optional: class hours absent, empty is 0",
    }
}

/// The results template as .xlsx: the header row, an example row, and notes.
#[utoipa::path(get, path = "/api/v1/assistance/results/template.xlsx",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn template_xlsx_file(_: Office) -> ApiResult<Response> {
    let bytes = layout_template_xlsx("学业成绩", ResultsColumn::example, results_note, |_| false).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, "results-template.xlsx", "学业困难认定成绩模板.xlsx"))
}

/// The results template as .csv (UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/assistance/results/template.csv",
    responses((status = 200, content_type = "text/csv"), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn template_csv_file(_: Office) -> Response {
    attachment(layout_template_csv(ResultsColumn::example), "text/csv; charset=utf-8", "results-template.csv", "学业困难认定成绩模板.csv")
}

/// A term's list: each student the results put in difficulty, the proposed level and signs,
/// and what the working group confirmed.
#[utoipa::path(get, path = "/api/v1/assistance/identification", params(TermParams),
    responses((status = 200, body = Identification), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn identification(State(state): State<AppState>, _: Office, params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<Json<Identification>> {
    let term = checked_term(params)?;
    Ok(Json(state.store.identification(&term).await?))
}

/// The working group's decision (003 五): the standing of each student confirmed takes the level,
/// with the decision's date and basis in its history, and their academic case opens or follows.
/// A student the decision cannot take is refused alone; the rest is confirmed.
#[utoipa::path(post, path = "/api/v1/assistance/identification/confirm", request_body = IdentificationDecision,
    responses((status = 200, body = ConfirmReport), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn confirm(State(state): State<AppState>, Office(user): Office, ApiJson(decision): ApiJson<IdentificationDecision>) -> ApiResult<Json<ConfirmReport>> {
    let (_, tz) = state.store.institution().await?;
    let now = rounds::school_time::now_in(&rounds::school_time::zone(&tz));
    decision.validate(now.date_naive()).into_result().map_err(ApiError::Invalid)?;
    let roster = state.store.roster().await?;
    let report = state.store.confirm_identification(&decision, &user, &roster, now).await?;
    tracing::info!(user = %user.username, term = decision.term, confirmed = report.confirmed, opened = report.cases_opened, refused = report.refused.len(), "identification confirmed");
    Ok(Json(report))
}

/// The volunteer register.
#[utoipa::path(get, path = "/api/v1/assistance/volunteers",
    responses((status = 200, body = Vec<Volunteer>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn volunteers(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<Volunteer>>> {
    Ok(Json(state.store.volunteers().await?))
}

async fn checked_volunteer(state: &AppState, v: &Volunteer) -> ApiResult<()> {
    let (_, tz) = state.store.institution().await?;
    let today = rounds::school_time::now_in(&rounds::school_time::zone(&tz)).date_naive();
    v.validate(today).into_result().map_err(ApiError::Invalid)
}

/// Registers a volunteer (selected, and trained when given); 201 with the entry.
#[utoipa::path(post, path = "/api/v1/assistance/volunteers", request_body = Volunteer,
    responses((status = 201, body = Volunteer), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn add_volunteer(State(state): State<AppState>, _: Office, ApiJson(v): ApiJson<Volunteer>) -> ApiResult<(StatusCode, Json<Volunteer>)> {
    checked_volunteer(&state, &v).await?;
    let saved = state.store.save_volunteer(&Volunteer { id: None, ..v }).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Changes a register entry (trained, no longer active…).
#[utoipa::path(put, path = "/api/v1/assistance/volunteers/{id}", params(("id" = i64, Path, description = "The volunteer's id")), request_body = Volunteer,
    responses((status = 200, body = Volunteer), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn update_volunteer(State(state): State<AppState>, _: Office, Path(id): Path<i64>, ApiJson(v): ApiJson<Volunteer>) -> ApiResult<Json<Volunteer>> {
    checked_volunteer(&state, &v).await?;
    Ok(Json(state.store.save_volunteer(&Volunteer { id: Some(VolunteerId(id)), ..v }).await?))
}

/// The semester a term names, as days; 404 when the calendar does not hold it.
async fn term_span(state: &AppState, term: &str) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let calendar = state.store.calendar().await?.calendar;
    calendar.semester_of_term(term).map(|s| (s.start, s.end)).ok_or(ApiError::NotFound)
}

/// Each volunteer's sessions, students helped and minutes in a term (003 六 服务时数认定).
#[utoipa::path(get, path = "/api/v1/assistance/volunteer-hours", params(TermParams),
    responses((status = 200, body = Vec<VolunteerHours>), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn volunteer_hours(State(state): State<AppState>, _: Office, params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<Json<Vec<VolunteerHours>>> {
    let term = checked_term(params)?;
    let (from, to) = term_span(&state, &term).await?;
    Ok(Json(state.store.volunteer_hours(from, to).await?))
}

/// The same as an Excel sheet, for the certificates.
#[utoipa::path(get, path = "/api/v1/assistance/volunteer-hours.xlsx", params(TermParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn volunteer_hours_xlsx(State(state): State<AppState>, _: Office, params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<Response> {
    let term = checked_term(params)?;
    let (from, to) = term_span(&state, &term).await?;
    let hours = state.store.volunteer_hours(from, to).await?;
    let bytes = hours_workbook(&term, &hours).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, &format!("volunteer-hours-{term}.xlsx"), &format!("志愿服务时数-{term}.xlsx")))
}

fn hours_workbook(term: &str, hours: &[VolunteerHours]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("志愿服务时数")?;
    sheet.write_string_with_format(0, 0, format!("学业帮扶志愿服务时数认定（{term}）"), &bold)?;
    for (i, h) in ["姓名", "学号", "帮扶次数", "帮扶学生数", "服务分钟", "认定时数"].iter().enumerate() {
        sheet.write_string_with_format(1, i as u16, *h, &bold)?;
    }
    for (i, h) in hours.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, &h.name)?;
        sheet.write_string(row, 1, &h.student_no)?;
        sheet.write_number(row, 2, f64::from(h.sessions))?;
        sheet.write_number(row, 3, f64::from(h.students_helped))?;
        sheet.write_number(row, 4, f64::from(h.minutes))?;
        sheet.write_number(row, 5, h.hours())?;
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 16)?;
    workbook.save_to_buffer()
}

async fn stats_of(state: &AppState, term: &str) -> ApiResult<AssistanceStatistics> {
    let span = term_span(state, term).await.ok();
    let roster = state.store.roster().await?;
    Ok(state.store.assistance_statistics(term, span, &roster).await?)
}

/// 003 七.2: students in difficulty by level and department, the movement since the term
/// before, level actions done on time, volunteer hours, cases open and closed.
#[utoipa::path(get, path = "/api/v1/assistance/statistics", params(TermParams),
    responses((status = 200, body = AssistanceStatistics), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn statistics(State(state): State<AppState>, _: Office, params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<Json<AssistanceStatistics>> {
    let term = checked_term(params)?;
    Ok(Json(stats_of(&state, &term).await?))
}

/// The same figures as an Excel workbook, one sheet each.
#[utoipa::path(get, path = "/api/v1/assistance/statistics.xlsx", params(TermParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn statistics_xlsx(State(state): State<AppState>, _: Office, params: Result<Query<TermParams>, QueryRejection>) -> ApiResult<Response> {
    let term = checked_term(params)?;
    let stats = stats_of(&state, &term).await?;
    let bytes = statistics_workbook(&stats).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, &format!("assistance-statistics-{term}.xlsx"), &format!("学业困难学生帮扶统计-{term}.xlsx")))
}

fn level_name(level: Option<u8>) -> &'static str {
    match level {
        None => "不在名单",
        Some(0) => "未达等级",
        Some(1) => "一级",
        Some(2) => "二级",
        Some(_) => "三级",
    }
}

fn statistics_workbook(s: &AssistanceStatistics) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("按院系与等级")?;
    sheet.write_string_with_format(0, 0, format!("学业困难学生统计（{}）", s.term), &bold)?;
    for (i, h) in ["院系", "一级", "二级", "三级", "未达等级", "合计"].iter().enumerate() {
        sheet.write_string_with_format(1, i as u16, *h, &bold)?;
    }
    let rows = s.by_department.iter().map(|(d, c)| (d.as_str(), c)).chain(std::iter::once(("合计", &s.total)));
    for (i, (name, c)) in rows.enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, name)?;
        for (j, n) in [c.one, c.two, c.three, c.no_level, c.total()].into_iter().enumerate() {
            sheet.write_number(row, j as u16 + 1, f64::from(n))?;
        }
    }
    sheet.set_column_width(0, 24)?;

    let moves = workbook.add_worksheet();
    moves.set_name("等级变化")?;
    let before = s.previous_term.as_deref().unwrap_or("—");
    for (i, h) in [format!("上学期（{before}）"), format!("本学期（{}）", s.term), "人数".to_string()].iter().enumerate() {
        moves.write_string_with_format(0, i as u16, h, &bold)?;
    }
    for (i, m) in s.movement.iter().enumerate() {
        let row = i as u32 + 1;
        moves.write_string(row, 0, level_name(m.from))?;
        moves.write_string(row, 1, level_name(m.to))?;
        moves.write_number(row, 2, f64::from(m.students))?;
    }

    let work = workbook.add_worksheet();
    work.set_name("帮扶工作")?;
    let lines: [(&str, f64); 6] = [
        ("按时完成的帮扶措施", f64::from(s.actions_on_time)),
        ("应完成的帮扶措施", f64::from(s.actions_owed)),
        ("志愿服务分钟", f64::from(s.volunteer_minutes)),
        ("参与志愿者人数", f64::from(s.volunteers_active)),
        ("在帮扶档案", f64::from(s.cases_open)),
        ("已结案档案", f64::from(s.cases_closed)),
    ];
    for (i, (label, n)) in lines.iter().enumerate() {
        work.write_string(i as u32, 0, *label)?;
        work.write_number(i as u32, 1, *n)?;
    }
    work.set_column_width(0, 22)?;
    workbook.save_to_buffer()
}

/// The assistance endpoints' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        import_results,
        template_xlsx_file,
        template_csv_file,
        identification,
        confirm,
        volunteers,
        add_volunteer,
        update_volunteer,
        volunteer_hours,
        volunteer_hours_xlsx,
        statistics,
        statistics_xlsx
    ),
    components(schemas(
        ResultsImportReport,
        RefusedResultsImport,
        Identification,
        IdentificationDecision,
        ConfirmReport,
        Volunteer,
        VolunteerHours,
        AssistanceStatistics
    ))
)]
pub struct AssistanceApiDoc;

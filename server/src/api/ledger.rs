//! The issue ledger's API (问题台账, 002 四(三)). Issues and their steps travel as records through
//! `/api/v1/sync`; this is the office's view of them, its settings and its reports.
//!
//! - `GET /api/v1/ledger?status=&department_id=&category=&overdue=&from=&to=`  the queue (office)
//! - `GET /api/v1/ledger.xlsx?…`                  the same as the 台账 workbook (office)
//! - `GET /api/v1/ledger/due-days`, `PUT …`        the office's days per category (office)
//! - `GET /api/v1/ledger/contact-report?date=` (`.xlsx`)  002 四(五)'s yearly report (office)
//!
//! And for the push: [`step_refusal`], who may take a step now.

use super::xlsx::{attachment, sheet, XLSX};
use crate::auth::Office;
use crate::db::Store;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use rounds::kinds::issue::{IssueAction, IssueStatus};
use rounds::ledger::*;
use rounds::sync::PushStatus;
use rounds::{RecordBody, RecordEnvelope, UserProfile, ValidationErrors};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use std::collections::HashSet;
use utoipa::{IntoParams, OpenApi};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/ledger", get(ledger))
        .route("/api/v1/ledger.xlsx", get(ledger_xlsx))
        .route("/api/v1/ledger/due-days", get(due_days).put(set_due_days))
        .route("/api/v1/ledger/contact-report", get(contact_report))
        .route("/api/v1/ledger/contact-report.xlsx", get(contact_report_xlsx))
}

#[derive(OpenApi)]
#[openapi(
    paths(ledger, ledger_xlsx, due_days, set_due_days, contact_report, contact_report_xlsx),
    components(schemas(Ledger, LedgerEntry, LedgerStep, IssueState, IssueDueDays, CategoryDays, ContactWorkReport, ContactWorkRow))
)]
pub struct LedgerApiDoc;

/// The issues raised and the steps taken earlier in one push: a phone that assigned, resolved
/// and fed back offline sends the three together, each checked after the ones before it.
#[derive(Default)]
pub struct PushedSoFar {
    raised: HashSet<uuid::Uuid>,
    steps: std::collections::HashMap<uuid::Uuid, Vec<(uuid::Uuid, rounds::IssueStep)>>,
}

impl PushedSoFar {
    /// Notes a record of the push that passed every check.
    pub fn add(&mut self, env: &RecordEnvelope) {
        match &env.body {
            RecordBody::StudentIssue(_) => {
                self.raised.insert(env.id);
            }
            RecordBody::IssueStep(s) => self.steps.entry(s.issue_id).or_default().push((env.id, s.clone())),
            _ => {}
        }
    }
}

/// Why `user` may not push the issue step in `env` now, or `None`. A step is checked against
/// the issue as the server holds it with the push's earlier steps (or, for an issue raised in
/// the same push, as new); a step the server already has passes through, for the store to
/// answer as a replay.
pub async fn step_refusal(
    store: &Store,
    user: &UserProfile,
    env: &RecordEnvelope,
    so_far: &PushedSoFar,
) -> anyhow::Result<Option<(PushStatus, u16, ValidationErrors)>> {
    let RecordBody::IssueStep(step) = &env.body else { return Ok(None) };
    let mut errors = ValidationErrors::new();
    // The ledger's history is append-only: a correction is a new step.
    if env.revision > 1 {
        errors.add("revision", "step_final", "a step is taken once; add a note or take another step instead");
        return Ok(Some((PushStatus::Invalid, 400, errors)));
    }
    let thread = store.issue_thread(step.issue_id).await?;
    if thread.as_ref().is_some_and(|t| t.steps.iter().any(|(id, _)| *id == env.id)) {
        return Ok(None);
    }
    let earlier = so_far.steps.get(&step.issue_id).map(Vec::as_slice).unwrap_or_default();
    let (stored, raiser) = match &thread {
        Some(t) => (t.steps.as_slice(), t.raiser),
        None if so_far.raised.contains(&step.issue_id) => (&[][..], user.id),
        None => {
            errors.add("issue_id", "unknown_issue", "there is no such issue in the ledger");
            return Ok(Some((PushStatus::Invalid, 400, errors)));
        }
    };
    let state = IssueState::of(stored.iter().chain(earlier).map(|(id, s)| (id, s)));
    let actor = Actor { raiser: raiser == user.id, assignee: state.assignee_id == Some(user.id), office: user.role.sees_everything() };
    if let Err(refusal) = may_take(&state, step.action, actor) {
        errors.add("action", refusal.code, refusal.message);
        return Ok(Some((PushStatus::Forbidden, 403, errors)));
    }
    if step.action == IssueAction::Assign {
        if let Some(person) = step.assignee_id {
            if !store.is_active_account(person).await? {
                errors.add("assignee_id", "unknown_account", "is not an active account");
                return Ok(Some((PushStatus::Invalid, 400, errors)));
            }
        }
    }
    Ok(None)
}

async fn today(state: &AppState) -> ApiResult<(NaiveDate, chrono::FixedOffset)> {
    let (_, tz) = state.store.institution().await?;
    let now = rounds::school_time::now_in(&rounds::school_time::zone(&tz));
    Ok((now.date_naive(), *now.offset()))
}

async fn entries(state: &AppState, query: &LedgerQuery) -> ApiResult<Ledger> {
    let (today, zone) = today(state).await?;
    let records = state.store.ledger_records().await?;
    let roster = state.store.roster().await?;
    let names = state.store.staff_names().await?;
    let due_days = state.store.due_days().await?;
    let ctx = LedgerContext { roster: &roster, names: &names, due_days: &due_days, today, zone: &zone };
    let entries = ctx.entries(&records, query);
    Ok(Ledger { today, due_days, entries })
}

/// The ledger, newest first: every issue with its state, due date (the assignment's, or the
/// office's default for its category), whether it is overdue, and every step with who took it.
#[utoipa::path(get, path = "/api/v1/ledger", params(LedgerQuery),
    responses((status = 200, body = Ledger), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn ledger(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<LedgerQuery>) -> ApiResult<Json<Ledger>> {
    Ok(Json(entries(&state, &q).await?))
}

/// The same as the 台账 workbook: a row per issue, its steps in words.
#[utoipa::path(get, path = "/api/v1/ledger.xlsx", params(LedgerQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn ledger_xlsx(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<LedgerQuery>) -> ApiResult<Response> {
    let ledger = entries(&state, &q).await?;
    let bytes = ledger_workbook(&ledger).map_err(|e| ApiError::Internal(e.into()))?;
    let span = match (q.from, q.to) {
        (Some(f), Some(t)) => format!("{f}至{t}"),
        (Some(f), None) => format!("{f}起"),
        (None, Some(t)) => format!("至{t}"),
        (None, None) => ledger.today.to_string(),
    };
    Ok(attachment(bytes, XLSX, "issue-ledger.xlsx", &format!("问题台账-{span}.xlsx")))
}

fn status_zh(s: IssueStatus) -> &'static str {
    match s {
        IssueStatus::Open => "待分派",
        IssueStatus::Assigned => "办理中",
        IssueStatus::Resolved => "已解决待反馈",
        IssueStatus::FedBack => "已反馈待确认",
        IssueStatus::Closed => "已办结",
    }
}

fn category_zh(c: rounds::IssueCategory) -> &'static str {
    use rounds::IssueCategory::*;
    match c {
        Study => "学习",
        Life => "生活",
        Dormitory => "宿舍",
        Canteen => "食堂",
        Safety => "安全隐患",
        Finance => "资助",
        Other => "其他",
    }
}

fn action_zh(a: IssueAction) -> &'static str {
    match a {
        IssueAction::Assign => "分派",
        IssueAction::Progress => "进展",
        IssueAction::Resolve => "解决",
        IssueAction::FeedBack => "反馈",
        IssueAction::Confirm => "确认办结",
        IssueAction::Reopen => "退回重办",
    }
}

fn ledger_workbook(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let columns = [
        ("提出日期", 12.0),
        ("提出人", 10.0),
        ("院系", 14.0),
        ("对象", 20.0),
        ("类别", 8.0),
        ("问题", 40.0),
        ("状态", 12.0),
        ("承办单位", 14.0),
        ("承办人", 10.0),
        ("期限", 12.0),
        ("超期", 6.0),
        ("解决情况", 30.0),
        ("反馈", 30.0),
        ("办理经过", 60.0),
    ];
    let rows = sheet(&mut workbook, "问题台账", &columns)?;
    let wrap = Format::new().set_text_wrap();
    let red = Format::new().set_font_color(rust_xlsxwriter::Color::Red).set_bold();
    for (i, e) in ledger.entries.iter().enumerate() {
        let n = i as u32 + 1;
        rows.write_string(n, 0, e.raised_on.to_string())?;
        rows.write_string(n, 1, &e.raised_by_name)?;
        rows.write_string(n, 2, &e.department_name)?;
        rows.write_string(n, 3, &e.subject_name)?;
        rows.write_string(n, 4, category_zh(e.issue.category))?;
        rows.write_string_with_format(n, 5, &e.issue.description, &wrap)?;
        rows.write_string(n, 6, status_zh(e.state.status))?;
        rows.write_string(n, 7, &e.state.unit)?;
        rows.write_string(n, 8, &e.assignee_name)?;
        let due = if e.due_is_default { format!("{}（默认）", e.due_on) } else { e.due_on.to_string() };
        rows.write_string(n, 9, due)?;
        if e.overdue {
            rows.write_string_with_format(n, 10, "超期", &red)?;
        }
        rows.write_string_with_format(n, 11, &e.state.resolution, &wrap)?;
        rows.write_string_with_format(n, 12, &e.state.feedback, &wrap)?;
        let history: Vec<String> = e
            .steps
            .iter()
            .map(|s| {
                let what = if s.step.text.trim().is_empty() { String::new() } else { format!("：{}", s.step.text.trim()) };
                format!("{} {} {}{}", s.step.taken_at.format("%Y-%m-%d %H:%M"), s.author_name, action_zh(s.step.action), what)
            })
            .collect();
        rows.write_string_with_format(n, 13, history.join("\n"), &wrap)?;
    }
    let notes = workbook.add_worksheet();
    notes.set_name("说明")?;
    notes.write_string(
        0,
        0,
        "期限：已分派的问题以分派时确定的日期为准；未分派的按类别默认天数计算（学工部设定，002 号文件只要求“及时解决落实，做好反馈”）。",
    )?;
    for (i, d) in ledger.due_days.days.iter().enumerate() {
        notes.write_string(i as u32 + 2, 0, category_zh(d.category))?;
        notes.write_number(i as u32 + 2, 1, f64::from(d.days))?;
    }
    workbook.save_to_buffer()
}

/// The office's days per category before an issue is due; the defaults until it saves its own.
#[utoipa::path(get, path = "/api/v1/ledger/due-days",
    responses((status = 200, body = IssueDueDays), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn due_days(State(state): State<AppState>, _: Office) -> ApiResult<Json<IssueDueDays>> {
    Ok(Json(state.store.due_days().await?))
}

/// Saves the days per category (every category once, 1–365 days).
#[utoipa::path(put, path = "/api/v1/ledger/due-days", request_body = IssueDueDays,
    responses((status = 200, body = IssueDueDays), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_due_days(State(state): State<AppState>, Office(me): Office, ApiJson(days): ApiJson<IssueDueDays>) -> ApiResult<Json<IssueDueDays>> {
    days.validate().into_result().map_err(ApiError::Invalid)?;
    state.store.set_due_days(&days, me.id).await?;
    Ok(Json(days))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// Any day of the school year (default today): the year the calendar puts it in.
    pub date: Option<NaiveDate>,
}

async fn contact_report_of(state: &AppState, date: Option<NaiveDate>) -> ApiResult<ContactWorkReport> {
    let (today, zone) = today(state).await?;
    let day = date.unwrap_or(today);
    let setup = state.store.duty_setup().await?;
    let Some((year, span)) = setup.calendar.school_year_on(day) else {
        let mut errors = ValidationErrors::new();
        errors.add("date", "no_school_year", format!("the school calendar has no school year on {day}"));
        return Err(ApiError::Invalid(errors));
    };
    let mut records = state.store.ledger_records().await?;
    for kind in CONTACT_WORK_KINDS {
        records.extend(state.store.current_records_of(kind).await?);
    }
    let people = state.store.leaders_with_links().await?;
    Ok(contact_work_report(&records, &people, year, span, &zone))
}

/// 002 四(五): each leader's and teacher's year of contact work, what they recorded by kind and
/// the issues they raised and saw closed.
#[utoipa::path(get, path = "/api/v1/ledger/contact-report", params(ReportQuery),
    responses((status = 200, body = ContactWorkReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn contact_report(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Json<ContactWorkReport>> {
    Ok(Json(contact_report_of(&state, q.date).await?))
}

/// The same as a workbook.
#[utoipa::path(get, path = "/api/v1/ledger/contact-report.xlsx", params(ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn contact_report_xlsx(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Response> {
    let report = contact_report_of(&state, q.date).await?;
    let bytes = contact_workbook(&report).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, &format!("contact-work-{}.xlsx", report.school_year), &format!("领导干部和教师联系学生工作情况-{}.xlsx", report.school_year)))
}

fn kind_zh(kind: &str) -> &str {
    match kind {
        "dorm_visit" => "深入宿舍",
        "class_attendance" => "深入班级",
        "lecture_visit" => "听课",
        "branch_activity" => "党支部活动",
        "club_activity" => "社团活动",
        other => other,
    }
}

fn contact_workbook(r: &ContactWorkReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let mut columns: Vec<(&str, f64)> = vec![("姓名", 12.0), ("联系对象数", 10.0)];
    columns.extend(r.kinds.iter().map(|k| (kind_zh(k), 10.0)));
    columns.extend([("反映问题", 10.0), ("已办结", 10.0)]);
    let rows = sheet(&mut workbook, &format!("{}学年", r.school_year), &columns)?;
    for (i, row) in r.rows.iter().enumerate() {
        let n = i as u32 + 1;
        rows.write_string(n, 0, &row.name)?;
        rows.write_number(n, 1, f64::from(row.links))?;
        for (k, count) in row.records.iter().enumerate() {
            rows.write_number(n, 2 + k as u16, f64::from(*count))?;
        }
        let after = 2 + r.kinds.len() as u16;
        rows.write_number(n, after, f64::from(row.issues_raised))?;
        rows.write_number(n, after + 1, f64::from(row.issues_closed))?;
    }
    workbook.save_to_buffer()
}

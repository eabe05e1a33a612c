//! The audit log (审计日志, issue 14): who read what confidential, and who changed the roster,
//! standing, rules, accounts and links — when, and from which address.
//!
//! Three ways in, one table (`audit_log`, append-only, see `db::audit`):
//! - [`record_calls`], a layer over every route: a successful call of a route in [`LOGGED`]
//!   (every change of roster, standing, rules, accounts and links; the office's reads of
//!   archives and assistance data) is one entry, named by its method and path. One table here
//!   rather than a line in each handler, so a route cannot be half-logged.
//! - Handlers whose answer decides it: a record's history read through the API (confidential
//!   kinds only), and a pull, logged as one entry with how many confidential records and
//!   archives it carried (per record would log a counselor's whole caseload at each first sync).
//! - Phones: the record and student pages note each confidential read, offline too, and the
//!   sync uploads them here (`POST /api/v1/audit/reads`), each checked like a read through the
//!   API: a read of what the user may not see is refused alone.
//!
//! The office reads the log at `/office/audit` (`GET /api/v1/audit`, `…/audit.xlsx`); nothing
//! edits or deletes it. A student's page shows how many staff read their file this term
//! (`GET /api/v1/students/{id}/readers`).

use super::xlsx::{attachment, sheet, XLSX};
use crate::auth::Office;
use crate::auth::{ClientInfo, CurrentUser};
use crate::db::audit::{Filter, NewEntry};
use crate::db::roster::Scope;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::{FromRequestParts, MatchedPath, Path, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rounds::audit::*;
use rounds::{StudentId, Subject, UserId, UserProfile};
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use rounds::audit::AuditAction::*;

/// The routes whose successful calls are logged by [`record_calls`], by method and route.
pub const LOGGED: &[(&str, &str, AuditAction)] = &[
    ("POST", "/api/v1/admin/departments", RosterChange),
    ("PUT", "/api/v1/admin/departments/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/departments/{id}", RosterChange),
    ("POST", "/api/v1/admin/classes", RosterChange),
    ("PUT", "/api/v1/admin/classes/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/classes/{id}", RosterChange),
    ("PUT", "/api/v1/admin/classes/{id}/staff", RosterChange),
    ("POST", "/api/v1/admin/students", RosterChange),
    ("PUT", "/api/v1/admin/students/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/students/{id}", RosterChange),
    ("POST", "/api/v1/admin/buildings", RosterChange),
    ("PUT", "/api/v1/admin/buildings/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/buildings/{id}", RosterChange),
    ("POST", "/api/v1/admin/rooms", RosterChange),
    ("PUT", "/api/v1/admin/rooms/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/rooms/{id}", RosterChange),
    ("POST", "/api/v1/admin/beds", RosterChange),
    ("PUT", "/api/v1/admin/beds/{id}", RosterChange),
    ("DELETE", "/api/v1/admin/beds/{id}", RosterChange),
    ("POST", "/api/v1/roster/import", RosterChange),
    ("POST", "/api/v1/assistance/volunteers", RosterChange),
    ("PUT", "/api/v1/assistance/volunteers/{id}", RosterChange),
    ("PUT", "/api/v1/admin/students/{id}/standing", StandingChange),
    ("PUT", "/api/v1/students/{id}/archive", StandingChange),
    ("POST", "/api/v1/assistance/results/import", StandingChange),
    ("POST", "/api/v1/assistance/identification/confirm", StandingChange),
    ("PUT", "/api/v1/duties/rules", RulesChange),
    ("PUT", "/api/v1/duties/calendar", RulesChange),
    ("PUT", "/api/v1/ledger/due-days", RulesChange),
    ("POST", "/api/v1/admin/accounts", AccountChange),
    ("PUT", "/api/v1/admin/accounts/{id}", AccountChange),
    ("POST", "/api/v1/admin/accounts/{id}/password", AccountChange),
    ("PUT", "/api/v1/admin/accounts/{id}/staff-no", AccountChange),
    ("PUT", "/api/v1/admin/security", AccountChange),
    ("POST", "/api/v1/groups/clubs", LinkChange),
    ("PUT", "/api/v1/groups/clubs/{id}", LinkChange),
    ("DELETE", "/api/v1/groups/clubs/{id}", LinkChange),
    ("POST", "/api/v1/groups/branches", LinkChange),
    ("PUT", "/api/v1/groups/branches/{id}", LinkChange),
    ("DELETE", "/api/v1/groups/branches/{id}", LinkChange),
    ("POST", "/api/v1/groups/links", LinkChange),
    ("DELETE", "/api/v1/groups/links/{id}", LinkChange),
    // Reads the path alone describes: archives through the office's API (a search answers 50
    // students with their archives), standing histories, assistance data and its exports.
    ("GET", "/api/v1/admin/students", ArchiveRead),
    ("GET", "/api/v1/admin/students/{id}", ArchiveRead),
    ("GET", "/api/v1/students/{id}/standing-history", ArchiveRead),
    ("GET", "/api/v1/assistance/identification", AssistanceRead),
    ("GET", "/api/v1/assistance/statistics", AssistanceRead),
    ("GET", "/api/v1/assistance/statistics.xlsx", AssistanceRead),
    ("GET", "/api/v1/assistance/volunteer-hours", AssistanceRead),
    ("GET", "/api/v1/assistance/volunteer-hours.xlsx", AssistanceRead),
];

/// The action of a call, when its route is logged.
pub fn logged_action(method: &str, route: &str) -> Option<AuditAction> {
    LOGGED.iter().find(|(m, r, _)| *m == method && *r == route).map(|(_, _, a)| *a)
}

/// The student a path names (`/students/{id}`), so the office can filter the entry by them.
fn student_in_path(path: &str) -> Option<StudentId> {
    let mut parts = path.split('/');
    parts.by_ref().find(|p| *p == "students")?;
    parts.next()?.parse().ok().map(StudentId)
}

/// What an entry says was called: the method, the path and its query, at most 500 characters.
fn call_target(method: &str, uri: &axum::http::Uri) -> String {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or_else(|| uri.path());
    format!("{method} {path}").chars().take(500).collect()
}

/// Writes an entry; a failure to write is an error of the request (a read that cannot be
/// logged is not answered).
pub async fn log(state: &AppState, entry: NewEntry<'_>) -> ApiResult<()> {
    state.store.append_audit(&entry).await?;
    Ok(())
}

/// Put on a successful answer by a handler that changed nothing (an import's `mode=check`):
/// the layer then writes no entry of a change.
#[derive(Debug, Clone, Copy)]
pub struct NothingChanged;

/// The answer, marked [`NothingChanged`] unless `changed`.
pub fn changed_if(changed: bool, mut response: Response) -> Response {
    if !changed {
        response.extensions_mut().insert(NothingChanged);
    }
    response
}

/// The layer that logs each successful call of a route in [`LOGGED`]. Who called is read
/// before the call (a password reset may end the caller's own sessions).
pub async fn record_calls(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let action = request.extensions().get::<MatchedPath>().and_then(|m| logged_action(&method, m.as_str()));
    let Some(action) = action else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let user = CurrentUser::from_request_parts(&mut parts, &state).await.ok().map(|u| u.0);
    let client = ClientInfo::of(&parts, &state.config);
    let target = call_target(&method, &parts.uri);
    let student_id = student_in_path(parts.uri.path());
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status().is_success() && response.extensions().get::<NothingChanged>().is_none() {
        let mut entry = NewEntry::now(user.as_ref(), &client.address, action, target);
        entry.student_id = student_id;
        // The change is made; the entry must not be lost quietly if it cannot be written.
        if let Err(e) = state.store.append_audit(&entry).await {
            tracing::error!(error = ?e, action = action.as_str(), "cannot write the audit log");
        }
    }
    response
}

/// The student a record is about, if one.
pub fn student_of(subject: Subject) -> Option<StudentId> {
    match subject {
        Subject::Student(s) => Some(s),
        _ => None,
    }
}

/// A pull's entry: how many confidential records and archives it sent the phone, when any.
pub async fn log_pull(
    state: &AppState,
    user: &UserProfile,
    client: &ClientInfo,
    records: &[rounds::sync::StoredRecord],
    roster: Option<&rounds::RosterSnapshot>,
) -> ApiResult<()> {
    let confidential = records.iter().filter(|r| is_confidential(r.record.body.kind())).count();
    let archives = roster.map(|r| r.students.iter().filter(|s| s.archive.is_some()).count()).unwrap_or(0);
    if confidential + archives == 0 {
        return Ok(());
    }
    let mut entry =
        NewEntry::now(Some(user), &client.address, PullRead, format!("GET /api/v1/sync/pull: {confidential} confidential records, {archives} archives"));
    entry.item_count = Some((confidential + archives) as i64);
    log(state, entry).await
}

/// A record's history read through the API: an entry when the record is of a confidential kind.
pub async fn log_history_read(
    state: &AppState,
    user: &UserProfile,
    client: &ClientInfo,
    id: uuid::Uuid,
    revisions: &[rounds::sync::RecordRevision],
) -> ApiResult<()> {
    let Some(latest) = revisions.last() else { return Ok(()) };
    let body = &latest.record.body;
    if !is_confidential(body.kind()) {
        return Ok(());
    }
    let mut entry = NewEntry::now(Some(user), &client.address, RecordRead, format!("GET /api/v1/records/{id}/revisions ({})", body.kind()));
    entry.record_id = Some(id);
    entry.student_id = student_of(body.subject());
    log(state, entry).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit", get(entries))
        .route("/api/v1/audit.xlsx", get(export))
        .route("/api/v1/audit/reads", post(upload_reads))
        .route("/api/v1/students/{id}/readers", get(readers))
}

#[derive(OpenApi)]
#[openapi(
    paths(entries, export, upload_reads, readers),
    components(schemas(AuditEntry, AuditPage, AuditAction, AuditVia, PhoneRead, ReadTarget, ReadsUpload, ReadsAnswer, ReadResult, ReadStatus, FileReaders))
)]
pub struct AuditApiDoc;

/// The office's filter of the log.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only entries about this student.
    pub student_id: Option<i64>,
    /// Only what this staff member did.
    pub user_id: Option<i64>,
    /// Only this kind of entry (`record_read`, `roster_change`, …).
    pub action: Option<String>,
    /// From this day (in the school's zone), inclusive.
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub from: Option<NaiveDate>,
    /// Through this day, inclusive.
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub to: Option<NaiveDate>,
    /// How many entries to skip (pages of 200).
    #[serde(default)]
    pub offset: u32,
}

/// Midnight at the start of `day` in the school's zone.
fn day_start(zone: &chrono_tz::Tz, day: NaiveDate) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc))
}

async fn filter_of(state: &AppState, q: &AuditQuery) -> ApiResult<Filter> {
    let action = match q.action.as_deref().filter(|a| !a.is_empty()) {
        Some(name) => {
            Some(AuditAction::parse(name).ok_or_else(|| ApiError::BadRequest { code: "bad_query", message: format!("'{name}' is not an audit action") })?)
        }
        None => None,
    };
    let (_, tz) = state.store.institution().await?;
    let zone = rounds::school_time::zone(&tz);
    Ok(Filter {
        student_id: q.student_id.map(StudentId),
        actor_id: q.user_id.map(UserId),
        action,
        from: q.from.and_then(|d| day_start(&zone, d)),
        until: q.to.and_then(|d| d.succ_opt()).and_then(|d| day_start(&zone, d)),
    })
}

/// The log, newest first, 200 entries a page, filtered by student, staff member, kind and days.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn entries(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Json<AuditPage>> {
    let filter = filter_of(&state, &q).await?;
    let offset = i64::from(q.offset);
    let (entries, total) = state.store.audit_entries(&filter, offset, AUDIT_PAGE).await?;
    Ok(Json(AuditPage { entries, total, offset }))
}

/// The same entries as a workbook (at most 100,000, newest first). The export is itself logged.
#[utoipa::path(get, path = "/api/v1/audit.xlsx", params(AuditQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn export(State(state): State<AppState>, Office(me): Office, client: ClientInfo, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Response> {
    let filter = filter_of(&state, &q).await?;
    let (entries, total) = state.store.audit_entries(&filter, 0, AUDIT_EXPORT_MAX).await?;
    let (_, tz) = state.store.institution().await?;
    let zone = rounds::school_time::zone(&tz);
    let bytes = workbook(&entries, &zone).map_err(|e| ApiError::Internal(e.into()))?;
    let mut entry = NewEntry::now(Some(&me), &client.address, AuditExport, format!("GET /api/v1/audit.xlsx{}", query_text(&q)));
    entry.item_count = Some(total.min(AUDIT_EXPORT_MAX));
    entry.student_id = filter.student_id;
    log(&state, entry).await?;
    let today = rounds::school_time::now_in(&zone).date_naive();
    Ok(attachment(bytes, XLSX, &format!("audit-log-{today}.xlsx"), &format!("审计日志-{today}.xlsx")))
}

/// The filter as a query string again, for the export's own entry.
fn query_text(q: &AuditQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = q.student_id {
        parts.push(format!("student_id={s}"));
    }
    if let Some(u) = q.user_id {
        parts.push(format!("user_id={u}"));
    }
    if let Some(a) = q.action.as_deref().and_then(AuditAction::parse) {
        parts.push(format!("action={}", a.as_str()));
    }
    if let Some(f) = q.from {
        parts.push(format!("from={f}"));
    }
    if let Some(t) = q.to {
        parts.push(format!("to={t}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn workbook(entries: &[AuditEntry], zone: &chrono_tz::Tz) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let columns = [
        ("时间", 18.0),
        ("教职工", 22.0),
        ("操作", 18.0),
        ("学生", 18.0),
        ("内容", 48.0),
        ("记录", 38.0),
        ("条数", 8.0),
        ("地址", 16.0),
        ("来源", 8.0),
        ("入档时间", 18.0),
    ];
    let sheet = sheet(&mut workbook, "审计日志", &columns)?;
    let when = |t: &DateTime<Utc>| t.with_timezone(zone).format("%Y-%m-%d %H:%M:%S").to_string();
    for (r, e) in entries.iter().enumerate() {
        let r = r as u32 + 1;
        let via = match e.via {
            AuditVia::Server => "服务器",
            AuditVia::Phone => "手机",
        };
        let texts = [
            when(&e.at),
            e.actor_name.clone(),
            e.action.zh().to_string(),
            e.student.clone(),
            e.target.clone(),
            e.record_id.map(|r| r.to_string()).unwrap_or_default(),
            e.item_count.map(|n| n.to_string()).unwrap_or_default(),
            e.address.clone(),
            via.to_string(),
            when(&e.logged_at),
        ];
        for (c, text) in texts.iter().enumerate() {
            sheet.write_string(r, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

/// Reads a phone made (offline perhaps), sent with its sync. Each is checked alone: the record
/// must be a confidential one the user may see, the archive one of the user's students, the
/// time plausible; what passes is written once however often it is sent (by its id).
#[utoipa::path(post, path = "/api/v1/audit/reads", request_body = ReadsUpload,
    responses((status = 200, body = ReadsAnswer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
async fn upload_reads(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: ClientInfo,
    ApiJson(upload): ApiJson<ReadsUpload>,
) -> ApiResult<Json<ReadsAnswer>> {
    if upload.reads.len() > MAX_READS_BATCH {
        return Err(ApiError::PayloadTooLarge(format!("{} reads in one upload; send at most {MAX_READS_BATCH} at a time", upload.reads.len())));
    }
    let full = state.store.roster().await?;
    let scope = state.store.scope(&user, &full).await?;
    let now = Utc::now();
    let mut results = Vec::with_capacity(upload.reads.len());
    for read in &upload.reads {
        let status = phone_read(&state, &user, &client, (&full, &scope), read, now).await?;
        results.push(ReadResult { id: read.id, status });
    }
    let written = results.iter().filter(|r| r.status == ReadStatus::Accepted).count();
    tracing::info!(user = %user.username, received = results.len(), written, "phone reads");
    Ok(Json(ReadsAnswer { results }))
}

async fn phone_read(
    state: &AppState,
    user: &UserProfile,
    client: &ClientInfo,
    (roster, scope): (&rounds::RosterSnapshot, &Scope),
    read: &PhoneRead,
    now: DateTime<Utc>,
) -> ApiResult<ReadStatus> {
    if !read_time_plausible(read.read_at, now) {
        return Ok(ReadStatus::Invalid);
    }
    let (action, student_id, record_id, target) = match (read.target, read.record_id, read.student_id) {
        (ReadTarget::Record, Some(record), _) => match state.store.visible_record(scope, record).await? {
            Some((kind, student)) if is_confidential(&kind) => (RecordRead, student, Some(record), kind),
            Some(_) => return Ok(ReadStatus::Invalid),
            // Another's record, or none: the same answer, which tells nothing of it.
            None if state.store.record_exists(record).await? => return Ok(ReadStatus::Forbidden),
            None => return Ok(ReadStatus::Invalid),
        },
        (ReadTarget::Archive, _, Some(student)) if roster.student(student).is_none() => return Ok(ReadStatus::Invalid),
        (ReadTarget::Archive, _, Some(student)) if scope.sees_archive(student) => (ArchiveRead, Some(student), None, "archive".to_string()),
        (ReadTarget::Archive, _, Some(_)) => return Ok(ReadStatus::Forbidden),
        _ => return Ok(ReadStatus::Invalid),
    };
    let entry = NewEntry {
        at: read.read_at.with_timezone(&Utc),
        actor: Some(user),
        address: &client.address,
        action,
        via: AuditVia::Phone,
        target,
        student_id,
        record_id,
        item_count: None,
        client_id: Some(read.id),
    };
    Ok(if state.store.append_audit(&entry).await? { ReadStatus::Accepted } else { ReadStatus::Duplicate })
}

/// How many staff read the student's file (the archive, or a confidential record about them)
/// this term, on a phone or through the API. For the staff who see the student's archive and the
/// office; others get 403, whether or not the student exists.
#[utoipa::path(get, path = "/api/v1/students/{id}/readers", params(("id" = i64, Path, description = "The student's id")),
    responses((status = 200, body = FileReaders), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn readers(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(id): Path<i64>) -> ApiResult<Json<FileReaders>> {
    let student = StudentId(id);
    let full = state.store.roster().await?;
    let scope = state.store.scope(&user, &full).await?;
    if !scope.sees_archive(student) {
        return Err(ApiError::Forbidden("only the office and the staff of the student's class may see who read the file".into()));
    }
    if full.student(student).is_none() {
        return Err(ApiError::NotFound);
    }
    let setup = state.store.duty_setup().await?;
    let zone = rounds::school_time::zone(&setup.calendar.time_zone);
    let today = rounds::school_time::now_in(&zone).date_naive();
    let since = term_start(&setup.calendar, today);
    let from = day_start(&zone, since).unwrap_or_else(Utc::now);
    Ok(Json(FileReaders { student_id: student, since, staff: state.store.file_readers(student, from).await? }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_student_of_a_path_is_found() {
        assert_eq!(student_in_path("/api/v1/admin/students/42"), Some(StudentId(42)));
        assert_eq!(student_in_path("/api/v1/students/7/archive"), Some(StudentId(7)));
        assert_eq!(student_in_path("/api/v1/admin/students"), None);
        assert_eq!(student_in_path("/api/v1/admin/classes/3"), None);
        assert_eq!(student_in_path("/api/v1/students/x/archive"), None);
    }

    #[test]
    fn every_logged_route_is_served_and_documented() {
        let doc = crate::api::openapi_document();
        for (method, route, _) in LOGGED {
            let item = doc.paths.paths.get(*route).unwrap_or_else(|| panic!("{route} is not in the API"));
            let op = match *method {
                "GET" => &item.get,
                "POST" => &item.post,
                "PUT" => &item.put,
                "DELETE" => &item.delete,
                _ => &None,
            };
            assert!(op.is_some(), "{method} {route} is not in the API");
        }
    }

    #[test]
    fn every_change_of_the_office_is_logged() {
        // Each write of the management areas: a new one must be given an action here.
        let doc = crate::api::openapi_document();
        let areas = ["/api/v1/admin/", "/api/v1/roster/", "/api/v1/groups", "/api/v1/duties/rules", "/api/v1/duties/calendar", "/api/v1/ledger/due-days"];
        let mut missing = Vec::new();
        for (path, item) in &doc.paths.paths {
            if !areas.iter().any(|a| path.starts_with(a)) {
                continue;
            }
            for (method, op) in [("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete)] {
                if op.is_some() && logged_action(method, path).is_none() {
                    missing.push(format!("{method} {path}"));
                }
            }
        }
        assert!(missing.is_empty(), "changes not logged: {missing:?}");
    }

    #[test]
    fn a_call_is_named_with_its_query_and_cut_short() {
        let uri: axum::http::Uri = "/api/v1/admin/students?q=%E7%8E%8B&offset=50".parse().expect("uri");
        assert_eq!(call_target("GET", &uri), "GET /api/v1/admin/students?q=%E7%8E%8B&offset=50");
        let long: axum::http::Uri = format!("/api/v1/admin/students?q={}", "a".repeat(1000)).parse().expect("uri");
        assert_eq!(call_target("GET", &long).chars().count(), 500);
    }
}

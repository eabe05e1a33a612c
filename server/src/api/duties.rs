//! The duty rules engine over HTTP (issue 4). The office edits the rules and the calendar, each
//! save a new version made from the version the editor started with; everyone reads them (and
//! the phone gets them with every pull); the server computes duties with the same engine as the
//! phone; the office sees compliance, the duties behind each number, and a workbook of it all.
//!
//! - `GET /api/v1/duties/rules`                      the current `RuleSet` (anyone signed in)
//! - `PUT /api/v1/duties/rules`                      `RulesEdit` → the new `RuleSet` (office; 422, 409)
//! - `GET /api/v1/duties/rules/versions`             `[SavedVersion]`, newest first (office)
//! - `GET /api/v1/duties/rules/versions/{version}`   one stored `RuleSet` (office)
//! - `GET /api/v1/duties/calendar`                   `CalendarVersion` (anyone signed in)
//! - `PUT /api/v1/duties/calendar`                   `CalendarEdit` → `CalendarVersion` (office; 422, 409)
//! - `GET /api/v1/duties/calendar/versions`          `[SavedVersion]` (office)
//! - `GET /api/v1/duties/mine?date=`                 the signed-in user's `[DutyRow]`
//! - `GET /api/v1/duties/summary?semester=`          the signed-in user's `SemesterSummary`
//! - `GET /api/v1/duties/summary.xlsx?semester=`     the same as a workbook
//! - `GET /api/v1/duties/reports?semester=`          the submitted `[SubmittedReport]` (office)
//! - `GET /api/v1/duties/reports.xlsx?semester=`     the same as one workbook (office)
//! - `GET /api/v1/compliance?date=&department=&weekly=`                  `ComplianceReport` (office)
//! - `GET /api/v1/compliance/duties?rule=&owner=&department=&status=&date=`  `[DutyRow]` (office)
//! - `GET /api/v1/compliance.xlsx?date=&department=`                     the report as a workbook (office)

use super::xlsx::{attachment, sheet, XLSX};
use crate::auth::CurrentUser;
use crate::auth::Office;
use crate::db::duties::SetupPart;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use rounds::duties::engine::sort_by_urgency;
use rounds::duties::summary::{Coverage, IssueCounts, KindCount, RuleOutcome, SubmittedReport};
use rounds::duties::*;
use rounds::groups::LinkTarget;
use rounds::{ClassId, DepartmentId, RosterSnapshot, UserId, UserProfile};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/duties/rules", get(rules).put(save_rules))
        .route("/api/v1/duties/rules/versions", get(rule_versions))
        .route("/api/v1/duties/rules/versions/{version}", get(rule_version))
        .route("/api/v1/duties/calendar", get(calendar).put(save_calendar))
        .route("/api/v1/duties/calendar/versions", get(calendar_versions))
        .route("/api/v1/duties/mine", get(mine))
        .route("/api/v1/duties/summary", get(summary))
        .route("/api/v1/duties/summary.xlsx", get(summary_xlsx))
        .route("/api/v1/duties/reports", get(reports))
        .route("/api/v1/duties/reports.xlsx", get(reports_xlsx))
        .route("/api/v1/compliance", get(compliance))
        .route("/api/v1/compliance/duties", get(compliance_duties))
        .route("/api/v1/compliance.xlsx", get(compliance_xlsx))
}

/// The duty endpoints' part of the OpenAPI document (merged into `ApiDoc`).
#[derive(OpenApi)]
#[openapi(
    paths(
        rules,
        save_rules,
        rule_versions,
        rule_version,
        calendar,
        save_calendar,
        calendar_versions,
        mine,
        summary,
        summary_xlsx,
        reports,
        reports_xlsx,
        compliance,
        compliance_duties,
        compliance_xlsx,
    ),
    components(schemas(
        RuleSet,
        Rule,
        RuleScope,
        Period,
        StudentFilter,
        StandingEvent,
        RulesEdit,
        SavedVersion,
        SchoolCalendar,
        Semester,
        Holiday,
        CalendarVersion,
        CalendarEdit,
        DutySetup,
        Duty,
        DutyRow,
        DutyStatus,
        DateSpan,
        ComplianceReport,
        ComplianceRow,
        WeekPoint,
        Tally,
        SemesterSummary,
        KindCount,
        Coverage,
        RuleOutcome,
        IssueCounts,
        SubmittedReport,
        ErrorBody,
    ))
)]
pub struct DutiesApiDoc;

/// The school's zone, from the calendar (which takes it from the institution).
fn zone_of(setup: &DutySetup) -> chrono_tz::Tz {
    rounds::school_time::zone(&setup.calendar.time_zone)
}

fn today_in(zone: &chrono_tz::Tz) -> NaiveDate {
    rounds::school_time::now_in(zone).date_naive()
}

/// Reads everyone's facts once, in the background, so the office's first compliance report
/// after a start waits for the records changed since, not for a year of them.
pub fn warm_fact_cache(store: crate::db::Store) {
    tokio::spawn(async move {
        let read = async {
            let setup = store.duty_setup().await?;
            let zone = zone_of(&setup);
            store.institution_facts(&setup.counted_kinds(), setup.facts_since(today_in(&zone)), zone).await
        };
        if let Err(e) = read.await {
            tracing::warn!("could not read the duty facts ahead of the first report: {e:#}");
        }
    });
}

/// The engine takes a few hundred milliseconds on a large school: off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(e.into()))
}

// ---- the rules and the calendar ----

/// The current duty rules.
#[utoipa::path(get, path = "/api/v1/duties/rules", responses((status = 200, body = RuleSet), (status = 401, body = ErrorBody)))]
async fn rules(State(state): State<AppState>, CurrentUser(_): CurrentUser) -> ApiResult<Json<RuleSet>> {
    Ok(Json(state.store.rule_set().await?))
}

/// Save the rules as a new version. Refused with 422 and every field at fault when a rule could
/// never be met, and with 409 when another version was saved since `base_version`.
#[utoipa::path(put, path = "/api/v1/duties/rules", request_body = RulesEdit,
    responses((status = 200, body = RuleSet), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_rules(State(state): State<AppState>, Office(me): Office, ApiJson(edit): ApiJson<RulesEdit>) -> ApiResult<Json<RuleSet>> {
    edit.validate().into_result().map_err(ApiError::Unprocessable)?;
    let saved = state.store.save_rules(edit.base_version, &edit.rules, Some(me.id)).await?;
    tracing::info!(by = %me.username, version = saved.version, rules = saved.rules.len(), "duty rules saved");
    Ok(Json(saved))
}

/// Every saved version of the rules, newest first: who saved it and when.
#[utoipa::path(get, path = "/api/v1/duties/rules/versions", responses((status = 200, body = Vec<SavedVersion>), (status = 403, body = ErrorBody)))]
async fn rule_versions(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<SavedVersion>>> {
    Ok(Json(state.store.setup_versions(SetupPart::Rules).await?))
}

/// The rules as one earlier version had them.
#[utoipa::path(get, path = "/api/v1/duties/rules/versions/{version}", params(("version" = u32, Path, description = "A saved version")),
    responses((status = 200, body = RuleSet), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rule_version(State(state): State<AppState>, _: Office, Path(version): Path<u32>) -> ApiResult<Json<RuleSet>> {
    Ok(Json(state.store.rule_set_version(version).await?.ok_or(ApiError::NotFound)?))
}

/// The semester calendar, in the institution's time zone.
#[utoipa::path(get, path = "/api/v1/duties/calendar", responses((status = 200, body = CalendarVersion), (status = 401, body = ErrorBody)))]
async fn calendar(State(state): State<AppState>, CurrentUser(_): CurrentUser) -> ApiResult<Json<CalendarVersion>> {
    Ok(Json(state.store.calendar().await?))
}

/// Save the calendar as a new version; its time zone becomes the institution's. 422 for
/// overlapping semesters, holidays outside them or an unknown zone; 409 for a stale base.
#[utoipa::path(put, path = "/api/v1/duties/calendar", request_body = CalendarEdit,
    responses((status = 200, body = CalendarVersion), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_calendar(State(state): State<AppState>, Office(me): Office, ApiJson(edit): ApiJson<CalendarEdit>) -> ApiResult<Json<CalendarVersion>> {
    edit.validate().into_result().map_err(ApiError::Unprocessable)?;
    let saved = state.store.save_calendar(edit.base_version, &edit.calendar, Some(me.id)).await?;
    tracing::info!(by = %me.username, version = saved.version, semesters = saved.calendar.semesters.len(), "calendar saved");
    Ok(Json(saved))
}

/// Every saved version of the calendar, newest first.
#[utoipa::path(get, path = "/api/v1/duties/calendar/versions", responses((status = 200, body = Vec<SavedVersion>), (status = 403, body = ErrorBody)))]
async fn calendar_versions(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<SavedVersion>>> {
    Ok(Json(state.store.setup_versions(SetupPart::Calendar).await?))
}

// ---- one person's duties and semester ----

#[derive(Debug, Deserialize, IntoParams)]
pub struct OnDate {
    /// The school day (`YYYY-MM-DD`); today in the school's zone when absent. Years 1970 to 9999 (400 otherwise).
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub date: Option<NaiveDate>,
}

/// What the signed-in user owes on a day, most urgent first: the same engine the phone runs
/// offline, here over the server's records.
#[utoipa::path(get, path = "/api/v1/duties/mine", params(OnDate), responses((status = 200, body = Vec<DutyRow>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn mine(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiQuery(q): ApiQuery<OnDate>) -> ApiResult<Json<Vec<DutyRow>>> {
    let setup = state.store.duty_setup().await?;
    let zone = zone_of(&setup);
    let date = q.date.unwrap_or_else(|| today_in(&zone));
    let owner = state.store.duty_owner(&user).await?;
    let roster = state.store.roster().await?;
    let facts = state.store.duty_facts(&setup.counted_kinds(), setup.facts_since(date), Some(user.id), &zone).await?;
    let rows = blocking(move || {
        let engine = DutyEngine::new(&setup.rules.rules, &setup.calendar, &roster, facts);
        let labels = SubjectLabels::new(&roster);
        engine.duties_of(&owner, date).into_iter().map(|d| DutyRow::new(d, &user.display_name, &labels, &setup.rules)).collect()
    })
    .await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SummaryQuery {
    /// A semester's name as the calendar has it; by default the current one, or else the last
    /// one that has begun.
    pub semester: Option<String>,
}

/// The semester the summary is about.
fn chosen_semester(calendar: &SchoolCalendar, name: Option<&str>, today: NaiveDate) -> ApiResult<Semester> {
    let found = match name {
        Some(name) => calendar.semesters.iter().find(|s| s.name == name),
        None => calendar.semester_on(today).or_else(|| calendar.semesters.iter().filter(|s| s.start <= today).max_by_key(|s| s.start)),
    };
    found.cloned().ok_or_else(|| {
        let known: Vec<&str> = calendar.semesters.iter().map(|s| s.name.as_str()).collect();
        let message = match name {
            Some(name) => format!("the calendar has no semester called '{name}'; it has {known:?}"),
            None => "no semester of the calendar has begun; the office sets the semesters".to_string(),
        };
        ApiError::BadRequest { code: "unknown_semester", message }
    })
}

async fn summary_of(state: &AppState, user: &UserProfile, semester: Option<&str>) -> ApiResult<SemesterSummary> {
    let setup = state.store.duty_setup().await?;
    let zone = zone_of(&setup);
    let today = today_in(&zone);
    let semester = chosen_semester(&setup.calendar, semester, today)?;
    let as_of = today.clamp(semester.start, semester.end);
    let mut records = state.store.authored_records(user.id, setup.facts_since(as_of)).await?;
    records.extend(state.store.steps_on_issues_of(user.id).await?);
    let roster = state.store.roster().await?;
    let owner = state.store.duty_owner(user).await?;
    blocking(move || semester_summary(&records, &roster, &setup, &owner, &semester, today, &zone)).await
}

/// The signed-in user's semester work summary (学期工作总结): records by kind, talk and
/// parent-contact coverage, how each rule stood at the semester's end (or today), issues.
#[utoipa::path(get, path = "/api/v1/duties/summary", params(SummaryQuery),
    responses((status = 200, body = SemesterSummary), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn summary(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiQuery(q): ApiQuery<SummaryQuery>) -> ApiResult<Json<SemesterSummary>> {
    Ok(Json(summary_of(&state, &user, q.semester.as_deref()).await?))
}

/// The semester work summary as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/duties/summary.xlsx", params(SummaryQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn summary_xlsx(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiQuery(q): ApiQuery<SummaryQuery>) -> ApiResult<Response> {
    let summary = summary_of(&state, &user, q.semester.as_deref()).await?;
    let bytes = summary_workbook(&summary, &user.display_name).map_err(|e| ApiError::Internal(e.into()))?;
    let name = format!("学期工作总结-{}-{}.xlsx", user.display_name, summary.semester);
    Ok(attachment(bytes, XLSX, "semester-summary.xlsx", &name))
}

/// Every semester work report submitted for a semester, with each author's figures.
async fn reports_of(state: &AppState, semester: Option<&str>) -> ApiResult<(String, Vec<SubmittedReport>)> {
    let setup = state.store.duty_setup().await?;
    let chosen = chosen_semester(&setup.calendar, semester, today_in(&zone_of(&setup)))?;
    let people: std::collections::HashMap<rounds::UserId, UserProfile> =
        state.store.duty_owners().await?.into_iter().map(|(user, _)| (user.id, user)).collect();
    let mut latest: std::collections::BTreeMap<rounds::UserId, rounds::RecordEnvelope> = Default::default();
    for env in state.store.current_records_of("work_report").await? {
        let rounds::RecordBody::WorkReport(w) = &env.body else { continue };
        let newer = latest.get(&env.author_id).is_none_or(|held| held.saved_at < env.saved_at);
        if w.semester == chosen.name && newer {
            latest.insert(env.author_id, env);
        }
    }
    let mut out = Vec::new();
    for (author, env) in latest {
        let (Some(user), rounds::RecordBody::WorkReport(w)) = (people.get(&author), env.body) else { continue };
        let summary = summary_of(state, user, Some(&chosen.name)).await?;
        out.push(SubmittedReport { author: user.display_name.clone(), role: user.role, submitted_at: w.submitted_at, text: w.text, summary });
    }
    out.sort_by(|a, b| (a.role.as_str(), &a.author).cmp(&(b.role.as_str(), &b.author)));
    Ok((chosen.name, out))
}

/// The semester work reports submitted to the office (000 八(二)), with each author's figures;
/// the office and administrators only.
#[utoipa::path(get, path = "/api/v1/duties/reports", params(SummaryQuery),
    responses((status = 200, body = Vec<SubmittedReport>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn reports(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<SummaryQuery>) -> ApiResult<Json<Vec<SubmittedReport>>> {
    Ok(Json(reports_of(&state, q.semester.as_deref()).await?.1))
}

/// The same as one workbook: a row per report with its figures and text.
#[utoipa::path(get, path = "/api/v1/duties/reports.xlsx", params(SummaryQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn reports_xlsx(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<SummaryQuery>) -> ApiResult<Response> {
    let (semester, reports) = reports_of(&state, q.semester.as_deref()).await?;
    let bytes = reports_workbook(&reports).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, "semester-reports.xlsx", &format!("学期工作总结汇总-{semester}.xlsx")))
}

fn reports_workbook(reports: &[SubmittedReport]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let columns = [
        ("姓名", 12.0),
        ("角色", 10.0),
        ("提交时间", 18.0),
        ("记录总数", 10.0),
        ("谈心谈话覆盖", 12.0),
        ("达标规则", 10.0),
        ("未达标规则", 10.0),
        ("总结", 80.0),
    ];
    let rows = sheet(&mut workbook, "学期工作总结", &columns)?;
    let wrap = Format::new().set_text_wrap();
    for (i, r) in reports.iter().enumerate() {
        let n = i as u32 + 1;
        let s = &r.summary;
        rows.write_string(n, 0, &r.author)?;
        rows.write_string(n, 1, r.role.as_str())?;
        rows.write_string(n, 2, r.submitted_at.format("%Y-%m-%d %H:%M").to_string())?;
        rows.write_number(n, 3, f64::from(s.total_records))?;
        rows.write_string(n, 4, format!("{}/{}", s.talks.covered, s.talks.students))?;
        rows.write_number(n, 5, f64::from(s.rules_met))?;
        rows.write_number(n, 6, f64::from(s.rules_not_met))?;
        rows.write_string_with_format(n, 7, &r.text, &wrap)?;
    }
    workbook.save_to_buffer()
}

// ---- the office's compliance ----

/// The department a person's duties count for: their first class's, or for a leader the first
/// linked class's, club's or branch's.
fn department_of(owner: &rounds::duties::Owner, roster: &RosterSnapshot) -> Option<DepartmentId> {
    let of_class = |c: ClassId| roster.class(c).map(|c| c.department_id);
    owner.classes.iter().find_map(|c| of_class(*c)).or_else(|| {
        owner.links.iter().find_map(|t| match *t {
            LinkTarget::Class(c) => of_class(c),
            LinkTarget::Club(c) => roster.club(c).and_then(|c| c.department_id),
            LinkTarget::Branch(b) => roster.branch(b).and_then(|b| b.department_id),
            LinkTarget::Room(_) => None,
        })
    })
}

/// Everything the engine needs for the institution (or one department) on one day.
struct Institution {
    date: NaiveDate,
    setup: DutySetup,
    roster: std::sync::Arc<RosterSnapshot>,
    people: Vec<OwnerInfo>,
    facts: Vec<Fact>,
}

impl Institution {
    async fn load(state: &AppState, date: Option<NaiveDate>, department: Option<DepartmentId>) -> ApiResult<Institution> {
        let setup = state.store.duty_setup().await?;
        let zone = zone_of(&setup);
        let date = date.unwrap_or_else(|| today_in(&zone));
        let roster = state.store.roster().await?;
        let people: Vec<OwnerInfo> = state
            .store
            .duty_owners()
            .await?
            .into_iter()
            .map(|(user, owner)| OwnerInfo { department: department_of(&owner, &roster), name: user.display_name, owner })
            .filter(|p| department.is_none_or(|d| p.department == Some(d)))
            .collect();
        let facts = state.store.institution_facts(&setup.counted_kinds(), setup.facts_since(date), zone).await?;
        Ok(Institution { date, setup, roster, people, facts })
    }

    /// Runs `work` with the engine over everything loaded, off the async workers.
    async fn with_engine<T: Send + 'static>(mut self, work: impl FnOnce(&Institution, &DutyEngine) -> T + Send + 'static) -> ApiResult<T> {
        blocking(move || {
            let facts = std::mem::take(&mut self.facts);
            let engine = DutyEngine::new(&self.setup.rules.rules, &self.setup.calendar, &self.roster, facts);
            work(&self, &engine)
        })
        .await
    }

    fn owners(&self) -> Vec<rounds::duties::Owner> {
        self.people.iter().map(|p| p.owner.clone()).collect()
    }

    fn report(&self, engine: &DutyEngine, weekly: bool) -> (ComplianceReport, Vec<Duty>) {
        let owners = self.owners();
        let duties = engine.duties_of_all(&owners, self.date);
        let mut report = ComplianceReport::build(self.date, &self.setup, &duties, &self.people, &self.roster.departments);
        if let Some(semester) = self.setup.calendar.semester_on(self.date).filter(|_| weekly) {
            report.weekly = WeekPoint::series(engine, &owners, semester, self.date);
        }
        (report, duties)
    }

    /// Duties as rows for people, most urgent first.
    fn rows(&self, mut duties: Vec<Duty>) -> Vec<DutyRow> {
        sort_by_urgency(&mut duties);
        let labels = SubjectLabels::new(&self.roster);
        let names: std::collections::HashMap<UserId, &str> = self.people.iter().map(|p| (p.owner.user, p.name.as_str())).collect();
        duties
            .into_iter()
            .map(|d| {
                let name = names.get(&d.owner).copied().unwrap_or_default();
                DutyRow::new(d, name, &labels, &self.setup.rules)
            })
            .collect()
    }

    /// Each person's department name, looked up once for a whole workbook.
    fn department_names(&self) -> std::collections::HashMap<UserId, String> {
        let names: std::collections::HashMap<DepartmentId, &str> = self.roster.departments.iter().map(|d| (d.id, d.name.as_str())).collect();
        self.people.iter().map(|p| (p.owner.user, p.department.and_then(|d| names.get(&d)).map_or_else(String::new, |n| n.to_string()))).collect()
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ComplianceQuery {
    /// The school day (`YYYY-MM-DD`); today in the school's zone when absent. Years 1970 to 9999 (400 otherwise).
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub date: Option<NaiveDate>,
    /// Only the people of this department.
    pub department: Option<i64>,
    /// Add one point per teaching week of the semester so far.
    #[serde(default)]
    pub weekly: bool,
}

/// Compliance of everyone who owes duties on a day: per rule, per person, per department, and
/// optionally per teaching week.
#[utoipa::path(get, path = "/api/v1/compliance", params(ComplianceQuery),
    responses((status = 200, body = ComplianceReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn compliance(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<ComplianceQuery>) -> ApiResult<Json<ComplianceReport>> {
    let institution = Institution::load(&state, q.date, q.department.map(DepartmentId)).await?;
    let (report, _) = institution.with_engine(move |i, engine| i.report(engine, q.weekly)).await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DrillDown {
    /// A rule id (`dorm-check`).
    pub rule: Option<String>,
    /// A person's user id.
    pub owner: Option<i64>,
    pub department: Option<i64>,
    /// `overdue`, `due_soon`, `upcoming` or `met`.
    pub status: Option<DutyStatus>,
    /// The school day; today when absent. Years 1970 to 9999 (400 otherwise).
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub date: Option<NaiveDate>,
}

/// The duties behind a number of the report, named, most urgent first.
#[utoipa::path(get, path = "/api/v1/compliance/duties", params(DrillDown),
    responses((status = 200, body = Vec<DutyRow>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn compliance_duties(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<DrillDown>) -> ApiResult<Json<Vec<DutyRow>>> {
    let mut institution = Institution::load(&state, q.date, q.department.map(DepartmentId)).await?;
    let filter = DutyFilter { rule: q.rule, owner: q.owner.map(UserId), department: None, status: q.status };
    // Only the one person's duties are worth computing.
    if let Some(owner) = filter.owner {
        institution.people.retain(|p| p.owner.user == owner);
    }
    let rows = institution
        .with_engine(move |i, engine| {
            let duties = engine.duties_of_all(&i.owners(), i.date).into_iter().filter(|d| filter.admits(d, |_| None)).collect();
            i.rows(duties)
        })
        .await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// The school day; today when absent. Years 1970 to 9999 (400 otherwise).
    #[serde(default, deserialize_with = "rounds::school_time::calendar_date")]
    pub date: Option<NaiveDate>,
    pub department: Option<i64>,
}

/// The compliance report as an Excel workbook: by rule, by person, by department, and every
/// overdue duty.
#[utoipa::path(get, path = "/api/v1/compliance.xlsx", params(ExportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn compliance_xlsx(State(state): State<AppState>, _: Office, ApiQuery(q): ApiQuery<ExportQuery>) -> ApiResult<Response> {
    let institution = Institution::load(&state, q.date, q.department.map(DepartmentId)).await?;
    let date = institution.date;
    let bytes = institution
        .with_engine(move |i, engine| {
            let (report, duties) = i.report(engine, false);
            let overdue = i.rows(duties.into_iter().filter(|d| d.status == DutyStatus::Overdue).collect());
            compliance_workbook(i, &report, &overdue)
        })
        .await?
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, &format!("compliance-{date}.xlsx"), &format!("合规统计-{date}.xlsx")))
}

// ---- workbooks ----

/// The tally's columns, in its order.
const TALLY_COLUMNS: [DutyStatus; 4] = [DutyStatus::Overdue, DutyStatus::DueSoon, DutyStatus::Upcoming, DutyStatus::Met];

fn status_zh(s: DutyStatus) -> &'static str {
    match s {
        DutyStatus::Overdue => "逾期",
        DutyStatus::DueSoon => "即将到期",
        DutyStatus::Upcoming => "按期进行",
        DutyStatus::Met => "已完成",
    }
}

/// One compliance table: leading text columns, then the tally and the percentage.
fn tally_sheet(workbook: &mut Workbook, name: &str, leading: &[(&str, f64)], rows: &[(Vec<String>, &ComplianceRow)]) -> Result<(), XlsxError> {
    let tally_headers = TALLY_COLUMNS.iter().map(|s| (status_zh(*s), 10.0)).chain([("合计", 8.0), ("合规率(%)", 11.0)]);
    let headers: Vec<(&str, f64)> = leading.iter().copied().chain(tally_headers).collect();
    let percent = Format::new().set_num_format("0.0");
    let sheet = sheet(workbook, name, &headers)?;
    for (r, (texts, row)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, text) in texts.iter().enumerate() {
            sheet.write_string(r, c as u16, text)?;
        }
        let c = texts.len() as u16;
        let t = row.tally;
        for (i, n) in [t.overdue, t.due_soon, t.upcoming, t.met, t.total()].into_iter().enumerate() {
            sheet.write_number(r, c + i as u16, f64::from(n))?;
        }
        sheet.write_number_with_format(r, c + 5, row.percent, &percent)?;
    }
    Ok(())
}

fn compliance_workbook(i: &Institution, report: &ComplianceReport, overdue: &[DutyRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let departments = i.department_names();
    let department_of = |owner: UserId| departments.get(&owner).cloned().unwrap_or_default();
    let by_rule: Vec<(Vec<String>, &ComplianceRow)> = report
        .by_rule
        .iter()
        .map(|r| (vec![r.key.clone(), r.label.clone()], r))
        .chain([(vec![String::new(), report.total.label.clone()], &report.total)])
        .collect();
    tally_sheet(&mut workbook, "按规则", &[("规则编号", 22.0), ("规则", 44.0)], &by_rule)?;
    let by_owner: Vec<(Vec<String>, &ComplianceRow)> =
        report.by_owner.iter().map(|r| (vec![r.label.clone(), r.key.parse().map(|id| department_of(UserId(id))).unwrap_or_default()], r)).collect();
    tally_sheet(&mut workbook, "按人员", &[("姓名", 12.0), ("院系", 24.0)], &by_owner)?;
    let by_department: Vec<(Vec<String>, &ComplianceRow)> = report.by_department.iter().map(|r| (vec![r.label.clone()], r)).collect();
    tally_sheet(&mut workbook, "按院系", &[("院系", 24.0)], &by_department)?;

    let list = sheet(
        &mut workbook,
        "逾期事项",
        &[
            ("负责人", 12.0),
            ("院系", 24.0),
            ("规则", 44.0),
            ("对象", 22.0),
            ("应完成日期", 12.0),
            ("逾期天数", 10.0),
            ("最近一次", 12.0),
            ("已完成", 8.0),
            ("要求", 8.0),
        ],
    )?;
    for (r, row) in overdue.iter().enumerate() {
        let r = r as u32 + 1;
        let d = &row.duty;
        list.write_string(r, 0, &row.owner_name)?;
        list.write_string(r, 1, department_of(d.owner))?;
        list.write_string(r, 2, &row.rule_title)?;
        list.write_string(r, 3, &row.subject_label)?;
        list.write_string(r, 4, d.due.to_string())?;
        list.write_number(r, 5, d.days_overdue(report.date) as f64)?;
        list.write_string(r, 6, d.last_done.map_or_else(String::new, |x| x.to_string()))?;
        list.write_number(r, 7, f64::from(d.done))?;
        list.write_number(r, 8, f64::from(d.required))?;
    }
    workbook.save_to_buffer()
}

fn summary_workbook(s: &SemesterSummary, name: &str) -> Result<Vec<u8>, XlsxError> {
    use rounds_app::i18n::Lang;
    let mut workbook = Workbook::new();
    let percent = Format::new().set_num_format("0.0");
    let first = sheet(&mut workbook, "学期工作总结", &[("项目", 44.0), ("数量", 10.0), ("说明", 40.0)])?;
    let mut r = 1u32;
    let mut line = |sheet: &mut Worksheet, label: &str, n: Option<f64>, note: String| -> Result<(), XlsxError> {
        sheet.write_string(r, 0, label)?;
        if let Some(n) = n {
            sheet.write_number(r, 1, n)?;
        }
        sheet.write_string(r, 2, note)?;
        r += 1;
        Ok(())
    };
    line(first, "姓名", None, name.to_string())?;
    line(first, "学期", None, s.semester.clone())?;
    line(first, "统计期间", None, format!("{} 至 {}", s.span.start, s.as_of))?;
    line(first, "记录总数", Some(f64::from(s.total_records)), String::new())?;
    for k in &s.records {
        let kind = rounds_app::kinds::kind_name(&k.kind).text(Lang::Zh);
        line(first, &format!("  {kind}"), Some(f64::from(k.count)), String::new())?;
    }
    for (label, c) in [("谈心谈话覆盖学生", s.talks), ("家长联系覆盖学生", s.parent_contacts)] {
        let share = c.percent().map_or_else(String::new, |p| format!("{p:.1}%"));
        line(first, label, Some(f64::from(c.covered)), format!("共 {} 名学生 {share}", c.students))?;
    }
    let i = s.issues;
    line(first, "学生诉求", Some(f64::from(i.raised)), format!("待处理 {}，已转办 {}，已解决 {}，已反馈 {}", i.open, i.assigned, i.resolved, i.fed_back))?;
    line(first, "达标规则", Some(f64::from(s.rules_met)), format!("未达标 {}", s.rules_not_met))?;

    let headers: Vec<(&str, f64)> =
        [("规则", 44.0), ("结果", 8.0)].into_iter().chain(TALLY_COLUMNS.iter().map(|s| (status_zh(*s), 10.0))).chain([("合规率(%)", 11.0)]).collect();
    let rules = sheet(&mut workbook, "各项规定", &headers)?;
    for (n, o) in s.rules.iter().enumerate() {
        let r = n as u32 + 1;
        rules.write_string(r, 0, &o.title)?;
        rules.write_string(r, 1, if o.met { "达标" } else { "未达标" })?;
        for (c, v) in [o.tally.overdue, o.tally.due_soon, o.tally.upcoming, o.tally.met].into_iter().enumerate() {
            rules.write_number(r, c as u16 + 2, f64::from(v))?;
        }
        rules.write_number_with_format(r, 6, o.tally.compliance_percent(), &percent)?;
    }
    workbook.save_to_buffer()
}

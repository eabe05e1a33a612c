//! Assistance (帮扶): semester results, the working group's identification, the volunteer
//! register, and the figures of 003 七.2. What a row means and what it proposes is decided in
//! `rounds::assistance`; cases are records and go through the record pipeline
//! ([`super::records::apply_records_in`]), in the same transaction as the standing they follow.

use super::records::apply_records_in;
use super::standing::{record_changes, stored_archive};
use super::{next_seq, now_text, Store};
use super::{DbRow, Tx};
use super::{StoreError, StoreResult};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rounds::assistance::*;
use rounds::duties::{Period, StandingEvent};
use rounds::kinds::assistance::VolunteerId;
use rounds::record::ValidationContext;
use rounds::sync::PushStatus;
use rounds::{AssistanceCase, FieldError, RecordBody, RecordEnvelope, RosterSnapshot, StandingDecision, StudentId, UserProfile};
use std::collections::{BTreeMap, HashMap};

/// The device a server-made revision names: the working group's decision, entered by the office.
pub const IDENTIFICATION_DEVICE: &str = "server:identification";

fn results_from(r: &impl DbRow) -> sqlx::Result<SemesterResults> {
    Ok(SemesterResults {
        failed_credits: r.col("failed_credits")?,
        failed_courses: r.col::<i64>("failed_courses")?.try_into().unwrap_or(u32::MAX),
        gpa: r.col("gpa")?,
        absence_hours: r.col("absence_hours")?,
    })
}

impl Store {
    /// Student number → (id, name), what a results file is read against.
    pub async fn student_numbers(&self) -> StoreResult<HashMap<String, (StudentId, String)>> {
        let rows: Vec<(i64, String, String)> = pool!(self.pool, |c| sqlx::query_as("SELECT id, student_no, name FROM students").fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id, no, name)| (no, (StudentId(id), name))).collect())
    }

    /// The stored results of a term, by student.
    pub async fn semester_results(&self, term: &str) -> StoreResult<HashMap<StudentId, SemesterResults>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT student_id, failed_credits, failed_courses, gpa, absence_hours FROM semester_results WHERE term = $1"
        )
        .bind(term)
        .fetch_all(c)
        .await)?;
        rows.iter().map(|r| Ok((StudentId(r.try_get("student_id")?), results_from(r)?))).collect()
    }

    /// Checks a results file against the stored term and, unless `mode` is `Check` or the file
    /// is refused in that mode, writes the rows that change something, in one transaction.
    pub async fn import_results(&self, term: &str, file: &ResultsFile, mode: ImportMode, by: &UserProfile) -> StoreResult<ResultsImportReport> {
        let rules = IdentificationRules::default();
        if mode == ImportMode::Check {
            let stored = self.semester_results(term).await?;
            return Ok(file.report(mode, term, &rules, |id| stored.get(&id).cloned()));
        }
        let mut w = self.write().await?;
        let stored = self.semester_results(term).await?;
        let mut report = file.report(mode, term, &rules, |id| stored.get(&id).cloned());
        if !report.report.allows(mode) {
            return Ok(report);
        }
        let at = now_text();
        for row in file.good.iter().filter(|r| stored.get(&r.student_id) != Some(&r.results)) {
            tx!(w.tx, |c| sqlx::query(
                "INSERT INTO semester_results (term, student_id, failed_credits, failed_courses, gpa, absence_hours, imported_by, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (term, student_id) DO UPDATE SET failed_credits = excluded.failed_credits, failed_courses = excluded.failed_courses,
                    gpa = excluded.gpa, absence_hours = excluded.absence_hours, imported_by = excluded.imported_by, imported_at = excluded.imported_at",
            )
            .bind(term)
            .bind(row.student_id.0)
            .bind(row.results.failed_credits)
            .bind(i64::from(row.results.failed_courses))
            .bind(row.results.gpa)
            .bind(row.results.absence_hours)
            .bind(by.id.0)
            .bind(&at)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        }
        w.commit().await?;
        report.report.applied = true;
        Ok(report)
    }

    /// A term's list: the students the results put in difficulty, with what the working group
    /// confirmed, if it has.
    pub async fn identification(&self, term: &str) -> StoreResult<Identification> {
        let rules = IdentificationRules::default();
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT r.student_id, r.failed_credits, r.failed_courses, r.gpa, r.absence_hours, s.student_no, s.name,
                    c.name AS class_name, d.name AS department, ic.level, ic.decided_on
             FROM semester_results r JOIN students s ON s.id = r.student_id JOIN classes c ON c.id = s.class_id
             JOIN departments d ON d.id = c.department_id
             LEFT JOIN identification_confirmations ic ON ic.term = r.term AND ic.student_id = r.student_id
             WHERE r.term = $1",
        )
        .bind(term)
        .fetch_all(c)
        .await)?;
        let students_with_results = rows.len();
        let mut students = Vec::new();
        for r in &rows {
            let results = results_from(r)?;
            let proposal = propose(&results, &rules);
            let decided: Option<String> = r.try_get("decided_on")?;
            let confirmed = match decided {
                Some(day) => Some(ConfirmedLevel {
                    level: r.try_get::<Option<i64>, _>("level")?.and_then(|l| u8::try_from(l).ok()).and_then(AcademicLevel::from_number),
                    decided_on: day.parse()?,
                }),
                None => None,
            };
            if !proposal.in_difficulty() && confirmed.is_none() {
                continue;
            }
            students.push(IdentifiedStudent {
                student_id: StudentId(r.try_get("student_id")?),
                student_no: r.try_get("student_no")?,
                name: r.try_get("name")?,
                class_name: r.try_get("class_name")?,
                department: r.try_get("department")?,
                results,
                proposal,
                confirmed,
            });
        }
        students.sort_by(|a, b| b.results.failed_credits.total_cmp(&a.results.failed_credits).then(a.student_no.cmp(&b.student_no)));
        let decision = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT d.decided_on, d.basis, u.display_name, d.confirmed_at FROM identification_decisions d
             LEFT JOIN users u ON u.id = d.confirmed_by WHERE d.term = $1",
        )
        .bind(term)
        .fetch_optional(c)
        .await)?
        .map(|r| -> StoreResult<DecisionInfo> {
            Ok(DecisionInfo {
                decided_on: r.try_get::<String, _>("decided_on")?.parse()?,
                basis: r.try_get("basis")?,
                confirmed_by: r.try_get("display_name")?,
                confirmed_at: r.try_get("confirmed_at")?,
            })
        })
        .transpose()?;
        Ok(Identification { term: term.to_string(), rules, students_with_results, students, decision })
    }

    /// The working group's decision: each confirmed student's standing takes the level (with its
    /// history: date and basis) and their academic case opens or follows the new level, all in
    /// one transaction. A student without results for the term, or not in difficulty, is
    /// refused alone. Confirming the same decision again changes nothing.
    pub async fn confirm_identification(
        &self,
        decision: &IdentificationDecision,
        by: &UserProfile,
        roster: &RosterSnapshot,
        now: DateTime<FixedOffset>,
    ) -> StoreResult<ConfirmReport> {
        let rules = IdentificationRules::default();
        let results = self.semester_results(&decision.term).await?;
        let mut report = ConfirmReport { confirmed: 0, cases_opened: 0, cases_updated: 0, unchanged: 0, refused: Vec::new() };
        let mut w = self.write().await?;
        let standing_decision = StandingDecision { date: Some(decision.decided_on), basis: decision.basis.trim().to_string() };
        let opened_at = opening_time(decision.decided_on, now);
        for (i, student) in decision.students.iter().enumerate() {
            let field = format!("students[{i}].student_id");
            let refuse = |code: &str, message: &str| FieldError { field: field.clone(), code: code.into(), message: message.into() };
            let Some(found) = results.get(&student.student_id) else {
                report.refused.push(refuse("no_results", "has no results for this term; import them first"));
                continue;
            };
            if !propose(found, &rules).in_difficulty() {
                report.refused.push(refuse("not_in_difficulty", "the results show no sign of academic difficulty"));
                continue;
            }
            // The standing: the level and the day it was decided, kept in the history.
            let stored = stored_archive(&mut w.tx, student.student_id).await?;
            let mut standing = stored.as_ref().map(|a| a.standing()).unwrap_or_default();
            standing.assistance_level = student.level.map(AcademicLevel::number);
            standing.assistance_on = student.level.map(|_| decision.decided_on);
            if let Some(level) = student.level {
                // 003 uses one level: its 预警 (四) is its 帮扶类型 (五).
                standing.warning_level = Some(level.number());
                standing.warning_on = Some(decision.decided_on);
            }
            let archive = stored.clone().unwrap_or_default().with_standing(&standing);
            let changes = archive.standing_changes(stored.as_ref());
            if !changes.is_empty() {
                let json = serde_json::to_string(&archive)?;
                let seq = next_seq(&mut w.tx).await?;
                tx!(w.tx, |c| sqlx::query("UPDATE students SET archive = $1, updated_seq = $2 WHERE id = $3")
                    .bind(json)
                    .bind(seq)
                    .bind(student.student_id.0)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))?;
                record_changes(&mut w.tx, student.student_id, &changes, by.id, Some(&standing_decision)).await?;
            }
            // The case: a revision of the open academic case, or a new one.
            let open = open_academic_case(&mut w.tx, student.student_id).await?;
            let (head_teacher, counselor) = responsible_staff(&mut w.tx, roster, student.student_id).await?;
            let envelope = match &open {
                Some(env) => {
                    let RecordBody::AssistanceCase(case) = &env.body else { continue };
                    let revised = AssistanceCase { level: student.level, term: decision.term.clone(), basis: standing_decision.basis.clone(), ..case.clone() };
                    if &revised == case {
                        None
                    } else {
                        Some(env.edited(RecordBody::AssistanceCase(revised), false, IDENTIFICATION_DEVICE, now))
                    }
                }
                None => {
                    let case = AssistanceCase {
                        student_id: student.student_id,
                        category: AssistanceCategory::Academic,
                        level: student.level,
                        opened_at,
                        term: decision.term.clone(),
                        basis: standing_decision.basis.clone(),
                        head_teacher,
                        counselor,
                        class_rank: String::new(),
                        pairings: vec![],
                        help_group: vec![],
                        closure: None,
                    };
                    Some(RecordEnvelope::new(RecordBody::AssistanceCase(case), by.id, IDENTIFICATION_DEVICE, now))
                }
            };
            if let Some(env) = &envelope {
                let errors = env.validate(&ValidationContext { roster, now });
                if !errors.is_empty() {
                    report.refused.extend(errors.0.into_iter().map(|e| FieldError { field: format!("students[{i}].case.{}", e.field), ..e }));
                    continue;
                }
                // A revision keeps the case's author: records change only by their author.
                let results = apply_records_in(&mut w.tx, env.author_id, std::slice::from_ref(env)).await?;
                if results.iter().any(|r| r.status != PushStatus::Accepted) {
                    report.refused.extend(results.into_iter().flat_map(|r| r.errors));
                    continue;
                }
                if open.is_some() {
                    report.cases_updated += 1;
                } else {
                    report.cases_opened += 1;
                }
            } else if changes.is_empty() {
                report.unchanged += 1;
            }
            tx!(w.tx, |c| sqlx::query(
                "INSERT INTO identification_confirmations (term, student_id, level, decided_on) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (term, student_id) DO UPDATE SET level = excluded.level, decided_on = excluded.decided_on",
            )
            .bind(&decision.term)
            .bind(student.student_id.0)
            .bind(student.level.map(|l| i64::from(l.number())))
            .bind(decision.decided_on.to_string())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            report.confirmed += 1;
        }
        if report.confirmed > 0 {
            tx!(w.tx, |c| sqlx::query(
                "INSERT INTO identification_decisions (term, decided_on, basis, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (term) DO UPDATE SET decided_on = excluded.decided_on, basis = excluded.basis",
            )
            .bind(&decision.term)
            .bind(decision.decided_on.to_string())
            .bind(&standing_decision.basis)
            .bind(by.id.0)
            .bind(now_text())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        }
        w.commit().await?;
        Ok(report)
    }

    pub async fn volunteers(&self) -> StoreResult<Vec<Volunteer>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT id, name, student_no, class_name, contact, selected_on, trained_on, active FROM volunteers ORDER BY id"
        )
        .fetch_all(c)
        .await)?;
        rows.iter()
            .map(|r| {
                let day = |c: &str| -> StoreResult<Option<NaiveDate>> { Ok(r.try_get::<Option<String>, _>(c)?.map(|d| d.parse()).transpose()?) };
                Ok(Volunteer {
                    id: Some(VolunteerId(r.try_get("id")?)),
                    name: r.try_get("name")?,
                    student_no: r.try_get("student_no")?,
                    class_name: r.try_get("class_name")?,
                    contact: r.try_get("contact")?,
                    selected_on: day("selected_on")?,
                    trained_on: day("trained_on")?,
                    active: r.try_get("active")?,
                })
            })
            .collect()
    }

    /// Adds a volunteer (`id` None) or replaces one; `Err(NotFound)` for an unknown id.
    pub async fn save_volunteer(&self, v: &Volunteer) -> StoreResult<Volunteer> {
        let mut w = self.write().await?;
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        if let Some(id) = v.id {
            let known: Option<i64> = tx!(w.tx, |c| sqlx::query_scalar("SELECT id FROM volunteers WHERE id = $1").bind(id.0).fetch_optional(c).await)?;
            if known.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let (name, student_no, class_name, contact) = (v.name.trim(), v.student_no.trim(), v.class_name.trim(), v.contact.trim());
        let (selected_on, trained_on) = (day(v.selected_on), day(v.trained_on));
        let id: i64 = match v.id {
            Some(id) => {
                tx!(w.tx, |c| {
                    sqlx::query(
                    "UPDATE volunteers SET name = $1, student_no = $2, class_name = $3, contact = $4, selected_on = $5, trained_on = $6, active = $7 WHERE id = $8",
                )
                .bind(name)
                .bind(student_no)
                .bind(class_name)
                .bind(contact)
                .bind(&selected_on)
                .bind(&trained_on)
                .bind(v.active)
                .bind(id.0)
                .execute(c)
                .await
                .map(|_| ())
                })?;
                id.0
            }
            // A new entry has no id yet: the table gives the next one.
            None => tx!(w.tx, |c| {
                sqlx::query_scalar(
                "INSERT INTO volunteers (name, student_no, class_name, contact, selected_on, trained_on, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(name)
            .bind(student_no)
            .bind(class_name)
            .bind(contact)
            .bind(&selected_on)
            .bind(&trained_on)
            .bind(v.active)
            .fetch_one(c)
            .await
            })?,
        };
        w.commit().await?;
        let saved = self.volunteers().await?.into_iter().find(|x| x.id == Some(VolunteerId(id)));
        saved.ok_or(StoreError::NotFound)
    }

    /// Every volunteer's sessions within `from..=to` (school days), for certification: by
    /// register entry, or by name for a helper not in the register.
    pub async fn volunteer_hours(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<VolunteerHours>> {
        let register = self.volunteers().await?;
        let sessions = self.current_records_of("volunteer_session").await?;
        let mut by_key: BTreeMap<(Option<i64>, String), (VolunteerHours, std::collections::BTreeSet<StudentId>)> = BTreeMap::new();
        for env in sessions {
            let RecordBody::VolunteerSession(s) = &env.body else { continue };
            let day = s.held_at.date_naive();
            if day < from || day > to {
                continue;
            }
            let known = s.volunteer_id.and_then(|id| register.iter().find(|v| v.id == Some(id)));
            let key = (known.and_then(|v| v.id).map(|id| id.0), known.map_or_else(|| s.volunteer_name.trim().to_string(), |v| v.name.clone()));
            let entry = by_key.entry(key).or_insert_with(|| {
                let hours = VolunteerHours {
                    volunteer_id: known.and_then(|v| v.id),
                    name: known.map_or_else(|| s.volunteer_name.trim().to_string(), |v| v.name.clone()),
                    student_no: known.map(|v| v.student_no.clone()).unwrap_or_default(),
                    sessions: 0,
                    students_helped: 0,
                    minutes: 0,
                };
                (hours, Default::default())
            });
            entry.0.sessions += 1;
            entry.0.minutes += u32::from(s.minutes);
            entry.1.insert(s.student_id);
        }
        Ok(by_key
            .into_values()
            .map(|(mut h, helped)| {
                h.students_helped = helped.len() as u32;
                h
            })
            .collect())
    }

    /// The confirmed list of a term: student → level.
    pub async fn confirmed_levels(&self, term: &str) -> StoreResult<HashMap<StudentId, Option<AcademicLevel>>> {
        let rows: Vec<(i64, Option<i64>)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT student_id, level FROM identification_confirmations WHERE term = $1").bind(term).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id, level)| (StudentId(id), level.and_then(|l| u8::try_from(l).ok()).and_then(AcademicLevel::from_number))).collect())
    }

    /// 003 七.2's figures of a term; the semester's span bounds the volunteer hours.
    pub async fn assistance_statistics(&self, term: &str, span: Option<(NaiveDate, NaiveDate)>, roster: &RosterSnapshot) -> StoreResult<AssistanceStatistics> {
        let now_list = self.confirmed_levels(term).await?;
        let previous_term = rounds::kinds::assistance::previous_term(term);
        let before = match &previous_term {
            Some(p) => self.confirmed_levels(p).await?,
            None => HashMap::new(),
        };
        let department_of = |id: StudentId| {
            roster
                .student(id)
                .and_then(|s| roster.class(s.class_id))
                .and_then(|c| roster.departments.iter().find(|d| d.id == c.department_id))
                .map(|d| d.name.clone())
                .unwrap_or_default()
        };
        let mut by_department: BTreeMap<String, LevelCounts> = BTreeMap::new();
        let mut total = LevelCounts::default();
        for (id, level) in &now_list {
            by_department.entry(department_of(*id)).or_default().add(*level);
            total.add(*level);
        }
        // The level actions: each rule of the assistance event that applies to a confirmed
        // student's level, met when a record of its kind (and sub-kind) about the student falls
        // within its days of the decision.
        let rules = self.rule_set().await?;
        let decided: HashMap<StudentId, NaiveDate> =
            pool!(self.pool, |c| sqlx::query_as::<_, (i64, String)>("SELECT student_id, decided_on FROM identification_confirmations WHERE term = $1")
                .bind(term)
                .fetch_all(c)
                .await)?
            .into_iter()
            .filter_map(|(id, d)| Some((StudentId(id), d.parse().ok()?)))
            .collect();
        let mut actions_owed = 0;
        let mut actions_on_time = 0;
        let mut records_by_kind: HashMap<String, Vec<RecordEnvelope>> = HashMap::new();
        for rule in rules.rules.iter().filter(|r| r.enabled) {
            let Period::AfterEvent { event: StandingEvent::Assistance, days } = rule.period else { continue };
            if !records_by_kind.contains_key(&rule.kind) {
                let records = self.current_records_of(&rule.kind).await?;
                records_by_kind.insert(rule.kind.clone(), records);
            }
            let records = &records_by_kind[&rule.kind];
            for (id, level) in &now_list {
                let Some(level) = level else { continue };
                let archive = rounds::StudentArchive { assistance_level: Some(level.number()), ..Default::default() };
                if !rule.students.admits(Some(&archive)) {
                    continue;
                }
                let Some(start) = decided.get(id) else { continue };
                let end = *start + chrono::Duration::days(i64::from(days));
                actions_owed += 1;
                let met = records.iter().any(|env| {
                    let day = env.body.occurred_at().date_naive();
                    env.body.subject() == rounds::record::Subject::Student(*id)
                        && day >= *start
                        && day <= end
                        && (rule.activity_index().is_none() || env.body.activity() == rule.activity_index())
                });
                if met {
                    actions_on_time += 1;
                }
            }
        }
        let (volunteer_minutes, volunteers_active) = match span {
            Some((from, to)) => {
                let hours = self.volunteer_hours(from, to).await?;
                (hours.iter().map(|h| h.minutes).sum(), hours.len() as u32)
            }
            None => (0, 0),
        };
        let cases = self.current_records_of("assistance_case").await?;
        let (mut cases_open, mut cases_closed) = (0, 0);
        for env in &cases {
            if let RecordBody::AssistanceCase(c) = &env.body {
                if c.is_open() {
                    cases_open += 1;
                } else {
                    cases_closed += 1;
                }
            }
        }
        Ok(AssistanceStatistics {
            term: term.to_string(),
            previous_term,
            by_department: by_department.into_iter().collect(),
            total,
            movement: movement(&before, &now_list),
            actions_on_time,
            actions_owed,
            volunteer_minutes,
            volunteers_active,
            cases_open,
            cases_closed,
        })
    }
}

/// When a case the decision opens starts: the decision day at noon, school time, but never after
/// now (a decision entered the day it was taken).
fn opening_time(day: NaiveDate, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let noon = day.and_hms_opt(12, 0, 0).and_then(|t| t.and_local_timezone(*now.offset()).single());
    noon.filter(|t| *t <= now).unwrap_or(now)
}

/// The student's open academic case, if any (its current revision).
async fn open_academic_case(tx: &mut Tx, student: StudentId) -> StoreResult<Option<RecordEnvelope>> {
    let rows: Vec<String> =
        tx!(tx, |c| sqlx::query_scalar("SELECT envelope FROM records WHERE kind = 'assistance_case' AND student_id = $1 AND deleted = FALSE ORDER BY seq")
            .bind(student.0)
            .fetch_all(c)
            .await)?;
    let mut open: Vec<RecordEnvelope> = Vec::new();
    for json in rows {
        let env: RecordEnvelope = serde_json::from_str(&json)?;
        if matches!(&env.body, RecordBody::AssistanceCase(c) if c.is_open() && c.category == AssistanceCategory::Academic) {
            open.push(env);
        }
    }
    open.sort_by_key(|e| e.body.occurred_at());
    Ok(open.pop())
}

/// The head teachers and counselors assigned to the student's class, by name (帮扶责任人).
async fn responsible_staff(tx: &mut Tx, roster: &RosterSnapshot, student: StudentId) -> StoreResult<(String, String)> {
    let Some(class) = roster.student(student).map(|s| s.class_id) else { return Ok(Default::default()) };
    let rows: Vec<(String, String)> = tx!(tx, |c| sqlx::query_as(
        "SELECT u.display_name, u.role FROM class_assignments a JOIN users u ON u.id = a.user_id WHERE a.class_id = $1 ORDER BY u.display_name"
    )
    .bind(class.0)
    .fetch_all(c)
    .await)?;
    let names = |role: &str| rows.iter().filter(|(_, r)| r == role).map(|(n, _)| n.as_str()).collect::<Vec<_>>().join("、");
    Ok((names("head_teacher"), names("counselor")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_opens_at_noon_of_the_decision_day_unless_that_is_still_to_come() {
        let now = DateTime::parse_from_rfc3339("2026-09-10T09:00:00+08:00").expect("a time");
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).expect("a day");
        assert_eq!(opening_time(day(8), now).to_rfc3339(), "2026-09-08T12:00:00+08:00");
        assert_eq!(opening_time(day(10), now), now, "decided this morning: opened now");
    }
}

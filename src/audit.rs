//! 审计日志: who read what confidential, and who changed the roster, standing, rules, accounts
//! and links (issue 14). The server appends an entry for each; a phone notes the confidential
//! records and archives opened on it, offline too, and uploads those reads with its next sync.
//! Shared here: the action vocabulary, which kinds are confidential, an entry as the office
//! sees it, the phone's read, and the start of "this term" for a student's page.

use crate::duties::calendar::SchoolCalendar;
use crate::ids::{StudentId, UserId};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The kinds whose content is confidential (001 §3.7; 000 §9.3): opening one is logged.
pub const CONFIDENTIAL_KINDS: &[&str] = &["talk", "parent_contact", "home_visit", "student_event", "assistance_case", "assistance_note"];

/// Whether reading a record of this kind is written to the audit log.
pub fn is_confidential(kind: &str) -> bool {
    CONFIDENTIAL_KINDS.contains(&kind)
}

/// What an audit entry says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A confidential record opened: on a phone's record page, or its history through the API.
    RecordRead,
    /// A student's archive opened: on a phone's student page, or through the office's API.
    ArchiveRead,
    /// Confidential records (and archives) sent to a phone by one pull: one entry with the count.
    PullRead,
    /// Assistance cases, identifications or their statistics read or exported by the office.
    AssistanceRead,
    /// Departments, classes, students, dorms, beds, their staff, or an import.
    RosterChange,
    /// A student's standing (warning, discipline, assistance level) or archive changed.
    StandingChange,
    /// The duty rules, the calendar, the ledger's due days.
    RulesChange,
    /// A staff account made or changed, its password, staff number, or the sign-in settings.
    AccountChange,
    /// A leader's link, a club or a party branch.
    LinkChange,
    /// The audit log itself exported.
    AuditExport,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::RecordRead,
        AuditAction::ArchiveRead,
        AuditAction::PullRead,
        AuditAction::AssistanceRead,
        AuditAction::RosterChange,
        AuditAction::StandingChange,
        AuditAction::RulesChange,
        AuditAction::AccountChange,
        AuditAction::LinkChange,
        AuditAction::AuditExport,
    ];

    /// The name stored in the database and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::RecordRead => "record_read",
            AuditAction::ArchiveRead => "archive_read",
            AuditAction::PullRead => "pull_read",
            AuditAction::AssistanceRead => "assistance_read",
            AuditAction::RosterChange => "roster_change",
            AuditAction::StandingChange => "standing_change",
            AuditAction::RulesChange => "rules_change",
            AuditAction::AccountChange => "account_change",
            AuditAction::LinkChange => "link_change",
            AuditAction::AuditExport => "audit_export",
        }
    }

    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.as_str() == name)
    }

    /// Reads of a student's file: what a student's page counts.
    pub fn reads_a_file(self) -> bool {
        matches!(self, AuditAction::RecordRead | AuditAction::ArchiveRead)
    }

    pub fn zh(self) -> &'static str {
        match self {
            AuditAction::RecordRead => "查阅保密记录",
            AuditAction::ArchiveRead => "查阅学生档案",
            AuditAction::PullRead => "同步下载保密记录",
            AuditAction::AssistanceRead => "查阅帮扶信息",
            AuditAction::RosterChange => "修改名册",
            AuditAction::StandingChange => "修改学业与帮扶状态",
            AuditAction::RulesChange => "修改规则",
            AuditAction::AccountChange => "修改账号",
            AuditAction::LinkChange => "修改联系关系",
            AuditAction::AuditExport => "导出审计日志",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            AuditAction::RecordRead => "Read a confidential record",
            AuditAction::ArchiveRead => "Read a student's archive",
            AuditAction::PullRead => "Synced confidential records",
            AuditAction::AssistanceRead => "Read assistance data",
            AuditAction::RosterChange => "Changed the roster",
            AuditAction::StandingChange => "Changed a standing",
            AuditAction::RulesChange => "Changed the rules",
            AuditAction::AccountChange => "Changed an account",
            AuditAction::LinkChange => "Changed a link",
            AuditAction::AuditExport => "Exported the audit log",
        }
    }
}

/// Where an entry was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditVia {
    /// The server saw it happen (an API call).
    Server,
    /// A phone noted it (offline perhaps) and uploaded it later.
    Phone,
}

/// One entry of the log, as the office reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// When it happened: for a phone's read, when the phone says it was opened.
    pub at: DateTime<Utc>,
    /// When the server wrote it down.
    pub logged_at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    /// The account's name then (kept as it was, whatever the account is called later).
    pub actor_name: String,
    /// The address the request came from.
    pub address: String,
    pub action: AuditAction,
    pub via: AuditVia,
    /// What was read or changed: `PUT /api/v1/admin/classes/3`, a record's kind, …
    pub target: String,
    pub student_id: Option<StudentId>,
    /// The student's name and number then, for reading the log without the roster.
    pub student: String,
    pub record_id: Option<uuid::Uuid>,
    /// How many items one entry stands for (a pull's confidential records).
    pub item_count: Option<i64>,
}

/// A page of the log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many entries match the filter in all.
    pub total: i64,
    pub offset: i64,
}

/// The most entries one page answers.
pub const AUDIT_PAGE: i64 = 200;
/// The most entries one export holds.
pub const AUDIT_EXPORT_MAX: i64 = 100_000;

/// What a phone opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadTarget {
    /// A confidential record (`record_id`).
    Record,
    /// A student's archive (`student_id`).
    Archive,
}

/// A read noted on a phone, sent with the next sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneRead {
    /// Made by the phone (UUIDv7): a read sent twice is written once.
    pub id: uuid::Uuid,
    pub target: ReadTarget,
    #[serde(default)]
    pub record_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub student_id: Option<StudentId>,
    pub read_at: DateTime<FixedOffset>,
}

/// `POST /api/v1/audit/reads`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadsUpload {
    pub reads: Vec<PhoneRead>,
}

/// The most reads one upload carries.
pub const MAX_READS_BATCH: usize = 500;

/// What became of one uploaded read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadStatus {
    Accepted,
    /// Already written (an upload repeated after a lost answer).
    Duplicate,
    /// The record or archive is not the user's to see: not written.
    Forbidden,
    /// Not a confidential record, no such record, or a time that cannot be.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadResult {
    pub id: uuid::Uuid,
    pub status: ReadStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadsAnswer {
    /// One per read, in order.
    pub results: Vec<ReadResult>,
}

/// `GET /api/v1/students/{id}/readers`: how many staff read a student's file this term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileReaders {
    pub student_id: StudentId,
    /// The first day counted: the start of the semester on today, else of the last one begun.
    pub since: NaiveDate,
    /// Distinct staff who opened the student's archive or a confidential record about them.
    pub staff: i64,
}

/// The first day of "this term" on `today`: the semester on it, else the last one begun before
/// it (a vacation belongs to the term just taught), else, with no calendar, 1 February or
/// 1 August, whichever came last.
pub fn term_start(calendar: &SchoolCalendar, today: NaiveDate) -> NaiveDate {
    if let Some(s) = calendar.semester_on(today) {
        return s.start;
    }
    if let Some(start) = calendar.semesters.iter().map(|s| s.start).filter(|s| *s <= today).max() {
        return start;
    }
    use chrono::Datelike;
    let (year, month) = if today.month() >= 8 {
        (today.year(), 8)
    } else if today.month() >= 2 {
        (today.year(), 2)
    } else {
        (today.year() - 1, 8)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today)
}

/// A phone's read time is believed within reason: not in the future (beyond a clock a little
/// off), not older than a year (a phone kept offline that long has nothing current to read).
pub fn read_time_plausible(read_at: DateTime<FixedOffset>, now: DateTime<Utc>) -> bool {
    let at = read_at.with_timezone(&Utc);
    at <= now + chrono::Duration::minutes(10) && at >= now - chrono::Duration::days(366)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::calendar::Semester;
    use crate::record::RecordBody;

    #[test]
    fn every_confidential_kind_is_a_kind() {
        for kind in CONFIDENTIAL_KINDS {
            assert!(RecordBody::KINDS.contains(kind), "{kind} is not a record kind");
        }
        assert!(is_confidential("talk") && is_confidential("assistance_case"));
        assert!(!is_confidential("dorm_check") && !is_confidential("class_meeting"));
    }

    #[test]
    fn actions_round_trip_by_name() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
            assert_eq!(serde_json::to_value(a).ok().and_then(|v| v.as_str().map(str::to_string)).as_deref(), Some(a.as_str()));
        }
        assert_eq!(AuditAction::parse("drop table"), None);
        assert!(AuditAction::RecordRead.reads_a_file() && !AuditAction::PullRead.reads_a_file());
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn this_term_is_the_semester_on_today_or_the_last_begun() {
        let semester = |start: &str, end: &str| Semester {
            name: String::new(),
            school_year: "2026-2027".into(),
            start: day(start),
            end: day(end),
            teaching_weeks: 16,
            holidays: Vec::new(),
        };
        let calendar = SchoolCalendar { semesters: vec![semester("2026-09-01", "2027-01-15"), semester("2027-02-20", "2027-07-05")], ..Default::default() };
        assert_eq!(term_start(&calendar, day("2026-11-29")), day("2026-09-01"));
        assert_eq!(term_start(&calendar, day("2027-02-01")), day("2026-09-01"), "the winter break belongs to the autumn term");
        assert_eq!(term_start(&calendar, day("2027-03-01")), day("2027-02-20"));
        let none = SchoolCalendar::default();
        assert_eq!(term_start(&none, day("2026-11-29")), day("2026-08-01"));
        assert_eq!(term_start(&none, day("2026-03-10")), day("2026-02-01"));
        assert_eq!(term_start(&none, day("2026-01-10")), day("2025-08-01"));
    }

    #[test]
    fn a_phone_read_time_must_be_plausible() {
        let now = Utc::now();
        assert!(read_time_plausible(now.fixed_offset(), now));
        assert!(read_time_plausible((now - chrono::Duration::days(30)).fixed_offset(), now));
        assert!(!read_time_plausible((now + chrono::Duration::hours(2)).fixed_offset(), now));
        assert!(!read_time_plausible((now - chrono::Duration::days(400)).fixed_offset(), now));
    }
}

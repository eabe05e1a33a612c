//! 值班安排 (000 七(一) «按时参加值班和…集中查寝…调班…上报»): the office's schedule of who is on
//! duty on which day and shift. A swap (调班) is the office's new revision of it; the staff it
//! names receive it (its parties) and see their coming shifts on Today; a shift is kept when one
//! of its staff logs it (a `duty_log` of that day and shift).

use super::duty_log::DutyShift;
use crate::ids::*;
use crate::record::{RecordBody, RecordEnvelope, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

/// At most this many shifts in one schedule (a semester of nights with room to spare), and
/// staff on one shift.
pub const ROSTER_SHIFTS_MAX: usize = 400;
pub const SHIFT_STAFF_MAX: usize = 5;

/// One shift of the schedule and who is on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledShift {
    pub on: NaiveDate,
    pub shift: DutyShift,
    pub staff: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRoster {
    /// `2026年12月值班安排`.
    pub title: String,
    pub made_at: DateTime<FixedOffset>,
    pub shifts: Vec<ScheduledShift>,
    /// What the shifts are to do (集中查寝, where to report).
    #[serde(default)]
    pub notes: String,
}

impl RecordKind for DutyRoster {
    super::record_meta!("duty_roster", Own, made_at);
    /// The office schedules and swaps; the staff keep their shifts.
    const OFFICE_ONLY: bool = true;

    fn validate(&self, _ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        errors.text("title", &self.title, true, limits::SHORT_TEXT_MAX);
        errors.text("notes", &self.notes, false, limits::NOTES_MAX);
        if self.shifts.is_empty() {
            errors.add("shifts", "required", "schedule at least one shift");
        } else if self.shifts.len() > ROSTER_SHIFTS_MAX {
            errors.add("shifts", "too_many", format!("at most {ROSTER_SHIFTS_MAX} shifts in one schedule"));
        }
        let mut slots = std::collections::BTreeSet::new();
        for (i, s) in self.shifts.iter().enumerate() {
            if !crate::school_time::in_calendar_range(s.on) {
                errors.add(format!("shifts[{i}].on"), "out_of_range", crate::school_time::out_of_range_message());
            }
            if !slots.insert((s.on, format!("{:?}", s.shift))) {
                errors.add(format!("shifts[{i}]"), "duplicate", "this day's shift is scheduled twice");
            }
            if s.staff.is_empty() {
                errors.add(format!("shifts[{i}].staff"), "required", "name who is on duty");
            } else if s.staff.len() > SHIFT_STAFF_MAX {
                errors.add(format!("shifts[{i}].staff"), "too_many", format!("at most {SHIFT_STAFF_MAX} staff on one shift"));
            }
            let mut seen = std::collections::BTreeSet::new();
            for (j, u) in s.staff.iter().enumerate() {
                if !seen.insert(*u) {
                    errors.add(format!("shifts[{i}].staff[{j}]"), "duplicate", "is named twice");
                }
            }
        }
        errors
    }
}

/// The duty logs of each day and shift: when each began, and whose.
type ShiftLogs = std::collections::HashMap<(NaiveDate, DutyShift), Vec<(DateTime<FixedOffset>, UserId)>>;

/// One scheduled shift and whether it was kept: the first of its staff to log it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftCover {
    pub on: NaiveDate,
    pub shift: DutyShift,
    pub staff: Vec<UserId>,
    pub logged_by: Option<UserId>,
}

impl DutyRoster {
    /// Everyone on a shift, each with the field naming them: they receive the schedule.
    pub fn named_staff(&self) -> Vec<(String, UserId)> {
        self.shifts.iter().enumerate().flat_map(|(i, s)| s.staff.iter().enumerate().map(move |(j, u)| (format!("shifts[{i}].staff[{j}]"), *u))).collect()
    }

    /// Each shift with the staff member of it who logged it, reading the logs' days in `zone`.
    pub fn cover<R: AsRef<RecordEnvelope>, Z: TimeZone>(&self, records: &[R], zone: &Z) -> Vec<ShiftCover> {
        // The records are read once, not once per shift (Today asks this of every schedule).
        let mut logs: ShiftLogs = std::collections::HashMap::new();
        for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
            if let RecordBody::DutyLog(l) = &r.body {
                logs.entry((l.started_at.with_timezone(zone).date_naive(), l.shift)).or_default().push((l.started_at, r.author_id));
            }
        }
        self.shifts
            .iter()
            .map(|s| {
                let logged_by = logs.get(&(s.on, s.shift)).and_then(|l| l.iter().filter(|(_, by)| s.staff.contains(by)).min().map(|(_, by)| *by));
                ShiftCover { on: s.on, shift: s.shift, staff: s.staff.clone(), logged_by }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::duty_log::DutyLog;
    use crate::kinds::tests::{codes, now};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    fn roster() -> DutyRoster {
        DutyRoster {
            title: "12月值班安排".into(),
            made_at: now(),
            shifts: vec![
                ScheduledShift { on: day(1), shift: DutyShift::Night, staff: vec![UserId(1), UserId(2)] },
                ScheduledShift { on: day(2), shift: DutyShift::Night, staff: vec![UserId(3)] },
            ],
            notes: String::new(),
        }
    }

    #[test]
    fn a_schedule_names_who_is_on_each_shift_once() {
        assert_eq!(codes(&roster()), Vec::<(String, String)>::new());
        let mut r = roster();
        r.shifts[1] = ScheduledShift { on: day(1), shift: DutyShift::Night, staff: vec![] };
        r.shifts[0].staff.push(UserId(1));
        let got: Vec<(String, String)> = codes(&r);
        assert_eq!(
            got,
            vec![("shifts[0].staff[2]".into(), "duplicate".into()), ("shifts[1]".into(), "duplicate".into()), ("shifts[1].staff".into(), "required".into())]
        );
        assert_eq!(roster().named_staff().len(), 3);
    }

    #[test]
    fn a_shift_is_kept_when_one_of_its_staff_logs_that_day_and_shift() {
        let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("an offset");
        let log = |author: i64, d: u32, shift: DutyShift| {
            let at = zone.from_local_datetime(&day(d).and_hms_opt(22, 0, 0).expect("a time")).single().expect("one time");
            RecordEnvelope::new(
                RecordBody::DutyLog(DutyLog { started_at: at, shift, buildings: vec![], events: "平安无事".into(), escalated: String::new() }),
                UserId(author),
                "p",
                at,
            )
        };
        // Someone not on the shift, or another shift, keeps nothing.
        let records = vec![log(9, 1, DutyShift::Night), log(2, 1, DutyShift::Evening), log(2, 1, DutyShift::Night)];
        let cover = roster().cover(&records, &zone);
        assert_eq!(cover.iter().map(|c| c.logged_by).collect::<Vec<_>>(), vec![Some(UserId(2)), None]);
    }
}

//! The duty setup as the office edits it: every save of the rules or the calendar is a new
//! version, made from the version the editor started with, so two editors cannot silently
//! overwrite each other.

use super::calendar::SchoolCalendar;
use super::compliance::DutySetup;
use super::rules::{Period, Rule, RuleSet};
use crate::ids::UserId;
use crate::validate::ValidationErrors;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// `PUT /api/v1/duties/rules`: the whole rule list, edited from `base_version`. Also the
/// office editor's draft, so the page and the server check one thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesEdit {
    /// The version the editor started from; refused when another save came first.
    pub base_version: u32,
    pub rules: Vec<Rule>,
}

/// The calendar at one version: `{ version, time_zone, semesters }`, as `RuleSet` is
/// `{ version, rules }`. The time zone is the institution's, stored once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarVersion {
    pub version: u32,
    #[serde(flatten)]
    pub calendar: SchoolCalendar,
}

/// `PUT /api/v1/duties/calendar`: `{ base_version, time_zone, semesters }`; also the editor's draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarEdit {
    pub base_version: u32,
    #[serde(flatten)]
    pub calendar: SchoolCalendar,
}

impl RulesEdit {
    /// An edit starting from a saved set.
    pub fn of(set: &RuleSet) -> RulesEdit {
        RulesEdit { base_version: set.version, rules: set.rules.clone() }
    }

    /// The set this edit would be saved as.
    pub fn proposed(&self) -> RuleSet {
        RuleSet { version: self.base_version.saturating_add(1), rules: self.rules.clone() }
    }

    pub fn validate(&self) -> ValidationErrors {
        self.proposed().validate()
    }
}

impl CalendarEdit {
    /// An edit starting from a saved calendar.
    pub fn of(saved: &CalendarVersion) -> CalendarEdit {
        CalendarEdit { base_version: saved.version, calendar: saved.calendar.clone() }
    }

    pub fn validate(&self) -> ValidationErrors {
        self.calendar.validate()
    }
}

impl crate::admin::AdminInput for RulesEdit {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        RulesEdit::validate(self)
    }
}

impl crate::admin::AdminInput for CalendarEdit {
    fn validate(&self, _today: NaiveDate) -> ValidationErrors {
        CalendarEdit::validate(self)
    }
}

/// Who saved one version of the rules or the calendar, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedVersion {
    pub version: u32,
    /// `None` for the defaults the server stored itself.
    pub saved_by: Option<UserId>,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<FixedOffset>,
}

impl DutySetup {
    /// The earliest school day whose records can change a duty on `today` (or on any earlier
    /// day of the same school year): the school year's start, less the longest rolling period
    /// (its window and its "last record" reach back that far). Older records only ever set a
    /// rolling duty's `last_done`, so a store may leave them out.
    pub fn facts_since(&self, today: NaiveDate) -> NaiveDate {
        let start = self.calendar.school_year_on(today).map_or(today - Duration::days(366), |(_, span)| span.start);
        let longest = self
            .rules
            .rules
            .iter()
            .filter(|r| r.enabled)
            .filter_map(|r| match r.period {
                Period::Days { days } => Some(i64::from(days)),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        // A quarter's window can begin before the school year does (July, for a year starting
        // in September).
        let quarterly = self.rules.rules.iter().any(|r| r.enabled && r.period == Period::Quarter);
        let quarter_start = if quarterly { super::calendar::quarter_of(start).start } else { start };
        (start - Duration::days(longest)).min(quarter_start)
    }

    /// The record kinds the enabled rules count (archive confirmations are no record kind).
    pub fn counted_kinds(&self) -> Vec<&str> {
        super::rules::counted_kinds(&self.rules.rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::calendar::demo_calendar;
    use crate::duties::rules::{default_rules, RuleSet};

    fn setup() -> DutySetup {
        DutySetup { rules: RuleSet { version: 1, rules: default_rules() }, calendar: demo_calendar() }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn facts_reach_back_from_the_school_year_by_the_longest_rolling_period() {
        // talk-warned is quarterly: its quarter began on 1 July, before the school year.
        assert_eq!(setup().facts_since(day(2026, 11, 23)), day(2026, 7, 1));
        assert_eq!(setup().facts_since(day(2027, 5, 1)), day(2026, 7, 1), "one school year, one bound");
        let mut short = setup();
        short.rules.rules.retain(|r| r.id != "talk-warned");
        assert_eq!(short.facts_since(day(2026, 11, 23)), day(2026, 9, 7) - Duration::days(14));
        // The summer is the school year's; before the calendar's first semester, a year back.
        assert_eq!(short.facts_since(day(2027, 8, 1)), day(2026, 9, 7) - Duration::days(14));
        assert_eq!(short.facts_since(day(2026, 8, 1)), day(2026, 8, 1) - Duration::days(366 + 14));
    }

    #[test]
    fn counted_kinds_are_record_kinds_once_each() {
        let setup = setup();
        let kinds = setup.counted_kinds();
        assert!(kinds.contains(&"dorm_check") && kinds.contains(&"branch_activity"));
        assert!(!kinds.contains(&"archive_review"));
        assert_eq!(kinds.iter().filter(|k| **k == "talk").count(), 1);
    }

    #[test]
    fn the_calendar_travels_flat_with_its_version() {
        let v = CalendarVersion { version: 3, calendar: demo_calendar() };
        let json = serde_json::to_value(&v).expect("serialises");
        assert_eq!(json["version"], 3);
        assert_eq!(json["time_zone"], "Asia/Shanghai");
        assert_eq!(json["semesters"].as_array().map(Vec::len), Some(2));
        let edit: CalendarEdit =
            serde_json::from_value(serde_json::json!({ "base_version": 3, "time_zone": "Asia/Urumqi", "semesters": [] })).expect("deserialises");
        assert_eq!((edit.base_version, edit.calendar.time_zone.as_str()), (3, "Asia/Urumqi"));
    }
}

//! The semester calendar: every quota is counted in it (DOMAIN "Things"). Dates here are the
//! school's calendar dates; the caller turns instants into them in the school's zone.

use crate::sorting::Order;
use crate::validate::{limits, ValidationErrors};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateSpan {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateSpan {
    pub fn new(start: NaiveDate, end: NaiveDate) -> DateSpan {
        DateSpan { start, end }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// How many days the span covers (a one-day span has 1).
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The part of the span shared with another, if any.
    pub fn intersect(&self, other: &DateSpan) -> Option<DateSpan> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(DateSpan { start, end })
    }
}

/// A break inside a semester (National Day week, Spring Festival…): no teaching, and no duty
/// comes due for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holiday {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Semester {
    /// `2026–2027 第一学期`
    pub name: String,
    /// The school year it belongs to, e.g. `2026-2027`; two semesters share one.
    pub school_year: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Teaching weeks from the week of `start`; the weeks after them are exams and have no
    /// weekly class duties.
    pub teaching_weeks: u8,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

impl Semester {
    pub fn span(&self) -> DateSpan {
        DateSpan::new(self.start, self.end)
    }

    /// From the first day to the last teaching day (the Sunday of the last teaching week, or the
    /// semester's end if earlier): what monthly duties are counted in.
    pub fn teaching_span(&self) -> DateSpan {
        let last = self.first_monday() + Duration::weeks(i64::from(self.teaching_weeks)) - Duration::days(1);
        DateSpan::new(self.start, last.min(self.end))
    }

    /// The Monday of the week the semester starts in: teaching week 1 begins there.
    pub fn first_monday(&self) -> NaiveDate {
        monday_of(self.start)
    }

    /// Teaching week number of a date (1-based), or `None` outside the teaching weeks.
    pub fn teaching_week(&self, d: NaiveDate) -> Option<u32> {
        if !self.span().contains(d) {
            return None;
        }
        let week = ((d - self.first_monday()).num_days() / 7 + 1) as u32;
        (week <= u32::from(self.teaching_weeks)).then_some(week)
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.start <= d && d <= h.end)
    }

    /// Holiday days within a span (each day counted once, even where holidays overlap).
    pub fn holiday_days_in(&self, span: DateSpan) -> i64 {
        let Some(span) = span.intersect(&self.span()) else { return 0 };
        let mut days: Vec<DateSpan> = self.holidays.iter().filter_map(|h| DateSpan::new(h.start, h.end).intersect(&span)).collect();
        days.order();
        let mut total = 0;
        let mut covered_to: Option<NaiveDate> = None;
        for h in days {
            let start = match covered_to {
                Some(c) if c >= h.start => c + Duration::days(1),
                _ => h.start,
            };
            if start <= h.end {
                total += (h.end - start).num_days() + 1;
            }
            covered_to = Some(covered_to.map_or(h.end, |c| c.max(h.end)));
        }
        total
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        errors.text("name", &self.name, true, limits::SHORT_TEXT_MAX);
        errors.text("school_year", &self.school_year, true, 32);
        // Before any date arithmetic: far-off years would overflow it.
        for (field, d) in [("start", self.start), ("end", self.end)] {
            if !crate::school_time::in_calendar_range(d) {
                errors.add(field, "out_of_range", crate::school_time::out_of_range_message());
            }
        }
        if !errors.is_empty() {
            return errors;
        }
        if self.end <= self.start {
            errors.add("end", "before_start", "must come after the start");
            return errors;
        }
        if self.span().days() > 366 {
            errors.add("end", "too_long", "a semester lasts at most a year");
        }
        let weeks = ((self.end - self.first_monday()).num_days() / 7 + 1) as u8;
        if self.teaching_weeks == 0 {
            errors.add("teaching_weeks", "out_of_range", "must be at least 1");
        } else if self.teaching_weeks > weeks {
            errors.add("teaching_weeks", "out_of_range", format!("the semester has only {weeks} weeks"));
        }
        for (i, h) in self.holidays.iter().enumerate() {
            errors.text(&format!("holidays[{i}].name"), &h.name, true, limits::SHORT_TEXT_MAX);
            if h.end < h.start {
                errors.add(format!("holidays[{i}].end"), "before_start", "must not come before the start");
            } else if !self.span().contains(h.start) || !self.span().contains(h.end) {
                errors.add(format!("holidays[{i}]"), "outside_semester", "must lie within the semester");
            }
        }
        errors
    }
}

/// The school's calendar: its zone and its semesters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolCalendar {
    /// An IANA zone name (`Asia/Shanghai`): dates of records are read in it.
    pub time_zone: String,
    /// Semesters in any order; they must not overlap.
    pub semesters: Vec<Semester>,
}

impl Default for SchoolCalendar {
    fn default() -> Self {
        SchoolCalendar { time_zone: crate::school_time::DEFAULT_TIME_ZONE.to_string(), semesters: Vec::new() }
    }
}

impl SchoolCalendar {
    pub fn semester_on(&self, d: NaiveDate) -> Option<&Semester> {
        self.semesters.iter().find(|s| s.span().contains(d))
    }

    /// The span of a school year: from its first semester's start through the summer after its
    /// last one, to the day before the next school year starts (or, when the calendar does not
    /// hold the next one yet, to 31 August of the year a `2026-2027` school year ends in). A
    /// parent contact or an archive confirmation in July or August counts for the year just
    /// taught (004 三(二), 三(四): home visits are made in the vacations).
    pub fn school_year_span(&self, school_year: &str) -> Option<DateSpan> {
        let mut of_year = self.semesters.iter().filter(|s| s.school_year == school_year);
        let first = of_year.next()?;
        let taught = of_year.fold(first.span(), |acc, s| DateSpan::new(acc.start.min(s.start), acc.end.max(s.end)));
        let next_start = self.semesters.iter().filter(|s| s.start > taught.end && s.school_year != school_year).map(|s| s.start).min();
        let end = match next_start {
            Some(next) => next - chrono::Duration::days(1),
            None => school_year
                .rsplit('-')
                .next()
                .and_then(|y| y.trim().parse::<i32>().ok())
                .and_then(|y| NaiveDate::from_ymd_opt(y, 8, 31))
                .filter(|aug| *aug >= taught.end)
                .unwrap_or(taught.end),
        };
        Some(DateSpan::new(taught.start, end))
    }

    /// The term of the semester on a day, `2026-2027-1`: its school year and its place in it,
    /// as assistance cases and semester results name semesters.
    pub fn term_on(&self, d: NaiveDate) -> Option<String> {
        let sem = self.semester_on(d)?;
        let mut same_year: Vec<&Semester> = self.semesters.iter().filter(|s| s.school_year == sem.school_year).collect();
        same_year.order_by_key(|s| s.start);
        let n = same_year.iter().position(|s| s.start == sem.start)? + 1;
        Some(format!("{}-{n}", sem.school_year))
    }

    /// The semester a term names, if the calendar holds it.
    pub fn semester_of_term(&self, term: &str) -> Option<&Semester> {
        self.semesters.iter().find(|s| self.term_on(s.start).as_deref() == Some(term))
    }

    /// The school year a date lies in, the breaks between its semesters and the summer after
    /// them included.
    /// The vacation `d` is in: from the day after the last semester ended to the day before the
    /// next one starts (or, after the last semester known, to its school year's end).
    pub fn vacation_on(&self, d: NaiveDate) -> Option<DateSpan> {
        if self.semester_on(d).is_some() {
            return None;
        }
        let ended = self.semesters.iter().filter(|s| s.end < d).max_by_key(|s| s.end)?;
        let end = match self.semesters.iter().filter(|s| s.start > d).map(|s| s.start).min() {
            Some(next) => next - chrono::Duration::days(1),
            None => self.school_year_span(&ended.school_year)?.end,
        };
        (d <= end).then(|| DateSpan::new(ended.end + chrono::Duration::days(1), end))
    }

    /// The last semester that starts within a school year's `span` (its spring semester).
    pub fn last_semester_in(&self, span: DateSpan) -> Option<&Semester> {
        self.semesters.iter().filter(|s| span.contains(s.start)).max_by_key(|s| s.start)
    }

    pub fn school_year_on(&self, d: NaiveDate) -> Option<(&str, DateSpan)> {
        self.semesters
            .iter()
            .filter_map(|s| self.school_year_span(&s.school_year).map(|span| (s.school_year.as_str(), span)))
            .find(|(_, span)| span.contains(d))
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if self.time_zone.trim().is_empty() {
            errors.add("time_zone", "required", "is required");
        }
        #[cfg(feature = "tz")]
        if !self.time_zone.is_empty() && self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            errors.add("time_zone", "unknown_zone", "is not a time zone name such as Asia/Shanghai");
        }
        for (i, s) in self.semesters.iter().enumerate() {
            errors.nest(&format!("semesters[{i}]"), s.validate());
            for other in self.semesters.iter().take(i) {
                if s.span().intersect(&other.span()).is_some() {
                    errors.add(format!("semesters[{i}]"), "overlap", format!("overlaps semester {}", other.name));
                }
            }
        }
        errors
    }
}

pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The first and last day of the calendar month of `d`.
pub fn month_of(d: NaiveDate) -> DateSpan {
    let start = d.with_day(1).unwrap_or(d);
    let next = if start.month() == 12 { NaiveDate::from_ymd_opt(start.year() + 1, 1, 1) } else { NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1) };
    let end = next.map_or(d, |n| n - Duration::days(1));
    DateSpan::new(start, end)
}

/// The calendar quarter of a day: January–March, April–June, July–September, October–December.
pub fn quarter_of(d: NaiveDate) -> DateSpan {
    let first_month = (d.month0() / 3) * 3 + 1;
    let start = NaiveDate::from_ymd_opt(d.year(), first_month, 1).unwrap_or(d);
    let last = month_of(NaiveDate::from_ymd_opt(d.year(), first_month + 2, 1).unwrap_or(d));
    DateSpan::new(start, last.end)
}

/// A demo calendar around a date: the school year 2026–2027 as Chinese universities keep it.
pub fn demo_calendar() -> SchoolCalendar {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a real date");
    SchoolCalendar {
        time_zone: crate::school_time::DEFAULT_TIME_ZONE.to_string(),
        semesters: vec![
            Semester {
                name: "2026–2027 第一学期".into(),
                school_year: "2026-2027".into(),
                start: d(2026, 9, 7),
                end: d(2027, 1, 17),
                teaching_weeks: 18,
                holidays: vec![Holiday { name: "国庆节".into(), start: d(2026, 10, 1), end: d(2026, 10, 7) }],
            },
            Semester {
                name: "2026–2027 第二学期".into(),
                school_year: "2026-2027".into(),
                start: d(2027, 2, 22),
                end: d(2027, 7, 4),
                teaching_weeks: 18,
                holidays: vec![
                    Holiday { name: "清明节".into(), start: d(2027, 4, 3), end: d(2027, 4, 5) },
                    Holiday { name: "劳动节".into(), start: d(2027, 5, 1), end: d(2027, 5, 5) },
                ],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    #[test]
    fn terms_name_the_school_year_and_the_semester() {
        let c = demo_calendar();
        assert_eq!(c.term_on(d(2026, 11, 29)).as_deref(), Some("2026-2027-1"));
        assert_eq!(c.term_on(d(2027, 3, 1)).as_deref(), Some("2026-2027-2"));
        assert_eq!(c.term_on(d(2027, 8, 1)), None, "the summer is in no semester");
        assert_eq!(c.semester_of_term("2026-2027-2").map(|s| s.start), Some(d(2027, 2, 22)));
        assert!(c.semester_of_term("2025-2026-2").is_none());
    }

    #[test]
    fn a_school_year_runs_through_the_summer_after_it() {
        let mut c = demo_calendar();
        // The demo calendar holds no next year: the summer ends on 31 August.
        assert_eq!(c.school_year_span("2026-2027"), Some(DateSpan::new(d(2026, 9, 7), d(2027, 8, 31))));
        assert_eq!(c.school_year_on(d(2027, 7, 20)).map(|(y, _)| y), Some("2026-2027"));
        // With the next year in the calendar, to the day before it starts.
        c.semesters.push(Semester {
            name: "下一学年".into(),
            school_year: "2027-2028".into(),
            start: d(2027, 8, 30),
            end: d(2028, 1, 16),
            teaching_weeks: 18,
            holidays: vec![],
        });
        assert_eq!(c.school_year_span("2026-2027").map(|s| s.end), Some(d(2027, 8, 29)));
        assert_eq!(c.school_year_on(d(2027, 8, 30)).map(|(y, _)| y), Some("2027-2028"));
    }

    #[test]
    fn the_demo_calendar_is_valid() {
        assert!(demo_calendar().validate().is_empty(), "{:?}", demo_calendar().validate());
    }

    #[test]
    fn teaching_weeks_start_on_the_first_monday() {
        let first = &demo_calendar().semesters[0];
        assert_eq!(first.teaching_week(d(2026, 9, 7)), Some(1));
        assert_eq!(first.teaching_week(d(2026, 9, 13)), Some(1));
        assert_eq!(first.teaching_week(d(2026, 11, 23)), Some(12));
        assert_eq!(first.teaching_week(d(2027, 1, 11)), None, "week 19 is for exams");
        assert_eq!(first.teaching_week(d(2026, 9, 6)), None);
    }

    #[test]
    fn school_years_span_their_semesters_and_the_break_between() {
        let c = demo_calendar();
        let (year, span) = c.school_year_on(d(2027, 2, 1)).expect("winter break is in the school year");
        assert_eq!((year, span), ("2026-2027", DateSpan::new(d(2026, 9, 7), d(2027, 8, 31))));
        assert!(c.semester_on(d(2027, 2, 1)).is_none());
        assert!(c.school_year_on(d(2026, 9, 6)).is_none(), "before the calendar's first semester");
    }

    #[test]
    fn overlapping_holidays_count_each_day_once() {
        let mut s = demo_calendar().semesters[0].clone();
        s.holidays.push(Holiday { name: "校庆".into(), start: d(2026, 10, 5), end: d(2026, 10, 9) });
        assert_eq!(s.holiday_days_in(DateSpan::new(d(2026, 9, 30), d(2026, 10, 31))), 9);
        assert_eq!(s.holiday_days_in(DateSpan::new(d(2026, 10, 3), d(2026, 10, 4))), 2);
    }

    #[test]
    fn semesters_in_far_off_years_are_refused_before_any_arithmetic() {
        let mut s = demo_calendar().semesters[0].clone();
        s.start = NaiveDate::MIN;
        s.end = NaiveDate::MAX;
        assert_eq!(s.validate().codes(), vec![("start", "out_of_range"), ("end", "out_of_range")]);
    }

    #[test]
    fn bad_calendars_are_refused_with_the_field() {
        let mut c = demo_calendar();
        c.semesters[0].end = c.semesters[0].start;
        c.semesters[1].teaching_weeks = 0;
        c.semesters[1].holidays[0].start = d(2026, 1, 1);
        let mut overlap = c.semesters[1].clone();
        overlap.name = "重复".into();
        c.semesters.push(overlap);
        let codes = c.validate().codes().into_iter().map(|(f, c)| format!("{f} {c}")).collect::<Vec<_>>();
        assert!(codes.contains(&"semesters[0].end before_start".to_string()), "{codes:?}");
        assert!(codes.contains(&"semesters[1].teaching_weeks out_of_range".to_string()), "{codes:?}");
        assert!(codes.contains(&"semesters[1].holidays[0] outside_semester".to_string()), "{codes:?}");
        assert!(codes.contains(&"semesters[2] overlap".to_string()), "{codes:?}");
    }

    #[test]
    fn months_end_on_their_last_day() {
        assert_eq!(month_of(d(2027, 2, 14)), DateSpan::new(d(2027, 2, 1), d(2027, 2, 28)));
        assert_eq!(month_of(d(2026, 12, 31)), DateSpan::new(d(2026, 12, 1), d(2026, 12, 31)));
    }
}

//! The school's clock: times are stored with their offset and shown in the school's zone.
//!
//! The helpers are generic over the zone: the server passes the IANA zone (`tz` feature), the
//! phone a fixed offset it got from the server, which keeps the tz database out of the bundle.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

/// The default zone of a Chinese university; an institution can configure another.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";
/// Asia/Shanghai has no daylight saving: +08:00 all year.
pub const DEFAULT_OFFSET_SECONDS: i32 = 8 * 3600;

/// The years a date the school deals in may lie in. Dates far outside (chrono reaches year
/// ±262,143) are never real school days, and the duty engine's date arithmetic on them can
/// overflow: every date that comes from outside (a query, a form, an archive) is held here.
pub const FIRST_YEAR: i32 = 1970;
pub const LAST_YEAR: i32 = 9999;

/// Whether a date lies in [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn in_calendar_range(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// What is wrong with a date out of range, said once for every place that checks it.
pub fn out_of_range_message() -> String {
    format!("must lie in the years {FIRST_YEAR} to {LAST_YEAR}")
}

/// `#[serde(default, deserialize_with = "rounds::school_time::calendar_date")]` for an optional
/// date in a query string or body: a date out of range is refused as the request is read.
pub fn calendar_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    let date = <Option<NaiveDate> as serde::Deserialize>::deserialize(deserializer)?;
    match date {
        Some(d) if !in_calendar_range(d) => Err(serde::de::Error::custom(format!("the date {d} {}", out_of_range_message()))),
        other => Ok(other),
    }
}

/// Parses an IANA zone name, falling back to the default for an unknown name.
#[cfg(feature = "tz")]
pub fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// The current instant expressed in the school's zone, with its offset.
pub fn now_in<Z: TimeZone>(zone: &Z) -> DateTime<FixedOffset> {
    to_school(Utc::now(), zone)
}

pub fn to_school<Z: TimeZone, Y: TimeZone>(t: DateTime<Y>, zone: &Z) -> DateTime<FixedOffset> {
    t.with_timezone(zone).fixed_offset()
}

/// A fixed offset from seconds east of UTC, or the default for an impossible value.
pub fn offset(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| FixedOffset::east_opt(DEFAULT_OFFSET_SECONDS).expect("+08:00 is valid"))
}

/// `2026-11-23 14:05`, in the school's zone: `%Y-%m-%d %H:%M`, written without chrono's format
/// strings, whose parser and formatter are some 10 KB of the phone's first download.
pub fn format_minute<Z: TimeZone>(t: &DateTime<FixedOffset>, zone: &Z) -> String {
    let local = t.with_timezone(zone).naive_local();
    // A date's `Display` is `%Y-%m-%d`.
    format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute())
}

/// Whole days between two instants, counted on the school's calendar (a check at 23:50 and
/// one at 00:10 are one day apart).
pub fn calendar_days_between<Z: TimeZone>(earlier: &DateTime<FixedOffset>, later: &DateTime<FixedOffset>, zone: &Z) -> i64 {
    let a = earlier.with_timezone(zone).date_naive();
    let b = later.with_timezone(zone).date_naive();
    (b - a).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_is_written_as_chrono_formats_it() {
        let zone = offset(DEFAULT_OFFSET_SECONDS);
        let times = ["2026-11-23T06:05:09Z", "2026-12-31T16:00:00Z", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59+00:00", "1970-01-01T00:00:00Z"];
        for time in times {
            let t = DateTime::parse_from_rfc3339(time).unwrap();
            assert_eq!(format_minute(&t, &zone), t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(), "{time}");
        }
        assert_eq!(format_minute(&DateTime::parse_from_rfc3339("2026-11-23T06:05:09Z").unwrap(), &zone), "2026-11-23 14:05");
        // Years outside 0000–9999 carry their sign, as `%Y` writes them.
        for year in [-1, 10_000] {
            let t = NaiveDate::from_ymd_opt(year, 3, 4).unwrap().and_hms_opt(5, 6, 7).unwrap().and_utc().fixed_offset();
            assert_eq!(format_minute(&t, &Utc), t.format("%Y-%m-%d %H:%M").to_string(), "{year}");
        }
    }

    #[test]
    fn calendar_days_follow_the_school_zone_not_utc() {
        // 15:50 UTC is 23:50 in Shanghai; 16:10 UTC is 00:10 the next day there.
        let a = DateTime::parse_from_rfc3339("2026-11-23T15:50:00Z").unwrap();
        let b = DateTime::parse_from_rfc3339("2026-11-23T16:10:00Z").unwrap();
        assert_eq!(calendar_days_between(&a, &b, &chrono_tz::Asia::Shanghai), 1);
        assert_eq!(calendar_days_between(&a, &b, &offset(DEFAULT_OFFSET_SECONDS)), 1);
        assert_eq!(calendar_days_between(&a, &b, &Utc), 0);
    }

    #[cfg(feature = "tz")]
    #[test]
    fn unknown_zone_falls_back_to_shanghai() {
        assert_eq!(zone("Mars/Olympus"), chrono_tz::Asia::Shanghai);
    }

    #[test]
    fn format_minute_shows_local_wall_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T06:05:00Z").unwrap();
        assert_eq!(format_minute(&t, &chrono_tz::Asia::Shanghai), "2026-11-23 14:05");
        assert_eq!(format_minute(&t, &offset(DEFAULT_OFFSET_SECONDS)), "2026-11-23 14:05");
    }

    #[test]
    fn impossible_offsets_fall_back() {
        assert_eq!(offset(999_999), offset(DEFAULT_OFFSET_SECONDS));
        assert_eq!(offset(-5 * 3600).local_minus_utc(), -5 * 3600);
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct OnDate {
        #[serde(default, deserialize_with = "calendar_date")]
        date: Option<NaiveDate>,
    }

    #[test]
    fn dates_outside_the_calendar_years_are_refused_as_they_are_read() {
        let read = |json: &str| serde_json::from_str::<OnDate>(json).map(|d| d.date);
        assert_eq!(read(r#"{"date":"2026-11-23"}"#).ok().flatten(), NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(read("{}").ok(), Some(None));
        assert!(read(r#"{"date":"-262144-01-01"}"#).is_err());
        assert!(read(r#"{"date":"+262143-12-31"}"#).is_err());
        assert!(read(r#"{"date":"1969-12-31"}"#).is_err());
        assert!(read(r#"{"date":"9999-12-31"}"#).is_ok());
    }
}

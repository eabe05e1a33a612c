//! The school's clock: times are stored with their offset and shown in the school's zone.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use chrono_tz::Tz;

/// The default zone of a Chinese university; an institution can configure another.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Parses an IANA zone name, falling back to the default for an unknown name.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// The current instant expressed in the school's zone, with its offset.
pub fn now_in(zone: Tz) -> DateTime<FixedOffset> {
    to_school(Utc::now(), zone)
}

pub fn to_school<Z: TimeZone>(t: DateTime<Z>, zone: Tz) -> DateTime<FixedOffset> {
    t.with_timezone(&zone).fixed_offset()
}

/// `2026-11-23 14:05`, in the school's zone.
pub fn format_minute(t: &DateTime<FixedOffset>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// Whole days between two instants, counted on the school's calendar (a check at 23:50 and
/// one at 00:10 are one day apart).
pub fn calendar_days_between(earlier: &DateTime<FixedOffset>, later: &DateTime<FixedOffset>, zone: Tz) -> i64 {
    let a = earlier.with_timezone(&zone).date_naive();
    let b = later.with_timezone(&zone).date_naive();
    (b - a).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_days_follow_the_school_zone_not_utc() {
        // 15:50 UTC is 23:50 in Shanghai; 16:10 UTC is 00:10 the next day there.
        let a = DateTime::parse_from_rfc3339("2026-11-23T15:50:00Z").unwrap();
        let b = DateTime::parse_from_rfc3339("2026-11-23T16:10:00Z").unwrap();
        assert_eq!(calendar_days_between(&a, &b, zone("Asia/Shanghai")), 1);
        assert_eq!(calendar_days_between(&a, &b, zone("UTC")), 0);
    }

    #[test]
    fn unknown_zone_falls_back_to_shanghai() {
        assert_eq!(zone("Mars/Olympus"), chrono_tz::Asia::Shanghai);
    }

    #[test]
    fn format_minute_shows_local_wall_time() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T06:05:00Z").unwrap();
        assert_eq!(format_minute(&t, zone("Asia/Shanghai")), "2026-11-23 14:05");
    }
}

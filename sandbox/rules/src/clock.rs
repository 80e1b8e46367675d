//! Datetimes in the vendor's `YYYY-MM-DD HH:MM:SS` text form.
//!
//! LiveAgent answers in the "America/Los_Angeles" time zone, and so does
//! the sandbox, with the real rules (UTC-8 in winter, UTC-7 in summer)
//! of the one zone it needs, embedded (`America_Los_Angeles.tzif`, from the
//! IANA tz database, public domain), so that it depends on no host's
//! `/usr/share/zoneinfo` and the wasm build carries no other zone. The clock itself is the
//! driver's: it passes the current Unix time in.

use jiff::tz::{self, TimeZone};
use jiff::Timestamp;
use std::sync::LazyLock;

/// The IANA name of the sandbox's server time zone (the vendor's).
pub const SERVER_TIME_ZONE: &str = "America/Los_Angeles";

/// The zone's rules in the TZif format (RFC 8536).
const SERVER_ZONE_TZIF: &[u8] = include_bytes!("America_Los_Angeles.tzif");

/// The server time zone, read once. The embedded data is valid (tested);
/// were it not, Pacific Standard Time is the closest guess.
static SERVER_ZONE: LazyLock<TimeZone> = LazyLock::new(|| {
    TimeZone::tzif(SERVER_TIME_ZONE, SERVER_ZONE_TZIF).unwrap_or(TimeZone::fixed(tz::offset(-8)))
});

/// Formats a Unix time as server time (America/Los_Angeles) in the
/// vendor's text form. Times beyond what `jiff` represents (years
/// -9999..=9999) are clamped to its range.
pub fn format_unix(unix_secs: i64) -> String {
    let instant = Timestamp::from_second(unix_secs).unwrap_or(if unix_secs < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    let local = SERVER_ZONE.to_datetime(instant);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// Whether `s` is `YYYY-MM-DD HH:MM:SS` with month 01-12, day 01-31, hour
/// 00-23, minute and second 00-59 (the same check the client makes).
pub fn is_datetime(s: &str) -> bool {
    let shape_ok = s.len() == 19
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return false;
    }
    let field = |from: usize, to: usize| -> u32 {
        s.get(from..to)
            .and_then(|t| t.parse().ok())
            .unwrap_or(u32::MAX)
    };
    (1..=12).contains(&field(5, 7))
        && (1..=31).contains(&field(8, 10))
        && field(11, 13) <= 23
        && field(14, 16) <= 59
        && field(17, 19) <= 59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_zone_reads() {
        assert!(TimeZone::tzif(SERVER_TIME_ZONE, SERVER_ZONE_TZIF).is_ok());
    }

    #[test]
    fn january_is_utc_minus_8() {
        assert_eq!(format_unix(0), "1969-12-31 16:00:00");
        // 2024-01-15 12:00:00 UTC
        assert_eq!(format_unix(1_705_320_000), "2024-01-15 04:00:00");
        // 2024-02-29 12:00:00 UTC
        assert_eq!(format_unix(1_709_208_000), "2024-02-29 04:00:00");
    }

    #[test]
    fn july_is_utc_minus_7() {
        // 2024-07-15 12:00:00 UTC
        assert_eq!(format_unix(1_721_044_800), "2024-07-15 05:00:00");
        // 2014-07-01 00:00:00 UTC
        assert_eq!(format_unix(1_404_172_800), "2014-06-30 17:00:00");
    }

    #[test]
    fn follows_the_switches_to_and_from_summer_time() {
        // 2024-03-10 09:59:59 / 10:00:00 UTC: 01:59:59 PST, then 03:00:00 PDT.
        assert_eq!(format_unix(1_710_064_799), "2024-03-10 01:59:59");
        assert_eq!(format_unix(1_710_064_800), "2024-03-10 03:00:00");
        // 2024-11-03 08:59:59 / 09:00:00 UTC: 01:59:59 PDT, then 01:00:00 PST.
        assert_eq!(format_unix(1_730_624_399), "2024-11-03 01:59:59");
        assert_eq!(format_unix(1_730_624_400), "2024-11-03 01:00:00");
    }

    #[test]
    fn now_and_extremes_are_datetimes() {
        assert!(is_datetime(&format_unix(1_765_000_000)));
        assert!(!format_unix(i64::MAX).is_empty());
        assert!(!format_unix(i64::MIN).is_empty());
    }

    #[test]
    fn checks_the_vendor_datetime_form() {
        assert!(is_datetime("2012-11-10 07:12:51"));
        assert!(!is_datetime("2008-12-11 08:95:41"));
        assert!(!is_datetime("2012-13-10 07:12:51"));
        assert!(!is_datetime("2012-11-10T07:12:51"));
        assert!(!is_datetime("2012-11-10"));
        assert!(!is_datetime("２０１２-11-10 07:12:5"));
    }
}

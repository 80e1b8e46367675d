//! Datetimes in the vendor's `YYYY-MM-DD HH:MM:SS` text form.
//!
//! LiveAgent answers in the "America/Los_Angeles" time zone. The sandbox
//! uses a fixed UTC-8 offset (Pacific Standard Time, no daylight saving) so
//! that it needs no time-zone database; clients only ever see the text.

use std::time::{SystemTime, UNIX_EPOCH};

/// Offset of the sandbox's server time from UTC, in seconds (UTC-8).
pub const SERVER_OFFSET_SECS: i64 = -8 * 3600;

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
        .unwrap_or(0)
}

/// The current server time as `YYYY-MM-DD HH:MM:SS`.
pub fn now_text() -> String {
    format_unix(unix_now())
}

/// Formats a Unix time as server time (UTC-8) in the vendor's text form.
pub fn format_unix(unix_secs: i64) -> String {
    let local = unix_secs + SERVER_OFFSET_SECS;
    let days = local.div_euclid(86_400);
    let secs_of_day = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    fn formats_in_utc_minus_8() {
        assert_eq!(format_unix(0), "1969-12-31 16:00:00");
        // 2024-02-29 12:00:00 UTC
        assert_eq!(format_unix(1_709_208_000), "2024-02-29 04:00:00");
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

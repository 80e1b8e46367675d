//! When to try a call again, and how long to wait first.
//!
//! The rules of `API.md` ("Retries"), once, for every driver: GET, PUT and
//! DELETE are retried on 429, 502, 503, 504, network errors and timeouts;
//! POST never; exponential backoff with jitter; `Retry-After` honoured (in
//! seconds or as an HTTP date), except beyond [`MAX_WAIT_MS`], where the
//! error goes back to the caller to schedule.

/// First backoff step.
pub const BASE_MS: u32 = 250;
/// Longest backoff step.
pub const CAP_MS: u32 = 8_000;
/// A `Retry-After` longer than this is not waited for.
pub const MAX_WAIT_MS: u64 = 60_000;

/// Whether an HTTP status means "try again later".
pub const fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502..=504)
}

/// Delay before retry number `retry` (0 for the first): half of the step is
/// fixed, half is drawn from `random` (in `[0, 1)`), so that clients that
/// failed together do not come back together.
pub fn backoff_ms(retry: u32, random: f64) -> u32 {
    let step = BASE_MS
        .checked_shl(retry.min(16))
        .map_or(CAP_MS, |s| s.min(CAP_MS));
    let half = step / 2;
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // `random < 1` keeps the jitter below `half`; clamp the edge case 1.0.
    half + ((f64::from(half) * random) as u32).min(half.saturating_sub(1))
}

/// The wait a `Retry-After` value asks for, in ms: whole seconds, or an HTTP
/// date (`Sun, 06 Nov 1994 08:49:37 GMT`, its RFC 850 and asctime forms)
/// measured from `now_ms` (ms since the Unix epoch). `None` when unreadable.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let bytes = value.as_bytes();
    let start = bytes.iter().position(|b| *b != b' ' && *b != b'\t')?;
    let end = bytes.iter().rposition(|b| *b != b' ' && *b != b'\t')?;
    let text = bytes.get(start..=end)?;
    if text.iter().all(u8::is_ascii_digit) {
        let mut seconds: u64 = 0;
        for &b in text {
            seconds = seconds
                .saturating_mul(10)
                .saturating_add(u64::from(b - b'0'));
        }
        return Some(seconds.saturating_mul(1000));
    }
    let at = http_date_ms(text)?;
    let wait = at - now_ms;
    Some(if wait > 0.0 { wait as u64 } else { 0 })
}

const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The digits of `token` as a number, if it is only (at most 9) digits.
fn number(token: &[u8]) -> Option<u32> {
    if token.is_empty() || token.len() > 9 {
        return None;
    }
    token.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Parses the three HTTP date forms of RFC 9110 into ms since the epoch.
/// In each form the numbers other than the time are the day, then the year.
///
/// Byte-level on purpose: `str::split` and `str::parse` would bring panic
/// formatting into the wasm (the figure: bench/README.md).
fn http_date_ms(text: &[u8]) -> Option<f64> {
    let mut month = None;
    let mut time = None;
    let mut numbers: [Option<(u32, usize)>; 2] = [None, None];
    let mut count = 0;
    let tokens = text
        .split(|&b| b == b' ' || b == b',' || b == b'-')
        .filter(|t| !t.is_empty());
    for (i, token) in tokens.enumerate() {
        if token.contains(&b':') {
            time = Some(parse_time(token)?);
        } else if let Some(value) = number(token) {
            *numbers.get_mut(count)? = Some((value, token.len()));
            count += 1;
        } else if let Some(m) = MONTHS.iter().position(|m| *m == token) {
            month = Some(m as u32 + 1);
        } else if token != b"GMT" && token != b"UTC" && i != 0 {
            // Only the weekday (first) may be another word.
            return None;
        }
    }
    let (day, _) = numbers.first().copied().flatten()?;
    let (year, digits) = numbers.get(1).copied().flatten()?;
    let year = match digits {
        // RFC 850's two-digit year: the nearest century that is not far ahead.
        2 if year < 70 => 2000 + year,
        2 => 1900 + year,
        4 => year,
        _ => return None,
    };
    let month = month?;
    if !(1..=31).contains(&day) || day > days_in_month(year, month) {
        return None;
    }
    let (h, m, s) = time?;
    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(h * 3600 + m * 60 + s);
    Some(seconds as f64 * 1000.0)
}

/// `HH:MM:SS`, each part two digits.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let [h0, h1, b':', m0, m1, b':', s0, s1] = *token else {
        return None;
    };
    let part = |a: u8, b: u8, max: u32| number(&[a, b]).filter(|v| *v <= max);
    Some((part(h0, h1, 23)?, part(m0, m1, 59)?, part(s0, s1, 60)?))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this many ms.
    Retry(u32),
    /// Give the error to the caller.
    GiveUp,
}

/// Decides about the failed attempt number `attempt` (1 for the first) of a
/// call allowed `max_retries` retries (0 for POST, see
/// [`crate::sansio::operation::Method::is_idempotent`]). `retryable` says
/// whether the failure may pass; `retry_after_ms` is what the server asked.
pub fn decide(
    attempt: u32,
    max_retries: u32,
    retryable: bool,
    retry_after_ms: Option<u64>,
    random: f64,
) -> Decision {
    if !retryable || attempt > max_retries {
        return Decision::GiveUp;
    }
    match retry_after_ms {
        Some(ms) if ms > MAX_WAIT_MS => Decision::GiveUp,
        Some(ms) => Decision::Retry(ms as u32),
        None => Decision::Retry(backoff_ms(attempt.saturating_sub(1), random)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses_are_429_and_502_to_504() {
        for status in [429, 502, 503, 504] {
            assert!(is_retryable_status(status), "{status}");
        }
        for status in [200, 400, 401, 404, 422, 500, 501, 505] {
            assert!(!is_retryable_status(status), "{status}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_half_jitter() {
        assert_eq!(backoff_ms(0, 0.0), 125);
        assert_eq!(backoff_ms(0, 0.999_999), 249);
        assert_eq!(backoff_ms(1, 0.0), 250);
        assert_eq!(backoff_ms(2, 0.5), 500 + 250);
        assert_eq!(backoff_ms(5, 0.0), 4_000);
        assert_eq!(backoff_ms(6, 0.0), 4_000);
        assert_eq!(backoff_ms(40, 0.999), 4_000 + 3_996);
        assert_eq!(backoff_ms(u32::MAX, 1.0), 7_999);
        assert_eq!(backoff_ms(3, f64::NAN), 1_000);
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(retry_after_ms("0", 0.0), Some(0));
        assert_eq!(retry_after_ms(" 120 ", 0.0), Some(120_000));
        assert_eq!(
            retry_after_ms("99999999999999999999999", 0.0),
            Some(u64::MAX)
        );
        for bad in ["", "-1", "1.5", "soon", "1e3", "٣"] {
            assert_eq!(retry_after_ms(bad, 0.0), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_as_an_http_date_in_its_three_forms() {
        // 1994-11-06 08:49:37 UTC
        let at = 784_111_777_000.0;
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(retry_after_ms(form, at - 5_000.0), Some(5_000), "{form}");
        }
        // A date in the past means "now".
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", at + 1.0),
            Some(0)
        );
        assert_eq!(
            retry_after_ms("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
            Some(0)
        );
        for bad in [
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 19945 08:49:37 GMT",
            "tomorrow",
        ] {
            assert_eq!(retry_after_ms(bad, 0.0), None, "{bad}");
        }
        assert_eq!(
            retry_after_ms("Tue, 29 Feb 2000 00:00:00 GMT", 0.0),
            Some(951_782_400_000)
        );
    }

    #[test]
    fn decisions_follow_the_retry_rules() {
        // Not retryable, or out of retries: give up.
        assert_eq!(decide(1, 2, false, None, 0.0), Decision::GiveUp);
        assert_eq!(decide(3, 2, true, None, 0.0), Decision::GiveUp);
        assert_eq!(decide(1, 0, true, None, 0.0), Decision::GiveUp);
        // Backoff grows with the attempt.
        assert_eq!(decide(1, 2, true, None, 0.0), Decision::Retry(125));
        assert_eq!(decide(2, 2, true, None, 0.0), Decision::Retry(250));
        // Retry-After wins over backoff, up to the cap.
        assert_eq!(decide(1, 2, true, Some(0), 0.9), Decision::Retry(0));
        assert_eq!(
            decide(1, 2, true, Some(60_000), 0.9),
            Decision::Retry(60_000)
        );
        assert_eq!(decide(1, 2, true, Some(60_001), 0.9), Decision::GiveUp);
    }
}

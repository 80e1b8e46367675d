//! Attempts and waits (`sansio::call`, `sansio::policy`) through the exchange.

use super::*;
use crate::request_props::field;

#[derive(Clone, Debug)]
enum RetryAfter {
    Seconds(String),
    /// An HTTP date this many seconds from now, in form 0 (IMF-fixdate),
    /// 1 (RFC 850) or 2 (asctime).
    Date(i64, u8),
    Garbage(String),
}

#[derive(Clone, Debug)]
enum Outcome {
    /// `body`: 0 the OK envelope, 1 the error envelope, 2 an HTML page.
    Response {
        status: u16,
        retry_after: Option<RetryAfter>,
        body: u8,
    },
    Network(String),
    Timeout(u32),
    Aborted,
    Deadline,
}

fn retry_after_value() -> impl Strategy<Value = RetryAfter> {
    prop_oneof![
        3 => (0u64..=75).prop_map(|s| RetryAfter::Seconds(s.to_string())),
        1 => select(vec![" 5 ", "\t0", "60", "61", "007", "99999999999999999999999", "-1", "1.5", "1e3", ""])
            .prop_map(|s| RetryAfter::Seconds(s.into())),
        3 => (-30i64..=75, 0u8..3).prop_map(|(s, form)| RetryAfter::Date(s, form)),
        1 => text(0..30).prop_map(RetryAfter::Garbage),
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let status = prop_oneof![
        3 => select(vec![200u16, 204, 400, 401, 404, 429, 500, 501, 502, 503, 504]),
        1 => 100u16..=599,
    ];
    prop_oneof![
        6 => (status, proptest::option::weighted(0.6, retry_after_value()), 0u8..3).prop_map(
            |(status, retry_after, body)| Outcome::Response { status, retry_after, body }
        ),
        1 => text(0..20).prop_map(Outcome::Network),
        1 => (1u32..=60_000).prop_map(Outcome::Timeout),
        1 => Just(Outcome::Aborted),
        1 => Just(Outcome::Deadline),
    ]
}

/// An HTTP date in one of its three forms.
fn http_date(seconds: i64, form: u8) -> String {
    let seconds = seconds.max(0);
    let at = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
    match form {
        0 => httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds as u64)),
        1 => at.format("%A, %d-%b-%y %H:%M:%S GMT").to_string(),
        _ => at.format("%a %b %e %H:%M:%S %Y").to_string(),
    }
}

fn render_retry_after(value: &RetryAfter, now_ms: f64) -> String {
    match value {
        RetryAfter::Seconds(s) | RetryAfter::Garbage(s) => s.clone(),
        RetryAfter::Date(offset, form) => {
            http_date((now_ms / 1000.0).floor() as i64 + offset, *form)
        }
    }
}

/// A random number as drivers give it, and the edges they should not.
fn random() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => 0.0f64..1.0,
        1 => select(vec![0.0, 0.999_999_999_999, 1.0, -0.5, 7.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
    ]
}

/// The backoff bounds of API.md: `[step/2, step)`, step = min(8000, 250·2^retry).
fn backoff_bounds(retry: u32) -> (u64, u64) {
    let step = if retry >= 6 {
        8_000
    } else {
        (250u64 << retry).min(8_000)
    };
    (step / 2, step)
}

#[test]
fn retry_policy() {
    let strategy = (
        op(),
        prop_oneof![6 => 0u32..=10, 1 => Just(u32::MAX)],
        vec(outcome(), 1..14),
        (0u64..=4_102_444_800_000, random()),
        (any::<u32>(), random()),
    );
    run(
        "retry_policy",
        strategy,
        |(op, max_retries, outcomes, (now, random), (retry, r))| {
            // The backoff alone, for any retry number and any random number.
            let (low, high) = backoff_bounds(retry);
            let delay = u64::from(policy::backoff_ms(retry, r));
            prop_assert!(
                low <= delay && delay < high,
                "backoff_ms({}, {}) = {}",
                retry,
                r,
                delay
            );

            let clock = Clock {
                now_ms: now as f64,
                random,
            };
            let allowed = if op.method == Method::Post {
                0
            } else {
                max_retries
            };
            prop_assert_eq!(Call::new(op, max_retries).max_retries(), allowed);
            let mut ex = exchange(op, max_retries, "k");
            for (n, outcome) in outcomes.iter().enumerate() {
                // The reference: what API.md says happens.
                let (attempt, next, done, retryable, wait) = match outcome {
                    Outcome::Response {
                        status,
                        retry_after,
                        body,
                    } => {
                        let header = retry_after
                            .as_ref()
                            .map(|v| render_retry_after(v, clock.now_ms));
                        let text = match body {
                            0 => r#"{"response":{}}"#,
                            1 => {
                                r#"{"response":{"status":"ERROR","statuscode":42,"errormessage":"no"}}"#
                            }
                            _ => "<html>busy</html>",
                        };
                        let ok = (200..300).contains(status);
                        let next = answer(
                            &mut ex,
                            *status,
                            header.as_deref(),
                            text.as_bytes(),
                            &[],
                            clock,
                        );
                        prop_assert_eq!(
                            policy::is_retryable_status(*status),
                            matches!(status, 429 | 502..=504)
                        );
                        let api_error = !ok || *body == 1;
                        let wait = header.and_then(|h| policy::retry_after_ms(&h, clock.now_ms));
                        // A POST: only when the server says it did nothing.
                        let retryable = if op.method == Method::Post {
                            matches!(status, 429 | 503)
                        } else {
                            matches!(status, 429 | 502..=504)
                        };
                        let (retryable, wait) = match status {
                            // Not an HTTP status from 200 to 599: a network
                            // error (the request may have arrived), before
                            // any body or `Retry-After` is read.
                            0..=199 => (op.method != Method::Post, None),
                            // A redirect, never followed, never retried.
                            300..=399 => (false, None),
                            _ => (api_error && retryable, wait),
                        };
                        (ex.attempt(), next, ok && *body == 0, retryable, wait)
                    }
                    failure => {
                        let failure = match failure {
                            Outcome::Network(message) => Failure::Network(message.clone()),
                            Outcome::Timeout(ms) => Failure::Timeout(*ms),
                            Outcome::Aborted => Failure::Aborted,
                            _ => Failure::Deadline,
                        };
                        // A POST that may have arrived is never retryable.
                        let retryable = op.method != Method::Post
                            && matches!(failure, Failure::Network(_) | Failure::Timeout(_));
                        let attempt = ex.start_attempt(clock.now_ms);
                        (
                            attempt,
                            ex.on_failure(failure, clock),
                            false,
                            retryable,
                            None,
                        )
                    }
                };
                prop_assert_eq!(attempt as usize, n + 1);
                prop_assert!(u64::from(attempt) <= 1 + u64::from(allowed));
                let retry = retryable && attempt <= allowed && wait.is_none_or(|ms| ms <= 60_000);
                match next {
                    Next::Done(_) => {
                        prop_assert!(done, "Done after {:?}", outcome);
                        break;
                    }
                    Next::Fail(e) => {
                        prop_assert!(!done && !retry, "gave up after {:?}", outcome);
                        prop_assert_eq!(e.is_retryable(), retryable, "{}", e);
                        if let Outcome::Response { .. } = outcome {
                            if e.kind() == ErrorKind::Api {
                                // Beyond the cap the wait comes back to the caller.
                                prop_assert_eq!(e.retry_after_ms(), wait);
                            }
                        }
                        match outcome {
                            Outcome::Aborted => prop_assert_eq!(e.kind(), ErrorKind::Aborted),
                            Outcome::Deadline | Outcome::Timeout(_) => {
                                prop_assert_eq!(e.kind(), ErrorKind::Timeout)
                            }
                            Outcome::Network(_) => prop_assert_eq!(e.kind(), ErrorKind::Network),
                            Outcome::Response { .. } => {}
                        }
                        break;
                    }
                    Next::Wait(delay_ms) => {
                        prop_assert!(retry, "retried after {:?}", outcome);
                        prop_assert!(op.method != Method::Post, "a POST retried");
                        let delay = u64::from(delay_ms);
                        match wait {
                            // Retry-After honoured exactly.
                            Some(ms) => prop_assert_eq!(delay, ms),
                            None => {
                                let (low, high) = backoff_bounds(attempt - 1);
                                prop_assert!(
                                    low <= delay && delay < high,
                                    "{} after attempt {}",
                                    delay,
                                    attempt
                                );
                            }
                        }
                    }
                    Next::Read => return Err(TestCaseError::fail("left reading")),
                }
            }
            Ok(())
        },
    );
}

#[derive(Clone, Debug)]
enum DateCase {
    /// A valid date in form 0 (IMF-fixdate), 1 (RFC 850) or 2 (asctime).
    Valid(i64, u8),
    /// IMF-fixdate's shape with fields out of range, any weekday.
    NearMiss {
        weekday: &'static str,
        day: u32,
        month: &'static str,
        year: u32,
        time: (u32, u32, u32),
    },
    Text(String),
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn date_case() -> impl Strategy<Value = DateCase> {
    const YEAR_9999: i64 = 253_402_300_799;
    const YEAR_2070: i64 = 3_155_760_000;
    let weekday = prop_oneof![
        4 => select(WEEKDAYS.to_vec()),
        1 => select(vec!["Sunday", "Foo", ""]),
    ];
    let month = prop_oneof![
        6 => select(MONTHS.to_vec()),
        1 => select(vec!["nov", "NOV", "Foo", "November"]),
    ];
    prop_oneof![
        2 => (0..=YEAR_9999, Just(0u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        1 => (0..YEAR_2070, Just(1u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        1 => (0..=YEAR_9999, Just(2u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        4 => (
            weekday,
            prop_oneof![4 => 1u32..=28, 1 => select(vec![0u32, 29, 30, 31, 32]), 1 => 0u32..=99],
            month,
            prop_oneof![4 => 1970u32..=9999, 1 => select(vec![1900u32, 1969, 10000, 0])],
            (field(0..=23), field(0..=59), prop_oneof![6 => 0u32..=59, 1 => Just(60u32), 1 => 61u32..=99]),
        )
            .prop_map(|(weekday, day, month, year, time)| DateCase::NearMiss {
                weekday,
                day,
                month,
                year,
                time,
            }),
        1 => text(0..32).prop_map(DateCase::Text),
        1 => "[ \t]{0,2}[0-9]{1,25}[ \t]{0,2}".prop_map(DateCase::Text),
    ]
}

/// `at` (ms since the epoch) as a wait from `now`, as API.md defines it.
fn wait_until(at_ms: i128, now_ms: u64) -> u64 {
    (at_ms - i128::from(now_ms)).max(0) as u64
}

fn system_ms(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    }
}

#[test]
fn retry_after() {
    let strategy = (date_case(), 0u64..=253_402_300_799_000);
    run("retry_after", strategy, |(case, now)| {
        let now_f = now as f64;
        match case {
            DateCase::Valid(seconds, form) => {
                let text = http_date(seconds, form);
                let at =
                    httpdate::parse_http_date(&text).or_fail("httpdate reads its own forms")?;
                prop_assert_eq!(system_ms(at), i128::from(seconds) * 1000);
                let want = wait_until(system_ms(at), now);
                prop_assert_eq!(
                    policy::retry_after_ms(&text, now_f),
                    Some(want),
                    "{:?}",
                    text
                );
                let padded = format!(" \t{text} ");
                prop_assert_eq!(policy::retry_after_ms(&padded, now_f), Some(want));
            }
            DateCase::NearMiss {
                weekday,
                day,
                month,
                year,
                time: (h, m, s),
            } => {
                let text =
                    format!("{weekday}, {day:02} {month} {year:04} {h:02}:{m:02}:{s:02} GMT");
                let ours = policy::retry_after_ms(&text, now_f);
                // The reference: httpdate on the same date with the right
                // weekday. Two deliberate leniencies of ours: the weekday is
                // not checked (RFC 9110 lets a recipient ignore it), and
                // second 60 (a leap second, allowed by RFC 9110's grammar) is
                // read as the next second. A year before 1970, which httpdate
                // cannot represent, is in the past: no wait.
                let month_number = MONTHS
                    .iter()
                    .position(|m| *m == month)
                    .map(|i| i as u32 + 1);
                let date = month_number
                    .and_then(|mo| chrono::NaiveDate::from_ymd_opt(year as i32, mo, day));
                let want = match date {
                    Some(date) if year <= 9999 && h < 24 && m < 60 && s <= 60 => {
                        if year < 1970 {
                            Some(0)
                        } else {
                            let right = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
                            let canonical = format!(
                                "{right}, {day:02} {month} {year:04} {h:02}:{m:02}:{:02} GMT",
                                s.min(59)
                            );
                            let at = httpdate::parse_http_date(&canonical)
                                .or_fail("httpdate reads a valid date")?;
                            Some(wait_until(
                                system_ms(at) + if s == 60 { 1000 } else { 0 },
                                now,
                            ))
                        }
                    }
                    _ => None,
                };
                prop_assert_eq!(ours, want, "{:?}", text);
                // Where httpdate reads it, so do we, the same.
                if let Ok(at) = httpdate::parse_http_date(&text) {
                    prop_assert_eq!(ours, Some(wait_until(system_ms(at), now)), "{:?}", text);
                }
            }
            DateCase::Text(text) => {
                let ours = policy::retry_after_ms(&text, now_f);
                let trimmed = text.trim_matches([' ', '\t']);
                if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    let seconds: u128 = trimmed.parse().unwrap_or(u128::MAX);
                    let want = (seconds.saturating_mul(1000)).min(u128::from(u64::MAX)) as u64;
                    prop_assert_eq!(ours, Some(want), "{:?}", text);
                } else if let Ok(at) = httpdate::parse_http_date(&text) {
                    prop_assert_eq!(ours, Some(wait_until(system_ms(at), now)), "{:?}", text);
                } else if !text.contains(':') {
                    prop_assert_eq!(ours, None, "{:?}", text);
                }
            }
        }
        Ok(())
    });
}

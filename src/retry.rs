//! When to try again: exponential backoff with jitter, and `Retry-After`.

/// First backoff step.
const BASE_MS: u32 = 250;
/// Longest backoff step.
const CAP_MS: u32 = 8_000;
/// A `Retry-After` longer than this is not waited for: the error goes back
/// to the caller, who knows better whether to wait a minute.
pub const MAX_WAIT_MS: u32 = 60_000;

/// Delay before retry number `attempt` (0-based): half of the exponential
/// step fixed, half random (`random` in `[0, 1)`), so clients that failed
/// together do not come back together.
pub fn backoff_ms(attempt: u32, random: f64) -> u32 {
    let step = BASE_MS.saturating_mul(1u32 << attempt.min(16)).min(CAP_MS);
    let half = step / 2;
    let jitter = (f64::from(half) * random.clamp(0.0, 1.0)) as u32;
    half + jitter.min(half)
}

/// The delay-seconds form of `Retry-After`, in milliseconds.
pub fn retry_after_seconds(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u32 = v.parse().ok()?;
    Some(secs.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        assert_eq!(backoff_ms(0, 0.0), 125);
        assert_eq!(backoff_ms(0, 0.999_999), 249);
        assert_eq!(backoff_ms(1, 0.0), 250);
        assert_eq!(backoff_ms(2, 0.5), 750);
        assert_eq!(backoff_ms(10, 1.0), 8_000);
        assert_eq!(backoff_ms(40, 0.0), 4_000);
    }

    #[test]
    fn retry_after_seconds_are_parsed_strictly() {
        assert_eq!(retry_after_seconds("0"), Some(0));
        assert_eq!(retry_after_seconds(" 2 "), Some(2_000));
        assert_eq!(retry_after_seconds("-1"), None);
        assert_eq!(retry_after_seconds("1.5"), None);
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after_seconds("99999999999"), None);
    }
}

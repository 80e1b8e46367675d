//! Everything that lets a test see or disturb the wire: fault rules
//! registered over HTTP, the `--fail-rate` coin, and the log of the last API
//! requests exactly as received.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// How many API requests the log keeps.
pub const LOG_CAPACITY: usize = 200;

/// How much of a body the log keeps per request.
pub const LOGGED_BODY_LIMIT: usize = 64 * 1024;

/// SplitMix64: tiny, seedable, good enough for ids and coin flips, and no
/// dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator with the given seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        // 53 random bits: exact in an f64.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `len` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .filter_map(|_| {
                let n = u64::try_from(alphabet.len()).unwrap_or(1).max(1);
                let i = usize::try_from(self.next_u64() % n).unwrap_or(0);
                alphabet.get(i).map(|b| char::from(*b))
            })
            .collect()
    }
}

/// A rule registered with `POST /_sandbox/faults`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// Applies to API requests whose raw path contains this text ("" = all).
    #[serde(default)]
    pub path_contains: String,
    /// HTTP status to answer with; 200 without `body` only delays.
    #[serde(default = "default_status")]
    pub status: u16,
    /// How many matching requests the rule still applies to.
    #[serde(default = "default_count")]
    pub count: u32,
    /// `Retry-After` header value, if any (a JSON string or number).
    #[serde(default, deserialize_with = "string_or_number")]
    pub retry_after: Option<String>,
    /// Delay before answering (or before handling normally).
    #[serde(default)]
    pub delay_ms: u64,
    /// Raw body to send instead of the error envelope.
    #[serde(default)]
    pub body: Option<String>,
    /// `Content-Type` of a raw body (default `application/json`).
    #[serde(default)]
    pub content_type: Option<String>,
}

fn default_status() -> u16 {
    503
}

fn default_count() -> u32 {
    1
}

fn string_or_number<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(serde::de::Error::custom(
            "retry_after must be a string or a number",
        )),
    }
}

impl FaultRule {
    /// Whether the rule answers in place of the API (rather than only
    /// delaying the request).
    pub fn replaces_answer(&self) -> bool {
        self.status != 200 || self.body.is_some()
    }
}

/// One API request as it arrived, for `GET /_sandbox/requests`.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// HTTP method.
    pub method: String,
    /// Path as received: raw, not percent-decoded.
    pub path: String,
    /// Raw query string ("" when none).
    pub query: String,
    /// Raw body (non-UTF-8 bytes shown as U+FFFD); `null` when it was too
    /// large to read.
    pub body: Option<String>,
    /// Whether `body` was cut at 64 KiB.
    pub body_truncated: bool,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
}

/// Fault rules, the fail-rate coin and the request log.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<FaultRule>,
    fail_rate: f64,
    rng: Rng,
    log: VecDeque<LoggedRequest>,
}

impl Faults {
    /// No rules, an empty log, and `fail_rate` (0..1) of injected 503s.
    pub fn new(fail_rate: f64, seed: u64) -> Faults {
        Faults {
            rules: Vec::new(),
            fail_rate,
            rng: Rng::new(seed ^ 0xFA17_FA17_FA17_FA17),
            log: VecDeque::new(),
        }
    }

    /// Adds a rule; it applies after the ones registered before it.
    pub fn add_rule(&mut self, rule: FaultRule) {
        if rule.count > 0 {
            self.rules.push(rule);
        }
    }

    /// The rules still active.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Drops every rule.
    pub fn clear_rules(&mut self) {
        self.rules.clear();
    }

    /// Takes one use of the first active rule matching `raw_path`.
    pub fn take_rule(&mut self, raw_path: &str) -> Option<FaultRule> {
        let rule = self
            .rules
            .iter_mut()
            .find(|r| r.count > 0 && raw_path.contains(&r.path_contains))?;
        rule.count = rule.count.saturating_sub(1);
        let taken = rule.clone();
        self.rules.retain(|r| r.count > 0);
        Some(taken)
    }

    /// Flips the `--fail-rate` coin.
    pub fn roll_failure(&mut self) -> bool {
        self.fail_rate > 0.0 && self.rng.next_f64() < self.fail_rate
    }

    /// Appends to the log, forgetting the oldest entry past capacity.
    pub fn log(&mut self, entry: LoggedRequest) {
        if self.log.len() >= LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }

    /// Logged requests whose raw path contains `filter`, oldest first.
    pub fn logged(&self, filter: &str) -> Vec<LoggedRequest> {
        self.log
            .iter()
            .filter(|r| r.path.contains(filter))
            .cloned()
            .collect()
    }

    /// Empties the log.
    pub fn clear_log(&mut self) {
        self.log.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str, count: u32) -> FaultRule {
        FaultRule {
            path_contains: path.to_owned(),
            status: 503,
            count,
            retry_after: None,
            delay_ms: 0,
            body: None,
            content_type: None,
        }
    }

    #[test]
    fn rules_apply_count_times_in_order() {
        let mut f = Faults::new(0.0, 1);
        f.add_rule(rule("/status", 2));
        f.add_rule(rule("", 1));
        assert!(f
            .take_rule("/x/status")
            .is_some_and(|r| r.path_contains == "/status"));
        assert!(f
            .take_rule("/x/status")
            .is_some_and(|r| r.path_contains == "/status"));
        assert!(f
            .take_rule("/x/status")
            .is_some_and(|r| r.path_contains.is_empty()));
        assert!(f.take_rule("/x/status").is_none());
    }

    #[test]
    fn log_keeps_the_newest() {
        let mut f = Faults::new(0.0, 1);
        for i in 0..(LOG_CAPACITY + 5) {
            f.log(LoggedRequest {
                method: "GET".into(),
                path: format!("/p{i}"),
                query: String::new(),
                body: None,
                body_truncated: false,
                content_type: None,
            });
        }
        let all = f.logged("");
        assert_eq!(all.len(), LOG_CAPACITY);
        assert_eq!(all.last().map(|r| r.path.as_str()), Some("/p204"));
    }

    #[test]
    fn fail_rate_is_roughly_honoured() {
        let mut f = Faults::new(0.25, 42);
        let fails = (0..10_000).filter(|_| f.roll_failure()).count();
        assert!((2_000..3_000).contains(&fails), "{fails}");
    }

    #[test]
    fn retry_after_accepts_numbers() {
        let r: Result<FaultRule, _> = serde_json::from_str(r#"{"retry_after": 0}"#);
        assert_eq!(r.ok().and_then(|r| r.retry_after).as_deref(), Some("0"));
    }
}

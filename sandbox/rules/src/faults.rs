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

/// Longest delay a fault rule's `delay_ms` or `--latency-ms` may ask for
/// (5 minutes: longer than any client timeout worth testing).
pub const MAX_DELAY_MS: u64 = 300_000;

/// Named fault rules for the demo's "chaos" panel, so that a page needs
/// only a name; fields given beside a preset override its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Preset {
    /// Three 503 answers with `Retry-After: 1`: retries to watch.
    #[serde(rename = "503_burst")]
    Burst503,
    /// Ten answers delayed by 3 s, then answered normally.
    #[serde(rename = "slow")]
    Slow,
    /// One answer delayed by 120 s: client timeouts and Cancel buttons.
    #[serde(rename = "hang")]
    Hang,
    /// One 401 worded as for a wrong API key.
    #[serde(rename = "wrong_key")]
    WrongKey,
}

impl Preset {
    /// `(status, count, retry_after, delay_ms)` of the preset.
    fn values(self) -> (u16, u32, Option<&'static str>, u64) {
        match self {
            Preset::Burst503 => (503, 3, Some("1"), 0),
            Preset::Slow => (200, 10, None, 3_000),
            Preset::Hang => (200, 1, None, 120_000),
            Preset::WrongKey => (401, 1, None, 0),
        }
    }
}

/// A rule registered with `POST /_sandbox/faults`, checked as it is read
/// (an invalid one is a 400 for whoever registered it, never a surprise
/// later in an API answer).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(try_from = "RuleFields")]
pub struct FaultRule {
    /// Applies to API requests whose raw path contains this text ("" = all).
    pub path_contains: String,
    /// Applies only to this call, by the client's method name
    /// (`getAccount`); `None` = any call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// HTTP status to answer with; 200 without `body` only delays.
    pub status: u16,
    /// How many matching requests the rule still applies to.
    pub count: u32,
    /// `Retry-After` header value, if any (a JSON string or number).
    pub retry_after: Option<String>,
    /// Delay before answering (or before handling normally), at most
    /// [`MAX_DELAY_MS`].
    pub delay_ms: u64,
    /// Raw body to send instead of the error envelope.
    pub body: Option<String>,
    /// `Content-Type` of a raw body (default `application/json`).
    pub content_type: Option<String>,
    /// The preset the rule started from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<Preset>,
}

/// The JSON form of a rule: every field optional, unknown fields refused
/// (a typo must not silently register a different rule).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFields {
    #[serde(default)]
    preset: Option<Preset>,
    #[serde(default)]
    path_contains: Option<String>,
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default, deserialize_with = "string_or_number")]
    retry_after: Option<String>,
    #[serde(default)]
    delay_ms: Option<u64>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
}

impl TryFrom<RuleFields> for FaultRule {
    type Error = String;

    fn try_from(fields: RuleFields) -> Result<FaultRule, String> {
        // Without a preset: a single 503, no delay, as before presets.
        let (status, count, retry_after, delay_ms) =
            fields.preset.map_or((503, 1, None, 0), Preset::values);
        let rule = FaultRule {
            path_contains: fields.path_contains.unwrap_or_default(),
            operation: fields.operation,
            status: fields.status.unwrap_or(status),
            count: fields.count.unwrap_or(count),
            retry_after: fields.retry_after.or(retry_after.map(str::to_owned)),
            delay_ms: fields.delay_ms.unwrap_or(delay_ms),
            body: fields.body,
            content_type: fields.content_type,
            preset: fields.preset,
        };
        if let Some(name) = &rule.operation {
            if !crate::calls::OPERATIONS.contains(&name.as_str()) {
                return Err(format!("operation {name:?} is none of the 21 calls"));
            }
        }
        if !(200..=599).contains(&rule.status) {
            return Err("status must be between 200 and 599".to_owned());
        }
        if rule.delay_ms > MAX_DELAY_MS {
            return Err(format!("delay_ms must be at most {MAX_DELAY_MS}"));
        }
        if !is_header_value(rule.retry_after.as_deref()) {
            return Err("retry_after is not a header value".to_owned());
        }
        if !is_header_value(rule.content_type.as_deref()) {
            return Err("content_type is not a header value".to_owned());
        }
        Ok(rule)
    }
}

fn is_header_value(value: Option<&str>) -> bool {
    // Visible ASCII, spaces and tabs: what every HTTP stack (and the JS
    // `Headers` of the npm sandbox) accepts as a value.
    value.is_none_or(|v| v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)))
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

    /// Takes one use of the first active rule matching `raw_path` and the
    /// call it routes to (`None` when it routes to none).
    pub fn take_rule(&mut self, raw_path: &str, operation: Option<&str>) -> Option<FaultRule> {
        let rule = self.rules.iter_mut().find(|r| {
            r.count > 0
                && raw_path.contains(&r.path_contains)
                && r.operation.as_deref().is_none_or(|o| Some(o) == operation)
        })?;
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
            operation: None,
            status: 503,
            count,
            retry_after: None,
            delay_ms: 0,
            body: None,
            content_type: None,
            preset: None,
        }
    }

    #[test]
    fn rules_apply_count_times_in_order() {
        let mut f = Faults::new(0.0, 1);
        f.add_rule(rule("/status", 2));
        f.add_rule(rule("", 1));
        assert!(f
            .take_rule("/x/status", None)
            .is_some_and(|r| r.path_contains == "/status"));
        assert!(f
            .take_rule("/x/status", None)
            .is_some_and(|r| r.path_contains == "/status"));
        assert!(f
            .take_rule("/x/status", None)
            .is_some_and(|r| r.path_contains.is_empty()));
        assert!(f.take_rule("/x/status", None).is_none());
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

    fn parse(json: &str) -> Result<FaultRule, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn presets_fill_in_what_is_not_given() {
        let burst = parse(r#"{"preset": "503_burst", "count": 5}"#);
        assert!(burst.as_ref().is_ok_and(|r| r.status == 503
            && r.count == 5
            && r.retry_after.as_deref() == Some("1")
            && r.delay_ms == 0));
        let hang = parse(r#"{"preset": "hang", "path_contains": "/status"}"#);
        assert!(hang
            .as_ref()
            .is_ok_and(|r| r.delay_ms == 120_000 && !r.replaces_answer() && r.count == 1));
        let slow = parse(r#"{"preset": "slow", "delay_ms": 10}"#);
        assert!(slow.is_ok_and(|r| r.delay_ms == 10 && r.count == 10 && r.status == 200));
        let key = parse(r#"{"preset": "wrong_key"}"#);
        assert!(key.is_ok_and(|r| r.status == 401 && r.replaces_answer()));
        assert!(parse(r#"{"preset": "meltdown"}"#).is_err());
    }

    #[test]
    fn invalid_rules_are_refused_when_read() {
        let plain = parse("{}");
        assert!(plain.is_ok_and(|r| r.status == 503 && r.count == 1 && r.preset.is_none()));
        for bad in [
            r#"{"status": 42}"#,
            r#"{"status": 600}"#,
            r#"{"delay_ms": 300001}"#,
            r#"{"retry_after": "a\nb"}"#,
            r#"{"content_type": "x\u0000"}"#,
            r#"{"retry_after": [1]}"#,
            r#"{"paht_contains": "x"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retry_after_accepts_numbers() {
        let r: Result<FaultRule, _> = serde_json::from_str(r#"{"retry_after": 0}"#);
        assert_eq!(r.ok().and_then(|r| r.retry_after).as_deref(), Some("0"));
    }
}

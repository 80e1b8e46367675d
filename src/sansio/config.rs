//! A client's settings, checked once when the client is made.
//!
//! The rules are data: `src/generated/config.rs`, written by codegen
//! from one table, which `js/config-rules.js` also holds for the npm
//! constructor's check in JS (so that a bad config throws before any
//! `.wasm` has arrived, with the message the core gives). Two small
//! interpreters read it here: [`Settings::named`] for the Rust face's
//! typed [`Config`], [`from_js_config`] for what the npm face reads of its
//! config object (`tests/config_rules.rs` holds it and `js/config.js` to
//! the same verdicts; the npm wasm takes what `js/config.js` accepted,
//! through [`Settings::checked`], and links neither interpreter).

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::generated::config as table;
/// The settings, in the order of [`JsConfig::Object`]'s members.
pub use crate::generated::config::SETTINGS;
use crate::sansio::encode::push_segment;
use crate::sansio::error::Error;
#[cfg(feature = "rust-api")]
use crate::sansio::event::{Event, Observer};
use crate::sansio::request::{closest, Target};
use crate::sansio::secret::ApiKey;

/// How a setting's value is checked (see `codegen/src/config.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// An absolute http(s) URL with a host and no credentials, query,
    /// fragment or whitespace (trailing `/` trimmed).
    BaseUrl,
    /// One path segment: not empty, `.` or `..`.
    Segment,
    /// The key: not empty.
    Secret,
    /// A whole number from `min` to `max`; `default` when absent.
    Whole {
        /// The least accepted.
        min: u64,
        /// The most accepted.
        max: u64,
        /// The value when absent.
        default: u64,
    },
    /// A function (the npm face's `fetch`, `onEvent`).
    Function,
    /// A plain object of string headers, each one fetch sends as given.
    Headers,
    /// An IANA time zone the host knows; `default` is never asked about.
    TimeZone {
        /// The zone when absent.
        default: &'static str,
    },
}

/// One setting of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The npm face's config key (its name in that face's messages).
    pub js: &'static str,
    /// The Rust face's name (empty where it has no such setting).
    pub rust: &'static str,
    /// Whether it must be given.
    pub required: bool,
    /// How its value is checked.
    pub rule: Rule,
    /// What a value the rule refuses is told, after the setting's name.
    pub text: &'static str,
}

/// `(min, max, default)` of a whole-number setting.
const fn whole(setting: &Setting) -> (u64, u64, u64) {
    match setting.rule {
        Rule::Whole { min, max, default } => (min, max, default),
        _ => (0, 0, 0),
    }
}

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = whole(&table::TIMEOUT_MS).2 as u32;
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = whole(&table::MAX_RETRIES).2 as u32;
/// Upper bound for `max_retries`: beyond it a caller wants a queue, not a client.
pub const RETRY_LIMIT: u32 = whole(&table::MAX_RETRIES).1 as u32;
/// The longest delay a JS timer honours; a longer one fires at once.
pub const MAX_TIMEOUT_MS: u32 = whole(&table::TIMEOUT_MS).1 as u32;
/// What a bad timeout is told (shared with the per-call option).
pub const MILLIS: &str = table::TIMEOUT_MS.text;
/// What a bad retry count is told, after its name.
pub const RETRIES: &str = table::MAX_RETRIES.text;
/// Default [`Config::max_response_bytes`]: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = whole(&table::MAX_RESPONSE_BYTES).2;
/// The zone of the npm face's `Date` inputs when `timeZone` is not given:
/// the vendor's servers'.
pub const DEFAULT_TIME_ZONE: &str = match table::TIME_ZONE.rule {
    Rule::TimeZone { default } => default,
    _ => "",
};

/// Where errors about the configuration say they come from (npm face).
pub const CONFIG: &str = table::JS_CLIENT;

/// How a face names the client and its settings in messages: each face
/// speaks its own language (`maxRetries` in JS, `max_retries` in Rust).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// Where configuration errors come from.
    pub client: &'static str,
    /// The API root.
    pub base_url: &'static str,
    /// The key.
    pub api_key: &'static str,
    /// The per-attempt timeout.
    pub timeout: &'static str,
    /// The retry count.
    pub max_retries: &'static str,
    /// The body size cap.
    pub max_response_bytes: &'static str,
}

/// The npm face's names.
pub const JS_NAMES: Names = Names {
    client: CONFIG,
    base_url: table::BASE_URL.js,
    api_key: table::API_KEY.js,
    timeout: table::TIMEOUT_MS.js,
    max_retries: table::MAX_RETRIES.js,
    max_response_bytes: table::MAX_RESPONSE_BYTES.js,
};

/// The Rust face's names.
pub const RUST_NAMES: Names = Names {
    client: table::RUST_CLIENT,
    base_url: table::BASE_URL.rust,
    api_key: table::API_KEY.rust,
    timeout: table::TIMEOUT_MS.rust,
    max_retries: table::MAX_RETRIES.rust,
    max_response_bytes: table::MAX_RESPONSE_BYTES.rust,
};

/// How to reach the API. `Debug` shows everything but the key.
/// `#[non_exhaustive]`: made with [`Config::new`] and its setters, so that
/// a new setting is not a breaking change.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The API root as in the docs' example URLs (`https://x.ladesk.com/api`).
    pub base_url: String,
    /// `[reselleridentifier]`: the reseller's email or userid.
    pub reseller: String,
    /// The API key.
    pub api_key: ApiKey,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Retries after the first attempt, for GET, PUT and DELETE.
    pub max_retries: u32,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// The longest response body read; a longer one is a decode error, read
    /// no further and never downloaded again.
    pub max_response_bytes: u64,
    /// Sees every attempt of every call ([`Config::on_event`]). Not in the
    /// npm build (its observer is JS's): a `dyn Fn` there would give the
    /// wasm a function table, which its CSP fallback (wasm2js) cannot take.
    #[cfg(feature = "rust-api")]
    pub on_event: Option<Observer>,
}

impl Config {
    /// A configuration with the default timeout (30 s) and retries (2).
    pub fn new(base_url: &str, reseller: &str, api_key: &str) -> Self {
        Config {
            base_url: String::from(base_url),
            reseller: String::from(reseller),
            api_key: ApiKey::new(String::from(api_key)),
            timeout: Duration::from_millis(u64::from(DEFAULT_TIMEOUT_MS)),
            max_retries: DEFAULT_MAX_RETRIES,
            headers: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            #[cfg(feature = "rust-api")]
            on_event: None,
        }
    }

    /// Shows every attempt of every call to `f` (for logs, metrics, request
    /// panels): an [`Event`] per request, response, failure and retry, each
    /// with the call's id. No event holds the key. A panic in `f` is caught
    /// where the target unwinds (natively) and never changes a call.
    #[cfg(feature = "rust-api")]
    pub fn on_event(mut self, f: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Observer::new(f));
        self
    }

    /// Sets the longest response body read (default 64 MiB; from 1 to 2^53).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retries after the first attempt (at most 10).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((String::from(name), String::from(value)));
        self
    }
}

/// A checked [`Config`], ready to lay out requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    base_url: String,
    reseller_segment: String,
    reseller: String,
    api_key: ApiKey,
    timeout_ms: u32,
    max_retries: u32,
    headers: Vec<(String, String)>,
    max_response_bytes: u64,
    #[cfg(feature = "rust-api")]
    on_event: Option<Observer>,
}

/// A timeout in ms within what every host's timer honours.
pub fn timeout_ms(operation: &'static str, name: &str, timeout: Duration) -> Result<u32, Error> {
    millis(
        operation,
        name,
        u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
    )
}

/// [`timeout_ms`] of a whole number of ms (the npm face reads JS numbers).
pub fn millis(operation: &'static str, name: &str, ms: u64) -> Result<u32, Error> {
    let ms = check_whole(operation, name, &table::TIMEOUT_MS, ms as f64)?;
    Ok(u32::try_from(ms).unwrap_or(MAX_TIMEOUT_MS))
}

/// A retry count (the setting `name`) within [`RETRY_LIMIT`].
pub fn max_retries(operation: &'static str, name: &str, retries: u32) -> Result<u32, Error> {
    check_whole(operation, name, &table::MAX_RETRIES, f64::from(retries))?;
    Ok(retries)
}

/// `n` if it is a whole number in `setting`'s range, else its error.
fn check_whole(
    operation: &'static str,
    name: &str,
    setting: &Setting,
    n: f64,
) -> Result<u64, Error> {
    let (min, max, _) = whole(setting);
    // Within 0..=2^53 (every range of the table), `as` round-trips exactly
    // what is whole.
    if n >= min as f64 && n <= max as f64 && n == (n as u64) as f64 {
        return Ok(n as u64);
    }
    Err(Error::invalid_input(operation, &[name, setting.text]))
}

/// Whether `text` passes a string rule (`BaseUrl`, `Segment`, `Secret`).
fn check_text(
    operation: &'static str,
    name: &str,
    setting: &Setting,
    text: &str,
) -> Result<(), Error> {
    let ok = match setting.rule {
        Rule::BaseUrl => check_base_url(text).is_ok(),
        Rule::Segment => !matches!(text, "" | "." | ".."),
        Rule::Secret => !text.is_empty(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(operation, &[name, setting.text]))
    }
}

impl Settings {
    /// Checks the configuration; errors name the settings as the npm face does.
    pub fn new(config: Config) -> Result<Self, Error> {
        Settings::named(config, &JS_NAMES)
    }

    /// Checks the configuration; errors name the settings with `names`.
    /// A value quoted in a message (a header name) is scrubbed of the key.
    pub fn named(config: Config, names: &Names) -> Result<Self, Error> {
        let key = config.api_key.expose();
        Settings::check(&config, names).map_err(|e| e.scrubbed(key))?;
        Ok(Settings::checked(config))
    }

    /// `config`, its every setting checked already: by [`Settings::named`],
    /// or for the npm face by its constructor in JS (`js/config.js`, the
    /// same table's rules), so that its wasm carries no second check.
    pub fn checked(config: Config) -> Self {
        let base = without_trailing_slashes(&config.base_url);
        let mut reseller_segment = String::new();
        push_segment(&mut reseller_segment, &config.reseller);
        let timeout_ms = u32::try_from(config.timeout.as_millis()).unwrap_or(MAX_TIMEOUT_MS);
        Settings {
            base_url: String::from(base),
            reseller_segment,
            timeout_ms,
            reseller: config.reseller,
            api_key: config.api_key,
            max_retries: config.max_retries,
            headers: config.headers,
            max_response_bytes: config.max_response_bytes,
            #[cfg(feature = "rust-api")]
            on_event: config.on_event,
        }
    }

    /// The table's rules, in its order, over the Rust face's typed values.
    fn check(config: &Config, names: &Names) -> Result<(), Error> {
        let client = names.client;
        check_text(client, names.base_url, &table::BASE_URL, &config.base_url)?;
        check_text(
            client,
            table::RESELLER.js,
            &table::RESELLER,
            &config.reseller,
        )?;
        let key = config.api_key.expose();
        check_text(client, names.api_key, &table::API_KEY, key)?;
        timeout_ms(client, names.timeout, config.timeout)?;
        max_retries(client, names.max_retries, config.max_retries)?;
        for (name, value) in &config.headers {
            check_header(client, name, value)?;
        }
        let bytes = config.max_response_bytes as f64;
        check_whole(
            client,
            names.max_response_bytes,
            &table::MAX_RESPONSE_BYTES,
            bytes,
        )?;
        Ok(())
    }

    /// The observer of [`Config::on_event`].
    #[cfg(feature = "rust-api")]
    pub fn on_event(&self) -> Option<&Observer> {
        self.on_event.as_ref()
    }

    /// The longest response body read.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// The API root, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reseller id.
    pub fn reseller(&self) -> &str {
        &self.reseller
    }

    /// The API key.
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }

    /// Per-attempt timeout.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Extra headers for every request.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Where requests go, for [`crate::sansio::request::build`].
    pub fn target(&self) -> Target<'_> {
        Target {
            base_url: &self.base_url,
            reseller_segment: &self.reseller_segment,
            api_key: self.api_key.expose(),
        }
    }

    /// `error` with the key removed from every text.
    pub fn scrub(&self, error: Error) -> Error {
        error.scrubbed(self.api_key.expose())
    }
}

/// A header every fetch implementation sends as given: a token name that
/// fetch does not forbid (the table's list and prefixes), a Latin-1 value
/// without CR, LF or NUL. Checked here so that a bad header is an input
/// error, not a retried network error.
pub fn check_header(operation: &'static str, name: &str, value: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_alphanumeric() || table::TOKEN_SYMBOLS.as_bytes().contains(&b);
    let quoted =
        |[before, after]: [&str; 2]| Error::invalid_input(operation, &[before, name, after]);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(quoted(table::BAD_HEADER_NAME));
    }
    let starts = |prefix: &&str| {
        name.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    let forbidden = table::FORBIDDEN_HEADERS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
        || table::FORBIDDEN_PREFIXES.iter().any(starts);
    if forbidden {
        return Err(quoted(table::FORBIDDEN_HEADER));
    }
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(quoted(table::HEADER_LINE_BREAK));
    }
    // Beyond U+00FF: a UTF-8 lead byte from 0xC4 (`chars()` would cost
    // the wasm a UTF-8 decoder).
    if value.bytes().any(|b| b >= 0xC4) {
        return Err(quoted(table::HEADER_NOT_LATIN1));
    }
    Ok(())
}

/// `url` without its trailing slashes (bytes: a `char` pattern links its
/// own searcher into the wasm).
fn without_trailing_slashes(url: &str) -> &str {
    let end = url
        .bytes()
        .rposition(|b| b != b'/')
        .map_or(0, |at| at.saturating_add(1));
    url.get(..end).unwrap_or_default()
}

/// `base` without trailing slashes, if it is an absolute http(s) URL with a
/// host and no credentials, query, fragment or whitespace.
fn check_base_url(base_url: &str) -> Result<&str, ()> {
    let base = without_trailing_slashes(base_url);
    let starts = |prefix: &str| {
        base.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    let scheme_len = if starts("https://") {
        8
    } else if starts("http://") {
        7
    } else {
        0
    };
    let has_host = scheme_len > 0 && base.len() > scheme_len;
    // `user:pass@` would be sent, and echoed in errors.
    let has_credentials = base
        .bytes()
        .skip(scheme_len)
        .take_while(|&b| b != b'/')
        .any(|b| b == b'@');
    let bad_byte = |b: u8| matches!(b, b'?' | b'#' | b'\\') || b <= b' ' || b == 0x7f;
    if !has_host || has_credentials || base.bytes().any(bad_byte) {
        return Err(());
    }
    Ok(base)
}

/// A member of the npm face's config object as that face reads it (own
/// properties only): what the rules need to know of a JS value.
#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    /// `undefined`, `null`, or not an own property.
    Absent,
    /// A well-formed string.
    Text(String),
    /// A string holding a lone surrogate (it would be sent as U+FFFD).
    IllFormed,
    /// A number.
    Number(f64),
    /// A function.
    Function,
    /// A plain object (`{…}` or `Object.create(null)`): its own entries,
    /// names and values with lone surrogates as U+FFFD, a value `None`
    /// when it is not a string; `None` when listing them threw.
    Object(Option<Vec<(String, Option<String>)>>),
    /// Anything else: a boolean, a bigint, a symbol, an array, a `Headers`.
    Other,
}

/// What the npm face read of the value given as its config.
#[derive(Clone, Debug, PartialEq)]
pub enum JsConfig {
    /// Not an object (`undefined`, `null`, a string…).
    NotObject,
    /// An object whose own entries could not be listed (a throwing getter
    /// or proxy).
    Unlisted,
    /// An object: its own keys whose value is not `undefined` (lone
    /// surrogates as U+FFFD), and the member of each setting of
    /// the table (`src/generated/config.rs`), in its order.
    Object {
        /// The keys set.
        keys: Vec<String>,
        /// One member per setting.
        members: Vec<Member>,
    },
}

/// The npm face's config checked by the table's rules, in its order (the
/// order `js/config.js` follows): its [`Settings`] and time zone (`fetch`
/// and `onEvent` stay the face's: here they are only checked to be
/// functions). `knows_zone` asks the host whether it knows an IANA zone
/// (generic: a `dyn` call would give the npm wasm a function table, which
/// its CSP fallback, wasm2js, cannot take). A value quoted in a message (a
/// key, a header name, a zone) is scrubbed of the key.
pub fn from_js_config(
    config: &JsConfig,
    knows_zone: &impl Fn(&str) -> bool,
) -> Result<(Settings, String), Error> {
    let (keys, members) = match config {
        JsConfig::NotObject => return Err(Error::invalid_input(CONFIG, &[table::NO_CONFIG])),
        JsConfig::Unlisted => {
            return Err(Error::invalid_input(
                CONFIG,
                &[table::WHAT, table::NOT_OBJECT],
            ))
        }
        JsConfig::Object { keys, members } => (keys, members),
    };
    let member = |setting: &Setting| {
        table::SETTINGS
            .iter()
            .zip(members)
            .find(|(s, _)| s.js == setting.js)
            .map_or(&Member::Absent, |(_, m)| m)
    };
    let key = match member(&table::API_KEY) {
        Member::Text(key) => key.as_str(),
        _ => "",
    };
    let scrub = |e: Error| e.scrubbed(key);
    if let Some(unknown) = keys.iter().find(|k| !table::KEYS.contains(&k.as_str())) {
        let [has_no, close, mean, end] = table::UNKNOWN_KEY;
        let what = table::WHAT;
        let e = match closest(unknown, table::KEYS.iter().copied()) {
            Some(name) => {
                Error::invalid_input(CONFIG, &[what, has_no, unknown, close, mean, name, end])
            }
            None => Error::invalid_input(CONFIG, &[what, has_no, unknown, close]),
        };
        return Err(scrub(e));
    }
    let mut time_zone = String::from(DEFAULT_TIME_ZONE);
    for setting in table::SETTINGS {
        if let Some(zone) = check_member(setting, member(setting), knows_zone).map_err(scrub)? {
            time_zone = String::from(zone);
        }
    }
    let text = |setting: &Setting| match member(setting) {
        Member::Text(text) => text.as_str(),
        _ => "",
    };
    let number = |setting: &Setting| match member(setting) {
        Member::Number(n) => Some(*n as u64),
        _ => None,
    };
    let mut config = Config::new(
        text(&table::BASE_URL),
        text(&table::RESELLER),
        text(&table::API_KEY),
    );
    if let Some(ms) = number(&table::TIMEOUT_MS) {
        config.timeout = Duration::from_millis(ms);
    }
    if let Some(retries) = number(&table::MAX_RETRIES) {
        config.max_retries = u32::try_from(retries).unwrap_or(u32::MAX);
    }
    if let Some(bytes) = number(&table::MAX_RESPONSE_BYTES) {
        config.max_response_bytes = bytes;
    }
    if let Member::Object(Some(entries)) = member(&table::HEADERS) {
        config.headers = entries
            .iter()
            .map(|(name, value)| (name.clone(), value.clone().unwrap_or_default()))
            .collect();
    }
    // Each member passed its rule above.
    Ok((Settings::checked(config), time_zone))
}

/// One member by its setting's rule: `Some(zone)` for a time zone given.
fn check_member<'a>(
    setting: &Setting,
    member: &'a Member,
    knows_zone: &impl Fn(&str) -> bool,
) -> Result<Option<&'a str>, Error> {
    let name = setting.js;
    let told = |parts: &[&str]| Err(Error::invalid_input(CONFIG, parts));
    match (setting.rule, member) {
        (_, Member::Absent) if setting.required => told(&[name, table::REQUIRED]),
        (_, Member::Absent) | (Rule::Function, Member::Function) => Ok(None),
        (Rule::Whole { .. }, Member::Number(n)) => {
            check_whole(CONFIG, name, setting, *n)?;
            Ok(None)
        }
        (Rule::Headers, Member::Object(Some(entries))) => {
            for (header, value) in entries {
                match value {
                    Some(value) => check_header(CONFIG, header, value)?,
                    None => return told(&[name, setting.text]),
                }
            }
            Ok(None)
        }
        (Rule::Function | Rule::Whole { .. } | Rule::Headers, _) => told(&[name, setting.text]),
        (_, Member::IllFormed) => told(&[name, table::LONE_SURROGATE]),
        (Rule::TimeZone { default }, Member::Text(zone)) => {
            if zone != default && !knows_zone(zone) {
                return told(&[name, " \"", zone, "\"", setting.text]);
            }
            Ok(Some(zone))
        }
        (_, Member::Text(text)) => {
            check_text(CONFIG, name, setting, text)?;
            Ok(None)
        }
        _ => told(&[name, table::NOT_STRING]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        let ok = Settings::new(Config::new("https://x.example.com/api//", "r@x.com", "k"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.base_url(), "https://x.example.com/api");
        for bad in [
            "x.example.com/api",
            "ftp://x/api",
            "https://",
            "https://u:p@x/api",
            "https://x/api?a=1",
            "https://x/api#f",
            "https://x /api",
        ] {
            let e = Settings::new(Config::new(bad, "r", "k")).err();
            assert!(e.is_some(), "{bad} accepted");
        }
    }

    #[test]
    fn other_settings_are_checked() {
        let base = || Config::new("http://h/api", "r", "k");
        assert!(Settings::new(Config::new("http://h/api", "..", "k")).is_err());
        assert!(Settings::new(Config::new("http://h/api", "r", "")).is_err());
        assert!(Settings::new(base().timeout(Duration::ZERO)).is_err());
        assert!(Settings::new(base().timeout(Duration::from_secs(3_000_000))).is_err());
        assert!(Settings::new(base().max_retries(11)).is_err());
        assert!(Settings::new(base().header("x y", "1")).is_err());
        assert!(Settings::new(base().header("x", "a\r\nb")).is_err());
        for name in [
            "Transfer-Encoding",
            "expect",
            "Upgrade",
            "Keep-Alive",
            "Connection",
            "HOST",
            "Content-Length",
            "Proxy-Authorization",
            "Sec-Fetch-Mode",
        ] {
            let e = Settings::new(base().header(name, "1")).err();
            assert!(
                e.as_ref()
                    .is_some_and(|e| e.to_string().contains("forbids")),
                "{name}: {e:?}"
            );
        }
        for value in ["\u{100}", "a\0b", "\u{1F600}"] {
            assert!(
                Settings::new(base().header("X-V", value)).is_err(),
                "{value:?}"
            );
        }
        assert!(Settings::new(base().header("X-V", "caf\u{e9}")).is_ok());
        assert!(Settings::new(base().max_response_bytes(0)).is_err());
        // Each face's names.
        let e = Settings::named(base().max_retries(11), &RUST_NAMES).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("Client::new: max_retries must be a whole number from 0 to 10")
        );
        let e = Settings::new(base().max_retries(11)).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("ResellerClient: maxRetries must be a whole number from 0 to 10")
        );
        let s = Settings::new(base().max_retries(10).header("X-Extra", "1"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.max_retries(), 10);
        assert!(!format!("{s:?}").contains("\"k\""));
    }

    #[test]
    fn each_face_reads_the_same_table() {
        let base = || Config::new("http://h/api", "r", "k3y");
        // The Rust face: a body cap a JS number can hold; a quoted header
        // name scrubbed of the key, the package's words never.
        let e = Settings::named(base().max_response_bytes(u64::MAX), &RUST_NAMES).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("Client::new: max_response_bytes must be a whole number of bytes from 1 to 9007199254740992")
        );
        let e = Settings::named(base().header("k3y y", "1"), &RUST_NAMES).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("Client::new: header name \"[redacted] y\" is not a valid HTTP header name")
        );
        // The npm face: members in the table's order.
        let members = |extra: &[(usize, Member)]| {
            let mut members = vec![Member::Absent; table::SETTINGS.len()];
            members[0] = Member::Text("http://h/api".into());
            members[1] = Member::Text("r".into());
            members[2] = Member::Text("k3y".into());
            for (at, member) in extra {
                members[*at] = member.clone();
            }
            members
        };
        let check = |keys: &[&str], members| {
            let keys = keys.iter().map(|k| String::from(*k)).collect();
            let config = JsConfig::Object { keys, members };
            from_js_config(&config, &|zone: &str| zone == "Europe/Berlin")
                .map(|(settings, zone)| (settings.timeout_ms(), zone))
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            check(&["timeout"], members(&[])),
            Err(
                "ResellerClient: the config has no key \"timeout\" (did you mean timeoutMs?)"
                    .into()
            )
        );
        assert_eq!(
            check(&["time_zone"], members(&[])).map_err(|e| e.contains("(did you mean timeZone?)")),
            Err(true)
        );
        let zone = Member::Text("Europe/Berlin".into());
        assert_eq!(
            check(&[], members(&[(3, Member::Number(5.0)), (9, zone)])),
            Ok((5, String::from("Europe/Berlin")))
        );
        assert_eq!(
            check(&[], members(&[(9, Member::Text("Mars/k3y".into()))])),
            Err("ResellerClient: timeZone \"Mars/[redacted]\" is not an IANA time zone this host knows".into())
        );
        assert_eq!(
            check(&[], members(&[(3, Member::Number(1.5))])),
            Err("ResellerClient: timeoutMs must be a whole number of milliseconds from 1 to 2147483647".into())
        );
        assert_eq!(
            from_js_config(&JsConfig::NotObject, &|_: &str| true)
                .err()
                .map(|e| e.to_string()),
            Some(String::from(
                "ResellerClient: the config object is required"
            ))
        );
    }
}

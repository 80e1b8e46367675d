//! A client's settings, checked once when the client is made.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::sansio::encode::push_segment;
use crate::sansio::error::Error;
#[cfg(feature = "rust-api")]
use crate::sansio::event::{Event, Observer};
use crate::sansio::request::{check_path_arg, Target};
use crate::sansio::secret::ApiKey;

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound for `max_retries`: beyond it a caller wants a queue, not a client.
pub const RETRY_LIMIT: u32 = 10;
/// The longest delay a JS timer honours; a longer one fires at once.
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;
/// What a bad timeout is told (shared with the per-call option).
pub const MILLIS: &str = " must be a whole number of milliseconds from 1 to 2147483647";
/// What a bad retry count is told, after its name.
pub const RETRIES: &str = " must be a whole number from 0 to 10";

/// Where errors about the configuration say they come from (npm face).
pub const CONFIG: &str = "ResellerClient";

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
    base_url: "baseUrl",
    api_key: "apiKey",
    timeout: "timeoutMs",
    max_retries: "maxRetries",
    max_response_bytes: "maxResponseBytes",
};

/// The Rust face's names.
pub const RUST_NAMES: Names = Names {
    client: "Client::new",
    base_url: "base_url",
    api_key: "api_key",
    timeout: "timeout",
    max_retries: "max_retries",
    max_response_bytes: "max_response_bytes",
};

/// Default [`Config::max_response_bytes`]: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 << 20;

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

    /// Sets the longest response body read (default 64 MiB, at least 1).
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
    match u32::try_from(ms) {
        Ok(ms) if (1..=MAX_TIMEOUT_MS).contains(&ms) => Ok(ms),
        _ => Err(Error::invalid_input(operation, &[name, MILLIS])),
    }
}

/// A retry count (the setting `name`) within [`RETRY_LIMIT`].
pub fn max_retries(operation: &'static str, name: &str, retries: u32) -> Result<u32, Error> {
    if retries > RETRY_LIMIT {
        return Err(Error::invalid_input(operation, &[name, RETRIES]));
    }
    Ok(retries)
}

impl Settings {
    /// Checks the configuration; errors name the settings as the npm face does.
    pub fn new(config: Config) -> Result<Self, Error> {
        Settings::named(config, &JS_NAMES)
    }

    /// Checks the configuration; errors name the settings with `names`.
    pub fn named(config: Config, names: &Names) -> Result<Self, Error> {
        let client = names.client;
        let base = check_base_url(&config.base_url).map_err(|()| {
            Error::invalid_input(
                client,
                &[
                    names.base_url,
                    " must be an absolute http(s) URL without credentials, query or fragment",
                ],
            )
        })?;
        check_path_arg(client, "reseller", &config.reseller)?;
        if config.api_key.expose().is_empty() {
            return Err(Error::invalid_input(
                client,
                &[names.api_key, " must not be empty"],
            ));
        }
        let timeout_ms = timeout_ms(client, names.timeout, config.timeout)?;
        let max_retries = max_retries(client, names.max_retries, config.max_retries)?;
        for (name, value) in &config.headers {
            check_header(client, name, value)?;
        }
        if config.max_response_bytes == 0 {
            return Err(Error::invalid_input(
                client,
                &[
                    names.max_response_bytes,
                    " must be a whole number of bytes, at least 1",
                ],
            ));
        }
        let mut reseller_segment = String::new();
        push_segment(&mut reseller_segment, &config.reseller);
        Ok(Settings {
            base_url: String::from(base),
            reseller_segment,
            reseller: config.reseller,
            api_key: config.api_key,
            timeout_ms,
            max_retries,
            headers: config.headers,
            max_response_bytes: config.max_response_bytes,
            #[cfg(feature = "rust-api")]
            on_event: config.on_event,
        })
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

/// The request headers fetch forbids a caller to set (the Fetch standard's
/// list), lower case; `proxy-` and `sec-` names are forbidden too. Browsers
/// drop them in silence, other hosts refuse the request or send a request
/// that breaks framing (`Transfer-Encoding`, `Content-Length`).
const FORBIDDEN_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// A header every fetch implementation sends as given: a token name that
/// fetch does not forbid, a Latin-1 value without CR, LF or NUL. Checked
/// here so that a bad header is an input error, not a retried network error.
pub fn check_header(operation: &'static str, name: &str, value: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::invalid_input(
            operation,
            &["header name \"", name, "\" is not a valid HTTP header name"],
        ));
    }
    let starts = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    let forbidden = FORBIDDEN_HEADERS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
        || starts("proxy-")
        || starts("sec-");
    if forbidden {
        return Err(Error::invalid_input(
            operation,
            &["header \"", name, "\" is one fetch forbids a caller to set"],
        ));
    }
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(Error::invalid_input(
            operation,
            &["header \"", name, "\" has a line break or NUL in its value"],
        ));
    }
    // Beyond U+00FF: a UTF-8 lead byte from 0xC4 (`chars()` would cost
    // the wasm a UTF-8 decoder).
    if value.bytes().any(|b| b >= 0xC4) {
        return Err(Error::invalid_input(
            operation,
            &[
                "header \"",
                name,
                "\" has a character outside Latin-1 in its value",
            ],
        ));
    }
    Ok(())
}

/// `base` without trailing slashes, if it is an absolute http(s) URL with a
/// host and no credentials, query, fragment or whitespace.
fn check_base_url(base_url: &str) -> Result<&str, ()> {
    let mut base = base_url;
    while let Some(trimmed) = base.strip_suffix('/') {
        base = trimmed;
    }
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
}

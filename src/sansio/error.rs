//! One error type for every way a call can fail, mirrored in JS as `LiveAgentError`.

use alloc::string::String;

/// What went wrong. `#[non_exhaustive]`: a later version may tell more
/// kinds apart, so a `match` needs a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with the error envelope or an HTTP error status.
    Api,
    /// The request did not reach the server or no answer came back.
    Network,
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// The caller cancelled the call (an `AbortSignal` in JS).
    Aborted,
    /// The body is not what the docs say.
    Decode,
    /// Caught before sending: a missing or malformed input.
    InvalidInput,
}

impl ErrorKind {
    /// The name used in JS (`"invalid_input"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
        }
    }
}

/// A failed call. Every text in it has had the API key removed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Caught before sending.
    InvalidInput {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// What is wrong with which input.
        message: String,
    },
    /// The server said no: an `"status":"ERROR"` envelope or an HTTP error status.
    Api {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// HTTP status.
        status: u16,
        /// `statuscode` of the envelope.
        statuscode: Option<i64>,
        /// `errormessage` of the envelope.
        errormessage: Option<String>,
        /// `debugmessage` of the envelope.
        debugmessage: Option<String>,
        /// The wait the server asked for (`Retry-After`), in ms.
        retry_after_ms: Option<u64>,
        /// The start of a body that is not the JSON envelope (an HTML error page).
        body: Option<String>,
        /// For a redirect (a 3xx, never followed): its `Location`, key
        /// removed; empty when the host hides it (a browser's opaque
        /// redirect, status 0).
        location: Option<String>,
    },
    /// No answer: DNS, connection, CORS, the host's fetch failed, a body
    /// cut mid-read, or a status no HTTP server sends.
    Network {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// What the host reported.
        message: String,
        /// `false` only when the request surely never left (connection
        /// refused, no such host): then even a POST may be sent again.
        maybe_applied: bool,
    },
    /// An attempt exceeded the timeout, or the caller's own deadline passed.
    Timeout {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// The per-attempt timeout that was exceeded; `None` when the
        /// caller's deadline (a `TimeoutError` abort) ended the call, which
        /// is not retried.
        timeout_ms: Option<u32>,
    },
    /// The caller aborted.
    Aborted {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// Whether an attempt had been sent when the call was cut short.
        maybe_applied: bool,
    },
    /// The body is not the documented JSON; the body is kept for diagnosis.
    Decode {
        /// The method of the call (see [`Error::operation`]).
        operation: &'static str,
        /// The call's id (see [`Error::call_id`]).
        call_id: Option<u64>,
        /// HTTP status.
        status: u16,
        /// What did not match.
        message: String,
        /// The start of the body as received (at most 4,096 characters, key removed).
        body: String,
    },
}

impl Error {
    /// The same error tied to its call: its operation named `name` (the
    /// Rust face's `get_account_status`, the npm face's `getAccountStatus`),
    /// and the call's id. Configuration errors keep the client's name.
    pub(crate) fn for_call(mut self, name: &'static str, id: u64) -> Self {
        match &mut self {
            Error::InvalidInput {
                operation, call_id, ..
            }
            | Error::Api {
                operation, call_id, ..
            }
            | Error::Network {
                operation, call_id, ..
            }
            | Error::Timeout {
                operation, call_id, ..
            }
            | Error::Aborted {
                operation, call_id, ..
            }
            | Error::Decode {
                operation, call_id, ..
            } => {
                // Configuration errors keep the client's name.
                if !operation.bytes().any(|b| b == b':') {
                    *operation = name;
                }
                *call_id = Some(id);
            }
        }
        self
    }

    /// An input error whose message is `parts` joined. Not public API: for
    /// the npm crate, which checks the JS-typed inputs.
    #[doc(hidden)]
    pub fn invalid_input(operation: &'static str, parts: &[&str]) -> Self {
        Error::InvalidInput {
            operation,
            call_id: None,
            message: join(parts),
        }
    }

    /// Which kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Api { .. } => ErrorKind::Api,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Aborted { .. } => ErrorKind::Aborted,
            Error::Decode { .. } => ErrorKind::Decode,
        }
    }

    /// The method of the call that failed, in its face's language: the
    /// Rust method (`get_account_status`) from the Rust client, the JS
    /// method (`getAccountStatus`) from the npm package.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidInput { operation, .. }
            | Error::Api { operation, .. }
            | Error::Network { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Aborted { operation, .. }
            | Error::Decode { operation, .. } => operation,
        }
    }

    /// The id of the call that failed, the same as on its events
    /// ([`crate::Attempt::call_id`]), so that a log can tie them together.
    /// `None` for an error that belongs to no call: a configuration error
    /// from `Client::new`, and errors of the npm build's core (the npm face
    /// gives its `LiveAgentError` a `callId` of its own).
    pub fn call_id(&self) -> Option<u64> {
        match self {
            Error::InvalidInput { call_id, .. }
            | Error::Api { call_id, .. }
            | Error::Network { call_id, .. }
            | Error::Timeout { call_id, .. }
            | Error::Aborted { call_id, .. }
            | Error::Decode { call_id, .. } => *call_id,
        }
    }

    /// HTTP status, when a response came back.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether sending the same call again is safe and may help (API.md's
    /// table). GET, PUT, DELETE: 429, 502, 503, 504, network errors and
    /// per-attempt timeouts. POST: only 429 and 503 (the server says it did
    /// nothing) and network failures before anything was sent; never when
    /// the request may have reached the server ([`Error::maybe_applied`]).
    pub fn is_retryable(&self) -> bool {
        let post = crate::sansio::operation::is_post(self.operation());
        match self {
            Error::Api { status, .. } if post => matches!(status, 429 | 503),
            Error::Api { status, .. } => crate::sansio::policy::is_retryable_status(*status),
            Error::Network { maybe_applied, .. } => !(post && *maybe_applied),
            Error::Timeout { timeout_ms, .. } => timeout_ms.is_some() && !post,
            _ => false,
        }
    }

    /// `true` when the request may have taken effect although its outcome
    /// is unknown: a timeout, a connection lost after sending, a body cut
    /// mid-read, a 502 or 504 from a gateway, a success whose body cannot be
    /// read. Find out (README: "Did my createAccount land?") before sending
    /// it again. `false` when nothing was sent or the server's answer says
    /// what happened.
    pub fn maybe_applied(&self) -> bool {
        match self {
            Error::Api { status, .. } => matches!(status, 502 | 504),
            Error::Network { maybe_applied, .. } | Error::Aborted { maybe_applied, .. } => {
                *maybe_applied
            }
            Error::Timeout { .. } => true,
            Error::Decode { status, .. } => (200..300).contains(status),
            Error::InvalidInput { .. } => false,
        }
    }

    /// The wait the server asked for with `Retry-After`, in ms.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Error::Api { retry_after_ms, .. } => *retry_after_ms,
            _ => None,
        }
    }

    /// The wait the server asked for with `Retry-After`.
    pub fn retry_after(&self) -> Option<core::time::Duration> {
        self.retry_after_ms().map(core::time::Duration::from_millis)
    }

    /// The start of the response body, for decode errors and for API errors
    /// whose body is not the JSON envelope.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } => body.as_deref(),
            Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The human-readable message, built without `core::fmt` so that the
    /// wasm carries no formatting machinery.
    pub fn message(&self) -> String {
        let mut m = String::from(self.operation());
        m.push_str(": ");
        match self {
            Error::InvalidInput { message, .. } => m.push_str(message),
            Error::Api {
                status,
                location: Some(location),
                ..
            } => redirect_message(&mut m, *status, location),
            Error::Api {
                status,
                statuscode,
                errormessage,
                ..
            } => {
                m.push_str("HTTP ");
                push_int(&mut m, i64::from(*status));
                if let Some(text) = errormessage.as_deref().filter(|t| !t.is_empty()) {
                    m.push_str(": ");
                    m.push_str(text);
                }
                if let Some(code) = statuscode {
                    m.push_str(" (statuscode ");
                    push_int(&mut m, *code);
                    m.push(')');
                }
            }
            Error::Network { message, .. } => {
                m.push_str("network error: ");
                m.push_str(message);
            }
            Error::Timeout {
                timeout_ms: Some(ms),
                ..
            } => {
                m.push_str("timed out after ");
                push_int(&mut m, i64::from(*ms));
                m.push_str(" ms");
            }
            Error::Timeout { .. } => m.push_str("timed out (the caller's deadline)"),
            Error::Aborted { .. } => m.push_str("aborted"),
            Error::Decode {
                status, message, ..
            } => {
                m.push_str("unexpected response (HTTP ");
                push_int(&mut m, i64::from(*status));
                m.push_str("): ");
                m.push_str(message);
            }
        }
        m
    }

    /// Removes every form of `key` from the texts this error carries that
    /// came from outside (the server, the host, the caller's values): the
    /// package's own words are never rewritten, whatever the key is (a key
    /// `e` must not make `auth[redacted]ntication`). In the messages the
    /// package writes (`invalid_input`, `decode`), a foreign text is always
    /// quoted (`unknown parameter "…"`): only the quoted spans are scrubbed.
    /// A `body` is left alone: it was scrubbed before it was cut
    /// ([`crate::sansio::secret::body_excerpt`]), and scrubbing a cut text
    /// again could take a cut `[redacted]` marker for the key.
    pub fn scrubbed(mut self, key: &str) -> Self {
        let scrub = |s: &mut String| *s = crate::sansio::secret::scrub(s, key);
        match &mut self {
            Error::InvalidInput { message, .. } => *message = scrub_quoted(message, key),
            Error::Network { message, .. } => scrub(message),
            Error::Api {
                errormessage,
                debugmessage,
                location,
                ..
            } => {
                errormessage.iter_mut().for_each(scrub);
                debugmessage.iter_mut().for_each(scrub);
                location.iter_mut().for_each(scrub);
            }
            Error::Decode { message, .. } => *message = scrub_quoted(message, key),
            Error::Timeout { .. } | Error::Aborted { .. } => {}
        }
        self
    }
}

/// `message` with `key` scrubbed from its `"…"` spans only (the text
/// between the 1st and 2nd `"`, the 3rd and 4th, …). A quoted span holds
/// the outside text as given: a key inside it is whole there.
fn scrub_quoted(message: &str, key: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    // `get`, never `split_at`: its panic path would bring `Debug`
    // formatting into the wasm (the figure: bench/README.md).
    // Byte searches: a `char` pattern links its own searcher into the wasm.
    while let Some(open) = rest.bytes().position(|b| b == b'"') {
        let quoted = rest.get(open.saturating_add(1)..).unwrap_or_default();
        out.push_str(rest.get(..=open).unwrap_or_default());
        let close = quoted
            .bytes()
            .position(|b| b == b'"')
            .unwrap_or(quoted.len());
        let inside = quoted.get(..close).unwrap_or_default();
        out.push_str(&crate::sansio::secret::scrub(inside, key));
        let after = quoted.get(close..).unwrap_or_default();
        out.push_str(after.get(..1).unwrap_or_default());
        rest = after.get(1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The message of a redirect: where it points (when the host shows it),
/// and what to do, since following it would carry the key there.
fn redirect_message(m: &mut String, status: u16, location: &str) {
    if status == 0 || location.is_empty() {
        m.push_str("the server answered with a redirect");
        if status != 0 {
            m.push_str(" (HTTP ");
            push_int(m, i64::from(status));
            m.push(')');
        }
        m.push_str(" whose target this host hides");
    } else {
        m.push_str("HTTP ");
        push_int(m, i64::from(status));
        m.push_str(": redirected to ");
        m.push_str(location);
    }
    m.push_str("; redirects are never followed (they would carry the API key): point ");
    m.push_str(setting(m.as_str(), "baseUrl", "base_url"));
    m.push_str(" at the API's real address");
}

/// A setting's name in the face of the error's operation: the Rust face's
/// operations are snake_case (`get_account`), the npm face's camelCase.
pub(crate) fn setting<'a>(operation: &str, js: &'a str, rust: &'a str) -> &'a str {
    if operation
        .bytes()
        .take_while(|b| *b != b':')
        .any(|b| b == b'_')
    {
        rust
    } else {
        js
    }
}

/// Most characters of a body an error keeps.
pub const BODY_EXCERPT_CHARS: usize = 4096;

/// The start of `body`, at most [`BODY_EXCERPT_CHARS`] characters.
pub fn excerpt(body: &str) -> String {
    // Counts characters by their first bytes (`char_indices` costs the wasm
    // a UTF-8 decoder).
    let mut chars = 0;
    for (at, b) in body.bytes().enumerate() {
        if b & 0xC0 != 0x80 {
            if chars == BODY_EXCERPT_CHARS {
                return String::from(body.get(..at).unwrap_or_default());
            }
            chars += 1;
        }
    }
    String::from(body)
}

/// `parts` as one string (`[&str]::concat` costs the wasm a generic copy routine).
pub(crate) fn join(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends a decimal integer.
pub(crate) fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut v = n.unsigned_abs();
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (v % 10) as u8;
        }
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_call_and_the_cause() {
        let e = Error::Api {
            operation: "getAccount",
            call_id: None,
            status: 404,
            statuscode: Some(404),
            errormessage: Some("Account not found".into()),
            debugmessage: None,
            retry_after_ms: None,
            body: None,
            location: None,
        };
        assert_eq!(
            e.to_string(),
            "getAccount: HTTP 404: Account not found (statuscode 404)"
        );
        assert!(!e.is_retryable());
        let t = Error::Timeout {
            operation: "listAccounts",
            call_id: None,
            timeout_ms: Some(1500),
        };
        assert_eq!(t.to_string(), "listAccounts: timed out after 1500 ms");
        assert!(t.is_retryable());
        let deadline = Error::Timeout {
            operation: "listAccounts",
            call_id: None,
            timeout_ms: None,
        };
        assert!(!deadline.is_retryable());
        let mut s = String::new();
        push_int(&mut s, -9_223_372_036_854_775_808);
        assert_eq!(s, "-9223372036854775808");
    }

    #[test]
    fn only_foreign_text_is_scrubbed() {
        let e = Error::invalid_input(
            "getAccount",
            &[
                "unknown parameter \"",
                "see",
                "\" (did you mean ",
                "note",
                "?)",
            ],
        )
        .scrubbed("e");
        assert_eq!(
            e.to_string(),
            "getAccount: unknown parameter \"s[redacted][redacted]\" (did you mean note?)"
        );
        let e =
            Error::invalid_input("getAccount", &["the params object is required"]).scrubbed("e");
        assert_eq!(e.to_string(), "getAccount: the params object is required");
        let e = Error::Network {
            operation: "getAccount",
            call_id: None,
            message: "fetch failed: http://h/?apikey=e".into(),
            maybe_applied: true,
        }
        .scrubbed("e");
        assert_eq!(
            e.to_string(),
            "getAccount: network error: f[redacted]tch fail[redacted]d: http://h/?apik[redacted]y=[redacted]"
        );
    }

    #[test]
    fn retryable_statuses_are_429_and_502_to_504() {
        for (status, retry) in [
            (500, false),
            (501, false),
            (502, true),
            (503, true),
            (504, true),
            (429, true),
        ] {
            let e = Error::Api {
                operation: "x",
                call_id: None,
                status,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                retry_after_ms: None,
                body: None,
                location: None,
            };
            assert_eq!(e.is_retryable(), retry, "{status}");
        }
    }
}

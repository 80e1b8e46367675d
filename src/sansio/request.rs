//! Checks a call's inputs and lays them out on the wire, before anything is sent.

use alloc::string::String;
use alloc::vec::Vec;

use crate::sansio::encode::{push_pair, push_segment};
use crate::sansio::error::Error;
use crate::sansio::operation::{Operation, ParamKind, Segment};

/// The content type of POST and PUT bodies.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// A request ready for the transport.
#[derive(Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// Absolute URL; for GET/DELETE it carries the key in its query.
    pub url: String,
    /// Form body for POST/PUT (it carries the key there instead).
    pub body: Option<String>,
    /// Where the key's value starts in `url` (GET/DELETE; it runs to the end).
    key_at: Option<usize>,
}

impl WireRequest {
    /// The headers an attempt sends, for every driver: the caller's, then the
    /// form's content type when there is a body (ours to set, so a caller's
    /// `content-type` is left out then).
    pub fn headers(&self, mut caller: Vec<(String, String)>) -> Vec<(String, String)> {
        if self.body.is_some() {
            caller.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
            caller.push((String::from("content-type"), String::from(FORM)));
        }
        caller
    }

    /// The URL as logs and events may show it: the key's value replaced by
    /// `[redacted]`.
    pub fn shown_url(&self) -> String {
        match self.key_at.and_then(|at| self.url.get(..at)) {
            Some(head) => {
                let mut shown = String::from(head);
                shown.push_str(crate::sansio::secret::REDACTED);
                shown
            }
            None => self.url.clone(),
        }
    }
}

// Hand-written so that the key inside `url` or `body` never reaches a log.
impl core::fmt::Debug for WireRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("WireRequest { .. }")
    }
}

/// Checks a path argument: one non-empty segment that URL parsers keep as is.
pub fn check_path_arg(operation: &'static str, name: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::invalid_input(
            operation,
            &[name, " must not be empty or a dot segment (. or ..)"],
        ));
    }
    Ok(())
}

/// Whether `s` is `YYYY-MM-DD HH:MM:SS` naming a real calendar moment
/// (year 0001-9999, a day the month has, `2024-02-29` yes, `2023-02-29`
/// no): exactly the texts the JS face's `fromLiveAgentDateTime` accepts.
pub fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let [y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b' ', h0, h1, b':', mi0, mi1, b':', s0, s1] =
        *b
    else {
        return false;
    };
    let digits = [y0, y1, y2, y3, mo0, mo1, d0, d1, h0, h1, mi0, mi1, s0, s1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    let (month, day, hour, minute, second) = (
        num(mo0, mo1),
        num(d0, d1),
        num(h0, h1),
        num(mi0, mi1),
        num(s0, s1),
    );
    let year = num(y0, y1) * 100 + num(y2, y3);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    year >= 1
        && (1..=12).contains(&month)
        && (1..=days).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 59
}

/// Whether `s` is a JSON text (RFC 8259, nesting at most
/// [`json_check::MAX_DEPTH`](crate::sansio::json_check::MAX_DEPTH) deep):
/// the same check as a response body's, and the same code.
pub fn is_json(s: &str) -> bool {
    crate::sansio::shape::is_json(s.as_bytes())
}

fn check_param(
    op: &Operation,
    name: &'static str,
    kind: ParamKind,
    value: &str,
) -> Result<(), Error> {
    match kind {
        ParamKind::Text => Ok(()),
        ParamKind::Datetime if is_datetime(value) => Ok(()),
        ParamKind::Datetime => Err(Error::invalid_input(
            op.name,
            &[name, " must be a datetime YYYY-MM-DD HH:MM:SS"],
        )),
        ParamKind::Json if is_json(value) => Ok(()),
        ParamKind::Json => Err(Error::invalid_input(op.name, &[name, " must be JSON text"])),
        ParamKind::OneOf(codes) if codes.contains(&value) => Ok(()),
        ParamKind::OneOf(codes) => {
            let mut allowed = String::new();
            for (i, code) in codes.iter().enumerate() {
                if i > 0 {
                    allowed.push_str(", ");
                }
                allowed.push('"');
                allowed.push_str(code);
                allowed.push('"');
            }
            Err(Error::invalid_input(
                op.name,
                &[name, " must be one of ", &allowed],
            ))
        }
    }
}

/// The error for a params key that `op` does not document, naming the
/// documented key it most resembles, so that a misspelling is never dropped
/// in silence.
pub fn unknown_param(op: &Operation, key: &str) -> Error {
    match closest(key, op.params.iter().map(|p| p.name)) {
        Some(name) => Error::invalid_input(
            op.name,
            &["unknown parameter \"", key, "\" (did you mean ", name, "?)"],
        ),
        None if op.params.is_empty() => Error::invalid_input(
            op.name,
            &[
                "unknown parameter \"",
                key,
                "\": this call takes no parameters",
            ],
        ),
        None => Error::invalid_input(op.name, &["unknown parameter \"", key, "\""]),
    }
}

/// The name in `names` that `key` most resembles, if it is close enough to
/// be a misspelling of it.
pub fn closest(key: &str, names: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    names
        .map(|name| (distance(key, name), name))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, name)| *d <= 3.max(name.len() / 3))
        .map(|(_, name)| name)
}

/// The error for a key of a config or options object (`what`) that is not
/// one of `known`: a misspelled option (`timeout` for `timeoutMs`) must not
/// be ignored in silence.
pub fn unknown_key(
    operation: &'static str,
    what: &str,
    key: &str,
    known: &'static [&'static str],
) -> Error {
    match closest(key, known.iter().copied()) {
        Some(name) => Error::invalid_input(
            operation,
            &[what, " has no key \"", key, "\" (did you mean ", name, "?)"],
        ),
        None => Error::invalid_input(operation, &[what, " has no key \"", key, "\""]),
    }
}

/// Edit distance between two keys, case, `_` and `-` ignored (`validTo`
/// and `valid_to` are 0 apart); keys are compared on their first 32 such
/// bytes. Fixed arrays, no `Vec`: this ships in a size-budgeted wasm.
fn distance(a: &str, b: &str) -> usize {
    const MAX: usize = 32;
    let norm = |s: &str| {
        let mut out = [0u8; MAX];
        let mut len = 0;
        for b in s.bytes().filter(|b| !matches!(b, b'_' | b'-')) {
            if let Some(slot) = out.get_mut(len) {
                *slot = b.to_ascii_lowercase();
                len += 1;
            }
        }
        (out, len)
    };
    let ((a, a_len), (b, b_len)) = (norm(a), norm(b));
    let mut row = [0usize; MAX + 1];
    for (j, slot) in row.iter_mut().enumerate() {
        *slot = j;
    }
    for (i, ca) in a.iter().take(a_len).enumerate() {
        let mut diagonal = i;
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().take(b_len).enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != cb))
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
        }
    }
    row.get(b_len).copied().unwrap_or(0)
}

/// Where the request goes and who asks: the parts of the URL fixed per client.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// API root without a trailing `/` (`https://x.example.com/api`).
    pub base_url: &'a str,
    /// The reseller id, already one encoded segment.
    pub reseller_segment: &'a str,
    /// The API key.
    pub api_key: &'a str,
}

// Hand-written so that the key never reaches a log.
impl core::fmt::Debug for Target<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("reseller_segment", &self.reseller_segment)
            .finish_non_exhaustive()
    }
}

/// Checks every input of `op` and lays the request out.
///
/// `params` is aligned with `op.params`; `None` means absent.
pub fn build(
    op: &Operation,
    target: Target<'_>,
    path_args: &[&str],
    params: &[Option<&str>],
) -> Result<WireRequest, Error> {
    let mut url = String::with_capacity(128);
    url.push_str(target.base_url);
    url.push_str("/resellers/");
    url.push_str(target.reseller_segment);
    let mut args = path_args.iter();
    for segment in op.path {
        url.push('/');
        match *segment {
            Segment::Literal(text) => url.push_str(text),
            Segment::Arg(name) => {
                let Some(value) = args.next() else {
                    return Err(Error::invalid_input(op.name, &[name, " is required"]));
                };
                check_path_arg(op.name, name, value)?;
                push_segment(&mut url, value);
            }
        }
    }

    let mut fields = String::new();
    for (i, param) in op.params.iter().enumerate() {
        match params.get(i).copied().flatten() {
            Some(value) if !value.is_empty() || !param.required => {
                // An empty optional datetime, code or JSON is a mistake, not "unset".
                check_param(op, param.name, param.kind, value)?;
                push_pair(&mut fields, param.name, value);
            }
            Some(_) => {
                return Err(Error::invalid_input(
                    op.name,
                    &[param.name, " must not be empty"],
                ))
            }
            None if param.required => {
                return Err(Error::invalid_input(op.name, &[param.name, " is required"]))
            }
            None => {}
        }
    }
    push_pair(&mut fields, "apikey", "");
    let key_at = fields.len();
    crate::sansio::encode::push_form_value(&mut fields, target.api_key);

    if op.method.uses_query() {
        url.push('?');
        let key_at = url.len() + key_at;
        url.push_str(&fields);
        Ok(WireRequest {
            url,
            body: None,
            key_at: Some(key_at),
        })
    } else {
        Ok(WireRequest {
            url,
            body: Some(fields),
            key_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sansio::operation::{Method, Param, ParamsObject};

    #[test]
    fn the_form_content_type_is_ours_and_other_headers_pass() {
        let caller = [
            (String::from("X-Extra"), String::from("1")),
            (String::from("Content-Type"), String::from("text/plain")),
        ];
        let form = WireRequest {
            url: String::from("https://x/api"),
            body: Some(String::from("a=1")),
            key_at: None,
        };
        let owned = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(n, v)| (String::from(*n), String::from(*v)))
                .collect()
        };
        let sent = form.headers(caller.to_vec());
        assert_eq!(sent, owned(&[("X-Extra", "1"), ("content-type", FORM)]));
        let query = WireRequest { body: None, ..form };
        let sent = query.headers(caller.to_vec());
        assert_eq!(
            sent,
            owned(&[("X-Extra", "1"), ("Content-Type", "text/plain")])
        );
    }

    #[test]
    fn datetimes_are_checked_field_by_field() {
        assert!(is_datetime("2024-01-31 23:59:59"));
        assert!(is_datetime("2024-12-01 00:00:00"));
        assert!(is_datetime("2024-02-29 10:00:00"));
        assert!(is_datetime("2000-02-29 10:00:00"));
        assert!(is_datetime("0001-01-01 00:00:00"));
        for bad in [
            "2024-02-30 10:00:00",
            "2023-02-29 10:00:00",
            "1900-02-29 10:00:00",
            "2024-04-31 10:00:00",
            "0000-01-01 00:00:00",
            "2024-13-01 00:00:00",
            "2024-00-01 00:00:00",
            "2024-01-32 00:00:00",
            "2024-01-00 00:00:00",
            "2024-01-01 24:00:00",
            "2008-12-11 08:95:41",
            "2024-01-01 00:00:60",
            "2024-01-01T00:00:00",
            "2024-01-01",
            "2024-01-01 00:00:00Z",
            "２０２４-01-01 00:00:00",
            "",
        ] {
            assert!(!is_datetime(bad), "{bad} accepted");
        }
    }

    #[test]
    fn json_texts_are_recognised() {
        for good in [
            "{\"phone\":\"+1 555\"}",
            "[]",
            " 1.5e3 ",
            "null",
            "\"\\u00e9\"",
            // What a response would hold is only text here.
            "{\"response\":{\"status\":\"ERROR\",\"response\":[1e400]}}",
        ] {
            assert!(is_json(good), "{good} rejected");
        }
        // The nesting limit is the response check's.
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let max = crate::sansio::json_check::MAX_DEPTH;
        assert!(is_json(&deep(max)));
        assert!(!is_json(&deep(max + 1)));
        for bad in [
            "",
            "{",
            "{phone:1}",
            "[1,]",
            "'x'",
            "01",
            "{\"a\":1}x",
            "\"\\x\"",
        ] {
            assert!(!is_json(bad), "{bad} accepted");
        }
    }

    const OP: Operation = Operation {
        name: "testCall",
        rust_name: "test_call",
        method: Method::Get,
        path: &[
            Segment::Literal("accounts"),
            Segment::Arg("account_id"),
            Segment::Literal("status"),
        ],
        params: &[
            Param {
                name: "from",
                kind: ParamKind::Datetime,
                required: false,
            },
            Param {
                name: "status",
                kind: ParamKind::OneOf(&["a", "s"]),
                required: true,
            },
        ],
        params_object: ParamsObject::Required,
        fields: &[],
        text_fields: &[],
        money: &[],
    };

    const TARGET: Target<'static> = Target {
        base_url: "http://h/api",
        reseller_segment: "r@x.com",
        api_key: "k&y",
    };

    #[test]
    fn get_puts_params_then_key_in_the_query() {
        let req = build(
            &OP,
            TARGET,
            &["a/b"],
            &[Some("2024-01-01 10:00:00"), Some("s")],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            req.url,
            "http://h/api/resellers/r@x.com/accounts/a%2Fb/status?from=2024-01-01+10%3A00%3A00&status=s&apikey=k%26y"
        );
        assert_eq!(req.body, None);
        assert_eq!(
            req.shown_url(),
            "http://h/api/resellers/r@x.com/accounts/a%2Fb/status?from=2024-01-01+10%3A00%3A00&status=s&apikey=[redacted]"
        );
    }

    #[test]
    fn put_puts_params_and_key_in_the_body() {
        let op = Operation {
            method: Method::Put,
            ..OP
        };
        let req = build(&op, TARGET, &["1"], &[None, Some("a")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(req.url, "http://h/api/resellers/r@x.com/accounts/1/status");
        assert_eq!(req.body.as_deref(), Some("status=a&apikey=k%26y"));
        assert_eq!(req.shown_url(), req.url);
    }

    #[test]
    fn unknown_keys_name_the_documented_one_they_resemble() {
        let e = unknown_param(&OP, "Status").to_string();
        assert!(
            e.contains("unknown parameter \"Status\" (did you mean status?)"),
            "{e}"
        );
        let e = unknown_param(&OP, "frm").to_string();
        assert!(e.contains("did you mean from?"), "{e}");
        let e = unknown_param(&OP, "customer_identifier").to_string();
        assert!(!e.contains("did you mean"), "{e}");
        assert_eq!(distance("validTo", "valid_to"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn bad_inputs_are_refused_before_sending() {
        type Case<'a> = (&'a [&'a str], [Option<&'a str>; 2], &'a str);
        let cases: [Case; 6] = [
            (&[""], [None, Some("a")], "account_id must not be empty"),
            (&[".."], [None, Some("a")], "account_id must not be empty"),
            (&["1"], [None, None], "status is required"),
            (&["1"], [None, Some("")], "status must not be empty"),
            (
                &["1"],
                [None, Some("x")],
                "status must be one of \"a\", \"s\"",
            ),
            (&["1"], [Some(""), Some("a")], "from must be a datetime"),
        ];
        for (args, params, want) in cases {
            match build(&OP, TARGET, args, &params) {
                Err(e) => {
                    assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
                    assert!(e.to_string().contains(want), "{e} lacks {want}");
                    assert!(!e.to_string().contains("k&y"));
                }
                Ok(_) => panic!("{want}: accepted"),
            }
        }
    }
}

//! The checks of what a JS caller handed over, on the one text
//! `js/inputs.js` made of it: every value that is not what the contract
//! says is an `invalid_input` error naming it, worded as it always was.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use liveagent_reseller::ops;
use liveagent_reseller::sansio::config::{
    check_header, max_retries, millis, Config, CONFIG, MILLIS, RETRIES,
};
use liveagent_reseller::sansio::error::Error;
use liveagent_reseller::sansio::operation::{Operation, ParamKind, ParamsObject, Segment};
use liveagent_reseller::sansio::request::{unknown_key, unknown_param};
use liveagent_reseller::sansio::secret::ApiKey;

use crate::text::{read, Value};

/// The config object's keys (API.md).
const CONFIG_KEYS: &[&str] = &[
    "baseUrl",
    "reseller",
    "apiKey",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "headers",
    "timeZone",
    "onEvent",
    "maxResponseBytes",
];

/// The per-call options' keys.
const OPTION_KEYS: &[&str] = &["signal", "timeoutMs", "maxRetries", "headers"];

/// The vendor's servers' zone, for `Date` inputs when `timeZone` is not given.
const DEFAULT_TIME_ZONE: &str = "America/Los_Angeles";

/// A call's inputs, checked: ready for the core's layout.
#[derive(Debug)]
pub struct Call {
    pub op: &'static Operation,
    pub args: Vec<String>,
    pub values: Vec<Option<String>>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
    pub headers: Vec<(String, String)>,
}

/// One value as the checks see it (tags read, see `js/inputs.js`).
enum Scalar<'a> {
    Absent,
    Text(&'a str),
    /// A string with a lone surrogate.
    Lone,
    Whole(u64),
    /// A `Date`: its text in the client's zone, `None` when invalid.
    Date(Option<&'a str>),
    Function,
    /// What threw when read (a getter, a Proxy).
    Throws,
    Other,
}

fn tag(value: &Value) -> Option<(&str, Option<&Value>)> {
    match value {
        Value::List(items) => match items.first() {
            Some(Value::Text(name)) => Some((name, items.get(1))),
            _ => None,
        },
        _ => None,
    }
}

fn scalar(value: &Value) -> Scalar<'_> {
    match value {
        Value::Null => Scalar::Absent,
        Value::Text(text) => Scalar::Text(text),
        Value::Whole(n) => Scalar::Whole(*n),
        _ => match tag(value) {
            Some(("undefined", _)) => Scalar::Absent,
            Some(("lone", _)) => Scalar::Lone,
            Some(("function", _)) => Scalar::Function,
            Some(("throws", _)) => Scalar::Throws,
            Some(("Date", Some(Value::Text(text)))) => Scalar::Date(Some(text)),
            Some(("Date", _)) => Scalar::Date(None),
            _ => Scalar::Other,
        },
    }
}

fn invalid(operation: &'static str, parts: &[&str]) -> Error {
    Error::invalid_input(operation, parts)
}

/// The encoder's text could not be read: a bug of the package, said so.
fn unreadable(operation: &'static str) -> Error {
    invalid(
        operation,
        &["the inputs could not be read (a bug of liveagent-reseller)"],
    )
}

/// An own member of an object (`None`: absent, or not an object).
fn member<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    match object {
        Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn own<'a>(object: &'a Value, key: &str) -> Scalar<'a> {
    member(object, key).map_or(Scalar::Absent, scalar)
}

/// Every own key of `object` that is set (not `undefined`) must be one of
/// `known`: a misspelled option is an error naming the closest name.
fn check_keys(
    operation: &'static str,
    what: &str,
    object: &Value,
    known: &'static [&'static str],
) -> Result<(), Error> {
    let Value::Object(entries) = object else {
        return Err(invalid(operation, &[what, " must be an object"]));
    };
    for (key, value) in entries {
        if !matches!(tag(value), Some(("undefined", _))) && !known.contains(&key.as_str()) {
            return Err(unknown_key(operation, what, key, known));
        }
    }
    Ok(())
}

/// A string value, or `None` when absent; anything else is an input error.
fn optional_string(
    operation: &'static str,
    name: &str,
    value: Scalar<'_>,
) -> Result<Option<String>, Error> {
    match value {
        Scalar::Absent => Ok(None),
        Scalar::Text(text) => Ok(Some(String::from(text))),
        // A lone surrogate would be sent as U+FFFD: another value than given.
        Scalar::Lone => Err(invalid(
            operation,
            &[
                name,
                " is not well-formed Unicode (it holds a lone surrogate)",
            ],
        )),
        _ => Err(invalid(operation, &[name, " must be a string"])),
    }
}

/// A whole number of bytes from 1 to 2^53.
fn optional_bytes(
    operation: &'static str,
    name: &str,
    value: Scalar<'_>,
) -> Result<Option<u64>, Error> {
    match value {
        Scalar::Absent => Ok(None),
        Scalar::Whole(n) if n >= 1 => Ok(Some(n)),
        _ => Err(invalid(
            operation,
            &[name, " must be a whole number of bytes, at least 1"],
        )),
    }
}

/// A whole number of milliseconds, in the range of [`millis`].
fn optional_millis(
    operation: &'static str,
    name: &str,
    value: Scalar<'_>,
) -> Result<Option<u32>, Error> {
    match value {
        Scalar::Absent => Ok(None),
        Scalar::Whole(n) => millis(operation, name, n).map(Some),
        _ => Err(invalid(operation, &[name, MILLIS])),
    }
}

/// A whole number of retries, in the range of [`max_retries`].
fn optional_retries(operation: &'static str, value: Scalar<'_>) -> Result<Option<u32>, Error> {
    match value {
        Scalar::Absent => Ok(None),
        Scalar::Whole(n) => max_retries(
            operation,
            "maxRetries",
            u32::try_from(n).unwrap_or(u32::MAX),
        )
        .map(Some),
        _ => Err(invalid(operation, &["maxRetries", RETRIES])),
    }
}

/// A function (it stays in JS), or absent.
fn optional_function(operation: &'static str, name: &str, value: Scalar<'_>) -> Result<(), Error> {
    match value {
        Scalar::Absent | Scalar::Function => Ok(()),
        _ => Err(invalid(operation, &[name, " must be a function"])),
    }
}

/// A plain object of string headers (a `Headers` instance has no own
/// entries and would silently send nothing: the encoder names its type).
fn headers(
    operation: &'static str,
    name: &str,
    value: Option<&Value>,
) -> Result<Vec<(String, String)>, Error> {
    let not_strings = || invalid(operation, &[name, " must be a plain object of strings"]);
    let entries = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(value) if matches!(tag(value), Some(("undefined", _))) => return Ok(Vec::new()),
        Some(Value::Object(entries)) => entries,
        Some(_) => return Err(not_strings()),
    };
    let mut out = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let Value::Text(value) = value else {
            return Err(not_strings());
        };
        check_header(operation, key, value)?;
        out.push((key.clone(), value.clone()));
    }
    Ok(out)
}

/// Reads and checks the config text of `js/inputs.js` (`encodeConfig`).
/// On error, with the key scrubbed from it when the key was readable.
pub fn config(text: &str) -> Result<Config, Error> {
    let Some(Value::List(parts)) = read(text) else {
        return Err(unreadable(CONFIG));
    };
    let given = parts.first().unwrap_or(&Value::Null);
    let zone_known = !matches!(parts.get(1), Some(Value::Bool(false)));
    config_of(given, zone_known).map_err(|e| match own(given, "apiKey") {
        // A config error may quote a value that is the key (a header name).
        Scalar::Text(key) if !key.is_empty() => e.scrubbed(key),
        _ => e,
    })
}

fn config_of(js: &Value, zone_known: bool) -> Result<Config, Error> {
    match js {
        Value::Object(_) => {}
        _ if matches!(tag(js), Some(("throws", _))) => {
            return Err(invalid(CONFIG, &["the config must be an object"]));
        }
        _ => return Err(invalid(CONFIG, &["the config object is required"])),
    }
    check_keys(CONFIG, "the config", js, CONFIG_KEYS)?;
    let required = |name: &str| {
        optional_string(CONFIG, name, own(js, name))?
            .ok_or_else(|| invalid(CONFIG, &[name, " is required"]))
    };
    let mut config = Config::new(&required("baseUrl")?, &required("reseller")?, "");
    config.api_key = ApiKey::new(required("apiKey")?);
    if let Some(ms) = optional_millis(CONFIG, "timeoutMs", own(js, "timeoutMs"))? {
        config.timeout = core::time::Duration::from_millis(u64::from(ms));
    }
    if let Some(retries) = optional_retries(CONFIG, own(js, "maxRetries"))? {
        config.max_retries = retries;
    }
    config.headers = headers(CONFIG, "headers", member(js, "headers"))?;
    if let Some(bytes) = optional_bytes(CONFIG, "maxResponseBytes", own(js, "maxResponseBytes"))? {
        config.max_response_bytes = bytes;
    }
    optional_function(CONFIG, "fetch", own(js, "fetch"))?;
    optional_function(CONFIG, "onEvent", own(js, "onEvent"))?;
    let time_zone = optional_string(CONFIG, "timeZone", own(js, "timeZone"))?;
    if let Some(zone) = time_zone.filter(|z| z != DEFAULT_TIME_ZONE && !zone_known) {
        return Err(invalid(
            CONFIG,
            &[
                "timeZone \"",
                &zone,
                "\" is not an IANA time zone this host knows",
            ],
        ));
    }
    Ok(config)
}

/// Reads and checks the call text of `js/inputs.js` (`encodeCall`).
pub fn call(text: &str) -> Result<Call, Error> {
    let Some(Value::List(parts)) = read(text) else {
        return Err(unreadable(CONFIG));
    };
    let [Value::Text(name), Value::List(args), params, options] = parts.as_slice() else {
        return Err(unreadable(CONFIG));
    };
    let op = ops::ALL
        .iter()
        .copied()
        .find(|op| op.name == name)
        .ok_or_else(|| invalid(CONFIG, &["unknown operation ", name]))?;
    let args = path_args(op, args)?;
    let values = params_of(op, params)?;
    let (timeout_ms, max_retries, headers) = options_of(op.name, options)?;
    Ok(Call {
        op,
        args,
        values,
        timeout_ms,
        max_retries,
        headers,
    })
}

fn path_args(op: &'static Operation, given: &[Value]) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let names = op.path.iter().filter_map(|segment| match segment {
        Segment::Arg(name) => Some(*name),
        _ => None,
    });
    for (index, name) in names.enumerate() {
        let value = given.get(index).map_or(Scalar::Absent, scalar);
        match optional_string(op.name, name, value)? {
            Some(text) => out.push(text),
            None => return Err(invalid(op.name, &[name, " is required"])),
        }
    }
    Ok(out)
}

/// The documented params, in `op.params` order; a key the docs do not
/// name is an error (a misspelled optional field must not be dropped).
fn params_of(op: &'static Operation, given: &Value) -> Result<Vec<Option<String>>, Error> {
    let entries = match (given, scalar(given)) {
        (Value::Object(entries), _) => entries,
        (_, Scalar::Absent) => {
            if op.params_object == ParamsObject::Required {
                return Err(invalid(op.name, &["the params object is required"]));
            }
            return Ok(vec![None; op.params.len()]);
        }
        _ => return Err(invalid(op.name, &["params must be an object"])),
    };
    for (key, value) in entries {
        if !matches!(tag(value), Some(("undefined", _))) && !op.params.iter().any(|p| p.name == key)
        {
            return Err(unknown_param(op, key));
        }
    }
    let mut out = Vec::with_capacity(op.params.len());
    for param in op.params {
        let value = own(given, param.name);
        out.push(match value {
            // A `Date` for a datetime: its text in the client's zone.
            Scalar::Date(Some(text)) if param.kind == ParamKind::Datetime => {
                Some(String::from(text))
            }
            Scalar::Date(None) if param.kind == ParamKind::Datetime => {
                return Err(invalid(op.name, &[param.name, " must be a valid Date"]));
            }
            value => optional_string(op.name, param.name, value)?,
        });
    }
    Ok(out)
}

type Options = (Option<u32>, Option<u32>, Vec<(String, String)>);

/// Per-call options: `{signal, timeoutMs, maxRetries, headers}`.
fn options_of(operation: &'static str, given: &Value) -> Result<Options, Error> {
    match (given, scalar(given)) {
        (Value::Object(_), _) => {}
        (_, Scalar::Absent) => return Ok((None, None, Vec::new())),
        _ => return Err(invalid(operation, &["options must be an object"])),
    }
    check_keys(operation, "options", given, OPTION_KEYS)?;
    // The encoder says `true` for an AbortSignal; the signal stays in JS.
    match member(given, "signal") {
        None | Some(Value::Null | Value::Bool(true)) => {}
        Some(value) if matches!(tag(value), Some(("undefined", _))) => {}
        Some(_) => {
            return Err(invalid(
                operation,
                &["options.signal must be an AbortSignal"],
            ))
        }
    }
    Ok((
        optional_millis(operation, "options.timeoutMs", own(given, "timeoutMs"))?,
        optional_retries(operation, own(given, "maxRetries"))?,
        headers(operation, "options.headers", member(given, "headers"))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<Call, Error>) -> String {
        match result {
            Err(Error::InvalidInput { message, .. }) => message,
            other => panic!("not an input error: {other:?}"),
        }
    }

    #[test]
    fn a_call_is_read_with_its_params_in_documented_order() {
        let call = call(
            r#"["listAccounts",[],{"created_to":"2024-02-01 00:00:00","created_from":["Date","2024-01-02 03:04:05"]},{"timeoutMs":5,"headers":{"x-a":"b"},"signal":true}]"#,
        );
        let call = call.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(call.op.name, "listAccounts");
        assert_eq!(call.timeout_ms, Some(5));
        assert_eq!(call.headers, vec![("x-a".into(), "b".into())]);
        assert_eq!(
            call.values,
            vec![
                Some("2024-01-02 03:04:05".into()),
                Some("2024-02-01 00:00:00".into())
            ]
        );
        assert_eq!(
            message(super::call(
                r#"["listAccounts",[],{"created_from":["Date",null]},null]"#
            )),
            "created_from must be a valid Date"
        );
        assert_eq!(
            message(super::call(
                r#"["createAccount",[],{"company":["Date","2024-01-02 03:04:05"]},null]"#
            )),
            "company must be a string"
        );
    }

    #[test]
    fn input_errors_keep_their_words() {
        assert_eq!(
            message(call(r#"["getAccount",[["undefined"]],null,null]"#)),
            "account_id is required"
        );
        assert_eq!(
            message(call(r#"["getAccount",[5],null,null]"#)),
            "account_id must be a string"
        );
        assert_eq!(
            message(call(r#"["getAccount",[["lone"]],null,null]"#)),
            "account_id is not well-formed Unicode (it holds a lone surrogate)"
        );
        assert_eq!(
            message(call(r#"["getAccount",["a"],null,{"timeout":5}]"#)),
            "options has no key \"timeout\" (did you mean timeoutMs?)"
        );
        assert_eq!(
            message(call(
                r#"["getAccount",["a"],null,{"signal":["AbortSignal?"]}]"#
            )),
            "options.signal must be an AbortSignal"
        );
        assert_eq!(
            message(call(r#"["getAccount",["a"],null,{"maxRetries":["NaN"]}]"#)),
            "maxRetries must be a whole number from 0 to 10"
        );
        assert_eq!(
            message(call(r#"["getAccount",["a"],null,{"headers":["Headers"]}]"#)),
            "options.headers must be a plain object of strings"
        );
        assert_eq!(
            message(call(r#"["createAccount",[],["Array"],null]"#)),
            "params must be an object"
        );
    }

    #[test]
    fn a_config_is_checked_and_its_errors_never_show_the_key() {
        let ok = config(
            r#"[{"baseUrl":"https://x.example","reseller":"r","apiKey":"k","fetch":["function"],"onEvent":["undefined"]},true]"#,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let bad = config(
            r#"[{"baseUrl":"u","reseller":"r","apiKey":"secretkey","headers":{"secretkey":"\n"}},true]"#,
        );
        let text = alloc::format!("{bad:?}");
        assert!(bad.is_err() && !text.contains("secretkey"), "{text}");
        let zone = config(
            r#"[{"baseUrl":"u","reseller":"r","apiKey":"k","timeZone":"Mars/Olympus"},false]"#,
        );
        assert!(alloc::format!("{zone:?}").contains("is not an IANA time zone this host knows"));
        assert!(
            alloc::format!("{:?}", config("[5,true]")).contains("the config object is required")
        );
    }
}

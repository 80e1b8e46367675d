//! The checks of what a JS caller handed over, on the one text
//! `js/inputs.js` made of it: every value that is not what the contract
//! says is an `invalid_input` error naming it, worded as it always was.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use core::time::Duration;
use liveagent_reseller::ops;

use liveagent_reseller::sansio::config::{Config, Settings, CONFIG};
use liveagent_reseller::sansio::error::Error;
use liveagent_reseller::sansio::operation::{Operation, ParamKind, ParamsObject, Segment};
use liveagent_reseller::sansio::request::unknown_param;

use crate::text::{read, Value};

/// A call's inputs, checked: ready for the core's layout (its texts
/// borrowed from the inputs' [`Value`]).
#[derive(Debug)]
pub struct Call<'a> {
    pub op: &'static Operation,
    pub args: Vec<&'a str>,
    pub values: Vec<Option<&'a str>>,
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

/// A string value, or `None` when absent; anything else is an input error.
fn optional_string<'a>(
    operation: &'static str,
    name: &str,
    value: Scalar<'a>,
) -> Result<Option<&'a str>, Error> {
    match value {
        Scalar::Absent => Ok(None),
        Scalar::Text(text) => Ok(Some(text)),
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

/// Reads the settings text of `js/config.js` (`settingsText`): `[baseUrl,
/// reseller, apiKey, timeoutMs, maxRetries, maxResponseBytes, [name, value,
/// …]]`, `null` for a default. Not checked again: the constructor ran the
/// same table's rules on it in JS and threw for a bad config, before any
/// `.wasm` was loaded (`tests/config_rules.rs`: the core's rules agree).
pub fn settings(text: &str) -> Result<Settings, Error> {
    let Some(Value::List(parts)) = read(text) else {
        return Err(unreadable(CONFIG));
    };
    let [Value::Text(base_url), Value::Text(reseller), Value::Text(key), timeout, retries, bytes, Value::List(headers)] =
        parts.as_slice()
    else {
        return Err(unreadable(CONFIG));
    };
    let mut config = Config::new(base_url, reseller, key);
    if let Value::Whole(ms) = timeout {
        config.timeout = Duration::from_millis(*ms);
    }
    if let Value::Whole(n) = retries {
        config.max_retries = u32::try_from(*n).unwrap_or(u32::MAX);
    }
    if let Value::Whole(n) = bytes {
        config.max_response_bytes = *n;
    }
    for pair in headers.chunks(2) {
        if let [Value::Text(name), Value::Text(value)] = pair {
            config.headers.push((name.clone(), value.clone()));
        }
    }
    Ok(Settings::checked(config))
}

/// Checks the call text of `js/inputs.js` (`encodeCall`), as `read`.
pub fn call(inputs: Option<&Value>) -> Result<Call<'_>, Error> {
    let Some(Value::List(parts)) = inputs else {
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

fn path_args<'a>(op: &'static Operation, given: &'a [Value]) -> Result<Vec<&'a str>, Error> {
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
fn params_of<'a>(op: &'static Operation, given: &'a Value) -> Result<Vec<Option<&'a str>>, Error> {
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
            Scalar::Date(Some(text)) if param.kind == ParamKind::Datetime => Some(text),
            Scalar::Date(None) if param.kind == ParamKind::Datetime => {
                return Err(invalid(op.name, &[param.name, " must be a valid Date"]));
            }
            value => optional_string(op.name, param.name, value)?,
        });
    }
    Ok(out)
}

type Options = (Option<u32>, Option<u32>, Vec<(String, String)>);

/// Per-call options as `js/config.js` (`checkOptions`) checked them, by the
/// config's rules: `[timeoutMs, maxRetries, [name, value, …]]`, or the
/// message of their first error (told here, after the other inputs').
fn options_of(operation: &'static str, given: &Value) -> Result<Options, Error> {
    let parts = match given {
        Value::List(parts) => parts,
        Value::Text(message) => return Err(invalid(operation, &[message])),
        _ => return Err(unreadable(operation)),
    };
    let [timeout, retries, Value::List(pairs)] = parts.as_slice() else {
        return Err(unreadable(operation));
    };
    let whole = |value: &Value| match value {
        Value::Whole(n) => u32::try_from(*n).ok(),
        _ => None,
    };
    let mut headers = Vec::new();
    for pair in pairs.chunks(2) {
        if let [Value::Text(name), Value::Text(value)] = pair {
            headers.push((name.clone(), value.clone()));
        }
    }
    Ok((whole(timeout), whole(retries), headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> Result<Call<'static>, Error> {
        // Leaked: a test's few inputs outlive their call.
        super::call(alloc::boxed::Box::leak(alloc::boxed::Box::new(read(text))).as_ref())
    }

    fn message(result: Result<Call, Error>) -> String {
        match result {
            Err(Error::InvalidInput { message, .. }) => message,
            other => panic!("not an input error: {other:?}"),
        }
    }

    #[test]
    fn a_call_is_read_with_its_params_in_documented_order() {
        let call = checked(
            r#"["listAccounts",[],{"created_to":"2024-02-01 00:00:00","created_from":["Date","2024-01-02 03:04:05"]},[5,null,["x-a","b"]]]"#,
        );
        let call = call.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(call.op.name, "listAccounts");
        assert_eq!(call.timeout_ms, Some(5));
        assert_eq!(call.headers, vec![("x-a".into(), "b".into())]);
        assert_eq!(
            call.values,
            vec![Some("2024-01-02 03:04:05"), Some("2024-02-01 00:00:00")]
        );
        assert_eq!(
            message(checked(
                r#"["listAccounts",[],{"created_from":["Date",null]},[null,null,[]]]"#
            )),
            "created_from must be a valid Date"
        );
        assert_eq!(
            message(checked(
                r#"["createAccount",[],{"company":["Date","2024-01-02 03:04:05"]},[null,null,[]]]"#
            )),
            "company must be a string"
        );
    }

    #[test]
    fn input_errors_keep_their_words() {
        assert_eq!(
            message(checked(
                r#"["getAccount",[["undefined"]],null,[null,null,[]]]"#
            )),
            "account_id is required"
        );
        assert_eq!(
            message(checked(r#"["getAccount",[5],null,[null,null,[]]]"#)),
            "account_id must be a string"
        );
        assert_eq!(
            message(checked(r#"["getAccount",[["lone"]],null,[null,null,[]]]"#)),
            "account_id is not well-formed Unicode (it holds a lone surrogate)"
        );
        // The options' error, as js/config.js worded it, after the others'.
        assert_eq!(
            message(checked(
                r#"["getAccount",["a"],null,"options.signal must be an AbortSignal"]"#
            )),
            "options.signal must be an AbortSignal"
        );
        assert_eq!(
            message(checked(
                r#"["getAccount",[5],null,"options must be an object"]"#
            )),
            "account_id must be a string"
        );
        assert_eq!(
            message(checked(r#"["createAccount",[],["Array"],[null,null,[]]]"#)),
            "params must be an object"
        );
    }

    #[test]
    fn settings_are_read_as_the_constructor_wrote_them() {
        let read = settings(
            r#"["https://x.example/api//","r@x","k",5,0,7,["X-A","1","X-B","caf\u00e9"]]"#,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.base_url(), "https://x.example/api");
        assert_eq!(read.reseller(), "r@x");
        assert_eq!(read.api_key().expose(), "k");
        assert_eq!((read.timeout_ms(), read.max_retries()), (5, 0));
        assert_eq!(read.max_response_bytes(), 7);
        assert_eq!(
            read.headers(),
            [
                ("X-A".into(), "1".into()),
                ("X-B".into(), "caf\u{e9}".into())
            ]
        );
        let defaults = settings(r#"["http://h","r","k",null,null,null,[]]"#)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((defaults.timeout_ms(), defaults.max_retries()), (30_000, 2));
        assert_eq!(defaults.max_response_bytes(), 64 << 20);
        let bad = alloc::format!("{:?}", settings(r#"[{"baseUrl":"h"},true]"#));
        assert!(bad.contains("a bug of liveagent-reseller"), "{bad}");
    }
}

//! Responses through the exchange (`sansio::exchange`, `sansio::shape`).

use super::*;
use liveagent_reseller::sansio::operation::{Field, FieldKind};

fn responses() -> &'static [(&'static Operation, shape::Response)] {
    static RESPONSES: OnceLock<Vec<(&'static Operation, shape::Response)>> = OnceLock::new();
    RESPONSES.get_or_init(|| {
        ops::ALL
            .iter()
            .map(|op| (*op, shape::response_of(op)))
            .collect()
    })
}

#[derive(Clone, Debug)]
enum Sent {
    /// Bytes as they came (decoded to text lossily, as a host does).
    Bytes(Vec<u8>),
    /// A payload shaped like the call's response; `envelope` says how it
    /// is wrapped (the reference decides what it must give).
    Shaped { payload: Value, envelope: u8 },
}

fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    vec(
        select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"response\"",
            ":",
            ",",
            "\"price\"",
            "1.50",
            "-0",
            "1e999",
            "null",
            "true",
            "\"ERROR\"",
            "\"status\"",
            "\"statuscode\"",
            "\"accounts\"",
            "\"addons\"",
            "\"x\"",
            " ",
            "\\",
            "\"",
            "\u{0}",
            "é",
            "\"\\ud800\"",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat().into_bytes())
}

fn decode_case() -> impl Strategy<Value = (usize, u16, Vec<usize>, Sent)> {
    let status = prop_oneof![
        8 => Just(200u16),
        1 => select(vec![201u16, 204, 299, 400, 404, 429, 500, 503]),
        // Statuses whose body is read (a redirect or a status outside
        // 200..=599 ends the attempt at its head: `retry_policy`).
        2 => prop_oneof![200u16..=299, 400u16..=599],
    ];
    let cuts = prop_oneof![
        1 => Just(Vec::new()),
        3 => vec(1usize..64, 1..6),
    ];
    (0..ops::ALL.len(), status, cuts).prop_flat_map(|(i, status, cuts)| {
        let sent = prop_oneof![
            1 => vec(any::<u8>(), 0..200).prop_map(Sent::Bytes),
            1 => json_soup().prop_map(Sent::Bytes),
            6 => (shape::object(ops::ALL[i].fields), 0u8..8).prop_map(
                |((payload, _), envelope)| Sent::Shaped { payload, envelope }
            ),
        ];
        (Just(i), Just(status), Just(cuts), sent)
    })
}

/// What the exchange must answer: the former check of a parsed document
/// (`check_object` over `serde_json::Value`), the reference.
#[derive(Debug, PartialEq)]
enum Want {
    /// Success: the payload with each documented field of its type.
    Result(Value),
    /// A `decode` error with this message.
    Decode(String),
    /// An `api` error with the envelope's members; `body`: the excerpt kept.
    Api {
        statuscode: Option<i64>,
        errormessage: Option<String>,
        debugmessage: Option<String>,
        body: bool,
    },
}

fn reference(status: u16, fields: &'static [Field], document: &Value) -> Want {
    let ok = (200..300).contains(&status);
    let Some(payload) = document.get("response").filter(|p| p.is_object()) else {
        return if ok {
            Want::Decode("the body has no {\"response\": {...}} envelope".into())
        } else {
            Want::Api {
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                body: true,
            }
        };
    };
    if payload.get("status") == Some(&json!("ERROR")) || !ok {
        let text = |name: &str| match payload.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
            _ => None,
        };
        let statuscode = match payload.get("statuscode") {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => liveagent_reseller::sansio::document::parse_int(s),
            _ => None,
        };
        return Want::Api {
            statuscode,
            errormessage: text("errormessage"),
            debugmessage: text("debugmessage"),
            body: false,
        };
    }
    let mut result = payload.clone();
    match check_object(&mut result, fields, "") {
        Ok(()) => Want::Result(result),
        Err(message) => Want::Decode(message),
    }
}

/// 2^63: the first whole number past `i64`.
const TWO_63: f64 = 9_223_372_036_854_775_808u64 as f64;

/// A whole number within `i64`, as JSON wrote it.
fn whole_number(n: &serde_json::Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (n.as_u64().is_none() && f.fract() == 0.0 && (-TWO_63..TWO_63).contains(&f)).then_some(f as i64)
}

/// Checks each documented field of `object` against its kind, in the
/// table's order (a list's rows in order), converting as API.md says:
/// a number in a text field becomes its text, a digit string or a whole
/// number written otherwise in an int field the plain number.
fn check_object(object: &mut Value, fields: &'static [Field], prefix: &str) -> Result<(), String> {
    for field in fields {
        let Some(value) = object.get_mut(field.name) else {
            continue;
        };
        let path = format!("{prefix}{}", field.name);
        match field.kind {
            FieldKind::Text | FieldKind::Code(_) => match value {
                Value::String(_) | Value::Null => {}
                Value::Number(n) => *value = Value::String(n.to_string()),
                _ => return Err(format!("{path}: expected text")),
            },
            FieldKind::Int => {
                let converted = match value {
                    Value::Null => continue,
                    Value::Number(n) => whole_number(n),
                    Value::String(s) => liveagent_reseller::sansio::document::parse_int(s),
                    _ => None,
                };
                match converted {
                    Some(n) => *value = json!(n),
                    None => return Err(format!("{path}: expected a whole number")),
                }
            }
            FieldKind::List(rows) => match value {
                Value::Null => {}
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        if !item.is_object() {
                            return Err(format!("{path}[{i}]: expected an object"));
                        }
                        check_object(item, rows, &format!("{path}[{i}]."))?;
                    }
                }
                _ => return Err(format!("{path}: expected a list")),
            },
        }
    }
    Ok(())
}

/// Whether `text` holds a `\uD800`-`\uDFFF` escape: `JSON.parse` keeps a
/// lone surrogate, serde refuses it (the Rust face's decode error).
fn has_surrogate_escape(text: &[u8]) -> bool {
    let text = String::from_utf8_lossy(text).to_ascii_lowercase();
    [
        "\\ud8", "\\ud9", "\\uda", "\\udb", "\\udc", "\\udd", "\\ude", "\\udf",
    ]
    .iter()
    .any(|s| text.contains(s))
}

#[test]
fn decode() {
    run("decode", decode_case(), |(i, status, cuts, sent)| {
        let (op, response) = &responses()[i];
        let ok = (200..300).contains(&status);
        let (text, document): (Vec<u8>, Option<Value>) = match &sent {
            Sent::Bytes(bytes) => (bytes.clone(), None),
            Sent::Shaped { payload, envelope } => {
                let document = match envelope {
                    0..=3 => json!({ "response": payload }),
                    4 => {
                        let mut p = payload.clone();
                        if let Some(map) = p.as_object_mut() {
                            map.insert("status".into(), json!("ERROR"));
                            map.insert("statuscode".into(), json!(42));
                            map.insert("errormessage".into(), json!("no"));
                        }
                        json!({ "response": p })
                    }
                    5 => payload.clone(),
                    6 => json!({ "response": [payload] }),
                    _ => json!({ "response": payload, "status": "OK", "extra": [1, {}] }),
                };
                (document.to_string().into_bytes(), Some(document))
            }
        };
        // What a driver does: the body in chunks, then the result parsed.
        let mut ex = exchange(op, 0, "k3y/+");
        let next = answer(&mut ex, status, None, &text, &cuts, CLOCK);
        // The chunking changes nothing.
        let mut whole = exchange(op, 0, "k3y/+");
        prop_assert_eq!(&next, &answer(&mut whole, status, None, &text, &[], CLOCK));
        let got = match &next {
            Next::Done(output) => {
                prop_assert!(ok, "Done under {}", status);
                let edited = output.apply(&text);
                // What the check accepts, the declared type takes.
                if let Err(message) = (response.decode)(&edited) {
                    prop_assert!(
                        has_surrogate_escape(&text),
                        "{} took a body that {} refuses: {}\n{}",
                        op.name,
                        response.type_name,
                        message,
                        String::from_utf8_lossy(&edited)
                    );
                }
                let parsed: Value = serde_json::from_slice(&edited).or_fail("the edited body")?;
                Want::Result(parsed["response"].clone())
            }
            Next::Fail(e) => {
                prop_assert_eq!(e.status(), Some(status));
                if let Some(body) = e.body() {
                    prop_assert!(body.chars().count() <= 4096);
                }
                match e {
                    Error::Decode { message, .. } => {
                        prop_assert!(ok, "a decode error under {}", status);
                        Want::Decode(message.clone())
                    }
                    Error::Api {
                        statuscode,
                        errormessage,
                        debugmessage,
                        body,
                        ..
                    } => Want::Api {
                        statuscode: *statuscode,
                        errormessage: errormessage.clone(),
                        debugmessage: debugmessage.clone(),
                        body: body.is_some(),
                    },
                    other => return Err(TestCaseError::fail(format!("{other:?}"))),
                }
            }
            other => return Err(TestCaseError::fail(format!("{other:?} with no retries"))),
        };
        if let Some(document) = document {
            let want = match reference(status, op.fields, &document) {
                // Undocumented numbers as serde reads them back, as the
                // exchange's result was read.
                Want::Result(v) => {
                    Want::Result(serde_json::from_str(&v.to_string()).or_fail("want")?)
                }
                other => other,
            };
            prop_assert_eq!(got, want, "{}: {}", op.name, String::from_utf8_lossy(&text));
        }
        Ok(())
    });
}

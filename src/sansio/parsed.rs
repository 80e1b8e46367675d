//! The check of a response over a document the face parsed itself (the
//! npm face's `JSON.parse`, read field by field through [`Document`]).
//!
//! Superseded by the streaming check every face now shares
//! ([`crate::sansio::shape`], driven by [`crate::sansio::exchange`]): kept
//! only while the npm face (`src/js`) still runs on it, then removed.

use alloc::string::String;

use crate::sansio::call::{Call, Clock, Step};
use crate::sansio::document::{parse_int, Document, Kind};
use crate::sansio::error::Error;
use crate::sansio::json_check::{Checker, Malformed, Number};
use crate::sansio::operation::{Field, FieldKind, Operation};
use crate::sansio::policy;
use crate::sansio::secret::{body_excerpt, ApiKey};

/// A response body as a face holds it: each face parses with what costs it
/// least, and writes converted values back its own way.
pub trait Body {
    /// The parsed document.
    type Doc: Document;
    /// Feeds the whole body, in order, through `checker` (a face that holds
    /// the body outside the module copies it in a chunk at a time): the
    /// core refuses what is not strict JSON before anything parses it.
    fn feed(&self, checker: &mut Checker) -> Result<(), Malformed>;
    /// The body parsed as JSON, numbers in money fields quoted first;
    /// `None` when it is not JSON. `numbers`: where the check saw a number
    /// as a text field's value (for a face that quotes by position).
    fn document(&mut self, numbers: &[Number]) -> Option<Self::Doc>;
    /// The body parsed again with the numbers of every field in
    /// `text_fields` quoted first (asked only when a text field holds a
    /// number, so that its exact text is kept).
    fn requoted(&mut self, text_fields: &[&str], numbers: &[Number]) -> Option<Self::Doc>;
    /// The first `chars` characters of the body, and whether that is all
    /// of it (for errors; the core removes the key, then cuts to
    /// [`BODY_EXCERPT_CHARS`](crate::sansio::error::BODY_EXCERPT_CHARS)).
    fn start(&self, chars: usize) -> (String, bool);
    /// Writes the whole number `value` over the digit string in `key` of
    /// `object` (an int field sent as text).
    fn set_int(&self, object: &Self::Doc, key: &<Self::Doc as Document>::Key, value: i64);
    /// The key for the member `name`. A face may keep keys between calls:
    /// in JS, making a string from wasm memory costs about a microsecond,
    /// and a call reads a dozen members.
    fn key(&self, name: &'static str) -> <Self::Doc as Document>::Key {
        Self::Doc::key(name)
    }
    /// `true` when every text field of `fields` in `object` is text, `null`
    /// or absent: the common row, known in one step where asking per field
    /// costs (the npm face asks its host once per row, not twice per
    /// field). `false` when one is not, or when the face cannot tell in
    /// one step: the core then checks field by field.
    fn all_text(&self, _object: &Self::Doc, _fields: &'static [Field]) -> bool {
        false
    }
    /// What `object` holds beyond `fields` and `also`
    /// ([`crate::sansio::drift::oddities`], the rule). A face may answer
    /// faster, and may leave out what it already answered for this body
    /// (a list's rows repeat the same new field).
    fn oddities(
        &self,
        object: &Self::Doc,
        fields: &'static [Field],
        also: &[&'static str],
    ) -> alloc::vec::Vec<crate::sansio::drift::Oddity> {
        crate::sansio::drift::oddities(object, fields, also)
    }
}

impl Call {
    /// The next step after an HTTP response.
    pub fn on_response<B: Body>(
        &mut self,
        status: u16,
        retry_after: Option<&str>,
        body: &mut B,
        clock: Clock,
        key: &ApiKey,
    ) -> Step<B::Doc> {
        let retry_after_ms =
            retry_after.and_then(|value| policy::retry_after_ms(value, clock.now_ms));
        match payload(self.op(), status, body, retry_after_ms, key) {
            Ok(payload) => Step::Done(payload),
            Err(error) => self.after(error.scrubbed(key.expose()), retry_after_ms, clock),
        }
    }
}

/// The payload of a response, or the error it means.
fn payload<B: Body>(
    op: &Operation,
    status: u16,
    body: &mut B,
    retry_after_ms: Option<u64>,
    key: &ApiKey,
) -> Result<B::Doc, Error> {
    let ok = (200..300).contains(&status);
    let operation = op.name;
    let undecodable = |message: &str, body: &B| {
        let body = body_excerpt(|chars| body.start(chars), key);
        if ok {
            Error::Decode {
                operation,
                call_id: None,
                status,
                message: String::from(message),
                body,
            }
        } else {
            Error::Api {
                operation,
                call_id: None,
                status,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                retry_after_ms,
                body: Some(body),
                location: None,
            }
        }
    };
    // Before any parse: strict JSON, and no nesting a parser or a reader
    // would recurse through until the host's stack runs out.
    let mut checker = Checker::noting(op.text_fields, op.money);
    if let Err(problem) = body.feed(&mut checker).and_then(|()| checker.finish()) {
        return Err(undecodable(problem.message(), body));
    }
    let numbers = checker.numbers();
    let Some(document) = body.document(numbers) else {
        return Err(undecodable("the body is not JSON", body));
    };
    let response = body.key("response");
    let Some(payload) = document.get(&response).filter(Document::is_object) else {
        return Err(undecodable(
            "the body has no {\"response\": {...}} envelope",
            body,
        ));
    };
    let status_text = payload.get(&body.key("status")).and_then(|s| s.text());
    let is_error = status_text.as_deref() == Some("ERROR");
    if is_error || !ok {
        let text = |name: &str| payload.member(name).and_then(|v| v.text());
        return Err(Error::Api {
            operation,
            call_id: None,
            status,
            statuscode: payload.member("statuscode").and_then(|v| v.int()),
            errormessage: text("errormessage"),
            debugmessage: text("debugmessage"),
            retry_after_ms,
            body: None,
            location: None,
        });
    }
    let payload = match check_object(&payload, &Table::new(op.fields, body), None, body) {
        Ok(()) => payload,
        // A number in a text field: parse again with every text field's
        // numbers quoted, so that the exact text the server wrote is kept.
        Err(Problem::NumberInText) => {
            let payload = body
                .requoted(op.text_fields, numbers)
                .and_then(|d| d.get(&response))
                .filter(Document::is_object);
            let Some(payload) = payload else {
                return Err(undecodable("the body is not JSON", body));
            };
            match check_object(&payload, &Table::new(op.fields, body), None, body) {
                Ok(()) => payload,
                Err(problem) => return Err(undecodable(&problem.message(), body)),
            }
        }
        Err(problem) => return Err(undecodable(&problem.message(), body)),
    };
    Ok(payload)
}

/// Where a value sits in the payload, for error messages; built on the
/// stack, rendered only when something is wrong.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    name: &'static str,
    index: Option<u32>,
}

impl Path<'_> {
    fn render(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.render(out);
            out.push('.');
        }
        out.push_str(self.name);
        if let Some(index) = self.index {
            out.push('[');
            crate::sansio::error::push_int(out, i64::from(index));
            out.push(']');
        }
    }
}

/// Why a payload does not fit its documented types.
enum Problem {
    /// A number where text is documented: fixable by quoting.
    NumberInText,
    /// Anything else, with where and what.
    Wrong(String),
}

impl Problem {
    fn wrong(path: &Path<'_>, what: &str) -> Problem {
        let mut message = String::new();
        path.render(&mut message);
        message.push_str(": ");
        message.push_str(what);
        Problem::Wrong(message)
    }

    fn message(&self) -> String {
        match self {
            Problem::NumberInText => String::from("a number where text is documented"),
            Problem::Wrong(message) => message.clone(),
        }
    }
}

/// A field table made ready for the host: its keys, and whether it has
/// text fields for [`Body::all_text`] to answer for.
struct Table<D: Document> {
    fields: &'static [Field],
    keys: alloc::vec::Vec<D::Key>,
    has_text: bool,
}

impl<D: Document> Table<D> {
    fn new<B: Body<Doc = D>>(fields: &'static [Field], body: &B) -> Self {
        Table {
            fields,
            keys: fields.iter().map(|f| body.key(f.name)).collect(),
            has_text: fields.iter().any(|f| f.kind.is_text()),
        }
    }
}

/// Checks each documented field of `object` against its kind (API.md: text
/// fields are strings, int fields whole numbers (a digit string is
/// converted), list fields arrays of objects; `null` and absent are fine;
/// undocumented fields are left as sent).
fn check_object<B: Body>(
    object: &B::Doc,
    table: &Table<B::Doc>,
    parent: Option<&Path<'_>>,
    body: &B,
) -> Result<(), Problem> {
    // Usually every text field holds text: then only the others are read.
    let text_done = table.has_text && body.all_text(object, table.fields);
    for (field, key) in table.fields.iter().zip(&table.keys) {
        if text_done && field.kind.is_text() {
            continue;
        }
        let Some(value) = object.get(key) else {
            continue;
        };
        let path = Path {
            parent,
            name: field.name,
            index: None,
        };
        match field.kind {
            FieldKind::Text | FieldKind::Code(_) if value.is_text() => {}
            FieldKind::Text | FieldKind::Code(_) => match value.kind() {
                Kind::Null => {}
                Kind::Number => return Err(Problem::NumberInText),
                _ => return Err(Problem::wrong(&path, "expected text")),
            },
            FieldKind::Int => match value.number() {
                // Whole, and within i64 (2^63 itself is not).
                Some(n) if n == (n as i64) as f64 && n < 9_223_372_036_854_775_808.0 => {}
                Some(_) => return Err(Problem::wrong(&path, "expected a whole number")),
                None => match value.kind() {
                    Kind::Null => {}
                    Kind::Text => match value.text().as_deref().and_then(parse_int) {
                        Some(n) => body.set_int(object, key, n),
                        None => return Err(Problem::wrong(&path, "expected a whole number")),
                    },
                    _ => return Err(Problem::wrong(&path, "expected a whole number")),
                },
            },
            FieldKind::List(rows) => {
                let Some(len) = value.array_len() else {
                    if value.is_null() {
                        continue;
                    }
                    return Err(Problem::wrong(&path, "expected a list"));
                };
                let rows = Table::new(rows, body);
                for index in 0..len {
                    let at = Path {
                        index: Some(index),
                        ..path
                    };
                    match value.element(index) {
                        Some(row) if row.is_object() => check_object(&row, &rows, Some(&at), body)?,
                        _ => return Err(Problem::wrong(&at, "expected an object")),
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;
    use crate::sansio::error::ErrorKind;
    use serde_json::{json, Value};

    const CLOCK: Clock = Clock {
        now_ms: 0.0,
        random: 0.0,
    };

    fn key() -> ApiKey {
        ApiKey::new("k3y/+".into())
    }

    /// A body as the Rust face holds it: text, parsed by serde_json.
    struct Text<'a> {
        text: &'a str,
        money: &'a [&'a str],
        set: core::cell::RefCell<Vec<(String, i64)>>,
    }

    impl Body for Text<'_> {
        type Doc = Value;
        fn feed(&self, checker: &mut Checker) -> Result<(), Malformed> {
            checker.feed(self.text.as_bytes())
        }
        fn document(&mut self, _: &[Number]) -> Option<Value> {
            let quoted = crate::sansio::money::quote_numbers(self.text, self.money);
            serde_json::from_str(quoted.as_deref().unwrap_or(self.text)).ok()
        }
        fn requoted(&mut self, fields: &[&str], _: &[Number]) -> Option<Value> {
            let quoted = crate::sansio::money::quote_numbers(self.text, fields);
            serde_json::from_str(quoted.as_deref().unwrap_or(self.text)).ok()
        }
        fn start(&self, chars: usize) -> (String, bool) {
            let text: String = self.text.chars().take(chars).collect();
            let whole = text.len() == self.text.len();
            (text, whole)
        }
        fn set_int(&self, _: &Value, key: &String, value: i64) {
            self.set.borrow_mut().push((key.clone(), value));
        }
    }

    fn respond(call: &mut Call, status: u16, retry_after: Option<&str>, body: &str) -> Step<Value> {
        call.start_attempt();
        let mut body = Text {
            text: body,
            money: call.op().money,
            set: Default::default(),
        };
        call.on_response(status, retry_after, &mut body, CLOCK, &key())
    }

    fn error<D: core::fmt::Debug>(step: Step<D>) -> Error {
        match step {
            Step::Fail(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn the_envelope_is_removed() {
        let mut call = Call::new(&ops::GET_ACCOUNT_STATUS, 2);
        let step = respond(
            &mut call,
            200,
            None,
            r#"{"response":{"account_status":"a"}}"#,
        );
        assert_eq!(step, Step::Done(json!({"account_status": "a"})));
    }

    #[test]
    fn an_error_envelope_under_200_is_an_api_error_with_the_key_scrubbed() {
        let mut call = Call::new(&ops::GET_ACCOUNT_STATUS, 2);
        let body = r#"{"response":{"status":"ERROR","statuscode":"401","errormessage":"bad key k3y/+","debugmessage":"k3y\/+"}}"#;
        let e = error(respond(&mut call, 200, None, body));
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.status(), Some(200));
        match &e {
            Error::Api {
                statuscode,
                errormessage,
                ..
            } => {
                assert_eq!(*statuscode, Some(401));
                assert_eq!(errormessage.as_deref(), Some("bad key [redacted]"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!format!("{e:?}").contains("k3y"));
    }

    #[test]
    fn bodies_that_are_not_the_envelope() {
        // Under 200: a decode error that keeps the body.
        let mut call = Call::new(&ops::LIST_VARIATIONS, 0);
        let e = error(respond(&mut call, 200, None, "<html>oops</html>"));
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.body(), Some("<html>oops</html>"));
        let e = error(respond(&mut call, 200, None, r#"{"result":{}}"#));
        assert!(e.to_string().contains("envelope"), "{e}");
        // Under an error status: an API error that keeps the body.
        let e = error(respond(&mut call, 500, None, "<h1>Internal</h1>"));
        assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(500)));
        assert_eq!(e.body(), Some("<h1>Internal</h1>"));
        // Bodies are cut at 4,096 characters.
        let long = "é".repeat(5000);
        let e = error(respond(&mut call, 200, None, &long));
        assert_eq!(e.body().map(|b| b.chars().count()), Some(4096));
    }

    #[test]
    fn documented_lists_must_hold_objects() {
        let mut call = Call::new(&ops::LIST_ACCOUNTS, 0);
        let e = error(respond(
            &mut call,
            200,
            None,
            r#"{"response":{"accounts":[{"account_id":"1"},7]}}"#,
        ));
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(
            e.to_string().contains("accounts[1]: expected an object"),
            "{e}"
        );
        let e = error(respond(
            &mut call,
            200,
            None,
            r#"{"response":{"accounts":"none"}}"#,
        ));
        assert!(e.to_string().contains("accounts: expected a list"), "{e}");
        let step = respond(&mut call, 200, None, r#"{"response":{"accounts":null}}"#);
        assert!(matches!(step, Step::Done(_)));
    }

    /// Every documented field of every call, as `(path to it, kind)`, with
    /// the JSON that puts `value` there (lists get one row).
    type Placement = (String, FieldKind, Box<dyn Fn(&str) -> String>);

    fn placements(
        fields: &'static [Field],
        wrap: &dyn Fn(String) -> String,
        out: &mut Vec<Placement>,
        prefix: &str,
    ) {
        for field in fields {
            let path = format!("{prefix}{}", field.name);
            let name = field.name;
            let outer = wrap(String::from("{}"));
            let wrap_here = {
                let outer = outer.clone();
                move |v: &str| outer.replacen("{}", &format!("{{\"{name}\":{v}}}"), 1)
            };
            out.push((path.clone(), field.kind, Box::new(wrap_here.clone())));
            if let FieldKind::List(rows) = field.kind {
                let inner = move |row: String| wrap_here(&format!("[{row}]"));
                placements(rows, &inner, out, &format!("{path}[0]."));
            }
        }
    }

    /// The malformed-response matrix: each scalar kind in each documented
    /// field of each call (nested rows included) comes back with its
    /// documented type, or as a decode error naming the field's path.
    #[test]
    fn every_field_of_every_call_has_its_documented_type_or_fails_by_name() {
        let mut cases = 0;
        for op in ops::ALL {
            let mut fields = Vec::new();
            placements(op.fields, &|inner| inner, &mut fields, "");
            for (path, kind, place) in &fields {
                for value in [
                    "\"x\"", "7", "99.90", "\"123\"", "true", "null", "{}", "[]", "[1]",
                ] {
                    cases += 1;
                    let body = format!("{{\"response\":{}}}", place(value));
                    let mut call = Call::new(op, 0);
                    call.start_attempt();
                    let mut text = Text {
                        text: &body,
                        money: op.money,
                        set: Default::default(),
                    };
                    let step = call.on_response(200, None, &mut text, CLOCK, &key());
                    let ok = match (kind, value) {
                        (_, "null") => true,
                        (
                            FieldKind::Text | FieldKind::Code(_),
                            "\"x\"" | "\"123\"" | "7" | "99.90",
                        ) => true,
                        (FieldKind::Int, "7") => true,
                        (FieldKind::Int, "\"123\"") => {
                            let set = text.set.borrow();
                            assert_eq!(
                                set.len(),
                                1,
                                "{}: {path}: digit string not converted",
                                op.name
                            );
                            true
                        }
                        (FieldKind::List(_), "[]") => true,
                        _ => false,
                    };
                    match step {
                        Step::Done(payload) if ok => {
                            if kind.is_text() && (value == "7" || value == "99.90") {
                                // The exact source text, not the number.
                                let shown = payload.to_string();
                                assert!(
                                    shown.contains(&format!("\"{value}\"")),
                                    "{}: {path} = {value}: {shown}",
                                    op.name
                                );
                            }
                        }
                        Step::Fail(e) if !ok => {
                            assert_eq!(
                                e.kind(),
                                ErrorKind::Decode,
                                "{}: {path} = {value}",
                                op.name
                            );
                            let message = e.to_string();
                            // Where: the field's path (a list's element when the row is wrong).
                            let at = if value == "[1]" && matches!(kind, FieldKind::List(_)) {
                                format!("{path}[0]: expected an object")
                            } else {
                                format!("{path}: expected")
                            };
                            assert!(message.contains(&at), "{}: {value}: {message}", op.name);
                        }
                        other => panic!("{}: {path} = {value}: {other:?}", op.name),
                    }
                }
            }
        }
        assert!(cases > 500, "{cases} cases");
    }

    #[test]
    fn undocumented_fields_are_kept_as_sent() {
        let mut call = Call::new(&ops::GET_ACCOUNT, 0);
        let step = respond(
            &mut call,
            200,
            None,
            r#"{"response":{"account_id":"1","extra":{"deep":[true,1.5]}}}"#,
        );
        assert_eq!(
            step,
            Step::Done(json!({"account_id": "1", "extra": {"deep": [true, 1.5]}}))
        );
    }
}

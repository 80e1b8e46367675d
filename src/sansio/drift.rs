//! Drift (API.md, "Watching calls"): what a successful response holds that
//! the docs do not name (a field, a code outside a value set, a
//! `statuscode` other than 0). The result keeps it as sent; an observer is
//! told, once per client for each (operation, path, what, value), so that
//! an operator learns the API moved ahead of this package before anything
//! breaks. Both faces run [`find`] on the payload and [`Told`] per client.

use alloc::string::String;
use alloc::vec::Vec;

use crate::sansio::document::Document;
use crate::sansio::operation::{Field, FieldKind, Operation};
use crate::sansio::parsed::Body;

/// What kind of undocumented thing a response held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the docs do not name (its value is never told: it may be private).
    Field,
    /// A code outside the field's documented value set.
    Code,
    /// A `statuscode` other than the documented 0 in a successful envelope.
    Statuscode,
}

impl DriftKind {
    /// The name in JS events' `what` (`"field"`, `"code"`, `"statuscode"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DriftKind::Field => "field",
            DriftKind::Code => "code",
            DriftKind::Statuscode => "statuscode",
        }
    }
}

/// One undocumented thing in a response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct Drift {
    /// Where: `accounts[].plan` (a list's rows are one path).
    pub path: String,
    /// What it is.
    pub what: DriftKind,
    /// The code, for codes and `statuscode`; never a field's value.
    pub value: Option<String>,
}

/// What a row holds beyond its documented fields, as a face reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Oddity {
    /// A member the table does not name.
    Field(String),
    /// A code field's value outside its set: the field, the value.
    Code(&'static str, String),
}

/// Members every payload has besides its documented fields: the envelope's.
const ENVELOPE: &[&str] = &["status", "statuscode"];

/// The oddities of `object` against `fields` (and `also`, members allowed
/// besides them): the rule, read through [`Document`]. A face may answer
/// faster ([`Body::oddities`]) but must give the same answer.
pub fn oddities<D: Document>(
    object: &D,
    fields: &'static [Field],
    also: &[&'static str],
) -> Vec<Oddity> {
    let mut out = Vec::new();
    for name in object.keys() {
        let known = fields.iter().any(|f| f.name == name) || also.contains(&name.as_str());
        if !known {
            out.push(Oddity::Field(name));
        }
    }
    for field in fields {
        if let FieldKind::Code(codes) = field.kind {
            let value = object.member(field.name).filter(Document::is_text);
            if let Some(value) = value.and_then(|v| v.text()) {
                if !codes.contains(&value.as_str()) {
                    out.push(Oddity::Code(field.name, value));
                }
            }
        }
    }
    out
}

/// Every drift in `payload`, a checked successful payload of `op`, each
/// once (a list of 10,002 rows with a new field gives one).
pub fn find<B: Body>(op: &Operation, payload: &B::Doc, body: &B) -> Vec<Drift> {
    let mut out = Vec::new();
    let code = payload.member("statuscode").and_then(|v| v.int());
    if let Some(code) = code.filter(|c| *c != 0) {
        let mut value = String::new();
        crate::sansio::error::push_int(&mut value, code);
        out.push(Drift {
            path: String::from("statuscode"),
            what: DriftKind::Statuscode,
            value: Some(value),
        });
    }
    walk(payload, op.fields, ENVELOPE, "", body, &mut out);
    out
}

fn walk<B: Body>(
    object: &B::Doc,
    fields: &'static [Field],
    also: &[&'static str],
    prefix: &str,
    body: &B,
    out: &mut Vec<Drift>,
) {
    let at = |name: &str| {
        let mut path = String::from(prefix);
        path.push_str(name);
        path
    };
    for oddity in body.oddities(object, fields, also) {
        let drift = match oddity {
            Oddity::Field(name) => Drift {
                path: at(&name),
                what: DriftKind::Field,
                value: None,
            },
            Oddity::Code(name, value) => Drift {
                path: at(name),
                what: DriftKind::Code,
                value: Some(value),
            },
        };
        if !out.contains(&drift) {
            out.push(drift);
        }
    }
    for field in fields {
        if let FieldKind::List(rows) = field.kind {
            let Some(list) = object.member(field.name) else {
                continue;
            };
            let prefix = at(field.name) + "[].";
            for index in 0..list.array_len().unwrap_or(0) {
                if let Some(row) = list.element(index) {
                    walk(&row, rows, &[], &prefix, body, out);
                }
            }
        }
    }
}

/// The drifts a client has told, so that each is told once. A list, not
/// a set: drifts are few, and a `BTreeSet` would add its code to the npm
/// build's wasm (the figure: bench/README.md).
#[derive(Debug, Default)]
pub struct Told(Vec<(&'static str, Drift)>);

impl Told {
    /// Whether `drift` of `operation` is new to this client (and now told).
    pub fn first(&mut self, operation: &'static str, drift: &Drift) -> bool {
        let known = self
            .0
            .iter()
            .any(|(op, told)| *op == operation && told == drift);
        if !known {
            self.0.push((operation, drift.clone()));
        }
        !known
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;
    use crate::sansio::call::{Call, Clock, Step};
    use crate::sansio::json_check::{Checker, Malformed, Number};
    use crate::sansio::secret::ApiKey;

    struct Text(&'static str);
    impl Body for Text {
        type Doc = serde_json::Value;
        fn feed(&self, checker: &mut Checker) -> Result<(), Malformed> {
            checker.feed(self.0.as_bytes())
        }
        fn document(&mut self, _: &[Number]) -> Option<Self::Doc> {
            serde_json::from_str(self.0).ok()
        }
        fn requoted(&mut self, _: &[&str], _: &[Number]) -> Option<Self::Doc> {
            None
        }
        fn start(&self, _: usize) -> (String, bool) {
            (String::from(self.0), true)
        }
        fn set_int(&self, _: &Self::Doc, _: &String, _: i64) {}
    }

    fn drifts(op: &'static Operation, body: &'static str) -> (serde_json::Value, Vec<Drift>) {
        let mut call = Call::new(op, 0);
        call.start_attempt();
        let mut text = Text(body);
        let clock = Clock {
            now_ms: 0.0,
            random: 0.0,
        };
        let key = ApiKey::new("k".into());
        match call.on_response(200, None, &mut text, clock, &key) {
            Step::Done(payload) => {
                let found = find(op, &payload, &text);
                (payload, found)
            }
            other => panic!("{other:?}"),
        }
    }

    fn drift(path: &str, what: DriftKind, value: Option<&str>) -> Drift {
        Drift {
            path: path.into(),
            what,
            value: value.map(String::from),
        }
    }

    #[test]
    fn a_documented_response_has_no_drift() {
        let (_, found) = drifts(
            &ops::GET_ACCOUNT_STATUS,
            r#"{"response":{"status":"OK","statuscode":0,"account_status":"a"}}"#,
        );
        assert_eq!(found, vec![]);
    }

    #[test]
    fn new_fields_codes_and_statuscodes_are_told_once_each_with_the_result_kept() {
        let mut rows = String::from(r#"{"response":{"accounts":["#);
        for i in 0..10_002 {
            if i > 0 {
                rows.push(',');
            }
            let status = if i % 2 == 0 { "a" } else { "z" };
            rows.push_str(&format!(
                r#"{{"account_id":"{i}","status":"{status}","plan":"secret{i}"}}"#
            ));
        }
        rows.push_str(r#"],"statuscode":7,"next":"x"}}"#);
        let body: &'static str = Box::leak(rows.into_boxed_str());
        let (payload, found) = drifts(&ops::LIST_ACCOUNTS, body);
        assert_eq!(
            found,
            vec![
                drift("statuscode", DriftKind::Statuscode, Some("7")),
                drift("next", DriftKind::Field, None),
                drift("accounts[].plan", DriftKind::Field, None),
                drift("accounts[].status", DriftKind::Code, Some("z")),
            ]
        );
        assert_eq!(payload["accounts"][1]["plan"], "secret1");
        assert_eq!(payload["accounts"][1]["status"], "z");
        let mut told = Told::default();
        assert!(told.first("listAccounts", &found[1]));
        assert!(!told.first("listAccounts", &found[1]));
        assert!(told.first("getAccount", &found[1]));
    }
}

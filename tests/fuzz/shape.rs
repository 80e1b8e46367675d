//! JSON shaped like a call's response, generated from its documented fields
//! (`Operation::fields`, from the same spec as the Rust types): the right
//! shape, wrong scalar types, nulls, extra fields and wrong nesting; and
//! the declared Rust type of each call, to decode the payload into.

use liveagent_reseller::sansio::operation::{Field, FieldKind, Operation};
use liveagent_reseller::*;
use proptest::collection::vec;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// Decodes a whole body (`{"response": …}`) into the call's declared type,
/// as the Rust face does (`client::decode`).
pub type DecodeFn = fn(&[u8]) -> Result<(), String>;

/// The declared response type of a call.
#[derive(Clone, Copy, Debug)]
pub struct Response {
    pub type_name: &'static str,
    pub decode: DecodeFn,
}

#[derive(serde::Deserialize)]
struct Envelope<T> {
    #[allow(dead_code)]
    response: T,
}

fn response<T: DeserializeOwned>() -> Response {
    Response {
        type_name: std::any::type_name::<T>(),
        decode: |body| {
            serde_json::from_slice::<Envelope<T>>(body)
                .map(drop)
                .map_err(|e| e.to_string())
        },
    }
}

/// The declared response type of each call (as in `src/generated/rust_api.rs`).
pub fn response_of(op: &Operation) -> Response {
    match op.name {
        "listAccountAddons" => response::<ListAccountAddonsResponse>(),
        "listAccounts" => response::<ListAccountsResponse>(),
        "createAccount" => response::<CreateAccountResponse>(),
        "getAccount" => response::<Account>(),
        "getAccountStatus" => response::<AccountStatusResponse>(),
        "checkDomain" | "checkEmail" => response::<SignupCheckResponse>(),
        "listVariations" => response::<ListVariationsResponse>(),
        "getAccountAttribute" | "getLicenseAttribute" => response::<AttributeResponse>(),
        "listAccountUsers" => response::<ListAccountUsersResponse>(),
        "listLicenseAddons" => response::<ListLicenseAddonsResponse>(),
        "listLicenses" => response::<ListLicensesResponse>(),
        "addAccountAddon"
        | "changeAccountStatus"
        | "changeAccountVariation"
        | "setAccountAttribute"
        | "removeAccountUser"
        | "addLicenseAddon"
        | "changeLicenseAddonValidity"
        | "setLicenseAttribute" => response::<StatusResponse>(),
        other => panic!("{other}: no declared response type known to the fuzz tests"),
    }
}

/// Any small JSON value (for extra fields and wrong nesting).
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec(("[a-z_]{1,6}", inner), 0..3).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        "\\PC{0,12}".prop_map(Value::String),
        Just(json!("ERROR")),
        Just(json!("2024-01-31 23:59:59")),
        Just(json!("99.90")),
    ]
}

/// Numbers of every kind JSON has.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        Just(json!(1.5)),
        Just(json!(-0.0)),
        Just(json!(1e300)),
    ]
}

/// A whole number as an int field may hold it: a number (also `3.0`), or
/// the text of one (`" -7"`).
fn whole() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => any::<i64>().prop_map(Value::from),
        1 => (-1e15f64..1e15).prop_map(|f| Value::from(f.trunc())),
        1 => (any::<i64>(), "[ \t]{0,2}", "[ \t]{0,2}", any::<bool>()).prop_map(
            |(n, lead, trail, plus)| {
                let sign = if plus && n >= 0 { "+" } else { "" };
                Value::String(format!("{lead}{sign}{n}{trail}"))
            }
        ),
    ]
}

/// Whether to send 2^63 in an int field: the former check took it (as an
/// `f64` it equals `i64::MAX as f64`) while serde refused it; the
/// streaming check reads it exactly. Kept on so that it stays fixed.
const TWO_TO_THE_63: bool = true;

/// Not a whole number in `i64`.
fn not_whole() -> impl Strategy<Value = Value> {
    let others = prop_oneof![
        Just(json!(1.5)),
        Just(json!(-0.25)),
        Just(json!(1e300)),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Value::from),
        Just(json!("9223372036854775808")),
        Just(json!("1e3")),
        Just(json!("1.0")),
        Just(json!("")),
        Just(json!(" ")),
        "[^0-9]{1,4}".prop_map(Value::String),
    ];
    let edge = if TWO_TO_THE_63 { 1 } else { 0 };
    prop_oneof![
        edge => Just(json!(9_223_372_036_854_775_808u64)),
        10 => others,
    ]
}

fn wrong_nesting() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        vec(any_json(), 0..3).prop_map(Value::Array),
        any_json().prop_map(|v| json!({ "value": v })),
    ]
}

/// A value for a field of `kind`, and whether it has the documented type
/// (API.md: text is a string or a number, kept as its text; an int a whole
/// number or the text of one; a list an array of objects; `null` is fine).
pub fn value(kind: FieldKind) -> BoxedStrategy<(Value, bool)> {
    match kind {
        FieldKind::Text | FieldKind::Code(_) => prop_oneof![
            6 => text().prop_map(|v| (v, true)),
            2 => number().prop_map(|v| (v, true)),
            1 => wrong_nesting().prop_map(|v| (v, false)),
        ]
        .boxed(),
        FieldKind::Int => prop_oneof![
            6 => whole().prop_map(|v| (v, true)),
            1 => not_whole().prop_map(|v| (v, false)),
            1 => prop_oneof![text(), wrong_nesting()].prop_map(|v| {
                let whole = v.as_str().and_then(liveagent_reseller::sansio::document::parse_int);
                (v.clone(), whole.is_some())
            }),
        ]
        .boxed(),
        FieldKind::List(rows) => {
            let rows = vec(object(rows), 0..3);
            prop_oneof![
                6 => rows.clone().prop_map(|rows| {
                    let ok = rows.iter().all(|(_, ok)| *ok);
                    (Value::Array(rows.into_iter().map(|(v, _)| v).collect()), ok)
                }),
                1 => (rows, any_json(), any::<prop::sample::Index>()).prop_map(|(rows, odd, at)| {
                    // A row that is not an object, among others.
                    let mut items: Vec<Value> = rows.into_iter().map(|(v, _)| v).collect();
                    let odd = if odd.is_object() { Value::Null } else { odd };
                    items.insert(at.index(items.len() + 1), odd);
                    (Value::Array(items), false)
                }),
                1 => prop_oneof![
                    text(),
                    number(),
                    any_json().prop_map(|v| json!({ "0": v })),
                    any::<bool>().prop_map(Value::Bool),
                ]
                .prop_map(|v| (v, false)),
            ]
            .boxed()
        }
    }
}

/// An object with each documented field absent, null, right or wrong, and
/// extra fields.
pub fn object(fields: &'static [Field]) -> BoxedStrategy<(Value, bool)> {
    type Member = (&'static str, Option<(Value, bool)>);
    let members: Vec<BoxedStrategy<Member>> = fields
        .iter()
        .map(|field| {
            let name = field.name;
            prop_oneof![
                2 => Just(None),
                1 => Just(Some((Value::Null, true))),
                6 => value(field.kind).prop_map(Some),
            ]
            .prop_map(move |v| (name, v))
            .boxed()
        })
        .collect();
    let extras = vec(("[a-zA-Z_]{1,12}", any_json()), 0..3);
    (members, extras)
        .prop_map(move |(members, extras)| {
            let mut map = Map::new();
            let mut ok = true;
            for (name, v) in members {
                if let Some((v, right)) = v {
                    ok &= right;
                    map.insert(name.into(), v);
                }
            }
            for (name, v) in extras {
                if !fields.iter().any(|f| f.name == name) {
                    map.insert(name, v);
                }
            }
            (Value::Object(map), ok)
        })
        .boxed()
}

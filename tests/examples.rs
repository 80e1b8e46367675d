//! Every example response in the spec (the vendor's own, quirks included:
//! `null`s, prices as text, the malformed `08:95:41`) decodes with the
//! generated types, after the same money pass the client applies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use liveagent_reseller::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Envelope<T> {
    response: T,
}

fn decode<T: DeserializeOwned>(body: &str) -> T {
    let fixed = keep_money_text(body, &["price"]);
    let text = fixed.as_deref().unwrap_or(body);
    serde_json::from_str::<Envelope<T>>(text)
        .unwrap_or_else(|e| panic!("{e}: {text}"))
        .response
}

fn spec() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/openapi.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Decodes `body` as the payload type named `schema`, and returns it re-encoded.
fn decode_as(schema: &str, body: &str) -> Value {
    fn to<T: DeserializeOwned + serde::Serialize>(body: &str) -> Value {
        serde_json::to_value(decode::<T>(body)).unwrap()
    }
    match schema {
        "ListAccountAddonsResponse" => to::<ListAccountAddonsResponse>(body),
        "ListLicenseAddonsResponse" => to::<ListLicenseAddonsResponse>(body),
        "StatusResponse" => to::<StatusResponse>(body),
        "ListAccountsResponse" => to::<ListAccountsResponse>(body),
        "Account" => to::<Account>(body),
        "CreateAccountResponse" => to::<CreateAccountResponse>(body),
        "AccountStatusResponse" => to::<AccountStatusResponse>(body),
        "SignupCheckResponse" => to::<SignupCheckResponse>(body),
        "ListVariationsResponse" => to::<ListVariationsResponse>(body),
        "AttributeResponse" => to::<AttributeResponse>(body),
        "ListAccountUsersResponse" => to::<ListAccountUsersResponse>(body),
        "ListLicensesResponse" => to::<ListLicensesResponse>(body),
        other => panic!("no type for payload schema {other}: add it here"),
    }
}

/// Drops nulls, so that "absent" and "null" compare equal.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_documented_example_decodes_and_round_trips() {
    let spec = spec();
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let json = &op["responses"]["200"]["content"]["application/json"];
            let schema = json["schema"]["properties"]["response"]["$ref"]
                .as_str()
                .unwrap();
            let schema = schema.trim_start_matches("#/components/schemas/");
            let example = &json["example"];
            let decoded = decode_as(schema, &example.to_string());
            assert_eq!(
                without_nulls(&decoded),
                without_nulls(&example["response"]),
                "{method} {path}: a documented field was lost"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 21);
}

#[test]
fn quirks_of_the_examples_survive() {
    let licenses: ListLicensesResponse = decode(
        &spec()["paths"]["/resellers/{reseller}/licenses"]["get"]["responses"]["200"]["content"]
            ["application/json"]["example"]
            .to_string(),
    );
    let license = &licenses.licenses.unwrap()[0];
    assert_eq!(license.valid_from.as_deref(), Some("2008-12-11 08:95:41"));
    assert_eq!(license.valid_to, None);
    assert_eq!(license.license_status, Some(LicenseStatus::Approved));

    let addons: ListAccountAddonsResponse =
        decode(r#"{"response":{"addons":[{"price": 99.90, "status": "X", "unknown": [1]}]}}"#);
    let addon = &addons.addons.unwrap()[0];
    assert_eq!(addon.price.as_deref(), Some("99.90"));
    assert_eq!(addon.status, Some(AddonStatus::Other("X".into())));
    assert_eq!(addon.status.as_ref().map(AddonStatus::meaning), Some(None));

    let status: AccountStatusResponse = decode(r#"{"response":{"account_status":"m"}}"#);
    let status = status.account_status.unwrap();
    assert_eq!(status, AccountLifecycleStatus::WaitForManualUnsuspend);
    assert_eq!(
        (status.code(), status.meaning()),
        ("m", Some("Wait for manual unsuspend"))
    );
}

#[test]
fn value_sets_carry_every_documented_meaning() {
    let sets = value_sets();
    let names: Vec<&str> = sets.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "AddonStatus",
            "AccountStatus",
            "AccountLifecycleStatus",
            "NewAccountStatus",
            "AccountStatusChange",
            "LicenseStatus"
        ]
    );
    let lifecycle = sets
        .iter()
        .find(|s| s.name == "AccountLifecycleStatus")
        .unwrap();
    assert_eq!(lifecycle.codes.len(), 12);
    assert_eq!(AccountStatusChange::Terminated.code(), "t");
    assert_eq!(AccountStatusChange::Suspended.meaning(), "Suspended");
}

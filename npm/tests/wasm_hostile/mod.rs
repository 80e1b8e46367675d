//! Hostile pages and responses for the npm face (`hostile.js`) in Node and
//! headless Chromium, and the Rust face (gloo-net) against sandbox faults:
//! redirects, status range, `maxResponseBytes`, pollution, async observers,
//! headers, lone surrogates, misspelled options, `retryable`/`maybeApplied`,
//! cause chains, drift.

use js_sys::{Function, Object, Promise, Reflect};
use liveagent_reseller::{AddAccountAddonParams, Client, Config, ErrorKind};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common::*;

#[wasm_bindgen(module = "/tests/wasm_hostile/hostile.js")]
extern "C" {
    fn statuses(make: &Function, base: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = maxResponseBytes)]
    fn max_response_bytes(make: &Function, base: &JsValue) -> Promise;
    fn pollution(make: &Function, base: &JsValue) -> Promise;
    fn observers(make: &Function, base: &JsValue) -> Promise;
    fn inputs(make: &Function, base: &JsValue) -> Promise;
    fn outcomes(make: &Function, base: &JsValue) -> Promise;
    fn causes(make: &Function, base: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = callIds)]
    fn call_ids(make: &Function, base: &JsValue) -> Promise;
    fn drift(make: &Function, base: &JsValue) -> Promise;
}

/// `make(config)`: a client as the package's `ResellerClient` builds one.
fn maker() -> Function {
    let make = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|config: JsValue| {
        let core: JsValue = new_client(config)?;
        let client = Object::new();
        let call = Closure::<dyn Fn(String, JsValue, JsValue, JsValue) -> Promise>::new(
            move |op: String, args: JsValue, params: JsValue, options: JsValue| {
                run_loop(&core, &op, &args, &params, &options)
            },
        );
        Reflect::set(&client, &"call".into(), call.as_ref())?;
        call.forget();
        Ok(client.into())
    });
    let f: Function = make.as_ref().clone().unchecked_into();
    make.forget();
    f
}

fn base() -> JsValue {
    json(&format!(
        r#"{{"baseUrl": "{SANDBOX}/api", "reseller": "{RESELLER}", "apiKey": "k3y/+secret"}}"#
    ))
}

async fn scenario(run: fn(&Function, &JsValue) -> Promise) {
    if let Err(e) = JsFuture::from(run(&maker(), &base())).await {
        panic!(
            "{}",
            text(&e, "message").unwrap_or_else(|| format!("{e:?}"))
        );
    }
}

#[wasm_bindgen_test]
async fn npm_statuses_outside_200_to_599_and_redirects() {
    scenario(statuses).await;
}

#[wasm_bindgen_test]
async fn npm_max_response_bytes() {
    scenario(max_response_bytes).await;
}

#[wasm_bindgen_test]
async fn npm_a_polluted_prototype_is_never_used() {
    scenario(pollution).await;
}

#[wasm_bindgen_test]
async fn npm_async_observers_that_throw_are_swallowed() {
    scenario(observers).await;
}

#[wasm_bindgen_test]
async fn npm_headers_surrogates_dates_and_options_are_checked() {
    scenario(inputs).await;
}

#[wasm_bindgen_test]
async fn npm_retryable_and_maybe_applied_of_a_post() {
    scenario(outcomes).await;
}

#[wasm_bindgen_test]
async fn npm_cause_chains_are_scrubbed_and_own_words_never() {
    scenario(causes).await;
}

#[wasm_bindgen_test]
async fn npm_call_ids_on_events_and_errors_and_retry_details() {
    scenario(call_ids).await;
}

#[wasm_bindgen_test]
async fn npm_drift_is_told_once_per_client() {
    scenario(drift).await;
}

fn rust_client(max_response_bytes: u64) -> Client {
    let config = Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY)
        .max_response_bytes(max_response_bytes);
    Client::new(config).unwrap()
}

/// The Rust face on wasm32 (gloo-net): a 3xx is an API error, never
/// followed; a body beyond the cap a decode error read once; a POST's 502
/// may have landed.
#[wasm_bindgen_test]
async fn rust_face_redirects_caps_and_post_outcomes() {
    let id = format!("redirect{}", unique());
    control(
        "POST",
        "/_sandbox/faults",
        Some(&format!(
            r#"{{"path_contains": "/{id}", "status": 302, "count": 1}}"#
        )),
    )
    .await;
    let e = rust_client(64 << 20).get_account(&id).await.unwrap_err();
    // Node shows the 302; a browser hides it (an opaque redirect, status 0).
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(matches!(e.status(), Some(302 | 0)), "{e}");
    assert!(
        e.to_string().contains("redirect") && e.to_string().contains("point base_url at"),
        "{e}"
    );
    let e = rust_client(16).get_account(JOHN).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(!e.is_retryable(), "{e}");
    let id = format!("gateway{}", unique());
    control(
        "POST",
        "/_sandbox/faults",
        Some(&format!(
            r#"{{"path_contains": "/{id}/addons", "status": 502, "count": 1}}"#
        )),
    )
    .await;
    let params = AddAccountAddonParams {
        addon_id: "a1".into(),
        valid_to: None,
    };
    let e = rust_client(64 << 20)
        .add_account_addon(&id, &params)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(502), "{e}");
    assert!(!e.is_retryable() && e.maybe_applied(), "{e}");
}

/// The Rust face on wasm32: each error carries its call's id, the one on
/// that call's events; a call refused before sending has an id of its own.
#[wasm_bindgen_test]
async fn rust_face_errors_carry_their_calls_id() {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(u64, String)>>> = Arc::default();
    let log = seen.clone();
    let config = Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY).on_event(move |e| {
        let a = e.attempt();
        log.lock().unwrap().push((a.call_id, a.url.clone()));
    });
    let client = Client::new(config).unwrap();
    let missing = format!("missing{}", unique());
    client.get_account(JOHN).max_retries(0).await.unwrap();
    let a = client
        .get_account(&missing)
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(a.status(), Some(404), "{a}");
    let id = a.call_id().expect("a call's error has its id");
    let seen = seen.lock().unwrap().clone();
    let of_call: Vec<&(u64, String)> = seen.iter().filter(|(c, _)| *c == id).collect();
    // A request and its response, both naming the missing account.
    assert_eq!(of_call.len(), 2, "{seen:?}");
    assert!(
        of_call.iter().all(|(_, url)| url.contains(&missing)),
        "{seen:?}"
    );
    let refused = client.get_account(JOHN).max_retries(11).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput, "{refused}");
    let other = refused.call_id().expect("a refused call has its id");
    assert!(seen.iter().all(|(c, _)| *c != other), "{other} {seen:?}");
}

#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]
//! One table of config rules, two interpreters: the npm constructor's check
//! in JS (`js/config.js`, which throws before any `.wasm` has arrived) and
//! the core's (`sansio::config::from_js_config`). Every config of
//! `tests/config/cases.mjs` (hand-picked, then random ones near the edges)
//! goes through both: the same verdict, kind and message, the key scrubbed
//! alike. And the JS port of the scrub against `secret::scrub` itself.

use std::process::Command;

use liveagent_reseller::sansio::config::{from_js_config, JsConfig, Member};
use liveagent_reseller::sansio::secret::scrub;
use liveagent_reseller::ErrorKind;
use serde_json::Value;

/// What `harness.mjs` prints, one JSON value a line.
fn harness(configs: usize, scrubs: usize) -> Vec<Value> {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("node")
        .arg(format!("{root}/tests/config/harness.mjs"))
        .args([configs.to_string(), scrubs.to_string()])
        .output()
        .expect("node runs (it is on PATH wherever the npm package is tested)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A member as the harness wrote it.
fn member(value: &Value) -> Member {
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    match value[0].as_str().unwrap() {
        "absent" => Member::Absent,
        "text" => Member::Text(text(&value[1])),
        "ill" => Member::IllFormed,
        // "NaN", "Infinity", "-0", "1e+300": Rust reads each as JS wrote it.
        "number" => Member::Number(value[1].as_str().unwrap().parse().unwrap()),
        "function" => Member::Function,
        "object" => Member::Object(value[1].as_array().map(|entries| {
            entries
                .iter()
                .map(|pair| (text(&pair[0]), pair[1].as_str().map(str::to_owned)))
                .collect()
        })),
        "other" => Member::Other,
        what => panic!("unknown member {what}"),
    }
}

/// The core's verdict on the harness's view of a config: its message.
fn core(view: &Value, zones: &Value) -> Option<(ErrorKind, String)> {
    let knows_zone = |zone: &str| {
        zones[zone]
            .as_bool()
            .unwrap_or_else(|| panic!("the harness did not ask the host about {zone:?}"))
    };
    let keys: Vec<String> = view["keys"]
        .as_array()
        .map(|keys| {
            keys.iter()
                .map(|k| k.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let members: Vec<Member> = view["members"]
        .as_array()
        .map(|members| members.iter().map(member).collect())
        .unwrap_or_default();
    let config = match view["kind"].as_str().unwrap() {
        "not_object" => JsConfig::NotObject,
        "unlisted" => JsConfig::Unlisted,
        _ => JsConfig::Object { keys, members },
    };
    from_js_config(&config, &knows_zone)
        .err()
        .map(|e| (e.kind(), e.to_string()))
}

#[test]
fn js_and_the_core_refuse_the_same_configs_with_the_same_messages() {
    let lines = harness(400, 0);
    let (mut refused, mut accepted) = (0, 0);
    for line in lines.iter().filter(|l| l.get("label").is_some()) {
        let label = line["label"].as_str().unwrap();
        let core = core(&line["view"], &line["zones"]);
        let js = &line["js"];
        match (&core, js.is_null()) {
            (None, true) => accepted += 1,
            (Some((kind, message)), false) => {
                refused += 1;
                assert_eq!(*kind, ErrorKind::InvalidInput, "{label}");
                assert_eq!(js["kind"], "invalid_input", "{label}");
                assert_eq!(js["operation"], "ResellerClient", "{label}");
                assert_eq!(js["retryable"], false, "{label}");
                assert_eq!(js["typed"], true, "{label}: not a LiveAgentError");
                assert_eq!(js["message"].as_str(), Some(message.as_str()), "{label}");
            }
            _ => panic!("{label}: the core says {core:?}, JS says {js}"),
        }
    }
    // Both sides saw a real table, not an empty one.
    assert!(
        refused > 150 && accepted > 20,
        "{refused} refused, {accepted} accepted"
    );
}

#[test]
fn the_messages_say_what_api_md_says() {
    let lines = harness(0, 0);
    let message = |label: &str| {
        let line = lines
            .iter()
            .find(|l| l["label"] == label)
            .unwrap_or_else(|| panic!("no case {label}"));
        line["js"]["message"]
            .as_str()
            .unwrap_or("(accepted)")
            .to_owned()
    };
    let cases = [
        (
            "timeout",
            "ResellerClient: the config has no key \"timeout\" (did you mean timeoutMs?)",
        ),
        (
            "no close name",
            "ResellerClient: the config has no key \"zzzzzzzzzzzzzzzz\"",
        ),
        (
            "a short key, an unknown key",
            "ResellerClient: the config has no key \"tim[redacted]out\" (did you mean timeoutMs?)",
        ),
        (
            "the key in a header name",
            "ResellerClient: header name \"[redacted] y\" is not a valid HTTP header name",
        ),
        (
            "words of the package, key 'must'",
            "ResellerClient: maxRetries must be a whole number from 0 to 10",
        ),
        (
            "timeZone \"Mars/Olympus\"",
            "ResellerClient: timeZone \"Mars/Olympus\" is not an IANA time zone this host knows",
        ),
        ("no apiKey", "ResellerClient: apiKey is required"),
        ("undefined", "ResellerClient: the config object is required"),
        ("an inherited unknown key", "(accepted)"),
    ];
    for (label, want) in cases {
        assert_eq!(message(label), want, "{label}");
    }
}

#[test]
fn the_js_scrub_is_the_cores_byte_for_byte() {
    let lines = harness(0, 3000);
    let mut changed = 0;
    for line in lines.iter().filter_map(|l| l.get("scrub")) {
        let [text, key, js] = [0, 1, 2].map(|i| line[i].as_str().unwrap());
        let rust = scrub(text, key);
        assert_eq!(js, rust, "text {text:?}, key {key:?}");
        changed += usize::from(rust != text);
    }
    // Most texts hold a form of their key.
    assert!(changed > 1000, "only {changed} texts held the key");
}

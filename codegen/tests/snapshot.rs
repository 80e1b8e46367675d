#![allow(clippy::panic)]
//! The checked-in generated code is what the spec generates: every change to
//! it shows up as a diff in review. Refresh with `make generate` (or
//! `BLESS=1 cargo test -p codegen`).

#[test]
fn generated_code_matches_the_spec() {
    let bless = std::env::var_os("BLESS").is_some();
    let stale = codegen::run(bless).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        bless || stale.is_empty(),
        "out of date, run `make generate`: {}",
        stale.join(", ")
    );
}

#[test]
fn anything_outside_the_subset_is_refused_with_its_place() {
    let spec = std::fs::read_to_string(codegen::workspace_root().join("spec/openapi.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            "\"x-liveagent-type\": \"datetime\"",
            "\"x-liveagent-type\": \"blob\"",
            "unsupported",
        ),
        (
            "\"openapi\": \"3.1.0\"",
            "\"openapi\": \"3.0.3\"",
            "3.0.3 is not supported",
        ),
        (
            "\"in\": \"query\"",
            "\"in\": \"header\"",
            "`in: header` are not supported",
        ),
    ];
    for (from, to, want) in cases {
        assert!(spec.contains(from), "spec no longer contains {from}");
        let broken = spec.replacen(from, to, 1);
        match codegen::generate(&broken) {
            Err(e) => assert!(e.contains(want), "{e}"),
            Ok(_) => panic!("accepted a spec with {to}"),
        }
    }
}

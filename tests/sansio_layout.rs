//! The sans-IO core (`src/sansio/`) is plain Rust: it names no host
//! binding (`js_sys`, `wasm_bindgen`, `web_sys`) and none of the wasm faces'
//! modules (`crate::wasm`, `crate::js`, `crate::transport`), so that its
//! rules run, and are tested, the same natively as in either wasm face.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

const FORBIDDEN: [&str; 6] = [
    "js_sys",
    "wasm_bindgen",
    "web_sys",
    "crate::wasm",
    "crate::js",
    "crate::transport",
];

/// The forbidden names in `source` (line by line, comments included: a
/// path in a doc link is a dependency too).
fn forbidden_in(source: &str) -> Vec<(usize, &'static str)> {
    source
        .lines()
        .enumerate()
        .flat_map(|(n, line)| {
            FORBIDDEN
                .iter()
                .filter(move |name| line.contains(**name))
                .map(move |name| (n + 1, *name))
        })
        .collect()
}

#[test]
fn sansio_names_no_host_binding_nor_face() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sansio");
    let mut files = 0;
    let mut found = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            files += 1;
            let source = fs::read_to_string(&path).unwrap();
            for (line, name) in forbidden_in(&source) {
                found.push(format!("{}:{line}: {name}", path.display()));
            }
        }
    }
    assert!(files >= 10, "read {files} files of {}", dir.display());
    assert!(
        found.is_empty(),
        "the core names a face:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_each_name() {
    let source = "use js_sys::Array;\n// ok\nlet t = crate::wasm::json_parse(x);";
    assert_eq!(forbidden_in(source), [(1, "js_sys"), (3, "crate::wasm")]);
}

//! Reads `spec/openapi.json` and produces the generated Rust of the
//! `liveagent-reseller` crate (`src/generated/`) and the JS class over it
//! (`js/client.js`, `js/client.d.ts`); and, from its own table of the
//! client's settings, their rules for both faces (`src/generated/config.rs`,
//! `js/config-rules.js`). Build-time only: nothing of it is linked into the
//! shipped crate.

mod config;
mod docs;
mod js;
mod model;
mod names;
mod rust;

use std::path::{Path, PathBuf};

/// The workspace root (where `spec/` and `src/` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Generates every file from the spec text: `(path from the workspace
/// root, text)`. The Rust comes out formatted by prettyplease.
pub fn generate(spec_text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let spec: serde_json::Value =
        serde_json::from_str(spec_text).map_err(|e| format!("spec/openapi.json: {e}"))?;
    let api = model::read(&spec)?;
    let mut files = rust::files(&api)?;
    files.extend(js::files(&api));
    files.extend(config::files()?);
    Ok(files)
}

/// Generates from the workspace's spec and compares with (or, with
/// `write`, replaces) the checked-in files. Returns the files that differ.
pub fn run(write: bool) -> Result<Vec<String>, String> {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join("spec/openapi.json"))
        .map_err(|e| format!("spec/openapi.json: {e}"))?;
    let mut stale = Vec::new();
    for (name, text) in generate(&spec)? {
        let path = root.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.to_owned());
            if write {
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    Ok(stale)
}

//! Reads `spec/openapi.json` and produces the generated Rust of the
//! `liveagent-reseller` crate (`src/generated/`) and the JS class over it
//! (`js/client.js`, `js/client.d.ts`). Build-time only: nothing
//! of it is linked into the shipped crate.

mod emit;
mod model;
mod names;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (where `spec/` and `src/` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Formats Rust source with rustfmt (edition 2021, the crate's settings).
fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(source.as_bytes())
            .map_err(|e| format!("rustfmt: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// Generates every file from the spec text: `(file name, formatted source)`.
pub fn generate(spec_text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let spec: serde_json::Value =
        serde_json::from_str(spec_text).map_err(|e| format!("spec/openapi.json: {e}"))?;
    let api = model::read(&spec)?;
    emit::files(&api)?
        .into_iter()
        .map(|(name, text)| {
            if name.ends_with(".rs") {
                Ok((name, rustfmt(&text).map_err(|e| format!("{name}: {e}"))?))
            } else {
                Ok((name, text))
            }
        })
        .collect()
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

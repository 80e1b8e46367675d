//! `cargo run -p codegen` rewrites `src/generated/` from `spec/openapi.json`;
//! `--check` only reports files that are out of date (exit 1).

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    match codegen::run(!check) {
        Ok(stale) if stale.is_empty() => {
            println!("generated files are up to date with spec/openapi.json");
            ExitCode::SUCCESS
        }
        Ok(stale) if check => {
            eprintln!("out of date (run `make generate`): {}", stale.join(", "));
            ExitCode::FAILURE
        }
        Ok(stale) => {
            println!("wrote {}", stale.join(", "));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

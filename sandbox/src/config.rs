//! The sandbox's settings and their command-line form (clap). Parsing never
//! exits by itself, so that `main` decides about exit codes and tests can
//! call it.

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use clap::{CommandFactory, Parser};

use sandbox_rules::faults::MAX_DELAY_MS;
pub use sandbox_rules::options::MAX_SEED_ACCOUNTS;
use sandbox_rules::Options;

/// Everything the sandbox can be told at start.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address to bind (127.0.0.1 by default: a dev tool stays local).
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// The reseller identifier the API accepts in its paths.
    pub reseller: String,
    /// The API key the API accepts.
    pub api_key: String,
    /// Delay added to every API response (at most [`MAX_DELAY_MS`]).
    pub latency_ms: u64,
    /// Share (0..1) of API requests answered 503 with `Retry-After: 1`.
    pub fail_rate: f64,
    /// Seed of the generators (new ids, the fail-rate coin).
    pub seed: u64,
    /// Generated accounts added to the seeded ones.
    pub seed_accounts: usize,
    /// Folder served at `/`.
    pub www: Option<PathBuf>,
    /// Folder served at `/pkg/`.
    pub pkg: Option<PathBuf>,
    /// Origins of pages allowed to use the control routes besides the
    /// sandbox's own (`http://localhost:5173`, `http://127.0.0.1:*`, `*`).
    pub allow_origin: Vec<String>,
    /// A fixed clock (Unix seconds) for reproducible answers; `None` reads
    /// the system clock.
    pub now: Option<i64>,
}

impl Config {
    /// What the rules need of it.
    pub fn options(&self) -> Options {
        Options {
            reseller: self.reseller.clone(),
            api_key: self.api_key.clone(),
            latency_ms: self.latency_ms,
            fail_rate: self.fail_rate,
            seed: self.seed,
            seed_accounts: self.seed_accounts,
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            reseller: "reseller@example.com".to_owned(),
            api_key: "sandbox-api-key".to_owned(),
            latency_ms: 0,
            fail_rate: 0.0,
            seed: 0,
            seed_accounts: 0,
            www: None,
            pkg: None,
            allow_origin: Vec::new(),
            now: None,
        }
    }
}

/// What `--help` says after the flags: the routes tests and the demo use
/// to steer the sandbox, and the limits it enforces.
const CONTROL_HELP: &str = "\
TEST CONTROL (JSON; these routes are never faulted, delayed or logged):
    POST   /_sandbox/faults     register a fault rule for API requests:
                                {path_contains, operation, status, count, retry_after, delay_ms, body,
                                 content_type, preset}; delay_ms at most 300000
    GET    /_sandbox/faults     list active rules;  DELETE clears them
    POST   /_sandbox/reset      restore the seeded records, clear rules and the request log
    GET    /_sandbox/requests   last 200 API requests as received (?path_contains=X);  DELETE clears
    GET    /sandbox.json        {baseUrl, reseller, apiKey}
    Pages of other origins than the sandbox's own may use these routes only when named
    with --allow-origin (the API itself answers every origin).

FAULT PRESETS (\"preset\" in a fault rule; fields given beside it win):
    503_burst    3 answers 503 with Retry-After: 1
    slow         10 answers delayed by 3000 ms, then answered normally
    hang         1 answer delayed by 120000 ms (for client timeouts and Cancel)
    wrong_key    1 answer 401 \"authentication failed: wrong API key\", as for a wrong key

LIMITS:
    request headers must arrive within 8 s (idle connections close after 8 s too);
    API bodies up to 1 MiB (larger: 413), each part within 30 s (else 408)";

/// The command line, as clap reads it.
#[derive(Debug, Parser)]
#[command(
    name = "sandbox",
    about = "sandbox: a local, in-memory LiveAgent Reseller API v1 for development and tests",
    after_help = CONTROL_HELP,
    disable_version_flag = true
)]
struct Args {
    /// address to bind ("localhost" means 127.0.0.1)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = host)]
    host: IpAddr,
    /// port to bind; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = 8080)]
    port: u16,
    /// reseller identifier accepted in paths
    #[arg(long, value_name = "ID", default_value = "reseller@example.com", value_parser = non_empty)]
    reseller: String,
    /// API key accepted
    #[arg(long, value_name = "KEY", default_value = "sandbox-api-key", value_parser = non_empty)]
    api_key: String,
    /// delay added to each API response, at most 300000
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(..=MAX_DELAY_MS))]
    latency_ms: u64,
    /// share 0..1 of API responses answered 503 + Retry-After: 1
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = rate)]
    fail_rate: f64,
    /// seed for generated ids and the fail-rate coin [default: from the clock]
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// add N generated accounts to the seeded ones (deterministic)
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = seed_accounts)]
    seed_accounts: usize,
    /// serve the static files of DIR at /
    #[arg(long, value_name = "DIR", value_parser = directory)]
    www: Option<PathBuf>,
    /// serve the static files of DIR at /pkg/
    #[arg(long, value_name = "DIR", value_parser = directory)]
    pkg: Option<PathBuf>,
    /// let pages of ORIGIN use the control routes (repeatable; "http://127.0.0.1:*" for any port, "*" for any origin)
    #[arg(long, value_name = "ORIGIN", value_parser = allowed_origin)]
    allow_origin: Vec<String>,
    /// answer as if the time were always T (RFC 3339, e.g. 2024-01-15T12:00:00Z), for reproducible answers
    #[arg(long, value_name = "T", value_parser = fixed_time)]
    now: Option<i64>,
}

fn allowed_origin(value: &str) -> Result<String, String> {
    let shaped = value == "*"
        || ((value.starts_with("http://") || value.starts_with("https://"))
            && !value.ends_with('/')
            && value.bytes().all(|b| b.is_ascii_graphic()));
    if shaped {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "{value:?} is not an origin (scheme://host[:port], no path) or *"
        ))
    }
}

fn fixed_time(value: &str) -> Result<i64, String> {
    value
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| format!("{value:?} is not an RFC 3339 time: {e}"))
}

fn host(value: &str) -> Result<IpAddr, String> {
    if value == "localhost" {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    value
        .parse()
        .map_err(|_| format!("{value:?} is not an IP address"))
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.is_empty() {
        Err("may not be empty".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

fn rate(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        Ok(_) => Err(format!("{value} is not between 0 and 1")),
        Err(_) => Err(format!("{value:?} is not a number")),
    }
}

fn seed_accounts(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(n) if n <= MAX_SEED_ACCOUNTS => Ok(n),
        Ok(_) => Err(format!("at most {MAX_SEED_ACCOUNTS}")),
        Err(_) => Err(format!("{value:?} is not a valid number")),
    }
}

fn directory(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("{value:?} is not a directory"))
    }
}

/// Parses the arguments after the program name. `Err` is clap's error,
/// including the request for help: print it with [`clap::Error::print`]
/// and exit with [`clap::Error::exit_code`] (0 for `--help`, 2 otherwise).
pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Config, clap::Error> {
    let program = std::iter::once(OsString::from("sandbox"));
    let args = Args::try_parse_from(program.chain(args))?;
    Ok(Config {
        host: args.host,
        port: args.port,
        reseller: args.reseller,
        api_key: args.api_key,
        latency_ms: args.latency_ms,
        fail_rate: args.fail_rate,
        seed: args.seed.unwrap_or_else(clock_seed),
        seed_accounts: args.seed_accounts,
        www: args.www,
        pkg: args.pkg,
        allow_origin: args.allow_origin,
        now: args.now,
    })
}

/// A seed when none is given: the clock and the process id.
fn clock_seed() -> u64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    secs ^ u64::from(std::process::id())
}

/// The `--help` text (also shown at `/` when no `--www` is served).
pub fn help_text() -> String {
    Args::command().render_long_help().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn defaults_and_flags() {
        let c = parse(&["--port", "0", "--fail-rate=0.5", "--seed", "7"]).unwrap_or_else(|e| {
            unreachable!("{e}");
        });
        assert_eq!(c.port, 0);
        assert_eq!(c.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(c.reseller, "reseller@example.com");
        assert_eq!(c.api_key, "sandbox-api-key");
        assert!((c.fail_rate - 0.5).abs() < f64::EPSILON);
        assert_eq!(c.seed, 7);
        let local = parse(&[
            "--host",
            "localhost",
            "--api-key=k",
            "--latency-ms",
            "300000",
        ]);
        assert!(local.is_ok_and(|c| c.host.is_loopback() && c.api_key == "k"));
    }

    #[test]
    fn bad_flags_are_errors() {
        for args in [
            &["--nope"][..],
            &["--port"],
            &["--port", "x"],
            &["--port", "70000"],
            &["--fail-rate", "2"],
            &["--latency-ms", "300001"],
            &["--reseller", ""],
            &["--seed-accounts", "1000001"],
            &["--www", "/definitely/not/here"],
            &["--allow-origin", "evil.example"],
            &["--allow-origin", "http://x/path/"],
            &["--now", "yesterday"],
        ] {
            let error = parse(args).err();
            assert_eq!(error.map(|e| e.exit_code()), Some(2), "{args:?}");
        }
        let help = parse(&["--help"]).err();
        assert_eq!(help.as_ref().map(clap::Error::exit_code), Some(0));
        assert!(parse(&["-h"]).is_err_and(|e| e.exit_code() == 0));
    }

    #[test]
    fn help_lists_flags_control_routes_and_presets() {
        let text = help_text();
        for needle in [
            "--host",
            "--port",
            "--reseller",
            "--api-key",
            "--latency-ms",
            "--fail-rate",
            "--seed ",
            "--seed-accounts",
            "--www",
            "--pkg",
            "--allow-origin",
            "--now",
            "-h, --help",
            "/_sandbox/faults",
            "/_sandbox/reset",
            "/_sandbox/requests",
            "/sandbox.json",
            "503_burst",
            "wrong_key",
        ] {
            assert!(text.contains(needle), "{needle} missing from\n{text}");
        }
        // The limits it states are the ones in force.
        let header_secs = crate::HEADER_READ_TIMEOUT.as_secs();
        assert!(text.contains(&format!("arrive within {header_secs} s")));
        assert!(text.contains(&format!("close after {header_secs} s")));
        assert!(text.contains(&format!("delay_ms at most {MAX_DELAY_MS}")));
        assert_eq!(crate::BODY_LIMIT, 1024 * 1024);
        assert!(text.contains("up to 1 MiB"));
        let idle_secs = crate::app::BODY_IDLE_TIMEOUT.as_secs();
        assert!(text.contains(&format!("each part within {idle_secs} s")));
    }
}

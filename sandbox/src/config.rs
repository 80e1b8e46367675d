//! The sandbox's settings and their command-line form. Parsing is by hand
//! (a dozen flags do not need a parser crate) and never exits by itself, so
//! that `main` decides about exit codes and tests can call it.

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

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
    /// Delay added to every API response.
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
        }
    }
}

/// Most generated accounts `--seed-accounts` accepts (memory stays small).
pub const MAX_SEED_ACCOUNTS: usize = 1_000_000;

/// The `--help` text.
pub const USAGE: &str = "\
sandbox: a local, in-memory LiveAgent Reseller API v1 for development and tests

USAGE:
    sandbox [OPTIONS]

OPTIONS:
    --host ADDR          address to bind (default 127.0.0.1)
    --port N             port to bind; 0 picks a free one (default 8080)
    --reseller ID        reseller identifier accepted in paths (default reseller@example.com)
    --api-key KEY        API key accepted (default sandbox-api-key)
    --latency-ms N       delay added to each API response (default 0)
    --fail-rate F        share 0..1 of API responses answered 503 + Retry-After: 1 (default 0)
    --seed N             seed for generated ids and the fail-rate coin (default: from the clock)
    --seed-accounts N    add N generated accounts to the seeded ones (deterministic)
    --www DIR            serve the static files of DIR at /
    --pkg DIR            serve the static files of DIR at /pkg/
    -h, --help           print this help

TEST CONTROL (JSON):
    POST   /_sandbox/faults     register a fault rule {path_contains, status, count, retry_after, delay_ms, body, content_type}
    GET    /_sandbox/faults     list active rules;  DELETE clears them
    POST   /_sandbox/reset      restore the seeded records, clear rules and the request log
    GET    /_sandbox/requests   last 200 API requests as received (?path_contains=X);  DELETE clears
    GET    /sandbox.json        {baseUrl, reseller, apiKey}
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Run with these settings.
    Run(Config),
    /// Print the help and exit 0.
    Help,
}

fn value_of(
    flag: &str,
    inline: Option<String>,
    rest: &mut impl Iterator<Item = OsString>,
) -> Result<String, String> {
    let value = match inline {
        Some(v) => v,
        None => rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .into_string()
            .map_err(|_| format!("the value of {flag} is not valid UTF-8"))?,
    };
    Ok(value)
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("{flag}: {value:?} is not a valid number"))
}

fn directory(flag: &str, value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("{flag}: {value:?} is not a directory"))
    }
}

/// Parses the arguments after the program name. `Err` holds the message to
/// print before exiting with code 2.
pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut config = Config {
        seed: crate::clock::unix_now().unsigned_abs() ^ u64::from(std::process::id()),
        ..Config::default()
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|_| "an argument is not valid UTF-8".to_owned())?;
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--host" => {
                let v = value_of(&flag, inline, &mut args)?;
                config.host = if v == "localhost" {
                    IpAddr::V4(Ipv4Addr::LOCALHOST)
                } else {
                    v.parse()
                        .map_err(|_| format!("--host: {v:?} is not an IP address"))?
                };
            }
            "--port" => config.port = number(&flag, &value_of(&flag, inline, &mut args)?)?,
            "--reseller" => {
                config.reseller = value_of(&flag, inline, &mut args)?;
                if config.reseller.is_empty() {
                    return Err("--reseller may not be empty".to_owned());
                }
            }
            "--api-key" => {
                config.api_key = value_of(&flag, inline, &mut args)?;
                if config.api_key.is_empty() {
                    return Err("--api-key may not be empty".to_owned());
                }
            }
            "--latency-ms" => {
                config.latency_ms = number(&flag, &value_of(&flag, inline, &mut args)?)?;
            }
            "--fail-rate" => {
                let v = value_of(&flag, inline, &mut args)?;
                let rate: f64 = number(&flag, &v)?;
                if !(0.0..=1.0).contains(&rate) {
                    return Err(format!("--fail-rate: {v} is not between 0 and 1"));
                }
                config.fail_rate = rate;
            }
            "--seed" => config.seed = number(&flag, &value_of(&flag, inline, &mut args)?)?,
            "--seed-accounts" => {
                let n: usize = number(&flag, &value_of(&flag, inline, &mut args)?)?;
                if n > MAX_SEED_ACCOUNTS {
                    return Err(format!("--seed-accounts: at most {MAX_SEED_ACCOUNTS}"));
                }
                config.seed_accounts = n;
            }
            "--www" => config.www = Some(directory(&flag, &value_of(&flag, inline, &mut args)?)?),
            "--pkg" => config.pkg = Some(directory(&flag, &value_of(&flag, inline, &mut args)?)?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn defaults_and_flags() {
        let Ok(Command::Run(c)) = parse(&["--port", "0", "--fail-rate=0.5", "--seed", "7"]) else {
            unreachable!("parse failed")
        };
        assert_eq!(c.port, 0);
        assert_eq!(c.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(c.reseller, "reseller@example.com");
        assert_eq!(c.api_key, "sandbox-api-key");
        assert!((c.fail_rate - 0.5).abs() < f64::EPSILON);
        assert_eq!(c.seed, 7);
    }

    #[test]
    fn bad_flags_are_errors() {
        assert!(parse(&["--nope"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--fail-rate", "2"]).is_err());
        assert!(parse(&["--www", "/definitely/not/here"]).is_err());
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }
}

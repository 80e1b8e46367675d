//! What a sandbox is told at start, whichever driver runs it.

/// Most generated accounts a sandbox accepts (memory stays small).
pub const MAX_SEED_ACCOUNTS: usize = 1_000_000;

/// The settings the rules depend on (the server's socket and folders are
/// the driver's business).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The reseller identifier the API accepts in its paths.
    pub reseller: String,
    /// The API key the API accepts.
    pub api_key: String,
    /// Delay added to every API response (at most
    /// [`MAX_DELAY_MS`](crate::faults::MAX_DELAY_MS)).
    pub latency_ms: u64,
    /// Share (0..1) of API requests answered 503 with `Retry-After: 1`.
    pub fail_rate: f64,
    /// Seed of the generators (new ids, the fail-rate coin).
    pub seed: u64,
    /// Generated accounts added to the seeded ones.
    pub seed_accounts: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            reseller: "reseller@example.com".to_owned(),
            api_key: "sandbox-api-key".to_owned(),
            latency_ms: 0,
            fail_rate: 0.0,
            seed: 0,
            seed_accounts: 0,
        }
    }
}

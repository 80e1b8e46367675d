//! Drift (API.md, "Watching calls"): what a successful response holds that
//! the docs do not name (a field, a code outside a value set, a
//! `statuscode` other than 0). The result keeps it as sent; an observer is
//! told, once per client for each (operation, path, what, value), so that
//! an operator learns the API moved ahead of this package before anything
//! breaks. The streaming check ([`crate::sansio::shape`]) finds them;
//! each client keeps a [`Told`].

use alloc::string::String;
use alloc::vec::Vec;

/// What kind of undocumented thing a response held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the docs do not name (its value is never told: it may be private).
    Field,
    /// A code outside the field's documented value set.
    Code,
    /// A `statuscode` other than the documented 0 in a successful envelope.
    Statuscode,
}

impl DriftKind {
    /// The name in JS events' `what` (`"field"`, `"code"`, `"statuscode"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DriftKind::Field => "field",
            DriftKind::Code => "code",
            DriftKind::Statuscode => "statuscode",
        }
    }
}

/// One undocumented thing in a response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct Drift {
    /// Where: `accounts[].plan` (a list's rows are one path).
    pub path: String,
    /// What it is.
    pub what: DriftKind,
    /// The code, for codes and `statuscode`; never a field's value.
    pub value: Option<String>,
}

/// The drifts a client has told, so that each is told once. A list, not
/// a set: drifts are few, and a `BTreeSet` would add its code to the npm
/// build's wasm (the figure: bench/README.md).
#[derive(Debug, Default)]
pub struct Told(Vec<(&'static str, Drift)>);

impl Told {
    /// Whether `drift` of `operation` is new to this client (and now told).
    pub fn first(&mut self, operation: &'static str, drift: &Drift) -> bool {
        let known = self
            .0
            .iter()
            .any(|(op, told)| *op == operation && told == drift);
        if !known {
            self.0.push((operation, drift.clone()));
        }
        !known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drift(path: &str, what: DriftKind, value: Option<&str>) -> Drift {
        Drift {
            path: path.into(),
            what,
            value: value.map(String::from),
        }
    }

    #[test]
    fn each_drift_is_told_once_per_operation() {
        let field = drift("accounts[].plan", DriftKind::Field, None);
        let code = drift("accounts[].status", DriftKind::Code, Some("z"));
        let mut told = Told::default();
        assert!(told.first("listAccounts", &field));
        assert!(!told.first("listAccounts", &field));
        assert!(told.first("listAccounts", &code));
        assert!(told.first("getAccount", &field));
        assert!(!told.first("getAccount", &field));
    }
}

//! The shape of one API call, as generated from `spec/` (see `generated/ops.rs`).
//!
//! The runtime is one generic request path driven by these tables, so that
//! each of the 21 calls costs a few static bytes instead of its own code.

/// HTTP method of a call; also decides where parameters go on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Parameters in the query string.
    Get,
    /// Parameters as form fields in the body; never retried (it creates things).
    Post,
    /// Parameters as form fields in the body.
    Put,
    /// Parameters in the query string.
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// GET and DELETE carry their parameters in the query string.
    pub const fn uses_query(self) -> bool {
        matches!(self, Method::Get | Method::Delete)
    }

    /// Whether a failed attempt may be sent again: POST creates things.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
}

/// The POST operations, by their JS and Rust names. A list rather than a
/// search of `ops::ALL`: an error asks, and the search would bring every
/// operation's tables into a one-call app. A test checks it against the
/// tables.
const POSTS: &[&str] = &[
    "createAccount",
    "create_account",
    "addAccountAddon",
    "add_account_addon",
    "addLicenseAddon",
    "add_license_addon",
];

/// Whether the operation named `name` is a POST (it creates things: its
/// outcome decides what may be sent again).
pub fn is_post(name: &str) -> bool {
    POSTS.contains(&name)
}

/// One segment of a path template below `/resellers/{reseller}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Sent as is.
    Literal(&'static str),
    /// The next positional path argument, named as in the docs.
    Arg(&'static str),
}

/// What a parameter value must look like before it may be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Any text.
    Text,
    /// `YYYY-MM-DD HH:MM:SS`.
    Datetime,
    /// A JSON text.
    Json,
    /// One of the documented codes.
    OneOf(&'static [&'static str]),
}

/// A documented query or form parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Wire name, exactly as documented.
    pub name: &'static str,
    /// What the value must look like.
    pub kind: ParamKind,
    /// Mandatory in the docs.
    pub required: bool,
}

/// Whether a call takes a params object, and whether it may be left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamsObject {
    /// The call has no parameters besides its path arguments.
    None,
    /// Every parameter is optional, so the object may be omitted.
    Optional,
    /// At least one parameter is mandatory.
    Required,
}

/// What a documented response field holds once decoded (the `.d.ts` and
/// the Rust types promise it; [`crate::sansio::call`] checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text: plain text, datetimes, value-set codes, money. A JSON number
    /// here is kept as its exact source text.
    Text,
    /// A code of a documented value set (these codes): text, like
    /// [`FieldKind::Text`]; another code is kept, and told as drift.
    Code(&'static [&'static str]),
    /// A whole number; a string of digits is converted.
    Int,
    /// A list of objects with these fields.
    List(&'static [Field]),
}

impl FieldKind {
    /// Whether the field holds text (plain text or a code).
    pub const fn is_text(&self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::Code(_))
    }
}

/// A documented field of a response payload or list row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Name on the wire.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
}

/// Everything the generic request path needs to know about one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The JS method name (`listAccounts`), used in the npm face's errors.
    pub name: &'static str,
    /// The Rust method name (`list_accounts`), used in the Rust face's errors.
    pub rust_name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path below `/resellers/{reseller}`.
    pub path: &'static [Segment],
    /// Documented parameters, in the order they are sent.
    pub params: &'static [Param],
    /// Whether a params object is taken.
    pub params_object: ParamsObject,
    /// The documented fields of the response payload, checked when decoding.
    pub fields: &'static [Field],
    /// Names of every text field of the payload, nested ones included: a
    /// number there is quoted before parsing, so its exact text is kept.
    pub text_fields: &'static [&'static str],
    /// The money fields among them (`float` in the docs): quoted up front,
    /// since servers do send numbers there.
    pub money: &'static [&'static str],
}

/// A documented value set: codes with their meanings, for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueSet {
    /// Type name (`AccountStatus`).
    pub name: &'static str,
    /// `(code, meaning)` pairs in the documented order.
    pub codes: &'static [(&'static str, &'static str)],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_posts_are_the_tables_posts() {
        let mut from_tables: alloc::vec::Vec<&str> = crate::generated::ops::ALL
            .iter()
            .filter(|op| op.method == Method::Post)
            .flat_map(|op| [op.name, op.rust_name])
            .collect();
        let mut listed = POSTS.to_vec();
        from_tables.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, from_tables);
    }
}

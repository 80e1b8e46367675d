//! The doc texts both faces share: what a field, a value set, a payload
//! and a call say, in the Rust docs and in the `.d.ts` alike.

use std::fmt::Write as _;

use crate::model::{Api, FieldType, Operation, Struct, ValueSet};
use crate::names::pascal;

/// A response field: its description, what its type promises, its note.
pub fn field_doc(description: &str, ty: &FieldType, note: Option<&str>) -> String {
    let mut d = description.to_owned();
    if !d.ends_with('.') {
        d.push('.');
    }
    match ty {
        FieldType::Datetime => d.push_str(
            "\n\n`YYYY-MM-DD HH:MM:SS`, America/Los_Angeles time; passed through as sent, even when malformed.",
        ),
        FieldType::Money => d.push_str("\n\nThe exact decimal text (`\"99.90\"`), also when the server sent a number."),
        _ => {}
    }
    if let Some(note) = note {
        d.push_str("\n\nNote: ");
        d.push_str(note);
    }
    d
}

/// A value set: its description and each code with its meaning.
pub fn value_set_doc(set: &ValueSet) -> String {
    let mut d = set.description.clone();
    d.push('\n');
    for (code, meaning) in &set.codes {
        let _ = write!(d, "\n- `{code}`: {meaning}");
    }
    if !set.input {
        d.push_str("\n\nCodes the docs do not list are kept, not rejected.");
    }
    d
}

/// `listAccounts` -> `ListAccountsParams`.
pub fn params_name(op: &Operation) -> String {
    format!("{}Params", pascal(&op.id))
}

/// A call: its summary, method and path, and description.
pub fn method_doc(op: &Operation) -> String {
    format!(
        "{}.\n\n`{} {}`\n\n{}",
        op.summary,
        op.method.wire(),
        op.path,
        op.description
    )
}

/// A payload or row: its description and the calls that return it.
pub fn struct_doc(api: &Api, s: &Struct) -> String {
    let mut users: Vec<String> = api
        .operations
        .iter()
        .filter(|o| o.response == s.name)
        .map(|o| format!("`{}`", o.id))
        .collect();
    users.dedup();
    let mut d = if s.description.is_empty() {
        s.name.clone()
    } else {
        s.description.clone()
    };
    if !users.is_empty() {
        let _ = write!(
            d,
            "\n\nWhat {} returns (the envelope removed).",
            users.join(" and ")
        );
    }
    d
}

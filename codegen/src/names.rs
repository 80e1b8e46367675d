//! Name conversions between the spec's names and Rust's and JS's.

/// `listAccountAddons` -> `list_account_addons`.
pub fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `listAccounts` -> `LIST_ACCOUNTS`.
pub fn screaming(camel: &str) -> String {
    snake(camel).to_ascii_uppercase()
}

/// `listAccounts` -> `ListAccounts`.
pub fn pascal(camel: &str) -> String {
    let mut chars = camel.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `account_id` -> `accountId`.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `"Wait for manual unsuspend"` -> `WaitForManualUnsuspend`.
pub fn variant(meaning: &str) -> String {
    meaning
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| pascal(&w.to_ascii_lowercase()))
        .collect()
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "try", "typeof", "unsized", "virtual", "yield",
];

/// A wire name usable as a Rust field name, or an error.
pub fn rust_ident(name: &str) -> Result<&str, String> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid || KEYWORDS.contains(&name) {
        return Err(format!("`{name}` cannot be a Rust field name"));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(
            snake("changeLicenseAddonValidity"),
            "change_license_addon_validity"
        );
        assert_eq!(screaming("getAccount"), "GET_ACCOUNT");
        assert_eq!(pascal("checkEmail"), "CheckEmail");
        assert_eq!(camel("attribute_name"), "attributeName");
        assert_eq!(camel("userid"), "userid");
        assert_eq!(
            variant("Wait for manual unsuspend"),
            "WaitForManualUnsuspend"
        );
        assert!(rust_ident("type").is_err());
        assert!(rust_ident("customer_email").is_ok());
    }
}

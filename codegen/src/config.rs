//! The client's settings (the npm face's config object, the Rust face's
//! `Config`) and the rule each is checked by: one description, written
//! out for both faces. `src/generated/config.rs` is the table the core's
//! checks read (`src/sansio/config.rs`); `js/config-rules.js` is the same
//! table for `js/config.js`, which checks a config in the constructor
//! before any `.wasm` has arrived. Same data, so the same verdicts and
//! messages (`tests/config_rules.rs` runs both).
//!
//! A table here rather than in `spec/`: the spec describes the vendor's
//! API; these are the client's own settings.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// How a setting's value is checked.
enum Rule {
    /// An absolute http(s) URL with a host and no credentials, query,
    /// fragment or whitespace (trailing `/` trimmed).
    BaseUrl,
    /// One path segment: not empty, `.` or `..`.
    Segment,
    /// The key: a non-empty string.
    Secret,
    /// A whole number from `min` to `max` (`default` when absent).
    Whole { min: u64, max: u64, default: u64 },
    /// A function (npm face only).
    Function,
    /// A plain object of string headers, each one fetch sends as given.
    Headers,
    /// An IANA time zone the host's `Intl` knows; the default is not asked
    /// about (it costs a first call ICU's start-up).
    TimeZone { default: &'static str },
}

/// One setting.
struct Setting {
    /// The npm face's config key, and its name in the npm face's messages.
    js: &'static str,
    /// The Rust face's name (`""`: the Rust face has no such setting).
    rust: &'static str,
    required: bool,
    rule: Rule,
    /// What a value the rule refuses is told, after the setting's name.
    text: &'static str,
}

/// Every setting, in the order both faces check them.
const SETTINGS: &[Setting] = &[
    Setting {
        js: "baseUrl",
        rust: "base_url",
        required: true,
        rule: Rule::BaseUrl,
        text: " must be an absolute http(s) URL without credentials, query or fragment",
    },
    Setting {
        js: "reseller",
        rust: "reseller",
        required: true,
        rule: Rule::Segment,
        text: " must not be empty or a dot segment (. or ..)",
    },
    Setting {
        js: "apiKey",
        rust: "api_key",
        required: true,
        rule: Rule::Secret,
        text: " must not be empty",
    },
    Setting {
        js: "timeoutMs",
        rust: "timeout",
        required: false,
        // The longest delay a JS timer honours; a longer one fires at once.
        rule: Rule::Whole {
            min: 1,
            max: 2_147_483_647,
            default: 30_000,
        },
        text: " must be a whole number of milliseconds from 1 to 2147483647",
    },
    Setting {
        js: "maxRetries",
        rust: "max_retries",
        required: false,
        // Beyond 10 a caller wants a queue, not a client.
        rule: Rule::Whole {
            min: 0,
            max: 10,
            default: 2,
        },
        text: " must be a whole number from 0 to 10",
    },
    Setting {
        js: "headers",
        rust: "headers",
        required: false,
        rule: Rule::Headers,
        text: " must be a plain object of strings",
    },
    Setting {
        js: "maxResponseBytes",
        rust: "max_response_bytes",
        required: false,
        // Up to 2^53: a JS number says every whole number up to there.
        rule: Rule::Whole {
            min: 1,
            max: 1 << 53,
            default: 64 << 20,
        },
        text: " must be a whole number of bytes from 1 to 9007199254740992",
    },
    Setting {
        js: "fetch",
        rust: "",
        required: false,
        rule: Rule::Function,
        text: " must be a function",
    },
    Setting {
        js: "onEvent",
        rust: "",
        required: false,
        rule: Rule::Function,
        text: " must be a function",
    },
    Setting {
        js: "timeZone",
        rust: "",
        required: false,
        rule: Rule::TimeZone {
            default: "America/Los_Angeles",
        },
        text: " is not an IANA time zone this host knows",
    },
];

/// Texts every setting may be told, by name: `(Rust const, JS key, text)`.
/// A pair `[before, after]` goes around a quoted value.
const TEXTS: &[(&str, &str, &[&str])] = &[
    ("NO_CONFIG", "noConfig", &["the config object is required"]),
    ("WHAT", "what", &["the config"]),
    ("NOT_OBJECT", "notObject", &[" must be an object"]),
    (
        "UNKNOWN_KEY",
        "unknownKey",
        &[" has no key \"", "\"", " (did you mean ", "?)"],
    ),
    ("REQUIRED", "required", &[" is required"]),
    ("NOT_STRING", "notString", &[" must be a string"]),
    (
        "LONE_SURROGATE",
        "lone",
        &[" is not well-formed Unicode (it holds a lone surrogate)"],
    ),
    (
        "BAD_HEADER_NAME",
        "badName",
        &["header name \"", "\" is not a valid HTTP header name"],
    ),
    (
        "FORBIDDEN_HEADER",
        "forbidden",
        &["header \"", "\" is one fetch forbids a caller to set"],
    ),
    (
        "HEADER_LINE_BREAK",
        "lineBreak",
        &["header \"", "\" has a line break or NUL in its value"],
    ),
    (
        "HEADER_NOT_LATIN1",
        "notLatin1",
        &[
            "header \"",
            "\" has a character outside Latin-1 in its value",
        ],
    ),
];

/// The request headers fetch forbids a caller to set (the Fetch standard's
/// list), lower case. Browsers drop them in silence, other hosts refuse the
/// request or send one that breaks framing.
const FORBIDDEN_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Forbidden name prefixes (lower case).
const FORBIDDEN_PREFIXES: &[&str] = &["proxy-", "sec-"];

/// The bytes of an HTTP token besides ASCII letters and digits.
const TOKEN_SYMBOLS: &str = "!#$%&'*+-.^_`|~";

/// Where configuration errors come from, in each face.
const JS_CLIENT: &str = "ResellerClient";
const RUST_CLIENT: &str = "Client::new";

const RUST_HEADER: &str = "// Generated by `codegen` from its table of settings (codegen/src/config.rs).\n// Do not edit: change the table and run `make generate`.\n";

fn screaming(js: &str) -> String {
    let mut out = String::new();
    for c in js.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn rule_tokens(rule: &Rule) -> TokenStream {
    match rule {
        Rule::BaseUrl => quote!(Rule::BaseUrl),
        Rule::Segment => quote!(Rule::Segment),
        Rule::Secret => quote!(Rule::Secret),
        Rule::Whole { min, max, default } => {
            let (min, max, default) = (
                Literal::u64_unsuffixed(*min),
                Literal::u64_unsuffixed(*max),
                Literal::u64_unsuffixed(*default),
            );
            quote!(Rule::Whole { min: #min, max: #max, default: #default })
        }
        Rule::Function => quote!(Rule::Function),
        Rule::Headers => quote!(Rule::Headers),
        Rule::TimeZone { default } => quote!(Rule::TimeZone { default: #default }),
    }
}

fn rust(file: impl Fn(&str, &[TokenStream]) -> Result<String, String>) -> Result<String, String> {
    let mut sections = vec![
        crate::rust::module_doc(
            "The client's settings and the rule each is checked by: the table the\ncore's checks read (`sansio::config`). `js/config-rules.js` is the same\ntable for the npm constructor's check in JS.",
        ),
        quote! {
            use crate::sansio::config::{Rule, Setting};
        },
    ];
    let mut names = Vec::new();
    for s in SETTINGS {
        let name = crate::rust::ident(&screaming(s.js))?;
        let (js, rust, required, rule, text) =
            (s.js, s.rust, s.required, rule_tokens(&s.rule), s.text);
        let doc = crate::rust::doc(&format!("`{js}`."));
        sections.push(quote! {
            #doc
            pub const #name: Setting = Setting {
                js: #js,
                rust: #rust,
                required: #required,
                rule: #rule,
                text: #text,
            };
        });
        names.push(name);
    }
    sections.push(quote! {
        /// Every setting, in the order both faces check them.
        pub static SETTINGS: &[Setting] = &[#(#names),*];
    });
    let keys = SETTINGS.iter().map(|s| s.js);
    sections.push(quote! {
        /// The npm face's config keys: any other is refused, naming the closest.
        pub static KEYS: &[&str] = &[#(#keys),*];
    });
    for (name, _, parts) in TEXTS {
        let name = crate::rust::ident(name)?;
        sections.push(match parts {
            [one] => quote!(pub const #name: &str = #one;),
            _ => {
                let n = Literal::usize_unsuffixed(parts.len());
                quote!(pub const #name: [&str; #n] = [#(#parts),*];)
            }
        });
    }
    let (forbidden, prefixes) = (FORBIDDEN_HEADERS.iter(), FORBIDDEN_PREFIXES.iter());
    sections.push(quote! {
        /// Where configuration errors come from (npm face).
        pub const JS_CLIENT: &str = #JS_CLIENT;
        /// Where configuration errors come from (Rust face).
        pub const RUST_CLIENT: &str = #RUST_CLIENT;
        /// The request headers fetch forbids a caller to set (lower case).
        pub static FORBIDDEN_HEADERS: &[&str] = &[#(#forbidden),*];
        /// Forbidden header name prefixes (lower case).
        pub static FORBIDDEN_PREFIXES: &[&str] = &[#(#prefixes),*];
        /// The bytes of an HTTP token besides ASCII letters and digits.
        pub const TOKEN_SYMBOLS: &str = #TOKEN_SYMBOLS;
    });
    let text = file("src/generated/config.rs", &sections)?;
    // The spec's header says where the rest comes from; this file's, here.
    let body = text
        .split_once("make generate`.\n")
        .map_or(text.as_str(), |(_, body)| body);
    Ok(format!("{RUST_HEADER}{body}"))
}

/// A JS string literal (JSON's quoting is JavaScript's).
fn js_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn js_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.map(js_str).collect();
    format!("[{}]", quoted.join(", "))
}

fn js() -> String {
    let mut js = String::from(
        "// Generated by `codegen` from its table of settings (codegen/src/config.rs).\n// Do not edit: change the table and run `make generate`.\n//\n// The client's settings and the rule each is checked by: read by config.js\n// in the constructor, the same table the core's checks read\n// (src/generated/config.rs).\n\n",
    );
    js.push_str(&format!("export const CLIENT = {};\n\n", js_str(JS_CLIENT)));
    js.push_str("// [key, required, rule, told after the key when the rule refuses, rule's data…]\nexport const SETTINGS = [\n");
    for s in SETTINGS {
        let (rule, data) = match &s.rule {
            Rule::BaseUrl => ("url", String::new()),
            Rule::Segment => ("segment", String::new()),
            Rule::Secret => ("secret", String::new()),
            Rule::Whole { min, max, .. } => ("whole", format!(", {min}, {max}")),
            Rule::Function => ("function", String::new()),
            Rule::Headers => ("headers", String::new()),
            Rule::TimeZone { default } => ("zone", format!(", {}", js_str(default))),
        };
        js.push_str(&format!(
            "  [{}, {}, {}, {}{data}],\n",
            js_str(s.js),
            u8::from(s.required),
            js_str(rule),
            js_str(s.text)
        ));
    }
    js.push_str("];\n\n// Texts any setting may be told; a pair goes around a quoted value.\nexport const TEXT = {\n");
    for (_, key, parts) in TEXTS {
        let value = match parts {
            [one] => js_str(one),
            _ => js_list(parts.iter().copied()),
        };
        js.push_str(&format!("  {key}: {value},\n"));
    }
    js.push_str("};\n\n// The request headers fetch forbids a caller to set, and forbidden prefixes (lower case).\n");
    js.push_str(&format!(
        "export const FORBIDDEN = {};\nexport const PREFIXES = {};\n",
        js_list(FORBIDDEN_HEADERS.iter().copied()),
        js_list(FORBIDDEN_PREFIXES.iter().copied())
    ));
    js.push_str(&format!(
        "// The characters of an HTTP token besides ASCII letters and digits.\nexport const TOKEN = {};\n",
        js_str(TOKEN_SYMBOLS)
    ));
    js
}

/// `src/generated/config.rs` and `js/config-rules.js`.
pub fn files() -> Result<Vec<(&'static str, String)>, String> {
    Ok(vec![
        ("src/generated/config.rs", rust(crate::rust::file)?),
        ("js/config-rules.js", js()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_get_every_setting_in_the_same_order() {
        assert_eq!(screaming("maxResponseBytes"), "MAX_RESPONSE_BYTES");
        let files = files().unwrap_or_else(|e| panic!("{e}"));
        let [(_, rust), (_, js)] = files.as_slice() else {
            panic!("two files")
        };
        let at = |text: &str, needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} missing"))
        };
        let mut last = (0, 0);
        for s in SETTINGS {
            let here = (
                at(rust, &format!("js: \"{}\"", s.js)),
                at(js, &format!("[\"{}\", ", s.js)),
            );
            assert!(here.0 > last.0 && here.1 > last.1, "{} out of order", s.js);
            last = here;
        }
        assert!(js.contains(&format!("export const TOKEN = {};", js_str(TOKEN_SYMBOLS))));
    }
}

//! What goes over the wire: the `{"response": …}` envelope in JSON or the
//! vendor's XML form, the error envelope, and strict parsing of paths, query
//! strings and form bodies (strict so that a client bug shows up as a 400
//! instead of being silently repaired).

/// A response value that keeps the vendor's field order (a map would sort
/// it) and knows how to render itself as JSON or as the vendor's XML.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// JSON `null`; XML empty element `<name/>`.
    Null,
    /// A string (prices stay strings: `"99.90"`).
    Text(String),
    /// A number (only `statuscode` is one on this API).
    Int(i64),
    /// Fields in vendor order.
    Object(Vec<(&'static str, Node)>),
    /// A list; in XML each item is an element named by the first field
    /// (`accounts` holds `account` items).
    List(&'static str, Vec<Node>),
}

impl Node {
    /// A text node from anything string-like.
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    /// `null` when absent, text otherwise.
    pub fn opt(s: Option<&str>) -> Node {
        s.map_or(Node::Null, Node::text)
    }
}

/// The answer formats the vendor offers (`.xml` suffix or JSON by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`, the default.
    Json,
    /// The vendor's XML form, asked for with a `.xml` suffix on the path.
    Xml,
}

impl Format {
    /// The format a raw request path asks for.
    pub fn of_path(raw_path: &str) -> Format {
        if raw_path.ends_with(".xml") {
            Format::Xml
        } else {
            Format::Json
        }
    }
}

/// An API failure, rendered as the vendor's error envelope with the HTTP
/// status equal to `statuscode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status and `statuscode`.
    pub status: u16,
    /// `errormessage`.
    pub message: String,
    /// `debugmessage`.
    pub debug: String,
}

impl ApiError {
    /// An error with an empty debug message.
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            debug: String::new(),
        }
    }

    /// 400, the vendor's "common processing error".
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, message)
    }

    /// 404 for an unknown record or route.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(404, message)
    }

    /// 400 naming a mandatory parameter that is absent or empty, in the
    /// vendor's wording.
    pub fn missing(name: &str) -> ApiError {
        ApiError::bad_request(format!("parameter {name} is missing"))
    }

    /// Sets the debug message.
    pub fn with_debug(mut self, debug: impl Into<String>) -> ApiError {
        self.debug = debug.into();
        self
    }

    /// Removes every occurrence of the given secrets from both messages, so
    /// that no error ever repeats an API key, whatever a client put where.
    pub fn scrubbed(mut self, secrets: &[&str]) -> ApiError {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            self.message = self.message.replace(secret, "[redacted]");
            self.debug = self.debug.replace(secret, "[redacted]");
        }
        self
    }

    /// The envelope body as a node.
    pub fn envelope(&self) -> Node {
        Node::Object(vec![
            ("status", Node::text("ERROR")),
            ("statuscode", Node::Int(i64::from(self.status))),
            ("errormessage", Node::text(self.message.clone())),
            ("debugmessage", Node::text(self.debug.clone())),
        ])
    }
}

/// `{"status":"OK","statuscode":0}`, the answer of every status-only call.
pub fn ok_status() -> Node {
    Node::Object(vec![
        ("status", Node::text("OK")),
        ("statuscode", Node::Int(0)),
    ])
}

/// Renders `{"response": node}` compactly.
pub fn to_json_envelope(node: &Node) -> String {
    let mut out = String::from("{\"response\":");
    write_json(&mut out, node);
    out.push('}');
    out
}

/// Renders a node as plain JSON (for the sandbox's own control routes).
pub fn to_json(node: &Node) -> String {
    let mut out = String::new();
    write_json(&mut out, node);
    out
}

fn write_json(out: &mut String, node: &Node) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Text(s) => write_json_string(out, s),
        Node::Int(n) => out.push_str(&n.to_string()),
        Node::Object(fields) => {
            out.push('{');
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, key);
                out.push(':');
                write_json(out, value);
            }
            out.push('}');
        }
        Node::List(_, items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Renders the vendor's XML form: declaration, `<response>` root, one space
/// of indentation per level, `null` as an empty element.
pub fn to_xml_envelope(node: &Node) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_xml_element(&mut out, "response", node, 0);
    out
}

fn write_xml_element(out: &mut String, name: &str, node: &Node, depth: usize) {
    let indent = " ".repeat(depth);
    match node {
        Node::Null => out.push_str(&format!("{indent}<{name}/>\n")),
        Node::Text(s) => out.push_str(&format!("{indent}<{name}>{}</{name}>\n", xml_escape(s))),
        Node::Int(n) => out.push_str(&format!("{indent}<{name}>{n}</{name}>\n")),
        Node::Object(fields) if fields.is_empty() => out.push_str(&format!("{indent}<{name}/>\n")),
        Node::List(_, items) if items.is_empty() => out.push_str(&format!("{indent}<{name}/>\n")),
        Node::Object(fields) => {
            out.push_str(&format!("{indent}<{name}>\n"));
            for (key, value) in fields {
                write_xml_element(out, key, value, depth + 1);
            }
            out.push_str(&format!("{indent}</{name}>\n"));
        }
        Node::List(item_name, items) => {
            out.push_str(&format!("{indent}<{name}>\n"));
            for item in items {
                write_xml_element(out, item_name, item, depth + 1);
            }
            out.push_str(&format!("{indent}</{name}>\n"));
        }
    }
}

/// Escapes text for XML and replaces characters XML 1.0 cannot carry (most
/// control characters) with U+FFFD, so that any stored value renders.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An answer as the driver sends it: status, headers, body, and how long
/// to wait before sending it (latency and fault delays: the driver owns
/// the clock, so it does the waiting).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers, in the order they are to be sent.
    pub headers: Vec<(&'static str, String)>,
    /// The whole body.
    pub body: String,
}

impl Reply {
    /// A reply with one `Content-Type` header.
    pub fn new(status: u16, content_type: &str, body: String) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// The value of a header, by its lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The envelope in the asked-for format.
pub fn respond(format: Format, status: u16, node: &Node) -> Reply {
    match format {
        Format::Json => Reply::new(status, "application/json", to_json_envelope(node)),
        Format::Xml => Reply::new(
            status,
            "application/xml; charset=utf-8",
            to_xml_envelope(node),
        ),
    }
}

/// An error envelope with the HTTP status equal to `statuscode`.
pub fn respond_error(format: Format, error: &ApiError) -> Reply {
    respond(format, error.status, &error.envelope())
}

/// Why a path, query or body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    BadPercent,
    /// Bytes that are not UTF-8 once decoded.
    NotUtf8,
}

impl DecodeError {
    /// A human text naming where the problem is.
    pub fn describe(&self, where_: &str) -> String {
        match self {
            DecodeError::BadPercent => format!("malformed percent-encoding in {where_}"),
            DecodeError::NotUtf8 => format!("{where_} is not valid UTF-8 once decoded"),
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Strict percent-decoding; `+` means a space only in form/query text.
pub fn percent_decode(raw: &[u8], plus_is_space: bool) -> Result<String, DecodeError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = bytes.next().and_then(hex_value);
                let lo = bytes.next().and_then(hex_value);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi * 16 + lo),
                    _ => return Err(DecodeError::BadPercent),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

/// Decodes a raw path (after the `/api/` prefix) into its segments; each
/// segment may hold any character once decoded (`%2F` stays inside it).
pub fn decode_segments(raw: &str) -> Result<Vec<String>, DecodeError> {
    raw.split('/')
        .map(|segment| percent_decode(segment.as_bytes(), false))
        .collect()
}

/// Query or form fields in the order received. Lookups take the last value
/// of a repeated name, as PHP (the vendor's stack) does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses `a=1&b=2` text (query string or form body).
    pub fn parse(raw: &[u8]) -> Result<Params, DecodeError> {
        let mut fields = Vec::new();
        for pair in raw.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let mut halves = pair.splitn(2, |b| *b == b'=');
            let name = halves.next().unwrap_or_default();
            let value = halves.next().unwrap_or_default();
            fields.push((percent_decode(name, true)?, percent_decode(value, true)?));
        }
        Ok(Params(fields))
    }

    /// The last value given for `name`, even if empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The last value given for `name`, treating an empty one as absent.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// Whether a `Content-Type` header names a form body (parameters such as
/// `charset` are allowed).
pub fn is_form_content_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .map(str::trim)
        .is_some_and(|media| media.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_field_order_and_escapes() {
        let node = Node::Object(vec![
            ("b", Node::text("x\"y\n")),
            ("a", Node::Null),
            ("n", Node::Int(0)),
        ]);
        assert_eq!(
            to_json_envelope(&node),
            r#"{"response":{"b":"x\"y\n","a":null,"n":0}}"#
        );
    }

    #[test]
    fn xml_renders_lists_nulls_and_escapes() {
        let node = Node::Object(vec![(
            "users",
            Node::List(
                "user",
                vec![Node::Object(vec![
                    ("name", Node::text("a<b & 'c'")),
                    ("valid_to", Node::Null),
                ])],
            ),
        )]);
        assert_eq!(
            to_xml_envelope(&node),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n <users>\n  <user>\n   \
             <name>a&lt;b &amp; &apos;c&apos;</name>\n   <valid_to/>\n  </user>\n </users>\n</response>\n"
        );
    }

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode(b"a%2Fb+c", false), Ok("a/b+c".to_owned()));
        assert_eq!(percent_decode(b"a+c", true), Ok("a c".to_owned()));
        assert_eq!(percent_decode(b"%zz", false), Err(DecodeError::BadPercent));
        assert_eq!(percent_decode(b"%4", false), Err(DecodeError::BadPercent));
        assert_eq!(percent_decode(b"%FF", false), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn params_take_the_last_value() {
        let p = Params::parse(b"a=1&b=&a=2&c").unwrap_or_default();
        assert_eq!(p.get("a"), Some("2"));
        assert_eq!(p.get("b"), Some(""));
        assert_eq!(p.non_empty("b"), None);
        assert_eq!(p.get("c"), Some(""));
    }

    #[test]
    fn form_content_type_allows_charset() {
        assert!(is_form_content_type(
            "application/x-www-form-urlencoded; charset=UTF-8"
        ));
        assert!(!is_form_content_type("application/json"));
    }
}

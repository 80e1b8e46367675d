//! JSON texts for the `money` property: a tree that remembers how each token
//! is written (number source text, escape of each character, whitespace), so
//! that the text a server may send and the text `quote_numbers` must give
//! back can both be written out exactly.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// One character of a JSON string and how it is written.
#[derive(Clone, Debug)]
pub struct Ch {
    pub c: char,
    /// 0: as is where JSON allows it; 1: `\u` lower case; 2: `\u` upper
    /// case; 3: the short escape (`\/`, `\n`, ...) when there is one.
    pub style: u8,
}

/// A JSON value with its writing.
#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    /// A number token exactly as written (`-0.50e+3`).
    Num(String),
    Str(Vec<Ch>),
    Arr(Vec<J>),
    Obj(Vec<(Vec<Ch>, J)>),
}

/// Whitespace to put between tokens, taken in turn.
#[derive(Clone, Debug)]
pub struct Ws(pub Vec<&'static str>);

fn string_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => select(vec![
            '"', '\\', '/', ':', ',', '{', '}', '[', ']', ' ', 'p', 'r', 'i', 'c', 'e', '0', '1',
            '9', '.', '-', '+', 'e', 'E', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'é', '€',
            '😀', '\u{2028}', '\u{FEFF}',
        ]),
        1 => any::<char>(),
    ]
}

fn chars(max: usize) -> impl Strategy<Value = Vec<Ch>> {
    vec(
        (string_char(), 0u8..4).prop_map(|(c, style)| Ch { c, style }),
        0..=max,
    )
}

/// Plain characters (written as is): how object keys are written.
pub fn plain(text: &str) -> Vec<Ch> {
    text.chars().map(|c| Ch { c, style: 0 }).collect()
}

/// Keys: mostly the money field and its near misses.
fn key() -> impl Strategy<Value = Vec<Ch>> {
    prop_oneof![
        6 => select(vec![
            "price", "Price", "PRICE", "price2", "xprice", "prices", "pric", "name", "response",
            "addons", "pri\"ce", "\\price", "price ", "",
        ])
        .prop_map(plain),
        1 => chars(8),
        // `"pric\u0065"` is the key `price` too, but `quote_numbers` compares
        // the key as written: a known gap (reported), left out until fixed.
        if ESCAPED_MONEY_KEYS { 1 } else { 0 } => vec(0u8..4, 5).prop_map(|styles| {
            "price".chars().zip(styles).map(|(c, style)| Ch { c, style }).collect()
        }),
    ]
}

/// Whether to write the money key with escapes (see `key`).
const ESCAPED_MONEY_KEYS: bool = true;

/// A JSON number token: sign, integer, fraction and exponent in every form.
pub fn number() -> impl Strategy<Value = String> {
    let int = prop_oneof![Just(String::from("0")), "[1-9][0-9]{0,20}", "[1-9]",];
    (
        any::<bool>(),
        int,
        proptest::option::of("[0-9]{1,20}"),
        proptest::option::of(("[eE]", select(vec!["", "+", "-"]), "[0-9]{1,2}")),
    )
        .prop_map(|(minus, int, frac, exp)| {
            let mut s = String::new();
            if minus {
                s.push('-');
            }
            s.push_str(&int);
            if let Some(frac) = frac {
                s.push('.');
                s.push_str(&frac);
            }
            if let Some((e, sign, digits)) = exp {
                s.push_str(&e);
                s.push_str(sign);
                s.push_str(&digits);
            }
            s
        })
}

/// A JSON tree with keys and numbers that exercise the money rule.
pub fn tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        1 => Just(J::Null),
        1 => any::<bool>().prop_map(J::Bool),
        4 => number().prop_map(J::Num),
        2 => chars(10).prop_map(J::Str),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            1 => vec(inner.clone(), 0..5).prop_map(J::Arr),
            3 => vec((key(), inner), 0..5).prop_map(J::Obj),
        ]
    })
}

/// Whitespace between tokens.
pub fn ws() -> impl Strategy<Value = Ws> {
    vec(
        select(vec!["", "", "", " ", "\n", "\t", "\r\n", "  "]),
        1..12,
    )
    .prop_map(Ws)
}

/// Writes a tree; with `quote` set, every number of a key in `quote` is
/// written as a string of its text (what `quote_numbers` must produce).
pub struct Writer<'a> {
    ws: &'a Ws,
    next: usize,
    pub out: String,
    quote: &'a [&'a str],
    /// Numbers written as strings.
    pub quoted: usize,
}

impl<'a> Writer<'a> {
    pub fn new(ws: &'a Ws, quote: &'a [&'a str]) -> Self {
        Writer {
            ws,
            next: 0,
            out: String::new(),
            quote,
            quoted: 0,
        }
    }

    fn space(&mut self) {
        let w = self.ws.0[self.next % self.ws.0.len()];
        self.next += 1;
        self.out.push_str(w);
    }

    pub fn value(&mut self, j: &J) {
        self.space();
        match j {
            J::Null => self.out.push_str("null"),
            J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => self.out.push_str(n),
            J::Str(s) => self.string(s),
            J::Arr(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item);
                }
                self.space();
                self.out.push(']');
            }
            J::Obj(members) => {
                self.out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.space();
                    self.string(k);
                    self.space();
                    self.out.push(':');
                    let name: String = k.iter().map(|c| c.c).collect();
                    match v {
                        J::Num(n) if self.quote.contains(&name.as_str()) => {
                            // Exactly the writing of `value` for a number, quoted.
                            self.space();
                            self.out.push('"');
                            self.out.push_str(n);
                            self.out.push('"');
                            self.space();
                            self.quoted += 1;
                        }
                        _ => self.value(v),
                    }
                }
                self.space();
                self.out.push('}');
            }
        }
        self.space();
    }

    fn string(&mut self, s: &[Ch]) {
        self.out.push('"');
        for ch in s {
            push_json_char(&mut self.out, ch.c, ch.style);
        }
        self.out.push('"');
    }
}

/// Appends `c` inside a JSON string, escaped as `style` asks (or as JSON
/// requires).
pub fn push_json_char(out: &mut String, c: char, style: u8) {
    let short = match c {
        '"' => Some('"'),
        '\\' => Some('\\'),
        '/' => Some('/'),
        '\u{8}' => Some('b'),
        '\u{c}' => Some('f'),
        '\n' => Some('n'),
        '\r' => Some('r'),
        '\t' => Some('t'),
        _ => None,
    };
    let must_escape = c == '"' || c == '\\' || c < ' ';
    match (style, short) {
        (3, Some(s)) => {
            out.push('\\');
            out.push(s);
        }
        (0, _) if !must_escape => out.push(c),
        (0, Some(s)) => {
            out.push('\\');
            out.push(s);
        }
        _ => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                if style == 2 {
                    out.push_str(&format!("\\u{unit:04X}"));
                } else {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
}

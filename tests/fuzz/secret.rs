//! The key in no text (`sansio::secret`), errors made by the exchange included.

use super::*;

/// Bytes that a JS `encodeURIComponent` escapes.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');
/// Bytes that a path segment escapes (RFC 3986 unreserved and `@` kept).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'@');

/// `%XX` escapes in lower case.
fn lower_hex(s: &str) -> String {
    let mut out = String::new();
    let mut hex_left = 0;
    for c in s.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            out.push(c);
            if c == '%' {
                hex_left = 2;
            }
        }
    }
    out
}

/// The key as a JSON encoder that escapes `/` and every non-ASCII
/// character writes it (PHP's `json_encode` does).
fn ascii_json(key: &str, upper: bool) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c == '/' {
            out.push_str("\\/");
        } else if c.is_ascii() && c >= ' ' && c != '"' && c != '\\' {
            out.push(c);
        } else {
            json::push_json_char(&mut out, c, if upper { 2 } else { 1 });
        }
    }
    out
}

/// Every form of the key a server may echo: as is; form-encoded;
/// percent-encoded as a path segment, as `encodeURIComponent` and as
/// every non-alphanumeric byte, with upper- and lower-case hex;
/// JSON-escaped as serde_json, with `\/`, and with `\uXXXX` for all
/// non-ASCII (lower and upper case).
fn forms(key: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    let json = serde_json::to_string(key).unwrap();
    let json = &json[1..json.len() - 1];
    let mut all = vec![
        key.to_string(),
        lower_hex(&form),
        form,
        json.to_string(),
        json.replace('/', "\\/"),
        ascii_json(key, false),
        ascii_json(key, true),
    ];
    for set in [SEGMENT, COMPONENT, NON_ALPHANUMERIC] {
        let encoded = utf8_percent_encode(key, set).to_string();
        all.push(lower_hex(&encoded));
        all.push(encoded);
    }
    all.sort();
    all.dedup();
    all
}

#[derive(Clone, Debug)]
enum Piece {
    Filler(String),
    /// One of `forms(key)`.
    Form(Index),
    /// The first (or, with `false`, last) part of the key: only half of it.
    Part(Index, bool),
}

fn pieces() -> impl Strategy<Value = Vec<Piece>> {
    vec(
        prop_oneof![
            2 => text(0..6).prop_map(Piece::Filler),
            3 => any::<Index>().prop_map(Piece::Form),
            1 => (any::<Index>(), any::<bool>()).prop_map(|(i, first)| Piece::Part(i, first)),
        ],
        0..5,
    )
}

fn render(pieces: &[Piece], key: &str, forms: &[String]) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Filler(text) => out.push_str(text),
            Piece::Form(i) => out.push_str(i.get::<String>(forms)),
            Piece::Part(i, first) => {
                let cut = i.index(chars.len().max(1));
                let part: String = if *first {
                    chars[..cut].iter().collect()
                } else {
                    chars[cut.max(1)..].iter().collect()
                };
                out.push_str(&part);
            }
        }
    }
    out
}

fn key_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![
            '/', '+', '=', '&', '%', '"', '\\', ' ', 'é', '€', '😀', '\u{1}', '\n', '\u{7f}',
            '<', ':', '.', '-', '_', '~', '*', '\'', '(', '#', '?', '[', ']', 'd', 'u', '0',
            'a', 'F',
        ]),
        2 => proptest::char::range('a', 'z'),
        1 => any::<char>(),
    ]
}

/// Characters that none of our own wording (messages, `Debug` syntax, the
/// marker, escape sequences) holds: a form that starts and ends with one
/// can only be found inside a text that came from the server or the host.
fn rare(c: char) -> bool {
    !c.is_ascii() || "/+=&%~^|!*$;@#?<>`".contains(c)
}

fn rare_ends(s: &str) -> bool {
    match (s.chars().next(), s.chars().last()) {
        (Some(first), Some(last)) => rare(first) && rare(last),
        _ => false,
    }
}

/// `s` as `Debug` prints it inside a string.
fn debug_form(s: &str) -> String {
    let d = format!("{s:?}");
    d[1..d.len() - 1].to_string()
}

/// The texts an error carries from outside (server, host).
fn outside_texts(e: &Error) -> Vec<String> {
    match e {
        Error::Api {
            errormessage,
            debugmessage,
            body,
            ..
        } => [errormessage, debugmessage, body]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        Error::Network { message, .. } => vec![message.clone()],
        // Our wording, quoting what came from outside (`"…"` spans).
        Error::Decode { message, body, .. } => message
            .split('"')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .chain([body.clone()])
            .collect(),
        _ => vec![],
    }
}

/// `e` with the texts from outside emptied: our own wording only.
fn skeleton(e: &Error) -> Error {
    let mut e = e.clone();
    match &mut e {
        Error::Api {
            errormessage,
            debugmessage,
            body,
            ..
        } => {
            for text in [errormessage, debugmessage, body].into_iter().flatten() {
                text.clear();
            }
        }
        Error::Network { message, .. } => message.clear(),
        Error::Decode { body, .. } => body.clear(),
        _ => {}
    }
    e
}

/// The scrubbing property: no form of the key between two markers.
fn assert_clean(what: &str, text: &str, forms: &[String]) -> Result<(), TestCaseError> {
    for piece in text.split(REDACTED) {
        for form in forms {
            prop_assert!(
                !piece.contains(form.as_str()),
                "{} holds the key as {:?}: {:?}",
                what,
                form,
                text
            );
        }
    }
    Ok(())
}

/// Every text of `e`, and how it prints, free of the key.
fn assert_error_clean(e: &Error, forms: &[String]) -> Result<(), TestCaseError> {
    // Each text from outside: no form of the key between markers.
    for text in outside_texts(e) {
        assert_clean("a text of the error", &text, forms)?;
    }
    if let Some(body) = e.body() {
        assert_clean("body()", body, forms)?;
    }
    // What the error prints is our wording plus those texts. Our wording
    // holds no `rare` character, so a form with rare ends found there can
    // only come from a text from outside (`Debug` escapes texts, so it is
    // looked for as `Debug` prints it).
    let own = skeleton(e);
    let wording = format!("{own} {own:?} {own:#?}");
    prop_assert!(
        !wording.chars().any(rare),
        "our wording has a rare character: {}",
        wording
    );
    let shown: Vec<&String> = forms.iter().filter(|f| rare_ends(f)).collect();
    let debug: Vec<String> = forms
        .iter()
        .map(|f| debug_form(f))
        .filter(|f| rare_ends(f))
        .collect();
    let shown: Vec<String> = shown.into_iter().cloned().collect();
    assert_clean("to_string()", &e.to_string(), &shown)?;
    assert_clean("message()", &e.message(), &shown)?;
    assert_clean("Debug", &format!("{e:?}"), &debug)?;
    assert_clean("pretty Debug", &format!("{e:#?}"), &debug)?;
    Ok(())
}

/// Whether to check the body of an error whose body the core cut before
/// removing the key: `secret::body_excerpt` reads 4,096 + 6 × (key length)
/// characters, which may end inside a form of the key (a 3-byte character
/// percent-encoded takes 9, a 4-byte one 12) or, when the key's forms are
/// longer than the marker, leave fewer than 4,096 characters after
/// scrubbing with a cut form at their end (`/€/` echoed 400 times as
/// `%2F%E2%82%AC%2F` ends in `%2F%E2%82%AC%`); and the error is scrubbed
/// again after the cut, which finds the key `c` in a marker cut to
/// `[redacte` (`[reda[redacted]te`). Known gaps (reported), left out until
/// fixed; bodies not cut are checked.
const BODY_CUT_AFTER_SCRUB: bool = true;

#[derive(Clone, Debug)]
struct Echo {
    scenario: u8,
    status: u16,
    errormessage: Vec<Piece>,
    debugmessage: Vec<Piece>,
    body: Vec<Piece>,
    json_style: u8,
    /// A long body: this many characters before it (around the 4,096 at
    /// which bodies are cut), and it repeated to some 6,000 characters.
    long: Option<usize>,
}

fn echo() -> impl Strategy<Value = Echo> {
    (
        (0u8..7, select(vec![400u16, 401, 403, 429, 500, 502, 503])),
        (pieces(), pieces(), pieces()),
        0u8..4,
        proptest::option::weighted(0.15, prop_oneof![Just(0usize), 4000usize..4100]),
    )
        .prop_map(
            |((scenario, status), (errormessage, debugmessage, body), json_style, long)| Echo {
                scenario,
                status,
                errormessage,
                debugmessage,
                body,
                json_style,
                long,
            },
        )
}

/// A JSON text as servers write it: 1 with `\/`, 2 with `\uXXXX` for
/// non-ASCII, 3 both (upper-case hex).
fn restyle(json_text: &str, style: u8) -> String {
    let mut out = String::new();
    for c in json_text.chars() {
        match c {
            '/' if style & 1 == 1 => out.push_str("\\/"),
            c if !c.is_ascii() && style & 2 == 2 => {
                json::push_json_char(&mut out, c, if style == 3 { 2 } else { 1 })
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn key_scrubbing() {
    let key = vec(key_char(), 1..=20).prop_map(String::from_iter);
    let strategy = (key, echo(), op(), pieces());
    run("key_scrubbing", strategy, |(key, echo, op, loose)| {
        let forms = forms(&key);
        let api_key = ApiKey::new(key.clone());
        let em = render(&echo.errormessage, &key, &forms);
        let dm = render(&echo.debugmessage, &key, &forms);
        let mut body = render(&echo.body, &key, &forms);
        if let Some(pad) = echo.long {
            let times = (6_000 / body.chars().count().max(1)).clamp(1, 400);
            body = format!("{}{}", "x".repeat(pad), body.repeat(times));
        }

        // scrub() alone, on any mix of forms and text.
        let text = render(&loose, &key, &forms);
        let scrubbed = secret::scrub(&text, &key);
        assert_clean("scrub()", &scrubbed, &forms)?;
        // Nothing but the key goes: the rest is the text's, in order.
        let mut rest = text.as_str();
        for piece in scrubbed.split(REDACTED) {
            let at = rest.find(piece).or_fail("a piece of the input")?;
            rest = &rest[at + piece.len()..];
        }
        // Scrubbing twice is scrubbing once.
        prop_assert_eq!(&secret::scrub(&scrubbed, &key), &scrubbed);
        let untouchable = |c: char| key.contains(c) || matches!(c, '%' | '+' | '\\');
        if !text.chars().any(untouchable) {
            prop_assert_eq!(&scrubbed, &text);
        }

        // Errors made by the call from what a server or host sent back.
        let (op, status, raw) = match echo.scenario {
            0 | 1 => {
                let envelope = json!({ "response": {
                    "status": "ERROR", "statuscode": 401, "errormessage": em,
                    "debugmessage": dm, "detail": body,
                }});
                let status = if echo.scenario == 0 { 200 } else { echo.status };
                (op, status, restyle(&envelope.to_string(), echo.json_style))
            }
            2 => (op, echo.status, format!("<html>{em}{dm}{body}</html>")),
            3 => (op, 200, format!("{em}<{dm}>{body}")),
            4 => {
                let envelope = json!({ "response": {
                    "accounts": em, "note": dm, "detail": body,
                }});
                (
                    &ops::LIST_ACCOUNTS,
                    200,
                    restyle(&envelope.to_string(), echo.json_style),
                )
            }
            _ => (op, 0, em.clone()),
        };
        // No retries: every step is the call's error.
        let mut ex = exchange(op, 0, &key);
        let next = match echo.scenario {
            5 | 6 => {
                ex.start_attempt(CLOCK.now_ms);
                let failure = if echo.scenario == 5 {
                    Failure::Network(raw.clone())
                } else {
                    Failure::Aborted
                };
                ex.on_failure(failure, CLOCK)
            }
            _ => answer(&mut ex, status, None, raw.as_bytes(), &[], CLOCK),
        };
        match next {
            Next::Fail(e) => {
                assert_error_clean(&e, &forms)?;
                // A body is the start of the body with the key removed:
                // removed first, then cut, so no key shows in part at the cut.
                let scrubbed = secret::scrub(&raw, &key);
                let uncut = raw.chars().count() <= 4096 && scrubbed.chars().count() <= 4096;
                if matches!(echo.scenario, 2 | 3) && (uncut || BODY_CUT_AFTER_SCRUB) {
                    // ... and a `[redacted]` marker that the cut would split
                    // is left out whole (half a marker could read as the key).
                    let mut want = excerpt(&scrubbed);
                    if let Some(start) = want.rfind('[') {
                        let split = want.len() - start < secret::REDACTED.len()
                            && scrubbed[start..].starts_with(secret::REDACTED);
                        if split {
                            want.truncate(start);
                        }
                    }
                    prop_assert_eq!(e.body(), Some(want.as_str()));
                }
            }
            other => return Err(TestCaseError::fail(format!("an echo gave {other:?}"))),
        }

        // The configuration never shows the key, in any form.
        let config = |key: &str| Config::new(BASE, "r", key);
        prop_assert_eq!(
            format!("{:?}", config(&key)),
            format!("{:?}", config("other"))
        );
        let settings = |key: &str| Settings::new(config(key)).ok().map(|s| format!("{s:?}"));
        prop_assert_eq!(settings(&key), settings("other"));
        prop_assert_eq!(format!("{api_key:?}"), REDACTED);
        Ok(())
    });
}

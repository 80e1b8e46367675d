//! The JSON check (`sansio::json_check`).

use super::*;

/// Nesting depth of a JSON text (brackets outside strings).
fn json_depth(s: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0, false, false);
    for b in s.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

fn json_case() -> impl Strategy<Value = String> {
    let written = || {
        (json::tree(), json::ws()).prop_map(|(tree, ws)| {
            let mut w = json::Writer::new(&ws, &[]);
            w.value(&tree);
            w.out
        })
    };
    let noise = prop_oneof![
        4 => select(vec![
            "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "\\uDC00", "0", "-",
            "1.", ".5", "e5", "E+", "01", "-0", "true", "fals", "null", " ", "\t", "\u{0}",
            "\u{1f}", "\u{a0}", "\u{FEFF}", "é", "x", "'",
        ])
        .prop_map(String::from),
        1 => text(0..3),
    ];
    prop_oneof![
        3 => written(),
        3 => (written(), vec((any::<Index>(), noise.clone(), any::<bool>()), 1..3)).prop_map(
            |(text, edits)| {
                let mut chars: Vec<char> = text.chars().collect();
                for (at, piece, delete) in edits {
                    let i = at.index(chars.len() + 1);
                    if delete && i < chars.len() {
                        chars.remove(i);
                    } else {
                        chars.splice(i..i, piece.chars());
                    }
                }
                chars.into_iter().collect()
            }
        ),
        2 => vec(noise, 0..12).prop_map(|parts| parts.concat()),
        1 => (1usize..200, any::<bool>()).prop_map(|(depth, array)| {
            let (open, close) = if array { ("[", "]") } else { ("{\"a\":", "}") };
            format!("{}1{}", open.repeat(depth), close.repeat(depth))
        }),
    ]
}

#[test]
fn json_text() {
    run("json_text", json_case(), |s| {
        // The reference: serde_json's syntax check, with the checker's
        // depth limit (JSON.parse, its wasm counterpart, has a larger one).
        let reference = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
        let ours = request::is_json(&s);
        if json_depth(&s) <= 128 {
            prop_assert_eq!(ours, reference, "{:?}", s);
        } else {
            prop_assert!(!ours, "{:?} is deeper than the limit", s);
        }
        Ok(())
    });
}

/// The same text fed as bytes in arbitrary chunks, some bytes replaced by
/// arbitrary ones (invalid UTF-8 among them): the streaming checker gives
/// the one-chunk answer, and agrees with serde_json over the bytes.
#[test]
fn json_stream() {
    let case = (
        json_case(),
        vec((any::<Index>(), any::<u8>()), 0..3),
        vec(any::<Index>(), 0..6),
    );
    run("json_stream", case, |(text, swaps, cuts)| {
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            for (at, b) in swaps {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
        }
        let whole = Checker::check(&bytes);
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        at.sort_unstable();
        let mut checker = Checker::new();
        let mut from = 0;
        let mut fed = Ok(());
        for to in at.into_iter().chain([bytes.len()]) {
            fed = fed.and_then(|()| checker.feed(&bytes[from..to]));
            from = to;
        }
        let chunked = fed.and_then(|()| checker.finish());
        prop_assert_eq!(chunked, whole, "{:?}", bytes);
        // serde_json skips the strings it ignores without checking UTF-8.
        let reference = std::str::from_utf8(&bytes)
            .is_ok_and(|s| serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok());
        let depth = json_depth(&String::from_utf8_lossy(&bytes));
        if depth <= 128 {
            prop_assert_eq!(whole.is_ok(), reference, "{:?}", bytes);
        } else {
            prop_assert!(whole.is_err(), "{:?} is deeper than the limit", bytes);
        }
        Ok(())
    });
}

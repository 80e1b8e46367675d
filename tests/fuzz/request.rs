//! Input checks (`sansio::request`): datetimes, unknown params.

use super::*;

/// The reference: chrono's `%Y-%m-%d %H:%M:%S`, plus the exact shape of
/// API.md (chrono alone also takes `+2024-1-1 0:0:0` and other spellings).
///
/// Two deliberate differences from the calendar, both from API.md ("month
/// 01-12, day 01-31, hour 00-23, minute and second 00-59"): day 31 is
/// accepted in every month (`2024-02-31` is the server's to refuse; the
/// check catches typos and formats, not calendars), so chrono is asked
/// about the first of the month and the day is checked against 01-31; and
/// second 60, which chrono reads as a leap second, is refused.
fn reference_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 {
        return false;
    }
    let shape = b.iter().enumerate().all(|(i, &c)| match i {
        4 | 7 => c == b'-',
        10 => c == b' ',
        13 | 16 => c == b':',
        _ => c.is_ascii_digit(),
    });
    if !shape {
        return false;
    }
    // A real calendar moment of years 0001-9999 (API.md; chrono knows
    // which days each month has), no leap second.
    s[..4] != *"0000"
        && match NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
            Ok(t) => t.nanosecond() < 1_000_000_000,
            Err(_) => false,
        }
}

/// A field of the pattern: mostly in range, sometimes any two digits.
pub(super) fn field(valid: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = u32> {
    prop_oneof![3 => valid, 1 => 0u32..=99]
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
}

fn near_miss_datetime() -> impl Strategy<Value = String> {
    let noise = prop_oneof![
        4 => proptest::char::range('0', '9'),
        2 => select(vec!['-', ':', ' ', 'T', 'Z', '.', '+', '/']),
        1 => select(vec!['２', '٣', '\0', '\u{a0}', 'é']),
    ];
    (
        (0u32..=9999, field(1..=12), field(1..=31)),
        (field(0..=23), field(0..=59), field(0..=59)),
        vec(
            prop_oneof![
                (any::<Index>(), noise.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
                (any::<Index>(), noise).prop_map(|(i, c)| Mutation::Insert(i, c)),
                any::<Index>().prop_map(Mutation::Delete),
            ],
            0..3,
        ),
    )
        .prop_map(|((y, mo, d), (h, mi, s), mutations)| {
            let mut chars: Vec<char> = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                .chars()
                .collect();
            for m in mutations {
                match m {
                    Mutation::Replace(i, c) if !chars.is_empty() => {
                        let i = i.index(chars.len());
                        chars[i] = c;
                    }
                    Mutation::Insert(i, c) => chars.insert(i.index(chars.len() + 1), c),
                    Mutation::Delete(i) if !chars.is_empty() => {
                        chars.remove(i.index(chars.len()));
                    }
                    _ => {}
                }
            }
            chars.into_iter().collect()
        })
}

#[test]
fn datetime() {
    let strategy = prop_oneof![
        2 => text(0..24),
        2 => "[0-9: T-]{15,21}",
        6 => near_miss_datetime(),
    ];
    run("datetime", strategy, |s| {
        prop_assert_eq!(request::is_datetime(&s), reference_datetime(&s), "{:?}", s);
        Ok(())
    });
}

/// A documented name spelled differently: case changed, `_`/`-` added or
/// removed.
fn respell(name: &str, case: &[bool], seps: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        let sep = seps.get(i).copied().unwrap_or(0);
        if c == '_' && sep == 1 {
            continue; // dropped
        }
        if sep == 2 {
            out.push('_');
        } else if sep == 3 {
            out.push('-');
        }
        if case.get(i).copied().unwrap_or(false) {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn normalized(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[test]
fn unknown_params() {
    let strategy = (
        op(),
        any::<Index>(),
        vec(any::<bool>(), 24),
        vec(prop_oneof![6 => Just(0u8), 1 => 1u8..4], 24),
        prop_oneof![2 => Just(None), 1 => text(0..40).prop_map(Some)],
    );
    run(
        "unknown_params",
        strategy,
        |(op, which, case, seps, arbitrary)| {
            let respelled = (!op.params.is_empty()).then(|| {
                let name = which.get(op.params).name;
                (name, respell(name, &case, &seps))
            });
            let key = match (arbitrary, &respelled) {
                (Some(text), _) => text,
                (None, Some((_, respelled))) => respelled.clone(),
                (None, None) => String::new(),
            };
            let e = request::unknown_param(op, &key);
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            prop_assert_eq!(e.operation(), op.name);
            let message = e.to_string();
            let named = format!("unknown parameter \"{key}\"");
            prop_assert!(
                message.contains(&named),
                "{} does not name {:?}",
                message,
                key
            );
            if op.params.is_empty() {
                prop_assert!(message.contains("takes no parameters"), "{}", message);
            }
            // A key that differs from a documented one only by case, `_` or `-`
            // is told that one.
            let same: Vec<&str> = op
                .params
                .iter()
                .map(|p| p.name)
                .filter(|name| normalized(name) == normalized(&key))
                .collect();
            if !same.is_empty() {
                prop_assert!(
                    same.iter()
                        .any(|name| message.contains(&format!("did you mean {name}?)"))),
                    "{} does not suggest {:?}",
                    message,
                    same
                );
            }
            Ok(())
        },
    );
}

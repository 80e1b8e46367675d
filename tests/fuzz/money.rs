//! Money text (`sansio::money::quote_numbers`, the public `keep_money_text`).

use super::*;

/// Whether `out` is `input` with only `"` inserted.
fn only_quotes_inserted(input: &str, out: &str) -> bool {
    let mut rest = input.chars().peekable();
    for c in out.chars() {
        if rest.peek() == Some(&c) {
            rest.next();
        } else if c != '"' {
            return false;
        }
    }
    rest.next().is_none()
}

#[test]
fn money() {
    let strategy = (json::tree(), json::ws(), text(0..12), any::<Index>());
    run("money", strategy, |(tree, ws, noise, at)| {
        let mut sent = json::Writer::new(&ws, &[]);
        sent.value(&tree);
        // The same writing with every money number quoted: what must come back.
        let mut want = json::Writer::new(&ws, &["price"]);
        want.value(&tree);
        let out = quote_numbers(&sent.out, &["price"]);
        if want.quoted == 0 {
            prop_assert_eq!(out.as_deref(), None, "{}", sent.out);
        } else {
            prop_assert_eq!(out.as_deref(), Some(want.out.as_str()), "{}", sent.out);
        }
        let got: Value =
            serde_json::from_str(out.as_deref().unwrap_or(&sent.out)).or_fail("JSON")?;
        let expected: Value = serde_json::from_str(&want.out).or_fail("JSON")?;
        prop_assert_eq!(got, expected);

        // Any text at all (here: the document with noise inserted): no panic,
        // and nothing but quotes inserted.
        let mut noisy = sent.out.clone();
        let mut i = at.index(noisy.len() + 1);
        while !noisy.is_char_boundary(i) {
            i -= 1;
        }
        noisy.insert_str(i, &noise);
        for input in [noisy.as_str(), noise.as_str()] {
            if let Some(out) = quote_numbers(input, &["price"]) {
                prop_assert!(
                    only_quotes_inserted(input, &out),
                    "{:?} -> {:?}",
                    input,
                    out
                );
            }
        }
        Ok(())
    });
}

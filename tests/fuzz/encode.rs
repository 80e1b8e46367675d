//! Path segments, queries and forms (`sansio::encode`, `sansio::request::build`).

use super::*;

/// Bytes a path segment may hold as they are: RFC 3986 unreserved and `@`.
fn segment_byte_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@' | b'%')
}

#[test]
fn path_segments() {
    let special = select(vec![
        "",
        ".",
        "..",
        "...",
        ". ",
        " .",
        "%2e",
        "%2E%2E",
        ".%2E",
        "%2e.",
        "../a",
        "a/..",
        "/",
        "//",
        "?",
        "#",
        "%",
        "%%",
        "%zz",
        "%2F",
        "@",
        " ",
        "+",
        "\\",
        "..\\a",
        "\u{FF0E}\u{FF0E}",
    ])
    .prop_map(String::from);
    let arg = prop_oneof![1 => special, 6 => text(0..12)];
    let strategy = (op(), arg.clone(), vec(arg, 2));
    run("path_segments", strategy, |(op, reseller, args)| {
        let settings = Settings::new(Config::new(BASE, &reseller, "k"));
        if is_refused_arg(&reseller) {
            let e = settings
                .err()
                .or_fail("a refused reseller id was accepted")?;
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            return Ok(());
        }
        let settings = settings.or_fail("Settings::new")?;
        let names = arg_names(op);
        let args: Vec<&str> = args.iter().take(names.len()).map(String::as_str).collect();
        for (name, arg) in names.iter().zip(&args) {
            let checked = request::check_path_arg(op.name, name, arg);
            prop_assert_eq!(
                checked.is_err(),
                is_refused_arg(arg),
                "check_path_arg({:?})",
                arg
            );
        }
        let built = request::build(op, settings.target(), &args, &valid_params(op));
        if let Some((name, _)) = names.iter().zip(&args).find(|(_, a)| is_refused_arg(a)) {
            let e = built
                .err()
                .or_fail("a refused path argument was accepted")?;
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            prop_assert_eq!(e.operation(), op.name);
            prop_assert!(e.message().contains(name), "{} does not name {}", e, name);
            return Ok(());
        }
        let req = built.or_fail("build")?;
        let url = req.url.as_str();

        // Nothing in an argument adds a fragment or a query.
        prop_assert!(!url.contains('#'), "{}", url);
        let (path, query) = match url.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (url, None),
        };
        prop_assert_eq!(query.is_some(), op.method.uses_query(), "{}", url);

        // Nor a segment: the segments are the template's, each decoding back
        // to its argument exactly.
        let rest = path
            .strip_prefix("http://h.test/api/")
            .or_fail("the URL starts with the base")?;
        let segments: Vec<&str> = rest.split('/').collect();
        let mut want: Vec<&str> = vec!["resellers", &reseller];
        let mut next_arg = args.iter();
        for segment in op.path {
            want.push(match segment {
                Segment::Literal(text) => text,
                Segment::Arg(_) => next_arg.next().or_fail("an argument per Arg")?,
            });
        }
        prop_assert_eq!(segments.len(), want.len(), "{}", url);
        for (segment, want) in segments.iter().zip(&want) {
            let decoded = percent_decode_str(segment).decode_utf8().or_fail("UTF-8")?;
            prop_assert_eq!(&decoded, want, "segment {:?}", segment);
            prop_assert!(segment.bytes().all(segment_byte_ok), "{:?}", segment);
            prop_assert!(*segment != "." && *segment != "..", "{:?}", segment);
        }

        // A WHATWG URL parser (what fetch uses) keeps every segment as is:
        // none is folded away as a dot segment, none is re-encoded.
        let parsed = url::Url::parse(url).or_fail("url::Url::parse")?;
        let parsed_segments: Vec<&str> = parsed.path_segments().or_fail("a path")?.collect();
        let mut expected = vec!["api"];
        expected.extend(&segments);
        prop_assert_eq!(parsed_segments, expected);
        prop_assert_eq!(parsed.fragment(), None);
        prop_assert_eq!(parsed.query(), query);
        Ok(())
    });
}

#[derive(Clone, Debug)]
struct ParamSeed {
    present: bool,
    text: String,
    datetime: (u16, u8, u8, u8, u8, u8),
    json: u8,
    code: Index,
}

fn param_seed() -> impl Strategy<Value = ParamSeed> {
    (
        any::<bool>(),
        text(0..16),
        (
            1u16..=9999,
            1u8..=12,
            1u8..=28,
            0u8..=23,
            0u8..=59,
            0u8..=59,
        ),
        0u8..4,
        any::<Index>(),
    )
        .prop_map(|(present, text, datetime, json, code)| ParamSeed {
            present,
            text,
            datetime,
            json,
            code,
        })
}

/// A value `kind` accepts, or `None` for an optional one left out.
fn param_value(required: bool, kind: ParamKind, seed: &ParamSeed) -> Option<String> {
    if !required && !seed.present {
        return None;
    }
    Some(match kind {
        ParamKind::Text if seed.text.is_empty() && required => String::from("x"),
        ParamKind::Text => seed.text.clone(),
        ParamKind::Datetime => {
            let (y, mo, d, h, mi, s) = seed.datetime;
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
        }
        ParamKind::Json => match seed.json {
            0 => String::from("{}"),
            1 => serde_json::to_string(&seed.text).unwrap(),
            2 => json!({ "phone": seed.text }).to_string(),
            _ => String::from(" [1, 2.5e3, null, true] "),
        },
        ParamKind::OneOf(codes) => String::from(*seed.code.get(codes)),
    })
}

#[test]
fn query_and_form() {
    let strategy = (op(), text(1..16), vec(param_seed(), 8), text(0..24));
    run("query_and_form", strategy, |(op, key, seeds, free)| {
        // The encoders alone: the WHATWG form serializer, byte for byte, and
        // a path segment that decodes back.
        let mut form = String::new();
        encode::push_form_value(&mut form, &free);
        let reference: String = form_urlencoded::byte_serialize(free.as_bytes()).collect();
        prop_assert_eq!(&form, &reference);
        let mut segment = String::new();
        encode::push_segment(&mut segment, &free);
        prop_assert_eq!(
            percent_decode_str(&segment)
                .decode_utf8()
                .or_fail("UTF-8")?,
            free.as_str()
        );
        let mut pairs = String::from("/x?");
        encode::push_pair(&mut pairs, &free, &key);
        encode::push_pair(&mut pairs, "b", &free);
        let parsed: Vec<(String, String)> = form_urlencoded::parse(&pairs.as_bytes()[3..])
            .into_owned()
            .collect();
        prop_assert_eq!(
            parsed,
            vec![(free.clone(), key.clone()), ("b".into(), free.clone())]
        );

        // A whole request: the params in order, then the key.
        let values: Vec<Option<String>> = op
            .params
            .iter()
            .zip(&seeds)
            .map(|(p, seed)| param_value(p.required, p.kind, seed))
            .collect();
        let params: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let args = vec!["a b/é?#%"; arg_names(op).len()];
        let req = request::build(op, target(&key), &args, &params).or_fail("build")?;
        let mut want: Vec<(String, String)> = op
            .params
            .iter()
            .zip(&values)
            .filter_map(|(p, v)| Some((String::from(p.name), v.clone()?)))
            .collect();
        want.push(("apikey".into(), key.clone()));
        let encoded = if op.method.uses_query() {
            prop_assert!(req.body.is_none());
            req.url.split_once('?').or_fail("a query")?.1
        } else {
            prop_assert!(!req.url.contains('?'), "{}", req.url);
            req.body.as_deref().or_fail("a body")?
        };
        let parsed: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
            .into_owned()
            .collect();
        prop_assert_eq!(&parsed, &want);
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &want {
            serializer.append_pair(name, value);
        }
        prop_assert_eq!(encoded, serializer.finish());

        // The URL that logs show: the same, with the key's value redacted.
        let shown = req.shown_url();
        if op.method.uses_query() {
            let (head, shown_query) = shown.split_once('?').or_fail("a query")?;
            prop_assert_eq!(head, req.url.split_once('?').or_fail("a query")?.0);
            let parsed: Vec<(String, String)> = form_urlencoded::parse(shown_query.as_bytes())
                .into_owned()
                .collect();
            let mut redacted = want.clone();
            redacted.last_mut().or_fail("the key")?.1 = REDACTED.into();
            prop_assert_eq!(parsed, redacted);
        } else {
            prop_assert_eq!(&shown, &req.url);
        }
        Ok(())
    });
}

//! serde helpers for the generated types, so that what the core's check
//! accepts ([`crate::sansio::call`]), serde accepts too.

use core::fmt;

use serde::de::{self, Deserializer, Visitor};

use crate::sansio::document::parse_int;

/// An int field: a whole number, or a string of one (`"401"`), or null.
pub fn int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct Int;

    impl<'de> Visitor<'de> for Int {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            let whole = v as i64;
            if whole as f64 == v {
                Ok(Some(whole))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            parse_int(v)
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Int)
        }
    }

    deserializer.deserialize_any(Int)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "super::int")]
        n: Option<i64>,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn ints_from_numbers_digit_strings_and_null() {
        assert_eq!(row(r#"{"n": 7}"#).ok(), Some(Row { n: Some(7) }));
        assert_eq!(row(r#"{"n": "401"}"#).ok(), Some(Row { n: Some(401) }));
        assert_eq!(row(r#"{"n": 2.0}"#).ok(), Some(Row { n: Some(2) }));
        assert_eq!(row(r#"{"n": null}"#).ok(), Some(Row { n: None }));
        assert_eq!(row("{}").ok(), Some(Row { n: None }));
        for bad in [
            r#"{"n": 1.5}"#,
            r#"{"n": "x"}"#,
            r#"{"n": true}"#,
            r#"{"n": {}}"#,
        ] {
            assert!(row(bad).is_err(), "{bad}");
        }
    }
}

//! Whether JSON text has an object with a key twice, at any depth — without building a
//! tree. Used before JSON from the input is copied into a document as written.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// True when `json` is valid and has a duplicate key, false otherwise (invalid JSON is
/// the parser's business elsewhere).
#[cfg(test)]
pub(crate) fn has_duplicate_keys(json: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(json);
    matches!(Check.deserialize(&mut de), Err(e) if e.to_string().starts_with(DUPLICATE))
}

/// True when `json` can be copied into a document as written: it parses as one value, no
/// object in it has a key twice, and every number is in range (`1e552` passes a raw-value
/// scan but no strict reader accepts it; found by the `line` fuzzer).
pub(crate) fn copy_safe(json: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(json);
    Check.deserialize(&mut de).is_ok() && de.end().is_ok()
}

const DUPLICATE: &str = "duplicate key";

struct Check;

impl<'de> DeserializeSeed<'de> for Check {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Check)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Check)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // A short list while objects are small (most are); a hash set beyond, so a crafted
        // object with many keys costs linear time, not quadratic.
        let mut few: Vec<Cow<'de, str>> = Vec::new();
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(k) = map.next_key::<Cow<'de, str>>()? {
            let seen = if many.is_empty() && few.len() < 16 {
                let seen = few.contains(&k);
                few.push(k);
                seen
            } else {
                many.extend(few.drain(..));
                !many.insert(k)
            };
            if seen {
                // Stop at once: the rest need not be read.
                let _ = map.next_value::<IgnoredAny>();
                return Err(de::Error::custom(DUPLICATE));
            }
            map.next_value_seed(Check)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::has_duplicate_keys;

    #[test]
    fn finds_a_key_twice_at_any_depth() {
        assert!(has_duplicate_keys(r#"{"a":1,"a":2}"#));
        assert!(has_duplicate_keys(r#"{"x":[{"b":1},{"c":{"d":1,"d":1}}]}"#));
        // Escapes name the same key.
        assert!(has_duplicate_keys(r#"{"a":1,"\u0061":2}"#));
        assert!(!has_duplicate_keys(
            r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#
        ));
        assert!(!has_duplicate_keys("[1,2,3]"));
        assert!(super::copy_safe(r#"{"a":[1,2.5,-3e10],"b":"x"}"#));
        assert!(!super::copy_safe("1e552"));
        assert!(!super::copy_safe(r#"{"a":{"b":[1e400]}}"#));
        assert!(!super::copy_safe(r#"{"a":1,"a":2}"#));
        assert!(!has_duplicate_keys(r#"{"a":"#));
        // Past the short list.
        let many: Vec<String> = (0..1000).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(!has_duplicate_keys(&format!("{{{}}}", many.join(","))));
        assert!(has_duplicate_keys(&format!(
            "{{{},\"k999\":0}}",
            many.join(",")
        )));
        assert!(has_duplicate_keys(&format!(
            "{{{},\"k3\":0}}",
            many.join(",")
        )));
    }
}

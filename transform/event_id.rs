//! `event.id`: a deterministic id per document, so that a sink keyed on it (Elasticsearch
//! `_id`) turns a replay into an overwrite. The construction is given once, for users, in
//! the field's declaration (`schema.rs` → docs/output.md); this is its code.
//!
//! XXH3-128 (seed 0, default secret) over a framed, versioned input, written as 32
//! lowercase hex digits of the 128-bit value, most significant first (what
//! `xxh3_128_hexdigest` prints). Hashed once per document, streamed into a hasher on the
//! stack: no allocation, no copy of the line.

use xxhash_rust::xxh3::Xxh3Default;

/// The domain tag, versioned: a change to what is hashed takes a new number.
const TAG: &[u8] = b"nps-enrich/event.id/1";

/// The byte after the tag: which form follows.
const LINE_NO_POSITION: u8 = 0;
const LINE_AT_POSITION: u8 = 1;
const WINDOWS_RECORD: u8 = 2;

/// 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventId([u8; 32]);

impl EventId {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn from_hash(h: u128) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 32];
        for (i, b) in h.to_be_bytes().iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        EventId(out)
    }

    /// A line's id: the text the transformer reads (after its line end and BOM are
    /// removed, decoded to UTF-8) and the byte offset of the line's start when known.
    /// The position is always 8 bytes (zero when unknown, told apart by the form byte), so
    /// the line's bytes start at a fixed place and no two inputs frame alike.
    pub(crate) fn line(text: &str, at: Option<u64>) -> Self {
        let mut h = Xxh3Default::new();
        h.update(TAG);
        h.update(&[if at.is_some() {
            LINE_AT_POSITION
        } else {
            LINE_NO_POSITION
        }]);
        h.update(&at.unwrap_or(0).to_le_bytes());
        h.update(text.as_bytes());
        EventId::from_hash(h.digest128())
    }

    /// A Windows event's id from what names it uniquely: the record id is unique per
    /// channel on a computer, and a provider and event id pin it further. Each field is
    /// length-prefixed (u64 little-endian), so no two tuples frame alike.
    pub(crate) fn windows_record(
        computer: &str,
        channel: &str,
        provider: &str,
        event_id: u32,
        record_id: &str,
    ) -> Self {
        let mut h = Xxh3Default::new();
        h.update(TAG);
        h.update(&[WINDOWS_RECORD]);
        let mut code = itoa::Buffer::new();
        for field in [
            computer,
            channel,
            provider,
            code.format(event_id),
            record_id,
        ] {
            h.update(&(field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        EventId::from_hash(h.digest128())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: EventId) -> String {
        String::from_utf8(id.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn streaming_equals_one_shot_over_the_framed_input() {
        let line = "10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0";
        let mut framed = TAG.to_vec();
        framed.push(1);
        framed.extend_from_slice(&4096u64.to_le_bytes());
        framed.extend_from_slice(line.as_bytes());
        let expect = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&framed));
        assert_eq!(s(EventId::line(line, Some(4096))), expect);
        // Long input too (the streaming hasher changes path past 240 bytes).
        let long = line.repeat(40);
        let mut framed = TAG.to_vec();
        framed.push(0);
        framed.extend_from_slice(&[0; 8]);
        framed.extend_from_slice(long.as_bytes());
        let expect = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&framed));
        assert_eq!(s(EventId::line(&long, None)), expect);
    }

    #[test]
    fn position_known_at_zero_is_not_position_unknown() {
        assert_ne!(EventId::line("x", Some(0)), EventId::line("x", None));
    }

    #[test]
    fn windows_fields_do_not_run_into_each_other() {
        assert_ne!(
            EventId::windows_record("ab", "c", "p", 1, "2"),
            EventId::windows_record("a", "bc", "p", 1, "2")
        );
    }
}

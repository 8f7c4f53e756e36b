//! The one JSON writer: compact objects with a fixed key order, written straight into the
//! caller's reused buffer. Static keys are quoted at compile time (`k!`) and written with
//! their separators in one copy; every value string is escaped here, so a crafted input can
//! never break out of its string.

/// The width static keys are padded to, so that writing one is a single fixed-size copy
/// (two vector moves, no call) followed by a truncation.
const KEY_WIDTH: usize = 32;

/// A static member key as it is written after another member: `,"name":`, quoted at compile
/// time by `k!("name")` (the comma is left off for an object's first member).
pub(crate) type K = &'static Quoted;

/// `,"name":` padded to [`KEY_WIDTH`] bytes.
#[derive(Debug)]
pub(crate) struct Quoted {
    bytes: [u8; KEY_WIDTH],
    len: usize,
    #[cfg(feature = "internals")]
    quoted: &'static str,
}

impl Quoted {
    /// `quoted` must be `,"name":` with a name that needs no escaping: use `k!`.
    pub(crate) const fn new(quoted: &'static str) -> Self {
        let b = quoted.as_bytes();
        let n = b.len();
        assert!(n >= 4 && b[0] == b',' && b[1] == b'"' && b[n - 2] == b'"' && b[n - 1] == b':');
        assert!(n < KEY_WIDTH, "a key too long for k! (use Json::key_str)");
        let mut bytes = [0u8; KEY_WIDTH];
        let mut i = 0;
        while i < n {
            if i >= 2 && i < n - 2 {
                assert!(
                    b[i] >= 0x20 && b[i] != b'"' && b[i] != b'\\',
                    "a key needs escaping"
                );
            }
            bytes[i] = b[i];
            i += 1;
        }
        Quoted {
            bytes,
            len: n,
            #[cfg(feature = "internals")]
            quoted,
        }
    }

    /// The bare name (for the output reference).
    #[cfg(feature = "internals")]
    pub(crate) fn name(&self) -> &'static str {
        &self.quoted[2..self.len - 2]
    }
}

/// `k!("name")`: the key `,"name":`, quoted and checked at compile time.
macro_rules! k {
    ($name:literal) => {
        const { &$crate::write::Quoted::new(concat!(",\"", $name, "\":")) }
    };
}
pub(crate) use k;

/// Writes JSON into `buf`, tracking only whether the next member needs a comma.
#[derive(Debug)]
pub(crate) struct Json<'a> {
    pub buf: &'a mut Vec<u8>,
    comma: bool,
}

impl<'a> Json<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>) -> Self {
        Json { buf, comma: false }
    }

    #[inline]
    fn sep(&mut self) {
        if self.comma {
            self.buf.push(b',');
        }
    }

    /// `"key":` with its separator: one fixed-size copy of the padded key, then the
    /// padding cut off.
    #[inline]
    pub(crate) fn key(&mut self, key: K) {
        let skip = usize::from(!self.comma);
        let at = self.buf.len();
        if let Some(b) = key.bytes[skip..].first_chunk::<{ KEY_WIDTH - 1 }>() {
            self.buf.extend_from_slice(b);
        }
        self.buf.truncate(at + key.len - skip);
        self.comma = false;
    }

    /// `"key":` for a name from a table (attribute names), which must not need escaping.
    pub(crate) fn key_str(&mut self, key: &str) {
        self.buf.reserve(key.len() + 4);
        self.sep();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
        self.comma = false;
    }

    /// `"<prefix><n>":` — keys for ids the dictionary does not name (`id:9999`).
    pub(crate) fn key_numbered(&mut self, prefix: &str, n: i32) {
        self.sep();
        self.buf.push(b'"');
        self.buf.extend_from_slice(prefix.as_bytes());
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        self.buf.extend_from_slice(b"\":");
        self.comma = false;
    }

    /// A key taken from the input (unknown DTS element names), escaped.
    pub(crate) fn key_escaped(&mut self, key: &str) {
        self.sep();
        escape_into(self.buf, key);
        self.buf.push(b':');
        self.comma = false;
    }

    pub(crate) fn begin_object(&mut self) {
        self.sep();
        self.buf.push(b'{');
        self.comma = false;
    }

    pub(crate) fn end_object(&mut self) {
        self.buf.push(b'}');
        self.comma = true;
    }

    pub(crate) fn begin_array(&mut self) {
        self.sep();
        self.buf.push(b'[');
        self.comma = false;
    }

    pub(crate) fn end_array(&mut self) {
        self.buf.push(b']');
        self.comma = true;
    }

    #[inline]
    pub(crate) fn object(&mut self, key: K) {
        self.key(key);
        self.buf.push(b'{');
    }

    #[inline]
    pub(crate) fn array(&mut self, key: K) {
        self.key(key);
        self.buf.push(b'[');
    }

    /// An array element or a value after `key`.
    #[inline]
    pub(crate) fn string(&mut self, v: &str) {
        self.sep();
        escape_into(self.buf, v);
        self.comma = true;
    }

    /// A string value from bytes we produced ourselves (ASCII, nothing to escape).
    pub(crate) fn raw_string(&mut self, v: &[u8]) {
        self.buf.reserve(v.len() + 3);
        self.sep();
        self.buf.push(b'"');
        self.buf.extend_from_slice(v);
        self.buf.push(b'"');
        self.comma = true;
    }

    /// A time as an RFC 3339 string value.
    pub(crate) fn rfc3339(&mut self, lt: &crate::time::LocalTime, offset_secs: i32) {
        self.sep();
        self.buf.push(b'"');
        crate::time::write_rfc3339(self.buf, lt, offset_secs);
        self.buf.push(b'"');
        self.comma = true;
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.sep();
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        self.comma = true;
    }

    /// `"key":"value"`, the value escaped.
    #[inline]
    pub(crate) fn str_field(&mut self, key: K, v: &str) {
        self.key(key);
        escape_into(self.buf, v);
        self.comma = true;
    }

    /// `"key":n`; most numbers here (codes, counts) are one digit, pushed as one byte.
    #[inline]
    pub(crate) fn u64_field(&mut self, key: K, v: u64) {
        self.key(key);
        if v < 10 {
            self.buf.push(b'0' + v as u8);
        } else {
            self.buf
                .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        }
        self.comma = true;
    }

    pub(crate) fn bool_field(&mut self, key: K, v: bool) {
        self.key(key);
        self.bool(v);
    }
}

/// An object member that is opened only when its first field is written, so empty groups
/// never appear in the output.
#[derive(Debug)]
pub(crate) struct Group {
    key: Option<K>,
    open: bool,
}

impl Group {
    pub(crate) fn new(key: K) -> Self {
        Group {
            key: Some(key),
            open: false,
        }
    }

    /// Members written straight into the enclosing object.
    pub(crate) fn inline() -> Self {
        Group {
            key: None,
            open: true,
        }
    }

    /// Opens the group if needed; call before writing each member.
    #[inline]
    pub(crate) fn enter(&mut self, w: &mut Json<'_>) {
        if !self.open {
            if let Some(k) = self.key {
                w.object(k);
            }
            self.open = true;
        }
    }

    pub(crate) fn end(self, w: &mut Json<'_>) {
        if self.open && self.key.is_some() {
            w.end_object();
        }
    }
}

/// For each byte: 0 = copy, b'u' = \u00XX, anything else = the short escape letter.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of each byte of `x` that is a control byte, `"` or `\\` (SWAR: a byte below 0x20
/// borrows in `x - 0x20…`, an equal byte is zero after the XOR). Bytes above the lowest
/// flagged one may be flagged falsely by a borrow, so only the lowest is used.
#[inline]
fn escape_mask(x: u64) -> u64 {
    let ctrl = x.wrapping_sub(LO * 0x20) & !x & HI;
    let q = x ^ (LO * u64::from(b'"'));
    let bs = x ^ (LO * u64::from(b'\\'));
    let quote = q.wrapping_sub(LO) & !q & HI;
    let slash = bs.wrapping_sub(LO) & !bs & HI;
    ctrl | quote | slash
}

/// The index of the first byte at or after `from` that JSON must escape: 8 bytes at a time,
/// the last block overlapping the one before (its bytes from `from` on are known clean), so
/// no byte is looked at twice one by one; values under 8 bytes go byte by byte.
#[inline]
fn next_escape(b: &[u8], from: usize) -> Option<usize> {
    let block = |at: usize| {
        let x: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
        let m = escape_mask(u64::from_le_bytes(x));
        (m != 0).then(|| at + (m.trailing_zeros() / 8) as usize)
    };
    let n = b.len();
    if n.saturating_sub(from) < 8 {
        let rest = b.get(from..).unwrap_or_default();
        return rest
            .iter()
            .position(|&c| ESCAPE[c as usize] != 0)
            .map(|j| from + j);
    }
    let mut i = from;
    while i + 8 <= n {
        if let Some(j) = block(i) {
            return Some(j);
        }
        i += 8;
    }
    if i < n { block(n - 8) } else { None }
}

/// Whether JSON must escape a byte of this 16-byte block: written as a fold with no early
/// exit, so the compiler makes it a few vector compares (SSE2 on x86-64, SIMD128 in WASM).
#[inline]
fn dirty16(x: &[u8; 16]) -> bool {
    x.iter()
        .fold(false, |a, &c| a | (c < 0x20) | (c == b'"') | (c == b'\\'))
}

/// The SWAR mask of 4 bytes (as `escape_mask`, on a `u32`).
#[inline]
fn escape_mask4(x: u32) -> u32 {
    const LO4: u32 = 0x0101_0101;
    const HI4: u32 = 0x8080_8080;
    let ctrl = x.wrapping_sub(LO4 * 0x20) & !x & HI4;
    let q = x ^ (LO4 * u32::from(b'"'));
    let bs = x ^ (LO4 * u32::from(b'\\'));
    let quote = q.wrapping_sub(LO4) & !q & HI4;
    let slash = bs.wrapping_sub(LO4) & !bs & HI4;
    ctrl | quote | slash
}

/// Whether no byte of `b` needs escaping, the common case, tested with a fixed number of
/// wide loads for short values (two overlapping words) and 16-byte blocks for long ones.
/// A SWAR mask is zero exactly when its word is clean (a false flag needs a true one below).
#[inline]
fn is_clean(b: &[u8]) -> bool {
    let n = b.len();
    let word8 = |at: usize| -> u64 {
        let x: [u8; 8] = b[at..at + 8].try_into().unwrap_or_default();
        escape_mask(u64::from_le_bytes(x))
    };
    let word4 = |at: usize| -> u32 {
        let x: [u8; 4] = b[at..at + 4].try_into().unwrap_or_default();
        escape_mask4(u32::from_le_bytes(x))
    };
    if n >= 16 {
        let mut blocks = b.chunks_exact(16);
        for x in &mut blocks {
            if dirty16(x.try_into().unwrap_or(&[0; 16])) {
                return false;
            }
        }
        // The tail as the last 16 bytes, overlapping the block before.
        blocks.remainder().is_empty() || !dirty16(b[n - 16..].try_into().unwrap_or(&[0; 16]))
    } else if n >= 8 {
        word8(0) | word8(n - 8) == 0
    } else if n >= 4 {
        word4(0) | word4(n - 4) == 0
    } else {
        b.iter().all(|&c| ESCAPE[c as usize] == 0)
    }
}

/// Writes `s` as a quoted JSON string: plain runs copied in one go between escapes.
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    if is_clean(b) {
        out.extend_from_slice(b);
    } else {
        escape_runs(out, b);
    }
    out.push(b'"');
}

/// The body of a string with something to escape.
#[cold]
#[inline(never)]
fn escape_runs(out: &mut Vec<u8>, b: &[u8]) {
    let mut start = 0;
    while let Some(i) = next_escape(b, start) {
        out.extend_from_slice(&b[start..i]);
        let c = b[i];
        match ESCAPE[c as usize] {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
            }
            e => {
                out.push(b'\\');
                out.push(e);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
}

/// Re-indents one compact JSON document (as written above) with two spaces, for `--pretty`.
pub fn pretty(compact: &[u8], out: &mut Vec<u8>) {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    let mut i = 0;
    while i < compact.len() {
        let c = compact[i];
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                out.push(c);
            }
            b'{' | b'[' => {
                let close = if c == b'{' { b'}' } else { b']' };
                if compact.get(i + 1) == Some(&close) {
                    out.push(c);
                    out.push(close);
                    i += 2;
                    continue;
                }
                out.push(c);
                depth += 1;
                newline(out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(c);
            }
            b',' => {
                out.push(c);
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(c),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_requires() {
        let mut v = Vec::new();
        escape_into(&mut v, "a\"b\\c\n\u{1}\u{7f}é");
        assert_eq!(v, b"\"a\\\"b\\\\c\\n\\u0001\x7f\xc3\xa9\"");
        let back: String = serde_json::from_slice(&v).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}\u{7f}é");
    }

    #[test]
    fn clean_test_agrees_with_a_byte_scan() {
        // Every byte value at every position of every length to 48 (each width, the
        // overlapping tails and several 16-byte blocks).
        for len in 0..48 {
            assert!(is_clean(&vec![b'a'; len]));
            for pos in 0..len {
                for c in 0u8..=255 {
                    let mut bytes = vec![b'a'; len];
                    bytes[pos] = c;
                    let expect = c >= 0x20 && c != b'"' && c != b'\\';
                    assert_eq!(is_clean(&bytes), expect, "byte {c:#x} at {pos} of {len}");
                }
            }
        }
    }

    #[test]
    fn block_scan_agrees_with_a_byte_scan() {
        // Every byte value at every position of a 16-byte string.
        for pos in 0..16 {
            for c in 0u8..=255 {
                let mut bytes = [b'a'; 16];
                bytes[pos] = c;
                let Ok(s) = std::str::from_utf8(&bytes) else {
                    continue;
                };
                let mut v = Vec::new();
                escape_into(&mut v, s);
                let back: String = serde_json::from_slice(&v).unwrap();
                assert_eq!(back, s);
                let expect_plain = c >= 0x20 && c != b'"' && c != b'\\';
                assert_eq!(v.len() == s.len() + 2, expect_plain, "byte {c:#x} at {pos}");
            }
        }
    }

    /// The byte-at-a-time escaper the block scan must agree with.
    fn naive_escape(s: &str) -> Vec<u8> {
        let mut v = vec![b'"'];
        for &c in s.as_bytes() {
            match c {
                b'"' => v.extend_from_slice(b"\\\""),
                b'\\' => v.extend_from_slice(b"\\\\"),
                b'\n' => v.extend_from_slice(b"\\n"),
                b'\r' => v.extend_from_slice(b"\\r"),
                b'\t' => v.extend_from_slice(b"\\t"),
                0x08 => v.extend_from_slice(b"\\b"),
                0x0c => v.extend_from_slice(b"\\f"),
                0..0x20 => v.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
                _ => v.push(c),
            }
        }
        v.push(b'"');
        v
    }

    proptest::proptest! {
        #[test]
        fn escaping_matches_a_byte_by_byte_oracle(
            s in proptest::string::string_regex("[ -~\\x00-\\x1f\"\\\\é日]{0,40}").unwrap()
        ) {
            let mut v = Vec::new();
            escape_into(&mut v, &s);
            proptest::prop_assert_eq!(&v, &naive_escape(&s));
        }
    }

    #[test]
    fn escapes_at_every_length_and_position() {
        // Strings of 0..24 bytes with an escape at each position, and several at once.
        for len in 0..24 {
            let plain = "a".repeat(len);
            let mut v = Vec::new();
            escape_into(&mut v, &plain);
            assert_eq!(v, naive_escape(&plain));
            for pos in 0..len {
                for c in ['"', '\\', '\n', '\u{1f}'] {
                    let mut s: Vec<char> = plain.chars().collect();
                    s[pos] = c;
                    if pos + 3 < len {
                        s[pos + 3] = '"';
                    }
                    let s: String = s.into_iter().collect();
                    v.clear();
                    escape_into(&mut v, &s);
                    assert_eq!(v, naive_escape(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn groups_stay_closed_when_empty() {
        let mut v = Vec::new();
        let mut w = Json::new(&mut v);
        w.begin_object();
        let g = Group::new(k!("empty"));
        g.end(&mut w);
        let mut g = Group::new(k!("full"));
        g.enter(&mut w);
        w.str_field(k!("a"), "x");
        g.enter(&mut w);
        w.u64_field(k!("b"), 2);
        g.end(&mut w);
        w.end_object();
        assert_eq!(v, br#"{"full":{"a":"x","b":2}}"#);
    }

    #[test]
    fn numbers_at_every_width() {
        for n in [0, 1, 9, 10, 11, 99, 100, 4_294_967_295, u64::MAX] {
            let mut v = Vec::new();
            let mut w = Json::new(&mut v);
            w.begin_object();
            w.u64_field(k!("n"), n);
            w.end_object();
            assert_eq!(v, format!("{{\"n\":{n}}}").as_bytes());
        }
    }

    #[test]
    fn pretty_keeps_the_document() {
        let compact = br#"{"a":{"b":[1,"x,:{"],"c":{}},"d":[]}"#;
        let mut out = Vec::new();
        pretty(compact, &mut out);
        let a: serde_json::Value = serde_json::from_slice(compact).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(a, b);
        assert!(out.contains(&b'\n'));
    }
}

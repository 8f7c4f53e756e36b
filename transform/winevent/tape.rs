//! A JSON record read without a tree: one flat list of nodes (a "tape"), strings and keys
//! borrowed from the input (owned only when they had escapes), containers knowing where
//! they end. It answers as `serde_json::Value` would — the same parser reads it, so the
//! same input is refused with the same message; a key given twice means its last value;
//! an object's members iterate in key order (`Value`'s map is a `BTreeMap`) — which the
//! shapes' behaviour (and the golden files) depends on.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

/// No index.
const NONE: u32 = u32::MAX;

#[derive(Debug)]
enum Node<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    /// An array; its elements follow, `end` is the index past its last descendant.
    Arr {
        end: u32,
    },
    /// An object; its members follow as a `Key` then the value's nodes; `dotted`: some key
    /// has a `.` in it.
    Obj {
        end: u32,
        dotted: bool,
        /// The index of its last key (`NONE` when it has none).
        last: u32,
    },
    /// A key, and the index of the key before it in its object (`NONE` for the first).
    Key(Cow<'a, str>, u32),
}

/// A parsed JSON text.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    nodes: Vec<Node<'a>>,
}

/// Why a text has no tape: refused by the parser, or a construct whose `Value` reading is
/// particular (serde_json's raw-value token as an object's first key), which the caller
/// reads through `Value` instead.
#[derive(Debug)]
pub(crate) struct NoTape;

/// serde_json's private key for raw values: an object whose first key it is reads
/// differently into a `Value`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

thread_local! {
    /// The last tape's list, empty, kept for the next: one allocation per thread, not one
    /// per record.
    static SPARE: Cell<Vec<Node<'static>>> = const { Cell::new(Vec::new()) };
}

/// An empty list of another lifetime, in the same allocation (collected in place: no node
/// is ever mapped).
#[allow(clippy::unnecessary_filter_map)] // The point is the new element type.
fn relabel<'b>(nodes: Vec<Node<'_>>) -> Vec<Node<'b>> {
    debug_assert!(nodes.is_empty());
    nodes.into_iter().filter_map(|_| None).collect()
}

impl Drop for Doc<'_> {
    fn drop(&mut self) {
        let mut nodes = std::mem::take(&mut self.nodes);
        nodes.clear();
        SPARE.set(relabel(nodes));
    }
}

impl<'a> Doc<'a> {
    pub(crate) fn parse(text: &'a str) -> Result<Self, NoTape> {
        let mut doc = Doc {
            nodes: relabel(SPARE.take()),
        };
        doc.nodes.reserve(text.len() / 24 + 8);
        let mut de = serde_json::Deserializer::from_str(text);
        Build {
            nodes: &mut doc.nodes,
        }
        .deserialize(&mut de)
        .map_err(|_| NoTape)?;
        de.end().map_err(|_| NoTape)?;
        Ok(doc)
    }

    /// The tape of a `Value` (its map already ordered and without repeats): for the records
    /// the tape declines that are valid JSON.
    pub(crate) fn from_value(v: &'a serde_json::Value) -> Self {
        fn walk<'a>(v: &'a serde_json::Value, nodes: &mut Vec<Node<'a>>) {
            use serde_json::Value as V;
            match v {
                V::Null => nodes.push(Node::Null),
                V::Bool(b) => nodes.push(Node::Bool(*b)),
                V::Number(n) => nodes.push(Node::Num(n.clone())),
                V::String(s) => nodes.push(Node::Str(Cow::Borrowed(s))),
                V::Array(items) => {
                    let at = nodes.len();
                    nodes.push(Node::Arr { end: 0 });
                    for i in items {
                        walk(i, nodes);
                    }
                    nodes[at] = Node::Arr {
                        end: nodes.len() as u32,
                    };
                }
                V::Object(m) => {
                    let at = nodes.len();
                    nodes.push(Node::Obj {
                        end: 0,
                        dotted: false,
                        last: NONE,
                    });
                    let mut last = NONE;
                    for (k, v) in m {
                        nodes.push(Node::Key(Cow::Borrowed(k), last));
                        last = (nodes.len() - 1) as u32;
                        walk(v, nodes);
                    }
                    nodes[at] = Node::Obj {
                        end: nodes.len() as u32,
                        dotted: m.keys().any(|k| k.contains('.')),
                        last,
                    };
                }
            }
        }
        let mut nodes = Vec::new();
        walk(v, &mut nodes);
        Doc { nodes }
    }

    pub(crate) fn root(&self) -> Val<'_> {
        Val {
            nodes: &self.nodes,
            at: 0,
        }
    }
}

/// A value in a tape.
#[derive(Clone, Copy)]
pub(crate) struct Val<'d> {
    nodes: &'d [Node<'d>],
    at: u32,
}

/// What a value is, its scalars' contents borrowed.
#[derive(Clone, Copy)]
pub(crate) enum Kind<'d> {
    Null,
    Bool(bool),
    Num(&'d Number),
    Str(&'d str),
    Arr(Items<'d>),
    Obj(Obj<'d>),
}

/// An object in a tape.
#[derive(Clone, Copy)]
pub(crate) struct Obj<'d> {
    nodes: &'d [Node<'d>],
    at: u32,
    end: u32,
    dotted: bool,
    last: u32,
}

/// An array's elements, in order.
#[derive(Clone, Copy)]
pub(crate) struct Items<'d> {
    nodes: &'d [Node<'d>],
    next: u32,
    end: u32,
}

impl<'d> Val<'d> {
    fn node(self) -> &'d Node<'d> {
        &self.nodes[self.at as usize]
    }

    /// The index past this value's nodes.
    fn end(self) -> u32 {
        match *self.node() {
            Node::Arr { end } | Node::Obj { end, .. } => end,
            _ => self.at + 1,
        }
    }

    pub(crate) fn kind(self) -> Kind<'d> {
        match self.node() {
            Node::Null | Node::Key(..) => Kind::Null,
            Node::Bool(b) => Kind::Bool(*b),
            Node::Num(n) => Kind::Num(n),
            Node::Str(s) => Kind::Str(s),
            Node::Arr { end } => Kind::Arr(Items {
                nodes: self.nodes,
                next: self.at + 1,
                end: *end,
            }),
            Node::Obj { end, dotted, last } => Kind::Obj(Obj {
                nodes: self.nodes,
                at: self.at,
                end: *end,
                dotted: *dotted,
                last: *last,
            }),
        }
    }

    pub(crate) fn as_object(self) -> Option<Obj<'d>> {
        match self.kind() {
            Kind::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> Option<&'d str> {
        match self.node() {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_string(self) -> bool {
        matches!(self.node(), Node::Str(_))
    }

    /// A member of this value, if it is an object that has the key.
    pub(crate) fn get(self, key: &str) -> Option<Val<'d>> {
        self.as_object()?.get(key)
    }
}

/// Members as written: (key, value), repeats included.
#[derive(Clone, Copy)]
struct Raw<'d> {
    nodes: &'d [Node<'d>],
    next: u32,
    end: u32,
}

impl<'d> Iterator for Raw<'d> {
    type Item = (&'d str, Val<'d>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let Node::Key(k, _) = &self.nodes[self.next as usize] else {
            return None;
        };
        let v = Val {
            nodes: self.nodes,
            at: self.next + 1,
        };
        self.next = v.end();
        Some((k, v))
    }
}

impl<'d> Obj<'d> {
    fn raw(self) -> Raw<'d> {
        Raw {
            nodes: self.nodes,
            next: self.at + 1,
            end: self.end,
        }
    }

    /// The value of `key`: its last one when it is given twice, as in a `Value` (the keys
    /// are tried from the last back, so the first found is it).
    pub(crate) fn get(self, key: &str) -> Option<Val<'d>> {
        let mut at = self.last;
        while let Some(Node::Key(k, prev)) = self.nodes.get(at as usize) {
            if same(k, key) {
                return Some(Val {
                    nodes: self.nodes,
                    at: at + 1,
                });
            }
            at = *prev;
        }
        None
    }

    pub(crate) fn contains_key(self, key: &str) -> bool {
        self.raw().any(|(k, _)| same(k, key))
    }

    /// Whether some key has a `.` in it (so a dotted path may name a key of its own).
    pub(crate) fn has_dotted_keys(self) -> bool {
        self.dotted
    }

    /// The members in key order, each key once with its last value, as a `Value`'s map
    /// iterates.
    pub(crate) fn members(self) -> Vec<(&'d str, Val<'d>)> {
        let mut m: Vec<(&'d str, Val<'d>)> = self.raw().collect();
        // Written in order already (Go's and Python's encoders sort keys): nothing to do.
        if m.windows(2).all(|w| w[0].0 < w[1].0) {
            return m;
        }
        // Of a key's repeats, the last written (the one furthest on in the tape) is kept.
        m.sort_unstable_by(|a, b| key_order(a.0, b.0).then(a.1.at.cmp(&b.1.at)));
        m.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                *earlier = *later;
            }
            same
        });
        m
    }
}

/// Key equality, the first byte tried before a comparison call (keys are short and mostly
/// differ in length or first letter).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// Key order (a `String`'s, by bytes), the first byte tried first.
#[inline]
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

impl<'d> Iterator for Items<'d> {
    type Item = Val<'d>;
    fn next(&mut self) -> Option<Val<'d>> {
        if self.next >= self.end {
            return None;
        }
        let v = Val {
            nodes: self.nodes,
            at: self.next,
        };
        self.next = v.end();
        Some(v)
    }
}

/// Appends a value's nodes to the tape, as serde_json's parser hands them over.
struct Build<'b, 'a> {
    nodes: &'b mut Vec<Node<'a>>,
}

impl<'de> DeserializeSeed<'de> for Build<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.nodes.push(Node::Bool(b));
        Ok(())
    }
    fn visit_i64<E>(self, n: i64) -> Result<(), E> {
        self.nodes.push(Node::Num(n.into()));
        Ok(())
    }
    fn visit_u64<E>(self, n: u64) -> Result<(), E> {
        self.nodes.push(Node::Num(n.into()));
        Ok(())
    }
    fn visit_f64<E>(self, n: f64) -> Result<(), E> {
        // As `Value` does: a number that is not finite is null.
        self.nodes
            .push(Number::from_f64(n).map_or(Node::Null, Node::Num));
        Ok(())
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<(), E> {
        self.nodes.push(Node::Str(Cow::Borrowed(s)));
        Ok(())
    }
    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.nodes.push(Node::Str(Cow::Owned(s.to_owned())));
        Ok(())
    }
    fn visit_string<E>(self, s: String) -> Result<(), E> {
        self.nodes.push(Node::Str(Cow::Owned(s)));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.nodes.push(Node::Null);
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.nodes.push(Node::Null);
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at = self.nodes.len();
        self.nodes.push(Node::Arr { end: 0 });
        while seq
            .next_element_seed(Build {
                nodes: &mut *self.nodes,
            })?
            .is_some()
        {}
        self.nodes[at] = Node::Arr {
            end: self.nodes.len() as u32,
        };
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let at = self.nodes.len();
        self.nodes.push(Node::Obj {
            end: 0,
            dotted: false,
            last: NONE,
        });
        let mut first = true;
        let mut dotted = false;
        let mut last = NONE;
        while map
            .next_key_seed(KeySeed {
                nodes: &mut *self.nodes,
            })?
            .is_some()
        {
            let key_at = self.nodes.len() - 1;
            if let Some(Node::Key(k, prev)) = self.nodes.last_mut() {
                if first && k == RAW_VALUE_TOKEN {
                    return Err(de::Error::custom("raw value token"));
                }
                // Keys are short: a loop, not a memchr call.
                dotted |= k.bytes().any(|b| b == b'.');
                *prev = last;
            }
            last = key_at as u32;
            first = false;
            map.next_value_seed(Build {
                nodes: &mut *self.nodes,
            })?;
        }
        self.nodes[at] = Node::Obj {
            end: self.nodes.len() as u32,
            dotted,
            last,
        };
        Ok(())
    }
}

/// An object key, borrowed unless it had escapes.
struct KeySeed<'b, 'a> {
    nodes: &'b mut Vec<Node<'a>>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<(), E> {
        self.nodes.push(Node::Key(Cow::Borrowed(s), NONE));
        Ok(())
    }
    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.nodes.push(Node::Key(Cow::Owned(s.to_owned()), NONE));
        Ok(())
    }
    fn visit_string<E>(self, s: String) -> Result<(), E> {
        self.nodes.push(Node::Key(Cow::Owned(s), NONE));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{json, json_tree};
    use super::*;
    use proptest::prelude::*;

    /// The event as the transformer now reads it (the tape, or a `Value`'s tape for what
    /// the tape declines), and as the `Value` reader before it did; an `Err` is the error
    /// document's reason.
    fn both(line: &str) -> (Result<String, String>, Result<String, String>) {
        let old = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(v) => Ok(format!("{:?}", json_tree::from_json(&v))),
            Err(e) => Err(format!("invalid JSON: {e}")),
        };
        let new = match Doc::parse(line) {
            Ok(doc) => Ok(format!("{:?}", json::from_json(doc.root()))),
            Err(NoTape) => match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => Ok(format!("{:?}", json::from_json(Doc::from_value(&v).root()))),
                Err(e) => Err(format!("invalid JSON: {e}")),
            },
        };
        (new, old)
    }

    fn same(line: &str) {
        let (new, old) = both(line);
        assert_eq!(new, old, "{line}");
    }

    #[test]
    fn the_spare_list_is_reused() {
        let cap = {
            let doc = Doc::parse(r#"{"a":[1,2,3],"b":{"c":"d"}}"#).unwrap();
            doc.nodes.capacity()
        };
        let doc = Doc::parse("{}").unwrap();
        assert!(doc.nodes.capacity() >= cap);
        assert_eq!(doc.nodes.len(), 1);
    }

    #[test]
    fn reads_the_golden_events_as_the_value_reader() {
        let golden = [
            include_str!("../../tests/golden/winevent/grant-6272-shapes.in"),
            include_str!("../../tests/golden/winevent/denial-6273-shapes.in"),
            include_str!("../../tests/golden/winevent/ipsec.in"),
            include_str!("../../tests/golden/winevent/layouts.in"),
            include_str!("../../tests/golden/winevent/nap-and-account.in"),
            include_str!("../../tests/golden/winevent/system-events.in"),
            include_str!("../../tests/golden/winevent/envelopes.in"),
            include_str!("../../tests/golden/winevent/bad-json.in"),
            include_str!("../../tests/golden/winevent/ipsec-spi-text.in"),
        ];
        let mut events = 0;
        for line in golden.iter().flat_map(|g| g.lines()) {
            if line.trim_start().starts_with('{') {
                same(line);
                events += usize::from(matches!(both(line).0, Ok(s) if s != "None"));
            }
        }
        assert!(events >= 40, "{events} golden events");
    }

    #[test]
    fn tricky_records_read_as_the_value_reader() {
        for line in [
            // Escaped keys and values; surrogate pairs; a lone surrogate (refused).
            r##"{"winlog":{"event_\u0069d":6272,"channel":"Security","event_data":{"Subject\u0055serName":"a\"b\\c\u00e9\ud83d\ude00"}}}"##,
            r##"{"winlog":{"event_id":6272,"event_data":{"X":"\ud800"}}}"##,
            r##"{"winlog":{"event_id":6272,"event_data":{"X":"\udc00\ud800"}}}"##,
            // Keys twice: the last counts, at any depth; members in key order.
            r##"{"winlog":{"event_id":1,"event_id":6273,"channel":"Security","event_data":{"b":"1","a":"2","b":"3"}},"winlog":{"event_id":6272,"event_data":{"z":"1","y":{"#text":"2"},"y":"4"}}}"##,
            r##"{"EventID":6272,"ProviderName":"p","ProviderName":"q","EventData":{"Z":"1","A":"2"},"EventData":{"C":"3","B":"4","C":"5"}}"##,
            r##"{"winlog.event_id":6272,"winlog.event_data.B":"2","winlog.event_data.A":1.5,"winlog.event_data.A":"x","winlog":{"channel":"Security"}}"##,
            // Numbers: as strings, hex, signed, large, fractional, exponents.
            r##"{"event_id":"6272","computer_name":"c","source_name":"s","version":"0x1","keywords":"-9214364837600034816","event_data":{"N":-0,"M":1e3,"O":18446744073709551615,"P":18446744073709551616,"Q":-9223372036854775808,"R":0.1,"S":true,"T":null}}"##,
            r##"{"event_id":65536,"computer_name":"c","source_name":"s"}"##,
            r##"{"event_id":6272.0,"computer_name":"c","log_name":"Security"}"##,
            r##"{"event_id":-1,"computer_name":"c","log_name":"Security"}"##,
            // EventData shapes: arrays of strings and objects, Data as array, as an object,
            // as {"#text": [...]}, XML in a string; StringInserts.
            r##"{"Event":{"System":{"EventID":{"#text":"6272"},"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}}},"EventData":{"Data":[{"@Name":"A","#text":"1"},{"Name":"B","value":2},{"name":"C"},{"#attributes":{"Name":"D"},"Value":"4"},"e",7,null,["x"]]}}}"##,
            r##"{"Event":{"System":{"EventID":6272},"EventData":{"Data":{"#text":["a","b"]}}}}"##,
            r##"{"Event":{"System":{"EventID":6272},"EventData":{"Data":{"@Name":"A","#text":"1"}}}}"##,
            r##"{"Event":{"System":{"EventID":6272},"EventData":{"Data":"x","Other":"y"}}}"##,
            r##"{"ProviderName":"Microsoft-Windows-Security-Auditing","EventID":6272,"EventData":"<EventData><Data Name=\"A\">1</Data><Data>2</Data></EventData>"}"##,
            r##"{"ProviderName":"p","EventID":6273,"StringInserts":["a",1,true,null,{"#text":"t"},["n"]]}"##,
            r##"{"SourceName":"IAS","EventID":1073741837,"TimeGenerated":"2026-01-01 00:00:00 +0000","StringInserts":["c","d"]}"##,
            r##"{"System":"<System><EventID>6272</EventID></System>","StringInserts":["a"],"Message":"m"}"##,
            r##"{"body":{"event_id":{"id":6272},"provider":{"name":"p"},"event_data":{"data":[{"A":"1"}]}}}"##,
            r##"{"Body":"<Event><System><EventID>6273</EventID></System></Event>"}"##,
            r##"{"xml":"  <Event><System><EventID>6272</EventID></System></Event>","event":{"original":"<Event/>"}}"##,
            r##"{"win":{"system":{"eventID":"6272","severityValue":"AUDIT_SUCCESS"},"eventdata":{"subjectUserName":"u"}}}"##,
            r##"{"Type":"SecurityEvent","EventID":6272,"SubjectUserName":"u","NASIdentifier":"n","Other":"o"}"##,
            r##"{"SourceModuleType":"im_msvistalog","EventID":6272,"Hostname":"h","EventTime":"2026-01-01 00:00:00","Zed":"z","Alpha":"a"}"##,
            r##"{"winlogbeat_winlog_event_id":"6272","winlogbeat_winlog_event_data_B":"b","winlogbeat_winlog_event_data_A":"a","winlog_event_id":1}"##,
            r##"{"winlog":{"event_id":6272,"keywords":["Audit Failure"]},"event":{"outcome":"success"}}"##,
            // serde_json's private raw-value key first: read as a `Value` reads it.
            r##"{"$serde_json::private::RawValue":"{\"winlog\":{\"event_id\":6272}}"}"##,
            r##"{"$serde_json::private::RawValue":1}"##,
            r##"{"a":{"$serde_json::private::RawValue":"2"},"winlog":{"event_id":6272}}"##,
            r##"{"winlog":{"event_id":6272},"$serde_json::private::RawValue":"2"}"##,
            // Not objects, and invalid JSON: the same reason.
            "[1,2]",
            "\"winlog\"",
            "{}",
            "{",
            r##"{"winlog":{"event_id":6272},}"##,
            r##"{"winlog":{"event_id":6272}} x"##,
            r##"{"winlog":{"event_id":6272}}{}"##,
            r##"{"a":1e999}"##,
            r##"{"a":01}"##,
            r##"{"a":"\x"}"##,
            "{\"a\":\"\u{1}\"}",
            r##"{"a" 1}"##,
            r##"{1:2}"##,
            "  {\"winlog\":{\"event_id\":6272}}  ",
        ] {
            same(line);
        }
        // Nesting past serde_json's limit is refused alike.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        same(&deep);
        let deep = format!(
            "{{\"winlog\":{}1{}}}",
            "{\"a\":".repeat(130),
            "}".repeat(130)
        );
        same(&deep);
    }

    fn json_text() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "winlog",
            "event_id",
            "channel",
            "event_data",
            "EventData",
            "Data",
            "#text",
            "@Name",
            "Name",
            "name",
            "value",
            "EventID",
            "ProviderName",
            "StringInserts",
            "System",
            "Event",
            "provider_name",
            "computer",
            "computer_name",
            "source_name",
            "win",
            "system",
            "eventdata",
            "eventID",
            "body",
            "Type",
            "keywords",
            "Keywords",
            "SubjectUserName",
            "ReasonCode",
            "event_\\u0069d",
            "A",
            "a",
            "B",
            "winlog.event_id",
            "winlog.event_data.X",
            "xml",
        ]);
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            prop::sample::select(vec!["6272", "6273", "-1", "1.5", "1e2", "70000", "0"])
                .prop_map(String::from),
            prop::sample::select(vec![
                "\"6272\"",
                "\"0x8020000000000000\"",
                "\"Security\"",
                "\"a\\\"b\"",
                "\"\\u00e9\\ud83d\\ude00\"",
                "\"<Event><System><EventID>6272</EventID></System></Event>\"",
                "\"SecurityEvent\"",
                "\"Audit Success\"",
                "\"\"",
            ])
            .prop_map(String::from),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key.clone(), inner), 0..6).prop_map(|m| {
                    let members: Vec<String> =
                        m.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn random_records_read_as_the_value_reader(text in json_text()) {
            let (new, old) = both(&text);
            prop_assert_eq!(new, old, "{}", text);
        }
    }
}

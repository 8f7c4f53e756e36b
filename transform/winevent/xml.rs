//! Windows event XML (`<Event xmlns=…><System>…</System><EventData>…</EventData></Event>`,
//! as Event Viewer, WEF, Splunk `XmlWinEventLog` and Fluent Bit render it), and the
//! fragments shippers embed (`<System>` alone, `<EventData>` alone). Single or double
//! quotes, any namespace prefix. No DTD is processed; a DOCTYPE is refused.

use super::{Clock, Event, Text};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as X};
use std::borrow::Cow;

/// `part` as a slice of `input` when it lies inside it, else owned.
fn reborrow<'a>(input: &'a str, part: &str) -> Text<'a> {
    let base = input.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    if p >= base && p + part.len() <= base + input.len() {
        Cow::Borrowed(&input[p - base..p - base + part.len()])
    } else {
        Cow::Owned(part.to_string())
    }
}

fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr<'a>(input: &'a str, e: &BytesStart<'_>, name: &str) -> Option<Text<'a>> {
    let a = e.try_get_attribute(name).ok()??;
    let v = a
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()?;
    Some(reborrow(input, &v))
}

/// Which header field the current element's text fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    EventId,
    Version,
    Level,
    Task,
    Opcode,
    Keywords,
    RecordId,
    Channel,
    Computer,
    Data,
    Other,
}

pub(crate) fn from_xml(input: &str) -> Result<Event<'_>, String> {
    match plain(input) {
        Some(ev) => Ok(ev),
        // Not in the plain form (or an error in it): read again by quick-xml, which also
        // says what is wrong.
        None => read_xml(input),
    }
}

/// What the elements read so far mean: the one reading of both readers' tokens.
struct State<'a> {
    ev: Event<'a>,
    depth: usize,
    in_system: bool,
    in_data: bool,
    seen_event: bool,
    field: Field,
    data_name: Option<Text<'a>>,
    value: Option<Text<'a>>,
}

impl<'a> State<'a> {
    fn new() -> Self {
        State {
            ev: Event {
                shape: "xml",
                ..Event::default()
            },
            depth: 0,
            in_system: false,
            in_data: false,
            seen_event: false,
            field: Field::Other,
            data_name: None,
            value: None,
        }
    }

    /// A start tag (`empty`: `<x/>`), its local name and its attributes by name.
    fn start(&mut self, name: &str, empty: bool, attr: impl Fn(&str) -> Option<Text<'a>>) {
        let in_system = self.in_system;
        self.seen_event |= matches!(name, "Event" | "System" | "EventData");
        match name {
            "System" => self.in_system = !empty,
            "EventData" | "UserData" => self.in_data = !empty,
            "Provider" if in_system => {
                self.ev.provider = attr("Name");
                self.ev.provider_guid = attr("Guid");
            }
            "TimeCreated" if in_system => {
                self.ev.time = attr("SystemTime").map(|t| (t, Clock::Utc));
            }
            _ => {}
        }
        let in_data = self.in_data;
        self.field = match name {
            "EventID" if in_system => Field::EventId,
            "Version" if in_system => Field::Version,
            "Level" if in_system => Field::Level,
            "Task" if in_system => Field::Task,
            "Opcode" if in_system => Field::Opcode,
            "Keywords" if in_system => Field::Keywords,
            "EventRecordID" if in_system => Field::RecordId,
            "Channel" if in_system => Field::Channel,
            "Computer" if in_system => Field::Computer,
            "Data" if in_data => Field::Data,
            _ => Field::Other,
        };
        if self.field == Field::Data {
            self.data_name = attr("Name");
        }
        self.value = None;
        if empty {
            finish(&mut self.ev, self.field, self.data_name.take(), None);
            self.field = Field::Other;
        } else {
            self.depth += 1;
        }
    }

    /// Whether text here is part of a value (white space between elements is not).
    fn wants_text(&self) -> bool {
        self.field != Field::Other
    }

    fn text(&mut self, piece: Text<'a>) {
        append(&mut self.value, piece);
    }

    fn end(&mut self, name: &str) {
        match name {
            "System" => self.in_system = false,
            "EventData" | "UserData" => self.in_data = false,
            _ => {}
        }
        if self.field != Field::Other {
            finish(
                &mut self.ev,
                self.field,
                self.data_name.take(),
                self.value.take(),
            );
        }
        self.field = Field::Other;
        self.depth = self.depth.saturating_sub(1);
    }

    fn done(self) -> Result<Event<'a>, String> {
        if !self.seen_event {
            return Err("event XML: no <Event>, <System> or <EventData> element".into());
        }
        if self.depth != 0 {
            return Err("event XML: the line ends inside an element".into());
        }
        Ok(self.ev)
    }
}

/// Where an element or attribute name starting at `i` ends.
fn name_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len()
        && !matches!(b[i], b'/' | b'>' | b'=' | b'"' | b'\'' | b'<')
        && !is_space(b[i])
    {
        i += 1;
    }
    i
}

/// XML white space.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The most attributes a tag may have in the plain form.
const MAX_ATTRS: usize = 8;
/// The deepest nesting of the plain form.
const MAX_DEPTH: usize = 16;

/// Event XML as Windows renders it — elements, attributes in either quotes, text without
/// references — in one pass over the `&str`; `None` as soon as the input leaves that form
/// (references, CDATA, comments, declarations, a tag or attribute written otherwise, an end
/// tag that does not close its start, anything after the root). What it accepts it reads
/// exactly as `read_xml` does (`tests::plain_reads_as_quick_xml` compares the two).
fn plain(input: &str) -> Option<Event<'_>> {
    let b = input.as_bytes();
    let mut st = State::new();
    let mut open: [&str; MAX_DEPTH] = [""; MAX_DEPTH];
    let mut depth = 0;
    let mut roots = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            let n = memchr::memchr2(b'<', b'&', &b[i..]).unwrap_or(b.len() - i);
            if b.get(i + n) == Some(&b'&') {
                return None;
            }
            let text = &input[i..i + n];
            if depth == 0 && !text.bytes().all(is_space) {
                return None;
            }
            if st.wants_text() {
                st.text(Cow::Borrowed(text));
            }
            i += n;
            continue;
        }
        i += 1;
        match *b.get(i)? {
            b'/' => {
                let n = memchr::memchr(b'>', &b[i..])?;
                let name = &input[i + 1..i + n];
                if depth == 0 || open[depth - 1] != name {
                    return None;
                }
                depth -= 1;
                st.end(local(name));
                i += n + 1;
            }
            b'!' | b'?' => return None,
            _ => {
                if depth == 0 {
                    roots += 1;
                    if roots > 1 {
                        return None;
                    }
                }
                let name_start = i;
                i = name_end(b, i);
                let name = &input[name_start..i];
                if name.is_empty() {
                    return None;
                }
                let mut attrs: [(&str, &str); MAX_ATTRS] = [("", ""); MAX_ATTRS];
                let mut count = 0;
                let empty = loop {
                    let spaced = i < b.len() && is_space(b[i]);
                    while i < b.len() && is_space(b[i]) {
                        i += 1;
                    }
                    match *b.get(i)? {
                        b'>' => {
                            i += 1;
                            break false;
                        }
                        b'/' if b.get(i + 1) == Some(&b'>') => {
                            i += 2;
                            break true;
                        }
                        _ if !spaced || count == MAX_ATTRS => return None,
                        _ => {}
                    }
                    let key_start = i;
                    i = name_end(b, i);
                    let key = &input[key_start..i];
                    if key.is_empty() || b.get(i) != Some(&b'=') {
                        return None;
                    }
                    i += 1;
                    let quote = *b.get(i)?;
                    if quote != b'"' && quote != b'\'' {
                        return None;
                    }
                    i += 1;
                    let n = memchr::memchr(quote, &b[i..])?;
                    let value = &input[i..i + n];
                    if value
                        .bytes()
                        .any(|c| matches!(c, b'&' | b'<' | b'>' | b'\t' | b'\r' | b'\n'))
                        || attrs[..count].iter().any(|(k, _)| *k == key)
                    {
                        return None;
                    }
                    attrs[count] = (key, value);
                    count += 1;
                    i += n + 1;
                };
                let attrs = &attrs[..count];
                st.start(local(name), empty, |n| {
                    attrs
                        .iter()
                        .find(|(k, _)| *k == n)
                        .map(|(_, v)| Cow::Borrowed(*v))
                });
                if !empty {
                    if depth == MAX_DEPTH {
                        return None;
                    }
                    open[depth] = name;
                    depth += 1;
                }
            }
        }
    }
    if depth != 0 {
        return None;
    }
    st.done().ok()
}

/// Any event XML, by quick-xml.
fn read_xml(input: &str) -> Result<Event<'_>, String> {
    let mut r = Reader::from_str(input);
    r.config_mut().allow_dangling_amp = true;
    let mut st = State::new();
    loop {
        let x = r
            .read_event()
            .map_err(|e| format!("event XML at byte {}: {e}", r.error_position()))?;
        match x {
            X::Start(ref e) | X::Empty(ref e) => {
                let empty = matches!(x, X::Empty(_));
                let raw = e.name();
                st.start(local(raw.0), empty, |n| attr(input, e, n));
            }
            // Text counts only inside a field (white space between elements does not).
            X::Text(t) if st.wants_text() => {
                let s = t.into_inner();
                st.text(reborrow(input, &s));
            }
            X::CData(t) if st.wants_text() => {
                let s = t.into_inner();
                st.text(reborrow(input, &s));
            }
            X::GeneralRef(g) if st.wants_text() => {
                let s: String = match &*g {
                    "lt" => "<".into(),
                    "gt" => ">".into(),
                    "amp" => "&".into(),
                    "apos" => "'".into(),
                    "quot" => "\"".into(),
                    _ => match g.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => return Err(format!("event XML: undefined entity &{};", &*g)),
                    },
                };
                st.text(Cow::Owned(s));
            }
            X::End(e) => {
                let raw = e.name();
                st.end(local(raw.0));
            }
            X::DocType(_) => return Err("event XML: DOCTYPE is not allowed".into()),
            X::Eof => break,
            _ => {}
        }
    }
    st.done()
}

fn append<'a>(value: &mut Option<Text<'a>>, piece: Text<'a>) {
    *value = Some(match value.take() {
        None => piece,
        Some(prev) => Cow::Owned(format!("{prev}{piece}")),
    });
}

fn finish<'a>(ev: &mut Event<'a>, field: Field, name: Option<Text<'a>>, value: Option<Text<'a>>) {
    let num = |v: &Option<Text<'a>>| {
        v.as_deref()
            .and_then(|s| s.trim_ascii().parse::<u32>().ok())
    };
    match field {
        // An event id is 16 bits (as in the JSON shapes).
        Field::EventId => {
            ev.event_id = value
                .as_deref()
                .and_then(|s| s.trim_ascii().parse::<u16>().ok())
                .map(u32::from)
        }
        Field::Version => ev.version = num(&value),
        Field::Level => ev.level = value,
        Field::Task => ev.task = value,
        Field::Opcode => ev.opcode = value,
        Field::Keywords => {
            if let Some(h) = value
                .as_deref()
                .map(str::trim)
                .and_then(|s| s.strip_prefix("0x"))
            {
                ev.keyword_bits = u64::from_str_radix(h, 16).ok();
            }
        }
        Field::RecordId => ev.record_id = value,
        Field::Channel => ev.channel = value,
        Field::Computer => ev.computer = value,
        Field::Data => {
            let value = value.unwrap_or(Cow::Borrowed(""));
            match name {
                Some(n) => ev.named.push((n, value)),
                None => ev.inserts.push(value),
            }
        }
        Field::Other => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_event_with_single_quotes() {
        let x = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/><EventID>6272</EventID><Version>1</Version><Level>0</Level><Task>12552</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2019-12-13T19:48:39.420098200Z'/><EventRecordID>276341076</EventRecordID><Correlation/><Execution ProcessID='616' ThreadID='3956'/><Channel>Security</Channel><Computer>MYSUBDOMAIN.MYDOMAIN.local</Computer><Security/></System><EventData><Data Name='SubjectUserName'>mydomain\\username</Data><Data Name='NASIdentifier'>a &amp; b</Data><Data Name='Empty'></Data></EventData></Event>";
        let ev = from_xml(x).unwrap();
        assert_eq!(ev.event_id, Some(6272));
        assert_eq!(ev.version, Some(1));
        assert_eq!(
            ev.provider.as_deref(),
            Some("Microsoft-Windows-Security-Auditing")
        );
        assert_eq!(ev.keyword_bits, Some(0x8020_0000_0000_0000));
        assert_eq!(ev.outcome(), Some(true));
        assert_eq!(ev.computer.as_deref(), Some("MYSUBDOMAIN.MYDOMAIN.local"));
        assert_eq!(ev.named[0].1, "mydomain\\username");
        assert_eq!(ev.named[1].1, "a & b");
        assert_eq!(ev.named[2].1, "");
        assert!(matches!(ev.named[0].1, Cow::Borrowed(_)));
    }

    /// The one-pass reader against quick-xml: where it accepts an input it must read it as
    /// quick-xml does, and `from_xml` must always give quick-xml's answer.
    fn same_as_quick_xml(x: &str) -> bool {
        let slow = read_xml(x);
        let fast = plain(x);
        if let Some(ev) = &fast {
            assert_eq!(
                Ok(format!("{ev:?}")),
                slow.as_ref()
                    .map(|e| format!("{e:?}"))
                    .map_err(String::clone),
                "{x}"
            );
        }
        assert_eq!(
            from_xml(x).map(|e| format!("{e:?}")),
            slow.map(|e| format!("{e:?}")),
            "{x}"
        );
        fast.is_some()
    }

    /// Every string in a JSON text that looks like XML.
    fn xml_strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.trim_start().starts_with('<') => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|i| xml_strings(i, out)),
            serde_json::Value::Object(m) => m.values().for_each(|i| xml_strings(i, out)),
            _ => {}
        }
    }

    #[test]
    fn plain_reads_as_quick_xml() {
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
        let mut inputs = Vec::new();
        for line in golden.iter().flat_map(|g| g.lines()) {
            if line.trim_start().starts_with('<') {
                inputs.push(line.to_string());
            } else if let Ok(v) = serde_json::from_str(line) {
                xml_strings(&v, &mut inputs);
            }
        }
        let accepted = inputs.iter().filter(|x| same_as_quick_xml(x)).count();
        assert!(
            accepted >= 10,
            "{accepted} of {} in the plain form",
            inputs.len()
        );
        for x in [
            "<Event><System><EventID>6272</EventID></System></Event>",
            "<e:Event xmlns:e='x'><e:System><e:EventID>6272</e:EventID><e:Provider Name = \"p\" Guid='g'/></e:System></e:Event>",
            "<Event><System><Provider Name='a' Name='b'/></System></Event>",
            "<Event><System><Provider Guid='a' Guid='b' Name='n'/></System></Event>",
            "<Event><System><Provider Name='a'Guid='b'/></System></Event>",
            "<Event><System><Provider Name=a/></System></Event>",
            "<Event><System><Provider Name/></System></Event>",
            "<Event><System><Provider Name='a\tb'/><TimeCreated SystemTime='x&amp;y'/></System></Event>",
            "<Event><System><Provider Name='a>b'/></System></Event>",
            "<Event><System><EventID>62&#55;2</EventID></System></Event>",
            "<Event><System><EventID><![CDATA[6272]]></EventID></System></Event>",
            "<Event><System><EventID>6272<!-- c --></EventID></System></Event>",
            "<?xml version='1.0'?><Event><System><EventID>6272</EventID></System></Event>",
            "<!DOCTYPE x><Event></Event>",
            "  <Event><System><EventID> 6272 </EventID></System></Event>  ",
            "<Event><System><EventID>6272</EventID></System></Event>x",
            "<Event></Event><Event></Event>",
            "<System><EventID>6272</EventID></System><EventData><Data>x</Data></EventData>",
            "<EventData><Data Name=\"ReasonCode\">16</Data><Data>x</Data><Data/><Data Name='e'/></EventData>",
            "<UserData><Data>u</Data></UserData>",
            "<Event><System><EventID>6272</eventid></System></Event>",
            "<Event><System><EventID>6272</EventID ></System></Event>",
            "<Event><System><EventID>6272</EventID></System>",
            "<Event><System><EventID>6272",
            "<Event><System><EventID",
            "<Event><System></Event>",
            "</Event>",
            "<Event>< System/></Event>",
            "<Event><System><Keywords>0x8010000000000000</Keywords><Version>2</Version><Level>0</Level><Task>12552</Task><Opcode>0</Opcode><EventRecordID>1</EventRecordID><Channel>Security</Channel><Computer>c</Computer></System><EventData><Data Name='a'>x<b>y</b>z</Data></EventData></Event>",
            "<Other/>",
            "",
            "<a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q><r></r></q></p></o></n></m></l></k></j></i></h></g></f></e></d></c></b></a><Event/>",
            "<Event a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8' i='9'></Event>",
            "<Event><System><Computer>日本</Computer></System></Event>",
        ] {
            same_as_quick_xml(x);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_reads_as_quick_xml_on_pieces(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<Event>", "</Event>", "<System>", "</System>", "<EventID>", "</EventID>",
                "<EventData>", "</EventData>", "<Data Name='A'>", "<Data>", "</Data>", "<Data/>",
                "<Provider Name=\"p\" Guid='g'/>", "<TimeCreated SystemTime='2026-01-01T00:00:00Z'/>",
                "6272", " ", "x", "&amp;", "&", "<", ">", "'", "\"", "/", "<!--c-->", "<e:Data>",
                "</e:Data>", "<![CDATA[c]]>", "=", "é", "<Keywords>", "</Keywords>", "0x8020000000000000",
            ]), 0..14)
        ) {
            same_as_quick_xml(&pieces.concat());
        }
    }

    #[test]
    fn fragments_and_refusals() {
        let ev =
            from_xml("<EventData><Data Name=\"ReasonCode\">16</Data><Data>x</Data></EventData>")
                .unwrap();
        assert_eq!(ev.named.len(), 1);
        assert_eq!(ev.inserts, ["x"]);
        assert!(from_xml("<!DOCTYPE x><Event></Event>").is_err());
        assert!(from_xml("<Event><System>").is_err());
        assert!(from_xml("<Other/>").is_err());
    }
}

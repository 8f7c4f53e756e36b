//! DTS-compliant XML: one `<Event>` per line, one child element per attribute, named by its
//! display name, with a `data_type` (0 integer, 1 text, 2 hex octets, 3 IPv4, 4 time; the
//! table is inferred, `docs/reference/nps-log-formats.md` §4.2). Also what NPS sends to SQL Server.
//!
//! A line in the form NPS writes (`<Event>`, then `<Name data_type="N">text</Name>` or
//! `<Name data_type="N"/>` elements, nothing else) is read in one pass over the `&str` it
//! already is. Anything else — entities, CDATA, comments, other attributes or quoting, an
//! error — goes to quick-xml, which reads the line in place (and checks its pieces are UTF-8
//! again, which is why it is not the first reader). No DTD is processed: a DOCTYPE is
//! refused and only the five predefined entities and character references are decoded, so
//! nothing can expand.

use crate::Format;
use crate::codes::attributes;
use crate::error::{ParseError, excerpt};
use crate::record::{Form, Key, Record, Span};
use crate::time::local_time_joined;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

#[derive(Clone, Copy)]
enum Target {
    Time,
    Computer,
    Service,
    Attr(Key),
}

pub(crate) fn parse(line: &str, rec: &mut Record) -> Result<(), ParseError> {
    if plain(line, rec).is_some() {
        return Ok(());
    }
    // Not in the plain form (or an error in it): start again with the full reader, which
    // also says what is wrong.
    rec.clear();
    parse_xml(line, rec)
}

/// XML white space.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The plain form, in one pass; `None` as soon as the line leaves it. What it accepts it reads
/// exactly as `parse_xml` does (`tests::plain_reads_as_quick_xml` compares the two).
fn plain(line: &str, rec: &mut Record) -> Option<()> {
    SEEN.with_borrow_mut(|seen| plain_with(line, rec, seen))
}

thread_local! {
    /// The element names of the lines before, by position, with what each names (none for a
    /// name the dictionary does not know): NPS writes the same elements in the same order
    /// line after line, so a name is mostly compared, not looked up.
    static SEEN: std::cell::RefCell<Vec<(Box<str>, Option<Target>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The most element positions remembered.
const SEEN_MAX: usize = 256;

/// `target`, answered from the line before when the element at this position had the same
/// name (which names the same: the lookup depends on the name only).
fn target_at(
    line: &str,
    rec: &mut Record,
    name: &str,
    at: usize,
    seen: &mut Vec<(Box<str>, Option<Target>)>,
) -> Target {
    if let Some((known, Some(t))) = seen.get(at)
        && **known == *name
    {
        return *t;
    }
    let t = target(line, rec, name);
    let keep = match t {
        Target::Attr(Key::Name(_)) => None,
        other => Some(other),
    };
    if at < seen.len() {
        seen[at] = (name.into(), keep);
    } else if at == seen.len() && at < SEEN_MAX {
        seen.push((name.into(), keep));
    }
    t
}

fn plain_with(
    line: &str,
    rec: &mut Record,
    seen: &mut Vec<(Box<str>, Option<Target>)>,
) -> Option<()> {
    let b = line.as_bytes();
    rec.format = Some(Format::Dts);
    if b.len() < 7 || b[0] != b'<' || b[6] != b'>' || !b[1..6].eq_ignore_ascii_case(b"Event") {
        return None;
    }
    let root = &b[1..6];
    let mut i = 7;
    let mut element = 0;
    loop {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if *b.get(i)? != b'<' {
            return None;
        }
        i += 1;
        if *b.get(i)? == b'/' {
            // Only `</Event>` (as the root was spelt), then white space, may end the line.
            let end = b.get(i + 1..i + 7)?;
            if &end[..5] != root || end[5] != b'>' || !b[i + 7..].iter().all(|&c| is_space(c)) {
                return None;
            }
            return Some(());
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'_' | b'.')) {
            i += 1;
        }
        let name = line.get(name_start..i).filter(|n| !n.is_empty())?;
        let mut form = Form::Untyped;
        if b.get(i) == Some(&b' ') {
            let rest = b.get(i + 1..)?;
            if !rest.starts_with(b"data_type=\"") {
                return None;
            }
            let v_start = i + 12;
            let v_len = memchr::memchr(b'"', &b[v_start..])?;
            let value = &line[v_start..v_start + v_len];
            if value.bytes().any(|c| matches!(c, b'<' | b'&' | b'>')) {
                return None;
            }
            form = value.trim().parse::<u8>().map_or(Form::Untyped, Form::Dts);
            i = v_start + v_len + 1;
        }
        let target = target_at(line, rec, name, element, seen);
        element += 1;
        let start = rec.begin_owned();
        match b.get(i)? {
            b'/' if b.get(i + 1) == Some(&b'>') => {
                i += 2;
                finish(line, rec, Some((target, form, start)), None, false).ok()?;
            }
            b'>' => {
                i += 1;
                let text_len = memchr::memchr2(b'<', b'&', &b[i..])?;
                if b[i + text_len] != b'<' {
                    return None;
                }
                let text = &line[i..i + text_len];
                i += text_len;
                // `</Name>`, spelt as the start tag.
                let close = b.get(i..i + 3 + name.len())?;
                if close[1] != b'/'
                    || &close[2..2 + name.len()] != name.as_bytes()
                    || close[2 + name.len()] != b'>'
                {
                    return None;
                }
                i += 3 + name.len();
                let piece = (!text.is_empty()).then(|| Record::span_in(line, text));
                finish(line, rec, Some((target, form, start)), piece, false).ok()?;
            }
            _ => return None,
        }
    }
}

/// Where an attribute element's value goes, by its name.
fn target(line: &str, rec: &mut Record, name: &str) -> Target {
    if name.eq_ignore_ascii_case("Timestamp") {
        Target::Time
    } else if name.eq_ignore_ascii_case("Computer-Name") {
        Target::Computer
    } else if name.eq_ignore_ascii_case("Event-Source") {
        Target::Service
    } else if let Some(id) = attributes::id_by_name(name) {
        Target::Attr(Key::Id(id))
    } else {
        Target::Attr(Key::Name(rec.span_of(line, name)))
    }
}

/// Any DTS line, by quick-xml.
fn parse_xml(line: &str, rec: &mut Record) -> Result<(), ParseError> {
    let err = |m: String| ParseError::new(Format::Dts, m);
    let mut reader = Reader::from_str(line);
    reader.config_mut().allow_dangling_amp = true;
    rec.format = Some(Format::Dts);

    // The root element.
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().0.eq_ignore_ascii_case("Event") => break,
            Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
            Ok(Event::Text(t)) if t.trim().is_empty() => {}
            Ok(Event::DocType(_)) => return Err(err("DOCTYPE is not allowed".into())),
            Ok(Event::Eof) => return Err(err("no <Event> element".into())),
            Ok(_) => return Err(err("the line does not start with <Event>".into())),
            Err(e) => return Err(err(format!("at byte {}: {e}", reader.error_position()))),
        }
    }

    let mut current: Option<(Target, Form, usize)> = None; // target, data_type, value start in scratch
    let mut pieces: Option<Span> = None; // the value so far, when it is one borrowed piece
    let mut owned = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| err(format!("at byte {}: {e}", reader.error_position())))?;
        match ev {
            Event::Start(e) | Event::Empty(e) if current.is_some() => {
                let _ = e;
                return Err(err(format!(
                    "at byte {}: element nested inside an attribute element",
                    reader.buffer_position()
                )));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().0;
                let data_type = match e.try_get_attribute("data_type") {
                    Ok(Some(a)) => a
                        .value
                        .trim()
                        .parse::<u8>()
                        .map_or(Form::Untyped, Form::Dts),
                    _ => Form::Untyped,
                };
                let target = target(line, rec, name);
                let empty = matches!(ev, Event::Empty(_));
                current = Some((target, data_type, rec.begin_owned()));
                pieces = None;
                owned = false;
                if empty {
                    finish(line, rec, current.take(), None, false)?;
                }
            }
            Event::Text(t) if current.is_some() => {
                let s = t.into_inner();
                append(line, rec, &mut pieces, &mut owned, &s);
            }
            Event::CData(t) if current.is_some() => {
                let s = t.into_inner();
                append(line, rec, &mut pieces, &mut owned, &s);
            }
            Event::GeneralRef(r) if current.is_some() => {
                let mut buf = [0u8; 4];
                let s = resolve_ref(&r, &mut buf).ok_or_else(|| {
                    err(format!(
                        "at byte {}: undefined entity &{};",
                        reader.buffer_position(),
                        excerpt(&r, 20)
                    ))
                })?;
                // A decoded entity always goes to scratch (it is not in the line as written).
                if !owned {
                    let start = current.as_ref().map_or(0, |c| c.2);
                    debug_assert_eq!(start, rec.begin_owned());
                    if let Some(p) = pieces {
                        let prev = rec.text(line, p).to_string();
                        rec.scratch_mut().push_str(&prev);
                    }
                    owned = true;
                }
                rec.scratch_mut().push_str(s);
            }
            Event::End(e) => {
                if current.is_some() {
                    let cur = current.take();
                    finish(line, rec, cur, pieces.take(), owned)?;
                } else if e.name().0.eq_ignore_ascii_case("Event") {
                    break;
                }
            }
            Event::Text(t) if t.trim().is_empty() => {}
            Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(err("DOCTYPE is not allowed".into())),
            Event::Eof => return Err(err("the line ends inside <Event>".into())),
            other => {
                return Err(err(format!(
                    "at byte {}: unexpected {}",
                    reader.buffer_position(),
                    describe(&other)
                )));
            }
        }
    }
    // Only white space may follow </Event>.
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(()),
            Ok(Event::Text(t)) if t.trim().is_empty() => {}
            Ok(Event::Comment(_)) => {}
            Ok(_) | Err(_) => {
                return Err(err(format!(
                    "at byte {}: content after </Event>",
                    reader.buffer_position()
                )));
            }
        }
    }
}

fn describe(ev: &Event<'_>) -> &'static str {
    match ev {
        Event::Text(_) => "text between elements",
        Event::CData(_) => "CDATA between elements",
        Event::Decl(_) => "XML declaration",
        Event::GeneralRef(_) => "entity reference between elements",
        _ => "markup",
    }
}

fn append(line: &str, rec: &mut Record, pieces: &mut Option<Span>, owned: &mut bool, s: &str) {
    if *owned {
        rec.scratch_mut().push_str(s);
    } else if let Some(p) = *pieces {
        // A second piece: move the value to scratch.
        let prev = rec.text(line, p).to_string();
        rec.scratch_mut().push_str(&prev);
        rec.scratch_mut().push_str(s);
        *owned = true;
    } else {
        *pieces = Some(rec.span_of(line, s));
    }
}

fn finish(
    line: &str,
    rec: &mut Record,
    cur: Option<(Target, Form, usize)>,
    piece: Option<Span>,
    owned: bool,
) -> Result<(), ParseError> {
    let Some((target, data_type, start)) = cur else {
        return Ok(());
    };
    let value = if owned {
        rec.finish_owned(start)
    } else {
        piece.unwrap_or_default()
    };
    match target {
        Target::Time => {
            let text = rec.text(line, value);
            if rec.time.is_none() {
                rec.time = Some(local_time_joined(text).ok_or_else(|| {
                    ParseError::new(
                        Format::Dts,
                        format!(
                            "<Timestamp> '{}' is not MM/DD/YYYY HH:MM:SS[.mmm]",
                            excerpt(text, 40)
                        ),
                    )
                })?);
            }
        }
        Target::Computer => rec.computer = Some(value),
        Target::Service => rec.service = Some(value),
        Target::Attr(key) => rec.push(key, value, data_type),
    }
    Ok(())
}

/// The text of a predefined entity or character reference; `None` for anything else.
fn resolve_ref<'b>(r: &BytesRef<'_>, buf: &'b mut [u8; 4]) -> Option<&'b str> {
    let s: &str = match &**r {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            let c = r.resolve_char_ref().ok()??;
            return Some(c.encode_utf8(buf));
        }
    };
    let n = s.len();
    buf[..n].copy_from_slice(s.as_bytes());
    std::str::from_utf8(&buf[..n]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(line: &str) -> (Record, Vec<(String, String, Form)>) {
        let mut rec = Record::default();
        parse(line, &mut rec).unwrap();
        let v = rec
            .attrs
            .iter()
            .map(|a| {
                let k = match a.key {
                    Key::Id(id) => attributes::by_id(id).unwrap().name.to_string(),
                    Key::Name(s) => format!("?{}", rec.text(line, s)),
                };
                (k, rec.text(line, a.value).to_string(), a.form)
            })
            .collect();
        (rec, v)
    }

    #[test]
    fn reject_example_from_the_reference() {
        // docs/reference/nps-log-formats.md §4.4, the 2014 Access-Reject.
        let line = r#"<Event><Timestamp data_type="4">05/19/2014 15:21:44.008</Timestamp><Computer-Name data_type="1">NPSServer</Computer-Name><Event-Source data_type="1">IAS</Event-Source><Class data_type="1">311 1 10.1.2.42 05/16/2014 02:17:48 1307</Class><Authentication-Type data_type="0">5</Authentication-Type><Fully-Qualifed-User-Name data_type="1">DOMAIN\ComputerName.domain.com</Fully-Qualifed-User-Name><SAM-Account-Name data_type="1">DOMAIN\ComputerName.domain.com</SAM-Account-Name><Provider-Type data_type="0">1</Provider-Type><Proxy-Policy-Name data_type="1">Secure Wireless Connections</Proxy-Policy-Name><Client-Friendly-Name data_type="1">WLANCON</Client-Friendly-Name><Client-Vendor data_type="0">0</Client-Vendor><Client-IP-Address data_type="3">10.255.100.1</Client-IP-Address><Packet-Type data_type="0">3</Packet-Type><Reason-Code data_type="0">8</Reason-Code></Event>"#;
        let (rec, a) = attrs(line);
        let t = rec.time.unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.millis),
            (2014, 5, 19, 15, Some(8))
        );
        assert_eq!(rec.text(line, rec.computer.unwrap()), "NPSServer");
        assert_eq!(a.len(), 11);
        assert_eq!(
            a[0],
            (
                "Class".into(),
                "311 1 10.1.2.42 05/16/2014 02:17:48 1307".into(),
                Form::Dts(1)
            )
        );
        assert_eq!(a[9], ("Packet-Type".into(), "3".into(), Form::Dts(0)));
        assert_eq!(a[10], ("Reason-Code".into(), "8".into(), Form::Dts(0)));
    }

    #[test]
    fn names_any_case_entities_and_unknown_elements() {
        let line = "<Event><called-station-id data_type=\"1\">a &amp; b &#x41;&lt;</called-station-id><X-Custom data_type=\"1\">v</X-Custom><NP-Policy-Name data_type=\"1\"/></Event>";
        let (_, a) = attrs(line);
        assert_eq!(
            a[0],
            ("Called-Station-ID".into(), "a & b A<".into(), Form::Dts(1))
        );
        assert_eq!(a[1], ("?X-Custom".into(), "v".into(), Form::Dts(1)));
        assert_eq!(a[2], ("NP-Policy-Name".into(), String::new(), Form::Dts(1)));
    }

    /// A record as texts, so two readers' records compare whatever spans they chose.
    fn view(line: &str, rec: &Record) -> String {
        let t = |s: Option<Span>| s.map(|s| rec.text(line, s).to_string());
        let attrs: Vec<_> = rec
            .attrs
            .iter()
            .map(|a| {
                let k = match a.key {
                    Key::Id(id) => format!("#{id}"),
                    Key::Name(s) => rec.text(line, s).to_string(),
                };
                (
                    k,
                    rec.text(line, a.value).to_string(),
                    a.value.is_empty(),
                    a.form,
                )
            })
            .collect();
        format!(
            "{:?} {:?} {:?} {:?} {attrs:?}",
            rec.format,
            rec.time,
            t(rec.computer),
            t(rec.service)
        )
    }

    /// The one-pass reader against quick-xml: where it accepts a line it must read it as
    /// quick-xml does, and where it declines, `parse` must give quick-xml's answer.
    fn same_as_quick_xml(line: &str) -> bool {
        let mut fast = Record::default();
        let accepted = plain(line, &mut fast).is_some();
        let mut slow = Record::default();
        let slow_result = parse_xml(line, &mut slow);
        if accepted {
            assert!(
                slow_result.is_ok(),
                "{line}: plain accepted what quick-xml refuses"
            );
            assert_eq!(view(line, &fast), view(line, &slow), "{line}");
        }
        let mut via = Record::default();
        let via_result = parse(line, &mut via);
        assert_eq!(
            via_result.as_ref().err().map(|e| e.message.clone()),
            slow_result.as_ref().err().map(|e| e.message.clone()),
            "{line}"
        );
        if via_result.is_ok() {
            assert_eq!(view(line, &via), view(line, &slow), "{line}");
        }
        accepted
    }

    #[test]
    fn plain_reads_as_quick_xml() {
        let golden = [
            include_str!("../tests/golden/dts/reference-2024-accounting.in"),
            include_str!("../tests/golden/dts/seed-whitepaper.in"),
            include_str!("../tests/golden/dts/nxlog-2009-nap-full.in"),
            include_str!("../tests/golden/dts/reference-2014-wireless-full.in"),
            include_str!("../tests/golden/dts/reference-russian.in"),
            include_str!("../tests/golden/mixed/mixed.in"),
            include_str!("../tests/golden/errors/bad-lines.in"),
        ];
        let mut accepted = 0;
        for line in golden.iter().flat_map(|g| g.lines()) {
            if line.trim_start().starts_with('<') {
                accepted += usize::from(same_as_quick_xml(line));
            }
        }
        assert!(accepted >= 5, "{accepted} golden lines in the plain form");
        for line in [
            "<Event></Event>",
            "<event></event>  \r",
            "<Event></event>",
            "<EVENT><User-Name data_type=\"1\">x</User-Name></EVENT>",
            "<Event><User-Name data_type=\"1\"></User-Name><NAS-Port data_type=\" 5 \"/></Event>",
            "<Event><User-Name data_type=\"+1\">a>b</User-Name></Event>",
            "<Event><User-Name data_type=\"1\">x</user-name></Event>",
            "<Event><User-Name data_type=\"1\">x</User-Name ></Event>",
            "<Event><User-Name data_type='1'>x</User-Name></Event>",
            "<Event><User-Name  data_type=\"1\">x</User-Name></Event>",
            "<Event><User-Name data_type=\"1\" >x</User-Name></Event>",
            "<Event><User-Name data_type=\"1\" x=\"2\">x</User-Name></Event>",
            "<Event><User-Name data_type=\">\">x</User-Name></Event>",
            "<Event><User-Name data_type=\"1\">a&amp;b</User-Name></Event>",
            "<Event><User-Name data_type=\"1\">a&b</User-Name></Event>",
            "<Event><User-Name data_type=\"1\"><![CDATA[x]]></User-Name></Event>",
            "<Event><User-Name data_type=\"1\">x<!--c--></User-Name></Event>",
            "<Event> <!--c--> </Event>",
            "<Event>\t<X-Custom data_type=\"1\">v</X-Custom>\n</Event>",
            "<Event><X.y_z data_type=\"1\">v</X.y_z></Event>",
            "<Event><a:b data_type=\"1\">v</a:b></Event>",
            "<Event><Timestamp data_type=\"4\">yesterday</Timestamp></Event>",
            "<Event><Timestamp data_type=\"4\">01/02/2026 03:04:05.6</Timestamp><Timestamp data_type=\"4\">x</Timestamp></Event>",
            "<Event><User-Name data_type=\"1\">x</User-Name>",
            "<Event><User-Name data_type=\"1\">x",
            "<Event><User-Name data_type=\"1",
            "<Event><User-Name",
            "<Event><",
            "<Event>",
            "<Event></Event>x",
            "<Event></Event><Event></Event>",
            "<Event><User-Name><b>x</b></User-Name></Event>",
            "<Event>x</Event>",
            "<Event/>",
            " <Event></Event>",
            "<?xml version=\"1.0\"?><Event></Event>",
            "<Event xmlns=\"x\"></Event>",
            "<Event><Computer-Name data_type=\"1\">日本</Computer-Name><Event-Source data_type=\"1\">IAS</Event-Source></Event>",
            "<Event><Ü data_type=\"1\">v</Ü></Event>",
        ] {
            same_as_quick_xml(line);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_reads_as_quick_xml_on_pieces(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<Event>", "</Event>", "<User-Name data_type=\"1\">", "</User-Name>",
                "<NAS-Port data_type=\"0\"/>", "<X-Y>", "</X-Y>", "<X-Y/>", "abc", " ", "\t",
                "&amp;", "&", "<", ">", "\"", "/", "<!--c-->", "<![CDATA[c]]>", "=", "data_type",
                "<Timestamp data_type=\"4\">", "</Timestamp>", "01/02/2026 03:04:05", "é",
            ]), 0..12)
        ) {
            same_as_quick_xml(&pieces.concat());
        }
    }

    #[test]
    fn refuses_what_it_must() {
        let mut rec = Record::default();
        for (line, why) in [
            (
                "<!DOCTYPE x [<!ENTITY e \"boom\">]><Event></Event>",
                "DOCTYPE",
            ),
            (
                "<Event><User-Name data_type=\"1\">&e;</User-Name></Event>",
                "undefined entity",
            ),
            (
                "<Event><User-Name data_type=\"1\">x</User-Name>",
                "ends inside",
            ),
            ("<Event><User-Name><b>x</b></User-Name></Event>", "nested"),
            ("<Event></Event>junk", "after </Event>"),
            (
                "<Event><Timestamp data_type=\"4\">yesterday</Timestamp></Event>",
                "Timestamp",
            ),
        ] {
            rec.clear();
            let e = parse(line, &mut rec).unwrap_err();
            assert!(e.message.contains(why), "{line}: {e}");
        }
    }
}

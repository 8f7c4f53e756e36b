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
    name.rsplit(':').next().unwrap_or(name)
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
    let mut r = Reader::from_str(input);
    r.config_mut().allow_dangling_amp = true;
    let mut ev = Event {
        shape: "xml",
        ..Event::default()
    };
    let mut depth = 0usize;
    let mut in_system = false;
    let mut in_data = false;
    let mut seen_event = false;
    let mut field = Field::Other;
    let mut data_name: Option<Text<'_>> = None;
    let mut value: Option<Text<'_>> = None;
    loop {
        let x = r
            .read_event()
            .map_err(|e| format!("event XML at byte {}: {e}", r.error_position()))?;
        match x {
            X::Start(ref e) | X::Empty(ref e) => {
                let empty = matches!(x, X::Empty(_));
                let raw = e.name();
                let name = local(raw.0);
                seen_event |= matches!(name, "Event" | "System" | "EventData");
                match name {
                    "System" => in_system = !empty,
                    "EventData" | "UserData" => in_data = !empty,
                    "Provider" if in_system => {
                        ev.provider = attr(input, e, "Name");
                        ev.provider_guid = attr(input, e, "Guid");
                    }
                    "TimeCreated" if in_system => {
                        ev.time = attr(input, e, "SystemTime").map(|t| (t, Clock::Utc));
                    }
                    _ => {}
                }
                field = match name {
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
                if field == Field::Data {
                    data_name = attr(input, e, "Name");
                }
                value = None;
                if empty {
                    finish(&mut ev, field, data_name.take(), None);
                    field = Field::Other;
                } else {
                    depth += 1;
                }
            }
            // Text counts only inside a field (white space between elements does not).
            X::Text(t) if field != Field::Other => {
                let s = t.into_inner();
                append(&mut value, reborrow(input, &s));
            }
            X::CData(t) if field != Field::Other => {
                let s = t.into_inner();
                append(&mut value, reborrow(input, &s));
            }
            X::GeneralRef(g) if field != Field::Other => {
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
                append(&mut value, Cow::Owned(s));
            }
            X::End(e) => {
                let raw = e.name();
                match local(raw.0) {
                    "System" => in_system = false,
                    "EventData" | "UserData" => in_data = false,
                    _ => {}
                }
                if field != Field::Other {
                    finish(&mut ev, field, data_name.take(), value.take());
                }
                field = Field::Other;
                depth = depth.saturating_sub(1);
            }
            X::DocType(_) => return Err("event XML: DOCTYPE is not allowed".into()),
            X::Eof => break,
            _ => {}
        }
    }
    if !seen_event {
        return Err("event XML: no <Event>, <System> or <EventData> element".into());
    }
    if depth != 0 {
        return Err("event XML: the line ends inside an element".into());
    }
    Ok(ev)
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

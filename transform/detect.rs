//! Per-line format detection. NPS does not start a new file when its log format changes
//! (`docs/reference/nps-log-formats.md` §1), so every line is looked at on its own: the first bytes pick a
//! family, the header fields confirm it. The parsers check the rest.

use crate::Format;
use crate::time::{parse_date, parse_time};

/// The format of `line` (already stripped of BOM and line end), or `None`.
pub(crate) fn detect(line: &str) -> Option<Format> {
    let b = line.as_bytes();
    match b.first()? {
        b'<' => {
            // `<Event>` is DTS; `<Event xmlns=…>` is a rendered Windows event. A prolog
            // (`<?xml`, `<!DOCTYPE`) is left for the parser to judge.
            let at = memchr::memmem::find(b, b"<Event")?;
            let tag_end = memchr::memchr(b'>', &b[at..]).map_or(b.len(), |i| at + i);
            if line[at..tag_end].contains("xmlns") {
                Some(Format::WinEvent)
            } else {
                Some(Format::Dts)
            }
        }
        b'{' => Some(Format::WinEvent),
        _ => detect_csv(line),
    }
}

/// `line.splitn(9, ',')`, split on the byte: cheaper than `str::split`'s char searcher on
/// short fields, and a comma is always a char boundary.
fn split9(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(line);
    let mut n = 0;
    std::iter::from_fn(move || {
        let r = rest?;
        n += 1;
        match r.bytes().position(|c| c == b',').filter(|_| n < 9) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// IAS: `NAS-IP,User,MM/DD/YYYY,HH:MM:SS,Service,Computer,…` (unquoted);
/// ODBC: `Computer,"Service",MM/DD/YYYY,HH:MM:SS,…` (text quoted).
fn detect_csv(line: &str) -> Option<Format> {
    let mut fields = split9(line);
    let f0 = fields.next()?;
    let f1 = fields.next()?;
    if f0.starts_with('"') || f1.starts_with('"') {
        return Some(Format::Odbc);
    }
    let f2 = fields.next()?;
    let f3 = fields.next()?;
    if parse_date(f2).is_some() && parse_time(f3).is_some() {
        // An unquoted database-format line names its service in field 2.
        if f1 == "IAS" || f1 == "RAS" {
            return Some(Format::Odbc);
        }
        return Some(Format::Ias);
    }
    // IAS with a comma inside the header User-Name: the date comes later.
    let mut prev = f3;
    for f in fields {
        if parse_date(prev).is_some() && parse_time(f).is_some() {
            return Some(Format::Ias);
        }
        prev = f;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn split9_is_splitn(line in "[a,é]{0,30}") {
            let ours: Vec<&str> = split9(&line).collect();
            let std: Vec<&str> = line.splitn(9, ',').collect();
            proptest::prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn picks_each_format() {
        assert_eq!(
            detect("192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,4136,2"),
            Some(Format::Ias)
        );
        assert_eq!(
            detect("NAPNPS,\"IAS\",01/17/2008,14:00:07,2,,,"),
            Some(Format::Odbc)
        );
        assert_eq!(
            detect("\"CLIENTCOMP\",\"IAS\",03/07/2008,13:04:33,1,\"client\""),
            Some(Format::Odbc)
        );
        assert_eq!(
            detect("NAPNPS,IAS,01/17/2008,14:00:07,2,,,"),
            Some(Format::Odbc)
        );
        assert_eq!(
            detect("<Event><Timestamp data_type=\"4\">"),
            Some(Format::Dts)
        );
        assert_eq!(
            detect("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"),
            Some(Format::WinEvent)
        );
        assert_eq!(detect("{\"winlog\":{}}"), Some(Format::WinEvent));
        assert_eq!(
            detect("10.0.0.1,Doe, John,01/17/2008,13:13:40,IAS,NPS1,4136,1"),
            Some(Format::Ias)
        );
        assert_eq!(detect("<!DOCTYPE x><Event></Event>"), Some(Format::Dts));
        assert_eq!(detect("<Other/>"), None);
        assert_eq!(detect("hello world"), None);
        assert_eq!(detect("a,b,c,d,e"), None);
    }
}

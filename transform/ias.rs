//! IAS (legacy) format: six header fields, then `attribute-id,value` pairs
//! (`docs/reference/nps-log-formats.md` §2).
//!
//! Values are written unquoted and NPS has no escape for a comma inside one (policy and
//! friendly names often contain commas). The rule used here: where an attribute id is
//! expected, a token starts a new pair only if it is a decimal integer (no spaces, optional
//! `-`) that the dictionary knows (named, or listed without a name) or a RADIUS attribute
//! number 1–255. Any other token
//! belongs to the previous value, comma included. An id that ends the line (a line cut short)
//! is kept with an empty value.
//! Limit: a value containing a comma followed by such an integer (`VLAN,10`) is split there;
//! nothing in the line can tell the two readings apart.
//! The header User-Name may contain commas too: the date and time fields locate it.

use crate::Format;
use crate::codes::attributes;
use crate::error::{ParseError, excerpt};
use crate::record::{Form, Key, Record};
use crate::time::{local_time, parse_date, parse_time};

/// A comma-separated token: byte range and whether it is the line's last.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    last: bool,
}

struct Cursor<'a> {
    line: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> Cursor<'a> {
    fn next(&mut self) -> Option<Tok> {
        if self.done {
            return None;
        }
        let start = self.pos;
        match find_comma(&self.line.as_bytes()[start..]) {
            Some(i) => {
                self.pos = start + i + 1;
                Some(Tok {
                    start,
                    end: start + i,
                    last: false,
                })
            }
            None => {
                self.done = true;
                Some(Tok {
                    start,
                    end: self.line.len(),
                    last: true,
                })
            }
        }
    }

    fn text(&self, t: Tok) -> &'a str {
        &self.line[t.start..t.end]
    }
}

/// The first comma in `b`. Most tokens are short ids and codes, where a plain loop beats
/// memchr's set-up; long values (names, health results) go to memchr.
#[inline]
fn find_comma(b: &[u8]) -> Option<usize> {
    let head = b.len().min(16);
    match b[..head].iter().position(|&c| c == b',') {
        Some(i) => Some(i),
        None => memchr::memchr(b',', &b[head..]).map(|i| i + head),
    }
}

/// The id a token names, if it may start a pair.
///
/// Older IAS and RRAS servers write Microsoft's negative ids in their unsigned 32-bit form
/// (`4294967206` for −90, MS-MPPE-Encryption-Types; the SDK's `ATTRIBUTEID` enumeration
/// lists both spellings): such a token names the negative id when the dictionary knows it.
pub(crate) fn accept_id(s: &str) -> Option<i32> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut n = 0u64;
    for &b in digits.as_bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    let id = match (neg, n) {
        (true, 0..=999_999) => -(n as i32),
        (false, 0..=999_999) => n as i32,
        // The unsigned form of a negative id: 2^32 − |id|.
        (false, 0x8000_0000..=0xFFFF_FFFF) => (n as u32) as i32,
        _ => return None,
    };
    (attributes::is_known(id) || (1..=255).contains(&id)).then_some(id)
}

const MAX_USER_FIELDS: usize = 32;

pub(crate) fn parse(line: &str, rec: &mut Record) -> Result<(), ParseError> {
    let err = |m: String| ParseError::new(Format::Ias, m);
    let mut cur = Cursor {
        line,
        pos: 0,
        done: false,
    };
    let nas = cur.next().ok_or_else(|| err("empty line".into()))?;
    // Fields 2.. up to the date: the User-Name, commas and all.
    let first_user = cur
        .next()
        .ok_or_else(|| err("line ends after field 1; expected the 6 header fields".into()))?;
    let mut prev = first_user;
    let mut before_prev: Option<Tok> = None;
    let mut found = None;
    for _ in 0..MAX_USER_FIELDS {
        let Some(t) = cur.next() else { break };
        if let Some(user_last) = before_prev
            && parse_date(cur.text(prev)).is_some()
            && parse_time(cur.text(t)).is_some()
        {
            found = Some((user_last, prev, t));
            break;
        }
        before_prev = Some(prev);
        prev = t;
    }
    let Some((user_last, date, time)) = found else {
        return Err(err(
            "no MM/DD/YYYY,HH:MM:SS pair in the header (fields 3 and 4)".into(),
        ));
    };
    let lt = local_time(cur.text(date), cur.text(time)).ok_or_else(|| {
        err(format!(
            "fields 3-4: '{} {}' is not a valid date and time",
            cur.text(date),
            cur.text(time)
        ))
    })?;
    let service = cur
        .next()
        .ok_or_else(|| err("line ends after the time; expected Service-Name".into()))?;
    let computer = cur
        .next()
        .ok_or_else(|| err("line ends after Service-Name; expected Computer-Name".into()))?;

    rec.format = Some(Format::Ias);
    rec.time = Some(lt);
    let span = |t: Tok| Record::span_in(line, cur.text(t));
    let nas_s = span(nas);
    if !nas_s.is_empty() {
        rec.header_nas_ip = Some(nas_s);
    }
    let user = Record::span_in(line, &line[first_user.start..user_last.end]);
    if !user.is_empty() {
        rec.header_user = Some(user);
    }
    rec.service = Some(span(service));
    rec.computer = Some(span(computer));
    if computer.last {
        return Ok(());
    }

    let mut field_no = 7;
    let mut next = cur.next();
    // The id of `next`, when the look-ahead below has read it already.
    let mut next_id = None;
    while let Some(tok) = next {
        let text = cur.text(tok);
        if text.is_empty() && tok.last {
            break; // a trailing comma
        }
        let Some(id) = next_id.take().or_else(|| accept_id(text)) else {
            return Err(err(format!(
                "field {field_no}: expected an attribute id, found '{}'",
                excerpt(text, 40)
            )));
        };
        let Some(val) = cur.next() else {
            rec.push(Key::Id(id), Default::default(), Form::Untyped);
            break;
        };
        field_no += 2;
        let mut end = val.end;
        next = cur.next();
        while let Some(t) = next {
            next_id = accept_id(cur.text(t));
            if next_id.is_some() {
                break;
            }
            if !(t.last && t.start == t.end) {
                end = t.end;
            }
            field_no += 1;
            next = cur.next();
        }
        rec.push(
            Key::Id(id),
            Record::span_in(line, &line[val.start..end]),
            Form::Untyped,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(i32, String)> {
        let mut rec = Record::default();
        parse(line, &mut rec).unwrap();
        rec.attrs
            .iter()
            .map(|a| match a.key {
                Key::Id(id) => (id, rec.text(line, a.value).to_string()),
                Key::Name(_) => unreachable!(),
            })
            .collect()
    }

    /// The naive reading: split on every comma, pair up. Correct whenever no value has a comma.
    fn naive(line: &str) -> Vec<(i32, String)> {
        let t: Vec<&str> = line.split(',').collect();
        t[6..]
            .chunks(2)
            .map(|c| (c[0].parse().unwrap(), c.get(1).unwrap_or(&"").to_string()))
            .collect()
    }

    proptest::proptest! {
        /// The hand-rolled digit loop agrees with the standard parser.
        #[test]
        fn accept_id_matches_str_parse(s in "[-+0-9 a]{0,8}|429496[0-9]{4}|-?[0-9]{1,11}") {
            let digits = s.strip_prefix('-').unwrap_or(&s);
            let oracle = (!digits.is_empty()
                && digits.len() <= 10
                && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
            .and_then(|n| match n {
                -999_999..=999_999 => Some(n as i32),
                2_147_483_648..=4_294_967_295 => Some((n - 4_294_967_296) as i32),
                _ => None,
            })
            .filter(|&id| attributes::is_known(id) || (1..=255).contains(&id));
            proptest::prop_assert_eq!(accept_id(&s), oracle);
        }
    }

    #[test]
    fn reference_example_pairs() {
        // docs/reference/nps-log-formats.md §2.2, from the Iasparse examples.
        let line = "172.31.230.187,rajeshp,02/09/2000,23:18:00,IAS,RAJESHP2,4130,RAJESHP2\\rajeshp,4129,RAJESHP2\\rajeshp,4128,rajeshp3,4116,9,4108,172.31.230.187,4136,3,4142,16";
        let p = pairs(line);
        assert_eq!(p.len(), 7);
        assert_eq!(p[0], (4130, "RAJESHP2\\rajeshp".into()));
        assert_eq!(p[5], (4136, "3".into()));
        assert_eq!(p[6], (4142, "16".into()));
        assert_eq!(p, naive(line));
    }

    #[test]
    fn comma_inside_a_value_is_recovered() {
        let line = "10.0.0.1,bob,01/17/2008,13:13:40,IAS,NPS1,4149,Wireless, staff and guests,4154,Secure,Wireless,4136,2,4142,0";
        let p = pairs(line);
        assert_eq!(
            p,
            vec![
                (4149, "Wireless, staff and guests".into()),
                (4154, "Secure,Wireless".into()),
                (4136, "2".into()),
                (4142, "0".into()),
            ]
        );
    }

    #[test]
    fn comma_in_header_user_name() {
        let line = "10.0.0.1,Doe, John,01/17/2008,13:13:40,IAS,NPS1,4136,1";
        let mut rec = Record::default();
        parse(line, &mut rec).unwrap();
        assert_eq!(rec.text(line, rec.header_user.unwrap()), "Doe, John");
        assert_eq!(rec.text(line, rec.computer.unwrap()), "NPS1");
        assert_eq!(rec.attrs.len(), 1);
    }

    #[test]
    fn negative_and_hex_values() {
        let line = "10.0.0.1,,01/17/2008,13:13:40,IAS,NPS1,-89,2,-90,4,4121,0x00453D36393120523D3020563D33";
        assert_eq!(
            pairs(line),
            vec![
                (-89, "2".into()),
                (-90, "4".into()),
                (4121, "0x00453D36393120523D3020563D33".into())
            ]
        );
    }

    #[test]
    fn unsigned_spelling_of_negative_ids() {
        // 2^32 − 90 = 4294967206 (MS-MPPE-Encryption-Types), 2^32 − 89 = 4294967207
        // (MS-MPPE-Encryption-Policy), 2^32 − 88 = 4294967208 (MS-BAP-Usage).
        assert_eq!(accept_id("4294967206"), Some(-90));
        assert_eq!(accept_id("4294967207"), Some(-89));
        assert_eq!(accept_id("4294967208"), Some(-88));
        // 2^32 − 1000 is no id the dictionary knows; 2^32 and beyond are no 32-bit id.
        assert_eq!(accept_id("4294966296"), None);
        assert_eq!(accept_id("4294967296"), None);
        assert_eq!(accept_id("-4294967206"), None);
        // Read as an id, the unsigned spelling ends the previous value (a folder path here)
        // instead of being glued onto it.
        let line = "10.0.0.1,bob,05/17/2003,10:11:12,RAS,SRV,4154,Use Windows authentication for all users,4294967206,4,4294967207,1,4136,2";
        assert_eq!(
            pairs(line),
            vec![
                (4154, "Use Windows authentication for all users".into()),
                (-90, "4".into()),
                (-89, "1".into()),
                (4136, "2".into()),
            ]
        );
    }

    #[test]
    fn bad_lines_say_where() {
        let mut rec = Record::default();
        let e = parse("10.0.0.1,,01/17/2008,13:13:40,IAS,NPS1,bogus,1", &mut rec).unwrap_err();
        assert!(e.message.contains("field 7"), "{e}");
        let e = parse("10.0.0.1,,13/45/2008,13:13:40,IAS,NPS1", &mut rec).unwrap_err();
        assert!(e.message.contains("header"), "{e}");
        let e = parse("10.0.0.1,,02/30/2008,13:13:40,IAS,NPS1", &mut rec).unwrap_err();
        assert!(e.message.contains("not a valid date"), "{e}");
        let e = parse("10.0.0.1,,02/03/2008,13:13:40,IAS", &mut rec).unwrap_err();
        assert!(e.message.contains("Computer-Name"), "{e}");
    }

    use proptest::prelude::*;

    proptest! {
        // Property: for lines whose values have no commas, the memchr parser agrees with the
        // naive split-and-pair oracle.
        #[test]
        fn agrees_with_naive_split(
            pairs_in in proptest::collection::vec(
                (prop::sample::select(vec![1i32, 4, 6, 25, 31, 4108, 4136, 4142, 8124, -89]), "[^,\r\n]{0,12}"),
                0..20)
        ) {
            let mut line = String::from("10.1.2.3,user,01/17/2008,13:13:40,IAS,NPS");
            for (id, v) in &pairs_in {
                line.push_str(&format!(",{id},{v}"));
            }
            prop_assert_eq!(pairs(&line), naive(&line));
        }
    }
}

//! ODBC (legacy) / "database-compatible" format: fixed columns, text quoted
//! (`docs/reference/nps-log-formats.md` §3). 66 columns on NPS (2008 and later), 60 on older IAS; the first
//! 60 are the same in both, and Microsoft's own cc771748 request example has 62 (empty
//! trailing columns). So 60–66 columns are read by position — each count is a prefix of the
//! same layout, nothing moves. Any other count is refused rather than guessed at: a shifted
//! column would put values under the wrong names.
//!
//! Quoting: `"` opens a text value; inside it, `""` is a literal quote, and a `"` not followed
//! by `,` or the line end is taken literally (how NPS escapes quotes is not documented).

use crate::Format;
use crate::error::ParseError;
use crate::record::{Form, Key, Record};
use crate::time::local_time;

/// Attribute id of columns 5..=66 (`docs/reference/nps-log-formats.md` §3.2). Columns 1–4 are the header:
/// ComputerName, ServiceName, Record-Date, Record-Time.
pub(crate) static COLUMNS: [i32; 62] = [
    4136, 1, 4130, 30, 31, 19, 8, 32, 4, 5, // 5–14
    4116, 4108, 4128, 55, 62, 61, 77, 7, 6, 4127, // 15–24
    4149, 4142, 25, 27, 28, 29, 4132, 40, 41, 42, // 25–34
    43, 44, 45, 46, 47, 48, 49, 50, 51, 85, // 35–44
    64, 65, 66, 67, 68, 81, 82, 83, 4134, 4135, // 45–54
    4148, 4147, 4121, 4120, -90, -89, // 55–60
    4154, 4155, 4156, 4157, 4159, 4160, // 61–66
];

pub(crate) fn parse(line: &str, rec: &mut Record) -> Result<(), ParseError> {
    let err = |m: String| ParseError::new(Format::Odbc, m);
    let b = line.as_bytes();
    let mut pos = 0usize;
    let mut col = 0usize;
    let mut date = "";
    rec.format = Some(Format::Odbc);
    loop {
        col += 1;
        // One field: [start, end) of its text, and whether `""` must be collapsed.
        let (start, end, doubled, next) = if b.get(pos) == Some(&b'"') {
            let start = pos + 1;
            let mut i = start;
            let mut doubled = false;
            loop {
                match memchr::memchr(b'"', &b[i..]) {
                    None => {
                        return Err(err(format!(
                            "column {col}: quoted value has no closing quote"
                        )));
                    }
                    Some(q) => {
                        let q = i + q;
                        match b.get(q + 1) {
                            Some(b'"') => {
                                doubled = true;
                                i = q + 2;
                            }
                            None => break (start, q, doubled, None),
                            Some(b',') => break (start, q, doubled, Some(q + 2)),
                            Some(_) => i = q + 1, // a stray quote, kept as text
                        }
                    }
                }
            }
        } else {
            match memchr::memchr(b',', &b[pos..]) {
                Some(c) => (pos, pos + c, false, Some(pos + c + 1)),
                None => (pos, b.len(), false, None),
            }
        };
        let text = &line[start..end];
        let span = if doubled {
            let s = rec.begin_owned();
            let mut parts = text.split("\"\"");
            if let Some(first) = parts.next() {
                rec.scratch_mut().push_str(first);
            }
            for p in parts {
                rec.scratch_mut().push('"');
                rec.scratch_mut().push_str(p);
            }
            rec.finish_owned(s)
        } else {
            Record::span_in(line, text)
        };
        match col {
            1 => rec.computer = (!text.is_empty()).then_some(span),
            2 => rec.service = (!text.is_empty()).then_some(span),
            3 => date = text,
            4 => {
                if !(date.is_empty() && text.is_empty()) {
                    rec.time = Some(local_time(date, text).ok_or_else(|| {
                        err(format!(
                            "columns 3-4: '{date} {text}' is not a valid MM/DD/YYYY HH:MM:SS"
                        ))
                    })?);
                }
            }
            _ => {
                if let Some(&id) = COLUMNS.get(col - 5)
                    && !text.is_empty()
                {
                    rec.push(Key::Id(id), span, Form::Untyped);
                }
            }
        }
        match next {
            Some(n) => pos = n,
            None => break,
        }
    }
    if !(60..=66).contains(&col) {
        return Err(err(format!(
            "{col} columns; the database-compatible format has 66 (60 on older servers)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::attributes;

    #[test]
    fn column_map_matches_the_reference_names() {
        // docs/reference/nps-log-formats.md §3.2: column number → attribute, checked by name.
        let name = |col: usize| attributes::by_id(COLUMNS[col - 5]).unwrap().name;
        assert_eq!(name(5), "Packet-Type");
        assert_eq!(name(7), "Fully-Qualifed-User-Name");
        assert_eq!(name(9), "Calling-Station-ID");
        assert_eq!(name(17), "Client-Friendly-Name");
        assert_eq!(name(25), "NP-Policy-Name");
        assert_eq!(name(26), "Reason-Code");
        assert_eq!(name(27), "Class");
        assert_eq!(name(36), "Acct-Session-Id");
        assert_eq!(name(50), "Tunnel-Pvt-Group-ID");
        assert_eq!(name(57), "MS-CHAP-Error");
        assert_eq!(name(59), "MS-MPPE-Encryption-Types");
        assert_eq!(name(60), "MS-MPPE-Encryption-Policy");
        assert_eq!(name(61), "Proxy-Policy-Name");
        assert_eq!(name(66), "MS-RAS-Client-Version");
    }

    fn cols(line: &str) -> Vec<(i32, String)> {
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

    #[test]
    fn microsoft_accept_example() {
        // docs/reference/nps-log-formats.md §3.3, cc771748 Access-Accept (60 columns).
        let line = "\"CLIENTCOMP\",\"IAS\",03/07/2008,13:04:33,2,,\"npsclientdc/Users/client\",,,,,,,,9,\"10.10.10.10\",\"npsclient\",,,,,,2,1,\"Allow access if dial-in permission is enabled\",0,\"311 1 10.10.10.11 03/07/2008 20:04:30 1\",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,";
        let c = cols(line);
        assert_eq!(c[0], (4136, "2".into()));
        assert_eq!(c[1], (4130, "npsclientdc/Users/client".into()));
        assert_eq!(c[2], (4116, "9".into()));
        assert_eq!(c[5], (6, "2".into()));
        assert_eq!(c[6], (4127, "1".into()));
        assert_eq!(
            c[7],
            (4149, "Allow access if dial-in permission is enabled".into())
        );
        assert_eq!(c[8], (4142, "0".into()));
        assert_eq!(c[9], (25, "311 1 10.10.10.11 03/07/2008 20:04:30 1".into()));
    }

    #[test]
    fn quotes_and_commas_inside_values() {
        let mut line =
            String::from("\"NPS\",\"IAS\",03/07/2008,13:04:33,1,\"Doe, \"\"JD\"\" John\"");
        line.push_str(&",".repeat(60));
        let c = cols(&line);
        assert_eq!(c[1], (1, "Doe, \"JD\" John".into()));
    }

    #[test]
    fn wrong_column_counts_are_refused() {
        let mut rec = Record::default();
        for n in [59, 67] {
            let line = format!("\"NPS\",\"IAS\",03/07/2008,13:04:33,1{}", ",".repeat(n - 5));
            let e = parse(&line, &mut rec).unwrap_err();
            assert!(e.message.starts_with(&format!("{n} columns")), "{e}");
        }
        for n in [60, 62, 66] {
            let line = format!("\"NPS\",\"IAS\",03/07/2008,13:04:33,1{}", ",".repeat(n - 5));
            rec.clear();
            parse(&line, &mut rec).unwrap();
        }
        let e = parse("\"NPS\",\"IAS\",03/07/2008,13:04:33,\"open", &mut rec).unwrap_err();
        assert!(e.message.contains("closing quote"), "{e}");
    }
}

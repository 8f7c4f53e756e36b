//! NPS date and time fields, the time zone they are read in, and RFC 3339 output.
//!
//! NPS file times are server local time with no zone marker (`docs/reference/nps-log-formats.md` §4.3):
//! `MM/DD/YYYY` and `HH:MM:SS`, DTS `Timestamp` with `.mmm`. They are placed in the zone the
//! caller names; a time that falls in a DST gap or fold is resolved the "compatible" way
//! (gap: shifted forward; fold: the earlier instant), which is what Windows itself does.

mod windows_zones;

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

/// A civil (zone-less) date-time as NPS wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalTime {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    /// Milliseconds when the source had them (DTS `Timestamp`).
    pub millis: Option<u16>,
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 4 {
        return None;
    }
    let mut n = 0u32;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// `MM/DD/YYYY` (one-digit month and day accepted). Only the shape is checked.
pub(crate) fn parse_date(s: &str) -> Option<(i16, i8, i8)> {
    let b = s.as_bytes();
    let mut parts = b.split(|&c| c == b'/');
    let m = digits(parts.next()?)?;
    let d = digits(parts.next()?)?;
    let y_raw = parts.next()?;
    if parts.next().is_some() || y_raw.len() != 4 || m > 12 || d > 31 {
        return None;
    }
    let y = digits(y_raw)?;
    Some((y as i16, m as i8, d as i8))
}

/// `HH:MM:SS` with optional `.f` fraction (kept to milliseconds).
pub(crate) fn parse_time(s: &str) -> Option<(i8, i8, i8, Option<u16>)> {
    let b = s.as_bytes();
    let (hms, frac) = match memchr::memchr(b'.', b) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let mut parts = hms.split(|&c| c == b':');
    let h = digits(parts.next()?)?;
    let mi = digits(parts.next()?)?;
    let se = digits(parts.next()?)?;
    if parts.next().is_some() || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let millis = match frac {
        None => None,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.iter().all(u8::is_ascii_digit) => {
            let mut ms = 0u16;
            for i in 0..3 {
                ms = ms * 10 + f.get(i).map_or(0, |c| u16::from(c - b'0'));
            }
            Some(ms)
        }
        Some(_) => return None,
    };
    Some((h as i8, mi as i8, se as i8, millis))
}

/// `MM/DD/YYYY` + `HH:MM:SS[.mmm]` into a checked civil time (Feb 30 is refused).
pub(crate) fn local_time(date: &str, time: &str) -> Option<LocalTime> {
    let (year, month, day) = parse_date(date)?;
    let (hour, minute, second, millis) = parse_time(time)?;
    let lt = LocalTime {
        year,
        month,
        day,
        hour,
        minute,
        second: second.min(59),
        millis,
    };
    lt.civil().ok()?;
    Some(lt)
}

/// `MM/DD/YYYY HH:MM:SS[.mmm]` (DTS Timestamp, Event-Timestamp, Class).
pub(crate) fn local_time_joined(s: &str) -> Option<LocalTime> {
    let s = s.trim();
    let sp = memchr::memchr(b' ', s.as_bytes())?;
    local_time(&s[..sp], s[sp + 1..].trim_start())
}

/// Event-Timestamp as a count of seconds since 1970-01-01T00:00:00Z (RFC 2869 §5.3 sends it
/// so), which database-compatible lines may carry instead of a date; a UTC time.
pub(crate) fn unix_seconds(s: &str) -> Option<LocalTime> {
    let s = s.trim();
    if s.is_empty() || s.len() > 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = jiff::Timestamp::from_second(s.parse().ok()?).ok()?;
    let dt = TimeZone::UTC.to_datetime(t);
    Some(LocalTime {
        year: dt.year(),
        month: dt.month(),
        day: dt.day(),
        hour: dt.hour(),
        minute: dt.minute(),
        second: dt.second(),
        millis: None,
    })
}

impl LocalTime {
    fn civil(&self) -> Result<DateTime, jiff::Error> {
        DateTime::new(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            i32::from(self.millis.unwrap_or(0)) * 1_000_000,
        )
    }
}

/// The UTC time of a local time written with a known UTC offset.
pub(crate) fn to_utc(lt: &LocalTime, offset_secs: i32) -> Option<LocalTime> {
    let dt = lt.civil().ok()?;
    let ts = Offset::from_seconds(offset_secs)
        .ok()?
        .to_timestamp(dt)
        .ok()?;
    let u = Offset::UTC.to_datetime(ts);
    Some(LocalTime {
        year: u.year(),
        month: u.month(),
        day: u.day(),
        hour: u.hour(),
        minute: u.minute(),
        second: u.second(),
        millis: lt.millis,
    })
}

/// The zone NPS file times are read in.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    label: String,
}

impl Zone {
    /// UTC: the default where the host has no zone (WASM).
    pub fn utc() -> Self {
        Zone {
            tz: TimeZone::UTC,
            label: "UTC".into(),
        }
    }

    /// The system's zone (the CLI default). Falls back to UTC where the system has none.
    /// On Windows, jiff reads the zone's Windows name (GetDynamicTimeZoneInformation) and
    /// maps it to IANA by CLDR's table, as [`Zone::parse`] does a Windows name given.
    pub fn local() -> Self {
        match TimeZone::try_system() {
            Ok(tz) => Zone {
                label: tz.iana_name().unwrap_or("local").to_string(),
                tz,
            },
            Err(_) => Self::utc(),
        }
    }

    /// `local`, `UTC`, an IANA name (`Asia/Tokyo`), a Windows zone name as `tzutil /g`
    /// prints it (`Tokyo Standard Time`, any case; its IANA zone by CLDR's windowsZones) or
    /// a fixed offset (`+09:00`, `-0500`, `Z`).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let s = spec.trim();
        if s.eq_ignore_ascii_case("local") {
            return Ok(Self::local());
        }
        if s.eq_ignore_ascii_case("utc") || s == "Z" || s == "z" {
            return Ok(Self::utc());
        }
        if let Some(secs) = parse_offset(s) {
            let off = Offset::from_seconds(secs).map_err(|e| format!("{spec}: {e}"))?;
            return Ok(Zone {
                tz: TimeZone::fixed(off),
                label: s.to_string(),
            });
        }
        if let Ok(tz) = TimeZone::get(s) {
            return Ok(Zone {
                tz,
                label: s.to_string(),
            });
        }
        // A Windows name is labelled with the IANA zone it stands for: what was used.
        if let Some(iana) = windows_zones::iana_for(s) {
            return TimeZone::get(iana)
                .map(|tz| Zone {
                    tz,
                    label: iana.to_string(),
                })
                .map_err(|e| format!("{spec}: its IANA zone {iana}: {e}"));
        }
        Err(format!(
            "unknown time zone '{spec}': use an IANA name (Asia/Tokyo), a Windows name (Tokyo Standard Time), an offset (+09:00), UTC or local"
        ))
    }

    /// The name or offset this zone was made from.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The instant a local time names in this zone, as (local time, UTC offset in seconds).
    /// The local time differs from the input only in a DST gap, where the clock reading did
    /// not exist: 02:30 in a gap becomes 03:30 at the new offset, the same instant as 02:30
    /// at the old one.
    pub(crate) fn resolve(&self, lt: &LocalTime) -> Option<(LocalTime, i32)> {
        let dt = lt.civil().ok()?;
        let ts = self.tz.to_ambiguous_timestamp(dt).compatible().ok()?;
        let off = self.tz.to_offset(ts);
        let local = off.to_datetime(ts);
        let out = LocalTime {
            year: local.year(),
            month: local.month(),
            day: local.day(),
            hour: local.hour(),
            minute: local.minute(),
            second: local.second(),
            millis: lt.millis,
        };
        Some((out, off.seconds()))
    }

    #[cfg(test)]
    fn offset_of(&self, lt: &LocalTime) -> Option<i32> {
        self.resolve(lt).map(|r| r.1)
    }
}

/// `+HH:MM`, `-HH:MM`, `+HHMM`, `+HH`.
fn parse_offset(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest: Vec<u8> = b[1..].iter().copied().filter(|&c| c != b':').collect();
    if !(rest.len() == 2 || rest.len() == 4) || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let h = i32::from(rest[0] - b'0') * 10 + i32::from(rest[1] - b'0');
    let m = if rest.len() == 4 {
        i32::from(rest[2] - b'0') * 10 + i32::from(rest[3] - b'0')
    } else {
        0
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn push2(out: &mut Vec<u8>, n: i32) {
    out.push(b'0' + (n / 10 % 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

/// Writes `YYYY-MM-DDTHH:MM:SS[.mmm]±HH:MM` (no quotes).
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, lt: &LocalTime, offset_secs: i32) {
    let y = i32::from(lt.year);
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(b'-');
    push2(out, i32::from(lt.month));
    out.push(b'-');
    push2(out, i32::from(lt.day));
    out.push(b'T');
    push2(out, i32::from(lt.hour));
    out.push(b':');
    push2(out, i32::from(lt.minute));
    out.push(b':');
    push2(out, i32::from(lt.second));
    if let Some(ms) = lt.millis {
        out.push(b'.');
        let ms = i32::from(ms);
        out.push(b'0' + (ms / 100) as u8);
        push2(out, ms % 100);
    }
    let (sign, abs) = if offset_secs < 0 {
        (b'-', -offset_secs)
    } else {
        (b'+', offset_secs)
    };
    out.push(sign);
    push2(out, abs / 3600);
    out.push(b':');
    push2(out, abs % 3600 / 60);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(lt: &LocalTime, off: i32) -> String {
        let mut v = Vec::new();
        write_rfc3339(&mut v, lt, off);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn event_timestamp_as_unix_seconds() {
        // 1718718348 = 19892 days (2024-06-18) + 49548 s (13:45:48).
        let lt = unix_seconds("1718718348").unwrap();
        assert_eq!(fmt(&lt, 0), "2024-06-18T13:45:48+00:00");
        assert_eq!(
            fmt(&unix_seconds("0").unwrap(), 0),
            "1970-01-01T00:00:00+00:00"
        );
        assert!(unix_seconds("-5").is_none());
        assert!(unix_seconds("06/18/2024 13:45:48").is_none());
        assert!(unix_seconds("").is_none());
    }

    #[test]
    fn parses_nps_dates_and_times() {
        let lt = local_time("01/17/2008", "13:13:40").unwrap();
        assert_eq!(fmt(&lt, 9 * 3600), "2008-01-17T13:13:40+09:00");
        let lt = local_time_joined("05/02/2024 11:23:13.729").unwrap();
        assert_eq!(fmt(&lt, -4 * 3600), "2024-05-02T11:23:13.729-04:00");
        assert!(local_time("02/30/2008", "00:00:00").is_none());
        assert!(local_time("2008-01-17", "00:00:00").is_none());
        assert!(local_time("01/17/2008", "25:00:00").is_none());
        assert!(local_time("01/17/2008", "1:2").is_none());
    }

    #[test]
    fn zones_resolve_offsets_across_dst() {
        let ny = Zone::parse("America/New_York").unwrap();
        // 2024-03-10 02:30 does not exist in New York: compatible resolution moves it to EDT.
        let gap = local_time("03/10/2024", "02:30:00").unwrap();
        assert_eq!(ny.offset_of(&gap), Some(-4 * 3600));
        let (shifted, off) = ny.resolve(&gap).unwrap();
        assert_eq!(fmt(&shifted, off), "2024-03-10T03:30:00-04:00");
        let before = local_time("03/10/2024", "01:59:59").unwrap();
        assert_eq!(ny.offset_of(&before), Some(-5 * 3600));
        // 2024-11-03 01:30 happens twice: the earlier (EDT) is chosen.
        let fold = local_time("11/03/2024", "01:30:00").unwrap();
        assert_eq!(ny.offset_of(&fold), Some(-4 * 3600));
        let after = local_time("11/03/2024", "02:30:00").unwrap();
        assert_eq!(ny.offset_of(&after), Some(-5 * 3600));
    }

    #[test]
    fn fixed_offsets_and_names() {
        let lt = local_time("01/17/2008", "13:13:40").unwrap();
        assert_eq!(Zone::parse("+09:00").unwrap().offset_of(&lt), Some(32400));
        assert_eq!(Zone::parse("-0530").unwrap().offset_of(&lt), Some(-19800));
        assert_eq!(Zone::parse("UTC").unwrap().offset_of(&lt), Some(0));
        assert_eq!(
            Zone::parse("Asia/Tokyo").unwrap().offset_of(&lt),
            Some(32400)
        );
        assert!(Zone::parse("Mars/Olympus").is_err());
        // Windows names, as `tzutil /g` prints them.
        let tokyo = Zone::parse("Tokyo Standard Time").unwrap();
        assert_eq!(tokyo.label(), "Asia/Tokyo");
        assert_eq!(tokyo.offset_of(&lt), Some(32400));
        // W. Europe is Europe/Berlin: CET (+01:00) in January, CEST (+02:00) in July.
        let berlin = Zone::parse("w. europe standard time").unwrap();
        assert_eq!(berlin.offset_of(&lt), Some(3600));
        let july = local_time("07/17/2008", "13:13:40").unwrap();
        assert_eq!(berlin.offset_of(&july), Some(7200));
        // UTC-11 is Etc/GMT+11 (POSIX signs): eleven hours behind UTC.
        assert_eq!(Zone::parse("UTC-11").unwrap().offset_of(&lt), Some(-39600));
        assert!(Zone::parse("+25:00").is_err());
    }
}

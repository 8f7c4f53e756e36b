//! Value helpers shared by the writers: user and machine names, MAC and IP addresses, hex.

use crate::codes::attributes;
use crate::codes::ids;
use std::net::IpAddr;

/// `DOMAIN\user` → (user, DOMAIN); `user@realm` → (user, realm); else the whole name.
pub(crate) fn split_user(s: &str) -> (&str, Option<&str>) {
    if let Some(i) = s.find('\\') {
        let (d, u) = (&s[..i], &s[i + 1..]);
        if !u.is_empty() {
            return (u, (!d.is_empty()).then_some(d));
        }
    } else if !s.contains('/')
        && let Some(i) = s.rfind('@')
    {
        let (u, d) = (&s[..i], &s[i + 1..]);
        if !u.is_empty() && !d.is_empty() {
            return (u, Some(d));
        }
    }
    (s, None)
}

/// The host a machine account names: `PC$` → `PC`; `None` for a user account.
pub(crate) fn machine_host(account: &str) -> Option<&str> {
    account.strip_suffix('$').filter(|h| !h.is_empty())
}

/// A machine account or name as a host name: `DOMAIN\PC$` → `PC`.
pub(crate) fn host_of(s: &str) -> &str {
    let s = split_user(s).0;
    s.strip_suffix('$').unwrap_or(s)
}

/// A MAC address in any common notation, written the ECS way (`00-11-25-78-22-62`).
pub(crate) fn mac(s: &str, out: &mut [u8; 17]) -> bool {
    let mut hex = [0u8; 12];
    let mut n = 0;
    let mut seps = 0;
    for &c in s.trim_ascii().as_bytes() {
        match c {
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                if n == 12 {
                    return false;
                }
                hex[n] = c.to_ascii_uppercase();
                n += 1;
            }
            b'-' | b':' | b'.' => seps += 1,
            _ => return false,
        }
    }
    if n != 12 || !(seps == 0 || seps == 2 || seps == 5) {
        return false;
    }
    for i in 0..6 {
        out[i * 3] = hex[i * 2];
        out[i * 3 + 1] = hex[i * 2 + 1];
        if i < 5 {
            out[i * 3 + 2] = b'-';
        }
    }
    true
}

pub(crate) fn is_ip(s: &str) -> bool {
    // Most addresses in NPS logs are dotted IPv4: checked by hand, the rest by the parser.
    match is_ipv4(s.as_bytes()) {
        Some(v4) => v4,
        None => s.parse::<IpAddr>().is_ok(),
    }
}

/// `Some(true)` for a dotted-quad IPv4 address (octets 0–255, no leading zeros, as
/// `Ipv4Addr` accepts), `Some(false)` for text that cannot be an address, `None` when it may
/// be IPv6 (a hex letter or `:`): left to the parser.
pub(crate) fn is_ipv4(s: &[u8]) -> Option<bool> {
    // Read to the end even once it cannot be IPv4: `00::1` and `1234::1` are IPv6.
    let (mut octets, mut digits, mut value, mut ok) = (0, 0, 0u32, true);
    for &c in s {
        match c {
            b'0'..=b'9' => {
                ok &= !(digits == 1 && value == 0); // no leading zero
                value = (value * 10 + u32::from(c - b'0')).min(256);
                digits += 1;
                ok &= value <= 255;
            }
            b'.' => {
                ok &= digits > 0 && octets < 3;
                octets += 1;
                (digits, value) = (0, 0);
            }
            b':' | b'a'..=b'f' | b'A'..=b'F' => return None,
            _ => return Some(false), // in no address (a MAC's `-`, a space, a name)
        }
    }
    Some(ok && octets == 3 && digits > 0)
}

/// Hex text (`0x…` in IAS/ODBC, bare in DTS data_type 2) as bytes, through a callback.
pub(crate) fn hex_bytes(s: &str) -> Option<impl Iterator<Item = u8> + '_> {
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if h.is_empty() || !h.len().is_multiple_of(2) || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(h.as_bytes().chunks(2).map(|p| {
        let d = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        d(p[0]) << 4 | d(p[1])
    }))
}

/// A text attribute that NPS printed as hex (`0x…`, or bare hex for DTS data_type 2)
/// because a byte of it is unprintable, as its text; `None` when it is not such a value.
/// MS-CHAP-Domain (4120) starts with RFC 2548's one-byte Ident, which is dropped; trailing
/// NULs (some NASes terminate strings) are dropped too. Kept as hex unless the rest is
/// UTF-8 without control characters: then it was binary after all.
pub(crate) fn text_from_hex(id: i32, value: &str, dts_octets: bool) -> Option<String> {
    // The cheap test first: almost no value is hex.
    if !(dts_octets || value.starts_with("0x") || value.starts_with("0X")) {
        return None;
    }
    if attributes::by_id(id).map(|a| a.ty) != Some(attributes::ValueType::Str) {
        return None;
    }
    let mut bytes: Vec<u8> = hex_bytes(value)?.collect();
    if id == ids::MS_CHAP_DOMAIN {
        bytes.remove(0);
    }
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    let text = String::from_utf8(bytes).ok()?;
    (!text.is_empty() && !text.chars().any(char::is_control)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    proptest::proptest! {
        /// The hand-written IPv4 check agrees with the standard parser.
        #[test]
        fn is_ip_matches_the_std_parser(s in "[0-9.]{0,16}|[0-9.:a-fA-Fx %-]{0,18}|[0-9]{1,5}::?[0-9a-f.]{0,8}") {
            proptest::prop_assert_eq!(is_ip(&s), s.parse::<IpAddr>().is_ok());
        }
    }

    #[test]
    fn ipv4_edges() {
        for (s, ok) in [
            ("192.168.10.4", true),
            ("0.0.0.0", true),
            ("255.255.255.255", true),
            ("256.1.1.1", false),
            ("01.1.1.1", false),
            ("1.1.1", false),
            ("1.1.1.1.", false),
            ("1..1.1", false),
            ("::1", true),
            ("fe80::1", true),
            ("00::1", true),
            ("1234::1", true),
            ("256::", true),
            ("1.2.3.4::", false),
            ("::ffff:1.2.3.4", true),
        ] {
            assert_eq!(is_ip(s), ok, "{s}");
        }
    }

    #[test]
    fn user_names_split() {
        assert_eq!(split_user("NAPLAB\\napuser"), ("napuser", Some("NAPLAB")));
        assert_eq!(
            split_user("john_doe@iu13.org"),
            ("john_doe", Some("iu13.org"))
        );
        assert_eq!(
            split_user("host/pc.corp.example"),
            ("host/pc.corp.example", None)
        );
        assert_eq!(split_user("andrew"), ("andrew", None));
        assert_eq!(host_of("NAPLAB\\NAPVISTA$"), "NAPVISTA");
    }

    #[test]
    fn macs_normalise() {
        let mut m = [0u8; 17];
        for s in [
            "00-11-25-78-22-62",
            "00:11:25:78:22:62",
            "0011.2578.2262",
            "001125782262",
        ] {
            assert!(mac(s, &mut m), "{s}");
            assert_eq!(&m, b"00-11-25-78-22-62");
        }
        assert!(mac("f8-1e-df-e8-84-5a", &mut m));
        assert_eq!(&m, b"F8-1E-DF-E8-84-5A");
        for s in [
            "1",
            "192.168.1.1",
            "00-11-25-78-22",
            "00-11-25-78-22-62-11",
            "0-0-0-0-0-0-0-0-0-0-0-0",
        ] {
            assert!(!mac(s, &mut m), "{s}");
        }
    }
}

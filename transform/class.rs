//! The Class attribute (25) as NPS generates it: `311 1 <server address> <MM/DD/YYYY>
//! <HH:MM:SS> <serial>` (`docs/reference/nps-log-formats.md` §5.1). A request and its response carry the same
//! Class, and the NAS returns it in accounting, so it pairs lines. The date-time is most
//! likely the NPS service start in UTC (the reference's inference); the serial counts
//! requests since then. A Class NPS did not make is kept raw only.

use crate::time::{LocalTime, local_time};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class<'a> {
    pub vendor_id: u32,
    pub server_ip: &'a str,
    pub started: LocalTime,
    pub serial: u64,
}

pub(crate) fn parse(s: &str) -> Option<Class<'_>> {
    let mut it = s.split(' ');
    let vendor_id = it.next()?.parse().ok()?;
    if it.next()? != "1" {
        return None;
    }
    let server_ip = it.next()?;
    server_ip.parse::<IpAddr>().ok()?;
    let started = local_time(it.next()?, it.next()?)?;
    let serial = it.next()?.parse().ok()?;
    it.next().is_none().then_some(Class {
        vendor_id,
        server_ip,
        started,
        serial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        let c = parse("311 1 ::1 01/11/2008 07:10:03 182").unwrap();
        assert_eq!((c.vendor_id, c.server_ip, c.serial), (311, "::1", 182));
        assert_eq!(
            (c.started.year, c.started.month, c.started.day),
            (2008, 1, 11)
        );
        let c = parse("311 1 2001:4898:b0:3007:492e:957a:d44d:7093 12/16/2009 04:32:04 145361")
            .unwrap();
        assert_eq!(c.serial, 145361);
        assert!(parse("311 1 10.1.0.213 03/15/2018 08:14:29").is_none());
        assert!(parse("arbitrary class from a proxy").is_none());
    }
}

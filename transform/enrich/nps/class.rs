//! `nps.class`: the Class attribute as NPS makes it.

use crate::enrich::Out;
use crate::write::Json;

pub(crate) fn write(w: &mut Json<'_>, raw: &str, o: &mut Out) {
    o.carried(25);
    w.object("class");
    // `raw` in both profiles: it is the key that pairs a request, its response and the
    // session's accounting.
    w.str_field("raw", raw);
    if let Some(c) = crate::class::parse(raw) {
        w.u64_field("vendor_id", c.vendor_id.into());
        w.str_field("server_ip", c.server_ip);
        w.key("started");
        w.rfc3339(&c.started, 0);
        w.u64_field("serial", c.serial);
    }
    w.end_object();
}

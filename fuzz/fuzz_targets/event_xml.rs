#![no_main]

//! Windows Security events, forced: event XML (and any JSON shape, raw).

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::line(
    data,
    Some(nps_enrich::Format::WinEvent)
));

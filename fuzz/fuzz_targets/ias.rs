#![no_main]

//! The IAS (legacy) parser, forced.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::line(
    data,
    Some(nps_enrich::Format::Ias)
));

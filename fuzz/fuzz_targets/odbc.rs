#![no_main]

//! The database-compatible (ODBC) CSV parser, forced.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::line(
    data,
    Some(nps_enrich::Format::Odbc)
));

#![no_main]

//! The whole line entry: format detection, envelopes, every parser.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::line(data, None));

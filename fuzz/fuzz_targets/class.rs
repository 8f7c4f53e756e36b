#![no_main]

//! The Class attribute parser, reached through a DTS line.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::dts_attribute("Class", data));

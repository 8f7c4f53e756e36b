#![no_main]

//! The Fluent Bit filter's C entry point, with any record.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::fluent_bit(data));

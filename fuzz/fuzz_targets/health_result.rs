#![no_main]

//! The System-Health-Result splitter, reached through a DTS line.

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::dts_attribute(
    "System-Health-Result",
    data
));

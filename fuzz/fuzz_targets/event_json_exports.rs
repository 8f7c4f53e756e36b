#![no_main]

//! Event JSON of the exports family (structure-aware: see `event_json`).

libfuzzer_sys::fuzz_target!(|data: &[u8]| nps_enrich_fuzz::event_json(
    nps_enrich_fuzz::Family::Exports,
    data
));

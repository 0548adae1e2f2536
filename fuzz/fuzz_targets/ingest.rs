//! Fuzz target: the ingest layer (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("ingest", data));

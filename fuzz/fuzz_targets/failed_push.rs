//! Fuzz target: the failed_push layer (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("failed_push", data));

//! Fuzz target: the capture layer (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("capture", data));

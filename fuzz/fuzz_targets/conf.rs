//! Fuzz target: the conf layer (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("conf", data));

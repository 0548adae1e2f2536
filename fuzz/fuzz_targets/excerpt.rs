//! Fuzz target: the readers of pasted excerpts and status outputs (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("excerpt", data));

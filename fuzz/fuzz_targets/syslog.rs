//! Fuzz target: the syslog layer (see tlstriage::fuzzing).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("syslog", data));

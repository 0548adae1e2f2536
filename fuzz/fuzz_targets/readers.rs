//! Fuzz target: every reader of the registry over the same bytes (see tlstriage::fuzzing), so
//! that a reader added to the registry is fuzzed without a target of its own.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run_readers(data));

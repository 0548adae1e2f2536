//! Fuzz target: arbitrary bytes read as one input, analysed and rendered as the HTML report,
//! whose markup must be only the renderer's own (tlstriage::fuzzing::html).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tlstriage::fuzzing::run("html", data));

//! The one integration-test binary: every area of the command-line tool and library, one module each,
//! sharing the helpers of `common` (ripgrep's `tests/tests.rs` layout: one link instead of fourteen).

mod baseline;
mod baseline_subsets;
mod bundles;
mod captures;
mod ci_formats;
mod cli;
mod common;
mod duplicates;
mod emptiness;
mod field;
mod field_bundle;
mod fleet;
mod fuzz_corpus;
mod hostile_big;
mod hostile_bounds;
mod hostile_forged;
mod hostile_random;
mod hostile_slots;
mod hostile_truncated;
mod html_report;
mod junit;
mod layering;
mod logs;
mod memory;
mod nothing_dropped;
mod openssl;
mod output_safety;
mod plan_safety;
mod readme;
mod snapshots;
mod streaming;
mod systems;
mod terminal;
mod terminal_tty;

//! tlstriage: offline triage of TLS failures on Cisco Firepower systems (FMC/FTD sftunnel, the
//! ASA CX / NGFW TLS proxy) from logs, packet captures, certificate files and troubleshoot
//! bundles.
//!
//! Data flow: [`input`] discovers and sniffs sources; the parsers ([`logs`], [`capture`],
//! [`x509`]) turn them into [`model`] attempts and facts; [`diagnose`] classifies them into
//! findings; [`remedy`] explains each; [`report`] renders.

pub mod analyze;
pub mod appliance;
pub mod baseline;
pub mod capture;
pub mod cli;
pub mod codes;
pub mod diagnose;
pub mod firepower;
pub mod fleet;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod logs;
pub mod model;
pub mod plan;
pub mod progress;
pub mod remedy;
pub mod report;
pub mod systems;
pub mod tls;
pub mod util;
pub mod watch;
pub mod wording;
pub mod x509;

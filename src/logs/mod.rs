//! Text sources: FMC/FTD syslog (`sftunneld`), the ASA CX `tls_proxy.log`, `FAILED_PUSH` lists
//! and device configuration files (`sftunnel.conf`, `ims.conf`, `sftunnel.json`).

mod chunks;
#[cfg(test)]
mod chunks_tests;
pub mod conf;
pub mod failed_push;
#[cfg(test)]
mod samples_tests;
mod sftunnel_attempts;
pub mod sftunneld;
pub mod syslog;
mod syslog_scan;
#[cfg(test)]
mod syslog_tests;
pub mod tls_proxy;
#[cfg(test)]
mod tls_proxy_tests;

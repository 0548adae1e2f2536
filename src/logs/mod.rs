//! Text sources: FMC/FTD syslog (`sftunneld`), the ASA CX `tls_proxy.log`, `FAILED_PUSH` lists
//! and device configuration files (`sftunnel.conf`, `ims.conf`, `sftunnel.json`).

pub mod conf;
pub mod failed_push;
#[cfg(test)]
mod samples_tests;
mod sftunnel_attempts;
pub mod sftunneld;
pub mod syslog;
#[cfg(test)]
mod syslog_tests;
pub mod tls_proxy;
#[cfg(test)]
mod tls_proxy_tests;

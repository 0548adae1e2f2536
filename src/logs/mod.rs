//! Text sources: FMC/FTD syslog (`sftunneld`), the ASA CX `tls_proxy.log`, `FAILED_PUSH` lists
//! device configuration files (`sftunnel.conf`, `ims.conf`, `sftunnel.json`), log excerpts and the
//! outputs of the tunnel status commands.

use crate::model::LineKind;

mod chunks;
#[cfg(test)]
mod chunks_tests;
pub mod conf;
pub mod excerpt;
mod excerpt_line;
mod excerpt_proxy;
pub mod failed_push;
pub mod openssl;
mod openssl_text;
mod sftunnel_attempts;
mod sftunnel_said;
pub mod sftunneld;
pub mod syslog;
pub mod syslog_follow;
mod syslog_header;
mod syslog_scan;
#[cfg(test)]
mod syslog_tests;
mod text;
pub mod tls_proxy;
mod tls_proxy_sessions;
#[cfg(test)]
mod tls_proxy_tests;
pub mod tunnel_status;
mod verify_quote;
mod years;

/// What kind of log line `line` is, if any (the sniffers count the first lines of an input by
/// kind: a log and an excerpt of it share their messages).
pub fn line_kind(line: &str) -> Option<LineKind> {
    if syslog::looks_like(line) {
        Some(LineKind::Syslog)
    } else if tls_proxy::looks_like(line) {
        Some(LineKind::TlsProxy)
    } else if failed_push::looks_like(line) {
        Some(LineKind::FailedPush)
    } else if excerpt::looks_like(line) {
        Some(LineKind::Excerpt)
    } else {
        None
    }
}

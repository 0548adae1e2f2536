//! What an `sftunneld` line says ([`Said`]), and what each message does to the attempt of its
//! thread ([`apply`]): the events it adds, the server it names, the certificate block (depth,
//! issuer, subject) it opens or fills before the verify error that reports it.

use std::net::IpAddr;

use super::sftunneld::Msg;
use super::text::{cap, EVIDENCE_CAP};
use crate::codes::{AlertLevel, OpenSslError, VerifyCode};
use crate::model::{Attempt, Endpoint, Event, Evidence, EvidenceText, Host, Outcome, Role, TunnelStep};

/// What an `sftunneld` line says, in the form the grouping keeps (owned, so that it can be
/// parsed on another thread than the one that groups it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Said {
    Initiating(Option<IpAddr>),
    Connected(Option<IpAddr>),
    CertDepth(u32),
    Issuer(String),
    Subject(String),
    VerifyErr(u32),
    /// `SSL Verification status: TEXT`: the code when TEXT names a failure.
    VerifyStatus(Option<VerifyCode>),
    SslError(Box<OpenSslError>),
    HandshakeFailed,
    FailedTo(Option<IpAddr>),
    FailedFinal(Option<IpAddr>),
    Refused(Option<IpAddr>),
    VerifyCallback,
    Tunnel(TunnelStep, Option<String>),
    Other,
}

impl From<Msg<'_>> for Said {
    fn from(m: Msg<'_>) -> Said {
        match m {
            Msg::Initiating(ip) => Said::Initiating(ip),
            Msg::Connected(ip) => Said::Connected(ip),
            Msg::CertDepth(d) => Said::CertDepth(d),
            Msg::Issuer(v) => Said::Issuer(EvidenceText::new(cap(v, EVIDENCE_CAP)).to_string()),
            Msg::Subject(v) => Said::Subject(EvidenceText::new(cap(v, EVIDENCE_CAP)).to_string()),
            Msg::VerifyErr(n, _) => Said::VerifyErr(n),
            Msg::VerifyStatus(text) => {
                Said::VerifyStatus((!text.eq_ignore_ascii_case("ok")).then(|| VerifyCode::from_text(text)).flatten())
            }
            Msg::SslError(e) => Said::SslError(Box::new(e)),
            Msg::HandshakeFailed => Said::HandshakeFailed,
            Msg::FailedTo(ip) => Said::FailedTo(ip),
            Msg::FailedFinal(ip) => Said::FailedFinal(ip),
            Msg::Refused(ip) => Said::Refused(ip),
            Msg::VerifyCallback => Said::VerifyCallback,
            Msg::Tunnel(step, peer) => Said::Tunnel(step, peer),
            Msg::Other => Said::Other,
        }
    }
}

/// The certificate a coming verify error is about, as the lines before it name it.
#[derive(Default)]
struct CertBlock {
    depth: u32,
    issuer: Option<String>,
    subject: Option<String>,
}

/// A thread's attempt as its messages are applied.
#[derive(Default)]
pub(super) struct Progress {
    pub attempt: Attempt,
    /// The handshake failed or the connection was refused: a new handshake starts another
    /// attempt.
    pub ended: bool,
    verify_logged: bool,
    block: Option<CertBlock>,
}

impl Progress {
    pub(super) fn new(attempt: Attempt) -> Self {
        Progress { attempt, ..Default::default() }
    }
}

fn push(t: &mut Progress, event: Event, ev: Evidence) {
    t.attempt.push(event, ev);
}

fn set_server(t: &mut Progress, ip: Option<IpAddr>, overwrite: bool) {
    if let Some(ip) = ip {
        if overwrite || t.attempt.server.is_none() {
            t.attempt.server = Some(Endpoint::new(Host::Ip(ip), None));
        }
    }
}

fn end_failed(t: &mut Progress, ev: Evidence) {
    if !t.ended {
        push(t, Event::End { outcome: Outcome::Failed }, ev);
        t.ended = true;
    }
}

fn verify_error(t: &mut Progress, code: VerifyCode, ev: Evidence) {
    let b = t.block.take();
    let event = Event::VerifyError {
        by: Role::Client,
        code,
        depth: b.as_ref().map(|b| b.depth),
        subject: b.as_ref().and_then(|b| b.subject.clone()),
        issuer: b.and_then(|b| b.issuer),
    };
    push(t, event, ev);
    t.verify_logged = true;
}

/// Apply one message to its thread's attempt; `true` when the attempt is over for good.
pub(super) fn apply(t: &mut Progress, said: Said, ev: Evidence) -> bool {
    match said {
        Said::Initiating(ip) => {
            set_server(t, ip, true);
            push(t, Event::Connecting, ev);
        }
        Said::Connected(ip) => {
            set_server(t, ip, false);
            push(t, Event::Connected, ev);
        }
        Said::CertDepth(depth) => t.block = Some(CertBlock { depth, ..Default::default() }),
        Said::Issuer(v) => {
            if let Some(b) = t.block.as_mut() {
                b.issuer = Some(v);
            }
        }
        Said::Subject(v) => {
            if let Some(b) = t.block.as_mut() {
                b.subject = Some(v);
            }
        }
        Said::VerifyErr(code) => verify_error(t, VerifyCode(code), ev),
        Said::VerifyStatus(code) => {
            if let (Some(code), false) = (code, t.verify_logged) {
                verify_error(t, code, ev);
            }
        }
        Said::SslError(e) => {
            let alert = e.received_alert();
            let event = Event::SslError {
                by: Role::Client,
                code: e.code_text.clone(),
                function: e.function_name.clone(),
                reason: e.reason_display(),
            };
            push(t, event, ev.clone());
            if let Some(description) = alert {
                push(t, Event::Alert { from: Role::Server, level: AlertLevel::FATAL, description }, ev);
            }
        }
        Said::HandshakeFailed => end_failed(t, ev),
        Said::FailedTo(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
        }
        Said::FailedFinal(ip) => {
            set_server(t, ip, false);
            end_failed(t, ev);
            return true;
        }
        Said::Refused(ip) => {
            set_server(t, ip, false);
            push(t, Event::Refused, ev);
            t.ended = true;
        }
        Said::Tunnel(what, peer) => {
            let peer = peer.as_deref().map(Host::parse);
            if t.attempt.server.is_none() {
                t.attempt.server = peer.clone().map(Endpoint::from);
            }
            push(t, Event::TunnelError { what, peer }, ev);
        }
        Said::VerifyCallback | Said::Other => {}
    }
    false
}

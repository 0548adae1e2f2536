//! `protocol-mismatch`: client and server share no protocol version. Seen as a protocol_version
//! alert, or an OpenSSL error such as `unsupported protocol` or `wrong version number`.

use super::data::{gaps, Data};
use super::finding::Finding;
use super::offered::{Offered, SslError};
use super::{About, Fix, PushTo, Rule, Verifier};
use crate::codes::{AlertDescription, TlsVersion};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Attempt, Event, Role};

pub static RULE: Rule = Rule {
    name: "protocol-mismatch",
    severity: Severity::Error,
    summary: "client and server share no protocol version",
    about: About::Other,
    verifier: Verifier::Nobody,
    marks_tunnel_down: true,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: None,
    min_fmc_release: None,
};

/// What a `protocol-mismatch` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolMismatch {
    /// What the client offered, when the attempt shows its ClientHello.
    pub offered: Option<Offered>,
    /// The OpenSSL error that said so, when a device logged one.
    pub ssl_error: Option<SslError>,
}

impl ProtocolMismatch {
    /// Which side to change, from what the client offered: a client that offers only TLS 1.3
    /// needs a server that speaks it (or an older version of its own), a client that offers
    /// nothing newer than TLS 1.1 needs raising; otherwise either side may move.
    fn version_step(&self) -> String {
        let versions = self.offered.as_ref().map(|o| o.versions.as_slice()).unwrap_or_default();
        let (Some(low), Some(high)) = (versions.iter().map(|v| v.0).min(), versions.iter().map(|v| v.0).max()) else {
            return "Enable on the server a version the client offers, or have the client offer one the server \
supports (TLS 1.2 or later for both)."
                .into();
        };
        let offered = super::offered::list(versions);
        if low >= TlsVersion::TLS13.0 {
            format!(
                "The client offers only {offered}, newer than what the server accepts: enable {offered} on the \
server, or let the client offer TLS 1.2 as well."
            )
        } else if high < TlsVersion::TLS12.0 {
            format!(
                "The client offers only {offered}, older than what the server accepts: raise the client to TLS 1.2 \
or later (enabling such an old version on the server is the last resort)."
            )
        } else {
            format!(
                "Enable on the server one of the versions the client offers ({offered}), or have the client offer \
the one the server supports."
            )
        }
    }
}

impl Data for ProtocolMismatch {
    fn values(&self, out: &mut Values) {
        if let Some(o) = &self.offered {
            o.values(out);
        }
        out.set_some("ssl_error", self.ssl_error.as_ref());
        out.set("version_step", self.version_step());
    }
    gaps!(offered, ssl_error);
}

const TITLE: &str = "No common TLS version";

/// OpenSSL reasons that mean the versions did not meet.
const REASONS: &[&str] = &[
    "unsupported protocol",
    "wrong version number",
    "protocol version",
    "no protocols available",
    "unknown protocol",
    "version too low",
];

/// A protocol_version alert.
pub(in crate::diagnose) fn on_alert(
    a: &Attempt,
    from: Role,
    d: AlertDescription,
    client_hello: Option<&Event>,
) -> Option<Finding> {
    if d != AlertDescription::PROTOCOL_VERSION {
        return None;
    }
    let data = ProtocolMismatch { offered: Offered::of(client_hello), ssl_error: None };
    let mut f = Finding::of_attempt(a, data, TITLE).detail(format!("the {} sent alert protocol_version", from.as_str()));
    f.shared.alert = Some(d);
    Some(f)
}

/// An OpenSSL error that says the versions did not meet.
pub(in crate::diagnose) fn on_ssl_error(a: &Attempt, reason: &str, code: &str) -> Option<Finding> {
    let r = reason.to_ascii_lowercase();
    if !REASONS.iter().any(|p| r.contains(p)) {
        return None;
    }
    let ssl_error = SslError { code: code.to_string(), reason: reason.to_string() };
    let data = ProtocolMismatch { offered: None, ssl_error: Some(ssl_error) };
    Some(Finding::of_attempt(a, data, TITLE).detail(format!("OpenSSL reported error {code}: {reason}")))
}

const FIXES: &[Fix] = &[
    Fix {
        id: "align-protocol-versions",
        context: None,
        title: "Enable a TLS version both sides support",
        steps: &[
            "The client offered {offered_versions}; the server ({peer}) refused them[[ (alert {alert})]][[ ({ssl_error})]].",
            "{version_step} For sftunnel both ends use proxy_tls_version from /etc/sf/sftunnel.conf (TLSv1.2).",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion};
    use crate::model::{Context, Event, Outcome, Role};

    #[test]
    fn protocol_version_alert_lists_what_was_offered() {
        let a = capture(Context::Generic)
            .with(Event::ClientHello {
                versions: vec![TlsVersion::SSL3, TlsVersion::TLS10],
                suites: vec![CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA],
                sni: Some("legacy.example.com".into()),
            })
            .with(fatal_alert(Role::Server, AlertDescription::PROTOCOL_VERSION))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::ProtocolMismatch);
        assert_eq!(&f.values()["offered_versions"], "SSL 3.0, TLS 1.0");
        let step = f.values()["version_step"].to_string();
        assert!(step.contains("raise the client"), "{step}");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn openssl_wrong_version_number() {
        let a = sftunnel_log().with(Event::SslError {
            by: Role::Client,
            code: "1408F10B".into(),
            function: Some("ssl3_get_record".into()),
            reason: "wrong version number".into(),
        });
        assert_eq!(&the(judged(&a), Kind::ProtocolMismatch).values()["ssl_error"], "error:1408F10B:wrong version number");
    }

    #[test]
    fn the_step_follows_which_side_offered_what() {
        let offering = |versions: Vec<TlsVersion>| super::ProtocolMismatch {
            offered: Some(super::Offered { versions, suites: Vec::new() }),
            ssl_error: None,
        };
        let only_new = offering(vec![TlsVersion::TLS13]).version_step();
        assert!(only_new.contains("enable TLS 1.3 on the server") && !only_new.contains("raise"), "{only_new}");
        let both = offering(vec![TlsVersion::TLS13, TlsVersion::TLS12]).version_step();
        assert!(both.contains("(TLS 1.3, TLS 1.2)"), "{both}");
    }

    #[test]
    fn a_handshake_failure_is_not_about_the_version() {
        let a = capture(Context::Generic)
            .with(Event::ClientHello {
                versions: vec![TlsVersion::TLS12],
                suites: vec![CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA],
                sni: None,
            })
            .with(fatal_alert(Role::Server, AlertDescription::HANDSHAKE_FAILURE))
            .with(end(Outcome::Failed));
        // A refusal of the offer, which names no parameter (see `hello_answer`).
        assert_eq!(kinds(&judged(&a)), [Kind::HandshakeFailed]);
    }
}

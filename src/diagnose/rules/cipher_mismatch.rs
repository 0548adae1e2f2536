//! `cipher-mismatch`: client and server share no cipher suite. Seen as an OpenSSL error such as
//! `no shared cipher`, or as a handshake_failure (or insufficient_security) alert before any
//! ServerHello when the capture shows the same server choosing, in other connections, suites the
//! client did not offer; such an alert alone names no parameter (`hello_answer`).

use super::data::{gaps, Data};
use super::finding::Finding;
use super::handshake_failed::Ending;
use super::offered::{list, Offered, SslError};
use super::{About, Fix, KindData, PushTo, Rule, Verifier};
use crate::codes::{AlertDescription, CipherSuite};
use crate::diagnose::text::Values;
use crate::diagnose::Severity;
use crate::model::{Attempt, Context, Endpoint, Handshake, Role};
use crate::util::fasthash::FastMap;

pub static RULE: Rule = Rule {
    name: "cipher-mismatch",
    severity: Severity::Error,
    summary: "client and server share no cipher suite",
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

/// What a `cipher-mismatch` finding carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CipherMismatch {
    /// What the client offered, when the attempt shows its ClientHello.
    pub offered: Option<Offered>,
    /// The OpenSSL error that said so, when a device logged one.
    pub ssl_error: Option<SslError>,
    /// `server_suites`: the suites the same server chose in other connections of the capture,
    /// by name.
    pub server_suites: Vec<CipherSuite>,
}

impl Data for CipherMismatch {
    fn values(&self, out: &mut Values) {
        if let Some(o) = &self.offered {
            o.values(out);
        }
        out.set_some("ssl_error", self.ssl_error.as_ref());
        if !self.server_suites.is_empty() {
            out.set("server_suites", list(&self.server_suites));
        }
    }
    gaps!(offered, ssl_error, server_suites);
}

const TITLE: &str = "No common cipher suite";

/// A handshake_failure or insufficient_security alert that answered the ClientHello.
pub(in crate::diagnose) fn on_alert(
    a: &Attempt,
    from: Role,
    d: AlertDescription,
    no_server_hello: bool,
) -> Option<Finding> {
    if !(d == AlertDescription::HANDSHAKE_FAILURE || d == AlertDescription::INSUFFICIENT_SECURITY) || !no_server_hello {
        return None;
    }
    // The alert names no parameter: the offer refused is said, the suites named only when the
    // capture shows the server choosing others (`note_server_suites`).
    Some(super::handshake_failed::on_refused_hello(a, from, d))
}

/// An OpenSSL error that says no suite was shared.
pub(in crate::diagnose) fn on_ssl_error(a: &Attempt, reason: &str, function: Option<&str>, code: &str) -> Option<Finding> {
    let r = reason.to_ascii_lowercase();
    let func = function.unwrap_or("").to_ascii_uppercase();
    let no_cipher = r.contains("no shared cipher") || r.contains("no cipher") || r.contains("no ciphers available");
    if !no_cipher && r.contains("handshake failure") && func.contains("GET_SERVER_HELLO") {
        // The client's report of the server's handshake_failure before its ServerHello: the same
        // evidence as the alert, which names no parameter.
        return Some(super::handshake_failed::on_refused_hello(a, Role::Server, AlertDescription::HANDSHAKE_FAILURE));
    }
    if !no_cipher {
        return None;
    }
    let ssl_error = SslError { code: code.to_string(), reason: reason.to_string() };
    let data = CipherMismatch { ssl_error: Some(ssl_error), ..Default::default() };
    Some(Finding::of_attempt(a, data, TITLE).detail(format!("OpenSSL reported error {code}: {reason}")))
}

/// For a mismatch seen on the wire, what the same server chose in other connections of the
/// capture: the suites it does accept.
///
/// A refused ClientHello (`handshake-failed`, see `hello_answer`) becomes a `cipher-mismatch`
/// when the same server chose suites in other connections and the client offered none of
/// them: the capture then shows the suites were what it refused (inferred from those choices).
pub fn note_server_suites(findings: &mut [Finding], handshakes: &[Handshake]) {
    let concerned = |f: &Finding| {
        f.peer.is_some() && matches!(f.data, KindData::HandshakeFailed(_) | KindData::CipherMismatch(_))
    };
    if !findings.iter().any(concerned) {
        return;
    }
    // The suites each server chose, looked up once per finding (a scan of every handshake per
    // finding was a square on a folder of thousands of captures). Servers come from inputs: a
    // keyed table.
    let mut chosen: FastMap<Endpoint, Vec<CipherSuite>> = FastMap::default();
    for h in handshakes {
        if let Some(suite) = h.cipher_suite {
            chosen.entry(Endpoint::from(h.server)).or_default().push(suite);
        }
    }
    for suites in chosen.values_mut() {
        suites.sort_by_cached_key(|c| c.to_string());
        suites.dedup();
    }
    for f in findings.iter_mut().filter(|f| concerned(f)) {
        let Some(suites) = f.peer.as_ref().and_then(|server| chosen.get(server)).cloned() else { continue };
        let refused = match &f.data {
            KindData::HandshakeFailed(d) => match &d.ending {
                Some(Ending::Hello(h)) if h.is_refusal() => Some((h.from, h.alert, h.offer.clone())),
                _ => None,
            },
            _ => None,
        };
        if let Some((from, alert, offer)) = refused {
            if suites.iter().any(|s| offer.suites.contains(s)) {
                f.detail.push_str(&format!(
                    "; in other connections the server chose {}, which the client offered here too: the suites are \
not what it refused (inferred)",
                    list(&suites)
                ));
                continue;
            }
            let offered = Offered { versions: offer.versions, suites: offer.suites };
            f.kind = super::Kind::CipherMismatch;
            f.data = CipherMismatch { offered: Some(offered), ..Default::default() }.into();
            f.title = TITLE.to_string();
            f.detail = format!("the {} answered the ClientHello with alert {alert} before any ServerHello", from.as_str());
        }
        if let KindData::CipherMismatch(data) = &mut f.data {
            f.detail.push_str(&format!("; in other connections the server chose {}", list(&suites)));
            data.server_suites = suites;
        }
    }
}

const FIXES: &[Fix] = &[
    Fix {
        id: "tls-proxy-k9-license",
        context: Some(Context::TlsProxy),
        title: "Install the K9 (3DES/AES) licence, then align the server's cipher suites",
        steps: &[
            "Without the 3DES/AES (K9) licence the module offers only weak suites. The licence costs nothing: download \
it and upload it to the module through PRSM.",
            "If the handshake still fails, capture the module-to-server handshake and ask the server's administrator \
to enable a suite the module offers ({offered_suites}).",
        ],
    },
    Fix {
        id: "align-cipher-suites",
        context: None,
        title: "Enable a cipher suite both sides support",
        steps: &[
            "The client offered {offered_suites}; the server ({peer}) accepted none of them.[[ In other \
connections of the capture the same server chose {server_suites}.]]",
            "Enable one of these suites on the server, or widen the client's list; for sftunnel, check proxy_cipher in \
/etc/sf/sftunnel.conf on both ends.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion};
    use crate::model::{Context, Event, Handshake, Outcome, Role};

    fn refused_hello() -> crate::model::Attempt {
        capture(Context::TlsProxy)
            .with(Event::ClientHello {
                versions: vec![TlsVersion::TLS12],
                suites: vec![CipherSuite::TLS_RSA_WITH_RC4_128_MD5, CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
                sni: None,
            })
            .with(fatal_alert(Role::Server, AlertDescription::HANDSHAKE_FAILURE))
            .with(end(Outcome::Failed))
    }

    /// A handshake of the same server, elsewhere in the inputs, that chose `suite`.
    fn chosen_elsewhere(version: TlsVersion, suite: CipherSuite) -> Handshake {
        Handshake {
            client: "10.1.1.6:50999".parse().unwrap(),
            server: "10.2.2.2:443".parse().unwrap(),
            version: Some(version),
            cipher_suite: Some(suite),
            sni: None,
            alpn: Vec::new(),
            outcome: Outcome::Established,
            offered_versions: Vec::new(),
            offered_suites: Vec::new(),
            client_auth_requested: false,
            alerts: Vec::new(),
            certificates: Vec::new(),
            empty_certificate: None,
            not_tls: None,
            start: None,
            evidence: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn handshake_failure_before_any_server_hello() {
        let mut found = judged(&refused_hello());
        let other = chosen_elsewhere(TlsVersion::TLS12, CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        super::note_server_suites(&mut found, &[other]);
        let f = the(found, Kind::CipherMismatch);
        assert!(!f.values()["offered_suites"].contains("RENEGOTIATION"), "signalling values are not suites");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn the_suites_are_named_only_when_the_server_chose_others_elsewhere() {
        let refused = || {
            let hello = Event::ClientHello {
                versions: vec![TlsVersion::TLS13],
                suites: vec![CipherSuite::TLS_AES_128_GCM_SHA256],
                sni: None,
            };
            let a = capture(Context::Generic)
                .with(hello)
                .with(fatal_alert(Role::Server, AlertDescription::HANDSHAKE_FAILURE))
                .with(end(Outcome::Failed));
            judged(&a)
        };
        let elsewhere = |suite| chosen_elsewhere(TlsVersion::TLS13, suite);
        let mut found = refused();
        assert_eq!(kinds(&found), [Kind::HandshakeFailed]);
        super::note_server_suites(&mut found, &[elsewhere(CipherSuite::TLS_AES_256_GCM_SHA384)]);
        assert_eq!(kinds(&found), [Kind::CipherMismatch]);
        let mut found = refused();
        super::note_server_suites(&mut found, &[elsewhere(CipherSuite::TLS_AES_128_GCM_SHA256)]);
        assert_eq!(kinds(&found), [Kind::HandshakeFailed]);
        assert!(found[0].detail.contains("not what it refused (inferred)"), "{}", found[0].detail);
    }

    #[test]
    fn after_a_server_hello_it_is_not_about_suites() {
        let a = refused_hello().with(Event::ServerHello {
            version: TlsVersion::TLS12,
            suite: CipherSuite::TLS_RSA_WITH_RC4_128_MD5,
        });
        assert!(!kinds(&judged(&a)).contains(&Kind::CipherMismatch));
    }
}

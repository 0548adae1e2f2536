//! A plaintext alert that answered the ClientHello, for `handshake-failed`: what it says and
//! what the client had offered. An alert that names its cause is said with that cause
//! (no_application_protocol: ALPN; unrecognized_name: SNI; inappropriate_fallback: a retry at a
//! lower version). A handshake_failure or insufficient_security before any ServerHello says only
//! that the server accepted none of what the client offered for one of the parameters it must
//! choose — cipher suite, group or signature algorithm — so all three are listed and none is
//! named; `cipher_mismatch::note_server_suites` names the suites when the capture shows the same
//! server choosing suites the client did not offer.

use super::offered::list;
use crate::codes::{group_name, names, signature_scheme_name, AlertDescription, CipherSuite, TlsVersion};
use crate::model::{Attempt, Context, Event, Role};

/// What a ClientHello offered, as far as the attempt shows it (GREASE and signalling values left
/// out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelloOffer {
    pub versions: Vec<TlsVersion>,
    pub suites: Vec<CipherSuite>,
    pub groups: Vec<u16>,
    pub signature_algorithms: Vec<u16>,
    pub alpn: Vec<String>,
    pub sni: Option<String>,
}

impl HelloOffer {
    /// The offer of the attempt's ClientHello, `None` without one.
    pub fn of(a: &Attempt) -> Option<HelloOffer> {
        let mut offer = None;
        for o in &a.events {
            match &o.event {
                Event::ClientHello { versions, suites, sni } => {
                    offer = Some(HelloOffer {
                        versions: versions.iter().copied().filter(|v| !v.is_grease()).collect(),
                        suites: suites.iter().copied().filter(|c| !c.is_signalling()).collect(),
                        sni: sni.clone(),
                        ..HelloOffer::default()
                    })
                }
                Event::HelloOffer { alpn, groups, signature_algorithms } => {
                    if let Some(h) = offer.as_mut() {
                        h.alpn.clone_from(alpn);
                        h.groups.clone_from(groups);
                        h.signature_algorithms.clone_from(signature_algorithms);
                    }
                }
                _ => {}
            }
        }
        offer
    }

    /// The parameters a server must pick one of, each as offered.
    fn parameters(&self) -> String {
        if self.suites.is_empty() && self.groups.is_empty() && self.signature_algorithms.is_empty() {
            return "not known, its ClientHello is not in the evidence (a capture of the handshake shows it)".into();
        }
        let mut parts = vec![format!("cipher suites {}", list(&self.suites))];
        if !self.groups.is_empty() {
            parts.push(format!("groups {}", names(&self.groups, group_name)));
        }
        if !self.signature_algorithms.is_empty() {
            parts.push(format!("signature algorithms {}", names(&self.signature_algorithms, signature_scheme_name)));
        }
        parts.join("; ")
    }
}

/// A plaintext alert that answered the ClientHello, with the offer it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelloAnswer {
    pub from: Role,
    pub alert: AlertDescription,
    pub offer: HelloOffer,
    /// The TLS proxy module's connection (its known cause of a refused offer is said).
    pub proxy: bool,
}

const NO_APPLICATION_PROTOCOL: AlertDescription = AlertDescription(120);
const UNRECOGNIZED_NAME: AlertDescription = AlertDescription(112);
const INAPPROPRIATE_FALLBACK: AlertDescription = AlertDescription(86);

impl HelloAnswer {
    /// An alert that names its cause, sent by `from` in the attempt (before or after a
    /// ServerHello: the names it gives come from the ClientHello either way).
    pub fn naming_its_cause(a: &Attempt, from: Role, alert: AlertDescription) -> Option<HelloAnswer> {
        [NO_APPLICATION_PROTOCOL, UNRECOGNIZED_NAME, INAPPROPRIATE_FALLBACK]
            .contains(&alert)
            .then(|| Self::new(a, from, alert))
    }

    /// A refusal of the ClientHello before any ServerHello (handshake_failure or
    /// insufficient_security).
    pub fn refusal(a: &Attempt, from: Role, alert: AlertDescription) -> HelloAnswer {
        Self::new(a, from, alert)
    }

    fn new(a: &Attempt, from: Role, alert: AlertDescription) -> HelloAnswer {
        let offer = HelloOffer::of(a).unwrap_or_default();
        HelloAnswer { from, alert, offer, proxy: a.context == Context::TlsProxy }
    }

    /// Whether this is a refusal of the offer that names no parameter.
    pub fn is_refusal(&self) -> bool {
        ![NO_APPLICATION_PROTOCOL, UNRECOGNIZED_NAME, INAPPROPRIATE_FALLBACK].contains(&self.alert)
    }

    pub fn title(&self) -> String {
        match self.alert {
            NO_APPLICATION_PROTOCOL => "No common application protocol (ALPN)".into(),
            UNRECOGNIZED_NAME => "The server does not serve the name the client asked for (SNI)".into(),
            INAPPROPRIATE_FALLBACK => "The server refused a fallback to a lower TLS version".into(),
            _ => format!("The {} refused what the ClientHello offered", self.from.as_str()),
        }
    }

    /// What the alert shows, with what the client offered.
    pub fn what(&self) -> String {
        let (by, d, o) = (self.from.as_str(), self.alert, &self.offer);
        match self.alert {
            NO_APPLICATION_PROTOCOL => format!(
                "the {by} sent alert {d}: it supports none of the application protocols the client offered with ALPN \
({})",
                if o.alpn.is_empty() { "none read from the capture".to_string() } else { o.alpn.join(", ") }
            ),
            UNRECOGNIZED_NAME => match &o.sni {
                Some(name) => format!(
                    "the {by} sent alert {d}: it is not configured for the name the client asked for with SNI \
(\"{name}\")"
                ),
                None => format!("the {by} sent alert {d}: the client sent no server name (SNI) and the {by} wants one"),
            },
            INAPPROPRIATE_FALLBACK => format!(
                "the {by} sent alert {d}: the client marked this ClientHello as a retry at a lower version \
(TLS_FALLBACK_SCSV; it offered {}) and the {by} supports a higher one, so it refused the downgrade. A client marks a \
retry so after its attempt at the higher version failed (inferred: that attempt is not this connection)",
                list(&o.versions)
            ),
            _ => format!(
                "the {by} answered the ClientHello with alert {d} before any ServerHello: it accepted none of what the \
client offered for one of the parameters it must choose — cipher suite, group (key exchange) or signature algorithm — \
and the alert does not say which. What the client offered: {}",
                o.parameters()
            ),
        }
    }

    /// What to do or collect next.
    pub fn collect(&self) -> String {
        let o = &self.offer;
        match self.alert {
            NO_APPLICATION_PROTOCOL => "Make the two sides share an application protocol: add one the client offers \
to the server's ALPN list, or have the client offer one the server serves (the server's configuration shows its list)."
                .into(),
            UNRECOGNIZED_NAME => format!(
                "Have the client ask for a name the server is configured for (the name in its certificate and \
configuration), or configure the server for {}.",
                o.sni.as_deref().map_or("the name the client uses".to_string(), |n| format!("\"{n}\""))
            ),
            INAPPROPRIATE_FALLBACK => "Find why the client's first attempt at the higher version failed (a device \
on the path dropping it, a timeout): the connection just before this one, or the client's log, shows it; the refused \
fallback only protects against a downgrade."
                .into(),
            _ => {
                let proxy = if self.proxy {
                    " A TLS proxy module without the (free) 3DES/AES (K9) licence offers only weak suites: install \
that licence first."
                } else {
                    ""
                };
                format!(
                    "Compare this offer with the server's cipher suites, groups (curves) and signature algorithms, and \
the key type of its certificate; the server's log names the one it lacked (OpenSSL: \"no shared cipher\", \"no \
suitable key share\", \"no suitable signature algorithm\").{proxy}"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::codes::{AlertDescription, CipherSuite, TlsVersion};
    use crate::diagnose::Kind;
    use crate::model::{Context, Event, Outcome, Role};

    fn answered(alert: AlertDescription) -> crate::model::Attempt {
        capture(Context::Generic)
            .with(Event::ClientHello {
                versions: vec![TlsVersion::TLS13],
                suites: vec![CipherSuite::TLS_AES_128_GCM_SHA256],
                sni: Some("wrong.example".into()),
            })
            .with(Event::HelloOffer {
                alpn: vec!["http/1.1".into()],
                groups: vec![0x001d],
                signature_algorithms: vec![0x0804],
            })
            .with(fatal_alert(Role::Server, alert))
            .with(end(Outcome::Failed))
    }

    #[test]
    fn a_refused_offer_lists_every_parameter_and_names_none() {
        let found = judged(&answered(AlertDescription::HANDSHAKE_FAILURE));
        let f = the(found, Kind::HandshakeFailed);
        for said in
            ["cipher suites TLS_AES_128_GCM_SHA256", "groups x25519", "signature algorithms rsa_pss_rsae_sha256"]
        {
            assert!(f.detail.contains(said), "{}", f.detail);
        }
        assert!(!f.title.contains("cipher"), "{}", f.title);
    }

    #[test]
    fn an_alert_that_names_its_cause_is_said_with_it() {
        for (alert, said) in [
            (AlertDescription(120), "ALPN (http/1.1)"),
            (AlertDescription(112), "SNI (\"wrong.example\")"),
            (AlertDescription(86), "TLS_FALLBACK_SCSV"),
        ] {
            let f = the(judged(&answered(alert)), Kind::HandshakeFailed);
            assert!(f.detail.contains(said), "{}", f.detail);
            assert!(!f.detail.contains("does not say why"), "{}", f.detail);
        }
    }
}

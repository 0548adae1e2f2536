//! `peer-rejected-certificate`: the other side refused the certificate it was sent (a fatal
//! certificate alert such as bad_certificate or unknown_ca) and nothing in the attempt says why.
//! Across sources, the rejection folds into what the rejecting device reported about us
//! (`precedence`). Regenerated sftunnel files go to the rejecting device.

use super::steps::{CHECK_CA, PUSH, VERIFY};
use super::{About, Fix, PushTo, Rule};
use crate::codes::AlertDescription;
use crate::diagnose::attempt::base;
use crate::diagnose::kind::{Kind, Severity};
use crate::diagnose::Finding;
use crate::model::{Attempt, Context, Role};

pub static RULE: Rule = Rule {
    name: "peer-rejected-certificate",
    severity: Severity::Error,
    summary: "the other side refused the certificate it was sent",
    about: About::TunnelCredentials,
    verify: None,
    push_to: PushTo::Peer,
    fixes: FIXES,
};

/// A certificate alert `from` one side, unless the attempt's own certificate findings already
/// explain it (`explained`).
pub(in crate::diagnose) fn on_alert(a: &Attempt, from: Role, d: AlertDescription, explained: bool) -> Option<Finding> {
    if !d.is_certificate_rejection() || explained {
        return None;
    }
    let to = from.other();
    let f = base(a, Kind::PeerRejectedCertificate, format!("The {} rejected the {}'s certificate", from.as_str(), to.as_str()))
        .detail(format!(
            "the {} sent alert {d}: it does not accept the certificate the {} presented",
            from.as_str(),
            to.as_str()
        ))
        .fact("alert", d.to_string())
        .fact("rejected_by", from.as_str());
    Some(f)
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-peer-rejects-cert",
        context: Some(Context::Sftunnel),
        title: "The peer refuses this side's sftunnel certificate: check the InternalCA and the copies on the peer",
        steps: &[
            "{peer} answered with alert {alert}: it does not accept the certificate (or the InternalCA behind it) that \
this side sends.",
            CHECK_CA,
            "If the CA has expired, follow `tlstriage explain expired-ca`: back up the FMC, install its hotfix, run \
generate_certs.pl, and push the files to {push_to}.",
            PUSH,
            VERIFY,
        ],
    },
    Fix {
        id: "peer-rejects-cert",
        context: None,
        title: "Find out why the peer refuses the certificate",
        steps: &[
            "The {rejected_by} sent alert {alert} about the certificate it was given.",
            "Check that certificate's dates and chain (`openssl x509 -dates -issuer -noout`), and the peer's trust \
store and clock; the peer's own log names the exact reason.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::{AlertDescription, VerifyCode};
    use crate::model::{Outcome, Role};

    #[test]
    fn the_fmc_refused_our_certificate() {
        let a = sftunnel_log()
            .with(fatal_alert(Role::Server, AlertDescription::BAD_CERTIFICATE))
            .with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::PeerRejectedCertificate);
        assert_eq!(f.facts["rejected_by"], "server");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn a_verify_error_explains_the_rejection() {
        let a = sftunnel_log()
            .with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 1, "/title=InternalCA/CN=x", "/title=InternalCA/CN=x"))
            .with(fatal_alert(Role::Server, AlertDescription::CERTIFICATE_UNKNOWN));
        assert_eq!(kinds(&judged(&a)), [Kind::ExpiredCa]);
    }
}

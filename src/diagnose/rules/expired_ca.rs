//! `expired-ca`: a CA certificate (depth 1 or more) of a chain was expired; for sftunnel, the
//! FMC's InternalCA after its ten years. A device logs it as verify code 10 at depth 1 or more;
//! a capture shows it in the chain; a CA file on disk shows it against today.

use jiff::Timestamp;

use super::steps::{BACKUP, CHECK_CA, GENERATE, HA_ORDER, HOTFIX, NO_REBOOT, PUSH, VERIFY};
use super::{About, Depth, Fix, PushTo, Rule, VerifyMatch};
use crate::codes::VerifyCode;
use crate::diagnose::attempt::base;
use crate::diagnose::kind::{Kind, Severity};
use crate::diagnose::Finding;
use crate::model::{Attempt, ChainLink, Context};

pub static RULE: Rule = Rule {
    name: "expired-ca",
    severity: Severity::Critical,
    summary: "a CA certificate (depth 1 or more) of the chain was expired",
    about: About::CertificateTrust,
    verify: Some(VerifyMatch { codes: &[VerifyCode::CERT_HAS_EXPIRED], depth: Depth::Ca, title, facts: super::no_facts }),
    push_to: PushTo::Reporters,
    fixes: FIXES,
};

fn title(depth: Option<u32>, _: VerifyCode) -> String {
    format!("CA certificate at depth {} has expired", depth.unwrap_or(1))
}

/// A CA of a chain seen on the wire had expired when the handshake took place.
pub(in crate::diagnose) fn on_wire(a: &Attempt, link: &ChainLink, who: &str, at: Timestamp) -> Finding {
    base(a, Kind::ExpiredCa, format!("CA certificate at depth {} had expired at handshake time", link.depth))
        .detail(expired_detail(link, who, at))
}

/// The detail of an expiry seen on the wire (`expired-cert` says it the same way).
pub(in crate::diagnose) fn expired_detail(link: &ChainLink, who: &str, at: Timestamp) -> String {
    format!(
        "{} (depth {}, sent by the {who}) expired {} and the handshake took place {}",
        link.cert.subject, link.depth, link.cert.not_after, at
    )
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-renew-internal-ca",
        context: Some(Context::Sftunnel),
        title: "Renew the FMC InternalCA and re-issue the sftunnel certificates",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Fix {
        id: "sftunnel-renew-internal-ca",
        context: Some(Context::FmcHa),
        title: "Renew the InternalCA of the primary FMC, then of the secondary",
        steps: &[CHECK_CA, BACKUP, NO_REBOOT, HOTFIX, HA_ORDER, GENERATE, PUSH, VERIFY],
    },
    Fix {
        id: "renew-ca",
        context: None,
        title: "Renew the expired CA certificate and re-issue what it signed",
        steps: &[
            "The CA {ca_subject} has expired[[ (on {ca_not_after})]]: every certificate it signed is refused from then on.",
            "Issue a new CA certificate (or renew it with the same key), re-issue the end-entity certificates, and \
install both the new chain and the new CA in the trust stores of the peers.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::codes::VerifyCode;
    use crate::model::{Context, Outcome, Role};

    const CA: &str = "/title=InternalCA/OU=Intrusion Management System/CN=fmc-old/O=Cisco Systems, Inc";
    const LEAF: &str = "/CN=ftd-branch-07/O=Cisco Systems, Inc";

    #[test]
    fn verify_code_10_at_depth_1_is_the_ca() {
        let a = sftunnel_log().with(verify_error(VerifyCode::CERT_HAS_EXPIRED, 1, CA, CA)).with(end(Outcome::Failed));
        let f = the(judged(&a), Kind::ExpiredCa);
        assert_eq!((f.depth, f.facts["ca_subject"].as_str()), (Some(1), CA));
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn expired_ca_in_a_captured_chain() {
        let ca = cert(CA, CA, "2016-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        let leaf = cert(LEAF, CA, "2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        let a = capture(Context::Sftunnel).with(chain(Role::Server, &[leaf, ca])).with(end(Outcome::Failed));
        let found = judged(&a);
        assert_eq!(kinds(&found), [Kind::ExpiredCa]);
        assert_eq!(found[0].title, "CA certificate at depth 1 had expired at handshake time");
    }
}

//! The shared glue that judges facts on disk: each certificate file against today (`expired-ca`,
//! `expired-cert`, `not-yet-valid`, `expiring-soon`) and OpenSSL's security levels
//! (`weak-certificate`), each FAILED_PUSH list (`cert-push-failed`), and the folders'
//! consistency (`consistency`). A backup beside the live file and a trust store
//! give no finding of their own (`firepower::roles`); the live file and a record of what an FMC
//! pushed (`certs_pushed/`, what a device was sent) are judged. The role also tells the rules
//! what a file is for (the Talos cloud client certificate has a kind of its own).

use std::sync::Arc;

use super::rules::{cert_push_failed, precedence};
use super::rules::{CertRef, Finding, OnDiskVerdict};
use super::Options;
use crate::model::Evidence;
use crate::model::Fact;
use crate::model::{CertRole, CertSummary};

/// Judge all facts of a run.
pub fn judge(facts: &[Fact], opts: &Options) -> Vec<Finding> {
    let roles = crate::firepower::roles::Roles::of(facts);
    let mut out = Vec::new();
    for fact in facts {
        match fact {
            Fact::CertFile { evidence, certs } => {
                for (i, c) in certs.iter().enumerate() {
                    let role = roles.of_cert(&evidence.path, c);
                    if !role.judged() {
                        continue;
                    }
                    out.extend(judge_cert(evidence, c, &role, opts).map(|mut f| {
                        if certs.len() > 1 {
                            f.shared.index_in_file = Some(i);
                        }
                        f
                    }));
                }
            }
            Fact::FailedPush { evidence, rows, .. } => out.extend(cert_push_failed::judge(evidence, rows)),
            _ => {}
        }
    }
    out.extend(super::consistency::judge(facts, &opts.certs));
    out
}

/// One certificate of a file judged against today by the first on-disk rule that applies
/// (`precedence::ON_DISK`); the finding's detail (with what the rule adds) and facts are the same
/// for all of them.
fn judge_cert(evidence: &Evidence, c: &Arc<CertSummary>, role: &CertRole, opts: &Options) -> Option<Finding> {
    let OnDiskVerdict { severity, title, data, why, security_level } =
        precedence::ON_DISK.iter().find_map(|on_disk| on_disk(c, role, opts))?;
    let days = c.days_left(opts.now);
    let mut detail =
        format!("{} (issuer {}) is valid until {}; found in {}", c.subject, c.issuer, c.not_after, evidence.path);
    if let Some(why) = why {
        detail.push_str("; ");
        detail.push_str(&why);
    }
    let mut f = Finding::new(data, crate::firepower::context_of_path(&evidence.path), title).detail(detail);
    f.shared.file = Some(evidence.path.clone());
    f.shared.security_level = security_level;
    f.shared.days_left = Some(days);
    let cert = &mut f.shared.cert;
    cert.subject = Some(c.subject.clone());
    cert.not_after = Some(c.not_after);
    if c.is_ca {
        cert.ca_subject = Some(c.subject.clone());
        cert.ca_not_after = Some(c.not_after);
    }
    f.severity = severity;
    f.certificate = CertRef::from(&**c);
    f.depth = if c.is_ca { None } else { Some(0) };
    f.add_evidence(evidence.clone());
    Some(f)
}

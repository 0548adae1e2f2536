//! The shared glue that judges facts on disk: each certificate file against today (`expired-ca`,
//! `expired-cert`, `not-yet-valid`, `expiring-soon`), each FAILED_PUSH list (`cert-push-failed`),
//! and the folders' consistency (`consistency`).

use std::sync::Arc;

use super::finding::{CertRef, Finding};
use super::kind::{Kind, Severity};
use super::rules::{cert_push_failed, expiring_soon, not_yet_valid};
use super::Options;
use crate::model::CertSummary;
use crate::model::Evidence;
use crate::model::Fact;

/// Judge all facts of a run.
pub fn judge(facts: &[Fact], opts: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    for fact in facts {
        match fact {
            Fact::CertFile { evidence, certs } => {
                for (i, c) in certs.iter().enumerate() {
                    out.extend(judge_cert(evidence, c, opts).map(|mut f| {
                        if certs.len() > 1 {
                            f.facts.insert("index_in_file".into(), i.to_string());
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

/// One certificate of a file judged against today: expired, not valid yet, or expiring soon.
fn judge_cert(evidence: &Evidence, c: &Arc<CertSummary>, opts: &Options) -> Option<Finding> {
    let days = c.days_left(opts.now);
    let (kind, severity, title) = if c.not_after < opts.now {
        let k = if c.is_ca { Kind::ExpiredCa } else { Kind::ExpiredCert };
        let ago = crate::wording::duration(opts.now.as_second() - c.not_after.as_second());
        (k, k.default_severity(), format!("Certificate on disk expired {ago} ago"))
    } else if c.not_before > opts.now {
        (Kind::NotYetValid, Severity::Warning, not_yet_valid::ON_DISK_TITLE.to_string())
    } else {
        let (severity, title) = expiring_soon::within_window(days, opts)?;
        (Kind::ExpiringSoon, severity, title)
    };
    let mut f = Finding::new(kind, crate::firepower::context_of_path(&evidence.path), title)
        .detail(format!(
            "{} (issuer {}) is valid until {}; found in {}",
            c.subject, c.issuer, c.not_after, evidence.path
        ))
        .fact("path", evidence.path.clone())
        .fact("subject", c.subject.clone())
        .fact("not_after", c.not_after.to_string())
        .fact("days_left", days.to_string())
        .fact("time_left", crate::wording::counted(days.max(0) as u64, "day"));
    if c.is_ca {
        f.facts.insert("ca_subject".into(), c.subject.clone());
        f.facts.insert("ca_not_after".into(), c.not_after.to_string());
    }
    f.severity = severity;
    f.certificate = CertRef::from(&**c);
    f.depth = if c.is_ca { None } else { Some(0) };
    f.add_evidence(evidence.clone());
    Some(f)
}

//! Rules for facts on disk: certificate files judged against today, FAILED_PUSH lists; the
//! folder consistency rules (`ca-mismatch`, `key-mismatch`) are in `consistency`.

use std::collections::BTreeMap;

use super::finding::{CertRef, Finding};
use super::kind::{Kind, Severity};
use super::Options;
use crate::model::Context;
use crate::model::Fact;

/// Judge all facts of a run.
pub fn judge(facts: &[Fact], opts: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    for fact in facts {
        match fact {
            Fact::CertFile { evidence, certs } => {
                for (i, c) in certs.iter().enumerate() {
                    let days = c.days_left(opts.now);
                    let context = if evidence.path.contains("sftunnel")
                        || evidence.path.contains("ca_root")
                        || evidence.path.contains("peers")
                    {
                        Context::Sftunnel
                    } else {
                        Context::Generic
                    };
                    let (kind, severity, title) = if c.not_after < opts.now {
                        let k = if c.is_ca { Kind::ExpiredCa } else { Kind::ExpiredCert };
                        let ago = crate::wording::duration(opts.now.as_second() - c.not_after.as_second());
                        (k, k.default_severity(), format!("Certificate on disk expired {ago} ago"))
                    } else if c.not_before > opts.now {
                        (Kind::NotYetValid, Severity::Warning, "Certificate on disk is not valid yet".to_string())
                    } else if days < opts.error_days {
                        (
                            Kind::ExpiringSoon,
                            Severity::Error,
                            format!("Certificate expires in {}", crate::wording::counted(days as u64, "day")),
                        )
                    } else if days < opts.warn_days {
                        (
                            Kind::ExpiringSoon,
                            Severity::Warning,
                            format!("Certificate expires in {}", crate::wording::counted(days as u64, "day")),
                        )
                    } else {
                        continue;
                    };
                    let mut f = Finding::new(kind, context, title)
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
                    if certs.len() > 1 {
                        f.facts.insert("index_in_file".into(), i.to_string());
                    }
                    out.push(f);
                }
            }
            Fact::FailedPush { evidence, rows, .. } => {
                let mut by_device: BTreeMap<(&str, &str, &str), Vec<&crate::model::PushRow>> = BTreeMap::new();
                for r in rows {
                    by_device.entry((&r.device_name, &r.device_uuid, &r.device_ip)).or_default().push(r);
                }
                for ((name, uuid, ip), rows) in by_device {
                    // Only rows whose every value has its shape may become commands of the plan.
                    let (good, bad): (Vec<_>, Vec<_>) =
                        rows.iter().map(|r| (r, crate::plan::shape::check_row(r))).partition(|(_, c)| c.is_ok());
                    let files: Vec<String> =
                        good.iter().map(|(r, _)| format!("{} -> {}", r.source, r.destination)).collect();
                    let refused: Vec<String> = bad.into_iter().filter_map(|(_, c)| c.err()).collect();
                    let mut detail = format!(
                        "generate_certs.pl could not copy {} to {name} ({ip}): {}",
                        crate::wording::counted(rows.len() as u64, "file"),
                        files.join("; ")
                    );
                    if !refused.is_empty() {
                        detail.push_str(&format!(
                            "; {} refused, not put into the plan: {}",
                            crate::wording::counted(refused.len() as u64, "row"),
                            refused.join("; ")
                        ));
                    }
                    let mut f = Finding::new(
                        Kind::CertPushFailed,
                        Context::Sftunnel,
                        format!("Certificates not pushed to {name}"),
                    )
                    .detail(detail)
                    .fact("device_name", name)
                    .fact("device_uuid", uuid)
                    .fact("peer_ip", ip)
                    .fact("files", files.join("\n"));
                    if !refused.is_empty() {
                        f.facts.insert("refused".into(), refused.join("\n"));
                    }
                    let dir = good.first().and_then(|(r, _)| r.destination.rsplit_once('/')).map(|(d, _)| d);
                    if let Some(dir) = dir {
                        f.facts.insert("destination_dir".into(), dir.to_string());
                    }
                    f.peer = Some(name.to_string());
                    let mut ev = evidence.clone();
                    ev.line = rows.iter().filter_map(|r| r.line).min().or(ev.line);
                    f.add_evidence(ev);
                    out.push(f);
                }
            }
            _ => {}
        }
    }
    out.extend(super::consistency::judge(facts, &opts.certs));
    out
}

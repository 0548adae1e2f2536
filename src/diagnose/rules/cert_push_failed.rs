//! `cert-push-failed`: `generate_certs.pl` could not copy the regenerated sftunnel certificates
//! to a device (its `FAILED_PUSH` list). One finding per device; only rows whose every value has
//! its expected shape may become commands of the plan, the others are named as refused.

use std::collections::BTreeMap;

use super::{About, Fix, PushTo, Rule};
use crate::diagnose::kind::{Kind, Severity};
use crate::diagnose::Finding;
use crate::model::PushRow;
use crate::model::{Context, Endpoint, Evidence};
use crate::wording::counted;

pub static RULE: Rule = Rule {
    name: "cert-push-failed",
    severity: Severity::Error,
    summary: "regenerated sftunnel certificates were not pushed to a device",
    about: About::TunnelCredentials,
    verify: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
};

/// The findings of one `FAILED_PUSH` list, one per device.
pub(in crate::diagnose) fn judge(evidence: &Evidence, rows: &[PushRow]) -> Vec<Finding> {
    let mut by_device: BTreeMap<(&str, &str, &str), Vec<&PushRow>> = BTreeMap::new();
    for r in rows {
        by_device.entry((&r.device_name, &r.device_uuid, &r.device_ip)).or_default().push(r);
    }
    by_device.into_iter().map(|((name, uuid, ip), rows)| for_device(evidence, name, uuid, ip, &rows)).collect()
}

fn for_device(evidence: &Evidence, name: &str, uuid: &str, ip: &str, rows: &[&PushRow]) -> Finding {
    let (good, bad): (Vec<_>, Vec<_>) =
        rows.iter().map(|r| (r, crate::firepower::shape::check_row(r))).partition(|(_, c)| c.is_ok());
    let files: Vec<String> = good.iter().map(|(r, _)| format!("{} -> {}", r.source, r.destination)).collect();
    let refused: Vec<String> = bad.into_iter().filter_map(|(_, c)| c.err()).collect();
    let mut detail = format!(
        "generate_certs.pl could not copy {} to {name} ({ip}): {}",
        counted(rows.len() as u64, "file"),
        files.join("; ")
    );
    if !refused.is_empty() {
        detail.push_str(&format!(
            "; {} refused, not put into the plan: {}",
            counted(refused.len() as u64, "row"),
            refused.join("; ")
        ));
    }
    let mut f = Finding::new(Kind::CertPushFailed, Context::Sftunnel, format!("Certificates not pushed to {name}"))
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
    f.peer = Some(Endpoint::named(name));
    let mut ev = evidence.clone();
    ev.line = rows.iter().filter_map(|r| r.line).min().or(ev.line);
    f.add_evidence(ev);
    f
}

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-push-failed",
        context: None,
        title: "Copy the regenerated certificates to the device",
        steps: &[
            "generate_certs.pl could not copy the new files to {device_name}[[ ({peer_ip}]][[, UUID {device_uuid}]][[)]]:\n{files}",
            "Automated: list the device in devices.csv and run `copy_sftunnel_certs.py devices.csv` on the FMC \
(or the jump-server variant); `tlstriage plan` writes the CSV.",
            "By hand on {device_name} (expert, `sudo su`): go to {peer_folder}, back up cacert.pem, \
sftunnel-cert.pem and sftunnel-key.pem (`cp X X.backup`), paste the new contents from the FMC paths above, \
`chmod 644` and `chown root:root` the three files, then `pmtool restartbyid sftunnel`.",
            "Confirm on the FMC with `sftunnel_status.pl` that {device_name} is connected.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use crate::diagnose::Kind;
    use crate::model::{Fact, PushRow};
    use crate::model::Evidence;

    fn row(file: &str, line: u64) -> PushRow {
        let uuid = "c8d5d5c6-87c9-11ef-a993-b9831565bc4e";
        PushRow {
            device_uuid: uuid.into(),
            device_name: "ftd-branch-07".into(),
            device_ip: "192.168.45.21".into(),
            source: match file {
                "cacert.pem" => "/etc/sf/ca_root/cacert.pem".into(),
                _ => format!("/var/sf/peers/{uuid}/certs_pushed//{file}"),
            },
            destination: format!("/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1/{file}"),
            line: Some(line),
        }
    }

    #[test]
    fn one_finding_per_device() {
        let facts = [Fact::FailedPush {
            evidence: Evidence::file("fmc.tgz!/var/tmp/certs/1733000000/FAILED_PUSH"),
            generated: None,
            rows: vec![row("cacert.pem", 2), row("sftunnel-cert.pem", 3), row("../../etc/passwd", 4)],
        }];
        let f = the(classified(&facts), Kind::CertPushFailed);
        assert_eq!(f.facts["destination_dir"], "/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1");
        assert!(f.facts["refused"].starts_with("line 4: "), "a row of another shape is refused");
        insta::assert_snapshot!(render(&f));
    }

    #[test]
    fn an_empty_list_is_no_failed_push() {
        let facts = [Fact::FailedPush {
            evidence: Evidence::file("fmc.tgz!/var/tmp/certs/1733000000/FAILED_PUSH"),
            generated: None,
            rows: Vec::new(),
        }];
        assert_eq!(kinds(&classified(&facts)), []);
    }
}

//! `cert-push-failed`: `generate_certs.pl` could not copy the regenerated sftunnel certificates
//! to a device (its `FAILED_PUSH` list). One finding per device; only rows whose every value has
//! its expected shape may become commands of the plan, the others are named as refused.

use std::collections::BTreeMap;

use super::data::{Data, Gap, Identifiers};
use super::finding::Finding;
use super::{About, Fix, FromSystem, PushTo, Rule, SystemFix, Verifier};
use crate::diagnose::text::{fill, Values};
use crate::diagnose::Severity;
use crate::model::PushRow;
use crate::model::{Context, Endpoint, Evidence, Uuid};
use crate::wording::counted;

pub static RULE: Rule = Rule {
    name: "cert-push-failed",
    severity: Severity::Error,
    summary: "regenerated sftunnel certificates were not pushed to a device",
    about: About::TunnelCredentials,
    verifier: Verifier::Nobody,
    marks_tunnel_down: false,
    verify: None,
    window: None,
    push_to: PushTo::Reporters,
    fixes: FIXES,
    system: Some(SystemFix { when: FromSystem::Always, about: |f, _| fill(NOT_COPIED, &f.values()) }),
    min_fmc_release: None,
};

/// What a `cert-push-failed` finding carries: the device of a FAILED_PUSH list as written, the
/// rows whose every value has its shape (only those may become commands), and why the others
/// were refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertPushFailed {
    /// `device_name`, `device_uuid`: as the list writes them.
    pub device_name: String,
    pub device_uuid: String,
    /// `peer_ip`: the device's address as the list writes it.
    pub device_ip: Option<String>,
    /// `files`: the checked rows (`source -> destination`, one a line).
    pub files: Vec<PushedFile>,
    /// `refused`: why the other rows are not in the plan, one a line.
    pub refused: Vec<String>,
    /// `destination_dir`: the peer folder on the device the checked rows go to.
    pub destination_dir: Option<String>,
}

/// One file `generate_certs.pl` could not copy: from the FMC to the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedFile {
    pub source: String,
    pub destination: String,
}

impl Data for CertPushFailed {
    fn values(&self, out: &mut Values) {
        out.set("device_name", &self.device_name);
        out.set("device_uuid", &self.device_uuid);
        out.set_some("peer_ip", self.device_ip.as_ref());
        let files: Vec<String> = self.files.iter().map(|f| format!("{} -> {}", f.source, f.destination)).collect();
        if files.is_empty() && !self.refused.is_empty() {
            out.set("files", REFUSED_ALL);
        } else {
            out.set("files", files.join("\n"));
        }
        if !self.refused.is_empty() {
            out.set("refused", self.refused.join("\n"));
        }
        out.set_some("destination_dir", self.destination_dir.as_ref());
    }
    /// The device and its rows are the finding's own; only what it lacks is taken.
    fn fill_gaps(&mut self, other: Self) {
        self.device_ip.fill_gap(other.device_ip);
        self.refused.fill_gap(other.refused);
        self.destination_dir.fill_gap(other.destination_dir);
    }
    fn covers(&self, other: &Self) -> bool {
        self.device_ip.covers(&other.device_ip)
            && self.refused.covers(&other.refused)
            && self.destination_dir.covers(&other.destination_dir)
    }
    fn forget_peer(&mut self) {
        self.device_ip = None;
    }
    fn identifiers<'a>(&'a self, out: &mut Identifiers<'a>) {
        out.addresses.extend(self.device_ip.as_deref());
        out.uuids.extend(Uuid::parse(&self.device_uuid));
        out.names.push(&self.device_name);
    }
}

/// The findings of one `FAILED_PUSH` list, one per device.
pub(crate) fn judge(evidence: &Evidence, rows: &[PushRow]) -> Vec<Finding> {
    let mut by_device: BTreeMap<(&str, &str, &str), Vec<&PushRow>> = BTreeMap::new();
    for r in rows {
        by_device.entry((&r.device_name, &r.device_uuid, &r.device_ip)).or_default().push(r);
    }
    by_device.into_iter().map(|((name, uuid, ip), rows)| for_device(evidence, name, uuid, ip, &rows)).collect()
}

fn for_device(evidence: &Evidence, name: &str, uuid: &str, ip: &str, rows: &[&PushRow]) -> Finding {
    let (good, bad): (Vec<_>, Vec<_>) =
        rows.iter().map(|r| (r, crate::firepower::shape::check_row(r))).partition(|(_, c)| c.is_ok());
    let files: Vec<PushedFile> = good
        .iter()
        .map(|(r, _)| PushedFile { source: r.source.clone(), destination: r.destination.clone() })
        .collect();
    let refused: Vec<String> = bad.into_iter().filter_map(|(_, c)| c.err()).collect();
    let listed: Vec<String> = files.iter().map(|f| format!("{} -> {}", f.source, f.destination)).collect();
    let listed = if listed.is_empty() && !refused.is_empty() { "none that may be pasted".into() } else { listed.join("; ") };
    let mut detail = format!("generate_certs.pl could not copy {} to {name} ({ip}): {listed}", counted(rows.len() as u64, "file"));
    if !refused.is_empty() {
        detail.push_str(&format!(
            "; {} refused, not put into the plan: {}",
            counted(refused.len() as u64, "row"),
            refused.join("; ")
        ));
    }
    let dir = good.first().and_then(|(r, _)| r.destination.rsplit_once('/')).map(|(d, _)| d.to_string());
    let data = CertPushFailed {
        device_name: name.to_string(),
        device_uuid: uuid.to_string(),
        device_ip: Some(ip.to_string()),
        files,
        refused,
        destination_dir: dir,
    };
    let mut f = Finding::new(data, Context::Sftunnel, format!("Certificates not pushed to {name}")).detail(detail);
    f.peer = Some(Endpoint::named(name));
    let mut ev = evidence.clone();
    ev.line = rows.iter().filter_map(|r| r.line).min().or(ev.line);
    f.add_evidence(ev);
    f
}

/// What stands for the files when every row of the device was refused (the plan names none).
const REFUSED_ALL: &str = "none that may be pasted, every row of it was refused (tlstriage plan says why)";

/// Which device lacks which files (also the line before the steps of its InternalCA system).
const NOT_COPIED: &str =
    "generate_certs.pl could not copy the new files to {device_name}[[ ({peer_ip}]][[, UUID {device_uuid}]][[)]]:\n{files}";

const FIXES: &[Fix] = &[
    Fix {
        id: "sftunnel-push-failed",
        context: None,
        title: "Copy the regenerated certificates to the device",
        steps: &[
            NOT_COPIED,
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
        let crate::diagnose::KindData::CertPushFailed(data) = &f.data else { panic!("the kind's data") };
        assert_eq!(data.destination_dir.as_deref(), Some("/var/sf/peers/cdb123c8-4347-11ef-aca1-f3aa241412a1"));
        assert_eq!(data.files.len(), 2);
        assert!(data.refused[0].starts_with("line 4: "), "a row of another shape is refused");
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

    #[test]
    fn a_device_whose_every_row_is_refused_says_none_may_be_pasted() {
        let odd = |file: &str, line: u64| PushRow { device_name: "ftd branch 07".into(), ..row(file, line) };
        let facts = [Fact::FailedPush {
            evidence: Evidence::file("fmc.tgz!/var/tmp/certs/1733000000/FAILED_PUSH"),
            generated: None,
            rows: vec![odd("cacert.pem", 1), odd("sftunnel-cert.pem", 2)],
        }];
        let f = the(classified(&facts), Kind::CertPushFailed);
        assert!(
            f.detail.starts_with(
                "generate_certs.pl could not copy 2 files to ftd branch 07 (192.168.45.21): none that may be pasted; \
2 rows refused, not put into the plan: line 1: device name \"ftd branch 07\" has characters"
            ),
            "{}",
            f.detail
        );
        assert_eq!(&f.values()["files"], super::REFUSED_ALL);
    }
}

//! The values many kinds share: what an attempt shows about its two ends, who sent the chain and
//! who answered it, the verify code a device logged, what the certificate says, the file it was
//! found in, and the devices involved. The glue fills them (`attempt`, `chain`, `disk`,
//! `correlate`); the rules read them and their templates name them.

use std::net::IpAddr;

use jiff::Timestamp;

use super::data::Gap;
use crate::codes::{AlertDescription, VerifyCode};
use crate::diagnose::text::Values;
use crate::model::{Attempt, Endpoint, Host, Role};

/// What many kinds share, each value under the name templates and the JSON `facts` use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared {
    /// `peer`: the attempt's other end as its source gave it.
    pub attempt_peer: Option<Endpoint>,
    /// `peer_ip`: the other end's address (or the name it is given by).
    pub peer_ip: Option<Host>,
    /// `device`: the device whose log shows the attempt.
    pub attempt_device: Option<String>,
    /// `client`, `server`: the attempt's two ends, without ports.
    pub client: Option<Host>,
    pub server: Option<Host>,
    /// `session`: the TLS-proxy session (or another id the source gives).
    pub session: Option<String>,
    /// `inferred`: what the source could only infer.
    pub inferred: Option<String>,
    /// `sent_by`: who sent the chain the finding is about.
    pub sent_by: Option<Role>,
    /// `alert`: the alert that refused it.
    pub alert: Option<AlertDescription>,
    /// `rejected_by`: who refused the certificate; `rejected_by_host`: that side's host, when
    /// it is a side of the attempt and known.
    pub rejected_by: Option<RejectedBy>,
    /// `verify_code`, `verify_text`: the OpenSSL verify code a device logged.
    pub verify: Option<VerifyCode>,
    /// What the certificate the finding is about says.
    pub cert: CertValues,
    /// `path`: the file the certificate was found in.
    pub file: Option<String>,
    /// `days_left`, `time_left`: whole days from `--now` to its notAfter.
    pub days_left: Option<i64>,
    /// `index_in_file`: its place in a file of several certificates.
    pub index_in_file: Option<usize>,
    /// `affected`: the devices involved, each once.
    pub affected: Vec<Affected>,
    /// `other_peers`: the finding counts the attempts to the peers beyond this many.
    pub other_peers: Option<usize>,
    /// `also_fails`: the other checks a chain on the wire fails, beside the finding's own.
    pub also_fails: Vec<OtherFailure>,
    /// `security_level`: the OpenSSL security level the finding's check was made at: on the wire
    /// only when it is not OpenSSL's default of 1 (inferred from the peer's alert); on disk the
    /// lowest level that refuses a weak certificate.
    pub security_level: Option<u8>,
}

/// Another check a chain on the wire fails than the one its finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherFailure {
    pub code: VerifyCode,
    pub depth: u32,
    pub subject: String,
}

impl std::fmt::Display for OtherFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let meaning = self.code.meaning().unwrap_or("a check");
        write!(f, "{meaning} (OpenSSL {}) at depth {}, {}", self.code.0, self.depth, self.subject)
    }
}

/// `subject`, `issuer`, `not_after`; and `ca_subject`, `ca_not_after` when it is a CA (the CA
/// a log names at depth 1 or more, a CA of a chain, a CA file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertValues {
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub not_after: Option<Timestamp>,
    pub ca_subject: Option<String>,
    pub ca_not_after: Option<Timestamp>,
}

/// The certificate's values are taken one by one.
impl Gap for CertValues {
    fn fill_gap(&mut self, o: Self) {
        self.subject.fill_gap(o.subject);
        self.issuer.fill_gap(o.issuer);
        self.not_after.fill_gap(o.not_after);
        self.ca_subject.fill_gap(o.ca_subject);
        self.ca_not_after.fill_gap(o.ca_not_after);
    }
    fn covers(&self, o: &Self) -> bool {
        self.subject.covers(&o.subject)
            && self.issuer.covers(&o.issuer)
            && self.not_after.covers(&o.not_after)
            && self.ca_subject.covers(&o.ca_subject)
            && self.ca_not_after.covers(&o.ca_not_after)
    }
}

/// Who refused a certificate: a side of the connection, or (across sources) the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RejectedBy {
    Side(Role),
    Device(Host),
}

impl std::fmt::Display for RejectedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectedBy::Side(r) => f.write_str(r.as_str()),
            RejectedBy::Device(h) => write!(f, "{h}"),
        }
    }
}

/// A device involved in a finding: its name, its address, or both
/// (`ftd-branch-07 (192.168.45.21)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Affected {
    pub name: Option<String>,
    pub address: Option<IpAddr>,
}

impl Affected {
    /// The device a host is (`None` for an empty name).
    pub fn of(host: &Host) -> Option<Affected> {
        match host {
            Host::Ip(ip) => Some(Affected { name: None, address: Some(*ip) }),
            Host::Name(n) if n.is_empty() => None,
            Host::Name(n) => Some(Affected { name: Some(n.clone()), address: None }),
        }
    }
}

impl std::fmt::Display for Affected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let address = self.address.map(|a| a.to_string());
        let text = crate::wording::named_at(self.name.as_deref(), address.as_deref()).unwrap_or_default();
        f.write_str(&text)
    }
}

impl Shared {
    /// What an attempt shows about its ends, for every finding about it.
    pub fn of_attempt(a: &Attempt) -> Self {
        let peer = a.peer();
        Shared {
            attempt_peer: peer.cloned(),
            peer_ip: peer.map(|p| p.host().clone()),
            attempt_device: a.device.clone(),
            client: a.client.as_ref().map(|c| c.host().clone()),
            server: a.server.as_ref().map(|s| s.host().clone()),
            session: a.session.clone(),
            ..Default::default()
        }
    }

    /// The host at one side of the attempt.
    pub fn side(&self, role: Role) -> Option<&Host> {
        match role {
            Role::Client => self.client.as_ref(),
            Role::Server => self.server.as_ref(),
        }
    }

    /// Add devices to `affected`, each once.
    pub fn add_affected(&mut self, hosts: impl IntoIterator<Item = Host>) {
        for a in hosts.into_iter().filter_map(|h| Affected::of(&h)) {
            if !self.affected.contains(&a) {
                self.affected.push(a);
            }
        }
    }

    /// Forget what names one peer (the finding now counts the attempts to many).
    pub fn forget_peer(&mut self, beyond: usize) {
        (self.attempt_peer, self.peer_ip, self.client, self.server, self.session) = (None, None, None, None, None);
        self.other_peers = Some(beyond);
    }

    /// The values as text.
    pub fn values(&self, out: &mut Values) {
        out.set_some("peer", self.attempt_peer.as_ref());
        out.set_some("peer_ip", self.peer_ip.as_ref());
        out.set_some("device", self.attempt_device.as_ref());
        out.set_some("client", self.client.as_ref());
        out.set_some("server", self.server.as_ref());
        out.set_some("session", self.session.as_ref());
        out.set_some("inferred", self.inferred.as_ref());
        out.set_some("sent_by", self.sent_by.map(Role::as_str));
        out.set_some("alert", self.alert);
        out.set_some("rejected_by", self.rejected_by.as_ref());
        if let Some(RejectedBy::Side(r)) = self.rejected_by {
            out.set_some("rejected_by_host", self.side(r));
        }
        if let Some(code) = self.verify {
            out.set("verify_code", code.0);
            out.set("verify_text", code.meaning().unwrap_or("unknown"));
        }
        let c = &self.cert;
        out.set_some("subject", c.subject.as_ref());
        out.set_some("issuer", c.issuer.as_ref());
        out.set_some("not_after", c.not_after);
        out.set_some("ca_subject", c.ca_subject.as_ref());
        out.set_some("ca_not_after", c.ca_not_after);
        out.set_some("path", self.file.as_ref());
        if let Some(days) = self.days_left {
            out.set("days_left", days);
            out.set("time_left", crate::wording::counted(days.max(0) as u64, "day"));
        }
        out.set_some("index_in_file", self.index_in_file);
        if !self.affected.is_empty() {
            let list: Vec<String> = self.affected.iter().map(Affected::to_string).collect();
            out.set("affected", list.join(", "));
        }
        out.set_some("other_peers", self.other_peers.map(|n| format!("more than {n} peers")));
        if !self.also_fails.is_empty() {
            let list: Vec<String> = self.also_fails.iter().map(OtherFailure::to_string).collect();
            out.set("also_fails", list.join("; "));
        }
        out.set_some("security_level", self.security_level);
    }

    super::data::gaps!(
        pub attempt_peer,
        peer_ip,
        attempt_device,
        client,
        server,
        session,
        inferred,
        sent_by,
        alert,
        rejected_by,
        verify,
        cert,
        file,
        days_left,
        index_in_file,
        affected,
        other_peers,
        also_fails,
        security_level,
    );
}

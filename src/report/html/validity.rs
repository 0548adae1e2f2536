//! Validity bars of the HTML page: for each certificate chain, one bar per certificate from
//! notBefore to notAfter on a shared axis, with the time of the handshake and "now" marked.
//! Chains are those seen in handshakes, and the certificate files that sit together in one
//! folder on disk (marked with "now" only). A certificate is labelled by its role (server,
//! client, InternalCA, CA) and the device that sent or holds it, as the systems name it; its
//! common name follows when it is not a UUID (the full subject is its tooltip). A file that is not
//! the live one (a backup, a record of a push, a trust store) or whose purpose the public record
//! names says so in brackets after the label.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use maud::{html, Markup};

use super::lanes::device_name;
use crate::analyze::Report;
use crate::model::{CertEntry, CertRole, CertSummary, Place, Role, Sha256};
use crate::report::names::Names;

/// Chains drawn at most.
const MAX_CHAINS: usize = 40;

/// One chain to draw.
pub struct Chain<'a> {
    pub title: String,
    pub at: Option<Timestamp>,
    /// Each certificate with its label (role and device).
    pub certs: Vec<(String, &'a CertSummary)>,
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// "role · device", then the common name when it says more than a UUID.
fn label(role: &str, device: &str, cert: &CertSummary) -> String {
    match cert.common_name() {
        Some(cn) if !is_uuid(cn) && cn != device => format!("{role} · {device} · {cn}"),
        _ => format!("{role} · {device}"),
    }
}

/// The role of a CA certificate: InternalCA when a system has it as its (previous) CA.
fn ca_role(r: &Report, cert: &CertSummary) -> &'static str {
    let is_internal =
        r.systems.iter().flat_map(|s| [&s.internal_ca, &s.previous_ca]).flatten().any(|c| match cert.sha256 {
            Some(_) => c.sha256 == cert.sha256,
            // A certificate printed without its fingerprint (an `openssl x509 -text` paste): the
            // same subject and serial.
            None => c.sha256.is_none() && c.subject == cert.subject && c.serial.as_deref() == Some(&*cert.serial),
        });
    if is_internal {
        "InternalCA"
    } else {
        "CA"
    }
}

/// The name the systems give to the FMC or device of `uuid` (the common name of its InternalCA
/// and sftunnel certificates).
fn named_uuid<'a>(r: &'a Report, uuid: &str) -> Option<&'a str> {
    r.systems.iter().find_map(|s| {
        let fmc = (s.fmc.uuid.as_ref().map(|u| u.as_str()) == Some(uuid)).then_some(s.fmc.name.as_deref()).flatten();
        fmc.or_else(|| s.devices.iter().find(|d| d.uuid.as_ref().map(|u| u.as_str()) == Some(uuid))?.name.as_deref())
    })
}

/// The role of the certificate of `e` in the file at `path`: a backup or a record of a push by the
/// file's own name, else the certificate's role in the run (a trust store, the purpose).
fn file_role(e: &CertEntry, path: &str) -> CertRole {
    match crate::firepower::roles::place_of_path(path) {
        Place::Live => e.role,
        place => CertRole { place, ..e.role },
    }
}

/// The chains of `r`: one per distinct handshake chain, then one per folder of certificate files.
pub fn chains<'a>(r: &'a Report, names: &Names) -> Vec<Chain<'a>> {
    let by_sha: HashMap<Sha256, &CertSummary> =
        r.certificates.iter().filter_map(|e| Some((e.cert.sha256?, &*e.cert))).collect();
    let named = |a: std::net::SocketAddr| match device_name(r, names, a.ip()) {
        Some(n) => format!("{n} ({a})"),
        None => a.to_string(),
    };
    let mut out: Vec<Chain> = Vec::new();
    let mut seen: HashSet<Vec<Sha256>> = HashSet::new();
    for h in &r.handshakes {
        let shas: Vec<Sha256> = h.certificates.iter().map(|c| c.sha256).collect();
        if shas.is_empty() || !seen.insert(shas.clone()) {
            continue;
        }
        let mut certs = Vec::new();
        for hc in &h.certificates {
            let Some(cert) = by_sha.get(&hc.sha256).copied() else { continue };
            let (side, ip) = match hc.from {
                Role::Server => ("server", h.server.ip()),
                Role::Client => ("client", h.client.ip()),
            };
            let device = device_name(r, names, ip).unwrap_or_else(|| ip.to_string());
            let role = if hc.depth == 0 {
                side
            } else if cert.is_ca {
                ca_role(r, cert)
            } else {
                "intermediate"
            };
            certs.push((label(role, &device, cert), cert));
        }
        let file = h.evidence.first().map(|e| e.location()).unwrap_or_default();
        out.push(Chain { title: format!("{} → {} ({file})", named(h.client), named(h.server)), at: h.start, certs });
    }
    let mut folders: BTreeMap<&str, Vec<(String, &CertSummary)>> = BTreeMap::new();
    for e in &r.certificates {
        for s in e.seen.iter().filter(|s| s.frame.is_none()) {
            let folder = s.path.rsplit_once('/').map_or("", |(d, _)| d);
            let list = folders.entry(folder).or_default();
            if !list.iter().any(|(_, c)| c.id() == e.cert.id()) {
                let file = s.path.rsplit_once('/').map_or(s.path.as_str(), |(_, f)| f);
                let holder = names.system_of(&s.path).unwrap_or(file);
                // Its owner is the device its common name is the UUID of.
                let owner = e.cert.common_name().filter(|cn| is_uuid(cn)).and_then(|cn| named_uuid(r, cn));
                let device = match owner {
                    Some(o) if o != holder => format!("{o} (held by {holder})"),
                    _ => holder.to_string(),
                };
                let role = if e.cert.is_ca { ca_role(r, &e.cert) } else { "device certificate" };
                let mut text = label(role, &device, &e.cert);
                if let Some(l) = file_role(e, &s.path).label() {
                    text = format!("{text} [{l}]");
                }
                list.push((text, &e.cert));
            }
        }
    }
    for (folder, mut certs) in folders {
        certs.sort_by_key(|(_, c)| (c.is_ca, c.not_after));
        out.push(Chain { title: format!("files in {folder}/"), at: None, certs });
    }
    out
}

/// January 1st of the years between `lo` and `hi` (unix seconds), at most a dozen of them.
fn year_ticks(lo: i64, hi: i64) -> Vec<(i16, Timestamp)> {
    let year = |s: i64| Timestamp::from_second(s).map_or(1970, |t| t.to_zoned(jiff::tz::TimeZone::UTC).year());
    let (first, last) = (year(lo) + 1, year(hi));
    let step = ((last - first) / 12 + 1).max(1);
    (first..=last)
        .step_by(usize::try_from(step).unwrap_or(1))
        .filter_map(|y| jiff::civil::date(y, 1, 1).to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| (y, z.timestamp())))
        .collect()
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// The bars of every chain on one axis from the earliest notBefore to the latest notAfter.
pub fn render(chains: &[Chain], now: Timestamp) -> Markup {
    let shown = &chains[..chains.len().min(MAX_CHAINS)];
    let times = shown.iter().flat_map(|c| c.certs.iter().flat_map(|(_, x)| [x.not_before, x.not_after]).chain(c.at));
    let lo = times.clone().chain([now]).min().unwrap_or(now).as_second() as f64;
    let hi = times.chain([now]).max().unwrap_or(now).as_second() as f64;
    let pct = |t: Timestamp| if hi > lo { 100.0 * (t.as_second() as f64 - lo) / (hi - lo) } else { 50.0 };
    let now_at = format!("left:{:.2}%", pct(now));
    let years = year_ticks(lo as i64, hi as i64);
    html! {
        div.cert-row.axis-row {
            div {}
            div.axis-track {
                // A label too near an end would stick out of the track.
                @for (y, at) in years.iter().filter(|(_, at)| (4.0..=96.0).contains(&pct(*at))) {
                    span.tick style=(format!("left:{:.2}%", pct(*at))) { (y) }
                }
            }
            div {}
        }
        @for c in shown {
            section.chain {
                h3 { (c.title) }
                @if c.certs.is_empty() { p.note { "The certificates of this chain were not decoded." } }
                @for (name, cert) in &c.certs {
                    @let bad = c.at.map_or(!cert.valid_at(now), |t| !cert.valid_at(t));
                    @let style = format!("left:{:.2}%;width:{:.2}%", pct(cert.not_before), (pct(cert.not_after) - pct(cert.not_before)).max(0.4));
                    div.cert-row {
                        div.cert-name title=(cert.subject) { (name) }
                        div.bar-track {
                            div class=(if bad { "bar bad" } else { "bar good" }) style=(style)
                                title={ (day(cert.not_before)) " to " (day(cert.not_after)) } {}
                            @if let Some(t) = c.at {
                                div.marker.handshake style=(format!("left:{:.2}%", pct(t))) title={ "handshake " (day(t)) } {}
                            }
                            div.marker.now style=(now_at) title={ "now " (day(now)) } {}
                        }
                        div.cert-dates { (day(cert.not_before)) " – " (day(cert.not_after)) }
                    }
                }
            }
        }
        @if chains.len() > shown.len() { p.note { (chains.len() - shown.len()) " more chains are not drawn." } }
    }
}

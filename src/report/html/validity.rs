//! Validity bars of the HTML page: for each certificate chain, one bar per certificate from
//! notBefore to notAfter on a shared axis, with the time of the handshake and "now" marked.
//! Chains are those seen in handshakes, and the certificate files that sit together in one
//! folder on disk (marked with "now" only). A certificate that is not the live one (a backup, a
//! record of a push, a trust store) or whose purpose the public record names says so after its
//! name.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use maud::{html, Markup};

use crate::analyze::Report;
use crate::model::{CertRole, CertSummary, Sha256};

/// Chains drawn at most.
const MAX_CHAINS: usize = 40;

/// One chain to draw.
pub struct Chain<'a> {
    pub title: String,
    pub at: Option<Timestamp>,
    pub certs: Vec<&'a CertSummary>,
    /// The role of each certificate drawn, by its SHA-256.
    pub roles: HashMap<Sha256, CertRole>,
}

/// The chains of `r`: one per distinct handshake chain, then one per folder of certificate files.
pub fn chains(r: &Report) -> Vec<Chain<'_>> {
    let by_sha: HashMap<Sha256, &CertSummary> = r.certificates.iter().map(|e| (e.cert.sha256, &*e.cert)).collect();
    let roles: HashMap<Sha256, CertRole> = r.certificates.iter().map(|e| (e.cert.sha256, e.role)).collect();
    let mut out: Vec<Chain> = Vec::new();
    let mut seen: HashSet<Vec<Sha256>> = HashSet::new();
    for h in &r.handshakes {
        let shas: Vec<Sha256> = h.certificates.iter().map(|c| c.sha256).collect();
        if shas.is_empty() || !seen.insert(shas.clone()) {
            continue;
        }
        let certs: Vec<&CertSummary> = shas.iter().filter_map(|s| by_sha.get(s).copied()).collect();
        let file = h.evidence.first().map(|e| e.location()).unwrap_or_default();
        out.push(Chain {
            title: format!("{} → {} ({file})", h.client, h.server),
            at: h.start,
            roles: own_roles(&certs, &roles),
            certs,
        });
    }
    let mut folders: BTreeMap<&str, Vec<&CertSummary>> = BTreeMap::new();
    for e in &r.certificates {
        for s in e.seen.iter().filter(|s| s.frame.is_none()) {
            let folder = s.path.rsplit_once('/').map_or("", |(d, _)| d);
            let list = folders.entry(folder).or_default();
            if !list.iter().any(|c| c.sha256 == e.cert.sha256) {
                list.push(&e.cert);
            }
        }
    }
    for (folder, mut certs) in folders {
        certs.sort_by_key(|c| (c.is_ca, c.not_after));
        out.push(Chain { title: format!("files in {folder}/"), at: None, roles: own_roles(&certs, &roles), certs });
    }
    out
}

/// The roles of `certs` from the run's `roles`.
fn own_roles(certs: &[&CertSummary], roles: &HashMap<Sha256, CertRole>) -> HashMap<Sha256, CertRole> {
    certs.iter().filter_map(|c| Some((c.sha256, *roles.get(&c.sha256)?))).collect()
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
    let times = shown.iter().flat_map(|c| c.certs.iter().flat_map(|x| [x.not_before, x.not_after]).chain(c.at));
    let lo = times.clone().chain([now]).min().unwrap_or(now).as_second() as f64;
    let hi = times.chain([now]).max().unwrap_or(now).as_second() as f64;
    let pct = |t: Timestamp| if hi > lo { 100.0 * (t.as_second() as f64 - lo) / (hi - lo) } else { 50.0 };
    let now_at = format!("left:{:.2}%", pct(now));
    let years = year_ticks(lo as i64, hi as i64);
    html! {
        div.cert-row.axis-row {
            div {}
            div.axis-track {
                @for (y, at) in &years {
                    span.tick style=(format!("left:{:.2}%", pct(*at))) { (y) }
                }
            }
            div {}
        }
        @for c in shown {
            section.chain {
                h3 { (c.title) }
                @if c.certs.is_empty() { p.note { "The certificates of this chain were not decoded." } }
                @for cert in &c.certs {
                    @let bad = c.at.map_or(!cert.valid_at(now), |t| !cert.valid_at(t));
                    @let style = format!("left:{:.2}%;width:{:.2}%", pct(cert.not_before), (pct(cert.not_after) - pct(cert.not_before)).max(0.4));
                    div.cert-row {
                        div.cert-name title=(cert.subject) {
                            (cert.common_name().unwrap_or(&cert.subject)) @if cert.is_ca { " (CA)" }
                            @if let Some(role) = c.roles.get(&cert.sha256).and_then(CertRole::label) { " " span.role { "[" (role) "]" } }
                        }
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

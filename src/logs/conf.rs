//! Device configuration: the `proxyssl` block of `sftunnel.conf`, `ims.conf` (which product,
//! version and UUID a bundle comes from) and a peer folder's `sftunnel.json`.

use crate::firepower::peers::uuid_from_path;
use crate::firepower::role_of;
use crate::model::Evidence;
use crate::model::{DeviceInfo, Disputed, Fact, PeerInfo, TunnelConf, Uuid};
use crate::model::{Head, IngestContext, ReadStatus, Sink, Source, Status};

/// Longest value kept from a configuration file.
const MAX_VALUE: usize = 512;

/// Whether the head holds the `proxyssl { ... }` block of `sftunnel.conf`.
pub fn sniff_sftunnel(head: &Head<'_>) -> bool {
    let text = head.text();
    text.lines().any(opens_proxyssl) && text.contains('{')
}

/// Whether a line opens the `proxyssl { ... }` block (`proxyssl` first on the line, then `{` or
/// nothing), as opposed to a text that only mentions it.
fn opens_proxyssl(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("proxyssl")
        .is_some_and(|rest| rest.trim_start().is_empty() || rest.trim_start().starts_with('{'))
}

/// Whether the head holds the keys of `ims.conf`.
pub fn sniff_ims(head: &Head<'_>) -> bool {
    let ims_keys = ["APPLIANCE_UUID=", "SWVERSION=", "MODEL_TYPE="];
    head.text().lines().any(|l| ims_keys.iter().any(|k| l.trim_start().starts_with(k)))
}

/// Whether the head is a peer folder's `sftunnel.json`.
pub fn sniff_peer(head: &Head<'_>) -> bool {
    let text = head.text();
    let name = head.name;
    text.trim_start().starts_with('{')
        && (name.ends_with(".json") || text.contains("\"uuid\""))
        && name.contains("sftunnel")
}

/// `sftunnel.conf`: its `proxyssl` block as a fact.
pub fn parse_sftunnel(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    read_one(src, ctx, sink, |text, evidence| parse_sftunnel_conf(text).map(|conf| Fact::TunnelConf { evidence, conf }))
}

/// `ims.conf`: the device it describes as a fact.
pub fn parse_ims(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    read_one(src, ctx, sink, |text, evidence| parse_ims_conf(text).map(|device| Fact::Device { evidence, device }))
}

/// A peer folder's `sftunnel.json`: the peer as a fact.
pub fn parse_peer(src: &mut Source<'_>, ctx: &IngestContext, sink: &mut dyn Sink) -> ReadStatus {
    let path = src.path.clone();
    read_one(src, ctx, sink, |text, evidence| parse_peer_json(text, &path).map(|peer| Fact::Peer { evidence, peer }))
}

/// The one fact `read` finds in a configuration file, or a status saying there was none.
fn read_one(
    src: &mut Source<'_>,
    ctx: &IngestContext,
    sink: &mut dyn Sink,
    read: impl Fn(&str, Evidence) -> Option<Fact>,
) -> ReadStatus {
    let whole = match src.whole_or_status(ctx.limits.max_whole) {
        Ok(w) => w,
        Err(status) => return status,
    };
    let text = String::from_utf8_lossy(&whole.bytes);
    match (read(&text, Evidence::file(&src.path)), whole.cut_note()) {
        (Some(f), cut) => {
            sink.fact(f);
            ReadStatus::new(if cut.is_some() { Status::Partial } else { Status::Ok }, cut)
        }
        (None, _) => {
            ReadStatus::new(Status::Partial, "nothing tlstriage uses found in this configuration file".to_string())
        }
    }
}

fn clip(s: &str) -> String {
    let s = s.trim().trim_matches('"').trim_matches('\'').trim();
    s.chars().take(MAX_VALUE).collect()
}

/// The `proxyssl { ... };` block of `sftunnel.conf`; `None` when there is none.
pub fn parse_sftunnel_conf(text: &str) -> Option<TunnelConf> {
    let clean: String = text.lines().map(|l| l.split('#').next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let start = find_block(&clean, "proxyssl")?;
    let body = block_body(&clean[start..]);
    let mut conf = TunnelConf::default();
    for stmt in body.split([';', '\n']) {
        let mut words = stmt.split_whitespace();
        let (Some(key), Some(value)) = (words.next(), words.next()) else { continue };
        let slot = match key {
            "proxy_cert" => &mut conf.cert,
            "proxy_key" => &mut conf.key,
            "proxy_cacert" => &mut conf.cacert,
            "proxy_crl" => &mut conf.crl,
            "proxy_tls_version" => &mut conf.tls_version,
            _ => continue,
        };
        *slot = Some(clip(value));
    }
    Some(conf)
}

/// Byte offset just after the `{` that opens block `name` (the word must stand alone).
fn find_block(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text.get(from..)?.find(name) {
        let at = from + i;
        let before_ok = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let rest = &text[at + name.len()..];
        let after = rest.trim_start();
        if before_ok && after.starts_with('{') {
            return Some(text.len() - after.len() + 1);
        }
        from = at + name.len();
    }
    None
}

/// The text of a block up to its matching `}` (nested blocks included), or to the end.
fn block_body(text: &str) -> &str {
    let mut depth = 0u32;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return &text[..i],
            '}' => depth -= 1,
            _ => {}
        }
    }
    text
}

/// The keys of `ims.conf` tlstriage reads.
const IMS_KEYS: [&str; 6] = ["APPLIANCE_UUID", "SWVERSION", "MODEL", "HOSTNAME", "MODEL_TYPE", "MODEL_CLASS"];

/// `ims.conf`: `KEY=VALUE` lines; `None` when none of the keys tlstriage uses is there. A key
/// given twice with different values is [`Disputed`]: no value of it is used, so that a line
/// added at the end of the file cannot quietly replace the appliance's own.
pub fn parse_ims_conf(text: &str) -> Option<DeviceInfo> {
    // Per key: its distinct values with the line each first appears on.
    let mut said: Vec<Vec<(String, u64)>> = vec![Vec::new(); IMS_KEYS.len()];
    for (n, line) in text.lines().enumerate() {
        let Some((key, value)) = line.trim().split_once('=') else { continue };
        let value = clip(value);
        let Some(k) = IMS_KEYS.iter().position(|k| *k == key.trim()) else { continue };
        if !value.is_empty() && !said[k].iter().any(|(v, _)| *v == value) {
            said[k].push((value, n as u64 + 1));
        }
    }
    if said.iter().all(Vec::is_empty) {
        return None;
    }
    let mut disputed = Vec::new();
    let mut one = |k: usize| match said[k].len() {
        0 => None,
        1 => said[k].pop().map(|(v, _)| v),
        _ => {
            disputed.push(Disputed { key: IMS_KEYS[k].to_string(), values: std::mem::take(&mut said[k]) });
            None
        }
    };
    let (uuid, version, model, hostname) = (one(0), one(1), one(2), one(3));
    let (model_type, model_class) = (one(4), one(5));
    disputed.sort_by_key(|d| d.values[0].1);
    Some(DeviceInfo {
        role: role_of(model_type.as_deref(), model_class.as_deref(), model.as_deref()),
        uuid: uuid.as_deref().and_then(Uuid::parse),
        hostname,
        version,
        model,
        disputed,
    })
}

/// A peer's `sftunnel.json`; the UUID falls back to the `peers/<UUID>/` folder of the path.
pub fn parse_peer_json(text: &str, path: &str) -> Option<PeerInfo> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut peer = PeerInfo {
        uuid: find_key(&value, &["uuid", "peer_uuid", "peeruuid", "device_uuid"], 0).and_then(|u| Uuid::parse(&u)),
        name: find_key(&value, &["name", "hostname", "peer_name", "peername", "display_name", "device_name"], 0),
        ip: find_key(&value, &["ip", "ipaddr", "ip_address", "ipaddress", "peer_ip", "address"], 0),
        role: find_key(&value, &["role", "type", "peer_type", "peertype", "model_type", "device_type"], 0),
    };
    if peer.uuid.is_none() {
        peer.uuid = uuid_from_path(path);
    }
    (peer != PeerInfo::default()).then_some(peer)
}

/// The first string (or number) value under one of `keys` (case-insensitive), searched breadth
/// first down to three levels of nesting.
fn find_key(v: &serde_json::Value, keys: &[&str], depth: u32) -> Option<String> {
    let obj = v.as_object()?;
    for (k, val) in obj {
        if keys.iter().any(|w| k.eq_ignore_ascii_case(w)) {
            match val {
                serde_json::Value::String(s) if !s.trim().is_empty() => return Some(clip(s)),
                serde_json::Value::Number(n) => return Some(n.to_string()),
                _ => {}
            }
        }
    }
    if depth >= 3 {
        return None;
    }
    obj.values().find_map(|val| find_key(val, keys, depth + 1))
}

#[cfg(test)]
#[path = "conf_tests.rs"]
mod tests;

//! Device configuration: the `proxyssl` block of `sftunnel.conf`, `ims.conf` (which product,
//! version and UUID a bundle comes from) and a peer folder's `sftunnel.json`.

use crate::firepower::peers::uuid_from_path;
use crate::firepower::role_of;
use crate::model::Evidence;
use crate::model::{DeviceInfo, DeviceRole, Fact, PeerInfo, TunnelConf, Uuid};
use crate::model::{Format, IngestContext, InputStatus, Parsed, Source, Status};

/// Longest value kept from a configuration file.
const MAX_VALUE: usize = 512;

/// Parse a configuration source into facts.
pub fn parse(src: &Source<'_>, format: Format, ctx: &IngestContext) -> Parsed {
    let _ = ctx;
    let text = String::from_utf8_lossy(src.data);
    let evidence = Evidence::file(&src.path);
    let fact = match format {
        Format::SftunnelConf => parse_sftunnel_conf(&text).map(|conf| Fact::TunnelConf { evidence, conf }),
        Format::ImsConf => parse_ims_conf(&text).map(|device| Fact::Device { evidence, device }),
        Format::PeerJson => parse_peer_json(&text, &src.path).map(|peer| Fact::Peer { evidence, peer }),
        _ => None,
    };
    let bytes = src.data.len() as u64;
    match fact {
        Some(f) => Parsed {
            inputs: vec![InputStatus { path: src.path.clone(), format, status: Status::Ok, message: None, bytes }],
            facts: vec![f],
            ..Default::default()
        },
        None => Parsed::status(
            &src.path,
            format,
            Status::Partial,
            Some("nothing tlstriage uses found in this configuration file".into()),
            bytes,
        ),
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

/// `ims.conf`: `KEY=VALUE` lines; `None` when none of the keys tlstriage uses is there.
pub fn parse_ims_conf(text: &str) -> Option<DeviceInfo> {
    let mut dev = DeviceInfo { role: DeviceRole::Unknown, uuid: None, hostname: None, version: None, model: None };
    let (mut model_type, mut model_class) = (None, None);
    let mut any = false;
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once('=') else { continue };
        let value = clip(value);
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "APPLIANCE_UUID" => dev.uuid = Uuid::parse(&value),
            "SWVERSION" => dev.version = Some(value),
            "MODEL" => dev.model = Some(value),
            "HOSTNAME" => dev.hostname = Some(value),
            "MODEL_TYPE" => model_type = Some(value),
            "MODEL_CLASS" => model_class = Some(value),
            _ => continue,
        }
        any = true;
    }
    if !any {
        return None;
    }
    dev.role = role_of(model_type.as_deref(), model_class.as_deref(), dev.model.as_deref());
    Some(dev)
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

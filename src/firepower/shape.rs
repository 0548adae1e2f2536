//! The shapes a value must have before the plan may put it into a command an administrator
//! pastes into a root shell: UUIDs, addresses, device names, and the few paths `generate_certs.pl`
//! reads and writes. Anything else is refused with a reason that says what was wrong; the value is
//! quoted in the reason (escaped, shortened) and never reaches a command.

use std::net::IpAddr;

use super::peers::{is_uuid, PEERS, PUSHED_FILES};
use crate::model::PushRow;
use crate::util::printable;

/// The CA certificate of the FMC, pushed as `cacert.pem`.
const CA_SOURCE: &str = "/etc/sf/ca_root/cacert.pem";

/// Longest host name (RFC 1035).
const MAX_NAME: usize = 253;

/// The value as a reason quotes it: escaped for a terminal, at most 80 characters.
pub fn shown(value: &str) -> String {
    let short: String = value.chars().take(80).collect();
    let more = if short.len() < value.len() { "…" } else { "" };
    format!("\"{}{more}\"", printable(&short))
}

/// A device UUID: 8-4-4-4-12 hexadecimal digits.
pub fn check_uuid(what: &str, s: &str) -> Result<(), String> {
    if is_uuid(s) {
        Ok(())
    } else {
        Err(format!("{what} {} is not a UUID (8-4-4-4-12 hex digits)", shown(s)))
    }
}

/// An IPv4 or IPv6 address.
pub fn check_ip(what: &str, s: &str) -> Result<(), String> {
    if s.parse::<IpAddr>().is_ok() {
        Ok(())
    } else {
        Err(format!("{what} {} is not an IPv4 or IPv6 address", shown(s)))
    }
}

/// A device name: letters, digits, `.`, `_` and `-`, starting with a letter or digit.
pub fn check_name(what: &str, s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= MAX_NAME
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(format!("{what} {} has characters a device name never has", shown(s)))
    }
}

/// `/var/sf/peers/<UUID>/` + one of [`PUSHED_FILES`]: the folder and the file name.
fn peer_file(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix(PEERS)?;
    let (uuid, file) = rest.split_once('/')?;
    (is_uuid(uuid) && PUSHED_FILES.contains(&file)).then(|| (&path[..PEERS.len() + uuid.len()], file))
}

/// A destination on the device: exactly `/var/sf/peers/<UUID>/<pushed file>`. Returns the folder.
pub fn check_destination(s: &str) -> Result<&str, String> {
    peer_file(s).map(|(dir, _)| dir).ok_or_else(|| {
        format!("destination {} is not {PEERS}<UUID>/ followed by {}", shown(s), PUSHED_FILES.join(", "))
    })
}

/// A source on the FMC, one of the paths `generate_certs.pl` writes for `file`:
/// `/etc/sf/ca_root/cacert.pem`, or `/var/sf/peers/<UUID>/[certs_pushed/[/]]<file>`.
pub fn check_source(s: &str, file: &str) -> Result<(), String> {
    let ok = if file == "cacert.pem" && s == CA_SOURCE {
        true
    } else if let Some((uuid, rest)) = s.strip_prefix(PEERS).and_then(|r| r.split_once('/')) {
        let name = rest.strip_prefix("certs_pushed/").map(|r| r.strip_prefix('/').unwrap_or(r)).unwrap_or(rest);
        is_uuid(uuid) && name == file
    } else {
        false
    };
    if ok {
        Ok(())
    } else {
        Err(format!("source {} is not a path generate_certs.pl writes for {file}", shown(s)))
    }
}

/// A source/destination pair; returns the destination folder.
pub fn check_files<'a>(source: &str, destination: &'a str) -> Result<&'a str, String> {
    let dir = check_destination(destination)?;
    let file = &destination[dir.len() + 1..];
    if !source.is_empty() {
        check_source(source, file)?;
    }
    Ok(dir)
}

/// The device of a row: a valid name, and a UUID and an address when the row has them (the
/// script's console lines have neither).
pub fn check_device(name: &str, uuid: &str, ip: &str) -> Result<(), String> {
    check_name("device name", name)?;
    if !uuid.is_empty() {
        check_uuid("device UUID", uuid)?;
    }
    if !ip.is_empty() {
        check_ip("device address", ip)?;
    }
    Ok(())
}

/// A whole FAILED_PUSH row; the reason says which value failed and, when known, on which line.
pub fn check_row(row: &PushRow) -> Result<(), String> {
    check_device(&row.device_name, &row.device_uuid, &row.device_ip)
        .and_then(|_| check_files(&row.source, &row.destination).map(|_| ()))
        .map_err(|e| match row.line {
            Some(n) => format!("line {n}: {e}"),
            None => e,
        })
}

#[cfg(test)]
#[path = "shape_tests.rs"]
mod tests;

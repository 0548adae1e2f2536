//! The text view of a finding's typed values, and the filling of step templates with it.
//!
//! A finding carries typed data (its kind's and the shared values); [`Values`] is their text
//! form, made only where text is filled in (a remediation step) and where the JSON shows them
//! (`facts`). In a template `{key}` takes the value, else a plain wording that needs no value
//! ("the peer", "the CA file"); a part written `[[...]]` is kept only when every value it names
//! (outside the parts it holds in turn) is known, `{?key}` naming one it needs without showing
//! it. No `<key>` marker ever reaches the user.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::Serialize;

use super::step_text::StepText;

/// Named values as text, sorted by name (the JSON `facts` object, the values of templates).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Values(BTreeMap<&'static str, String>);

impl Values {
    /// Set `key` (each key is set by one kind of value only: a second value is a bug).
    pub fn set(&mut self, key: &'static str, value: impl Display) {
        let old = self.0.insert(key, value.to_string());
        debug_assert!(old.is_none(), "the value {key} was set twice");
    }
    /// Set `key` when there is a value.
    pub fn set_some(&mut self, key: &'static str, value: Option<impl Display>) {
        if let Some(v) = value {
            self.set(key, v);
        }
    }
    /// Set `key` unless it has a value already.
    pub fn set_default(&mut self, key: &'static str, value: impl Display) {
        self.0.entry(key).or_insert_with(|| value.to_string());
    }
    /// Set `key`, replacing its value.
    pub fn replace(&mut self, key: &'static str, value: impl Display) {
        self.0.insert(key, value.to_string());
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }
}

impl std::ops::Index<&str> for Values {
    type Output = str;
    fn index(&self, key: &str) -> &str {
        self.get(key).unwrap_or_else(|| panic!("no value {key}"))
    }
}

/// The words used when a value is not known. Every key a template names must be here (a test
/// walks the catalog).
pub(crate) fn fallback(key: &str) -> Option<&'static str> {
    Some(match key {
        "peer" => "the peer",
        "push_to" => "each affected device",
        "subject" => "the certificate",
        "issuer" => "an issuer",
        "ca_subject" => "the InternalCA",
        "sent_by" => "peer",
        "rejected_by" => "peer",
        "offered_suites" => "its cipher suites",
        "offered_versions" => "its protocol versions",
        "cert_path" => "the certificate file",
        "ca_path" => "the CA file",
        "key_path" => "the key file",
        "device_name" => "the device",
        "files" => "the files FAILED_PUSH lists",
        "path" => "the file",
        "verify_code" => "(unknown)",
        "verify_text" => "as the log says",
        // Follows the word "alert" ("answered with alert {alert}").
        "alert" => "(its name is not in the evidence)",
        "rejected_by_host" => "its address",
        "what_ended_it" => "the evidence does not say why",
        "what_was_seen" => "the evidence does not show enough of it",
        "version_step" => {
            "Enable on the server a version the client offers, or have the client offer one the server supports \
(TLS 1.2 or later for both)."
        }
        "what_to_collect" => {
            "Capture the handshake (`capture-traffic` or tcpdump on the device, port 8305 for sftunnel) and run \
tlstriage on the pcap together with both sides' logs."
        }
        "peer_folder" => {
            "the FMC's folder under /var/sf/peers/ (named after the FMC's UUID: APPLIANCE_UUID in the FMC's \
/etc/sf/ims.conf)"
        }
        "fmc" => "the FMC",
        "hotfix" => "the hotfix for the FMC's version",
        "hotfix_step" => {
            "Install the hotfix for the FMC's version (SWVERSION in /etc/sf/ims.conf); it needs no reboot."
        }
        _ => return None,
    })
}

/// `template` (our text: its commands between backticks) with `{key}` replaced by `values[key]`
/// (prose: a value is never a command) or its fallback wording (ours too). A part written
/// `[[...]]` is kept only when every value it names is known; `{?key}` names a value a part needs
/// without showing it; parts may hold parts of their own, which are judged alone
/// (`[[refused[[ by {peer}]] with {code}]]` needs only `code`).
pub fn fill(template: &'static str, facts: &Values) -> StepText {
    let mut out = StepText::default();
    fill_into(&mut out, template, facts);
    out
}

fn fill_into(out: &mut StepText, template: &'static str, facts: &Values) {
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        fill_values(out, &rest[..start], facts);
        let after = &rest[start + 2..];
        let Some(end) = part_end(after) else {
            rest = after;
            continue;
        };
        let part = &after[..end];
        if outside_parts(part).iter().flat_map(|p| needed(p)).all(|k| facts.contains(k)) {
            fill_into(out, part, facts);
        }
        rest = &after[end + 2..];
    }
    fill_values(out, rest, facts);
}

/// Where the `]]` that closes a part opened just before `text` is, past the parts it holds.
fn part_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with("[[") {
            depth += 1;
            at += 2;
        } else if rest.starts_with("]]") {
            if depth == 0 {
                return Some(at);
            }
            depth -= 1;
            at += 2;
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// The pieces of `template` outside its `[[...]]` parts (what a template needs in any case).
pub(crate) fn outside_parts(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        out.push(&rest[..start]);
        let after = &rest[start + 2..];
        // An unclosed `[[` is dropped, what follows it is plain text (as `fill` reads it).
        rest = part_end(after).map_or(after, |end| &after[end + 2..]);
    }
    out.push(rest);
    out
}

/// The keys named by `{key}` in `text` (the values it shows: the catalog test asks each one
/// outside a part for a fallback wording).
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k)).filter(|k| is_key(k))
}

/// The keys named by `{key}` or `{?key}` in `text` (the values it needs).
pub(crate) fn needed(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(k, _)| k.strip_prefix('?').unwrap_or(k)))
        .filter(|k| is_key(k))
}

fn is_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn fill_values(out: &mut StepText, template: &'static str, facts: &Values) {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            // A value a part needs without showing it.
            Some(end) if after[..end].strip_prefix('?').is_some_and(is_key) => {
                out.push_ours(&rest[..start]);
                rest = &after[end + 1..];
            }
            Some(end) if is_key(&after[..end]) => {
                out.push_ours(&rest[..start]);
                let key = &after[..end];
                // A key without a fallback is a catalog bug (the catalog test catches it): say
                // nothing rather than print a marker.
                match (facts.get(key), fallback(key)) {
                    (Some(v), _) => out.push_prose(v),
                    (None, Some(f)) => out.push_ours(f),
                    (None, None) => out,
                };
                rest = &after[end + 1..];
            }
            _ => {
                out.push_ours(&rest[..=start]);
                rest = after;
            }
        }
    }
    out.push_ours(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_fallbacks_and_optional_parts() {
        let mut f = Values::default();
        f.set("peer", "10.0.0.1");
        assert_eq!(
            fill("to {peer} via {cert_path}; {not a key}", &f),
            "to 10.0.0.1 via the certificate file; {not a key}"
        );
        assert_eq!(fill("CA[[ {peer}]][[ until {date}]].", &f), "CA 10.0.0.1.");
        assert_eq!(fill("{subject} of {peer}", &Values::default()), "the certificate of the peer");
        // A value is prose even when it holds backticks; the template's own commands stay.
        f.set("path", "`id`");
        let t = fill("Read {path} with `openssl x509 -in FILE`.", &f);
        assert_eq!(t.commands().map(|c| c.as_str()).collect::<Vec<_>>(), ["openssl x509 -in FILE"]);
        assert_eq!(t, "Read `id` with `openssl x509 -in FILE`.");
    }

    #[test]
    fn a_part_inside_a_part_is_judged_alone() {
        let mut f = Values::default();
        f.set("verify_code", 68);
        let refused = "[[Refused[[ by {peer}]] with {verify_code}.]][[ Judged at level {level}.]]";
        assert_eq!(fill(refused, &f), "Refused with 68.");
        f.set("peer", "10.0.0.1");
        assert_eq!(fill(refused, &f), "Refused by 10.0.0.1 with 68.");
        assert_eq!(fill(refused, &Values::default()), "");
        assert_eq!(fill("[[{?peer}Known peer. ]][[{?level}Known level.]]Done.", &f), "Known peer. Done.");
        assert_eq!(outside_parts("a {x}[[b[[c]] {y}]] d [[e"), ["a {x}", " d ", "e"]);
    }
}

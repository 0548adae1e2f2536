//! Filling step templates: `{key}` takes the finding's value, else a plain wording that
//! needs no value ("the peer", "the CA file"); a part written `[[...]]` is kept only when every
//! value it names is known. No `<key>` marker ever reaches the user.

use std::collections::BTreeMap;

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
        "alert" => "a fatal alert",
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

/// Replace `{key}` in `template` with `facts[key]` or its fallback wording. A part written
/// `[[...]]` is kept only when every value it names is known.
pub fn fill(template: &str, facts: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        out.push_str(&fill_values(&rest[..start], facts));
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            rest = after;
            continue;
        };
        let part = &after[..end];
        if placeholders(part).all(|k| facts.contains_key(k)) {
            out.push_str(&fill_values(part, facts));
        }
        rest = &after[end + 2..];
    }
    out.push_str(&fill_values(rest, facts));
    out
}

/// The keys named by `{key}` in `text`.
pub(crate) fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k)).filter(|k| is_key(k))
}

fn is_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn fill_values(template: &str, facts: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if is_key(&after[..end]) => {
                let key = &after[..end];
                // A key without a fallback is a catalog bug (the catalog test catches it): say
                // nothing rather than print a marker.
                if let Some(v) = facts.get(key).map(String::as_str).or_else(|| fallback(key)) {
                    out.push_str(v);
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_fallbacks_and_optional_parts() {
        let mut f = BTreeMap::new();
        f.insert("peer".to_string(), "10.0.0.1".to_string());
        assert_eq!(
            fill("to {peer} via {cert_path}; {not a key}", &f),
            "to 10.0.0.1 via the certificate file; {not a key}"
        );
        assert_eq!(fill("CA[[ {peer}]][[ until {date}]].", &f), "CA 10.0.0.1.");
        assert_eq!(fill("{subject} of {peer}", &BTreeMap::new()), "the certificate of the peer");
    }
}

//! Remediation tests: every kind has an entry, contexts pick their own, and no placeholder or
//! template marker ever reaches the text, whatever is known.

use std::collections::BTreeMap;

use super::*;
use crate::systems::examples;

#[test]
fn every_kind_has_an_entry() {
    for k in Kind::ALL {
        assert!(lookup(*k, Context::Generic).is_some(), "{k} has no fallback entry");
    }
}

#[test]
fn context_picks_its_own_entry() {
    assert_eq!(lookup(Kind::CipherMismatch, Context::TlsProxy).unwrap().id, "tls-proxy-k9-license");
    assert_eq!(lookup(Kind::ExpiredCa, Context::Sftunnel).unwrap().id, "sftunnel-renew-internal-ca");
    assert!(lookup(Kind::ExpiredCa, Context::FmcHa).unwrap().title.contains("primary"));
    assert_eq!(lookup(Kind::SelfSigned, Context::TlsProxy).unwrap().id, "tls-proxy-import-server-cert");
}

/// Every key a template names outside an optional `[[...]]` part.
fn required_keys(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    loop {
        let (plain, next) = match rest.find("[[") {
            Some(i) => (&rest[..i], rest[i..].find("]]").map(|j| &rest[i + j + 2..])),
            None => (rest, None),
        };
        out.extend(fill::placeholders(plain).map(str::to_string));
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    out
}

#[test]
fn every_required_key_has_a_fallback() {
    for e in entries() {
        for s in e.steps {
            for k in required_keys(s) {
                assert!(fill::fallback(&k).is_some(), "{}: {{{k}}} has no fallback wording", e.id);
            }
        }
    }
}

/// Every key any template names, with a value.
fn all_facts() -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    for e in entries() {
        for s in e.steps {
            for k in fill::placeholders(s) {
                f.insert(k.to_string(), format!("value-of-{k}"));
            }
        }
    }
    f
}

fn assert_clean(what: &str, text: &str) {
    let marker = regex::Regex::new(r"<[A-Za-z][A-Za-z0-9 _-]*>|\{[a-z_]+\}|\[\[|\]\]").unwrap();
    if let Some(m) = marker.find(text) {
        panic!("{what}: template marker {:?} in:\n{text}", m.as_str());
    }
}

#[test]
fn no_placeholder_reaches_any_text() {
    let contexts = [Context::Sftunnel, Context::FmcHa, Context::TlsProxy, Context::Generic];
    let mut systems: Vec<Option<crate::systems::System>> = vec![None];
    for (_, mut s) in examples::all() {
        systems.push(Some(s.clone()));
        for v in ["7.4.1", "7.1.0", "7.6.1", "7.x"] {
            s.fmc.version = Some(v.into());
            s.next_steps = crate::systems::steps::for_system(&s, &[]);
            systems.push(Some(s.clone()));
        }
    }
    for kind in Kind::ALL {
        assert_clean(&format!("explain {kind}"), &explain(*kind));
        for context in contexts {
            for facts in [BTreeMap::new(), all_facts()] {
                for (peer, device, subject) in
                    [(None, None, None), (Some("10.0.0.9"), Some("ftd-x"), Some("/title=InternalCA/CN=c"))]
                {
                    let mut f = Finding::new(*kind, context, "t");
                    f.facts = facts.clone();
                    f.peer = peer.map(crate::model::Endpoint::parse);
                    f.device = device.map(str::to_string);
                    f.certificate.subject = subject.map(str::to_string);
                    for s in &systems {
                        let r = remediation(&f, s.as_ref());
                        let text = format!("{}\n{}", r.title, r.steps.join("\n"));
                        assert_clean(
                            &format!(
                                "{kind} {context:?} facts={} system={:?}",
                                facts.len(),
                                s.as_ref().map(|s| s.state)
                            ),
                            &text,
                        );
                        if let Some(s) = s {
                            assert_clean("summary", &crate::systems::summary::line(s));
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_system_finding_takes_the_systems_steps() {
    let (_, s) =
        examples::all().into_iter().find(|(_, s)| s.state == crate::systems::State::RenewedPushPending).unwrap();
    let f = Finding::new(Kind::ExpiredCa, Context::Sftunnel, "t");
    let r = remediation(&f, Some(&s));
    assert_eq!(r.id, "sftunnel-renewed-push-pending");
    assert_eq!(r.steps.len(), 1 + s.next_steps.len());
    for (line, st) in r.steps[1..].iter().zip(&s.next_steps) {
        assert_eq!(line, &step_line(st));
    }
    assert!(!r.steps.iter().any(|l| l.contains("generate_certs.pl on")), "{:?}", r.steps);
}

#[test]
#[should_panic(expected = "template marker")]
fn the_marker_check_sees_a_placeholder() {
    assert_clean("probe", "copy into /var/sf/peers/<FMC-UUID>/ now");
}

#[test]
fn input_values_are_never_read_as_templates() {
    let (_, s) =
        examples::all().into_iter().find(|(_, s)| s.state == crate::systems::State::RenewedPushPending).unwrap();
    let mut f = Finding::new(Kind::PeerRejectedCertificate, Context::Sftunnel, "t");
    f.peer = Some(crate::model::Endpoint::parse("10.0.0.7"));
    f.facts.insert("peer_name".into(), "ftd-{alert}-[[x]]".into());
    f.facts.insert("alert".into(), "certificate_expired".into());
    let r = remediation(&f, Some(&s));
    assert!(r.steps[0].starts_with("10.0.0.7 is ftd-{alert}-[[x]]: it refuses"), "{}", r.steps[0]);
    assert!(r.steps[0].contains("(alert certificate_expired)"), "{}", r.steps[0]);
}

//! Remediation tests: every kind has an entry, contexts pick their own, and no placeholder or
//! template marker ever reaches the text, whatever is known.

use super::*;
use crate::codes::{AlertDescription, VerifyCode};
use crate::diagnose::rules::shared::{Affected, CertValues, OtherFailure, RejectedBy, Shared};
use crate::diagnose::text::{fallback, needed, outside_parts, placeholders};
use crate::model::{Endpoint, Host, Role};
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
    outside_parts(template).into_iter().flat_map(placeholders).map(str::to_string).collect()
}

#[test]
fn every_required_key_has_a_fallback() {
    for e in entries() {
        for s in e.steps {
            for k in required_keys(s) {
                assert!(fallback(&k).is_some(), "{}: {{{k}}} has no fallback wording", e.id);
            }
        }
    }
}

/// Each command of a template lies between two of its backticks with no value in it: filled
/// with every value and with none, no backtick is left in a step's prose, and every command is
/// the template's own text.
#[test]
fn every_command_of_the_catalog_is_typed() {
    for e in entries() {
        for s in e.steps {
            for values in [all_values(), Values::default()] {
                let t = fill(s, &values);
                for p in t.pieces() {
                    match p {
                        crate::diagnose::Piece::Prose(p) => assert!(!p.contains('`'), "{}: {s}", e.id),
                        crate::diagnose::Piece::Command(c) => {
                            let ours = s.contains(&format!("`{c}`")) || fallback_holds(&format!("`{c}`"));
                            assert!(ours && !c.as_str().contains("value-of-"), "{}: {c}", e.id);
                        }
                    }
                }
            }
        }
    }
}

/// Whether a fallback wording holds `text`.
fn fallback_holds(text: &str) -> bool {
    ["what_to_collect"].iter().any(|k| fallback(k).is_some_and(|f| f.contains(text)))
}

/// Every key any template names, with a value.
fn all_values() -> Values {
    let mut v = Values::default();
    for e in entries() {
        for s in e.steps {
            for k in needed(s) {
                v.replace(k, format!("value-of-{k}"));
            }
        }
    }
    v
}

/// Every value the findings of any kind share, known.
fn all_shared() -> Shared {
    let at = |t: &str| t.parse().ok();
    Shared {
        attempt_peer: Some(Endpoint::parse("10.0.0.9:8305")),
        peer_ip: Some(Host::parse("10.0.0.9")),
        attempt_device: Some("ftd-x".into()),
        client: Some(Host::parse("10.0.0.8")),
        server: Some(Host::parse("10.0.0.9")),
        session: Some("x1".into()),
        inferred: Some("inferred".into()),
        sent_by: Some(Role::Server),
        alert: Some(AlertDescription::CERTIFICATE_EXPIRED),
        rejected_by: Some(RejectedBy::Side(Role::Client)),
        verify: Some(VerifyCode::CERT_HAS_EXPIRED),
        cert: CertValues {
            subject: Some("/title=InternalCA/CN=c".into()),
            issuer: Some("/title=InternalCA/CN=c".into()),
            not_after: at("2026-01-01T00:00:00Z"),
            ca_subject: Some("/title=InternalCA/CN=c".into()),
            ca_not_after: at("2026-01-01T00:00:00Z"),
        },
        file: Some("cacert.pem".into()),
        days_left: Some(-3),
        index_in_file: Some(1),
        affected: vec![Affected { name: Some("ftd-x".into()), address: Host::parse("10.0.0.8").ip() }],
        other_peers: Some(1000),
        also_fails: vec![OtherFailure { code: VerifyCode::EE_KEY_TOO_SMALL, depth: 0, subject: "/CN=x".into() }],
        security_level: Some(2),
    }
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
            let plain = Finding::new(*kind, context, "t");
            let mut known = Finding::new(*kind, context, "t");
            known.peer = Some(Endpoint::parse("10.0.0.9"));
            known.device = Some("ftd-x".into());
            known.certificate.subject = Some("/title=InternalCA/CN=c".into());
            // The shared values a kind's findings can have: those its own data does not name.
            let (mut own, mut shared) = (Values::default(), Values::default());
            known.data.values(&mut own);
            all_shared().values(&mut shared);
            if shared.iter().all(|(k, _)| !own.contains(k)) {
                *known.shared = all_shared();
            }
            for s in &systems {
                let what = |f: &str| format!("{kind} {context:?} {f} system={:?}", s.as_ref().map(|s| s.state));
                for (name, f) in [("plain", &plain), ("known", &known)] {
                    let r = remediation(f, s.as_ref());
                    assert_clean(
                        &what(name),
                        &format!(
                            "{}\n{}",
                            r.title,
                            r.steps.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("\n")
                        ),
                    );
                }
                // The rule's entry with every value its templates name, and with none.
                for mut values in [all_values(), Values::default()] {
                    system_values(&mut values, s.as_ref());
                    let r = from_entry(*kind, context, &values);
                    assert_clean(
                        &what("entry"),
                        &format!(
                            "{}\n{}",
                            r.title,
                            r.steps.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("\n")
                        ),
                    );
                }
                if let Some(s) = s {
                    assert_clean("summary", &crate::systems::summary::line(s));
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

/// A system renewed with a push pending, whose devices include `name` at `ip`.
fn with_device(name: &str, ip: &str) -> crate::systems::System {
    let (_, mut s) =
        examples::all().into_iter().find(|(_, s)| s.state == crate::systems::State::RenewedPushPending).unwrap();
    s.devices.push(crate::systems::Device {
        name: Some(name.into()),
        ip: ip.parse().ok(),
        needs_push: true,
        ..Default::default()
    });
    s
}

#[test]
fn input_values_are_never_read_as_templates() {
    let s = with_device("ftd-{alert}-[[x]]", "10.0.0.7");
    let mut f = Finding::new(Kind::PeerRejectedCertificate, Context::Sftunnel, "t");
    f.peer = Some(Endpoint::parse("10.0.0.7"));
    f.shared.alert = Some(AlertDescription::CERTIFICATE_EXPIRED);
    let r = remediation(&f, Some(&s));
    assert!(r.steps[0].to_string().starts_with("10.0.0.7 is ftd-{alert}-[[x]]: it refuses"), "{}", r.steps[0]);
    assert!(r.steps[0].contains("(alert certificate_expired)"), "{}", r.steps[0]);
    assert!(r.steps[0].to_string().ends_with("Its push is pending: it is one of the devices below."), "{}", r.steps[0]);
}

#[test]
fn a_peer_at_an_ipv6_address_is_named_whole() {
    let s = with_device("ftd-v6", "fd00::1");
    let mut f = Finding::new(Kind::PeerRejectedCertificate, Context::Sftunnel, "t");
    f.peer = Some(Endpoint::parse("[fd00::1]:8305"));
    let r = remediation(&f, Some(&s));
    assert!(r.steps[0].to_string().starts_with("fd00::1 is ftd-v6: it refuses"), "{}", r.steps[0]);
}

/// Whatever the kind and context, a finding of a system whose InternalCA was renewed never
/// says to run generate_certs.pl: its own regenerate step becomes the system's push.
#[test]
fn no_finding_of_a_renewed_system_regenerates() {
    let renewed: Vec<System> = examples::all()
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| matches!(s.state, crate::systems::State::Renewed | crate::systems::State::RenewedPushPending))
        .collect();
    assert_eq!(renewed.len(), 2);
    let mut gave_way = 0;
    for s in &renewed {
        for k in Kind::ALL {
            for c in [Context::Sftunnel, Context::FmcHa, Context::TlsProxy, Context::Generic] {
                let r = remediation(&Finding::new(*k, c, ""), Some(s));
                let runs = |st: &StepText| st.commands().any(|c| c.as_str() == "generate_certs.pl");
                assert!(!r.steps.iter().any(runs), "{k} {c:?} {:?}: {:?}", s.state, r.steps);
                gave_way += r.steps.iter().filter(|st| st.to_string().contains("was renewed already")).count();
            }
        }
    }
    assert!(gave_way > 0);
}

#[test]
fn only_the_first_regenerate_step_stays_as_the_replacement() {
    let run = |text: &'static str| StepText::ours(text);
    let mut steps = vec![run("a"), run("run `generate_certs.pl`"), run("b"), run("again `generate_certs.pl`")];
    give_way(&mut steps, StepText::ours("push"));
    let texts: Vec<String> = steps.iter().map(ToString::to_string).collect();
    assert_eq!(texts, ["a", "push", "b"]);
}

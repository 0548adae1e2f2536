//! The handshakes' chains read once: handshakes that share a chain share what it names and
//! link as each would alone; different chains stay apart.

use super::Chains;
use crate::model::{Handshake, HandshakeCert, Outcome, Role, Sha256};
use crate::systems::group::components;
use crate::systems::keys::{Key, Member};
use crate::systems::links::handshake_links;
use crate::systems::{Ctx, Inputs};

const CA_A: &str = "/title=InternalCA/CN=0b3a4d6e-1111-4a4a-9c9c-aaaaaaaaaaaa";
const CA_B: &str = "/title=InternalCA/CN=0b3a4d6e-2222-4b4b-9d9d-bbbbbbbbbbbb";
const DEVICE: &str = "/O=Cisco/CN=5e5e5e5e-3333-4c4c-9e9e-cccccccccccc";

fn cert(subject: &str, depth: u32) -> HandshakeCert {
    HandshakeCert {
        from: Role::Server,
        depth,
        subject: subject.to_string(),
        sha256: Sha256::of(subject.as_bytes()),
        valid_at_handshake: true,
        signature_ok: None,
    }
}

fn handshake(client: &str, server: &str, chain: &[&str]) -> Handshake {
    Handshake {
        client: client.parse().unwrap(),
        server: server.parse().unwrap(),
        version: None,
        cipher_suite: None,
        sni: None,
        alpn: Vec::new(),
        outcome: Outcome::Established,
        offered_versions: Vec::new(),
        offered_suites: Vec::new(),
        client_auth_requested: false,
        alerts: Vec::new(),
        certificates: chain.iter().enumerate().map(|(d, s)| cert(s, d as u32)).collect(),
        empty_certificate: None,
        not_tls: None,
        start: None,
        evidence: Vec::new(),
        notes: Vec::new(),
    }
}

/// The strong keys of each handshake, read with all of `hs` in the run.
fn strong_keys(hs: &[Handshake]) -> Vec<Vec<Key>> {
    let inputs =
        Inputs { facts: &[], findings: &[], handshakes: hs, certificates: &[], now: jiff::Timestamp::UNIX_EPOCH };
    let cx = Ctx::new(&inputs);
    (0..hs.len()).map(|i| handshake_links(i, &cx).strong).collect()
}

fn run() -> Vec<Handshake> {
    vec![
        handshake("10.0.0.1:40000", "10.9.9.9:8305", &[DEVICE, CA_A]),
        handshake("10.0.0.2:40001", "10.9.9.9:8305", &[DEVICE, CA_A]),
        handshake("10.5.0.1:40002", "10.8.8.8:8305", &[CA_B]),
        handshake("10.5.0.1:40003", "10.7.7.7:443", &["/CN=www.example.com"]),
    ]
}

#[test]
fn handshakes_that_share_a_chain_share_its_reading() {
    let hs = run();
    let chains = Chains::new(&hs);
    assert_eq!(chains.index_of(0), chains.index_of(1));
    assert_ne!(chains.index_of(0), chains.index_of(2));
    assert_ne!(chains.index_of(2), chains.index_of(3));
    assert_eq!(chains.of(0).ca_keys, vec!["0b3a4d6e-1111-4a4a-9c9c-aaaaaaaaaaaa".to_string()]);
    assert!(chains.is_sftunnel(2, &hs[2]) && !chains.is_sftunnel(3, &hs[3]));
    // The same subject with other bytes is another chain.
    let mut other = hs[0].clone();
    other.certificates[1].sha256 = Sha256::of(b"another CA");
    assert_ne!(Chains::new(&[hs[0].clone(), other]).index_of(1), 0);
}

#[test]
fn links_read_once_per_chain_are_those_read_alone() {
    let hs = run();
    let together = strong_keys(&hs);
    for (i, h) in hs.iter().enumerate() {
        assert_eq!(together[i], strong_keys(std::slice::from_ref(h))[0], "handshake {i}");
    }
    let device = Key::Uuid(crate::model::Uuid::parse(DEVICE.rsplit("CN=").next().unwrap()).unwrap());
    let ca_a = Key::Ca("0b3a4d6e-1111-4a4a-9c9c-aaaaaaaaaaaa".into());
    assert_eq!(
        together[1],
        vec![Key::Ip("10.0.0.2".parse().unwrap()), Key::Ip("10.9.9.9".parse().unwrap()), device, ca_a]
    );
    assert!(together[3].is_empty(), "not sftunnel: no links");
}

#[test]
fn a_shared_chain_joins_its_handshakes_and_another_stays_apart() {
    let hs = run();
    let inputs =
        Inputs { facts: &[], findings: &[], handshakes: &hs, certificates: &[], now: jiff::Timestamp::UNIX_EPOCH };
    let groups: Vec<Vec<Member>> = components(&Ctx::new(&inputs)).into_iter().map(|c| c.members).collect();
    assert_eq!(groups, vec![vec![Member::Handshake(0), Member::Handshake(1)], vec![Member::Handshake(2)]]);
}

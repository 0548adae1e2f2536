//! Property tests: random and damaged input never panics, and chunking never changes the result.

use proptest::prelude::*;

use crate::model::Role;
use crate::tls::{TlsConversation, TlsSummary};

use super::build::*;

/// Something the capture layer may do: feed bytes from one side, or report lost data.
#[derive(Clone, Debug)]
enum Op {
    Feed(bool, Vec<u8>),
    Gap(bool),
}

fn role(server: bool) -> Role {
    if server {
        Role::Server
    } else {
        Role::Client
    }
}

/// Records with plausible headers and random bodies, so the deeper parsers get exercised.
fn record_bytes() -> impl Strategy<Value = Vec<u8>> {
    (18u8..=25, any::<u8>(), proptest::collection::vec(any::<u8>(), 0..80)).prop_map(|(ctype, hs_type, mut body)| {
        if ctype == HANDSHAKE && !body.is_empty() {
            body[0] = hs_type % 25;
        }
        record(ctype, &body)
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<bool>(), proptest::collection::vec(any::<u8>(), 0..120)).prop_map(|(s, d)| Op::Feed(s, d)),
        4 => (any::<bool>(), record_bytes()).prop_map(|(s, d)| Op::Feed(s, d)),
        1 => any::<bool>().prop_map(Op::Gap),
    ]
}

fn bounded(s: &TlsSummary) -> bool {
    s.notes.len() <= 33 && s.alerts.len() <= 64 && s.encrypted_alerts.len() <= 64 && s.certificates.len() <= 8
}

fn small_handshake() -> Vec<Packet> {
    let der = vec![0x30; 300];
    vec![
        (
            Role::Client,
            1,
            record(HANDSHAKE, &client_hello(&[0xc02f, 0x1301], &[ext_sni("a.example"), ext_alpn(&["h2"])])),
        ),
        (
            Role::Server,
            2,
            records(HANDSHAKE, &[server_hello(0xc02f, &[]), certificate(&[der]), server_hello_done()].concat(), 200),
        ),
        (Role::Client, 3, [record(HANDSHAKE, &client_key_exchange()), ccs(), opaque(HANDSHAKE, 40)].concat()),
        (Role::Server, 4, [ccs(), opaque(HANDSHAKE, 40), alert(2, 42)].concat()),
    ]
}

proptest! {
    #[test]
    fn random_input_never_panics(ops in proptest::collection::vec(op(), 0..40)) {
        let mut conv = TlsConversation::new();
        for (frame, op) in ops.into_iter().enumerate() {
            match op {
                Op::Feed(server, data) => conv.feed(role(server), &data, seen(frame as u64)),
                Op::Gap(server) => conv.gap(role(server)),
            }
            let _ = conv.done();
        }
        prop_assert!(bounded(&conv.finish()));
    }

    #[test]
    fn damaged_handshake_never_panics(at in any::<prop::sample::Index>(), value in any::<u8>(), cut in 1usize..50) {
        let mut packets = small_handshake();
        let total: usize = packets.iter().map(|p| p.2.len()).sum();
        let mut i = at.index(total);
        for p in packets.iter_mut() {
            if let Some(b) = p.2.get_mut(i) {
                *b = value;
                break;
            }
            i -= p.2.len();
        }
        prop_assert!(bounded(&run_chunked(&packets, &[cut])));
    }

    #[test]
    fn chunking_never_changes_the_summary(cuts in proptest::collection::vec(1usize..64, 1..8)) {
        let packets = small_handshake();
        prop_assert_eq!(run_chunked(&packets, &cuts), run(&packets));
    }
}

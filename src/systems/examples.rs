//! Example systems, one per state and tunnel situation, for `tlstriage explain` and the tests:
//! the steps they get are the steps a real system in that state gets.

use super::{CaInfo, Device, Fmc, State, System, Tunnel, Tunnels};

fn example(state: State, tunnels: &[Tunnel], pending: bool) -> System {
    let devices = tunnels
        .iter()
        .map(|t| Device {
            name: Some(
                match (t, pending) {
                    (Tunnel::Down, true) => "each device that lacks the new files",
                    (Tunnel::Down, false) => "each disconnected device",
                    _ => "each connected device",
                }
                .to_string(),
            ),
            tunnel: *t,
            needs_push: pending && *t == Tunnel::Down,
            ..Default::default()
        })
        .collect();
    let mut s = System {
        id: "example".into(),
        fmc: Fmc::default(),
        internal_ca: Some(CaInfo { subject: "/title=InternalCA".into(), ..Default::default() }),
        previous_ca: None,
        state,
        tunnels: Tunnels::Unknown,
        renewed_at: None,
        devices,
        // The FMC's own status output lists them: "every device" means every one.
        device_list: Some(super::DeviceList::FmcStatus),
        next_steps: Vec::new(),
        collect: Vec::new(),
        notes: Vec::new(),
        findings: Vec::new(),
        inputs: Vec::new(),
        plan_inputs: Vec::new(),
        loose: Vec::new(),
        conflicts: Vec::new(),
        push_facts: Vec::new(),
    };
    s.tunnels = super::state::tunnels(&s);
    s.next_steps = super::steps::for_system(&s, &[]);
    s
}

/// `(when, system)` for every state that has steps, in the order of the source.
pub fn all() -> Vec<(&'static str, System)> {
    use Tunnel::*;
    vec![
        ("the InternalCA expires within 90 days", example(State::Expiring, &[Up, Up], false)),
        ("the InternalCA has expired and the tunnels are still up", example(State::Expired, &[Up, Up], false)),
        ("the InternalCA has expired and some tunnels are down", example(State::Expired, &[Up, Down], false)),
        ("the InternalCA has expired and every device is disconnected", example(State::Expired, &[Down], false)),
        (
            "generate_certs.pl has made a new InternalCA and some devices still lack it",
            example(State::RenewedPushPending, &[Up, Down], true),
        ),
        ("the InternalCA has been renewed and no device is known to lack it", example(State::Renewed, &[Up], false)),
    ]
}

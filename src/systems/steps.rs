//! The ordered next steps of a system, from its state: each step has a fixed id (machines
//! read them), the box it is done on, a text with the values of this system only, and the
//! command when there is one. Nothing unknown is ever written as a placeholder: a value that
//! is missing is left out or the text says where to read it.

use super::device_list::{every_device_down, known_down_list_missing, partial_list_check};
use super::step::{list, option, step, Step, StepId, NAMED};
use super::{HaRole, State, System, Tunnels};
use crate::diagnose::{Command, StepText};
use crate::firepower::hotfix::{for_version, ranges_text, Hotfix};

/// Text from the inputs (a name, a folder) or made with it: never a command.
fn prose(text: impl AsRef<str>) -> StepText {
    StepText::prose(text)
}

/// The end of the generate_certs.pl step: what it refuses and where it logs (the default text
/// leaves it to `-v`).
pub const GENERATE_CAVEATS: &str = "It refuses to run while a critical operation is in progress (backup/restore, \
SRU/VDB update, HA operation, upgrade, smart licence registration): let those finish; with Classic licences only, TAC \
has to bypass the check. It logs to /var/log/sf/sfca_generation.log and lists the devices it could not reach in a \
FAILED_PUSH file under /var/tmp/certs/ (in a folder named after the run's Unix time).";

/// `tlstriage plan <inputs> -o <folder>` on the system's own inputs (the FMC's tree, and the
/// FAILED_PUSH it uses when that lies outside it), when it uses a FAILED_PUSH; each path one
/// quoted shell word. With `-o` the plan writes devices.csv and plan.txt into the folder
/// ([`plan_folder`]); without it, it only prints them.
pub fn plan_command(s: &System) -> Option<Command> {
    (!s.push_facts.is_empty()).then(|| {
        let file = |p: &String| crate::model::DisplayPath::file_path(p).display().to_string();
        let plan = s.plan_inputs.iter().fold(Command::fixed("tlstriage plan"), |c, p| c.arg(&file(p)));
        plan.word("-o").arg(&plan_folder(s))
    })
}

/// The folder the advised `tlstriage plan -o` writes into: `plan-<system>` when the system's
/// name is a plain file name (letters, digits, `.`, `-`, `_`), else `sftunnel-plan`.
pub fn plan_folder(s: &System) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !s.id.is_empty() && !s.id.starts_with(['.', '-']) && s.id.chars().all(plain) {
        format!("plan-{}", s.id)
    } else {
        "sftunnel-plan".to_string()
    }
}

pub fn fmc_label(s: &System) -> String {
    match (&s.fmc.name, &s.fmc.ip) {
        (Some(n), _) => n.clone(),
        (None, Some(ip)) => format!("the FMC {ip}"),
        _ => "the FMC".to_string(),
    }
}

/// The devices that still need the new files, else every device whose tunnel is down.
fn push_targets(s: &System) -> Vec<String> {
    let pending: Vec<String> = s.devices.iter().filter(|d| d.needs_push).map(|d| d.label()).collect();
    if !pending.is_empty() {
        return pending;
    }
    s.devices.iter().filter(|d| d.tunnel == super::Tunnel::Down).map(|d| d.label()).collect()
}

fn peer_folder(s: &System) -> String {
    match &s.fmc.uuid {
        Some(u) => format!("/var/sf/peers/{u}/"),
        None => "the FMC's folder under /var/sf/peers/ (named after the FMC's UUID: APPLIANCE_UUID in the FMC's \
/etc/sf/ims.conf)"
            .to_string(),
    }
}

/// The steps that bring the new files to the devices that lack them.
fn push_steps(s: &System, fmc: &str, out: &mut Vec<Step>) {
    let targets = push_targets(s);
    let who = if targets.is_empty() { "every device whose tunnel stays down".to_string() } else { list(&targets) };
    let on_devices = match targets.len() {
        0 => "each device".to_string(),
        n if n > NAMED => format!("{}, … ({n} devices)", targets[..NAMED].join(", ")),
        _ => targets.join(", "),
    };
    let again = if matches!(s.state, State::RenewedPushPending | State::Renewed) {
        " Do not run generate_certs.pl again: it would make yet another InternalCA."
    } else {
        ""
    };
    let plan = plan_command(s);
    let how = match &plan {
        Some(_) => StepText::compose(
            "this command writes devices.csv (the devices of the FAILED_PUSH list, the FMC first) and plan.txt into \
the folder {folder}; add the admin passwords to devices.csv, then run `copy_sftunnel_certs.py devices.csv` on the FMC \
(or `copy_sftunnel_certs_jumpserver.py` from a host that reaches all of them)",
            &[("folder", prose(plan_folder(s)))],
        ),
        None => StepText::ours(
            "list them in devices.csv (`#device_name,ipaddr,login,password`) and run `copy_sftunnel_certs.py \
devices.csv` on the FMC (or `copy_sftunnel_certs_jumpserver.py` from a host that reaches all of them)",
        ),
    };
    // The plan refuses a row whose device name has no device name's shape: said here too.
    let odd: Vec<String> = s
        .devices
        .iter()
        .filter(|d| d.needs_push)
        .filter_map(|d| d.name.clone())
        .filter(|n| crate::firepower::shape::check_name("device name", n).is_err())
        .collect();
    let refused = match (&plan, odd.is_empty()) {
        (Some(_), false) => format!(
            " The plan refuses the rows of {} (a name with characters a device name never has): add them to \
devices.csv by hand, under the name the FMC shows.",
            list(&odd)
        ),
        _ => String::new(),
    };
    let text = StepText::compose(
        "Push the new sftunnel files from {fmc} to {who}: {how}.{again}{refused}",
        &[
            ("fmc", prose(fmc)),
            ("who", prose(&who)),
            ("how", how),
            ("again", StepText::ours(again)),
            ("refused", prose(&refused)),
        ],
    );
    let command = plan.unwrap_or_else(|| Command::fixed("copy_sftunnel_certs.py devices.csv"));
    out.push(step(StepId::PushWithCopyScript, fmc, text, Some(command)));
    let text = StepText::compose(
        "Without SSH from the FMC: on {who} (expert, `sudo su`), back up cacert.pem, sftunnel-cert.pem and \
sftunnel-key.pem in {folder} (`cp X X.backup`), paste in the new contents from the FMC, then `chmod 644` and \
`chown root:root` the three files.",
        &[("who", prose(&who)), ("folder", prose(peer_folder(s)))],
    );
    out.push(option(step(StepId::CopyByHand, &on_devices, text, None)));
    let text = StepText::compose(
        "Restart sftunnel on {who} (on the devices, not on the FMC) so they load the new files.",
        &[("who", prose(&who))],
    );
    out.push(step(StepId::RestartSftunnel, &on_devices, text, Some(Command::fixed("pmtool restartbyid sftunnel"))));
}

/// The sentence that installs the hotfix of `version` on `fmc` (or says why there is none).
pub fn hotfix_sentence(version: Option<&str>, fmc: &str) -> String {
    match version.map(|v| (v, for_version(v))) {
        Some((v, Hotfix::Install(h))) => {
            format!(
                "Install {h} on {fmc} (FMC {v}). It needs no reboot and brings generate_certs.pl and the copy scripts."
            )
        }
        Some((v, Hotfix::NoneFor71)) => format!(
            "FMC {v}: release 7.1 has no hotfix. Upgrade {fmc} to a release that carries generate_certs.pl, or ask \
Cisco TAC to regenerate the InternalCA without an upgrade."
        ),
        Some((v, _)) => format!(
            "FMC {v} is outside the source's hotfix list ({}). Check whether this release already \
carries generate_certs.pl (the fix of CSCwd08098); if it does not, ask Cisco TAC.",
            ranges_text()
        ),
        None => format!(
            "Install the hotfix for the version of {fmc} (SWVERSION in /etc/sf/ims.conf, or Help > About): \
{} (upgrade or ask TAC). The hotfixes need no reboot.",
            ranges_text()
        ),
    }
}

/// The hotfix (or its replacement) for this FMC's version.
fn hotfix_steps(s: &System, fmc: &str, out: &mut Vec<Step>) {
    let some_up = s.state == State::Expired && !every_device_down(s);
    let version = s.fmc.version.as_deref();
    let text = prose(hotfix_sentence(version, fmc));
    match version.map(for_version) {
        Some(Hotfix::Install(_)) | None => out.push(step(StepId::InstallHotfix, fmc, text, None)),
        Some(Hotfix::NoneFor71) if some_up => {
            // An upgrade would drop the tunnels that are still up.
            let v = version.unwrap_or_default();
            let text = prose(format!(
                "FMC {v}: release 7.1 has no hotfix, and an upgrade now would drop the tunnels that are still up. Ask \
Cisco TAC to regenerate the InternalCA without an upgrade."
            ));
            out.push(step(StepId::ContactTac, fmc, text, None));
        }
        Some(Hotfix::NoneFor71) => {
            out.push(step(StepId::UpgradeFmc, fmc, text, None));
            let tac = StepText::ours("Or ask Cisco TAC to regenerate the InternalCA without an upgrade.");
            out.push(option(step(StepId::ContactTac, fmc, tac, None)));
        }
        Some(_) => out.push(step(StepId::ContactTac, fmc, text, None)),
    }
}

/// Backup, hotfix, status, generate_certs.pl, pushes where tunnels are down, verification.
fn renew_steps(s: &System, fmc: &str, out: &mut Vec<Step>) {
    let secondary = s.fmc.ha_role == Some(HaRole::Secondary);
    let mut backup = StepText::compose(
        "Take a backup of {fmc} (System > Tools > Backup/Restore) before touching its certificates.",
        &[("fmc", prose(fmc))],
    );
    if s.state == State::Expired && !every_device_down(s) {
        backup.push_ours(
            " Until the new certificates are in place, do not reboot or upgrade the FMC or any device: a tunnel that \
goes down does not come back with the expired CA (the hotfix is the exception, it needs no reboot).",
        );
    }
    out.push(step(StepId::BackupFmc, fmc, backup, None));
    hotfix_steps(s, fmc, out);
    if s.state == State::Expired && every_device_down(s) {
        out.push(option(step(
            StepId::UpgradeFmc,
            fmc,
            StepText::compose(
                "Every device is disconnected already, so upgrading {fmc} costs no tunnel now; it is an option instead \
of the hotfix.",
                &[("fmc", prose(fmc))],
            ),
            None,
        )));
    }
    let check = if s.state == State::Expired && known_down_list_missing(s) {
        partial_list_check(s, fmc)
    } else {
        StepText::compose("Note which devices are connected now, on {fmc}.", &[("fmc", prose(fmc))])
    };
    out.push(step(StepId::CheckTunnels, fmc, check, Some(Command::fixed("sftunnel_status.pl"))));
    let generate = GENERATE_CAVEATS;
    if secondary {
        let text = StepText::compose(
            "After the primary FMC is done, run generate_certs.pl on {fmc} (the secondary has its own InternalCA). \
{generate}",
            &[("fmc", prose(fmc)), ("generate", StepText::ours(generate))],
        );
        out.push(step(StepId::RegenerateOnSecondary, fmc, text, Some(Command::fixed("generate_certs.pl"))));
    } else {
        let first = if has_secondary(s) { " This is the primary FMC: renew it before the secondary." } else { "" };
        let text = StepText::compose(
            "Run generate_certs.pl on {fmc}.{first} {generate}",
            &[("fmc", prose(fmc)), ("first", StepText::ours(first)), ("generate", StepText::ours(generate))],
        );
        out.push(step(StepId::RunGenerateCerts, fmc, text, Some(Command::fixed("generate_certs.pl"))));
    }
    if matches!(s.tunnels, Tunnels::SomeDown | Tunnels::AllDown) {
        push_steps(s, fmc, out);
    }
    out.push(verify(s, fmc));
}

fn has_secondary(s: &System) -> bool {
    s.devices.iter().any(|d| d.fmc)
}

fn verify(_s: &System, fmc: &str) -> Step {
    step(
        StepId::VerifyTunnels,
        fmc,
        StepText::compose(
            "Check on {fmc} that every device is connected again; push by hand to any device a new FAILED_PUSH lists.",
            &[("fmc", prose(fmc))],
        ),
        Some(Command::fixed("sftunnel_status.pl")),
    )
}

/// The steps of a system, in order; `all` are the run's systems (for HA).
pub fn for_system(s: &System, all: &[System]) -> Vec<Step> {
    let fmc = fmc_label(s);
    let mut out = Vec::new();
    let secondary_valid = all
        .iter()
        .find(|o| o.fmc.ha_role == Some(HaRole::Secondary) && o.id != s.id)
        .filter(|o| matches!(o.state, State::Healthy | State::Expiring | State::Renewed));
    match s.state {
        State::Healthy | State::Unknown => {}
        State::Expiring | State::Expired => {
            if s.state == State::Expired && s.fmc.ha_role == Some(HaRole::Primary) {
                if let Some(sec) = secondary_valid {
                    let text = StepText::compose(
                        "{other}'s InternalCA is still valid: making it the active FMC (manual role switch) keeps \
deployments going while {fmc} is fixed, if the two FMCs still talk to each other.",
                        &[("other", prose(fmc_label(sec))), ("fmc", prose(&fmc))],
                    );
                    out.push(option(step(StepId::SwitchHaActive, &fmc, text, None)));
                }
            }
            renew_steps(s, &fmc, &mut out);
        }
        State::RenewedPushPending => {
            push_steps(s, &fmc, &mut out);
            out.push(verify(s, &fmc));
        }
        State::Renewed => out.push(verify(s, &fmc)),
    }
    out
}

//! Which appliance a tree is, from what its files say: the `MODEL_TYPE` of `ims.conf` (at
//! `/etc/sf/` or an FTD's `/ngfw/etc/sf/`), a `/ngfw` folder (an FTD keeps its files there), or
//! the InternalCA's file (only an FMC holds it), each said in words, conflicts included.

use super::layout::{Role, FTD_PREFIX, IMS_CONF};
use super::root::Root;

/// The first 64 KiB of a device file, when it is a regular file inside the root.
fn small_text(tree: &Root, device: &str) -> Option<String> {
    use std::io::Read;
    let real = tree.inside(&tree.at(device)).ok()?;
    let file = crate::input::open_regular(&real).ok()?;
    let mut buf = Vec::new();
    file.take(64 << 10).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Which appliance the tree is, from what its files say.
pub(super) fn role_of(tree: &Root) -> (Role, Vec<String>) {
    let mut why = Vec::new();
    let mut said = Vec::new();
    for device in [IMS_CONF.to_string(), format!("{FTD_PREFIX}{IMS_CONF}")] {
        let Some(text) = small_text(tree, &device) else { continue };
        match crate::logs::conf::parse_ims_conf(&text) {
            Some(info) => {
                let role = match info.role {
                    crate::model::DeviceRole::Fmc => Role::Fmc,
                    crate::model::DeviceRole::Ftd => Role::Ftd,
                    crate::model::DeviceRole::Unknown => Role::Unknown,
                };
                let model =
                    info.model.as_deref().map(|m| format!(" ({})", crate::util::printable(m))).unwrap_or_default();
                match role {
                    Role::Unknown => why.push(format!("{device} does not say which product this is{model}")),
                    _ => why.push(format!("{device} describes an {}{model}", role.as_str())),
                }
                if role != Role::Unknown {
                    said.push(role);
                }
            }
            None => why.push(format!("{device} holds nothing tlstriage reads")),
        }
    }
    let ngfw = tree.is_dir(FTD_PREFIX);
    if ngfw {
        why.push(format!("{FTD_PREFIX} is a folder: an FTD keeps sftunnel's files there"));
    }
    said.dedup();
    let role = match said.as_slice() {
        [one] => {
            if *one == Role::Fmc && ngfw {
                why.push(format!("taken as the FMC that ims.conf names, although {FTD_PREFIX} is there"));
            }
            *one
        }
        [_, _, ..] => {
            why.push("the ims.conf files disagree: every place of both products is looked at".into());
            Role::Unknown
        }
        [] if ngfw => Role::Ftd,
        [] if tree.inside(&tree.at("/etc/sf/ca_root/cacert.pem")).is_ok() => {
            why.push("/etc/sf/ca_root/cacert.pem is there: only an FMC holds the InternalCA (inferred)".into());
            Role::Fmc
        }
        [] => {
            why.push(format!(
                "neither {IMS_CONF}, {FTD_PREFIX} nor /etc/sf/ca_root/cacert.pem is there: every place of both \
products is looked at"
            ));
            Role::Unknown
        }
    };
    (role, why)
}

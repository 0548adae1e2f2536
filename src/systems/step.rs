//! A next step: its fixed id (machines read them), the box it is done on, its text and
//! command.

use serde::Serialize;

use crate::diagnose::{Command, StepText};

/// The step ids (stable; the JSON contract).
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum StepId {
    BackupFmc,
    InstallHotfix,
    UpgradeFmc,
    ContactTac,
    CheckTunnels,
    RunGenerateCerts,
    PushWithCopyScript,
    CopyByHand,
    RestartSftunnel,
    VerifyTunnels,
    RegenerateOnSecondary,
    SwitchHaActive,
}

impl StepId {
    pub const ALL: &'static [StepId] = &[
        StepId::BackupFmc,
        StepId::InstallHotfix,
        StepId::UpgradeFmc,
        StepId::ContactTac,
        StepId::CheckTunnels,
        StepId::RunGenerateCerts,
        StepId::PushWithCopyScript,
        StepId::CopyByHand,
        StepId::RestartSftunnel,
        StepId::VerifyTunnels,
        StepId::RegenerateOnSecondary,
        StepId::SwitchHaActive,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            StepId::BackupFmc => "backup-fmc",
            StepId::InstallHotfix => "install-hotfix",
            StepId::UpgradeFmc => "upgrade-fmc",
            StepId::ContactTac => "contact-tac",
            StepId::CheckTunnels => "check-tunnels",
            StepId::RunGenerateCerts => "run-generate-certs",
            StepId::PushWithCopyScript => "push-with-copy-script",
            StepId::CopyByHand => "copy-by-hand",
            StepId::RestartSftunnel => "restart-sftunnel",
            StepId::VerifyTunnels => "verify-tunnels",
            StepId::RegenerateOnSecondary => "regenerate-on-secondary",
            StepId::SwitchHaActive => "switch-ha-active",
        }
    }
}

/// One thing to do.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Step {
    pub id: StepId,
    /// The box it is done on: the FMC's name, or the devices'.
    pub on: String,
    /// What to do: prose with tlstriage's inline commands (its JSON form writes them between
    /// backticks).
    pub text: StepText,
    pub command: Option<Command>,
    /// An alternative or a choice, not a step everyone takes.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

pub(super) fn step(id: StepId, on: &str, text: StepText, command: Option<Command>) -> Step {
    Step { id, on: on.to_string(), text, command, optional: false }
}

pub(super) fn option(mut s: Step) -> Step {
    s.optional = true;
    s
}

/// At most this many devices are named in a step; the rest are counted (`devices[]` and
/// `tlstriage plan` list them all).
pub(super) const NAMED: usize = 8;

pub(super) fn list(labels: &[String]) -> String {
    if labels.len() > NAMED {
        return format!("{} and {} more devices", labels[..NAMED].join(", "), labels.len() - NAMED);
    }
    match labels {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

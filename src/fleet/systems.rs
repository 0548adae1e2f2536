//! From one input's report to its fleet rows: the report's systems become [`SystemRow`]s, keyed
//! so that the same FMC seen in several bundles meets again; an input nothing could be read from
//! becomes an error row.

use super::row::{Fleet, InputRow, NextStep, RowState, SystemRow};
use crate::analyze::Report;
use crate::model::Status;
use crate::model::Uuid;
use crate::systems::System;

/// The fleet part of one top-level input `name` analysed into `report`.
pub fn fleet_of(name: &str, report: &Report) -> Fleet {
    let top = report.inputs.iter().find(|i| i.path == name);
    if report.nothing_readable() || top.is_some_and(|t| t.status == Status::Error) {
        let why = top
            .and_then(|t| t.message.clone())
            .or_else(|| report.inputs.iter().find_map(|i| i.message.clone()))
            .unwrap_or_else(|| "nothing could be read".into());
        return Fleet { systems: vec![error_row(name, &why)], inputs: vec![input_row(name, "error", 0, 0, Some(why))] };
    }
    let systems: Vec<SystemRow> = report.systems.iter().map(|s| row_from_system(s, name)).collect();
    // Read up to a problem (a cut-off archive, a corrupt member): its rows count, and the input
    // says what was lost.
    let inside = |path: &str| path == name || path.strip_prefix(name).is_some_and(|rest| rest.starts_with(['!', '/']));
    let troubled: Vec<_> = report
        .inputs
        .iter()
        .filter(|i| inside(&i.path) && matches!(i.status, Status::Error | Status::Partial))
        .collect();
    let (status, message) = match troubled.first() {
        None => ("ok", None),
        Some(first) => {
            let why = first.message.as_deref().unwrap_or("not read whole");
            let more = match troubled.len() {
                1 => String::new(),
                n => format!(" (and {} more part(s))", n - 1),
            };
            ("partial", Some(format!("{}: {why}{more}", first.path)))
        }
    };
    let input = input_row(name, status, systems.len(), report.findings.len(), message);
    Fleet { systems, inputs: vec![input] }
}

/// The row of an input that could not be read.
pub fn error_row(name: &str, why: &str) -> SystemRow {
    SystemRow {
        id: format!("input:{name}"),
        name: name.to_string(),
        fmc: None,
        fmc_uuid: None,
        version: None,
        ca_not_after: None,
        days_left: None,
        state: RowState::Error,
        devices_pending: Vec::new(),
        next_step: None,
        collect: Vec::new(),
        bundles: vec![name.to_string()],
        error: Some(why.to_string()),
        ca_sha256: Vec::new(),
        conflicts: Vec::new(),
    }
}

fn input_row(path: &str, status: &str, systems: usize, findings: usize, message: Option<String>) -> InputRow {
    InputRow { path: path.to_string(), status: status.into(), systems, findings, message }
}

/// The CN of an InternalCA subject (`/title=InternalCA/.../CN=<fmc-uuid>/O=...`): the FMC's UUID.
fn ca_common_name(subject: &str) -> Option<&str> {
    subject.split('/').find_map(|part| part.strip_prefix("CN=")).filter(|cn| !cn.is_empty())
}

/// The key rows of one system share across bundles. A system's own id is only stable within a
/// run (an FTD bundle may not know its FMC's name), so the FMC's UUID is used, else the CN of
/// its InternalCA (which is that UUID); a system known by neither (only by an address, which
/// private networks reuse) is kept to its own bundle.
pub fn fleet_id(s: &System, bundle: &str) -> String {
    let cn = || [&s.internal_ca, &s.previous_ca].into_iter().flatten().find_map(|c| ca_common_name(&c.subject));
    match s.fmc.uuid.as_ref().map(Uuid::as_str).or_else(cn) {
        Some(uuid) => format!("fmc:{}", uuid.to_lowercase()),
        None => format!("{}@{bundle}", s.id),
    }
}

/// One system of a report as a row seen in `bundle`.
pub fn row_from_system(s: &System, bundle: &str) -> SystemRow {
    let devices_pending = s
        .devices
        .iter()
        .filter(|d| d.needs_push)
        .map(|d| {
            let address = || d.ip.map(|i| i.to_string());
            d.name.clone().or_else(address).or_else(|| d.uuid.map(|u| u.to_string())).unwrap_or_else(|| d.label())
        })
        .collect();
    let next_step = s.next_steps.iter().find(|st| !st.optional).or(s.next_steps.first()).map(|st| NextStep {
        id: st.id.as_str().to_string(),
        on: Some(st.on.clone()),
        text: st.text.to_string(),
        command: st.command.as_ref().map(|c| c.to_string()),
    });
    let ca = s.internal_ca.as_ref();
    let ca_sha256 =
        [&s.internal_ca, &s.previous_ca].into_iter().flatten().filter_map(|c| c.sha256).map(|h| h.to_hex()).collect();
    SystemRow {
        id: fleet_id(s, bundle),
        name: s.id.clone(),
        fmc: s.fmc.name.clone(),
        fmc_uuid: s
            .fmc
            .uuid
            .map(|u| u.to_string())
            .or_else(|| ca.and_then(|c| ca_common_name(&c.subject)).map(str::to_string)),
        version: s.fmc.version.clone(),
        ca_not_after: ca.and_then(|c| c.not_after).map(|t| t.to_string()),
        days_left: ca.and_then(|c| c.days_left),
        state: s.state.into(),
        devices_pending,
        next_step,
        collect: s.collect.clone(),
        bundles: vec![bundle.to_string()],
        error: None,
        ca_sha256,
        conflicts: s.conflicts.iter().map(|c| c.text()).collect(),
    }
}

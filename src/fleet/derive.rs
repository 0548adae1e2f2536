//! Interim systems for reports without a systems model: one system per FMC, known by the UUID
//! in its InternalCA's CN (which its devices' bundles carry too) or by its `ims.conf`. The values
//! have the shape of the JSON document's `systems`, so the rows are built the same way either way.
//!
//! The state is read from the newest InternalCA alone (expired, expiring within 90 days,
//! renewed when an older one of the same FMC was seen) plus the `FAILED_PUSH` devices; the first
//! step is the most severe finding's first step. This module goes once the report carries its
//! own `systems`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::analyze::Report;
use crate::diagnose::Kind;
use crate::facts::DeviceRole;
use crate::x509::CertSummary;

const EXPIRING_DAYS: i64 = 90;

/// The CN of an InternalCA subject (`/title=InternalCA/.../CN=<fmc-uuid>/O=...`).
fn internal_ca_cn(subject: &str) -> Option<&str> {
    if !subject.contains("title=InternalCA") {
        return None;
    }
    subject.split('/').find_map(|part| part.strip_prefix("CN=")).filter(|cn| !cn.is_empty())
}

/// The interim systems of `report`.
pub fn systems(report: &Report) -> Vec<Value> {
    let now = report.now.unwrap_or_else(jiff::Timestamp::now);
    let mut cas: BTreeMap<String, Vec<Arc<CertSummary>>> = BTreeMap::new();
    for e in &report.certificates {
        if let Some(cn) = internal_ca_cn(&e.cert.subject).filter(|_| e.cert.is_ca) {
            cas.entry(cn.to_lowercase()).or_default().push(e.cert.clone());
        }
    }
    for d in report.devices.iter().filter(|d| d.role == DeviceRole::Fmc) {
        if let Some(u) = &d.uuid {
            cas.entry(u.to_lowercase()).or_default();
        }
    }
    let pending: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::CertPushFailed)
        .filter_map(|f| f.peer.clone().or_else(|| f.device.clone()))
        .collect();
    let single = cas.len() == 1;
    // The first step of the most severe finding about this FMC's CA (any finding when the report
    // holds one system only).
    let first_step = |uuid: &str| {
        report
            .findings
            .iter()
            .filter(|f| single || f.facts.values().chain([&f.detail]).any(|v| v.to_lowercase().contains(uuid)))
            .find_map(|f| f.remediation.as_ref())
            .and_then(|r| r.steps.first().map(|s| json!({"id": r.id, "text": s})))
    };
    cas.into_iter()
        .map(|(uuid, mut certs)| {
            certs.sort_by(|a, b| b.not_after.cmp(&a.not_after).then(a.sha256.cmp(&b.sha256)));
            let fmc = report.devices.iter().find(|d| {
                d.role == DeviceRole::Fmc && d.uuid.as_deref().is_some_and(|u| u.eq_ignore_ascii_case(&uuid))
            });
            let devices: Vec<Value> = if single {
                pending.iter().map(|name| json!({"name": name, "needs_push": true})).collect()
            } else {
                Vec::new()
            };
            let current = certs.first();
            let days = current.map(|c| c.days_left(now));
            let state = match days {
                None => "unknown",
                Some(d) if d < 0 => "expired",
                Some(d) if d <= EXPIRING_DAYS => "expiring",
                Some(_) if !devices.is_empty() => "renewed-push-pending",
                Some(_) if certs.len() > 1 => "renewed",
                Some(_) => "healthy",
            };
            json!({
                "id": format!("fmc:{uuid}"),
                "fmc": {
                    "name": fmc.and_then(|f| f.hostname.clone()),
                    "uuid": uuid,
                    "version": fmc.and_then(|f| f.version.clone()),
                },
                "internal_ca": current.map(|c| json!({
                    "subject": c.subject,
                    "not_after": c.not_after.to_string(),
                    "days_left": c.days_left(now),
                    "sha256": c.sha256,
                })),
                "state": state,
                "devices": devices,
                "next_steps": if state == "healthy" { None } else { first_step(&uuid) }.into_iter().collect::<Vec<_>>(),
            })
        })
        .collect()
}

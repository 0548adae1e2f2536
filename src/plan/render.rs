//! Text forms of the plan: the `devices.csv` template and the step-by-step commands.

use std::fmt::Write;

use super::{DevicePlan, Plan};
use crate::facts::DeviceRole;

/// Header line `copy_sftunnel_certs.py` expects.
pub const CSV_HEADER: &str = "#device_name,ipaddr,login,password";

/// A value safe for one CSV cell (no separators, no line breaks).
fn cell(s: &str) -> String {
    s.chars().map(|c| if c == ',' || c.is_control() { '_' } else { c }).collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Plan {
    /// Whether there is anything to copy.
    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// The `devices.csv` template for `copy_sftunnel_certs.py`: the primary FMC first, then every
    /// device; the password column is left for the user.
    pub fn devices_csv(&self) -> String {
        let mut out = format!("{CSV_HEADER}\n");
        let p = &self.primary;
        if p.name.is_some() || p.ip.is_some() {
            let name = p.name.as_deref().or(p.uuid.as_deref()).unwrap_or("");
            let _ = writeln!(out, "{},{},admin,", cell(name), cell(p.ip.as_deref().unwrap_or("")));
        } else {
            out.push_str("#PRIMARY-FMC-NAME,PRIMARY-FMC-IP,admin,  (add the primary FMC as the first line)\n");
        }
        for d in &self.devices {
            let _ = writeln!(out, "{},{},admin,", cell(&d.name), cell(&d.ip));
        }
        out
    }

    /// The plan as text: order, the automatic way, and the manual commands per device.
    pub fn render_text(&self) -> String {
        if self.is_empty() {
            return "No FAILED_PUSH rows in the inputs: there are no certificates to copy by hand.\n".to_string();
        }
        let mut out = String::new();
        let fmc = self.primary_label();
        let _ = writeln!(out, "Plan: copy the new sftunnel certificates that generate_certs.pl could not push");
        if let Some(t) = self.generated {
            let _ = writeln!(out, "(FAILED_PUSH written {t})");
        }
        let _ = writeln!(out, "\nOrder: the primary FMC {fmc} keeps its new files; then, one after the other:");
        for d in &self.devices {
            let _ = writeln!(out, "  - {}", device_label(d));
        }
        let _ = writeln!(
            out,
            "\nWith SSH from the FMC to the devices: put the admin passwords into devices.csv (below), then run\n\
             as root in expert mode on {fmc}:\n    copy_sftunnel_certs.py devices.csv\n\
             (from a jump server that reaches all of them: copy_sftunnel_certs_jumpserver.py devices.csv)\n"
        );
        for line in self.devices_csv().lines() {
            let _ = writeln!(out, "    {line}");
        }
        let _ = writeln!(out, "\nBy hand, for each device the script cannot reach:");
        for (i, d) in self.devices.iter().enumerate() {
            self.device_steps(&mut out, i + 1, d, &fmc);
        }
        out
    }

    fn primary_label(&self) -> String {
        let p = &self.primary;
        match (&p.name, &p.uuid) {
            (Some(n), Some(u)) => format!("{n} ({u})"),
            (Some(n), None) => n.clone(),
            (None, Some(u)) => u.clone(),
            (None, None) => "(primary FMC)".to_string(),
        }
    }

    fn device_steps(&self, out: &mut String, n: usize, d: &DevicePlan, fmc: &str) {
        let name = if d.name.is_empty() { "the device" } else { d.name.as_str() };
        let _ = writeln!(out, "\n{n}. {}", device_label(d));
        let _ = writeln!(out, "   a. On {fmc}, show each new file and copy its text:");
        for (src, dst) in &d.files {
            let src = if src.is_empty() { "(path on the FMC not known; see FAILED_PUSH)" } else { src.as_str() };
            let _ = writeln!(out, "        cat {src}    # for {}", file_name(dst));
        }
        let _ = writeln!(out, "   b. On {name}: expert, then sudo su, then keep the current files:");
        let _ = writeln!(out, "        cd {}/", d.dir);
        let local: Vec<String> = d.files.iter().map(|(_, dst)| self.local(d, dst)).collect();
        for f in &local {
            let _ = writeln!(out, "        cp {f} {f}.backup");
        }
        let _ = writeln!(out, "   c. Replace the content of each file with the text copied in step a:");
        for (src, dst) in &d.files {
            let src = if src.is_empty() { "?" } else { src.as_str() };
            let _ = writeln!(out, "        {dst}  <-  {src} (on the FMC)");
        }
        let _ = writeln!(out, "   d. Owner and mode, then restart the tunnel:");
        let _ = writeln!(out, "        chmod 644 {}", local.join(" "));
        let _ = writeln!(out, "        chown root:root {}", local.join(" "));
        let _ = writeln!(out, "        pmtool restartbyid sftunnel");
        let _ = writeln!(out, "   e. On {fmc}, check that {name} is connected again:");
        let _ = writeln!(out, "        sftunnel_status.pl");
    }

    /// The path of a device file as typed after `cd` into the peer folder.
    fn local(&self, d: &DevicePlan, dst: &str) -> String {
        match dst.rsplit_once('/') {
            Some((dir, name)) if dir == d.dir => name.to_string(),
            _ => dst.to_string(),
        }
    }
}

fn device_label(d: &DevicePlan) -> String {
    let role = match d.role {
        DeviceRole::Fmc => "secondary FMC",
        _ => "FTD",
    };
    let mut s = format!("{} ({role}", d.name);
    if !d.ip.is_empty() {
        let _ = write!(s, ", {}", d.ip);
    }
    if !d.uuid.is_empty() {
        let _ = write!(s, ", UUID {}", d.uuid);
    }
    s.push(')');
    s
}

//! Text forms of the plan: the `devices.csv` template and the step-by-step commands.
//!
//! The text is a valid POSIX shell script: every line that is not a command starts with `#`, and
//! every input value inside a command is single-quoted (after [`crate::firepower::shape`] checked it), so a
//! line pasted by mistake is a comment and a value can never become a second command. Values in
//! comments are escaped for the terminal.

use std::fmt::Write;

use super::{DevicePlan, Plan};
use crate::model::DeviceRole;
use crate::util::printable;
use crate::util::quote::{csv_line, sh_quote};

/// Header line `copy_sftunnel_certs.py` expects.
pub const CSV_HEADER: &str = "#device_name,ipaddr,login,password";

/// Indent of command lines.
const CMD: &str = "        ";

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Plan {
    /// Whether there is nothing to copy (no FAILED_PUSH row at all).
    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// Whether there were rows but every one of them was refused: nothing can be pasted.
    pub fn all_refused(&self) -> bool {
        !self.devices.is_empty() && self.devices.iter().all(|d| d.files.is_empty())
    }

    /// The devices that have files to copy.
    fn ready(&self) -> impl Iterator<Item = &DevicePlan> {
        self.devices.iter().filter(|d| !d.files.is_empty())
    }

    /// Whether the FMC has an HA peer among the devices (then it is the primary FMC).
    fn has_secondary(&self) -> bool {
        self.devices.iter().any(|d| d.role == DeviceRole::Fmc)
    }

    /// How the plan calls the FMC that ran generate_certs.pl: the primary FMC of an HA pair, else
    /// the FMC.
    fn fmc_role(&self) -> &'static str {
        if self.has_secondary() {
            "primary FMC"
        } else {
            "FMC"
        }
    }

    /// The `devices.csv` template for `copy_sftunnel_certs.py`: the FMC first, then every
    /// device with files to copy; the password column is left for the user. A value of the FMC
    /// that no input gives is never a silent empty cell: its line is a comment that says what to
    /// write in place of which word.
    pub fn devices_csv(&self) -> String {
        let mut out = format!("{CSV_HEADER}\n");
        let p = &self.primary;
        let ha = self.has_secondary();
        // The UUID stands for the name only beside a known name or address.
        let known = p.name.is_some() || p.ip.is_some();
        let name = p.name.as_deref().or(p.uuid.as_ref().map(|u| u.as_str()).filter(|_| known));
        let (name_word, ip_word) = if ha { ("PRIMARY-FMC-NAME", "PRIMARY-FMC-IP") } else { ("FMC-NAME", "FMC-IP") };
        match (name, p.ip.as_deref()) {
            (Some(n), Some(ip)) => out.push_str(&csv_line(&[n, ip, "admin", ""])),
            (None, None) => {
                let role = self.fmc_role();
                let _ = writeln!(out, "#{name_word},{ip_word},admin,  (add the {role} as the first line)");
            }
            (n, ip) => {
                let row = csv_line(&[n.unwrap_or(name_word), ip.unwrap_or(ip_word), "admin", ""]);
                let (word, what) = if ip.is_none() { (ip_word, "address") } else { (name_word, "name") };
                let _ = writeln!(
                    out,
                    "#{}  (the {}'s {what} is in none of the inputs: write it in place of {word} and remove the \
leading #)",
                    row.trim_end(),
                    self.fmc_role()
                );
            }
        }
        for d in self.ready() {
            out.push_str(&csv_line(&[&d.name, &d.ip, "admin", ""]));
        }
        out
    }

    /// The plan as text: order, the automatic way, and the manual commands per device.
    pub fn render_text(&self) -> String {
        if self.is_empty() {
            return "# No FAILED_PUSH rows in the inputs: there are no certificates to copy by hand.\n".to_string();
        }
        let mut out = String::new();
        if self.all_refused() {
            let _ = writeln!(out, "# No plan: every FAILED_PUSH row was refused, so there is nothing safe to paste.");
            let _ = writeln!(out, "# Check the FAILED_PUSH file on the FMC itself; the rows read were:");
            self.refusals(&mut out);
            return out;
        }
        let fmc = self.primary_label();
        let _ = writeln!(out, "# Plan: copy the new sftunnel certificates that generate_certs.pl could not push");
        if let Some(t) = self.generated {
            let _ = writeln!(out, "# (FAILED_PUSH written {t})");
        }
        let role = self.fmc_role();
        let _ = writeln!(out, "#\n# Order: the {role} {fmc} keeps its new files; then, one after the other:");
        for d in self.ready() {
            let _ = writeln!(out, "#   - {}", device_label(d));
        }
        self.refusals(&mut out);
        let _ = writeln!(
            out,
            "#\n# With SSH from the FMC to the devices: put the admin passwords into devices.csv (below), then run\n\
             # as root in expert mode on {fmc}:\n{CMD}copy_sftunnel_certs.py devices.csv\n\
             # (from a jump server that reaches all of them: copy_sftunnel_certs_jumpserver.py devices.csv)\n#"
        );
        if self.primary.ip.is_none() {
            let _ = writeln!(
                out,
                "# The address of the {role} {fmc} is in none of the inputs: write it into the first line of \
devices.csv\n# (on the FMC, `show network` prints it) and remove that line's leading #."
            );
        }
        for note in &self.notes {
            let _ = writeln!(out, "# {}", printable(note));
        }
        for line in self.devices_csv().lines() {
            let _ = writeln!(out, "#     {}", printable(line));
        }
        let _ = writeln!(out, "#\n# By hand, for each device the script cannot reach:");
        for (i, d) in self.ready().enumerate() {
            self.device_steps(&mut out, i + 1, d, &fmc);
        }
        out
    }

    /// The rows left out and why, as comment lines; nothing when every row was accepted.
    fn refusals(&self, out: &mut String) {
        let any = !self.refused.is_empty() || self.devices.iter().any(|d| !d.refused.is_empty());
        if !any {
            return;
        }
        let _ = writeln!(out, "#\n# Refused (a value does not have the shape sftunnel uses; never pasted):");
        for r in &self.refused {
            let _ = writeln!(out, "#   - {}", printable(r));
        }
        for d in self.devices.iter().filter(|d| !d.refused.is_empty()) {
            for r in &d.refused {
                let _ = writeln!(out, "#   - {}: {}", printable(&d.name), printable(r));
            }
        }
    }

    fn primary_label(&self) -> String {
        let p = &self.primary;
        match (&p.name, &p.uuid) {
            (Some(n), Some(u)) => format!("{} ({})", printable(n), u),
            (Some(n), None) => printable(n).into_owned(),
            (None, Some(u)) => u.to_string(),
            (None, None) => format!("(the {})", self.fmc_role()),
        }
    }

    fn device_steps(&self, out: &mut String, n: usize, d: &DevicePlan, fmc: &str) {
        let name = if d.name.is_empty() { "the device".into() } else { printable(&d.name) };
        let _ = writeln!(out, "#\n# {n}. {}", device_label(d));
        let _ = writeln!(out, "#    a. On {fmc}, show each new file and copy its text:");
        for (src, dst) in &d.files {
            if src.is_empty() {
                let _ = writeln!(out, "#         (path on the FMC of {} not known; see FAILED_PUSH)", file_name(dst));
            } else {
                let _ = writeln!(out, "{CMD}cat {}    # for {}", sh_quote(src), file_name(dst));
            }
        }
        let _ = writeln!(out, "#    b. On {name}: expert, then sudo su, then keep the current files:");
        let _ = writeln!(out, "{CMD}cd {}", sh_quote(&format!("{}/", d.dir)));
        let local: Vec<String> = d.files.iter().map(|(_, dst)| sh_quote(file_name(dst))).collect();
        for (f, (_, dst)) in local.iter().zip(&d.files) {
            let _ = writeln!(out, "{CMD}cp {f} {}", sh_quote(&format!("{}.backup", file_name(dst))));
        }
        let _ = writeln!(out, "#    c. Replace the content of each file with the text copied in step a:");
        for (src, dst) in &d.files {
            let src = if src.is_empty() { "?" } else { src.as_str() };
            let _ = writeln!(out, "#         {}  <-  {} (on the FMC)", printable(dst), printable(src));
        }
        let _ = writeln!(out, "#    d. Owner and mode, then restart the tunnel:");
        let _ = writeln!(out, "{CMD}chmod 644 {}", local.join(" "));
        let _ = writeln!(out, "{CMD}chown root:root {}", local.join(" "));
        let _ = writeln!(out, "{CMD}pmtool restartbyid sftunnel");
        let _ = writeln!(out, "#    e. On {fmc}, check that {name} is connected again:");
        let _ = writeln!(out, "{CMD}sftunnel_status.pl");
    }
}

fn device_label(d: &DevicePlan) -> String {
    let role = match d.role {
        DeviceRole::Fmc => "secondary FMC",
        _ => "FTD",
    };
    let mut s = format!("{} ({role}", printable(&d.name));
    if !d.ip.is_empty() {
        let _ = write!(s, ", {}", printable(&d.ip));
    }
    if !d.uuid.is_empty() {
        let _ = write!(s, ", UUID {}", printable(&d.uuid));
    }
    s.push(')');
    s
}
